/* config.json precision -> the preset workload's weights.
 *
 * The mapping:
 *   torch_dtype (or dtype): float32 -> fp32, float16 -> fp16, bfloat16 -> bf16,
 *     float8_e4m3fn / float8_e5m2 -> fp8.
 *   quantization_config (wins over torch_dtype for the weights):
 *     gptq, awq (bits, group_size; AWQ also w_bit, q_group_size):
 *       "int<bits>-g<group>": bits/8 + 4/group bytes per weight, the catalogue's
 *       convention of a 16-bit scale and a 16-bit zero point per group; GPTQ
 *       and AWQ actually pack the zero point into <bits> bits (2 + bits/8 bytes
 *       per group), 2.2% less for int4-g128.  group_size -1 (one scale per
 *       output row): "int<bits>", bits/8.
 *     bitsandbytes 4-bit (load_in_4bit, bnb_4bit_quant_type nf4 | fp4):
 *       "nf4" (or "fp4"), 4 bits + one fp32 absmax per block of 64; with
 *       bnb_4bit_use_double_quant "nf4-dq" ("fp4-dq"): the absmax is 8-bit
 *       with one fp32 per 256 blocks, 4.127 bits per weight (QLoRA, Dettmers
 *       et al. 2023: 0.127 bits of constants instead of 0.5).
 *     bitsandbytes 8-bit (load_in_8bit): "int8", 1 byte (per-row scales not
 *       counted).
 *     fp8 (DeepSeek-V3's weight_block_size [128, 128]): "fp8", 1 byte; the
 *       fp32 scale per block (+0.02%) is noted, not counted.
 *   The names and sizes are those of presets/precisions.yaml, so a preset
 *   saved from an import loads back with the same bytes per weight.
 *     Other methods are named in the notes and leave the weights alone.
 *   A mapped quantization_config also sets the workload mode to infer and keeps
 *   embeddings, LM head and norms in 16 bit (quant_keep_16bit), as GPTQ, AWQ
 *   and bitsandbytes leave them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/hf_read.h"

static bool torch_dtype_to(const char *s, llm_dtype *out)
{
    static const struct {
        const char *torch, *name;
        double bytes;
    } map[] = {{"float32", "fp32", 4},   {"float", "fp32", 4},    {"float16", "fp16", 2},
               {"half", "fp16", 2},      {"bfloat16", "bf16", 2}, {"float8_e4m3fn", "fp8", 1},
               {"float8_e5m2", "fp8", 1}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(s, map[i].torch) == 0) {
            *out = llm_dtype_make(map[i].name, map[i].bytes, true);
            return true;
        }
    }
    return false;
}

/* A grouped integer format: bits/8 + scale_bytes/group per weight. */
static llm_dtype grouped(const char *name, double bits, uint32_t group, double scale_bytes,
                         bool is_float)
{
    llm_dtype d = llm_dtype_make(name, bits / 8.0, is_float);
    d.bits = bits;
    d.group = group;
    d.scale_bytes = scale_bytes;
    if (group) d.bytes = bits / 8.0 + scale_bytes / (double)group;
    return d;
}

static llm_code int_in(hf_ctx *c, const llm_ynode *obj, const char *names, int64_t def,
                       int64_t *out)
{
    hf_field f = llm_hf_field_in(obj, names);
    *out = def;
    if (!llm_hf_present(&f)) return LLM_OK;
    if (llm_hf_kind(f.val) != HF_INT)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA,
                           "quantization_config.%s must be an integer, got %s", f.name,
                           llm_hf_kind_name(llm_hf_kind(f.val)));
    errno = 0;
    long long v = strtoll(f.val->text, NULL, 10);
    if (errno == ERANGE || v < -1 || v > (1 << 20))
        return llm_hf_fail(c, f.key, LLM_ERR_RANGE,
                           "quantization_config.%s is out of range (%.40s)", f.name, f.val->text);
    *out = v;
    return LLM_OK;
}

static llm_code bool_in(hf_ctx *c, const llm_ynode *obj, const char *name, bool *out)
{
    hf_field f = llm_hf_field_in(obj, name);
    if (!llm_hf_present(&f)) return LLM_OK;
    if (llm_hf_kind(f.val) != HF_BOOL)
        return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA,
                           "quantization_config.%s must be true or false, got %s", f.name,
                           llm_hf_kind_name(llm_hf_kind(f.val)));
    *out = strcmp(f.val->text, "true") == 0;
    return LLM_OK;
}

static llm_code read_quant(hf_ctx *c, const llm_ynode *q, llm_dtype *out, bool *mapped)
{
    *mapped = false;
    const char *method = NULL;
    HF_TRY(llm_hf_str_opt_in(c, q, "quant_method", &method, NULL));
    bool in4 = false, in8 = false;
    HF_TRY(bool_in(c, q, "load_in_4bit", &in4));
    HF_TRY(bool_in(c, q, "load_in_8bit", &in8));
    if (!method && (in4 || in8)) method = "bitsandbytes";
    if (!method) {
        llm_hf_note(c, "quantization_config without quant_method: weights left at torch_dtype.");
        return LLM_OK;
    }
    if (strcmp(method, "gptq") == 0 || strcmp(method, "awq") == 0) {
        int64_t bits, group;
        HF_TRY(int_in(c, q, "bits|w_bit", 4, &bits));
        HF_TRY(int_in(c, q, "group_size|q_group_size", 128, &group));
        if (bits < 2 || bits > 8) {
            hf_field f = llm_hf_field_in(q, "bits|w_bit");
            return llm_hf_fail(c, f.key, LLM_ERR_RANGE,
                               "quantization_config.bits must be 2..8 (got %lld)", (long long)bits);
        }
        char name[LLM_ID_MAX];
        if (group > 0) {
            snprintf(name, sizeof name, "int%lld-g%lld", (long long)bits, (long long)group);
            *out = grouped(name, (double)bits, (uint32_t)group, 4.0, false);
        } else {
            snprintf(name, sizeof name, "int%lld", (long long)bits);
            *out = grouped(name, (double)bits, 0, 0, false);
        }
        llm_hf_note(c, "%.8s %lld-bit, group %lld -> weights %s.", method, (long long)bits,
                    (long long)group, name);
        *mapped = true;
        return LLM_OK;
    }
    if (strcmp(method, "bitsandbytes") == 0) {
        if (in4) {
            const char *kind = "fp4"; /* BitsAndBytesConfig default bnb_4bit_quant_type */
            bool dq = false;
            HF_TRY(llm_hf_str_opt_in(c, q, "bnb_4bit_quant_type", &kind, NULL));
            HF_TRY(bool_in(c, q, "bnb_4bit_use_double_quant", &dq));
            bool nf4 = strcmp(kind, "nf4") == 0;
            const char *name = nf4 ? (dq ? "nf4-dq" : "nf4") : (dq ? "fp4-dq" : "fp4");
            if (dq) { /* the catalogue's nf4-dq: 4.127 bits per weight */
                *out = llm_dtype_make(name, 4.127 / 8.0, false);
                out->bits = 4.127;
            } else {
                *out = grouped(name, 4, 64, 4.0, false);
            }
            llm_hf_note(c, "bitsandbytes 4-bit %s%s -> weights %s.", nf4 ? "nf4" : "fp4",
                        dq ? " with double quantisation" : "", name);
        } else if (in8) {
            *out = llm_dtype_make("int8", 1.0, false);
            llm_hf_note(c, "bitsandbytes 8-bit -> weights int8.");
        } else {
            llm_hf_note(
                c, "bitsandbytes without load_in_4bit/load_in_8bit: weights left at torch_dtype.");
            return LLM_OK;
        }
        *mapped = true;
        return LLM_OK;
    }
    if (strcmp(method, "fp8") == 0) {
        hf_field f = llm_hf_field_in(q, "weight_block_size");
        uint32_t group = 0;
        if (llm_hf_present(&f)) {
            if (llm_hf_kind(f.val) != HF_ARRAY || f.val->count != 2)
                return llm_hf_fail(c, f.key, LLM_ERR_SCHEMA,
                                   "quantization_config.weight_block_size must be an array of two "
                                   "integers");
            uint64_t g = 1;
            for (size_t i = 0; i < 2; i++) {
                const llm_ynode *e = f.val->items[i];
                unsigned long long v =
                    llm_hf_kind(e) == HF_INT && e->text[0] != '-' ? strtoull(e->text, NULL, 10) : 0;
                if (v == 0 || v > 65536)
                    return llm_hf_fail(
                        c, e, LLM_ERR_RANGE,
                        "quantization_config.weight_block_size[%zu] must be 1..65536", i);
                g *= v;
            }
            group = (uint32_t)g;
        }
        /* The catalogue's fp8 (1 byte); the block scales are noted. */
        *out = llm_dtype_make("fp8", 1.0, true);
        if (group)
            llm_hf_note(c,
                        "fp8 weights; their fp32 scales (one per %u weights, +%.3f%%) are not "
                        "counted.",
                        group, 400.0 / (double)group);
        else
            llm_hf_note(c, "fp8 weights.");
        *mapped = true;
        return LLM_OK;
    }
    llm_hf_note(c, "quantization_config method '%.40s' is not mapped: weights left at torch_dtype.",
                method);
    return LLM_OK;
}

llm_code llm_hf_read_precision(hf_ctx *c, llm_preset *p)
{
    const char *dt = NULL;
    const llm_ynode *dt_key = NULL;
    HF_TRY(llm_hf_str_opt(c, "torch_dtype|dtype", &dt, &dt_key));
    llm_dtype d;
    if (dt && strcmp(dt, "auto") != 0) {
        if (torch_dtype_to(dt, &d)) {
            p->has_workload = true;
            p->workload.weights = d;
        } else {
            llm_hf_note(c, "torch_dtype '%.40s' is not mapped.", dt);
        }
    }
    hf_field q = llm_hf_field(c, "quantization_config");
    if (llm_hf_present(&q)) {
        if (llm_hf_kind(q.val) != HF_OBJECT)
            return llm_hf_fail(c, q.key, LLM_ERR_SCHEMA,
                               "quantization_config must be an object, got %s",
                               llm_hf_kind_name(llm_hf_kind(q.val)));
        bool mapped = false;
        HF_TRY(read_quant(c, q.val, &d, &mapped));
        if (mapped) {
            /* A checkpoint stored quantised is for inference (or adapters):
             * its weights cannot be trained as stored. */
            p->has_workload = true;
            p->workload.weights = d;
            p->workload.quant_keep_16bit = true;
            p->workload.mode = LLM_MODE_INFER;
            llm_hf_note(c, "Workload mode infer (quantised checkpoint).");
        }
    }
    return LLM_OK;
}
