#!/bin/sh
# scripts/formats-measured.sh - the measured rows of the formats study
# (docs/studies.md, study 10): the 32x32 block-scaled cores of
# model/tech/validate-hier.points (h32_mx_*) and the FP16 and INT8 LUT cores
# (mu 2) and FP16 sign-flip core already there, `synth --hier` on osu018
# (cached; a 32x32 MX core takes 1-4 minutes), next to the model. Writes
# reports/studies/formats-measured/measured.md (not under formats/: make
# studies rewrites that folder). Each synthesis runs under
# $HEAVY_LOCK when set (flock; the shared build machine's rule).
# Usage: sh scripts/formats-measured.sh [NAME-PATTERN]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
PTS="$TOP/model/tech/validate-hier.points"
OUT="$TOP/reports/studies/formats-measured"
PAT=${1:-'h32_(mx_|tlut_fp16_m2|tlut_i8_m2|tsign_fp16)'}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf '<?xml version="1.0"?>\n<ternforge version="1"><core kind="tlut"/></ternforge>\n' > "$TMP/base.xml"
mkdir -p "$OUT"
{
echo "| point | parameters | measured um2 | model um2 | error | um2 per MAC/cycle (measured) | path ns measured | model | error |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
grep -E "^$PAT" "$PTS" | while IFS= read -r line; do
    name=${line%%:*}; params=$(echo ${line#*:})
    sets=""; for p in $params; do sets="$sets --set $p"; done
    if [ -n "${HEAVY_LOCK:-}" ]; then run="flock $HEAVY_LOCK nice"; else run="nice"; fi
    # --one-run: the recorded runs came from the single-run flow
    $run "$TF" synth "$TMP/base.xml" $sets --hier --one-run > "$TMP/$name.txt" 2>&1 || { echo "| $name | $params | (synthesis failed) ||||||"; continue; }
    peak=$("$TF" cost "$TMP/base.xml" $sets --format json | sed -n 's/^  "peak_macs_per_cycle": \([0-9.]*\),$/\1/p')
    awk -v n="$name" -v p="$params" -v peak="$peak" '
        $1 == "area_um2" { am = $2; ad = $3; ae = $4 }
        $1 == "critical_path_ns" { pm = $2; pd = $3; pe = $4 }
        END { printf "| %s | %s | %.0f | %.0f | %s | %.1f | %.2f | %.2f | %s |\n", n, p, am, ad, ae, am / peak, pm, pd, pe }' "$TMP/$name.txt"
done
} > "$OUT/measured.md"
cat "$OUT/measured.md"
