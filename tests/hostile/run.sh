#!/bin/sh
# tests/hostile/run.sh - hostile inputs and outputs (docs/security.md): every
# case of tests/hostile/cases.txt runs in a fresh scratch folder and must
# give its exit status and exactly the error text of expected/NAME.err, run
# no command it was not asked to (no PWNED file appears), and leave no
# output (a failing case changes nothing in its folder), no temporary file
# (no *.tmp-* anywhere, an empty TMPDIR) and no process behind. Then the
# scripted checks that need signals, full disks or concurrency.
# Prints PASS/FAIL lines.
#   sh tests/hostile/run.sh TF [--update]   TF: the ternforge binary to test
# Environment: HT, the test_hardening binary (default: beside TF's build);
# HOSTILE_QUICK=1 (make test) skips the cases that run simulators;
# HOSTILE_NO_HEAVY=1 skips the Verilator and Yosys checks (to try the rest
# outside the heavy-job lock); SKIP, names of cases not to run (to try an older binary without letting
# it start a 100 TB sweep or read /dev/zero for ever); ONLY, the only
# cases to run (and no scripted checks).
set -u
TF=${1:?usage: run.sh TF [--update]}
UPDATE=0
[ "${2:-}" = --update ] && UPDATE=1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case $TF in /*) ;; *) TF=$TOP/$TF ;; esac
HT=${HT:-$(dirname "$TF")/tests/unit/test_hardening}
H=$TOP/tests/hostile
FILES=$H/files
W=$(mktemp -d "${TMPDIR:-/tmp}/ternforge-hostile.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export TF FILES HT TOP
# absolute: a case may set PATH (to hide or replace a tool)
SETSID=$(command -v setsid)
SH=$(command -v sh)
export TERNFORGE_CACHE="$W/cache"
# A small co-simulation for the cache cases (iverilog builds in a second).
SIMIV="sim ok.xml --simulator iverilog --vectors 1"
export SIMIV

ok() { echo "PASS hostile/$1"; }
no() { echo "FAIL hostile/$1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -20; }

# Names, types, sizes and link targets of everything under a folder.
snapshot() { (cd "$1" && find . -mindepth 1 ! -path ./io ! -path './io/*' -printf '%p %y %s %l\n' | sort); }

# One case: name, expected status, setup (sh, in the scratch folder),
# arguments (@FILE: copy FILE from files/ and pass its bare name), check
# (sh, must succeed afterwards; io/stdout holds the standard output).
run_case() {
    name=$1 want=$2 setup=$3 args=$4 check=$5
    d=$W/$name
    mkdir -p "$d/io" "$d/io/tmp"
    set --
    envs=""
    for a in $args; do
        case $a in
        @*) cp "$FILES/${a#@}" "$d/" && set -- "$@" "${a#@}" ;;
        [A-Z]*=*) [ $# = 0 ] && envs="$envs $a" || set -- "$@" "$a" ;;
        *) set -- "$@" "$a" ;;
        esac
    done
    if [ -n "$setup" ] && ! (cd "$d" && sh -c "$setup") > "$d/io/setup.log" 2>&1; then
        no "$name: setup failed" "$d/io/setup.log"
        return
    fi
    before=$(snapshot "$d")
    # A session of its own: anything it starts and leaves is found.
    (cd "$d" && TMPDIR="$d/io/tmp" timeout 120 env $envs "$SETSID" -w "$SH" -c \
        'echo $$ > io/sid; exec "$@"' sh "$TF" "$@" > io/stdout 2> io/stderr)
    rc=$?
    stray=$(pgrep -s "$(cat "$d/io/sid" 2>/dev/null || echo 0)" 2>/dev/null)
    # cache keys change with the RTL templates and the tool versions
    sed -e "s|$d|@W|g" -e 's/\(sim\|synth\)-[0-9a-f]\{16\}/\1-KEY/g' "$d/io/stderr" > "$d/io/stderr.n"
    [ $UPDATE = 1 ] && cp "$d/io/stderr.n" "$H/expected/$name.err"
    touch "$H/expected/$name.err"
    tmps=$(cd "$d" && find . \( -name '*.tmp-*' -o -name '*.tmp.[0-9]*' \) ! -path './io/*' | head -3)
    if [ "$rc" -ne "$want" ]; then
        no "$name: exit status $rc, expected $want" "$d/io/stderr"
    elif ! diff -u "$H/expected/$name.err" "$d/io/stderr.n" > "$d/io/diff"; then
        no "$name: error text differs" "$d/io/diff"
    elif [ -n "$(find "$d" -name PWNED)" ]; then
        no "$name: a command from the input ran (PWNED exists)"
    elif [ -n "$tmps" ]; then
        no "$name: temporaries left: $tmps"
    elif [ -n "$(ls -A "$d/io/tmp")" ]; then
        no "$name: files left in TMPDIR: $(ls -A "$d/io/tmp" | head -3)"
    elif [ -n "$stray" ]; then
        no "$name: processes left: $stray"
        kill $stray 2> /dev/null
    elif [ "$want" -ne 0 ] && [ "$before" != "$(snapshot "$d")" ]; then
        snapshot "$d" > "$d/io/after"
        echo "$before" | diff - "$d/io/after" > "$d/io/diff"
        no "$name: a failing run changed its folder" "$d/io/diff"
    elif [ -n "$check" ] && ! (cd "$d" && sh -c "$check") > "$d/io/check.log" 2>&1; then
        no "$name: check failed: $check" "$d/io/check.log"
    else
        ok "$name"
    fi
}

# The synthesis case needs the tools it checks for (make test runs without).
command -v yosys > /dev/null && command -v sta > /dev/null || SKIP="${SKIP:-} synth_liberty_newline"
grep -v '^#' "$H/cases.txt" | grep -v '^[[:space:]]*$' > "$W/cases"
while IFS='|' read -r name want setup args check; do
    name=$(echo $name)
    case " ${SKIP:-} " in *" $name "*) echo "SKIP hostile/$name"; continue ;; esac
    [ -n "${ONLY:-}" ] && case " $ONLY " in *" $name "*) ;; *) continue ;; esac
    # the cache cases run simulators (make check only)
    [ "${HOSTILE_QUICK:-0}" = 1 ] && case $name in cache_*) echo "SKIP hostile/$name"; continue ;; esac
    run_case "$name" "$(echo $want)" "$setup" "$args" "$check"
done < "$W/cases"

# ---- scripted checks ---------------------------------------------------------
[ -n "${ONLY:-}" ] && exit 0

# The unit-level checks: checksums, quoting, input limits, validate --plot.
if [ -x "$HT" ]; then
    if "$HT" 7 > "$W/ht.log" 2>&1 && grep -q '^test_hardening: ok$' "$W/ht.log"; then
        ok "test_hardening: checksum splits, tq, gp_str, read_input, validate --plot name"
    else
        no "test_hardening" "$W/ht.log"
    fi
else
    no "test_hardening: $HT not built"
fi

# A write error on standard output is an error, for every command.
s=$W/full
mkdir -p "$s"
cp "$FILES/ok.xml" "$FILES/sweep_ok.xml" "$s/"
printf '2 3\n1 0 -1\n0 1 1\n' > "$s/W.txt"
printf '3 1\n5\n-7\n2\n' > "$s/X.txt"
printf '2 1\n0.5\n-1.25\n' > "$s/reals.txt"
for c in "params" "--version" "--help" "help gen" "cost ok.xml" "inventory ok.xml" \
    "run ok.xml --weights W.txt --acts X.txt" "pack ok.xml --weights W.txt -o -" \
    "quantize --format ap_fixed<8,2> reals.txt" "sweep sweep_ok.xml -o swout --no-plots"; do
    (cd "$s" && $TF $c > /dev/full 2> "$s/err")
    rc=$?
    if [ $rc -eq 1 ] && grep -q "^ternforge: error: standard output: No space left on device$" "$s/err"; then
        ok "stdout to /dev/full: $c"
    else
        no "stdout to /dev/full: '$c' exit $rc" "$s/err"
    fi
done

# A full disk (a file size limit: writes fail with EFBIG) while gen writes
# its files: the reason is named and nothing is left.
s=$W/fsize
mkdir -p "$s"
cp "$TOP/examples/int8_large.xml" "$s/"
(cd "$s" && sh -c "trap '' XFSZ; ulimit -f 8; exec \"\$TF\" gen int8_large.xml -o out" > /dev/null 2> err)
rc=$?
if [ $rc -eq 1 ] && grep -q "^out/tf_top.v: error: write failed: File too large$" "$s/err" &&
    [ "$(ls -A "$s")" = "$(printf 'err\nint8_large.xml')" ]; then
    ok "gen on a full disk: says why, leaves nothing"
else
    no "gen on a full disk: exit $rc, left: $(ls -A "$s" | tr '\n' ' ')" "$s/err"
fi

# SIGTERM and SIGINT in the middle of a sweep writing points.csv: no
# folder, no temporary. (env restores SIGINT, which sh ignores in the
# background.)
for sig in TERM INT; do
    s=$W/sig$sig
    mkdir -p "$s/tmp"
    cp "$FILES/sweep_compare_limit.xml" "$s/big.xml"
    (cd "$s" && TMPDIR="$s/tmp" exec env --default-signal=INT "$TF" sweep big.xml -o out --no-plots \
        --max-points 100000000 > /dev/null 2>&1) &
    pid=$!
    i=0
    while [ $i -lt 100 ] && [ -z "$(find "$s" -name 'points.csv.tmp-*' -size +100k)" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    busy=$(find "$s" -name 'points.csv.tmp-*' | wc -l)
    kill -$sig $pid 2> /dev/null
    wait $pid 2> /dev/null
    rc=$?
    left=$(cd "$s" && ls -A | grep -v '^big.xml$' | grep -v '^tmp$'; ls -A "$s/tmp")
    if [ "$busy" = 1 ] && [ $rc -gt 128 ] && [ -z "$left" ]; then
        ok "SIG$sig during a sweep: exit $rc, nothing left"
    else
        no "SIG$sig during a sweep: writing $busy, exit $rc, left: $left"
    fi
done

# Two gen runs into one folder at once: the folder holds one whole design
# each time (files.f lists exactly the Verilog there, one act_type).
s=$W/race
mkdir -p "$s"
mixed=0
i=0
while [ $i -lt 10 ]; do
    (cd "$s" && "$TF" gen "$TOP/examples/int8_small.xml" -o out > /dev/null &
        "$TF" gen "$TOP/examples/fp16_small.xml" -o out > /dev/null; wait)
    got=$(cd "$s/out" && ls | grep '\.v$' | sort | tr '\n' ' ')
    want=$(sort "$s/out/files.f" | tr '\n' ' ')
    kinds=$(cat "$s"/out/*.v | grep -o 'act_type=[a-z0-9]*' | sort -u | wc -l)
    [ "$got" = "$want" ] && [ "$kinds" = 1 ] || mixed=$((mixed + 1))
    i=$((i + 1))
done
left=$(ls -A "$s" | grep -v '^out$')
if [ $mixed = 0 ] && [ -z "$left" ]; then
    ok "two gen runs into one folder at once, 10 times: one whole design each time"
else
    no "two gen runs into one folder: $mixed mixed, left: $left"
fi

# --set values with blanks and control characters (cases.txt cannot hold
# them): refused, blamed on the command line, shown escaped.
s=$W/sets
mkdir -p "$s"
cp "$FILES/ok.xml" "$s/"
tab=$(printf '\t')
cr=$(printf '\r')
nl='
'
bad=0
# value | the exact message
for c in "mu=${tab}3|command line: --set mu=\\t3: error: parameter 'mu': '\\t3' is not a decimal integer" \
    "mu= 3|command line: --set mu= 3: error: parameter 'mu': ' 3' is not a decimal integer" \
    "mu=3 |command line: --set mu=3 : error: parameter 'mu': '3 ' is not a decimal integer" \
    "mu=${nl}3|command line: --set mu=\\n3: error: parameter 'mu': '\\n3' is not a decimal integer" \
    "mu=3${nl}|command line: --set mu=3\\n: error: parameter 'mu': '3\\n' is not a decimal integer" \
    "act_type=int$cr|command line: --set act_type=int\\r: error: parameter 'act_type': 'int\\r' is not one of: int, fp16, bf16, fp8e4m3, fp8e5m2, mxint8, mxfp8e4m3, mxfp8e5m2, mxfp6e3m2, mxfp6e2m3, mxfp4, nvfp4"; do
    v=${c%%|*} want=${c#*|}
    (cd "$s" && "$TF" gen ok.xml --set "$v" -o out > /dev/null 2> err)
    rc=$?
    if [ $rc != 1 ] || [ "$(cat "$s/err")" != "$want" ] || [ -e "$s/out" ]; then
        no "--set '$v': exit $rc" "$s/err"
        bad=1
    fi
done
[ $bad = 0 ] && ok "--set values with a tab, a newline, a blank, a CR: refused, blamed on the command line"

# ---- caches and paths (make check only: they run simulators and Yosys) -------
[ "${HOSTILE_QUICK:-0}" = 1 ] && exit 0
cp "$FILES/ok.xml" "$W/ok.xml"

# Paths no make, shell or script may take as code: a cache and a TMPDIR
# with a blank, $(...), $, #, quotes and a newline. The build works, the
# second run finds the entry, no command ran.
s=$W/paths
odd="c a \$(touch PWNED) \$HOME #'\"${nl}x"
mkdir -p "$s/$odd/tmp"
for sim in iverilog verilator; do
    [ $sim = verilator ] && { [ -n "${HOSTILE_NO_HEAVY:-}" ] || ! command -v verilator > /dev/null; } && continue
    rm -f "$s/err"
    # The second run must use the first run's entry: its manifest is the
    # same file (the build time printed is no test: checking a cached
    # Verilator model takes a measurable time on a loaded machine).
    m1= m2=
    for run in 1 2; do
        (cd "$s" && TMPDIR="$s/$odd/tmp" TERNFORGE_CACHE="$s/$odd/cache" \
            "$TF" sim "$W/ok.xml" --simulator $sim --vectors 1 > out 2>> err)
        rc=$?
        [ $rc = 0 ] && grep -q '^8 passed, 0 failed$' "$s/out" || break
        m=$(find "$s/$odd/cache" -path '*/sim-*/manifest' -exec ls -i --full-time {} + | sort)
        [ $run = 1 ] && m1=$m || m2=$m
    done
    if [ $rc = 0 ] && [ -n "$m1" ] && [ "$m1" = "$m2" ] && ! [ -s "$s/err" ] &&
        [ -z "$(find "$W" -name PWNED)" ] && [ -z "$(ls -A "$s/$odd/tmp")" ]; then
        ok "a cache and TMPDIR with blanks, \$(...), #, quotes, a newline: $sim builds, caches, runs nothing"
    else
        no "paths with blanks, \$(...), ...: $sim exit $rc" "$s/err"
    fi
done

# A Verilator simulator replaced by a script that prints what a passing run
# prints is found by its checksum and rebuilt: the script never runs.
if [ -z "${HOSTILE_NO_HEAVY:-}" ] && command -v verilator > /dev/null; then
    s=$W/vsim
    mkdir -p "$s"
    (cd "$s" && TERNFORGE_CACHE=cache "$TF" sim "$W/ok.xml" --vectors 1 > /dev/null 2>&1)
    for f in "$s"/cache/sim-????????????????/Vsim; do
        printf '#!/bin/sh\ntouch "%s/PWNED"\necho "harness: 9 cycles"\n' "$s" > "$f"
    done
    (cd "$s" && TERNFORGE_CACHE=cache "$TF" sim "$W/ok.xml" --vectors 1 > out 2> err)
    rc=$?
    if [ $rc = 0 ] && grep -q '^8 passed, 0 failed$' "$s/out" && ! [ -e "$s/PWNED" ] &&
        grep -q 'warning: the cached simulator is damaged (Vsim is not as recorded); rebuilding it' "$s/err"; then
        ok "a Vsim replaced by a script: detected, rebuilt, never run"
    else
        no "a Vsim replaced by a script: exit $rc, PWNED: $(ls "$s/PWNED" 2> /dev/null)" "$s/err"
    fi

    # Verilator's runtime library is cached apart (vrt-KEY/vrt.a, sim/cosim.c):
    # a core built after it links the archive instead of compiling it; a
    # damaged archive is found by its checksum, warned about, not linked,
    # and replaced by the build that compiles the library again.
    vrt_run() { # WANT-LINKED: a fresh build of ok.xml with the cached runtime or without
        rm -rf "$s"/cache/sim-????????????????
        (cd "$s" && TERNFORGE_CACHE=cache "$TF" sim "$W/ok.xml" --vectors 1 -v > out 2> err)
        [ $? = 0 ] && grep -q '^8 passed, 0 failed$' "$s/out" || return 1
        if [ "$1" = yes ]; then grep -q 'LOADLIBES=\.\./vrt\.a' "$s/err"
        else ! grep -q 'LOADLIBES=' "$s/err"; fi
    }
    v=$(ls -d "$s"/cache/vrt-???????????????? 2> /dev/null)
    r1=no r2=no r3=no
    vrt_run yes && ! grep -q warning: "$s/err" && r1=ok
    [ -f "$v/vrt.a" ] && printf 'junk' | dd of="$v/vrt.a" bs=1 seek=100 conv=notrunc 2> /dev/null
    vrt_run no && grep -q "$(basename "$v"): warning: the cached Verilator runtime is damaged (vrt.a is not as recorded); rebuilding it" "$s/err" && r2=ok
    vrt_run yes && ! grep -q warning: "$s/err" && r3=ok
    if [ $r1$r2$r3 = okokok ]; then
        ok "Verilator's runtime: cached once and linked; a damaged archive is not linked and is rebuilt"
    else
        no "Verilator's runtime cache: linked $r1, damaged $r2, repaired $r3" "$s/err"
    fi
fi

# Synthesis with such a TMPDIR: Yosys pastes $TMPDIR into the shell command
# that starts ABC, so tools get TMPDIR=/tmp instead.
if [ -z "${HOSTILE_NO_HEAVY:-}" ] && command -v yosys > /dev/null; then
    s=$W/ypaths
    mkdir -p "$s/$odd/tmp"
    (cd "$s" && TMPDIR="$s/$odd/tmp" TERNFORGE_CACHE="$s/$odd/cache" \
        "$TF" synth "$W/ok.xml" --tech ice40 > out 2> err)
    rc=$?
    if [ $rc = 0 ] && grep -q '^luts ' "$s/out" && [ -z "$(find "$s" -name PWNED)" ] &&
        [ -z "$(ls -A "$s/$odd/tmp")" ]; then
        ok "synth with a TMPDIR and a cache holding \$(...), quotes, a newline: runs nothing"
    else
        no "synth with an odd TMPDIR: exit $rc, PWNED: $(find "$s" -name PWNED)" "$s/err"
    fi
fi

# SIGTERM while a simulator build runs (a slow fake build that starts a
# compiler of its own): the build's processes are killed, nothing is left
# in the cache but the lock file, nothing in TMPDIR.
s=$W/sigbuild
mkdir -p "$s/bin" "$s/tmp"
cp "$FILES/slow_iverilog" "$s/bin/iverilog"
(cd "$s" && TMPDIR="$s/tmp" PATH="$s/bin:$PATH" TERNFORGE_CACHE="$s/cache" exec "$SETSID" -w "$SH" -c \
    'echo $$ > sid; exec "$@"' sh "$TF" sim "$W/ok.xml" --simulator iverilog > /dev/null 2>&1) &
i=0
while [ $i -lt 100 ] && ! [ -e "$s/build.started" ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -TERM "$(cat "$s/sid")" 2> /dev/null
wait $!
rc=$?
sleep 0.3
stray=$(pgrep -s "$(cat "$s/sid")")
left=$(cd "$s/cache" 2> /dev/null && ls -A | grep -v '\.lock$'; ls -A "$s/tmp")
if [ -e "$s/build.started" ] && [ $rc = 143 ] && [ -z "$stray" ] && [ -z "$left" ]; then
    ok "SIGTERM during a simulator build: its processes killed, nothing left"
else
    no "SIGTERM during a simulator build: exit $rc, processes: $stray, left: $left"
    [ -n "$stray" ] && kill $stray 2> /dev/null
fi

# Three runs racing on one empty cache: all pass, one entry, no staging,
# build or old folder left.
s=$W/race-sim
mkdir -p "$s"
cp "$FILES/ok.xml" "$s/"
for i in 1 2 3; do
    (cd "$s" && TERNFORGE_CACHE=cache "$TF" $SIMIV > out$i 2> err$i; echo $? > rc$i) &
done
wait
fails=0
for i in 1 2 3; do
    [ "$(cat "$s/rc$i")" = 0 ] && grep -q '^8 passed, 0 failed$' "$s/out$i" && ! [ -s "$s/err$i" ] ||
        fails=$((fails + 1))
done
left=$(cd "$s/cache" && ls -A | grep -v '^sim-[0-9a-f]*\(\.lock\)\?$')
if [ $fails = 0 ] && [ "$(ls -d "$s"/cache/sim-????????????????/ | wc -l)" = 1 ] && [ -z "$left" ]; then
    ok "three sim runs racing on one cache key: all pass, one whole entry"
else
    no "three sim runs racing on one cache key: $fails failed, left: $left" "$s/err1"
fi
