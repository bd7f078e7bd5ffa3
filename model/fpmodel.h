/* fpmodel.h - the floating-point model of the ternary kinds (fpmodel.c). */
#ifndef TF_MODEL_FPMODEL_H
#define TF_MODEL_FPMODEL_H

#include <stdint.h>

#include "dp.h"
#include "matrix.h"
#include "softfloat.h"

void fp_model(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
              struct matrix *Y);
/* +1, 0, -1 as a value of format f. */
uint32_t fp_ternary(enum sf_format f, int w);

#endif
