/* The knob table: one slider per setting.  Every knob moves over integers or
 * list indices computed from the current value (never an accumulated float):
 * powers of two for sequence and batch, divisors where the shape demands
 * (heads | hidden, kv_heads | heads, tp | heads, pp | layers), lists for
 * dtypes, modes and GPUs.  Values are written with llm_setting_apply, so the
 * knobs, --set and presets share one vocabulary. */
#ifndef LLMEM_TUI_KNOBS_H
#define LLMEM_TUI_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/presets.h"
#include "llmem/settings.h"

typedef enum llmem_knob_id {
    LLMEM_K_LAYERS = 0,
    LLMEM_K_HIDDEN,
    LLMEM_K_HEADS,
    LLMEM_K_KV_HEADS,
    LLMEM_K_FFN,
    LLMEM_K_VOCAB,
    LLMEM_K_EXPERTS,
    LLMEM_K_ACTIVE,
    LLMEM_K_MODE,
    LLMEM_K_SEQ,
    LLMEM_K_BATCH,
    LLMEM_K_WEIGHTS,
    LLMEM_K_ACT,
    LLMEM_K_KV,
    LLMEM_K_OPTIMIZER,
    LLMEM_K_RECOMPUTE,
    LLMEM_K_FLASH,
    LLMEM_K_LORA_RANK,
    LLMEM_K_TP,
    LLMEM_K_PP,
    LLMEM_K_DP,
    LLMEM_K_ZERO,
    LLMEM_K_GPU,
    LLMEM_K_GPUS,
    LLMEM_K_MFU,
    LLMEM_K_COUNT
} llmem_knob_id;

typedef struct llmem_knob_info {
    const char *key;   /* setting key: "seq" */
    const char *label; /* "Seq len" */
    const char *group; /* heading shown above the first knob of a group, or NULL */
} llmem_knob_info;

const llmem_knob_info *llmem_knob(int id);

/* Value as shown on the slider ("8192", "bf16", "on", "H100 80GB"). */
void llmem_knob_value_text(const llm_config *c, const llm_registry *r, int id, char *buf,
                           size_t cap);
/* Slider position 0..1 (log scale for wide count ranges). */
double llmem_knob_pos(const llm_config *c, const llm_registry *r, int id);
/* Whether the knob matters in the current mode (e.g. LoRA rank outside LoRA). */
bool llmem_knob_relevant(const llm_config *c, int id);

/* One step up (dir > 0) or down; big = a larger jump (PgUp/PgDn, Shift).
 * Dependent values snap.  Returns false when the value did not change. */
bool llmem_knob_step(llm_config *c, const llm_registry *r, int id, int dir, bool big);
/* To the minimum (dir < 0) or maximum (dir > 0). */
bool llmem_knob_extreme(llm_config *c, const llm_registry *r, int id, int dir);
/* To the value nearest a slider position 0..1 (mouse on the track). */
bool llmem_knob_set_pos(llm_config *c, const llm_registry *r, int id, double pos);
/* Typed entry: "8k", "bf16", "128k"; dependent values snap.  On error the
 * config is unchanged and err says why. */
llm_code llmem_knob_type(llm_config *c, const llm_registry *r, int id, const char *text,
                         llm_error *err);

/* Helpers, exposed for tests. */
size_t llmem_divisors(uint64_t n, uint64_t max, uint64_t *out, size_t cap);
/* Makes dependent shape values consistent after `changed` moved:
 * kv_heads divides heads, tp divides heads, pp divides layers,
 * active experts within experts. */
void llmem_knob_snap(llm_config *c, int changed, uint64_t old_value);

#endif
