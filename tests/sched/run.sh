#!/bin/sh
# run.sh - synthesis through a scheduler (sim/sched.c): the same validate
# table, byte for byte, whether the flows run here, under GNU parallel or as
# a Slurm array job, each time from an empty private cache.
#   1. local reference: validate on tests/sched/tiny.points (3 tiny cores);
#   2. --scheduler parallel: same table, same cache entries, work files
#      cleaned up; a second run submits nothing; --hosts with an ssh login
#      file naming this machine (':');
#   3. a failing job (a yosys that fails) is named with its log;
#   4. option errors: unknown scheduler, unreadable hosts file, options of
#      the wrong scheduler, parallel/sbatch not in PATH;
#   5. Slurm (root only, else a SKIP line): scripts/slurm-local.sh starts a
#      one-node cluster on 127.0.0.1 in a temporary directory, validate
#      --scheduler slurm gives the same table, `slurm-local.sh array` runs a
#      command as an array job; the daemons are stopped on exit (trap).
# Needs build/ternforge, yosys, sta, parallel; Slurm: slurm-wlm and munge.
# About 30 s. Prints PASS/FAIL/SKIP lines (tests/run.sh's count_lines
# format) and ends with "sched: N passed, M failed"; exits 0 only if M = 0.
# Environment: TF (tool binary).
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TF=${TF:-$TOP/build/ternforge}
POINTS=$TOP/tests/sched/tiny.points
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sched-test.XXXXXX") || exit 2
SLURM_DIR=
cleanup() {
    [ -n "$SLURM_DIR" ] && sh "$TOP/scripts/slurm-local.sh" stop "$SLURM_DIR" > /dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
export TMPDIR="$TMP" # kept synthesis work directories land here too
PASS=0
FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }
finish() { echo "sched: $PASS passed, $FAIL failed"; [ $FAIL -eq 0 ]; exit $?; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# validate NAME CACHE ARGS...: the tiny points from cache CACHE (a fresh
# directory under TMP); table to TMP/NAME.out, messages to TMP/NAME.err
validate() {
    n=$1; c=$2; shift 2
    TERNFORGE_CACHE=$TMP/$c "$TF" validate --tech osu018 --points "$POINTS" "$@" \
        > "$TMP/$n.out" 2> "$TMP/$n.err"
}
both() { cat "$TMP/$1.err" "$TMP/$1.out" > "$TMP/$1.all" 2> /dev/null; echo "$TMP/$1.all"; }
entries() { (cd "$TMP/$1" && ls synth-*.txt 2> /dev/null); }

[ -x "$TF" ] || { fail "missing $TF (make)"; finish; }
for t in yosys sta parallel; do
    command -v $t > /dev/null || { fail "$t is not in PATH (sh scripts/setup)"; finish; }
done

# ---------------------------------------------------- 1. local reference
t0=$(now)
if validate local cache-local && [ "$(entries cache-local | wc -l)" = 3 ]; then
    pass "local: validate on 3 tiny points from an empty cache ($(since "$t0") s)"
else
    fail "local: validate" "$(both local)"
    finish
fi

# -------------------------------------------------------- 2. GNU parallel
t0=$(now)
if validate par cache-par --scheduler parallel --jobs 2 &&
    grep -q "0 of 3 points in the cache; 3 to synthesize" "$TMP/par.err" &&
    cmp -s "$TMP/local.out" "$TMP/par.out" &&
    [ "$(entries cache-par)" = "$(entries cache-local)" ] &&
    ! ls -d "$TMP"/cache-par/sched-* > /dev/null 2>&1; then
    pass "parallel: same table byte for byte, same 3 cache entries, work files removed ($(since "$t0") s)"
else
    diff "$TMP/local.out" "$TMP/par.out" >> "$TMP/par.err" 2>&1
    fail "parallel: validate --scheduler parallel --jobs 2" "$(both par)"
fi
if validate par2 cache-par --scheduler parallel &&
    grep -q "3 of 3 points in the cache; 0 to synthesize" "$TMP/par2.err" &&
    cmp -s "$TMP/local.out" "$TMP/par2.out"; then
    pass "parallel: cached points are not submitted again"
else
    fail "parallel: second run" "$(both par2)"
fi
printf '# this machine, two jobs at once (GNU parallel --sshloginfile syntax)\n2/:\n' > "$TMP/hosts"
t0=$(now)
if validate hosts cache-hosts --scheduler parallel --hosts "$TMP/hosts" &&
    cmp -s "$TMP/local.out" "$TMP/hosts.out"; then
    pass "parallel --hosts FILE (':' = this machine): same table ($(since "$t0") s)"
else
    fail "parallel --hosts" "$(both hosts)"
fi

# ------------------------------------------------------ 3. a failing job
# A yosys that reports the real version (same cache key) and then fails.
mkdir -p "$TMP/badbin"
printf '#!/bin/sh\n[ "$1" = -V ] && exec %s -V\necho "yosys: failing on purpose" >&2\nexit 3\n' \
    "$(command -v yosys)" > "$TMP/badbin/yosys"
chmod +x "$TMP/badbin/yosys"
PATH=$TMP/badbin:$PATH validate bad cache-bad --scheduler parallel --jobs 1
rc=$?
log=$(sed -n 's/.*job 0 (s_tlut_m2) left no result in .*; log: \(.*\)$/\1/p' "$TMP/bad.err")
if [ $rc = 1 ] && [ -n "$log" ] && grep -q "failing on purpose" "$log" &&
    grep -q "the job files are kept in" "$TMP/bad.err" && [ ! -s "$TMP/bad.out" ]; then
    pass "parallel: a failing job is named with its log ($(basename "$log")), exit 1"
else
    fail "parallel: failing job (exit $rc)" "$(both bad)"
fi

# ------------------------------------------------------------ 4. errors
# experr NAME 'expected stderr' ARGS...: exit 1 and exactly that message
experr() {
    n=$1; e=$2; shift 2
    TERNFORGE_CACHE=$TMP/cache-err "$@" > "$TMP/$n.out" 2> "$TMP/$n.err"
    rc=$?
    printf '%s\n' "$e" > "$TMP/$n.exp"
    if [ $rc = 1 ] && diff -u "$TMP/$n.exp" "$TMP/$n.err" > "$TMP/$n.diff"; then
        pass "error/$n: $e"
    else
        echo "exit status $rc" >> "$TMP/$n.diff"
        fail "error/$n" "$TMP/$n.diff"
    fi
}
V="validate --tech osu018 --points $POINTS"
experr unknown "ternforge: error: option '--scheduler': 'pbs' is not local, parallel or slurm" \
    "$TF" $V --scheduler pbs
experr nohosts "ternforge: error: --hosts: cannot read '$TMP/nosuch': No such file or directory" \
    "$TF" $V --scheduler parallel --hosts "$TMP/nosuch"
experr hostsslurm "ternforge: error: option '--hosts' needs --scheduler parallel" \
    "$TF" $V --hosts "$TMP/hosts"
experr sbatchargs "ternforge: error: option '--sbatch-args' needs --scheduler slurm" \
    "$TF" calibrate --tech osu018 --scheduler parallel --sbatch-args "--partition=x"
experr jobs "ternforge: error: option '--jobs': '100' is not an integer in 1..64 (1..10000 with a --scheduler other than local)" \
    "$TF" $V --jobs 100
mkdir -p "$TMP/emptybin"
experr noparallel "ternforge: error: --scheduler parallel: cannot find 'parallel' in PATH (GNU parallel; Debian package parallel)" \
    env PATH="$TMP/emptybin" "$TF" $V --scheduler parallel
experr nosbatch "ternforge: error: --scheduler slurm: cannot find 'sbatch' in PATH (Slurm client commands; Debian package slurm-client)" \
    env PATH="$TMP/emptybin" "$TF" $V --scheduler slurm

# ---------------------------------------------------------------- 5. Slurm
if [ "$(id -u)" != 0 ]; then
    echo "SKIP slurm: starting a local Slurm cluster needs root"
    finish
fi
SLURM_DIR=$TMP/slurm
t0=$(now)
if sh scripts/slurm-local.sh start "$SLURM_DIR" > "$TMP/slurm-start.log" 2>&1; then
    pass "slurm: one-node cluster on 127.0.0.1 up ($(since "$t0") s): $(head -1 "$TMP/slurm-start.log" | sed 's/^slurm-local: //')"
    export SLURM_CONF="$SLURM_DIR/slurm.conf"
    t0=$(now)
    if validate slurm cache-slurm --scheduler slurm --jobs 2 --sbatch-args "--partition=local --time=10" &&
        grep -q "0 of 3 points in the cache; 3 to synthesize" "$TMP/slurm.err" &&
        cmp -s "$TMP/local.out" "$TMP/slurm.out" &&
        [ "$(entries cache-slurm)" = "$(entries cache-local)" ]; then
        pass "slurm: validate as an array job: same table byte for byte, same cache entries ($(since "$t0") s)"
    else
        diff "$TMP/local.out" "$TMP/slurm.out" >> "$TMP/slurm.err" 2>&1
        fail "slurm: validate --scheduler slurm" "$(both slurm)"
    fi
    t0=$(now)
    if sh scripts/slurm-local.sh array "$SLURM_DIR" 3 \
        sh -c 'echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT"' > "$TMP/array.log" 2>&1 &&
        [ "$(grep -c '^task [0-2] of 3$' "$TMP/array.log")" = 3 ]; then
        pass "slurm: slurm-local.sh array runs a command as 3 tasks ($(since "$t0") s)"
    else
        fail "slurm: slurm-local.sh array" "$TMP/array.log"
    fi
    if sh scripts/slurm-local.sh array "$SLURM_DIR" 2 sh -c 'exit $SLURM_ARRAY_TASK_ID' > "$TMP/array2.log" 2>&1; then
        fail "slurm: an array whose task 1 fails must fail" "$TMP/array2.log"
    else
        pass "slurm: slurm-local.sh array fails when a task fails"
    fi
else
    fail "slurm: scripts/slurm-local.sh start" "$TMP/slurm-start.log"
fi
sh scripts/slurm-local.sh stop "$SLURM_DIR" > "$TMP/slurm-stop.log" 2>&1
if sh scripts/slurm-local.sh status "$SLURM_DIR" 2>&1 | grep -c "not running" | grep -qx 3; then
    pass "slurm: the daemons it started are stopped ($(grep -c '^slurm-local: stopped' "$TMP/slurm-stop.log") of 3)"
    SLURM_DIR=
else
    fail "slurm: daemons still running after stop" "$TMP/slurm-stop.log"
fi
finish
