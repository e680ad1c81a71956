/* 'w' saves the current configuration as a preset (atomic; an existing
 * file is replaced only after a confirming key) that loads back with the
 * same shape; 's' writes the screen as SVG and text into the screenshot
 * directory; --dump-screen writes through a symbolic link and into a FIFO. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
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

#include "tui/tui.h"

static llm_registry reg;
static char dir[256];

static int setup(void **state)
{
    (void)state;
    llm_registry_init(&reg);
    (void)llm_registry_load_builtin(&reg, NULL);
    snprintf(dir, sizeof dir, "/tmp/llmem-save-%ld", (long)getpid());
    mkdir(dir, 0700);
    setenv("XDG_CONFIG_HOME", dir, 1);
    return reg.npresets ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return -1;
    llm_registry_free(&reg);
    return 0;
}

static int run(const char *keys, const char *shots)
{
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    const llm_preset *p = llm_registry_find(&reg, "llama-3-8b");
    assert_non_null(p);
    llm_config_from_preset(&o.config, p);
    snprintf(o.preset_id, sizeof o.preset_id, "%s", p->id);
    o.registry = &reg;
    o.cols = 120;
    o.rows = 36;
    o.keys = keys;
    o.detect_gpus = -1;
    o.screenshot_dir = shots;
    char out[300];
    snprintf(out, sizeof out, "%s/screen.txt", dir);
    o.dump_screen = out;
    return llmem_tui_run(&o);
}

static uint64_t saved_layers_of(const char *id)
{
    char path[400];
    snprintf(path, sizeof path, "%s/llmem/presets/%s.yaml", dir, id);
    llm_registry r;
    llm_registry_init(&r);
    llm_error err;
    if (llm_registry_load_file(&r, path, &err) != LLM_OK) fail_msg("%s", err.message);
    const llm_preset *p = llm_registry_find(&r, id);
    assert_non_null(p);
    uint64_t layers = p->model.layers;
    /* everything else of the shape is Llama-3-8B's */
    const llm_preset *orig = llm_registry_find(&reg, "llama-3-8b");
    assert_int_equal(p->model.hidden, orig->model.hidden);
    assert_int_equal(p->model.vocab, orig->model.vocab);
    llm_registry_free(&r);
    return layers;
}

static uint64_t saved_layers(void)
{
    return saved_layers_of("llama-3-8b-custom");
}

/* Whether the final screen (screen.txt) contains `what`. */
static bool screen_has(const char *what)
{
    char out[300];
    snprintf(out, sizeof out, "%s/screen.txt", dir);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strstr(buf, what) != NULL;
}

static void test_save_as_preset(void **state)
{
    (void)state;
    /* one layer more, then w and Enter on the proposed id */
    assert_int_equal(run("lw<Enter>", NULL), 0);
    assert_int_equal(saved_layers(), 33);
    /* saving again under the same id does not replace the file: it asks */
    assert_int_equal(run("llw<Enter>", NULL), 0);
    assert_int_equal(saved_layers(), 33);
    assert_true(screen_has("exists: y or w overwrites it"));
    /* any other key keeps the file */
    assert_int_equal(run("llw<Enter>n", NULL), 0);
    assert_int_equal(saved_layers(), 33);
    assert_true(screen_has("not saved: the existing file is kept"));
    /* y replaces it (34 layers now), and so does w pressed again (35) */
    assert_int_equal(run("llw<Enter>y", NULL), 0);
    assert_int_equal(saved_layers(), 34);
    assert_true(screen_has(" saved "));
    assert_int_equal(run("lllw<Enter>w", NULL), 0);
    assert_int_equal(saved_layers(), 35);
    /* Ctrl-U clears the proposed id: the file gets exactly the typed one */
    assert_int_equal(run("lw<C-u>mine<Enter>", NULL), 0);
    assert_int_equal(saved_layers_of("mine"), 33);
}

static void test_screenshot(void **state)
{
    (void)state;
    char shots[300];
    snprintf(shots, sizeof shots, "%s/shots", dir);
    mkdir(shots, 0700);
    assert_int_equal(run("2s", shots), 0);
    DIR *d = opendir(shots);
    assert_non_null(d);
    int svg = 0, txt = 0, other = 0;
    char txt_path[600] = "";
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "llmem-", 6) == 0 && n > 4 && strcmp(e->d_name + n - 4, ".svg") == 0) svg++;
        else if (strncmp(e->d_name, "llmem-", 6) == 0 && n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0) {
            txt++;
            snprintf(txt_path, sizeof txt_path, "%s/%s", shots, e->d_name);
        } else other++; /* a left-over temporary file would show here */
    }
    closedir(d);
    assert_int_equal(svg, 1);
    assert_int_equal(txt, 1);
    assert_int_equal(other, 0);
    /* the text is the Params view as it was on screen: 36 lines */
    FILE *f = fopen(txt_path, "r");
    assert_non_null(f);
    char line[2048];
    int lines = 0;
    bool params = false;
    while (fgets(line, sizeof line, f)) {
        lines++;
        if (strstr(line, "Non-embedding")) params = true;
    }
    fclose(f);
    assert_int_equal(lines, 36);
    assert_true(params);
}

/* Two shots in a row never overwrite each other (the same second gets a
 * "-2" name), and the status line names the files by their full path. */
static void test_screenshot_twice_full_path(void **state)
{
    (void)state;
    char shots[300], real[PATH_MAX];
    snprintf(shots, sizeof shots, "%s/shots2", dir);
    mkdir(shots, 0700);
    assert_int_equal(run("ss", shots), 0);
    DIR *d = opendir(shots);
    assert_non_null(d);
    int svg = 0, txt = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".svg") == 0) svg++;
        if (n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0) txt++;
    }
    closedir(d);
    assert_int_equal(svg, 2);
    assert_int_equal(txt, 2);
    /* the final screen's status line: "screenshot: /full/path/llmem-...svg and .txt" */
    assert_non_null(realpath(shots, real));
    char want[PATH_MAX + 32], path[300], line[2048];
    snprintf(want, sizeof want, " screenshot: %s/llmem-", real);
    snprintf(path, sizeof path, "%s/screen.txt", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    bool found = false;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, want, strlen(want)) == 0 && strstr(line, ".svg and .txt")) found = true;
    fclose(f);
    assert_true(found);
}

/* --dump-screen to something that is not a regular file (here a FIFO, as
 * /dev/null or /dev/stdout would be) writes into it: it is never replaced
 * by a rename of a temporary file. */
static void test_dump_to_fifo(void **state)
{
    (void)state;
    char fifo[300];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so the writer does not block */
    assert_true(rd >= 0);
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    const llm_preset *p = llm_registry_find(&reg, "llama-3-8b");
    llm_config_from_preset(&o.config, p);
    o.registry = &reg;
    o.cols = 80;
    o.rows = 24;
    o.detect_gpus = -1;
    o.dump_screen = fifo; /* 24 short lines: well inside a pipe's buffer */
    assert_int_equal(llmem_tui_run(&o), 0);
    char buf[8192];
    ssize_t n = read(rd, buf, sizeof buf - 1);
    close(rd);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "Settings"));
    struct stat st;
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
}

/* --dump-screen to a symbolic link writes the file it points to; the link
 * stays a link (llm_write_file_atomic follows it). */
static void test_dump_through_symlink(void **state)
{
    (void)state;
    char target[300], link[300];
    snprintf(target, sizeof target, "%s/target.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    llmem_tui_opts o;
    memset(&o, 0, sizeof o);
    const llm_preset *p = llm_registry_find(&reg, "llama-3-8b");
    llm_config_from_preset(&o.config, p);
    o.registry = &reg;
    o.cols = 80;
    o.rows = 24;
    o.detect_gpus = -1;
    o.dump_screen = link;
    assert_int_equal(llmem_tui_run(&o), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(target, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    f = fopen(target, "r");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "Settings"));
    assert_null(strstr(buf, "old"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_as_preset),
        cmocka_unit_test(test_screenshot),
        cmocka_unit_test(test_screenshot_twice_full_path),
        cmocka_unit_test(test_dump_to_fifo),
        cmocka_unit_test(test_dump_through_symlink),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
