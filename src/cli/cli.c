/* The command line: parse, then hand over to one subcommand (or the
 * explorer).  stdout is fully buffered in large blocks: `sweep` writes
 * millions of short rows. */
#include "cli/cli.h"

#include <stdio.h>

#include "cli/cli_int.h"

static char out_buf[1 << 16];

static int dispatch(const llmem_cli_args *a)
{
    switch (a->cmd) {
    case LLMEM_CMD_ESTIMATE:
        return llmem_cmd_estimate(a);
    case LLMEM_CMD_SWEEP:
        return llmem_cmd_sweep(a);
    case LLMEM_CMD_FIT:
        return llmem_cmd_fit(a);
    case LLMEM_CMD_PRESETS:
        return llmem_cmd_presets(a);
    case LLMEM_CMD_GPUS:
        return llmem_cmd_gpus(a);
    case LLMEM_CMD_PRECISIONS:
        return llmem_cmd_precisions(a);
    case LLMEM_CMD_SCREENSHOT:
        return llmem_cmd_screenshot(a);
    case LLMEM_CMD_HELP:
        return llmem_cli_help_topic(a);
    default:
        return llmem_cmd_explore(a);
    }
}

int llmem_cli_main(int argc, char **argv)
{
    llmem_cli_args a;
    int rc = llmem_cli_args_parse(argc, argv, &a);
    if (rc == LLMEM_EXIT_OK) {
        if (a.version) {
            printf("llmem %s\n", LLMEM_VERSION);
        } else if (a.help) {
            llmem_cli_help(stdout, a.cmd == LLMEM_CMD_HELP ? LLMEM_CMD_EXPLORE : a.cmd);
        } else {
            if (a.cmd != LLMEM_CMD_EXPLORE) setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
            rc = dispatch(&a);
        }
    }
    llmem_cli_args_free(&a);
    /* A failed write (full disk, closed pipe) is an error, not silent success. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == LLMEM_EXIT_OK) {
            llmem_cli_error("error writing to stdout");
            rc = LLMEM_EXIT_INPUT;
        }
    }
    return rc;
}
