/* Rows for streaming output: digits are written by hand (llm_fmt_u64 and a
 * fixed-point path for fractions) because printf dominates the cost of a
 * sweep row otherwise. */
#include <math.h>
#include <string.h>

#include "cli/cli_int.h"

void llmem_row_reset(llmem_row *r)
{
    r->len = 0;
}

static bool room(const llmem_row *r, size_t n)
{
    return r->len + n < sizeof r->buf;
}

void llmem_row_str(llmem_row *r, const char *s)
{
    size_t n = strlen(s);
    if (!room(r, n)) return;
    memcpy(r->buf + r->len, s, n);
    r->len += n;
}

void llmem_row_char(llmem_row *r, char c)
{
    if (room(r, 1)) r->buf[r->len++] = c;
}

void llmem_row_u64(llmem_row *r, uint64_t v)
{
    if (!room(r, 21)) return;
    r->len += llm_fmt_u64(r->buf + r->len, v);
}

void llmem_row_whole(llmem_row *r, double v)
{
    if (!isfinite(v)) return;
    if (!room(r, 32)) return;
    if (v < 0) {
        if (round(v) != 0.0) r->buf[r->len++] = '-';
        v = -v;
    }
    if (v < 9.2e18) {
        llmem_row_u64(r, (uint64_t)(v + 0.5)); /* v >= 0 here */
    } else {
        r->len += (size_t)snprintf(r->buf + r->len, sizeof r->buf - r->len, "%.0f", v);
    }
}

void llmem_row_num(llmem_row *r, double v)
{
    if (!isfinite(v) || !room(r, 40)) return;
    double a = fabs(v);
    if (a != 0.0 && (a < 1e-4 || a >= 1e14)) {
        r->len += (size_t)snprintf(r->buf + r->len, sizeof r->buf - r->len, "%.6g", v);
        return;
    }
    uint64_t scaled = (uint64_t)llround(a * 10000.0);
    if (v < 0 && scaled) r->buf[r->len++] = '-';
    llmem_row_u64(r, scaled / 10000u);
    unsigned frac = (unsigned)(scaled % 10000u);
    if (frac) {
        char d[5];
        int n = 4;
        for (int i = 3; i >= 0; i--) {
            d[i] = (char)('0' + (int)(frac % 10u));
            frac /= 10u;
        }
        while (n > 0 && d[n - 1] == '0') n--;
        r->buf[r->len++] = '.';
        memcpy(r->buf + r->len, d, (size_t)n);
        r->len += (size_t)n;
    }
}

void llmem_row_write(llmem_row *r, FILE *f)
{
    fwrite(r->buf, 1, r->len, f);
    r->len = 0;
}
