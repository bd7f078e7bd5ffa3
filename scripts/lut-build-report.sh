#!/bin/sh
# scripts/lut-build-report.sh - writes reports/studies/lut-build/results.csv,
# ratios.csv and model.csv from the kept runs (scripts/lut-build-table.sh)
# and prints the measured table of report.md (Markdown) to stdout.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
D="$TOP/reports/studies/lut-build"
sh "$TOP/scripts/lut-build-table.sh" > "$D/results.csv"
sh "$TOP/scripts/lut-build-table.sh" --ratios > "$D/ratios.csv"
sh "$TOP/scripts/lut-build-table.sh" --model > "$D/model.csv"
echo "| tech | flow | act | µ | shared | direct | direct/shared | model direct/shared | recovered | path shared / direct (ns) | flow s shared / direct |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"
awk -F, 'NR > 1 { k = $1 "," $2 "," $3 "," $4; f[k, $5] = $11 } END { for (x in f) print x SUBSEP f[x] }' \
    "$D/results.csv" > "${TMPDIR:-/tmp}/lbr.$$"
awk -F, -v T="${TMPDIR:-/tmp}/lbr.$$" '
    BEGIN { while ((getline l < T) > 0) { split(l, a, SUBSEP); fl[a[1], a[2]] = a[3] } }
    NR > 1 { k = $1 "," $2 "," $3 "," $4
        p = $11 != "" ? $11 " / " $12 : "-"
        printf "| %s | %s | %s | %s | %s %s | %s | %s | %s | %s | %s | %s / %s |\n", $1, $2, $3, $4, $6,
            $1 == "osu018" ? "um²" : "LUTs", $7, $8, $9, $10, p, fl[k, "shared"], fl[k, "direct"] }' \
    "$D/ratios.csv"
rm -f "${TMPDIR:-/tmp}/lbr.$$"
