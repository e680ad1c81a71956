/* The cell grid between widgets and the terminal (see canvas.h). */
#include "tui/canvas.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "llmem/atomic_file.h"

bool llmem_canvas_init(llmem_canvas *c, int cols, int rows)
{
    c->cols = c->rows = 0;
    c->cells = NULL;
    c->ascii = false;
    c->clipping = false;
    return llmem_canvas_resize(c, cols, rows);
}

bool llmem_canvas_resize(llmem_canvas *c, int cols, int rows)
{
    if (cols < 1) cols = 1;
    if (rows < 1) rows = 1;
    llmem_cell *cells = calloc((size_t)cols * (size_t)rows, sizeof *cells);
    if (!cells) return false;
    free(c->cells);
    c->cells = cells;
    c->cols = cols;
    c->rows = rows;
    llmem_canvas_clear(c);
    return true;
}

void llmem_canvas_free(llmem_canvas *c)
{
    free(c->cells);
    c->cells = NULL;
    c->cols = c->rows = 0;
}

void llmem_canvas_clear(llmem_canvas *c)
{
    size_t n = (size_t)c->cols * (size_t)c->rows;
    for (size_t i = 0; i < n; i++) c->cells[i] = (llmem_cell){' ', LLMEM_ROLE_NORMAL, 0};
    c->cuts = 0;
    c->cut_x = c->cut_y = -1;
}

void llmem_canvas_put(llmem_canvas *c, int x, int y, uint32_t ch, int role, bool bold)
{
    if (x < 0 || y < 0 || x >= c->cols || y >= c->rows) return;
    if (c->clipping &&
        (x < c->clip.x || y < c->clip.y || x >= c->clip.x + c->clip.w || y >= c->clip.y + c->clip.h))
        return;
    llmem_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
    cell->ch = ch;
    cell->role = (uint8_t)role;
    cell->bold = bold ? 1 : 0;
}

void llmem_canvas_clip(llmem_canvas *c, llmem_rect r)
{
    c->clipping = true;
    c->clip.x = r.x;
    c->clip.y = r.y;
    c->clip.w = r.w;
    c->clip.h = r.h;
}

void llmem_canvas_unclip(llmem_canvas *c)
{
    c->clipping = false;
}

const llmem_cell *llmem_canvas_at(const llmem_canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->cols || y >= c->rows) return NULL;
    return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

int llmem_utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int n;
    uint32_t v;
    if ((u[0] & 0xe0) == 0xc0) {
        n = 2;
        v = u[0] & 0x1fu;
    } else if ((u[0] & 0xf0) == 0xe0) {
        n = 3;
        v = u[0] & 0x0fu;
    } else if ((u[0] & 0xf8) == 0xf0) {
        n = 4;
        v = u[0] & 0x07u;
    } else {
        *cp = 0xfffd;
        return 1;
    }
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return i;
        }
        v = (v << 6) | (u[i] & 0x3fu);
    }
    *cp = v;
    return n;
}

int llmem_utf8_encode(uint32_t cp, char *out)
{
    int n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    out[n] = '\0';
    return n;
}

int llmem_utf8_width(const char *s)
{
    int w = 0;
    while (*s) {
        uint32_t cp;
        s += llmem_utf8_decode(s, &cp);
        w++;
    }
    return w;
}

/* ASCII stand-ins for the few non-ASCII characters that appear in labels
 * (widgets pick ASCII glyphs themselves; this catches text like "×"). */
static uint32_t ascii_fallback(uint32_t cp)
{
    switch (cp) {
    case 0x00d7: return 'x';  /* × */
    case 0x00b7: return '|';  /* · */
    case 0x2248: return '~';  /* ≈ */
    case 0x2192: return '>';  /* → */
    case 0x2190: return '<';  /* ← */
    case 0x2191: return '^';  /* ↑ */
    case 0x2193: return 'v';  /* ↓ */
    case 0x25b6: return '>';  /* ▶ */
    case 0x2713: return '+';  /* ✓ */
    case 0x2717: return 'x';  /* ✗ */
    case 0x2026: return '~';  /* … */
    case 0x2212: return '-';  /* − */
    case 0x2014: return '-';  /* — */
    case 0x0394: return 'D';  /* Δ */
    case 0x2264: return '<';  /* ≤ */
    case 0x2265: return '>';  /* ≥ */
    case 0x00b2: return '2';  /* ² */
    case 0x03b1: return 'a';  /* α */
    case 0x2500: case 0x2501: return '-';
    case 0x2502: case 0x2503: return '|';
    default: return cp < 0x80 ? cp : '?';
    }
}

int llmem_canvas_text(llmem_canvas *c, int x, int y, int maxw, const char *utf8, int role,
                      bool bold)
{
    if (!utf8) return 0;
    if (maxw < 0) maxw = c->cols - x;
    int w = 0;
    uint32_t last = ' ';
    while (*utf8 && w < maxw) {
        uint32_t cp;
        utf8 += llmem_utf8_decode(utf8, &cp);
        if (c->ascii) cp = ascii_fallback(cp);
        if (cp == '\n' || cp == '\t') cp = ' ';
        llmem_canvas_put(c, x + w, y, cp, role, bold);
        last = cp;
        w++;
    }
    if (*utf8 && w > 0) { /* cut: inside a word when both sides are letters or digits */
        uint32_t next;
        llmem_utf8_decode(utf8, &next);
        bool wl = (last < 0x80 && isalnum((int)last)) || last >= 0x80;
        bool wn = (next < 0x80 && isalnum((int)next)) || next >= 0x80;
        if (wl && wn && last != 0x2026 && last < 0x2500) {
            if (c->cuts++ == 0) {
                c->cut_x = x + w;
                c->cut_y = y;
            }
        }
    }
    return w;
}

int llmem_canvas_text_fit(llmem_canvas *c, int x, int y, int maxw, const char *utf8, int role,
                          bool bold)
{
    if (!utf8) return 0;
    if (maxw < 0) maxw = c->cols - x;
    if (maxw <= 0) return 0;
    if (llmem_utf8_width(utf8) <= maxw) return llmem_canvas_text(c, x, y, maxw, utf8, role, bold);
    /* the last space at or before column maxw - 1 (room for the ellipsis) */
    int cols = 0, cut = -1;
    size_t i = 0, cut_b = 0;
    while (utf8[i] && cols < maxw) {
        uint32_t cp;
        int k = llmem_utf8_decode(utf8 + i, &cp);
        if (cp == ' ' && cols <= maxw - 1) {
            cut = cols;
            cut_b = i;
        }
        i += (size_t)k;
        cols++;
    }
    char buf[1024];
    size_t nb = cut > 0 ? cut_b : 0;
    if (cut <= 0) { /* one long word: as many characters as fit before the ellipsis */
        int n = 0;
        nb = 0;
        while (utf8[nb] && n < maxw - 1) {
            uint32_t cp;
            nb += (size_t)llmem_utf8_decode(utf8 + nb, &cp);
            n++;
        }
    }
    while (nb > 0 && utf8[nb - 1] == ' ') nb--; /* no space before the ellipsis */
    if (nb > sizeof buf - 8) nb = sizeof buf - 8;
    memcpy(buf, utf8, nb);
    memcpy(buf + nb, "\xe2\x80\xa6", 4); /* U+2026; '~' on an ASCII canvas */
    return llmem_canvas_text(c, x, y, maxw, buf, role, bold);
}

int llmem_canvas_printf(llmem_canvas *c, int x, int y, int maxw, int role, bool bold,
                        const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return llmem_canvas_text(c, x, y, maxw, buf, role, bold);
}

void llmem_canvas_text_right(llmem_canvas *c, int x, int y, int w, const char *utf8, int role,
                             bool bold)
{
    int tw = llmem_utf8_width(utf8);
    if (tw > w) {
        llmem_canvas_text(c, x, y, w, utf8, role, bold);
        return;
    }
    llmem_canvas_text(c, x + w - tw, y, tw, utf8, role, bold);
}

void llmem_canvas_fill(llmem_canvas *c, llmem_rect r, uint32_t ch, int role)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) llmem_canvas_put(c, x, y, ch, role, false);
}

void llmem_canvas_tint(llmem_canvas *c, llmem_rect r, int role, bool bold)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            if (x < 0 || y < 0 || x >= c->cols || y >= c->rows) continue;
            llmem_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
            cell->role = (uint8_t)role;
            cell->bold = bold ? 1 : 0;
        }
}

void llmem_canvas_hline(llmem_canvas *c, int x, int y, int w, int role)
{
    uint32_t h = c->ascii ? '-' : 0x2500;
    for (int i = 0; i < w; i++) llmem_canvas_put(c, x + i, y, h, role, false);
}

void llmem_canvas_box(llmem_canvas *c, llmem_rect r, const char *title, int role)
{
    if (r.w < 2 || r.h < 2) return;
    uint32_t h = c->ascii ? '-' : 0x2500, v = c->ascii ? '|' : 0x2502;
    uint32_t tl = c->ascii ? '+' : 0x256d, tr = c->ascii ? '+' : 0x256e;
    uint32_t bl = c->ascii ? '+' : 0x2570, br = c->ascii ? '+' : 0x256f;
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
    for (int x = r.x + 1; x < x1; x++) {
        llmem_canvas_put(c, x, r.y, h, role, false);
        llmem_canvas_put(c, x, y1, h, role, false);
    }
    for (int y = r.y + 1; y < y1; y++) {
        llmem_canvas_put(c, r.x, y, v, role, false);
        llmem_canvas_put(c, x1, y, v, role, false);
    }
    llmem_canvas_put(c, r.x, r.y, tl, role, false);
    llmem_canvas_put(c, x1, r.y, tr, role, false);
    llmem_canvas_put(c, r.x, y1, bl, role, false);
    llmem_canvas_put(c, x1, y1, br, role, false);
    if (title && *title && r.w > 6) {
        llmem_canvas_put(c, r.x + 2, r.y, ' ', role, false);
        int w = llmem_canvas_text(c, r.x + 3, r.y, r.w - 6, title, LLMEM_ROLE_HEADING, true);
        llmem_canvas_put(c, r.x + 3 + w, r.y, ' ', role, false);
    }
}

size_t llmem_canvas_row(const llmem_canvas *c, int y, char *buf, size_t cap)
{
    size_t n = 0;
    if (cap == 0) return 0;
    buf[0] = '\0';
    if (y < 0 || y >= c->rows) return 0;
    for (int x = 0; x < c->cols; x++) {
        char u[8];
        int k = llmem_utf8_encode(c->cells[(size_t)y * (size_t)c->cols + (size_t)x].ch, u);
        if (n + (size_t)k + 1 > cap) break;
        memcpy(buf + n, u, (size_t)k);
        n += (size_t)k;
    }
    buf[n] = '\0';
    return n;
}

char *llmem_canvas_text_string(const llmem_canvas *c)
{
    size_t cap = (size_t)c->rows * ((size_t)c->cols * 4 + 1) + 1;
    char *out = malloc(cap), *p = out;
    if (!out) return NULL;
    for (int y = 0; y < c->rows; y++) {
        size_t n = llmem_canvas_row(c, y, p, cap - (size_t)(p - out));
        while (n > 0 && p[n - 1] == ' ') n--;
        p[n] = '\n';
        p += n + 1;
    }
    *p = '\0';
    return out;
}

int llmem_canvas_dump_text(const llmem_canvas *c, FILE *f)
{
    char *s = llmem_canvas_text_string(c);
    if (!s) return -1;
    int rc = fputs(s, f) < 0 ? -1 : 0;
    free(s);
    return rc;
}

int llmem_canvas_dump_roles(const llmem_canvas *c, FILE *f)
{
    for (int y = 0; y < c->rows; y++) {
        for (int x = 0; x < c->cols; x++) {
            const llmem_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
            char l = llmem_role_letter(cell->role);
            if (cell->bold && l >= 'a' && l <= 'z') l = (char)(l - 'a' + 'A');
            if (fputc(l, f) == EOF) return -1;
        }
        if (fputc('\n', f) == EOF) return -1;
    }
    return 0;
}

static void svg_escape(FILE *f, uint32_t cp)
{
    switch (cp) {
    case '<': fputs("&lt;", f); return;
    case '>': fputs("&gt;", f); return;
    case '&': fputs("&amp;", f); return;
    case ' ': fputs("&#160;", f); return; /* keep runs of spaces */
    default: {
        char u[8];
        llmem_utf8_encode(cp, u);
        fputs(u, f);
    }
    }
}

/* Eighths of the cell a left block element fills: U+2588 full block = 8,
 * U+2589 .. U+258F = 7 .. 1; 0 for anything else. */
static int block_eighths(uint32_t cp)
{
    if (cp == 0x2588) return 8;
    if (cp >= 0x2589 && cp <= 0x258F) return (int)(0x2590 - cp);
    return 0;
}

/* Light vertical box lines, which fonts draw a little shorter than a cell:
 * 1 = the whole height (│ ├ ┤ ┼), 2 = the upper half (╰ ╯ └ ┘ ┴),
 * 3 = the lower half (╭ ╮ ┌ ┐ ┬); 0 = none. */
static int vline_part(uint32_t cp)
{
    switch (cp) {
    case 0x2502: case 0x251C: case 0x2524: case 0x253C: return 1;
    case 0x2570: case 0x256F: case 0x2514: case 0x2518: case 0x2534: return 2;
    case 0x256D: case 0x256E: case 0x250C: case 0x2510: case 0x252C: return 3;
    default: return 0;
    }
}

/* Resolved colours of a cell under a theme (reverse swaps them). */
static void cell_rgb(const llmem_theme *t, const llmem_cell *cell, uint32_t *fg, uint32_t *bg,
                     bool *bold)
{
    const llmem_style *s = &t->role[cell->role < LLMEM_ROLE_COUNT ? cell->role : 0];
    uint32_t f = s->fg256 < 0 ? t->fg_rgb : s->fg_rgb;
    uint32_t b = s->bg256 < 0 ? t->bg_rgb : s->bg_rgb;
    if (!t->colour) {
        f = t->fg_rgb;
        b = t->bg_rgb;
    }
    if (s->reverse) {
        uint32_t tmp = f;
        f = b;
        b = tmp;
    }
    *fg = f;
    *bg = b;
    *bold = cell->bold || s->bold;
}

int llmem_canvas_dump_svg(const llmem_canvas *c, const llmem_theme *t, FILE *f)
{
    /* Cell size for a 14px monospace font: 8.43 x 17 px, written in
     * hundredths.  8.43 is DejaVu Sans Mono's advance at 14px (0.602 em), so
     * a run of glyphs ends where its cells end; every run also starts at its
     * own column, so other fonts cannot drift far. */
    const int cw = 843, ch = 17;
    int width = (c->cols * cw + 99) / 100, height = c->rows * ch;
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" "
            "font-size=\"14\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n",
            width, height, width, height, t->bg_rgb);
    for (int y = 0; y < c->rows; y++) {
        /* Backgrounds: one rect per run of equal non-default background. */
        for (int x = 0; x < c->cols;) {
            uint32_t fg, bg;
            bool bold;
            cell_rgb(t, &c->cells[(size_t)y * (size_t)c->cols + (size_t)x], &fg, &bg, &bold);
            int x0 = x;
            while (x < c->cols) {
                uint32_t f2, b2;
                bool bo2;
                cell_rgb(t, &c->cells[(size_t)y * (size_t)c->cols + (size_t)x], &f2, &b2, &bo2);
                if (b2 != bg) break;
                x++;
            }
            if (bg != t->bg_rgb)
                fprintf(f, "<rect x=\"%d.%02d\" y=\"%d\" width=\"%d.%02d\" height=\"%d\" fill=\"#%06x\"/>\n",
                        x0 * cw / 100, x0 * cw % 100, y * ch, (x - x0) * cw / 100,
                        (x - x0) * cw % 100, ch, bg);
        }
        /* Block elements (bars, the large figure) as rectangles in the text
         * colour: a font's block glyph is shorter than the cell, which would
         * leave stripes between rows.  The glyph is still written below, so
         * the text of the SVG is the text of the screen. */
        for (int x = 0; x < c->cols; x++) {
            const llmem_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
            int eighths = block_eighths(cell->ch), vl = vline_part(cell->ch);
            if (!eighths && !vl) continue;
            uint32_t fg, bg;
            bool bold;
            cell_rgb(t, cell, &fg, &bg, &bold);
            int xh = x * cw;
            if (eighths) {
                int wh = cw * eighths / 8;
                fprintf(f, "<rect x=\"%d.%02d\" y=\"%d\" width=\"%d.%02d\" height=\"%d\" fill=\"#%06x\"/>\n",
                        xh / 100, xh % 100, y * ch, wh / 100, wh % 100, ch, fg);
            } else { /* a 1.2 px line through the middle of the cell */
                int lx = xh + cw / 2 - 60, y0 = vl == 3 ? y * ch + ch / 2 : y * ch;
                int h = vl == 1 ? ch : ch / 2 + 1;
                fprintf(f, "<rect x=\"%d.%02d\" y=\"%d\" width=\"1.2\" height=\"%d\" fill=\"#%06x\"/>\n",
                        lx / 100, lx % 100, y0, h, fg);
            }
        }
        /* Text: one <text> per row, tspans per run of equal colour and weight;
         * every tspan is placed at its column so fonts cannot drift. */
        fprintf(f, "<text y=\"%d\" xml:space=\"preserve\">", y * ch + 13);
        for (int x = 0; x < c->cols;) {
            const llmem_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
            uint32_t fg, bg;
            bool bold;
            cell_rgb(t, cell, &fg, &bg, &bold);
            int x0 = x;
            fprintf(f, "<tspan x=\"%d.%02d\" fill=\"#%06x\"%s>", x0 * cw / 100, x0 * cw % 100, fg,
                    bold ? " font-weight=\"bold\"" : "");
            while (x < c->cols) {
                const llmem_cell *c2 = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
                uint32_t f2, b2;
                bool bo2;
                cell_rgb(t, c2, &f2, &b2, &bo2);
                if (f2 != fg || bo2 != bold) break;
                svg_escape(f, c2->ch);
                x++;
            }
            fputs("</tspan>", f);
        }
        fputs("</text>\n", f);
    }
    return fputs("</svg>\n", f) < 0 ? -1 : 0;
}

llm_code llmem_canvas_write_file(const llmem_canvas *c, const llmem_theme *t, int what,
                                 const char *path, bool overwrite, llm_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return llm_error_set(err, LLM_ERR_IO, "%s: out of memory", path);
    int rc = what == 0   ? llmem_canvas_dump_text(c, f)
             : what == 1 ? llmem_canvas_dump_svg(c, t, f)
                         : llmem_canvas_dump_roles(c, f);
    if (fclose(f) != 0) rc = -1;
    llm_code out = rc == 0 ? llm_write_file_atomic(path, buf, len, overwrite, err)
                           : llm_error_set(err, LLM_ERR_IO, "%s: out of memory", path);
    free(buf);
    return out;
}
