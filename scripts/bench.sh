#!/bin/sh
# bench.sh - ternforge benchmarks (make bench). Prints numbers; the goals
# are in the issues and the closing notes, not asserted here.
set -eu
cd "$(dirname "$0")/.."
TF=build/ternforge
export TERNFORGE_CACHE=${TERNFORGE_CACHE:-$(pwd)/build/sim-cache}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
now() { date +%s.%N; }

# gen_time PARAMS.xml [--set ...]: best of 5 wall times of `gen`.
gen_time() {
    best=999
    for i in 1 2 3 4 5; do
        t0=$(now)
        $TF gen "$@" -o "$TMP/gen" > /dev/null
        best=$(awk -v a="$(now)" -v b="$t0" -v c="$best" 'BEGIN { t = a - b; print (t < c ? t : c) }')
    done
    printf "gen: best of 5: %.3f s, %s lines of Verilog\n" "$best" "$(cat "$TMP"/gen/*.v | wc -l)"
    rm -rf "$TMP/gen"
}

# matrix FILE ROWS COLS SEED VALUE-EXPR: random text matrix (awk only);
# VALUE-EXPR is an awk expression of r = rand().
matrix() {
    awk -v M="$2" -v N="$3" -v seed="$4" "BEGIN { srand(seed); print M, N
        for (i = 0; i < M; i++) { l = \"\"
            for (j = 0; j < N; j++) { r = rand(); l = l (j ? \" \" : \"\") ($5) }
            print l } }" > "$1"
}

# cosim PARAMS.xml W X [--set ...]: the model and the RTL on one workload;
# prints the simulation rate and whether the bits agree.
cosim() {
    p=$1 w=$2 x=$3
    shift 3
    $TF run "$p" "$@" --weights "$w" --acts "$x" -o "$TMP/Ym.txt"
    $TF run "$p" "$@" --weights "$w" --acts "$x" --engine rtl -v -o "$TMP/Yr.txt" \
        2> "$TMP/rtl.log" || { cat "$TMP/rtl.log"; exit 1; }
    grep "^run:" "$TMP/rtl.log" | sed 's/^run:/cosim:/'
    cmp -s "$TMP/Ym.txt" "$TMP/Yr.txt" && echo "cosim: RTL result identical to the C model" ||
        { echo "cosim: RTL result DIFFERS from the C model"; exit 1; }
}

echo "== generation: INT8 tlut, mu=4 L=32 K=128 (128 x 128 tile), max 4096 x 4096 (goal < 0.1 s)"
gen_time examples/int8_large.xml --set mu=4 --set luts=32 --set keys=128 \
    --set max_rows=4096 --set max_cols=4096

echo "== C model"
build/tests/unit/bench_model

echo "== matrix reading: text and .npy (goal >= 100 M values/s; memory proportional to the matrix)"
build/tests/unit/bench_matrix "$TMP"
echo "run: 4096 x 4096 W, 4096 x 16 X, INT8 tlut (mu=4 L=32 K=128), best of 3 (reading + model):"
for f in txt npy; do
    best=999 rss=0
    for i in 1 2 3; do
        t0=$(now)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f %M -o "$TMP/rss" $TF run examples/int8_large.xml --set mu=4 --set luts=32 \
                --set keys=128 --set max_rows=4096 --set max_cols=4096 \
                --weights "$TMP/W.$f" --acts "$TMP/X.$f" -o "$TMP/Y.$f"
            r=$(tail -1 "$TMP/rss")
        else
            $TF run examples/int8_large.xml --set mu=4 --set luts=32 --set keys=128 \
                --set max_rows=4096 --set max_cols=4096 --weights "$TMP/W.$f" --acts "$TMP/X.$f" -o "$TMP/Y.$f"
            r=0
        fi
        best=$(awk -v a="$(now)" -v b="$t0" -v c="$best" 'BEGIN { t = a - b; print (t < c ? t : c) }')
        [ "$r" -gt "$rss" ] && rss=$r
    done
    printf "run with W.%s, X.%s: %.2f s wall, peak RSS %d MB\n" $f $f "$best" $((rss / 1024))
done
cmp -s "$TMP/Y.txt" "$TMP/Y.npy" && echo "run: the same Y from text and .npy" ||
    { echo "run: Y DIFFERS between text and .npy"; exit 1; }
rm -f "$TMP"/W* "$TMP"/X* "$TMP"/Y*

echo "== cost model (design-point evaluations per second, one core)"
build/tests/unit/bench_cost

echo "== sweep: 1,126,400 points, exact Pareto front (goals: < 1 s one core; < 5 s with points.csv)"
for mode in "--no-points" ""; do
    t0=$(now)
    $TF sweep tests/bench/million.xml -o "$TMP/sweep" --no-plots $mode > "$TMP/sweep.log"
    t=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')
    printf "sweep %-12s %.2f s wall (%s)\n" "${mode:-with-points}" "$t" "$(head -1 "$TMP/sweep.log" | sed 's/.*front //')"
    [ -z "$mode" ] && printf "points.csv: %s bytes, %s rows\n" "$(wc -c < "$TMP/sweep/points.csv")" "$(($(wc -l < "$TMP/sweep/points.csv") - 1))"
    rm -rf "$TMP/sweep"
done
t0=$(now)
$TF sweep tests/bench/million.xml -o "$TMP/sweep" --no-plots --no-points --jobs 2 > /dev/null
printf "sweep --no-points --jobs 2: %.2f s wall\n" "$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')"
rm -rf "$TMP/sweep"

echo "== Verilator co-simulation: INT8 tlut 32 x 32 tile (mu=4 L=8 K=32)"
matrix "$TMP/W.txt" 2048 2048 1 'int(r * 3) - 1'
matrix "$TMP/X.txt" 2048 32 2 'int(r * 256) - 128'
cosim examples/int8_large.xml "$TMP/W.txt" "$TMP/X.txt" \
    --set mu=4 --set luts=8 --set keys=32 --set max_rows=2048 --set max_cols=2048
echo "(goal >= 1 M cycles/s; the rate includes the harness reading the"
echo " weight stream from a text file, one hex line per cycle)"

echo "== fixp: 16 x 16 MAC array (ap_fixed<8,1> x ap_fixed<8,1> -> ap_fixed<16,4>, rnd_conv, sat)"
P16="--set array_rows=16 --set array_cols=16 --set max_rows=1024 --set max_cols=1024"
gen_time examples/fixp_small.xml $P16
matrix "$TMP/Wf.txt" 1024 1024 3 'int(r * 256) - 128'
matrix "$TMP/Xf.txt" 1024 16 4 'int(r * 256) - 128'
cosim examples/fixp_small.xml "$TMP/Wf.txt" "$TMP/Xf.txt" $P16

echo "== FP16 tlut 32 x 32 tile (mu=4 L=8 K=32, fp16 sums, fp_latency=1)"
PF="--set mu=4 --set luts=8 --set keys=32 --set max_rows=512 --set max_cols=512"
gen_time examples/fp16_small.xml $PF
matrix "$TMP/Wp.txt" 512 512 5 'int(r * 3) - 1'
matrix "$TMP/Xp.txt" 512 64 6 'sprintf("%.3f", (r - 0.5) * 8)'
cosim examples/fp16_small.xml "$TMP/Wp.txt" "$TMP/Xp.txt" $PF
echo "(fp_latency=1 spaces weight beats 2 cycles apart: cycles count both)"
