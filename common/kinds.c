/* kinds.c - the table of core kinds and what all kinds share: the
 * activation stream of integer lanes and the result beat layout. */
#include <stdlib.h>

#include "fixq.h"
#include "softfloat.h"
#include "bits.h"
#include "kind.h"
#include "rng.h"

extern const struct kind_ops tlut_ops, tsign_ops, tmul_ops, fixp_ops;

static const struct kind_ops *const kinds[KIND__COUNT] = {
    [KIND_TLUT] = &tlut_ops,
    [KIND_TSIGN] = &tsign_ops,
    [KIND_TMUL] = &tmul_ops,
    [KIND_FIXP] = &fixp_ops,
};

const struct kind_ops *kind_get(const struct design_point *dp)
{
    if (dp->kind < 0 || dp->kind >= KIND__COUNT || !kinds[dp->kind])
        BUG("no ops for kind %ld", dp->kind);
    return kinds[dp->kind];
}

void pack_int_acts(const struct design_point *dp, const struct matrix *X, int col,
                   struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    int w = d->lane_in_bits, tc = d->tile_cols;
    int beats = (X->rows + tc - 1) / tc;
    struct bitvec bv;
    bv_init(&bv, d->act_bits);
    for (int t = 0; t < beats; t++) {
        bv_clear(&bv);
        for (int i = 0; i < tc; i++) {
            int n = t * tc + i;
            if (n < X->rows)
                bv_put(&bv, i * w, w, (uint64_t)MAT(X, n, col));
        }
        bv_hex(&bv, out);
        sb_adds(out, "\n");
    }
    bv_free(&bv);
}

void pack_weight_grid(const struct design_point *dp, const struct matrix *W,
                      uint64_t (*code)(const struct design_point *dp, int64_t w),
                      struct strbuf *out)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs, wb = d->wgt_bits / (K * P);
    int tiles = (W->cols + P - 1) / P, rgroups = (W->rows + K - 1) / K;
    struct bitvec bv;
    bv_init(&bv, d->wgt_bits);
    for (int rg = 0; rg < rgroups; rg++)
        for (int t = 0; t < tiles; t++) {
            bv_clear(&bv);
            for (int k = 0; k < K; k++)
                for (int p = 0; p < P; p++) {
                    int r = rg * K + k, n = t * P + p;
                    if (r < W->rows && n < W->cols) /* padding stays zero */
                        bv_put(&bv, (k * P + p) * wb, wb, code(dp, MAT(W, r, n)));
                }
            bv_hex(&bv, out);
            sb_adds(out, "\n");
        }
    bv_free(&bv);
}

int unpack_result_beat(const struct design_point *dp, const char *hex, size_t n,
                       int64_t *vals)
{
    struct bitvec bv;
    bv_init(&bv, dp->d.res_bits);
    int rc = bv_parse_hex(&bv, hex, n);
    if (!rc)
        for (int k = 0; k < dp->d.outputs; k++) {
            uint64_t u = bv_get(&bv, k * dp->d.lane_bits, dp->d.lane_bits);
            vals[k] = dp->d.lane_signed ? sext64(u, dp->d.lane_bits) : (int64_t)u;
        }
    bv_free(&bv);
    return rc;
}

void kind_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi)
{
    if (dp->d.fp) { /* bit patterns */
        *lo = 0;
        *hi = ((int64_t)1 << dp->d.lane_in_bits) - 1;
    } else if (dp->kind == KIND_FIXP) {
        struct fx_format f = { (int)dp->x_width, (int)dp->x_int, (int)dp->x_signed };
        *lo = fx_min_code(&f);
        *hi = fx_max_code(&f);
    } else {
        *hi = ((int64_t)1 << (dp->act_width - 1)) - 1;
        *lo = -*hi - 1;
    }
}

int64_t kind_weight_extreme(const struct design_point *dp, int positive)
{
    if (dp->kind != KIND_FIXP)
        return positive ? 1 : -1;
    struct fx_format f = { (int)dp->w_width, (int)dp->w_int, (int)dp->w_signed };
    if (dp->w_encoding == WENC_POW2) {
        int64_t p = (int64_t)1 << (dp->shift_max + dp->d.w_frac);
        return positive || !dp->w_signed ? p : -p;
    }
    return positive ? fx_max_code(&f) : fx_min_code(&f);
}

int64_t kind_random_weight(const struct design_point *dp, struct rng *r, int density)
{
    if (rng_range(r, 0, 99) >= density)
        return 0;
    if (dp->kind != KIND_FIXP)
        return rng_range(r, 0, 1) ? 1 : -1;
    if (dp->w_encoding == WENC_POW2) {
        int64_t p = (int64_t)1 << (rng_range(r, dp->shift_min, dp->shift_max) + dp->d.w_frac);
        return dp->w_signed && rng_range(r, 0, 1) ? -p : p;
    }
    struct fx_format f = { (int)dp->w_width, (int)dp->w_int, (int)dp->w_signed };
    return rng_range(r, fx_min_code(&f), fx_max_code(&f));
}

int check_shape(const struct design_point *dp, const struct matrix *W, const struct matrix *X)
{
    int errs = 0;
    if (W->rows > dp->max_rows) {
        mat_error(W, -1, "W has %d rows but the core's max_rows is %ld", W->rows,
                  dp->max_rows);
        errs++;
    }
    if (W->cols > dp->max_cols) {
        mat_error(W, -1, "W has %d columns but the core's max_cols is %ld", W->cols,
                  dp->max_cols);
        errs++;
    }
    if (X->rows != W->cols) {
        mat_error(X, -1, "X has %d rows but W has %d columns (X must be N x B)", X->rows,
                  W->cols);
        errs++;
    }
    return errs;
}

int check_ternary_inputs(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X)
{
    int errs = check_shape(dp, W, X);
    if (mat_check_range(W, -1, 1, "weight"))
        errs++;
    int64_t lo, hi;
    kind_act_range(dp, &lo, &hi);
    char what[64];
    if (dp->d.fp)
        snprintf(what, sizeof what, "activation bit pattern (%s)", act_type_names[dp->act_type]);
    else
        snprintf(what, sizeof what, "activation (act_width=%ld)", dp->act_width);
    if (mat_check_range(X, lo, hi, what))
        errs++;
    return errs ? -1 : 0;
}

/* Interesting FP activations: zeros, subnormals, normals at the edges,
 * infinities, NaN, ones, values far apart (exponent spread) and close
 * together (cancellation). */
int64_t kind_random_act(const struct design_point *dp, struct rng *r)
{
    int64_t lo, hi;
    kind_act_range(dp, &lo, &hi);
    if (!dp->d.fp)
        return rng_range(r, lo, hi);
    const struct sf_info *in = sf_info((enum sf_format)dp->d.act_fmt);
    uint32_t sign = (uint32_t)rng_range(r, 0, 1) << (in->bits - 1);
    uint32_t emax = (1u << in->exp_bits) - 1, mmax = (1u << in->man_bits) - 1;
    uint32_t e, m;
    switch (rng_range(r, 0, 9)) {
    case 0: e = 0; m = 0; break;                                      /* +-0 */
    case 1: e = 0; m = (uint32_t)rng_range(r, 1, mmax); break;        /* subnormal */
    case 2: e = (uint32_t)rng_range(r, 1, 2); m = (uint32_t)rng_range(r, 0, mmax); break;
    case 3: e = emax - 1 - (uint32_t)rng_range(r, 0, 1); m = (uint32_t)rng_range(r, 0, mmax);
        if (!in->has_inf && e == emax - 1) e = emax;                   /* e4m3 top binade */
        if (!in->has_inf && m == mmax) m--;
        break;
    case 4: e = in->has_inf ? emax : emax; m = in->has_inf ? 0 : mmax; break; /* inf / NaN */
    case 5: e = emax; m = in->has_inf ? (uint32_t)rng_range(r, 1, mmax) : mmax; break; /* NaN */
    case 6: e = (uint32_t)in->bias; m = 0; break;                      /* +-1 */
    default: /* near 1: cancellations and rounding ties */
        e = (uint32_t)in->bias + (uint32_t)rng_range(r, 0, 2) - 1;
        m = (uint32_t)rng_range(r, 0, mmax);
        break;
    }
    return (int64_t)(sign | e << in->man_bits | m);
}
