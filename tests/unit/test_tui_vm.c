/* The view model: figures come from the engine (compared with the engine's
 * own calls, never recomputed here), an impossible combination is reported
 * with the knob to blame, the Techniques and Sweep rows follow their rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/knobs.h"
#include "tui/vm.h"

static llm_registry reg;

static int setup(void **state)
{
    (void)state;
    llm_registry_init(&reg);
    return llm_registry_load_builtin(&reg, NULL) == LLM_OK || reg.npresets > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_registry_free(&reg);
    return 0;
}

static llm_config preset(const char *id, const char *gpu)
{
    const llm_preset *p = llm_registry_find(&reg, id);
    assert_non_null(p);
    llm_config c;
    llm_config_from_preset(&c, p);
    if (gpu) snprintf(c.gpu, sizeof c.gpu, "%s", gpu);
    return c;
}

static void test_valid_config(void **state)
{
    (void)state;
    llm_config c = preset("llama-3-8b", "h100-80gb");
    llmem_vm vm;
    llmem_vm_build(&vm, &c, &reg);
    assert_true(vm.valid);
    assert_int_equal(vm.bad_knob, -1);
    assert_non_null(vm.gpu);
    assert_string_equal(vm.gpu->id, "h100-80gb");
    /* Meta's published count for Llama-3-8B: 8,030,261,248 parameters */
    assert_int_equal(vm.est.params.total, 8030261248ULL);
    /* the categories in display order are the engine's fields */
    assert_true(llmem_mem_value(&vm.est.per_gpu, 0) == vm.est.per_gpu.weights);
    assert_true(llmem_mem_value(&vm.est.per_gpu, 2) == vm.est.per_gpu.optimizer);
    assert_true(llmem_mem_value(&vm.est.per_gpu, 4) == vm.est.per_gpu.kv_cache);
    assert_true(llmem_mem_value(&vm.est.per_gpu, 6) == vm.est.per_gpu.total);
    /* bf16 weights: 2 bytes per parameter (FORMULAS.md §3) on one GPU */
    assert_true(vm.est.per_gpu.weights == 2.0 * 8030261248.0);
    /* one fit row per catalogue GPU, each as the engine says */
    assert_int_equal(vm.nfits, reg.ngpus < LLMEM_VM_MAX_FITS ? reg.ngpus : LLMEM_VM_MAX_FITS);
    llm_fit f;
    assert_int_equal(llm_fit_check(&c.model, &c.workload, vm.fits[0].gpu, &f, NULL), LLM_OK);
    assert_true(f.utilisation == vm.fits[0].fit.utilisation);
}

static void test_impossible_combination(void **state)
{
    (void)state;
    llm_config c = preset("llama-3-8b", NULL);
    c.model.head_dim = 0;
    c.model.heads = 7; /* 4096 / 7 is not whole */
    llmem_vm vm;
    llmem_vm_build(&vm, &c, &reg);
    assert_false(vm.valid);
    assert_true(strlen(vm.err.message) > 0);
    /* the message names the field; the panel marks that slider */
    assert_true(vm.bad_knob == LLMEM_K_HEADS || vm.bad_knob == LLMEM_K_HIDDEN ||
                vm.bad_knob == LLMEM_K_KV_HEADS);
    /* tensor parallelism that does not divide the heads */
    c = preset("llama-3-8b", NULL);
    c.workload.tp = 3;
    llmem_vm_build(&vm, &c, &reg);
    assert_false(vm.valid);
}

static void test_techniques(void **state)
{
    (void)state;
    llm_config c = preset("llama-3-8b", NULL);
    llmem_tech_step st[LLMEM_TECH_STEPS];
    assert_int_equal(llmem_vm_techniques(&c, &reg, st), LLMEM_TECH_STEPS);
    for (int i = 0; i < LLMEM_TECH_STEPS; i++) assert_true(st[i].ok);
    /* the last step is the current configuration itself */
    llm_estimate e;
    assert_int_equal(llm_estimate_run(&c.model, &c.workload, NULL, &e, NULL), LLM_OK);
    assert_true(st[LLMEM_TECH_STEPS - 1].per_gpu == e.per_gpu.total);
    /* the naive baseline keeps fp32 weights: 4 bytes per parameter, so it
     * is above the bf16 configuration */
    assert_true(st[0].per_gpu > st[LLMEM_TECH_STEPS - 1].per_gpu);
    /* the baseline equals the engine's answer for that fp32 configuration */
    llm_config naive = c;
    assert_int_equal(llm_setting_apply(&naive, &reg, "weights", "fp32", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "act", "fp32", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "grads", "fp32", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "kv", "fp32", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "optim", "fp32", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "master", "none", NULL), LLM_OK);
    assert_int_equal(llm_setting_apply(&naive, &reg, "flash", "off", NULL), LLM_OK);
    assert_int_equal(llm_estimate_run(&naive.model, &naive.workload, NULL, &e, NULL), LLM_OK);
    assert_true(st[0].per_gpu == e.per_gpu.total);
}

static void test_sweep(void **state)
{
    (void)state;
    llm_config c = preset("llama-3-8b", "h100-80gb");
    static llmem_sweep s;
    llmem_vm_sweep(&c, &reg, LLMEM_SWEEP_SEQ, &s);
    /* 512 .. 2^20 in doublings: 12 points */
    assert_int_equal(s.n, 12);
    assert_true(s.x[0] == 512 && s.x[11] == 1048576);
    assert_string_equal(s.xlabel[1], "1k");
    /* memory never falls as the sequence grows */
    for (size_t i = 1; i < s.n; i++)
        if (s.ok[i] && s.ok[i - 1]) assert_true(s.y[i] >= s.y[i - 1]);
    /* the current setting is marked when it is on the grid */
    if (c.workload.seq >= 512 && c.workload.seq <= 1048576 &&
        (c.workload.seq & (c.workload.seq - 1)) == 0)
        assert_true(s.current >= 0 && s.x[s.current] == (double)c.workload.seq);
    /* each point is the engine's figure */
    llm_config p = c;
    p.workload.seq = 4096;
    llm_estimate e;
    assert_int_equal(llm_estimate_run(&p.model, &p.workload, NULL, &e, NULL), LLM_OK);
    assert_true(s.y[3] == e.per_gpu.total);
    assert_true(s.solved);
}

/* Short GPU names for the fit grid: whole words, vendor and product-line
 * words and notes in parentheses dropped, the memory kept (the catalogue's
 * names from presets/gpus.yaml; expected strings written by hand). */
static void test_gpu_short_name(void **state)
{
    (void)state;
    char b[19];
    llmem_gpu_short_name("NVIDIA GeForce RTX 3090 24GB", b, sizeof b);
    assert_string_equal(b, "RTX 3090 24GB");
    llmem_gpu_short_name("AMD Instinct MI300X 192GB", b, sizeof b);
    assert_string_equal(b, "MI300X 192GB");
    llmem_gpu_short_name("Apple M2 Ultra 192GB (unified memory)", b, sizeof b);
    assert_string_equal(b, "M2 Ultra 192GB");
    llmem_gpu_short_name("NVIDIA B200 (HGX/DGX) 180GB", b, sizeof b);
    assert_string_equal(b, "B200 180GB");
    llmem_gpu_short_name("NVIDIA A10G 24GB (AWS G5)", b, sizeof b);
    assert_string_equal(b, "A10G 24GB");
    llmem_gpu_short_name("NVIDIA H100 SXM5 80GB", b, sizeof b);
    assert_string_equal(b, "H100 SXM5 80GB");
    /* too long for 18 columns: words before the memory go, never half a word */
    llmem_gpu_short_name("Example Accelerator Extreme Edition 96GB", b, sizeof b);
    assert_string_equal(b, "Example 96GB");
    /* no memory word: words from the left that fit */
    llmem_gpu_short_name("Some Very Long Product Name", b, sizeof b);
    assert_string_equal(b, "Some Very Long");
    /* every catalogue name: each word of the short name is a whole word of
     * the full one (nothing cut mid-word) */
    for (size_t i = 0; i < reg.ngpus; i++) {
        char full[160], *save = NULL;
        llmem_gpu_short_name(reg.gpus[i].name, b, sizeof b);
        assert_true(strlen(b) > 0);
        snprintf(full, sizeof full, " %s ", reg.gpus[i].name);
        for (char *w = strtok_r(b, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            char word[40];
            snprintf(word, sizeof word, " %s ", w);
            if (!strstr(full, word)) fail_msg("'%s' is not a word of '%s'", w, reg.gpus[i].name);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_config),
        cmocka_unit_test(test_impossible_combination),
        cmocka_unit_test(test_techniques),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_gpu_short_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
