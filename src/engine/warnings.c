/* The text of the estimate's warnings (llm_estimate.warnings bits). */
#include "llmem/estimate.h"

const char *llm_warning_text(unsigned bit)
{
    switch (bit) {
    case LLM_WARN_SEQ_ABOVE_CONTEXT:
        return "sequence length above the model's trained context (max_seq)";
    case LLM_WARN_NF4_TRAINING:
        return "full training on 4-bit weights: quantised weights are not trained "
               "(use mode=qlora or 16-bit weights)";
    case LLM_WARN_SATURATED:
        return "memory above 2^53 bytes (8 PiB): byte figures are no longer exact";
    case LLM_WARN_PEAK_UNKNOWN:
        return "peak FLOP/s not published for this GPU: training time and prefill "
               "unknown, decode from memory bandwidth only";
    case LLM_WARN_BANDWIDTH_UNKNOWN:
        return "memory bandwidth not published for this GPU: decode unknown";
    default:
        return NULL;
    }
}
