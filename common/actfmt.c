/* actfmt.c - the activation and sum formats (see actfmt.h, formats.def). */
#include "actfmt.h"

#include "util.h"

#define ACCS(e) (1u << ACC_##e)

const struct act_format act_formats[ACT__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact) \
    [ACT_##E] = { #name, width, sf, acc_auto, acc_exact },
#define ACC_FORMAT(E, name, sf)
#include "formats.def"
#undef ACT_FORMAT
#undef ACC_FORMAT
};

const struct acc_format acc_formats[ACC__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact)
#define ACC_FORMAT(E, name, sf) [ACC_##E] = { #name, sf },
#include "formats.def"
#undef ACT_FORMAT
#undef ACC_FORMAT
};

int act_format_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    const struct act_format *af = &act_formats[dp->act_type];
    int errs = 0;
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
    d->act_fmt = af->sf;
    long acc = dp->acc_type;
    if (acc == ACC_AUTO)
        acc = af->acc_auto;
    d->acc_fmt = acc_formats[acc].sf;
    if (!(af->acc_exact >> acc & 1)) {
        error("%s: error: core: act_type=%s does not convert exactly into acc_type=%s; use "
              "fp32 or the activation type", loc, af->name, acc_formats[acc].name);
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
