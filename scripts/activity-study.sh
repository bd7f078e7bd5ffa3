#!/bin/sh
# scripts/activity-study.sh - issue 17 part 3's measurements
# (reports/studies/activity/, docs/studies.md "Power from switching activity"):
#   study:    power of a LUT core and the sign-flip baseline (INT8 and FP16,
#             small tiles: examples/int8_small, tsign_small, fp16_small,
#             fp16_tsign) at 0, 1/3 and 2/3 zero weights with Gaussian
#             activations, and at 1/3 with uniform ones -> study.csv, study.md
#   validate: activity-driven vs global-activity power on a subset of the
#             held-out points (activity.points), the energy model refitted
#             on a subset of the calibration points (activity-calib.points)
#             against activity-driven power two ways: every energy unit
#             cost anew (calibrate --activity -> osu018-activity-full.tech,
#             validate-full.txt) and the shipped ones times a flip-flop and
#             a logic factor (calibrate --energy-scale -> osu018-activity.tech,
#             validate-after.txt); validate-before.txt: the shipped model
# Every run is seeded (--act-seed 1) and cached: a rerun takes seconds.
# Slow the first time (tens of minutes on 2 cores: gate-level simulation).
# WRAP runs each heavy command (e.g. WRAP="flock /work/notes/heavy.lock nice").
# CORES: the study's cores (default: all four).
# Usage: sh scripts/activity-study.sh [study|validate]...  (default: both)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TF="$TOP/build/ternforge"
OUT="$TOP/reports/studies/activity"
WRAP=${WRAP:-}
CYCLES=${CYCLES:-1000}
# the FP16 pair of the study (about 1 mm2 each, 3.3x int8_small): shorter runs
CYCLES_FP=${CYCLES_FP:-$CYCLES}
mkdir -p "$OUT"
cd "$TOP"

RUNS="0:gauss 0.3333333333333333:gauss 0.6666666666666666:gauss 0.3333333333333333:uniform"
one() { # core zeros dist cycles: the synth --activity output
    "$TF" synth "examples/$1.xml" --activity --act-seed 1 --act-zeros "$2" --act-dist "$3" \
        --act-cycles "$4"
}

study() {
    csv="$OUT/study.csv"
    echo "core,kind,act,zeros,dist,cycles,macs,mean_activity,internal_mw,switching_mw,leakage_mw,total_mw,pj_per_mac,global_mw,model_mw,model_pj_per_mac" > "$csv.tmp"
    for core in ${CORES:-int8_small tsign_small fp16_small fp16_tsign}; do
        c=$CYCLES
        case $core in fp16_*) c=$CYCLES_FP ;; esac
        # the four runs of a core under one WRAP; then read from the cache
        $WRAP sh -c 'for r in '"$RUNS"'; do "$0" synth "examples/$1.xml" --activity \
            --act-seed 1 --act-zeros "${r%:*}" --act-dist "${r#*:}" --act-cycles "$2" \
            > /dev/null || exit 1; done' "$TF" "$core" "$c"
        for r in $RUNS; do
            one "$core" "${r%:*}" "${r#*:}" "$c" > "$OUT/.run.log"
            awk -v core="$core" -v z="${r%:*}" -v d="${r#*:}" '
                /^point:/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); p[kv[1]] = kv[2] } }
                /MACs\) in/ { gsub(/[()]/, ""); macs = $1; cycles = $4 }
                /mean net activity/ { act = $NF; sub(/ toggles.*/, "", act) }
                /mean net activity/ { for (i = 1; i <= NF; i++) if ($i == "activity") act = $(i + 1) }
                /^power \(mW\)/ { t = 1 }
                t && $1 == "internal" { pi = $2 }
                t && $1 == "switching" { ps = $2 }
                t && $1 == "leakage" { pl = $2 }
                t && $1 == "total" { pt = $2; pg = $3; pm = $4 }
                t && $1 == "pJ/MAC" { pj = $2; mj = $3 }
                END { printf "%s,%s,%s,%.4f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", core, p["kind"],
                      p["act_type"] == "int" ? "int" p["act_width"] : p["act_type"], z, d, cycles,
                      macs, act, pi, ps, pl, pt, pj, pg, pm, mj }' "$OUT/.run.log" >> "$csv.tmp"
        done
    done
    rm -f "$OUT/.run.log"
    mv "$csv.tmp" "$csv"
    awk -F, 'NR == 1 { next }
        { k = $1; if (!(k in seen)) { order[++n] = k; seen[k] = 1 }
          if ($5 == "gauss") { pw[k, $4] = $12; pj[k, $4] = $13; sw[k, $4] = $10 }
          else { pu[k] = $12; ju[k] = $13 }
          g[k] = $14; m[k] = $15; kind[k] = $2; act[k] = $3 }
        END {
          print "Total power in mW (pJ/MAC) from switching activity, osu018 at 10 ns, seed 1; switching power (mW) in brackets."
          print ""
          print "| core | kind | act | zeros 0 | 1/3 | 2/3 | 2/3 vs 0 | uniform acts, 1/3 | global 0.1 | model |"
          print "|---|---|---|---|---|---|---|---|---|---|"
          for (i = 1; i <= n; i++) { k = order[i]
            printf "| %s | %s | %s | %.2f (%.2f) [%.2f] | %.2f (%.2f) [%.2f] | %.2f (%.2f) [%.2f] | %+.1f %% | %.2f (%.2f) | %.2f | %.2f |\n",
              k, kind[k], act[k], pw[k, "0.0000"], pj[k, "0.0000"], sw[k, "0.0000"],
              pw[k, "0.3333"], pj[k, "0.3333"], sw[k, "0.3333"], pw[k, "0.6667"], pj[k, "0.6667"],
              sw[k, "0.6667"], 100 * (pw[k, "0.6667"] / pw[k, "0.0000"] - 1), pu[k], ju[k], g[k], m[k] } }' \
        "$csv" > "$OUT/study.md"
    cat "$OUT/study.md"
}

# Every point of the lists, GROUP at a time under one WRAP (one heavy job
# at a time, each short), so validate and calibrate below only read the
# cache. A point whose run takes longer than LIMIT seconds is dropped
# (zero-delay gate-level simulation of a deep LUT build can crawl: a mu=6
# core of validate.points simulated about one cycle per minute): it goes
# to skipped.txt and out of the lists that validate and calibrate read.
# A point's act_cycles=N (the points file) runs it at N cycles instead of
# CYCLES, as validate and calibrate then do.
GROUP=${GROUP:-2}
LIMIT=${LIMIT:-420}
warm() { # points files
    printf '<?xml version="1.0"?>\n<ternforge version="1"><core/></ternforge>\n' > "$OUT/.defaults.xml"
    grep -hv '^#' "$@" | grep ':' | awk -v tf="$TF" -v d="$OUT/.defaults.xml" -v c="$CYCLES" \
        -v lim="$LIMIT" -v sk="$OUT/skipped.txt" '{
        printf "echo \"  %s\" >&2; timeout %s \"%s\" synth \"%s\"", $1, lim, tf, d
        n = c
        for (i = 2; i <= NF; i++)
            if ($i ~ /^act_cycles=/) n = substr($i, 12); else printf " --set %s", $i
        printf " --activity --act-seed 1 --act-cycles %s > /dev/null || echo %s >> \"%s\"\n", n, $1, sk }' > "$OUT/.jobs"
    split -l "$GROUP" "$OUT/.jobs" "$OUT/.group."
    for g in "$OUT"/.group.*; do
        $WRAP sh -e "$g"
    done
    rm -f "$OUT/.defaults.xml" "$OUT/.jobs" "$OUT"/.group.*
}

# A points file less the skipped points.
kept() { # points-file out
    if [ -s "$OUT/skipped.txt" ]; then
        awk 'FNR == NR { skip[$1] = 1; next } !($1 in skip)' "$OUT/skipped.txt" "$1" > "$2"
    else
        cp "$1" "$2"
    fi
}

# $OUT/NAME.tech: osu018.tech with the energy lines of $OUT/.fit.tech
energy_lines() { # NAME
    { grep -v '^unit energy\|^calibrated' model/tech/osu018.tech | sed '/^# energy/q'
      grep '^unit energy' "$OUT/.fit.tech"
      sed -n '/^# critical-path model/,$p' model/tech/osu018.tech; } |
        sed "s/^tech osu018\$/tech $1/" > "$OUT/$1.tech"
    rm -f "$OUT/.fit.tech"
}

validate() {
    rm -f "$OUT/skipped.txt"
    warm "$OUT/activity.points" "$OUT/activity-calib.points"
    kept "$OUT/activity.points" "$OUT/.held.points"
    kept "$OUT/activity-calib.points" "$OUT/.calib.points"
    act="--activity --act-cycles $CYCLES"
    # 1. held-out subset: activity-driven vs global power, model as calibrated today
    $WRAP "$TF" validate --tech osu018 --points "$OUT/.held.points" $act \
        > "$OUT/validate-before.txt" 2> "$OUT/validate-before.err"
    # 2. every energy unit cost refitted on the calibration subset against
    # activity-driven power; only the energy lines are kept: the area and
    # delay fits stay those of the full calibration set
    $WRAP "$TF" calibrate --tech osu018 --points "$OUT/.calib.points" $act \
        -o "$OUT/.fit.tech" > "$OUT/calibrate-full.txt" 2> "$OUT/calibrate-full.err"
    energy_lines osu018-activity-full
    $WRAP "$TF" validate --tech "$OUT/osu018-activity-full.tech" --points "$OUT/.held.points" \
        $act > "$OUT/validate-full.txt" 2> "$OUT/validate-full.err"
    # 3. the shipped energy unit costs times two fitted factors, flip-flops
    # and logic (calibrate --energy-scale, docs/cost-model.md)
    $WRAP "$TF" calibrate --tech osu018 --points "$OUT/.calib.points" $act --energy-scale \
        -o "$OUT/.fit.tech" > "$OUT/calibrate.txt" 2> "$OUT/calibrate.err"
    energy_lines osu018-activity
    $WRAP "$TF" validate --tech "$OUT/osu018-activity.tech" --points "$OUT/.held.points" \
        $act > "$OUT/validate-after.txt" 2> "$OUT/validate-after.err"
    rm -f "$OUT/.held.points" "$OUT/.calib.points"
    grep 'energy' "$OUT/validate-before.txt" "$OUT/validate-full.txt" "$OUT/validate-after.txt"
}

for what in ${*:-study validate}; do
    case $what in
    study) study ;;
    validate) validate ;;
    *) echo "activity-study.sh: unknown part '$what' (study, validate)" >&2; exit 2 ;;
    esac
done
