#!/bin/sh
# measured.sh - scripts/measured-points.py on a small tree of its own: a
# six-point sweep against a hand-written measured list, the expected
# answers worked out by hand. Prints PASS/FAIL lines.
#   sh tests/studies/measured.sh [TF]
TF=${1:-build/ternforge}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
T="$TMP/top"
mkdir -p "$T/reports/studies" "$T/model/tech"
ok() { echo "PASS measured/$1"; }
bad() { echo "FAIL measured/$1"; [ -f "$2" ] && sed 's/^/    /' "$2"; }

# The measured list: INT8 32x32 LUT core mu 2 (16 LUTs) and sign-flip core,
# max_cols 64 (scripts/paper-direction.sh's shape), areas chosen here.
printf '# flow\tact\ttile\tkind\tmu\tarea_um2\n' > "$T/reports/paper-direction-measured.tsv"
printf 'hier\tint8\t32\ttlut\t2\t3000000.0\n' >> "$T/reports/paper-direction-measured.tsv"
printf 'hier\tint8\t32\ttsign\t-\t2000000.0\n' >> "$T/reports/paper-direction-measured.tsv"
echo '# none' > "$T/model/tech/validate-hier.points"
echo '# none' > "$T/model/tech/calib.points"
# a flat held-out BF16 point, the only BF16 core: 4 x 2 = 8 MAC/cycle
echo 'v_small: kind=tsign act_type=bf16 inputs=4 keys=2 max_rows=16 max_cols=16' > "$T/model/tech/validate.points"
# measured on the FPGAs only: the 8-LUT core below, which an osu018 study
# must not count as measured
echo 'f_lut8: kind=tlut act_type=int act_width=8 mu=2 luts=8 keys=32 max_rows=4096 max_cols=64 out_depth=2' > "$T/model/tech/validate-fpga32.points"

# The sweep: the LUT core with 16 LUTs (measured), 8 LUTs (512 MAC/cycle,
# not measured: nearest the 16-LUT core at MAC ratio 0.5) and 4 LUTs (below
# the constraint: infeasible, so not counted), the sign-flip
# core (measured), and a BF16 sign-flip core 32x32 (nearest: v_small, MAC
# ratio 1024 / 8 = 128, max_cols ratio 64 / 16 = 4), and the INT8
# sign-flip core with batch 2 (2048 MAC/cycle; nearest the measured one,
# which differs in batch, a parameter its point string leaves out).
cat > "$TMP/s.xml" <<'XML'
<?xml version="1.0"?>
<ternforge version="1">
  <sweep name="s" compare_limit="0">
    <workload M="4096" N="64" B="1" act_type="int" act_width="8"/>
    <tech name="osu018"/>
    <core kind="tlut" label="tlut" keys="32" mu="2"><param name="luts" values="4 8 16"/></core>
    <core kind="tsign" label="tsign" inputs="32" keys="32"><param name="act_type" values="int bf16"/></core>
    <core kind="tsign" label="batch" inputs="32" keys="32" batch="2"/>
    <constraint figure="peak_macs_per_cycle" min="500"/>
    <objective figure="area_um2"/>
  </sweep>
</ternforge>
XML
"$TF" sweep "$TMP/s.xml" -o "$T/reports/studies/s" --jobs 1 > "$TMP/sweep.log" 2>&1 ||
    { bad sweep "$TMP/sweep.log"; exit 0; }
python3 scripts/measured-points.py --tf "$TF" --top "$T" > "$TMP/out.md" 2> "$TMP/err" ||
    { bad run "$TMP/err"; exit 0; }

grep -q '^5 feasible points, 2 measured on osu018\.$' "$TMP/out.md" && ok count || bad count "$TMP/out.md"
# the measured rows: which sweep point, under which name, and the error of
# the sweep's own model area against the area above
lut=$(awk -F, 'NR > 1 && $9 == "tlut" && $15 == 16 { print $45 }' "$T/reports/studies/s/points.csv")
want=$(awk -v m="$lut" 'BEGIN { printf "%+.1f %%", 100 * (m - 3000000) / 3000000 }')
grep -q "^| tlut int8 mu 2, 1024 MAC/cycle, max_cols 64 | paper-direction int8 32x32 tlut mu 2 (hier) | 3000000 | [0-9]* | $want |\$" "$TMP/out.md" &&
    ok lut || bad lut "$TMP/out.md"
grep -q '^| tsign int8, 1024 MAC/cycle, max_cols 64 | paper-direction int8 32x32 tsign (hier) | 2000000 |' "$TMP/out.md" &&
    ok tsign || bad tsign "$TMP/out.md"
# the unmeasured: nearest of the same kind, format and mu
grep -q '^| tlut int8 mu 2 | 1 | 512 | 64 | paper-direction int8 32x32 tlut mu 2 (hier) | 1024, 64 | 0.5 | 1 |' "$TMP/out.md" &&
    ok nearest || bad nearest "$TMP/out.md"
grep -q '^| tsign bf16 | 1 | 1024 | 64 | v_small (flat held-out) | 8, 16 | 128 | 4 | max_rows |$' "$TMP/out.md" &&
    ok format || bad format "$TMP/out.md"
grep -q '^| tsign int8 | 1 | 2048 | 64 | paper-direction int8 32x32 tsign (hier) | 1024, 64 | 2 | 1 | batch |$' "$TMP/out.md" &&
    ok default || bad default "$TMP/out.md"
# deterministic, and a study that does not exist is an error with no output
python3 scripts/measured-points.py --tf "$TF" --top "$T" | cmp -s - "$TMP/out.md" &&
    ok deterministic || bad deterministic
if python3 scripts/measured-points.py --tf "$TF" --top "$T" nosuch > "$TMP/no.out" 2> "$TMP/no.err"; then
    bad nosuch "$TMP/no.out"
elif [ -s "$TMP/no.out" ] || ! grep -q 'nosuch: no such study' "$TMP/no.err"; then
    bad nosuch "$TMP/no.err"
else
    ok nosuch
fi
