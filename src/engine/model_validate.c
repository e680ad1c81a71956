/* Shape validation: every rule names the field it checks. */
#include "engine/checked.h"
#include "llmem/model.h"

#define ULL(x) ((unsigned long long)(x))

/* Individual sizes beyond this are certainly typos and would make the
 * products below overflow long before they mean anything. */
#define LLM_SIZE_LIMIT (1ull << 40)

static llm_code need_positive(uint64_t v, const char *field, llm_error *err)
{
    if (v == 0) return llm_error_set(err, LLM_ERR_RANGE, "%s must be at least 1 (got 0)", field);
    if (v > LLM_SIZE_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "%s is %llu, above the limit of %llu", field,
                             ULL(v), ULL(LLM_SIZE_LIMIT));
    return LLM_OK;
}

static llm_code need_below_limit(uint64_t v, const char *field, llm_error *err)
{
    if (v > LLM_SIZE_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "%s is %llu, above the limit of %llu", field,
                             ULL(v), ULL(LLM_SIZE_LIMIT));
    return LLM_OK;
}

/* The sizes only limited from above, one test for all: each is at most
 * their bitwise OR, so an OR within the limit means every one is. */
static bool sizes_below_limit(const llm_model *m)
{
    uint64_t any = m->kv_heads | m->head_dim | m->ffn | m->encoder_layers | m->pos_rows |
                   m->rel_buckets | m->experts | m->expert_ffn | m->shared_experts |
                   m->kv_lora_rank | m->q_lora_rank | m->qk_nope_dim | m->qk_rope_dim |
                   m->v_head_dim | m->window;
    return any <= LLM_SIZE_LIMIT;
}

llm_code llm_model_validate(const llm_model *m, llm_error *err)
{
    llm_code rc;
    if ((rc = need_positive(m->layers, "layers", err))) return rc;
    if ((rc = need_positive(m->hidden, "hidden", err))) return rc;
    if ((rc = need_positive(m->heads, "heads", err))) return rc;
    if ((rc = need_positive(m->vocab, "vocab", err))) return rc;
    if (!sizes_below_limit(m)) { /* find the first one, for its message */
        if ((rc = need_below_limit(m->kv_heads, "kv_heads", err))) return rc;
        if ((rc = need_below_limit(m->head_dim, "head_dim", err))) return rc;
        if ((rc = need_below_limit(m->ffn, "ffn", err))) return rc;
        if ((rc = need_below_limit(m->encoder_layers, "encoder_layers", err))) return rc;
        if ((rc = need_below_limit(m->pos_rows, "pos_rows", err))) return rc;
        if ((rc = need_below_limit(m->rel_buckets, "rel_buckets", err))) return rc;
        if ((rc = need_below_limit(m->experts, "experts", err))) return rc;
        if ((rc = need_below_limit(m->expert_ffn, "expert_ffn", err))) return rc;
        if ((rc = need_below_limit(m->shared_experts, "shared_experts", err))) return rc;
        if ((rc = need_below_limit(m->kv_lora_rank, "kv_lora_rank", err))) return rc;
        if ((rc = need_below_limit(m->q_lora_rank, "q_lora_rank", err))) return rc;
        if ((rc = need_below_limit(m->qk_nope_dim, "qk_nope_dim", err))) return rc;
        if ((rc = need_below_limit(m->qk_rope_dim, "qk_rope_dim", err))) return rc;
        if ((rc = need_below_limit(m->v_head_dim, "v_head_dim", err))) return rc;
        if ((rc = need_below_limit(m->window, "window", err))) return rc;
    }

    if (m->head_dim == 0 && !ck_divides(m->heads, m->hidden))
        return llm_error_set(err, LLM_ERR_INVALID,
                             "heads (%llu) must divide hidden (%llu) unless head_dim is given",
                             ULL(m->heads), ULL(m->hidden));
    uint64_t kv = eng_kv_heads(m->kv_heads, m->heads);
    if (kv > m->heads)
        return llm_error_set(err, LLM_ERR_INVALID, "kv_heads (%llu) must not exceed heads (%llu)",
                             ULL(kv), ULL(m->heads));
    if (!ck_divides(kv, m->heads))
        return llm_error_set(err, LLM_ERR_INVALID, "kv_heads (%llu) must divide heads (%llu)",
                             ULL(kv), ULL(m->heads));

    if (m->arch == LLM_ARCH_ENCODER_DECODER && m->encoder_layers == 0)
        return llm_error_set(err, LLM_ERR_RANGE,
                             "encoder_layers must be at least 1 for an encoder-decoder model");
    if (m->pos == LLM_POS_LEARNED && m->pos_rows == 0)
        return llm_error_set(err, LLM_ERR_RANGE,
                             "pos_rows must be at least 1 for learned position embeddings");
    if (m->pos == LLM_POS_RELATIVE && m->rel_buckets == 0)
        return llm_error_set(err, LLM_ERR_RANGE,
                             "rel_buckets must be at least 1 for relative position buckets");
    if (m->norms_per_layer > 16)
        return llm_error_set(err, LLM_ERR_RANGE, "norms_per_layer is %u, above the limit of 16",
                             m->norms_per_layer);

    if (m->experts) {
        if (m->active_experts == 0)
            return llm_error_set(err, LLM_ERR_RANGE,
                                 "active_experts must be at least 1 when experts is set");
        if (m->active_experts > m->experts)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "active_experts (%llu) must not exceed experts (%llu)",
                                 ULL(m->active_experts), ULL(m->experts));
        if (m->dense_layers > m->layers)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "dense_layers (%llu) must not exceed layers (%llu)",
                                 ULL(m->dense_layers), ULL(m->layers));
        if (m->expert_ffn == 0 && m->ffn == 0)
            return llm_error_set(err, LLM_ERR_RANGE, "expert_ffn (or ffn) must be at least 1");
        if (m->dense_layers > 0 && m->ffn == 0)
            return llm_error_set(err, LLM_ERR_RANGE,
                                 "ffn must be at least 1 when dense_layers is set");
    } else {
        if (m->active_experts)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "active_experts (%llu) must not exceed experts (0)",
                                 ULL(m->active_experts));
        if ((rc = need_positive(m->ffn, "ffn", err))) return rc;
    }

    if (m->attn == LLM_ATTN_MLA) {
        if ((rc = need_positive(m->kv_lora_rank, "kv_lora_rank", err))) return rc;
        if ((rc = need_positive(m->v_head_dim, "v_head_dim", err))) return rc;
        if (m->qk_nope_dim + m->qk_rope_dim == 0)
            return llm_error_set(err, LLM_ERR_RANGE,
                                 "qk_nope_dim + qk_rope_dim must be at least 1 for MLA");
    }

    if (m->window_pattern && m->window == 0)
        return llm_error_set(err, LLM_ERR_INVALID, "window_pattern needs a window size");

    /* The largest products the counts form must stay within 64 bits; the
     * count itself is checked as it is built (llm_params_count). */
    bool ok = true;
    uint64_t d = eng_head_dim(m->head_dim, m->hidden, m->heads);
    (void)ck_mul3(m->layers, m->hidden, ck_mul(m->heads, d, &ok), &ok);
    (void)ck_mul(m->vocab, m->hidden, &ok);
    if (!ok)
        return llm_error_set(err, LLM_ERR_OVERFLOW,
                             "layers x hidden x heads x head_dim does not fit in 64 bits: "
                             "reduce the shape");
    return LLM_OK;
}
