/* test_inventory.c - for every kind and many design points, the analytic
 * component inventory (what the cost model prices) must equal the count of
 * what the Verilog emitter actually wrote: integer and floating-point
 * datapaths of the ternary kinds, and fixp.
 * Usage: test_inventory [SEED [POINTS]] (POINTS valid points, default 400). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/vw.h"
#include "actfmt.h"
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
    /* block-scaled (tlut, tsign) */
    { KIND_TLUT, ACT_MXINT8 },   { KIND_TSIGN, ACT_MXINT8 },  { KIND_TLUT, ACT_MXFP8E4M3 },
    { KIND_TSIGN, ACT_MXFP8E4M3 }, { KIND_TLUT, ACT_MXFP8E5M2 }, { KIND_TSIGN, ACT_MXFP8E5M2 },
    { KIND_TLUT, ACT_MXFP6E3M2 }, { KIND_TSIGN, ACT_MXFP6E3M2 }, { KIND_TLUT, ACT_MXFP6E2M3 },
    { KIND_TSIGN, ACT_MXFP6E2M3 }, { KIND_TLUT, ACT_MXFP4 },   { KIND_TSIGN, ACT_MXFP4 },
    { KIND_TLUT, ACT_NVFP4 },    { KIND_TSIGN, ACT_NVFP4 },
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
            if (rng_range(r, 0, 1))
                set_str(dp, "lut_build", "direct");
        } else {
            terms = rng_range(r, 0, 3) ? rng_range(r, 1, 12) : rng_range(r, 13, 33);
            set(dp, "inputs", terms);
        }
        if (act_formats[act].k) {
            /* block-scaled: a tile fits a block (mu*luts or inputs <= k) */
            long k = act_formats[act].k, mu = kind == KIND_TLUT ? rng_range(r, 1, 5) : 1;
            terms = rng_range(r, 1, k / mu);
            if (kind == KIND_TLUT) {
                set(dp, "mu", mu);
                set(dp, "luts", terms);
            } else {
                set(dp, "inputs", terms);
            }
        }
        if (act == ACT_INT) {
            set(dp, "act_width", rng_range(r, 2, 16));
        } else {
            /* every acc_type into which act_type widens exactly */
            static const char *const acc16[] = { "auto", "fp16", "fp32" },
                                     *acc_b16[] = { "auto", "bf16", "fp32" },
                                     *acc8[] = { "auto", "fp16", "bf16", "fp32" };
            set_str(dp, "act_type", act_type_names[act]);
            /* block-scaled: the converter rounds into any sum format */
            set_str(dp, "acc_type", act_formats[act].k ? acc8[rng_range(r, 0, 3)]
                                    : act == ACT_FP16 ? acc16[rng_range(r, 0, 2)]
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
    /* a quarter of the points batched: the datapath once per column */
    if (rng_range(r, 0, 3) == 0)
        set(dp, "batch", rng_range(r, 2, 4));
    /* a third of the tlut and tsign points with dense weights */
    if ((kind == KIND_TLUT || kind == KIND_TSIGN) && rng_range(r, 0, 2) == 0)
        set_str(dp, "weight_store", "dense");
}

/* ---- the LUT build, counted by hand ----------------------------------- */

/* Adders of one table (luts=1), by hand from its entries: mu = 2 has
 * e2 = -a0 + a1 and e4 = a0 + a1 (w+1 bits); mu = 3 adds the six
 * two-term entries of width w+1 (e2 e4 e6 e8 e10 e12; first term negative
 * in e2 e6 e8) and four three-term ones of w+2 (e5 e7 e11 e13; e5 e11
 * start negative). Shared: one adder per entry of more than one term.
 * Integer direct: one adder per term after the first, and one for a
 * subtracted first term (0 - a): mu = 3 has 6 + 3 and 8 + 2. FP direct:
 * one FP adder per term after the first; a subtracted term's flipped sign
 * bit is no primitive. FP8 activations are widened into fp16 sums: an
 * adder of two activations (a two-term entry's, shared; an entry's first,
 * direct) is narrow (FP_ACT_MAN): shared mu = 3 has 6 of them and 4 full
 * ones, direct 6 + 4 narrow (one per entry) and 4 full; direct mu = 4 has
 * 12 + 16 + 8 entries of 2, 3, 4 terms: 36 narrow, 16 + 16 full. Nothing
 * else belongs to the build. */
static const struct {
    const char *act, *build;
    int mu;
    long add1, add2; /* int: adders of w+1 and w+2 bits; FP: FP adders, those of two
                        widened activations */
} by_hand[] = {
    { "int", "shared", 1, 0, 0 },   { "int", "direct", 1, 0, 0 },
    { "int", "shared", 2, 2, 0 },   { "int", "direct", 2, 3, 0 },
    { "int", "shared", 3, 6, 4 },   { "int", "direct", 3, 9, 10 },
    { "int", "direct", 4, 18, 68 },
    { "fp16", "shared", 2, 2, 0 },  { "fp16", "direct", 2, 2, 0 },
    { "fp16", "shared", 3, 10, 0 }, { "fp16", "direct", 3, 14, 0 },
    { "bf16", "direct", 4, 68, 0 },
    { "fp8e4m3", "shared", 2, 0, 2 }, { "fp8e4m3", "direct", 2, 0, 2 },
    { "fp8e5m2", "shared", 3, 4, 6 }, { "fp8e5m2", "direct", 3, 4, 10 },
    { "fp8e4m3", "direct", 4, 32, 36 },
};

static int check_by_hand(void)
{
    int fails = 0;
    for (size_t i = 0; i < sizeof by_hand / sizeof *by_hand; i++) {
        struct design_point dp;
        dp_init(&dp);
        set_str(&dp, "act_type", by_hand[i].act);
        set_str(&dp, "lut_build", by_hand[i].build);
        set(&dp, "mu", by_hand[i].mu);
        set(&dp, "luts", 1);
        if (!strcmp(by_hand[i].act, "int"))
            set(&dp, "act_width", 6);
        if (dp_finalize(&dp))
            exit(2);
        int fp = dp.d.fp;
        long got[2] = { 0 };
        for (int side = 0; side < 2; side++) {
            struct inventory inv;
            inv_init(&inv);
            if (side == 0) {
                kind_get(&dp)->inventory(&dp, &inv);
            } else {
                struct gen_files gf;
                gf_init(&gf);
                generate(&dp, &gf, &inv);
                gf_free(&gf);
            }
            long c[2] = { 0 };
            for (int k = 0; k < inv.n; k++) {
                const struct inv_item *it = &inv.items[k];
                if (it->comp != COMP_LUT_BUILD)
                    continue;
                /* int: w+2 bits; FP: two widened activations */
                int wide = fp ? FP_ACT_MAN(it->inputs) >= 0 : it->width == 8;
                if (it->prim == (fp ? PRIM_FPADD : PRIM_ADD))
                    c[wide] += it->count;
                else
                    c[0] += 1000; /* nothing else belongs to the build */
            }
            inv_free(&inv);
            if (side == 0)
                memcpy(got, c, sizeof got);
            else if (memcmp(got, c, sizeof got))
                got[0] = -1;
        }
        long want[2] = { by_hand[i].add1, by_hand[i].add2 };
        if (memcmp(got, want, sizeof want)) {
            printf("FAIL by hand: %s mu=%d lut_build=%s: adders %ld+%ld, want %ld+%ld "
                   "(-1: analytic and emitted differ; +1000 per other item)\n",
                   by_hand[i].act, by_hand[i].mu, by_hand[i].build, got[0], got[1], want[0],
                   want[1]);
            fails++;
        }
    }
    printf("test_inventory: LUT build of %zu points counted by hand: %s\n",
           sizeof by_hand / sizeof *by_hand, fails ? "FAILED" : "ok");
    return fails;
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 7;
    int target = argc > 2 ? atoi(argv[2]) : 400;
    printf("test_inventory: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    int fails = check_by_hand(), points = 0, fp = 0, lat[5] = { 0 }, act_sram = 0, fifo_sram = 0;
    int batched = 0, dense = 0;
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
        batched += dp.batch > 1;
        dense += dp.weight_store == WS_DENSE;
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
           "SRAM macros: %d activation buffers, %d result FIFOs; %d batched, %d dense\n",
           points, fp, lat[0], lat[1], lat[2], lat[3], lat[4], act_sram, fifo_sram, batched,
           dense);
    int missing = points >= NCOMBOS && fp > 0 && act_sram > 0 && fifo_sram > 0 &&
                  batched > 0 && dense > 0 ? 0 : 1;
    for (int c = 0; c < NCOMBOS && points >= NCOMBOS; c++)
        missing |= per_combo[c] == 0;
    int bad = fails || points < target || missing;
    printf("test_inventory: %s\n", bad ? "FAILED" : "ok");
    return bad;
}
