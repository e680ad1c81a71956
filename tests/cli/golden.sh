#!/bin/sh
# Compares the command line's output with the golden files.
#   golden.sh LLMEM SOURCE_DIR [NAME]
# Runs every case of tests/cli/golden.list (or only NAME): stdout must equal
# tests/golden/cli/NAME.out byte for byte and the exit status must match.
# Never writes a golden file: tests/tools/regen-golden.sh does that.
set -u
LLMEM=$1
SRC=$2
ONLY=${3:-}
. "$SRC/tests/cli/golden-env.sh"
fail=0
n=0
while read -r name status args; do
    case $name in ''|'#'*) continue ;; esac
    [ -n "$ONLY" ] && [ "$name" != "$ONLY" ] && continue
    n=$((n + 1))
    args=$(printf '%s' "$args" | sed "s#@SRC@#$SRC#g")
    golden="$SRC/tests/golden/cli/$name.out"
    # shellcheck disable=SC2086 # ARGS are split on spaces on purpose
    golden_run "$LLMEM" $args >"$WORK/raw" 2>"$WORK/err"
    rc=$?
    sed "s#$SRC#@SRC@#g" "$WORK/raw" >"$WORK/out" # as regen-golden.sh writes it
    if [ ! -f "$golden" ]; then
        echo "FAIL $name: no golden file $golden (run tests/tools/regen-golden.sh)"
        fail=1
        continue
    fi
    if [ "$rc" != "$status" ]; then
        echo "FAIL $name: exit status $rc, expected $status; stderr:"
        sed 's/^/    /' "$WORK/err"
        fail=1
    fi
    if ! cmp -s "$WORK/out" "$golden"; then
        echo "FAIL $name: stdout differs from $golden:"
        diff -u "$golden" "$WORK/out" | head -40
        fail=1
    fi
    if [ "$status" = 0 ] && [ -s "$WORK/err" ]; then
        echo "FAIL $name: unexpected stderr:"
        sed 's/^/    /' "$WORK/err"
        fail=1
    fi
done <"$SRC/tests/cli/golden.list"
if [ "$n" = 0 ]; then
    echo "FAIL: no golden case ran"
    exit 1
fi
[ "$fail" = 0 ] && echo "ok: $n golden outputs"
exit "$fail"
