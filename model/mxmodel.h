/* mxmodel.h - the block-scaled model of the ternary kinds (mxmodel.c). */
#ifndef TF_MODEL_MXMODEL_H
#define TF_MODEL_MXMODEL_H

#include <stdint.h>

#include "dp.h"
#include "matrix.h"
#include "mx.h"

/* An element integer, entry or sum with its special-value flags (MXF_*). */
struct mx_val {
    int64_t v;
    unsigned f;
};

/* -a (infinities swap), a + b (flags OR-ed). */
struct mx_val mx_negate(struct mx_val a);
struct mx_val mx_add(struct mx_val a, struct mx_val b);

/* One term of the integer tree: that of output row r whose weights start
 * at column n0 of W; columns at or past `lim` (the block's end) have
 * weight 0. `a` holds the decoded elements from column n0 on. */
typedef struct mx_val (*mx_term_fn)(const struct design_point *dp, const struct matrix *W,
                                    int r, int n0, int lim, const struct mx_val *a);

/* Y = W X for a block-scaled act_type (d->mx > 0), scales from X->scales
 * (NULL: 1.0), as the hardware computes it (see mxmodel.c). */
void mx_model(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
              struct matrix *Y, mx_term_fn term);

#endif
