/* libFuzzer target: the YAML preset loader (llm_registry_load_buffer) on
 * arbitrary bytes, then the engine on every preset it accepted.
 * Seeds: the files of presets/ and the YAML fixtures (tests/slow/fuzz_smoke.sh). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "llmem/presets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    llm_registry r;
    llm_error err;
    llm_registry_init(&r);
    /* The exact bytes, not NUL-terminated: an over-read is an ASan report. */
    llm_code rc = llm_registry_load_buffer(&r, "fuzz.yaml", (const char *)data, size, &err);
    if (rc != LLM_OK && err.message[0] == 0) fuzz_fail("load error without a message", 0);
    if (rc != LLM_OK) {
        char buf[1024];
        llm_error_format(&err, buf, sizeof buf);
    }
    for (size_t i = 0; i < r.npresets; i++)
        fuzz_check_config(&r.presets[i].model, &r.presets[i].workload);
    for (size_t i = 0; i < r.ndtypes; i++)
        fuzz_check_figure("dtype.bytes", r.dtypes[i].bytes);
    for (size_t i = 0; i < r.ngpus; i++)
        fuzz_check_figure("gpu.memory_bytes", r.gpus[i].memory_bytes);
    llm_registry_free(&r);
    return 0;
}
