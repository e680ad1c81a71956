/* The flat list of figures shared by `estimate --format csv|md` and `sweep`:
 * one column each, in a fixed order (docs/cli.md lists them). */
#include "cli/cli_int.h"

static const char *const cols[] = {
    "params_total",       "params_active",      "memory_weights",  "memory_gradients",
    "memory_optimizer",   "memory_activations", "memory_kv_cache", "memory_overhead",
    "memory_total",       "gpus",               "flops_per_token", "train_flops",
    "train_seconds",      "prefill_tokens_per_s", "decode_tokens_per_s", "fits",
    "utilisation",        "gpus_needed",
};

size_t llmem_figure_ncols(void)
{
    return sizeof cols / sizeof cols[0];
}

const char *llmem_figure_col(size_t i)
{
    return i < llmem_figure_ncols() ? cols[i] : "";
}

void llmem_figure_cells(llmem_row *r, const llm_estimate *e, const llm_fit *fit, char sep)
{
    const llm_memory *mem = &e->per_gpu;
    llmem_row_char(r, sep);
    llmem_row_u64(r, e->params.total);
    llmem_row_char(r, sep);
    llmem_row_u64(r, e->params.active);
    const double bytes[] = {mem->weights,  mem->gradients, mem->optimizer, mem->activations,
                            mem->kv_cache, mem->overhead,  mem->total};
    for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++) {
        llmem_row_char(r, sep);
        llmem_row_whole(r, bytes[i]);
    }
    llmem_row_char(r, sep);
    llmem_row_u64(r, e->gpus);
    llmem_row_char(r, sep);
    llmem_row_num(r, e->flops_per_token);
    llmem_row_char(r, sep);
    llmem_row_num(r, e->train_flops);
    /* Times need a GPU: without one, or when the GPU's peak FLOP/s or
     * bandwidth is not published, the cells stay empty rather than 0. */
    bool peak_na = (e->warnings & LLM_WARN_PEAK_UNKNOWN) != 0;
    llmem_row_char(r, sep);
    if (fit && !(peak_na && e->train_seconds <= 0)) llmem_row_num(r, e->train_seconds);
    llmem_row_char(r, sep);
    if (fit && e->prefill_bound != LLM_BOUND_UNKNOWN && !(peak_na && e->prefill_tokens_per_s <= 0))
        llmem_row_num(r, e->prefill_tokens_per_s);
    llmem_row_char(r, sep);
    if (fit && e->decode_bound != LLM_BOUND_UNKNOWN && e->decode_tokens_per_s > 0)
        llmem_row_num(r, e->decode_tokens_per_s);
    llmem_row_char(r, sep);
    if (fit) llmem_row_str(r, fit->fits ? "true" : "false");
    llmem_row_char(r, sep);
    if (fit) llmem_row_num(r, fit->utilisation);
    llmem_row_char(r, sep);
    if (fit) llmem_row_u64(r, fit->gpus_needed);
}
