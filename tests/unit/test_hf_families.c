/* Key mapping of the config.json families that have no reference config.
 *
 * Inputs are the hand-written fixtures in tests/fixtures/hf/<model>/config.json
 * (see the README there).  Each expected count is a published figure or a
 * hand calculation written out below from the module structure of the
 * family's transformers modelling code - never llmem's own output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/presets.h"

#define HF LLMEM_FIXTURES "/hf"

static llm_preset load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, HF "/%s/config.json", name);
    llm_preset p;
    llm_error err;
    if (llm_hf_config_load(path, &p, &err) != LLM_OK)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.message);
    return p;
}

static llm_params count(const llm_preset *p)
{
    llm_params c;
    llm_error err;
    if (llm_params_count(&p->model, &c, &err) != LLM_OK) fail_msg("%s", err.message);
    return c;
}

/* Falcon-7B: 6,921,720,704, models.json "falcon-7b" (exact_unverified: the
 * numel of FalconForCausalLM with the tied lm_head; the HF file total
 * 7,217,189,760 adds the stored lm_head copy, 65024 x 4544).  By hand:
 * head_dim 4544/71 = 64; multi_query: query_key_value 4544 x (71+2) x 64 =
 * 21,229,568; dense 4544^2 = 20,647,936; MLP 2 x 4544 x 18176 = 165,183,488;
 * one LayerNorm (parallel_attn) 2 x 4544 = 9,088; layer 207,070,080 x 32 =
 * 6,626,242,560; embedding 65024 x 4544 = 295,469,056; ln_f 9,088.
 * Sum 6,921,720,704. */
static void test_falcon_7b(void **state)
{
    (void)state;
    llm_preset p = load("falcon-7b");
    const llm_model *m = &p.model;
    assert_int_equal(count(&p).total, 6921720704ull);
    assert_int_equal(m->kv_heads, 1);        /* multi_query */
    assert_int_equal(m->norms_per_layer, 1); /* parallel_attn, old architecture */
    assert_true(m->parallel_block);
    assert_false(m->qkv_bias || m->attn_out_bias || m->mlp_bias); /* bias: false */
    assert_true(m->norm_bias);
    assert_true(m->tied_embeddings);
    assert_int_equal(m->pos, LLM_POS_ROTARY); /* alibi: false */
    assert_int_equal(m->ffn, 4 * 4544);       /* ffn_hidden_size None -> 4h */
    assert_int_equal(m->max_seq, 2048);       /* FalconConfig default */
    assert_string_equal(p.family, "falcon");
}

/* Falcon-40B (new_decoder_architecture, num_kv_heads 8): by hand, head_dim
 * 8192/128 = 64; query_key_value 8192 x (128 + 2 x 8) x 64 = 75,497,472; dense
 * 67,108,864; MLP 2 x 8192 x 32768 = 536,870,912; ln_attn + ln_mlp 4 x 8192 =
 * 32,768; layer 679,510,016 x 60 = 40,770,600,960; embedding 65024 x 8192 =
 * 532,676,608 (tied); ln_f 16,384.  Sum 41,303,293,952 (the "40B"). */
static void test_falcon_40b_new_architecture(void **state)
{
    (void)state;
    llm_preset p = load("falcon-40b");
    assert_int_equal(count(&p).total, 41303293952ull);
    assert_int_equal(p.model.kv_heads, 8);
    assert_int_equal(p.model.norms_per_layer, 2);
    assert_true(p.model.parallel_block);
}

/* OPT-125m: by hand, embedding 50272 x 768 = 38,608,896; positions (2048 + 2)
 * x 768 = 1,574,400; per layer q, k, v, out_proj with biases 4 x 768^2 + 4 x 768
 * = 2,362,368, fc1/fc2 2 x 768 x 3072 + 3072 + 768 = 4,722,432, two LayerNorms
 * 3,072: 7,087,872 x 12 = 85,054,464; final LayerNorm 1,536; lm_head tied.
 * Sum 125,239,296, the count usually quoted for facebook/opt-125m. */
static void test_opt_125m(void **state)
{
    (void)state;
    llm_preset p = load("opt-125m");
    const llm_model *m = &p.model;
    assert_int_equal(count(&p).total, 125239296ull);
    assert_int_equal(m->pos, LLM_POS_LEARNED);
    assert_int_equal(m->pos_rows, 2050);
    assert_int_equal(m->pos_offset, 2);
    assert_int_equal(m->max_seq, 2048);
    assert_int_equal(m->ffn, 3072);
    assert_true(m->final_norm);
    /* id from the directory, name from _name_or_path */
    assert_string_equal(p.id, "opt-125m");
    assert_string_equal(p.name, "facebook/opt-125m");
    /* torch_dtype float16 -> weights fp16 */
    assert_true(p.has_workload);
    assert_string_equal(p.workload.weights.name, "fp16");
    assert_true(p.workload.weights.bytes == 2.0);
}

/* OPT-350m projects 512-wide embeddings to 1024 (project_in/project_out):
 * not expressible, so an error at the word_embed_proj_dim key (line 17 of the
 * fixture, column 3). */
static void test_opt_350m_projection_is_refused(void **state)
{
    (void)state;
    llm_preset p;
    llm_error err;
    assert_int_equal(llm_hf_config_load(HF "/opt-350m/config.json", &p, &err), LLM_ERR_INVALID);
    assert_string_equal(err.message, "word_embed_proj_dim 512 differs from hidden_size 1024: OPT's "
                                     "project_in/project_out matrices cannot be expressed");
    assert_int_equal(err.line, 17);
    assert_int_equal(err.col, 3);
}

/* BLOOM-560m: 559,214,592 (models.json "bloom-560m": Keras preset
 * bloom_560m_multi and a third-party table of HF sizes).  By hand: embedding
 * 250880 x 1024 = 256,901,120 + its LayerNorm 2,048; per layer qkv+dense with
 * biases 4,198,400, MLP 1024 -> 4096 -> 1024 with biases 8,393,728, two
 * LayerNorms 4,096: 12,596,224 x 24 = 302,309,376; ln_f 2,048.  Also reads the
 * n_embed key name and ignores n_inner (BloomMLP is always 4h). */
static void test_bloom_560m(void **state)
{
    (void)state;
    llm_preset p = load("bloom-560m");
    assert_int_equal(count(&p).total, 559214592ull);
    assert_int_equal(p.model.pos, LLM_POS_ALIBI);
    assert_true(p.model.embedding_norm);
    assert_true(p.model.tied_embeddings);
    assert_int_equal(p.model.max_seq, 0); /* BLOOM configs state no context length */
}

/* Phi-3-mini-4k: by hand, embedding and (untied) lm_head 2 x 32064 x 3072 =
 * 197,001,216; per layer fused qkv_proj 3072 x 9216 + o_proj 3072^2 =
 * 37,748,736, gate_up_proj 3072 x 16384 + down_proj 8192 x 3072 = 75,497,472,
 * two RMSNorms 6,144: 113,252,352 x 32 = 3,624,075,264; final norm 3,072.
 * Sum 3,821,079,552 (the "3.8B" of the Phi-3 report, arXiv:2404.14219). */
static void test_phi3_mini(void **state)
{
    (void)state;
    llm_preset p = load("phi-3-mini-4k");
    assert_int_equal(count(&p).total, 3821079552ull);
    assert_false(p.model.qkv_bias);
    assert_false(p.model.tied_embeddings);
    assert_int_equal(p.model.window, 2047); /* sliding_window, every layer */
    assert_int_equal(p.model.window_pattern, 0);
    assert_int_equal(p.model.max_seq, 4096);
}

/* Gemma-3-1B (gemma3_text): by hand, embedding 262144 x 1152 = 301,989,888
 * (tied); per layer q 1152 x 4 x 256 = 1,179,648, k and v 2 x 1152 x 256 =
 * 589,824, o 1,179,648, q_norm + k_norm 2 x 256 = 512, GeGLU 3 x 1152 x 6912 =
 * 23,887,872, four RMSNorms 4,608: 26,842,112 x 26 = 697,894,912; final norm
 * 1,152.  Sum 999,885,952 (the "1B").  sliding_window_pattern 6 over 26
 * layers: layers 5, 11, 17, 23 are global, 22 slide. */
static void test_gemma3_text_1b(void **state)
{
    (void)state;
    llm_preset p = load("gemma-3-1b");
    const llm_model *m = &p.model;
    assert_int_equal(count(&p).total, 999885952ull);
    assert_true(m->qk_norm);
    assert_int_equal(m->norms_per_layer, 4);
    assert_int_equal(m->head_dim, 256);
    assert_int_equal(m->kv_heads, 1);
    assert_int_equal(m->window, 512);
    assert_int_equal(m->window_pattern, 6);
    assert_int_equal(llm_model_window_layers(m), 22);
    assert_int_equal(m->max_seq, 32768);
}

/* Gemma-3-4B-it (model_type gemma3: text model + SigLIP vision tower): the
 * text model is read from text_config, which omits what equals the
 * Gemma3TextConfig defaults (vocab 262208, 8 heads, 4 kv heads, head_dim 256).
 * By hand: per layer q 2560 x 2048 = 5,242,880, k and v 2 x 2560 x 1024 =
 * 5,242,880, o 5,242,880, q/k norms 512, GeGLU 3 x 2560 x 10240 = 78,643,200,
 * four norms 10,240: 94,382,592 x 34 = 3,209,008,128; final norm 2,560;
 * embedding 262208 x 2560 = 671,252,480 (tied).  Sum 3,880,263,168.  The
 * Gemma 3 report (arXiv:2503.19786, Table 1) gives 3,209M non-embedding
 * parameters for 4B, and 417M for the vision encoder (not counted here). */
static void test_gemma3_composite_text_config(void **state)
{
    (void)state;
    llm_preset p = load("gemma-3-4b-it");
    const llm_model *m = &p.model;
    llm_params c = count(&p);
    assert_int_equal(c.total, 3880263168ull);
    assert_true(c.non_embedding > 3208500000ull && c.non_embedding < 3209500000ull);
    assert_int_equal(m->vocab, 262208);
    assert_int_equal(m->heads, 8);
    assert_int_equal(m->kv_heads, 4);
    assert_int_equal(m->window, 1024);
    assert_int_equal(llm_model_window_layers(m), 29);     /* 34 layers, every 6th global */
    assert_string_equal(p.workload.weights.name, "bf16"); /* top-level torch_dtype */
    assert_non_null(strstr(p.notes, "vision tower"));
}

/* DeepSeek-V3: by hand, MLA per layer q_a 7168 x 1536 = 11,010,048, q_a_norm
 * 1,536, q_b 1536 x 128 x 192 = 37,748,736, kv_a 7168 x 576 = 4,128,768,
 * kv_a_norm 512, kv_b 512 x 128 x 256 = 16,777,216, o 16384 x 7168 =
 * 117,440,512 -> 187,107,328; two norms 14,336.  3 dense layers with MLP
 * 3 x 7168 x 18432 = 396,361,728: 3 x 583,483,392 = 1,750,450,176.  58 MoE
 * layers: 256 experts x 3 x 7168 x 2048 = 11,274,289,152, one shared expert
 * 44,040,192, router 256 x 7168 + 256 (e_score_correction_bias) = 1,835,264:
 * 58 x 11,507,286,272 = 667,422,603,776.  Embedding and lm_head 2 x 129280 x
 * 7168 = 1,853,358,080; final norm 7,168.  Sum 671,026,419,200 (the "671B
 * total" of the DeepSeek-V3 report, arXiv:2412.19437, which excludes the 14B
 * MTP module).  Active: minus 58 x 248 unused experts x 44,040,192 =
 * 37,552,297,472 (the report's "37B activated"). */
static void test_deepseek_v3(void **state)
{
    (void)state;
    llm_preset p = load("deepseek-v3");
    const llm_model *m = &p.model;
    llm_params c = count(&p);
    assert_int_equal(c.total, 671026419200ull);
    assert_int_equal(c.active, 37552297472ull);
    assert_int_equal(m->attn, LLM_ATTN_MLA);
    assert_int_equal(m->q_lora_rank, 1536);
    assert_true(m->router_bias);
    assert_int_equal(m->dense_layers, 3);
    assert_int_equal(m->experts, 256);
    assert_int_equal(m->active_experts, 8);
    assert_int_equal(m->shared_experts, 1);
    assert_int_equal(m->expert_ffn, 2048);
    /* quantization_config fp8 (128 x 128 blocks): fp8 weights, 1 byte; the
     * fp32 block scales are noted. */
    assert_true(p.has_workload);
    assert_string_equal(p.workload.weights.name, "fp8");
    assert_true(p.workload.weights.bytes == 1.0);
    assert_int_equal(p.workload.mode, LLM_MODE_INFER);
    assert_non_null(strstr(p.notes, "one per 16384 weights"));
    assert_non_null(strstr(p.notes, "num_nextn_predict_layers"));
}

/* T5 v1.1 base (feed_forward_proj gated-gelu, untied): by hand, embedding and
 * lm_head 2 x 32128 x 768 = 49,348,608; encoder layer 4 x 768^2 + 3 x 768 x 2048
 * + 2 x 768 = 7,079,424 x 12 = 84,953,088, relative bias 32 x 12 = 384, final
 * norm 768; decoder layer 8 x 768^2 + 3 x 768 x 2048 + 3 x 768 = 9,439,488 x 12
 * = 113,273,856, relative bias 384, final norm 768.  Sum 247,577,856. */
static void test_t5_v1_1_gated(void **state)
{
    (void)state;
    llm_preset p = load("t5-v1_1-base");
    const llm_model *m = &p.model;
    assert_int_equal(count(&p).total, 247577856ull);
    assert_int_equal(m->arch, LLM_ARCH_ENCODER_DECODER);
    assert_int_equal(m->ffn_kind, LLM_FFN_GATED);
    assert_false(m->tied_embeddings);
    assert_int_equal(m->encoder_layers, 12);
    assert_int_equal(m->layers, 12);
    assert_int_equal(m->head_dim, 64);
    assert_int_equal(m->pos, LLM_POS_RELATIVE);
    assert_int_equal(m->rel_buckets, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_falcon_7b),
        cmocka_unit_test(test_falcon_40b_new_architecture),
        cmocka_unit_test(test_opt_125m),
        cmocka_unit_test(test_opt_350m_projection_is_refused),
        cmocka_unit_test(test_bloom_560m),
        cmocka_unit_test(test_phi3_mini),
        cmocka_unit_test(test_gemma3_text_1b),
        cmocka_unit_test(test_gemma3_composite_text_config),
        cmocka_unit_test(test_deepseek_v3),
        cmocka_unit_test(test_t5_v1_1_gated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
