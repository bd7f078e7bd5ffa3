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

# A command-line value inside an error message is quoted as user text is
# everywhere (tq: control characters escaped, at most 64 bytes): a value
# with a newline cannot forge a second message line in a CI log.
nl=$(printf 'a\nb')
long=$(printf 'x%.0s' $(seq 1 100))
quoted() { # NAME EXPECTED-LINE COMMAND...
    n=$1 want=$2; shift 2
    "$@" > /dev/null 2> "$n.err"
    rc=$?
    if [ $rc = 1 ] && [ "$(wc -l < "$n.err")" = 1 ] && grep -qxF "$want" "$n.err"; then
        echo "PASS args/quoted $n"
    else
        echo "FAIL args/quoted $n (exit $rc)"; sed 's/^/    /' "$n.err" | head -5
    fi
}
quoted command "ternforge: error: 'a\\nb' is not a command (see 'ternforge --help')" "$TF" "$nl"
quoted option "ternforge: error: cost: unknown option '--a\\nb' (see 'ternforge help cost')" \
    "$TF" cost "--$nl" -- -p.xml
models="bitnet-b1.58-2b4t bitnet-b1.58-large bitnet-b1.58-3b falcon3-1b-instruct-1.58bit"
models="$models falcon3-3b-base-1.58bit falcon3-7b-base-1.58bit falcon3-10b-base-1.58bit"
models="$models llama3-8b-1.58"
quoted model "ternforge: error: option '--model': no model 'a\\nb' (the models: $models)" \
    "$TF" cost --model "$nl" -- -p.xml
quoted jobs "ternforge: error: option '--jobs': '$(printf 'x%.0s' $(seq 1 64))...' is not in 1..256" \
    "$TF" sweep -o swj --jobs "$long" -- -s.xml
