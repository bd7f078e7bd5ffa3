/* mxmodel.c - bit-exact C model of the ternary kinds with block-scaled
 * activations (OCP MX, NVFP4), built as the hardware is: elements become
 * exact integers (common/mx.c) with special-value flags; each tile's terms
 * (tlut: LUT entries of element integers; tsign: sign-flipped elements)
 * are summed in an integer tree, each output sums its tiles in an integer
 * block accumulator, and at the end of a block the converter rounds
 * scale * sum once into acc_type, which the FP accumulator adds (+0
 * first, blocks in order). A tile never spans two blocks. Every integer
 * is checked against the width dp->d gives it: an overflow is a BUG,
 * since those widths claim to be exact. docs/block-scaled.md is the
 * contract. */
#include <stdlib.h>

#include "mxmodel.h"
#include "softfloat.h"
#include "util.h"

static void check_width(int64_t v, int bits, const char *what)
{
    int64_t lim = (int64_t)1 << (bits - 1);
    if (v >= lim || v < -lim)
        BUG("%s %lld does not fit its %d bits", what, (long long)v, bits);
}

struct mx_val mx_negate(struct mx_val a)
{
    struct mx_val r = { -a.v, (a.f & MXF_NAN) | (a.f & MXF_PINF) << 1 | (a.f & MXF_NINF) >> 1 };
    return r;
}

struct mx_val mx_add(struct mx_val a, struct mx_val b)
{
    struct mx_val r = { a.v + b.v, a.f | b.f };
    return r;
}

void mx_model(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
              struct matrix *Y, mx_term_fn term)
{
    const struct dp_derived *d = &dp->d;
    enum sf_format sf = (enum sf_format)d->acc_fmt;
    enum mx_elem el = (enum mx_elem)d->mx_elem;
    enum mx_scale sk = (enum mx_scale)d->mx_scale;
    int M = W->rows, N = W->cols, B = X->cols, tc = d->tile_cols, k = d->mx;
    int terms = d->tree_terms, span = tc / terms;
    int blocks = (N + k - 1) / k, padded = (k + tc - 1) / tc * tc;
    const struct matrix *S = X->scales;
    if (S && (S->rows != blocks || S->cols != B))
        BUG("scales are %dx%d, not %dx%d", S->rows, S->cols, blocks, B);
    /* One block's elements, decoded; lanes past the block's end are 0. */
    struct mx_val *a = xmalloc((size_t)padded * sizeof *a);
    mat_init(Y, M, B);
    Y->hex_digits = d->acc_bits / 4;
    for (int b = 0; b < B; b++)
        for (int r = 0; r < M; r++) {
            uint32_t acc = 0; /* +0 */
            for (int j = 0; j < blocks; j++) {
                int base = j * k, end = base + k < N ? base + k : N;
                for (int i = 0; i < padded; i++) {
                    a[i].v = 0;
                    a[i].f = 0;
                    if (base + i < end)
                        a[i].v = mx_elem_int(el, (uint32_t)MAT(X, base + i, b), &a[i].f);
                }
                struct mx_val blk = { 0, 0 };
                for (int t = base; t < end; t += tc) {
                    struct mx_val tree = { 0, 0 };
                    for (int l = 0; l < terms; l++) {
                        int n0 = t + l * span;
                        struct mx_val v = term(dp, W, r, n0, end, &a[n0 - base]);
                        check_width(v.v, d->term_bits, "MX term");
                        tree = mx_add(tree, v);
                    }
                    check_width(tree.v, d->tree_bits, "MX tree sum");
                    blk = mx_add(blk, tree);
                    check_width(blk.v, d->blk_bits, "MX block sum");
                }
                uint32_t code = S ? (uint32_t)MAT(S, j, b) : mx_scale_one(sk);
                acc = sf_add(sf, acc, mx_block_convert(sf, el, sk, blk.v, blk.f, code));
            }
            MAT(Y, r, b) = acc;
        }
    free(a);
}
