/* fastmodel.h - the C model at native speed (fastmodel.c): the same bits
 * as each kind's cycle-faithful model, computed the way a CPU is fast.
 * The kinds' model_fast ops call these; generic code calls
 * kind_model_fast() (kind.h). */
#ifndef TF_MODEL_FASTMODEL_H
#define TF_MODEL_FASTMODEL_H

#include "dp.h"
#include "matrix.h"

/* Integer activations, ternary weights (every ternary kind): Y = W X
 * reduced to acc_width bits. */
void tern_int_fast(const struct design_point *dp, const struct matrix *W,
                   const struct matrix *X, struct matrix *Y, int jobs);

/* The same in two steps, for callers that reuse W: W's values as int8
 * (checked inputs: {-1, 0, 1}), `cols` >= W->cols per row, padding 0;
 * then Y = W X from them. */
int8_t *tern_weights8(const struct matrix *W, int cols);
void tern_int_run(const struct design_point *dp, const int8_t *w8, int M, int N,
                  const struct matrix *X, struct matrix *Y, int jobs);

/* The sum of w[i] x[i], i < n, exact when |w x| <= 2^15 (blocks of 64
 * products in int32, vectorized): the integer kernel, shared with fixp. */
int64_t dot_i8_i16(const int8_t *w, const int16_t *x, int n);

/* How a ternary kind forms its FP terms (docs/floating-point.md, step 1). */
enum fp_term_style {
    FPT_LUT,  /* tlut: the LUT entry of mu weights' key */
    FPT_SIGN, /* tsign: +a, -a or +0 */
    FPT_MUL,  /* tmul: a times the weight's value */
};
/* FP activations: the documented order of additions, each output's
 * additions in that order, vectorized across columns of X. */
void tern_fp_fast(const struct design_point *dp, const struct matrix *W,
                  const struct matrix *X, struct matrix *Y, int jobs, enum fp_term_style st);
/* Returns 1 when this host computes tern_fp_fast bit-exactly (IEEE
 * binary32, evaluated in float, no fast-math); else callers use the
 * reference model. */
int tern_fp_fast_ok(void);

/* The model a ternary kind registers as model_fast: tern_int_fast for
 * integer activations, tern_fp_fast for FP ones, or `ref` (the kind's
 * reference model) on a host where tern_fp_fast_ok() is 0. */
typedef void (*model_fn)(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X, struct matrix *Y);
void tern_fast(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
               struct matrix *Y, int jobs, enum fp_term_style st, model_fn ref);

/* fixp: exact tile sums, the accumulator's wrap or saturation tile by
 * tile, then the ap_fixed conversion of each output. */
void fixp_fast(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
               struct matrix *Y, int jobs);

/* Run fn(ctx, r0, r1) over rows [0, M) split into `jobs` contiguous
 * ranges, one thread each (jobs <= 1: in this thread). */
void par_rows(int M, int jobs, void (*fn)(void *ctx, int r0, int r1), void *ctx);

#endif
