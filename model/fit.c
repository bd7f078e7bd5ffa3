/* fit.c - non-negative least squares (Lawson and Hanson's active-set
 * method) on top of GSL's linear least squares, for calibrating unit costs.
 * Unit costs are areas, energies and delays: a negative one would be a
 * fit artefact that breaks on the next design point, hence the constraint. */
#include "fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Unconstrained least squares on the columns in `set` (n_set of them);
 * z gets the solution (0 outside the set). */
static int ls_subset(const double *A, int m, int n, const double *b, const int *set,
                     int n_set, double *z)
{
    memset(z, 0, (size_t)n * sizeof *z);
    if (!n_set)
        return 0;
    gsl_matrix *X = gsl_matrix_alloc((size_t)m, (size_t)n_set);
    gsl_vector *y = gsl_vector_alloc((size_t)m), *c = gsl_vector_alloc((size_t)n_set);
    gsl_matrix *cov = gsl_matrix_alloc((size_t)n_set, (size_t)n_set);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc((size_t)m, (size_t)n_set);
    for (int i = 0; i < m; i++) {
        gsl_vector_set(y, (size_t)i, b[i]);
        for (int j = 0; j < n_set; j++)
            gsl_matrix_set(X, (size_t)i, (size_t)j, A[(size_t)i * n + set[j]]);
    }
    double chisq;
    int rc = gsl_multifit_linear(X, y, c, cov, &chisq, ws);
    for (int j = 0; !rc && j < n_set; j++) {
        z[set[j]] = gsl_vector_get(c, (size_t)j);
        if (!isfinite(z[set[j]]))
            rc = -1;
    }
    gsl_multifit_linear_free(ws);
    gsl_matrix_free(cov);
    gsl_matrix_free(X);
    gsl_vector_free(y);
    gsl_vector_free(c);
    return rc ? -1 : 0;
}

int nnls(const double *A, int m, int n, const double *b, double *x)
{
    gsl_set_error_handler_off();
    int *passive = xcalloc((size_t)n, sizeof *passive);
    int *set = xcalloc((size_t)n, sizeof *set);
    double *w = xcalloc((size_t)n, sizeof *w), *z = xcalloc((size_t)n, sizeof *z);
    double *r = xcalloc((size_t)m, sizeof *r);
    int rc = 0;
    memset(x, 0, (size_t)n * sizeof *x);
    for (int outer = 0; outer < 3 * n + 10; outer++) {
        /* Gradient w = A^T (b - A x). */
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int j = 0; j < n; j++)
                s -= A[(size_t)i * n + j] * x[j];
            r[i] = s;
        }
        int best = -1;
        double bw = 0, scale = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < m; i++)
                s += A[(size_t)i * n + j] * r[i];
            w[j] = s;
            scale = fmax(scale, fabs(s));
        }
        for (int j = 0; j < n; j++)
            if (!passive[j] && w[j] > bw && w[j] > 1e-12 * (scale + 1e-300)) {
                bw = w[j];
                best = j;
            }
        if (best < 0)
            break;
        /* A least-squares subproblem needs at least as many rows as
         * columns: with as many free values as points the fit is exact
         * (or singular), and another column would make it undetermined. */
        int n_passive = 0;
        for (int j = 0; j < n; j++)
            n_passive += passive[j];
        if (n_passive >= m)
            break;
        passive[best] = 1;
        for (int inner = 0; inner < 3 * n + 10; inner++) {
            int ns = 0;
            for (int j = 0; j < n; j++)
                if (passive[j])
                    set[ns++] = j;
            if (ls_subset(A, m, n, b, set, ns, z)) {
                rc = -1;
                goto out;
            }
            int ok = 1;
            for (int j = 0; j < n; j++)
                if (passive[j] && z[j] <= 0)
                    ok = 0;
            if (ok) {
                memcpy(x, z, (size_t)n * sizeof *x);
                break;
            }
            /* Step from x towards z until the first passive value hits 0. */
            double alpha = 1;
            for (int j = 0; j < n; j++)
                if (passive[j] && z[j] <= 0 && x[j] - z[j] > 0)
                    alpha = fmin(alpha, x[j] / (x[j] - z[j]));
            for (int j = 0; j < n; j++) {
                x[j] += alpha * (z[j] - x[j]);
                if (passive[j] && x[j] <= 1e-15 * (1 + fabs(z[j]))) {
                    passive[j] = 0;
                    x[j] = 0;
                }
            }
        }
    }
out:
    free(passive);
    free(set);
    free(w);
    free(z);
    free(r);
    return rc;
}

int nnls_group_scales(const double *T, int m, int n, const double *y, const int *grp, int k,
                      double *s)
{
    double *A = xcalloc((size_t)m * (size_t)k, sizeof *A), *b = xcalloc((size_t)m, sizeof *b);
    int rows = 0;
    for (int i = 0; i < m; i++) {
        if (!(y[i] > 0))
            continue;
        double kept = 0;
        for (int f = 0; f < n; f++) {
            double v = T[(size_t)i * n + f];
            if (grp[f] < 0)
                kept += v;
            else
                A[(size_t)rows * k + grp[f]] += v / y[i];
        }
        b[rows++] = (y[i] - kept) / y[i];
    }
    int rc = nnls(A, rows, k, b, s);
    free(A);
    free(b);
    return rc;
}
