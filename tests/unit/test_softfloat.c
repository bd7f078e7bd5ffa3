/* test_softfloat.c - common/softfloat against references written from the
 * format definitions in docs/floating-point.md, not from softfloat.c:
 *
 * ref_decode  a pattern's value as a double, from sign/exponent/fraction.
 * ref_round   a double rounded to a format: scale onto the ulp grid with
 *             ldexp, rint() (ties to even in the default rounding mode),
 *             overflow and E4M3 rules from the document.
 * brute_round the same by search: the nearest of all patterns (and the
 *             first value past the largest finite one, which stands for
 *             overflow), ties to the pattern with an even last bit. Used
 *             for FP8 and to cross-check ref_round over every FP8 case.
 * host        x86-64 SSE float + and *, IEEE RNE with gradual underflow,
 *             is the oracle for fp32; glibc strtof for fp32 decimal text.
 *
 * 1. fp32 add/mul: random pairs of mixed classes (random bits, specials,
 *    subnormals, near overflow, exponent spreads up to 40, exact and near
 *    cancellations, products near the underflow and overflow thresholds)
 *    against host float. Any NaN must be exactly 0x7fc00000.
 * 2. fp16/bf16 add/mul: every pair with one operand from a special set of
 *    ~200 values, and random pairs, against: operands converted exactly to
 *    float, one float operation, ref_round once. That is correctly rounded:
 *    float has p = 24 >= 2p+2 for p = 11 (fp16) and 8 (bf16). Sums of
 *    bf16 values below 2^-126 are exact in float (multiples of 2^-133 with
 *    at most 7 bits). A bf16 product has an integer significand <= 255^2 =
 *    65025 < 2^16, so a product that is not exact in float lies below
 *    2^-134 - 2^-150, and the float rounding cannot land it on a bf16
 *    rounding boundary from the wrong side (that would need a significand
 *    >= 2^16 - 1). fp16 products are exact in float.
 * 3. fp8 add/mul: all 65536 pairs of both formats against the exact double
 *    result through brute_round (and ref_round, which must agree).
 * 4. sf_convert: every fp8/fp16/bf16 pattern into every format (ref_round
 *    of the exact value; widening also checked exact through doubles),
 *    fp32 random and boundary patterns (midpoints of every 8/16-bit
 *    target and their neighbours) into every narrower format.
 * 5. sf_parse / sf_format_hex: hex round trip of every 8/16-bit pattern
 *    and random fp32; decimal: hand-picked values, the exact decimal of
 *    every 8/16-bit value, of every midpoint and of the doubles next to
 *    the midpoints; random decimals against strtof (fp32) and against
 *    ref_round(strtod) where strtod's double is not itself a midpoint.
 *
 * Usage: test_softfloat [SEED [--long]]. --long (outside CI) runs all 2^32
 * pairs of fp16 and bf16 add and mul, 500 M fp32 pairs and every fp32
 * pattern converted into each narrower format. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "softfloat.h"
#include "rng.h"

#if FLT_EVAL_METHOD != 0
#error "the fp32 oracle needs float arithmetic evaluated in float (SSE)"
#endif

static int failures;
static long checked;
#define CHECK(c, ...) do { checked++; if (!(c)) { if (++failures <= 50) { \
    printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } \
    } while (0)

/* ------------------------------------------------- the formats, from the doc */

struct tfmt {
    const char *name;
    int bits, eb, mb, bias, has_inf;
    uint32_t qnan;
};
#define NF 5
static const struct tfmt T[NF] = {
    [SF_FP16] = { "fp16", 16, 5, 10, 15, 1, 0x7e00 },
    [SF_BF16] = { "bf16", 16, 8, 7, 127, 1, 0x7fc0 },
    [SF_FP32] = { "fp32", 32, 8, 23, 127, 1, 0x7fc00000 },
    [SF_FP8E4M3] = { "fp8e4m3", 8, 4, 3, 7, 0, 0x7f },
    [SF_FP8E5M2] = { "fp8e5m2", 8, 5, 2, 15, 1, 0x7e },
};

static uint32_t sbit(int f) { return 1u << (T[f].bits - 1); }
static uint32_t emask(int f) { return (1u << T[f].eb) - 1; }
static uint32_t mmask(int f) { return (1u << T[f].mb) - 1; }
static uint64_t npat(int f) { return UINT64_C(1) << T[f].bits; }

/* The value of the fields read as a finite number (no special cases). */
static double decode_raw(int f, uint32_t a)
{
    uint32_t E = (a >> T[f].mb) & emask(f), M = a & mmask(f);
    double v = E ? ldexp((double)(M + mmask(f) + 1), (int)E - T[f].bias - T[f].mb)
                 : ldexp((double)M, 1 - T[f].bias - T[f].mb);
    return (a & sbit(f)) ? -v : v;
}

static int ref_is_nan(int f, uint32_t a)
{
    uint32_t E = (a >> T[f].mb) & emask(f), M = a & mmask(f);
    if (T[f].has_inf)
        return E == emask(f) && M != 0;
    return E == emask(f) && M == mmask(f);
}

static int ref_is_inf(int f, uint32_t a)
{
    return T[f].has_inf && ((a >> T[f].mb) & emask(f)) == emask(f) && !(a & mmask(f));
}

static double ref_decode(int f, uint32_t a)
{
    if (ref_is_nan(f, a))
        return NAN;
    if (ref_is_inf(f, a))
        return (a & sbit(f)) ? -INFINITY : INFINITY;
    return decode_raw(f, a);
}

/* x rounded once to format f (RNE, unbounded exponent, then overflow).
 * *tie (if given) says whether x lies exactly halfway between two
 * neighbouring grid values. */
static uint32_t ref_round(int f, double x, int *tie)
{
    if (tie)
        *tie = 0;
    if (isnan(x))
        return T[f].qnan;
    uint32_t s = signbit(x) ? sbit(f) : 0;
    double ax = fabs(x);
    if (isinf(ax))
        return T[f].has_inf ? s | emask(f) << T[f].mb : T[f].qnan;
    if (ax == 0)
        return s;
    int E, mb = T[f].mb, emin = 1 - T[f].bias;
    frexp(ax, &E);
    int e = E - 1 < emin ? emin : E - 1; /* exponent of the leading bit */
    double n = ldexp(ax, mb - e);        /* ax in ulps, < 2^(mb+1) */
    double r = rint(n);
    if (tie)
        *tie = n - floor(n) == 0.5;
    if (r == ldexp(1, mb + 1)) {
        r = ldexp(1, mb);
        e++;
    }
    if (r == 0)
        return s;
    uint32_t ri = (uint32_t)r;
    if (ri >> mb) {
        uint32_t be = (uint32_t)(e + T[f].bias), frac = ri & mmask(f);
        if (T[f].has_inf ? be >= emask(f)
                         : be > emask(f) || (be == emask(f) && frac == mmask(f)))
            return T[f].has_inf ? s | emask(f) << mb : T[f].qnan;
        return s | be << mb | frac;
    }
    return s | ri;
}

/* Largest finite positive pattern; the next pattern read by decode_raw is
 * the first value past it (2^(emax+1), or 480 for E4M3). */
static uint32_t max_pattern(int f)
{
    return T[f].has_inf ? ((emask(f) - 1) << T[f].mb) | mmask(f)
                        : (emask(f) << T[f].mb) | (mmask(f) - 1);
}

static uint32_t brute_round(int f, double x)
{
    if (isnan(x))
        return T[f].qnan;
    uint32_t s = signbit(x) ? sbit(f) : 0, over = max_pattern(f) + 1;
    double ax = fabs(x);
    uint32_t best = over;
    if (!isinf(ax)) {
        double bd = INFINITY;
        for (uint32_t p = 0; p <= over; p++) {
            double d = fabs(decode_raw(f, p) - ax);
            if (d < bd || (d == bd && !(p & 1))) {
                bd = d;
                best = p;
            }
        }
    }
    if (best == over)
        return T[f].has_inf ? s | emask(f) << T[f].mb : T[f].qnan;
    return s | best;
}

/* Same value, sign, or both NaN. */
static int same_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return a == b && !signbit(a) == !signbit(b);
}

static uint32_t f2u(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static float u2f(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

static double now(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* Decoded 8/16-bit values (NaN included), for speed. */
static double *dec[NF];

static void build_tables(void)
{
    for (int f = 0; f < NF; f++) {
        if (T[f].bits > 16)
            continue;
        dec[f] = malloc(sizeof(double) * npat(f));
        if (!dec[f])
            abort();
        for (uint32_t a = 0; a < npat(f); a++)
            dec[f][a] = ref_decode(f, a);
    }
}

/* ------------------------------------------------------------ specials */

/* Every sign x exponent field {0,1,2,bias-1,bias,bias+1,emax-2,emax-1,emax}
 * x fraction {0,1,2,half,max-1,max}, then random patterns up to n. */
static int special_set(int f, struct rng *r, uint32_t *out, int n)
{
    uint32_t em = emask(f), mm = mmask(f), b = (uint32_t)T[f].bias;
    uint32_t es[] = { 0, 1, 2, b - 1, b, b + 1, em - 2, em - 1, em };
    uint32_t ms[] = { 0, 1, 2, (mm + 1) / 2, mm - 1, mm };
    int k = 0;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sizeof es / sizeof es[0]; i++)
            for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++) {
                uint32_t p = (s ? sbit(f) : 0) | es[i] << T[f].mb | ms[j];
                int dup = 0;
                for (int q = 0; q < k; q++)
                    dup |= out[q] == p;
                if (!dup && k < n)
                    out[k++] = p;
            }
    uint32_t wm = T[f].bits == 32 ? 0xffffffffu : (uint32_t)npat(f) - 1;
    while (k < n)
        out[k++] = (uint32_t)rng_next(r) & wm;
    return k;
}

/* ------------------------------------------------------ 0. API and misc */

static void check_api(void)
{
    for (int f = 0; f < NF; f++) {
        const struct sf_info *i = sf_info((enum sf_format)f);
        CHECK(!strcmp(sf_format_names[f], T[f].name), "name %d", f);
        CHECK(sf_lookup(T[f].name) == f, "lookup %s", T[f].name);
        CHECK(i->bits == T[f].bits && i->exp_bits == T[f].eb && i->man_bits == T[f].mb &&
                  i->bias == T[f].bias && i->has_inf == T[f].has_inf && i->qnan == T[f].qnan,
              "sf_info %s", T[f].name);
        CHECK(1 + T[f].eb + T[f].mb == T[f].bits, "widths %s", T[f].name);
    }
    CHECK(sf_format_names[NF] == NULL, "names end with NULL");
    CHECK(sf_lookup("fp64") == -1 && sf_lookup("") == -1 && sf_lookup("FP16") == -1, "lookup");

    /* Classification and negation of every 8/16-bit pattern. */
    for (int f = 0; f < NF; f++) {
        if (T[f].bits > 16)
            continue;
        for (uint32_t a = 0; a < npat(f); a++) {
            enum sf_format F = (enum sf_format)f;
            double v = dec[f][a];
            CHECK(sf_is_nan(F, a) == ref_is_nan(f, a), "%s is_nan 0x%x", T[f].name, a);
            CHECK(sf_is_inf(F, a) == ref_is_inf(f, a), "%s is_inf 0x%x", T[f].name, a);
            CHECK(sf_is_zero(F, a) == (v == 0), "%s is_zero 0x%x", T[f].name, a);
            uint32_t n = sf_neg(F, a);
            CHECK(isnan(v) ? n == T[f].qnan : n == (a ^ sbit(f)), "%s neg 0x%x -> 0x%x",
                  T[f].name, a, n);
            CHECK(same_double(sf_to_double(F, a), v), "%s to_double 0x%x", T[f].name, a);
        }
    }
    /* Known values and the contract's spot cases, in every format. */
    for (int f = 0; f < NF; f++) {
        enum sf_format F = (enum sf_format)f;
        uint32_t s = sbit(f), one = (uint32_t)T[f].bias << T[f].mb, two = one + (1u << T[f].mb);
        uint32_t inf = emask(f) << T[f].mb, mx = max_pattern(f), q = T[f].qnan;
        const char *n = T[f].name;
        CHECK(sf_to_double(F, one) == 1.0 && sf_to_double(F, two) == 2.0, "%s one", n);
        CHECK(sf_add(F, one, one) == two, "%s 1+1", n);
        CHECK(sf_mul(F, two, two | s) == ((two + (1u << T[f].mb)) | s), "%s 2*-2", n);
        CHECK(sf_add(F, 0, s) == 0, "%s +0 + -0", n);
        CHECK(sf_add(F, s, 0) == 0, "%s -0 + +0", n);
        CHECK(sf_add(F, s, s) == s, "%s -0 + -0", n);
        CHECK(sf_add(F, 0, 0) == 0, "%s +0 + +0", n);
        CHECK(sf_add(F, one, one | s) == 0, "%s 1 + -1", n);
        CHECK(sf_add(F, one | s, one) == 0, "%s -1 + 1", n);
        CHECK(sf_add(F, mx | s, mx) == 0, "%s -max + max", n);
        CHECK(sf_sub(F, one, one) == 0 && sf_sub(F, s, 0) == s && sf_sub(F, 0, 0) == 0,
              "%s sub zeros", n);
        CHECK(sf_mul(F, 0, one | s) == s, "%s 0 * -1", n);
        CHECK(sf_mul(F, s, one | s) == 0, "%s -0 * -1", n);
        CHECK(sf_mul(F, s, 0) == s, "%s -0 * 0", n);
        CHECK(sf_add(F, 1, 1 | s) == 0, "%s sub - sub", n);
        CHECK(sf_add(F, 1, 1) == 2, "%s min sub + min sub", n);
        CHECK(sf_mul(F, 1, 1) == 0 && sf_mul(F, 1, 1 | s) == s, "%s underflow keeps sign", n);
        if (T[f].has_inf) {
            CHECK(sf_add(F, mx, mx) == inf && sf_add(F, mx | s, mx | s) == (inf | s),
                  "%s overflow", n);
            CHECK(sf_add(F, inf, inf | s) == q && sf_add(F, inf | s, inf) == q, "%s inf-inf", n);
            CHECK(sf_add(F, inf, mx | s) == inf && sf_add(F, one, inf | s) == (inf | s),
                  "%s inf + x", n);
            CHECK(sf_mul(F, inf, 0) == q && sf_mul(F, s, inf | s) == q, "%s inf*0", n);
            CHECK(sf_mul(F, inf, one | s) == (inf | s), "%s inf*-1", n);
            CHECK(sf_neg(F, inf) == (inf | s), "%s -inf", n);
        } else {
            CHECK(sf_add(F, mx, mx) == q && sf_add(F, mx | s, mx | s) == q, "%s overflow", n);
            CHECK(sf_mul(F, mx, two) == q, "%s overflow mul", n);
        }
        /* Every NaN operand, in every position. */
        for (uint32_t a = 0; T[f].bits <= 16 && a < npat(f); a++) {
            if (!ref_is_nan(f, a))
                continue;
            uint32_t ops[] = { sf_add(F, a, one),    sf_add(F, one, a), sf_add(F, a, a),
                               sf_mul(F, a, 0),      sf_mul(F, inf, a), sf_neg(F, a),
                               sf_add(F, a, s),      sf_sub(F, inf, a) };
            for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
                CHECK(ops[i] == q, "%s NaN 0x%x op %zu -> 0x%x", n, a, i, ops[i]);
        }
    }
    /* E4M3 rounding at the top: 448 + 16 = 464 is a tie -> 448; 448 + 32
     * = 480 and beyond -> NaN. 16 = 0x58, 32 = 0x60, 8 = 0x50 in E4M3. */
    CHECK(sf_add(SF_FP8E4M3, 0x7e, 0x58) == 0x7e, "e4m3 448+16");
    CHECK(sf_add(SF_FP8E4M3, 0x7e, 0x60) == 0x7f, "e4m3 448+32");
    CHECK(sf_add(SF_FP8E4M3, 0x7e, 0x50) == 0x7e, "e4m3 448+8");
    CHECK(sf_add(SF_FP8E4M3, 0xfe, 0xd8) == 0xfe, "e4m3 -448-16");
    CHECK(sf_add(SF_FP8E4M3, 0xfe, 0xe0) == 0x7f, "e4m3 -448-32");
    /* fp32 via the host for a few canonical-NaN cases. */
    CHECK(sf_add(SF_FP32, 0x7f800000, 0xff800000) == 0x7fc00000, "fp32 inf-inf");
    CHECK(sf_mul(SF_FP32, 0xffc00001, 0x3f800000) == 0x7fc00000, "fp32 -nan payload");
    CHECK(sf_add(SF_FP32, 0x7f800001, 0x3f800000) == 0x7fc00000, "fp32 snan");
    /* sf_format_hex truncation. */
    char b[SF_HEX_SIZE];
    sf_format_hex(SF_FP16, 0x3c00, b, 4);
    CHECK(!strcmp(b, "0x3"), "hex truncated to 4 bytes: %s", b);
    sf_format_hex(SF_FP32, 0x7fc00000, b, sizeof b);
    CHECK(!strcmp(b, "0x7fc00000"), "hex fp32: %s", b);
    memcpy(b, "zz", 3);
    sf_format_hex(SF_FP16, 0x3c00, b, 0);
    CHECK(!strcmp(b, "zz"), "hex n=0 writes nothing");
}

/* --------------------------------------------------------- 1. fp32 ops */

static uint32_t rand_f32(struct rng *r, uint32_t other, const uint32_t *spec, int nspec)
{
    uint32_t x = (uint32_t)rng_next(r);
    uint32_t sgn = x & 0x80000000u, man = (uint32_t)(rng_next(r) & 0x7fffff);
    int oe = (int)((other >> 23) & 0xff);
    switch (rng_next(r) % 16) {
    case 0: case 1: case 2: case 3:
        return x; /* random bits */
    case 4: case 5:
        return spec[rng_next(r) % (uint64_t)nspec];
    case 6:
        return sgn | man; /* subnormal */
    case 7:
        return sgn | (uint32_t)rng_range(r, 250, 254) << 23 | man; /* near overflow */
    case 8:
        return sgn | (uint32_t)rng_range(r, 1, 6) << 23 | man; /* near underflow */
    case 9: { /* exponent spread up to 40 */
        int e = oe + (int)rng_range(r, -40, 40);
        e = e < 0 ? 0 : e > 254 ? 254 : e;
        return sgn | (uint32_t)e << 23 | man;
    }
    case 10: /* exact cancellation */
        return other ^ 0x80000000u;
    case 11: /* near cancellation: a few ulps away, opposite sign */
        return (other ^ 0x80000000u) + (uint32_t)rng_range(r, -3, 3);
    case 12: /* same exponent, opposite sign: massive cancellation */
        return ((other ^ 0x80000000u) & 0xff800000u) | man;
    case 13: { /* product near the subnormal range */
        int e = (int)rng_range(r, 127 - 24 - 2, 127 + 2) - oe;
        e = e < 0 ? 0 : e > 254 ? 254 : e;
        return sgn | (uint32_t)e << 23 | man;
    }
    case 14: { /* product near overflow */
        int e = (int)rng_range(r, 127 + 125, 127 + 129) - oe;
        e = e < 0 ? 0 : e > 254 ? 254 : e;
        return sgn | (uint32_t)e << 23 | man;
    }
    default: /* few significant bits: exact results and ties */
        return (x & 0xff800000u) | (man & 0x7f0000u);
    }
}

static long fp32_ops(struct rng *r, long n)
{
    uint32_t spec[200];
    int ns = special_set(SF_FP32, r, spec, 200);
    long k = 0;
    for (long i = 0; i < n; i++) {
        uint32_t a, b;
        if (i < (long)ns * ns) { /* all special pairs first */
            a = spec[i / ns];
            b = spec[i % ns];
        } else {
            a = rand_f32(r, 0, spec, ns);
            b = rand_f32(r, a, spec, ns);
            if (rng_next(r) & 1) {
                uint32_t t = a;
                a = b;
                b = t;
            }
        }
        float x = u2f(a), y = u2f(b);
        float hs = x + y, hp = x * y;
        uint32_t s = sf_add(SF_FP32, a, b), p = sf_mul(SF_FP32, a, b);
        CHECK(isnan(hs) ? s == 0x7fc00000u : s == f2u(hs),
              "fp32 0x%08x + 0x%08x = 0x%08x, host 0x%08x", a, b, s, f2u(hs));
        CHECK(isnan(hp) ? p == 0x7fc00000u : p == f2u(hp),
              "fp32 0x%08x * 0x%08x = 0x%08x, host 0x%08x", a, b, p, f2u(hp));
        k += 2;
    }
    return k;
}

/* ---------------------------------------------------- 2. fp16 and bf16 */

static uint32_t ref16(int f, int mul, uint32_t a, uint32_t b)
{
    float x = (float)dec[f][a], y = (float)dec[f][b];
    float z = mul ? x * y : x + y;
    return ref_round(f, (double)z, NULL);
}

static void check16(int f, uint32_t a, uint32_t b)
{
    enum sf_format F = (enum sf_format)f;
    uint32_t s = sf_add(F, a, b), p = sf_mul(F, a, b);
    uint32_t es = ref16(f, 0, a, b), ep = ref16(f, 1, a, b);
    CHECK(s == es, "%s 0x%04x + 0x%04x = 0x%04x, expected 0x%04x", T[f].name, a, b, s, es);
    CHECK(p == ep, "%s 0x%04x * 0x%04x = 0x%04x, expected 0x%04x", T[f].name, a, b, p, ep);
}

static long ops16(int f, struct rng *r, long nrand)
{
    uint32_t spec[200];
    int ns = special_set(f, r, spec, 200);
    long k0 = checked;
    for (int i = 0; i < ns; i++)
        for (uint32_t b = 0; b < 65536; b++) {
            check16(f, spec[i], b);
            check16(f, b, spec[i]);
        }
    for (long i = 0; i < nrand; i++) {
        uint32_t a = (uint32_t)rng_next(r) & 0xffff, b;
        switch (rng_next(r) % 4) {
        case 0:
            b = (uint32_t)rng_next(r) & 0xffff;
            break;
        case 1:
            b = (a ^ 0x8000) + (uint32_t)rng_range(r, -2, 2); /* cancellation */
            b &= 0xffff;
            break;
        case 2: { /* nearby exponents */
            int e = (int)((a >> T[f].mb) & emask(f)) + (int)rng_range(r, -T[f].mb - 3, T[f].mb + 3);
            e = e < 0 ? 0 : e > (int)emask(f) - 1 ? (int)emask(f) - 1 : e;
            b = (uint32_t)(rng_next(r) & 0x8000) | (uint32_t)e << T[f].mb |
                ((uint32_t)rng_next(r) & mmask(f));
            break;
        }
        default: /* subnormal or tiny */
            b = (uint32_t)(rng_next(r) & 0x8000) | ((uint32_t)rng_next(r) & (2 * mmask(f) + 1));
            break;
        }
        check16(f, a, b);
    }
    return checked - k0;
}

/* All 2^32 pairs, add and mul (--long). */
static long all16(int f)
{
    long k0 = checked;
    for (uint32_t a = 0; a < 65536; a++)
        for (uint32_t b = 0; b < 65536; b++)
            check16(f, a, b);
    return checked - k0;
}

/* --------------------------------------------------------------- 3. fp8 */

static long ops8(void)
{
    long k0 = checked;
    for (int f = SF_FP8E4M3; f <= SF_FP8E5M2; f++) {
        enum sf_format F = (enum sf_format)f;
        for (uint32_t a = 0; a < 256; a++)
            for (uint32_t b = 0; b < 256; b++) {
                double x = dec[f][a], y = dec[f][b];
                double s = x + y, p = x * y; /* both exact in double */
                uint32_t es = brute_round(f, s), ep = brute_round(f, p);
                CHECK(ref_round(f, s, NULL) == es && ref_round(f, p, NULL) == ep,
                      "reference disagreement %s 0x%02x 0x%02x", T[f].name, a, b);
                uint32_t gs = sf_add(F, a, b), gp = sf_mul(F, a, b);
                CHECK(gs == es, "%s 0x%02x + 0x%02x = 0x%02x, expected 0x%02x", T[f].name, a, b,
                      gs, es);
                CHECK(gp == ep, "%s 0x%02x * 0x%02x = 0x%02x, expected 0x%02x", T[f].name, a, b,
                      gp, ep);
                uint32_t gd = sf_sub(F, a, b), ed = brute_round(f, x - y);
                CHECK(gd == ed, "%s 0x%02x - 0x%02x = 0x%02x, expected 0x%02x", T[f].name, a, b,
                      gd, ed);
            }
    }
    return checked - k0;
}

/* ----------------------------------------------------------- 4. convert */

/* Widening pairs: every value of from is a value of to. */
static int widens(int to, int from)
{
    return to != from && T[to].mb >= T[from].mb &&
           T[to].bias >= T[from].bias && T[to].eb >= T[from].eb;
}

static void check_convert(int to, int from, uint32_t a, double v)
{
    uint32_t g = sf_convert((enum sf_format)to, (enum sf_format)from, a);
    uint32_t e = ref_round(to, v, NULL);
    CHECK(g == e, "convert %s 0x%x -> %s: 0x%x, expected 0x%x", T[from].name, a, T[to].name, g, e);
    if (widens(to, from)) /* E4M3 has no inf but never is a target here */
        CHECK(same_double(ref_decode(to, g), v) && (!isnan(v) || g == T[to].qnan),
              "convert %s 0x%x -> %s not exact", T[from].name, a, T[to].name);
}

static long converts(struct rng *r, long nrand)
{
    long k0 = checked;
    /* Every 8/16-bit pattern into every format. */
    for (int from = 0; from < NF; from++) {
        if (T[from].bits > 16)
            continue;
        for (uint32_t a = 0; a < npat(from); a++)
            for (int to = 0; to < NF; to++)
                check_convert(to, from, a, dec[from][a]);
    }
    /* fp32 patterns: random, and every rounding boundary of the narrow
     * formats with its fp32 neighbours. */
    for (long i = 0; i < nrand; i++) {
        uint32_t a = (uint32_t)rng_next(r);
        if (i & 1) /* concentrate on the narrow formats' ranges */
            a = (a & 0x807fffffu) | (uint32_t)rng_range(r, 127 - 40, 127 + 18) << 23;
        double v = (double)u2f(a);
        CHECK(same_double(sf_to_double(SF_FP32, a), v), "fp32 to_double 0x%08x", a);
        for (int to = 0; to < NF; to++)
            check_convert(to, SF_FP32, a, v);
    }
    for (int to = 0; to < NF; to++) {
        if (T[to].bits > 16)
            continue;
        uint32_t top = max_pattern(to);
        for (uint32_t t = 0; t <= top; t++) {
            double lo = decode_raw(to, t), hi = decode_raw(to, t + 1);
            float pts[] = { (float)lo, (float)((lo + hi) / 2) }; /* both exact */
            for (int j = 0; j < 2; j++)
                for (int d = -1; d <= 1; d++)
                    for (int sg = 0; sg < 2; sg++) {
                        uint32_t a = (f2u(pts[j]) + (uint32_t)d) ^ (sg ? 0x80000000u : 0);
                        if (d < 0 && f2u(pts[j]) == 0)
                            continue;
                        double v = (double)u2f(a);
                        check_convert(to, SF_FP32, a, v);
                    }
        }
    }
#if defined(__FLT16_MAX__)
    /* The compiler's own float -> _Float16 conversion as a second oracle. */
    __extension__ typedef _Float16 half;
    for (long i = 0; i < nrand; i++) {
        uint32_t a = (uint32_t)rng_next(r);
        if (i & 1)
            a = (a & 0x807fffffu) | (uint32_t)rng_range(r, 127 - 27, 127 + 17) << 23;
        volatile float x = u2f(a);
        half h = (half)x;
        uint16_t hu;
        memcpy(&hu, &h, 2);
        uint32_t g = sf_convert(SF_FP16, SF_FP32, a);
        CHECK(isnan(x) ? g == 0x7e00 : g == hu, "fp32 0x%08x -> fp16 0x%04x, _Float16 0x%04x",
              a, g, hu);
    }
#endif
    return checked - k0;
}

/* Every fp32 pattern into each narrower format (--long). */
static long converts_all32(void)
{
    long k0 = checked;
    uint32_t a = 0;
    do {
        double v = (double)u2f(a);
        for (int to = 0; to < NF; to++)
            if (to != SF_FP32)
                check_convert(to, SF_FP32, a, v);
    } while (++a != 0);
    return checked - k0;
}

/* ------------------------------------------------------------ 5. parse */

static void parse_is(int f, const char *text, int rc, uint32_t want)
{
    uint32_t got = 0xdeadbeef;
    int k = sf_parse((enum sf_format)f, text, &got);
    if (rc)
        CHECK(k == -1 && got == 0xdeadbeef, "%s parse \"%.60s\" should fail (rc %d)", T[f].name,
              text, k);
    else
        CHECK(k == 0 && got == want, "%s parse \"%.60s\": rc %d 0x%x, expected 0x%x",
              T[f].name, text, k, got, want);
}

static long parse_hex_all(struct rng *r)
{
    long k0 = checked;
    char buf[64], want[64], up[64];
    for (int f = 0; f < NF; f++) {
        uint64_t n = T[f].bits > 16 ? 200000 : npat(f);
        for (uint64_t i = 0; i < n; i++) {
            uint32_t a = T[f].bits > 16 ? (uint32_t)rng_next(r) : (uint32_t)i;
            if (T[f].bits > 16 && i < 4)
                a = (uint32_t[]){ 0, 0xffffffffu, 0x7fc00000u, 0x80000000u }[i];
            sf_format_hex((enum sf_format)f, a, buf, sizeof buf);
            snprintf(want, sizeof want, "0x%0*" PRIx32, T[f].bits / 4, a);
            CHECK(!strcmp(buf, want), "%s hex 0x%x: \"%s\"", T[f].name, a, buf);
            parse_is(f, buf, 0, a);
            snprintf(up, sizeof up, "0X%" PRIX32, a); /* upper case, no leading zeros */
            parse_is(f, up, 0, a);
        }
    }
    /* Width checks and malformed hex. */
    parse_is(SF_FP16, "0x10000", -1, 0);
    parse_is(SF_FP16, "0xffff", 0, 0xffff);
    parse_is(SF_FP16, "0x00003c00", 0, 0x3c00);
    parse_is(SF_BF16, "0x1ffff", -1, 0);
    parse_is(SF_FP8E4M3, "0x100", -1, 0);
    parse_is(SF_FP8E5M2, "0xff", 0, 0xff);
    parse_is(SF_FP32, "0xffffffff", 0, 0xffffffffu);
    parse_is(SF_FP32, "0x100000000", -1, 0);
    parse_is(SF_FP32, "0x123456789", -1, 0);
    parse_is(SF_FP32, "0x0000000000001", 0, 1);
    const char *bad[] = { "0x", "0X", "0xg", "0x1g", "0x 1", "0x1 ", " 0x1", "-0x1", "+0x1",
                          "0x-1", "0x1.8", "0x1p3", "0xx1", "x1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse_is(SF_FP16, bad[i], -1, 0);
    return checked - k0;
}

struct dcase {
    int f;
    const char *text;
    uint32_t want;
};

static const struct dcase dcases[] = {
    { SF_FP16, "1", 0x3c00 },
    { SF_FP16, "-1", 0xbc00 },
    { SF_FP16, "+1", 0x3c00 },
    { SF_FP16, "1.", 0x3c00 },
    { SF_FP16, ".5", 0x3800 },
    { SF_FP16, "1.5", 0x3e00 },
    { SF_FP16, "-2e-3", 0x9819 },
    { SF_FP16, "0.1", 0x2e66 },
    { SF_FP16, "3.14159", 0x4248 },
    { SF_FP16, "65504", 0x7bff },
    { SF_FP16, "65519.999", 0x7bff },
    { SF_FP16, "65520", 0x7c00 },
    { SF_FP16, "-65520", 0xfc00 },
    { SF_FP16, "6.5520e4", 0x7c00 },
    { SF_FP16, "1e5", 0x7c00 },
    { SF_FP16, "0", 0x0000 },
    { SF_FP16, "-0", 0x8000 },
    { SF_FP16, "-0.000e99", 0x8000 },
    { SF_FP16, "000.000", 0x0000 },
    { SF_FP16, "5.9604644775390625e-8", 0x0001 },    /* 2^-24, smallest subnormal */
    { SF_FP16, "2.98023223876953125e-8", 0x0000 },   /* 2^-25: tie -> even 0 */
    { SF_FP16, "-2.98023223876953125e-8", 0x8000 },
    { SF_FP16, "2.98023223876953125000001e-8", 0x0001 },
    { SF_FP16, "8.94069671630859375e-8", 0x0002 },   /* 1.5 * 2^-24: tie -> 2 */
    { SF_FP16, "1.490116119384765625e-7", 0x0002 },  /* 2.5 * 2^-24: tie -> 2 */
    { SF_FP16, "6.0975551605224609375e-5", 0x03ff }, /* largest subnormal */
    { SF_FP16, "6.103515625e-5", 0x0400 },           /* smallest normal */
    { SF_FP16, "1.00048828125", 0x3c00 },            /* 1 + 2^-11: tie -> even */
    { SF_FP16, "1.00048828125000000000000000001", 0x3c01 },
    { SF_FP16, "1.00146484375", 0x3c02 }, /* 1 + 3 * 2^-11: tie -> even */
    { SF_FP16, "100048828125e-11", 0x3c00 },
    { SF_FP16, "0.0000000000000000000000000000001e31", 0x3c00 },
    { SF_FP16, "1e-99999999999999", 0x0000 },
    { SF_FP16, "-1e-99999999999999", 0x8000 },
    { SF_FP16, "1e99999999999999", 0x7c00 },
    { SF_FP16, "0e99999999999999", 0x0000 },
    { SF_FP16, "inf", 0x7c00 },
    { SF_FP16, "+INF", 0x7c00 },
    { SF_FP16, "-Infinity", 0xfc00 },
    { SF_FP16, "nan", 0x7e00 },
    { SF_FP16, "-NaN", 0x7e00 },
    { SF_BF16, "1", 0x3f80 },
    { SF_BF16, "0.1", 0x3dcd },
    { SF_BF16, "-2", 0xc000 },
    { SF_BF16, "3.3895313892515355e38", 0x7f7f }, /* max, approximately */
    { SF_BF16, "3.4e38", 0x7f80 },
    { SF_BF16, "9.18354961579912115600575419704879435795832466228193376178712270530013483949005603790283203125e-41",
      0x0001 }, /* 2^-133 */
    { SF_BF16, "4.591774807899560578002877098524397178979162331140966880893561352650067419745028018951416015625e-41",
      0x0000 }, /* 2^-134: tie -> 0 */
    { SF_BF16, "4.6e-41", 0x0001 },
    { SF_BF16, "1.17549435082228750796873653722224568e-38", 0x0080 }, /* min normal, approx */
    { SF_BF16, "-inf", 0xff80 },
    { SF_BF16, "nan", 0x7fc0 },
    { SF_FP32, "1", 0x3f800000 },
    { SF_FP32, "0.1", 0x3dcccccd },
    { SF_FP32, "16777217", 0x4b800000 }, /* 2^24 + 1: tie -> even */
    { SF_FP32, "16777219", 0x4b800002 }, /* 2^24 + 3: tie -> even */
    { SF_FP32, "3.4028234663852886e38", 0x7f7fffff },
    { SF_FP32, "340282356779733661637539395458142568448", 0x7f800000 }, /* max + ulp/2 */
    { SF_FP32, "340282356779733661637539395458142568447.99999", 0x7f7fffff },
    { SF_FP32, "1e39", 0x7f800000 },
    { SF_FP32, "-1e39", 0xff800000 },
    { SF_FP32, "1.401298464324817e-45", 0x00000001 },
    { SF_FP32, "7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46",
      0x00000000 }, /* 2^-150: tie -> 0 */
    { SF_FP32, "7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015626e-46",
      0x00000001 },
    { SF_FP32, "-7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015626e-46",
      0x80000001 },
    { SF_FP32, "7.0064923216240853546186479164495806564013097093825788587853414194489554134293030074331909418106079101562e-46",
      0x00000000 },
    { SF_FP32, "1e-46", 0x00000000 },
    { SF_FP32, "-1e-46", 0x80000000 },
    { SF_FP32, "9.99999e-47", 0x00000000 },
    { SF_FP32, "1.17549435e-38", 0x00800000 },
    { SF_FP8E4M3, "448", 0x7e },
    { SF_FP8E4M3, "-448", 0xfe },
    { SF_FP8E4M3, "463.999", 0x7e },
    { SF_FP8E4M3, "464", 0x7e }, /* tie between 448 and 480 -> even 448 */
    { SF_FP8E4M3, "-464", 0xfe },
    { SF_FP8E4M3, "464.00001", 0x7f },
    { SF_FP8E4M3, "-464.00001", 0x7f },
    { SF_FP8E4M3, "480", 0x7f },
    { SF_FP8E4M3, "1e10", 0x7f },
    { SF_FP8E4M3, "inf", 0x7f },
    { SF_FP8E4M3, "-inf", 0x7f },
    { SF_FP8E4M3, "nan", 0x7f },
    { SF_FP8E4M3, "240", 0x77 },
    { SF_FP8E4M3, "1", 0x38 },
    { SF_FP8E4M3, "-0", 0x80 },
    { SF_FP8E4M3, "0.001953125", 0x01 },   /* 2^-9 */
    { SF_FP8E4M3, "0.0009765625", 0x00 },  /* 2^-10: tie -> 0 */
    { SF_FP8E4M3, "0.0009765626", 0x01 },
    { SF_FP8E4M3, "0.0029296875", 0x02 },  /* 1.5 * 2^-9: tie -> 2 */
    { SF_FP8E4M3, "0.015625", 0x08 },      /* 2^-6, smallest normal */
    { SF_FP8E5M2, "57344", 0x7b },
    { SF_FP8E5M2, "61439", 0x7b },
    { SF_FP8E5M2, "61440", 0x7c }, /* tie between max and 2^16 -> inf */
    { SF_FP8E5M2, "-61440", 0xfc },
    { SF_FP8E5M2, "1", 0x3c },
    { SF_FP8E5M2, "1.52587890625e-5", 0x01 }, /* 2^-16 */
    { SF_FP8E5M2, "-inf", 0xfc },
    { SF_FP8E5M2, "nan", 0x7e },
};

static const char *const dbad[] = { "",     "+",    "-",   ".",      "+.",    "e5",   ".e5",
                                    "1e",   "1e+",  "1e-", "1.5.2",  "1,5",   " 1",   "1 ",
                                    "1\n",  "--1",  "+-1", "infx",   "in",    "infinit",
                                    "nan(1)", "nanq", "1.5f", "1e5.0", "0b1",  "1ee5",  "1e 5",
                                    "\xd9\xa1" };

static char *big_text(const char *head, int zeros, const char *tail, const char *exp)
{
    size_t n = strlen(head) + (size_t)zeros + strlen(tail) + strlen(exp) + 1;
    char *s = malloc(n);
    if (!s)
        abort();
    strcpy(s, head);
    memset(s + strlen(head), '0', (size_t)zeros);
    strcpy(s + strlen(head) + (size_t)zeros, tail);
    strcat(s, exp);
    return s;
}

static void parse_cases(void)
{
    for (size_t i = 0; i < sizeof dcases / sizeof dcases[0]; i++) {
        parse_is(dcases[i].f, dcases[i].text, 0, dcases[i].want);
        /* The expected patterns agree with the reference (strtod is close
         * enough for these: none of their doubles is a midpoint unless the
         * text is one). */
        double v = strtod(dcases[i].text, NULL);
        uint32_t e = ref_round(dcases[i].f, v, NULL);
        int tie;
        ref_round(dcases[i].f, v, &tie);
        if (!tie)
            CHECK(e == dcases[i].want, "case table: %s \"%.40s\" reference 0x%x",
                  T[dcases[i].f].name, dcases[i].text, e);
    }
    for (int f = 0; f < NF; f++)
        for (size_t i = 0; i < sizeof dbad / sizeof dbad[0]; i++)
            parse_is(f, dbad[i], -1, 0);
    /* Long texts: digits beyond the library's precision still count. */
    struct {
        const char *head;
        int zeros;
        const char *tail, *exp;
        int f;
        uint32_t want;
    } L[] = {
        { "1.00048828125", 900, "", "", SF_FP16, 0x3c00 },  /* tie */
        { "1.00048828125", 900, "1", "", SF_FP16, 0x3c01 }, /* tie + tiny */
        { "1.00048828124", 900, "9", "", SF_FP16, 0x3c00 }, /* just below */
        { "1.00048828124", 5000, "9", "", SF_FP16, 0x3c00 },
        { "1.00048828125", 5000, "1", "", SF_FP16, 0x3c01 },
        { "0.", 1000, "1", "", SF_FP16, 0x0000 },
        { "0.", 1000, "1", "e1000", SF_FP16, 0x2e66 }, /* 0.1 */
        { "1", 1000, "", "", SF_FP16, 0x7c00 },
        { "1", 1000, "", "e-1000", SF_FP16, 0x3c00 },
        { "-1", 3000, "", "e-3000", SF_BF16, 0xbf80 },
        { "65519", 2000, "", "e-2000", SF_FP16, 0x7bff },
        { "6551", 2000, "1", "e-2000", SF_FP16, 0x7bff }, /* 65510.0...01 */
        { "6552", 2000, "", "e-1999", SF_FP16, 0x7c00 },
        { "3402823567797336616375393954581425684480", 1200, "1", "e-1202", SF_FP32, 0x7f800000 },
        { "3402823567797336616375393954581425684479", 1200, "9", "e-1202", SF_FP32, 0x7f7fffff },
        { "3402823567797336616375393954581425684480", 1200, "", "e-1201", SF_FP32, 0x7f800000 },
    };
    for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
        char *s = big_text(L[i].head, L[i].zeros, L[i].tail, L[i].exp);
        parse_is(L[i].f, s, 0, L[i].want);
        free(s);
    }
    /* 2^-150 (half the smallest fp32 subnormal) written out in full: a tie
     * that goes to 0; one more digit 1 far out goes to 0x00000001. */
    char buf[400];
    snprintf(buf, sizeof buf, "-%.200f", ldexp(1, -150));
    parse_is(SF_FP32, buf + 1, 0, 0x00000000);
    parse_is(SF_FP32, buf, 0, 0x80000000);
    buf[strlen(buf) - 1] = '1';
    parse_is(SF_FP32, buf + 1, 0, 0x00000001);
    parse_is(SF_FP32, buf, 0, 0x80000001);
}

/* The exact decimal of v, in %e or %f notation. glibc prints exact
 * digits; 120 significant digits cover every value here (2^-150 has 105). */
static void exact_text(char *buf, size_t n, double v, int fixed)
{
    if (fixed)
        snprintf(buf, n, "%.*f", 160, v);
    else
        snprintf(buf, n, "%.*e", 120, v);
}

/* Every finite value of an 8/16-bit format, each midpoint between
 * neighbours, and the doubles just below and above each midpoint. */
static long parse_exhaustive(int f, int stride)
{
    long k0 = checked;
    char buf[400];
    uint32_t top = max_pattern(f);
    for (uint32_t t = 0; t <= top; t += (uint32_t)stride) {
        double lo = decode_raw(f, t), hi = decode_raw(f, t + 1), mid = (lo + hi) / 2;
        double vals[4] = { lo, mid, nextafter(mid, 0), nextafter(mid, INFINITY) };
        for (int j = 0; j < 4; j++)
            for (int sg = 0; sg < 2; sg++) {
                double v = sg ? -vals[j] : vals[j];
                exact_text(buf, sizeof buf, v, (t + (uint32_t)j) % 7 == 3);
                uint32_t s = sg ? sbit(f) : 0, up = ref_round(f, sg ? -hi : hi, NULL);
                uint32_t want = j == 0 || j == 2 ? t | s : j == 3 ? up : (t & 1) ? up : t | s;
                uint32_t e = ref_round(f, v, NULL);
                CHECK(e == want, "reference %s 0x%x case %d: 0x%x, expected 0x%x", T[f].name,
                      t, j, e, want);
                parse_is(f, buf, 0, e);
            }
    }
    return checked - k0;
}

static long parse_random(struct rng *r, long n)
{
    long k0 = checked;
    char buf[128];
    for (long i = 0; i < n; i++) {
        int f = (int)(rng_next(r) % NF);
        int nd = (int)rng_range(r, 1, 25), pt = (int)rng_range(r, 0, nd);
        int len = 0;
        if (rng_next(r) & 1)
            buf[len++] = '-';
        for (int d = 0; d < nd; d++) {
            if (d == pt && (rng_next(r) & 1))
                buf[len++] = '.';
            buf[len++] = (char)('0' + (d == 0 && (rng_next(r) % 4) ? rng_range(r, 1, 9)
                                                                  : rng_range(r, 0, 9)));
        }
        /* An exponent around the format's range. */
        int lo = T[f].bits == 32 ? -50 : T[f].bias > 100 ? -45 : T[f].mb == 10 ? -12 : -8;
        int hi = T[f].bits == 32 || T[f].bias > 100 ? 40 : T[f].bias == 15 ? 6 : 4;
        len += snprintf(buf + len, sizeof buf - (size_t)len, "e%d",
                        (int)rng_range(r, lo - nd, hi));
        double v = strtod(buf, NULL);
        int tie;
        uint32_t e = ref_round(f, v, &tie);
        uint32_t g;
        if (sf_parse((enum sf_format)f, buf, &g)) {
            CHECK(0, "%s parse \"%s\" failed", T[f].name, buf);
            continue;
        }
        if (!tie)
            CHECK(g == e, "%s parse \"%s\" = 0x%x, expected 0x%x", T[f].name, buf, g, e);
        if (f == SF_FP32) {
            float x = strtof(buf, NULL);
            CHECK(g == f2u(x), "fp32 parse \"%s\" = 0x%08x, strtof 0x%08x", buf, g, f2u(x));
        }
    }
    return checked - k0;
}

/* Exact text of random fp32 values and midpoints, against strtof. */
static long parse_fp32_exact(struct rng *r, long n)
{
    long k0 = checked;
    char buf[400];
    for (long i = 0; i < n; i++) {
        uint32_t a = (uint32_t)rng_next(r) & 0x7fffffffu;
        if (i & 1)
            a &= 0x007fffffu | (uint32_t)rng_range(r, 0, 3) << 23; /* subnormal range */
        if (a >= 0x7f800000u)
            continue;
        double lo = (double)u2f(a), hi = decode_raw(SF_FP32, a + 1), mid = (lo + hi) / 2;
        double vals[3] = { lo, mid, nextafter(mid, 0) };
        for (int j = 0; j < 3; j++) {
            exact_text(buf, sizeof buf, vals[j], (int)(i % 5 == 0));
            uint32_t e = ref_round(SF_FP32, vals[j], NULL);
            parse_is(SF_FP32, buf, 0, e);
            CHECK(e == f2u(strtof(buf, NULL)), "fp32 reference vs strtof \"%.40s\"", buf);
        }
    }
    return checked - k0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123;
    int lng = argc > 2 && !strcmp(argv[2], "--long");
    if (argc > 3 || (argc > 2 && !lng)) {
        fprintf(stderr, "usage: test_softfloat [SEED [--long]]\n");
        return 2;
    }
    printf("test_softfloat: seed %" PRIu64 "%s\n", seed, lng ? " (long run)" : "");
    struct rng r = { seed };
    double t0 = now();
    build_tables();

    check_api();
    long n32 = fp32_ops(&r, lng ? 500000000L : 4000000L);
    long n16 = ops16(SF_FP16, &r, 3000000);
    long nb16 = ops16(SF_BF16, &r, 3000000);
    long n8 = ops8();
    long ncv = converts(&r, 1000000);
    long nhex = parse_hex_all(&r);
    parse_cases();
    long ndec = 0;
    for (int f = 0; f < NF; f++)
        if (T[f].bits <= 16)
            ndec += parse_exhaustive(f, lng || T[f].bits == 8 || f == SF_FP16 ? 1 : 3);
    ndec += parse_random(&r, lng ? 2000000 : 100000);
    ndec += parse_fp32_exact(&r, lng ? 2000000 : 20000);
    printf("test_softfloat: fp32 %ld, fp16 %ld, bf16 %ld, fp8 %ld op checks; "
           "%ld conversion, %ld hex, %ld decimal checks\n",
           n32, n16, nb16, n8, ncv, nhex, ndec);
    fflush(stdout);
    if (lng) {
        long a16 = all16(SF_FP16);
        printf("test_softfloat: long: fp16 all pairs %ld checks (%.0f s)\n", a16, now() - t0);
        fflush(stdout);
        long ab16 = all16(SF_BF16);
        printf("test_softfloat: long: bf16 all pairs %ld checks (%.0f s)\n", ab16, now() - t0);
        fflush(stdout);
        long c32 = converts_all32();
        printf("test_softfloat: long: every fp32 pattern converted, %ld checks (%.0f s)\n", c32,
               now() - t0);
    }
    printf("test_softfloat: %ld checks in %.1f s\n", checked, now() - t0);
    for (int f = 0; f < NF; f++)
        free(dec[f]);
    if (failures) {
        printf("test_softfloat: %d failures\n", failures);
        printf("test_softfloat: FAILED\n");
        return 1;
    }
    printf("test_softfloat: ok\n");
    return 0;
}
