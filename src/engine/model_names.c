/* Names of the model-shape enums, as written in presets and on the command line. */
#include "engine/names.h"
#include "llmem/model.h"

static const llm_name_entry arch_names[] = {
    {LLM_ARCH_DECODER, "decoder"},
    {LLM_ARCH_ENCODER_DECODER, "encoder-decoder"},
};
static const llm_name_entry ffn_names[] = {
    {LLM_FFN_MLP, "mlp"},
    {LLM_FFN_GATED, "gated"},
};
static const llm_name_entry pos_names[] = {
    {LLM_POS_NONE, "none"},         {LLM_POS_LEARNED, "learned"},
    {LLM_POS_ROTARY, "rotary"},     {LLM_POS_ALIBI, "alibi"},
    {LLM_POS_RELATIVE, "relative"}, {LLM_POS_SINUSOIDAL, "sinusoidal"},
};
static const llm_name_entry norm_names[] = {
    {LLM_NORM_LAYERNORM, "layernorm"},
    {LLM_NORM_RMSNORM, "rmsnorm"},
};
static const llm_name_entry attn_names[] = {
    {LLM_ATTN_MHA, "mha"},
    {LLM_ATTN_MLA, "mla"},
};

LLM_NAMES(llm_arch, llm_arch, arch_names)
LLM_NAMES(llm_ffn_kind, llm_ffn_kind, ffn_names)
LLM_NAMES(llm_pos_kind, llm_pos_kind, pos_names)
LLM_NAMES(llm_norm_kind, llm_norm_kind, norm_names)
LLM_NAMES(llm_attn_kind, llm_attn_kind, attn_names)
