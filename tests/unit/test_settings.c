/* Settings: every key, the size suffixes (k = 2^10, M = 2^20, G = 2^30 for
 * counts; KiB/MiB/GiB and KB/MB/GB for bytes), exponent form, and every
 * error path with its message naming the key and the accepted values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "llmem/presets.h"
#include "llmem/settings.h"

static llm_config fresh(void)
{
    llm_config c;
    llm_config_default(&c);
    return c;
}

static void apply_ok(llm_config *c, const char *key, const char *value)
{
    llm_error e;
    if (llm_setting_apply(c, NULL, key, value, &e) != LLM_OK)
        fail_msg("%s=%s: %s", key, value, e.message);
}

/* Like apply_err on a given config (the message without the accepted list). */
static void apply_err_in(llm_config *c, const char *key, const char *value, llm_code code,
                         const char *message)
{
    llm_config before = *c;
    llm_error e;
    llm_code rc = llm_setting_apply(c, NULL, key, value, &e);
    if (rc != code || strncmp(e.message, message, strlen(message)) != 0)
        fail_msg("%s=%s:\n  got  %s \"%s\"\n  want %s \"%s...\"", key, value, llm_code_name(rc),
                 e.message, llm_code_name(code), message);
    assert_memory_equal(c, &before, sizeof *c);
}

static void apply_err(const char *key, const char *value, llm_code code, const char *message)
{
    llm_config c = fresh(), before = c;
    llm_error e;
    llm_code rc = llm_setting_apply(&c, NULL, key, value, &e);
    if (rc != code || strcmp(e.message, message) != 0)
        fail_msg("%s=%s:\n  got  %s \"%s\"\n  want %s \"%s\"", key, value, llm_code_name(rc),
                 e.message, llm_code_name(code), message);
    /* a failed setting leaves the config as it was */
    assert_memory_equal(&c, &before, sizeof c);
}

static uint64_t count(const char *s)
{
    uint64_t v = 0;
    llm_error e;
    if (llm_parse_count(s, &v, &e) != LLM_OK) fail_msg("%s: %s", s, e.message);
    return v;
}

static void test_count_suffixes(void **state)
{
    (void)state;
    assert_int_equal(count("8192"), 8192);
    assert_int_equal(count("8k"), 8192);
    assert_int_equal(count("8K"), 8192);
    assert_int_equal(count("128k"), 131072);
    assert_int_equal(count("1M"), 1048576);
    assert_int_equal(count("2G"), 2147483648ull);
    assert_int_equal(count("1.5k"), 1536);
    assert_int_equal(count("1e6"), 1000000);
    assert_int_equal(count("2.5e9"), 2500000000ull);
    assert_int_equal(count("1E3"), 1000);
    assert_int_equal(count("1_000_000"), 1000000);
    assert_int_equal(count("1,000"), 1000);
    assert_int_equal(count("0"), 0);
    assert_int_equal(count("15e11"), 1500000000000ull);
    assert_int_equal(count("9223372036854775807"), 9223372036854775807ull); /* 2^63 - 1 */
    assert_int_equal(count("8G"), 8589934592ull);

    uint64_t v;
    llm_error e;
    assert_int_equal(llm_parse_count("9223372036854775808", &v, &e), LLM_ERR_OVERFLOW);
    assert_string_equal(e.message, "'9223372036854775808' is too large (the limit is 2^63-1)");
    assert_int_equal(llm_parse_count("99999999999999999999999", &v, &e), LLM_ERR_OVERFLOW);
    assert_int_equal(llm_parse_count("1e19", &v, &e), LLM_ERR_OVERFLOW);
    assert_int_equal(llm_parse_count("16G", &v, &e), LLM_OK);
    assert_int_equal(llm_parse_count("9000000000G", &v, &e), LLM_ERR_OVERFLOW);
    assert_int_equal(llm_parse_count("-5", &v, &e), LLM_ERR_RANGE);
    assert_string_equal(e.message, "'-5' is negative; expected a whole number such as 8192, 8k, "
                                   "128k, 1M or 1e6");
    assert_int_equal(llm_parse_count("abc", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'abc' is not a number; expected a whole number such as 8192, "
                                   "8k, 128k, 1M or 1e6");
    assert_int_equal(llm_parse_count("", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "empty value; expected a whole number such as 8192, 8k, 128k, "
                                   "1M or 1e6");
    assert_int_equal(llm_parse_count("8kb", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'8kb': unexpected 'b'; expected a whole number such as 8192, "
                                   "8k, 128k, 1M or 1e6");
    assert_int_equal(llm_parse_count("1.5", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'1.5' is not a whole number");
    assert_int_equal(llm_parse_count("1e-3", &v, &e), LLM_ERR_INVALID);
    assert_int_equal(llm_parse_count("1m", &v, &e), LLM_ERR_INVALID); /* milli? no */
    assert_int_equal(llm_parse_count("8 k", &v, &e), LLM_ERR_INVALID);
    assert_int_equal(llm_parse_count("0x10", &v, &e), LLM_ERR_INVALID);
    assert_int_equal(llm_parse_count("1__0", &v, &e), LLM_ERR_INVALID);
    assert_int_equal(llm_parse_count("_10", &v, &e), LLM_ERR_INVALID);
}

static void test_byte_sizes(void **state)
{
    (void)state;
    uint64_t v;
    llm_error e;
    struct {
        const char *text;
        uint64_t bytes;
    } ok[] = {
        {"0", 0},
        {"512MiB", 536870912ull},
        {"1GiB", 1073741824ull},
        {"1GB", 1000000000ull},
        {"1.5GiB", 1610612736ull},
        {"64KiB", 65536},
        {"64KB", 64000},
        {"64kB", 64000},
        {"2TiB", 2199023255552ull},
        {"3TB", 3000000000000ull},
        {"100B", 100},
        {"4096", 4096},
        {"1 GiB", 1073741824ull},
        {"0.5MB", 500000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (llm_parse_bytes(ok[i].text, &v, &e) != LLM_OK) fail_msg("%s: %s", ok[i].text, e.message);
        assert_int_equal(v, ok[i].bytes);
    }
    assert_int_equal(llm_parse_bytes("1G", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'1G': ambiguous unit 'G'; write GiB (binary) or GB (decimal)");
    assert_int_equal(llm_parse_bytes("1k", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'1k': ambiguous unit 'k'; write KiB (binary) or kB (decimal)");
    /* PiB = 2^50, PB = 10^15 (help settings says overhead goes up to 1PiB) */
    assert_int_equal(llm_parse_bytes("1PiB", &v, &e), LLM_OK);
    assert_int_equal(v, 1125899906842624ull);
    assert_int_equal(llm_parse_bytes("2PB", &v, &e), LLM_OK);
    assert_int_equal(v, 2000000000000000ull);
    assert_int_equal(llm_parse_bytes("1P", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'1P': ambiguous unit 'P'; write PiB (binary) or PB (decimal)");
    assert_int_equal(llm_parse_bytes("1EB", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message,
                        "'1EB': unknown unit 'EB'; units: B KiB MiB GiB TiB PiB KB MB GB TB PB");
    assert_int_equal(llm_parse_bytes("-1GiB", &v, &e), LLM_ERR_RANGE);
    assert_int_equal(llm_parse_bytes("0.3B", &v, &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "'0.3B' is not a whole number of bytes");
    assert_int_equal(llm_parse_bytes("9000000000GiB", &v, &e), LLM_ERR_OVERFLOW);

    char buf[32];
    llm_format_bytes_exact(1073741824ull, buf, sizeof buf);
    assert_string_equal(buf, "1GiB");
    llm_format_bytes_exact(536870912ull, buf, sizeof buf);
    assert_string_equal(buf, "512MiB");
    llm_format_bytes_exact(1000000000ull, buf, sizeof buf);
    assert_string_equal(buf, "1GB");
    llm_format_bytes_exact(1234567, buf, sizeof buf);
    assert_string_equal(buf, "1234567B");
    llm_format_bytes_exact(0, buf, sizeof buf);
    assert_string_equal(buf, "0");
}

static void test_switch_and_fraction(void **state)
{
    (void)state;
    bool b;
    double d;
    llm_error e;
    const char *yes[] = {"on", "true", "yes", "1"}, *no[] = {"off", "false", "no", "0"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(llm_parse_switch(yes[i], &b, &e), LLM_OK);
        assert_true(b);
        assert_int_equal(llm_parse_switch(no[i], &b, &e), LLM_OK);
        assert_false(b);
    }
    assert_int_equal(llm_parse_switch("maybe", &b, &e), LLM_ERR_INVALID);
    assert_int_equal(llm_parse_fraction("0.4", &d, &e), LLM_OK);
    assert_true(d == 0.4);
    assert_int_equal(llm_parse_fraction("40%", &d, &e), LLM_OK);
    assert_true(d == 0.4);
    assert_int_equal(llm_parse_fraction("12.5%", &d, &e), LLM_OK);
    assert_true(d == 0.125);
    assert_int_equal(llm_parse_fraction("1", &d, &e), LLM_OK);
    assert_true(d == 1.0);
    assert_int_equal(llm_parse_fraction("1.01", &d, &e), LLM_ERR_RANGE);
    assert_string_equal(e.message, "'1.01' is above 1 (100%)");
    assert_int_equal(llm_parse_fraction("-0.1", &d, &e), LLM_ERR_RANGE);
    assert_int_equal(llm_parse_fraction("0.4x", &d, &e), LLM_ERR_INVALID);
}

/* Each key changes exactly its field; format gives the value back. */
static void test_every_key(void **state)
{
    (void)state;
    llm_config c = fresh();
    char buf[128];
    struct {
        const char *key, *value, *formatted;
    } cases[] = {
        {"layers", "32", "32"},
        {"hidden", "4k", "4096"},
        {"heads", "32", "32"},
        {"kv_heads", "8", "8"},
        {"head_dim", "128", "128"},
        {"ffn", "14336", "14336"},
        {"vocab", "128256", "128256"},
        {"experts", "8", "8"},
        {"active_experts", "2", "2"},
        {"mode", "infer", "infer"},
        {"seq", "128k", "131072"},
        {"batch", "4", "4"},
        {"global_batch", "1k", "1024"},
        {"tokens", "15e12", "15000000000000"},
        {"gen_tokens", "512", "512"},
        {"weights", "int4", "int4"},
        {"grads", "fp32", "fp32"},
        {"master", "none", "none"},
        {"act", "fp16", "fp16"},
        {"kv", "fp8", "fp8"},
        {"optim", "int8", "int8"},
        {"optimizer", "adamw8bit", "adamw8bit"},
        {"recompute", "selective", "selective"},
        {"flash", "off", "off"},
        {"dropout", "yes", "on"},
        {"sp", "on", "on"},
        {"profile", "eager", "eager"},
        {"tp", "8", "8"},
        {"pp", "4", "4"},
        {"vpp", "2", "2"},
        {"dp", "64", "64"},
        {"ep", "8", "8"},
        {"zero", "3", "3"},
        {"offload", "both", "both"},
        {"lora_rank", "64", "64"},
        {"lora_targets", "q,v", "q,v"},
        {"sparsity", "50%", "0.5"},
        {"sparse_storage", "2:4", "2:4"},
        {"keep_16bit", "off", "off"},
        {"gpu", "h100-80gb", "h100-80gb"},
        {"gpus", "512", "0"}, /* sets dp = 512 / (tp 8 x pp 4) = 16 */
        {"mfu", "0.45", "0.45"},
        {"overhead", "512MiB", "512MiB"},
        {"fragmentation", "0.1", "0.1"},
        {"kv_block", "16", "16"},
        {"teacher", "llama-3-70b", "llama-3-70b"}, /* no registry: recorded only */
        {"teacher_weights", "fp8", "fp8"},
    };
    size_t n = sizeof cases / sizeof cases[0];
    assert_int_equal(n, llm_setting_count()); /* every key is covered here */
    for (size_t i = 0; i < n; i++) {
        assert_non_null(llm_setting_find(cases[i].key));
        apply_ok(&c, cases[i].key, cases[i].value);
        llm_setting_format(&c, cases[i].key, buf, sizeof buf);
        if (strcmp(buf, cases[i].formatted) != 0)
            fail_msg("%s: formatted '%s', want '%s'", cases[i].key, buf, cases[i].formatted);
    }
    assert_int_equal(c.model.layers, 32);
    assert_int_equal(c.model.hidden, 4096);
    assert_int_equal(c.model.kv_heads, 8);
    assert_int_equal(c.model.head_dim, 128);
    assert_int_equal(c.model.ffn, 14336);
    assert_int_equal(c.model.vocab, 128256);
    assert_int_equal(c.model.experts, 8);
    assert_int_equal(c.model.active_experts, 2);
    const llm_workload *w = &c.workload;
    assert_int_equal(w->mode, LLM_MODE_INFER);
    assert_int_equal(w->seq, 131072);
    assert_int_equal(w->micro_batch, 4);
    assert_int_equal(w->global_batch, 1024);
    assert_int_equal(w->tokens, 15000000000000ull);
    assert_int_equal(w->gen_tokens, 512);
    assert_true(w->weights.bytes == 0.5);
    assert_true(w->grads.bytes == 4.0);
    assert_true(w->master.bytes == 0.0);
    assert_true(w->act.bytes == 2.0);
    assert_true(w->kv.bytes == 1.0);
    assert_true(w->optim.bytes == 1.0);
    assert_int_equal(w->optimizer, LLM_OPT_ADAMW8BIT);
    assert_int_equal(w->recompute, LLM_RECOMPUTE_SELECTIVE);
    assert_false(w->flash);
    assert_true(w->dropout);
    assert_true(w->seq_parallel);
    assert_int_equal(w->profile, LLM_PROFILE_EAGER);
    assert_int_equal(w->tp, 8);
    assert_int_equal(w->pp, 4);
    assert_int_equal(w->vpp, 2);
    assert_int_equal(w->dp, 16); /* gpus=512 after tp=8, pp=4 */
    assert_int_equal(w->ep, 8);
    assert_int_equal(w->zero, 3);
    assert_true(w->offload_optimizer && w->offload_params);
    assert_int_equal(w->lora_rank, 64);
    assert_int_equal(w->lora_targets, LLM_LORA_Q | LLM_LORA_V);
    assert_true(w->sparsity == 0.5);
    assert_int_equal(w->sparse_storage, LLM_SPARSE_2_4);
    assert_false(w->quant_keep_16bit);
    assert_string_equal(c.gpu, "h100-80gb");
    assert_int_equal(w->gpus, 0); /* the count follows tp x pp x dp */
    assert_string_equal(c.teacher, "llama-3-70b");
    assert_false(w->has_teacher);
    assert_string_equal(w->teacher_weights.name, "fp8");
    assert_true(w->mfu == 0.45);
    assert_true(w->overhead_bytes == 536870912.0);
    assert_true(w->fragmentation == 0.1);
    assert_int_equal(w->kv_block, 16);

    /* offload's four values, lora "all" */
    apply_ok(&c, "offload", "optimizer");
    assert_true(w->offload_optimizer && !w->offload_params);
    apply_ok(&c, "offload", "params");
    assert_true(!w->offload_optimizer && w->offload_params);
    apply_ok(&c, "offload", "none");
    assert_true(!w->offload_optimizer && !w->offload_params);
    apply_ok(&c, "lora_targets", "all");
    assert_int_equal(w->lora_targets, LLM_LORA_ALL);
    apply_ok(&c, "gpu", "none");
    assert_string_equal(c.gpu, "");
}

/* Formatting then applying gives the same config, for every key. */
static void test_format_apply_round_trip(void **state)
{
    (void)state;
    llm_config c = fresh();
    apply_ok(&c, "mfu", "0.3");
    apply_ok(&c, "sparsity", "0.123456789");
    apply_ok(&c, "overhead", "1234567B");
    apply_ok(&c, "fragmentation", "7%");
    apply_ok(&c, "lora_targets", "k,o,down");
    llm_config back = fresh();
    for (size_t i = 0; i < llm_setting_count(); i++) {
        const llm_setting_info *k = llm_setting_at(i);
        char buf[128];
        llm_setting_format(&c, k->key, buf, sizeof buf);
        if (k->group == LLM_SETTING_SHAPE) continue; /* the default model is all zero */
        apply_ok(&back, k->key, buf);
    }
    assert_memory_equal(&back.workload, &c.workload, sizeof c.workload);
    assert_true(back.workload.sparsity == 0.123456789);
}

/* The static choice lists match the engine's names. */
static void test_choices_match_engine_names(void **state)
{
    (void)state;
    const llm_setting_info *k = llm_setting_find("mode");
    for (int i = 0; k->choices[i]; i++) assert_string_equal(k->choices[i], llm_mode_name((llm_mode)i));
    k = llm_setting_find("optimizer");
    for (int i = 0; k->choices[i]; i++)
        assert_string_equal(k->choices[i], llm_optimizer_name((llm_optimizer)i));
    k = llm_setting_find("recompute");
    for (int i = 0; k->choices[i]; i++)
        assert_string_equal(k->choices[i], llm_recompute_name((llm_recompute)i));
    k = llm_setting_find("profile");
    for (int i = 0; k->choices[i]; i++)
        assert_string_equal(k->choices[i], llm_profile_name((llm_profile)i));
    k = llm_setting_find("sparse_storage");
    for (int i = 0; k->choices[i]; i++)
        assert_string_equal(k->choices[i], llm_sparse_storage_name((llm_sparse_storage)i));
    /* every key has help and accepted text */
    for (size_t i = 0; i < llm_setting_count(); i++) {
        assert_true(strlen(llm_setting_at(i)->help) > 0);
        assert_true(strlen(llm_setting_at(i)->accepted) > 0);
    }
    assert_null(llm_setting_at(llm_setting_count()));
    assert_null(llm_setting_find("nope"));
}

static void test_errors(void **state)
{
    (void)state;
    char keys[1024];
    llm_setting_keys_text(keys, sizeof keys);
    assert_true(strncmp(keys, "layers, hidden, heads, ", 23) == 0);
    /* the message names the key, a close match, and as many known keys as it holds */
    llm_config c = fresh();
    llm_error e;
    assert_int_equal(llm_setting_apply(&c, NULL, "sequence", "8k", &e), LLM_ERR_NOTFOUND);
    const char *prefix = "unknown setting 'sequence' (did you mean 'seq'?); known: ";
    assert_true(strncmp(e.message, prefix, strlen(prefix)) == 0);
    const char *list = e.message + strlen(prefix);
    if (strlen(prefix) + strlen(keys) < LLM_ERROR_MSG_MAX) {
        assert_string_equal(list, keys);
    } else {
        size_t n = strlen(list);
        assert_true(n > 5 && strcmp(list + n - 5, ", ...") == 0);
        assert_true(strncmp(keys, list, n - 5) == 0); /* whole names, in order */
        assert_true(keys[n - 5] == ',');
    }
    assert_int_equal(llm_setting_apply(&c, NULL, "foo", "1", &e), LLM_ERR_NOTFOUND);
    assert_true(strncmp(e.message, "unknown setting 'foo'; known: layers, hidden, ", 46) == 0);
    assert_int_equal(llm_setting_apply(&c, NULL, "laeyrs", "1", &e), LLM_ERR_NOTFOUND);
    assert_true(strncmp(e.message, "unknown setting 'laeyrs' (did you mean 'layers'?); ", 51) == 0);

    apply_err("seq", "-5", LLM_ERR_RANGE,
              "seq: '-5' is negative; expected a whole number such as 8192, 8k, 128k, 1M or 1e6; "
              "accepted: 1..2^40 (e.g. 8k = 8192, 128k)");
    apply_err("seq", "0", LLM_ERR_RANGE,
              "seq: 0 is out of range; accepted: 1..2^40 (e.g. 8k = 8192, 128k)");
    apply_err("seq", "lots", LLM_ERR_INVALID,
              "seq: 'lots' is not a number; expected a whole number such as 8192, 8k, 128k, 1M or "
              "1e6; accepted: 1..2^40 (e.g. 8k = 8192, 128k)");
    apply_err("seq", "2000G", LLM_ERR_RANGE,
              "seq: 2147483648000 is out of range; accepted: 1..2^40 (e.g. 8k = 8192, 128k)");
    apply_err("layers", "2000000000000", LLM_ERR_RANGE,
              "layers: 2000000000000 is out of range; accepted: 1..2^40");
    apply_err("tokens", "1e30", LLM_ERR_RANGE,
              "tokens: '1e30' is too large (the limit is 2^63-1); accepted: 0..2^60 (e.g. 1e12; "
              "0 = 20 per parameter)");
    apply_err("tokens", "2e18", LLM_ERR_RANGE,
              "tokens: 2000000000000000000 is out of range; accepted: 0..2^60 (e.g. 1e12; 0 = 20 "
              "per parameter)");
    apply_err("zero", "4", LLM_ERR_RANGE, "zero: 4 is out of range; accepted: 0..3");
    apply_err("tp", "0", LLM_ERR_RANGE, "tp: 0 is out of range; accepted: 1..65536");
    apply_err("mode", "training", LLM_ERR_INVALID,
              "mode: 'training' is not accepted; accepted: train finetune lora qlora distill infer");
    apply_err("optimizer", "adam", LLM_ERR_INVALID,
              "optimizer: 'adam' is not accepted; accepted: adamw adamw8bit sgd sgdm adafactor "
              "lion none");
    apply_err("flash", "maybe", LLM_ERR_INVALID, "flash: 'maybe' is not accepted; accepted: on off");
    apply_err("offload", "cpu", LLM_ERR_INVALID,
              "offload: 'cpu' is not accepted; accepted: none optimizer params both");
    apply_err("lora_targets", "q,x", LLM_ERR_INVALID,
              "lora_targets: 'q,x' is not accepted; accepted: all, or a comma list of q k v o gate "
              "up down");
    apply_err("lora_targets", "q,", LLM_ERR_INVALID,
              "lora_targets: 'q,' is not accepted; accepted: all, or a comma list of q k v o gate "
              "up down");
    apply_err("weights", "fp7", LLM_ERR_NOTFOUND,
              "weights: unknown precision 'fp7'; known: fp32 tf32 fp16 bf16 fp8 int8 int4 nf4");
    apply_err("kv", "none", LLM_ERR_NOTFOUND,
              "kv: unknown precision 'none'; known: fp32 tf32 fp16 bf16 fp8 int8 int4 nf4");
    apply_err("mfu", "0", LLM_ERR_RANGE, "mfu: below 0.01; accepted: 0.01..1 or a percentage (40%)");
    apply_err("mfu", "150%", LLM_ERR_RANGE,
              "mfu: '150%' is above 1 (100%); accepted: 0.01..1 or a percentage (40%)");
    apply_err("sparsity", "1", LLM_ERR_RANGE,
              "sparsity: above 0.99; accepted: 0..0.99 or a percentage (50%)");
    apply_err("overhead", "1G", LLM_ERR_INVALID,
              "overhead: '1G': ambiguous unit 'G'; write GiB (binary) or GB (decimal); accepted: "
              "0..1PiB with a unit: 0, 512MiB, 1GiB, 1GB, 1PiB");
    /* the limit the help text names is accepted, and just above it is not */
    llm_config big = fresh();
    apply_ok(&big, "overhead", "1PiB");
    assert_true(big.workload.overhead_bytes == 1125899906842624.0);
    apply_err("overhead", "2PiB", LLM_ERR_RANGE,
              "overhead: above 1PiB; accepted: 0..1PiB with a unit: 0, 512MiB, 1GiB, 1GB, 1PiB");
    apply_err("overhead", "2000TiB", LLM_ERR_RANGE,
              "overhead: above 1PiB; accepted: 0..1PiB with a unit: 0, 512MiB, 1GiB, 1GB, 1PiB");
    apply_err("gpu", "H100!", LLM_ERR_INVALID,
              "gpu: 'H100!' is not accepted; accepted: a GPU id or none");
}

/* mode=qlora gives an NF4 base (Dettmers et al. 2023, "QLoRA", section 3:
 * 4-bit NormalFloat with one fp32 absmax per 64 weights = 4 + 32/64 bits =
 * 0.5625 B per weight) when the weights have 8 or more bits; a 4-bit format
 * already chosen is kept; weights= applied afterwards wins. */
static void test_qlora_nf4_base(void **state)
{
    (void)state;
    llm_config c = fresh();
    assert_true(c.workload.weights.bytes == 2.0); /* bf16 by default */
    apply_ok(&c, "mode", "qlora");
    assert_int_equal(c.workload.mode, LLM_MODE_QLORA);
    assert_string_equal(c.workload.weights.name, "nf4");
    assert_true(c.workload.weights.bytes == 0.5625);
    apply_ok(&c, "weights", "bf16"); /* later weights= wins */
    assert_string_equal(c.workload.weights.name, "bf16");
    assert_int_equal(c.workload.mode, LLM_MODE_QLORA);

    c = fresh();
    apply_ok(&c, "weights", "int8"); /* 8 bits: still replaced */
    apply_ok(&c, "mode", "qlora");
    assert_string_equal(c.workload.weights.name, "nf4");

    c = fresh();
    apply_ok(&c, "weights", "int4"); /* already 4-bit: kept */
    apply_ok(&c, "mode", "qlora");
    assert_string_equal(c.workload.weights.name, "int4");
    assert_true(c.workload.weights.bytes == 0.5);

    c = fresh();
    apply_ok(&c, "mode", "lora"); /* plain LoRA keeps the 16-bit base */
    assert_string_equal(c.workload.weights.name, "bf16");

    /* With the catalogue: its nf4 entry (4 bits, fp32 scale per 64). */
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    assert_int_equal(llm_registry_load_builtin(&r, &e), LLM_OK);
    c = fresh();
    assert_int_equal(llm_setting_apply(&c, &r, "weights", "fp32", &e), LLM_OK);
    assert_int_equal(llm_setting_apply(&c, &r, "mode", "qlora", &e), LLM_OK);
    assert_string_equal(c.workload.weights.name, "nf4");
    assert_true(c.workload.weights.bytes == 0.5625);
    assert_int_equal(c.workload.weights.group, 64);
    assert_int_equal(llm_setting_apply(&c, &r, "weights", "nf4-dq", &e), LLM_OK);
    assert_string_equal(c.workload.weights.name, "nf4-dq");
    llm_registry_free(&r);
}

/* Leaving qlora gives back the weights dtype that mode=qlora replaced. */
static void test_leave_qlora(void **state)
{
    (void)state;
    llm_config c = fresh();
    apply_ok(&c, "weights", "fp16");
    apply_ok(&c, "mode", "qlora");
    assert_string_equal(c.workload.weights.name, "nf4");
    apply_ok(&c, "mode", "train");
    assert_string_equal(c.workload.weights.name, "fp16");
    assert_true(c.workload.weights.bytes == 2.0);

    /* unknown previous dtype (a qlora preset): bf16 */
    c = fresh();
    apply_ok(&c, "mode", "qlora");
    memset(&c.weights_before_qlora, 0, sizeof c.weights_before_qlora);
    apply_ok(&c, "mode", "infer");
    assert_string_equal(c.workload.weights.name, "bf16");

    /* a weights= after qlora is the user's choice: leaving keeps it */
    c = fresh();
    apply_ok(&c, "mode", "qlora");
    apply_ok(&c, "weights", "int4");
    apply_ok(&c, "mode", "lora");
    assert_string_equal(c.workload.weights.name, "int4");

    /* a later weights= wins over the restore */
    c = fresh();
    apply_ok(&c, "mode", "qlora");
    apply_ok(&c, "mode", "train");
    apply_ok(&c, "weights", "fp8");
    assert_string_equal(c.workload.weights.name, "fp8");

    /* modes other than qlora never touch nf4 weights set on purpose */
    c = fresh();
    apply_ok(&c, "weights", "nf4");
    apply_ok(&c, "mode", "infer");
    assert_string_equal(c.workload.weights.name, "nf4");
}

/* gpus=N sets dp = N / (tp x pp); N not a multiple is an error naming tp x pp. */
static void test_gpus_sets_dp(void **state)
{
    (void)state;
    llm_config c = fresh();
    apply_ok(&c, "tp", "2");
    apply_ok(&c, "pp", "4");
    apply_ok(&c, "gpus", "64");
    assert_int_equal(c.workload.dp, 8); /* 64 / (2 x 4) */
    assert_int_equal(c.workload.gpus, 0);
    apply_ok(&c, "gpus", "0"); /* nothing changes */
    assert_int_equal(c.workload.dp, 8);
    apply_err_in(&c, "gpus", "12", LLM_ERR_INVALID,
                 "gpus: 12 GPUs is not a multiple of tp x pp = 2 x 4 = 8 (dp = gpus / (tp x pp))");
    llm_config d = fresh();
    apply_ok(&d, "tp", "8");
    llm_error e;
    assert_int_equal(llm_setting_apply(&d, NULL, "gpus", "12", &e), LLM_ERR_INVALID);
    assert_string_equal(e.message, "gpus: 12 GPUs is not a multiple of tp x pp = 8 x 1 = 8 "
                                   "(dp = gpus / (tp x pp)); accepted: 0..2^24, a multiple of "
                                   "tp x pp (sets dp)");
    assert_int_equal(d.workload.dp, 1);
}

/* teacher=ID resolves through the registry: the teacher's shape, and the
 * weights dtype of the student at that point. */
static void test_teacher(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    assert_int_equal(llm_registry_load_builtin(&r, &e), LLM_OK);
    const llm_preset *t = llm_registry_find(&r, "llama-3-70b");
    assert_non_null(t);
    llm_config c = fresh();
    assert_int_equal(llm_setting_apply(&c, &r, "weights", "fp16", &e), LLM_OK);
    assert_int_equal(llm_setting_apply(&c, &r, "teacher", "llama-3-70b", &e), LLM_OK);
    assert_true(c.workload.has_teacher);
    assert_int_equal(c.workload.teacher.layers, 80); /* Llama 3 70B: 80 layers, d 8192 */
    assert_int_equal(c.workload.teacher.hidden, 8192);
    assert_string_equal(c.workload.teacher_weights.name, "fp16");
    assert_string_equal(c.teacher, "llama-3-70b");
    assert_int_equal(llm_setting_apply(&c, &r, "teacher", "no-such-model", &e), LLM_ERR_NOTFOUND);
    assert_string_equal(e.message, "teacher: unknown preset 'no-such-model' (see 'llmem presets')");
    assert_string_equal(c.teacher, "llama-3-70b"); /* unchanged */
    assert_int_equal(llm_setting_apply(&c, &r, "teacher", "none", &e), LLM_OK);
    assert_false(c.workload.has_teacher);
    assert_string_equal(c.teacher, "");

    /* recorded without a registry, resolved later */
    c = fresh();
    apply_ok(&c, "teacher", "llama-3-70b");
    assert_false(c.workload.has_teacher);
    assert_int_equal(llm_config_resolve_teacher(&c, &r, &e), LLM_OK);
    assert_true(c.workload.has_teacher);
    assert_int_equal(c.workload.teacher.layers, 80);
    c = fresh();
    apply_ok(&c, "teacher", "gone");
    assert_int_equal(llm_config_resolve_teacher(&c, &r, &e), LLM_ERR_NOTFOUND);
    llm_registry_free(&r);
}

/* With a registry: its precisions and GPUs are known, others are not. */
static void test_with_registry(void **state)
{
    (void)state;
    llm_registry r;
    llm_registry_init(&r);
    llm_error e;
    assert_int_equal(llm_registry_load_builtin(&r, &e), LLM_OK);
    llm_config c = fresh();
    /* int4-g128: 4 bits + fp16 scale and zero per 128 = 0.5 + 4/128 (FORMULAS.md section 2) */
    assert_int_equal(llm_setting_apply(&c, &r, "weights", "int4-g128", &e), LLM_OK);
    assert_true(c.workload.weights.bytes == 0.53125);
    assert_int_equal(c.workload.weights.group, 128);
    assert_int_equal(llm_setting_apply(&c, &r, "gpu", "h100-80gb", &e), LLM_OK);
    assert_int_equal(llm_setting_apply(&c, &r, "gpu", "rtx-9999", &e), LLM_ERR_NOTFOUND);
    assert_true(strncmp(e.message, "gpu: unknown GPU 'rtx-9999'; known: ", 36) == 0);
    assert_string_equal(c.gpu, "h100-80gb");
    llm_registry_free(&r);
}

static void test_key_value_text(void **state)
{
    (void)state;
    llm_config c = fresh();
    llm_error e;
    assert_int_equal(llm_setting_apply_text(&c, NULL, "seq=32k", &e), LLM_OK);
    assert_int_equal(c.workload.seq, 32768);
    assert_int_equal(llm_setting_apply_text(&c, NULL, " batch = 8 ", &e), LLM_OK);
    assert_int_equal(c.workload.micro_batch, 8);
    assert_int_equal(llm_setting_apply_text(&c, NULL, "seq", &e), LLM_ERR_USAGE);
    assert_string_equal(e.message, "'seq' is not KEY=VALUE (e.g. seq=8k)");
    assert_int_equal(llm_setting_apply_text(&c, NULL, "=8k", &e), LLM_ERR_USAGE);
    assert_string_equal(e.message, "'=8k' has no key before '=' (e.g. seq=8k)");
    assert_int_equal(llm_setting_apply_text(&c, NULL, "seq=", &e), LLM_ERR_INVALID);
    char key[8], value[8];
    assert_int_equal(llm_setting_split("averyveryverylongkey=1", key, sizeof key, value,
                                       sizeof value, &e),
                     LLM_ERR_USAGE);
}

static void test_config_default(void **state)
{
    (void)state;
    llm_config c;
    memset(&c, 0xff, sizeof c);
    llm_config_default(&c);
    llm_workload w;
    llm_workload_default(&w);
    assert_memory_equal(&c.workload, &w, sizeof w);
    assert_int_equal(c.model.layers, 0);
    assert_string_equal(c.gpu, "");
    /* the built-in precisions: FORMULAS.md section 2; nf4 = 4 bits + fp32 absmax per 64 */
    size_t n;
    const llm_dtype *d = llm_dtype_builtin(&n);
    assert_int_equal(n, 8);
    const double bytes[] = {4, 4, 2, 2, 1, 1, 0.5, 0.5625};
    const char *names[] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", "nf4"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(d[i].name, names[i]);
        assert_true(d[i].bytes == bytes[i]);
    }
}

/* format -> parse gives back exactly the same double (the fuzzer found a
 * 17-digit value that did not: tests/fixtures/regress/settings/). */
static void test_fraction_round_trip(void **state)
{
    (void)state;
    llm_config c = fresh();
    llm_error e;
    char buf[64];
    assert_int_equal(llm_setting_apply(&c, NULL, "mfu", "0.45000000000120000001261948807740438138112",
                                       &e),
                     LLM_OK);
    double first = c.workload.mfu;
    llm_setting_format(&c, "mfu", buf, sizeof buf);
    assert_string_equal(buf, "0.4500000000012"); /* the shortest text for that double */
    assert_int_equal(llm_setting_apply(&c, NULL, "mfu", buf, &e), LLM_OK);
    assert_true(c.workload.mfu == first);
    /* many doubles in (0, 1): a fixed linear congruential sequence */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double v = (double)(x >> 11) / 9007199254740992.0; /* 53 random bits in [0, 1) */
        if (i % 3 == 0) v = v * 1e-5;                       /* small ones too */
        if (v < 0.01) v += 0.01;
        c.workload.mfu = v;
        llm_setting_format(&c, "mfu", buf, sizeof buf);
        assert_int_equal(llm_setting_apply(&c, NULL, "mfu", buf, &e), LLM_OK);
        if (c.workload.mfu != v) fail_msg("%.17g -> %s -> %.17g", v, buf, c.workload.mfu);
        assert_true(strlen(buf) <= 20);
    }
    /* percentages round once: 12.3% is the double nearest 0.123 */
    assert_int_equal(llm_setting_apply(&c, NULL, "mfu", "12.3%", &e), LLM_OK);
    assert_true(c.workload.mfu == 0.123);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_suffixes),
        cmocka_unit_test(test_byte_sizes),
        cmocka_unit_test(test_switch_and_fraction),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_format_apply_round_trip),
        cmocka_unit_test(test_choices_match_engine_names),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_with_registry),
        cmocka_unit_test(test_qlora_nf4_base),
        cmocka_unit_test(test_leave_qlora),
        cmocka_unit_test(test_gpus_sets_dp),
        cmocka_unit_test(test_teacher),
        cmocka_unit_test(test_key_value_text),
        cmocka_unit_test(test_config_default),
        cmocka_unit_test(test_fraction_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
