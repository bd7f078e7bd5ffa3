/* vectors.c - co-simulation problems (see vectors.h). Sizes aim at the
 * edges of the tiling (1, tile-1, tile, tile+1, the maximum) and values at
 * the edges of the formats (all-zero, all +1/-1, min/max activations), so
 * that padding, sign handling and accumulator wrap-around are exercised. */
#include "vectors.h"

#include <stdlib.h>
#include <string.h>

#include "../model/kind.h"
#include "mx.h"
#include "rng.h"
#include "softfloat.h"
#include "util.h"

struct vgen {
    struct problem_sink sink; /* first: the kinds' corner problems come here */
    const struct design_point *dp;
    struct job_set *js;
    char **names;
    int alloc;
};

static void add(struct vgen *g, int M, int N, int B, const char *name)
{
    struct job_set *js = g->js;
    /* A job of N = 0 columns, or larger than the core's counters, is not
     * one the core accepts (docs/protocol.md): the RTL waits for it. */
    if (M < 1 || M > g->dp->max_rows || N < 1 || N > g->dp->max_cols || B < 1)
        BUG("problem '%s' of %d x %d, B=%d, outside 1..max_rows=%ld x 1..max_cols=%ld", name,
            M, N, B, (long)g->dp->max_rows, (long)g->dp->max_cols);
    if (js->n == g->alloc) {
        g->alloc = g->alloc ? 2 * g->alloc : 16;
        js->W = xrealloc(js->W, (size_t)g->alloc * sizeof *js->W);
        js->X = xrealloc(js->X, (size_t)g->alloc * sizeof *js->X);
        g->names = xrealloc(g->names, (size_t)g->alloc * sizeof *g->names);
    }
    mat_init(&js->W[js->n], M, N);
    mat_init(&js->X[js->n], N, B);
    js->W[js->n].path = "W";
    js->X[js->n].path = "X";
    g->names[js->n] = xstrdup(name);
    js->n++;
}

static void sink_add(struct problem_sink *s, int M, int N, int B, const char *name,
                     struct matrix **W, struct matrix **X)
{
    struct vgen *g = (struct vgen *)s;
    add(g, M, N, B, name);
    *W = &g->js->W[g->js->n - 1];
    *X = &g->js->X[g->js->n - 1];
}

/* The most weights a random problem has (32 MiB of int64 values), and a
 * corner problem over the longest rows (64 MiB: with max_cols = 2^20, 8
 * rows of them). */
#define RANDOM_MAX_WEIGHTS (1L << 22)
#define CORNER_MAX_WEIGHTS (1L << 23)

static int clampi(long v, long lo, long hi)
{
    return (int)(v < lo ? lo : v > hi ? hi : v);
}

/* A size near the tiling edges, within 1..max. */
static int edge_size(struct rng *r, int tile, long max)
{
    long choice[] = { 1, tile - 1, tile, tile + 1, 2 * tile + 1, 3 * tile - 1, max,
                      rng_range(r, 1, max < 4L * tile + 3 ? max : 4L * tile + 3) };
    long v = choice[rng_range(r, 0, (int64_t)(sizeof choice / sizeof choice[0]) - 1)];
    return clampi(v, 1, max);
}

/* Block-scaled: a random scale code. E8M0 mostly near 1.0, often at both
 * ends of its range (so that T_j overflows to Inf or underflows into
 * subnormals and zero), sometimes NaN; UE4M3 any code, NaN included. */
static int64_t mx_random_scale(const struct design_point *dp, struct rng *r)
{
    int64_t pick = rng_range(r, 0, 19);
    if (dp->d.mx_scale == MXS_UE4M3)
        return pick == 0 ? (rng_range(r, 0, 1) ? 0xff : 0x7f) : rng_range(r, 0, 255);
    return pick < 10  ? rng_range(r, 97, 157)   /* near 1.0 */
           : pick < 13 ? rng_range(r, 0, 12)    /* underflow */
           : pick < 16 ? rng_range(r, 240, 254) /* overflow */
           : pick < 17 ? 255                    /* NaN */
                       : rng_range(r, 0, 254);
}

/* Give every problem without scales random ones. */
static void mx_fill_scales(const struct design_point *dp, struct job_set *js, int from,
                           struct rng *r)
{
    for (int i = from; i < js->n; i++) {
        struct matrix *X = &js->X[i];
        if (X->scales)
            continue;
        X->scales = xcalloc(1, sizeof *X->scales);
        mat_init(X->scales, (int)cdiv(X->rows, dp->d.mx), X->cols);
        X->scales->path = "scales";
        for (size_t j = 0; j < (size_t)X->scales->rows * (size_t)X->scales->cols; j++)
            X->scales->v[j] = mx_random_scale(dp, r);
    }
}

/* A code of the element format with flags `want` (MXF_NAN, MXF_PINF,
 * MXF_NINF; 0: the largest positive finite one). */
static int64_t mx_code(const struct design_point *dp, unsigned want)
{
    enum mx_elem el = (enum mx_elem)dp->d.mx_elem;
    int64_t best = 0, bestv = 0;
    for (uint32_t c = 0; c < (1u << dp->d.lane_in_bits); c++) {
        unsigned f;
        int64_t v = mx_elem_int(el, c, &f);
        if (want ? f == want : !f && v > bestv) {
            if (want)
                return c;
            best = c;
            bestv = v;
        }
    }
    return best;
}

/* Block-scaled corners: scales at both ends of their range and NaN, zero
 * blocks, the largest elements under all +1 weights, specials (NaN, +-Inf
 * of E5M2, +Inf against -Inf), partial last blocks. */
static void mx_vectors(struct vgen *g, struct rng *r)
{
    const struct design_point *dp = g->dp;
    struct job_set *js = g->js;
    int k = dp->d.mx, K = dp->d.outputs;
    int M = clampi(2L * K + 1, 1, dp->max_rows), N = clampi(2L * k + 3, 1, dp->max_cols);
    int e8 = dp->d.mx_scale == MXS_E8M0;
    int64_t big = mx_code(dp, 0);
    const struct { int64_t scale; const char *name; } ends[] = {
        { e8 ? 254 : 0x7e, "largest elements, largest scale (T_j overflows)" },
        { e8 ? 0 : 0x01, "largest elements, smallest scale (T_j underflows)" },
        { e8 ? 1 : 0x08, "largest elements, second smallest scale" },
    };
    for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
        add(g, M, N, 2, ends[e].name);
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = i % 7 == 3 ? -1 : 1;
        for (size_t i = 0; i < (size_t)X->rows * (size_t)X->cols; i++)
            X->v[i] = i % 5 == 2 ? kind_random_act(dp, r) : big;
        mx_fill_scales(dp, js, js->n - 1, r);
        for (size_t j = 0; j < (size_t)X->scales->rows * (size_t)X->scales->cols; j++)
            X->scales->v[j] = ends[e].scale;
    }
    add(g, M, N, 3, "zero blocks, NaN and random scales");
    struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
    for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
        W->v[i] = kind_random_weight(dp, r, 67);
    for (int n = 0; n < X->rows; n++)
        for (int b = 0; b < X->cols; b++) /* block 1 of column b is +-0 */
            MAT(X, n, b) = n / k == 1 ? (rng_range(r, 0, 1) << (dp->d.lane_in_bits - 1))
                                      : kind_random_act(dp, r);
    mx_fill_scales(dp, js, js->n - 1, r);
    MAT(X->scales, 0, 1) = e8 ? 255 : 0x7f;
    MAT(X->scales, X->scales->rows - 1, 2) = e8 ? 255 : 0xff;
    if (dp->d.mx_flags) {
        /* one special in four, so that blocks mix NaN, +Inf and -Inf */
        unsigned fl[3] = { MXF_NAN, MXF_PINF, MXF_NINF };
        int nfl = dp->d.mx_flags == 3 ? 3 : 1;
        add(g, M, N, 2, "special elements (NaN, +-Inf) in most blocks");
        W = &js->W[js->n - 1];
        X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = kind_random_weight(dp, r, 50);
        for (size_t i = 0; i < (size_t)X->rows * (size_t)X->cols; i++)
            X->v[i] = rng_range(r, 0, 3) ? kind_random_act(dp, r)
                                         : mx_code(dp, fl[rng_range(r, 0, nfl - 1)]);
    }
    add(g, M, clampi(k + 1, 1, dp->max_cols), 1, "one input past a block");
    W = &js->W[js->n - 1];
    X = &js->X[js->n - 1];
    for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
        W->v[i] = kind_random_weight(dp, r, 100);
    for (int n = 0; n < X->rows; n++)
        X->v[n] = kind_random_act(dp, r);
}

void make_vectors(const struct design_point *dp, int nrandom, uint64_t seed,
                  struct job_set *js, char ***names)
{
    struct vgen g = { { sink_add }, dp, js, NULL, 0 };
    struct rng r = { seed };
    memset(js, 0, sizeof *js);
    int64_t amin, amax;
    kind_act_range(dp, &amin, &amax);
    int64_t wpos = kind_weight_extreme(dp, 1), wneg = kind_weight_extreme(dp, 0);
    int tc = dp->d.tile_cols, K = dp->d.outputs;
    /* Keep corner problems moderate so co-simulation stays quick. */
    int Mbig = clampi(3L * K + 1, 1, dp->max_rows);
    int Nbig = clampi(3L * tc + 1, 1, dp->max_cols);
    /* rows of the corner problems over the longest rows (N = max_cols) */
    int Mlong = clampi(Mbig < CORNER_MAX_WEIGHTS / dp->max_cols ? Mbig
                                                                : CORNER_MAX_WEIGHTS / dp->max_cols,
                       1, dp->max_rows);

    add(&g, Mbig, Nbig, 1, "all-zero weights");
    for (int n = 0; n < Nbig; n++)
        MAT(&js->X[js->n - 1], n, 0) = kind_random_act(dp, &r);

    /* Extreme sums: largest weights of one sign times extreme activations,
     * over the longest rows (accumulator wrap or saturation). */
    const struct { int wpos, amax; const char *name; } ext[] = {
        { 1, 1, "all max weights, max activations" }, { 0, 0, "all min weights, min activations" },
        { 1, 0, "all max weights, min activations" }, { 0, 1, "all min weights, max activations" },
    };
    for (int e = 0; e < (dp->d.fp ? 0 : 4); e++) {
        add(&g, Mlong, (int)dp->max_cols, 1, ext[e].name);
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = ext[e].wpos ? wpos : wneg;
        for (int n = 0; n < X->rows; n++)
            X->v[n] = ext[e].amax ? amax : amin;
    }

    add(&g, 1, 1, 1, "1 x 1");
    MAT(&js->W[js->n - 1], 0, 0) = wneg;
    MAT(&js->X[js->n - 1], 0, 0) = amin;

    /* The kind's own corners. */
    if (kind_get(dp)->corner_problems)
        kind_get(dp)->corner_problems(dp, &g.sink, &r);
    if (dp->d.mx)
        mx_vectors(&g, &r);
    if (dp->d.fp && !dp->d.mx) {
        /* Large sums of +-max (overflow to inf), and x - x cancellations:
         * every row sums a +1 and a -1 weight on the same activation. */
        const struct sf_info *in = sf_info((enum sf_format)dp->d.act_fmt);
        uint32_t big = ((uint32_t)((1u << in->exp_bits) - 2) << in->man_bits) |
                       ((1u << in->man_bits) - 1);
        if (!in->has_inf)
            big = ((1u << in->exp_bits) - 1) << in->man_bits | ((1u << in->man_bits) - 2);
        add(&g, Mlong, (int)dp->max_cols, 1, "all +1, max activations (overflow)");
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = 1;
        for (int n = 0; n < X->rows; n++)
            X->v[n] = big;
        /* (a pair of inputs: not with max_cols = 1, where the rounding
         * down to pairs gave a job of 0 columns, which hung the core) */
        int N2 = clampi(2L * tc, 2, dp->max_cols) & ~1;
        if (N2 >= 2) {
            add(&g, Mbig, N2, 2, "cancellation x - x");
            W = &js->W[js->n - 1];
            X = &js->X[js->n - 1];
            for (int row = 0; row < W->rows; row++)
                for (int n = 0; n + 1 < N2; n += 2) {
                    MAT(W, row, n) = (row + n) % 3 ? 1 : -1;
                    MAT(W, row, n + 1) = -MAT(W, row, n);
                }
            for (int n = 0; n + 1 < N2; n += 2)
                for (int b = 0; b < 2; b++)
                    MAT(X, n, b) = MAT(X, n + 1, b) = kind_random_act(dp, &r);
        }
    }

    if (dp->batch > 1) {
        /* Two passes of the weights, the second one column short: every
         * column of a pass distinct, so a swapped or shared column shows. */
        int B = 2 * (int)dp->batch - 1;
        add(&g, Mbig, Nbig, B, "batch: 2 passes, the last one short");
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = kind_random_weight(dp, &r, 67);
        for (size_t i = 0; i < (size_t)X->rows * (size_t)B; i++)
            X->v[i] = kind_random_act(dp, &r);
    }

    /* B up to 3 (batch 1), else up to 2 batch + 1: passes of every length. */
    int bmax = dp->batch > 1 ? 2 * (int)dp->batch + 1 : 3;
    for (int v = 0; v < nrandom; v++) {
        int M = edge_size(&r, K, dp->max_rows);
        /* block-scaled: sizes at the block edges half of the time */
        int ntile = dp->d.mx && rng_range(&r, 0, 1) ? dp->d.mx : tc;
        int N = edge_size(&r, ntile, dp->max_cols);
        /* max_rows and max_cols may be 2^20 each: a problem of both at
         * their maximum would be 2^40 weights. Above RANDOM_MAX_WEIGHTS
         * the larger side is drawn again near its tile, and cut to fit if
         * it still does not (the corner problems above keep the maximal
         * N). */
        if ((int64_t)M * N > RANDOM_MAX_WEIGHTS) {
            if (M >= N)
                M = clampi(rng_range(&r, 1, 4L * K + 3), 1, dp->max_rows);
            else
                N = clampi(rng_range(&r, 1, 4L * ntile + 3), 1, dp->max_cols);
        }
        if ((int64_t)M * N > RANDOM_MAX_WEIGHTS) {
            if (M >= N)
                M = (int)(RANDOM_MAX_WEIGHTS / N);
            else
                N = (int)(RANDOM_MAX_WEIGHTS / M);
        }
        int B = (int)rng_range(&r, 1, bmax);
        char name[64];
        snprintf(name, sizeof name, "random %d (%d x %d, B=%d)", v + 1, M, N, B);
        add(&g, M, N, B, name);
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        int style = (int)rng_range(&r, 0, 3); /* sparse, dense, extreme, mixed */
        int density = style == 0 ? 25 : style == 1 ? 100 : 67;
        for (size_t i = 0; i < (size_t)M * (size_t)N; i++)
            W->v[i] = kind_random_weight(dp, &r, density);
        for (size_t i = 0; i < (size_t)N * (size_t)B; i++)
            X->v[i] = dp->d.fp ? kind_random_act(dp, &r)
                      : style == 2 ? (rng_range(&r, 0, 1) ? amax : amin)
                                   : rng_range(&r, amin, amax);
    }
    if (dp->d.mx)
        mx_fill_scales(dp, js, 0, &r);
    *names = g.names;
}

void free_vectors(struct job_set *js, char **names)
{
    for (int i = 0; i < js->n; i++) {
        mat_free(&js->W[i]);
        mat_free(&js->X[i]);
        free(names[i]);
    }
    free(js->W);
    free(js->X);
    free(names);
    memset(js, 0, sizeof *js);
}
