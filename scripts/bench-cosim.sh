#!/bin/sh
# bench-cosim.sh - Verilator co-simulation bench (issue 20; part of make
# bench, alone as make bench-cosim). Builds and runs a naive hand-written
# sign-flip array (tests/bench/yardstick: the issue's, built with its flags,
# registered ports, weights held for 1024 cycles, activations new every
# cycle, stimulus in memory) in the same run as our cores, and reports each
# core's build time (empty cache) and simulation rate as ratios to it: the
# machine is shared and noisy, so ratios within one run are comparable
# across runs, absolute times are not. Our cores' rates are the harness's
# clock loop with the stimulus parsed before it starts, as the yardstick's
# driver loops over memory, and both make two eval() calls per cycle; the
# harness's own share of the loop is printed apart. Run it under
# `flock /work/notes/heavy.lock` on the shared machine.
#   BENCH_CORES="int8 fp16 fixp" (default: all three) selects the cores.
#   BENCH_ROUNDS=N (default 5): after the build, N more runs of the cached
#   simulator, each right after a yardstick run of about the same length;
#   the row "alternating" gives the median of the N per-CPU-second ratios
#   and their range (a one-off run on a shared machine moves by tens of %).
#   BENCH_VRT=cold builds every core from an empty cache; by default each
#   core's cache holds Verilator's runtime library, built once before the
#   cores (sim/cosim.c caches it apart from the cores, as in a CI run whose
#   cache is kept), so the build rows are the core's own cost.
set -eu
cd "$(dirname "$0")/.."
TF=${TF:-build/ternforge}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }

# matrix FILE ROWS COLS SEED VALUE-EXPR (as in bench.sh)
matrix() {
    awk -v M="$2" -v N="$3" -v seed="$4" "BEGIN { srand(seed); print M, N
        for (i = 0; i < M; i++) { l = \"\"
            for (j = 0; j < N; j++) { r = rand(); l = l (j ? \" \" : \"\") ($5) }
            print l } }" > "$1"
}

echo "== yardstick: naive 32 x 32 INT8 sign-flip array (tests/bench/yardstick)"
mkdir "$TMP/ys"
cp tests/bench/yardstick/signflip.v tests/bench/yardstick/signflip_tb.cpp "$TMP/ys/"
t0=$(now)
(cd "$TMP/ys" && /usr/bin/time -f "%U %S" -o time.txt verilator --cc --exe --build -O3 \
    --x-assign fast -j 2 --Mdir obj -o ../Vsignflip signflip.v signflip_tb.cpp > build.log 2>&1) ||
    { cat "$TMP/ys/build.log"; exit 1; }
ys_build=$(since "$t0")
ys_bcpu=$(awk '{ print $1 + $2 }' "$TMP/ys/time.txt")
ys_line=$("$TMP/ys/Vsignflip" 2000000 1)
ys_rate=$(echo "$ys_line" | sed 's/.*(\([0-9]*\) cycles\/s).*/\1/')
ys_crate=$(echo "$ys_line" | sed 's/.*(\([0-9]*\) cycles\/cpu-s).*/\1/')
echo "yardstick: build $ys_build s (cpu $ys_bcpu s); $ys_line"

mkdir "$TMP/vrt"
if [ "${BENCH_VRT:-warm}" != cold ]; then
    t0=$(now)
    TERNFORGE_CACHE=$TMP/vrt /usr/bin/time -f "%U %S" -o "$TMP/time.txt" \
        $TF sim examples/int8_small.xml --vectors 1 > "$TMP/vrt.log" 2>&1 || { cat "$TMP/vrt.log"; exit 1; }
    rm -rf "$TMP"/vrt/sim-*
    echo "runtime library: cached with int8_small's build, $(since "$t0") s (cpu $(awk '{ print $1 + $2 }' "$TMP/time.txt") s)"
fi

# loop_cpu LINE: the clock loop's CPU seconds in a harness's "run:" line
loop_cpu() {
    echo "$1" | awk '{ for (i = 2; i <= NF; i++) if ($i == "cpu" && $(i - 1) == "loop") print $(i + 1) + 0 }'
}

# core NAME PARAMS.xml W X [--set ...]: build from an empty cache, run the
# workload once with the model and once on the RTL (results compared), and
# print the row with the ratios to the yardstick.
core() {
    name=$1 p=$2 w=$3 x=$4
    shift 4
    cache="$TMP/cache-$name"
    cp -R "$TMP/vrt" "$cache"
    $TF run "$p" "$@" --weights "$w" --acts "$x" -o "$TMP/Ym.txt"
    TERNFORGE_CACHE=$cache /usr/bin/time -f "%U %S" -o "$TMP/time.txt" $TF run "$p" "$@" \
        --weights "$w" --acts "$x" --engine rtl -v -o "$TMP/Yr.txt" 2> "$TMP/rtl.log" ||
        { cat "$TMP/rtl.log"; exit 1; }
    cmp -s "$TMP/Ym.txt" "$TMP/Yr.txt" ||
        { echo "$name: RTL result DIFFERS from the C model"; exit 1; }
    line=$(grep "^run:" "$TMP/rtl.log")
    echo "$name: $line"
    # wall and CPU: the machine is shared, CPU seconds are the steadier;
    # the build's CPU is the whole command's less the clock loop's
    echo "$line" | awk -v n="$name" -v yb="$ys_build" -v ybc="$ys_bcpu" -v yr="$ys_rate" \
        -v yrc="$ys_crate" -v cpu="$(awk '{ print $1 + $2 }' "$TMP/time.txt")" '{
        cyc = $2; sim = $6; build = 0; loop = 0; lcpu = 0; hs = ""
        for (i = 1; i <= NF; i++) {
            if ($i == "build") build = $(i + 1) + 0
            if ($i == "loop" && $(i + 1) != "cpu") loop = $(i + 1) + 0
            if ($i == "cpu" && $(i - 1) == "loop") lcpu = $(i + 1) + 0
            if ($i == "harness") hs = $(i + 1) + 0
        }
        rate = cyc / sim
        printf "%-5s build %6.1f s = %5.1f x yardstick, cpu %6.1f s = %5.1f x;", \
            n, build, build / yb, cpu - lcpu, (cpu - lcpu) / ybc
        printf " rate %8.0f cycles/s = %.3f x", rate, rate / yr
        if (loop > 0)
            printf "; stimulus in memory %8.0f cycles/s = %.3f x, per cpu-s %8.0f = %.3f x", \
                cyc / loop, cyc / loop / yr, cyc / lcpu, cyc / lcpu / yrc
        if (hs != "")
            printf "; harness %d %% of the loop", hs
        printf "\n" }'
    # alternating rounds: yardstick then core, the ratio of each pair
    cyc=$(echo "$line" | awk '{ print $2 }')
    # the yardstick's cycles: as long a run as the core's first (CPU time)
    ycyc=$(awk -v l="$(loop_cpu "$line")" -v yrc="$ys_crate" \
        'BEGIN { n = int(l * yrc); print (n < 100000 ? 100000 : n) }')
    r=0 ratios=""
    while [ "$r" -lt "${BENCH_ROUNDS:-5}" ]; do
        yl=$("$TMP/ys/Vsignflip" "$ycyc" "$((r + 2))")
        TERNFORGE_CACHE=$cache $TF run "$p" "$@" --weights "$w" --acts "$x" --engine rtl -v \
            -o "$TMP/Yr.txt" 2> "$TMP/rtl.log" || { cat "$TMP/rtl.log"; exit 1; }
        cmp -s "$TMP/Ym.txt" "$TMP/Yr.txt" ||
            { echo "$name: RTL result DIFFERS from the C model"; exit 1; }
        rl=$(grep "^run:" "$TMP/rtl.log")
        ratios="$ratios $(echo "$rl" | awk -v l="$(loop_cpu "$rl")" -v y="$yl" '{
            n = split(y, f, "[(]"); c = f[n] + 0
            if (l > 0 && c > 0) printf "%.0f:%.0f", $2 / l, c }')"
        r=$((r + 1))
    done
    [ -n "$ratios" ] && echo "$ratios" | tr ' ' '\n' | awk -F: -v n="$name" 'NF == 2 {
            k++; core[k] = $1; ys[k] = $2; q[k] = $1 / $2 }
        function med(a, m,   i, j, t) { for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
                if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
        END { lo = hi = q[1]; for (i = 1; i <= k; i++) { if (q[i] < lo) lo = q[i]; if (q[i] > hi) hi = q[i] }
            mq = med(q, k); mc = med(core, k); my = med(ys, k)
            printf "%-5s alternating, %d pairs: median %8.0f cycles/cpu-s against the yardstick'"'"'s %8.0f, ratio %.3f x (%.3f-%.3f)\n", \
                n, k, mc, my, mq, lo, hi }'
    rm -rf "$cache" "$TMP/Ym.txt" "$TMP/Yr.txt"
}

# Each core: title; W is M x N (seed, value), X is N x B (seed, value);
# the parameter file and its overrides.
for c in ${BENCH_CORES:-int8 fp16 fixp}; do
    case $c in
    int8) t="INT8 tlut 32 x 32 tile (mu=4 L=8 K=32)"
          set -- 2048 2048 32 1 'int(r * 3) - 1' 2 'int(r * 256) - 128' examples/int8_large.xml \
              --set mu=4 --set luts=8 --set keys=32 --set max_rows=2048 --set max_cols=2048 ;;
    fp16) t="FP16 tlut 32 x 32 tile (mu=4 L=8 K=32, fp16 sums, fp_latency=1)"
          set -- 512 512 64 5 'int(r * 3) - 1' 6 'sprintf("%.3f", (r - 0.5) * 8)' examples/fp16_small.xml \
              --set mu=4 --set luts=8 --set keys=32 --set max_rows=512 --set max_cols=512 ;;
    fixp) t="fixp 16 x 16 MAC array"
          set -- 1024 1024 16 3 'int(r * 256) - 128' 4 'int(r * 256) - 128' examples/fixp_small.xml \
              --set array_rows=16 --set array_cols=16 --set max_rows=1024 --set max_cols=1024 ;;
    *) echo "bench-cosim.sh: unknown core '$c' (int8, fp16, fixp)" >&2; exit 2 ;;
    esac
    echo "== $t, $1 x $2 W, $3 columns"
    matrix "$TMP/W.txt" "$1" "$2" "$4" "$5"
    matrix "$TMP/X.txt" "$2" "$3" "$6" "$7"
    shift 7
    p=$1
    shift
    core $c "$p" "$TMP/W.txt" "$TMP/X.txt" "$@"
done
