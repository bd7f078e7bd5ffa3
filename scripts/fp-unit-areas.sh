#!/bin/sh
# scripts/fp-unit-areas.sh - measure the area of lone FP adders (tf_fpadd)
# on osu018 (the synth flow's Yosys/ABC script, flattened, `stat
# -liberty`), with full operands and with both operands activations
# widened into the sum format (tf_fpwiden; a sign-flip tree's first level
# and a LUT build's adders of activations in a flat run), so the cost
# model's FP adder units can follow the bits the adder really adds
# (docs/cost-model.md, "FP adder areas by operand width").
# Combinational: no registers, so the numbers are the logic alone.
# Usage: sh scripts/fp-unit-areas.sh [WORKDIR]   (a few minutes; run it
# under the synthesis lock on a shared machine)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/tf-fp-unit-areas}
. "$TOP/scripts/lone-flow.sh"
mkdir -p "$W"
cp "$TOP/rtl-templates/tf_fpadd.v" "$TOP/rtl-templates/tf_fpwiden.v" "$W/"

# area NAME: the area of $W/NAME/w.v (um2), cached
area() {
    lone_area "$W/$1" "../tf_fpadd.v ../tf_fpwiden.v w.v"
}

# fmt NAME -> "EXP MAN BIAS HAS_INF"
fmt() {
    case $1 in
    e4m3) echo "4 3 7 0" ;; e5m2) echo "5 2 15 1" ;; fp16) echo "5 10 15 1" ;;
    bf16) echo "8 7 127 1" ;; fp32) echo "8 23 127 1" ;;
    esac
}

# full operands: y = a + b in one format
echo "# lone tf_fpadd, full operands: format exp man area(um2)"
for f in e4m3 e5m2 fp16 bf16 fp32; do
    set -- $(fmt $f)
    n=$(($1 + $2 + 1)); mkdir -p "$W/fa_$f"
    cat > "$W/fa_$f/w.v" <<EOF
module w(input wire clk, input wire [$n-1:0] a, input wire [$n-1:0] b, output wire [$n-1:0] y);
  tf_fpadd #(.EXP($1), .MAN($2)) u (.clk(clk), .a(a), .b(b), .y(y));
endmodule
EOF
    printf "full %-5s %2d %2d %s\n" $f $1 $2 "$(area fa_$f)"
done

# widened operands: y = widen(a) + widen(b), and one widening alone (the
# model prices widenings apart, PRIM_FPCVT): adder = pair - 2 x widen
echo "# widened: act sum  pair(um2) widen(um2) adder = pair - 2 widen (um2)"
for p in "e5m2 fp16" "e4m3 fp16" "e5m2 bf16" "e4m3 bf16" "e5m2 fp32" "e4m3 fp32" \
         "fp16 fp32" "bf16 fp32"; do
    set -- $p
    a=$1 s=$2
    set -- $(fmt $a) $(fmt $s)
    iw=$(($1 + $2 + 1)) n=$(($5 + $6 + 1))
    wp=".IEXP($1),.IMAN($2),.IBIAS($3),.IHAS_INF($4),.OEXP($5),.OMAN($6),.OBIAS($7)"
    mkdir -p "$W/fw_${a}_$s" "$W/cv_${a}_$s"
    cat > "$W/fw_${a}_$s/w.v" <<EOF
module w(input wire clk, input wire [$iw-1:0] a, input wire [$iw-1:0] b, output wire [$n-1:0] y);
  wire [$n-1:0] wa, wb;
  tf_fpwiden #($wp) ua (.a(a), .y(wa));
  tf_fpwiden #($wp) ub (.a(b), .y(wb));
  tf_fpadd #(.EXP($5), .MAN($6)) u (.clk(clk), .a(wa), .b(wb), .y(y));
endmodule
EOF
    cat > "$W/cv_${a}_$s/w.v" <<EOF
module w(input wire [$iw-1:0] a, output wire [$n-1:0] y);
  tf_fpwiden #($wp) ua (.a(a), .y(y));
endmodule
EOF
    pa=$(area fw_${a}_$s) ca=$(area cv_${a}_$s)
    echo "$a $s $pa $ca" | awk '{printf "wide %-5s %-5s %9.0f %8.0f %9.0f\n", $1, $2, $3, $4, $3 - 2 * $4}'
done
