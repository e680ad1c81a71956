/* The command line: parses argv and runs a subcommand (or the explorer). */
#ifndef LLMEM_CLI_H
#define LLMEM_CLI_H

/* Returns the process exit status: 0 ok, 1 does not fit, 2 usage, 3 bad input file. */
int llmem_cli_main(int argc, char **argv);

#endif
