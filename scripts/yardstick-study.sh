#!/bin/sh
# yardstick-study.sh - why the first co-simulation yardstick ran at a
# fourteenth of the issue-20 figure: builds the sign-flip array
# (tests/bench/yardstick/signflip.v) in its two forms (registered ports,
# the bench's; REG_PORTS=0, sums fed straight from the ports, the first
# form) with the issue's flags, and runs each with the weights redrawn
# every cycle and every 1024 cycles, all in one run. Rates in cycles per
# second and per CPU second (the machine is shared). Run it under
# `flock /work/notes/heavy.lock`.
#   YS_CYCLES=N (default 1000000)
set -eu
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }
n=${YS_CYCLES:-1000000}
for reg in 1 0; do
    form=registered
    [ $reg = 1 ] || form=from-ports
    d="$TMP/$form"
    mkdir "$d"
    cp tests/bench/yardstick/signflip.v tests/bench/yardstick/signflip_tb.cpp "$d/"
    t0=$(now)
    (cd "$d" && verilator --cc --exe --build -O3 --x-assign fast -j 2 -GREG_PORTS=$reg \
        --Mdir obj -o ../Vsignflip signflip.v signflip_tb.cpp > build.log 2>&1) ||
        { cat "$d/build.log"; exit 1; }
    echo "$form: build $(since "$t0") s"
    for p in 1 1024; do
        printf '%-15s weights every %4d cycles: ' "$form" "$p"
        "$d/Vsignflip" "$n" 1 "$p" | sed 's/^yardstick: //'
    done
done
