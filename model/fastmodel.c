/* fastmodel.c - the ternary kinds' C model at native speed: the same bits
 * as their cycle-faithful models (tlut.c, tbase.c, fpmodel.c), which stay
 * the reference the tests compare with.
 *
 * Integer activations: the hardware adds exactly and wraps modulo
 * 2^acc_width, so the order of additions cannot change the result. W is
 * decoded into int8 {-1, 0, 1} row by row, X (transposed) into int16
 * lanes, and each output is a dot product the compiler vectorizes: int32
 * sums over blocks that cannot overflow, int64 across blocks, one wrap
 * at the end.
 *
 * FP activations: the order of additions is the contract
 * (docs/floating-point.md), so it is kept for every output; speed comes
 * from host float arithmetic, from building each LUT once per column and
 * sharing it across rows, and from computing 8 outputs side by side
 * (columns of X, or rows of W for a GEMV).
 * Every value of an activation or sum format (fp16, bf16, fp32) is a
 * float; a float sum of two of them rounded once more to fp16 or bf16 is
 * their correctly rounded sum (float has >= 2p+2 bits of their precision
 * p: double rounding is innocuous), a product by +-1 or +0 is exact, and
 * NaNs only need to stay NaNs until the result is encoded canonically.
 *
 * Threads split the rows: each output is computed by one thread in the
 * same order, so the bits do not depend on --jobs. */
#include "fastmodel.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "kind.h"
#include "softfloat.h"
#include "tlut.h"
#include "util.h"

/* ---- threads over rows --------------------------------------------------- */

/* Rows are handed out in chunks from a shared counter, not as one fixed
 * slice per thread: a thread that starts late (its core asleep, or busy
 * with another process) takes fewer chunks instead of leaving the others
 * waiting at the join. Which thread computes a row does not change its
 * bits. */
struct par_pool {
    void (*fn)(void *ctx, int r0, int r1);
    void *ctx;
    int M, chunk;
    atomic_int next;
};

static void *par_main(void *p)
{
    struct par_pool *s = p;
    for (;;) {
        int r0 = atomic_fetch_add_explicit(&s->next, s->chunk, memory_order_relaxed);
        if (r0 >= s->M)
            return NULL;
        s->fn(s->ctx, r0, s->M - r0 < s->chunk ? s->M : r0 + s->chunk);
    }
}

void par_rows(int M, int jobs, void (*fn)(void *ctx, int r0, int r1), void *ctx)
{
    if (jobs > M)
        jobs = M;
    if (jobs <= 1) {
        fn(ctx, 0, M);
        return;
    }
    /* About 8 chunks per thread: enough to even out a late start, few
     * enough that each chunk's setup (a row buffer) stays negligible. */
    struct par_pool s = { fn, ctx, M, (M + 8 * jobs - 1) / (8 * jobs), 0 };
    pthread_t *th = xmalloc((size_t)jobs * sizeof *th);
    char *started = xcalloc((size_t)jobs, 1);
    /* The calling thread is one of the workers: one thread fewer to
     * create; if none can be created it does all the rows. */
    for (int j = 0; j < jobs - 1; j++)
        started[j] = !pthread_create(&th[j], NULL, par_main, &s);
    par_main(&s);
    for (int j = 0; j < jobs - 1; j++)
        if (started[j])
            pthread_join(th[j], NULL);
    free(started);
    free(th);
}

/* ---- integer activations ------------------------------------------------- */

/* Blocks of KB products: a block's sum (|w x| <= 2^15, act_width <= 16)
 * fits int32 with room to spare, the blocks' sum is int64. A constant
 * trip count is what gcc -O2 vectorizes (its very-cheap cost model
 * leaves loops of unknown length scalar); the tail is scalar. */
#define KB 64
_Static_assert(ACT_WIDTH_MAX <= 16 && KB <= 65536, "int16 lanes; a block's sum fits int32");

/* One output, and four at once (one load of w feeds four columns).
 * Lanes are int16 whatever act_width: int8 x int16 products compile to
 * the same multiply-add of 16-bit pairs as int16 x int16, and measured
 * faster than int8 x int8 (which widens both operands first). */
int64_t dot_i8_i16(const int8_t *w, const int16_t *x, int n)
{
    int64_t s = 0;
    int c = 0;
    for (; c + KB <= n; c += KB) {
        int32_t p = 0;
        for (int i = 0; i < KB; i++)
            p += w[c + i] * x[c + i];
        s += p;
    }
    for (; c < n; c++)
        s += w[c] * x[c];
    return s;
}

static void dot4(const int8_t *w, const int16_t *x, size_t ld, int n, int64_t *s)
{
    const int16_t *x0 = x, *x1 = x + ld, *x2 = x + 2 * ld, *x3 = x + 3 * ld;
    s[0] = s[1] = s[2] = s[3] = 0;
    int c = 0;
    for (; c + KB <= n; c += KB) {
        int32_t p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        for (int i = 0; i < KB; i++) {
            p0 += w[c + i] * x0[c + i];
            p1 += w[c + i] * x1[c + i];
            p2 += w[c + i] * x2[c + i];
            p3 += w[c + i] * x3[c + i];
        }
        s[0] += p0, s[1] += p1, s[2] += p2, s[3] += p3;
    }
    for (; c < n; c++) {
        s[0] += w[c] * x0[c], s[1] += w[c] * x1[c];
        s[2] += w[c] * x2[c], s[3] += w[c] * x3[c];
    }
}

struct int_job {
    const int8_t *w;         /* M x N, or NULL: decode the rows of W */
    const struct matrix *W;
    const int16_t *xt;       /* B x N */
    int N, B, acc_bits;
    struct matrix *Y;
};

/* Rows [r0, r1): with W given, each row is decoded here, just before its
 * dot products, so that the decoding is one pass over W, in the threads
 * and from the cache. */
static void int_rows(void *ctx, int r0, int r1)
{
    const struct int_job *j = ctx;
    size_t N = (size_t)j->N;
    int8_t *buf = j->w ? NULL : xmalloc(N + 1);
    int64_t s[4];
    for (int r = r0; r < r1; r++) {
        const int8_t *w = j->w ? j->w + (size_t)r * N : buf;
        if (!j->w)
            mat_row_i8(j->W, r, buf);
        int b = 0;
        for (; b + 4 <= j->B; b += 4) {
            dot4(w, j->xt + b * N, N, j->N, s);
            for (int q = 0; q < 4; q++)
                MAT(j->Y, r, b + q) = sext64((uint64_t)s[q], j->acc_bits);
        }
        for (; b < j->B; b++) {
            int64_t v = dot_i8_i16(w, j->xt + b * N, j->N);
            MAT(j->Y, r, b) = sext64((uint64_t)v, j->acc_bits);
        }
    }
    free(buf);
}

int8_t *tern_weights8(const struct matrix *W, int cols)
{
    int8_t *w = xcalloc((size_t)W->rows * (size_t)cols + 1, 1);
    for (int r = 0; r < W->rows; r++)
        mat_row_i8(W, r, w + (size_t)r * (size_t)cols);
    return w;
}

/* Y = W X from int8 weights w8 (M x N), or from W's rows when w8 is NULL. */
static void int_run(const struct design_point *dp, const int8_t *w8, const struct matrix *W,
                    int M, int N, const struct matrix *X, struct matrix *Y, int jobs)
{
    int B = X->cols;
    struct int_job j = { w8, W, NULL, N, B, dp->d.acc_bits, Y };
    int16_t *x = xmalloc((size_t)B * (size_t)N * sizeof *x + 1);
    for (int n = 0; n < N; n++)
        for (int b = 0; b < B; b++)
            x[(size_t)b * (size_t)N + (size_t)n] = (int16_t)MAT_GET(X, n, b);
    j.xt = x;
    mat_init(Y, M, B);
    par_rows(M, jobs, int_rows, &j);
    free(x);
}

void tern_int_run(const struct design_point *dp, const int8_t *w8, int M, int N,
                  const struct matrix *X, struct matrix *Y, int jobs)
{
    int_run(dp, w8, NULL, M, N, X, Y, jobs);
}

/* Compact int8 weights are the kernel's format already: no decoding. */
void tern_int_fast(const struct design_point *dp, const struct matrix *W,
                   const struct matrix *X, struct matrix *Y, int jobs)
{
    int_run(dp, W->et == MAT_I8 ? W->e : NULL, W, W->rows, W->cols, X, Y, jobs);
}

void tern_fast(const struct design_point *dp, const struct matrix *W, const struct matrix *X,
               struct matrix *Y, int jobs, enum fp_term_style st, model_fn ref)
{
    if (!dp->d.fp)
        tern_int_fast(dp, W, X, Y, jobs);
    else if (!dp->d.mx && tern_fp_fast_ok()) /* block-scaled: the model itself */
        tern_fp_fast(dp, W, X, Y, jobs, st);
    else
        model_wide(ref, dp, W, X, Y);
}

/* ---- FP activations ------------------------------------------------------ */

/* Outputs computed side by side (lanes): each output's additions stay
 * in order, the BB lanes' are independent, so the compiler vectorizes
 * across them. */
#define BB 8
/* Inlined into each sum format's copy of the row loop, where the format
 * is a constant and rnd() has no test of it left. */
#define FP_INLINE static inline __attribute__((always_inline))
/* Bytes of LUT entries built at a time (tlut): the tables of as many
 * tiles as fit, at least one. */
#define LUT_CHUNK ((size_t)4 << 20)

int tern_fp_fast_ok(void)
{
#if FLT_EVAL_METHOD == 0 && FLT_MANT_DIG == 24 && !defined(__FAST_MATH__)
    return 1;
#else
    return 0;
#endif
}

static inline float f_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline uint32_t u_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* x, the float sum of two values of sum format f, rounded to nearest
 * even into f, as a float: fp32 as is; bf16 and fp16 by rounding the
 * significand's low bits away (a carry moves into the exponent, up to
 * infinity); above 65504, fp16's infinity. NaNs stay NaNs. Sums below
 * fp16's 2^-14 need no subnormal rounding: they are multiples of 2^-24
 * below 2^-14, so at most 10 significant bits, and the low 13 bits of
 * their float significand are already zero (bf16's subnormals are
 * float's, and the same rounding holds for them). Integer masks, no
 * branches: the compiler vectorizes the loops that call it. */
FP_INLINE float rnd(float x, enum sf_format f)
{
    if (f == SF_FP32)
        return x;
    uint32_t u = u_of(x), v = u & 0x7fffffffu, r;
    uint32_t nan = 0u - (uint32_t)(v > 0x7f800000u);
    if (f == SF_BF16) {
        r = (u + 0x7fffu + (u >> 16 & 1)) & 0xffff0000u;
        return f_of((u & nan) | (r & ~nan));
    }
    r = (v + 0xfffu + (v >> 13 & 1)) & ~0x1fffu;
    uint32_t ovf = 0u - (uint32_t)(r > 0x477fe000u); /* above 65504 */
    r = (r & ~ovf) | (0x7f800000u & ovf);
    return f_of(((v & nan) | (r & ~nan)) | (u & 0x80000000u));
}

/* A float holding a value of format f into f's bit pattern; every NaN
 * gives f's canonical quiet NaN. */
static uint32_t encode(float x, enum sf_format f)
{
    if (isnan(x))
        return sf_info(f)->qnan;
    uint32_t u = u_of(x);
    if (f == SF_FP32)
        return u;
    if (f == SF_BF16)
        return u >> 16;
    uint32_t s = u >> 16 & 0x8000u;
    float a = fabsf(x);
    if (isinf(a))
        return s | 0x7c00u;
    if (a < 0x1p-14f)
        return s | (uint32_t)(a * 0x1p24f); /* exact: a multiple of 2^-24 */
    return s | ((u >> 23 & 0xffu) - 112u) << 10 | (u >> 13 & 0x3ffu);
}

struct fp_job {
    enum fp_term_style st;
    enum sf_format sf;
    int tiles, tc, terms, npad, ne, cb;
    const struct matrix *W;
    const int8_t *w8;    /* W's values, M x N */
    int mu;
    const float *A;      /* npad x BB activations of the block, widened */
    const float *P;      /* LUT entries of the chunk's groups x (ne+1) x BB */
    float *acc;          /* the accumulators of every row group, BB each */
    int b0, nb;          /* the block's first column and columns */
    int t0, t1, g0;      /* the chunk's tiles [t0, t1) and first group */
    struct matrix *Y;
};

/* The pairwise reduction of `n` terms (docs/floating-point.md step 2),
 * BB lanes at once; the result is v[0..BB). */
FP_INLINE void tree_reduce_bb(float *v, int n, enum sf_format sf)
{
    while (n > 1) {
        int m = 0;
        for (int i = 0; i + 1 < n; i += 2, m++) {
            float t[BB]; /* v[m] may be v[i]: through t, without aliasing */
            for (int q = 0; q < BB; q++)
                t[q] = rnd(v[i * BB + q] + v[(i + 1) * BB + q], sf);
            memcpy(&v[m * BB], t, sizeof t);
        }
        if (n & 1) {
            memmove(&v[m * BB], &v[(n - 1) * BB], BB * sizeof *v);
            m++;
        }
        n = m;
    }
}

/* Term l of tile t of one row for BB columns (w: the row of W, k: its
 * keys). */
FP_INLINE void fp_terms_row(const struct fp_job *j, const int8_t *w, const int16_t *k, int t,
                            int l, float *vl)
{
    const float *x;
    int s;
    if (j->st == FPT_LUT) {
        int g = t * j->terms + l - j->g0, kg = k[(size_t)g * BB]; /* lane 0's key */
        s = kg < 0 ? -1 : 1;
        x = &j->P[((size_t)g * (size_t)(j->ne + 1) + (size_t)abs(kg)) * BB]; /* P[0]: +0 */
    } else {
        int n = t * j->tc + l;
        s = n < j->W->cols ? (int)w[n] : 0; /* padding weights 0 */
        x = &j->A[(size_t)n * BB];
        if (j->st == FPT_MUL) { /* exact: a * +-1 or a * +0 */
            for (int q = 0; q < BB; q++)
                vl[q] = x[q] * (float)s;
            return;
        }
    }
    if (s > 0)
        memcpy(vl, x, BB * sizeof *vl);
    else if (s < 0) /* the sign flipped, NaNs too */
        for (int q = 0; q < BB; q++)
            vl[q] = -x[q];
    else /* tsign's +0 */
        for (int q = 0; q < BB; q++)
            vl[q] = 0.0f;
}

/* Lanes: BB outputs computed side by side, cb columns (1, 2, 4 or 8) of
 * BB/cb rows, so that a GEMV (one column) fills the lanes with rows.
 * Row group rg covers rows rg*(BB/cb) ...; lanes past M or past the
 * block's columns compute padding (row M-1, +0 activations) and are not
 * stored. */
FP_INLINE void fp_rows_fmt(const struct fp_job *j, int rg0, int rg1, enum sf_format sf)
{
    float *v = xmalloc((size_t)j->terms * BB * sizeof *v);
    int ng = (j->t1 - j->t0) * j->terms; /* the chunk's groups (FPT_LUT) */
    int n0 = j->t0 * j->tc, nn = (j->t1 - j->t0) * j->tc; /* the chunk's columns */
    /* The row group's keys (FPT_LUT) or weights (else), lane by lane:
     * [group or column][lane], so that the term loops read BB lanes
     * side by side and vectorize (weights as int32: the masks below are
     * then 32-bit lane operations, which gcc -O2 vectorizes; from int8
     * it did not). */
    int16_t *keys = j->st == FPT_LUT ? xmalloc((size_t)ng * BB * sizeof *keys) : NULL;
    int32_t *wl = j->st != FPT_LUT && j->cb < BB ? xmalloc((size_t)nn * BB * sizeof *wl) : NULL;
    int cb = j->cb, rpg = BB / cb, M = j->Y->rows, N = j->W->cols;
    for (int rg = rg0; rg < rg1; rg++) {
        const int8_t *wr[BB];
        float *acc = &j->acc[(size_t)rg * BB];
        for (int q = 0; q < BB; q++) {
            int r = rg * rpg + q / cb;
            r = r < M ? r : M - 1;
            wr[q] = j->w8 + (size_t)r * (size_t)N;
            /* Keys as signed codes sum w_i 3^i (tlut_key() before its
             * sign-magnitude split); padding weights 0. With one row in
             * every lane (cb == BB) only lane 0's are read. */
            for (int g = 0; keys && (q == 0 || cb < BB) && g < ng; g++) {
                int code = 0;
                for (int i = j->mu - 1; i >= 0; i--) {
                    int n = (j->g0 + g) * j->mu + i;
                    code = 3 * code + (n < N ? (int)wr[q][n] : 0);
                }
                keys[(size_t)g * BB + (size_t)q] = (int16_t)code;
            }
        }
        if (wl) {
            /* Column by column, the BB rows' weights into one 32-byte
             * line (BB row pointers in registers); padding weights 0. */
            _Static_assert(BB == 8, "the transposition below names 8 rows");
            const int8_t *p0 = wr[0] + n0, *p1 = wr[1] + n0, *p2 = wr[2] + n0,
                         *p3 = wr[3] + n0, *p4 = wr[4] + n0, *p5 = wr[5] + n0,
                         *p6 = wr[6] + n0, *p7 = wr[7] + n0;
            int real = N - n0 < nn ? N - n0 : nn, n = 0;
            for (; n < real; n++) {
                int32_t *o = &wl[(size_t)n * BB];
                o[0] = p0[n], o[1] = p1[n], o[2] = p2[n], o[3] = p3[n];
                o[4] = p4[n], o[5] = p5[n], o[6] = p6[n], o[7] = p7[n];
            }
            memset(&wl[(size_t)n * BB], 0, (size_t)(nn - n) * BB * sizeof *wl);
        }
        for (int t = j->t0; t < j->t1; t++) {
            for (int l = 0; l < j->terms; l++) {
                float *vl = &v[(size_t)l * BB];
                if (cb == BB) {
                    /* One row, BB columns: one weight or key for all lanes,
                     * their values contiguous. */
                    fp_terms_row(j, wr[0], keys, t, l, vl);
                } else if (j->st == FPT_LUT) {
                    int g = t * j->terms + l - j->g0;
                    const float *e = &j->P[(size_t)g * (size_t)(j->ne + 1) * BB];
                    const int16_t *k = &keys[(size_t)g * BB];
                    for (int q = 0; q < BB; q++) { /* P[0] is +0 */
                        uint32_t x = u_of(e[(size_t)abs(k[q]) * BB + (size_t)q]);
                        vl[q] = f_of(x ^ (uint32_t)(k[q] < 0) << 31);
                    }
                } else {
                    int n = t * j->tc + l;
                    const float *a = &j->A[(size_t)n * BB];
                    const int32_t *w = &wl[(size_t)(n - n0) * BB];
                    float tv[BB]; /* not vl: no aliasing to rule out, so gcc vectorizes */
                    if (j->st == FPT_MUL) /* exact: a * +-1 or a * +0 */
                        for (int q = 0; q < BB; q++)
                            tv[q] = a[q] * (float)w[q];
                    else /* +a, -a (the sign flipped: -1's top bit) or +0 (w & 1 == 0) */
                        for (int q = 0; q < BB; q++)
                            tv[q] = f_of((u_of(a[q]) ^ ((uint32_t)w[q] & 0x80000000u)) &
                                         (0u - ((uint32_t)w[q] & 1u)));
                    memcpy(vl, tv, sizeof tv);
                }
            }
            tree_reduce_bb(v, j->terms, sf);
            for (int q = 0; q < BB; q++)
                acc[q] = rnd(acc[q] + v[q], sf);
        }
        for (int q = 0; q < BB && j->t1 == j->tiles; q++) {
            int r = rg * rpg + q / cb;
            if (r < M && q % cb < j->nb)
                MAT(j->Y, r, j->b0 + q % cb) = encode(acc[q], sf);
        }
    }
    free(wl);
    free(keys);
    free(v);
}

/* One copy of the row loop per sum format: rnd()'s format a constant. */
static void fp_rows(void *ctx, int r0, int r1)
{
    const struct fp_job *j = ctx;
    if (j->sf == SF_FP16)
        fp_rows_fmt(j, r0, r1, SF_FP16);
    else if (j->sf == SF_BF16)
        fp_rows_fmt(j, r0, r1, SF_BF16);
    else
        fp_rows_fmt(j, r0, r1, SF_FP32);
}

/* The LUTs of groups [g0, g1) for the block's columns: P[m] is the sum
 * of the digits of m, lowest digit first, rounded after each addition
 * (model/tlut.c lut_entry); Q[m] the same of the negated digits. With
 * m = 3^j + r (tlut_recipe), P[m] = S + a_j and Q[m] = S' - a_j where
 * S, S' are P[r], Q[r] for r > 0 and Q[-r], P[-r] for r < 0: the lower
 * digits summed in the same order, one addition each. */
struct lut_job {
    const struct fp_job *j;
    const struct lut_step *steps;
    int mu;
    float *P;
};

static void lut_groups(void *ctx, int g0, int g1)
{
    const struct lut_job *lj = ctx;
    const struct fp_job *j = lj->j;
    int ne = j->ne;
    enum sf_format sf = j->sf;
    float *Q = xmalloc((size_t)(ne + 1) * BB * sizeof *Q);
    for (int g = g0; g < g1; g++) { /* the chunk's groups, from j->g0 */
        float *P = &lj->P[(size_t)g * (size_t)(ne + 1) * BB];
        for (int q = 0; q < BB; q++)
            P[q] = Q[q] = 0.0f;
        for (int m = 1; m <= ne; m++) {
            const struct lut_step *s = &lj->steps[m];
            const float *a = &j->A[((size_t)(j->g0 + g) * (size_t)lj->mu + (size_t)s->top) * BB];
            float *pm = &P[(size_t)m * BB], *qm = &Q[(size_t)m * BB];
            if (!s->sub) {
                for (int q = 0; q < BB; q++)
                    pm[q] = a[q], qm[q] = -a[q];
                continue;
            }
            const float *ps = &P[(size_t)s->sub * BB], *qs = &Q[(size_t)s->sub * BB];
            if (s->neg) {
                const float *t = ps;
                ps = qs;
                qs = t;
            }
            for (int q = 0; q < BB; q++) {
                pm[q] = rnd(ps[q] + a[q], sf);
                qm[q] = rnd(qs[q] - a[q], sf);
            }
        }
    }
    free(Q);
}

void tern_fp_fast(const struct design_point *dp, const struct matrix *W,
                  const struct matrix *X, struct matrix *Y, int jobs, enum fp_term_style st)
{
    const struct dp_derived *d = &dp->d;
    enum sf_format af = (enum sf_format)d->act_fmt;
    int M = W->rows, N = W->cols, B = X->cols, tc = d->tile_cols;
    /* W as int8 (compact int8 storage already is): a GEMV reads 1 byte
     * per weight. */
    int8_t *own = W->et == MAT_I8 ? NULL : tern_weights8(W, N);
    struct fp_job j = { st, (enum sf_format)d->acc_fmt, (N + tc - 1) / tc, tc, d->tree_terms,
                        0, 0, BB, W, own ? own : W->e, (int)dp->mu, NULL, NULL, NULL, 0, 0, 0,
                        0, 0, Y };
    while (j.cb > 1 && j.cb / 2 >= B)
        j.cb /= 2;
    j.npad = j.tiles * tc;
    /* LUTs for a chunk of tiles at a time (about LUT_CHUNK bytes), the
     * accumulators kept between chunks: memory bounded whatever N and mu. */
    int chunk = j.tiles;
    struct lut_job lj = { &j, NULL, j.mu, NULL };
    if (st == FPT_LUT) {
        j.ne = d->entries;
        size_t tile_bytes = (size_t)j.terms * (size_t)(j.ne + 1) * BB * sizeof(float);
        chunk = LUT_CHUNK / tile_bytes < 1 ? 1 : (int)(LUT_CHUNK / tile_bytes);
        chunk = chunk < j.tiles ? chunk : j.tiles;
        struct lut_step *steps = xmalloc((size_t)(j.ne + 1) * sizeof *steps);
        tlut_recipe(j.mu, steps);
        lj.steps = steps;
        lj.P = xmalloc((size_t)chunk * tile_bytes);
        j.P = lj.P;
    }
    float *A = xmalloc((size_t)j.npad * BB * sizeof *A);
    j.A = A;
    int rpg = BB / j.cb, nrg = (M + rpg - 1) / rpg;
    j.acc = xmalloc((size_t)nrg * BB * sizeof *j.acc);
    mat_init(Y, M, B);
    Y->hex_digits = d->acc_bits / 4;
    for (j.b0 = 0; j.b0 < B; j.b0 += j.cb) {
        j.nb = B - j.b0 < j.cb ? B - j.b0 : j.cb;
        /* Widened activations, exact; lane q holds column q % cb (the
         * lanes of a row group see their own column side by side);
         * padding lanes and columns +0. */
        for (int n = 0; n < j.npad; n++)
            for (int q = 0; q < BB; q++)
                A[(size_t)n * BB + (size_t)q] =
                    n < N && q % j.cb < j.nb
                        ? f_of(sf_convert(SF_FP32, af,
                                          (uint32_t)MAT_GET(X, n, j.b0 + q % j.cb)))
                        : 0.0f;
        for (size_t i = 0; i < (size_t)nrg * BB; i++)
            j.acc[i] = 0.0f; /* +0 */
        for (j.t0 = 0; j.t0 < j.tiles; j.t0 = j.t1) {
            j.t1 = j.t0 + chunk < j.tiles ? j.t0 + chunk : j.tiles;
            j.g0 = j.t0 * j.terms;
            if (st == FPT_LUT)
                par_rows((j.t1 - j.t0) * j.terms, jobs, lut_groups, &lj);
            par_rows(nrg, jobs, fp_rows, &j);
        }
    }
    free(j.acc);
    free(A);
    free(own);
    free(lj.P);
    free((void *)lj.steps);
}
