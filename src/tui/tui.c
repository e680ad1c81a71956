/* llmem_tui_run: the app loop on a real terminal, or headless on a canvas. */
#include "tui/tui.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/app.h"
#include "tui/gpudetect.h"
#include "tui/term.h"

static bool locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void apply_machine(llmem_app *a, const llmem_tui_opts *o, bool interactive)
{
    if (o->detect_gpus < 0 || (o->detect_gpus == 0 && !interactive)) return;
    llmem_machine m;
    if (!llmem_detect_gpus(a->reg, 2000, &m)) return;
    const char *label = m.match ? m.match->name : m.name;
    snprintf(a->machine, sizeof a->machine, "this machine: %d\xc3\x97 %s", m.count, label);
    if (m.match && !o->gpu_explicit) {
        snprintf(a->cfg.gpu, sizeof a->cfg.gpu, "%s", m.match->id);
        a->reset_cfg = a->cfg;
    }
}

/* A dump (0 text, 1 SVG, 2 roles) to path, or to stdout for "-".  Files
 * go through llm_write_file_atomic: a reader (a slide deck watching the
 * file) never sees half a picture, a symbolic link is written through and
 * stays a link, and a device or pipe (/dev/null, /dev/stdout, a FIFO) is
 * written in place.  An existing file is replaced: that is what was asked. */
static int write_file(const char *path, const llmem_app *a, int what)
{
    if (strcmp(path, "-") == 0) {
        int rc = what == 0   ? llmem_canvas_dump_text(&a->canvas, stdout)
                 : what == 1 ? llmem_canvas_dump_svg(&a->canvas, a->theme, stdout)
                             : llmem_canvas_dump_roles(&a->canvas, stdout);
        if (fflush(stdout) != 0) rc = -1;
        if (rc != 0) fprintf(stderr, "llmem: error writing to standard output\n");
        return rc ? 1 : 0;
    }
    llm_error err;
    if (llmem_canvas_write_file(&a->canvas, a->theme, what, path, true, &err) != LLM_OK) {
        fprintf(stderr, "llmem: %s\n", err.message);
        return 1;
    }
    return 0;
}

static int run_headless(const llmem_tui_opts *o)
{
    int cols = o->cols > 0 ? o->cols : 120, rows = o->rows > 0 ? o->rows : 36;
    static llmem_app a;
    if (!llmem_app_init(&a, o, cols, rows)) {
        fprintf(stderr, "llmem: out of memory\n");
        return 1;
    }
    a.canvas.ascii = o->ascii;
    if (o->screenshot_dir) snprintf(a.screenshot_dir, sizeof a.screenshot_dir, "%s", o->screenshot_dir);
    apply_machine(&a, o, false);
    unsigned flags = LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
    llmem_app_render(&a, flags);
    int max = o->max_frames > 0 ? o->max_frames : 10000;
    const char *k = o->keys ? o->keys : "";
    int status = 0;
    for (;;) {
        llmem_event ev;
        const char *at = k;
        int r = llmem_keys_next(&k, &ev);
        if (r == 0) break;
        if (r < 0) {
            fprintf(stderr, "llmem: bad key escape at \"%.20s\" (see --keys in llmem(1))\n", at);
            status = LLMEM_TUI_BAD_KEYS;
            break;
        }
        if (ev.type == LLMEM_EV_RESIZE && !llmem_app_resize(&a, ev.cols, ev.rows)) {
            status = 1;
            break;
        }
        flags = llmem_app_handle(&a, &ev);
        if (flags & LLMEM_FLAG_QUIT) break;
        if (flags) llmem_app_render(&a, flags);
        if ((int)a.frames >= max) break;
    }
    if (status == 0 && o->dump_screen) status = write_file(o->dump_screen, &a, 0);
    if (status == 0 && o->dump_svg) status = write_file(o->dump_svg, &a, 1);
    if (status == 0 && o->dump_roles) status = write_file(o->dump_roles, &a, 2);
    llmem_app_free(&a);
    return status;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run_terminal(const llmem_tui_opts *o)
{
    char err[256];
    bool utf8 = locale_is_utf8();
    if (!llmem_term_open(err, sizeof err)) {
        fprintf(stderr, "llmem: %s\n", err);
        return 1;
    }
    int cols, rows;
    llmem_term_size(&cols, &rows);
    static llmem_app a;
    if (!llmem_app_init(&a, o, cols, rows)) {
        llmem_term_close();
        fprintf(stderr, "llmem: out of memory\n");
        return 1;
    }
    a.canvas.ascii = o->ascii || !utf8;
    if (!llmem_term_has_colour() && a.theme->colour) a.theme = llmem_theme_get("mono");
    if (o->screenshot_dir) snprintf(a.screenshot_dir, sizeof a.screenshot_dir, "%s", o->screenshot_dir);
    apply_machine(&a, o, true);
    llmem_term_set_theme(a.theme);
    unsigned flags = LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW;
    int status = 0;
    /* Talk mode advances on a timer: the next step is due `period` after the
     * current one was shown, whatever events came in between. */
    int period = o->demo_interval_ms ? o->demo_interval_ms : 10000;
    bool timed = a.demo && period > 0;
    long long due = timed ? now_ms() + period : 0;
    int shown_step = a.demo_step;
    for (;;) {
        if (flags & LLMEM_FLAG_THEME) llmem_term_set_theme(a.theme);
        if (flags & LLMEM_FLAG_REPAINT) llmem_term_repaint();
        if (flags & (LLMEM_FLAG_REDRAW | LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_RELAYOUT)) {
            llmem_app_render(&a, flags);
            llmem_term_blit(&a.canvas);
        }
        if (timed && a.demo_step != shown_step) { /* a key moved the tour: restart the clock */
            shown_step = a.demo_step;
            due = now_ms() + period;
        }
        llmem_event ev;
        /* Blocks until input or a signal (or talk mode's timer): no busy loop. */
        int wait = -1;
        if (timed) {
            long long left = due - now_ms();
            wait = left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
        }
        if (!llmem_term_next(&ev, wait)) {
            if (timed && now_ms() >= due) {
                flags = llmem_app_tick(&a);
                due = now_ms() + period; /* paused: look again one period later */
                shown_step = a.demo_step;
            } else {
                flags = 0;
            }
            continue;
        }
        if (ev.type == LLMEM_EV_RESIZE) {
            if (!llmem_app_resize(&a, ev.cols, ev.rows)) {
                status = 1;
                break;
            }
        }
        flags = llmem_app_handle(&a, &ev);
        if (flags & LLMEM_FLAG_QUIT) {
            /* stopped by a signal: the shell convention 128 + signal */
            if (ev.type == LLMEM_EV_QUIT && ev.key > 0) status = 128 + ev.key;
            break;
        }
    }
    llmem_term_close();
    llmem_app_free(&a);
    return status;
}

int llmem_tui_run(const llmem_tui_opts *o)
{
    setlocale(LC_ALL, "");
    bool headless = (o->cols > 0 && o->rows > 0) || o->keys || o->dump_screen || o->dump_svg ||
                    o->dump_roles;
    return headless ? run_headless(o) : run_terminal(o);
}
