/* ternary.c - what the kinds with ternary weights share: activation
 * formats, input checks and test values (see ternary.h). */
#include "ternary.h"

#include "rng.h"

int ternary_check_inputs(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X)
{
    int errs = check_shape(dp, W, X);
    if (mat_check_range(W, -1, 1, "weight"))
        errs++;
    int64_t lo, hi;
    ternary_act_range(dp, &lo, &hi);
    char what[64];
    if (dp->d.mx)
        snprintf(what, sizeof what, "element code (%s, %d bits)", act_type_names[dp->act_type],
                 dp->d.lane_in_bits);
    else if (dp->d.fp)
        snprintf(what, sizeof what, "activation bit pattern (%s)", act_type_names[dp->act_type]);
    else
        snprintf(what, sizeof what, "activation (act_width=%ld)", dp->act_width);
    if (mat_check_range(X, lo, hi, what))
        errs++;
    if (dp->d.mx)
        errs += mx_check_scales(dp, X);
    return errs ? -1 : 0;
}


void ternary_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi)
{
    if (dp->d.fp) { /* bit patterns */
        *lo = 0;
        *hi = ((int64_t)1 << dp->d.lane_in_bits) - 1;
    } else {
        *hi = ((int64_t)1 << (dp->d.lane_in_bits - 1)) - 1;
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
