/* Knobs: stepping, clamping, snapping, typed entry.  Expected values follow
 * the rules in src/tui/knobs.h (powers of two, divisors, multiples). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/knobs.h"

/* Llama-3-8B's shape (Meta's config.json) with the default workload. */
static llm_config llama(void)
{
    llm_config c;
    llm_config_default(&c);
    c.model.layers = 32;
    c.model.hidden = 4096;
    c.model.heads = 32;
    c.model.kv_heads = 8;
    c.model.ffn = 14336;
    c.model.ffn_kind = LLM_FFN_GATED;
    c.model.vocab = 128256;
    c.model.norm = LLM_NORM_RMSNORM;
    c.model.norms_per_layer = 2;
    c.model.final_norm = true;
    c.model.pos = LLM_POS_ROTARY;
    c.workload.seq = 8192;
    return c;
}

static void test_linear_steps_and_clamps(void **state)
{
    (void)state;
    llm_config c = llama();
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, +1, false));
    assert_int_equal(c.model.layers, 33);
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, +1, true)); /* big = 8: next multiple of 8 */
    assert_int_equal(c.model.layers, 40);
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, -1, true));
    assert_int_equal(c.model.layers, 32);
    assert_true(llmem_knob_extreme(&c, NULL, LLMEM_K_LAYERS, -1));
    assert_int_equal(c.model.layers, 1);
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, -1, false)); /* clamped at the minimum */
    assert_int_equal(c.model.layers, 1);
    assert_true(llmem_knob_extreme(&c, NULL, LLMEM_K_LAYERS, +1));
    assert_int_equal(c.model.layers, 1024);
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, +1, false));
    /* FFN moves in multiples of 256: 14336 = 56 x 256 -> 14592, back */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_FFN, +1, false);
    assert_int_equal(c.model.ffn, 14592);
    llmem_knob_step(&c, NULL, LLMEM_K_FFN, -1, false);
    assert_int_equal(c.model.ffn, 14336);
    /* a value off the grid goes to the next multiple, not value + step:
     * vocab 50257 (GPT-2) -> 50176 = 49 x 1024 down, 51200 = 50 x 1024 up */
    c.model.vocab = 50257;
    llmem_knob_step(&c, NULL, LLMEM_K_VOCAB, -1, false);
    assert_int_equal(c.model.vocab, 50176);
    c.model.vocab = 50257;
    llmem_knob_step(&c, NULL, LLMEM_K_VOCAB, +1, false);
    assert_int_equal(c.model.vocab, 51200);
    /* ZeRO 0..3 */
    c = llama();
    for (int i = 0; i < 5; i++) llmem_knob_step(&c, NULL, LLMEM_K_ZERO, +1, false);
    assert_int_equal(c.workload.zero, 3);
}

static void test_powers_of_two(void **state)
{
    (void)state;
    llm_config c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, +1, false);
    assert_int_equal(c.workload.seq, 16384);
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, -1, false);
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, -1, false);
    assert_int_equal(c.workload.seq, 4096);
    /* off-grid 3000: up to 4096, down to 2048 */
    c.workload.seq = 3000;
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, +1, false);
    assert_int_equal(c.workload.seq, 4096);
    c.workload.seq = 3000;
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, -1, false);
    assert_int_equal(c.workload.seq, 2048);
    /* big step = three doublings: 4096 -> 32768 */
    c.workload.seq = 4096;
    llmem_knob_step(&c, NULL, LLMEM_K_SEQ, +1, true);
    assert_int_equal(c.workload.seq, 32768);
    /* batch from 1 up: 2, 4; clamped at 1 below */
    c.workload.micro_batch = 1;
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_BATCH, -1, false));
    llmem_knob_step(&c, NULL, LLMEM_K_BATCH, +1, false);
    llmem_knob_step(&c, NULL, LLMEM_K_BATCH, +1, false);
    assert_int_equal(c.workload.micro_batch, 4);
    /* a slider position maps to the nearest power on the log scale:
     * the ends are the minimum 16 and maximum 2^22 */
    llmem_knob_set_pos(&c, NULL, LLMEM_K_SEQ, 0.0);
    assert_int_equal(c.workload.seq, 16);
    llmem_knob_set_pos(&c, NULL, LLMEM_K_SEQ, 1.0);
    assert_int_equal(c.workload.seq, 1u << 22);
    /* 16 = 2^4 .. 2^22: the middle of the log scale is 2^13 */
    llmem_knob_set_pos(&c, NULL, LLMEM_K_SEQ, 0.5);
    assert_int_equal(c.workload.seq, 8192);
}

static void test_divisors_and_snapping(void **state)
{
    (void)state;
    uint64_t d[16];
    size_t n = llmem_divisors(12, 100, d, 16);
    uint64_t want[] = {1, 2, 3, 4, 6, 12};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) assert_int_equal(d[i], want[i]);

    llm_config c = llama();
    /* hidden moves in multiples of heads x 8 = 256, keeping hidden / heads whole */
    llmem_knob_step(&c, NULL, LLMEM_K_HIDDEN, +1, false);
    assert_int_equal(c.model.hidden, 4352);
    assert_int_equal(c.model.hidden % c.model.heads, 0);
    /* heads step over divisors of hidden 4096: 32 -> 64 -> 128; 32 -> 16 */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, +1, false);
    assert_int_equal(c.model.heads, 64);
    assert_int_equal(c.model.kv_heads, 8); /* 8 still divides 64 */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, -1, false);
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, -1, false);
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, -1, false);
    assert_int_equal(c.model.heads, 4);
    assert_int_equal(c.model.kv_heads, 4); /* largest divisor of 4 not above 8 */
    /* hidden 768 (GPT-2) has divisors 1 2 3 4 6 8 12 16 24 32 48 64 ...: 12 -> 16, 12 -> 8 */
    c = llama();
    c.model.hidden = 768;
    c.model.heads = 12;
    c.model.kv_heads = 0; /* MHA */
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, +1, false);
    assert_int_equal(c.model.heads, 16);
    assert_int_equal(c.model.kv_heads, 0); /* MHA (0 = heads) stays MHA */
    /* kv heads step over divisors of heads 32: 8 -> 16 -> 32, 8 -> 4 */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_KV_HEADS, +1, false);
    assert_int_equal(c.model.kv_heads, 16);
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_KV_HEADS, -1, false);
    assert_int_equal(c.model.kv_heads, 4);
    /* snap after a typed heads value: 12 heads with 8 KV heads -> 6 */
    c = llama();
    c.model.heads = 12;
    llmem_knob_snap(&c, LLMEM_K_HEADS, 32);
    assert_int_equal(c.model.kv_heads, 6);
    /* an explicit kv_heads equal to the old heads follows the heads (MHA) */
    c = llama();
    c.model.kv_heads = 32;
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, +1, false);
    assert_int_equal(c.model.kv_heads, 64);
    /* tp over divisors of heads 32: 1 2 4 8 16 32, then clamped */
    c = llama();
    for (int i = 0; i < 8; i++) llmem_knob_step(&c, NULL, LLMEM_K_TP, +1, false);
    assert_int_equal(c.workload.tp, 32);
    /* heads 32 -> 16 with tp 32: the parallel layout never follows a shape
     * change (knobs.h): tp stays 32 and the engine calls it impossible */
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, -1, false);
    assert_int_equal(c.model.heads, 16);
    assert_int_equal(c.workload.tp, 32);
    /* pp over divisors of layers 32: 1 2 4; layers 32 -> 33 keeps pp 4
     * (33 = 3 x 11 has no 4: impossible until the layers come back) */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_PP, +1, false);
    llmem_knob_step(&c, NULL, LLMEM_K_PP, +1, false);
    assert_int_equal(c.workload.pp, 4);
    llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, +1, false);
    assert_int_equal(c.model.layers, 33);
    assert_int_equal(c.workload.pp, 4);
    llmem_knob_step(&c, NULL, LLMEM_K_LAYERS, -1, false);
    assert_int_equal(c.model.layers, 32);
    assert_int_equal(c.workload.pp, 4);
    /* experts: 0 -> 1 gives one active expert; active never above experts */
    c = llama();
    llmem_knob_step(&c, NULL, LLMEM_K_EXPERTS, +1, false);
    assert_int_equal(c.model.experts, 1);
    assert_int_equal(c.model.active_experts, 1);
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_ACTIVE, +1, false));
    llmem_knob_step(&c, NULL, LLMEM_K_EXPERTS, -1, false);
    assert_int_equal(c.model.active_experts, 0);
}

static void test_head_dim_written_out(void **state)
{
    (void)state;
    /* A preset that writes head_dim = 128 = 4096 / 32 behaves as the default. */
    llm_config c = llama();
    c.model.head_dim = 128;
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, +1, false);
    assert_int_equal(c.model.heads, 64);
    assert_int_equal(c.model.head_dim, 0);
    /* A head_dim that differs (Gemma-style) is kept, and heads step by one. */
    c = llama();
    c.model.head_dim = 256;
    llmem_knob_step(&c, NULL, LLMEM_K_HEADS, +1, false);
    assert_int_equal(c.model.heads, 33);
    assert_int_equal(c.model.head_dim, 256);
}

static void test_lists(void **state)
{
    (void)state;
    size_t n;
    const llm_dtype *b = llm_dtype_builtin(&n);
    llm_config c = llama();
    /* weights: the next entry of the built-in precision list after bf16 */
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(b[i].name, "bf16") == 0) break;
    assert_true(i + 1 < n);
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_WEIGHTS, +1, false));
    assert_string_equal(c.workload.weights.name, b[i + 1].name);
    assert_true(llmem_knob_extreme(&c, NULL, LLMEM_K_WEIGHTS, -1));
    assert_string_equal(c.workload.weights.name, b[0].name);
    /* mode list: train -> finetune */
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_MODE, +1, false));
    assert_int_equal(c.workload.mode, LLM_MODE_FINETUNE);
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_MODE, -1, true)); /* clamped at the first */
    assert_int_equal(c.workload.mode, LLM_MODE_PRETRAIN);
    /* flash: off is the left end, on the right: on -> (left) off -> (right) on */
    assert_true(c.workload.flash);
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_FLASH, +1, false));
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_FLASH, -1, false));
    assert_false(c.workload.flash);
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_FLASH, +1, false));
    assert_true(c.workload.flash);
    /* no registry: no GPU list, nothing to step */
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_GPU, +1, false));
}

static void test_no_float_drift(void **state)
{
    (void)state;
    /* MFU in whole percent: 40% up 37 steps (clamped at 100) and back down
     * lands exactly on 5% and then 40% again, never 0.39999. */
    llm_config c = llama();
    c.workload.mfu = 0.4;
    for (int i = 0; i < 37; i++) llmem_knob_step(&c, NULL, LLMEM_K_MFU, +1, false);
    assert_true(c.workload.mfu == 1.0);
    for (int i = 0; i < 40; i++) llmem_knob_step(&c, NULL, LLMEM_K_MFU, -1, false);
    assert_true(c.workload.mfu == 0.05);
    for (int i = 0; i < 7; i++) llmem_knob_step(&c, NULL, LLMEM_K_MFU, +1, false);
    assert_true(c.workload.mfu == 0.4);
}

static void test_typed_entry(void **state)
{
    (void)state;
    llm_config c = llama();
    llm_error err;
    /* suffixes from include/llmem/settings.h: k = 2^10, M = 2^20, exponent form */
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_SEQ, "8k", &err), LLM_OK);
    assert_int_equal(c.workload.seq, 8192);
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_SEQ, "128k", &err), LLM_OK);
    assert_int_equal(c.workload.seq, 131072);
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_SEQ, "1M", &err), LLM_OK);
    assert_int_equal(c.workload.seq, 1048576);
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_SEQ, "1e6", &err), LLM_OK);
    assert_int_equal(c.workload.seq, 1000000);
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_WEIGHTS, "int4", &err), LLM_OK);
    assert_string_equal(c.workload.weights.name, "int4");
    /* junk is refused and leaves the config as it was */
    llm_config before = c;
    assert_int_not_equal(llmem_knob_type(&c, NULL, LLMEM_K_SEQ, "lots", &err), LLM_OK);
    assert_memory_equal(&before, &c, sizeof c);
    assert_true(strlen(err.message) > 0);
    /* a typed heads value snaps kv heads (12 heads, 8 KV -> 6) */
    c = llama();
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_HEADS, "12", &err), LLM_OK);
    assert_int_equal(c.model.heads, 12);
    assert_int_equal(c.model.kv_heads, 6);
}

static void test_value_text_and_pos(void **state)
{
    (void)state;
    llm_config c = llama();
    char buf[64];
    llmem_knob_value_text(&c, NULL, LLMEM_K_SEQ, buf, sizeof buf);
    assert_string_equal(buf, "8192");
    llmem_knob_value_text(&c, NULL, LLMEM_K_GPUS, buf, sizeof buf);
    assert_string_equal(buf, "1"); /* the count is tp x pp x dp = 1 x 1 x 1 */
    llmem_knob_value_text(&c, NULL, LLMEM_K_GPU, buf, sizeof buf);
    assert_string_equal(buf, "none");
    /* layers 1..1024 linear: 1 is at 0, 1024 at 1 */
    c.model.layers = 1;
    assert_true(llmem_knob_pos(&c, NULL, LLMEM_K_LAYERS) == 0.0);
    c.model.layers = 1024;
    assert_true(llmem_knob_pos(&c, NULL, LLMEM_K_LAYERS) == 1.0);
    /* LoRA rank matters only in LoRA modes */
    assert_false(llmem_knob_relevant(&c, LLMEM_K_LORA_RANK));
    c.workload.mode = LLM_MODE_QLORA;
    assert_true(llmem_knob_relevant(&c, LLMEM_K_LORA_RANK));
}

/* The GPU count is derived: it always shows tp x pp x dp, stepping it moves
 * DP in steps of tp x pp, and workload.gpus stays 0 (the engine then takes
 * tp x pp x dp), so the count and the layout can never disagree. */
static void test_gpu_count_follows_layout(void **state)
{
    (void)state;
    llm_config c = llama();
    char buf[64];
    llm_error err;
    c.workload.tp = 2;
    c.workload.pp = 4;
    c.workload.dp = 1;
    llmem_knob_value_text(&c, NULL, LLMEM_K_GPUS, buf, sizeof buf);
    assert_string_equal(buf, "8"); /* 2 x 4 x 1 */
    /* one step up doubles DP: 2 x 4 x 2 = 16 */
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_GPUS, +1, false));
    assert_int_equal(c.workload.dp, 2);
    assert_int_equal(c.workload.tp, 2);
    assert_int_equal(c.workload.pp, 4);
    assert_int_equal(c.workload.gpus, 0);
    llmem_knob_value_text(&c, NULL, LLMEM_K_GPUS, buf, sizeof buf);
    assert_string_equal(buf, "16");
    /* down twice: 8, then no lower (DP >= 1, so the minimum is tp x pp) */
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_GPUS, -1, false));
    assert_int_equal(c.workload.dp, 1);
    assert_false(llmem_knob_step(&c, NULL, LLMEM_K_GPUS, -1, false));
    /* typed: 64 = 2 x 4 x 8 */
    assert_int_equal(llmem_knob_type(&c, NULL, LLMEM_K_GPUS, "64", &err), LLM_OK);
    assert_int_equal(c.workload.dp, 8);
    assert_int_equal(c.workload.gpus, 0);
    /* typed 12 is not a multiple of 8: refused, unchanged, and says why */
    llm_config before = c;
    assert_int_not_equal(llmem_knob_type(&c, NULL, LLMEM_K_GPUS, "12", &err), LLM_OK);
    assert_memory_equal(&before, &c, sizeof c);
    assert_non_null(strstr(err.message, "tp x pp")); /* settings.c: "... tp x pp = 2 x 4 = 8" */
    /* a preset's explicit count (equal to the layout) is dropped once a
     * parallel knob moves: TP 2 -> 4 gives 4 x 4 x 8 = 128 GPUs */
    c.workload.gpus = 64;
    assert_true(llmem_knob_step(&c, NULL, LLMEM_K_TP, +1, false));
    assert_int_equal(c.workload.tp, 4);
    assert_int_equal(c.workload.gpus, 0);
    llmem_knob_value_text(&c, NULL, LLMEM_K_GPUS, buf, sizeof buf);
    assert_string_equal(buf, "128");
    /* the track spans 1 .. 65536 GPUs on a log scale: 256 = 2^8 sits at 8/16 */
    c.workload.tp = 1;
    c.workload.pp = 1;
    c.workload.dp = 256;
    assert_true(llmem_knob_pos(&c, NULL, LLMEM_K_GPUS) > 0.4999 &&
                llmem_knob_pos(&c, NULL, LLMEM_K_GPUS) < 0.5001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_steps_and_clamps),
        cmocka_unit_test(test_powers_of_two),
        cmocka_unit_test(test_divisors_and_snapping),
        cmocka_unit_test(test_head_dim_written_out),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_no_float_drift),
        cmocka_unit_test(test_typed_entry),
        cmocka_unit_test(test_value_text_and_pos),
        cmocka_unit_test(test_gpu_count_follows_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
