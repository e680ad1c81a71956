/* Knob stepping, snapping and typed entry (see knobs.h). */
#include "tui/knobs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmem/format.h"

typedef enum kind {
    LIN,  /* multiples of a step in [min, max] */
    CAND, /* an explicit list of allowed values (divisors, powers of two) */
    LIST  /* an index into a list of names (dtypes, modes, GPUs) */
} kind;

typedef struct spec {
    llmem_knob_info info;
    kind kind;
    uint64_t min, max, step;
    unsigned big;   /* steps (LIN) or candidates (CAND/LIST) per big step */
    bool logscale;  /* slider position on a log scale */
} spec;

static const spec specs[LLMEM_K_COUNT] = {
    [LLMEM_K_LAYERS] = {{"layers", "Layers", "Model"}, LIN, 1, 1024, 1, 8, true},
    [LLMEM_K_HIDDEN] = {{"hidden", "Hidden", NULL}, LIN, 64, 131072, 256, 8, true},
    [LLMEM_K_HEADS] = {{"heads", "Heads", NULL}, CAND, 1, 1024, 1, 4, false},
    [LLMEM_K_KV_HEADS] = {{"kv_heads", "KV heads", NULL}, CAND, 1, 1024, 1, 4, false},
    [LLMEM_K_FFN] = {{"ffn", "FFN", NULL}, LIN, 256, 524288, 256, 16, true},
    [LLMEM_K_VOCAB] = {{"vocab", "Vocab", NULL}, LIN, 1024, 1048576, 1024, 32, true},
    [LLMEM_K_EXPERTS] = {{"experts", "Experts", NULL}, LIN, 0, 1024, 1, 8, true},
    [LLMEM_K_ACTIVE] = {{"active_experts", "Active exp", NULL}, LIN, 1, 1024, 1, 2, false},
    [LLMEM_K_MODE] = {{"mode", "Mode", "Workload"}, LIST, 0, 0, 1, 2, false},
    [LLMEM_K_SEQ] = {{"seq", "Seq len", NULL}, CAND, 16, 1u << 22, 1, 3, true},
    [LLMEM_K_BATCH] = {{"batch", "Batch", NULL}, CAND, 1, 65536, 1, 3, true},
    /* 0 = 20 tokens per parameter; then a 1-2-5 series 1e9 .. 1e15 */
    [LLMEM_K_TOKENS] = {{"tokens", "Tokens", NULL}, CAND, 0, 1000000000000000ull, 1, 3, true},
    /* 0 = none; then powers of two 1 .. 1M */
    [LLMEM_K_GEN_TOKENS] = {{"gen_tokens", "Gen tokens", NULL}, CAND, 0, 1u << 20, 1, 3, true},
    [LLMEM_K_WEIGHTS] = {{"weights", "Weights", NULL}, LIST, 0, 0, 1, 3, false},
    [LLMEM_K_ACT] = {{"act", "Activations", NULL}, LIST, 0, 0, 1, 3, false},
    [LLMEM_K_KV] = {{"kv", "KV cache", NULL}, LIST, 0, 0, 1, 3, false},
    [LLMEM_K_OPTIMIZER] = {{"optimizer", "Optimizer", "Training & pruning"}, LIST, 0, 0, 1, 2, false},
    [LLMEM_K_RECOMPUTE] = {{"recompute", "Recompute", NULL}, LIST, 0, 0, 1, 1, false},
    [LLMEM_K_FLASH] = {{"flash", "Flash attn", NULL}, LIST, 0, 0, 1, 1, false},
    [LLMEM_K_LORA_RANK] = {{"lora_rank", "LoRA rank", NULL}, CAND, 1, 4096, 1, 3, true},
    /* percent of the weights pruned, 0 .. 95 */
    [LLMEM_K_SPARSITY] = {{"sparsity", "Sparsity %", NULL}, LIN, 0, 95, 5, 2, false},
    [LLMEM_K_SPARSE_STORAGE] = {{"sparse_storage", "Sparse fmt", NULL}, LIST, 0, 0, 1, 1, false},
    [LLMEM_K_TEACHER] = {{"teacher", "Teacher", NULL}, LIST, 0, 0, 1, 4, false},
    [LLMEM_K_TP] = {{"tp", "TP", NULL}, CAND, 1, 1024, 1, 2, false},
    [LLMEM_K_SP] = {{"sp", "Seq par", NULL}, LIST, 0, 0, 1, 1, false},
    [LLMEM_K_PP] = {{"pp", "PP", NULL}, CAND, 1, 1024, 1, 2, false},
    [LLMEM_K_VPP] = {{"vpp", "VPP chunks", NULL}, CAND, 1, 1024, 1, 2, false},
    [LLMEM_K_DP] = {{"dp", "DP", NULL}, CAND, 1, 65536, 1, 3, true},
    [LLMEM_K_EP] = {{"ep", "EP", NULL}, CAND, 1, 1024, 1, 2, false},
    [LLMEM_K_ZERO] = {{"zero", "ZeRO", NULL}, LIN, 0, 3, 1, 3, false},
    [LLMEM_K_OFFLOAD] = {{"offload", "Offload", NULL}, LIST, 0, 0, 1, 1, false},
    [LLMEM_K_GPU] = {{"gpu", "GPU", "GPU & parallel"}, LIST, 0, 0, 1, 4, false},
    /* derived: tp x pp x dp; stepping it moves DP (see set_u) */
    [LLMEM_K_GPUS] = {{"gpus", "GPU count", NULL}, CAND, 1, 65536, 1, 3, true},
    [LLMEM_K_MFU] = {{"mfu", "MFU %", NULL}, LIN, 5, 100, 5, 4, false},
};

const llmem_knob_info *llmem_knob(int id)
{
    return id >= 0 && id < LLMEM_K_COUNT ? &specs[id].info : NULL;
}

/* ---- reading values --------------------------------------------------- */

static uint64_t get_u(const llm_config *c, int id)
{
    const llm_model *m = &c->model;
    const llm_workload *w = &c->workload;
    switch (id) {
    case LLMEM_K_LAYERS: return m->layers;
    case LLMEM_K_HIDDEN: return m->hidden;
    case LLMEM_K_HEADS: return m->heads;
    case LLMEM_K_KV_HEADS: return llm_model_kv_heads(m);
    case LLMEM_K_FFN: return m->ffn;
    case LLMEM_K_VOCAB: return m->vocab;
    case LLMEM_K_EXPERTS: return m->experts;
    case LLMEM_K_ACTIVE: return m->active_experts;
    case LLMEM_K_SEQ: return w->seq;
    case LLMEM_K_BATCH: return w->micro_batch;
    case LLMEM_K_TOKENS: return w->tokens;
    case LLMEM_K_GEN_TOKENS: return w->gen_tokens;
    case LLMEM_K_LORA_RANK: return w->lora_rank;
    case LLMEM_K_SPARSITY: return (uint64_t)llround(w->sparsity * 100.0);
    case LLMEM_K_TP: return w->tp;
    case LLMEM_K_PP: return w->pp;
    case LLMEM_K_VPP: return w->vpp;
    case LLMEM_K_DP: return w->dp;
    case LLMEM_K_EP: return w->ep;
    case LLMEM_K_ZERO: return w->zero;
    case LLMEM_K_GPUS: return (uint64_t)w->tp * w->pp * w->dp;
    case LLMEM_K_MFU: return (uint64_t)llround(w->mfu * 100.0);
    default: return 0;
    }
}

static uint32_t to_u32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void set_u(llm_config *c, int id, uint64_t v)
{
    llm_model *m = &c->model;
    llm_workload *w = &c->workload;
    switch (id) {
    case LLMEM_K_LAYERS: m->layers = v; break;
    case LLMEM_K_HIDDEN: m->hidden = v; break;
    case LLMEM_K_HEADS: m->heads = v; break;
    case LLMEM_K_KV_HEADS: m->kv_heads = v; break;
    case LLMEM_K_FFN: m->ffn = v; break;
    case LLMEM_K_VOCAB: m->vocab = v; break;
    case LLMEM_K_EXPERTS: m->experts = v; break;
    case LLMEM_K_ACTIVE: m->active_experts = v; break;
    case LLMEM_K_SEQ: w->seq = v; break;
    case LLMEM_K_BATCH: w->micro_batch = v; break;
    case LLMEM_K_TOKENS: w->tokens = v; break;
    case LLMEM_K_GEN_TOKENS: w->gen_tokens = v; break;
    case LLMEM_K_LORA_RANK: w->lora_rank = to_u32(v); break;
    case LLMEM_K_SPARSITY: w->sparsity = (double)v / 100.0; break;
    case LLMEM_K_TP: w->tp = to_u32(v); break;
    case LLMEM_K_PP: w->pp = to_u32(v); break;
    case LLMEM_K_VPP: w->vpp = to_u32(v); break;
    case LLMEM_K_DP: w->dp = to_u32(v); break;
    case LLMEM_K_EP: w->ep = to_u32(v); break;
    case LLMEM_K_ZERO: w->zero = to_u32(v); break;
    case LLMEM_K_GPUS: { /* the count is tp x pp x dp: it moves DP */
        uint64_t tpp = (uint64_t)w->tp * w->pp;
        if (tpp == 0) tpp = 1;
        w->dp = to_u32(v / tpp ? v / tpp : 1);
        break;
    }
    case LLMEM_K_MFU: w->mfu = (double)v / 100.0; break;
    default: break;
    }
}

/* ---- lists ------------------------------------------------------------ */

/* On/off sliders: off at the left end, on at the right (a step right
 * turns a feature on). */
static const char *const switch_names[] = {"off", "on", NULL};

/* Names of a LIST knob; returns the count (up to cap). */
static size_t list_names(const llm_config *c, const llm_registry *r, int id, const char **out,
                         size_t cap)
{
    size_t n = 0;
    (void)c;
    if (id == LLMEM_K_WEIGHTS || id == LLMEM_K_ACT || id == LLMEM_K_KV) {
        const llm_dtype *d;
        size_t nd;
        if (r && r->ndtypes) {
            d = r->dtypes;
            nd = r->ndtypes;
        } else {
            d = llm_dtype_builtin(&nd);
        }
        for (size_t i = 0; i < nd && n < cap; i++) {
            if (id == LLMEM_K_ACT && !d[i].is_float) continue; /* compute needs a float */
            out[n++] = d[i].name;
        }
        return n;
    }
    if (id == LLMEM_K_GPU) {
        if (r)
            for (size_t i = 0; i < r->ngpus && n < cap; i++) out[n++] = r->gpus[i].id;
        return n;
    }
    if (id == LLMEM_K_TEACHER) { /* "none", then every preset id */
        out[n++] = "none";
        if (r)
            for (size_t i = 0; i < r->npresets && n < cap; i++) out[n++] = r->presets[i].id;
        return n;
    }
    const char *const *names = NULL;
    if (id == LLMEM_K_FLASH || id == LLMEM_K_SP) {
        names = switch_names;
    } else {
        const llm_setting_info *si = llm_setting_find(specs[id].info.key);
        if (si) names = si->choices;
    }
    if (names)
        for (size_t i = 0; names[i] && n < cap; i++) out[n++] = names[i];
    return n;
}

#define LIST_MAX 600

static const char *list_current(const llm_config *c, int id, char *buf, size_t cap)
{
    switch (id) {
    case LLMEM_K_WEIGHTS: return c->workload.weights.name;
    case LLMEM_K_ACT: return c->workload.act.name;
    case LLMEM_K_KV: return c->workload.kv.name;
    case LLMEM_K_GPU: return c->gpu;
    case LLMEM_K_FLASH: return c->workload.flash ? "on" : "off";
    case LLMEM_K_SP: return c->workload.seq_parallel ? "on" : "off";
    case LLMEM_K_TEACHER: return c->teacher[0] ? c->teacher : "none";
    default: llm_setting_format(c, specs[id].info.key, buf, cap); return buf;
    }
}

static int list_index(const llm_config *c, const llm_registry *r, int id, size_t *count)
{
    const char *names[LIST_MAX];
    char buf[64];
    size_t n = list_names(c, r, id, names, LIST_MAX);
    const char *cur = list_current(c, id, buf, sizeof buf);
    *count = n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], cur) == 0) return (int)i;
    return -1;
}

/* ---- candidates ------------------------------------------------------- */

size_t llmem_divisors(uint64_t n, uint64_t max, uint64_t *out, size_t cap)
{
    size_t k = 0;
    if (n == 0) return 0;
    for (uint64_t d = 1; d <= n && d <= max && k < cap; d++)
        if (n % d == 0) out[k++] = d;
    return k;
}

#define CAND_MAX 1100

static size_t pow2s(uint64_t lo, uint64_t hi, uint64_t *out, size_t cap)
{
    size_t k = 0;
    for (uint64_t v = 1; v <= hi && k < cap; v <<= 1)
        if (v >= lo) out[k++] = v;
    return k;
}

static size_t candidates(const llm_config *c, int id, uint64_t *out, size_t cap)
{
    const llm_model *m = &c->model;
    const spec *s = &specs[id];
    switch (id) {
    case LLMEM_K_HEADS:
        if (m->head_dim == 0) return llmem_divisors(m->hidden, s->max, out, cap);
        for (size_t k = 0; k < cap && k < s->max; k++) out[k] = k + 1;
        return cap < s->max ? cap : (size_t)s->max;
    case LLMEM_K_KV_HEADS: return llmem_divisors(m->heads, s->max, out, cap);
    case LLMEM_K_TP: return llmem_divisors(m->heads, s->max, out, cap);
    case LLMEM_K_PP: return llmem_divisors(m->layers, s->max, out, cap);
    case LLMEM_K_VPP: { /* chunks per GPU: divisors of the layers each pipeline stage holds */
        uint64_t pp = c->workload.pp ? c->workload.pp : 1;
        if (m->layers % pp) {
            out[0] = 1;
            return 1;
        }
        return llmem_divisors(m->layers / pp, s->max, out, cap);
    }
    case LLMEM_K_EP: /* expert parallelism splits the routed experts */
        if (m->experts == 0) {
            out[0] = 1;
            return 1;
        }
        return llmem_divisors(m->experts, s->max, out, cap);
    case LLMEM_K_TOKENS: {
        static const uint64_t series[] = {1, 2, 5};
        size_t k = 0;
        out[k++] = 0;
        for (uint64_t p10 = 1000000000ull; p10 <= s->max && k < cap; p10 *= 10)
            for (size_t i = 0; i < 3 && k < cap && p10 * series[i] <= s->max; i++) out[k++] = p10 * series[i];
        return k;
    }
    case LLMEM_K_GEN_TOKENS: {
        size_t k = 0;
        out[k++] = 0;
        return k + pow2s(1, s->max, out + 1, cap - 1);
    }
    case LLMEM_K_GPUS: { /* tp x pp x dp for DP a power of two */
        uint64_t tpp = (uint64_t)c->workload.tp * c->workload.pp;
        if (tpp == 0) tpp = 1;
        size_t n = pow2s(1, s->max, out, cap);
        for (size_t k = 0; k < n; k++) out[k] *= tpp;
        return n;
    }
    default: return pow2s(s->min, s->max, out, cap);
    }
}

/* The ends of a log-scale candidate slider.  The GPU count's candidates
 * start at tp x pp, but its track always spans 1 .. 65536 so that 64 GPUs
 * sit at the same place whatever the layout. */
static void cand_span(int id, const uint64_t *cand, size_t n, uint64_t *lo, uint64_t *hi)
{
    *lo = cand[0] ? cand[0] : (n > 1 ? cand[1] : 1);
    *hi = cand[n - 1];
    if (id == LLMEM_K_GPUS) {
        *lo = 1;
        if (*hi < specs[id].max) *hi = specs[id].max;
    }
}

/* The step of a LIN knob for the current shape.  Hidden moves in multiples
 * of heads x 8 so that hidden / heads stays whole. */
static uint64_t lin_step(const llm_config *c, int id)
{
    if (id == LLMEM_K_HIDDEN && c->model.head_dim == 0 && c->model.heads > 0)
        return c->model.heads * 8;
    return specs[id].step;
}

static void lin_range(const llm_config *c, int id, uint64_t *lo, uint64_t *hi)
{
    *lo = specs[id].min;
    *hi = specs[id].max;
    if (id == LLMEM_K_ACTIVE) *hi = c->model.experts ? c->model.experts : 1;
    if (id == LLMEM_K_HIDDEN) {
        uint64_t st = lin_step(c, id);
        if (*lo < st) *lo = st;
    }
}

bool llmem_knob_relevant(const llm_config *c, int id)
{
    llm_mode md = c->workload.mode;
    bool train = md != LLM_MODE_INFER;
    switch (id) {
    case LLMEM_K_ACTIVE:
    case LLMEM_K_EP: return c->model.experts > 0;
    case LLMEM_K_LORA_RANK: return md == LLM_MODE_LORA || md == LLM_MODE_QLORA;
    case LLMEM_K_TEACHER: return md == LLM_MODE_DISTILL;
    case LLMEM_K_TOKENS:
    case LLMEM_K_OPTIMIZER:
    case LLMEM_K_RECOMPUTE:
    case LLMEM_K_OFFLOAD:
    case LLMEM_K_ZERO: return train;
    case LLMEM_K_GEN_TOKENS: return !train;
    case LLMEM_K_SP: return c->workload.tp > 1;
    case LLMEM_K_VPP: return c->workload.pp > 1;
    case LLMEM_K_SPARSE_STORAGE: return c->workload.sparsity > 0;
    default: return true;
    }
}

bool llmem_knob_available(int id)
{
    if (id < 0 || id >= LLMEM_K_COUNT) return false;
    if (id == LLMEM_K_TEACHER) return llm_setting_find("teacher") != NULL;
    return true;
}

/* ---- display ---------------------------------------------------------- */

void llmem_knob_value_text(const llm_config *c, const llm_registry *r, int id, char *buf,
                           size_t cap)
{
    const spec *s = &specs[id];
    if (s->kind == LIST) {
        char tmp[64];
        const char *cur = list_current(c, id, tmp, sizeof tmp);
        if (id == LLMEM_K_GPU) {
            const llm_gpu *g = r && *c->gpu ? llm_registry_find_gpu(r, c->gpu) : NULL;
            snprintf(buf, cap, "%s", g ? g->name : (*c->gpu ? c->gpu : "none"));
            return;
        }
        snprintf(buf, cap, "%s", cur);
        return;
    }
    uint64_t v = get_u(c, id);
    if (id == LLMEM_K_TOKENS) { /* "1.00 T"; 0 = Chinchilla's 20 per parameter */
        /* the engine's default: 20 per parameter when pre-training, 1B per run otherwise */
        if (v == 0) snprintf(buf, cap, "%s", c->workload.mode == LLM_MODE_PRETRAIN ? "20/param" : "1B/run");
        else llm_fmt_count(buf, cap, (double)v);
        return;
    }
    snprintf(buf, cap, "%llu", (unsigned long long)v);
}

static double frac_of(double v, double lo, double hi, bool logscale)
{
    if (hi <= lo) return 0;
    double p;
    if (logscale) { /* a zero minimum (experts) sits at the left end */
        if (lo < 1) lo = 1;
        if (v < lo) return 0;
        p = (log(v) - log(lo)) / (log(hi) - log(lo));
    }
    else
        p = (v - lo) / (hi - lo);
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

static void normalise_head_dim(llm_config *c);

/* The position is a pure function of the value and its candidate list: the
 * candidates are taken from the normalised shape (a head_dim written out as
 * hidden / heads is dropped), exactly as stepping sees them, so a slider sits
 * at the same place at launch, after `r` and after any unrelated edit. */
double llmem_knob_pos(const llm_config *c0, const llm_registry *r, int id)
{
    const spec *s = &specs[id];
    llm_config norm = *c0;
    normalise_head_dim(&norm);
    const llm_config *c = &norm;
    if (s->kind == LIST) {
        size_t n;
        int i = list_index(c, r, id, &n);
        if (i < 0 || n < 2) return 0;
        return (double)i / (double)(n - 1);
    }
    uint64_t v = get_u(c, id);
    if (s->kind == CAND) {
        uint64_t cand[CAND_MAX];
        size_t n = candidates(c, id, cand, CAND_MAX);
        if (n < 2) return 0;
        if (s->logscale) {
            uint64_t lo, hi;
            cand_span(id, cand, n, &lo, &hi);
            return frac_of((double)(v ? v : lo), (double)lo, (double)hi, true);
        }
        size_t i = 0;
        while (i + 1 < n && cand[i + 1] <= v) i++;
        return (double)i / (double)(n - 1);
    }
    uint64_t lo, hi;
    lin_range(c, id, &lo, &hi);
    return frac_of((double)v, (double)lo, (double)hi, s->logscale);
}

/* ---- changing values -------------------------------------------------- */

static uint64_t largest_divisor_le(uint64_t n, uint64_t limit)
{
    if (n == 0) return 1;
    for (uint64_t d = limit < n ? limit : n; d > 1; d--)
        if (n % d == 0) return d;
    return 1;
}

void llmem_knob_snap(llm_config *c, int changed, uint64_t old_value)
{
    llm_model *m = &c->model;
    /* See knobs.h for the rule: shape values follow within the shape; the
     * parallel layout (tp | heads, pp | layers, ep | experts) never does. */
    if (changed == LLMEM_K_HEADS && m->heads > 0) {
        /* MHA stays MHA; otherwise keep the group count dividing heads. */
        if (m->kv_heads == old_value) m->kv_heads = m->heads;
        else if (m->kv_heads && m->heads % m->kv_heads) m->kv_heads = largest_divisor_le(m->heads, m->kv_heads);
    }
    if (changed == LLMEM_K_EXPERTS) {
        if (m->experts == 0) m->active_experts = 0;
        else if (m->active_experts == 0) m->active_experts = 1;
        else if (m->active_experts > m->experts) m->active_experts = m->experts;
    }
}

/* A head_dim written out that equals hidden / heads says nothing more than
 * the default; dropping it lets hidden and heads move together. */
static void normalise_head_dim(llm_config *c)
{
    llm_model *m = &c->model;
    if (m->head_dim && m->heads && m->attn == LLM_ATTN_MHA && m->head_dim * m->heads == m->hidden)
        m->head_dim = 0;
}

bool llmem_shape_equal(const llm_model *x, const llm_model *y)
{
    llm_config a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memcpy(&a.model, x, sizeof *x);
    memcpy(&b.model, y, sizeof *y);
    normalise_head_dim(&a);
    normalise_head_dim(&b);
    return memcmp(&a.model, &b.model, sizeof a.model) == 0;
}

/* The engine takes workload.gpus = 0 (tp x pp x dp) or exactly tp x pp x dp.
 * The GPU count knob is derived from the parallel layout, so once a knob
 * moves, the count is left to follow it. */
static void follow_gpus(llm_config *c)
{
    c->workload.gpus = 0;
}

static bool apply_value(llm_config *c, int id, uint64_t v)
{
    uint64_t old = get_u(c, id);
    if (old == v) return false;
    set_u(c, id, v);
    llmem_knob_snap(c, id, old);
    follow_gpus(c);
    return true;
}

static bool apply_list(llm_config *c, const llm_registry *r, int id, size_t idx)
{
    const char *names[LIST_MAX];
    size_t n = list_names(c, r, id, names, LIST_MAX);
    if (idx >= n) return false;
    llm_config next = *c;
    if (llm_setting_apply(&next, r, specs[id].info.key, names[idx], NULL) != LLM_OK) return false;
    if (memcmp(&next, c, sizeof next) == 0) return false;
    *c = next;
    return true;
}

static bool is_shape(int id)
{
    return id <= LLMEM_K_ACTIVE;
}

bool llmem_knob_step(llm_config *c, const llm_registry *r, int id, int dir, bool big)
{
    if (id < 0 || id >= LLMEM_K_COUNT || dir == 0) return false;
    const spec *s = &specs[id];
    if (is_shape(id)) normalise_head_dim(c);
    unsigned times = big ? s->big : 1;
    if (s->kind == LIST) {
        size_t n;
        int i = list_index(c, r, id, &n);
        if (n == 0) return false;
        long j = i < 0 ? 0 : i + (dir > 0 ? (long)times : -(long)times);
        if (j < 0) j = 0;
        if (j >= (long)n) j = (long)n - 1;
        if (j == i) return false;
        return apply_list(c, r, id, (size_t)j);
    }
    uint64_t v = get_u(c, id);
    if (s->kind == CAND) {
        uint64_t cand[CAND_MAX];
        size_t n = candidates(c, id, cand, CAND_MAX);
        if (n == 0) return false;
        uint64_t target = v;
        for (unsigned t = 0; t < times; t++) {
            uint64_t next = target;
            if (dir > 0) {
                for (size_t k = 0; k < n; k++)
                    if (cand[k] > target) {
                        next = cand[k];
                        break;
                    }
            } else {
                for (size_t k = n; k-- > 0;)
                    if (cand[k] < target) {
                        next = cand[k];
                        break;
                    }
            }
            target = next;
        }
        return apply_value(c, id, target);
    }
    uint64_t lo, hi, st = lin_step(c, id) * times;
    lin_range(c, id, &lo, &hi);
    uint64_t target;
    if (dir > 0) {
        target = (v / st + 1) * st;
        if (target > hi) target = hi;
    } else {
        target = v % st ? v / st * st : (v >= st ? v - st : 0);
        if (target < lo) target = lo;
    }
    if (target < lo) target = lo;
    return apply_value(c, id, target);
}

bool llmem_knob_extreme(llm_config *c, const llm_registry *r, int id, int dir)
{
    if (id < 0 || id >= LLMEM_K_COUNT) return false;
    const spec *s = &specs[id];
    if (is_shape(id)) normalise_head_dim(c);
    if (s->kind == LIST) {
        size_t n;
        list_index(c, r, id, &n);
        if (n == 0) return false;
        return apply_list(c, r, id, dir < 0 ? 0 : n - 1);
    }
    if (s->kind == CAND) {
        uint64_t cand[CAND_MAX];
        size_t n = candidates(c, id, cand, CAND_MAX);
        if (n == 0) return false;
        return apply_value(c, id, dir < 0 ? cand[0] : cand[n - 1]);
    }
    uint64_t lo, hi;
    lin_range(c, id, &lo, &hi);
    uint64_t st = lin_step(c, id);
    if (dir > 0) hi = hi / st * st;
    return apply_value(c, id, dir < 0 ? lo : hi);
}

bool llmem_knob_set_pos(llm_config *c, const llm_registry *r, int id, double pos)
{
    if (id < 0 || id >= LLMEM_K_COUNT) return false;
    const spec *s = &specs[id];
    if (pos < 0) pos = 0;
    if (pos > 1) pos = 1;
    if (is_shape(id)) normalise_head_dim(c);
    if (s->kind == LIST) {
        size_t n;
        list_index(c, r, id, &n);
        if (n == 0) return false;
        return apply_list(c, r, id, (size_t)lround(pos * (double)(n - 1)));
    }
    if (s->kind == CAND) {
        uint64_t cand[CAND_MAX];
        size_t n = candidates(c, id, cand, CAND_MAX);
        if (n == 0) return false;
        if (s->logscale) {
            /* nearest candidate to the position on the same log scale */
            size_t best = 0;
            double bd = 2;
            uint64_t lo, hi;
            cand_span(id, cand, n, &lo, &hi);
            for (size_t k = 0; k < n; k++) {
                double p = cand[k] ? frac_of((double)cand[k], (double)lo, (double)hi, true) : 0;
                double d = fabs(p - pos);
                if (d < bd) {
                    bd = d;
                    best = k;
                }
            }
            return apply_value(c, id, cand[best]);
        }
        return apply_value(c, id, cand[(size_t)lround(pos * (double)(n - 1))]);
    }
    uint64_t lo, hi;
    lin_range(c, id, &lo, &hi);
    double v;
    if (s->logscale && pos <= 0)
        v = (double)lo;
    else if (s->logscale)
        v = exp(log((double)(lo > 0 ? lo : 1)) + pos * (log((double)hi) - log((double)(lo > 0 ? lo : 1))));
    else
        v = (double)lo + pos * (double)(hi - lo);
    uint64_t st = lin_step(c, id);
    uint64_t target = (uint64_t)llround(v / (double)st) * st;
    if (target < lo) target = (lo + st - 1) / st * st;
    if (target > hi) target = hi / st * st;
    return apply_value(c, id, target);
}

llm_code llmem_knob_type(llm_config *c, const llm_registry *r, int id, const char *text,
                         llm_error *err)
{
    if (id < 0 || id >= LLMEM_K_COUNT) return llm_error_set(err, LLM_ERR_USAGE, "no such knob");
    llm_config next = *c;
    uint64_t old = get_u(c, id);
    if (is_shape(id)) normalise_head_dim(&next);
    /* The percentage sliders (MFU %, Sparsity %) take "40" as 40 %. */
    char pct[64];
    if ((id == LLMEM_K_MFU || id == LLMEM_K_SPARSITY) && !strchr(text, '%')) {
        char *end;
        double v = strtod(text, &end);
        if (end != text && *end == '\0' && v > 1) {
            snprintf(pct, sizeof pct, "%.30s%%", text);
            text = pct;
        }
    }
    llm_code rc = llm_setting_apply(&next, r, specs[id].info.key, text, err);
    if (rc != LLM_OK) return rc;
    if (id == LLMEM_K_GPUS) { /* typed count: the setting checked it is a multiple of tp x pp and set DP */
        next.workload.gpus = 0;
        if (next.workload.dp > specs[LLMEM_K_DP].max)
            return llm_error_set(err, LLM_ERR_USAGE, "GPU count: DP would be above %llu",
                                 (unsigned long long)specs[LLMEM_K_DP].max);
    }
    llmem_knob_snap(&next, id, old);
    follow_gpus(&next);
    *c = next;
    return LLM_OK;
}
