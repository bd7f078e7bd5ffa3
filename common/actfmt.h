/* actfmt.h - the table of activation and sum formats (formats.def) and
 * the derivation every kind with an act_type shares: lane and sum widths,
 * the sum format acc_type=auto picks, exact widening. */
#ifndef TF_ACTFMT_H
#define TF_ACTFMT_H

#include "dp.h"
#include "softfloat.h"

/* No floating-point format: integer lanes, or acc_type=auto. */
#define SF_NONE (-1)

_Static_assert(ACC__COUNT <= 32, "act_format.acc_exact has a bit per sum format");

struct act_format {
    const char *name;      /* the value of act_type= */
    int width;             /* bits of a lane; 0: act_width bits */
    int sf;                /* enum sf_format of a lane, or SF_NONE (integers) */
    enum acc_type acc_auto;/* the sum format of acc_type=auto (FP) */
    unsigned acc_exact;    /* bit ACC_x: the lanes widen exactly into x */
};

struct acc_format {
    const char *name;      /* the value of acc_type= */
    int sf;                /* enum sf_format of the sums, or SF_NONE (auto) */
};

extern const struct act_format act_formats[ACT__COUNT];
extern const struct acc_format acc_formats[ACC__COUNT];

/* Derive the point's activation and sum formats: d->fp, d->lane_in_bits,
 * and for FP lanes the formats (act_fmt, acc_fmt), the sum's widths
 * (acc_bits, term_bits, lane_bits, acc_exp, acc_man), acc_lat and spacing.
 * Checks that act_width/acc_width and acc_type/fp_latency are given only
 * where they apply and that the lanes widen exactly. Prints every error
 * (prefixed by `loc`), returns their number. */
int act_format_derive(struct design_point *dp, const char *loc);

#endif
