/* A tiny table type for enum <-> name mapping, shared by the engine's name functions. */
#ifndef LLMEM_ENGINE_NAMES_H
#define LLMEM_ENGINE_NAMES_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct llm_name_entry {
    int value;
    const char *name;
} llm_name_entry;

static inline const char *llm_name_of(const llm_name_entry *t, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v) return t[i].name;
    return "?";
}

static inline bool llm_name_parse(const llm_name_entry *t, size_t n, const char *s, int *out)
{
    if (!s) return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, s) == 0) {
            *out = t[i].value;
            return true;
        }
    return false;
}

/* Defines name/parse functions for one enum from a static table. */
#define LLM_NAMES(type, prefix, table)                                                  \
    const char *prefix##_name(type v)                                                   \
    {                                                                                   \
        return llm_name_of(table, sizeof table / sizeof table[0], (int)v);              \
    }                                                                                   \
    bool prefix##_parse(const char *s, type *out)                                       \
    {                                                                                   \
        int v;                                                                          \
        if (!llm_name_parse(table, sizeof table / sizeof table[0], s, &v)) return false; \
        *out = (type)v;                                                                 \
        return true;                                                                    \
    }
#endif
