/* llmem — what is done with a model: training or inference settings.
 *
 * A workload is a plain value: copy it freely (the explorer keeps undo stacks
 * of them).  llm_workload_default() gives the documented defaults.
 */
#ifndef LLMEM_WORKLOAD_H
#define LLMEM_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "llmem/catalog.h"
#include "llmem/error.h"
#include "llmem/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_mode {
    LLM_MODE_PRETRAIN = 0, /* "train" */
    LLM_MODE_FINETUNE,     /* "finetune": full fine-tune, same memory as training */
    LLM_MODE_LORA,         /* "lora": frozen base, trained adapters */
    LLM_MODE_QLORA,        /* "qlora": frozen nf4 base, trained adapters */
    LLM_MODE_DISTILL,      /* "distill": student trains, teacher runs inference */
    LLM_MODE_INFER         /* "infer" */
} llm_mode;

typedef enum llm_optimizer {
    LLM_OPT_ADAMW = 0, /* "adamw" */
    LLM_OPT_ADAMW8BIT, /* "adamw8bit" */
    LLM_OPT_SGD,       /* "sgd" */
    LLM_OPT_SGDM,      /* "sgdm" */
    LLM_OPT_ADAFACTOR, /* "adafactor" */
    LLM_OPT_LION,      /* "lion" */
    LLM_OPT_NONE       /* "none" */
} llm_optimizer;

typedef enum llm_recompute {
    LLM_RECOMPUTE_NONE = 0,
    LLM_RECOMPUTE_SELECTIVE, /* attention core recomputed (Korthikanti et al.) */
    LLM_RECOMPUTE_FULL       /* only each layer's input kept */
} llm_recompute;

typedef enum llm_profile {
    LLM_PROFILE_MEGATRON = 0, /* fused kernels, as in Korthikanti et al. */
    LLM_PROFILE_EAGER         /* plain PyTorch eager, as in Hugging Face models */
} llm_profile;

typedef enum llm_sparse_storage {
    LLM_SPARSE_DENSE = 0, /* zeros stored: no saving */
    LLM_SPARSE_2_4,       /* half the values + 2-bit indices */
    LLM_SPARSE_CSR        /* nonzeros + 32-bit column indices */
} llm_sparse_storage;

/* LoRA target matrices (bit mask). */
enum {
    LLM_LORA_Q = 1u << 0,
    LLM_LORA_K = 1u << 1,
    LLM_LORA_V = 1u << 2,
    LLM_LORA_O = 1u << 3,
    LLM_LORA_GATE = 1u << 4,
    LLM_LORA_UP = 1u << 5,
    LLM_LORA_DOWN = 1u << 6,
    LLM_LORA_ALL = 0x7fu
};

typedef struct llm_workload {
    llm_mode mode;
    uint64_t seq;          /* tokens per sequence (context for inference) */
    uint64_t micro_batch;  /* sequences per GPU per step */
    uint64_t global_batch; /* sequences per optimizer step (0 = micro_batch x dp) */
    uint64_t tokens;       /* training token budget (0 = default: 20 per parameter (Chinchilla)
                              when pre-training, 10^9 ("per 1B tokens") when fine-tuning;
                              llm_estimate.train_tokens_basis says which) */
    uint64_t gen_tokens;   /* inference: tokens generated after the prompt */

    llm_dtype weights; /* stored weights (compute copy when training) */
    llm_dtype act;     /* activations / compute */
    llm_dtype grads;
    llm_dtype master;  /* fp32 master copy in mixed precision (size 0 = none) */
    llm_dtype optim;   /* optimizer state element (fp32 for AdamW, int8 for 8-bit) */
    llm_dtype kv;      /* KV cache */
    bool quant_keep_16bit; /* quantised weights keep embeddings/LM head/norms in 16 bit */

    llm_optimizer optimizer;
    llm_recompute recompute;
    bool flash;
    bool dropout;
    bool seq_parallel;
    llm_profile profile;

    uint32_t tp, pp, vpp, dp, ep; /* vpp: interleaved model chunks per GPU (1 = none) */
    uint32_t zero;                /* 0..3 */
    bool offload_optimizer;
    bool offload_params;

    uint32_t lora_rank;
    uint32_t lora_targets; /* LLM_LORA_* mask */

    double sparsity; /* fraction of weights pruned, 0..1 */
    llm_sparse_storage sparse_storage;

    bool has_teacher;  /* distillation */
    llm_model teacher;
    llm_dtype teacher_weights;

    double overhead_bytes; /* CUDA context + framework, per GPU */
    double fragmentation;  /* allocator allowance, fraction of the rest (0..1) */
    uint32_t kv_block;     /* paged KV cache block in tokens (0 or 1 = none) */

    uint32_t gpus;  /* GPU count: 0 = tp x pp x dp; any other value must equal
                       tp x pp x dp (llm_workload_validate), so memory and
                       training time always describe the same cluster */
    double mfu;     /* model FLOPs utilisation, 0..1 */
} llm_workload;

/* Defaults: pre-training, seq 2048, micro-batch 1, bf16 weights/activations/
 * gradients, fp32 master and AdamW states, bf16 KV, no recomputation, flash on,
 * dropout off, Megatron profile, 1 GPU, ZeRO 0, overhead 1 GiB, MFU 0.4. */
void llm_workload_default(llm_workload *w);

/* Checks ranges and combinations (tp divides heads, pp divides layers, ...). */
llm_code llm_workload_validate(const llm_model *m, const llm_workload *w, llm_error *err);

const char *llm_mode_name(llm_mode v);
const char *llm_optimizer_name(llm_optimizer v);
const char *llm_recompute_name(llm_recompute v);
const char *llm_profile_name(llm_profile v);
const char *llm_sparse_storage_name(llm_sparse_storage v);
bool llm_mode_parse(const char *s, llm_mode *out);
bool llm_optimizer_parse(const char *s, llm_optimizer *out);
bool llm_recompute_parse(const char *s, llm_recompute *out);
bool llm_profile_parse(const char *s, llm_profile *out);
bool llm_sparse_storage_parse(const char *s, llm_sparse_storage *out);

#ifdef __cplusplus
}
#endif
#endif
