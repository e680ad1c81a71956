/* llmem — value types for the precision (dtype) and accelerator catalogues.
 *
 * The facts themselves live in presets/precisions.yaml and presets/gpus.yaml
 * (loaded by the io layer, see llmem/presets.h); the engine only sees these
 * plain values.
 */
#ifndef LLMEM_CATALOG_H
#define LLMEM_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LLM_ID_MAX 48
#define LLM_NAME_MAX 96

/* A storage/compute format.  `bytes` is what one element costs in memory,
 * including group-scale overhead: bits/8 + scale_bytes/group. */
typedef struct llm_dtype {
    char name[LLM_ID_MAX]; /* "bf16", "int4-g128", "q4_k_m" */
    double bytes;          /* per element, scales included */
    double bits;           /* nominal bits of one value (4 for int4) */
    uint32_t group;        /* quantisation group size; 0 = no grouped scales */
    double scale_bytes;    /* bytes of scale (+ zero point) per group */
    bool is_float;         /* fp32/tf32/fp16/bf16/fp8: usable for compute */
} llm_dtype;

/* An accelerator.  Capacity is what a fit is checked against. */
typedef struct llm_gpu {
    char id[LLM_ID_MAX];     /* "h100-80gb" */
    char name[LLM_NAME_MAX]; /* "H100 SXM5 80GB" */
    double memory_bytes;     /* capacity used for fits (see presets/gpus.yaml) */
    double bandwidth;        /* bytes/s, vendor peak */
    double flops_16;         /* dense bf16/fp16 tensor FLOP/s; 0 = not published */
    double flops_8;          /* dense fp8 FLOP/s; 0 = not supported */
    double flops_32;         /* fp32 (or tf32 tensor) FLOP/s; 0 = not published */
} llm_gpu;

/* A dtype with just a name and a byte size (no groups). */
llm_dtype llm_dtype_make(const char *name, double bytes, bool is_float);

#ifdef __cplusplus
}
#endif
#endif
