/* llmem — number formatting shared by the command line and the explorer.
 *
 * Pure functions: each writes into a caller's buffer, always NUL-terminates
 * (when cap > 0) and returns the length it wanted, like snprintf.  No
 * allocation, no locale: the decimal point is always '.', the thousands
 * separator always ','.  Non-finite values print as "n/a" (NaN) or "inf".
 *
 * Conventions (docs/formulas.md §8): bytes in binary units (GiB = 2^30) by
 * default or decimal units (GB = 10^9) on request, the unit always printed;
 * parameter counts with decimal prefixes (K = 10^3, M = 10^6, B = 10^9,
 * T = 10^12).
 */
#ifndef LLMEM_FORMAT_H
#define LLMEM_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_units {
    LLM_UNITS_GIB = 0, /* B, KiB, MiB, GiB, TiB, PiB, EiB (powers of 1024) */
    LLM_UNITS_GB       /* B, kB, MB, GB, TB, PB, EB (powers of 1000) */
} llm_units;

/* "gib" / "gb" (also accepts "GiB", "GB"); false on anything else. */
bool llm_units_parse(const char *s, llm_units *out);
/* "GiB" or "GB": the unit name of scale 3 (used in headers). */
const char *llm_units_name(llm_units u);

/* Scales of a byte count: 0 = B, 1 = KiB/kB, 2 = MiB/MB, 3 = GiB/GB,
 * 4 = TiB/TB, 5 = PiB/PB, 6 = EiB/EB. */
#define LLM_SCALE_B 0
#define LLM_SCALE_K 1
#define LLM_SCALE_M 2
#define LLM_SCALE_G 3
#define LLM_SCALE_T 4
#define LLM_SCALE_P 5
#define LLM_SCALE_E 6
/* The unit name of a scale ("MiB", "MB"); "?" outside 0..6. */
const char *llm_bytes_unit(llm_units u, int scale);
/* The largest scale at which |bytes| is at least 1 once rounded to two
 * decimals would still be below the next step (so 1023.999 MiB is 1.00 GiB). */
int llm_bytes_scale(double bytes, llm_units u);

/* Bytes at the automatic scale with two decimals and the unit:
 * 16060522496 -> "14.96 GiB" (GIB) or "16.06 GB" (GB); under one unit step
 * whole bytes: "512 B".  Negative values get a '-'. */
size_t llm_fmt_bytes(char *buf, size_t cap, double bytes, llm_units u);
/* Bytes at a fixed scale with `decimals` decimals, with or without the unit:
 * (16060522496, GIB, LLM_SCALE_G, 2, false) -> "14.96".  For aligned columns. */
size_t llm_fmt_bytes_at(char *buf, size_t cap, double bytes, llm_units u, int scale, int decimals,
                        bool with_unit);
/* A signed difference: "+1.50 GiB", "-512 B", "0 B". */
size_t llm_fmt_bytes_delta(char *buf, size_t cap, double bytes, llm_units u);

/* A count with decimal prefixes K/M/B/T and the precision of a table:
 * two decimals below 100, one from 100 up: 8030261248 -> "8.03 B",
 * 124439808 -> "124.4 M", 175e9 -> "175.0 B"; below 1000 the whole number:
 * "768"; from 1000 T up exponent form with three digits: 4.36e15 ->
 * "4.36e15".  Used for parameter counts and token counts. */
size_t llm_fmt_count(char *buf, size_t cap, double n);

/* FLOPs: below 10^18 with SI prefixes and three significant digits
 * ("48.2 GFLOP", "312 TFLOP", "1.23 PFLOP", "500 FLOP"); from 10^18 up in
 * exponent form with three significant digits ("3.14e+23 FLOP"). */
size_t llm_fmt_flops(char *buf, size_t cap, double flops);
/* A rate, same rules with "FLOP/s": "989 TFLOP/s". */
size_t llm_fmt_flops_rate(char *buf, size_t cap, double flops_per_s);

/* Durations, one decimal in the largest fitting unit:
 * "850 ms", "45.2 s", "12.5 min", "3.2 h", "6.0 days", "2.3 years"
 * (below 1 ms: "0.12 ms"; hours up to 48 h, days up to 365 days). */
size_t llm_fmt_duration(char *buf, size_t cap, double seconds);

/* Tokens per second: "45.2 tok/s" below 100, "12,345 tok/s" below a
 * million, "1.23 M tok/s" from there. */
size_t llm_fmt_tokens_per_s(char *buf, size_t cap, double tps);

/* Whole numbers with thousands separators: 8030261248 -> "8,030,261,248". */
size_t llm_fmt_int(char *buf, size_t cap, uint64_t n);

/* A fraction as a percentage: (0.7412, 0) -> "74%", (0.4, 1) -> "40.0%". */
size_t llm_fmt_percent(char *buf, size_t cap, double fraction, int decimals);
/* Memory use against a capacity, where the side of 100% is the verdict:
 * whole percent ("74%", "370%"), one decimal from 99% to 101% ("99.6%",
 * "100.4%"), never rounded across 100% (1.000003 -> "100.1%", 0.99996 ->
 * "100.0%"), and exponent form from 100,000% up ("5.81e14%"). */
size_t llm_fmt_use(char *buf, size_t cap, double fraction);

/* Fast decimal digits of n (no separators) into buf, which must hold 21
 * bytes; returns the length and NUL-terminates.  For streaming output. */
size_t llm_fmt_u64(char *buf, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
