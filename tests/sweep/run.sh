#!/bin/sh
# tests/sweep/run.sh - `ternforge sweep` and `ternforge merge`:
#  * the Pareto front equals the brute-force non-dominated set
#    (tests/unit/test_sweep evaluates every point itself, also through
#    the memo of cores that a sweep over several memories uses);
#  * outputs are byte-identical across runs, thread counts, and shards
#    merged back together, for exhaustive, random and annealing search;
#  * a front point's figures equal `ternforge cost` on the same point;
#  * bad sweep files and bad merges fail with the exact, located message
#    and leave no output behind;
#  * random sweep files (random.py, from SEED) run, or fail located, and
#    are deterministic across --jobs and shards.
# Prints PASS/FAIL lines. Usage: sh tests/sweep/run.sh [SEED]
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TF=${TF:-$TOP/build/ternforge}
TS=${TS:-$TOP/build/tests/unit/test_sweep}
SEED=${1:-1}
UPDATE=${UPDATE:-0}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TOP/tests/sweep" || exit 2

ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }

# ---- the front against brute force, on every test sweep
for f in mixed fpga llm-small; do
    if "$TF" sweep $f.xml -o "$TMP/$f" > "$TMP/$f.log" 2>&1 &&
        "$TS" "$SEED" $f.xml "$TMP/$f" > "$TMP/$f.ts" 2>&1 && grep -q '^test_sweep: ok$' "$TMP/$f.ts"; then
        ok "sweep/$f: front = brute force ($(grep "points," "$TMP/$f.ts"))"
    else
        no "sweep/$f: front vs brute force" "$TMP/$f.ts"
        cat "$TMP/$f.log"
    fi
done
for st in random anneal; do
    "$TF" sweep mixed.xml --strategy $st --budget 300 --seed "$SEED" -o "$TMP/m-$st" > /dev/null 2>&1 &&
        "$TS" "$SEED" mixed.xml "$TMP/m-$st" > "$TMP/ts-$st" 2>&1 || true
    # The brute-force front is the whole space's; a sampled run's front is
    # its own, so only points.csv order and statuses are checked here.
    n=$(($(wc -l < "$TMP/m-$st/points.csv") - 1))
    if [ "$n" -gt 0 ] && [ "$n" -le 300 ] && ! grep -q "points.csv" "$TMP/ts-$st"; then
        ok "sweep/$st: $n distinct points for a budget of 300, statuses as evaluated"
    else
        no "sweep/$st: points.csv" "$TMP/ts-$st"
    fi
done

# ---- determinism: again, other thread counts, shards merged
same() { # name dirA dirB
    if diff -r "$2" "$3" > "$TMP/diff" 2>&1; then ok "$1"; else no "$1" "$TMP/diff"; fi
}
for st in exhaustive random anneal; do
    a="--strategy $st --seed $SEED"
    [ $st = exhaustive ] || a="$a --budget 400"
    "$TF" sweep mixed.xml $a -o "$TMP/ref-$st" > /dev/null 2>&1
    "$TF" sweep mixed.xml $a -o "$TMP/j3-$st" --jobs 3 > /dev/null 2>&1
    same "sweep/$st: --jobs 3 writes the bytes of --jobs 1" "$TMP/ref-$st" "$TMP/j3-$st"
    for i in 0 1 2; do
        "$TF" sweep mixed.xml $a -o "$TMP/sh-$st-$i" --shard $i/3 > /dev/null 2>&1
    done
    if "$TF" merge -o "$TMP/mg-$st" "$TMP/sh-$st-2" "$TMP/sh-$st-0" "$TMP/sh-$st-1" > "$TMP/mg.log" 2>&1; then
        same "sweep/$st: 3 shards merged = one run, byte for byte" "$TMP/ref-$st" "$TMP/mg-$st"
    else
        no "sweep/$st: merge" "$TMP/mg.log"
    fi
done
"$TF" sweep mixed.xml --strategy exhaustive --seed "$SEED" -o "$TMP/again" > /dev/null 2>&1
same "sweep: the same file twice gives the same bytes" "$TMP/ref-exhaustive" "$TMP/again"
"$TF" sweep mixed.xml --strategy random --budget 400 --seed $((SEED + 1)) -o "$TMP/seed2" > /dev/null 2>&1
if cmp -s "$TMP/ref-random/points.csv" "$TMP/seed2/points.csv"; then
    no "sweep: another seed samples other points"
else
    ok "sweep: another seed samples other points"
fi

# ---- outputs: files, columns, JSON, quiet when not a terminal
d="$TMP/ref-exhaustive"
miss=""
for f in points.csv pareto.csv pareto.json report.md sweep.xml strategies.svg strategies.png \
    scatter-area_um2-energy_pj_per_mac.svg scatter-area_um2-gmacs_per_s.png mu-density.svg mu-density.png; do
    [ -s "$d/$f" ] || miss="$miss $f"
done
[ -z "$miss" ] && ok "sweep: writes the documented files" || echo "FAIL sweep: missing:$miss"
hdr=$(head -1 "$d/points.csv")
miss=""
for k in index fingerprint status kind mu luts inputs keys act_type area_um2 critical_path_ns fmax_mhz \
    energy_pj_per_mac cycles macs_per_cycle bound; do
    echo ",$hdr," | grep -q ",$k," || miss="$miss $k"
done
[ -z "$miss" ] && ok "sweep: points.csv columns named like parameters and cost JSON keys" ||
    echo "FAIL sweep: points.csv lacks columns:$miss"
if command -v python3 > /dev/null; then
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['front'])>0; \
assert all('area_um2' in p['figures'] and 'components' in p for p in d['front'])" "$d/pareto.json" \
        2> "$TMP/json.err" && ok "sweep: pareto.json parses, every point has figures and components" ||
        no "sweep: pareto.json" "$TMP/json.err"
fi
# ---- reports that hide nothing (issue 19)
# Every <core> block is listed with its counts; the one whose every point
# misses the clock says so, with the range of the critical path.
if grep -q '^| `tmul bf16` | 8 | 0 | 8 clock: critical path [0-9.]* to [0-9.]* ns > 9 ns | 0 |$' \
    "$d/report.md" && grep -q '^\*\*No feasible point\*\* in: `tmul bf16`\.' "$d/report.md"; then
    ok "sweep: report.md lists every core block, an all-infeasible one with its reason and range"
else
    no "sweep: report.md core blocks" "$d/report.md"
fi
# A curve plot names the series that have no feasible point.
grep -q '^No feasible point (no curve): fp16, bf16, fp8e4m3;' "$d/report.md" &&
    grep -q 'no feasible point: fp16, bf16, fp8e4m3' "$d/mu-density.svg" &&
    ok "sweep: a plot names its series without a feasible point" ||
    no "sweep: series without a feasible point not named" "$d/report.md"
# A sweep with no feasible point still writes every plot: empty frames
# that say so (gnuplot refuses to autoscale or log-scale an axis without
# data, and the sweep used to fail there, writing nothing).
empty_plots() { # every plot of the sweep in $TMP/none, each an empty frame
    for f in keys-area scatter-area_um2-tokens_per_s scatter-area_um2-energy_uj_per_token \
        scatter-tokens_per_s-energy_uj_per_token model-tokens_per_s-area \
        model-energy_uj_per_token-area; do
        grep -q 'no feasible point' "$TMP/none/$f.svg" && [ -s "$TMP/none/$f.png" ] || return 1
    done
}
if "$TF" sweep none.xml -o "$TMP/none" > "$TMP/none.log" 2>&1 &&
    grep -q '(0 feasible' "$TMP/none.log" && empty_plots; then
    ok "sweep: no feasible point: every plot drawn, each saying so"
else
    no "sweep: no feasible point" "$TMP/none.log"
fi
# Scatter points by core block, with a legend; a 3-objective front as points.
grep -q 'tsign int5 (16)' "$d/scatter-area_um2-energy_pj_per_mac.svg" &&
    grep -q 'Pareto front (10 points, 3 objectives)' "$d/scatter-area_um2-energy_pj_per_mac.svg" &&
    ok "sweep: scatter legend per core block and a 3-objective front as points" ||
    no "sweep: scatter legend" "$d/scatter-area_um2-energy_pj_per_mac.svg"
# The front table: one row per hardware. Every row's points have one
# fingerprint (pareto.csv), no fingerprint is in two rows, and every front
# point is in a row.
awk -F, 'NR == FNR { if (FNR > 1) fp[$1] = $2 "/" $5 "/" $6; next }
    /^## Pareto front/ { on = 1; next } /^##/ { on = 0 }
    on && /^\| \[[0-9]/ { split($0, c, "|"); n = split(c[2], ix, ", "); rows++
        for (i = 1; i <= n; i++) { gsub(/ /, "", ix[i]); k = ix[i]
            # "[I](pareto/I.xml)": the index, linked to its own file
            sub(/^\[/, "", ix[i]); sub(/\].*/, "", ix[i])
            if (k != "[" ix[i] "](pareto/" ix[i] ".xml)") bad = bad " row " rows ": link " k
            seen[ix[i]]++
            if (fp[ix[i]] != fp[ix[1]]) bad = bad " row " rows ": " ix[i] " differs" }
        if (fp[ix[1]] in row) bad = bad " hardware " fp[ix[1]] " in two rows"; row[fp[ix[1]]] = 1 }
    END { for (k in fp) if (seen[k] != 1) bad = bad " point " k " in " seen[k] + 0 " rows"
          if (bad || !rows) { print "FAIL" bad; exit 1 } }' "$d/pareto.csv" FS='|' "$d/report.md" \
    > "$TMP/group.log" 2>&1 &&
    ok "sweep: the front table shows each hardware once, with all its memory settings" ||
    no "sweep: front table grouping" "$TMP/group.log"

# ---- a model workload: the recommendation against points.csv
"$TF" sweep llm-small.xml -o "$TMP/llm" > /dev/null 2> "$TMP/llm.err" || no "sweep: llm-small.xml" "$TMP/llm.err"
# The smallest feasible area reaching 3 tokens/s per memory, from the CSV,
# and the largest area below it: the report's rows must name those points.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $3 == "feasible" && $col["tokens_per_s"] >= 3 {
        m = $col["memory"]; a = $col["area_um2"] + 0
        if (!(m in best) || a < area[m]) { best[m] = $1; area[m] = a } }
    { all[NR] = $0 }
    END { for (r in all) { split(all[r], f, ","); m = f[col["memory"]]; a = f[col["area_um2"]] + 0
              if (a < area[m] && (!(m in nx) || a > na[m])) { nx[m] = f[1]; na[m] = a } }
          for (m in best) print m, best[m], nx[m] }' "$TMP/llm/points.csv" | sort > "$TMP/llm.want"
awk '/^## Recommendation/ { on = 1; next } /^##/ { on = 0 }
    on && /^\| (slow|fast) / { split($0, c, "|"); m = c[2]; sub(/ \(.*/, "", m); gsub(/ /, "", m)
        p = c[5]; gsub(/ /, "", p); q = c[9]; sub(/^ point /, "", q); sub(/ .*/, "", q)
        print m, p, q }' "$TMP/llm/report.md" | sort > "$TMP/llm.got"
if [ -s "$TMP/llm.want" ] && cmp -s "$TMP/llm.want" "$TMP/llm.got"; then
    ok "sweep: the recommendation is the smallest design reaching the target, per memory"
else
    { echo "from points.csv:"; cat "$TMP/llm.want"; echo "report.md:"; cat "$TMP/llm.got"; } > "$TMP/llm.diff"
    no "sweep: recommendation" "$TMP/llm.diff"
fi
[ -s "$TMP/llm/model-tokens_per_s-area.svg" ] && [ -s "$TMP/llm/model-energy_uj_per_token-area.svg" ] &&
    grep -q '^| workload | model `bitnet-b1.58-large`' "$TMP/llm/report.md" &&
    grep -q '^| not on this core | per token, 16-bit: LM head 49155072 MACs reading 98310144 B' "$TMP/llm/report.md" &&
    ok "sweep: a model workload's report: the model, what is not on the core, per-model plots" ||
    no "sweep: model report" "$TMP/llm/report.md"

# ---- a memory preset prices as its figure written as pj_per_bit (7.39,
# docs/cost-model.md "Memory energy presets"), and not as the file's 4;
# the report says which preset and what it leaves out
sed 's|pj_per_bit="4"|preset="ddr4-3200-x16-core"|' llm-small.xml > "$TMP/preset.xml"
sed 's|pj_per_bit="4"|pj_per_bit="7.39"|' llm-small.xml > "$TMP/pj.xml"
"$TF" sweep "$TMP/preset.xml" -o "$TMP/preset" --no-plots > /dev/null 2>&1 &&
    "$TF" sweep "$TMP/pj.xml" -o "$TMP/pj" --no-plots > /dev/null 2>&1 &&
    cmp -s "$TMP/preset/points.csv" "$TMP/pj/points.csv" &&
    ! cmp -s "$TMP/preset/points.csv" "$TMP/llm/points.csv" &&
    grep -q 'preset="ddr4-3200-x16-core"' "$TMP/preset/sweep.xml" &&
    grep -q '^| memory | .* at 7.39 pJ/bit (preset `ddr4-3200-x16-core`: .*no I/O' "$TMP/preset/report.md" &&
    ok "sweep: <memory preset> prices as its pJ/bit; report.md names it and what it leaves out" ||
    no "sweep: <memory preset> differs from pj_per_bit 7.39 (or equals pj_per_bit 4), or report.md does not name it"

"$TF" sweep mixed.xml -o "$TMP/quiet" --no-plots > /dev/null 2> "$TMP/quiet.err"
[ ! -s "$TMP/quiet.err" ] && ok "sweep: no progress line when stderr is not a terminal" ||
    no "sweep: stderr not empty" "$TMP/quiet.err"
if command -v script > /dev/null; then
    script -qec "$TF sweep $TOP/tests/sweep/mixed.xml -o $TMP/tty --no-plots" /dev/null > "$TMP/tty.log" 2>&1
    grep -q "sweep: 760/760 points (100 %)" "$TMP/tty.log" && ok "sweep: progress line on a terminal" ||
        no "sweep: progress line" "$TMP/tty.log"
fi

# ---- a front point priced by `ternforge cost` gives the same figures
# (awk only: the row's parameters become a parameter file)
awk -F, -v xml="$TMP/pt.xml" '
    NR == 1 { for (i = 1; i <= NF; i++) { col[$i] = i; hdr[i] = $i }; next }
    NR == 2 { s = ""
        for (i = col["kind"]; i < col["area_um2"]; i++) if ($i != "") s = s " " hdr[i] "=\"" $i "\""
        print "<ternforge version=\"1\"><core" s "/></ternforge>" > xml
        printf "%.6g %.6g %.6g %s %s\n", $col["area_um2"], $col["energy_pj_per_mac"], $col["cycles"], $col["bw_gbps"], $col["fingerprint"] }' \
    "$d/pareto.csv" > "$TMP/want"
set -- $(cat "$TMP/want")
# The sweep runs at a 9 ns target clock, cost at f_max: area, energy per
# MAC and cycles do not depend on the clock.
"$TF" cost "$TMP/pt.xml" --format csv --shape 300x257x3 --bw "$4" > "$TMP/cost.csv" 2> "$TMP/cost.err"
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR == 2 { printf "%.6g %.6g %.6g %s\n", $col["area_um2"], $col["energy_pj_per_mac"], $col["cycles"], $1 }' "$TMP/cost.csv")
want="$1 $2 $3 $5"
[ -n "$1" ] && [ "$got" = "$want" ] && ok "sweep: a front point = 'ternforge cost' ($got)" ||
    no "sweep: front point '$want' but cost says '$got'" "$TMP/cost.err"

# ---- the front to RTL: gen on pareto/<index>.xml gives the point (its
# fingerprint in pareto.json), at the sweep's 9 ns target clock
fp_ok=0 fp_bad=""
for x in "$d"/pareto/*.xml; do
    i=$(basename "$x" .xml)
    want=$(grep -o "\"index\": $i, \"fingerprint\": \"[0-9a-f]*\"" "$d/pareto.json" | cut -d'"' -f6)
    rm -rf "$TMP/front-rtl"
    "$TF" gen "$x" -o "$TMP/front-rtl" > /dev/null 2>> "$TMP/front.err" &&
        grep -q "^// Design point $want:" "$TMP/front-rtl/tf_top.v" &&
        grep -q "\"fingerprint\": \"$want\"" "$TMP/front-rtl/manifest.json" &&
        grep -q "^create_clock .* -period 9 " "$TMP/front-rtl/tf.sdc" &&
        [ -n "$want" ] && fp_ok=$((fp_ok + 1)) || fp_bad="$fp_bad $i"
done
front=$(grep -c '"index":' "$d/pareto.json")
[ -z "$fp_bad" ] && [ "$fp_ok" = "$front" ] && [ "$(ls "$d/pareto" | wc -l)" = "$front" ] &&
    grep -q '\[[0-9]*\](pareto/[0-9]*\.xml)' "$d/report.md" &&
    ok "sweep: pareto/<index>.xml of all $front front points: gen gives the same fingerprint, clock 9 ns; report.md links them" ||
    no "sweep: front to RTL: $fp_ok of $front, wrong:$fp_bad" "$TMP/front.err"
# ---- mem_style as a sweep parameter (examples/sweeps/mem-style.xml): each
# flops point has its sram twin; the twin is smaller exactly when a buffer
# has >= 16 words (the activation buffer: ceil(257 / tile_cols) words; the
# result FIFO: out_depth), and identical otherwise; every tlut point has
# a macro (at most 16 inputs a cycle), so no flops tlut point is on the front.
if "$TF" sweep "$TOP/examples/sweeps/mem-style.xml" -o "$TMP/mem" --no-plots > "$TMP/mem.log" 2>&1 &&
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        { tc = $h["kind"] == "tlut" ? $h["mu"] * $h["luts"] : $h["inputs"]
          key = $h["core"] " " tc " " $h["mu"] " " $h["keys"] " " $h["out_depth"]
          macro[key] = int((257 + tc - 1) / tc) >= 16 || $h["out_depth"] >= 16
          area[key, $h["mem_style"]] = $h["area_um2"]; n[$h["mem_style"]]++ }
        END { if (n["flops"] != n["sram"] || n["sram"] == 0) { print "unpaired"; exit 1 }
              for (k in macro) {
                  f = area[k, "flops"]; s = area[k, "sram"]
                  if (f == "" || s == "" || (macro[k] ? !(s + 0 < f + 0) : s != f)) {
                      print "twin " k ": flops " f ", sram " s; bad = 1; smaller += 0 }
                  else if (macro[k]) smaller++ }
              print smaller " of " n["sram"] " sram points smaller"; exit bad }' \
        "$TMP/mem/points.csv" > "$TMP/mem.chk" 2>&1 &&
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        $h["mem_style"] == "flops" && $h["core"] == "tlut" { print "front: flops tlut point " $1; bad = 1 }
        END { exit bad }' "$TMP/mem/pareto.csv" >> "$TMP/mem.chk"; then
    ok "sweep/mem_style: $(cat "$TMP/mem.chk"); no flops tlut point on the front"
else
    no "sweep/mem_style: sram twins vs flops points" "$TMP/mem.chk"
    cat "$TMP/mem.log"
fi

# ---- bad sweep files: exact message, exit 1, no output directory
for f in bad/*.xml; do
    n=$(basename "$f" .xml)
    (cd bad && "$TF" sweep "$n.xml" -o "$TMP/bad-$n" > /dev/null 2> "$TMP/$n.err")
    rc=$?
    [ "$UPDATE" = 1 ] && cp "$TMP/$n.err" "bad/$n.err"
    if [ $rc -ne 1 ]; then
        no "sweep/bad/$n: exit status $rc, expected 1" "$TMP/$n.err"
    elif [ -e "$TMP/bad-$n" ]; then
        no "sweep/bad/$n: output directory was created"
    elif ! diff -u "bad/$n.err" "$TMP/$n.err" > "$TMP/$n.diff"; then
        no "sweep/bad/$n: error text differs" "$TMP/$n.diff"
    else
        ok "sweep/bad/$n"
    fi
done
# Bad merges: a missing shard, a shard of another sweep, a shard twice.
s="$TMP/sh-exhaustive"
"$TF" sweep fpga.xml -o "$TMP/other" --shard 1/3 > /dev/null 2>&1
badmerge() { # name, dirs...
    n=$1; shift
    if "$TF" merge -o "$TMP/mbad-$n" "$@" > /dev/null 2> "$TMP/mb.err"; then
        no "merge/$n: accepted"
    elif [ -e "$TMP/mbad-$n" ]; then
        no "merge/$n: output directory was created"
    else
        ok "merge/$n: $(head -1 "$TMP/mb.err" | sed "s|$TMP/||g")"
    fi
}
badmerge missing "$s-0" "$s-1"
badmerge other-sweep "$s-0" "$TMP/other" "$s-2"
badmerge twice "$s-0" "$s-1" "$s-1"
badmerge not-a-shard "$s-0" "$TMP/ref-exhaustive" "$s-2"

# ---- random sweep files (tests/sweep/random.py): each exits 0 or with a
# located error and no output, writes the same bytes with --jobs 2, and
# merged from two shards. 20 files from this run's seed; a campaign runs
# more: python3 tests/sweep/random.py build/ternforge SEED COUNT
python3 random.py "$TF" "$SEED" 20 2>&1
