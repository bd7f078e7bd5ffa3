/* test_inventory.c - for every kind and many design points, the analytic
 * component inventory (what the cost model prices) must equal the count of
 * what the Verilog emitter actually wrote: integer and floating-point
 * datapaths of the ternary kinds, and fixp.
 * Usage: test_inventory [SEED [POINTS]] (POINTS valid points, default 400). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../gen/vw.h"
#include "dp.h"
#include "../../model/kind.h"
#include "rng.h"
#include "test_points.h"

/* Points cycle through these, so any run of 20 points covers every kind
 * with every activation type; integer datapaths come twice. */
static const struct {
    int kind, act;
} combos[] = {
    { KIND_TLUT, ACT_INT },      { KIND_TSIGN, ACT_INT },     { KIND_TMUL, ACT_INT },
    { KIND_FIXP, ACT_INT },      { KIND_TLUT, ACT_FP16 },     { KIND_TSIGN, ACT_FP16 },
    { KIND_TMUL, ACT_FP16 },     { KIND_TLUT, ACT_BF16 },     { KIND_TSIGN, ACT_BF16 },
    { KIND_TMUL, ACT_BF16 },     { KIND_TLUT, ACT_INT },      { KIND_TSIGN, ACT_INT },
    { KIND_TMUL, ACT_INT },      { KIND_FIXP, ACT_INT },      { KIND_TLUT, ACT_FP8E4M3 },
    { KIND_TSIGN, ACT_FP8E4M3 }, { KIND_TMUL, ACT_FP8E4M3 }, { KIND_TLUT, ACT_FP8E5M2 },
    { KIND_TSIGN, ACT_FP8E5M2 }, { KIND_TMUL, ACT_FP8E5M2 },
};
#define NCOMBOS (int)(sizeof combos / sizeof combos[0])

/* Odd sizes on purpose, now and then the extremes. */
static long odd_size(struct rng *r, long hi)
{
    static const long pick[] = { 1, 2, 3, 7, 13, 99, 255, 1023, 4095 };
    long v = rng_range(r, 0, 2) ? rng_range(r, 1, hi)
                                : pick[rng_range(r, 0, (int)(sizeof pick / sizeof *pick) - 1)];
    return v | rng_range(r, 0, 1); /* mostly odd */
}

/* A random point of combos[c]; tree_stages within the tree's cut points. */
static void random_point(struct rng *r, int c, struct design_point *dp)
{
    int kind = combos[c].kind, act = combos[c].act;
    long terms;
    dp_init(dp);
    set_str(dp, "kind", kind_names[kind]);
    if (kind == KIND_FIXP) {
        set(dp, "array_rows", rng_range(r, 1, 7));
        terms = rng_range(r, 1, 9);
        set(dp, "array_cols", terms);
        long ww = rng_range(r, 2, 16);
        set(dp, "x_width", rng_range(r, 2, 18));
        set(dp, "w_width", ww);
        set(dp, "y_width", rng_range(r, 2, 20));
        if (rng_range(r, 0, 1)) {
            /* one legal exponent: 2^-(w_width - w_int) is the format's step */
            set_str(dp, "w_encoding", "pow2");
            set(dp, "shift_min", -(ww - dp->w_int));
            set(dp, "shift_max", -(ww - dp->w_int));
        }
        static const char *q[] = { "trn", "rnd", "rnd_conv" }, *o[] = { "wrap", "sat", "sat_sym" };
        set_str(dp, "quant", q[rng_range(r, 0, 2)]);
        set_str(dp, "overflow", o[rng_range(r, 0, 2)]);
        if (rng_range(r, 0, 1))
            set_str(dp, "acc_overflow", "sat");
    } else {
        set(dp, "keys", rng_range(r, 1, 9));
        if (kind == KIND_TLUT) {
            /* every mu of params.def; 7 and 8 (1093 and 3280 entries) less often */
            set(dp, "mu", rng_range(r, 0, 4) ? rng_range(r, 1, 6) : rng_range(r, 7, 8));
            terms = rng_range(r, 0, 3) ? rng_range(r, 1, 9) : rng_range(r, 10, 17);
            set(dp, "luts", terms);
            set(dp, "lut_reg", rng_range(r, 0, 1));
        } else {
            terms = rng_range(r, 0, 3) ? rng_range(r, 1, 12) : rng_range(r, 13, 33);
            set(dp, "inputs", terms);
        }
        if (act == ACT_INT) {
            set(dp, "act_width", rng_range(r, 2, 16));
        } else {
            /* every acc_type into which act_type widens exactly */
            static const char *const acc16[] = { "auto", "fp16", "fp32" },
                                     *acc_b16[] = { "auto", "bf16", "fp32" },
                                     *acc8[] = { "auto", "fp16", "bf16", "fp32" };
            set_str(dp, "act_type", act_type_names[act]);
            set_str(dp, "acc_type", act == ACT_FP16   ? acc16[rng_range(r, 0, 2)]
                                    : act == ACT_BF16 ? acc_b16[rng_range(r, 0, 2)]
                                                      : acc8[rng_range(r, 0, 3)]);
            set(dp, "fp_latency", rng_range(r, 0, 4));
        }
    }
    int levels = terms > 1 ? clog2((uint64_t)terms) : 0;
    set(dp, "tree_stages", rng_range(r, 0, levels + 1));
    set(dp, "out_depth", rng_range(r, 0, 4) ? rng_range(r, 1, 5) : rng_range(r, 6, 64));
    set(dp, "max_cols", odd_size(r, 300));
    set(dp, "max_rows", odd_size(r, 5000));
    if (act == ACT_INT && rng_range(r, 0, 2) == 0)
        set(dp, "acc_width", rng_range(r, 0, 1) ? 3 : 40);
    /* a third of the points with SRAM macros for the buffers of >= 16 words */
    if (rng_range(r, 0, 2) == 0)
        set_str(dp, "mem_style", "sram");
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 7;
    int target = argc > 2 ? atoi(argv[2]) : 400;
    printf("test_inventory: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    int fails = 0, points = 0, fp = 0, lat[5] = { 0 }, act_sram = 0, fifo_sram = 0;
    int per_combo[NCOMBOS] = { 0 };
    for (int tries = 0; points < target && tries < 4 * target; tries++) {
        struct design_point dp;
        int c = points % NCOMBOS;
        random_point(&r, c, &dp);
        if (dp_finalize(&dp))
            continue; /* e.g. acc_width too small for a fixp format */
        points++;
        per_combo[c]++;
        if (dp.d.fp) {
            fp++;
            lat[dp.fp_latency]++;
        }
        act_sram += dp.d.act_sram;
        fifo_sram += dp.d.fifo_sram;
        struct inventory a, e;
        inv_init(&a);
        inv_init(&e);
        kind_get(&dp)->inventory(&dp, &a);
        struct gen_files gf;
        gf_init(&gf);
        generate(&dp, &gf, &e);
        gf_free(&gf);
        if (inv_compare(&a, &e, stdout)) {
            char *d = dp_describe(&dp, " ");
            printf("FAIL inventory mismatch (first: analytic, second: emitted) at %s\n", d);
            free(d);
            fails++;
        }
        inv_free(&a);
        inv_free(&e);
    }
    printf("test_inventory: %d points, %d floating point (fp_latency 0..4: %d %d %d %d %d), "
           "SRAM macros: %d activation buffers, %d result FIFOs\n",
           points, fp, lat[0], lat[1], lat[2], lat[3], lat[4], act_sram, fifo_sram);
    int missing = points >= NCOMBOS && fp > 0 && act_sram > 0 && fifo_sram > 0 ? 0 : 1;
    for (int c = 0; c < NCOMBOS && points >= NCOMBOS; c++)
        missing |= per_combo[c] == 0;
    int bad = fails || points < target || missing;
    printf("test_inventory: %s\n", bad ? "FAILED" : "ok");
    return bad;
}
