/* llm_write_file_atomic: symbolic links are written through (the link stays a
 * link, its target gets the content; a dangling link's target is created),
 * devices, FIFOs and pipes are written in place, an existing regular file is
 * replaced only with overwrite (and keeps its permissions), a directory is an
 * error, and no temporary file is ever left in the directory. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "llmem/atomic_file.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/llmem-atomic-XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void in_dir(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmpdir, name);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole file as a string ("" when it cannot be read). */
static const char *slurp(const char *path)
{
    static char buf[4096];
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static bool is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* No ".NAME.*.tmp" (or anything else but the expected names) in dir. */
static void no_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp")) fail_msg("left behind: %s", e->d_name);
    }
    closedir(d);
}

static llm_code write_str(const char *path, const char *text, bool overwrite, llm_error *e)
{
    return llm_write_file_atomic(path, text, strlen(text), overwrite, e);
}

static void test_new_and_overwrite(void **state)
{
    (void)state;
    char p[512];
    llm_error e;
    in_dir(p, sizeof p, "plain.txt");
    assert_int_equal(write_str(p, "first\n", false, &e), LLM_OK);
    assert_string_equal(slurp(p), "first\n");

    /* refused without overwrite: the file is untouched */
    assert_int_equal(write_str(p, "second\n", false, &e), LLM_ERR_EXISTS);
    assert_non_null(strstr(e.message, "already exists"));
    assert_string_equal(e.path, p);
    assert_string_equal(slurp(p), "first\n");

    /* replaced with overwrite; the permission bits are kept */
    assert_int_equal(chmod(p, 0600), 0);
    assert_int_equal(write_str(p, "third\n", true, &e), LLM_OK);
    assert_string_equal(slurp(p), "third\n");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* an empty write makes an empty file */
    assert_int_equal(llm_write_file_atomic(p, NULL, 0, true, &e), LLM_OK);
    assert_string_equal(slurp(p), "");
    no_temp_files(tmpdir);
}

static void test_symlink_to_file(void **state)
{
    (void)state;
    char target[512], link1[512], link2[512];
    llm_error e;
    in_dir(target, sizeof target, "target.txt");
    in_dir(link1, sizeof link1, "link1");
    in_dir(link2, sizeof link2, "link2");
    put_file(target, "old\n");
    assert_int_equal(symlink("target.txt", link1), 0); /* relative */
    assert_int_equal(symlink(link1, link2), 0);        /* absolute, a chain of two */

    /* an existing target is still protected without overwrite */
    assert_int_equal(write_str(link1, "new\n", false, &e), LLM_ERR_EXISTS);
    assert_string_equal(slurp(target), "old\n");

    assert_int_equal(write_str(link1, "via link1\n", true, &e), LLM_OK);
    assert_true(is_link(link1));
    assert_string_equal(slurp(target), "via link1\n");

    assert_int_equal(write_str(link2, "via link2\n", true, &e), LLM_OK);
    assert_true(is_link(link2));
    assert_true(is_link(link1));
    assert_string_equal(slurp(target), "via link2\n");
    no_temp_files(tmpdir);
}

static void test_dangling_symlink(void **state)
{
    (void)state;
    char sub[512], link[512], made[512];
    llm_error e;
    in_dir(sub, sizeof sub, "sub");
    assert_int_equal(mkdir(sub, 0755), 0);
    in_dir(link, sizeof link, "dangling");
    in_dir(made, sizeof made, "sub/created.txt");
    assert_int_equal(symlink("sub/created.txt", link), 0);

    /* creating the missing target replaces nothing: allowed without overwrite */
    assert_int_equal(write_str(link, "created\n", false, &e), LLM_OK);
    assert_true(is_link(link));
    assert_string_equal(slurp(made), "created\n");
    no_temp_files(tmpdir);
    no_temp_files(sub);

    /* a link into a directory that does not exist: an error, nothing left */
    char bad[512];
    in_dir(bad, sizeof bad, "nowhere");
    assert_int_equal(symlink("missing-dir/x.txt", bad), 0);
    assert_int_equal(write_str(bad, "x", true, &e), LLM_ERR_IO);
    assert_non_null(strstr(e.message, "temporary file"));
    assert_true(is_link(bad));
}

static void test_fifo_written_in_place(void **state)
{
    (void)state;
    char fifo[512];
    llm_error e;
    in_dir(fifo, sizeof fifo, "pipe");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* a reader first, so opening the FIFO for writing does not block */
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    assert_int_equal(write_str(fifo, "through the fifo\n", false, &e), LLM_OK);
    char buf[64] = {0};
    ssize_t n = read(rd, buf, sizeof buf - 1);
    close(rd);
    assert_int_equal(n, 17);
    assert_string_equal(buf, "through the fifo\n");
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    no_temp_files(tmpdir);
}

static void test_dev_null(void **state)
{
    (void)state;
    llm_error e;
    assert_int_equal(write_str("/dev/null", "discarded\n", false, &e), LLM_OK);
    assert_int_equal(write_str("/dev/null", "discarded\n", true, &e), LLM_OK);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

/* /dev/stdout -> /proc/self/fd/1 -> a pipe: written into the pipe, and
 * /dev/stdout itself left alone. */
static void test_dev_stdout_pipe(void **state)
{
    (void)state;
    struct stat before, after;
    assert_int_equal(lstat("/dev/stdout", &before), 0);
    int p[2];
    assert_int_equal(pipe(p), 0);
    fflush(stdout);
    int saved = dup(1);
    assert_true(saved >= 0);
    assert_int_equal(dup2(p[1], 1), 1);
    llm_error e;
    llm_code rc = write_str("/dev/stdout", "to stdout\n", true, &e);
    assert_int_equal(dup2(saved, 1), 1);
    close(saved);
    close(p[1]);
    assert_int_equal(rc, LLM_OK);
    char buf[64] = {0};
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    assert_int_equal(n, 10);
    assert_string_equal(buf, "to stdout\n");
    assert_int_equal(lstat("/dev/stdout", &after), 0);
    assert_int_equal(before.st_mode & S_IFMT, after.st_mode & S_IFMT);
    assert_int_equal(before.st_ino, after.st_ino);
}

static void test_errors(void **state)
{
    (void)state;
    llm_error e;
    assert_int_equal(write_str(tmpdir, "x", true, &e), LLM_ERR_IO);
    assert_non_null(strstr(e.message, "is a directory"));
    assert_int_equal(write_str("", "x", true, &e), LLM_ERR_USAGE);
    char p[512];
    in_dir(p, sizeof p, "no-such-dir/file.txt");
    assert_int_equal(write_str(p, "x", true, &e), LLM_ERR_IO);
    /* a loop of links */
    char a[512], b[512];
    in_dir(a, sizeof a, "loop-a");
    in_dir(b, sizeof b, "loop-b");
    assert_int_equal(symlink("loop-b", a), 0);
    assert_int_equal(symlink("loop-a", b), 0);
    assert_int_not_equal(write_str(a, "x", true, &e), LLM_OK);
    assert_true(is_link(a) && is_link(b));
    no_temp_files(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_overwrite),   cmocka_unit_test(test_symlink_to_file),
        cmocka_unit_test(test_dangling_symlink),    cmocka_unit_test(test_fifo_written_in_place),
        cmocka_unit_test(test_dev_null),            cmocka_unit_test(test_dev_stdout_pipe),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
