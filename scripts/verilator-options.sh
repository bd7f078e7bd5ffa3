#!/bin/sh
# verilator-options.sh - the Verilator options study of issue 20: builds one
# core's generated RTL with the harness under several option sets, runs the
# same stimulus on each, checks every result file is byte-identical to the
# first set's, and prints build CPU seconds and the clock loop's rate as
# ratios to the yardstick (tests/bench/yardstick) built in the same run
# (the machine is shared: ratios within one run compare, absolute times do
# not). Run it under `flock /work/notes/heavy.lock`; docs/testing.md has a
# table from it.
#   VOPT_CORE=int8|fp16 (default int8)  VOPT_SETS="base xfast ..." (default all
#   but hier, which needs tf_fpadd: fp16 only)  VOPT_ROUNDS=N (runs of each
#   simulator, alternating; medians, default 3)  VOPT_M=ROWS (int8's W rows,
#   default 1024, at most 2048)
# The fp16 sets start from sim/cosim.c's FP flags (--inline-mult 10 and the
# tables as a hierarchical block). pgo builds twice: instrumented, trained
# on a smaller workload of other seeds (never the measured one), rebuilt
# with the profile; its build column is both builds and the training run.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
TF=${TF:-build/ternforge}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# matrix FILE ROWS COLS SEED VALUE-EXPR (as in bench-cosim.sh)
matrix() {
    awk -v M="$2" -v N="$3" -v seed="$4" "BEGIN { srand(seed); print M, N
        for (i = 0; i < M; i++) { l = \"\"
            for (j = 0; j < N; j++) { r = rand(); l = l (j ? \" \" : \"\") ($5) }
            print l } }" > "$1"
}
cpu() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }  # time.txt: wall user sys

# yardstick, built as bench-cosim.sh builds it
mkdir "$TMP/ys"
cp tests/bench/yardstick/signflip.v tests/bench/yardstick/signflip_tb.cpp "$TMP/ys/"
(cd "$TMP/ys" && /usr/bin/time -f "%e %U %S" -o time.txt verilator --cc --exe --build -O3 \
    --x-assign fast -j 2 --Mdir obj -o ../Vsignflip signflip.v signflip_tb.cpp > build.log 2>&1) ||
    { cat "$TMP/ys/build.log"; exit 1; }
ys_bcpu=$(cpu "$TMP/ys/time.txt")
ys_crate=$("$TMP/ys/Vsignflip" 2000000 1 | sed 's/.*(\([0-9]*\) cycles\/cpu-s).*/\1/')
echo "yardstick: build cpu $ys_bcpu s, $ys_crate cycles/cpu-s"

case ${VOPT_CORE:-int8} in
int8) set -- examples/int8_large.xml --set mu=4 --set luts=8 --set keys=32 \
          --set max_rows=2048 --set max_cols=2048
      matrix "$TMP/W.txt" ${VOPT_M:-1024} 1024 1 'int(r * 3) - 1'
      matrix "$TMP/X.txt" 1024 32 2 'int(r * 256) - 128' ;;
fp16) set -- examples/fp16_small.xml --set mu=4 --set luts=8 --set keys=32 \
          --set max_rows=512 --set max_cols=512
      matrix "$TMP/W.txt" 256 256 5 'int(r * 3) - 1'
      matrix "$TMP/X.txt" 256 64 6 'sprintf("%.3f", (r - 0.5) * 8)' ;;
*) echo "verilator-options.sh: unknown core '$VOPT_CORE' (int8, fp16)" >&2; exit 2 ;;
esac
echo "core: $*"
$TF gen "$@" -o "$TMP/rtl" > /dev/null
# the stimulus files the RTL engine writes (the model's run keeps them)
TERNFORGE_CACHE="$TMP/cache" $TF run "$@" --weights "$TMP/W.txt" --acts "$TMP/X.txt" \
    --engine rtl --work "$TMP/stim" -o "$TMP/Y.txt"
# the training workload of pgo: other seeds, a quarter of the rows
case ${VOPT_CORE:-int8} in
int8) matrix "$TMP/Wt.txt" 256 1024 11 'int(r * 3) - 1'
      matrix "$TMP/Xt.txt" 1024 32 12 'int(r * 256) - 128' ;;
fp16) matrix "$TMP/Wt.txt" 64 256 15 'int(r * 3) - 1'
      matrix "$TMP/Xt.txt" 256 64 16 'sprintf("%.3f", (r - 0.5) * 8)' ;;
esac
TERNFORGE_CACHE="$TMP/cache" $TF run "$@" --weights "$TMP/Wt.txt" --acts "$TMP/Xt.txt" \
    --engine rtl --work "$TMP/train" -o "$TMP/Yt.txt"
rm -rf "$TMP/cache"

# The option sets. base is ternforge's default (sim/cosim.c verilator_argv).
opts() {
    fast="OPT_FAST=-O2" j=2 u="--unroll-stmts 1000000" v="-O3 --x-assign unique --x-initial unique"
    cx=  # the model's compiler: clang++ when installed, as sim/cosim.c chooses
    command -v clang++ > /dev/null 2>&1 && cx=" CXX=clang++ LINK=clang++"
    # sim/cosim.c's FP flags; hier-serial.mk as cosim.c writes it (the race)
    [ "${VOPT_CORE:-int8}" = fp16 ] &&
        v="$v --inline-mult 10 --hierarchical -MAKEFLAGS \"-f ../hier-serial.mk\""
    case $1 in
    base) ;;
    gxx) cx= ;;  # g++, Verilator's own (the default before session 12)
    nounroll) u= ;;  # the default before tf_tlut_sel's loops were unrolled
    vdefault) v="--x-assign unique --x-initial unique" ;;  # Verilator's own -O level
    xfast) v="-O3 --x-assign fast --x-initial unique" ;;
    inline10) v="$v --inline-mult 10" ;;  # modules kept apart (not inlined) when not tiny
    fastO1) fast="OPT_FAST=-O1" ;;
    fastO0) fast="OPT_FAST=-O0" ;;
    fastOs) fast="OPT_FAST=-Os" ;;
    j1) j=1 ;;
    split) v="$v --output-split 3000 --output-split-cfuncs 3000" ;;
    threads2) v="$v --threads 2" ;;
    xinitfast) v="$v --x-initial fast" ;;  # not keepable (random initial state); measured
    nodfg) v="$v -fno-dfg" ;;
    splitcf) v="$v --output-split-cfuncs 3000" ;;
    inline100) v="$v --inline-mult 100" ;;
    native) v="$v -CFLAGS -march=native" ;;
    noplt) v="$v -CFLAGS -fno-plt" ;;
    omitfp) v="$v -CFLAGS -fomit-frame-pointer" ;;
    lto) v="$v -CFLAGS -flto=thin -LDFLAGS \"-flto=thin -fuse-ld=lld\"" ;;
    pgogen) v="$v -CFLAGS -fprofile-instr-generate -LDFLAGS -fprofile-instr-generate" ;;
    pgo) v="$v -CFLAGS \"-fprofile-instr-use=$TMP/pgo.profdata -Wno-profile-instr-unprofiled\"" ;;
    pgonative) v="$v -CFLAGS \"-march=native -fprofile-instr-use=$TMP/pgo.profdata -Wno-profile-instr-unprofiled\"" ;;
    # each distinct FP adder verilated and compiled once, as its own model
    # (inside the tables' block, which the fp16 base has since session 11)
    hier) v="$v --hierarchical hier.vlt" ;;
    *) echo "verilator-options.sh: unknown option set '$1'" >&2; exit 2 ;;
    esac
    echo "$v $u -j $j -MAKEFLAGS \"$fast OPT_SLOW=-O0 OPT_GLOBAL=-O1$cx\""
}

# build SET DIR: verilate and compile under SET's options in DIR
build() {
    cp -r "$TMP/rtl" "$2"
    cp sim/tb_verilator.cpp "$2/"
    printf '`verilator_config\nhier_block -module "tf_fpadd"\n' > "$2/hier.vlt"
    printf '.NOTPARALLEL:\n' > "$2/hier-serial.mk"
    o=$(opts "$1")
    (cd "$2" && eval /usr/bin/time -f '"%e %U %S"' -o time.txt verilator --cc --exe --build \
        "$o" -Wno-fatal -Wno-lint -Wno-style --prefix Vtf_top --top-module tf_top \
        --Mdir obj -o ../Vsim -F files.f tb_verilator.cpp > build.log 2>&1) ||
        { tail -20 "$2/build.log"; exit 1; }
}

# Every set is built first, then the simulators run the stimulus in
# VOPT_ROUNDS rounds (default 3), one set after the other in each round, so
# the load drifts over all of them alike; the rates are each set's median.
n=0
sets=
for s in ${VOPT_SETS:-base gxx nounroll vdefault xfast inline10 fastO1 fastO0 fastOs j1 split threads2}; do
    n=$((n + 1))
    d="$TMP/$n-$s"
    sets="$sets $n-$s"
    extra=0
    case $s in pgo*)  # the instrumented build and its training run first
        if [ ! -f "$TMP/pgo.profdata" ]; then
            build pgogen "$TMP/pgogen"
            (cd "$TMP/train" && LLVM_PROFILE_FILE="$TMP/pgo.profraw" /usr/bin/time -f "%e %U %S" \
                -o "$TMP/train.time" "$TMP/pgogen/Vsim" +verilator+rand+reset+2 \
                +verilator+seed+2 +cfg=cfg.txt +act=act.hex +wgt=wgt.hex +res=res.txt +seed=1 \
                +stall=0 > /dev/null)
            llvm-profdata merge -o "$TMP/pgo.profdata" "$TMP/pgo.profraw"
            echo "pgo: instrumented build cpu $(cpu "$TMP/pgogen/time.txt") s, training run" \
                "cpu $(cpu "$TMP/train.time") s"
        fi
        extra=$(awk '{ s += $2 + $3 } END { printf "%.2f", s }' "$TMP/pgogen/time.txt" \
            "$TMP/train.time") ;;
    esac
    build "$s" "$d"
    echo "$(cut -d' ' -f1 "$d/time.txt") $(cpu "$d/time.txt") $extra $(opts "$s")" > "$d/build.txt"
    rm -rf "$d/obj"
done
first=
for r in $(seq "${VOPT_ROUNDS:-3}"); do
    for sd in $sets; do
        d="$TMP/$sd"
        (cd "$TMP/stim" && "$d/Vsim" +verilator+rand+reset+2 +verilator+seed+2 +cfg=cfg.txt \
            +act=act.hex +wgt=wgt.hex +res="$d/res.txt" +seed=1 +stall=0) >> "$d/runs.txt"
        if [ -z "$first" ]; then
            first=$d/res.txt
        elif ! cmp -s "$first" "$d/res.txt"; then
            echo "$sd: result stream DIFFERS from the first set's"; exit 1
        fi
    done
done
printf '%-9s %6s %9s %7s %11s %7s %11s  %s\n' set wall build-cpu ratio "loop c/cpu-s" ratio \
    "loop c/s" options
for sd in $sets; do
    d="$TMP/$sd"
    awk -v s="${sd#*-}" -v yb="$ys_bcpu" -v yr="$ys_crate" 'NR == 1 { w = $1; b = $2 + $3
            o = $0; sub(/^[^ ]* [^ ]* [^ ]* /, "", o); next }
        { n = $2; for (i = 1; i <= NF; i++) { if ($i == "cpu") c = $(i + 1) + 0
            if ($i == "loop" && $(i + 1) != "cpu") l = $(i + 1) + 0 }
          cr[++k] = n / c; wr[k] = n / l }
        function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
            if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
        END { c = med(cr, k); l = med(wr, k)
            printf "%-9s %5.1fs %8.1fs %6.2fx %11.0f %6.3fx %11.0f  %s\n", s, w, b, b / yb, c,
                c / yr, l, o }' "$d/build.txt" "$d/runs.txt"
done
