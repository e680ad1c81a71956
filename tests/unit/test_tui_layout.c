/* Layout over every size from 20x6 to 300x100: inside the screen, no
 * overlap, the too-small state exactly below 80x24, full from 120x32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/layout.h"

static void assert_inside(llmem_rect r, int cols, int rows)
{
    assert_true(r.w > 0 && r.h > 0);
    assert_true(r.x >= 0 && r.y >= 0);
    assert_true(r.x + r.w <= cols);
    assert_true(r.y + r.h <= rows);
}

static void test_every_size(void **state)
{
    (void)state;
    for (int cols = 20; cols <= 300; cols++)
        for (int rows = 6; rows <= 100; rows++) {
            llmem_layout l = llmem_layout_compute(cols, rows);
            bool small = cols < 80 || rows < 24;
            if (small) {
                assert_int_equal(l.mode, LLMEM_LAYOUT_TOO_SMALL);
                assert_inside(l.message, cols, rows);
                continue;
            }
            assert_int_equal(l.mode, cols >= 120 && rows >= 32 ? LLMEM_LAYOUT_FULL : LLMEM_LAYOUT_COMPACT);
            llmem_rect r[] = {l.title, l.tabs, l.knobs, l.main, l.status, l.footer};
            size_t n = sizeof r / sizeof r[0];
            for (size_t i = 0; i < n; i++) {
                assert_inside(r[i], cols, rows);
                for (size_t j = i + 1; j < n; j++) assert_false(llmem_rect_overlap(r[i], r[j]));
            }
            /* every row of the screen belongs to some part: nothing lost */
            int covered = 0;
            for (size_t i = 0; i < n; i++)
                if (r[i].x == 0) covered += r[i].h;
            assert_int_equal(covered, rows);
            /* the framed panels leave room for a slider (label 11 + value 9
             * + a track of at least 8) and a view of at least 40 columns */
            assert_true(l.knobs.w - 2 >= 1 + 11 + 9 + 1 + 8);
            assert_true(l.main.w - 2 >= 40);
            assert_int_equal(l.knobs.x + l.knobs.w, l.main.x);
            assert_int_equal(l.main.x + l.main.w, cols);
        }
}

static void test_rect_helpers(void **state)
{
    (void)state;
    llmem_rect a = {0, 0, 4, 3}, b = {4, 0, 2, 2}, c = {3, 2, 1, 1}, e = {1, 1, 0, 5};
    assert_false(llmem_rect_overlap(a, b)); /* touching edges do not overlap */
    assert_true(llmem_rect_overlap(a, c));  /* the corner cell (3,2) is shared */
    assert_false(llmem_rect_overlap(a, e)); /* empty */
    assert_true(llmem_rect_contains(a, 3, 2));
    assert_false(llmem_rect_contains(a, 4, 0));
    llmem_rect in = llmem_rect_inner(a);
    assert_int_equal(in.x, 1);
    assert_int_equal(in.y, 1);
    assert_int_equal(in.w, 2);
    assert_int_equal(in.h, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_size),
        cmocka_unit_test(test_rect_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
