/* ternary.c - what the kinds with ternary weights share: activation
 * formats, input checks and test values (see ternary.h). */
#include "ternary.h"

#include "actfmt.h"
#include "rng.h"

/* The activation format (common/actfmt.c), then for integer lanes the
 * exact accumulator: a sum over up to max_cols terms of magnitude <=
 * 2^(w-1). */
int ternary_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = act_format_derive(dp, loc);
    d->weight_mem_bits = 1.6;
    if (!d->fp) {
        d->acc_need = d->lane_in_bits + flog2((uint64_t)dp->max_cols) + 1;
        d->lane_signed = 1;
    }
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
