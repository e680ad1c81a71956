/* The one terminal module: the only code that includes curses.
 * Opens and restores the terminal, sets up colours for a theme, blits a
 * canvas (ncurses sends only the cells that changed), and waits for input
 * without busy-looping (poll on the terminal and a signal self-pipe).
 * Signal handlers only set a flag and write one byte to the pipe. */
#ifndef LLMEM_TUI_TERM_H
#define LLMEM_TUI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/canvas.h"
#include "tui/event.h"
#include "tui/theme.h"

/* Initialises curses on the controlling terminal.  Installs SIGINT, SIGTERM
 * and SIGHUP handlers and an atexit() restore.  False (with a message) when
 * there is no usable terminal. */
bool llmem_term_open(char *err, size_t cap);
/* Restores the terminal (idempotent; also runs at exit). */
void llmem_term_close(void);
bool llmem_term_is_open(void);
void llmem_term_size(int *cols, int *rows);
/* False when the terminal shows no colour (then only the mono theme fits). */
bool llmem_term_has_colour(void);
void llmem_term_set_theme(const llmem_theme *t);
void llmem_term_blit(const llmem_canvas *c);
/* The next blit sends every cell, not only the changed ones (Ctrl-L). */
void llmem_term_repaint(void);
/* Waits for the next event; timeout_ms < 0 waits forever.  Returns false on
 * timeout. */
bool llmem_term_next(llmem_event *ev, int timeout_ms);

#endif
