/* Hostile preset files through the public loader (llm_registry_load_buffer
 * and llm_registry_load_file): empty, binary, huge, endless (/dev/zero),
 * deeply nested, alias bombs, absurd numbers.  Each must end in an error
 * value with a message -- no crash, no hang, no leak (run under ASan), and no
 * preset half-loaded.  The limits are those documented in src/io/yaml_tree.h
 * (4 MiB, depth 64, 200,000 nodes counting alias expansions, 1,000 aliases);
 * hitting one is LLM_ERR_LIMIT (include/llmem/error.h).
 * The inputs are generated here: nothing large is stored in the repository. */
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

#include "tmpdir_test.h"

#include "llmem/presets.h"

/* A valid one-preset file (Llama-3-8B, briefs/schema.md) to mutate. */
static const char valid[] =
    "family: llama\n"
    "presets:\n"
    "  - id: hostile-test\n"
    "    name: Hostile test\n"
    "    published: true\n"
    "    source: \"test\"\n"
    "    model:\n"
    "      layers: 32\n"
    "      hidden: 4096\n"
    "      heads: 32\n"
    "      kv_heads: 8\n"
    "      ffn: 14336\n"
    "      ffn_kind: gated\n"
    "      vocab: 128256\n"
    "      pos: rotary\n"
    "      norm: rmsnorm\n";

/* Loads a buffer; returns the code; checks the error is a clear one and
 * nothing was half-loaded when it failed. */
static llm_code load(const char *data, size_t len, llm_error *err)
{
    llm_registry r;
    llm_registry_init(&r);
    memset(err, 0, sizeof *err);
    llm_code rc = llm_registry_load_buffer(&r, "hostile.yaml", data, len, err);
    if (rc != LLM_OK) {
        if (strlen(err->message) < 5) fail_msg("error %d without a message", (int)rc);
        if (r.npresets != 0) fail_msg("%zu presets loaded from a failing file", r.npresets);
        if (getenv("LLMEM_VERBOSE")) print_message("%s: %s\n", llm_code_name(rc), err->message);
        char buf[2048];
        size_t n = llm_error_format(err, buf, sizeof buf);
        assert_true(n > 0);
    }
    llm_registry_free(&r);
    return rc;
}

static llm_code load_str(const char *s, llm_error *err)
{
    return load(s, strlen(s), err);
}

/* The base file loads: the mutations below fail for their own reason. */
static void test_valid_base_loads(void **state)
{
    (void)state;
    llm_error err;
    llm_code rc = load_str(valid, &err);
    if (rc != LLM_OK) fail_msg("base file refused: %s", err.message);
}

static void test_empty_and_blank(void **state)
{
    (void)state;
    llm_error err;
    /* family and presets are required: an empty document is not a preset file. */
    assert_int_not_equal(load("", 0, &err), LLM_OK);
    assert_int_not_equal(load_str("\n\n   \n", &err), LLM_OK);
    assert_int_not_equal(load_str("# only a comment\n", &err), LLM_OK);
    assert_int_not_equal(load_str("---\n...\n", &err), LLM_OK);
    assert_int_not_equal(load_str("~\n", &err), LLM_OK);
}

static void test_binary(void **state)
{
    (void)state;
    llm_error err;
    unsigned char bin[4096];
    uint32_t x = 2463534242u; /* xorshift32: fixed bytes, NULs included */
    for (size_t i = 0; i < sizeof bin; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bin[i] = (unsigned char)x;
    }
    assert_int_not_equal(load((const char *)bin, sizeof bin, &err), LLM_OK);
    /* A NUL inside an otherwise valid file; invalid UTF-8; a UTF-16 BOM. */
    char buf[sizeof valid + 8];
    memcpy(buf, valid, sizeof valid);
    buf[20] = 0;
    assert_int_not_equal(load(buf, sizeof valid - 1, &err), LLM_OK);
    memcpy(buf, valid, sizeof valid);
    buf[8] = (char)0xff;
    buf[9] = (char)0xfe;
    assert_int_not_equal(load(buf, sizeof valid - 1, &err), LLM_OK);
    const char utf16[] = "\xff\xfe" "f\0a\0m\0i\0l\0y\0:\0 \0x\0\n\0";
    assert_int_not_equal(load(utf16, sizeof utf16 - 1, &err), LLM_OK);
}

/* 64 MiB: well above the 4 MiB limit, refused as a limit. */
static void test_huge_buffer(void **state)
{
    (void)state;
    size_t n = 64u << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memcpy(big, valid, sizeof valid - 1);
    for (size_t i = sizeof valid - 1; i < n; i++) big[i] = (i % 64 == 63) ? '\n' : '#';
    llm_error err;
    assert_int_equal(load(big, n, &err), LLM_ERR_LIMIT);
    free(big);
}


static llm_code load_path(const char *path, llm_error *err)
{
    llm_registry r;
    llm_registry_init(&r);
    memset(err, 0, sizeof *err);
    llm_code rc = llm_registry_load_file(&r, path, err);
    if (rc != LLM_OK) {
        if (strlen(err->message) < 5) fail_msg("error %d without a message", (int)rc);
        if (r.npresets != 0) fail_msg("%zu presets loaded from %s", r.npresets, path);
    }
    llm_registry_free(&r);
    return rc;
}

/* Files (test_loader.c already covers a 50 MB regular file): /dev/zero
 * (endless, and stat() says size 0: a loader that reads to the end would
 * never stop; alarm() turns a hang into a failure), a directory, a missing
 * file. */
static void test_hostile_files(void **state)
{
    (void)state;
    char path[320];
    llm_error err;
    alarm(30);
    assert_int_not_equal(load_path("/dev/zero", &err), LLM_OK);
    alarm(0);

    assert_int_not_equal(load_path(tmpdir, &err), LLM_OK);
    snprintf(path, sizeof path, "%s/missing.yaml", tmpdir);
    assert_int_equal(load_path(path, &err), LLM_ERR_IO);
}

/* Nesting far past the depth limit, in flow and block style. */
static void test_deep_nesting(void **state)
{
    (void)state;
    llm_error err;
    size_t depth = 100000;
    char *s = malloc(depth * 2 + 64);
    assert_non_null(s);
    /* the parser must stop at the limit, not at the end */
    size_t n = (size_t)sprintf(s, "family: x\npresets: ");
    for (size_t i = 0; i < depth; i++) s[n++] = '{';
    assert_int_not_equal(load(s, n, &err), LLM_OK);
    free(s);

    /* Block mappings 200 levels deep (2 spaces per level). */
    size_t levels = 200;
    s = malloc(levels * (levels * 2 + 8) + 64);
    assert_non_null(s);
    n = (size_t)sprintf(s, "family: x\npresets:\n");
    for (size_t i = 0; i < levels; i++) {
        for (size_t j = 0; j < i + 1; j++) n += (size_t)sprintf(s + n, "  ");
        n += (size_t)sprintf(s + n, "a:\n");
    }
    assert_int_equal(load(s, n, &err), LLM_ERR_LIMIT);
    free(s);
}

/* Alias abuse beyond fixtures/bad/alias_bomb.yaml (the billion laughs, which
 * test_loader.c covers): many cheap anchors and aliases past the limit of
 * 1,000, an undefined alias, a merge key. */
static void test_alias_abuse(void **state)
{
    (void)state;
    llm_error err;
    size_t n;
    /* Many anchors and aliases, each cheap: past the alias limit. */
    size_t count = 5000;
    char *t = malloc(count * 40 + 64);
    assert_non_null(t);
    n = (size_t)sprintf(t, "family: x\npresets: []\nv: [");
    for (size_t i = 0; i < count; i++) n += (size_t)sprintf(t + n, "&n%zu 1, *n%zu, ", i, i);
    n += (size_t)sprintf(t + n, "0]\n");
    assert_int_equal(load(t, n, &err), LLM_ERR_LIMIT);
    free(t);

    /* An alias to an undefined anchor, and a merge key. */
    assert_int_not_equal(load_str("family: x\npresets: *nowhere\n", &err), LLM_OK);
    assert_int_not_equal(load_str("base: &b {layers: 2}\nfamily: x\npresets:\n  - <<: *b\n", &err),
                         LLM_OK);
}

/* Numbers no preset may hold (integers are plain non-negative, no suffixes). */
static void test_absurd_numbers(void **state)
{
    (void)state;
    const char *values[] = {"-1",   "18446744073709551616", "99999999999999999999999999",
                            "1e6",  "0x20",                 "8k",
                            "3.5",  ".nan",                 ".inf",
                            "\"32\"", "[32]",               "{a: 1}",
                            "",      "~",                   "32 32"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char s[1024];
        const char *at = strstr(valid, "layers: 32");
        int pre = (int)(at - valid);
        snprintf(s, sizeof s, "%.*slayers: %s%s", pre, valid, values[i], at + strlen("layers: 32"));
        llm_error err;
        llm_code rc = load_str(s, &err);
        if (rc == LLM_OK) fail_msg("layers: %s was accepted", values[i]);
    }
}

/* Shapes the engine cannot count (10^6 layers x hidden 10^7 overflows 64
 * bits): the loader may accept the numbers, but counting them must fail
 * cleanly.  10^6 layers alone is 218,113,050,677,248 parameters (see
 * test_hostile_engine.c). */
static void test_huge_shapes(void **state)
{
    (void)state;
    char s[1024];
    const char *at = strstr(valid, "layers: 32");
    int pre = (int)(at - valid);
    snprintf(s, sizeof s, "%.*slayers: 1000000%s", pre, valid, at + strlen("layers: 32"));
    llm_registry r;
    llm_error err;
    llm_registry_init(&r);
    if (llm_registry_load_buffer(&r, "big.yaml", s, strlen(s), &err) == LLM_OK) {
        assert_int_equal(r.npresets, 1);
        llm_params p;
        assert_int_equal(llm_params_count(&r.presets[0].model, &p, &err), LLM_OK);
        assert_int_equal(p.total, 218113050677248ull);
        r.presets[0].model.hidden = 10000000;
        assert_int_not_equal(llm_params_count(&r.presets[0].model, &p, &err), LLM_OK);
    } else {
        assert_true(strlen(err.message) > 5);
    }
    llm_registry_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_base_loads),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_huge_buffer),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_alias_abuse),
        cmocka_unit_test(test_absurd_numbers),
        cmocka_unit_test(test_huge_shapes),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
