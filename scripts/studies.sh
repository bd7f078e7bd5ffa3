#!/bin/sh
# scripts/studies.sh - the seed paper's studies (arXiv 2604.25183) on our
# open flow: run every sweep in examples/sweeps/ with the cost model and
# write its report, front, plots and points into reports/studies/<name>/.
# docs/studies.md reads the results. Deterministic: the same binary and
# sweep files give the same bytes on every run (one thread, fixed seeds).
# Usage: sh scripts/studies.sh [NAME...]   (default: every sweep file, then
# "published": scripts/published.sh, the published designs of
# examples/published/ against their best alternatives, reports/studies/published/)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
SRC="$TOP/examples/sweeps"
OUT="$TOP/reports/studies"
[ -x "$TF" ] || { echo "studies.sh: build ternforge first (make)" >&2; exit 2; }
command -v gnuplot > /dev/null || { echo "studies.sh: gnuplot is needed for the plots" >&2; exit 2; }
# Sweeps whose points.csv would be too large to commit get --no-points
# (none today: the largest, lut-vs-baselines-intwidth, writes ~0.4 MB).
NO_POINTS=""
if [ $# -eq 0 ]; then
    set -- $(cd "$SRC" && ls *.xml | sed 's/\.xml$//') published
fi
mkdir -p "$OUT"
for name in "$@"; do
    if [ "$name" = published ]; then
        sh "$TOP/scripts/published.sh"
        continue
    fi
    f="$SRC/$name.xml"
    [ -f "$f" ] || { echo "studies.sh: no sweep file $f" >&2; exit 2; }
    opts="--jobs 1"
    case " $NO_POINTS " in *" $name "*) opts="$opts --no-points" ;; esac
    rm -rf "$OUT/$name"
    "$TF" sweep "$f" -o "$OUT/$name" $opts
done
