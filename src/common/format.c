/* Number formatting shared by the command line and the explorer (see
 * include/llmem/format.h).  Everything goes through snprintf with the "C"
 * conventions built in: no locale is consulted for separators. */
#include "llmem/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const unit_bin[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
static const char *const unit_dec[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
#define NSCALES 7

/* snprintf's int result as the size_t length it wanted (never negative with
 * our formats). */
static size_t wanted(int n)
{
    return n < 0 ? 0 : (size_t)n;
}

/* NaN / infinity as text; returns true (and fills buf) when v is not finite. */
static bool nonfinite(char *buf, size_t cap, double v, const char *suffix, size_t *len)
{
    if (isfinite(v)) return false;
    const char *t = isnan(v) ? "n/a" : (v < 0 ? "-inf" : "inf");
    *len = wanted(snprintf(buf, cap, "%s%s%s", t, suffix[0] ? " " : "", suffix));
    return true;
}

bool llm_units_parse(const char *s, llm_units *out)
{
    if (!s) return false;
    if (strcmp(s, "gib") == 0 || strcmp(s, "GiB") == 0) {
        *out = LLM_UNITS_GIB;
        return true;
    }
    if (strcmp(s, "gb") == 0 || strcmp(s, "GB") == 0) {
        *out = LLM_UNITS_GB;
        return true;
    }
    return false;
}

const char *llm_units_name(llm_units u)
{
    return u == LLM_UNITS_GB ? "GB" : "GiB";
}

const char *llm_bytes_unit(llm_units u, int scale)
{
    if (scale < 0 || scale >= NSCALES) return "?";
    return u == LLM_UNITS_GB ? unit_dec[scale] : unit_bin[scale];
}

static double step_of(llm_units u)
{
    return u == LLM_UNITS_GB ? 1000.0 : 1024.0;
}

int llm_bytes_scale(double bytes, llm_units u)
{
    double a = fabs(bytes);
    if (!isfinite(a)) return 0;
    double step = step_of(u);
    int s = 0;
    double v = a;
    while (s < NSCALES - 1 && v >= step) {
        v /= step;
        s++;
    }
    /* 1023.999 MiB prints as "1024.00": move it up to "1.00 GiB". */
    if (s > 0 && s < NSCALES - 1 && round(v * 100.0) / 100.0 >= step) s++;
    return s;
}

size_t llm_fmt_bytes_at(char *buf, size_t cap, double bytes, llm_units u, int scale, int decimals,
                        bool with_unit)
{
    size_t len;
    if (scale < 0) scale = 0;
    if (scale >= NSCALES) scale = NSCALES - 1;
    const char *unit = llm_bytes_unit(u, scale);
    if (nonfinite(buf, cap, bytes, with_unit ? unit : "", &len)) return len;
    double v = bytes / pow(step_of(u), scale);
    if (decimals < 0) decimals = 0;
    if (v == 0.0) v = 0.0; /* no "-0.00" */
    if (fabs(v) < 0.5 * pow(10.0, -decimals)) v = 0.0;
    if (with_unit) return wanted(snprintf(buf, cap, "%.*f %s", decimals, v, unit));
    return wanted(snprintf(buf, cap, "%.*f", decimals, v));
}

size_t llm_fmt_bytes(char *buf, size_t cap, double bytes, llm_units u)
{
    size_t len;
    if (nonfinite(buf, cap, bytes, "B", &len)) return len;
    int s = llm_bytes_scale(bytes, u);
    return llm_fmt_bytes_at(buf, cap, bytes, u, s, s == 0 ? 0 : 2, true);
}

size_t llm_fmt_bytes_delta(char *buf, size_t cap, double bytes, llm_units u)
{
    if (isfinite(bytes) && bytes > 0) {
        char tmp[64];
        llm_fmt_bytes(tmp, sizeof tmp, bytes, u);
        return wanted(snprintf(buf, cap, "+%s", tmp));
    }
    return llm_fmt_bytes(buf, cap, bytes, u);
}

/* "4.36e15": three significant digits, no '+' and no leading zeros in the
 * exponent (printf's "4.36e+15" reads less well in a table). */
static size_t fmt_exp3(char *buf, size_t cap, double x)
{
    char t[48];
    snprintf(t, sizeof t, "%.2e", x);
    char *e = strchr(t, 'e');
    if (!e) return wanted(snprintf(buf, cap, "%s", t));
    char *d = e + 1;
    bool neg = *d == '-';
    if (*d == '+' || *d == '-') d++;
    while (*d == '0' && d[1]) d++;
    *e = '\0';
    return wanted(snprintf(buf, cap, "%se%s%s", t, neg ? "-" : "", d));
}

size_t llm_fmt_count(char *buf, size_t cap, double n)
{
    static const char *const pre[] = {"", "K", "M", "B", "T"};
    size_t len;
    if (nonfinite(buf, cap, n, "", &len)) return len;
    double a = fabs(n);
    if (a < 999.5) return wanted(snprintf(buf, cap, "%.0f", n == 0.0 ? 0.0 : n));
    /* beyond T: exponent form rather than an unfamiliar prefix */
    if (a >= 999.95e12) return fmt_exp3(buf, cap, n);
    int s = 0;
    double v = a;
    while (s < 4 && v >= 1000.0) {
        v /= 1000.0;
        s++;
    }
    /* Rounding can carry into the next prefix: 999.96 M is 1.00 B. */
    if (s < 4 && round(v * 10.0) / 10.0 >= 1000.0) {
        v /= 1000.0;
        s++;
    }
    int dec = v < 99.995 ? 2 : 1;
    return wanted(snprintf(buf, cap, "%s%.*f %s", n < 0 ? "-" : "", dec, v, pre[s]));
}

/* Three significant digits with SI prefixes up to peta, exponent form above. */
static size_t fmt_si3(char *buf, size_t cap, double x, const char *unit)
{
    static const char *const pre[] = {"", "k", "M", "G", "T", "P"};
    size_t len;
    if (nonfinite(buf, cap, x, unit, &len)) return len;
    double a = fabs(x);
    if (a >= 999.5e15) return wanted(snprintf(buf, cap, "%.2e %s", x, unit));
    if (a < 0.995) return wanted(snprintf(buf, cap, "%.2g %s", x == 0.0 ? 0.0 : x, unit));
    int s = 0;
    double v = a;
    while (s < 5 && v >= 1000.0) {
        v /= 1000.0;
        s++;
    }
    if (s < 5 && v >= 999.5) {
        v /= 1000.0;
        s++;
    }
    int dec = v < 9.995 ? 2 : (v < 99.95 ? 1 : 0);
    return wanted(snprintf(buf, cap, "%s%.*f %s%s", x < 0 ? "-" : "", dec, v, pre[s], unit));
}

size_t llm_fmt_flops(char *buf, size_t cap, double flops)
{
    return fmt_si3(buf, cap, flops, "FLOP");
}

size_t llm_fmt_flops_rate(char *buf, size_t cap, double flops_per_s)
{
    return fmt_si3(buf, cap, flops_per_s, "FLOP/s");
}

size_t llm_fmt_duration(char *buf, size_t cap, double seconds)
{
    size_t len;
    if (nonfinite(buf, cap, seconds, "", &len)) return len;
    double a = fabs(seconds);
    const char *sign = seconds < 0 ? "-" : "";
    if (a < 0.0005) {
        if (a == 0.0) return wanted(snprintf(buf, cap, "0 s"));
        return wanted(snprintf(buf, cap, "%s%.2f ms", sign, a * 1e3));
    }
    if (a < 0.9995) return wanted(snprintf(buf, cap, "%s%.0f ms", sign, a * 1e3));
    if (a < 59.95) return wanted(snprintf(buf, cap, "%s%.1f s", sign, a));
    if (a < 3597.0) return wanted(snprintf(buf, cap, "%s%.1f min", sign, a / 60.0));
    if (a < 48.0 * 3600.0) return wanted(snprintf(buf, cap, "%s%.1f h", sign, a / 3600.0));
    if (a < 365.0 * 86400.0) return wanted(snprintf(buf, cap, "%s%.1f days", sign, a / 86400.0));
    return wanted(snprintf(buf, cap, "%s%.1f years", sign, a / (365.25 * 86400.0)));
}

/* Two digits per division: this is on the hot path of `llmem sweep`. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930"
                                     "31323334353637383940414243444546474849505152535455565758596061"
                                     "62636465666768697071727374757677787980818283848586878889909192"
                                     "93949596979899";

size_t llm_fmt_u64(char *buf, uint64_t n)
{
    char tmp[20];
    size_t i = sizeof tmp;
    while (n >= 100u) {
        unsigned d = (unsigned)(n % 100u) * 2u;
        n /= 100u;
        tmp[--i] = digit_pairs[d + 1];
        tmp[--i] = digit_pairs[d];
    }
    if (n >= 10u) {
        unsigned d = (unsigned)n * 2u;
        tmp[--i] = digit_pairs[d + 1];
        tmp[--i] = digit_pairs[d];
    } else {
        tmp[--i] = (char)('0' + (int)n);
    }
    size_t len = sizeof tmp - i;
    memcpy(buf, tmp + i, len);
    buf[len] = '\0';
    return len;
}

size_t llm_fmt_int(char *buf, size_t cap, uint64_t n)
{
    char digits[21], out[28];
    size_t nd = llm_fmt_u64(digits, n), o = 0;
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return wanted(snprintf(buf, cap, "%s", out));
}

size_t llm_fmt_tokens_per_s(char *buf, size_t cap, double tps)
{
    size_t len;
    if (nonfinite(buf, cap, tps, "tok/s", &len)) return len;
    double a = fabs(tps);
    if (a < 99.95) return wanted(snprintf(buf, cap, "%.1f tok/s", tps == 0.0 ? 0.0 : tps));
    if (a < 999999.5 && tps > 0) {
        char num[32];
        llm_fmt_int(num, sizeof num, (uint64_t)llround(tps));
        return wanted(snprintf(buf, cap, "%s tok/s", num));
    }
    if (a < 999999.5) return wanted(snprintf(buf, cap, "%.0f tok/s", tps));
    return wanted(snprintf(buf, cap, "%.2f M tok/s", tps / 1e6));
}

size_t llm_fmt_percent(char *buf, size_t cap, double fraction, int decimals)
{
    size_t len;
    if (nonfinite(buf, cap, fraction, "", &len)) return len;
    if (decimals < 0) decimals = 0;
    double v = fraction * 100.0;
    if (fabs(v) < 0.5 * pow(10.0, -decimals)) v = 0.0;
    return wanted(snprintf(buf, cap, "%.*f%%", decimals, v));
}

size_t llm_fmt_use(char *buf, size_t cap, double fraction)
{
    size_t len;
    if (nonfinite(buf, cap, fraction, "", &len)) return len;
    double v = fraction * 100.0;
    if (v >= 99999.5) { /* a thousand times the memory: "5.81e14%" */
        char e[48];
        fmt_exp3(e, sizeof e, v);
        return wanted(snprintf(buf, cap, "%s%%", e));
    }
    if (v >= 99.0 && v < 101.0) {
        /* near the limit one decimal, and never a rounding that hides the
         * verdict: above 100% never prints as 100.0%, at or below never as
         * 100.1% */
        double t = round(v * 10.0) / 10.0;
        if (fraction > 1.0 && t <= 100.0) t = 100.1;
        if (fraction <= 1.0 && t > 100.0) t = 100.0;
        return wanted(snprintf(buf, cap, "%.1f%%", t));
    }
    double t = round(v);
    if (fraction > 1.0 && t <= 100.0) t = 101.0;
    if (fraction <= 1.0 && t > 100.0) t = 100.0;
    if (t == 0.0) t = 0.0;
    return wanted(snprintf(buf, cap, "%.0f%%", t));
}
