/* Pure layout (see layout.h). */
#include "tui/layout.h"

bool llmem_rect_overlap(llmem_rect a, llmem_rect b)
{
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0) return false;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool llmem_rect_contains(llmem_rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

llmem_rect llmem_rect_inner(llmem_rect r)
{
    llmem_rect in = {r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    if (in.w < 0) in.w = 0;
    if (in.h < 0) in.h = 0;
    return in;
}

llmem_layout llmem_layout_compute(int cols, int rows)
{
    llmem_layout l = {0};
    l.cols = cols;
    l.rows = rows;
    if (cols < LLMEM_MIN_COLS || rows < LLMEM_MIN_ROWS) {
        l.mode = LLMEM_LAYOUT_TOO_SMALL;
        l.message = (llmem_rect){0, 0, cols > 0 ? cols : 0, rows > 0 ? rows : 0};
        return l;
    }
    bool full = cols >= LLMEM_FULL_COLS && rows >= LLMEM_FULL_ROWS;
    l.mode = full ? LLMEM_LAYOUT_FULL : LLMEM_LAYOUT_COMPACT;
    /* The slider panel has a fixed width: label, value, a track. */
    int kw = full ? 46 : 33;
    l.title = (llmem_rect){0, 0, cols, 1};
    l.tabs = (llmem_rect){0, 1, cols, 1};
    l.knobs = (llmem_rect){0, 2, kw, rows - 4};
    l.main = (llmem_rect){kw, 2, cols - kw, rows - 4};
    l.status = (llmem_rect){0, rows - 2, cols, 1};
    l.footer = (llmem_rect){0, rows - 1, cols, 1};
    return l;
}
