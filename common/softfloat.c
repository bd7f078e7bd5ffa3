/* softfloat.c - bit-exact fp16/bf16/fp32/FP8 arithmetic with integers only.
 *
 * Every finite nonzero value is unpacked to sign, integer significand m
 * (hidden bit included, < 2^24) and exponent e, the value being m * 2^e.
 * An operation forms its exact result the same way (a sum of aligned
 * significands, a 48-bit product, a quotient of big integers for decimal
 * text), and round_pack() rounds it once to the target format.
 *
 * When an exact result would not fit in 64 bits, the dropped low part is
 * "jammed" into the lowest kept bit: the kept integer is made odd if
 * anything nonzero was dropped. That is exact for RNE as long as at least
 * two kept bits lie below the rounding position: every rounding boundary
 * (a representable value or a midpoint) is then a multiple of 4 units, an
 * odd integer is never one, and the true value and the jammed one lie
 * between the same two boundaries. Each use below states why the margin
 * holds. */
#include "softfloat.h"

#include <string.h>

#include "util.h"

const char *const sf_format_names[] = { "fp16", "bf16", "fp32", "fp8e4m3", "fp8e5m2", NULL };

static const struct sf_info infos[SF__COUNT] = {
    [SF_FP16] = { 16, 5, 10, 15, 1, 0x7e00, 0 },
    [SF_BF16] = { 16, 8, 7, 127, 1, 0x7fc0, 0 },
    [SF_FP32] = { 32, 8, 23, 127, 1, 0x7fc00000, 0 },
    [SF_FP8E4M3] = { 8, 4, 3, 7, 0, 0x7f, 0 },
    [SF_FP8E5M2] = { 8, 5, 2, 15, 1, 0x7e, 0 },
};

const struct sf_info *sf_info(enum sf_format f)
{
    if ((unsigned)f >= SF__COUNT)
        BUG("floating-point format %d", (int)f);
    return &infos[f];
}

int sf_lookup(const char *name)
{
    for (int i = 0; sf_format_names[i]; i++)
        if (!strcmp(name, sf_format_names[i]))
            return i;
    return -1;
}

/* ------------------------------------------------------------ unpacking */

enum cls { C_ZERO, C_FIN, C_INF, C_NAN };

struct unp {
    enum cls cls;
    int sign;
    int e;      /* C_FIN: value = m * 2^e */
    uint32_t m; /* C_FIN: nonzero, < 2^(man_bits+1) */
};

static uint32_t width_mask(const struct sf_info *fi)
{
    return fi->bits == 32 ? 0xffffffffu : (1u << fi->bits) - 1;
}

static void check_pattern(const struct sf_info *fi, uint32_t a)
{
    if (a & ~width_mask(fi))
        BUG("0x%08x is not a %d-bit floating-point pattern", (unsigned)a, fi->bits);
}

static struct unp unpack(const struct sf_info *fi, uint32_t a)
{
    check_pattern(fi, a);
    struct unp u;
    uint32_t emax = (1u << fi->exp_bits) - 1, mmask = (1u << fi->man_bits) - 1;
    uint32_t ef = (a >> fi->man_bits) & emax, mf = a & mmask;
    u.sign = (int)(a >> (fi->bits - 1));
    u.e = 0;
    u.m = 0;
    if (!fi->finite_only && ef == emax && (fi->has_inf || mf == mmask)) {
        /* IEEE: all-ones exponent is inf (fraction 0) or NaN; E4M3: only
         * S.1111.111 is special, and it is NaN. */
        u.cls = fi->has_inf && mf == 0 ? C_INF : C_NAN;
    } else if (ef == 0) {
        u.cls = mf ? C_FIN : C_ZERO;
        u.m = mf;
        u.e = 1 - fi->bias - fi->man_bits;
    } else {
        u.cls = C_FIN;
        u.m = mf | (mmask + 1);
        u.e = (int)ef - fi->bias - fi->man_bits;
    }
    return u;
}

static uint32_t sign_bit(const struct sf_info *fi, int sign)
{
    return (uint32_t)(sign != 0) << (fi->bits - 1);
}

static uint32_t pack_zero(const struct sf_info *fi, int sign)
{
    return sign_bit(fi, sign);
}

/* Infinity, or NaN for a format without one (E4M3). */
static uint32_t pack_inf(const struct sf_info *fi, int sign)
{
    if (!fi->has_inf)
        return fi->qnan;
    return sign_bit(fi, sign) | (((1u << fi->exp_bits) - 1) << fi->man_bits);
}

static int bitlen64(uint64_t x)
{
#if defined(__GNUC__)
    return x ? 64 - __builtin_clzll(x) : 0;
#else
    int n = 0;
    while (x) {
        n++;
        x >>= 1;
    }
    return n;
#endif
}

/* The largest finite magnitude of fi, with the sign. */
static uint32_t pack_max(const struct sf_info *fi, int sign)
{
    uint32_t top = (1u << fi->exp_bits) - 1, fmax = (1u << fi->man_bits) - 1;
    uint32_t mag = fi->finite_only ? top << fi->man_bits | fmax
                   : fi->has_inf   ? (top - 1) << fi->man_bits | fmax
                                   : top << fi->man_bits | (fmax - 1);
    return sign_bit(fi, sign) | mag;
}

/* The value (-1)^sign * m * 2^e, m > 0, rounded once (RNE) into fi;
 * overflow gives the largest finite value when `sat`. The low bit of m
 * may be a jam bit (see the top of the file) if at least two bits of m
 * lie below the rounding position. */
static uint32_t round_pack_sat(const struct sf_info *fi, int sign, int e, uint64_t m, int sat)
{
    int p = fi->man_bits;
    int emin = 1 - fi->bias;
    int E = e + bitlen64(m) - 1;           /* floor(log2(value)) */
    int q = (E < emin ? emin : E) - p;     /* exponent of one ulp */
    int s = q - e;                         /* right shift onto the ulp grid */
    uint64_t r;
    if (s <= 0) {
        r = m << -s; /* exact, and r < 2^(p+1) since q >= E - p */
    } else if (s < 64) {
        uint64_t rem = m & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
        r = m >> s;
        if (rem > half || (rem == half && (r & 1)))
            r++;
    } else {
        /* r = 0; round up only if m > half an ulp = 2^(s-1) */
        r = s == 64 && m > (UINT64_C(1) << 63);
    }
    if (r >> (p + 1)) { /* rounded up to the next binade: r == 2^(p+1) */
        r >>= 1;
        q++;
    }
    if (r == 0)
        return pack_zero(fi, sign);
    uint32_t bexp, frac;
    if (r >> p) {
        int be = q + p + fi->bias;
        frac = (uint32_t)r & ((1u << p) - 1);
        int top = (1 << fi->exp_bits) - 1;
        if (fi->has_inf       ? be >= top
            : fi->finite_only ? be > top
                              : be > top || (be == top && frac == (1u << p) - 1))
            return sat ? pack_max(fi, sign) : pack_inf(fi, sign);
        bexp = (uint32_t)be;
    } else {
        bexp = 0; /* subnormal: q == emin - p here */
        frac = (uint32_t)r;
    }
    return sign_bit(fi, sign) | (bexp << p) | frac;
}

static uint32_t round_pack(const struct sf_info *fi, int sign, int e, uint64_t m)
{
    return round_pack_sat(fi, sign, e, m, 0);
}

uint32_t sf_round_info(const struct sf_info *fi, int sign, int exp2, uint64_t mag, int sat)
{
    return mag ? round_pack_sat(fi, sign, exp2, mag, sat) : pack_zero(fi, 0);
}

uint32_t sf_scaled_int(enum sf_format f, int sign, uint64_t mag, int exp2)
{
    return sf_round_info(sf_info(f), sign, exp2, mag, 0);
}

/* ----------------------------------------------------------- arithmetic */

uint32_t sf_add(enum sf_format f, uint32_t a, uint32_t b)
{
    const struct sf_info *fi = sf_info(f);
    struct unp x = unpack(fi, a), y = unpack(fi, b);
    if (x.cls == C_NAN || y.cls == C_NAN)
        return fi->qnan;
    if (x.cls == C_INF) {
        if (y.cls == C_INF && x.sign != y.sign)
            return fi->qnan;
        return a;
    }
    if (y.cls == C_INF)
        return b;
    if (x.cls == C_ZERO)
        return y.cls == C_ZERO ? pack_zero(fi, x.sign && y.sign) : b;
    if (y.cls == C_ZERO)
        return a;
    if (x.e < y.e) {
        struct unp t = x;
        x = y;
        y = t;
    }
    /* Align on the smaller exponent if the shift keeps the larger
     * significand (< 2^24) below 2^62. Otherwise x is normal (only equal
     * exponents can both be subnormal), |y| < 2^-14 ulp(x), the result
     * lies in x's binade or the one below, its rounding boundaries are
     * multiples of 2^(x.e-2) = 2^36 units, and y may be jammed. */
    int d = x.e - y.e, e;
    uint64_t mx = x.m, my = y.m;
    if (d <= 38) {
        mx <<= d;
        e = y.e;
    } else {
        int k = d - 38; /* >= 1 */
        mx <<= 38;
        e = x.e - 38;
        my = k >= 64 ? 1 : (my >> k) | ((my & ((UINT64_C(1) << k) - 1)) != 0);
    }
    if (x.sign == y.sign)
        return round_pack(fi, x.sign, e, mx + my);
    if (mx == my)
        return pack_zero(fi, 0); /* exact cancellation: +0 under RNE */
    if (mx > my)
        return round_pack(fi, x.sign, e, mx - my);
    return round_pack(fi, y.sign, e, my - mx);
}

uint32_t sf_neg(enum sf_format f, uint32_t a)
{
    const struct sf_info *fi = sf_info(f);
    if (sf_is_nan(f, a))
        return fi->qnan;
    return a ^ sign_bit(fi, 1);
}

uint32_t sf_sub(enum sf_format f, uint32_t a, uint32_t b)
{
    return sf_add(f, a, sf_neg(f, b));
}

uint32_t sf_mul(enum sf_format f, uint32_t a, uint32_t b)
{
    const struct sf_info *fi = sf_info(f);
    struct unp x = unpack(fi, a), y = unpack(fi, b);
    int sign = x.sign ^ y.sign;
    if (x.cls == C_NAN || y.cls == C_NAN)
        return fi->qnan;
    if (x.cls == C_INF || y.cls == C_INF) {
        if (x.cls == C_ZERO || y.cls == C_ZERO)
            return fi->qnan;
        return pack_inf(fi, sign);
    }
    if (x.cls == C_ZERO || y.cls == C_ZERO)
        return pack_zero(fi, sign);
    return round_pack(fi, sign, x.e + y.e, (uint64_t)x.m * y.m);
}

uint32_t sf_convert(enum sf_format to, enum sf_format from, uint32_t a)
{
    const struct sf_info *ti = sf_info(to), *fi = sf_info(from);
    struct unp x = unpack(fi, a);
    switch (x.cls) {
    case C_NAN:
        return ti->qnan;
    case C_INF:
        return pack_inf(ti, x.sign);
    case C_ZERO:
        return pack_zero(ti, x.sign);
    case C_FIN:
        if (to == from)
            return a;
        return round_pack(ti, x.sign, x.e, x.m);
    }
    BUG("unreachable");
}

int sf_is_nan(enum sf_format f, uint32_t a)
{
    return unpack(sf_info(f), a).cls == C_NAN;
}

int sf_is_inf(enum sf_format f, uint32_t a)
{
    return unpack(sf_info(f), a).cls == C_INF;
}

int sf_is_zero(enum sf_format f, uint32_t a)
{
    return unpack(sf_info(f), a).cls == C_ZERO;
}

double sf_to_double(enum sf_format f, uint32_t a)
{
    struct unp x = unpack(sf_info(f), a);
    uint64_t bits = (uint64_t)(x.sign != 0) << 63;
    switch (x.cls) {
    case C_ZERO:
        break;
    case C_INF:
        bits |= UINT64_C(0x7ff) << 52;
        break;
    case C_NAN:
        bits = UINT64_C(0x7ff8) << 48;
        break;
    case C_FIN: {
        /* Normal in binary64: 2^-149 <= |value| < 2^128. */
        int n = bitlen64(x.m);
        uint64_t frac = ((uint64_t)x.m << (53 - n)) & ((UINT64_C(1) << 52) - 1);
        bits |= (uint64_t)(x.e + n - 1 + 1023) << 52 | frac;
        break;
    }
    }
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* -------------------------------------------------------------- hex text */

void sf_format_hex(enum sf_format f, uint32_t a, char *buf, size_t n)
{
    const struct sf_info *fi = sf_info(f);
    static const char hex[] = "0123456789abcdef";
    char t[SF_HEX_SIZE];
    int nd = fi->bits / 4;
    check_pattern(fi, a);
    t[0] = '0';
    t[1] = 'x';
    for (int i = 0; i < nd; i++)
        t[2 + i] = hex[(a >> (4 * (nd - 1 - i))) & 15];
    t[2 + nd] = 0;
    if (n == 0)
        return;
    size_t len = (size_t)(2 + nd) < n - 1 ? (size_t)(2 + nd) : n - 1;
    memcpy(buf, t, len);
    buf[len] = 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_hex(const struct sf_info *fi, const char *s, uint32_t *out)
{
    uint32_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        int h = hexval((unsigned char)*s);
        if (h < 0 || (v >> 28))
            return -1;
        v = v << 4 | (uint32_t)h;
    }
    if (v & ~width_mask(fi))
        return -1;
    *out = v;
    return 0;
}

/* ---------------------------------------------------------- decimal text
 *
 * The text's exact value is D * 10^k with D an integer of at most
 * MAXDIG significant digits (more digits: see below). With N = D * 5^k
 * and M = 1 (k >= 0), or N = D and M = 5^-k (k < 0), the value is
 * N / M * 2^k. Shifting N or M so that N has exactly 28 more bits than M
 * makes the quotient q = floor(N * 2^s / M) lie in [2^27, 2^29); q with
 * the remainder jammed into its low bit, times 2^(k-s), goes to
 * round_pack. The jam is safe: a 27-bit q has at least 4 bits below the
 * ulp of any format here (p <= 24).
 *
 * Shortcuts keep the numbers small. With L = floor(log10(value)): L > 39
 * means value >= 10^40 > 2^128, beyond every format, so it overflows; L <
 * -46 means value < 10^-46 < 2^-150, less than half the smallest fp32
 * subnormal (the smallest of all formats), so it rounds to zero.
 *
 * Digits after the first MAXDIG significant ones only tell whether the
 * tail is zero: D keeps MAXDIG digits, and a nonzero tail appends a digit
 * 1 (value D.1 instead of D.xyz...). Both lie strictly between D and D+1
 * in units of 10^k, with k = L - MAXDIG + 1 <= -760, and no rounding
 * boundary lies strictly in between: every boundary is a multiple of
 * 2^-150, hence of 10^-150, hence of 10^k. */

#define MAXDIG 800
#define BN_LIMBS 100 /* 3200 bits: N, M and the shifted M stay below 2700 */

struct bn {
    int n; /* used limbs; d[n-1] != 0 unless n == 0 */
    uint32_t d[BN_LIMBS];
};

static void bn_set(struct bn *a, uint32_t v)
{
    a->n = v != 0;
    a->d[0] = v;
}

static void bn_mul_add(struct bn *a, uint32_t mul, uint32_t add)
{
    uint64_t c = add;
    for (int i = 0; i < a->n; i++) {
        c += (uint64_t)a->d[i] * mul;
        a->d[i] = (uint32_t)c;
        c >>= 32;
    }
    if (c) {
        if (a->n >= BN_LIMBS)
            BUG("softfloat bignum overflow");
        a->d[a->n++] = (uint32_t)c;
    }
}

static void bn_mul_pow5(struct bn *a, int k)
{
    static const uint32_t p5_13 = 1220703125u; /* 5^13 */
    for (; k >= 13; k -= 13)
        bn_mul_add(a, p5_13, 0);
    uint32_t m = 1;
    while (k-- > 0)
        m *= 5;
    bn_mul_add(a, m, 0);
}

static int bn_bitlen(const struct bn *a)
{
    return a->n ? 32 * (a->n - 1) + bitlen64(a->d[a->n - 1]) : 0;
}

static void bn_shl(struct bn *a, int s)
{
    if (!a->n || !s)
        return;
    int w = s / 32, b = s % 32;
    int n = a->n + w + 1;
    if (n > BN_LIMBS)
        BUG("softfloat bignum overflow");
    for (int i = n - 1; i >= 0; i--) {
        int j = i - w;
        uint64_t hi = j >= 0 && j < a->n ? a->d[j] : 0;
        uint64_t lo = j - 1 >= 0 && j - 1 < a->n ? a->d[j - 1] : 0;
        a->d[i] = (uint32_t)(((hi << 32 | lo) << b) >> 32);
    }
    a->n = n;
    while (a->n && !a->d[a->n - 1])
        a->n--;
}

static void bn_shr1(struct bn *a)
{
    for (int i = 0; i < a->n; i++)
        a->d[i] = a->d[i] >> 1 | (i + 1 < a->n ? a->d[i + 1] << 31 : 0);
    while (a->n && !a->d[a->n - 1])
        a->n--;
}

static int bn_cmp(const struct bn *a, const struct bn *b)
{
    if (a->n != b->n)
        return a->n > b->n ? 1 : -1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] > b->d[i] ? 1 : -1;
    return 0;
}

static void bn_sub(struct bn *a, const struct bn *b) /* a -= b, a >= b */
{
    int64_t c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (int64_t)a->d[i] - (i < b->n ? (int64_t)b->d[i] : 0);
        a->d[i] = (uint32_t)c;
        c = c < 0 ? -1 : 0;
    }
    while (a->n && !a->d[a->n - 1])
        a->n--;
}

static int ieq(const char *s, const char *word) /* ASCII case-insensitive */
{
    for (; *s && *word; s++, word++) {
        int c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != *word)
            return 0;
    }
    return !*s && !*word;
}

/* The decimal text s as (-1)^*sign * *q * 2^*e, q in [2^27, 2^29) with a
 * jam bit (exact for any rounding to at most 25 significant bits), or
 * C_ZERO/C_INF/C_NAN; magnitudes with a leading digit at 10^L, L < lmin
 * (lmax < L) are C_ZERO (C_INF). -1: not a decimal. lmin >= -50 and
 * lmax <= 45 keep the big integers within BN_LIMBS. */
static int decimal_exact(const char *s, long lmin, long lmax, int *sign_out, uint64_t *q_out,
                         int *e_out)
{
    int sign = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-';
    *sign_out = sign;
    if (ieq(s, "inf") || ieq(s, "infinity"))
        return C_INF;
    if (ieq(s, "nan"))
        return C_NAN;

    struct bn D;
    bn_set(&D, 0);
    int nsig = 0, ndig = 0, sticky = 0, point = 0;
    long k = 0;
    uint32_t chunk = 0, cmul = 1; /* pending digits, flushed 9 at a time */
    for (;; s++) {
        if (*s == '.' && !point) {
            point = 1;
            continue;
        }
        if (*s < '0' || *s > '9')
            break;
        int dg = *s - '0';
        ndig++;
        if (nsig < MAXDIG) {
            if (nsig || dg) {
                chunk = chunk * 10 + (uint32_t)dg;
                cmul *= 10;
                nsig++;
                if (cmul == 1000000000u) {
                    bn_mul_add(&D, cmul, chunk);
                    chunk = 0;
                    cmul = 1;
                }
            }
            if (point)
                k--;
        } else {
            sticky |= dg != 0;
            if (!point)
                k++;
        }
    }
    if (!ndig)
        return -1;
    if (*s == 'e' || *s == 'E') {
        s++;
        int esign = 0;
        if (*s == '+' || *s == '-')
            esign = *s++ == '-';
        if (*s < '0' || *s > '9')
            return -1;
        long x = 0;
        for (; *s >= '0' && *s <= '9'; s++)
            if (x < 100000000)
                x = x * 10 + (*s - '0'); /* saturates: far beyond any range */
        k += esign ? -x : x;
    }
    if (*s)
        return -1;
    if (cmul > 1)
        bn_mul_add(&D, cmul, chunk);
    if (!nsig)
        return C_ZERO;
    long L = k + nsig - 1;
    if (L > lmax)
        return C_INF;
    if (L < lmin)
        return C_ZERO;
    if (sticky) {
        bn_mul_add(&D, 10, 1);
        k--;
    }

    struct bn N = D, M;
    bn_set(&M, 1);
    if (k >= 0)
        bn_mul_pow5(&N, (int)k);
    else
        bn_mul_pow5(&M, (int)-k);
    int sh = bn_bitlen(&M) - bn_bitlen(&N) + 28;
    if (sh >= 0)
        bn_shl(&N, sh);
    else
        bn_shl(&M, -sh);
    /* q = floor(N / M) < 2^29 by restoring division. */
    uint64_t q = 0;
    bn_shl(&M, 28);
    for (int i = 28; i >= 0; i--) {
        if (bn_cmp(&N, &M) >= 0) {
            bn_sub(&N, &M);
            q |= UINT64_C(1) << i;
        }
        bn_shr1(&M);
    }
    if (q < (UINT64_C(1) << 27) || q >= (UINT64_C(1) << 29))
        BUG("softfloat decimal quotient out of range");
    q |= N.n != 0;
    *q_out = q;
    *e_out = (int)(k - sh);
    return C_FIN;
}

static int parse_decimal(const struct sf_info *fi, const char *s, uint32_t *out)
{
    int sign, e;
    uint64_t q;
    switch (decimal_exact(s, -46, 39, &sign, &q, &e)) {
    case C_INF:
        *out = pack_inf(fi, sign);
        return 0;
    case C_NAN:
        *out = fi->qnan;
        return 0;
    case C_ZERO:
        *out = pack_zero(fi, sign);
        return 0;
    case C_FIN:
        *out = round_pack(fi, sign, e, q);
        return 0;
    }
    return -1;
}

int sf_decimal_exact(const char *text, int *sign, uint64_t *q, int *exp2)
{
    static const int cls[] = { SF_DEC_ZERO, SF_DEC_FIN, SF_DEC_INF, SF_DEC_NAN };
    int c = decimal_exact(text, -50, 45, sign, q, exp2);
    return c < 0 ? -1 : cls[c];
}

int sf_parse(enum sf_format f, const char *text, uint32_t *out)
{
    const struct sf_info *fi = sf_info(f);
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        return parse_hex(fi, text + 2, out);
    return parse_decimal(fi, text, out);
}
