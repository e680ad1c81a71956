/* Widgets drawn into a canvas and compared as strings.  Every expected
 * string is written by hand from the widget's specification in widgets.h /
 * canvas.h (the arithmetic is in the comments), not copied from output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/canvas.h"
#include "tui/event.h"
#include "tui/widgets.h"

static char row_buf[4096];

static const char *row(const llmem_canvas *c, int y)
{
    llmem_canvas_row(c, y, row_buf, sizeof row_buf);
    return row_buf;
}

static void test_slider(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 30, 1));
    const llmem_glyphs *g = llmem_glyphs_get(false);
    /* w = 30: marker, "Layers" padded to 11, "32" right-aligned in 9,
     * a space, then a track of n = 30 - 22 = 8 cells with the knob at
     * round(0.5 * 7) = 4: four filled cells, the knob, three empty. */
    int tx = llmem_w_slider(&c, 0, 0, 30, "Layers", "32", 0.5, LLMEM_SLIDER_SELECTED, g);
    assert_int_equal(tx, 22);
    assert_string_equal(row(&c, 0), "\u25b6Layers            32 \u2501\u2501\u2501\u2501\u25cf\u2500\u2500\u2500");
    /* the label and value of the selected slider carry the selected role */
    assert_int_equal(llmem_canvas_at(&c, 1, 0)->role, LLMEM_ROLE_SELECTED);
    assert_int_equal(llmem_canvas_at(&c, 20, 0)->role, LLMEM_ROLE_SELECTED);
    assert_int_equal(llmem_canvas_at(&c, 26, 0)->role, LLMEM_ROLE_KNOB);

    /* not selected, position 0: no marker, knob in the first track cell */
    llmem_w_slider(&c, 0, 0, 30, "Batch", "1", 0.0, 0, g);
    assert_string_equal(row(&c, 0), " Batch              1 \u25cf\u2500\u2500\u2500\u2500\u2500\u2500\u2500");
    /* bad: '!' marker and the warn role */
    llmem_w_slider(&c, 0, 0, 30, "KV heads", "5", 1.0, LLMEM_SLIDER_BAD, g);
    assert_string_equal(row(&c, 0), "!KV heads           5 \u2501\u2501\u2501\u2501\u2501\u2501\u2501\u25cf");
    assert_int_equal(llmem_canvas_at(&c, 0, 0)->role, LLMEM_ROLE_WARN);
    assert_int_equal(llmem_canvas_at(&c, 1, 0)->role, LLMEM_ROLE_WARN);
    /* a value wider than 9 columns takes the rest of the row, no track */
    tx = llmem_w_slider(&c, 0, 0, 30, "GPU", "NVIDIA H100 80GB", 0.3, 0, g);
    assert_int_equal(tx, -1);
    assert_string_equal(row(&c, 0), " GPU        NVIDIA H100 80GB  ");
    llmem_canvas_free(&c);
}

static void test_slider_ascii(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 26, 1));
    c.ascii = true;
    /* n = 26 - 22 = 4, knob at round(1/3 * 3) = 1 */
    llmem_w_slider(&c, 0, 0, 26, "Seq len", "8192", 1.0 / 3, LLMEM_SLIDER_SELECTED,
                   llmem_glyphs_get(true));
    assert_string_equal(row(&c, 0), ">Seq len         8192 =O--");
    llmem_canvas_free(&c);
}

static void test_bar(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 10, 1));
    const llmem_glyphs *g = llmem_glyphs_get(false);
    /* 0.25 of 10 cells = 2.5: two full blocks and a half block (4/8: ▌) */
    assert_int_equal(llmem_w_bar(&c, 0, 0, 10, 0.25, LLMEM_ROLE_WEIGHTS, 0x2588, g), 3);
    assert_string_equal(row(&c, 0), "\u2588\u2588\u258c       ");
    llmem_canvas_clear(&c);
    /* above 1 is clipped to the width */
    assert_int_equal(llmem_w_bar(&c, 0, 0, 10, 1.7, LLMEM_ROLE_WEIGHTS, 0x2588, g), 10);
    llmem_canvas_clear(&c);
    /* other glyphs have no partial cells: 2.5 rounds the half up */
    assert_int_equal(llmem_w_bar(&c, 0, 0, 10, 0.25, LLMEM_ROLE_GRADS, 0x2593, g), 3);
    assert_string_equal(row(&c, 0), "\u2593\u2593\u2593       ");
    llmem_canvas_clear(&c);
    /* 0.22 of 10 = 2.2: the 0.2 rest is under half: two cells */
    assert_int_equal(llmem_w_bar(&c, 0, 0, 10, 0.22, LLMEM_ROLE_GRADS, '#', llmem_glyphs_get(true)), 2);
    assert_string_equal(row(&c, 0), "##        ");
    llmem_canvas_free(&c);
}

static void test_stacked(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 10, 1));
    int roles[3] = {LLMEM_ROLE_WEIGHTS, LLMEM_ROLE_GRADS, LLMEM_ROLE_OPTIM};
    uint32_t gl[3] = {'a', 'b', 'c'};
    /* 1+1+2 over a scale of 4 fills 8 cells: 2, 2, 4 */
    double v1[3] = {1, 1, 2};
    assert_int_equal(llmem_w_stacked(&c, 0, 0, 8, v1, roles, gl, 3, 4), 8);
    assert_string_equal(row(&c, 0), "aabbcccc  ");
    llmem_canvas_clear(&c);
    /* thirds of 8: 2.67 each, floors 2+2+2 = 6, the two cells left go to
     * the largest remainders (equal: the first ones) -> 3, 3, 2 */
    double v2[3] = {1, 1, 1};
    assert_int_equal(llmem_w_stacked(&c, 0, 0, 8, v2, roles, gl, 3, 3), 8);
    assert_string_equal(row(&c, 0), "aaabbbcc  ");
    llmem_canvas_clear(&c);
    /* half the scale: 1+1+2 of 8 -> 4 cells: 1, 1, 2 */
    assert_int_equal(llmem_w_stacked(&c, 0, 0, 8, v1, roles, gl, 3, 8), 4);
    assert_string_equal(row(&c, 0), "abcc      ");
    assert_int_equal(llmem_canvas_at(&c, 2, 0)->role, LLMEM_ROLE_OPTIM);
    llmem_canvas_free(&c);
}

static void test_box_and_text(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 12, 3));
    llmem_canvas_box(&c, (llmem_rect){0, 0, 12, 3}, "Hi", LLMEM_ROLE_FRAME);
    /* "╭─ Hi ─────╮": corner, rule, space, title, space, rule to the corner */
    assert_string_equal(row(&c, 0), "\u256d\u2500 Hi \u2500\u2500\u2500\u2500\u2500\u256e");
    assert_string_equal(row(&c, 1), "\u2502          \u2502");
    assert_string_equal(row(&c, 2), "\u2570\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u256f");
    /* the text dump trims trailing spaces; one line per row */
    llmem_canvas_clear(&c);
    llmem_canvas_text(&c, 1, 1, -1, "ab\xc3\x97", LLMEM_ROLE_NORMAL, false);
    char *s = llmem_canvas_text_string(&c);
    assert_string_equal(s, "\n ab\u00d7\n\n");
    free(s);
    /* ASCII mode replaces × by x and frames with + - | */
    c.ascii = true;
    llmem_canvas_clear(&c);
    llmem_canvas_text(&c, 0, 0, -1, "2\xc3\x97H100", LLMEM_ROLE_NORMAL, false);
    llmem_canvas_box(&c, (llmem_rect){0, 1, 4, 2}, NULL, LLMEM_ROLE_FRAME);
    s = llmem_canvas_text_string(&c);
    assert_string_equal(s, "2xH100\n+--+\n+--+\n");
    free(s);
    /* clipping: text stops at the clip edge */
    c.ascii = false;
    llmem_canvas_clear(&c);
    llmem_canvas_clip(&c, (llmem_rect){2, 0, 3, 1});
    llmem_canvas_text(&c, 0, 0, -1, "abcdefg", LLMEM_ROLE_NORMAL, false);
    llmem_canvas_unclip(&c);
    assert_string_equal(row(&c, 0), "  cde       ");
    /* right alignment ends at x + w - 1 */
    llmem_canvas_clear(&c);
    llmem_canvas_text_right(&c, 0, 0, 6, "42", LLMEM_ROLE_VALUE, true);
    assert_string_equal(row(&c, 0), "    42      ");
    assert_true(llmem_canvas_at(&c, 5, 0)->bold);
    llmem_canvas_free(&c);
}

static void test_roles_layer(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 4, 1));
    llmem_canvas_put(&c, 0, 0, 'x', LLMEM_ROLE_WEIGHTS, false);
    llmem_canvas_put(&c, 1, 0, 'x', LLMEM_ROLE_OVER, true);
    char buf[64] = {0};
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    assert_int_equal(llmem_canvas_dump_roles(&c, f), 0);
    fclose(f);
    /* weights 'w', over 'r' upper-cased for bold, normal '.' */
    assert_string_equal(buf, "wR..\n");
    llmem_canvas_free(&c);
}

static void test_svg(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 3, 1));
    llmem_canvas_text(&c, 0, 0, -1, "<&", LLMEM_ROLE_NORMAL, true);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(llmem_canvas_dump_svg(&c, llmem_theme_get("dark"), f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(buf, "&lt;&amp;"));        /* escaped */
    assert_non_null(strstr(buf, "font-weight=\"bold\""));
    assert_non_null(strstr(buf, "</svg>"));
    free(buf);
    llmem_canvas_free(&c);
}

static void test_key_script(void **state)
{
    (void)state;
    const char *s = "j<Left><S-Right><enter><C-r><Click:3,4><Resize:80x24><lt>\xc3\xa9";
    llmem_event ev;
    int want_keys[] = {'j', LLMEM_KEY_LEFT, LLMEM_KEY_SRIGHT, LLMEM_KEY_ENTER, 18};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(llmem_keys_next(&s, &ev), 1);
        assert_int_equal(ev.type, LLMEM_EV_KEY);
        assert_int_equal(ev.key, want_keys[i]);
    }
    assert_int_equal(llmem_keys_next(&s, &ev), 1);
    assert_int_equal(ev.type, LLMEM_EV_MOUSE);
    assert_int_equal(ev.mouse, LLMEM_MOUSE_PRESS);
    assert_int_equal(ev.x, 3);
    assert_int_equal(ev.y, 4);
    assert_int_equal(llmem_keys_next(&s, &ev), 1);
    assert_int_equal(ev.type, LLMEM_EV_RESIZE);
    assert_int_equal(ev.cols, 80);
    assert_int_equal(ev.rows, 24);
    assert_int_equal(llmem_keys_next(&s, &ev), 1);
    assert_int_equal(ev.key, '<');
    assert_int_equal(llmem_keys_next(&s, &ev), 1);
    assert_int_equal(ev.key, 0xe9); /* é, one UTF-8 character */
    assert_int_equal(llmem_keys_next(&s, &ev), 0);
    const char *bad = "<Nope>";
    assert_int_equal(llmem_keys_next(&bad, &ev), -1);
    const char *bad2 = "<Click:1>";
    assert_int_equal(llmem_keys_next(&bad2, &ev), -1);
}

/* The large figure: "1.5" in the 3x5 pixel font, each pixel two cells,
 * one blank column between characters.  Expected cells written by hand:
 * "1" = " # / ## / # / # / ###", "." = a dot on the last row,
 * "5" = "### / # / ### / # / ###". */
static void test_big_figure(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 16, 5));
    c.ascii = true;
    assert_int_equal(llmem_w_big_width("1.5"), 6 + 1 + 2 + 1 + 6);
    assert_int_equal(llmem_w_big(&c, 0, 0, "1.5", LLMEM_ROLE_OK), 16);
    assert_string_equal(row(&c, 0), "  ##      ######");
    assert_string_equal(row(&c, 1), "####      ##    ");
    assert_string_equal(row(&c, 2), "  ##      ######");
    assert_string_equal(row(&c, 3), "  ##          ##");
    assert_string_equal(row(&c, 4), "###### ## ######");
    assert_int_equal(llmem_canvas_at(&c, 0, 4)->role, LLMEM_ROLE_OK);
    assert_true(llmem_canvas_at(&c, 0, 4)->bold);
    /* Unicode: the full block */
    llmem_canvas_clear(&c);
    c.ascii = false;
    llmem_w_big(&c, 0, 0, "7", LLMEM_ROLE_OK);
    assert_string_equal(row(&c, 0), "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88          ");
    assert_string_equal(row(&c, 4), "    \xe2\x96\x88\xe2\x96\x88          ");
    llmem_canvas_free(&c);
}

/* SVG: block elements also get a rectangle in the text colour (no stripes
 * between rows), and the text still carries the glyph. */
static void test_svg_blocks(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 2, 1));
    llmem_canvas_put(&c, 0, 0, 0x2588, LLMEM_ROLE_WEIGHTS, false); /* full block */
    llmem_canvas_put(&c, 1, 0, 0x258C, LLMEM_ROLE_WEIGHTS, false); /* left half */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const llmem_theme *t = llmem_theme_get("mono");
    assert_int_equal(llmem_canvas_dump_svg(&c, t, f), 0);
    fclose(f);
    /* cells are 8.43 x 17 px: the full block fills 8.43, the half 4.21 */
    char want[128];
    snprintf(want, sizeof want, "<rect x=\"0.00\" y=\"0\" width=\"8.43\" height=\"17\" fill=\"#%06x\"/>",
             t->fg_rgb);
    assert_non_null(strstr(buf, want));
    snprintf(want, sizeof want, "<rect x=\"8.43\" y=\"0\" width=\"4.21\" height=\"17\" fill=\"#%06x\"/>",
             t->fg_rgb);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, "\xe2\x96\x88\xe2\x96\x8c</tspan>"));
    free(buf);
    llmem_canvas_free(&c);
}

/* A capacity line with a crossing: the mark sits on the line at the
 * crossing's column, and the label goes where the cells are blank.
 * Points (1,1) (2,2) (3,3) (4,4) on linear axes, line at y = 2.5 crossed at
 * x = 2.5: halfway along the plot. */
static void test_chart_crossing(void **state)
{
    (void)state;
    llmem_canvas c;
    assert_true(llmem_canvas_init(&c, 40, 12));
    c.ascii = true;
    const double xs[] = {1, 2, 3, 4}, ys[] = {1, 2, 3, 4};
    llmem_hline h = {.y = 2.5, .label = NULL, .role = LLMEM_ROLE_OVER, .cross_x = 2.5, .cross_label = "max"};
    llmem_chart ch = {xs, ys, NULL, 4, false, false, 1, 4, &h, 1, -1, NULL, NULL, NULL};
    llmem_w_chart(&c, (llmem_rect){0, 0, 40, 12}, &ch, llmem_glyphs_get(true));
    /* plot: x from column 11, 29 columns wide; rows 0..9 (two rows for the axis) */
    int px = 11, pw = 29, ph = 10;
    int col = px + (int)lround(0.5 * (pw - 1)), row = ph - 1 - (int)lround(0.5 * (ph - 1));
    assert_int_equal(llmem_canvas_at(&c, col, row)->ch, 'X');
    assert_int_equal(llmem_canvas_at(&c, col, row)->role, LLMEM_ROLE_ACCENT);
    /* the label: above the line, ending just left of the mark (blank there:
     * the rising curve is below the line on the left) */
    assert_int_equal(llmem_canvas_at(&c, col - 4, row - 1)->ch, 'm');
    assert_int_equal(llmem_canvas_at(&c, col - 2, row - 1)->ch, 'x');
    llmem_canvas_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slider),     cmocka_unit_test(test_slider_ascii),
        cmocka_unit_test(test_bar),        cmocka_unit_test(test_stacked),
        cmocka_unit_test(test_box_and_text), cmocka_unit_test(test_roles_layer),
        cmocka_unit_test(test_svg),        cmocka_unit_test(test_key_script),
        cmocka_unit_test(test_big_figure), cmocka_unit_test(test_svg_blocks),
        cmocka_unit_test(test_chart_crossing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
