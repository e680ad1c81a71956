/* Colour roles and themes.  Widgets name what a cell means (a role); a theme
 * says how each role looks: a 256-colour index, an 8-colour fallback, an RGB
 * value for SVG export, and bold/reverse.  Monochrome is a full theme: bar
 * segments are told apart by glyphs (llmem_glyphs), never by colour alone. */
#ifndef LLMEM_TUI_THEME_H
#define LLMEM_TUI_THEME_H

#include <stdbool.h>
#include <stdint.h>

typedef enum llmem_role {
    LLMEM_ROLE_NORMAL = 0,
    LLMEM_ROLE_DIM,       /* secondary text, empty slider track */
    LLMEM_ROLE_TITLE,     /* title line */
    LLMEM_ROLE_FRAME,     /* boxes */
    LLMEM_ROLE_HEADING,   /* box titles, group headings */
    LLMEM_ROLE_LABEL,     /* slider names */
    LLMEM_ROLE_VALUE,     /* numbers */
    LLMEM_ROLE_SELECTED,  /* the selected slider / row */
    LLMEM_ROLE_FILL,      /* slider filled part */
    LLMEM_ROLE_KNOB,      /* slider knob */
    LLMEM_ROLE_TAB,       /* an inactive view tab */
    LLMEM_ROLE_TAB_ACTIVE,
    LLMEM_ROLE_KEY,       /* key hints in the footer */
    LLMEM_ROLE_WEIGHTS,   /* memory categories */
    LLMEM_ROLE_GRADS,
    LLMEM_ROLE_OPTIM,
    LLMEM_ROLE_ACT,
    LLMEM_ROLE_KV,
    LLMEM_ROLE_OVERHEAD,
    LLMEM_ROLE_OK,        /* fits */
    LLMEM_ROLE_WARN,      /* impossible combination, tight fit */
    LLMEM_ROLE_OVER,      /* does not fit */
    LLMEM_ROLE_ACCENT,    /* chart marks, the current model */
    LLMEM_ROLE_OVERLAY,   /* overlay background */
    LLMEM_ROLE_COUNT
} llmem_role;

/* One role's look. */
typedef struct llmem_style {
    int16_t fg256, bg256; /* -1 = terminal default */
    int16_t fg8, bg8;     /* COLOR_* 0..7, -1 = default */
    uint32_t fg_rgb, bg_rgb; /* for SVG */
    bool bold, reverse;
} llmem_style;

typedef struct llmem_theme {
    const char *name; /* "dark", "light", "contrast", "mono" */
    bool colour;      /* false: monochrome (attributes only) */
    uint32_t bg_rgb, fg_rgb; /* screen default, for SVG */
    llmem_style role[LLMEM_ROLE_COUNT];
} llmem_theme;

/* Themes in switching order ("t" cycles). */
const llmem_theme *llmem_theme_get(const char *name); /* NULL when unknown */
const llmem_theme *llmem_theme_next(const llmem_theme *t);
const llmem_theme *llmem_theme_at(int i); /* NULL past the end */
/* NULL/"" name: "mono" when NO_COLOR is set (any value) or TERM is "dumb",
 * otherwise "dark".  Looks at the environment. */
const llmem_theme *llmem_theme_auto(const char *name);
/* A letter per role for the role layer of golden screens. */
char llmem_role_letter(int role);

/* Glyphs for bars and sliders, Unicode or ASCII.  seg[i] are the fill glyphs
 * of the memory categories (weights, gradients, optimizer, activations, KV,
 * overhead); distinct even without colour. */
typedef struct llmem_glyphs {
    uint32_t seg[6];
    uint32_t seg_mono[6];
    uint32_t track, fill, knob;
    uint32_t eighths[8]; /* partial block 1/8..8/8 (ASCII: none) */
    uint32_t check, cross, mark, vline, hline, dot, arrow;
    uint32_t up, down;
} llmem_glyphs;

const llmem_glyphs *llmem_glyphs_get(bool ascii);

#endif
