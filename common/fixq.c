/* fixq.c - exact conversion into ap_fixed-style fixed-point formats.
 *
 * Every conversion is reduced to the same three facts about the exact
 * value x scaled to steps, c = x * 2^F:
 *   - its sign,
 *   - A = floor(|c|) as its low 64 bits plus a flag for A >= 2^64,
 *   - where the dropped part |c| - A lies: zero, below half a step, half,
 *     or above half.
 * finish() then rounds the magnitude (away from zero or not), checks the
 * rounded value against the format's range and applies the overflow mode.
 * The low 64 bits of the magnitude are exact even when it is huge, so the
 * WRAP result (the low W <= 64 bits) is exact for every input.
 * fx_convert gets the three facts with shifts of a 64-bit magnitude;
 * fx_from_decimal with a small bignum (see the comment above it). */
#include "fixq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *const fx_quant_names[] = { "trn",         "trn_zero", "rnd",      "rnd_zero",
                                       "rnd_min_inf", "rnd_inf",  "rnd_conv", NULL };
const char *const fx_ovf_names[] = { "wrap", "sat", "sat_zero", "sat_sym", NULL };

/* Where the dropped fraction of |c| lies, in units of one step. */
enum frac_class { FR_ZERO, FR_BELOW, FR_HALF, FR_ABOVE };

/* A magnitude in steps: its low 64 bits, and whether it is >= 2^64. */
struct mag {
    uint64_t lo;
    int big;
};

/* The int64_t with the bit pattern u (no implementation-defined casts). */
static int64_t u2s(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)~u - 1;
}

const char *fx_format_check(const struct fx_format *f)
{
    if (f->is_signed && (f->width < 2 || f->width > 64))
        return "a signed fixed-point width must be 2..64";
    if (!f->is_signed && (f->width < 1 || f->width > 64))
        return "an unsigned fixed-point width must be 1..64";
    if (f->int_bits < -FX_INT_BITS_LIMIT || f->int_bits > FX_INT_BITS_LIMIT)
        return "fixed-point integer bits must be within -16384..16384";
    return NULL;
}

static void check_format(const struct fx_format *f)
{
    const char *why = fx_format_check(f);
    if (why)
        BUG("fixed-point format W=%d I=%d: %s", f->width, f->int_bits, why);
}

/* Largest code as an unsigned magnitude. */
static uint64_t max_mag(const struct fx_format *f)
{
    if (f->is_signed)
        return ((uint64_t)1 << (f->width - 1)) - 1;
    return f->width == 64 ? UINT64_MAX : ((uint64_t)1 << f->width) - 1;
}

/* Magnitude of the smallest code (0 for unsigned formats). */
static uint64_t min_mag(const struct fx_format *f)
{
    return f->is_signed ? (uint64_t)1 << (f->width - 1) : 0;
}

int64_t fx_max_code(const struct fx_format *f)
{
    check_format(f);
    return u2s(max_mag(f));
}

int64_t fx_min_code(const struct fx_format *f)
{
    check_format(f);
    return u2s(0 - min_mag(f));
}

static int lookup(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

int fx_quant_lookup(const char *name)
{
    return lookup(fx_quant_names, name);
}

int fx_ovf_lookup(const char *name)
{
    return lookup(fx_ovf_names, name);
}

int fx_code_valid(int64_t code, const struct fx_format *f)
{
    check_format(f);
    if (f->width == 64)
        return 1;
    if (f->is_signed)
        return code >= -(int64_t)min_mag(f) && code <= (int64_t)max_mag(f);
    return code >= 0 && (uint64_t)code <= max_mag(f);
}

double fx_to_double(int64_t code, const struct fx_format *f)
{
    check_format(f);
    double d = f->is_signed ? (double)code : (double)(uint64_t)code;
    return ldexp(d, f->int_bits - f->width);
}

/* Does the magnitude move one step away from zero? */
static int rounds_up(enum fx_quant q, int neg, enum frac_class cls, uint64_t lo)
{
    if (cls == FR_ZERO)
        return 0;
    switch (q) {
    case FXQ_TRN:
        return neg; /* floor: only negative values move (away from zero) */
    case FXQ_TRN_ZERO:
        return 0;
    case FXQ_RND:
    case FXQ_RND_ZERO:
    case FXQ_RND_MIN_INF:
    case FXQ_RND_INF:
    case FXQ_RND_CONV:
        if (cls != FR_HALF)
            return cls == FR_ABOVE;
        switch (q) {
        case FXQ_RND:
            return !neg; /* tie toward +inf */
        case FXQ_RND_ZERO:
            return 0;
        case FXQ_RND_MIN_INF:
            return neg; /* tie toward -inf */
        case FXQ_RND_INF:
            return 1;
        default:
            return (int)(lo & 1); /* tie to the even one of A, A+1 */
        }
    case FXQ__COUNT:
        break;
    }
    BUG("quantization mode %d", (int)q);
}

/* Round, range-check and apply the overflow mode. a and cls describe |c|. */
static int64_t finish(int neg, struct mag a, enum frac_class cls, const struct fx_format *f,
                      enum fx_quant q, enum fx_ovf o)
{
    if (rounds_up(q, neg, cls, a.lo) && ++a.lo == 0)
        a.big = 1;
    if (!a.big && a.lo == 0)
        neg = 0;
    int ovf = 0; /* +1 above the largest code, -1 below the smallest */
    if (a.big)
        ovf = neg ? -1 : 1;
    else if (!neg && a.lo > max_mag(f))
        ovf = 1;
    else if (neg && a.lo > min_mag(f))
        ovf = -1;
    else if (o == FXO_SAT_SYM && f->is_signed && neg && a.lo == min_mag(f))
        ovf = -1; /* as ap_fixed: SAT_SYM never yields -2^(W-1) */
    uint64_t bits = neg ? 0 - a.lo : a.lo; /* low 64 bits of the rounded code */
    if (!ovf)
        return u2s(bits);
    switch (o) {
    case FXO_WRAP:
        if (f->width < 64) {
            uint64_t mask = ((uint64_t)1 << f->width) - 1;
            bits &= mask;
            if (f->is_signed && (bits >> (f->width - 1)))
                bits |= ~mask;
        }
        return u2s(bits);
    case FXO_SAT:
        return ovf > 0 ? u2s(max_mag(f)) : u2s(0 - min_mag(f));
    case FXO_SAT_ZERO:
        return 0;
    case FXO_SAT_SYM:
        if (ovf > 0)
            return u2s(max_mag(f));
        return f->is_signed ? -u2s(max_mag(f)) : 0;
    case FXO__COUNT:
        break;
    }
    BUG("overflow mode %d", (int)o);
}

static enum frac_class classify(uint64_t rem, uint64_t half)
{
    if (rem == 0)
        return FR_ZERO;
    return rem < half ? FR_BELOW : rem == half ? FR_HALF : FR_ABOVE;
}

static void check_modes(enum fx_quant q, enum fx_ovf o)
{
    if ((unsigned)q >= FXQ__COUNT || (unsigned)o >= FXO__COUNT)
        BUG("fixed-point modes %d/%d", (int)q, (int)o);
}

int64_t fx_convert(int64_t v, int src_frac, const struct fx_format *f, enum fx_quant q,
                   enum fx_ovf o)
{
    check_format(f);
    check_modes(q, o);
    int neg = v < 0;
    uint64_t m = neg ? 0 - (uint64_t)v : (uint64_t)v; /* |v|, also for INT64_MIN */
    /* c = v * 2^s */
    int64_t s = (int64_t)f->width - f->int_bits - src_frac;
    struct mag a = { 0, 0 };
    enum frac_class cls = FR_ZERO;
    if (s >= 64) {
        a.big = m != 0; /* low 64 bits stay 0 */
    } else if (s >= 0) {
        a.lo = m << s;
        a.big = s > 0 && (m >> (64 - s)) != 0;
    } else if (s > -64) {
        int k = (int)-s;
        a.lo = m >> k;
        cls = classify(m & (((uint64_t)1 << k) - 1), (uint64_t)1 << (k - 1));
    } else if (s == -64) {
        cls = classify(m, (uint64_t)1 << 63); /* m <= 2^63: half only for INT64_MIN */
    } else {
        cls = m ? FR_BELOW : FR_ZERO; /* m <= 2^63 < 2^(k-1) = half a step */
    }
    return finish(neg, a, cls, f, q, o);
}

/* ---------------------------------------------------------------------------
 * Decimal input. The text is M * 10^E with M a positive integer without
 * trailing zero digits, so c = M * 5^E * 2^T with T = E + F. A cheap bound
 * on log2|c| from the digit count sorts c into
 *   tiny:  |c| < 1/4: A = 0, dropped part below half;
 *   huge:  |c| >= 2^65: overflow for every mode. WRAP still needs the low
 *          bits: exact division when E < 0 (then 5^-E < M, bounded by the
 *          text), or M * 5^E modulo 2^(64 + max(0, -T)) when E >= 0;
 *   else:  exact: N = M * 5^max(E,0) * 2^max(T,0), D = 5^max(-E,0) *
 *          2^max(-T,0), A = floor(N / D), and 2 * (N mod D) against D.
 * Every bignum stays within a few times (text length + |F| + 70) bits. */

struct bn {
    uint32_t *w; /* little-endian limbs; w[n-1] != 0 unless n == 0 */
    size_t n, cap;
};
#define BN_INIT { NULL, 0, 0 }

static void bn_reserve(struct bn *a, size_t n)
{
    if (n > a->cap) {
        size_t cap = a->cap ? a->cap : 4;
        while (cap < n)
            cap *= 2;
        a->w = xrealloc(a->w, cap * sizeof *a->w);
        a->cap = cap;
    }
}

static void bn_trim(struct bn *a)
{
    while (a->n && !a->w[a->n - 1])
        a->n--;
}

static void bn_free(struct bn *a)
{
    free(a->w);
    a->w = NULL;
    a->n = a->cap = 0;
}

static void bn_set_small(struct bn *a, uint32_t v)
{
    bn_reserve(a, 1);
    a->w[0] = v;
    a->n = v != 0;
}

static void bn_copy(struct bn *dst, const struct bn *src)
{
    bn_reserve(dst, src->n);
    if (src->n)
        memcpy(dst->w, src->w, src->n * sizeof *src->w);
    dst->n = src->n;
}

/* a = a * m + add */
static void bn_mul_add_small(struct bn *a, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        bn_reserve(a, a->n + 1);
        a->w[a->n++] = (uint32_t)carry;
    }
    bn_trim(a);
}

static void bn_mul_pow5(struct bn *a, uint64_t e)
{
    for (; e >= 13; e -= 13)
        bn_mul_add_small(a, 1220703125u, 0); /* 5^13 */
    uint32_t p = 1;
    while (e--)
        p *= 5;
    bn_mul_add_small(a, p, 0);
}

static void bn_shl(struct bn *a, size_t bits)
{
    if (!a->n || !bits)
        return;
    size_t limbs = bits / 32, sh = bits % 32;
    bn_reserve(a, a->n + limbs + 1);
    a->w[a->n + limbs] = 0;
    for (size_t i = a->n; i-- > 0;) {
        uint64_t t = (uint64_t)a->w[i] << sh;
        a->w[i + limbs + 1] |= (uint32_t)(t >> 32);
        a->w[i + limbs] = (uint32_t)t;
    }
    memset(a->w, 0, limbs * sizeof *a->w);
    a->n += limbs + 1;
    bn_trim(a);
}

static void bn_shr1(struct bn *a)
{
    for (size_t i = 0; i < a->n; i++)
        a->w[i] = (a->w[i] >> 1) | (i + 1 < a->n ? a->w[i + 1] << 31 : 0);
    bn_trim(a);
}

static size_t bn_bits(const struct bn *a)
{
    if (!a->n)
        return 0;
    size_t b = 32 * (a->n - 1);
    for (uint32_t t = a->w[a->n - 1]; t; t >>= 1)
        b++;
    return b;
}

static int bn_bit(const struct bn *a, size_t i)
{
    return i / 32 < a->n ? (int)((a->w[i / 32] >> (i % 32)) & 1) : 0;
}

/* Is any of the bits 0..i-1 set? */
static int bn_any_below(const struct bn *a, size_t i)
{
    for (size_t k = 0; k < i / 32 && k < a->n; k++)
        if (a->w[k])
            return 1;
    if (i % 32 && i / 32 < a->n)
        return (a->w[i / 32] & (((uint32_t)1 << (i % 32)) - 1)) != 0;
    return 0;
}

/* The 64 bits from bit `from` up. */
static uint64_t bn_bits64(const struct bn *a, size_t from)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        r |= (uint64_t)bn_bit(a, from + (size_t)i) << i;
    return r;
}

static int bn_cmp(const struct bn *a, const struct bn *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (size_t i = a->n; i-- > 0;)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b, with a >= b */
static void bn_sub(struct bn *a, const struct bn *b)
{
    int64_t borrow = 0;
    for (size_t i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
    }
    bn_trim(a);
}

/* Keep the low `bits` bits. */
static void bn_trunc(struct bn *a, size_t bits)
{
    size_t limbs = (bits + 31) / 32;
    if (a->n > limbs)
        a->n = limbs;
    if (bits % 32 && a->n == limbs)
        a->w[limbs - 1] &= ((uint32_t)1 << (bits % 32)) - 1;
    bn_trim(a);
}

/* r = a * b mod 2^bits (r distinct from a and b) */
static void bn_mul_mod2k(struct bn *r, const struct bn *a, const struct bn *b, size_t bits)
{
    size_t lim = (bits + 31) / 32, n = a->n + b->n;
    if (n > lim)
        n = lim;
    bn_reserve(r, n ? n : 1);
    memset(r->w, 0, (n ? n : 1) * sizeof *r->w);
    for (size_t i = 0; i < a->n && i < n; i++) {
        uint64_t carry = 0;
        size_t j;
        for (j = 0; j < b->n && i + j < n; j++) {
            uint64_t t = (uint64_t)a->w[i] * b->w[j] + r->w[i + j] + carry;
            r->w[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        for (; carry && i + j < n; j++) {
            uint64_t t = (uint64_t)r->w[i + j] + carry;
            r->w[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
    }
    r->n = n;
    bn_trunc(r, bits);
}

/* a = a * 5^e mod 2^bits, by square and multiply. */
static void bn_mul_pow5_mod2k(struct bn *a, uint64_t e, size_t bits)
{
    struct bn base = BN_INIT, t = BN_INIT;
    bn_set_small(&base, 5);
    bn_trunc(a, bits);
    while (e) {
        if (e & 1) {
            bn_mul_mod2k(&t, a, &base, bits);
            bn_copy(a, &t);
        }
        e >>= 1;
        if (e) {
            bn_mul_mod2k(&t, &base, &base, bits);
            bn_copy(&base, &t);
        }
    }
    bn_free(&base);
    bn_free(&t);
}

/* A = floor(num / den) and the class of num mod den; num is consumed. */
static void bn_divide(struct bn *num, const struct bn *den, struct mag *a,
                      enum frac_class *cls)
{
    size_t nb = bn_bits(num), db = bn_bits(den);
    a->lo = 0;
    a->big = 0;
    if (nb >= db) {
        struct bn d = BN_INIT;
        bn_copy(&d, den);
        bn_shl(&d, nb - db);
        for (size_t i = nb - db + 1; i-- > 0;) {
            if (bn_cmp(num, &d) >= 0) {
                bn_sub(num, &d);
                if (i >= 64)
                    a->big = 1;
                else
                    a->lo |= (uint64_t)1 << i;
            }
            bn_shr1(&d);
        }
        bn_free(&d);
    }
    if (!num->n) {
        *cls = FR_ZERO;
        return;
    }
    bn_shl(num, 1);
    int c = bn_cmp(num, den);
    *cls = c < 0 ? FR_BELOW : c == 0 ? FR_HALF : FR_ABOVE;
}

/* Bounds on d * log2(10) for |d| <= 1e12 (3.321928 < log2 10 < 3.321929). */
static int64_t lg10_floor(int64_t d)
{
    return d >= 0 ? d * 3321928 / 1000000 : -((-d * 3321929 + 999999) / 1000000);
}

static int64_t lg10_ceil(int64_t d)
{
    return d >= 0 ? (d * 3321929 + 999999) / 1000000 : -(-d * 3321928 / 1000000);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

#define EXP_CAP 1000000000000000LL /* exponents beyond this saturate */
#define LOG_CAP 1000000000000LL

int fx_from_decimal(const char *text, const struct fx_format *f, enum fx_quant q,
                    enum fx_ovf o, int64_t *code)
{
    check_format(f);
    check_modes(q, o);
    const char *p = text;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    const char *ip = p;
    while (is_digit(*p))
        p++;
    size_t ni = (size_t)(p - ip), nf = 0;
    const char *fp = p;
    if (*p == '.') {
        fp = ++p;
        while (is_digit(*p))
            p++;
        nf = (size_t)(p - fp);
    }
    if (ni + nf == 0)
        return -1;
    int64_t exp = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!is_digit(*p))
            return -1;
        for (; is_digit(*p); p++)
            exp = exp >= EXP_CAP ? EXP_CAP : exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    if (*p)
        return -1;

    /* digit k of the mantissa ip[0..ni) fp[0..nf) */
#define DIGIT(k) ((k) < ni ? ip[k] : fp[(k) - ni])
    size_t nd = ni + nf, first = 0, last = nd;
    while (first < nd && DIGIT(first) == '0')
        first++;
    if (first == nd) {
        *code = 0; /* zero converts to code 0 in every mode */
        return 0;
    }
    while (DIGIT(last - 1) == '0')
        last--;
    int64_t n = (int64_t)(last - first); /* significant digits of M */
    int64_t E = exp - (int64_t)nf + (int64_t)(nd - last);
    int64_t F = (int64_t)f->width - f->int_bits, T = E + F;

    /* 10^(n-1+E) <= |x| < 10^(n+E) */
    int64_t d1 = n - 1 + E, d2 = n + E;
    int tiny, huge;
    if (d1 > LOG_CAP) {
        tiny = 0, huge = 1;
    } else if (d2 < -LOG_CAP) {
        tiny = 1, huge = 0;
    } else {
        tiny = lg10_ceil(d2) + F <= -2;
        huge = lg10_floor(d1) + F >= 65;
    }

    struct mag a = { 0, 0 };
    enum frac_class cls = FR_ZERO;
    if (tiny) {
        cls = FR_BELOW;
    } else if (huge && o != FXO_WRAP) {
        a.big = 1; /* saturation depends only on the sign */
    } else {
        struct bn num = BN_INIT;
        bn_set_small(&num, 0);
        uint32_t chunk = 0, scale = 1;
        for (size_t k = first; k < last; k++) {
            chunk = chunk * 10 + (uint32_t)(DIGIT(k) - '0');
            scale *= 10;
            if (scale == 1000000000u || k + 1 == last) {
                bn_mul_add_small(&num, scale, chunk);
                chunk = 0;
                scale = 1;
            }
        }
        if (huge && E >= 0) {
            /* WRAP of a huge value: bits up to 64 above the binary point */
            size_t t = T < 0 ? (size_t)-T : 0;
            bn_mul_pow5_mod2k(&num, (uint64_t)E, t + 64);
            a.big = 1;
            if (T >= 64) {
                a.lo = 0;
            } else if (T >= 0) {
                a.lo = bn_bits64(&num, 0) << T;
            } else {
                a.lo = bn_bits64(&num, t);
                if (!bn_bit(&num, t - 1))
                    cls = bn_any_below(&num, t - 1) ? FR_BELOW : FR_ZERO;
                else
                    cls = bn_any_below(&num, t - 1) ? FR_ABOVE : FR_HALF;
            }
        } else {
            struct bn den = BN_INIT;
            bn_set_small(&den, 1);
            if (E >= 0)
                bn_mul_pow5(&num, (uint64_t)E);
            else
                bn_mul_pow5(&den, (uint64_t)-E);
            if (T >= 0)
                bn_shl(&num, (size_t)T);
            else
                bn_shl(&den, (size_t)-T);
            bn_divide(&num, &den, &a, &cls);
            bn_free(&den);
        }
        bn_free(&num);
    }
#undef DIGIT
    *code = finish(neg, a, cls, f, q, o);
    return 0;
}
