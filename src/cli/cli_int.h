/* The command line's internals, shared by the files of src/cli/.
 *
 * Flow: args.c parses argv into llmem_cli_args; model.c turns the MODEL and
 * SETTINGS options into a registry and an llm_config; each cmd_*.c runs one
 * subcommand and writes through the output helpers (json.c, out.c).
 * Exit statuses are LLMEM_EXIT_*; errors go to stderr via llmem_cli_error().
 */
#ifndef LLMEM_CLI_INT_H
#define LLMEM_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "llmem/error.h"
#include "llmem/estimate.h"
#include "llmem/format.h"
#include "llmem/presets.h"
#include "llmem/settings.h"

enum {
    LLMEM_EXIT_OK = 0,
    LLMEM_EXIT_NOFIT = 1,
    LLMEM_EXIT_USAGE = 2,
    LLMEM_EXIT_INPUT = 3
};

typedef enum llmem_cli_format {
    LLMEM_FMT_TABLE = 0,
    LLMEM_FMT_JSON,
    LLMEM_FMT_CSV,
    LLMEM_FMT_MD,
    LLMEM_FMT_IDS /* listings only: one id per line (for shell completion) */
} llmem_cli_format;

typedef enum llmem_cli_cmd {
    LLMEM_CMD_EXPLORE = 0, /* no subcommand */
    LLMEM_CMD_ESTIMATE,
    LLMEM_CMD_SWEEP,
    LLMEM_CMD_FIT,
    LLMEM_CMD_PRESETS,
    LLMEM_CMD_GPUS,
    LLMEM_CMD_PRECISIONS,
    LLMEM_CMD_SCREENSHOT, /* one explorer screen to SVG/text (cmd_explore.c) */
    LLMEM_CMD_HELP,
    LLMEM_CMD_COUNT_
} llmem_cli_cmd;

typedef struct llmem_cli_args {
    llmem_cli_cmd cmd;
    bool help;    /* --help / -h */
    bool version; /* --version */

    /* MODEL */
    const char *preset;    /* --preset ID */
    const char *config;    /* --config FILE.yaml */
    const char *hf_config; /* --hf-config FILE.json|DIR */
    const char *presets_dir; /* --presets DIR */

    /* SETTINGS: --set KEY=VALUE in order (pointers into argv) */
    const char **sets;
    size_t nsets;
    const char *gpu;  /* --gpu ID */
    const char *gpus; /* --gpus N */

    /* output */
    llmem_cli_format format;
    bool format_given;
    bool explain;
    llm_units units;

    /* fit */
    const char *solve; /* --solve seq|batch|gpus|precision */
    /* sweep: AXIS=FROM:TO[:STEP] */
    const char *axis;
    /* help: the subcommand asked about ("llmem help sweep") */
    const char *help_topic;

    /* explorer */
    const char *theme;
    int cols, rows; /* --size WxH */
    const char *keys;
    const char *dump_screen;
    const char *dump_svg;
    bool demo;
    bool ascii;                 /* --ascii */
    const char *dump_roles;     /* --dump-roles FILE */
    const char *screenshot_dir; /* --screenshot-dir DIR */
    const char *view;           /* --view NAME (explorer, screenshot) */
    bool big;                   /* --big: the large total figure */
    const char *output;         /* screenshot: -o/--output FILE.svg */
    const char *text_out;       /* screenshot: --text FILE.txt */
    bool explorer_flag; /* any explorer-only flag was given */
} llmem_cli_args;

/* ---- args.c ---- */
/* Parses argv (argv[0] is the program).  On a usage error prints one line to
 * stderr and returns LLMEM_EXIT_USAGE; otherwise 0.  args->sets is allocated:
 * free with llmem_cli_args_free. */
int llmem_cli_args_parse(int argc, char **argv, llmem_cli_args *a);
void llmem_cli_args_free(llmem_cli_args *a);
const char *llmem_cli_cmd_name(llmem_cli_cmd c);
const char *llmem_cli_format_name(llmem_cli_format f);

/* ---- help.c ---- */
void llmem_cli_usage(FILE *f);
/* --help text of one subcommand (LLMEM_CMD_EXPLORE: the whole program). */
void llmem_cli_help(FILE *f, llmem_cli_cmd c);
/* `llmem help [COMMAND|settings] [--format ids]`: returns an exit status. */
int llmem_cli_help_topic(const llmem_cli_args *a);

/* ---- errors ---- */
/* "llmem: <message>" on one line to stderr (newlines in the message are
 * turned into "; "). */
void llmem_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* An llm_error as one line: "llmem: path:line:col: message". */
void llmem_cli_report(const llm_error *err);
/* The exit status for an error code (files: 3, everything else: 2). */
int llmem_cli_exit_for(llm_code code);

/* ---- model.c ---- */
typedef enum llmem_model_source {
    LLMEM_SRC_PRESET = 0,
    LLMEM_SRC_CONFIG,
    LLMEM_SRC_HF_CONFIG
} llmem_model_source;

typedef struct llmem_cli_model {
    llm_registry reg;   /* presets, GPUs, precisions */
    llm_preset preset;  /* the chosen preset (or one made from a file) */
    llmem_model_source source;
    llm_config cfg;     /* after --set, --gpu, --gpus */
    const llm_gpu *gpu; /* cfg.gpu resolved in reg; NULL when none */
    bool shape_set;     /* a --set changed a shape key */
    bool file_as_is;    /* the shape and workload came from a file with no override */
    bool hf_scanned;
} llmem_cli_model;

/* Loads the registry (and warns about bad files on stderr).  Returns an exit
 * status (0 on success). */
int llmem_cli_registry(const llmem_cli_args *a, llm_registry *reg, bool scan_hf);
/* Registry + model + settings.  Returns an exit status; on failure the error
 * has been printed and *m is freed. */
int llmem_cli_model_load(const llmem_cli_args *a, llmem_cli_model *m);
void llmem_cli_model_free(llmem_cli_model *m);
/* Re-resolves m->gpu after cfg.gpu changed. */
int llmem_cli_model_gpu(llmem_cli_model *m);
/* "preset llama-3-8b", "config FILE", "hf-config PATH". */
const char *llmem_cli_source_name(llmem_model_source s);

/* ---- json.c: a small streaming JSON writer (pretty, 2-space indent) ---- */
typedef struct llmem_json {
    FILE *f;
    int depth;
    bool first[32]; /* nothing written yet at this depth */
    bool compact;   /* one line per value at depth >= compact_depth */
    int compact_depth;
} llmem_json;

void llmem_json_init(llmem_json *j, FILE *f);
/* key is NULL inside arrays. */
void llmem_json_obj(llmem_json *j, const char *key);
void llmem_json_arr(llmem_json *j, const char *key);
void llmem_json_end_obj(llmem_json *j);
void llmem_json_end_arr(llmem_json *j);
void llmem_json_str(llmem_json *j, const char *key, const char *v); /* NULL -> null */
void llmem_json_u64(llmem_json *j, const char *key, uint64_t v);
/* A whole number (bytes, counts held in doubles): rounded; null if not finite. */
void llmem_json_whole(llmem_json *j, const char *key, double v);
/* A number: shortest text that reads back to the same double; null if not finite. */
void llmem_json_num(llmem_json *j, const char *key, double v);
void llmem_json_bool(llmem_json *j, const char *key, bool v);
/* A number already in JSON syntax (the caller guarantees it). */
void llmem_json_raw_number(llmem_json *j, const char *key, const char *digits);
void llmem_json_null(llmem_json *j, const char *key);
/* Writes s as a JSON string literal (quotes included): escapes ", \ and
 * control characters; invalid UTF-8 bytes become U+FFFD. */
void llmem_json_write_string(FILE *f, const char *s);
/* Ends the document with a newline. */
void llmem_json_finish(llmem_json *j);

/* ---- out.c: CSV and Markdown cells ---- */
/* A CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void llmem_csv_field(FILE *f, const char *s);
/* A Markdown table cell: '|' escaped, newlines as spaces. */
void llmem_md_cell(FILE *f, const char *s);
/* Shortest decimal text of a double that reads back exactly ("0.4", "1e+24"). */
size_t llmem_num_text(char *buf, size_t cap, double v);
/* The bound's name: "compute", "memory", "unknown", "none". */
const char *llmem_bound_name(llm_bound b);
/* The estimate's warnings (LLM_WARN_* bits) as "note: ..." lines (Markdown:
 * "> note: ..."), wrapped before 80 columns; nothing when there are none. */
void llmem_warning_lines(FILE *f, unsigned warnings, bool md);
/* "LABEL: text" wrapped before 80 columns (Markdown: "> LABEL: text"). */
void llmem_note(FILE *f, const char *label, const char *text, bool md);
/* "warnings": [...] (always present, possibly empty). */
void llmem_json_warnings(llmem_json *j, unsigned warnings);

/* ---- row.c: rows built in memory and written with one fwrite (sweep's fast path) ---- */
typedef struct llmem_row {
    char buf[4096];
    size_t len;
} llmem_row;

void llmem_row_reset(llmem_row *r);
void llmem_row_str(llmem_row *r, const char *s); /* as is: the caller quotes */
void llmem_row_char(llmem_row *r, char c);
void llmem_row_u64(llmem_row *r, uint64_t v);
/* A whole number held in a double (rounded); an empty cell when not finite. */
void llmem_row_whole(llmem_row *r, double v);
/* A number with at most 4 decimals, trailing zeros trimmed ("0.4", "12.3457");
 * exponent form outside 1e-4..1e14; empty when not finite. */
void llmem_row_num(llmem_row *r, double v);
void llmem_row_write(llmem_row *r, FILE *f);

/* ---- figures.c: the figure columns shared by estimate CSV/Markdown and sweep ---- */
/* Column names: params_total ... utilisation. */
size_t llmem_figure_ncols(void);
const char *llmem_figure_col(size_t i);
/* Appends the figure cells, each preceded by `sep`.  fit may be NULL (no GPU):
 * its cells are then empty. */
void llmem_figure_cells(llmem_row *r, const llm_estimate *e, const llm_fit *fit, char sep);

/* ---- the subcommands ---- */
int llmem_cmd_estimate(const llmem_cli_args *a);
int llmem_cmd_sweep(const llmem_cli_args *a);
int llmem_cmd_fit(const llmem_cli_args *a);
int llmem_cmd_presets(const llmem_cli_args *a);
int llmem_cmd_gpus(const llmem_cli_args *a);
int llmem_cmd_precisions(const llmem_cli_args *a);
int llmem_cmd_explore(const llmem_cli_args *a);
/* `llmem screenshot` (cmd_explore.c); the help text and cmd_explore.c test
 * this macro. */
#define LLMEM_CLI_HAS_SCREENSHOT 1
int llmem_cmd_screenshot(const llmem_cli_args *a);

/* ---- estimate output (estimate_*.c), shared with the explorer fallback ---- */
typedef struct llmem_report {
    const llmem_cli_model *m;
    llm_estimate est;
    llm_units units;
    bool explain;
} llmem_report;

/* Runs the engine for m; prints the error and returns an exit status on failure. */
int llmem_report_run(const llmem_cli_model *m, llmem_report *r);
void llmem_report_table(FILE *f, const llmem_report *r);
void llmem_report_json(FILE *f, const llmem_report *r);
void llmem_report_csv(FILE *f, const llmem_report *r);
void llmem_report_md(FILE *f, const llmem_report *r);
/* The worked calculation of every figure (llm_explain), as plain text. */
void llmem_report_explain(FILE *f, const llmem_report *r, bool markdown);
/* One figure's trace into *buf (grown with realloc when too small); false when
 * memory runs out. */
bool llmem_report_explain_figure(const llmem_report *r, llm_figure fig, char **buf, size_t *cap);

#endif
