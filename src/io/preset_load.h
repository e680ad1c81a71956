/* Loading preset/catalogue files into a registry (private to src/io). */
#ifndef LLMEM_IO_PRESET_LOAD_H
#define LLMEM_IO_PRESET_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/presets.h"

typedef struct llm_source_file {
    const char *path;   /* named in messages; read from disk when data is NULL */
    const char *origin; /* recorded in each preset's `origin` */
    const char *data;   /* in-memory contents, or NULL */
    size_t len;
    void *tree_;        /* private */
} llm_source_file;

/* Loads a group of files that form one source (a directory, the built-in
 * set).  Files that define GPUs or precisions are applied first, so presets
 * in the same source may name them.  Each file is all-or-nothing: a file with
 * an error adds nothing and its first error goes to r->problems.  Returns the
 * first problem (also in *err), LLM_OK when every file loaded, or
 * LLM_ERR_NOMEM. */
llm_code llm_load_sources(llm_registry *r, llm_source_file *files, size_t n, llm_error *err);

/* The name in `names` closest to `key` (edit distance at most 2, or a name
 * that starts `key`), for "did you mean"; NULL if none. */
const char *llm_closest_name(const char *key, const char *const *names, size_t n);

/* The model field table shared by the loader and the writer. */
typedef enum llm_field_kind { LLM_FIELD_U64, LLM_FIELD_U32, LLM_FIELD_BOOL, LLM_FIELD_ENUM } llm_field_kind;

typedef struct llm_model_field {
    const char *name;
    llm_field_kind kind;
    size_t offset;
    uint64_t max;                /* U64/U32 */
    const char *const *choices;  /* ENUM: names, index == enum value */
} llm_model_field;

const llm_model_field *llm_model_fields(size_t *count);
uint64_t llm_model_field_get(const llm_model *m, const llm_model_field *f);
void llm_model_field_set(llm_model *m, const llm_model_field *f, uint64_t v);
/* Field-by-field equality (padding ignored). */
bool llm_model_equal(const llm_model *a, const llm_model *b);
/* The model a preset starts from: every field at its schema default. */
void llm_model_schema_default(llm_model *m);

#endif
