/* llmem — the model shape and its exact parameter count.
 *
 * One struct describes decoder-only and encoder-decoder transformers closely
 * enough to count their trainable parameters exactly (see docs/formulas.md §1).
 * All sizes are element counts.  A field left 0 takes its documented default
 * (kv_heads = heads, head_dim = hidden / heads, ...); llm_model_resolve() makes
 * those defaults explicit.
 */
#ifndef LLMEM_MODEL_H
#define LLMEM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "llmem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_arch {
    LLM_ARCH_DECODER = 0,     /* GPT, Llama, ... */
    LLM_ARCH_ENCODER_DECODER  /* T5, the original Transformer */
} llm_arch;

typedef enum llm_ffn_kind {
    LLM_FFN_MLP = 0, /* 2 matrices: up, down (GELU/ReLU) */
    LLM_FFN_GATED    /* 3 matrices: gate, up, down (SwiGLU/GeGLU) */
} llm_ffn_kind;

typedef enum llm_pos_kind {
    LLM_POS_NONE = 0,
    LLM_POS_LEARNED,  /* a table of pos_rows x hidden */
    LLM_POS_ROTARY,   /* RoPE: no parameters */
    LLM_POS_ALIBI,    /* no parameters */
    LLM_POS_RELATIVE, /* T5 buckets: rel_buckets x heads, in the first layer of each stack */
    LLM_POS_SINUSOIDAL /* Vaswani et al.: fixed, no parameters */
} llm_pos_kind;

typedef enum llm_norm_kind {
    LLM_NORM_LAYERNORM = 0, /* weight (+ bias when norm_bias) */
    LLM_NORM_RMSNORM        /* weight only */
} llm_norm_kind;

typedef enum llm_attn_kind {
    LLM_ATTN_MHA = 0, /* multi-head / grouped-query / multi-query, by kv_heads */
    LLM_ATTN_MLA      /* DeepSeek multi-head latent attention */
} llm_attn_kind;

typedef struct llm_model {
    llm_arch arch;
    uint64_t layers;         /* decoder layers (the only stack of a decoder-only model) */
    uint64_t encoder_layers; /* encoder-decoder only */
    uint64_t hidden;         /* residual width d_model */
    uint64_t heads;          /* attention (query) heads */
    uint64_t kv_heads;       /* 0 = heads (MHA); 1 = MQA; otherwise GQA */
    uint64_t head_dim;       /* 0 = hidden / heads (must divide) */
    uint64_t ffn;            /* intermediate size of a dense MLP */
    llm_ffn_kind ffn_kind;
    uint64_t vocab;
    bool tied_embeddings; /* LM head shares the token embedding */

    llm_pos_kind pos;
    uint64_t pos_rows;    /* learned: rows of the table, including pos_offset */
    uint64_t pos_offset;  /* learned: OPT keeps 2 extra rows (informational) */
    uint64_t rel_buckets; /* relative: buckets per head */
    uint64_t max_seq;     /* context length the model was trained for (0 = unknown) */

    llm_norm_kind norm;
    bool norm_bias;            /* LayerNorm with bias */
    uint32_t norms_per_layer;  /* decoder-only: per layer (2 usual, 4 Gemma-2/3, 1 Falcon-7B);
                                  enc-dec: per encoder layer; decoder layers get one more
                                  (for cross-attention) */
    bool final_norm;           /* one after the last layer (per stack for enc-dec) */
    bool embedding_norm;       /* BLOOM: LayerNorm after the embedding */

    bool qkv_bias;      /* biases on q, k, v projections */
    bool attn_out_bias; /* bias on the attention output projection */
    bool mlp_bias;      /* biases on MLP (and expert) matrices */
    bool router_bias;   /* MoE router bias (DeepSeek-V3 score correction, gpt-oss) */
    bool qk_norm;       /* per-head q and k norms of size head_dim (Gemma-3, Qwen3) */
    bool attn_sinks;    /* one learned sink logit per head (gpt-oss) */
    bool parallel_block; /* attention and MLP in parallel from one input (GPT-J, Falcon) */

    /* Mixture of experts (experts == 0: dense). */
    uint64_t experts;        /* routed experts per MoE layer */
    uint64_t active_experts; /* routed experts used per token */
    uint64_t expert_ffn;     /* width of one expert (0 = ffn) */
    uint64_t shared_experts; /* always-on experts, each of width expert_ffn */
    uint64_t dense_layers;   /* leading layers with a dense MLP of width ffn (DeepSeek) */

    /* Multi-head latent attention (attn == LLM_ATTN_MLA). */
    llm_attn_kind attn;
    uint64_t q_lora_rank;  /* 0 = q projected directly */
    uint64_t kv_lora_rank;
    uint64_t qk_nope_dim;
    uint64_t qk_rope_dim;
    uint64_t v_head_dim;

    /* Sliding-window attention (window == 0: none). */
    uint64_t window;
    uint32_t window_pattern; /* 0: every layer slides; N: in each group of N layers
                                the last is global (Gemma-2: 2, Gemma-3: 6) */
} llm_model;

/* The breakdown of trainable parameters.  Tied weights are counted once (in
 * `embedding`; lm_head is then 0). */
typedef struct llm_params {
    uint64_t embedding;  /* token table V x h */
    uint64_t positions;  /* learned table or relative buckets */
    uint64_t attention;  /* all attention projections, their biases, q/k norms, sinks */
    uint64_t mlp;        /* dense MLPs and shared experts */
    uint64_t experts;    /* routed experts (all of them) */
    uint64_t router;
    uint64_t norms;      /* every norm, including final and embedding norms */
    uint64_t lm_head;    /* 0 when tied */
    uint64_t encoder;    /* enc-dec: parameters in the encoder stack (incl. its norms) */
    uint64_t decoder;    /* enc-dec: parameters in the decoder stack */
    uint64_t total;
    uint64_t active;         /* per token: total minus the unselected routed experts */
    uint64_t non_embedding;  /* total - embedding - positions - lm_head (Kaplan's N) */
    uint64_t active_non_embedding;
    uint64_t per_layer;      /* one typical (MoE if any) decoder layer, all experts */
} llm_params;

/* Default values filled in: kv_heads, head_dim, expert_ffn, MLA dims.
 * Does not validate. */
void llm_model_resolve(llm_model *m);

/* Effective head dimension / kv heads after defaults (model need not be resolved). */
uint64_t llm_model_head_dim(const llm_model *m);
uint64_t llm_model_kv_heads(const llm_model *m);
/* Number of decoder layers that use the sliding window. */
uint64_t llm_model_window_layers(const llm_model *m);

/* Checks the shape: zero sizes, heads not dividing hidden without an explicit
 * head_dim, kv_heads not dividing heads, active experts above experts, counts
 * that overflow 64 bits.  The message names the field and the rule. */
llm_code llm_model_validate(const llm_model *m, llm_error *err);

/* Exact parameter count.  Validates first; returns LLM_ERR_OVERFLOW rather
 * than a wrapped number.  Pure: no allocation, no I/O.  On an error *out is
 * unspecified. */
llm_code llm_params_count(const llm_model *m, llm_params *out, llm_error *err);

/* Names for enum values, as used in YAML presets and the command line. */
const char *llm_arch_name(llm_arch v);
const char *llm_ffn_kind_name(llm_ffn_kind v);
const char *llm_pos_kind_name(llm_pos_kind v);
const char *llm_norm_kind_name(llm_norm_kind v);
const char *llm_attn_kind_name(llm_attn_kind v);
/* Parse those names; return false on an unknown name. */
bool llm_arch_parse(const char *s, llm_arch *out);
bool llm_ffn_kind_parse(const char *s, llm_ffn_kind *out);
bool llm_pos_kind_parse(const char *s, llm_pos_kind *out);
bool llm_norm_kind_parse(const char *s, llm_norm_kind *out);
bool llm_attn_kind_parse(const char *s, llm_attn_kind *out);

#ifdef __cplusplus
}
#endif
#endif
