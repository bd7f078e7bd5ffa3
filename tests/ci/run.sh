#!/bin/sh
# tests/ci/run.sh - the CI recipe of docs/ci.md (examples/ci/verify-cores.sh)
# run as a user would, on a small core, with its own empty simulator cache:
#  * a passing core: exit 0, JUnit XML valid against tests/ci/junit.xsd with
#    one test case per problem, JSON that parses with the same counts, no
#    progress line when stderr is not a terminal;
#  * the second run hits the cache (no build) and writes the same bytes;
#  * on a terminal (script(1)) a progress line names the build;
#  * a core whose RTL is broken on purpose (one table subtraction made an
#    addition): exit 1, a <failure> per failing problem with the mismatch
#    location and the waveform's path (the file exists), JSON "fail";
#  * RTL that does not compile: exit 3, one <error>, JSON "error"; with a
#    good core in the same run the worst status wins;
#  * a core that never takes a weight beat (a hang): exit 3 within the
#    harness's cycle bound, an <error type="hang"> naming problem 1;
#  * bad input (a report path that is a folder): exit 1, nothing written.
# Prints PASS/FAIL lines. Usage: sh tests/ci/run.sh
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TF="${TF:-$TOP/build/ternforge}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "PASS $1"; }
no() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }
RECIPE="$TOP/examples/ci/verify-cores.sh"
CORE="$TOP/tests/ci/cores/tiny.xml"
XSD="$TOP/tests/ci/junit.xsd"
export TERNFORGE="$TF"
export TERNFORGE_CACHE="$TMP/cache"
cd "$TMP"

# xpath FILE EXPR: the value of an XPath expression (a count, an attribute)
xpath() { xmllint --xpath "$2" "$1" 2> /dev/null; }
# json FILE EXPR: a Python expression over the parsed JSON as d
json() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"; }
# valid NAME FILE: the report validates against the schema
valid() {
    if xmllint --noout --schema "$XSD" "$2" > "$1.xsd.log" 2>&1; then
        ok "ci/$1/junit-schema: valid JUnit XML"
    else
        no "ci/$1/junit-schema" "$1.xsd.log"
    fi
}

# ---- a passing core, not on a terminal
sh "$RECIPE" -o r1 -n 3 "$CORE" > pass.out 2> pass.err
st=$?
[ $st = 0 ] && grep -q "^verify-cores: 1 of 1 cores passed$" pass.out &&
    ok "ci/pass/status: exit 0, 1 of 1 cores passed" || no "ci/pass/status: exit $st" pass.out
valid pass r1/tiny.xml
n=$(json r1/tiny.json 'd["problems"]')
if [ "$(xpath r1/tiny.xml 'count(//testcase)')" = "$n" ] &&
    [ "$(xpath r1/tiny.xml 'string(/testsuites/testsuite/@tests)')" = "$n" ] &&
    [ "$(xpath r1/tiny.xml 'count(//failure|//error)')" = 0 ] &&
    [ "$(json r1/tiny.json 'd["status"], d["passed"], d["failed"], len(d["cases"])')" = "pass $n 0 $n" ] &&
    grep -q "^$n passed, 0 failed$" pass.out; then
    ok "ci/pass/reports: $n test cases, JSON and text agree"
else
    no "ci/pass/reports: JUnit, JSON and text disagree ($n problems)" r1/tiny.json
fi
! grep -q "sim: building" pass.err && ! grep -q "$(printf '\r')" pass.err &&
    ok "ci/pass/quiet: no progress line when stderr is not a terminal" ||
    no "ci/pass/quiet: progress output without a terminal" pass.err

# ---- the same again: a cache hit, the same bytes
# one simulator and one Verilator runtime library (folders; their lock
# files aside), nothing in the cache newer than the second run
touch stamp
sleep 1
sh "$RECIPE" -o r2 -n 3 "$CORE" > again.out 2>&1
if [ "$(find "$TERNFORGE_CACHE" -mindepth 1 -maxdepth 1 -type d | sed 's,.*/,,; s/-.*//' | sort | tr '\n' ' ')" = "sim vrt " ] &&
    [ -z "$(find "$TERNFORGE_CACHE" -newer stamp)" ] &&
    grep -q "^verify-cores: 1 of 1 cores passed$" again.out; then
    ok "ci/cache: the second run builds nothing"
else
    no "ci/cache: rebuilt on the second run" again.out
fi
cmp -s r1/tiny.xml r2/tiny.xml && cmp -s r1/tiny.json r2/tiny.json &&
    ok "ci/deterministic: the same reports byte for byte" ||
    no "ci/deterministic: the reports differ between two runs"

# ---- names that XML and JSON must escape come back exactly
odd='odd &<"name">'"'"'\.xml'
cp "$CORE" "$odd"
"$TF" sim "$odd" --vectors 1 --set keys=3 --junit odd.xml --json odd.json > odd.out 2>&1
st=$?
valid escape odd.xml
if [ $st = 0 ] && [ "$(xpath odd.xml "string(//property[@name='params']/@value)")" = "$odd" ] &&
    [ "$(json odd.json 'd["params"]')" = "$odd" ] &&
    [ "$(xpath odd.xml 'string(/testsuites/testsuite/@name)')" = "$odd keys=3 (verilator)" ]; then
    ok "ci/escape: a file name with & < > \" ' \\ comes back exactly from JUnit and JSON"
else
    no "ci/escape: exit $st, the name does not come back" odd.xml
fi

# ---- a broken core, on a terminal (it needs a build: the progress line shows)
"$TF" gen "$CORE" -o mut > /dev/null
lut=$(grep -l '^ *wire .* - ' mut/*.v | head -1)
cp "$lut" orig.v
sed -i '0,/^\( *wire .*\) - /s//\1 + /' "$lut"
if cmp -s "$lut" orig.v; then
    no "ci/mismatch: the mutant is identical to the original"
else
    script -qec "sh '$RECIPE' -o r3 -n 3 '$CORE=$TMP/mut'" /dev/null > tty.out 2>&1
    st=$?
    [ $st = 1 ] && grep -q "^verify-cores: 0 of 1 cores passed" tty.out &&
        ok "ci/mismatch/status: exit 1" || no "ci/mismatch/status: exit $st (want 1)" tty.out
    grep -q "sim: building the verilator model (.*): [0-9.]* s, done" tty.out &&
        ok "ci/progress: a progress line on a terminal" || no "ci/progress: none on a terminal" tty.out
    j=r3/tiny-mut.xml
    valid mismatch $j
    nf=$(xpath $j 'count(//failure)')
    wave=$(json r3/tiny-mut.json 'd["waveform"]')
    if [ "$nf" -gt 0 ] && [ "$(xpath $j 'string(/testsuites/testsuite/@failures)')" = "$nf" ] &&
        [ "$(xpath $j "count(//failure[starts-with(@message, 'y[') and contains(@message, ', model ') and contains(@message, 'at cycle ')])")" = "$nf" ] &&
        [ "$(xpath $j "count(//failure[contains(., 'waveform: $wave')])")" = "$nf" ] &&
        [ -s "$wave" ] && grep -q "^waveform: $wave" tty.out &&
        [ "$(json r3/tiny-mut.json 'd["status"], d["failed"], sum(c["status"] == "fail" for c in d["cases"])')" = "fail $nf $nf" ]; then
        ok "ci/mismatch/reports: $nf failures with location and an existing waveform"
    else
        no "ci/mismatch/reports: failures without location or waveform" "$j"
    fi
fi

# ---- RTL that does not compile, next to a good core
"$TF" gen "$CORE" -o broken > /dev/null
echo "this is not verilog" >> broken/$(head -1 broken/files.f)
sh "$RECIPE" -o r4 -n 3 "$CORE" "$CORE=$TMP/broken" > broken.out 2>&1
st=$?
[ $st = 3 ] && grep -q "^verify-cores: 1 of 2 cores passed$" broken.out &&
    ok "ci/error/status: exit 3, the worst status of two cores" ||
    no "ci/error/status: exit $st (want 3)" broken.out
valid error r4/tiny-broken.xml
[ "$(xpath r4/tiny-broken.xml 'count(//error)')" = 1 ] &&
    [ "$(xpath r4/tiny-broken.xml 'string(/testsuites/testsuite/@errors)')" = 1 ] &&
    [ "$(json r4/tiny-broken.json 'd["status"], d["exit_status"]')" = "error 3" ] &&
    [ "$(xpath r4/tiny-broken.xml 'string(/testsuites/testsuite/@failures)')" = 0 ] &&
    ok "ci/error/reports: one <error>, no failure, JSON status error" ||
    no "ci/error/reports" r4/tiny-broken.xml

# ---- a core that stops (never ready for weights): the harness gives up
# after a bound made from the cost model's cycle count (it waited 10^8
# cycles before) and the reports name the first problem without a result
"$TF" gen "$CORE" -o hang > /dev/null
sed -i 's/assign wgt_ready = state == S_RUN/assign wgt_ready = 1'"'"'b0 \&\& state == S_RUN/' hang/tf_top.v
if ! grep -q "assign wgt_ready = 1'b0 && state == S_RUN" hang/tf_top.v; then
    no "ci/hang: the mutant is identical to the original"
else
    timeout 300 sh "$RECIPE" -o r5 -n 3 "$CORE=$TMP/hang" > hang.out 2>&1
    st=$?
    valid hang r5/tiny-hang.xml
    [ $st = 3 ] && grep -q "error: the core stopped: no last result for job 1 of .* (problem 1, .* (a hang); log: " hang.out &&
        [ "$(xpath r5/tiny-hang.xml "count(//error[@type='hang' and starts-with(@message, 'the core stopped: no last result for job 1 of ') and contains(@message, '(problem 1, ')])")" = 1 ] &&
        [ "$(xpath r5/tiny-hang.xml 'string(/testsuites/testsuite/@failures)')" = 0 ] &&
        [ "$(json r5/tiny-hang.json 'd["status"], d["error"].startswith("the core stopped: no last result for job 1 of ")')" = "error True" ] &&
        ok "ci/hang: exit 3, an <error type=\"hang\"> naming problem 1, JSON error" ||
        no "ci/hang: exit $st (want 3 within the cycle bound)" hang.out
fi

# ---- bad input writes nothing
mkdir adir
"$TF" sim "$CORE" --vectors 1 --junit adir --json bad.json > badin.out 2>&1
st=$?
[ $st = 1 ] && grep -q "adir: error: exists and is a folder" badin.out && [ ! -e bad.json ] &&
    [ -z "$(ls adir)" ] && ok "ci/bad-input: exit 1, an error, no report" ||
    no "ci/bad-input: exit $st" badin.out
