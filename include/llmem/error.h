/* llmem — errors are values.
 *
 * Every fallible call takes an `llm_error *err` (may be NULL) and returns an
 * `llm_code`.  On failure the struct says what went wrong and, for input files,
 * where (path, 1-based line and column; 0 when not applicable).  Nothing in the
 * library prints: the caller decides how to show an error.
 */
#ifndef LLMEM_ERROR_H
#define LLMEM_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum llm_code {
    LLM_OK = 0,
    LLM_ERR_INVALID,  /* an impossible shape or setting (heads not dividing hidden, ...) */
    LLM_ERR_RANGE,    /* a value outside its allowed range */
    LLM_ERR_OVERFLOW, /* a count that would not fit in 64 bits */
    LLM_ERR_IO,       /* a file could not be read or written */
    LLM_ERR_PARSE,    /* malformed YAML/JSON */
    LLM_ERR_SCHEMA,   /* well-formed file with unknown keys, wrong types, duplicates */
    LLM_ERR_LIMIT,    /* a hostile-input limit was hit (size, depth, aliases) */
    LLM_ERR_NOTFOUND, /* a preset/GPU/dtype id that does not exist */
    LLM_ERR_USAGE,    /* bad command-line usage */
    LLM_ERR_NOMEM,
    LLM_ERR_EXISTS    /* refusing to overwrite an existing file */
} llm_code;

#define LLM_ERROR_MSG_MAX 1024
#define LLM_ERROR_PATH_MAX 512

typedef struct llm_error {
    llm_code code;
    char message[LLM_ERROR_MSG_MAX];
    char path[LLM_ERROR_PATH_MAX]; /* "" when not about a file */
    int line;                      /* 1-based; 0 = not applicable */
    int col;                       /* 1-based; 0 = not applicable */
} llm_error;

/* Fills *err (if non-NULL) and returns `code`.  printf-style message. */
llm_code llm_error_set(llm_error *err, llm_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Same, with a file position. */
llm_code llm_error_set_at(llm_error *err, llm_code code, const char *path, int line, int col,
                          const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

void llm_error_clear(llm_error *err);

/* A short stable name for a code ("invalid", "overflow", ...). */
const char *llm_code_name(llm_code code);

#ifdef __cplusplus
}
#endif
#endif
