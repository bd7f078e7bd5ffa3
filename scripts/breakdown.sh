#!/bin/sh
# breakdown.sh - the cost model's area by component against the
# hierarchical flow's measured area by kept instance (`synth --hier
# --keep-all --parts`: integer LUT builds kept too), per point and summarized per component group: MAPE, mean
# signed error and the largest error (docs/cost-model.md, "The area by
# component").
# Usage: sh scripts/breakdown.sh [POINT...]   POINT = ACT-TILE-KIND[MU],
#   ACT int8, fp16, bf16 or fp8e4m3, KIND tlut (MU default 4), tsign or
#   tmul, e.g. fp16-16-tlut4 int8-8-tsign. Default: int8 and fp16, 8x8,
#   tlut4 and tsign. Points as in scripts/paper-direction.sh (max_cols 64,
#   out_depth 2, registered tables, ceil(N/mu) LUTs).
# Results are cached (synth's cache): a second run is instant.
# Environment: LOCK=FILE runs each synthesis under `flock FILE nice`
# (a shared machine); OUT=FILE.csv collects every point's rows
# (default build/breakdown.csv).
set -u
cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)
TF="$TOP/build/ternforge"
OUT=${OUT:-$TOP/build/breakdown.csv}
LOCK=${LOCK:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BASE="$TMP/base.xml" # every parameter comes from --set
printf '<?xml version="1.0"?>\n<ternforge version="1"><core kind="tlut"/></ternforge>\n' > "$BASE"
[ $# -gt 0 ] || set -- int8-8-tlut4 int8-8-tsign fp16-8-tlut4 fp16-8-tsign

sets() { # ACT TILE KIND MU
    case $1 in int8) a="act_type=int act_width=8" ;; *) a="act_type=$1" ;; esac
    case $3 in
    tlut) p="kind=tlut $a mu=$4 luts=$((($2 + $4 - 1) / $4)) keys=$2 lut_reg=1" ;;
    *) p="kind=$3 $a inputs=$2 keys=$2" ;;
    esac
    for s in $p max_rows=4096 max_cols=64 out_depth=2; do printf -- '--set %s ' "$s"; done
}

mkdir -p "$(dirname "$OUT")"
echo "point,groups,instances,components,measured_um2,model_um2,error_pct" > "$OUT.tmp"
fails=0
for pt in "$@"; do
    act=${pt%%-*}; rest=${pt#*-}; tile=${rest%%-*}; kind=${rest#*-}
    mu=${kind#tlut}; [ "$mu" = "$kind" ] && mu=4 || kind=tlut
    [ -n "$mu" ] || mu=4
    rm -f "$TMP/p.csv"
    # --one-run: the recorded breakdown came from the single-run flow
    # shellcheck disable=SC2046
    if ${LOCK:+flock "$LOCK" nice} "$TF" synth "$BASE" $(sets "$act" "$tile" "$kind" "$mu") \
        --hier --one-run --keep-all --parts "$TMP/p.csv" > "$TMP/p.out" 2>&1 && [ -s "$TMP/p.csv" ]; then
        t=$(sed -n 's/^flow time: *//p' "$TMP/p.out")
        echo "== $pt (${t:-cached})"
        sed -n '/^area by component/,$p' "$TMP/p.out"
        sed 1d "$TMP/p.csv" | sed "s/^/$pt,/" >> "$OUT.tmp"
    else
        echo "== $pt: synth failed"
        cat "$TMP/p.out"
        fails=$((fails + 1))
    fi
    echo
done
mv "$OUT.tmp" "$OUT"

echo "By component group over the points above (error = model vs measured):"
awk -F, 'NR > 1 && $2 != "total" {
        k = $4; if (!(k in n)) order[++nk] = k
        n[k]++; e = $7; s[k] += e; a[k] += (e < 0 ? -e : e)
        if (!(k in mx) || (e < 0 ? -e : e) > (mx[k] < 0 ? -mx[k] : mx[k])) { mx[k] = e; at[k] = $1 }
    }
    $2 == "total" { tn++; e = $7; ts += (e < 0 ? -e : e) }
    END {
        printf "%-70s %3s %8s %8s %8s  %s\n", "components", "n", "MAPE", "mean", "max", "at"
        for (i = 1; i <= nk; i++) { k = order[i]
            printf "%-70s %3d %7.1f%% %+7.1f%% %+7.1f%%  %s\n", k, n[k], a[k] / n[k], s[k] / n[k], mx[k], at[k] }
        if (tn) printf "%-70s %3d %7.1f%%\n", "total (standard cells)", tn, ts / tn
    }' "$OUT"
echo "rows: $OUT"
[ "$fails" = 0 ]
