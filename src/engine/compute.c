/* Compute: FLOPs, training time, prefill/decode roofline bounds
 * (docs/formulas.md §6). */
#include "engine/engine.h"

static bool is_fp8(const llm_dtype *d)
{
    return d->is_float && d->bytes == 1.0;
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

void llm_eng_compute(const llm_eng *e, const llm_gpu *gpu, const llm_replica *rep,
                     llm_estimate *out)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    double N = (double)e->p->active_non_embedding;
    double attn = 2.0 * e->Lall * e->s * e->a * e->d; /* Kaplan: 2 n_layer n_ctx d_attn */
    out->flops_per_token = 2.0 * N + attn;

    double D = w->tokens ? (double)w->tokens : 20.0 * (double)e->p->total;
    out->train_tokens = D;
    double flops = 0.0;
    switch (w->mode) {
    case LLM_MODE_PRETRAIN:
    case LLM_MODE_FINETUNE:
    case LLM_MODE_DISTILL:
        flops = 6.0 * N * D;
        break;
    case LLM_MODE_LORA:
    case LLM_MODE_QLORA:
        /* frozen base: forward + input gradients, no weight gradients */
        flops = 4.0 * N * D;
        break;
    case LLM_MODE_INFER:
    default:
        flops = 0.0;
        break;
    }
    if (w->mode != LLM_MODE_INFER) {
        if (w->recompute == LLM_RECOMPUTE_FULL) flops += 2.0 * N * D; /* one more forward */
        else if (w->recompute == LLM_RECOMPUTE_SELECTIVE) flops += attn * D; /* attention core */
        if (e->teacher_ok)
            flops += 2.0 * (double)e->tparams.active_non_embedding * D; /* teacher forward */
    }
    out->train_flops = flops;

    double peak = llm_eng_peak_flops(w, gpu);
    out->peak_flops = peak;
    if (!gpu || peak <= 0.0 || gpu->bandwidth <= 0.0) {
        out->prefill_bound = out->decode_bound = LLM_BOUND_NONE;
        return;
    }
    double G = w->gpus ? (double)w->gpus : e->gpus;
    out->train_seconds = flops / (G * peak * w->mfu);

    /* One model replica: t GPUs work on each stage, the p stages in turn. */
    double wd = rep->weights_dense, we = rep->weights_experts, kv = rep->kv;
    double bw = gpu->bandwidth, rate = peak * w->mfu;

    /* Prefill: s.b tokens through the weights once. */
    double pf = 2.0 * N * e->s * e->b / e->t;
    double pw = wd + we;
    double pc_t = pf / rate, pm_t = pw / bw;
    out->prefill_seconds = pc_t > pm_t ? pc_t : pm_t;
    out->prefill_bound = pc_t >= pm_t ? LLM_BOUND_COMPUTE : LLM_BOUND_MEMORY;
    out->prefill_tokens_per_s = e->s * e->b / out->prefill_seconds;
    out->prefill_intensity = pf / pw;

    /* Decode: b tokens; reads every weight (routed experts: at most the b.e
     * selected ones) plus the whole KV cache at full context. */
    double frac = 1.0;
    if (m->experts) {
        frac = e->b * (double)m->active_experts / (double)m->experts;
        if (frac > 1.0) frac = 1.0;
    }
    double df = 2.0 * N * e->b / e->t;
    double db = wd + we * frac + kv;
    double dc_t = df / rate, dm_t = db / bw;
    out->decode_step_seconds = dc_t > dm_t ? dc_t : dm_t;
    out->decode_bound = dc_t >= dm_t ? LLM_BOUND_COMPUTE : LLM_BOUND_MEMORY;
    out->decode_tokens_per_s = e->b / out->decode_step_seconds;
    out->decode_intensity = df / db;
    out->generate_seconds = out->prefill_seconds + (double)w->gen_tokens * out->decode_step_seconds;
}
