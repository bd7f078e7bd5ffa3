#!/bin/sh
# scripts/validate.sh - `make validate`: the full held-out validation of the
# cost model against real synthesis for every shipped technology. Writes
# reports/validate-TECH.txt (the table, MAPE and max error) and
# reports/validate-TECH.svg (modelled vs measured area or LUTs).
# Slow the first time (tens of minutes on 2 cores: every point is
# synthesized); results are cached, so a rerun takes seconds.
# Usage: sh scripts/validate.sh [TECH...]   (default: osu018 xc7 ice40)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
JOBS=${JOBS:-2}
techs=${*:-osu018 xc7 ice40}
mkdir -p "$TOP/reports"
for t in $techs; do
    echo "== validate $t (held-out points, $JOBS synthesis runs at a time)"
    (cd "$TOP" && "$TF" validate --tech "$t" --jobs "$JOBS" --plot "reports/validate-$t.svg") \
        > "$TOP/reports/validate-$t.txt.tmp"
    mv "$TOP/reports/validate-$t.txt.tmp" "$TOP/reports/validate-$t.txt"
    cat "$TOP/reports/validate-$t.txt"
done
