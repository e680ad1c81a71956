/* llmem — the estimate: memory, compute, scaling laws, fits, explain traces.
 *
 * llm_estimate_run() is the hot path: pure, no allocation, no I/O.  Byte
 * figures are doubles holding whole numbers where the formula gives whole
 * numbers (exact below 2^53 = 8 PiB); they never wrap.  Explain traces are
 * built only on request, into a caller's buffer.
 */
#ifndef LLMEM_ESTIMATE_H
#define LLMEM_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/catalog.h"
#include "llmem/error.h"
#include "llmem/model.h"
#include "llmem/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct llm_memory {
    double weights;
    double gradients;
    double optimizer;
    double activations; /* includes embeddings output, logits and loss */
    double kv_cache;
    double overhead;    /* context/framework + fragmentation allowance */
    double total;
    double host;        /* moved to CPU memory by offloading (not in total) */
} llm_memory;

typedef enum llm_bound {
    LLM_BOUND_NONE = 0,
    LLM_BOUND_COMPUTE,
    LLM_BOUND_MEMORY /* bandwidth */
} llm_bound;

typedef struct llm_estimate {
    llm_params params;
    llm_memory per_gpu; /* the most-loaded pipeline stage, per GPU */
    llm_memory cluster; /* summed over every GPU */
    uint64_t gpus;      /* tp x pp x dp */

    double kv_bytes_per_token; /* whole model, one sequence, unsharded */
    double act_bytes_per_layer;

    double flops_per_token; /* forward, Kaplan 2N + 2 L s d_attn */
    double train_flops;     /* for workload.tokens (6ND, 8ND with full recompute) */
    double train_seconds;   /* on workload.gpus at workload.mfu (0 without a GPU) */
    double prefill_seconds;
    double prefill_tokens_per_s;
    double decode_tokens_per_s;
    double decode_intensity; /* FLOPs per byte read in one decode step */
    llm_bound prefill_bound;
    llm_bound decode_bound;

    /* Parts of per_gpu.activations (most-loaded stage, one GPU). */
    double act_layers;    /* transformer layers only: Korthikanti et al.'s figure */
    double act_embedding; /* token ids, embedding dropout mask, position tables */
    double act_output;    /* final norm, LM-head input, fp32 logits for the loss, labels */
    double act_working;   /* full recompute: one layer recomputed; inference: prefill peak */
    /* One layer, one micro-batch: bytes = s.b.h.(act_c_sbh + act_c_score.a.s/h) + s.b.act_c_token */
    double act_c_sbh;
    double act_c_score;
    double act_c_token;
    double act_inflight;  /* layer x micro-batch units held by the stage (L with 1F1B, x interleave) */
    uint32_t stage;       /* the most-loaded pipeline stage (0 = first) */

    double train_tokens;        /* D behind train_flops (workload.tokens or 20 per parameter) */
    double peak_flops;          /* per GPU, for the compute dtype (0 without a GPU) */
    double prefill_intensity;   /* FLOPs per byte read during prefill */
    double decode_step_seconds; /* one decode step of micro_batch tokens */
    double generate_seconds;    /* prefill + gen_tokens decode steps */
} llm_estimate;

/* ---- the saved-tensor table behind the activations ---------------------- */
/* One tensor a layer keeps for its backward pass, per token, on one GPU. */
typedef struct llm_act_tensor {
    const char *name; /* static text, e.g. "LN1 input" */
    double elems;     /* elements per token on one GPU (TP / SP split applied) */
    double bytes;     /* bytes per element */
    bool core;        /* attention core: dropped by selective recomputation */
    bool kept;        /* kept under the workload's recomputation setting */
} llm_act_tensor;

#define LLM_ACT_TENSORS_MAX 48

/* The tensors one decoder layer saves (cross = with encoder-decoder cross
 * attention), for the workload's profile, dtype, dropout, FlashAttention,
 * recomputation and parallel settings.  Returns how many were written (at
 * most cap).  No validation: give a validated model and workload. */
size_t llm_act_tensors(const llm_model *m, const llm_workload *w, bool cross,
                       llm_act_tensor *out, size_t cap);

/* Everything for one (model, workload).  `gpu` may be NULL (no times).
 * On an error the contents of *out are unspecified (it may be partly
 * written); err says what is wrong. */
llm_code llm_estimate_run(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                          llm_estimate *out, llm_error *err);

/* ---- fit ---------------------------------------------------------------- */
typedef struct llm_fit {
    bool fits;
    double utilisation;   /* per-GPU total / capacity */
    uint64_t gpus_needed; /* smallest GPU count (by growing tp, then pp/dp) that fits; 0 = none */
} llm_fit;

llm_code llm_fit_check(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                       llm_fit *out, llm_error *err);

typedef enum llm_solve {
    LLM_SOLVE_SEQ = 0,   /* largest sequence length that fits */
    LLM_SOLVE_BATCH,     /* largest micro-batch that fits */
    LLM_SOLVE_GPUS,      /* smallest GPU count (tp, then pp, ...) that fits */
    LLM_SOLVE_PRECISION  /* the least aggressive weight precision that fits: the candidate
                            with the most bytes per weight among those that fit */
} llm_solve;

typedef struct llm_solve_result {
    bool found;
    uint64_t value;       /* seq / batch / GPU count; precision: index into candidates */
    llm_workload workload; /* the workload at the answer */
} llm_solve_result;

llm_code llm_fit_solve(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                       llm_solve what, const llm_dtype *candidates, size_t ncandidates,
                       llm_solve_result *out, llm_error *err);

/* ---- scaling laws ------------------------------------------------------- */
double llm_kaplan_loss_n(double non_embedding_params);
double llm_kaplan_loss_d(double tokens);
double llm_improvement_factor(double fraction, double alpha); /* (1+x)^(1/alpha) */
double llm_chinchilla_loss(double params, double tokens);
double llm_chinchilla_tokens(double params); /* compute-optimal: 20 per parameter */

/* ---- explain ------------------------------------------------------------ */
typedef enum llm_figure {
    LLM_FIG_PARAMS_TOTAL = 0,
    LLM_FIG_MEM_WEIGHTS,
    LLM_FIG_MEM_GRADIENTS,
    LLM_FIG_MEM_OPTIMIZER,
    LLM_FIG_MEM_ACTIVATIONS,
    LLM_FIG_MEM_KV,
    LLM_FIG_MEM_OVERHEAD,
    LLM_FIG_MEM_TOTAL,
    LLM_FIG_FLOPS_PER_TOKEN,
    LLM_FIG_TRAIN_TIME,
    LLM_FIG_PREFILL,
    LLM_FIG_DECODE,
    LLM_FIG_SCALING,
    LLM_FIG_COUNT
} llm_figure;

const char *llm_figure_name(llm_figure f); /* "memory.weights", ... */

/* Writes a multi-line trace (formula, values put in, result) into buf,
 * always NUL-terminated; returns the length it wanted (like snprintf). */
size_t llm_explain(const llm_model *m, const llm_workload *w, const llm_gpu *gpu, llm_figure f,
                   char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
