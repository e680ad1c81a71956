/* MODEL and SETTINGS: the registry, the chosen shape (preset, YAML file or
 * Hugging Face config.json) and the --set / --gpu / --gpus overrides, applied
 * in that order. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define DEFAULT_PRESET "llama-3-8b"

const char *llmem_cli_source_name(llmem_model_source s)
{
    switch (s) {
    case LLMEM_SRC_CONFIG:
        return "config";
    case LLMEM_SRC_HF_CONFIG:
        return "hf-config";
    default:
        return "preset";
    }
}

int llmem_cli_registry(const llmem_cli_args *a, llm_registry *reg, bool scan_hf)
{
    llm_error err;
    llm_registry_init(reg);
    if (llm_registry_load_default(reg, NULL, &err) != LLM_OK) {
        llmem_cli_report(&err);
        llm_registry_free(reg);
        return LLMEM_EXIT_INPUT;
    }
    /* A broken file on the search path is skipped, and said so; a broken file
     * in a directory the user named is an error. */
    for (size_t i = 0; i < reg->nproblems; i++) {
        fputs("llmem: warning: skipped ", stderr);
        llmem_cli_report(&reg->problems[i]);
    }
    if (a->presets_dir && llm_registry_load_dir(reg, a->presets_dir, &err) != LLM_OK) {
        llmem_cli_report(&err);
        llm_registry_free(reg);
        return LLMEM_EXIT_INPUT;
    }
    if (scan_hf) (void)llm_registry_scan_hf_cache(reg, &err); /* best effort: a cache is optional */
    return LLMEM_EXIT_OK;
}

/* --config FILE [--preset ID]: a preset file (the schema of the files in
 * presets/), loaded into the full registry so that its workload may name any
 * precision or GPU of the catalogues and search path (and any the file itself
 * defines); its presets override same-id ones.  The presets that came from
 * the file are those whose origin is the file. */
static int load_config_file(const llmem_cli_args *a, llmem_cli_model *m)
{
    llm_registry *reg = &m->reg;
    llm_error err;
    if (llm_registry_load_file(reg, a->config, &err) != LLM_OK) {
        llmem_cli_report(&err);
        return LLMEM_EXIT_INPUT;
    }
    const llm_preset *only = NULL, *named = NULL;
    size_t n = 0;
    char ids[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < reg->npresets; i++) {
        const llm_preset *p = &reg->presets[i];
        if (strncmp(p->origin, a->config, sizeof p->origin - 1) != 0) continue;
        n++;
        only = p;
        if (a->preset && strcmp(p->id, a->preset) == 0) named = p;
        if (len < sizeof ids) {
            int k = snprintf(ids + len, sizeof ids - len, "%s%s", len ? " " : "", p->id);
            if (k > 0) len += (size_t)k;
        }
    }
    if (n == 0) {
        llmem_cli_error("%s: no presets in the file", a->config);
        return LLMEM_EXIT_INPUT;
    }
    if (a->preset) {
        if (!named) {
            llmem_cli_error("--preset: no preset '%s' in %s", a->preset, a->config);
            return LLMEM_EXIT_USAGE;
        }
        m->preset = *named;
    } else if (n > 1) {
        llmem_cli_error("%s holds %zu presets; choose one with --preset ID (%s)", a->config, n,
                        ids);
        return LLMEM_EXIT_USAGE;
    } else {
        m->preset = *only;
    }
    return LLMEM_EXIT_OK;
}

static int choose_preset(const llmem_cli_args *a, llmem_cli_model *m)
{
    const char *id = a->preset ? a->preset : DEFAULT_PRESET;
    const llm_preset *p = llm_registry_find(&m->reg, id);
    if (!p && !m->hf_scanned) { /* maybe a model in the local Hugging Face cache */
        llm_error err;
        (void)llm_registry_scan_hf_cache(&m->reg, &err);
        m->hf_scanned = true;
        p = llm_registry_find(&m->reg, id);
    }
    if (!p) {
        llmem_cli_error("unknown preset '%s' (see 'llmem presets')", id);
        return LLMEM_EXIT_USAGE;
    }
    m->preset = *p;
    return LLMEM_EXIT_OK;
}

int llmem_cli_model_gpu(llmem_cli_model *m)
{
    m->gpu = NULL;
    if (!m->cfg.gpu[0] || strcmp(m->cfg.gpu, "none") == 0) return LLMEM_EXIT_OK;
    m->gpu = llm_registry_find_gpu(&m->reg, m->cfg.gpu);
    if (!m->gpu) {
        llmem_cli_error("gpu: unknown GPU '%s' (see 'llmem gpus')", m->cfg.gpu);
        return LLMEM_EXIT_USAGE;
    }
    return LLMEM_EXIT_OK;
}

static int apply(llmem_cli_model *m, const char *key, const char *value)
{
    llm_error err;
    if (llm_setting_apply(&m->cfg, &m->reg, key, value, &err) != LLM_OK) {
        llmem_cli_report(&err);
        return LLMEM_EXIT_USAGE;
    }
    return LLMEM_EXIT_OK;
}

int llmem_cli_model_load(const llmem_cli_args *a, llmem_cli_model *m)
{
    memset(m, 0, sizeof *m);
    int rc = llmem_cli_registry(a, &m->reg, false);
    if (rc) return rc;
    llm_error err;
    if (a->hf_config) {
        m->source = LLMEM_SRC_HF_CONFIG;
        if (llm_hf_config_load(a->hf_config, &m->preset, &err) != LLM_OK) {
            llmem_cli_report(&err);
            rc = LLMEM_EXIT_INPUT;
        }
    } else if (a->config) {
        m->source = LLMEM_SRC_CONFIG;
        rc = load_config_file(a, m);
    } else {
        m->source = LLMEM_SRC_PRESET;
        rc = choose_preset(a, m);
    }
    if (rc) goto fail;
    llm_config_from_preset(&m->cfg, &m->preset);
    if (llm_config_resolve_teacher(&m->cfg, &m->reg, &err) != LLM_OK) {
        llmem_cli_report(&err);
        rc = m->source == LLMEM_SRC_PRESET ? LLMEM_EXIT_USAGE : LLMEM_EXIT_INPUT;
        goto fail;
    }

    for (size_t i = 0; i < a->nsets; i++) {
        char key[64], value[256];
        if (llm_setting_split(a->sets[i], key, sizeof key, value, sizeof value, &err) != LLM_OK) {
            llmem_cli_report(&err);
            rc = LLMEM_EXIT_USAGE;
            goto fail;
        }
        if ((rc = apply(m, key, value)) != 0) goto fail;
        const llm_setting_info *info = llm_setting_find(key);
        if (info && info->group == LLM_SETTING_SHAPE) m->shape_set = true;
    }
    if (a->gpu && (rc = apply(m, "gpu", a->gpu)) != 0) goto fail;
    if (a->gpus && (rc = apply(m, "gpus", a->gpus)) != 0) goto fail;
    if ((rc = llmem_cli_model_gpu(m)) != 0) goto fail;
    /* An impossible configuration is then the file's fault (exit 3), not the
     * command line's (exit 2). */
    m->file_as_is = m->source != LLMEM_SRC_PRESET && a->nsets == 0 && !a->gpu && !a->gpus;
    return LLMEM_EXIT_OK;
fail:
    llmem_cli_model_free(m);
    return rc;
}

void llmem_cli_model_free(llmem_cli_model *m)
{
    llm_registry_free(&m->reg);
    m->gpu = NULL;
}
