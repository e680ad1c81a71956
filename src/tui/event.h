/* Input events, independent of curses: term.c turns curses input into these
 * and the headless key script (keys.c) produces the same. */
#ifndef LLMEM_TUI_EVENT_H
#define LLMEM_TUI_EVENT_H

#include <stddef.h>

/* Special keys live above Unicode; printable keys are their code point;
 * control keys are 1..31 (Ctrl-R = 18, Enter = 13/10, Tab = 9, Esc = 27). */
enum {
    LLMEM_KEY_UP = 0x110000,
    LLMEM_KEY_DOWN,
    LLMEM_KEY_LEFT,
    LLMEM_KEY_RIGHT,
    LLMEM_KEY_SLEFT,  /* Shift+arrow: big steps */
    LLMEM_KEY_SRIGHT,
    LLMEM_KEY_PGUP,
    LLMEM_KEY_PGDN,
    LLMEM_KEY_HOME,
    LLMEM_KEY_END,
    LLMEM_KEY_BTAB,   /* Shift+Tab */
    LLMEM_KEY_BACKSPACE,
    LLMEM_KEY_DELETE,
    LLMEM_KEY_ENTER,
    LLMEM_KEY_ESC,
    LLMEM_KEY_F1
};

typedef enum llmem_event_type {
    LLMEM_EV_NONE = 0,
    LLMEM_EV_KEY,
    LLMEM_EV_MOUSE,
    LLMEM_EV_RESIZE, /* cols/rows: the new size */
    LLMEM_EV_QUIT,   /* a signal asked us to stop */
    LLMEM_EV_TICK    /* talk mode: the timer ran out (headless: <Tick>) */
} llmem_event_type;

typedef enum llmem_mouse_kind {
    LLMEM_MOUSE_PRESS = 1, /* left button down */
    LLMEM_MOUSE_DRAG,      /* moved with the left button down */
    LLMEM_MOUSE_RELEASE,
    LLMEM_MOUSE_WHEEL_UP,
    LLMEM_MOUSE_WHEEL_DOWN
} llmem_mouse_kind;

typedef struct llmem_event {
    llmem_event_type type;
    int key;        /* LLMEM_EV_KEY */
    int mouse;      /* llmem_mouse_kind */
    int x, y;       /* mouse cell (0-based) */
    int cols, rows; /* LLMEM_EV_RESIZE */
} llmem_event;

/* The headless key script.  Plain characters are keys; escapes in angle
 * brackets (case-insensitive):
 *   <Up> <Down> <Left> <Right> <S-Left> <S-Right> <PgUp> <PgDn> <Home> <End>
 *   <Enter> <Tab> <S-Tab> <Esc> <BS> <Del> <Space> <lt> (a literal '<')
 *   <C-x> (Ctrl + letter, e.g. <C-r> redo, <C-c>)
 *   <Click:X,Y> <Drag:X,Y> <Release:X,Y> <WheelUp:X,Y> <WheelDown:X,Y>  (0-based cell)
 *   <Resize:COLSxROWS>
 *   <Tick>  (talk mode: the auto-advance timer fires)
 * Parses the next event from *s and advances it; returns 0 at the end, -1 on
 * a malformed escape (*s then points at it). */
int llmem_keys_next(const char **s, llmem_event *ev);

#endif
