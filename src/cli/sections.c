/* Sections of small tables as text or Markdown (see sections.h). */
#include "cli/sections.h"

#include <stdarg.h>
#include <string.h>

#include "cli/cli_int.h"

void llmem_sect_init(llmem_sect *s, const char *title, int ncols, ...)
{
    memset(s, 0, sizeof *s);
    snprintf(s->title, sizeof s->title, "%s", title);
    if (ncols > LLMEM_SECT_COLS) ncols = LLMEM_SECT_COLS;
    s->ncols = ncols;
    va_list ap;
    va_start(ap, ncols);
    for (int i = 0; i < ncols; i++) {
        const char *h = va_arg(ap, const char *);
        if (h && h[0] == '>') {
            s->right[i] = true;
            h++;
        }
        snprintf(s->head[i], sizeof s->head[i], "%s", h ? h : "");
    }
    va_end(ap);
}

static void add_row(llmem_sect *s, bool rule, va_list ap)
{
    if (s->nrows >= LLMEM_SECT_ROWS) return;
    int r = s->nrows++;
    s->rule_before[r] = rule;
    for (int i = 0; i < s->ncols; i++) {
        const char *c = va_arg(ap, const char *);
        snprintf(s->cell[r][i], LLMEM_SECT_CELL, "%s", c ? c : "");
    }
}

void llmem_sect_row(llmem_sect *s, ...)
{
    va_list ap;
    va_start(ap, s);
    add_row(s, false, ap);
    va_end(ap);
}

void llmem_sect_total(llmem_sect *s, ...)
{
    va_list ap;
    va_start(ap, s);
    add_row(s, true, ap);
    va_end(ap);
}

/* Display width of UTF-8 text: one column per code point (our cells hold
 * no wide characters). */
static int width(const char *t)
{
    int w = 0;
    for (; *t; t++)
        if (((unsigned char)*t & 0xc0) != 0x80) w++;
    return w;
}

static void pad(FILE *f, int n)
{
    for (; n > 0; n--) fputc(' ', f);
}

static void text_row(FILE *f, const llmem_sect *s, const int *w, const char *const *cells)
{
    fputs("  ", f);
    int last = s->ncols - 1;
    while (last > 0 && !cells[last][0]) last--; /* no trailing blanks */
    for (int i = 0; i <= last; i++) {
        int gap = w[i] - width(cells[i]);
        if (i > 0) fputs("  ", f);
        if (s->right[i]) pad(f, gap);
        fputs(cells[i], f);
        if (!s->right[i] && i < last) pad(f, gap);
    }
    fputc('\n', f);
}

void llmem_sect_text(FILE *f, const llmem_sect *s)
{
    int w[LLMEM_SECT_COLS] = {0};
    bool any_head = false;
    for (int i = 0; i < s->ncols; i++) {
        w[i] = width(s->head[i]);
        if (s->head[i][0]) any_head = true;
        for (int r = 0; r < s->nrows; r++) {
            int cw = width(s->cell[r][i]);
            if (cw > w[i]) w[i] = cw;
        }
    }
    fprintf(f, "%s\n", s->title);
    if (any_head) {
        const char *heads[LLMEM_SECT_COLS];
        for (int i = 0; i < s->ncols; i++) heads[i] = s->head[i];
        text_row(f, s, w, heads);
    }
    int total = 0;
    for (int i = 0; i < s->ncols; i++) total += w[i] + (i ? 2 : 0);
    for (int r = 0; r < s->nrows; r++) {
        if (s->rule_before[r]) {
            fputs("  ", f);
            for (int i = 0; i < total; i++) fputc('-', f);
            fputc('\n', f);
        }
        const char *cells[LLMEM_SECT_COLS];
        for (int i = 0; i < s->ncols; i++) cells[i] = s->cell[r][i];
        text_row(f, s, w, cells);
    }
}

void llmem_sect_md(FILE *f, const llmem_sect *s)
{
    fprintf(f, "### ");
    llmem_md_cell(f, s->title);
    fputs("\n\n|", f);
    for (int i = 0; i < s->ncols; i++) {
        fputc(' ', f);
        llmem_md_cell(f, s->head[i]);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (int i = 0; i < s->ncols; i++) fputs(s->right[i] ? " ---: |" : " --- |", f);
    fputc('\n', f);
    for (int r = 0; r < s->nrows; r++) {
        fputc('|', f);
        for (int i = 0; i < s->ncols; i++) {
            fputc(' ', f);
            if (s->rule_before[r] && s->cell[r][i][0]) fputs("**", f);
            llmem_md_cell(f, s->cell[r][i]);
            if (s->rule_before[r] && s->cell[r][i][0]) fputs("**", f);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}
