/* fixp.c - the fixed-point MAC core (kind "fixp"): bit-exact C model,
 * weight packing, input checks and analytic inventory. Its emitter is
 * gen/fixp.c; docs/fixed-point.md defines formats, modes and streams.
 *
 * Y = Q_y(W X): codes of W (w format) times codes of X (x format) are
 * exact products at F_x + F_w fraction bits; their per-tile sum is exact;
 * the accumulator adds tile after tile and wraps or saturates at
 * acc_width bits; each result is converted into the y format with the
 * ap_fixed quantization and overflow modes (common/fixq.c). */
#include <inttypes.h>
#include <stdlib.h>

#include "shell_inv.h"
#include "bits.h"
#include "fixp.h"
#include "fixq.h"
#include "kind.h"
#include "util.h"

static struct fx_format fmt(long w, long i, long s)
{
    struct fx_format f = { (int)w, (int)i, (int)s };
    return f;
}

/* pow2: the exponent field of a weight code, or -1 if the code is not 0
 * or +-2^(k + F_w) with shift_min <= k <= shift_max. */
static int pow2_exp(const struct design_point *dp, int64_t code, int *neg)
{
    *neg = code < 0;
    uint64_t m = code < 0 ? (uint64_t)0 - (uint64_t)code : (uint64_t)code;
    if (m == 0 || (m & (m - 1)))
        return -1;
    int e = flog2(m) - dp->d.w_frac; /* k */
    if (e < dp->shift_min || e > dp->shift_max)
        return -1;
    return e - (int)dp->shift_min;
}

static int fixp_check_inputs(const struct design_point *dp, const struct matrix *W,
                             const struct matrix *X)
{
    int errs = check_shape(dp, W, X);
    struct fx_format wf = fmt(dp->w_width, dp->w_int, dp->w_signed);
    struct fx_format xf = fmt(dp->x_width, dp->x_int, dp->x_signed);
    char what[96];
    snprintf(what, sizeof what, "weight code (ap_%sfixed<%ld,%ld>)", dp->w_signed ? "" : "u",
             dp->w_width, dp->w_int);
    if (mat_check_range(W, fx_min_code(&wf), fx_max_code(&wf), what))
        errs++;
    snprintf(what, sizeof what, "activation code (ap_%sfixed<%ld,%ld>)",
             dp->x_signed ? "" : "u", dp->x_width, dp->x_int);
    if (mat_check_range(X, fx_min_code(&xf), fx_max_code(&xf), what))
        errs++;
    if (!errs && dp->w_encoding == WENC_POW2) {
        for (int r = 0; r < W->rows && !errs; r++)
            for (int c = 0; c < W->cols; c++) {
                int neg;
                int64_t v = MAT(W, r, c);
                if (v != 0 && pow2_exp(dp, v, &neg) < 0) {
                    char at[MAT_AT_SIZE];
                    mat_error(W, r, "weight code %" PRId64 " at %s is not 0 or +-2^k with k "
                              "in %ld..%ld (w_encoding=pow2)", v, mat_at(W, r, c, at),
                              dp->shift_min, dp->shift_max);
                    errs++;
                    break;
                }
            }
    }
    return errs ? -1 : 0;
}

/* Add a tile's exact sum to the accumulator: wrap or saturate. */
static int64_t acc_add(const struct design_point *dp, int64_t acc, int64_t t)
{
    int bits = dp->d.acc_bits;
    if (!dp->d.acc_sat)
        return sext64((uint64_t)acc + (uint64_t)t, bits);
    __int128 s = (__int128)acc + t;
    __int128 hi = bits >= 64 ? (__int128)INT64_MAX : (((__int128)1 << (bits - 1)) - 1);
    __int128 lo = -hi - 1;
    return (int64_t)(s > hi ? hi : s < lo ? lo : s);
}

static void fixp_model(const struct design_point *dp, const struct matrix *W,
                       const struct matrix *X, struct matrix *Y)
{
    const struct dp_derived *d = &dp->d;
    int C = d->tile_cols, M = W->rows, N = W->cols, B = X->cols;
    int tiles = (N + C - 1) / C;
    struct fx_format yf = fmt(dp->y_width, dp->y_int, dp->y_signed);
    __int128 tree_lim = (__int128)1 << (d->tree_bits - 1);
    mat_init(Y, M, B);
    for (int b = 0; b < B; b++)
        for (int r = 0; r < M; r++) {
            int64_t acc = 0;
            for (int t = 0; t < tiles; t++) {
                __int128 tree = 0;
                for (int c = 0; c < C; c++) {
                    int n = t * C + c;
                    if (n < N) /* a pow2 weight's product is the same integer */
                        tree += (__int128)MAT(W, r, n) * MAT(X, n, b);
                }
                if (tree >= tree_lim || tree < -tree_lim)
                    BUG("adder tree output overflows tree_bits");
                acc = acc_add(dp, acc, (int64_t)tree);
            }
            MAT(Y, r, b) = fx_convert(acc, d->acc_frac, &yf, (enum fx_quant)dp->quant,
                                      (enum fx_ovf)dp->overflow);
        }
}

/* One weight's code in the stream (layout: pack_weight_grid). int: the raw
 * w code; pow2: {nz, sign, e} with e = k - shift_min in the low bits. */
static uint64_t fixp_code(const struct design_point *dp, int64_t v)
{
    if (dp->w_encoding != WENC_POW2)
        return (uint64_t)v;
    if (!v)
        return 0;
    int neg, e = pow2_exp(dp, v, &neg);
    if (e < 0)
        BUG("weight %" PRId64 " is not a power of two", v);
    return (1ULL << (dp->d.exp_bits + 1)) | ((uint64_t)neg << dp->d.exp_bits) | (uint64_t)e;
}

static void fixp_pack_weights(const struct design_point *dp, const struct matrix *W,
                              struct strbuf *out)
{
    pack_weight_grid(dp, W, fixp_code, out);
}

INV_INLINE void fixp_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    long n = (long)d->outputs * d->tile_cols;
    shell_inventory(dp, inv);
    if (dp->w_encoding == WENC_INT) {
        inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, d->x_ext, d->w_ext, n);
    } else {
        inv_add(inv, COMP_MULTIPLIER, PRIM_SHIFT, d->term_bits, 1 << d->exp_bits, n);
        inv_add(inv, COMP_SIGN, PRIM_NEG, d->term_bits, 0, n);
        inv_add(inv, COMP_KEY_SELECT, PRIM_MUX, d->term_bits, 2, n);
    }
    tree_inventory(dp, inv, d->tile_cols, d->term_bits);
    fxconv_inventory(dp, inv);
}

static void fixp_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                       void *ctx)
{
    inv_tally_run(fixp_inventory, dp, t, sink, ctx);
}

int fixp_emit(const struct design_point *dp, struct gen_files *out,
              struct inventory *counted);

const struct kind_ops fixp_ops = {
    .name = "fixp",
    .check_inputs = fixp_check_inputs,
    .model = fixp_model,
    .pack_weights = fixp_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = fixp_inventory,
    .tally = fixp_tally,
    .emit = fixp_emit,
};
