/* Locale-proof decimal conversions: the text is rebuilt as "DIGITSeEXP"
 * (no decimal point at all) before strtod, and printf's "%.*e" output is
 * taken apart digit by digit, so LC_NUMERIC never matters. */
#include "io/numtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 780 /* beyond any double's exact decimal expansion's relevance */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool llm_num_read(const char *s, bool sign, bool separators, double *out, const char **end)
{
    char canon[MAX_DIGITS + 32];
    size_t n = 0;
    long scale = 0;
    const char *p = s;
    bool neg = false, any = false;
    if (sign && (*p == '-' || *p == '+')) neg = *p++ == '-';
    if (neg) canon[n++] = '-';
    size_t first = n;
    while (is_digit(*p) || (separators && (*p == '_' || *p == ',') && any && is_digit(p[1]))) {
        if (is_digit(*p)) {
            any = true;
            if (n - first < MAX_DIGITS) canon[n++] = *p;
            else scale++;
        }
        p++;
    }
    if (*p == '.' && is_digit(p[1])) {
        p++;
        for (; is_digit(*p); p++) {
            any = true;
            if (n - first < MAX_DIGITS) {
                canon[n++] = *p;
                scale--;
            }
        }
    }
    if (!any) return false;
    if ((*p == 'e' || *p == 'E') &&
        (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
        p++;
        long e = 0, es = 1;
        if (*p == '+' || *p == '-') es = *p++ == '-' ? -1 : 1;
        for (; is_digit(*p); p++)
            if (e < 100000) e = e * 10 + (*p - '0');
        scale += es * e;
    }
    snprintf(canon + n, sizeof canon - n, "e%ld", scale);
    *out = strtod(canon, NULL);
    if (end) *end = p;
    return true;
}

/* The digits and decimal exponent of v with `prec` digits after the first. */
static void digits_of(double v, int prec, char *digits, size_t cap, int *exp10)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", prec, v);
    size_t n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (is_digit(*p) && n + 1 < cap) digits[n++] = *p;
    digits[n] = '\0';
    *exp10 = *p ? atoi(p + 1) : 0;
}

size_t llm_num_format(double v, char *buf, size_t cap)
{
    char d[32];
    int e10 = 0;
    if (!(v > 0)) return (size_t)snprintf(buf, cap, "0");
    for (int prec = 0; prec <= 17; prec++) {
        digits_of(v, prec, d, sizeof d, &e10);
        char test[64];
        snprintf(test, sizeof test, "%se%d", d, e10 - prec);
        if (strtod(test, NULL) == v || prec == 17) break;
    }
    size_t nd = strlen(d);
    while (nd > 1 && d[nd - 1] == '0') d[--nd] = '\0';
    char out[64];
    size_t n = 0;
    if (e10 < -6 || e10 > 15) {
        out[n++] = d[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, d + 1, nd - 1);
            n += nd - 1;
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "e%+d", e10);
    } else if (e10 < 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = -1; i > e10; i--) out[n++] = '0';
        memcpy(out + n, d, nd);
        n += nd;
    } else {
        for (int i = 0; i <= e10; i++) out[n++] = (size_t)i < nd ? d[i] : '0';
        if (nd > (size_t)e10 + 1) {
            out[n++] = '.';
            memcpy(out + n, d + e10 + 1, nd - (size_t)e10 - 1);
            n += nd - (size_t)e10 - 1;
        }
    }
    out[n] = '\0';
    return (size_t)snprintf(buf, cap, "%s", out);
}
