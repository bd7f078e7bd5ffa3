/* ternary.c - what the kinds with ternary weights share: activation
 * formats, input checks and test values (see ternary.h). */
#include "ternary.h"

#include "rng.h"
#include "softfloat.h"

/* Activation and sum formats. Sets d->fp and, for FP, the formats and
 * lane widths; the kind's derive uses them. */
int ternary_derive_act(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    d->fp = dp->act_type != ACT_INT;
    if (!d->fp) {
        if (dp->acc_type != ACC_AUTO) {
            error("%s: error: core: acc_type applies to floating-point act_type only", loc);
            errs++;
        }
        if (dp->fp_latency != 0) { /* 0 is every core's, so sweeps may list it */
            error("%s: error: core: fp_latency applies to floating-point act_type only", loc);
            errs++;
        }
        d->lane_in_bits = (int)dp->act_width;
        /* Exact sum over up to max_cols terms of magnitude <= 2^(w-1). */
        d->acc_need = (int)dp->act_width + flog2((uint64_t)dp->max_cols) + 1;
        d->lane_signed = 1;
        return errs;
    }
    static const int act_fmt[] = { 0, SF_FP16, SF_BF16, SF_FP8E4M3, SF_FP8E5M2 };
    static const int acc_fmt[] = { 0, SF_FP16, SF_BF16, SF_FP32 };
    if (dp_was_set(dp, PI_act_width)) {
        error("%s: error: core: act_width applies to act_type=int only (%s is %d bits)", loc,
              act_type_names[dp->act_type], sf_info(act_fmt[dp->act_type])->bits);
        errs++;
    }
    if (dp_was_set(dp, PI_acc_width)) {
        error("%s: error: core: acc_width applies to act_type=int only (the sum format is "
              "acc_type)", loc);
        errs++;
    }
    d->act_fmt = act_fmt[dp->act_type];
    long acc = dp->acc_type;
    if (acc == ACC_AUTO)
        acc = dp->act_type == ACT_BF16 ? ACC_BF16 : ACC_FP16;
    d->acc_fmt = acc_fmt[acc];
    if ((dp->act_type == ACT_FP16 && acc == ACC_BF16) ||
        (dp->act_type == ACT_BF16 && acc == ACC_FP16)) {
        error("%s: error: core: act_type=%s does not convert exactly into acc_type=%s; use "
              "fp32 or the activation type", loc, act_type_names[dp->act_type],
              acc_type_names[acc]);
        errs++;
    }
    const struct sf_info *ai = sf_info(d->act_fmt), *si = sf_info(d->acc_fmt);
    d->lane_in_bits = ai->bits;
    d->acc_exp = si->exp_bits;
    d->acc_man = si->man_bits;
    d->acc_bits = si->bits;
    d->term_bits = si->bits;
    d->lane_bits = si->bits;
    d->lane_signed = 0; /* results are bit patterns */
    d->acc_lat = (int)dp->fp_latency;
    d->spacing = (int)dp->fp_latency + 1;
    return errs;
}

int ternary_check_inputs(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X)
{
    int errs = check_shape(dp, W, X);
    if (mat_check_range(W, -1, 1, "weight"))
        errs++;
    int64_t lo, hi;
    ternary_act_range(dp, &lo, &hi);
    char what[64];
    if (dp->d.fp)
        snprintf(what, sizeof what, "activation bit pattern (%s)", act_type_names[dp->act_type]);
    else
        snprintf(what, sizeof what, "activation (act_width=%ld)", dp->act_width);
    if (mat_check_range(X, lo, hi, what))
        errs++;
    return errs ? -1 : 0;
}


void ternary_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi)
{
    if (dp->d.fp) { /* bit patterns */
        *lo = 0;
        *hi = ((int64_t)1 << dp->d.lane_in_bits) - 1;
    } else {
        *hi = ((int64_t)1 << (dp->act_width - 1)) - 1;
        *lo = -*hi - 1;
    }
}

int64_t ternary_weight_extreme(const struct design_point *dp, int positive)
{
    (void)dp;
    return positive ? 1 : -1;
}

int64_t ternary_random_weight(const struct design_point *dp, struct rng *r, int density)
{
    (void)dp;
    if (rng_range(r, 0, 99) >= density)
        return 0;
    return rng_range(r, 0, 1) ? 1 : -1;
}
