/* bench_model.c - C model speed: a 4096 x 4096 ternary GEMV through the
 * bit-exact tlut model (mu=4, L=32, K=128, INT8), in ternary MACs per
 * second. Prints numbers; asserts nothing (see scripts/bench.sh). */
#include <stdio.h>

#include "dp.h"
#include "../../sim/tools.h"
#include "../../model/kind.h"
#include "rng.h"

int main(void)
{
    struct design_point dp;
    dp_init(&dp);
    char *sets[] = { "mu=4", "luts=32", "keys=128", "act_width=8", "max_rows=4096",
                     "max_cols=4096" };
    if (dp_apply_sets(&dp, sets, 6) || dp_finalize(&dp))
        return 1;
    int M = 4096, N = 4096;
    struct matrix W, X, Y;
    mat_init(&W, M, N);
    mat_init(&X, N, 1);
    struct rng r = { 42 };
    for (size_t i = 0; i < (size_t)M * N; i++)
        W.v[i] = rng_range(&r, -1, 1);
    for (int i = 0; i < N; i++)
        X.v[i] = rng_range(&r, -128, 127);
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = wall_seconds();
        kind_get(&dp)->model(&dp, &W, &X, &Y);
        double t = wall_seconds() - t0;
        if (t < best)
            best = t;
        mat_free(&Y);
    }
    printf("model: 4096 x 4096 GEMV (mu=4 L=32 K=128 INT8), best of 5: %.1f ms, "
           "%.0f M ternary MAC/s (goal >= 200)\n", best * 1e3, (double)M * N / best / 1e6);
    mat_free(&W);
    mat_free(&X);
    return 0;
}
