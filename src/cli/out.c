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
    case LLM_BOUND_UNKNOWN:
        return "unknown";
    default:
        return "none";
    }
}

void llmem_note(FILE *f, const char *label, const char *text, bool md)
{
    if (md) {
        fprintf(f, "> %s: ", label);
        llmem_md_cell(f, text);
        fputs("\n", f);
        return;
    }
    /* wrapped at a space before 80 columns, continuation lines indented */
    int indent = (int)strlen(label) + 2;
    if (indent > 20) indent = 20;
    fprintf(f, "%s: ", label);
    const char *p = text;
    while (*p) {
        size_t room = (size_t)(78 - indent), n = strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ') n--;
            if (n == 0) n = room;
        }
        fprintf(f, "%.*s\n", (int)n, p);
        p += n;
        while (*p == ' ') p++;
        if (*p) fprintf(f, "%*s", indent, "");
    }
}

void llmem_warning_lines(FILE *f, unsigned warnings, bool md)
{
    for (unsigned i = 0; i < LLM_WARN_COUNT; i++) {
        const char *t = (warnings & (1u << i)) ? llm_warning_text(1u << i) : NULL;
        if (t) llmem_note(f, "note", t, md);
    }
}

void llmem_json_warnings(llmem_json *j, unsigned warnings)
{
    llmem_json_arr(j, "warnings");
    for (unsigned i = 0; i < LLM_WARN_COUNT; i++) {
        const char *t = (warnings & (1u << i)) ? llm_warning_text(1u << i) : NULL;
        if (t) llmem_json_str(j, NULL, t);
    }
    llmem_json_end_arr(j);
}
