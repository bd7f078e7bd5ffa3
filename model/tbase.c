/* tbase.c - the ternary baselines, kinds "tsign" and "tmul": derivation
 * and checks of their parameters, bit-exact C model (integer and FP),
 * weight packing, analytic inventory and their part of the critical path.
 * Their emitters are gen/tbase.c. Both compute the same Y = W X as the LUT
 * core (docs/baselines.md), so any design can be swapped for another:
 *   tsign - each weight selects +a, -a or 0; weight = 2 bits {neg, nz}
 *   tmul  - each weight is a full act_width-bit integer fed to a real
 *           multiplier, as a general MAC array runs a dequantized model.
 * What the two share is written once below; each has its own ops. */
#include <stdlib.h>

#include "bits.h"
#include "fastmodel.h"
#include "fpmodel.h"
#include "kind.h"
#include "path.h"
#include "shell_inv.h"
#include "mxmodel.h"
#include "ternary.h"
#include "util.h"

/* ---- derivation ------------------------------------------------------- */

/* P inputs by K outputs per cycle, one term per weight. */
static int tbase_shape(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    d->tile_cols = (int)dp->inputs;
    d->outputs = (int)dp->keys;
    d->tree_terms = (int)dp->inputs;
    if (dp->keys * dp->inputs > DATAPATH_TERMS_MAX) {
        error("%s: error: core: keys*inputs = %ld weights per cycle exceeds the limit %d",
              loc, dp->keys * dp->inputs, DATAPATH_TERMS_MAX);
        errs++;
    }
    d->latency = 2 + (int)dp->tree_stages;
    return errs;
}

/* tsign: weights are 2-bit codes; an integer term is +-a, which needs one
 * bit more than a (-(-2^(w-1))); FP terms are values of the sum format. */
static int tsign_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = ternary_derive(dp, loc);
    if (!d->fp)
        d->term_bits = (int)dp->act_width + 1;
    d->wgt_bits = (int)(dp->keys * dp->inputs) * 2;
    return errs + tbase_shape(dp, loc);
}

/* tmul: weights are values of the activation format; an integer term is
 * the full w x w product; an FP multiplier takes fp_latency stages. */
static int tmul_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = ternary_derive(dp, loc);
    if (d->mx) {
        error("%s: error: core: act_type=%s (block-scaled) applies to kinds tlut and tsign "
              "only", loc, act_type_names[dp->act_type]);
        errs++;
    }
    if (d->fp)
        d->term_depth = (int)dp->fp_latency;
    else
        d->term_bits = 2 * (int)dp->act_width;
    d->wgt_bits = (int)(dp->keys * dp->inputs) * d->lane_in_bits;
    return errs + tbase_shape(dp, loc);
}

/* ---- C model ------------------------------------------------------------ */

/* FP terms (model/fpmodel.c): tsign flips the sign of the activation or
 * gives +0; tmul multiplies it by the weight's value, widened. */
static int weight_at(const struct matrix *W, int r, int n)
{
    return n < W->cols ? (int)MAT(W, r, n) : 0;
}

static uint32_t tsign_fp_term(const struct design_point *dp, const struct matrix *W, int r,
                              int n0, const uint32_t *a)
{
    enum sf_format sf = (enum sf_format)dp->d.acc_fmt;
    int w = weight_at(W, r, n0);
    return !w ? 0 : w > 0 ? a[0] : sf_neg(sf, a[0]);
}

static uint32_t tmul_fp_term(const struct design_point *dp, const struct matrix *W, int r,
                             int n0, const uint32_t *a)
{
    enum sf_format af = (enum sf_format)dp->d.act_fmt, sf = (enum sf_format)dp->d.acc_fmt;
    return sf_mul(sf, a[0], sf_convert(sf, af, fp_ternary(af, weight_at(W, r, n0))));
}

/* Integer: per output and tile, P products summed exactly (the tree
 * cannot overflow), then the accumulator adds modulo 2^acc_bits. The
 * same for both kinds: a sign-flip is a product by +-1 or 0. */
static void tbase_int_model(const struct design_point *dp, const struct matrix *W,
                            const struct matrix *X, struct matrix *Y)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, M = W->rows, N = W->cols, B = X->cols;
    int tiles = (N + P - 1) / P;
    int64_t tree_lim = (int64_t)1 << (d->tree_bits - 1);
    mat_init(Y, M, B);
    for (int b = 0; b < B; b++)
        for (int r = 0; r < M; r++) {
            uint64_t acc = 0;
            for (int t = 0; t < tiles; t++) {
                int64_t tree = 0;
                for (int p = 0; p < P; p++) {
                    int n = t * P + p;
                    if (n < N)
                        tree += MAT(W, r, n) * MAT(X, n, b);
                }
                if (tree >= tree_lim || tree < -tree_lim)
                    BUG("adder tree output overflows tree_bits");
                acc = (uint64_t)sext64(acc + (uint64_t)tree, d->acc_bits);
            }
            MAT(Y, r, b) = sext64(acc, d->acc_bits);
        }
}

/* Block-scaled: the element integer, sign-flipped or zero. */
static struct mx_val tsign_mx_term(const struct design_point *dp, const struct matrix *W,
                                   int r, int n0, int lim, const struct mx_val *a)
{
    (void)dp;
    int w = n0 < lim ? weight_at(W, r, n0) : 0;
    struct mx_val zero = { 0, 0 };
    return !w ? zero : w > 0 ? a[0] : mx_negate(a[0]);
}

static void tsign_model(const struct design_point *dp, const struct matrix *W,
                        const struct matrix *X, struct matrix *Y)
{
    if (dp->d.mx)
        mx_model(dp, W, X, Y, tsign_mx_term);
    else if (dp->d.fp)
        fp_model(dp, W, X, Y, tsign_fp_term);
    else
        tbase_int_model(dp, W, X, Y);
}

static void tmul_model(const struct design_point *dp, const struct matrix *W,
                       const struct matrix *X, struct matrix *Y)
{
    if (dp->d.fp)
        fp_model(dp, W, X, Y, tmul_fp_term);
    else
        tbase_int_model(dp, W, X, Y);
}

static void tsign_model_fast(const struct design_point *dp, const struct matrix *W,
                             const struct matrix *X, struct matrix *Y, int jobs)
{
    tern_fast(dp, W, X, Y, jobs, FPT_SIGN, tsign_model);
}

static void tmul_model_fast(const struct design_point *dp, const struct matrix *W,
                            const struct matrix *X, struct matrix *Y, int jobs)
{
    tern_fast(dp, W, X, Y, jobs, FPT_MUL, tmul_model);
}

/* ---- weight stream (layout: pack_weight_grid) --------------------------- */

/* tsign: 2 bits, +1 = 01, -1 = 11, 0 = 00. */
static uint64_t tsign_code(const struct design_point *dp, int64_t v)
{
    (void)dp;
    return v == 0 ? 0u : v > 0 ? 1u : 3u;
}

/* tmul: the weight as an act_width two's complement integer, or as a
 * value of the FP activation format. */
static uint64_t tmul_code(const struct design_point *dp, int64_t v)
{
    return dp->d.fp ? fp_ternary((enum sf_format)dp->d.act_fmt, (int)v) : (uint64_t)v;
}

static void tsign_pack_weights(const struct design_point *dp, const struct matrix *W,
                               struct rng *junk, struct strbuf *out)
{
    pack_weight_grid(dp, W, tsign_code, junk, out);
}

static void tmul_pack_weights(const struct design_point *dp, const struct matrix *W,
                              struct rng *junk, struct strbuf *out)
{
    pack_weight_grid(dp, W, tmul_code, junk, out);
}

/* ---- inventory ---------------------------------------------------------- */

/* The terms of the K x P weights: tsign flips the sign (FP: the sign bit)
 * or gates to 0; tmul multiplies (FP: widens its weights too). */
INV_INLINE void tsign_terms(const struct design_point *dp, struct inventory *inv, long n)
{
    const struct dp_derived *d = &dp->d;
    int tb = d->mx ? d->term_bits : d->fp ? 1 : (int)dp->act_width + 1;
    int mw = d->fp && !d->mx ? d->acc_bits : tb;
    inv_add(inv, COMP_SIGN, PRIM_NEG, tb, d->fp && !d->mx ? 0 : NEG_MERGED, n);
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, mw, 2, n); /* a or 0 */
}

INV_INLINE void tmul_terms(const struct design_point *dp, struct inventory *inv, long n)
{
    const struct dp_derived *d = &dp->d;
    int w = (int)dp->act_width;
    if (d->fp) {
        fp_widen_inventory(dp, inv, (long)d->outputs * d->tile_cols); /* per column */
        inv_add(inv, COMP_MULTIPLIER, PRIM_FPMUL, d->acc_bits,
                FP_ACTS_INPUTS(dp, (int)dp->fp_latency), n);
    } else {
        inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, w, w, n);
    }
}

/* The frame both share: the shell, the activations widened into the sum
 * format (FP), the terms, the trees. */
INV_INLINE void tbase_inventory(const struct design_point *dp, struct inventory *inv,
                                void (*terms)(const struct design_point *, struct inventory *,
                                              long))
{
    const struct dp_derived *d = &dp->d;
    shell_inventory(dp, inv);
    if (d->mx) /* block-scaled: integer terms and trees, then the blocks */
        mx_inventory(dp, inv);
    else if (d->fp)
        fp_widen_inventory(dp, inv, d->tile_cols);
    terms(dp, inv, (long)d->outputs * d->tile_cols * dp->batch);
    if (d->fp && !d->mx) /* sign-flip or multiply terms: widened activations */
        fp_tree_inventory(dp, inv, d->tile_cols, d->act_man != 0);
    else
        tree_inventory(dp, inv, d->tile_cols, d->term_bits);
}

INV_INLINE void tsign_inventory(const struct design_point *dp, struct inventory *inv)
{
    tbase_inventory(dp, inv, tsign_terms);
}

INV_INLINE void tmul_inventory(const struct design_point *dp, struct inventory *inv)
{
    tbase_inventory(dp, inv, tmul_terms);
}

static void tsign_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                        void *ctx)
{
    inv_tally_run(tsign_inventory, dp, t, sink, ctx);
}

static void tmul_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                       void *ctx)
{
    inv_tally_run(tmul_inventory, dp, t, sink, ctx);
}

/* ---- timing -------------------------------------------------------------- */

/* The weight register's sign bits select among +a, -a and 0 (FP: flip the
 * sign bit), then the integer negation. */
PATH_INLINE void tsign_path(const struct design_point *dp, struct paths *ps, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    if (d->mx)
        p_mx_decode(ps, dp);
    p_load(ps, d->outputs);
    p_mux(ps, 3);
    if (!d->fp || d->mx)
        p_neg(ps, d->term_bits);
    p_tree_acc(ps, dp, cuts);
}
PATH_FN(tsign_path)
TALLY_PATH_FN(tsign)

/* Each activation bit feeds the K multipliers of its column. */
PATH_INLINE void tmul_path(const struct design_point *dp, struct paths *ps, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    p_load(ps, (double)d->outputs * dp->act_width);
    int ex = 0; /* an exact product's bits (flat, widened operands), or 0 */
    if (d->fp) {
        ex = fp_exact_product_bits(dp, ps);
        if (ex)
            p_fp_exact(ps, D_FPMUL, ex, (int)dp->fp_latency, "multiplier");
        else
            p_fp(ps, D_FPMUL, d->acc_man + 1, (int)dp->fp_latency, "multiplier");
    } else {
        p_mul(ps, (int)dp->act_width, (int)dp->act_width);
    }
    /* The tree's first level adds two exact products: the sum's exponent,
     * the product's fraction (ex - 1 bits) and guard, round and sticky, as
     * fp_add_bits narrows an adder of two activations. */
    if (ex) {
        int full = d->acc_exp + d->acc_man, n = d->acc_exp + ex - 1 + 3;
        p_tree_acc_open_first(ps, dp, cuts, n < full ? n : full);
    } else { /* the common case apart: its first level's width folds */
        p_tree_acc_open(ps, dp, cuts);
    }
    seg_close(ps, "accumulator");
}
PATH_FN(tmul_path)
TALLY_PATH_FN(tmul)

const struct kind_ops tsign_ops = {
    .derive = tsign_derive,
    .check_inputs = ternary_check_inputs,
    .model = tsign_model,
    .model_fast = tsign_model_fast,
    .pack_weights = tsign_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = tsign_inventory,
    .tally = tsign_tally,
    .path = PATH_OPS(tsign_path),
    .tally_path = TALLY_PATH_OPS(tsign),
    .act_range = ternary_act_range,
    .weight_extreme = ternary_weight_extreme,
    .random_weight = ternary_random_weight,
    .dense = 1,
};

const struct kind_ops tmul_ops = {
    .derive = tmul_derive,
    .check_inputs = ternary_check_inputs,
    .model = tmul_model,
    .model_fast = tmul_model_fast,
    .pack_weights = tmul_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = tmul_inventory,
    .tally = tmul_tally,
    .path = PATH_OPS(tmul_path),
    .tally_path = TALLY_PATH_OPS(tmul),
    .act_range = ternary_act_range,
    .weight_extreme = ternary_weight_extreme,
    .random_weight = ternary_random_weight,
};
