/* The strict preset loader against bad files: each fixture under
 * tests/fixtures/bad/ gives one exact message at the line and column of the
 * offending text (counted by hand in the fixture), loads nothing, and never
 * stops other files from loading.  Hostile inputs (alias bomb, 10,000-deep
 * nesting, a 50 MB file, binary garbage) fail fast with a limit error. */
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

#include "tmpdir_test.h"

#include "io/yaml_tree.h"
#include "llmem/presets.h"
#include "llmem/settings.h"

#define BAD LLMEM_FIXTURES "/bad/"


typedef struct bad_case {
    const char *file;
    llm_code code;
    int line, col;
    const char *message;
} bad_case;

/* Positions: 1-based line and column of the offending text in the file. */
static const bad_case bad_cases[] = {
    /* an unterminated quoted scalar runs to the end of the file (line 6, after the last newline) */
    {"syntax_error.yaml", LLM_ERR_PARSE, 6, 1,
     "syntax error: found unexpected end of stream (while scanning a quoted scalar at line 4, "
     "column 11)"},
    /* "   name:" is indented 3, between the sequence (2) and its mapping (4) */
    {"syntax_error_indent.yaml", LLM_ERR_PARSE, 4, 4,
     "syntax error: did not find expected '-' indicator (while parsing a block collection at "
     "line 3, column 3)"},
    {"syntax_error_flow.yaml", LLM_ERR_PARSE, 8, 1,
     "syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 7, "
     "column 12)"},
    {"unknown_key_top.yaml", LLM_ERR_SCHEMA, 1, 1,
     "unknown key 'famly' in the top-level mapping; did you mean 'family'?"},
    {"unknown_key_preset.yaml", LLM_ERR_SCHEMA, 7, 5,
     "unknown key 'params' in preset 'tiny'; allowed: id, name, published, analogue, source, "
     "notes, params_published, params_exact, model, workload"},
    {"unknown_key_model.yaml", LLM_ERR_SCHEMA, 13, 7,
     "unknown key 'nrom' in the model of 'tiny'; did you mean 'norm'?"},
    {"unknown_key_workload.yaml", LLM_ERR_SCHEMA, 15, 7,
     "unknown key 'sequence' in the workload of 'tiny'; did you mean 'seq'?"},
    {"wrong_type_string_for_int.yaml", LLM_ERR_SCHEMA, 8, 15,
     "layers: expected a non-negative integer, got the string \"2\""},
    {"wrong_type_seq_for_map.yaml", LLM_ERR_SCHEMA, 7, 12,
     "model: expected a mapping, got a sequence"},
    {"negative_size.yaml", LLM_ERR_RANGE, 9, 15, "hidden: must not be negative (got -64)"},
    {"out_of_range.yaml", LLM_ERR_RANGE, 13, 24, "norms_per_layer: 17 is out of range (0..16)"},
    {"out_of_range_workload.yaml", LLM_ERR_RANGE, 14, 12,
     "seq: 0 is out of range; accepted: 1..2^40 (e.g. 8k = 8192, 128k)"},
    {"huge_integer.yaml", LLM_ERR_RANGE, 9, 15,
     "hidden: 99999999999999999999 is too large (the limit is 2^63-1)"},
    {"leading_zero.yaml", LLM_ERR_SCHEMA, 8, 15,
     "layers: '032' has a leading zero (YAML 1.1 reads it as octal)"},
    {"duplicate_key.yaml", LLM_ERR_SCHEMA, 7, 5, "duplicate key 'name' (first at line 4, column 5)"},
    {"duplicate_id.yaml", LLM_ERR_SCHEMA, 13, 9,
     "duplicate preset id 'tiny' (first at line 3, column 9)"},
    {"gpus_duplicate.yaml", LLM_ERR_SCHEMA, 7, 9,
     "duplicate GPU id 'g1' (first at line 2, column 9)"},
    /* the preset mapping starts at "id" (line 3, column 5) */
    {"missing_key.yaml", LLM_ERR_SCHEMA, 3, 5, "preset 'tiny': missing required key 'source'"},
    {"illustrative_no_analogue.yaml", LLM_ERR_SCHEMA, 5, 16,
     "preset 'tiny': an illustrative preset (published: false) needs 'analogue': the public "
     "models its numbers are drawn from"},
    {"unknown_enum.yaml", LLM_ERR_SCHEMA, 13, 13,
     "norm: unknown value 'batchnorm'; accepted: layernorm, rmsnorm"},
    {"wrong_bool.yaml", LLM_ERR_SCHEMA, 5, 16, "published: expected true or false, got 'yes'"},
    /* 7 heads do not divide 64; reported at the model mapping (its first key) */
    {"bad_shape.yaml", LLM_ERR_INVALID, 8, 7,
     "the model of 'tiny': heads (7) must divide hidden (64) unless head_dim is given"},
    {"unknown_dtype.yaml", LLM_ERR_SCHEMA, 14, 16,
     "weights: unknown precision 'fp7'; known: fp32 tf32 fp16 bf16 fp8 int8 int4 nf4"},
    {"top_level_sequence.yaml", LLM_ERR_SCHEMA, 1, 1,
     "expected a mapping with 'family' and 'presets' (or 'gpus' or 'precisions') at the top "
     "level, got a sequence"},
    {"two_documents.yaml", LLM_ERR_PARSE, 3, 1, "more than one document in the file"},
    {"undefined_alias.yaml", LLM_ERR_SCHEMA, 7, 12,
     "alias '*shape' refers to no complete anchor before it"},
    {"precision_both_bits.yaml", LLM_ERR_SCHEMA, 4, 22,
     "precision 'q9': give either bits (with group and scale_bytes) or bits_per_weight, not both"},
    /* a=10 nodes, b=91, c=820, d=7381, e=66430: with the keys about 74,750 nodes before
     * line 7; f's first *e makes ~141,000, its second (column 11) ~207,600 > 200,000 */
    {"alias_bomb.yaml", LLM_ERR_LIMIT, 7, 11,
     "aliases expand to more than 200000 nodes (an alias bomb?)"},
    {"empty.yaml", LLM_ERR_SCHEMA, 1, 1,
     "empty file: expected a mapping with 'family' and 'presets' (or 'gpus' or 'precisions')"},
    /* Latin-1 "Caf\xe9": the byte 0xE9 is the 14th character of line 4 */
    {"not_utf8.yaml", LLM_ERR_PARSE, 4, 14, "not UTF-8 text: invalid byte 0xE9"},
    /* starts 7F 'E' 'L' 'F': DEL is not a YAML character */
    {"binary_garbage.bin", LLM_ERR_PARSE, 1, 1, "control character U+007F is not allowed"},
};

static void expect_error(const llm_error *e, llm_code rc, const bad_case *c, const char *path)
{
    if (rc != c->code || e->code != c->code || e->line != c->line || e->col != c->col ||
        strcmp(e->message, c->message) != 0 || strcmp(e->path, path) != 0)
        fail_msg("%s:\n  got  %s %d:%d \"%s\" (path %s)\n  want %s %d:%d \"%s\"", c->file,
                 llm_code_name(rc), e->line, e->col, e->message, e->path, llm_code_name(c->code),
                 c->line, c->col, c->message);
}

static void test_bad_fixtures(void **state)
{
    (void)state;
    assert_true(sizeof bad_cases / sizeof bad_cases[0] >= 15);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512];
        snprintf(path, sizeof path, "%s%s", BAD, c->file);
        llm_registry r;
        llm_registry_init(&r);
        llm_error e;
        llm_error_clear(&e);
        llm_code rc = llm_registry_load_file(&r, path, &e);
        expect_error(&e, rc, c, path);
        /* nothing from a bad file, and the problem is recorded */
        assert_int_equal(r.npresets, 0);
        assert_int_equal(r.ngpus, 0);
        assert_int_equal(r.nproblems, 1);
        expect_error(&r.problems[0], rc, c, path);
        llm_registry_free(&r);
    }
}

/* Every bad fixture is also rejected from memory (the same parser path). */
static void test_bad_fixtures_from_memory(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512];
        snprintf(path, sizeof path, "%s%s", BAD, c->file);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char buf[8192];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        llm_registry r;
        llm_registry_init(&r);
        llm_error e;
        llm_code rc = llm_registry_load_buffer(&r, c->file, buf, n, &e);
        expect_error(&e, rc, c, c->file);
        llm_registry_free(&r);
    }
}

/* The message, then the source line and a caret under column 15. */
static void test_error_format_with_caret(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    const char *path = BAD "negative_size.yaml";
    assert_int_equal(llm_registry_load_file(&r, path, &e), LLM_ERR_RANGE);
    char buf[1024], want[1024];
    size_t n = llm_error_format(&e, buf, sizeof buf);
    snprintf(want, sizeof want,
             "%s:9:15: hidden: must not be negative (got -64)\n"
             "          hidden: -64\n"
             "                  ^",
             path);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    /* truncation keeps a terminated string and reports the full length */
    char small[16];
    assert_int_equal(llm_error_format(&e, small, sizeof small), strlen(want));
    assert_int_equal(strlen(small), sizeof small - 1);
    llm_registry_free(&r);

    /* no file: just the message; a file-level error: "path: message" */
    llm_error plain;
    llm_error_set(&plain, LLM_ERR_INVALID, "bad");
    assert_int_equal(llm_error_format(&plain, buf, sizeof buf), 3);
    assert_string_equal(buf, "bad");
    llm_error_set_at(&plain, LLM_ERR_LIMIT, "/x/y.yaml", 0, 0, "too big");
    llm_error_format(&plain, buf, sizeof buf);
    assert_string_equal(buf, "/x/y.yaml: too big");
}

/* A control character in the source line is shown as '?'; the caret stays
 * under its character. */
static void test_error_format_binary(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    const char *path = BAD "not_utf8.yaml";
    llm_registry_load_file(&r, path, &e);
    char buf[1024], want[1024];
    llm_error_format(&e, buf, sizeof buf);
    snprintf(want, sizeof want,
             "%s:4:14: not UTF-8 text: invalid byte 0xE9\n"
             "        name: Caf? model\n"
             "                 ^",
             path);
    assert_string_equal(buf, want);
    llm_registry_free(&r);
}

/* Built-in presets are shown from the copy compiled in. */
static void test_error_format_builtin(void **state)
{
    (void)state;
    FILE *f = fopen(LLMEM_SOURCE_DIR "/presets/gpt.yaml", "rb");
    assert_non_null(f);
    char first[512];
    assert_non_null(fgets(first, sizeof first, f));
    fclose(f);
    first[strcspn(first, "\n")] = '\0';
    llm_error e;
    llm_error_set_at(&e, LLM_ERR_SCHEMA, "builtin:gpt.yaml", 1, 3, "test");
    char buf[2048], want[2048];
    llm_error_format(&e, buf, sizeof buf);
    snprintf(want, sizeof want, "builtin:gpt.yaml:1:3: test\n    %s\n      ^", first);
    assert_string_equal(buf, want);
    /* a line past the end of the file: no source line */
    llm_error_set_at(&e, LLM_ERR_SCHEMA, "builtin:gpt.yaml", 1000000, 1, "far");
    llm_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "builtin:gpt.yaml:1000000:1: far");
}

/* A long line is cut to a window of 160 characters around the column. */
static void test_error_format_long_line(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/long.yaml", tmpdir);
    char line[501];
    for (int i = 0; i < 500; i++) line[i] = (char)('a' + i % 26);
    line[500] = '\0';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "x: 1\n%s\n", line);
    fclose(f);
    llm_error e;
    llm_error_set_at(&e, LLM_ERR_SCHEMA, path, 2, 300, "here");
    char buf[2048], want[2048];
    llm_error_format(&e, buf, sizeof buf);
    /* characters 221..380 (1-based) shown; the caret under character 300 */
    int n = snprintf(want, sizeof want, "%s:2:300: here\n    ...%.160s...\n       ", path,
                     line + 220);
    memset(want + n, ' ', 79);
    snprintf(want + n + 79, sizeof want - (size_t)n - 79, "^");
    assert_string_equal(buf, want);
    unlink(path);
}

/* ---- generated hostile inputs ------------------------------------------- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* 10,000 nested flow sequences: stops at the 65th '[' (column 65). */
static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 10000;
    char *doc = malloc(2 * depth + 2);
    assert_non_null(doc);
    memset(doc, '[', depth);
    memset(doc + depth, ']', depth);
    doc[2 * depth] = '\n';
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    assert_int_equal(llm_registry_load_buffer(&r, "deep.yaml", doc, 2 * depth + 1, &e),
                     LLM_ERR_LIMIT);
    assert_string_equal(e.message, "nesting deeper than 64 levels");
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 65);

    /* the same with flow mappings {a: {a: ...}}: "{a: " is 4 characters per level */
    char *map = malloc(5 * depth + 4);
    assert_non_null(map);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(map + n, "{a: ");
    n += (size_t)sprintf(map + n, "1");
    memset(map + n, '}', depth);
    n += depth;
    assert_int_equal(llm_registry_load_buffer(&r, "deep-map.yaml", map, n, &e), LLM_ERR_LIMIT);
    assert_string_equal(e.message, "nesting deeper than 64 levels");
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 64 * 4 + 1);
    assert_int_equal(r.nproblems, 2);
    assert_int_equal(r.npresets, 0);
    llm_registry_free(&r);
    free(doc);
    free(map);
}

/* 50 MB of otherwise valid YAML: refused before parsing (limit 4 MiB). */
static void test_50mb_file(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/big.yaml", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t size = 50u * 1000u * 1000u, written = 0;
    static const char head[] = "family: big\npresets: []\n";
    fputs(head, f);
    written += sizeof head - 1;
    static char comment[1000];
    memset(comment, '#', sizeof comment - 1);
    comment[sizeof comment - 1] = '\n';
    while (written < size) written += fwrite(comment, 1, sizeof comment, f);
    assert_int_equal(fclose(f), 0);
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    assert_int_equal(llm_registry_load_file(&r, path, &e), LLM_ERR_LIMIT);
    char want[128];
    snprintf(want, sizeof want, "file is %zu bytes, above the limit of 4194304 bytes", written);
    assert_string_equal(e.message, want);
    assert_int_equal(e.line, 0);
    assert_string_equal(e.path, path);
    char buf[1024], want2[1024];
    llm_error_format(&e, buf, sizeof buf);
    snprintf(want2, sizeof want2, "%s: %s", path, want);
    assert_string_equal(buf, want2);
    llm_registry_free(&r);
    unlink(path);
}

/* A bad file never stops the others: the good presets of the directory load. */
static void test_bad_file_does_not_stop_loading(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/mixed", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    static const char good[] = "family: test\n"
                               "presets:\n"
                               "  - id: good-one\n"
                               "    name: Good\n"
                               "    published: true\n"
                               "    source: \"hand-made\"\n"
                               "    model: {layers: 2, hidden: 64, heads: 4, ffn: 256, vocab: 100}\n";
    snprintf(path, sizeof path, "%s/a-good.yaml", dir);
    write_file(path, good, sizeof good - 1);
    snprintf(path, sizeof path, "%s/b-bad.yaml", dir);
    write_file(path, "family: [\n", 10);
    snprintf(path, sizeof path, "%s/c-binary.yaml", dir);
    write_file(path, "\x01\x02\x03", 3);
    snprintf(path, sizeof path, "%s/ignored.txt", dir);
    write_file(path, "not a preset", 12);
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    llm_code rc = llm_registry_load_dir(&r, dir, &e);
    assert_int_equal(rc, LLM_ERR_PARSE); /* the first problem */
    assert_int_equal(r.npresets, 1);
    assert_string_equal(r.presets[0].id, "good-one");
    assert_int_equal(r.nproblems, 2);
    snprintf(path, sizeof path, "%s/b-bad.yaml", dir);
    assert_string_equal(r.problems[0].path, path);
    snprintf(path, sizeof path, "%s/c-binary.yaml", dir);
    assert_string_equal(r.problems[1].path, path);
    assert_string_equal(r.problems[1].message, "control character U+0001 is not allowed");

    /* a missing directory asked for explicitly is a problem too */
    snprintf(path, sizeof path, "%s/none", tmpdir);
    assert_int_equal(llm_registry_load_dir(&r, path, &e), LLM_ERR_IO);
    assert_int_equal(r.nproblems, 3);
    llm_registry_free(&r);
}

/* ---- good files ----------------------------------------------------------- */
/* Anchors, aliases, flow and JSON-style mappings, block scalars. */
static void test_good_fixture(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    const char *path = LLMEM_FIXTURES "/good/anchors.yaml";
    if (llm_registry_load_file(&r, path, &e)) fail_msg("%s", e.message);
    assert_int_equal(r.npresets, 2);
    const llm_preset *a = llm_registry_find(&r, "tiny-a"), *b = llm_registry_find(&r, "tiny-b");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->name, "Tiny A: \"quoted\" name");
    assert_string_equal(a->source, "hand-made; single-quoted");
    assert_string_equal(b->source, "A block scalar\nover two lines.\n");
    assert_string_equal(a->family, "user");
    /* the count worked by hand in the fixture's comment */
    llm_params p;
    assert_int_equal(llm_params_count(&a->model, &p, &e), LLM_OK);
    assert_int_equal(p.total, 111424);
    assert_int_equal(a->params_published, 111424);
    assert_true(a->params_exact);
    /* *tiny: the same shape */
    assert_int_equal(b->model.layers, 2);
    assert_int_equal(b->model.ffn, 256);
    assert_int_equal(a->workload.seq, 1024);
    assert_int_equal(b->workload.mode, LLM_MODE_INFER);
    assert_int_equal(b->workload.seq, 131072);
    assert_string_equal(b->workload.kv.name, "fp8");
    assert_string_equal(b->gpu, "h100-80gb");
    assert_string_equal(a->gpu, "");
    llm_registry_free(&r);
}

/* Presets may name GPUs and precisions defined in a later file of the same
 * directory (catalogues load first); the values come from that file. */
static void test_catalogue_before_presets(void **state)
{
    (void)state;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/catalogue", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    static const char presets[] =
        "family: mine\n"
        "presets:\n"
        "  - id: mine-1\n"
        "    name: Mine\n"
        "    published: false\n"
        "    analogue: \"none: a test\"\n"
        "    source: \"test\"\n"
        "    notes: \"multi\\nline\"\n"
        "    model:\n"
        "      layers: 4\n"
        "      hidden: 128\n"
        "      heads: 8\n"
        "      kv_heads: 2\n"
        "      ffn: 512\n"
        "      ffn_kind: gated\n"
        "      vocab: 1000\n"
        "      norm: rmsnorm\n"
        "      pos: rotary\n"
        "    workload:\n"
        "      mode: qlora\n"
        "      seq: 8k\n"
        "      weights: int3-g64\n"
        "      gpu: my-gpu\n"
        "      overhead: 512MiB\n"
        "      flash: off\n";
    static const char catalogue[] = "gpus:\n"
                                    "  - id: my-gpu\n"
                                    "    name: My GPU\n"
                                    "    memory_gb: 24\n"
                                    "    memory_bytes: 25769803776\n"
                                    "    bandwidth_gbps: 1008\n"
                                    "    bf16_tflops: 165.2\n"
                                    "    fp8_tflops: null\n"
                                    "    source: \"test\"\n"
                                    "precisions:\n"
                                    "  - name: int3-g64\n"
                                    "    bits: 3\n"
                                    "    group: 64\n"
                                    "    scale_bytes: 2\n";
    snprintf(path, sizeof path, "%s/a-presets.yaml", dir);
    write_file(path, presets, sizeof presets - 1);
    snprintf(path, sizeof path, "%s/z-catalogue.yaml", dir);
    write_file(path, catalogue, sizeof catalogue - 1);
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    if (llm_registry_load_dir(&r, dir, &e) != LLM_OK) fail_msg("%s", e.message);
    assert_int_equal(r.nproblems, 0);
    const llm_preset *p = llm_registry_find(&r, "mine-1");
    assert_non_null(p);
    snprintf(path, sizeof path, "%s/a-presets.yaml", dir);
    assert_string_equal(p->origin, path);
    assert_string_equal(p->family, "mine");
    assert_string_equal(p->notes, "multi\nline");
    assert_false(p->published);
    assert_int_equal(p->model.kv_heads, 2);
    assert_int_equal(p->model.ffn_kind, LLM_FFN_GATED);
    assert_int_equal(p->model.norm, LLM_NORM_RMSNORM);
    assert_int_equal(p->model.pos, LLM_POS_ROTARY);
    assert_int_equal(p->model.norms_per_layer, 2); /* schema default */
    assert_true(p->model.final_norm);              /* schema default */
    assert_true(p->has_workload);
    assert_int_equal(p->workload.mode, LLM_MODE_QLORA);
    assert_int_equal(p->workload.seq, 8192);
    assert_false(p->workload.flash);
    assert_true(p->workload.overhead_bytes == 536870912.0);
    /* 3 bits + 2 bytes per 64 weights = 0.375 + 0.03125 */
    assert_string_equal(p->workload.weights.name, "int3-g64");
    assert_true(p->workload.weights.bytes == 0.40625);
    assert_string_equal(p->gpu, "my-gpu");
    const llm_gpu *g = llm_registry_find_gpu(&r, "my-gpu");
    assert_non_null(g);
    assert_true(g->memory_bytes == 25769803776.0);
    assert_true(g->bandwidth == 1008e9);
    assert_true(g->flops_16 == 165.2e12);
    assert_true(g->flops_8 == 0.0);
    llm_registry_free(&r);
}

/* A later source with the same id replaces the entry in place and says so
 * in its origin; the search path reads $XDG_CONFIG_HOME/llmem/presets and
 * then --presets DIR. */
static void test_override_and_search_path(void **state)
{
    (void)state;
    char xdg[512], dir[600], extra[600], path[700];
    snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
    snprintf(dir, sizeof dir, "%s/llmem", xdg);
    assert_int_equal(mkdir(xdg, 0755), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(dir, sizeof dir, "%s/llmem/presets", xdg);
    assert_int_equal(mkdir(dir, 0755), 0);
    static const char mine[] = "family: mine\n"
                               "presets:\n"
                               "  - id: %s\n"
                               "    name: %s\n"
                               "    published: true\n"
                               "    source: \"test\"\n"
                               "    model: {layers: %d, hidden: 64, heads: 4, ffn: 256, vocab: 100}\n";
    char text[512];
    int n = snprintf(text, sizeof text, mine, "gpt2", "My GPT-2", 3);
    snprintf(path, sizeof path, "%s/gpt2.yaml", dir);
    write_file(path, text, (size_t)n);
    n = snprintf(text, sizeof text, mine, "only-mine", "Only mine", 5);
    snprintf(path, sizeof path, "%s/only.yaml", dir);
    write_file(path, text, (size_t)n);

    snprintf(extra, sizeof extra, "%s/extra", tmpdir);
    assert_int_equal(mkdir(extra, 0755), 0);
    n = snprintf(text, sizeof text, mine, "only-mine", "Only mine (extra)", 7);
    snprintf(path, sizeof path, "%s/x.yml", extra);
    write_file(path, text, (size_t)n);

    llm_registry builtin;
    llm_registry_init(&builtin);
    llm_error e;
    assert_int_equal(llm_registry_load_builtin(&builtin, &e), LLM_OK);
    const llm_preset *gpt2 = llm_registry_find(&builtin, "gpt2");
    assert_non_null(gpt2);
    assert_string_equal(gpt2->origin, "builtin:gpt.yaml");

    const char *old = getenv("XDG_CONFIG_HOME");
    char *saved = old ? strdup(old) : NULL;
    setenv("XDG_CONFIG_HOME", xdg, 1);
    llm_registry r;
    llm_registry_init(&r);
    assert_int_equal(llm_registry_load_default(&r, extra, &e), LLM_OK);
    if (saved) {
        setenv("XDG_CONFIG_HOME", saved, 1);
        free(saved);
    } else {
        unsetenv("XDG_CONFIG_HOME");
    }
    /* one more than the built-ins (only-mine); gpt2 replaced in place */
    assert_int_equal(r.npresets, builtin.npresets + 1);
    const llm_preset *p = llm_registry_find(&r, "gpt2");
    assert_int_equal(p - r.presets, gpt2 - builtin.presets);
    assert_string_equal(p->name, "My GPT-2");
    assert_int_equal(p->model.layers, 3);
    snprintf(path, sizeof path, "%s/gpt2.yaml", dir);
    assert_string_equal(p->origin, path);
    p = llm_registry_find(&r, "only-mine");
    assert_int_equal(p->model.layers, 7); /* --presets DIR comes last */
    snprintf(path, sizeof path, "%s/x.yml", extra);
    assert_string_equal(p->origin, path);
    llm_registry_free(&r);
    llm_registry_free(&builtin);
}

/* ---- the tree itself ------------------------------------------------------ */
/* JSON through the same parser: Meta-Llama-3-8B's config.json (values from
 * the file: hidden_size 4096, rms_norm_eps 1e-05, tie_word_embeddings false). */
static void test_tree_reads_json(void **state)
{
    (void)state;
    llm_ytree *t;
    llm_error e;
    const char *path = LLMEM_FIXTURES "/reference/hf-configs/llama-3-8b/config.json";
    if (llm_ytree_load_file(path, NULL, &t, &e)) fail_msg("%s", e.message);
    const llm_ynode *root = llm_ytree_root(t);
    assert_int_equal(root->kind, LLM_YNODE_MAPPING);
    uint64_t h;
    assert_int_equal(llm_ynode_u64(t, llm_ynode_get(root, "hidden_size"), "hidden_size", &h, &e),
                     LLM_OK);
    assert_int_equal(h, 4096);
    double eps;
    assert_int_equal(llm_ynode_double(t, llm_ynode_get(root, "rms_norm_eps"), "eps", &eps, &e),
                     LLM_OK);
    assert_true(eps == 1e-05);
    bool tied = true;
    assert_int_equal(llm_ynode_bool(t, llm_ynode_get(root, "tie_word_embeddings"), "tie", &tied,
                                    &e),
                     LLM_OK);
    assert_false(tied);
    char type[32];
    assert_int_equal(llm_ynode_string(t, llm_ynode_get(root, "model_type"), "model_type", type,
                                      sizeof type, &e),
                     LLM_OK);
    assert_string_equal(type, "llama");
    /* a quoted key is a key like any other; a string is not an integer */
    assert_int_equal(llm_ynode_u64(t, llm_ynode_get(root, "model_type"), "model_type", &h, &e),
                     LLM_ERR_SCHEMA);
    assert_string_equal(e.message, "model_type: expected a non-negative integer, got the string "
                                   "\"llama\"");
    assert_string_equal(e.path, path);
    assert_null(llm_ynode_get(root, "no_such_key"));
    llm_ytree_free(t);

    /* duplicate keys in JSON are found too; null is not a string */
    static const char json[] = "{\"a\": 1, \"b\": null,\n \"a\": 2}";
    assert_int_equal(llm_ytree_parse("x.json", json, sizeof json - 1, NULL, &t, &e),
                     LLM_ERR_SCHEMA);
    assert_string_equal(e.message, "duplicate key 'a' (first at line 1, column 2)");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 2);
    static const char json2[] = "{\"b\": null, \"n\": -1.5e3, \"big\": 1e400}";
    assert_int_equal(llm_ytree_parse("y.json", json2, sizeof json2 - 1, NULL, &t, &e), LLM_OK);
    root = llm_ytree_root(t);
    assert_true(llm_ynode_is_null(llm_ynode_get(root, "b")));
    assert_int_equal(llm_ynode_string(t, llm_ynode_get(root, "b"), "b", type, sizeof type, &e),
                     LLM_ERR_SCHEMA);
    assert_string_equal(e.message, "b: expected a string, got a null");
    assert_int_equal(llm_ynode_double(t, llm_ynode_get(root, "n"), "n", &eps, &e), LLM_OK);
    assert_true(eps == -1500.0);
    llm_ytree_free(t);
}

/* Limits are parameters: a tight node limit and alias limit fire. */
static void test_tree_limits(void **state)
{
    (void)state;
    llm_ylimits lim = llm_ylimits_default();
    assert_int_equal(lim.max_bytes, 4u << 20);
    assert_int_equal(lim.max_depth, 64);
    lim.max_nodes = 5;
    llm_ytree *t;
    llm_error e;
    static const char seq[] = "[1, 2, 3, 4, 5, 6]";
    assert_int_equal(llm_ytree_parse("s", seq, sizeof seq - 1, &lim, &t, &e), LLM_ERR_LIMIT);
    assert_string_equal(e.message, "more than 5 nodes");
    assert_int_equal(e.col, 14); /* the 6th node: the sequence and 1..4 come first */
    lim = llm_ylimits_default();
    lim.max_aliases = 2;
    static const char al[] = "a: &x 1\nb: [*x, *x, *x]\n";
    assert_int_equal(llm_ytree_parse("a", al, sizeof al - 1, &lim, &t, &e), LLM_ERR_LIMIT);
    assert_string_equal(e.message, "more than 2 aliases");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 13);
    lim.max_bytes = 10;
    assert_int_equal(llm_ytree_parse("a", al, sizeof al - 1, &lim, &t, &e), LLM_ERR_LIMIT);
    assert_string_equal(e.message, "file is 24 bytes, above the limit of 10 bytes");
    /* an anchor used inside itself is not complete yet: no cycles */
    static const char self[] = "a: &x [1, *x]\n";
    assert_int_equal(llm_ytree_parse("c", self, sizeof self - 1, NULL, &t, &e), LLM_ERR_SCHEMA);
    /* a key that is a mapping */
    static const char cplx[] = "? {a: 1}\n: 2\n";
    assert_int_equal(llm_ytree_parse("k", cplx, sizeof cplx - 1, NULL, &t, &e), LLM_ERR_SCHEMA);
    assert_string_equal(e.message, "a mapping key must be a scalar, not a mapping");
    /* an alias shares its node */
    static const char ok[] = "base: &b {layers: 2}\ncopy: *b\n";
    assert_int_equal(llm_ytree_parse("ok", ok, sizeof ok - 1, NULL, &t, &e), LLM_OK);
    assert_ptr_equal(llm_ynode_get(llm_ytree_root(t), "base"),
                     llm_ynode_get(llm_ytree_root(t), "copy"));
    llm_ytree_free(t);
    /* an empty stream has no root */
    assert_int_equal(llm_ytree_parse("e", "# only a comment\n", 17, NULL, &t, &e), LLM_OK);
    assert_null(llm_ytree_root(t));
    llm_ytree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_bad_fixtures_from_memory),
        cmocka_unit_test(test_error_format_with_caret),
        cmocka_unit_test(test_error_format_binary),
        cmocka_unit_test(test_error_format_builtin),
        cmocka_unit_test(test_error_format_long_line),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_50mb_file),
        cmocka_unit_test(test_bad_file_does_not_stop_loading),
        cmocka_unit_test(test_good_fixture),
        cmocka_unit_test(test_catalogue_before_presets),
        cmocka_unit_test(test_override_and_search_path),
        cmocka_unit_test(test_tree_reads_json),
        cmocka_unit_test(test_tree_limits),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
