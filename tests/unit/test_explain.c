/* Explain traces: formula, values put in, result; snprintf-like buffer use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "engine_test.h"

static char buf[16384];

static void expect_in(const char *needle)
{
    if (!strstr(buf, needle)) fail_msg("trace lacks '%s':\n%s", needle, buf);
}

static void test_figure_names(void **state)
{
    (void)state;
    assert_string_equal(llm_figure_name(LLM_FIG_MEM_WEIGHTS), "memory.weights");
    assert_string_equal(llm_figure_name(LLM_FIG_PARAMS_TOTAL), "params.total");
    for (int f = 0; f < LLM_FIG_COUNT; f++) assert_string_not_equal(llm_figure_name((llm_figure)f), "?");
    assert_string_equal(llm_figure_name(LLM_FIG_COUNT), "?");
}

/* Every figure explains itself with its name and an '=' line. */
static void test_every_figure(void **state)
{
    (void)state;
    llm_gpu g = test_gpu("test-gpu", 80e9, 3e12, 1e15);
    llm_workload w;
    llm_workload_default(&w);
    for (int f = 0; f < LLM_FIG_COUNT; f++) {
        size_t n = llm_explain(ref("llama-3-8b"), &w, &g, (llm_figure)f, buf, sizeof buf);
        assert_true(n > 20 && n < sizeof buf);
        assert_int_equal(strlen(buf), n);
        expect_in(llm_figure_name((llm_figure)f));
        expect_in("=");
    }
}

/* The weights trace shows the inputs and the result of test_memory's
 * Llama-3-8B bf16 figure (16,060,522,496 B = 14.9575 GiB). */
static void test_weights_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_WEIGHTS, buf, sizeof buf);
    expect_in("lin = 6979321856");
    expect_in("weights bf16: 2 B");
    expect_in("16060522496 B = 14.9575 GiB");
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_KV, buf, sizeof buf);
    expect_in("2 x 8 x 128 x 2");
    expect_in("131072 B");
}

/* The activation trace lists the saved tensors and Korthikanti's constant:
 * GPT-3 175B, t = 1, dropout on, no flash: s.b.h.(34 + 5.a.s/h) (Korthikanti
 * et al. 2022, eq. 1), i.e. 2048 x 12288 x (34 + 5 x 96 x 2048 / 12288)
 * = 855,638,016 + 2,013,265,920 = 2,868,903,936 B per layer. */
static void test_activation_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.flash = false;
    w.dropout = true;
    llm_explain(ref("gpt3-175b"), &w, NULL, LLM_FIG_MEM_ACTIVATIONS, buf, sizeof buf);
    expect_in("softmax output");
    expect_in("attention dropout mask (1 B)");
    expect_in("GeLU input");
    expect_in("A = s.b.h.(c_h + c_a.a.s/h) + s.b.c_t");
    expect_in("c_h = 34 (");
    expect_in("c_a = 5 (");
    expect_in("(34 + 5 x 96 x 2048 / 12288)");
    expect_in("= 2868903936 B");
}

/* Korthikanti's Fig. 1 setting with FlashAttention, no dropout: t = 8, p = 8,
 * sequence parallel, selective recomputation.  Per token and layer on one GPU
 * the h-wide rows are two norm inputs, the QKV input, Q, K, V, the projection
 * input and the MLP input (8 x 12288 x 2 B / 8 = 24,576 B) plus GeLU input and
 * output (2 x 49152 x 2 B / 8 = 24,576 B): c_h = 49,152 / 12,288 = 4; the
 * fp32 log-sum-exp of 96/8 heads is c_t = 48 B; no a.s^2 term (flash).
 * A = 2048 x 12288 x 4 + 2048 x 48 = 100,761,600 B = s.b.h x 4.00390625.
 * The coefficients are printed, not rounded to "4 + 0.a.s/h". */
static void test_activation_trace_flash(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.tp = 8;
    w.pp = 8;
    w.seq_parallel = true;
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    llm_explain(ref("gpt3-175b"), &w, NULL, LLM_FIG_MEM_ACTIVATIONS, buf, sizeof buf);
    expect_in("c_h = 4 (");
    expect_in("c_a = 0: FlashAttention keeps no a.s^2 scores");
    expect_in("c_t = 48 B");
    expect_in("= 100761600 B (= s.b.h x 4.00390625)");
    /* 1F1B: the first stage holds p = 8 micro-batches of L/p = 12 layers */
    expect_in("U = 96 layer x micro-batch units");
    expect_in("96 x 100761600");
    if (strstr(buf, "0.a.s/h")) fail_msg("a dropped term printed as 0:\n%s", buf);
}

/* Substituted values of the compute traces, Llama-3-8B (test_compute.c):
 * N = 6,979,588,096 active non-embedding parameters; forward per token
 * 2N + 2 x 32 x 2048 x (32 x 128) = 14,496,047,104 FLOPs (Kaplan et al. 2020,
 * Table 1). */
static void test_compute_traces(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_FLOPS_PER_TOKEN, buf, sizeof buf);
    expect_in("= 2 x 6979588096 + 2 x 32 x 2048 x (32 x 128)");
    expect_in("= 14496047104 FLOPs per token");
    w.tokens = 1000000000000ull;
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_TRAIN_TIME, buf, sizeof buf);
    expect_in("C = 3 D F"); /* forward + backward = 3 forwards of F (Kaplan) */
    expect_in("F = 2 x 6979588096 + 2 x 32 x 2048 x 4096 = 14496047104");
    expect_in("C = 3 x 1000000000000 x 14496047104"); /* whole numbers, no exponent */
}

/* MLA caches the latent and the rope key: DeepSeek-V2-Lite (kv_lora_rank 512,
 * qk_rope_dim 64, 27 layers, bf16): (512 + 64) x 2 = 1152 B per layer,
 * x 27 = 31,104 B per token (docs/formulas.md section 4). */
static void test_kv_trace_mla(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    llm_explain(ref("deepseek-v2-lite"), &w, NULL, LLM_FIG_MEM_KV, buf, sizeof buf);
    expect_in("(512 + 64) x 2 = 1152 B");
    expect_in("27 x 1152 = 31104 B");
}

/* Quantised weights keep 16-bit parts (docs/formulas.md section 2):
 * Llama-3-8B in nf4 (0.5625 B: 4 bits + an fp32 absmax per 64), linear
 * 6,979,321,856 x 0.5625 + norms 266,240 x 2 + embedding and head
 * 1,050,673,152 x 2 = 3,925,868,544 + 532,480 + 2,101,346,304
 * = 6,027,747,328 B. */
static void test_weights_trace_quantised(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.weights = llm_dtype_make("nf4", 0.5625, false);
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_WEIGHTS, buf, sizeof buf);
    expect_in("W = 6979321856/1 x 0.5625 + (266240 + 0) x 2 + 1050673152/1 x 2");
    expect_in("= 6027747328 B");
    expect_in("b_16 = 2 B (quantised checkpoint");
}

/* Inference peak of one forward step, Mixtral 8x7B, t = 2, b = 4,
 * s = 32768: the MLP transient of the 2 active experts is
 * s.b.(2 x 14336)/t x 3 x 2 B = 11,274,289,152 B; the residual stream
 * 2.s.b.h.B = 2,147,483,648 B. */
static void test_inference_activation_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.tp = 2;
    w.micro_batch = 4;
    w.seq = 32768;
    llm_explain(ref("mixtral-8x7b"), &w, NULL, LLM_FIG_MEM_ACTIVATIONS, buf, sizeof buf);
    expect_in("= 32768 x 4 x 28672 / 2 x 3 x 2 = 11274289152 B");
    expect_in("= 2 x 32768 x 4 x 4096 x 2 = 2147483648 B");
}

/* Every line of every figure fits the CLI's 80-column table (printed with a
 * two-space indent: at most 78 columns), for training and inference of a
 * dense model, an MoE, an MLA model and an encoder-decoder, with the options
 * that make traces longest. */
static void check_width(const llm_model *m, const llm_workload *w, const llm_gpu *g,
                        const char *what)
{
    for (int f = 0; f < LLM_FIG_COUNT; f++) {
        size_t n = llm_explain(m, w, g, (llm_figure)f, buf, sizeof buf);
        assert_true(n < sizeof buf);
        if (strstr(buf, "cannot explain")) fail_msg("%s: %s", what, buf);
        size_t lines = 0;
        for (const char *p = buf; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (len > 78)
                fail_msg("%s, %s: a line of %zu columns:\n%.*s", what,
                         llm_figure_name((llm_figure)f), len, (int)len, p);
            lines++;
            p += len + (nl ? 1 : 0);
        }
        assert_true(lines >= 2);
    }
}

static void test_line_width(void **state)
{
    (void)state;
    llm_gpu g = test_gpu("test-gpu", 80e9, 3.35e12, 989e12);
    g.flops_8 = 1979e12;
    llm_workload w;
    for (int mode = 0; mode <= LLM_MODE_INFER; mode++) {
        /* GPT-3 175B with the CLI example's settings, and long sequences */
        llm_workload_default(&w);
        w.mode = (llm_mode)mode;
        w.has_teacher = true;
        w.teacher = *ref("gpt3-175b");
        w.tp = 8;
        w.pp = 8;
        w.vpp = 3;
        w.recompute = LLM_RECOMPUTE_SELECTIVE;
        w.seq_parallel = true;
        w.tokens = 300000000000ull;
        check_width(ref("gpt3-175b"), &w, &g, "gpt3-175b tp 8 pp 8");
        w.seq = 1048576;
        w.micro_batch = 64;
        w.flash = false;
        w.dropout = true;
        w.zero = 3;
        w.dp = 64;
        w.offload_optimizer = w.offload_params = true;
        check_width(ref("gpt3-175b"), &w, &g, "gpt3-175b 1M tokens");
        /* Llama-3-8B eager, quantised and pruned */
        llm_workload_default(&w);
        w.mode = (llm_mode)mode;
        w.has_teacher = true;
        w.teacher = *ref("llama-2-70b");
        w.profile = LLM_PROFILE_EAGER;
        w.flash = false;
        w.dropout = true;
        w.recompute = LLM_RECOMPUTE_FULL;
        w.optimizer = LLM_OPT_ADAFACTOR;
        w.weights = llm_dtype_make("nf4", 0.5625, false);
        w.sparse_storage = LLM_SPARSE_CSR;
        w.sparsity = 0.5;
        w.kv_block = 16;
        w.zero = 1;
        w.dp = 8;
        check_width(ref("llama-3-8b"), &w, &g, "llama-3-8b eager");
        /* MoE with expert parallelism, MLA, encoder-decoder */
        llm_workload_default(&w);
        w.mode = (llm_mode)mode;
        w.has_teacher = true;
        w.teacher = *ref("mixtral-8x7b");
        w.tp = 2;
        w.pp = 4;
        w.dp = 4;
        w.ep = 4;
        w.zero = 2;
        w.micro_batch = 4;
        w.seq = 32768;
        check_width(ref("mixtral-8x7b"), &w, &g, "mixtral-8x7b");
        w.teacher = *ref("deepseek-v2-lite");
        w.pp = 3;
        w.optimizer = LLM_OPT_ADAMW8BIT;
        check_width(ref("deepseek-v2-lite"), &w, &g, "deepseek-v2-lite");
        llm_workload_default(&w);
        w.mode = (llm_mode)mode;
        w.has_teacher = true;
        w.teacher = *ref("t5-base");
        w.tp = 4;
        w.pp = 2;
        w.profile = LLM_PROFILE_EAGER;
        check_width(ref("t5-base"), &w, &g, "t5-base");
    }
}

/* The scaling trace puts the numbers into (1 + x)^(1/alpha) = 3.902. */
static void test_scaling_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_SCALING, buf, sizeof buf);
    expect_in("(1 + 0.1)^(1/0.07) = 3.902");
    expect_in("20 x N");
    /* one alpha for the improvement factor everywhere (QA item 9) */
    assert_true(LLM_IMPROVEMENT_ALPHA_DEFAULT == 0.07);
    expect_in("alpha = 0.07 (default");
}

/* A GPU without published FLOP/s (Apple M2 Ultra: 800 GB/s): the traces say
 * "unknown" instead of 0; decode comes from the bandwidth alone:
 * (16,060,522,496 + 131,072 x 2048) / 8e11 = 16,328,957,952 / 8e11
 * = 0.0204112 s -> 48.9927 tokens/s. */
static void test_peak_unknown_traces(void **state)
{
    (void)state;
    llm_gpu g;
    memset(&g, 0, sizeof g);
    strcpy(g.id, "m2-ultra");
    g.memory_bytes = 206158430208.0;
    g.bandwidth = 8e11;
    llm_workload w = infer(2048, 1);
    llm_explain(ref("llama-3-8b"), &w, &g, LLM_FIG_DECODE, buf, sizeof buf);
    expect_in("peak = unknown");
    expect_in("memory-bound (peak unknown)");
    expect_in("= 48.9927 tokens/s");
    llm_explain(ref("llama-3-8b"), &w, &g, LLM_FIG_PREFILL, buf, sizeof buf);
    expect_in("= unknown");
    w.mode = LLM_MODE_PRETRAIN;
    llm_explain(ref("llama-3-8b"), &w, &g, LLM_FIG_TRAIN_TIME, buf, sizeof buf);
    expect_in("time: unknown (m2-ultra publishes no peak FLOP/s for bf16)");
}

/* Like snprintf: always terminated, returns the length it wanted. */
static void test_truncation(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    size_t want = llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, NULL, 0);
    assert_true(want > 100);
    char small[16];
    memset(small, 'x', sizeof small);
    size_t n = llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, small, sizeof small);
    assert_int_equal(n, want);
    assert_int_equal(strlen(small), sizeof small - 1);
    /* an invalid workload explains the error instead */
    w.tp = 3;
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, buf, sizeof buf);
    expect_in("tp (3) must divide heads (32)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figure_names),
        cmocka_unit_test(test_every_figure),
        cmocka_unit_test(test_weights_trace),
        cmocka_unit_test(test_activation_trace),
        cmocka_unit_test(test_activation_trace_flash),
        cmocka_unit_test(test_compute_traces),
        cmocka_unit_test(test_kv_trace_mla),
        cmocka_unit_test(test_weights_trace_quantised),
        cmocka_unit_test(test_inference_activation_trace),
        cmocka_unit_test(test_line_width),
        cmocka_unit_test(test_scaling_trace),
        cmocka_unit_test(test_peak_unknown_traces),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
