/* Engine throughput: full estimates and parameter-only counts per second on
 * one core.  Prints figures; asserts nothing about time.
 *
 * Usage: llmem_bench_engine [seconds-per-figure]   (default 1.0)
 *        llmem_bench_engine --calls N estimate|params
 *            exactly N calls of each estimate (or parameter-count) case, no
 *            timing: for instruction counts under callgrind, which do not
 *            depend on the load of a shared machine (see bench/run.sh).
 *
 * The process pins itself to one CPU.  Each figure is the best of five
 * timed rounds (the least disturbed by other load on a shared machine); the
 * median is printed too.  Inputs vary from call to call (sequence length,
 * micro-batch, layers) so the compiler cannot hoist the work out of the loop,
 * and every result feeds a checksum that is printed.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llmem/estimate.h"
#include "llmem/model.h"
#include "llmem/workload.h"

/* Llama-3-8B (Meta's config.json: 32 layers, 4096 hidden, 32 heads, 8 KV
 * heads, 14336 gated FFN, 128256 vocab, RMSNorm, untied). */
static llm_model llama3_8b(void)
{
    llm_model m;
    memset(&m, 0, sizeof m);
    m.arch = LLM_ARCH_DECODER;
    m.layers = 32;
    m.hidden = 4096;
    m.heads = 32;
    m.kv_heads = 8;
    m.ffn = 14336;
    m.ffn_kind = LLM_FFN_GATED;
    m.vocab = 128256;
    m.pos = LLM_POS_ROTARY;
    m.max_seq = 8192;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    return m;
}

/* Mixtral-8x7B: the same skeleton with 8 experts, 2 active. */
static llm_model mixtral(void)
{
    llm_model m = llama3_8b();
    m.vocab = 32000;
    m.max_seq = 32768;
    m.experts = 8;
    m.active_experts = 2;
    return m;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef double (*bench_fn)(const llm_model *m, const llm_workload *w, uint64_t n, int *failed);

/* n full estimates (training workload, one GPU in the catalogue sense: H100-like). */
static double run_estimates(const llm_model *m, const llm_workload *w0, uint64_t n, int *failed)
{
    llm_gpu gpu;
    memset(&gpu, 0, sizeof gpu);
    strcpy(gpu.id, "h100-80gb");
    gpu.memory_bytes = 85899345920.0;
    gpu.bandwidth = 3.35e12;
    gpu.flops_16 = 989.4e12;
    gpu.flops_8 = 1978.9e12;
    gpu.flops_32 = 66.9e12;

    llm_workload w = *w0;
    llm_estimate e;
    llm_error err;
    double sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        w.seq = 1024 + ((i & 255) << 4);
        w.micro_batch = 1 + (i & 3);
        if (llm_estimate_run(m, &w, &gpu, &e, &err) != LLM_OK) {
            (*failed)++;
            continue;
        }
        sum += e.per_gpu.total + e.train_seconds;
    }
    return sum;
}

static double run_params(const llm_model *m0, const llm_workload *w, uint64_t n, int *failed)
{
    (void)w;
    llm_model m = *m0;
    llm_params p;
    double sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        m.layers = 16 + (i & 63);
        if (llm_params_count(&m, &p, NULL) != LLM_OK) {
            (*failed)++;
            continue;
        }
        sum += (double)p.total;
    }
    return sum;
}

/* Calibrates n to about `secs` per round, then times five rounds. */
static void measure(const char *label, bench_fn fn, const llm_model *m, const llm_workload *w,
                    double secs)
{
    int failed = 0;
    uint64_t n = 1000;
    double t;
    for (;;) {
        double t0 = now();
        fn(m, w, n, &failed);
        t = now() - t0;
        if (t > 0.05 || n > (1ull << 34)) break;
        n *= 4;
    }
    n = (uint64_t)((double)n * secs / t) + 1;
    double rates[5], check = 0;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        check += fn(m, w, n, &failed);
        rates[r] = (double)n / (now() - t0);
    }
    qsort(rates, 5, sizeof rates[0], cmp_double);
    printf("%-44s best %12.0f /s  median %12.0f /s  (%.1f ns/call, n=%llu, checksum %.6g)\n",
           label, rates[4], rates[2], 1e9 / rates[4], (unsigned long long)n, check);
    if (failed) printf("  WARNING: %d calls returned an error\n", failed);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--calls") == 0) {
        uint64_t n = strtoull(argv[2], NULL, 10);
        bool params = strcmp(argv[3], "params") == 0;
        llm_model dense = llama3_8b();
        llm_workload w;
        llm_workload_default(&w);
        int failed = 0;
        double sum = params ? run_params(&dense, &w, n, &failed) : run_estimates(&dense, &w, n, &failed);
        printf("%llu %s calls, checksum %.6g, %d failed\n", (unsigned long long)n, argv[3], sum,
               failed);
        return failed ? 1 : 0;
    }
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (!(secs > 0)) secs = 1.0;

    cpu_set_t set;
    CPU_ZERO(&set);
    int cpu = sched_getcpu();
    size_t cpu_index = cpu >= 0 ? (size_t)cpu : 0;
    CPU_SET(cpu_index, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) perror("sched_setaffinity");

    llm_model dense = llama3_8b(), moe = mixtral();
    llm_workload train, infer, zero3;
    llm_workload_default(&train);
    llm_workload_default(&infer);
    infer.mode = LLM_MODE_INFER;
    llm_workload_default(&zero3);
    zero3.tp = 8;
    zero3.pp = 4;
    zero3.dp = 16;
    zero3.zero = 3;
    zero3.recompute = LLM_RECOMPUTE_SELECTIVE;
    zero3.seq_parallel = true;

    printf("engine benchmark: one core, best of 5 rounds of ~%.1f s\n", secs);
    measure("estimate Llama-3-8B train (1 GPU)", run_estimates, &dense, &train, secs);
    measure("estimate Llama-3-8B infer", run_estimates, &dense, &infer, secs);
    measure("estimate Llama-3-8B tp8 pp4 dp16 zero3", run_estimates, &dense, &zero3, secs);
    measure("estimate Mixtral-8x7B train", run_estimates, &moe, &train, secs);
    measure("params only Llama-3-8B", run_params, &dense, &train, secs);
    measure("params only Mixtral-8x7B", run_params, &moe, &train, secs);
    return 0;
}
