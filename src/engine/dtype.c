/* Plain dtype values. */
#include <string.h>

#include "llmem/catalog.h"

llm_dtype llm_dtype_make(const char *name, double bytes, bool is_float)
{
    llm_dtype d;
    memset(&d, 0, sizeof d);
    size_t n = strlen(name);
    if (n >= sizeof d.name) n = sizeof d.name - 1;
    memcpy(d.name, name, n);
    d.bytes = bytes;
    d.bits = bytes * 8.0;
    d.is_float = is_float;
    return d;
}
