#!/bin/sh
# scripts/fanout-power.sh - measure what a register driving N enables costs in
# power (osu018, the synth flow's Yosys/ABC script, OpenSTA at 10 ns and the
# global activity 0.1): a valid bit `v` enabling an N-bit register, for N =
# 32 .. 2048. ABC sees the flip-flop's output as a primary input and does not
# buffer it, so its transition time grows with its loads, and each load's
# internal power grows with that transition time (the Liberty tables stop at
# 1.2 ns and OpenSTA extrapolates): the excess over N times a bit's power
# grows like loads^2. osu018.tech's `unit energy slew` line comes from the fit
# printed here (pJ per cycle per load^2 of such a net; docs/cost-model.md,
# "Power of unbuffered register nets").
# Usage: sh scripts/fanout-power.sh [WORKDIR]   (about a minute)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
W=${1:-${TMPDIR:-/tmp}/tf-fanout-power}
. "$TOP/scripts/lone-flow.sh"
mkdir -p "$W"
echo "# N  loads_of_v  total_mW  internal_mW  switching_mW"
: > "$W/power.dat"
for n in 32 64 128 256 512 1024 2048; do
    d="$W/n$n"
    mkdir -p "$d"
    cat > "$d/w.v" <<EOF
module w(input wire clk, input wire vi, input wire [$n-1:0] d, output reg [$n-1:0] q);
  reg v;
  always @(posedge clk) begin v <= vi; if (v) q <= d; end
endmodule
EOF
    lone_flow "$d" w.v "vi d" "set_power_activity -global -activity 0.1
report_power -digits 6"
    # loads of v: gate input pins on the net of the flip-flop whose D is vi
    loads=$(awk '
        /^ *DFFPOSX1 / { inst = 1; dpin = ""; qpin = "" }
        inst && /\.D\(/ { s = $0; sub(/.*\.D\(/, "", s); sub(/\).*/, "", s); dpin = s }
        inst && /\.Q\(/ { s = $0; sub(/.*\.Q\(/, "", s); sub(/\).*/, "", s); qpin = s }
        inst && /\);/ { if (dpin == "vi") vnet = qpin; inst = 0 }
        { line[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                s = line[i]
                if (index(s, ".Q(" vnet ")") || index(s, ".Y(" vnet ")")) continue
                if (index(s, "(" vnet ")")) c++
            }
            print c + 0
        }' "$d/netlist.v")
    awk -v n="$n" -v l="$loads" '$1 == "Total" && NF >= 5 {
            printf "%5d %5d  %.4f  %.4f  %.4f\n", n, l, $5 * 1e3, $2 * 1e3, $3 * 1e3 }' "$d/sta.txt" |
        tee -a "$W/power.dat"
done
# total = a + b N + c loads^2, least squares; c in mW per load^2, and in pJ
# per cycle at 10 ns
awk '{ x1[NR] = $1; x2[NR] = $2 * $2; y[NR] = $3; n = NR }
     END {
         for (i = 1; i <= n; i++) {
             s00 += 1; s01 += x1[i]; s02 += x2[i]; s11 += x1[i] * x1[i]
             s12 += x1[i] * x2[i]; s22 += x2[i] * x2[i]
             t0 += y[i]; t1 += x1[i] * y[i]; t2 += x2[i] * y[i]
         }
         # solve the 3x3 normal equations (Cramer)
         D = s00 * (s11 * s22 - s12 * s12) - s01 * (s01 * s22 - s12 * s02) + s02 * (s01 * s12 - s11 * s02)
         a = (t0 * (s11 * s22 - s12 * s12) - s01 * (t1 * s22 - s12 * t2) + s02 * (t1 * s12 - s11 * t2)) / D
         b = (s00 * (t1 * s22 - t2 * s12) - t0 * (s01 * s22 - s12 * s02) + s02 * (s01 * t2 - t1 * s02)) / D
         c = (s00 * (s11 * t2 - s12 * t1) - s01 * (s01 * t2 - t1 * s02) + t0 * (s01 * s12 - s11 * s02)) / D
         for (i = 1; i <= n; i++) {
             e = (a + b * x1[i] + c * x2[i] - y[i]) / y[i] * 100
             if (e < 0) e = -e
             if (e > m) m = e
         }
         printf "# fit: total = %.4g + %.4g x N + %.4g x loads^2 mW (max error %.1f %%)\n", a, b, c, m
         printf "# unit energy slew (pJ per cycle per load^2 at 10 ns): %.4g\n", c * 10
     }' "$W/power.dat"
