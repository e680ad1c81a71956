/* Overflow-checked 64-bit arithmetic for exact counts.
 *
 * A running computation carries a `bool *ok`; once any step overflows the
 * result is meaningless and the caller reports LLM_ERR_OVERFLOW instead of a
 * wrapped number.
 */
#ifndef LLMEM_ENGINE_CHECKED_H
#define LLMEM_ENGINE_CHECKED_H
#include <stdbool.h>
#include <stdint.h>

static inline uint64_t ck_mul(uint64_t a, uint64_t b, bool *ok)
{
    uint64_t r;
    if (__builtin_mul_overflow(a, b, &r)) {
        *ok = false;
        return UINT64_MAX;
    }
    return r;
}

static inline uint64_t ck_add(uint64_t a, uint64_t b, bool *ok)
{
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        *ok = false;
        return UINT64_MAX;
    }
    return r;
}

static inline uint64_t ck_mul3(uint64_t a, uint64_t b, uint64_t c, bool *ok)
{
    return ck_mul(ck_mul(a, b, ok), c, ok);
}
#endif
