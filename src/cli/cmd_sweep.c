/* llmem sweep AXIS=FROM:TO[:STEP] | AXIS=V1,V2,...: one estimate per value,
 * written as it is computed (nothing accumulates, so a million rows stream in
 * constant memory).  CSV rows are built by hand (row.c): this is the hot
 * path of the command line. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

typedef struct sweep_spec {
    char key[64];
    const llm_setting_info *info;
    bool list;          /* V1,V2,... */
    const char *values; /* list: the text after '=' */
    uint64_t from, to, step;
    bool multiply; /* *N (else +N) */
} sweep_spec;

typedef struct sweep_ctx {
    const llmem_cli_args *a;
    llmem_cli_model *m;
    const sweep_spec *spec;
    llmem_json json;
    llmem_row row;
    uint64_t rows;
    int vw; /* table: width of the value column */
} sweep_ctx;

static int spec_error(const char *axis, const char *why)
{
    llmem_cli_error("sweep: '%s': %s", axis, why);
    return LLMEM_EXIT_USAGE;
}

static int parse_spec(const char *axis, sweep_spec *s)
{
    memset(s, 0, sizeof *s);
    const char *eq = strchr(axis, '=');
    if (!eq || eq == axis) return spec_error(axis, "expected AXIS=FROM:TO[:STEP] or AXIS=V1,V2,...");
    size_t klen = (size_t)(eq - axis);
    if (klen >= sizeof s->key) return spec_error(axis, "axis name too long");
    memcpy(s->key, axis, klen);
    s->key[klen] = '\0';
    s->info = llm_setting_find(s->key);
    if (!s->info) {
        char keys[1024];
        llm_setting_keys_text(keys, sizeof keys);
        llmem_cli_error("sweep: unknown axis '%s' (known: %s)", s->key, keys);
        return LLMEM_EXIT_USAGE;
    }
    const char *v = eq + 1;
    if (!*v) return spec_error(axis, "no values after '='");
    bool numeric = s->info->kind == LLM_SETTING_COUNT || s->info->kind == LLM_SETTING_BYTES;
    if (!strchr(v, ':')) { /* a list (or a single value) */
        s->list = true;
        s->values = v;
        return LLMEM_EXIT_OK;
    }
    if (!numeric) {
        char example[128] = "A,B";
        if (s->info->choices && s->info->choices[0] && s->info->choices[1])
            snprintf(example, sizeof example, "%s,%s", s->info->choices[0], s->info->choices[1]);
        llmem_cli_error("sweep: axis '%s' takes a list of values (e.g. %s=%s)", s->key, s->key,
                        example);
        return LLMEM_EXIT_USAGE;
    }
    char from[64], to[64], step[64] = "*2";
    const char *c1 = strchr(v, ':');
    const char *c2 = strchr(c1 + 1, ':');
    size_t lf = (size_t)(c1 - v), lt = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
    if (lf == 0 || lt == 0 || lf >= sizeof from || lt >= sizeof to)
        return spec_error(axis, "expected FROM:TO[:STEP]");
    memcpy(from, v, lf);
    from[lf] = '\0';
    memcpy(to, c1 + 1, lt);
    to[lt] = '\0';
    if (c2) {
        if (strlen(c2 + 1) >= sizeof step || strchr(c2 + 1, ':'))
            return spec_error(axis, "expected FROM:TO[:STEP]");
        snprintf(step, sizeof step, "%s", c2 + 1);
    }
    llm_error err;
    llm_code (*parse)(const char *, uint64_t *, llm_error *) =
        s->info->kind == LLM_SETTING_BYTES ? llm_parse_bytes : llm_parse_count;
    if (parse(from, &s->from, &err) != LLM_OK || parse(to, &s->to, &err) != LLM_OK) {
        llmem_cli_error("sweep: '%s': %s", axis, err.message);
        return LLMEM_EXIT_USAGE;
    }
    if (s->from > s->to) return spec_error(axis, "FROM is larger than TO");
    if (step[0] != '*' && step[0] != '+') return spec_error(axis, "STEP must be +N or *N (e.g. *2, +1024)");
    s->multiply = step[0] == '*';
    if (llm_parse_count(step + 1, &s->step, &err) != LLM_OK) {
        llmem_cli_error("sweep: '%s': step: %s", axis, err.message);
        return LLMEM_EXIT_USAGE;
    }
    if (s->multiply && s->step < 2) return spec_error(axis, "a *N step needs N >= 2");
    if (!s->multiply && s->step < 1) return spec_error(axis, "a +N step needs N >= 1");
    if (s->multiply && s->from == 0) return spec_error(axis, "a *N step cannot start from 0");
    return LLMEM_EXIT_OK;
}

/* ---- output -------------------------------------------------------------- */
/* Table: the value column sized to the values (within 80 columns), then the
 * memory categories, which add up to the total, and the GPU memory use. */
#define TABLE_COLS 8
#define BYTE_COLS 7
#define CELL_W 7 /* "1234.56"; each cell is preceded by one space */
static const char *const table_heads[TABLE_COLS] = {"weights", "grads", "optim", "activ",
                                                    "kv",      "over-", "total", "use"};
static const char *const table_heads2[TABLE_COLS] = {"", "", "", "", "cache", "head", "", ""};
static const char *const md_heads[TABLE_COLS] = {"weights", "gradients", "optimizer",
                                                 "activations", "kv cache", "overhead",
                                                 "total", "use"};

static int value_width(const sweep_spec *s)
{
    int w = (int)strlen(s->key);
    if (w < 6) w = 6; /* "(GiB)" and a little room */
    if (s->list) {
        const char *p = s->values;
        while (*p) {
            const char *comma = strchr(p, ',');
            int n = (int)(comma ? (size_t)(comma - p) : strlen(p));
            if (n > w) w = n;
            p += n + (comma ? 1 : 0);
        }
    } else {
        char v[24];
        int n = (int)llm_fmt_u64(v, s->to);
        if (n > w) w = n;
    }
    /* 80 columns hold 80 - 8 x 8 = 16 for the value; a longer one is printed
     * whole and pushes its own row to the right */
    return w > 16 ? 16 : w;
}

static void header(sweep_ctx *x)
{
    FILE *f = stdout;
    switch (x->a->format) {
    case LLMEM_FMT_CSV:
        llmem_csv_field(f, x->spec->key);
        for (size_t i = 0; i < llmem_figure_ncols(); i++) fprintf(f, ",%s", llmem_figure_col(i));
        fputs(",error\n", f);
        break;
    case LLMEM_FMT_JSON:
        llmem_json_init(&x->json, f);
        x->json.compact_depth = 3; /* one line per row */
        llmem_json_obj(&x->json, NULL);
        llmem_json_u64(&x->json, "schema", 1);
        llmem_json_str(&x->json, "axis", x->spec->key);
        llmem_json_str(&x->json, "preset", x->m->preset.id);
        llmem_json_str(&x->json, "units", "bytes");
        llmem_json_arr(&x->json, "rows");
        break;
    case LLMEM_FMT_MD:
        fprintf(f, "| %s |", x->spec->key);
        for (int i = 0; i < TABLE_COLS; i++) {
            if (i < BYTE_COLS)
                fprintf(f, " %s (%s) |", md_heads[i], llm_units_name(x->a->units));
            else
                fprintf(f, " %s |", md_heads[i]);
        }
        fputs("\n| ---: |", f);
        for (int i = 0; i < TABLE_COLS; i++) fputs(" ---: |", f);
        fputc('\n', f);
        break;
    default: {
        char unit[16];
        snprintf(unit, sizeof unit, "(%s)", llm_units_name(x->a->units));
        x->vw = value_width(x->spec);
        fprintf(f, "%*s", x->vw, x->spec->key);
        for (int i = 0; i < TABLE_COLS; i++) fprintf(f, " %*s", CELL_W, table_heads[i]);
        fprintf(f, "\n%*s", x->vw, unit);
        int last = TABLE_COLS - 1;
        while (last >= 0 && !table_heads2[last][0]) last--;
        for (int i = 0; i <= last; i++) fprintf(f, " %*s", CELL_W, table_heads2[i]);
        fputc('\n', f);
    }
    }
}

static void table_cell(llmem_row *r, double bytes, llm_units u, int width, const char *sep)
{
    char b[40];
    int n = (int)llm_fmt_bytes_at(b, sizeof b, bytes, u, LLM_SCALE_G, 2, false);
    llmem_row_str(r, sep);
    for (int i = n; i < width; i++) llmem_row_str(r, " ");
    llmem_row_str(r, b);
}

static void emit_row(sweep_ctx *x, const char *value, const llm_estimate *e, const llm_fit *fit,
                     const char *error)
{
    llmem_row *r = &x->row;
    FILE *f = stdout;
    llmem_cli_format fmt = x->a->format;
    x->rows++;
    if (fmt == LLMEM_FMT_CSV) {
        llmem_row_reset(r);
        llmem_row_str(r, value); /* values never hold , or " (numbers, names) */
        if (e) {
            llmem_figure_cells(r, e, fit, ',');
            llmem_row_str(r, ",\n");
            llmem_row_write(r, f);
        } else {
            for (size_t i = 0; i < llmem_figure_ncols(); i++) llmem_row_str(r, ",");
            llmem_row_str(r, ",");
            llmem_row_write(r, f);
            llmem_csv_field(f, error);
            fputc('\n', f);
        }
        return;
    }
    if (fmt == LLMEM_FMT_JSON) {
        llmem_json *j = &x->json;
        llmem_json_obj(j, NULL);
        if (x->spec->list)
            llmem_json_str(j, x->spec->key, value);
        else
            llmem_json_raw_number(j, x->spec->key, value); /* digits from llm_fmt_u64 */
        if (e) {
            llmem_json_u64(j, "params_total", e->params.total);
            llmem_json_u64(j, "params_active", e->params.active);
            llmem_json_whole(j, "memory_weights", e->per_gpu.weights);
            llmem_json_whole(j, "memory_gradients", e->per_gpu.gradients);
            llmem_json_whole(j, "memory_optimizer", e->per_gpu.optimizer);
            llmem_json_whole(j, "memory_activations", e->per_gpu.activations);
            llmem_json_whole(j, "memory_kv_cache", e->per_gpu.kv_cache);
            llmem_json_whole(j, "memory_overhead", e->per_gpu.overhead);
            llmem_json_whole(j, "memory_total", e->per_gpu.total);
            llmem_json_u64(j, "gpus", e->gpus);
            llmem_json_num(j, "flops_per_token", e->flops_per_token);
            llmem_json_num(j, "train_flops", e->train_flops);
            if (fit) {
                /* null when the GPU does not publish the deciding figure */
                bool peak_na = (e->warnings & LLM_WARN_PEAK_UNKNOWN) != 0;
                if (peak_na && e->train_seconds <= 0)
                    llmem_json_null(j, "train_seconds");
                else
                    llmem_json_num(j, "train_seconds", e->train_seconds);
                if (e->prefill_bound == LLM_BOUND_UNKNOWN || (peak_na && e->prefill_tokens_per_s <= 0))
                    llmem_json_null(j, "prefill_tokens_per_s");
                else
                    llmem_json_num(j, "prefill_tokens_per_s", e->prefill_tokens_per_s);
                if (e->decode_bound == LLM_BOUND_UNKNOWN || e->decode_tokens_per_s <= 0)
                    llmem_json_null(j, "decode_tokens_per_s");
                else
                    llmem_json_num(j, "decode_tokens_per_s", e->decode_tokens_per_s);
                llmem_json_bool(j, "fits", fit->fits);
                llmem_json_num(j, "utilisation", fit->utilisation);
                llmem_json_u64(j, "gpus_needed", fit->gpus_needed);
            }
        } else {
            llmem_json_str(j, "error", error);
        }
        llmem_json_end_obj(j);
        return;
    }
    bool md = fmt == LLMEM_FMT_MD;
    const char *sep = md ? " | " : " ";
    llmem_row_reset(r);
    if (md) {
        llmem_row_str(r, "| ");
        llmem_row_str(r, value);
    } else {
        for (int i = (int)strlen(value); i < x->vw; i++) llmem_row_char(r, ' ');
        llmem_row_str(r, value); /* whole, never cut (sizes and ids are short) */
    }
    if (e) {
        const llm_memory *mm = &e->per_gpu;
        const double cells[BYTE_COLS] = {mm->weights,  mm->gradients, mm->optimizer,
                                         mm->activations, mm->kv_cache, mm->overhead,
                                         mm->total};
        for (size_t i = 0; i < BYTE_COLS; i++)
            table_cell(r, cells[i], x->a->units, md ? 0 : CELL_W, sep);
        char use[24] = "";
        if (fit) llm_fmt_use(use, sizeof use, fit->utilisation);
        char cell[32];
        snprintf(cell, sizeof cell, md ? "%s" : "%7s", use);
        llmem_row_str(r, sep);
        llmem_row_str(r, cell);
        llmem_row_str(r, md ? " |\n" : "\n");
        llmem_row_write(r, f);
    } else {
        llmem_row_write(r, f);
        if (md) {
            fputs(" | ", f);
            llmem_md_cell(f, error);
            fputs(" | | | | | | | |\n", f);
        } else {
            fprintf(f, " invalid: %.*s\n", x->vw < 60 ? 69 - x->vw : 10, error);
        }
    }
}

static void footer(sweep_ctx *x)
{
    if (x->a->format == LLMEM_FMT_JSON) {
        llmem_json_end_arr(&x->json);
        llmem_json_end_obj(&x->json);
        llmem_json_finish(&x->json);
    }
}

/* One value of the axis: apply it, estimate, write the row. */
static void one(sweep_ctx *x, llm_config *c, const char *value)
{
    llm_error err;
    llm_estimate e;
    llm_fit fit;
    if (llm_setting_apply(c, &x->m->reg, x->spec->key, value, &err) != LLM_OK ||
        llm_estimate_run(&c->model, &c->workload, x->m->gpu, &e, &err) != LLM_OK) {
        emit_row(x, value, NULL, NULL, err.message);
        return;
    }
    const llm_fit *fp = NULL;
    if (x->m->gpu && llm_fit_check(&c->model, &c->workload, x->m->gpu, &fit, &err) == LLM_OK)
        fp = &fit;
    emit_row(x, value, &e, fp, NULL);
}

int llmem_cmd_sweep(const llmem_cli_args *a)
{
    sweep_spec spec;
    int rc = parse_spec(a->axis, &spec);
    if (rc) return rc;
    if (a->explain) {
        llmem_cli_error("sweep: --explain is for 'llmem estimate'");
        return LLMEM_EXIT_USAGE;
    }
    llmem_cli_model m;
    rc = llmem_cli_model_load(a, &m);
    if (rc) return rc;
    sweep_ctx *x = calloc(1, sizeof *x);
    llm_config *c = malloc(sizeof *c);
    if (!x || !c) {
        free(x);
        free(c);
        llmem_cli_model_free(&m);
        llmem_cli_error("out of memory");
        return LLMEM_EXIT_INPUT;
    }
    x->a = a;
    x->m = &m;
    x->spec = &spec;
    *c = m.cfg;
    header(x);
    if (spec.list) {
        const char *p = spec.values;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            char v[128];
            snprintf(v, sizeof v, "%.*s", (int)(n < sizeof v - 1 ? n : sizeof v - 1), p);
            if (strcmp(spec.key, "gpu") == 0) /* times and fits follow the swept GPU */
                m.gpu = llm_registry_find_gpu(&m.reg, v);
            one(x, c, v);
            p += n + (comma ? 1 : 0);
        }
    } else {
        char v[24];
        for (uint64_t i = spec.from;;) {
            llm_fmt_u64(v, i);
            one(x, c, v);
            uint64_t next;
            if (spec.multiply) {
                if (i > spec.to / spec.step) break;
                next = i * spec.step;
            } else {
                if (i > spec.to - spec.step || spec.step > spec.to) break;
                next = i + spec.step;
            }
            if (next > spec.to) break;
            i = next;
        }
    }
    footer(x);
    free(c);
    free(x);
    llmem_cli_model_free(&m);
    return LLMEM_EXIT_OK;
}
