/* Argument parsing: argv -> llmem_cli_args.  Git-style: the subcommand, when
 * there is one, comes first; options take "--opt VALUE" or "--opt=VALUE".
 * Every option says which subcommands accept it, so a misplaced flag is a
 * usage error that names it rather than being silently ignored. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define C(x) (1u << (x))
#define MODEL_CMDS (C(LLMEM_CMD_EXPLORE) | C(LLMEM_CMD_ESTIMATE) | C(LLMEM_CMD_SWEEP) | C(LLMEM_CMD_FIT) | \
                    C(LLMEM_CMD_SCREENSHOT))
#define SCREEN_CMDS (C(LLMEM_CMD_EXPLORE) | C(LLMEM_CMD_SCREENSHOT))
#define LIST_CMDS (C(LLMEM_CMD_PRESETS) | C(LLMEM_CMD_GPUS) | C(LLMEM_CMD_PRECISIONS))
#define ALL_CMDS (MODEL_CMDS | LIST_CMDS)

enum opt_id {
    O_HELP, O_VERSION, O_PRESET, O_CONFIG, O_HF, O_PRESETS, O_SET, O_GPU, O_GPUS, O_FORMAT,
    O_EXPLAIN, O_UNITS, O_SOLVE, O_THEME, O_SIZE, O_KEYS, O_DUMP_SCREEN, O_DUMP_SVG, O_DEMO,
    O_ASCII, O_DUMP_ROLES, O_SHOT_DIR, O_VIEW, O_BIG, O_OUTPUT, O_TEXT
};

typedef struct opt_def {
    const char *name;
    bool value;
    unsigned cmds;
    enum opt_id id;
} opt_def;

static const opt_def opts[] = {
    {"--help", false, ALL_CMDS | C(LLMEM_CMD_HELP), O_HELP},
    {"-h", false, ALL_CMDS | C(LLMEM_CMD_HELP), O_HELP},
    {"--version", false, C(LLMEM_CMD_EXPLORE), O_VERSION},
    {"--preset", true, MODEL_CMDS, O_PRESET},
    {"--config", true, MODEL_CMDS, O_CONFIG},
    {"--hf-config", true, MODEL_CMDS, O_HF},
    {"--presets", true, ALL_CMDS | C(LLMEM_CMD_HELP), O_PRESETS},
    {"--set", true, MODEL_CMDS, O_SET},
    {"--gpu", true, MODEL_CMDS, O_GPU},
    {"--gpus", true, MODEL_CMDS, O_GPUS},
    {"--format", true, (ALL_CMDS & ~SCREEN_CMDS) | C(LLMEM_CMD_HELP), O_FORMAT},
    {"--explain", false, C(LLMEM_CMD_ESTIMATE), O_EXPLAIN},
    {"--units", true, MODEL_CMDS, O_UNITS},
    {"--solve", true, C(LLMEM_CMD_FIT), O_SOLVE},
    {"--theme", true, SCREEN_CMDS, O_THEME},
    {"--size", true, SCREEN_CMDS, O_SIZE},
    {"--keys", true, SCREEN_CMDS, O_KEYS},
    {"--dump-screen", true, C(LLMEM_CMD_EXPLORE), O_DUMP_SCREEN},
    {"--dump-svg", true, C(LLMEM_CMD_EXPLORE), O_DUMP_SVG},
    {"--demo", false, C(LLMEM_CMD_EXPLORE), O_DEMO},
    {"--ascii", false, SCREEN_CMDS, O_ASCII},
    {"--dump-roles", true, C(LLMEM_CMD_EXPLORE), O_DUMP_ROLES},
    {"--screenshot-dir", true, C(LLMEM_CMD_EXPLORE), O_SHOT_DIR},
    {"--view", true, SCREEN_CMDS, O_VIEW},
    {"--big", false, SCREEN_CMDS, O_BIG},
    {"-o", true, C(LLMEM_CMD_SCREENSHOT), O_OUTPUT},
    {"--output", true, C(LLMEM_CMD_SCREENSHOT), O_OUTPUT},
    {"--text", true, C(LLMEM_CMD_SCREENSHOT), O_TEXT},
};

static const char *const cmd_names[LLMEM_CMD_COUNT_] = {
    [LLMEM_CMD_EXPLORE] = "",           [LLMEM_CMD_ESTIMATE] = "estimate",
    [LLMEM_CMD_SWEEP] = "sweep",        [LLMEM_CMD_FIT] = "fit",
    [LLMEM_CMD_PRESETS] = "presets",    [LLMEM_CMD_GPUS] = "gpus",
    [LLMEM_CMD_PRECISIONS] = "precisions", [LLMEM_CMD_SCREENSHOT] = "screenshot",
    [LLMEM_CMD_HELP] = "help",
};

static const char *const format_names[] = {"table", "json", "csv", "md", "ids"};

const char *llmem_cli_cmd_name(llmem_cli_cmd c)
{
    return (unsigned)c < LLMEM_CMD_COUNT_ ? cmd_names[c] : "?";
}

const char *llmem_cli_format_name(llmem_cli_format f)
{
    return (unsigned)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

static bool cmd_parse(const char *s, llmem_cli_cmd *out)
{
    for (int i = 1; i < LLMEM_CMD_COUNT_; i++)
        if (strcmp(s, cmd_names[i]) == 0) {
            *out = (llmem_cli_cmd)i;
            return true;
        }
    return false;
}

/* The formats each subcommand can write. */
static const char *formats_of(llmem_cli_cmd c)
{
    switch (c) {
    case LLMEM_CMD_PRESETS:
    case LLMEM_CMD_GPUS:
    case LLMEM_CMD_PRECISIONS:
        return "table json csv md ids";
    case LLMEM_CMD_HELP:
        return "table ids";
    default:
        return "table json csv md";
    }
}

static bool format_ok(llmem_cli_cmd c, llmem_cli_format f)
{
    return strstr(formats_of(c), format_names[f]) != NULL;
}

/* "120x36" -> 120, 36 (each 1..10000). */
static bool parse_size(const char *s, int *cols, int *rows)
{
    char *end;
    errno = 0;
    long c = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X')) return false;
    const char *r0 = end + 1;
    long r = strtol(r0, &end, 10);
    if (errno || end == r0 || *end) return false;
    if (c < 1 || c > 10000 || r < 1 || r > 10000) return false;
    *cols = (int)c;
    *rows = (int)r;
    return true;
}

/* Prints one line and yields the usage exit status. */
#define usage_error(...) (llmem_cli_error(__VA_ARGS__), LLMEM_EXIT_USAGE)

static const char *cmd_label(llmem_cli_cmd c)
{
    return c == LLMEM_CMD_EXPLORE ? "the explorer" : cmd_names[c];
}

static int apply_opt(llmem_cli_args *a, const opt_def *o, const char *v)
{
    switch (o->id) {
    case O_HELP:
        a->help = true;
        break;
    case O_VERSION:
        a->version = true;
        break;
    case O_PRESET:
        a->preset = v;
        break;
    case O_CONFIG:
        a->config = v;
        break;
    case O_HF:
        a->hf_config = v;
        break;
    case O_PRESETS:
        a->presets_dir = v;
        break;
    case O_SET:
        a->sets[a->nsets++] = v;
        break;
    case O_GPU:
        a->gpu = v;
        break;
    case O_GPUS:
        a->gpus = v;
        break;
    case O_FORMAT: {
        size_t i, n = sizeof format_names / sizeof format_names[0];
        for (i = 0; i < n; i++)
            if (strcmp(v, format_names[i]) == 0) break;
        if (i == n || !format_ok(a->cmd, (llmem_cli_format)i))
            return usage_error("--format: unknown format '%s' (accepted: %s)", v,
                               formats_of(a->cmd));
        a->format = (llmem_cli_format)i;
        a->format_given = true;
        break;
    }
    case O_EXPLAIN:
        a->explain = true;
        break;
    case O_UNITS:
        if (!llm_units_parse(v, &a->units))
            return usage_error("--units: unknown unit '%s' (accepted: gib gb)", v);
        break;
    case O_SOLVE:
        if (strcmp(v, "seq") != 0 && strcmp(v, "batch") != 0 && strcmp(v, "gpus") != 0 &&
            strcmp(v, "precision") != 0)
            return usage_error("--solve: unknown target '%s' (accepted: seq batch gpus precision)", v);
        a->solve = v;
        break;
    case O_THEME:
        if (strcmp(v, "dark") != 0 && strcmp(v, "light") != 0 && strcmp(v, "contrast") != 0 &&
            strcmp(v, "mono") != 0)
            return usage_error("--theme: unknown theme '%s' (accepted: dark light contrast mono)", v);
        a->theme = v;
        a->explorer_flag = true;
        break;
    case O_SIZE:
        if (!parse_size(v, &a->cols, &a->rows))
            return usage_error("--size: '%s' is not COLSxROWS (e.g. 120x36)", v);
        a->explorer_flag = true;
        break;
    case O_KEYS:
        a->keys = v;
        a->explorer_flag = true;
        break;
    case O_DUMP_SCREEN:
        a->dump_screen = v;
        a->explorer_flag = true;
        break;
    case O_DUMP_SVG:
        a->dump_svg = v;
        a->explorer_flag = true;
        break;
    case O_DEMO:
        a->demo = true;
        a->explorer_flag = true;
        break;
    case O_ASCII:
        a->ascii = true;
        a->explorer_flag = true;
        break;
    case O_DUMP_ROLES:
        a->dump_roles = v;
        a->explorer_flag = true;
        break;
    case O_SHOT_DIR:
        a->screenshot_dir = v;
        a->explorer_flag = true;
        break;
    case O_VIEW:
        a->view = v;
        a->explorer_flag = true;
        break;
    case O_BIG:
        a->big = true;
        a->explorer_flag = true;
        break;
    case O_OUTPUT:
        a->output = v;
        break;
    case O_TEXT:
        a->text_out = v;
        break;
    }
    return 0;
}

int llmem_cli_args_parse(int argc, char **argv, llmem_cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = LLMEM_CMD_EXPLORE;
    a->format = LLMEM_FMT_TABLE;
    a->units = LLM_UNITS_GIB;
    a->sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->sets);
    if (!a->sets) {
        llmem_cli_error("out of memory");
        return LLMEM_EXIT_USAGE;
    }
    int i = 1;
    if (argc > 1 && argv[1][0] != '-') {
        if (!cmd_parse(argv[1], &a->cmd))
            return usage_error("unknown command '%s' (commands: estimate sweep fit presets gpus "
                               "precisions screenshot help)", argv[1]);
        i = 2;
    }
    if (a->cmd == LLMEM_CMD_SWEEP) a->format = LLMEM_FMT_CSV; /* streams: CSV by default */
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            if (a->cmd == LLMEM_CMD_SWEEP && !a->axis) {
                a->axis = arg;
                continue;
            }
            if (a->cmd == LLMEM_CMD_HELP && !a->help_topic) {
                a->help_topic = arg;
                continue;
            }
            if (a->cmd == LLMEM_CMD_EXPLORE)
                return usage_error("unknown command '%s' (commands: estimate sweep fit presets "
                                   "gpus precisions screenshot help)", arg);
            return usage_error("%s: unexpected argument '%s'", cmd_label(a->cmd), arg);
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        const opt_def *o = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, arg, nlen) == 0) {
                o = &opts[k];
                break;
            }
        if (!o) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(nlen < 60 ? nlen : 60), arg);
            return usage_error("unknown option '%s' (see 'llmem %s--help')", name,
                               a->cmd == LLMEM_CMD_EXPLORE ? "" : "COMMAND ");
        }
        if (!(o->cmds & C(a->cmd))) {
            if (a->cmd == LLMEM_CMD_EXPLORE)
                return usage_error("option %s needs a command (e.g. 'llmem estimate %s ...')",
                                   o->name, o->name);
            return usage_error("option %s does not apply to '%s'", o->name, cmd_label(a->cmd));
        }
        const char *v = NULL;
        if (o->value) {
            if (eq) {
                v = eq + 1;
            } else if (i + 1 < argc) {
                v = argv[++i];
            } else {
                return usage_error("option %s needs a value", o->name);
            }
        } else if (eq) {
            return usage_error("option %s takes no value", o->name);
        }
        int rc = apply_opt(a, o, v);
        if (rc) return rc;
    }
    if (a->help || a->version || a->cmd == LLMEM_CMD_HELP) return 0;
    int nmodel = (a->config != NULL) + (a->hf_config != NULL);
    if (nmodel > 1) return usage_error("use one of --config and --hf-config");
    if (a->hf_config && a->preset)
        return usage_error("use one of --preset and --hf-config");
    if (a->cmd == LLMEM_CMD_SWEEP && !a->axis)
        return usage_error("sweep: missing AXIS=FROM:TO[:STEP] (e.g. seq=1k:128k)");
    return 0;
}

void llmem_cli_args_free(llmem_cli_args *a)
{
    free(a->sets);
    a->sets = NULL;
    a->nsets = 0;
}
