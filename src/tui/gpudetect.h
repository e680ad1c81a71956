/* The machine's own GPUs, from nvidia-smi when it is on PATH.  Never
 * required and never slow: the child is killed after a time limit, and a
 * missing nvidia-smi is not an error. */
#ifndef LLMEM_TUI_GPUDETECT_H
#define LLMEM_TUI_GPUDETECT_H

#include <stdbool.h>

#include "llmem/presets.h"

typedef struct llmem_machine {
    int count;          /* GPUs with the first GPU's name */
    char name[96];      /* as nvidia-smi says: "NVIDIA H100 80GB HBM3" */
    double memory_mib;  /* memory.total of the first GPU */
    const llm_gpu *match; /* best registry match, NULL when none */
} llmem_machine;

/* Runs `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader`.
 * Returns false (out->count = 0) when it is absent, fails, prints nothing
 * usable or runs past timeout_ms. */
bool llmem_detect_gpus(const llm_registry *r, int timeout_ms, llmem_machine *out);

/* Parses nvidia-smi's CSV output (exposed for tests). */
bool llmem_parse_nvidia_smi(const char *text, const llm_registry *r, llmem_machine *out);

#endif
