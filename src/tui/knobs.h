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

/* In display order (the settings panel lists them so, under group headings). */
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
    LLMEM_K_TOKENS,     /* training token budget (0 = 20 per parameter) */
    LLMEM_K_GEN_TOKENS, /* inference: tokens generated */
    LLMEM_K_WEIGHTS,
    LLMEM_K_ACT,
    LLMEM_K_KV,
    /* the GPU and the parallel layout */
    LLMEM_K_GPU,
    LLMEM_K_GPUS,
    LLMEM_K_TP,
    LLMEM_K_SP,  /* sequence parallelism on/off */
    LLMEM_K_PP,
    LLMEM_K_VPP, /* interleaved pipeline chunks per GPU */
    LLMEM_K_DP,
    LLMEM_K_EP,
    LLMEM_K_ZERO,
    LLMEM_K_OFFLOAD,
    LLMEM_K_MFU,
    /* training techniques */
    LLMEM_K_OPTIMIZER,
    LLMEM_K_RECOMPUTE,
    LLMEM_K_FLASH,
    LLMEM_K_LORA_RANK,
    LLMEM_K_SPARSITY,       /* percent of weights pruned */
    LLMEM_K_SPARSE_STORAGE, /* dense 2:4 csr */
    LLMEM_K_TEACHER,        /* distillation teacher (a preset id) */
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

/* Whether the knob can be used with this build's settings vocabulary (the
 * teacher needs the `teacher` setting key). */
bool llmem_knob_available(int id);

/* Whether two shapes are the same model (a head_dim written out as hidden /
 * heads counts as the default). */
bool llmem_shape_equal(const llm_model *x, const llm_model *y);

/* Helpers, exposed for tests. */
size_t llmem_divisors(uint64_t n, uint64_t max, uint64_t *out, size_t cap);
/* Makes dependent shape values consistent after `changed` moved.  The rule:
 * only a value inside the model shape that the user would expect to follow
 * does so -- KV heads follow heads (MHA stays MHA; a GQA group count that no
 * longer divides the heads becomes the largest divisor not above it), and
 * active experts stay within experts (0 experts = dense, no active ones).
 * The parallel layout (tp, pp, vpp, ep, dp) NEVER follows a shape change:
 * a layout the new shape cannot use stays as the user set it and the
 * explorer marks the combination impossible, with the engine's reason, until
 * the shape or the layout changes again.  The explorer says on the status
 * line whenever a value other than the moved one changed. */
void llmem_knob_snap(llm_config *c, int changed, uint64_t old_value);

#endif
