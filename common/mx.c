/* mx.c - block-scaled formats: element integers, scales, the block
 * converter (see mx.h). */
#include "mx.h"

#include "util.h"

/* The FP6/FP4 elements have no Inf and no NaN (finite_only). qnan is
 * unused for them. */
static const struct sf_info e3m2 = { 6, 3, 2, 3, 0, 0, 1 };
static const struct sf_info e2m3 = { 6, 2, 3, 1, 0, 0, 1 };
static const struct sf_info e2m1 = { 4, 2, 1, 1, 0, 0, 1 };

/* P = bias + man_bits - 1 for the FP elements: the smallest subnormal is
 * integer 1. max_pos = the largest finite value * 2^P. */
static const struct mx_elem_info infos[MXE__COUNT] = {
    [MXE_INT8] = { "int8", 8, 6, 127, 128, 0, 0, -1, NULL },
    [MXE_E4M3] = { "e4m3", 8, 9, 229376, 229376, 1, 8, SF_FP8E4M3, NULL }, /* 448 * 2^9 */
    [MXE_E5M2] = { "e5m2", 8, 16, 3758096384, 3758096384, 3, 15, SF_FP8E5M2, NULL },
    [MXE_E3M2] = { "e3m2", 6, 4, 448, 448, 0, 4, -1, &e3m2 },   /* 28 * 2^4 */
    [MXE_E2M3] = { "e2m3", 6, 3, 60, 60, 0, 2, -1, &e2m3 },     /* 7.5 * 2^3 */
    [MXE_E2M1] = { "e2m1", 4, 1, 12, 12, 0, 2, -1, &e2m1 },     /* 6 * 2^1 */
}; /* E5M2: 57344 * 2^16 */

const struct mx_elem_info *mx_elem(enum mx_elem e)
{
    if (e <= MXE_NONE || e >= MXE__COUNT)
        BUG("MX element format %d", (int)e);
    return &infos[e];
}

const struct sf_info *mx_elem_fi(enum mx_elem e)
{
    const struct mx_elem_info *in = mx_elem(e);
    return in->fi ? in->fi : in->sf >= 0 ? sf_info((enum sf_format)in->sf) : NULL;
}

int64_t mx_elem_int(enum mx_elem e, uint32_t code, unsigned *flags)
{
    const struct mx_elem_info *in = mx_elem(e);
    *flags = 0;
    if (code >> in->bits)
        BUG("0x%x is not a %d-bit MX element", (unsigned)code, in->bits);
    if (e == MXE_INT8)
        return (int64_t)(int8_t)(uint8_t)code;
    const struct sf_info *fi = mx_elem_fi(e);
    uint32_t top = (1u << fi->exp_bits) - 1, mmask = (1u << fi->man_bits) - 1;
    uint32_t ef = code >> fi->man_bits & top, mf = code & mmask;
    int neg = (int)(code >> (fi->bits - 1));
    if (!fi->finite_only && ef == top && (fi->has_inf || mf == mmask)) {
        *flags = fi->has_inf && !mf ? (neg ? MXF_NINF : MXF_PINF) : MXF_NAN;
        return 0;
    }
    /* value = m * 2^(E - bias - man), E >= 1; times 2^P = m * 2^(E - 1) */
    int64_t m = ef ? (int64_t)(mf | (mmask + 1)) : (int64_t)mf;
    int64_t v = m << (ef ? ef - 1 : 0);
    return neg ? -v : v;
}

static int signed_bits(int64_t pos, int64_t neg)
{
    int w = 2;
    while (pos > ((int64_t)1 << (w - 1)) - 1 || neg > (int64_t)1 << (w - 1))
        w++;
    return w;
}

int mx_elem_bits(enum mx_elem e)
{
    const struct mx_elem_info *in = mx_elem(e);
    return signed_bits(in->max_pos, in->max_neg);
}

int mx_sum_bits(enum mx_elem e, long c)
{
    /* +-element: symmetric, -(-128) of int8 included */
    const struct mx_elem_info *in = mx_elem(e);
    int64_t m = (int64_t)c * (in->max_pos > in->max_neg ? in->max_pos : in->max_neg);
    return signed_bits(m, m);
}

int mx_scale_decode(enum mx_scale s, uint32_t code, uint32_t *ms, int *es)
{
    if (code > 255)
        BUG("scale code 0x%x", (unsigned)code);
    if (s == MXS_E8M0) {
        *ms = 1;
        *es = (int)code - 127;
        return code == 255;
    }
    if (s != MXS_UE4M3)
        BUG("MX scale kind %d", (int)s);
    uint32_t c = code & 0x7f, E = c >> 3, f = c & 7;
    *ms = E ? 8 + f : f;
    *es = (E ? (int)E : 1) - 7 - 3;
    return c == 0x7f;
}

uint32_t mx_scale_one(enum mx_scale s)
{
    return s == MXS_E8M0 ? 127 : 0x38;
}

uint32_t mx_block_convert(enum sf_format f, enum mx_elem e, enum mx_scale s, int64_t sum,
                          unsigned flags, uint32_t scale_code)
{
    const struct sf_info *fi = sf_info(f);
    uint32_t ms;
    int es;
    int nan_scale = mx_scale_decode(s, scale_code, &ms, &es);
    int pinf = (flags & MXF_PINF) != 0, ninf = (flags & MXF_NINF) != 0;
    if (nan_scale || (flags & MXF_NAN) || (pinf && ninf))
        return fi->qnan;
    if (pinf || ninf) {
        if (!ms) /* Inf * 0 */
            return fi->qnan;
        return (uint32_t)ninf << (fi->bits - 1) |
               ((1u << fi->exp_bits) - 1) << fi->man_bits;
    }
    uint64_t mag = sum < 0 ? (uint64_t)0 - (uint64_t)sum : (uint64_t)sum;
    if (mag >> 58)
        BUG("MX block sum out of range");
    return sf_scaled_int(f, sum < 0, mag * ms, es - mx_elem(e)->point);
}
