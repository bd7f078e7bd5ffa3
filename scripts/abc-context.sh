#!/bin/sh
# abc-context.sh - why FP sign-flip cores measure smaller with `synth --hier`:
# ABC's area per FP16 adder (tf_fpadd) kept as a module against the same
# adders flattened, alone, side by side and in chains of 2-4 levels, each
# run under K perturbations of Yosys's global name table only (a dummy
# module read, synthesized and deleted first: no logic changes), so the
# spread of one module's ABC result is measured too (docs/cost-model.md,
# "Why FP sign-flip cores measure smaller with --hier").
# Usage: sh scripts/abc-context.sh [K]   (K perturbations, default 4)
# Environment: LOCK=FILE runs each Yosys call under `flock FILE nice`;
# ABC_SCRIPT=S replaces the flow's ABC script (an ablation, e.g.
# "+strash;&get,-n;&nf,{D};&put;stime,-p"); DESIGNS="t2 p8 t4 t8 t16";
# LATENCY=L pipelines every adder (tf_fpadd's LATENCY: registers cut the
# chains).
# The dfflibmap and abc lines are the ones `ternforge gen` writes into a
# point's synth.ys, so this measures the shipped flow (build/ternforge).
# Prints one row per design and mode: adders, chain depth, runs, area per
# adder (flip-flops excluded) mean, sd, min, max in um2.
set -u
cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)
TF="$TOP/build/ternforge"
K=${1:-4}
LOCK=${LOCK:-}
DESIGNS=${DESIGNS:-t2 p8 t4 t8 t16}
LATENCY=${LATENCY:-0}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 2
printf '<?xml version="1.0"?>\n<ternforge version="1"><core kind="tsign"/></ternforge>\n' > base.xml
"$TF" gen base.xml --set act_type=fp16 --set inputs=2 --set keys=2 -o g < /dev/null > /dev/null || exit 1
cp g/tf_fpadd.v . || exit 1
MAP=$(grep '^dfflibmap ' g/synth.ys)
ABC=$(grep '^abc ' g/synth.ys)
if [ -z "$MAP" ] || [ -z "$ABC" ]; then echo "abc-context.sh: no dfflibmap/abc line in synth.ys" >&2; exit 1; fi
[ -n "${ABC_SCRIPT:-}" ] && ABC=$(echo "$ABC" | sed "s|-script \".*\"|-script \"$ABC_SCRIPT\"|")
LIB=$(echo "$MAP" | sed 's/^dfflibmap -liberty "\(.*\)"$/\1/')
FF_AREA=$(awk '/cell \(DFFPOSX1\)/ { f = 1 } f && $1 == "area" { sub(/;/, "", $3); print $3; exit }' "$LIB")
echo 'module dummy(input [7:0] a, b, output [7:0] y); assign y = a * b + a; endmodule' > dummy.v

# wrapper NAME LEAVES TREES: TREES independent trees of tf_fpadd over LEAVES
# registered inputs each, results registered (the sign-flip core's shape)
wrapper() {
    {
        echo "module $1 (input wire clk, input wire [$(($2 * $3 * 16 - 1)):0] x, output reg [$(($3 * 16 - 1)):0] q);"
        echo "  reg [$(($2 * $3 * 16 - 1)):0] r; always @(posedge clk) r <= x;"
        t=0
        while [ $t -lt "$3" ]; do
            i=0
            while [ $i -lt "$2" ]; do echo "  wire [15:0] w${t}_0_$i = r[$(((t * $2 + i) * 16)) +: 16];"; i=$((i + 1)); done
            n=$2; lv=0
            while [ "$n" -gt 1 ]; do
                i=0
                while [ $i -lt $((n / 2)) ]; do
                    echo "  wire [15:0] w${t}_$((lv + 1))_$i; tf_fpadd #(.EXP(5), .MAN(10), .LATENCY($LATENCY)) u${t}_$((lv + 1))_$i (.clk(clk), .a(w${t}_${lv}_$((2 * i))), .b(w${t}_${lv}_$((2 * i + 1))), .y(w${t}_$((lv + 1))_$i));"
                    i=$((i + 1))
                done
                n=$((n / 2)); lv=$((lv + 1))
            done
            echo "  always @(posedge clk) q[$((t * 16)) +: 16] <= w${t}_${lv}_0;"
            t=$((t + 1))
        done
        echo "endmodule"
    } > "$1.v"
}

# run NAME MODE P -> "area flops" (MODE flat or kept; P perturbations first)
run() {
    {
        i=0
        while [ $i -lt "$3" ]; do echo "read_verilog -sv dummy.v"; echo "synth -top dummy"; echo "delete dummy"; i=$((i + 1)); done
        echo "read_verilog -sv $1.v tf_fpadd.v"
        if [ "$2" = kept ]; then
            echo "hierarchy -check -top $1"
            # shellcheck disable=SC2016 # $paramod is Yosys's, not the shell's
            echo 'setattr -set keep_hierarchy 1 t:tf_fpadd t:$paramod*tf_fpadd %u'
        fi
        echo "synth -top $1 -flatten -noshare"
        echo "$MAP"
        echo "$ABC"
        echo "opt_clean -purge"
        echo "tee -q -o stat.txt stat -liberty \"$LIB\" -top $1"
    } > run.ys
    rm -f stat.txt
    if [ -n "$LOCK" ]; then flock "$LOCK" nice yosys -q -s run.ys > run.log 2>&1; else yosys -q -s run.ys > run.log 2>&1; fi ||
        { echo "abc-context.sh: yosys failed on $1 $2 $3:" >&2; tail -n 3 run.log >&2; exit 1; }
    # kept: the area of the one tf_fpadd module; flat: the whole design
    if [ "$2" = kept ]; then
        awk '/^=== / { m = $2 ~ /tf_fpadd/ } m && $1 == "DFFPOSX1" { f = $2 }
             m && /^   Chip area for module/ { a = $NF } END { print a, f + 0 }' stat.txt
    else
        awk '$1 == "DFFPOSX1" { f = $2 } /^   Chip area for module/ { a = $NF } END { print a, f }' stat.txt
    fi
}

printf '%-6s %-5s %6s %5s %4s %9s %6s %9s %9s\n' design mode adders depth runs mean sd min max
for d in $DESIGNS; do
    case $d in
    t2) l=2; t=1 ;; t4) l=4; t=1 ;; t8) l=8; t=1 ;; t16) l=16; t=1 ;; p8) l=2; t=8 ;;
    *) echo "abc-context.sh: unknown design $d" >&2; exit 2 ;;
    esac
    wrapper "$d" $l $t
    adders=$(((l - 1) * t))
    depth=0; n=$l; while [ $n -gt 1 ]; do n=$((n / 2)); depth=$((depth + 1)); done
    modes=flat; [ "$d" = t2 ] && modes="kept flat"
    for m in $modes; do
        p=0
        : > rows
        while [ $p -lt "$K" ]; do run "$d" "$m" $p >> rows || exit 1; p=$((p + 1)); done
        awk -v d="$d" -v m="$m" -v n=$adders -v dep=$depth -v ff="$FF_AREA" '
            { v = m == "kept" ? $1 - ff * $2 : ($1 - ff * $2) / n; s += v; s2 += v * v; c++
              if (c == 1 || v < lo) lo = v; if (c == 1 || v > hi) hi = v }
            END { mu = s / c; sd = s2 / c - mu * mu; sd = sd > 0 ? sqrt(sd) : 0
                  printf "%-6s %-5s %6d %5d %4d %9.0f %6.0f %9.0f %9.0f\n", d, m, n, dep, c, mu, sd, lo, hi }' rows
    done
done
