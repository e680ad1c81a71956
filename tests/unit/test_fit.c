/* Fit checks and the fit solver.  GPUs are the test's own round numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/estimate.h"
#include "engine_test.h"

static llm_gpu gpu(double bytes)
{
    return test_gpu("test-gpu", bytes, 3e12, 1e15);
}

static llm_fit check(const llm_model *m, const llm_workload *w, const llm_gpu *g)
{
    llm_fit f;
    llm_error err;
    memset(&err, 0, sizeof err);
    if (llm_fit_check(m, w, g, &f, &err) != LLM_OK) fail_msg("%s", err.message);
    return f;
}

/* Llama-3-8B, infer, seq 4096, batch 2 (test_memory/test_activations):
 * 16,060,522,496 weights + 1,073,741,824 KV + 839,886,848 activations +
 * 1 GiB overhead = 19,047,892,992 B; on 80e9 B: fits, 23.81% used. */
static void test_fit_check(void **state)
{
    (void)state;
    llm_gpu g = gpu(80e9);
    llm_workload w = infer(4096, 2);
    llm_fit f = check(ref("llama-3-8b"), &w, &g);
    assert_true(f.fits);
    assert_true(fabs(f.utilisation - 19047892992.0 / 80e9) < 1e-12);
    assert_int_equal(f.gpus_needed, 1);
}

/* Llama-2-70B in bf16 (68,976,648,192 x 2 = 137,953,296,384 B of weights)
 * cannot fit one 80e9 GPU; with tp = 2 each holds about 69.0e9 of weights +
 * 671,088,640 KV (4 of 8 kv heads: 163,840 B/token x 4096) + activations +
 * 1 GiB, under 80e9: two GPUs are needed. */
static void test_gpus_needed(void **state)
{
    (void)state;
    llm_gpu g = gpu(80e9);
    llm_workload w = infer(4096, 1);
    llm_fit f = check(ref("llama-2-70b"), &w, &g);
    assert_false(f.fits);
    assert_true(f.utilisation > 1.7);
    assert_int_equal(f.gpus_needed, 2);

    llm_solve_result r;
    assert_int_equal(llm_fit_solve(ref("llama-2-70b"), &w, &g, LLM_SOLVE_GPUS, NULL, 0, &r, NULL),
                     LLM_OK);
    assert_true(r.found);
    assert_int_equal(r.value, 2);
    assert_int_equal(r.workload.tp, 2);
    assert_int_equal(r.workload.pp, 1);
    assert_true(check(ref("llama-2-70b"), &r.workload, &g).fits);

    /* Nothing fits a 1 GB GPU (the 1 GiB overhead alone exceeds it). */
    llm_gpu tiny = gpu(1e9);
    assert_int_equal(check(ref("llama-2-70b"), &w, &tiny).gpus_needed, 0);
}

/* Largest sequence, Llama-3-8B infer, batch 1, bf16, flash, on 24e9 B.
 * Memory is linear in s: constant 16,060,522,496 + 1 GiB + logits 128,256 x 4
 * = 17,134,777,344; per token KV 131,072 + residual 2 x 4096 x 2 + MLP
 * transient 14,336 x 3 x 2 = 233,472.  (24e9 - 17,134,777,344) / 233,472
 * = 29,404.9: s = 29,404 (23,999,788,032 B) fits, 29,405 (24,000,021,504 B)
 * does not. */
static void test_solve_seq(void **state)
{
    (void)state;
    llm_gpu g = gpu(24e9);
    llm_workload w = infer(4096, 1);
    llm_solve_result r;
    llm_error err;
    assert_int_equal(llm_fit_solve(ref("llama-3-8b"), &w, &g, LLM_SOLVE_SEQ, NULL, 0, &r, &err),
                     LLM_OK);
    assert_true(r.found);
    assert_int_equal(r.value, 29404);
    assert_int_equal(r.workload.seq, 29404);
    assert_true(check(ref("llama-3-8b"), &r.workload, &g).fits);
    llm_workload next = r.workload;
    next.seq++;
    assert_false(check(ref("llama-3-8b"), &next, &g).fits);
    /* 29,404 tokens is past Llama-3-8B's max_seq 8192: the
     * memory answer stays exact, and the result says it is past the context. */
    assert_true(r.warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);
    assert_string_equal(r.reason, "");
    /* On 17.5e9 B: (17.5e9 - 17,134,777,344) / 233,472 = 1564.3 -> s = 1564
     * <= 8192: no warning. */
    llm_gpu g2 = gpu(17.5e9);
    assert_int_equal(llm_fit_solve(ref("llama-3-8b"), &w, &g2, LLM_SOLVE_SEQ, NULL, 0, &r, &err),
                     LLM_OK);
    assert_int_equal(r.value, 1564);
    assert_false(r.warnings & LLM_WARN_SEQ_ABOVE_CONTEXT);
}

/* Largest batch at seq 4096 on 24e9 B: per sequence 536,870,912 KV +
 * 67,108,864 residual + 352,321,536 MLP transient + 513,024 logits
 * = 956,814,336; (24e9 - 17,134,264,320) / 956,814,336 = 7.18: batch 7. */
static void test_solve_batch(void **state)
{
    (void)state;
    llm_gpu g = gpu(24e9);
    llm_workload w = infer(4096, 1);
    llm_solve_result r;
    assert_int_equal(
        llm_fit_solve(ref("llama-3-8b"), &w, &g, LLM_SOLVE_BATCH, NULL, 0, &r, NULL), LLM_OK);
    assert_true(r.found);
    assert_int_equal(r.value, 7);
    /* Nothing fits: not found. */
    llm_gpu small = gpu(8e9);
    assert_int_equal(
        llm_fit_solve(ref("llama-3-8b"), &w, &small, LLM_SOLVE_BATCH, NULL, 0, &r, NULL), LLM_OK);
    assert_false(r.found);
    /* batch 1 = 17,134,264,320 + 956,814,336 = 18,091,078,656 B = 16.85 GiB;
     * 8e9 B = 7.45 GiB */
    assert_string_equal(r.reason,
                        "micro-batch 1 does not fit: 16.85 GiB per GPU, capacity 7.45 GiB");
}

/* "none fits" comes with a reason: Llama-3-8B on a 1e9-byte GPU (0.93 GiB)
 * cannot fit in any layout, the 1 GiB overhead alone is larger; the reason
 * names the smallest per-GPU total the search saw and the capacity. */
static void test_solve_gpus_none_reason(void **state)
{
    (void)state;
    llm_gpu g = gpu(1e9);
    llm_workload w = infer(4096, 1);
    llm_solve_result r;
    assert_int_equal(
        llm_fit_solve(ref("llama-3-8b"), &w, &g, LLM_SOLVE_GPUS, NULL, 0, &r, NULL), LLM_OK);
    assert_false(r.found);
    assert_non_null(strstr(r.reason, "smallest per-GPU total "));
    assert_non_null(strstr(r.reason, "capacity 0.93 GiB"));
    /* the smallest total is above the 1 GiB overhead, so above the capacity */
    const char *p = strstr(r.reason, "total ");
    double gib = atof(p + 6);
    assert_true(gib > 1.0 && gib < 2.0);
}

/* Precision: Llama-3-8B at seq 2048 on 12e9 B.  bf16 weights alone are
 * 16.06e9: no.  fp8: 6,979,321,856 x 1 + 2,101,878,784 (16-bit embeddings,
 * head, norms) = 9,081,200,640 + 268,435,456 KV + activations + 1 GiB:
 * about 10.9e9, fits.  The least aggressive candidate that fits is fp8. */
static void test_solve_precision(void **state)
{
    (void)state;
    llm_gpu g = gpu(12e9);
    llm_workload w = infer(2048, 1);
    llm_dtype c[3];
    c[0] = llm_dtype_make("bf16", 2, true);
    c[1] = llm_dtype_make("fp8", 1, true);
    c[2] = llm_dtype_make("int4", 0.5, false);
    llm_solve_result r;
    assert_int_equal(
        llm_fit_solve(ref("llama-3-8b"), &w, &g, LLM_SOLVE_PRECISION, c, 3, &r, NULL), LLM_OK);
    assert_true(r.found);
    assert_int_equal(r.value, 1);
    assert_string_equal(r.workload.weights.name, "fp8");
    llm_error err;
    assert_int_equal(
        llm_fit_solve(ref("llama-3-8b"), &w, &g, LLM_SOLVE_PRECISION, NULL, 0, &r, &err),
        LLM_ERR_INVALID);
}

/* ZeRO-3 training of the 7.5B shape of test_memory (16 B/param of model
 * states = 120e9) on 40e9-byte GPUs: more data-parallel ranks shard the
 * states, so the solver grows dp; the answer fits and one rank fewer
 * would not. */
static void test_solve_gpus_with_zero(void **state)
{
    (void)state;
    llm_model m;
    memset(&m, 0, sizeof m);
    m.layers = 39;
    m.hidden = 4000;
    m.heads = 40;
    m.ffn = 16000;
    m.vocab = 2921;
    m.tied_embeddings = true;
    m.pos = LLM_POS_ROTARY;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    llm_gpu g = gpu(40e9);
    llm_workload w;
    llm_workload_default(&w);
    w.zero = 3;
    w.recompute = LLM_RECOMPUTE_FULL;
    llm_solve_result r;
    assert_int_equal(llm_fit_solve(&m, &w, &g, LLM_SOLVE_GPUS, NULL, 0, &r, NULL), LLM_OK);
    assert_true(r.found);
    assert_true(check(&m, &r.workload, &g).fits);
    assert_int_equal(r.value, (uint64_t)r.workload.tp * r.workload.pp * r.workload.dp);
    assert_true(r.value >= 4); /* 120e9 of states cannot fit in fewer than 3 x 40e9 */
    llm_workload fewer = r.workload;
    if (fewer.dp > 1) {
        fewer.dp--;
        assert_false(check(&m, &fewer, &g).fits);
    }
}

/* Expert parallelism taken from tensor-parallel ranks (tp = 8, dp = 1,
 * ep = 8) stays valid while the solver changes tp: Mixtral-8x7B in bf16
 * (93.4e9 B of weights) on 80e9-byte GPUs would need 2 GPUs by memory, but
 * ep = 8 needs tp x dp to be a multiple of 8, so the answer is 8 GPUs, a
 * valid workload that fits. */
static void test_solver_keeps_ep_valid(void **state)
{
    (void)state;
    llm_gpu g = gpu(80e9);
    llm_workload w = infer(4096, 1);
    w.tp = 8;
    w.ep = 8;
    llm_solve_result r;
    assert_int_equal(
        llm_fit_solve(ref("mixtral-8x7b"), &w, &g, LLM_SOLVE_GPUS, NULL, 0, &r, NULL), LLM_OK);
    assert_true(r.found);
    assert_int_equal(llm_workload_validate(ref("mixtral-8x7b"), &r.workload, NULL), LLM_OK);
    assert_true(check(ref("mixtral-8x7b"), &r.workload, &g).fits);
    assert_int_equal(r.value, (uint64_t)r.workload.tp * r.workload.pp * r.workload.dp);
    assert_int_equal(r.value, 8); /* ep = 8 needs tp x dp to be a multiple of 8 */
}

static void test_errors(void **state)
{
    (void)state;
    llm_workload w = infer(4096, 1);
    llm_fit f;
    llm_error err;
    assert_int_equal(llm_fit_check(ref("llama-3-8b"), &w, NULL, &f, &err), LLM_ERR_INVALID);
    llm_gpu g = gpu(80e9);
    w.tp = 3;
    assert_int_equal(llm_fit_check(ref("llama-3-8b"), &w, &g, &f, &err), LLM_ERR_INVALID);
    assert_non_null(strstr(err.message, "tp (3)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_check),
        cmocka_unit_test(test_gpus_needed),
        cmocka_unit_test(test_solve_seq),
        cmocka_unit_test(test_solve_batch),
        cmocka_unit_test(test_solve_gpus_none_reason),
        cmocka_unit_test(test_solve_precision),
        cmocka_unit_test(test_solve_gpus_with_zero),
        cmocka_unit_test(test_solver_keeps_ep_valid),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
