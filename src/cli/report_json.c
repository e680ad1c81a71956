/* The estimate as JSON (schema in docs/cli.md): integers for counts and
 * bytes, stable key names; new keys may be added, none renamed. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define SCHEMA_VERSION 1

static void model_obj(llmem_json *j, const llm_model *raw)
{
    llm_model m = *raw;
    llm_model_resolve(&m); /* defaults made explicit: kv_heads, head_dim, ... */
    llmem_json_obj(j, "model");
    llmem_json_str(j, "arch", llm_arch_name(m.arch));
    llmem_json_u64(j, "layers", m.layers);
    llmem_json_u64(j, "encoder_layers", m.encoder_layers);
    llmem_json_u64(j, "hidden", m.hidden);
    llmem_json_u64(j, "heads", m.heads);
    llmem_json_u64(j, "kv_heads", m.kv_heads);
    llmem_json_u64(j, "head_dim", m.head_dim);
    llmem_json_u64(j, "ffn", m.ffn);
    llmem_json_str(j, "ffn_kind", llm_ffn_kind_name(m.ffn_kind));
    llmem_json_u64(j, "vocab", m.vocab);
    llmem_json_bool(j, "tied_embeddings", m.tied_embeddings);
    llmem_json_str(j, "pos", llm_pos_kind_name(m.pos));
    llmem_json_u64(j, "pos_rows", m.pos_rows);
    llmem_json_u64(j, "pos_offset", m.pos_offset);
    llmem_json_u64(j, "rel_buckets", m.rel_buckets);
    llmem_json_u64(j, "max_seq", m.max_seq);
    llmem_json_str(j, "norm", llm_norm_kind_name(m.norm));
    llmem_json_bool(j, "norm_bias", m.norm_bias);
    llmem_json_u64(j, "norms_per_layer", m.norms_per_layer);
    llmem_json_bool(j, "final_norm", m.final_norm);
    llmem_json_bool(j, "embedding_norm", m.embedding_norm);
    llmem_json_bool(j, "qkv_bias", m.qkv_bias);
    llmem_json_bool(j, "attn_out_bias", m.attn_out_bias);
    llmem_json_bool(j, "mlp_bias", m.mlp_bias);
    llmem_json_bool(j, "router_bias", m.router_bias);
    llmem_json_bool(j, "qk_norm", m.qk_norm);
    llmem_json_bool(j, "attn_sinks", m.attn_sinks);
    llmem_json_bool(j, "parallel_block", m.parallel_block);
    llmem_json_u64(j, "experts", m.experts);
    llmem_json_u64(j, "active_experts", m.active_experts);
    llmem_json_u64(j, "expert_ffn", m.expert_ffn);
    llmem_json_u64(j, "shared_experts", m.shared_experts);
    llmem_json_u64(j, "dense_layers", m.dense_layers);
    llmem_json_str(j, "attn", llm_attn_kind_name(m.attn));
    llmem_json_u64(j, "q_lora_rank", m.q_lora_rank);
    llmem_json_u64(j, "kv_lora_rank", m.kv_lora_rank);
    llmem_json_u64(j, "qk_nope_dim", m.qk_nope_dim);
    llmem_json_u64(j, "qk_rope_dim", m.qk_rope_dim);
    llmem_json_u64(j, "v_head_dim", m.v_head_dim);
    llmem_json_u64(j, "window", m.window);
    llmem_json_u64(j, "window_pattern", m.window_pattern);
    llmem_json_end_obj(j);
}

/* Every workload setting key, typed by its kind: counts and bytes as
 * integers, switches as booleans, fractions as numbers, the rest strings. */
static void settings_obj(llmem_json *j, const llm_config *c)
{
    llmem_json_obj(j, "settings");
    for (size_t i = 0; i < llm_setting_count(); i++) {
        const llm_setting_info *info = llm_setting_at(i);
        if (info->group != LLM_SETTING_WORKLOAD) continue;
        char v[128];
        llm_setting_format(c, info->key, v, sizeof v);
        uint64_t u;
        bool b;
        double d;
        switch (info->kind) {
        case LLM_SETTING_COUNT:
            if (llm_parse_count(v, &u, NULL) == LLM_OK)
                llmem_json_u64(j, info->key, u);
            else
                llmem_json_str(j, info->key, v);
            break;
        case LLM_SETTING_BYTES:
            if (llm_parse_bytes(v, &u, NULL) == LLM_OK)
                llmem_json_u64(j, info->key, u);
            else
                llmem_json_str(j, info->key, v);
            break;
        case LLM_SETTING_SWITCH:
            if (llm_parse_switch(v, &b, NULL) == LLM_OK)
                llmem_json_bool(j, info->key, b);
            else
                llmem_json_str(j, info->key, v);
            break;
        case LLM_SETTING_FRACTION:
            if (llm_parse_fraction(v, &d, NULL) == LLM_OK)
                llmem_json_num(j, info->key, d);
            else
                llmem_json_str(j, info->key, v);
            break;
        case LLM_SETTING_GPU:
        case LLM_SETTING_PRESET:
            if (!v[0] || strcmp(v, "none") == 0)
                llmem_json_null(j, info->key);
            else
                llmem_json_str(j, info->key, v);
            break;
        default:
            llmem_json_str(j, info->key, v);
        }
    }
    llmem_json_end_obj(j);
}

static void memory_fields(llmem_json *j, const llm_memory *m)
{
    llmem_json_whole(j, "weights", m->weights);
    llmem_json_whole(j, "gradients", m->gradients);
    llmem_json_whole(j, "optimizer", m->optimizer);
    llmem_json_whole(j, "activations", m->activations);
    llmem_json_whole(j, "kv_cache", m->kv_cache);
    llmem_json_whole(j, "overhead", m->overhead);
    llmem_json_whole(j, "total", m->total);
    llmem_json_whole(j, "host", m->host);
}

static void gpu_obj(llmem_json *j, const char *key, const llm_gpu *g)
{
    llmem_json_obj(j, key);
    llmem_json_str(j, "id", g->id);
    llmem_json_str(j, "name", g->name);
    llmem_json_whole(j, "memory_bytes", g->memory_bytes);
    llmem_json_whole(j, "bandwidth", g->bandwidth);
    llmem_json_num(j, "flops_16", g->flops_16);
    llmem_json_num(j, "flops_8", g->flops_8);
    llmem_json_num(j, "flops_32", g->flops_32);
    llmem_json_end_obj(j);
}

static void fit_item(llmem_json *j, const llm_config *c, const llm_gpu *g)
{
    llm_fit fit;
    llm_error err;
    llmem_json_obj(j, NULL);
    llmem_json_str(j, "gpu", g->id);
    llmem_json_whole(j, "memory_bytes", g->memory_bytes);
    if (llm_fit_check(&c->model, &c->workload, g, &fit, &err) == LLM_OK) {
        llmem_json_bool(j, "fits", fit.fits);
        llmem_json_num(j, "utilisation", fit.utilisation);
        llmem_json_u64(j, "gpus_needed", fit.gpus_needed);
    } else {
        llmem_json_str(j, "error", err.message);
    }
    llmem_json_end_obj(j);
}

static void explain_obj(llmem_json *j, const llmem_report *r)
{
    size_t cap = 16384;
    char *buf = malloc(cap);
    if (!buf) return;
    llmem_json_obj(j, "explain");
    for (int i = 0; i < LLM_FIG_COUNT; i++) {
        llm_figure fig = (llm_figure)i;
        if (!llmem_report_explain_figure(r, fig, &buf, &cap)) break;
        llmem_json_str(j, llm_figure_name(fig), buf);
    }
    llmem_json_end_obj(j);
    free(buf);
}

void llmem_report_json(FILE *f, const llmem_report *r)
{
    const llmem_cli_model *m = r->m;
    const llm_estimate *e = &r->est;
    const llm_preset *p = &m->preset;
    llmem_json j;
    llmem_json_init(&j, f);
    llmem_json_obj(&j, NULL);
    llmem_json_u64(&j, "schema", SCHEMA_VERSION);
    llmem_json_str(&j, "llmem", LLMEM_VERSION);

    llmem_json_obj(&j, "preset");
    llmem_json_str(&j, "id", p->id);
    llmem_json_str(&j, "name", p->name);
    llmem_json_str(&j, "family", p->family);
    llmem_json_bool(&j, "published", p->published);
    llmem_json_str(&j, "source", llmem_cli_source_name(m->source));
    llmem_json_str(&j, "origin", p->origin);
    llmem_json_bool(&j, "shape_changed", m->shape_set);
    llmem_json_end_obj(&j);

    model_obj(&j, &m->cfg.model);
    settings_obj(&j, &m->cfg);

    llmem_json_obj(&j, "params");
    llmem_json_u64(&j, "total", e->params.total);
    llmem_json_u64(&j, "active", e->params.active);
    llmem_json_u64(&j, "embedding", e->params.embedding);
    llmem_json_u64(&j, "positions", e->params.positions);
    llmem_json_u64(&j, "attention", e->params.attention);
    llmem_json_u64(&j, "mlp", e->params.mlp);
    llmem_json_u64(&j, "experts", e->params.experts);
    llmem_json_u64(&j, "router", e->params.router);
    llmem_json_u64(&j, "norm", e->params.norms);
    llmem_json_u64(&j, "lm_head", e->params.lm_head);
    llmem_json_u64(&j, "encoder", e->params.encoder);
    llmem_json_u64(&j, "decoder", e->params.decoder);
    llmem_json_u64(&j, "non_embedding", e->params.non_embedding);
    llmem_json_u64(&j, "active_non_embedding", e->params.active_non_embedding);
    llmem_json_u64(&j, "per_layer", e->params.per_layer);
    llmem_json_end_obj(&j);

    llmem_json_obj(&j, "memory");
    memory_fields(&j, &e->per_gpu);
    llmem_json_u64(&j, "gpus", e->gpus);
    llmem_json_obj(&j, "cluster");
    memory_fields(&j, &e->cluster);
    llmem_json_end_obj(&j);
    llmem_json_obj(&j, "activations_parts"); /* per_gpu.activations split up */
    llmem_json_whole(&j, "layers", e->act_layers);
    llmem_json_whole(&j, "embedding", e->act_embedding);
    llmem_json_whole(&j, "output", e->act_output);
    llmem_json_whole(&j, "working", e->act_working);
    llmem_json_num(&j, "layer_units_in_flight", e->act_inflight);
    llmem_json_u64(&j, "stage", e->stage);
    llmem_json_end_obj(&j);
    llmem_json_whole(&j, "kv_bytes_per_token", e->kv_bytes_per_token);
    llmem_json_num(&j, "act_bytes_per_layer", e->act_bytes_per_layer);
    llmem_json_end_obj(&j);

    llmem_json_obj(&j, "compute");
    llmem_json_num(&j, "flops_per_token", e->flops_per_token);
    llmem_json_num(&j, "train_tokens", e->train_tokens);
    llmem_json_num(&j, "train_flops", e->train_flops);
    if (m->gpu) {
        /* unknown (no published peak FLOP/s or bandwidth): null, never 0 */
        bool peak_na = (e->warnings & LLM_WARN_PEAK_UNKNOWN) != 0;
        bool prefill_na = e->prefill_bound == LLM_BOUND_UNKNOWN || (peak_na && e->prefill_seconds <= 0);
        bool decode_na = e->decode_bound == LLM_BOUND_UNKNOWN || e->decode_tokens_per_s <= 0;
        if (peak_na && e->train_seconds <= 0)
            llmem_json_null(&j, "train_seconds");
        else
            llmem_json_num(&j, "train_seconds", e->train_seconds);
        if (prefill_na) {
            llmem_json_null(&j, "prefill_seconds");
            llmem_json_null(&j, "prefill_tokens_per_s");
        } else {
            llmem_json_num(&j, "prefill_seconds", e->prefill_seconds);
            llmem_json_num(&j, "prefill_tokens_per_s", e->prefill_tokens_per_s);
        }
        if (decode_na) {
            llmem_json_null(&j, "decode_tokens_per_s");
            llmem_json_null(&j, "decode_step_seconds");
        } else {
            llmem_json_num(&j, "decode_tokens_per_s", e->decode_tokens_per_s);
            llmem_json_num(&j, "decode_step_seconds", e->decode_step_seconds);
        }
        if (prefill_na || decode_na || e->generate_seconds <= 0)
            llmem_json_null(&j, "generate_seconds");
        else
            llmem_json_num(&j, "generate_seconds", e->generate_seconds);
        if (e->peak_flops > 0)
            llmem_json_num(&j, "peak_flops", e->peak_flops);
        else
            llmem_json_null(&j, "peak_flops");
        llmem_json_num(&j, "prefill_memory_seconds", e->prefill_memory_seconds);
        llmem_json_num(&j, "decode_memory_seconds", e->decode_memory_seconds);
    } else { /* times need a GPU */
        llmem_json_null(&j, "train_seconds");
        llmem_json_null(&j, "prefill_seconds");
        llmem_json_null(&j, "prefill_tokens_per_s");
        llmem_json_null(&j, "decode_tokens_per_s");
        llmem_json_null(&j, "decode_step_seconds");
        llmem_json_null(&j, "generate_seconds");
        llmem_json_null(&j, "peak_flops");
        llmem_json_null(&j, "prefill_memory_seconds");
        llmem_json_null(&j, "decode_memory_seconds");
    }
    llmem_json_str(&j, "train_tokens_basis",
                   e->train_tokens_basis == LLM_TOKENS_GIVEN        ? "given"
                   : e->train_tokens_basis == LLM_TOKENS_CHINCHILLA ? "chinchilla"
                                                                    : "per_billion");
    llmem_json_num(&j, "prefill_intensity", e->prefill_intensity);
    llmem_json_num(&j, "decode_intensity", e->decode_intensity);
    llmem_json_str(&j, "bound", llmem_bound_name(e->decode_bound));
    llmem_json_str(&j, "prefill_bound", llmem_bound_name(e->prefill_bound));
    llmem_json_str(&j, "decode_bound", llmem_bound_name(e->decode_bound));
    llmem_json_end_obj(&j);

    if (m->gpu)
        gpu_obj(&j, "gpu", m->gpu);
    else
        llmem_json_null(&j, "gpu");
    llmem_json_arr(&j, "fit");
    if (m->gpu) {
        fit_item(&j, &m->cfg, m->gpu);
    } else {
        for (size_t i = 0; i < m->reg.ngpus; i++) fit_item(&j, &m->cfg, &m->reg.gpus[i]);
    }
    llmem_json_end_arr(&j);
    llmem_json_warnings(&j, e->warnings);
    if (r->explain) explain_obj(&j, r);
    llmem_json_end_obj(&j);
    llmem_json_finish(&j);
}
