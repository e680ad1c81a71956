/* The canvas: a grid of cells (character, colour role, bold) that widgets
 * draw into.  It knows nothing about terminals: term.c blits it to ncurses,
 * and the same grid is dumped as text, as a colour-role layer and as SVG
 * (golden screens, screenshots).  Every character occupies one column. */
#ifndef LLMEM_TUI_CANVAS_H
#define LLMEM_TUI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "llmem/error.h"
#include "tui/theme.h"

typedef struct llmem_cell {
    uint32_t ch;  /* Unicode code point, one column wide */
    uint8_t role; /* llmem_role */
    uint8_t bold;
} llmem_cell;

typedef struct llmem_canvas {
    int cols, rows;
    llmem_cell *cells; /* rows x cols, owned */
    bool ascii;        /* draw with ASCII glyphs only (no UTF-8 locale) */
    bool clipping;     /* when set, writes outside `clip` are dropped */
    struct { int x, y, w, h; } clip;
    /* Text cut in the middle of a word by llmem_canvas_text since the last
     * clear (tests check a frame has none); where the first one happened. */
    int cuts;
    int cut_x, cut_y;
} llmem_canvas;

typedef struct llmem_rect {
    int x, y, w, h;
} llmem_rect;

/* Allocates a blank canvas; returns false when memory runs out. */
bool llmem_canvas_init(llmem_canvas *c, int cols, int rows);
/* Reallocates to a new size and clears; false on allocation failure. */
bool llmem_canvas_resize(llmem_canvas *c, int cols, int rows);
void llmem_canvas_free(llmem_canvas *c);
void llmem_canvas_clear(llmem_canvas *c);

/* Writes one cell; silently clipped outside the canvas. */
void llmem_canvas_put(llmem_canvas *c, int x, int y, uint32_t ch, int role, bool bold);
/* Writes UTF-8 text from (x, y), at most maxw columns (maxw < 0: to the right
 * edge); returns the columns written. */
int llmem_canvas_text(llmem_canvas *c, int x, int y, int maxw, const char *utf8, int role,
                      bool bold);
/* Like llmem_canvas_text, but text wider than maxw is cut at the last space
 * that leaves room for an ellipsis, never inside a word (a single word wider
 * than maxw is cut with the ellipsis).  Returns the columns written. */
int llmem_canvas_text_fit(llmem_canvas *c, int x, int y, int maxw, const char *utf8, int role,
                          bool bold);
/* printf into the canvas (same clipping as llmem_canvas_text). */
int llmem_canvas_printf(llmem_canvas *c, int x, int y, int maxw, int role, bool bold,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* Text right-aligned so that it ends at column x + w - 1. */
void llmem_canvas_text_right(llmem_canvas *c, int x, int y, int w, const char *utf8, int role,
                             bool bold);
void llmem_canvas_fill(llmem_canvas *c, llmem_rect r, uint32_t ch, int role);
/* Sets the role of every cell in r (keeps characters): used for selection. */
void llmem_canvas_tint(llmem_canvas *c, llmem_rect r, int role, bool bold);
/* A rounded frame (or +-| in ASCII) with an optional title in the top edge. */
void llmem_canvas_box(llmem_canvas *c, llmem_rect r, const char *title, int role);
/* A horizontal rule from x to x+w-1 on row y. */
void llmem_canvas_hline(llmem_canvas *c, int x, int y, int w, int role);

/* Restricts drawing to r (views draw inside their frame); unclip lifts it. */
void llmem_canvas_clip(llmem_canvas *c, llmem_rect r);
void llmem_canvas_unclip(llmem_canvas *c);

const llmem_cell *llmem_canvas_at(const llmem_canvas *c, int x, int y);

/* Decodes one UTF-8 sequence; returns bytes used (>= 1), U+FFFD on bad input. */
int llmem_utf8_decode(const char *s, uint32_t *cp);
/* Encodes cp into out (>= 5 bytes, NUL-terminated); returns bytes written. */
int llmem_utf8_encode(uint32_t cp, char *out);
/* Number of code points (= columns) in a UTF-8 string. */
int llmem_utf8_width(const char *s);

/* The screen as UTF-8 text: one line per row, trailing spaces removed,
 * each line ending in '\n'.  Returns 0 or -1 on a write error. */
int llmem_canvas_dump_text(const llmem_canvas *c, FILE *f);
/* Same into a malloc'ed string (caller frees); NULL when memory runs out. */
char *llmem_canvas_text_string(const llmem_canvas *c);
/* One row as UTF-8 (trailing spaces kept) into buf; returns length. */
size_t llmem_canvas_row(const llmem_canvas *c, int y, char *buf, size_t cap);
/* The colour-role layer: one letter per cell (see llmem_role_letter), upper
 * case when bold. */
int llmem_canvas_dump_roles(const llmem_canvas *c, FILE *f);
/* An SVG of the cells: a monospace grid with the theme's colours and bold. */
int llmem_canvas_dump_svg(const llmem_canvas *c, const llmem_theme *t, FILE *f);

/* Writes a dump (0 text, 1 SVG, 2 roles) to path with llm_write_file_atomic:
 * a reader never sees half a file, a symbolic link is written through (the
 * link stays), a device or FIFO is written in place; an existing regular
 * file is replaced only when overwrite is true (else LLM_ERR_EXISTS). */
llm_code llmem_canvas_write_file(const llmem_canvas *c, const llmem_theme *t, int what,
                                 const char *path, bool overwrite, llm_error *err);

#endif
