/* `llmem` with no subcommand: the interactive explorer on a terminal, or
 * headless with --size.  When stdout is not a terminal (a pipe, a file) and
 * no headless canvas was asked for, the explorer cannot run: llmem then says
 * so on stderr and prints the estimate table of the same configuration on
 * stdout, so `llmem --preset X | less` still shows the numbers. */
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "tui/tui.h"

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
    fflush(stdout);
    rc = llmem_tui_run(&o);
    llmem_cli_model_free(&m);
    return rc;
}
