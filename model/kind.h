/* kind.h - one core kind = one unit. Each kind registers what it owns in a
 * `struct kind_ops` (model/<kind>.c): the derivation and checks of its
 * parameters, its bit-exact C model, its stream packing, its analytic
 * component inventory, its part of the critical path and its test
 * values. Its Verilog emitter is gen/<kind>.c (gen/kinds.h).
 * Generic code reaches a kind only through these tables, which
 * common/kinds.def lists: no code outside the kinds' files names one.
 * This file also holds what every kind shares: dp_finalize() and
 * dp_load(), the checks of input shapes, the integer activation stream,
 * the weight grid and the result beat. */
#ifndef TF_KIND_H
#define TF_KIND_H

#include "dp.h"
#include "fixq.h"
#include "inventory.h"
#include "matrix.h"
#include "util.h"

struct paths;
struct rng;
struct problem_sink;

/* The slowest segment of a walk: its delay and name. */
struct path_end {
    double worst;
    const char *name;
};

/* A kind's part of the critical path (model/path.h), written once and
 * compiled twice by PATH_FN: for the fast walk of cost_eval, with the
 * walk's state in registers (the arguments after dp, as struct paths has
 * them) and no per-term counts, and for the tracked walk. `cuts` is
 * tree_cut_mask(dp). */
struct kind_path {
    struct path_end (*fast)(const struct design_point *dp, const double *delay, double cur,
                            double worst, int wmax, const char *worst_name, uint32_t cuts);
    void (*tracked)(const struct design_point *dp, struct paths *ps, uint32_t cuts);
};

/* The class of a derived point's activations, which most tests of the
 * cost model's tally and walk depend on: integer, element-wise FP
 * (d->fp), block-scaled (d->mx; d->fp is set too). Branch-free. */
enum act_class { AC_INT, AC_FP, AC_MX, AC__COUNT };
static inline int act_class_of(const struct dp_derived *d)
{
    return (d->mx != 0) * 2 + ((d->fp != 0) & (d->mx == 0));
}
/* Tells the compiler that the point's class is `cls` (a constant, as
 * act_class_of() found it; -1: any), so tests of d->fp and d->mx fold. */
#define ASSUME_ACT_CLASS(d, cls)                                                        \
    do {                                                                                 \
        if ((cls) == AC_INT && ((d)->fp || (d)->mx))                                     \
            __builtin_unreachable();                                                     \
        if ((cls) == AC_FP && (!(d)->fp || (d)->mx))                                     \
            __builtin_unreachable();                                                     \
        if ((cls) == AC_MX && !(d)->mx)                                                  \
            __builtin_unreachable();                                                     \
    } while (0)

/* What cost_eval asks of a kind in one call: the tally of its inventory
 * and its part of the fast walk (TALLY_PATH_FN, model/path.h). */
typedef struct path_end (*tally_path_fn)(const struct design_point *dp, struct inv_tally *ty,
                                         inv_sink_fn sink, void *ctx, const double *delay,
                                         double worst, const char *worst_name, uint32_t cuts);

struct kind_ops {
    /* Check the kind's parameters and derive its part of dp->d: at least
     * outputs, tile_cols, tree_terms, term_bits, wgt_bits and
     * latency; for integer sums acc_need; for an activation format
     * act_format_derive()'s fields; optionally term_depth and prefetch.
     * `loc` prefixes messages ("file:line" or ""). Returns the number of
     * errors printed. dp_finalize() then derives the shell from these. */
    int (*derive)(struct design_point *dp, const char *loc);
    /* Check W (M x N) and X (N x B) against the point; errors name file:line. */
    int (*check_inputs)(const struct design_point *dp, const struct matrix *W,
                        const struct matrix *X);
    /* Bit-exact model of the core: Y (M x B) = W X as the hardware computes it,
     * step by step. The reference: co-simulation and the tests use it. */
    void (*model)(const struct design_point *dp, const struct matrix *W,
                  const struct matrix *X, struct matrix *Y);
    /* Optional: the same bits computed at native speed (model/fastmodel.c),
     * rows split over `jobs` threads; the result does not depend on jobs. */
    void (*model_fast)(const struct design_point *dp, const struct matrix *W,
                       const struct matrix *X, struct matrix *Y, int jobs);
    /* The weight stream of one job, one hex beat per line. The keys or
     * weights of padding rows and columns are don't-care: zero when
     * `junk` is NULL (`ternforge pack`), else random legal ones drawn
     * from it (co-simulation: a core that reads them fails). */
    void (*pack_weights)(const struct design_point *dp, const struct matrix *W,
                         struct rng *junk, struct strbuf *out);
    /* The activation stream of one job: columns col .. col+batch-1 of X
     * (docs/protocol.md). Don't-care lanes (past N, block padding, slots
     * past X's last column) are zero, or random bits from `junk`. */
    void (*pack_acts)(const struct design_point *dp, const struct matrix *X, int col,
                      struct rng *junk, struct strbuf *out);
    /* Components, computed from the parameters alone. */
    void (*inventory)(const struct design_point *dp, struct inventory *inv);
    /* The same inventory summed: inv_tally_run(inventory, ...), with the
     * inventory inlined (what the cost model prices per point). */
    void (*tally)(const struct design_point *dp, struct inv_tally *t, inv_sink_fn sink,
                  void *ctx);
    /* Timing (model/path.h): the walk from the weight register (stage 1)
     * to the result FIFO: the kind's datapath to the terms, the adder
     * trees and accumulators (p_tree_acc()), and any stage after them
     * (fixp: the conversion). The shell's stages before stage 1 are
     * model/cost.c's. */
    struct kind_path path;
    /* tally and path.fast in one call, compiled once per activation class
     * (TALLY_PATH_FN, model/path.h): what cost_eval prices a point with,
     * tally_path[act_class_of(&dp->d)]. */
    tally_path_fn tally_path[AC__COUNT];
    /* Optional: fill the kind's tables once per process (cost_init()). */
    void (*init)(void);
    /* Test values: the range of activation codes, the largest weight of
     * either sign and a random legal weight (non-zero with `density`%). */
    void (*act_range)(const struct design_point *dp, int64_t *lo, int64_t *hi);
    int64_t (*weight_extreme)(const struct design_point *dp, int positive);
    int64_t (*random_weight)(const struct design_point *dp, struct rng *r, int density);
    /* Optional: co-simulation problems of the kind's own corners, added
     * after the shared ones (tlut: every key code). */
    void (*corner_problems)(const struct design_point *dp, struct problem_sink *ps,
                            struct rng *r);
    /* weight_store=dense is supported: the weights are ternary and the
     * kind's weight beat is a function of the K x tile_cols weights of a
     * row group and tile (gen: struct shell's from_digits). */
    int dense;
    /* Optional: the fixed-point format of operand 'x', 'w' or 'y' (and for
     * 'y' the conversion's modes), for `quantize --operand`. */
    void (*fx_operand)(const struct design_point *dp, char operand, struct fx_format *f,
                       enum fx_quant *q, enum fx_ovf *o);
};

/* Every kind's ops, from the registry: tlut_ops, tsign_ops, ... */
#define KIND(E, name, flags) extern const struct kind_ops name##_ops;
#include "kinds.def"

/* The ops of kind `kind` (enum kind), and of the point's kind. Inline:
 * the cost model asks for them several times per point it prices. */
extern const struct kind_ops *const kind_table[KIND__COUNT];
TF_NORETURN void kind_bug(long kind);
/* Block-scaled streams (d->mx = k; docs/protocol.md): a tile never spans
 * two blocks. A full block takes mx_tpb() tiles; the last of them uses
 * k - (mx_tpb() - 1) * tile_cols lanes, the rest are padding. For other
 * formats a "block" is one tile. */
static inline int mx_tpb(const struct dp_derived *d)
{
    return d->mx ? (int)cdiv(d->mx, d->tile_cols) : 1;
}

/* Block-scaled, a row group of one block (its tiles fill the activation
 * buffer): the FP accumulator restarts at every tile (the first-tile flag
 * is the constant 1; the generator writes `c1_f <= 1'b1`), so it only ever
 * adds +0 to the block's value and synthesis removes the add: measured,
 * mx_e5m2_m2 has no fp32 add on its path (13.6 ns, 19.0 modelled with
 * one). */
static inline int mx_one_block(const struct dp_derived *d)
{
    int tpb = mx_tpb(d);
    return d->mx && tpb > 1 && d->buf_depth <= tpb;
}

/* `inputs` of the FP accumulators' adders: a flat synthesis drops them
 * in a row group of one block (measured, osu018 mx_e5m2_m2: the flat core
 * is the hierarchical one less its two kept u_acc adders, within 0.6 %). */
static inline int fp_acc_inputs(const struct dp_derived *d)
{
    return mx_one_block(d) ? FP_FLAT_DEAD_INPUTS(d->acc_man, d->acc_lat)
                           : FP_INPUTS(d->acc_man, d->acc_lat);
}

/* Tiles (activation beats, weight beats per row group) of n inputs. */
static inline long tiles_of(const struct dp_derived *d, long n)
{
    if (!d->mx)
        return cdiv(n, d->tile_cols);
    long nb = cdiv(n, d->mx);
    return (nb - 1) * mx_tpb(d) + cdiv(n - (nb - 1) * d->mx, d->tile_cols);
}

/* The input column of lane p of tile t: -1 for a padding lane inside a
 * block (the caller also compares it with N). */
static inline long tile_col(const struct dp_derived *d, long t, int p)
{
    if (!d->mx)
        return t * d->tile_cols + p;
    long tpb = mx_tpb(d), off = t % tpb * d->tile_cols + p;
    return off < d->mx ? t / tpb * d->mx + off : -1;
}

static inline const struct kind_ops *kind_ops_of(long kind)
{
    if ((unsigned long)kind >= KIND__COUNT)
        kind_bug(kind);
    return kind_table[kind];
}
static inline const struct kind_ops *kind_get(const struct design_point *dp)
{
    return kind_ops_of(dp->kind);
}

/* Y = W X through the kind's model_fast (its model when it has none),
 * with `jobs` threads (`ternforge run --jobs`). */
void kind_model_fast(const struct design_point *dp, const struct matrix *W,
                     const struct matrix *X, struct matrix *Y, int jobs);
/* A reference model (which indexes int64 values) on matrices of any
 * element type: compact ones widened into copies for the call. */
void model_wide(void (*model)(const struct design_point *, const struct matrix *,
                              const struct matrix *, struct matrix *),
                const struct design_point *dp, const struct matrix *W, const struct matrix *X,
                struct matrix *Y);

/* Check the combination and derive dp->d (the kind's part, then the
 * shell's). Prints every error, returns the number of errors. */
int dp_finalize(struct design_point *dp);
/* dp_read() and dp_finalize(): load a parameter file (XML) into dp,
 * apply overrides and finalize. Returns 0 or prints all errors and
 * returns -1. */
int dp_load(struct design_point *dp, const char *path, char **sets, int nsets);

/* Where a kind's corner problems go: add() appends an M x N (W) by N x B
 * (X) problem of zeros named `name` and returns its matrices to fill. */
struct problem_sink {
    void (*add)(struct problem_sink *s, int M, int N, int B, const char *name,
                struct matrix **W, struct matrix **X);
};

/* Results: decode one result beat (hex) into acc_lanes = K x batch signed
 * values (lane c*K + k: output k of the job's column c). */
int unpack_result_beat(const struct design_point *dp, const char *hex, size_t n,
                       int64_t *vals);

/* Input checks: W and X agree and fit the core (returns the error count). */
int check_shape(const struct design_point *dp, const struct matrix *W, const struct matrix *X);
/* Block-scaled points: X->scales (if any) is ceil(N/k) x B codes of 8
 * bits; errors name the scale file. Returns the error count. */
int mx_check_scales(const struct design_point *dp, const struct matrix *X);

/* Test values through the kind's ops; kind_random_act draws interesting
 * patterns for FP activations and uniform codes otherwise. */
void kind_act_range(const struct design_point *dp, int64_t *lo, int64_t *hi);
int64_t kind_weight_extreme(const struct design_point *dp, int positive);
int64_t kind_random_weight(const struct design_point *dp, struct rng *r, int density);
int64_t kind_random_act(const struct design_point *dp, struct rng *r);
/* What a packer writes in a don't-care weight: 0 without `junk`, else a
 * random non-zero legal weight (a zero would hide a core that reads it). */
int64_t kind_junk_weight(const struct design_point *dp, struct rng *junk);

/* The weight stream of kinds with one code per weight (tsign, tmul, fixp):
 * weight (k, p) of beat (rg, t) at bits [(k*P + p)*WB +: WB], WB =
 * wgt_bits / (K*P), beats in the order rg, t; padding weights are
 * kind_junk_weight()s. */
void pack_weight_grid(const struct design_point *dp, const struct matrix *W,
                      uint64_t (*code)(const struct design_point *dp, int64_t w),
                      struct rng *junk, struct strbuf *out);

/* The weight stream of one job as the core reads it: the kind's
 * pack_weights, or with weight_store=dense 5 weights per byte (base 3,
 * digit w+1; weight i = k*tile_cols + p of a beat; docs/weights.md).
 * Don't-care weights and digits: zero, or junk (see pack_weights). */
void kind_pack_weights(const struct design_point *dp, const struct matrix *W,
                       struct rng *junk, struct strbuf *out);

/* Shared by all kinds: the activation stream of integer lanes (ops.pack_acts). */
void pack_int_acts(const struct design_point *dp, const struct matrix *X, int col,
                   struct rng *junk, struct strbuf *out);

#endif
