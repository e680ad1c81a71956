/* Compute: FLOPs, training time, prefill/decode roofline bounds
 * (docs/formulas.md §6). */
#include "engine/checked.h"
#include "engine/engine.h"

static bool is_fp8(const llm_dtype *d)
{
    return d->bytes == 1.0 && d->is_float; /* the cheap test first: bf16 fails it */
}

/* Peak dense FLOP/s of one GPU for the workload's precision: the fp8 peak
 * when the weights or activations are fp8 (and the GPU has one), the fp32
 * peak for 4-byte activations, else the 16-bit tensor peak. */
double llm_eng_peak_flops(const llm_workload *w, const llm_gpu *gpu)
{
    if (!gpu) return 0.0;
    if ((is_fp8(&w->act) || is_fp8(&w->weights)) && gpu->flops_8 > 0) return gpu->flops_8;
    if (w->act.bytes >= 4.0 && gpu->flops_32 > 0) return gpu->flops_32;
    if (gpu->flops_16 > 0) return gpu->flops_16;
    return gpu->flops_32;
}

/* Modes as bits, for one-test membership checks on the hot path. */
#define MODE_BIT(m) (1u << (unsigned)(m))
#define FULL_TRAIN_MODES \
    (MODE_BIT(LLM_MODE_PRETRAIN) | MODE_BIT(LLM_MODE_FINETUNE) | MODE_BIT(LLM_MODE_DISTILL))
#define FINETUNE_MODES \
    (MODE_BIT(LLM_MODE_FINETUNE) | MODE_BIT(LLM_MODE_LORA) | MODE_BIT(LLM_MODE_QLORA) | \
     MODE_BIT(LLM_MODE_DISTILL))

/* Training FLOPs in forwards of F per token, by mode (the mode is validated):
 * forward + backward = 3 forwards (backward = 2 x forward, Kaplan et al.);
 * LoRA/QLoRA: forward + input gradients, no weight gradients of the frozen
 * base = 2; inference 0. */
static const double forwards_per_token[] = {
    [LLM_MODE_PRETRAIN] = 3.0, [LLM_MODE_FINETUNE] = 3.0, [LLM_MODE_LORA] = 2.0,
    [LLM_MODE_QLORA] = 2.0,    [LLM_MODE_DISTILL] = 3.0,  [LLM_MODE_INFER] = 0.0,
};

/* The teacher's forward FLOPs per token at the student's context s. */
static double teacher_forward(const llm_eng *e)
{
    const llm_model *tm = &e->w->teacher;
    double td = (double)eng_head_dim(tm->head_dim, tm->hidden, tm->heads);
    double tl = (double)tm->layers +
                (tm->arch == LLM_ARCH_ENCODER_DECODER ? (double)tm->encoder_layers : 0.0);
    return 2.0 * (double)e->tparams.active_non_embedding + 2.0 * tl * e->s * (double)tm->heads * td;
}

/* Bytes one decode step reads per GPU of a replica: every weight (routed
 * experts: at most the share b.e/E a batch selects) and the whole KV cache
 * at full context. */
static double decode_bytes(const llm_eng *e, const llm_replica *rep)
{
    const llm_model *m = e->m;
    double frac = 1.0;
    if (m->experts) {
        frac = e->b * (double)m->active_experts / (double)m->experts;
        if (frac > 1.0) frac = 1.0;
    }
    return rep->weights_dense + rep->weights_experts * frac + rep->kv;
}

/* No GPU, or a GPU without a published peak FLOP/s or bandwidth (kept off
 * the common path).  Prefill of a prompt is compute-heavy (intensity ~ s
 * FLOP/B): its bandwidth side alone says little, so without a peak it is
 * unknown (prefill_memory_seconds keeps the lower bound).  A decode step
 * reads every weight for ~2 FLOPs per weight per token, memory-bound on
 * every GPU at small batches: without a peak, its bandwidth bound is the
 * figure (named memory-bound, with LLM_WARN_PEAK_UNKNOWN).  Without a
 * bandwidth the compute side decides prefill and decode is unknown. */
__attribute__((cold, noinline)) static void unknown_side(const llm_eng *e, const llm_gpu *gpu,
                                                         const llm_replica *rep, double flops,
                                                         unsigned warn, llm_estimate *out)
{
    const llm_workload *w = e->w;
    out->train_seconds = out->prefill_seconds = out->prefill_tokens_per_s = 0.0;
    out->decode_tokens_per_s = out->decode_intensity = out->prefill_intensity = 0.0;
    out->decode_step_seconds = out->generate_seconds = 0.0;
    out->prefill_memory_seconds = out->decode_memory_seconds = 0.0;
    if (!gpu) {
        out->warnings = warn;
        out->prefill_bound = out->decode_bound = LLM_BOUND_NONE;
        return;
    }
    double peak = out->peak_flops, bw = gpu->bandwidth;
    bool pk = peak > 0.0, bk = bw > 0.0;
    if (!pk) warn |= LLM_WARN_PEAK_UNKNOWN;
    if (!bk) warn |= LLM_WARN_BANDWIDTH_UNKNOWN;
    out->warnings = warn;
    double F = out->flops_per_token;
    double pf = F * e->s * e->b / e->t, pw = rep->weights_dense + rep->weights_experts;
    double df = F * e->b / e->t, db = decode_bytes(e, rep);
    out->prefill_intensity = pf / pw;
    out->decode_intensity = df / db;
    out->prefill_bound = out->decode_bound = LLM_BOUND_UNKNOWN;
    if (pk) {
        double rate = peak * w->mfu;
        out->train_seconds = flops / (e->gpus * rate);
        out->prefill_seconds = pf / rate;
        out->prefill_bound = LLM_BOUND_COMPUTE;
        out->prefill_tokens_per_s = e->s * e->b / out->prefill_seconds;
    }
    if (bk) {
        out->prefill_memory_seconds = pw / bw;
        out->decode_memory_seconds = db / bw;
        out->decode_step_seconds = out->decode_memory_seconds;
        out->decode_bound = LLM_BOUND_MEMORY;
        out->decode_tokens_per_s = e->b / out->decode_step_seconds;
    }
}

void llm_eng_compute(const llm_eng *e, const llm_gpu *gpu, const llm_replica *rep,
                     llm_estimate *out)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    unsigned mode = MODE_BIT(w->mode);
    double N = (double)e->p->active_non_embedding;
    double attn = 2.0 * e->Lall * e->s * e->a * e->d; /* Kaplan: 2 n_layer n_ctx d_attn */
    /* Kaplan et al. 2020, Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn per
     * token, n_ctx = seq (the full context, not the causal average s/2).
     * Every compute figure below uses this one number. */
    double F = 2.0 * N + attn;
    out->flops_per_token = F;

    /* Token budget D: workload.tokens, else 20 per parameter for
     * pre-training (Chinchilla) and 10^9 for the fine-tuning modes, where a
     * compute-optimal budget means nothing (the time reads "per 1B tokens"). */
    double D;
    if (w->tokens) {
        D = (double)w->tokens;
        out->train_tokens_basis = LLM_TOKENS_GIVEN;
    } else if (mode & FINETUNE_MODES) {
        D = LLM_FINETUNE_TOKENS_DEFAULT;
        out->train_tokens_basis = LLM_TOKENS_PER_BILLION;
    } else {
        D = 20.0 * (double)e->p->total;
        out->train_tokens_basis = LLM_TOKENS_CHINCHILLA;
    }
    out->train_tokens = D;
    /* 3 D F = 6ND + 3 attn D for full training (6ND the N-only part) */
    double flops = forwards_per_token[w->mode] * F * D;
    if (w->mode != LLM_MODE_INFER) {
        if (w->recompute == LLM_RECOMPUTE_FULL) flops += F * D; /* one more forward */
        else if (w->recompute == LLM_RECOMPUTE_SELECTIVE) flops += attn * D; /* attention core */
        if (e->teacher_ok) flops += teacher_forward(e) * D;
    }
    out->train_flops = flops;

    /* Warnings.  The cluster's device + host bytes bound every byte figure;
     * !(x <= 2^53) also catches NaN and infinities.  seq >= 1 (validated), so
     * seq - 1 > max_seq - 1 is seq > max_seq with max_seq = 0 (unknown) never
     * true. */
    unsigned warn = 0;
    /* seq is the context the KV cache holds (generated tokens included), so
     * the warning looks at seq alone, as the memory figures do. */
    if (w->seq - 1 > m->max_seq - 1) warn |= LLM_WARN_SEQ_ABOVE_CONTEXT;
    if ((mode & FULL_TRAIN_MODES) && w->weights.bytes < 1.0) warn |= LLM_WARN_NF4_TRAINING;
    if (!(out->cluster.total + out->cluster.host <= 9007199254740992.0))
        warn |= LLM_WARN_SATURATED;

    double peak = llm_eng_peak_flops(w, gpu);
    out->peak_flops = peak;
    if (!gpu || !(peak > 0.0) || !(gpu->bandwidth > 0.0)) {
        unknown_side(e, gpu, rep, flops, warn, out);
        return;
    }
    out->warnings = warn;
    double rate = peak * w->mfu, bw = gpu->bandwidth;
    /* GPUs: workload.gpus is 0 or equal to tp x pp x dp (validated) */
    out->train_seconds = flops / (e->gpus * rate);

    /* One model replica: t GPUs work on each stage, the p stages in turn.
     * Prefill: s.b tokens at F each, through the weights once. */
    double wd = rep->weights_dense, we = rep->weights_experts;
    double pf = F * e->s * e->b / e->t;
    double pw = wd + we;
    out->prefill_intensity = pf / pw;
    double pc_t = pf / rate, pm_t = pw / bw;
    out->prefill_memory_seconds = pm_t;
    out->prefill_seconds = pc_t > pm_t ? pc_t : pm_t;
    out->prefill_bound = pc_t >= pm_t ? LLM_BOUND_COMPUTE : LLM_BOUND_MEMORY;
    out->prefill_tokens_per_s = e->s * e->b / out->prefill_seconds;

    /* Decode: b tokens at F each (attention over the whole context s); reads
     * every weight (routed experts: at most the b.e selected ones) plus the
     * whole KV cache at full context. */
    double df = F * e->b / e->t;
    double db = decode_bytes(e, rep);
    out->decode_intensity = df / db;
    double dc_t = df / rate, dm_t = db / bw;
    out->decode_memory_seconds = dm_t;
    out->decode_step_seconds = dc_t > dm_t ? dc_t : dm_t;
    out->decode_bound = dc_t >= dm_t ? LLM_BOUND_COMPUTE : LLM_BOUND_MEMORY;
    out->decode_tokens_per_s = e->b / out->decode_step_seconds;
    out->generate_seconds = out->prefill_seconds + (double)w->gen_tokens * out->decode_step_seconds;
}
