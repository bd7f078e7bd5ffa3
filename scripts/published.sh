#!/bin/sh
# scripts/published.sh - published ternary LUT designs (examples/published/)
# priced by the cost model, each against the best design of a sweep at the
# same MAC/cycle, activation type and clock, with synthesis measurements of
# both side by side: reports/studies/published/ (docs/studies.md, study 7).
# Usage: sh scripts/published.sh [--measure] [NAME...]
#   without --measure: model and sweeps only; measured figures come from the
#   committed reports/studies/published/measured.csv (points not in it say
#   "not measured"), so the output is deterministic and takes seconds.
#   --measure: first synthesize every published point and its alternatives
#   missing from measured.csv, one at a time under /work/notes/heavy.lock
#   when it exists (synth caches results; see docs/cost-model.md).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
SRC="$TOP/examples/published"
OUT="$TOP/reports/studies/published"
MEAS="$OUT/measured.csv"
LOCK=${TERNFORGE_HEAVY_LOCK:-/work/notes/heavy.lock}
[ -x "$TF" ] || { echo "published.sh: build ternforge first (make)" >&2; exit 2; }
measure=0
if [ "${1:-}" = --measure ]; then measure=1; shift; fi
if [ $# -eq 0 ]; then
    set -- $(cd "$SRC" && ls *.xml | sed 's/\.xml$//')
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/published.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$OUT"
MEAS_HEAD="fingerprint,flow,area_um2,area_um2_model,critical_path_ns,critical_path_ns_model,power_mw,power_mw_model,clock_ns,flow_s"
[ -f "$MEAS" ] || echo "$MEAS_HEAD" > "$MEAS"

# csv_get FILE ROW COLUMN: one field of a plain CSV (no quoted commas) by
# header name; ROW 1 is the first data row.
csv_get() {
    awk -F, -v row="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        NR == row + 1 { print $c; exit }' "$1"
}

r() { csv_get "$1" "$2" "$3"; }

# divisors N MAX: every divisor of N up to MAX, ascending.
divisors() {
    awk -v n="$1" -v m="$2" 'BEGIN { s = ""; for (d = 1; d <= n && d <= m; d++) if (n % d == 0) s = s (s == "" ? "" : " ") d; print s }'
}

# A design's sweep: every tlut and tsign core of the same activation type,
# accumulator, buffer sizes and peak MAC/cycle whose modelled critical path
# fits the published point's (rounded up to 1 ps), so no alternative is
# slower per cycle or in MAC/s. The published point is one of its points.
write_sweep() { # name, cost csv file -> $WORK/name.xml
    name=$1; csv=$2
    point=$(csv_get "$csv" 1 point)
    get() { echo "$point" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    mu=$(get mu); luts=$(get luts); keys=$(get keys)
    act=$(get act_type); aw=$(get act_width); acc=$(get acc_type); accw=$(get acc_width)
    fpl=$(get fp_latency); M=$(get max_rows); N=$(get max_cols)
    T=$((mu * luts * keys))
    cp=$(csv_get "$csv" 1 critical_path_ns)
    clk=$(awk -v c="$cp" 'BEGIN { printf "%.3f", int(c * 1000 + 0.999999) / 1000 }')
    fixed="fp_latency=\"$fpl\""
    if [ "$act" = int ]; then
        work="act_type=\"int\" act_width=\"$aw\""
        # an explicit accumulator width stays; automatic stays automatic
        grep -q 'acc_width=' "$SRC/$name.xml" && fixed="$fixed acc_width=\"$accw\""
    else
        work="act_type=\"$act\" acc_type=\"$acc\""
    fi
    d=$(divisors "$T" 1024); k=$(divisors "$T" 4096)
    cat > "$WORK/$name.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/published.sh from examples/published/$name.xml:
     every tlut and tsign core with its activation type, accumulator and
     buffer sizes, the same peak MAC/cycle ($T), fitting its modelled
     critical path ($cp ns, rounded up). -->
<ternforge version="1">
  <sweep name="published-$name" compare_limit="0">
    <workload M="$M" N="$N" B="1" $work/>
    <tech name="osu018"/>
    <clock ns="$clk"/>
    <core kind="tlut" label="tlut" $fixed>
      <param name="mu" from="1" to="6"/>
      <param name="luts" values="$d"/>
      <param name="keys" values="$k"/>
      <param name="lut_reg" values="0 1"/>
      <param name="tree_stages" values="0 1 2"/>
    </core>
    <core kind="tsign" label="tsign" $fixed>
      <param name="inputs" values="$k"/>
      <param name="keys" values="$k"/>
      <param name="tree_stages" values="0 1 2"/>
    </core>
    <constraint figure="peak_macs_per_cycle" min="$T" max="$T"/>
    <objective figure="area_um2"/>
    <objective figure="energy_pj_per_mac"/>
  </sweep>
</ternforge>
EOF
}

# best_row POINTS KIND: the data row number of the feasible point of least
# area (of KIND, or any kind for "any"); the first in index order on a tie.
best_row() {
    awk -F, -v kind="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
        $h["status"] == "feasible" && (kind == "any" || $h["kind"] == kind) &&
        (best == "" || $h["area_um2"] + 0 < barea) { best = NR - 1; barea = $h["area_um2"] + 0 }
        END { print best }' "$1"
}

# row_xml POINTS ROW: the point as a parameter file (every parameter that
# applies to its kind, as points.csv resolved it).
row_xml() {
    awk -F, -v row="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { h[i] = $i; c[$i] = i }; next }
        NR == row + 1 { s = ""; on = 0; fp = $c["act_type"] != "int"
            for (i = 1; i <= NF; i++) {
                if (h[i] == "kind") on = 1
                skip = fp ? (h[i] == "act_width" || h[i] == "acc_width") : h[i] == "acc_type"
                if (on && $i != "" && !skip) s = s " " h[i] "=\"" $i "\""
                if (h[i] == "mem_style") break
            }
            print "<?xml version=\"1.0\"?>"
            print "<ternforge version=\"1\">"
            print "  <core" s "/>"
            print "</ternforge>" }' "$1"
}

# flow_for NAME: flat synthesis for integer points the model puts below
# 1.5 mm2, --hier otherwise (docs/cost-model.md, "Hierarchical synthesis");
# a design and its alternatives always share the flow.
flow_for() {
    csv=$WORK/$1.cost.csv
    area=$(csv_get "$csv" 1 area_um2)
    case $(csv_get "$csv" 1 point) in
        *act_type=int*) awk -v a="$area" 'BEGIN { print (a < 1.5e6) ? "flat" : "hier" }' ;;
        *) echo hier ;;
    esac
}

# measure XML FLOW: synthesize unless measured.csv has the point and flow.
measure_point() {
    xml=$1; flow=$2
    fp=$("$TF" cost "$xml" --format csv | csv_get /dev/stdin 1 fingerprint)
    grep -q "^$fp,$flow," "$MEAS" && return 0
    # --one-run: the recorded --hier rows came from the single-run flow
    # (--flat: synth keeps the hierarchy by itself above a tile size)
    opt="--flat"; [ "$flow" = hier ] && opt="--hier --one-run"
    echo "published.sh: synth $opt $xml ($fp)" >&2
    # a cached result returns at once: try that before queueing for the lock
    # (an uncached run is stopped after 20 s, which the cache survives)
    if timeout 20 "$TF" synth "$xml" $opt > "$WORK/synth.out" 2>&1; then
        :
    elif [ -f "$LOCK" ]; then
        flock "$LOCK" nice "$TF" synth "$xml" $opt > "$WORK/synth.out" 2>&1 || { cat "$WORK/synth.out" >&2; return 1; }
    else
        nice "$TF" synth "$xml" $opt > "$WORK/synth.out" 2>&1 || { cat "$WORK/synth.out" >&2; return 1; }
    fi
    awk -v fp="$fp" -v flow="$flow" '
        /^flow time:/ { t = $3 }
        $1 == "area_um2" { am = $2; ao = $3 }
        $1 == "critical_path_ns" { cm = $2; co = $3 }
        $1 == "power_mw" { pm = $2; po = $3; c = $0; sub(/.*\(at /, "", c); sub(/ ns.*/, "", c) }
        END { if (am == "" || pm == "") exit 1
              if (t == "") t = "cached"  # synth prints no flow time for a cached result
              print fp "," flow "," am "," ao "," cm "," co "," pm "," po "," c "," t }' \
        "$WORK/synth.out" >> "$MEAS" || { echo "published.sh: no figures in synth output" >&2; cat "$WORK/synth.out" >&2; return 1; }
    { echo "$MEAS_HEAD"; tail -n +2 "$MEAS" | sort -u; } > "$WORK/meas" && cp "$WORK/meas" "$MEAS"
}

# study NAME [--set ...]: cost the published point (with the --set
# overrides), sweep its rivals; leaves $WORK/NAME.cost.csv, the sweep in
# $WORK/NAME.sweep and $WORK/NAME.rows (published, best, best tlut rows).
study() {
    name=$1; shift
    "$TF" cost "$SRC/$name.xml" "$@" --format csv > "$WORK/$name.cost.csv"
    write_sweep "$name" "$WORK/$name.cost.csv"
    rm -rf "$WORK/$name.sweep"
    "$TF" sweep "$WORK/$name.xml" -o "$WORK/$name.sweep" --jobs 1 --no-plots > "$WORK/$name.sweep.log"
    pts=$WORK/$name.sweep/points.csv
    rb=$(best_row "$pts" any); rt=$(best_row "$pts" tlut)
    [ -n "$rb" ] && [ -n "$rt" ] || { echo "published.sh: $name: no feasible point" >&2; exit 1; }
    awk -F, -v fp="$(csv_get "$WORK/$name.cost.csv" 1 fingerprint)" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "fingerprint") c = i; print; next }
        $c == fp { print; exit }' "$pts" > "$WORK/$name.rows"
    [ "$(wc -l < "$WORK/$name.rows")" -eq 2 ] || { echo "published.sh: $name: the published point is not in its sweep" >&2; exit 1; }
    sed -n "$((rb + 1))p" "$pts" >> "$WORK/$name.rows"
    sed -n "$((rt + 1))p" "$pts" >> "$WORK/$name.rows"
}

for name in "$@"; do
    [ -f "$SRC/$name.xml" ] || { echo "published.sh: no file $SRC/$name.xml" >&2; exit 2; }
    # the same question with layer-sized buffers (4096 x 4096): model only
    study "$name" --set max_rows=4096 --set max_cols=4096
    mv "$WORK/$name.rows" "$WORK/$name.rows4096"
    study "$name"
    rm -rf "${OUT:?}/$name"; mkdir -p "$OUT/$name"
    # the sweep's outputs but points.csv (up to 1.5 MB each; rows.csv keeps
    # the rows this report reads)
    cp -r "$WORK/$name.sweep/report.md" "$WORK/$name.sweep/pareto.csv" "$WORK/$name.sweep/pareto.json" \
        "$WORK/$name.sweep/pareto" "$WORK/$name.sweep/sweep.xml" "$OUT/$name/"
    cp "$WORK/$name.rows" "$OUT/$name/rows.csv"
    cp "$WORK/$name.rows4096" "$OUT/$name/rows-4096.csv"
    row_xml "$WORK/$name.sweep/points.csv" "$rb" > "$OUT/$name/best.xml"
    row_xml "$WORK/$name.sweep/points.csv" "$rt" > "$OUT/$name/best_tlut.xml"
    # the files must be the points the sweep priced, or the synthesis
    # below would measure something else
    for n in 2:best 3:best_tlut; do
        fx=$("$TF" cost "$OUT/$name/${n#*:}.xml" --format csv | csv_get /dev/stdin 1 fingerprint)
        [ "$fx" = "$(r "$OUT/$name/rows.csv" "${n%:*}" fingerprint)" ] ||
            { echo "published.sh: $name: ${n#*:}.xml is not the sweep's point" >&2; exit 1; }
    done
    if [ $measure = 1 ]; then
        flow=$(flow_for "$name")
        measure_point "$SRC/$name.xml" "$flow"
        measure_point "$OUT/$name/best.xml" "$flow"
        measure_point "$OUT/$name/best_tlut.xml" "$flow"
    fi
done

# ---------------------------------------------------------------- report
# Every number below is read from rows.csv, rows-4096.csv (the sweeps'
# points.csv rows), measured.csv and `ternforge cost --format json`.
mm2() { awk -v a="$1" 'BEGIN { printf "%.3f", a / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pct() { awk -v m="$1" -v o="$2" 'BEGIN { printf "%+.1f %%", (o - m) / m * 100 }'; }
shape() { # rows file, row: the point's parameters in a few words
    f=$1; n=$2
    case $(r "$f" "$n" kind) in
        tlut) echo "tlut µ=$(r "$f" "$n" mu) L=$(r "$f" "$n" luts) K=$(r "$f" "$n" keys) lut_reg=$(r "$f" "$n" lut_reg) tree_stages=$(r "$f" "$n" tree_stages)" ;;
        *) echo "$(r "$f" "$n" kind) P=$(r "$f" "$n" inputs) K=$(r "$f" "$n" keys) tree_stages=$(r "$f" "$n" tree_stages)" ;;
    esac
}
changed() { # rows file, row a, row b: the parameters that differ
    f=$1
    for p in kind mu luts inputs keys lut_reg tree_stages; do
        a=$(r "$f" "$2" $p); b=$(r "$f" "$3" $p)
        [ "$a" = "$b" ] || printf '%s %s→%s, ' "$p" "${a:--}" "${b:--}"
    done | sed 's/, $//'
}
components() { # xml: "name area" lines from the cost model
    "$TF" cost "$1" --format json | sed -n 's/^ *"\([a-z_]*\)": {"area_um2": \([0-9.e+-]*\),.*/\1 \2/p'
}
reductions() { # published xml, best xml: the two components that shrank most
    components "$1" > "$WORK/ca"; components "$2" > "$WORK/cb"
    awk 'NR == FNR { a[$1] = $2; next } { b[$1] = $2 }
        END { for (c in a) d[c] = a[c] - b[c]; for (c in b) if (!(c in a)) d[c] = -b[c]
              n = 0; for (c in d) { k[++n] = c }
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                  if (d[k[j]] > d[k[i]] || (d[k[j]] == d[k[i]] && k[j] < k[i])) { t = k[i]; k[i] = k[j]; k[j] = t }
              s = ""; for (i = 1; i <= 2 && i <= n; i++) if (d[k[i]] > 0) s = s (s == "" ? "" : ", ") sprintf("%s -%.3f", k[i], d[k[i]] / 1e6)
              print s }' "$WORK/ca" "$WORK/cb"
}
meas() { # fingerprint flow column
    awk -F, -v fp="$1" -v fl="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 == fp && $2 == fl { print $c; exit }' "$MEAS"
}
flow_of() { # rows file: the synthesis flow of the design (flow_for's rule)
    case $(r "$1" 1 act_type) in
        int) awk -v a="$(r "$1" 1 area_um2)" 'BEGIN { print (a < 1.5e6) ? "flat" : "hier" }' ;;
        *) echo hier ;;
    esac
}
designs=$(cd "$SRC" && ls *.xml | sed 's/\.xml$//')
{
cat <<'EOF2'
# Published ternary LUT designs against the best design at equal throughput

Written by `sh scripts/published.sh` (part of `make studies`; docs/studies.md,
study 7, explains the setup and the findings). Each design's parameter file
is in examples/published/ with its source and what could not be mapped.
For each, a sweep (`NAME/sweep.xml`, its `NAME/report.md` and front;
points.csv is not kept)
prices every `tlut` (µ = 1..6, L and K over the divisors of the MAC/cycle,
lut_reg 0/1, tree_stages 0..2) and `tsign` core with the same activation
type, accumulator, max_rows/max_cols and peak MAC/cycle whose modelled
critical path fits the published point's (rounded up to 1 ps): equal
MAC/cycle and no slower clock. The best alternative is the feasible point
of least area (`NAME/best.xml`; `NAME/best_tlut.xml` is the best LUT core);
`NAME/rows.csv` holds the published, best and best-LUT rows of the sweep.

Areas in mm2 (osu018), energy in pJ per MAC on the sweep's workload (one
GEMV of max_rows x max_cols), gains = published / alternative.

## Model: published point and best alternative

| design | published point | MAC/cycle | act | area | pJ/MAC | best alternative | area | pJ/MAC | area gain | energy gain | parameters changed | largest component reductions (mm2) |
|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|---|---|
EOF2
for d in $designs; do
    f=$OUT/$d/rows.csv; [ -f "$f" ] || continue
    act=$(r "$f" 1 act_type); [ "$act" = int ] && act="int$(r "$f" 1 act_width)"
    for n in 2 3; do
        [ $n = 3 ] && [ "$(r "$f" 3 fingerprint)" = "$(r "$f" 2 fingerprint)" ] && continue
        x=$OUT/$d/best.xml; [ $n = 3 ] && x=$OUT/$d/best_tlut.xml
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$d" "$(shape "$f" 1)" \
            "$(r "$f" 1 peak_macs_per_cycle)" "$act" "$(mm2 "$(r "$f" 1 area_um2)")" "$(r "$f" 1 energy_pj_per_mac)" \
            "$(shape "$f" $n)" "$(mm2 "$(r "$f" $n area_um2)")" "$(r "$f" $n energy_pj_per_mac)" \
            "$(ratio "$(r "$f" 1 area_um2)" "$(r "$f" $n area_um2)")" \
            "$(ratio "$(r "$f" 1 energy_pj_per_mac)" "$(r "$f" $n energy_pj_per_mac)")" \
            "$(changed "$f" 1 $n)" "$(reductions "$SRC/$d.xml" "$x")"
    done
done
cat <<'EOF2'

Modelled critical paths (ns; the sweep's clock is the published one):

| design | published | its critical stage | best alternative | its critical stage |
|---|---:|---|---:|---|
EOF2
for d in $designs; do
    f=$OUT/$d/rows.csv; [ -f "$f" ] || continue
    printf '| %s | %s | %s | %s | %s |\n' "$d" "$(r "$f" 1 critical_path_ns)" "$(r "$f" 1 critical_stage)" \
        "$(r "$f" 2 critical_path_ns)" "$(r "$f" 2 critical_stage)"
done
cat <<'EOF2'

## Measured: synthesis next to the model

Yosys 0.23 + ABC onto osu018, OpenSTA 2.0.17 (`ternforge synth`; flat for
integer points the model puts below 1.5 mm2, `--hier` otherwise; a design
and its alternative share the flow). Power at a 10 ns clock and the
technology's switching activity; pJ/MAC here = power x 10 ns / peak
MAC/cycle (every lane busy), for the measured and the modelled power
alike. Figures from `measured.csv` (`sh scripts/published.sh --measure`
adds missing points); "not measured" where it has none.

| design | point | flow | area meas. | area model | error | path meas. (ns) | path model | power meas. (mW) | power model | pJ/MAC meas. | pJ/MAC model | flow time (s) |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF2
for d in $designs; do
    f=$OUT/$d/rows.csv; [ -f "$f" ] || continue
    fl=$(flow_of "$f"); T=$(r "$f" 1 peak_macs_per_cycle)
    for n in 1 2 3; do
        [ $n = 3 ] && [ "$(r "$f" 3 fingerprint)" = "$(r "$f" 2 fingerprint)" ] && continue
        role=published; [ $n = 2 ] && role=best; [ $n = 3 ] && role="best tlut"
        fp=$(r "$f" $n fingerprint)
        am=$(meas "$fp" "$fl" area_um2)
        if [ -z "$am" ]; then
            printf '| %s | %s | %s | not measured | %s | | | %s | | | | | |\n' "$d" "$role: $(shape "$f" $n)" "$fl" \
                "$(mm2 "$(r "$f" $n area_um2)")" "$(r "$f" $n critical_path_ns)"
            continue
        fi
        ao=$(meas "$fp" "$fl" area_um2_model); cm=$(meas "$fp" "$fl" critical_path_ns); co=$(meas "$fp" "$fl" critical_path_ns_model)
        pm=$(meas "$fp" "$fl" power_mw); po=$(meas "$fp" "$fl" power_mw_model); ck=$(meas "$fp" "$fl" clock_ns)
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$d" "$role: $(shape "$f" $n)" "$fl" \
            "$(mm2 "$am")" "$(mm2 "$ao")" "$(pct "$am" "$ao")" "$cm" "$co" "$pm" "$po" \
            "$(awk -v p="$pm" -v c="$ck" -v t="$T" 'BEGIN { printf "%.3f", p * c / t }')" \
            "$(awk -v p="$po" -v c="$ck" -v t="$T" 'BEGIN { printf "%.3f", p * c / t }')" "$(meas "$fp" "$fl" flow_s)"
    done
done
cat <<'EOF2'

Gains of the best alternative, modelled and measured (published /
alternative; energy as pJ/MAC at peak from the power at 10 ns):

| design | area gain model | area gain measured | energy gain model | energy gain measured | path published meas. (ns) | path alternative meas. (ns) |
|---|---:|---:|---:|---:|---:|---:|
EOF2
for d in $designs; do
    f=$OUT/$d/rows.csv; [ -f "$f" ] || continue
    fl=$(flow_of "$f"); p=$(r "$f" 1 fingerprint); b=$(r "$f" 2 fingerprint)
    if [ -z "$(meas "$p" "$fl" area_um2)" ] || [ -z "$(meas "$b" "$fl" area_um2)" ]; then
        # the energy columns compare power at 10 ns, which synth reports
        printf '| %s | %s | not measured | | not measured | | |\n' "$d" \
            "$(ratio "$(r "$f" 1 area_um2)" "$(r "$f" 2 area_um2)")"
        continue
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$d" \
        "$(ratio "$(meas "$p" "$fl" area_um2_model)" "$(meas "$b" "$fl" area_um2_model)")" \
        "$(ratio "$(meas "$p" "$fl" area_um2)" "$(meas "$b" "$fl" area_um2)")" \
        "$(ratio "$(meas "$p" "$fl" power_mw_model)" "$(meas "$b" "$fl" power_mw_model)")" \
        "$(ratio "$(meas "$p" "$fl" power_mw)" "$(meas "$b" "$fl" power_mw)")" \
        "$(meas "$p" "$fl" critical_path_ns)" "$(meas "$b" "$fl" critical_path_ns)"
done
cat <<'EOF2'

## Layer-sized buffers (max_rows = max_cols = 4096), model only

The same sweep with the published point's max_rows and max_cols set to
4096 (a 4096 x 4096 layer's activation buffer; `NAME/rows-4096.csv`):

| design | published area | its path (ns) | best alternative | area | area gain | energy gain | parameters changed |
|---|---:|---:|---|---:|---:|---:|---|
EOF2
for d in $designs; do
    f=$OUT/$d/rows-4096.csv; [ -f "$f" ] || continue
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$d" "$(mm2 "$(r "$f" 1 area_um2)")" "$(r "$f" 1 critical_path_ns)" \
        "$(shape "$f" 2)" "$(mm2 "$(r "$f" 2 area_um2)")" "$(ratio "$(r "$f" 1 area_um2)" "$(r "$f" 2 area_um2)")" \
        "$(ratio "$(r "$f" 1 energy_pj_per_mac)" "$(r "$f" 2 energy_pj_per_mac)")" "$(changed "$f" 1 2)"
done
} > "$WORK/report.md"
cp "$WORK/report.md" "$OUT/report.md"
