/* Workload defaults, enum names and validation (the messages name the field
 * and the rule). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/workload.h"
#include "engine_test.h"

/* The documented defaults (workload.h). */
static void test_defaults(void **state)
{
    (void)state;
    llm_workload w;
    llm_workload_default(&w);
    assert_int_equal(w.mode, LLM_MODE_PRETRAIN);
    assert_int_equal(w.seq, 2048);
    assert_int_equal(w.micro_batch, 1);
    assert_string_equal(w.weights.name, "bf16");
    assert_true(w.weights.bytes == 2.0);
    assert_true(w.master.bytes == 4.0);
    assert_true(w.optim.bytes == 4.0);
    assert_true(w.kv.bytes == 2.0);
    assert_int_equal(w.optimizer, LLM_OPT_ADAMW);
    assert_int_equal(w.recompute, LLM_RECOMPUTE_NONE);
    assert_true(w.flash);
    assert_false(w.dropout);
    assert_int_equal(w.profile, LLM_PROFILE_MEGATRON);
    assert_int_equal(w.tp * w.pp * w.dp, 1);
    assert_int_equal(w.zero, 0);
    assert_true(w.overhead_bytes == 1073741824.0);
    assert_true(w.mfu == 0.4);
    assert_true(w.quant_keep_16bit);
    assert_int_equal(llm_workload_validate(ref("llama-3-8b"), &w, NULL), LLM_OK);
}

static void test_names_round_trip(void **state)
{
    (void)state;
    const char *modes[] = {"train", "finetune", "lora", "qlora", "distill", "infer"};
    for (int i = 0; i < 6; i++) {
        llm_mode v;
        assert_true(llm_mode_parse(modes[i], &v));
        assert_int_equal(v, i);
        assert_string_equal(llm_mode_name(v), modes[i]);
    }
    const char *opts[] = {"adamw", "adamw8bit", "sgd", "sgdm", "adafactor", "lion", "none"};
    for (int i = 0; i < 7; i++) {
        llm_optimizer v;
        assert_true(llm_optimizer_parse(opts[i], &v));
        assert_int_equal(v, i);
        assert_string_equal(llm_optimizer_name(v), opts[i]);
    }
    const char *rec[] = {"none", "selective", "full"};
    for (int i = 0; i < 3; i++) {
        llm_recompute v;
        assert_true(llm_recompute_parse(rec[i], &v));
        assert_int_equal(v, i);
        assert_string_equal(llm_recompute_name(v), rec[i]);
    }
    llm_profile p;
    assert_true(llm_profile_parse("eager", &p));
    assert_int_equal(p, LLM_PROFILE_EAGER);
    assert_string_equal(llm_profile_name(LLM_PROFILE_MEGATRON), "megatron");
    const char *sp[] = {"dense", "2:4", "csr"};
    for (int i = 0; i < 3; i++) {
        llm_sparse_storage v;
        assert_true(llm_sparse_storage_parse(sp[i], &v));
        assert_int_equal(v, i);
        assert_string_equal(llm_sparse_storage_name(v), sp[i]);
    }
    llm_mode m;
    assert_false(llm_mode_parse("training", &m));
    assert_false(llm_mode_parse(NULL, &m));
    assert_false(llm_optimizer_parse("adam", (llm_optimizer *)&m));
}

/* One invalid setting: the code and a message naming the field. */
static void expect_error(const llm_model *m, const llm_workload *w, llm_code code,
                         const char *needle)
{
    llm_error err;
    memset(&err, 0, sizeof err);
    llm_code rc = llm_workload_validate(m, w, &err);
    if (rc != code) fail_msg("expected %d, got %d (%s)", (int)code, (int)rc, err.message);
    if (!strstr(err.message, needle)) fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_validation_errors(void **state)
{
    (void)state;
    const llm_model *l3 = ref("llama-3-8b"); /* 32 heads, 8 kv heads, 32 layers */
    llm_workload w;

    llm_workload_default(&w);
    w.tp = 3; /* 3 does not divide 32 heads */
    expect_error(l3, &w, LLM_ERR_INVALID, "tp (3) must divide heads (32)");

    llm_workload_default(&w);
    w.tp = 16; /* divides 32 heads; 16 and 8 kv heads divide one another: replicated */
    assert_int_equal(llm_workload_validate(l3, &w, NULL), LLM_OK);

    llm_workload_default(&w);
    w.pp = 5;
    expect_error(l3, &w, LLM_ERR_INVALID, "pp (5) must divide layers (32)");

    llm_workload_default(&w);
    w.pp = 4;
    w.vpp = 3; /* 4 x 3 = 12 does not divide 32 */
    expect_error(l3, &w, LLM_ERR_INVALID, "pp x vpp");

    llm_workload_default(&w);
    w.vpp = 2; /* without pipeline parallelism */
    expect_error(l3, &w, LLM_ERR_INVALID, "vpp (2) needs pipeline parallelism");

    llm_workload_default(&w);
    w.zero = 4;
    expect_error(l3, &w, LLM_ERR_RANGE, "zero must be 0, 1, 2 or 3");

    llm_workload_default(&w);
    w.mfu = 0.0;
    expect_error(l3, &w, LLM_ERR_RANGE, "mfu must be in (0, 1]");
    w.mfu = 1.5;
    expect_error(l3, &w, LLM_ERR_RANGE, "mfu must be in (0, 1]");
    w.mfu = 1.0;
    assert_int_equal(llm_workload_validate(l3, &w, NULL), LLM_OK);

    llm_workload_default(&w);
    w.sparsity = 1.0;
    expect_error(l3, &w, LLM_ERR_RANGE, "sparsity must be in [0, 1)");
    w.sparsity = -0.1;
    expect_error(l3, &w, LLM_ERR_RANGE, "sparsity must be in [0, 1)");
    w.sparsity = 0.6;
    w.sparse_storage = LLM_SPARSE_2_4;
    expect_error(l3, &w, LLM_ERR_INVALID, "2:4 storage keeps 2 of every 4");

    llm_workload_default(&w);
    w.seq = 0;
    expect_error(l3, &w, LLM_ERR_RANGE, "seq must be at least 1");

    llm_workload_default(&w);
    w.micro_batch = 0;
    expect_error(l3, &w, LLM_ERR_RANGE, "batch must be at least 1");

    llm_workload_default(&w);
    w.dp = 0;
    expect_error(l3, &w, LLM_ERR_RANGE, "dp must be at least 1");

    llm_workload_default(&w);
    w.ep = 2; /* dense model */
    expect_error(l3, &w, LLM_ERR_INVALID, "needs a mixture-of-experts model");

    const llm_model *mx = ref("mixtral-8x7b"); /* 8 experts */
    llm_workload_default(&w);
    w.ep = 3;
    w.dp = 3;
    expect_error(mx, &w, LLM_ERR_INVALID, "ep (3) must divide experts (8)");
    w.ep = 4;
    w.dp = 2;
    expect_error(mx, &w, LLM_ERR_INVALID, "ep (4) must divide tp x dp (1 x 2)");
    w.dp = 8;
    assert_int_equal(llm_workload_validate(mx, &w, NULL), LLM_OK);
    w.dp = 1; /* experts spread over the 8 tensor-parallel ranks */
    w.tp = 8;
    w.ep = 8;
    assert_int_equal(llm_workload_validate(mx, &w, NULL), LLM_OK);

    llm_workload_default(&w);
    w.fragmentation = 1.0;
    expect_error(l3, &w, LLM_ERR_RANGE, "fragmentation must be in [0, 1)");

    llm_workload_default(&w);
    w.mode = LLM_MODE_LORA;
    w.lora_rank = 0;
    expect_error(l3, &w, LLM_ERR_RANGE, "lora_rank must be at least 1");
    w.lora_rank = 8;
    w.lora_targets = 0;
    expect_error(l3, &w, LLM_ERR_RANGE, "at least one target");

    llm_workload_default(&w);
    w.mode = LLM_MODE_DISTILL;
    expect_error(l3, &w, LLM_ERR_INVALID, "distillation needs a teacher");
    w.has_teacher = true;
    w.teacher = *ref("llama-2-70b");
    assert_int_equal(llm_workload_validate(ref("llama-2-7b"), &w, NULL), LLM_OK);

    llm_workload_default(&w);
    w.dp = 4;
    w.global_batch = 2; /* below batch x dp = 4 */
    expect_error(l3, &w, LLM_ERR_INVALID, "global_batch (2) must be at least batch x dp");

    llm_workload_default(&w);
    w.weights.bytes = 0.0;
    expect_error(l3, &w, LLM_ERR_RANGE, "weights precision");

    /* One GPU count for memory and time (issue 3: GPU count = TP x PP x DP):
     * gpus is 0 (derived) or tp x pp x dp; the GPT-3 preset's 64 after
     * dp = 16 would be 8 x 8 x 16 = 1024 GPUs. */
    const llm_model *g3 = ref("gpt3-175b"); /* 96 heads, 96 layers */
    llm_workload_default(&w);
    w.tp = 8;
    w.pp = 8;
    w.dp = 16;
    w.gpus = 64;
    expect_error(g3, &w, LLM_ERR_INVALID,
                 "gpus (64) must equal tp x pp x dp (8 x 8 x 16 = 1024), or be 0");
    w.gpus = 1024;
    assert_int_equal(llm_workload_validate(g3, &w, NULL), LLM_OK);
    w.gpus = 0;
    assert_int_equal(llm_workload_validate(g3, &w, NULL), LLM_OK);
    w.gpus = 2048; /* more GPUs than the layout uses */
    expect_error(g3, &w, LLM_ERR_INVALID, "gpus (2048) must equal tp x pp x dp");

    /* An invalid model is reported as such. */
    llm_model bad = *l3;
    bad.hidden = 0;
    llm_workload_default(&w);
    expect_error(&bad, &w, LLM_ERR_RANGE, "hidden must be at least 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_validation_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
