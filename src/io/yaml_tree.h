/* A small read-only document tree over libyaml's event parser, for YAML
 * presets and JSON config files (libyaml reads JSON: a JSON object is a YAML
 * flow mapping, its keys quoted scalars, handled by the same code).
 *
 * Every node knows its 1-based line and column.  Parsing is safe against
 * hostile input: a size limit, a nesting limit, a limit on the number of
 * nodes counting every alias expansion (so a "billion laughs" file fails
 * fast), limits on anchors and aliases, and duplicate mapping keys are
 * errors.  Aliases share the anchored node (the tree is a DAG); anchors are
 * registered when their node is complete, so an alias cannot refer to its own
 * ancestor and the tree has no cycles.
 *
 * Error messages name the problem; the llm_error carries path, line and
 * column (1-based) of the offending place.
 *
 * Typical use:
 *     llm_ytree *t;
 *     if (llm_ytree_load_file("config.json", NULL, &t, err)) return err->code;
 *     const llm_ynode *root = llm_ytree_root(t);       // NULL for an empty document
 *     const llm_ynode *v = llm_ynode_get(root, "hidden_size");
 *     uint64_t h;
 *     if (v && llm_ynode_u64(t, v, "hidden_size", &h, err)) ...
 *     llm_ytree_free(t);                               // frees every node
 */
#ifndef LLMEM_IO_YAML_TREE_H
#define LLMEM_IO_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llmem/error.h"

typedef enum llm_ynode_kind {
    LLM_YNODE_SCALAR = 0,
    LLM_YNODE_SEQUENCE,
    LLM_YNODE_MAPPING
} llm_ynode_kind;

typedef struct llm_ynode llm_ynode;

typedef struct llm_ypair {
    const llm_ynode *key; /* always a scalar */
    const llm_ynode *value;
} llm_ypair;

struct llm_ynode {
    llm_ynode_kind kind;
    int line, col;       /* 1-based start of the node */
    /* scalar */
    const char *text;    /* NUL-terminated (may contain an escaped NUL: check len) */
    size_t len;
    bool quoted;         /* '...' "..." or a block scalar: never null/bool/number */
    /* sequence: items[count]; mapping: pairs[count] in document order */
    size_t count;
    const llm_ynode *const *items;
    const llm_ypair *pairs;
    size_t weight_;      /* private: nodes below, aliases expanded */
};

typedef struct llm_ylimits {
    size_t max_bytes;   /* input size (default 4 MiB) */
    unsigned max_depth; /* nested collections (default 64) */
    size_t max_nodes;   /* nodes, counting alias expansions (default 200000) */
    size_t max_aliases; /* alias uses and anchors, each (default 1000) */
} llm_ylimits;

typedef struct llm_ytree llm_ytree;

/* The defaults above. */
llm_ylimits llm_ylimits_default(void);

/* Parses one document from memory (path only names it in errors; may be
 * NULL).  `lim` NULL = defaults.  On success *out owns the tree. */
llm_code llm_ytree_parse(const char *path, const char *data, size_t len, const llm_ylimits *lim,
                         llm_ytree **out, llm_error *err);
/* Reads the file (refusing anything above lim->max_bytes without reading it
 * all) and parses it. */
llm_code llm_ytree_load_file(const char *path, const llm_ylimits *lim, llm_ytree **out,
                             llm_error *err);
void llm_ytree_free(llm_ytree *t);

/* The document's root; NULL when the input holds no document (empty file or
 * only comments). */
const llm_ynode *llm_ytree_root(const llm_ytree *t);
const char *llm_ytree_path(const llm_ytree *t);

/* Mapping lookup by key text; NULL if absent or `map` is not a mapping. */
const llm_ynode *llm_ynode_get(const llm_ynode *map, const char *key);

/* A plain null: ~, null, Null, NULL or an empty plain scalar. */
bool llm_ynode_is_null(const llm_ynode *n);
/* "scalar", "sequence", "mapping" ("null" for a null scalar), for messages. */
const char *llm_ynode_kind_name(const llm_ynode *n);

/* Typed reads.  Each fails with LLM_ERR_SCHEMA (wrong type) or LLM_ERR_RANGE
 * and an error at the node's position whose message starts with `what`.
 *   u64:    a plain non-negative decimal integer without leading zeros, at
 *           most 2^63-1 (4096.0, 1e3, "4096" are refused: use double)
 *   double: a plain decimal number, optionally signed, exponent allowed,
 *           correctly rounded and independent of the locale
 *   bool:   plain true or false (also True/TRUE/False/FALSE)
 *   string: any non-null scalar; copied into buf (error if it does not fit or
 *           contains a NUL or control character) */
llm_code llm_ynode_u64(const llm_ytree *t, const llm_ynode *n, const char *what, uint64_t *out,
                       llm_error *err);
llm_code llm_ynode_double(const llm_ytree *t, const llm_ynode *n, const char *what, double *out,
                          llm_error *err);
llm_code llm_ynode_bool(const llm_ytree *t, const llm_ynode *n, const char *what, bool *out,
                        llm_error *err);
llm_code llm_ynode_string(const llm_ytree *t, const llm_ynode *n, const char *what, char *buf,
                          size_t cap, llm_error *err);

/* Fills *err (may be NULL) with an error at the node's position (path from
 * the tree; n may be NULL for no position) and returns code. */
llm_code llm_ynode_error(llm_error *err, const llm_ytree *t, const llm_ynode *n, llm_code code,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
