/* fixp.c - the fixed-point MAC core (kind "fixp"): derivation and checks
 * of its formats, bit-exact C model, weight packing, input checks, analytic
 * inventory, its part of the critical path and its test values. Its
 * emitter is gen/fixp.c; docs/fixed-point.md defines formats, modes and
 * streams.
 *
 * Y = Q_y(W X): codes of W (w format) times codes of X (x format) are
 * exact products at F_x + F_w fraction bits; their per-tile sum is exact;
 * the accumulator adds tile after tile and wraps or saturates at
 * acc_width bits; each result is converted into the y format with the
 * ap_fixed quantization and overflow modes (common/fixq.c). */
#include <inttypes.h>
#include <stdlib.h>

#include "bits.h"
#include "fastmodel.h"
#include "fixp.h"
#include "fixq.h"
#include "kind.h"
#include "path.h"
#include "rng.h"
#include "shell_inv.h"
#include "util.h"

static struct fx_format fmt(long w, long i, long s)
{
    struct fx_format f = { (int)w, (int)i, (int)s };
    return f;
}

/* ---- derivation --------------------------------------------------------- */

__attribute__((noinline, cold)) static int format_errors(const char *loc, const char *name,
                                                          long width, long ibits, long sgn)
{
    struct fx_format f = { (int)width, (int)ibits, (int)sgn };
    const char *why = fx_format_check(&f);
    if (sgn && width < 2)
        why = "a signed format needs at least 2 bits";
    if (why)
        return error("%s: error: core: %s format ap_%sfixed<%ld,%ld>: %s", loc, name,
                     sgn ? "" : "u", width, ibits, why);
    return 0;
}

/* Nonzero (and the message) when ap_[u]fixed<width,ibits> is not a format.
 * Widths 2..64 with integer bits in range are formats signed or not: that
 * test inline, fx_format_check() and the message only outside it (a sweep
 * checks three formats at every fixp point). */
static inline int check_format(const char *loc, const char *name, long width, long ibits,
                               long sgn)
{
    if (width >= 2 && width <= 64 && ibits >= -FX_INT_BITS_LIMIT && ibits <= FX_INT_BITS_LIMIT)
        return 0;
    return format_errors(loc, name, width, ibits, sgn);
}

/* An R x C array of MACs on fixed-point codes; see docs/fixed-point.md. */
static int fixp_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    errs += check_format(loc, "x", dp->x_width, dp->x_int, dp->x_signed) != 0;
    errs += check_format(loc, "w", dp->w_width, dp->w_int, dp->w_signed) != 0;
    errs += check_format(loc, "y", dp->y_width, dp->y_int, dp->y_signed) != 0;
    d->outputs = (int)dp->array_rows;
    d->tile_cols = (int)dp->array_cols;
    d->tree_terms = (int)dp->array_cols;
    d->lane_in_bits = (int)dp->x_width;
    d->x_frac = (int)(dp->x_width - dp->x_int);
    d->w_frac = (int)(dp->w_width - dp->w_int);
    d->y_frac = (int)(dp->y_width - dp->y_int);
    d->acc_frac = d->x_frac + d->w_frac;
    d->x_ext = (int)dp->x_width + !dp->x_signed;
    d->w_ext = (int)dp->w_width + !dp->w_signed;
    if (dp->w_encoding == WENC_INT) {
        d->wcode_bits = (int)dp->w_width;
        d->term_bits = d->x_ext + d->w_ext;
    } else {
        long span = dp->shift_max - dp->shift_min;
        long top = dp->w_width - 1 - dp->w_signed; /* largest power of two code: 2^top */
        if (span < 0) {
            error("%s: error: core: shift_min=%ld is above shift_max=%ld", loc, dp->shift_min,
                  dp->shift_max);
            errs++;
            span = 0;
        }
        if (dp->shift_min + d->w_frac < 0) {
            /* the step is 2^-F, F = W - I fraction bits (negative when I > W) */
            error("%s: error: core: shift_min=%ld: 2^%ld is finer than the w format's step "
                  "2^%d", loc, dp->shift_min, dp->shift_min, -d->w_frac);
            errs++;
        }
        if (dp->shift_max + d->w_frac > top) {
            error("%s: error: core: shift_max=%ld: 2^%ld does not fit the w format "
                  "ap_%sfixed<%ld,%ld>", loc, dp->shift_max, dp->shift_max,
                  dp->w_signed ? "" : "u", dp->w_width, dp->w_int);
            errs++;
        }
        d->exp_bits = clog2((uint64_t)span + 1);
        d->wcode_bits = d->exp_bits + 2; /* {nz, sign, e} */
        d->shift_base = (int)dp->shift_min + d->w_frac;
        if (d->shift_base < 0)
            d->shift_base = 0;
        d->term_bits = d->x_ext + d->shift_base + (int)span + 1;
    }
    d->wgt_bits = (int)(dp->array_rows * dp->array_cols) * d->wcode_bits;
    d->acc_sat = dp->acc_overflow == 1;
    d->lane_bits = (int)dp->y_width;
    d->lane_signed = (int)dp->y_signed;
    d->acc_need = d->term_bits + flog2((uint64_t)dp->max_cols) + 1;
    d->conv_shift = d->acc_frac - d->y_frac;
    if (d->conv_shift < -64 || d->conv_shift > 64) {
        error("%s: error: core: the result format drops %d fraction bits of the "
              "accumulator (F_x + F_w - F_y); at most 64 either way", loc, d->conv_shift);
        errs++;
    }
    if (dp->array_rows * dp->array_cols > DATAPATH_TERMS_MAX) {
        error("%s: error: core: array_rows*array_cols = %ld MACs exceeds the limit %d", loc,
              dp->array_rows * dp->array_cols, DATAPATH_TERMS_MAX);
        errs++;
    }
    d->latency = 2 + (int)dp->tree_stages;
    return errs;
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
                int64_t v = MAT_GET(W, r, c);
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

/* The fast model: W and X^T as int32 codes (widths <= 24 bits), the
 * products and tile sums in int64 (checked below: tree_bits <= 63). A
 * wrapping accumulator is the sum of all products modulo 2^64, reduced
 * once; a saturating one adds tile after tile, as the hardware does.
 * Narrow codes (both fit int16, a block of FB products fits int32) take
 * int16 lanes and int32 block sums, which gcc -O2 vectorizes (a 16-bit
 * multiply-add); the exact sums are the same. */
#define FB 64
struct fixp_job {
    const struct design_point *dp;
    const struct matrix *W;
    const int32_t *xt;   /* B x N; NULL for narrow codes: */
    const int16_t *xt16; /* B x N, narrow codes (else NULL) */
    const int64_t *xmax; /* saturating: the largest |code| of each column of X */
    int64_t xmax_all;    /* ... and of X */
    int64_t wl1_fmt;     /* N times the largest |code| of the w format */
    struct matrix *Y;
};

/* The sum of |w| over a row: int8 and int16 codes in int32 blocks
 * (vectorized), int32 codes in int64. */
#define L1_BLOCKED(NAME, T)                                                      \
    static int64_t NAME(const T *w, int n)                                       \
    {                                                                            \
        int64_t s = 0;                                                           \
        int c = 0;                                                               \
        for (; c + FB <= n; c += FB) {                                           \
            int32_t b = 0;                                                       \
            for (int i = 0; i < FB; i++)                                         \
                b += w[c + i] < 0 ? -w[c + i] : w[c + i];                        \
            s += b;                                                              \
        }                                                                        \
        for (; c < n; c++)                                                       \
            s += w[c] < 0 ? -w[c] : w[c];                                        \
        return s;                                                                \
    }
L1_BLOCKED(l1_8, int8_t)
L1_BLOCKED(l1_16, int16_t)

static int64_t l1_32(const int32_t *w, int n)
{
    int64_t s = 0;
    for (int c = 0; c < n; c++)
        s += w[c] < 0 ? -(int64_t)w[c] : w[c];
    return s;
}

static int64_t dot16(const int16_t *w, const int16_t *x, int n)
{
    int64_t s = 0;
    int c = 0;
    for (; c + FB <= n; c += FB) {
        int32_t b = 0;
        for (int i = 0; i < FB; i++)
            b += w[c + i] * x[c + i];
        s += b;
    }
    for (; c < n; c++)
        s += w[c] * x[c];
    return s;
}

/* A saturating accumulator over one row, narrow codes, acc_width <= 62
 * (hi = 2^(acc_width-1) - 1): tile after tile, each tile's exact sum
 * added and clamped. The tile loop is inside the row's function, with
 * the usual array widths as loops of constant length: gcc -O2
 * vectorizes each tile's products and the clamp is two conditional
 * moves (a function call and a switch per tile, as before, ran a GEMV
 * at 0.22x the int yardstick). A tile of K <= 32 < FB products fits
 * int32; other tiles' sums are below 2^62 (tree_bits <= 63) and |acc| <
 * 2^61: every sum fits int64. The last tile may be short. */
#define SAT_CLAMP(ACC, T)                                                        \
    do {                                                                         \
        int64_t s_ = (ACC) + (T);                                                \
        (ACC) = s_ > hi ? hi : s_ < -hi - 1 ? -hi - 1 : s_;                      \
    } while (0)
#define SAT_TILES(K)                                                             \
    case K:                                                                      \
        for (; n0 + K <= n; n0 += K) {                                           \
            int32_t b = 0;                                                       \
            for (int i = 0; i < K; i++)                                          \
                b += w[n0 + i] * x[n0 + i];                                      \
            SAT_CLAMP(acc, b);                                                   \
        }                                                                        \
        break;
#define SAT_ROW(NAME, T, DOT)                                                    \
    static int64_t NAME(const T *w, const int16_t *x, int n, int C, int64_t hi)  \
    {                                                                            \
        int64_t acc = 0;                                                         \
        int n0 = 0;                                                              \
        switch (C) {                                                             \
        SAT_TILES(4)                                                             \
        SAT_TILES(8)                                                             \
        SAT_TILES(16)                                                            \
        SAT_TILES(32)                                                            \
        default:                                                                 \
            for (; n0 + C <= n; n0 += C)                                         \
                SAT_CLAMP(acc, DOT(w + n0, x + n0, C));                          \
        }                                                                        \
        if (n0 < n)                                                              \
            SAT_CLAMP(acc, DOT(w + n0, x + n0, n - n0));                         \
        return acc;                                                              \
    }
SAT_ROW(sat_row8, int8_t, dot_i8_i16)
SAT_ROW(sat_row16, int16_t, dot16)

/* Rows [r0, r1), each decoded just before its dot products. */
static void fixp_rows(void *ctx, int r0, int r1)
{
    const struct fixp_job *j = ctx;
    const struct design_point *dp = j->dp;
    const struct dp_derived *d = &dp->d;
    struct fx_format yf = fmt(dp->y_width, dp->y_int, dp->y_signed);
    int C = d->tile_cols, N = j->W->cols, B = j->Y->cols;
    int32_t *w = xmalloc((size_t)N * sizeof *w + 1);
    int16_t *w16 = j->xt16 ? xmalloc((size_t)N * sizeof *w16 + 1) : NULL;
    /* Saturation in int64 when the accumulator is at most 62 bits (tile
     * sums are below 2^62: tree_bits <= 63); acc_add()'s 128-bit sum
     * otherwise. */
    int small_acc = d->acc_bits <= 62;
    int64_t sat_hi = small_acc ? ((int64_t)1 << (d->acc_bits - 1)) - 1 : 0;
    /* Every partial sum of an output lies within +-(sum |w|) max |x|:
     * when that bound is inside the accumulator's range, no addition can
     * saturate and the output is the exact sum, which the wrapping path
     * computes (it fits acc_width bits, so the wrap changes nothing).
     * The default acc_width is wide enough for any N <= max_cols, so
     * this is the common case; only outputs that could saturate take
     * the tile-by-tile loop. */
    unsigned __int128 acc_hi = ((unsigned __int128)1 << (d->acc_bits - 1)) - 1;
    /* Narrow codes in compact int8 storage: the rows as they are, with
     * the integer kinds' int8 x int16 kernel (no conversion per row, which
     * cost more than the GEMV's dot products); int16 rows only for the
     * tile-by-tile loop. */
    const int8_t *w8all = w16 && j->W->et == MAT_I8 ? j->W->e : NULL;
    for (int r = r0; r < r1; r++) {
        const int8_t *w8 = w8all ? w8all + (size_t)r * (size_t)N : NULL;
        int have16 = 0;
        if (w16 && !w8)
            mat_row_i16(j->W, r, w16), have16 = 1;
        else if (!w16)
            mat_row_i32(j->W, r, w);
        /* First the bound from the format (N max|w|, no pass over the
         * row), which the default acc_width always meets. */
        int64_t wl1 = j->wl1_fmt;
        if (d->acc_sat && (unsigned __int128)wl1 * (unsigned __int128)j->xmax_all > acc_hi)
            wl1 = w8 ? l1_8(w8, N) : w16 ? l1_16(w16, N) : l1_32(w, N);
        for (int b = 0; b < B; b++) {
            const int32_t *x = j->xt ? &j->xt[(size_t)b * (size_t)N] : NULL;
            const int16_t *x16 = w16 ? &j->xt16[(size_t)b * (size_t)N] : NULL;
            int64_t acc = 0;
            int sat = d->acc_sat &&
                      (unsigned __int128)wl1 * (unsigned __int128)j->xmax[b] > acc_hi;
            if (sat && w16 && !w8 && !have16)
                mat_row_i16(j->W, r, w16), have16 = 1;
            if (!sat && w8) {
                acc = sext64((uint64_t)dot_i8_i16(w8, x16, N), d->acc_bits);
            } else if (!sat && w16) {
                acc = sext64((uint64_t)dot16(w16, x16, N), d->acc_bits);
            } else if (!sat) {
                uint64_t s = 0;
                for (int n = 0; n < N; n++)
                    s += (uint64_t)((int64_t)w[n] * x[n]);
                acc = sext64(s, d->acc_bits);
            } else if (small_acc && w8) {
                acc = sat_row8(w8, x16, N, C, sat_hi);
            } else if (small_acc && w16) {
                acc = sat_row16(w16, x16, N, C, sat_hi);
            } else {
                for (int n0 = 0; n0 < N; n0 += C) {
                    int e = N - n0 < C ? N : n0 + C;
                    int64_t t = 0;
                    if (w16)
                        t = dot16(w16 + n0, x16 + n0, e - n0);
                    else
                        for (int n = n0; n < e; n++)
                            t += (int64_t)w[n] * x[n];
                    if (small_acc) { /* |acc| < 2^61, |t| < 2^62: no int64 overflow */
                        int64_t sum = acc + t;
                        acc = sum > sat_hi ? sat_hi : sum < -sat_hi - 1 ? -sat_hi - 1 : sum;
                    } else {
                        acc = acc_add(dp, acc, t);
                    }
                }
            }
            MAT(j->Y, r, b) = fx_convert(acc, d->acc_frac, &yf, (enum fx_quant)dp->quant,
                                         (enum fx_ovf)dp->overflow);
        }
    }
    free(w16);
    free(w);
}

/* Do the codes of f fit int16, and what is their largest magnitude? */
static int fits16(const struct fx_format *f, int64_t *mag)
{
    int64_t lo = fx_min_code(f), hi = fx_max_code(f);
    *mag = -lo > hi ? -lo : hi;
    return lo >= INT16_MIN && hi <= INT16_MAX;
}

static void fixp_model_fast(const struct design_point *dp, const struct matrix *W,
                            const struct matrix *X, struct matrix *Y, int jobs)
{
    if (dp->d.tree_bits > 63 || dp->x_width > 31 || dp->w_width > 31) {
        model_wide(fixp_model, dp, W, X, Y);
        return;
    }
    int N = W->cols, B = X->cols;
    struct fx_format wf = fmt(dp->w_width, dp->w_int, dp->w_signed);
    struct fx_format xf = fmt(dp->x_width, dp->x_int, dp->x_signed);
    int64_t wm, xm;
    int narrow = fits16(&wf, &wm) && fits16(&xf, &xm) && wm * xm * FB <= INT32_MAX;
    int64_t *xmax = xcalloc((size_t)B + 1, sizeof *xmax);
    struct fixp_job j = { dp, W, NULL, NULL, xmax, 0, 0, Y };
    void *xt = xmalloc((size_t)B * (size_t)N * (narrow ? 2 : 4) + 1);
    for (int n = 0; n < N; n++)
        for (int b = 0; b < B; b++) {
            size_t i = (size_t)b * (size_t)N + (size_t)n;
            int64_t v = MAT_GET(X, n, b), a = v < 0 ? -v : v;
            xmax[b] = a > xmax[b] ? a : xmax[b];
            if (narrow)
                ((int16_t *)xt)[i] = (int16_t)v;
            else
                ((int32_t *)xt)[i] = (int32_t)v;
        }
    for (int b = 0; b < B; b++)
        j.xmax_all = xmax[b] > j.xmax_all ? xmax[b] : j.xmax_all;
    j.wl1_fmt = (int64_t)N * wm; /* <= 2^24 2^31 */
    if (narrow)
        j.xt16 = xt;
    else
        j.xt = xt;
    mat_init(Y, W->rows, B);
    par_rows(W->rows, jobs, fixp_rows, &j);
    free(xt);
    free(xmax);
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
                              struct rng *junk, struct strbuf *out)
{
    pack_weight_grid(dp, W, fixp_code, junk, out);
}

INV_INLINE void fixp_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    long n = (long)d->outputs * d->tile_cols * dp->batch; /* per column of a batch */
    shell_inventory(dp, inv);
    if (dp->w_encoding == WENC_INT) {
        inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, d->x_ext, d->w_ext, n);
    } else {
        inv_add(inv, COMP_MULTIPLIER, PRIM_SHIFT, d->term_bits, 1 << d->exp_bits, n);
        inv_add(inv, COMP_SIGN, PRIM_NEG, d->term_bits, NEG_MERGED, n);
        inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, d->term_bits, 2, n); /* or 0 */
    }
    tree_inventory(dp, inv, d->tile_cols, d->term_bits);
    fxconv_inventory(dp, inv);
}

static void fixp_tally(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                       void *ctx)
{
    inv_tally_run(fixp_inventory, dp, t, sink, ctx);
}

/* ---- timing ---------------------------------------------------------------- */

/* Each weight bit feeds the R rows' products: a multiplier, or for pow2
 * weights the shift select and the negation; after the trees and
 * accumulators, the conversion into the FIFO. The converters read the
 * accumulator's next value (sum, not acc: the FIFO takes the result in
 * the cycle of the last tile), so rounding and the overflow select
 * extend the accumulator's segment; timed as a segment of their own, the
 * path of v_fixp_q (rnd_conv, sat_sym) was 18 % short (OpenSTA: products,
 * tree, accumulator, round, saturate, FIFO in one 7.15 ns path). Whether
 * each is there follows fxconv_inventory. */
PATH_INLINE void fixp_path(const struct design_point *dp, struct paths *ps, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    int s = d->conv_shift, acc = d->acc_bits;
    int qw = s > 0 ? (acc > s + 1 ? acc - s : 1) + 1 : acc - s;
    p_load(ps, (double)d->outputs * d->w_ext);
    if (dp->w_encoding == WENC_INT) {
        p_mul(ps, d->x_ext, d->w_ext);
    } else {
        p_mux(ps, 1 << d->exp_bits);
        p_neg(ps, d->term_bits);
    }
    p_tree_acc_open(ps, dp, cuts);
    if (s > 0 && dp->quant != FXQ_TRN)
        p_add(ps, qw); /* rounding increment */
    if ((qw > d->lane_bits || !dp->y_signed) && dp->overflow != FXO_WRAP)
        p_mux(ps, 4); /* overflow select */
    seg_close(ps, "accumulator");
}
PATH_FN(fixp_path)
TALLY_PATH_FN_ANY(fixp)

/* ---- test values and operand formats -------------------------------------- */

static void fixp_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi)
{
    struct fx_format f = fmt(dp->x_width, dp->x_int, dp->x_signed);
    *lo = fx_min_code(&f);
    *hi = fx_max_code(&f);
}

static int64_t fixp_weight_extreme(const struct design_point *dp, int positive)
{
    struct fx_format f = fmt(dp->w_width, dp->w_int, dp->w_signed);
    if (dp->w_encoding == WENC_POW2) {
        int64_t p = (int64_t)1 << (dp->shift_max + dp->d.w_frac);
        return positive || !dp->w_signed ? p : -p;
    }
    return positive ? fx_max_code(&f) : fx_min_code(&f);
}

static int64_t fixp_random_weight(const struct design_point *dp, struct rng *r, int density)
{
    if (rng_range(r, 0, 99) >= density)
        return 0;
    if (dp->w_encoding == WENC_POW2) {
        int64_t p = (int64_t)1 << (rng_range(r, dp->shift_min, dp->shift_max) + dp->d.w_frac);
        return dp->w_signed && rng_range(r, 0, 1) ? -p : p;
    }
    struct fx_format f = fmt(dp->w_width, dp->w_int, dp->w_signed);
    return rng_range(r, fx_min_code(&f), fx_max_code(&f));
}

static void fixp_fx_operand(const struct design_point *dp, char operand, struct fx_format *f,
                            enum fx_quant *q, enum fx_ovf *o)
{
    if (operand == 'x') {
        *f = fmt(dp->x_width, dp->x_int, dp->x_signed);
    } else if (operand == 'w') {
        *f = fmt(dp->w_width, dp->w_int, dp->w_signed);
    } else {
        *f = fmt(dp->y_width, dp->y_int, dp->y_signed);
        *q = (enum fx_quant)dp->quant;
        *o = (enum fx_ovf)dp->overflow;
    }
}

const struct kind_ops fixp_ops = {
    .derive = fixp_derive,
    .check_inputs = fixp_check_inputs,
    .model = fixp_model,
    .model_fast = fixp_model_fast,
    .pack_weights = fixp_pack_weights,
    .pack_acts = pack_int_acts,
    .inventory = fixp_inventory,
    .tally = fixp_tally,
    .path = PATH_OPS(fixp_path),
    .tally_path = TALLY_PATH_OPS_ANY(fixp),
    .act_range = fixp_act_range,
    .weight_extreme = fixp_weight_extreme,
    .random_weight = fixp_random_weight,
    .fx_operand = fixp_fx_operand,
};
