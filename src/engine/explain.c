/* Explain traces: for a figure, the formula, the values put in and the result,
 * like a worked example in a textbook.  Built only on request (never in the
 * estimate hot path).
 *
 * Every line is at most EXPLAIN_WIDTH (78) columns: the command line prints
 * the trace indented by two spaces in an 80-column report.  Formulas are laid
 * out by hand; a line that still comes out longer (very large numbers) is
 * wrapped at a space -- before an operator where possible -- onto indented
 * continuation lines.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

#define EXPLAIN_WIDTH 78
#define LINE_MAX_CHARS 1024

typedef struct out_buf {
    char *buf;
    size_t cap, len; /* len: what was wanted so far */
    char line[LINE_MAX_CHARS];
    size_t ll;
    char num[16][32]; /* nu()'s results, used round-robin */
    unsigned ni;
} out_buf;

/* A number to put into a formula: whole numbers in full (no exponent, so
 * they can be typed into a calculator), others with 10 significant digits. */
static const char *nu(out_buf *o, double v)
{
    char *s = o->num[o->ni++ % 16];
    if (v == floor(v) && fabs(v) < 1e17) snprintf(s, sizeof o->num[0], "%.0f", v);
    else snprintf(s, sizeof o->num[0], "%.10g", v);
    return s;
}

static void emit(out_buf *o, const char *s, size_t n)
{
    if (o->buf && o->len + 1 < o->cap) {
        size_t room = o->cap - 1 - o->len;
        size_t k = n < room ? n : room;
        memcpy(o->buf + o->len, s, k);
        o->buf[o->len + k] = '\0';
    }
    o->len += n;
}

static void emit_spaces(out_buf *o, size_t n)
{
    static const char sp[] = "                                        ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        emit(o, sp, k);
        n -= k;
    }
}

/* Where to break a line of `n` chars that may use `avail` columns: the last
 * space before an operator (" + ", " x ", " = ", ...) within the width, else
 * the last space, else a hard break. */
static size_t break_at(const char *s, size_t n, size_t avail)
{
    size_t lo = avail / 3;
    for (size_t i = avail; i > lo; i--) {
        if (s[i] != ' ' || i + 2 >= n) continue;
        if (strchr("+-=x/*(", s[i + 1]) && s[i + 2] == ' ') return i;
    }
    for (size_t i = avail; i > lo; i--)
        if (s[i] == ' ') return i;
    return avail;
}

/* Writes the buffered line, wrapped to EXPLAIN_WIDTH. */
static void flush_line(out_buf *o)
{
    const char *s = o->line;
    size_t n = o->ll;
    while (n > 0 && s[n - 1] == ' ') n--;
    size_t indent = 0;
    while (indent < n && s[indent] == ' ') indent++;
    size_t cont = indent + 4; /* continuation lines */
    if (cont > EXPLAIN_WIDTH / 2) cont = EXPLAIN_WIDTH / 2;
    size_t pre = 0; /* the first line carries its own indentation */
    for (;;) {
        size_t avail = EXPLAIN_WIDTH - pre;
        if (n <= avail) {
            emit_spaces(o, pre);
            emit(o, s, n);
            emit(o, "\n", 1);
            break;
        }
        size_t cut = break_at(s, n, avail);
        size_t keep = cut;
        while (keep > 0 && s[keep - 1] == ' ') keep--;
        emit_spaces(o, pre);
        emit(o, s, keep);
        emit(o, "\n", 1);
        s += cut;
        n -= cut;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
        pre = cont;
        if (n == 0) break;
    }
    o->ll = 0;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(out_buf *o, const char *fmt, ...)
{
    char tmp[LINE_MAX_CHARS];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    for (size_t i = 0; i < len; i++) {
        if (tmp[i] == '\n') flush_line(o);
        else if (o->ll < sizeof o->line - 1) o->line[o->ll++] = tmp[i];
    }
}

static const char *const figure_names[LLM_FIG_COUNT] = {
    "params.total",       "memory.weights",  "memory.gradients", "memory.optimizer",
    "memory.activations", "memory.kv_cache", "memory.overhead",  "memory.total",
    "compute.flops_per_token", "compute.train_time", "compute.prefill", "compute.decode",
    "scaling",
};

const char *llm_figure_name(llm_figure f)
{
    if ((unsigned)f >= LLM_FIG_COUNT) return "?";
    return figure_names[f];
}

static const char *bound_name(llm_bound b)
{
    return b == LLM_BOUND_COMPUTE   ? "compute-bound"
           : b == LLM_BOUND_MEMORY  ? "memory-bound"
           : b == LLM_BOUND_UNKNOWN ? "bound unknown (GPU figure not published)"
                                    : "no bound (no GPU)";
}

#define ULL(x) ((unsigned long long)(x))
#define GIB 1073741824.0

/* "<lead>N B = x.xxxx GiB<tail>" */
static void bytes_line(out_buf *o, const char *lead, double bytes, const char *tail)
{
    put(o, "%s%.0f B = %.4f GiB%s\n", lead, bytes, bytes / GIB, tail);
}

static void cluster_line(out_buf *o, const llm_estimate *est, double bytes)
{
    if (est->gpus == 1)
        put(o, "cluster (1 GPU): %.0f B = %.4f GiB\n", bytes, bytes / GIB);
    else
        put(o, "cluster, all %llu GPUs: %.0f B = %.4f GiB\n", ULL(est->gpus), bytes, bytes / GIB);
}

static bool is_lora(const llm_workload *w)
{
    return w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA;
}

/* ---- parameters ---------------------------------------------------------- */
static void explain_params(out_buf *o, const llm_params *p)
{
    put(o, "parameters = embedding + positions + attention + mlp + experts\n"
           "             + router + norms + lm_head\n");
    put(o, "  = %llu + %llu + %llu + %llu + %llu + %llu + %llu + %llu\n", ULL(p->embedding),
        ULL(p->positions), ULL(p->attention), ULL(p->mlp), ULL(p->experts), ULL(p->router),
        ULL(p->norms), ULL(p->lm_head));
    put(o, "  = %llu parameters\n", ULL(p->total));
    put(o, "active per token = total - routed experts a token does not use\n");
    put(o, "  = %llu - %llu = %llu\n", ULL(p->total), ULL(p->total - p->active), ULL(p->active));
    put(o, "non-embedding N = total - embedding - positions - lm_head\n");
    put(o, "  = %llu - %llu - %llu - %llu = %llu\n", ULL(p->total), ULL(p->embedding),
        ULL(p->positions), ULL(p->lm_head), ULL(p->non_embedding));
    put(o, "active non-embedding N = %llu (Kaplan's N, used for FLOPs)\n",
        ULL(p->active_non_embedding));
}

/* ---- weights ------------------------------------------------------------- */
static void explain_bytes_per_weight(out_buf *o, const llm_workload *w, const llm_mem_detail *d)
{
    put(o, "weights %s: %g B per element", w->weights.name, w->weights.bytes);
    if (w->weights.group)
        put(o, " (%g bits + %g B of scales per %u)", w->weights.bits, w->weights.scale_bytes,
            w->weights.group);
    put(o, "\n");
    double wb = w->weights.bytes;
    switch (w->sparse_storage) {
    case LLM_SPARSE_2_4:
        put(o, "  b_lin = 2:4 pruned: half the values + a 2-bit index each\n"
               "        = 0.5 x %g + 0.5 x 0.25 = %s B\n",
            wb, nu(o, d->lw));
        break;
    case LLM_SPARSE_CSR:
        put(o, "  b_lin = CSR at sparsity %g: nonzeros + a 4 B column index each\n"
               "        = (1 - %g) x (%g + 4) = %s B\n",
            w->sparsity, w->sparsity, wb, nu(o, d->lw));
        break;
    case LLM_SPARSE_DENSE:
    default:
        put(o, "  b_lin = %s B (linear layers%s)\n", nu(o, d->lw),
            w->sparsity > 0 ? "; dense storage keeps the pruned zeros" : "");
        break;
    }
    if (d->w16 != wb)
        put(o, "  b_16 = %g B (quantised checkpoint: embeddings, head, norms and\n"
               "         routers kept in 16 bit)\n",
            d->w16);
    else
        put(o, "  b_16 = %g B (embeddings, head, norms, routers)\n", d->w16);
}

static void explain_weights(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                            const llm_estimate *est)
{
    const llm_workload *w = e->w;
    put(o, "weights per GPU, pipeline stage %u of %u (the most loaded):\n", d->stage, w->pp);
    put(o, "  W = lin/t x b_lin + exp/(ep x etp) x b_lin\n"
           "      + (norm + router + pos) x b_16 + emb/t x b_16\n");
    put(o, "parameters held by the stage:\n");
    put(o, "  lin = %.0f (attention and MLP matrices)\n", d->lin);
    if (d->experts > 0) put(o, "  exp = %.0f (routed experts)\n", d->experts);
    put(o, "  norm + router = %.0f, pos = %.0f (learned positions)\n", d->repl, d->pos);
    put(o, "  emb = %.0f (token embedding and LM head on this stage)\n", d->emb);
    put(o, "  t = %u, ep = %u, etp = %g (expert tensor-parallel ranks)\n", w->tp, w->ep, e->etp);
    explain_bytes_per_weight(o, w, d);
    put(o, "  W = %.0f/%u x %s", d->lin, w->tp, nu(o, d->lw));
    if (d->experts > 0) put(o, " + %.0f/(%u x %g) x %s", d->experts, w->ep, e->etp, nu(o, d->lw));
    put(o, " + (%.0f + %.0f) x %g + %.0f/%u x %g\n", d->repl, d->pos, d->w16, d->emb, w->tp,
        d->w16);
    double total = d->w_stage;
    bool z3 = e->train && w->zero >= 3;
    bool more = z3 || is_lora(w) || d->teacher_weights > 0 || w->offload_params;
    if (!more) {
        bytes_line(o, "    = ", est->per_gpu.weights, " per GPU");
        cluster_line(o, est, est->cluster.weights);
        return;
    }
    bytes_line(o, "    = ", d->w_stage, "");
    if (z3) {
        double dense = d->w_stage - d->w_experts;
        total = dense / d->zdp + d->w_experts / d->zdp_e;
        put(o, "ZeRO-3 shards them over dp = %g (routed experts over edp = %g):\n", d->zdp,
            d->zdp_e);
        put(o, "  W = %.0f / %g + %.0f / %g\n", dense, d->zdp, d->w_experts, d->zdp_e);
        bytes_line(o, "    = ", total, "");
    }
    if (is_lora(w)) {
        double n = d->tr_dense + d->tr_experts;
        double adapters = 4.0 * (z3 ? d->tr_dense / d->zdp + d->tr_experts / d->zdp_e : n);
        put(o, "+ LoRA adapters, fp32 (PEFT): rank %u, r x (d_in + d_out) per target\n",
            w->lora_rank);
        if (z3)
            put(o, "  4 B x (%.0f / %g + %.0f / %g) = %.0f B\n", d->tr_dense, d->zdp,
                d->tr_experts, d->zdp_e, adapters);
        else
            put(o, "  4 B x %.0f = %.0f B\n", n, adapters);
        total += adapters;
    }
    if (d->teacher_weights > 0) {
        put(o, "+ teacher weights (%s, same share of its layers): %.0f B\n",
            w->teacher_weights.name, d->teacher_weights);
        total += d->teacher_weights;
    }
    if (w->offload_params) {
        bytes_line(o, "offloaded to host memory (parameter offload): ", total, "");
        put(o, "  0 B of weights stay on the GPU\n");
    }
    bytes_line(o, "= ", est->per_gpu.weights, " per GPU");
    cluster_line(o, est, est->cluster.weights);
}

/* ---- gradients and optimizer states ------------------------------------- */
static void explain_states(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                           const llm_estimate *est, bool grads)
{
    const llm_workload *w = e->w;
    if (!e->train) {
        put(o, "%s: none in inference (nothing is trained)\n",
            grads ? "gradients" : "optimizer states");
        bytes_line(o, "= ", 0.0, " per GPU");
        return;
    }
    bool lora = is_lora(w);
    put(o, "trainable elements per GPU (stage %u; split over t, experts over\n"
           "ep x etp):\n",
        d->stage);
    put(o, "  P = %.0f dense + %.0f expert%s\n", d->tr_dense, d->tr_experts,
        lora ? " (LoRA adapters; the base is frozen)" : "");
    if (grads) {
        bool z = w->zero >= 2;
        if (lora)
            put(o, "gradients = P x b_g, b_g = 4 B (fp32 adapters)%s\n",
                z ? ", sharded by ZeRO-2/3" : "");
        else
            put(o, "gradients = P x b_g, b_g = %g B (%s)%s\n", d->grad_b, w->grads.name,
                z ? ", sharded by ZeRO-2/3" : "");
        if (z) {
            put(o, "  = (P_dense / dp + P_expert / edp) x b_g\n");
            put(o, "  = (%.0f / %g + %.0f / %g) x %g\n", d->tr_dense, d->zdp, d->tr_experts,
                d->zdp_e, d->grad_b);
        } else {
            put(o, "  = (%.0f + %.0f) x %g\n", d->tr_dense, d->tr_experts, d->grad_b);
        }
        bytes_line(o, "  = ", est->per_gpu.gradients, " per GPU");
        cluster_line(o, est, est->cluster.gradients);
        return;
    }
    bool z = w->zero >= 1;
    put(o, "optimizer = P x (master + states)%s\n", z ? ", sharded by ZeRO-1/2/3" : "");
    if (d->master_b > 0)
        put(o, "  master = %g B (%s copy of %s weights)\n", d->master_b, w->master.name,
            w->weights.name);
    else
        put(o, "  master = 0 B (%s)\n",
            lora ? "fp32 adapters need no separate copy"
                 : w->optimizer == LLM_OPT_NONE ? "no optimizer"
                                                : "weights already in the master precision");
    switch (w->optimizer) {
    case LLM_OPT_ADAMW:
        put(o, "  states = %g B (AdamW m and v: 2 x %g B, %s)\n", d->state_b, w->optim.bytes,
            w->optim.name);
        break;
    case LLM_OPT_ADAMW8BIT:
        put(o, "  states = %g B (8-bit AdamW m and v: 2 x 1 B)\n", d->state_b);
        break;
    case LLM_OPT_SGDM:
    case LLM_OPT_LION:
        put(o, "  states = %g B (%s momentum: 1 x %g B, %s)\n", d->state_b,
            llm_optimizer_name(w->optimizer), w->optim.bytes, w->optim.name);
        break;
    case LLM_OPT_ADAFACTOR:
        put(o, "  states = 0 B per element (Adafactor: no first moment; factored\n"
               "  second moment below)\n");
        break;
    case LLM_OPT_SGD:
    case LLM_OPT_NONE:
    default:
        put(o, "  states = 0 B (%s)\n", llm_optimizer_name(w->optimizer));
        break;
    }
    if (z) {
        put(o, "  = (P_dense / dp + P_expert / edp) x (master + states)\n");
        put(o, "  = (%.0f / %g + %.0f / %g) x (%g + %g)\n", d->tr_dense, d->zdp, d->tr_experts,
            d->zdp_e, d->master_b, d->state_b);
    } else {
        put(o, "  = (%.0f + %.0f) x (%g + %g)\n", d->tr_dense, d->tr_experts, d->master_b,
            d->state_b);
    }
    if (w->optimizer == LLM_OPT_ADAFACTOR) {
        put(o, "+ factored second moment: one row and one column vector per matrix\n");
        if (z)
            put(o, "  = (%.0f / %g + %.0f / %g) x %g B\n", d->factored_d, d->zdp, d->factored_e,
                d->zdp_e, w->optim.bytes);
        else
            put(o, "  = %.0f row+col elements x %g B\n", d->factored, w->optim.bytes);
    }
    if (w->offload_optimizer)
        put(o, "offloaded to host memory (ZeRO-Offload): 0 B stay on the GPU\n");
    bytes_line(o, "  = ", est->per_gpu.optimizer, " per GPU");
    cluster_line(o, est, est->cluster.optimizer);
}

/* ---- activations --------------------------------------------------------- */
/* The parts of one forward step without backward (llm_eng_infer_act). */
static void explain_forward_peak(out_buf *o, const llm_eng *e, const llm_model *m,
                                 const char *who)
{
    const llm_workload *w = e->w;
    double B = w->act.bytes, t = e->t, s = e->s, b = e->b;
    double h = (double)m->hidden, a = (double)m->heads, d = (double)llm_model_head_dim(m);
    double k = (double)llm_model_kv_heads(m);
    double kr = k >= t ? k / t : 1.0;
    double hidden = 2.0 * s * b * h * B;
    double attn = s * b * (a * d / t + 2.0 * kr * d) * B;
    double sm = 0.0;
    if (!w->flash) {
        sm = (w->profile == LLM_PROFILE_EAGER &&
              (m->norm == LLM_NORM_RMSNORM || m->ffn_kind == LLM_FFN_GATED))
                 ? 4.0 + B
                 : B;
        attn += b * a / t * s * s * sm;
    }
    double f = (double)m->ffn;
    if (m->experts)
        f = (double)(m->expert_ffn ? m->expert_ffn : m->ffn) *
            (double)(m->active_experts + m->shared_experts);
    double mats = m->ffn_kind == LLM_FFN_GATED ? 3.0 : 2.0;
    double mlp = s * b * f / t * mats * B;
    put(o, "%s: residual stream + the larger transient of one layer\n", who);
    put(o, "  residual = 2.s.b.h.B = 2 x %s x %s x %s x %g = %.0f B\n", nu(o, s), nu(o, b),
        nu(o, h), B, hidden);
    put(o, "  attention = s.b.(a.d/t + 2.k_r.d).B%s\n",
        w->flash ? " (flash: no scores)" : " + b.(a/t).s^2.B_sm (scores)");
    put(o, "    = %s x %s x (%g x %g / %g + 2 x %g x %g) x %g", nu(o, s), nu(o, b), a, d, t, kr,
        d, B);
    if (!w->flash) put(o, " + %s x %g / %g x %s^2 x %g", nu(o, b), a, t, nu(o, s), sm);
    put(o, " = %.0f B\n", attn);
    put(o, "  MLP = s.b.f/t x %g matrices x B\n    = %s x %s x %s / %g x %g x %g = %.0f B\n",
        mats, nu(o, s), nu(o, b), nu(o, f), t, mats, B, mlp);
    put(o, "  peak = %.0f + max(%.0f, %.0f) = %.0f B per stage\n", hidden, attn, mlp,
        hidden + (attn > mlp ? attn : mlp));
}

static void explain_act_table(out_buf *o, const llm_eng *e)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    llm_act_tensor list[LLM_ACT_TENSORS_MAX];
    size_t n = llm_act_tensors(m, w, m->arch == LLM_ARCH_ENCODER_DECODER, list,
                               LLM_ACT_TENSORS_MAX);
    put(o, "tensors one layer saves for backward, per token on one GPU\n");
    put(o, "(%s profile, %s, act %s, dropout %s, flash %s,\n", llm_profile_name(w->profile),
        m->ffn_kind == LLM_FFN_GATED ? "gated MLP" : "2-matrix MLP", w->act.name,
        w->dropout ? "on" : "off", w->flash ? "on" : "off");
    put(o, " recompute %s, t = %u%s); - = recomputed in backward:\n",
        llm_recompute_name(w->recompute), w->tp, w->seq_parallel ? ", sequence parallel" : "");
    put(o, "    %-34s %11s   %-8s %13s\n", "tensor", "elements", "bytes", "per token");
    for (size_t i = 0; i < n; i++) {
        char bytes[24];
        snprintf(bytes, sizeof bytes, "%g B", list[i].bytes);
        put(o, "  %c %-34s %11s x %-8s = %11s B\n", list[i].kept ? '+' : '-', list[i].name,
            nu(o, list[i].elems), bytes, nu(o, list[i].elems * list[i].bytes));
    }
}

static void explain_activations(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                                const llm_estimate *est)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    if (!e->train) {
        put(o, "inference: nothing is saved for backward; the peak is one forward\n"
               "step of one layer at a time, per stage held\n");
        explain_forward_peak(o, e, m, "forward step");
        bytes_line(o, "  transient on this GPU: ", est->act_working, "");
        put(o, "+ next-token logits (last stage), fp32, vocab split over t:\n");
        put(o, "  b x V x 4 B / t = %s x %s x 4 / %u = %.0f B\n", nu(o, e->b), nu(o, e->V), w->tp,
            est->act_output);
        bytes_line(o, "= ", est->per_gpu.activations, " per GPU");
        return;
    }
    explain_act_table(o, e);
    double ch = est->act_c_sbh, ca = est->act_c_score, ct = est->act_c_token;
    double s = e->s, b = e->b, h = e->h, a = e->a;
    put(o, "per layer, per micro-batch (Korthikanti et al.'s form):\n");
    put(o, "  A = s.b.h.(c_h + c_a.a.s/h) + s.b.c_t\n");
    if (w->recompute == LLM_RECOMPUTE_FULL) {
        put(o, "  full recomputation: only the layer input is kept,\n");
        put(o, "  c_h = B%s = %s, c_a = 0, c_t = 0\n", w->seq_parallel ? " / t" : "", nu(o, ch));
    } else {
        put(o, "  c_h = %s (sum of the h-wide rows / h)\n", nu(o, ch));
        if (w->flash)
            put(o, "  c_a = 0: FlashAttention keeps no a.s^2 scores\n");
        else if (w->recompute == LLM_RECOMPUTE_SELECTIVE)
            put(o, "  c_a = 0: selective recomputation drops the attention core\n");
        else
            put(o, "  c_a = %s (score rows / (a.s))\n", nu(o, ca));
        put(o, "  c_t = %s B (per-token rows: statistics, log-sum-exp, router)\n", nu(o, ct));
    }
    put(o, "  A = %s x %s x %s x (%s + %s x %g x %s / %s) + %s x %s x %s\n", nu(o, s),
        nu(o, b), nu(o, h), nu(o, ch), nu(o, ca), a, nu(o, s), nu(o, h), nu(o, s), nu(o, b),
        nu(o, ct));
    put(o, "    = %.0f B (= s.b.h x %s)\n", est->act_bytes_per_layer,
        nu(o, est->act_bytes_per_layer / (s * b * h)));
    /* layer x micro-batch units the stage holds */
    double lay = d->n_dense + d->n_moe + d->n_enc;
    put(o, "stage %u holds U = %s layer x micro-batch units", d->stage, nu(o, d->layer_units));
    if (w->pp > 1) {
        put(o, ":\n  1F1B: p - stage = %g micro-batches x %g layers", e->pp - (double)d->stage,
            lay);
        if (w->vpp > 1)
            put(o, "\n  x (1 + (p-1)/(p.m)) = x %s with m = %u interleaved chunks",
                nu(o, 1.0 + (e->pp - 1.0) / (e->pp * e->vpp)), w->vpp);
        put(o, "\n");
    } else {
        put(o, " (%g layers, one micro-batch)\n", lay);
    }
    if (m->arch == LLM_ARCH_ENCODER_DECODER) {
        double per = lay > 0 ? d->layer_units / lay : 0.0;
        put(o, "  layers = s.b x U/layers x (n_dec x a_dec + n_enc x a_enc),\n"
               "  a = a layer's bytes per token (decoder with cross-attention)\n");
        put(o, "    = %s x %s x %s x (%g x %s + %g x %s)\n", nu(o, s), nu(o, b), nu(o, per),
            d->n_dense + d->n_moe, nu(o, d->dec.stored), d->n_enc, nu(o, d->enc_stored));
        bytes_line(o, "    = ", est->act_layers, "");
    } else {
        put(o, "  layers = U x A = %s x %.0f\n", nu(o, d->layer_units), est->act_bytes_per_layer);
        bytes_line(o, "    = ", est->act_layers, " (Korthikanti's figure)");
    }
    put(o, "+ embedding: token ids (8 B), position ids, dropout mask: %.0f B\n", d->emb_act);
    if (d->const_act > 0)
        put(o, "+ once per GPU (eager): RoPE cos/sin, causal mask: %.0f B\n", d->const_act);
    if (d->out_act > 0)
        put(o, "+ output (last stage): final norm, LM-head input, fp32 logits,\n"
               "  labels%s: %.0f B\n",
            d->teacher_act > 0 ? ", teacher logits" : "", d->out_act);
    else
        put(o, "+ output: 0 B (the LM head is on the last stage)\n");
    if (d->work_act > 0) {
        const char *why = w->recompute == LLM_RECOMPUTE_FULL ? "one layer recomputed in backward"
                          : w->recompute == LLM_RECOMPUTE_SELECTIVE
                              ? "one layer's attention core recomputed"
                              : NULL;
        bool teacher = d->teacher_act > 0;
        put(o, "+ working set: %s%s%s: %.0f B\n", why ? why : "", why && teacher ? " + " : "",
            teacher ? "the teacher's forward peak" : "", d->work_act);
    }
    bytes_line(o, "= ", est->per_gpu.activations, " per GPU");
}

/* ---- KV cache ------------------------------------------------------------ */
static void explain_kv(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                       const llm_estimate *est)
{
    const llm_model *m = e->m;
    const llm_workload *w = e->w;
    double cross = m->arch == LLM_ARCH_ENCODER_DECODER ? 2.0 : 1.0;
    double per_layer;
    if (m->attn == LLM_ATTN_MLA) {
        per_layer = (double)(m->kv_lora_rank + m->qk_rope_dim) * w->kv.bytes;
        put(o, "KV per token per layer (MLA latent + rope key)\n"
               "  = (kv_lora_rank + qk_rope_dim) x B = (%llu + %llu) x %g = %.0f B\n",
            ULL(m->kv_lora_rank), ULL(m->qk_rope_dim), w->kv.bytes, per_layer);
    } else {
        per_layer = 2.0 * e->k * e->d * w->kv.bytes;
        put(o, "KV per token per layer = 2 x kv_heads x head_dim x B\n"
               "  = 2 x %g x %g x %g = %.0f B (%s)\n",
            e->k, e->d, w->kv.bytes, per_layer, w->kv.name);
    }
    put(o, "KV per token, whole model = L x %.0f%s = %g x %.0f%s = %.0f B\n", per_layer,
        cross > 1 ? " x 2 (cross-attention)" : "", e->L, per_layer, cross > 1 ? " x 2" : "",
        est->kv_bytes_per_token);
    if (w->mode != LLM_MODE_INFER) {
        put(o, "training keeps no KV cache\n");
        bytes_line(o, "= ", est->per_gpu.kv_cache, " per GPU");
        return;
    }
    if (m->attn == LLM_ATTN_MLA)
        put(o, "per GPU and layer: %.10g B per token (the latent is shared by all\n"
               "heads: every tensor-parallel rank keeps all of it)\n",
            d->kv_layer_token);
    else if (e->k < e->t)
        put(o, "per GPU and layer: %.10g B per token (%g kv heads < t = %u: one\n"
               "replicated head per GPU)\n",
            d->kv_layer_token, e->k, w->tp);
    else
        put(o, "per GPU and layer: %.0f / t = %.0f / %u = %.10g B per token\n", per_layer,
            per_layer, w->tp, d->kv_layer_token);
    put(o, "KV per GPU = b x per-GPU-layer x (global layers x S + window layers x S_w)%s\n",
        d->kv_cross > 1 ? " x 2" : "");
    put(o, "  S = seq %s", nu(o, e->s));
    if (w->kv_block > 1)
        put(o, " rounded up to %u-token blocks = %s", w->kv_block, nu(o, d->kv_S));
    if (d->kv_window > 0) put(o, ", S_w = min(window, S) = %s", nu(o, d->kv_Sw));
    put(o, "\n");
    put(o, "  = %s x %s x (%g x %s + %g x %s)%s\n", nu(o, e->b), nu(o, d->kv_layer_token),
        d->kv_global, nu(o, d->kv_S), d->kv_window, nu(o, d->kv_Sw),
        d->kv_cross > 1 ? " x 2" : "");
    bytes_line(o, "  = ", est->per_gpu.kv_cache, " per GPU");
    cluster_line(o, est, est->cluster.kv_cache);
}

size_t llm_explain(const llm_model *m, const llm_workload *w, const llm_gpu *gpu, llm_figure f,
                   char *buf, size_t cap)
{
    out_buf o;
    o.buf = buf;
    o.cap = buf ? cap : 0;
    o.len = 0;
    o.ll = 0;
    o.ni = 0;
    if (buf && cap) buf[0] = '\0';
    llm_estimate est;
    llm_error err;
    if (llm_estimate_run(m, w, gpu, &est, &err) != LLM_OK) {
        put(&o, "cannot explain %s: %s\n", llm_figure_name(f), err.message);
        if (o.ll) flush_line(&o);
        return o.len;
    }
    llm_eng e;
    llm_eng_init(&e, m, w, &est.params);
    llm_mem_detail d;
    llm_eng_stage_detail(&e, est.stage, &d);
    put(&o, "%s\n", llm_figure_name(f));
    switch (f) {
    case LLM_FIG_PARAMS_TOTAL:
        explain_params(&o, &est.params);
        break;
    case LLM_FIG_MEM_WEIGHTS:
        explain_weights(&o, &e, &d, &est);
        break;
    case LLM_FIG_MEM_GRADIENTS:
        explain_states(&o, &e, &d, &est, true);
        break;
    case LLM_FIG_MEM_OPTIMIZER:
        explain_states(&o, &e, &d, &est, false);
        break;
    case LLM_FIG_MEM_ACTIVATIONS:
        explain_activations(&o, &e, &d, &est);
        break;
    case LLM_FIG_MEM_KV:
        explain_kv(&o, &e, &d, &est);
        break;
    case LLM_FIG_MEM_OVERHEAD: {
        double rest = est.per_gpu.total - est.per_gpu.overhead;
        put(&o, "overhead = CUDA context/framework + fragmentation x (the rest)\n");
        put(&o, "  the rest = weights + gradients + optimizer + activations + KV\n");
        put(&o, "  = %.0f + %g x %.0f\n", w->overhead_bytes, w->fragmentation, rest);
        bytes_line(&o, "  = ", est.per_gpu.overhead, " per GPU");
        cluster_line(&o, &est, est.cluster.overhead);
        break;
    }
    case LLM_FIG_MEM_TOTAL:
        put(&o, "total per GPU (stage %u) = weights + gradients + optimizer\n"
                "                          + activations + KV + overhead\n",
            est.stage);
        put(&o, "  = %.0f + %.0f + %.0f + %.0f + %.0f + %.0f\n", est.per_gpu.weights,
            est.per_gpu.gradients, est.per_gpu.optimizer, est.per_gpu.activations,
            est.per_gpu.kv_cache, est.per_gpu.overhead);
        bytes_line(&o, "  = ", est.per_gpu.total, " per GPU");
        if (est.per_gpu.host > 0)
            bytes_line(&o, "  (offloaded to host memory: ", est.per_gpu.host, ")");
        put(&o, "GPUs = tp x pp x dp = %u x %u x %u = %llu\n", w->tp, w->pp, w->dp,
            ULL(est.gpus));
        cluster_line(&o, &est, est.cluster.total);
        if (gpu && gpu->memory_bytes > 0)
            put(&o, "%s: %.0f B = %.4f GiB capacity\n  -> %s (%.1f%% used)\n", gpu->id,
                gpu->memory_bytes, gpu->memory_bytes / GIB,
                est.per_gpu.total <= gpu->memory_bytes ? "fits" : "does not fit",
                100.0 * est.per_gpu.total / gpu->memory_bytes);
        break;
    case LLM_FIG_FLOPS_PER_TOKEN:
        put(&o, "forward FLOPs per token = 2 N + 2 n_layer n_ctx d_attn\n"
                "  (Kaplan et al. 2020, Table 1; N = active non-embedding parameters,\n"
                "  n_ctx = seq, d_attn = a x d)\n");
        put(&o, "  = 2 x %llu + 2 x %g x %s x (%g x %g)\n", ULL(est.params.active_non_embedding),
            e.Lall, nu(&o, e.s), e.a, e.d);
        put(&o, "  = %.0f FLOPs per token\n", est.flops_per_token);
        break;
    case LLM_FIG_TRAIN_TIME: {
        double N = (double)est.params.active_non_embedding, D = est.train_tokens;
        double F = est.flops_per_token, attn = F - 2.0 * N;
        bool lora = is_lora(w);
        const char *k = lora ? "2" : "3";
        put(&o, "training FLOPs C = %s D F", k);
        if (w->recompute == LLM_RECOMPUTE_FULL) put(&o, " + D F");
        if (w->recompute == LLM_RECOMPUTE_SELECTIVE) put(&o, " + 2 n_layer s d_attn D");
        if (w->mode == LLM_MODE_DISTILL) put(&o, " + D F_teacher");
        put(&o, "\n");
        put(&o, "  F = 2 N + 2 n_layer n_ctx d_attn: forward FLOPs per token\n"
                "  (Kaplan et al. 2020, Table 1; n_ctx = seq)\n");
        if (lora)
            put(&o, "  LoRA: forward + input gradients = 2 forwards (no base weight gradients)\n");
        else
            put(&o, "  forward + backward = 3 forwards: 3 D F = 6 N D + 6 n_layer s d_attn D\n");
        if (w->recompute == LLM_RECOMPUTE_FULL) put(&o, "  full recomputation: one more forward\n");
        if (w->recompute == LLM_RECOMPUTE_SELECTIVE)
            put(&o, "  selective recomputation: the attention core again\n");
        if (w->mode == LLM_MODE_DISTILL) put(&o, "  distillation: the teacher's forward\n");
        put(&o, "  N = %llu (active non-embedding)\n", ULL(est.params.active_non_embedding));
        put(&o, "  F = 2 x %s + 2 x %g x %s x %s = %.0f\n", nu(&o, N), e.Lall, nu(&o, e.s),
            nu(&o, e.a * e.d), F);
        put(&o, "  D = %s tokens%s\n", nu(&o, D),
            est.train_tokens_basis == LLM_TOKENS_CHINCHILLA
                ? " (tokens = 0: 20 per parameter, Chinchilla)"
            : est.train_tokens_basis == LLM_TOKENS_PER_BILLION
                ? " (tokens = 0 when fine-tuning: time per 1B tokens)"
                : "");
        put(&o, "  C = %s x %s x %.0f", k, nu(&o, D), F);
        if (w->recompute == LLM_RECOMPUTE_FULL) put(&o, " + %s x %.0f", nu(&o, D), F);
        if (w->recompute == LLM_RECOMPUTE_SELECTIVE) put(&o, " + %.0f x %s", attn, nu(&o, D));
        if (w->mode == LLM_MODE_DISTILL && w->has_teacher) {
            double base = (lora ? 2.0 : 3.0) * F * D;
            if (w->recompute == LLM_RECOMPUTE_FULL) base += F * D;
            if (w->recompute == LLM_RECOMPUTE_SELECTIVE) base += attn * D;
            put(&o, " + %s x %.0f", nu(&o, D), (est.train_flops - base) / D);
        }
        put(&o, "\n    = %.6g FLOPs\n", est.train_flops);
        if (est.peak_flops > 0) {
            double G = (double)est.gpus;
            put(&o, "time = C / (GPUs x peak x MFU), GPUs = tp x pp x dp = %llu\n", ULL(est.gpus));
            put(&o, "  = %.6g / (%g x %.6g x %g)\n", est.train_flops, G, est.peak_flops, w->mfu);
            put(&o, "  = %.6g s = %.3g days\n", est.train_seconds, est.train_seconds / 86400.0);
        } else if (gpu) {
            put(&o, "time: unknown (%s publishes no peak FLOP/s for %s)\n", gpu->id, w->act.name);
        } else {
            put(&o, "time: needs a GPU with a peak FLOP/s\n");
        }
        break;
    }
    case LLM_FIG_PREFILL:
    case LLM_FIG_DECODE: {
        if (!gpu) {
            put(&o, "needs a GPU with peak FLOP/s and bandwidth\n");
            break;
        }
        double wd, we, kv;
        llm_eng_replica_bytes(&e, &wd, &we, &kv);
        double N = (double)est.params.active_non_embedding, F = est.flops_per_token;
        bool pk = est.peak_flops > 0, bk = gpu->bandwidth > 0;
        put(&o, "one replica: pp = %u stage%s run in turn, t = %u GPUs each; N = %.0f\n", w->pp,
            w->pp > 1 ? "s" : "", w->tp, N);
        put(&o, "F = 2 N + 2 n_layer n_ctx d_attn (Kaplan et al. 2020, Table 1; n_ctx = seq)\n"
                "  = 2 x %.0f + 2 x %g x %s x %s = %.0f FLOPs per token\n",
            N, e.Lall, nu(&o, e.s), nu(&o, e.a * e.d), F);
        if (pk)
            put(&o, "peak = %.6g FLOP/s (%s), MFU = %g", est.peak_flops, w->act.name, w->mfu);
        else
            put(&o, "peak = unknown (%s publishes none for %s)", gpu->id, w->act.name);
        if (bk) put(&o, ", bandwidth = %.6g B/s\n", gpu->bandwidth);
        else put(&o, ", bandwidth = unknown\n");
        if (f == LLM_FIG_PREFILL) {
            put(&o, "prefill time = max(compute, memory)\n"
                    "  compute = s b F / t / (peak x MFU)\n");
            if (pk)
                put(&o, "          = %s x %s x %.0f / %u / (%.6g x %g) = %.6g s\n", nu(&o, e.s),
                    nu(&o, e.b), F, w->tp, est.peak_flops, w->mfu,
                    F * e.s * e.b / e.t / (est.peak_flops * w->mfu));
            else
                put(&o, "          = unknown (no peak FLOP/s)\n");
            put(&o, "  memory = weight bytes per GPU (all stages) / bandwidth\n");
            if (bk)
                put(&o, "         = %.0f / %.6g = %.6g s\n", wd + we, gpu->bandwidth,
                    (wd + we) / gpu->bandwidth);
            else
                put(&o, "         = unknown (no bandwidth)\n");
            if (est.prefill_bound == LLM_BOUND_UNKNOWN) {
                put(&o, "  = unknown: the compute side decides prefill (intensity %.6g FLOP/B)\n"
                        "  and is not published; at least %.6g s\n",
                    est.prefill_intensity, est.prefill_memory_seconds);
            } else {
                put(&o, "  = %.6g s, %s; intensity %.6g FLOP/B\n", est.prefill_seconds,
                    bound_name(est.prefill_bound), est.prefill_intensity);
                put(&o, "throughput = s b / time = %s x %s / %.6g = %.6g tokens/s\n",
                    nu(&o, e.s), nu(&o, e.b), est.prefill_seconds, est.prefill_tokens_per_s);
            }
        } else {
            double frac = 1.0;
            if (m->experts) {
                frac = e.b * (double)m->active_experts / (double)m->experts;
                if (frac > 1.0) frac = 1.0;
            }
            put(&o, "decode step = max(compute, memory)\n"
                    "  compute = b F / t / (peak x MFU)\n");
            if (pk)
                put(&o, "          = %s x %.0f / %u / (%.6g x %g) = %.6g s\n", nu(&o, e.b), F,
                    w->tp, est.peak_flops, w->mfu, F * e.b / e.t / (est.peak_flops * w->mfu));
            else
                put(&o, "          = unknown (no peak FLOP/s): decode reads ~%.3g FLOP/B,\n"
                        "            memory-bound on GPUs with published peaks\n",
                    est.decode_intensity);
            if (m->experts)
                put(&o, "  memory = (weights + experts x min(1, b.e/E) + KV of b sequences)\n"
                        "           per GPU / bandwidth\n"
                        "         = (%.0f + %.0f x %.10g + %.0f) / %.6g\n",
                    wd, we, frac, kv, gpu->bandwidth);
            else
                put(&o, "  memory = (weights + KV of b sequences) per GPU / bandwidth\n"
                        "         = (%.0f + %.0f) / %.6g\n",
                    wd + we, kv, gpu->bandwidth);
            if (bk) put(&o, "         = %.6g s\n", (wd + we * frac + kv) / gpu->bandwidth);
            else put(&o, "         = unknown (no bandwidth)\n");
            if (est.decode_bound == LLM_BOUND_UNKNOWN) {
                put(&o, "  = unknown\n");
                break;
            }
            put(&o, "  = %.6g s, %s%s; intensity %.6g FLOP/B\n", est.decode_step_seconds,
                bound_name(est.decode_bound), pk ? "" : " (peak unknown)",
                est.decode_intensity);
            put(&o, "throughput = b / step = %s / %.6g = %.6g tokens/s\n", nu(&o, e.b),
                est.decode_step_seconds, est.decode_tokens_per_s);
            if (est.prefill_bound == LLM_BOUND_UNKNOWN)
                put(&o, "prefill + %llu tokens: unknown (prefill unknown)\n",
                    ULL(w->gen_tokens));
            else
                put(&o, "prefill + %llu tokens = %.6g + %llu x %.6g = %.6g s\n",
                    ULL(w->gen_tokens), est.prefill_seconds, ULL(w->gen_tokens),
                    est.decode_step_seconds, est.generate_seconds);
        }
        break;
    }
    case LLM_FIG_SCALING: {
        double N = (double)est.params.non_embedding;
        double Nt = (double)est.params.total;
        /* pre-training laws: a fine-tuning run's default 1B tokens means
         * nothing here, so D is then the Chinchilla budget */
        double D = est.train_tokens_basis == LLM_TOKENS_PER_BILLION ? llm_chinchilla_tokens(Nt)
                                                                     : est.train_tokens;
        put(&o, "Kaplan et al. 2020 (N non-embedding, D tokens):\n");
        put(&o, "  L(N) = (8.8e13 / N)^0.076 = (8.8e13 / %s)^0.076 = %.4f nats\n", nu(&o, N),
            llm_kaplan_loss_n(N));
        put(&o, "  L(D) = (5.4e13 / D)^0.095 = (5.4e13 / %s)^0.095 = %.4f nats\n", nu(&o, D),
            llm_kaplan_loss_d(D));
        put(&o, "Chinchilla (Hoffmann et al. 2022, N = %.0f total parameters):\n", Nt);
        put(&o, "  L(N, D) = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28\n");
        put(&o, "          = 1.69 + 406.4 / %s^0.34 + 410.7 / %s^0.28\n", nu(&o, Nt), nu(&o, D));
        put(&o, "          = %.4f nats\n", llm_chinchilla_loss(Nt, D));
        put(&o, "  compute-optimal tokens = 20 x N = 20 x %.0f = %.6g\n", Nt,
            llm_chinchilla_tokens(Nt));
        put(&o, "improve by 10%% with performance ~ N^alpha, alpha = %g (default;\n"
                "  not Kaplan's loss exponent alpha_N = %g):\n",
            LLM_IMPROVEMENT_ALPHA_DEFAULT, LLM_KAPLAN_ALPHA_N);
        put(&o, "  (1 + 0.1)^(1/%g) = %.3f x parameters\n", LLM_IMPROVEMENT_ALPHA_DEFAULT,
            llm_improvement_factor(0.1, LLM_IMPROVEMENT_ALPHA_DEFAULT));
        break;
    }
    case LLM_FIG_COUNT:
    default:
        put(&o, "unknown figure\n");
        break;
    }
    if (o.ll) flush_line(&o);
    return o.len;
}
