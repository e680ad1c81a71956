/* config.json key mapping, one function per model_type.
 *
 * Each supported model_type is read with its own key names and the defaults of
 * its transformers configuration class (configuration_<family>.py; DeepSeek:
 * the configuration_deepseek.py shipped with the checkpoints, which the
 * config.json files were written against), and the shape follows the modules
 * its modelling code builds (modeling_<family>.py).  The comment above each
 * mapper names the defaults it uses and the modules it counts.
 *
 * Keys that size the model (vocabulary, width, layers, heads) are required:
 * save_pretrained() always writes them, and the class defaults (BLOOM's are
 * hidden 64 and 2 layers) would silently give a toy model.  Every other key
 * takes the family default when absent or null, as transformers does (a
 * sliding_window of null means no window).
 */
#include <stdio.h>
#include <string.h>

#include "io/hf_internal.h"
#include "io/hf_read.h"

#define ULL(x) ((unsigned long long)(x))

/* A size key the model cannot do without.  In a nested sub-config (a
 * composite model's text_config) transformers writes only the values that
 * differ from the sub-config class, so there the mapper's pre-filled class
 * default stands in for an absent key. */
static llm_code core_size(hf_ctx *c, const char *names, uint64_t *out)
{
    if (c->nested && *out) return llm_hf_size_opt(c, names, 1, out, NULL);
    return llm_hf_size_req(c, names, out);
}

/* vocab, width, layers and heads under the family's key names. */
static llm_code core_sizes(hf_ctx *c, llm_model *m, const char *vocab, const char *hidden,
                           const char *layers, const char *heads)
{
    HF_TRY(core_size(c, vocab, &m->vocab));
    HF_TRY(core_size(c, hidden, &m->hidden));
    HF_TRY(core_size(c, layers, &m->layers));
    HF_TRY(core_size(c, heads, &m->heads));
    return LLM_OK;
}

/* Sliding window size: absent = the family default, null = none. */
static llm_code window_opt(hf_ctx *c, const char *names, uint64_t def, llm_model *m)
{
    hf_field f = llm_hf_field(c, names);
    uint64_t w = f.val ? 0 : def;
    HF_TRY(llm_hf_size_opt(c, names, 1, &w, NULL));
    m->window = w;
    return LLM_OK;
}

/* Newer configs list each layer's attention ("sliding_attention" or
 * "full_attention"), which overrides the family's pattern.  The engine's
 * pattern N makes the last layer of each group of N global; any other layout
 * is noted and every layer taken as global (the larger KV cache). */
static llm_code apply_layer_types(hf_ctx *c, llm_model *m)
{
    hf_field f = llm_hf_field(c, "layer_types");
    if (!llm_hf_present(&f)) return LLM_OK;
    if (llm_hf_kind(f.val) != HF_ARRAY)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA, "layer_types must be an array, got %s",
                           llm_hf_kind_name(llm_hf_kind(f.val)));
    size_t n = f.val->count;
    if (n != m->layers)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA,
                           "layer_types lists %zu layers, the model has %llu", n, ULL(m->layers));
    size_t first_full = 0, globals = 0;
    for (size_t i = 0; i < n; i++) {
        const llm_ynode *e = f.val->items[i];
        if (llm_hf_kind(e) != HF_STRING)
            return llm_hf_fail(c, e, LLM_ERR_SCHEMA, "layer_types[%zu] must be a string, got %s", i,
                               llm_hf_kind_name(llm_hf_kind(e)));
        bool full = strcmp(e->text, "sliding_attention") != 0;
        if (full && globals++ == 0) first_full = i + 1;
    }
    if (!m->window) return LLM_OK; /* no window size: every layer is global */
    if (globals == 0) {
        m->window_pattern = 0;
        return LLM_OK;
    }
    size_t period = first_full;
    bool regular = true;
    for (size_t i = 0; i < n && regular; i++) {
        const llm_ynode *e = f.val->items[i];
        bool full = strcmp(e->text, "sliding_attention") != 0;
        regular = full == ((i + 1) % period == 0);
    }
    if (!regular) {
        llm_hf_note(c,
                    "layer_types: %zu of %zu layers global in a pattern llmem cannot express; "
                    "every layer is treated as global (KV cache overestimated).",
                    globals, n);
        m->window = 0;
        m->window_pattern = 0;
        return LLM_OK;
    }
    if (period == 1) m->window = 0; /* all global */
    m->window_pattern = period == 1 ? 0 : (uint32_t)period;
    return LLM_OK;
}

/* ---- Llama-like decoders --------------------------------------------------- */

/* Defaults of the size keys a Llama-like configuration class declares. */
typedef struct llama_defaults {
    uint64_t ffn, kv_heads /* 0 = heads */, head_dim /* 0 = hidden/heads */, max_pos;
    bool tied;
} llama_defaults;

/* The keys every Llama-like config shares (LlamaConfig and its descendants):
 * RMSNorm before attention and MLP plus a final one, RoPE, gated MLP
 * (gate/up/down), untied unless tie_word_embeddings. */
static llm_code llama_like(hf_ctx *c, const llama_defaults *d, llm_model *m)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(
        core_sizes(c, m, "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads"));
    m->ffn = d->ffn;
    HF_TRY(llm_hf_size_opt(c, "intermediate_size", 1, &m->ffn, NULL));
    uint64_t kv = d->kv_heads;
    HF_TRY(llm_hf_size_opt(c, "num_key_value_heads", 1, &kv, NULL));
    m->kv_heads = kv ? kv : m->heads;
    m->head_dim = d->head_dim;
    HF_TRY(llm_hf_size_opt(c, "head_dim", 1, &m->head_dim, NULL));
    m->max_seq = d->max_pos;
    HF_TRY(llm_hf_size_opt(c, "max_position_embeddings", 0, &m->max_seq, NULL));
    m->tied_embeddings = d->tied;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    m->ffn_kind = LLM_FFN_GATED;
    m->norm = LLM_NORM_RMSNORM;
    m->norms_per_layer = 2;
    m->final_norm = true;
    m->pos = LLM_POS_ROTARY;
    return LLM_OK;
}

/* attention_bias puts biases on q, k, v and o (Llama, Gemma). */
static llm_code attention_bias(hf_ctx *c, llm_model *m)
{
    bool b = false;
    HF_TRY(llm_hf_bool_opt(c, "attention_bias", &b));
    m->qkv_bias = m->attn_out_bias = b;
    return LLM_OK;
}

/* LlamaConfig: vocab 32000, intermediate 11008, kv = heads, head_dim =
 * hidden/heads, max_position_embeddings 2048, untied; attention_bias (q, k, v,
 * o) and mlp_bias (gate, up, down) default false. */
static llm_code map_llama(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {11008, 0, 0, 2048, false};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(attention_bias(c, m));
    HF_TRY(llm_hf_bool_opt(c, "mlp_bias", &m->mlp_bias));
    return LLM_OK;
}

/* MistralConfig: intermediate 14336, 8 kv heads, max 4096 x 32, untied,
 * sliding_window 4096 on every layer (null in later releases: none). */
static llm_code map_mistral(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {14336, 8, 0, 4096 * 32, false};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(window_opt(c, "sliding_window", 4096, m));
    return apply_layer_types(c, m);
}

/* MixtralConfig: as Mistral but sliding_window None; num_local_experts 8,
 * num_experts_per_tok 2, each expert an intermediate_size SwiGLU MLP, router
 * hidden x experts without bias. */
static llm_code map_mixtral(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {14336, 8, 0, 4096 * 32, false};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(window_opt(c, "sliding_window", 0, m));
    m->experts = 8;
    m->active_experts = 2;
    HF_TRY(llm_hf_size_opt(c, "num_local_experts", 1, &m->experts, NULL));
    HF_TRY(llm_hf_size_opt(c, "num_experts_per_tok", 1, &m->active_experts, NULL));
    m->expert_ffn = m->ffn;
    return apply_layer_types(c, m);
}

/* Qwen2Config: vocab 151936, intermediate 22016, kv 32, max 32768, untied;
 * q, k, v projections with bias, o without (modeling_qwen2).  The window
 * applies only with use_sliding_window, to layers >= max_window_layers. */
static llm_code map_qwen2(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {22016, 32, 0, 32768, false};
    HF_TRY(llama_like(c, &d, m));
    m->qkv_bias = true;
    bool use = false;
    HF_TRY(llm_hf_bool_opt(c, "use_sliding_window", &use));
    if (use) {
        uint64_t w = 4096, from = 28;
        HF_TRY(llm_hf_size_opt(c, "sliding_window", 1, &w, NULL));
        HF_TRY(llm_hf_size_opt(c, "max_window_layers", 0, &from, NULL));
        if (from == 0) {
            m->window = w;
        } else if (from < m->layers) {
            llm_hf_note(
                c,
                "Sliding window on layers %llu.. only (max_window_layers): not expressible, "
                "every layer treated as global.",
                ULL(from));
        }
    }
    return apply_layer_types(c, m);
}

/* GemmaConfig: vocab 256000, intermediate 24576, kv 16, head_dim 256 (explicit,
 * 7B's q_proj is 3072 -> 4096), max 8192, tied; GeGLU (gated). */
static llm_code map_gemma(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {24576, 16, 256, 8192, true};
    HF_TRY(llama_like(c, &d, m));
    return attention_bias(c, m);
}

/* Gemma2Config: intermediate 9216, kv 4, head_dim 256, max 8192, tied; four
 * RMSNorms per layer (input, post_attention, pre_feedforward,
 * post_feedforward); sliding_window 4096 on every other layer (layer 0
 * slides, layer 1 is global). */
static llm_code map_gemma2(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {9216, 4, 256, 8192, true};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(attention_bias(c, m));
    m->norms_per_layer = 4;
    HF_TRY(window_opt(c, "sliding_window", 4096, m));
    if (m->window) m->window_pattern = 2;
    return apply_layer_types(c, m);
}

/* Gemma3TextConfig: hidden 2304, 26 layers, 8 heads, vocab 262208,
 * intermediate 9216, kv 4, head_dim 256, max 131072, tied; four norms per
 * layer plus q_norm and k_norm (head_dim each); sliding_window 4096 with
 * sliding_window_pattern 6 (five local layers, then a global one). */
static llm_code map_gemma3_text(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {9216, 4, 256, 131072, true};
    m->vocab = 262208; /* class defaults, used in a gemma3 text_config only */
    m->hidden = 2304;
    m->layers = 26;
    m->heads = 8;
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(attention_bias(c, m));
    m->norms_per_layer = 4;
    m->qk_norm = true;
    HF_TRY(window_opt(c, "sliding_window", 4096, m));
    uint64_t pattern = 6;
    HF_TRY(llm_hf_size_opt(c, "sliding_window_pattern|_sliding_window_pattern", 1, &pattern, NULL));
    if (pattern > m->layers) pattern = m->layers;
    if (m->window) m->window_pattern = pattern == 1 ? 0 : (uint32_t)pattern;
    if (m->window && pattern == 1) m->window = 0;
    return apply_layer_types(c, m);
}

/* Phi3Config: vocab 32064, intermediate 8192, kv = heads, max 4096, untied;
 * fused qkv_proj and gate_up_proj without biases (same counts as separate
 * projections); sliding_window None unless given, then on every layer. */
static llm_code map_phi3(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {8192, 0, 0, 4096, false};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(window_opt(c, "sliding_window", 0, m));
    return apply_layer_types(c, m);
}

/* Unknown model_type with all the generic keys: a Llama-like reading. */
llm_code llm_hf_map_generic(hf_ctx *c, llm_model *m)
{
    static const llama_defaults d = {0, 0, 0, 0, false};
    HF_TRY(llama_like(c, &d, m));
    HF_TRY(llm_hf_size_req(c, "intermediate_size", &m->ffn));
    HF_TRY(attention_bias(c, m));
    HF_TRY(llm_hf_bool_opt(c, "mlp_bias", &m->mlp_bias));
    llm_hf_note(c,
                "Unknown model_type: imported generically as a Llama-like decoder (RMSNorm, RoPE, "
                "gated MLP, 2 norms per layer); check the count against the model card.");
    return LLM_OK;
}

/* ---- Other decoders --------------------------------------------------------- */

/* GPT2Config: n_embd, n_layer, n_head, n_positions 1024, n_inner None ->
 * 4 x n_embd; tied.  modeling_gpt2: Conv1D c_attn (h -> 3h) and c_proj with
 * biases, MLP c_fc/c_proj with biases, LayerNorms with bias, learned wpe. */
static llm_code map_gpt2(hf_ctx *c, llm_model *m)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(core_sizes(c, m, "vocab_size", "n_embd|hidden_size", "n_layer|num_hidden_layers",
                      "n_head|num_attention_heads"));
    m->ffn = 4 * m->hidden;
    HF_TRY(llm_hf_size_opt(c, "n_inner", 1, &m->ffn, NULL));
    uint64_t npos = 1024;
    HF_TRY(llm_hf_size_opt(c, "n_positions|max_position_embeddings", 1, &npos, NULL));
    m->pos = LLM_POS_LEARNED;
    m->pos_rows = m->max_seq = npos;
    m->tied_embeddings = true;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    bool cross = false;
    HF_TRY(llm_hf_bool_opt(c, "add_cross_attention", &cross));
    if (cross) {
        hf_field f = llm_hf_field(c, "add_cross_attention");
        return llm_hf_fail(c, f.key, LLM_ERR_INVALID,
                           "add_cross_attention (GPT-2 as a decoder with cross-attention) is not "
                           "supported");
    }
    m->ffn_kind = LLM_FFN_MLP;
    m->norm = LLM_NORM_LAYERNORM;
    m->norm_bias = true;
    m->norms_per_layer = 2;
    m->final_norm = true;
    m->qkv_bias = m->attn_out_bias = m->mlp_bias = true;
    return LLM_OK;
}

/* OPTConfig: hidden_size 768, ffn_dim 3072, max_position_embeddings 2048,
 * do_layer_norm_before true, word_embed_proj_dim None (= hidden),
 * enable_bias true, layer_norm_elementwise_affine true, tied.
 * modeling_opt: OPTLearnedPositionalEmbedding keeps max_position_embeddings + 2
 * rows (offset 2); q, k, v, out_proj and fc1/fc2 with enable_bias; two
 * LayerNorms per layer; the final one only when do_layer_norm_before (and not
 * _remove_final_layer_norm).  A word_embed_proj_dim other than the width adds
 * project_in/project_out matrices, which llmem cannot express. */
static llm_code map_opt(hf_ctx *c, llm_model *m)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(core_sizes(c, m, "vocab_size", "hidden_size|d_model", "num_hidden_layers",
                      "num_attention_heads"));
    m->ffn = 3072;
    HF_TRY(llm_hf_size_opt(c, "ffn_dim", 1, &m->ffn, NULL));
    uint64_t maxpos = 2048;
    HF_TRY(llm_hf_size_opt(c, "max_position_embeddings", 1, &maxpos, NULL));
    uint64_t proj = m->hidden;
    HF_TRY(llm_hf_size_opt(c, "word_embed_proj_dim", 1, &proj, NULL));
    if (proj != m->hidden) {
        hf_field f = llm_hf_field(c, "word_embed_proj_dim");
        return llm_hf_fail(c, f.key, LLM_ERR_INVALID,
                           "word_embed_proj_dim %llu differs from hidden_size %llu: OPT's "
                           "project_in/project_out matrices cannot be expressed",
                           ULL(proj), ULL(m->hidden));
    }
    bool before = true, remove_final = false, bias = true, affine = true;
    HF_TRY(llm_hf_bool_opt(c, "do_layer_norm_before", &before));
    HF_TRY(llm_hf_bool_opt(c, "_remove_final_layer_norm", &remove_final));
    HF_TRY(llm_hf_bool_opt(c, "enable_bias", &bias));
    HF_TRY(llm_hf_bool_opt(c, "layer_norm_elementwise_affine", &affine));
    m->tied_embeddings = true;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    m->pos = LLM_POS_LEARNED;
    m->pos_offset = 2;
    m->pos_rows = maxpos + 2;
    m->max_seq = maxpos;
    m->ffn_kind = LLM_FFN_MLP;
    m->norm = LLM_NORM_LAYERNORM;
    m->norm_bias = true;
    m->norms_per_layer = affine ? 2 : 0; /* LayerNorm without affine has no parameters */
    m->final_norm = affine && before && !remove_final;
    m->qkv_bias = m->attn_out_bias = m->mlp_bias = bias;
    if (!before)
        llm_hf_note(c, "Post-LayerNorm layout (do_layer_norm_before false): no final norm.");
    return LLM_OK;
}

/* BloomConfig: hidden_size (n_embed), n_layer, n_head (num_attention_heads),
 * vocab 250880, tied.  modeling_bloom: word_embeddings_layernorm after the
 * embedding, fused query_key_value (h -> 3h) and dense with biases, MLP
 * h -> 4h -> h with biases (always 4h), LayerNorms with bias, ALiBi.  BLOOM
 * has no max_position_embeddings; seq_length, when present, is its training
 * context. */
static llm_code map_bloom(hf_ctx *c, llm_model *m)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(core_sizes(c, m, "vocab_size", "hidden_size|n_embed", "n_layer|num_hidden_layers",
                      "n_head|num_attention_heads"));
    m->ffn = 4 * m->hidden;
    HF_TRY(llm_hf_size_opt(c, "seq_length", 0, &m->max_seq, NULL));
    m->tied_embeddings = true;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    m->pos = LLM_POS_ALIBI;
    m->ffn_kind = LLM_FFN_MLP;
    m->norm = LLM_NORM_LAYERNORM;
    m->norm_bias = true;
    m->norms_per_layer = 2;
    m->final_norm = true;
    m->embedding_norm = true;
    m->qkv_bias = m->attn_out_bias = m->mlp_bias = true;
    return LLM_OK;
}

/* FalconConfig: vocab 65024, hidden 4544, 32 layers, 71 heads, num_kv_heads
 * None (= heads), new_decoder_architecture false, multi_query true,
 * parallel_attn true, bias false, alibi false, ffn_hidden_size None (4h),
 * max_position_embeddings 2048, tied.  modeling_falcon: fused query_key_value
 * of (heads + 2 kv) x head_dim where kv = num_kv_heads (new architecture), 1
 * (multi_query) or heads; dense h -> h; MLP h -> ffn -> h; biases all from
 * `bias`.  LayerNorms per layer: 2 when sequential (not parallel_attn), else
 * num_ln_in_parallel_attn (1, or 2 by default in the new architecture). */
static llm_code map_falcon(hf_ctx *c, llm_model *m)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(core_sizes(c, m, "vocab_size", "hidden_size|n_embed", "num_hidden_layers|n_layer",
                      "num_attention_heads|n_head"));
    bool new_arch = false, mq = true, parallel = true, bias = false, alibi = false;
    /* The original Falcon-40B code (model_type RefinedWeb) always built the
     * new architecture; RefinedWebModel (7B) the old one. */
    const char *type = "falcon";
    HF_TRY(llm_hf_str_opt(c, "model_type", &type, NULL));
    if (strcmp(type, "RefinedWeb") == 0) new_arch = true;
    HF_TRY(llm_hf_bool_opt(c, "new_decoder_architecture", &new_arch));
    HF_TRY(llm_hf_bool_opt(c, "multi_query", &mq));
    HF_TRY(llm_hf_bool_opt(c, "parallel_attn", &parallel));
    HF_TRY(llm_hf_bool_opt(c, "bias", &bias));
    HF_TRY(llm_hf_bool_opt(c, "alibi", &alibi));
    uint64_t kv = m->heads, nln = 0;
    HF_TRY(llm_hf_size_opt(c, "num_kv_heads|n_head_kv", 1, &kv, NULL));
    HF_TRY(llm_hf_size_opt(c, "num_ln_in_parallel_attn", 1, &nln, NULL));
    if (nln > 2) {
        hf_field f = llm_hf_field(c, "num_ln_in_parallel_attn");
        return llm_hf_fail(c, f.key, LLM_ERR_RANGE,
                           "num_ln_in_parallel_attn must be 1 or 2 (got %llu)", ULL(nln));
    }
    m->ffn = 4 * m->hidden;
    HF_TRY(llm_hf_size_opt(c, "ffn_hidden_size", 1, &m->ffn, NULL));
    m->max_seq = 2048;
    HF_TRY(llm_hf_size_opt(c, "max_position_embeddings", 0, &m->max_seq, NULL));
    m->tied_embeddings = true;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    /* As FalconDecoderLayer.__init__ builds them. */
    if (new_arch && nln == 0) nln = 2;
    m->norms_per_layer = !parallel || nln == 2 ? 2u : 1u;
    m->kv_heads = new_arch ? kv : mq ? 1 : m->heads;
    m->parallel_block = new_arch || parallel;
    m->pos = alibi ? LLM_POS_ALIBI : LLM_POS_ROTARY;
    m->ffn_kind = LLM_FFN_MLP;
    m->norm = LLM_NORM_LAYERNORM;
    m->norm_bias = true;
    m->final_norm = true;
    m->qkv_bias = m->attn_out_bias = m->mlp_bias = bias;
    return LLM_OK;
}

/* DeepSeek-V2/V3 (configuration_deepseek.py shipped with the checkpoints;
 * transformers' DeepseekV3Config has the same V3 defaults).
 *   V2: vocab 102400, intermediate 11008, moe_intermediate_size 1407,
 *       n_routed_experts None (dense), n_shared_experts None, q_lora_rank
 *       1536, kv_lora_rank 512, qk_rope 64, v_head 128, qk_nope 128,
 *       first_k_dense_replace 0, moe_layer_freq 1, max 2048, untied.
 *   V3: vocab 129280, intermediate 18432, moe_intermediate_size 2048, 256
 *       routed + 1 shared experts, 8 per token, first_k_dense_replace 3, max
 *       4096, topk_method noaux_tc.
 * modeling_deepseek: MLA attention (q_a_proj/q_a_layernorm/q_b_proj, or q_proj
 * when q_lora_rank is null), layers >= first_k_dense_replace (and a multiple of
 * moe_layer_freq) are MoE, shared experts are ONE MLP of n_shared x
 * moe_intermediate_size, MoEGate weight experts x hidden; with noaux_tc the
 * gate also holds e_score_correction_bias (one per expert; a parameter in
 * DeepSeek's code, a buffer in transformers' port: counted, as the checkpoint
 * stores it). */
static llm_code map_deepseek(hf_ctx *c, llm_model *m, bool v3)
{
    m->arch = LLM_ARCH_DECODER;
    HF_TRY(
        core_sizes(c, m, "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads"));
    m->ffn = v3 ? 18432 : 11008;
    HF_TRY(llm_hf_size_opt(c, "intermediate_size", 1, &m->ffn, NULL));
    uint64_t moe_ffn = v3 ? 2048 : 1407, routed = v3 ? 256 : 0, shared = v3 ? 1 : 0;
    uint64_t per_tok = v3 ? 8 : 0, first_dense = v3 ? 3 : 0, freq = 1;
    HF_TRY(llm_hf_size_opt(c, "moe_intermediate_size", 1, &moe_ffn, NULL));
    HF_TRY(llm_hf_size_opt(c, "n_routed_experts", 0, &routed, NULL));
    HF_TRY(llm_hf_size_opt(c, "n_shared_experts", 0, &shared, NULL));
    bool per_tok_given = false;
    HF_TRY(llm_hf_size_opt(c, "num_experts_per_tok", 1, &per_tok, &per_tok_given));
    HF_TRY(llm_hf_size_opt(c, "first_k_dense_replace", 0, &first_dense, NULL));
    HF_TRY(llm_hf_size_opt(c, "moe_layer_freq", 1, &freq, NULL));

    /* q_lora_rank: null means q is projected directly (V2-Lite); absent
     * means the class default 1536. */
    hf_field q = llm_hf_field(c, "q_lora_rank");
    m->q_lora_rank = 1536;
    if (q.val && llm_hf_kind(q.val) == HF_NULL)
        m->q_lora_rank = 0;
    else
        HF_TRY(llm_hf_size_opt(c, "q_lora_rank", 1, &m->q_lora_rank, NULL));
    m->kv_lora_rank = 512;
    m->qk_rope_dim = 64;
    m->v_head_dim = 128;
    m->qk_nope_dim = 128;
    HF_TRY(llm_hf_size_opt(c, "kv_lora_rank", 1, &m->kv_lora_rank, NULL));
    HF_TRY(llm_hf_size_opt(c, "qk_rope_head_dim", 0, &m->qk_rope_dim, NULL));
    HF_TRY(llm_hf_size_opt(c, "v_head_dim", 1, &m->v_head_dim, NULL));
    HF_TRY(llm_hf_size_opt(c, "qk_nope_head_dim", 0, &m->qk_nope_dim, NULL));

    bool bias = false;
    HF_TRY(llm_hf_bool_opt(c, "attention_bias", &bias));
    if (bias) {
        hf_field f = llm_hf_field(c, "attention_bias");
        return llm_hf_fail(
            c, f.key, LLM_ERR_INVALID,
            "attention_bias true (biases on q_a_proj and kv_a_proj_with_mqa) cannot be "
            "expressed for MLA");
    }
    m->max_seq = v3 ? 4096 : 2048;
    HF_TRY(llm_hf_size_opt(c, "max_position_embeddings", 0, &m->max_seq, NULL));
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));

    if (routed) {
        if (!per_tok_given && !v3)
            return llm_hf_fail(
                c, c->root, LLM_ERR_SCHEMA,
                "missing required key num_experts_per_tok (n_routed_experts is set)");
        if (freq != 1 && first_dense < m->layers) {
            hf_field f = llm_hf_field(c, "moe_layer_freq");
            return llm_hf_fail(c, f.key, LLM_ERR_INVALID,
                               "moe_layer_freq %llu cannot be expressed: llmem puts MoE on every "
                               "layer after the first_k_dense_replace dense ones",
                               ULL(freq));
        }
        m->experts = routed;
        m->active_experts = per_tok;
        m->expert_ffn = moe_ffn;
        m->shared_experts = shared;
        m->dense_layers = first_dense > m->layers ? m->layers : first_dense;
        const char *method = v3 ? "noaux_tc" : "greedy";
        HF_TRY(llm_hf_str_opt(c, "topk_method", &method, NULL));
        m->router_bias = strcmp(method, "noaux_tc") == 0;
    }
    uint64_t mtp = 0;
    HF_TRY(llm_hf_size_opt(c, "num_nextn_predict_layers", 0, &mtp, NULL));
    if (mtp)
        llm_hf_note(c,
                    "The %llu multi-token-prediction layer(s) (num_nextn_predict_layers) are not "
                    "counted: transformers does not build them, the checkpoint stores them.",
                    ULL(mtp));
    m->attn = LLM_ATTN_MLA;
    m->kv_heads = m->heads; /* num_key_value_heads is unused by MLA */
    m->ffn_kind = LLM_FFN_GATED;
    m->norm = LLM_NORM_RMSNORM;
    m->norms_per_layer = 2;
    m->final_norm = true;
    m->pos = LLM_POS_ROTARY;
    return LLM_OK;
}

static llm_code map_deepseek_v2(hf_ctx *c, llm_model *m)
{
    return map_deepseek(c, m, false);
}
static llm_code map_deepseek_v3(hf_ctx *c, llm_model *m)
{
    return map_deepseek(c, m, true);
}

/* ---- Encoder-decoder -------------------------------------------------------- */

/* T5Config: vocab 32128, d_model 512, d_kv 64, d_ff 2048, num_layers 6,
 * num_decoder_layers None (= num_layers), num_heads 8,
 * relative_attention_num_buckets 32, feed_forward_proj "relu", tied.
 * modeling_t5: q, k, v d_model -> heads x d_kv and o back, no biases;
 * DenseReluDense wi/wo, or wi_0/wi_1/wo for "gated-*" (T5 v1.1, Flan-T5);
 * T5LayerNorm scale only; a relative bias table (buckets x heads) in the first
 * layer of each stack; encoder layers 2 norms, decoder layers 3; a final norm
 * per stack; lm_head shares the embedding when tie_word_embeddings (v1.0),
 * separate otherwise (v1.1). */
static llm_code map_t5(hf_ctx *c, llm_model *m)
{
    m->arch = LLM_ARCH_ENCODER_DECODER;
    HF_TRY(core_sizes(c, m, "vocab_size", "d_model|hidden_size", "num_layers|num_hidden_layers",
                      "num_heads|num_attention_heads"));
    m->encoder_layers = m->layers;
    HF_TRY(llm_hf_size_opt(c, "num_decoder_layers", 1, &m->layers, NULL));
    m->head_dim = 64;
    m->ffn = 2048;
    m->rel_buckets = 32;
    HF_TRY(llm_hf_size_opt(c, "d_kv", 1, &m->head_dim, NULL));
    HF_TRY(llm_hf_size_opt(c, "d_ff", 1, &m->ffn, NULL));
    HF_TRY(llm_hf_size_opt(c, "relative_attention_num_buckets", 1, &m->rel_buckets, NULL));
    const char *proj = "relu";
    const llm_ynode *proj_key = NULL;
    HF_TRY(llm_hf_str_opt(c, "feed_forward_proj", &proj, &proj_key));
    const char *dash = strchr(proj, '-');
    if (dash && (strncmp(proj, "gated-", 6) != 0 || strchr(dash + 1, '-') || !dash[1]))
        return llm_hf_fail(c, proj_key, LLM_ERR_INVALID,
                           "feed_forward_proj '%.40s' must be an activation (relu, gelu, ...) or "
                           "'gated-' followed by one",
                           proj);
    m->ffn_kind = dash ? LLM_FFN_GATED : LLM_FFN_MLP;
    m->tied_embeddings = true;
    HF_TRY(llm_hf_bool_opt(c, "tie_word_embeddings", &m->tied_embeddings));
    HF_TRY(llm_hf_size_opt(c, "n_positions", 0, &m->max_seq, NULL));
    m->kv_heads = m->heads;
    m->pos = LLM_POS_RELATIVE;
    m->norm = LLM_NORM_RMSNORM;
    m->norms_per_layer = 2;
    m->final_norm = true;
    return LLM_OK;
}

/* ---- Dispatch ----------------------------------------------------------------- */

static const hf_family families[] = {
    {"gpt2", "gpt2", map_gpt2},
    {"llama", "llama", map_llama},
    {"mistral", "mistral", map_mistral},
    {"mixtral", "mixtral", map_mixtral},
    {"gemma", "gemma", map_gemma},
    {"gemma2", "gemma2", map_gemma2},
    {"gemma3_text", "gemma3_text", map_gemma3_text},
    {"qwen2", "qwen2", map_qwen2},
    {"phi3", "phi3", map_phi3},
    {"falcon", "falcon", map_falcon},
    {"opt", "opt", map_opt},
    {"bloom", "bloom", map_bloom},
    {"deepseek_v2", "deepseek_v2", map_deepseek_v2},
    {"deepseek_v3", "deepseek_v3", map_deepseek_v3},
    {"t5", "t5", map_t5},
};

#define NFAMILIES (sizeof families / sizeof families[0])

/* Model types that older checkpoints use for a supported family. */
static const struct {
    const char *alias, *type;
} aliases[] = {{"RefinedWeb", "falcon"}, {"RefinedWebModel", "falcon"}};

static const char *const generic_keys[] = {
    "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size"};

/* Gemma3ForConditionalGeneration: the Gemma-3 text model plus a SigLIP
 * vision tower and a projector (configuration_gemma3.py Gemma3Config). */
static const hf_composite composites[] = {
    {"gemma3", "text_config", "gemma3_text", "the SigLIP vision tower and the projector"},
};

const hf_composite *llm_hf_composite_find(const char *type)
{
    for (size_t i = 0; i < sizeof composites / sizeof composites[0]; i++)
        if (strcmp(type, composites[i].type) == 0) return &composites[i];
    return NULL;
}

const hf_family *llm_hf_family_find(const char *type)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(type, aliases[i].alias) == 0) type = aliases[i].type;
    for (size_t i = 0; i < NFAMILIES; i++)
        if (strcmp(type, families[i].type) == 0) return &families[i];
    return NULL;
}

size_t llm_hf_supported_types(const char **out, size_t cap)
{
    for (size_t i = 0; i < NFAMILIES && i < cap; i++)
        out[i] = families[i].type;
    return NFAMILIES;
}

bool llm_hf_has_generic_keys(hf_ctx *c)
{
    for (size_t i = 0; i < sizeof generic_keys / sizeof generic_keys[0]; i++) {
        hf_field f = llm_hf_field(c, generic_keys[i]);
        if (!llm_hf_present(&f)) return false;
    }
    return true;
}

llm_code llm_hf_unknown_type(hf_ctx *c, const llm_ynode *at, const char *type)
{
    char list[256];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < NFAMILIES; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", families[i].type);
        if (n < 0 || (size_t)n >= sizeof list - used) break;
        used += (size_t)n;
    }
    if (type)
        return llm_hf_fail(
            c, at, LLM_ERR_SCHEMA,
            "unknown model_type '%.40s'; supported: %s (other types need hidden_size, "
            "num_hidden_layers, num_attention_heads, intermediate_size, vocab_size)",
            type, list);
    return llm_hf_fail(c, at, LLM_ERR_SCHEMA,
                       "no model_type; supported: %s (or give hidden_size, num_hidden_layers, "
                       "num_attention_heads, intermediate_size, vocab_size)",
                       list);
}
