#!/bin/sh
# scripts/lut-build-study.sh - the lut-build study (docs/studies.md):
# synthesize small tlut cores with lut_build=shared and =direct, INT8 and
# FP16, on osu018 (Yosys + ABC + OpenSTA) and xc7 (synth_xilinx), and keep
# each run's `ternforge synth` output and its wall time in
# reports/studies/lut-build/raw/. A point whose output exists is skipped
# (ternforge's own synthesis cache also makes a rerun cheap), so the study
# can be run in pieces. With HEAVY_LOCK naming a lock file, the script
# holds that lock (flock) for one batch and starts no point after BUDGET
# seconds of it (default 480), then exits 3 so the caller runs it again;
# each synthesis is cut off after TIMEOUT seconds (default 600; a cut-off
# run leaves a .timeout file and no output and is not retried).
# The tile: L = 1 table, K = 1 read port, 16 x 4mu jobs (a 4-word
# activation buffer), lut_reg = 1, tree_stages = 0, fp_latency = 0: the
# table build dominates as mu grows, and every other part is the same
# for both builds.
# FLOW opaque (synth --opaque-fpadd): every FP adder stays a module of its
# own, as the seed paper's vendor FP adders are opaque to its flow; the
# FP16 points are measured both ways, and only that way beyond what a flat
# run finishes within the lock's budget (mu = 5 direct, mu = 6).
# Usage: [TF=ternforge] sh scripts/lut-build-study.sh [POINT...]
#        POINT: tech/act/mu/build[/opaque]  (default: every point, cheap ones first)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF=${TF:-$TOP/build/ternforge}
OUT="$TOP/reports/studies/lut-build/raw"
TIMEOUT=${TIMEOUT:-600}
[ -x "$TF" ] || { echo "lut-build-study.sh: build ternforge first (make)" >&2; exit 2; }
mkdir -p "$OUT"
if [ -n "${HEAVY_LOCK:-}" ] && [ -z "${LUT_STUDY_LOCKED:-}" ]; then
    LUT_STUDY_LOCKED=1 exec flock "$HEAVY_LOCK" sh "$0" "$@"
fi
deadline=$(($(date +%s) + ${BUDGET:-480}))
if [ $# -eq 0 ]; then
    for tech in osu018 xc7; do
        for mu in 2 3 4 5 6; do
            for act in int8 fp16; do
                for b in shared direct; do
                    # FP16 at mu = 6 (358 or 1094 FP adders) does not fit the
                    # lock's 10 minutes flat; mu = 5 direct (284) neither.
                    [ $act = fp16 ] && [ $mu = 6 ] && continue
                    [ $act = fp16 ] && [ $mu = 5 ] && [ $b = direct ] && continue
                    set -- "$@" "$tech/$act/$mu/$b"
                done
            done
        done
    done
    for tech in osu018 xc7; do
        for mu in 2 3 4 5 6; do
            for b in shared direct; do
                set -- "$@" "$tech/fp16/$mu/$b/opaque"
            done
        done
    done
fi
for p in "$@"; do
    IFS=/ read -r tech act mu b flow <<EOP
$p
EOP
    name="$tech-$act-mu$mu-$b"
    case ${flow:-} in
    '') fsets= ;;
    opaque) fsets=--opaque-fpadd name="$name-opaque" ;;
    *) echo "lut-build-study.sh: unknown flow $flow" >&2; exit 2 ;;
    esac
    [ -s "$OUT/$name.txt" ] || [ -f "$OUT/$name.timeout" ] && continue
    [ "$(date +%s)" -lt "$deadline" ] || exit 3
    case $act in
    int8) base=int8_small; sets="--set act_width=8" ;;
    fp16) base=fp16_small; sets="--set fp_latency=0" ;;
    *) echo "lut-build-study.sh: unknown activation $act" >&2; exit 2 ;;
    esac
    cols=$((4 * mu))
    set -f
    # shellcheck disable=SC2086
    cmd="$TF synth $TOP/examples/$base.xml --tech $tech $sets --set mu=$mu --set luts=1 \
--set keys=1 --set max_rows=16 --set max_cols=$cols --set lut_reg=1 --set tree_stages=0 \
--set lut_build=$b $fsets"
    set +f
    start=$(date +%s)
    # shellcheck disable=SC2086
    if timeout "$TIMEOUT" nice $cmd > "$OUT/$name.tmp" 2>&1; then
        end=$(date +%s)
        { cat "$OUT/$name.tmp"; echo "wall_s: $((end - start))"; } > "$OUT/$name.txt"
        rm -f "$OUT/$name.tmp" "$OUT/$name.timeout"
        echo "$name: done"
    else
        mv "$OUT/$name.tmp" "$OUT/$name.timeout"
        echo "$name: failed or cut off (see $OUT/$name.timeout)"
    fi
done
