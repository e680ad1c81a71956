/* The explorer's entry point.  The command line resolves the starting
 * configuration (preset, --set overrides, GPU) and the options; the explorer
 * runs on a real terminal or, headless, on a canvas of a given size with keys
 * fed from a string (for tests and screenshots). */
#ifndef LLMEM_TUI_H
#define LLMEM_TUI_H

#include <stdbool.h>

#include "llmem/presets.h"
#include "llmem/settings.h"

typedef struct llmem_tui_opts {
    llm_config config;              /* starting configuration: model, workload, GPU id */
    char preset_id[LLM_ID_MAX];     /* "" when the shape did not come from a preset */
    const llm_registry *registry;   /* presets, GPUs, dtypes; owned by the caller */
    const char *theme;              /* "dark", "light", "contrast", "mono"; NULL = automatic */
    bool units_gb;                  /* GB (10^9) instead of GiB (2^30) */
    int cols, rows;                 /* headless canvas size; 0 = use the real terminal */
    const char *keys;               /* headless: keys to feed, then exit */
    const char *dump_screen;        /* headless: write the final screen as text here */
    const char *dump_svg;           /* headless: write the final screen as SVG here */
    bool demo;                      /* talk mode: scripted tour */
    /* Added by the explorer (all default to 0/NULL/false): */
    bool gpu_explicit;              /* --gpu was given: do not preselect this machine's GPU */
    int detect_gpus;                /* nvidia-smi: 0 = on a real terminal only, 1 = always, -1 = never */
    bool ascii;                     /* ASCII glyphs even in a UTF-8 locale (headless: default Unicode) */
    const char *dump_roles;         /* headless: write the colour-role layer here (golden screens) */
    const char *screenshot_dir;     /* where 's' writes; NULL = current directory */
    int max_frames;                 /* headless: stop after this many frames (0 = 10000) */
    /* Added for screenshots and talk mode (all default to 0/false): */
    int view;                       /* starting view 1..7 (Memory .. Compare); 0 = Memory */
    bool big;                       /* start with the large total-memory figure shown */
    int demo_interval_ms;           /* talk mode: auto-advance period; 0 = 10 s, < 0 = keys only */
} llmem_tui_opts;

/* Headless: set when the key script is malformed (message for stderr). */
#define LLMEM_TUI_BAD_KEYS 2

/* Runs the explorer; returns the process exit status (0 on a normal quit). */
int llmem_tui_run(const llmem_tui_opts *o);

#endif
