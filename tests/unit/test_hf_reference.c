/* Every reference config.json imports to its published parameter count.
 *
 * The test walks tests/fixtures/reference/hf-configs/ (a copy of
 * ../shared/reference/hf-configs/), so a config added there is checked
 * automatically, and reads each expected count from
 * tests/fixtures/reference/models.json (the entry whose "name" is the
 * directory's name): `params_published` is the publisher's or a
 * third-party-verified total (sources in models.json), not llmem's output.
 * The normalised shape fields of models.json (hidden_size, layers, heads, ...)
 * are checked too, so a right total from a wrong shape would fail.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/yaml_tree.h"
#include "llmem/presets.h"

#define REF LLMEM_FIXTURES "/reference"

static llm_ytree *models;

static int setup(void **state)
{
    (void)state;
    llm_error err;
    if (llm_ytree_load_file(REF "/models.json", NULL, &models, &err) != LLM_OK) {
        fprintf(stderr, "%s:%d:%d: %s\n", err.path, err.line, err.col, err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    llm_ytree_free(models);
    return 0;
}

static const llm_ynode *model_entry(const char *name)
{
    const llm_ynode *root = llm_ytree_root(models);
    assert_non_null(root);
    assert_int_equal(root->kind, LLM_YNODE_SEQUENCE);
    for (size_t i = 0; i < root->count; i++) {
        const llm_ynode *n = llm_ynode_get(root->items[i], "name");
        if (n && strcmp(n->text, name) == 0) return root->items[i];
    }
    return NULL;
}

/* An integer field of a models.json entry; false when null. */
static bool ref_u64(const llm_ynode *entry, const char *key, uint64_t *out)
{
    const llm_ynode *n = llm_ynode_get(entry, key);
    if (!n || llm_ynode_is_null(n)) return false;
    llm_error err;
    if (llm_ynode_u64(models, n, key, out, &err) != LLM_OK) fail_msg("%s", err.message);
    return true;
}

static bool ref_bool(const llm_ynode *entry, const char *key)
{
    const llm_ynode *n = llm_ynode_get(entry, key);
    bool b = false;
    llm_error err;
    if (!n || llm_ynode_bool(models, n, key, &b, &err) != LLM_OK) fail_msg("%s: no %s", key, key);
    return b;
}

static void check_one(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, REF "/hf-configs/%s/config.json", name);
    const llm_ynode *e = model_entry(name);
    if (!e) fail_msg("hf-configs/%s has no entry in models.json", name);
    uint64_t published = 0;
    if (!ref_u64(e, "params_published", &published)) fail_msg("%s: no params_published", name);
    const llm_ynode *kind = llm_ynode_get(e, "params_published_kind");
    assert_non_null(kind);
    if (strncmp(kind->text, "exact", 5) != 0) fail_msg("%s: published count is not exact", name);

    llm_preset p;
    llm_error err;
    if (llm_hf_config_load(path, &p, &err) != LLM_OK)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.message);
    llm_params c;
    if (llm_params_count(&p.model, &c, &err) != LLM_OK) fail_msg("%s: %s", name, err.message);
    if (c.total != published)
        fail_msg("%s: imported %llu parameters, published %llu", name, (unsigned long long)c.total,
                 (unsigned long long)published);

    /* The shape, field by field, against models.json's normalised fields. */
    uint64_t v;
    const llm_model *m = &p.model;
    if (ref_u64(e, "vocab_size", &v)) assert_int_equal(m->vocab, v);
    if (ref_u64(e, "hidden_size", &v)) assert_int_equal(m->hidden, v);
    if (ref_u64(e, "num_attention_heads", &v)) assert_int_equal(m->heads, v);
    if (ref_u64(e, "num_hidden_layers", &v)) assert_int_equal(m->layers, v);
    if (ref_u64(e, "num_decoder_layers", &v)) assert_int_equal(m->layers, v);
    if (m->attn != LLM_ATTN_MLA && ref_u64(e, "num_key_value_heads", &v))
        assert_int_equal(llm_model_kv_heads(m), v);
    if (ref_u64(e, "head_dim", &v)) assert_int_equal(llm_model_head_dim(m), v);
    if (ref_u64(e, "intermediate_size", &v)) assert_int_equal(m->ffn, v);
    if (ref_u64(e, "moe_intermediate_size", &v)) assert_int_equal(m->expert_ffn, v);
    if (ref_u64(e, "num_local_experts", &v)) assert_int_equal(m->experts, v);
    if (ref_u64(e, "num_experts_per_tok", &v)) assert_int_equal(m->active_experts, v);
    if (ref_u64(e, "n_shared_experts", &v)) assert_int_equal(m->shared_experts, v);
    if (ref_u64(e, "first_k_dense_replace", &v)) assert_int_equal(m->dense_layers, v);
    if (ref_u64(e, "kv_lora_rank", &v)) assert_int_equal(m->kv_lora_rank, v);
    if (ref_u64(e, "q_lora_rank", &v)) assert_int_equal(m->q_lora_rank, v);
    if (ref_u64(e, "relative_attention_num_buckets", &v)) assert_int_equal(m->rel_buckets, v);
    if (ref_u64(e, "learned_position_rows", &v)) assert_int_equal(m->pos_rows, v);
    if (ref_u64(e, "max_position_embeddings", &v)) assert_int_equal(m->max_seq, v);
    if (ref_u64(e, "norms_per_layer", &v)) assert_int_equal(m->norms_per_layer, v);
    assert_int_equal(m->tied_embeddings, ref_bool(e, "tie_word_embeddings"));
    assert_int_equal(m->qkv_bias, ref_bool(e, "attention_qkv_bias"));
    assert_int_equal(m->attn_out_bias, ref_bool(e, "attention_out_bias"));
    assert_int_equal(m->mlp_bias, ref_bool(e, "mlp_bias"));
    assert_int_equal(m->norm_bias, ref_bool(e, "norm_has_bias"));
    assert_int_equal(m->qk_norm, ref_bool(e, "qk_norm"));
    assert_int_equal(m->embedding_norm, ref_bool(e, "embedding_layernorm"));
    assert_int_equal(m->parallel_block, ref_bool(e, "parallel_attn_mlp"));
    assert_int_equal(m->router_bias, ref_bool(e, "router_bias"));
    const llm_ynode *norm = llm_ynode_get(e, "norm_type");
    assert_non_null(norm);
    assert_int_equal(m->norm,
                     strcmp(norm->text, "rmsnorm") == 0 ? LLM_NORM_RMSNORM : LLM_NORM_LAYERNORM);
    const llm_ynode *arch = llm_ynode_get(e, "arch");
    assert_int_equal(m->arch, strcmp(arch->text, "encoder_decoder") == 0 ? LLM_ARCH_ENCODER_DECODER
                                                                         : LLM_ARCH_DECODER);

    /* Preset metadata. */
    assert_string_equal(p.id, name);
    assert_true(p.published);
    assert_string_equal(p.source, path);
    const llm_ynode *mt = llm_ynode_get(e, "model_type");
    assert_string_equal(p.family, mt->text);
}

static void test_every_reference_config(void **state)
{
    (void)state;
    DIR *d = opendir(REF "/hf-configs");
    assert_non_null(d);
    int checked = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        check_one(de->d_name);
        checked++;
    }
    closedir(d);
    /* 13 configs at the time of writing; more are welcome. */
    assert_true(checked >= 13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reference_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
