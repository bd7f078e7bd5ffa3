#!/bin/sh
# run.sh - rtl-templates/tf_fpadd.v, tf_fpmul.v and tf_fpwiden.v against the
# host CPU's IEEE 754 arithmetic, bit for bit (tb_fpunits.cpp explains how
# the expected values are formed and which operands are used).
#   1. verilator --lint-only -Wall and iverilog -g2005 -Wall (no output
#      allowed) of each module at every parameter point of lint_points, and
#      of the two testbench tops with everything they instantiate;
#   2. yosys synth + check -assert at the points of synth_points;
#   3. one Verilator build (lint apart, so that a module with a lint
#      warning is still simulated) of tb_fpunits.v, which instantiates every
#      simulated configuration (its parameter tables list them), and a run:
#      special x all-codes and random operand pairs, a new pair per cycle,
#      pipelined results checked against the operands of L cycles earlier;
#      the converters over every input code;
#   4. meanwhile the same top under iverilog (tb_iverilog.v), for a shorter
#      stream of mixed operands that the driver writes and afterwards checks
#      the recorded outputs of, against the same reference.
# Usage, from the repository root: sh tests/fpunits/run.sh
# Environment: SEED (default 20261123), FPUNITS_RANDOM (random cycles per
# format after the special pairs, default 3000000), FPUNITS_IVL (cycles of
# the iverilog run, default 20000), FPUNITS_RTL=dir (test the three modules
# found in dir instead, e.g. mutants), FPUNITS_VERBOSE=1 (per-configuration
# counts and synthesis cell counts).
# Ends with "fpunits: N configurations, M operations checked, K mismatches":
# N = simulated configurations, K = mismatching results + reference
# disagreements + failing lint or synthesis points + failed steps. Exits 0
# only when K = 0. Scratch lives in ${TMPDIR:-/tmp}; nothing is cached.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fpunits.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
SEED=${SEED:-20261123}
NRAND=${FPUNITS_RANDOM:-3000000}
NIVL=${FPUNITS_IVL:-20000}
VERBOSE=${FPUNITS_VERBOSE:-0}
RTL=${FPUNITS_RTL:-rtl-templates}
case $RTL in /*) ;; *) RTL=$TOP/$RTL ;; esac
TB=$TOP/tests/fpunits
CONFIGS=0
CHECKED=0
BAD=0

finish() {
    echo "fpunits: $CONFIGS configurations, $CHECKED operations checked, $BAD mismatches"
    [ "$BAD" -eq 0 ]
    exit $?
}
step_failed() { # what, log
    BAD=$((BAD + 1))
    echo "fpunits: $1 failed"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40
}
for m in tf_fpadd tf_fpmul tf_fpwiden; do
    [ -f "$RTL/$m.v" ] || { step_failed "finding $RTL/$m.v"; finish; }
done

# ------------------------------------------------- parameter points
# One point per line: module, then NAME=VALUE parameter settings.
# shellcheck disable=SC2086 # set -- splits the format lists on purpose
lint_points() {
    echo tf_fpadd
    echo tf_fpmul
    echo tf_fpwiden
    for m in tf_fpadd tf_fpmul; do
        for f in "5 10" "8 7" "8 23" "11 52" "4 3"; do
            for l in 0 1 2 3 4 5 6; do
                set -- $f
                echo "$m EXP=$1 MAN=$2 LATENCY=$l"
            done
        done
    done
    for i in "4 3 7 0" "5 2 15 1"; do
        for o in "5 10 15" "8 7 127" "8 23 127"; do
            set -- $i $o
            echo "tf_fpwiden IEXP=$1 IMAN=$2 IBIAS=$3 IHAS_INF=$4 OEXP=$5 OMAN=$6 OBIAS=$7"
        done
    done
    echo "tf_fpwiden IEXP=5 IMAN=10 IBIAS=15 IHAS_INF=1 OEXP=8 OMAN=23 OBIAS=127"
    echo "tf_fpwiden IEXP=8 IMAN=7 IBIAS=127 IHAS_INF=1 OEXP=8 OMAN=23 OBIAS=127"
}
synth_points() {
    echo "tf_fpadd EXP=5 MAN=10 LATENCY=0"
    echo "tf_fpadd EXP=5 MAN=10 LATENCY=2"
    echo "tf_fpadd EXP=8 MAN=7 LATENCY=0"
    echo "tf_fpadd EXP=8 MAN=23 LATENCY=0"
    echo "tf_fpadd EXP=8 MAN=23 LATENCY=4"
    echo "tf_fpadd EXP=5 MAN=10 LATENCY=6"
    echo "tf_fpmul EXP=5 MAN=10 LATENCY=0"
    echo "tf_fpmul EXP=8 MAN=7 LATENCY=2"
    echo "tf_fpmul EXP=8 MAN=23 LATENCY=0"
    echo "tf_fpmul EXP=5 MAN=10 LATENCY=4"
    echo "tf_fpwiden IEXP=4 IMAN=3 IBIAS=7 IHAS_INF=0 OEXP=5 OMAN=10 OBIAS=15"
    echo "tf_fpwiden IEXP=5 IMAN=2 IBIAS=15 IHAS_INF=1 OEXP=8 OMAN=7 OBIAS=127"
    echo "tf_fpwiden IEXP=8 IMAN=7 IBIAS=127 IHAS_INF=1 OEXP=8 OMAN=23 OBIAS=127"
}

# ------------------------------------------------------ lint (job 1)
lint_job() {
    lint_points | while read -r m params; do
        vg=""
        ip=""
        for kv in $params; do
            vg="$vg -G$kv"
            ip="$ip -P$m.$kv"
        done
        # shellcheck disable=SC2086 # $vg and $ip hold several options
        if ! (cd "$TMP" && verilator --lint-only -Wall $vg "$RTL/$m.v") > "$TMP/l.log" 2>&1 ||
            [ -s "$TMP/l.log" ]; then
            echo "lint: verilator $m $params"
            sed 's/^/    /' "$TMP/l.log" | head -20
        fi
        # shellcheck disable=SC2086
        if ! iverilog -g2005 -Wall -o /dev/null -s "$m" $ip "$RTL/$m.v" > "$TMP/i.log" 2>&1 ||
            [ -s "$TMP/i.log" ]; then
            echo "lint: iverilog $m $params"
            sed 's/^/    /' "$TMP/i.log" | head -20
        fi
    done > "$TMP/lint.out"
    # the testbench top with every simulated configuration
    if ! (cd "$TMP" && verilator --lint-only -Wall --top-module tb_fpunits "$TB/tb_fpunits.v" \
        "$RTL/tf_fpadd.v" "$RTL/tf_fpmul.v" "$RTL/tf_fpwiden.v") > "$TMP/l.log" 2>&1 ||
        [ -s "$TMP/l.log" ]; then
        echo "lint: verilator tb_fpunits"
        sed 's/^/    /' "$TMP/l.log" | head -20
    fi >> "$TMP/lint.out"
    if ! iverilog -g2005 -Wall -o /dev/null -s tb_iverilog "$TB/tb_iverilog.v" "$TB/tb_fpunits.v" \
        "$RTL/tf_fpadd.v" "$RTL/tf_fpmul.v" "$RTL/tf_fpwiden.v" > "$TMP/i.log" 2>&1 ||
        [ -s "$TMP/i.log" ]; then
        echo "lint: iverilog tb_iverilog"
        sed 's/^/    /' "$TMP/i.log" | head -20
    fi >> "$TMP/lint.out"
}

# ------------------------------------------------------ synthesis (job 2)
synth_job() {
    synth_points | while read -r m params; do
        cp=""
        for kv in $params; do
            cp="$cp -set ${kv%%=*} ${kv#*=}"
        done
        # Any warning fails the point, except that the output registers
        # past the last cut (LATENCY > 4 adder, > 3 multiplier), written as
        # an array, are reported as a memory turned into registers.
        if (cd "$TMP" && yosys -p "read_verilog $RTL/$m.v; chparam$cp $m; synth -top $m; check -assert; stat") \
            > "$TMP/y.log" 2>&1 &&
            ! grep -i "warning" "$TMP/y.log" | grep -v "Replacing memory .* with list of registers" |
            grep -qv "^Warnings: [0-9]* unique messages"; then
            echo "cells: $m $params: $(sed -n 's/^ *Number of cells: *//p' "$TMP/y.log" | tail -1)" >> "$TMP/cells.out"
        else
            echo "synth: yosys $m $params"
            grep -i "error\|warning" "$TMP/y.log" | sed 's/^/    /' | head -20
        fi
    done > "$TMP/synth.out"
}

lint_job &
LINT_PID=$!
synth_job &
SYNTH_PID=$!

# ------------------------------------------------ iverilog co-simulation
ivl_job() { # compile and run; ivl.ok on success (warnings: see lint)
    if iverilog -g2005 -o "$TMP/tb.vvp" -s tb_iverilog "$TB/tb_iverilog.v" "$TB/tb_fpunits.v" \
        "$RTL/tf_fpadd.v" "$RTL/tf_fpmul.v" "$RTL/tf_fpwiden.v" > "$TMP/ivl.log" 2>&1 &&
        vvp -n "$TMP/tb.vvp" "+in=$TMP/ivl.in" "+out=$TMP/ivl.out" > "$TMP/ivl.log" 2>&1; then
        touch "$TMP/ivl.ok"
    fi
}

# --------------------------------------------------- build and simulate
if (cd "$TMP" && verilator --cc --exe --build -j 2 -Wno-fatal --top-module tb_fpunits -Mdir "$TMP/obj" \
    -CFLAGS "-O2 -ffp-contract=off" -o Vtb "$TB/tb_fpunits.v" "$RTL/tf_fpadd.v" "$RTL/tf_fpmul.v" \
    "$RTL/tf_fpwiden.v" "$TB/tb_fpunits.cpp") > "$TMP/build.log" 2>&1; then
    IVL_PID=
    if "$TMP/obj/Vtb" --seed "$SEED" --vectors "$TMP/ivl.in" "$NIVL" > "$TMP/vec.log" 2>&1; then
        ivl_job &
        IVL_PID=$!
    else
        step_failed "writing operands for iverilog" "$TMP/vec.log"
    fi

    "$TMP/obj/Vtb" --seed "$SEED" --random "$NRAND" > "$TMP/sim.log" 2>&1
    res=$(sed -n 's/^tb_fpunits: \([0-9]*\) configurations, \([0-9]*\) operations checked, \([0-9]*\) mismatches$/\1 \2 \3/p' "$TMP/sim.log")
    if [ -z "$res" ]; then
        step_failed "simulation" "$TMP/sim.log"
    else
        # shellcheck disable=SC2086
        set -- $res
        CONFIGS=$1
        CHECKED=$2
        BAD=$((BAD + $3))
        if [ "$VERBOSE" = 1 ]; then
            grep -v '^tb_fpunits: ' "$TMP/sim.log"
        elif [ "$3" -ne 0 ]; then
            grep '^MISMATCH\|^REFERENCE\|^SELFCHECK\|^reference\|[1-9][0-9]* mismatches$' "$TMP/sim.log" | head -60
        fi
    fi

    if [ -n "$IVL_PID" ]; then
        wait "$IVL_PID"
        if [ -f "$TMP/ivl.ok" ]; then
            "$TMP/obj/Vtb" --check "$TMP/ivl.in" "$TMP/ivl.out" > "$TMP/ivlchk.log" 2>&1
            res=$(sed -n 's/^tb_fpunits: iverilog: \([0-9]*\) operations checked, \([0-9]*\) mismatches$/\1 \2/p' "$TMP/ivlchk.log")
            if [ -z "$res" ]; then
                step_failed "checking the iverilog outputs" "$TMP/ivlchk.log"
            else
                # shellcheck disable=SC2086
                set -- $res
                CHECKED=$((CHECKED + $1))
                BAD=$((BAD + $2))
                if [ "$VERBOSE" = 1 ] || [ "$2" -ne 0 ]; then
                    grep -v '^tb_fpunits: iverilog: ' "$TMP/ivlchk.log" | sed 's/^/iverilog: /' |
                        grep -v ' 0 mismatches$' | head -40
                    echo "iverilog: $1 operations checked, $2 mismatches"
                fi
            fi
        else
            step_failed "iverilog co-simulation" "$TMP/ivl.log"
        fi
    fi
else
    step_failed "verilator build of tb_fpunits" "$TMP/build.log"
fi

wait $LINT_PID
wait $SYNTH_PID
for f in lint synth; do
    if [ -s "$TMP/$f.out" ]; then
        BAD=$((BAD + $(grep -c "^$f: " "$TMP/$f.out")))
        head -60 "$TMP/$f.out"
    fi
done
if [ "$VERBOSE" = 1 ]; then
    echo "lint points: $(lint_points | wc -l) modules x (verilator, iverilog), plus the two testbench tops"
    [ -f "$TMP/cells.out" ] && cat "$TMP/cells.out"
fi
finish
