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

/* What fp_sum_derive takes from an (act_type, acc_type) pair: the sum
 * format (acc_type=auto resolved), its widths, the fraction bits of an
 * activation widened into it, whether the lanes widen exactly. Found
 * once from the two tables and sf_info() (actfmt.c, before main()
 * runs): two sf_info() calls and the resolution were about 20
 * instructions of every FP point a sweep derives. */
struct fp_sum_fmt {
    signed char acc_fmt, acc_exp, acc_man, act_man, bits, exact;
};
extern struct fp_sum_fmt fp_sum_fmts[ACT__COUNT][ACC__COUNT];

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
    const struct fp_sum_fmt *f = &fp_sum_fmts[dp->act_type][dp->acc_type];
    d->acc_fmt = f->acc_fmt;
    if (!f->exact) {
        long acc = dp->acc_type == ACC_AUTO ? (long)af->acc_auto : dp->acc_type;
        error("%s: error: core: act_type=%s does not convert exactly into acc_type=%s; use "
              "fp32 or the activation type", loc, af->name, acc_formats[acc].name);
        errs++;
    }
    d->lane_in_bits = af->width;
    d->acc_exp = f->acc_exp;
    d->acc_man = f->acc_man;
    /* the activation's format is af->sf (block-scaled: none, no widening) */
    d->act_man = f->act_man;
    d->acc_bits = f->bits;
    d->term_bits = f->bits;
    d->lane_bits = f->bits;
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
