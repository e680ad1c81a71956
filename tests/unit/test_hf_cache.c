/* The Hugging Face cache scan, on a fake cache built in a temporary directory.
 *
 * Layout as huggingface_hub writes it: <hub>/models--<org>--<name>/
 * {refs/main, snapshots/<commit>/config.json -> ../../blobs/<hash>}.
 * Expected counts come from tests/fixtures/reference/models.json
 * (llama-3.2-1b 1,235,814,400; gpt2 124,439,808).
 */
#include <dirent.h>
#include <errno.h>
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

#include "llmem/presets.h"

#define REF LLMEM_FIXTURES "/reference/hf-configs"

static char root[256]; /* the temporary directory */
static char hub[320];  /* root/.cache/huggingface/hub: also found through $HOME */

static void mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) fail_msg("mkdir %s: %s", buf, strerror(errno));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) fail_msg("cannot copy %s to %s", from, to);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(sub);
            else
                unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static void path_in(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/%s", hub, rel);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/llmem-hfcache-XXXXXX");
    if (!mkdtemp(root)) return -1;
    snprintf(hub, sizeof hub, "%s/.cache/huggingface/hub", root);
    char p[1024], q[1024];

    /* Llama-3.2-1B: refs/main picks snapshot abc123, whose config.json is a
     * symlink into blobs/; an older snapshot holds a broken config that must
     * not be read. */
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/blobs");
    mkdirs(p);
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/blobs/4e5f");
    copy_file(REF "/llama-3.2-1b/config.json", p);
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/snapshots/abc123");
    mkdirs(p);
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/snapshots/abc123/config.json");
    if (symlink("../../blobs/4e5f", p) != 0) return -1;
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/snapshots/zzz999");
    mkdirs(p);
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/snapshots/zzz999/config.json");
    write_file(p, "{ not json");
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/refs");
    mkdirs(p);
    path_in(p, sizeof p, "models--meta-llama--Llama-3.2-1B/refs/main");
    write_file(p, "abc123\n");

    /* gpt2 (no owner, no refs): the snapshot with the newest config.json. */
    path_in(p, sizeof p, "models--openai-community--gpt2/snapshots/new1");
    mkdirs(p);
    path_in(p, sizeof p, "models--openai-community--gpt2/snapshots/new1/config.json");
    copy_file(REF "/gpt2/config.json", p);
    path_in(q, sizeof q, "models--openai-community--gpt2/snapshots/old0");
    mkdirs(q);
    path_in(q, sizeof q, "models--openai-community--gpt2/snapshots/old0/config.json");
    write_file(q, "{ not json either");
    struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
    if (utimensat(AT_FDCWD, q, old, 0) != 0) return -1;

    /* A broken config becomes a problem. */
    path_in(p, sizeof p, "models--broken--model/snapshots/s1");
    mkdirs(p);
    path_in(p, sizeof p, "models--broken--model/snapshots/s1/config.json");
    write_file(
        p, "{\n  \"model_type\": \"llama\", \"vocab_size\": 32000,\n  \"hidden_size\": -1\n}\n");

    /* A config.json above the scan's 512 KiB limit (600 KiB of padding) is a
     * problem and is not parsed. */
    path_in(p, sizeof p, "models--huge--config/snapshots/s1");
    mkdirs(p);
    path_in(p, sizeof p, "models--huge--config/snapshots/s1/config.json");
    FILE *f = fopen(p, "w");
    if (!f) return -1;
    fputc('{', f);
    for (int i = 0; i < 600 * 1024 - 2; i++)
        fputc(' ', f);
    fputc('}', f);
    fclose(f);

    /* Skipped silently: a model without config.json (GGUF only), datasets,
     * lock files. */
    path_in(p, sizeof p, "models--someone--gguf-only/snapshots/s1");
    mkdirs(p);
    path_in(p, sizeof p, "models--someone--gguf-only/snapshots/s1/model.gguf");
    write_file(p, "GGUF");
    path_in(p, sizeof p, "datasets--someone--data/snapshots/s1");
    mkdirs(p);
    path_in(p, sizeof p, "datasets--someone--data/snapshots/s1/config.json");
    copy_file(REF "/gpt2/config.json", p);
    path_in(p, sizeof p, ".locks");
    mkdirs(p);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(root);
    return 0;
}

static uint64_t total(const llm_preset *p)
{
    llm_params c;
    llm_error err;
    if (llm_params_count(&p->model, &c, &err) != LLM_OK) fail_msg("%s", err.message);
    return c.total;
}

static void check_scan(void)
{
    llm_registry r;
    llm_registry_init(&r);
    llm_error err;
    assert_int_equal(llm_registry_scan_hf_cache(&r, &err), LLM_OK);
    assert_int_equal(r.npresets, 2);
    /* Sorted by directory: models--meta-llama... before models--openai... */
    const llm_preset *a = &r.presets[0], *b = &r.presets[1];
    assert_string_equal(a->id, "hf:meta-llama/Llama-3.2-1B");
    assert_string_equal(a->name, "meta-llama/Llama-3.2-1B");
    assert_string_equal(a->family, "hf-cache");
    char want[1024];
    snprintf(want, sizeof want, "hf-cache:%s/models--meta-llama--Llama-3.2-1B/snapshots/abc123",
             hub);
    assert_string_equal(a->origin, want);
    assert_true(a->published);
    assert_int_equal(total(a), 1235814400ull);
    assert_string_equal(b->id, "hf:openai-community/gpt2");
    assert_int_equal(total(b), 124439808ull);
    snprintf(want, sizeof want, "hf-cache:%s/models--openai-community--gpt2/snapshots/new1", hub);
    assert_string_equal(b->origin, want);
    assert_non_null(llm_registry_find(&r, "hf:openai-community/gpt2"));

    /* The broken model: a problem with its position; then the huge one. */
    assert_int_equal(r.nproblems, 2);
    snprintf(want, sizeof want, "%s/models--broken--model/snapshots/s1/config.json", hub);
    assert_string_equal(r.problems[0].path, want);
    assert_int_equal(r.problems[0].code, LLM_ERR_RANGE);
    assert_int_equal(r.problems[0].line, 3);
    assert_int_equal(r.problems[0].col, 3);
    assert_string_equal(r.problems[0].message, "hidden_size must not be negative (got -1)");
    assert_int_equal(r.problems[1].code, LLM_ERR_LIMIT);
    assert_string_equal(r.problems[1].message,
                        "config.json is 614400 bytes, above the cache scan's limit of 524288");
    llm_registry_free(&r);
}

static void test_scan_hf_hub_cache(void **state)
{
    (void)state;
    setenv("HF_HUB_CACHE", hub, 1);
    check_scan();
}

/* Without HF_HUB_CACHE: $HF_HOME/hub. */
static void test_scan_hf_home(void **state)
{
    (void)state;
    char home[512];
    snprintf(home, sizeof home, "%s/.cache/huggingface", root);
    unsetenv("HF_HUB_CACHE");
    setenv("HF_HOME", home, 1);
    check_scan();
}

/* Without either: ~/.cache/huggingface/hub ($XDG_CACHE_HOME unset). */
static void test_scan_home(void **state)
{
    (void)state;
    unsetenv("HF_HUB_CACHE");
    unsetenv("HF_HOME");
    unsetenv("XDG_CACHE_HOME");
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", root, 1);
    check_scan();
    if (old_home) {
        setenv("HOME", old_home, 1);
        free(old_home);
    }
}

/* No cache directory: nothing added, no problem. */
static void test_no_cache(void **state)
{
    (void)state;
    char none[512];
    snprintf(none, sizeof none, "%s/does-not-exist", root);
    setenv("HF_HUB_CACHE", none, 1);
    llm_registry r;
    llm_registry_init(&r);
    llm_error err;
    assert_int_equal(llm_registry_scan_hf_cache(&r, &err), LLM_OK);
    assert_int_equal(r.npresets, 0);
    assert_int_equal(r.nproblems, 0);
    llm_registry_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_hf_hub_cache),
        cmocka_unit_test(test_scan_hf_home),
        cmocka_unit_test(test_scan_home),
        cmocka_unit_test(test_no_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
