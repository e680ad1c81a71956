/* Writing an output file: through symbolic links, in place for devices and
 * pipes, otherwise temporary file + fsync + rename.  See llmem/atomic_file.h. */
#include "llmem/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096
#define MAX_LINKS 40 /* like the kernel's own limit on a chain of links */

static llm_code sys_error(llm_error *err, const char *path, const char *what)
{
    int e = errno;
    return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "%s: %s", what, strerror(e));
}

/* The directory part of path ("." when there is none, "/" for "/x"). */
static void dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(dir, cap, ".");
    else if (slash == path) snprintf(dir, cap, "/");
    else snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

static bool under_proc(const char *p) { return strncmp(p, "/proc/", 6) == 0; }

/* Follows a chain of symbolic links from `path` to the name that is not a
 * link (it may not exist: a dangling link's target).  *via_proc is set when
 * the chain passes through /proc (the /dev/stdout -> /proc/self/fd/1 kind:
 * such "magic" links cannot be renamed onto). */
static llm_code resolve(const char *path, char *out, size_t cap, bool *via_proc, llm_error *err)
{
    char cur[PATH_CAP];
    if (snprintf(cur, sizeof cur, "%s", path) >= (int)sizeof cur)
        return llm_error_set_at(err, LLM_ERR_USAGE, path, 0, 0, "the file name is too long");
    *via_proc = under_proc(cur);
    for (int hop = 0;; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) break; /* missing or not a link */
        if (hop == MAX_LINKS)
            return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "too many levels of symbolic links");
        char target[PATH_CAP];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) return sys_error(err, path, "cannot read the symbolic link");
        if ((size_t)n >= sizeof target - 1)
            return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "the link's target is too long");
        target[n] = '\0';
        char next[PATH_CAP];
        if (target[0] == '/') {
            snprintf(next, sizeof next, "%s", target);
        } else {
            char dir[PATH_CAP];
            dir_of(cur, dir, sizeof dir);
            if (snprintf(next, sizeof next, "%s/%s", dir, target) >= (int)sizeof next)
                return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "the link's target is too long");
        }
        memcpy(cur, next, sizeof cur);
        if (under_proc(cur)) *via_proc = true;
    }
    if (snprintf(out, cap, "%s", cur) >= (int)cap)
        return llm_error_set_at(err, LLM_ERR_USAGE, path, 0, 0, "the file name is too long");
    return LLM_OK;
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            return false;
        }
        done += (size_t)w;
    }
    return true;
}

/* A device, FIFO, pipe or /proc file: opened and written where it is. */
static llm_code write_in_place(const char *path, const void *data, size_t len, llm_error *err)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return sys_error(err, path, "cannot open for writing");
    if (!write_all(fd, data, len)) {
        llm_code rc = sys_error(err, path, "cannot write");
        close(fd);
        return rc;
    }
    if (close(fd) != 0) return sys_error(err, path, "cannot write");
    return LLM_OK;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: the rename is already done */
        close(fd);
    }
}

/* ".NAME.<pid>.<n>.tmp" next to the target, created with O_EXCL (mode 0666,
 * so the umask applies as it would to the file itself). */
static int make_temp(const char *target, const char *dir, char *tmp, size_t cap)
{
    static unsigned counter; /* only makes names distinct; O_EXCL decides */
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned n = counter++;
        if (snprintf(tmp, cap, "%s/.%s.%ld.%u.tmp", dir, base, (long)getpid(), n) >= (int)cap) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

llm_code llm_write_file_atomic(const char *path, const void *data, size_t len, bool overwrite,
                               llm_error *err)
{
    if (!path || !path[0]) return llm_error_set(err, LLM_ERR_USAGE, "no file name to write to");
    if (len && !data) return llm_error_set(err, LLM_ERR_USAGE, "no data to write");

    /* Whatever the path finally names, following every link. */
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) return sys_error(err, path, "cannot write");
    if (exists && S_ISDIR(st.st_mode))
        return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "is a directory");

    char target[PATH_CAP];
    bool via_proc = false;
    llm_code rc = resolve(path, target, sizeof target, &via_proc, err);
    if (rc) return rc;
    if (exists && (!S_ISREG(st.st_mode) || via_proc)) return write_in_place(path, data, len, err);
    if (exists && !overwrite)
        return llm_error_set_at(err, LLM_ERR_EXISTS, path, 0, 0,
                                "already exists; not replacing it without overwrite");

    char dir[PATH_CAP], tmp[PATH_CAP + 64];
    dir_of(target, dir, sizeof dir);
    int fd = make_temp(target, dir, tmp, sizeof tmp);
    if (fd < 0) return sys_error(err, path, "cannot create a temporary file");
    /* An existing file keeps its permissions. */
    if (exists) (void)fchmod(fd, st.st_mode & 07777);
    if (!write_all(fd, data, len) || fsync(fd) != 0) {
        rc = sys_error(err, path, "cannot write");
        close(fd);
        unlink(tmp);
        return rc;
    }
    if (close(fd) != 0) {
        rc = sys_error(err, path, "cannot write");
        unlink(tmp);
        return rc;
    }
    if (overwrite) {
        if (rename(tmp, target) != 0) {
            rc = sys_error(err, path, "cannot rename the temporary file");
            unlink(tmp);
            return rc;
        }
    } else {
        /* link() fails if the name appeared meanwhile: nothing is replaced */
        if (link(tmp, target) != 0) {
            int e = errno;
            struct stat st2;
            if ((e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EXDEV) &&
                lstat(target, &st2) != 0 && errno == ENOENT && rename(tmp, target) == 0) {
                /* no hard links on this filesystem: checked, then renamed */
                fsync_dir(dir);
                return LLM_OK;
            }
            unlink(tmp);
            errno = e;
            if (e == EEXIST)
                return llm_error_set_at(err, LLM_ERR_EXISTS, path, 0, 0,
                                        "already exists; not replacing it without overwrite");
            return sys_error(err, path, "cannot create the file");
        }
        unlink(tmp);
    }
    fsync_dir(dir);
    return LLM_OK;
}
