/* The explorer's state and its pure step: an event in, flags out; a frame
 * drawn into the canvas.  No terminal here: term.c and the headless runner
 * (tui.c) feed events and show the canvas. */
#ifndef LLMEM_TUI_APP_H
#define LLMEM_TUI_APP_H

#include <stdbool.h>

#include "llmem/format.h"
#include "tui/canvas.h"
#include "tui/event.h"
#include "tui/knobs.h"
#include "tui/layout.h"
#include "tui/theme.h"
#include "tui/tui.h"
#include "tui/vm.h"

enum {
    LLMEM_FLAG_REDRAW = 1u << 0,
    LLMEM_FLAG_RECOMPUTE = 1u << 1,
    LLMEM_FLAG_RELAYOUT = 1u << 2,
    LLMEM_FLAG_QUIT = 1u << 3,
    LLMEM_FLAG_THEME = 1u << 4, /* colours must be set up again */
    LLMEM_FLAG_REPAINT = 1u << 5 /* the terminal was garbled: send every cell again (Ctrl-L) */
};

typedef enum llmem_view {
    LLMEM_VIEW_MEMORY = 0,
    LLMEM_VIEW_PARAMS,
    LLMEM_VIEW_COMPUTE,
    LLMEM_VIEW_SCALING,
    LLMEM_VIEW_TECHNIQUES,
    LLMEM_VIEW_SWEEP,
    LLMEM_VIEW_COMPARE,
    LLMEM_VIEW_COUNT
} llmem_view;

typedef enum llmem_overlay {
    LLMEM_OVERLAY_NONE = 0,
    LLMEM_OVERLAY_HELP,
    LLMEM_OVERLAY_EXPLAIN,
    LLMEM_OVERLAY_PRESETS
} llmem_overlay;

typedef enum llmem_entry {
    LLMEM_ENTRY_NONE = 0,
    LLMEM_ENTRY_KNOB, /* typed value for the selected knob */
    LLMEM_ENTRY_SAVE  /* preset id for 'w' */
} llmem_entry;

#define LLMEM_UNDO_MAX 64
#define LLMEM_PICK_MAX 512

typedef struct llmem_pick_row {
    int preset;     /* index into the registry, -1 for a group heading */
    const char *group;
} llmem_pick_row;

/* Where the last frame put things, for the mouse. */
typedef struct llmem_hitmap {
    int knob_y[LLMEM_K_COUNT]; /* screen row of each knob, -1 = scrolled away */
    int track_x[LLMEM_K_COUNT]; /* first track column, -1 = no track */
    int track_w;
    int tab_x0[LLMEM_VIEW_COUNT], tab_x1[LLMEM_VIEW_COUNT];
    int pick_y0, pick_first, pick_rows; /* presets overlay rows */
} llmem_hitmap;

typedef struct llmem_app {
    const llm_registry *reg;
    llm_config cfg;
    llm_config reset_cfg; /* 'r' returns here */
    char preset_id[LLM_ID_MAX];
    llm_config undo[LLMEM_UNDO_MAX];
    int nundo;
    llm_config redo[LLMEM_UNDO_MAX];
    int nredo;

    llmem_view view;
    int sel;    /* selected knob */
    int scroll; /* first knob row shown */
    llmem_overlay overlay;
    int figure;  /* explain: index into the view's figures */
    int overlay_scroll;

    char filter[64];
    llmem_pick_row pick[LLMEM_PICK_MAX];
    int npick;
    int pick_sel; /* index into pick (a preset row) */
    int pick_scroll;

    llmem_entry entry;
    char entry_buf[96];
    char confirm_save[96]; /* preset id whose file exists: 'y' or 'w' overwrites */
    char message[LLM_ERROR_MSG_MAX + 64];
    int message_role;

    llm_units units;
    const llmem_theme *theme;
    bool ascii;
    bool pinned;
    llm_config pin;
    llmem_sweep_axis sweep_axis;
    char machine[128]; /* "this machine: 8× H100 80GB" or "" */
    char screenshot_dir[256];

    llmem_vm vm;
    llmem_vm pin_vm;
    llmem_layout layout;
    llmem_canvas canvas;
    llmem_hitmap hits;
    /* large total figure ('b'; on in talk mode): a strip under the panels */
    bool big;
    llmem_rect big_rect; /* w = 0 when hidden or no room */
    /* talk mode (demo.c) */
    bool demo;
    int demo_step;
    bool demo_paused; /* a key other than next/back: the timer waits */
    llm_config demo_start;
    char demo_start_preset[LLM_ID_MAX];
    const char *caption;
    bool dragging; /* mouse drag on a slider track */
    int drag_knob;
    unsigned long frames;
} llmem_app;

/* Sets up from the options (config, registry, theme, units); canvas of
 * cols x rows.  False when memory runs out. */
bool llmem_app_init(llmem_app *a, const llmem_tui_opts *o, int cols, int rows);
void llmem_app_free(llmem_app *a);
/* Handles one event; returns LLMEM_FLAG_* for what must happen next. */
unsigned llmem_app_handle(llmem_app *a, const llmem_event *ev);
/* Recomputes (when flags ask) and draws the frame into a->canvas. */
void llmem_app_render(llmem_app *a, unsigned flags);
/* New canvas size (relayout). */
bool llmem_app_resize(llmem_app *a, int cols, int rows);

/* Talk mode's timer ran out: the next step (flags), or 0 when paused. */
unsigned llmem_app_tick(llmem_app *a);
/* Shows or hides the large total figure (relayout). */
void llmem_app_set_big(llmem_app *a, bool on);

/* Talk mode (demo.c): a scripted tour of steps.  Going to step i replays the
 * script from the start, so back and forward always show the same screen. */
int llmem_demo_steps(void);
unsigned llmem_demo_goto(llmem_app *a, int step);
/* Next/back/quit keys of talk mode; 0 when the key is not one of them. */
unsigned llmem_demo_key(llmem_app *a, int key);

/* Views (views.c): draw the current view into the main area. */
void llmem_views_draw(llmem_app *a, llmem_rect inner);
const char *llmem_view_name(int v);
/* Figures the explain overlay cycles through for the current view. */
int llmem_view_figures(const llmem_app *a, llm_figure *out, int cap);

#endif
