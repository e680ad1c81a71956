/* Workload defaults, validation and the names of its enums. */
#include <math.h>
#include <string.h>

#include "engine/checked.h"
#include "engine/engine.h"
#include "engine/names.h"
#include "llmem/workload.h"

#define ULL(x) ((unsigned long long)(x))

void llm_workload_default(llm_workload *w)
{
    memset(w, 0, sizeof *w);
    w->mode = LLM_MODE_PRETRAIN;
    w->seq = 2048;
    w->micro_batch = 1;
    w->global_batch = 0;
    w->tokens = 0;
    w->gen_tokens = 256;

    w->weights = llm_dtype_make("bf16", 2.0, true);
    w->act = llm_dtype_make("bf16", 2.0, true);
    w->grads = llm_dtype_make("bf16", 2.0, true);
    w->master = llm_dtype_make("fp32", 4.0, true);
    w->optim = llm_dtype_make("fp32", 4.0, true);
    w->kv = llm_dtype_make("bf16", 2.0, true);
    w->quant_keep_16bit = true;

    w->optimizer = LLM_OPT_ADAMW;
    w->recompute = LLM_RECOMPUTE_NONE;
    w->flash = true;
    w->dropout = false;
    w->seq_parallel = false;
    w->profile = LLM_PROFILE_MEGATRON;

    w->tp = w->pp = w->vpp = w->dp = w->ep = 1;
    w->zero = 0;

    w->lora_rank = 16;
    w->lora_targets = LLM_LORA_ALL;

    w->sparsity = 0.0;
    w->sparse_storage = LLM_SPARSE_DENSE;

    w->has_teacher = false;
    w->teacher_weights = llm_dtype_make("bf16", 2.0, true);

    w->overhead_bytes = 1073741824.0; /* 1 GiB */
    w->fragmentation = 0.0;
    w->kv_block = 0;

    w->gpus = 0;
    w->mfu = 0.4;
}

static bool is_training(llm_mode m)
{
    return m != LLM_MODE_INFER;
}

static llm_code need_dtype(const llm_dtype *d, const char *field, bool allow_zero, llm_error *err)
{
    /* NaN and infinities fail the range test too */
    if (!(d->bytes >= 0.0 && d->bytes <= 64.0))
        return llm_error_set(err, LLM_ERR_RANGE,
                             "%s precision '%s' has %g bytes per element: expected 0 to 64", field,
                             d->name, d->bytes);
    if (!allow_zero && d->bytes <= 0.0)
        return llm_error_set(err, LLM_ERR_RANGE,
                             "%s precision '%s' has 0 bytes per element: expected a positive size",
                             field, d->name);
    return LLM_OK;
}

static llm_code need_degree(uint32_t v, const char *field, llm_error *err)
{
    if (v == 0) return llm_error_set(err, LLM_ERR_RANGE, "%s must be at least 1 (got 0)", field);
    if (v > 1048576u)
        return llm_error_set(err, LLM_ERR_RANGE, "%s is %u, above the limit of 1048576", field, v);
    return LLM_OK;
}

/* Sizes beyond 2^40 tokens/sequences are typos; they would also make the
 * byte products lose their exactness. */
#define LLM_COUNT_LIMIT (1ull << 40)

static llm_code check_parallel(const llm_model *m, const llm_workload *w, llm_error *err)
{
    llm_code rc;
    if ((rc = need_degree(w->tp, "tp", err))) return rc;
    if ((rc = need_degree(w->pp, "pp", err))) return rc;
    if ((rc = need_degree(w->vpp, "vpp", err))) return rc;
    if ((rc = need_degree(w->dp, "dp", err))) return rc;
    if ((rc = need_degree(w->ep, "ep", err))) return rc;
    if ((uint64_t)w->tp * w->pp * w->dp > (1ull << 24))
        return llm_error_set(err, LLM_ERR_RANGE, "tp x pp x dp = %llu GPUs, above the limit of %llu",
                             ULL((uint64_t)w->tp * w->pp * w->dp), ULL(1ull << 24));

    if (!ck_divides(w->tp, m->heads))
        return llm_error_set(err, LLM_ERR_INVALID, "tp (%u) must divide heads (%llu)", w->tp,
                             ULL(m->heads));
    uint64_t kv = eng_kv_heads(m->kv_heads, m->heads);
    if (m->attn != LLM_ATTN_MLA && !ck_divides(w->tp, kv) && !ck_divides(kv, w->tp))
        return llm_error_set(err, LLM_ERR_INVALID,
                             "tp (%u) and kv_heads (%llu) must divide one another "
                             "(kv heads are split, or replicated when fewer than tp)",
                             w->tp, ULL(kv));
    if (!ck_divides(w->pp, m->layers))
        return llm_error_set(err, LLM_ERR_INVALID, "pp (%u) must divide layers (%llu)", w->pp,
                             ULL(m->layers));
    if (w->vpp > 1) {
        if (w->pp < 2)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "vpp (%u) needs pipeline parallelism: set pp to 2 or more", w->vpp);
        if (!ck_divides((uint64_t)w->pp * w->vpp, m->layers))
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "pp x vpp (%u x %u) must divide layers (%llu)", w->pp, w->vpp,
                                 ULL(m->layers));
    }
    if (w->ep > 1) {
        if (!m->experts)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "ep (%u) needs a mixture-of-experts model (experts is 0)", w->ep);
        if (!ck_divides(w->ep, m->experts))
            return llm_error_set(err, LLM_ERR_INVALID, "ep (%u) must divide experts (%llu)", w->ep,
                                 ULL(m->experts));
        if (!ck_divides(w->ep, (uint64_t)w->tp * w->dp))
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "ep (%u) must divide tp x dp (%u x %u): expert-parallel groups "
                                 "are made of the tensor- and data-parallel ranks of a stage",
                                 w->ep, w->tp, w->dp);
    }
    if (w->zero > 3)
        return llm_error_set(err, LLM_ERR_RANGE, "zero must be 0, 1, 2 or 3 (got %u)", w->zero);
    return LLM_OK;
}

llm_code llm_workload_validate(const llm_model *m, const llm_workload *w, llm_error *err)
{
    llm_code rc = llm_model_validate(m, err);
    if (rc != LLM_OK) return rc;
    return llm_eng_validate_settings(m, w, err);
}

/* The workload's own rules, for a model already validated. */
llm_code llm_eng_validate_settings(const llm_model *m, const llm_workload *w, llm_error *err)
{
    llm_code rc;

    if ((unsigned)w->mode > LLM_MODE_INFER)
        return llm_error_set(err, LLM_ERR_RANGE, "mode has an unknown value %d", (int)w->mode);
    if ((unsigned)w->optimizer > LLM_OPT_NONE)
        return llm_error_set(err, LLM_ERR_RANGE, "optimizer has an unknown value %d",
                             (int)w->optimizer);
    if ((unsigned)w->recompute > LLM_RECOMPUTE_FULL)
        return llm_error_set(err, LLM_ERR_RANGE, "recompute has an unknown value %d",
                             (int)w->recompute);
    if ((unsigned)w->profile > LLM_PROFILE_EAGER)
        return llm_error_set(err, LLM_ERR_RANGE, "profile has an unknown value %d", (int)w->profile);
    if ((unsigned)w->sparse_storage > LLM_SPARSE_CSR)
        return llm_error_set(err, LLM_ERR_RANGE, "sparse storage has an unknown value %d",
                             (int)w->sparse_storage);

    if (w->seq == 0) return llm_error_set(err, LLM_ERR_RANGE, "seq must be at least 1 (got 0)");
    if (w->seq > LLM_COUNT_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "seq is %llu, above the limit of %llu",
                             ULL(w->seq), ULL(LLM_COUNT_LIMIT));
    if (w->micro_batch == 0)
        return llm_error_set(err, LLM_ERR_RANGE, "batch must be at least 1 (got 0)");
    if (w->micro_batch > LLM_COUNT_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "batch is %llu, above the limit of %llu",
                             ULL(w->micro_batch), ULL(LLM_COUNT_LIMIT));
    if (w->global_batch > LLM_COUNT_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "global_batch is %llu, above the limit of %llu",
                             ULL(w->global_batch), ULL(LLM_COUNT_LIMIT));
    if (w->gen_tokens > LLM_COUNT_LIMIT)
        return llm_error_set(err, LLM_ERR_RANGE, "gen_tokens is %llu, above the limit of %llu",
                             ULL(w->gen_tokens), ULL(LLM_COUNT_LIMIT));
    if (w->tokens > (1ull << 60))
        return llm_error_set(err, LLM_ERR_RANGE, "tokens is %llu, above the limit of %llu",
                             ULL(w->tokens), ULL(1ull << 60));

    if ((rc = check_parallel(m, w, err))) return rc;
    if (w->global_batch && w->global_batch < w->micro_batch * w->dp)
        return llm_error_set(err, LLM_ERR_INVALID,
                             "global_batch (%llu) must be at least batch x dp (%llu x %u)",
                             ULL(w->global_batch), ULL(w->micro_batch), w->dp);

    if ((rc = need_dtype(&w->weights, "weights", false, err))) return rc;
    if ((rc = need_dtype(&w->act, "act", false, err))) return rc;
    if ((rc = need_dtype(&w->kv, "kv", false, err))) return rc;
    if ((rc = need_dtype(&w->grads, "grads", !is_training(w->mode), err))) return rc;
    if ((rc = need_dtype(&w->master, "master", true, err))) return rc;
    if ((rc = need_dtype(&w->optim, "optim", true, err))) return rc;
    if ((rc = need_dtype(&w->teacher_weights, "teacher weights", w->mode != LLM_MODE_DISTILL, err)))
        return rc;

    if (!(w->sparsity >= 0.0 && w->sparsity < 1.0))
        return llm_error_set(err, LLM_ERR_RANGE, "sparsity must be in [0, 1) (got %g)", w->sparsity);
    if (w->sparse_storage == LLM_SPARSE_2_4 && w->sparsity > 0.5)
        return llm_error_set(err, LLM_ERR_INVALID,
                             "2:4 storage keeps 2 of every 4 weights: sparsity must be at most 0.5 "
                             "(got %g)",
                             w->sparsity);
    if (!(w->mfu > 0.0 && w->mfu <= 1.0))
        return llm_error_set(err, LLM_ERR_RANGE, "mfu must be in (0, 1] (got %g)", w->mfu);
    if (!(w->fragmentation >= 0.0 && w->fragmentation < 1.0))
        return llm_error_set(err, LLM_ERR_RANGE, "fragmentation must be in [0, 1) (got %g)",
                             w->fragmentation);
    if (!(w->overhead_bytes >= 0.0 && w->overhead_bytes < 1e18))
        return llm_error_set(err, LLM_ERR_RANGE, "overhead must be 0 bytes or more (got %g)",
                             w->overhead_bytes);
    if (w->kv_block > 1048576u)
        return llm_error_set(err, LLM_ERR_RANGE, "kv_block is %u, above the limit of 1048576",
                             w->kv_block);
    if (w->gpus != 0 && (uint64_t)w->gpus != (uint64_t)w->tp * w->pp * w->dp)
        /* One GPU count for memory and time: the cluster is tp x pp x dp. */
        return llm_error_set(err, LLM_ERR_INVALID,
                             "gpus (%u) must equal tp x pp x dp (%u x %u x %u = %llu), or be 0",
                             w->gpus, w->tp, w->pp, w->dp,
                             ULL((uint64_t)w->tp * w->pp * w->dp));

    if (w->mode == LLM_MODE_LORA || w->mode == LLM_MODE_QLORA) {
        if (w->lora_rank == 0)
            return llm_error_set(err, LLM_ERR_RANGE, "lora_rank must be at least 1 for %s",
                                 llm_mode_name(w->mode));
        if (w->lora_rank > 1048576u)
            return llm_error_set(err, LLM_ERR_RANGE, "lora_rank is %u, above the limit of 1048576",
                                 w->lora_rank);
        if ((w->lora_targets & LLM_LORA_ALL) == 0)
            return llm_error_set(err, LLM_ERR_RANGE,
                                 "LoRA needs at least one target matrix (q k v o gate up down)");
    }
    if (w->mode == LLM_MODE_DISTILL) {
        if (!w->has_teacher)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "distillation needs a teacher model (none was given)");
        llm_error terr;
        llm_code trc = llm_model_validate(&w->teacher, &terr);
        if (trc != LLM_OK)
            return llm_error_set(err, trc, "teacher: %s", terr.message);
        if (w->teacher.heads % w->tp != 0)
            return llm_error_set(err, LLM_ERR_INVALID, "tp (%u) must divide the teacher's heads (%llu)",
                                 w->tp, ULL(w->teacher.heads));
        if (w->teacher.layers % w->pp != 0)
            return llm_error_set(err, LLM_ERR_INVALID,
                                 "pp (%u) must divide the teacher's layers (%llu)", w->pp,
                                 ULL(w->teacher.layers));
    }
    return LLM_OK;
}

static const llm_name_entry mode_names[] = {
    {LLM_MODE_PRETRAIN, "train"}, {LLM_MODE_FINETUNE, "finetune"}, {LLM_MODE_LORA, "lora"},
    {LLM_MODE_QLORA, "qlora"},    {LLM_MODE_DISTILL, "distill"},   {LLM_MODE_INFER, "infer"},
};
static const llm_name_entry optimizer_names[] = {
    {LLM_OPT_ADAMW, "adamw"}, {LLM_OPT_ADAMW8BIT, "adamw8bit"}, {LLM_OPT_SGD, "sgd"},
    {LLM_OPT_SGDM, "sgdm"},   {LLM_OPT_ADAFACTOR, "adafactor"}, {LLM_OPT_LION, "lion"},
    {LLM_OPT_NONE, "none"},
};
static const llm_name_entry recompute_names[] = {
    {LLM_RECOMPUTE_NONE, "none"},
    {LLM_RECOMPUTE_SELECTIVE, "selective"},
    {LLM_RECOMPUTE_FULL, "full"},
};
static const llm_name_entry profile_names[] = {
    {LLM_PROFILE_MEGATRON, "megatron"},
    {LLM_PROFILE_EAGER, "eager"},
};
static const llm_name_entry sparse_names[] = {
    {LLM_SPARSE_DENSE, "dense"},
    {LLM_SPARSE_2_4, "2:4"},
    {LLM_SPARSE_CSR, "csr"},
};

LLM_NAMES(llm_mode, llm_mode, mode_names)
LLM_NAMES(llm_optimizer, llm_optimizer, optimizer_names)
LLM_NAMES(llm_recompute, llm_recompute, recompute_names)
LLM_NAMES(llm_profile, llm_profile, profile_names)
LLM_NAMES(llm_sparse_storage, llm_sparse_storage, sparse_names)
