/* Hostile config.json files through the Hugging Face importer
 * (llm_hf_config_load): empty, binary, huge, deeply nested, YAML tricks that
 * are not JSON (anchors, aliases), absurd numbers.  Each must end in an error
 * value with a message: no crash, no hang, no leak (run under ASan).  The
 * inputs are generated into a temporary directory. */
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


/* Llama-3-8B's config.json, trimmed to the fields that matter (Meta). */
static const char llama_fmt[] =
    "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\",\n"
    " \"hidden_size\": %s, \"intermediate_size\": 14336, \"num_attention_heads\": 32,\n"
    " \"num_hidden_layers\": %s, \"num_key_value_heads\": 8, \"vocab_size\": 128256,\n"
    " \"max_position_embeddings\": 8192, \"rms_norm_eps\": 1e-05, \"hidden_act\": \"silu\",\n"
    " \"tie_word_embeddings\": false, \"torch_dtype\": \"bfloat16\"}\n";

static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[320];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static llm_code import(const char *path, llm_preset *p, llm_error *err)
{
    memset(err, 0, sizeof *err);
    llm_code rc = llm_hf_config_load(path, p, err);
    if (rc != LLM_OK) {
        if (strlen(err->message) < 5) fail_msg("error %d without a message", (int)rc);
        if (getenv("LLMEM_VERBOSE")) print_message("%s: %s\n", llm_code_name(rc), err->message);
        char buf[2048];
        assert_true(llm_error_format(err, buf, sizeof buf) > 0);
    }
    return rc;
}

static llm_code import_text(const char *text, llm_error *err)
{
    static llm_preset p;
    return import(write_file("config.json", text, strlen(text)), &p, err);
}

static llm_code import_llama(const char *hidden, const char *layers, llm_preset *p, llm_error *err)
{
    char s[1024];
    snprintf(s, sizeof s, llama_fmt, hidden, layers);
    return import(write_file("config.json", s, strlen(s)), p, err);
}

/* The base loads and counts 8,030,261,248 parameters (published count). */
static void test_valid_base(void **state)
{
    (void)state;
    static llm_preset p;
    llm_error err;
    llm_code rc = import_llama("4096", "32", &p, &err);
    if (rc != LLM_OK) fail_msg("base config refused: %s", err.message);
    llm_params n;
    assert_int_equal(llm_params_count(&p.model, &n, &err), LLM_OK);
    assert_int_equal(n.total, 8030261248ull);
}

static void test_empty_binary_truncated(void **state)
{
    (void)state;
    llm_error err;
    assert_int_not_equal(import_text("", &err), LLM_OK);
    assert_int_not_equal(import_text("   \n\n", &err), LLM_OK);
    assert_int_not_equal(import_text("null", &err), LLM_OK);
    assert_int_not_equal(import_text("[]", &err), LLM_OK);
    assert_int_not_equal(import_text("{}", &err), LLM_OK);
    assert_int_not_equal(import_text("\"a string\"", &err), LLM_OK);
    assert_int_not_equal(import_text("{\"hidden_size\": 4096,", &err), LLM_OK);
    unsigned char bin[4096];
    uint32_t x = 88172645u;
    for (size_t i = 0; i < sizeof bin; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bin[i] = (unsigned char)x;
    }
    static llm_preset p;
    assert_int_not_equal(import(write_file("config.json", bin, sizeof bin), &p, &err), LLM_OK);
    /* a NUL byte in the middle of a valid file */
    char s[1024];
    snprintf(s, sizeof s, llama_fmt, "4096", "32");
    size_t n = strlen(s);
    s[40] = 0;
    assert_int_not_equal(import(write_file("config.json", s, n), &p, &err), LLM_OK);
}

static void test_huge_and_endless(void **state)
{
    (void)state;
    llm_error err;
    static llm_preset p;
    char path[320];
    snprintf(path, sizeof path, "%s/config.json", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"model_type\": \"llama\", \"pad\": \"", f);
    assert_int_equal(fseek(f, 64L << 20, SEEK_SET), 0); /* sparse: 64 MiB of NULs */
    fputs("\"}\n", f);
    fclose(f);
    assert_int_equal(import(path, &p, &err), LLM_ERR_LIMIT);

    alarm(30); /* a hang becomes a failure */
    assert_int_not_equal(import("/dev/zero", &p, &err), LLM_OK);
    alarm(0);
    /* a directory without config.json, a missing file */
    char sub[320];
    snprintf(sub, sizeof sub, "%s/empty-model", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_not_equal(import(sub, &p, &err), LLM_OK);
    snprintf(sub, sizeof sub, "%s/missing.json", tmpdir);
    assert_int_not_equal(import(sub, &p, &err), LLM_OK);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    llm_error err;
    size_t depth = 100000;
    char *s = malloc(depth * 2 + 64);
    assert_non_null(s);
    size_t n = (size_t)sprintf(s, "{\"model_type\": \"llama\", \"x\": ");
    for (size_t i = 0; i < depth; i++) s[n++] = '[';
    for (size_t i = 0; i < depth; i++) s[n++] = ']';
    s[n++] = '}';
    static llm_preset p;
    assert_int_equal(import(write_file("config.json", s, n), &p, &err), LLM_ERR_LIMIT);
    free(s);
    /* unclosed objects: the parser must stop at the limit, not at the end */
    s = malloc(depth * 6 + 64);
    assert_non_null(s);
    n = 0;
    for (size_t i = 0; i < depth; i++) {
        memcpy(s + n, "{\"a\": ", 6);
        n += 6;
    }
    assert_int_not_equal(import(write_file("config.json", s, n), &p, &err), LLM_OK);
    free(s);
}

/* libyaml reads YAML, JSON's superset: anchors and aliases must not turn a
 * config.json into a billion-laughs bomb. */
static void test_yaml_tricks(void **state)
{
    (void)state;
    llm_error err;
    char s[4096];
    size_t n = (size_t)sprintf(s, "{\"a0\": &a0 [1,1,1,1,1,1,1,1,1,1]");
    for (int i = 1; i <= 9; i++)
        n += (size_t)sprintf(s + n, ", \"a%d\": &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]",
                             i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                             i - 1);
    n += (size_t)sprintf(s + n, ", \"model_type\": \"llama\"}");
    static llm_preset p;
    assert_int_not_equal(import(write_file("config.json", s, n), &p, &err), LLM_OK);
    /* A YAML document, not JSON: block style and a tag. */
    assert_int_not_equal(import_text("model_type: llama\nhidden_size: !!str 4096\n", &err), LLM_OK);
}

/* Numbers that are not a size: negative, fractional, too large for 64 bits,
 * NaN/Infinity (Python's json writes them), strings, booleans. */
static void test_absurd_numbers(void **state)
{
    (void)state;
    const char *values[] = {"-4096", "4096.5", "1e400", "18446744073709551616",
                            "NaN",   "Infinity", "-Infinity", "\"4096\"", "true",
                            "null",  "[4096]", "0"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        static llm_preset p;
        llm_error err;
        if (import_llama(values[i], "32", &p, &err) == LLM_OK)
            fail_msg("hidden_size %s accepted", values[i]);
    }
}

/* 10^6 layers imports and counts 218,113,050,677,248 parameters (hand count in
 * test_hostile_engine.c); with hidden 10^7 as well the count overflows 64 bits
 * and must be refused, at import or when counted. */
static void test_huge_shapes(void **state)
{
    (void)state;
    static llm_preset p;
    llm_error err;
    llm_params n;
    if (import_llama("4096", "1000000", &p, &err) == LLM_OK) {
        assert_int_equal(llm_params_count(&p.model, &n, &err), LLM_OK);
        assert_int_equal(n.total, 218113050677248ull);
    }
    if (import_llama("10000000", "1000000", &p, &err) == LLM_OK)
        assert_int_not_equal(llm_params_count(&p.model, &n, &err), LLM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_base),
        cmocka_unit_test(test_empty_binary_truncated),
        cmocka_unit_test(test_huge_and_endless),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_yaml_tricks),
        cmocka_unit_test(test_absurd_numbers),
        cmocka_unit_test(test_huge_shapes),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
