/* llm_estimate_run: the whole estimate for one (model, workload, gpu). */
#include <string.h>

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
    memset(e, 0, sizeof *e);
    e->m = m;
    e->w = w;
    e->p = *p;
    e->L = (double)m->layers;
    e->Lenc = m->arch == LLM_ARCH_ENCODER_DECODER ? (double)m->encoder_layers : 0.0;
    e->Lall = e->L + e->Lenc;
    e->h = (double)m->hidden;
    e->a = (double)m->heads;
    e->k = (double)llm_model_kv_heads(m);
    e->d = (double)llm_model_head_dim(m);
    e->f = (double)m->ffn;
    e->V = (double)m->vocab;
    e->s = (double)w->seq;
    e->b = (double)w->micro_batch;
    e->t = (double)w->tp;
    e->pp = (double)w->pp;
    e->dp = (double)w->dp;
    e->ep = (double)w->ep;
    e->vpp = (double)w->vpp;
    uint64_t g = gcd(w->dp, w->ep);
    e->edp = (double)(w->dp / g);
    e->etp = (double)((uint64_t)w->tp * g / w->ep);
    e->train = w->mode != LLM_MODE_INFER;
    e->gpus = e->t * e->pp * e->dp;
    llm_eng_classes(e, &e->cls);
    if (e->train) {
        bool encdec = m->arch == LLM_ARCH_ENCODER_DECODER;
        llm_eng_act_layer(e, m, encdec, &e->act_dec);
        if (encdec) llm_eng_act_layer(e, m, false, &e->act_enc);
        else e->act_enc = e->act_dec;
    }
}

llm_code llm_estimate_run(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                          llm_estimate *out, llm_error *err)
{
    llm_params p;
    llm_code rc = llm_params_count(m, &p, err); /* validates the model */
    if (rc != LLM_OK) return rc;
    rc = llm_eng_validate_settings(m, w, err);
    if (rc != LLM_OK) return rc;

    /* Written in place: nothing below can fail. */
    memset(out, 0, sizeof *out);
    llm_eng e;
    llm_eng_init(&e, m, w, &p);
    out->params = p;
    out->gpus = (uint64_t)w->tp * w->pp * w->dp;
    out->kv_bytes_per_token = llm_eng_kv_per_token(&e);
    llm_eng_memory(&e, out);
    llm_eng_compute(&e, gpu, out);
    return LLM_OK;
}
