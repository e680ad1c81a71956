/* The shipped presets (every presets/NAME.yaml in the source tree, and the copies
 * compiled into the binary): every file loads, ids are unique across files,
 * every published parameter count is met (exactly when params_exact, else
 * within 2%), default workloads are valid, and the catalogues hold the
 * formats and accelerators of the reference data.  The test loops over the
 * files, so a new preset is checked automatically. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/embedded.h"
#include "io/preset_load.h"
#include "io/yaml_tree.h"
#include "llmem/presets.h"
#include "llmem/settings.h"

#define PRESET_DIR LLMEM_SOURCE_DIR "/presets"

typedef struct names {
    char (*v)[256];
    size_t n;
} names;

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

static names yaml_files(void)
{
    names out = {NULL, 0};
    DIR *d = opendir(PRESET_DIR);
    if (!d) fail_msg("cannot open %s", PRESET_DIR);
    struct dirent *e;
    out.v = calloc(512, sizeof *out.v);
    while ((e = readdir(d)) != NULL && out.n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0 && e->d_name[0] != '.')
            snprintf(out.v[out.n++], sizeof out.v[0], "%s", e->d_name);
    }
    closedir(d);
    qsort(out.v, out.n, sizeof out.v[0], cmp);
    return out;
}

static void fail_on_problems(const llm_registry *r, const char *what)
{
    if (r->nproblems == 0) return;
    char buf[2048];
    llm_error_format(&r->problems[0], buf, sizeof buf);
    fail_msg("%s: %zu problem(s), first:\n%s", what, r->nproblems, buf);
}

/* Catalogues first, so a single preset file may name their GPUs and formats. */
static void load_catalogues(llm_registry *r)
{
    llm_error e;
    llm_registry_load_file(r, PRESET_DIR "/precisions.yaml", &e);
    llm_registry_load_file(r, PRESET_DIR "/gpus.yaml", &e);
    fail_on_problems(r, "catalogues");
}

/* Each file alone loads cleanly, and no id appears in two files. */
static void test_every_file_loads(void **state)
{
    (void)state;
    names files = yaml_files();
    assert_true(files.n > 0); /* zero files would make every other check vacuous */
    char (*ids)[LLM_ID_MAX] = calloc(4096, sizeof *ids);
    char (*from)[256] = calloc(4096, sizeof *from);
    size_t nids = 0, total = 0;
    for (size_t i = 0; i < files.n; i++) {
        llm_registry r;
        llm_registry_init(&r);
        load_catalogues(&r);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PRESET_DIR, files.v[i]);
        llm_error e;
        llm_registry_load_file(&r, path, &e);
        fail_on_problems(&r, files.v[i]);
        for (size_t p = 0; p < r.npresets; p++) {
            assert_string_equal(r.presets[p].origin, path);
            for (size_t k = 0; k < nids; k++)
                if (strcmp(ids[k], r.presets[p].id) == 0)
                    fail_msg("preset id '%s' is in both %s and %s", ids[k], from[k], files.v[i]);
            assert_true(nids < 4096);
            snprintf(ids[nids], sizeof ids[0], "%s", r.presets[p].id);
            snprintf(from[nids++], sizeof from[0], "%s", files.v[i]);
        }
        total += r.npresets;
        llm_registry_free(&r);
    }
    assert_true(total > 0);
    free(ids);
    free(from);
    free(files.v);
}

/* The binary carries exactly the files of presets/, and they load the same. */
static void test_embedded_copies(void **state)
{
    (void)state;
    names files = yaml_files();
    assert_int_equal(llm_embedded_presets_count, files.n);
    for (size_t i = 0; i < files.n; i++) {
        const llm_embedded_file *f = &llm_embedded_presets[i];
        assert_string_equal(f->name, files.v[i]);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PRESET_DIR, files.v[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char *buf = malloc(f->len + 2);
        size_t n = fread(buf, 1, f->len + 1, fp);
        fclose(fp);
        if (n != f->len || memcmp(buf, f->data, n) != 0)
            fail_msg("%s: the embedded copy differs from the file (rebuild?)", files.v[i]);
        assert_int_equal(f->data[f->len], '\0');
        free(buf);
    }
    assert_null(llm_embedded_presets[files.n].name);

    llm_registry b, d;
    llm_registry_init(&b);
    llm_registry_init(&d);
    llm_error e;
    assert_int_equal(llm_registry_load_builtin(&b, &e), LLM_OK);
    fail_on_problems(&b, "builtin");
    assert_int_equal(llm_registry_load_dir(&d, PRESET_DIR, &e), LLM_OK);
    fail_on_problems(&d, "presets dir");
    assert_int_equal(b.npresets, d.npresets);
    assert_int_equal(b.ngpus, d.ngpus);
    assert_int_equal(b.ndtypes, d.ndtypes);
    for (size_t i = 0; i < b.npresets; i++) {
        assert_string_equal(b.presets[i].id, d.presets[i].id);
        assert_true(strncmp(b.presets[i].origin, "builtin:", 8) == 0);
        assert_true(llm_model_equal(&b.presets[i].model, &d.presets[i].model));
    }
    llm_registry_free(&b);
    llm_registry_free(&d);
    free(files.v);
}

/* Published counts: exact ones to the parameter, rounded ones within 2%. */
static void test_published_counts(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    llm_registry_load_builtin(&r, &e);
    fail_on_problems(&r, "builtin");
    char report[4096] = "";
    size_t len = 0, exact = 0, rounded = 0, bad = 0;
    for (size_t i = 0; i < r.npresets; i++) {
        const llm_preset *p = &r.presets[i];
        if (!p->params_published) continue;
        llm_params c;
        if (llm_params_count(&p->model, &c, &e) != LLM_OK) fail_msg("%s: %s", p->id, e.message);
        double rel = ((double)c.total - (double)p->params_published) / (double)p->params_published;
        bool ok = p->params_exact ? c.total == p->params_published : fabs(rel) <= 0.02;
        if (p->params_exact) exact++;
        else rounded++;
        if (!ok) {
            bad++;
            int n = snprintf(report + len, sizeof report - len,
                             "\n  %s (%s): computed %llu, published %llu%s (%+.2f%%)", p->id,
                             p->origin, (unsigned long long)c.total,
                             (unsigned long long)p->params_published,
                             p->params_exact ? " exact" : "", rel * 100);
            if (n > 0 && (size_t)n < sizeof report - len) len += (size_t)n;
        }
    }
    llm_registry_free(&r);
    if (bad) fail_msg("%zu preset(s) miss their published count:%s", bad, report);
    assert_true(exact > 0);
    (void)rounded;
}

/* Every default workload passes the engine's validation; every GPU named exists. */
static void test_workloads_valid(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    llm_registry_load_builtin(&r, &e);
    char report[4096] = "";
    size_t len = 0, bad = 0;
    for (size_t i = 0; i < r.npresets; i++) {
        const llm_preset *p = &r.presets[i];
        char why[LLM_ERROR_MSG_MAX + 64] = "";
        if (!p->published && !p->analogue[0])
            snprintf(why, sizeof why, "illustrative without analogue");
        else if (p->has_workload && llm_workload_validate(&p->model, &p->workload, &e) != LLM_OK)
            snprintf(why, sizeof why, "workload: %s", e.message);
        else if (p->has_workload && p->gpu[0] && !llm_registry_find_gpu(&r, p->gpu))
            snprintf(why, sizeof why, "unknown gpu %s", p->gpu);
        if (!why[0]) continue;
        bad++;
        int n = snprintf(report + len, sizeof report - len, "\n  %s (%s): %s", p->id, p->origin,
                         why);
        if (n > 0 && (size_t)n < sizeof report - len) len += (size_t)n;
    }
    llm_registry_free(&r);
    if (bad) fail_msg("%zu preset(s) with an invalid default workload:%s", bad, report);
}

/* The precision catalogue: the formats the schema requires, with bytes per
 * element from docs/FORMULAS.md section 2 and the GGUF figures (bits per
 * weight / 8); and the built-in fallbacks agree with the file. */
static void test_precisions(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    llm_registry_load_builtin(&r, &e);
    struct {
        const char *name;
        double bytes;
    } want[] = {
        {"fp32", 4},         {"tf32", 4},          {"fp16", 2},        {"bf16", 2},
        {"fp8", 1},          {"int8", 1},          {"int4", 0.5},
        {"nf4", 0.5625},     /* 4 bits + fp32 absmax per 64 (QLoRA, no double quantisation) */
        {"int4-g128", 0.53125}, /* 0.5 + 4/128 */
        {"q8_0", 8.5 / 8},   {"q4_0", 4.5 / 8},    {"q6_k", 6.5625 / 8},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const llm_dtype *d = llm_registry_find_dtype(&r, want[i].name);
        if (!d) fail_msg("precisions.yaml lacks %s", want[i].name);
        if (fabs(d->bytes - want[i].bytes) > 1e-12)
            fail_msg("%s: %.6f bytes, want %.6f", want[i].name, d->bytes, want[i].bytes);
    }
    /* Q4_K_M is about 4.85 bits per weight */
    const llm_dtype *q = llm_registry_find_dtype(&r, "q4_k_m");
    assert_non_null(q);
    assert_true(fabs(q->bytes * 8 - 4.85) < 0.05);
    size_t n;
    const llm_dtype *b = llm_dtype_builtin(&n);
    for (size_t i = 0; i < n; i++) {
        const llm_dtype *d = llm_registry_find_dtype(&r, b[i].name);
        assert_non_null(d);
        if (d->bytes != b[i].bytes || d->is_float != b[i].is_float)
            fail_msg("%s: built-in %.4f B float=%d, file %.4f B float=%d", b[i].name, b[i].bytes,
                     b[i].is_float, d->bytes, d->is_float);
    }
    llm_registry_free(&r);
}

/* Every accelerator of the reference gpus.json is in the catalogue with its
 * bandwidth and dense 16-bit / fp8 TFLOPS (fp16 where bf16 is null). */
static void test_gpus_match_reference(void **state)
{
    (void)state;
    static const struct {
        const char *ref, *id;
    } map[] = {
        {"H100 SXM5 80GB", "h100-80gb"},
        {"H100 PCIe 80GB", "h100-pcie-80gb"},
        {"H200 SXM 141GB", "h200-141gb"},
        {"B200 (HGX/DGX)", "b200-180gb"},
        {"A100 SXM4 40GB", "a100-40gb"},
        {"A100 SXM4 80GB", "a100-80gb"},
        {"L40S", "l40s-48gb"},
        {"L4", "l4-24gb"},
        {"A10G (AWS G5)", "a10g-24gb"},
        {"T4", "t4-16gb"},
        {"V100 SXM2 32GB", "v100-32gb"},
        {"GeForce RTX 3090", "rtx3090-24gb"},
        {"GeForce RTX 4090", "rtx4090-24gb"},
        {"GeForce RTX 5090", "rtx5090-32gb"},
        {"Instinct MI300X", "mi300x-192gb"},
        {"Apple M2 Ultra (Mac Studio/Mac Pro 2023)", "m2-ultra-192gb"},
        {"Apple M3 Ultra (Mac Studio 2025)", "m3-ultra-512gb"},
    };
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    llm_registry_load_builtin(&r, &e);
    llm_ytree *t;
    if (llm_ytree_load_file(LLMEM_FIXTURES "/reference/gpus.json", NULL, &t, &e))
        fail_msg("%s", e.message);
    const llm_ynode *list = llm_ynode_get(llm_ytree_root(t), "gpus");
    assert_non_null(list);
    assert_int_equal(list->count, sizeof map / sizeof map[0]);
    for (size_t i = 0; i < list->count; i++) {
        const llm_ynode *g = list->items[i];
        char name[128];
        assert_int_equal(llm_ynode_string(t, llm_ynode_get(g, "name"), "name", name, sizeof name, &e),
                         LLM_OK);
        const char *id = NULL;
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (strcmp(map[k].ref, name) == 0) id = map[k].id;
        if (!id) fail_msg("reference GPU %s has no id in this test", name);
        const llm_gpu *mine = llm_registry_find_gpu(&r, id);
        if (!mine) fail_msg("gpus.yaml lacks %s (%s)", id, name);
        double gb, bw, f16 = 0, f8 = 0;
        llm_ynode_double(t, llm_ynode_get(g, "memory_GB"), "memory_GB", &gb, &e);
        llm_ynode_double(t, llm_ynode_get(g, "memory_bandwidth_GBps"), "bw", &bw, &e);
        const llm_ynode *b16 = llm_ynode_get(g, "bf16_dense_tflops");
        if (llm_ynode_is_null(b16)) b16 = llm_ynode_get(g, "fp16_dense_tflops");
        if (b16 && !llm_ynode_is_null(b16)) llm_ynode_double(t, b16, "f16", &f16, &e);
        const llm_ynode *b8 = llm_ynode_get(g, "fp8_dense_tflops");
        if (b8 && !llm_ynode_is_null(b8)) llm_ynode_double(t, b8, "f8", &f8, &e);
        /* marketed GB of these parts are binary sizes (see presets/gpus.yaml) */
        if (mine->memory_bytes != gb * 1073741824.0)
            fail_msg("%s: memory %.0f bytes, reference %g GB", id, mine->memory_bytes, gb);
        if (fabs(mine->bandwidth - bw * 1e9) > 1e3) fail_msg("%s: bandwidth", id);
        if (f16 > 0 && fabs(mine->flops_16 - f16 * 1e12) > 1e6)
            fail_msg("%s: 16-bit %g vs %g TFLOPS", id, mine->flops_16 / 1e12, f16);
        if (fabs(mine->flops_8 - f8 * 1e12) > 1e6)
            fail_msg("%s: fp8 %g vs %g TFLOPS", id, mine->flops_8 / 1e12, f8);
    }
    llm_ytree_free(t);
    llm_registry_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_loads),
        cmocka_unit_test(test_embedded_copies),
        cmocka_unit_test(test_published_counts),
        cmocka_unit_test(test_workloads_valid),
        cmocka_unit_test(test_precisions),
        cmocka_unit_test(test_gpus_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
