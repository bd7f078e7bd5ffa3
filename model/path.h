/* path.h - the pieces of the critical-path walk (docs/cost-model.md,
 * "Timing"), shared by the cost model (model/cost.c: the shell's stages)
 * and each kind's ops.path (its datapath). The pipeline is cut into
 * register-to-register segments, each a sum of delay terms; the slowest
 * segment sets f_max.
 *
 * Segments are built left to right: `cur` accumulates the delay until a
 * register closes the segment. The per-term counts are kept only when
 * calibration asks for them (`tr`); without them the few scalars here stay
 * in registers. */
#ifndef TF_PATH_H
#define TF_PATH_H

#include <math.h>
#include <string.h>

#include "cost.h"
#include "kind.h"
#include "mx.h"
#include "softfloat.h"

struct track {
    double v[D__COUNT];       /* the current segment */
    double worst_v[D__COUNT]; /* the slowest segment so far */
};

struct paths {
    const double *delay;
    double cur, worst;
    int wmax;                 /* widest adder of the current segment */
    const char *worst_name;
    struct track *tr;
};

/* The walk's pieces are inlined into each caller: the fast walk (no
 * tracking) keeps its few scalars in registers and has every
 * `if (ps->tr)` folded away. */
#define PATH_INLINE static inline __attribute__((always_inline))

/* A kind's part of the walk (kind_ops.path) is written once, as a
 * PATH_INLINE function body(dp, ps, cuts), and compiled twice: body_fast
 * takes the walk's state in registers and works on a local walk known to
 * track nothing (so its scalars stay in registers: through a pointer they
 * would go through memory at every term), body_tracked on the walk itself.
 * PATH_OPS(body) names the pair. */
#define PATH_FN(body)                                                              \
    static struct path_end body##_fast(const struct design_point *dp,             \
                                       const double *delay, double cur,           \
                                       double worst, int wmax,                    \
                                       const char *worst_name, uint32_t cuts)     \
    {                                                                              \
        struct paths l = { delay, cur, worst, wmax, worst_name, NULL };           \
        body(dp, &l, cuts);                                                        \
        return (struct path_end){ l.worst, l.worst_name };                        \
    }                                                                              \
    static void body##_tracked(const struct design_point *dp, struct paths *ps,    \
                               uint32_t cuts)                                      \
    {                                                                              \
        body(dp, ps, cuts);                                                        \
    }
#define PATH_OPS(body) { body##_fast, body##_tracked }

/* What cost_eval asks of a kind in one call: the tally of its inventory
 * (name##_inventory through inv_tally_run) and, when `delay` is not NULL
 * (a technology with delay terms), its part of the fast walk
 * (name##_path), from the shell's slowest segment so far (worst,
 * worst_name; the shell's last segment is closed, so the walk starts at
 * 0). Both visit the same point: one call instead of two, one dispatch on
 * the kind, and the point's fields loaded once for both (about 40
 * instructions a point). The walk does not read the tally, nor the tally
 * the walk: the results are those of the two calls.
 *
 * Compiled once per activation class (enum act_class: integer, FP,
 * block-scaled), the class a constant in each copy: name##_tally_path_int,
 * _fp and _mx, which TALLY_PATH_OPS(name) lists for kind_ops.tally_path[]
 * in that order. The tests of d->fp and d->mx inside the tally and the
 * walk (a dozen a point) fold where the compiler can, and those left
 * always go the same way in their copy: in a sweep that mixes classes
 * (the bench's mixed loop, a sweep over act_type) each could be a branch
 * the predictor misses, now the one branch on the class there is the
 * choice of the copy, at cost_eval's call of the kind (model/cost.c,
 * eval_core: tally_path[act_class_of(d)]). A kind with one class (fixp:
 * integer) uses TALLY_PATH_FN_ANY, one copy for every class. */
#define TALLY_PATH_BODY(name, cls, suffix)                                             \
    static struct path_end name##_tally_path_##suffix(                             \
        const struct design_point *dp, struct inv_tally *ty, inv_sink_fn sink,     \
        void *ctx, const double *delay, double worst, const char *worst_name,      \
        uint32_t cuts)                                                             \
    {                                                                              \
        /* inv_tally_run, the class told after the tally's clearing and   \
         * again after the sink's calls: to the compiler both may change  \
         * the point (they do not), and it would load the class again */  \
        struct inventory inv;                                                      \
        inv_tally_begin(&inv, ty, sink, ctx);                                      \
        ASSUME_ACT_CLASS(&dp->d, cls);                                             \
        name##_inventory(dp, &inv);                                                \
        if (!delay)                                                                \
            return (struct path_end){ worst, worst_name };                        \
        ASSUME_ACT_CLASS(&dp->d, cls);                                             \
        struct paths l = { delay, 0, worst, 0, worst_name, NULL };                \
        name##_path(dp, &l, cuts);                                                 \
        return (struct path_end){ l.worst, l.worst_name };                        \
    }
#define TALLY_PATH_FN(name)                                                        \
    TALLY_PATH_BODY(name, AC_INT, int)                                             \
    TALLY_PATH_BODY(name, AC_FP, fp)                                               \
    TALLY_PATH_BODY(name, AC_MX, mx)
#define TALLY_PATH_OPS(name)                                                       \
    { name##_tally_path_int, name##_tally_path_fp, name##_tally_path_mx }
#define TALLY_PATH_FN_ANY(name) TALLY_PATH_BODY(name, -1, any)
#define TALLY_PATH_OPS_ANY(name)                                                   \
    { name##_tally_path_any, name##_tally_path_any, name##_tally_path_any }

/* log2 of small integers, from a table (cost_init() fills it): sweeps
 * call this millions of times. */
#define PATH_LG_MAX 4096
extern double path_lg_tab[PATH_LG_MAX + 1];

PATH_INLINE double lg(int n)
{
    /* A constant power of two (the 2- and 4-input muxes of the shell and
     * the accumulator) is its exponent, the table's value (log2 is exact
     * there): no load, and a multiplication by 1 folds away. */
    if (__builtin_constant_p(n) && n >= 1 && (n & (n - 1)) == 0)
        return __builtin_ctz((unsigned)n);
    if (n >= 0 && n <= PATH_LG_MAX)
        return path_lg_tab[n];
    return n > 1 ? log2(n) : 0;
}

PATH_INLINE void term(struct paths *ps, enum dterm d, double n)
{
    ps->cur += n * ps->delay[d];
    if (ps->tr)
        ps->tr->v[d] += n;
}

/* Adders in these flows are ripple-carry (Yosys $alu, ABC at a relaxed
 * clock). In a chain of adders the carries of the next one start as the
 * low bits of the previous one settle, so a segment pays one ripple of its
 * widest adder plus a step per adder (D_ADD0). */
PATH_INLINE void seg_close(struct paths *ps, const char *name)
{
    term(ps, D_CARRY, ps->wmax);
    ps->wmax = 0;
    term(ps, D_REG, 1);
    if (!ps->worst_name || ps->cur > ps->worst) {
        ps->worst = ps->cur;
        ps->worst_name = name;
        if (ps->tr)
            memcpy(ps->tr->worst_v, ps->tr->v, sizeof ps->tr->v);
    }
    ps->cur = 0;
    if (ps->tr)
        memset(ps->tr->v, 0, sizeof ps->tr->v);
}

PATH_INLINE void p_carry(struct paths *ps, int w)
{
    if (w > ps->wmax)
        ps->wmax = w;
}
PATH_INLINE void p_add(struct paths *ps, int w)
{
    term(ps, D_ADD0, 1);
    term(ps, D_ADD, lg(w));
    p_carry(ps, w);
}
PATH_INLINE void p_neg(struct paths *ps, int w)
{
    term(ps, D_ADD0, 1);
    term(ps, D_NEG, lg(w));
    p_carry(ps, w);
}
PATH_INLINE void p_mux(struct paths *ps, int n) { term(ps, D_MUX, lg(n)); }
PATH_INLINE void p_fan(struct paths *ps, int n) { term(ps, D_FANOUT, lg(n)); }
/* Register outputs reach ABC as primary inputs and stay unbuffered: their
 * delay grows with the load itself (docs/cost-model.md). */
PATH_INLINE void p_load(struct paths *ps, double n) { term(ps, D_LOAD, n); }
PATH_INLINE void p_mul(struct paths *ps, int a, int b)
{
    term(ps, D_MUL, lg(a) + lg(b));
    p_add(ps, a + b);
}

/* An FP unit of latency lat: its logic (a part that grows with the
 * significand, D_FPADD or D_FPMUL, and a constant part, D_FP0: alignment,
 * normalisation and rounding steps) splits evenly into lat+1 parts; the
 * first ends the current segment, the last starts the next. */
PATH_INLINE void p_fp(struct paths *ps, enum dterm kind, double size, int lat, const char *name)
{
    if (lat == 0) { /* combinational (the default): no divisions, same values */
        term(ps, kind, size);
        term(ps, D_FP0, 1);
        return;
    }
    double part = size / (lat + 1), part0 = 1.0 / (lat + 1);
    term(ps, kind, part);
    term(ps, D_FP0, part0);
    for (int i = 0; i < lat; i++) {
        seg_close(ps, name);
        term(ps, kind, part);
        term(ps, D_FP0, part0);
    }
}

/* An exact FP product (fp_exact_product_bits): a multiplier of its bits
 * and the exponent's add, with nothing to normalise or round, so no
 * D_FP0; split over lat+1 segments as p_fp splits a unit. */
PATH_INLINE void p_fp_exact(struct paths *ps, enum dterm kind, double size, int lat,
                            const char *name)
{
    double part = lat == 0 ? size : size / (lat + 1);
    term(ps, kind, part);
    for (int i = 0; i < lat; i++) {
        seg_close(ps, name);
        term(ps, kind, part);
    }
}

/* tmul multiplies two operands widened into the sum format (activations,
 * and weights that are values of the activation's format: FP8 into fp16,
 * fp16 or bf16 into fp32). Their product has 2 (act_man + 1) significand
 * bits: when that fits the sum's significand the product's significand
 * is exact (only the exponent's range, overflow and subnormal results,
 * is left to handle), and a flat synthesis keeps a multiplier of those
 * bits and the exponent's add (osu018, OpenSTA, 1-input cores: E4M3 and
 * E5M2 into fp16 2.9 and 2.0 ns where the whole fp16 unit takes 8.4;
 * E4M3, fp16 and bf16 into fp32 1.4, 6.3 and 8.1 ns; docs/cost-model.md
 * "FP multipliers of widened activations"). The product bits, or 0: full
 * operands, block-scaled, too wide, or a flow that keeps the multiplier as
 * a module (delay[D_KEPT]: its ports carry no constants). */
PATH_INLINE int fp_exact_product_bits(const struct design_point *dp, const struct paths *ps)
{
    const struct dp_derived *d = &dp->d;
    int p = 2 * (d->act_man + 1);
    return d->act_man > 0 && !d->mx && p <= d->acc_man + 1 && ps->delay[D_KEPT] == 0 ? p : 0;
}

/* The width an FP adder's delay grows with: its exponent and fraction
 * bits. Lone tf_fpadd units between registers (osu018, OpenSTA,
 * scripts/fp-unit-delays.sh) take 4.1 ns + 0.24 ns per bit of exp + man
 * after the flip-flop (fp8 5.3-5.6 ns, fp16 7.8, bf16 7.9, fp32 11.6; 11
 * formats, max error 8.9 %). When both operands are activations widened
 * into the sum format (`narrow`: a sign-flip tree's first level, a LUT
 * build's first adder), synthesis drops the fraction bits that are always
 * 0: the exponent path stays the sum format's, the fraction is the
 * activation's plus guard, round and sticky (E5M2 into fp32 7.2 ns, E4M3
 * into fp16 6.3; docs/cost-model.md "FP adder and converter delays"). */
PATH_INLINE int fp_add_bits(const struct design_point *dp, int narrow)
{
    const struct dp_derived *d = &dp->d;
    int full = d->acc_exp + d->acc_man;
    if (narrow && !d->mx && d->act_fmt != d->acc_fmt) {
        int n = d->acc_exp + sf_info((enum sf_format)d->act_fmt)->man_bits + 3;
        return n < full ? n : full;
    }
    return full;
}

/* The accumulator: the first-tile mux, the adder (a saturating one: a
 * wider adder and a 3-way select). `name` names the segments an FP
 * adder's pipeline registers close. */
PATH_INLINE void p_accumulate(struct paths *ps, const struct design_point *dp, const char *name)
{
    const struct dp_derived *d = &dp->d;
    if (mx_one_block(d))
        return;
    p_mux(ps, 2);
    if (d->fp) {
        p_fp(ps, D_FPADD, fp_add_bits(dp, 0), (int)dp->fp_latency, name);
    } else {
        p_add(ps, d->acc_sat ? d->acc_bits + 1 : d->acc_bits);
        if (d->acc_sat)
            p_mux(ps, 3);
    }
}

/* Block-scaled: an element code to its integer, a shift of the
 * significand by the exponent (int8 elements are their integers). */
PATH_INLINE void p_mx_decode(struct paths *ps, const struct design_point *dp)
{
    const struct sf_info *fi = mx_elem_fi((enum mx_elem)dp->d.mx_elem);
    if (fi)
        p_mux(ps, 1 << fi->exp_bits);
}

/* Block-scaled: the integer block accumulator (first-tile mux, adder),
 * then the converter: (NVFP4: times the scale's 4-bit significand) a
 * leading-one search and a normalizing shift over the magnitude's bits,
 * the round and the pack. Its own term per log2 of the magnitude's bits
 * (D_MXCONV): it has no operand alignment, so an FP adder's constant does
 * not fit it (timed as one it was about 6 ns slow), and lone converters
 * grow like the shifter's depth (fp32 out, 6 / 10 / 16 / 24 magnitude
 * bits: 4.1 / 4.6 / 5.6 / 6.8 ns; NVFP4's product made 8 bits no
 * slower; docs/cost-model.md). Its fp_latency
 * registers follow it (docs/block-scaled.md). */
PATH_INLINE void p_mx_convert(struct paths *ps, const struct design_point *dp)
{
    const struct dp_derived *d = &dp->d;
    int cw = d->blk_bits;
    if (mx_tpb(d) > 1) { /* one tile a block: no block accumulator (c1_bf is 1) */
        p_mux(ps, 2);
        p_add(ps, d->blk_bits);
    }
    if (d->mx_scale == MXS_UE4M3)
        cw += 4; /* x the scale's 4-bit significand: no slower alone */
    term(ps, D_MXCONV, lg(cw));
    if (dp->fp_latency)
        seg_close(ps, "converter");
}

/* The adder tree from the first level on, then the accumulator
 * (block-scaled: an integer tree, the block accumulator and converter,
 * then the FP accumulator), its segment left open: what follows the
 * accumulator's sum in the same cycle (fixp's conversion into the result
 * FIFO) belongs to it. */
PATH_INLINE void p_tree_acc_open_first(struct paths *ps, const struct design_point *dp,
                                       uint32_t cuts, int first_bits)
{
    const struct dp_derived *d = &dp->d;
    int lat = (int)dp->fp_latency;
    if (cuts & 1)
        seg_close(ps, "select");
    /* A loop for each kind of tree, its adders' widths found once: the
     * tests of the kind at every level were about 20 instructions a point. */
    if (d->fp && !d->mx) {
        /* a sign-flip tree's first level adds activations; the caller may
         * say how wide its first level is (first_bits > 0) */
        int full = fp_add_bits(dp, 0);
        int first = first_bits > 0               ? first_bits
                    : dp->kind == KIND_TSIGN ? fp_add_bits(dp, 1)
                                             : full;
        for (int lv = 1; lv <= d->tree_levels; lv++) {
            p_fp(ps, D_FPADD, lv == 1 ? first : full, lat, "tree");
            if (cuts >> lv & 1)
                seg_close(ps, "tree");
        }
    } else {
        for (int lv = 1; lv <= d->tree_levels; lv++) {
            p_add(ps, d->term_bits + lv);
            if (cuts >> lv & 1)
                seg_close(ps, "tree");
        }
    }
    if (d->mx)
        p_mx_convert(ps, dp);
    p_accumulate(ps, dp, "accumulator");
}

PATH_INLINE void p_tree_acc_open(struct paths *ps, const struct design_point *dp, uint32_t cuts)
{
    p_tree_acc_open_first(ps, dp, cuts, 0);
}

/* The same, closed by the accumulator register. */
PATH_INLINE void p_tree_acc(struct paths *ps, const struct design_point *dp, uint32_t cuts)
{
    p_tree_acc_open(ps, dp, cuts);
    seg_close(ps, "accumulator");
}

#endif
