/* Explain traces: formula, values put in, result; snprintf-like buffer use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "reference_models.h"

static const llm_model *ref(const char *name)
{
    for (size_t i = 0; i < sizeof reference_models / sizeof reference_models[0]; i++)
        if (strcmp(reference_models[i].name, name) == 0) return &reference_models[i].m;
    fail_msg("no reference model %s", name);
    return NULL;
}

static char buf[16384];

static void expect_in(const char *needle)
{
    if (!strstr(buf, needle)) fail_msg("trace lacks '%s':\n%s", needle, buf);
}

static void test_figure_names(void **state)
{
    (void)state;
    assert_string_equal(llm_figure_name(LLM_FIG_MEM_WEIGHTS), "memory.weights");
    assert_string_equal(llm_figure_name(LLM_FIG_PARAMS_TOTAL), "params.total");
    for (int f = 0; f < LLM_FIG_COUNT; f++) assert_string_not_equal(llm_figure_name((llm_figure)f), "?");
    assert_string_equal(llm_figure_name(LLM_FIG_COUNT), "?");
}

/* Every figure explains itself with its name and an '=' line. */
static void test_every_figure(void **state)
{
    (void)state;
    llm_gpu g;
    memset(&g, 0, sizeof g);
    strcpy(g.id, "test-gpu");
    g.memory_bytes = 80e9;
    g.bandwidth = 3e12;
    g.flops_16 = 1e15;
    llm_workload w;
    llm_workload_default(&w);
    for (int f = 0; f < LLM_FIG_COUNT; f++) {
        size_t n = llm_explain(ref("llama-3-8b"), &w, &g, (llm_figure)f, buf, sizeof buf);
        assert_true(n > 20 && n < sizeof buf);
        assert_int_equal(strlen(buf), n);
        expect_in(llm_figure_name((llm_figure)f));
        expect_in("=");
    }
}

/* The weights trace shows the inputs and the result of test_memory's
 * Llama-3-8B bf16 figure (16,060,522,496 B = 14.9575 GiB). */
static void test_weights_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.mode = LLM_MODE_INFER;
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_WEIGHTS, buf, sizeof buf);
    expect_in("linear = 6979321856");
    expect_in("bf16 = 2 B");
    expect_in("16060522496 B = 14.9575 GiB");
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_KV, buf, sizeof buf);
    expect_in("2 x 8 x 128 x 2");
    expect_in("131072 B");
}

/* The activation trace lists the saved tensors and Korthikanti's constant:
 * GPT-3 175B, t = 1, dropout on, no flash: s.b.h.(34 + 5.a.s/h). */
static void test_activation_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    w.flash = false;
    w.dropout = true;
    llm_explain(ref("gpt3-175b"), &w, NULL, LLM_FIG_MEM_ACTIVATIONS, buf, sizeof buf);
    expect_in("softmax output");
    expect_in("attention dropout mask (1 byte)");
    expect_in("GeLU input");
    expect_in("s.b.h.(34 + 5.a.s/h)");
}

/* The scaling trace puts the numbers into (1 + x)^(1/alpha) = 3.902. */
static void test_scaling_trace(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_SCALING, buf, sizeof buf);
    expect_in("(1 + 0.1)^(1/0.07) = 3.902");
    expect_in("20 x N");
}

/* Like snprintf: always terminated, returns the length it wanted. */
static void test_truncation(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    size_t want = llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, NULL, 0);
    assert_true(want > 100);
    char small[16];
    memset(small, 'x', sizeof small);
    size_t n = llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, small, sizeof small);
    assert_int_equal(n, want);
    assert_int_equal(strlen(small), sizeof small - 1);
    /* an invalid workload explains the error instead */
    w.tp = 3;
    llm_explain(ref("llama-3-8b"), &w, NULL, LLM_FIG_MEM_TOTAL, buf, sizeof buf);
    expect_in("tp (3) must divide heads (32)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figure_names),
        cmocka_unit_test(test_every_figure),
        cmocka_unit_test(test_weights_trace),
        cmocka_unit_test(test_activation_trace),
        cmocka_unit_test(test_scaling_trace),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
