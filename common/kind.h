/* kind.h - one core kind = one unit. Each kind registers the things it owns
 * in a `struct kind_ops`: its bit-exact C model, its stream packing, its
 * analytic component inventory and its Verilog emitter. Every command
 * reaches a kind only through this table. */
#ifndef TF_KIND_H
#define TF_KIND_H

#include "dp.h"
#include "inventory.h"
#include "matrix.h"
#include "util.h"

struct gen_files;

struct kind_ops {
    const char *name;
    /* Check W (M x N) and X (N x B) against the point; errors name file:line. */
    int (*check_inputs)(const struct design_point *dp, const struct matrix *W,
                        const struct matrix *X);
    /* Bit-exact model of the core: Y (M x B) = W X as the hardware computes it. */
    void (*model)(const struct design_point *dp, const struct matrix *W,
                  const struct matrix *X, struct matrix *Y);
    /* The weight stream of one job, one hex beat per line. */
    void (*pack_weights)(const struct design_point *dp, const struct matrix *W,
                         struct strbuf *out);
    /* The activation stream of one job (column `col` of X). */
    void (*pack_acts)(const struct design_point *dp, const struct matrix *X, int col,
                      struct strbuf *out);
    /* Components, computed from the parameters alone. */
    void (*inventory)(const struct design_point *dp, struct inventory *inv);
    /* The same inventory summed: inv_tally_run(inventory, ...), with the
     * inventory inlined (what the cost model prices per point). */
    void (*tally)(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                  void *ctx);
    /* Write the Verilog; count what was written into `counted` (never NULL:
     * generate() passes a scratch inventory when the caller wants none). */
    int (*emit)(const struct design_point *dp, struct gen_files *out,
                struct inventory *counted);
};

const struct kind_ops *kind_get(const struct design_point *dp);

/* Results: decode one result beat (hex) into K signed values. */
int unpack_result_beat(const struct design_point *dp, const char *hex, size_t n,
                       int64_t *vals);

/* Input checks: W and X agree and fit the core (returns the error count),
 * and the whole check for the ternary kinds (W in {-1,0,1}, X in range). */
int check_shape(const struct design_point *dp, const struct matrix *W, const struct matrix *X);
int check_ternary_inputs(const struct design_point *dp, const struct matrix *W,
                         const struct matrix *X);

struct rng;
/* Test values: the range of activation codes, the largest weight of
 * either sign, and a random legal weight (non-zero with `density`%). */
void kind_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi);
int64_t kind_weight_extreme(const struct design_point *dp, int positive);
int64_t kind_random_weight(const struct design_point *dp, struct rng *r, int density);
int64_t kind_random_act(const struct design_point *dp, struct rng *r);

/* The weight stream of kinds with one code per weight (tsign, tmul, fixp):
 * weight (k, p) of beat (rg, t) at bits [(k*P + p)*WB +: WB], WB =
 * wgt_bits / (K*P), beats in the order rg, t; padding weights are zero. */
void pack_weight_grid(const struct design_point *dp, const struct matrix *W,
                      uint64_t (*code)(const struct design_point *dp, int64_t w),
                      struct strbuf *out);

/* Shared by all kinds: the activation stream of integer lanes. */
void pack_int_acts(const struct design_point *dp, const struct matrix *X, int col,
                   struct strbuf *out);

#endif
