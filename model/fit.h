/* fit.h - non-negative least squares for calibration. */
#ifndef TF_FIT_H
#define TF_FIT_H

/* min |A x - b| subject to x >= 0; A is m x n, row-major. At most m of
 * the x are nonzero (fewer rows than unknowns: a basic solution). Returns
 * 0, or -1 when GSL fails or gives a value that is not finite. */
int nnls(const double *A, int m, int n, const double *b, double *x);

#endif
