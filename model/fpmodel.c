/* fpmodel.c - bit-exact C model of the ternary kinds with floating-point
 * activations (tlut, tsign, tmul). It follows the order of additions that
 * docs/floating-point.md makes part of the contract, literally:
 *  1. a LUT entry is the sum of its non-zero terms d_i * a_i (i increasing,
 *     starting from the first), rounded after each addition; the key's
 *     sign negates the entry afterwards; an all-zero key gives +0;
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

/* Sum of d_i * a_i over the non-zero balanced-ternary digits of code. */
static uint32_t lut_entry(enum sf_format f, const uint32_t *a, int mu, long code)
{
    uint32_t e = 0;
    int started = 0;
    for (int i = 0; i < mu; i++) {
        long d = ((code % 3) + 3) % 3;
        int digit = d == 2 ? -1 : (int)d;
        code = (code - digit) / 3;
        if (!digit)
            continue;
        uint32_t t = digit > 0 ? a[i] : sf_neg(f, a[i]);
        e = started ? sf_add(f, e, t) : t;
        started = 1;
    }
    return e;
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
              struct matrix *Y)
{
    const struct dp_derived *d = &dp->d;
    enum sf_format af = (enum sf_format)d->act_fmt, sf = (enum sf_format)d->acc_fmt;
    int M = W->rows, N = W->cols, B = X->cols, tc = d->tile_cols;
    int tiles = (N + tc - 1) / tc, terms = d->tree_terms;
    int mu = dp->kind == KIND_TLUT ? (int)dp->mu : 1;
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
                for (int l = 0; l < terms; l++) {
                    if (dp->kind == KIND_TLUT) {
                        long code = 0, p = 1;
                        for (int i = 0; i < mu; i++) {
                            int n = t * tc + l * mu + i;
                            code += (n < N ? MAT(W, r, n) : 0) * p;
                            p *= 3;
                        }
                        uint32_t e = code ? lut_entry(sf, &a[l * mu], mu, code < 0 ? -code : code)
                                          : 0;
                        v[l] = code < 0 ? sf_neg(sf, e) : e;
                    } else {
                        int n = t * tc + l;
                        int w = n < N ? (int)MAT(W, r, n) : 0;
                        if (dp->kind == KIND_TSIGN)
                            v[l] = !w ? 0 : w > 0 ? a[l] : sf_neg(sf, a[l]);
                        else
                            v[l] = sf_mul(sf, a[l], sf_convert(sf, af, fp_ternary(af, w)));
                    }
                }
                acc = sf_add(sf, acc, tree_reduce(sf, v, terms));
            }
            MAT(Y, r, b) = acc;
        }
    free(a);
    free(v);
}
