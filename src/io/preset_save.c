/* Writing a preset file that loads back identically, atomically (through
 * llm_write_file_atomic: symbolic links are written through, a temporary file
 * is renamed into place, an existing file is kept unless overwrite). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/preset_load.h"
#include "llmem/atomic_file.h"
#include "llmem/settings.h"

/* ---- a growable text buffer ---------------------------------------------- */
typedef struct text {
    char *s;
    size_t len, cap;
    bool failed;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->failed) return;
    if (t->len + n + 1 > t->cap) {
        size_t nc = t->cap ? t->cap : 4096;
        while (nc < t->len + n + 1) nc *= 2;
        char *p = realloc(t->s, nc);
        if (!p) {
            t->failed = true;
            return;
        }
        t->s = p;
        t->cap = nc;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static void putf(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void putf(text *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    put(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* A double-quoted YAML string.  Bytes that are not valid UTF-8 and control
 * characters other than newline and tab (which the loader rejects) become '?'. */
static void put_quoted(text *t, const char *s)
{
    puts_(t, "\"");
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3
                               : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
        for (size_t i = 1; i < k; i++)
            if ((p[i] & 0xC0) != 0x80) k = 0;
        if (k == 0) {
            puts_(t, "?");
            p++;
            continue;
        }
        if (k > 1) put(t, (const char *)p, k);
        else if (c == '"') puts_(t, "\\\"");
        else if (c == '\\') puts_(t, "\\\\");
        else if (c == '\n') puts_(t, "\\n");
        else if (c == '\t') puts_(t, "\\t");
        else if (c < 0x20 || c == 0x7f) puts_(t, "?");
        else put(t, (const char *)p, 1);
        p += k;
    }
    puts_(t, "\"");
}

/* Setting values are plain when they are simple words, else quoted. */
static void put_value(text *t, const char *v)
{
    bool plain = v[0] != '\0';
    for (const char *p = v; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '.' || *p == '-' || *p == '_';
    if (plain) puts_(t, v);
    else put_quoted(t, v);
}

static bool valid_id(const char *s)
{
    if (!s[0]) return false;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
    }
    return true;
}

llm_code llm_preset_to_yaml(const llm_preset *p, char **out, size_t *len, llm_error *err)
{
    *out = NULL;
    if (len) *len = 0;
    const char *family = p->family[0] ? p->family : "user";
    if (!valid_id(p->id))
        return llm_error_set(err, LLM_ERR_INVALID,
                             "'%s' is not a valid preset id (lower-case letters, digits, '.', '_' "
                             "and '-', starting with a letter or digit)",
                             p->id);
    if (!valid_id(family))
        return llm_error_set(err, LLM_ERR_INVALID, "'%s' is not a valid family name", family);
    if (!p->published && !p->analogue[0])
        return llm_error_set(err, LLM_ERR_INVALID,
                             "an illustrative preset (published: false) needs an analogue");
    if (!p->name[0] || !p->source[0])
        return llm_error_set(err, LLM_ERR_INVALID, "a preset needs a name and a source");
    llm_params params;
    llm_error e;
    llm_code rc = llm_params_count(&p->model, &params, &e);
    if (rc) return llm_error_set(err, rc, "the model cannot be saved: %s", e.message);

    text t = {0};
    puts_(&t, "# Saved by llmem " LLMEM_VERSION ". Schema: see presets/ in the llmem sources.\n");
    if (p->has_workload && p->workload.has_teacher && !p->teacher[0])
        puts_(&t, "# Note: the distillation teacher of this configuration is not saved.\n");
    putf(&t, "family: %s\npresets:\n  - id: %s\n    name: ", family, p->id);
    put_quoted(&t, p->name);
    putf(&t, "\n    published: %s\n", p->published ? "true" : "false");
    if (p->analogue[0]) {
        puts_(&t, "    analogue: ");
        put_quoted(&t, p->analogue);
        puts_(&t, "\n");
    }
    puts_(&t, "    source: ");
    put_quoted(&t, p->source);
    puts_(&t, "\n");
    if (p->notes[0]) {
        puts_(&t, "    notes: ");
        put_quoted(&t, p->notes);
        puts_(&t, "\n");
    }
    if (p->params_published) {
        putf(&t, "    params_published: %llu\n", (unsigned long long)p->params_published);
        if (p->params_exact) puts_(&t, "    params_exact: true\n");
    }
    puts_(&t, "    model:\n");
    size_t nf;
    const llm_model_field *f = llm_model_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        uint64_t v = llm_model_field_get(&p->model, &f[i]);
        putf(&t, "      %s: ", f[i].name);
        switch (f[i].kind) {
        case LLM_FIELD_U64:
        case LLM_FIELD_U32: putf(&t, "%llu\n", (unsigned long long)v); break;
        case LLM_FIELD_BOOL: putf(&t, "%s\n", v ? "true" : "false"); break;
        case LLM_FIELD_ENUM: {
            size_t nc = 0;
            while (f[i].choices[nc]) nc++;
            if (v >= nc) {
                free(t.s);
                return llm_error_set(err, LLM_ERR_INVALID, "%s: invalid value %llu", f[i].name,
                                     (unsigned long long)v);
            }
            putf(&t, "%s\n", f[i].choices[v]);
            break;
        }
        }
    }
    if (p->has_workload) {
        llm_config c;
        llm_config_default(&c);
        c.model = p->model;
        c.workload = p->workload;
        memcpy(c.gpu, p->gpu, sizeof c.gpu);
        c.gpu[sizeof c.gpu - 1] = '\0';
        memcpy(c.teacher, p->teacher, sizeof c.teacher);
        c.teacher[sizeof c.teacher - 1] = '\0';
        puts_(&t, "    workload:\n");
        for (size_t i = 0; i < llm_setting_count(); i++) {
            const llm_setting_info *k = llm_setting_at(i);
            if (k->group != LLM_SETTING_WORKLOAD) continue;
            char v[256];
            llm_setting_format(&c, k->key, v, sizeof v);
            if ((k->kind == LLM_SETTING_GPU || k->kind == LLM_SETTING_PRESET) &&
                strcmp(v, "none") == 0)
                continue;
            /* the teacher's dtype only matters with a teacher */
            if (strcmp(k->key, "teacher_weights") == 0 && !c.teacher[0]) continue;
            putf(&t, "      %s: ", k->key);
            put_value(&t, v);
            puts_(&t, "\n");
        }
    }
    if (t.failed) {
        free(t.s);
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    }
    *out = t.s;
    if (len) *len = t.len;
    return LLM_OK;
}

/* ---- save ---------------------------------------------------------------- */
llm_code llm_preset_save(const char *path, const llm_preset *p, bool overwrite, llm_error *err)
{
    if (!path || !path[0]) return llm_error_set(err, LLM_ERR_USAGE, "no file name to save to");
    if (strlen(path) >= LLM_ERROR_PATH_MAX)
        return llm_error_set(err, LLM_ERR_USAGE, "the file name is too long");
    /* Checked before the text is made, so a refusal says so rather than
     * reporting a problem with the preset. */
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "is a directory");
        if (S_ISREG(st.st_mode) && !overwrite)
            return llm_error_set_at(err, LLM_ERR_EXISTS, path, 0, 0,
                                    "already exists; not replacing it without overwrite");
    }
    char *data;
    size_t len;
    llm_code rc = llm_preset_to_yaml(p, &data, &len, err);
    if (rc) return rc;
    rc = llm_write_file_atomic(path, data, len, overwrite, err);
    free(data);
    return rc;
}
