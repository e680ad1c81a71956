/* "path:line:col: message", then the offending source line and a caret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/embedded.h"
#include "llmem/presets.h"

#define SHOW_MAX 160    /* characters of a source line shown */
#define READ_MAX (4u << 20) /* never read more than this to find a line */

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void emit(out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len - 1;
        memcpy(o->buf + o->len, s, n < room ? n : room);
        o->buf[o->len + (n < room ? n : room)] = '\0';
    }
    o->len += n;
}

static void emits(out *o, const char *s) { emit(o, s, strlen(s)); }

/* Line `line` (1-based) of data, or false. */
static bool find_line(const char *data, size_t len, int line, const char **start, size_t *n)
{
    const char *p = data, *end = data + len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return false;
        p = nl + 1;
    }
    if (p > end || (p == end && line > 1 && (p == data || p[-1] != '\n'))) return false;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (k && p[k - 1] == '\r') k--;
    *start = p;
    *n = k;
    return true;
}

/* Length of a valid UTF-8 sequence at s (max n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k;
    if (s[0] < 0x80) return 1;
    if ((s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2) k = 2;
    else if ((s[0] & 0xF0) == 0xE0) k = 3;
    else if ((s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4) k = 4;
    else return 0;
    if (k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return k;
}

/* Shows the line with control bytes and broken UTF-8 as '?', one column per
 * character, and a caret under column `col` (tabs kept for alignment). */
static void show_line(out *o, const char *line, size_t n, int col)
{
    const unsigned char *s = (const unsigned char *)line;
    size_t chars = 0, first = 0;
    int c = col > 0 ? col : 1;
    if ((size_t)c > SHOW_MAX) first = (size_t)c - SHOW_MAX / 2; /* window around the column */
    char pad[SHOW_MAX + 8];
    size_t npad = 0;
    emits(o, "    ");
    if (first) emits(o, "...");
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        bool bad = k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f) && s[i] != '\t');
        if (k == 0) k = 1;
        if (chars >= first && chars < first + SHOW_MAX) {
            if (bad) emit(o, "?", 1);
            else emit(o, line + i, k);
            if ((int)(chars + 1) < c && npad < sizeof pad - 1) pad[npad++] = s[i] == '\t' ? '\t' : ' ';
        }
        chars++;
        i += k;
        if (chars >= first + SHOW_MAX) {
            if (i < n) emits(o, "...");
            break;
        }
    }
    /* a column past the end of the line (an unexpected end) */
    while ((int)(chars + 1) < c && chars < first + SHOW_MAX && npad < sizeof pad - 1) {
        pad[npad++] = ' ';
        chars++;
    }
    pad[npad] = '\0';
    emits(o, "\n    ");
    if (first) emits(o, "   ");
    emits(o, pad);
    emits(o, "^");
}

static char *read_prefix(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap || cap >= READ_MAX) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

size_t llm_error_format(const llm_error *err, char *buf, size_t cap)
{
    out o = {buf, cap, 0};
    if (cap) buf[0] = '\0';
    char head[LLM_ERROR_PATH_MAX + 32];
    if (err->path[0] && err->line > 0 && err->col > 0)
        snprintf(head, sizeof head, "%s:%d:%d: ", err->path, err->line, err->col);
    else if (err->path[0] && err->line > 0)
        snprintf(head, sizeof head, "%s:%d: ", err->path, err->line);
    else if (err->path[0])
        snprintf(head, sizeof head, "%s: ", err->path);
    else
        head[0] = '\0';
    emits(&o, head);
    emits(&o, err->message);
    if (!err->path[0] || err->line <= 0) return o.len;

    const char *data = NULL;
    char *owned = NULL;
    size_t len = 0;
    if (strncmp(err->path, "builtin:", 8) == 0) {
        for (size_t i = 0; i < llm_embedded_presets_count; i++)
            if (strcmp(llm_embedded_presets[i].name, err->path + 8) == 0) {
                data = llm_embedded_presets[i].data;
                len = llm_embedded_presets[i].len;
            }
    } else {
        data = owned = read_prefix(err->path, &len);
    }
    const char *line;
    size_t n;
    if (data && find_line(data, len, err->line, &line, &n)) {
        emits(&o, "\n");
        show_line(&o, line, n, err->col);
    }
    free(owned);
    return o.len;
}
