/* Fit checks and the fit solver (docs/formulas.md, "Fit").
 *
 * Every estimate is monotone in the quantity searched (more tokens or
 * sequences never need less memory; more GPUs never need more per GPU), so
 * the largest sequence / batch is found by doubling then bisection, exact to
 * the token.
 */
#include <stdio.h>
#include <string.h>

#include "llmem/estimate.h"

#define SEARCH_LIMIT (1ull << 40) /* = the workload's own limit on seq and batch */
#define GPU_LIMIT (1ull << 24)

static llm_code need_gpu(const llm_gpu *gpu, llm_error *err)
{
    if (!gpu)
        return llm_error_set(err, LLM_ERR_INVALID, "a fit needs a GPU (none was given)");
    if (!(gpu->memory_bytes > 0))
        return llm_error_set(err, LLM_ERR_RANGE, "GPU '%s' has no memory capacity", gpu->id);
    return LLM_OK;
}

/* The smallest per-GPU total seen while searching GPU layouts (for the
 * reason given when none fits). */
typedef struct closest {
    double total; /* < 0: nothing valid evaluated */
    uint32_t tp, pp, dp;
} closest;

/* Fits on the GPU?  An invalid workload (e.g. batch above global_batch/dp)
 * counts as not fitting.  `near` (may be NULL) keeps the smallest total. */
static bool fits_near(const llm_model *m, const llm_workload *w, const llm_gpu *gpu, closest *near)
{
    llm_estimate e;
    if (llm_estimate_run(m, w, gpu, &e, NULL) != LLM_OK) return false;
    if (near && (near->total < 0 || e.per_gpu.total < near->total)) {
        near->total = e.per_gpu.total;
        near->tp = w->tp;
        near->pp = w->pp;
        near->dp = w->dp;
    }
    return e.per_gpu.total <= gpu->memory_bytes;
}

static bool fits(const llm_model *m, const llm_workload *w, const llm_gpu *gpu)
{
    return fits_near(m, w, gpu, NULL);
}

static bool tp_ok(const llm_model *m, uint64_t tp)
{
    if (m->heads % tp) return false;
    uint64_t kv = llm_model_kv_heads(m);
    if (m->attn != LLM_ATTN_MLA && kv % tp && tp % kv) return false;
    return true;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

/* Smallest dp >= w->dp that fits, among the dp that keep ep dividing tp x dp
 * (multiples of ep / gcd(ep, tp)).  Without ZeRO more replicas do not lower
 * the memory per GPU, so only the first valid dp is tried; with ZeRO, by
 * doubling and bisection.  0 if none up to the GPU limit or `best`. */
static uint64_t smallest_dp(const llm_model *m, llm_workload *w, const llm_gpu *gpu,
                            uint64_t tp_pp, uint64_t best, closest *near)
{
    uint64_t ep = w->ep ? w->ep : 1;
    uint64_t step = ep / gcd(ep, w->tp);
    uint64_t j0 = (w->dp + step - 1) / step;
    uint64_t lo = j0, hi = j0;
    if (hi * step * tp_pp > GPU_LIMIT) return 0;
    w->dp = (uint32_t)(hi * step);
    if (fits_near(m, w, gpu, near)) return hi * step;
    if (w->zero == 0) return 0;
    for (;;) {
        lo = hi;
        hi *= 2;
        if (hi * step * tp_pp > GPU_LIMIT || hi * step * tp_pp >= best) return 0;
        w->dp = (uint32_t)(hi * step);
        if (fits_near(m, w, gpu, near)) break;
    }
    while (hi - lo > 1) { /* lo does not fit, hi fits */
        uint64_t mid = lo + (hi - lo) / 2;
        w->dp = (uint32_t)(mid * step);
        if (fits_near(m, w, gpu, near)) hi = mid;
        else lo = mid;
    }
    return hi * step;
}

/* The smallest tp x pp x dp that fits: tp over the divisors of heads, pp over
 * the divisors of layers, dp grown only when ZeRO shards over it; ties go to
 * the smaller pp (tensor parallelism first). */
static bool search_gpus(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                        llm_workload *best_w, uint64_t *best_n, closest *near)
{
    uint64_t best = UINT64_MAX;
    uint64_t best_pp = UINT64_MAX;
    for (uint64_t pp = 1; pp <= m->layers && pp <= GPU_LIMIT; pp++) {
        if (m->layers % pp) continue;
        if (pp > best) break;
        for (uint64_t tp = 1; tp <= m->heads && tp <= GPU_LIMIT; tp++) {
            if (!tp_ok(m, tp)) continue;
            if (tp * pp * w->dp > best || (tp * pp * w->dp == best && pp >= best_pp)) continue;
            llm_workload c = *w;
            c.tp = (uint32_t)tp;
            c.pp = (uint32_t)pp;
            c.gpus = 0; /* = tp x pp x dp while dp is searched; set below */
            if (pp < 2 || m->layers % (pp * c.vpp)) c.vpp = 1;
            uint64_t dp = smallest_dp(m, &c, gpu, tp * pp,
                                      best == UINT64_MAX ? UINT64_MAX : best + 1, near);
            if (!dp) continue;
            c.dp = (uint32_t)dp;
            uint64_t n = tp * pp * dp;
            if (w->gpus) c.gpus = (uint32_t)n; /* an explicit count stays explicit */
            if (n < best || (n == best && pp < best_pp)) {
                best = n;
                best_pp = pp;
                *best_w = c;
            }
            if (w->zero == 0) break; /* dp is fixed: a larger tp only adds GPUs */
        }
    }
    if (best == UINT64_MAX) return false;
    *best_n = best;
    return true;
}

llm_code llm_fit_check(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                       llm_fit *out, llm_error *err)
{
    llm_code rc = need_gpu(gpu, err);
    if (rc) return rc;
    llm_estimate e;
    rc = llm_estimate_run(m, w, gpu, &e, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->fits = e.per_gpu.total <= gpu->memory_bytes;
    out->utilisation = e.per_gpu.total / gpu->memory_bytes;
    llm_workload bw;
    uint64_t n;
    if (search_gpus(m, w, gpu, &bw, &n, NULL)) out->gpus_needed = n;
    else if (!out->fits) out->gpus_needed = 0;
    return LLM_OK;
}

#define GIB 1073741824.0

/* Per-GPU total of a workload (-1 when it is invalid). */
static double total_of(const llm_model *m, const llm_workload *w, const llm_gpu *gpu)
{
    llm_estimate e;
    if (llm_estimate_run(m, w, gpu, &e, NULL) != LLM_OK) return -1.0;
    return e.per_gpu.total;
}

static void set_warnings(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                         llm_solve_result *out)
{
    llm_estimate e;
    if (llm_estimate_run(m, w, gpu, &e, NULL) == LLM_OK) out->warnings = e.warnings;
}

/* Largest value in [1, SEARCH_LIMIT] of *field that fits; 0 if 1 does not. */
static uint64_t largest(const llm_model *m, llm_workload *w, const llm_gpu *gpu, uint64_t *field)
{
    *field = 1;
    if (!fits(m, w, gpu)) return 0;
    uint64_t lo = 1, hi = 2;
    for (;;) { /* lo fits */
        *field = hi;
        if (!fits(m, w, gpu)) break;
        lo = hi;
        if (hi >= SEARCH_LIMIT) return SEARCH_LIMIT;
        hi = hi * 2 > SEARCH_LIMIT ? SEARCH_LIMIT : hi * 2;
    }
    while (hi - lo > 1) { /* lo fits, hi does not */
        uint64_t mid = lo + (hi - lo) / 2;
        *field = mid;
        if (fits(m, w, gpu)) lo = mid;
        else hi = mid;
    }
    *field = lo;
    return lo;
}

llm_code llm_fit_solve(const llm_model *m, const llm_workload *w, const llm_gpu *gpu,
                       llm_solve what, const llm_dtype *candidates, size_t ncandidates,
                       llm_solve_result *out, llm_error *err)
{
    llm_code rc = need_gpu(gpu, err);
    if (rc) return rc;
    rc = llm_workload_validate(m, w, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    llm_workload c = *w;
    out->workload = *w;
    switch (what) {
    case LLM_SOLVE_SEQ:
    case LLM_SOLVE_BATCH: {
        /* The memory question is answered exactly even past the model's
         * max_seq; the warnings say so (LLM_WARN_SEQ_ABOVE_CONTEXT). */
        bool seq = what == LLM_SOLVE_SEQ;
        uint64_t v = largest(m, &c, gpu, seq ? &c.seq : &c.micro_batch);
        out->found = v > 0;
        out->value = v;
        if (v) {
            out->workload = c;
            set_warnings(m, &c, gpu, out);
        } else {
            double t1 = total_of(m, &c, gpu);
            const char *what_s = seq ? "sequence length" : "micro-batch";
            if (t1 < 0)
                snprintf(out->reason, sizeof out->reason, "the workload is invalid at %s 1",
                         what_s);
            else
                snprintf(out->reason, sizeof out->reason,
                         "%s 1 does not fit: %.2f GiB per GPU, capacity %.2f GiB", what_s,
                         t1 / GIB, gpu->memory_bytes / GIB);
        }
        return LLM_OK;
    }
    case LLM_SOLVE_GPUS: {
        uint64_t n;
        llm_workload bw;
        closest near = {-1.0, 0, 0, 0};
        out->found = search_gpus(m, w, gpu, &bw, &n, &near);
        if (out->found) {
            out->value = n;
            out->workload = bw;
            set_warnings(m, &bw, gpu, out);
        } else if (near.total >= 0) {
            snprintf(out->reason, sizeof out->reason,
                     "no layout up to %llu GPUs fits: smallest per-GPU total %.2f GiB "
                     "(tp %u, pp %u, dp %u), capacity %.2f GiB",
                     (unsigned long long)GPU_LIMIT, near.total / GIB, near.tp, near.pp, near.dp,
                     gpu->memory_bytes / GIB);
        } else {
            snprintf(out->reason, sizeof out->reason,
                     "no valid tp x pp x dp layout for this model and workload");
        }
        return LLM_OK;
    }
    case LLM_SOLVE_PRECISION: {
        /* The least aggressive precision that fits: the candidate with the
         * most bytes per weight among those that fit (first on ties). */
        if (!candidates || ncandidates == 0)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "solving for precision needs candidate precisions");
        double best_bytes = -1.0;
        for (size_t i = 0; i < ncandidates; i++) {
            c = *w;
            c.weights = candidates[i];
            if (!fits(m, &c, gpu)) continue;
            if (candidates[i].bytes > best_bytes) {
                best_bytes = candidates[i].bytes;
                out->found = true;
                out->value = i;
                out->workload = c;
            }
        }
        if (out->found) set_warnings(m, &out->workload, gpu, out);
        else snprintf(out->reason, sizeof out->reason,
                      "none of the %zu candidate precisions fits", ncandidates);
        return LLM_OK;
    }
    default:
        return llm_error_set(err, LLM_ERR_INVALID, "unknown solve target %d", (int)what);
    }
}
