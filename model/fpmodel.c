/* fpmodel.c - bit-exact C model of the ternary kinds with floating-point
 * activations. It follows the order of additions that
 * docs/floating-point.md makes part of the contract, literally:
 *  1. each term is the kind's (fp_term_fn): a LUT entry is the sum of its
 *     non-zero terms d_i * a_i (i increasing, starting from the first),
 *     rounded after each addition, the key's sign negating the entry
 *     afterwards, an all-zero key giving +0 (model/tlut.c); a sign-flip
 *     or a product of the activation (model/tbase.c);
 *  2. the L (or P) terms of an output and tile are reduced pairwise,
 *     level by level (2i + 2i+1; an odd last term moves up);
 *  3. the accumulator starts at +0 and adds each tile's sum in order.
 * Arithmetic is common/softfloat.c in the sum format (acc_type);
 * activations widen into it exactly. */
#include <stdlib.h>

#include "fpmodel.h"
#include "softfloat.h"
#include "util.h"

static uint32_t tree_reduce(enum sf_format f, uint32_t *v, int n)
{
    while (n > 1) {
        int m = 0;
        for (int i = 0; i + 1 < n; i += 2)
            v[m++] = sf_add(f, v[i], v[i + 1]);
        if (n & 1)
            v[m++] = v[n - 1];
        n = m;
    }
    return v[0];
}

/* The FP pattern of weight w in {-1, 0, 1} in format f. */
uint32_t fp_ternary(enum sf_format f, int w)
{
    const struct sf_info *in = sf_info(f);
    if (!w)
        return 0;
    uint32_t one = (uint32_t)in->bias << in->man_bits;
    return w > 0 ? one : one | 1u << (in->bits - 1);
}

void fp_model(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
              struct matrix *Y, fp_term_fn term)
{
    const struct dp_derived *d = &dp->d;
    enum sf_format af = (enum sf_format)d->act_fmt, sf = (enum sf_format)d->acc_fmt;
    int M = W->rows, N = W->cols, B = X->cols, tc = d->tile_cols;
    int tiles = (N + tc - 1) / tc, terms = d->tree_terms, span = tc / terms;
    uint32_t *a = xmalloc((size_t)tc * sizeof *a);
    uint32_t *v = xmalloc((size_t)terms * sizeof *v);
    mat_init(Y, M, B);
    Y->hex_digits = d->acc_bits / 4;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < M; r++) {
            uint32_t acc = 0; /* +0 */
            for (int t = 0; t < tiles; t++) {
                /* the tile's activations, widened; padding lanes are +0 */
                for (int i = 0; i < tc; i++) {
                    int n = t * tc + i;
                    a[i] = n < N ? sf_convert(sf, af, (uint32_t)MAT(X, n, b)) : 0;
                }
                for (int l = 0; l < terms; l++)
                    v[l] = term(dp, W, r, t * tc + l * span, &a[l * span]);
                acc = sf_add(sf, acc, tree_reduce(sf, v, terms));
            }
            MAT(Y, r, b) = acc;
        }
    free(a);
    free(v);
}
