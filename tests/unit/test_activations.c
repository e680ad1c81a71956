/* Activation memory from the saved-tensor table (docs/formulas.md §3,
 * docs/saved-tensors.md). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "engine_test.h"


/* GPT-3 175B as in Korthikanti et al. 2022: s = 2048, b = 1, 16-bit,
 * Megatron kernels, dropout on, no FlashAttention. */
static llm_workload korthikanti(uint32_t t)
{
    llm_workload w;
    llm_workload_default(&w);
    w.seq = 2048;
    w.micro_batch = 1;
    w.flash = false;
    w.dropout = true;
    w.profile = LLM_PROFILE_MEGATRON;
    w.tp = t;
    return w;
}

/* Korthikanti et al. 2022, Figure 1 / Table 2 setting: GPT-3 175B, t = 8,
 * p = 8, interleaved schedule with 3 chunks.  First stage, layers only:
 * per layer sbh(10 + 24/8 + 5 a s/(h t)) = 23 sbh = 578,813,952 B
 * (sbh = 2048 x 12288 = 25,165,824); x 96 layers' worth x (1 + 7/24)
 * = x 124 -> 71,772,930,048 B = 66.84375 GiB.  With sequence parallelism
 * and selective recomputation: 34/8 sbh x 124 = 13,262,389,248 B
 * = 12.3515625 GiB. */
static void test_korthikanti_figure1(void **state)
{
    (void)state;
    llm_workload w = korthikanti(8);
    w.pp = 8;
    w.vpp = 3;
    llm_estimate e = run(ref("gpt3-175b"), &w);
    EXPECT_BYTES(e.act_layers / 1073741824.0, 66.84375);
    EXPECT_BYTES(e.act_inflight, 124.0);
    w.seq_parallel = true;
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    e = run(ref("gpt3-175b"), &w);
    EXPECT_BYTES(e.act_layers / 1073741824.0, 12.3515625);
}

/* Korthikanti et al. eq. 1-6, one layer, one micro-batch, GPT-3 175B
 * (sbh = 25,165,824; 5 a s / h = 80):
 *   t = 1:                     sbh (34 + 80)          = 2,868,903,936
 *   t = 8:                     sbh (10 + 24/8 + 80/8)  =   578,813,952
 *   t = 8, sequence parallel:  sbh (34 + 80) / 8       =   358,612,992
 *   t = 8, selective:          sbh (10 + 24/8)         =   327,155,712
 *   t = 8, SP + selective:     sbh 34 / 8              =   106,954,752
 *   full recomputation:        2 sbh                   =    50,331,648
 *   full, SP:                  2 sbh / 8               =     6,291,456 */
static void test_korthikanti_equations(void **state)
{
    (void)state;
    const llm_model *g = ref("gpt3-175b");
    llm_workload w = korthikanti(1);
    llm_estimate e = run(g, &w);
    EXPECT_BYTES(e.act_bytes_per_layer, 2868903936.0);
    EXPECT_BYTES(e.act_c_sbh, 34.0);
    EXPECT_BYTES(e.act_c_score, 5.0);
    w = korthikanti(8);
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 578813952.0);
    w.seq_parallel = true;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 358612992.0);
    w.seq_parallel = false;
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 327155712.0);
    w.seq_parallel = true;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 106954752.0);
    w = korthikanti(8);
    w.recompute = LLM_RECOMPUTE_FULL;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 50331648.0);
    w.seq_parallel = true;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 6291456.0);
}

/* Switching techniques off the Korthikanti baseline, t = 1:
 * no dropout drops the two 1-byte h masks and the a.s^2 mask + dropped
 * probabilities (3 a s^2 b): sbh (32 + 2 a s/h) = sbh x 64 = 1,610,612,736;
 * FlashAttention never stores a.s^2 scores and keeps an fp32 log-sum-exp per
 * head and token: 34 sbh + 96 x 4 x s b = 855,638,016 + 786,432 = 856,424,448. */
static void test_dropout_and_flash(void **state)
{
    (void)state;
    const llm_model *g = ref("gpt3-175b");
    llm_workload w = korthikanti(1);
    w.dropout = false;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 1610612736.0);
    w.dropout = true;
    w.flash = true;
    EXPECT_BYTES(run(g, &w).act_bytes_per_layer, 856424448.0);
}

/* The table behind the figure: for the Megatron GPT block at t = 1 the
 * tensors sum to 34 h + 5 a s bytes per token (Korthikanti's list: LN inputs
 * 4, QKV input 2, Q K 4, V 2, projection input 2, masks 1 + 1, FC1 input 2,
 * GeLU input 8 and output 8; softmax 2as, its mask as, dropout output 2as). */
static void test_tensor_table(void **state)
{
    (void)state;
    const llm_model *g = ref("gpt3-175b");
    llm_workload w = korthikanti(1);
    llm_act_tensor t[LLM_ACT_TENSORS_MAX];
    size_t n = llm_act_tensors(g, &w, false, t, LLM_ACT_TENSORS_MAX);
    assert_true(n >= 10 && n <= LLM_ACT_TENSORS_MAX);
    double sum = 0, core = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].name);
        assert_true(t[i].kept);
        sum += t[i].elems * t[i].bytes;
        if (t[i].core) core += t[i].elems * t[i].bytes;
    }
    EXPECT_BYTES(sum, 34.0 * 12288 + 5.0 * 96 * 2048);
    EXPECT_BYTES(core, 5.0 * 96 * 2048);
    /* Selective recomputation drops exactly the attention core. */
    w.recompute = LLM_RECOMPUTE_SELECTIVE;
    n = llm_act_tensors(g, &w, false, t, LLM_ACT_TENSORS_MAX);
    for (size_t i = 0; i < n; i++) assert_true(t[i].kept == !t[i].core);
    /* A short buffer gets a prefix. */
    assert_int_equal(llm_act_tensors(g, &w, false, t, 3), 3);
}

/* The eager (Hugging Face PyTorch) profile against docs/saved-tensors.md,
 * whose formula column was derived by hand from the saved-tensor lists and
 * agrees with the PyTorch measurement to 0.1%: GPT-2-style L = 3, h = 128,
 * a = 4, f = 512, V = 1000, learned positions 256, tied; Llama-style L = 3,
 * h = 128, a = 8, k = 2, f = 352, V = 1000; s = 128, b = 2, no flash.
 * Worked example (fp32 GPT-2 block): 8 sbh B + 5 sbf B + a s^2 b B + 16 sb
 * = 1,048,576 + 2,621,440 + 524,288 + 4,096 = 4,198,400. */
static llm_model tiny_gpt2(void)
{
    llm_model m;
    memset(&m, 0, sizeof m);
    m.layers = 3;
    m.hidden = 128;
    m.heads = 4;
    m.ffn = 512;
    m.ffn_kind = LLM_FFN_MLP;
    m.vocab = 1000;
    m.tied_embeddings = true;
    m.pos = LLM_POS_LEARNED;
    m.pos_rows = 256;
    m.norm = LLM_NORM_LAYERNORM;
    m.norm_bias = true;
    m.norms_per_layer = 2;
    m.final_norm = true;
    m.qkv_bias = m.attn_out_bias = m.mlp_bias = true;
    return m;
}

static llm_model tiny_llama(void)
{
    llm_model m;
    memset(&m, 0, sizeof m);
    m.layers = 3;
    m.hidden = 128;
    m.heads = 8;
    m.kv_heads = 2;
    m.ffn = 352;
    m.ffn_kind = LLM_FFN_GATED;
    m.vocab = 1000;
    m.pos = LLM_POS_ROTARY;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    return m;
}

static llm_workload eager(bool bf16, bool dropout, bool full)
{
    llm_workload w;
    llm_workload_default(&w);
    w.seq = 128;
    w.micro_batch = 2;
    w.flash = false;
    w.profile = LLM_PROFILE_EAGER;
    w.dropout = dropout;
    w.recompute = full ? LLM_RECOMPUTE_FULL : LLM_RECOMPUTE_NONE;
    w.act = bf16 ? llm_dtype_make("bf16", 2, true) : llm_dtype_make("fp32", 4, true);
    return w;
}

static void test_eager_profile(void **state)
{
    (void)state;
    llm_model g = tiny_gpt2(), l = tiny_llama();
    /* one block / whole forward, "formula" columns of docs/saved-tensors.md */
    llm_workload w = eager(false, false, false);
    llm_estimate e = run(&g, &w);
    EXPECT_BYTES(e.act_bytes_per_layer, 4198400.0);
    EXPECT_BYTES(e.per_gpu.activations, 13888512.0);
    w = eager(false, true, false);
    EXPECT_BYTES(run(&g, &w).per_gpu.activations, 16083968.0);
    w = eager(false, false, true);
    EXPECT_BYTES(run(&g, &w).per_gpu.activations, 5819392.0);
    w = eager(true, true, true);
    EXPECT_BYTES(run(&g, &w).per_gpu.activations, 3918848.0);
    w = eager(false, false, false);
    e = run(&l, &w);
    EXPECT_BYTES(e.act_bytes_per_layer, 3803136.0);
    EXPECT_BYTES(e.per_gpu.activations, 12848128.0);
    w = eager(true, false, false);
    e = run(&l, &w);
    EXPECT_BYTES(e.act_bytes_per_layer, 3082240.0);
    EXPECT_BYTES(e.per_gpu.activations, 10546176.0);
    w = eager(true, true, false);
    EXPECT_BYTES(run(&l, &w).per_gpu.activations, 11561984.0);
    /* bf16 RMSNorm keeps an fp32 copy, not the input: the whole layer is
     * recomputed on top of the kept inputs. */
    w = eager(true, false, true);
    EXPECT_BYTES(run(&l, &w).per_gpu.activations, 4611072.0);
    w = eager(false, true, true);
    EXPECT_BYTES(run(&l, &w).per_gpu.activations, 6978560.0);
}

/* Inference keeps nothing for backward: the peak of one prefill step.
 * Llama-3-8B, seq 4096, batch 2, bf16, flash: residual stream 2 s b h x 2
 * = 134,217,728; the larger transient of a layer is the MLP, s b f x 3 x 2
 * = 704,643,072 (attention: s b (4096 + 2 x 1024) x 2 = 100,663,296); next-
 * token logits b V x 4 = 1,026,048.  Total 839,886,848. */
static void test_inference_activations(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    w.seq = 4096;
    w.micro_batch = 2;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.activations, 839886848.0);
}

/* The embedding and output terms (FORMULAS.md §3 "add embeddings/LM head/
 * loss"), Megatron profile, GPT-2 (V = 50257, h = 768), s = 1024, b = 1,
 * bf16, dropout off, t = 1: embedding = token ids 8 s b + position ids 8 s
 * = 16,384; output = final norm input + LM head input 2 x 768 x 2 + fp32
 * logits 4 x 50257 + labels 8 = 204,108 B per token x 1024 = 209,006,592. */
static void test_embedding_and_logits(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.seq = 1024;
    llm_estimate e = run(ref("gpt2"), &w);
    EXPECT_BYTES(e.act_embedding, 16384.0);
    EXPECT_BYTES(e.act_output, 209006592.0);
    EXPECT_BYTES(e.per_gpu.activations, e.act_layers + e.act_embedding + e.act_output);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_korthikanti_figure1),
        cmocka_unit_test(test_korthikanti_equations),
        cmocka_unit_test(test_dropout_and_flash),
        cmocka_unit_test(test_tensor_table),
        cmocka_unit_test(test_eager_profile),
        cmocka_unit_test(test_inference_activations),
        cmocka_unit_test(test_embedding_and_logits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
