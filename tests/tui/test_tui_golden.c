/* Golden screens: the real explorer, headless on a canvas, keys fed from a
 * script; the text dump and the colour-role layer are compared with the
 * files under tests/golden/screens/.  Those files are written only by
 * tests/tools/regen-screens.sh (which sets LLMEM_REGEN_SCREENS=1), and each
 * one is looked at before it is accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/app.h"
#include "tui/tui.h"

#define GOLDEN LLMEM_SOURCE_DIR "/tests/golden/screens"

static llm_registry reg;

typedef struct screen {
    const char *name;
    const char *preset;
    const char *keys;
    int cols, rows;
    const char *theme;
    bool ascii;
    bool demo; /* talk mode (--demo) */
} screen;

static const screen screens[] = {
    {"memory-80x24-dark", "llama-3-8b", "1", 80, 24, "dark", false, false},
    {"memory-120x36-dark", "llama-3-8b", "1", 120, 36, "dark", false, false},
    {"memory-80x24-mono", "llama-3-8b", "1", 80, 24, "mono", false, false},
    {"memory-120x36-mono", "llama-3-8b", "1", 120, 36, "mono", false, false},
    {"params-80x24-dark", "llama-3-8b", "2", 80, 24, "dark", false, false},
    {"params-120x36-dark", "llama-3-8b", "2", 120, 36, "dark", false, false},
    {"params-80x24-mono", "llama-3-8b", "2", 80, 24, "mono", false, false},
    {"params-120x36-mono", "llama-3-8b", "2", 120, 36, "mono", false, false},
    {"compute-80x24-dark", "llama-3-8b", "3", 80, 24, "dark", false, false},
    {"compute-120x36-dark", "llama-3-8b", "3", 120, 36, "dark", false, false},
    {"compute-80x24-mono", "llama-3-8b", "3", 80, 24, "mono", false, false},
    {"compute-120x36-mono", "llama-3-8b", "3", 120, 36, "mono", false, false},
    {"scaling-80x24-dark", "llama-3-8b", "4", 80, 24, "dark", false, false},
    {"scaling-120x36-dark", "llama-3-8b", "4", 120, 36, "dark", false, false},
    {"scaling-80x24-mono", "llama-3-8b", "4", 80, 24, "mono", false, false},
    {"scaling-120x36-mono", "llama-3-8b", "4", 120, 36, "mono", false, false},
    {"techniques-80x24-dark", "llama-3-8b", "5", 80, 24, "dark", false, false},
    {"techniques-120x36-dark", "llama-3-8b", "5", 120, 36, "dark", false, false},
    {"techniques-80x24-mono", "llama-3-8b", "5", 80, 24, "mono", false, false},
    {"techniques-120x36-mono", "llama-3-8b", "5", 120, 36, "mono", false, false},
    {"sweep-80x24-dark", "llama-3-8b", "6", 80, 24, "dark", false, false},
    {"sweep-120x36-dark", "llama-3-8b", "6", 120, 36, "dark", false, false},
    {"sweep-80x24-mono", "llama-3-8b", "6", 80, 24, "mono", false, false},
    {"sweep-120x36-mono", "llama-3-8b", "6", 120, 36, "mono", false, false},
    /* Compare: pin, one layer more, then the view */
    {"compare-80x24-dark", "llama-3-8b", "c<Right>7", 80, 24, "dark", false, false},
    {"compare-120x36-dark", "llama-3-8b", "c<Right>7", 120, 36, "dark", false, false},
    {"compare-80x24-mono", "llama-3-8b", "c<Right>7", 80, 24, "mono", false, false},
    {"compare-120x36-mono", "llama-3-8b", "c<Right>7", 120, 36, "mono", false, false},
    /* overlays and states */
    {"help-80x24-dark", "llama-3-8b", "?", 80, 24, "dark", false, false},
    {"help-120x36-contrast", "llama-3-8b", "?", 120, 36, "contrast", false, false},
    {"presets-120x36-dark", "llama-3-8b", "p", 120, 36, "dark", false, false},
    {"presets-filter-80x24-dark", "llama-3-8b", "pmixtral", 80, 24, "dark", false, false},
    {"explain-120x36-dark", "llama-3-8b", "e", 120, 36, "dark", false, false},
    {"impossible-120x36-dark", "llama-3-8b", "jj=7<Enter>", 120, 36, "dark", false, false},
    {"toosmall-60x20-dark", "llama-3-8b", "", 60, 20, "dark", false, false},
    {"ascii-80x24-mono", "llama-3-8b", "", 80, 24, "mono", true, false},
    {"illustrative-120x36-light", "claude-class-small", "", 120, 36, "light", false, false},
    {"illustrative-params-80x24-light", "claude-class-small", "2", 80, 24, "light", false, false},
    /* the large total figure ('b') */
    {"big-120x36-dark", "llama-3-8b", "b", 120, 36, "dark", false, false},
    {"big-ascii-80x24-mono", "llama-3-8b", "b", 80, 24, "mono", true, false},
    /* talk mode: first step, the Sweep step, compact, paused */
    {"demo-120x36-contrast", "llama-3-8b", "", 120, 36, "contrast", false, true},
    {"demo-sweep-120x36-contrast", "llama-3-8b", "       ", 120, 36, "contrast", false, true},
    {"demo-80x24-mono", "llama-3-8b", "    g", 80, 24, "mono", false, true},
    /* the QA report's cases: a shape step that breaks the pipeline layout
     * (marked, PP kept), DeepSeek-V3 with DP 4 (the ep error; DP is the
     * 23rd slider), huge fit percentages, an illustrative title at 80x24 */
    {"qa-layers-pp-120x36-dark", "gpt3-175b", "l", 120, 36, "dark", false, false},
    {"qa-layers-back-120x36-dark", "gpt3-175b", "lh", 120, 36, "dark", false, false},
    {"qa-ep-error-120x36-dark", "deepseek-v3", "jjjjjjjjjjjjjjjjjjjjjj=4<Enter>", 120, 36, "dark", false, false},
    /* Seq len (10th slider) and Batch at their maxima: totals of petabytes */
    {"qa-huge-80x24-dark", "llama-3.1-405b", "jjjjjjjjj<End>j<End>", 80, 24, "dark", false, false},
    {"qa-huge-techniques-120x36-dark", "llama-3.1-405b", "jjjjjjjjj<End>j<End>5", 120, 36, "dark", false, false},
    {"qa-moe-80x24-dark", "claude-class-large-moe", "", 80, 24, "dark", false, false},
    {"qa-scaling-moe-80x24-dark", "claude-class-large-moe", "4", 80, 24, "dark", false, false},
};

static int setup(void **state)
{
    (void)state;
    llm_registry_init(&reg);
    (void)llm_registry_load_builtin(&reg, NULL);
    return reg.npresets > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_registry_free(&reg);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static int write_all(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(s, f);
    return fclose(f);
}

/* The first differing line, for the failure message. */
static void report_diff(const char *name, const char *want, const char *got)
{
    int line = 1;
    const char *a = want, *b = got;
    while (*a && *a == *b) {
        if (*a == '\n') line++;
        a++;
        b++;
    }
    const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
    print_error("%s differs at line %d\n want: %.*s\n  got: %.*s\n", name, line,
                (int)(ea ? ea - a : (long)strlen(a)), a, (int)(eb ? eb - b : (long)strlen(b)), b);
}

static void run_one(const screen *s)
{
    const llm_preset *p = llm_registry_find(&reg, s->preset);
    if (!p) fail_msg("no preset %s", s->preset);
    char txt[256], roles[256];
    snprintf(txt, sizeof txt, "/tmp/llmem-golden-%ld-%s.txt", (long)getpid(), s->name);
    snprintf(roles, sizeof roles, "/tmp/llmem-golden-%ld-%s.roles", (long)getpid(), s->name);
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    llm_config_from_preset(&o.config, p);
    if (!o.config.gpu[0]) snprintf(o.config.gpu, sizeof o.config.gpu, "h100-80gb");
    snprintf(o.preset_id, sizeof o.preset_id, "%s", p->id);
    o.registry = &reg;
    o.theme = s->theme;
    o.cols = s->cols;
    o.rows = s->rows;
    o.keys = s->keys;
    o.dump_screen = txt;
    o.dump_roles = roles;
    o.detect_gpus = -1;
    o.ascii = s->ascii;
    o.demo = s->demo;
    assert_int_equal(llmem_tui_run(&o), 0);
    /* The same screen through the app itself: no text on it is cut inside
     * a word (the canvas counts such cuts; QA item 10). */
    static llmem_app app;
    assert_true(llmem_app_init(&app, &o, s->cols, s->rows));
    app.canvas.ascii = s->ascii;
    llmem_app_render(&app, LLMEM_FLAG_RECOMPUTE | LLMEM_FLAG_REDRAW);
    const char *k = s->keys;
    llmem_event ev;
    while (llmem_keys_next(&k, &ev) > 0) {
        unsigned f = llmem_app_handle(&app, &ev);
        if (f & LLMEM_FLAG_QUIT) break;
        if (f) llmem_app_render(&app, f);
    }
    if (app.canvas.cuts) {
        char line[4096];
        llmem_canvas_row(&app.canvas, app.canvas.cut_y, line, sizeof line);
        llmem_app_free(&app);
        fail_msg("%s: text cut inside a word at column %d of row %d:\n%s", s->name, app.canvas.cut_x,
                 app.canvas.cut_y, line);
    }
    llmem_app_free(&app);
    char *got_t = slurp(txt), *got_r = slurp(roles);
    assert_non_null(got_t);
    assert_non_null(got_r);
    remove(txt);
    remove(roles);
    char gt[512], gr[512];
    snprintf(gt, sizeof gt, GOLDEN "/%s.txt", s->name);
    snprintf(gr, sizeof gr, GOLDEN "/%s.roles", s->name);
    if (getenv("LLMEM_REGEN_SCREENS")) {
        assert_int_equal(write_all(gt, got_t), 0);
        assert_int_equal(write_all(gr, got_r), 0);
    } else {
        char *want_t = slurp(gt), *want_r = slurp(gr);
        if (!want_t || !want_r) fail_msg("missing golden %s (run tests/tools/regen-screens.sh)", gt);
        bool ok = strcmp(want_t, got_t) == 0 && strcmp(want_r, got_r) == 0;
        if (strcmp(want_t, got_t) != 0) report_diff(gt, want_t, got_t);
        else if (strcmp(want_r, got_r) != 0) report_diff(gr, want_r, got_r);
        free(want_t);
        free(want_r);
        if (!ok) {
            free(got_t);
            free(got_r);
            fail_msg("screen %s differs from its golden file", s->name);
        }
    }
    /* every screen has exactly `rows` lines */
    int lines = 0;
    for (const char *c = got_t; *c; c++) lines += *c == '\n';
    assert_int_equal(lines, s->rows);
    free(got_t);
    free(got_r);
}

static void test_screen(void **state)
{
    run_one((const screen *)*state);
}

int main(void)
{
    enum { N = sizeof screens / sizeof screens[0] };
    struct CMUnitTest tests[N];
    for (size_t i = 0; i < N; i++) {
        tests[i] = (struct CMUnitTest){screens[i].name, test_screen, NULL, NULL, (void *)&screens[i]};
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
