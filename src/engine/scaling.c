/* Scaling laws (docs/formulas.md §7). */
#include <math.h>

#include "llmem/estimate.h"

/* Kaplan et al. 2020, eq. 1.1 and Table 5: N_c = 8.8e13 non-embedding
 * parameters, alpha_N = 0.076; D_c = 5.4e13 tokens, alpha_D = 0.095. */
double llm_kaplan_loss_n(double non_embedding_params)
{
    if (!(non_embedding_params > 0)) return HUGE_VAL;
    return pow(8.8e13 / non_embedding_params, LLM_KAPLAN_ALPHA_N);
}

double llm_kaplan_loss_d(double tokens)
{
    if (!(tokens > 0)) return HUGE_VAL;
    return pow(5.4e13 / tokens, LLM_KAPLAN_ALPHA_D);
}

/* Performance proportional to N^alpha: improving it by a fraction x needs
 * N to grow by (1 + x)^(1/alpha). */
double llm_improvement_factor(double fraction, double alpha)
{
    if (!(alpha > 0) || !(fraction > -1.0)) return NAN;
    return pow(1.0 + fraction, 1.0 / alpha);
}

/* Hoffmann et al. 2022, eq. 10 (approach 3 fit): E = 1.69, A = 406.4,
 * B = 410.7, alpha = 0.34, beta = 0.28. */
double llm_chinchilla_loss(double params, double tokens)
{
    if (!(params > 0) || !(tokens > 0)) return HUGE_VAL;
    return 1.69 + 406.4 / pow(params, 0.34) + 410.7 / pow(tokens, 0.28);
}

/* Compute-optimal training: about 20 tokens per parameter (Hoffmann et al.). */
double llm_chinchilla_tokens(double params)
{
    return 20.0 * params;
}
