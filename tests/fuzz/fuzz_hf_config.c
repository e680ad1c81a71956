/* libFuzzer target: the Hugging Face config.json importer.
 *
 * llm_hf_config_load() takes a path (there is no buffer entry point), so each
 * input is written to one temporary file (created once, rewritten in place).  Then the engine runs on
 * the imported shape with the default workload.
 * Seeds: tests/fixtures/reference/hf-configs and the importer's fixtures. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "llmem/presets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

static void remove_temp(void)
{
    if (path[0]) unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* tmpfs when there is one: a disk file rewritten a million times is slow. */
    snprintf(path, sizeof path, "%s/llmem-fuzz-hf-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    atexit(remove_temp);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) abort();

    llm_preset *p = calloc(1, sizeof *p);
    if (!p) return 0;
    llm_error err;
    llm_code rc = llm_hf_config_load(path, p, &err);
    if (rc != LLM_OK) {
        if (err.message[0] == 0) fuzz_fail("import error without a message", 0);
        char buf[1024];
        llm_error_format(&err, buf, sizeof buf);
    } else {
        llm_workload w;
        llm_workload_default(&w);
        fuzz_check_config(&p->model, &w);
        fuzz_check_config(&p->model, p->has_workload ? &p->workload : &w);
    }
    free(p);
    return 0;
}
