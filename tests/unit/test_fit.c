/* test_fit.c - nnls() against brute force: for small random problems,
 * the non-negative least-squares optimum is the best over all subsets of
 * free columns of the unconstrained fit restricted to that subset (when
 * that fit is non-negative). Usage: test_fit [SEED [PROBLEMS]] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../model/fit.h"
#include "rng.h"

/* Solve the normal equations of columns `mask` by Gaussian elimination
 * (independent of GSL); returns 0 if singular. */
static int ls_mask(const double *A, int m, int n, const double *b, unsigned mask, double *x)
{
    int idx[8], k = 0;
    for (int j = 0; j < n; j++)
        if (mask >> j & 1)
            idx[k++] = j;
    double G[8][9];
    for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < m; i++)
                s += A[i * n + idx[r]] * A[i * n + idx[c]];
            G[r][c] = s;
        }
        double s = 0;
        for (int i = 0; i < m; i++)
            s += A[i * n + idx[r]] * b[i];
        G[r][k] = s;
    }
    for (int c = 0; c < k; c++) {
        int p = c;
        for (int r = c + 1; r < k; r++)
            if (fabs(G[r][c]) > fabs(G[p][c]))
                p = r;
        if (fabs(G[p][c]) < 1e-12)
            return 0;
        for (int j = 0; j <= k; j++) {
            double t = G[c][j];
            G[c][j] = G[p][j];
            G[p][j] = t;
        }
        for (int r = 0; r < k; r++) {
            if (r == c)
                continue;
            double f = G[r][c] / G[c][c];
            for (int j = c; j <= k; j++)
                G[r][j] -= f * G[c][j];
        }
    }
    memset(x, 0, (size_t)n * sizeof *x);
    for (int r = 0; r < k; r++)
        x[idx[r]] = G[r][k] / G[r][r];
    return 1;
}

static double resid(const double *A, int m, int n, const double *b, const double *x)
{
    double s = 0;
    for (int i = 0; i < m; i++) {
        double r = b[i];
        for (int j = 0; j < n; j++)
            r -= A[i * n + j] * x[j];
        s += r * r;
    }
    return s;
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 5;
    int problems = argc > 2 ? atoi(argv[2]) : 2000;
    struct rng r;
    r.s = seed;
    printf("test_fit: seed %llu\n", (unsigned long long)seed);
    int bad = 0, active = 0;
    for (int p = 0; p < problems && bad < 5; p++) {
        int n = 1 + (int)(uint64_t)rng_range(&r, 0, 6 - 1), m = n + (int)(uint64_t)rng_range(&r, 0, 8 - 1);
        double A[14 * 6], b[14], x[6], best[6];
        for (int i = 0; i < m * n; i++)
            A[i] = (double)(int64_t)(uint64_t)rng_range(&r, 0, 2001 - 1) / 100.0 - (p % 3 ? 0 : 10);
        for (int i = 0; i < m; i++)
            b[i] = (double)(int64_t)(uint64_t)rng_range(&r, 0, 2001 - 1) / 100.0 - 10;
        if (nnls(A, m, n, b, x)) {
            printf("FAIL problem %d: nnls failed\n", p);
            bad++;
            continue;
        }
        double bestr = resid(A, m, n, b, (double[6]){ 0 });
        memset(best, 0, sizeof best);
        for (unsigned mask = 1; mask < 1u << n; mask++) {
            double y[6];
            int ok = ls_mask(A, m, n, b, mask, y);
            for (int j = 0; ok && j < n; j++)
                ok = y[j] >= -1e-12;
            if (ok && resid(A, m, n, b, y) < bestr) {
                bestr = resid(A, m, n, b, y);
                memcpy(best, y, sizeof best);
            }
        }
        double got = resid(A, m, n, b, x);
        int neg = 0;
        for (int j = 0; j < n; j++) {
            neg |= x[j] < 0;
            active += x[j] == 0;
        }
        if (neg || got > bestr * (1 + 1e-9) + 1e-9) {
            printf("FAIL problem %d (m=%d n=%d): residual %.12g, brute force %.12g%s\n", p, m,
                   n, got, bestr, neg ? " (negative coefficient)" : "");
            bad++;
        }
    }
    /* Fewer rows than unknowns (a calibration set smaller than the feature
     * count): finite, non-negative, at most m nonzero values, and as good
     * as the best non-negative solution on at most m columns (an optimum
     * has linearly independent support, so that is the optimum). GSL alone
     * gave NaN here. */
    int under = 0;
    for (int p = 0; p < problems / 4 && bad < 5; p++, under++) {
        int m = 1 + (int)(uint64_t)rng_range(&r, 0, 4 - 1), n = m + 1 + (int)(uint64_t)rng_range(&r, 0, 6 - m - 1);
        double A[14 * 6], b[14], x[6];
        for (int i = 0; i < m * n; i++)
            A[i] = (double)(int64_t)(uint64_t)rng_range(&r, 0, 2001 - 1) / 100.0;
        for (int i = 0; i < m; i++)
            b[i] = (double)(int64_t)(uint64_t)rng_range(&r, 0, 2001 - 1) / 100.0;
        if (nnls(A, m, n, b, x)) {
            printf("FAIL underdetermined problem %d: nnls failed\n", p);
            bad++;
            continue;
        }
        int nonzero = 0, badval = 0;
        for (int j = 0; j < n; j++) {
            badval |= !isfinite(x[j]) || x[j] < 0;
            nonzero += x[j] != 0;
        }
        double bestr = resid(A, m, n, b, (double[6]){ 0 });
        for (unsigned mask = 1; mask < 1u << n; mask++) {
            double y[6];
            if (__builtin_popcount(mask) > m)
                continue;
            int ok = ls_mask(A, m, n, b, mask, y);
            for (int j = 0; ok && j < n; j++)
                ok = y[j] >= -1e-12;
            if (ok && resid(A, m, n, b, y) < bestr)
                bestr = resid(A, m, n, b, y);
        }
        double got = badval ? INFINITY : resid(A, m, n, b, x);
        if (badval || nonzero > m || got > bestr * (1 + 1e-9) + 1e-9) {
            printf("FAIL underdetermined problem %d (m=%d n=%d): %d nonzero, residual %.12g, "
                   "brute force %.12g%s\n", p, m, n, nonzero, got, bestr,
                   badval ? " (negative or not finite)" : "");
            bad++;
        }
    }
    printf("test_fit: %d underdetermined problems (fewer rows than unknowns)\n", under);
    /* nnls_group_scales (calibrate --energy-scale): measurements made from
     * known factors on two groups of terms plus kept terms must give those
     * factors back; a point measured as 0 (no power read) is left out, so
     * its terms, garbage here, must not matter. */
    int groups = 0;
    for (int p = 0; p < problems / 4 && bad < 5; p++, groups++) {
        int m = 3 + (int)(uint64_t)rng_range(&r, 0, 8 - 1), n = 3 + (int)(uint64_t)rng_range(&r, 0, 5 - 1);
        int grp[8] = { 0, 1, -1 };
        double T[11 * 8], y[11], want[2], got[2];
        for (int f = 3; f < n; f++)
            grp[f] = (int)(uint64_t)rng_range(&r, 0, 3 - 1) - 1;
        for (int g = 0; g < 2; g++)
            want[g] = 0.25 + (double)(int64_t)(uint64_t)rng_range(&r, 0, 400 - 1) / 100.0;
        for (int i = 0; i < m; i++) {
            y[i] = 0;
            for (int f = 0; f < n; f++) {
                T[i * n + f] = 1 + (double)(int64_t)(uint64_t)rng_range(&r, 0, 1000 - 1) / 10.0;
                y[i] += (grp[f] < 0 ? 1 : want[grp[f]]) * T[i * n + f];
            }
        }
        y[m - 1] = 0; /* the point left out */
        if (nnls_group_scales(T, m, n, y, grp, 2, got) ||
            fabs(got[0] / want[0] - 1) > 1e-9 || fabs(got[1] / want[1] - 1) > 1e-9) {
            printf("FAIL group scales %d (m=%d n=%d): got %.12g %.12g, want %.12g %.12g\n", p,
                   m, n, got[0], got[1], want[0], want[1]);
            bad++;
        }
    }
    printf("test_fit: %d group-scale problems\n", groups);
    printf("test_fit: %d problems, %d coefficients held at 0\n", problems, active);
    if (!active)
        printf("FAIL: no problem exercised the constraint\n");
    printf(bad || !active ? "test_fit: FAILED\n" : "test_fit: ok\n");
    return bad || !active;
}
