/* fpmodel.h - the floating-point model of the ternary kinds (fpmodel.c). */
#ifndef TF_MODEL_FPMODEL_H
#define TF_MODEL_FPMODEL_H

#include <stdint.h>

#include "dp.h"
#include "matrix.h"
#include "softfloat.h"

/* One term of an adder tree: that of output row r whose weights start at
 * column n0 of W, `a` its activations (from the same lane), widened into
 * the sum format. Padding columns (n >= W->cols) have weight 0. */
typedef uint32_t (*fp_term_fn)(const struct design_point *dp, const struct matrix *W, int r,
                               int n0, const uint32_t *a);

/* Y = W X with FP activations: each tile's terms from `term`, reduced
 * pairwise, accumulated in the sum format (docs/floating-point.md). */
void fp_model(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
              struct matrix *Y, fp_term_fn term);
/* +1, 0, -1 as a value of format f. */
uint32_t fp_ternary(enum sf_format f, int w);

#endif
