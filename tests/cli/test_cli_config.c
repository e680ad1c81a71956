/* Saved configurations load back on the command line (--config resolves
 * precisions and GPUs against the whole registry, not only the built-in
 * dtypes), and distillation with a teacher preset works end to end.
 *
 * Expected values, by hand:
 *   Llama-3-8B has 8,030,261,248 parameters (Meta's model card).  With
 *   keep_16bit off every weight has the format's size:
 *     fp8-e4m3, 1 byte:      8,030,261,248 bytes
 *     q4_k_m, 4.85 bits:     8,030,261,248 x 4.85 / 8 = 4,868,345,881.6 bytes
 *   KV cache, bf16: 2 (K, V) x 32 layers x 8 KV heads x 128 x 2 bytes
 *     = 131,072 bytes per token; seq 4096 x batch 2 = 1,073,741,824 bytes.
 *   Distillation of Llama-3-8B (bf16, 16,060,522,496 bytes) from Llama-3-70B
 *   (70,553,706,496 parameters, model card; = 80 layers x 855,654,400
 *   + 2 x 128,256 x 8192 + 8192) in bf16: 141,107,412,992 bytes of teacher
 *   weights, 157,167,935,488 bytes in all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "llmem/presets.h"
#include "llmem/settings.h"

static char tmpdir[256];
static llm_registry reg;

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/llmem-config-XXXXXX", base && base[0] ? base : "/tmp");
    if (!mkdtemp(tmpdir)) return -1;
    /* the child sees no user presets */
    setenv("HOME", tmpdir, 1);
    unsetenv("XDG_CONFIG_HOME");
    llm_registry_init(&reg);
    llm_error e;
    return llm_registry_load_builtin(&reg, &e) == LLM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_registry_free(&reg);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* stdout of `llmem ARGS` (static buffer) and its exit status. */
static const char *run(const char *args, int *status)
{
    static char out[1 << 16];
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", LLMEM_BINARY, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

/* The number after "key": inside the object that starts at "section": */
static double json_number(const char *doc, const char *section, const char *key)
{
    char s[64], k[64];
    snprintf(s, sizeof s, "\"%s\": {", section);
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(doc, s);
    if (!p) fail_msg("no %s in:\n%s", s, doc);
    p = strstr(p, k);
    if (!p) fail_msg("no %s in %s", k, section);
    return strtod(p + strlen(k), NULL);
}

/* A configuration saved as the explorer saves it (llm_preset_from_config +
 * llm_preset_save), with the given settings applied to llama-3-8b. */
static void save_config(const char *path, const char *const *sets, size_t n)
{
    const llm_preset *base = llm_registry_find(&reg, "llama-3-8b");
    assert_non_null(base);
    llm_config c;
    llm_config_from_preset(&c, base);
    llm_error e;
    for (size_t i = 0; i < n; i++)
        if (llm_setting_apply_text(&c, &reg, sets[i], &e) != LLM_OK)
            fail_msg("%s: %s", sets[i], e.message);
    llm_preset p;
    llm_preset_from_config(&p, base, &c, "my-8b", "My Llama 3 8B");
    if (llm_preset_save(path, &p, true, &e) != LLM_OK) fail_msg("%s", e.message);
}

static void test_config_catalogue_precisions(void **state)
{
    (void)state;
    char path[400], args[600];
    int st;
    static const char *const fp8[] = {"mode=infer", "weights=fp8-e4m3", "keep_16bit=off",
                                      "seq=4096",   "batch=2",          "gpu=h200-141gb"};
    snprintf(path, sizeof path, "%s/fp8.yaml", tmpdir);
    save_config(path, fp8, sizeof fp8 / sizeof fp8[0]);
    snprintf(args, sizeof args, "estimate --config '%s' --format json", path);
    const char *out = run(args, &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    assert_non_null(strstr(out, "\"weights\": \"fp8-e4m3\""));
    assert_non_null(strstr(out, "\"gpu\": \"h200-141gb\""));
    assert_true(json_number(out, "memory", "weights") == 8030261248.0);
    assert_true(json_number(out, "memory", "kv_cache") == 1073741824.0);

    static const char *const q4[] = {"mode=infer", "weights=q4_k_m", "keep_16bit=off",
                                     "seq=4096", "batch=2"};
    snprintf(path, sizeof path, "%s/q4.yaml", tmpdir);
    save_config(path, q4, sizeof q4 / sizeof q4[0]);
    snprintf(args, sizeof args, "estimate --config '%s' --format json", path);
    out = run(args, &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    assert_non_null(strstr(out, "\"weights\": \"q4_k_m\""));
    double w = json_number(out, "memory", "weights");
    if (w < 4868345881.0 || w > 4868345882.0) fail_msg("q4_k_m weights %.1f", w);

    /* an unknown precision in a file is still an error naming it (exit 3) */
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    char *q = strstr(text, "weights: q4_k_m");
    assert_non_null(q);
    memcpy(q, "weights: q9_zzz", 15);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    out = run(args, &st);
    assert_int_equal(st, 3);
    assert_non_null(strstr(out, "unknown precision 'q9_zzz'"));
}

static void test_distill_teacher(void **state)
{
    (void)state;
    int st;
    const char *out = run("estimate --preset llama-3-8b --set mode=distill --set teacher=llama-3-70b "
                          "--format json",
                          &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    assert_non_null(strstr(out, "\"teacher\": \"llama-3-70b\""));
    assert_true(json_number(out, "memory", "weights") == 157167935488.0);

    /* saved with its teacher, loaded back with --config: the same weights */
    char path[400], args[600];
    static const char *const d[] = {"mode=distill", "teacher=llama-3-70b"};
    snprintf(path, sizeof path, "%s/distill.yaml", tmpdir);
    save_config(path, d, 2);
    snprintf(args, sizeof args, "estimate --config '%s' --format json", path);
    out = run(args, &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    assert_true(json_number(out, "memory", "weights") == 157167935488.0);

    /* the teacher's dtype follows the student's weights at that point */
    out = run("estimate --preset llama-3-8b --set mode=distill --set weights=fp8 "
              "--set teacher=llama-3-70b --set keep_16bit=off --format json",
              &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    /* 8,030,261,248 + 70,553,706,496 bytes at 1 byte each */
    assert_true(json_number(out, "memory", "weights") == 78583967744.0);

    out = run("estimate --preset llama-3-8b --set mode=distill", &st);
    assert_int_equal(st, 2);
    assert_non_null(strstr(out, "teacher"));
    out = run("estimate --preset llama-3-8b --set teacher=nope", &st);
    assert_int_equal(st, 2);
    assert_non_null(strstr(out, "teacher: unknown preset 'nope'"));
}

/* gpus=N sets dp; fit uses the preset's GPU when --gpu is not given. */
static void test_gpus_and_fit_gpu(void **state)
{
    (void)state;
    int st;
    const char *out =
        run("estimate --preset llama-3-8b --set tp=2 --set gpus=8 --format json", &st);
    if (st != 0) fail_msg("exit %d: %s", st, out);
    assert_non_null(strstr(out, "\"dp\": 4,")); /* 8 / (tp 2 x pp 1) */
    assert_true(json_number(out, "memory", "gpus") == 8.0);
    out = run("estimate --preset llama-3-8b --set tp=8 --set gpus=12", &st);
    assert_int_equal(st, 2);
    assert_non_null(strstr(out, "not a multiple of tp x pp = 8 x 1 = 8"));
    /* llama-3-8b's preset names h100-80gb */
    out = run("fit --preset llama-3-8b --set mode=infer --format json", &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(out, "\"gpu\": \"h100-80gb\""));
    out = run("fit --preset llama-3-8b --gpu h100-80gb --gpus 8 --format json", &st);
    if (st != 0 && st != 1) fail_msg("exit %d: %s", st, out);
    assert_non_null(strstr(out, "\"dp\": 8"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_catalogue_precisions),
        cmocka_unit_test(test_distill_teacher),
        cmocka_unit_test(test_gpus_and_fit_gpu),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
