#!/usr/bin/env bash
# Runs every benchmark and prints the figures with the machine and commit.
#   bench/run.sh                     configure + build build-bench (Release), then run
#   bench/run.sh --build DIR         use an existing build (what `cmake --build DIR --target bench` does)
#   bench/run.sh --quick [...]       short runs (used by the slow smoke test)
# Prints figures only: nothing here asserts on time.  Exit status is non-zero
# when a program crashed, hung or failed, not when a figure misses a target.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
build=""
quick=""
secs=1.0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --quick) quick="--quick"; secs=0.2; shift ;;
    *) echo "usage: $0 [--build DIR] [--quick]" >&2; exit 2 ;;
  esac
done
if [ -z "$build" ]; then
  build="$src/build-bench"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target llmem llmem_bench_engine llmem_bench_term >/dev/null
fi
build="$(cd "$build" && pwd)"
py=/usr/bin/python3

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:  $(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)$(test -z "$(git -C "$src" status --porcelain 2>/dev/null)" || echo ' (working tree modified)')"
echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc) (load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "kernel:  $(uname -sr)"
cc_path="$(grep -m1 '^CMAKE_C_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2)"
echo "build:   $(grep -m1 '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" | cut -d= -f2) with $("$cc_path" --version | head -n1) $(grep -m1 '^LLMEM_SANITIZE:' "$build/CMakeCache.txt" | sed 's/.*=ON/(sanitizers ON: figures not representative)/;s/.*=OFF//')"
echo
echo "== engine (C, one core)"
"$build/bench/llmem_bench_engine" "$secs"
if [ -z "$quick" ] && command -v valgrind >/dev/null; then
  # Instructions per call, counted by callgrind inside the call only: a figure
  # that does not move with the load of a shared machine.
  for what in estimate:llm_estimate_run params:llm_params_count; do
    kind="${what%%:*}"; fn="${what#*:}"; n=20000
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
           --toggle-collect="$fn" "$build/bench/llmem_bench_engine" --calls $n "$kind" 2>&1 |
         sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    awk -v ir="$ir" -v n=$n -v f="$fn" 'BEGIN { printf "callgrind: %s on Llama-3-8B: %.0f instructions per call (%d calls)\n", f, ir / n, n }'
  done
fi
echo
echo "== the same calculation in plain Python (bench/estimator.py, ours; $($py --version 2>&1))"
"$py" "$src/bench/estimator.py" bench "$secs"
rows=$([ -n "$quick" ] && echo 20000 || echo 200000)
t0=$(date +%s.%N); "$py" "$src/bench/estimator.py" sweep "$rows" >/dev/null; t1=$(date +%s.%N)
awk -v r="$rows" -v a="$t0" -v b="$t1" 'BEGIN { printf "python sweep: %d CSV rows to /dev/null in %.3f s = %.0f rows/s\n", r, b - a, r / (b - a) }'
echo
echo "== command line and explorer"
"$build/bench/llmem_bench_term" "$build/llmem" $quick
