#!/bin/sh
# scripts/lut-build-table.sh - the lut-build study's table: every run kept
# in reports/studies/lut-build/raw/ (scripts/lut-build-study.sh) as one CSV
# row of measured and modelled figures, and the direct/shared ratios of
# each (tech, flow, activation, mu) pair with both builds measured. flow:
# flat, or opaque (synth --opaque-fpadd; raw files named ...-opaque.txt).
# Usage: sh scripts/lut-build-table.sh > reports/studies/lut-build/results.csv
#        sh scripts/lut-build-table.sh --ratios
#        sh scripts/lut-build-table.sh --model   (the cost model alone, every
#        point of the study: table-build area and whole-core area and path)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
RAW="$TOP/reports/studies/lut-build/raw"
mode=${1:-csv}
if [ "$mode" = --model ]; then
    echo "tech,act,mu,lut_build,lut_build_area_or_luts,core_area_or_luts,path_ns"
    for tech in osu018 xc7; do
        for act in int8 fp16; do
            for mu in 2 3 4 5 6; do
                for b in shared direct; do
                    if [ $act = int8 ]; then base=int8_small s="--set act_width=8"
                    else base=fp16_small s="--set fp_latency=0"; fi
                    # shellcheck disable=SC2086
                    "$TOP/build/ternforge" cost "$TOP/examples/$base.xml" --tech $tech $s \
                        --set mu=$mu --set luts=1 --set keys=1 --set max_rows=16 \
                        --set max_cols=$((4 * mu)) --set lut_reg=1 --set tree_stages=0 \
                        --set lut_build=$b --format json 2> /dev/null |
                        python3 -c '
import json, sys
d = json.load(sys.stdin)
k = "area_um2" if "area_um2" in d else "luts"
p = d.get("critical_path_ns")
print("%s,%s,%s,%s,%.0f,%.0f,%s" % (tuple(sys.argv[1:5]) + (d["components"]["lut_build"][k], d[k],
      "%.2f" % p if p is not None else "")))' $tech $act $mu $b
                done
            done
        done
    done
    exit 0
fi
for f in "$RAW"/*.txt; do
    [ -f "$f" ] || continue
    n=$(basename "$f" .txt)
    awk -v n="$n" '
        BEGIN { split(n, p, "-"); tech = p[1]; act = p[2]; mu = substr(p[3], 3); b = p[4]
                flow = p[5] != "" ? p[5] : "flat" }
        $1 == "flow" && $2 == "time:" { secs = $3 }
        $1 == "wall_s:" { wall = $2 }
        NF >= 3 && $1 ~ /^(area_um2|critical_path_ns|luts|ffs|flip_flops|carry|dsps|lut|ff)$/ {
            m[$1] = $2; md[$1] = $3 }
        $1 == "cells" { cells = $2 }
        END {
            main = tech == "osu018" ? "area_um2" : "luts"
            printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", tech, flow, act, mu, b, main, m[main], md[main],
                m["critical_path_ns"], md["critical_path_ns"], secs != "" ? secs : wall
        }' "$f"
done | sort -t, -k1,1 -k2,2 -k3,3 -k4,4n -k5,5r > "${TMPDIR:-/tmp}/lbt.$$"
if [ "$mode" = --ratios ]; then
    # recovered: the share of the extra logic the direct RTL asks for
    # (model direct - model shared: the two cores differ only in the table
    # build) that synthesis does not build (1 - measured extra / modelled
    # extra); 1 = all sharing recovered, 0 = none.
    echo "tech,flow,act,mu,metric,shared,direct,direct/shared,model direct/shared,recovered,path shared ns,path direct ns"
    awk -F, '{ k = $1 "," $2 "," $3 "," $4; v[k, $5] = $7; md[k, $5] = $8; p[k, $5] = $9; met[k] = $6; keys[k] = 1 }
        END { for (k in keys) if (((k, "shared") in v) && ((k, "direct") in v) && v[k, "shared"] > 0) {
            ex = md[k, "direct"] - md[k, "shared"]
            rec = ex > 0 ? sprintf("%.2f", 1 - (v[k, "direct"] - v[k, "shared"]) / ex) : "-"
            printf "%s,%s,%s,%s,%.2f,%.2f,%s,%s,%s\n", k, met[k], v[k, "shared"], v[k, "direct"],
                v[k, "direct"] / v[k, "shared"], md[k, "direct"] / md[k, "shared"], rec,
                p[k, "shared"], p[k, "direct"] } }' \
        "${TMPDIR:-/tmp}/lbt.$$" | sort -t, -k1,1 -k2,2 -k3,3 -k4,4n
else
    echo "tech,flow,act,mu,lut_build,metric,measured,model,path_ns,path_model_ns,flow_s"
    cat "${TMPDIR:-/tmp}/lbt.$$"
fi
rm -f "${TMPDIR:-/tmp}/lbt.$$"
