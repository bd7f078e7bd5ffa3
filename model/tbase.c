/* tbase.c - the ternary baselines (kinds "tsign" and "tmul"): bit-exact C
 * model, weight packing, input checks and analytic inventory. Their
 * emitter is gen/tbase.c. Both compute the same Y = W X as the LUT core
 * (docs/baselines.md), so any design can be swapped for another:
 *   tsign - each weight selects +a, -a or 0; weight = 2 bits {neg, nz}
 *   tmul  - each weight is a full act_width-bit integer fed to a real
 *           multiplier, as a general MAC array runs a dequantized model. */
#include <stdlib.h>

#include "shell_inv.h"
#include "bits.h"
#include "fpmodel.h"
#include "kind.h"
#include "util.h"


/* Per output and tile: P products summed exactly (the tree cannot
 * overflow), then the accumulator adds modulo 2^acc_bits. */
static void tbase_model(const struct design_point *dp, const struct matrix *W,
                        const struct matrix *X, struct matrix *Y)
{
    if (dp->d.fp) {
        fp_model(dp, W, X, Y);
        return;
    }
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

/* One weight's code in the stream (layout: pack_weight_grid). tsign: 2
 * bits, +1 = 01, -1 = 11, 0 = 00; tmul: the weight as an act_width two's
 * complement integer, or as a value of the FP activation format. */
static uint64_t tbase_code(const struct design_point *dp, int64_t v)
{
    if (dp->kind == KIND_TSIGN)
        return v == 0 ? 0u : v > 0 ? 1u : 3u;
    return dp->d.fp ? fp_ternary((enum sf_format)dp->d.act_fmt, (int)v) : (uint64_t)v;
}

static void tbase_pack_weights(const struct design_point *dp, const struct matrix *W,
                               struct strbuf *out)
{
    pack_weight_grid(dp, W, tbase_code, out);
}

INV_INLINE void tbase_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    long n = (long)d->outputs * d->tile_cols;
    int w = (int)dp->act_width;
    shell_inventory(dp, inv);
    if (d->fp) {
        /* Terms are values of the sum format: tsign flips the sign bit or
         * gates to +0; tmul widens its weights too and multiplies. */
        w = d->acc_bits;
        fp_widen_inventory(dp, inv, d->tile_cols);
        if (dp->kind == KIND_TSIGN) {
            inv_add(inv, COMP_SIGN, PRIM_NEG, 1, 0, n);
            inv_add(inv, COMP_KEY_SELECT, PRIM_MUX, w, 2, n);
        } else {
            fp_widen_inventory(dp, inv, n);
            inv_add(inv, COMP_MULTIPLIER, PRIM_FPMUL, w,
                    FP_INPUTS(d->acc_man, (int)dp->fp_latency), n);
        }
        fp_tree_inventory(dp, inv, d->tile_cols);
        return;
    }
    if (dp->kind == KIND_TSIGN) {
        inv_add(inv, COMP_SIGN, PRIM_NEG, w + 1, 0, n);
        inv_add(inv, COMP_KEY_SELECT, PRIM_MUX, w + 1, 2, n);
    } else {
        inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, w, w, n);
    }
    tree_inventory(dp, inv, d->tile_cols, d->term_bits);
}

static void tbase_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                        void *ctx)
{
    inv_tally_run(tbase_inventory, dp, t, sink, ctx);
}

int tsign_emit(const struct design_point *dp, struct gen_files *out,
               struct inventory *counted);
int tmul_emit(const struct design_point *dp, struct gen_files *out,
              struct inventory *counted);

const struct kind_ops tsign_ops = {
    .name = "tsign",
    .check_inputs = check_ternary_inputs,
    .model = tbase_model,
    .pack_weights = tbase_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = tbase_inventory,
    .tally = tbase_tally,
    .emit = tsign_emit,
};

const struct kind_ops tmul_ops = {
    .name = "tmul",
    .check_inputs = check_ternary_inputs,
    .model = tbase_model,
    .pack_weights = tbase_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = tbase_inventory,
    .tally = tbase_tally,
    .emit = tmul_emit,
};
