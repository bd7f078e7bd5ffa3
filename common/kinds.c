/* kinds.c - the table of core kinds and what all kinds share: the
 * activation stream of integer lanes and the result beat layout. */
#include <stdlib.h>

#include "bits.h"
#include "kind.h"

extern const struct kind_ops tlut_ops, tsign_ops, tmul_ops;

static const struct kind_ops *const kinds[KIND__COUNT] = {
    [KIND_TLUT] = &tlut_ops,
    [KIND_TSIGN] = &tsign_ops,
    [KIND_TMUL] = &tmul_ops,
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
    int w = (int)dp->act_width, tc = d->tile_cols;
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

int unpack_result_beat(const struct design_point *dp, const char *hex, size_t n,
                       int64_t *vals)
{
    struct bitvec bv;
    bv_init(&bv, dp->d.res_bits);
    int rc = bv_parse_hex(&bv, hex, n);
    if (!rc)
        for (int k = 0; k < dp->keys; k++)
            vals[k] = sext64(bv_get(&bv, k * dp->d.acc_bits, dp->d.acc_bits),
                             dp->d.acc_bits);
    bv_free(&bv);
    return rc;
}
