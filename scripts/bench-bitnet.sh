#!/bin/sh
# bench-bitnet.sh - one BitNet b1.58 2B4T token through `ternforge run`
# (make bench-bitnet): every ternary layer of the 30 blocks (q, k, v, o,
# gate, up, down; 2,084,044,800 ternary weights) as one `run` each, from
# .npy files of random ternary weights (scripts/bitnet-npy.py, 2.1 GB,
# written once into $BITNET_DIR, default build/bitnet; not committed) and
# int8 activations, on the INT8 tlut core (mu=4 L=32 K=128). Prints the
# token's wall time with --jobs 1 and 2, and of it the model's time.
# TF_BEFORE=path/to/ternforge adds the wall time of another build (e.g.
# one before the fast model) on the same files, as the yardstick.
# Under the heavy-job lock: flock /work/notes/heavy.lock make bench-bitnet
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TF=$BUILD/ternforge
DIR=${BITNET_DIR:-$BUILD/bitnet}
LAYERS=${BITNET_LAYERS:-30}
python3 scripts/bitnet-npy.py "$DIR" "$LAYERS"
P="examples/int8_large.xml --set mu=4 --set luts=32 --set keys=128 --set max_rows=6912 --set max_cols=6912"
now() { date +%s.%N; }
# The files once through the page cache, so both runs read from memory.
cat "$DIR"/L*.npy > /dev/null
# token TF [ARGS]: the 210 runs of `TF run ... ARGS`, stderr into $log.
token() {
    tf=$1
    shift
    i=0
    while [ $i -lt "$LAYERS" ]; do
        for m in q k v o gate up down; do
            case $m in down) x=$DIR/x6912.npy ;; *) x=$DIR/x2560.npy ;; esac
            # shellcheck disable=SC2086
            "$tf" run $P --weights "$DIR/L$i.$m.npy" --acts "$x" -o "$DIR/y.npy" "$@" 2>> "$log"
        done
        i=$((i + 1))
    done
}
if [ -n "${TF_BEFORE:-}" ]; then
    log=$DIR/run-before.log
    t0=$(now)
    token "$TF_BEFORE"
    printf "bitnet token with %s: %.2f s wall\n" "$TF_BEFORE" \
        "$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')"
fi
for jobs in 1 2; do
    log=$DIR/run-$jobs.log
    : > "$log"
    t0=$(now)
    token "$TF" --jobs "$jobs" -v
    t=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')
    awk -v t="$t" -v j="$jobs" -v L="$LAYERS" '/^run: read/ { r += $6; m += $9; n++ }
        END { printf "bitnet token (%d layers, %d runs), --jobs %d: %.2f s wall; reading %.2f s, model %.3f s (%.1f G ternary MAC/s)\n",
              L, n, j, t, r, m, L * 69468160 / m / 1e9 }' "$log"
done
