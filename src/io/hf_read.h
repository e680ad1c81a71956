/* Typed reads of config.json keys (private to src/io/hf_*).
 *
 * config.json is read with the shared libyaml tree (io/yaml_tree.h: limits on
 * size, depth and nodes; duplicate keys are errors).  This layer types the
 * scalars the JSON way - a quoted scalar is a string; a plain one is null,
 * true/false, an integer or another number - and reads keys with the
 * importer's rules: an error names the key and carries its line and column.
 */
#ifndef LLMEM_IO_HF_READ_H
#define LLMEM_IO_HF_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/yaml_tree.h"
#include "llmem/presets.h"

typedef enum hf_kind {
    HF_NULL = 0,
    HF_BOOL,
    HF_INT,    /* -?digits */
    HF_NUMBER, /* any other number (1e-05, 0.5, 4096.0), also NaN/Infinity */
    HF_STRING,
    HF_OBJECT,
    HF_ARRAY
} hf_kind;

/* NULL (an absent node) is HF_NULL. */
hf_kind llm_hf_kind(const llm_ynode *n);
const char *llm_hf_kind_name(hf_kind k); /* "null", "a boolean", "an integer", ... */
/* Object member by key; NULL when absent (or obj is not a mapping).  *key_out
 * (may be NULL) receives the key node, for error positions. */
const llm_ynode *llm_hf_get(const llm_ynode *obj, const char *key, const llm_ynode **key_out);

/* One import: the file, its root object, where errors go, notes gathered. */
typedef struct hf_ctx {
    const char *path;
    const llm_ynode *root;
    llm_error *err;
    bool nested; /* root is a composite model's text_config (see hf_families.c) */
    char notes[LLM_TEXT_MAX];
} hf_ctx;

/* A looked-up key: the first present of "a|b|c" (val and key NULL when none
 * is; name is then the first alternative). */
typedef struct hf_field {
    const llm_ynode *val, *key;
    char name[64];
} hf_field;

#if defined(__GNUC__)
#define HF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HF_PRINTF(a, b)
#endif

#define HF_TRY(expr)                                                                               \
    do {                                                                                           \
        llm_code rc_ = (expr);                                                                     \
        if (rc_ != LLM_OK) return rc_;                                                             \
    } while (0)

/* An error at node n (NULL: no position) in c->path. */
llm_code llm_hf_fail(hf_ctx *c, const llm_ynode *n, llm_code code, const char *fmt, ...)
    HF_PRINTF(4, 5);
/* Appends a sentence to the notes (cut when full). */
void llm_hf_note(hf_ctx *c, const char *fmt, ...) HF_PRINTF(2, 3);

hf_field llm_hf_field_in(const llm_ynode *obj, const char *names);
hf_field llm_hf_field(hf_ctx *c, const char *names); /* in the root object */
bool llm_hf_present(const hf_field *f);              /* there and not null */

/* Sizes: non-negative integers up to 2^40, at least `min`.  Optional ones
 * keep *out (the family default) when absent or null; *given (may be NULL)
 * says whether a value was read.  Required ones must be there, at least 1. */
llm_code llm_hf_size_opt(hf_ctx *c, const char *names, uint64_t min, uint64_t *out, bool *given);
llm_code llm_hf_size_req(hf_ctx *c, const char *names, uint64_t *out);
/* true/false; absent or null keeps *out. */
llm_code llm_hf_bool_opt(hf_ctx *c, const char *names, bool *out);
/* A string; absent or null keeps *out.  *key (may be NULL) gets the key node. */
llm_code llm_hf_str_opt_in(hf_ctx *c, const llm_ynode *obj, const char *names, const char **out,
                           const llm_ynode **key);
llm_code llm_hf_str_opt(hf_ctx *c, const char *names, const char **out, const llm_ynode **key);

/* Families (hf_families.c). */
typedef struct hf_family {
    const char *type;   /* model_type */
    const char *family; /* preset family */
    llm_code (*map)(hf_ctx *, llm_model *);
} hf_family;
const hf_family *llm_hf_family_find(const char *model_type);
/* An unknown type with hidden_size, num_hidden_layers, num_attention_heads,
 * intermediate_size and vocab_size: true and a Llama-like import. */
bool llm_hf_has_generic_keys(hf_ctx *c);
llm_code llm_hf_map_generic(hf_ctx *c, llm_model *m);
/* The error for an unknown (or missing, type NULL) model_type. */
llm_code llm_hf_unknown_type(hf_ctx *c, const llm_ynode *at, const char *type);

/* Composite (multimodal) model_types whose text model is imported from a
 * nested config: the key holding it and the text model_type when the nested
 * config names none; NULL when `type` is not composite. */
typedef struct hf_composite {
    const char *type, *key, *text_type, *left_out;
} hf_composite;
const hf_composite *llm_hf_composite_find(const char *type);

/* torch_dtype and quantization_config into p->workload (hf_precision.c). */
llm_code llm_hf_read_precision(hf_ctx *c, llm_preset *p);

#endif
