#!/bin/sh
# run.sh - the ternforge test suite. Ends with "N passed, N failed".
#   sh tests/run.sh                  everything (make check)
#   sh tests/run.sh --fast           no simulators or synthesis (make test)
#   sh tests/run.sh --only PATTERN   only the tests PATTERN selects (repeatable;
#                                    PATTERN may also be a comma-separated list)
#   sh tests/run.sh --list           print the test ids (with --fast, --only: of
#                                    those that would run); run nothing
#   sh tests/run.sh --update-golden  regenerate the expected outputs: bad/*.err,
#                                    bad/run/*.err, golden/, the parameter table
#                                    of docs/params.md, hostile/expected/*.err,
#                                    sweep/bad/*.err; runs only those tests
#                                    (narrow it further with --only)
# Every test has an id such as unit/test_cost, golden/int8_small or
# cosim/mu3_w5/verilator, printed after PASS or FAIL. PATTERN selects the
# tests whose id starts with it; shell wildcards (* ? [...]) are allowed, so
# '*/test_cost' selects unit/test_cost and sanitize/unit/test_cost. A script
# run as one unit (cost, sweep, synth, ...: --list says which) runs whole
# when PATTERN names it or anything inside it. docs/testing.md has more.
# Environment: TF (tool binary, default build/ternforge), SEED (random tests).
set -u
cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)
TF=${TF:-$TOP/build/ternforge}
SEED=${SEED:-20261123}
FAST=0
UPDATE=0
LIST=0
PATTERNS=""
# `make check ONLY=...` exports ONLY; tests/hostile/run.sh has an ONLY of
# its own, which the selection here must not set.
unset ONLY
usage() { sed -n '2,/^# Environment/s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
    case $1 in
    --fast) FAST=1 ;;
    --update-golden) UPDATE=1 ;;
    --list) LIST=1 ;;
    --only) [ $# -ge 2 ] || { echo "run.sh: --only needs a PATTERN" >&2; exit 2; }
            PATTERNS="$PATTERNS $(echo "$2" | tr ',' ' ')"; shift ;;
    --only=*) PATTERNS="$PATTERNS $(echo "${1#--only=}" | tr ',' ' ')" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
    esac
    shift
done
# Regenerating touches only the tests that own expected outputs.
[ $UPDATE = 1 ] && [ -z "$PATTERNS" ] && PATTERNS="bad golden docs hostile sweep"
export TERNFORGE_CACHE=${TERNFORGE_CACHE:-$TOP/build/sim-cache}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ternforge-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
PASS=0
FAIL=0
SKIP=0
pass() { PASS=$((PASS + 1)); echo "PASS $1"; }
FAILED=""
fail() {
    FAIL=$((FAIL + 1)); echo "FAIL $1"; FAILED="$FAILED    $1
"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40
}

# ------------------------------------------------------------ selection
# Patterns are matched by `case`, with globbing off while $PATTERNS is split.
# selects ID: does a pattern match the start of ID?
selects() {
    r=1
    set -f
    for p in $PATTERNS; do
        case $1 in $p*) r=0; break ;; esac
    done
    set +f
    return $r
}
# want ID: is the test ID selected? (--list: print it if so, and say no)
want() {
    [ -z "$PATTERNS" ] || selects "$1" || return 1
    [ $LIST = 1 ] && { echo "$1"; return 1; }
    return 0
}
# covers GROUP [exact]: might a pattern select GROUP or anything inside
# it? Yes if it matches GROUP's start, or matches GROUP component by
# component and goes on deeper. With `exact` (a script, whose ids are
# known only once it ran), those components must be spelled out: '*/x'
# does not run every script.
covers() {
    [ -z "$PATTERNS" ] && return 0
    selects "$1" && return 0
    r=1
    set -f
    for p in $PATTERNS; do
        g=$1
        while [ $r = 1 ]; do
            g1=${g%%/*} p1=${p%%/*}
            case $g1 in $p1) ;; *) break ;; esac
            [ -n "${2:-}" ] && [ "$g1" != "$p1" ] && break
            [ "$p1" = "$p" ] && break # the pattern ends at this component
            p=${p#*/}
            [ "$g1" = "$g" ] && r=0 # GROUP ends here, the pattern goes deeper
            g=${g#*/}
        done
    done
    set +f
    return $r
}
# section ID TITLE: print the title and say yes if the section runs
section() {
    covers "$1" || return 1
    [ $LIST = 1 ] || echo "== $2"
}
# script ID: is a test script that runs as one unit selected?
script() {
    covers "$1" exact || return 1
    [ $LIST = 1 ] && { echo "$1/...  (one script, runs whole)"; return 1; }
    return 0
}
# count_lines GROUP FILE: a script's PASS/FAIL/SKIP lines into the
# counters; ids get GROUP's path where they lack it ("gate/x" from the
# synth script becomes synth/gate/x, "sweep: ..." of sanitize/sweep becomes
# sanitize/sweep: ...)
count_lines() {
    base=${1##*/}
    while IFS= read -r line; do
        case $line in
        "PASS "*|"FAIL "*|"SKIP "*) status=${line%% *} rest=${line#* } ;;
        *) printf '%s\n' "$line"; continue ;; # details, summaries: as they are
        esac
        case $rest in
        "$1"/*|"$1":*|"$1"|"$1 "*) ;;
        "$base"/*|"$base":*|"$base"|"$base "*) rest="${1%"$base"}$rest" ;;
        *) rest="$1/$rest" ;;
        esac
        case $status in
        PASS) pass "$rest" ;;
        FAIL) fail "$rest" ;;
        SKIP) SKIP=$((SKIP + 1)); echo "SKIP $rest" ;;
        esac
    done < "$2"
}

# ---------------------------------------------------------------- unit tests
# Every tests/unit/test_*.c is a unit test (the Makefile builds the same
# list): it takes a seed and prints "NAME: ok" when every check passed.
UNIT_TESTS=$(for f in tests/unit/test_*.c; do basename "$f" .c; done)
unit_tests() { # build dir, id prefix
    for t in $UNIT_TESTS; do
        want "$2unit/$t" || continue
        log="$TMP/$1-$t"
        if [ ! -x "$TOP/$1/tests/unit/$t" ]; then
            fail "$2unit/$t: $1/tests/unit/$t is not built (make BUILD=$1 unit-tests)"
        elif "$TOP/$1/tests/unit/$t" "$SEED" > "$log.log" 2> "$log.err" &&
            grep -q "^$t: ok$" "$log.log"; then
            pass "$2unit/$t"
        else
            fail "$2unit/$t" "$log.log"
        fi
    done
}
section unit "unit tests (seed $SEED)" && unit_tests build ""

# -------------------------------------------------------- bad parameter files
bad_xml() { # $1 = tool binary, $2 = id prefix; checks exact stderr, exit 1, no output dir
    tool=$1
    for f in tests/bad/*.xml; do
        n=$(basename "$f" .xml)
        want "$2bad/$n" || continue
        out="$TMP/badout-$n"
        (cd tests/bad && "$tool" gen "$n.xml" -o "$out" > /dev/null 2> "$TMP/$n.err")
        rc=$?
        if [ $UPDATE = 1 ] && [ "$tool" = "$TF" ]; then cp "$TMP/$n.err" "tests/bad/$n.err"; fi
        if [ $rc -ne 1 ]; then
            fail "$2bad/$n: exit status $rc, expected 1" "$TMP/$n.err"
        elif [ -e "$out" ]; then
            fail "$2bad/$n: output directory was created"
        elif ! diff -u "tests/bad/$n.err" "$TMP/$n.err" > "$TMP/$n.diff"; then
            fail "$2bad/$n: error text differs" "$TMP/$n.diff"
        else
            pass "$2bad/$n"
        fi
    done
}
bad_run() { # $1 = tool binary, $2 = id prefix; prints PASS/FAIL lines
    tool=$1
    grep -v '^#' tests/bad/run/cases.txt | while IFS='|' read -r n args; do
        n=$(echo $n)
        [ -z "$n" ] && continue
        want "$2bad/run/$n" || continue
        out="$TMP/out-$n"
        a=$(echo $args | sed "s|OUT|$out|")
        (cd tests/bad/run && $tool $a > /dev/null 2> "$TMP/$n.err")
        rc=$?
        if [ $UPDATE = 1 ] && [ "$tool" = "$TF" ]; then cp "$TMP/$n.err" "tests/bad/run/$n.err"; fi
        if [ $rc -ne 1 ]; then
            echo "FAIL $2bad/run/$n: exit status $rc, expected 1"
        elif [ -e "$out" ]; then
            echo "FAIL $2bad/run/$n: output file was created"
        elif ! diff -u "tests/bad/run/$n.err" "$TMP/$n.err" > "$TMP/$n.diff"; then
            echo "FAIL $2bad/run/$n: error text differs"; sed 's/^/    /' "$TMP/$n.diff"
        else
            echo "PASS $2bad/run/$n"
        fi
    done
}
if section bad "bad parameter files, bad run/pack inputs"; then
    bad_xml "$TF" ""
    bad_run "$TF" "" > "$TMP/badrun.log"; count_lines bad "$TMP/badrun.log"
fi

# -------------------------------------------------- golden RTL, determinism
if section golden "golden RTL"; then
    for d in tests/golden/*/; do
        n=$(basename "$d")
        want "golden/$n" || continue
        "$TF" gen "$d/params.xml" -o "$TMP/golden-$n" > /dev/null 2>&1 || { fail "golden/$n: gen failed"; continue; }
        # params.xml: the input here; gen's own (resolved) one is checked by
        # integ/roundtrip
        if [ $UPDATE = 1 ]; then
            find "$d" -type f ! -name params.xml -delete
            (cd "$TMP/golden-$n" && find . -type f ! -name params.xml -exec cp {} "$TOP/$d" \;)
        fi
        mkdir -p "$TMP/gref-$n"
        cp "$d"/* "$TMP/gref-$n/"
        if diff -r -x params.xml "$TMP/gref-$n" "$TMP/golden-$n" > "$TMP/golden-$n.diff"; then
            pass "golden/$n"
        else
            fail "golden/$n: generated RTL differs (tests/run.sh --update-golden --only golden/$n if intended)" "$TMP/golden-$n.diff"
        fi
    done
    if want golden/deterministic; then
        "$TF" gen examples/int8_small.xml -o "$TMP/det1" > /dev/null &&
            "$TF" gen examples/int8_small.xml -o "$TMP/det2" > /dev/null &&
            diff -r "$TMP/det1" "$TMP/det2" > /dev/null && pass "golden/deterministic: gen is deterministic" ||
            fail "golden/deterministic: gen is deterministic"
    fi
fi

# ------------------------------------------- docs generated from the code
# The parameter table of docs/params.md is `ternforge params` verbatim,
# between two marker comments; --update-golden rewrites it.
if section docs "documentation that is the tool's own output"; then
    if want docs/params; then
        md=docs/params.md
        "$TF" params > "$TMP/params.txt" 2>&1
        awk '/^<!-- end of ternforge params -->$/ { f = 0 } f && !/^```$/ { print }
             /^<!-- ternforge params:/ { f = 1 }' "$md" > "$TMP/params.md.txt"
        if [ $UPDATE = 1 ] && grep -q '^<!-- end of ternforge params -->$' "$md"; then
            awk -v gen="$TMP/params.txt" '
                /^<!-- end of ternforge params -->$/ {
                    print "```"; while ((getline l < gen) > 0) print l; print "```"; f = 0 }
                !f { print }
                /^<!-- ternforge params:/ { f = 1 }' "$md" > "$TMP/params.md" &&
                cp "$TMP/params.md" "$md"
            cp "$TMP/params.txt" "$TMP/params.md.txt"
        fi
        if [ ! -s "$TMP/params.md.txt" ]; then
            fail "docs/params: no table between the ternforge params markers in $md"
        elif diff -u "$TMP/params.md.txt" "$TMP/params.txt" > "$TMP/params.diff"; then
            pass "docs/params: the table in $md is 'ternforge params'"
        else
            fail "docs/params: $md differs from 'ternforge params' (tests/run.sh --update-golden --only docs/params)" "$TMP/params.diff"
        fi
    fi
fi

# ------------------------------------------------------------ CLI, C model
if section cli "command line: help, examples, option tables and their docs, '--'"; then
    if want cli/help; then
        "$TF" --help > "$TMP/help" && grep -q "^  sim" "$TMP/help" && pass "cli/help: --help lists commands" || fail "cli/help: --help"
    fi
    for c in gen pack run sim params inventory; do
        want "cli/help-$c" || continue
        "$TF" help $c > "$TMP/h" && grep -q "^usage: ternforge $c" "$TMP/h" && pass "cli/help-$c" || fail "cli/help-$c"
    done
    if want cli/params; then
        "$TF" params > "$TMP/params" && for p in kind mu luts keys act_type act_width acc_width; do
            grep -q "^$p " "$TMP/params" || echo missing $p; done > "$TMP/pm" && [ ! -s "$TMP/pm" ] &&
            pass "cli/params: lists every parameter" || fail "cli/params" "$TMP/pm"
    fi
    if want cli/run; then
        "$TF" run examples/int8_small.xml --weights examples/data/W_10x9.txt --acts examples/data/X_9x2.txt \
            -o "$TMP/Y.txt" && diff examples/data/Y_10x2.txt "$TMP/Y.txt" > "$TMP/y.diff" &&
            pass "cli/run: --engine model matches the hand-checked example" || fail "cli/run: example" "$TMP/y.diff"
    fi
    if want cli/run-mx; then
        # docs/block-scaled.md works this example out by hand
        "$TF" run examples/fp16_small.xml --set act_type=mxfp4 --set acc_type=fp32 \
            --weights examples/data/mx_W_2x5.txt --acts examples/data/mx_X_5x2.txt \
            --scales examples/data/mx_S_1x2.txt -o "$TMP/Ymx.txt" &&
            diff examples/data/mx_Y_2x2.txt "$TMP/Ymx.txt" > "$TMP/ymx.diff" &&
            pass "cli/run-mx: mxfp4 with --scales matches the hand-checked example" ||
            fail "cli/run-mx: example" "$TMP/ymx.diff"
    fi
    if want cli/pack; then
        "$TF" pack examples/int8_small.xml --weights examples/data/W_10x9.txt -o "$TMP/W.hex" &&
            diff examples/data/W_10x9.hex "$TMP/W.hex" > "$TMP/w.diff" &&
            pass "cli/pack: matches the documented example" || fail "cli/pack: example" "$TMP/w.diff"
    fi
    if want cli/inventory; then
        "$TF" inventory examples/int8_large.xml > /dev/null 2> "$TMP/inv.err" &&
            pass "cli/inventory: of the large example" || fail "cli/inventory" "$TMP/inv.err"
    fi
    # the option tables (cli/opt.h): help, README.md, docs/cli.md; "--"
    if script cli/docs; then
        sh tests/cli/docs.sh "$TF" > "$TMP/clidocs.log" 2>&1; count_lines cli/docs "$TMP/clidocs.log"
    fi
    if script cli/args; then
        sh tests/cli/args.sh "$TF" > "$TMP/cliargs.log" 2>&1; count_lines cli/args "$TMP/cliargs.log"
    fi
fi

mrun() { # name, expected Y file, then run's arguments (Y goes to a file of the same extension)
    n=$1; e=$2; shift 2
    want "matrix/$n" || return 0
    y="$TMP/m-$n.${e##*.}"
    if "$TF" run "$@" -o "$y" 2> "$TMP/m-$n.err" && cmp -s "$e" "$y"; then
        pass "matrix/$n"
    else
        [ -f "$y" ] && cmp "$e" "$y" >> "$TMP/m-$n.err" 2>&1
        fail "matrix/$n" "$TMP/m-$n.err"
    fi
}
if section matrix "matrix files: .npy and numpy.savetxt files written by NumPy (tests/matrix/make.py), standard input"; then
    M=tests/matrix I8=examples/int8_small.xml F16=examples/fp16_small.xml
    mrun npy examples/data/Y_10x2.txt $I8 --weights $M/W_10x9.npy --acts $M/X_9x2.npy
    mrun npy_fortran examples/data/Y_10x2.txt $I8 --weights $M/W_10x9_fortran.npy --acts $M/X_9x2.npy
    mrun savetxt examples/data/Y_10x2.txt $I8 --weights examples/data/W_10x9.txt --acts $M/X_9x2_savetxt.txt
    mrun y_npy $M/Y_10x2.npy $I8 --weights examples/data/W_10x9.txt --acts examples/data/X_9x2.txt
    mrun column_1d $M/Y_10x1.npy $I8 --weights $M/W_10x9.npy --acts $M/X_9_1d.npy
    mrun column_savetxt $M/Y_10x1.npy $I8 --weights $M/W_10x9.npy --acts $M/X_9_savetxt.txt
    mrun fp_f64 $M/Yfp_7x3.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f64.npy
    mrun fp_f32 $M/Yfp_7x3_f32.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f32.npy
    mrun fp_f16 $M/Yfp_7x3_f16.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f16.npy
    mrun fp_u16 $M/Yfp_7x3_f16.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_u16.npy
    mrun fp_y_npy $M/Yfp_7x3.npy $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3.txt
    mrun stdin_txt examples/data/Y_10x2.txt $I8 --weights - --acts examples/data/X_9x2.txt < examples/data/W_10x9.txt
    mrun stdin_npy examples/data/Y_10x2.txt $I8 --weights $M/W_10x9.npy --acts - < $M/X_9x2.npy
    # Nothing is sized from a file's claim: under a 200 MB address-space limit, a
    # 13-byte text file and a 138-byte .npy that claim 2^28 values fail with their
    # own located messages, not "out of memory".
    for f in txt_huge_claim.txt npy_huge_claim.npy; do
        want "matrix/memory-limit/$f" || continue
        (ulimit -v 200000 && cd tests/bad/run && "$TF" run ../../../$I8 --weights $f --acts X.txt) \
            > /dev/null 2> "$TMP/lim-$f.err"
        diff "tests/bad/run/${f%.*}.err" "$TMP/lim-$f.err" > "$TMP/lim-$f.diff" &&
            pass "matrix/memory-limit/$f" || fail "matrix/memory-limit/$f" "$TMP/lim-$f.diff"
    done
    if want matrix/stdin_twice; then
        echo "ternforge: error: standard input ('-') can give only one matrix" > "$TMP/stdin2.exp"
        "$TF" run $I8 --weights - --acts - -o "$TMP/stdin2.out" < examples/data/W_10x9.txt 2> "$TMP/stdin2.err"
        [ $? = 1 ] && [ ! -e "$TMP/stdin2.out" ] && diff "$TMP/stdin2.exp" "$TMP/stdin2.err" > "$TMP/stdin2.diff" &&
            pass "matrix/stdin_twice" || fail "matrix/stdin_twice" "$TMP/stdin2.diff"
    fi
fi

q() { # name, expected file, arguments...
    n=$1; e=$2; shift 2
    want "quantize/$n" || return 0
    if "$TF" quantize "$@" > "$TMP/q-$n.out" 2>&1 && diff -u "tests/quantize/$e" "$TMP/q-$n.out" > "$TMP/q-$n.diff"; then
        pass "quantize/$n"
    else
        fail "quantize/$n" "$TMP/q-$n.diff"
    fi
}
if section quantize "quantize (hand-checked, tests/quantize/README.md)"; then
    q trn_wrap trn_wrap.expected --format 'ap_fixed<8,2>' tests/quantize/reals.txt
    q rnd_sat rnd_sat.expected --format 'ap_fixed<8,2>' --quant rnd --overflow sat tests/quantize/reals.txt
    q conv_sat conv_sat.expected --format 'ap_fixed<8,2>' --quant rnd_conv --overflow sat tests/quantize/reals.txt
    q reverse reverse.expected --format 'ap_fixed<8,2>' --reverse tests/quantize/trn_wrap.expected
    q operand_x trn_wrap.expected examples/fixp_small.xml --operand x --set x_int=2 tests/quantize/reals.txt
    q fp16 fp16.expected --format fp16 tests/quantize/fp16_reals.txt
    for f in mxfp4:mx_reals mxint8:mxint8_reals nvfp4:nvfp4_reals; do
        fm=${f%%:*}
        q $fm $fm.expected --format $fm tests/quantize/${f#*:}.txt --scales "$TMP/$fm-s.txt"
        if want quantize/$fm-scales; then
            diff -u tests/quantize/${fm}_scales.expected "$TMP/$fm-s.txt" > "$TMP/$fm-s.diff" &&
                pass "quantize/$fm-scales" || fail "quantize/$fm-scales" "$TMP/$fm-s.diff"
        fi
    done
    for fm in mxfp4 nvfp4; do
        q ${fm}_rev ${fm}_rev.expected --format $fm --reverse tests/quantize/$fm.expected \
            --scales tests/quantize/${fm}_scales.expected
    done
fi

# Hostile inputs and outputs (docs/security.md): tests/hostile/run.sh is
# self-contained; --update-golden passes it --update (expected/*.err).
if section hostile "hostile inputs and outputs (tests/hostile)" && script hostile; then
    h_update=""; [ $UPDATE = 1 ] && h_update=--update
    HOSTILE_QUICK=$FAST sh tests/hostile/run.sh "$TF" $h_update > "$TMP/hostile.log" 2>&1; count_lines hostile "$TMP/hostile.log"
fi

# The integration files of gen (docs/integration.md): the fast half here,
# the half that runs the tools after the lint section.
if section integfiles "integration files: params.xml round trip, manifest vs the Verilog, .core, C header" &&
    script integfiles; then
    sh tests/integfiles/run.sh "$TF" fast > "$TMP/integf.log" 2>&1; count_lines integfiles "$TMP/integf.log"
fi

# scripts/measured-points.py (docs/studies.md, "Measured points") on a
# small tree of its own: which sweep points are measured, the nearest.
if section measured "which study points are measured: scripts/measured-points.py" && script measured; then
    sh tests/studies/measured.sh "$TF" > "$TMP/measured.log" 2>&1; count_lines measured "$TMP/measured.log"
fi

# memories.json against the macro instances parsed from the emitted Verilog
# (not from the generator's data): every <prefix>_sram_1r1w in the top, and
# the one inside each <prefix>_sram_fifo, with its DEPTH and WIDTH; the OpenRAM shape and
# read latency of each entry; and none below SRAM_MIN_WORDS (16).
mem_prefix() { # gen dir: the prefix of its top (<prefix>_top.v)
    for t in "$1"/*_top.v; do basename "$t" _top.v; done
}
mem_instances() { # gen dir: "instance depth width" per macro, from the Verilog
    p=$(mem_prefix "$1")
    # The top gives sizes as localparams (NAME = N) and uses them, also as
    # NAME + 1: resolve both from the top's own text.
    fifo_mem=0
    grep -q "^ *${p}_sram_1r1w #(.DEPTH(DEPTH), .WIDTH(WIDTH)) u_mem (" "$1/${p}_sram_fifo.v" 2> /dev/null && fifo_mem=1
    awk -v p="$p" -v fifo_mem=$fifo_mem '
        function val(e,   n) { gsub(/ /, "", e); n = split(e, t, "+")
            return (t[1] ~ /^[0-9]+$/ ? t[1] : lp[t[1]]) + (n > 1 ? t[2] : 0) }
        /^ *localparam [A-Z_]+ *= *[0-9]+;/ { x = $0; sub(/^ *localparam /, "", x); split(x, kv, /[ =;]+/); lp[kv[1]] = kv[2] }
        $0 ~ "^ *" p "_sram_1r1w #\\(" && match($0, /\.DEPTH\([^)]*\), \.WIDTH\([^)]*\)\) u_[a-z_]+/) {
            x = substr($0, RSTART, RLENGTH); split(x, f, /[()]/); inst = x; sub(/.* /, "", inst)
            print p "_top." inst, val(f[2]), val(f[4]) }
        fifo_mem && $0 ~ "^ *" p "_sram_fifo #\\(" && match($0, /\.WIDTH\([^)]*\), \.DEPTH\([^)]*\),.*\) u_[a-z_]+/) {
            x = substr($0, RSTART, RLENGTH); split(x, f, /[()]/); inst = x; sub(/.* /, "", inst)
            print p "_top." inst ".u_mem", val(f[4]), val(f[2]) }
    ' "$1/${p}_top.v"
}
mem_listed() { # memories.json: "instance depth width" per entry whose details hold
    jq -r --arg m "$(mem_prefix "$1")_sram_1r1w" '.memories[] | select(.module == $m and .read_latency == 1
        and (.ports | map(.kind) | sort) == ["read", "write"]
        and .openram.word_size == .width and .openram.num_words == .depth
        and .depth >= 16) | "\(.instance) \(.depth) \(.width)"' "$1/memories.json"
}
if section memories "memories.json against the emitted macro instances"; then
    { grep -v '^#' tests/points.txt | grep 'mem_style=sram' | while IFS='|' read -r n base sets sims; do
        echo "$(echo $n) $(echo $base) $sets"
    done
      echo "sram_below int8_small mu=3 luts=2 keys=4 max_cols=90 out_depth=15 mem_style=sram"
      echo "flops int8_small max_cols=200 out_depth=16"
      echo "sram_prefix int8_small mu=3 luts=2 keys=4 max_cols=120 out_depth=16 mem_style=sram prefix=mq_2"
    } > "$TMP/mempoints"
    while read -r n base sets; do
        want "memories/$n" || continue
        args=""; for s in $sets; do args="$args --set $s"; done
        d="$TMP/mem-$n"
        "$TF" gen "examples/$base.xml" $args -o "$d" > /dev/null 2> "$TMP/mem-$n.err" || { fail "memories/$n: gen" "$TMP/mem-$n.err"; continue; }
        mem_instances "$d" | sort > "$TMP/mem-$n.v.txt"
        mem_listed "$d" 2> "$TMP/mem-$n.err" | sort > "$TMP/mem-$n.json.txt"
        total=$(jq '.memories | length' "$d/memories.json" 2>> "$TMP/mem-$n.err")
        want_n=2; case $n in sram_below|flops) want_n=0 ;; sram_tsign|sram_fifo1) want_n=1 ;; esac
        if [ "$total" != "$(wc -l < "$TMP/mem-$n.json.txt" | tr -d ' ')" ]; then
            fail "memories/$n: an entry of memories.json lacks its shape, ports or latency" "$d/memories.json"
        elif ! diff "$TMP/mem-$n.v.txt" "$TMP/mem-$n.json.txt" > "$TMP/mem-$n.diff"; then
            fail "memories/$n: memories.json differs from the Verilog's instances (<)" "$TMP/mem-$n.diff"
        elif [ "$total" != "$want_n" ]; then
            fail "memories/$n: $total macros, expected $want_n" "$TMP/mem-$n.v.txt"
        else
            pass "memories/$n: $total macros, as instantiated"
        fi
    done < "$TMP/mempoints"
fi

# --------------------------------------------- published designs (fast)
# examples/published/: each file is a valid design point that gen accepts,
# and its comment names its source and what could not be mapped.
if section published "published designs (examples/published): gen, source comment"; then
    for f in examples/published/*.xml; do
        b=$(basename "$f" .xml)
        want "published/gen/$b" || continue
        if ! "$TF" gen "$f" -o "$TMP/pub-$b" > /dev/null 2> "$TMP/pub-$b.err"; then
            fail "published/gen/$b" "$TMP/pub-$b.err"
        elif ! grep -q "Not mapped" "$f" || ! grep -q "Our parameters" "$f"; then
            fail "published/gen/$b: the comment must give 'Our parameters' and 'Not mapped'"
        else
            pass "published/gen/$b"
        fi
    done
fi

finish() {
    [ $LIST = 1 ] && exit 0
    if [ -n "$PATTERNS" ] && [ $((PASS + FAIL + SKIP)) -eq 0 ]; then
        echo "run.sh: no test matches --only$PATTERNS${1:+ $1} (tests/run.sh --list shows them)" >&2
        exit 2
    fi
    # A long run's log is often read by its tail only (CI keeps the head
    # and the tail): the failed tests once more, last.
    [ $FAIL -eq 0 ] || printf 'failed:\n%s' "$FAILED"
    echo "$PASS passed, $FAIL failed"
    [ $FAIL -eq 0 ]; exit $?
}
[ $FAST = 1 ] && finish "in the fast suite"

# ------------------------------------------------------------------- lint
lint_point() { # name, base, then --set args
    n=$1; base=$2; shift 2
    d="$TMP/lint-$n"
    want "lint/$n/verilator" && lv=1 || lv=0
    want "lint/$n/iverilog" && li=1 || li=0
    [ $lv = 0 ] && [ $li = 0 ] && return
    "$TF" gen "examples/$base.xml" "$@" -o "$d" > /dev/null 2> "$TMP/lint-$n.gen" || { fail "lint/$n: gen" "$TMP/lint-$n.gen"; return; }
    top=$(head -1 "$d/files.f"); top=${top%.v}  # <prefix>_top.v comes first
    if [ $lv = 1 ]; then
        if (cd "$d" && verilator --lint-only -Wall --top-module "$top" -F files.f) > "$TMP/lint-$n.log" 2>&1; then
            pass "lint/$n/verilator"
        else
            fail "lint/$n/verilator" "$TMP/lint-$n.log"
        fi
    fi
    if [ $li = 1 ]; then
        if (cd "$d" && iverilog -g2005 -Wall -o /dev/null -s "$top" -c files.f) > "$TMP/ivl-$n.log" 2>&1 &&
            ! grep -q . "$TMP/ivl-$n.log"; then
            pass "lint/$n/iverilog"
        else
            fail "lint/$n/iverilog" "$TMP/ivl-$n.log"
        fi
    fi
}
if section lint "lint: verilator --lint-only -Wall and iverilog on every emitted file"; then
    for f in rtl-templates/*.v; do
        want "lint/template/$(basename $f)" || continue
        verilator --lint-only -Wall -y rtl-templates "$f" > "$TMP/t.log" 2>&1 && pass "lint/template/$(basename $f)" || fail "lint/template/$(basename $f)" "$TMP/t.log"
    done
    grep -v '^#' tests/points.txt | while IFS='|' read -r n base sets sims; do
        n=$(echo $n); [ -z "$n" ] && continue
        args=""; for s in $sets; do args="$args --set $s"; done
        echo "$n $(echo $base)$args"
    done > "$TMP/pointargs"
    while read -r n base args; do lint_point "$n" "$base" $args; done < "$TMP/pointargs"
    lint_point mu7 int8_small --set mu=7 --set luts=1 --set keys=2 --set max_cols=20
    lint_point mu8 int8_small --set mu=8 --set luts=1 --set keys=1 --set max_cols=10 --set act_width=4
    lint_point big int8_small --set mu=4 --set luts=8 --set keys=16 --set tree_stages=4 --set acc_width=12
    for f in examples/published/*.xml; do lint_point "published-$(basename "$f" .xml)" "published/$(basename "$f" .xml)"; done
fi

if section integfiles-tools "integration files with the tools: file lists, template, SDC in OpenSTA" &&
    script integfiles-tools; then
    sh tests/integfiles/run.sh "$TF" tools > "$TMP/integft.log" 2>&1; count_lines integfiles-tools "$TMP/integft.log"
fi

# ------------------------------------------------- the SRAM result FIFO
# tests/sram/fifo_tb.v: tf_sram_fifo against a queue under random pushes
# and pops (iverilog), at awkward shapes; then two mutants that must fail
# it: a FIFO that never takes a word from its macro, and one that reads the
# macro only when its rdata is empty (half rate while draining).
fifo_tb() { # out, fifo file, width, depth, ptr bits, seed
    iverilog -g2005 -Wall -o "$TMP/ftb" -Pfifo_tb.WIDTH=$3 -Pfifo_tb.DEPTH=$4 \
        -Pfifo_tb.PTR_BITS=$5 -Pfifo_tb.SEED=$6 tests/sram/fifo_tb.v "$2" \
        rtl-templates/tf_sram_1r1w.v > "$1" 2>&1 && vvp -n "$TMP/ftb" >> "$1" 2>&1
}
if section sram "the SRAM result FIFO against a queue (tests/sram/fifo_tb.v)"; then
    for shape in "13 16 4" "1 17 5" "61 21 5" "40 64 6"; do
        set -- $shape
        want "sram/fifo/w$1_d$2" || continue
        if fifo_tb "$TMP/ftb-$1-$2.log" rtl-templates/tf_sram_fifo.v $1 $2 $3 "$SEED" &&
            grep -q "^fifo_tb: ok$" "$TMP/ftb-$1-$2.log"; then
            pass "sram/fifo/w$1_d$2: $(grep pops "$TMP/ftb-$1-$2.log" | sed 's/^fifo_tb: //')"
        else
            fail "sram/fifo/w$1_d$2" "$TMP/ftb-$1-$2.log"
        fi
    done
    for m in "never_reads|s/q <= rv ? rdata : din;/q <= din;/" "half_rate|s/wire r_free = !rv || q_free;/wire r_free = !rv;/"; do
        n=${m%%|*}
        want "sram/mutation/$n" || continue
        sed "${m#*|}" rtl-templates/tf_sram_fifo.v > "$TMP/mut-$n.v"
        if cmp -s "$TMP/mut-$n.v" rtl-templates/tf_sram_fifo.v; then
            fail "sram/mutation/$n: the mutant is identical to the original"
        elif fifo_tb "$TMP/mut-$n.log" "$TMP/mut-$n.v" 13 17 5 "$SEED" || true; grep -q "^fifo_tb: ok$" "$TMP/mut-$n.log"; then
            fail "sram/mutation/$n: the mutant passed" "$TMP/mut-$n.log"
        else
            pass "sram/mutation/$n: caught ($(grep pops "$TMP/mut-$n.log" | sed 's/^fifo_tb: //'))"
        fi
    done
fi

# ------------------------------------------------------- co-simulation
if section cosim "co-simulation against the C model"; then
    grep -v '^#' tests/points.txt | while IFS='|' read -r n base sets sims; do
        n=$(echo $n); [ -z "$n" ] && continue
        args=""; for s in $sets; do args="$args --set $s"; done
        echo "$n $(echo $base) $(echo $sims) $args"
    done > "$TMP/cosim"
    i=0
    while read -r n base sims args; do
        i=$((i + 1))
        stall=$(( (i % 3) * 20 ))  # 0, 20, 40 % random stalls, alternating by point
        for s in $(echo "$sims" | sed 's/./& /g'); do
            sim=verilator; [ "$s" = i ] && sim=iverilog
            want "cosim/$n/$sim" || continue
            if "$TF" sim "examples/$base.xml" $args --simulator $sim --seed "$SEED" --stall $stall \
                --vectors 12 > "$TMP/sim-$n-$s.log" 2>&1 && grep -q "^[0-9]* passed, 0 failed$" "$TMP/sim-$n-$s.log"; then
                pass "cosim/$n/$sim (stall $stall%): $(tail -1 "$TMP/sim-$n-$s.log")"
            else
                fail "cosim/$n/$sim (stall $stall%)" "$TMP/sim-$n-$s.log"
            fi
        done
    done < "$TMP/cosim"
    for ex in int8_small int8_large tsign_small tmul_small fixp_small; do
        want "cosim/example/$ex" || continue
        "$TF" sim "examples/$ex.xml" --vectors 4 --seed "$SEED" > "$TMP/ex.log" 2>&1 && grep -q " passed, 0 failed$" "$TMP/ex.log" &&
            pass "cosim/example/$ex: $(tail -1 "$TMP/ex.log")" || fail "cosim/example/$ex" "$TMP/ex.log"
    done
    # the published designs small enough for CI, each on its faster
    # simulator; make cosim-published runs every one of them (minutes each)
    for p in dse_int8:verilator dse_fp16:verilator ltc_int8:iverilog ltc_fp16:iverilog; do
        ex=${p%:*} sim=${p#*:}
        want "cosim/published/$ex" || continue
        "$TF" sim "examples/published/$ex.xml" --simulator $sim --vectors 2 --seed "$SEED" > "$TMP/pub.log" 2>&1 &&
            grep -q " passed, 0 failed$" "$TMP/pub.log" &&
            pass "cosim/published/$ex ($sim): $(tail -1 "$TMP/pub.log")" || fail "cosim/published/$ex" "$TMP/pub.log"
    done
    # an FP core with many tables verilates them as one hierarchical block
    # (gen/tlut.c, sim/cosim.c): the mark only where it pays, the build
    # hierarchical, the result the model's (fresh cache: a cached
    # simulator would not show how it was built)
    if want cosim/hier-block; then
        hp="--set mu=4 --set luts=4 --set keys=2 --set fp_latency=1 --set max_rows=16 --set max_cols=20"
        rm -rf "$TMP/hier" "$TMP/flat" "$TMP/hcache"
        mkdir "$TMP/hcache" && cp -R "$TERNFORGE_CACHE"/vrt-* "$TMP/hcache/" 2> /dev/null
        if "$TF" gen examples/fp16_small.xml $hp -o "$TMP/hier" > /dev/null 2>&1 &&
            grep -q 'verilator hier_block' "$TMP/hier/tf_tlut_lut.v" &&
            "$TF" gen examples/fp16_small.xml -o "$TMP/flat" > /dev/null 2>&1 &&
            ! grep -q 'hier_block' "$TMP/flat/tf_tlut_lut.v" &&
            TERNFORGE_CACHE="$TMP/hcache" "$TF" sim examples/fp16_small.xml $hp --seed "$SEED" \
                --stall 30 --vectors 4 -v > "$TMP/hier.log" 2>&1 &&
            grep -q -- ' --hierarchical ' "$TMP/hier.log" &&
            grep -q "^[0-9]* passed, 0 failed$" "$TMP/hier.log"; then
            pass "cosim/hier-block: $(tail -1 "$TMP/hier.log")"
        else
            fail "cosim/hier-block" "$TMP/hier.log"
        fi
        rm -rf "$TMP/hcache"
    fi
    # the model's C++ compiler (sim/cosim.c model_cxx): clang++ when it is
    # installed, $TERNFORGE_CXX=g++ for Verilator's own, the same result
    # either way; a name that is not plain is refused before anything runs
    if want cosim/cxx; then
        rm -rf "$TMP/xcache" "$TMP/xout"
        cx=g++
        command -v clang++ > /dev/null 2>&1 && cx=clang++
        TERNFORGE_CXX='g++ -O0' TERNFORGE_CACHE="$TMP/xcache" "$TF" sim examples/int8_small.xml --vectors 1 > "$TMP/xout" 2> "$TMP/cxx.err"
        xrc=$?
        if [ "$xrc" -ne 0 ] && [ ! -s "$TMP/xout" ] && [ ! -d "$TMP/xcache" ] &&
            grep -q "^error: \$TERNFORGE_CXX: expected a compiler's name" "$TMP/cxx.err" &&
            TERNFORGE_CACHE="$TMP/xcache" "$TF" sim examples/int8_small.xml --vectors 2 \
                --seed "$SEED" -v > "$TMP/cxx.log" 2>&1 &&
            grep -q "^[0-9]* passed, 0 failed$" "$TMP/cxx.log" &&
            { [ $cx = g++ ] || grep -q -- " -MAKEFLAGS CXX=clang++ LINK=clang++ " "$TMP/cxx.log"; } &&
            TERNFORGE_CXX=g++ TERNFORGE_CACHE="$TMP/xcache" "$TF" sim examples/int8_small.xml \
                --vectors 2 --seed "$SEED" -v > "$TMP/gxx.log" 2>&1 &&
            grep -q "^[0-9]* passed, 0 failed$" "$TMP/gxx.log" &&
            grep -q -- " --prefix Vtf_top " "$TMP/gxx.log" && ! grep -q -- "CXX=" "$TMP/gxx.log" &&
            [ "$(ls -d "$TMP"/xcache/vrt-*/ | wc -l)" -eq "$([ $cx = g++ ] && echo 1 || echo 2)" ]; then
            pass "cosim/cxx: built by $cx and by g++, both pass; a bad \$TERNFORGE_CXX is refused"
        else
            cat "$TMP/cxx.err" >> "$TMP/cxx.log" 2> /dev/null; cat "$TMP/gxx.log" >> "$TMP/cxx.log" 2> /dev/null
            fail "cosim/cxx" "$TMP/cxx.log"
        fi
        rm -rf "$TMP/xcache"
    fi
    # the Verilator harness's stimulus reader (sim/tb_verilator.cpp: whole
    # words eight digits at a time, the rest digit by digit): the same
    # beats written with separators, capitals, CR line ends and digits
    # above the beat's width give the same result stream as gen's files;
    # a bad digit in a whole word and a leading separator are refused
    if want cosim/harness-hex; then
        rm -rf "$TMP/hxc" "$TMP/hx" && mkdir "$TMP/hxc" && cp -R "$TERNFORGE_CACHE"/vrt-* "$TMP/hxc/" 2> /dev/null
        hx() { (cd "$TMP/hx" && "$1" +verilator+rand+reset+2 +verilator+seed+5 +cfg=cfg.txt +act="$2" \
            +wgt="$3" +res="$4" +seed="$SEED" +stall=30) >> "$TMP/hx.log" 2>&1; }
        if TERNFORGE_CACHE="$TMP/hxc" "$TF" run examples/int8_small.xml --engine rtl \
                --weights examples/data/W_10x9.txt --acts examples/data/X_9x2.txt --work "$TMP/hx" \
                -o "$TMP/hx.Y" > "$TMP/hx.log" 2>&1; then
            vs=$(ls "$TMP"/hxc/sim-*/Vsim | head -1)
            # act: every digit through the digit loop (a separator in the
            # last word), beats ended by a lone CR: ccda22af2e80 ->
            # FFFFFFFFFCCDA22AF2E8_0; wgt: the last word whole, the rest
            # digit by digit (0_4503D2B19), beats on one line, one blank
            # apart (the reader's eight-byte scan must stop at both)
            sed 's/^/fffffffff/; s/.$/_&/; y/abcdef/ABCDEF/' "$TMP/hx/act.hex" | tr '\n' '\r' > "$TMP/hx/act.alt"
            sed 's/^\(.\)/\1_/; y/abcdef/ABCDEF/' "$TMP/hx/wgt.hex" | tr '\n' ' ' > "$TMP/hx/wgt.alt"
            sed '1s/.$/g/' "$TMP/hx/act.hex" > "$TMP/hx/act.bad"   # in the last whole word
            sed '1s/^/_/' "$TMP/hx/act.hex" > "$TMP/hx/act.sep"
            if hx "$vs" act.hex wgt.hex res.a && hx "$vs" act.alt wgt.alt res.b &&
                cmp -s "$TMP/hx/res.a" "$TMP/hx/res.b" && [ -s "$TMP/hx/res.a" ] &&
                ! grep -q '[A-F_]' "$TMP/hx/act.hex" && grep -q '_' "$TMP/hx/wgt.alt" &&
                ! hx "$vs" act.bad wgt.hex res.c && grep -q "act.bad: bad hex value '.*g'" "$TMP/hx.log" &&
                ! hx "$vs" act.sep wgt.hex res.d && grep -q "act.sep: bad hex value '_" "$TMP/hx.log"; then
                pass "cosim/harness-hex: the reader's words and digits agree; bad digits refused"
            else
                fail "cosim/harness-hex" "$TMP/hx.log"
            fi
        else
            fail "cosim/harness-hex" "$TMP/hx.log"
        fi
        rm -rf "$TMP/hxc"
    fi
    if want cosim/run-rtl; then
        "$TF" run examples/int8_small.xml --engine rtl --weights examples/data/W_10x9.txt \
            --acts examples/data/X_9x2.txt -o "$TMP/Yrtl.txt" 2> "$TMP/rtl.err" &&
            diff examples/data/Y_10x2.txt "$TMP/Yrtl.txt" > "$TMP/yr.diff" &&
            pass "cosim/run-rtl: run --engine rtl gives the model's bits" || fail "cosim/run-rtl" "$TMP/rtl.err"
    fi
fi

# ------------------------------------------- scripts that run as one unit
summary_script() { # id, script, expected last-line pattern
    if sh "$2" > "$TMP/$1.log" 2>&1 && grep -q "$3" "$TMP/$1.log"; then
        pass "$1: $(tail -1 "$TMP/$1.log")"
    else
        fail "$1: $2" "$TMP/$1.log"
    fi
}
section fxconv "fixed-point converter RTL vs the C library, exhaustive" && script fxconv &&
    summary_script fxconv tests/fxconv/run.sh "^fxconv: .* 0 mismatches$"
section fpunits "floating-point RTL units vs the host's IEEE arithmetic" && script fpunits &&
    summary_script fpunits tests/fpunits/run.sh "^fpunits: .* 0 mismatches$"
if section formal "LUT builds: Yosys SAT proof that shared and direct tables are equal" && script formal; then
    sh tests/formal/run.sh "$TF" > "$TMP/formal.log" 2>&1; count_lines formal "$TMP/formal.log"
fi
section mxunits "MX block converter and element decoder RTL vs independent references" &&
    script mxunits &&
    summary_script mxunits tests/mxunits/run.sh "^mxunits: .* 0 mismatches$"
if section cost "cost model: cycles vs simulation, report keys, determinism" && script cost; then
    sh tests/cost/run.sh "$SEED" > "$TMP/cost.log" 2>&1; count_lines cost "$TMP/cost.log"
fi
if section integ "cores in one design: prefixes, AXI4-Stream, resets; latency per kind" && script integ; then
    sh tests/integ/run.sh "$SEED" > "$TMP/integ.log" 2>&1; count_lines integ "$TMP/integ.log"
fi
if section ci "the CI recipe of docs/ci.md on a small core: JUnit, JSON, exit codes, cache" && script ci; then
    sh tests/ci/run.sh > "$TMP/ci.log" 2>&1; count_lines ci "$TMP/ci.log"
fi
if section randcosim "random design points co-simulated (tests/randcosim/random.py, iverilog)" && script randcosim; then
    # more: make fuzz-cosim (both simulators, more points)
    python3 tests/randcosim/random.py "$TF" "$SEED" 12 iverilog > "$TMP/randcosim.log" 2>&1
    count_lines randcosim "$TMP/randcosim.log"
fi
if section sweep "design-space sweeps: exact fronts, determinism, shards, bad sweep files" && script sweep; then
    UPDATE=$UPDATE sh tests/sweep/run.sh "$SEED" > "$TMP/sweep.log" 2>&1; count_lines sweep "$TMP/sweep.log"
fi
if section synth "synthesis: flows, cache, gate-level netlists vs the C model" && script synth; then
    sh tests/synth/run.sh > "$TMP/synth.log" 2>&1; count_lines synth "$TMP/synth.log"
fi
if section activity "power from switching activity: the flow on a tiny core, counts, hostile options" && script activity; then
    sh tests/activity/run.sh > "$TMP/activity.log" 2>&1; count_lines activity "$TMP/activity.log"
fi
if section sched "synthesis through schedulers: GNU parallel, a local Slurm cluster" && script sched; then
    sh tests/sched/run.sh > "$TMP/sched.log" 2>&1; count_lines sched "$TMP/sched.log"
fi
if section cluster "a sweep split across machines: GNU parallel, a local Slurm cluster" && script cluster; then
    sh tests/sweep/cluster.sh > "$TMP/cluster.log" 2>&1; count_lines cluster "$TMP/cluster.log"
fi

if section validate "cost model vs synthesis on held-out points (CI subset of make validate)"; then
    for tech in osu018; do
        want "validate/$tech" || continue
        if "$TF" validate --tech $tech --points tests/synth/ci.points --fail-above 15 \
            > "$TMP/val-$tech.log" 2>&1; then
            pass "validate/$tech: $(grep -m1 '^area\|^luts' "$TMP/val-$tech.log")"
        else
            fail "validate/$tech (area/LUT error above 15 %)" "$TMP/val-$tech.log"
        fi
    done
fi

# A deliberately wrong RTL must be caught (the comparison can fail): flip
# one subtraction of the table build into an addition.
if section mutation "mutation: a broken core must fail co-simulation" && want mutation; then
    "$TF" gen examples/int8_small.xml -o "$TMP/mut" > /dev/null
    cp "$TMP/mut/tf_tlut_lut.v" "$TMP/mut-orig.v"
    sed -i '0,/^\( *wire .*\) - /s//\1 + /' "$TMP/mut/tf_tlut_lut.v"
    if cmp -s "$TMP/mut/tf_tlut_lut.v" "$TMP/mut-orig.v"; then
        fail "mutation: the mutant is identical to the original"
    elif "$TF" sim examples/int8_small.xml --rtl "$TMP/mut" --vectors 4 --work "$TMP/mutwork" > "$TMP/mut.log" 2>&1; then
        fail "mutation: a broken table build passed co-simulation" "$TMP/mut.log"
    elif grep -q "^MISMATCH" "$TMP/mut.log" && grep -q "^waveform: " "$TMP/mut.log" && ls "$TMP"/mutwork/*.vcd > /dev/null 2>&1; then
        pass "mutation: caught, with a waveform ($(grep -c '^MISMATCH' "$TMP/mut.log") mismatches shown)"
    else
        fail "mutation: no MISMATCH report or waveform" "$TMP/mut.log"
    fi
fi
# A lane mask that lets the lane at N through reads one don't-care
# activation, which only a non-zero key in that padding column turns into
# a wrong result: co-simulation's junk must catch it, and `--zeros` must
# not (else the junk is not what caught it).
if section mutation "mutation: a broken core must fail co-simulation" && want mutation/lane-mask; then
    "$TF" gen examples/int8_small.xml -o "$TMP/mutl" > /dev/null
    cp "$TMP/mutl/tf_top.v" "$TMP/mutl-orig.v"
    sed -i 's/^\( *assign act_masked.* load_left\) > /\1 >= /' "$TMP/mutl/tf_top.v"
    if cmp -s "$TMP/mutl/tf_top.v" "$TMP/mutl-orig.v"; then
        fail "mutation/lane-mask: the mutant is identical to the original"
    elif "$TF" sim examples/int8_small.xml --rtl "$TMP/mutl" --simulator iverilog --vectors 4 \
        --seed "$SEED" --work "$TMP/mutlwork" > "$TMP/mutl.log" 2>&1; then
        fail "mutation/lane-mask: a core reading the lane at N passed co-simulation" "$TMP/mutl.log"
    elif ! grep -q "^MISMATCH" "$TMP/mutl.log"; then
        fail "mutation/lane-mask: no MISMATCH report" "$TMP/mutl.log"
    elif ! "$TF" sim examples/int8_small.xml --rtl "$TMP/mutl" --simulator iverilog --vectors 4 \
        --seed "$SEED" --zeros > "$TMP/mutl0.log" 2>&1; then
        fail "mutation/lane-mask: it fails with zeros too, so junk is not what catches it" "$TMP/mutl0.log"
    else
        pass "mutation/lane-mask: caught by junk ($(tail -1 "$TMP/mutl.log")), passes with --zeros"
    fi
fi

# ------------------------------------------------------------- fuzzing
# Each libFuzzer target of tests/fuzz (make fuzz: clang, ASan, UBSan) for
# FUZZ_SECONDS (default 20) on its seed corpus; docs/security.md.
if section fuzz "fuzzing: each tests/fuzz target for ${FUZZ_SECONDS:-20} s (make fuzz)"; then
    if [ $LIST = 1 ]; then
        echo fuzz/build
        fuzz_ok=1
    elif make -s fuzz > "$TMP/fuzz-build.log" 2>&1; then
        pass "fuzz/build"
        fuzz_ok=1
    else
        fail "fuzz/build: make fuzz (clang with libFuzzer: scripts/setup installs it)" "$TMP/fuzz-build.log"
        fuzz_ok=0
    fi
    for src in tests/fuzz/fuzz_*.c; do
        [ $fuzz_ok = 1 ] || break
        n=$(basename "$src" .c); n=${n#fuzz_}
        want "fuzz/$n" || continue
        f=build-fuzz/fuzz_$n
        dict=tests/fuzz/xml.dict; [ -f "tests/fuzz/$n.dict" ] && dict=tests/fuzz/$n.dict
        # Hermetic: an empty working folder and TMPDIR of its own (an input
        # may name a relative file) and no terminal or pipe on stdin.
        mkdir -p "$TMP/fuzz-$n" "$TMP/fuzz-$n-cwd"
        if (cd "$TMP/fuzz-$n-cwd" && TMPDIR="$TMP/fuzz-$n-cwd" "$TOP/$f" -seed="$SEED" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=20 \
                -rss_limit_mb=2048 -dict="$TOP/$dict" -artifact_prefix="$TMP/fuzz-$n-" \
                "$TMP/fuzz-$n" "$TOP/tests/fuzz/corpus/$n") < /dev/null > "$TMP/fuzz-$n.log" 2>&1; then
            pass "fuzz/$n: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$TMP/fuzz-$n.log")"
        else
            # The reason first (a CI log keeps only the head and tail of
            # the output), then each input found, base64, so that a CI
            # finding can be replayed elsewhere: base64 -d > x; fuzz_NAME x
            why=$(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|ERROR: libFuzzer|^MS: ' "$TMP/fuzz-$n.log")
            fail "fuzz/$n: a finding: ${why:-see the log} (inputs: $TMP/fuzz-$n-*)"
            grep -E '^==[0-9]+==|^SUMMARY|^ *#[0-9]+ 0x.* in |Test unit written' "$TMP/fuzz-$n.log" |
                grep -vE ' in (fuzzer::|__libc_start|_start |__interceptor_|main )' | head -24 | sed 's/^/    /'
            for a in "$TMP/fuzz-$n-"*; do
                [ -f "$a" ] && [ "$(wc -c < "$a")" -le 8192 ] || continue
                echo "    input $(basename "$a"), base64:"; base64 -w 76 "$a" | sed 's/^/    /'
            done
        fi
    done
fi

# -------------------------------------------------- sanitizer build
# The instrumented build is every selected test's prerequisite: it runs
# (and counts) whenever anything of the section is selected. Two jobs: a
# serial build left one of CI's two cores idle (10-20 s).
sanitized() {
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    unit_tests build-san sanitize/
    SAN=$TOP/build-san/ternforge
    bad_xml "$SAN" sanitize/
    bad_run "$SAN" sanitize/ > "$TMP/sanbad.log"; count_lines sanitize "$TMP/sanbad.log"
    if want sanitize/gen; then
        "$SAN" gen examples/int8_large.xml -o "$TMP/san-gen" > /dev/null 2> "$TMP/san-gen.log" &&
            [ ! -s "$TMP/san-gen.log" ] && pass "sanitize/gen" || fail "sanitize/gen" "$TMP/san-gen.log"
    fi
    if want sanitize/sim; then
        "$SAN" sim examples/int8_small.xml --vectors 3 > "$TMP/san-sim.log" 2>&1 && pass "sanitize/sim" || fail "sanitize/sim" "$TMP/san-sim.log"
    fi
    if want sanitize/cost; then
        ok=1
        for x in examples/*.xml; do for tech in osu018 xc7 ice40; do for f in text json csv; do
            "$SAN" cost "$x" --tech $tech --format $f --bw 10 > /dev/null 2>> "$TMP/san-cost.log" || ok=0
        done; done; done
        [ $ok = 1 ] && [ ! -s "$TMP/san-cost.log" ] && pass "sanitize/cost: every example, tech and format" ||
            fail "sanitize/cost" "$TMP/san-cost.log"
    fi
    if script sanitize/hostile; then
        sh tests/hostile/run.sh "$SAN" > "$TMP/hostile-san.log" 2>&1
        count_lines sanitize/hostile "$TMP/hostile-san.log"
    fi
    if script sanitize/sweep; then
        UPDATE=0 TF="$SAN" TS="$TOP/build-san/tests/unit/test_sweep" sh tests/sweep/run.sh "$SEED" > "$TMP/san-sweep.log" 2>&1
        count_lines sanitize/sweep "$TMP/san-sweep.log"
    fi
}
if section sanitize "ASan/UBSan build"; then
    if [ $LIST = 1 ]; then
        echo sanitize/build
        sanitized
    elif make -s -j2 BUILD=build-san SANITIZE=address,undefined unit-tests > "$TMP/san-build.log" 2>&1; then
        pass "sanitize/build"
        sanitized
    else
        fail "sanitize/build" "$TMP/san-build.log"
    fi
fi

finish
