/* Explain traces: for a figure, the formula, the values put in and the result.
 * Built only on request (never in the estimate hot path). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

typedef struct out_buf {
    char *buf;
    size_t cap, len; /* len: what was wanted so far */
} out_buf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(out_buf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = o->len < o->cap ? o->buf + o->len : NULL;
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
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
    return b == LLM_BOUND_COMPUTE ? "compute-bound" : b == LLM_BOUND_MEMORY ? "memory-bound"
                                                                           : "no bound (no GPU)";
}

static void gib(out_buf *o, const char *label, double bytes)
{
    put(o, "  %-34s %.0f B = %.4f GiB\n", label, bytes, bytes / 1073741824.0);
}

static void explain_params(out_buf *o, const llm_params *p)
{
    put(o, "parameters = embedding + positions + attention + mlp + experts + router + norms + lm_head\n");
    put(o, "  = %llu + %llu + %llu + %llu + %llu + %llu + %llu + %llu\n",
        (unsigned long long)p->embedding, (unsigned long long)p->positions,
        (unsigned long long)p->attention, (unsigned long long)p->mlp,
        (unsigned long long)p->experts, (unsigned long long)p->router,
        (unsigned long long)p->norms, (unsigned long long)p->lm_head);
    put(o, "  = %llu (active per token %llu; non-embedding N = %llu, active N = %llu)\n",
        (unsigned long long)p->total, (unsigned long long)p->active,
        (unsigned long long)p->non_embedding, (unsigned long long)p->active_non_embedding);
}

static void explain_weights(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                            const llm_estimate *est)
{
    const llm_workload *w = e->w;
    put(o, "weights per GPU (pipeline stage %u of %u) =\n", d->stage, w->pp);
    put(o, "    linear/t x b_lin + experts/(ep x etp) x b_lin + (norms+router) x b_16 + "
           "(embedding+head)/t x b_16 + positions x b_16\n");
    put(o, "  linear = %.0f, experts = %.0f, norms+router = %.0f, embedding+head = %.0f, "
           "positions = %.0f parameters on this stage\n",
        d->lin, d->experts, d->repl, d->emb, d->pos);
    put(o, "  t = %u, ep = %u, etp = %g, weights dtype %s = %g B", w->tp, w->ep, e->etp,
        w->weights.name, w->weights.bytes);
    if (w->sparse_storage != LLM_SPARSE_DENSE || w->sparsity > 0)
        put(o, ", pruned %s storage at sparsity %g -> b_lin = %g B",
            llm_sparse_storage_name(w->sparse_storage), w->sparsity, d->lw);
    else
        put(o, " -> b_lin = %g B", d->lw);
    put(o, ", b_16 = %g B%s\n", d->w16,
        d->w16 != w->weights.bytes ? " (quantised: embeddings/head/norms kept in 16 bit)" : "");
    if (e->train && w->zero >= 3)
        put(o, "  ZeRO-3: divided over dp = %g (experts over their %g data-parallel replicas)\n",
            d->zdp, d->zdp_e);
    if (w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA)
        put(o, "  + LoRA adapters in fp32: 4 B x %.0f (rank %u: r x (d_in + d_out) per target)\n",
            d->tr_dense + d->tr_experts, w->lora_rank);
    if (d->teacher_weights > 0)
        put(o, "  + teacher weights (%s): %.0f B\n", w->teacher_weights.name, d->teacher_weights);
    if (w->offload_params) put(o, "  parameters offloaded to CPU: %.0f B on the host\n", est->per_gpu.host);
    gib(o, "= weights per GPU", est->per_gpu.weights);
    gib(o, "cluster (all GPUs)", est->cluster.weights);
}

static void explain_states(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                           const llm_estimate *est, bool grads)
{
    const llm_workload *w = e->w;
    if (!e->train) {
        put(o, "%s: none in inference\n", grads ? "gradients" : "optimizer states");
        return;
    }
    bool lora = w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA;
    put(o, "trainable elements per GPU: %.0f dense + %.0f expert%s\n", d->tr_dense, d->tr_experts,
        lora ? " (LoRA adapters only; the base is frozen)" : "");
    if (grads) {
        put(o, "gradients = trainable x %g B%s\n", d->grad_b,
            w->zero >= 2 ? " / dp (ZeRO-2/3; experts / edp)" : "");
        if (w->zero >= 2)
            put(o, "  = (%.0f / %g + %.0f / %g) x %g\n", d->tr_dense, d->zdp, d->tr_experts, d->zdp_e,
                d->grad_b);
        else
            put(o, "  = (%.0f + %.0f) x %g\n", d->tr_dense, d->tr_experts, d->grad_b);
        gib(o, "= gradients per GPU", est->per_gpu.gradients);
        gib(o, "cluster", est->cluster.gradients);
        return;
    }
    put(o, "optimizer = trainable x (master %g B + states %g B)%s (%s, states in %s)\n",
        d->master_b, d->state_b, w->zero >= 1 ? " / dp (ZeRO-1+)" : "",
        llm_optimizer_name(w->optimizer), w->optim.name);
    if (w->zero >= 1)
        put(o, "  = (%.0f / %g + %.0f / %g) x (%g + %g)\n", d->tr_dense, d->zdp, d->tr_experts,
            d->zdp_e, d->master_b, d->state_b);
    else
        put(o, "  = (%.0f + %.0f) x (%g + %g)\n", d->tr_dense, d->tr_experts, d->master_b, d->state_b);
    if (w->optimizer == LLM_OPT_ADAFACTOR)
        put(o, "  + Adafactor factored second moment: %.0f row+col elements x %g B\n", d->factored,
            w->optim.bytes);
    if (w->offload_optimizer)
        put(o, "  offloaded to CPU: %.0f B on the host, 0 on the GPU\n", est->per_gpu.host);
    gib(o, "= optimizer per GPU", est->per_gpu.optimizer);
    gib(o, "cluster", est->cluster.optimizer);
}

static void explain_activations(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                                const llm_estimate *est)
{
    const llm_workload *w = e->w;
    const llm_model *m = e->m;
    if (!e->train) {
        put(o, "inference: nothing is saved for backward; the peak of one forward step is\n");
        put(o, "  residual stream 2.s.b.h.B + the larger of attention (q,k,v%s) and MLP "
               "transients of one layer, per stage\n",
            w->flash ? "" : " + a.s^2 scores");
        gib(o, "forward transient", est->act_working);
        put(o, "  + next-token logits b x V x 4 B / t = %g x %g x 4 / %u\n", e->b, e->V, w->tp);
        gib(o, "= activations per GPU", est->per_gpu.activations);
        return;
    }
    llm_act_tensor list[LLM_ACT_TENSORS_MAX];
    size_t n = llm_act_tensors(m, w, m->arch == LLM_ARCH_ENCODER_DECODER, list,
                               LLM_ACT_TENSORS_MAX);
    put(o, "tensors one layer saves for backward (%s profile, %s, act %s, dropout %s, flash %s,\n"
           "  recompute %s, t = %u%s), per token on one GPU:\n",
        llm_profile_name(w->profile), m->ffn_kind == LLM_FFN_GATED ? "gated MLP" : "MLP",
        w->act.name, w->dropout ? "on" : "off", w->flash ? "on" : "off",
        llm_recompute_name(w->recompute), w->tp, w->seq_parallel ? ", sequence parallel" : "");
    for (size_t i = 0; i < n; i++)
        put(o, "  %s %-52s %10.4g elems x %g B = %10.4g B%s\n", list[i].kept ? "+" : "-",
            list[i].name, list[i].elems, list[i].bytes, list[i].elems * list[i].bytes,
            list[i].core ? " (attention core)" : "");
    if (w->recompute == LLM_RECOMPUTE_FULL)
        put(o, "  full recomputation: only the layer input is kept, h x B%s\n",
            w->seq_parallel ? " / t" : "");
    put(o, "per layer per micro-batch = s.b.h.(%.6g + %.6g.a.s/h) + s.b x %.6g\n", est->act_c_sbh,
        est->act_c_score, est->act_c_token);
    put(o, "  = %g x %g x %g x (%.6g + %.6g x %g x %g / %g) + ... = %.0f B\n", e->s, e->b, e->h,
        est->act_c_sbh, est->act_c_score, e->a, e->s, e->h, est->act_bytes_per_layer);
    put(o, "layers x micro-batches held by stage %u = %.6g", d->stage, d->layer_units);
    if (w->pp > 1) {
        put(o, " (1F1B: p - stage = %g micro-batches of L/p layers", e->pp - (double)d->stage);
        if (w->vpp > 1) put(o, ", x (1 + (p-1)/(p.m)) with m = %u chunks", w->vpp);
        put(o, ")");
    }
    put(o, "\n");
    gib(o, "layers (Korthikanti's figure)", est->act_layers);
    gib(o, "+ embedding (ids, dropout mask)", est->act_embedding);
    gib(o, "+ output (norm, head input, logits)", est->act_output);
    if (est->act_working > 0) gib(o, "+ working set (recompute/teacher)", est->act_working);
    gib(o, "= activations per GPU", est->per_gpu.activations);
}

static void explain_kv(out_buf *o, const llm_eng *e, const llm_mem_detail *d,
                       const llm_estimate *est)
{
    const llm_model *m = e->m;
    const llm_workload *w = e->w;
    if (m->attn == LLM_ATTN_MLA)
        put(o, "KV per token per layer (MLA) = (kv_lora_rank + qk_rope_dim) x B = (%llu + %llu) x "
               "%g (kept whole on every TP rank)\n",
            (unsigned long long)m->kv_lora_rank, (unsigned long long)m->qk_rope_dim, w->kv.bytes);
    else
        put(o, "KV per token per layer = 2 x kv_heads x head_dim x B = 2 x %g x %g x %g\n", e->k,
            e->d, w->kv.bytes);
    put(o, "KV per token, whole model = %.0f B\n", est->kv_bytes_per_token);
    if (!e->train || w->mode == LLM_MODE_INFER) {
        put(o, "per GPU = b x per-layer-per-GPU x (global layers x S + window layers x S_w)%s\n",
            d->kv_cross > 1 ? " x 2 (cross-attention)" : "");
        put(o, "  = %g x %g x (%g x %g + %g x %g)", e->b, d->kv_layer_token, d->kv_global,
            d->kv_S, d->kv_window, d->kv_Sw);
        if (d->kv_cross > 1) put(o, " x 2");
        put(o, "  (t = %u%s; S = seq %g", w->tp,
            m->attn != LLM_ATTN_MLA && e->k < e->t ? ", one kv head replicated per GPU" : "", e->s);
        if (w->kv_block > 1) put(o, " rounded up to %u-token blocks", w->kv_block);
        put(o, ")\n");
    } else {
        put(o, "training keeps no KV cache\n");
    }
    gib(o, "= KV cache per GPU", est->per_gpu.kv_cache);
}

size_t llm_explain(const llm_model *m, const llm_workload *w, const llm_gpu *gpu, llm_figure f,
                   char *buf, size_t cap)
{
    out_buf o = {buf, cap, 0};
    if (buf && cap) buf[0] = '\0';
    llm_estimate est;
    llm_error err;
    if (llm_estimate_run(m, w, gpu, &est, &err) != LLM_OK) {
        put(&o, "cannot explain %s: %s\n", llm_figure_name(f), err.message);
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
        put(&o, "overhead = CUDA context/framework + fragmentation x (everything else)\n");
        put(&o, "  = %.0f + %g x %.0f\n", w->overhead_bytes, w->fragmentation, rest);
        gib(&o, "= overhead per GPU", est.per_gpu.overhead);
        break;
    }
    case LLM_FIG_MEM_TOTAL:
        put(&o, "total per GPU (stage %u) = weights + gradients + optimizer + activations + KV + "
                "overhead\n",
            est.stage);
        put(&o, "  = %.0f + %.0f + %.0f + %.0f + %.0f + %.0f\n", est.per_gpu.weights,
            est.per_gpu.gradients, est.per_gpu.optimizer, est.per_gpu.activations,
            est.per_gpu.kv_cache, est.per_gpu.overhead);
        gib(&o, "= total per GPU", est.per_gpu.total);
        put(&o, "GPUs = tp x pp x dp = %u x %u x %u = %llu\n", w->tp, w->pp, w->dp,
            (unsigned long long)est.gpus);
        gib(&o, "cluster total", est.cluster.total);
        if (gpu && gpu->memory_bytes > 0)
            put(&o, "%s: %.4g GiB capacity -> %s (%.1f%% used)\n", gpu->id,
                gpu->memory_bytes / 1073741824.0,
                est.per_gpu.total <= gpu->memory_bytes ? "fits" : "does not fit",
                100.0 * est.per_gpu.total / gpu->memory_bytes);
        break;
    case LLM_FIG_FLOPS_PER_TOKEN:
        put(&o, "forward FLOPs per token = 2 N + 2 n_layer n_ctx d_attn (Kaplan et al. 2020)\n");
        put(&o, "  = 2 x %llu + 2 x %g x %g x (%g x %g) = %.6g\n",
            (unsigned long long)est.params.active_non_embedding, e.Lall, e.s, e.a, e.d,
            est.flops_per_token);
        break;
    case LLM_FIG_TRAIN_TIME: {
        const char *base = (w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA) ? "4" : "6";
        put(&o, "training FLOPs = %s N D%s%s%s\n", base,
            w->recompute == LLM_RECOMPUTE_FULL ? " + 2 N D (full recomputation)" : "",
            w->recompute == LLM_RECOMPUTE_SELECTIVE ? " + 2 n_layer s d_attn D (attention core)" : "",
            w->mode == LLM_MODE_DISTILL ? " + 2 N_teacher D" : "");
        put(&o, "  N = %llu, D = %.6g tokens%s -> %.6g FLOPs\n",
            (unsigned long long)est.params.active_non_embedding, est.train_tokens,
            w->tokens ? "" : " (20 per parameter, Chinchilla)", est.train_flops);
        if (est.peak_flops > 0) {
            double G = w->gpus ? (double)w->gpus : (double)est.gpus;
            put(&o, "time = FLOPs / (GPUs x peak x MFU) = %.6g / (%g x %.6g x %g) = %.6g s "
                    "(%.3g days)\n",
                est.train_flops, G, est.peak_flops, w->mfu, est.train_seconds,
                est.train_seconds / 86400.0);
        } else {
            put(&o, "time: no GPU peak FLOP/s given\n");
        }
        break;
    }
    case LLM_FIG_PREFILL:
    case LLM_FIG_DECODE: {
        if (est.peak_flops <= 0 || !gpu) {
            put(&o, "needs a GPU with peak FLOP/s and bandwidth\n");
            break;
        }
        double wd, we, kv;
        llm_eng_replica_bytes(&e, &wd, &we, &kv);
        double N = (double)est.params.active_non_embedding;
        if (f == LLM_FIG_PREFILL) {
            put(&o, "prefill time = max(2 N s b / t / (peak x MFU), weight bytes per GPU / bandwidth)\n");
            put(&o, "  = max(2 x %.6g x %g x %g / %u / (%.6g x %g), %.6g / %.6g)\n", N, e.s, e.b,
                w->tp, est.peak_flops, w->mfu, wd + we, gpu->bandwidth);
            put(&o, "  = %.6g s, %s; arithmetic intensity %.6g FLOP/B\n", est.prefill_seconds,
                bound_name(est.prefill_bound), est.prefill_intensity);
            put(&o, "  throughput = s b / time = %.6g tokens/s\n", est.prefill_tokens_per_s);
        } else {
            put(&o, "decode step = max(2 N b / t / (peak x MFU), (weights + b x KV) per GPU / "
                    "bandwidth)\n");
            put(&o, "  = max(2 x %.6g x %g / %u / (%.6g x %g), (%.6g + %.6g) / %.6g)\n", N, e.b,
                w->tp, est.peak_flops, w->mfu, wd + we, kv, gpu->bandwidth);
            put(&o, "  = %.6g s, %s; arithmetic intensity %.6g FLOP/B\n", est.decode_step_seconds,
                bound_name(est.decode_bound), est.decode_intensity);
            put(&o, "  throughput = b / step = %.6g tokens/s; %llu tokens after prefill: %.6g s\n",
                est.decode_tokens_per_s, (unsigned long long)w->gen_tokens, est.generate_seconds);
        }
        break;
    }
    case LLM_FIG_SCALING: {
        double N = (double)est.params.non_embedding;
        double D = est.train_tokens;
        put(&o, "Kaplan L(N) = (8.8e13 / N)^0.076 = (8.8e13 / %.6g)^0.076 = %.4f nats\n", N,
            llm_kaplan_loss_n(N));
        put(&o, "Kaplan L(D) = (5.4e13 / D)^0.095 = (5.4e13 / %.6g)^0.095 = %.4f nats\n", D,
            llm_kaplan_loss_d(D));
        put(&o, "Chinchilla L(N, D) = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28 = %.4f "
                "(N = %llu total parameters)\n",
            llm_chinchilla_loss((double)est.params.total, D),
            (unsigned long long)est.params.total);
        put(&o, "compute-optimal tokens = 20 x N = %.6g\n",
            llm_chinchilla_tokens((double)est.params.total));
        put(&o, "improve by 10%% with performance ~ N^alpha: (1 + 0.1)^(1/0.07) = %.3f x parameters\n",
            llm_improvement_factor(0.1, 0.07));
        break;
    }
    case LLM_FIG_COUNT:
    default:
        put(&o, "unknown figure\n");
        break;
    }
    return o.len;
}
