/* A report as titled sections of small tables, rendered either as aligned
 * plain text (80 columns) or as Markdown.  Used by `estimate` and `fit`. */
#ifndef LLMEM_CLI_SECTIONS_H
#define LLMEM_CLI_SECTIONS_H

#include <stdbool.h>
#include <stdio.h>

#define LLMEM_SECT_COLS 5
#define LLMEM_SECT_ROWS 96
#define LLMEM_SECT_CELL 80

typedef struct llmem_sect {
    char title[96];
    int ncols;
    char head[LLMEM_SECT_COLS][32];
    bool right[LLMEM_SECT_COLS]; /* right-aligned (numbers) */
    int nrows;
    char cell[LLMEM_SECT_ROWS][LLMEM_SECT_COLS][LLMEM_SECT_CELL];
    bool rule_before[LLMEM_SECT_ROWS]; /* a thin rule above this row (totals) */
} llmem_sect;

/* Starts a section: title, then ncols headers ("" for none); a leading '>'
 * in a header right-aligns that column. */
void llmem_sect_init(llmem_sect *s, const char *title, int ncols, ...);
/* Adds a row of ncols printf-free strings (NULL = empty). */
void llmem_sect_row(llmem_sect *s, ...);
/* Like llmem_sect_row with a rule above (totals). */
void llmem_sect_total(llmem_sect *s, ...);
/* Plain text, two-space indent, columns padded to their widest cell. */
void llmem_sect_text(FILE *f, const llmem_sect *s);
/* A Markdown heading (###) and a pipe table. */
void llmem_sect_md(FILE *f, const llmem_sect *s);

#endif
