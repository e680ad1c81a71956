/* llmem — settings: one KEY=VALUE vocabulary for the command line (--set),
 * the `workload:` maps of presets and the explorer's typed entry.
 *
 * A configuration is a model shape, a workload and a GPU id.  Each setting key
 * (the slider names) changes one part of it; llm_setting_format() prints the
 * current value back in the form llm_setting_apply() accepts, so a value
 * survives format -> apply unchanged (save relies on this).
 *
 * Value syntax:
 *   counts (seq, batch, tokens, layers, ...): plain integers, a binary suffix
 *     k = 2^10, M = 2^20, G = 2^30 (8k = 8192, 128k = 131072, 1.5k = 1536 when
 *     whole), or exponent form 1e6 = 1,000,000 / 2.5e9 (must be whole);
 *     underscores and commas as digit separators are accepted (1_000_000).
 *   byte sizes (overhead): an integer with an optional unit B, KiB, MiB, GiB,
 *     TiB, PiB (powers of 2) or KB, MB, GB, TB, PB (powers of 10): 512MiB,
 *     1GiB, 1GB.
 *   on/off settings: on off (also true false yes no 1 0).
 *   fractions (sparsity, mfu, fragmentation): a decimal 0..1 or a percentage "40%".
 *   dtypes: a name from the registry's precision catalogue, else a built-in
 *     (fp32 tf32 fp16 bf16 fp8 int8 int4 nf4).
 * Negative numbers, junk after a number and values above 2^63 are rejected.
 */
#ifndef LLMEM_SETTINGS_H
#define LLMEM_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/catalog.h"
#include "llmem/error.h"
#include "llmem/model.h"
#include "llmem/presets.h"
#include "llmem/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the user is looking at: a shape, what is done with it, and on which GPU. */
typedef struct llm_config {
    llm_model model;
    llm_workload workload;
    char gpu[LLM_ID_MAX]; /* registry GPU id; "" = none */
    /* The distillation teacher's preset id ("" = none).  workload.has_teacher
     * and workload.teacher hold its shape once resolved through a registry. */
    char teacher[LLM_ID_MAX];
    /* The weights dtype before mode=qlora made them nf4 (name "" = none):
     * leaving qlora restores it (see llm_setting_apply). */
    llm_dtype weights_before_qlora;
} llm_config;

/* Zeroed model (callers pick a preset), llm_workload_default(), no GPU. */
void llm_config_default(llm_config *c);

/* A config from a preset: its model, its workload (or the default) and GPU. */
void llm_config_from_preset(llm_config *c, const llm_preset *p);

/* A preset holding c, for saving: metadata from `base` (may be NULL: family
 * "user", illustrative with analogue "configuration saved from llmem"), id
 * and name when given (NULL = base's), model/workload/GPU from c.  The
 * published count is kept only when the model is base's unchanged. */
void llm_preset_from_config(llm_preset *out, const llm_preset *base, const llm_config *c,
                            const char *id, const char *name);

typedef enum llm_setting_group {
    LLM_SETTING_SHAPE = 0, /* changes config.model */
    LLM_SETTING_WORKLOAD   /* changes config.workload or config.gpu */
} llm_setting_group;

typedef enum llm_setting_kind {
    LLM_SETTING_COUNT = 0, /* integer with k/M/G suffixes or exponent form */
    LLM_SETTING_BYTES,     /* byte size with a unit */
    LLM_SETTING_CHOICE,    /* one of `choices` */
    LLM_SETTING_SWITCH,    /* on / off */
    LLM_SETTING_FRACTION,  /* 0..1 or a percentage */
    LLM_SETTING_DTYPE,     /* precision name */
    LLM_SETTING_GPU,       /* GPU id from the registry, or "none" */
    LLM_SETTING_PRESET     /* preset id from the registry, or "none" (teacher) */
} llm_setting_kind;

/* Static description of one key.  All strings are static. */
typedef struct llm_setting_info {
    const char *key;           /* "seq" */
    llm_setting_group group;
    llm_setting_kind kind;
    const char *accepted;      /* accepted values as text: "1..1048576 (8k, 128k, 1e6)", "on off" */
    const char *help;          /* one line for --help */
    const char *const *choices; /* NULL-terminated list for CHOICE and SWITCH; NULL otherwise */
    uint64_t min, max;         /* COUNT: inclusive range */
} llm_setting_info;

/* The keys in display order (shape keys first). */
size_t llm_setting_count(void);
const llm_setting_info *llm_setting_at(size_t i);
/* NULL when the key is unknown. */
const llm_setting_info *llm_setting_find(const char *key);

/* Applies one setting.  `r` may be NULL: dtypes then come from the built-in
 * table and any syntactically valid GPU id is accepted.  On error the config
 * is unchanged and the message names the key and the accepted values (or, for
 * an unknown key, the known keys).  No file position is set.
 * Settings apply in the order given: each sees the result of the previous ones.
 *
 * mode=qlora also makes the weights nf4 (the registry's, else the built-in
 * 0.5625 B) when the current weights dtype has 8 or more bits, so that
 * `mode=qlora` alone gives QLoRA's NF4 base; a 4-bit format already set is
 * kept, and a `weights=` applied afterwards wins.  Leaving qlora for another
 * mode with nf4 weights restores the weights dtype mode=qlora replaced, or
 * bf16 when it is not known (a preset saved in qlora mode); again a later
 * `weights=` wins.
 *
 * gpus=N sets dp = N / (tp x pp) (an error naming tp x pp when N is not a
 * multiple of it) and leaves workload.gpus at 0, so the GPU count always
 * follows tp x pp x dp; gpus=0 changes nothing.  Apply tp and pp first.
 *
 * teacher=ID (distillation) looks the preset up in `r`: workload.has_teacher,
 * workload.teacher = its shape, and workload.teacher_weights = the current
 * weights dtype (teacher_weights= afterwards overrides it); teacher=none
 * clears it.  With r NULL the id is only recorded (config.teacher) and
 * resolved later (llm_config_resolve_teacher). */
llm_code llm_setting_apply(llm_config *c, const llm_registry *r, const char *key,
                           const char *value, llm_error *err);

/* Resolves config.teacher through r (after llm_config_from_preset, whose
 * preset named a teacher that was not known when it loaded): LLM_ERR_NOTFOUND
 * when r has no such preset; LLM_OK when there is no teacher or it is
 * resolved already. */
llm_code llm_config_resolve_teacher(llm_config *c, const llm_registry *r, llm_error *err);

/* Splits "KEY=VALUE" (spaces around both trimmed) into the caller's buffers. */
llm_code llm_setting_split(const char *text, char *key, size_t key_cap, char *value,
                           size_t value_cap, llm_error *err);
/* llm_setting_split + llm_setting_apply. */
llm_code llm_setting_apply_text(llm_config *c, const llm_registry *r, const char *text,
                                llm_error *err);

/* The current value of `key` in c as text that llm_setting_apply accepts
 * ("8192", "bf16", "on", "1GiB", "0.4").  Always NUL-terminates; returns the
 * length it wanted (snprintf), or 0 with buf = "" for an unknown key. */
size_t llm_setting_format(const llm_config *c, const char *key, char *buf, size_t cap);

/* "layers, hidden, heads, ..." (all keys, comma separated), for messages. */
size_t llm_setting_keys_text(char *buf, size_t cap);

/* ---- value parsers, shared with the CLI ---------------------------------- */
/* Counts: "8192", "8k", "128k", "1M", "1e6", "2.5e9", "1_000". */
llm_code llm_parse_count(const char *s, uint64_t *out, llm_error *err);
/* Byte sizes: "0", "512MiB", "1GiB", "1GB", "1.5GiB" (whole bytes only). */
llm_code llm_parse_bytes(const char *s, uint64_t *out, llm_error *err);
/* on/off/true/false/yes/no/1/0. */
llm_code llm_parse_switch(const char *s, bool *out, llm_error *err);
/* "0.4", "40%": a value in [0, 1]. */
llm_code llm_parse_fraction(const char *s, double *out, llm_error *err);
/* Bytes as the largest exact binary unit: 1073741824 -> "1GiB", 1000 -> "1000B"... */
size_t llm_format_bytes_exact(uint64_t bytes, char *buf, size_t cap);

/* ---- precisions ---------------------------------------------------------- */
/* Looks a precision up: the registry's catalogue first (r may be NULL), then
 * the built-in table.  LLM_ERR_NOTFOUND names the known formats. */
llm_code llm_dtype_lookup(const llm_registry *r, const char *name, llm_dtype *out, llm_error *err);
/* The built-in table: fp32 tf32 fp16 bf16 fp8 int8 int4 nf4. */
const llm_dtype *llm_dtype_builtin(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
