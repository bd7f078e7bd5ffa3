#!/bin/sh
# scripts/formats-table.sh - the formats study's table (issue 18,
# docs/studies.md study 10) from the sweep's points.csv: per activation
# format the cheapest feasible LUT core (area per MAC/cycle; its mu) and
# the sign-flip core, their energy per MAC and f_max, and the LUT core's
# area over the sign-flip core's and over the FP16 LUT core's.
# Usage: sh scripts/formats-table.sh [reports/studies/formats/points.csv]
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
CSV=${1:-$TOP/reports/studies/formats/points.csv}
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
$h["status"] != "feasible" { next }
{
    k = $h["kind"] SUBSEP $h["act_type"]; a = $h["area_per_mac_um2"] + 0
    if (!(k in best) || a < best[k]) {
        best[k] = a; e[k] = $h["energy_pj_per_mac"]; f[k] = $h["fmax_mhz"]
        mu[k] = $h["mu"]; l[k] = $h["luts"]; acc[k] = $h["acc_type"]
    }
}
END {
    n = split("int fp16 bf16 fp8e4m3 mxint8 mxfp8e4m3 mxfp6e2m3 mxfp4 nvfp4", t, " ")
    fp16 = best["tlut" SUBSEP "fp16"]
    print "| format | tlut mu x luts | tlut um2 per MAC/cycle | tlut pJ/MAC | tlut f_max MHz | tsign um2 per MAC/cycle | tsign pJ/MAC | tsign f_max MHz | tlut / tsign area | tlut / FP16 tlut area |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++) {
        a = "tlut" SUBSEP t[i]; b = "tsign" SUBSEP t[i]
        if (!(a in best) || !(b in best)) { print "| " t[i] " | (no feasible point) |||||||||"; continue }
        printf "| %s%s | %d x %d | %.2f | %.4f | %.1f | %.2f | %.4f | %.1f | %.2f | %.2f |\n",
            t[i] == "int" ? "int8" : t[i], acc[a] == "auto" ? "" : " (" acc[a] ")", mu[a], l[a],
            best[a], e[a], f[a], best[b], e[b], f[b], best[a] / best[b], best[a] / fp16
    }
}' "$CSV"
