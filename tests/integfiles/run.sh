#!/bin/sh
# run.sh - the integration files gen writes (docs/integration.md).
#   sh tests/integfiles/run.sh TF fast    no simulators: params.xml round trip,
#                                    manifest.json vs the Verilog ports
#                                    (check.py parses them), the .core's
#                                    CAPI2 structure and file list, a C
#                                    driver including <prefix>_params.h
#                                    (-Werror) vs the manifest
#   sh tests/integfiles/run.sh TF tools   the file lists from another working
#                                    directory (verilator -f/-F, iverilog -c),
#                                    the instantiation template compiled, and
#                                    synth: its SDC and Yosys script are gen's,
#                                    OpenSTA reads the SDC with the netlist
# Prints PASS/FAIL lines (tests/run.sh's count_lines format; ids
# integfiles/... and integfiles-tools/...) and ends with "integfiles: N
# passed, M failed". Needs python3 with PyYAML (scripts/setup).
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TF=${1:-$TOP/build/ternforge}
MODE=${2:-fast}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/integfiles-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
P=0 F=0
ID=integfiles; [ "$MODE" = tools ] && ID=integfiles-tools
ok() { P=$((P + 1)); echo "PASS $ID/$1"; }
no() { F=$((F + 1)); echo "FAIL $ID/$1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }

# The points: every golden parameter file, and one with a target clock.
POINTS=""
for d in tests/golden/*/; do
    n=$(basename "$d")
    "$TF" gen "$d/params.xml" -o "$TMP/$n" > /dev/null 2> "$TMP/$n.err" || { no "gen/$n" "$TMP/$n.err"; continue; }
    POINTS="$POINTS $n"
done
"$TF" gen examples/int8_small.xml --set clock_ns=3.5 -o "$TMP/clock" > /dev/null 2> "$TMP/clock.err" &&
    POINTS="$POINTS clock" || no "gen/clock" "$TMP/clock.err"
# A named prefix with AXI4-Stream ports, and one with an asynchronous reset.
"$TF" gen examples/int8_small.xml --set prefix=npu1 --set interface=axis -o "$TMP/axis" \
    > /dev/null 2> "$TMP/axis.err" && POINTS="$POINTS axis" || no "gen/axis" "$TMP/axis.err"
"$TF" gen examples/fp16_small.xml --set prefix=acc_2 --set reset=async_n -o "$TMP/async" \
    > /dev/null 2> "$TMP/async.err" && POINTS="$POINTS async" || no "gen/async" "$TMP/async.err"
# Block-scaled beats (scales above the lanes), batch 1 and batched.
for p in "mx1 mxfp4_small" "mxb3 mxfp4_small --set batch=3" "mxts2 mxfp8_tsign --set batch=2"; do
    set -- $p; n=$1 ex=$2; shift 2
    "$TF" gen examples/$ex.xml "$@" -o "$TMP/$n" > /dev/null 2> "$TMP/$n.err" &&
        POINTS="$POINTS $n" || no "gen/$n" "$TMP/$n.err"
done

if [ "$MODE" = fast ]; then
    for n in $POINTS; do
        d=$TMP/$n
        # gen on its own params.xml: the same bytes, every file
        if "$TF" gen "$d/params.xml" -o "$TMP/rt-$n" > /dev/null 2> "$TMP/rt-$n.err" &&
            diff -r "$d" "$TMP/rt-$n" > "$TMP/rt-$n.diff" 2>&1; then
            ok "roundtrip/$n: gen params.xml gives the same bytes"
        else
            cat "$TMP/rt-$n.err" >> "$TMP/rt-$n.diff" 2> /dev/null
            no "roundtrip/$n" "$TMP/rt-$n.diff"
        fi
        python3 tests/integfiles/check.py manifest "$d" > "$TMP/m-$n.log" 2>&1 &&
            ok "manifest/$n: ports as parsed from the Verilog, files, parameters" ||
            no "manifest/$n" "$TMP/m-$n.log"
        python3 tests/integfiles/check.py core "$d" > "$TMP/c-$n.log" 2>&1 &&
            ok "core/$n: CAPI2 structure, every file in a fileset" || no "core/$n" "$TMP/c-$n.log"
        # driver.c is written for the prefix tf: TF_ macros, tf_params.h
        pfx=$(sed -n 's/^  "prefix": "\(.*\)",$/\1/p' "$d/manifest.json")
        PFX=$(echo "$pfx" | tr a-z A-Z)
        sed -e "s/\bTF_/${PFX}_/g" -e "s/tf_params\.h/${pfx}_params.h/" tests/integfiles/driver.c \
            > "$TMP/drv-$n.c"
        if cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$d" -o "$TMP/drv-$n" "$TMP/drv-$n.c" \
            > "$TMP/h-$n.log" 2>&1 && "$TMP/drv-$n" > "$TMP/h-$n.vals" 2>> "$TMP/h-$n.log" &&
            python3 tests/integfiles/check.py header "$d" "$TMP/h-$n.vals" >> "$TMP/h-$n.log" 2>&1; then
            ok "header/$n: ${pfx}_params.h compiles with -Werror, values as the manifest"
        else
            no "header/$n" "$TMP/h-$n.log"
        fi
    done
    if grep -q 'period 3.5 ' "$TMP/clock/tf.sdc" && grep -q 'clock_ns="3.5"' "$TMP/clock/params.xml" &&
        grep -q '"period_ns": 3.5,' "$TMP/clock/manifest.json" &&
        grep -q 'set_input_delay 0.7 ' "$TMP/clock/tf.sdc" &&
        cmp -s "$TMP/clock/tf_top.v" "$TMP/int8_small/tf_top.v"; then
        ok "clock: clock_ns sets the SDC (delays 20 % of it), manifest, params.xml; not the Verilog"
    else
        no "clock" "$TMP/clock/tf.sdc"
    fi
    echo "integfiles: $P passed, $F failed"
    [ $F = 0 ]; exit $?
fi

# ------------------------------------------------------------- tools
mkdir -p "$TMP/elsewhere"
for n in int8_small fixp_pow2 axis async; do
    d=$TMP/$n
    pfx=$(sed -n 's/^  "prefix": "\(.*\)",$/\1/p' "$d/manifest.json")
    RTL=$(echo "$pfx" | tr a-z A-Z)_RTL
    # From another directory: files_env.f with <PREFIX>_RTL, files.f with -F.
    if (cd "$TMP/elsewhere" && env "$RTL=$d" verilator --lint-only -Wall --top-module ${pfx}_top \
        -f "$d/files_env.f") > "$TMP/fv-$n.log" 2>&1; then
        ok "filelist/$n/verilator -f files_env.f"
    else
        no "filelist/$n/verilator -f files_env.f" "$TMP/fv-$n.log"
    fi
    if (cd "$TMP/elsewhere" && env "$RTL=../$n" iverilog -g2005 -Wall -o /dev/null -s ${pfx}_top \
        -c "../$n/files_env.f") > "$TMP/fi-$n.log" 2>&1 && ! grep -q . "$TMP/fi-$n.log"; then
        ok "filelist/$n/iverilog -c files_env.f (relative variable)"
    else
        no "filelist/$n/iverilog -c files_env.f" "$TMP/fi-$n.log"
    fi
    if (cd "$TMP/elsewhere" && verilator --lint-only -Wall --top-module ${pfx}_top -F "../$n/files.f") \
        > "$TMP/fF-$n.log" 2>&1; then
        ok "filelist/$n/verilator -F files.f"
    else
        no "filelist/$n/verilator -F files.f" "$TMP/fF-$n.log"
    fi
    # The instantiation template inside a module, every port connected
    # (`timescale as every generated file sets it, docs/integration.md).
    printf '`timescale 1ns / 1ps\nmodule wrap;\n`include "%s_inst.vh"\nendmodule\n' "$pfx" \
        > "$TMP/wrap-$n.v"
    # (the wires are left undriven and unread: only those warnings are off;
    # a port left out is PINMISSING)
    if (cd "$TMP/elsewhere" && env "$RTL=$d" iverilog -g2005 -Wall -o /dev/null -s wrap -I "$d" \
        "$TMP/wrap-$n.v" -c "$d/files_env.f" && env "$RTL=$d" verilator --lint-only -Wall \
        -Wno-UNDRIVEN -Wno-UNUSED -Wno-DECLFILENAME --top-module wrap -I"$d" "$TMP/wrap-$n.v" \
        -f "$d/files_env.f") > "$TMP/w-$n.log" 2>&1 && ! grep -q . "$TMP/w-$n.log"; then
        ok "inst/$n: ${pfx}_inst.vh instantiates ${pfx}_top (iverilog -Wall, verilator -Wall)"
    else
        no "inst/$n" "$TMP/w-$n.log"
    fi
done

# synth writes gen's SDC and runs gen's synth.ys; OpenSTA reads that SDC
# with the synthesized netlist and applies its clock and io delays.
n=mu1_tiny
d=$TMP/$n
if "$TF" synth "tests/golden/$n/params.xml" --work "$TMP/syn" > "$TMP/syn.log" 2>&1; then
    cmp -s "$d/tf.sdc" "$TMP/syn/tf.sdc" && ok "sdc/synth: synth's tf.sdc is gen's" ||
        no "sdc/synth: synth's tf.sdc differs from gen's"
    grep -v '^#' "$d/synth.ys" > "$TMP/ys.gen"
    diff "$TMP/ys.gen" "$TMP/syn/synth.ys" > "$TMP/ys.diff" && ok "synth.ys: the script synth ran" ||
        no "synth.ys: differs from the script synth ran" "$TMP/ys.diff"
    cat > "$TMP/sta.tcl" << EOF
read_liberty {/usr/share/qflow/tech/osu018/osu018_stdcells.lib}
read_verilog $TMP/syn/netlist.v
link_design tf_top
read_sdc $d/tf.sdc
report_clock_properties
report_checks -from [get_ports wgt_valid] -digits 3
report_checks -to [get_ports res_valid] -digits 3
EOF
    sta -no_init -exit "$TMP/sta.tcl" > "$TMP/sta.log" 2>&1
    # period 10 (osu018), input and output delay 2 ns (20 %)
    if grep -Eq '^clk +10\.0+ ' "$TMP/sta.log" &&
        grep -Eq '^ *2\.000 +2\.000 +[v^] input external delay' "$TMP/sta.log" &&
        grep -Eq '^ *-2\.000 +[0-9.]+ +output external delay' "$TMP/sta.log" &&
        ! grep -qi 'error' "$TMP/sta.log"; then
        ok "sdc/opensta: the netlist with tf.sdc: clock 10 ns, io delays 2 ns"
    else
        no "sdc/opensta" "$TMP/sta.log"
    fi
else
    no "sdc/synth: synth failed" "$TMP/syn.log"
fi
echo "integfiles: $P passed, $F failed"
[ $F = 0 ]
