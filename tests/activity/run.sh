#!/bin/sh
# run.sh - `synth --activity` end to end on the smallest LUT core
# (tests/activity/tiny.xml, 860 cells: seconds), and its hostile options.
#   1. the flow: every net but the clock gets a count, the cycles cover
#      --act-cycles, power and pJ/MAC are positive, leakage is the
#      global-activity run's (same netlist), the work files are kept;
#   2. an independent count: awk counts the toggles of res_valid and
#      act_ready in the kept VCD (their own reading of the format) and the
#      rising clock edges; the activities OpenSTA was given must agree;
#   3. the data moves the power: all-zero weights (--act-zeros 1) must give
#      less switching power than dense ones (--act-zeros 0);
#   4. the cache: the same run again is a hit with the same numbers, and
#      another seed is not; a points file's act_cycles=N reaches its run;
#   5. hostile options: bad seeds, zero fractions out of range, unknown
#      distributions, cycle counts out of range, --act-* without
#      --activity, an FPGA technology, SRAM macros: the exact error, exit
#      status 1, nothing on standard output.
# Needs build/ternforge, yosys, sta, iverilog. Prints PASS/FAIL lines and
# ends with "activity: N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TF=${TF:-$TOP/build/ternforge}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/activity-test.XXXXXX") || exit 2
# a cache of its own: the cache checks need a first run to be a miss
export TERNFORGE_CACHE="$TMP/cache"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
export TMPDIR="$TMP"
P=tests/activity/tiny.xml
PASS=0
FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }
finish() { echo "activity: $PASS passed, $FAIL failed"; [ $FAIL -eq 0 ]; exit $?; }
# row NAME COL FILE: column COL of the power table's row NAME
row() { awk -v n="$1" -v c="$2" '/^power \(mW\)/ { t = 1 } t && $1 == n { print $c; exit }' "$3"; }

for t in yosys sta iverilog; do
    command -v $t > /dev/null || { fail "tools: $t is not in PATH"; finish; }
done

# ------------------------------------------------------------ the flow
W="$TMP/work"
if "$TF" synth "$P" --activity --act-cycles 300 --act-seed 5 --no-cache --work "$W" \
    > "$TMP/run.out" 2> "$TMP/run.err"; then
    nets=$(sed -n 's/^nets: *\([0-9]*\) of \([0-9]*\) nets.*/\1 \2/p' "$TMP/run.out")
    cyc=$(sed -n 's/.*) in \([0-9]*\) cycles:.*/\1/p' "$TMP/run.out")
    tot=$(row total 2 "$TMP/run.out")
    sw=$(row switching 2 "$TMP/run.out")
    leak=$(row leakage 2 "$TMP/run.out") gleak=$(row leakage 3 "$TMP/run.out")
    pj=$(row pJ/MAC 2 "$TMP/run.out")
    if [ -n "$nets" ] && [ "${nets% *}" -gt 100 ] && [ $((${nets#* } - ${nets% *})) = 1 ] &&
        [ "${cyc:-0}" -ge 300 ] && [ -s "$W/act.vcd" ] && [ -s "$W/gate/activity.tcl" ] &&
        awk -v t="$tot" -v s="$sw" -v p="$pj" -v l="$leak" -v g="$gleak" \
            'BEGIN { exit !(t > 0 && s > 0 && p > 0 && l == g) }'; then
        pass "flow: tiny core, $cyc cycles, ${nets% *} of ${nets#* } nets counted, $tot mW ($sw switching), $pj pJ/MAC"
    else
        fail "flow: nets '$nets' cycles '$cyc' total '$tot' switching '$sw' pJ/MAC '$pj' leakage '$leak' vs '$gleak'" "$TMP/run.out"
    fi
else
    cat "$TMP/run.err" "$TMP/run.out" > "$TMP/run.all"
    fail "flow: synth --activity failed" "$TMP/run.all"
    finish
fi

# ------------------------------------------------ an independent count
# awk reads the VCD its own way: the identifier of each name in scope
# tf_tb.dut, the last value per time stamp, toggles after the reset falls.
count() { # net name: "toggles cycles"
    awk -v want="$1" '
        $1 == "$scope" { depth++; path = path "." $3 }
        $1 == "$upscope" { depth--; sub(/\.[^.]*$/, "", path) }
        $1 == "$var" && path == ".tf_tb.dut" {
            if ($5 == want) id = $4; if ($5 == "clk") cid = $4; if ($5 == "rst") rid = $4 }
        /^#/ { flush(); next }
        /^[01xz]/ && !/^\$/ { v[substr($1, 2)] = substr($1, 1, 1) }
        function flush(   k) {
            if (open && (id in v) && (id in last) && v[id] != last[id] && v[id] ~ /[01]/ && last[id] ~ /[01]/) n++
            if (open && (cid in v) && last[cid] == "0" && v[cid] == "1") c++
            if (!open && (rid in v) && v[rid] == "0") open = 1
            for (k in v) last[k] = v[k]
            delete v
        }
        END { flush(); print n + 0, c + 0 }' "$W/act.vcd"
}
for net in res_valid act_ready; do
    set -- $(count $net)
    given=$(sed -n "s/^ *{$net} {\([^ ]*\) .*/\1/p" "$W/gate/activity.tcl")
    if [ "${2:-0}" -gt 0 ] && [ -n "$given" ] &&
        awk -v t="$1" -v c="$2" -v g="$given" 'BEGIN { a = t / c; exit !(a - g < 1e-5 && g - a < 1e-5) }'; then
        pass "count: $net toggles $1 times in $2 cycles (awk), OpenSTA got $given"
    else
        fail "count: $net: awk counts $1 toggles in $2 cycles, OpenSTA got '$given'"
    fi
done

# ------------------------------------------ OpenSTA takes the counts
# Switching power is linear in the nets' activities: with the counts of
# the internal nets (_N_) of activity.tcl scaled by k and the ports' kept,
# sw(k) = sw(ports) + k sw(internal). k = 0, 1, 2 must be equally spaced
# and the internal share not small. Had OpenSTA ignored the nets' counts,
# it would propagate the ports' activities through the cells' functions
# instead, and the three figures would be equal.
scaled() { # k: switching mW
    awk -v k="$1" '/^    [{]_.*[}] [{][^ ]* [^ ]*[}]$/ { sub(/^ *[{]/, ""); split($0, f, /[}] [{]/);
           split(f[2], a, " "); printf "    {%s} {%.6g %s\n", f[1], a[1] * k, a[2]; next } { print }' \
        "$W/gate/activity.tcl" > "$W/gate/scaled.tcl"
    (cd "$W/gate" && sta -no_init -exit scaled.tcl > scaled.log 2>&1)
    awk '$1 == "Total" { printf "%.9g", $3 * 1e3 }' "$W/gate/scaled.log"
}
sk0=$(scaled 0) sk1=$(scaled 1) sk2=$(scaled 2)
if [ -n "$sk0" ] && awk -v a="$sk0" -v b="$sk1" -v c="$sk2" -v s="$sw" \
    'BEGIN { d1 = b - a; d2 = c - b; r = d2 / d1; exit !(d1 > 0.1 * b && r > 0.98 && r < 1.02 && (b - s < 1e-3 && s - b < 1e-3)) }'; then
    pass "sta: switching power $sk0, $sk1, $sk2 mW with the internal nets' counts x 0, 1, 2: OpenSTA uses them"
else
    fail "sta: switching power '$sk0', '$sk1', '$sk2' mW with the counts x 0, 1, 2 (flow: '$sw')" "$W/gate/scaled.log"
fi

# ---------------------------------------------- the data moves the power
"$TF" synth "$P" --activity --act-cycles 300 --act-zeros 0 > "$TMP/z0.out" 2>&1
"$TF" synth "$P" --activity --act-cycles 300 --act-zeros 1 > "$TMP/z1.out" 2>&1
s0=$(row switching 2 "$TMP/z0.out") s1=$(row switching 2 "$TMP/z1.out")
if [ -n "$s0" ] && [ -n "$s1" ] && awk -v a="$s0" -v b="$s1" 'BEGIN { exit !(b < a) }'; then
    pass "sparsity: switching power $s1 mW with all-zero weights < $s0 mW with dense ones"
else
    cat "$TMP/z0.out" "$TMP/z1.out" > "$TMP/z.all"
    fail "sparsity: all-zero weights '$s1' mW, dense '$s0' mW" "$TMP/z.all"
fi

# ------------------------------------------------------------ the cache
"$TF" synth "$P" --activity --act-cycles 300 --act-seed 5 > "$TMP/hit.out" 2>&1
"$TF" synth "$P" --activity --act-cycles 300 --act-seed 6 > "$TMP/miss.out" 2>&1
if grep -q '^switching activity .*(cached result)$' "$TMP/hit.out" &&
    [ "$(sed -n '/^power (mW)/,$p' "$TMP/hit.out")" = "$(sed -n '/^power (mW)/,$p' "$TMP/run.out")" ] &&
    grep -q '^switching activity' "$TMP/miss.out" &&
    ! grep -q '^switching activity .*(cached result)$' "$TMP/miss.out"; then
    pass "cache: the same stimulus is a hit with the same figures; another seed is simulated"
else
    cat "$TMP/hit.out" "$TMP/miss.out" > "$TMP/cache.all"
    fail "cache: expected a hit for seed 5 (same figures) and a miss for seed 6" "$TMP/cache.all"
fi

# ------------------------------------------------- cycles per point
# A points file's act_cycles=N (validate/calibrate --activity): that point
# simulates N cycles, the others --act-cycles. validate's activity-driven
# power of each point must be synth --activity's at the same cycles (100
# and 300 give different figures, so a point left at 300 shows).
"$TF" synth "$P" --activity --act-cycles 100 > "$TMP/c100.out" 2>&1
"$TF" synth "$P" --activity --act-cycles 300 > "$TMP/c300.out" 2>&1
t100=$(row total 2 "$TMP/c100.out") t300=$(row total 2 "$TMP/c300.out")
tiny="kind=tlut act_type=int act_width=4 mu=2 luts=1 keys=2 max_rows=8 max_cols=8 out_depth=2"
printf 'short: %s act_cycles=100\nlong: %s\n' "$tiny" "$tiny" > "$TMP/pp.points"
"$TF" validate --tech osu018 --points "$TMP/pp.points" --activity --act-cycles 300 \
    > "$TMP/pp.out" 2> "$TMP/pp.err"
rc=$?
v100=$(awk '$1 == "short" { print $3 }' "$TMP/pp.err") v300=$(awk '$1 == "long" { print $3 }' "$TMP/pp.err")
if [ $rc = 0 ] && [ -n "$t100" ] && [ "$t100" != "$t300" ] && [ "$v100" = "$t100" ] &&
    [ "$v300" = "$t300" ] && grep -q '^short .*(act_cycles=100)$' "$TMP/pp.err"; then
    pass "act_cycles: validate simulates a point at its own 100 cycles ($v100 mW) and the other at 300 ($v300 mW)"
else
    cat "$TMP/pp.err" > "$TMP/pp.all"
    fail "act_cycles: validate gave '$v100' and '$v300' mW, synth --activity '$t100' at 100 and '$t300' at 300 cycles (exit $rc)" "$TMP/pp.all"
fi

# ----------------------------------------------------- hostile options
bad() { # expected stderr line, then the arguments
    want=$1
    shift
    "$TF" synth "$P" "$@" > "$TMP/bad.out" 2> "$TMP/bad.err"
    rc=$?
    if [ $rc = 1 ] && [ ! -s "$TMP/bad.out" ] && [ "$(head -1 "$TMP/bad.err")" = "$want" ]; then
        pass "hostile: $*"
    else
        echo "exit $rc; expected: $want" > "$TMP/bad.all"
        cat "$TMP/bad.err" "$TMP/bad.out" >> "$TMP/bad.all"
        fail "hostile: $*" "$TMP/bad.all"
    fi
}
seed_err() { echo "ternforge: error: option '--act-seed': '$1' is not a non-negative integer"; }
for s in -1 abc 1e3 18446744073709551616 ""; do
    bad "$(seed_err "$s")" --activity --act-seed "$s"
done
for z in 1.5 -0.1 nan inf 1/3 ""; do
    bad "ternforge: error: option '--act-zeros': '$z' is not a fraction between 0 and 1" \
        --activity --act-zeros "$z"
done
bad "ternforge: error: option '--act-dist': 'normal' is not gauss or uniform" \
    --activity --act-dist normal
for c in 5 1000001 12k; do
    bad "ternforge: error: option '--act-cycles': '$c' is not an integer in 10..1000000" \
        --activity --act-cycles "$c"
done
bad "ternforge: error: the --act-* options set the stimulus of --activity, which was not given" \
    --act-zeros 0.5
bad "ternforge: error: --activity needs an asic technology (a Liberty library and OpenSTA)" \
    --activity --tech xc7
bad "ternforge: error: --activity cannot simulate SRAM macros (mem_style=sram keeps them black boxes)" \
    --activity --set mem_style=sram --set max_cols=120
finish
