/* shell.h - the streaming shell every core kind shares: the controller,
 * the activation buffer, the weight register, the control pipeline, the
 * accumulators, the result FIFO and credits (docs/protocol.md). A kind
 * supplies only its datapath from {kq, ram_q} to one term per output. */
#ifndef TF_SHELL_H
#define TF_SHELL_H

#include "dp.h"
#include "inventory.h"
#include "vw.h"

struct shell {
    const char *title;   /* first line of tf_top.v's header */
    int prefetch;        /* read the buffer one weight beat ahead */
    /* Emit wires root0..root{K-1} of dp->d.tree_bits bits from kq (the
     * weight beat, valid in stage 1), ram_q (the activation tile) and the
     * control valids c<s>_v; stages 1..dp->d.stages. */
    void (*datapath)(const struct design_point *dp, struct vw *v, struct inventory *inv);
    /* Optional: emit lane0..lane{K-1} (dp->d.lane_bits) from sum0.. */
    void (*convert)(const struct design_point *dp, struct vw *v, struct inventory *inv);
    const char *weights_doc; /* where the weight stream is specified */
    /* weight_store=dense: emit wgt_native (dp->d.kq_bits, the kind's
     * weight beat) from wgt_d, the base-3 digit w+1 of weight i =
     * k*tile_cols + p at [2i +: 2]. NULL: the kind has no dense form. */
    void (*from_digits)(const struct design_point *dp, struct vw *v, struct inventory *inv);
};

char *emit_shell(const struct design_point *dp, const struct shell *sh,
                 struct inventory *inv);

/* Add tf_top.v (the shell around sh's datapath) and the leaf modules the
 * shell instantiates (tf_ram, tf_fifo) to `out`. */
void shell_files(const struct design_point *dp, const struct shell *sh,
                 struct gen_files *out, struct inventory *inv);

/* One port of the top, in declaration order: what emit_ports writes and
 * what manifest.json describes (docs/protocol.md, docs/integration.md). */
struct shell_port {
    const char *name;
    int output;          /* 1: output, 0: input */
    int bits;            /* 0: a scalar (one bit) */
    const char *role;    /* clock, reset, valid, ready, data, last, status */
    const char *stream;  /* cfg, act, wgt, res; NULL for clock, reset, busy */
};
#define SHELL_PORTS_MAX 32
/* The ports of dp's top into port[SHELL_PORTS_MAX]; returns how many. */
int shell_ports(const struct design_point *dp, struct shell_port *port);

/* K adder trees over n terms of `bits` bits: term (k, i) is
 * bus[(k*n + i)*bits +: bits], or with bus NULL the wire tw<k>_0_<i> the
 * caller declared and drives. Pipeline registers follow tree_cut_after();
 * the first cut is enabled by c<stage>_v. Emits root<k> (bits + levels). */
void emit_trees(const struct design_point *dp, struct vw *v, struct inventory *inv,
                const char *bus, int n, int bits, int stage);

/* "(sig <= bits'dv)", folded to 1'b1 when always true. */
char *le_const(const char *sig, int bits, long v);
/* v as a bits-wide literal, modulo 2^bits. */
char *lit(int bits, long v);

#endif
