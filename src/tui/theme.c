/* Themes: each role's 256-colour index, 8-colour fallback and attributes.
 * RGB values for SVG are derived from the xterm 256-colour palette, so the
 * exported picture uses the same colours as the terminal. */
#include "tui/theme.h"

#include <stdlib.h>
#include <string.h>

/* xterm-256 palette index to 0xRRGGBB. */
static uint32_t xterm_rgb(int i)
{
    static const uint32_t base[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
                                      0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
                                      0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
    if (i < 0) return 0;
    if (i < 16) return base[i];
    if (i < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        int n = i - 16;
        return (uint32_t)(lv[n / 36] << 16 | lv[(n / 6) % 6] << 8 | lv[n % 6]);
    }
    int g = 8 + (i - 232) * 10;
    return (uint32_t)(g << 16 | g << 8 | g);
}

/* Shorthand: S(fg256, bg256, fg8, bg8, bold). */
#define S(f, b, f8, b8, bo) {f, b, f8, b8, 0, 0, bo, false}
#define R(bo) {-1, -1, -1, -1, 0, 0, bo, true}
#define N(bo) {-1, -1, -1, -1, 0, 0, bo, false}

enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE };

static llmem_theme themes[] = {
    {"dark", true, 0x1c1c1c, 0xd0d0d0,
     {
         [LLMEM_ROLE_NORMAL] = S(-1, -1, -1, -1, false),
         [LLMEM_ROLE_DIM] = S(244, -1, WHITE, -1, false),
         [LLMEM_ROLE_TITLE] = S(231, 24, WHITE, BLUE, true),
         [LLMEM_ROLE_FRAME] = S(240, -1, BLUE, -1, false),
         [LLMEM_ROLE_HEADING] = S(117, -1, CYAN, -1, true),
         [LLMEM_ROLE_LABEL] = S(252, -1, -1, -1, false),
         [LLMEM_ROLE_VALUE] = S(231, -1, WHITE, -1, true),
         [LLMEM_ROLE_SELECTED] = S(16, 117, BLACK, CYAN, true),
         [LLMEM_ROLE_FILL] = S(75, -1, CYAN, -1, false),
         [LLMEM_ROLE_KNOB] = S(231, -1, WHITE, -1, true),
         [LLMEM_ROLE_TAB] = S(247, 236, WHITE, -1, false),
         [LLMEM_ROLE_TAB_ACTIVE] = S(16, 214, BLACK, YELLOW, true),
         [LLMEM_ROLE_KEY] = S(214, -1, YELLOW, -1, true),
         [LLMEM_ROLE_WEIGHTS] = S(75, -1, BLUE, -1, false),
         [LLMEM_ROLE_GRADS] = S(141, -1, MAGENTA, -1, false),
         [LLMEM_ROLE_OPTIM] = S(209, -1, RED, -1, false),
         [LLMEM_ROLE_ACT] = S(114, -1, GREEN, -1, false),
         [LLMEM_ROLE_KV] = S(80, -1, CYAN, -1, false),
         [LLMEM_ROLE_OVERHEAD] = S(246, -1, WHITE, -1, false),
         [LLMEM_ROLE_OK] = S(114, -1, GREEN, -1, true),
         [LLMEM_ROLE_WARN] = S(220, -1, YELLOW, -1, true),
         [LLMEM_ROLE_OVER] = S(203, -1, RED, -1, true),
         [LLMEM_ROLE_ACCENT] = S(213, -1, MAGENTA, -1, true),
         [LLMEM_ROLE_OVERLAY] = S(252, 236, WHITE, BLUE, false),
     }},
    {"light", true, 0xffffff, 0x121212,
     {
         [LLMEM_ROLE_NORMAL] = S(16, 231, BLACK, WHITE, false),
         [LLMEM_ROLE_DIM] = S(243, 231, BLACK, WHITE, false),
         [LLMEM_ROLE_TITLE] = S(231, 25, WHITE, BLUE, true),
         [LLMEM_ROLE_FRAME] = S(246, 231, BLUE, WHITE, false),
         [LLMEM_ROLE_HEADING] = S(25, 231, BLUE, WHITE, true),
         [LLMEM_ROLE_LABEL] = S(236, 231, BLACK, WHITE, false),
         [LLMEM_ROLE_VALUE] = S(16, 231, BLACK, WHITE, true),
         [LLMEM_ROLE_SELECTED] = S(231, 25, WHITE, BLUE, true),
         [LLMEM_ROLE_FILL] = S(33, 231, BLUE, WHITE, false),
         [LLMEM_ROLE_KNOB] = S(16, 231, BLACK, WHITE, true),
         [LLMEM_ROLE_TAB] = S(238, 254, BLACK, WHITE, false),
         [LLMEM_ROLE_TAB_ACTIVE] = S(231, 166, WHITE, RED, true),
         [LLMEM_ROLE_KEY] = S(166, 231, RED, WHITE, true),
         [LLMEM_ROLE_WEIGHTS] = S(26, 231, BLUE, WHITE, false),
         [LLMEM_ROLE_GRADS] = S(91, 231, MAGENTA, WHITE, false),
         [LLMEM_ROLE_OPTIM] = S(166, 231, RED, WHITE, false),
         [LLMEM_ROLE_ACT] = S(28, 231, GREEN, WHITE, false),
         [LLMEM_ROLE_KV] = S(30, 231, CYAN, WHITE, false),
         [LLMEM_ROLE_OVERHEAD] = S(243, 231, BLACK, WHITE, false),
         [LLMEM_ROLE_OK] = S(28, 231, GREEN, WHITE, true),
         [LLMEM_ROLE_WARN] = S(130, 231, YELLOW, WHITE, true),
         [LLMEM_ROLE_OVER] = S(160, 231, RED, WHITE, true),
         [LLMEM_ROLE_ACCENT] = S(127, 231, MAGENTA, WHITE, true),
         [LLMEM_ROLE_OVERLAY] = S(16, 254, BLACK, CYAN, false),
     }},
    /* For projectors: saturated colours on black, bold text. */
    {"contrast", true, 0x000000, 0xffffff,
     {
         [LLMEM_ROLE_NORMAL] = S(231, 16, WHITE, BLACK, true),
         [LLMEM_ROLE_DIM] = S(252, 16, WHITE, BLACK, false),
         [LLMEM_ROLE_TITLE] = S(16, 226, BLACK, YELLOW, true),
         [LLMEM_ROLE_FRAME] = S(231, 16, WHITE, BLACK, false),
         [LLMEM_ROLE_HEADING] = S(226, 16, YELLOW, BLACK, true),
         [LLMEM_ROLE_LABEL] = S(231, 16, WHITE, BLACK, true),
         [LLMEM_ROLE_VALUE] = S(231, 16, WHITE, BLACK, true),
         [LLMEM_ROLE_SELECTED] = S(16, 51, BLACK, CYAN, true),
         [LLMEM_ROLE_FILL] = S(51, 16, CYAN, BLACK, true),
         [LLMEM_ROLE_KNOB] = S(226, 16, YELLOW, BLACK, true),
         [LLMEM_ROLE_TAB] = S(231, 16, WHITE, BLACK, true),
         [LLMEM_ROLE_TAB_ACTIVE] = S(16, 226, BLACK, YELLOW, true),
         [LLMEM_ROLE_KEY] = S(226, 16, YELLOW, BLACK, true),
         [LLMEM_ROLE_WEIGHTS] = S(39, 16, BLUE, BLACK, true),
         [LLMEM_ROLE_GRADS] = S(201, 16, MAGENTA, BLACK, true),
         [LLMEM_ROLE_OPTIM] = S(208, 16, RED, BLACK, true),
         [LLMEM_ROLE_ACT] = S(46, 16, GREEN, BLACK, true),
         [LLMEM_ROLE_KV] = S(51, 16, CYAN, BLACK, true),
         [LLMEM_ROLE_OVERHEAD] = S(250, 16, WHITE, BLACK, true),
         [LLMEM_ROLE_OK] = S(46, 16, GREEN, BLACK, true),
         [LLMEM_ROLE_WARN] = S(226, 16, YELLOW, BLACK, true),
         [LLMEM_ROLE_OVER] = S(196, 16, RED, BLACK, true),
         [LLMEM_ROLE_ACCENT] = S(201, 16, MAGENTA, BLACK, true),
         [LLMEM_ROLE_OVERLAY] = S(231, 18, WHITE, BLUE, true),
     }},
    /* No colour at all: attributes only; bars use distinct glyphs. */
    {"mono", false, 0xffffff, 0x000000,
     {
         [LLMEM_ROLE_NORMAL] = N(false),
         [LLMEM_ROLE_DIM] = N(false),
         [LLMEM_ROLE_TITLE] = R(true),
         [LLMEM_ROLE_FRAME] = N(false),
         [LLMEM_ROLE_HEADING] = N(true),
         [LLMEM_ROLE_LABEL] = N(false),
         [LLMEM_ROLE_VALUE] = N(true),
         [LLMEM_ROLE_SELECTED] = R(true),
         [LLMEM_ROLE_FILL] = N(false),
         [LLMEM_ROLE_KNOB] = N(true),
         [LLMEM_ROLE_TAB] = N(false),
         [LLMEM_ROLE_TAB_ACTIVE] = R(true),
         [LLMEM_ROLE_KEY] = N(true),
         [LLMEM_ROLE_WEIGHTS] = N(false),
         [LLMEM_ROLE_GRADS] = N(false),
         [LLMEM_ROLE_OPTIM] = N(false),
         [LLMEM_ROLE_ACT] = N(false),
         [LLMEM_ROLE_KV] = N(false),
         [LLMEM_ROLE_OVERHEAD] = N(false),
         [LLMEM_ROLE_OK] = N(true),
         [LLMEM_ROLE_WARN] = N(true),
         [LLMEM_ROLE_OVER] = N(true),
         [LLMEM_ROLE_ACCENT] = N(true),
         [LLMEM_ROLE_OVERLAY] = N(false),
     }},
};

#define NTHEMES (int)(sizeof themes / sizeof themes[0])

static void fill_rgb(void)
{
    static bool done;
    if (done) return;
    for (int t = 0; t < NTHEMES; t++)
        for (int r = 0; r < LLMEM_ROLE_COUNT; r++) {
            llmem_style *s = &themes[t].role[r];
            s->fg_rgb = s->fg256 < 0 ? themes[t].fg_rgb : xterm_rgb(s->fg256);
            s->bg_rgb = s->bg256 < 0 ? themes[t].bg_rgb : xterm_rgb(s->bg256);
        }
    done = true;
}

const llmem_theme *llmem_theme_at(int i)
{
    fill_rgb();
    return i >= 0 && i < NTHEMES ? &themes[i] : NULL;
}

const llmem_theme *llmem_theme_get(const char *name)
{
    fill_rgb();
    if (!name) return NULL;
    if (strcmp(name, "high-contrast") == 0 || strcmp(name, "hc") == 0) name = "contrast";
    if (strcmp(name, "monochrome") == 0) name = "mono";
    for (int i = 0; i < NTHEMES; i++)
        if (strcmp(themes[i].name, name) == 0) return &themes[i];
    return NULL;
}

const llmem_theme *llmem_theme_next(const llmem_theme *t)
{
    fill_rgb();
    int i = (int)(t - themes);
    return &themes[(i + 1) % NTHEMES];
}

const llmem_theme *llmem_theme_auto(const char *name)
{
    if (name && *name) {
        const llmem_theme *t = llmem_theme_get(name);
        if (t) return t;
    }
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (nc || (term && strcmp(term, "dumb") == 0)) return llmem_theme_get("mono");
    return llmem_theme_get("dark");
}

char llmem_role_letter(int role)
{
    static const char letters[LLMEM_ROLE_COUNT + 1] = ".dtfhlvsikabywgocqenxrmp";
    return role >= 0 && role < LLMEM_ROLE_COUNT ? letters[role] : '?';
}

static const llmem_glyphs unicode_glyphs = {
    {0x2588, 0x2588, 0x2588, 0x2588, 0x2588, 0x2588},
    {0x2588, 0x2593, 0x2592, 0x2591, 0x259a, 0x254c},
    0x2500, 0x2501, 0x25cf,
    {0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a, 0x2589, 0x2588},
    0x2713, 0x2717, 0x25b6, 0x2502, 0x2500, 0x00b7, 0x2192, 0x25b2, 0x25bc,
};

static const llmem_glyphs ascii_glyphs = {
    {'#', '=', '%', ':', '~', '.'},
    {'#', '=', '%', ':', '~', '.'},
    '-', '=', 'O',
    {0, 0, 0, 0, 0, 0, 0, 0},
    '+', 'x', '>', '|', '-', '.', '>', '^', 'v',
};

const llmem_glyphs *llmem_glyphs_get(bool ascii)
{
    return ascii ? &ascii_glyphs : &unicode_glyphs;
}
