/* The screen layout: a pure function of the terminal size returning
 * rectangles.  Tested over every size from 20x6 to 300x100. */
#ifndef LLMEM_TUI_LAYOUT_H
#define LLMEM_TUI_LAYOUT_H

#include "tui/canvas.h"

#define LLMEM_MIN_COLS 80
#define LLMEM_MIN_ROWS 24
#define LLMEM_FULL_COLS 120
#define LLMEM_FULL_ROWS 32

typedef enum llmem_layout_mode {
    LLMEM_LAYOUT_TOO_SMALL = 0, /* only `message` is set */
    LLMEM_LAYOUT_COMPACT,       /* 80x24 up to the full size */
    LLMEM_LAYOUT_FULL           /* from 120x32 */
} llmem_layout_mode;

typedef struct llmem_layout {
    llmem_layout_mode mode;
    int cols, rows;
    llmem_rect title;   /* row 0: preset, mode, units, help hint */
    llmem_rect tabs;    /* row 1: the view names */
    llmem_rect knobs;   /* framed slider panel (left) */
    llmem_rect main;    /* framed view area (right) */
    llmem_rect status;  /* one line: impossible-combination reason, prompts, messages */
    llmem_rect footer;  /* last line: key hints */
    llmem_rect message; /* too small: where the message goes */
} llmem_layout;

llmem_layout llmem_layout_compute(int cols, int rows);

/* True when a and b share a cell (empty rectangles never overlap). */
bool llmem_rect_overlap(llmem_rect a, llmem_rect b);
bool llmem_rect_contains(llmem_rect r, int x, int y);
/* The inside of a framed rectangle. */
llmem_rect llmem_rect_inner(llmem_rect r);

#endif
