/* ternary.h - what the kinds with ternary weights share (the kinds with
 * KF_TERNARY in common/kinds.def): the activation formats (act_type,
 * act_width, acc_type, fp_latency), input checks, memory format and test
 * values. Their ops use these; generic code does not. */
#ifndef TF_TERNARY_H
#define TF_TERNARY_H

#include "actfmt.h"
#include "kind.h"

/* Derive the activation and sum formats (common/actfmt.c): d->fp, the
 * lane and sum widths; for integer activations the exact accumulator, a
 * sum over up to max_cols terms of magnitude <= 2^(w-1) (|weight| <= 1).
 * (Weights cross the memory interface as the kind streams them: wgt_bits
 * per beat, model/cost.c.)
 * The first step of each ternary kind's derive; returns the errors.
 * Inline: sweeps derive every point. */
static inline int ternary_derive(struct design_point *dp, const char *loc)
{
    struct dp_derived *d = &dp->d;
    int errs = act_format_derive(dp, loc);
    if (!d->fp) {
        d->acc_need = d->lane_in_bits + flog2((uint64_t)dp->max_cols) + 1;
        d->lane_signed = 1;
    }
    return errs;
}
/* W in {-1, 0, 1}, X within the activation format, shapes. */
int ternary_check_inputs(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X);
/* Test values: activation codes (FP: every bit pattern), weights +-1. */
void ternary_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi);
int64_t ternary_weight_extreme(const struct design_point *dp, int positive);
int64_t ternary_random_weight(const struct design_point *dp, struct rng *r, int density);

#endif
