/* llmem — presets, catalogues and model files (the io layer).
 *
 * Loaders turn files into engine structs and never print.  A registry owns
 * everything it loaded; llm_registry_free() releases it.  A bad file is
 * recorded in registry->problems and the other files still load.
 *
 * Search path (later overrides earlier for the same id):
 *   1. presets compiled into the binary (generated from presets/ at build time)
 *   2. the installed data directory (LLMEM_DATADIR/presets)
 *   3. $XDG_CONFIG_HOME/llmem/presets/  (~/.config/llmem/presets/)
 *   4. --presets DIR
 */
#ifndef LLMEM_PRESETS_H
#define LLMEM_PRESETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/catalog.h"
#include "llmem/error.h"
#include "llmem/model.h"
#include "llmem/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LLM_TEXT_MAX 1024

typedef struct llm_preset {
    char id[LLM_ID_MAX];       /* "llama-3-8b" */
    char name[LLM_NAME_MAX];   /* "Llama-3-8B" */
    char family[LLM_ID_MAX];   /* "llama", "gpt", "gemini-class", "claude-class", "hf-cache" */
    bool published;            /* the maker published this shape; false = illustrative */
    char analogue[LLM_NAME_MAX]; /* illustrative presets: public models the numbers are drawn from */
    char source[LLM_TEXT_MAX];
    char notes[LLM_TEXT_MAX];
    llm_model model;
    bool has_workload;     /* the preset carried a default workload */
    llm_workload workload; /* llm_workload_default() with the preset's overrides */
    char gpu[LLM_ID_MAX];  /* the workload's `gpu:` (a registry GPU id); "" = none */
    char teacher[LLM_ID_MAX]; /* the workload's `teacher:` (a preset id); "" = none.
                                 workload.teacher holds its shape once the registry
                                 knows that preset (resolved after each load) */
    uint64_t params_published; /* 0 = none published */
    bool params_exact;         /* the published count is exact (not rounded) */
    char origin[LLM_ERROR_PATH_MAX]; /* "builtin:llama.yaml", a path, "hf-cache:<dir>" */
} llm_preset;

typedef struct llm_registry {
    llm_preset *presets;
    size_t npresets;
    llm_gpu *gpus;
    size_t ngpus;
    llm_dtype *dtypes;
    size_t ndtypes;
    llm_error *problems; /* files that failed to load, in order */
    size_t nproblems;
    size_t cap_presets_, cap_gpus_, cap_dtypes_, cap_problems_; /* private */
} llm_registry;

void llm_registry_init(llm_registry *r);
void llm_registry_free(llm_registry *r);

/* The whole search path above; extra_dir may be NULL.  Problems are recorded,
 * not returned: the call fails only when memory runs out.  Missing default
 * directories are skipped silently; a missing extra_dir is a problem.  The
 * Hugging Face cache is not scanned here (llm_registry_scan_hf_cache).
 * Within one source, files defining `gpus:` or `precisions:` load first, so
 * presets may name them; each file is all-or-nothing. */
llm_code llm_registry_load_default(llm_registry *r, const char *extra_dir, llm_error *err);
/* Single sources (each records problems in r and also returns the first). */
llm_code llm_registry_load_builtin(llm_registry *r, llm_error *err);
llm_code llm_registry_load_dir(llm_registry *r, const char *dir, llm_error *err);
llm_code llm_registry_load_file(llm_registry *r, const char *path, llm_error *err);
/* Parse one YAML document from memory (path is only used in messages). */
llm_code llm_registry_load_buffer(llm_registry *r, const char *path, const char *data, size_t len,
                                  llm_error *err);

/* Adds an entry, or replaces the one with the same id/name (a later source
 * overrides an earlier one; the entry keeps its place in the list).  The
 * caller fills p->origin.  Fails only on a missing id or out of memory. */
llm_code llm_registry_add_preset(llm_registry *r, const llm_preset *p, llm_error *err);
llm_code llm_registry_add_gpu(llm_registry *r, const llm_gpu *g, llm_error *err);
llm_code llm_registry_add_dtype(llm_registry *r, const llm_dtype *d, llm_error *err);
/* Records a problem (a file that did not load) in r->problems. */
llm_code llm_registry_add_problem(llm_registry *r, const llm_error *problem);

const llm_preset *llm_registry_find(const llm_registry *r, const char *id);
const llm_gpu *llm_registry_find_gpu(const llm_registry *r, const char *id);
const llm_dtype *llm_registry_find_dtype(const llm_registry *r, const char *name);

/* A Hugging Face config.json (a file, or a model directory holding one). */
llm_code llm_hf_config_load(const char *path, llm_preset *out, llm_error *err);
/* Adds models found in the local Hugging Face cache as family "hf-cache". */
llm_code llm_registry_scan_hf_cache(llm_registry *r, llm_error *err);

/* Writes a preset file that loads back identically; via a temporary file and
 * rename; refuses to replace an existing file unless overwrite is true
 * (LLM_ERR_EXISTS, the file untouched).  Every model field is written, and
 * the workload (when has_workload) as settings, the distillation teacher as
 * `teacher: ID`.  Not saved: `origin`, and a teacher given only as a shape
 * without a preset id (the file says so in a comment). */
llm_code llm_preset_save(const char *path, const llm_preset *p, bool overwrite, llm_error *err);
/* The same YAML text in a malloc'd, NUL-terminated buffer (caller frees). */
llm_code llm_preset_to_yaml(const llm_preset *p, char **out, size_t *len, llm_error *err);

/* "path:line:col: message" and, when the file can be read, the offending line
 * and a caret under the column ("builtin:NAME" paths are read from the
 * presets compiled in).  Always NUL-terminates; returns the length it wanted
 * (snprintf). */
size_t llm_error_format(const llm_error *err, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
