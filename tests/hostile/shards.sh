#!/bin/sh
# tests/hostile/shards.sh - setup of the merge cases: 3 shards of
# files/sweep_shards.xml in s0, s1, s2 of the current folder (and
# `whole`, the same sweep in one run, for comparison).
set -e
for i in 0 1 2; do
    "$TF" sweep "$FILES/sweep_shards.xml" -o s$i --shard $i/3 --no-plots > /dev/null
done
"$TF" sweep "$FILES/sweep_shards.xml" -o whole --no-plots > /dev/null
