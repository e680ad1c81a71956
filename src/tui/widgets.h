/* Widgets: small drawing functions over the canvas.  Each is specified by
 * what it draws so tests can write the expected cells by hand. */
#ifndef LLMEM_TUI_WIDGETS_H
#define LLMEM_TUI_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/canvas.h"
#include "tui/theme.h"

enum {
    LLMEM_SLIDER_SELECTED = 1u << 0, /* marker ▶ and the label/value highlighted */
    LLMEM_SLIDER_DIM = 1u << 1,      /* not relevant in the current mode */
    LLMEM_SLIDER_BAD = 1u << 2       /* blamed by an impossible combination: '!' and warn colour */
};

#define LLMEM_SLIDER_LABEL_W 11
#define LLMEM_SLIDER_VALUE_W 9

/* One slider row of width w:
 *   col 0        marker: ▶ selected, ! bad, else space
 *   cols 1..11   label, left-aligned (11 columns)
 *   cols 12..20  value, right-aligned (9 columns)
 *   col 21       space
 *   cols 22..    the track: filled glyphs up to the knob, the knob at
 *                round(pos * (n - 1)), empty track after (n = w - 22).
 * A value wider than 9 columns takes the whole rest of the row instead of
 * the track.  Returns the track's first column (or -1 when there is none). */
int llmem_w_slider(llmem_canvas *c, int x, int y, int w, const char *label, const char *value,
                   double pos, unsigned flags, const llmem_glyphs *g);

/* A horizontal bar of frac * w cells (frac clipped to 0..1) in `glyph`;
 * with Unicode eighth blocks for the last partial cell when `glyph` is the
 * full block.  Returns the cells touched. */
int llmem_w_bar(llmem_canvas *c, int x, int y, int w, double frac, int role, uint32_t glyph,
                const llmem_glyphs *g);

/* A bar of n segments: segment i gets about vals[i] / scale * w cells
 * (largest remainders, so the cells add up to round(sum / scale * w));
 * glyphs[i] and roles[i] tell the segments apart.  Returns cells drawn. */
int llmem_w_stacked(llmem_canvas *c, int x, int y, int w, const double *vals, const int *roles,
                    const uint32_t *glyphs, int n, double scale);

/* Line chart: points (x[i], y[i]) on log or linear axes, horizontal lines,
 * one marked point; y labels formatted by yfmt. */
typedef struct llmem_hline {
    double y;
    const char *label;
    int role;
    /* where the curve crosses the line (0 = not shown): a mark on the line
     * at x = cross_x and cross_label under it */
    double cross_x;
    const char *cross_label;
} llmem_hline;

typedef struct llmem_chart {
    const double *x, *y;
    const bool *ok; /* NULL = all points valid */
    size_t n;
    bool logx, logy;
    double ymin, ymax; /* both 0 = from the data and the lines */
    const llmem_hline *hlines;
    size_t nhlines;
    int mark; /* index of the highlighted point, -1 = none */
    const char *const *xlabels; /* NULL = none; else one per point (some may be skipped) */
    void (*yfmt)(double v, char *buf, size_t cap, void *ctx);
    void *ctx;
} llmem_chart;

void llmem_w_chart(llmem_canvas *c, llmem_rect r, const llmem_chart *ch, const llmem_glyphs *g);

/* Clears r in the overlay colour and frames it with a title; lines of
 * `text` (separated by '\n') from `first` on are drawn inside. */
void llmem_w_overlay(llmem_canvas *c, llmem_rect r, const char *title, const char *text,
                     int first);

/* Large figures for talks: digits five rows tall, drawn as 3x5 pixel glyphs
 * with each pixel two cells wide (one column between characters).  Draws
 * the characters "0123456789" and "." (a one-pixel dot); anything else is a
 * blank of a digit's width.  Pixels are the full block, or '#' when the
 * canvas is ASCII.  Returns the columns used; llmem_w_big_width says how
 * many without drawing. */
#define LLMEM_BIG_ROWS 5
int llmem_w_big(llmem_canvas *c, int x, int y, const char *text, int role);
int llmem_w_big_width(const char *text);

#endif
