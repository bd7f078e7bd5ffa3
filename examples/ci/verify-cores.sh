#!/bin/sh
# verify-cores.sh - CI recipe (docs/ci.md): co-simulate each generated core
# against ternforge's bit-exact C model and leave JUnit XML and JSON
# verdicts for the CI server. Copy it into your repository.
#
#   sh verify-cores.sh [-o REPORTS] [-n VECTORS] [-s SEED] [-t STALL] CORE...
#
# CORE is a parameter file P.xml (ternforge generates its RTL), or
# P.xml=RTLDIR to check the RTL you committed in RTLDIR (RTLDIR/files.f)
# against P.xml's model. Each core gets REPORTS/NAME.xml (JUnit) and
# REPORTS/NAME.json, NAME being the file's name without .xml (and the RTL
# folder's name after a '-').
# Compiled simulators are cached in $TERNFORGE_CACHE (default
# .ternforge-cache here): keep that folder between CI runs and an unchanged
# core costs no build.
# Exit status: 0 every core passed; 1 a core's RTL disagrees with its
# model, or bad input; 3 a simulator failed to build or run (a broken tool
# set-up or RTL that does not compile). The worst status wins.
set -u
TF=${TERNFORGE:-ternforge}
REPORTS=ci-reports
VECTORS=50
SEED=1
STALL=20
while getopts o:n:s:t: opt; do
    case $opt in
    o) REPORTS=$OPTARG ;;
    n) VECTORS=$OPTARG ;;
    s) SEED=$OPTARG ;;
    t) STALL=$OPTARG ;;
    *) echo "usage: verify-cores.sh [-o REPORTS] [-n VECTORS] [-s SEED] [-t STALL] CORE..." >&2
       exit 1 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "verify-cores.sh: no core given (P.xml or P.xml=RTLDIR)" >&2; exit 1; }
export TERNFORGE_CACHE=${TERNFORGE_CACHE:-$(pwd)/.ternforge-cache}
mkdir -p "$REPORTS" || exit 1

worst=0
passed=0
ncores=$#
for core in "$@"; do
    params=${core%%=*}
    name=$(basename "$params" .xml)
    set -- --vectors "$VECTORS" --seed "$SEED" --stall "$STALL"
    case $core in
    *=*) rtl=${core#*=}; name="$name-$(basename "$rtl")"; set -- "$@" --rtl "$rtl" ;;
    esac
    echo "== $name"
    "$TF" sim "$params" "$@" --work "$REPORTS/$name.work" \
        --junit "$REPORTS/$name.xml" --json "$REPORTS/$name.json"
    st=$?
    case $st in
    0) passed=$((passed + 1)); rm -rf "$REPORTS/$name.work" ;;
    1|3) [ $st -gt $worst ] && worst=$st ;;
    *) worst=3 ;; # killed, or a status sim does not give: a tool problem
    esac
done
echo "verify-cores: $passed of $ncores cores passed"
exit $worst
