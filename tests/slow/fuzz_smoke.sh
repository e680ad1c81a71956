#!/usr/bin/env bash
# Fuzz smoke runs for the slow label.
#   fuzz_smoke.sh build SRC BUILD           build the three fuzzers
#   fuzz_smoke.sh run SRC BUILD NAME [SECS] run fuzz_NAME for SECS seconds (default 60)
# When BUILD was configured with -DLLMEM_FUZZ=ON (clang) its fuzzers are used;
# otherwise a clang sub-build is made in BUILD/fuzz-sub.  Each fuzzer keeps
# its corpus in BUILD/fuzz-corpus/NAME and reads the seeds in place from
# presets/, tests/fixtures/ and tests/fuzz/corpus/.  A crash, leak, timeout or
# sanitizer report fails the test and leaves the input in BUILD/fuzz-artifacts/.
set -euo pipefail
what="$1"; src="$2"; build="$3"
fuzz_dir() {
  if [ -x "$build/tests/fuzz_settings" ]; then echo "$build/tests"; else echo "$build/fuzz-sub/tests"; fi
}

if [ "$what" = build ]; then
  if grep -q '^LLMEM_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    cmake --build "$build" --target llmem_fuzzers -j2
  else
    command -v clang >/dev/null || { echo "clang not installed"; exit 1; }
    # libFuzzer and the sanitizer runtimes come with libclang-rt-14-dev (only
    # Recommended by clang-14, so absent after --no-install-recommends).
    probe="$(mktemp -d)"
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$probe/p.c"
    if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
      echo "clang cannot link -fsanitize=fuzzer: install libclang-rt-14-dev"; cat "$probe/err"; rm -rf "$probe"; exit 1
    fi
    rm -rf "$probe"
    CC=clang cmake -S "$src" -B "$build/fuzz-sub" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLLMEM_FUZZ=ON -DBUILD_TESTING=ON >/dev/null
    cmake --build "$build/fuzz-sub" --target llmem_fuzzers -j2
  fi
  exit 0
fi

name="$4"; secs="${5:-60}"
bin="$(fuzz_dir)/fuzz_$name"
[ -x "$bin" ] || { echo "no fuzzer $bin: run '$0 build' first"; exit 1; }
corpus="$build/fuzz-corpus/$name"; art="$build/fuzz-artifacts"
mkdir -p "$corpus" "$art"
case "$name" in
  presets)   seeds=("$src/presets" "$src/tests/fixtures"); dict=yaml.dict; max=65536 ;;
  hf_config) seeds=("$src/tests/fixtures"); dict=json.dict; max=16384 ;;
  settings)  seeds=("$src/tests/fuzz/corpus/settings"); dict=settings.dict; max=512 ;;
  *) echo "unknown fuzzer $name"; exit 2 ;;
esac
existing=()
for d in "${seeds[@]}"; do [ -d "$d" ] && existing+=("$d"); done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
set +e
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max" \
  -dict="$src/tests/fuzz/$dict" -artifact_prefix="$art/$name-" -print_final_stats=1 \
  "$corpus" "${existing[@]}" 2>"$build/fuzz-$name.log"
rc=$?
set -e
tail -n 25 "$build/fuzz-$name.log"
if [ $rc -ne 0 ]; then
  echo "fuzz_$name FAILED (status $rc); inputs:"
  for f in "$art/$name"-*; do
    [ -f "$f" ] || continue
    echo "--- $f ($(stat -c %s "$f") bytes)"; head -c 600 "$f" | od -c | head -n 20
  done
  exit 1
fi
