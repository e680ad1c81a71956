/* llmem — writing an output file safely.
 *
 * llm_write_file_atomic() writes `len` bytes so that a reader never sees half
 * a file and a failure never leaves a temporary file behind:
 *
 *  - a symbolic link is followed (a chain of them too): the file it points to
 *    is replaced, the link stays a link; a dangling link gets its target
 *    created;
 *  - a regular file (or a new one) is written to a temporary file in the
 *    target's own directory, fsync'd, then renamed over the target (or
 *    hard-linked into place when overwrite is false, so an existing file can
 *    never be replaced by a race); an existing file keeps its permission bits,
 *    a new one gets 0666 minus the umask;
 *  - anything that exists and is not a regular file (a character device such
 *    as /dev/null or a tty, a FIFO, a pipe reached through /dev/stdout ->
 *    /proc/self/fd/1), and any file reached through /proc, is written in place
 *    without a rename;
 *  - an existing regular file is not touched unless overwrite is true
 *    (LLM_ERR_EXISTS); writing into a device or FIFO is not a replacement and
 *    is allowed either way;
 *  - a directory is an error (LLM_ERR_IO), as is any system-call failure, with
 *    the path and strerror() in the message.
 *
 * Returns LLM_OK or an error code; never prints.  POSIX only.
 */
#ifndef LLMEM_ATOMIC_FILE_H
#define LLMEM_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "llmem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

llm_code llm_write_file_atomic(const char *path, const void *data, size_t len, bool overwrite,
                               llm_error *err);

#ifdef __cplusplus
}
#endif
#endif
