/* fixp.h - shared facts about the fixed-point MAC core (kind "fixp"). */
#ifndef TF_MODEL_FIXP_H
#define TF_MODEL_FIXP_H

#include "dp.h"
#include "inventory.h"

/* Components of the K result conversions (tf_fxconv instances): a
 * rounding incrementer, an overflow check and the saturation mux. Both the
 * analytic inventory and the emitter (which instantiates the leaf module)
 * use this one description of the hand-written module. */
void fxconv_inventory(const struct design_point *dp, struct inventory *inv);

#endif
