/* Internal interfaces shared by the engine's files (not installed). */
#ifndef LLMEM_ENGINE_ENGINE_H
#define LLMEM_ENGINE_ENGINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/estimate.h"

/* Hot-path note: small structs are cleared field by field, not with memset:
 * GCC turns a memset of a few dozen bytes into `rep stos`, whose start-up
 * cost on current x86 cores was measured at ~15% of an estimate. */

/* Bytes per token of one layer's saved tensors on one GPU (recomputation
 * applied), and of one layer's full set (for full recomputation's working set). */
typedef struct llm_act_layer {
    double stored;  /* per token, per layer, per GPU, as kept between forward and backward */
    double full;    /* per token, per layer, per GPU, with nothing recomputed */
    double c_sbh;   /* stored = s.b.h.(c_sbh + c_score.a.s/h) bytes (per token: / s.b) */
    double c_score;
    double extra;   /* per token terms that do not scale with h (e.g. norm statistics) */
    double work;    /* per token: recomputed during backward on top of what is kept */
} llm_act_layer;

/* Parameters per layer by class (memory.c). */
typedef struct llm_layer_classes {
    double attn_block; /* one attention block (self or cross) */
    double mlp_dense;  /* MLP of a dense layer */
    double mlp_shared; /* shared experts of a MoE layer */
    double experts;    /* routed experts of a MoE layer */
    double router;
    double norms;      /* norm parameters per layer */
    double final_norm; /* after the last layer (per stack): on the last stage */
    double emb_norm;   /* after the embedding (BLOOM): on the first stage */
} llm_layer_classes;

/* The numbers every formula uses, resolved once per estimate (as doubles:
 * byte products exceed 64 bits long before doubles lose whole numbers that
 * matter). */
typedef struct llm_eng {
    const llm_model *m;
    const llm_workload *w;
    const llm_params *p; /* the caller's, alive while e is used */
    double L;     /* decoder layers */
    double Lenc;  /* encoder layers (enc-dec) */
    double Lall;  /* every transformer layer (decoder + encoder) */
    double h, a, k, d, f, V;
    double s, b;
    double t, pp, dp, ep, vpp;
    /* Routed experts: the t x dp ranks of a stage form ep expert-parallel
     * groups x etp expert-tensor-parallel ranks x edp expert-data-parallel
     * replicas (Megatron-core layout).  g = gcd(dp, ep): edp = dp / g,
     * etp = t g / ep (= t when ep divides dp). */
    double etp, edp;
    bool train;   /* any training mode */
    double gpus;  /* tp x pp x dp */
    /* Worked out once per estimate by llm_eng_init (the same for every
     * pipeline stage, so not recomputed per stage): */
    llm_layer_classes cls;
    llm_act_layer act_dec; /* a decoder layer (with cross-attention for enc-dec) */
    llm_act_layer act_enc; /* an encoder layer (enc-dec training only: read through
                              llm_eng_act_enc(), which gives act_dec otherwise) */
    double act_emb, act_out, act_const; /* training: llm_eng_act_embedding/_output/_model_const */
    double kv_tok;         /* KV bytes per token and layer on one GPU */
    double kv_S, kv_Sw;    /* cached context: full / sliding-window layers (block-rounded) */
    double kv_cross;       /* 2 for encoder-decoder (cross-attention), else 1 */
    bool teacher_ok;       /* distillation: the teacher's parameters were counted */
    llm_params tparams;
} llm_eng;

static inline const llm_act_layer *llm_eng_act_enc(const llm_eng *e)
{
    return e->m->arch == LLM_ARCH_ENCODER_DECODER ? &e->act_enc : &e->act_dec;
}

llm_code llm_eng_validate_settings(const llm_model *m, const llm_workload *w, llm_error *err);

void llm_eng_init(llm_eng *e, const llm_model *m, const llm_workload *w, const llm_params *p);
/* The shape part of llm_eng_init only (no activation tables, caches or
 * teacher): for a distillation teacher. */
void llm_eng_init_shape(llm_eng *e, const llm_model *m, const llm_workload *w,
                        const llm_params *p);
void llm_eng_init_caches(llm_eng *e);

/* ---- activations (activations.c) ---- */


void llm_eng_act_layer(const llm_eng *e, const llm_model *m, bool decoder_cross,
                       llm_act_layer *out);
double llm_eng_act_embedding(const llm_eng *e); /* per micro-batch, per GPU */
double llm_eng_act_output(const llm_eng *e);    /* logits/loss per micro-batch, per GPU */
double llm_eng_act_model_const(const llm_eng *e); /* once per GPU (rotary tables, masks) */
double llm_eng_infer_act(const llm_eng *e, const llm_model *m);

/* ---- memory (memory.c) ---- */
void llm_eng_classes(const llm_eng *e, llm_layer_classes *c);
/* The values behind one stage's memory, for explain traces. */
typedef struct llm_mem_detail {
    uint32_t stage;
    double n_dense, n_moe, n_enc;        /* layers held */
    double lin, experts, repl, emb, pos; /* parameters held (unsharded) */
    double lw, w16;                      /* bytes per linear weight (pruned) / per other weight */
    double tr_dense, tr_experts;         /* trainable elements per GPU before ZeRO */
    double grad_b, master_b, state_b;    /* bytes per trainable element */
    double factored;                     /* Adafactor row+col elements per GPU before ZeRO */
    double factored_d, factored_e;       /* the same, dense / expert parts */
    double w_stage;                      /* stage weights per GPU before ZeRO-3, adapters,
                                            teacher and offload */
    double w_experts;                    /* the routed experts' part of w_stage */
    double teacher_act;                  /* teacher: forward transient + logits */
    double enc_stored;                   /* enc-dec: an encoder layer's bytes per token */
    double zdp, zdp_e;                   /* ZeRO shard counts for dense / expert parameters */
    double teacher_weights;
    double kv_S, kv_Sw, kv_layer_token, kv_global, kv_window, kv_cross;
    double layer_units, emb_units;
    llm_act_layer dec;                   /* per-token layer activations */
    double emb_act, out_act, work_act, const_act;
} llm_mem_detail;
void llm_eng_stage_detail(const llm_eng *e, uint32_t stage, llm_mem_detail *d);
double llm_eng_kv_per_token(const llm_eng *e);
/* What one prefill/decode step reads per GPU, summed over the stages of one
 * replica (llm_eng_replica_bytes). */
typedef struct llm_replica {
    double weights_dense, weights_experts, kv;
} llm_replica;
/* Fills out's memory figures and *rep (from the same cluster evaluation). */
void llm_eng_memory(const llm_eng *e, llm_estimate *out, llm_replica *rep);
void llm_eng_replica_bytes(const llm_eng *e, double *weights_dense, double *weights_experts,
                           double *kv);

/* ---- compute (compute.c) ---- */
void llm_eng_compute(const llm_eng *e, const llm_gpu *gpu, const llm_replica *rep,
                     llm_estimate *out);
double llm_eng_peak_flops(const llm_workload *w, const llm_gpu *gpu);
#endif
