/* fit.h - non-negative least squares for calibration. */
#ifndef TF_FIT_H
#define TF_FIT_H

/* min |A x - b| subject to x >= 0; A is m x n, row-major. At most m of
 * the x are nonzero (fewer rows than unknowns: a basic solution). Returns
 * 0, or -1 when GSL fails or gives a value that is not finite. */
int nnls(const double *A, int m, int n, const double *b, double *x);

/* Factors s[0..k-1] for groups of a model's terms: term f of point i is
 * T[i*n + f] (a unit cost times a feature), and the model of point i is
 * sum over f of s[grp[f]] * T[i*n + f]; a term with grp[f] < 0 is kept as
 * it is. Non-negative least squares on the relative error against y[i]
 * (points with y[i] <= 0 are left out). Returns nnls()'s result. */
int nnls_group_scales(const double *T, int m, int n, const double *y, const int *grp, int k,
                      double *s);

#endif
