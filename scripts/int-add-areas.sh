#!/bin/sh
# scripts/int-add-areas.sh - measure the area of lone integer adder trees
# and multipliers on osu018 (the synth flow's Yosys/ABC script, flattened,
# `stat -liberty`):
# - adder trees: n signed w-bit operands summed pairwise, level by level,
#   each sum one bit wider than its operands, as the generator writes a
#   core's adder tree; um2 per adder result bit (the cost model's `add`
#   feature), which calibrate holds (make calibrate: --hold-unit
#   area:add): a fit of the small calibration cores alone gave 108 um2 a
#   bit, and the 16x16 and 32x32 INT8 LUT cores' trees came out 10-17 %
#   short;
# - signed a x b multipliers: um2 per partial-product bit (a b) and per
#   full adder of the array ((a - 1)(b - 1), the ASIC `mul` feature).
# docs/cost-model.md, "Integer adders and multipliers, measured alone".
# Combinational: no registers, so the numbers are the logic alone.
# Usage: sh scripts/int-add-areas.sh [WORKDIR]   (about a minute)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/tf-int-add-areas}
. "$TOP/scripts/lone-flow.sh"
mkdir -p "$W"

# tree N W: write $W/t_N_W/w.v, an N-operand tree of W-bit signed operands;
# prints its adder result bits
tree() {
    d="$W/t_$1_$2"
    mkdir -p "$d"
    awk -v n="$1" -v w="$2" 'BEGIN {
        printf "module w(input wire [%d:0] x, output wire [%d:0] y);\n", n * w - 1, 63
        m = n; for (i = 0; i < n; i++) { nm[i] = sprintf("x[%d +: %d]", i * w, w); wd[i] = w }
        lv = 0; bits = 0
        while (m > 1) {
            k = 0
            for (i = 0; i + 1 < m; i += 2) {
                ww = (wd[i] > wd[i + 1] ? wd[i] : wd[i + 1]) + 1
                s = sprintf("s%d_%d", lv, k)
                printf "  wire signed [%d:0] %s = $signed(%s) + $signed(%s);\n", ww - 1, s, nm[i], nm[i + 1]
                nn[k] = s; nw[k] = ww; k++; bits += ww
            }
            if (m % 2) { nn[k] = nm[m - 1]; nw[k] = wd[m - 1]; k++ }
            for (i = 0; i < k; i++) { nm[i] = nn[i]; wd[i] = nw[i] }
            m = k; lv++
        }
        printf "  assign y = {{%d{%s[%d]}}, %s};\nendmodule\n", 64 - wd[0], nm[0], wd[0] - 1, nm[0]
        print bits > "/dev/stderr"
    }' > "$d/w.v" 2> "$d/bits.txt"
    cat "$d/bits.txt"
}

# area NAME: the area of $W/NAME/w.v (um2), cached
area() {
    lone_area "$W/$1" w.v
}

echo "# lone signed adder trees: operands width bits area(um2) um2/bit"
for n in 2 4 8 16 32; do
    for w in 6 8 10 12; do
        b=$(tree $n $w)
        a=$(area "t_${n}_$w")
        echo "$n $w $b $a" | awk '{printf "%2d %2d %4d %9.0f %6.1f\n", $1, $2, $3, $4, $4 / $3}'
    done
done | tee "$W/all.txt"
awk '{a += $4; b += $3} END {printf "# all trees: %.1f um2 per adder bit\n", a / b}' "$W/all.txt"

echo "# lone signed multipliers: a b area(um2) um2/(a b) um2/((a-1)(b-1))"
for ab in 4x4 5x5 6x6 7x5 8x8 12x12 16x16; do
    a=${ab%x*} b=${ab#*x}
    mkdir -p "$W/m_$ab"
    printf 'module w(input wire signed [%d:0] a, input wire signed [%d:0] b, output wire signed [%d:0] y);\n  assign y = a * b;\nendmodule\n' \
        $((a - 1)) $((b - 1)) $((a + b - 1)) > "$W/m_$ab/w.v"
    echo "$a $b $(area "m_$ab")"
done | awk '{printf "%2d %2d %9.0f %6.1f %6.1f\n", $1, $2, $3, $3 / ($1 * $2), $3 / (($1 - 1) * ($2 - 1))}' | tee "$W/mul.txt"
awk '{a += $3; f += ($1 - 1) * ($2 - 1)} END {printf "# all multipliers: %.1f um2 per full adder of the array\n", a / f}' "$W/mul.txt"
