/* Widgets (see widgets.h). */
#include "tui/widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int llmem_w_slider(llmem_canvas *c, int x, int y, int w, const char *label, const char *value,
                   double pos, unsigned flags, const llmem_glyphs *g)
{
    bool sel = flags & LLMEM_SLIDER_SELECTED, bad = flags & LLMEM_SLIDER_BAD,
         dim = flags & LLMEM_SLIDER_DIM;
    int lrole = bad ? LLMEM_ROLE_WARN : dim ? LLMEM_ROLE_DIM : LLMEM_ROLE_LABEL;
    int vrole = bad ? LLMEM_ROLE_WARN : dim ? LLMEM_ROLE_DIM : LLMEM_ROLE_VALUE;
    if (sel) lrole = vrole = LLMEM_ROLE_SELECTED;
    for (int i = 0; i < w; i++) llmem_canvas_put(c, x + i, y, ' ', LLMEM_ROLE_NORMAL, false);
    uint32_t marker = bad ? '!' : sel ? g->mark : ' ';
    llmem_canvas_put(c, x, y, marker, bad ? LLMEM_ROLE_WARN : LLMEM_ROLE_KNOB, true);
    int head = LLMEM_SLIDER_LABEL_W + LLMEM_SLIDER_VALUE_W;
    /* label + value as one highlighted block */
    for (int i = 1; i <= head && i < w; i++) llmem_canvas_put(c, x + i, y, ' ', lrole, false);
    llmem_canvas_text(c, x + 1, y, LLMEM_SLIDER_LABEL_W < w - 1 ? LLMEM_SLIDER_LABEL_W : w - 1,
                      label, lrole, sel);
    int vw = llmem_utf8_width(value);
    if (vw > LLMEM_SLIDER_VALUE_W) {
        llmem_canvas_text_fit(c, x + 1 + LLMEM_SLIDER_LABEL_W, y, w - 1 - LLMEM_SLIDER_LABEL_W, value,
                              vrole, true);
        return -1;
    }
    if (1 + head <= w)
        llmem_canvas_text_right(c, x + 1 + LLMEM_SLIDER_LABEL_W, y, LLMEM_SLIDER_VALUE_W, value,
                                vrole, true);
    int tx = x + head + 2, n = w - head - 2;
    if (n < 2) return -1;
    if (pos < 0) pos = 0;
    if (pos > 1) pos = 1;
    int k = (int)lround(pos * (n - 1));
    int frole = dim ? LLMEM_ROLE_DIM : bad ? LLMEM_ROLE_WARN : LLMEM_ROLE_FILL;
    for (int i = 0; i < n; i++) {
        if (i < k) llmem_canvas_put(c, tx + i, y, g->fill, frole, false);
        else if (i == k) llmem_canvas_put(c, tx + i, y, g->knob, dim ? LLMEM_ROLE_DIM : LLMEM_ROLE_KNOB, true);
        else llmem_canvas_put(c, tx + i, y, g->track, LLMEM_ROLE_DIM, false);
    }
    return tx;
}

int llmem_w_bar(llmem_canvas *c, int x, int y, int w, double frac, int role, uint32_t glyph,
                const llmem_glyphs *g)
{
    if (w <= 0 || !(frac > 0)) return 0;
    if (frac > 1) frac = 1;
    double cells = frac * w;
    int full = (int)floor(cells);
    for (int i = 0; i < full; i++) llmem_canvas_put(c, x + i, y, glyph, role, false);
    int rem = (int)lround((cells - full) * 8);
    if (full < w && glyph == 0x2588 && g->eighths[0] && rem > 0) {
        llmem_canvas_put(c, x + full, y, g->eighths[rem - 1], role, false);
        return full + 1;
    }
    if (full < w && glyph != 0x2588 && rem >= 4) {
        llmem_canvas_put(c, x + full, y, glyph, role, false);
        return full + 1;
    }
    return full;
}

int llmem_w_stacked(llmem_canvas *c, int x, int y, int w, const double *vals, const int *roles,
                    const uint32_t *glyphs, int n, double scale)
{
    if (n <= 0 || w <= 0 || !(scale > 0)) return 0;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += vals[i] > 0 ? vals[i] : 0;
    int total = (int)lround(sum / scale * w);
    if (total > w) total = w;
    int cells[32] = {0};
    double rest[32] = {0};
    int used = 0;
    for (int i = 0; i < n && i < 32; i++) {
        double v = vals[i] > 0 ? vals[i] / sum * total : 0;
        cells[i] = (int)floor(v);
        rest[i] = v - cells[i];
        used += cells[i];
    }
    while (used < total) { /* largest remainder first */
        int best = -1;
        for (int i = 0; i < n && i < 32; i++)
            if (vals[i] > 0 && (best < 0 || rest[i] > rest[best])) best = i;
        if (best < 0) break;
        cells[best]++;
        rest[best] = -1;
        used++;
    }
    int p = 0;
    for (int i = 0; i < n && i < 32; i++)
        for (int k = 0; k < cells[i]; k++) llmem_canvas_put(c, x + p++, y, glyphs[i], roles[i], false);
    return p;
}

static double axis(double v, bool logscale)
{
    return logscale ? log10(v > 0 ? v : 1e-300) : v;
}

void llmem_w_chart(llmem_canvas *c, llmem_rect r, const llmem_chart *ch, const llmem_glyphs *g)
{
    if (r.w < 16 || r.h < 5 || ch->n == 0) return;
    double ymin = ch->ymin, ymax = ch->ymax;
    if (ymin == 0 && ymax == 0) {
        bool first = true;
        for (size_t i = 0; i < ch->n; i++) {
            if (ch->ok && !ch->ok[i]) continue;
            if (first || ch->y[i] < ymin) ymin = ch->y[i];
            if (first || ch->y[i] > ymax) ymax = ch->y[i];
            first = false;
        }
        for (size_t i = 0; i < ch->nhlines; i++) {
            if (ch->hlines[i].y > ymax) ymax = ch->hlines[i].y;
            if (ch->hlines[i].y < ymin) ymin = ch->hlines[i].y;
        }
        if (!ch->logy) ymin = 0;
        if (ymax <= ymin) ymax = ymin + 1;
    }
    const int lw = 10; /* y labels */
    int px = r.x + lw + 1, pw = r.w - lw - 1;
    int py = r.y, ph = r.h - 2; /* last two rows: axis and x labels */
    double a0 = axis(ymin, ch->logy), a1 = axis(ymax, ch->logy);
    double xa0 = axis(ch->x[0], ch->logx), xa1 = axis(ch->x[ch->n - 1], ch->logx);
    if (xa1 <= xa0) xa1 = xa0 + 1;
#define YROW(v) (py + ph - 1 - (int)lround((axis(v, ch->logy) - a0) / (a1 - a0) * (ph - 1)))
#define XCOL(v) (px + (int)lround((axis(v, ch->logx) - xa0) / (xa1 - xa0) * (pw - 1)))
    /* axes */
    for (int yy = py; yy < py + ph; yy++) llmem_canvas_put(c, px - 1, yy, g->vline, LLMEM_ROLE_FRAME, false);
    llmem_canvas_hline(c, px, py + ph, pw, LLMEM_ROLE_FRAME);
    llmem_canvas_put(c, px - 1, py + ph, c->ascii ? '+' : 0x2514, LLMEM_ROLE_FRAME, false);
    char buf[32];
    for (int t = 0; t < 3; t++) {
        double v = t == 0 ? ymin : t == 1 ? (ch->logy ? pow(10, (a0 + a1) / 2) : (ymin + ymax) / 2) : ymax;
        if (ch->yfmt) ch->yfmt(v, buf, sizeof buf, ch->ctx);
        else snprintf(buf, sizeof buf, "%.3g", v);
        llmem_canvas_text_right(c, r.x, YROW(v), lw, buf, LLMEM_ROLE_DIM, false);
    }
    /* horizontal lines (capacities) */
    for (size_t i = 0; i < ch->nhlines; i++) {
        const llmem_hline *h = &ch->hlines[i];
        if (h->y < ymin || h->y > ymax) continue;
        int yy = YROW(h->y);
        for (int xx = px; xx < px + pw; xx++)
            llmem_canvas_put(c, xx, yy, c->ascii ? '-' : 0x254c, h->role, false);
    }
    /* points, joined by vertical runs so the curve reads as a line */
    int prev_col = -1, prev_row = -1, last_end = -1;
    for (size_t i = 0; i < ch->n; i++) {
        if (ch->ok && !ch->ok[i]) {
            prev_col = -1;
            continue;
        }
        double yv = ch->y[i];
        if (yv > ymax) yv = ymax;
        if (yv < ymin) yv = ymin;
        int xx = XCOL(ch->x[i]), yy = YROW(yv);
        if (prev_col >= 0) {
            for (int k = prev_col + 1; k < xx; k++) {
                int ry = prev_row + (int)lround((double)(yy - prev_row) * (k - prev_col) / (xx - prev_col));
                llmem_canvas_put(c, k, ry, g->dot, LLMEM_ROLE_FILL, false);
            }
        }
        bool mk = (int)i == ch->mark;
        llmem_canvas_put(c, xx, yy, mk ? (c->ascii ? '@' : 0x25c6) : (c->ascii ? '*' : 0x25cf),
                         mk ? LLMEM_ROLE_ACCENT : LLMEM_ROLE_FILL, mk);
        prev_col = xx;
        prev_row = yy;
        /* x labels, skipped when they would collide */
        if (ch->xlabels && ch->xlabels[i]) {
            int lwid = llmem_utf8_width(ch->xlabels[i]);
            int lx = xx - lwid / 2;
            if (lx < px) lx = px;
            if (lx + lwid > px + pw) lx = px + pw - lwid;
            if (lx > last_end || mk) {
                llmem_canvas_text(c, lx, py + ph + 1, lwid, ch->xlabels[i],
                                  mk ? LLMEM_ROLE_ACCENT : LLMEM_ROLE_DIM, mk);
                last_end = lx + lwid;
            }
        }
    }
    for (size_t i = 0; i < ch->nhlines; i++) { /* labels on top of the points */
        const llmem_hline *h = &ch->hlines[i];
        if (h->y < ymin || h->y > ymax || !h->label) continue;
        int lwid = llmem_utf8_width(h->label);
        int yy = YROW(h->y);
        llmem_canvas_text(c, px + pw - lwid, yy > py ? yy - 1 : yy + 1, lwid, h->label, h->role, true);
    }
    for (size_t i = 0; i < ch->nhlines; i++) { /* the crossings */
        const llmem_hline *h = &ch->hlines[i];
        if (!(h->cross_x > 0) || h->y < ymin || h->y > ymax) continue;
        if (h->cross_x < ch->x[0] || h->cross_x > ch->x[ch->n - 1]) continue;
        int xx = XCOL(h->cross_x), yy = YROW(h->y);
        llmem_canvas_put(c, xx, yy, c->ascii ? 'X' : 0x2716, LLMEM_ROLE_ACCENT, true);
        if (!h->cross_label) continue;
        /* the label next to the mark, on the first side with blank cells
         * (never over the curve): above-left, below-left, above-right, below-right */
        int lwid = llmem_utf8_width(h->cross_label);
        const int cand[4][2] = {{xx - 1 - lwid, yy - 1}, {xx - 1 - lwid, yy + 1},
                                {xx + 2, yy - 1},        {xx + 2, yy + 1}};
        for (int k = 0; k < 4; k++) {
            int lx = cand[k][0], ly = cand[k][1];
            if (lx < px || lx + lwid > px + pw || ly < py || ly >= py + ph) continue;
            bool blank = true;
            for (int q = 0; q < lwid && blank; q++) blank = llmem_canvas_at(c, lx + q, ly)->ch == ' ';
            if (!blank) continue;
            llmem_canvas_text(c, lx, ly, lwid, h->cross_label, LLMEM_ROLE_ACCENT, true);
            break;
        }
    }
#undef YROW
#undef XCOL
}

void llmem_w_overlay(llmem_canvas *c, llmem_rect r, const char *title, const char *text,
                     int first)
{
    llmem_canvas_fill(c, r, ' ', LLMEM_ROLE_OVERLAY);
    llmem_canvas_box(c, r, title, LLMEM_ROLE_OVERLAY);
    int line = 0, y = r.y + 1;
    const char *p = text;
    while (p && *p && y < r.y + r.h - 1) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (line >= first) {
            char buf[512];
            if (len >= sizeof buf) len = sizeof buf - 1;
            memcpy(buf, p, len);
            buf[len] = '\0';
            llmem_canvas_text(c, r.x + 2, y, r.w - 4, buf, LLMEM_ROLE_OVERLAY, false);
            y++;
        }
        line++;
        p = e ? e + 1 : NULL;
    }
}

/* ---- large figures ------------------------------------------------------ */

/* 3x5 pixel font, one row per string, '#' = on. */
static const char *const big_font[10][LLMEM_BIG_ROWS] = {
    {"###", "# #", "# #", "# #", "###"}, {" # ", "## ", " # ", " # ", "###"},
    {"###", "  #", "###", "#  ", "###"}, {"###", "  #", "###", "  #", "###"},
    {"# #", "# #", "###", "  #", "  #"}, {"###", "#  ", "###", "  #", "###"},
    {"###", "#  ", "###", "# #", "###"}, {"###", "  #", "  #", "  #", "  #"},
    {"###", "# #", "###", "# #", "###"}, {"###", "# #", "###", "  #", "###"},
};

static int big_char_width(char ch)
{
    return ch == '.' ? 2 : 6;
}

int llmem_w_big_width(const char *text)
{
    int w = 0;
    for (const char *p = text; *p; p++) w += big_char_width(*p) + (p[1] ? 1 : 0);
    return w;
}

int llmem_w_big(llmem_canvas *c, int x, int y, const char *text, int role)
{
    uint32_t px = c->ascii ? '#' : 0x2588;
    int cx = x;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            const char *const *g = big_font[*p - '0'];
            for (int r = 0; r < LLMEM_BIG_ROWS; r++)
                for (int k = 0; k < 3; k++)
                    if (g[r][k] == '#') {
                        llmem_canvas_put(c, cx + 2 * k, y + r, px, role, true);
                        llmem_canvas_put(c, cx + 2 * k + 1, y + r, px, role, true);
                    }
        } else if (*p == '.') {
            llmem_canvas_put(c, cx, y + LLMEM_BIG_ROWS - 1, px, role, true);
            llmem_canvas_put(c, cx + 1, y + LLMEM_BIG_ROWS - 1, px, role, true);
        }
        cx += big_char_width(*p) + (p[1] ? 1 : 0);
    }
    return cx - x;
}
