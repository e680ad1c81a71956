/* Cells of CSV and Markdown tables. */
#include <string.h>

#include "cli/cli_int.h"

void llmem_csv_field(FILE *f, const char *s)
{
    if (!s) s = "";
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void llmem_md_cell(FILE *f, const char *s)
{
    if (!s) s = "";
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

const char *llmem_bound_name(llm_bound b)
{
    switch (b) {
    case LLM_BOUND_COMPUTE:
        return "compute";
    case LLM_BOUND_MEMORY:
        return "memory";
    default:
        return "none";
    }
}
