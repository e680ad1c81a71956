/* The estimate of one configuration as text, Markdown and CSV, and the
 * worked calculation (--explain).  JSON is in report_json.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "cli/sections.h"

int llmem_report_run(const llmem_cli_model *m, llmem_report *r)
{
    llm_error err;
    r->m = m;
    if (llm_estimate_run(&m->cfg.model, &m->cfg.workload, m->gpu, &r->est, &err) != LLM_OK) {
        llmem_cli_report(&err);
        return m->file_as_is ? LLMEM_EXIT_INPUT : LLMEM_EXIT_USAGE;
    }
    return LLMEM_EXIT_OK;
}

/* ---- header: what was estimated ---------------------------------------- */
static int text_width(const char *t)
{
    int w = 0;
    for (; *t; t++)
        if (((unsigned char)*t & 0xc0) != 0x80) w++;
    return w;
}

/* The name, then where it came from: on one line when that fits in 78
 * columns, else the origin on a line of its own.  "(illustrative)" is added
 * only when the name does not say so already. */
static void title_line(FILE *f, const llmem_cli_model *m, bool md)
{
    const llm_preset *p = &m->preset;
    const char *name = p->name[0] ? p->name : p->id;
    char origin[LLM_ERROR_PATH_MAX + 128];
    switch (m->source) {
    case LLMEM_SRC_PRESET:
        snprintf(origin, sizeof origin, "preset %s%s", p->id,
                 p->published                      ? " (published shape)"
                 : strstr(name, "illustrative") ? ""
                                                  : " (illustrative)");
        break;
    case LLMEM_SRC_CONFIG:
        snprintf(origin, sizeof origin, "config %s", p->origin[0] ? p->origin : p->id);
        break;
    default:
        snprintf(origin, sizeof origin, "hf-config %s", p->origin[0] ? p->origin : p->id);
        break;
    }
    if (m->shape_set) {
        size_t n = strlen(origin);
        snprintf(origin + n, sizeof origin - n, " · shape changed by --set");
    }
    bool one_line = text_width(name) + 3 + text_width(origin) <= 78;
    if (md) {
        fputs("## ", f);
        llmem_md_cell(f, name);
        fputs(one_line ? " · " : "\n\n", f);
        llmem_md_cell(f, origin);
    } else {
        fprintf(f, "%s%s%s", name, one_line ? " · " : "\n", origin);
    }
    fputc('\n', f);
}

/* The settings that shape the numbers, "key value" joined by " · " and
 * wrapped before 80 columns; the parallel layout always as tp · pp · dp
 * (· ep when above 1) and the GPU count tp x pp x dp with the GPU's id. */
static void settings_lines(FILE *f, const llmem_cli_model *m, bool md)
{
    static const char *const keys_train[] = {"mode", "seq", "batch", "weights", "act", "optimizer",
                                             "recompute", "flash", "teacher", "tp", "pp", "dp",
                                             "ep", "zero", "gpus"};
    static const char *const keys_infer[] = {"mode", "seq", "batch", "weights", "kv", "tp", "pp",
                                             "dp", "ep", "gpus"};
    const llm_workload *w = &m->cfg.workload;
    bool infer = w->mode == LLM_MODE_INFER;
    const char *const *keys = infer ? keys_infer : keys_train;
    size_t n = infer ? sizeof keys_infer / sizeof *keys_infer : sizeof keys_train / sizeof *keys_train;
    int col = 0;
    if (md) fputs("\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[96], item[128];
        if (strcmp(keys[i], "gpus") == 0) /* the count the figures describe, and which */
            snprintf(v, sizeof v, "%llu%s%.60s",
                     (unsigned long long)w->tp * (w->pp ? w->pp : 1) * (w->dp ? w->dp : 1),
                     m->cfg.gpu[0] ? " x " : "", m->cfg.gpu);
        else
            llm_setting_format(&m->cfg, keys[i], v, sizeof v);
        if (!v[0]) continue;
        if (strcmp(keys[i], "teacher") == 0 && (w->mode != LLM_MODE_DISTILL || strcmp(v, "none") == 0))
            continue;
        if (strcmp(keys[i], "ep") == 0 && w->ep <= 1) continue;
        int len = snprintf(item, sizeof item, "%s %s", keys[i], v);
        if (col > 0 && col + 3 + len > 78) {
            fputs(md ? "  \n" : "\n", f);
            col = 0;
        }
        if (col > 0) {
            fputs(" · ", f);
            col += 3;
        }
        fputs(item, f);
        col += len;
    }
    fputc('\n', f);
}

/* ---- the sections -------------------------------------------------------- */
static void count_row(llmem_sect *s, const char *label, uint64_t n, bool total)
{
    char a[32], b[32];
    llm_fmt_int(a, sizeof a, n);
    llm_fmt_count(b, sizeof b, (double)n);
    if (total)
        llmem_sect_total(s, label, a, b);
    else
        llmem_sect_row(s, label, a, b);
}

static void params_section(llmem_sect *s, const llmem_report *r)
{
    const llm_params *p = &r->est.params;
    const llm_model *mo = &r->m->cfg.model;
    llmem_sect_init(s, "Parameters", 3, "component", ">count", ">");
    count_row(s, "embedding", p->embedding, false);
    if (p->positions) count_row(s, "positions", p->positions, false);
    count_row(s, "attention", p->attention, false);
    if (!mo->experts || p->mlp) count_row(s, mo->experts ? "mlp (dense, shared)" : "mlp", p->mlp, false);
    if (mo->experts) count_row(s, "experts (routed)", p->experts, false);
    if (p->router) count_row(s, "router", p->router, false);
    count_row(s, "norms", p->norms, false);
    if (mo->tied_embeddings && p->lm_head == 0)
        llmem_sect_row(s, "lm_head", "0", "tied");
    else
        count_row(s, "lm_head", p->lm_head, false);
    count_row(s, "total", p->total, true);
    if (p->active != p->total) count_row(s, "active per token", p->active, false);
    if (mo->arch == LLM_ARCH_ENCODER_DECODER) { /* the same total, split by stack */
        count_row(s, "of which encoder", p->encoder, false);
        count_row(s, "of which decoder", p->decoder, false);
    }
}

static void bytes_row(llmem_sect *s, const llmem_report *r, const char *label, double v, bool total)
{
    char a[40], b[40];
    llm_fmt_bytes_at(a, sizeof a, v, r->units, LLM_SCALE_G, 2, false);
    if (isfinite(v) && v >= 0 && v < 1.8e19)
        llm_fmt_int(b, sizeof b, (uint64_t)llround(v));
    else
        snprintf(b, sizeof b, "%s", "n/a");
    if (total)
        llmem_sect_total(s, label, a, b);
    else
        llmem_sect_row(s, label, a, b);
}

static void memory_section(llmem_sect *s, const llmem_report *r)
{
    const llm_memory *mem = &r->est.per_gpu;
    const llm_workload *w = &r->m->cfg.workload;
    char title[96], unit[8];
    snprintf(title, sizeof title, "Memory per GPU%s",
             w->pp > 1 ? " (most-loaded pipeline stage)" : "");
    snprintf(unit, sizeof unit, ">%s", llm_units_name(r->units));
    llmem_sect_init(s, title, 3, "category", unit, ">bytes");
    bytes_row(s, r, "weights", mem->weights, false);
    bytes_row(s, r, "gradients", mem->gradients, false);
    bytes_row(s, r, "optimizer", mem->optimizer, false);
    bytes_row(s, r, "activations", mem->activations, false);
    bytes_row(s, r, "kv cache", mem->kv_cache, false);
    bytes_row(s, r, "overhead", mem->overhead, false);
    bytes_row(s, r, "total", mem->total, true);
    if (mem->host > 0) bytes_row(s, r, "offloaded to CPU", mem->host, false);
    if (r->est.gpus > 1) {
        char label[64];
        snprintf(label, sizeof label, "all %llu GPUs", (unsigned long long)r->est.gpus);
        bytes_row(s, r, label, r->est.cluster.total, false);
    }
}

#define PEAK_NA "n/a (peak FLOP/s not published)"

static void compute_section(llmem_sect *s, const llmem_report *r)
{
    const llm_estimate *e = &r->est;
    const llm_workload *w = &r->m->cfg.workload;
    const llm_gpu *g = r->m->gpu;
    bool peak_unknown = (e->warnings & LLM_WARN_PEAK_UNKNOWN) != 0;
    char v[128], a[48], b[48];
    llmem_sect_init(s, "Compute", 2, "figure", "value");
    llm_fmt_flops(v, sizeof v, e->flops_per_token);
    llmem_sect_row(s, "forward FLOPs per token", v);
    if (w->mode != LLM_MODE_INFER) {
        llm_fmt_count(a, sizeof a, e->train_tokens);
        snprintf(v, sizeof v, "%s%s", a,
                 e->train_tokens_basis == LLM_TOKENS_CHINCHILLA    ? " (20 per parameter)"
                 : e->train_tokens_basis == LLM_TOKENS_PER_BILLION ? " (fine-tuning default; set tokens=)"
                                                                   : "");
        llmem_sect_row(s, "training tokens", v);
        llm_fmt_flops(v, sizeof v, e->train_flops);
        llmem_sect_row(s, "training FLOPs", v);
        if (g && peak_unknown) {
            snprintf(v, sizeof v, PEAK_NA);
        } else if (g && e->train_seconds > 0) {
            uint64_t n = w->gpus ? w->gpus : e->gpus;
            llm_fmt_duration(a, sizeof a, e->train_seconds);
            llm_fmt_percent(b, sizeof b, w->mfu, 0);
            snprintf(v, sizeof v, "%.30s on %llu x %.47s at %.8s MFU", a, (unsigned long long)n, g->id, b);
        } else {
            snprintf(v, sizeof v, "needs a GPU (--gpu ID)");
        }
        llmem_sect_row(s, "training time", v);
    }
    if (g) {
        if (e->prefill_bound == LLM_BOUND_UNKNOWN || (peak_unknown && e->prefill_tokens_per_s <= 0)) {
            snprintf(v, sizeof v, PEAK_NA);
        } else {
            llm_fmt_tokens_per_s(a, sizeof a, e->prefill_tokens_per_s);
            snprintf(v, sizeof v, "%s (%s-bound)", a, llmem_bound_name(e->prefill_bound));
        }
        llmem_sect_row(s, "prefill", v);
        if (e->decode_bound == LLM_BOUND_UNKNOWN || e->decode_tokens_per_s <= 0) {
            snprintf(v, sizeof v, "n/a (%s not published)",
                     peak_unknown ? "peak FLOP/s" : "memory bandwidth");
        } else {
            llm_fmt_tokens_per_s(a, sizeof a, e->decode_tokens_per_s);
            if (peak_unknown)
                snprintf(v, sizeof v, "%s (memory-bound: bandwidth alone)", a);
            else
                snprintf(v, sizeof v, "%s (%s-bound, %.1f FLOP/byte)", a,
                         llmem_bound_name(e->decode_bound), e->decode_intensity);
        }
        llmem_sect_row(s, "decode", v);
    }
    llm_fmt_bytes(a, sizeof a, e->kv_bytes_per_token, r->units);
    llmem_sect_row(s, "KV cache per token", a);
}

static void fit_row(llmem_sect *s, const llmem_report *r, const llm_gpu *g)
{
    llm_fit fit;
    llm_error err;
    const llm_config *c = &r->m->cfg;
    char name[LLMEM_SECT_CELL], cap[32], use[24], need[24];
    /* whole names (the catalogue's fit 40 columns); the cell holds 79 */
    snprintf(name, sizeof name, "%.79s", g->name[0] ? g->name : g->id);
    llm_fmt_bytes(cap, sizeof cap, g->memory_bytes, r->units);
    if (llm_fit_check(&c->model, &c->workload, g, &fit, &err) != LLM_OK) {
        llmem_sect_row(s, name, cap, "", "error", "");
        return;
    }
    llm_fmt_use(use, sizeof use, fit.utilisation);
    if (fit.gpus_needed)
        llm_fmt_int(need, sizeof need, fit.gpus_needed);
    else
        snprintf(need, sizeof need, "none");
    llmem_sect_row(s, name, cap, use, fit.fits ? "yes" : "no", need);
}

static void fit_section(llmem_sect *s, const llmem_report *r)
{
    llmem_sect_init(s, "Fit (per-GPU total against GPU memory)", 5, "GPU", ">memory", ">use",
                    "fits", ">GPUs needed");
    if (r->m->gpu) {
        fit_row(s, r, r->m->gpu);
        return;
    }
    for (size_t i = 0; i < r->m->reg.ngpus; i++) fit_row(s, r, &r->m->reg.gpus[i]);
}

typedef void (*section_fn)(llmem_sect *, const llmem_report *);
static const section_fn sections[] = {params_section, memory_section, compute_section,
                                      fit_section};

static void render(FILE *f, const llmem_report *r, bool md)
{
    llmem_sect *s = malloc(sizeof *s);
    if (!s) return;
    title_line(f, r->m, md);
    settings_lines(f, r->m, md);
    if (r->est.warnings) {
        if (md) fputc('\n', f);
        llmem_warning_lines(f, r->est.warnings, md);
    }
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        sections[i](s, r);
        fputc('\n', f);
        if (md)
            llmem_sect_md(f, s);
        else
            llmem_sect_text(f, s);
    }
    free(s);
    if (r->explain) {
        fputc('\n', f);
        llmem_report_explain(f, r, md);
    }
}

void llmem_report_table(FILE *f, const llmem_report *r)
{
    render(f, r, false);
}

void llmem_report_md(FILE *f, const llmem_report *r)
{
    render(f, r, true);
}

/* ---- CSV: one header line and one row ------------------------------------ */
void llmem_report_csv(FILE *f, const llmem_report *r)
{
    static const char *const lead[] = {"preset", "mode", "seq", "batch", "gpu"};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) fprintf(f, "%s%s", i ? "," : "", lead[i]);
    for (size_t i = 0; i < llmem_figure_ncols(); i++) fprintf(f, ",%s", llmem_figure_col(i));
    fputc('\n', f);
    const llm_config *c = &r->m->cfg;
    char v[96];
    llmem_csv_field(f, r->m->preset.id);
    for (size_t i = 1; i < sizeof lead / sizeof lead[0]; i++) {
        llm_setting_format(c, lead[i], v, sizeof v);
        fputc(',', f);
        llmem_csv_field(f, v);
    }
    llm_fit fit;
    llm_error err;
    bool have_fit =
        r->m->gpu && llm_fit_check(&c->model, &c->workload, r->m->gpu, &fit, &err) == LLM_OK;
    llmem_row row;
    llmem_row_reset(&row);
    llmem_figure_cells(&row, &r->est, have_fit ? &fit : NULL, ',');
    llmem_row_str(&row, "\n");
    llmem_row_write(&row, f);
}

/* ---- --explain: the worked calculation of each figure -------------------- */
bool llmem_report_explain_figure(const llmem_report *r, llm_figure fig, char **buf, size_t *cap)
{
    const llm_config *c = &r->m->cfg;
    size_t want = llm_explain(&c->model, &c->workload, r->m->gpu, fig, *buf, *cap);
    if (want < *cap) return true;
    char *bigger = realloc(*buf, want + 1);
    if (!bigger) return false;
    *buf = bigger;
    *cap = want + 1;
    llm_explain(&c->model, &c->workload, r->m->gpu, fig, *buf, *cap);
    return true;
}

void llmem_report_explain(FILE *f, const llmem_report *r, bool markdown)
{
    size_t cap = 16384;
    char *buf = malloc(cap);
    if (!buf) return;
    fputs(markdown ? "### Worked calculation\n" : "Worked calculation\n==================\n", f);
    for (int i = 0; i < LLM_FIG_COUNT; i++) {
        llm_figure fig = (llm_figure)i;
        if (!llmem_report_explain_figure(r, fig, &buf, &cap)) break;
        if (!buf[0]) continue;
        /* The trace names its figure on its first line; Markdown makes that a heading. */
        const char *name = llm_figure_name(fig);
        const char *body = buf;
        size_t nlen = strlen(name);
        if (strncmp(body, name, nlen) == 0 && body[nlen] == '\n') body += nlen + 1;
        if (markdown) {
            size_t blen = strlen(body);
            fprintf(f, "\n#### %s\n\n```\n%s%s```\n", name, body,
                    blen && body[blen - 1] == '\n' ? "" : "\n");
            continue;
        }
        fprintf(f, "\n%s\n", name);
        /* the body indented by two more spaces; every line ends in a newline */
        const char *p = body;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            fprintf(f, "  %.*s\n", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
    }
    free(buf);
}
