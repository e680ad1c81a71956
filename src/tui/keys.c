/* The headless key script (see event.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tui/canvas.h"
#include "tui/event.h"

static const struct {
    const char *name;
    int key;
} named[] = {
    {"up", LLMEM_KEY_UP},         {"down", LLMEM_KEY_DOWN},       {"left", LLMEM_KEY_LEFT},
    {"right", LLMEM_KEY_RIGHT},   {"s-left", LLMEM_KEY_SLEFT},    {"s-right", LLMEM_KEY_SRIGHT},
    {"pgup", LLMEM_KEY_PGUP},     {"pgdn", LLMEM_KEY_PGDN},       {"home", LLMEM_KEY_HOME},
    {"end", LLMEM_KEY_END},       {"enter", LLMEM_KEY_ENTER},     {"cr", LLMEM_KEY_ENTER},
    {"tab", '\t'},                {"s-tab", LLMEM_KEY_BTAB},      {"esc", LLMEM_KEY_ESC},
    {"bs", LLMEM_KEY_BACKSPACE},  {"backspace", LLMEM_KEY_BACKSPACE}, {"del", LLMEM_KEY_DELETE},
    {"space", ' '},               {"lt", '<'},                    {"f1", LLMEM_KEY_F1},
};

static const struct {
    const char *name;
    int kind;
} mice[] = {
    {"click", LLMEM_MOUSE_PRESS},       {"drag", LLMEM_MOUSE_DRAG},
    {"release", LLMEM_MOUSE_RELEASE},   {"wheelup", LLMEM_MOUSE_WHEEL_UP},
    {"wheeldown", LLMEM_MOUSE_WHEEL_DOWN},
};

int llmem_keys_next(const char **s, llmem_event *ev)
{
    const char *p = *s;
    memset(ev, 0, sizeof *ev);
    if (!p || !*p) return 0;
    if (*p != '<') {
        uint32_t cp;
        int n = llmem_utf8_decode(p, &cp);
        ev->type = LLMEM_EV_KEY;
        ev->key = cp == '\n' || cp == '\r' ? LLMEM_KEY_ENTER : (int)cp;
        *s = p + n;
        return 1;
    }
    const char *end = strchr(p, '>');
    if (!end || end - p > 40) return -1;
    char name[48];
    size_t len = (size_t)(end - p - 1);
    memcpy(name, p + 1, len);
    name[len] = '\0';
    if (strcasecmp(name, "tick") == 0) {
        ev->type = LLMEM_EV_TICK;
        *s = end + 1;
        return 1;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcasecmp(name, named[i].name) == 0) {
            ev->type = LLMEM_EV_KEY;
            ev->key = named[i].key;
            *s = end + 1;
            return 1;
        }
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-' && isalpha((unsigned char)name[2])) {
        ev->type = LLMEM_EV_KEY;
        ev->key = tolower((unsigned char)name[2]) - 'a' + 1;
        *s = end + 1;
        return 1;
    }
    char *colon = strchr(name, ':');
    if (!colon) return -1;
    *colon = '\0';
    const char *arg = colon + 1;
    if (strcasecmp(name, "resize") == 0) {
        int w, h;
        char tail;
        if (sscanf(arg, "%dx%d%c", &w, &h, &tail) != 2 || w < 1 || h < 1 || w > 1000 || h > 1000) return -1;
        ev->type = LLMEM_EV_RESIZE;
        ev->cols = w;
        ev->rows = h;
        *s = end + 1;
        return 1;
    }
    for (size_t i = 0; i < sizeof mice / sizeof mice[0]; i++)
        if (strcasecmp(name, mice[i].name) == 0) {
            int x, y;
            char tail;
            if (sscanf(arg, "%d,%d%c", &x, &y, &tail) != 2 || x < 0 || y < 0) return -1;
            ev->type = LLMEM_EV_MOUSE;
            ev->mouse = mice[i].kind;
            ev->x = x;
            ev->y = y;
            *s = end + 1;
            return 1;
        }
    return -1;
}
