/* llmem fit: does the configuration fit on --gpu, and (--solve) the largest
 * sequence or batch, the smallest GPU count, or the weight precision that
 * makes it fit.  Exit status 1 when it does not fit / nothing is found. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "cli/sections.h"

typedef struct fit_result {
    const char *solve; /* NULL: a plain check */
    bool ok;           /* fits / found */
    uint64_t value;    /* the solved value */
    char value_text[64];
    llm_workload w;    /* the workload at the answer (or the input) */
    llm_estimate est;  /* at that workload */
    llm_fit fit;       /* at that workload */
    unsigned warnings; /* of the estimate at the answer */
    char reason[LLM_SOLVE_REASON_MAX + 64]; /* nothing found: why */
} fit_result;

static int parse_solve(const char *s, llm_solve *out)
{
    if (strcmp(s, "seq") == 0)
        *out = LLM_SOLVE_SEQ;
    else if (strcmp(s, "batch") == 0)
        *out = LLM_SOLVE_BATCH;
    else if (strcmp(s, "gpus") == 0)
        *out = LLM_SOLVE_GPUS;
    else
        *out = LLM_SOLVE_PRECISION;
    return 0;
}

/* Weight precisions to try, highest number of bytes first: the answer is then
 * the most precise format that fits. */
static int by_bytes_desc(const void *x, const void *y)
{
    const llm_dtype *a = x, *b = y;
    if (a->bytes != b->bytes) return a->bytes < b->bytes ? 1 : -1;
    return strcmp(a->name, b->name);
}

static int solve(const llmem_cli_args *a, const llmem_cli_model *m, fit_result *out)
{
    llm_error err;
    const llm_config *c = &m->cfg;
    memset(out, 0, sizeof *out);
    out->solve = a->solve;
    out->w = c->workload;
    llm_dtype *cands = NULL;
    size_t ncands = 0;
    if (a->solve) {
        llm_solve what;
        parse_solve(a->solve, &what);
        if (what == LLM_SOLVE_PRECISION) {
            size_t nb = 0;
            const llm_dtype *builtin = llm_dtype_builtin(&nb);
            const llm_dtype *src = m->reg.ndtypes ? m->reg.dtypes : builtin;
            ncands = m->reg.ndtypes ? m->reg.ndtypes : nb;
            cands = malloc((ncands ? ncands : 1) * sizeof *cands);
            if (!cands) {
                llmem_cli_error("out of memory");
                return LLMEM_EXIT_INPUT;
            }
            memcpy(cands, src, ncands * sizeof *cands);
            qsort(cands, ncands, sizeof *cands, by_bytes_desc);
        }
        llm_solve_result res;
        if (llm_fit_solve(&c->model, &c->workload, m->gpu, what, cands, ncands, &res, &err) !=
            LLM_OK) {
            llmem_cli_report(&err);
            free(cands);
            return m->file_as_is ? LLMEM_EXIT_INPUT : LLMEM_EXIT_USAGE;
        }
        out->ok = res.found;
        if (!res.found) {
            if (res.reason[0])
                snprintf(out->reason, sizeof out->reason, "%s", res.reason);
            else
                snprintf(out->reason, sizeof out->reason, "no %s makes it fit on %s",
                         what == LLM_SOLVE_PRECISION ? "weight format"
                         : what == LLM_SOLVE_GPUS    ? "GPU count"
                         : what == LLM_SOLVE_SEQ     ? "sequence length"
                                                     : "micro-batch",
                         m->gpu->id);
        }
        if (res.found) {
            out->value = res.value;
            out->w = res.workload;
            if (what == LLM_SOLVE_PRECISION && res.value < ncands)
                snprintf(out->value_text, sizeof out->value_text, "%s", cands[res.value].name);
            else
                llm_fmt_int(out->value_text, sizeof out->value_text, res.value);
        }
        free(cands);
    }
    if (llm_estimate_run(&c->model, &out->w, m->gpu, &out->est, &err) != LLM_OK ||
        llm_fit_check(&c->model, &out->w, m->gpu, &out->fit, &err) != LLM_OK) {
        if (a->solve && !out->ok) return LLMEM_EXIT_OK; /* nothing found: nothing to show */
        llmem_cli_report(&err);
        return m->file_as_is ? LLMEM_EXIT_INPUT : LLMEM_EXIT_USAGE;
    }
    if (!a->solve) out->ok = out->fit.fits;
    out->warnings = out->est.warnings;
    return LLMEM_EXIT_OK;
}

static const char *solve_label(const char *s)
{
    if (!s) return "fits";
    if (strcmp(s, "seq") == 0) return "largest sequence length";
    if (strcmp(s, "batch") == 0) return "largest micro-batch";
    if (strcmp(s, "gpus") == 0) return "smallest GPU count";
    return "most precise weight format";
}

static void text_out(FILE *f, const llmem_cli_args *a, const llmem_cli_model *m,
                     const fit_result *r)
{
    llmem_sect *s = malloc(sizeof *s);
    if (!s) return;
    char title[200], v[96], b[48], cap[48];
    const llm_gpu *g = m->gpu;
    llm_fmt_bytes(cap, sizeof cap, g->memory_bytes, a->units);
    snprintf(title, sizeof title, "%.80s on %.60s (%.40s per GPU)",
             m->preset.name[0] ? m->preset.name : m->preset.id, g->name[0] ? g->name : g->id, cap);
    llmem_sect_init(s, title, 2, "", "");
    if (r->solve) {
        llmem_sect_row(s, solve_label(r->solve), r->ok ? r->value_text : "none fits");
    }
    if (!r->solve || r->ok) {
        llm_fmt_bytes(b, sizeof b, r->est.per_gpu.total, a->units);
        char pct[24], line[128];
        llm_fmt_use(pct, sizeof pct, r->fit.utilisation);
        snprintf(line, sizeof line, "%.40s (%.15s of %.40s)", b, pct, cap);
        llmem_sect_row(s, "per-GPU total", line);
        llmem_sect_row(s, "fits", r->fit.fits ? "yes" : "no");
        snprintf(v, sizeof v, "%u (tp %u, pp %u, dp %u)", r->w.tp * r->w.pp * r->w.dp, r->w.tp,
                 r->w.pp, r->w.dp);
        llmem_sect_row(s, "GPUs", v);
        if (r->fit.gpus_needed)
            llm_fmt_int(v, sizeof v, r->fit.gpus_needed);
        else
            snprintf(v, sizeof v, "none");
        llmem_sect_row(s, "GPUs needed", v);
        llm_fmt_int(v, sizeof v, r->w.seq);
        llmem_sect_row(s, "seq", v);
        llm_fmt_int(v, sizeof v, r->w.micro_batch);
        llmem_sect_row(s, "batch", v);
        llmem_sect_row(s, "weights", r->w.weights.name);
    }
    bool md = a->format == LLMEM_FMT_MD;
    if (md)
        llmem_sect_md(f, s);
    else
        llmem_sect_text(f, s);
    free(s);
    if (r->solve && !r->ok && r->reason[0]) {
        if (md) fputc('\n', f);
        llmem_note(f, "why", r->reason, md);
    }
    if ((!r->solve || r->ok) && r->warnings) {
        if (md) fputc('\n', f);
        llmem_warning_lines(f, r->warnings, md);
    }
}

static void json_out(FILE *f, const llmem_cli_model *m, const fit_result *r)
{
    llmem_json j;
    llmem_json_init(&j, f);
    llmem_json_obj(&j, NULL);
    llmem_json_u64(&j, "schema", 1);
    llmem_json_str(&j, "preset", m->preset.id);
    llmem_json_str(&j, "gpu", m->gpu->id);
    llmem_json_whole(&j, "gpu_memory_bytes", m->gpu->memory_bytes);
    llmem_json_str(&j, "solve", r->solve);
    if (r->solve) {
        llmem_json_bool(&j, "found", r->ok);
        if (!r->ok) {
            llmem_json_null(&j, "value");
            llmem_json_str(&j, "reason", r->reason);
        }
        else if (strcmp(r->solve, "precision") == 0)
            llmem_json_str(&j, "value", r->value_text);
        else
            llmem_json_u64(&j, "value", r->value);
    }
    if (!r->solve || r->ok) {
        llmem_json_bool(&j, "fits", r->fit.fits);
        llmem_json_num(&j, "utilisation", r->fit.utilisation);
        llmem_json_u64(&j, "gpus_needed", r->fit.gpus_needed);
        llmem_json_whole(&j, "memory_total", r->est.per_gpu.total);
        llmem_json_u64(&j, "gpus", r->est.gpus);
        llmem_json_u64(&j, "tp", r->w.tp);
        llmem_json_u64(&j, "pp", r->w.pp);
        llmem_json_u64(&j, "dp", r->w.dp);
        llmem_json_u64(&j, "seq", r->w.seq);
        llmem_json_u64(&j, "batch", r->w.micro_batch);
        llmem_json_str(&j, "weights", r->w.weights.name);
        llmem_json_warnings(&j, r->warnings);
    }
    llmem_json_end_obj(&j);
    llmem_json_finish(&j);
}

static void csv_out(FILE *f, const llmem_cli_model *m, const fit_result *r)
{
    fputs("preset,gpu,solve,found,value,fits,utilisation,gpus_needed,memory_total,gpus,tp,pp,dp,"
          "seq,batch,weights\n",
          f);
    llmem_csv_field(f, m->preset.id);
    fputc(',', f);
    llmem_csv_field(f, m->gpu->id);
    fprintf(f, ",%s,%s,", r->solve ? r->solve : "", r->ok ? "true" : "false");
    if (r->solve && r->ok) {
        if (strcmp(r->solve, "precision") == 0)
            llmem_csv_field(f, r->value_text);
        else
            fprintf(f, "%llu", (unsigned long long)r->value);
    }
    if (r->solve && !r->ok) {
        fputs(",,,,,,,,,,,\n", f);
        return;
    }
    llmem_row row;
    llmem_row_reset(&row);
    llmem_row_str(&row, r->fit.fits ? ",true," : ",false,");
    llmem_row_num(&row, r->fit.utilisation);
    llmem_row_str(&row, ",");
    llmem_row_u64(&row, r->fit.gpus_needed);
    llmem_row_str(&row, ",");
    llmem_row_whole(&row, r->est.per_gpu.total);
    const uint64_t rest[] = {r->est.gpus, r->w.tp, r->w.pp, r->w.dp, r->w.seq, r->w.micro_batch};
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
        llmem_row_str(&row, ",");
        llmem_row_u64(&row, rest[i]);
    }
    llmem_row_str(&row, ",");
    llmem_row_write(&row, f);
    llmem_csv_field(f, r->w.weights.name);
    fputc('\n', f);
}

int llmem_cmd_fit(const llmem_cli_args *a)
{
    llmem_cli_model m;
    int rc = llmem_cli_model_load(a, &m);
    if (rc) return rc;
    if (!m.gpu) { /* --gpu, else the preset's or the file's own GPU */
        llmem_cli_error("fit: no GPU: the %s names none; give --gpu ID (see 'llmem gpus')",
                        m.source == LLMEM_SRC_PRESET ? "preset" : "model file");
        llmem_cli_model_free(&m);
        return LLMEM_EXIT_USAGE;
    }
    fit_result *r = malloc(sizeof *r);
    if (!r) {
        llmem_cli_model_free(&m);
        return LLMEM_EXIT_INPUT;
    }
    rc = solve(a, &m, r);
    if (rc == LLMEM_EXIT_OK) {
        switch (a->format) {
        case LLMEM_FMT_JSON:
            json_out(stdout, &m, r);
            break;
        case LLMEM_FMT_CSV:
            csv_out(stdout, &m, r);
            break;
        default:
            text_out(stdout, a, &m, r);
        }
        rc = r->ok ? LLMEM_EXIT_OK : LLMEM_EXIT_NOFIT;
    }
    free(r);
    llmem_cli_model_free(&m);
    return rc;
}
