#!/bin/sh
# Regenerates the command line's golden files -- the ONLY way they change.
#   tests/tools/regen-golden.sh BUILD_DIR [NAME...]
# Writes tests/golden/cli/NAME.out for every case of tests/cli/golden.list
# (or only the NAMEs given), then shows `git diff --stat` of the directory.
# Read every changed file before committing it: a golden file is a claim that
# the numbers in it are right (cross-check them against published figures).
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [NAME...]" >&2
    exit 2
fi
BUILD=$1
shift
SRC=$(cd "$(dirname "$0")/../.." && pwd)
LLMEM="$BUILD/llmem"
[ -x "$LLMEM" ] || { echo "$0: no llmem binary in $BUILD" >&2; exit 2; }
. "$SRC/tests/cli/golden-env.sh"
mkdir -p "$SRC/tests/golden/cli"
count=0
while read -r name status args; do
    case $name in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ]; then
        wanted=0
        for w in "$@"; do [ "$w" = "$name" ] && wanted=1; done
        [ "$wanted" = 1 ] || continue
    fi
    args=$(printf '%s' "$args" | sed "s#@SRC@#$SRC#g")
    set +e
    # shellcheck disable=SC2086
    golden_run "$LLMEM" $args >"$WORK/out" 2>"$WORK/err"
    rc=$?
    set -e
    if [ "$rc" != "$status" ]; then
        echo "$name: exit status $rc, expected $status (golden.list); stderr:" >&2
        cat "$WORK/err" >&2
        exit 1
    fi
    # the source path must not leak into a golden file (it differs per checkout)
    sed "s#$SRC#@SRC@#g" "$WORK/out" >"$SRC/tests/golden/cli/$name.out"
    count=$((count + 1))
done <"$SRC/tests/cli/golden.list"
echo "wrote $count golden file(s) in tests/golden/cli/"
if command -v git >/dev/null 2>&1; then
    git -C "$SRC" status --short -- tests/golden/cli | head -50
fi
