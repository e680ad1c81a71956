/* Talk mode: `llmem --demo`.  A scripted tour through presets, sliders and
 * views, each step with a caption saying what changed.  It advances on a
 * timer (tui.c) or on a key: Space, Right, l, n or PgDn for the next step,
 * Left, h, Backspace or PgUp for the previous one, Enter pauses or resumes
 * the timer, q quits.  Any other key works as in the explorer and pauses the
 * timer (the presenter is exploring by hand); Enter resumes it.
 *
 * A step names what it changes (preset, GPU, settings, view, keys); going
 * to step i resets to the start and replays steps 0..i, so stepping back
 * shows exactly the screen it showed before. */
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

typedef struct demo_step {
    const char *preset;  /* NULL = keep */
    const char *gpu;     /* NULL = keep */
    const char *keys;    /* explorer keys first (e.g. "c" pins), NULL = none */
    const char *sets;    /* "key=value key=value": knob keys, the last one is selected */
    int view;            /* 1..7, 0 = keep */
    const char *caption;
} demo_step;

static const demo_step steps[] = {
    {"llama-3-8b", "h100-80gb", NULL, "mode=train seq=8k", 1,
     "Llama 3 8B, full training in bf16 with AdamW: weights, gradients and Adam's two moments do "
     "not fit on one H100."},
    {NULL, NULL, NULL, "recompute=full", 0,
     "Full activation checkpointing: each layer keeps only its input and recomputes the rest in the "
     "backward pass."},
    {NULL, NULL, NULL, "dp=8 zero=3", 0,
     "ZeRO-3 over 8 data-parallel GPUs: weights, gradients and optimizer states are sharded 8 ways."},
    {NULL, NULL, NULL, NULL, 5,
     "The waterfall: from a naive fp32 single-GPU baseline to this setting, one technique at a time."},
    /* Llama 3.1: its context covers 128k (Llama 3's is 8k) */
    {"llama-3.1-70b", "h100-80gb", NULL, "mode=infer batch=1 gen_tokens=0 seq=128k", 1,
     "Llama 3.1 70B serving one 128k-token request: the bf16 weights plus a KV cache that grows with "
     "every token."},
    {NULL, NULL, NULL, "kv=fp8", 0,
     "An fp8 KV cache: one byte per cached key and value instead of two."},
    {NULL, NULL, NULL, "tp=4", 0,
     "Tensor parallelism over 4 GPUs: each holds a quarter of the weights and of the KV cache."},
    {NULL, NULL, NULL, NULL, 6,
     "Memory against context length, with the H100's capacity line: the crossing is the longest "
     "context that fits."},
    {"gpt3-175b", "a100-80gb", NULL, NULL, 5,
     "GPT-3 175B training: mixed precision, parallelism and checkpointing against the naive "
     "baseline."},
    {"llama-3.1-8b", "h100-80gb", "c", "mode=infer batch=8 seq=32k", 7,
     "Compare: the training setting pinned, then inference at 32k tokens: every figure with its "
     "delta."},
    {NULL, NULL, NULL, NULL, 4,
     "Scaling: Kaplan's loss curve with this model marked; a little less loss costs many times the "
     "parameters."},
};

#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

int llmem_demo_steps(void)
{
    return NSTEPS;
}

static int knob_by_key(const char *key)
{
    for (int k = 0; k < LLMEM_K_COUNT; k++)
        if (strcmp(llmem_knob(k)->key, key) == 0) return k;
    return -1;
}

static void apply_step(llmem_app *a, const demo_step *s)
{
    if (s->preset && a->reg) {
        const llm_preset *p = llm_registry_find(a->reg, s->preset);
        if (p) {
            llm_config_from_preset(&a->cfg, p);
            snprintf(a->preset_id, sizeof a->preset_id, "%s", p->id);
        }
    }
    if (s->gpu) snprintf(a->cfg.gpu, sizeof a->cfg.gpu, "%s", s->gpu);
    if (s->preset || s->gpu) a->reset_cfg = a->cfg;
    bool paused = a->demo_paused; /* a scripted key is not the presenter exploring */
    for (const char *k = s->keys; k && *k; k++) {
        llmem_event ev = {0};
        ev.type = LLMEM_EV_KEY;
        ev.key = (unsigned char)*k;
        (void)llmem_app_handle(a, &ev);
    }
    a->demo_paused = paused;
    for (const char *p = s->sets; p && *p;) {
        char kv[64];
        size_t n = strcspn(p, " ");
        snprintf(kv, sizeof kv, "%.*s", (int)(n < 63 ? n : 63), p);
        p += n;
        while (*p == ' ') p++;
        char *eq = strchr(kv, '=');
        if (!eq) continue;
        *eq = '\0';
        const char *key = kv;
        int id = knob_by_key(key);
        if (id >= 0) {
            (void)llmem_knob_type(&a->cfg, a->reg, id, eq + 1, NULL);
            a->sel = id; /* the slider that moved is the one highlighted */
        } else {
            (void)llm_setting_apply(&a->cfg, a->reg, key, eq + 1, NULL);
        }
    }
    if (s->view > 0) a->view = (llmem_view)(s->view - 1);
    a->caption = s->caption;
}

unsigned llmem_demo_goto(llmem_app *a, int step)
{
    step = ((step % NSTEPS) + NSTEPS) % NSTEPS; /* the tour loops */
    a->cfg = a->demo_start;
    a->reset_cfg = a->demo_start;
    snprintf(a->preset_id, sizeof a->preset_id, "%s", a->demo_start_preset);
    a->view = LLMEM_VIEW_MEMORY;
    a->overlay = LLMEM_OVERLAY_NONE;
    a->entry = LLMEM_ENTRY_NONE;
    a->pinned = false;
    a->sweep_axis = LLMEM_SWEEP_SEQ;
    a->sel = LLMEM_K_LAYERS;
    a->scroll = 0; /* the slider panel scrolls to the selected knob from the top */
    a->figure = 0;
    for (int i = 0; i <= step; i++) apply_step(a, &steps[i]);
    a->nundo = a->nredo = 0;
    a->message[0] = '\0';
    a->demo_step = step; /* a pause stays: the presenter drives by hand */
    return LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
}

unsigned llmem_demo_key(llmem_app *a, int key)
{
    switch (key) {
    case ' ': case LLMEM_KEY_RIGHT: case 'l': case 'n': case LLMEM_KEY_PGDN:
        return llmem_demo_goto(a, a->demo_step + 1);
    case LLMEM_KEY_LEFT: case 'h': case LLMEM_KEY_BACKSPACE: case LLMEM_KEY_PGUP:
        return llmem_demo_goto(a, a->demo_step - 1);
    case LLMEM_KEY_ENTER: case '\r': case '\n': /* pause or resume the timer */
        a->demo_paused = !a->demo_paused;
        return LLMEM_FLAG_REDRAW;
    case 'q': case LLMEM_KEY_ESC: return LLMEM_FLAG_QUIT;
    default: return 0;
    }
}
