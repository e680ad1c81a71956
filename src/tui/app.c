/* The explorer's state machine and frame drawing (see app.h). */
#include "tui/app.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tui/widgets.h"

/* The mouse hit map of the last frame lives in the app (rebuilt on every draw). */
static llmem_hitmap *hits(llmem_app *a)
{
    return &a->hits;
}

/* ---- presets picker ----------------------------------------------------- */

static bool matches(const llm_preset *p, const char *filter)
{
    if (!*filter) return true;
    const char *fields[] = {p->id, p->name, p->family};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(filter);
        for (const char *s = fields[i]; *s; s++)
            if (strncasecmp(s, filter, n) == 0) return true;
    }
    return false;
}

static int family_rank(const char *f)
{
    return strcmp(f, "hf-cache") == 0 ? 1 : 0; /* local models last */
}

static const llm_registry *sort_reg; /* qsort has no context argument */
static int pick_cmp(const void *x, const void *y)
{
    const llm_preset *p = &sort_reg->presets[*(const int *)x], *q = &sort_reg->presets[*(const int *)y];
    int r = family_rank(p->family) - family_rank(q->family);
    if (r) return r;
    r = strcmp(p->family, q->family);
    if (r) return r;
    return *(const int *)x - *(const int *)y; /* file order within a family */
}

static void build_pick(llmem_app *a)
{
    a->npick = 0;
    if (!a->reg) return;
    int order[LLMEM_PICK_MAX];
    int n = 0;
    for (size_t i = 0; i < a->reg->npresets && n < LLMEM_PICK_MAX; i++)
        if (matches(&a->reg->presets[i], a->filter)) order[n++] = (int)i;
    sort_reg = a->reg;
    qsort(order, (size_t)n, sizeof order[0], pick_cmp);
    const char *group = NULL;
    for (int k = 0; k < n && a->npick < LLMEM_PICK_MAX - 1; k++) {
        const llm_preset *p = &a->reg->presets[order[k]];
        if (!group || strcmp(group, p->family) != 0) {
            group = p->family;
            a->pick[a->npick++] = (llmem_pick_row){-1, group};
        }
        a->pick[a->npick++] = (llmem_pick_row){order[k], group};
    }
    a->pick_sel = 0;
    while (a->pick_sel < a->npick && a->pick[a->pick_sel].preset < 0) a->pick_sel++;
    a->pick_scroll = 0;
}

/* ---- layout ------------------------------------------------------------- */

#define BIG_H (LLMEM_BIG_ROWS + 2) /* the large figure's framed strip */

/* The layout for the canvas size, with the large figure's strip taken from
 * the bottom of both panels when it is on and the view keeps 10 rows. */
static void relayout(llmem_app *a)
{
    a->layout = llmem_layout_compute(a->canvas.cols, a->canvas.rows);
    a->big_rect = (llmem_rect){0, 0, 0, 0};
    llmem_layout *l = &a->layout;
    if (!a->big || l->mode == LLMEM_LAYOUT_TOO_SMALL || l->main.h - BIG_H < 12) return;
    l->knobs.h -= BIG_H;
    l->main.h -= BIG_H;
    a->big_rect = (llmem_rect){0, l->main.y + l->main.h, l->cols, BIG_H};
}

void llmem_app_set_big(llmem_app *a, bool on)
{
    a->big = on;
    relayout(a);
}

/* ---- init --------------------------------------------------------------- */

bool llmem_app_init(llmem_app *a, const llmem_tui_opts *o, int cols, int rows)
{
    memset(a, 0, sizeof *a);
    a->reg = o->registry;
    a->cfg = o->config;
    a->reset_cfg = o->config;
    snprintf(a->preset_id, sizeof a->preset_id, "%s", o->preset_id);
    a->theme = llmem_theme_auto(o->theme);
    a->units = o->units_gb ? LLM_UNITS_GB : LLM_UNITS_GIB;
    a->sel = LLMEM_K_LAYERS;
    a->sweep_axis = LLMEM_SWEEP_SEQ;
    a->drag_knob = -1;
    if (!llmem_canvas_init(&a->canvas, cols, rows)) return false;
    if (o->view >= 1 && o->view <= LLMEM_VIEW_COUNT) a->view = (llmem_view)(o->view - 1);
    a->big = o->big || o->demo;
    relayout(a);
    build_pick(a);
    if (o->demo) {
        a->demo = true;
        a->demo_start = a->cfg;
        snprintf(a->demo_start_preset, sizeof a->demo_start_preset, "%s", a->preset_id);
        (void)llmem_demo_goto(a, 0);
    }
    llmem_vm_build(&a->vm, &a->cfg, a->reg);
    return true;
}

void llmem_app_free(llmem_app *a)
{
    llmem_canvas_free(&a->canvas);
}

bool llmem_app_resize(llmem_app *a, int cols, int rows)
{
    if (!llmem_canvas_resize(&a->canvas, cols, rows)) return false;
    relayout(a);
    return true;
}

/* ---- undo --------------------------------------------------------------- */

static void push(llm_config *stack, int *n, const llm_config *c)
{
    if (*n == LLMEM_UNDO_MAX) {
        memmove(stack, stack + 1, sizeof *stack * (LLMEM_UNDO_MAX - 1));
        (*n)--;
    }
    stack[(*n)++] = *c;
}

/* Records a change: returns flags for a recompute when cfg moved. */
static unsigned changed(llmem_app *a, const llm_config *before)
{
    if (memcmp(before, &a->cfg, sizeof *before) == 0) return 0;
    push(a->undo, &a->nundo, before);
    a->nredo = 0;
    a->message[0] = '\0';
    return LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
}

static void say(llmem_app *a, int role, const char *fmt, const char *arg)
{
    snprintf(a->message, sizeof a->message, fmt, arg);
    a->message_role = role;
}

/* A slider moved: records the change and, when a value other than the
 * moved one followed it (KV heads after heads, active experts after
 * experts, a list setting that brings others along), says so on the status
 * line -- nothing changes silently.  The GPU count is derived (tp x pp x dp)
 * and is not reported. */
static unsigned changed_knob(llmem_app *a, const llm_config *before)
{
    unsigned f = changed(a, before);
    if (!f) return f;
    char list[sizeof a->message - 32];
    size_t at = 0;
    list[0] = '\0';
    for (int k = 0; k < LLMEM_K_COUNT; k++) {
        if (k == a->sel || k == LLMEM_K_GPUS || !llmem_knob_available(k)) continue;
        char v0[64], v1[64];
        llmem_knob_value_text(before, a->reg, k, v0, sizeof v0);
        llmem_knob_value_text(&a->cfg, a->reg, k, v1, sizeof v1);
        if (strcmp(v0, v1) == 0) continue;
        /* the token budget's default reads differently per mode; only a
         * changed budget is news */
        if (k == LLMEM_K_TOKENS && before->workload.tokens == a->cfg.workload.tokens) continue;
        int n = snprintf(list + at, sizeof list - at, "%s%s %s \xe2\x86\x92 %s", at ? ", " : "",
                         llmem_knob(k)->label, v0, v1);
        if (n < 0 || (size_t)n >= sizeof list - at) break;
        at += (size_t)n;
    }
    if (at) {
        snprintf(a->message, sizeof a->message, "also changed: %s", list);
        a->message_role = LLMEM_ROLE_WARN;
    }
    return f;
}

/* ---- save and screenshot ------------------------------------------------- */

static int mkdirs(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

static void save_preset(llmem_app *a, const char *id, bool overwrite)
{
    char dir[400];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(dir, sizeof dir, "%s/llmem/presets", xdg);
    else snprintf(dir, sizeof dir, "%s/.config/llmem/presets", home ? home : ".");
    for (const char *s = id; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.')) {
            say(a, LLMEM_ROLE_OVER, "preset id '%s': use a-z 0-9 . _ -", id);
            return;
        }
    if (!*id) {
        say(a, LLMEM_ROLE_OVER, "%s", "no preset id given");
        return;
    }
    if (mkdirs(dir) != 0) {
        say(a, LLMEM_ROLE_OVER, "cannot create %s", dir);
        return;
    }
    static llm_preset p;
    const llm_preset *base = a->reg && *a->preset_id ? llm_registry_find(a->reg, a->preset_id) : NULL;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", id);
    snprintf(p.name, sizeof p.name, "%s", id);
    snprintf(p.family, sizeof p.family, "custom");
    p.published = false;
    snprintf(p.gpu, sizeof p.gpu, "%s", a->cfg.gpu);
    snprintf(p.analogue, sizeof p.analogue, "%s", base ? base->name : "custom shape");
    snprintf(p.source, sizeof p.source, "saved from the llmem explorer%s%s", base ? " starting at " : "",
             base ? base->id : "");
    p.model = a->cfg.model;
    p.has_workload = true;
    p.workload = a->cfg.workload;
    char path[600];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, id);
    llm_error err;
    llm_code rc = llm_preset_save(path, &p, overwrite, &err);
    if (rc == LLM_ERR_EXISTS) { /* ask: the next key decides */
        snprintf(a->confirm_save, sizeof a->confirm_save, "%s", id);
        say(a, LLMEM_ROLE_WARN, "%s exists: y or w overwrites it, any other key keeps it", path);
        return;
    }
    if (rc != LLM_OK) {
        say(a, LLMEM_ROLE_OVER, "save failed: %s", err.message);
        return;
    }
    say(a, LLMEM_ROLE_OK, "saved %s", path);
}

/* 's': the screen as SVG and as text, named by the time (UTC), in the
 * screenshot directory (--screenshot-dir, else the current one).  A second
 * shot within the same second gets "-2", "-3", ... rather than replacing the
 * first.  The status line gives the full path. */
static void screenshot(llmem_app *a)
{
    char stamp[32], dir[256], base[400], p1[420], p2[420];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tmv);
    const char *d = *a->screenshot_dir ? a->screenshot_dir : ".";
    if (!realpath(d, dir)) {
        say(a, LLMEM_ROLE_OVER, "screenshot failed: %s", strerror(errno));
        return;
    }
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    snprintf(base, sizeof base, "%s%sllmem-%s", dir, sep, stamp);
    for (int k = 2; k < 100; k++) {
        snprintf(p1, sizeof p1, "%s.svg", base);
        if (access(p1, F_OK) != 0) break;
        snprintf(base, sizeof base, "%s%sllmem-%s-%d", dir, sep, stamp, k);
    }
    snprintf(p1, sizeof p1, "%s.svg", base);
    snprintf(p2, sizeof p2, "%s.txt", base);
    /* written atomically; never over an existing file */
    llm_error err;
    if (llmem_canvas_write_file(&a->canvas, a->theme, 1, p1, false, &err) != LLM_OK ||
        llmem_canvas_write_file(&a->canvas, a->theme, 0, p2, false, &err) != LLM_OK)
        say(a, LLMEM_ROLE_OVER, "screenshot failed: %s", err.message);
    else
        say(a, LLMEM_ROLE_OK, "screenshot: %s.svg and .txt", base);
}

/* ---- key handling ------------------------------------------------------- */

static unsigned knob_action(llmem_app *a, int key)
{
    llm_config before = a->cfg;
    const llm_registry *r = a->reg;
    switch (key) {
    case LLMEM_KEY_LEFT: case 'h': llmem_knob_step(&a->cfg, r, a->sel, -1, false); break;
    case LLMEM_KEY_RIGHT: case 'l': llmem_knob_step(&a->cfg, r, a->sel, +1, false); break;
    case LLMEM_KEY_SLEFT: case LLMEM_KEY_PGDN: case 'H': llmem_knob_step(&a->cfg, r, a->sel, -1, true); break;
    case LLMEM_KEY_SRIGHT: case LLMEM_KEY_PGUP: case 'L': llmem_knob_step(&a->cfg, r, a->sel, +1, true); break;
    case LLMEM_KEY_HOME: llmem_knob_extreme(&a->cfg, r, a->sel, -1); break;
    case LLMEM_KEY_END: llmem_knob_extreme(&a->cfg, r, a->sel, +1); break;
    default: return 0;
    }
    unsigned f = changed_knob(a, &before);
    return f ? f : LLMEM_FLAG_REDRAW;
}

static unsigned entry_key(llmem_app *a, int key)
{
    size_t n = strlen(a->entry_buf);
    if (key == LLMEM_KEY_ESC) {
        a->entry = LLMEM_ENTRY_NONE;
        return LLMEM_FLAG_REDRAW;
    }
    if (key == LLMEM_KEY_BACKSPACE || key == 127 || key == 8) {
        if (n) a->entry_buf[n - 1] = '\0';
        return LLMEM_FLAG_REDRAW;
    }
    if (key == 21) { /* Ctrl-U: clear the line, as in a shell */
        a->entry_buf[0] = '\0';
        return LLMEM_FLAG_REDRAW;
    }
    if (key == LLMEM_KEY_ENTER || key == '\r' || key == '\n') {
        llmem_entry e = a->entry;
        a->entry = LLMEM_ENTRY_NONE;
        if (e == LLMEM_ENTRY_SAVE) {
            save_preset(a, a->entry_buf, false);
            return LLMEM_FLAG_REDRAW;
        }
        llm_config before = a->cfg;
        llm_error err;
        if (llmem_knob_type(&a->cfg, a->reg, a->sel, a->entry_buf, &err) != LLM_OK) {
            say(a, LLMEM_ROLE_OVER, "%s", err.message);
            return LLMEM_FLAG_REDRAW;
        }
        return changed_knob(a, &before) | LLMEM_FLAG_REDRAW;
    }
    if (key >= 32 && key < 127 && n + 1 < sizeof a->entry_buf) {
        a->entry_buf[n] = (char)key;
        a->entry_buf[n + 1] = '\0';
    }
    return LLMEM_FLAG_REDRAW;
}

static void pick_move(llmem_app *a, int dir)
{
    int i = a->pick_sel;
    for (;;) {
        i += dir;
        if (i < 0 || i >= a->npick) return;
        if (a->pick[i].preset >= 0) break;
    }
    a->pick_sel = i;
}

static unsigned choose_preset(llmem_app *a, int idx)
{
    if (idx < 0 || idx >= a->npick || a->pick[idx].preset < 0) return LLMEM_FLAG_REDRAW;
    const llm_preset *p = &a->reg->presets[a->pick[idx].preset];
    llm_config before = a->cfg;
    char gpu[LLM_ID_MAX];
    snprintf(gpu, sizeof gpu, "%s", a->cfg.gpu);
    llm_config_from_preset(&a->cfg, p);
    if (!a->cfg.gpu[0]) snprintf(a->cfg.gpu, sizeof a->cfg.gpu, "%s", gpu); /* keep the chosen GPU */
    snprintf(a->preset_id, sizeof a->preset_id, "%s", p->id);
    a->reset_cfg = a->cfg;
    a->overlay = LLMEM_OVERLAY_NONE;
    return changed(a, &before) | LLMEM_FLAG_REDRAW | LLMEM_FLAG_RECOMPUTE;
}

static unsigned picker_key(llmem_app *a, int key)
{
    size_t n = strlen(a->filter);
    switch (key) {
    case LLMEM_KEY_ESC: a->overlay = LLMEM_OVERLAY_NONE; break;
    case LLMEM_KEY_UP: pick_move(a, -1); break;
    case LLMEM_KEY_DOWN: pick_move(a, +1); break;
    case LLMEM_KEY_PGUP: for (int i = 0; i < 10; i++) pick_move(a, -1); break;
    case LLMEM_KEY_PGDN: for (int i = 0; i < 10; i++) pick_move(a, +1); break;
    case LLMEM_KEY_ENTER: case '\r': case '\n': return choose_preset(a, a->pick_sel);
    case LLMEM_KEY_BACKSPACE: case 127: case 8:
        if (n) {
            a->filter[n - 1] = '\0';
            build_pick(a);
        }
        break;
    default:
        if (key > 32 && key < 127 && n + 1 < sizeof a->filter) {
            a->filter[n] = (char)key;
            a->filter[n + 1] = '\0';
            build_pick(a);
        }
    }
    return LLMEM_FLAG_REDRAW;
}

static unsigned set_view(llmem_app *a, int v)
{
    a->view = (llmem_view)((v + LLMEM_VIEW_COUNT) % LLMEM_VIEW_COUNT);
    a->figure = 0;
    return LLMEM_FLAG_REDRAW | LLMEM_FLAG_RECOMPUTE;
}

static unsigned key_event(llmem_app *a, int key)
{
    if (a->entry != LLMEM_ENTRY_NONE) return entry_key(a, key);
    if (a->confirm_save[0]) { /* "exists: overwrite?" -- this key answers */
        char id[sizeof a->confirm_save];
        snprintf(id, sizeof id, "%s", a->confirm_save);
        a->confirm_save[0] = '\0';
        a->message[0] = '\0';
        if (key == 'y' || key == 'Y' || key == 'w') save_preset(a, id, true);
        else say(a, LLMEM_ROLE_DIM, "%s", "not saved: the existing file is kept");
        return LLMEM_FLAG_REDRAW;
    }
    /* A status message (screenshot path, theme name, ...) lasts one key;
     * the key may say something new. */
    a->message[0] = '\0';
    if (key == 3) return LLMEM_FLAG_QUIT; /* Ctrl-C in raw mode */
    if (a->overlay == LLMEM_OVERLAY_PRESETS) return picker_key(a, key);
    if (a->demo && a->overlay == LLMEM_OVERLAY_NONE) {
        unsigned d = llmem_demo_key(a, key);
        if (d) return d;
        a->demo_paused = true; /* exploring by hand: the timer waits */
    }
    if (a->overlay == LLMEM_OVERLAY_HELP) {
        a->overlay = LLMEM_OVERLAY_NONE;
        return LLMEM_FLAG_REDRAW;
    }
    if (a->overlay == LLMEM_OVERLAY_EXPLAIN) {
        llm_figure figs[16];
        int nf = llmem_view_figures(a, figs, 16);
        if (key == LLMEM_KEY_DOWN || key == 'j') a->figure = (a->figure + 1) % (nf ? nf : 1);
        else if (key == LLMEM_KEY_UP || key == 'k') a->figure = (a->figure + nf - 1) % (nf ? nf : 1);
        else a->overlay = LLMEM_OVERLAY_NONE;
        return LLMEM_FLAG_REDRAW;
    }
    unsigned f = knob_action(a, key);
    if (f) return f;
    switch (key) {
    case 'q': return LLMEM_FLAG_QUIT;
    case LLMEM_KEY_UP: case 'k':
        do a->sel = (a->sel + LLMEM_K_COUNT - 1) % LLMEM_K_COUNT;
        while (!llmem_knob_available(a->sel));
        return LLMEM_FLAG_REDRAW;
    case LLMEM_KEY_DOWN: case 'j':
        do a->sel = (a->sel + 1) % LLMEM_K_COUNT;
        while (!llmem_knob_available(a->sel));
        return LLMEM_FLAG_REDRAW;
    case LLMEM_KEY_ENTER: case '\r': case '\n': case '=':
        a->entry = LLMEM_ENTRY_KNOB;
        a->entry_buf[0] = '\0';
        return LLMEM_FLAG_REDRAW;
    case '\t': return set_view(a, (int)a->view + 1);
    case LLMEM_KEY_BTAB: return set_view(a, (int)a->view - 1);
    case '1': case '2': case '3': case '4': case '5': case '6': case '7': return set_view(a, key - '1');
    case 'p':
        a->overlay = LLMEM_OVERLAY_PRESETS;
        a->filter[0] = '\0';
        build_pick(a);
        return LLMEM_FLAG_REDRAW;
    case 'e': a->overlay = LLMEM_OVERLAY_EXPLAIN; return LLMEM_FLAG_REDRAW;
    case '?': case LLMEM_KEY_F1: a->overlay = LLMEM_OVERLAY_HELP; a->overlay_scroll = 0; return LLMEM_FLAG_REDRAW;
    case 'c':
        a->pinned = !a->pinned;
        if (a->pinned) {
            a->pin = a->cfg;
            llmem_vm_build(&a->pin_vm, &a->pin, a->reg);
        }
        say(a, LLMEM_ROLE_OK, "%s", a->pinned ? "pinned: change sliders, then 7 to compare" : "unpinned");
        return LLMEM_FLAG_REDRAW;
    case 'u':
        if (a->nundo) {
            push(a->redo, &a->nredo, &a->cfg);
            a->cfg = a->undo[--a->nundo];
            return LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
        }
        say(a, LLMEM_ROLE_DIM, "%s", "nothing to undo");
        return LLMEM_FLAG_REDRAW;
    case 12: /* Ctrl-L: the terminal was garbled (a wall message, a resize glitch) */
        return LLMEM_FLAG_REPAINT | LLMEM_FLAG_REDRAW;
    case 18: /* Ctrl-R */
        if (a->nredo) {
            push(a->undo, &a->nundo, &a->cfg);
            a->cfg = a->redo[--a->nredo];
            return LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
        }
        say(a, LLMEM_ROLE_DIM, "%s", "nothing to redo");
        return LLMEM_FLAG_REDRAW;
    case 'r': {
        llm_config before = a->cfg;
        a->cfg = a->reset_cfg;
        return changed(a, &before) | LLMEM_FLAG_REDRAW;
    }
    case 'g':
        a->units = a->units == LLM_UNITS_GIB ? LLM_UNITS_GB : LLM_UNITS_GIB;
        return LLMEM_FLAG_REDRAW;
    case 't':
        a->theme = llmem_theme_next(a->theme);
        say(a, LLMEM_ROLE_OK, "theme: %s", a->theme->name);
        return LLMEM_FLAG_REDRAW | LLMEM_FLAG_THEME;
    case 'a':
        a->sweep_axis = (llmem_sweep_axis)((a->sweep_axis + 1) % LLMEM_SWEEP_AXES);
        if (a->view != LLMEM_VIEW_SWEEP) a->view = LLMEM_VIEW_SWEEP;
        return LLMEM_FLAG_REDRAW;
    case 'w':
        a->entry = LLMEM_ENTRY_SAVE;
        snprintf(a->entry_buf, sizeof a->entry_buf, "%.80s-custom", *a->preset_id ? a->preset_id : "my");
        return LLMEM_FLAG_REDRAW;
    case 's': screenshot(a); return LLMEM_FLAG_REDRAW;
    case 'b':
        llmem_app_set_big(a, !a->big);
        if (a->big && a->big_rect.w == 0) say(a, LLMEM_ROLE_DIM, "%s", "large figure: no room at this size");
        return LLMEM_FLAG_REDRAW;
    case LLMEM_KEY_ESC: a->message[0] = '\0'; return LLMEM_FLAG_REDRAW;
    default: return 0;
    }
}

/* ---- mouse -------------------------------------------------------------- */

static unsigned mouse_event(llmem_app *a, const llmem_event *ev)
{
    llmem_hitmap *h = hits(a);
    if (a->layout.mode == LLMEM_LAYOUT_TOO_SMALL) return 0;
    if (a->overlay == LLMEM_OVERLAY_PRESETS) {
        if (ev->mouse == LLMEM_MOUSE_WHEEL_UP) pick_move(a, -1);
        else if (ev->mouse == LLMEM_MOUSE_WHEEL_DOWN) pick_move(a, +1);
        else if (ev->mouse == LLMEM_MOUSE_PRESS) {
            int row = ev->y - h->pick_y0;
            if (row >= 0 && row < h->pick_rows) {
                int idx = h->pick_first + row;
                if (idx == a->pick_sel) return choose_preset(a, idx);
                if (idx < a->npick && a->pick[idx].preset >= 0) a->pick_sel = idx;
            }
        }
        return LLMEM_FLAG_REDRAW;
    }
    if (a->overlay != LLMEM_OVERLAY_NONE) {
        if (ev->mouse == LLMEM_MOUSE_PRESS) a->overlay = LLMEM_OVERLAY_NONE;
        return LLMEM_FLAG_REDRAW;
    }
    if (ev->mouse == LLMEM_MOUSE_RELEASE) {
        a->dragging = false;
        return 0;
    }
    if (ev->mouse == LLMEM_MOUSE_DRAG) {
        if (!a->dragging || a->drag_knob < 0) return 0;
        llm_config before = a->cfg;
        int k = a->drag_knob;
        double pos = h->track_w > 1 ? (double)(ev->x - h->track_x[k]) / (h->track_w - 1) : 0;
        a->sel = k;
        llmem_knob_set_pos(&a->cfg, a->reg, k, pos);
        return changed_knob(a, &before) | LLMEM_FLAG_REDRAW;
    }
    /* tabs */
    if (ev->y == a->layout.tabs.y && ev->mouse == LLMEM_MOUSE_PRESS)
        for (int v = 0; v < LLMEM_VIEW_COUNT; v++)
            if (ev->x >= h->tab_x0[v] && ev->x < h->tab_x1[v]) return set_view(a, v);
    int k = -1;
    for (int i = 0; i < LLMEM_K_COUNT; i++)
        if (h->knob_y[i] == ev->y && llmem_rect_contains(a->layout.knobs, ev->x, ev->y)) k = i;
    if (k < 0) {
        if (ev->mouse == LLMEM_MOUSE_WHEEL_UP || ev->mouse == LLMEM_MOUSE_WHEEL_DOWN)
            k = a->sel; /* wheel anywhere adjusts the selected slider */
        else
            return 0;
    }
    llm_config before = a->cfg;
    if (ev->mouse == LLMEM_MOUSE_WHEEL_UP || ev->mouse == LLMEM_MOUSE_WHEEL_DOWN) {
        a->sel = k;
        llmem_knob_step(&a->cfg, a->reg, k, ev->mouse == LLMEM_MOUSE_WHEEL_UP ? +1 : -1, false);
        return changed_knob(a, &before) | LLMEM_FLAG_REDRAW;
    }
    a->sel = k;
    if (h->track_x[k] >= 0 && ev->x >= h->track_x[k] && ev->x < h->track_x[k] + h->track_w) {
        double pos = h->track_w > 1 ? (double)(ev->x - h->track_x[k]) / (h->track_w - 1) : 0;
        llmem_knob_set_pos(&a->cfg, a->reg, k, pos);
        a->dragging = true;
        a->drag_knob = k;
    }
    return changed_knob(a, &before) | LLMEM_FLAG_REDRAW;
}

unsigned llmem_app_handle(llmem_app *a, const llmem_event *ev)
{
    switch (ev->type) {
    case LLMEM_EV_KEY: return key_event(a, ev->key);
    case LLMEM_EV_MOUSE: return mouse_event(a, ev);
    case LLMEM_EV_RESIZE: return LLMEM_FLAG_RELAYOUT | LLMEM_FLAG_REDRAW;
    case LLMEM_EV_QUIT: return LLMEM_FLAG_QUIT;
    case LLMEM_EV_TICK: return llmem_app_tick(a);
    default: return 0;
    }
}

unsigned llmem_app_tick(llmem_app *a)
{
    if (!a->demo || a->demo_paused || a->overlay != LLMEM_OVERLAY_NONE || a->entry != LLMEM_ENTRY_NONE)
        return 0;
    return llmem_demo_goto(a, a->demo_step + 1);
}

/* ---- drawing ------------------------------------------------------------ */

const char *llmem_view_name(int v)
{
    static const char *const names[LLMEM_VIEW_COUNT] = {"Memory",     "Params", "Compute", "Scaling",
                                                        "Techniques", "Sweep",  "Compare"};
    return v >= 0 && v < LLMEM_VIEW_COUNT ? names[v] : "?";
}

static void draw_title(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_rect r = a->layout.title;
    llmem_canvas_fill(c, r, ' ', LLMEM_ROLE_TITLE);
    const llm_preset *p = a->reg && *a->preset_id ? llm_registry_find(a->reg, a->preset_id) : NULL;
    char left[512], right[128];
    bool modified = !llmem_shape_equal(&a->cfg.model, &a->reset_cfg.model);
    /* the preset's name without a trailing "(illustrative)": the title says it */
    char name[LLM_NAME_MAX] = "";
    if (p) {
        snprintf(name, sizeof name, "%s", p->name);
        char *il = strstr(name, " (illustrative)");
        if (il) *il = '\0';
    }
    if (p && strcmp(p->family, "hf-cache") == 0)
        snprintf(left, sizeof left, " llmem  %s%s (local Hugging Face config)", name, modified ? "*" : "");
    else if (p && p->published)
        snprintf(left, sizeof left, " llmem  %s%s (published shape)", name, modified ? "*" : "");
    else if (p)
        snprintf(left, sizeof left, " llmem  ILLUSTRATIVE %s%s (numbers from %s)", name,
                 modified ? "*" : "", p->analogue[0] ? p->analogue : "public models");
    else
        snprintf(left, sizeof left, " llmem  custom shape");
    const llm_workload *w = &a->cfg.workload;
    char mode[16];
    snprintf(mode, sizeof mode, "%s", llm_mode_name(w->mode));
    for (char *s = mode; *s; s++) *s = (char)toupper((unsigned char)*s);
    unsigned long long gpus = (unsigned long long)w->tp * w->pp * w->dp; /* what the engine uses */
    char mid[160];
    char opt[40] = "";
    if (w->mode != LLM_MODE_INFER) snprintf(opt, sizeof opt, " · %s", llm_optimizer_name(w->optimizer));
    snprintf(mid, sizeof mid, "   %s · %s%s · %llu GPU%s", mode, w->weights.name, opt, gpus,
             gpus == 1 ? "" : "s");
    snprintf(right, sizeof right, "%s  ? help  q quit ", llm_units_name(a->units));
    int rw = llmem_utf8_width(right);
    int lw = llmem_canvas_text_fit(c, 0, 0, r.w - rw - 1, left, LLMEM_ROLE_TITLE, true);
    if (lw + llmem_utf8_width(mid) >= r.w - rw - 1) /* a shorter form for narrow screens */
        snprintf(mid, sizeof mid, "  %s %s %lluGPU", mode, w->weights.name, gpus);
    if (lw + llmem_utf8_width(mid) < r.w - rw - 1)
        llmem_canvas_text(c, lw, 0, r.w - rw - 1 - lw, mid, LLMEM_ROLE_TITLE, false);
    llmem_canvas_text(c, r.w - rw, 0, rw, right, LLMEM_ROLE_TITLE, true);
}

static void draw_tabs(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_hitmap *h = hits(a);
    int x = 0;
    for (int v = 0; v < LLMEM_VIEW_COUNT; v++) {
        char buf[32];
        snprintf(buf, sizeof buf, " %d %s ", v + 1, llmem_view_name(v));
        int role = v == (int)a->view ? LLMEM_ROLE_TAB_ACTIVE : LLMEM_ROLE_TAB;
        h->tab_x0[v] = x;
        x += llmem_canvas_text(c, x, a->layout.tabs.y, a->layout.tabs.w - x, buf, role, v == (int)a->view);
        h->tab_x1[v] = x;
    }
    if (a->pinned && x + 10 < a->layout.tabs.w)
        llmem_canvas_text(c, a->layout.tabs.w - 9, a->layout.tabs.y, 8, "[pinned]", LLMEM_ROLE_ACCENT, true);
}

static void draw_knobs(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_hitmap *h = hits(a);
    const llmem_glyphs *g = llmem_glyphs_get(c->ascii);
    llmem_rect box = a->layout.knobs;
    llmem_canvas_box(c, box, "Settings", LLMEM_ROLE_FRAME);
    llmem_rect in = llmem_rect_inner(box);
    /* rows: headings and knobs; scroll so the selected knob shows */
    int row_of[LLMEM_K_COUNT], nrows = 0;
    for (int k = 0; k < LLMEM_K_COUNT; k++) {
        row_of[k] = -1;
        if (llmem_knob(k)->group) nrows++; /* groups start at an available knob */
        if (llmem_knob_available(k)) row_of[k] = nrows++;
    }
    int sel_row = row_of[a->sel];
    if (sel_row < a->scroll + 1) a->scroll = sel_row - 1;
    if (sel_row >= a->scroll + in.h) a->scroll = sel_row - in.h + 1;
    if (a->scroll > nrows - in.h) a->scroll = nrows - in.h;
    if (a->scroll < 0) a->scroll = 0;
    h->track_w = in.w - LLMEM_SLIDER_LABEL_W - LLMEM_SLIDER_VALUE_W - 2;
    for (int k = 0; k < LLMEM_K_COUNT; k++) {
        h->knob_y[k] = -1;
        h->track_x[k] = -1;
        const llmem_knob_info *info = llmem_knob(k);
        if (row_of[k] < 0) continue;
        if (info->group) {
            int y = row_of[k] - 1 - a->scroll;
            if (y >= 0 && y < in.h) {
                llmem_canvas_hline(c, in.x, in.y + y, in.w, LLMEM_ROLE_FRAME);
                char t[40];
                snprintf(t, sizeof t, " %s ", info->group);
                llmem_canvas_text(c, in.x + 1, in.y + y, in.w - 2, t, LLMEM_ROLE_HEADING, true);
            }
        }
        int y = row_of[k] - a->scroll;
        if (y < 0 || y >= in.h) continue;
        char val[64];
        llmem_knob_value_text(&a->cfg, a->reg, k, val, sizeof val);
        if (k == LLMEM_K_GPU && llmem_utf8_width(val) > in.w - 1 - LLMEM_SLIDER_LABEL_W) {
            char full[64]; /* narrow panel: "H100 SXM5 80GB" for "NVIDIA H100 SXM5 80GB" */
            snprintf(full, sizeof full, "%s", val);
            llmem_gpu_short_name(full, val, (size_t)(in.w - LLMEM_SLIDER_LABEL_W));
        }
        unsigned flags = 0;
        if (k == a->sel) flags |= LLMEM_SLIDER_SELECTED;
        if (!llmem_knob_relevant(&a->cfg, k)) flags |= LLMEM_SLIDER_DIM;
        if (!a->vm.valid && a->vm.bad_knob == k) flags |= LLMEM_SLIDER_BAD;
        h->knob_y[k] = in.y + y;
        h->track_x[k] = llmem_w_slider(c, in.x, in.y + y, in.w, info->label, val,
                                       llmem_knob_pos(&a->cfg, a->reg, k), flags, g);
    }
    /* scroll hints */
    if (a->scroll > 0) llmem_canvas_put(c, box.x + box.w - 2, box.y, g->up, LLMEM_ROLE_KEY, true);
    if (a->scroll + in.h < nrows)
        llmem_canvas_put(c, box.x + box.w - 2, box.y + box.h - 1, g->down, LLMEM_ROLE_KEY, true);
}

/* Bytes of the caption that fit w columns, cut at a space; the whole
 * caption when it fits. */
static int caption_cut(const char *s, int w)
{
    if (llmem_utf8_width(s) <= w) return (int)strlen(s);
    int cols = 0, last_space = -1, i = 0;
    while (s[i] && cols < w) {
        uint32_t cp;
        int k = llmem_utf8_decode(s + i, &cp);
        if (cp == ' ') last_space = i;
        i += k;
        cols++;
    }
    return last_space > 0 ? last_space : i;
}

static void draw_status(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_rect r = a->layout.status;
    char buf[LLM_ERROR_MSG_MAX + 128];
    if (a->entry == LLMEM_ENTRY_KNOB) {
        snprintf(buf, sizeof buf, " %s = %s_   (Enter apply, Esc cancel; 8k 128k 1M 1e6 bf16 ...)",
                 llmem_knob(a->sel)->label, a->entry_buf);
        llmem_canvas_text(c, r.x, r.y, r.w, buf, LLMEM_ROLE_KEY, true);
    } else if (a->entry == LLMEM_ENTRY_SAVE) {
        snprintf(buf, sizeof buf, " save as preset id: %s_   (Enter save, Esc cancel)", a->entry_buf);
        llmem_canvas_text(c, r.x, r.y, r.w, buf, LLMEM_ROLE_KEY, true);
    } else if (a->message[0]) {
        snprintf(buf, sizeof buf, " %s", a->message);
        llmem_canvas_text_fit(c, r.x, r.y, r.w, buf, a->message_role, true);
    } else if (a->demo && a->caption) {
        int cut = caption_cut(a->caption, r.w - 2);
        snprintf(buf, sizeof buf, " %.*s", cut, a->caption);
        llmem_canvas_text(c, r.x, r.y, r.w, buf, LLMEM_ROLE_ACCENT, true);
    } else if (!a->vm.valid) {
        snprintf(buf, sizeof buf, " %s impossible: %s", c->ascii ? "x" : "\xe2\x9c\x97", a->vm.err.message);
        llmem_canvas_text_fit(c, r.x, r.y, r.w, buf, LLMEM_ROLE_WARN, true);
    } else if (a->vm.est.warnings) { /* the engine's warnings, first bit first */
        const char *t = NULL;
        int nw = 0;
        for (unsigned b = 0; b < 32; b++)
            if (a->vm.est.warnings & (1u << b)) {
                if (!t) t = llm_warning_text(1u << b);
                nw++;
            }
        if (nw > 1) snprintf(buf, sizeof buf, " ! %s (+%d more)", t ? t : "warning", nw - 1);
        else snprintf(buf, sizeof buf, " ! %s", t ? t : "warning");
        llmem_canvas_text_fit(c, r.x, r.y, r.w, buf, LLMEM_ROLE_WARN, true);
    } else {
        char tot[32], par[32];
        llm_fmt_bytes(tot, sizeof tot, a->vm.est.per_gpu.total, a->units);
        llm_fmt_count(par, sizeof par, (double)a->vm.est.params.total);
        snprintf(buf, sizeof buf, " %s parameters · %s per GPU%s%s", par, tot,
                 a->machine[0] ? " · " : "", a->machine);
        llmem_canvas_text(c, r.x, r.y, r.w, buf, LLMEM_ROLE_DIM, false);
    }
}

static void draw_footer(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_rect r = a->layout.footer;
    static const char *const hint[][2] = {
        {"\xe2\x86\x90\xe2\x86\x92", "adjust"}, {"\xe2\x86\x91\xe2\x86\x93", "select"},
        {"=", "type"}, {"Tab", "view"}, {"p", "presets"}, {"e", "explain"}, {"c", "pin"},
        {"u", "undo"}, {"g", "GiB/GB"}, {"t", "theme"}, {"?", "help"}, {"q", "quit"}};
    int x = 1;
    if (a->demo && a->caption && !a->message[0] && a->entry == LLMEM_ENTRY_NONE) {
        /* a caption too long for the status line goes on here, before the keys */
        int cut = caption_cut(a->caption, r.w - 2);
        const char *rest = a->caption + cut;
        while (*rest == ' ') rest++;
        if (*rest) {
            int w = llmem_canvas_text(c, x, r.y, r.w - 2, rest, LLMEM_ROLE_ACCENT, true);
            x += w + 3;
        }
    }
    if (a->demo) {
        static const char *const dhint[][2] = {
            {"Space \xe2\x86\x92", "next"}, {"\xe2\x86\x90", "back"}, {"q", "quit"},
            {"Enter", "pause"}, {"b", "big figure"}, {"t", "theme"}};
        for (size_t i = 0; i < sizeof dhint / sizeof dhint[0]; i++) {
            int need = llmem_utf8_width(dhint[i][0]) + 1 + (int)strlen(dhint[i][1]) + 2;
            if (x + need > r.w - 26) break;
            x += llmem_canvas_text(c, x, r.y, -1, dhint[i][0], LLMEM_ROLE_KEY, true);
            x++;
            x += llmem_canvas_text(c, x, r.y, -1, dhint[i][1], LLMEM_ROLE_DIM, false);
            x += 2;
        }
        char step[48];
        snprintf(step, sizeof step, "talk mode %d/%d%s ", a->demo_step + 1, llmem_demo_steps(),
                 a->demo_paused ? " (paused)" : "");
        llmem_canvas_text_right(c, r.x, r.y, r.w, step, LLMEM_ROLE_DIM, false);
        return;
    }
    for (size_t i = 0; i < sizeof hint / sizeof hint[0]; i++) {
        int need = llmem_utf8_width(hint[i][0]) + 1 + (int)strlen(hint[i][1]) + 2;
        if (x + need > r.w) break;
        x += llmem_canvas_text(c, x, r.y, -1, hint[i][0], LLMEM_ROLE_KEY, true);
        x++;
        x += llmem_canvas_text(c, x, r.y, -1, hint[i][1], LLMEM_ROLE_DIM, false);
        x += 2;
    }
}

/* Overlays cover the body (sliders and view) below the tabs. */
static llmem_rect body(const llmem_app *a)
{
    llmem_rect k = a->layout.knobs, m = a->layout.main;
    return (llmem_rect){k.x, k.y, m.x + m.w - k.x, k.h + a->big_rect.h}; /* and the large figure */
}

/* Every key, as (keys, what) pairs; headings have no keys. */
static const char *const help_keys[][2] = {
    {NULL, "Sliders"},
    {"\xe2\x86\x91\xe2\x86\x93 k j", "select a setting"},
    {"\xe2\x86\x90\xe2\x86\x92 h l", "step: 2^n, divisors, lists"},
    {"S-\xe2\x86\x90\xe2\x86\x92 H L", "big step"},
    {"PgUp PgDn", "big step"},
    {"Home End", "minimum / maximum"},
    {"Enter =", "type: 8k 128k 1M 1e6 bf16"},
    {"Ctrl-U", "clear what was typed"},
    {"mouse", "click slider / track, drag"},
    {"wheel", "adjust the slider"},
    {NULL, "Views"},
    {"Tab S-Tab", "next / previous view"},
    {"1 .. 7", "Memory .. Compare"},
    {"click", "a view name"},
    {"a", "Sweep: next axis"},
    {NULL, "Tools"},
    {"p", "presets: type to filter"},
    {"e", "explain (\xe2\x86\x91\xe2\x86\x93 next figure)"},
    {"c", "pin / unpin for Compare"},
    {NULL, "Changes"},
    {"u", "undo"},
    {"Ctrl-R", "redo"},
    {"r", "reset to the preset"},
    {NULL, "Display and files"},
    {"g", "GiB <-> GB"},
    {"t", "dark light contrast mono"}, /* the --theme names */
    {"w", "save as YAML preset"},
    {"s", "screenshot (SVG + text)"},
    {"b", "large total (for talks)"},
    {"Ctrl-L", "repaint the screen"},
    {"? F1", "this help"},
    {"Esc", "close / cancel"},
    {"q Ctrl-C", "quit"},
};

static void draw_help(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_rect r = body(a);
    int n = (int)(sizeof help_keys / sizeof help_keys[0]);
    int colw = 38, ncol = (r.w - 4) / colw;
    if (ncol < 1) ncol = 1;
    if (ncol > 3) ncol = 3;
    int per = (n + ncol - 1) / ncol;
    llmem_w_overlay(c, r, "Help: every key (any key closes)", "", 0);
    int col = 0, row = 0;
    for (int i = 0; i < n; i++, row++) {
        /* Whole groups per column: a group that would run past `per` rows
         * starts the next column, so every column begins with a heading. */
        if (!help_keys[i][0] && row > 0 && col + 1 < ncol) {
            int g = 1;
            while (i + g < n && help_keys[i + g][0]) g++;
            if (row + g > per) {
                col++;
                row = 0;
            }
        }
        int x = r.x + 2 + col * colw, y = r.y + 1 + row;
        if (y >= r.y + r.h - 1) continue;
        if (!help_keys[i][0]) {
            llmem_canvas_text(c, x, y, colw - 1, help_keys[i][1], LLMEM_ROLE_HEADING, true);
            continue;
        }
        llmem_canvas_text(c, x + 1, y, 10, help_keys[i][0], LLMEM_ROLE_KEY, true);
        llmem_canvas_text(c, x + 11, y, colw - 12, help_keys[i][1], LLMEM_ROLE_OVERLAY, false);
    }
}

int llmem_view_figures(const llmem_app *a, llm_figure *out, int cap)
{
    static const llm_figure mem[] = {LLM_FIG_MEM_TOTAL,       LLM_FIG_MEM_WEIGHTS, LLM_FIG_MEM_GRADIENTS,
                                     LLM_FIG_MEM_OPTIMIZER,   LLM_FIG_MEM_ACTIVATIONS,
                                     LLM_FIG_MEM_KV,          LLM_FIG_MEM_OVERHEAD};
    static const llm_figure par[] = {LLM_FIG_PARAMS_TOTAL};
    static const llm_figure cmp[] = {LLM_FIG_FLOPS_PER_TOKEN, LLM_FIG_TRAIN_TIME, LLM_FIG_PREFILL,
                                     LLM_FIG_DECODE};
    static const llm_figure sca[] = {LLM_FIG_SCALING, LLM_FIG_PARAMS_TOTAL};
    const llm_figure *f;
    int n;
    switch (a->view) {
    case LLMEM_VIEW_PARAMS: f = par; n = 1; break;
    case LLMEM_VIEW_COMPUTE: f = cmp; n = 4; break;
    case LLMEM_VIEW_SCALING: f = sca; n = 2; break;
    default: f = mem; n = 7; break;
    }
    if (n > cap) n = cap;
    memcpy(out, f, sizeof *f * (size_t)n);
    return n;
}

static void draw_explain(llmem_app *a)
{
    llm_figure figs[16];
    int nf = llmem_view_figures(a, figs, 16);
    if (a->figure >= nf) a->figure = 0;
    llm_figure f = figs[a->figure];
    char buf[8192];
    const llm_gpu *g = a->vm.gpu;
    llm_explain(&a->cfg.model, &a->cfg.workload, g, f, buf, sizeof buf);
    char title[96];
    snprintf(title, sizeof title, "Explain %s (%d/%d, Up/Down: next, Esc)", llm_figure_name(f),
             a->figure + 1, nf);
    llmem_w_overlay(&a->canvas, body(a), title, buf, 0);
}

static void draw_picker(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_hitmap *h = hits(a);
    llmem_rect r = body(a);
    llmem_w_overlay(c, r, "Presets (type to filter, Enter pick, Esc close)", "", 0);
    char buf[256];
    snprintf(buf, sizeof buf, "filter: %s_", a->filter);
    llmem_canvas_text(c, r.x + 2, r.y + 1, r.w - 4, buf, LLMEM_ROLE_KEY, true);
    int y0 = r.y + 2, rows = r.h - 3;
    if (a->npick == 0) {
        llmem_canvas_text(c, r.x + 2, y0, r.w - 4, "no preset matches", LLMEM_ROLE_DIM, false);
        h->pick_rows = 0;
        return;
    }
    if (a->pick_sel < a->pick_scroll) a->pick_scroll = a->pick_sel;
    if (a->pick_sel >= a->pick_scroll + rows) a->pick_scroll = a->pick_sel - rows + 1;
    /* keep the group heading of the first row visible when possible */
    if (a->pick_scroll > 0 && a->pick[a->pick_scroll - 1].preset < 0 && a->pick_sel - (a->pick_scroll - 1) < rows)
        a->pick_scroll--;
    h->pick_y0 = y0;
    h->pick_first = a->pick_scroll;
    h->pick_rows = rows;
    for (int i = 0; i < rows && a->pick_scroll + i < a->npick; i++) {
        const llmem_pick_row *pr = &a->pick[a->pick_scroll + i];
        int y = y0 + i;
        if (pr->preset < 0) {
            snprintf(buf, sizeof buf, "%s", strcmp(pr->group, "hf-cache") == 0
                                                ? "local Hugging Face cache" : pr->group);
            llmem_canvas_text(c, r.x + 2, y, r.w - 4, buf, LLMEM_ROLE_HEADING, true);
            continue;
        }
        const llm_preset *p = &a->reg->presets[pr->preset];
        llm_params pc;
        char cnt[32] = "?";
        if (llm_params_count(&p->model, &pc, NULL) == LLM_OK) llm_fmt_count(cnt, sizeof cnt, (double)pc.total);
        bool sel = a->pick_scroll + i == a->pick_sel;
        int role = sel ? LLMEM_ROLE_SELECTED : LLMEM_ROLE_OVERLAY;
        if (sel) llmem_canvas_fill(c, (llmem_rect){r.x + 1, y, r.w - 2, 1}, ' ', role);
        int namew = r.w - 4 - 2 - 10 - 2 - 13 - 24;
        if (namew < 20) namew = 20;
        if (namew > 60) namew = 60;
        snprintf(buf, sizeof buf, "%s %-*.*s %10s  %-12s %s", sel ? ">" : " ", namew, namew, p->name, cnt,
                 strcmp(p->family, "hf-cache") == 0 ? "local" : p->published ? "published" : "illustrative",
                 p->id);
        llmem_canvas_text(c, r.x + 2, y, r.w - 4, buf, role, sel);
    }
}

/* The large figure: the per-GPU total in digits five rows tall, its unit,
 * and whether it fits the chosen GPU, so it reads from the back of a room. */
static void draw_big(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    llmem_rect r = a->big_rect;
    if (r.w == 0) return;
    llmem_canvas_box(c, r, "Total memory per GPU", LLMEM_ROLE_FRAME);
    llmem_rect in = llmem_rect_inner(r);
    const llmem_glyphs *g = llmem_glyphs_get(c->ascii);
    char buf[LLM_ERROR_MSG_MAX + 64];
    if (!a->vm.valid) {
        snprintf(buf, sizeof buf, "%s impossible: %s", c->ascii ? "x" : "\xe2\x9c\x97", a->vm.err.message);
        llmem_canvas_text(c, in.x + 2, in.y + 2, in.w - 4, buf, LLMEM_ROLE_WARN, true);
        return;
    }
    double total = a->vm.est.per_gpu.total;
    int role = LLMEM_ROLE_ACCENT;
    if (a->vm.gpu && a->vm.gpu_fit_ok) role = a->vm.gpu_fit.fits ? LLMEM_ROLE_OK : LLMEM_ROLE_OVER;
    char num[32];
    llm_fmt_bytes_at(num, sizeof num, total, a->units, LLM_SCALE_G, 1, false);
    int x = in.x + 2;
    x += llmem_w_big(c, x, in.y, num, role) + 2;
    llmem_canvas_text(c, x, in.y + LLMEM_BIG_ROWS - 1, 4, llm_units_name(a->units), role, true);
    x += 6;
    if (x + 20 > in.x + in.w) return;
    int tw = in.x + in.w - x - 1;
    const llm_workload *w = &a->cfg.workload;
    unsigned long long n = (unsigned long long)w->tp * w->pp * w->dp;
    snprintf(buf, sizeof buf, "%s, %s weights, %llu GPU%s", llm_mode_name(w->mode), w->weights.name, n,
             n == 1 ? "" : "s");
    llmem_canvas_text(c, x, in.y + 1, tw, buf, LLMEM_ROLE_LABEL, false);
    if (a->vm.gpu && a->vm.gpu_fit_ok) {
        const llm_fit *f = &a->vm.gpu_fit;
        char pct[16], mark[8], gname[40];
        if (f->utilisation >= 9.995) snprintf(pct, sizeof pct, ">999%%");
        else llm_fmt_percent(pct, sizeof pct, f->utilisation, 0);
        llmem_utf8_encode(f->fits ? g->check : g->cross, mark);
        llmem_gpu_short_name(a->vm.gpu->name, gname, sizeof gname);
        snprintf(buf, sizeof buf, "%s %s of one %s", mark, pct, gname);
        llmem_canvas_text(c, x, in.y + 3, tw, buf, role, true);
        if (f->fits) snprintf(buf, sizeof buf, "  fits");
        else if (f->gpus_needed)
            snprintf(buf, sizeof buf, "  needs %llu GPUs (this layout)", (unsigned long long)f->gpus_needed);
        else snprintf(buf, sizeof buf, "  does not fit on any count");
        llmem_canvas_text(c, x, in.y + 4, tw, buf, role, false);
    }
}

static void draw_too_small(llmem_app *a)
{
    llmem_canvas *c = &a->canvas;
    const char *msg = "terminal too small (need 80x24)";
    char size[32];
    snprintf(size, sizeof size, "now %dx%d", c->cols, c->rows);
    int w = (int)strlen(msg);
    int y = c->rows / 2 - 1;
    if (y < 0) y = 0;
    int x = (c->cols - w) / 2;
    if (x < 0) x = 0;
    llmem_canvas_text(c, x, y, c->cols - x, msg, LLMEM_ROLE_WARN, true);
    int sw = (int)strlen(size);
    int sx = (c->cols - sw) / 2;
    if (sx < 0) sx = 0;
    llmem_canvas_text(c, sx, y + 1, c->cols - sx, size, LLMEM_ROLE_DIM, false);
    if (c->rows > 3) llmem_canvas_text(c, 0, c->rows - 1, c->cols, "q quit", LLMEM_ROLE_KEY, false);
}

void llmem_app_render(llmem_app *a, unsigned flags)
{
    if (flags & LLMEM_FLAG_RECOMPUTE) {
        llmem_vm_build(&a->vm, &a->cfg, a->reg);
        if (a->pinned) llmem_vm_build(&a->pin_vm, &a->pin, a->reg);
    }
    llmem_canvas_clear(&a->canvas);
    a->frames++;
    if (a->layout.mode == LLMEM_LAYOUT_TOO_SMALL) {
        draw_too_small(a);
        return;
    }
    draw_title(a);
    draw_tabs(a);
    draw_knobs(a);
    llmem_canvas_box(&a->canvas, a->layout.main, llmem_view_name((int)a->view), LLMEM_ROLE_FRAME);
    llmem_canvas_clip(&a->canvas, llmem_rect_inner(a->layout.main));
    llmem_views_draw(a, llmem_rect_inner(a->layout.main));
    llmem_canvas_unclip(&a->canvas);
    draw_big(a);
    switch (a->overlay) {
    case LLMEM_OVERLAY_HELP: draw_help(a); break;
    case LLMEM_OVERLAY_EXPLAIN: draw_explain(a); break;
    case LLMEM_OVERLAY_PRESETS: draw_picker(a); break;
    default: break;
    }
    draw_status(a);
    draw_footer(a);
}
