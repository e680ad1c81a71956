/* Error lines on stderr: always one line, prefixed "llmem: ". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"

/* Writes s with newlines folded into "; " so an error stays on one line. */
static void put_one_line(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') {
            if (s[1]) fputs("; ", stderr);
        } else if (*s != '\r') {
            fputc(*s, stderr);
        }
    }
}

void llmem_cli_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("llmem: ", stderr);
    put_one_line(msg);
    fputc('\n', stderr);
}

void llmem_cli_report(const llm_error *err)
{
    fputs("llmem: ", stderr);
    if (err->path[0]) {
        put_one_line(err->path);
        if (err->line > 0) {
            fprintf(stderr, ":%d", err->line);
            if (err->col > 0) fprintf(stderr, ":%d", err->col);
        }
        fputs(": ", stderr);
    }
    put_one_line(err->message[0] ? err->message : llm_code_name(err->code));
    fputc('\n', stderr);
}

int llmem_cli_exit_for(llm_code code)
{
    switch (code) {
    case LLM_OK:
        return LLMEM_EXIT_OK;
    case LLM_ERR_IO:
    case LLM_ERR_PARSE:
    case LLM_ERR_SCHEMA:
    case LLM_ERR_LIMIT:
    case LLM_ERR_NOMEM:
        return LLMEM_EXIT_INPUT;
    default:
        return LLMEM_EXIT_USAGE;
    }
}
