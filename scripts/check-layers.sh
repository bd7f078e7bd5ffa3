#!/bin/sh
# check-layers.sh - the source folders are layers, each using only itself
# and the layers before it:
#     common <- model <- gen <- sim <- explore <- cli
# (common: parameters, numbers, inventories; model: the kinds' C models,
# derivation and the cost model; gen: Verilog; sim: simulators and
# synthesis; explore: sweeps; cli: the commands). Fails, naming the line,
# when a file includes a header of a later folder (or one it cannot find).
# `make test` runs it. Usage: sh scripts/check-layers.sh
cd "$(dirname "$0")/.." || exit 2
LAYERS="common model gen sim explore cli"
rank() { i=0; for l in $LAYERS; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo -1; }


for f in $(git ls-files --cached --others --exclude-standard $LAYERS | grep -E '\.(c|h|def)$'); do
    dir=${f%/*}
    me=$(rank "${f%%/*}")
    # includes of the form #include "x.h" (system headers are not ours)
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS=: read -r line text; do
        h=$(echo "$text" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
        # the compiler's order: the including file's folder, then -Icommon
        if [ -e "$dir/$h" ]; then
            t=$(realpath -m --relative-to=. "$dir/$h")
        elif [ -e "common/$h" ]; then
            t=common/$h
        else
            echo "$f:$line: #include \"$h\": not found in $dir/ or common/"
            continue
        fi
        r=$(rank "${t%%/*}")
        if [ "$r" -lt 0 ] || [ "$r" -gt "$me" ]; then
            echo "$f:$line: #include \"$h\" ($t): ${f%%/*}/ must not use ${t%%/*}/ (layers: $LAYERS)"
        fi
    done
done > "${TMPDIR:-/tmp}/check-layers.$$"
# The same for symbols: an object of a layer may use only functions and
# data defined in its own layer or before it (a hand-written declaration
# would pass the include check). Needs the objects: BUILD (default build).
B=${BUILD:-build}
if [ -d "$B/common" ]; then
    for l in $LAYERS; do
        for c in $(git ls-files --cached --others --exclude-standard "$l" | grep '\.c$'); do
            o=$B/${c%.c}.o
            [ -e "$o" ] || continue
            nm -g --defined-only "$o" | awk -v l="$l" '{ print "D", $3, l }'
            nm -u "$o" | awk -v l="$l" -v o="$o" '{ print "U", $2, l, o }'
        done
    done > "${TMPDIR:-/tmp}/check-layers-syms.$$"
    nm -g --defined-only "$B/templates.o" | awk '{ print "D", $3, "common" }' \
        >> "${TMPDIR:-/tmp}/check-layers-syms.$$"
    awk -v layers="$LAYERS" '
        BEGIN { n = split(layers, a, " "); for (i = 1; i <= n; i++) rank[a[i]] = i }
        $1 == "D" { def[$2] = $3; next }
        { use[++u] = $0 }
        END {
            for (i = 1; i <= u; i++) {
                split(use[i], f, " ")
                if ((f[2] in def) && rank[def[f[2]]] > rank[f[3]])
                    printf "%s: uses %s of %s/: %s/ must not use %s/ (layers: %s)\n", f[4], f[2], def[f[2]], f[3], def[f[2]], layers
            }
        }' "${TMPDIR:-/tmp}/check-layers-syms.$$" >> "${TMPDIR:-/tmp}/check-layers.$$"
    rm -f "${TMPDIR:-/tmp}/check-layers-syms.$$"
fi
n=$(wc -l < "${TMPDIR:-/tmp}/check-layers.$$")
cat "${TMPDIR:-/tmp}/check-layers.$$"
rm -f "${TMPDIR:-/tmp}/check-layers.$$"
if [ "$n" -ne 0 ]; then
    echo "check-layers: $n include(s) or symbol(s) break the layering"
    exit 1
fi
echo "check-layers: ok ($LAYERS)"
