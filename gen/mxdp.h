/* mxdp.h - block-scaled (OCP MX, NVFP4) datapath pieces shared by tlut and tsign. */
#ifndef TF_GEN_MXDP_H
#define TF_GEN_MXDP_H

#include "dp.h"
#include "inventory.h"
#include "vw.h"

/* Stage 1: `ai` = the element integers of the tile (elem_bits each) and,
 * for formats with special values, fl_n/fl_p/fl_m = per lane NaN, +Inf,
 * -Inf; `sc1` = the block's scale code. */
void mx_decode(const struct design_point *dp, struct vw *v, struct inventory *inv);
/* tf (K * mx_flags bits: per output {-Inf, +Inf, NaN}) = the OR over
 * i < n of what `body` (Verilog statements over ik, i) ORs in. */
void mx_flags_or(const struct design_point *dp, struct vw *v, int n, const char *body);
/* After the integer trees (iroot<k> at the integer tree end) and the
 * per-output flags tfn/tfp/tfm (K bits each, valid at stage `fstage`):
 * the block accumulators and block converters; emits root<k> (acc_type)
 * at d->tree_end for the shell's FP accumulator. */
void mx_blocks(const struct design_point *dp, struct vw *v, struct inventory *inv,
               int fstage);
/* Add tf_mxdec.v and tf_mxconv.v (block-scaled points only). */
void mx_templates(const struct design_point *dp, struct gen_files *out);

#endif
