#!/bin/sh
# run.sh - a Yosys SAT proof that the two LUT builds compute the same
# table: for small integer cores, tf_tlut_lut of lut_build=shared and of
# lut_build=direct (lut_reg=0: combinational, acts in, entries out) go
# into one miter (`miter -equiv`), and `sat -prove trigger 0` must prove
# that no input makes any entry differ. The proof must also fail on a
# planted difference: the direct table with one entry's sign flipped
# (e4 = a0 + a1 written as a0 - a1) must give a counterexample.
# Usage, from the repository root: sh tests/formal/run.sh [TERNFORGE]
# Prints PASS/FAIL lines; ends with "formal: N proofs, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
TF=${1:-build/ternforge}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/formal.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 2' INT TERM
N=0
BAD=0

# lut NAME BUILD MODULE SETS...: the LUT module of a point, renamed
lut() {
    n=$1 b=$2 m=$3
    shift 3
    sets=""
    for s in "$@"; do sets="$sets --set $s"; done
    # shellcheck disable=SC2086
    "$TF" gen examples/int8_small.xml $sets --set lut_reg=0 --set lut_build="$b" \
        -o "$TMP/$n-$b" > /dev/null 2> "$TMP/$n-$b.err" || return 1
    sed "s/^module tf_tlut_lut /module $m /" "$TMP/$n-$b/tf_tlut_lut.v" > "$TMP/$n-$m.v"
}

# prove NAME FILE_A FILE_B: yosys exit 0 when the miter is proved
prove() {
    yosys -q -p "read_verilog $2 $3; proc; opt_clean; \
        miter -equiv -flatten -make_outputs lut_a lut_b miter; hierarchy -top miter; \
        sat -verify -prove trigger 0 miter" > "$TMP/$1.log" 2>&1
}

for point in "mu2_w3 mu=2 act_width=3" "mu3_w4 mu=3 act_width=4" "mu3_w8 mu=3 act_width=8" \
             "mu4_w3 mu=4 act_width=3"; do
    set -- $point
    name=$1
    shift
    N=$((N + 1))
    if ! lut "$name" shared lut_a "$@" || ! lut "$name" direct lut_b "$@"; then
        echo "FAIL formal/$name: gen"; cat "$TMP/$name"-*.err; BAD=$((BAD + 1)); continue
    fi
    if prove "$name" "$TMP/$name-lut_a.v" "$TMP/$name-lut_b.v"; then
        echo "PASS formal/$name: shared and direct tables proved equal ($*)"
    else
        echo "FAIL formal/$name: shared and direct differ or the proof failed"
        tail -20 "$TMP/$name.log"; BAD=$((BAD + 1))
    fi
    # the planted difference: e4 = a0 + a1 becomes a0 - a1
    sed 's/^\( *wire \[[0-9]*:0\] e4 = .*\) + /\1 - /' "$TMP/$name-lut_b.v" > "$TMP/$name-bad.v"
    N=$((N + 1))
    if cmp -s "$TMP/$name-lut_b.v" "$TMP/$name-bad.v"; then
        echo "FAIL formal/$name/planted: the plant did not change entry e4"; BAD=$((BAD + 1))
    elif prove "$name-bad" "$TMP/$name-lut_a.v" "$TMP/$name-bad.v"; then
        echo "FAIL formal/$name/planted: a wrong direct entry was proved equal"; BAD=$((BAD + 1))
    elif grep -q "proof did fail" "$TMP/$name-bad.log"; then
        echo "PASS formal/$name/planted: a wrong direct entry e4 gives a counterexample"
    else
        echo "FAIL formal/$name/planted: yosys failed without a counterexample"
        tail -20 "$TMP/$name-bad.log"; BAD=$((BAD + 1))
    fi
done
echo "formal: $N proofs, $BAD failed"
[ "$BAD" -eq 0 ]
