/* test_fixq.c - common/fixq against references written from the mode
 * definitions in docs/fixed-point.md, not from fixq.c:
 *
 * ref_*   exact rationals: a signed numerator over a positive denominator
 *         (fixed-size base-2^16 magnitudes), floor by binary long
 *         division, the distances to the two neighbouring multiples of the
 *         step compared with each other, and the rounded value compared
 *         with the format's min and max as big numbers.
 * brute_* for small numbers only: candidate multiples of the step are
 *         scored by their distance to x, and WRAP searches the format's
 *         codes for the one congruent modulo 2^W.
 *
 * 1. Exhaustive: every v in -512..1023 (10-bit signed and unsigned codes)
 *    with src_frac 0, 3, 6, 10 into every 4-bit format (signed and
 *    unsigned, I = -2..6), all 7 x 4 modes, against both references.
 * 2. Seeded random wide formats (W up to 64, I -20..80), 64-bit v,
 *    src_frac -70..70, ties and range edges on purpose.
 * 3. fx_from_decimal: the worked examples of docs/fixed-point.md, ties in
 *    every rounding mode, overflow in every overflow mode, rejected text,
 *    huge exponents, and random decimals M * 10^E against ref_*.
 * Both references read SAT_SYM on signed formats as a clamp to [-max, max]
 * (docs/fixed-point.md: the rounded value -2^(W-1) also becomes -max).
 * Usage: test_fixq [SEED]. Prints the seed and a final pass line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixq.h"
#include "rng.h"

static int failures;
static long checked;
#define CHECK(c, ...) do { if (!(c)) { if (++failures <= 50) { printf("FAIL %s:%d: ", \
    __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } } while (0)

/* ------------------------------------------------------------------ ref_* */

#define RL 64 /* 16-bit limbs: magnitudes below 2^1024 */

struct mg {
    int n;          /* limbs d[n..RL-1] are zero */
    uint16_t d[RL]; /* least significant first */
};

static void ref_overflow(const char *what)
{
    printf("FAIL reference arithmetic overflow in %s\n", what);
    printf("test_fixq: FAILED\n");
    exit(1);
}

static void mg_u64(struct mg *a, uint64_t v)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < 4; i++)
        a->d[i] = (uint16_t)(v >> (16 * i));
    a->n = 4;
}

static int mg_zero(const struct mg *a)
{
    for (int i = 0; i < a->n; i++)
        if (a->d[i])
            return 0;
    return 1;
}

static int mg_cmp(const struct mg *a, const struct mg *b)
{
    for (int i = (a->n > b->n ? a->n : b->n) - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] > b->d[i] ? 1 : -1;
    return 0;
}

static void mg_add(struct mg *a, const struct mg *b)
{
    uint32_t c = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        c += (uint32_t)a->d[i] + b->d[i];
        a->d[i] = (uint16_t)c;
        c >>= 16;
    }
    if (c) {
        if (n == RL)
            ref_overflow("add");
        a->d[n++] = (uint16_t)c;
    }
    a->n = n;
}

static void mg_sub(struct mg *a, const struct mg *b) /* a >= b */
{
    int32_t br = 0;
    if (b->n > a->n)
        a->n = b->n;
    for (int i = 0; i < a->n; i++) {
        int32_t t = (int32_t)a->d[i] - b->d[i] - br;
        br = t < 0;
        a->d[i] = (uint16_t)(t & 0xffff);
    }
    if (br)
        ref_overflow("sub");
}

static void mg_small(struct mg *a, uint32_t m) /* a *= m, m < 2^16 */
{
    uint32_t c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (uint32_t)a->d[i] * m;
        a->d[i] = (uint16_t)c;
        c >>= 16;
    }
    if (c) {
        if (a->n == RL)
            ref_overflow("mul");
        a->d[a->n++] = (uint16_t)c;
    }
}

static int mg_bit(const struct mg *a, int i)
{
    return (a->d[i / 16] >> (i % 16)) & 1;
}

static void mg_twice(struct mg *a, int times) /* a *= 2^times, one bit at a time */
{
    while (times-- > 0) {
        if (a->d[a->n - 1] & 0x8000) {
            if (a->n == RL)
                ref_overflow("shift");
            a->n++;
        }
        for (int i = a->n - 1; i >= 0; i--)
            a->d[i] = (uint16_t)((a->d[i] << 1) | (i ? a->d[i - 1] >> 15 : 0));
    }
}

static void mg_pow2(struct mg *a, int e)
{
    mg_u64(a, 1);
    mg_twice(a, e);
}

/* q = a / b, r = a % b by restoring long division, one bit of a at a time */
static void mg_divmod(const struct mg *a, const struct mg *b, struct mg *q, struct mg *r)
{
    if (mg_zero(b))
        ref_overflow("division by zero");
    mg_u64(q, 0);
    mg_u64(r, 0);
    q->n = a->n;
    r->n = 1;
    for (int i = 16 * a->n - 1; i >= 0; i--) {
        mg_twice(r, 1);
        r->d[0] |= (uint16_t)mg_bit(a, i);
        if (mg_cmp(r, b) >= 0) {
            mg_sub(r, b);
            q->d[i / 16] |= (uint16_t)(1u << (i % 16));
        }
    }
}

/* A signed exact integer. */
struct sg {
    int neg;
    struct mg m;
};

/* s += 1 */
static void sg_inc(struct sg *s)
{
    struct mg one;
    mg_u64(&one, 1);
    if (!s->neg) {
        mg_add(&s->m, &one);
    } else {
        mg_sub(&s->m, &one);
        if (mg_zero(&s->m))
            s->neg = 0;
    }
}

/* a <=> b for signed values */
static int sg_cmp(const struct sg *a, const struct sg *b)
{
    int za = mg_zero(&a->m), zb = mg_zero(&b->m);
    int sa = za ? 0 : a->neg ? -1 : 1, sb = zb ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int c = mg_cmp(&a->m, &b->m);
    return sa < 0 ? -c : c;
}

static int sg_even(const struct sg *a)
{
    return !mg_bit(&a->m, 0);
}

/* The format's min and max codes as exact integers. */
static void ref_bounds(const struct fx_format *f, struct sg *lo, struct sg *hi)
{
    struct mg one;
    mg_u64(&one, 1);
    if (f->is_signed) {
        mg_pow2(&hi->m, f->width - 1);
        lo->m = hi->m;
        lo->neg = 1;
        hi->neg = 0;
        mg_sub(&hi->m, &one);
    } else {
        mg_pow2(&hi->m, f->width);
        mg_sub(&hi->m, &one);
        hi->neg = 0;
        mg_u64(&lo->m, 0);
        lo->neg = 0;
    }
}

/* An in-range exact integer (or any, for WRAP) as the returned code: the
 * value modulo 2^W, in the signed or unsigned residue range. */
static int64_t ref_code(const struct sg *r, const struct fx_format *f)
{
    int w = f->width;
    uint64_t low = 0; /* |r| mod 2^w */
    for (int i = 0; i < w; i++)
        low |= (uint64_t)mg_bit(&r->m, i) << i;
    uint64_t modmask = w == 64 ? UINT64_MAX : ((uint64_t)1 << w) - 1;
    uint64_t res = r->neg ? (modmask - low + 1) & modmask : low; /* in [0, 2^w) */
    if (f->is_signed && w < 64 && res >= ((uint64_t)1 << (w - 1)))
        return -(int64_t)(modmask - res) - 1; /* res - 2^w */
    int64_t out;
    memcpy(&out, &res, sizeof out); /* two's complement bit pattern */
    return out;
}

/* Round the exact x = (neg ? -1 : 1) * num / den to a multiple of the
 * step of f: *out = the rounded c = x * 2^F. */
static void ref_round(int neg, const struct mg *num, const struct mg *den,
                      const struct fx_format *f, enum fx_quant q, struct sg *out)
{
    int F = f->width - f->int_bits;
    struct mg n = *num, d = *den;
    if (F >= 0)
        mg_twice(&n, F);
    else
        mg_twice(&d, -F);
    /* fl = floor(c), gap_lo = c - fl, gap_hi = fl + 1 - c, both times d */
    struct mg qm, rm;
    mg_divmod(&n, &d, &qm, &rm);
    struct sg fl = { neg, qm };
    struct mg gap_lo = rm, gap_hi = d;
    if (neg && !mg_zero(&rm)) {
        struct mg one;
        mg_u64(&one, 1);
        mg_add(&fl.m, &one); /* -(q + 1) */
        gap_lo = d;
        mg_sub(&gap_lo, &rm);
    }
    if (mg_zero(&fl.m))
        fl.neg = 0;
    mg_sub(&gap_hi, &gap_lo);
    int exact = mg_zero(&gap_lo);
    int positive = !neg; /* sign of x itself (x != 0 whenever !exact) */

    int up = 0; /* choose fl + 1 instead of fl */
    if (!exact) {
        int near = mg_cmp(&gap_lo, &gap_hi); /* <0: fl nearer, >0: fl+1 nearer */
        switch (q) {
        case FXQ_TRN: up = 0; break;
        case FXQ_TRN_ZERO: up = !positive; break;
        case FXQ_RND: up = near >= 0; break;
        case FXQ_RND_ZERO: up = near > 0 || (near == 0 && !positive); break;
        case FXQ_RND_MIN_INF: up = near > 0; break;
        case FXQ_RND_INF: up = near > 0 || (near == 0 && positive); break;
        case FXQ_RND_CONV: up = near > 0 || (near == 0 && !sg_even(&fl)); break;
        default: abort();
        }
    }
    *out = fl;
    if (up)
        sg_inc(out);
}

/* The code for the rounded value r: itself if in range, else by mode o. */
static int64_t ref_apply(const struct sg *rp, const struct fx_format *f, enum fx_ovf o)
{
    struct sg r = *rp, lo, hi;
    ref_bounds(f, &lo, &hi);
    if (o == FXO_SAT_SYM && f->is_signed) { /* the range is [-max, max] */
        lo = hi;
        lo.neg = 1;
    }
    int above = sg_cmp(&r, &hi) > 0, below = sg_cmp(&r, &lo) < 0;
    if (!above && !below)
        return ref_code(&r, f);
    switch (o) {
    case FXO_WRAP: return ref_code(&r, f);
    case FXO_SAT:
    case FXO_SAT_SYM: return ref_code(above ? &hi : &lo, f);
    case FXO_SAT_ZERO: return 0;
    default: abort();
    }
}

static int64_t ref_convert(int neg, const struct mg *num, const struct mg *den,
                           const struct fx_format *f, enum fx_quant q, enum fx_ovf o)
{
    struct sg r;
    ref_round(neg, num, den, f, q, &r);
    return ref_apply(&r, f, o);
}

/* v * 2^-src_frac, rounded by ref_round */
static void ref_fixed_round(int64_t v, int src_frac, const struct fx_format *f,
                            enum fx_quant q, struct sg *r)
{
    struct mg num, den;
    uint64_t mag = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
    mg_u64(&num, mag);
    if (src_frac >= 0) {
        mg_pow2(&den, src_frac);
    } else {
        mg_twice(&num, -src_frac);
        mg_u64(&den, 1);
    }
    ref_round(v < 0, &num, &den, f, q, r);
}

static int64_t ref_fixed(int64_t v, int src_frac, const struct fx_format *f,
                         enum fx_quant q, enum fx_ovf o)
{
    struct sg r;
    ref_fixed_round(v, src_frac, f, q, &r);
    return ref_apply(&r, f, o);
}

/* ---------------------------------------------------------------- brute_* */

/* x = X / 2^L and the step 2^-F = S / 2^L, for small numbers only. */
static int64_t brute_convert(int64_t v, int src_frac, const struct fx_format *f,
                             enum fx_quant q, enum fx_ovf o)
{
    int F = f->width - f->int_bits;
    int L = src_frac > F ? src_frac : F;
    int64_t X = v * ((int64_t)1 << (L - src_frac)), S = (int64_t)1 << (L - F);
    int64_t k0 = X / S; /* the nearest multiples lie within k0 +- 2 */
    int64_t best = 0;
    int have = 0;
    for (int64_t k = k0 - 2; k <= k0 + 2; k++) {
        int64_t y = k * S, dist = y > X ? y - X : X - y;
        int ok;
        switch (q) {
        case FXQ_TRN: ok = y <= X && y + S > X; break;
        case FXQ_TRN_ZERO:
            ok = X >= 0 ? (y <= X && y + S > X) : (y >= X && y - S < X);
            break;
        default: ok = 2 * dist <= S; break; /* a nearest candidate (two on a tie) */
        }
        if (!ok)
            continue;
        if (!have) {
            best = k;
            have = 1;
            continue;
        }
        /* a tie between best and k = best + 1 */
        if (k != best + 1 || 2 * dist != S)
            abort();
        int64_t lower = best, upper = k, mag_lower = lower < 0 ? -lower : lower,
                mag_upper = upper < 0 ? -upper : upper;
        switch (q) {
        case FXQ_RND: best = upper; break;
        case FXQ_RND_ZERO: best = mag_lower < mag_upper ? lower : upper; break;
        case FXQ_RND_MIN_INF: best = lower; break;
        case FXQ_RND_INF: best = mag_lower > mag_upper ? lower : upper; break;
        case FXQ_RND_CONV: best = (lower % 2 == 0) ? lower : upper; break;
        default: abort();
        }
    }
    if (!have)
        abort();
    int64_t mn = f->is_signed ? -((int64_t)1 << (f->width - 1)) : 0;
    int64_t mx = f->is_signed ? ((int64_t)1 << (f->width - 1)) - 1
                              : ((int64_t)1 << f->width) - 1;
    if (best >= mn && best <= mx && !(o == FXO_SAT_SYM && f->is_signed && best == mn))
        return best;
    switch (o) {
    case FXO_WRAP:
        for (int64_t c = mn; c <= mx; c++)
            if ((best - c) % ((int64_t)1 << f->width) == 0)
                return c;
        abort();
    case FXO_SAT: return best > mx ? mx : mn;
    case FXO_SAT_ZERO: return 0;
    case FXO_SAT_SYM: return best > mx ? mx : f->is_signed ? -mx : 0;
    default: abort();
    }
}

/* ------------------------------------------------------------- the tests */

static const char *fmt_name(const struct fx_format *f)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "ap_%sfixed<%d,%d>", f->is_signed ? "" : "u", f->width,
             f->int_bits);
    return buf;
}

static long exhaustive(void)
{
    static const int fracs[] = { 0, 3, 6, 10 };
    long n = 0;
    for (int sgn = 0; sgn < 2; sgn++)
        for (int I = -2; I <= 6; I++) {
            struct fx_format f = { 4, I, sgn };
            for (int fi = 0; fi < 4; fi++)
                for (int64_t v = -512; v <= 1023; v++)
                    for (int q = 0; q < FXQ__COUNT; q++) {
                        struct sg rounded;
                        ref_fixed_round(v, fracs[fi], &f, q, &rounded);
                        for (int o = 0; o < FXO__COUNT; o++) {
                            int64_t got = fx_convert(v, fracs[fi], &f, q, o);
                            int64_t want = ref_apply(&rounded, &f, o);
                            int64_t bf = brute_convert(v, fracs[fi], &f, q, o);
                            n++;
                            CHECK(got == want && want == bf,
                                  "%s %s/%s: v=%" PRId64 " src_frac=%d: got %" PRId64
                                  ", ref %" PRId64 ", brute %" PRId64,
                                  fmt_name(&f), fx_quant_names[q], fx_ovf_names[o], v,
                                  fracs[fi], got, want, bf);
                        }
                    }
        }
    return n;
}

/* A random v aimed at interesting spots for shift s = F - src_frac. */
static int64_t pick_v(struct rng *r, const struct fx_format *f, int src_frac)
{
    int s = f->width - f->int_bits - src_frac;
    int kind = (int)rng_range(r, 0, 5);
    uint64_t u = rng_next(r);
    int64_t v;
    memcpy(&v, &u, sizeof v);
    switch (kind) {
    case 0: /* full 64-bit */
        return v;
    case 1: /* random magnitude */
        return v / ((int64_t)1 << rng_range(r, 0, 62));
    case 2: /* exact tie (or one off) when bits are dropped */
        if (s < 0 && s > -63) {
            int k = -s;
            uint64_t half = (uint64_t)1 << (k - 1);
            uint64_t t = (u & ~(((uint64_t)1 << k) - 1)) | half;
            t += (uint64_t)rng_range(r, -1, 1);
            memcpy(&v, &t, sizeof v);
        }
        return v;
    case 3: { /* near the edges of the range */
        int64_t mx = fx_max_code(f), mn = fx_min_code(f);
        if (!f->is_signed && f->width == 64)
            mx = INT64_MAX;
        int64_t edge;
        switch (rng_range(r, 0, 4)) {
        case 0: edge = mx; break;
        case 1: edge = mn; break;
        case 2: edge = -mx; break;
        case 3: edge = 0; break;
        default: edge = mx / 2; break;
        }
        if (s > 0) {
            if (s > 62)
                return (int64_t)rng_range(r, -2, 2);
            /* v * 2^s near edge */
            int64_t base = edge / ((int64_t)1 << s);
            return base + rng_range(r, -2, 2);
        }
        int k = -s;
        if (k > 40)
            return v;
        int64_t lim = INT64_MAX >> k;
        if (edge > lim || edge < -lim)
            return v;
        /* Near the edge; at INT64_MAX the +1 wraps (unsigned arithmetic,
         * so no undefined behaviour), which is still a valid input. */
        uint64_t e = (uint64_t)edge + (uint64_t)rng_range(r, -1, 1);
        int64_t off = rng_range(r, 0, 3);
        int64_t frac = off == 0 ? 0 : off == 1 ? ((int64_t)1 << k) / 2
                                    : rng_range(r, 0, ((int64_t)1 << k) - 1);
        return (int64_t)(e * ((uint64_t)1 << k) + (uint64_t)frac);
    }
    case 4: {
        static const int64_t special[] = { INT64_MIN, INT64_MAX, 0, 1, -1, INT64_MIN + 1,
                                           INT64_MAX - 1 };
        return special[rng_range(r, 0, 6)];
    }
    default:
        return (int64_t)rng_range(r, -100, 100);
    }
}

static long random_wide(struct rng *r, int iters)
{
    long n = 0;
    for (int it = 0; it < iters; it++) {
        struct fx_format f;
        f.is_signed = (int)rng_range(r, 0, 1);
        f.width = (int)rng_range(r, f.is_signed ? 2 : 1, 64);
        if (rng_range(r, 0, 3) == 0)
            f.width = rng_range(r, 0, 1) ? 64 : f.is_signed ? 2 : 1;
        f.int_bits = (int)rng_range(r, -20, 80);
        int src_frac = (int)rng_range(r, -70, 70);
        int64_t v = pick_v(r, &f, src_frac);
        for (int q = 0; q < FXQ__COUNT; q++)
            for (int o = 0; o < FXO__COUNT; o++) {
                int64_t got = fx_convert(v, src_frac, &f, q, o);
                int64_t want = ref_fixed(v, src_frac, &f, q, o);
                n++;
                CHECK(got == want && fx_code_valid(got, &f),
                      "%s %s/%s: v=%" PRId64 " src_frac=%d: got %" PRId64 ", ref %" PRId64,
                      fmt_name(&f), fx_quant_names[q], fx_ovf_names[o], v, src_frac, got,
                      want);
            }
    }
    return n;
}

/* --------------------------------------------------------------- decimal */

struct dec_case {
    const char *text;
    int w, i, sgn;
    enum fx_quant q;
    enum fx_ovf o;
    int64_t code;
};

#define S1 1
#define U0 0
static const struct dec_case dec_cases[] = {
    /* docs: 0.75 into ap_fixed<8,2> is 48 = 0x30; -0.75 is -48 (0xd0) */
    { "0.75", 8, 2, S1, FXQ_TRN, FXO_WRAP, 48 },
    { "-0.75", 8, 2, S1, FXQ_TRN, FXO_WRAP, -48 },
    { "0.75", 8, 2, U0, FXQ_TRN, FXO_WRAP, 48 },
    { "+7.5e-1", 8, 2, S1, FXQ_RND, FXO_SAT, 48 },
    { "75e-2", 8, 2, S1, FXQ_RND, FXO_SAT, 48 },
    { ".75", 8, 2, S1, FXQ_RND, FXO_SAT, 48 },
    { "0.750000000000000000000000000000", 8, 2, S1, FXQ_RND, FXO_SAT, 48 },
    { "1.984375", 8, 2, S1, FXQ_RND, FXO_SAT, 127 },
    { "-2", 8, 2, S1, FXQ_RND, FXO_SAT, -128 },
    { "2", 8, 2, S1, FXQ_RND, FXO_SAT, 127 },
    { "0", 8, 2, S1, FXQ_TRN, FXO_WRAP, 0 },
    { "-0.0e5", 8, 2, S1, FXQ_TRN, FXO_WRAP, 0 },
    { "5.", 8, 6, S1, FXQ_TRN, FXO_WRAP, 20 },
    { "1e-3", 16, 1, S1, FXQ_RND, FXO_SAT, 33 },      /* 32.768 steps */
    { "+2.5e2", 12, 10, U0, FXQ_TRN, FXO_SAT, 1000 }, /* 250 * 4 */
    /* docs, quantization table: ap_fixed<6,4>, step 0.25 */
    { "1.3", 6, 4, S1, FXQ_TRN, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_TRN, FXO_SAT, 5 },
    { "1.625", 6, 4, S1, FXQ_TRN, FXO_SAT, 6 },
    { "1.4", 6, 4, S1, FXQ_TRN, FXO_SAT, 5 },
    { "-1.3", 6, 4, S1, FXQ_TRN, FXO_SAT, -6 },
    { "-1.375", 6, 4, S1, FXQ_TRN, FXO_SAT, -6 },
    { "-1.625", 6, 4, S1, FXQ_TRN, FXO_SAT, -7 },
    { "-1.4", 6, 4, S1, FXQ_TRN, FXO_SAT, -6 },
    { "1.3", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, 5 },
    { "1.625", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, 6 },
    { "1.4", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, 5 },
    { "-1.3", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, -5 },
    { "-1.625", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, -6 },
    { "-1.4", 6, 4, S1, FXQ_TRN_ZERO, FXO_SAT, -5 },
    { "1.3", 6, 4, S1, FXQ_RND, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_RND, FXO_SAT, 6 },
    { "1.625", 6, 4, S1, FXQ_RND, FXO_SAT, 7 },
    { "1.4", 6, 4, S1, FXQ_RND, FXO_SAT, 6 },
    { "-1.3", 6, 4, S1, FXQ_RND, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_RND, FXO_SAT, -5 },
    { "-1.625", 6, 4, S1, FXQ_RND, FXO_SAT, -6 },
    { "-1.4", 6, 4, S1, FXQ_RND, FXO_SAT, -6 },
    { "1.3", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, 5 },
    { "1.625", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, 6 },
    { "1.4", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, 6 },
    { "-1.3", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, -5 },
    { "-1.625", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, -6 },
    { "-1.4", 6, 4, S1, FXQ_RND_ZERO, FXO_SAT, -6 },
    { "1.3", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, 5 },
    { "1.625", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, 6 },
    { "1.4", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, 6 },
    { "-1.3", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, -6 },
    { "-1.625", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, -7 },
    { "-1.4", 6, 4, S1, FXQ_RND_MIN_INF, FXO_SAT, -6 },
    { "1.3", 6, 4, S1, FXQ_RND_INF, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_RND_INF, FXO_SAT, 6 },
    { "1.625", 6, 4, S1, FXQ_RND_INF, FXO_SAT, 7 },
    { "1.4", 6, 4, S1, FXQ_RND_INF, FXO_SAT, 6 },
    { "-1.3", 6, 4, S1, FXQ_RND_INF, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_RND_INF, FXO_SAT, -6 },
    { "-1.625", 6, 4, S1, FXQ_RND_INF, FXO_SAT, -7 },
    { "-1.4", 6, 4, S1, FXQ_RND_INF, FXO_SAT, -6 },
    { "1.3", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, 5 },
    { "1.375", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, 6 },
    { "1.625", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, 6 },
    { "1.4", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, 6 },
    { "-1.3", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, -5 },
    { "-1.375", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, -6 },
    { "-1.625", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, -6 },
    { "-1.4", 6, 4, S1, FXQ_RND_CONV, FXO_SAT, -6 },
    /* ties of half a step in ap_fixed<8,2> (step 1/64): 0.5/64 = 0.0078125 */
    { "0.0078125", 8, 2, S1, FXQ_RND, FXO_SAT, 1 },
    { "0.0078125", 8, 2, S1, FXQ_RND_ZERO, FXO_SAT, 0 },
    { "0.0078125", 8, 2, S1, FXQ_RND_MIN_INF, FXO_SAT, 0 },
    { "0.0078125", 8, 2, S1, FXQ_RND_INF, FXO_SAT, 1 },
    { "0.0078125", 8, 2, S1, FXQ_RND_CONV, FXO_SAT, 0 },
    { "0.0078125", 8, 2, S1, FXQ_TRN, FXO_SAT, 0 },
    { "0.0078125", 8, 2, S1, FXQ_TRN_ZERO, FXO_SAT, 0 },
    { "-0.0078125", 8, 2, S1, FXQ_RND, FXO_SAT, 0 },
    { "-0.0078125", 8, 2, S1, FXQ_RND_ZERO, FXO_SAT, 0 },
    { "-0.0078125", 8, 2, S1, FXQ_RND_MIN_INF, FXO_SAT, -1 },
    { "-0.0078125", 8, 2, S1, FXQ_RND_INF, FXO_SAT, -1 },
    { "-0.0078125", 8, 2, S1, FXQ_RND_CONV, FXO_SAT, 0 },
    { "-0.0078125", 8, 2, S1, FXQ_TRN, FXO_SAT, -1 },
    { "-0.0078125", 8, 2, S1, FXQ_TRN_ZERO, FXO_SAT, 0 },
    { "-0.00781249999999999999999", 8, 2, S1, FXQ_RND_INF, FXO_SAT, 0 },
    { "-0.00781250000000000000001", 8, 2, S1, FXQ_RND_ZERO, FXO_SAT, -1 },
    /* docs, overflow table: ap_fixed<6,4> (codes -32..31), ap_ufixed<6,4> */
    { "9.5", 6, 4, S1, FXQ_TRN, FXO_WRAP, -26 },
    { "9.5", 6, 4, S1, FXQ_TRN, FXO_SAT, 31 },
    { "9.5", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "9.5", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, 31 },
    { "-9", 6, 4, S1, FXQ_TRN, FXO_WRAP, 28 },
    { "-9", 6, 4, S1, FXQ_TRN, FXO_SAT, -32 },
    { "-9", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "-9", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -31 },
    { "-8", 6, 4, S1, FXQ_TRN, FXO_WRAP, -32 },
    { "-8", 6, 4, S1, FXQ_TRN, FXO_SAT, -32 },
    { "-8", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, -32 },
    { "-8", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -31 }, /* the most negative code */
    { "-7.75", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -31 },
    { "-7.5", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -30 },
    { "-8", 6, 4, U0, FXQ_TRN, FXO_SAT_SYM, 0 },
    { "-8.25", 6, 4, S1, FXQ_TRN, FXO_WRAP, 31 },
    { "-8.25", 6, 4, S1, FXQ_TRN, FXO_SAT, -32 },
    { "-8.25", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "-8.25", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -31 },
    { "20", 6, 4, S1, FXQ_TRN, FXO_WRAP, 16 },
    { "20", 6, 4, S1, FXQ_TRN, FXO_SAT, 31 },
    { "20", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "20", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, 31 },
    { "-3", 6, 4, U0, FXQ_TRN, FXO_WRAP, 52 },
    { "-3", 6, 4, U0, FXQ_TRN, FXO_SAT, 0 },
    { "-3", 6, 4, U0, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "-3", 6, 4, U0, FXQ_TRN, FXO_SAT_SYM, 0 },
    { "70", 6, 4, U0, FXQ_TRN, FXO_WRAP, 24 },
    { "70", 6, 4, U0, FXQ_TRN, FXO_SAT, 63 },
    { "70", 6, 4, U0, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "70", 6, 4, U0, FXQ_TRN, FXO_SAT_SYM, 63 },
    { "16", 6, 4, U0, FXQ_TRN, FXO_WRAP, 0 },
    { "16", 6, 4, U0, FXQ_TRN, FXO_SAT, 63 },
    { "16", 6, 4, U0, FXQ_TRN, FXO_SAT_ZERO, 0 },
    { "16", 6, 4, U0, FXQ_TRN, FXO_SAT_SYM, 63 },
    { "15.75", 6, 4, U0, FXQ_TRN, FXO_WRAP, 63 },
    { "15.75", 6, 4, U0, FXQ_TRN, FXO_SAT_SYM, 63 },
    { "-7.75", 6, 4, S1, FXQ_TRN, FXO_WRAP, -31 },
    { "-7.75", 6, 4, S1, FXQ_TRN, FXO_SAT_ZERO, -31 },
    /* docs: rounding comes first, then the overflow check */
    { "7.875", 6, 4, S1, FXQ_TRN, FXO_WRAP, 31 },
    { "7.875", 6, 4, S1, FXQ_RND, FXO_WRAP, -32 },
    { "7.875", 6, 4, S1, FXQ_RND, FXO_SAT, 31 },
    { "7.875", 6, 4, S1, FXQ_RND, FXO_SAT_ZERO, 0 },
    { "-8.125", 6, 4, S1, FXQ_RND, FXO_SAT_SYM, -31 }, /* rounds to -8 */
    { "-8.125", 6, 4, S1, FXQ_RND, FXO_SAT, -32 },     /* rounds to -8: in range */
    { "-8.125", 6, 4, S1, FXQ_TRN, FXO_SAT_SYM, -31 }, /* rounds to -8.25 */
    { "-0.1", 6, 4, U0, FXQ_RND, FXO_SAT_ZERO, 0 },    /* rounds to 0: no overflow */
    { "-0.1", 6, 4, U0, FXQ_TRN, FXO_WRAP, 63 },       /* rounds to -0.25 */
    /* docs: I < 0 and I > W */
    { "0.1", 4, -2, S1, FXQ_RND, FXO_SAT, 6 },
    { "0.2", 4, -2, S1, FXQ_RND, FXO_SAT, 7 },
    { "-0.2", 4, -2, S1, FXQ_RND, FXO_SAT, -8 },
    { "10", 4, 6, S1, FXQ_RND, FXO_SAT, 3 },
    { "10", 4, 6, S1, FXQ_RND_CONV, FXO_SAT, 2 },
    { "-30", 4, 6, S1, FXQ_RND, FXO_SAT, -7 },
    { "-31", 4, 6, S1, FXQ_RND, FXO_SAT, -8 },
    /* 64-bit formats */
    { "9223372036854775807", 64, 64, S1, FXQ_TRN, FXO_SAT, INT64_MAX },
    { "9223372036854775808", 64, 64, S1, FXQ_TRN, FXO_SAT, INT64_MAX },
    { "9223372036854775808", 64, 64, S1, FXQ_TRN, FXO_WRAP, INT64_MIN },
    { "-9223372036854775808", 64, 64, S1, FXQ_TRN, FXO_SAT, INT64_MIN },
    { "-9223372036854775808", 64, 64, S1, FXQ_TRN, FXO_SAT_SYM, -INT64_MAX },
    { "-9223372036854775809", 64, 64, S1, FXQ_TRN, FXO_SAT_SYM, -INT64_MAX },
    { "18446744073709551615", 64, 64, U0, FXQ_TRN, FXO_SAT, -1 },
    { "18446744073709551616", 64, 64, U0, FXQ_TRN, FXO_WRAP, 0 },
    { "18446744073709551617.5", 64, 64, U0, FXQ_RND, FXO_WRAP, 2 },
    { "18446744073709551617.5", 64, 64, U0, FXQ_RND_CONV, FXO_WRAP, 2 },
    { "18446744073709551618.5", 64, 64, U0, FXQ_RND_CONV, FXO_WRAP, 2 },
    { "-18446744073709551615.5", 64, 64, S1, FXQ_RND_CONV, FXO_WRAP, 0 },
    /* huge and tiny exponents */
    { "1e1000000", 8, 8, S1, FXQ_TRN, FXO_WRAP, 0 },
    { "1e1000000", 8, 8, S1, FXQ_TRN, FXO_SAT, 127 },
    { "-1e99999999999999999999999", 8, 8, S1, FXQ_TRN, FXO_SAT, -128 },
    { "1e-1000000", 8, 8, S1, FXQ_TRN, FXO_SAT, 0 },
    { "-1e-1000000", 8, 8, S1, FXQ_TRN, FXO_SAT, -1 },
    { "-1e-99999999999999999999999", 8, 8, S1, FXQ_TRN_ZERO, FXO_SAT, 0 },
    { "-1e-99999999999999999999999", 8, 0, U0, FXQ_TRN, FXO_WRAP, 255 },
    { "-1e-99999999999999999999999", 8, 0, U0, FXQ_RND_INF, FXO_WRAP, 0 },
    { "3e20", 8, 8, S1, FXQ_TRN, FXO_WRAP, 0 }, /* 3 * 2^20 * 5^20: low 8 bits 0 */
    { "7e-400", 8, -1320, S1, FXQ_RND, FXO_SAT, 4 }, /* 4.10 steps */
};

/* The table above, huge exponents checked with modular arithmetic here,
 * and text that must be rejected. */
static void check_decimal_cases(void)
{
    for (size_t i = 0; i < sizeof dec_cases / sizeof dec_cases[0]; i++) {
        const struct dec_case *c = &dec_cases[i];
        struct fx_format f = { c->w, c->i, c->sgn };
        int64_t code = 12345;
        int rc = fx_from_decimal(c->text, &f, c->q, c->o, &code);
        checked++;
        CHECK(rc == 0 && code == c->code, "\"%s\" -> %s %s/%s: rc %d code %" PRId64
              ", expected %" PRId64, c->text, fmt_name(&f), fx_quant_names[c->q],
              fx_ovf_names[c->o], rc, code, c->code);
    }
    /* fx_convert agrees on the dyadic ones */
    struct fx_format f82 = { 8, 2, 1 };
    CHECK(fx_convert(3, 2, &f82, FXQ_TRN, FXO_WRAP) == 48, "0.75 as 3 * 2^-2");
    CHECK(fx_convert(-3, 2, &f82, FXQ_TRN, FXO_WRAP) == -48, "-0.75 as -3 * 2^-2");
    CHECK(fx_to_double(48, &f82) == 0.75 && fx_to_double(-48, &f82) == -0.75,
          "fx_to_double(48)");

    /* 10^1000 into ap_ufixed<64,1064> (F = -1000) is the code 5^1000 */
    struct fx_format fbig = { 64, 1064, 0 };
    uint64_t p5 = 1;
    for (int k = 0; k < 1000; k++)
        p5 *= 5;
    int64_t code = 0;
    int64_t want;
    memcpy(&want, &p5, sizeof want);
    CHECK(fx_from_decimal("1e1000", &fbig, FXQ_TRN, FXO_WRAP, &code) == 0 && code == want,
          "1e1000 wraps to 5^1000 mod 2^64");
    /* 10^E for a huge E is a multiple of 2^64 * 2^1000: wraps to 0 */
    CHECK(fx_from_decimal("1e123456789012", &fbig, FXQ_TRN, FXO_WRAP, &code) == 0 &&
              code == 0, "1e123456789012 wraps to 0");
    struct fx_format fw = { 16, 10, 1 }; /* F = 6: 10^E * 64 */
    CHECK(fx_from_decimal("1e1000", &fw, FXQ_TRN, FXO_WRAP, &code) == 0 && code == 0,
          "1e1000 into ap_fixed<16,10>");

    /* rejected text leaves *code alone */
    static const char *bad[] = { "", "+", "-", ".", "+.", "e5", ".e5", "1e", "1e+", "1e-",
                                 " 1", "1 ", "1.2.3", "0x10", "inf", "nan", "1,5", "--1",
                                 "+-1", "1e5.5", "1e 5", "1..", "1d3", "1f", "١" };
    struct fx_format f = { 8, 4, 1 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t c = 777;
        checked++;
        CHECK(fx_from_decimal(bad[i], &f, FXQ_RND, FXO_SAT, &c) == -1 && c == 777,
              "\"%s\" must be rejected", bad[i]);
    }
}

/* Random decimals: digits of M, exponent E, written in several ways. */
static long random_decimals(struct rng *r, int iters)
{
    long n = 0;
    for (int it = 0; it < iters; it++) {
        int nd = (int)rng_range(r, 1, 40);
        char digits[48];
        for (int k = 0; k < nd; k++)
            digits[k] = (char)('0' + rng_range(r, 0, 9));
        digits[nd] = 0;
        if (rng_range(r, 0, 4) == 0) /* make ties likely: ...5 at the end */
            digits[nd - 1] = '5';
        int E = (int)rng_range(r, -45, 45);
        int neg = (int)rng_range(r, 0, 1);
        /* exact value (neg) * M * 10^E */
        struct mg num, den;
        mg_u64(&num, 0);
        for (int k = 0; k < nd; k++) {
            struct mg dig;
            mg_small(&num, 10);
            mg_u64(&dig, (uint64_t)(digits[k] - '0'));
            mg_add(&num, &dig);
        }
        mg_u64(&den, 1);
        for (int k = 0; k < (E < 0 ? -E : E); k++)
            mg_small(E < 0 ? &den : &num, 10);
        /* text: sign, then M with the point moved by p places, exponent E + p */
        char text[160];
        int p = (int)rng_range(r, 0, nd);
        int style = (int)rng_range(r, 0, 3);
        const char *sg = neg ? "-" : rng_range(r, 0, 1) ? "+" : "";
        if (style == 0 && E >= 0 && E < 20) {
            snprintf(text, sizeof text, "%s%s%0*d", sg, digits, E, 0);
            if (E == 0)
                snprintf(text, sizeof text, "%s%s", sg, digits);
        } else if (style == 1 && E < 0 && -E <= nd + 10) {
            /* plain decimal with a point */
            int k = -E; /* digits after the point */
            if (k < nd)
                snprintf(text, sizeof text, "%s%.*s.%s", sg, nd - k, digits, digits + nd - k);
            else
                snprintf(text, sizeof text, "%s0.%0*d%s", sg, k - nd, 0, digits);
            if (k - nd == 0 && k >= nd)
                snprintf(text, sizeof text, "%s0.%s", sg, digits);
        } else {
            snprintf(text, sizeof text, "%s%.*s.%s%c%d", sg, nd - p, digits, digits + nd - p,
                     rng_range(r, 0, 1) ? 'e' : 'E', E + p);
        }
        struct fx_format f;
        f.is_signed = (int)rng_range(r, 0, 1);
        f.width = (int)rng_range(r, f.is_signed ? 2 : 1, 64);
        if (rng_range(r, 0, 3) == 0)
            f.width = (int)rng_range(r, 62, 64); /* values near 2^64 */
        f.int_bits = (int)rng_range(r, -60, 200);
        if (rng_range(r, 0, 1)) {
            /* aim the format at the value: about 3.32 * (nd + E) integer bits */
            int mag = (int)((nd + E) * 3.32);
            f.int_bits = mag + (int)rng_range(r, -3, 3) + (f.is_signed ? 1 : 0);
        }
        for (int q = 0; q < FXQ__COUNT; q++)
            for (int o = 0; o < FXO__COUNT; o++) {
                int64_t got = 0;
                int rc = fx_from_decimal(text, &f, q, o, &got);
                int64_t want = ref_convert(neg, &num, &den, &f, q, o);
                n++;
                CHECK(rc == 0 && got == want, "\"%s\" -> %s %s/%s: rc %d got %" PRId64
                      ", ref %" PRId64, text, fmt_name(&f), fx_quant_names[q],
                      fx_ovf_names[o], rc, got, want);
            }
    }
    return n;
}

static void check_misc(void)
{
    CHECK(fx_quant_names[FXQ__COUNT] == NULL && fx_ovf_names[FXO__COUNT] == NULL,
          "name lists end in NULL");
    CHECK(!strcmp(fx_quant_names[FXQ_RND_MIN_INF], "rnd_min_inf") &&
              !strcmp(fx_ovf_names[FXO_SAT_SYM], "sat_sym"), "names");
    for (int q = 0; q < FXQ__COUNT; q++)
        CHECK(fx_quant_lookup(fx_quant_names[q]) == q, "lookup %s", fx_quant_names[q]);
    for (int o = 0; o < FXO__COUNT; o++)
        CHECK(fx_ovf_lookup(fx_ovf_names[o]) == o, "lookup %s", fx_ovf_names[o]);
    CHECK(fx_quant_lookup("RND") == -1 && fx_ovf_lookup("") == -1, "unknown names");

    struct fx_format s4 = { 4, 2, 1 }, u4 = { 4, 2, 0 }, s64 = { 64, 0, 1 },
                     u64 = { 64, 0, 0 }, u1 = { 1, 1, 0 };
    CHECK(fx_code_valid(7, &s4) && fx_code_valid(-8, &s4) && !fx_code_valid(8, &s4) &&
              !fx_code_valid(-9, &s4), "signed 4-bit validity");
    CHECK(fx_code_valid(15, &u4) && fx_code_valid(0, &u4) && !fx_code_valid(16, &u4) &&
              !fx_code_valid(-1, &u4), "unsigned 4-bit validity");
    CHECK(fx_code_valid(INT64_MIN, &s64) && fx_code_valid(-1, &u64), "64-bit validity");
    CHECK(fx_code_valid(1, &u1) && !fx_code_valid(2, &u1), "1-bit validity");
    CHECK(fx_max_code(&s4) == 7 && fx_min_code(&s4) == -8 && fx_max_code(&u4) == 15 &&
              fx_min_code(&u4) == 0 && fx_max_code(&u64) == -1 &&
              fx_min_code(&s64) == INT64_MIN, "min/max codes");
    CHECK(fx_to_double(-8, &s4) == -2.0 && fx_to_double(15, &u4) == 3.75 &&
              fx_to_double(-1, &u64) == 1.0 && fx_to_double(INT64_MIN, &s64) == -0.5,
          "fx_to_double");
    struct fx_format neg_i = { 4, -2, 1 }, big_i = { 4, 6, 1 };
    CHECK(fx_to_double(6, &neg_i) == 0.09375 && fx_to_double(3, &big_i) == 12.0,
          "fx_to_double with I < 0 and I > W");
    struct fx_format bad1 = { 1, 0, 1 }, bad2 = { 65, 0, 0 }, bad3 = { 8, 20000, 1 };
    CHECK(fx_format_check(&bad1) && fx_format_check(&bad2) && fx_format_check(&bad3) &&
              !fx_format_check(&s4) && !fx_format_check(&u1), "fx_format_check");
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261123;
    printf("test_fixq: seed %" PRIu64 "\n", seed);
    struct rng r = { seed };
    check_misc();
    long ex = exhaustive();
    long wide = random_wide(&r, 40000);
    check_decimal_cases();
    long dec = random_decimals(&r, 4000);
    checked += ex + wide + dec;
    printf("test_fixq: %ld exhaustive, %ld random wide, %ld random decimal conversions\n",
           ex, wide, dec);
    if (failures) {
        printf("test_fixq: %d failures\n", failures);
        printf("test_fixq: FAILED\n");
        return 1;
    }
    printf("test_fixq: ok\n");
    return 0;
}
