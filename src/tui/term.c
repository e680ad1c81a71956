/* The terminal (see term.h).  The only file that includes curses. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;
static int sig_pipe[2] = {-1, -1};
static bool is_open;
static SCREEN *screen;
static bool colour_ok;
static const llmem_theme *cur_theme;
static attr_t role_attr[LLMEM_ROLE_COUNT];
static short role_pair[LLMEM_ROLE_COUNT];

static void on_signal(int sig)
{
    int saved = errno;
    got_signal = sig;
    if (sig_pipe[1] >= 0) {
        char b = 1;
        ssize_t n = write(sig_pipe[1], &b, 1);
        (void)n;
    }
    errno = saved;
}

/* A crash (SIGSEGV, SIGABRT, ...) cannot run curses code: the handler puts
 * the saved terminal modes back and writes the few escapes that leave the
 * alternate screen, show the cursor and stop mouse reporting (write() and
 * tcsetattr() are async-signal-safe), then dies of the same signal. */
static struct termios saved_modes;
static bool have_saved_modes;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void on_fatal(int sig)
{
    static const char reset[] = "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[0m\033[?1049l\033[?25h\r\n";
    if (is_open) {
        if (have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
        ssize_t n = write(STDOUT_FILENO, reset, sizeof reset - 1);
        (void)n;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void restore_at_exit(void)
{
    llmem_term_close();
}

bool llmem_term_open(char *err, size_t cap)
{
    if (is_open) return true;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, cap, "the explorer needs a terminal (use --dump-screen for headless output)");
        return false;
    }
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0) {
        snprintf(err, cap, "TERM=%s cannot show the explorer (no cursor addressing); "
                           "use 'llmem estimate' or --size COLSxROWS --dump-screen FILE",
                 term ? term : "");
        return false;
    }
    if (pipe(sig_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    have_saved_modes = tcgetattr(STDIN_FILENO, &saved_modes) == 0;
    struct sigaction fa;
    memset(&fa, 0, sizeof fa);
    fa.sa_handler = on_fatal;
    sigemptyset(&fa.sa_mask);
    fa.sa_flags = (int)SA_RESETHAND;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        sigaction(fatal_signals[i], &fa, NULL);
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        snprintf(err, cap, "cannot initialise the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
        return false;
    }
    is_open = true;
    atexit(restore_at_exit);
    const char *cup = tigetstr("cup");
    if (!cup || cup == (const char *)-1) { /* a terminal we cannot draw on */
        llmem_term_close();
        snprintf(err, cap, "TERM=%s has no cursor addressing; use 'llmem estimate' or --dump-screen", term);
        return false;
    }
    cbreak(); /* Ctrl-C still raises SIGINT: the handler sets a flag */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home and End arrive in several forms whatever terminfo says (tmux and
     * screen send \e[1~ \e[4~ under TERM=xterm-256color, rxvt \e[7~ \e[8~,
     * xterm \e[H \e[F or \eOH \eOF).  Unknown, they would leak their
     * digits as keys ('1' and '4' switch views), so all of them are taught
     * to ncurses (define_key is an ncurses extension; a form terminfo already
     * knows is simply defined again). */
    static const char *const home_seq[] = {"\033[1~", "\033[7~", "\033[H", "\033OH"};
    static const char *const end_seq[] = {"\033[4~", "\033[8~", "\033[F", "\033OF"};
    for (size_t i = 0; i < sizeof home_seq / sizeof home_seq[0]; i++) {
        define_key(home_seq[i], KEY_HOME);
        define_key(end_seq[i], KEY_END);
    }
    nodelay(stdscr, TRUE); /* we wait in poll(), not in getch() */
    set_escdelay(150); /* long enough for sequences split over SSH */
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED |
                  REPORT_MOUSE_POSITION,
              NULL);
    mouseinterval(0);
    colour_ok = has_colors();
    if (colour_ok) {
        start_color();
        use_default_colors();
    }
    return true;
}

void llmem_term_close(void)
{
    if (!is_open) return;
    is_open = false;
    mousemask(0, NULL);
    curs_set(1);
    endwin();
    delscreen(screen);
    screen = NULL;
}

bool llmem_term_is_open(void)
{
    return is_open;
}

void llmem_term_size(int *cols, int *rows)
{
    *cols = COLS;
    *rows = LINES;
}

bool llmem_term_has_colour(void)
{
    return colour_ok;
}

void llmem_term_set_theme(const llmem_theme *t)
{
    cur_theme = t;
    bool c256 = COLORS >= 256;
    for (int r = 0; r < LLMEM_ROLE_COUNT; r++) {
        const llmem_style *s = &t->role[r];
        attr_t a = A_NORMAL;
        if (s->bold) a |= A_BOLD;
        if (s->reverse) a |= A_REVERSE;
        role_pair[r] = 0;
        if (t->colour && colour_ok) {
            short fg = (short)(c256 ? s->fg256 : s->fg8), bg = (short)(c256 ? s->bg256 : s->bg8);
            if (init_pair((short)(r + 1), fg, bg) == OK) role_pair[r] = (short)(r + 1);
        }
        role_attr[r] = a;
    }
    /* the screen background follows the theme's normal role */
    bkgdset((chtype)' ' | COLOR_PAIR(role_pair[0]));
}

void llmem_term_repaint(void)
{
    if (is_open) clearok(curscr, TRUE);
}

void llmem_term_blit(const llmem_canvas *c)
{
    int rows = c->rows < LINES ? c->rows : LINES, cols = c->cols < COLS ? c->cols : COLS;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++) {
            const llmem_cell *cell = llmem_canvas_at(c, x, y);
            int r = cell->role < LLMEM_ROLE_COUNT ? cell->role : 0;
            wchar_t wc[2] = {(wchar_t)cell->ch, 0};
            if (c->ascii && cell->ch >= 0x80) wc[0] = '?';
            attr_t a = role_attr[r] | (cell->bold ? A_BOLD : A_NORMAL);
            cchar_t cc;
            setcchar(&cc, wc, a, role_pair[r], NULL);
            mvadd_wch(y, x, &cc);
        }
    wnoutrefresh(stdscr);
    doupdate();
}

static int map_key(int ch)
{
    switch (ch) {
    case KEY_UP: return LLMEM_KEY_UP;
    case KEY_DOWN: return LLMEM_KEY_DOWN;
    case KEY_LEFT: return LLMEM_KEY_LEFT;
    case KEY_RIGHT: return LLMEM_KEY_RIGHT;
    case KEY_SLEFT: return LLMEM_KEY_SLEFT;
    case KEY_SRIGHT: return LLMEM_KEY_SRIGHT;
    case KEY_PPAGE: return LLMEM_KEY_PGUP;
    case KEY_NPAGE: return LLMEM_KEY_PGDN;
    case KEY_HOME: return LLMEM_KEY_HOME;
    case KEY_END: return LLMEM_KEY_END;
    case KEY_BTAB: return LLMEM_KEY_BTAB;
    case KEY_BACKSPACE: return LLMEM_KEY_BACKSPACE;
    case KEY_DC: return LLMEM_KEY_DELETE;
    case KEY_ENTER: return LLMEM_KEY_ENTER;
    case KEY_F(1): return LLMEM_KEY_F1;
    case '\r': case '\n': return LLMEM_KEY_ENTER;
    case 27: return LLMEM_KEY_ESC;
    case 127: return LLMEM_KEY_BACKSPACE;
    default: return ch;
    }
}

/* When press and release reach ncurses in one read (a quick click over SSH
 * often arrives in one packet), it reports only the release.  A release with
 * no press before it is delivered as a press followed by that release. */
static bool button_down;
static bool release_pending;
static llmem_event pending_release;

/* One pending input from curses, if any. */
static bool read_curses(llmem_event *ev)
{
    if (release_pending) {
        release_pending = false;
        *ev = pending_release;
        return true;
    }
    wint_t wch;
    int rc = get_wch(&wch);
    if (rc == ERR) return false;
    memset(ev, 0, sizeof *ev);
    if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
        ev->type = LLMEM_EV_RESIZE;
        ev->cols = COLS;
        ev->rows = LINES;
        return true;
    }
    if (rc == KEY_CODE_YES && wch == KEY_MOUSE) {
        MEVENT me;
        if (getmouse(&me) != OK) return false;
        ev->type = LLMEM_EV_MOUSE;
        ev->x = me.x;
        ev->y = me.y;
        if (me.bstate & BUTTON1_PRESSED) ev->mouse = LLMEM_MOUSE_PRESS;
        else if (me.bstate & BUTTON1_RELEASED) ev->mouse = LLMEM_MOUSE_RELEASE;
        else if (me.bstate & BUTTON4_PRESSED) ev->mouse = LLMEM_MOUSE_WHEEL_UP;
        else if (me.bstate & BUTTON5_PRESSED) ev->mouse = LLMEM_MOUSE_WHEEL_DOWN;
        else if (me.bstate & REPORT_MOUSE_POSITION) ev->mouse = LLMEM_MOUSE_DRAG;
        else return false;
        if (ev->mouse == LLMEM_MOUSE_PRESS) button_down = true;
        if (ev->mouse == LLMEM_MOUSE_RELEASE) {
            if (!button_down) {
                pending_release = *ev;
                release_pending = true;
                ev->mouse = LLMEM_MOUSE_PRESS;
                return true;
            }
            button_down = false;
        }
        return true;
    }
    ev->type = LLMEM_EV_KEY;
    ev->key = map_key(rc == KEY_CODE_YES ? (int)wch : (int)wch);
    if (rc == KEY_CODE_YES) ev->key = map_key((int)wch);
    return true;
}

bool llmem_term_next(llmem_event *ev, int timeout_ms)
{
    for (;;) {
        if (got_signal) {
            memset(ev, 0, sizeof *ev);
            ev->type = LLMEM_EV_QUIT;
            ev->key = got_signal; /* which signal, for the exit status */
            got_signal = 0;
            return true;
        }
        if (read_curses(ev)) return true;
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {sig_pipe[0], POLLIN, 0}};
        int n = poll(fds, sig_pipe[0] >= 0 ? 2 : 1, timeout_ms);
        if (n == 0) return false;
        if (n < 0 && errno != EINTR) return false;
        if (n > 0 && (fds[1].revents & POLLIN)) {
            char buf[16];
            while (read(sig_pipe[0], buf, sizeof buf) > 0) {
            }
        }
        if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR))) {
            memset(ev, 0, sizeof *ev);
            ev->type = LLMEM_EV_QUIT; /* the terminal went away: as SIGHUP */
            ev->key = SIGHUP;
            return true;
        }
        /* EINTR (e.g. SIGWINCH): loop; curses then reports KEY_RESIZE */
    }
}
