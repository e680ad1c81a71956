/* llmem estimate: every figure for one configuration. */
#include "cli/cli_int.h"

int llmem_cmd_estimate(const llmem_cli_args *a)
{
    if (a->explain && a->format == LLMEM_FMT_CSV) {
        llmem_cli_error("estimate: --explain needs --format table, md or json");
        return LLMEM_EXIT_USAGE;
    }
    llmem_cli_model m;
    int rc = llmem_cli_model_load(a, &m);
    if (rc) return rc;
    llmem_report r = {0};
    r.units = a->units;
    r.explain = a->explain;
    rc = llmem_report_run(&m, &r);
    if (rc == LLMEM_EXIT_OK) {
        switch (a->format) {
        case LLMEM_FMT_JSON:
            llmem_report_json(stdout, &r);
            break;
        case LLMEM_FMT_CSV:
            llmem_report_csv(stdout, &r);
            break;
        case LLMEM_FMT_MD:
            llmem_report_md(stdout, &r);
            break;
        default:
            llmem_report_table(stdout, &r);
        }
    }
    llmem_cli_model_free(&m);
    return rc;
}
