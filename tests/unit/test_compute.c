/* Compute: FLOPs, training time, prefill/decode roofline (docs/formulas.md §6).
 * GPU figures below are the test's own round numbers, not a catalogue entry. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "engine_test.h"

static void near(double got, double want, double rel)
{
    if (fabs(got - want) > rel * fabs(want)) fail_msg("got %.9g, expected %.9g", got, want);
}

/* An H100-like GPU in round numbers: 1e15 FLOP/s bf16, 2e15 fp8, 5e13 fp32,
 * 3e12 B/s, 80e9 B. */
static llm_gpu gpu(void)
{
    llm_gpu g;
    memset(&g, 0, sizeof g);
    strcpy(g.id, "test-gpu");
    g.memory_bytes = 80e9;
    g.bandwidth = 3e12;
    g.flops_16 = 1e15;
    g.flops_8 = 2e15;
    g.flops_32 = 5e13;
    return g;
}

/* Kaplan et al. 2020 (Table 1): C_forward = 2N + 2 n_layer n_ctx d_attn.
 * Llama-3-8B: N = 6,979,588,096 non-embedding, 32 layers, d_attn = 4096,
 * n_ctx 2048: 13,959,176,192 + 536,870,912 = 14,496,047,104. */
static void test_flops_per_token(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    llm_estimate e = run_on(ref("llama-3-8b"), &w, NULL);
    assert_true(e.flops_per_token == 14496047104.0);
    /* MoE: only active parameters count.  Mixtral: active non-embedding =
     * 12,879,925,248 - 2 x 131,072,000 = 12,617,781,248; x 2 +
     * 2 x 32 x 2048 x 4096 = 25,235,562,496 + 536,870,912 = 25,772,433,408. */
    e = run_on(ref("mixtral-8x7b"), &w, NULL);
    assert_true(e.flops_per_token == 25772433408.0);
}

/* Training FLOPs 6 N D (Kaplan et al.), with full recomputation one more
 * forward: 8 N D.  Llama-3-8B, D = 1e12: 6 x 6,979,588,096 x 1e12
 * = 4.1877528576e22; time on 1000 GPUs at 1e15 x MFU 0.5 = 83,755.057152 s.
 * D defaults to 20 tokens per parameter (Hoffmann et al.): 160,605,224,960. */
static void test_training_flops_and_time(void **state)
{
    (void)state;
    llm_gpu g = gpu();
    llm_workload w;
    llm_workload_default(&w);
    w.tokens = 1000000000000ull;
    w.dp = 1000; /* 1000 GPUs: gpus must be 0 or tp x pp x dp */
    w.mfu = 0.5;
    llm_estimate e = run_on(ref("llama-3-8b"), &w, &g);
    near(e.train_flops, 4.1877528576e22, 1e-12);
    near(e.train_seconds, 83755.057152, 1e-12);
    w.recompute = LLM_RECOMPUTE_FULL;
    near(run_on(ref("llama-3-8b"), &w, &g).train_flops, 8.0 * 6979588096.0 * 1e12, 1e-12);
    /* selective: + the attention core 2 n_layer s d_attn per token = 5.36870912e8 x 1e12 */
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    near(run_on(ref("llama-3-8b"), &w, &g).train_flops, 4.1877528576e22 + 5.36870912e20, 1e-12);
    w.recompute = LLM_RECOMPUTE_NONE;
    w.tokens = 0;
    e = run_on(ref("llama-3-8b"), &w, &g);
    near(e.train_tokens, 160605224960.0, 0);
    /* fp8 compute uses the fp8 peak: half the time. */
    w.tokens = 1000000000000ull;
    w.act = w.weights = llm_dtype_make("fp8", 1, true);
    near(run_on(ref("llama-3-8b"), &w, &g).train_seconds, 83755.057152 / 2, 1e-12);
    /* Without a GPU there is no time. */
    assert_true(run_on(ref("llama-3-8b"), &w, NULL).train_seconds == 0.0);
}

/* Decode roofline, Llama-3-8B bf16, context 4096, batch 1, MFU 0.4:
 * bytes per step = weights 16,060,522,496 + KV 131,072 x 4096 = 536,870,912
 * -> 16,597,393,408 / 3e12 = 5.532464469e-3 s; compute 2 N / (1e15 x 0.4)
 * = 13,959,176,192 / 4e14 = 3.49e-5 s: memory-bound, 180.75 tokens/s;
 * intensity 13,959,176,192 / 16,597,393,408 = 0.84105 FLOP/B.
 * Prefill of 4096 tokens: compute 2 N x 4096 / 4e14 = 0.142942 s against
 * 16,060,522,496 / 3e12 = 5.35e-3 s: compute-bound. */
static void test_roofline(void **state)
{
    (void)state;
    llm_gpu g = gpu();
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.seq = 4096;
    w.micro_batch = 1;
    llm_estimate e = run_on(ref("llama-3-8b"), &w, &g);
    assert_int_equal(e.decode_bound, LLM_BOUND_MEMORY);
    near(e.decode_step_seconds, 16597393408.0 / 3e12, 1e-12);
    near(e.decode_tokens_per_s, 3e12 / 16597393408.0, 1e-12);
    near(e.decode_intensity, 13959176192.0 / 16597393408.0, 1e-12);
    assert_int_equal(e.prefill_bound, LLM_BOUND_COMPUTE);
    near(e.prefill_seconds, 13959176192.0 * 4096 / 4e14, 1e-12);
    near(e.prefill_tokens_per_s, 4096 / (13959176192.0 * 4096 / 4e14), 1e-12);
    /* gen_tokens decode steps after the prefill */
    near(e.generate_seconds, e.prefill_seconds + 256 * e.decode_step_seconds, 1e-12);
    /* Batch 512 at context 128: compute 2 N x 512 / 4e14 = 1.7868e-2 s beats
     * (16,060,522,496 + 512 x 131,072 x 128) / 3e12 = 8.22e-3 s: compute-bound. */
    w.seq = 128;
    w.micro_batch = 512;
    e = run_on(ref("llama-3-8b"), &w, &g);
    assert_int_equal(e.decode_bound, LLM_BOUND_COMPUTE);
    near(e.decode_step_seconds, 13959176192.0 * 512 / 4e14, 1e-12);
    /* No GPU: no bound. */
    assert_int_equal(run_on(ref("llama-3-8b"), &w, NULL).decode_bound, LLM_BOUND_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flops_per_token),
        cmocka_unit_test(test_training_flops_and_time),
        cmocka_unit_test(test_roofline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
