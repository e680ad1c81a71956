/* Invariants shared by the fuzz targets: whatever a loader accepted, the
 * engine must either refuse it with an error value or give figures that are
 * finite and not negative.  A violation aborts (libFuzzer records the input). */
#ifndef LLMEM_FUZZ_CHECK_H
#define LLMEM_FUZZ_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmem/estimate.h"

static void fuzz_fail(const char *what, double v)
{
    fprintf(stderr, "fuzz invariant violated: %s = %g\n", what, v);
    abort();
}

static void fuzz_check_figure(const char *what, double v)
{
    if (!isfinite(v) || v < 0) fuzz_fail(what, v);
}

static void fuzz_check_memory(const char *which, const llm_memory *m)
{
    char name[64];
    const double *f[] = {&m->weights,  &m->gradients, &m->optimizer, &m->activations,
                         &m->kv_cache, &m->overhead,  &m->total};
    const char *n[] = {"weights", "gradients", "optimizer", "activations",
                       "kv_cache", "overhead", "total"};
    for (size_t i = 0; i < 7; i++) {
        snprintf(name, sizeof name, "%s.%s", which, n[i]);
        fuzz_check_figure(name, *f[i]);
    }
}

/* An H100 SXM5 (values of presets/gpus.yaml), so times are computed too. */
static const llm_gpu *fuzz_gpu(void)
{
    static llm_gpu g;
    if (g.memory_bytes == 0.0) {
        strcpy(g.id, "h100-80gb");
        strcpy(g.name, "H100 SXM5 80GB");
        g.memory_bytes = 85899345920.0;
        g.bandwidth = 3.35e12;
        g.flops_16 = 989.4e12;
        g.flops_8 = 1978.9e12;
        g.flops_32 = 66.9e12;
    }
    return &g;
}

static void fuzz_check_config(const llm_model *m, const llm_workload *w)
{
    llm_params p;
    llm_error err;
    if (llm_params_count(m, &p, &err) == LLM_OK) {
        if (p.active > p.total) fuzz_fail("params.active above params.total", (double)p.active);
    } else if (err.message[0] == 0) {
        fuzz_fail("params_count error without a message", 0);
    }
    llm_estimate e;
    if (llm_estimate_run(m, w, fuzz_gpu(), &e, &err) != LLM_OK) {
        if (err.message[0] == 0) fuzz_fail("estimate error without a message", 0);
        return;
    }
    fuzz_check_memory("per_gpu", &e.per_gpu);
    fuzz_check_memory("cluster", &e.cluster);
    fuzz_check_figure("kv_bytes_per_token", e.kv_bytes_per_token);
    fuzz_check_figure("flops_per_token", e.flops_per_token);
    fuzz_check_figure("train_flops", e.train_flops);
    fuzz_check_figure("train_seconds", e.train_seconds);
    fuzz_check_figure("prefill_tokens_per_s", e.prefill_tokens_per_s);
    fuzz_check_figure("decode_tokens_per_s", e.decode_tokens_per_s);
}

#endif
