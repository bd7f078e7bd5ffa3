/* fixp.h - shared facts about the fixed-point MAC core (kind "fixp"). */
#ifndef TF_MODEL_FIXP_H
#define TF_MODEL_FIXP_H

#include "dp.h"
#include "inventory.h"
#include "fixq.h"

/* Components of the K result conversions (tf_fxconv instances): a
 * rounding incrementer, an overflow check and the saturation mux. Both the
 * analytic inventory and the emitter (which instantiates the leaf module)
 * use this one description of the hand-written module. */
INV_INLINE void fxconv_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int K = d->acc_lanes, s = d->conv_shift, acc = d->acc_bits;
    /* Width of the rounded value before the overflow check. */
    int qw = s > 0 ? (acc > s + 1 ? acc - s : 1) + 1 : acc - s;
    if (s > 0 && dp->quant != FXQ_TRN)
        inv_add(inv, COMP_CONVERT, PRIM_ADD, qw, 2, K);
    if (qw > d->lane_bits || !dp->y_signed) {
        inv_add(inv, COMP_CONVERT, PRIM_CMP, qw, 0, K);
        if (dp->overflow != FXO_WRAP)
            inv_add(inv, COMP_CONVERT, PRIM_MUX, d->lane_bits, 2, K);
    }
}

#endif
