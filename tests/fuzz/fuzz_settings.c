/* libFuzzer target: the KEY=VALUE setting parser of --set, presets'
 * workload maps and the explorer's typed entry.
 *
 * Input: text "KEY=VALUE" (the first line; further lines are more settings
 * applied in turn).  Checks, for every setting accepted:
 *  - llm_setting_format() gives text that llm_setting_apply() accepts and
 *    that formats back to the same text (the round trip save relies on);
 *  - the engine either refuses the resulting config or gives finite,
 *    non-negative figures.
 * A rejected setting must leave the config unchanged (settings.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "llmem/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Llama-3-8B (Meta's config.json), the shape the settings act on. */
static void base_config(llm_config *c)
{
    llm_config_default(c);
    llm_model *m = &c->model;
    m->layers = 32;
    m->hidden = 4096;
    m->heads = 32;
    m->kv_heads = 8;
    m->ffn = 14336;
    m->ffn_kind = LLM_FFN_GATED;
    m->vocab = 128256;
    m->pos = LLM_POS_ROTARY;
    m->max_seq = 8192;
    m->norm = LLM_NORM_RMSNORM;
    m->norms_per_layer = 2;
    m->final_norm = true;
}

static void apply_line(llm_config *c, const char *line)
{
    char key[256], value[1024];
    llm_error err;
    if (llm_setting_split(line, key, sizeof key, value, sizeof value, &err) != LLM_OK) return;

    llm_config before = *c;
    if (llm_setting_apply(c, NULL, key, value, &err) != LLM_OK) {
        if (err.message[0] == 0) fuzz_fail("setting error without a message", 0);
        if (memcmp(&before, c, sizeof before) != 0) fuzz_fail("rejected setting changed config", 0);
        return;
    }
    char text[1024], again[1024];
    llm_setting_format(c, key, text, sizeof text);
    llm_config copy = *c;
    if (llm_setting_apply(&copy, NULL, key, text, &err) != LLM_OK) {
        fprintf(stderr, "key '%s' value '%s' formats as '%s', which is rejected: %s\n", key, value,
                text, err.message);
        abort();
    }
    llm_setting_format(&copy, key, again, sizeof again);
    if (strcmp(text, again) != 0) {
        fprintf(stderr, "key '%s': '%s' -> '%s' -> '%s'\n", key, value, text, again);
        abort();
    }
    fuzz_check_config(&c->model, &c->workload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;

    llm_config c;
    base_config(&c);
    char *save = NULL;
    for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        apply_line(&c, line);
    free(s);
    return 0;
}
