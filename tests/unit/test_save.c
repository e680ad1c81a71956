/* Save: a preset written with llm_preset_save loads back identically (every
 * model field, the workload as settings, the metadata), for every shipped
 * preset and for a workload far from the defaults; an existing file is not
 * touched without the overwrite flag; no temporary file is left behind. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/preset_load.h"
#include "llmem/presets.h"
#include "llmem/settings.h"

static char tmpdir[256];
static llm_registry builtin;

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/llmem-save-XXXXXX", base && base[0] ? base : "/tmp");
    if (!mkdtemp(tmpdir)) return -1;
    llm_registry_init(&builtin);
    llm_error e;
    return llm_registry_load_builtin(&builtin, &e) == LLM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_registry_free(&builtin);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void same_dtype(const llm_dtype *a, const llm_dtype *b, const char *what)
{
    if (strcmp(a->name, b->name) != 0 || a->bytes != b->bytes || a->bits != b->bits ||
        a->group != b->group || a->scale_bytes != b->scale_bytes || a->is_float != b->is_float)
        fail_msg("%s: %s %.4f vs %s %.4f", what, a->name, a->bytes, b->name, b->bytes);
}

/* Field by field (the teacher is not saved: see llm_preset_save). */
static void same_workload(const llm_workload *a, const llm_workload *b)
{
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->micro_batch, b->micro_batch);
    assert_int_equal(a->global_batch, b->global_batch);
    assert_int_equal(a->tokens, b->tokens);
    assert_int_equal(a->gen_tokens, b->gen_tokens);
    same_dtype(&a->weights, &b->weights, "weights");
    same_dtype(&a->act, &b->act, "act");
    same_dtype(&a->grads, &b->grads, "grads");
    same_dtype(&a->master, &b->master, "master");
    same_dtype(&a->optim, &b->optim, "optim");
    same_dtype(&a->kv, &b->kv, "kv");
    assert_int_equal(a->quant_keep_16bit, b->quant_keep_16bit);
    assert_int_equal(a->optimizer, b->optimizer);
    assert_int_equal(a->recompute, b->recompute);
    assert_int_equal(a->flash, b->flash);
    assert_int_equal(a->dropout, b->dropout);
    assert_int_equal(a->seq_parallel, b->seq_parallel);
    assert_int_equal(a->profile, b->profile);
    assert_int_equal(a->tp, b->tp);
    assert_int_equal(a->pp, b->pp);
    assert_int_equal(a->vpp, b->vpp);
    assert_int_equal(a->dp, b->dp);
    assert_int_equal(a->ep, b->ep);
    assert_int_equal(a->zero, b->zero);
    assert_int_equal(a->offload_optimizer, b->offload_optimizer);
    assert_int_equal(a->offload_params, b->offload_params);
    assert_int_equal(a->lora_rank, b->lora_rank);
    assert_int_equal(a->lora_targets, b->lora_targets);
    assert_true(a->sparsity == b->sparsity);
    assert_int_equal(a->sparse_storage, b->sparse_storage);
    assert_true(a->overhead_bytes == b->overhead_bytes);
    assert_true(a->fragmentation == b->fragmentation);
    assert_int_equal(a->kv_block, b->kv_block);
    assert_int_equal(a->gpus, b->gpus);
    assert_true(a->mfu == b->mfu);
}

static void same_preset(const llm_preset *a, const llm_preset *b)
{
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->family, b->family);
    assert_int_equal(a->published, b->published);
    assert_string_equal(a->analogue, b->analogue);
    assert_string_equal(a->source, b->source);
    assert_string_equal(a->notes, b->notes);
    if (!llm_model_equal(&a->model, &b->model)) fail_msg("%s: model differs", a->id);
    /* every field, including the padding-free parts, compared through the table */
    size_t nf;
    const llm_model_field *f = llm_model_fields(&nf);
    assert_int_equal(nf, 41); /* every field of llm_model */
    for (size_t i = 0; i < nf; i++)
        assert_int_equal(llm_model_field_get(&a->model, &f[i]), llm_model_field_get(&b->model, &f[i]));
    assert_int_equal(a->has_workload, b->has_workload);
    if (a->has_workload) same_workload(&a->workload, &b->workload);
    assert_string_equal(a->gpu, b->gpu);
    assert_string_equal(a->teacher, b->teacher);
    assert_int_equal(a->params_published, b->params_published);
    assert_int_equal(a->params_exact, b->params_exact);
}

/* Files in tmpdir/sub whose name starts with '.' (temporaries). */
static int hidden_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void load_back(const char *path, const char *id, llm_preset *out)
{
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    /* the catalogues the saved names refer to, then the file */
    for (size_t i = 0; i < builtin.ndtypes; i++) llm_registry_add_dtype(&r, &builtin.dtypes[i], &e);
    for (size_t i = 0; i < builtin.ngpus; i++) llm_registry_add_gpu(&r, &builtin.gpus[i], &e);
    if (llm_registry_load_file(&r, path, &e) != LLM_OK) {
        char buf[2048];
        llm_error_format(&e, buf, sizeof buf);
        fail_msg("%s", buf);
    }
    const llm_preset *p = llm_registry_find(&r, id);
    assert_non_null(p);
    *out = *p;
    assert_string_equal(out->origin, path);
    llm_registry_free(&r);
}

/* Every shipped preset survives save -> load. */
static void test_round_trip_every_preset(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/all", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_true(builtin.npresets > 0);
    for (size_t i = 0; i < builtin.npresets; i++) {
        const llm_preset *p = &builtin.presets[i];
        char path[700];
        snprintf(path, sizeof path, "%s/%s.yaml", dir, p->id);
        llm_error e;
        if (llm_preset_save(path, p, false, &e) != LLM_OK) fail_msg("%s: %s", p->id, e.message);
        llm_preset back;
        load_back(path, p->id, &back);
        same_preset(p, &back);
    }
    assert_int_equal(hidden_files(dir), 0);
}

/* A configuration far from every default, with awkward strings. */
static void test_round_trip_settings(void **state)
{
    (void)state;
    llm_config c;
    llm_config_default(&c);
    const llm_preset *base = llm_registry_find(&builtin, "gpt2");
    assert_non_null(base);
    c.model = base->model;
    static const char *const set[] = {
        "mode=qlora",      "seq=12k",          "batch=3",          "global_batch=96",
        "tokens=3e11",     "gen_tokens=77",    "weights=int4-g128", "grads=fp32",
        "master=none",     "act=fp16",         "kv=fp8",           "optim=int8",
        "optimizer=lion",  "recompute=full",   "flash=off",        "dropout=on",
        "sp=on",           "profile=eager",    "tp=2",             "pp=3",
        "vpp=2",           "dp=4",             "ep=1",             "zero=2",
        "offload=params",  "lora_rank=48",     "lora_targets=q,k,down",
        "sparsity=0.3",    "sparse_storage=csr", "keep_16bit=off", "gpu=h100-80gb",
        "gpus=24",         "mfu=0.37",         "overhead=768MiB",  "fragmentation=0.05",
        "kv_block=16",     "layers=6",
    };
    llm_error e;
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (llm_setting_apply_text(&c, &builtin, set[i], &e)) fail_msg("%s: %s", set[i], e.message);
    llm_preset p;
    llm_preset_from_config(&p, base, &c, "my-gpt2", "My \"GPT-2\": 6 layers\\ütf-8");
    snprintf(p.notes, sizeof p.notes, "line one\nline two\twith a tab # not a comment");
    assert_int_equal(p.params_published, 0); /* the shape changed: the count no longer applies */
    char path[512];
    snprintf(path, sizeof path, "%s/mine.yaml", tmpdir);
    assert_int_equal(llm_preset_save(path, &p, false, &e), LLM_OK);
    llm_preset back;
    load_back(path, "my-gpt2", &back);
    same_preset(&p, &back);
    assert_int_equal(back.model.layers, 6);
    assert_int_equal(back.workload.seq, 12288);
    assert_string_equal(back.name, "My \"GPT-2\": 6 layers\\ütf-8");
    assert_string_equal(back.gpu, "h100-80gb");

    /* with no base: an illustrative user preset */
    llm_preset_from_config(&p, NULL, &c, "scratch", "Scratch");
    assert_false(p.published);
    assert_string_equal(p.family, "user");
    snprintf(path, sizeof path, "%s/scratch.yaml", tmpdir);
    assert_int_equal(llm_preset_save(path, &p, false, &e), LLM_OK);
    load_back(path, "scratch", &back);
    same_preset(&p, &back);
}

/* Without overwrite an existing file keeps its content and mtime; with it,
 * the file is replaced.  No temporary remains either way. */
/* A distillation teacher is saved as `teacher: ID` and resolved on load
 * (teacher_weights too); saving through a symbolic link writes its target. */
static void test_teacher_and_symlink(void **state)
{
    (void)state;
    const llm_preset *base = llm_registry_find(&builtin, "llama-3-8b");
    assert_non_null(base);
    llm_config c;
    llm_config_from_preset(&c, base);
    llm_error e;
    assert_int_equal(llm_setting_apply(&c, &builtin, "mode", "distill", &e), LLM_OK);
    assert_int_equal(llm_setting_apply(&c, &builtin, "teacher", "llama-3-70b", &e), LLM_OK);
    assert_int_equal(llm_setting_apply(&c, &builtin, "teacher_weights", "fp8", &e), LLM_OK);
    llm_preset p;
    llm_preset_from_config(&p, base, &c, "distilled", "Distilled");
    char *yaml;
    assert_int_equal(llm_preset_to_yaml(&p, &yaml, NULL, &e), LLM_OK);
    assert_non_null(strstr(yaml, "      teacher: llama-3-70b\n      teacher_weights: fp8\n"));
    assert_null(strstr(yaml, "not saved"));
    free(yaml);

    char target[600], link[600];
    snprintf(target, sizeof target, "%s/distilled-target.yaml", tmpdir);
    snprintf(link, sizeof link, "%s/distilled.yaml", tmpdir);
    assert_int_equal(symlink("distilled-target.yaml", link), 0); /* dangling until saved */
    assert_int_equal(llm_preset_save(link, &p, false, &e), LLM_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(llm_preset_save(link, &p, false, &e), LLM_ERR_EXISTS);

    /* loaded with the builtin presets around it: the teacher is resolved */
    llm_registry r;
    llm_registry_init(&r);
    assert_int_equal(llm_registry_load_builtin(&r, &e), LLM_OK);
    assert_int_equal(llm_registry_load_file(&r, target, &e), LLM_OK);
    const llm_preset *back = llm_registry_find(&r, "distilled");
    assert_non_null(back);
    assert_string_equal(back->teacher, "llama-3-70b");
    assert_true(back->workload.has_teacher);
    assert_int_equal(back->workload.teacher.layers, 80);
    assert_string_equal(back->workload.teacher_weights.name, "fp8");
    assert_int_equal(back->workload.mode, LLM_MODE_DISTILL);
    llm_registry_free(&r);
}

static void test_no_overwrite(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/keep", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/llama.yaml", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("precious\n", f);
    fclose(f);
    /* an old, known mtime: 2001-09-09 01:46:40 UTC */
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);

    const llm_preset *p = &builtin.presets[0];
    llm_error e;
    assert_int_equal(llm_preset_save(path, p, false, &e), LLM_ERR_EXISTS);
    assert_string_equal(e.path, path);
    assert_string_equal(e.message, "already exists; not replacing it without overwrite");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtim.tv_sec, 1000000000);
    assert_int_equal(st.st_size, 9);
    char buf[64] = "";
    f = fopen(path, "rb");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "precious\n");
    assert_int_equal(hidden_files(dir), 0);

    /* with overwrite: replaced by a loadable preset */
    assert_int_equal(llm_preset_save(path, p, true, &e), LLM_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtim.tv_sec != 1000000000);
    llm_preset back;
    load_back(path, p->id, &back);
    same_preset(p, &back);
    assert_int_equal(hidden_files(dir), 0);
}

static void test_save_errors(void **state)
{
    (void)state;
    llm_error e;
    const llm_preset *p = &builtin.presets[0];
    char path[600];
    /* a directory that does not exist: nothing is created */
    snprintf(path, sizeof path, "%s/missing/x.yaml", tmpdir);
    assert_int_equal(llm_preset_save(path, p, false, &e), LLM_ERR_IO);
    assert_true(strncmp(e.message, "cannot create a temporary file: ", 32) == 0);
    /* a directory as target */
    assert_int_equal(llm_preset_save(tmpdir, p, true, &e), LLM_ERR_IO);
    assert_string_equal(e.message, "is a directory");
    /* ids the loader would reject are refused before writing */
    llm_preset bad = *p;
    snprintf(bad.id, sizeof bad.id, "hf:meta/Llama");
    snprintf(path, sizeof path, "%s/bad.yaml", tmpdir);
    assert_int_equal(llm_preset_save(path, &bad, false, &e), LLM_ERR_INVALID);
    bad = *p;
    bad.published = false;
    bad.analogue[0] = '\0';
    assert_int_equal(llm_preset_save(path, &bad, false, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "an illustrative preset (published: false) needs an analogue");
    bad = *p;
    bad.model.heads = 0;
    assert_int_equal(llm_preset_save(path, &bad, false, &e), LLM_ERR_RANGE);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(hidden_files(tmpdir), 0);
}

/* The text itself: a known preset's first lines, as documented in the schema. */
static void test_yaml_text(void **state)
{
    (void)state;
    llm_preset p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "tiny");
    snprintf(p.name, sizeof p.name, "Tiny");
    snprintf(p.family, sizeof p.family, "test");
    snprintf(p.source, sizeof p.source, "hand-made");
    p.published = true;
    llm_model_schema_default(&p.model);
    p.model.layers = 2;
    p.model.hidden = 64;
    p.model.heads = 4;
    p.model.ffn = 256;
    p.model.vocab = 100;
    p.params_published = 123;
    char *text;
    size_t len;
    llm_error e;
    assert_int_equal(llm_preset_to_yaml(&p, &text, &len, &e), LLM_OK);
    assert_int_equal(strlen(text), len);
    const char *want = "family: test\n"
                       "presets:\n"
                       "  - id: tiny\n"
                       "    name: \"Tiny\"\n"
                       "    published: true\n"
                       "    source: \"hand-made\"\n"
                       "    params_published: 123\n"
                       "    model:\n"
                       "      arch: decoder\n"
                       "      layers: 2\n";
    const char *body = strchr(text, '\n') + 1; /* after the "# Saved by" line */
    assert_true(strncmp(text, "# Saved by llmem ", 17) == 0);
    assert_true(strncmp(body, want, strlen(want)) == 0);
    assert_null(strstr(text, "workload:"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_preset),
        cmocka_unit_test(test_round_trip_settings),
        cmocka_unit_test(test_no_overwrite),
        cmocka_unit_test(test_teacher_and_symlink),
        cmocka_unit_test(test_save_errors),
        cmocka_unit_test(test_yaml_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
