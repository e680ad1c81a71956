/* The strict preset schema (see presets/ and the schema in docs): a file's
 * document tree becomes presets, GPUs and precisions, or one error with its
 * line and column.  Table-driven: every key a mapping may hold is listed, and
 * anything else is an error. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/preset_load.h"
#include "io/yaml_tree.h"
#include "llmem/settings.h"

#define ULL(x) ((unsigned long long)(x))
#define SIZE_LIMIT (1ull << 40) /* the engine's limit on one size (model_validate.c) */

/* ---- the model fields ------------------------------------------------------ */
static const char *const arch_choices[] = {"decoder", "encoder-decoder", NULL};
static const char *const ffn_choices[] = {"mlp", "gated", NULL};
static const char *const pos_choices[] = {"none",     "learned",    "rotary", "alibi",
                                          "relative", "sinusoidal", NULL};
static const char *const norm_choices[] = {"layernorm", "rmsnorm", NULL};
static const char *const attn_choices[] = {"mha", "mla", NULL};

_Static_assert(sizeof(llm_arch) == sizeof(int) && sizeof(llm_ffn_kind) == sizeof(int) &&
                   sizeof(llm_pos_kind) == sizeof(int) && sizeof(llm_norm_kind) == sizeof(int) &&
                   sizeof(llm_attn_kind) == sizeof(int),
               "model enums are stored as int");

#define U64(f) {#f, LLM_FIELD_U64, offsetof(llm_model, f), SIZE_LIMIT, NULL}
#define U32(f, mx) {#f, LLM_FIELD_U32, offsetof(llm_model, f), mx, NULL}
#define BOOL(f) {#f, LLM_FIELD_BOOL, offsetof(llm_model, f), 1, NULL}
#define ENUM(f, ch) {#f, LLM_FIELD_ENUM, offsetof(llm_model, f), 0, ch}

/* In the order of llm_model (and of a saved file). */
static const llm_model_field model_fields[] = {
    ENUM(arch, arch_choices),
    U64(layers),
    U64(encoder_layers),
    U64(hidden),
    U64(heads),
    U64(kv_heads),
    U64(head_dim),
    U64(ffn),
    ENUM(ffn_kind, ffn_choices),
    U64(vocab),
    BOOL(tied_embeddings),
    ENUM(pos, pos_choices),
    U64(pos_rows),
    U64(pos_offset),
    U64(rel_buckets),
    U64(max_seq),
    ENUM(norm, norm_choices),
    BOOL(norm_bias),
    U32(norms_per_layer, 16),
    BOOL(final_norm),
    BOOL(embedding_norm),
    BOOL(qkv_bias),
    BOOL(attn_out_bias),
    BOOL(mlp_bias),
    BOOL(router_bias),
    BOOL(qk_norm),
    BOOL(attn_sinks),
    BOOL(parallel_block),
    U64(experts),
    U64(active_experts),
    U64(expert_ffn),
    U64(shared_experts),
    U64(dense_layers),
    ENUM(attn, attn_choices),
    U64(q_lora_rank),
    U64(kv_lora_rank),
    U64(qk_nope_dim),
    U64(qk_rope_dim),
    U64(v_head_dim),
    U64(window),
    U32(window_pattern, 1u << 20),
};
#define N_MODEL_FIELDS (sizeof model_fields / sizeof model_fields[0])

const llm_model_field *llm_model_fields(size_t *count)
{
    *count = N_MODEL_FIELDS;
    return model_fields;
}

uint64_t llm_model_field_get(const llm_model *m, const llm_model_field *f)
{
    const char *p = (const char *)m + f->offset;
    switch (f->kind) {
    case LLM_FIELD_U64: {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    case LLM_FIELD_U32: {
        uint32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    case LLM_FIELD_BOOL: {
        bool v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    case LLM_FIELD_ENUM: {
        int v;
        memcpy(&v, p, sizeof v);
        return (uint64_t)v;
    }
    }
    return 0;
}

void llm_model_field_set(llm_model *m, const llm_model_field *f, uint64_t v)
{
    char *p = (char *)m + f->offset;
    switch (f->kind) {
    case LLM_FIELD_U64: memcpy(p, &v, sizeof v); break;
    case LLM_FIELD_U32: {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, sizeof x);
        break;
    }
    case LLM_FIELD_BOOL: {
        bool x = v != 0;
        memcpy(p, &x, sizeof x);
        break;
    }
    case LLM_FIELD_ENUM: {
        int x = (int)v;
        memcpy(p, &x, sizeof x);
        break;
    }
    }
}

bool llm_model_equal(const llm_model *a, const llm_model *b)
{
    for (size_t i = 0; i < N_MODEL_FIELDS; i++)
        if (llm_model_field_get(a, &model_fields[i]) != llm_model_field_get(b, &model_fields[i]))
            return false;
    return true;
}

void llm_model_schema_default(llm_model *m)
{
    memset(m, 0, sizeof *m);
    m->norms_per_layer = 2;
    m->final_norm = true;
}

/* ---- messages ------------------------------------------------------------ */
/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of neighbours ("nrom" -> "norm" is 1). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* "a, b, c" into buf (cap > 8); a list too long ends after the last whole
 * name with ", ...". */
static void join(const char *const *names, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t need = strlen(names[i]) + (i ? 2 : 0);
        if (len + need + 6 > cap && !(i == n - 1 && len + need < cap)) {
            snprintf(buf + len, cap - len, ", ...");
            return;
        }
        snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", names[i]);
        len += need;
    }
}

const char *llm_closest_name(const char *key, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(key, names[i]);
        size_t la = strlen(names[i]);
        /* "sequence" for "seq": a known key that starts the unknown one */
        if (d > 1 && la >= 3 && strncmp(key, names[i], la) == 0) d = 1;
        if (d > (la <= 4 ? 1u : 2u)) continue; /* "foo" is not a typo of "ffn" */
        if (d < bestd) {
            bestd = d;
            best = names[i];
        }
    }
    return best;
}

/* unknown key 'X' in CONTEXT; did you mean 'Y'? | ; allowed: a, b */
static llm_code unknown_key(llm_error *err, const llm_ytree *t, const llm_ynode *key,
                            const char *context, const char *const *allowed, size_t n)
{
    const char *best = llm_closest_name(key->text, allowed, n);
    if (best)
        return llm_ynode_error(err, t, key, LLM_ERR_SCHEMA,
                               "unknown key '%.40s' in %s; did you mean '%s'?", key->text, context,
                               best);
    char list[200];
    join(allowed, n, list, sizeof list);
    return llm_ynode_error(err, t, key, LLM_ERR_SCHEMA, "unknown key '%.40s' in %s; allowed: %s",
                           key->text, context, list);
}

static llm_code expect_kind(llm_error *err, const llm_ytree *t, const llm_ynode *n,
                            llm_ynode_kind kind, const char *what)
{
    if (n->kind == kind) return LLM_OK;
    return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA, "%s: expected a %s, got a %s", what,
                           kind == LLM_YNODE_MAPPING ? "mapping" : "sequence",
                           llm_ynode_kind_name(n));
}

/* Keys of `map` must be in `allowed`. */
static llm_code check_keys(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                           const char *context, const char *const *allowed, size_t n)
{
    for (size_t i = 0; i < map->count; i++) {
        const llm_ynode *k = map->pairs[i].key;
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++) ok = strcmp(k->text, allowed[j]) == 0;
        if (!ok || strlen(k->text) != k->len) return unknown_key(err, t, k, context, allowed, n);
    }
    return LLM_OK;
}

static llm_code missing(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                        const char *context, const char *key)
{
    return llm_ynode_error(err, t, map, LLM_ERR_SCHEMA, "%s: missing required key '%s'", context,
                           key);
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
    }
    return true;
}

static llm_code read_id(llm_error *err, const llm_ytree *t, const llm_ynode *n, const char *what,
                        char *buf, size_t cap)
{
    llm_code rc = llm_ynode_string(t, n, what, buf, cap, err);
    if (rc) return rc;
    if (!valid_id(buf))
        return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA,
                               "%s: '%.60s' is not a valid id (lower-case letters, digits, '.', "
                               "'_' and '-', starting with a letter or digit)",
                               what, buf);
    return LLM_OK;
}

/* ---- model ------------------------------------------------------------- */
static llm_code read_model(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                           const char *id, llm_model *m)
{
    char context[LLM_ID_MAX + 24];
    snprintf(context, sizeof context, "the model of '%s'", id);
    llm_code rc = expect_kind(err, t, map, LLM_YNODE_MAPPING, "model");
    if (rc) return rc;
    llm_model_schema_default(m);
    bool have_layers = false;
    for (size_t i = 0; i < map->count; i++) {
        const llm_ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        const llm_model_field *f = NULL;
        for (size_t j = 0; j < N_MODEL_FIELDS && !f; j++)
            if (strcmp(k->text, model_fields[j].name) == 0 && strlen(k->text) == k->len)
                f = &model_fields[j];
        if (!f) {
            const char *names[N_MODEL_FIELDS];
            for (size_t j = 0; j < N_MODEL_FIELDS; j++) names[j] = model_fields[j].name;
            return unknown_key(err, t, k, context, names, N_MODEL_FIELDS);
        }
        uint64_t x = 0;
        switch (f->kind) {
        case LLM_FIELD_U64:
        case LLM_FIELD_U32:
            if ((rc = llm_ynode_u64(t, v, f->name, &x, err))) return rc;
            if (x > f->max)
                return llm_ynode_error(err, t, v, LLM_ERR_RANGE,
                                       "%s: %llu is out of range (0..%llu)", f->name, ULL(x),
                                       ULL(f->max));
            break;
        case LLM_FIELD_BOOL: {
            bool b;
            if ((rc = llm_ynode_bool(t, v, f->name, &b, err))) return rc;
            x = b;
            break;
        }
        case LLM_FIELD_ENUM: {
            char s[32];
            bool found = false;
            if (v->kind == LLM_YNODE_SCALAR && !llm_ynode_is_null(v) && v->len < sizeof s) {
                memcpy(s, v->text, v->len + 1);
                for (size_t c = 0; f->choices[c]; c++)
                    if (strcmp(s, f->choices[c]) == 0) {
                        x = c;
                        found = true;
                    }
            }
            if (!found) {
                size_t nc = 0;
                while (f->choices[nc]) nc++;
                char list[120];
                join(f->choices, nc, list, sizeof list);
                if (v->kind != LLM_YNODE_SCALAR || llm_ynode_is_null(v))
                    return llm_ynode_error(err, t, v, LLM_ERR_SCHEMA,
                                           "%s: expected one of %s, got a %s", f->name, list,
                                           llm_ynode_kind_name(v));
                return llm_ynode_error(err, t, v, LLM_ERR_SCHEMA,
                                       "%s: unknown value '%.40s'; accepted: %s", f->name,
                                       v->text, list);
            }
            break;
        }
        }
        llm_model_field_set(m, f, x);
        if (strcmp(f->name, "layers") == 0) have_layers = true;
    }
    if (!have_layers) return missing(err, t, map, context, "layers");
    llm_params p;
    llm_error e;
    if ((rc = llm_params_count(m, &p, &e)) != LLM_OK)
        return llm_ynode_error(err, t, map, rc, "%s: %s", context, e.message);
    return LLM_OK;
}

/* ---- workload ------------------------------------------------------------ */
static llm_code read_workload(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                              const llm_registry *r, const char *id, llm_preset *p)
{
    char context[LLM_ID_MAX + 24];
    snprintf(context, sizeof context, "the workload of '%s'", id);
    llm_code rc = expect_kind(err, t, map, LLM_YNODE_MAPPING, "workload");
    if (rc) return rc;
    llm_config c;
    llm_config_default(&c);
    c.model = p->model;
    for (size_t i = 0; i < map->count; i++) {
        const llm_ynode *k = map->pairs[i].key, *v = map->pairs[i].value;
        const llm_setting_info *info = llm_setting_find(k->text);
        if (!info || info->group != LLM_SETTING_WORKLOAD || strlen(k->text) != k->len) {
            if (info)
                return llm_ynode_error(err, t, k, LLM_ERR_SCHEMA,
                                       "'%s' is a model key: put it under model:", k->text);
            const char *names[64];
            size_t n = 0;
            for (size_t j = 0; j < llm_setting_count() && n < 64; j++)
                if (llm_setting_at(j)->group == LLM_SETTING_WORKLOAD)
                    names[n++] = llm_setting_at(j)->key;
            return unknown_key(err, t, k, context, names, n);
        }
        if (v->kind != LLM_YNODE_SCALAR || llm_ynode_is_null(v))
            return llm_ynode_error(err, t, v, LLM_ERR_SCHEMA, "%s: expected a value, got a %s",
                                   info->key, llm_ynode_kind_name(v));
        llm_error e;
        /* a teacher may be defined in a file that loads later: recorded here,
         * resolved after every load (resolve_teachers) */
        const llm_registry *rr = info->kind == LLM_SETTING_PRESET ? NULL : r;
        if ((rc = llm_setting_apply(&c, rr, info->key, v->text, &e)) != LLM_OK)
            return llm_ynode_error(err, t, v, rc == LLM_ERR_NOTFOUND ? LLM_ERR_SCHEMA : rc, "%s",
                                   e.message);
    }
    p->has_workload = true;
    p->workload = c.workload;
    memcpy(p->gpu, c.gpu, sizeof p->gpu);
    memcpy(p->teacher, c.teacher, sizeof p->teacher);
    return LLM_OK;
}

/* ---- one preset ---------------------------------------------------------- */
static const char *const preset_keys[] = {"id",     "name",  "published",        "analogue",
                                          "source", "notes", "params_published", "params_exact",
                                          "model",  "workload"};
#define N_PRESET_KEYS (sizeof preset_keys / sizeof preset_keys[0])

static llm_code read_preset(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                            const llm_registry *r, const char *family, const char *origin,
                            llm_preset *p)
{
    llm_code rc = expect_kind(err, t, map, LLM_YNODE_MAPPING, "preset");
    if (rc) return rc;
    memset(p, 0, sizeof *p);
    llm_workload_default(&p->workload);
    snprintf(p->family, sizeof p->family, "%s", family);
    snprintf(p->origin, sizeof p->origin, "%s", origin);

    const llm_ynode *id = llm_ynode_get(map, "id");
    if (!id) return missing(err, t, map, "preset", "id");
    if ((rc = read_id(err, t, id, "id", p->id, sizeof p->id))) return rc;
    char context[LLM_ID_MAX + 16];
    snprintf(context, sizeof context, "preset '%s'", p->id);
    if ((rc = check_keys(err, t, map, context, preset_keys, N_PRESET_KEYS))) return rc;

    static const char *const required[] = {"name", "published", "source", "model"};
    for (size_t i = 0; i < 4; i++)
        if (!llm_ynode_get(map, required[i])) return missing(err, t, map, context, required[i]);

    const llm_ynode *v;
    if ((rc = llm_ynode_string(t, llm_ynode_get(map, "name"), "name", p->name, sizeof p->name,
                               err)))
        return rc;
    if ((rc = llm_ynode_bool(t, llm_ynode_get(map, "published"), "published", &p->published,
                             err)))
        return rc;
    if ((v = llm_ynode_get(map, "analogue")) &&
        (rc = llm_ynode_string(t, v, "analogue", p->analogue, sizeof p->analogue, err)))
        return rc;
    if (!p->published && !p->analogue[0])
        return llm_ynode_error(err, t, llm_ynode_get(map, "published"), LLM_ERR_SCHEMA,
                               "%s: an illustrative preset (published: false) needs 'analogue': "
                               "the public models its numbers are drawn from",
                               context);
    if ((rc = llm_ynode_string(t, llm_ynode_get(map, "source"), "source", p->source,
                               sizeof p->source, err)))
        return rc;
    if ((v = llm_ynode_get(map, "notes")) &&
        (rc = llm_ynode_string(t, v, "notes", p->notes, sizeof p->notes, err)))
        return rc;
    if ((v = llm_ynode_get(map, "params_published")) &&
        (rc = llm_ynode_u64(t, v, "params_published", &p->params_published, err)))
        return rc;
    if ((v = llm_ynode_get(map, "params_exact")) &&
        (rc = llm_ynode_bool(t, v, "params_exact", &p->params_exact, err)))
        return rc;
    if (p->params_exact && !p->params_published)
        return llm_ynode_error(err, t, v, LLM_ERR_SCHEMA,
                               "params_exact: true needs params_published");
    if ((rc = read_model(err, t, llm_ynode_get(map, "model"), p->id, &p->model))) return rc;
    if ((v = llm_ynode_get(map, "workload")) && (rc = read_workload(err, t, v, r, p->id, p)))
        return rc;
    return LLM_OK;
}

/* ---- GPUs ---------------------------------------------------------------- */
static const char *const gpu_keys[] = {"id",          "name",        "memory_gb",
                                       "memory_bytes", "bandwidth_gbps", "bf16_tflops",
                                       "fp8_tflops",  "fp32_tflops", "source",
                                       "notes"};
#define N_GPU_KEYS (sizeof gpu_keys / sizeof gpu_keys[0])

/* A non-negative number, or null (-> 0) when nullable. */
static llm_code read_amount(llm_error *err, const llm_ytree *t, const llm_ynode *n,
                            const char *what, bool nullable, double *out)
{
    if (nullable && llm_ynode_is_null(n)) {
        *out = 0;
        return LLM_OK;
    }
    llm_code rc = llm_ynode_double(t, n, what, out, err);
    if (rc) return rc;
    if (*out < 0 || *out > 1e30)
        return llm_ynode_error(err, t, n, LLM_ERR_RANGE, "%s: %.40s is out of range", what,
                               n->text);
    return LLM_OK;
}

static llm_code read_gpu(llm_error *err, const llm_ytree *t, const llm_ynode *map, llm_gpu *g)
{
    llm_code rc = expect_kind(err, t, map, LLM_YNODE_MAPPING, "gpu");
    if (rc) return rc;
    memset(g, 0, sizeof *g);
    const llm_ynode *id = llm_ynode_get(map, "id");
    if (!id) return missing(err, t, map, "gpu", "id");
    if ((rc = read_id(err, t, id, "id", g->id, sizeof g->id))) return rc;
    char context[LLM_ID_MAX + 16];
    snprintf(context, sizeof context, "GPU '%s'", g->id);
    if ((rc = check_keys(err, t, map, context, gpu_keys, N_GPU_KEYS))) return rc;
    static const char *const required[] = {"name", "memory_bytes", "bandwidth_gbps", "source"};
    for (size_t i = 0; i < 4; i++)
        if (!llm_ynode_get(map, required[i])) return missing(err, t, map, context, required[i]);
    char scratch[LLM_TEXT_MAX];
    if ((rc = llm_ynode_string(t, llm_ynode_get(map, "name"), "name", g->name, sizeof g->name,
                               err)) ||
        (rc = llm_ynode_string(t, llm_ynode_get(map, "source"), "source", scratch,
                               sizeof scratch, err)))
        return rc;
    const llm_ynode *v;
    if ((v = llm_ynode_get(map, "notes")) &&
        (rc = llm_ynode_string(t, v, "notes", scratch, sizeof scratch, err)))
        return rc;
    uint64_t bytes;
    if ((rc = llm_ynode_u64(t, llm_ynode_get(map, "memory_bytes"), "memory_bytes", &bytes, err)))
        return rc;
    if (bytes == 0)
        return llm_ynode_error(err, t, llm_ynode_get(map, "memory_bytes"), LLM_ERR_RANGE,
                               "memory_bytes: must be at least 1");
    g->memory_bytes = (double)bytes;
    double x;
    if ((v = llm_ynode_get(map, "memory_gb")) &&
        (rc = read_amount(err, t, v, "memory_gb", false, &x)))
        return rc;
    if ((rc = read_amount(err, t, llm_ynode_get(map, "bandwidth_gbps"), "bandwidth_gbps", false,
                          &x)))
        return rc;
    g->bandwidth = x * 1e9;
    if ((v = llm_ynode_get(map, "bf16_tflops"))) {
        if ((rc = read_amount(err, t, v, "bf16_tflops", true, &x))) return rc;
        g->flops_16 = x * 1e12;
    }
    if ((v = llm_ynode_get(map, "fp8_tflops"))) {
        if ((rc = read_amount(err, t, v, "fp8_tflops", true, &x))) return rc;
        g->flops_8 = x * 1e12;
    }
    if ((v = llm_ynode_get(map, "fp32_tflops"))) {
        if ((rc = read_amount(err, t, v, "fp32_tflops", true, &x))) return rc;
        g->flops_32 = x * 1e12;
    }
    return LLM_OK;
}

/* ---- precisions ---------------------------------------------------------- */
static const char *const precision_keys[] = {"name",  "bits",   "group",  "scale_bytes",
                                             "bits_per_weight", "float", "source", "notes"};
#define N_PRECISION_KEYS (sizeof precision_keys / sizeof precision_keys[0])

static llm_code read_precision(llm_error *err, const llm_ytree *t, const llm_ynode *map,
                               llm_dtype *d)
{
    llm_code rc = expect_kind(err, t, map, LLM_YNODE_MAPPING, "precision");
    if (rc) return rc;
    memset(d, 0, sizeof *d);
    const llm_ynode *name = llm_ynode_get(map, "name");
    if (!name) return missing(err, t, map, "precision", "name");
    if ((rc = read_id(err, t, name, "name", d->name, sizeof d->name))) return rc;
    char context[LLM_ID_MAX + 16];
    snprintf(context, sizeof context, "precision '%s'", d->name);
    if ((rc = check_keys(err, t, map, context, precision_keys, N_PRECISION_KEYS))) return rc;
    const llm_ynode *bits = llm_ynode_get(map, "bits"), *bpw = llm_ynode_get(map, "bits_per_weight");
    const llm_ynode *group = llm_ynode_get(map, "group"), *scale = llm_ynode_get(map, "scale_bytes");
    const llm_ynode *v;
    if (bits && bpw)
        return llm_ynode_error(err, t, bpw, LLM_ERR_SCHEMA,
                               "%s: give either bits (with group and scale_bytes) or "
                               "bits_per_weight, not both",
                               context);
    if (!bits && !bpw) return missing(err, t, map, context, "bits");
    if (bpw && (group || scale))
        return llm_ynode_error(err, t, group ? group : scale, LLM_ERR_SCHEMA,
                               "%s: group and scale_bytes go with bits, not bits_per_weight",
                               context);
    if ((group != NULL) != (scale != NULL))
        return llm_ynode_error(err, t, group ? group : scale, LLM_ERR_SCHEMA,
                               "%s: group and scale_bytes go together", context);
    double b;
    const llm_ynode *bn = bits ? bits : bpw;
    if ((rc = read_amount(err, t, bn, bits ? "bits" : "bits_per_weight", false, &b))) return rc;
    if (b <= 0 || b > 64)
        return llm_ynode_error(err, t, bn, LLM_ERR_RANGE, "%s: %.40s is out of range (0..64]",
                               bits ? "bits" : "bits_per_weight", bn->text);
    d->bits = b;
    d->bytes = b / 8.0;
    if (group) {
        uint64_t g;
        double s;
        if ((rc = llm_ynode_u64(t, group, "group", &g, err))) return rc;
        if (g == 0 || g > (1u << 24))
            return llm_ynode_error(err, t, group, LLM_ERR_RANGE,
                                   "group: %llu is out of range (1..16777216)", ULL(g));
        if ((rc = read_amount(err, t, scale, "scale_bytes", false, &s))) return rc;
        if (s > 64)
            return llm_ynode_error(err, t, scale, LLM_ERR_RANGE,
                                   "scale_bytes: %.40s is out of range (0..64)", scale->text);
        d->group = (uint32_t)g;
        d->scale_bytes = s;
        d->bytes += s / (double)g;
    }
    if ((v = llm_ynode_get(map, "float")) && (rc = llm_ynode_bool(t, v, "float", &d->is_float, err)))
        return rc;
    char scratch[LLM_TEXT_MAX];
    if ((v = llm_ynode_get(map, "source")) &&
        (rc = llm_ynode_string(t, v, "source", scratch, sizeof scratch, err)))
        return rc;
    if ((v = llm_ynode_get(map, "notes")) &&
        (rc = llm_ynode_string(t, v, "notes", scratch, sizeof scratch, err)))
        return rc;
    return LLM_OK;
}

/* ---- a whole file -------------------------------------------------------- */
static const char *const top_keys[] = {"family", "presets", "gpus", "precisions"};
#define N_TOP_KEYS (sizeof top_keys / sizeof top_keys[0])

/* Everything a file adds, committed only when the whole file is good. */
typedef struct staged {
    llm_preset *presets;
    size_t npresets;
    llm_gpu *gpus;
    size_t ngpus;
    llm_dtype *dtypes;
    size_t ndtypes;
} staged;

static void staged_free(staged *s)
{
    free(s->presets);
    free(s->gpus);
    free(s->dtypes);
}

/* The node of the first item whose id equals item i's, or NULL. */
static const llm_ynode *earlier_same(const llm_ynode *seq, size_t i, const char *key)
{
    const llm_ynode *mine = llm_ynode_get(seq->items[i], key);
    for (size_t j = 0; j < i; j++) {
        const llm_ynode *other = llm_ynode_get(seq->items[j], key);
        if (other && other->len == mine->len && memcmp(other->text, mine->text, mine->len) == 0)
            return other;
    }
    return NULL;
}

static llm_code read_file(llm_error *err, const llm_ytree *t, const llm_registry *r,
                          const char *origin, staged *s)
{
    const llm_ynode *root = llm_ytree_root(t);
    llm_code rc;
    if (!root)
        return llm_error_set_at(err, LLM_ERR_SCHEMA, llm_ytree_path(t), 1, 1,
                                "empty file: expected a mapping with 'family' and 'presets' (or "
                                "'gpus' or 'precisions')");
    if (root->kind != LLM_YNODE_MAPPING)
        return llm_ynode_error(err, t, root, LLM_ERR_SCHEMA,
                               "expected a mapping with 'family' and 'presets' (or 'gpus' or "
                               "'precisions') at the top level, got a %s",
                               llm_ynode_kind_name(root));
    if ((rc = check_keys(err, t, root, "the top-level mapping", top_keys, N_TOP_KEYS))) return rc;
    const llm_ynode *family = llm_ynode_get(root, "family");
    const llm_ynode *presets = llm_ynode_get(root, "presets");
    const llm_ynode *gpus = llm_ynode_get(root, "gpus");
    const llm_ynode *precisions = llm_ynode_get(root, "precisions");
    if (!presets && !gpus && !precisions)
        return missing(err, t, root, "the top-level mapping", "presets");
    if (presets && !family) return missing(err, t, root, "the top-level mapping", "family");
    if (family && !presets) return missing(err, t, root, "the top-level mapping", "presets");
    char fam[LLM_ID_MAX] = "";
    if (family && (rc = read_id(err, t, family, "family", fam, sizeof fam))) return rc;

    if (precisions) {
        if ((rc = expect_kind(err, t, precisions, LLM_YNODE_SEQUENCE, "precisions"))) return rc;
        s->dtypes = calloc(precisions->count + 1, sizeof *s->dtypes);
        if (!s->dtypes) return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < precisions->count; i++) {
            if ((rc = read_precision(err, t, precisions->items[i], &s->dtypes[i]))) return rc;
            const llm_ynode *prev = earlier_same(precisions, i, "name");
            if (prev)
                return llm_ynode_error(err, t, llm_ynode_get(precisions->items[i], "name"),
                                       LLM_ERR_SCHEMA,
                                       "duplicate precision '%s' (first at line %d, column %d)",
                                       s->dtypes[i].name, prev->line, prev->col);
            s->ndtypes++;
        }
    }
    if (gpus) {
        if ((rc = expect_kind(err, t, gpus, LLM_YNODE_SEQUENCE, "gpus"))) return rc;
        s->gpus = calloc(gpus->count + 1, sizeof *s->gpus);
        if (!s->gpus) return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < gpus->count; i++) {
            if ((rc = read_gpu(err, t, gpus->items[i], &s->gpus[i]))) return rc;
            const llm_ynode *prev = earlier_same(gpus, i, "id");
            if (prev)
                return llm_ynode_error(err, t, llm_ynode_get(gpus->items[i], "id"),
                                       LLM_ERR_SCHEMA,
                                       "duplicate GPU id '%s' (first at line %d, column %d)",
                                       s->gpus[i].id, prev->line, prev->col);
            s->ngpus++;
        }
    }
    if (presets) {
        if ((rc = expect_kind(err, t, presets, LLM_YNODE_SEQUENCE, "presets"))) return rc;
        s->presets = calloc(presets->count + 1, sizeof *s->presets);
        if (!s->presets) return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < presets->count; i++) {
            if ((rc = read_preset(err, t, presets->items[i], r, fam, origin, &s->presets[i])))
                return rc;
            const llm_ynode *prev = earlier_same(presets, i, "id");
            if (prev)
                return llm_ynode_error(err, t, llm_ynode_get(presets->items[i], "id"),
                                       LLM_ERR_SCHEMA,
                                       "duplicate preset id '%s' (first at line %d, column %d)",
                                       s->presets[i].id, prev->line, prev->col);
            s->npresets++;
        }
    }
    return LLM_OK;
}

static llm_code commit(llm_registry *r, const staged *s, llm_error *err)
{
    llm_code rc;
    for (size_t i = 0; i < s->ndtypes; i++)
        if ((rc = llm_registry_add_dtype(r, &s->dtypes[i], err))) return rc;
    for (size_t i = 0; i < s->ngpus; i++)
        if ((rc = llm_registry_add_gpu(r, &s->gpus[i], err))) return rc;
    for (size_t i = 0; i < s->npresets; i++)
        if ((rc = llm_registry_add_preset(r, &s->presets[i], err))) return rc;
    return LLM_OK;
}

static bool is_catalogue(const llm_ytree *t)
{
    const llm_ynode *root = llm_ytree_root(t);
    return llm_ynode_get(root, "gpus") || llm_ynode_get(root, "precisions");
}

/* Presets naming a distillation teacher get its shape once the registry
 * holds it (again after every load: a later source may override it). */
static void resolve_teachers(llm_registry *r)
{
    for (size_t i = 0; i < r->npresets; i++) {
        llm_preset *p = &r->presets[i];
        if (!p->teacher[0] || !p->has_workload) continue;
        const llm_preset *t = llm_registry_find(r, p->teacher);
        p->workload.has_teacher = t != NULL;
        if (t) p->workload.teacher = t->model;
    }
}

llm_code llm_load_sources(llm_registry *r, llm_source_file *files, size_t n, llm_error *err)
{
    llm_code first = LLM_OK;
    llm_error e;
    /* 1. parse every file */
    for (size_t i = 0; i < n; i++) {
        llm_ytree *t = NULL;
        llm_code rc = files[i].data
                          ? llm_ytree_parse(files[i].path, files[i].data, files[i].len, NULL, &t, &e)
                          : llm_ytree_load_file(files[i].path, NULL, &t, &e);
        files[i].tree_ = t;
        if (rc == LLM_ERR_NOMEM) first = LLM_ERR_NOMEM;
        if (rc) {
            if (e.path[0] == '\0') snprintf(e.path, sizeof e.path, "%s", files[i].path);
            if (llm_registry_add_problem(r, &e)) first = LLM_ERR_NOMEM;
            if (!first) {
                first = rc;
                if (err) *err = e;
            }
        }
    }
    /* 2. catalogues first, then presets (which may name their GPUs and dtypes) */
    for (int pass = 0; pass < 2 && first != LLM_ERR_NOMEM; pass++)
        for (size_t i = 0; i < n; i++) {
            llm_ytree *t = files[i].tree_;
            if (!t || is_catalogue(t) != (pass == 0)) continue;
            staged s;
            memset(&s, 0, sizeof s);
            llm_code rc = read_file(&e, t, r, files[i].origin ? files[i].origin : files[i].path, &s);
            if (!rc) rc = commit(r, &s, &e);
            staged_free(&s);
            if (rc) {
                if (llm_registry_add_problem(r, &e) || rc == LLM_ERR_NOMEM) first = LLM_ERR_NOMEM;
                if (!first) {
                    first = rc;
                    if (err) *err = e;
                }
            }
        }
    for (size_t i = 0; i < n; i++) {
        llm_ytree_free(files[i].tree_);
        files[i].tree_ = NULL;
    }
    if (first == LLM_ERR_NOMEM) return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    resolve_teachers(r);
    return first;
}
