/* Regression inputs found by fuzzing (tests/fuzz/), replayed through the very
 * same entry points and invariant checks as the fuzzers:
 *   tests/fixtures/regress/settings/    fuzz_settings  (KEY=VALUE lines)
 *   tests/fixtures/regress/presets/     fuzz_presets   (YAML preset files)
 *   tests/fixtures/regress/hf_config/   fuzz_hf_config (config.json files)
 * A violated invariant aborts (the fuzzers' behaviour): the test then fails
 * with the file name printed just before.  Each fixture's name says what it
 * caught; the bug reports are in the lead's log. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_settings_one
#include "../fuzz/fuzz_settings.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_presets_one
#include "../fuzz/fuzz_presets.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerInitialize fuzz_hf_init
#define LLVMFuzzerTestOneInput fuzz_hf_one
#include "../fuzz/fuzz_hf_config.c"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

typedef int (*entry)(const uint8_t *, size_t);

/* Replays every file of fixtures/regress/<sub>; returns how many. */
static int replay(const char *sub, entry fn)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/regress/%s", LLMEM_FIXTURES, sub);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char file[1024];
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        FILE *f = fopen(file, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        /* Exact-size heap copy, as libFuzzer gives it: ASan sees over-reads. */
        uint8_t *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, buf, len);
        fprintf(stderr, "replaying %s\n", file);
        fn(copy, len);
        free(copy);
        n++;
    }
    closedir(d);
    return n;
}

static void test_settings(void **state)
{
    (void)state;
    /* At least the fraction round-trip reproducer is there. */
    assert_true(replay("settings", fuzz_settings_one) >= 1);
}

static void test_presets(void **state)
{
    (void)state;
    replay("presets", fuzz_presets_one);
}

static void test_hf_config(void **state)
{
    (void)state;
    fuzz_hf_init(NULL, NULL);
    replay("hf_config", fuzz_hf_one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_hf_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
