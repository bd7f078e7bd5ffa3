/* shell_inv.h (model side) - analytic inventory of the streaming shell and
 * the adder trees shared by every core kind, and of the floating-point
 * pieces the ternary kinds share (widening, FP trees), from the parameters
 * alone. The emitters (gen/shell.c, gen/fpdp.c) count what they write;
 * tests compare the two.
 *
 * Inline in every kind's inventory: the cost model sums the inventory of
 * millions of points (kind_ops.tally), and inlined into a tally whose
 * sums are local, each item is an add or two in registers. */
#ifndef TF_SHELL_INV_H
#define TF_SHELL_INV_H

#include "inventory.h"
#include "kind.h"
#include "mx.h"

/* An integer tree of n terms has n - 1 adders, those of level lv (from 1)
 * bits + lv wide: tree_lv_sums[n] is the sum of lv over its adders, for
 * n up to TREE_LV_SUMS_MAX (model/kinds.c, before main() runs). */
#define TREE_LV_SUMS_MAX 1024
extern long tree_lv_sums[TREE_LV_SUMS_MAX + 1];

/* The trees, like every part of a kind's datapath, are built once per
 * column of a batch (gen/shell.c, emit_datapath_batch). */
INV_INLINE void tree_inventory(const struct design_point *dp, struct inventory *inv, int n, int bits)
{
    const struct dp_derived *d = &dp->d;
    long K = d->acc_lanes;
    uint32_t cuts = tree_cut_mask(dp);
    if (cuts & 1)
        inv_add(inv, COMP_PIPELINE, PRIM_REG, bits, 0, K * n);
    if (inv->tally && !(cuts >> 1) && n == d->tree_terms && n >= 1 && n <= TREE_LV_SUMS_MAX) {
        /* a tally without registers inside the tree: the adders' bits at
         * once (integers, any order), not a loop over the levels */
        inv_add(inv, COMP_ADDER_TREE, PRIM_ADD, 1, 2,
                K * ((long)bits * (n - 1) + tree_lv_sums[n]));
        return;
    }
    for (int lv = 1; lv <= d->tree_levels; lv++) {
        inv_add(inv, COMP_ADDER_TREE, PRIM_ADD, bits + lv, 2, K * (n / 2));
        n = (n + 1) / 2;
        if (cuts >> lv & 1)
            inv_add(inv, COMP_PIPELINE, PRIM_REG, bits + lv, 0, K * n);
    }
}

/* FP trees keep the sum format; an odd last term waits beside the adders
 * of its level in fp_latency registers. n terms need n-1 adders, all
 * alike (one item). Level lv (from 1) pairs ceil(n/2^(lv-1)) terms, odd
 * exactly when bit lv-1 of n-1 is 0: levels - popcount(n-1) odd levels.
 * A cut after level lv registers ceil(n/2^lv) sums. All these registers
 * are w bits wide: one item. */
INV_INLINE void fp_tree_inventory(const struct design_point *dp, struct inventory *inv, int n,
                                  int acts_first)
{
    const struct dp_derived *d = &dp->d;
    long K = d->acc_lanes;
    int w = d->acc_bits, lat = (int)dp->fp_latency;
    long regs = 0;
    for (uint32_t m = tree_cut_mask(dp); m; m &= m - 1) {
        int lv = __builtin_ctz(m);
        regs += ((long)n + (1L << lv) - 1) >> lv;
    }
    if (n > 1)
        regs += (long)lat * (d->tree_levels - popcount32((uint32_t)n - 1));
    inv_add(inv, COMP_PIPELINE, PRIM_REG, w, 0, K * regs);
    /* acts_first: the first level adds two widened activations
     * (FP_ACTS_INPUTS): a sign-flip tree's, or a multiplier tree's two of
     * their products by ternary weights */
    long first = acts_first ? n / 2 : 0;
    inv_add(inv, COMP_ADDER_TREE, PRIM_FPADD, w, FP_ACTS_INPUTS(dp, lat), K * first);
    inv_add(inv, COMP_ADDER_TREE, PRIM_FPADD, w, FP_INPUTS(d->acc_man, lat), K * (n - 1 - first));
}

/* `lanes` of one column's datapath; widened in each column of a batch. */
INV_INLINE void fp_widen_inventory(const struct design_point *dp, struct inventory *inv, long lanes)
{
    const struct dp_derived *d = &dp->d;
    if (!d->mx && d->act_fmt != d->acc_fmt)
        inv_add(inv, COMP_ACT_BUFFER, PRIM_FPCVT, d->acc_bits, d->lane_in_bits, lanes * dp->batch);
}

INV_INLINE void shell_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int K = d->acc_lanes, acc = d->acc_bits;
    /* Activation buffer and its lane masks (a mask per lane of each
     * column, one comparison per lane: the columns share N). */
    /* (Two calls, each of a constant primitive: a tally indexes its sums
     * by constants only, so they stay in registers.) */
    if (d->act_sram)
        inv_add(inv, COMP_ACT_BUFFER, PRIM_SRAM, d->act_bits, d->buf_depth, 1);
    else
        inv_add(inv, COMP_ACT_BUFFER, PRIM_RAM, d->act_bits, d->buf_depth, 1);
    long live = d->tile_cols < dp->max_cols ? d->tile_cols : dp->max_cols;
    inv_add(inv, COMP_ACT_BUFFER, PRIM_SEL, d->lane_in_bits, 2, live * dp->batch);
    inv_add(inv, COMP_CONTROLLER, PRIM_CMP, d->col_bits, 0, live);
    /* The weight register of stage 1 (the kind's beat). */
    inv_add(inv, COMP_PIPELINE, PRIM_REG, d->kq_bits, 0, 1);
    /* Dense weights: per byte, four digits taken by two comparisons, a
     * 3-way choice of the multiple and a subtraction on the remainder
     * (8, 7, 5, 4 bits; rtl-templates/tf_tern5.v). */
    if (dp->weight_store == WS_DENSE) {
        long bytes = d->wgt_bits / 8;
        static const int rw[4] = { 8, 7, 5, 4 };
        for (int i = 0; i < 4; i++) {
            inv_add(inv, COMP_KEY_SELECT, PRIM_CMP, rw[i], 0, 2 * bytes);
            inv_add(inv, COMP_KEY_SELECT, PRIM_MUX, rw[i], 3, bytes);
            inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, rw[i], 2, bytes);
        }
    }
    /* Accumulators: adder (wide when saturating; FP: acc_lat stages),
     * first-tile mux, register. */
    if (d->fp) {
        inv_add(inv, COMP_ACCUMULATOR, PRIM_FPADD, acc, fp_acc_inputs(d), K);
    } else if (d->acc_sat) {
        int sw = (acc > d->tree_bits ? acc : d->tree_bits) + 1;
        inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, sw, 2, K);
        inv_add(inv, COMP_ACCUMULATOR, PRIM_MUX, acc, 3, K);
    } else {
        inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, acc, 2, K);
    }
    inv_add(inv, COMP_ACCUMULATOR, PRIM_SEL, acc, 2, K);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, acc, 0, K);
    /* Result FIFO: storage, read mux, pointers and count. */
    int fw = d->res_bits + 1, ptrb = clog2((uint64_t)dp->out_depth);
    if (d->fifo_sram) {
        /* macro; output register and its mux (rdata or a bypassed push);
         * pointers, count, two valid bits (rtl-templates/tf_sram_fifo.v) */
        inv_add(inv, COMP_OUT_FIFO, PRIM_SRAM, fw, (int)dp->out_depth, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, fw, 0, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_MUX, fw, 2, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, 3 * ptrb + 3, 0, 1);
    } else {
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, fw, 0, dp->out_depth);
        if (dp->out_depth > 1)
            inv_add(inv, COMP_OUT_FIFO, PRIM_MUX, fw, (int)dp->out_depth, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, 3 * ptrb + 1, 0, 1);
    }
    /* Controller: state, job and loop counters, credits, control pipe. */
    int ab = d->buf_addr_bits, cb = d->col_bits, rb = d->row_bits;
    int credb = clog2((uint64_t)dp->out_depth + 1);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 3, 0, 1);       /* state */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, cb, 0, 3);      /* n_q, lrem, crem */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, ab, 0, 2);      /* lbeat, ct */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, rb, 0, 1);      /* rrem */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, credb, 0, 1);   /* inflight */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 4, 0, d->tree_end); /* v/first/last/jlast */
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 3, 0, d->stages - d->tree_end);
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, cb, 2, 2);      /* lrem-TC, crem-TC */
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, ab, 2, 2);      /* lbeat+1, ct+1 */
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, rb, 2, 1);      /* rrem-K */
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, credb, 2, 2);   /* inflight +-1 */
    if (d->spacing > 1) {
        /* gap: cycles until the next weight beat (pipelined FP accumulator) */
        int gb = clog2((uint64_t)d->spacing);
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, gb, 0, 1);
        inv_add(inv, COMP_CONTROLLER, PRIM_ADD, gb, 2, 1);
    }
}

/* Block-scaled points (gen/mxdp.c, gen/shell.c under d->mx): what the
 * shell adds (sub-tile counters when a block takes several tiles, the
 * block-first/-last control bits), the element decoders, the scale
 * register of a prefetching core, the scale and flag delay lines to the
 * block accumulators, the block accumulators and their converters with
 * fp_latency output registers. The tables or sign-flip terms and the
 * integer trees are the kind's. With batch > 1 the controller's parts are
 * shared and the rest (each column's datapath) is there batch times. */
INV_INLINE void mx_inventory(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    long K = d->outputs, lat = dp->fp_latency, nf = d->mx_flags, bb = d->blk_bits;
    long nb = dp->batch, KB = K * nb;
    int ie = d->tree_end - (int)lat, tpb = mx_tpb(d);
    if (tpb > 1) {
        int sb = clog2((uint64_t)tpb);
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, sb, 0, 2);
        inv_add(inv, COMP_CONTROLLER, PRIM_ADD, sb, 2, 2);
    }
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 2, 0, ie);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 1, 0, d->stages - ie);
    const struct sf_info *fi = mx_elem_fi((enum mx_elem)d->mx_elem);
    if (fi) /* none for MXINT8: its code is its integer */
        inv_add(inv, COMP_DECODE, PRIM_MXDEC, d->elem_bits, MXDEC_INPUTS(fi->exp_bits, fi->man_bits),
                d->tile_cols * nb);
    if (d->prefetch)
        inv_add(inv, COMP_PIPELINE, PRIM_REG, d->scale_bits, 0, nb);
    inv_add(inv, COMP_PIPELINE, PRIM_REG, d->scale_bits, 0, (ie - 1) * nb);
    if (nf)
        inv_add(inv, COMP_PIPELINE, PRIM_REG, (int)(K * nf), 0, (ie - 1) * nb);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, (int)bb, 2, KB);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_SEL, (int)bb, 2, KB);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, (int)bb, 0, KB);
    if (nf)
        inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, (int)nf, 0, KB);
    inv_add(inv, COMP_CONVERT, PRIM_MXCONV, d->acc_bits,
            MXCONV_INPUTS((int)bb, d->acc_man, d->mx_scale == MXS_UE4M3), KB);
    inv_add(inv, COMP_CONVERT, PRIM_REG, d->acc_bits, 0, KB * lat); /* inside u_cv */
}

#endif
