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

/* Divisibility and division by d > 0 without a `div` instruction when d is
 * a power of two (tp, pp, heads usually are): a 64-bit division costs tens
 * of cycles, several per estimate.  Same results as % and /. */
static inline bool ck_divides(uint64_t d, uint64_t x)
{
    return (d & (d - 1)) == 0 ? (x & (d - 1)) == 0 : x % d == 0;
}

static inline uint64_t ck_div(uint64_t x, uint64_t d)
{
    return (d & (d - 1)) == 0 ? x >> __builtin_ctzll(d) : x / d;
}

/* A validated size (below 2^40) as a double: through int64_t, one
 * cvtsi2sd instead of the several instructions an unsigned 64-bit
 * conversion takes on x86-64; the same value for anything below 2^63. */
static inline double ck_size_d(uint64_t v)
{
    return (double)(int64_t)v;
}

/* Inline copies of llm_model_head_dim / llm_model_kv_heads for the engine's
 * hot path (the public functions are in params.c). */
static inline uint64_t eng_head_dim(uint64_t head_dim, uint64_t hidden, uint64_t heads)
{
    if (head_dim) return head_dim;
    return heads ? ck_div(hidden, heads) : 0;
}
static inline uint64_t eng_kv_heads(uint64_t kv_heads, uint64_t heads)
{
    return kv_heads ? kv_heads : heads;
}

static inline uint64_t ck_mul3(uint64_t a, uint64_t b, uint64_t c, bool *ok)
{
    return ck_mul(ck_mul(a, b, ok), c, ok);
}
#endif
