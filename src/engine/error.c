/* Error values: formatting into the caller's struct, no printing. */
#include "llmem/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_path(llm_error *err, const char *path)
{
    if (!path) {
        err->path[0] = '\0';
        return;
    }
    size_t n = strlen(path);
    if (n >= sizeof err->path) n = sizeof err->path - 1;
    memcpy(err->path, path, n);
    err->path[n] = '\0';
}

static void vset(llm_error *err, llm_code code, const char *path, int line, int col,
                 const char *fmt, va_list ap)
{
    err->code = code;
    copy_path(err, path);
    err->line = line;
    err->col = col;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

llm_code llm_error_set(llm_error *err, llm_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    return code;
}

llm_code llm_error_set_at(llm_error *err, llm_code code, const char *path, int line, int col,
                          const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, code, path, line, col, fmt, ap);
        va_end(ap);
    }
    return code;
}

void llm_error_clear(llm_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

const char *llm_code_name(llm_code code)
{
    switch (code) {
    case LLM_OK: return "ok";
    case LLM_ERR_INVALID: return "invalid";
    case LLM_ERR_RANGE: return "range";
    case LLM_ERR_OVERFLOW: return "overflow";
    case LLM_ERR_IO: return "io";
    case LLM_ERR_PARSE: return "parse";
    case LLM_ERR_SCHEMA: return "schema";
    case LLM_ERR_LIMIT: return "limit";
    case LLM_ERR_NOTFOUND: return "not-found";
    case LLM_ERR_USAGE: return "usage";
    case LLM_ERR_NOMEM: return "out-of-memory";
    case LLM_ERR_EXISTS: return "exists";
    }
    return "unknown";
}
