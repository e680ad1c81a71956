/* The command line's building blocks: JSON writer (escaping per RFC 8259),
 * CSV quoting (RFC 4180), number text, fast rows, argument parsing.
 * Expected strings are written out by hand from those RFCs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli_int.h"

/* Output of fn(f) as a string (caller frees). */
typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static FILE *cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    return c->f;
}

static char *cap_close(capture *c)
{
    fclose(c->f);
    return c->buf;
}

static void check_string(const char *in, const char *want)
{
    capture c;
    llmem_json_write_string(cap_open(&c), in);
    char *got = cap_close(&c);
    assert_string_equal(got, want);
    free(got);
}

static void test_json_escaping(void **state)
{
    (void)state;
    check_string("plain", "\"plain\"");
    check_string("a\"b\\c", "\"a\\\"b\\\\c\"");
    check_string("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"");
    check_string("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    check_string("caf\xc3\xa9", "\"caf\xc3\xa9\"");           /* valid UTF-8 passes */
    check_string("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""); /* U+1F600, 4 bytes */
    check_string("\xff", "\"\\ufffd\"");                       /* never valid */
    check_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    check_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a UTF-16 surrogate */
    check_string("\xc3", "\"\\ufffd\"");                       /* truncated sequence */
    check_string("", "\"\"");
    check_string(NULL, "\"\"");
}

static void test_json_document(void **state)
{
    (void)state;
    capture c;
    llmem_json j;
    llmem_json_init(&j, cap_open(&c));
    llmem_json_obj(&j, NULL);
    llmem_json_u64(&j, "n", UINT64_MAX);
    llmem_json_whole(&j, "bytes", 16060522496.0);
    llmem_json_whole(&j, "nan", NAN);
    llmem_json_num(&j, "x", 0.4);
    llmem_json_arr(&j, "empty");
    llmem_json_end_arr(&j);
    llmem_json_arr(&j, "list");
    llmem_json_bool(&j, NULL, true);
    llmem_json_null(&j, NULL);
    llmem_json_str(&j, NULL, "s");
    llmem_json_end_arr(&j);
    llmem_json_obj(&j, "o");
    llmem_json_end_obj(&j);
    llmem_json_end_obj(&j);
    llmem_json_finish(&j);
    char *got = cap_close(&c);
    assert_string_equal(got, "{\n"
                             "  \"n\": 18446744073709551615,\n"
                             "  \"bytes\": 16060522496,\n"
                             "  \"nan\": null,\n"
                             "  \"x\": 0.4,\n"
                             "  \"empty\": [],\n"
                             "  \"list\": [\n"
                             "    true,\n"
                             "    null,\n"
                             "    \"s\"\n"
                             "  ],\n"
                             "  \"o\": {}\n"
                             "}\n");
    free(got);
}

/* Rows of a sweep are one line each (compact below depth 3). */
static void test_json_compact_rows(void **state)
{
    (void)state;
    capture c;
    llmem_json j;
    llmem_json_init(&j, cap_open(&c));
    j.compact_depth = 3;
    llmem_json_obj(&j, NULL);
    llmem_json_arr(&j, "rows");
    for (int i = 1; i <= 2; i++) {
        llmem_json_obj(&j, NULL);
        llmem_json_u64(&j, "seq", (uint64_t)i * 1024u);
        llmem_json_bool(&j, "fits", i == 1);
        llmem_json_end_obj(&j);
    }
    llmem_json_end_arr(&j);
    llmem_json_end_obj(&j);
    llmem_json_finish(&j);
    char *got = cap_close(&c);
    assert_string_equal(got, "{\n"
                             "  \"rows\": [\n"
                             "    { \"seq\": 1024, \"fits\": true },\n"
                             "    { \"seq\": 2048, \"fits\": false }\n"
                             "  ]\n"
                             "}\n");
    free(got);
}

static void test_num_text(void **state)
{
    (void)state;
    char b[64];
    llmem_num_text(b, sizeof b, 0.4);
    assert_string_equal(b, "0.4");
    llmem_num_text(b, sizeof b, 0.1 + 0.2); /* needs 17 digits to read back */
    assert_string_equal(b, "0.30000000000000004");
    llmem_num_text(b, sizeof b, 1e24);
    assert_string_equal(b, "1e+24");
    llmem_num_text(b, sizeof b, 16060522496.0);
    assert_string_equal(b, "16060522496");
    llmem_num_text(b, sizeof b, -0.0);
    assert_string_equal(b, "0");
    llmem_num_text(b, sizeof b, INFINITY);
    assert_string_equal(b, "null");
    llmem_num_text(b, sizeof b, 989.4e12);
    assert_string_equal(b, "989400000000000");
}

static void test_csv_and_md_cells(void **state)
{
    (void)state;
    capture c;
    FILE *f = cap_open(&c);
    llmem_csv_field(f, "plain");
    fputc('|', f);
    llmem_csv_field(f, "a,b");
    fputc('|', f);
    llmem_csv_field(f, "say \"hi\"");
    fputc('|', f);
    llmem_csv_field(f, "two\nlines");
    fputc('|', f);
    llmem_md_cell(f, "a|b\nc");
    char *got = cap_close(&c);
    assert_string_equal(got, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|a\\|b c");
    free(got);
}

static void test_rows(void **state)
{
    (void)state;
    llmem_row r;
    llmem_row_reset(&r);
    llmem_row_num(&r, 0.4);
    llmem_row_char(&r, ',');
    llmem_row_num(&r, 12.345678); /* 4 decimals: 12.3457 */
    llmem_row_char(&r, ',');
    llmem_row_num(&r, 2.0);
    llmem_row_char(&r, ',');
    llmem_row_num(&r, 1e20);
    llmem_row_char(&r, ',');
    llmem_row_num(&r, 2.5e-5);
    llmem_row_char(&r, ',');
    llmem_row_num(&r, -1.5);
    llmem_row_char(&r, ',');
    llmem_row_whole(&r, 1073741824.0);
    llmem_row_char(&r, ',');
    llmem_row_whole(&r, NAN); /* empty cell */
    llmem_row_char(&r, ',');
    llmem_row_u64(&r, 0);
    r.buf[r.len] = '\0';
    assert_string_equal(r.buf, "0.4,12.3457,2,1e+20,2.5e-05,-1.5,1073741824,,0");
}

static int parse(llmem_cli_args *a, const char *const *argv)
{
    int argc = 0;
    while (argv[argc]) argc++;
    return llmem_cli_args_parse(argc, (char **)argv, a);
}

static void test_args(void **state)
{
    (void)state;
    llmem_cli_args a;
    const char *v1[] = {"llmem", "estimate", "--set", "seq=8k", "--set=mode=infer",
                        "--format=json", "--units", "gb", "--preset", "gpt2", NULL};
    assert_int_equal(parse(&a, v1), 0);
    assert_int_equal(a.cmd, LLMEM_CMD_ESTIMATE);
    assert_int_equal(a.nsets, 2);
    assert_string_equal(a.sets[0], "seq=8k");
    assert_string_equal(a.sets[1], "mode=infer");
    assert_int_equal(a.format, LLMEM_FMT_JSON);
    assert_int_equal(a.units, LLM_UNITS_GB);
    assert_string_equal(a.preset, "gpt2");
    llmem_cli_args_free(&a);

    const char *v2[] = {"llmem", "sweep", "seq=1k:128k", NULL};
    assert_int_equal(parse(&a, v2), 0);
    assert_int_equal(a.format, LLMEM_FMT_CSV); /* sweep streams CSV by default */
    assert_string_equal(a.axis, "seq=1k:128k");
    llmem_cli_args_free(&a);

    const char *v3[] = {"llmem", "--size", "120x36", "--keys", "jjl", "--theme", "mono", NULL};
    assert_int_equal(parse(&a, v3), 0);
    assert_int_equal(a.cmd, LLMEM_CMD_EXPLORE);
    assert_int_equal(a.cols, 120);
    assert_int_equal(a.rows, 36);
    assert_string_equal(a.keys, "jjl");
    assert_string_equal(a.theme, "mono");
    llmem_cli_args_free(&a);

    /* usage errors: status 2 */
    const char *bad[][6] = {
        {"llmem", "estimate", "--format", "ids", NULL},   /* ids is for listings */
        {"llmem", "estimate", "--set", NULL},             /* missing value */
        {"llmem", "estimate", "--explain=yes", NULL},     /* takes no value */
        {"llmem", "gpus", "--preset", "gpt2", NULL},      /* not for listings */
        {"llmem", "--size", "0x10", NULL},                /* zero width */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(&a, bad[i]), LLMEM_EXIT_USAGE);
        llmem_cli_args_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escaping), cmocka_unit_test(test_json_document),
        cmocka_unit_test(test_json_compact_rows), cmocka_unit_test(test_num_text),
        cmocka_unit_test(test_csv_and_md_cells), cmocka_unit_test(test_rows),
        cmocka_unit_test(test_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
