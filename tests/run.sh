#!/bin/sh
# run.sh - the ternforge test suite. Ends with "N passed, N failed".
#   sh tests/run.sh                  everything (make check)
#   sh tests/run.sh --fast           no simulators or synthesis (make test)
#   sh tests/run.sh --update-golden  regenerate tests/golden/ and bad/*.err
# Environment: TF (tool binary, default build/ternforge), SEED (random tests).
set -u
cd "$(dirname "$0")/.." || exit 2
TOP=$(pwd)
TF=${TF:-$TOP/build/ternforge}
SEED=${SEED:-20261123}
FAST=0
UPDATE=0
for a in "$@"; do
    case $a in
    --fast) FAST=1 ;;
    --update-golden) UPDATE=1 ;;
    *) echo "run.sh: unknown option $a" >&2; exit 2 ;;
    esac
done
export TERNFORGE_CACHE=${TERNFORGE_CACHE:-$TOP/build/sim-cache}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ternforge-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
PASS=0
FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40; }
section() { echo "== $1"; }

# ---------------------------------------------------------------- unit tests
section "unit tests (seed $SEED)"
for t in test_dp test_model test_matrix test_inventory test_fixq test_fit test_fpmodel test_softfloat test_sweep test_cosim; do
    if "$TOP/build/tests/unit/$t" "$SEED" > "$TMP/$t.log" 2> "$TMP/$t.err" &&
        grep -q "^$t: ok$" "$TMP/$t.log"; then
        pass "unit/$t"
    else
        fail "unit/$t" "$TMP/$t.log"
    fi
done

# -------------------------------------------------------- bad parameter files
section "bad parameter files"
bad_xml() { # $1 = tool binary; checks exact stderr, exit 1, no output dir
    tool=$1
    for f in tests/bad/*.xml; do
        n=$(basename "$f" .xml)
        out="$TMP/badout-$n"
        (cd tests/bad && "$tool" gen "$n.xml" -o "$out" > /dev/null 2> "$TMP/$n.err")
        rc=$?
        if [ $UPDATE = 1 ] && [ "$tool" = "$TF" ]; then cp "$TMP/$n.err" "tests/bad/$n.err"; fi
        if [ $rc -ne 1 ]; then
            fail "bad/$n: exit status $rc, expected 1" "$TMP/$n.err"
        elif [ -e "$out" ]; then
            fail "bad/$n: output directory was created"
        elif ! diff -u "tests/bad/$n.err" "$TMP/$n.err" > "$TMP/$n.diff"; then
            fail "bad/$n: error text differs" "$TMP/$n.diff"
        else
            pass "bad/$n"
        fi
    done
}
bad_xml "$TF"

section "bad run/pack inputs"
bad_run() {
    tool=$1
    grep -v '^#' tests/bad/run/cases.txt | while IFS='|' read -r n args; do
        n=$(echo $n)
        [ -z "$n" ] && continue
        out="$TMP/out-$n"
        a=$(echo $args | sed "s|OUT|$out|")
        (cd tests/bad/run && $tool $a > /dev/null 2> "$TMP/$n.err")
        rc=$?
        if [ $UPDATE = 1 ] && [ "$tool" = "$TF" ]; then cp "$TMP/$n.err" "tests/bad/run/$n.err"; fi
        if [ $rc -ne 1 ]; then
            echo "FAIL bad/run/$n: exit status $rc, expected 1"
        elif [ -e "$out" ]; then
            echo "FAIL bad/run/$n: output file was created"
        elif ! diff -u "tests/bad/run/$n.err" "$TMP/$n.err" > "$TMP/$n.diff"; then
            echo "FAIL bad/run/$n: error text differs"; sed 's/^/    /' "$TMP/$n.diff"
        else
            echo "PASS bad/run/$n"
        fi
    done
}
count_lines() { # reads PASS/FAIL lines from a file into the counters
    while read -r status rest; do
        case $status in
        PASS) pass "$rest" ;;
        FAIL) fail "$rest" ;;
        *) echo "$status $rest" ;;
        esac
    done < "$1"
}
bad_run "$TF" > "$TMP/badrun.log"; count_lines "$TMP/badrun.log"

# -------------------------------------------------- golden RTL, determinism
section "golden RTL"
for d in tests/golden/*/; do
    n=$(basename "$d")
    "$TF" gen "$d/params.xml" -o "$TMP/golden-$n" > /dev/null 2>&1 || { fail "golden/$n: gen failed"; continue; }
    if [ $UPDATE = 1 ]; then
        find "$d" -type f ! -name params.xml -delete
        cp "$TMP/golden-$n"/* "$d"
    fi
    mkdir -p "$TMP/gref-$n"
    cp "$d"/* "$TMP/gref-$n/"
    rm -f "$TMP/gref-$n/params.xml"
    if diff -r "$TMP/gref-$n" "$TMP/golden-$n" > "$TMP/golden-$n.diff"; then
        pass "golden/$n"
    else
        fail "golden/$n: generated RTL differs (tests/run.sh --update-golden if intended)" "$TMP/golden-$n.diff"
    fi
done
"$TF" gen examples/int8_small.xml -o "$TMP/det1" > /dev/null &&
    "$TF" gen examples/int8_small.xml -o "$TMP/det2" > /dev/null &&
    diff -r "$TMP/det1" "$TMP/det2" > /dev/null && pass "gen is deterministic" || fail "gen is deterministic"

# ------------------------------------------------------------ CLI, C model
section "command line"
"$TF" --help > "$TMP/help" && grep -q "^  sim" "$TMP/help" && pass "--help lists commands" || fail "--help"
for c in gen pack run sim params inventory; do
    "$TF" help $c > "$TMP/h" && grep -q "^usage: ternforge $c" "$TMP/h" && pass "help $c" || fail "help $c"
done
"$TF" params > "$TMP/params" && for p in kind mu luts keys act_type act_width acc_width; do
    grep -q "^$p " "$TMP/params" || echo missing $p; done > "$TMP/pm" && [ ! -s "$TMP/pm" ] &&
    pass "params lists every parameter" || fail "params" "$TMP/pm"
"$TF" run examples/int8_small.xml --weights examples/data/W_10x9.txt --acts examples/data/X_9x2.txt \
    -o "$TMP/Y.txt" && diff examples/data/Y_10x2.txt "$TMP/Y.txt" > "$TMP/y.diff" &&
    pass "run --engine model matches the hand-checked example" || fail "run example" "$TMP/y.diff"
"$TF" pack examples/int8_small.xml --weights examples/data/W_10x9.txt -o "$TMP/W.hex" &&
    diff examples/data/W_10x9.hex "$TMP/W.hex" > "$TMP/w.diff" &&
    pass "pack matches the documented example" || fail "pack example" "$TMP/w.diff"
"$TF" inventory examples/int8_large.xml > /dev/null 2> "$TMP/inv.err" &&
    pass "inventory of the large example" || fail "inventory" "$TMP/inv.err"

section "matrix files: .npy and numpy.savetxt files written by NumPy (tests/matrix/make.py), standard input"
mrun() { # name, expected Y file, then run's arguments (Y goes to a file of the same extension)
    n=$1; e=$2; shift 2
    y="$TMP/m-$n.${e##*.}"
    if "$TF" run "$@" -o "$y" 2> "$TMP/m-$n.err" && cmp -s "$e" "$y"; then
        pass "matrix/$n"
    else
        [ -f "$y" ] && cmp "$e" "$y" >> "$TMP/m-$n.err" 2>&1
        fail "matrix/$n" "$TMP/m-$n.err"
    fi
}
M=tests/matrix I8=examples/int8_small.xml F16=examples/fp16_small.xml
mrun npy examples/data/Y_10x2.txt $I8 --weights $M/W_10x9.npy --acts $M/X_9x2.npy
mrun npy_fortran examples/data/Y_10x2.txt $I8 --weights $M/W_10x9_fortran.npy --acts $M/X_9x2.npy
mrun savetxt examples/data/Y_10x2.txt $I8 --weights examples/data/W_10x9.txt --acts $M/X_9x2_savetxt.txt
mrun y_npy $M/Y_10x2.npy $I8 --weights examples/data/W_10x9.txt --acts examples/data/X_9x2.txt
mrun column_1d $M/Y_10x1.npy $I8 --weights $M/W_10x9.npy --acts $M/X_9_1d.npy
mrun column_savetxt $M/Y_10x1.npy $I8 --weights $M/W_10x9.npy --acts $M/X_9_savetxt.txt
mrun fp_f64 $M/Yfp_7x3.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f64.npy
mrun fp_f32 $M/Yfp_7x3_f32.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f32.npy
mrun fp_f16 $M/Yfp_7x3_f16.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_f16.npy
mrun fp_u16 $M/Yfp_7x3_f16.txt $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3_u16.npy
mrun fp_y_npy $M/Yfp_7x3.npy $F16 --weights $M/Wfp_7x6.txt --acts $M/Xfp_6x3.txt
mrun stdin_txt examples/data/Y_10x2.txt $I8 --weights - --acts examples/data/X_9x2.txt < examples/data/W_10x9.txt
mrun stdin_npy examples/data/Y_10x2.txt $I8 --weights $M/W_10x9.npy --acts - < $M/X_9x2.npy
# Nothing is sized from a file's claim: under a 200 MB address-space limit, a
# 13-byte text file and a 138-byte .npy that claim 2^28 values fail with their
# own located messages, not "out of memory".
for f in txt_huge_claim.txt npy_huge_claim.npy; do
    (ulimit -v 200000 && cd tests/bad/run && "$TF" run ../../../$I8 --weights $f --acts X.txt) \
        > /dev/null 2> "$TMP/lim-$f.err"
    diff "tests/bad/run/${f%.*}.err" "$TMP/lim-$f.err" > "$TMP/lim-$f.diff" &&
        pass "matrix/memory limit: $f" || fail "matrix/memory limit: $f" "$TMP/lim-$f.diff"
done
echo "ternforge: error: standard input ('-') can give only one matrix" > "$TMP/stdin2.exp"
"$TF" run $I8 --weights - --acts - -o "$TMP/stdin2.out" < examples/data/W_10x9.txt 2> "$TMP/stdin2.err"
[ $? = 1 ] && [ ! -e "$TMP/stdin2.out" ] && diff "$TMP/stdin2.exp" "$TMP/stdin2.err" > "$TMP/stdin2.diff" &&
    pass "matrix/stdin_twice" || fail "matrix/stdin_twice" "$TMP/stdin2.diff"

section "quantize (hand-checked, tests/quantize/README.md)"
q() { # name, expected file, arguments...
    n=$1; e=$2; shift 2
    if "$TF" quantize "$@" > "$TMP/q-$n.out" 2>&1 && diff -u "tests/quantize/$e" "$TMP/q-$n.out" > "$TMP/q-$n.diff"; then
        pass "quantize/$n"
    else
        fail "quantize/$n" "$TMP/q-$n.diff"
    fi
}
q trn_wrap trn_wrap.expected --format 'ap_fixed<8,2>' tests/quantize/reals.txt
q rnd_sat rnd_sat.expected --format 'ap_fixed<8,2>' --quant rnd --overflow sat tests/quantize/reals.txt
q conv_sat conv_sat.expected --format 'ap_fixed<8,2>' --quant rnd_conv --overflow sat tests/quantize/reals.txt
q reverse reverse.expected --format 'ap_fixed<8,2>' --reverse tests/quantize/trn_wrap.expected
q operand_x trn_wrap.expected examples/fixp_small.xml --operand x --set x_int=2 tests/quantize/reals.txt
q fp16 fp16.expected --format fp16 tests/quantize/fp16_reals.txt

# ------------- option tables (cli/opt.h): help, README.md, docs, "--"
section "option tables: help, README.md and docs/ agree; '--' ends options"
sh tests/cli/docs.sh "$TF" > "$TMP/clidocs.log" 2>&1; count_lines "$TMP/clidocs.log"
sh tests/cli/args.sh "$TF" > "$TMP/cliargs.log" 2>&1; count_lines "$TMP/cliargs.log"

# ===================== hardening: hostile inputs and outputs, fuzzing =====================
# (docs/security.md; self-contained: tests/hostile/run.sh prints PASS/FAIL
# lines.) make test: the hostile cases on the normal build. make check: also
# on the ASan/UBSan build, and each libFuzzer target (make fuzz) for
# FUZZ_SECONDS (default 20) on its seed corpus.
section "hostile inputs and outputs (tests/hostile)"
sh tests/hostile/run.sh "$TF" > "$TMP/hostile.log" 2>&1; count_lines "$TMP/hostile.log"
if [ $FAST = 0 ]; then
    if make -s BUILD=build-san SANITIZE=address,undefined build-san/ternforge \
            build-san/tests/unit/test_hardening > "$TMP/hostile-san.log" 2>&1; then
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            sh tests/hostile/run.sh "$TOP/build-san/ternforge" > "$TMP/hostile-san2.log" 2>&1
        sed 's/^\(PASS\|FAIL\) /\1 sanitized /' "$TMP/hostile-san2.log" > "$TMP/hostile-san3.log"
        count_lines "$TMP/hostile-san3.log"
    else
        fail "sanitizer build for tests/hostile" "$TMP/hostile-san.log"
    fi
    section "fuzzing: each tests/fuzz target for ${FUZZ_SECONDS:-20} s (make fuzz)"
    if make -s fuzz > "$TMP/fuzz-build.log" 2>&1; then
        for f in build-fuzz/fuzz_*; do
            case $f in *.d) continue ;; esac
            n=${f#build-fuzz/fuzz_}
            dict=tests/fuzz/xml.dict; [ -f "tests/fuzz/$n.dict" ] && dict=tests/fuzz/$n.dict
            mkdir -p "$TMP/fuzz-$n"
            if (cd "$TMP" && TMPDIR="$TMP" "$TOP/$f" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=20 \
                    -rss_limit_mb=2048 -dict="$TOP/$dict" -artifact_prefix="$TMP/fuzz-$n-" \
                    "$TMP/fuzz-$n" "$TOP/tests/fuzz/corpus/$n") > "$TMP/fuzz-$n.log" 2>&1; then
                pass "fuzz/$n: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$TMP/fuzz-$n.log")"
            else
                fail "fuzz/$n: a finding (inputs: $TMP/fuzz-$n-*)" "$TMP/fuzz-$n.log"
                tail -40 "$TMP/fuzz-$n.log"
            fi
        done
    else
        fail "make fuzz (clang with libFuzzer: scripts/setup installs it)" "$TMP/fuzz-build.log"
    fi
fi
# ===================== end of hardening ===================================================

if [ $FAST = 1 ]; then
    echo "$PASS passed, $FAIL failed"
    [ $FAIL -eq 0 ]; exit $?
fi

# ------------------------------------------------------------------- lint
section "lint: verilator --lint-only -Wall and iverilog on every emitted file"
lint_point() { # name, base, then --set args
    n=$1; base=$2; shift 2
    d="$TMP/lint-$n"
    "$TF" gen "examples/$base.xml" "$@" -o "$d" > /dev/null 2> "$TMP/lint-$n.gen" || { fail "lint/$n: gen" "$TMP/lint-$n.gen"; return; }
    if (cd "$d" && verilator --lint-only -Wall --top-module tf_top -F files.f) > "$TMP/lint-$n.log" 2>&1; then
        pass "lint/$n: verilator"
    else
        fail "lint/$n: verilator" "$TMP/lint-$n.log"
    fi
    if (cd "$d" && iverilog -g2005 -Wall -o /dev/null -s tf_top -c files.f) > "$TMP/ivl-$n.log" 2>&1 &&
        ! grep -q . "$TMP/ivl-$n.log"; then
        pass "lint/$n: iverilog"
    else
        fail "lint/$n: iverilog" "$TMP/ivl-$n.log"
    fi
}
for f in rtl-templates/*.v; do
    verilator --lint-only -Wall "$f" > "$TMP/t.log" 2>&1 && pass "lint/template $(basename $f)" || fail "lint/template $f" "$TMP/t.log"
done
grep -v '^#' tests/points.txt | while IFS='|' read -r n base sets sims; do
    n=$(echo $n); [ -z "$n" ] && continue
    args=""; for s in $sets; do args="$args --set $s"; done
    echo "$n $(echo $base)$args"
done > "$TMP/pointargs"
while read -r n base args; do lint_point "$n" "$base" $args; done < "$TMP/pointargs"
lint_point mu7 int8_small --set mu=7 --set luts=1 --set keys=2 --set max_cols=20
lint_point mu8 int8_small --set mu=8 --set luts=1 --set keys=1 --set max_cols=10 --set act_width=4
lint_point big int8_small --set mu=4 --set luts=8 --set keys=16 --set tree_stages=4 --set acc_width=12

# ------------------------------------------------------- co-simulation
section "co-simulation against the C model"
grep -v '^#' tests/points.txt | while IFS='|' read -r n base sets sims; do
    n=$(echo $n); [ -z "$n" ] && continue
    args=""; for s in $sets; do args="$args --set $s"; done
    echo "$n $(echo $base) $(echo $sims) $args"
done > "$TMP/cosim"
i=0
while read -r n base sims args; do
    i=$((i + 1))
    stall=$(( (i % 3) * 20 ))  # 0, 20, 40 % random stalls, alternating
    for s in $(echo "$sims" | sed 's/./& /g'); do
        sim=verilator; [ "$s" = i ] && sim=iverilog
        if "$TF" sim "examples/$base.xml" $args --simulator $sim --seed "$SEED" --stall $stall \
            --vectors 12 > "$TMP/sim-$n-$s.log" 2>&1 && grep -q "^[0-9]* passed, 0 failed$" "$TMP/sim-$n-$s.log"; then
            pass "cosim/$n ($sim, stall $stall%): $(tail -1 "$TMP/sim-$n-$s.log")"
        else
            fail "cosim/$n ($sim, stall $stall%)" "$TMP/sim-$n-$s.log"
        fi
    done
done < "$TMP/cosim"
for ex in examples/int8_small.xml examples/int8_large.xml examples/tsign_small.xml examples/tmul_small.xml examples/fixp_small.xml; do
    "$TF" sim "$ex" --vectors 4 --seed "$SEED" > "$TMP/ex.log" 2>&1 && grep -q " passed, 0 failed$" "$TMP/ex.log" &&
        pass "cosim/$ex: $(tail -1 "$TMP/ex.log")" || fail "cosim/$ex" "$TMP/ex.log"
done
"$TF" run examples/int8_small.xml --engine rtl --weights examples/data/W_10x9.txt \
    --acts examples/data/X_9x2.txt -o "$TMP/Yrtl.txt" 2> "$TMP/rtl.err" &&
    diff examples/data/Y_10x2.txt "$TMP/Yrtl.txt" > "$TMP/yr.diff" &&
    pass "run --engine rtl gives the model's bits" || fail "run --engine rtl" "$TMP/rtl.err"

section "fixed-point converter RTL vs the C library, exhaustive"
if sh tests/fxconv/run.sh > "$TMP/fxconv.log" 2>&1 && grep -q "^fxconv: .* 0 mismatches$" "$TMP/fxconv.log"; then
    pass "$(tail -1 "$TMP/fxconv.log")"
else
    fail "tests/fxconv/run.sh" "$TMP/fxconv.log"
fi

section "floating-point RTL units vs the host's IEEE arithmetic"
if sh tests/fpunits/run.sh > "$TMP/fpunits.log" 2>&1 && grep -q "^fpunits: .* 0 mismatches$" "$TMP/fpunits.log"; then
    pass "$(tail -1 "$TMP/fpunits.log")"
else
    fail "tests/fpunits/run.sh" "$TMP/fpunits.log"
fi

section "cost model: cycles vs simulation, report keys, determinism"
sh tests/cost/run.sh "$SEED" > "$TMP/cost.log" 2>&1; count_lines "$TMP/cost.log"

section "design-space sweeps: exact fronts, determinism, shards, bad sweep files"
sh tests/sweep/run.sh "$SEED" > "$TMP/sweep.log" 2>&1; count_lines "$TMP/sweep.log"

section "synthesis: flows, cache, gate-level netlists vs the C model"
sh tests/synth/run.sh > "$TMP/synth.log" 2>&1; count_lines "$TMP/synth.log"

section "synthesis through schedulers: GNU parallel, a local Slurm cluster"
sh tests/sched/run.sh > "$TMP/sched.log" 2>&1; count_lines "$TMP/sched.log"
sh tests/sweep/cluster.sh > "$TMP/cluster.log" 2>&1; count_lines "$TMP/cluster.log"

section "cost model vs synthesis on held-out points (CI subset of make validate)"
for tech in osu018; do
    if "$TF" validate --tech $tech --points tests/synth/ci.points --fail-above 15 \
        > "$TMP/val-$tech.log" 2>&1; then
        pass "validate $tech: $(grep -m1 '^area\|^luts' "$TMP/val-$tech.log")"
    else
        fail "validate $tech (area/LUT error above 15 %)" "$TMP/val-$tech.log"
    fi
done

# A deliberately wrong RTL must be caught (the comparison can fail): flip
# one subtraction of the table build into an addition.
section "mutation: a broken core must fail co-simulation"
"$TF" gen examples/int8_small.xml -o "$TMP/mut" > /dev/null
sed -i '0,/^\( *wire .*\) - /s//\1 + /' "$TMP/mut/tf_tlut_lut.v"
if cmp -s "$TMP/mut/tf_tlut_lut.v" "$TMP/det1/tf_tlut_lut.v"; then
    fail "mutation: the mutant is identical to the original"
elif "$TF" sim examples/int8_small.xml --rtl "$TMP/mut" --vectors 4 --work "$TMP/mutwork" > "$TMP/mut.log" 2>&1; then
    fail "mutation: a broken table build passed co-simulation" "$TMP/mut.log"
elif grep -q "^MISMATCH" "$TMP/mut.log" && grep -q "^waveform: " "$TMP/mut.log" && ls "$TMP"/mutwork/*.vcd > /dev/null 2>&1; then
    pass "mutation: caught, with a waveform ($(grep -c '^MISMATCH' "$TMP/mut.log") mismatches shown)"
else
    fail "mutation: no MISMATCH report or waveform" "$TMP/mut.log"
fi

# -------------------------------------------------- sanitizer build
section "ASan/UBSan build"
if make -s BUILD=build-san SANITIZE=address,undefined build-san/ternforge \
        build-san/tests/unit/test_model build-san/tests/unit/test_dp build-san/tests/unit/test_inventory \
        build-san/tests/unit/test_fixq build-san/tests/unit/test_fit build-san/tests/unit/test_fpmodel build-san/tests/unit/test_softfloat \
        build-san/tests/unit/test_sweep build-san/tests/unit/test_matrix build-san/tests/unit/test_cosim > "$TMP/san-build.log" 2>&1; then
    pass "sanitizer build"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    for t in test_dp test_model test_matrix test_inventory test_fixq test_fit test_fpmodel test_softfloat test_sweep test_cosim; do
        build-san/tests/unit/$t "$SEED" > "$TMP/san-$t.log" 2>&1 && pass "sanitized unit/$t" || fail "sanitized unit/$t" "$TMP/san-$t.log"
    done
    SAN=$TOP/build-san/ternforge
    bad_xml "$SAN"
    bad_run "$SAN" > "$TMP/sanbad.log"; count_lines "$TMP/sanbad.log"
    "$SAN" gen examples/int8_large.xml -o "$TMP/san-gen" > /dev/null 2> "$TMP/san-gen.log" &&
        [ ! -s "$TMP/san-gen.log" ] && pass "sanitized gen" || fail "sanitized gen" "$TMP/san-gen.log"
    "$SAN" sim examples/int8_small.xml --vectors 3 > "$TMP/san-sim.log" 2>&1 && pass "sanitized sim" || fail "sanitized sim" "$TMP/san-sim.log"
    ok=1
    for x in examples/*.xml; do for tech in osu018 xc7 ice40; do for f in text json csv; do
        "$SAN" cost "$x" --tech $tech --format $f --bw 10 > /dev/null 2>> "$TMP/san-cost.log" || ok=0
    done; done; done
    [ $ok = 1 ] && [ ! -s "$TMP/san-cost.log" ] && pass "sanitized cost (every example, tech and format)" ||
        fail "sanitized cost" "$TMP/san-cost.log"
    TF="$SAN" TS="$TOP/build-san/tests/unit/test_sweep" sh tests/sweep/run.sh "$SEED" > "$TMP/san-sweep.log" 2>&1
    sed 's/^\(PASS\|FAIL\) /\1 sanitized /' "$TMP/san-sweep.log" > "$TMP/san-sweep2.log"; count_lines "$TMP/san-sweep2.log"
else
    fail "sanitizer build" "$TMP/san-build.log"
fi

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
