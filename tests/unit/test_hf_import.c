/* config.json import: inputs, precision mapping, fallbacks and errors.
 *
 * Bad inputs are files in tests/fixtures/hf/bad/; each expected message and
 * position is written here from the fixture's text (line and column of the
 * offending key, 1-based) and the importer's documented messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "io/hf_internal.h"
#include "llmem/presets.h"

#define REF LLMEM_FIXTURES "/reference/hf-configs"
#define BAD LLMEM_FIXTURES "/hf/bad"

static llm_preset parse(const char *json)
{
    llm_preset p;
    llm_error err;
    if (llm_hf_config_parse("mem/test-model/config.json", json, strlen(json), &p, &err) != LLM_OK)
        fail_msg("%d:%d: %s", err.line, err.col, err.message);
    return p;
}

static uint64_t total(const llm_preset *p)
{
    llm_params c;
    llm_error err;
    if (llm_params_count(&p->model, &c, &err) != LLM_OK) fail_msg("%s", err.message);
    return c.total;
}

/* A model directory (with or without a trailing slash) reads its config.json;
 * the id comes from the directory. */
static void test_directory_input(void **state)
{
    (void)state;
    llm_preset a, b, c;
    llm_error err;
    assert_int_equal(llm_hf_config_load(REF "/llama-3-8b", &a, &err), LLM_OK);
    assert_int_equal(llm_hf_config_load(REF "/llama-3-8b/", &b, &err), LLM_OK);
    assert_int_equal(llm_hf_config_load(REF "/llama-3-8b/config.json", &c, &err), LLM_OK);
    assert_string_equal(a.id, "llama-3-8b");
    assert_string_equal(b.id, "llama-3-8b");
    assert_string_equal(a.source, REF "/llama-3-8b/config.json");
    assert_string_equal(a.source, c.source);
    /* 8,030,261,248: models.json "llama-3-8b" (Meta's published count). */
    assert_int_equal(total(&a), 8030261248ull);
    assert_int_equal(total(&b), 8030261248ull);
    /* _name_or_path names the preset when present (llama-2-70b has one). */
    assert_int_equal(llm_hf_config_load(REF "/llama-2-70b", &a, &err), LLM_OK);
    assert_string_equal(a.name, "meta-llama/Llama-2-70b-hf");
    assert_string_equal(a.family, "llama");
    assert_true(a.published);
}

/* Ids are [a-z0-9][a-z0-9._-]* (the preset schema): from the directory, else
 * from _name_or_path. */
static void test_ids(void **state)
{
    (void)state;
    const char *json = "{\"model_type\": \"gpt2\", \"vocab_size\": 100, \"n_embd\": 64, "
                       "\"n_layer\": 2, \"n_head\": 4, \"_name_or_path\": \"Org/My_Model v2\"}";
    const char *bare = "{\"model_type\": \"gpt2\", \"vocab_size\": 100, \"n_embd\": 64, "
                       "\"n_layer\": 2, \"n_head\": 4}";
    llm_preset p;
    llm_error err;
    assert_int_equal(llm_hf_config_parse("x/Qwen2.5-7B/config.json", json, strlen(json), &p, &err),
                     LLM_OK);
    assert_string_equal(p.id, "qwen2.5-7b");
    assert_string_equal(p.name, "Org/My_Model v2");
    assert_int_equal(llm_hf_config_parse("config.json", json, strlen(json), &p, &err), LLM_OK);
    assert_string_equal(p.id, "org-my_model-v2");
    assert_int_equal(llm_hf_config_parse("./config.json", bare, strlen(bare), &p, &err), LLM_OK);
    assert_string_equal(p.id, "hf-model");
    assert_int_equal(llm_hf_config_parse("dl/tiny.json", bare, strlen(bare), &p, &err), LLM_OK);
    assert_string_equal(p.id, "tiny");
    assert_string_equal(p.name, "tiny");
}

static void test_missing_file(void **state)
{
    (void)state;
    llm_preset p;
    llm_error err;
    assert_int_equal(llm_hf_config_load(LLMEM_FIXTURES "/hf/no-such-model", &p, &err), LLM_ERR_IO);
    assert_string_equal(err.message, "cannot read: No such file or directory");
    assert_string_equal(err.path, LLMEM_FIXTURES "/hf/no-such-model");
    /* A directory without config.json names the file it looked for. */
    assert_int_equal(llm_hf_config_load(LLMEM_FIXTURES "/hf/bad", &p, &err), LLM_ERR_IO);
    assert_string_equal(err.path, LLMEM_FIXTURES "/hf/bad/config.json");
}

/* torch_dtype -> the workload's weights (bytes per element by definition of
 * the formats: fp32 4, bf16/fp16 2). */
static void test_torch_dtype(void **state)
{
    (void)state;
    llm_preset p;
    llm_error err;
    assert_int_equal(llm_hf_config_load(REF "/gemma-2-9b", &p, &err), LLM_OK); /* "float32" */
    assert_true(p.has_workload);
    assert_string_equal(p.workload.weights.name, "fp32");
    assert_true(p.workload.weights.bytes == 4.0);
    assert_int_equal(llm_hf_config_load(REF "/llama-2-7b", &p, &err), LLM_OK); /* "float16" */
    assert_string_equal(p.workload.weights.name, "fp16");
    assert_int_equal(llm_hf_config_load(REF "/mixtral-8x7b", &p, &err), LLM_OK); /* "bfloat16" */
    assert_string_equal(p.workload.weights.name, "bf16");
    assert_true(p.workload.weights.bytes == 2.0);
    /* gpt2's config has no torch_dtype: no workload. */
    assert_int_equal(llm_hf_config_load(REF "/gpt2", &p, &err), LLM_OK);
    assert_false(p.has_workload);
    /* transformers >= 4.56 writes "dtype". */
    p = parse("{\"model_type\": \"llama\", \"vocab_size\": 100, \"hidden_size\": 64, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"dtype\": \"bfloat16\"}");
    assert_true(p.has_workload);
    assert_string_equal(p.workload.weights.name, "bf16");
}

#define SMALL_LLAMA                                                                                \
    "\"model_type\": \"llama\", \"vocab_size\": 32000, \"hidden_size\": 4096, "                    \
    "\"num_hidden_layers\": 32, \"num_attention_heads\": 32, \"intermediate_size\": 11008, "       \
    "\"torch_dtype\": \"float16\", "

/* quantization_config -> weights, by the documented mapping (hf_precision.c,
 * the formats of presets/precisions.yaml): grouped integers bits/8 + 4/group
 * bytes; bnb nf4 4 bits + fp32 absmax per 64 (double quantisation: 8-bit
 * absmax + one fp32 per 256 blocks, QLoRA). */
static void test_quantization_config(void **state)
{
    (void)state;
    /* GPTQ 4-bit, group 128 (TheBloke-style config). */
    llm_preset p =
        parse("{" SMALL_LLAMA "\"quantization_config\": {\"bits\": 4, \"group_size\": 128, "
              "\"damp_percent\": 0.1, \"desc_act\": false, \"sym\": true, "
              "\"true_sequential\": true, \"quant_method\": \"gptq\"}}");
    assert_true(p.has_workload);
    assert_string_equal(p.workload.weights.name, "int4-g128");
    assert_int_equal(p.workload.weights.group, 128);
    assert_true(p.workload.weights.bits == 4.0);
    assert_true(p.workload.weights.bytes == 0.5 + 4.0 / 128.0); /* 0.53125 */
    assert_true(p.workload.quant_keep_16bit);
    assert_int_equal(p.workload.mode, LLM_MODE_INFER);
    /* The shape is untouched: Llama-2-7B's 6,738,415,616 (models.json). */
    assert_int_equal(total(&p), 6738415616ull);

    /* AWQ (AutoAWQ config keys). */
    p = parse("{" SMALL_LLAMA "\"quantization_config\": {\"bits\": 4, \"group_size\": 64, "
              "\"quant_method\": \"awq\", \"version\": \"gemm\", \"zero_point\": true}}");
    assert_string_equal(p.workload.weights.name, "int4-g64");
    assert_true(p.workload.weights.bytes == 0.5 + 4.0 / 64.0);

    /* GPTQ 8-bit with one scale per output row (group_size -1). */
    p = parse("{" SMALL_LLAMA "\"quantization_config\": {\"bits\": 8, \"group_size\": -1, "
              "\"quant_method\": \"gptq\"}}");
    assert_string_equal(p.workload.weights.name, "int8");
    assert_true(p.workload.weights.bytes == 1.0);

    /* bitsandbytes 4-bit NF4 with double quantisation. */
    p = parse("{" SMALL_LLAMA "\"quantization_config\": {\"quant_method\": \"bitsandbytes\", "
              "\"load_in_4bit\": true, \"bnb_4bit_quant_type\": \"nf4\", "
              "\"bnb_4bit_use_double_quant\": true, \"bnb_4bit_compute_dtype\": \"bfloat16\"}}");
    assert_string_equal(p.workload.weights.name, "nf4-dq");
    /* 4 + 8/64 + 32/(64 x 256) = 4.127 bits per weight (QLoRA, section 3). */
    assert_true(p.workload.weights.bytes == 4.127 / 8.0);
    /* Without double quantisation: 0.5 + 4/64 (fp32 absmax per 64). */
    p = parse("{" SMALL_LLAMA "\"quantization_config\": {\"quant_method\": \"bitsandbytes\", "
              "\"load_in_4bit\": true, \"bnb_4bit_quant_type\": \"nf4\"}}");
    assert_string_equal(p.workload.weights.name, "nf4");
    assert_int_equal(p.workload.weights.group, 64);
    assert_true(p.workload.weights.bytes == 0.5625);

    /* Old bitsandbytes configs have no quant_method. */
    p = parse("{" SMALL_LLAMA "\"quantization_config\": {\"load_in_8bit\": true}}");
    assert_string_equal(p.workload.weights.name, "int8");

    /* An unmapped method keeps torch_dtype and says so. */
    p = parse("{" SMALL_LLAMA
              "\"quantization_config\": {\"quant_method\": \"hqq\", \"nbits\": 4}}");
    assert_string_equal(p.workload.weights.name, "fp16");
    assert_non_null(strstr(p.notes, "'hqq' is not mapped"));

    /* A wrong type inside quantization_config is an error at its key. */
    llm_error err;
    const char *bad = "{" SMALL_LLAMA "\n\"quantization_config\": {\"quant_method\": \"gptq\",\n"
                      "  \"bits\": \"4\"}}";
    assert_int_equal(llm_hf_config_parse("q.json", bad, strlen(bad), &p, &err), LLM_ERR_SCHEMA);
    assert_string_equal(err.message, "quantization_config.bits must be an integer, got a string");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 3);
}

/* An unknown model_type with all five generic keys imports Llama-like.  By
 * hand: embedding + untied head 2 x 1000 x 256 = 512,000; per layer q, k, v, o
 * 4 x 256^2 = 262,144, gated MLP 3 x 256 x 1024 = 786,432, two RMSNorms 512:
 * 1,049,088 x 4 = 4,196,352; final norm 256.  Sum 4,708,608. */
static void test_generic_fallback(void **state)
{
    (void)state;
    llm_preset p = parse("{\"model_type\": \"my_new_arch\", \"vocab_size\": 1000, "
                         "\"hidden_size\": 256, \"num_hidden_layers\": 4, "
                         "\"num_attention_heads\": 8, \"intermediate_size\": 1024}");
    assert_int_equal(total(&p), 4708608ull);
    assert_string_equal(p.family, "my_new_arch");
    assert_non_null(strstr(p.notes, "imported generically"));
    assert_int_equal(p.model.ffn_kind, LLM_FFN_GATED);
    assert_int_equal(p.model.norm, LLM_NORM_RMSNORM);
    assert_int_equal(p.model.pos, LLM_POS_ROTARY);
}

static void test_unknown_type_names_the_supported_ones(void **state)
{
    (void)state;
    llm_preset p;
    llm_error err;
    assert_int_equal(llm_hf_config_load(BAD "/unknown_type.json", &p, &err), LLM_ERR_SCHEMA);
    assert_string_equal(err.message,
                        "unknown model_type 'mamba'; supported: gpt2, llama, mistral, mixtral, "
                        "gemma, gemma2, gemma3_text, qwen2, phi3, falcon, opt, bloom, "
                        "deepseek_v2, deepseek_v3, t5 (other types need hidden_size, "
                        "num_hidden_layers, num_attention_heads, intermediate_size, vocab_size)");
    assert_int_equal(err.line, 3); /* the model_type key */
    assert_int_equal(err.col, 3);
    assert_string_equal(err.path, BAD "/unknown_type.json");
}

typedef struct bad_case {
    const char *file;
    llm_code code;
    int line, col;
    const char *message; /* exact, or a prefix when `prefix` */
    bool prefix;
} bad_case;

static void test_bad_files(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        /* libyaml reports the missing comma at the ':' of the next member
         * (line 4, column 22); its wording follows "syntax error: ". */
        {"syntax_missing_comma.json", LLM_ERR_PARSE, 4, 22,
         "syntax error: did not find expected ',' or '}'", true},
        /* the third closing brace (line 2, column 20) */
        {"trailing_garbage.json", LLM_ERR_PARSE, 2, 20, "syntax error: ", true},
        /* a NUL byte first: refused by the YAML reader (its wording) */
        {"binary.json", LLM_ERR_PARSE, 1, 1, "", true},
        {"empty.json", LLM_ERR_SCHEMA, 1, 1, "empty file: expected a JSON object", false},
        {"not_object.json", LLM_ERR_SCHEMA, 1, 1, "config.json must be a JSON object, got an array",
         false},
        {"duplicate_key.json", LLM_ERR_SCHEMA, 4, 3, "duplicate key 'hidden_size'", true},
        {"wrong_type.json", LLM_ERR_SCHEMA, 4, 3, "hidden_size must be an integer, got a string",
         false},
        /* a missing key points at the object itself */
        {"missing_key.json", LLM_ERR_SCHEMA, 1, 1, "missing required key num_attention_heads",
         false},
        {"negative.json", LLM_ERR_RANGE, 5, 5, "num_hidden_layers must not be negative (got -2)",
         false},
        {"fractional.json", LLM_ERR_SCHEMA, 2, 29,
         "intermediate_size must be a whole number (got 11008.5)", false},
        /* GPT-2 reads tie_word_embeddings like every family */
        {"bool_type.json", LLM_ERR_SCHEMA, 7, 3,
         "tie_word_embeddings must be true or false, got a string", false},
        {"heads_do_not_divide.json", LLM_ERR_INVALID, 1, 1,
         "config describes a shape llmem cannot count: heads (48) must divide hidden (4000) "
         "unless head_dim is given",
         false},
        {"moe_layer_freq.json", LLM_ERR_INVALID, 9, 3,
         "moe_layer_freq 2 cannot be expressed: llmem puts MoE on every layer after the "
         "first_k_dense_replace dense ones",
         false},
        {"t5_feed_forward_proj.json", LLM_ERR_INVALID, 7, 3,
         "feed_forward_proj 'gated-gelu-new' must be an activation (relu, gelu, ...) or "
         "'gated-' followed by one",
         false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        char path[512];
        snprintf(path, sizeof path, BAD "/%s", c->file);
        llm_preset p;
        llm_error err;
        memset(&err, 0, sizeof err);
        llm_code rc = llm_hf_config_load(path, &p, &err);
        if (rc != c->code || err.line != c->line || err.col != c->col ||
            (c->prefix ? strncmp(err.message, c->message, strlen(c->message)) != 0
                       : strcmp(err.message, c->message) != 0))
            fail_msg("%s: got [%s] %d:%d: %s; want [%s] %d:%d: %s", c->file, llm_code_name(rc),
                     err.line, err.col, err.message, llm_code_name(c->code), c->line, c->col,
                     c->message);
        assert_string_equal(err.path, path);
    }
}

/* Key-name alternatives and family defaults. */
static void test_family_defaults(void **state)
{
    (void)state;
    /* GPT-2: n_inner null -> 4 x n_embd; n_positions default 1024; tied. */
    llm_preset p = parse("{\"model_type\": \"gpt2\", \"vocab_size\": 50257, \"n_embd\": 64, "
                         "\"n_layer\": 2, \"n_head\": 4, \"n_inner\": null}");
    assert_int_equal(p.model.ffn, 256);
    assert_int_equal(p.model.pos_rows, 1024);
    assert_true(p.model.tied_embeddings);
    /* DeepSeek-V2 without q_lora_rank takes the class default 1536; null means
     * none (V2-Lite). */
    p = parse("{\"model_type\": \"deepseek_v2\", \"vocab_size\": 1000, \"hidden_size\": 256, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 4}");
    assert_int_equal(p.model.q_lora_rank, 1536);
    assert_int_equal(p.model.experts, 0); /* n_routed_experts None: dense */
    p = parse("{\"model_type\": \"deepseek_v2\", \"vocab_size\": 1000, \"hidden_size\": 256, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"q_lora_rank\": null}");
    assert_int_equal(p.model.q_lora_rank, 0);
    /* MistralConfig: num_key_value_heads 8, intermediate_size 14336,
     * sliding_window 4096 by default; null = none. */
    p = parse("{\"model_type\": \"mistral\", \"vocab_size\": 1000, \"hidden_size\": 4096, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 32}");
    assert_int_equal(p.model.kv_heads, 8);
    assert_int_equal(p.model.ffn, 14336);
    assert_int_equal(p.model.window, 4096);
    p = parse("{\"model_type\": \"mistral\", \"vocab_size\": 1000, \"hidden_size\": 4096, "
              "\"num_hidden_layers\": 2, \"num_attention_heads\": 32, \"sliding_window\": null}");
    assert_int_equal(p.model.window, 0);
}

/* Falcon-40B's original config (model_type RefinedWeb, n_* key names) is the
 * new decoder architecture: the same 41,303,293,952 as the hand calculation
 * in test_hf_families.c (test_falcon_40b_new_architecture). */
static void test_refinedweb_alias(void **state)
{
    (void)state;
    llm_preset p = parse("{\"alibi\": false, \"bias\": false, \"hidden_size\": 8192, "
                         "\"model_type\": \"RefinedWeb\", \"n_head\": 128, \"n_head_kv\": 8, "
                         "\"n_layer\": 60, \"parallel_attn\": true, \"vocab_size\": 65024}");
    assert_int_equal(total(&p), 41303293952ull);
    assert_string_equal(p.family, "falcon");
    assert_non_null(strstr(p.notes, "RefinedWeb read as falcon"));
}

/* Newer configs list layer_types; a regular pattern maps to window_pattern. */
static void test_layer_types(void **state)
{
    (void)state;
    llm_preset p =
        parse("{\"model_type\": \"gemma2\", \"vocab_size\": 1000, \"hidden_size\": 256, "
              "\"num_hidden_layers\": 4, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, "
              "\"head_dim\": 64, \"sliding_window\": 128, \"layer_types\": [\"sliding_attention\", "
              "\"full_attention\", \"sliding_attention\", \"full_attention\"]}");
    assert_int_equal(p.model.window, 128);
    assert_int_equal(p.model.window_pattern, 2);
    assert_int_equal(llm_model_window_layers(&p.model), 2);
    /* An irregular layout cannot be expressed: all global, with a note. */
    p = parse("{\"model_type\": \"qwen2\", \"vocab_size\": 1000, \"hidden_size\": 256, "
              "\"num_hidden_layers\": 3, \"num_attention_heads\": 4, \"num_key_value_heads\": 4, "
              "\"sliding_window\": 128, "
              "\"use_sliding_window\": true, \"max_window_layers\": 0, \"layer_types\": "
              "[\"full_attention\", \"sliding_attention\", \"sliding_attention\"]}");
    assert_int_equal(p.model.window, 0);
    assert_non_null(strstr(p.notes, "layer_types"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directory_input),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_torch_dtype),
        cmocka_unit_test(test_quantization_config),
        cmocka_unit_test(test_generic_fallback),
        cmocka_unit_test(test_unknown_type_names_the_supported_ones),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_family_defaults),
        cmocka_unit_test(test_refinedweb_alias),
        cmocka_unit_test(test_layer_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
