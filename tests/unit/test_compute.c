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
    llm_gpu g = test_gpu("test-gpu", 80e9, 3e12, 1e15);
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

/* Training FLOPs = forward + backward = 3 forwards per token: 3 D F with F
 * the forward FLOPs per token above (Kaplan et al. 2020: backward = 2 x
 * forward; 3 D F = 6ND + 6 n_layer n_ctx d_attn D, 6ND the N-only part).
 * Llama-3-8B, seq 2048, D = 1e12: F = 14,496,047,104 ->
 * 3 x 14,496,047,104 x 1e12 = 4.3488141312e22; time on 1000 GPUs at
 * 1e15 x MFU 0.5 = 5e17 FLOP/s: 86,976.282624 s.
 * Full recomputation: one more forward, 4 D F = 5.7984188416e22.
 * Selective: + the attention core 2 n_layer s d_attn per token = 5.36870912e8
 * x 1e12 -> 4.4025012224e22.  LoRA: forward + input gradients 2 D F =
 * 2.8992094208e22.
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
    near(e.train_flops, 4.3488141312e22, 1e-12);
    near(e.train_seconds, 86976.282624, 1e-12);
    assert_int_equal(e.train_tokens_basis, LLM_TOKENS_GIVEN);
    w.recompute = LLM_RECOMPUTE_FULL;
    near(run_on(ref("llama-3-8b"), &w, &g).train_flops, 5.7984188416e22, 1e-12);
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    near(run_on(ref("llama-3-8b"), &w, &g).train_flops, 4.4025012224e22, 1e-12);
    w.recompute = LLM_RECOMPUTE_NONE;
    w.mode = LLM_MODE_LORA;
    near(run_on(ref("llama-3-8b"), &w, &g).train_flops, 2.8992094208e22, 1e-12);
    w.mode = LLM_MODE_PRETRAIN;
    w.tokens = 0;
    e = run_on(ref("llama-3-8b"), &w, &g);
    near(e.train_tokens, 160605224960.0, 0);
    assert_int_equal(e.train_tokens_basis, LLM_TOKENS_CHINCHILLA);
    /* fp8 compute uses the fp8 peak: half the time. */
    w.tokens = 1000000000000ull;
    w.act = w.weights = llm_dtype_make("fp8", 1, true);
    near(run_on(ref("llama-3-8b"), &w, &g).train_seconds, 86976.282624 / 2, 1e-12);
    /* Without a GPU there is no time. */
    assert_true(run_on(ref("llama-3-8b"), &w, NULL).train_seconds == 0.0);
}

/* QA item 2: training FLOPs rise with seq exactly as the reported FLOPs per
 * token do.  seq 8192 -> 16384 for Llama-3-8B: F = 13,959,176,192 +
 * 2 x 32 x s x 4096 = 16,106,659,840 -> 18,254,143,488 (+13.3%), and the
 * training time grows by the same ratio 1.13333... */
static void test_training_follows_seq(void **state)
{
    (void)state;
    llm_gpu g = gpu();
    llm_workload w;
    llm_workload_default(&w);
    w.tokens = 1000000000ull;
    w.seq = 8192;
    llm_estimate a = run_on(ref("llama-3-8b"), &w, &g);
    w.seq = 16384;
    llm_estimate b = run_on(ref("llama-3-8b"), &w, &g);
    near(a.flops_per_token, 16106659840.0, 0);
    near(b.flops_per_token, 18254143488.0, 0);
    near(b.train_seconds / a.train_seconds, 18254143488.0 / 16106659840.0, 1e-12);
    /* and always C = 3 D F for pre-training */
    near(b.train_flops, 3.0 * 1e9 * 18254143488.0, 1e-15);
}

/* Fine-tuning modes with tokens = 0: no Chinchilla budget (it would mean
 * 20 x 8.03e9 = 160.6e9 tokens for a fine-tune); D = 1e9 so the time reads
 * "per 1B tokens" (docs/formulas.md section 6).  Llama-3-8B finetune, seq
 * 2048: 3 x 1e9 x 14,496,047,104 = 4.3488141312e19 FLOPs. */
static void test_finetune_tokens_default(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    llm_mode modes[] = {LLM_MODE_FINETUNE, LLM_MODE_LORA, LLM_MODE_QLORA};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        w.mode = modes[i];
        llm_estimate e = run(ref("llama-3-8b"), &w);
        near(e.train_tokens, 1e9, 0);
        assert_int_equal(e.train_tokens_basis, LLM_TOKENS_PER_BILLION);
    }
    w.mode = LLM_MODE_FINETUNE;
    near(run(ref("llama-3-8b"), &w).train_flops, 4.3488141312e19, 1e-12);
    w.tokens = 5000;
    llm_estimate e = run(ref("llama-3-8b"), &w);
    near(e.train_tokens, 5000, 0);
    assert_int_equal(e.train_tokens_basis, LLM_TOKENS_GIVEN);
}

/* Decode roofline, Llama-3-8B bf16, context 4096, batch 1, MFU 0.4:
 * F at n_ctx 4096 = 13,959,176,192 + 2 x 32 x 4096 x 4096 = 15,032,918,016.
 * bytes per step = weights 16,060,522,496 + KV 131,072 x 4096 = 536,870,912
 * -> 16,597,393,408 / 3e12 = 5.532464469e-3 s; compute F / (1e15 x 0.4)
 * = 3.758e-5 s: memory-bound, 180.75 tokens/s;
 * intensity 15,032,918,016 / 16,597,393,408 = 0.90574 FLOP/B.
 * Prefill of 4096 tokens: compute 4096 x F / 4e14 = 0.153937 s against
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
    near(e.decode_intensity, 15032918016.0 / 16597393408.0, 1e-12);
    assert_int_equal(e.prefill_bound, LLM_BOUND_COMPUTE);
    near(e.prefill_seconds, 15032918016.0 * 4096 / 4e14, 1e-12);
    near(e.prefill_tokens_per_s, 4e14 / 15032918016.0, 1e-12);
    near(e.prefill_memory_seconds, 16060522496.0 / 3e12, 1e-12);
    /* gen_tokens decode steps after the prefill */
    near(e.generate_seconds, e.prefill_seconds + 256 * e.decode_step_seconds, 1e-12);
    /* Batch 512 at context 128: F = 13,959,176,192 + 2 x 32 x 128 x 4096 =
     * 13,992,730,624; compute 512 F / 4e14 = 1.79107e-2 s beats
     * (16,060,522,496 + 512 x 131,072 x 128) / 3e12 = 8.22e-3 s: compute-bound. */
    w.seq = 128;
    w.micro_batch = 512;
    e = run_on(ref("llama-3-8b"), &w, &g);
    assert_int_equal(e.decode_bound, LLM_BOUND_COMPUTE);
    near(e.decode_step_seconds, 13992730624.0 * 512 / 4e14, 1e-12);
    /* No GPU: no bound. */
    assert_int_equal(run_on(ref("llama-3-8b"), &w, NULL).decode_bound, LLM_BOUND_NONE);
}

/* QA item 2, hand calculation: Llama-3-8B prefill of a 128k prompt
 * (131,072 tokens) on one H100 SXM (presets/gpus.yaml: 989.4 TFLOP/s dense
 * bf16, 3.35 TB/s) at MFU 0.4.
 *   F = 2 x 6,979,588,096 + 2 x 32 x 131,072 x 4096
 *     = 13,959,176,192 + 34,359,738,368 = 48,318,914,560 FLOPs per token
 *   compute = 131,072 x 48,318,914,560 / (989.4e12 x 0.4)
 *           = 6.33325676920832e18 / 3.9576e14 = 16.00277 s
 *   memory  = 16,060,522,496 B / 3.35e12 = 0.0048 s  -> compute-bound
 *   tokens/s = 131,072 / 16.00277 = 3.9576e14 / 48,318,914,560 = 8,190.58
 * (the old 2N-only figure was 28,351 tok/s: 1.37 PFLOP/s, above the peak). */
static void test_prefill_128k_h100(void **state)
{
    (void)state;
    llm_gpu g = test_gpu("h100", 85899345920.0, 3.35e12, 989.4e12);
    llm_workload w = infer(131072, 1);
    llm_estimate e = run_on(ref("llama-3-8b"), &w, &g);
    near(e.flops_per_token, 48318914560.0, 0);
    assert_int_equal(e.prefill_bound, LLM_BOUND_COMPUTE);
    near(e.prefill_seconds, 16.00277, 1e-6);
    near(e.prefill_tokens_per_s, 8190.58, 1e-6);
}

/* Achieved FLOP/s never exceed what the GPUs can give: a replica's t GPUs
 * working on a stage at a time deliver at most t x peak x MFU, so
 * tokens/s x F <= t x peak x MFU for prefill and decode, over a grid of
 * contexts, batches and layouts (equality when compute-bound). */
static void test_never_above_peak(void **state)
{
    (void)state;
    llm_gpu g = gpu();
    const char *models[] = {"llama-3-8b", "mixtral-8x7b", "gpt2"};
    uint64_t seqs[] = {128, 4096, 131072};
    uint64_t batches[] = {1, 64, 4096};
    uint32_t tps[] = {1, 4};
    for (size_t mi = 0; mi < 3; mi++)
        for (size_t si = 0; si < 3; si++)
            for (size_t bi = 0; bi < 3; bi++)
                for (size_t ti = 0; ti < 2; ti++) {
                    llm_workload w = infer(seqs[si], batches[bi]);
                    w.tp = tps[ti];
                    llm_estimate e = run_on(ref(models[mi]), &w, &g);
                    double cap = (double)w.tp * 1e15 * w.mfu * (1.0 + 1e-12);
                    assert_true(e.prefill_tokens_per_s * e.flops_per_token <= cap);
                    assert_true(e.decode_tokens_per_s * e.flops_per_token <= cap);
                    assert_true(e.prefill_tokens_per_s > 0 && e.decode_tokens_per_s > 0);
                }
}

/* QA item 7: Apple M2 Ultra (presets/gpus.yaml: 800 GB/s, no published
 * FLOP/s).  Llama-3-8B inference at seq 8192, batch 1: a decode step reads
 * 16,060,522,496 weights + 131,072 x 8192 = 1,073,741,824 KV = 17,134,264,320 B
 * -> 8e11 / 17,134,264,320 = 46.69 tokens/s, named memory-bound; prefill and
 * training time are unknown (not 0 tok/s, not "needs a GPU"); the prefill's
 * bandwidth side alone is 16,060,522,496 / 8e11 = 0.020076 s. */
static void test_peak_unknown(void **state)
{
    (void)state;
    llm_gpu g;
    memset(&g, 0, sizeof g);
    strcpy(g.id, "m2-ultra");
    g.memory_bytes = 206158430208.0;
    g.bandwidth = 8e11;
    llm_workload w = infer(8192, 1);
    llm_estimate e = run_on(ref("llama-3-8b"), &w, &g);
    assert_true(e.warnings & LLM_WARN_PEAK_UNKNOWN);
    assert_int_equal(e.decode_bound, LLM_BOUND_MEMORY);
    near(e.decode_tokens_per_s, 8e11 / 17134264320.0, 1e-12);
    near(e.decode_tokens_per_s, 46.69, 1e-3);
    assert_int_equal(e.prefill_bound, LLM_BOUND_UNKNOWN);
    assert_true(e.prefill_tokens_per_s == 0.0 && e.prefill_seconds == 0.0);
    assert_true(e.generate_seconds == 0.0);
    near(e.prefill_memory_seconds, 16060522496.0 / 8e11, 1e-12);
    near(e.decode_memory_seconds, 17134264320.0 / 8e11, 1e-12);
    w.mode = LLM_MODE_PRETRAIN;
    e = run_on(ref("llama-3-8b"), &w, &g);
    assert_true(e.train_seconds == 0.0 && e.peak_flops == 0.0);
    assert_true(e.warnings & LLM_WARN_PEAK_UNKNOWN);
    /* a GPU with both figures gets no such warning */
    llm_gpu h = gpu();
    assert_false(run_on(ref("llama-3-8b"), &w, &h).warnings & LLM_WARN_PEAK_UNKNOWN);
    /* no bandwidth, known peak: prefill from compute, decode unknown */
    h.bandwidth = 0;
    w = infer(4096, 1);
    e = run_on(ref("llama-3-8b"), &w, &h);
    assert_true(e.warnings & LLM_WARN_BANDWIDTH_UNKNOWN);
    assert_int_equal(e.prefill_bound, LLM_BOUND_COMPUTE);
    near(e.prefill_seconds, 15032918016.0 * 4096 / 4e14, 1e-12);
    assert_int_equal(e.decode_bound, LLM_BOUND_UNKNOWN);
    assert_true(e.decode_tokens_per_s == 0.0);
}

/* Warnings: each bit, its text. */
static void test_warnings(void **state)
{
    (void)state;
    const llm_model *m = ref("llama-3-8b"); /* max_seq 8192 (models.json) */
    llm_workload w;
    llm_workload_default(&w);
    w.seq = 8192;
    assert_int_equal(run(m, &w).warnings, 0);
    w.seq = 8193;
    assert_true(run(m, &w).warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);
    /* inference: seq is the context the KV cache holds (the CLI contract: the
     * cache of seq 4096 x batch 2 is 4096 x 2 x 131,072 B), so only seq counts:
     * 8192 is at the limit whatever gen_tokens says, 8193 is past it. */
    w = infer(8192, 1);
    w.gen_tokens = 4096;
    assert_false(run(m, &w).warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);
    w.seq = 8193;
    assert_true(run(m, &w).warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);
    /* max_seq 0 = unknown: never */
    llm_model u = *m;
    u.max_seq = 0;
    w.seq = 1000000;
    assert_false(run(&u, &w).warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);

    /* 4-bit weights under full training (QA: nf4 survives mode=train) */
    llm_workload_default(&w);
    w.weights = llm_dtype_make("nf4", 0.5625, false);
    assert_true(run(m, &w).warnings & LLM_WARN_NF4_TRAINING);
    w.mode = LLM_MODE_FINETUNE;
    assert_true(run(m, &w).warnings & LLM_WARN_NF4_TRAINING);
    w.mode = LLM_MODE_QLORA; /* the point of QLoRA */
    assert_false(run(m, &w).warnings & LLM_WARN_NF4_TRAINING);
    w.mode = LLM_MODE_INFER;
    assert_false(run(m, &w).warnings & LLM_WARN_NF4_TRAINING);
    w.mode = LLM_MODE_PRETRAIN;
    w.weights = llm_dtype_make("int8", 1, false); /* 8-bit: not this warning */
    assert_false(run(m, &w).warnings & LLM_WARN_NF4_TRAINING);

    /* Saturated: a cluster above 2^53 B = 8 PiB.  Llama-3-8B training on
     * dp = 1,048,576 GPUs, each far above 8 GiB (weights 16.06e9 alone):
     * > 1.6e16 B > 9.007e15. */
    llm_workload_default(&w);
    w.dp = 1048576;
    assert_true(run(m, &w).warnings & LLM_WARN_SATURATED);
    w.dp = 1;
    assert_false(run(m, &w).warnings & LLM_WARN_SATURATED);

    /* texts: one per defined bit, distinct; NULL otherwise */
    for (unsigned i = 0; i < LLM_WARN_COUNT; i++) {
        const char *t = llm_warning_text(1u << i);
        assert_non_null(t);
        assert_true(strlen(t) > 10);
        for (unsigned j = 0; j < i; j++) assert_string_not_equal(t, llm_warning_text(1u << j));
    }
    assert_null(llm_warning_text(0));
    assert_null(llm_warning_text(1u << LLM_WARN_COUNT));
    assert_null(llm_warning_text(LLM_WARN_SEQ_ABOVE_CONTEXT | LLM_WARN_SATURATED));
    assert_non_null(strstr(llm_warning_text(LLM_WARN_PEAK_UNKNOWN), "peak FLOP/s not published"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flops_per_token),
        cmocka_unit_test(test_training_flops_and_time),
        cmocka_unit_test(test_training_follows_seq),
        cmocka_unit_test(test_finetune_tokens_default),
        cmocka_unit_test(test_roofline),
        cmocka_unit_test(test_prefill_128k_h100),
        cmocka_unit_test(test_never_above_peak),
        cmocka_unit_test(test_peak_unknown),
        cmocka_unit_test(test_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
