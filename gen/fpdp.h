/* fpdp.h - floating-point datapath pieces shared by the ternary kinds. */
#ifndef TF_GEN_FPDP_H
#define TF_GEN_FPDP_H

#include "dp.h"
#include "inventory.h"
#include "vw.h"

/* dst = the `lanes` activations of src widened into the sum format. */
void fp_widen(const struct design_point *dp, struct vw *v, struct inventory *inv,
              const char *src, int lanes, const char *dst);
/* K FP adder trees over n terms of bus (from control stage `stage`);
 * emits root<k>; returns the stage where the roots are valid. */
int fp_trees(const struct design_point *dp, struct vw *v, struct inventory *inv,
             const char *bus, int n, int stage);
/* Add the FP leaf modules a point uses: tf_fpadd, tf_fpmul (when the
 * datapath multiplies: `fpmul`) and tf_fpwiden (when activations and sums
 * differ). Nothing for integers. */
void fp_templates(const struct design_point *dp, struct gen_files *out, int fpmul);
/* A signal delayed by free-running registers from `from` to `to` cycles:
 * "<name>_d<k>", each counted `copies` times (instances of the module
 * being written); fp_dname() names it at delay d ("<name>" for 0). */
void fp_delay_chain(struct vw *v, struct inventory *inv, long copies, const char *name,
                    int bits, int from, int to);
void fp_dname(char *buf, size_t n, const char *name, int d);
/* The parameters of tf_fpadd/tf_fpmul: ".EXP(..), .MAN(..), .LATENCY(..)". */
void fp_params(const struct design_point *dp, char *buf, size_t n);

#endif
