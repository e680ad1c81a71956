/* Extreme shapes and workloads through the engine (issue 8, hostile input):
 * 10^6 layers, hidden 10^7, sequence 10^9, 10^6 GPUs.  Each gives either the
 * correct large number or a clear error (a code and a message) -- never a
 * wrapped count, a negative figure or a NaN.
 *
 * Expected values are worked by hand from docs/formulas.md on Llama-3-8B
 * (Meta's config.json: L 32, h 4096, a 32 heads, k 8 KV heads, d 128,
 * f 14336 gated, V 128256, RMSNorm, untied):
 *   attention per layer  h·a·d + 2·h·k·d + a·d·h = 16,777,216·2 + 8,388,608 = 41,943,040
 *   MLP per layer        3·h·f                    = 176,160,768
 *   norms per layer      2·h                      = 8,192
 *   one layer                                     = 218,112,000
 *   embedding + LM head  2·V·h = 1,050,673,152; final norm h = 4,096
 *   32 layers: 6,979,584,000 + 1,050,677,248 = 8,030,261,248 (the published count)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "llmem/model.h"
#include "llmem/workload.h"
#include "engine_test.h"

static llm_gpu h100(void)
{
    llm_gpu g;
    memset(&g, 0, sizeof g);
    strcpy(g.id, "h100-80gb");
    g.memory_bytes = 85899345920.0;
    g.bandwidth = 3.35e12;
    g.flops_16 = 989.4e12;
    g.flops_8 = 1978.9e12;
    g.flops_32 = 66.9e12;
    return g;
}

static void check_figure(const char *what, double v)
{
    if (!isfinite(v) || v < 0) fail_msg("%s = %g (must be finite and not negative)", what, v);
}

static void check_memory(const char *which, const llm_memory *m)
{
    char name[64];
    const double f[] = {m->weights,  m->gradients, m->optimizer, m->activations,
                        m->kv_cache, m->overhead,  m->total};
    const char *n[] = {"weights", "gradients", "optimizer", "activations",
                       "kv_cache", "overhead", "total"};
    for (size_t i = 0; i < 7; i++) {
        snprintf(name, sizeof name, "%s.%s", which, n[i]);
        check_figure(name, f[i]);
    }
    double parts = m->weights + m->gradients + m->optimizer + m->activations + m->kv_cache +
                   m->overhead;
    /* Fragmentation may add to the total, never subtract from it. */
    if (m->total < parts * (1 - 1e-12))
        fail_msg("%s.total %.17g below the sum of its parts %.17g", which, m->total, parts);
}

/* Every figure of a successful estimate is finite and not negative. */
static void check_estimate(const llm_estimate *e)
{
    check_memory("per_gpu", &e->per_gpu);
    check_memory("cluster", &e->cluster);
    check_figure("kv_bytes_per_token", e->kv_bytes_per_token);
    check_figure("act_bytes_per_layer", e->act_bytes_per_layer);
    check_figure("flops_per_token", e->flops_per_token);
    check_figure("train_flops", e->train_flops);
    check_figure("train_seconds", e->train_seconds);
    check_figure("prefill_seconds", e->prefill_seconds);
    check_figure("prefill_tokens_per_s", e->prefill_tokens_per_s);
    check_figure("decode_tokens_per_s", e->decode_tokens_per_s);
    check_figure("decode_intensity", e->decode_intensity);
    if (e->params.active > e->params.total) fail_msg("active params above total");
}

/* Runs the estimate; on an error, checks it is a clear one. */
static llm_code run_checked(const llm_model *m, const llm_workload *w, llm_estimate *e)
{
    llm_gpu g = h100();
    llm_error err;
    memset(&err, 0, sizeof err);
    llm_code rc = llm_estimate_run(m, w, &g, e, &err);
    if (rc == LLM_OK) {
        check_estimate(e);
    } else {
        assert_true(strlen(err.message) > 10);
        assert_int_equal(err.code, rc);
    }
    return rc;
}

static void assert_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s: got %.17g, expected %.17g (relative tolerance %g)", what, got, want, tol);
}

/* 10^6 layers: 10^6 x 218,112,000 + 1,050,677,248 = 218,113,050,677,248
 * parameters (fits 64 bits); bf16 weights 436,226,101,354,496 bytes (below
 * 2^53, exact in a double); KV per token 2·L·k·d·2 = 4,096,000,000 bytes. */
static void test_million_layers(void **state)
{
    (void)state;
    llm_model m = *ref("llama-3-8b");
    m.layers = 1000000;
    llm_params p;
    llm_error err;
    llm_code rc = llm_params_count(&m, &p, &err);
    if (rc != LLM_OK) {
        /* Allowed, if clear; say so in the log so the choice is visible. */
        print_message("layers=1e6 refused: %s\n", err.message);
        assert_true(strlen(err.message) > 10);
        return;
    }
    assert_int_equal(p.total, 218113050677248ull);

    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.seq = 2048;
    llm_estimate e;
    if (run_checked(&m, &w, &e) != LLM_OK) return;
    assert_int_equal(e.params.total, 218113050677248ull);
    assert_true(e.per_gpu.weights == 436226101354496.0);
    assert_true(e.kv_bytes_per_token == 4096000000.0);
    /* 2048 tokens x 4,096,000,000 = 8,388,608,000,000 bytes of KV cache. */
    assert_true(e.per_gpu.kv_cache == 8388608000000.0);
}

/* hidden 10^7 (32 heads of 312,500): attention 2h² + 2·h·8·312,500 = 2.5e14,
 * MLP 3·10^7·14,336 = 430,080,000,000, norms 2·10^7 -> 250,430,100,000,000
 * per layer; x32 + 2·V·h (2,565,120,000,000) + h = 8,016,328,330,000,000. */
static void test_hidden_ten_million(void **state)
{
    (void)state;
    llm_model m = *ref("llama-3-8b");
    m.hidden = 10000000;
    llm_params p;
    llm_error err;
    if (llm_params_count(&m, &p, &err) != LLM_OK) {
        print_message("hidden=1e7 refused: %s\n", err.message);
        assert_true(strlen(err.message) > 10);
        return;
    }
    assert_int_equal(p.total, 8016328330000000ull);
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    llm_estimate e;
    if (run_checked(&m, &w, &e) != LLM_OK) return;
    /* 1.6e16 bytes is above 2^53: the double is the nearest representable. */
    assert_rel(e.per_gpu.weights, 16032656660000000.0, 1e-15, "weights");
}

/* Both at once: about 2.5e20 parameters, more than 2^64 (1.8e19) -- no
 * 64-bit count is right, so the only correct answer is an error. */
static void test_overflowing_shape_is_an_error(void **state)
{
    (void)state;
    llm_model m = *ref("llama-3-8b");
    m.layers = 1000000;
    m.hidden = 10000000;
    llm_params p;
    llm_error err;
    memset(&err, 0, sizeof err);
    llm_code rc = llm_params_count(&m, &p, &err);
    assert_int_not_equal(rc, LLM_OK);
    assert_true(strlen(err.message) > 10);

    llm_workload w;
    llm_workload_default(&w);
    llm_estimate e;
    assert_int_not_equal(run_checked(&m, &w, &e), LLM_OK);

    /* Vocabulary 2^40 x hidden 2^25: the embedding alone is 2^65. */
    m = *ref("llama-3-8b");
    m.vocab = 1ull << 40;
    m.hidden = 1ull << 25;
    m.heads = 32;
    rc = llm_params_count(&m, &p, &err);
    assert_int_not_equal(rc, LLM_OK);
}

/* Sequence 10^9 at inference: KV cache 131,072 bytes per token (formulas.md §4,
 * Llama-3-8B bf16) x 10^9 = 131,072,000,000,000 bytes. */
static void test_billion_token_sequence(void **state)
{
    (void)state;
    llm_model m = *ref("llama-3-8b");
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.seq = 1000000000;
    llm_estimate e;
    if (run_checked(&m, &w, &e) != LLM_OK) return;
    assert_true(e.kv_bytes_per_token == 131072.0);
    assert_true(e.per_gpu.kv_cache == 131072000000000.0);
    assert_true(e.per_gpu.weights == 16060522496.0);

    /* Training at 10^9 tokens per sequence, with and without FlashAttention
     * (without it the a·s² score term is about 5·a·s² = 1.6e20 bytes per layer):
     * finite, and more memory than at 10^6 tokens. */
    for (int flash = 0; flash <= 1; flash++) {
        llm_workload t;
        llm_workload_default(&t);
        t.flash = flash != 0;
        t.seq = 1000000;
        llm_estimate small;
        if (run_checked(&m, &t, &small) != LLM_OK) continue;
        t.seq = 1000000000;
        if (run_checked(&m, &t, &e) != LLM_OK) continue;
        assert_true(e.per_gpu.activations > small.per_gpu.activations);
        assert_true(e.per_gpu.total > small.per_gpu.total);
    }
}

/* 10^6 GPUs of data parallelism with ZeRO-3 (ZeRO paper: model states
 * (2 + 2 + 12)·Ψ / N_d per GPU): bf16 weights 2·8,030,261,248 / 10^6 =
 * 16,060.5 bytes, optimizer 12·Ψ / 10^6 = 96,363.1 bytes per GPU; summed over
 * the cluster the weights are one full copy, 16,060,522,496 bytes. */
static void test_million_gpus(void **state)
{
    (void)state;
    llm_model m = *ref("llama-3-8b");
    llm_workload w;
    llm_workload_default(&w);
    w.dp = 1000000;
    w.zero = 3;
    w.gpus = 1000000;
    llm_estimate e;
    if (run_checked(&m, &w, &e) != LLM_OK) return;
    assert_int_equal(e.gpus, 1000000);
    assert_rel(e.per_gpu.weights, 2.0 * 8030261248.0 / 1e6, 0.01, "per-GPU weights");
    assert_rel(e.per_gpu.optimizer, 12.0 * 8030261248.0 / 1e6, 0.01, "per-GPU optimizer");
    assert_rel(e.cluster.weights, 2.0 * 8030261248.0, 0.01, "cluster weights");
    assert_true(e.train_seconds > 0);

    /* The same count as tp 8 x pp 4 x dp 31,250. */
    w.tp = 8;
    w.pp = 4;
    w.dp = 31250;
    if (run_checked(&m, &w, &e) != LLM_OK) return;
    assert_int_equal(e.gpus, 1000000);
}

/* Every combination of extremes: an error with a message, or figures that are
 * finite and not negative (checked inside run_checked()). */
static void test_grid_of_extremes(void **state)
{
    (void)state;
    const uint64_t layers[] = {1, 32, 1000000};
    const uint64_t hidden[] = {64, 4096, 10000000};
    const uint64_t seqs[] = {1, 8192, 1000000000};
    const uint32_t dps[] = {1, 1000000};
    int ok = 0, refused = 0;
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++)
            for (size_t c = 0; c < 3; c++)
                for (size_t d = 0; d < 2; d++)
                    for (int mode = 0; mode <= LLM_MODE_INFER; mode++)
                        for (uint32_t zero = 0; zero <= 3; zero += 3) {
                            llm_model m = *ref("llama-3-8b");
                            m.layers = layers[a];
                            m.hidden = hidden[b];
                            llm_workload w;
                            llm_workload_default(&w);
                            w.mode = (llm_mode)mode;
                            w.seq = seqs[c];
                            w.dp = dps[d];
                            w.zero = zero;
                            w.recompute = (llm_recompute)(c % 3);
                            llm_estimate e;
                            if (run_checked(&m, &w, &e) == LLM_OK) ok++;
                            else refused++;
                        }
    print_message("extreme grid: %d estimates, %d clear refusals\n", ok, refused);
    assert_true(ok > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_million_layers),
        cmocka_unit_test(test_hidden_ten_million),
        cmocka_unit_test(test_overflowing_shape_is_an_error),
        cmocka_unit_test(test_billion_token_sequence),
        cmocka_unit_test(test_million_gpus),
        cmocka_unit_test(test_grid_of_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
