/* engine_probe: the engine's figures for one shape and workload, as JSON.
 *
 * Used by compare_engine.py, which measures the same shape in PyTorch.
 * Arguments are key=value:
 *   kind=gpt2|llama layers= hidden= heads= kv_heads= ffn= vocab= positions=
 *   mode=train|infer seq= batch= dtype=fp32|bf16 optimizer=adamw|sgd|sgdm
 *   recompute=none|full dropout=0|1
 * kind=gpt2: LayerNorm with bias, biased qkv/out/MLP, GELU 2-matrix MLP,
 * learned positions, tied head.  kind=llama: RMSNorm, no biases, SwiGLU,
 * RoPE, untied head.  Workload: profile eager, plain attention (flash off),
 * one GPU, no overhead; weights, gradients, optimizer states, activations and
 * KV all in `dtype` with no master copy (what PyTorch does for a model cast to
 * that dtype and trained with torch.optim).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmem/estimate.h"
#include "llmem/model.h"
#include "llmem/workload.h"

typedef struct probe_args {
    const char *kind, *mode, *dtype, *optimizer, *recompute;
    unsigned long long layers, hidden, heads, kv_heads, ffn, vocab, positions, seq, batch;
    int dropout;
} probe_args;

static int parse_u64(const char *v, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || *end != '\0') return -1;
    *out = x;
    return 0;
}

static int parse_arg(probe_args *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq) return -1;
    size_t n = (size_t)(eq - arg);
    const char *v = eq + 1;
    struct {
        const char *key;
        unsigned long long *dst;
    } nums[] = {{"layers", &a->layers}, {"hidden", &a->hidden}, {"heads", &a->heads},
                {"kv_heads", &a->kv_heads}, {"ffn", &a->ffn}, {"vocab", &a->vocab},
                {"positions", &a->positions}, {"seq", &a->seq}, {"batch", &a->batch}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (strlen(nums[i].key) == n && strncmp(arg, nums[i].key, n) == 0)
            return parse_u64(v, nums[i].dst);
    struct {
        const char *key;
        const char **dst;
    } strs[] = {{"kind", &a->kind}, {"mode", &a->mode}, {"dtype", &a->dtype},
                {"optimizer", &a->optimizer}, {"recompute", &a->recompute}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (strlen(strs[i].key) == n && strncmp(arg, strs[i].key, n) == 0) {
            *strs[i].dst = v;
            return 0;
        }
    if (n == 7 && strncmp(arg, "dropout", 7) == 0) {
        a->dropout = strcmp(v, "1") == 0;
        return 0;
    }
    return -1;
}

static int build_model(const probe_args *a, llm_model *m)
{
    memset(m, 0, sizeof *m);
    m->arch = LLM_ARCH_DECODER;
    m->layers = a->layers;
    m->hidden = a->hidden;
    m->heads = a->heads;
    m->kv_heads = a->kv_heads;
    m->ffn = a->ffn;
    m->vocab = a->vocab;
    m->norms_per_layer = 2;
    m->final_norm = true;
    if (strcmp(a->kind, "gpt2") == 0) {
        m->ffn_kind = LLM_FFN_MLP;
        m->tied_embeddings = true;
        m->pos = LLM_POS_LEARNED;
        m->pos_rows = a->positions;
        m->max_seq = a->positions;
        m->norm = LLM_NORM_LAYERNORM;
        m->norm_bias = true;
        m->qkv_bias = true;
        m->attn_out_bias = true;
        m->mlp_bias = true;
        return 0;
    }
    if (strcmp(a->kind, "llama") == 0) {
        m->ffn_kind = LLM_FFN_GATED;
        m->tied_embeddings = false;
        m->pos = LLM_POS_ROTARY;
        m->norm = LLM_NORM_RMSNORM;
        return 0;
    }
    return -1;
}

static int build_workload(const probe_args *a, llm_workload *w)
{
    llm_workload_default(w);
    if (!llm_mode_parse(a->mode, &w->mode)) return -1;
    if (!llm_optimizer_parse(a->optimizer, &w->optimizer)) return -1;
    if (!llm_recompute_parse(a->recompute, &w->recompute)) return -1;
    llm_dtype dt;
    if (strcmp(a->dtype, "fp32") == 0)
        dt = llm_dtype_make("fp32", 4.0, true);
    else if (strcmp(a->dtype, "bf16") == 0)
        dt = llm_dtype_make("bf16", 2.0, true);
    else
        return -1;
    w->seq = a->seq;
    w->micro_batch = a->batch;
    w->global_batch = 0;
    w->gen_tokens = 0;
    w->weights = dt;
    w->act = dt;
    w->grads = dt;
    w->master = llm_dtype_make("none", 0.0, false);
    w->optim = dt;
    w->kv = dt;
    w->flash = false;
    w->dropout = a->dropout != 0;
    w->seq_parallel = false;
    w->profile = LLM_PROFILE_EAGER;
    w->tp = w->pp = w->vpp = w->dp = w->ep = 1;
    w->zero = 0;
    w->offload_optimizer = false;
    w->offload_params = false;
    w->overhead_bytes = 0.0;
    w->fragmentation = 0.0;
    w->kv_block = 0;
    return 0;
}

static void print_memory(const char *name, const llm_memory *mem)
{
    printf("  \"%s\": {\"weights\": %.17g, \"gradients\": %.17g, \"optimizer\": %.17g, "
           "\"activations\": %.17g, \"kv_cache\": %.17g, \"overhead\": %.17g, \"total\": %.17g}",
           name, mem->weights, mem->gradients, mem->optimizer, mem->activations, mem->kv_cache,
           mem->overhead, mem->total);
}

int main(int argc, char **argv)
{
    probe_args a = {"gpt2", "train", "fp32", "adamw", "none", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 1; i < argc; i++)
        if (parse_arg(&a, argv[i]) != 0) {
            fprintf(stderr, "engine_probe: bad argument '%s'\n", argv[i]);
            return 2;
        }
    llm_model m;
    llm_workload w;
    if (build_model(&a, &m) != 0 || build_workload(&a, &w) != 0) {
        fprintf(stderr, "engine_probe: bad kind, mode, dtype, optimizer or recompute\n");
        return 2;
    }
    llm_estimate e;
    llm_error err;
    memset(&err, 0, sizeof err);
    llm_code rc = llm_estimate_run(&m, &w, NULL, &e, &err);
    if (rc != LLM_OK) {
        fprintf(stderr, "engine_probe: llm_estimate_run failed: %s\n", err.message);
        return 1;
    }
    printf("{\n  \"params\": %llu,\n", (unsigned long long)e.params.total);
    print_memory("per_gpu", &e.per_gpu);
    printf(",\n  \"act_bytes_per_layer\": %.17g,\n  \"kv_bytes_per_token\": %.17g\n}\n",
           e.act_bytes_per_layer, e.kv_bytes_per_token);
    return 0;
}
