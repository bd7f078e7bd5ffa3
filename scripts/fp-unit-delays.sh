#!/bin/sh
# scripts/fp-unit-delays.sh - measure lone FP adders (tf_fpadd) and block
# converters (tf_mxconv) between registers with the osu018 flow (the same
# Yosys/ABC script as `synth`, OpenSTA at 10 ns) and fit the cost model's
# FP adder delay lines to them: delay fp0 + fpadd x (exp + man bits), the
# flip-flop's clock-to-Q taken out (the model's `reg` term pays it).
# osu018.tech's fpadd and fp0 lines come from here and are held by
# `calibrate --hold-delay fpadd,fp0` (docs/cost-model.md, "FP adder and
# converter delays"). The converter rows and the widened-operand rows are
# printed for the record; they are not fitted here.
# Usage: sh scripts/fp-unit-delays.sh [WORKDIR]   (about a minute)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/tf-fp-unit-delays}
. "$TOP/scripts/lone-flow.sh"
mkdir -p "$W"
cp "$TOP/rtl-templates/tf_fpadd.v" "$TOP/rtl-templates/tf_fpwiden.v" \
   "$TOP/rtl-templates/tf_mxconv.v" "$W/"

# run NAME INPUTS: synthesize $W/NAME/w.v (module w, clock clk, output q),
# print "clock-to-Q arrival" of the worst path
run() {
    d="$W/$1"
    lone_flow "$d" "../tf_fpadd.v ../tf_fpwiden.v ../tf_mxconv.v w.v" "$2" \
        "report_checks -path_delay max -digits 4"
    q=$(grep '/Q (DFF' "$d/sta.txt" | head -1 | awk '{print $1}')
    a=$(grep 'data arrival time' "$d/sta.txt" | head -1 | awk '{print $1}')
    echo "$q $a"
}

# a + b in format (E, M): registers, tf_fpadd, register
echo "# lone tf_fpadd: exp man  clock-to-Q  arrival  arrival - clock-to-Q (ns)"
: > "$W/fpadd.dat"
for em in "4 3" "5 2" "5 6" "8 7" "5 10" "8 10" "6 12" "8 15" "8 19" "8 23" "11 23"; do
    set -- $em
    n=$(($1 + $2 + 1)); mkdir -p "$W/fa_$1_$2"
    cat > "$W/fa_$1_$2/w.v" <<EOF
module w(input wire clk, input wire [$n-1:0] a, input wire [$n-1:0] b, output reg [$n-1:0] q);
  reg [$n-1:0] ra, rb; wire [$n-1:0] y;
  always @(posedge clk) begin ra <= a; rb <= b; q <= y; end
  tf_fpadd #(.EXP($1), .MAN($2)) u (.clk(clk), .a(ra), .b(rb), .y(y));
endmodule
EOF
    r=$(run "fa_$1_$2" "a b")
    echo "$1 $2 $r" | awk '{printf "%2d %2d  %.4f  %.4f  %.4f\n", $1, $2, $3, $4, $4 - $3}'
    echo "$1 $2 $r" >> "$W/fpadd.dat"
done
awk '{x = $1 + $2; y = $4 - $3; n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
      X[n] = x; Y[n] = y}
     END {b = (n * sxy - sx * sy) / (n * sxx - sx * sx); a = (sy - b * sx) / n;
          for (i = 1; i <= n; i++) {e = (a + b * X[i] - Y[i]) / Y[i] * 100; if (e < 0) e = -e;
          s += e; if (e > m) m = e}
          printf "# fit: delay fp0 %.4g, delay fpadd %.4g (per exp + man bit); ", a, b
          printf "error MAPE %.1f %%, max %.1f %% over %d formats\n", s / n, m, n}' \
    "$W/fpadd.dat"

# both operands activations widened into the sum format (a sign-flip
# tree's first level): IE IM IBIAS IHAS_INF -> E M BIAS
echo "# widened operands: activation -> sum format  arrival - clock-to-Q (ns)"
for f in "5 2 15 1 8 23 127 e5m2-fp32" "4 3 7 0 5 10 15 e4m3-fp16" "5 2 15 1 5 10 15 e5m2-fp16"; do
    set -- $f
    iw=$(($1 + $2 + 1)) n=$(($5 + $6 + 1)); mkdir -p "$W/fw_$8"
    wp=".IEXP($1),.IMAN($2),.IBIAS($3),.IHAS_INF($4),.OEXP($5),.OMAN($6),.OBIAS($7)"
    cat > "$W/fw_$8/w.v" <<EOF
module w(input wire clk, input wire [$iw-1:0] a, input wire [$iw-1:0] b, output reg [$n-1:0] q);
  reg [$iw-1:0] ra, rb; wire [$n-1:0] y, wa, wb;
  always @(posedge clk) begin ra <= a; rb <= b; q <= y; end
  tf_fpwiden #($wp) ua (.a(ra), .y(wa));
  tf_fpwiden #($wp) ub (.a(rb), .y(wb));
  tf_fpadd #(.EXP($5), .MAN($6)) u (.clk(clk), .a(wa), .b(wb), .y(y));
endmodule
EOF
    run "fw_$8" "a b" | awk -v n="$8" '{printf "%-10s %.4f\n", n, $2 - $1}'
done

# block converters: SW magnitude bits, SCALE (0 E8M0, 1 UE4M3), out (E, M)
echo "# lone tf_mxconv: SW SCALE exp man  arrival - clock-to-Q (ns)"
for c in "6 0 8 23" "10 0 8 23" "16 0 8 23" "24 0 8 23" "8 1 8 23" "10 0 5 10" "10 1 5 10" "16 0 5 10" "10 0 8 7"; do
    set -- $c
    n=$(($3 + $4 + 1)); mkdir -p "$W/cv_$1_$2_$3_$4"
    cat > "$W/cv_$1_$2_$3_$4/w.v" <<EOF
module w(input wire clk, input wire [$1-1:0] s, input wire [7:0] sc, input wire [2:0] f, output reg [$n-1:0] q);
  reg [$1-1:0] rs; reg [7:0] rsc; reg [2:0] rf; wire [$n-1:0] y;
  always @(posedge clk) begin rs <= s; rsc <= sc; rf <= f; q <= y; end
  tf_mxconv #(.SW($1), .POINT(2), .SCALE($2), .EXP($3), .MAN($4)) u (.clk(clk), .s(rs), .sc(rsc),
      .nan_i(rf[0]), .pinf_i(rf[1]), .ninf_i(rf[2]), .y(y));
endmodule
EOF
    run "cv_$1_$2_$3_$4" "s sc f" | awk -v c="$c" '{printf "%-12s %.4f\n", c, $2 - $1}'
done
