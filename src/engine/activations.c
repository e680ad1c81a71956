/* Activation memory from the list of tensors each layer saves for backward
 * (docs/formulas.md §3, docs/saved-tensors.md).
 *
 * Nothing here is a hard-coded "34": the per-layer bytes are the sum over a
 * table of saved tensors built for the workload's implementation profile,
 * FFN kind, norm kind, dropout, activation dtype, FlashAttention and tensor /
 * sequence parallelism.  With the Megatron profile, a GPT block, 16-bit
 * activations, dropout on and no FlashAttention the table sums to
 * Korthikanti et al.'s s.b.h.(34 + 5.a.s/h) (2022, eq. 1).
 */
#include <string.h>

#include "engine/checked.h"
#include "engine/engine.h"

/* What a table entry scales with: the hidden width (the "34"), the
 * attention scores (the "5as/h"), or neither (per-token statistics). */
typedef enum act_scale { SC_WIDTH = 0, SC_SCORE, SC_TOKEN } act_scale;

/* The builder either writes the table (llm_act_tensors, explain traces) or,
 * in the estimate's hot path, only sums it into `acc` -- entry by entry in
 * the same order and with the same operations as a walk over the written
 * table, so both give bit-identical figures. */
typedef struct act_builder {
    llm_act_tensor *out;
    size_t cap, n;
    double t;   /* tensor-parallel degree */
    bool sp;    /* sequence parallel: replicated tensors are split too */
    bool selective;
    bool full_rc;       /* full recomputation: nothing kept */
    bool sum;           /* sum mode: the sums below, no table */
    double full, stored, c_sbh, c_score, extra;
    double h, as;       /* hidden size, heads x keys: the scales of c_sbh, c_score */
    double d, k;        /* head dimension, kv heads (defaults resolved) */
} act_builder;

/* The builder's helpers are inlined into build() so that, in sum mode, its
 * sums can live in registers (a chain of loads and stores through memory
 * was a measurable part of an estimate). */
#if defined(__GNUC__)
#define ACT_INLINE static inline __attribute__((always_inline))
#else
#define ACT_INLINE static inline
#endif

ACT_INLINE void add(act_builder *bd, const char *name, double elems, double bytes, bool core,
                act_scale sc)
{
    if (bd->sum) {
        double b = elems * bytes;
        bd->full += b;
        if (bd->full_rc || (core && bd->selective)) return;
        bd->stored += b;
        if (sc == SC_WIDTH) bd->c_sbh += b / bd->h;
        else if (sc == SC_SCORE) bd->c_score += b / bd->as;
        else bd->extra += b;
        return;
    }
    if (bd->n < bd->cap) {
        llm_act_tensor *x = &bd->out[bd->n];
        x->name = name;
        x->elems = elems;
        x->bytes = bytes;
        x->core = core;
        x->kept = !bd->full_rc && !(core && bd->selective);
    }
    bd->n++;
}

/* Elements per token on one GPU: tensors outside the tensor-parallel region
 * are replicated on every rank unless sequence parallelism splits them. */
ACT_INLINE double rep(const act_builder *bd, double x)
{
    return bd->sp ? x / bd->t : x;
}
ACT_INLINE double split(const act_builder *bd, double x)
{
    return x / bd->t;
}

/* Llama-style eager code (RMSNorm or gated MLP families) computes softmax in
 * fp32 (modeling_llama.py: softmax(..., dtype=torch.float32)); GPT-2 does not. */
static bool llama_style(const llm_model *m)
{
    return m->norm == LLM_NORM_RMSNORM || m->ffn_kind == LLM_FFN_GATED;
}

ACT_INLINE void add_norm(act_builder *bd, const llm_model *m, const llm_workload *w, double width,
                     const char *ln_in, const char *rms_in)
{
    double B = w->act.bytes;
    if (w->profile == LLM_PROFILE_MEGATRON) {
        /* Fused norms keep their input; the per-token mean/rstd are left out
         * as in Korthikanti et al. */
        add(bd, ln_in, rep(bd, width), B, false, SC_WIDTH);
        return;
    }
    if (m->norm == LLM_NORM_LAYERNORM) {
        add(bd, ln_in, rep(bd, width), B, false, SC_WIDTH);
        add(bd, "LayerNorm mean + rstd (fp32)", rep(bd, 2.0), 4.0, false, SC_TOKEN);
    } else {
        /* LlamaRMSNorm: x.to(fp32) is kept by pow/mul, 1/rms by mul, the
         * normalised x (cast back) by the weight multiply. */
        add(bd, rms_in, rep(bd, width), 4.0, false, SC_WIDTH);
        add(bd, "RMSNorm 1/rms (fp32)", rep(bd, 1.0), 4.0, false, SC_TOKEN);
        add(bd, "RMSNorm normalised x", rep(bd, width), B, false, SC_WIDTH);
    }
}

ACT_INLINE void add_attention(act_builder *bd, const llm_model *m, const llm_workload *w,
                          double seq_keys)
{
    double B = w->act.bytes;
    double h = (double)m->hidden, a = (double)m->heads;
    double d = bd->d, k = bd->k;
    bool eager = w->profile == LLM_PROFILE_EAGER;
    double qk_w, v_w, kv_rank_k, kv_rank_v;
    if (m->attn == LLM_ATTN_MLA) {
        /* MLA: per-head keys (nope + rope) and values after the up-projection. */
        qk_w = a * (double)(m->qk_nope_dim + m->qk_rope_dim);
        v_w = a * (double)m->v_head_dim;
        kv_rank_k = split(bd, qk_w);
        kv_rank_v = split(bd, v_w);
    } else {
        qk_w = a * d;
        v_w = a * d;
        if (eager) {
            /* repeat_kv expands grouped K/V to every head before the matmuls. */
            kv_rank_k = split(bd, a * d);
            kv_rank_v = kv_rank_k;
        } else {
            /* k heads split over t ranks; fewer than t: one replicated head each. */
            double kr = k >= bd->t ? k / bd->t : 1.0;
            kv_rank_k = kr * d;
            kv_rank_v = kr * d;
        }
    }

    add_norm(bd, m, w, h, "attention norm input", "attention RMSNorm input (fp32)");
    add(bd, "QKV projection input", rep(bd, h), B, false, SC_WIDTH);
    if (m->attn == LLM_ATTN_MLA) {
        double kvl = (double)m->kv_lora_rank, ql = (double)m->q_lora_rank;
        add(bd, "MLA kv latent (norm + kv_b inputs)", rep(bd, 2.0 * kvl), B, false,
            SC_WIDTH);
        if (ql > 0)
            add(bd, "MLA q latent (norm + q_b inputs)", rep(bd, 2.0 * ql), B,
                false, SC_WIDTH);
    }
    add(bd, eager ? "Q (copy for the QK^T matmul)" : "Q", split(bd, qk_w), B, false, SC_WIDTH);
    add(bd, eager ? "K (expanded to every head)" : "K", kv_rank_k, B, false, SC_WIDTH);
    if (w->flash) {
        if (eager) add(bd, "attention output (pre-transpose)", split(bd, v_w), B, false,
                       SC_WIDTH);
        add(bd, "softmax log-sum-exp (fp32)", split(bd, a), 4.0, false, SC_TOKEN);
    } else {
        double scores = split(bd, a * seq_keys);
        double Bsm = (eager && llama_style(m)) ? 4.0 : B;
        add(bd, Bsm == 4.0 && B != 4.0 ? "softmax output (fp32)" : "softmax output", scores, Bsm,
            true, SC_SCORE);
        if (w->dropout) {
            add(bd, "attention dropout mask (1 B)", scores, 1.0, true, SC_SCORE);
            add(bd, "attention dropout output", scores, B, true, SC_SCORE);
        } else if (Bsm != B) {
            add(bd, "softmax output cast to act dtype", scores, B, true, SC_SCORE);
        }
    }
    add(bd, eager ? "V (expanded to every head)" : "V", kv_rank_v, B, false, SC_WIDTH);
    add(bd, "output projection input", split(bd, v_w), B, false, SC_WIDTH);
    if (w->dropout) add(bd, "attn residual dropout mask (1 B)", rep(bd, h), 1.0, false,
                        SC_WIDTH);
}

ACT_INLINE void add_mlp(act_builder *bd, const llm_model *m, const llm_workload *w)
{
    double B = w->act.bytes;
    double h = (double)m->hidden;
    double f = (double)m->ffn;
    bool eager = w->profile == LLM_PROFILE_EAGER;
    if (m->experts) {
        /* Each token passes through its active experts (and the shared ones). */
        double fe = (double)(m->expert_ffn ? m->expert_ffn : m->ffn);
        f = fe * (double)(m->active_experts + m->shared_experts);
    }
    add_norm(bd, m, w, h, "MLP norm input", "MLP RMSNorm input (fp32)");
    add(bd, "MLP input", rep(bd, h), B, false, SC_WIDTH);
    if (m->experts) {
        add(bd, "router probabilities (fp32)", rep(bd, (double)m->experts), 4.0, false, SC_TOKEN);
        add(bd, "expert inputs (permuted tokens)",
            rep(bd, h * (double)m->active_experts), B, false, SC_WIDTH);
    }
    if (m->ffn_kind == LLM_FFN_GATED) {
        if (eager) {
            add(bd, "gate output (SiLU input)", split(bd, f), B, false, SC_WIDTH);
            add(bd, "SiLU output", split(bd, f), B, false, SC_WIDTH);
            add(bd, "up output", split(bd, f), B, false, SC_WIDTH);
            add(bd, "down projection input (SiLU x up)", split(bd, f), B, false, SC_WIDTH);
        } else {
            add(bd, "SwiGLU input (gate | up)", split(bd, 2.0 * f), B, false, SC_WIDTH);
            add(bd, "FC2 input (SwiGLU output)", split(bd, f), B, false, SC_WIDTH);
        }
    } else {
        if (eager) {
            /* GPT-2's gelu_new, 0.5x(1 + tanh(c(x + 0.044715x^3))), in eager ops:
             * x, 0.5x, tanh(.) and 1 + tanh(.) are kept. */
            add(bd, "GELU input (FC1 output)", split(bd, f), B, false, SC_WIDTH);
            add(bd, "GELU 0.5x", split(bd, f), B, false, SC_WIDTH);
            add(bd, "GELU tanh output", split(bd, f), B, false, SC_WIDTH);
            add(bd, "GELU 1 + tanh", split(bd, f), B, false, SC_WIDTH);
        } else {
            add(bd, "GeLU input (FC1 output)", split(bd, f), B, false, SC_WIDTH);
        }
        add(bd, "FC2 input (GeLU output)", split(bd, f), B, false, SC_WIDTH);
    }
    if (w->dropout) add(bd, "MLP residual dropout mask (1 B)", rep(bd, h), 1.0, false,
                        SC_WIDTH);
}

static size_t build(const llm_model *m, const llm_workload *w, bool cross, double seq_keys,
                    llm_act_tensor *out, llm_act_layer *acc, size_t cap)
{
    act_builder bd;
    bd.out = out;
    bd.n = 0;
    bd.sum = acc != NULL;
    bd.full = bd.stored = bd.c_sbh = bd.c_score = bd.extra = 0.0;
    bd.h = (double)m->hidden;
    bd.as = (double)m->heads * seq_keys;
    bd.d = (double)eng_head_dim(m->head_dim, m->hidden, m->heads);
    bd.k = (double)eng_kv_heads(m->kv_heads, m->heads);
    bd.cap = cap;
    bd.t = (double)(w->tp ? w->tp : 1);
    bd.sp = w->seq_parallel;
    bd.selective = w->recompute == LLM_RECOMPUTE_SELECTIVE;
    bd.full_rc = w->recompute == LLM_RECOMPUTE_FULL;
    add_attention(&bd, m, w, seq_keys);
    if (cross) add_attention(&bd, m, w, seq_keys);
    add_mlp(&bd, m, w);
    if (acc) {
        acc->full = bd.full;
        acc->stored = bd.stored;
        acc->c_sbh = bd.c_sbh;
        acc->c_score = bd.c_score;
        acc->extra = bd.extra;
    }
    return bd.n;
}

size_t llm_act_tensors(const llm_model *m, const llm_workload *w, bool cross, llm_act_tensor *out,
                       size_t cap)
{
    size_t n = build(m, w, cross, (double)w->seq, out, NULL, cap);
    return n < cap ? n : cap;
}

void llm_eng_act_layer(const llm_eng *e, const llm_model *m, bool decoder_cross,
                       llm_act_layer *out)
{
    (void)build(m, e->w, decoder_cross, e->s, NULL, out, 0); /* sets the five sums */
    double h = (double)m->hidden;
    out->work = out->full - out->stored;
    if (e->w->recompute == LLM_RECOMPUTE_FULL) {
        /* Only each layer's input is kept (Korthikanti et al. §4.2).  While a
         * layer is recomputed its whole set is live again, except the input
         * when the input itself is one of the saved tensors (it is not in
         * eager RMSNorm below fp32, which keeps an fp32 copy instead). */
        double in = h * e->w->act.bytes / (e->w->seq_parallel ? e->t : 1.0);
        bool input_saved = !(e->w->profile == LLM_PROFILE_EAGER && m->norm == LLM_NORM_RMSNORM &&
                             e->w->act.bytes != 4.0);
        out->work = out->full - (input_saved ? in : 0.0);
        out->stored = in;
        out->c_sbh = in / h;
        out->c_score = 0.0;
        out->extra = 0.0;
    }
}

/* Token ids (int64) kept by the embedding lookup, the embedding dropout mask,
 * and position ids for learned positions (one row of s, shared by the batch). */
double llm_eng_act_embedding(const llm_eng *e)
{
    const llm_workload *w = e->w;
    double sb = e->s * e->b;
    double sp = w->seq_parallel ? e->t : 1.0;
    double bytes = sb * 8.0;
    if (w->dropout) bytes += sb * e->h / sp;
    if (e->m->pos == LLM_POS_LEARNED) bytes += e->s * 8.0;
    return bytes;
}

/* The final norm, the LM head's input, the fp32 log-softmax of the logits
 * for the loss (vocab-parallel: split by t) and the int64 labels. */
double llm_eng_act_output(const llm_eng *e)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    double sb = e->s * e->b, B = w->act.bytes;
    double sp = w->seq_parallel ? e->t : 1.0;
    double per_token = 0.0;
    if (w->profile == LLM_PROFILE_EAGER && m->norm == LLM_NORM_RMSNORM)
        per_token += (e->h * 4.0 + 4.0 + e->h * B) / sp;
    else if (w->profile == LLM_PROFILE_EAGER)
        per_token += (e->h * B + 8.0) / sp;
    else
        per_token += e->h * B / sp;
    per_token += e->h * B / sp;      /* LM head input */
    per_token += e->V * 4.0 / e->t;  /* fp32 logits / log-softmax for the loss */
    per_token += 8.0;                /* labels */
    return sb * per_token;
}

/* Tensors shared by every layer, once per GPU: eager rotary cos/sin tables
 * (s.d each, act dtype) and, with full recomputation, the additive causal
 * mask handed to every checkpointed block (s.s, act dtype). */
double llm_eng_act_model_const(const llm_eng *e)
{
    const llm_workload *w = e->w;
    if (w->profile != LLM_PROFILE_EAGER || w->mode == LLM_MODE_INFER) return 0.0;
    double bytes = 0.0;
    if (e->m->pos == LLM_POS_ROTARY) bytes += 2.0 * e->s * e->d * w->act.bytes;
    if (w->recompute == LLM_RECOMPUTE_FULL && !w->flash) bytes += e->s * e->s * w->act.bytes;
    return bytes;
}

/* One forward step without gradients (inference prefill, a distillation
 * teacher): nothing is saved, so the peak is the residual stream plus the
 * largest transient of one layer (FORMULAS.md §4); logits are added by the
 * caller. */
double llm_eng_infer_act(const llm_eng *e, const llm_model *m)
{
    const llm_workload *w = e->w;
    double B = w->act.bytes, t = e->t, sb = e->s * e->b;
    double h = (double)m->hidden, a = (double)m->heads;
    double d = (double)eng_head_dim(m->head_dim, m->hidden, m->heads);
    double k = (double)eng_kv_heads(m->kv_heads, m->heads);
    double kvr = (k >= t ? k / t : 1.0) * d;
    double hidden = 2.0 * sb * h * B;
    double attn = sb * (a * d / t + 2.0 * kvr) * B;
    if (!w->flash) {
        double sm = (w->profile == LLM_PROFILE_EAGER && llama_style(m)) ? 4.0 + B : B;
        attn += e->b * a / t * e->s * e->s * sm;
    }
    double f = (double)m->ffn;
    if (m->experts)
        f = (double)(m->expert_ffn ? m->expert_ffn : m->ffn) *
            (double)(m->active_experts + m->shared_experts);
    double mlp = sb * f / t * (m->ffn_kind == LLM_FFN_GATED ? 3.0 : 2.0) * B;
    return hidden + (attn > mlp ? attn : mlp);
}
