#!/bin/sh
# docs.sh - the option tables of the commands (cli/*.c) against what
# documents them: docs/cli.md is `ternforge help --markdown`; the synopsis
# of `ternforge help CMD` and CMD's row of README.md's command table name
# every option of the table and no other; `ternforge CMD ...` lines in
# README.md and docs/ use only CMD's options. Prints PASS/FAIL lines.
#   sh tests/cli/docs.sh [TF [README [DOCDIR]]]
set -u
cd "$(dirname "$0")/../.." || exit 2
TF=${1:-build/ternforge}
README=${2:-README.md}
DOCS=${3:-docs}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ternforge-docs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# The option names in text on stdin, one per line, sorted: words that
# start with - or -- after a blank, '[', '(', '|' or '`'.
opts() {
    sed 's/\\|/ /g' | grep -o '\(^\|[][ (|`]\)--*[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

"$TF" help --markdown > "$TMP/cli.md" || { echo "FAIL help --markdown: exit status $?"; exit 0; }
if diff -u "$DOCS/cli.md" "$TMP/cli.md" > "$TMP/cli.diff"; then
    echo "PASS docs/cli.md is 'ternforge help --markdown'"
else
    echo "FAIL docs/cli.md differs from 'ternforge help --markdown' (regenerate it)"
    sed 's/^/    /' "$TMP/cli.diff" | head -20
fi

# Per command, its options as the table lists them (first cells of the
# argument table of its section), one line per option with all its
# forms ("-v --verbose").
awk -F'|' '
    /^## [a-z]*: / { c = substr($0, 4); sub(/:.*/, "", c); print c > (dir "/commands"); next }
    /^\| `-/ {
        cell = $2; out = ""
        while (match(cell, /(^|[ `])--?[a-z][a-z0-9-]*/)) {
            t = substr(cell, RSTART, RLENGTH); sub(/^[ `]/, "", t); out = out " " t
            cell = substr(cell, RSTART + RLENGTH)
        }
        print substr(out, 2) > (dir "/" c ".alts")
    }' dir="$TMP" "$TMP/cli.md"

# missing ALTS TOKENS: the first form of each option none of whose forms
# is among the tokens. extra ALTS TOKENS: tokens that are no option.
missing() { awk 'FILENAME == ARGV[1] { have[$0] = 1; next } { for (i = 1; i <= NF; i++) if ($i in have) next; printf "%s ", $1 }' "$2" "$1"; }
extra() { awk 'FILENAME == ARGV[1] { for (i = 1; i <= NF; i++) known[$i] = 1; next } !($0 in known) { printf "%s ", $0 }' "$1" "$2"; }

while read -r c; do
    touch "$TMP/$c.alts"
    tr ' ' '\n' < "$TMP/$c.alts" | sort -u > "$TMP/$c.opts"
    # the synopsis: help's lines up to the first blank one
    "$TF" help "$c" | sed '/^$/q' | opts > "$TMP/$c.syn"
    m=$(missing "$TMP/$c.alts" "$TMP/$c.syn"); x=$(extra "$TMP/$c.alts" "$TMP/$c.syn")
    if [ -z "$m$x" ]; then
        echo "PASS help $c: the synopsis names every option of the table"
    else
        echo "FAIL help $c: synopsis misses: ${m:-none}; names options not in the table: ${x:-none}"
    fi

    # README.md: the command table's row, "| `CMD ..." (both cells)
    row=$(grep -m1 "^| \`$c[ \`]" "$README")
    if [ -z "$row" ]; then
        echo "FAIL README.md: no row for '$c' in the command table"
        continue
    fi
    printf '%s\n' "$row" | opts > "$TMP/$c.readme"
    # --set: "Every command that reads a parameter file takes --set"
    grep -qx -- --set "$TMP/$c.opts" && grep -q 'takes `--set NAME=VALUE`' "$README" &&
        echo --set >> "$TMP/$c.readme"
    m=$(missing "$TMP/$c.alts" "$TMP/$c.readme"); x=$(extra "$TMP/$c.alts" "$TMP/$c.readme")
    if [ -z "$m$x" ]; then
        echo "PASS README.md: the row of '$c' names every option of the table"
    else
        echo "FAIL README.md: the row of '$c' misses: ${m:-none}; names options '$c' does not take: ${x:-none}"
    fi
done < "$TMP/commands"

# `ternforge CMD ...` in README.md and docs/*.md: only CMD's options (what
# follows the command on that line, up to a quote or backtick).
while read -r c; do sed "s/^/$c /" "$TMP/$c.opts"; done < "$TMP/commands" > "$TMP/all.opts"
for f in "$README" "$DOCS"/*.md; do
    [ "$f" != "$DOCS/cli.md" ] && printf '%s\n' "$f"
done | xargs awk '
    FILENAME == opts { ok[$1 " " $2] = 1; cmd[$1] = 1; next }
    {
        s = $0
        while (match(s, /ternforge [a-z]+/)) { c = substr(s, RSTART + 10, RLENGTH - 10); s = substr(s, RSTART + RLENGTH) }
        if (!(c in cmd)) { c = ""; next }
        sub(/["\047`].*/, "", s)
        while (match(s, /(^|[][ (|])--?[a-z][a-z0-9-]*/)) {
            t = substr(s, RSTART, RLENGTH); sub(/^[^-]*/, "", t); s = substr(s, RSTART + RLENGTH)
            if (!((c " " t) in ok)) print FILENAME ":" FNR ": \047" c "\047 takes no option " t
        }
        c = ""
    }' opts="$TMP/all.opts" "$TMP/all.opts" > "$TMP/lines"
if [ -s "$TMP/lines" ]; then
    echo "FAIL README.md and docs/ name options their command does not take:"
    sed 's/^/    /' "$TMP/lines"
else
    echo "PASS README.md and docs/: every 'ternforge CMD --option' is an option of CMD"
fi
