/* What the user feels: start-up, one-shot commands, sweep throughput, and
 * what the explorer sends to a real terminal.  Prints figures; asserts
 * nothing about time (the exit status is non-zero only when a program could
 * not be run or misbehaved: crash, hang, non-zero exit).
 *
 * Usage: llmem_bench_term LLMEM [--quick] [--only estimate|sweep|tui|headless]
 *
 *  estimate  `llmem estimate` (default model) with stdout on /dev/null, run
 *            repeatedly: wall time (min, median) and peak RSS (wait4).
 *  sweep     `llmem sweep seq=1:N:+1 --format csv` to /dev/null: rows/s
 *            (rows counted in a separate run through a pipe) and peak RSS.
 *  tui       the explorer on a pseudo-terminal (forkpty) of 120x36: time to
 *            the first complete frame (the last byte before the output goes
 *            quiet), bytes of the first frame, bytes and latency of each slider
 *            step (keys l / h alternately), bytes of a full repaint (Ctrl-L),
 *            peak RSS, exit status after `q`, and whether the alternate screen
 *            was left (terminal restored).
 *  headless  frame time on a headless canvas: `llmem --size WxH --keys K
 *            --dump-screen /dev/null` with N step keys minus the same with
 *            none, divided by N (includes engine, view model, layout and
 *            drawing; not the terminal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *llmem;
static bool quick;
static int problems;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs argv with stdout on `out_fd` (or /dev/null when -1), stderr on
 * /dev/null; returns wall seconds, fills exit status and peak RSS (KiB). */
static double run_wait(char *const argv[], int out_fd, int *status, long *rss_kib)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    struct rusage ru;
    int st = 0;
    while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR) {}
    double t = now() - t0;
    *status = st;
    *rss_kib = ru.ru_maxrss;
    return t;
}

static void describe_status(const char *what, int st)
{
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return;
    problems++;
    if (WIFEXITED(st))
        printf("  PROBLEM: %s exited with status %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("  PROBLEM: %s killed by signal %d\n", what, WTERMSIG(st));
}

static void bench_estimate(void)
{
    char *argv[] = {(char *)llmem, "estimate", NULL};
    int runs = quick ? 10 : 50, st;
    double t[64];
    long rss = 0, r;
    for (int i = 0; i < runs; i++) {
        t[i] = run_wait(argv, -1, &st, &r);
        if (r > rss) rss = r;
        if (i == 0) describe_status("llmem estimate", st);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    printf("one-shot `llmem estimate` (stdout /dev/null, %d runs): min %.2f ms, median %.2f ms, "
           "max %.2f ms; peak RSS %.2f MiB\n",
           runs, t[0] * 1e3, t[runs / 2] * 1e3, t[runs - 1] * 1e3, (double)rss / 1024.0);
}

/* Rows of a command's stdout, counted through a pipe. */
static long count_rows(char *const argv[])
{
    int fd[2];
    if (pipe(fd) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(fd[1], 1);
        dup2(null, 2);
        close(fd[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    static char buf[1 << 16];
    long rows = 0;
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) rows += buf[i] == '\n';
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    describe_status("llmem sweep (counted)", st);
    return rows;
}

/* One sweep: rows/s to /dev/null (best of 3) and peak RSS. */
static void bench_sweep_one(const char *range, const char *set, const char *note)
{
    char *argv[] = {(char *)llmem, "sweep", (char *)range, "--format", "csv",
                    set ? "--set" : NULL, (char *)set, NULL};
    long rows = count_rows(argv);
    int st;
    long rss = 0, r;
    double best = 1e30;
    for (int i = 0; i < 3; i++) {
        double t = run_wait(argv, -1, &st, &r);
        if (r > rss) rss = r;
        if (t < best) best = t;
        if (i == 0) describe_status("llmem sweep", st);
    }
    printf("`llmem sweep %s --format csv%s%s` > /dev/null (%s): %ld rows in %.3f s (best of 3) = "
           "%.0f rows/s; peak RSS %.2f MiB\n",
           range, set ? " --set " : "", set ? set : "", note, rows - 1, best,
           (double)(rows - 1) / best, (double)rss / 1024.0);
}

/* The default preset (Llama-3-8B) carries gpu h100-80gb, so each row also
 * runs the fit check, whose GPU-count search grows with the memory (long
 * sequences need more GPUs).  Without a GPU a row is one estimate. */
static void bench_sweep(void)
{
    bench_sweep_one(quick ? "seq=1:50000:+1" : "seq=1:1000000:+1", "gpu=none",
                    "one estimate per row, no GPU");
    bench_sweep_one(quick ? "tokens=1:20000:+1" : "tokens=1:1000000:+1", NULL,
                    "estimate + fit check on h100-80gb, constant memory");
    bench_sweep_one(quick ? "seq=1:10000:+1" : "seq=1:200000:+1", NULL,
                    "estimate + fit check on h100-80gb, growing memory");
}

/* ---- pseudo-terminal ------------------------------------------------------ */

typedef struct session {
    pid_t pid;
    int fd;
    bool eof;
    size_t total;
    char tail[64]; /* the last bytes received, to see how the program left the screen */
    size_t ntail;
} session;

static void spawn(session *s, char *const argv[], int cols, int rows)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    memset(s, 0, sizeof *s);
    s->pid = forkpty(&s->fd, NULL, NULL, &ws);
    if (s->pid < 0) {
        perror("forkpty");
        exit(2);
    }
    if (s->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("NO_COLOR");
        execv(argv[0], argv);
        _exit(127);
    }
}

/* Reads until the output has been quiet for quiet_ms (or max_ms in all, or
 * end of file).  Returns the bytes read; *last is the time of the last byte. */
static size_t drain(session *s, int quiet_ms, int max_ms, double *last)
{
    char buf[65536];
    size_t got = 0;
    double start = now();
    *last = start;
    while (!s->eof) {
        int left = max_ms - (int)((now() - start) * 1e3);
        if (left <= 0) break;
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        int r = poll(&p, 1, quiet_ms < left ? quiet_ms : left);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) break;
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n <= 0) {
            s->eof = true; /* EIO: the slave side is closed */
            break;
        }
        *last = now();
        got += (size_t)n;
        s->total += (size_t)n;
        for (ssize_t i = 0; i < n; i++) {
            if (s->ntail == sizeof s->tail) {
                memmove(s->tail, s->tail + 1, sizeof s->tail - 1);
                s->ntail--;
            }
            s->tail[s->ntail++] = buf[i];
        }
    }
    return got;
}

static void send_keys(session *s, const char *k)
{
    size_t n = strlen(k);
    if (write(s->fd, k, n) != (ssize_t)n) perror("write");
}

static bool tail_has(const session *s, const char *seq)
{
    size_t n = strlen(seq);
    for (size_t i = 0; i + n <= s->ntail; i++)
        if (memcmp(s->tail + i, seq, n) == 0) return true;
    return false;
}

/* Start-up to the first complete frame, several times (min and median). */
static void bench_first_frame(int cols, int rows)
{
    char *argv[] = {(char *)llmem, NULL};
    int runs = quick ? 3 : 9;
    double t[16];
    size_t bytes = 0;
    for (int i = 0; i < runs; i++) {
        session s;
        double t0 = now(), last;
        spawn(&s, argv, cols, rows);
        bytes = drain(&s, 300, 10000, &last);
        t[i] = bytes && !s.eof ? last - t0 : 1e9;
        send_keys(&s, "q");
        drain(&s, 200, 3000, &last);
        kill(s.pid, SIGKILL); /* gone already after q; this only makes sure */
        waitpid(s.pid, NULL, 0);
        close(s.fd);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    if (t[runs - 1] >= 1e9) {
        printf("explorer %dx%d: some starts drew nothing\n", cols, rows);
        problems++;
    }
    printf("explorer %dx%d on a pty, start-up to first complete frame (%d starts): min %.1f ms, "
           "median %.1f ms (%zu bytes)\n",
           cols, rows, runs, t[0] * 1e3, t[runs / 2] * 1e3, bytes);
}

static void bench_tui_size(int cols, int rows)
{
    char *argv[] = {(char *)llmem, NULL};
    session s;
    double t0 = now(), last;
    spawn(&s, argv, cols, rows);
    size_t first = drain(&s, 300, 10000, &last);
    double t_first = last - t0;
    if (first == 0 || s.eof) {
        printf("explorer %dx%d: no first frame (%zu bytes, %s)\n", cols, rows, first,
               s.eof ? "exited" : "silent");
        problems++;
        kill(s.pid, SIGKILL);
        waitpid(s.pid, NULL, 0);
        close(s.fd);
        return;
    }
    printf("explorer %dx%d on a pty: first frame %.1f ms after fork (last byte before 300 ms of "
           "quiet), %zu bytes (terminal set-up included)\n",
           cols, rows, t_first * 1e3, first);

    int steps = quick ? 10 : 40;
    size_t bytes[64], sum = 0, mn = SIZE_MAX, mx = 0, zero = 0;
    double lat[64];
    for (int i = 0; i < steps; i++) {
        double k0 = now();
        send_keys(&s, (i & 1) ? "h" : "l");
        bytes[i] = drain(&s, 150, 3000, &last);
        lat[i] = bytes[i] ? (last - k0) * 1e3 : 0;
        sum += bytes[i];
        if (bytes[i] < mn) mn = bytes[i];
        if (bytes[i] > mx) mx = bytes[i];
        if (!bytes[i]) zero++;
    }
    qsort(lat, (size_t)steps, sizeof lat[0], cmp_double);
    printf("  slider step (keys l,h alternately, %d steps): mean %.0f B, min %zu B, max %zu B per "
           "step; key-to-last-byte median %.2f ms, max %.2f ms%s\n",
           steps, (double)sum / steps, mn, mx, lat[steps / 2], lat[steps - 1],
           zero ? " (some steps sent nothing)" : "");

    send_keys(&s, "2");
    size_t view = drain(&s, 300, 3000, &last);
    send_keys(&s, "1");
    size_t view_back = drain(&s, 300, 3000, &last);
    printf("  view switch (keys 2 then 1): %zu B and %zu B\n", view, view_back);

    send_keys(&s, "\f"); /* Ctrl-L: full repaint, where bound */
    size_t repaint = drain(&s, 300, 3000, &last);
    /* A resize away and back: the second relayout repaints every cell. */
    struct winsize ws = {.ws_row = (unsigned short)(rows - 1), .ws_col = (unsigned short)cols};
    ioctl(s.fd, TIOCSWINSZ, &ws);
    drain(&s, 300, 3000, &last);
    ws.ws_row = (unsigned short)rows;
    double r0 = now();
    ioctl(s.fd, TIOCSWINSZ, &ws);
    size_t resize = drain(&s, 300, 3000, &last);
    printf("  full repaint: Ctrl-L %zu B%s; resize back to %dx%d %zu B (SIGWINCH to last byte "
           "%.2f ms)\n",
           repaint, repaint ? "" : " (not bound)", cols, rows, resize, (last - r0) * 1e3);

    send_keys(&s, "q");
    drain(&s, 300, 3000, &last);
    struct rusage ru;
    int st = 0;
    pid_t w = 0;
    for (int i = 0; i < 300 && (w = wait4(s.pid, &st, WNOHANG, &ru)) == 0; i++) usleep(10000);
    if (w == 0) {
        printf("  PROBLEM: still running 3 s after q; killed\n");
        problems++;
        kill(s.pid, SIGKILL);
        wait4(s.pid, &st, 0, &ru);
    } else {
        describe_status("explorer", st);
    }
    bool restored = tail_has(&s, "\033[?1049l") || tail_has(&s, "\033[?47l");
    printf("  after q: exit %s, peak RSS %.2f MiB, alternate screen left: %s, %zu bytes in all\n",
           WIFEXITED(st) ? (WEXITSTATUS(st) == 0 ? "0" : "non-zero") : "by signal",
           (double)ru.ru_maxrss / 1024.0, restored ? "yes" : "NO", s.total);
    if (!restored) problems++;
    close(s.fd);
}

static void bench_headless(int cols, int rows)
{
    char size[32];
    snprintf(size, sizeof size, "%dx%d", cols, rows);
    int nkeys = quick ? 200 : 2000;
    char *keys = malloc((size_t)nkeys + 1);
    for (int i = 0; i < nkeys; i++) keys[i] = (i & 1) ? 'h' : 'l';
    keys[nkeys] = 0;
    char *none[] = {(char *)llmem, "--size", size, "--keys", "", "--dump-screen", "/dev/null", NULL};
    char *many[] = {(char *)llmem, "--size", size, "--keys", keys, "--dump-screen", "/dev/null", NULL};
    double t0 = 1e30, t1 = 1e30;
    int st;
    long rss = 0, r;
    for (int i = 0; i < 5; i++) {
        double a = run_wait(none, -1, &st, &r);
        if (i == 0) describe_status("headless explorer (no keys)", st);
        double b = run_wait(many, -1, &st, &r);
        if (i == 0) describe_status("headless explorer (keys)", st);
        if (r > rss) rss = r;
        if (a < t0) t0 = a;
        if (b < t1) t1 = b;
    }
    printf("headless %s: %.2f ms with no keys, %.2f ms with %d slider steps -> %.3f ms per "
           "frame (best of 5); peak RSS %.2f MiB\n",
           size, t0 * 1e3, t1 * 1e3, nkeys, (t1 - t0) * 1e3 / nkeys, (double)rss / 1024.0);
    free(keys);
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = true;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else if (!llmem) llmem = argv[i];
    }
    if (!llmem || access(llmem, X_OK) != 0) {
        fprintf(stderr, "usage: llmem_bench_term PATH-TO-LLMEM [--quick] [--only WHAT]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!only || strcmp(only, "estimate") == 0) bench_estimate();
    if (!only || strcmp(only, "sweep") == 0) bench_sweep();
    if (!only || strcmp(only, "headless") == 0) {
        bench_headless(120, 36);
        bench_headless(240, 70);
    }
    if (!only || strcmp(only, "tui") == 0) {
        bench_first_frame(120, 36);
        bench_tui_size(120, 36);
        if (!quick) bench_tui_size(240, 70);
    }
    if (problems) printf("%d problem(s) seen: see PROBLEM lines above\n", problems);
    return problems ? 1 : 0;
}
