/* The view model: asks the engine for everything a view shows and turns it
 * into rows, bar values and labels.  The UI never computes an estimate
 * itself: every figure here comes from llm_estimate_run, llm_fit_check,
 * llm_fit_solve or the scaling-law functions. */
#ifndef LLMEM_TUI_VM_H
#define LLMEM_TUI_VM_H

#include <stdbool.h>
#include <stddef.h>

#include "llmem/estimate.h"
#include "llmem/presets.h"
#include "llmem/settings.h"

#define LLMEM_MEM_CATS 6
#define LLMEM_VM_MAX_FITS 24

typedef struct llmem_fit_row {
    const llm_gpu *gpu;
    llm_fit fit;
    bool ok; /* the engine answered */
} llmem_fit_row;

typedef struct llmem_vm {
    bool valid;       /* the combination is possible and the engine answered */
    llm_error err;    /* why not (one line) */
    int bad_knob;     /* knob blamed by the error, -1 = none */
    llm_estimate est;
    const llm_gpu *gpu; /* the chosen GPU (NULL = none) */
    bool gpu_fit_ok;
    llm_fit gpu_fit;
    llmem_fit_row fits[LLMEM_VM_MAX_FITS];
    size_t nfits;
} llmem_vm;

/* Runs the engine for c; never fails (errors land in vm->err). */
void llmem_vm_build(llmem_vm *vm, const llm_config *c, const llm_registry *r);

/* A GPU's name short enough for a grid column: vendor and product-line
 * words ("NVIDIA", "GeForce", "AMD Instinct", "Apple") and parenthesised
 * notes dropped, the memory size kept: "NVIDIA GeForce RTX 3090 24GB" ->
 * "RTX 3090 24GB", "Apple M2 Ultra 192GB (unified memory)" -> "M2 Ultra
 * 192GB".  Whole words only: when still longer than cap - 1, the last words
 * before the memory size are dropped. */
void llmem_gpu_short_name(const char *name, char *buf, size_t cap);

/* Memory categories in display order. */
const char *llmem_mem_name(int i);  /* "Weights", ... */
int llmem_mem_role(int i);          /* LLMEM_ROLE_WEIGHTS, ... */
double llmem_mem_value(const llm_memory *m, int i);
llm_figure llmem_mem_figure(int i); /* for explain */

/* Techniques waterfall: from a naive baseline to the current setting. */
#define LLMEM_TECH_STEPS 6
typedef struct llmem_tech_step {
    const char *name;  /* "Naive fp32, 1 GPU", "Mixed precision", ... */
    const char *what;  /* the settings this step takes from the current config */
    bool ok;
    double per_gpu;    /* per-GPU total after this step */
    llm_error err;
} llmem_tech_step;
size_t llmem_vm_techniques(const llm_config *c, const llm_registry *r, llmem_tech_step *out);

/* Sweep: per-GPU memory against one axis. */
typedef enum llmem_sweep_axis {
    LLMEM_SWEEP_SEQ = 0,
    LLMEM_SWEEP_BATCH,
    LLMEM_SWEEP_LAYERS,
    LLMEM_SWEEP_PRECISION,
    LLMEM_SWEEP_AXES
} llmem_sweep_axis;
#define LLMEM_SWEEP_MAX 32
typedef struct llmem_sweep {
    llmem_sweep_axis axis;
    const char *axis_name; /* "sequence length" */
    size_t n;
    double x[LLMEM_SWEEP_MAX];
    char xlabel[LLMEM_SWEEP_MAX][16];
    double y[LLMEM_SWEEP_MAX];
    bool ok[LLMEM_SWEEP_MAX];
    int current; /* index of the current setting, -1 if not on the grid */
    bool solved; /* the crossing for the chosen GPU (seq/batch axes) */
    bool solve_found;
    uint64_t solve_value;
} llmem_sweep;
void llmem_vm_sweep(const llm_config *c, const llm_registry *r, llmem_sweep_axis axis,
                    llmem_sweep *out);

#endif
