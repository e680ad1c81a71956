/* A first, thin command line: --version, --help and a parameter breakdown of a
 * shape given by flags.  The full interface (estimate, sweep, fit, ...) replaces
 * this file. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llmem/model.h"

static void usage(FILE *f)
{
    fputs("usage: llmem [--version] [--help]\n"
          "       llmem params [--layers N] [--hidden N] [--heads N] [--kv-heads N]\n"
          "                    [--head-dim N] [--ffn N] [--gated] [--vocab N] [--untied]\n"
          "                    [--experts N --active-experts N]\n"
          "Prints the exact parameter breakdown of a decoder shape (RMSNorm, rotary).\n"
          "Defaults: the Llama-3-8B shape.\n",
          f);
}

static int parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || *s == '-') return -1;
    *out = strtoull(s, &end, 10);
    return (errno || *end || end == s) ? -1 : 0;
}

static int cmd_params(int argc, char **argv)
{
    llm_model m = {0};
    m.layers = 32;
    m.hidden = 4096;
    m.heads = 32;
    m.kv_heads = 8;
    m.ffn = 14336;
    m.ffn_kind = LLM_FFN_GATED;
    m.vocab = 128256;
    m.norm = LLM_NORM_RMSNORM;
    m.norms_per_layer = 2;
    m.final_norm = true;
    m.pos = LLM_POS_ROTARY;
    struct {
        const char *flag;
        uint64_t *field;
    } flags[] = {
        {"--layers", &m.layers},   {"--hidden", &m.hidden},
        {"--heads", &m.heads},     {"--kv-heads", &m.kv_heads},
        {"--head-dim", &m.head_dim}, {"--ffn", &m.ffn},
        {"--vocab", &m.vocab},     {"--experts", &m.experts},
        {"--active-experts", &m.active_experts},
    };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gated") == 0) {
            m.ffn_kind = LLM_FFN_GATED;
            continue;
        }
        if (strcmp(argv[i], "--mlp") == 0) {
            m.ffn_kind = LLM_FFN_MLP;
            continue;
        }
        if (strcmp(argv[i], "--untied") == 0) {
            m.tied_embeddings = false;
            continue;
        }
        if (strcmp(argv[i], "--tied") == 0) {
            m.tied_embeddings = true;
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (strcmp(argv[i], flags[k].flag) == 0) break;
        if (k == sizeof flags / sizeof flags[0]) {
            fprintf(stderr, "llmem: unknown option '%s'\n", argv[i]);
            return 2;
        }
        unsigned long long v;
        if (i + 1 >= argc || parse_u64(argv[i + 1], &v) != 0) {
            fprintf(stderr, "llmem: %s needs a whole number\n", argv[i]);
            return 2;
        }
        *flags[k].field = v;
        i++;
    }
    llm_params p;
    llm_error err;
    if (llm_params_count(&m, &p, &err) != LLM_OK) {
        fprintf(stderr, "llmem: %s\n", err.message);
        return 2;
    }
    printf("%-12s %18llu\n", "embedding", (unsigned long long)p.embedding);
    printf("%-12s %18llu\n", "positions", (unsigned long long)p.positions);
    printf("%-12s %18llu\n", "attention", (unsigned long long)p.attention);
    printf("%-12s %18llu\n", "mlp", (unsigned long long)p.mlp);
    printf("%-12s %18llu\n", "experts", (unsigned long long)p.experts);
    printf("%-12s %18llu\n", "router", (unsigned long long)p.router);
    printf("%-12s %18llu\n", "norms", (unsigned long long)p.norms);
    printf("%-12s %18llu\n", "lm_head", (unsigned long long)p.lm_head);
    printf("%-12s %18llu\n", "total", (unsigned long long)p.total);
    printf("%-12s %18llu\n", "active", (unsigned long long)p.active);
    return 0;
}

int llmem_cli_main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("llmem %s\n", LLMEM_VERSION);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "params") == 0) return cmd_params(argc - 1, argv + 1);
    usage(stderr);
    return 2;
}
