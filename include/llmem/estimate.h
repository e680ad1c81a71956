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
    LLM_BOUND_NONE = 0, /* no GPU given: no times */
    LLM_BOUND_COMPUTE,
    LLM_BOUND_MEMORY,   /* bandwidth */
    LLM_BOUND_UNKNOWN   /* a GPU was given but the side that would decide is not
                           published (no peak FLOP/s for the precision, e.g. Apple
                           M2/M3 Ultra, or no bandwidth): the time and tokens/s are
                           0 and mean "unknown" (print n/a, JSON null) */
} llm_bound;

/* Warnings about an estimate (llm_estimate.warnings, llm_solve_result.warnings):
 * one bit each; llm_warning_text() gives the sentence to show. */
enum {
    LLM_WARN_SEQ_ABOVE_CONTEXT = 1u << 0, /* seq (inference: seq + gen_tokens) > model max_seq */
    LLM_WARN_NF4_TRAINING = 1u << 1,      /* train/finetune/distill on sub-8-bit weights */
    LLM_WARN_SATURATED = 1u << 2,         /* the cluster's device + host bytes above 2^53
                                             (figures no longer exact) or not finite */
    LLM_WARN_PEAK_UNKNOWN = 1u << 3,      /* GPU has no published peak FLOP/s for the compute
                                             precision: training time and prefill unknown,
                                             decode from the bandwidth bound only */
    LLM_WARN_BANDWIDTH_UNKNOWN = 1u << 4  /* GPU has no memory bandwidth: prefill/decode
                                             bandwidth side unknown */
};
#define LLM_WARN_COUNT 5 /* bits 0 .. LLM_WARN_COUNT-1 are defined */

/* The text of one warning bit (e.g. LLM_WARN_SEQ_ABOVE_CONTEXT): static,
 * one line, no trailing period; NULL for 0, several bits or an unknown bit. */
const char *llm_warning_text(unsigned bit);

/* How llm_estimate.train_tokens (D) was chosen. */
typedef enum llm_tokens_basis {
    LLM_TOKENS_GIVEN = 0,     /* workload.tokens */
    LLM_TOKENS_CHINCHILLA,    /* tokens = 0, pre-training: 20 per parameter (Hoffmann et al.) */
    LLM_TOKENS_PER_BILLION    /* tokens = 0, finetune/lora/qlora/distill: 10^9 tokens, so the
                                 training time reads "per 1B tokens" */
} llm_tokens_basis;

/* The default tokens for a fine-tuning mode's time when tokens = 0. */
#define LLM_FINETUNE_TOKENS_DEFAULT 1e9

/* "Performance proportional to N^alpha": the default alpha of the
 * improvement factor (1 + x)^(1/alpha) (issue 3: 10% -> 3.90x).  Use this,
 * not Kaplan's loss exponent, wherever the improvement factor is shown. */
#define LLM_IMPROVEMENT_ALPHA_DEFAULT 0.07
/* Kaplan et al. 2020 loss-law exponents (L(N) = (N_c/N)^alpha_N, L(D)). */
#define LLM_KAPLAN_ALPHA_N 0.076
#define LLM_KAPLAN_ALPHA_D 0.095

typedef struct llm_estimate {
    llm_params params;
    llm_memory per_gpu; /* the most-loaded pipeline stage, per GPU */
    llm_memory cluster; /* summed over every GPU */
    uint64_t gpus;      /* tp x pp x dp */

    double kv_bytes_per_token; /* whole model, one sequence, unsharded */
    double act_bytes_per_layer;

    double flops_per_token; /* forward, Kaplan 2N + 2 L s d_attn (n_ctx = seq) */
    double train_flops;     /* for train_tokens: 3 D flops_per_token (= 6ND + 6 L s d_attn D),
                               + D flops_per_token with full recompute */
    double train_seconds;   /* on workload.gpus at workload.mfu (0 without a GPU or
                               with warnings & LLM_WARN_PEAK_UNKNOWN: unknown) */
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

    double train_tokens;        /* D behind train_flops (see train_tokens_basis) */
    double peak_flops;          /* per GPU, for the compute dtype (0 without a GPU or unknown) */
    double prefill_intensity;   /* FLOPs per byte read during prefill */
    double decode_step_seconds; /* one decode step of micro_batch tokens */
    double generate_seconds;    /* prefill + gen_tokens decode steps (0 = unknown) */

    llm_tokens_basis train_tokens_basis; /* how train_tokens was chosen */
    unsigned warnings;                   /* LLM_WARN_* bits */
    /* The bandwidth side alone (weights (+KV) read once per step / bandwidth),
     * known whenever the GPU has a bandwidth, even when prefill_bound is
     * LLM_BOUND_UNKNOWN: a lower bound on the time (0 without a GPU). */
    double prefill_memory_seconds;
    double decode_memory_seconds;
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

#define LLM_SOLVE_REASON_MAX 192

typedef struct llm_solve_result {
    bool found;
    uint64_t value;       /* seq / batch / GPU count; precision: index into candidates */
    llm_workload workload; /* the workload at the answer */
    unsigned warnings;    /* LLM_WARN_* of the estimate at the answer (found only); e.g.
                             LLM_SOLVE_SEQ past model max_seq sets LLM_WARN_SEQ_ABOVE_CONTEXT */
    char reason[LLM_SOLVE_REASON_MAX]; /* not found: why, one line (GPUS: the smallest
                                          per-GPU total of the layouts tried and the
                                          capacity); "" when found */
} llm_solve_result;

llm_code llm_fit_solve(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                       llm_solve what, const llm_dtype *candidates, size_t ncandidates,
                       llm_solve_result *out, llm_error *err);

/* ---- scaling laws ------------------------------------------------------- */
double llm_kaplan_loss_n(double non_embedding_params);
double llm_kaplan_loss_d(double tokens);
double llm_improvement_factor(double fraction, double alpha); /* (1+x)^(1/alpha); alpha:
                                                                 LLM_IMPROVEMENT_ALPHA_DEFAULT */
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
