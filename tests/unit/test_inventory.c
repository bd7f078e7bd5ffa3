/* test_inventory.c - for every kind and many design points, the analytic
 * component inventory (what the cost model prices) must equal the count of
 * what the Verilog emitter actually wrote. Usage: test_inventory [SEED]. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../gen/vw.h"
#include "dp.h"
#include "kind.h"
#include "rng.h"

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 7;
    printf("test_inventory: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    int fails = 0, points = 0;
    for (int iter = 0; iter < 300; iter++) {
        struct design_point dp;
        dp_init(&dp);
        char buf[8][32];
        int kind = (int)rng_range(&r, 0, KIND__COUNT - 1);
        dp_set(&dp, "kind", kind_names[kind], "test", "test");
        const char *names[8] = { "mu", "luts", "keys", "act_width", "lut_reg",
                                 "tree_stages", "out_depth", "max_cols" };
        const char *bnames[8] = { "inputs", "inputs", "keys", "act_width", "inputs",
                                  "tree_stages", "out_depth", "max_cols" };
        long vals[8] = { rng_range(&r, 1, 6), rng_range(&r, 1, 9), rng_range(&r, 1, 9),
                         rng_range(&r, 2, 16), rng_range(&r, 0, 1), rng_range(&r, 0, 5),
                         rng_range(&r, 1, 5), rng_range(&r, 1, 300) };
        if (kind == KIND_FIXP) {
            static const char *fn[] = { "array_rows", "array_cols", "x_width", "w_width",
                                        "y_width", "tree_stages", "out_depth", "max_cols" };
            vals[0] = rng_range(&r, 1, 7);
            vals[1] = rng_range(&r, 1, 9);
            vals[2] = rng_range(&r, 2, 18);
            vals[4] = rng_range(&r, 2, 20);
            for (int i = 0; i < 8; i++)
                names[i] = fn[i];
            if (rng_range(&r, 0, 1))
                dp_set(&dp, "w_encoding", "pow2", "t", "t");
            const char *q[] = { "trn", "rnd", "rnd_conv" }, *o[] = { "wrap", "sat", "sat_sym" };
            dp_set(&dp, "quant", q[rng_range(&r, 0, 2)], "t", "t");
            dp_set(&dp, "overflow", o[rng_range(&r, 0, 2)], "t", "t");
            if (rng_range(&r, 0, 1))
                dp_set(&dp, "acc_overflow", "sat", "t", "t");
        } else if (kind != KIND_TLUT) {
            vals[0] = vals[4] = vals[1] = rng_range(&r, 1, 12);
            for (int i = 0; i < 8; i++)
                names[i] = bnames[i];
        }
        for (int i = 0; i < 8; i++) {
            snprintf(buf[i], sizeof buf[i], "%ld", vals[i]);
            dp_set(&dp, names[i], buf[i], "test", "test");
        }
        if (rng_range(&r, 0, 2) == 0)
            dp_set(&dp, "acc_width", rng_range(&r, 0, 1) ? "3" : "40", "test", "test");
        if (kind == KIND_FIXP && dp.w_encoding == WENC_POW2) {
            snprintf(buf[0], sizeof buf[0], "%ld", -(vals[3] - dp.w_int));
            dp_set(&dp, "shift_min", buf[0], "t", "t");
            dp_set(&dp, "shift_max", buf[0], "t", "t");
        }
        if (dp_finalize(&dp))
            continue; /* e.g. too many tree stages for L */
        points++;
        struct inventory a, c;
        inv_init(&a);
        inv_init(&c);
        kind_get(&dp)->inventory(&dp, &a);
        struct gen_files gf;
        gf_init(&gf);
        generate(&dp, &gf, &c);
        gf_free(&gf);
        if (inv_compare(&a, &c, stdout)) {
            char *d = dp_describe(&dp, " ");
            printf("FAIL inventory mismatch at %s\n", d);
            free(d);
            fails++;
        }
        inv_free(&a);
        inv_free(&c);
    }
    printf("test_inventory: %d points\n", points);
    printf("test_inventory: %s\n", fails || points < 100 ? "FAILED" : "ok");
    return fails || points < 100;
}
