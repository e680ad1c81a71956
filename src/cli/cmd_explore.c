/* `llmem` with no subcommand: the interactive explorer on a terminal, or
 * headless with --size; `llmem screenshot`: one screen of it, headless, as
 * SVG and/or text for slides.  When stdout is not a terminal (a pipe, a file) and
 * no headless canvas was asked for, the explorer cannot run: llmem then says
 * so on stderr and prints the estimate table of the same configuration on
 * stdout, so `llmem --preset X | less` still shows the numbers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "tui/tui.h"

#ifdef LLMEM_CLI_HAS_SCREENSHOT
#define VIEW_NAMES "memory params compute scaling techniques sweep compare (or 1..7)"
static int view_number(const char *name);
#endif

/* --gpu ID or --set gpu=ID on the command line. */
static bool gpu_given(const llmem_cli_args *a)
{
    if (a->gpu) return true;
    for (size_t i = 0; i < a->nsets; i++) {
        char key[64], value[256];
        if (llm_setting_split(a->sets[i], key, sizeof key, value, sizeof value, NULL) == LLM_OK &&
            strcmp(key, "gpu") == 0)
            return true;
    }
    return false;
}

/* Talk mode's auto-advance period: LLMEM_DEMO_SECONDS (0.5 .. 3600; 0 =
 * keys only), default 10 s. */
static int demo_interval(void)
{
    const char *v = getenv("LLMEM_DEMO_SECONDS");
    if (!v || !*v) return 0;
    char *end;
    double s = strtod(v, &end);
    if (*end || !(s >= 0) || s > 3600) return 0;
    if (s == 0) return -1;
    return s < 0.5 ? 500 : (int)(s * 1000);
}

int llmem_cmd_explore(const llmem_cli_args *a)
{
    bool headless = a->cols > 0;
    if (!headless && (a->keys || a->dump_screen || a->dump_svg || a->dump_roles)) {
        llmem_cli_error("--keys and --dump-screen/-svg/-roles need --size COLSxROWS");
        return LLMEM_EXIT_USAGE;
    }
    bool tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    if (!headless && !tty && a->demo) {
        llmem_cli_error("--demo needs a terminal (or --size COLSxROWS for a headless run)");
        return LLMEM_EXIT_USAGE;
    }
    llmem_cli_model m;
    int rc = llmem_cli_model_load(a, &m);
    if (rc) return rc;
    if (!headless && !tty) {
        fputs("llmem: not a terminal: printing the estimate instead of the explorer "
              "(see 'llmem estimate --help')\n",
              stderr);
        llmem_report r = {0};
        r.units = a->units;
        rc = llmem_report_run(&m, &r);
        if (rc == LLMEM_EXIT_OK) llmem_report_table(stdout, &r);
        llmem_cli_model_free(&m);
        return rc;
    }
    if (!m.hf_scanned) { /* the preset picker shows the local Hugging Face cache too */
        llm_error err;
        (void)llm_registry_scan_hf_cache(&m.reg, &err);
        m.hf_scanned = true;
        if (m.cfg.gpu[0]) (void)llmem_cli_model_gpu(&m);
    }
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    o.config = m.cfg;
    if (m.source == LLMEM_SRC_PRESET) snprintf(o.preset_id, sizeof o.preset_id, "%s", m.preset.id);
    o.registry = &m.reg;
    o.theme = a->theme;
    if (a->demo && !a->theme && !getenv("NO_COLOR")) o.theme = "contrast"; /* for projectors */
    if (a->demo) o.demo_interval_ms = demo_interval();
    o.units_gb = a->units == LLM_UNITS_GB;
    o.cols = a->cols;
    o.rows = a->rows;
    o.keys = a->keys;
    o.dump_screen = a->dump_screen;
    o.dump_svg = a->dump_svg;
    o.demo = a->demo;
    o.ascii = a->ascii;
    o.dump_roles = a->dump_roles;
    o.screenshot_dir = a->screenshot_dir;
    o.gpu_explicit = gpu_given(a); /* else the machine's own GPUs may be preselected */
#ifdef LLMEM_CLI_HAS_SCREENSHOT
    if (a->view && (o.view = view_number(a->view)) == 0) {
        llmem_cli_model_free(&m);
        llmem_cli_error("--view: unknown view '%s' (accepted: %s)", a->view, VIEW_NAMES);
        return LLMEM_EXIT_USAGE;
    }
    o.big = a->big;
#endif
    fflush(stdout);
    rc = llmem_tui_run(&o);
    llmem_cli_model_free(&m);
    return rc;
}

#ifdef LLMEM_CLI_HAS_SCREENSHOT
/* ---- llmem screenshot ----------------------------------------------------- */

/* "memory" .. "compare" or "1" .. "7" -> 1 .. 7; 0 when unknown. */
static int view_number(const char *name)
{
    static const char *const names[] = {"memory", "params", "compute", "scaling",
                                        "techniques", "sweep", "compare"};
    for (int i = 0; i < 7; i++)
        if (strcmp(name, names[i]) == 0) return i + 1;
    if (name[0] >= '1' && name[0] <= '7' && name[1] == '\0') return name[0] - '0';
    return 0;
}

/* One screen of the explorer for a given preset, settings, view, theme and
 * size, drawn headless (no terminal, no nvidia-smi: the same picture on any
 * machine) and written as SVG (-o) and/or text (--text); --keys may change
 * anything first (e.g. "c<Right>" for Compare). */
int llmem_cmd_screenshot(const llmem_cli_args *a)
{
    if (!a->output && !a->text_out) {
        llmem_cli_error("screenshot: give -o FILE.svg and/or --text FILE.txt");
        return LLMEM_EXIT_USAGE;
    }
    int view = a->view ? view_number(a->view) : 1;
    if (!view) {
        llmem_cli_error("--view: unknown view '%s' (accepted: %s)", a->view, VIEW_NAMES);
        return LLMEM_EXIT_USAGE;
    }
    llmem_cli_model m;
    int rc = llmem_cli_model_load(a, &m);
    if (rc) return rc;
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    o.config = m.cfg;
    if (m.source == LLMEM_SRC_PRESET) snprintf(o.preset_id, sizeof o.preset_id, "%s", m.preset.id);
    o.registry = &m.reg;
    o.theme = a->theme ? a->theme : "dark";
    o.units_gb = a->units == LLM_UNITS_GB;
    o.cols = a->cols > 0 ? a->cols : 120;
    o.rows = a->rows > 0 ? a->rows : 36;
    o.keys = a->keys;
    o.view = view;
    o.big = a->big;
    o.ascii = a->ascii;
    o.dump_svg = a->output;
    o.dump_screen = a->text_out;
    o.detect_gpus = -1;
    o.gpu_explicit = true;
    rc = llmem_tui_run(&o);
    llmem_cli_model_free(&m);
    if (rc == LLMEM_TUI_BAD_KEYS) return LLMEM_EXIT_USAGE;
    return rc ? LLMEM_EXIT_INPUT : LLMEM_EXIT_OK;
}
#endif
