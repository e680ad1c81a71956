/* Memory per GPU and per cluster: model states, KV cache, the efficiency
 * techniques.  Every expected value is a published figure or a hand
 * calculation written next to it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "engine_test.h"


/* A 7.5B-parameter shape for the ZeRO paper's example: 39 layers of
 * h = 4000 (40 heads), 2-matrix MLP f = 16000, RMSNorm, no biases, tied
 * vocabulary of 2921.  By hand: 39 x (4h^2 + 2hf + 2h) + h + V h
 * = 39 x 192,008,000 + 4,000 + 11,684,000 = 7,500,000,000 exactly. */
static llm_model zero_model(void)
{
    llm_model m;
    memset(&m, 0, sizeof m);
    m.layers = 39;
    m.hidden = 4000;
    m.heads = 40;
    m.ffn = 16000;
    m.ffn_kind = LLM_FFN_MLP;
    m.vocab = 2921;
    m.tied_embeddings = true;
    m.pos = LLM_POS_ROTARY;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    return m;
}

/* Rajbhandari et al. 2019 (ZeRO), Figure 1: Psi = 7.5B, Nd = 64, mixed-
 * precision Adam (K = 12): model states per GPU 120 / 31.4 / 16.6 / 1.9 GB
 * for baseline, Pos, Pos+g, Pos+g+p.  By hand: 16 Psi = 120e9;
 * 4 Psi + 12 Psi/64 = 31.40625e9; 2 Psi + 14 Psi/64 = 16.640625e9;
 * 16 Psi/64 = 1.875e9.  The paper rounds to 0.1 GB: tolerance 0.05 GB. */
static void test_zero_paper_figure1(void **state)
{
    (void)state;
    llm_model m = zero_model();
    const double paper[4] = {120.0, 31.4, 16.6, 1.9};
    const double exact[4] = {120e9, 31.40625e9, 16.640625e9, 1.875e9};
    for (uint32_t z = 0; z <= 3; z++) {
        llm_workload w;
        llm_workload_default(&w);
        w.dp = 64;
        w.zero = z;
        llm_estimate e = run(&m, &w);
        assert_int_equal(e.params.total, 7500000000ull);
        double states = e.per_gpu.weights + e.per_gpu.gradients + e.per_gpu.optimizer;
        if (fabs(states / 1e9 - paper[z]) > 0.05)
            fail_msg("stage %u: %.4f GB vs paper %.1f", z, states / 1e9, paper[z]);
        EXPECT_BYTES(states, exact[z]);
    }
}

/* ZeRO-Offload: optimizer states (fp32 master + m + v, 12 B/param) move to
 * host memory.  Psi = 7.5e9, dp = 64, ZeRO-2: GPU keeps 2 Psi weights =
 * 15e9 and 2 Psi/64 = 234,375,000 gradient bytes; host holds 12 Psi/64 =
 * 1,406,250,000.  With ZeRO-3 and parameter offload too, the GPU keeps no
 * weights and the host adds 2 Psi/64 = 234,375,000. */
static void test_zero_offload(void **state)
{
    (void)state;
    llm_model m = zero_model();
    llm_workload w;
    llm_workload_default(&w);
    w.dp = 64;
    w.zero = 2;
    w.offload_optimizer = true;
    llm_estimate e = run(&m, &w);
    EXPECT_BYTES(e.per_gpu.weights, 15e9);
    EXPECT_BYTES(e.per_gpu.gradients, 234375000.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 0.0);
    EXPECT_BYTES(e.per_gpu.host, 1406250000.0);
    w.zero = 3;
    w.offload_params = true;
    e = run(&m, &w);
    EXPECT_BYTES(e.per_gpu.weights, 0.0);
    EXPECT_BYTES(e.per_gpu.gradients, 234375000.0);
    EXPECT_BYTES(e.per_gpu.host, 1406250000.0 + 234375000.0);
}

/* Other optimizers (FORMULAS.md §3), 7.5e9 parameters on one GPU, bf16
 * weights: states per parameter beyond the 2-byte weights and 2-byte
 * gradients: AdamW 4+8, 8-bit AdamW 4+2, SGD with momentum 4+4, SGD 4,
 * Lion 4+4.  Pure fp32 training (weights fp32, no separate master): AdamW
 * 8 B/param. */
static void test_optimizers(void **state)
{
    (void)state;
    llm_model m = zero_model();
    const struct {
        llm_optimizer opt;
        double per_param;
    } cases[] = {{LLM_OPT_ADAMW, 12}, {LLM_OPT_ADAMW8BIT, 6}, {LLM_OPT_SGDM, 8},
                 {LLM_OPT_SGD, 4},    {LLM_OPT_LION, 8},      {LLM_OPT_NONE, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        llm_workload w;
        llm_workload_default(&w);
        w.optimizer = cases[i].opt;
        llm_estimate e = run(&m, &w);
        EXPECT_BYTES(e.per_gpu.optimizer, 7.5e9 * cases[i].per_param);
    }
    llm_workload w;
    llm_workload_default(&w);
    w.weights = w.grads = w.act = llm_dtype_make("fp32", 4, true);
    llm_estimate e = run(&m, &w);
    EXPECT_BYTES(e.per_gpu.weights, 30e9);
    EXPECT_BYTES(e.per_gpu.optimizer, 60e9);
}

/* Adafactor keeps, per matrix, a row and a column vector (no momentum).
 * One layer of the ZeRO shape has q, k, v, o (4000 x 4000: 8000 each),
 * up and down (4000 x 16000: 20000 each) = 72,000 plus 2 norms of 4000
 * kept in full = 80,000; x 39 layers = 3,120,000; + tied embedding
 * (2921 + 4000) + final norm 4000 = 3,130,921 elements x 4 B = 12,523,684,
 * plus the fp32 master copy 4 x 7.5e9 = 30e9. */
static void test_adafactor(void **state)
{
    (void)state;
    llm_model m = zero_model();
    llm_workload w;
    llm_workload_default(&w);
    w.optimizer = LLM_OPT_ADAFACTOR;
    llm_estimate e = run(&m, &w);
    EXPECT_BYTES(e.per_gpu.optimizer, 30e9 + 12523684.0);
}

/* Llama-3-8B in bf16: 8,030,261,248 x 2 = 16,060,522,496 B (vLLM's load
 * log reports 14.96 GiB).  At seq 4096, batch 2: KV 131,072 B/token x 4096 x 2
 * = 1,073,741,824 B. */
static void test_llama3_weights_and_kv(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 2);
    llm_estimate e = run(ref("llama-3-8b"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 16060522496.0);
    assert_true(fabs(e.per_gpu.weights / 1073741824.0 - 14.96) < 0.005);
    EXPECT_BYTES(e.per_gpu.kv_cache, 1073741824.0);
    EXPECT_BYTES(e.per_gpu.gradients, 0.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 0.0);
    /* total = parts + 1 GiB overhead (no fragmentation allowance by default) */
    EXPECT_BYTES(e.per_gpu.overhead, 1073741824.0);
    EXPECT_BYTES(e.per_gpu.total, e.per_gpu.weights + e.per_gpu.kv_cache +
                                       e.per_gpu.activations + e.per_gpu.overhead);
    /* Fragmentation 10% of the rest on top of the 1 GiB. */
    w.fragmentation = 0.1;
    llm_estimate f = run(ref("llama-3-8b"), &w);
    double rest = f.per_gpu.weights + f.per_gpu.kv_cache + f.per_gpu.activations;
    assert_true(fabs(f.per_gpu.overhead - (1073741824.0 + 0.1 * rest)) < 1.0);
    /* Cluster: 4 data-parallel replicas hold 4 copies of everything. */
    w.fragmentation = 0.0;
    w.dp = 4;
    f = run(ref("llama-3-8b"), &w);
    EXPECT_BYTES(f.cluster.weights, 4 * 16060522496.0);
    EXPECT_BYTES(f.cluster.total, 4 * f.per_gpu.total);
    assert_int_equal(f.gpus, 4);
}

/* KV cache bytes per token, whole model, bf16:
 * Llama-2-7B 2 x 32 layers x 32 heads x 128 x 2 = 524,288;
 * Llama-3-8B 2 x 32 x 8 x 128 x 2 = 131,072 (FORMULAS.md §4);
 * DeepSeek-V2-Lite (MLA) (kv_lora_rank 512 + rope 64) x 27 layers x 2 = 31,104. */
static void test_kv_per_token(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    EXPECT_BYTES(run(ref("llama-2-7b"), &w).kv_bytes_per_token, 524288.0);
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).kv_bytes_per_token, 131072.0);
    llm_estimate ds = run(ref("deepseek-v2-lite"), &w);
    EXPECT_BYTES(ds.kv_bytes_per_token, 31104.0);
    /* MLA cache at 4096 tokens: 31,104 x 4096 = 127,401,984; the latent is
     * shared by all heads, so with tp = 2 each GPU still keeps all of it. */
    EXPECT_BYTES(ds.per_gpu.kv_cache, 127401984.0);
    w.tp = 2;
    EXPECT_BYTES(run(ref("deepseek-v2-lite"), &w).per_gpu.kv_cache, 127401984.0);
    /* fp8 KV halves Llama-3-8B: 65,536 B/token. */
    w = infer(4096, 1);
    w.kv = llm_dtype_make("fp8", 1, true);
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).kv_bytes_per_token, 65536.0);
}

/* Sliding window: Mistral-7B (window 4096, every layer) at seq 8192, batch 1:
 * each layer caches 4096 tokens x (2 x 8 x 128 x 2 = 4096 B) x 32 layers
 * = 536,870,912 B instead of 1,073,741,824.  With one global layer in every
 * 2 (window_pattern 2, as Gemma-2): 16 x 8192 + 16 x 4096 tokens x 4096 B
 * = 805,306,368. */
static void test_kv_sliding_window(void **state)
{
    (void)state;
    llm_model m = *ref("mistral-7b-v0.1");
    m.window = 4096;
    llm_workload w = infer(8192, 1);
    EXPECT_BYTES(run(&m, &w).per_gpu.kv_cache, 536870912.0);
    m.window_pattern = 2;
    EXPECT_BYTES(run(&m, &w).per_gpu.kv_cache, 805306368.0);
    m.window = 0;
    m.window_pattern = 0;
    EXPECT_BYTES(run(&m, &w).per_gpu.kv_cache, 1073741824.0);
}

/* Tensor parallelism and the KV cache of Llama-3-8B (8 kv heads), seq 4096,
 * batch 1 (536,870,912 B on one GPU): tp = 4 splits the heads, 2 per GPU:
 * 134,217,728 B; tp = 16 > 8 heads: each GPU keeps one replicated head,
 * 2 x 1 x 128 x 2 = 512 B per layer-token x 32 layers x 4096 = 67,108,864 B
 * (not 536,870,912 / 16 = 33,554,432).
 * Paged cache with 16-token blocks at seq 4001: 4016 tokens x 131,072
 * = 526,385,152 B. */
static void test_kv_tp_and_blocks(void **state)
{
    (void)state;
    const llm_model *m = ref("llama-3-8b");
    llm_workload w = infer(4096, 1);
    w.tp = 4;
    EXPECT_BYTES(run(m, &w).per_gpu.kv_cache, 134217728.0);
    w.tp = 16;
    EXPECT_BYTES(run(m, &w).per_gpu.kv_cache, 67108864.0);
    w = infer(4001, 1);
    w.kv_block = 16;
    EXPECT_BYTES(run(m, &w).per_gpu.kv_cache, 526385152.0);
    w.kv_block = 0;
    EXPECT_BYTES(run(m, &w).per_gpu.kv_cache, 4001.0 * 131072.0);
}

/* Weights under tensor parallelism, Llama-3-8B bf16, tp = 8: linear layers
 * 6,979,321,856 / 8 = 872,415,232 + embedding and LM head 2 x 525,336,576 / 8
 * = 131,334,144 (vocab-parallel) + norms 266,240 replicated = 1,004,015,616
 * params x 2 B = 2,008,031,232. */
static void test_tp_weights(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    w.tp = 8;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 2008031232.0);
}

/* Quantisation with group scales: int4, groups of 128 with an fp16 scale and
 * zero = 0.5 + 4/128 = 0.53125 B/weight (FORMULAS.md §2).  Llama-3-8B: the
 * 6,979,321,856 linear weights x 0.53125 = 3,707,764,736, embedding + head +
 * norms (1,050,939,392) kept in bf16 = 2,101,878,784: 5,809,643,520 B.
 * Without keeping them: 8,030,261,248 x 0.53125 = 4,266,076,288. */
static void test_int4_group_scales(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    w.weights = llm_dtype_make("int4-g128", 0.5 + 4.0 / 128.0, false);
    w.weights.bits = 4;
    w.weights.group = 128;
    w.weights.scale_bytes = 4;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 5809643520.0);
    w.quant_keep_16bit = false;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 4266076288.0);
}

/* Pruning (FORMULAS.md §5) on Llama-3-8B bf16 linear weights (6,979,321,856):
 * 2:4 keeps half the values (1 B/weight) + a 2-bit index per kept value
 * (0.125 B/weight) = 1.125 B: 7,851,737,088 + 2,101,878,784 (embeddings, head,
 * norms) = 9,953,615,872.  CSR at 50%: 0.5 x (2 + 4) = 3 B/weight:
 * 20,937,965,568 + 2,101,878,784 = 23,039,844,352 (worse than dense).
 * Dense storage keeps the zeros: 16,060,522,496 unchanged. */
static void test_pruning(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    w.sparsity = 0.5;
    w.sparse_storage = LLM_SPARSE_2_4;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 9953615872.0);
    w.sparse_storage = LLM_SPARSE_CSR;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 23039844352.0);
    w.sparse_storage = LLM_SPARSE_DENSE;
    EXPECT_BYTES(run(ref("llama-3-8b"), &w).per_gpu.weights, 16060522496.0);
}

/* LoRA (Hu et al. 2021) on Llama-2-7B, r = 8 on q_proj and v_proj:
 * 32 layers x 2 x 8 x (4096 + 4096) = 4,194,304 trainable parameters (what
 * PEFT's print_trainable_parameters reports for this setup).  Frozen base
 * in bf16: 6,738,415,616 x 2 = 13,476,831,232; adapters fp32 4 B each:
 * weights 13,493,608,448; gradients 16,777,216 (fp32); AdamW m and v
 * 8 B each: 33,554,432. */
static void test_lora(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_LORA;
    w.lora_rank = 8;
    w.lora_targets = LLM_LORA_Q | LLM_LORA_V;
    llm_estimate e = run(ref("llama-2-7b"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 13493608448.0);
    EXPECT_BYTES(e.per_gpu.gradients, 16777216.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 33554432.0);
}

/* QLoRA (Dettmers et al. 2023) on Llama-2-7B: base linear weights in NF4
 * with an fp32 absmax per 64 weights (no double quantisation) = 0.5 + 4/64
 * = 0.5625 B: 6,476,005,376 x 0.5625 = 3,642,753,024; embedding, head and
 * norms in bf16: 262,410,240 x 2 = 524,820,480.  Adapters r = 16 on all seven
 * matrices: per layer 4 x 16 x 8192 + 3 x 16 x (4096 + 11008) = 1,249,280,
 * x 32 = 39,976,960 params in fp32 = 159,907,840 B.  Weights 4,327,481,344;
 * gradients 159,907,840; AdamW 319,815,680. */
static void test_qlora(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_QLORA;
    w.weights = llm_dtype_make("nf4", 0.5 + 4.0 / 64.0, false);
    w.lora_rank = 16;
    w.lora_targets = LLM_LORA_ALL;
    llm_estimate e = run(ref("llama-2-7b"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 4327481344.0);
    EXPECT_BYTES(e.per_gpu.gradients, 159907840.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 319815680.0);
}

/* Distillation: GPT-2 (124,439,808) trains while GPT-2 medium (354,823,168)
 * runs forward in bf16.  Weights 2 x (124,439,808 + 354,823,168) =
 * 958,525,952; gradients 248,879,616 and AdamW 12 x 124,439,808 =
 * 1,493,277,696 for the student only.  Activations: the student's, plus the
 * teacher's forward transient (seq 1024, flash on: residual 2 s h x 2 =
 * 4,194,304 + its MLP, the larger transient, s f x 2 x 2 = 16,777,216)
 * plus its fp32 logits s V x 4 = 205,852,672: 226,824,192 more. */
static void test_distillation(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.seq = 1024;
    llm_estimate student = run(ref("gpt2"), &w);
    w.mode = LLM_MODE_DISTILL;
    w.has_teacher = true;
    w.teacher = *ref("gpt2-medium");
    llm_estimate e = run(ref("gpt2"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 958525952.0);
    EXPECT_BYTES(e.per_gpu.gradients, 248879616.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 1493277696.0);
    EXPECT_BYTES(e.per_gpu.activations - student.per_gpu.activations, 226824192.0);
}

/* Mixture of experts, Mixtral-8x7B: 32 layers x 8 experts x 3 x 4096 x 14336
 * = 45,097,156,608 expert parameters; the rest 1,605,636,096.  Active per
 * token (2 of 8): 1,605,636,096 + 45,097,156,608 / 4 = 12,879,925,248 (Mistral
 * AI: "12.9B active parameters").  Expert parallel ep = 8 (dp = 8): each GPU
 * keeps 1/8 of the experts: (1,605,636,096 + 5,637,144,576) x 2 B
 * = 14,485,561,344 B. */
static void test_moe_expert_parallel(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    llm_estimate e = run(ref("mixtral-8x7b"), &w);
    assert_int_equal(e.params.experts, 45097156608ull);
    assert_int_equal(e.params.active, 12879925248ull);
    EXPECT_BYTES(e.per_gpu.weights, 46702792704.0 * 2);
    w.dp = 8;
    w.ep = 8;
    e = run(ref("mixtral-8x7b"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 14485561344.0);
    /* cluster: 8 replicas of the dense part, one copy of every expert */
    EXPECT_BYTES(e.cluster.weights, (8 * 1605636096.0 + 45097156608.0) * 2);

    /* The same 8-way expert split taken from tp = 8 ranks (dp = 1): each GPU
     * keeps whole experts, 1/8 of them (expert tensor parallel 1):
     * 5,637,144,576; attention 1,342,177,280 and embedding + head 262,144,000
     * split 8 ways: 200,540,160; router 1,048,576 and norms 266,240
     * replicated.  Sum 5,838,999,552 x 2 B = 11,677,999,104. */
    w.dp = 1;
    w.tp = 8;
    e = run(ref("mixtral-8x7b"), &w);
    EXPECT_BYTES(e.per_gpu.weights, 11677999104.0);

    /* Training with ZeRO-1 over dp = 8: expert optimizer states are sharded
     * over the dp / ep = 1 expert-data-parallel replica, the rest over 8:
     * 12 x (1,605,636,096 / 8 + 5,637,144,576) = 70,053,289,056. */
    llm_workload t;
    llm_workload_default(&t);
    t.dp = 8;
    t.ep = 8;
    t.zero = 1;
    e = run(ref("mixtral-8x7b"), &t);
    EXPECT_BYTES(e.per_gpu.optimizer, 12.0 * (1605636096.0 / 8 + 5637144576.0));
}

/* Pipeline parallel, Llama-2-7B, pp = 4: a layer has 4 x 4096^2 + 3 x 4096
 * x 11008 + 2 x 4096 = 202,383,360 parameters.  Stage 0 holds 8 layers and
 * the embedding (131,072,000): 1,750,138,880 params = 3,500,277,760 B in
 * bf16; the last stage holds 8 layers, the final norm (4096) and the LM
 * head: 8192 B more weights, but with 1F1B stage 0 keeps 4 micro-batches of
 * its 8 layers (= 32 layers' worth, Korthikanti et al. §4.2.3) against 1 on
 * the last stage, so stage 0 is the most loaded. */
static void test_pipeline_most_loaded_stage(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.pp = 4;
    w.seq = 4096;
    llm_estimate e = run(ref("llama-2-7b"), &w);
    assert_int_equal(e.stage, 0);
    EXPECT_BYTES(e.per_gpu.weights, 3500277760.0);
    EXPECT_BYTES(e.per_gpu.gradients, 3500277760.0);
    EXPECT_BYTES(e.per_gpu.optimizer, 6.0 * 3500277760.0);
    EXPECT_BYTES(e.act_inflight, 32.0);
    /* Interleaving m = 2 chunks: x (1 + 3/8) = 44 layers' worth. */
    w.vpp = 2;
    e = run(ref("llama-2-7b"), &w);
    EXPECT_BYTES(e.act_inflight, 44.0);
    assert_int_equal(e.gpus, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_paper_figure1),
        cmocka_unit_test(test_zero_offload),
        cmocka_unit_test(test_optimizers),
        cmocka_unit_test(test_adafactor),
        cmocka_unit_test(test_llama3_weights_and_kv),
        cmocka_unit_test(test_kv_per_token),
        cmocka_unit_test(test_kv_sliding_window),
        cmocka_unit_test(test_kv_tp_and_blocks),
        cmocka_unit_test(test_tp_weights),
        cmocka_unit_test(test_int4_group_scales),
        cmocka_unit_test(test_pruning),
        cmocka_unit_test(test_lora),
        cmocka_unit_test(test_qlora),
        cmocka_unit_test(test_distillation),
        cmocka_unit_test(test_moe_expert_parallel),
        cmocka_unit_test(test_pipeline_most_loaded_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
