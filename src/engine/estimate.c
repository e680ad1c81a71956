/* llm_estimate_run: the whole estimate for one (model, workload, gpu). */
#include <string.h>

#include "engine/checked.h"
#include "engine/engine.h"

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a ? a : 1;
}

void llm_eng_init(llm_eng *e, const llm_model *m, const llm_workload *w, const llm_params *p)
{
    llm_eng_init_shape(e, m, w, p);
    if (e->train) {
        bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
        llm_eng_act_layer(e, m, encdec, &e->act_dec);
        if (encdec) llm_eng_act_layer(e, m, false, &e->act_enc);
    } else {
        llm_act_layer *a = &e->act_dec, *b = &e->act_enc; /* no struct copies: hot path */
        a->stored = a->full = a->c_sbh = a->c_score = a->extra = a->work = 0.0;
        b->stored = b->full = b->c_sbh = b->c_score = b->extra = b->work = 0.0;
    }
    llm_eng_init_caches(e);
    e->teacher_ok = false;
    if (w->mode == LLM_MODE_DISTILL && w->has_teacher)
        e->teacher_ok = llm_params_count(&w->teacher, &e->tparams, NULL) == LLM_OK;
}

void llm_eng_init_shape(llm_eng *e, const llm_model *m, const llm_workload *w,
                        const llm_params *p)
{
    /* no memset (hot path): the fields not set here are set by llm_eng_init */
    e->m = m;
    e->w = w;
    e->p = p;
    /* sizes validated below 2^40 (model and workload limits) */
    e->L = ck_size_d(m->layers);
    e->Lenc = m->arch == LLM_ARCH_ENCODER_DECODER ? ck_size_d(m->encoder_layers) : 0.0;
    e->Lall = e->L + e->Lenc;
    e->h = ck_size_d(m->hidden);
    e->a = ck_size_d(m->heads);
    e->k = ck_size_d(eng_kv_heads(m->kv_heads, m->heads));
    e->d = ck_size_d(eng_head_dim(m->head_dim, m->hidden, m->heads));
    e->f = ck_size_d(m->ffn);
    e->V = ck_size_d(m->vocab);
    e->s = ck_size_d(w->seq);
    e->b = ck_size_d(w->micro_batch);
    e->t = (double)w->tp;
    e->pp = (double)w->pp;
    e->dp = (double)w->dp;
    e->ep = (double)w->ep;
    e->vpp = (double)w->vpp;
    if (w->ep == 1) { /* no expert parallelism: experts split like dense layers */
        e->edp = e->dp;
        e->etp = e->t;
    } else {
        uint64_t g = gcd(w->dp, w->ep);
        e->edp = (double)(w->dp / g);
        e->etp = (double)((uint64_t)w->tp * g / w->ep);
    }
    e->train = w->mode != LLM_MODE_INFER;
    e->gpus = e->t * e->pp * e->dp;
    llm_eng_classes(e, &e->cls);
    e->teacher_ok = false;
}

llm_code llm_estimate_run(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                          llm_estimate *out, llm_error *err)
{
    /* validates the model; the count goes straight into out (no copy) */
    llm_code rc = llm_params_count(m, &out->params, err);
    if (rc != LLM_OK) return rc;
    rc = llm_eng_validate_settings(m, w, err);
    if (rc != LLM_OK) return rc;

    /* Written in place: nothing below can fail.  No memset of *out (a
     * `rep stos` on the hot path): every field is written below, and the ones
     * written only for some workloads are cleared here first. */
    out->act_bytes_per_layer = out->act_c_sbh = out->act_c_score = out->act_c_token = 0.0;
    /* (the compute figures are all written by llm_eng_compute) */
    llm_eng e;
    llm_eng_init(&e, m, w, &out->params);
    out->gpus = (uint64_t)w->tp * w->pp * w->dp;
    out->kv_bytes_per_token = llm_eng_kv_per_token(&e);
    llm_replica rep;
    llm_eng_memory(&e, out, &rep);
    llm_eng_compute(&e, gpu, &rep, out);
    return LLM_OK;
}
