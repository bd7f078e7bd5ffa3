#!/bin/sh
# scripts/validate.sh - `make validate`: the full held-out validation of the
# cost model against real synthesis for every shipped technology. Writes
# reports/validate-TECH.txt (the table, MAPE and max error) and
# reports/validate-TECH.svg (modelled vs measured area or LUTs); for xc7
# and ice40 also two INT8 32x32 points, flat (model/tech/
# validate-fpga32.points: reports/validate-TECH-32.txt), and the FP 32x32
# and FP16 64x64 points with the hierarchical flow (model/tech/validate-fpga-hier.points:
# reports/validate-TECH-hier.txt); for osu018 the 32x32 and 64x64
# held-out points with the hierarchical flow (model/tech/
# validate-hier.points: reports/validate-osu018-hier.*).
# Slow the first time (tens of minutes on 2 cores: every point is
# synthesized); results are cached, so a rerun takes seconds.
# Usage: sh scripts/validate.sh [TECH...]   (default: osu018 xc7 ice40)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
JOBS=${JOBS:-2}
techs=${*:-osu018 xc7 ice40}
mkdir -p "$TOP/reports"
# run OUT ARG... -> `ternforge validate ARG...` (from the top, --jobs
# JOBS) into reports/OUT, written whole (through OUT.tmp) and printed
run() {
    out="$TOP/reports/$1"
    shift
    (cd "$TOP" && "$TF" validate "$@" --jobs "$JOBS") > "$out.tmp"
    mv "$out.tmp" "$out"
    cat "$out"
}
for t in $techs; do
    echo "== validate $t (held-out points, $JOBS synthesis runs at a time)"
    run "validate-$t.txt" --tech "$t" --plot "reports/validate-$t.svg"
    if [ "$t" = xc7 ] || [ "$t" = ice40 ]; then
        # INT8 32x32 held-out points, flat (minutes each)
        echo "== validate $t (INT8 32x32 held-out points)"
        run "validate-$t-32.txt" --tech "$t" --points validate-fpga32.points
        # FP16, BF16 and FP8 32x32 held-out points of every kind and two
        # FP16 64x64 ones, hierarchical flow (a flat FP 32x32 run takes
        # hours; kept, 0.5 to 12 minutes)
        echo "== validate $t --hier (FP 32x32 and 64x64 held-out points)"
        run "validate-$t-hier.txt" --tech "$t" --hier --points validate-fpga-hier.points
    fi
    [ "$t" = osu018 ] || continue
    # 32x32 and 64x64 held-out points, hierarchical flow (a flat FP16 32x32 run takes
    # hours; hierarchical, about a minute each): reports/validate-osu018-hier.*
    echo "== validate $t --hier (32x32 and 64x64 held-out points)"
    # --one-run: the cached held-out runs came from the single-run flow
    # (before the per-module cache); keeps them hits and comparable
    run "validate-$t-hier.txt" --tech "$t" --hier --one-run --points validate-hier.points \
        --plot "reports/validate-$t-hier.svg"
done
