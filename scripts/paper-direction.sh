#!/bin/sh
# scripts/paper-direction.sh - the seed paper's area question on our open
# flow: a LUT core vs the sign-flip (tsign) and multiply (tmul) baselines,
# same tile (inputs x outputs per cycle), FP16, BF16, FP8 (E4M3) and INT8.
#   * modelled (calibrated osu018 model) at 8x8 .. 64x64 tiles;
#   * measured with the hierarchical flow (`synth --hier`) at the tile
#     sizes in HIER (default "16 32"; HIER64=1, the default, adds FP16
#     64x64): tlut at mu in TLUT_MU (default "2 3 4 5", issue 16's
#     range) vs tsign vs tmul;
#     total and datapath area, critical path, power at the technology's
#     global activity; the model's figures and errors in a table apart;
#   * measured flat at the tile sizes in SYNTH (default none: an FP16 8x8
#     core takes about 5 minutes flat, 32x32 hours).
# Measurements are kept in reports/paper-direction-measured.tsv (MEAS), one
# row per point with a hash of the point's generated RTL; the report is
# made from that file and `ternforge cost` in seconds. A point is measured
# only when it has no row, or its row's RTL hash differs from today's RTL
# (stale), and HIER_RUN=1 (the default); HIER_RUN=0 only writes the report
# (missing or stale points say so), e.g. after a change to the cost model.
# WRAP prefixes every synthesis (e.g. WRAP="flock LOCK nice": one lock
# hold per point). TIMEOUT=S stops a synthesis after S seconds; BUDGET=S
# starts no synthesis after S seconds and stops the one running then (e.g.
# `flock LOCK env BUDGET=540 TIMEOUT=540 sh scripts/paper-direction.sh`:
# as many points as fit in one hold of the lock). A point that fails, or
# runs into TIMEOUT, gets a row saying how long it ran and is not retried
# unless RETRY=1; one stopped by BUDGET before TIMEOUT gets no row. ACTS
# (default "fp16 bf16 fp8e4m3 int8"), KINDS (default "tlut tsign tmul")
# and REPORT=0 (measure only) split a long campaign. Writes reports/paper-direction.md (`make paper`).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
SYNTH=${SYNTH-}
HIER=${HIER-16 32}
HIER64=${HIER64:-1}
TLUT_MU=${TLUT_MU-2 3 4 5}
ACTS=${ACTS-fp16 bf16 fp8e4m3 int8}
KINDS=${KINDS-tlut tsign tmul}
HIER_WORK=${HIER_WORK:-$TOP/build/paper-hier} # synth output of each run
HIER_RUN=${HIER_RUN:-1}
RETRY=${RETRY:-0}
REPORT=${REPORT:-1}
WRAP=${WRAP-}
TIMEOUT=${TIMEOUT:-0}
BUDGET=${BUDGET:-0}
START=${START:-$(date +%s)} # BUDGET counts from here (several runs can share one)
MEAS=${MEAS:-$TOP/reports/paper-direction-measured.tsv}
OUT="$TOP/reports/paper-direction.md"
CLOCK=10 # ns: synth's default on osu018; the model's power is taken at it too
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BASE="$TMP/base.xml" # every parameter comes from --set
printf '<?xml version="1.0"?>\n<ternforge version="1"><core kind="tlut"/></ternforge>\n' > "$BASE"
TAB=$(printf '\t')

# point ACT TILE KIND [MU] -> --set arguments (max_cols 64: a small
# activation buffer). tlut gets ceil(N/mu) LUTs: at least N inputs.
point() {
    act=$1; n=$2; kind=$3; mu=${4:-4}
    case $act in int8) a="act_type=int act_width=8" ;; *) a="act_type=$act" ;; esac
    case $kind in
    tlut) echo "kind=tlut $a mu=$mu luts=$(((n + mu - 1) / mu)) keys=$n lut_reg=1" ;;
    *) echo "kind=$kind $a inputs=$n keys=$n" ;;
    esac
}
sets() { for s in $(point "$@") max_rows=4096 max_cols=64 out_depth=2; do printf -- '--set %s ' "$s"; done; }
# rtl_hash ACT TILE KIND [MU] -> a hash of the point's generated Verilog:
# a measurement of other RTL is stale
rtl_hash() {
    rm -rf "$TMP/g"
    "$TF" gen "$BASE" $(sets "$@") -o "$TMP/g" < /dev/null > /dev/null
    (cd "$TMP/g" && cat $(cat files.f)) | grep -v '^[[:space:]]*/\*verilator ' | sha256sum | cut -c1-16
}
# cost ACT TILE KIND [MU] -> $TMP/c.json (`cost --format json`): priced as a
# flat synthesis; costh prices it as `synth --hier` builds it (`cost
# --hier`: FP units kept whole), for the rows measured that way
cost() { "$TF" cost "$BASE" $(sets "$@") --format json < /dev/null > "$TMP/c.json"; }
costh() { "$TF" cost "$BASE" $(sets "$@") --hier --format json < /dev/null > "$TMP/c.json"; }
# parts COMPONENT... -> the model's area of those components together, from $TMP/c.json
parts() {
    sum=0
    for c in "$@"; do
        v=$(sed -n "s/^    \"$c\": {\"area_um2\": \([^,]*\),.*/\1/p" "$TMP/c.json")
        sum=$(echo "$sum + ${v:-0}" | bc -l)
    done
    echo "$sum"
}
json() { sed -n "s/^  \"$1\": \(.*\),$/\1/p" "$TMP/c.json"; }

[ -f "$MEAS" ] || printf '# flow\tact\ttile\tkind\tmu\tarea_um2\tpath_ns\tpower_mw\tcells\tflops\tseconds\trtl\ttools\n' > "$MEAS"
# row FLOW ACT TILE KIND MU -> the point's row in $MEAS (empty: none)
row() { awk -F"$TAB" -v k="$1$TAB$2$TAB$3$TAB$4$TAB$5" 'index($0, k "\t") == 1 { r = $0 } END { if (r != "") print r }' "$MEAS"; }

# measure FLOW ACT TILE KIND [MU] -> "area path power seconds" from $MEAS,
# running the point first if it has no up-to-date row and HIER_RUN=1.
# area is "-" for a point not measured, "stale" for a row of other RTL,
# "failed" for a run that failed or timed out (seconds: how long it ran).
measure() {
    fl=$1; shift
    mu=-; [ "$3" = tlut ] && mu=${4:-4}
    h=$(rtl_hash "$@")
    r=$(row "$fl" "$1" "$2" "$3" "$mu")
    state=-
    if [ -n "$r" ]; then
        state=ok
        [ "$(echo "$r" | cut -f12)" = "$h" ] || state=stale
        [ "$state" = ok ] && [ "$(echo "$r" | cut -f6)" = failed ] && [ "$RETRY" = 1 ] && state=retry
    fi
    if [ "$state" != ok ] && [ "$HIER_RUN" = 1 ]; then
        mkdir -p "$HIER_WORK"
        w="$HIER_WORK/$fl-$1-$2-$3$mu"
        # --one-run: the recorded rows came from the single-run flow (before
        # the per-module cache); new rows stay comparable with them
        # (--flat: synth keeps the hierarchy by itself above a tile size)
        hier=--flat; [ "$fl" = hier ] && hier="--hier --one-run"
        lim=$TIMEOUT
        if [ "$BUDGET" -gt 0 ]; then
            left=$((START + BUDGET - $(date +%s)))
            [ $left -ge 30 ] || { echo "- - - -"; return; }
            [ "$lim" -gt 0 ] && [ "$lim" -le $left ] || lim=$left
        fi
        to=; [ "$lim" -gt 0 ] && to="timeout $lim"
        t0=$(date +%s)
        if $WRAP $to "$TF" synth "$BASE" $(sets "$@") $hier < /dev/null > "$w.txt" 2> "$w.err"; then
            r=$(awk -v pre="$fl$TAB$1$TAB$2$TAB$3$TAB$mu" -v h="$h" '
                $1 == "flow:" { sub(/^flow: */, ""); sub(/ \(cached result\)$/, ""); tools = $0 }
                $1 == "flow" && $2 == "time:" { s = $3 }
                $1 == "area_um2" { a = $2 } $1 == "critical_path_ns" { p = $2 }
                $1 == "power_mw" { pw = $2 } $1 == "cells" { c = $2 } $1 == "flip-flops" { f = $2 }
                END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pre, a, p, pw, c, f, s == "" ? "cached" : s, h, tools }' "$w.txt")
        else
            rc=$?
            # stopped by the budget, not by TIMEOUT: measured in a later hold
            [ $rc = 124 ] && [ "$lim" -lt "$TIMEOUT" ] && { echo "- - - -"; return; }
            # seconds: ">S" stopped by TIMEOUT; else WRAP's time, a lock
            # wait included, so "at most"
            sec="<=$(($(date +%s) - t0))"; [ $rc = 124 ] && sec=">$lim"
            r="$fl$TAB$1$TAB$2$TAB$3$TAB$mu${TAB}failed$TAB-$TAB-$TAB-$TAB-$TAB$sec$TAB$h$TAB$(tail -n 1 "$w.err" | tr '\t' ' ')"
        fi
        awk -F"$TAB" -v k="$fl$TAB$1$TAB$2$TAB$3$TAB$mu" 'index($0, k "\t") != 1' "$MEAS" > "$MEAS.tmp"
        echo "$r" >> "$MEAS.tmp"
        mv "$MEAS.tmp" "$MEAS"
        state=ok
    fi
    case $state in
    -) echo "- - - -" ;;
    stale) echo "stale - - -" ;;
    *) echo "$r" | awk -F"$TAB" '{ print $6, $7, $8, $11 }' ;;
    esac
}

# the points in measuring order: the hierarchical table's, then the flat one's
hier_points() {
    for act in $ACTS; do
        sizes=$HIER
        [ "$HIER64" = 1 ] && [ $act = fp16 ] && sizes="$sizes 64"
        for n in $sizes; do
            for k in $KINDS; do
                case $k in tlut) for mu in $TLUT_MU; do echo "$act $n tlut $mu"; done ;;
                *) echo "$act $n $k" ;; esac
            done
        done
    done
}
while read -r p; do measure hier $p > /dev/null; done <<EOF
$(hier_points)
EOF
for act in fp16 int8; do for n in $SYNTH; do for k in tlut tsign tmul; do
    measure flat $act $n $k > /dev/null
done; done; done
[ "$REPORT" = 1 ] || exit 0

pct() { echo "$1 $2" | awk '{ printf "%+.1f%%", 100 * ($1 - $2) / $2 }'; }
{
echo "# LUT core vs baselines on the open osu018 flow"
echo
echo "Generated by \`scripts/paper-direction.sh\` ($("$TF" --version)) from the"
echo "measurements in \`paper-direction-measured.tsv\` and today's cost model."
echo "Same tile for every kind: N inputs x N outputs per cycle (tlut: ceil(N/mu)"
echo "LUTs with registered tables; tsign/tmul: P=N inputs). max_cols=64 (a"
echo "small activation buffer), out_depth=2. 'datapath' (dp) excludes the"
echo "activation buffer, the result FIFO and the controller, which every kind"
echo "shares. The seed paper (TSMC 16 nm, FP16, 32x32): LUT core 0.120 mm2,"
echo "sign-flip 0.197 mm2 (1.64x), full-width multiply 0.268 mm2 (2.2x)."
echo "What these numbers say about the paper's three findings:"
echo "\`paper-direction-findings.md\`."
echo
echo "## Measured, hierarchical flow (synth --hier: Yosys + ABC onto osu018, OpenSTA)"
echo
echo "Measured columns only (the model is in the next table). mm2: whole"
echo "core (standard cells, \`stat -liberty\`); dp mm2: the measured core minus"
echo "the model's activation buffer and result FIFO (the flow synthesizes"
echo "both into the top; the controller stays in; this column moves a little"
echo "with the model); ns: critical path, the shortest clock period meeting"
echo "setup (OpenSTA through the hierarchy); mW: OpenSTA \`report_power\` at a"
echo "${CLOCK} ns clock with every non-clock net toggling 0.1 times per cycle"
echo "(\`set_power_activity -global\`, osu018's activity; not a workload's"
echo "activity: a comparison at equal activity, not an energy estimate);"
echo "ratio: area / the area of the best (smallest) tlut of the same act and"
echo "tile; s: flow wall time of the run (one synthesis at a time, other"
echo "helpers' jobs on the other core). tlut inputs: ceil(N/mu)*mu."
echo
echo "| act | tile | kind | inputs | mm2 | dp mm2 | ns | mW | ratio (total) | ratio (dp) | s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
cur=""
while read -r act n k mu; do
    if [ "$act $n" != "$cur" ]; then # the best tlut of this act and tile
        cur="$act $n"; best=0; bestdp=0
        for m in $TLUT_MU; do
            set -- $(measure hier $act $n tlut $m)
            case $1 in -|stale|failed) continue ;; esac
            costh $act $n tlut $m; dp=$(echo "$1 - $(parts act_buffer out_fifo)" | bc -l)
            if [ $best = 0 ] || [ "$(echo "$1 < $best" | bc -l)" = 1 ]; then best=$1; bestdp=$dp; fi
        done
    fi
    set -- $(measure hier $act $n $k $mu)
    in=$n; name=$k
    [ $k = tlut ] && { in=$(( (n + mu - 1) / mu * mu )); name=tlut$mu; }
    case $1 in
    -) printf '| %s | %dx%d | %s | %s | not measured | | | | | | |\n' $act $n $n $name $in; continue ;;
    stale) printf '| %s | %dx%d | %s | %s | stale (RTL changed) | | | | | | |\n' $act $n $n $name $in; continue ;;
    failed) printf '| %s | %dx%d | %s | %s | failed or not finished (%s s) | | | | | | |\n' $act $n $n $name $in "$4"; continue ;;
    esac
    costh $act $n $k $mu
    dp=$(echo "$1 - $(parts act_buffer out_fifo)" | bc -l)
    if [ $best = 0 ]; then rt=; rd=; else
        rt=$(echo "$1 $best" | awk '{ printf "%.2f", $1 / $2 }'); rd=$(echo "$dp $bestdp" | awk '{ printf "%.2f", $1 / $2 }'); fi
    printf '| %s | %dx%d | %s | %s | %.3f | %.3f | %.2f | %.1f | %s | %s | %s |\n' $act $n $n $name $in \
        $(echo "$1/1000000; $dp/1000000; $2; $3" | bc -l) "$rt" "$rd" "$(printf %s "$4" | sed 's/^\([0-9]*\)\.[0-9]*$/\1/')"
done <<EOF
$(hier_points)
EOF
echo
echo "## The cost model against these measurements"
echo
echo "Today's calibrated osu018 model (\`ternforge cost --hier\`: the FP units"
echo "kept whole, as the hierarchical flow keeps them) at the same points;"
echo "error = (model - measured) / measured. Power: the model's energy per"
echo "cycle over the ${CLOCK} ns clock, the figure \`synth\` compares."
echo
echo "| act | tile | kind | model mm2 | err area | model ns | err path | model mW | err power |"
echo "|---|---|---|---|---|---|---|---|---|"
while read -r act n k mu; do
    set -- $(measure hier $act $n $k $mu)
    case $1 in -|stale|failed) continue ;; esac
    costh $act $n $k $mu
    ma=$(json area_um2); mp=$(json critical_path_ns); mw=$(echo "$(json energy_pj_per_cycle) / $CLOCK" | bc -l)
    name=$k; [ $k = tlut ] && name=tlut$mu
    printf '| %s | %dx%d | %s | %.3f | %s | %.2f | %s | %.1f | %s |\n' $act $n $n $name \
        "$(echo "$ma/1000000" | bc -l)" "$(pct "$ma" "$1")" "$mp" "$(pct "$mp" "$2")" "$mw" "$(pct "$mw" "$3")"
    echo "$n $(pct "$ma" "$1") $(pct "$mp" "$2") $(pct "$mw" "$3")" | tr -d '%+' >> "$TMP/err"
done <<EOF
$(hier_points)
EOF
if [ -s "$TMP/err" ]; then
    echo
    echo "| tile | points | area MAPE | area max | path MAPE | path max | power MAPE | power max |"
    echo "|---|---|---|---|---|---|---|---|"
    awk 'function a(x) { return x < 0 ? -x : x }
        { n[$1]++; for (i = 2; i <= 4; i++) { s[$1, i] += a($i); if (a($i) > m[$1, i]) m[$1, i] = a($i) } }
        END { for (t in n) printf "| %dx%d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", t, t, n[t],
              s[t, 2] / n[t], m[t, 2], s[t, 3] / n[t], m[t, 3], s[t, 4] / n[t], m[t, 4] }' "$TMP/err" | sort -t x -k1.3n
fi
[ -z "$SYNTH" ] || {
echo
echo "## Measured flat (Yosys + ABC onto osu018, stat -liberty, OpenSTA)"
echo
echo "| act | tile | tlut4 mm2 | tsign mm2 | tmul mm2 | tsign/tlut | tmul/tlut | tlut / tsign / tmul ns |"
echo "|---|---|---|---|---|---|---|---|"
for act in fp16 int8; do for n in $SYNTH; do
    set -- $(measure flat $act $n tlut) $(measure flat $act $n tsign) $(measure flat $act $n tmul)
    case "$1 $5 $9" in *[!0-9.\ ]*) printf '| %s | %dx%d | not measured (all three needed) | | | | | |\n' $act $n $n; continue ;; esac
    printf '| %s | %dx%d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f / %.2f / %.2f |\n' $act $n $n \
        $(echo "$1/1000000; $5/1000000; $9/1000000; $5/$1; $9/$1; $2; $6; ${10}" | bc -l)
done; done
}
echo
echo "## Modelled (calibrated osu018 cost model, no measurement)"
echo
echo "Priced as a flat synthesis (\`ternforge cost\`): a flat flow narrows an FP"
echo "multiplier whose operands are widened FP8 values (docs/cost-model.md, \"FP"
echo "multipliers of widened activations\"), which the hierarchical flow above"
echo "does not, so FP8 \`tmul\` is about half the measured hierarchical area here."
echo
echo "| act | tile | tlut4 mm2 | tsign mm2 | tmul mm2 | tsign/tlut4 | tmul/tlut4 | dp tsign/tlut4 | dp tmul/tlut4 |"
echo "|---|---|---|---|---|---|---|---|---|"
for act in fp16 bf16 fp8e4m3 int8; do for n in 8 16 32 64; do
    row=""
    for k in tlut tsign tmul; do
        cost $act $n $k; t=$(json area_um2)
        row="$row $t $(echo "$t - $(parts act_buffer out_fifo controller)" | bc -l)"
    done
    set -- $row
    printf '| %s | %dx%d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n' $act $n $n \
        $(echo "$1/1000000; $3/1000000; $5/1000000; $3/$1; $5/$1; $4/$2; $6/$2" | bc -l)
done; done
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
