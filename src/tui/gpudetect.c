/* nvidia-smi detection (see gpudetect.h). */
#include "tui/gpudetect.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Registry GPU whose memory is within 10% and whose name shares the most
 * tokens (H100, A100, 80GB, ...) with nvidia-smi's name. */
static const llm_gpu *match_gpu(const llm_registry *r, const char *name, double mib)
{
    const llm_gpu *best = NULL;
    int best_score = 0;
    if (!r) return NULL;
    for (size_t i = 0; i < r->ngpus; i++) {
        const llm_gpu *g = &r->gpus[i];
        double bytes = mib * 1048576.0;
        if (g->memory_bytes <= 0 || fabs(g->memory_bytes - bytes) > 0.1 * g->memory_bytes) continue;
        int score = 0;
        char tok[64];
        const char *s = g->name;
        while (*s) {
            size_t n = 0;
            while (*s && !isalnum((unsigned char)*s)) s++;
            while (isalnum((unsigned char)*s) && n + 1 < sizeof tok) tok[n++] = *s++;
            tok[n] = '\0';
            if (n >= 3) {
                for (const char *p = name; *p; p++)
                    if (strncasecmp(p, tok, n) == 0) {
                        score += isdigit((unsigned char)tok[n - 1]) || n > 4 ? 2 : 1;
                        break;
                    }
            }
        }
        if (score > best_score) {
            best_score = score;
            best = g;
        }
    }
    return best_score >= 2 ? best : NULL;
}

bool llmem_parse_nvidia_smi(const char *text, const llm_registry *r, llmem_machine *out)
{
    memset(out, 0, sizeof *out);
    const char *p = text;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char line[256];
        if (len >= sizeof line) len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = '\0';
        p = e ? e + 1 : NULL;
        char *comma = strrchr(line, ',');
        if (!comma) continue;
        *comma = '\0';
        char *name = line;
        while (isspace((unsigned char)*name)) name++;
        size_t nl = strlen(name);
        while (nl && isspace((unsigned char)name[nl - 1])) name[--nl] = '\0';
        char *end;
        double mib = strtod(comma + 1, &end);
        if (end == comma + 1 || !(mib > 0) || !*name) continue;
        if (out->count == 0) {
            snprintf(out->name, sizeof out->name, "%.95s", name);
            out->memory_mib = mib;
            out->count = 1;
        } else if (strcmp(out->name, name) == 0) {
            out->count++;
        }
    }
    if (out->count) out->match = match_gpu(r, out->name, out->memory_mib);
    return out->count > 0;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

bool llmem_detect_gpus(const llm_registry *r, int timeout_ms, llmem_machine *out)
{
    memset(out, 0, sizeof *out);
    int fd[2];
    if (pipe(fd) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    char *argv[] = {"nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "nvidia-smi", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) { /* not installed: not an error */
        close(fd[0]);
        return false;
    }
    char buf[4096];
    size_t n = 0;
    bool timed_out = false;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        long left = timeout_ms - elapsed_ms(&t0);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {fd[0], POLLIN, 0};
        int pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) {
            timed_out = pr == 0;
            break;
        }
        ssize_t k = read(fd[0], buf + n, sizeof buf - 1 - n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        n += (size_t)k;
        if (n == sizeof buf - 1) break;
    }
    buf[n] = '\0';
    close(fd[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
    return llmem_parse_nvidia_smi(buf, r, out);
}
