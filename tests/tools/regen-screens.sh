#!/bin/sh
# Regenerates the golden screens under tests/golden/screens/ from the real
# explorer (headless).  The ONLY way those files are written.  Look at every
# changed screen (git diff tests/golden/screens) before committing.
#
#   tests/tools/regen-screens.sh [BUILD_DIR]     (default: build)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
cmake --build "$build" --target tui_test_tui_golden
LLMEM_REGEN_SCREENS=1 "$build/tests/tui_test_tui_golden" >/dev/null
echo "regenerated: $(ls "$here/tests/golden/screens" | wc -l) files in tests/golden/screens"
echo "now look at them: git diff --stat tests/golden/screens; less tests/golden/screens/*.txt"
