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

struct fp_sum_fmt fp_sum_fmts[ACT__COUNT][ACC__COUNT];

/* fp_sum_fmts, before main() runs (as dp_kind_params_, common/dp.c): the
 * rules fp_sum_derive applied at every point. */
__attribute__((constructor)) static void init_fp_sum_fmts(void)
{
    for (int a = 0; a < ACT__COUNT; a++)
        for (int c = 0; c < ACC__COUNT; c++) {
            const struct act_format *af = &act_formats[a];
            struct fp_sum_fmt *f = &fp_sum_fmts[a][c];
            int acc = c == ACC_AUTO ? (int)af->acc_auto : c;
            f->exact = (int)(af->acc_exact >> acc & 1);
            f->acc_fmt = (signed char)acc_formats[acc].sf;
            if (f->acc_fmt == SF_NONE) /* integer lanes: no sum format */
                continue;
            const struct sf_info *si = sf_info((enum sf_format)f->acc_fmt);
            f->acc_exp = (signed char)si->exp_bits;
            f->acc_man = (signed char)si->man_bits;
            f->bits = (signed char)si->bits;
            f->act_man = af->sf != SF_NONE && af->sf != f->acc_fmt
                             ? (signed char)sf_info((enum sf_format)af->sf)->man_bits
                             : 0;
        }
}

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
