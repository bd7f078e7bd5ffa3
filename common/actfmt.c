/* actfmt.c - the activation and sum formats (see actfmt.h, formats.def). */
#include "actfmt.h"

#include "util.h"

#define ACCS(e) (1u << ACC_##e)

const struct act_format act_formats[ACT__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale) \
    [ACT_##E] = { #name, width, sf, acc_auto, acc_exact, elem, k, scale },
#define ACC_FORMAT(E, name, sf)
#include "formats.def"
};

const struct acc_format acc_formats[ACC__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact, elem, k, scale)
#define ACC_FORMAT(E, name, sf) [ACC_##E] = { #name, sf },
#include "formats.def"
};

int act_format_derive_mx(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    const struct act_format *af = &act_formats[dp->act_type];
    const struct mx_elem_info *ei = mx_elem((enum mx_elem)af->elem);
    d->fp = 1;
    d->act_fmt = SF_NONE;
    int errs = fp_sum_derive(dp, af, loc);
    d->mx = af->k;
    d->mx_elem = af->elem;
    d->mx_scale = af->scale;
    d->elem_bits = mx_elem_bits((enum mx_elem)af->elem);
    d->elem_point = ei->point;
    d->mx_flags = ei->flag_bits;
    d->blk_bits = mx_sum_bits((enum mx_elem)af->elem, af->k);
    d->scale_bits = 8;
    /* tsign: a sign-flipped element; tlut sets its entries' width */
    d->term_bits = mx_sum_bits((enum mx_elem)af->elem, 1);
    return errs;
}
