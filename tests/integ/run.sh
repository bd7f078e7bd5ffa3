#!/bin/sh
# tests/integ/run.sh - cores of different kinds, prefixes and interfaces in
# one design (issue 15): a tlut core with interface=axis (prefix core_a), a
# tsign core with reset=async_n (core_b), a tmul core with mem_style=sram
# (core_s: both buffers SRAM macros, <prefix>_sram_1r1w, and reset=async_n
# so the SRAM FIFO's asynchronous reset is built too) and a fixp core with
# the default native interface and prefix (tf). Their files go into one
# folder with one file list, and a chip module instantiating all four (its
# ports made from each top's own port list):
#  * one Verilator build, verilator --lint-only -Wall: no message at all;
#  * one iverilog build, iverilog -g2005 -Wall: no message at all;
#  * each core co-simulated bit-exactly against the C model from that
#    folder (sim --rtl DIR --top NAME: every build compiles all four
#    cores), under Verilator and iverilog.
# Prints PASS/FAIL lines. Usage: sh tests/integ/run.sh [SEED]
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TF="${TF:-$TOP/build/ternforge}"
SEED=${1:-1}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TERNFORGE_CACHE="${TERNFORGE_CACHE:-$TOP/build/sim-cache}"
pass() { echo "PASS integ/$1"; }
fail() { echo "FAIL integ/$1"; [ -n "${2:-}" ] && sed -n '1,30s/^/    /p' "$2"; }

# name | example | --set overrides
cat > "$TMP/cores" <<'EOF'
core_a | int8_small  | mu=2 luts=3 keys=3 act_width=5 max_rows=13 max_cols=20 interface=axis prefix=core_a
core_b | tsign_small | inputs=3 keys=2 act_width=7 max_rows=10 max_cols=13 tree_stages=1 reset=async_n prefix=core_b
core_s | tmul_small  | inputs=2 keys=2 act_width=5 max_rows=9 max_cols=33 out_depth=16 mem_style=sram reset=async_n prefix=core_s
tf     | fixp_small  | array_rows=3 array_cols=2 x_width=5 max_rows=8 max_cols=9
EOF

ALL="$TMP/all"
mkdir -p "$ALL"
: > "$ALL/files.f"
while IFS='|' read -r name base sets; do
    name=$(echo $name) base=$(echo $base)
    args=""; for s in $sets; do args="$args --set $s"; done
    echo "$name $base$args" >> "$TMP/args"
    if ! "$TF" gen "$TOP/examples/$base.xml" $args -o "$TMP/gen-$name" > /dev/null 2> "$TMP/gen.err"; then
        fail "gen/$name" "$TMP/gen.err"; exit 1
    fi
    for f in $(cat "$TMP/gen-$name/files.f"); do
        [ -e "$ALL/$f" ] && { echo "FAIL integ/files: $f written by two cores"; exit 1; }
        cp "$TMP/gen-$name/$f" "$ALL/$f"
        echo "$f" >> "$ALL/files.f"
    done
done < "$TMP/cores"

# The chip: every port of every core, as a chip port named <core>_<port>.
{
    echo '`timescale 1ns / 1ps'
    echo '`default_nettype none'
    echo 'module chip ('
    for name in core_a core_b core_s tf; do
        awk -v p="$name" '/^module /{on=1; next} on && /^\);/{exit}
            on { sub(/,$/, ""); n = $NF; $NF = p "_" n; print "    " $0 "," }' "$ALL/${name}_top.v"
    done | sed '$ s/,$//'
    echo ');'
    for name in core_a core_b core_s tf; do
        echo "    ${name}_top u_$name ("
        awk -v p="$name" '/^module /{on=1; next} on && /^\);/{exit}
            on { sub(/,$/, ""); n = $NF; print "        ." n "(" p "_" n ")," }' "$ALL/${name}_top.v" |
            sed '$ s/,$//'
        echo '    );'
    done
    echo 'endmodule'
    echo '`default_nettype wire'
} > "$ALL/chip.v"
grep -q "core_a_s_axis_act_tdata" "$ALL/chip.v" && grep -q "core_b_rst_n" "$ALL/chip.v" &&
    grep -q "core_s_res_data" "$ALL/chip.v" && grep -q "tf_res_data" "$ALL/chip.v" ||
    { fail "chip: ports missing" "$ALL/chip.v"; exit 1; }
# The sram core's buffers are its own macros, named by its prefix.
[ "$(grep -c '^ *core_s_sram_1r1w #(' "$ALL/core_s_top.v" "$ALL/core_s_sram_fifo.v" |
    awk -F: '{ n += $2 } END { print n }')" = 2 ] &&
    [ "$(jq -r '[.memories[].module] | unique | join(" ")' "$TMP/gen-core_s/memories.json")" = core_s_sram_1r1w ] &&
    ! grep -l 'tf_sram' "$ALL"/core_s_* > /dev/null ||
    { fail "sram: core_s lacks its two core_s_sram_1r1w macros" "$TMP/gen-core_s/memories.json"; exit 1; }

if (cd "$ALL" && verilator --lint-only -Wall --top-module chip -F files.f chip.v) > "$TMP/lint.log" 2>&1 &&
    ! grep -q . "$TMP/lint.log"; then
    pass "verilator: one build of four cores (axis, async_n, sram, native), lint -Wall clean"
else
    fail "verilator" "$TMP/lint.log"
fi
if (cd "$ALL" && iverilog -g2005 -Wall -o "$TMP/chip.vvp" -s chip -c files.f chip.v) > "$TMP/ivl.log" 2>&1 &&
    ! grep -q . "$TMP/ivl.log"; then
    pass "iverilog: one build of four cores, -Wall clean"
else
    fail "iverilog" "$TMP/ivl.log"
fi

while read -r name base args; do
    for sim in verilator iverilog; do
        if "$TF" sim "$TOP/examples/$base.xml" $args --rtl "$ALL" --top "${name}_top" \
            --simulator $sim --seed "$SEED" --stall 25 --vectors 6 > "$TMP/sim.log" 2>&1 &&
            grep -q "^[0-9]* passed, 0 failed$" "$TMP/sim.log"; then
            pass "cosim/$name/$sim: $(tail -1 "$TMP/sim.log") (all four cores compiled)"
        else
            fail "cosim/$name/$sim" "$TMP/sim.log"
        fi
    done
done < "$TMP/args"

# Latency (docs/protocol.md, "Throughput and latency"): a job of two row
# groups (M = 2K, N = 1) with no stalls and out_depth=1 takes cfg at cycle
# 0, its activation beat at 1, a registered integer LUT's prime cycle, its
# first weight beat at 2 (+1 prime); that result beat must be taken L
# cycles later. The second weight beat waits for the FIFO slot the first
# result frees (taken at c1, the slot is free from c1 + 1), so the second
# result comes at c1 + 1 + L: this separates L from the prime cycle. L from
# the documented table:
#   integer:  L = 2 + tree_stages
#   FP:       L = 2 + D + tree_stages + ceil(log2(T)) * fp_latency + fp_latency
#             T = luts (tlut) or inputs (tsign, tmul); D = (mu-1) * fp_latency
#             + lut_reg (tlut), 0 (tsign), fp_latency (tmul)
#   block-scaled (fp = 2 below): L = 2 + tree_stages + 2 * fp_latency (the
#             block converter, then the accumulator); a registered LUT
#             primes as the integer one does
clog2() { n=1 l=0; while [ $n -lt $1 ]; do n=$((n * 2)) l=$((l + 1)); done; echo $l; }
printf '4 1\n1\n-1\n1\n1\n' > "$TMP/W1.txt"
printf '1 1\n3\n' > "$TMP/X1.txt"
printf '1 1\n127\n' > "$TMP/S1.txt"  # block-scaled: scale 1.0 (E8M0)
# name | example | kind fp mu T lut_reg tree_stages fp_latency | overrides (K = 2)
cat > "$TMP/lat" <<'EOF'
tlut_r1_s1  | int8_small  | tlut 0 3 2 1 1 0 | keys=2 lut_reg=1 tree_stages=1
tlut_r0_s0  | int8_small  | tlut 0 3 2 0 0 0 | keys=2 lut_reg=0 tree_stages=0
tlut_r0_s2  | int8_small  | tlut 0 3 2 0 2 0 | keys=2 lut_reg=0 tree_stages=2
tlut_r1_s2  | int8_small  | tlut 0 3 2 1 2 0 | keys=2 lut_reg=1 tree_stages=2
tsign_s1    | tsign_small | tsign 0 0 8 0 1 0 | keys=2 inputs=8 tree_stages=1
tmul_s3     | tmul_small  | tmul 0 0 5 0 3 0 | keys=2 inputs=5 tree_stages=3
fixp_s2     | fixp_small  | fixp 0 0 4 0 2 0 | array_rows=2 array_cols=4 tree_stages=2
tlut_fp_l1  | fp16_small  | tlut 1 3 3 1 0 1 | keys=2 mu=3 luts=3 lut_reg=1 fp_latency=1 tree_stages=0
tlut_fp_l2  | fp16_small  | tlut 1 2 4 0 1 2 | keys=2 mu=2 luts=4 lut_reg=0 fp_latency=2 tree_stages=1
tsign_fp_l2 | fp16_tsign  | tsign 1 0 5 0 0 2 | keys=2 inputs=5 fp_latency=2 tree_stages=0
tmul_fp_l1  | fp16_tmul   | tmul 1 0 3 0 1 1 | keys=2 inputs=3 fp_latency=1 tree_stages=1
mx_tlut_r1  | mxfp4_small | tlut 2 4 2 1 0 1 | keys=2 lut_reg=1 fp_latency=1 tree_stages=0
mx_tlut_l2  | mxfp4_small | tlut 2 2 3 0 1 2 | keys=2 mu=2 luts=3 lut_reg=0 fp_latency=2 tree_stages=1
mx_tsign_l3 | mxfp8_tsign | tsign 2 0 5 0 2 3 | keys=2 inputs=5 fp_latency=3 tree_stages=2
mx_batch2   | mxfp4_small | tlut 2 4 2 1 1 1 | keys=2 lut_reg=1 fp_latency=1 tree_stages=1 batch=2
EOF
while IFS='|' read -r name base shape sets; do
    name=$(echo $name) base=$(echo $base)
    set -- $shape
    kind=$1 fp=$2 mu=$3 T=$4 lr=$5 ts=$6 fl=$7
    if [ $fp = 0 ]; then
        L=$((2 + ts)); prime=0; [ $kind = tlut ] && prime=$lr
    elif [ $fp = 2 ]; then
        L=$((2 + ts + 2 * fl)); prime=0; [ $kind = tlut ] && prime=$lr
    else
        case $kind in tlut) D=$(((mu - 1) * fl + lr)) ;; tsign) D=0 ;; tmul) D=$fl ;; esac
        L=$((2 + D + ts + $(clog2 $T) * fl + fl)); prime=0
    fi
    args="--set out_depth=1"; for s in $sets; do args="$args --set $s"; done
    [ $fp = 2 ] && args="$args --scales $TMP/S1.txt"
    rm -rf "$TMP/lat-work"
    if "$TF" run "$TOP/examples/$base.xml" $args --weights "$TMP/W1.txt" --acts "$TMP/X1.txt" \
        --engine rtl --simulator iverilog --work "$TMP/lat-work" > "$TMP/lat.log" 2>&1; then
        set -- $(awk '{ print $1 }' "$TMP/lat-work/res.txt")
        if [ $# = 2 ] && [ "$1" = $((2 + prime + L)) ] && [ "$2" = $(($1 + 1 + L)) ]; then
            pass "latency/$name: $L cycles from the weight beat to the result beat (measured)"
        else
            echo "FAIL integ/latency/$name: result beats at cycles $*, documented $((2 + prime + L)) and $((2 + prime + 2 * L + 1)) (L = $L, prime $prime)"
        fi
    else
        fail "latency/$name" "$TMP/lat.log"
    fi
done < "$TMP/lat"
