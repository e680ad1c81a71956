/* Exact parameter counts against published figures.
 *
 * The table-driven test walks every model of ../shared/reference/models.json
 * (copied to tests/fixtures/reference/, turned into reference_models.h by
 * tests/tools/gen_reference_models.py): "exact" entries must match to the
 * parameter; the GPT-3 paper's rounded sizes must fall within its rounding.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/model.h"
#include "reference_models.h"

static const ref_model *ref(const char *name)
{
    for (size_t i = 0; i < sizeof reference_models / sizeof reference_models[0]; i++)
        if (strcmp(reference_models[i].name, name) == 0) return &reference_models[i];
    fail_msg("no reference model %s", name);
    return NULL;
}

static llm_params count(const llm_model *m)
{
    llm_params p;
    llm_error err;
    llm_code rc = llm_params_count(m, &p, &err);
    if (rc != LLM_OK) fail_msg("%s", err.message);
    return p;
}

/* Every exact reference model equals its published count. */
static void test_every_exact_reference_model(void **state)
{
    (void)state;
    int checked = 0;
    for (size_t i = 0; i < sizeof reference_models / sizeof reference_models[0]; i++) {
        const ref_model *r = &reference_models[i];
        if (strncmp(r->kind, "exact", 5) != 0) continue;
        llm_params p = count(&r->m);
        if (p.total != r->published)
            fail_msg("%s: computed %llu, published %llu", r->name, (unsigned long long)p.total,
                     (unsigned long long)r->published);
        checked++;
    }
    assert_true(checked >= 14);
}

/* GPT-3 paper (Brown et al. 2020, Table 2.1) prints sizes rounded to 2-3
 * significant figures.  Assumed GPT-2 layout (see models.json notes).  By hand
 * (12h^2+13h per layer with an attention width of heads x d_head, + V h + 2048 h + 2h):
 * 125M -> 125,226,240 (+0.18%); 350M -> 355,871,744 (+1.68%); 760M -> 760,300,032
 * (+0.04%); 1.3B -> 1,315,723,264 (+1.21%); 2.7B -> 2,651,553,280 (-1.79%);
 * 6.7B -> 6,658,404,352 (-0.62%); 13B -> about 12.94B (-0.5%); 175B -> 174,604,259,328
 * (-0.23%).
 * The paper rounds to the printed digits, so every size lies within 2%. */
static void test_gpt3_sizes_within_paper_rounding(void **state)
{
    (void)state;
    const char *names[] = {"gpt3-small", "gpt3-medium", "gpt3-large", "gpt3-xl",
                           "gpt3-2.7b",  "gpt3-6.7b",   "gpt3-13b",   "gpt3-175b"};
    for (size_t i = 0; i < 8; i++) {
        const ref_model *r = ref(names[i]);
        llm_params p = count(&r->m);
        double rel = ((double)p.total - (double)r->published) / (double)r->published;
        if (fabs(rel) > 0.02)
            fail_msg("%s: %llu vs paper %llu (%.2f%%)", r->name, (unsigned long long)p.total,
                     (unsigned long long)r->published, rel * 100);
    }
    /* 175B by hand: 96 x (4h^2+4h + 8h^2+5h + 4h) + V h + 2048 h + 2h, h = 12288,
     * V = 50257 = 173,946,175,488 + 617,558,016 + 25,165,824 + 24,576
     * = 174,588,923,904 (+ layer-norm and bias terms below). */
    llm_params p = count(&ref("gpt3-175b")->m);
    uint64_t h = 12288, V = 50257;
    uint64_t layer = 12 * h * h + 13 * h; /* qkv+out 4h^2+4h, mlp 8h^2+5h, 2 LN 4h */
    assert_int_equal(p.total, 96 * layer + V * h + 2048 * h + 2 * h);
}

/* Issue acceptance: Llama-3-8B 8,030,261,248 (Meta model card / HF safetensors). */
static void test_llama3_8b(void **state)
{
    (void)state;
    llm_model m = {0};
    m.layers = 32;
    m.hidden = 4096;
    m.heads = 32;
    m.kv_heads = 8;
    m.ffn = 14336;
    m.ffn_kind = LLM_FFN_GATED;
    m.vocab = 128256;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    m.pos = LLM_POS_ROTARY;
    llm_params p = count(&m);
    assert_int_equal(p.total, 8030261248ull);
    /* Hand calculation: embedding = lm_head = 128256 x 4096 = 525,336,576. */
    assert_int_equal(p.embedding, 525336576ull);
    assert_int_equal(p.lm_head, 525336576ull);
    /* attention per layer: 4096x4096 x2 (q,o) + 4096x1024 x2 (k,v) = 41,943,040. */
    assert_int_equal(p.attention, 32ull * 41943040ull);
    /* mlp per layer: 3 x 4096 x 14336 = 176,160,768. */
    assert_int_equal(p.mlp, 32ull * 176160768ull);
    assert_int_equal(p.norms, 65ull * 4096ull);
    assert_int_equal(p.active, p.total);
}

/* Issue acceptance: GPT-2 small 124,439,808 (Keras preset count, HF numel). */
static void test_gpt2(void **state)
{
    (void)state;
    llm_params p = count(&ref("gpt2")->m);
    assert_int_equal(p.total, 124439808ull);
    /* wpe 1024 x 768 = 786,432; wte 50257 x 768 = 38,597,376 (tied). */
    assert_int_equal(p.positions, 786432ull);
    assert_int_equal(p.embedding, 38597376ull);
    assert_int_equal(p.lm_head, 0);
}

/* Mixtral-8x7B: 46,702,792,704 total; active with 2 of 8 experts: 12,879,925,248
 * (models.json notes: paramcount.active_params; by hand: total - 32 x 6 x 3 x 4096 x 14336
 * = 46,702,792,704 - 33,822,867,456 = 12,879,925,248). */
static void test_mixtral_total_and_active(void **state)
{
    (void)state;
    llm_params p = count(&ref("mixtral-8x7b")->m);
    assert_int_equal(p.total, 46702792704ull);
    assert_int_equal(p.active, 12879925248ull);
    assert_int_equal(p.router, 32ull * 4096 * 8);
}

/* DeepSeek-V2-Lite: active 2,661,150,208 (models.json notes, paramcount). */
static void test_deepseek_v2_lite_active(void **state)
{
    (void)state;
    llm_params p = count(&ref("deepseek-v2-lite")->m);
    assert_int_equal(p.total, 15706484224ull);
    assert_int_equal(p.active, 2661150208ull);
}

/* T5-base: encoder/decoder split by hand.  Encoder: 12 x (4 x 768^2 + 2 x 768 x 3072
 * + 2 x 768) + 32 x 12 + 768 = 84,954,240; decoder: 12 x (8 x 768^2 + 2 x 768 x 3072
 * + 3 x 768) + 384 + 768 = 113,275,008; plus the shared embedding 32128 x 768. */
static void test_t5_split(void **state)
{
    (void)state;
    llm_params p = count(&ref("t5-base")->m);
    assert_int_equal(p.encoder, 84954240ull);
    assert_int_equal(p.decoder, 113275008ull);
    assert_int_equal(p.total, 84954240ull + 113275008ull + 32128ull * 768ull);
}

/* Llama-3.2-1B with tied embeddings; untied would be 1,498,482,688 (models.json notes). */
static void test_tying(void **state)
{
    (void)state;
    llm_model m = ref("llama-3.2-1b")->m;
    assert_int_equal(count(&m).total, 1235814400ull);
    m.tied_embeddings = false;
    assert_int_equal(count(&m).total, 1498482688ull);
}

/* Qwen2.5-7B without qkv biases is short by L x (H + 2 KV) x head_dim
 * = 28 x (3584 + 2 x 512) = 129,024 (models.json notes). */
static void test_qkv_bias(void **state)
{
    (void)state;
    llm_model m = ref("qwen2.5-7b")->m;
    m.qkv_bias = false;
    assert_int_equal(count(&m).total, 7615616512ull - 28ull * (3584 + 2 * 512));
}

/* Gemma-2-9B: the paper's non-embedding count 8,324,201,984 (arXiv:2408.00118
 * Table 2) equals the non-embedding part exactly. */
static void test_gemma2_non_embedding(void **state)
{
    (void)state;
    llm_params p = count(&ref("gemma-2-9b")->m);
    assert_int_equal(p.non_embedding, 8324201984ull);
}

/* ---- validation errors: one test per rule ---- */
static llm_model valid_model(void)
{
    llm_model m = {0};
    m.layers = 2;
    m.hidden = 64;
    m.heads = 4;
    m.ffn = 256;
    m.vocab = 100;
    m.norms_per_layer = 2;
    return m;
}

static void expect_error(const llm_model *m, llm_code code, const char *needle)
{
    llm_params p;
    llm_error err;
    llm_error_clear(&err);
    llm_code rc = llm_params_count(m, &p, &err);
    assert_int_equal(rc, code);
    if (!strstr(err.message, needle)) fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_err_zero_layers(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.layers = 0;
    expect_error(&m, LLM_ERR_RANGE, "layers must be at least 1");
}

static void test_err_zero_hidden(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.hidden = 0;
    expect_error(&m, LLM_ERR_RANGE, "hidden must be at least 1");
}

static void test_err_zero_heads(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.heads = 0;
    expect_error(&m, LLM_ERR_RANGE, "heads must be at least 1");
}

static void test_err_zero_vocab(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.vocab = 0;
    expect_error(&m, LLM_ERR_RANGE, "vocab must be at least 1");
}

static void test_err_zero_ffn(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.ffn = 0;
    expect_error(&m, LLM_ERR_RANGE, "ffn must be at least 1");
}

static void test_err_heads_not_dividing(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.heads = 5;
    expect_error(&m, LLM_ERR_INVALID, "heads (5) must divide hidden (64) unless head_dim is given");
    m.head_dim = 16; /* explicit head_dim makes it legal (Gemma-7B: 16 x 256 != 3072) */
    llm_params p;
    assert_int_equal(llm_params_count(&m, &p, NULL), LLM_OK);
}

static void test_err_kv_not_dividing(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.kv_heads = 3;
    expect_error(&m, LLM_ERR_INVALID, "kv_heads (3) must divide heads (4)");
}

static void test_err_kv_above_heads(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.kv_heads = 8;
    expect_error(&m, LLM_ERR_INVALID, "kv_heads (8) must not exceed heads (4)");
}

static void test_err_active_above_experts(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.experts = 4;
    m.active_experts = 5;
    expect_error(&m, LLM_ERR_INVALID, "active_experts (5) must not exceed experts (4)");
}

static void test_err_active_zero(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.experts = 4;
    expect_error(&m, LLM_ERR_RANGE, "active_experts must be at least 1");
}

static void test_err_dense_layers(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.experts = 4;
    m.active_experts = 1;
    m.dense_layers = 3;
    expect_error(&m, LLM_ERR_INVALID, "dense_layers (3) must not exceed layers (2)");
}

static void test_err_overflow(void **s)
{
    (void)s;
    /* 2^20 layers x 2^40 hidden x 2^40 heads*dim cannot fit in 64 bits. */
    llm_model m = valid_model();
    m.layers = 1ull << 20;
    m.hidden = 1ull << 40;
    m.heads = 1ull << 20;
    m.ffn = 1ull << 40;
    expect_error(&m, LLM_ERR_OVERFLOW, "does not fit in 64 bits");
}

static void test_err_overflow_in_sum(void **s)
{
    (void)s;
    /* Each product fits but 12 L h^2 does not: L = 2^30, h = 2^18 gives 12 x 2^66. */
    llm_model m = valid_model();
    m.layers = 1ull << 30;
    m.hidden = 1ull << 18;
    m.heads = 1;
    m.ffn = 1ull << 20;
    expect_error(&m, LLM_ERR_OVERFLOW, "does not fit in 64 bits");
}

static void test_err_size_limit(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.vocab = (1ull << 40) + 1;
    expect_error(&m, LLM_ERR_RANGE, "vocab is 1099511627777, above the limit");
}

static void test_err_learned_rows(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.pos = LLM_POS_LEARNED;
    expect_error(&m, LLM_ERR_RANGE, "pos_rows must be at least 1");
}

static void test_err_encoder_layers(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.arch = LLM_ARCH_ENCODER_DECODER;
    expect_error(&m, LLM_ERR_RANGE, "encoder_layers must be at least 1");
}

static void test_err_mla_rank(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.attn = LLM_ATTN_MLA;
    expect_error(&m, LLM_ERR_RANGE, "kv_lora_rank must be at least 1");
}

static void test_err_window_pattern(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.window_pattern = 2;
    expect_error(&m, LLM_ERR_INVALID, "window_pattern needs a window size");
}

/* A tiny model by hand: L=2, h=64, a=4, f=256, V=100, LayerNorm without bias, untied:
 * per layer 4 x 64^2 + 2 x 64 x 256 + 2 x 64 = 49,280; + 2 x 100 x 64 = 12,800 -> 111,360. */
static void test_tiny_by_hand(void **s)
{
    (void)s;
    llm_model m = valid_model();
    assert_int_equal(count(&m).total, 2ull * 49280 + 12800);
}

/* Sliding-window layer counts: Gemma-2 alternates (42 layers -> 21 sliding),
 * Gemma-3 has 5 local per global (34 layers -> 29), Mistral slides everywhere. */
static void test_window_layers(void **s)
{
    (void)s;
    llm_model m = valid_model();
    m.window = 4096;
    m.layers = 42;
    m.window_pattern = 2;
    assert_int_equal(llm_model_window_layers(&m), 21);
    m.layers = 34;
    m.window_pattern = 6;
    assert_int_equal(llm_model_window_layers(&m), 29);
    m.window_pattern = 0;
    assert_int_equal(llm_model_window_layers(&m), 34);
}

static void test_enum_names_round_trip(void **s)
{
    (void)s;
    llm_ffn_kind f;
    assert_true(llm_ffn_kind_parse("gated", &f));
    assert_int_equal(f, LLM_FFN_GATED);
    assert_string_equal(llm_pos_kind_name(LLM_POS_ALIBI), "alibi");
    llm_norm_kind n;
    assert_false(llm_norm_kind_parse("batchnorm", &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_exact_reference_model),
        cmocka_unit_test(test_gpt3_sizes_within_paper_rounding),
        cmocka_unit_test(test_llama3_8b),
        cmocka_unit_test(test_gpt2),
        cmocka_unit_test(test_mixtral_total_and_active),
        cmocka_unit_test(test_deepseek_v2_lite_active),
        cmocka_unit_test(test_t5_split),
        cmocka_unit_test(test_tying),
        cmocka_unit_test(test_qkv_bias),
        cmocka_unit_test(test_gemma2_non_embedding),
        cmocka_unit_test(test_err_zero_layers),
        cmocka_unit_test(test_err_zero_hidden),
        cmocka_unit_test(test_err_zero_heads),
        cmocka_unit_test(test_err_zero_vocab),
        cmocka_unit_test(test_err_zero_ffn),
        cmocka_unit_test(test_err_heads_not_dividing),
        cmocka_unit_test(test_err_kv_not_dividing),
        cmocka_unit_test(test_err_kv_above_heads),
        cmocka_unit_test(test_err_active_above_experts),
        cmocka_unit_test(test_err_active_zero),
        cmocka_unit_test(test_err_dense_layers),
        cmocka_unit_test(test_err_overflow),
        cmocka_unit_test(test_err_overflow_in_sum),
        cmocka_unit_test(test_err_size_limit),
        cmocka_unit_test(test_err_learned_rows),
        cmocka_unit_test(test_err_encoder_layers),
        cmocka_unit_test(test_err_mla_rank),
        cmocka_unit_test(test_err_window_pattern),
        cmocka_unit_test(test_tiny_by_hand),
        cmocka_unit_test(test_window_layers),
        cmocka_unit_test(test_enum_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
