#!/bin/sh
# scripts/fpadd-instr.sh - instructions and mispredicted branches per FP
# adder evaluation under Verilator, for two versions of tf_fpadd (issue 20;
# docs/testing.md, session 16). Each version is built into a bench of 64
# fp16 adders (operands from registers, each result registered and XORed
# into one output, so nothing is optimized away) with sim/cosim.c's flags
# for FP cores; valgrind's cachegrind counts the run at 4,000 and 12,000
# cycles, and the difference over 8,000 cycles, less that of the same bench
# with a pass-through module in place of the adder, divided by 64, is the
# cost of one adder evaluation. Counts, not times: the machine's load does
# not move them.
# Usage: sh scripts/fpadd-instr.sh [OLD.v [NEW.v]]
#   OLD.v defaults to main's rtl-templates/tf_fpadd.v (git show), NEW.v to
#   the work tree's. Environment: FPI_CXX (g++ or clang++, default clang++,
#   the compiler sim picks when it is installed), FPI_LATENCY (default
#   "0 1"), FPI_EXP / FPI_MAN (default 5 / 10).
# Prints one line per latency and operand mix (0: random bit patterns,
# 1: fp16 operands with exponents 10..21 within 2 of each other).
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
CXX=${FPI_CXX:-clang++}
LATS=${FPI_LATENCY:-0 1}
E=${FPI_EXP:-5}
M=${FPI_MAN:-10}
W=${TMPDIR:-/tmp}/tf-fpadd-instr
rm -rf "$W"; mkdir -p "$W"
if [ $# -ge 1 ]; then cp "$1" "$W/old.v"; else git show main:rtl-templates/tf_fpadd.v > "$W/old.v"; fi
cp "${2:-$TOP/rtl-templates/tf_fpadd.v}" "$W/new.v"
sed -i 's/^module tf_fpadd /module tf_fpadd_old /' "$W/old.v"
sed -i 's/^module tf_fpadd /module tf_fpadd_new /' "$W/new.v"
cat > "$W/pass.v" <<'EOF'
module pass #(parameter EXP = 5, parameter MAN = 10, parameter LATENCY = 0) (
    input wire clk, input wire [EXP+MAN:0] a, input wire [EXP+MAN:0] b, output wire [EXP+MAN:0] y);
    assign y = a ^ b;
endmodule
EOF
cat > "$W/bench.v" <<'EOF'
module bench #(parameter N = 64, parameter EXP = 5, parameter MAN = 10, parameter L = 0) (
    input wire clk, input wire [(EXP+MAN+1)*N-1:0] a, input wire [(EXP+MAN+1)*N-1:0] b,
    output wire [EXP+MAN:0] y);
    localparam W = EXP + MAN + 1;
    reg [W*N-1:0] ra, rb;
    always @(posedge clk) begin ra <= a; rb <= b; end
    wire [W-1:0] x [0:N];
    assign x[0] = 0;
    genvar k;
    generate for (k = 0; k < N; k = k + 1) begin : g
        wire [W-1:0] yk;
        reg [W-1:0] q;
        `ADDER #(.EXP(EXP), .MAN(MAN), .LATENCY(L)) u (.clk(clk), .a(ra[W*k +: W]),
                                                      .b(rb[W*k +: W]), .y(yk));
        always @(posedge clk) q <= yk;
        assign x[k+1] = x[k] ^ q;
    end endgenerate
    assign y = x[N];
endmodule
EOF
cat > "$W/bench.cpp" <<'EOF'
#include "Vbench.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
static uint64_t rs = 88172645463325252ull;
static uint64_t rnd() { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
int main(int argc, char **argv) {
    long cycles = atol(argv[1]);
    int mode = atoi(argv[2]);
    Vbench *m = new Vbench;
    const int words = sizeof(m->a) / 4;
    static uint32_t A[1024][256], B[1024][256];
    for (int s = 0; s < 1024; s++)
        for (int w = 0; w < words; w++) {
            if (mode == 0) { A[s][w] = rnd(); B[s][w] = rnd(); continue; }
            uint32_t x = 0, z = 0;
            for (int h = 0; h < 2; h++) {
                uint32_t e = 10 + rnd() % 10, f = e + rnd() % 3;
                x |= (uint32_t)(((rnd() & 1) << 15) | (e << 10) | (rnd() & 1023)) << (16 * h);
                z |= (uint32_t)(((rnd() & 1) << 15) | (f << 10) | (rnd() & 1023)) << (16 * h);
            }
            A[s][w] = x; B[s][w] = z;
        }
    uint64_t ck = 0;
    for (long c = 0; c < cycles; c++) {
        for (int w = 0; w < words; w++) { m->a[w] = A[c % 1024][w]; m->b[w] = B[c % 1024][w]; }
        m->clk = 0; m->eval();
        m->clk = 1; m->eval();
        ck = ck * 31 + m->y;
    }
    printf("%016llx\n", (unsigned long long)ck);
    delete m;
    return 0;
}
EOF
# build FILE MODULE L: the bench's simulator in $W/o_MODULE_L
build() {
    (cd "$W" && nice verilator --cc --exe --build -j 2 -O3 --x-assign unique --x-initial unique \
        --unroll-stmts 1000000 --inline-mult 10 -Wno-fatal -Wno-lint -Wno-style \
        -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1 CXX=$CXX LINK=$CXX" \
        --top-module bench -GL="$3" -GEXP="$E" -GMAN="$M" -DADDER="$2" -Mdir "o_$2_$3" \
        "$1" bench.v bench.cpp > "o_$2_$3.log" 2>&1) ||
        { tail -20 "$W/o_$2_$3.log"; exit 1; }
}
# count SIM MODE: "instructions mispredicts" per cycle (12,000 less 4,000 cycles)
count() {
    for c in 4000 12000; do
        valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes --cachegrind-out-file=/dev/null \
            "$1" $c "$2" 2>&1 | awk '/I *refs/ {gsub(",", "", $4); i = $4}
                                     /Mispredicts:/ {gsub(",", "", $3); b = $3}
                                     END {print i, b}'
    done | awk 'NR == 1 {i = $1; b = $2} NR == 2 {printf "%.2f %.3f\n", ($1 - i) / 8000, ($2 - b) / 8000}'
}
echo "# fp$((E + M + 1)) (EXP=$E MAN=$M), $CXX: per adder evaluation, old and new"
echo "# L mix  instr_old instr_new  ratio  mispred_old mispred_new"
for l in $LATS; do
    build old.v tf_fpadd_old "$l"
    build new.v tf_fpadd_new "$l"
    build pass.v pass "$l"
    for mode in 0 1; do
        p=$(count "$W/o_pass_$l/Vbench" $mode)
        o=$(count "$W/o_tf_fpadd_old_$l/Vbench" $mode)
        n=$(count "$W/o_tf_fpadd_new_$l/Vbench" $mode)
        echo "$l $mode $p $o $n" | awk '{io = ($5 - $3) / 64; in_ = ($7 - $3) / 64
            printf "%d %d  %9.1f %9.1f  %5.2fx  %11.3f %11.3f\n", $1, $2, io, in_, io / in_,
                   ($6 - $4) / 64, ($8 - $4) / 64}'
    done
done
