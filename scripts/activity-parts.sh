#!/bin/sh
# scripts/activity-parts.sh - power from switching activity by kept instance
# and by flip-flops vs logic, next to the same at the global activity 0.1
# (a diagnostic of which component's energy the model gets wrong;
# docs/cost-model.md, "Power from switching activity").
# Usage: ternforge synth P.xml --hier --activity --work WORK; then
#        sh scripts/activity-parts.sh WORK
# Each flattened cell is tagged with its instance before the flow's renaming
# (attributes do not change write_verilog's numbering; checked: the netlist
# less attributes must be the flow's act.v), then the flow's own OpenSTA
# script runs with report_power -instances; the instance rows must add up
# to the flow's total. Not run by make check.
set -eu
W=$(cd "$1" && pwd); G="$W/gate"; cd "$G"
lib=$(sed -n 's/^read_liberty -lib "\(.*\)"$/\1/p' gate.ys)
top=$(sed -n 's/^hierarchy -top //p' gate.ys)
printf 'read_liberty -lib "%s"\nread_verilog ../synth/netlist.v\nhierarchy -top %s\nflatten\ntee -q -o pp_cells.lst select -list c:*\n' "$lib" "$top" > pp1.ys
yosys -q -s pp1.ys
# instance path of each cell: everything before the last '.'
sed "s|^$top/||" pp_cells.lst | awk -F. 'NF > 1 { NF--; print }' OFS=. | sort -u > pp_inst.lst
{ printf 'read_liberty -lib "%s"\nread_verilog ../synth/netlist.v\nhierarchy -top %s\nflatten\n' "$lib" "$top"
  while read -r i; do p=$(printf %s "$i" | tr '[]' '??'); printf 'setattr -set tfinst "%s" c:%s.*\n' "$i" "$p"; done < pp_inst.lst
  printf 'rename -hide w:* c:*\nwrite_verilog -simple-lhs pp_act.v\n'; } > pp2.ys
yosys -q -s pp2.ys
# the same netlist as act.v, attributes aside
grep -v '^\s*(\*' pp_act.v | diff -q - act.v > /dev/null || { echo "partpower: pp_act.v differs from act.v" >&2; exit 1; }
awk '/\(\* tfinst = / { split($0, a, "\""); inst = a[2]; next }
     /^\s*\(\*/ { next }
     /^  [A-Za-z0-9_]+ _[0-9]+_ \(/ { if (inst != "") print $2, inst; inst = "" ; next }' pp_act.v > pp_map.txt
sed 's/^report_power -digits 6$/report_power -digits 6\nreport_power -instances [get_cells *] -digits 6/' activity.tcl > pp.tcl
sta -no_init -exit pp.tcl > pp.log 2>&1
# the same pins at the technology's global activity, for the ratio
awk '/^array set tf_act/ { skip = 1 } !skip { print } skip && /^}$/ { skip = 0 }' activity.tcl |
    sed -n '/^foreach net/q;p' > ppg.tcl
printf 'set_power_activity -global -activity 0.1 -duty 0.5\nreport_power -digits 6\nreport_power -instances [get_cells *] -digits 6\n' >> ppg.tcl
sta -no_init -exit ppg.tcl > ppg.log 2>&1
echo "cells tagged with a kept instance: $(wc -l < pp_map.txt)"
# per group (instance less generate path and digits), flops and logic apart
sed -n 's/^  \([A-Z][A-Z0-9]*\) \(_[0-9]*_\) (.*/\1 \2/p' act.v > pp_types.txt
awk 'FILENAME == ARGV[1] { g = $2; sub(/.*\./, "", g); sub(/[0-9]+$/, "", g); grp[$1] = g; next }
     FILENAME == ARGV[2] { typ[$2] = $1; next }
     /^Total / && !(FILENAME in seen) { seen[FILENAME] = 1; tot[FILENAME == ARGV[3] ? 0 : 1] = $5 * 1e3 }
     /^ *[0-9.e+-]+ +[0-9.e+-]+ +[0-9.e+-]+ +[0-9.e+-]+ _[0-9]+_$/ {
        j = FILENAME == ARGV[3] ? 0 : 1
        c = $5; g = (c in grp) ? grp[c] : "top"; k = (typ[c] ~ /^DFF|^LATCH/) ? "ff" : "logic"
        P[j, g, k] += $4 * 1e3; S[j, g, k] += $2 * 1e3; if (!j) N[g, k]++; G[g] = 1; T[j] += $4 * 1e3 }
     END { printf "%-8s %-6s %6s %10s %10s %10s %10s %7s\n", "group", "cells", "n", "act mW", "(switch)", "global mW", "(switch)", "ratio"
           for (g in G) for (k = 0; k < 2; k++) { kk = k ? "logic" : "ff"; if (N[g, kk])
             printf "%-8s %-6s %6d %10.4f %10.4f %10.4f %10.4f %7.3f\n", g, kk, N[g, kk], P[0, g, kk], S[0, g, kk], P[1, g, kk], S[1, g, kk], P[0, g, kk] / P[1, g, kk] }
           printf "%-8s %-6s %6s %10.4f %10s %10.4f %10s %7.3f\n", "total", "", "", T[0], "", T[1], "", T[0] / T[1]
           for (j = 0; j < 2; j++) if (!(tot[j] > 0) || (T[j] / tot[j] - 1) ^ 2 > 1e-8) {
             printf "activity-parts: the instances add up to %g mW, OpenSTA says %g\n", T[j], tot[j] > "/dev/stderr"; exit 1 } }' \
    pp_map.txt pp_types.txt pp.log ppg.log
