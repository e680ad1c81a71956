/* View model (see vm.h). */
#include "tui/vm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui/knobs.h"
#include "tui/theme.h"

static const char *const mem_names[LLMEM_MEM_CATS] = {"Weights",     "Gradients", "Optimizer",
                                                      "Activations", "KV cache",  "Overhead"};

const char *llmem_mem_name(int i)
{
    return i >= 0 && i < LLMEM_MEM_CATS ? mem_names[i] : "?";
}

int llmem_mem_role(int i)
{
    return LLMEM_ROLE_WEIGHTS + i;
}

double llmem_mem_value(const llm_memory *m, int i)
{
    switch (i) {
    case 0: return m->weights;
    case 1: return m->gradients;
    case 2: return m->optimizer;
    case 3: return m->activations;
    case 4: return m->kv_cache;
    case 5: return m->overhead;
    default: return m->total;
    }
}

llm_figure llmem_mem_figure(int i)
{
    static const llm_figure f[] = {LLM_FIG_MEM_WEIGHTS,     LLM_FIG_MEM_GRADIENTS,
                                   LLM_FIG_MEM_OPTIMIZER,   LLM_FIG_MEM_ACTIVATIONS,
                                   LLM_FIG_MEM_KV,          LLM_FIG_MEM_OVERHEAD,
                                   LLM_FIG_MEM_TOTAL};
    return i >= 0 && i <= LLMEM_MEM_CATS ? f[i] : LLM_FIG_MEM_TOTAL;
}

void llmem_gpu_short_name(const char *name, char *buf, size_t cap)
{
    static const char *const drop[] = {"NVIDIA", "GeForce", "AMD", "Instinct", "Apple", "Intel"};
    char words[16][32];
    int n = 0;
    int depth = 0;
    for (const char *p = name; *p && n < 16;) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t len = strcspn(p, " ");
        bool skip = depth > 0 || *p == '(';
        for (size_t i = 0; i < len; i++) { /* parenthesised notes */
            if (p[i] == '(') depth++;
            if (p[i] == ')' && depth > 0) depth--;
        }
        for (size_t i = 0; !skip && i < sizeof drop / sizeof drop[0]; i++)
            if (strlen(drop[i]) == len && strncmp(p, drop[i], len) == 0) skip = true;
        if (!skip && len < sizeof words[0]) {
            memcpy(words[n], p, len);
            words[n++][len] = '\0';
        }
        p += len;
    }
    if (cap == 0) return;
    buf[0] = '\0';
    if (n == 0) {
        snprintf(buf, cap, "%.*s", (int)(cap - 1), name);
        return;
    }
    /* the memory size is the last word when it ends in "GB" */
    const char *last = words[n - 1];
    size_t ll = strlen(last);
    bool mem = n > 1 && ll > 2 && strcmp(last + ll - 2, "GB") == 0;
    int body = mem ? n - 1 : n;
    for (;;) {
        size_t need = 0;
        for (int i = 0; i < body; i++) need += strlen(words[i]) + (i ? 1 : 0);
        if (mem) need += ll + 1;
        if (need < cap || body <= 1) break;
        body--;
    }
    size_t at = 0;
    for (int i = 0; i < body + (mem ? 1 : 0); i++) {
        const char *w = i < body ? words[i] : last;
        int k = snprintf(buf + at, cap - at, "%s%s", at ? " " : "", w);
        if (k < 0 || (size_t)k >= cap - at) {
            buf[at] = '\0';
            break;
        }
        at += (size_t)k;
    }
}

/* The knob an error message is about: the first knob key that appears in it
 * as a whole word. */
static int blame(const char *msg)
{
    int best = -1;
    const char *best_at = NULL;
    for (int k = 0; k < LLMEM_K_COUNT; k++) {
        const char *key = llmem_knob(k)->key;
        size_t n = strlen(key);
        for (const char *p = strstr(msg, key); p; p = strstr(p + 1, key)) {
            bool left = p == msg || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_');
            if (left && right) {
                if (!best_at || p < best_at) {
                    best_at = p;
                    best = k;
                }
                break;
            }
        }
    }
    return best;
}

void llmem_vm_build(llmem_vm *vm, const llm_config *c, const llm_registry *r)
{
    memset(vm, 0, sizeof *vm);
    vm->bad_knob = -1;
    vm->gpu = r && c->gpu[0] ? llm_registry_find_gpu(r, c->gpu) : NULL;
    llm_code rc = llm_model_validate(&c->model, &vm->err);
    if (rc == LLM_OK) rc = llm_estimate_run(&c->model, &c->workload, vm->gpu, &vm->est, &vm->err);
    if (rc != LLM_OK) {
        vm->bad_knob = blame(vm->err.message);
        return;
    }
    vm->valid = true;
    if (vm->gpu)
        vm->gpu_fit_ok =
            llm_fit_check(&c->model, &c->workload, vm->gpu, &vm->gpu_fit, NULL) == LLM_OK;
    if (r)
        for (size_t i = 0; i < r->ngpus && vm->nfits < LLMEM_VM_MAX_FITS; i++) {
            llmem_fit_row *row = &vm->fits[vm->nfits++];
            row->gpu = &r->gpus[i];
            row->ok = llm_fit_check(&c->model, &c->workload, row->gpu, &row->fit, NULL) == LLM_OK;
        }
}

/* ---- techniques --------------------------------------------------------- */

static void set(llm_config *c, const llm_registry *r, const char *key, const char *value)
{
    /* A value the current config already had: applying cannot fail in a way
     * that matters here; a failure leaves the step as it was. */
    (void)llm_setting_apply(c, r, key, value, NULL);
}

static void copy_key(llm_config *dst, const llm_config *src, const llm_registry *r,
                     const char *key)
{
    char buf[128];
    llm_setting_format(src, key, buf, sizeof buf);
    set(dst, r, key, buf);
}

size_t llmem_vm_techniques(const llm_config *c, const llm_registry *r, llmem_tech_step *out)
{
    static const char *const names[LLMEM_TECH_STEPS] = {
        "Naive fp32, 1 GPU", "Mixed precision", "Parallel + ZeRO",
        "Checkpointing",     "Quant + pruning", "Distill / LoRA"};
    static const char *const whats[LLMEM_TECH_STEPS] = {
        "fp32 everything, no recompute, no flash",
        "weights/act/grads/master/optim/kv dtypes",
        "tp pp dp zero sp offload",
        "recompute, flash attention",
        "quantised weights, sparsity",
        "mode lora/qlora/distill"};
    bool infer = c->workload.mode == LLM_MODE_INFER;
    llm_config s = *c;
    /* The naive baseline. */
    set(&s, r, "mode", infer ? "infer" : "train");
    const char *fp32[] = {"weights", "act", "grads", "kv", "optim"};
    for (size_t i = 0; i < sizeof fp32 / sizeof fp32[0]; i++) set(&s, r, fp32[i], "fp32");
    set(&s, r, "master", "none");
    const char *ones[] = {"tp", "pp", "dp", "vpp", "ep"};
    for (size_t i = 0; i < sizeof ones / sizeof ones[0]; i++) set(&s, r, ones[i], "1");
    set(&s, r, "gpus", "0"); /* the GPU count follows tp x pp x dp */
    set(&s, r, "zero", "0");
    set(&s, r, "sp", "off");
    set(&s, r, "offload", "none");
    set(&s, r, "recompute", "none");
    set(&s, r, "flash", "off");
    set(&s, r, "sparsity", "0");
    for (int step = 0; step < LLMEM_TECH_STEPS; step++) {
        switch (step) {
        case 1: {
            const char *keys[] = {"act", "grads", "master", "optim", "kv"};
            for (size_t i = 0; i < 5; i++) copy_key(&s, c, r, keys[i]);
            /* Quantised weights belong to the quantisation step. */
            if (c->workload.weights.is_float) copy_key(&s, c, r, "weights");
            else copy_key(&s, c, r, "act"), set(&s, r, "weights", c->workload.act.name);
            break;
        }
        case 2: {
            const char *keys[] = {"tp", "pp", "vpp", "dp", "ep", "zero", "sp", "offload", "gpus"};
            for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) copy_key(&s, c, r, keys[i]);
            break;
        }
        case 3:
            copy_key(&s, c, r, "recompute");
            copy_key(&s, c, r, "flash");
            break;
        case 4:
            copy_key(&s, c, r, "weights");
            copy_key(&s, c, r, "sparsity");
            break;
        case 5: s = *c; break;
        default: break;
        }
        llmem_tech_step *o = &out[step];
        o->name = names[step];
        o->what = whats[step];
        llm_estimate e;
        llm_error_clear(&o->err);
        o->ok = llm_estimate_run(&s.model, &s.workload, NULL, &e, &o->err) == LLM_OK;
        o->per_gpu = o->ok ? e.per_gpu.total : 0;
    }
    return LLMEM_TECH_STEPS;
}

/* ---- sweep -------------------------------------------------------------- */

static void sweep_point(llmem_sweep *s, const llm_config *c, double x, const char *label)
{
    if (s->n >= LLMEM_SWEEP_MAX) return;
    size_t i = s->n++;
    s->x[i] = x;
    snprintf(s->xlabel[i], sizeof s->xlabel[i], "%s", label);
    llm_estimate e;
    s->ok[i] = llm_estimate_run(&c->model, &c->workload, NULL, &e, NULL) == LLM_OK;
    s->y[i] = s->ok[i] ? e.per_gpu.total : 0;
}

/* "512", "4k", "1M".  Written through a wide buffer: a uint64_t can print
 * longer than a label holds (gcc -Wformat-truncation), and a label is cut,
 * never overflowed. */
static void count_label(char *buf, size_t cap, uint64_t v)
{
    char wide[32];
    if (v >= 1048576 && v % 1048576 == 0) snprintf(wide, sizeof wide, "%lluM", (unsigned long long)(v >> 20));
    else if (v >= 1024 && v % 1024 == 0) snprintf(wide, sizeof wide, "%lluk", (unsigned long long)(v >> 10));
    else snprintf(wide, sizeof wide, "%llu", (unsigned long long)v);
    size_t n = strlen(wide);
    if (n >= cap) n = cap - 1;
    memcpy(buf, wide, n);
    buf[n] = '\0';
}

void llmem_vm_sweep(const llm_config *c, const llm_registry *r, llmem_sweep_axis axis,
                    llmem_sweep *out)
{
    memset(out, 0, sizeof *out);
    out->axis = axis;
    out->current = -1;
    llm_config p = *c;
    char lab[16];
    switch (axis) {
    case LLMEM_SWEEP_SEQ:
        out->axis_name = "sequence length";
        for (uint64_t v = 512; v <= (1u << 20); v <<= 1) {
            p.workload.seq = v;
            count_label(lab, sizeof lab, v);
            if (v == c->workload.seq) out->current = (int)out->n;
            sweep_point(out, &p, (double)v, lab);
        }
        break;
    case LLMEM_SWEEP_BATCH:
        out->axis_name = "micro-batch";
        for (uint64_t v = 1; v <= 512; v <<= 1) {
            p.workload.micro_batch = v;
            count_label(lab, sizeof lab, v);
            if (v == c->workload.micro_batch) out->current = (int)out->n;
            sweep_point(out, &p, (double)v, lab);
        }
        break;
    case LLMEM_SWEEP_LAYERS: {
        out->axis_name = "layers";
        uint64_t top = c->model.layers * 2;
        if (top < 16) top = 16;
        uint64_t step = top / 16 ? top / 16 : 1;
        for (uint64_t v = step; v <= top && out->n < 16; v += step) {
            p.model.layers = v;
            if (p.workload.pp > 1 && v % p.workload.pp) continue;
            count_label(lab, sizeof lab, v);
            if (v == c->model.layers) out->current = (int)out->n;
            sweep_point(out, &p, (double)v, lab);
        }
        break;
    }
    case LLMEM_SWEEP_PRECISION:
    default: {
        out->axis_name = "weight precision";
        size_t nd;
        const llm_dtype *d = r && r->ndtypes ? r->dtypes : llm_dtype_builtin(&nd);
        if (r && r->ndtypes) nd = r->ndtypes;
        for (size_t i = 0; i < nd && out->n < LLMEM_SWEEP_MAX; i++) {
            p = *c;
            if (llm_setting_apply(&p, r, "weights", d[i].name, NULL) != LLM_OK) continue;
            if (strcmp(d[i].name, c->workload.weights.name) == 0) out->current = (int)out->n;
            sweep_point(out, &p, (double)i, d[i].name);
        }
        break;
    }
    }
    const llm_gpu *g = r && c->gpu[0] ? llm_registry_find_gpu(r, c->gpu) : NULL;
    if (g && (axis == LLMEM_SWEEP_SEQ || axis == LLMEM_SWEEP_BATCH)) {
        llm_solve_result res;
        if (llm_fit_solve(&c->model, &c->workload, g,
                          axis == LLMEM_SWEEP_SEQ ? LLM_SOLVE_SEQ : LLM_SOLVE_BATCH, NULL, 0, &res,
                          NULL) == LLM_OK) {
            out->solved = true;
            out->solve_found = res.found;
            out->solve_value = res.value;
        }
    }
}
