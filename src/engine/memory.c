/* Memory per GPU (most-loaded pipeline stage) and over the cluster
 * (docs/formulas.md §3-5).
 *
 * A pipeline stage is described by how many layers of each kind it holds and
 * whether it holds the embedding / LM head.  Every figure is linear in that
 * description, so the cluster total is the same function evaluated on the
 * sum of all stages, times the t x dp GPUs that share each stage.
 */
#include <math.h>
#include <string.h>

#include "engine/checked.h"
#include "engine/engine.h"

typedef struct stage_desc {
    double n_dense, n_moe, n_enc; /* layers held: dense / MoE decoder layers, encoder layers */
    double n_window, n_global;    /* decoder layers with / without a sliding window (KV) */
    double first, last;           /* holds the embedding / the LM head (counts, for sums) */
    double tied_copy;             /* tied LM head copied to the last stage (pp > 1) */
    double layer_units;           /* layers x micro-batches of activations held */
    double emb_units;             /* micro-batches of embedding activations held */
    double nstages;               /* stages summed (1 for one stage) */
} stage_desc;

/* ---- parameters by class, per layer ---- */


static double mlp_params(const llm_model *m, double f)
{
    double mats = m->ffn_kind == LLM_FFN_GATED ? 3.0 : 2.0;
    double p = mats * (double)m->hidden * f;
    if (m->mlp_bias) p += (mats - 1.0) * f + (double)m->hidden;
    return p;
}

void llm_eng_classes(const llm_eng *e, llm_layer_classes *c)
{
    const llm_model *m = e->m;
    const llm_params *p = e->p;
    c->mlp_shared = c->experts = c->router = 0.0; /* the rest is set below (no memset) */
    bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
    double nm = m->experts ? (double)(m->layers - m->dense_layers) : 0.0;
    double nd = e->L - nm;
    double blocks = encdec ? 2.0 * e->L + e->Lenc : e->L;
    c->attn_block = (double)p->attention / blocks;
    if (encdec || !m->experts) {
        c->mlp_dense = (double)p->mlp / e->Lall;
    } else {
        c->mlp_dense = mlp_params(m, (double)m->ffn);
        c->mlp_shared = nm > 0 ? ((double)p->mlp - nd * c->mlp_dense) / nm : 0.0;
        c->experts = nm > 0 ? (double)p->experts / nm : 0.0;
        c->router = nm > 0 ? (double)p->router / nm : 0.0;
    }
    double one = (double)m->hidden * ((m->norm == LLM_NORM_LAYERNORM && m->norm_bias) ? 2.0 : 1.0);
    c->final_norm = m->final_norm ? one * (encdec ? 2.0 : 1.0) : 0.0;
    c->emb_norm = m->embedding_norm ? one : 0.0;
    c->norms = ((double)p->norms - c->final_norm - c->emb_norm) / e->Lall;
}

/* ---- matrix shapes: LoRA adapters and Adafactor's factored moments ---- */

typedef struct mat_sums {
    double rc;      /* sum of rows + cols over every matrix */
    double lora;    /* LoRA adapter parameters r.(d_in + d_out) over targeted matrices */
    double lora_rc; /* rows + cols of the adapters themselves */
} mat_sums;

static void mat(mat_sums *s, double din, double dout, uint32_t bit, uint32_t targets, double r,
                double times)
{
    s->rc += times * (din + dout);
    if (targets & bit) {
        s->lora += times * r * (din + dout);
        s->lora_rc += times * (din + r + r + dout);
    }
}

static void attn_mats(const llm_model *m, mat_sums *s, uint32_t tg, double r, double times)
{
    double h = (double)m->hidden, a = (double)m->heads;
    if (m->attn == LLM_ATTN_MLA) {
        double qk = (double)(m->qk_nope_dim + m->qk_rope_dim);
        double kvl = (double)m->kv_lora_rank, ql = (double)m->q_lora_rank;
        if (ql > 0) {
            mat(s, h, ql, LLM_LORA_Q, tg, r, times);
            mat(s, ql, a * qk, LLM_LORA_Q, tg, r, times);
        } else {
            mat(s, h, a * qk, LLM_LORA_Q, tg, r, times);
        }
        mat(s, h, kvl + (double)m->qk_rope_dim, LLM_LORA_K, tg, r, times);
        mat(s, kvl, a * (double)(m->qk_nope_dim + m->v_head_dim), LLM_LORA_V, tg, r, times);
        mat(s, a * (double)m->v_head_dim, h, LLM_LORA_O, tg, r, times);
        return;
    }
    double d = (double)llm_model_head_dim(m), k = (double)llm_model_kv_heads(m);
    mat(s, h, a * d, LLM_LORA_Q, tg, r, times);
    mat(s, h, k * d, LLM_LORA_K, tg, r, times);
    mat(s, h, k * d, LLM_LORA_V, tg, r, times);
    mat(s, a * d, h, LLM_LORA_O, tg, r, times);
}

static void mlp_mats(const llm_model *m, double f, mat_sums *s, uint32_t tg, double r,
                     double times)
{
    double h = (double)m->hidden;
    if (m->ffn_kind == LLM_FFN_GATED) mat(s, h, f, LLM_LORA_GATE, tg, r, times);
    mat(s, h, f, LLM_LORA_UP, tg, r, times);
    mat(s, f, h, LLM_LORA_DOWN, tg, r, times);
}

/* Sums for the layers of one stage, split into the part sharded over t
 * (dense) and the routed experts (sharded over t x ep). */
static void stage_mats(const llm_eng *e, const stage_desc *st, mat_sums *dense, mat_sums *expert)
{
    const llm_model *m = e->m;
    uint32_t tg = e->w->lora_targets;
    double r = (double)e->w->lora_rank;
    bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
    memset(dense, 0, sizeof *dense);
    memset(expert, 0, sizeof *expert);
    double dec = st->n_dense + st->n_moe;
    attn_mats(m, dense, tg, r, dec * (encdec ? 2.0 : 1.0) + st->n_enc);
    mlp_mats(m, (double)m->ffn, dense, tg, r, st->n_dense + st->n_enc);
    if (m->experts && st->n_moe > 0) {
        double fe = (double)(m->expert_ffn ? m->expert_ffn : m->ffn);
        if (m->shared_experts)
            mlp_mats(m, fe * (double)m->shared_experts, dense, tg, r, st->n_moe);
        mlp_mats(m, fe, expert, tg, r, st->n_moe * (double)m->experts);
        dense->rc += st->n_moe * ((double)m->hidden + (double)m->experts); /* router */
    }
}

/* ---- bytes per element ---- */

/* Stored bytes of one linear-layer weight after pruning (FORMULAS.md §5):
 * dense storage keeps the zeros; 2:4 keeps half the values plus a 2-bit
 * index per kept value; CSR keeps the nonzeros plus a 32-bit column index
 * each (row pointers, rows x 4 bytes per matrix, are left out). */
static double sparse_bytes(const llm_workload *w, double wb)
{
    switch (w->sparse_storage) {
    case LLM_SPARSE_2_4:
        return 0.5 * wb + 0.5 * 0.25;
    case LLM_SPARSE_CSR:
        return (1.0 - w->sparsity) * (wb + 4.0);
    case LLM_SPARSE_DENSE:
    default:
        return wb;
    }
}

/* Quantised checkpoints keep embeddings, LM head, norms (and router) in 16 bit. */
static double keep16(const llm_workload *w, double wb)
{
    return (w->quant_keep_16bit && wb < 2.0) ? 2.0 : wb;
}

/* Master copy counted only when the weights are not already in its precision. */
static double master_bytes(const llm_workload *w)
{
    if (w->optimizer == LLM_OPT_NONE) return 0.0;
    return w->master.bytes > w->weights.bytes ? w->master.bytes : 0.0;
}

/* Optimizer states per element (Adafactor handled apart: factored). */
static double state_bytes(const llm_workload *w)
{
    switch (w->optimizer) {
    case LLM_OPT_ADAMW:
        return 2.0 * w->optim.bytes; /* m and v */
    case LLM_OPT_ADAMW8BIT:
        return 2.0 * 1.0; /* m and v in 8 bit (bitsandbytes) */
    case LLM_OPT_SGDM:
    case LLM_OPT_LION:
        return w->optim.bytes; /* momentum only */
    case LLM_OPT_SGD:
    case LLM_OPT_ADAFACTOR:
    case LLM_OPT_NONE:
    default:
        return 0.0;
    }
}

/* ---- one stage, one GPU ---- */

typedef struct stage_mem {
    llm_memory mem;
    double act_layers, act_embedding, act_output, act_working, act_const;
} stage_mem;

/* Parameters of a stage (unsharded element counts by class). */
typedef struct stage_params {
    double lin;     /* attention + dense/shared MLP matrices (split over t) */
    double experts; /* routed experts (split over t x ep) */
    double repl;    /* norms + router (replicated on every rank) */
    double emb;     /* embedding + LM head (vocab-parallel: split over t) */
    double pos;     /* learned positions (replicated) */
} stage_params;

static void stage_params_of(const llm_eng *e, const llm_model *m, const llm_params *p,
                            const llm_layer_classes *c, const stage_desc *st, stage_params *out)
{
    bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
    double dec = st->n_dense + st->n_moe;
    out->lin = c->attn_block * (dec * (encdec ? 2.0 : 1.0) + st->n_enc) +
               c->mlp_dense * (st->n_dense + st->n_enc) + c->mlp_shared * st->n_moe;
    out->experts = c->experts * st->n_moe;
    out->repl = c->norms * (dec + st->n_enc) + c->router * st->n_moe +
                st->last * c->final_norm + st->first * c->emb_norm;
    out->emb = st->first * (double)p->embedding + st->last * (double)p->lm_head +
               st->tied_copy * (double)p->embedding;
    out->pos = st->first * (double)p->positions;
    (void)e;
}

/* Bytes of the weights of a stage on one GPU, for a weight dtype size wb. */
static double stage_weight_bytes(const llm_eng *e, const stage_params *sp, double wb, bool sparse)
{
    const llm_workload *w = e->w;
    double lw = sparse ? sparse_bytes(w, wb) : wb;
    double w16 = keep16(w, wb);
    return sp->lin / e->t * lw + sp->experts / (e->ep * e->etp) * lw + sp->repl * w16 +
           sp->emb / e->t * w16 + sp->pos * w16;
}

static double kv_layer_token(const llm_eng *e)
{
    const llm_model *m = e->m;
    if (m->attn == LLM_ATTN_MLA)
        /* The latent is shared by all heads: every TP rank keeps all of it. */
        return (double)(m->kv_lora_rank + m->qk_rope_dim) * e->w->kv.bytes;
    double kr = e->k >= e->t ? e->k / e->t : 1.0; /* fewer kv heads than ranks: replicate */
    return 2.0 * kr * e->d * e->w->kv.bytes;
}

double llm_eng_kv_per_token(const llm_eng *e)
{
    const llm_model *m = e->m;
    double per_layer = m->attn == LLM_ATTN_MLA
                           ? (double)(m->kv_lora_rank + m->qk_rope_dim) * e->w->kv.bytes
                           : 2.0 * e->k * e->d * e->w->kv.bytes;
    double cross = m->arch == LLM_ARCH_ENCODER_DECODER ? 2.0 : 1.0;
    return e->L * per_layer * cross;
}

static double round_block(double s, uint32_t block)
{
    if (block <= 1) return s;
    return ceil(s / (double)block) * (double)block;
}

/* The per-estimate constants of stage_memory (llm_eng_init). */
void llm_eng_init_caches(llm_eng *e)
{
    const llm_model *m = e->m;
    const llm_workload *w = e->w;
    e->kv_S = round_block(e->s, w->kv_block);
    e->kv_Sw = e->kv_S;
    if (m->window && (double)m->window < e->s)
        e->kv_Sw = round_block((double)m->window, w->kv_block);
    e->kv_cross = m->arch == LLM_ARCH_ENCODER_DECODER ? 2.0 : 1.0;
    e->kv_tok = kv_layer_token(e);
    if (e->train) {
        e->act_emb = llm_eng_act_embedding(e);
        e->act_out = llm_eng_act_output(e);
        e->act_const = llm_eng_act_model_const(e);
    } else {
        e->act_emb = e->act_out = e->act_const = 0.0;
    }
}

static double stage_kv(const llm_eng *e, const stage_desc *st)
{
    return e->b * e->kv_tok * (st->n_global * e->kv_S + st->n_window * e->kv_Sw) * e->kv_cross;
}

/* rep (may be NULL): the replica's read bytes, for a description of all stages. */
static void stage_memory(const llm_eng *e, const stage_desc *st, stage_mem *out,
                         llm_mem_detail *det, llm_replica *rep)
{
    const llm_model *m = e->m;
    const llm_workload *w = e->w;
    out->mem.host = 0.0; /* the rest of out->mem is set below (no memset) */
    out->act_layers = out->act_embedding = out->act_output = out->act_working = 0.0;
    out->act_const = 0.0;
    stage_params sp;
    stage_params_of(e, m, e->p, &e->cls, st, &sp);
    llm_memory *mem = &out->mem;

    double wb = w->weights.bytes;
    bool lora = w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA;
    double zdp = e->dp, zdp_e = e->edp; /* ZeRO shards over these ranks */

    /* Weights (the stored copy: compute dtype when training, frozen base for LoRA). */
    double wdense = stage_weight_bytes(e, &sp, wb, true);
    double wexp_share = sp.experts / (e->ep * e->etp) * sparse_bytes(w, wb);
    double wdense_only = wdense - wexp_share;
    double wstage = wdense;
    if (rep) {
        rep->weights_dense = wdense_only;
        rep->weights_experts = wexp_share;
        rep->kv = stage_kv(e, st);
    }
    if (e->train && w->zero >= 3) wdense = wdense_only / zdp + wexp_share / zdp_e;
    double weights = wdense;

    /* Trainable elements on this GPU (dense part, expert part) and their
     * Adafactor row+col sums. */
    mat_sums md = {0, 0, 0}, me = {0, 0, 0};
    if (e->train && (lora || w->optimizer == LLM_OPT_ADAFACTOR)) stage_mats(e, st, &md, &me);
    double tr_d = 0, tr_e = 0, rc_d = 0, rc_e = 0;
    double grads = 0, optim = 0;
    if (e->train) {
        double gb, mb;
        if (lora) {
            /* Adapters are fp32 parameters (PEFT): fp32 gradients, optimizer
             * states without a separate master copy. */
            tr_d = md.lora / e->t;
            tr_e = me.lora / (e->ep * e->etp);
            rc_d = md.lora_rc / e->t;
            rc_e = me.lora_rc / (e->ep * e->etp);
            weights += 4.0 * (w->zero >= 3 ? tr_d / zdp + tr_e / zdp_e : tr_d + tr_e);
            gb = 4.0;
            mb = 0.0;
        } else {
            tr_d = sp.lin / e->t + sp.repl + sp.emb / e->t + sp.pos;
            tr_e = sp.experts / (e->ep * e->etp);
            double emb_mats = st->first + st->tied_copy + (m->tied_embeddings ? 0.0 : st->last);
            rc_d = md.rc / e->t + sp.repl + sp.pos + emb_mats * (e->V + e->h) / e->t;
            rc_e = me.rc / (e->ep * e->etp);
            gb = w->grads.bytes;
            mb = master_bytes(w);
        }
        bool gz = w->zero >= 2, oz = w->zero >= 1;
        grads = gb * (gz ? tr_d / zdp + tr_e / zdp_e : tr_d + tr_e);
        optim = (mb + state_bytes(w)) * (oz ? tr_d / zdp + tr_e / zdp_e : tr_d + tr_e);
        if (w->optimizer == LLM_OPT_ADAFACTOR)
            /* Factored second moment: one row and one column vector per
             * matrix (vectors keep a full one). */
            optim += w->optim.bytes * (oz ? rc_d / zdp + rc_e / zdp_e : rc_d + rc_e);
    }

    /* Distillation: the teacher's frozen weights (not ZeRO-sharded). */
    double teacher_w = 0.0, teacher_act = 0.0;
    if (e->teacher_ok) {
        const llm_params *tpp = &e->tparams;
        llm_eng te;
        llm_eng_init_shape(&te, &w->teacher, w, tpp);
        /* Same share of the teacher's layers as of the student's. */
        stage_desc ts = *st;
        double frac = (st->n_dense + st->n_moe) / e->L;
        double tnm =
            w->teacher.experts ? (double)(w->teacher.layers - w->teacher.dense_layers) : 0;
        ts.n_moe = frac * tnm;
        ts.tied_copy = (e->pp > 1 && w->teacher.tied_embeddings) ? st->last : 0.0;
        ts.n_dense = frac * (te.L - tnm);
        ts.n_enc = frac * te.Lenc;
        stage_params tsp;
        stage_params_of(&te, &w->teacher, tpp, &te.cls, &ts, &tsp);
        llm_workload tw = *w;
        tw.weights = w->teacher_weights;
        tw.sparsity = 0.0;
        tw.sparse_storage = LLM_SPARSE_DENSE;
        te.w = &tw;
        teacher_w = stage_weight_bytes(&te, &tsp, tw.weights.bytes, false);
        weights += teacher_w;
        double t_work = st->nstages * llm_eng_infer_act(&te, &w->teacher);
        out->act_working += t_work;
        /* teacher logits over every position, for the distillation loss */
        double t_logits = st->last * e->s * e->b * (double)w->teacher.vocab * 4.0 / e->t;
        out->act_output += t_logits;
        teacher_act = t_work + t_logits;
    }

    /* Offloading moves bytes to host memory. */
    if (e->train && w->offload_optimizer) {
        mem->host += optim;
        optim = 0.0;
    }
    if (w->offload_params) {
        mem->host += weights;
        weights = 0.0;
    }

    /* Activations. */
    double act = 0.0;
    if (w->mode == LLM_MODE_INFER) {
        /* Each stage runs one layer at a time; the last one also makes the
         * fp32 logits of the next token of each sequence (vocab-parallel). */
        out->act_working += st->nstages * llm_eng_infer_act(e, m);
        out->act_output = st->last * e->b * e->V * 4.0 / e->t;
        act = out->act_working + out->act_output;
    } else {
        const llm_act_layer *dec = &e->act_dec, *enc = llm_eng_act_enc(e);
        bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
        double sb = e->s * e->b;
        double layers = st->n_dense + st->n_moe + st->n_enc;
        double per_layer_units = layers > 0 ? st->layer_units / layers : 0.0;
        out->act_layers = sb * per_layer_units *
                          ((st->n_dense + st->n_moe) * dec->stored + st->n_enc * enc->stored);
        out->act_embedding = st->emb_units * e->act_emb;
        out->act_output += st->last * e->act_out;
        double work = dec->work;
        if (encdec && enc->work > work) work = enc->work;
        out->act_working += st->nstages * sb * work;
        out->act_const = st->nstages * e->act_const;
        act = out->act_layers + out->act_embedding + out->act_output + out->act_working +
              out->act_const;
    }

    mem->weights = weights;
    mem->gradients = grads;
    mem->optimizer = optim;
    mem->activations = act;
    mem->kv_cache = w->mode == LLM_MODE_INFER ? stage_kv(e, st) : 0.0;
    double rest = mem->weights + mem->gradients + mem->optimizer + mem->activations + mem->kv_cache;
    mem->overhead = st->nstages * w->overhead_bytes + w->fragmentation * rest;
    mem->total = rest + mem->overhead;

    if (det) {
        det->n_dense = st->n_dense;
        det->n_moe = st->n_moe;
        det->n_enc = st->n_enc;
        det->lin = sp.lin;
        det->experts = sp.experts;
        det->repl = sp.repl;
        det->emb = sp.emb;
        det->pos = sp.pos;
        det->lw = sparse_bytes(w, wb);
        det->w16 = keep16(w, wb);
        det->tr_dense = tr_d;
        det->tr_experts = tr_e;
        det->grad_b = e->train ? (lora ? 4.0 : w->grads.bytes) : 0.0;
        det->master_b = e->train && !lora ? master_bytes(w) : 0.0;
        det->state_b = e->train ? state_bytes(w) : 0.0;
        det->factored = w->optimizer == LLM_OPT_ADAFACTOR ? rc_d + rc_e : 0.0;
        det->factored_d = w->optimizer == LLM_OPT_ADAFACTOR ? rc_d : 0.0;
        det->factored_e = w->optimizer == LLM_OPT_ADAFACTOR ? rc_e : 0.0;
        det->w_stage = wstage;
        det->w_experts = wexp_share;
        det->teacher_act = teacher_act;
        det->enc_stored = llm_eng_act_enc(e)->stored;
        det->zdp = zdp;
        det->zdp_e = zdp_e;
        det->teacher_weights = teacher_w;
        det->kv_S = round_block(e->s, w->kv_block);
        det->kv_Sw = (m->window && (double)m->window < e->s)
                         ? round_block((double)m->window, w->kv_block)
                         : det->kv_S;
        det->kv_layer_token = kv_layer_token(e);
        det->kv_global = st->n_global;
        det->kv_window = st->n_window;
        det->kv_cross = m->arch == LLM_ARCH_ENCODER_DECODER ? 2.0 : 1.0;
        det->layer_units = st->layer_units;
        det->emb_units = st->emb_units;
        if (w->mode != LLM_MODE_INFER) det->dec = e->act_dec;
        det->emb_act = out->act_embedding;
        det->out_act = out->act_output;
        det->work_act = out->act_working;
        det->const_act = out->act_const;
    }
}

/* ---- stages ---- */

/* Decoder layers [lo, hi) that use a sliding window (model.h: in each group
 * of window_pattern layers the last is global). */
static double window_layers_in(const llm_model *m, uint64_t lo, uint64_t hi)
{
    if (!m->window) return 0.0;
    if (m->window_pattern == 1) return 0.0;
    if (m->window_pattern == 0) return (double)(hi - lo);
    uint64_t n = m->window_pattern;
    uint64_t global = hi / n - lo / n;
    return (double)(hi - lo - global);
}

static double interleave_factor(const llm_eng *e)
{
    /* Korthikanti et al. §4.2.3: m interleaved chunks per GPU add (p-1)/(p.m). */
    if (e->vpp <= 1.0) return 1.0;
    return 1.0 + (e->pp - 1.0) / (e->pp * e->vpp);
}

static void stage_of(const llm_eng *e, uint32_t i, stage_desc *st)
{
    const llm_model *m = e->m;
    /* every field is set below (no memset) */
    uint64_t per = ck_div(m->layers, e->w->pp);
    uint64_t lo = (uint64_t)i * per, hi = lo + per;
    double moe = 0.0;
    if (m->experts) {
        uint64_t a = lo > m->dense_layers ? lo : m->dense_layers;
        moe = hi > a ? (double)(hi - a) : 0.0;
    }
    st->n_moe = moe;
    st->n_dense = (double)per - moe;
    st->n_enc = e->Lenc / e->pp;
    st->n_window = window_layers_in(m, lo, hi);
    st->n_global = (double)per - st->n_window;
    st->first = i == 0 ? 1.0 : 0.0;
    st->last = i + 1 == e->w->pp ? 1.0 : 0.0;
    st->tied_copy = (st->last > 0 && e->w->pp > 1 && m->tied_embeddings) ? 1.0 : 0.0;
    /* 1F1B: stage i holds p - i micro-batches of its layers (Korthikanti §4.2.3). */
    double inflight = e->pp - (double)i;
    st->layer_units = inflight * interleave_factor(e) * ((double)per + st->n_enc);
    st->emb_units = st->first * e->pp;
    st->nstages = 1.0;
}

static void cluster_desc(const llm_eng *e, stage_desc *st)
{
    const llm_model *m = e->m;
    /* every field is set below (no memset) */
    double nm = m->experts ? (double)(m->layers - m->dense_layers) : 0.0;
    st->n_moe = nm;
    st->n_dense = e->L - nm;
    st->n_enc = e->Lenc;
    st->n_window = window_layers_in(m, 0, m->layers);
    st->n_global = e->L - st->n_window;
    st->first = 1.0;
    st->last = 1.0;
    st->tied_copy = (e->w->pp > 1 && m->tied_embeddings) ? 1.0 : 0.0;
    /* sum over stages of (p - i) x layers per stage = (p + 1)/2 x all layers */
    st->layer_units = (e->pp + 1.0) / 2.0 * interleave_factor(e) * (e->L + e->Lenc);
    st->emb_units = e->pp;
    st->nstages = e->pp;
}

static void copy_stage(llm_estimate *out, const stage_mem *sm, const llm_eng *e)
{
    out->per_gpu = sm->mem;
    out->act_layers = sm->act_layers;
    out->act_embedding = sm->act_embedding + sm->act_const;
    out->act_output = sm->act_output;
    out->act_working = sm->act_working;
    (void)e;
}

void llm_eng_memory(const llm_eng *e, llm_estimate *out, llm_replica *rep)
{
    uint32_t p = e->w->pp;
    uint32_t cand[3] = {0, p - 1, 0};
    size_t nc = 2;
    const llm_model *m = e->m;
    if (m->experts && m->dense_layers && p > 2) {
        uint64_t per = m->layers / p;
        uint64_t j = (m->dense_layers + per - 1) / per;
        if (j > 0 && j < (uint64_t)p - 1) cand[nc++] = (uint32_t)j;
    }
    stage_mem best, sm;
    stage_desc st;
    stage_of(e, 0, &st);
    /* With one stage, stage 0 is the whole model: its evaluation is the
     * cluster's too (same description, see cluster_desc). */
    bool one = p == 1;
    stage_memory(e, &st, &best, NULL, one ? rep : NULL);
    out->stage = 0;
    out->act_inflight = st.layer_units;
    for (size_t i = 1; i < nc; i++) {
        if (cand[i] == 0) continue;
        stage_desc sti;
        stage_of(e, cand[i], &sti);
        stage_memory(e, &sti, &sm, NULL, NULL);
        if (sm.mem.total > best.mem.total) {
            best = sm;
            out->stage = cand[i];
            out->act_inflight = sti.layer_units;
        }
    }
    copy_stage(out, &best, e);
    if (!e->train) out->act_inflight = 0.0;

    /* Cluster: every stage on each of its t x dp GPUs. */
    if (one) {
        sm = best;
    } else {
        stage_desc all;
        cluster_desc(e, &all);
        stage_memory(e, &all, &sm, NULL, rep);
    }
    double g = e->t * e->dp;
    out->cluster.weights = g * sm.mem.weights;
    out->cluster.gradients = g * sm.mem.gradients;
    out->cluster.optimizer = g * sm.mem.optimizer;
    out->cluster.activations = g * sm.mem.activations;
    out->cluster.kv_cache = g * sm.mem.kv_cache;
    out->cluster.overhead = g * sm.mem.overhead;
    out->cluster.total = g * sm.mem.total;
    out->cluster.host = g * sm.mem.host;

    /* Per-layer activation figures of one micro-batch (first stage's layers). */
    if (e->w->mode != LLM_MODE_INFER) {
        const llm_act_layer *al = &e->act_dec;
        out->act_bytes_per_layer = e->s * e->b * al->stored;
        out->act_c_sbh = al->c_sbh;
        out->act_c_score = al->c_score;
        out->act_c_token = al->extra;
    }
}

/* What one decode/prefill step reads on one GPU, summed over the pipeline
 * stages it passes through: weights (routed experts apart) and the KV cache
 * of the micro-batch at full context. */
void llm_eng_replica_bytes(const llm_eng *e, double *weights_dense, double *weights_experts,
                           double *kv)
{
    stage_desc all;
    cluster_desc(e, &all);
    stage_params sp;
    stage_params_of(e, e->m, e->p, &e->cls, &all, &sp);
    double wb = e->w->weights.bytes;
    double exp = sp.experts / (e->ep * e->etp) * sparse_bytes(e->w, wb);
    *weights_dense = stage_weight_bytes(e, &sp, wb, true) - exp;
    *weights_experts = exp;
    *kv = stage_kv(e, &all);
}

void llm_eng_stage_detail(const llm_eng *e, uint32_t stage, llm_mem_detail *d)
{
    memset(d, 0, sizeof *d);
    stage_desc st;
    stage_of(e, stage, &st);
    stage_mem sm;
    stage_memory(e, &st, &sm, d, NULL);
    d->stage = stage;
}
