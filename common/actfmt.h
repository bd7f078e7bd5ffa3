/* actfmt.h - the table of activation and sum formats (formats.def) and
 * the derivation every kind with an act_type shares: lane and sum widths,
 * the sum format acc_type=auto picks, exact widening. */
#ifndef TF_ACTFMT_H
#define TF_ACTFMT_H

#include "dp.h"
#include "mx.h"
#include "softfloat.h"
#include "util.h"

/* No floating-point format: integer lanes, or acc_type=auto. */
#define SF_NONE (-1)

_Static_assert(ACC__COUNT <= 32, "act_format.acc_exact has a bit per sum format");

struct act_format {
    const char *name;      /* the value of act_type= */
    int width;             /* bits of a lane; 0: act_width bits */
    int sf;                /* enum sf_format of a lane, or SF_NONE (integers) */
    enum acc_type acc_auto;/* the sum format of acc_type=auto (FP) */
    unsigned acc_exact;    /* bit ACC_x: the lanes widen exactly into x
                              (block-scaled: the converter rounds into x) */
    int elem;              /* enum mx_elem: block-scaled element, or MXE_NONE */
    int k;                 /* block size along N (0: element-wise) */
    int scale;             /* enum mx_scale */
};

struct acc_format {
    const char *name;      /* the value of acc_type= */
    int sf;                /* enum sf_format of the sums, or SF_NONE (auto) */
};

extern const struct act_format act_formats[ACT__COUNT];
extern const struct acc_format acc_formats[ACC__COUNT];

/* Block-scaled act_type (actfmt.c): the sums are FP (fp = 1, the acc_type
 * fields as for FP lanes), the elements integers of elem_bits. */
int act_format_derive_mx(struct design_point *dp, const char *loc);

/* The sum format of FP and block-scaled points: acc_type (auto: the
 * row's), its widths, acc_lat and spacing; checks act_width, acc_width
 * and that the row allows acc_type. Returns the errors. */
static inline int fp_sum_derive(struct design_point *dp, const struct act_format *af,
                                const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = 0;
    if (af->width && dp_was_set(dp, PI_act_width)) {
        error("%s: error: core: act_width applies to act_type=int only (%s is %d bits)", loc,
              af->name, af->width);
        errs++;
    }
    if (dp_was_set(dp, PI_acc_width)) {
        error("%s: error: core: acc_width applies to act_type=int only (the sum format is "
              "acc_type)", loc);
        errs++;
    }
    long acc = dp->acc_type;
    if (acc == ACC_AUTO)
        acc = af->acc_auto;
    d->acc_fmt = acc_formats[acc].sf;
    if (!(af->acc_exact >> acc & 1)) {
        error("%s: error: core: act_type=%s does not convert exactly into acc_type=%s; use "
              "fp32 or the activation type", loc, af->name, acc_formats[acc].name);
        errs++;
    }
    const struct sf_info *si = sf_info(d->acc_fmt);
    d->lane_in_bits = af->width;
    d->acc_exp = si->exp_bits;
    d->acc_man = si->man_bits;
    d->act_man = d->act_fmt != SF_NONE && d->act_fmt != d->acc_fmt
                     ? sf_info((enum sf_format)d->act_fmt)->man_bits
                     : 0;
    d->acc_bits = si->bits;
    d->term_bits = si->bits;
    d->lane_bits = si->bits;
    d->lane_signed = 0; /* results are bit patterns */
    d->acc_lat = (int)dp->fp_latency;
    d->spacing = (int)dp->fp_latency + 1;
    return errs;
}

/* Derive the point's activation and sum formats: d->fp, d->lane_in_bits,
 * and for FP lanes the formats (act_fmt, acc_fmt), the sum's widths
 * (acc_bits, term_bits, lane_bits, acc_exp, acc_man), acc_lat and spacing;
 * for block-scaled ones also the mx fields. Checks that act_width/acc_width
 * and acc_type/fp_latency are given only where they apply and that the
 * lanes widen exactly. Prints every error (prefixed by `loc`), returns
 * their number. Inline: a call would cost a fifth of deriving a point
 * (sweeps derive millions). */
static inline int act_format_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    const struct act_format *af = &act_formats[dp->act_type];
    int errs = 0;
    if (af->k)
        return act_format_derive_mx(dp, loc);
    d->fp = af->sf != SF_NONE;
    if (!d->fp) {
        if (dp->acc_type != ACC_AUTO) {
            error("%s: error: core: acc_type applies to floating-point act_type only", loc);
            errs++;
        }
        if (dp->fp_latency != 0) { /* 0 is every core's, so sweeps may list it */
            error("%s: error: core: fp_latency applies to floating-point act_type only", loc);
            errs++;
        }
        d->lane_in_bits = af->width ? af->width : (int)dp->act_width;
        return errs;
    }
    d->act_fmt = af->sf;
    return fp_sum_derive(dp, af, loc);
}


#endif
