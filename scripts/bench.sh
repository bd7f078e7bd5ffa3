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
                --weights "$TMP/W.$f" --acts "$TMP/X.$f" -o "$TMP/Y-$f.txt"
            r=$(tail -1 "$TMP/rss")
        else
            $TF run examples/int8_large.xml --set mu=4 --set luts=32 --set keys=128 \
                --set max_rows=4096 --set max_cols=4096 --weights "$TMP/W.$f" --acts "$TMP/X.$f" -o "$TMP/Y-$f.txt"
            r=0
        fi
        best=$(awk -v a="$(now)" -v b="$t0" -v c="$best" 'BEGIN { t = a - b; print (t < c ? t : c) }')
        [ "$r" -gt "$rss" ] && rss=$r
    done
    printf "run with W.%s, X.%s: %.2f s wall, peak RSS %d MB\n" $f $f "$best" $((rss / 1024))
done
cmp -s "$TMP/Y-txt.txt" "$TMP/Y-npy.txt" && echo "run: the same Y from text and .npy" ||
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

echo "== generation: fixp 16 x 16 MAC array, FP16 tlut 32 x 32 tile"
gen_time examples/fixp_small.xml --set array_rows=16 --set array_cols=16 --set max_rows=1024 --set max_cols=1024
gen_time examples/fp16_small.xml --set mu=4 --set luts=8 --set keys=32 --set max_rows=512 --set max_cols=512

# Co-simulation under Verilator (INT8, FP16, fixp) as ratios to the
# sign-flip yardstick built and run alongside (also: make bench-cosim).
TF=$TF sh scripts/bench-cosim.sh
