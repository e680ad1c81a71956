/* Exact trainable-parameter counts (docs/formulas.md §1).
 *
 * Each block below mirrors the modules of the families' modelling code; the
 * comments name the tensors counted.  Tied weights are counted once.
 */
#include <string.h>

#include "engine/checked.h"
#include "llmem/model.h"

uint64_t llm_model_head_dim(const llm_model *m)
{
    if (m->head_dim) return m->head_dim;
    return m->heads ? ck_div(m->hidden, m->heads) : 0;
}

uint64_t llm_model_kv_heads(const llm_model *m)
{
    return m->kv_heads ? m->kv_heads : m->heads;
}

uint64_t llm_model_window_layers(const llm_model *m)
{
    if (!m->window) return 0;
    if (m->window_pattern <= 1) return m->window_pattern == 1 ? 0 : m->layers;
    return m->layers - m->layers / m->window_pattern;
}

void llm_model_resolve(llm_model *m)
{
    m->kv_heads = eng_kv_heads(m->kv_heads, m->heads);
    m->head_dim = eng_head_dim(m->head_dim, m->hidden, m->heads);
    if (m->experts && !m->expert_ffn) m->expert_ffn = m->ffn;
}

/* A norm over n features: weight, plus bias for LayerNorm with bias. */
static uint64_t norm_params(const llm_model *m, uint64_t n, bool *ok)
{
    return ck_mul(n, (m->norm == LLM_NORM_LAYERNORM && m->norm_bias) ? 2 : 1, ok);
}

/* One MLP of width f: up (+gate) and down matrices, with optional biases. */
static uint64_t mlp_params(const llm_model *m, uint64_t f, bool *ok)
{
    uint64_t mats = m->ffn_kind == LLM_FFN_GATED ? 3 : 2;
    uint64_t p = ck_mul3(mats, m->hidden, f, ok);
    if (m->mlp_bias) p = ck_add(p, ck_add(ck_mul(mats - 1, f, ok), m->hidden, ok), ok);
    return p;
}

/* Multi-head latent attention (DeepSeek-V2/V3 modeling code):
 * q_a_proj h->q_lora, q_a_layernorm, q_b_proj q_lora->H(nope+rope) (or q_proj h->H(nope+rope)),
 * kv_a_proj_with_mqa h->(kv_lora+rope), kv_a_layernorm, kv_b_proj kv_lora->H(nope+v),
 * o_proj H*v->h. */
static uint64_t mla_params(const llm_model *m, bool *ok)
{
    uint64_t h = m->hidden, H = m->heads;
    uint64_t qk = ck_add(m->qk_nope_dim, m->qk_rope_dim, ok);
    uint64_t q_out = ck_mul(H, qk, ok);
    uint64_t p;
    if (m->q_lora_rank) {
        p = ck_mul(h, m->q_lora_rank, ok);
        p = ck_add(p, norm_params(m, m->q_lora_rank, ok), ok);
        p = ck_add(p, ck_mul(m->q_lora_rank, q_out, ok), ok);
    } else {
        p = ck_mul(h, q_out, ok);
    }
    p = ck_add(p, ck_mul(h, ck_add(m->kv_lora_rank, m->qk_rope_dim, ok), ok), ok);
    p = ck_add(p, norm_params(m, m->kv_lora_rank, ok), ok);
    p = ck_add(p, ck_mul3(m->kv_lora_rank, H, ck_add(m->qk_nope_dim, m->v_head_dim, ok), ok), ok);
    p = ck_add(p, ck_mul3(H, m->v_head_dim, h, ok), ok);
    if (m->attn_out_bias) p = ck_add(p, h, ok);
    return p;
}

/* One attention block: q, k, v, o projections (+ biases, q/k norms, sinks). */
static uint64_t attn_params(const llm_model *m, bool *ok)
{
    if (m->attn == LLM_ATTN_MLA) return mla_params(m, ok);
    uint64_t h = m->hidden, d = eng_head_dim(m->head_dim, m->hidden, m->heads);
    uint64_t q_out = ck_mul(m->heads, d, ok);
    uint64_t kv_out = ck_mul(eng_kv_heads(m->kv_heads, m->heads), d, ok);
    uint64_t proj = ck_add(q_out, ck_mul(2, kv_out, ok), ok);
    uint64_t p = ck_mul(h, proj, ok);            /* q, k, v */
    p = ck_add(p, ck_mul(q_out, h, ok), ok);     /* o */
    if (m->qkv_bias) p = ck_add(p, proj, ok);
    if (m->attn_out_bias) p = ck_add(p, h, ok);
    if (m->qk_norm) p = ck_add(p, ck_mul(2, norm_params(m, d, ok), ok), ok);
    if (m->attn_sinks) p = ck_add(p, m->heads, ok);
    return p;
}

typedef struct layer_counts {
    uint64_t attention, mlp, experts, experts_active, router, norms;
} layer_counts;

static uint64_t layer_total(const layer_counts *c, bool *ok)
{
    uint64_t t = ck_add(c->attention, c->mlp, ok);
    t = ck_add(t, c->experts, ok);
    t = ck_add(t, c->router, ok);
    return ck_add(t, c->norms, ok);
}

/* A decoder-only (or encoder) layer; moe selects the expert MLP; extra_attn
 * adds cross-attention blocks and extra_norms their norms. */
static layer_counts layer_params(const llm_model *m, bool moe, uint64_t extra_attn,
                                 uint64_t extra_norms, bool *ok)
{
    layer_counts c;
    c.mlp = c.experts = c.experts_active = c.router = 0; /* no memset: hot path */
    c.attention = ck_mul(attn_params(m, ok), 1 + extra_attn, ok);
    if (moe) {
        uint64_t fe = m->expert_ffn ? m->expert_ffn : m->ffn;
        uint64_t one = mlp_params(m, fe, ok);
        c.experts = ck_mul(m->experts, one, ok);
        c.experts_active = ck_mul(m->active_experts, one, ok);
        /* Shared experts: DeepSeek builds them as ONE MLP of width n_shared x expert width. */
        if (m->shared_experts) c.mlp = mlp_params(m, ck_mul(m->shared_experts, fe, ok), ok);
        c.router = ck_mul(m->hidden, m->experts, ok);
        if (m->router_bias) c.router = ck_add(c.router, m->experts, ok);
    } else {
        c.mlp = mlp_params(m, m->ffn, ok);
    }
    c.norms = ck_mul(m->norms_per_layer + extra_norms, norm_params(m, m->hidden, ok), ok);
    return c;
}

static void add_layers(llm_params *p, uint64_t *active_sub, const layer_counts *c, uint64_t n,
                       bool *ok)
{
    p->attention = ck_add(p->attention, ck_mul(c->attention, n, ok), ok);
    p->mlp = ck_add(p->mlp, ck_mul(c->mlp, n, ok), ok);
    p->experts = ck_add(p->experts, ck_mul(c->experts, n, ok), ok);
    p->router = ck_add(p->router, ck_mul(c->router, n, ok), ok);
    p->norms = ck_add(p->norms, ck_mul(c->norms, n, ok), ok);
    *active_sub = ck_add(*active_sub, ck_mul(c->experts - c->experts_active, n, ok), ok);
}

llm_code llm_params_count(const llm_model *m, llm_params *out, llm_error *err)
{
    llm_code rc = llm_model_validate(m, err);
    if (rc != LLM_OK) return rc;

    /* Summed straight into *out (a local copied at the end cost a store-forwarding
     * stall per field); on an overflow error *out is left unspecified. */
    llm_params *p = out;
    p->embedding = p->positions = p->attention = p->mlp = p->experts = p->router = p->norms = 0;
    p->lm_head = p->encoder = p->decoder = p->total = p->active = p->non_embedding = 0;
    p->active_non_embedding = p->per_layer = 0;
    bool ok = true;
    uint64_t inactive = 0;
    uint64_t h = m->hidden;
    bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
    uint64_t final_norm = m->final_norm ? norm_params(m, h, &ok) : 0;
    uint64_t rel = m->pos == LLM_POS_RELATIVE ? ck_mul(m->rel_buckets, m->heads, &ok) : 0;

    /* Decoder stack (the only stack of a decoder-only model). */
    uint64_t moe_layers = m->experts ? m->layers - m->dense_layers : 0;
    uint64_t dense_layers = m->layers - moe_layers;
    layer_counts dense = layer_params(m, false, encdec ? 1 : 0, encdec ? 1 : 0, &ok);
    layer_counts moe;
    if (m->experts) moe = layer_params(m, true, encdec ? 1 : 0, encdec ? 1 : 0, &ok);
    else moe.attention = moe.mlp = moe.experts = moe.experts_active = moe.router = moe.norms = 0;
    add_layers(p, &inactive, &dense, dense_layers, &ok);
    if (moe_layers) add_layers(p, &inactive, &moe, moe_layers, &ok);
    p->per_layer = layer_total(moe_layers ? &moe : &dense, &ok);
    p->norms = ck_add(p->norms, final_norm, &ok);
    p->positions = rel;
    uint64_t decoder = ck_add(p->attention, p->mlp, &ok);
    decoder = ck_add(decoder, p->experts, &ok);
    decoder = ck_add(decoder, p->router, &ok);
    decoder = ck_add(decoder, p->norms, &ok);
    decoder = ck_add(decoder, rel, &ok);

    /* Encoder stack: self-attention + MLP (+ its relative buckets and final norm). */
    if (encdec) {
        layer_counts enc = layer_params(m, false, 0, 0, &ok);
        llm_params e;
        memset(&e, 0, sizeof e);
        uint64_t unused = 0;
        add_layers(&e, &unused, &enc, m->encoder_layers, &ok);
        e.norms = ck_add(e.norms, final_norm, &ok);
        p->attention = ck_add(p->attention, e.attention, &ok);
        p->mlp = ck_add(p->mlp, e.mlp, &ok);
        p->norms = ck_add(p->norms, e.norms, &ok);
        p->positions = ck_add(p->positions, rel, &ok);
        p->encoder = ck_add(ck_add(e.attention, e.mlp, &ok), ck_add(e.norms, rel, &ok), &ok);
        p->decoder = decoder;
    }

    /* Embeddings, positions, LM head. */
    p->embedding = ck_mul(m->vocab, h, &ok);
    if (m->pos == LLM_POS_LEARNED)
        p->positions = ck_add(p->positions, ck_mul(m->pos_rows, h, &ok), &ok);
    if (m->embedding_norm) p->norms = ck_add(p->norms, norm_params(m, h, &ok), &ok);
    p->lm_head = m->tied_embeddings ? 0 : ck_mul(m->vocab, h, &ok);

    uint64_t t = ck_add(p->embedding, p->positions, &ok);
    t = ck_add(t, p->attention, &ok);
    t = ck_add(t, p->mlp, &ok);
    t = ck_add(t, p->experts, &ok);
    t = ck_add(t, p->router, &ok);
    t = ck_add(t, p->norms, &ok);
    t = ck_add(t, p->lm_head, &ok);
    p->total = t;
    if (!ok)
        return llm_error_set(err, LLM_ERR_OVERFLOW,
                             "the parameter count of this shape does not fit in 64 bits "
                             "(layers %llu, hidden %llu): reduce the shape",
                             (unsigned long long)m->layers, (unsigned long long)m->hidden);
    p->active = p->total - inactive;
    p->non_embedding = p->total - p->embedding - p->positions - p->lm_head;
    p->active_non_embedding = p->non_embedding - inactive;
    return LLM_OK;
}
