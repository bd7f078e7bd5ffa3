#!/bin/sh
# tests/sweep/cluster.sh - a sweep split across "machines" and merged:
#  * GNU parallel runs the 4 shards of tests/sweep/mixed.xml as 4 jobs;
#  * a one-node Slurm cluster on 127.0.0.1 (scripts/slurm-local.sh, root
#    only) runs them as a 4-task array job;
#  * `ternforge merge` of either gives the bytes of one unsharded run, and
#    --synthesize-top hands its synthesis runs to GNU parallel.
# The daemons this test starts are stopped on exit. Prints PASS/FAIL/SKIP.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TF="$TOP/build/ternforge"
TMP=$(mktemp -d)
SLURM_DIR=""
cleanup() {
    [ -n "$SLURM_DIR" ] && sh "$TOP/scripts/slurm-local.sh" stop "$SLURM_DIR" > /dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
export TERNFORGE_CACHE="${TERNFORGE_CACHE:-$TOP/build/sim-cache}"
S="$TOP/tests/sweep/mixed.xml"
ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }

"$TF" sweep "$S" --strategy random --budget 500 -o "$TMP/ref" > /dev/null 2>&1 || no "reference sweep"

# ---- GNU parallel: 4 shards as 4 jobs
if command -v parallel > /dev/null; then
    if parallel --jobs 2 --halt now,fail=1 "$TF" sweep "$S" --strategy random --budget 500 \
        --shard {}/4 -o "$TMP/par-{}" ::: 0 1 2 3 > "$TMP/par.log" 2>&1 &&
        "$TF" merge -o "$TMP/par" "$TMP"/par-0 "$TMP"/par-1 "$TMP"/par-2 "$TMP"/par-3 >> "$TMP/par.log" 2>&1 &&
        diff -r "$TMP/ref" "$TMP/par" >> "$TMP/par.log" 2>&1; then
        ok "cluster/parallel: 4 shards run by GNU parallel, merged = one run, byte for byte"
    else
        no "cluster/parallel: sharded sweep" "$TMP/par.log"
    fi
else
    no "cluster/parallel: GNU parallel is not installed (sh scripts/setup)"
fi

# ---- --synthesize-top through GNU parallel (2 tiny points, cached after
# the first run) agrees with the local scheduler
cat > "$TMP/top.xml" << 'XML'
<ternforge version="1">
  <sweep name="top">
    <workload M="16" N="16" B="1" act_type="int" act_width="4"/>
    <core kind="tlut"><param name="mu" values="1 2"/><param name="keys" values="1 2"/></core>
    <objective figure="area"/><objective figure="throughput"/>
  </sweep>
</ternforge>
XML
if "$TF" sweep "$TMP/top.xml" -o "$TMP/top-par" --synthesize-top 2 --scheduler parallel \
        --jobs 2 > "$TMP/top.log" 2>&1 &&
    "$TF" sweep "$TMP/top.xml" -o "$TMP/top-loc" --synthesize-top 2 >> "$TMP/top.log" 2>&1 &&
    diff "$TMP/top-par/report.md" "$TMP/top-loc/report.md" >> "$TMP/top.log" 2>&1 &&
    grep -q "^The model orders 1 of 1 pairs" "$TMP/top-loc/report.md"; then
    ok "cluster/synthesize-top: GNU parallel and local synthesis give the same report ($(grep -m1 '^The model orders' "$TMP/top-loc/report.md"))"
else
    no "cluster/synthesize-top" "$TMP/top.log"
fi

# ---- Slurm: 4 shards as an array job
if [ "$(id -u)" != 0 ]; then
    echo "SKIP cluster/slurm: starting a local Slurm cluster needs root"
    exit 0
fi
SLURM_DIR="$TMP/slurm"
if ! sh "$TOP/scripts/slurm-local.sh" start "$SLURM_DIR" > "$TMP/slurm.log" 2>&1; then
    no "cluster/slurm: cannot start a local cluster" "$TMP/slurm.log"
    exit 0
fi
cd "$TMP" || exit 2
if sh "$TOP/scripts/slurm-local.sh" array "$SLURM_DIR" 4 sh -c \
        "'$TF' sweep '$S' --strategy random --budget 500 --shard \$SLURM_ARRAY_TASK_ID/4 -o '$TMP/sl-'\$SLURM_ARRAY_TASK_ID" \
        >> "$TMP/slurm.log" 2>&1 &&
    "$TF" merge -o "$TMP/sl" "$TMP"/sl-0 "$TMP"/sl-1 "$TMP"/sl-2 "$TMP"/sl-3 >> "$TMP/slurm.log" 2>&1 &&
    diff -r "$TMP/ref" "$TMP/sl" >> "$TMP/slurm.log" 2>&1; then
    ok "cluster/slurm: 4 shards as a Slurm array job, merged = one run, byte for byte"
else
    no "cluster/slurm: sharded sweep" "$TMP/slurm.log"
fi
