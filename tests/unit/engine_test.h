/* Helpers shared by the engine's unit tests (include after <cmocka.h>). */
#ifndef LLMEM_TESTS_ENGINE_TEST_H
#define LLMEM_TESTS_ENGINE_TEST_H

#include <stdio.h>
#include <string.h>

#include "llmem/estimate.h"
#include "reference_models.h"

/* A reference model's shape by name (tests/fixtures/reference/models.json). */
static inline const llm_model *ref(const char *name)
{
    for (size_t i = 0; i < sizeof reference_models / sizeof reference_models[0]; i++)
        if (strcmp(reference_models[i].name, name) == 0) return &reference_models[i].m;
    fail_msg("no reference model %s", name);
    return NULL;
}

/* A GPU with just what the engine reads: capacity (bytes), bandwidth (B/s)
 * and the dense 16-bit peak (FLOP/s). */
static inline llm_gpu test_gpu(const char *id, double memory_bytes, double bandwidth,
                               double flops_16)
{
    llm_gpu g;
    memset(&g, 0, sizeof g);
    snprintf(g.id, sizeof g.id, "%s", id);
    g.memory_bytes = memory_bytes;
    g.bandwidth = bandwidth;
    g.flops_16 = flops_16;
    return g;
}

/* An estimate that must succeed; gpu may be NULL. */
static inline llm_estimate run_on(const llm_model *m, const llm_workload *w, const llm_gpu *g)
{
    llm_estimate e;
    llm_error err;
    memset(&err, 0, sizeof err);
    if (llm_estimate_run(m, w, g, &e, &err) != LLM_OK) fail_msg("%s", err.message);
    return e;
}

static inline llm_estimate run(const llm_model *m, const llm_workload *w)
{
    return run_on(m, w, NULL);
}

/* The default workload switched to inference at seq x batch. */
static inline llm_workload infer(uint64_t seq, uint64_t batch)
{
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.seq = seq;
    w.micro_batch = batch;
    return w;
}

/* Exact byte figures: doubles that hold whole numbers compare exactly. */
#define EXPECT_BYTES(got, want)                                                              \
    do {                                                                                     \
        double g_ = (got), w_ = (want);                                                      \
        if (g_ != w_) fail_msg("%s = %.3f, expected %.3f", #got, g_, w_);                   \
    } while (0)

#endif
