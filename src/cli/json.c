/* A small streaming JSON writer: pretty-printed with two-space indents,
 * correct string escaping (RFC 8259) and numbers that read back exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define MAX_DEPTH ((int)(sizeof((llmem_json *)0)->first))

void llmem_json_init(llmem_json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->first[0] = true;
    j->compact_depth = 1000;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    unsigned cp = c & (0x3fu >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

void llmem_json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\b':
            fputs("\\b", f);
            break;
        case '\f':
            fputs("\\f", f);
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fprintf(f, "\\u%04x", c);
            } else if (c >= 0x80) {
                size_t n = utf8_len(p);
                if (n == 0) {
                    fputs("\\ufffd", f); /* not UTF-8: replacement character */
                } else {
                    fwrite(p, 1, n, f);
                    p += n - 1;
                }
            } else {
                fputc(c, f);
            }
        }
        p++;
    }
    fputc('"', f);
}

static void indent(llmem_json *j)
{
    if (j->depth >= j->compact_depth) {
        fputc(' ', j->f);
        return;
    }
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++) fputs("  ", j->f);
}

/* The comma, newline, indent and key before a value. */
static void begin_value(llmem_json *j, const char *key)
{
    if (j->depth > 0) {
        if (!j->first[j->depth]) fputc(',', j->f);
        indent(j);
    }
    if (j->depth < MAX_DEPTH) j->first[j->depth] = false;
    if (key) {
        llmem_json_write_string(j->f, key);
        fputs(": ", j->f);
    }
}

static void json_open(llmem_json *j, const char *key, char c)
{
    begin_value(j, key);
    fputc(c, j->f);
    if (j->depth + 1 < MAX_DEPTH) j->depth++;
    j->first[j->depth] = true;
}

static void json_close(llmem_json *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0) j->depth--;
    if (!empty) {
        if (j->depth + 1 >= j->compact_depth)
            fputc(' ', j->f);
        else
            indent(j);
    }
    fputc(c, j->f);
}

void llmem_json_obj(llmem_json *j, const char *key)
{
    json_open(j, key, '{');
}

void llmem_json_arr(llmem_json *j, const char *key)
{
    json_open(j, key, '[');
}

void llmem_json_end_obj(llmem_json *j)
{
    json_close(j, '}');
}

void llmem_json_end_arr(llmem_json *j)
{
    json_close(j, ']');
}

void llmem_json_str(llmem_json *j, const char *key, const char *v)
{
    begin_value(j, key);
    if (v)
        llmem_json_write_string(j->f, v);
    else
        fputs("null", j->f);
}

void llmem_json_u64(llmem_json *j, const char *key, uint64_t v)
{
    char d[21];
    begin_value(j, key);
    llm_fmt_u64(d, v);
    fputs(d, j->f);
}

void llmem_json_whole(llmem_json *j, const char *key, double v)
{
    begin_value(j, key);
    if (!isfinite(v)) {
        fputs("null", j->f);
        return;
    }
    double r = round(v);
    if (r == 0.0) r = 0.0; /* no "-0" */
    fprintf(j->f, "%.0f", r);
}

size_t llmem_num_text(char *buf, size_t cap, double v)
{
    if (!isfinite(v)) return (size_t)snprintf(buf, cap, "null");
    if (v == 0.0) return (size_t)snprintf(buf, cap, "0");
    if (v == floor(v) && fabs(v) < 9007199254740992.0) return (size_t)snprintf(buf, cap, "%.0f", v);
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) break;
    }
    return (size_t)snprintf(buf, cap, "%s", tmp);
}

void llmem_json_num(llmem_json *j, const char *key, double v)
{
    char t[40];
    begin_value(j, key);
    llmem_num_text(t, sizeof t, v);
    fputs(t, j->f);
}

void llmem_json_raw_number(llmem_json *j, const char *key, const char *digits)
{
    begin_value(j, key);
    fputs(digits, j->f);
}

void llmem_json_bool(llmem_json *j, const char *key, bool v)
{
    begin_value(j, key);
    fputs(v ? "true" : "false", j->f);
}

void llmem_json_null(llmem_json *j, const char *key)
{
    begin_value(j, key);
    fputs("null", j->f);
}

void llmem_json_finish(llmem_json *j)
{
    fputc('\n', j->f);
}
