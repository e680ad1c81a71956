/* A scratch directory for one cmocka group: made by the group setup, removed
 * (with everything in it) by its teardown.  Include after <cmocka.h>. */
#ifndef LLMEM_TESTS_TMPDIR_TEST_H
#define LLMEM_TESTS_TMPDIR_TEST_H

#include <stdio.h>
#include <stdlib.h>

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/llmem-test-XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
