#!/bin/sh
# run.sh - rtl-templates/tf_fxconv.v against fx_convert() of common/fixq.c,
# bit for bit, at every parameter point listed in gen_fxconv.c (all 28
# QUANT x OVF pairs crossed with narrow shapes, driven with every input
# code, and wide shapes up to 64 bits, driven with 256 fixed vectors).
#   1. build gen_fxconv (common/fixq.c, common/util.c) and write the
#      testbench and the expected codes;
#   2. verilator --lint-only -Wall of tf_fxconv at every point (2 jobs);
#   3. iverilog -g2005 -Wall (no output allowed), vvp runs all checks.
# Usage, from the repository root: sh tests/fxconv/run.sh [--synth]
#   --synth  simulate Yosys netlists instead of the RTL: every point is
#            synthesized (read_verilog -DSYNTH, chparam, synth), written
#            out with write_verilog and checked the same way (about 1 min
#            more on 2 cores; Yosys must not warn).
# FXCONV_RTL=path tests another copy of the module (e.g. a mutant).
# Ends with "fxconv: N points, M conversions checked, K mismatches" where K
# counts mismatching conversions plus failing lint points plus failed steps;
# exits 0 only when K = 0.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
SYNTH=0
for a in "$@"; do
    case $a in
    --synth) SYNTH=1 ;;
    *) echo "run.sh: unknown option $a" >&2; exit 2 ;;
    esac
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fxconv.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
RTL=${FXCONV_RTL:-rtl-templates/tf_fxconv.v}
case $RTL in /*) ;; *) RTL=$TOP/$RTL ;; esac
POINTS=0
CONV=0
CHECKED=0
BAD=0

finish() {
    echo "fxconv: $POINTS points, $CHECKED conversions checked, $BAD mismatches"
    [ "$BAD" -eq 0 ]
    exit $?
}
step_failed() { # what, log
    BAD=$((BAD + 1))
    echo "fxconv: $1 failed"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40
}

# ------------------------------------------------------------ generate
if ! cc -std=c11 -Wall -Wextra -Icommon -Imodel -o "$TMP/gen_fxconv" \
    tests/fxconv/gen_fxconv.c common/fixq.c common/util.c -lm > "$TMP/cc.log" 2>&1; then
    step_failed "building gen_fxconv" "$TMP/cc.log"
    finish
fi
[ -s "$TMP/cc.log" ] && sed 's/^/    /' "$TMP/cc.log" # warnings: show, do not fail
MODE=
[ $SYNTH = 1 ] && MODE=netlist
if ! "$TMP/gen_fxconv" "$TMP" $MODE > "$TMP/counts" 2> "$TMP/gen.log"; then
    step_failed "gen_fxconv" "$TMP/gen.log"
    finish
fi
read -r POINTS CONV < "$TMP/counts"

# ---------------------------------------------------------------- lint
lint_job() { # job number 0/1: every other point of lint.txt
    n=0
    while read -r g; do
        if [ $((n % 2)) -eq "$1" ]; then
            # shellcheck disable=SC2086 # $g holds several -G options
            if ! (cd "$TMP" && verilator --lint-only -Wall $g "$RTL") \
                > "$TMP/lint$1.log" 2>&1 || [ -s "$TMP/lint$1.log" ]; then
                echo "lint: $g" >> "$TMP/lintfail$1"
                sed 's/^/    /' "$TMP/lint$1.log" | head -20 >> "$TMP/lintfail$1"
            fi
        fi
        n=$((n + 1))
    done < "$TMP/lint.txt"
}
lint_job 0 &
lint_job 1 &

# ------------------------------------------------------------ synthesize
DUT=$RTL
if [ $SYNTH = 1 ]; then
    echo "fxconv: simulating the Yosys netlist of every point, not the RTL"
    cp "$RTL" "$TMP/tf_fxconv.v"
    (cd "$TMP" && yosys -q -s synth0.ys > ys0.log 2>&1; echo $? > ys0.rc) &
    Y0=$!
    (cd "$TMP" && yosys -q -s synth1.ys > ys1.log 2>&1; echo $? > ys1.rc) &
    Y1=$!
    wait $Y0 $Y1 # lint may still be running
    for j in 0 1; do
        if [ "$(cat "$TMP/ys$j.rc" 2> /dev/null)" != 0 ] || [ -s "$TMP/ys$j.log" ]; then
            step_failed "yosys (synth$j.ys)" "$TMP/ys$j.log"
        fi
    done
    DUT="$TMP/net_p*.v"
fi

# -------------------------------------------------------------- simulate
# shellcheck disable=SC2086 # $DUT may be a glob of netlists
if iverilog -g2005 -Wall -o "$TMP/tb.vvp" "$TMP/tb_fxconv.v" $DUT > "$TMP/ivl.log" 2>&1 &&
    ! [ -s "$TMP/ivl.log" ]; then
    vvp -n "$TMP/tb.vvp" > "$TMP/sim.log" 2>&1
    res=$(sed -n 's/^tb_fxconv: \([0-9]*\) checked, \([0-9]*\) mismatches$/\1 \2/p' "$TMP/sim.log")
    if [ -z "$res" ]; then
        step_failed "simulation" "$TMP/sim.log"
    else
        set -- $res
        CHECKED=$1
        BAD=$((BAD + $2))
        [ "$CHECKED" -eq "$CONV" ] || step_failed "count check ($CHECKED checked, $CONV expected)"
        # first mismatches, with the point spelled out
        awk 'NR == FNR { d[$1] = $0; next }
             $1 == "MISMATCH" { print "MISMATCH " $3 " " $4 " " $5 " " $6 " " $7 " at " d[$2] }' \
            "$TMP/points.txt" "$TMP/sim.log"
    fi
else
    step_failed "iverilog -g2005 -Wall" "$TMP/ivl.log"
fi

wait
for j in 0 1; do
    if [ -s "$TMP/lintfail$j" ]; then
        BAD=$((BAD + $(grep -c '^lint: ' "$TMP/lintfail$j")))
        head -60 "$TMP/lintfail$j"
    fi
done
finish
