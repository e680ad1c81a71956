/* Decimal text <-> double, correctly rounded and independent of the locale
 * (the explorer calls setlocale(LC_ALL, ""), which may make strtod and
 * printf use a decimal comma).  Private to src/io. */
#ifndef LLMEM_IO_NUMTEXT_H
#define LLMEM_IO_NUMTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Reads [sign] digits [. digits] [e|E [sign] digits] at s (or .digits).
 * `sign`: accept a leading '-' or '+'.  `separators`: accept '_' or ','
 * between digits of the integer part.  Stores the value correctly rounded
 * (an overflow gives +-HUGE_VAL) and where reading stopped. */
bool llm_num_read(const char *s, bool sign, bool separators, double *out, const char **end);

/* The shortest plain decimal ("0.4", "1500", "0.000125") that reads back as
 * exactly v (v finite and >= 0; values from 1e-6 to 1e15 are written without
 * an exponent, others as "1.5e+20").  snprintf semantics. */
size_t llm_num_format(double v, char *buf, size_t cap);

#endif
