/* Number formatting (include/llmem/format.h).
 *
 * Expected strings are worked out by hand in the comments: 2^30 = 1073741824,
 * so Llama-3-8B's bf16 weights, 16,060,522,496 bytes (8,030,261,248 params x 2),
 * are 16060522496 / 1073741824 = 14.9574 GiB and 16.0605 GB.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/format.h"

#define BUF 64

static void test_bytes_auto(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_bytes(b, sizeof b, 16060522496.0, LLM_UNITS_GIB);
    assert_string_equal(b, "14.96 GiB");
    llm_fmt_bytes(b, sizeof b, 16060522496.0, LLM_UNITS_GB);
    assert_string_equal(b, "16.06 GB");
    /* 2^30 exactly; in GB 1.073741824 */
    llm_fmt_bytes(b, sizeof b, 1073741824.0, LLM_UNITS_GIB);
    assert_string_equal(b, "1.00 GiB");
    llm_fmt_bytes(b, sizeof b, 1073741824.0, LLM_UNITS_GB);
    assert_string_equal(b, "1.07 GB");
    /* KV cache of Llama-3-8B per token: 131072 = 128 KiB; 131.072 kB */
    llm_fmt_bytes(b, sizeof b, 131072.0, LLM_UNITS_GIB);
    assert_string_equal(b, "128.00 KiB");
    llm_fmt_bytes(b, sizeof b, 131072.0, LLM_UNITS_GB);
    assert_string_equal(b, "131.07 kB");
    llm_fmt_bytes(b, sizeof b, 512.0, LLM_UNITS_GIB);
    assert_string_equal(b, "512 B");
    llm_fmt_bytes(b, sizeof b, 0.0, LLM_UNITS_GIB);
    assert_string_equal(b, "0 B");
    /* 1023.999 MiB rounds to 1024.00 MiB at two decimals: shown as 1.00 GiB */
    llm_fmt_bytes(b, sizeof b, 1023.999 * 1048576.0, LLM_UNITS_GIB);
    assert_string_equal(b, "1.00 GiB");
    /* 2^40 * 1.5 = 1.5 TiB */
    llm_fmt_bytes(b, sizeof b, 1.5 * 1099511627776.0, LLM_UNITS_GIB);
    assert_string_equal(b, "1.50 TiB");
    llm_fmt_bytes(b, sizeof b, -2.0 * 1073741824.0, LLM_UNITS_GIB);
    assert_string_equal(b, "-2.00 GiB");
    llm_fmt_bytes(b, sizeof b, NAN, LLM_UNITS_GIB);
    assert_string_equal(b, "n/a B");
    llm_fmt_bytes(b, sizeof b, INFINITY, LLM_UNITS_GIB);
    assert_string_equal(b, "inf B");
}

static void test_bytes_fixed_scale(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_bytes_at(b, sizeof b, 16060522496.0, LLM_UNITS_GIB, LLM_SCALE_G, 2, false);
    assert_string_equal(b, "14.96");
    /* 1 GiB of overhead in MiB: 1024.0 */
    llm_fmt_bytes_at(b, sizeof b, 1073741824.0, LLM_UNITS_GIB, LLM_SCALE_M, 1, true);
    assert_string_equal(b, "1024.0 MiB");
    /* a tiny value at GiB scale is 0.00, not -0.00 */
    llm_fmt_bytes_at(b, sizeof b, -1.0, LLM_UNITS_GIB, LLM_SCALE_G, 2, false);
    assert_string_equal(b, "0.00");
    assert_string_equal(llm_bytes_unit(LLM_UNITS_GB, LLM_SCALE_T), "TB");
    assert_string_equal(llm_bytes_unit(LLM_UNITS_GIB, LLM_SCALE_K), "KiB");
    assert_string_equal(llm_bytes_unit(LLM_UNITS_GIB, 9), "?");
    assert_int_equal(llm_bytes_scale(16060522496.0, LLM_UNITS_GIB), LLM_SCALE_G);
    assert_int_equal(llm_bytes_scale(999.0, LLM_UNITS_GB), LLM_SCALE_B);
    assert_int_equal(llm_bytes_scale(1000.0, LLM_UNITS_GB), LLM_SCALE_K);
    assert_int_equal(llm_bytes_scale(1000.0, LLM_UNITS_GIB), LLM_SCALE_B);
}

static void test_bytes_delta(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_bytes_delta(b, sizeof b, 1.5 * 1073741824.0, LLM_UNITS_GIB);
    assert_string_equal(b, "+1.50 GiB");
    llm_fmt_bytes_delta(b, sizeof b, -512.0, LLM_UNITS_GIB);
    assert_string_equal(b, "-512 B");
    llm_fmt_bytes_delta(b, sizeof b, 0.0, LLM_UNITS_GIB);
    assert_string_equal(b, "0 B");
}

static void test_units_names(void **state)
{
    (void)state;
    llm_units u = LLM_UNITS_GIB;
    assert_true(llm_units_parse("gb", &u));
    assert_int_equal(u, LLM_UNITS_GB);
    assert_true(llm_units_parse("GiB", &u));
    assert_int_equal(u, LLM_UNITS_GIB);
    assert_false(llm_units_parse("mb", &u));
    assert_false(llm_units_parse(NULL, &u));
    assert_string_equal(llm_units_name(LLM_UNITS_GB), "GB");
    assert_string_equal(llm_units_name(LLM_UNITS_GIB), "GiB");
}

static void test_count(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_count(b, sizeof b, 8030261248.0); /* Llama-3-8B */
    assert_string_equal(b, "8.03 B");
    llm_fmt_count(b, sizeof b, 124439808.0); /* GPT-2 small */
    assert_string_equal(b, "124.4 M");
    llm_fmt_count(b, sizeof b, 175e9);
    assert_string_equal(b, "175.0 B");
    llm_fmt_count(b, sizeof b, 46702792704.0); /* Mixtral-8x7B: 46.70 B */
    assert_string_equal(b, "46.70 B");
    llm_fmt_count(b, sizeof b, 768.0);
    assert_string_equal(b, "768");
    llm_fmt_count(b, sizeof b, 4096.0);
    assert_string_equal(b, "4.10 K");
    /* 999.96 M rounds to 1000.0 M at one decimal: shown as 1.00 B */
    llm_fmt_count(b, sizeof b, 999960000.0);
    assert_string_equal(b, "1.00 B");
    llm_fmt_count(b, sizeof b, 1.8e12);
    assert_string_equal(b, "1.80 T");
    llm_fmt_count(b, sizeof b, 0.0);
    assert_string_equal(b, "0");
}

static void test_flops(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_flops(b, sizeof b, 48.2e9);
    assert_string_equal(b, "48.2 GFLOP");
    llm_fmt_flops(b, sizeof b, 312e12);
    assert_string_equal(b, "312 TFLOP");
    llm_fmt_flops(b, sizeof b, 1.234e15);
    assert_string_equal(b, "1.23 PFLOP");
    llm_fmt_flops(b, sizeof b, 500.0);
    assert_string_equal(b, "500 FLOP");
    /* GPT-3 175B, 300B tokens: 6 x 175e9 x 300e9 = 3.15e23 */
    llm_fmt_flops(b, sizeof b, 6.0 * 175e9 * 300e9);
    assert_string_equal(b, "3.15e+23 FLOP");
    llm_fmt_flops(b, sizeof b, 1.2e24);
    assert_string_equal(b, "1.20e+24 FLOP");
    /* 999.7 GFLOP carries to 1.00 TFLOP at three significant digits */
    llm_fmt_flops(b, sizeof b, 999.7e9);
    assert_string_equal(b, "1.00 TFLOP");
    /* H100 SXM dense bf16: 989 TFLOP/s (989.4e12) */
    llm_fmt_flops_rate(b, sizeof b, 989.4e12);
    assert_string_equal(b, "989 TFLOP/s");
    llm_fmt_flops(b, sizeof b, 0.0);
    assert_string_equal(b, "0 FLOP");
}

static void test_duration(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_duration(b, sizeof b, 6.0 * 86400.0);
    assert_string_equal(b, "6.0 days");
    llm_fmt_duration(b, sizeof b, 3.2 * 3600.0);
    assert_string_equal(b, "3.2 h");
    llm_fmt_duration(b, sizeof b, 750.0);
    assert_string_equal(b, "12.5 min");
    llm_fmt_duration(b, sizeof b, 45.2);
    assert_string_equal(b, "45.2 s");
    llm_fmt_duration(b, sizeof b, 0.85);
    assert_string_equal(b, "850 ms");
    llm_fmt_duration(b, sizeof b, 0.00012);
    assert_string_equal(b, "0.12 ms");
    /* 2.3 years of 365.25 days */
    llm_fmt_duration(b, sizeof b, 2.3 * 365.25 * 86400.0);
    assert_string_equal(b, "2.3 years");
    /* 30 h stays in hours (below 48 h) */
    llm_fmt_duration(b, sizeof b, 30.0 * 3600.0);
    assert_string_equal(b, "30.0 h");
    llm_fmt_duration(b, sizeof b, 0.0);
    assert_string_equal(b, "0 s");
}

static void test_int_and_u64(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_int(b, sizeof b, 8030261248u);
    assert_string_equal(b, "8,030,261,248");
    llm_fmt_int(b, sizeof b, 0u);
    assert_string_equal(b, "0");
    llm_fmt_int(b, sizeof b, 999u);
    assert_string_equal(b, "999");
    llm_fmt_int(b, sizeof b, 1000u);
    assert_string_equal(b, "1,000");
    llm_fmt_int(b, sizeof b, UINT64_MAX);
    assert_string_equal(b, "18,446,744,073,709,551,615");
    char d[21];
    assert_int_equal(llm_fmt_u64(d, UINT64_MAX), 20);
    assert_string_equal(d, "18446744073709551615");
    assert_int_equal(llm_fmt_u64(d, 0u), 1);
    assert_string_equal(d, "0");
    assert_int_equal(llm_fmt_u64(d, 1073741824u), 10);
    assert_string_equal(d, "1073741824");
}

static void test_tokens_and_percent(void **state)
{
    (void)state;
    char b[BUF];
    llm_fmt_tokens_per_s(b, sizeof b, 45.23);
    assert_string_equal(b, "45.2 tok/s");
    llm_fmt_tokens_per_s(b, sizeof b, 12345.4);
    assert_string_equal(b, "12,345 tok/s");
    llm_fmt_tokens_per_s(b, sizeof b, 1234567.0);
    assert_string_equal(b, "1.23 M tok/s");
    llm_fmt_percent(b, sizeof b, 0.7412, 0);
    assert_string_equal(b, "74%");
    llm_fmt_percent(b, sizeof b, 0.4, 1);
    assert_string_equal(b, "40.0%");
    llm_fmt_percent(b, sizeof b, 1.01, 0);
    assert_string_equal(b, "101%");
}

/* Memory use: the side of 100% is the verdict and is never rounded away. */
static void test_use(void **state)
{
    (void)state;
    char b[BUF];
    static const struct {
        double f;
        const char *want;
    } cases[] = {
        {0.0, "0%"},
        {0.2204, "22%"},
        {0.985, "99%"},         /* whole below 99% */
        {0.9904, "99.0%"},      /* one decimal from 99% to 101% */
        {0.9996, "100.0%"},     /* fits, shown at the limit */
        {1.0, "100.0%"},
        {1.000003, "100.1%"},   /* does not fit: never "100%" */
        {1.004, "100.4%"},
        {1.0149, "101%"},       /* whole again above 101% */
        {3.70, "370%"},
        {999.99, "99999%"},
        {5809087306261.06, "5.81e14%"}, /* 580,908,730,626,106%: exponent form */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        llm_fmt_use(b, sizeof b, cases[i].f);
        if (strcmp(b, cases[i].want) != 0)
            fail_msg("%.9g: got '%s', want '%s'", cases[i].f, b, cases[i].want);
    }
    /* beyond a thousand T, counts use an exponent, not an unfamiliar prefix */
    llm_fmt_count(b, sizeof b, 4.36e15);
    assert_string_equal(b, "4.36e15");
    llm_fmt_count(b, sizeof b, 999.9e12);
    assert_string_equal(b, "999.9 T");
    llm_fmt_count(b, sizeof b, 2.5e21);
    assert_string_equal(b, "2.50e21");
}

/* Like snprintf: truncates, NUL-terminates, returns the length wanted. */
static void test_truncation(void **state)
{
    (void)state;
    char b[4];
    memset(b, 'x', sizeof b);
    assert_int_equal(llm_fmt_bytes(b, sizeof b, 16060522496.0, LLM_UNITS_GIB), 9);
    assert_string_equal(b, "14.");
    memset(b, 'x', sizeof b);
    assert_int_equal(llm_fmt_int(b, sizeof b, 8030261248u), 13);
    assert_string_equal(b, "8,0");
    assert_int_equal(llm_fmt_count(NULL, 0, 8030261248.0), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_auto),   cmocka_unit_test(test_bytes_fixed_scale),
        cmocka_unit_test(test_bytes_delta),  cmocka_unit_test(test_units_names),
        cmocka_unit_test(test_count),        cmocka_unit_test(test_flops),
        cmocka_unit_test(test_duration),     cmocka_unit_test(test_int_and_u64),
        cmocka_unit_test(test_tokens_and_percent), cmocka_unit_test(test_use), cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
