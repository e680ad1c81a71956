/* llmem: picks the command line or the explorer; nothing else. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return llmem_cli_main(argc, argv);
}
