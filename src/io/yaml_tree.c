/* A document tree over libyaml events, with limits against hostile input.
 * See yaml_tree.h for the contract. */
#include "io/yaml_tree.h"

#include "io/numtext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

struct llm_ytree {
    char *path;
    const llm_ynode *root;
    llm_ynode **all; /* every node, for freeing */
    size_t nall, capall;
};

llm_ylimits llm_ylimits_default(void)
{
    llm_ylimits l;
    l.max_bytes = 4u << 20;
    l.max_depth = 64;
    l.max_nodes = 200000;
    l.max_aliases = 1000;
    return l;
}

/* ---- errors -------------------------------------------------------------- */
static llm_code verror(llm_error *err, const llm_ytree *t, int line, int col, llm_code code,
                       const char *fmt, va_list ap)
{
    if (!err) return code;
    char msg[LLM_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return llm_error_set_at(err, code, t && t->path ? t->path : NULL, line, col, "%s", msg);
}

llm_code llm_ynode_error(llm_error *err, const llm_ytree *t, const llm_ynode *n, llm_code code,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    llm_code rc = verror(err, t, n ? n->line : 0, n ? n->col : 0, code, fmt, ap);
    va_end(ap);
    return rc;
}

static llm_code at(llm_error *err, const llm_ytree *t, int line, int col, llm_code code,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static llm_code at(llm_error *err, const llm_ytree *t, int line, int col, llm_code code,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    llm_code rc = verror(err, t, line, col, code, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- tree building ------------------------------------------------------- */
typedef struct frame {
    llm_ynode *node;
    void *arr;          /* const llm_ynode *[] or llm_ypair[] */
    size_t n, cap;
    const llm_ynode *key; /* mapping: a key waiting for its value */
    char *anchor;
} frame;

typedef struct anchor {
    char *name;
    const llm_ynode *node;
} anchor;

typedef struct builder {
    llm_ytree *t;
    llm_ylimits lim;
    frame *stack;
    size_t depth, stack_cap;
    anchor *anchors;
    size_t nanchors, cap_anchors;
    size_t expanded; /* nodes counting alias expansions */
    size_t aliases;
    int docs;
    llm_error *err;
} builder;

static int line_of(yaml_mark_t m) { return m.line >= (size_t)1 << 30 ? 1 << 30 : (int)m.line + 1; }
static int col_of(yaml_mark_t m)
{
    return m.column >= (size_t)1 << 30 ? 1 << 30 : (int)m.column + 1;
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    void *p = realloc(*arr, nc * elem);
    if (!p) return false;
    *arr = p;
    *cap = nc;
    return true;
}

static llm_ynode *new_node(builder *b, llm_ynode_kind kind, yaml_mark_t mark)
{
    llm_ytree *t = b->t;
    if (!grow((void **)&t->all, &t->capall, t->nall + 1, sizeof *t->all)) return NULL;
    llm_ynode *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    t->all[t->nall++] = n;
    n->kind = kind;
    n->line = line_of(mark);
    n->col = col_of(mark);
    n->weight_ = 1;
    return n;
}

static llm_code nomem(builder *b) { return llm_error_set(b->err, LLM_ERR_NOMEM, "out of memory"); }

static llm_code count_nodes(builder *b, size_t add, yaml_mark_t mark, bool alias)
{
    b->expanded += add;
    if (b->expanded > b->lim.max_nodes)
        return at(b->err, b->t, line_of(mark), col_of(mark), LLM_ERR_LIMIT,
                  alias ? "aliases expand to more than %zu nodes (an alias bomb?)"
                        : "more than %zu nodes",
                  b->lim.max_nodes);
    return LLM_OK;
}

static llm_code add_anchor(builder *b, const char *name, const llm_ynode *n, yaml_mark_t mark)
{
    if (b->nanchors >= b->lim.max_aliases)
        return at(b->err, b->t, line_of(mark), col_of(mark), LLM_ERR_LIMIT,
                  "more than %zu anchors", b->lim.max_aliases);
    if (!grow((void **)&b->anchors, &b->cap_anchors, b->nanchors + 1, sizeof *b->anchors))
        return nomem(b);
    char *copy = strdup(name);
    if (!copy) return nomem(b);
    b->anchors[b->nanchors].name = copy;
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
    return LLM_OK;
}

static const llm_ynode *find_anchor(const builder *b, const char *name)
{
    for (size_t i = b->nanchors; i-- > 0;) /* the latest definition wins */
        if (strcmp(b->anchors[i].name, name) == 0) return b->anchors[i].node;
    return NULL;
}

/* Attaches a finished node to the open collection (or makes it the root). */
static llm_code add_child(builder *b, const llm_ynode *n)
{
    if (b->depth == 0) {
        b->t->root = n;
        return LLM_OK;
    }
    frame *f = &b->stack[b->depth - 1];
    f->node->weight_ += n->weight_;
    if (f->node->kind == LLM_YNODE_SEQUENCE) {
        if (!grow(&f->arr, &f->cap, f->n + 1, sizeof(const llm_ynode *))) return nomem(b);
        ((const llm_ynode **)f->arr)[f->n++] = n;
        return LLM_OK;
    }
    if (!f->key) {
        if (n->kind != LLM_YNODE_SCALAR)
            return llm_ynode_error(b->err, b->t, n, LLM_ERR_SCHEMA,
                                   "a mapping key must be a scalar, not a %s",
                                   llm_ynode_kind_name(n));
        f->key = n;
        return LLM_OK;
    }
    if (!grow(&f->arr, &f->cap, f->n + 1, sizeof(llm_ypair))) return nomem(b);
    llm_ypair *p = &((llm_ypair *)f->arr)[f->n++];
    p->key = f->key;
    p->value = n;
    f->key = NULL;
    return LLM_OK;
}

typedef struct keyref {
    const char *text;
    size_t len;
    size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Duplicate keys in O(n log n): sort, then the earliest second occurrence. */
static llm_code check_duplicates(builder *b, const llm_ypair *pairs, size_t n)
{
    if (n < 2) return LLM_OK;
    keyref *refs = malloc(n * sizeof *refs);
    if (!refs) return nomem(b);
    for (size_t i = 0; i < n; i++) {
        refs[i].text = pairs[i].key->text;
        refs[i].len = pairs[i].key->len;
        refs[i].idx = i;
    }
    qsort(refs, n, sizeof *refs, keyref_cmp);
    size_t dup = n, first = 0;
    for (size_t i = 1; i < n; i++)
        if (refs[i].len == refs[i - 1].len &&
            memcmp(refs[i].text, refs[i - 1].text, refs[i].len) == 0 && refs[i].idx < dup) {
            dup = refs[i].idx;
            first = refs[i - 1].idx;
            /* refs[i-1] may itself be a repeat; walk back to the first */
            for (size_t j = i - 1; j > 0 && refs[j - 1].len == refs[i].len &&
                                   memcmp(refs[j - 1].text, refs[i].text, refs[i].len) == 0;
                 j--)
                first = refs[j - 1].idx;
        }
    free(refs);
    if (dup == n) return LLM_OK;
    const llm_ynode *k = pairs[dup].key, *k0 = pairs[first].key;
    return llm_ynode_error(b->err, b->t, k, LLM_ERR_SCHEMA,
                           "duplicate key '%.80s' (first at line %d, column %d)", k->text,
                           k0->line, k0->col);
}

static llm_code open_collection(builder *b, llm_ynode_kind kind, yaml_mark_t mark,
                                const yaml_char_t *anchor_name)
{
    if (b->depth >= b->lim.max_depth)
        return at(b->err, b->t, line_of(mark), col_of(mark), LLM_ERR_LIMIT,
                  "nesting deeper than %u levels", b->lim.max_depth);
    llm_code rc = count_nodes(b, 1, mark, false);
    if (rc) return rc;
    if (!grow((void **)&b->stack, &b->stack_cap, b->depth + 1, sizeof *b->stack)) return nomem(b);
    llm_ynode *n = new_node(b, kind, mark);
    if (!n) return nomem(b);
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    if (anchor_name) {
        f->anchor = strdup((const char *)anchor_name);
        if (!f->anchor) return nomem(b);
    }
    return LLM_OK;
}

static llm_code close_collection(builder *b, yaml_mark_t mark)
{
    frame f = b->stack[--b->depth];
    llm_ynode *n = f.node;
    n->count = f.n;
    if (n->kind == LLM_YNODE_SEQUENCE) n->items = f.arr;
    else n->pairs = f.arr;
    /* the node now owns f.arr: freed through n (see llm_ytree_free) */
    llm_code rc = LLM_OK;
    if (n->kind == LLM_YNODE_MAPPING) rc = check_duplicates(b, n->pairs, n->count);
    if (!rc && f.anchor) rc = add_anchor(b, f.anchor, n, mark);
    free(f.anchor);
    if (rc) return rc;
    return add_child(b, n);
}

static llm_code on_scalar(builder *b, const yaml_event_t *ev)
{
    llm_code rc = count_nodes(b, 1, ev->start_mark, false);
    if (rc) return rc;
    llm_ynode *n = new_node(b, LLM_YNODE_SCALAR, ev->start_mark);
    if (!n) return nomem(b);
    size_t len = ev->data.scalar.length;
    char *text = malloc(len + 1);
    if (!text) return nomem(b);
    memcpy(text, ev->data.scalar.value, len);
    text[len] = '\0';
    n->text = text;
    n->len = len;
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.anchor &&
        (rc = add_anchor(b, (const char *)ev->data.scalar.anchor, n, ev->start_mark)))
        return rc;
    return add_child(b, n);
}

static llm_code on_alias(builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    if (++b->aliases > b->lim.max_aliases)
        return at(b->err, b->t, line_of(ev->start_mark), col_of(ev->start_mark), LLM_ERR_LIMIT,
                  "more than %zu aliases", b->lim.max_aliases);
    const llm_ynode *n = find_anchor(b, name);
    if (!n)
        return at(b->err, b->t, line_of(ev->start_mark), col_of(ev->start_mark), LLM_ERR_SCHEMA,
                  "alias '*%.60s' refers to no complete anchor before it", name);
    llm_code rc = count_nodes(b, n->weight_, ev->start_mark, true);
    if (rc) return rc;
    return add_child(b, n);
}

/* libyaml's reader errors name the byte after a broken sequence; find the
 * first offending character ourselves: invalid UTF-8 (overlong, surrogate,
 * truncated) or a character YAML does not allow (C0/C1 controls other than
 * tab, LF, CR and NEL; U+FFFE, U+FFFF).  Position as 1-based line and
 * character column. */
static bool first_bad_char(const char *data, size_t len, int *line, int *col, char *what,
                           size_t cap)
{
    const unsigned char *s = (const unsigned char *)data;
    int l = 1, c = 1;
    for (size_t i = 0; i < len;) {
        unsigned char b = s[i];
        size_t k;
        uint32_t cp;
        if (b < 0x80) k = 1, cp = b;
        else if (b >= 0xC2 && b <= 0xDF) k = 2, cp = b & 0x1Fu;
        else if (b >= 0xE0 && b <= 0xEF) k = 3, cp = b & 0x0Fu;
        else if (b >= 0xF0 && b <= 0xF4) k = 4, cp = b & 0x07u;
        else k = 0, cp = 0;
        bool ok = k > 0 && i + k <= len;
        for (size_t j = 1; ok && j < k; j++) {
            ok = (s[i + j] & 0xC0) == 0x80;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if (ok && ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) {
            *line = l;
            *col = c;
            snprintf(what, cap, "not UTF-8 text: invalid byte 0x%02X", b);
            return true;
        }
        bool allowed = cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) ||
                       cp == 0x85 || (cp >= 0xA0 && cp != 0xFFFE && cp != 0xFFFF);
        if (!allowed) {
            *line = l;
            *col = c;
            snprintf(what, cap, "control character U+%04X is not allowed", (unsigned)cp);
            return true;
        }
        if (cp == 0x0A) l++, c = 1;
        else c++;
        i += k;
    }
    return false;
}

static llm_code parser_error(builder *b, const yaml_parser_t *p, const char *data, size_t len)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    switch (p->error) {
    case YAML_MEMORY_ERROR: return nomem(b);
    case YAML_READER_ERROR: {
        int line = 0, col = 0;
        char what[96];
        if (first_bad_char(data, len, &line, &col, what, sizeof what))
            return at(b->err, b->t, line, col, LLM_ERR_PARSE, "%s", what);
        return at(b->err, b->t, 0, 0, LLM_ERR_PARSE, "unreadable text: %s", problem);
    }
    default:
        if (p->context)
            return at(b->err, b->t, line_of(p->problem_mark), col_of(p->problem_mark),
                      LLM_ERR_PARSE, "syntax error: %s (%s at line %d, column %d)", problem,
                      p->context, line_of(p->context_mark), col_of(p->context_mark));
        return at(b->err, b->t, line_of(p->problem_mark), col_of(p->problem_mark),
                  LLM_ERR_PARSE, "syntax error: %s", problem);
    }
}

static llm_code on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->docs++ > 0)
            return at(b->err, b->t, line_of(ev->start_mark), col_of(ev->start_mark),
                      LLM_ERR_PARSE, "more than one document in the file");
        return LLM_OK;
    case YAML_SCALAR_EVENT: return on_scalar(b, ev);
    case YAML_ALIAS_EVENT: return on_alias(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(b, LLM_YNODE_SEQUENCE, ev->start_mark,
                               ev->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return open_collection(b, LLM_YNODE_MAPPING, ev->start_mark,
                               ev->data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_collection(b, ev->start_mark);
    default: return LLM_OK;
    }
}

static void free_node(llm_ynode *n)
{
    free((void *)(uintptr_t)n->text);
    free((void *)(uintptr_t)n->items);
    free((void *)(uintptr_t)n->pairs);
    free(n);
}

void llm_ytree_free(llm_ytree *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nall; i++) free_node(t->all[i]);
    free(t->all);
    free(t->path);
    free(t);
}

llm_code llm_ytree_parse(const char *path, const char *data, size_t len, const llm_ylimits *lim,
                         llm_ytree **out, llm_error *err)
{
    *out = NULL;
    builder b;
    memset(&b, 0, sizeof b);
    b.lim = lim ? *lim : llm_ylimits_default();
    b.err = err;
    b.t = calloc(1, sizeof *b.t);
    if (!b.t) return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    if (path && !(b.t->path = strdup(path))) {
        free(b.t);
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    }
    if (len > b.lim.max_bytes) {
        llm_code rc = at(err, b.t, 0, 0, LLM_ERR_LIMIT,
                         "file is %zu bytes, above the limit of %zu bytes", len, b.lim.max_bytes);
        llm_ytree_free(b.t);
        return rc;
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        llm_ytree_free(b.t);
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING); /* no UTF-16 guessing */

    llm_code rc = LLM_OK;
    for (bool done = false; !done && !rc;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parser_error(&b, &parser, data, len);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);

    /* Frames still open after an error own their arrays and anchors. */
    for (size_t i = 0; i < b.depth; i++) {
        llm_ynode *n = b.stack[i].node;
        if (n->kind == LLM_YNODE_SEQUENCE) n->items = b.stack[i].arr;
        else n->pairs = b.stack[i].arr;
        free(b.stack[i].anchor);
    }
    free(b.stack);
    for (size_t i = 0; i < b.nanchors; i++) free(b.anchors[i].name);
    free(b.anchors);
    if (rc) {
        llm_ytree_free(b.t);
        return rc;
    }
    *out = b.t;
    return LLM_OK;
}

llm_code llm_ytree_load_file(const char *path, const llm_ylimits *lim, llm_ytree **out,
                             llm_error *err)
{
    llm_ylimits l = lim ? *lim : llm_ylimits_default();
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        fclose(f);
        return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "not a regular file");
    }
    if (fstat(fileno(f), &st) == 0 && (uint64_t)st.st_size > (uint64_t)l.max_bytes) {
        fclose(f);
        return llm_error_set_at(err, LLM_ERR_LIMIT, path, 0, 0,
                                "file is %llu bytes, above the limit of %zu bytes",
                                (unsigned long long)st.st_size, l.max_bytes);
    }
    /* Read at most max_bytes + 1 whatever stat said (the file may grow). */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    if (cap > l.max_bytes + 1) cap = l.max_bytes + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    }
    for (;;) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap) break;
        if (cap > l.max_bytes) break;
        size_t nc = cap * 2 > l.max_bytes + 1 ? l.max_bytes + 1 : cap * 2;
        char *nb = realloc(buf, nc + 1);
        if (!nb) {
            free(buf);
            fclose(f);
            return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
        }
        buf = nb;
        cap = nc;
    }
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed) {
        free(buf);
        return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "read error");
    }
    if (len > l.max_bytes) {
        free(buf);
        return llm_error_set_at(err, LLM_ERR_LIMIT, path, 0, 0,
                                "file is more than %zu bytes (the limit)", l.max_bytes);
    }
    buf[len] = '\0';
    llm_code rc = llm_ytree_parse(path, buf, len, &l, out, err);
    free(buf);
    return rc;
}

const llm_ynode *llm_ytree_root(const llm_ytree *t) { return t ? t->root : NULL; }
const char *llm_ytree_path(const llm_ytree *t) { return t && t->path ? t->path : ""; }

const llm_ynode *llm_ynode_get(const llm_ynode *map, const char *key)
{
    if (!map || map->kind != LLM_YNODE_MAPPING) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < map->count; i++) {
        const llm_ynode *k = map->pairs[i].key;
        if (k->len == klen && memcmp(k->text, key, klen) == 0) return map->pairs[i].value;
    }
    return NULL;
}

bool llm_ynode_is_null(const llm_ynode *n)
{
    if (!n || n->kind != LLM_YNODE_SCALAR || n->quoted) return false;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

const char *llm_ynode_kind_name(const llm_ynode *n)
{
    if (!n) return "nothing";
    switch (n->kind) {
    case LLM_YNODE_SEQUENCE: return "sequence";
    case LLM_YNODE_MAPPING: return "mapping";
    case LLM_YNODE_SCALAR: break;
    }
    if (llm_ynode_is_null(n)) return "null";
    return n->quoted ? "string" : "scalar";
}

/* ---- typed reads --------------------------------------------------------- */
/* What a value is, for "expected X, got Y" messages. */
static void describe(const llm_ynode *n, char *buf, size_t cap)
{
    if (n->kind != LLM_YNODE_SCALAR || llm_ynode_is_null(n)) {
        snprintf(buf, cap, "a %s", llm_ynode_kind_name(n));
        return;
    }
    bool printable = true;
    for (size_t i = 0; i < n->len && printable; i++)
        if ((unsigned char)n->text[i] < 0x20) printable = false;
    if (!printable) snprintf(buf, cap, "a string with control characters");
    else if (n->quoted) snprintf(buf, cap, "the string \"%.40s%s\"", n->text, n->len > 40 ? "..." : "");
    else snprintf(buf, cap, "'%.40s%s'", n->text, n->len > 40 ? "..." : "");
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

llm_code llm_ynode_u64(const llm_ytree *t, const llm_ynode *n, const char *what, uint64_t *out,
                       llm_error *err)
{
    char got[80];
    if (n->kind == LLM_YNODE_SCALAR && !n->quoted && n->text[0] == '-' && all_digits(n->text + 1))
        return llm_ynode_error(err, t, n, LLM_ERR_RANGE, "%s: must not be negative (got %.40s)",
                               what, n->text);
    if (n->kind != LLM_YNODE_SCALAR || n->quoted || !all_digits(n->text) ||
        strlen(n->text) != n->len) {
        describe(n, got, sizeof got);
        return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA,
                               "%s: expected a non-negative integer, got %s", what, got);
    }
    if (n->len > 1 && n->text[0] == '0')
        return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA,
                               "%s: '%.40s' has a leading zero (YAML 1.1 reads it as octal)",
                               what, n->text);
    uint64_t v = 0;
    for (const char *p = n->text; *p; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (9223372036854775807ull - d) / 10)
            return llm_ynode_error(err, t, n, LLM_ERR_RANGE,
                                   "%s: %.40s%s is too large (the limit is 2^63-1)", what,
                                   n->text, n->len > 40 ? "..." : "");
        v = v * 10 + d;
    }
    *out = v;
    return LLM_OK;
}

/* A plain decimal number, correctly rounded whatever the locale. */
static bool parse_number(const char *s, double *out)
{
    const char *end;
    return llm_num_read(s, true, false, out, &end) && *end == '\0';
}

llm_code llm_ynode_double(const llm_ytree *t, const llm_ynode *n, const char *what, double *out,
                          llm_error *err)
{
    char got[80];
    double v;
    if (n->kind != LLM_YNODE_SCALAR || n->quoted || strlen(n->text) != n->len ||
        !parse_number(n->text, &v)) {
        describe(n, got, sizeof got);
        return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA, "%s: expected a number, got %s", what,
                               got);
    }
    *out = v;
    return LLM_OK;
}

llm_code llm_ynode_bool(const llm_ytree *t, const llm_ynode *n, const char *what, bool *out,
                        llm_error *err)
{
    if (n->kind == LLM_YNODE_SCALAR && !n->quoted) {
        if (!strcmp(n->text, "true") || !strcmp(n->text, "True") || !strcmp(n->text, "TRUE")) {
            *out = true;
            return LLM_OK;
        }
        if (!strcmp(n->text, "false") || !strcmp(n->text, "False") ||
            !strcmp(n->text, "FALSE")) {
            *out = false;
            return LLM_OK;
        }
    }
    char got[80];
    describe(n, got, sizeof got);
    return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA, "%s: expected true or false, got %s", what,
                           got);
}

llm_code llm_ynode_string(const llm_ytree *t, const llm_ynode *n, const char *what, char *buf,
                          size_t cap, llm_error *err)
{
    if (n->kind != LLM_YNODE_SCALAR || llm_ynode_is_null(n)) {
        char got[80];
        describe(n, got, sizeof got);
        return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA, "%s: expected a string, got %s", what,
                               got);
    }
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)n->text[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return llm_ynode_error(err, t, n, LLM_ERR_SCHEMA,
                                   "%s: contains a control character (0x%02X)", what, c);
    }
    if (n->len >= cap)
        return llm_ynode_error(err, t, n, LLM_ERR_RANGE, "%s: longer than %zu bytes", what,
                               cap - 1);
    memcpy(buf, n->text, n->len + 1);
    return LLM_OK;
}
