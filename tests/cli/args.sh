#!/bin/sh
# args.sh - "--" ends the options in every command: a file whose name
# starts with '-' is usable after it (and, as ever, as an option's
# value). Prints PASS/FAIL lines.
#   sh tests/cli/args.sh [TF]
set -u
cd "$(dirname "$0")/../.." || exit 2
TOP=$(pwd)
TF=${1:-build/ternforge}
case $TF in /*) ;; *) TF=$TOP/$TF ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ternforge-args.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
cp examples/int8_small.xml "$TMP/-p.xml"
cp tests/quantize/reals.txt "$TMP/-r.txt"
cp examples/data/W_10x9.txt "$TMP/-w.txt"
cp examples/data/X_9x2.txt "$TMP/-x.txt"
cp tests/sweep/fpga.xml "$TMP/-s.xml"
cd "$TMP" || exit 2

# check NAME COMMAND...: exit 0 and no error output
check() {
    n=$1; shift
    if "$@" > "$n.out" 2> "$n.err" && [ ! -s "$n.err" ]; then
        echo "PASS args/$n"
    else
        echo "FAIL args/$n (exit $?)"; sed 's/^/    /' "$n.err" | head -5
    fi
}
check gen "$TF" gen -o gen -- -p.xml
[ -f gen/tf_top.v ] || echo "FAIL args/gen: no gen/tf_top.v"
check inventory "$TF" inventory -- -p.xml
check cost "$TF" cost --format csv -- -p.xml
check run "$TF" run --weights -w.txt --acts -x.txt -o y.txt -- -p.xml
cmp -s y.txt "$TOP/examples/data/Y_10x2.txt" || echo "FAIL args/run: Y differs from examples/data/Y_10x2.txt"
check pack "$TF" pack --weights -w.txt -o w.hex -- -p.xml
check quantize "$TF" quantize --format 'ap_fixed<8,2>' -o q.txt -- -r.txt
cmp -s q.txt "$TOP/tests/quantize/trn_wrap.expected" || echo "FAIL args/quantize: codes differ from tests/quantize/trn_wrap.expected"
check sweep "$TF" sweep -o -d --shard 0/1 --no-plots -- -s.xml
check merge "$TF" merge -o merged --no-plots -- -d
check params "$TF" params --
check help "$TF" help -- gen

# without "--" such a name is an option, and unknown
"$TF" gen -o gen2 -p.xml > /dev/null 2> noend.err
if [ $? = 1 ] && grep -qx "ternforge: error: gen: unknown option '-p.xml' (see 'ternforge help gen')" noend.err; then
    echo "PASS args/without --, -p.xml is an unknown option"
else
    echo "FAIL args/without --, -p.xml is not refused as an option"; sed 's/^/    /' noend.err
fi
