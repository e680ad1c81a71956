/* Scaling laws (docs/formulas.md §7). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "llmem/estimate.h"

/* "Performance proportional to N^alpha": a 10% improvement needs
 * (1.1)^(1/0.07) = 3.9023x the parameters (FORMULAS.md §7: "about 3.9x");
 * with Kaplan's alpha_N = 0.076: 1.1^(1/0.076) = 3.5046 ("about 3.5x"). */
static void test_improvement_factor(void **state)
{
    (void)state;
    assert_true(fabs(llm_improvement_factor(0.10, 0.07) - 3.9) < 0.01);
    assert_true(fabs(llm_improvement_factor(0.10, 0.076) - 3.5) < 0.01);
    assert_true(llm_improvement_factor(0.0, 0.07) == 1.0);
    assert_true(isnan(llm_improvement_factor(0.1, 0.0)));
}

/* Kaplan et al. 2020 eq. 1.1/1.2: L(N) = (8.8e13/N)^0.076 equals 1 at
 * N = N_c; at N = 8.8e13 / 2^(1/0.076) the loss is exactly 2.
 * L(D) = (5.4e13/D)^0.095: 1 at D = D_c, 2 at D_c / 2^(1/0.095). */
static void test_kaplan(void **state)
{
    (void)state;
    assert_true(fabs(llm_kaplan_loss_n(8.8e13) - 1.0) < 1e-12);
    assert_true(fabs(llm_kaplan_loss_n(8.8e13 / pow(2.0, 1.0 / 0.076)) - 2.0) < 1e-12);
    assert_true(fabs(llm_kaplan_loss_d(5.4e13) - 1.0) < 1e-12);
    assert_true(fabs(llm_kaplan_loss_d(5.4e13 / pow(2.0, 1.0 / 0.095)) - 2.0) < 1e-12);
    assert_true(llm_kaplan_loss_n(1e9) > llm_kaplan_loss_n(1e10));
}

/* Hoffmann et al. 2022: compute-optimal D = 20 N (70B -> 1.4T tokens, as
 * Chinchilla was trained); L(N, D) = 1.69 + 406.4/N^0.34 + 410.7/D^0.28.
 * Chinchilla (N = 70e9, D = 1.4e12), by hand: 406.4 / 70e9^0.34 = 0.08349,
 * 410.7 / 1.4e12^0.28 = 0.16316 -> 1.93665. */
static void test_chinchilla(void **state)
{
    (void)state;
    assert_true(llm_chinchilla_tokens(70e9) == 1.4e12);
    double l = llm_chinchilla_loss(70e9, 1.4e12);
    double want = 1.69 + 406.4 / pow(70e9, 0.34) + 410.7 / pow(1.4e12, 0.28);
    assert_true(fabs(l - want) < 1e-12);
    assert_true(fabs(l - 1.93665) < 0.0001);
    /* the irreducible term is the limit */
    assert_true(fabs(llm_chinchilla_loss(1e30, 1e30) - 1.69) < 1e-3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_improvement_factor),
        cmocka_unit_test(test_kaplan),
        cmocka_unit_test(test_chinchilla),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
