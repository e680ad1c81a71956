/* llmem presets | gpus | precisions: the catalogues, as a table (80 columns),
 * JSON, CSV, Markdown or bare ids (for shell completion). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define LCOLS 7
#define LCELL 128

typedef struct list_tab {
    int ncols;
    const char *head[LCOLS];
    bool right[LCOLS];
    int maxw[LCOLS]; /* table only: the column is at most this wide (0 = no limit); a
                        longer cell is printed whole and pushes its row to the right */
    size_t nrows, cap;
    char (*cells)[LCOLS][LCELL];
} list_tab;

static void tab_col(list_tab *t, const char *head, bool right, int maxw)
{
    t->head[t->ncols] = head;
    t->right[t->ncols] = right;
    t->maxw[t->ncols] = maxw;
    t->ncols++;
}

/* A new empty row; NULL when memory runs out. */
static char (*tab_row(list_tab *t))[LCELL]
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        void *p = realloc(t->cells, cap * sizeof *t->cells);
        if (!p) return NULL;
        t->cells = p;
        t->cap = cap;
    }
    memset(t->cells[t->nrows], 0, sizeof t->cells[0]);
    return t->cells[t->nrows++];
}

static int dwidth(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80) w++;
    return w;
}

static void tab_text(FILE *f, const list_tab *t)
{
    int w[LCOLS];
    for (int i = 0; i < t->ncols; i++) {
        w[i] = dwidth(t->head[i]);
        for (size_t r = 0; r < t->nrows; r++) {
            int cw = dwidth(t->cells[r][i]);
            if (cw > w[i]) w[i] = cw;
        }
        if (t->maxw[i] && w[i] > t->maxw[i]) w[i] = t->maxw[i];
    }
    for (long r = -1; r < (long)t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++) {
            const char *c = r < 0 ? t->head[i] : t->cells[r][i];
            int gap = w[i] - dwidth(c);
            if (i) fputs("  ", f);
            if (t->right[i]) for (int k = 0; k < gap; k++) fputc(' ', f);
            fputs(c, f);
            if (!t->right[i] && i < t->ncols - 1) for (int k = 0; k < gap; k++) fputc(' ', f);
        }
        fputc('\n', f);
    }
}

static void tab_csv(FILE *f, const list_tab *t)
{
    for (long r = -1; r < (long)t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++) {
            if (i) fputc(',', f);
            llmem_csv_field(f, r < 0 ? t->head[i] : t->cells[r][i]);
        }
        fputc('\n', f);
    }
}

static void tab_md(FILE *f, const list_tab *t)
{
    for (long r = -2; r < (long)t->nrows; r++) {
        fputc('|', f);
        for (int i = 0; i < t->ncols; i++) {
            fputc(' ', f);
            if (r == -2)
                llmem_md_cell(f, t->head[i]);
            else if (r == -1)
                fputs(t->right[i] ? "---:" : "---", f);
            else
                llmem_md_cell(f, t->cells[r][i]);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}

static void tab_out(FILE *f, const list_tab *t, llmem_cli_format fmt)
{
    if (fmt == LLMEM_FMT_CSV)
        tab_csv(f, t);
    else if (fmt == LLMEM_FMT_MD)
        tab_md(f, t);
    else
        tab_text(f, t);
}

#define CELL(row, i, ...) snprintf((row)[i], LCELL, __VA_ARGS__)

/* ---- presets ------------------------------------------------------------- */
/* The table: grouped by family (in registry order), one line per preset with
 * its parameter count, published/illustrative and where it came from. */
static void presets_text(FILE *f, const llm_registry *reg)
{
    /* Column of the id: the longest id up to 26; a longer id (a Hugging Face
     * cache entry) is printed whole and pushes its own line to the right. */
    int idw = 2;
    for (size_t i = 0; i < reg->npresets; i++) {
        int w = dwidth(reg->presets[i].id);
        if (w > idw && w <= 26) idw = w;
    }
    fprintf(f, "  %-*s  %8s  %-12s  %s\n", idw, "id", "params", "shape", "origin");
    const char *family = NULL;
    for (size_t i = 0; i < reg->npresets; i++) {
        const llm_preset *p = &reg->presets[i];
        if (!family || strcmp(family, p->family) != 0) {
            family = p->family;
            fprintf(f, "%s:\n", family[0] ? family : "(no family)");
        }
        char params[32], origin[64];
        llm_params pc;
        if (llm_params_count(&p->model, &pc, NULL) == LLM_OK)
            llm_fmt_count(params, sizeof params, (double)pc.total);
        else
            snprintf(params, sizeof params, "invalid");
        int w = dwidth(p->id);
        if (w < idw) w = idw;
        /* keep the end of a long origin: it names the file or the snapshot */
        int room = 80 - 2 - w - 2 - 8 - 2 - 12 - 2;
        if (room < 16) room = 16;
        if (room > 60) room = 60;
        size_t ol = strlen(p->origin);
        if (ol > (size_t)room)
            snprintf(origin, sizeof origin, "~%.59s", p->origin + ol - (size_t)(room - 1));
        else
            snprintf(origin, sizeof origin, "%.60s", p->origin);
        fprintf(f, "  %-*s  %8s  %-12s  %s\n", idw, p->id, params,
                p->published ? "published" : "illustrative", origin);
    }
}

int llmem_cmd_presets(const llmem_cli_args *a)
{
    llm_registry reg;
    int rc = llmem_cli_registry(a, &reg, true);
    if (rc) return rc;
    if (a->format == LLMEM_FMT_IDS) {
        for (size_t i = 0; i < reg.npresets; i++) printf("%s\n", reg.presets[i].id);
        llm_registry_free(&reg);
        return LLMEM_EXIT_OK;
    }
    if (a->format == LLMEM_FMT_JSON) {
        llmem_json j;
        llmem_json_init(&j, stdout);
        llmem_json_arr(&j, NULL);
        for (size_t i = 0; i < reg.npresets; i++) {
            const llm_preset *p = &reg.presets[i];
            llm_params pc;
            bool ok = llm_params_count(&p->model, &pc, NULL) == LLM_OK;
            llmem_json_obj(&j, NULL);
            llmem_json_str(&j, "id", p->id);
            llmem_json_str(&j, "name", p->name);
            llmem_json_str(&j, "family", p->family);
            llmem_json_bool(&j, "published", p->published);
            llmem_json_str(&j, "analogue", p->analogue[0] ? p->analogue : NULL);
            if (ok) {
                llmem_json_u64(&j, "params_total", pc.total);
                llmem_json_u64(&j, "params_active", pc.active);
            } else {
                llmem_json_null(&j, "params_total");
                llmem_json_null(&j, "params_active");
            }
            if (p->params_published)
                llmem_json_u64(&j, "params_published", p->params_published);
            else
                llmem_json_null(&j, "params_published");
            llmem_json_bool(&j, "params_exact", p->params_exact);
            llmem_json_str(&j, "source", p->source);
            llmem_json_str(&j, "notes", p->notes);
            llmem_json_str(&j, "origin", p->origin);
            llmem_json_end_obj(&j);
        }
        llmem_json_end_arr(&j);
        llmem_json_finish(&j);
        llm_registry_free(&reg);
        return LLMEM_EXIT_OK;
    }
    if (a->format == LLMEM_FMT_TABLE) {
        presets_text(stdout, &reg);
        llm_registry_free(&reg);
        return LLMEM_EXIT_OK;
    }
    list_tab t = {0};
    tab_col(&t, "id", false, 0);
    tab_col(&t, "name", false, 0);
    tab_col(&t, "family", false, 0);
    tab_col(&t, "params", true, 0);
    tab_col(&t, "shape", false, 0);
    tab_col(&t, "origin", false, 0);
    for (size_t i = 0; i < reg.npresets; i++) {
        const llm_preset *p = &reg.presets[i];
        char(*row)[LCELL] = tab_row(&t);
        if (!row) break;
        llm_params pc;
        CELL(row, 0, "%s", p->id);
        CELL(row, 1, "%s", p->name);
        CELL(row, 2, "%s", p->family);
        if (llm_params_count(&p->model, &pc, NULL) != LLM_OK)
            CELL(row, 3, "invalid");
        else
            CELL(row, 3, "%llu", (unsigned long long)pc.total);
        CELL(row, 4, "%s", p->published ? "published" : "illustrative");
        CELL(row, 5, "%.127s", p->origin);
    }
    tab_out(stdout, &t, a->format);
    free(t.cells);
    llm_registry_free(&reg);
    return LLMEM_EXIT_OK;
}

/* ---- gpus ------------------------------------------------------------------ */
static void tflops_cell(char *cell, double flops)
{
    if (flops > 0)
        snprintf(cell, LCELL, "%.1f", flops / 1e12);
    else
        snprintf(cell, LCELL, "-");
}

int llmem_cmd_gpus(const llmem_cli_args *a)
{
    llm_registry reg;
    int rc = llmem_cli_registry(a, &reg, false);
    if (rc) return rc;
    if (a->format == LLMEM_FMT_IDS) {
        for (size_t i = 0; i < reg.ngpus; i++) printf("%s\n", reg.gpus[i].id);
    } else if (a->format == LLMEM_FMT_JSON) {
        llmem_json j;
        llmem_json_init(&j, stdout);
        llmem_json_arr(&j, NULL);
        for (size_t i = 0; i < reg.ngpus; i++) {
            const llm_gpu *g = &reg.gpus[i];
            llmem_json_obj(&j, NULL);
            llmem_json_str(&j, "id", g->id);
            llmem_json_str(&j, "name", g->name);
            llmem_json_whole(&j, "memory_bytes", g->memory_bytes);
            llmem_json_whole(&j, "bandwidth", g->bandwidth);
            llmem_json_num(&j, "flops_16", g->flops_16);
            llmem_json_num(&j, "flops_8", g->flops_8);
            llmem_json_num(&j, "flops_32", g->flops_32);
            llmem_json_end_obj(&j);
        }
        llmem_json_end_arr(&j);
        llmem_json_finish(&j);
    } else {
        bool table = a->format == LLMEM_FMT_TABLE;
        list_tab t = {0};
        /* id 14 + name 28 + the numbers 38 = 80 columns for the catalogue */
        tab_col(&t, "id", false, 18);
        tab_col(&t, "name", false, 30);
        tab_col(&t, table ? llm_units_name(a->units) : "memory_bytes", true, 0);
        tab_col(&t, table ? "GB/s" : "bandwidth", true, 0);
        tab_col(&t, table ? "bf16 TF/s" : "flops_16", true, 0);
        tab_col(&t, table ? "fp8 TF/s" : "flops_8", true, 0);
        for (size_t i = 0; i < reg.ngpus; i++) {
            const llm_gpu *g = &reg.gpus[i];
            char(*row)[LCELL] = tab_row(&t);
            if (!row) break;
            CELL(row, 0, "%s", g->id);
            CELL(row, 1, "%s", g->name);
            if (table) {
                llm_fmt_bytes_at(row[2], LCELL, g->memory_bytes, a->units, LLM_SCALE_G, 2, false);
                llm_fmt_int(row[3], LCELL, (uint64_t)llround(g->bandwidth / 1e9));
                tflops_cell(row[4], g->flops_16);
                tflops_cell(row[5], g->flops_8);
            } else {
                CELL(row, 2, "%.0f", g->memory_bytes);
                CELL(row, 3, "%.0f", g->bandwidth);
                llmem_num_text(row[4], LCELL, g->flops_16);
                llmem_num_text(row[5], LCELL, g->flops_8);
            }
        }
        tab_out(stdout, &t, a->format);
        free(t.cells);
    }
    llm_registry_free(&reg);
    return LLMEM_EXIT_OK;
}

/* ---- precisions ---------------------------------------------------------- */
int llmem_cmd_precisions(const llmem_cli_args *a)
{
    llm_registry reg;
    int rc = llmem_cli_registry(a, &reg, false);
    if (rc) return rc;
    size_t n = reg.ndtypes;
    const llm_dtype *d = reg.dtypes;
    if (n == 0) d = llm_dtype_builtin(&n); /* no catalogue loaded: the built-in table */
    if (a->format == LLMEM_FMT_IDS) {
        for (size_t i = 0; i < n; i++) printf("%s\n", d[i].name);
    } else if (a->format == LLMEM_FMT_JSON) {
        llmem_json j;
        llmem_json_init(&j, stdout);
        llmem_json_arr(&j, NULL);
        for (size_t i = 0; i < n; i++) {
            llmem_json_obj(&j, NULL);
            llmem_json_str(&j, "name", d[i].name);
            llmem_json_num(&j, "bytes", d[i].bytes);
            llmem_json_num(&j, "bits", d[i].bits);
            llmem_json_u64(&j, "group", d[i].group);
            llmem_json_num(&j, "scale_bytes", d[i].scale_bytes);
            llmem_json_bool(&j, "float", d[i].is_float);
            llmem_json_end_obj(&j);
        }
        llmem_json_end_arr(&j);
        llmem_json_finish(&j);
    } else {
        list_tab t = {0};
        tab_col(&t, "name", false, 20);
        tab_col(&t, "bytes", true, 0);
        tab_col(&t, "bits", true, 0);
        tab_col(&t, "group", true, 0);
        tab_col(&t, "scale_bytes", true, 0);
        tab_col(&t, "float", false, 0);
        for (size_t i = 0; i < n; i++) {
            char(*row)[LCELL] = tab_row(&t);
            if (!row) break;
            CELL(row, 0, "%s", d[i].name);
            llmem_num_text(row[1], LCELL, d[i].bytes);
            llmem_num_text(row[2], LCELL, d[i].bits);
            CELL(row, 3, "%u", (unsigned)d[i].group);
            llmem_num_text(row[4], LCELL, d[i].scale_bytes);
            CELL(row, 5, "%s", d[i].is_float ? "yes" : "no");
        }
        tab_out(stdout, &t, a->format);
        free(t.cells);
    }
    llm_registry_free(&reg);
    return LLMEM_EXIT_OK;
}
