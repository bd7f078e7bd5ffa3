/* test_fpmodel.c - the floating-point models of tlut, tsign and tmul
 * against an independent reference: the order of additions restated from
 * docs/floating-point.md, with the host's float arithmetic (IEEE, round to
 * nearest even) and one rounding to fp16/bf16 written here. A float
 * result rounded once to fp16 or bf16 is their correctly rounded sum,
 * because float carries more than 2p+2 bits of their precision p.
 * Usage: test_fpmodel [SEED]. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "../../model/kind.h"
#include "rng.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

/* Format descriptions written here, independently of the library. */
struct fmt { int bits, e, m, bias, inf; };
static const struct fmt F16 = { 16, 5, 10, 15, 1 }, BF16 = { 16, 8, 7, 127, 1 },
                        F32 = { 32, 8, 23, 127, 1 }, E4M3 = { 8, 4, 3, 7, 0 },
                        E5M2 = { 8, 5, 2, 15, 1 };

static float decode(const struct fmt *f, uint32_t x)
{
    uint32_t s = x >> (f->bits - 1) & 1, e = x >> f->m & ((1u << f->e) - 1);
    uint32_t m = x & ((1u << f->m) - 1);
    double v;
    if (e == (1u << f->e) - 1 && (f->inf || m == (1u << f->m) - 1))
        v = (f->inf && !m) ? INFINITY : NAN;
    else if (!e)
        v = ldexp((double)m, 1 - f->bias - f->m);
    else
        v = ldexp((double)(m | 1u << f->m), (int)e - f->bias - f->m);
    return (float)(s ? -v : v); /* exact: every format here fits a float */
}

/* Round a float once to f (fp16, bf16 or fp32), RNE, canonical NaN. */
static uint32_t encode(const struct fmt *f, float x)
{
    uint32_t sign = signbit(x) ? 1u << (f->bits - 1) : 0;
    if (isnan(x))
        return (((1u << f->e) - 1) << f->m) | 1u << (f->m - 1);
    if (f->bits == 32) {
        uint32_t u;
        memcpy(&u, &x, 4);
        return u;
    }
    double a = fabs((double)x);
    uint32_t emax = (1u << f->e) - 1;
    if (isinf(x))
        return sign | emax << f->m;
    if (a == 0)
        return sign;
    int ex;
    frexp(a, &ex); /* a = frac * 2^ex, frac in [0.5, 1) */
    int e = ex - 1 + f->bias;  /* biased exponent if normal */
    if (e < 1)
        e = 1;                 /* subnormal: fixed scale */
    double q = ldexp(a, f->m - (e - f->bias)); /* units of the last place */
    double fl = floor(q), rem = q - fl;
    if (rem > 0.5 || (rem == 0.5 && fmod(fl, 2) != 0))
        fl += 1;
    uint64_t mant = (uint64_t)fl;
    if (mant >= (2ull << f->m)) { /* rounding carried into the next binade */
        mant >>= 1;
        e++;
    }
    if (mant < (1ull << f->m))    /* subnormal (or zero) */
        return sign | (uint32_t)mant;
    if ((uint32_t)e >= emax)
        return sign | emax << f->m;  /* overflow to infinity */
    return sign | (uint32_t)e << f->m | ((uint32_t)mant & ((1u << f->m) - 1));
}

static uint32_t add(const struct fmt *f, uint32_t a, uint32_t b)
{
    return encode(f, decode(f, a) + decode(f, b));
}

static uint32_t neg(const struct fmt *f, uint32_t a)
{
    return a ^ 1u << (f->bits - 1);
}

static uint32_t tree(const struct fmt *f, uint32_t *v, int n)
{
    while (n > 1) {
        int m = 0;
        for (int i = 0; i + 1 < n; i += 2)
            v[m++] = add(f, v[i], v[i + 1]);
        if (n & 1)
            v[m++] = v[n - 1];
        n = m;
    }
    return v[0];
}

static int set(struct design_point *dp, const char *n, const char *v)
{
    return dp_set(dp, n, v, "t", "t");
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123;
    printf("test_fpmodel: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    static const char *acts[] = { "fp16", "bf16", "fp8e4m3", "fp8e5m2" };
    const struct fmt *afmt[] = { &F16, &BF16, &E4M3, &E5M2 };
    int points = 0;
    long outputs = 0;
    for (int iter = 0; iter < 600; iter++) {
        struct design_point dp;
        dp_init(&dp);
        int kind = (int)rng_range(&r, 0, 2), at = (int)rng_range(&r, 0, 3);
        set(&dp, "kind", kind_names[kind]);
        set(&dp, "act_type", acts[at]);
        const char *acc = rng_range(&r, 0, 1) ? "fp32" : "auto";
        if (at >= 2 && rng_range(&r, 0, 2) == 0)
            acc = "bf16";
        set(&dp, "acc_type", acc);
        char buf[16];
        if (kind == KIND_TLUT) {
            snprintf(buf, sizeof buf, "%d", (int)rng_range(&r, 1, 5));
            set(&dp, "mu", buf);
            snprintf(buf, sizeof buf, "%d", (int)rng_range(&r, 1, 4));
            set(&dp, "luts", buf);
        } else {
            snprintf(buf, sizeof buf, "%d", (int)rng_range(&r, 1, 9));
            set(&dp, "inputs", buf);
        }
        set(&dp, "max_rows", "20");
        set(&dp, "max_cols", "40");
        if (dp_finalize(&dp))
            continue;
        points++;
        const struct fmt *af = afmt[at];
        const struct fmt *sf = !strcmp(acc, "fp32") ? &F32 : !strcmp(acc, "bf16") ? &BF16
                               : at == 1 ? &BF16 : &F16;
        int M = (int)rng_range(&r, 1, 20), N = (int)rng_range(&r, 1, 40), B = 2;
        struct matrix W, X, Y;
        mat_init(&W, M, N);
        mat_init(&X, N, B);
        for (size_t i = 0; i < (size_t)M * N; i++)
            W.v[i] = rng_range(&r, -1, 1);
        for (size_t i = 0; i < (size_t)N * B; i++)
            X.v[i] = kind_random_act(&dp, &r);
        kind_get(&dp)->model(&dp, &W, &X, &Y);
        struct matrix Yf; /* the fast model, against the same reference */
        kind_model_fast(&dp, &W, &X, &Yf, 1 + iter % 2);
        int tc = dp.d.tile_cols, terms = dp.d.tree_terms, mu = kind == KIND_TLUT ? (int)dp.mu : 1;
        uint32_t v[64], a[64];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < M; i++) {
                uint32_t accv = 0;
                for (int t = 0; t * tc < N; t++) {
                    for (int q = 0; q < tc; q++) {
                        int n = t * tc + q;
                        /* widening is exact: decode, then encode in the sum format */
                        a[q] = n < N ? encode(sf, decode(af, (uint32_t)MAT(&X, n, b))) : 0;
                    }
                    for (int l = 0; l < terms; l++) {
                        if (kind == KIND_TLUT) {
                            /* digits of the key, the positive half, left to right */
                            int w[8], neg_key = 0, first = -1;
                            for (int q = 0; q < mu; q++) {
                                int n = t * tc + l * mu + q;
                                w[q] = n < N ? (int)MAT(&W, i, n) : 0;
                            }
                            for (int q = mu - 1; q >= 0; q--)
                                if (w[q]) {
                                    neg_key = w[q] < 0; /* top non-zero digit decides */
                                    break;
                                }
                            uint32_t e = 0;
                            for (int q = 0; q < mu; q++) {
                                if (!w[q])
                                    continue;
                                int d = neg_key ? -w[q] : w[q];
                                uint32_t term = d > 0 ? a[l * mu + q] : neg(sf, a[l * mu + q]);
                                e = first < 0 ? term : add(sf, e, term);
                                first = q;
                            }
                            v[l] = first < 0 ? 0 : neg_key ? neg(sf, e) : e;
                        } else {
                            int n = t * tc + l, w = n < N ? (int)MAT(&W, i, n) : 0;
                            if (kind == KIND_TSIGN)
                                v[l] = !w ? 0 : w > 0 ? a[l] : neg(sf, a[l]);
                            else
                                v[l] = encode(sf, decode(sf, a[l]) * (float)w);
                        }
                    }
                    accv = add(sf, accv, tree(sf, v, terms));
                }
                outputs++;
                CHECK((uint32_t)MAT(&Y, i, b) == accv,
                      "point %d (%s %s acc %s) y[%d][%d] = 0x%" PRIx64 ", reference 0x%x", iter,
                      kind_names[kind], acts[at], acc, i, b, (uint64_t)MAT(&Y, i, b), accv);
                CHECK((uint32_t)MAT(&Yf, i, b) == accv,
                      "point %d (%s %s acc %s): fast model y[%d][%d] = 0x%" PRIx64
                      ", reference 0x%x", iter, kind_names[kind], acts[at], acc, i, b,
                      (uint64_t)MAT(&Yf, i, b), accv);
                if (failures > 20)
                    return 1;
            }
        mat_free(&W);
        mat_free(&X);
        mat_free(&Y);
        mat_free(&Yf);
    }
    CHECK(points > 300, "only %d points", points);
    printf("test_fpmodel: %d design points, %ld outputs\n", points, outputs);
    printf("test_fpmodel: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
