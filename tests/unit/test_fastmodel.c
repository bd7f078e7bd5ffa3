/* test_fastmodel.c - the fast models (model/fastmodel.c, each kind's
 * model_fast) give the reference models' bits.
 *
 * 1. Random points of every kind and activation type (int of every
 *    width with auto, tiny and 64-bit accumulators; fp16, bf16, fp8e4m3,
 *    fp8e5m2 with every legal sum format; fixp with every mode), odd
 *    shapes off the tile grid, B from 1 to 11 (the 4-column and 8-column
 *    blocks and their remainders), --jobs 1 to 4: Y equals the reference
 *    model's (kind_ops.model) bit for bit.
 * 2. Integer sums beyond int32: N = 70001 columns of -32768 against
 *    weights -1 (every product +2^15, the exact sum 70001 * 2^15 > 2^31),
 *    with a 64-bit accumulator, against the exact value computed here.
 * 3. tlut FP whose LUTs take several chunks, against the reference.
 * 4. The same Y whatever --jobs (1, 2, 3, 7).
 * 4b. fixp with every code at its extreme (block sums at their largest,
 *    a 40-bit accumulator); a saturating accumulator at the edge of the
 *    bound that lets an output skip the tile-by-tile loop.
 * 4c. fixp accumulators that really saturate (acc_width 2..64, tiles of
 *    1 to 33, short last tiles, int64 and compact W), against the
 *    reference; the outputs at the accumulator's bound are counted.
 * 5. Compact storage (what `run` reads): every point of 1. again with W
 *    and X in a random one of the compact types that holds their values
 *    (int8, int16, int32; copies made here), against the same reference.
 * Activations: FP draws mix kind_random_act's corner patterns (zeros,
 * subnormals, infinities, NaNs) with finite values, so that long sums do
 * not all turn into NaN. Usage: test_fastmodel [SEED]. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfmt.h"
#include "dp.h"
#include "fixq.h"
#include "../../model/kind.h"
#include "rng.h"
#include "softfloat.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

static void set(struct design_point *dp, const char *n, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    dp_set(dp, n, buf, "t", "t");
}

/* An activation: a corner pattern 1 time in `corner`, else a finite
 * value (FP) or a uniform code. */
static int64_t draw_act(const struct design_point *dp, struct rng *r, int corner)
{
    if (!dp->d.fp || dp->d.mx || rng_range(r, 1, corner) == 1)
        return kind_random_act(dp, r); /* block-scaled: element codes, rare specials */
    enum sf_format f = (enum sf_format)dp->d.act_fmt;
    int bits = sf_info(f)->bits;
    for (;;) {
        uint32_t u = (uint32_t)rng_range(r, 0, ((int64_t)1 << bits) - 1);
        if (!sf_is_nan(f, u) && !sf_is_inf(f, u))
            return u;
    }
}

/* A random point of kind `kind` and activation type `at`; 0 if invalid. */
static int random_point(struct design_point *dp, struct rng *r, int kind, int at)
{
    dp_init(dp);
    dp_set(dp, "kind", kind_names[kind], "t", "t");
    if (kind == KIND_FIXP) {
        static const int widths[] = { 2, 3, 5, 8, 12, 16, 24 };
        set(dp, "array_rows", rng_range(r, 1, 6));
        set(dp, "array_cols", rng_range(r, 1, 9));
        set(dp, "x_width", widths[rng_range(r, 0, 6)]);
        set(dp, "x_int", rng_range(r, -4, 20));
        set(dp, "x_signed", rng_range(r, 0, 1));
        set(dp, "w_width", widths[rng_range(r, 0, 6)]);
        set(dp, "w_int", rng_range(r, -4, 20));
        set(dp, "w_signed", rng_range(r, 0, 1));
        set(dp, "y_width", widths[rng_range(r, 0, 6)]);
        set(dp, "y_int", rng_range(r, -4, 30));
        set(dp, "y_signed", rng_range(r, 0, 1));
        dp_set(dp, "quant", fx_quant_names[rng_range(r, 0, FXQ__COUNT - 1)], "t", "t");
        dp_set(dp, "overflow", fx_ovf_names[rng_range(r, 0, FXO__COUNT - 1)], "t", "t");
        dp_set(dp, "acc_overflow", rng_range(r, 0, 1) ? "sat" : "wrap", "t", "t");
        if (rng_range(r, 0, 1))
            set(dp, "acc_width", rng_range(r, 6, 40));
    } else {
        if (kind == KIND_TLUT) {
            long mu = rng_range(r, 1, 8);
            set(dp, "mu", mu);
            set(dp, "luts", rng_range(r, 1, mu >= 6 ? 3 : 9));
        } else {
            set(dp, "inputs", rng_range(r, 1, 40));
        }
        set(dp, "keys", rng_range(r, 1, 9));
        dp_set(dp, "act_type", act_type_names[at], "t", "t");
        if (at == ACT_INT) {
            static const int accs[] = { 0, 0, 2, 5, 16, 31, 33, 64 };
            set(dp, "act_width", rng_range(r, 2, ACT_WIDTH_MAX));
            set(dp, "acc_width", accs[rng_range(r, 0, 7)]);
        } else {
            dp_set(dp, "acc_type", acc_type_names[rng_range(r, 0, ACC__COUNT - 1)], "t", "t");
        }
    }
    set(dp, "max_rows", 300);
    set(dp, "max_cols", 600);
    tf_quiet = 1; /* an illegal combination drawn is skipped */
    int bad = dp_finalize(dp);
    tf_quiet = 0;
    return !bad;
}

/* A point from four NAME=VALUE settings; 0 (and a failure) if rejected. */
static int fixed_point(struct design_point *dp, const char *s0, const char *s1, const char *s2,
                       const char *s3)
{
    char *sets[] = { (char *)s0, (char *)s1, (char *)s2, (char *)s3 };
    dp_init(dp);
    int bad = dp_apply_sets(dp, sets, 4) || dp_finalize(dp);
    CHECK(!bad, "point %s %s %s %s rejected", s0, s1, s2, s3);
    return !bad;
}

/* Random W (M x N, `density`% non-zero) and X (N x B) for dp. */
static void random_inputs(const struct design_point *dp, struct rng *r, int M, int N, int B,
                          int density, int corner, struct matrix *W, struct matrix *X)
{
    mat_init(W, M, N);
    mat_init(X, N, B);
    for (size_t i = 0; i < (size_t)M * N; i++)
        W->v[i] = kind_random_weight(dp, r, density);
    for (size_t i = 0; i < (size_t)N * B; i++)
        X->v[i] = draw_act(dp, r, corner);
    W->path = X->path = "t";
}

static int same(const struct matrix *a, const struct matrix *b, int *r, int *c)
{
    if (a->rows != b->rows || a->cols != b->cols) {
        *r = *c = -1;
        return 0;
    }
    for (*r = 0; *r < a->rows; (*r)++)
        for (*c = 0; *c < a->cols; (*c)++)
            if (MAT(a, *r, *c) != MAT(b, *r, *c))
                return 0;
    return 1;
}

/* A compact copy of m: a random type among int8/int16/int32 that holds
 * every value (none: *c = *m with its storage shared; c->e NULL). */
static void compact_copy(const struct matrix *m, struct rng *r, struct matrix *c)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        lo = m->v[i] < lo ? m->v[i] : lo;
        hi = m->v[i] > hi ? m->v[i] : hi;
    }
    int least = lo >= -128 && hi <= 127 ? MAT_I8 : lo >= -32768 && hi <= 32767 ? MAT_I16
              : lo >= INT32_MIN && hi <= INT32_MAX ? MAT_I32 : MAT_I64;
    *c = *m;
    if (least == MAT_I64)
        return;
    c->et = (int)rng_range(r, least, MAT_I32);
    c->v = NULL;
    c->e = xmalloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++) {
        if (c->et == MAT_I8)
            ((int8_t *)c->e)[i] = (int8_t)m->v[i];
        else if (c->et == MAT_I16)
            ((int16_t *)c->e)[i] = (int16_t)m->v[i];
        else
            ((int32_t *)c->e)[i] = (int32_t)m->v[i];
    }
}

static int compact_points; /* points run again from compact storage */

static void check_random(struct rng *r, int iter, int *points, long *outputs)
{
    int kind = (int)rng_range(r, 0, KIND__COUNT - 1);
    int at = (int)rng_range(r, 0, ACT__COUNT - 1);
    struct design_point dp;
    if (!random_point(&dp, r, kind, at))
        return;
    (*points)++;
    int M = (int)rng_range(r, 1, iter % 5 == 0 ? 300 : 40);
    int N = (int)rng_range(r, 1, iter % 7 == 0 ? 600 : 80);
    int B = (int)rng_range(r, 1, 11), jobs = (int)rng_range(r, 1, 4);
    int corner = (int)rng_range(r, 2, 200);
    struct matrix W, X, Yr, Yf;
    random_inputs(&dp, r, M, N, B, (int)rng_range(r, 0, 100), corner, &W, &X);
    CHECK(kind_get(&dp)->check_inputs(&dp, &W, &X) == 0, "point %d: inputs rejected", iter);
    kind_get(&dp)->model(&dp, &W, &X, &Yr);
    kind_model_fast(&dp, &W, &X, &Yf, jobs);
    int i, j;
    CHECK(same(&Yf, &Yr, &i, &j),
          "point %d (%s act_type=%s acc_bits=%d, %d x %d x %d, jobs %d): y[%d][%d] = %" PRId64
          ", reference %" PRId64, iter, kind_names[kind], act_type_names[dp.act_type],
          dp.d.acc_bits, M, N, B, jobs, i, j, i >= 0 ? MAT(&Yf, i, j) : 0,
          i >= 0 ? MAT(&Yr, i, j) : 0);
    CHECK(Yf.hex_digits == Yr.hex_digits, "point %d: hex_digits %d, reference %d", iter,
          Yf.hex_digits, Yr.hex_digits);
    struct matrix Wc, Xc, Yc;
    compact_copy(&W, r, &Wc);
    compact_copy(&X, r, &Xc);
    if (Wc.e || Xc.e) {
        compact_points++;
        CHECK(kind_get(&dp)->check_inputs(&dp, &Wc, &Xc) == 0, "point %d: compact inputs "
              "rejected", iter);
        kind_model_fast(&dp, &Wc, &Xc, &Yc, jobs);
        CHECK(same(&Yc, &Yr, &i, &j),
              "point %d (%s act_type=%s, %d x %d x %d, jobs %d, compact W type %d, X type %d): "
              "y[%d][%d] = %" PRId64 ", reference %" PRId64, iter, kind_names[kind],
              act_type_names[dp.act_type], M, N, B, jobs, Wc.et, Xc.et, i, j,
              i >= 0 ? MAT(&Yc, i, j) : 0, i >= 0 ? MAT(&Yr, i, j) : 0);
        mat_free(&Yc);
    }
    free(Wc.e);
    free(Xc.e);
    *outputs += (long)M * B;
    mat_free(&W);
    mat_free(&X);
    mat_free(&Yr);
    mat_free(&Yf);
}

/* Sums beyond int32, against the exact value. */
static void check_long_sums(void)
{
    for (int kind = 0; kind < KIND__COUNT; kind++) {
        struct design_point dp;
        if (!(KINDS_TERNARY & KIND_BIT(kind)))
            continue;
        char k[32];
        snprintf(k, sizeof k, "kind=%s", kind_names[kind]);
        if (!fixed_point(&dp, k, "act_width=16", "max_cols=70001", "acc_width=64"))
            continue;
        int N = 70001;
        struct matrix W, X, Y;
        mat_init(&W, 2, N);
        mat_init(&X, N, 5);
        for (int n = 0; n < N; n++) {
            MAT(&W, 0, n) = -1;
            MAT(&W, 1, n) = n % 3 - 1;
            for (int b = 0; b < 5; b++)
                MAT(&X, n, b) = b == 2 ? 32767 : -32768;
        }
        kind_model_fast(&dp, &W, &X, &Y, 2);
        for (int b = 0; b < 5; b++) {
            int64_t x = b == 2 ? 32767 : -32768, s1 = 0;
            for (int n = 0; n < N; n++)
                s1 += (n % 3 - 1) * x;
            CHECK(MAT(&Y, 0, b) == -(int64_t)N * x, "long sums %s col %d: %" PRId64 ", want %"
                  PRId64, kind_names[kind], b, MAT(&Y, 0, b), -(int64_t)N * x);
            CHECK(MAT(&Y, 1, b) == s1, "long sums %s row 1 col %d", kind_names[kind], b);
        }
        mat_free(&W);
        mat_free(&X);
        mat_free(&Y);
    }
}

/* fixp at the codes' extremes, where a block of products is largest:
 * every width pair of fits-int16 codes around the fast model's narrow
 * bound (64 products in int32), W and X all at their most negative or
 * largest code, wrap and saturation, against the reference. */
static void check_fixp_extremes(void)
{
    static const int widths[] = { 8, 12, 13, 15, 16 };
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++)
            for (int k = 0; k < 4; k++) {
                struct design_point dp;
                char ww[32], xw[32], sg[32];
                snprintf(ww, sizeof ww, "w_width=%d", widths[a]);
                snprintf(xw, sizeof xw, "x_width=%d", widths[b]);
                snprintf(sg, sizeof sg, "x_signed=%d", k & 1);
                /* A wide accumulator and Y its bits from acc_frac - 16 up
                 * (all-fraction codes, y_frac 16; Y wraps): a wrap to 32
                 * bits, or a saturating Y, would hide an int32 overflow. */
                char *sets[] = { "kind=fixp", ww, xw, sg, "max_cols=300", "y_width=24",
                                 k & 2 ? "acc_overflow=sat" : "acc_overflow=wrap",
                                 "acc_width=40", "w_int=0", "x_int=0", "y_int=8",
                                 "overflow=wrap" };
                dp_init(&dp);
                tf_quiet = 1; /* the accumulator's overflow warning */
                int bad = dp_apply_sets(&dp, sets, 12) || dp_finalize(&dp);
                tf_quiet = 0;
                if (bad) {
                    CHECK(0, "fixp extremes: %s %s %s rejected", ww, xw, sg);
                    continue;
                }
                int64_t wlo = kind_weight_extreme(&dp, 0), whi = kind_weight_extreme(&dp, 1);
                int64_t xlo, xhi;
                kind_act_range(&dp, &xlo, &xhi);
                struct matrix W, X, Yr, Yf;
                int M = 2, N = 300;
                mat_init(&W, M, N);
                mat_init(&X, N, 2);
                W.path = X.path = "t";
                for (int n = 0; n < N; n++) {
                    MAT(&W, 0, n) = wlo;
                    MAT(&W, 1, n) = whi;
                    MAT(&X, n, 0) = xlo;
                    MAT(&X, n, 1) = xhi;
                }
                kind_get(&dp)->model(&dp, &W, &X, &Yr);
                kind_model_fast(&dp, &W, &X, &Yf, 1);
                int i, j;
                CHECK(same(&Yf, &Yr, &i, &j), "fixp extremes %s %s %s %s: y[%d][%d] = %" PRId64
                      ", reference %" PRId64, ww, xw, sg, sets[6], i, j,
                      i >= 0 ? MAT(&Yf, i, j) : 0, i >= 0 ? MAT(&Yr, i, j) : 0);
                mat_free(&W);
                mat_free(&X);
                mat_free(&Yr);
                mat_free(&Yf);
            }
}

/* A saturating 64-bit fixp accumulator driven past 2^63 (140000
 * products of 2^46): the sum itself would overflow int64 (the fast
 * model saturates in int64 only up to 62 bits). */
static void check_fixp_acc64(void)
{
    struct design_point dp;
    char *sets[] = { "kind=fixp", "w_width=24", "x_width=24", "w_int=24", "x_int=24",
                     "acc_width=64", "acc_overflow=sat", "max_cols=140000", "y_width=24",
                     "y_int=24" };
    dp_init(&dp);
    tf_quiet = 1;
    int bad = dp_apply_sets(&dp, sets, 10) || dp_finalize(&dp);
    tf_quiet = 0;
    CHECK(!bad, "fixp acc64 point rejected");
    if (bad)
        return;
    int N = 140000;
    struct matrix W, X, Yr, Yf;
    mat_init(&W, 1, N);
    mat_init(&X, N, 1);
    W.path = X.path = "t";
    for (int n = 0; n < N; n++)
        MAT(&W, 0, n) = MAT(&X, n, 0) = -((int64_t)1 << 23);
    kind_get(&dp)->model(&dp, &W, &X, &Yr);
    kind_model_fast(&dp, &W, &X, &Yf, 1);
    CHECK(MAT(&Yf, 0, 0) == MAT(&Yr, 0, 0), "fixp acc64: %" PRId64 ", reference %" PRId64,
          MAT(&Yf, 0, 0), MAT(&Yr, 0, 0));
    mat_free(&W);
    mat_free(&X);
    mat_free(&Yr);
    mat_free(&Yf);
}

/* A saturating fixp accumulator whose outputs skip the tile-by-tile loop
 * when (sum |w|) max |x| cannot leave its range: 12 bits (+-2047), X all
 * -128, Y the accumulator itself. Row 0: 16 weights -1, the bound 2048 is
 * one past the range and the exact sum 2048 saturates to 2047; row 1: 15
 * weights -1, 1920 exactly; row 2: +127 then -127, partial sums that
 * saturate low and come back; row 3: random codes (seed r); row 4: +1,
 * -1, ... (the bound 25600: the tile loop, whose partial sums stay
 * within +-128, exact sum 0, every tile's every product counts). Tiles of
 * `cols` (array_cols=K): the saturating loop's tile sums. Rows 0 and 1
 * against values known here, all against the reference, from int64 and
 * compact int8 W, 1 and 2 threads. */
static void check_fixp_sat_bound(struct rng *r, const char *cols)
{
    struct design_point dp;
    char *sets[] = { "kind=fixp", "w_width=8", "x_width=8", "w_int=8", "x_int=8",
                     "acc_width=12", "acc_overflow=sat", "max_cols=200", "y_width=24",
                     "y_int=24", (char *)cols };
    dp_init(&dp);
    tf_quiet = 1;
    int bad = dp_apply_sets(&dp, sets, 11) || dp_finalize(&dp);
    tf_quiet = 0;
    CHECK(!bad, "fixp sat bound point rejected");
    if (bad)
        return;
    int M = 5, N = 200;
    struct matrix W, X, Yr;
    mat_init(&W, M, N);
    mat_init(&X, N, 1);
    W.path = X.path = "t";
    for (int n = 0; n < N; n++) {
        MAT(&X, n, 0) = -128;
        MAT(&W, 0, n) = n < 16 ? -1 : 0;
        MAT(&W, 1, n) = n >= 50 && n < 65 ? -1 : 0;
        MAT(&W, 2, n) = n < N / 2 ? 127 : -127;
        MAT(&W, 3, n) = rng_range(r, -128, 127);
        MAT(&W, 4, n) = n % 2 ? -1 : 1;
    }
    int8_t *w8 = xmalloc((size_t)M * N);
    for (size_t i = 0; i < (size_t)M * N; i++)
        w8[i] = (int8_t)W.v[i];
    struct matrix Wc = W;
    Wc.v = NULL;
    Wc.e = w8;
    Wc.et = MAT_I8;
    kind_get(&dp)->model(&dp, &W, &X, &Yr);
    CHECK(MAT(&Yr, 0, 0) == 2047 && MAT(&Yr, 1, 0) == 1920 && MAT(&Yr, 4, 0) == 0,
          "fixp sat bound: reference %" PRId64 " %" PRId64 " %" PRId64 ", want 2047 1920 0",
          MAT(&Yr, 0, 0), MAT(&Yr, 1, 0), MAT(&Yr, 4, 0));
    for (int k = 0; k < 4; k++) {
        struct matrix Yf;
        int i, j;
        kind_model_fast(&dp, k & 1 ? &Wc : &W, &X, &Yf, 1 + (k >> 1));
        CHECK(same(&Yf, &Yr, &i, &j) && MAT(&Yf, 0, 0) == 2047 && MAT(&Yf, 1, 0) == 1920,
              "fixp sat bound (%s, %s W, jobs %d): y[%d][%d] = %" PRId64 ", reference %" PRId64
              "; rows 0, 1: %" PRId64 " %" PRId64 ", want 2047 1920", cols,
              k & 1 ? "int8" : "int64", 1 + (k >> 1), i, j, i >= 0 ? MAT(&Yf, i, j) : 0,
              i >= 0 ? MAT(&Yr, i, j) : 0, MAT(&Yf, 0, 0), MAT(&Yf, 1, 0));
        mat_free(&Yf);
    }
    free(w8);
    mat_free(&W);
    mat_free(&X);
    mat_free(&Yr);
}

/* Saturating fixp accumulators that really saturate, through the fast
 * model's whole-row loops (model/fixp.c sat_row8, sat_row16) and the
 * general one: seeded random points with tiles of every constant-length
 * loop and others (C = 1..9, 16, 17, 32, 33), N below, at and off the
 * tile grid (a short last tile, N < C), M and B not multiples of 4 or 8,
 * acc_width 2..64, codes of 2 to 24 bits (narrow ones take int16 lanes),
 * signed and unsigned; weights and activations at their extremes half
 * the time, so that partial sums leave the range and come back. Integer
 * formats and y = the accumulator's low 32 bits, so that an output at
 * the accumulator's bound shows a saturated sum (counted: the test must
 * see some). W as int64 and in a compact type (int8 when the codes fit,
 * the rows the fast model reads as they are), --jobs 1..3, against the
 * reference model. */
static void check_fixp_sat_rows(struct rng *r)
{
    static const int cs[] = { 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 32, 33 };
    static const int widths[] = { 2, 3, 5, 8, 8, 8, 9, 12, 16, 24 };
    int points = 0, at_bound = 0, compact8 = 0;
    for (int it = 0; it < 160; it++) {
        struct design_point dp;
        int C = cs[rng_range(r, 0, 11)], ww = widths[rng_range(r, 0, 9)];
        int xw = widths[rng_range(r, 0, 9)], acc = (int)rng_range(r, 2, it % 4 ? 32 : 64);
        dp_init(&dp);
        dp_set(&dp, "kind", "fixp", "t", "t");
        dp_set(&dp, "acc_overflow", "sat", "t", "t");
        set(&dp, "array_cols", C);
        set(&dp, "array_rows", rng_range(r, 1, 4));
        set(&dp, "w_width", ww);
        set(&dp, "w_int", ww);
        set(&dp, "w_signed", rng_range(r, 0, 3) > 0);
        set(&dp, "x_width", xw);
        set(&dp, "x_int", xw);
        set(&dp, "x_signed", rng_range(r, 0, 3) > 0);
        set(&dp, "y_width", 32);
        set(&dp, "y_int", 32);
        set(&dp, "acc_width", acc);
        set(&dp, "max_cols", 300);
        tf_quiet = 1;
        int bad = dp_finalize(&dp);
        tf_quiet = 0;
        if (bad)
            continue;
        points++;
        int M = (int)rng_range(r, 1, 21), B = (int)rng_range(r, 1, 5);
        int N = (int)(it % 3 ? rng_range(r, 1, 300) : rng_range(r, 1, 2 * C + 1));
        int jobs = (int)rng_range(r, 1, 3), extreme = it % 2;
        struct fx_format wf = { ww, ww, (int)dp.w_signed }, xf = { xw, xw, (int)dp.x_signed };
        struct matrix W, X, Yr, Yf, Wc;
        mat_init(&W, M, N);
        mat_init(&X, N, B);
        W.path = X.path = "t";
        /* Extremes: a row of one sign for a stretch, then the other. */
        for (int m = 0; m < M; m++)
            for (int n = 0; n < N; n++)
                MAT(&W, m, n) = !extreme ? rng_range(r, fx_min_code(&wf), fx_max_code(&wf))
                               : (n * 3 / (N + 2) + m) % 2 || !dp.w_signed ? fx_max_code(&wf)
                               : fx_min_code(&wf);
        for (size_t i = 0; i < (size_t)N * B; i++)
            X.v[i] = extreme && rng_range(r, 0, 3) ? fx_max_code(&xf)
                   : rng_range(r, fx_min_code(&xf), fx_max_code(&xf));
        kind_get(&dp)->model(&dp, &W, &X, &Yr);
        int64_t hi = acc >= 33 ? INT64_MAX : ((int64_t)1 << (acc - 1)) - 1;
        for (size_t i = 0; i < (size_t)M * B; i++)
            at_bound += Yr.v[i] == hi || Yr.v[i] == -hi - 1;
        compact_copy(&W, r, &Wc);
        compact8 += Wc.e && Wc.et == MAT_I8;
        for (int k = 0; k < 2; k++) {
            int i, j;
            if (k && !Wc.e)
                break;
            kind_model_fast(&dp, k ? &Wc : &W, &X, &Yf, jobs);
            CHECK(same(&Yf, &Yr, &i, &j),
                  "fixp sat rows %d (C=%d w%d%s x%d%s acc_width=%d, %d x %d x %d, %s W, "
                  "jobs %d): y[%d][%d] = %" PRId64 ", reference %" PRId64, it, C, ww,
                  dp.w_signed ? "" : "u", xw, dp.x_signed ? "" : "u", acc, M, N, B,
                  k ? "compact" : "int64", jobs, i, j, i >= 0 ? MAT(&Yf, i, j) : 0,
                  i >= 0 ? MAT(&Yr, i, j) : 0);
            mat_free(&Yf);
        }
        free(Wc.e);
        mat_free(&W);
        mat_free(&X);
        mat_free(&Yr);
    }
    printf("test_fastmodel: fixp sat rows: %d points, %d outputs at the accumulator's bound, "
           "%d with int8 W\n", points, at_bound, compact8);
    CHECK(points > 100 && at_bound > 200 && compact8 > 10,
          "fixp sat rows: %d points, %d outputs saturated, %d with int8 W: too few", points,
          at_bound, compact8);
}

/* tlut FP with tables larger than one chunk (model/fastmodel.c builds
 * the LUTs of a few tiles at a time): mu=8, L=16 is 1.7 MB of tables per
 * tile, so N = 647 (6 tiles) takes 3 chunks; every act_type, GEMV
 * (lanes over rows) and GEMM. */
static void check_lut_chunks(struct rng *r)
{
    for (int at = 1; at < ACT__COUNT; at++)
        for (int B = 1; B <= 9; B += 8) {
            /* block-scaled: no chunked FP tables (the fast path is the
             * model), and a tile of mu*L = 128 inputs would span blocks */
            if (act_formats[at].k)
                continue;
            struct design_point dp;
            char a[32];
            snprintf(a, sizeof a, "act_type=%s", act_type_names[at]);
            if (!fixed_point(&dp, a, "mu=8", "luts=16", "max_cols=647"))
                continue;
            int M = 13, N = 647;
            struct matrix W, X, Yr, Yf;
            random_inputs(&dp, r, M, N, B, 70, 1000, &W, &X);
            kind_get(&dp)->model(&dp, &W, &X, &Yr);
            kind_model_fast(&dp, &W, &X, &Yf, 2);
            int i, j;
            CHECK(same(&Yf, &Yr, &i, &j), "lut chunks %s B=%d: y[%d][%d] differs",
                  act_type_names[at], B, i, j);
            mat_free(&W);
            mat_free(&X);
            mat_free(&Yr);
            mat_free(&Yf);
        }
}

/* --jobs does not change a bit. */
static void check_jobs(struct rng *r)
{
    for (int at = 0; at < ACT__COUNT; at++) {
        struct design_point dp;
        int kind = act_formats[at].k ? at % 2 : at % 3; /* block-scaled: not tmul */
        if (!random_point(&dp, r, kind, at)) {
            at--;
            continue;
        }
        struct matrix W, X, Y1, Yj;
        int M = 97, N = 211, B = 3;
        random_inputs(&dp, r, M, N, B, 60, 100, &W, &X);
        kind_model_fast(&dp, &W, &X, &Y1, 1);
        static const int jobs[] = { 2, 3, 7 };
        for (int k = 0; k < 3; k++) {
            int i, j;
            kind_model_fast(&dp, &W, &X, &Yj, jobs[k]);
            CHECK(same(&Y1, &Yj, &i, &j), "%s %s: --jobs %d differs from 1 at y[%d][%d]",
                  kind_names[kind], act_type_names[at], jobs[k], i, j);
            mat_free(&Yj);
        }
        mat_free(&W);
        mat_free(&X);
        mat_free(&Y1);
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261206;
    printf("test_fastmodel: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    int points = 0;
    long outputs = 0;
    for (int iter = 0; iter < 700; iter++)
        check_random(&r, iter, &points, &outputs);
    CHECK(points > 300, "only %d valid points", points);
    check_long_sums();
    check_fixp_extremes();
    check_fixp_acc64();
    /* tiles of a generic width and of each constant-length tile loop */
    check_fixp_sat_bound(&r, "array_cols=7");
    check_fixp_sat_bound(&r, "array_cols=8");
    check_fixp_sat_bound(&r, "array_cols=16");
    check_fixp_sat_bound(&r, "array_cols=32");
    check_fixp_sat_rows(&r);
    check_lut_chunks(&r);
    check_jobs(&r);
    printf("test_fastmodel: %d points, %ld outputs against the reference models; %d points "
           "again from compact storage\n", points, outputs, compact_points);
    printf("test_fastmodel: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
