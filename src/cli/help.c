/* --help texts: the contract of docs/cli.md and docs/llmem.1 in short. */
#include <string.h>

#include "cli/cli_int.h"

static const char usage_text[] =
    "usage: llmem [MODEL] [SETTINGS] [EXPLORER OPTIONS]    the interactive explorer\n"
    "       llmem estimate [MODEL] [SETTINGS] [--format table|json|csv|md]\n"
    "                      [--explain] [--units gib|gb]\n"
    "       llmem sweep AXIS=FROM:TO[:STEP] [MODEL] [SETTINGS]\n"
    "                   [--format csv|json|table|md]\n"
    "       llmem fit [MODEL] [SETTINGS] [--gpu ID] [--gpus N]\n"
    "                 [--solve seq|batch|gpus|precision]\n"
    "       llmem presets | gpus | precisions [--format table|json|csv|md|ids]\n"
#ifdef LLMEM_CLI_HAS_SCREENSHOT
    "       llmem screenshot [MODEL] [SETTINGS] [--view V] [--theme T] [--size WxH]\n"
    "                        -o FILE.svg [--text FILE.txt]\n"
#endif
    "       llmem help [COMMAND|settings] | --help | --version\n";

static const char model_text[] =
    "MODEL (default: --preset llama-3-8b)\n"
    "  --preset ID            a preset ('llmem presets' lists them)\n"
    "  --config FILE.yaml     a preset file (schema of presets/*.yaml); with several\n"
    "                         presets in the file, pick one with --preset ID\n"
    "  --hf-config PATH       a Hugging Face config.json, or a directory holding one\n"
    "  --presets DIR          also load presets, GPUs and precisions from DIR\n"
    "SETTINGS (applied in the order given, after the preset's own workload;\n"
    "          --gpu and --gpus after every --set)\n"
    "  --set KEY=VALUE        repeatable; the slider names ('llmem help settings')\n"
    "  --gpu ID               same as --set gpu=ID ('llmem gpus' lists them)\n"
    "  --gpus N               same as --set gpus=N: dp = N / (tp x pp)\n";

static const char status_text[] =
    "Exit status: 0 success, 1 does not fit (fit), 2 usage error or bad setting,\n"
    "3 unreadable or invalid input file.  Errors go to stderr, results to stdout.\n";

static void settings_help(FILE *f)
{
    fputs("Settings (--set KEY=VALUE), applied in the order given: each sees the\n"
          "ones before it.  Counts take k = 2^10, M = 2^20, G = 2^30 (8k = 8192) or\n"
          "exponent form (1e6); byte sizes take B KiB MiB GiB TiB PiB or KB MB GB TB\n"
          "PB; switches take on/off; fractions 0..1 or a percentage (40%).\n"
          "gpus=N sets dp = N / (tp x pp): set tp and pp first.  mode=qlora makes\n"
          "16-bit weights nf4; leaving qlora gives the earlier weights back (bf16\n"
          "when unknown).  mode=distill needs teacher=PRESET (its weights take the\n"
          "weights dtype at that point; teacher_weights= changes it).\n\n",
          f);
    const char *group = "";
    for (size_t i = 0; i < llm_setting_count(); i++) {
        const llm_setting_info *s = llm_setting_at(i);
        const char *g = s->group == LLM_SETTING_SHAPE ? "Shape" : "Workload";
        if (strcmp(g, group) != 0) {
            fprintf(f, "%s%s:\n", group[0] ? "\n" : "", g);
            group = g;
        }
        fprintf(f, "  %-15s %s\n", s->key, s->help ? s->help : "");
        if (s->accepted && s->accepted[0]) fprintf(f, "  %-15s   values: %s\n", "", s->accepted);
    }
}

void llmem_cli_usage(FILE *f)
{
    fputs(usage_text, f);
    fputs("Run 'llmem --help' or 'llmem COMMAND --help' for more.\n", f);
}

void llmem_cli_help(FILE *f, llmem_cli_cmd c)
{
    switch (c) {
    case LLMEM_CMD_ESTIMATE:
        fputs("usage: llmem estimate [MODEL] [SETTINGS] [--format table|json|csv|md]\n"
              "                      [--explain] [--units gib|gb]\n\n"
              "Parameters, memory per GPU (weights, gradients, optimizer, activations,\n"
              "KV cache, overhead), compute (FLOPs, training time, prefill and decode\n"
              "tokens/s) and the fit on each GPU of the catalogue (or on --gpu).\n\n",
              f);
        fputs(model_text, f);
        fputs("OUTPUT\n"
              "  --format table         aligned text, 80 columns (default)\n"
              "  --format json          every figure; counts and bytes as integers\n"
              "  --format csv           one header line and one row\n"
              "  --format md            Markdown tables\n"
              "  --explain              the worked calculation of each figure (not with csv)\n"
              "  --units gib|gb         GiB = 2^30 bytes (default) or GB = 10^9 bytes\n\n"
              "example: llmem estimate --preset llama-3-8b --set mode=infer --set seq=8k\n",
              f);
        break;
    case LLMEM_CMD_SWEEP:
        fputs("usage: llmem sweep AXIS=FROM:TO[:STEP] [MODEL] [SETTINGS]\n"
              "                   [--format csv|json|table|md]\n"
              "       llmem sweep AXIS=V1,V2,... ...\n\n"
              "One estimate per value of a setting, written as it is computed.  AXIS is a\n"
              "setting key; FROM and TO take the setting's syntax (seq=1k:128k); STEP is *N\n"
              "(multiply, the default *2) or +N (add).  A list sweeps any key\n"
              "(weights=bf16,fp8,int4).  An impossible row (e.g. heads=30 with 8 KV heads)\n"
              "says why in the error column.  Default format: csv.\n\n",
              f);
        fputs(model_text, f);
        fputs("  --units gib|gb         units of the table and md formats (csv, json: bytes)\n\n"
              "example: llmem sweep seq=1k:128k --preset llama-3-8b --set mode=infer\n",
              f);
        break;
    case LLMEM_CMD_FIT:
        fputs("usage: llmem fit [MODEL] [SETTINGS] [--gpu ID] [--gpus N]\n"
              "                 [--solve seq|batch|gpus|precision]\n"
              "                 [--format table|json|csv|md]\n\n"
              "Checks the per-GPU total against the GPU's memory.  With --solve, finds the\n"
              "largest sequence length or micro-batch, the smallest GPU count (growing\n"
              "tensor, then pipeline parallelism), or the most precise weight format that\n"
              "fits.  The GPU is --gpu, else the preset's (or the file's) own; with none,\n"
              "fit is a usage error.  When nothing fits, a 'why:' line gives the reason.\n"
              "Exit status 0 when it fits (or a value was found), 1 when it does not.\n\n",
              f);
        fputs(model_text, f);
        fputs("\nexample: llmem fit --preset llama-2-70b --set mode=infer --gpu h100-80gb \\\n"
              "             --solve gpus\n",
              f);
        break;
#ifdef LLMEM_CLI_HAS_SCREENSHOT
    case LLMEM_CMD_SCREENSHOT:
        fputs("usage: llmem screenshot [MODEL] [SETTINGS] [--view NAME] [--theme NAME]\n"
              "                        [--size COLSxROWS] [--keys STRING] [--big] [--ascii]\n"
              "                        [--units gib|gb] -o FILE.svg [--text FILE.txt]\n\n"
              "Draws one screen of the explorer without a terminal and writes it as SVG\n"
              "(monospace cells, the theme's colours, bold) and/or as text, for slides\n"
              "and documents.  The same picture on every machine: no nvidia-smi, no\n"
              "user theme.  PNG: rsvg-convert -z 2 FILE.svg -o FILE.png.\n\n",
              f);
        fputs(model_text, f);
        fputs("SCREEN\n"
              "  --view NAME            memory (default) params compute scaling techniques\n"
              "                         sweep compare, or 1..7\n"
              "  --theme NAME           dark (default), light, contrast or mono\n"
              "  --size COLSxROWS       the canvas (default 120x36)\n"
              "  --keys STRING          explorer keys first, e.g. \"c<Right>\" to pin and change\n"
              "  --big                  the large total-memory figure (as in talk mode)\n"
              "  --ascii                ASCII glyphs only\n"
              "  --units gib|gb         GiB (default) or GB\n"
              "  -o, --output FILE      the SVG ('-' = stdout)\n"
              "  --text FILE            the screen as text ('-' = stdout)\n\n"
              "example: llmem screenshot --preset llama-3-8b --view memory --theme contrast \\\n"
              "             --size 120x36 -o out.svg --text out.txt\n",
              f);
        break;
#endif
    case LLMEM_CMD_PRESETS:
    case LLMEM_CMD_GPUS:
    case LLMEM_CMD_PRECISIONS:
        fprintf(f,
                "usage: llmem %s [--presets DIR] [--format table|json|csv|md|ids]\n\n"
                "Lists the %s\n"
                "from the built-in presets, the installed data directory,\n"
                "~/.config/llmem/presets/ and --presets DIR%s.\n"
                "--format ids prints one %s per line.\n",
                llmem_cli_cmd_name(c),
                c == LLMEM_CMD_PRESETS ? "model presets (published shapes and illustrative ones)"
                : c == LLMEM_CMD_GPUS  ? "accelerators of the GPU catalogue"
                                       : "precisions (bytes per element, with group scales)",
                c == LLMEM_CMD_PRESETS ? ",\nplus the models in the local Hugging Face cache" : "",
                c == LLMEM_CMD_PRECISIONS ? "name" : "id");
        break;
    default:
        fputs(usage_text, f);
        fputs("\nWith no command, llmem opens the explorer when stdout is a terminal;\n"
              "otherwise it prints the estimate table (and a note on stderr).\n\n",
              f);
        fputs(model_text, f);
        fputs("EXPLORER OPTIONS\n"
              "  --theme NAME           dark, light, contrast or mono (default: automatic;\n"
              "                         NO_COLOR is honoured)\n"
              "  --units gib|gb         GiB (default) or GB\n"
#ifdef LLMEM_CLI_HAS_SCREENSHOT
              "  --demo                 talk mode: a scripted tour (contrast theme, large\n"
              "                         total; Space/Right next, Left back, Enter pause,\n"
              "                         q quit; LLMEM_DEMO_SECONDS sets the timer, 10 s)\n"
              "  --view NAME            start in a view: memory params compute scaling\n"
              "                         techniques sweep compare\n"
              "  --big                  start with the large total-memory figure ('b')\n"
#else
              "  --demo                 talk mode: a scripted tour\n"
#endif
              "  --size COLSxROWS       headless: draw on a canvas of this size, no terminal\n"
              "  --keys STRING          headless: keys to feed, then exit\n"
              "  --dump-screen FILE     headless: write the final screen as text\n"
              "  --dump-svg FILE        headless: write the final screen as SVG\n"
              "  --dump-roles FILE      headless: write the colour roles of the final screen\n"
              "  --ascii                ASCII glyphs even in a UTF-8 locale\n"
#ifdef LLMEM_CLI_HAS_SCREENSHOT
              "  --screenshot-dir DIR   where 's' writes screenshots (SVG + text, named by\n"
              "                         the time; default: the current directory)\n\n",
#else
              "  --screenshot-dir DIR   where 's' writes screenshots (default: .)\n\n",
#endif
              f);
        fputs("COMMANDS\n"
              "  estimate     every figure for one configuration\n"
              "  sweep        one row per value of a setting (streams)\n"
              "  fit          does it fit on a GPU; solve for seq, batch, GPUs or precision\n"
              "  presets      list model presets\n"
              "  gpus         list the GPU catalogue\n"
              "  precisions   list the precision catalogue\n"
#ifdef LLMEM_CLI_HAS_SCREENSHOT
              "  screenshot   one explorer screen as SVG and/or text, for slides\n"
#endif
              "  help         'llmem help COMMAND', 'llmem help settings'\n\n",
              f);
        fputs(status_text, f);
        return;
    }
    fputc('\n', f);
    fputs(status_text, f);
}

/* `llmem help settings --format ids`: every KEY=VALUE a shell may complete,
 * one per line ("mode=infer", "weights=bf16", "gpu=h100-80gb"); keys whose
 * values are numbers or sizes appear as "seq=". */
static int settings_ids(const llmem_cli_args *a)
{
    llm_registry reg;
    int rc = llmem_cli_registry(a, &reg, false);
    if (rc) return rc;
    for (size_t i = 0; i < llm_setting_count(); i++) {
        const llm_setting_info *s = llm_setting_at(i);
        if (s->kind == LLM_SETTING_DTYPE) {
            size_t n = reg.ndtypes;
            const llm_dtype *d = reg.dtypes;
            if (n == 0) d = llm_dtype_builtin(&n);
            for (size_t k = 0; k < n; k++) printf("%s=%s\n", s->key, d[k].name);
            if (s->accepted && strstr(s->accepted, "or none")) printf("%s=none\n", s->key);
        } else if (s->kind == LLM_SETTING_GPU) {
            printf("%s=none\n", s->key);
            for (size_t k = 0; k < reg.ngpus; k++) printf("%s=%s\n", s->key, reg.gpus[k].id);
        } else if (s->kind == LLM_SETTING_PRESET) {
            printf("%s=none\n", s->key);
            for (size_t k = 0; k < reg.npresets; k++)
                printf("%s=%s\n", s->key, reg.presets[k].id);
        } else if (s->choices) {
            for (const char *const *c = s->choices; *c; c++) printf("%s=%s\n", s->key, *c);
        } else {
            printf("%s=\n", s->key);
        }
    }
    llm_registry_free(&reg);
    return LLMEM_EXIT_OK;
}

int llmem_cli_help_topic(const llmem_cli_args *a)
{
    const char *topic = a->help_topic;
    if (a->format == LLMEM_FMT_IDS) {
        if (topic && strcmp(topic, "settings") == 0) return settings_ids(a);
        llmem_cli_error("help: --format ids is for 'llmem help settings'");
        return LLMEM_EXIT_USAGE;
    }
    if (!topic) {
        llmem_cli_help(stdout, LLMEM_CMD_EXPLORE);
        return LLMEM_EXIT_OK;
    }
    if (strcmp(topic, "settings") == 0) {
        settings_help(stdout);
        return LLMEM_EXIT_OK;
    }
    for (int c = LLMEM_CMD_ESTIMATE; c < LLMEM_CMD_HELP; c++)
        if (strcmp(topic, llmem_cli_cmd_name((llmem_cli_cmd)c)) == 0) {
            llmem_cli_help(stdout, (llmem_cli_cmd)c);
            return LLMEM_EXIT_OK;
        }
    llmem_cli_error("help: unknown topic '%s' (estimate sweep fit presets gpus precisions "
#ifdef LLMEM_CLI_HAS_SCREENSHOT
                    "screenshot "
#endif
                    "settings)",
                    topic);
    return LLMEM_EXIT_USAGE;
}
