/* vectors.c - co-simulation problems (see vectors.h). Sizes aim at the
 * edges of the tiling (1, tile-1, tile, tile+1, the maximum) and values at
 * the edges of the formats (all-zero, all +1/-1, min/max activations), so
 * that padding, sign handling and accumulator wrap-around are exercised. */
#include "vectors.h"

#include <stdlib.h>
#include <string.h>

#include "../model/kind.h"
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
        add(&g, Mbig, (int)dp->max_cols, 1, ext[e].name);
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
    if (dp->d.fp) {
        /* Large sums of +-max (overflow to inf), and x - x cancellations:
         * every row sums a +1 and a -1 weight on the same activation. */
        const struct sf_info *in = sf_info((enum sf_format)dp->d.act_fmt);
        uint32_t big = ((uint32_t)((1u << in->exp_bits) - 2) << in->man_bits) |
                       ((1u << in->man_bits) - 1);
        if (!in->has_inf)
            big = ((1u << in->exp_bits) - 1) << in->man_bits | ((1u << in->man_bits) - 2);
        add(&g, Mbig, (int)dp->max_cols, 1, "all +1, max activations (overflow)");
        struct matrix *W = &js->W[js->n - 1], *X = &js->X[js->n - 1];
        for (size_t i = 0; i < (size_t)W->rows * (size_t)W->cols; i++)
            W->v[i] = 1;
        for (int n = 0; n < X->rows; n++)
            X->v[n] = big;
        int N2 = clampi(2L * tc, 2, dp->max_cols) & ~1;
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
        int N = edge_size(&r, tc, dp->max_cols);
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
