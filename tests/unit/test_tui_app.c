/* The explorer's state machine without a terminal: events in, config and
 * flags out (undo/redo/reset, units, themes, views, typed entry, mouse,
 * presets picker, impossible combinations, resize). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "tui/app.h"

static llm_registry reg;
static llmem_app app;

static int setup(void **state)
{
    (void)state;
    llm_registry_init(&reg);
    (void)llm_registry_load_builtin(&reg, NULL);
    return reg.npresets ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_registry_free(&reg);
    return 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return true;
    return false;
}

static void start(int cols, int rows)
{
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    const llm_preset *p = llm_registry_find(&reg, "llama-3-8b");
    assert_non_null(p);
    llm_config_from_preset(&o.config, p);
    snprintf(o.config.gpu, sizeof o.config.gpu, "h100-80gb");
    snprintf(o.preset_id, sizeof o.preset_id, "llama-3-8b");
    o.registry = &reg;
    o.theme = "dark";
    assert_true(llmem_app_init(&app, &o, cols, rows));
    llmem_app_render(&app, LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW);
}

static unsigned feed(const char *keys)
{
    unsigned all = 0;
    llmem_event ev;
    while (llmem_keys_next(&keys, &ev) == 1) {
        if (ev.type == LLMEM_EV_RESIZE) assert_true(llmem_app_resize(&app, ev.cols, ev.rows));
        unsigned f = llmem_app_handle(&app, &ev);
        all |= f;
        if (f) llmem_app_render(&app, f);
    }
    return all;
}

static void test_undo_redo_reset(void **state)
{
    (void)state;
    start(120, 36);
    assert_int_equal(app.cfg.model.layers, 32);
    unsigned f = feed("l");
    assert_true(f & LLMEM_FLAG_RECOMPUTE);
    assert_int_equal(app.cfg.model.layers, 33);
    feed("ll");
    assert_int_equal(app.cfg.model.layers, 35);
    feed("u");
    assert_int_equal(app.cfg.model.layers, 34);
    feed("uu");
    assert_int_equal(app.cfg.model.layers, 32);
    feed("<C-r>");
    assert_int_equal(app.cfg.model.layers, 33);
    feed("r");
    assert_int_equal(app.cfg.model.layers, 32);
    feed("u"); /* reset is undoable */
    assert_int_equal(app.cfg.model.layers, 33);
    /* a step that changes nothing (at the minimum) records no undo */
    int n = app.nundo;
    feed("<Home>");
    feed("<Left>");
    assert_int_equal(app.cfg.model.layers, 1);
    assert_int_equal(app.nundo, n + 1);
    llmem_app_free(&app);
}

static void test_units_theme_views(void **state)
{
    (void)state;
    start(120, 36);
    assert_int_equal(app.units, LLM_UNITS_GIB);
    feed("g");
    assert_int_equal(app.units, LLM_UNITS_GB);
    /* the title line states the units */
    char row[2048];
    llmem_canvas_row(&app.canvas, 0, row, sizeof row);
    assert_non_null(strstr(row, " GB "));
    assert_string_equal(app.theme->name, "dark");
    unsigned f = feed("t");
    assert_true(f & LLMEM_FLAG_THEME);
    assert_string_equal(app.theme->name, "light");
    feed("ttt");
    assert_string_equal(app.theme->name, "dark");
    feed("3");
    assert_int_equal(app.view, LLMEM_VIEW_COMPUTE);
    feed("<Tab><Tab><Tab><Tab><Tab>");
    assert_int_equal(app.view, LLMEM_VIEW_MEMORY); /* wraps after Compare */
    feed("<S-Tab>");
    assert_int_equal(app.view, LLMEM_VIEW_COMPARE);
    llmem_app_free(&app);
}

static void test_typed_entry_and_impossible(void **state)
{
    (void)state;
    start(120, 36);
    /* Seq len is nine sliders below Layers */
    feed("jjjjjjjjj=128k<Enter>");
    assert_int_equal(app.sel, LLMEM_K_SEQ);
    assert_int_equal(app.cfg.workload.seq, 131072);
    /* junk: refused with a message, config unchanged */
    feed("=lots<Enter>");
    assert_int_equal(app.cfg.workload.seq, 131072);
    assert_true(strlen(app.message) > 0);
    /* Esc cancels an entry */
    feed("=64<Esc>");
    assert_int_equal(app.cfg.workload.seq, 131072);
    /* 7 KV heads cannot divide 32 heads: impossible, blamed on kv_heads,
     * and the status line says why */
    feed("<Home>"); /* seq to its minimum, harmless */
    app.sel = LLMEM_K_KV_HEADS;
    feed("=7<Enter>");
    assert_false(app.vm.valid);
    assert_int_equal(app.vm.bad_knob, LLMEM_K_KV_HEADS);
    char row[2048];
    llmem_canvas_row(&app.canvas, app.layout.status.y, row, sizeof row);
    assert_non_null(strstr(row, "impossible"));
    /* the blamed slider shows '!' */
    bool bang = false;
    for (int y = 0; y < app.canvas.rows; y++) {
        llmem_canvas_row(&app.canvas, y, row, sizeof row);
        if (strstr(row, "!KV heads")) bang = true;
    }
    assert_true(bang);
    feed("u");
    assert_true(app.vm.valid);
    llmem_app_free(&app);
}

static void test_mouse(void **state)
{
    (void)state;
    start(120, 36);
    /* the view tabs on row 1: find "4 Scaling" and click it */
    char row[2048];
    llmem_canvas_row(&app.canvas, 1, row, sizeof row);
    const char *at = strstr(row, "4 Scaling");
    assert_non_null(at);
    char keys[160];
    snprintf(keys, sizeof keys, "<Click:%d,1>", (int)(at - row));
    feed(keys);
    assert_int_equal(app.view, LLMEM_VIEW_SCALING);
    /* click on the Batch row's label selects it; the wheel steps it */
    int by = -1;
    for (int y = 0; y < app.canvas.rows && by < 0; y++) {
        llmem_canvas_row(&app.canvas, y, row, sizeof row);
        if (strstr(row, " Batch ")) by = y;
    }
    assert_true(by > 0);
    snprintf(keys, sizeof keys, "<Click:3,%d>", by);
    feed(keys);
    assert_int_equal(app.sel, LLMEM_K_BATCH);
    snprintf(keys, sizeof keys, "<WheelUp:3,%d><WheelUp:3,%d>", by, by);
    feed(keys);
    assert_int_equal(app.cfg.workload.micro_batch, 4); /* 1 -> 2 -> 4 */
    /* click the far right of the Layers track: the maximum, 1024 */
    int ly = -1;
    for (int y = 0; y < app.canvas.rows && ly < 0; y++) {
        llmem_canvas_row(&app.canvas, y, row, sizeof row);
        if (strstr(row, "Layers ")) ly = y;
    }
    int track_end = app.layout.knobs.x + app.layout.knobs.w - 2; /* last cell inside the frame */
    snprintf(keys, sizeof keys, "<Click:%d,%d><Release:%d,%d>", track_end, ly, track_end, ly);
    feed(keys);
    assert_int_equal(app.cfg.model.layers, 1024);
    /* drag back to the first track cell: the minimum, 1 */
    int track_start = app.layout.knobs.x + 1 + 22;
    snprintf(keys, sizeof keys, "<Click:%d,%d><Drag:%d,%d><Release:%d,%d>", track_end, ly, track_start,
             ly, track_start, ly);
    feed(keys);
    assert_int_equal(app.cfg.model.layers, 1);
    llmem_app_free(&app);
}

static void test_picker(void **state)
{
    (void)state;
    start(120, 36);
    feed("p");
    assert_int_equal(app.overlay, LLMEM_OVERLAY_PRESETS);
    /* grouped by family: every preset row follows a heading of its family */
    const char *group = NULL;
    for (int i = 0; i < app.npick; i++) {
        if (app.pick[i].preset < 0) group = app.pick[i].group;
        else assert_string_equal(reg.presets[app.pick[i].preset].family, group);
    }
    feed("mixtral");
    assert_true(app.npick >= 2);
    for (int i = 0; i < app.npick; i++)
        if (app.pick[i].preset >= 0)
            assert_true(contains_ci(reg.presets[app.pick[i].preset].name, "mixtral") ||
                        contains_ci(reg.presets[app.pick[i].preset].id, "mixtral"));
    feed("<Enter>");
    assert_int_equal(app.overlay, LLMEM_OVERLAY_NONE);
    assert_non_null(strstr(app.preset_id, "mixtral"));
    assert_true(app.cfg.model.experts > 0);
    feed("u"); /* picking a preset is undoable */
    assert_int_equal(app.cfg.model.experts, 0);
    feed("p<Esc>");
    assert_int_equal(app.overlay, LLMEM_OVERLAY_NONE);
    llmem_app_free(&app);
}

static void test_resize_and_quit(void **state)
{
    (void)state;
    start(120, 36);
    assert_int_equal(app.layout.mode, LLMEM_LAYOUT_FULL);
    unsigned f = feed("<Resize:80x24>");
    assert_true(f & LLMEM_FLAG_RELAYOUT);
    assert_int_equal(app.layout.mode, LLMEM_LAYOUT_COMPACT);
    feed("<Resize:60x20>");
    assert_int_equal(app.layout.mode, LLMEM_LAYOUT_TOO_SMALL);
    char *s = llmem_canvas_text_string(&app.canvas);
    assert_non_null(strstr(s, "terminal too small (need 80x24)"));
    free(s);
    feed("<Resize:300x100>");
    assert_int_equal(app.canvas.cols, 300);
    assert_int_equal(app.layout.mode, LLMEM_LAYOUT_FULL);
    assert_true(feed("q") & LLMEM_FLAG_QUIT);
    llmem_app_free(&app);
}

/* Ctrl-L asks the terminal module to send every cell again and changes
 * nothing else (the same screen text before and after). */
static void test_ctrl_l_repaints(void **state)
{
    (void)state;
    start(120, 36);
    char *before = llmem_canvas_text_string(&app.canvas);
    unsigned f = feed("<C-l>");
    assert_true(f & LLMEM_FLAG_REPAINT);
    assert_false(f & LLMEM_FLAG_RECOMPUTE);
    char *after = llmem_canvas_text_string(&app.canvas);
    assert_string_equal(before, after);
    free(before);
    free(after);
    llmem_app_free(&app);
}

/* 'b': the large total figure takes a 7-row strip (frame + 5 rows of
 * digits) from the bottom of both panels; again 'b' gives the rows back. */
static void test_big_figure_toggle(void **state)
{
    (void)state;
    start(120, 36);
    int main_h = app.layout.main.h;
    assert_int_equal(app.big_rect.w, 0);
    feed("b");
    assert_int_equal(app.big_rect.w, 120);
    assert_int_equal(app.big_rect.h, 7);
    assert_int_equal(app.layout.main.h, main_h - 7);
    assert_int_equal(app.big_rect.y, app.layout.main.y + app.layout.main.h);
    char *s = llmem_canvas_text_string(&app.canvas);
    assert_non_null(strstr(s, "Total memory per GPU"));
    free(s);
    /* at 80x24 there is still room (the view keeps 13 rows); too small: none */
    feed("<Resize:80x24>");
    assert_int_equal(app.big_rect.h, 7);
    assert_true(app.layout.main.h >= 12);
    feed("<Resize:60x20>");
    assert_int_equal(app.big_rect.w, 0);
    feed("<Resize:120x36>b");
    assert_int_equal(app.big_rect.w, 0);
    assert_int_equal(app.layout.main.h, main_h);
    llmem_app_free(&app);
}

static char *screen(void)
{
    return llmem_canvas_text_string(&app.canvas);
}

/* Talk mode: next/back/timer/pause, and going back shows exactly the screen
 * shown before (each step replays the script from the start). */
static void test_demo(void **state)
{
    (void)state;
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    llm_config_default(&o.config);
    o.registry = &reg;
    o.theme = "contrast";
    o.demo = true;
    assert_true(llmem_app_init(&app, &o, 120, 36));
    llmem_app_render(&app, LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW);
    int n = llmem_demo_steps();
    assert_true(n >= 6);
    assert_int_equal(app.demo_step, 0);
    assert_true(app.big_rect.w > 0); /* the large figure is on in talk mode */
    assert_string_equal(app.preset_id, "llama-3-8b");
    char *first = screen();
    assert_non_null(strstr(first, "talk mode 1/"));
    assert_non_null(strstr(first, app.caption));
    feed(" ");
    assert_int_equal(app.demo_step, 1);
    feed("<Right>");
    assert_int_equal(app.demo_step, 2);
    char *third = screen();
    feed("<Left><Left>");
    assert_int_equal(app.demo_step, 0);
    char *again = screen();
    assert_string_equal(first, again); /* back shows the same screen */
    free(again);
    feed("<Right><Right>");
    again = screen();
    assert_string_equal(third, again);
    free(again);
    free(third);
    free(first);
    /* the timer: <Tick> advances; any other key pauses it; Enter resumes */
    feed("<Tick>");
    assert_int_equal(app.demo_step, 3);
    feed("g"); /* units: works as in the explorer, and pauses */
    assert_true(app.demo_paused);
    assert_int_equal(feed("<Tick>") & LLMEM_FLAG_RECOMPUTE, 0);
    assert_int_equal(app.demo_step, 3);
    char *s = screen();
    assert_non_null(strstr(s, "(paused)"));
    free(s);
    feed(" "); /* by hand while paused */
    assert_int_equal(app.demo_step, 4);
    assert_true(app.demo_paused);
    feed("<Enter><Tick>");
    assert_false(app.demo_paused);
    assert_int_equal(app.demo_step, 5);
    /* the tour loops both ways */
    llmem_demo_goto(&app, 0);
    feed("<Left>");
    assert_int_equal(app.demo_step, n - 1);
    feed(" ");
    assert_int_equal(app.demo_step, 0);
    /* every step computes (no impossible combination in the script) */
    for (int i = 0; i < n; i++) {
        llmem_app_render(&app, llmem_demo_goto(&app, i));
        if (!app.vm.valid) fail_msg("step %d: %s", i + 1, app.vm.err.message);
    }
    assert_true(feed("q") & LLMEM_FLAG_QUIT);
    llmem_app_free(&app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undo_redo_reset), cmocka_unit_test(test_units_theme_views),
        cmocka_unit_test(test_typed_entry_and_impossible), cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_picker),          cmocka_unit_test(test_resize_and_quit), cmocka_unit_test(test_ctrl_l_repaints),
        cmocka_unit_test(test_big_figure_toggle), cmocka_unit_test(test_demo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
