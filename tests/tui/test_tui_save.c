/* 'w' saves the current configuration as a preset (atomic, never replacing
 * an existing file) that loads back with the same shape; 's' writes the
 * screen as SVG and text into the screenshot directory. */
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

static uint64_t saved_layers(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/llmem/presets/llama-3-8b-custom.yaml", dir);
    llm_registry r;
    llm_registry_init(&r);
    llm_error err;
    if (llm_registry_load_file(&r, path, &err) != LLM_OK) fail_msg("%s", err.message);
    const llm_preset *p = llm_registry_find(&r, "llama-3-8b-custom");
    assert_non_null(p);
    uint64_t layers = p->model.layers;
    /* everything else of the shape is Llama-3-8B's */
    const llm_preset *orig = llm_registry_find(&reg, "llama-3-8b");
    assert_int_equal(p->model.hidden, orig->model.hidden);
    assert_int_equal(p->model.vocab, orig->model.vocab);
    llm_registry_free(&r);
    return layers;
}

static void test_save_as_preset(void **state)
{
    (void)state;
    /* one layer more, then w and Enter on the proposed id */
    assert_int_equal(run("lw<Enter>", NULL), 0);
    assert_int_equal(saved_layers(), 33);
    /* saving again under the same id refuses to replace the file */
    assert_int_equal(run("llw<Enter>", NULL), 0);
    assert_int_equal(saved_layers(), 33);
    char out[300];
    snprintf(out, sizeof out, "%s/screen.txt", dir);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "save failed"));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_as_preset),
        cmocka_unit_test(test_screenshot),
        cmocka_unit_test(test_screenshot_twice_full_path),
        cmocka_unit_test(test_dump_to_fifo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
