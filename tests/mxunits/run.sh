#!/bin/sh
# run.sh - rtl-templates/tf_mxconv.v (block converter) and tf_mxdec.v (MX element decoder) against independent references, bit for bit.
#   1. verilator --lint-only -Wall and iverilog -g2005 -Wall (no output
#      allowed) of each module at the parameter points of lint_points (every
#      MX format into fp32, fp16 and bf16, latencies 0..3), and of the
#      testbench top;
#   2. one Verilator build of tb_mxunits.v (every simulated configuration)
#      and a run of tb_mxunits.cpp: the special sums of each converter for
#      every scale code, then MXUNITS_CYCLES random cycles; every decoder
#      over all its codes (tb_mxunits.cpp says how the references are formed).
# Usage, from the repository root: sh tests/mxunits/run.sh
# Environment: SEED (default 20261123), MXUNITS_CYCLES (default 1000000),
# MXUNITS_RTL=dir (test the modules found in dir instead, e.g. mutants).
# Ends with "mxunits: N configurations, M checks, K mismatches" (K counts
# lint failures and failed steps too); exits 0 only when K = 0.
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mxunits.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
SEED=${SEED:-20261123}
CYCLES=${MXUNITS_CYCLES:-1000000}
RTL=${MXUNITS_RTL:-rtl-templates}
case $RTL in /*) ;; *) RTL=$TOP/$RTL ;; esac
TB=$TOP/tests/mxunits
BAD=0
failed() { # what, log
    BAD=$((BAD + 1))
    echo "mxunits: $1 failed"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40
}

# One point per line: module, then NAME=VALUE parameter settings.
# shellcheck disable=SC2086 # set -- splits the lists on purpose
lint_points() {
    for f in "13 6 0" "24 9 0" "38 16 0" "15 4 0" "12 3 0" "10 1 0" "9 1 1"; do
        for o in "8 23" "5 10" "8 7"; do
            for l in 0 1 3; do
                set -- $f $o
                echo "tf_mxconv SW=$1 POINT=$2 SCALE=$3 EXP=$4 MAN=$5 LATENCY=$l"
            done
        done
    done
    for d in "2 1 0 5" "2 3 0 7" "3 2 0 10" "4 3 1 19" "5 2 2 33"; do
        set -- $d
        echo "tf_mxdec EXP=$1 MAN=$2 SPECIAL=$3 IW=$4"
    done
}
lint_points | while read -r m params; do
    vg=""
    ip=""
    for kv in $params; do
        vg="$vg -G$kv"
        ip="$ip -P$m.$kv"
    done
    # shellcheck disable=SC2086
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
for tool in verilator iverilog; do
    if [ $tool = verilator ]; then
        (cd "$TMP" && verilator --lint-only -Wall --top-module tb_mxunits "$TB/tb_mxunits.v" \
            "$RTL/tf_mxconv.v" "$RTL/tf_mxdec.v") > "$TMP/l.log" 2>&1
    else
        iverilog -g2005 -Wall -o /dev/null -s tb_mxunits "$TB/tb_mxunits.v" "$RTL/tf_mxconv.v" \
            "$RTL/tf_mxdec.v" > "$TMP/l.log" 2>&1
    fi
    # shellcheck disable=SC2181
    if [ $? -ne 0 ] || [ -s "$TMP/l.log" ]; then
        echo "lint: $tool tb_mxunits"
        sed 's/^/    /' "$TMP/l.log" | head -20
    fi >> "$TMP/lint.out"
done
[ -s "$TMP/lint.out" ] && failed lint "$TMP/lint.out"

if (cd "$TMP" && verilator --cc --exe --build -Wno-fatal --top-module tb_mxunits -Mdir obj \
    -CFLAGS "-O2 -ffp-contract=off" \
    "$TB/tb_mxunits.v" "$RTL/tf_mxconv.v" "$RTL/tf_mxdec.v" "$TB/tb_mxunits.cpp") \
    > "$TMP/build.log" 2>&1; then
    "$TMP/obj/Vtb_mxunits" "$SEED" "$CYCLES" > "$TMP/run.log" 2>&1 || true
    grep -v '^mxunits:' "$TMP/run.log" | head -40
    line=$(grep '^mxunits:' "$TMP/run.log")
    if [ -z "$line" ]; then
        failed "the run" "$TMP/run.log"
    else
        n=$(echo "$line" | sed 's/.* \([0-9]*\) mismatches$/\1/')
        BAD=$((BAD + n))
        CONF=$(echo "$line" | sed 's/^mxunits: \([0-9]*\) configurations.*/\1/')
        CHECKS=$(echo "$line" | sed 's/.* configurations, \([0-9]*\) checks.*/\1/')
    fi
else
    failed "the Verilator build" "$TMP/build.log"
fi
echo "mxunits: ${CONF:-0} configurations, ${CHECKS:-0} checks, $BAD mismatches"
[ "$BAD" -eq 0 ]
