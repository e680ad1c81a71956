/* Typed reads of config.json keys, with errors at the offending key
 * (see hf_read.h). */
#include "io/hf_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HF_SIZE_LIMIT (1ull << 40) /* the engine's own limit on one size */
#define ULL(x) ((unsigned long long)(x))

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s, bool *integer)
{
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else {
        return false;
    }
    *integer = true;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9')
            p++;
        *integer = false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9')
            p++;
        *integer = false;
    }
    return *p == '\0';
}

hf_kind llm_hf_kind(const llm_ynode *n)
{
    if (!n) return HF_NULL;
    if (n->kind == LLM_YNODE_MAPPING) return HF_OBJECT;
    if (n->kind == LLM_YNODE_SEQUENCE) return HF_ARRAY;
    if (n->quoted) return HF_STRING;
    if (llm_ynode_is_null(n)) return HF_NULL;
    const char *t = n->text;
    if (strcmp(t, "true") == 0 || strcmp(t, "false") == 0) return HF_BOOL;
    bool integer = false;
    if (json_number(t, &integer)) return integer ? HF_INT : HF_NUMBER;
    /* Python's json module writes these for non-finite floats. */
    if (strcmp(t, "NaN") == 0 || strcmp(t, "Infinity") == 0 || strcmp(t, "-Infinity") == 0)
        return HF_NUMBER;
    return HF_STRING; /* a plain YAML string: not JSON, but harmless */
}

const char *llm_hf_kind_name(hf_kind k)
{
    switch (k) {
    case HF_NULL:
        return "null";
    case HF_BOOL:
        return "a boolean";
    case HF_INT:
        return "an integer";
    case HF_NUMBER:
        return "a number";
    case HF_STRING:
        return "a string";
    case HF_OBJECT:
        return "an object";
    case HF_ARRAY:
        return "an array";
    }
    return "?";
}

const llm_ynode *llm_hf_get(const llm_ynode *obj, const char *key, const llm_ynode **key_out)
{
    if (key_out) *key_out = NULL;
    if (!obj || obj->kind != LLM_YNODE_MAPPING) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < obj->count; i++) {
        const llm_ypair *p = &obj->pairs[i];
        if (p->key->len == klen && memcmp(p->key->text, key, klen) == 0) {
            if (key_out) *key_out = p->key;
            return p->value;
        }
    }
    return NULL;
}

llm_code llm_hf_fail(hf_ctx *c, const llm_ynode *n, llm_code code, const char *fmt, ...)
{
    char msg[LLM_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return llm_error_set_at(c->err, code, c->path, n ? n->line : 0, n ? n->col : 0, "%s", msg);
}

/* Appends a sentence to the preset's notes (silently truncated when full). */
void llm_hf_note(hf_ctx *c, const char *fmt, ...)
{
    size_t used = strlen(c->notes);
    if (used + 2 >= sizeof c->notes) return;
    if (used) {
        c->notes[used++] = ' ';
        c->notes[used] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->notes + used, sizeof c->notes - used, fmt, ap);
    va_end(ap);
}

hf_field llm_hf_field_in(const llm_ynode *obj, const char *names)
{
    hf_field f;
    memset(&f, 0, sizeof f);
    const char *p = names;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n >= sizeof f.name) n = sizeof f.name - 1;
        memcpy(f.name, p, n);
        f.name[n] = '\0';
        f.val = llm_hf_get(obj, f.name, &f.key);
        if (f.val) return f;
        if (!bar) break;
        p = bar + 1;
    }
    /* Absent: name the first alternative in messages. */
    const char *bar = strchr(names, '|');
    size_t n = bar ? (size_t)(bar - names) : strlen(names);
    if (n >= sizeof f.name) n = sizeof f.name - 1;
    memcpy(f.name, names, n);
    f.name[n] = '\0';
    f.val = f.key = NULL;
    return f;
}

hf_field llm_hf_field(hf_ctx *c, const char *names)
{
    return llm_hf_field_in(c->root, names);
}

bool llm_hf_present(const hf_field *f)
{
    return f->val && llm_hf_kind(f->val) != HF_NULL;
}

/* "hidden_size (or n_embd)" for messages about alternatives. */
static void describe_keys(const char *names, char *buf, size_t cap)
{
    const char *bar = strchr(names, '|');
    if (!bar) {
        snprintf(buf, cap, "%s", names);
        return;
    }
    snprintf(buf, cap, "%.*s (or %s)", (int)(bar - names), names, bar + 1);
    for (char *q = buf; *q; q++)
        if (*q == '|') *q = '/';
}

static llm_code size_value(hf_ctx *c, const hf_field *f, uint64_t min, uint64_t *out)
{
    hf_kind k = llm_hf_kind(f->val);
    const char *t = f->val->text;
    if (k == HF_INT) {
        if (t[0] == '-' && strspn(t + 1, "0") != strlen(t + 1))
            return llm_hf_fail(c, f->key, LLM_ERR_RANGE, "%s must not be negative (got %.40s)",
                               f->name, t);
        errno = 0;
        unsigned long long v = strtoull(t[0] == '-' ? t + 1 : t, NULL, 10);
        if (errno == ERANGE || v > HF_SIZE_LIMIT)
            return llm_hf_fail(c, f->key, LLM_ERR_RANGE, "%s is %.40s, above the limit of %llu",
                               f->name, t, ULL(HF_SIZE_LIMIT));
        if (v < min)
            return llm_hf_fail(c, f->key, LLM_ERR_RANGE, "%s must be at least %llu (got %llu)",
                               f->name, ULL(min), v);
        *out = (uint64_t)v;
        return LLM_OK;
    }
    if (k == HF_NUMBER) {
        if (t[0] == '-')
            return llm_hf_fail(c, f->key, LLM_ERR_RANGE, "%s must not be negative (got %.40s)",
                               f->name, t);
        return llm_hf_fail(c, f->key, LLM_ERR_SCHEMA, "%s must be a whole number (got %.40s)",
                           f->name, t);
    }
    return llm_hf_fail(c, f->key, LLM_ERR_SCHEMA, "%s must be an integer, got %s", f->name,
                       llm_hf_kind_name(k));
}

/* Optional size: absent or null leaves *out (the family default). */
llm_code llm_hf_size_opt(hf_ctx *c, const char *names, uint64_t min, uint64_t *out, bool *given)
{
    hf_field f = llm_hf_field(c, names);
    if (given) *given = llm_hf_present(&f);
    if (!llm_hf_present(&f)) return LLM_OK;
    return size_value(c, &f, min, out);
}

/* Required size (at least 1). */
llm_code llm_hf_size_req(hf_ctx *c, const char *names, uint64_t *out)
{
    hf_field f = llm_hf_field(c, names);
    char keys[160];
    describe_keys(names, keys, sizeof keys);
    if (!f.val) return llm_hf_fail(c, c->root, LLM_ERR_SCHEMA, "missing required key %s", keys);
    if (llm_hf_kind(f.val) == HF_NULL)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA, "%s must be an integer, got null", f.name);
    return size_value(c, &f, 1, out);
}

llm_code llm_hf_bool_opt(hf_ctx *c, const char *names, bool *out)
{
    hf_field f = llm_hf_field(c, names);
    if (!llm_hf_present(&f)) return LLM_OK;
    if (llm_hf_kind(f.val) != HF_BOOL)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA, "%s must be true or false, got %s", f.name,
                           llm_hf_kind_name(llm_hf_kind(f.val)));
    *out = strcmp(f.val->text, "true") == 0;
    return LLM_OK;
}

/* Optional string; *out keeps its default when absent or null. */
llm_code llm_hf_str_opt_in(hf_ctx *c, const llm_ynode *obj, const char *names, const char **out,
                           const llm_ynode **key)
{
    hf_field f = llm_hf_field_in(obj, names);
    if (key) *key = f.key;
    if (!llm_hf_present(&f)) return LLM_OK;
    if (llm_hf_kind(f.val) != HF_STRING)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA, "%s must be a string, got %s", f.name,
                           llm_hf_kind_name(llm_hf_kind(f.val)));
    *out = f.val->text;
    return LLM_OK;
}

llm_code llm_hf_str_opt(hf_ctx *c, const char *names, const char **out, const llm_ynode **key)
{
    return llm_hf_str_opt_in(c, c->root, names, out, key);
}
