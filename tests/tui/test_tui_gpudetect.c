/* nvidia-smi detection with stand-in scripts on PATH: eight H100s are found
 * and matched to the catalogue; an absent, failing or hanging nvidia-smi is
 * no error (and the hanging one is killed at the time limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/gpudetect.h"

static llm_registry reg;
static char dir[256];
static char *old_path;

static int setup(void **state)
{
    (void)state;
    llm_registry_init(&reg);
    (void)llm_registry_load_builtin(&reg, NULL);
    snprintf(dir, sizeof dir, "/tmp/llmem-nvsmi-%ld", (long)getpid());
    mkdir(dir, 0700);
    const char *p = getenv("PATH");
    old_path = strdup(p ? p : "/usr/bin:/bin");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/nvidia-smi", dir);
    remove(path);
    rmdir(dir);
    setenv("PATH", old_path, 1);
    free(old_path);
    llm_registry_free(&reg);
    return 0;
}

/* Installs a stand-in nvidia-smi with the given shell body; PATH = dir only
 * plus /bin for the shell's own commands. */
static void stand_in(const char *body)
{
    char path[300];
    snprintf(path, sizeof path, "%s/nvidia-smi", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
    char newpath[600];
    snprintf(newpath, sizeof newpath, "%s:/usr/bin:/bin", dir);
    setenv("PATH", newpath, 1);
}

static void test_parse(void **state)
{
    (void)state;
    llmem_machine m;
    /* nvidia-smi --query-gpu=name,memory.total --format=csv,noheader on a
     * DGX H100: "NVIDIA H100 80GB HBM3, 81559 MiB", one line per GPU */
    const char *out = "NVIDIA H100 80GB HBM3, 81559 MiB\nNVIDIA H100 80GB HBM3, 81559 MiB\n";
    assert_true(llmem_parse_nvidia_smi(out, &reg, &m));
    assert_int_equal(m.count, 2);
    assert_string_equal(m.name, "NVIDIA H100 80GB HBM3");
    assert_true(m.memory_mib == 81559);
    assert_non_null(m.match);
    assert_non_null(strstr(m.match->name, "H100"));
    /* an A100 40GB must not match an 80 GB part */
    assert_true(llmem_parse_nvidia_smi("NVIDIA A100-SXM4-40GB, 40960 MiB\n", &reg, &m));
    assert_int_equal(m.count, 1);
    if (m.match) assert_true(m.match->memory_bytes < 50e9);
    /* junk */
    assert_false(llmem_parse_nvidia_smi("No devices were found\n", &reg, &m));
    assert_int_equal(m.count, 0);
    /* an unknown part is reported without a catalogue match */
    assert_true(llmem_parse_nvidia_smi("Some Card 9000, 12345 MiB\n", &reg, &m));
    assert_null(m.match);
}

static void test_stand_in_eight(void **state)
{
    (void)state;
    stand_in("for i in 1 2 3 4 5 6 7 8; do echo 'NVIDIA H100 80GB HBM3, 81559 MiB'; done");
    llmem_machine m;
    assert_true(llmem_detect_gpus(&reg, 5000, &m));
    assert_int_equal(m.count, 8);
    assert_non_null(m.match);
}

static void test_absent_failing_hanging(void **state)
{
    (void)state;
    llmem_machine m;
    char empty[300];
    snprintf(empty, sizeof empty, "%s/none", dir);
    setenv("PATH", empty, 1); /* no nvidia-smi anywhere */
    assert_false(llmem_detect_gpus(&reg, 1000, &m));
    assert_int_equal(m.count, 0);
    stand_in("echo 'NVIDIA-SMI has failed' >&2; exit 9");
    assert_false(llmem_detect_gpus(&reg, 1000, &m));
    /* hangs: killed at the limit, reported as not found */
    stand_in("echo 'NVIDIA H100 80GB HBM3, 81559 MiB'; exec sleep 30");
    assert_false(llmem_detect_gpus(&reg, 200, &m));
    assert_int_equal(m.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_stand_in_eight),
        cmocka_unit_test(test_absent_failing_hanging),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
