/* Settings: the KEY=VALUE vocabulary shared by --set, preset workload maps
 * and the explorer's typed entry.  Numbers are parsed by hand (not strtod) so
 * a user locale with a decimal comma cannot change their meaning (fractions go
 * through io/numtext.h). */
#include "llmem/settings.h"

#include "io/numtext.h"
#include "io/preset_load.h"

#include <stdio.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))
#define POW2_40 (1ull << 40)
#define COUNT_MAX 9223372036854775807ull /* 2^63 - 1 */

/* ---- the key table ------------------------------------------------------- */
/* One id per key, in the same order as `keys` below. */
enum key_id {
    K_LAYERS, K_HIDDEN, K_HEADS, K_KV_HEADS, K_HEAD_DIM, K_FFN, K_VOCAB, K_EXPERTS,
    K_ACTIVE_EXPERTS,
    K_MODE, K_SEQ, K_BATCH, K_GLOBAL_BATCH, K_TOKENS, K_GEN_TOKENS,
    K_WEIGHTS, K_GRADS, K_MASTER, K_ACT, K_KV, K_OPTIM,
    K_OPTIMIZER, K_RECOMPUTE, K_FLASH, K_DROPOUT, K_SP, K_PROFILE,
    K_TP, K_PP, K_VPP, K_DP, K_EP, K_ZERO, K_OFFLOAD,
    K_LORA_RANK, K_LORA_TARGETS, K_SPARSITY, K_SPARSE_STORAGE, K_KEEP_16BIT,
    K_GPU, K_GPUS, K_MFU, K_OVERHEAD, K_FRAGMENTATION, K_KV_BLOCK,
    K_TEACHER, K_TEACHER_WEIGHTS,
    K_COUNT_
};

static const char *const switch_choices[] = {"on", "off", NULL};
/* Same order as the enums in llmem/workload.h: index == enum value. */
static const char *const mode_choices[] = {"train", "finetune", "lora", "qlora",
                                           "distill", "infer", NULL};
static const char *const optimizer_choices[] = {"adamw", "adamw8bit", "sgd", "sgdm",
                                                "adafactor", "lion", "none", NULL};
static const char *const recompute_choices[] = {"none", "selective", "full", NULL};
static const char *const profile_choices[] = {"megatron", "eager", NULL};
static const char *const sparse_choices[] = {"dense", "2:4", "csr", NULL};
static const char *const offload_choices[] = {"none", "optimizer", "params", "both", NULL};

#define SHAPE(k, lo, hi, acc, h) {k, LLM_SETTING_SHAPE, LLM_SETTING_COUNT, acc, h, NULL, lo, hi}
#define WCOUNT(k, lo, hi, acc, h) {k, LLM_SETTING_WORKLOAD, LLM_SETTING_COUNT, acc, h, NULL, lo, hi}
#define WKIND(k, kind, acc, h, ch) {k, LLM_SETTING_WORKLOAD, kind, acc, h, ch, 0, 0}

static const llm_setting_info keys[K_COUNT_] = {
    SHAPE("layers", 1, POW2_40, "1..2^40", "decoder layers"),
    SHAPE("hidden", 1, POW2_40, "1..2^40", "residual width d_model"),
    SHAPE("heads", 1, POW2_40, "1..2^40", "attention (query) heads"),
    SHAPE("kv_heads", 0, POW2_40, "0..2^40 (0 = heads)", "key/value heads (GQA/MQA)"),
    SHAPE("head_dim", 0, POW2_40, "0..2^40 (0 = hidden/heads)", "dimension of one head"),
    SHAPE("ffn", 0, POW2_40, "0..2^40", "MLP intermediate width"),
    SHAPE("vocab", 1, POW2_40, "1..2^40", "vocabulary size"),
    SHAPE("experts", 0, POW2_40, "0..2^40 (0 = dense)", "routed experts per MoE layer"),
    SHAPE("active_experts", 0, POW2_40, "0..2^40", "routed experts used per token"),

    WKIND("mode", LLM_SETTING_CHOICE, "train finetune lora qlora distill infer",
          "what is done with the model", mode_choices),
    WCOUNT("seq", 1, POW2_40, "1..2^40 (e.g. 8k = 8192, 128k)", "tokens per sequence"),
    WCOUNT("batch", 1, POW2_40, "1..2^40", "micro-batch: sequences per GPU per step"),
    WCOUNT("global_batch", 0, POW2_40, "0..2^40 (0 = batch x dp)",
           "sequences per optimizer step"),
    WCOUNT("tokens", 0, 1ull << 60, "0..2^60 (e.g. 1e12; 0 = 20 per parameter)",
           "training token budget"),
    WCOUNT("gen_tokens", 0, POW2_40, "0..2^40", "inference: tokens generated"),

    WKIND("weights", LLM_SETTING_DTYPE, "a precision name", "stored weights", NULL),
    WKIND("grads", LLM_SETTING_DTYPE, "a precision name", "gradients", NULL),
    WKIND("master", LLM_SETTING_DTYPE, "a precision name or none", "master weight copy", NULL),
    WKIND("act", LLM_SETTING_DTYPE, "a precision name", "activations / compute", NULL),
    WKIND("kv", LLM_SETTING_DTYPE, "a precision name", "KV cache", NULL),
    WKIND("optim", LLM_SETTING_DTYPE, "a precision name", "optimizer state element", NULL),

    WKIND("optimizer", LLM_SETTING_CHOICE, "adamw adamw8bit sgd sgdm adafactor lion none",
          "optimizer", optimizer_choices),
    WKIND("recompute", LLM_SETTING_CHOICE, "none selective full", "activation recomputation",
          recompute_choices),
    WKIND("flash", LLM_SETTING_SWITCH, "on off", "flash attention", switch_choices),
    WKIND("dropout", LLM_SETTING_SWITCH, "on off", "dropout masks kept", switch_choices),
    WKIND("sp", LLM_SETTING_SWITCH, "on off", "sequence parallelism", switch_choices),
    WKIND("profile", LLM_SETTING_CHOICE, "megatron eager", "activation profile",
          profile_choices),

    WCOUNT("tp", 1, 65536, "1..65536", "tensor-parallel degree"),
    WCOUNT("pp", 1, 65536, "1..65536", "pipeline-parallel degree"),
    WCOUNT("vpp", 1, 65536, "1..65536", "interleaved chunks per GPU (1 = none)"),
    WCOUNT("dp", 1, 16777216, "1..2^24", "data-parallel degree"),
    WCOUNT("ep", 1, 65536, "1..65536", "expert-parallel degree"),
    WCOUNT("zero", 0, 3, "0..3", "ZeRO stage"),
    WKIND("offload", LLM_SETTING_CHOICE, "none optimizer params both", "CPU offload",
          offload_choices),

    WCOUNT("lora_rank", 0, 65536, "0..65536", "LoRA rank"),
    WKIND("lora_targets", LLM_SETTING_CHOICE, "all, or a comma list of q k v o gate up down",
          "matrices that get adapters", NULL),
    WKIND("sparsity", LLM_SETTING_FRACTION, "0..0.99 or a percentage (50%)",
          "fraction of weights pruned", NULL),
    WKIND("sparse_storage", LLM_SETTING_CHOICE, "dense 2:4 csr", "how pruned weights are stored",
          sparse_choices),
    WKIND("keep_16bit", LLM_SETTING_SWITCH, "on off",
          "quantised weights keep embeddings, LM head and norms in 16 bit", switch_choices),

    WKIND("gpu", LLM_SETTING_GPU, "a GPU id or none", "accelerator", NULL),
    WCOUNT("gpus", 0, 16777216, "0..2^24, a multiple of tp x pp (sets dp)",
           "GPU count: sets dp = gpus / (tp x pp)"),
    WKIND("mfu", LLM_SETTING_FRACTION, "0.01..1 or a percentage (40%)",
          "model FLOPs utilisation", NULL),
    WKIND("overhead", LLM_SETTING_BYTES, "0..1PiB with a unit: 0, 512MiB, 1GiB, 1GB, 1PiB",
          "CUDA context + framework per GPU", NULL),
    WKIND("fragmentation", LLM_SETTING_FRACTION, "0..0.99 or a percentage",
          "allocator allowance, fraction of the rest", NULL),
    WCOUNT("kv_block", 0, 1048576, "0..2^20 (0 or 1 = none)", "paged KV block in tokens"),
    WKIND("teacher", LLM_SETTING_PRESET, "a preset id or none",
          "distillation teacher (a preset)", NULL),
    WKIND("teacher_weights", LLM_SETTING_DTYPE, "a precision name",
          "teacher's stored weights (default: the weights')", NULL),
};

size_t llm_setting_count(void) { return K_COUNT_; }

const llm_setting_info *llm_setting_at(size_t i) { return i < K_COUNT_ ? &keys[i] : NULL; }

static int key_index(const char *key)
{
    if (!key) return -1;
    for (int i = 0; i < K_COUNT_; i++)
        if (strcmp(keys[i].key, key) == 0) return i;
    return -1;
}

const llm_setting_info *llm_setting_find(const char *key)
{
    int i = key_index(key);
    return i < 0 ? NULL : &keys[i];
}

size_t llm_setting_keys_text(char *buf, size_t cap)
{
    size_t len = 0;
    if (cap) buf[0] = '\0';
    for (int i = 0; i < K_COUNT_; i++) {
        const char *sep = i ? ", " : "";
        int n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s", sep,
                         keys[i].key);
        if (n > 0) len += (size_t)n;
    }
    return len;
}

/* ---- config defaults ----------------------------------------------------- */
void llm_config_default(llm_config *c)
{
    memset(c, 0, sizeof *c);
    llm_workload_default(&c->workload);
}

void llm_config_from_preset(llm_config *c, const llm_preset *p)
{
    llm_config_default(c);
    c->model = p->model;
    if (p->has_workload) c->workload = p->workload;
    memcpy(c->gpu, p->gpu, sizeof c->gpu);
    c->gpu[sizeof c->gpu - 1] = '\0';
    memcpy(c->teacher, p->teacher, sizeof c->teacher);
    c->teacher[sizeof c->teacher - 1] = '\0';
}

void llm_preset_from_config(llm_preset *out, const llm_preset *base, const llm_config *c,
                            const char *id, const char *name)
{
    if (base) {
        *out = *base;
    } else {
        memset(out, 0, sizeof *out);
        snprintf(out->family, sizeof out->family, "user");
        snprintf(out->analogue, sizeof out->analogue, "configuration saved from llmem");
        snprintf(out->source, sizeof out->source, "saved from llmem");
    }
    if (id) snprintf(out->id, sizeof out->id, "%s", id);
    if (name) snprintf(out->name, sizeof out->name, "%s", name);
    if (!base || !llm_model_equal(&base->model, &c->model)) {
        out->params_published = 0;
        out->params_exact = false;
    }
    out->model = c->model;
    out->has_workload = true;
    out->workload = c->workload;
    memcpy(out->gpu, c->gpu, sizeof out->gpu);
    out->gpu[sizeof out->gpu - 1] = '\0';
    memcpy(out->teacher, c->teacher, sizeof out->teacher);
    out->teacher[sizeof out->teacher - 1] = '\0';
    out->origin[0] = '\0';
}

/* ---- number parsing ------------------------------------------------------ */
/* A decimal literal: digits (with _ or , between digits), an optional
 * fraction, an optional exponent.  Produces digits D, fraction length f and
 * exponent e: value = D x 10^(e - f).  `end` points after what was read. */
typedef struct decimal {
    uint64_t digits;
    int scale; /* value = digits x 10^scale */
    bool overflow;
} decimal;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool read_decimal(const char *s, decimal *d, const char **end)
{
    const char *p = s;
    d->digits = 0;
    d->scale = 0;
    d->overflow = false;
    bool any = false;
    int dropped = 0; /* integer digits that did not fit (only when overflowing) */
    while (is_digit(*p) || ((*p == '_' || *p == ',') && any && is_digit(p[1]))) {
        if (*p != '_' && *p != ',') {
            unsigned dig = (unsigned)(*p - '0');
            if (d->digits > (UINT64_MAX - dig) / 10) {
                d->overflow = true;
                dropped++;
            } else {
                d->digits = d->digits * 10 + dig;
            }
            any = true;
        }
        p++;
    }
    if (*p == '.' && is_digit(p[1])) {
        p++;
        while (is_digit(*p)) {
            unsigned dig = (unsigned)(*p - '0');
            if (!d->overflow && d->digits <= (UINT64_MAX - dig) / 10) {
                d->digits = d->digits * 10 + dig;
                d->scale--;
            } /* else: digits beyond 19 significant ones are dropped */
            any = true;
            p++;
        }
    }
    if (!any) return false;
    d->scale += dropped;
    if ((*p == 'e' || *p == 'E') && (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') &&
                                                          is_digit(p[2])))) {
        p++;
        int sign = 1;
        if (*p == '+' || *p == '-') {
            if (*p == '-') sign = -1;
            p++;
        }
        int e = 0;
        while (is_digit(*p)) {
            if (e < 10000) e = e * 10 + (*p - '0');
            p++;
        }
        d->scale += sign * e;
    }
    *end = p;
    return true;
}

/* digits x 10^scale x mult as a whole number; false if not whole or > max. */
static llm_code decimal_to_u64(decimal d, uint64_t mult, uint64_t max, uint64_t *out)
{
    if (d.digits == 0) {
        *out = 0;
        return LLM_OK;
    }
    if (d.overflow) return LLM_ERR_OVERFLOW;
    /* Drop trailing zeros first so 1.50e3 works without intermediate overflow. */
    while (d.scale < 0 && d.digits % 10 == 0) {
        d.digits /= 10;
        d.scale++;
    }
    uint64_t v;
    if (__builtin_mul_overflow(d.digits, mult, &v)) return LLM_ERR_OVERFLOW;
    for (; d.scale > 0; d.scale--)
        if (__builtin_mul_overflow(v, (uint64_t)10, &v)) return LLM_ERR_OVERFLOW;
    for (; d.scale < 0; d.scale++) {
        if (v % 10 != 0) return LLM_ERR_INVALID;
        v /= 10;
    }
    if (v > max) return LLM_ERR_OVERFLOW;
    *out = v;
    return LLM_OK;
}

static llm_code bad_number(llm_error *err, const char *s, const char *what)
{
    if (s[0] == '-') return llm_error_set(err, LLM_ERR_RANGE, "'%s' is negative; %s", s, what);
    if (s[0] == '\0') return llm_error_set(err, LLM_ERR_INVALID, "empty value; %s", what);
    return llm_error_set(err, LLM_ERR_INVALID, "'%s' is not a number; %s", s, what);
}

#define COUNT_SYNTAX "expected a whole number such as 8192, 8k, 128k, 1M or 1e6"

llm_code llm_parse_count(const char *s, uint64_t *out, llm_error *err)
{
    decimal d;
    const char *end;
    if (!s) s = "";
    if (!read_decimal(s, &d, &end)) return bad_number(err, s, COUNT_SYNTAX);
    uint64_t mult = 1;
    if (*end == 'k' || *end == 'K') mult = 1ull << 10, end++;
    else if (*end == 'M') mult = 1ull << 20, end++;
    else if (*end == 'G') mult = 1ull << 30, end++;
    if (*end != '\0')
        return llm_error_set(err, LLM_ERR_INVALID, "'%s': unexpected '%s'; %s", s, end,
                             COUNT_SYNTAX);
    uint64_t v;
    llm_code rc = decimal_to_u64(d, mult, COUNT_MAX, &v);
    if (rc == LLM_ERR_OVERFLOW)
        return llm_error_set(err, LLM_ERR_OVERFLOW, "'%s' is too large (the limit is 2^63-1)", s);
    if (rc != LLM_OK)
        return llm_error_set(err, LLM_ERR_INVALID, "'%s' is not a whole number", s);
    *out = v;
    return LLM_OK;
}

typedef struct unit {
    const char *name;
    uint64_t mult;
} unit;

static const unit byte_units[] = {
    {"B", 1},
    {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}, {"TiB", 1ull << 40},
    {"KB", 1000ull}, {"kB", 1000ull}, {"MB", 1000000ull}, {"GB", 1000000000ull},
    {"TB", 1000000000000ull}, {"PiB", 1ull << 50}, {"PB", 1000000000000000ull},
};

#define BYTES_SYNTAX "expected a size such as 0, 512MiB, 1GiB or 1GB"

llm_code llm_parse_bytes(const char *s, uint64_t *out, llm_error *err)
{
    decimal d;
    const char *end;
    if (!s) s = "";
    if (!read_decimal(s, &d, &end)) return bad_number(err, s, BYTES_SYNTAX);
    while (*end == ' ') end++;
    uint64_t mult = 1;
    if (*end) {
        bool found = false;
        for (size_t i = 0; i < sizeof byte_units / sizeof byte_units[0]; i++)
            if (strcmp(end, byte_units[i].name) == 0) {
                mult = byte_units[i].mult;
                found = true;
                break;
            }
        if (!found) {
            if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0 || strcmp(end, "M") == 0 ||
                strcmp(end, "G") == 0 || strcmp(end, "T") == 0 || strcmp(end, "P") == 0)
                return llm_error_set(err, LLM_ERR_INVALID,
                                     "'%s': ambiguous unit '%s'; write %siB (binary) or %sB "
                                     "(decimal)",
                                     s, end, end[0] == 'k' ? "K" : end, end);
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "'%s': unknown unit '%s'; units: B KiB MiB GiB TiB PiB KB MB GB TB PB",
                                 s, end);
        }
    }
    uint64_t v;
    llm_code rc = decimal_to_u64(d, mult, COUNT_MAX, &v);
    if (rc == LLM_ERR_OVERFLOW)
        return llm_error_set(err, LLM_ERR_OVERFLOW, "'%s' is too large (the limit is 2^63-1 bytes)",
                             s);
    if (rc != LLM_OK)
        return llm_error_set(err, LLM_ERR_INVALID, "'%s' is not a whole number of bytes", s);
    *out = v;
    return LLM_OK;
}

llm_code llm_parse_switch(const char *s, bool *out, llm_error *err)
{
    static const char *const yes[] = {"on", "true", "yes", "1"};
    static const char *const no[] = {"off", "false", "no", "0"};
    if (!s) s = "";
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return LLM_OK;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return LLM_OK;
        }
    }
    return llm_error_set(err, LLM_ERR_INVALID, "'%s' is not on or off", s);
}

llm_code llm_parse_fraction(const char *s, double *out, llm_error *err)
{
    double v;
    const char *end;
    if (!s) s = "";
    if (!llm_num_read(s, false, false, &v, &end))
        return bad_number(err, s, "expected a fraction such as 0.4 or 40%");
    if (*end == '%' && end[1] == '\0') {
        /* "12.5%" is read as "12.5e-2": one correct rounding, not two */
        char text[128];
        size_t n = (size_t)(end - s);
        if (n < sizeof text - 4 && !memchr(s, 'e', n) && !memchr(s, 'E', n)) {
            memcpy(text, s, n);
            memcpy(text + n, "e-2", 4);
            llm_num_read(text, false, false, &v, NULL);
        } else {
            v /= 100.0;
        }
        end++;
    }
    if (*end != '\0')
        return llm_error_set(err, LLM_ERR_INVALID,
                             "'%s': unexpected '%s'; expected a fraction such as 0.4 or 40%%", s,
                             end);
    if (v > 1.0)
        return llm_error_set(err, LLM_ERR_RANGE, "'%s' is above 1 (100%%)", s);
    *out = v;
    return LLM_OK;
}

size_t llm_format_bytes_exact(uint64_t bytes, char *buf, size_t cap)
{
    static const unit show[] = {{"PiB", 1ull << 50}, {"TiB", 1ull << 40}, {"GiB", 1ull << 30},
                                {"MiB", 1ull << 20}, {"KiB", 1ull << 10},
                                {"PB", 1000000000000000ull}, {"TB", 1000000000000ull},
                                {"GB", 1000000000ull}, {"MB", 1000000ull}, {"KB", 1000ull}};
    int n;
    if (bytes == 0) {
        n = snprintf(buf, cap, "0");
        return n < 0 ? 0 : (size_t)n;
    }
    for (size_t i = 0; i < sizeof show / sizeof show[0]; i++)
        if (bytes % show[i].mult == 0) {
            n = snprintf(buf, cap, "%llu%s", ULL(bytes / show[i].mult), show[i].name);
            return n < 0 ? 0 : (size_t)n;
        }
    n = snprintf(buf, cap, "%lluB", ULL(bytes));
    return n < 0 ? 0 : (size_t)n;
}

/* ---- precisions ---------------------------------------------------------- */
/* Bytes per element from docs/FORMULAS.md §2.  nf4 as bitsandbytes stores it
 * without double quantisation: 4 bits + one fp32 absmax per 64 weights
 * (QLoRA paper §3: 32/64 = 0.5 bit per parameter of constants). */
static const llm_dtype builtin_dtypes[] = {
    {"fp32", 4.0, 32, 0, 0, true},     {"tf32", 4.0, 32, 0, 0, true},
    {"fp16", 2.0, 16, 0, 0, true},     {"bf16", 2.0, 16, 0, 0, true},
    {"fp8", 1.0, 8, 0, 0, true},       {"int8", 1.0, 8, 0, 0, false},
    {"int4", 0.5, 4, 0, 0, false},     {"nf4", 0.5625, 4, 64, 4, false},
};

const llm_dtype *llm_dtype_builtin(size_t *count)
{
    if (count) *count = sizeof builtin_dtypes / sizeof builtin_dtypes[0];
    return builtin_dtypes;
}

/* "fp32, tf32, ..." of every known precision, clipped to cap. */
static void dtype_names(const llm_registry *r, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    size_t nb = sizeof builtin_dtypes / sizeof builtin_dtypes[0];
    size_t nr = r ? r->ndtypes : 0;
    for (size_t i = 0; i < nr + nb; i++) {
        const char *name = i < nr ? r->dtypes[i].name : builtin_dtypes[i - nr].name;
        if (i >= nr && r && llm_registry_find_dtype(r, name)) continue; /* listed already */
        int n = snprintf(buf + len, cap - len, "%s%s", len ? " " : "", name);
        if (n < 0 || (size_t)n >= cap - len) {
            if (cap > 4) memcpy(buf + cap - 4, "...", 4);
            return;
        }
        len += (size_t)n;
    }
}

llm_code llm_dtype_lookup(const llm_registry *r, const char *name, llm_dtype *out, llm_error *err)
{
    if (r) {
        const llm_dtype *d = llm_registry_find_dtype(r, name);
        if (d) {
            *out = *d;
            return LLM_OK;
        }
    }
    for (size_t i = 0; i < sizeof builtin_dtypes / sizeof builtin_dtypes[0]; i++)
        if (strcmp(builtin_dtypes[i].name, name) == 0) {
            *out = builtin_dtypes[i];
            return LLM_OK;
        }
    char known[200];
    dtype_names(r, known, sizeof known);
    return llm_error_set(err, LLM_ERR_NOTFOUND, "unknown precision '%s'; known: %s", name, known);
}

/* ---- apply --------------------------------------------------------------- */
static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= LLM_ID_MAX) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || is_digit(s[0]))) return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static int choice_index(const char *const *choices, const char *s)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0) return i;
    return -1;
}

static const struct {
    const char *name;
    uint32_t bit;
} lora_target_names[] = {
    {"q", LLM_LORA_Q},       {"k", LLM_LORA_K},   {"v", LLM_LORA_V},       {"o", LLM_LORA_O},
    {"gate", LLM_LORA_GATE}, {"up", LLM_LORA_UP}, {"down", LLM_LORA_DOWN},
};
#define N_LORA_TARGETS (sizeof lora_target_names / sizeof lora_target_names[0])

static bool parse_lora_targets(const char *s, uint32_t *out)
{
    if (strcmp(s, "all") == 0) {
        *out = LLM_LORA_ALL;
        return true;
    }
    uint32_t mask = 0;
    const char *p = s;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        bool found = false;
        for (size_t i = 0; i < N_LORA_TARGETS; i++)
            if (strlen(lora_target_names[i].name) == n &&
                strncmp(lora_target_names[i].name, p, n) == 0) {
                mask |= lora_target_names[i].bit;
                found = true;
            }
        if (!found) return false;
        p += n;
        if (*p == ',') {
            p++;
            if (!*p) return false;
        }
    }
    if (!mask) return false;
    *out = mask;
    return true;
}

/* "on off" -> the message tail naming the accepted values. */
static llm_code bad_value(llm_error *err, llm_code code, const llm_setting_info *k,
                          const char *value, const char *why)
{
    if (why && why[0])
        return llm_error_set(err, code, "%s: %s; accepted: %s", k->key, why, k->accepted);
    return llm_error_set(err, code, "%s: '%s' is not accepted; accepted: %s", k->key, value,
                         k->accepted);
}

static const uint64_t *shape_field(const llm_model *m, int id)
{
    switch (id) {
    case K_LAYERS: return &m->layers;
    case K_HIDDEN: return &m->hidden;
    case K_HEADS: return &m->heads;
    case K_KV_HEADS: return &m->kv_heads;
    case K_HEAD_DIM: return &m->head_dim;
    case K_FFN: return &m->ffn;
    case K_VOCAB: return &m->vocab;
    case K_EXPERTS: return &m->experts;
    case K_ACTIVE_EXPERTS: return &m->active_experts;
    default: return NULL;
    }
}

static const llm_dtype *dtype_field(const llm_workload *w, int id)
{
    switch (id) {
    case K_WEIGHTS: return &w->weights;
    case K_GRADS: return &w->grads;
    case K_MASTER: return &w->master;
    case K_ACT: return &w->act;
    case K_KV: return &w->kv;
    case K_OPTIM: return &w->optim;
    case K_TEACHER_WEIGHTS: return &w->teacher_weights;
    default: return NULL;
    }
}

static const bool *switch_field(const llm_workload *w, int id)
{
    switch (id) {
    case K_FLASH: return &w->flash;
    case K_DROPOUT: return &w->dropout;
    case K_SP: return &w->seq_parallel;
    case K_KEEP_16BIT: return &w->quant_keep_16bit;
    default: return NULL;
    }
}

static llm_code apply_count(llm_config *c, int id, uint64_t v)
{
    llm_workload *w = &c->workload;
    uint64_t *f = (uint64_t *)(uintptr_t)shape_field(&c->model, id);
    if (f) {
        *f = v;
        return LLM_OK;
    }
    switch (id) {
    case K_SEQ: w->seq = v; break;
    case K_BATCH: w->micro_batch = v; break;
    case K_GLOBAL_BATCH: w->global_batch = v; break;
    case K_TOKENS: w->tokens = v; break;
    case K_GEN_TOKENS: w->gen_tokens = v; break;
    /* the table's ranges keep these within 32 bits */
    case K_TP: w->tp = (uint32_t)v; break;
    case K_PP: w->pp = (uint32_t)v; break;
    case K_VPP: w->vpp = (uint32_t)v; break;
    case K_DP: w->dp = (uint32_t)v; break;
    case K_EP: w->ep = (uint32_t)v; break;
    case K_ZERO: w->zero = (uint32_t)v; break;
    case K_LORA_RANK: w->lora_rank = (uint32_t)v; break;
    case K_KV_BLOCK: w->kv_block = (uint32_t)v; break;
    default: return LLM_ERR_INVALID;
    }
    return LLM_OK;
}

static llm_code apply_choice(llm_config *c, int id, const char *value)
{
    llm_workload *w = &c->workload;
    const llm_setting_info *k = &keys[id];
    if (id == K_LORA_TARGETS) return parse_lora_targets(value, &w->lora_targets) ? LLM_OK
                                                                                 : LLM_ERR_INVALID;
    int i = choice_index(k->choices, value);
    if (i < 0) return LLM_ERR_INVALID;
    switch (id) {
    case K_MODE: w->mode = (llm_mode)i; break;
    case K_OPTIMIZER: w->optimizer = (llm_optimizer)i; break;
    case K_RECOMPUTE: w->recompute = (llm_recompute)i; break;
    case K_PROFILE: w->profile = (llm_profile)i; break;
    case K_SPARSE_STORAGE: w->sparse_storage = (llm_sparse_storage)i; break;
    case K_OFFLOAD:
        w->offload_optimizer = (i == 1 || i == 3);
        w->offload_params = (i == 2 || i == 3);
        break;
    default: return LLM_ERR_INVALID;
    }
    return LLM_OK;
}

/* QLoRA's frozen base is NF4 (Dettmers et al. 2023): choosing mode=qlora
 * turns 8-bit-or-wider weights into nf4 (the catalogue's, else the built-in
 * one); a 4-bit format already chosen is kept, and a later weights= wins. */
static void qlora_base(llm_config *c, const llm_registry *r)
{
    const llm_dtype *w = &c->workload.weights;
    double bits = w->bits > 0 ? w->bits : 8.0 * w->bytes;
    if (bits < 8.0) return;
    llm_dtype nf4;
    if (llm_dtype_lookup(r, "nf4", &nf4, NULL) == LLM_OK) {
        c->weights_before_qlora = *w;
        c->workload.weights = nf4;
    }
}

/* Leaving qlora: nf4 weights were QLoRA's frozen base, not a choice for
 * training or inference, so the dtype they replaced comes back (bf16 when
 * it is not known, e.g. a preset that was saved in qlora mode). */
static void leave_qlora(llm_config *c, const llm_registry *r)
{
    if (strcmp(c->workload.weights.name, "nf4") != 0) return;
    if (c->weights_before_qlora.name[0] && c->weights_before_qlora.bytes > 0) {
        c->workload.weights = c->weights_before_qlora;
    } else {
        llm_dtype bf16;
        if (llm_dtype_lookup(r, "bf16", &bf16, NULL) == LLM_OK) c->workload.weights = bf16;
    }
    memset(&c->weights_before_qlora, 0, sizeof c->weights_before_qlora);
}

/* gpus=N: the data-parallel degree that makes tp x pp x dp = N. */
static llm_code apply_gpus(llm_config *c, const llm_setting_info *k, const char *value,
                           uint64_t n, llm_error *err)
{
    llm_workload *w = &c->workload;
    w->gpus = 0;
    if (n == 0) return LLM_OK;
    uint64_t tpp = (uint64_t)(w->tp ? w->tp : 1) * (w->pp ? w->pp : 1);
    if (n % tpp != 0) {
        char why[160];
        snprintf(why, sizeof why,
                 "%llu GPUs is not a multiple of tp x pp = %u x %u = %llu (dp = gpus / (tp x pp))",
                 ULL(n), w->tp, w->pp, ULL(tpp));
        return bad_value(err, LLM_ERR_INVALID, k, value, why);
    }
    if (n / tpp > keys[K_DP].max) return bad_value(err, LLM_ERR_RANGE, k, value, "dp would be above 2^24");
    w->dp = (uint32_t)(n / tpp);
    return LLM_OK;
}

/* teacher=ID: the preset's shape as the distillation teacher. */
static llm_code apply_teacher(llm_config *c, const llm_registry *r, const llm_setting_info *k,
                              const char *value, llm_error *err)
{
    llm_workload *w = &c->workload;
    if (strcmp(value, "none") == 0 || value[0] == '\0') {
        c->teacher[0] = '\0';
        w->has_teacher = false;
        return LLM_OK;
    }
    if (!valid_id(value)) return bad_value(err, LLM_ERR_INVALID, k, value, NULL);
    if (r) {
        const llm_preset *p = llm_registry_find(r, value);
        if (!p)
            return llm_error_set(err, LLM_ERR_NOTFOUND,
                                 "%s: unknown preset '%s' (see 'llmem presets')", k->key, value);
        w->has_teacher = true;
        w->teacher = p->model;
        w->teacher_weights = w->weights;
    } else {
        w->has_teacher = false; /* resolved later (llm_config_resolve_teacher) */
        w->teacher_weights = w->weights;
    }
    memcpy(c->teacher, value, strlen(value) + 1);
    return LLM_OK;
}

llm_code llm_config_resolve_teacher(llm_config *c, const llm_registry *r, llm_error *err)
{
    if (!c->teacher[0] || c->workload.has_teacher) return LLM_OK;
    const llm_preset *p = llm_registry_find(r, c->teacher);
    if (!p)
        return llm_error_set(err, LLM_ERR_NOTFOUND, "teacher: unknown preset '%s' (see 'llmem presets')",
                             c->teacher);
    c->workload.has_teacher = true;
    c->workload.teacher = p->model;
    return LLM_OK;
}

static llm_code apply_gpu(llm_config *c, const llm_registry *r, const llm_setting_info *k,
                          const char *value, llm_error *err)
{
    if (strcmp(value, "none") == 0 || value[0] == '\0') {
        c->gpu[0] = '\0';
        return LLM_OK;
    }
    if (r && r->ngpus > 0) {
        if (!llm_registry_find_gpu(r, value)) {
            char known[220];
            size_t len = 0;
            known[0] = '\0';
            for (size_t i = 0; i < r->ngpus; i++) {
                int n = snprintf(known + len, sizeof known - len, "%s%s", len ? " " : "",
                                 r->gpus[i].id);
                if (n < 0 || (size_t)n >= sizeof known - len) {
                    memcpy(known + sizeof known - 4, "...", 4);
                    break;
                }
                len += (size_t)n;
            }
            return llm_error_set(err, LLM_ERR_NOTFOUND, "%s: unknown GPU '%s'; known: %s",
                                 k->key, value, known);
        }
    } else if (!valid_id(value)) {
        return bad_value(err, LLM_ERR_INVALID, k, value, NULL);
    }
    size_t n = strlen(value);
    memcpy(c->gpu, value, n + 1);
    return LLM_OK;
}

llm_code llm_setting_apply(llm_config *c, const llm_registry *r, const char *key,
                           const char *value, llm_error *err)
{
    int id = key_index(key);
    if (id < 0) {
        char prefix[LLM_ID_MAX + 96], known[LLM_ERROR_MSG_MAX];
        const char *names[K_COUNT_];
        for (int i = 0; i < K_COUNT_; i++) names[i] = keys[i].key;
        const char *best = key ? llm_closest_name(key, names, K_COUNT_) : NULL;
        snprintf(prefix, sizeof prefix, "unknown setting '%.40s'%s%s%s; known: ", key ? key : "",
                 best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
        /* as many whole names as the message holds, then ", ..." */
        size_t room = LLM_ERROR_MSG_MAX - 1 - strlen(prefix), len = 0;
        known[0] = '\0';
        for (int i = 0; i < K_COUNT_; i++) {
            size_t need = strlen(names[i]) + (i ? 2 : 0);
            bool last = i == K_COUNT_ - 1;
            if (len + need + (last ? 0 : 5) > room) {
                snprintf(known + len, sizeof known - len, ", ...");
                break;
            }
            snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "", names[i]);
            len += need;
        }
        return llm_error_set(err, LLM_ERR_NOTFOUND, "%s%s", prefix, known);
    }
    const llm_setting_info *k = &keys[id];
    if (!value) value = "";
    llm_error sub;
    llm_code rc;
    switch (k->kind) {
    case LLM_SETTING_COUNT: {
        uint64_t v;
        if ((rc = llm_parse_count(value, &v, &sub)) != LLM_OK)
            return bad_value(err, rc == LLM_ERR_OVERFLOW ? LLM_ERR_RANGE : rc, k, value,
                             sub.message);
        if (v < k->min || v > k->max) {
            char why[96];
            snprintf(why, sizeof why, "%llu is out of range", ULL(v));
            return bad_value(err, LLM_ERR_RANGE, k, value, why);
        }
        if (id == K_GPUS) return apply_gpus(c, k, value, v, err);
        return apply_count(c, id, v);
    }
    case LLM_SETTING_BYTES: {
        uint64_t v;
        if ((rc = llm_parse_bytes(value, &v, &sub)) != LLM_OK)
            return bad_value(err, rc == LLM_ERR_OVERFLOW ? LLM_ERR_RANGE : rc, k, value,
                             sub.message);
        if (v > (1ull << 50)) return bad_value(err, LLM_ERR_RANGE, k, value, "above 1PiB");
        c->workload.overhead_bytes = (double)v;
        return LLM_OK;
    }
    case LLM_SETTING_CHOICE: {
        llm_mode before = c->workload.mode;
        if (apply_choice(c, id, value) != LLM_OK)
            return bad_value(err, LLM_ERR_INVALID, k, value, NULL);
        if (id == K_MODE && c->workload.mode == LLM_MODE_QLORA) qlora_base(c, r);
        if (id == K_MODE && before == LLM_MODE_QLORA && c->workload.mode != LLM_MODE_QLORA)
            leave_qlora(c, r);
        return LLM_OK;
    }
    case LLM_SETTING_SWITCH: {
        bool b = false;
        if (llm_parse_switch(value, &b, NULL) != LLM_OK)
            return bad_value(err, LLM_ERR_INVALID, k, value, NULL);
        *(bool *)(uintptr_t)switch_field(&c->workload, id) = b;
        return LLM_OK;
    }
    case LLM_SETTING_FRACTION: {
        double v;
        if ((rc = llm_parse_fraction(value, &v, &sub)) != LLM_OK)
            return bad_value(err, rc, k, value, sub.message);
        if (id == K_MFU) {
            if (v < 0.01) return bad_value(err, LLM_ERR_RANGE, k, value, "below 0.01");
            c->workload.mfu = v;
        } else {
            if (v > 0.99) return bad_value(err, LLM_ERR_RANGE, k, value, "above 0.99");
            if (id == K_SPARSITY) c->workload.sparsity = v;
            else c->workload.fragmentation = v;
        }
        return LLM_OK;
    }
    case LLM_SETTING_DTYPE: {
        llm_dtype d;
        if (id == K_MASTER && strcmp(value, "none") == 0) {
            d = llm_dtype_make("none", 0.0, false);
        } else if ((rc = llm_dtype_lookup(r, value, &d, &sub)) != LLM_OK) {
            return llm_error_set(err, rc, "%s: %s", k->key, sub.message);
        }
        *(llm_dtype *)(uintptr_t)dtype_field(&c->workload, id) = d;
        if (id == K_WEIGHTS) memset(&c->weights_before_qlora, 0, sizeof c->weights_before_qlora);
        return LLM_OK;
    }
    case LLM_SETTING_GPU: return apply_gpu(c, r, k, value, err);
    case LLM_SETTING_PRESET: return apply_teacher(c, r, k, value, err);
    }
    return llm_error_set(err, LLM_ERR_INVALID, "%s: unsupported setting", k->key);
}

static void trim_copy(const char *s, size_t n, char *out, size_t cap)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n >= cap) n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

llm_code llm_setting_split(const char *text, char *key, size_t key_cap, char *value,
                           size_t value_cap, llm_error *err)
{
    if (!text) text = "";
    const char *eq = strchr(text, '=');
    if (!eq)
        return llm_error_set(err, LLM_ERR_USAGE, "'%s' is not KEY=VALUE (e.g. seq=8k)", text);
    size_t klen = (size_t)(eq - text);
    if (klen >= key_cap || strlen(eq + 1) >= value_cap)
        return llm_error_set(err, LLM_ERR_USAGE, "'%.60s...' is too long", text);
    trim_copy(text, klen, key, key_cap);
    trim_copy(eq + 1, strlen(eq + 1), value, value_cap);
    if (!key[0])
        return llm_error_set(err, LLM_ERR_USAGE, "'%s' has no key before '=' (e.g. seq=8k)", text);
    return LLM_OK;
}

llm_code llm_setting_apply_text(llm_config *c, const llm_registry *r, const char *text,
                                llm_error *err)
{
    char key[64], value[256];
    llm_code rc = llm_setting_split(text, key, sizeof key, value, sizeof value, err);
    if (rc) return rc;
    return llm_setting_apply(c, r, key, value, err);
}

/* ---- format -------------------------------------------------------------- */
static size_t put(char *buf, size_t cap, const char *s)
{
    int n = snprintf(buf, cap, "%s", s);
    return n < 0 ? 0 : (size_t)n;
}

static size_t put_u64(char *buf, size_t cap, uint64_t v)
{
    int n = snprintf(buf, cap, "%llu", ULL(v));
    return n < 0 ? 0 : (size_t)n;
}

size_t llm_setting_format(const llm_config *c, const char *key, char *buf, size_t cap)
{
    int id = key_index(key);
    const llm_workload *w = &c->workload;
    if (cap) buf[0] = '\0';
    if (id < 0) return 0;
    const llm_setting_info *k = &keys[id];
    switch (k->kind) {
    case LLM_SETTING_COUNT: {
        const uint64_t *f = shape_field(&c->model, id);
        if (f) return put_u64(buf, cap, *f);
        switch (id) {
        case K_SEQ: return put_u64(buf, cap, w->seq);
        case K_BATCH: return put_u64(buf, cap, w->micro_batch);
        case K_GLOBAL_BATCH: return put_u64(buf, cap, w->global_batch);
        case K_TOKENS: return put_u64(buf, cap, w->tokens);
        case K_GEN_TOKENS: return put_u64(buf, cap, w->gen_tokens);
        case K_TP: return put_u64(buf, cap, w->tp);
        case K_PP: return put_u64(buf, cap, w->pp);
        case K_VPP: return put_u64(buf, cap, w->vpp);
        case K_DP: return put_u64(buf, cap, w->dp);
        case K_EP: return put_u64(buf, cap, w->ep);
        case K_ZERO: return put_u64(buf, cap, w->zero);
        case K_LORA_RANK: return put_u64(buf, cap, w->lora_rank);
        case K_GPUS: return put_u64(buf, cap, w->gpus);
        case K_KV_BLOCK: return put_u64(buf, cap, w->kv_block);
        default: return 0;
        }
    }
    case LLM_SETTING_BYTES: {
        double v = w->overhead_bytes;
        uint64_t b = v <= 0 ? 0 : v >= 9.2e18 ? COUNT_MAX : (uint64_t)(v + 0.5);
        return llm_format_bytes_exact(b, buf, cap);
    }
    case LLM_SETTING_CHOICE: {
        int i = -1;
        switch (id) {
        case K_MODE: i = (int)w->mode; break;
        case K_OPTIMIZER: i = (int)w->optimizer; break;
        case K_RECOMPUTE: i = (int)w->recompute; break;
        case K_PROFILE: i = (int)w->profile; break;
        case K_SPARSE_STORAGE: i = (int)w->sparse_storage; break;
        case K_OFFLOAD: i = (w->offload_optimizer ? 1 : 0) + (w->offload_params ? 2 : 0); break;
        case K_LORA_TARGETS: {
            uint32_t m = w->lora_targets & LLM_LORA_ALL;
            if (m == LLM_LORA_ALL || m == 0) return put(buf, cap, "all");
            size_t len = 0;
            for (size_t t = 0; t < N_LORA_TARGETS; t++) {
                if (!(m & lora_target_names[t].bit)) continue;
                int n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s",
                                 len ? "," : "", lora_target_names[t].name);
                if (n > 0) len += (size_t)n;
            }
            return len;
        }
        default: break;
        }
        int count = 0;
        while (k->choices[count]) count++;
        return put(buf, cap, i >= 0 && i < count ? k->choices[i] : "?");
    }
    case LLM_SETTING_SWITCH: return put(buf, cap, *switch_field(w, id) ? "on" : "off");
    case LLM_SETTING_FRACTION:
        return llm_num_format(id == K_MFU ? w->mfu
                              : id == K_SPARSITY ? w->sparsity
                                                 : w->fragmentation,
                              buf, cap);
    case LLM_SETTING_DTYPE: {
        const llm_dtype *d = dtype_field(w, id);
        if (id == K_MASTER && (d->bytes == 0.0 || d->name[0] == '\0')) return put(buf, cap, "none");
        return put(buf, cap, d->name);
    }
    case LLM_SETTING_GPU: return put(buf, cap, c->gpu[0] ? c->gpu : "none");
    case LLM_SETTING_PRESET: return put(buf, cap, c->teacher[0] ? c->teacher : "none");
    }
    return 0;
}
