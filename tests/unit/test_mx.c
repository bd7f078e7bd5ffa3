/* test_mx.c - the block-scaled (OCP MX, NVFP4) models of tlut and tsign
 * against an independent reference restated from issue 18's contract
 * (docs/block-scaled.md): element and scale values decoded here from
 * format descriptions written here, each block's sum S_j formed exactly
 * (host doubles: every element is a multiple of 2^-16 below 2^16, so a
 * block of 32 sums exactly in 53 bits), scale * S_j formed exactly
 * (a power of two, or an E4M3 significand of 4 bits, times S) and rounded
 * once to acc_type, then the accumulator's additions done in float (exact
 * rounding for fp32; fp16/bf16 rounded once from the float sum, which
 * carries more than 2p+2 bits). Exhaustive over every pair of element
 * codes of the 4- and 6-bit formats with every weight pair, over every
 * (element, E8M0 scale) pair, random elsewhere. Also the element table
 * (point, widths) against hand-computed values from the format
 * table. Usage: test_mx [SEED]. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfmt.h"
#include "dp.h"
#include "mx.h"
#include "../../model/kind.h"
#include "rng.h"
#include "util.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { if (failures++ < 20) { printf("FAIL %s:%d: ", \
    __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } } while (0)

/* Formats written here from the table (bias = 2^(e-1) - 1):
 * kind 0 IEEE-like (Inf, NaN), 1 E4M3 (S.1111.111 NaN only), 2 no
 * specials (FP6, FP4), 3 int8 (code * 2^-6). */
struct fmt { int bits, e, m, bias, kind; };
static const struct fmt F16 = { 16, 5, 10, 15, 0 }, BF16 = { 16, 8, 7, 127, 0 },
                        F32 = { 32, 8, 23, 127, 0 }, E4M3 = { 8, 4, 3, 7, 1 },
                        E5M2 = { 8, 5, 2, 15, 0 }, E3M2 = { 6, 3, 2, 3, 2 },
                        E2M3 = { 6, 2, 3, 1, 2 }, E2M1 = { 4, 2, 1, 1, 2 },
                        INT8 = { 8, 0, 0, 0, 3 };

static double decode(const struct fmt *f, uint32_t x)
{
    if (f->kind == 3)
        return ldexp((double)(int8_t)(uint8_t)x, -6);
    uint32_t s = x >> (f->bits - 1) & 1, e = x >> f->m & ((1u << f->e) - 1);
    uint32_t m = x & ((1u << f->m) - 1), emax = (1u << f->e) - 1;
    double v;
    if (f->kind == 0 && e == emax)
        v = m ? NAN : INFINITY;
    else if (f->kind == 1 && e == emax && m == (1u << f->m) - 1)
        v = NAN;
    else if (!e)
        v = ldexp((double)m, 1 - f->bias - f->m);
    else
        v = ldexp((double)(m | 1u << f->m), (int)e - f->bias - f->m);
    return s ? -v : v;
}

static uint32_t qnan(const struct fmt *f)
{
    return (((1u << f->e) - 1) << f->m) | 1u << (f->m - 1);
}

/* Round a double once to f (fp16, bf16, fp32), RNE, subnormals, overflow
 * to Inf, canonical NaN. */
static uint32_t encode(const struct fmt *f, double x)
{
    uint32_t sign = signbit(x) ? 1u << (f->bits - 1) : 0;
    uint32_t emax = (1u << f->e) - 1;
    if (isnan(x))
        return qnan(f);
    if (isinf(x))
        return sign | emax << f->m;
    double a = fabs(x);
    if (a == 0)
        return sign;
    int ex;
    frexp(a, &ex);
    int e = ex - 1 + f->bias;
    if (e < 1)
        e = 1;
    double q = ldexp(a, f->m - (e - f->bias)); /* exact: a power-of-two scaling */
    double fl = floor(q), rem = q - fl;
    if (rem > 0.5 || (rem == 0.5 && fmod(fl, 2) != 0))
        fl += 1;
    uint64_t mant = (uint64_t)fl;
    if (mant >= (2ull << f->m)) {
        mant >>= 1;
        e++;
    }
    if (mant < (1ull << f->m))
        return sign | (uint32_t)mant;
    if ((uint32_t)e >= emax)
        return sign | emax << f->m;
    return sign | (uint32_t)e << f->m | ((uint32_t)mant & ((1u << f->m) - 1));
}

/* acc + t in f: the double sum rounded again to f is the correctly
 * rounded sum, since 53 >= 2p + 2 for every p here (24 at most). */
static uint32_t add(const struct fmt *f, uint32_t acc, uint32_t t)
{
    double s = decode(f, acc) + decode(f, t);
    if (isnan(s))
        return qnan(f);
    /* the IEEE zero rules: x + (-x) = +0 in RNE; (-0) + (-0) = -0 */
    return encode(f, s);
}

struct mxcase {
    const char *name;
    const struct fmt *el;
    int k, ue4m3;
};
static const struct mxcase cases[] = {
    { "mxint8", &INT8, 32, 0 },    { "mxfp8e4m3", &E4M3, 32, 0 },
    { "mxfp8e5m2", &E5M2, 32, 0 }, { "mxfp6e3m2", &E3M2, 32, 0 },
    { "mxfp6e2m3", &E2M3, 32, 0 }, { "mxfp4", &E2M1, 32, 0 },
    { "nvfp4", &E2M1, 16, 1 },
};

/* The scale's value; NaN for the NaN codes. */
static double scale_value(const struct mxcase *c, uint32_t code)
{
    if (!c->ue4m3)
        return code == 255 ? NAN : ldexp(1.0, (int)code - 127);
    return fabs(decode(&E4M3, code & 0x7f)); /* the sign bit is ignored */
}

/* The reference: Y[r][b] per the contract. */
static uint32_t reference(const struct mxcase *c, const struct fmt *acc, const struct matrix *W,
                          const struct matrix *X, const struct matrix *S, int r, int b)
{
    int N = W->cols;
    uint32_t y = 0;
    for (int j = 0; j * c->k < N; j++) {
        double sum = 0;
        int nan = 0, pinf = 0, ninf = 0;
        for (int n = j * c->k; n < N && n < (j + 1) * c->k; n++) {
            int w = (int)MAT(W, r, n);
            if (!w)
                continue;
            double v = w * decode(c->el, (uint32_t)MAT(X, n, b));
            if (isnan(v))
                nan = 1;
            else if (isinf(v))
                *(v > 0 ? &pinf : &ninf) = 1;
            else
                sum += v;
        }
        double sc = scale_value(c, S ? (uint32_t)MAT(S, j, b) : (c->ue4m3 ? 0x38u : 127u));
        uint32_t t;
        if (nan || isnan(sc) || (pinf && ninf) || ((pinf || ninf) && sc == 0))
            t = qnan(acc);
        else if (pinf || ninf)
            t = encode(acc, pinf ? INFINITY : -INFINITY);
        else if (sum == 0)
            t = 0; /* +0 */
        else
            t = encode(acc, sum * sc); /* exact product: <= 42 bits */
        y = add(acc, y, t);
    }
    return y;
}

static int set(struct design_point *dp, const char *n, const char *v)
{
    return dp_set(dp, n, v, "t", "t");
}

static int seti(struct design_point *dp, const char *n, long v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", v);
    return set(dp, n, buf);
}

static const struct fmt *acc_fmt(const char *a)
{
    return !strcmp(a, "fp16") ? &F16 : !strcmp(a, "bf16") ? &BF16 : &F32;
}

static long outputs, random_outputs;

/* Compare the kind's model with the reference on (W, X, S). */
static void compare(const struct design_point *dp, const struct mxcase *c, const char *acc,
                    struct matrix *W, struct matrix *X, const char *what)
{
    struct matrix Y;
    kind_get(dp)->model(dp, W, X, &Y);
    const struct fmt *af = acc_fmt(acc);
    int bad = 0;
    for (int r = 0; r < W->rows && !bad; r++)
        for (int b = 0; b < X->cols && !bad; b++) {
            uint32_t want = reference(c, af, W, X, X->scales, r, b);
            outputs++;
            if ((uint32_t)MAT(&Y, r, b) != want) {
                bad = 1;
                CHECK(0, "%s %s acc=%s %s (N=%d B=%d): y[%d][%d] = 0x%" PRIx64
                      ", reference 0x%x", kind_names[dp->kind], c->name, acc, what, W->cols,
                      X->cols, r, b, MAT(&Y, r, b), want);
            }
        }
    mat_free(&Y);
}

static int make_point(struct design_point *dp, const struct mxcase *c, int kind, int mu,
                      int luts, const char *acc, long lat)
{
    dp_init(dp);
    set(dp, "kind", kind_names[kind]);
    set(dp, "act_type", c->name);
    set(dp, "acc_type", acc);
    seti(dp, "fp_latency", lat);
    if (kind == KIND_TLUT) {
        seti(dp, "mu", mu);
        seti(dp, "luts", luts);
    } else {
        seti(dp, "inputs", luts);
    }
    set(dp, "max_rows", "4096");
    set(dp, "max_cols", "4096");
    return dp_finalize(dp) == 0;
}

static void scales_init(struct matrix *X, int blocks)
{
    X->scales = xcalloc(1, sizeof *X->scales);
    mat_init(X->scales, blocks, X->cols);
}

/* Every pair of element codes (two inputs, one block) with all nine
 * weight pairs, on tlut (mu 1, 2) and tsign, each acc_type (8-bit
 * elements: one acc_type each); a random scale per column, a third of them
 * at the E8M0 ends. */
static void exhaustive_pairs(struct rng *r, const struct mxcase *c)
{
    static const char *accs[] = { "fp32", "fp16", "bf16" };
    int codes = 1 << c->el->bits;
    for (int v = 0; v < (c->el->bits == 8 ? 3 : 3 * 3); v++) {
        int kind = v % 3 == 2 ? KIND_TSIGN : KIND_TLUT, mu = v % 3 == 1 ? 2 : 1;
        const char *acc = accs[c->el->bits == 8 ? (int)(c - cases) % 3 : v / 3];
        struct design_point dp;
        if (!make_point(&dp, c, kind, mu, mu == 1 ? 2 : 1, acc, v % 3)) {
            CHECK(0, "%s: point not valid", c->name);
            continue;
        }
        struct matrix W, X;
        mat_init(&W, 9, 2);
        for (int i = 0; i < 9; i++) {
            MAT(&W, i, 0) = i % 3 - 1;
            MAT(&W, i, 1) = i / 3 - 1;
        }
        mat_init(&X, 2, codes * codes);
        scales_init(&X, 1);
        for (int b = 0; b < codes * codes; b++) {
            MAT(&X, 0, b) = b % codes;
            MAT(&X, 1, b) = b / codes;
            int64_t pick = rng_range(r, 0, 5);
            MAT(X.scales, 0, b) = pick == 0 ? rng_range(r, 0, 3)
                                 : pick == 1 ? rng_range(r, 250, 255)
                                             : rng_range(r, 100, 150);
        }
        compare(&dp, c, acc, &W, &X, "every code pair");
        mat_free(&W);
        mat_free(&X);
    }
}

/* Every element code with every scale code (N = 1, weights +1 and -1):
 * T_j at both ends of the scale range, overflow to Inf and underflow to
 * subnormals and zero, NaN scales. */
static void exhaustive_scales(const struct mxcase *c)
{
    static const char *accs[] = { "fp32", "fp16", "bf16" };
    int codes = 1 << c->el->bits;
    for (int a = 0; a < 3; a++) {
        struct design_point dp;
        if (!make_point(&dp, c, a == 1 ? KIND_TSIGN : KIND_TLUT, 1, 1, accs[a], 0))
            continue;
        struct matrix W, X;
        mat_init(&W, 2, 1);
        MAT(&W, 0, 0) = 1;
        MAT(&W, 1, 0) = -1;
        mat_init(&X, 1, codes * 256);
        scales_init(&X, 1);
        for (int b = 0; b < codes * 256; b++) {
            MAT(&X, 0, b) = b % codes;
            MAT(X.scales, 0, b) = b / codes;
        }
        compare(&dp, c, accs[a], &W, &X, "every (element, scale)");
        mat_free(&W);
        mat_free(&X);
    }
}

/* A random element code: zeros, the largest magnitudes, specials now and
 * then, near-cancelling pairs come from the uniform draws. */
static int64_t rand_code(struct rng *r, const struct mxcase *c, int specials)
{
    int bits = c->el->bits;
    for (;;) {
        int64_t code = rng_range(r, 0, (1 << bits) - 1);
        int64_t pick = rng_range(r, 0, 9);
        if (pick == 0)
            code &= (int64_t)1 << (bits - 1); /* +-0 */
        else if (pick == 1)
            code |= ((int64_t)1 << (bits - 1)) - 4; /* top magnitudes */
        double v = decode(c->el, (uint32_t)code);
        if (isfinite(v) || rng_range(r, 0, 99) < specials)
            return code;
    }
}

static void random_points(struct rng *r, const struct mxcase *c, int iters)
{
    static const char *accs[] = { "fp32", "fp16", "bf16", "auto" };
    for (int it = 0; it < iters; it++) {
        int kind = rng_range(r, 0, 1) ? KIND_TLUT : KIND_TSIGN;
        /* a tile holds at most one block (tile_cols <= k) */
        int mu = (int)rng_range(r, 1, 5);
        int luts = (int)rng_range(r, 1, kind == KIND_TLUT ? c->k / mu : c->k);
        const char *acc = accs[rng_range(r, 0, 3)];
        struct design_point dp;
        if (!make_point(&dp, c, kind, mu, luts, acc, rng_range(r, 0, 3)))
            continue;
        int M = (int)rng_range(r, 1, 6), B = (int)rng_range(r, 1, 4);
        int N = (int)rng_range(r, 1, 4) * c->k + (int)rng_range(r, -3, 3);
        if (N < 1)
            N = 1;
        int blocks = (N + c->k - 1) / c->k, specials = (int)rng_range(r, 0, 3);
        struct matrix W, X;
        mat_init(&W, M, N);
        for (int i = 0; i < M * N; i++)
            W.v[i] = rng_range(r, 0, 2) - 1;
        mat_init(&X, N, B);
        for (int i = 0; i < N * B; i++)
            X.v[i] = rand_code(r, c, specials);
        if (rng_range(r, 0, 4)) {
            scales_init(&X, blocks);
            for (int i = 0; i < blocks * B; i++) {
                int64_t pick = rng_range(r, 0, 19);
                X.scales->v[i] = pick == 0   ? 255
                                 : pick < 3  ? rng_range(r, 0, 6)
                                 : pick < 5  ? rng_range(r, 245, 254)
                                 : c->ue4m3 ? rng_range(r, 0, 255)
                                            : rng_range(r, 110, 140);
            }
        }
        compare(&dp, c, !strcmp(acc, "auto") ? "fp32" : acc, &W, &X, "random");
        random_outputs += (long)M * B;
        mat_free(&W);
        mat_free(&X);
    }
}

/* The element table against values computed by hand from the issue's
 * formats: the point P (smallest positive value 2^-P), the largest
 * magnitude, the minimal widths of an element, of +-element, of a block
 * sum; and mx_elem_int against the decoder here on every code. */
static void check_table(void)
{
    static const struct {
        enum mx_elem e;
        const struct fmt *f;
        int point, elem_bits, sum1_bits, blk32_bits;
        double max;
    } t[] = {
        { MXE_INT8, &INT8, 6, 8, 9, 14, 2 }, /* -128 * 2^-6 */
        { MXE_E4M3, &E4M3, 9, 19, 19, 24, 448 },
        { MXE_E5M2, &E5M2, 16, 33, 33, 38, 57344 },
        { MXE_E3M2, &E3M2, 4, 10, 10, 15, 28 },
        { MXE_E2M3, &E2M3, 3, 7, 7, 12, 7.5 },
        { MXE_E2M1, &E2M1, 1, 5, 5, 10, 6 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const struct mx_elem_info *in = mx_elem(t[i].e);
        CHECK(in->point == t[i].point, "%s: point %d", in->name, in->point);
        CHECK(mx_elem_bits(t[i].e) == t[i].elem_bits, "%s: elem bits %d", in->name,
              mx_elem_bits(t[i].e));
        CHECK(mx_sum_bits(t[i].e, 1) == t[i].sum1_bits, "%s: +-elem bits", in->name);
        CHECK(mx_sum_bits(t[i].e, 32) == t[i].blk32_bits, "%s: block bits %d", in->name,
              mx_sum_bits(t[i].e, 32));
        double maxv = 0;
        for (uint32_t code = 0; code < 1u << t[i].f->bits; code++) {
            double v = decode(t[i].f, code);
            unsigned fl;
            int64_t got = mx_elem_int(t[i].e, code, &fl);
            unsigned want = isnan(v) ? MXF_NAN : isinf(v) ? (v > 0 ? MXF_PINF : MXF_NINF) : 0;
            CHECK(fl == want, "%s 0x%x: flags %u, want %u", in->name, code, fl, want);
            if (isfinite(v)) {
                CHECK((double)got == ldexp(v, t[i].point), "%s 0x%x: integer %" PRId64
                      ", value %g", in->name, code, got, v);
                maxv = fabs(v) > maxv ? fabs(v) : maxv;
            }
        }
        CHECK(maxv == t[i].max, "%s: largest %g", in->name, maxv);
    }
    CHECK(mx_sum_bits(MXE_E2M1, 16) == 9, "nvfp4 block bits");
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261206;
    printf("test_mx: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    check_table();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct mxcase *c = &cases[i];
        exhaustive_pairs(&r, c);
        exhaustive_scales(c);
        random_points(&r, c, c->el->bits == 8 ? 500 : 250);
    }
    printf("test_mx: %ld outputs against the reference (%ld of random points)\n", outputs,
           random_outputs);
    if (failures) {
        printf("test_mx: %d FAILED\n", failures);
        return 1;
    }
    printf("test_mx: ok\n");
    return 0;
}
