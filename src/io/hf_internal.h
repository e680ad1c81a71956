/* Shared by the config.json importer and the Hugging Face cache scan
 * (private to src/io/hf_*). */
#ifndef LLMEM_IO_HF_INTERNAL_H
#define LLMEM_IO_HF_INTERNAL_H

#include <stddef.h>

#include "llmem/presets.h"

/* Like llm_hf_config_load() but from memory; path names the file in
 * messages and becomes the preset's source, origin and id (its directory). */
llm_code llm_hf_config_parse(const char *path, const char *data, size_t len, llm_preset *out,
                             llm_error *err);

/* A preset id ([a-z0-9][a-z0-9._-]*) from any text: lower-cased, other
 * characters become '-'. */
void llm_hf_make_id(const char *in, char *out, size_t cap);

/* The supported model_types; returns how many there are (fills up to cap). */
size_t llm_hf_supported_types(const char **out, size_t cap);

#endif
