/* cost.c - the analytical cost model (see cost.h and docs/cost-model.md).
 *
 * Area, FPGA cells and energy per cycle: each inventory item becomes a few
 * features (adder bits, 2:1 mux equivalents, flip-flops, ...); a metric is
 * the dot product of the features with the technology's unit costs.
 * Critical path: the pipeline is cut into register-to-register segments,
 * each a sum of delay terms; the slowest segment sets f_max.
 * Cycles: the controller's schedule (docs/protocol.md), exactly. */
#include "cost.h"

#include <math.h>
#include <string.h>

#include "kind.h"
#include "models.h"
#include "path.h"

const char *const feat_names[] = { "one", "add", "neg", "mux", "reg", "ram", "cmp", "mul",
                                   "shift", "fpadd", "fpaddlut", "fpmul", "fppipe", "fpcvt",
                                   "dsp", "dspadd", "macc", "sel", "mxconv", "mxdec", "mxconvn",
                                   "sram", "srambit", "sramword", "sramcol", "slew", "addlut",
                                   "negm" };
const char *const metric_names[] = { "area", "luts", "ffs", "carry", "dsps", "energy" };
const char *const metric_units[] = { "um2", "LUTs", "FFs", "carry cells", "DSPs",
                                     "pJ/cycle" };
const char *const dterm_names[] = { "reg", "add", "add0", "mux", "neg", "mul", "fpadd",
                                    "fpmul", "fanout", "load", "carry", "fp0", "mxconv" };

/* DSP tiles for an a x b multiplier, or 0 when it stays in logic. */
static int dsp_tiles(const struct tech *t, int a, int b)
{
    if (!t || !t->dsp_a || a + b < t->dsp_y || a < 2 || b < 2)
        return 0;
    if (a < b) {
        int s = a;
        a = b;
        b = s;
    }
    return (int)(cdiv(a, t->dsp_a) * cdiv(b, t->dsp_b));
}

/* The feature each primitive is priced by (prim_units(), inventory.h). */
static const enum feat prim_feat[PRIM__COUNT] = {
    [PRIM_ADD] = F_ADD,     [PRIM_NEG] = F_NEG,       [PRIM_MUX] = F_MUX,
    [PRIM_REG] = F_REG,     [PRIM_RAM] = F_RAM,       [PRIM_CMP] = F_CMP,
    [PRIM_MUL] = F_MUL,     [PRIM_SHIFT] = F_SHIFT,   [PRIM_FPADD] = F_FPADD,
    [PRIM_FPMUL] = F_FPMUL, [PRIM_FPCVT] = F_FPCVT,   [PRIM_SRAM] = F_SRAM,
    [PRIM_SEL] = F_SEL,     [PRIM_MXCONV] = F_MXCONV, [PRIM_MXDEC] = F_MXDEC,
};

/* The FP adders of a LUT build come out about a third smaller than those
 * of adder trees and accumulators in synthesis (measured on osu018: the
 * build's adders share operands, and ABC shares their alignment logic),
 * so a technology may price them apart ("fpaddlut"); one that does not
 * prices them as "fpadd". */
/* A select among values one of which is the constant 0 (PRIM_SEL: the
 * read ports of LUT cores, whose code 0 reads 0, and a ternary or pow2
 * weight gating its term to 0) is AND-OR logic: the code is decoded once
 * per port and each other input bit is one AND term (Yosys's $pmux,
 * rtl-templates/tf_tlut_sel.v), smaller per bit and input than the binary
 * trees of 2:1 multiplexers F_MUX prices (the activation buffer's read
 * mux): as muxes, `synth --hier` on osu018 measured LUT read ports priced
 * 26-43 % high. A technology may price them apart ("sel"); one that does
 * not prices them as "mux". */
static inline enum feat feat_of(const struct tech *t, enum comp comp, enum prim p)
{
    if (p == PRIM_FPADD && comp == COMP_LUT_BUILD && t->split_lut_fpadd)
        return F_FPADDLUT;
    if (p == PRIM_ADD && comp == COMP_LUT_BUILD && t->split_lut_add)
        return F_ADDLUT;
    if (p == PRIM_SEL && !t->split_sel)
        return F_MUX;
    return prim_feat[p];
}

/* A negation marked NEG_MERGED (a sign flip `w ? -a : a` whose result is
 * an operand of an integer adder: tsign, fixp pow2, block-scaled tsign).
 * On xc7 synth_xilinx builds the pair as one add/subtract chain: the flip
 * is an XOR inside the adder's propagate LUT6 (in front of which the "a or
 * 0" gate sits too) and its +1 the chain's carry-in, so it has no chain
 * of its own and is priced like the AND-OR logic in front of an adder
 * (sel): counted that way, the fit prices an adder bit at about one LUT,
 * as the netlists have it, where it had 0 while the sign flips of the
 * sign-flip cores took the adders' LUTs (docs/cost-model.md, "FPGA LUTs:
 * sign flips merged into their adders"). ice40's adder bit is an SB_LUT4
 * whose carry input takes one of its four inputs: the flip stays a LUT
 * and a negation of its own there (merged, the fit got worse). ASIC:
 * a negation. */
static inline enum feat merged_neg_feat(const struct tech *t)
{
    if (t->target != TECH_XC7)
        return t->split_negm ? F_NEGM : F_NEG;
    return t->split_sel ? F_SEL : F_MUX;
}

/* Whether a narrow FP adder (FP_NARROW_INPUTS) is priced at its flat width
 * (fpadd_flat_ops): in a flat ASIC flow. A kept tf_fpadd does not shrink;
 * FPGA flows were not measured alone, and their one FP8 held-out point
 * moved both ways when it did (docs/cost-model.md, "FP adder areas by
 * operand width"), so they keep the full width. */
static inline int fpadd_narrows(const struct tech *t)
{
    return !t->fpadd_kept && t->target == TECH_ASIC;
}

/* An integer multiplier of w x in bits: its DSP tiles, or, in logic, its
 * partial-product bits w x in (FPGA LUTs) or on an ASIC the full adders
 * of its array, (w - 1)(in - 1) (a width of 1 counted as 2). Measured on
 * lone signed multipliers (osu018, docs/cost-model.md "Integer adders and
 * multipliers, measured alone"): 4x4 .. 16x16 are 258 um2 x (w - 1)(in -
 * 1) within -3..+7 %, where w x in put them at 141 .. 222 um2 a bit. */
static inline void price_mul(const struct tech *t, double *x, double c, int w, int in, int tiles)
{
    if (tiles)
        x[F_DSP] += c * tiles;
    else if (t->target == TECH_ASIC)
        x[F_MUL] += c * (double)(w > 2 ? w - 1 : 1) * (double)(in > 2 ? in - 1 : 1);
    else
        x[F_MUL] += c * w * in;
}

void feat_of_item(const struct tech *t, enum comp comp, enum prim p, int w, int in,
                  long count, double x[F__COUNT])
{
    double c = (double)count;
    if ((unsigned)p >= PRIM__COUNT)
        BUG("prim %d has no features", (int)p);
    switch (p) {
    case PRIM_MUL:
        price_mul(t, x, c, w, in, dsp_tiles(t, w, in));
        return;
    case PRIM_SRAM:
        x[F_SRAM] += c;
        x[F_SRAMBIT] += c * w * in;
        x[F_SRAMWORD] += c * in;
        x[F_SRAMCOL] += c * w;
        return;
    case PRIM_FPMUL: {
        int man = FP_MAN(in), sp = man + 1, e = w - 1 - man;
        int tiles = dsp_tiles(t, sp, sp);
        /* Activations widened into the format (FP8 into fp16:
         * FP_ACT_MAN) keep their low fraction bits 0. A tmul multiplies two
         * of them (its weights are values of the activation's format), so
         * the product of spa-bit significands is exact, and a flat
         * synthesis of it in logic drops the partial products of the zero
         * bits (spa x spa of sp x sp) and, on osu018, the normalisation
         * and rounding of the bits the exact product leaves 0 (4 (spa + e)
         * of 4 (sp + e)); ice40's LUT mapping keeps those at the format's
         * width. Measured, flat (docs/cost-model.md, "FP multipliers of
         * widened activations"): 19 osu018 cores, area -10..+19 % (MAPE
         * 6.9 %); 7 ice40 cores, LUTs -6.5..+4.5 %. A hierarchical flow
         * keeps the multiplier whole (its ports), and a product in a DSP
         * tile is whole (xc7: the LUTs around it as measured, +1..+5 % at
         * sp). */
        int am = FP_ACT_MAN(in), spa = am >= 0 && !t->fpadd_kept && !tiles ? am + 1 : sp;
        int norm = t->target == TECH_ASIC ? spa : sp;
        x[F_FPMUL] += c * ((tiles ? 0 : spa * spa) + 4 * (norm + e));
        x[F_DSP] += c * tiles;
        break;
    }
    case PRIM_FPADD:
        x[feat_of(t, comp, p)] += c * (double)(fpadd_narrows(t) ? fpadd_flat_ops(w, in)
                                                                 : fpadd_ops(w, in));
        break;
    case PRIM_NEG: /* a sign flip into an adder: see merged_neg_feat() */
        x[in == NEG_MERGED ? merged_neg_feat(t) : F_NEG] += c * w;
        return;
    case PRIM_MXCONV: /* its units, and one converter (F_MXCONVN) */
        x[F_MXCONVN] += c;
        x[F_MXCONV] += c * (double)prim_units(p, w, in);
        /* A UE4M3 scale's product |s| x ms (tf_mxconv.v: sw x 4 bits) is a
         * multiplier: on a technology with DSP tiles Yosys puts it into one
         * (xc7: one DSP48E1 per NVFP4 converter, measured at K x batch 2,
         * 3 and 4). Its LUTs stay in the fitted units. */
        if (MXCONV_UE(in))
            x[F_DSP] += c * dsp_tiles(t, MXCONV_SW(in), 4);
        return;
    default:
        x[feat_of(t, comp, p)] += c * (double)prim_units(p, w, in);
        break;
    }
    x[F_FPPIPE] += c * (double)prim_pipe_units(p, w, in);
}

/* ---- adder trees behind DSP multipliers ------------------------------- */

/* What Yosys synth_xilinx builds from the adder tree and accumulator of an
 * integer core whose multipliers are single DSP tiles (tmul, fixp int),
 * read from its logs and netlists (docs/cost-model.md):
 * - xilinx_dsp packs an adder one of whose operands is a raw product into
 *   that product's DSP post-adder (P = A*B + C): every level-1 adder, and
 *   an adder that meets an odd product passed up unchanged.
 * - A pipeline register goes into a DSP where one is free there: on a raw
 *   product its M register (MREG; the post-adder behind it still packs),
 *   on a product or a post-adder's output its P register (PREG). Such a
 *   register is no flip-flop and no LUT: its bits leave `reg`.
 * - The other adders are $add cells. alumacc merges an adder into the
 *   adder that consumes it when every result bit is used once: no pipeline
 *   register between them and no sign extension, which happens when the
 *   wrap-around accumulator (A bits) is no wider than the producer (wreduce
 *   trims the whole tree to A bits: tmul, whose tree carries the full
 *   w x w product while the ternary sums need fewer bits; a register in
 *   the fabric keeps only its A low bits then). A merged group of k >= 3
 *   operands is one $macc; maccmap builds it as (k-2) rows of full adders
 *   in LUTs (ABC maps them with MUXF7/F8) and one carry-chain adder of
 *   the result width.
 * So: packed adders' bits move from F_ADD to F_DSPADD; a $macc's adders
 * leave F_ADD, its final adder (min(width, A) bits) stays, and its
 * (k-2) x width full-adder bits go to F_MACC; registers taken into DSPs,
 * and the bits of fabric registers above A, leave F_REG. The tree is
 * regular: a level's terms are n copies of one state plus at most one odd
 * last term, so the walk is O(levels). Every count is per column of a
 * batch (acc_lanes trees). */
#define MACC_MIN 4
enum tstate {
    T_FREE,  /* a raw product: its DSP's M and P registers unused */
    T_FREEM, /* a raw product in its DSP's M register: packs like T_FREE */
    T_DSP,   /* a post-adder's output: its DSP's P register unused */
    T_LEAF,  /* in the fabric (a register or a closed sum), or a DSP's P register */
    T_OPEN   /* an open sum of $add cells */
};
struct tterm {
    enum tstate s;
    int k;         /* open sum: operands */
    int w;         /* open sum: width of its last adder */
    long adds;     /* open sum: bits of its adders */
};

struct tadj {
    double *tree;       /* features of the tree */
    int A;              /* accumulator adder width */
    double mult;        /* copies (outputs x same terms) */
};

/* Close an open sum: a $macc when it merged three operands or more. */
static void t_close(const struct tadj *j, struct tterm *x)
{
    if (x->s == T_OPEN && x->k >= MACC_MIN) {
        int W = x->w < j->A ? x->w : j->A;
        j->tree[F_ADD] -= j->mult * x->adds;
        j->tree[F_ADD] += j->mult * W;
        j->tree[F_MACC] += j->mult * W;
    }
    x->s = T_LEAF;
}

/* The operands an adder gets from x: x's operands, its adder bits added
 * to *adds, when x is an open sum as wide as the accumulator (it merges);
 * else one, and x is closed. */
static int t_take(const struct tadj *j, struct tterm *x, long *adds)
{
    if (x->s == T_OPEN && j->A <= x->w) {
        *adds += x->adds;
        return x->k;
    }
    t_close(j, x);
    return 1;
}

static int t_raw(const struct tterm *x) { return x->s == T_FREE || x->s == T_FREEM; }

/* An adder of aw bits over a and b (a and b are consumed). */
static struct tterm t_add(const struct tadj *j, struct tterm a, struct tterm b, int aw)
{
    struct tterm r = { T_DSP, 0, 0, 0 };
    if (t_raw(&a) || t_raw(&b)) {
        j->tree[F_ADD] -= j->mult * aw;
        j->tree[F_DSPADD] += j->mult * aw;
        return r;
    }
    r.adds = aw;
    r.k = t_take(j, &a, &r.adds) + t_take(j, &b, &r.adds);
    r.s = T_OPEN;
    r.w = aw;
    return r;
}

/* A pipeline register of w bits on x (j->mult copies): into x's DSP when
 * a register is free there, else in the fabric (an open sum closes), its
 * bits above a wrap-around accumulator's A trimmed (trim: A, or 0). */
static void t_cut(const struct tadj *j, struct tterm *x, double *pipe, int w, int trim)
{
    if (x->s == T_FREE || x->s == T_FREEM || x->s == T_DSP) {
        x->s = x->s == T_FREE ? T_FREEM : T_LEAF;
        pipe[F_REG] -= j->mult * w;
        return;
    }
    t_close(j, x);
    if (trim && w > trim)
        pipe[F_REG] -= j->mult * (w - trim);
}

/* Move the tree's and accumulator's adder bits and the tree's registers
 * (pipe: the pipeline component's features) as described above, for a
 * core whose terms are integer products, every multiplier one DSP tile
 * (the sink saw that in its inventory: dsp_mac_core()). */
static void dsp_tree_adjust(const struct design_point *dp, double *tree, double *acc,
                            double *pipe)
{
    const struct dp_derived *d = &dp->d;
    int A = d->acc_sat ? (d->acc_bits > d->tree_bits ? d->acc_bits : d->tree_bits) + 1
                       : d->acc_bits;
    int trim = d->acc_sat ? 0 : A;
    double K = d->acc_lanes;
    uint32_t cuts = tree_cut_mask(dp);
    struct tadj all = { tree, A, K }; /* for the odd last term */
    struct tterm reg = { T_FREE, 0, 0, 0 }, tail = reg;
    long n = d->tree_terms;                 /* copies of `reg` per output */
    int has_tail = 0;
    if (cuts & 1) { /* the products, registered */
        struct tadj cj = { tree, A, K * (double)n };
        t_cut(&cj, &reg, pipe, d->term_bits, 0);
    }
    for (int lv = 1; lv <= d->tree_levels; lv++) {
        int aw = d->term_bits + lv;
        struct tadj rj = { tree, A, K * (double)(n / 2) };
        struct tterm nreg = reg, ntail = tail;
        int nt = has_tail;
        if (n >= 2)
            nreg = t_add(&rj, reg, reg, aw);
        if (n % 2 && has_tail) {
            ntail = t_add(&all, reg, tail, aw);  /* the last pair */
        } else if (n % 2) {
            ntail = reg;                         /* passes up unchanged */
            nt = 1;
        }
        n /= 2;
        if (n == 0) {                            /* only the tail is left */
            nreg = ntail;
            n = 1;
            nt = 0;
        }
        reg = nreg;
        tail = ntail;
        has_tail = nt;
        if (cuts >> lv & 1) {
            struct tadj cj = { tree, A, K * (double)n };
            t_cut(&cj, &reg, pipe, aw, trim);
            if (has_tail)
                t_cut(&all, &tail, pipe, aw, trim);
        }
    }
    /* The root with the accumulator register (an operand through the
     * first-tile mux). */
    if (t_raw(&reg)) {
        acc[F_ADD] -= K * A;
        acc[F_DSPADD] += K * A;
        return;
    }
    long adds = 0;
    int k = t_take(&all, &reg, &adds) + 1; /* operands of the accumulator's adder */
    /* A $macc: the tree's adders leave F_ADD; the accumulator's adder,
     * A bits, stays as the final carry-chain adder. */
    if (k >= MACC_MIN) {
        tree[F_ADD] -= K * (double)adds;
        tree[F_MACC] += K * A;
    }
}

/* ---- critical path (model/path.h) ------------------------------------ */

double path_lg_tab[PATH_LG_MAX + 1];

void cost_init(void)
{
    for (int i = 0; i <= PATH_LG_MAX; i++)
        path_lg_tab[i] = i > 1 ? log2(i) : 0;
    for (int k = 0; k < KIND__COUNT; k++)
        if (kind_ops_of(k)->init)
            kind_ops_of(k)->init();
}

/* The most inputs one valid bit (a register) drives directly: the enables
 * of the accumulators, two per bit (ABC maps each enable mux with both
 * polarities of the enable: 2 050 loads for 1 024 fp32 accumulator bits
 * of a 32x32 MX core, 1.8 a bit at INT8; a fixp accumulator about one:
 * docs/cost-model.md, "Two known path errors, traced"), or of a tree cut, where ABC
 * folds the enable into the last gate of each sum bit and takes one of
 * its two polarities from a buffered inverter: about half the bits load
 * the register itself (OpenSTA netlists of the calibration points). The
 * LUT registers load on the weight handshake, a combinational net that
 * ABC buffers. Inline: as a call (once a point) it cost 8 instructions
 * a mixed point more. */
static inline __attribute__((always_inline)) double stage_bits(const struct design_point *dp,
                                                               uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    /* batch: every column's accumulators and tree registers, on one valid
     * bit (synth --hier, INT8 tlut mu 5, L 4, K 8: 15.1 and 29.9 ns at
     * batch 4 and 8, where outputs alone gave 9.0 and 16.0) */
    int K = d->acc_lanes;
    double best = (dp->kind == KIND_FIXP ? 1.0 : 2.0) * K * d->acc_bits;
    /* Only the cut levels: after lv levels of pairing (an odd term passes
     * up) ceil(terms / 2^lv) terms are left. */
    for (uint32_t m = cuts; m; m &= m - 1) {
        int lv = __builtin_ctz(m);
        long n = ((long)d->tree_terms + (1L << lv) - 1) >> lv;
        int bits = d->fp && !d->mx ? d->term_bits : d->term_bits + lv;
        if ((double)K * n * bits / 2 > best)
            best = (double)K * n * bits / 2;
    }
    return best;
}

/* The shell's register nets that ABC leaves unbuffered (it sees flip-flop
 * outputs as primary inputs), by their loads; 0 where the net is not there.
 * Their delay grows with the loads (the path walk below), and so does their
 * transition time, which every load's internal power grows with: power
 * counts loads^2 of each (F_SLEW, scripts/fanout-power.sh). */
struct shell_loads {
    double buf, fifo, valid, first;
    double fifo2; /* every FIFO read-pointer bit's loads, squared and summed */
};

PATH_INLINE void shell_loads(const struct design_point *dp, const double *delay, uint32_t cuts,
                             struct shell_loads *l)
{
    const struct dp_derived *d = &dp->d;
    /* The buffer's read address drives its read mux and steps the tile
     * counter. Yosys builds a binary mux tree (act_bits x depth/2 selects
     * on one address bit); ABC maps part of it into 4:1 AOI22 cells with
     * decoded selects, so the heaviest address bit drives act_bits x
     * depth/8 to /2 inputs (OpenSTA netlists, depths 8 to 512: still
     * linear in depth, no buffering): depth/4 is the middle. It is the
     * tile register itself unless the core reads one beat ahead
     * (d->prefetch), where a mux in front is buffered. A macro
     * (d->act_sram) decodes its address inside: its timing is the
     * macro's (docs/cost-model.md, Memories). */
    l->buf = d->buf_depth > 1 && !d->prefetch && !d->act_sram
                 ? (double)d->act_bits * ((d->buf_depth + 3) / 4)
                 : 0;
    /* The result FIFO's read pointer selects one of its out_depth words
     * for the result port: its lowest bit drives about res_bits x depth/2
     * select inputs (out_depth 16 on osu018: 1100 loads, 16 ns on the
     * flip-flop alone), each a mux select pin of delay[D_SEL_LOAD] + 1
     * mean loads (osu018: 1.25, measured). Negligible at the default depth
     * of 2; a macro FIFO reads from a register. */
    double fw = (double)(d->res_bits + 1), sel = 1 + delay[D_SEL_LOAD];
    l->fifo = dp->out_depth > 1 && !d->fifo_sram ? fw * (double)(dp->out_depth / 2) * sel : 0;
    /* Each higher pointer bit selects in the next level of the read mux
     * tree, half the selects of the one below: bit j drives depth/2^(j+1)
     * per result bit. The path is the busiest bit's (l->fifo), the energy
     * every bit's: F_SLEW gets the sum of their squares, 4/3 of the
     * busiest's alone at a deep power-of-two depth (1 at depth 2 and 3). */
    l->fifo2 = l->fifo * l->fifo;
    if (l->fifo > 0)
        for (long h = dp->out_depth / 4; h; h /= 2) {
            double n = fw * (double)h * sel;
            l->fifo2 += n * n;
        }
    /* A stage's valid bit enables every register of the next stage. */
    l->valid = stage_bits(dp, cuts);
    /* The first-tile flag of the accumulator stage selects 0 for every
     * accumulator bit, of every column with batch (not when the flag is a
     * constant: mx_one_block). */
    l->first = mx_one_block(d) ? 0 : (double)d->acc_lanes * d->acc_bits;
}

/* The shell's stages before the kind's (ops.path: from stage 1 on), given
 * shell_loads(): cost_eval computes them once for the walk and for
 * price_tally's F_SLEW. Its last segment is closed: the kind's part starts
 * at 0. */
PATH_INLINE void shell_path(const struct design_point *dp, struct paths *ps,
                            const struct shell_loads *lp)
{
    const struct dp_derived *d = &dp->d;
    const struct shell_loads l = *lp;
    /* Controller: a counter step, a compare and the ready logic. */
    p_add(ps, d->col_bits);
    p_mux(ps, 4);
    seg_close(ps, "controller");
    if (l.buf > 0) {
        p_load(ps, l.buf);
        p_add(ps, d->buf_addr_bits);
        p_mux(ps, 2);
        seg_close(ps, "act_buffer");
    }
    if (l.fifo > 0) {
        p_load(ps, l.fifo);
        p_mux(ps, (int)dp->out_depth);
        seg_close(ps, "out_fifo");
    }
    p_load(ps, l.valid);
    p_mux(ps, 2);
    seg_close(ps, "pipeline_enable");
    /* then the accumulator adds */
    if (!mx_one_block(&dp->d)) {
        p_load(ps, l.first);
        p_accumulate(ps, dp, "first_tile");
        seg_close(ps, "first_tile");
    }
}

/* The walk, given the tree's cut mask and shell_loads(dp, delay, cuts). */
PATH_INLINE void critical_path_l(const struct design_point *dp, struct paths *ps,
                                 uint32_t cuts, const struct shell_loads *lp)
{
    shell_path(dp, ps, lp);
    if (ps->tr) {
        kind_get(dp)->path.tracked(dp, ps, cuts);
        return;
    }
    /* A call site of its own for each kind (see dp_finalize). */
    struct path_end e;
#define KIND(E, name, flags)                                                                  \
    if (dp->kind == KIND_##E)                                                                 \
        e = name##_ops.path.fast(dp, ps->delay, ps->cur, ps->worst, ps->wmax, ps->worst_name,  \
                                 cuts);                                                       \
    else
#include "kinds.def"
        kind_bug(dp->kind);
    ps->worst = e.worst;
    ps->worst_name = e.name;
}

PATH_INLINE void critical_path(const struct design_point *dp, struct paths *ps)
{
    uint32_t cuts = tree_cut_mask(dp);
    struct shell_loads l;
    shell_loads(dp, ps->delay, cuts, &l);
    critical_path_l(dp, ps, cuts, &l);
}

/* The fast walk, no per-term counts: what cost_eval asks for. */
static inline __attribute__((always_inline)) double
path_fast(const struct design_point *dp, const struct tech *t, uint32_t cuts,
          const struct shell_loads *l, const char **stage)
{
    struct paths ps = { .delay = t->delay };
    critical_path_l(dp, &ps, cuts, l);
    *stage = ps.worst_name;
    return ps.worst;
}

/* Whether the technology has delay terms (FPGA files have none, and the
 * walk is skipped): NaN and -0 count as terms, as they always did. */
static int tech_timed(const struct tech *t)
{
    /* a timed file has a register delay: the loop only for the others */
    if (t->delay[D_REG] != 0)
        return 1;
    uint64_t any = 0; /* the bits of every delay but their signs, OR'd */
    for (int d = 0; d < D__COUNT; d++) {
        uint64_t b;
        memcpy(&b, &t->delay[d], sizeof b);
        any |= b << 1;
    }
    return any != 0;
}

/* The critical path without per-term counts (cost_critical_path with v
 * NULL), from the tree's cut mask and shell loads; `timed` is
 * tech_timed(t). Without delay terms every segment is 0 and the first,
 * the controller, stays the slowest. */
static inline __attribute__((always_inline)) double
path_untracked(const struct design_point *dp, const struct tech *t, int timed, uint32_t cuts,
               const struct shell_loads *l, const char **stage)
{
    const char *name = "controller";
    double worst = timed ? path_fast(dp, t, cuts, l, &name) : 0;
    if (stage)
        *stage = name;
    return worst;
}

double cost_critical_path(const struct design_point *dp, const struct tech *t,
                          double v[D__COUNT], const char **stage)
{
    if (!v) {
        uint32_t cuts = tree_cut_mask(dp);
        struct shell_loads l;
        shell_loads(dp, t->delay, cuts, &l);
        return path_untracked(dp, t, tech_timed(t), cuts, &l, stage);
    }
    struct track tr;
    memset(&tr, 0, sizeof tr);
    struct paths ps = { .delay = t->delay, .tr = &tr };
    critical_path(dp, &ps);
    memcpy(v, tr.worst_v, sizeof tr.worst_v);
    if (stage)
        *stage = ps.worst_name;
    return ps.worst;
}

/* ---- cycles ---------------------------------------------------------- */

/* Block-scaled activations in memory carry one scale code per block of
 * a column's N inputs as well as the lanes. Out of line: inlined, its
 * division cost the common (element-wise) point 18 instructions. */
__attribute__((noinline, cold)) static double mx_scale_bits(const struct dp_derived *d, long N)
{
    return (double)cdiv(N, d->mx) * d->scale_bits;
}

/* The activations of one column of N inputs as memory holds them. */
static inline double act_bits_of(const struct dp_derived *d, long N)
{
    double bits = (double)N * d->lane_in_bits;
    if (__builtin_expect(d->mx != 0, 0))
        bits += mx_scale_bits(d, N);
    return bits;
}

static inline __attribute__((always_inline)) double job_cycles(const struct design_point *dp,
                                                               long M, long N)
{
    const struct dp_derived *d = &dp->d;
    long T = tiles_of(d, N), R = cdiv(M, d->outputs);
    /* Back to back: load (T beats), the prime cycle of a registered LUT,
     * R*T weight beats `spacing` apart, the pipeline to the FIFO
     * (latency), then the result hand-over, the return to idle and the
     * next descriptor (3). tests/cost/run.sh checks this against simulated
     * cycle counts. */
    return (double)T + d->prefetch + (double)(R * T - 1) * d->spacing + d->latency + 3;
}

/* Bits of the weight stream of one M x N job: R x T beats of wgt_bits. */
static inline __attribute__((always_inline)) double stream_bits(const struct design_point *dp,
                                                                long M, long N)
{
    const struct dp_derived *d = &dp->d;
    return (double)tiles_of(d, N) * (double)cdiv(M, d->outputs) * d->wgt_bits;
}

double cost_job_cycles(const struct design_point *dp, long M, long N)
{
    return job_cycles(dp, M, N);
}

/* ---- the whole evaluation ---------------------------------------------- */

/* Items are priced as the inventory produces them: features go straight
 * into the totals, or by component when a breakdown is wanted. */
struct sink_ctx {
    const struct tech *t;
    double *xt;                   /* total features, or */
    double (*xc)[F__COUNT];       /* features by component */
    int muls, muls_dsp1;          /* integer multiplier items; those of one DSP tile */
};

/* Are the core's terms integer products whose multipliers are each one
 * DSP tile (an integer core on an FPGA with DSPs)? Its inventory says:
 * integer multipliers (PRIM_MUL) form the terms of the adder trees. */
static int dsp_mac_core(const struct sink_ctx *s)
{
    return s->muls && s->muls == s->muls_dsp1;
}

/* Every item through the price rule, into the component's features or
 * the totals; integer multipliers noted for dsp_mac_core(). */
static void sink(void *ctx, enum comp comp, enum prim p, int w, int in, long count)
{
    struct sink_ctx *s = ctx;
    double *x = s->xc ? s->xc[comp] : s->xt;
    if (p == PRIM_MUL) { /* feat_of_item's rule here, the tiles found once */
        int tiles = dsp_tiles(s->t, w, in);
        s->muls++;
        s->muls_dsp1 += tiles == 1;
        price_mul(s->t, x, (double)count, w, in, tiles);
        return;
    }
    feat_of_item(s->t, comp, p, w, in, count, x);
}

/* A metric: the dot product of features and unit costs, summed in four
 * interleaved partial sums (features f = r mod 4 in feature order), then
 * (s0 + s1) + (s2 + s3). The order is fixed, so the result is too; it is
 * the order docs/cost-model.md gives and the reference in
 * tests/unit/test_cost.c uses. */
static inline double metric_dot(const double *x, const double *u)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int f = 0;
    for (; f + 4 <= F__COUNT; f += 4) {
        s0 += x[f] * u[f];
        s1 += x[f + 1] * u[f + 1];
        s2 += x[f + 2] * u[f + 2];
        s3 += x[f + 3] * u[f + 3];
    }
    if (f < F__COUNT)
        s0 += x[f] * u[f];
    if (f + 1 < F__COUNT)
        s1 += x[f + 1] * u[f + 1];
    if (f + 2 < F__COUNT)
        s2 += x[f + 2] * u[f + 2];
    return (s0 + s1) + (s2 + s3);
}

/* Two metrics of the same features at once: metric_dot() for u and for
 * v, each in its own four partial sums in the same order (lane 0 and 1 of
 * a pair of doubles are the partial sums of features f = 0 and 1, or 2
 * and 3, mod 4), so each result is the bits metric_dot() gives. Unrolled
 * and sharing the loads of x, it takes about half the instructions of two
 * metric_dot() calls. Written with vectors of two doubles (SSE2, the
 * x86-64 baseline) because GCC does not pair the scalar form. */
typedef double v2d __attribute__((vector_size(16)));
static inline __attribute__((always_inline)) v2d v2_load(const double *p)
{
    v2d r;
    memcpy(&r, p, sizeof r);
    return r;
}
/* A pair of unit costs: their rows are 16-byte aligned (struct tech) */
static inline __attribute__((always_inline)) v2d v2_load_unit(const double *p)
{
    v2d r;
    memcpy(&r, __builtin_assume_aligned(p, 16), sizeof r);
    return r;
}
/* The pairs of features (2i, 2i+1) metric_dot2 skips when `sparse`:
 * the DSP tiles and DSP post-adders (zero on a technology without DSP
 * tiles), the block converters and decoders, and the SRAM macros' terms
 * (zero on a point without block scaling and without SRAM macros). A
 * skipped term is x * u with x = 0 and u finite, +-0, and a partial sum
 * starts at +0 and is never -0 (x + -x is +0), so adding it changes no
 * bit: skipping it gives metric_dot()'s result. */
_Static_assert(F_DSP % 2 == 0 && F_DSPADD == F_DSP + 1 && F_MXCONV % 2 == 0 &&
               F_MXDEC == F_MXCONV + 1 && F_MXCONVN % 2 == 0 && F_SRAM == F_MXCONVN + 1 &&
               F_SRAMBIT % 2 == 0 && F_SRAMWORD == F_SRAMBIT + 1,
               "the features metric_dot2 may skip come in pairs");
#define SPARSE_PAIRS                                                                      \
    (1u << F_DSP / 2 | 1u << F_MXCONV / 2 | 1u << F_MXCONVN / 2 | 1u << F_SRAMBIT / 2)

static inline __attribute__((always_inline)) void
metric_dot2(const double *x, const double *u, const double *v, double *ru, double *rv,
            int sparse)
{
    v2d s01 = { 0, 0 }, s23 = s01, t01 = s01, t23 = s01;
    const int F4 = (int)F__COUNT & ~3; /* the features taken four at a time */
#pragma GCC unroll 8
    for (int f = 0; f < F4; f += 4) {
        /* f is a constant in each unrolled step: the tests fold */
        if (!(sparse && (SPARSE_PAIRS >> (f / 2) & 1))) {
            v2d x01 = v2_load(x + f);
            s01 += x01 * v2_load_unit(u + f);
            t01 += x01 * v2_load_unit(v + f);
        }
        if (!(sparse && (SPARSE_PAIRS >> (f / 2 + 1) & 1))) {
            v2d x23 = v2_load(x + f + 2);
            s23 += x23 * v2_load_unit(u + f + 2);
            t23 += x23 * v2_load_unit(v + f + 2);
        }
    }
    /* the rest into the partial sums metric_dot() gives them, after the
     * others (the order of each sum is metric_dot()'s) */
    if (F4 < (int)F__COUNT) {
        s01[0] += x[F4] * u[F4];
        t01[0] += x[F4] * v[F4];
    }
    if (F4 + 1 < (int)F__COUNT) {
        s01[1] += x[F4 + 1] * u[F4 + 1];
        t01[1] += x[F4 + 1] * v[F4 + 1];
    }
    if (F4 + 2 < (int)F__COUNT) {
        s23[0] += x[F4 + 2] * u[F4 + 2];
        t23[0] += x[F4 + 2] * v[F4 + 2];
    }
    *ru = (s01[0] + s01[1]) + (s23[0] + s23[1]);
    *rv = (t01[0] + t01[1]) + (t23[0] + t23[1]);
}

/* The totals of the metrics the technology gives (ASIC: area and energy;
 * FPGA: four cell counts), two at a time; the others 0. */
static inline __attribute__((always_inline)) void
metric_totals(const struct cost_ctx *x, const struct dp_derived *d, const double *xt,
              double total[M__COUNT])
{
    _Static_assert(M__COUNT * sizeof(double) % 16 == 0, "zero_small clears 16 bytes at a time");
    zero_small(total, M__COUNT * sizeof(double));
    /* SPARSE_PAIRS' features are 0: no DSP tiles, no block scaling (the
     * inventories' only converters and decoders), no SRAM macros */
    int sparse = x->sparse && !(d->mx | d->act_sram | d->fifo_sram);
    int i = 0;
    if (sparse)
        for (; i + 2 <= x->nm; i += 2)
            metric_dot2(xt, x->unit[i], x->unit[i + 1], &total[x->m[i]], &total[x->m[i + 1]],
                        1);
    else
        for (; i + 2 <= x->nm; i += 2)
            metric_dot2(xt, x->unit[i], x->unit[i + 1], &total[x->m[i]], &total[x->m[i + 1]],
                        0);
    if (i < x->nm)
        total[x->m[i]] = metric_dot(xt, x->unit[i]);
}

void cost_ctx_init(struct cost_ctx *x, const struct tech *t)
{
    memset(x, 0, sizeof *x);
    x->t = t;
    for (int m = 0; m < M__COUNT; m++)
        if (t->has[m]) {
            x->m[x->nm] = m;
            x->unit[x->nm++] = t->unit[m];
        }
    x->timed = tech_timed(t);
    /* metric_dot2 may skip SPARSE_PAIRS' features when the technology
     * has no DSP tiles and every unit of those features is finite (0 x
     * inf would be NaN) */
    x->sparse = !t->dsp_a;
    for (int i = 0; i < x->nm; i++)
        for (int f = 0; f < F__COUNT; f++)
            if ((SPARSE_PAIRS >> (f / 2) & 1) && !isfinite(x->unit[i][f]))
                x->sparse = 0;
}

/* Where Yosys's memory_libmap puts a W x D memory on an FPGA: flip-flops,
 * LUT RAM (xc7) or block RAM, and how many cells. It takes the option of
 * least cost (yosys passes/memory/memory_libmap.cc; the libraries
 * techlibs/ice40/brams.txt, xilinx/lutrams_xc5v.txt, xilinx/brams_xc4v.txt
 * with HAS_SIZE_36): logic 1 per bit, a tie going to logic; a mode of
 * depth md and width mw takes a = ceil(D / md) rows in k cells (mem_best)
 * at its cost each, plus 0.5 per bit of the read mux across the rows
 * ((a - 1) W) and 0.5 per row of write decode (a > 1); an xc7 LUT RAM
 * (RAM32M: 32 x 6, RAM64M: 64 x 3, cost 8 with width scale 7) costs 1
 * per cell plus 7 per row and unit width; an asynchronous read (the
 * result FIFO) 8 more. Checked against 210 xc7 and 81 ice40 shapes of
 * tf_ram alone (every choice and count as synthesized: tests/unit/
 * test_cost.c), tf_fifo's thresholds, and whole cores
 * (docs/cost-model.md, "FPGA memories"). */
struct mem_mode {
    long depth, width;
    double cost;
    int units; /* cells it counts as: 18 Kb blocks on xc7 (RAMB36 = 2), LUT RAM cells */
    int byte;  /* block RAM: rows of words share cells, each word taking whole
                  bytes of this many bits (min(byte, width)); 0 (LUT RAM):
                  whole cells a row */
};

static const struct mem_mode ice40_bram[] = {
    { 256, 16, 64, 1, 1 }, { 512, 8, 64, 1, 1 }, { 1024, 4, 64, 1, 1 }, { 2048, 2, 64, 1, 1 },
};
static const struct mem_mode xc7_bram[] = {
    { 512, 36, 129, 1, 9 },   { 512, 72, 257, 2, 9 }, /* simple dual port */
    { 1024, 18, 129, 1, 9 },  { 2048, 9, 129, 1, 9 },  { 4096, 4, 129, 1, 9 },
    { 8192, 2, 129, 1, 9 },   { 16384, 1, 129, 1, 9 }, { 1024, 36, 257, 2, 9 },
    { 2048, 18, 257, 2, 9 },  { 4096, 9, 257, 2, 9 },  { 8192, 4, 257, 2, 9 },
    { 16384, 2, 257, 2, 9 },  { 32768, 1, 257, 2, 9 },
};

enum mem_kind { MEM_LOGIC, MEM_LUTRAM, MEM_BRAM };

struct mem_map {
    enum mem_kind kind;
    double cells; /* LUT RAM cells (4 LUTs each) or 18 Kb blocks (xc7), SB_RAM40_4K (ice40) */
    long rows;    /* LUT RAM: rows of cells (a read mux joins more than one) */
};

/* The cheapest mode of a table; *cost its cost. ws: the width scale;
 * emu: the cost of emulating what the cells lack (an asynchronous read).
 * (The width-scaled part divided exactly: as an integer division, RAM32M
 * and RAM64M would tie at 8 x 129, where Yosys takes RAM64M.) */
static double mem_best(const struct mem_mode *m, int n, long w, long d, double ws, double emu,
                       double *cost, long *rows)
{
    double best = -1, cells = 0;
    for (int i = 0; i < n; i++) {
        /* a rows of w bits: LUT RAM takes whole cells a row; a block RAM
         * holds the rows' words end to end, each word in whole bytes
         * (memory_libmap's swizzle): ceil(a sw / mw) blocks, sw = w rounded
         * up to bytes (ice40 66 x 683: 3 rows of 256 x 16 in 13 blocks, not
         * 15; xc7 88 x 1125: 3 rows of 90 bits in 4 RAMB36 512 x 72, and
         * 48 x 4096 in 6 RAMB36 4096 x 9, where 2 rows of 54 bits would take
         * 12 RAMB18 2048 x 9) */
        long a = cdiv(d, m[i].depth), k;
        if (m[i].byte) {
            long b = m[i].byte < m[i].width ? m[i].byte : m[i].width;
            k = cdiv(a * (cdiv(w, b) * b), m[i].width);
        } else {
            k = a * cdiv(w, m[i].width);
        }
        double c = (double)k * (m[i].cost - ws) + ws * (double)a * (double)w / (double)m[i].width +
                   0.5 * (double)(a - 1) * (double)w + (a > 1 ? 0.5 * (double)a : 0) + emu;
        if (best < 0 || c < best) {
            best = c;
            cells = (double)k * m[i].units;
            *rows = a;
        }
    }
    *cost = best;
    return cells;
}

static struct mem_map fpga_mem_map(enum tech_target target, long w, long d, int sync_read)
{
    struct mem_map r = { MEM_LOGIC, 0, 0 };
    if (target == TECH_ASIC)
        return r;
    long rows;
    /* an asynchronous read (the result FIFO) costs 8 more in any cell,
     * measured: tf_fifo alone stays in flip-flops up to 13 bits x 2 words
     * on xc7 (LUT RAM from 14) and to 9 x 8 on ice40 (block RAM from 10) */
    double best = (double)w * (double)d, c, emu = sync_read ? 0 : 8;
    if (target == TECH_XC7) {
        static const struct mem_mode lutram[] = { { 32, 6, 8, 1, 0 }, { 64, 3, 8, 1, 0 } };
        double cells = mem_best(lutram, 2, w, d, 7, emu, &c, &rows);
        if (c < best) {
            best = c;
            r = (struct mem_map){ MEM_LUTRAM, cells, rows };
        }
    }
    double cells = target == TECH_XC7
                       ? mem_best(xc7_bram, (int)(sizeof xc7_bram / sizeof xc7_bram[0]), w, d, 0,
                                  emu, &c, &rows)
                       : mem_best(ice40_bram, 4, w, d, 0, emu, &c, &rows);
    if (c < best)
        r = (struct mem_map){ MEM_BRAM, cells, rows };
    return r;
}

int cost_fpga_mem(enum tech_target target, long width, long depth, int sync_read,
                  double *cells)
{
    struct mem_map m = fpga_mem_map(target, width, depth, sync_read);
    *cells = m.cells;
    return (int)m.kind;
}

/* Where an FPGA flow puts the core's two memories (fpga_mem_map), worked
 * out once a point: the activation buffer (a registered read; an SRAM
 * macro's behavioural wrapper is the same memory) and the result FIFO's
 * storage (an asynchronous read; its SRAM macro's is registered). */
struct fpga_mems {
    struct mem_map buf, fifo;
};

static void fpga_mems_of(const struct design_point *dp, enum tech_target target,
                         struct fpga_mems *m)
{
    const struct dp_derived *d = &dp->d;
    m->buf = fpga_mem_map(target, d->act_bits, d->buf_depth, 1);
    m->fifo = dp->out_depth > 1
                  ? fpga_mem_map(target, d->res_bits + 1, dp->out_depth, d->fifo_sram)
                  : (struct mem_map){ MEM_LOGIC, 0, 0 };
}

/* Whether the activation buffer's storage is no logic (m: the mapping;
 * on an ASIC logic, so never): in ice40 or xc7 block RAM, or in xc7 flip-flops (a
 * one-word buffer). Its fitted F_RAM is then taken out, where a fitted
 * `ram` line priced it like the buffers left in flip-flops (ice40) or in
 * LUT RAM (xc7). A one-word buffer has no address, and Yosys keeps it a
 * register (FP16 64x64 --hier cores at max_cols 64: 1,023 flip-flops more
 * than LUT RAM with its read register, docs/cost-model.md, "FPGA
 * flip-flops, traced"). An SRAM macro's wrapper is the same memory
 * (fpga_sram_wrappers). */
static inline int buf_storage_not_logic(const struct tech *t, const struct fpga_mems *m)
{
    return m->buf.kind == MEM_BRAM || (t->target == TECH_XC7 && m->buf.kind == MEM_LOGIC);
}

/* On an FPGA an SRAM macro (mem_style=sram) is its behavioural wrapper
 * (tf_sram_1r1w: the RTL of tf_ram, a registered read), inferred by its
 * shape as the flip-flop buffer is, so priced as it is: its words as
 * F_RAM where they are not in block RAM (into buf for the activation
 * buffer, fifo for the result FIFO's; the flip-flops in fpga_ffs_adjust).
 * The technology's `sram` lines (none on an FPGA) price nothing there. */
static inline void fpga_sram_wrappers(const struct design_point *dp, const struct tech *t,
                                      const struct fpga_mems *m, double *buf, double *fifo)
{
    const struct dp_derived *d = &dp->d;
    if (d->act_sram && !buf_storage_not_logic(t, m))
        buf[F_RAM] += (double)d->act_bits * (double)d->buf_depth;
    if (d->fifo_sram && m->fifo.kind != MEM_BRAM)
        fifo[F_RAM] += (double)(d->res_bits + 1) * (double)dp->out_depth;
}

/* The fitted `ram` unit prices a memory in xc7 LUT RAM per bit, fitted on
 * the calibration points, whose buffers are 4 to 16 words deep (one
 * RAM32M row: its LUTs grow with the width, not the depth). A deeper one
 * takes its first RAM_FIT_DEPTH words at that unit and the rest as
 * counted: 4 LUTs a RAM32M/RAM64M cell and the read mux across rows
 * (tf_ram synthesized alone: W + rows LUTs to 4 rows, 4 W + rows beyond).
 * Returns the bits taken out of F_RAM; *luts gets the LUTs added. */
#define RAM_FIT_DEPTH 16
static double lutram_luts(const struct mem_map *m, long w)
{
    double mux = m->rows <= 1   ? 0
                 : m->rows <= 4 ? (double)(w + m->rows)
                                : (double)(4 * w + m->rows);
    return 4 * m->cells + mux;
}

static double lutram_deep(const struct tech *t, const struct mem_map *m, long w, long d,
                          double *luts)
{
    if (t->target != TECH_XC7 || m->kind != MEM_LUTRAM || d <= RAM_FIT_DEPTH)
        return 0;
    *luts += lutram_luts(m, w) - 4 * (double)cdiv(w, 6);
    return (double)w * (double)(d - RAM_FIT_DEPTH);
}

/* The result FIFO in flip-flops' RTL (tf_fifo: an asynchronous read),
 * put into xc7 LUT RAM by Yosys, deeper than the 8 words of the deepest
 * calibration FIFO: its words beyond 8 leave the fitted features (their
 * register bits and read mux) and are counted instead: the cells' LUTs, the
 * read mux across rows and the control's growth, about 6 LUTs a doubling
 * of the depth (tf_fifo alone, 13 shapes: within 4 LUTs). Returns the
 * words kept in the features (depth, or 8); *luts gets the LUTs added. */
#define FIFO_FIT_DEPTH 8
static long fifo_deep(const struct design_point *dp, const struct tech *t,
                      const struct mem_map *m, double *luts)
{
    long fw = dp->d.res_bits + 1, d = dp->out_depth;
    if (t->target != TECH_XC7 || m->kind != MEM_LUTRAM || d <= FIFO_FIT_DEPTH || dp->d.fifo_sram)
        return d;
    struct mem_map m8 = { MEM_LUTRAM, (double)cdiv(fw, 6), 1 }; /* one RAM32M row */
    *luts += lutram_luts(m, fw) - lutram_luts(&m8, fw) +
             6 * log2((double)d / FIFO_FIT_DEPTH);
    return FIFO_FIT_DEPTH;
}

/* An ice40 memory in more than one row of block RAMs (deeper than one
 * block of its cheapest mode: 256 words of 16 bits ... 2048 of 2):
 * memory_libmap reads the rows through a mux and decodes the row of each
 * write. tf_ram alone (226 shapes, widths 1..64, depths 300..20000, 2..17
 * rows; notes in docs/cost-model.md, "FPGA memories"): (0.738 w + 5.01)
 * (rows - 1) LUTs more than one row's w + 7, MAPE 17.6 %. Every
 * calibration buffer is one row, so the fitted features price one row. */
static double ice40_bram_rows_luts(const struct mem_map *m, long w)
{
    return m->rows > 1 ? (0.738 * (double)w + 5.01) * (double)(m->rows - 1) : 0;
}

/* What an FPGA point's memories take out of the fitted features and
 * count instead (lutram_deep, fifo_deep; ice40_bram_rows_luts only adds),
 * by component: the buffer's and
 * a FIFO macro's F_RAM bits, a flip-flop FIFO's register and read-mux
 * bits, and the LUTs counted for them. One place for eval_core,
 * price_components and calibrate (cost_fpga_counted_luts). */
struct fpga_counted {
    double buf_ram, fifo_ram, fifo_bits; /* bits out of the features */
    double buf_luts, fifo_luts;          /* LUTs counted */
};

static void fpga_counted_of(const struct design_point *dp, const struct tech *t,
                            const struct fpga_mems *m, struct fpga_counted *k)
{
    const struct dp_derived *d = &dp->d;
    *k = (struct fpga_counted){ 0, 0, 0, 0, 0 };
    if (!buf_storage_not_logic(t, m))
        k->buf_ram = lutram_deep(t, &m->buf, d->act_bits, d->buf_depth, &k->buf_luts);
    else if (t->target == TECH_ICE40 && m->buf.kind == MEM_BRAM)
        k->buf_luts += ice40_bram_rows_luts(&m->buf, d->act_bits);
    if (d->fifo_sram)
        k->fifo_ram = lutram_deep(t, &m->fifo, d->res_bits + 1, dp->out_depth, &k->fifo_luts);
    k->fifo_bits = (double)(d->res_bits + 1) *
                   (double)(dp->out_depth - fifo_deep(dp, t, &m->fifo, &k->fifo_luts));
}

double cost_xc7_lutram_luts(long width, long depth)
{
    struct mem_map m = fpga_mem_map(TECH_XC7, width, depth, 1);
    return m.kind == MEM_LUTRAM ? lutram_luts(&m, width) : -1;
}

/* Block RAMs of a point: 18 Kb blocks on xc7 (a RAMB36 counts 2),
 * SB_RAM40_4K on ice40 (the FIFO's read in block RAM is emulated by one
 * word of flip-flops: fpga_ffs_adjust). */
static double fpga_brams(const struct fpga_mems *m)
{
    return (m->buf.kind == MEM_BRAM ? m->buf.cells : 0) +
           (m->fifo.kind == MEM_BRAM ? m->fifo.cells : 0);
}

/* Features by component: every item through sink(). */
static void price_components(const struct design_point *dp, const struct tech *t,
                             double (*xc)[F__COUNT], double deep_luts[2])
{
    struct inventory inv;
    inv_init(&inv);
    struct sink_ctx sc = { t, NULL, xc, 0, 0 };
    inv.sink = sink;
    inv.sink_ctx = &sc;
    kind_get(dp)->inventory(dp, &inv);
    if (dsp_mac_core(&sc)) {
        dsp_tree_adjust(dp, xc[COMP_ADDER_TREE], xc[COMP_ACCUMULATOR], xc[COMP_PIPELINE]);
        if (t->ffs_count)
            xc[COMP_PIPELINE][F_REG] -= dp->d.kq_bits;
    }
    xc[COMP_CONTROLLER][F_ONE] += 1;
    struct fpga_mems mems;
    fpga_mems_of(dp, t->target, &mems);
    if (buf_storage_not_logic(t, &mems))
        xc[COMP_ACT_BUFFER][F_RAM] = 0;
    if (t->target != TECH_ASIC)
        fpga_sram_wrappers(dp, t, &mems, xc[COMP_ACT_BUFFER], xc[COMP_OUT_FIFO]);
    struct fpga_counted k;
    fpga_counted_of(dp, t, &mems, &k);
    xc[COMP_ACT_BUFFER][F_RAM] -= k.buf_ram;
    xc[COMP_OUT_FIFO][F_RAM] -= k.fifo_ram;
    xc[COMP_OUT_FIFO][F_REG] -= k.fifo_bits;
    xc[COMP_OUT_FIFO][feat_of(t, COMP_OUT_FIFO, PRIM_MUX)] -= k.fifo_bits;
    deep_luts[0] = k.buf_luts;
    deep_luts[1] = k.fifo_luts;
    struct shell_loads l;
    shell_loads(dp, t->delay, tree_cut_mask(dp), &l);
    xc[COMP_ACT_BUFFER][F_SLEW] += l.buf * l.buf;
    xc[COMP_OUT_FIFO][F_SLEW] += l.fifo2;
    xc[COMP_PIPELINE][F_SLEW] += l.valid * l.valid;
    xc[COMP_ACCUMULATOR][F_SLEW] += l.first * l.first;
}

/* Features of the whole core, from a tally of the inventory (ty; the
 * items it does not sum went to sink() with sc, into xt): the bits of
 * the primitives priced per bit are exact integer sums (as were the
 * per-item sums in double), so this equals pricing item by item through
 * sink(); the few items priced by their shape go through sink() as they
 * come. Every feature is an integer below 2^53, so no sum depends on the
 * order of its terms. */
static inline __attribute__((always_inline)) void
price_tally(const struct design_point *dp, const struct tech *t, struct inv_tally ty,
            const struct sink_ctx *sc, double *xt)
{
    /* What the tally summed by unit (inv_add: all but the multipliers,
     * SRAM macros and block converters, which went to sink(), and the FP
     * adders, summed below). */
#pragma GCC unroll 16
    for (int p = 0; p < PRIM__COUNT; p++)
        if (p != PRIM_MUL && p != PRIM_FPMUL && p != PRIM_FPADD && p != PRIM_SRAM &&
            p != PRIM_SEL && p != PRIM_MXCONV)
            xt[prim_feat[p]] = (double)ty.units[p];
    xt[t->split_sel ? F_SEL : F_MUX] += (double)ty.units[PRIM_SEL];
    /* the multipliers' sink() gave F_FPPIPE its FP multipliers' part */
    xt[F_FPPIPE] += (double)ty.fp_pipe;
    if (fpadd_narrows(t)) {
        ty.fpadd -= ty.fpadd_drop;
        ty.fpadd_lut -= ty.fpadd_lut_drop;
    }
    if (t->split_lut_fpadd) {
        xt[F_FPADD] = (double)ty.fpadd;
        xt[F_FPADDLUT] = (double)ty.fpadd_lut;
    } else {
        xt[F_FPADD] = (double)(ty.fpadd + ty.fpadd_lut);
    }
    if (dsp_mac_core(sc)) {
        dsp_tree_adjust(dp, xt, xt, xt);
        /* the weight register feeds only the multipliers' B inputs: Yosys
         * puts it into the DSP tiles (BREG = 1), so it has no flip-flops */
        if (t->ffs_count)
            xt[F_REG] -= dp->d.kq_bits;
    }
    xt[F_ONE] += 1;
    if (t->split_lut_add) { /* feat_of's LUT-build adders */
        xt[F_ADD] -= (double)ty.add_lut;
        xt[F_ADDLUT] = (double)ty.add_lut;
    }
    if (ty.neg_merged) { /* feat_of_item's PRIM_NEG */
        xt[F_NEG] -= (double)ty.neg_merged;
        xt[merged_neg_feat(t)] += (double)ty.neg_merged;
    }
}

/* Flip-flops on an FPGA technology with `ffs_count` are a count: its ffs
 * line counts every register bit and FP pipeline bit once (and one flip-flop
 * Yosys adds to every core), and this adds what Yosys's memory_libmap does
 * with the two memories, read from the netlists (docs/cost-model.md, "FPGA
 * flip-flops, traced"):
 * each memory where fpga_mem_map puts it (session 18):
 * - the activation buffer: in LUT RAM (xc7) its registered read port stays
 *   in flip-flops (+ act_bits); in block RAM the blocks hold it (0); in
 *   logic its words and read register (+ bits + act_bits);
 * - the result FIFO's storage (register bits in the inventory): in LUT RAM
 *   none of them (- its bits); in block RAM one word for its read (- its
 *   bits + one word); in logic all of them.
 * SRAM macros (mem_style=sram): their wrappers are these memories with a
 * registered read (fpga_sram_wrappers), the FIFO's as the buffer's.
 * And it takes out the flip-flops Yosys drops as dead or constant (below),
 * each by the component it is in. */
struct fpga_ffs {
    double buf, fifo, acc, lut, pipe; /* by component: act_buffer, out_fifo, ... */
};

static void fpga_ffs_adjust(const struct design_point *dp, const struct tech *t,
                            const struct fpga_mems *mems, struct fpga_ffs *f)
{
    const struct dp_derived *d = &dp->d;
    *f = (struct fpga_ffs){ 0, 0, 0, 0, 0 };
    if (!t->ffs_count || t->target == TECH_ASIC)
        return;
    /* An FP activation widened into the sum format (FP8 into fp16, fp16
     * into fp32, ...) keeps acc_man - act_man fraction bits at 0, and Yosys
     * drops the flip-flops that hold them: the registered LUT entries that
     * are one activation (mu of a table's entries: 1, 3, 9, ...; lut_reg)
     * and the tree's first register when its terms are activations (tsign;
     * tlut with mu 1), and later ones of such a term. Measured:
     * v_tlut_e5m2_m2 6 x 8 = 48 (xc7 and ice40), FP8 E4M3 tlut mu 1 with
     * tree_stages 1 (1 + 3) x 7 = 28: flip-flops exact. Flat flows only:
     * `--hier` keeps the table and the widening as modules, and the
     * constant bits do not cross their ports (h32_tlut_e4m3_m2 exact
     * without this). */
    int zb = d->act_man ? d->acc_man - d->act_man : 0;
    if (zb > 0 && !t->fpadd_kept) { /* a hierarchical flow keeps them (module ports) */
        if (dp->kind == KIND_TLUT && dp->lut_reg)
            f->lut = -(double)zb * (double)(dp->mu * dp->luts * dp->batch);
        if (dp->kind == KIND_TSIGN || (dp->kind == KIND_TLUT && dp->mu == 1)) {
            /* the terms at cut 0; at a later cut, an odd last term that
             * every level so far passed up unchanged (tsign bf16 -> fp32,
             * P 3, tree_stages 3: 3 x 2 x 16 + 2 x 16 = 128 of 128) */
            uint32_t cuts = tree_cut_mask(dp);
            long n = d->tree_terms, regs = cuts & 1 ? n : 0;
            int tail = 1;
            for (int lv = 1; lv <= d->tree_levels; lv++) {
                tail = tail && n % 2;
                n = (n + 1) / 2;
                regs += (cuts >> lv & 1) && tail;
            }
            f->pipe = -(double)zb * (double)d->acc_lanes * (double)regs;
        }
    }
    /* A block-scaled row group of one block never reads its FP
     * accumulators (the first-tile flag is the constant 1: mx_one_block),
     * and Yosys drops them: acc_bits per column lane. Measured on xc7 and
     * ice40 (one-block MXFP4, MXFP8, MXINT8, NVFP4 cores, batch 1 and 2):
     * 64 to 128 of the 70 to 138 flip-flops the count had over. The
     * inventory keeps them (they are in the RTL), and so does the ASIC
     * price, which is fitted with them; a flat ASIC price drops their
     * adders instead (fp_acc_inputs, fpadd_flat_ops). */
    if (mx_one_block(d))
        f->acc = -(double)d->acc_bits * (double)d->acc_lanes;
    /* The buffer: in block RAM its storage and read register are inside
     * the blocks (0); in LUT RAM the registered read port stays (+ act_bits);
     * in logic the storage and the read register (+ bits + act_bits). */
    long w = d->act_bits, words = d->buf_depth;
    f->buf = mems->buf.kind == MEM_BRAM     ? 0
             : mems->buf.kind == MEM_LUTRAM ? (double)w
                                            : (double)(w * words + w);
    long fw = d->res_bits + 1, depth = dp->out_depth;
    enum mem_kind fm = mems->fifo.kind;
    if (d->fifo_sram) {
        /* tf_sram_fifo's macro wrapper (its words are F_RAM, not
         * registers): its words and read register as the buffer's; in
         * ice40 block RAM, memory_libmap emulates the read-first order of
         * a write and a read of one address (its log: "emulate read-first
         * behavior", "emulate transparency"): 2 words, the address and 2
         * bits. And one of the FIFO's control bits less, which Yosys
         * merges with one of the core's. Measured, tf_sram_fifo alone (6
         * shapes, 8..40 bits x 16..256 words, both FPGAs) and in 22 cores:
         * exact (docs/cost-model.md, "SRAM macros on an FPGA"). */
        double emu = t->target == TECH_ICE40 ? (double)(2 * fw + clog2((uint64_t)depth) + 2) : 0;
        f->fifo = (fm == MEM_BRAM     ? emu
                   : fm == MEM_LUTRAM ? (double)fw
                                      : (double)(fw * depth + fw)) -
                  1;
        return;
    }
    if (fm == MEM_LUTRAM) { /* xc7: its read address register goes into the port */
        double luts = 0; /* (the words left in the features: fifo_deep) */
        f->fifo = -(double)(fw * fifo_deep(dp, t, &mems->fifo, &luts));
    }
    /* In block RAM (ice40: memory_libmap's cost rule, the asynchronous
     * read's 8 included) the FIFO keeps one word of flip-flops for its
     * read (measured: 4 blocks at 53 and 57 bits x 8 words, flip-flops
     * exact; at out_depth 2 logic always wins). The FIFO's LUTs stay in
     * the fitted units. */
    if (fm == MEM_BRAM)
        f->fifo = -(double)(fw * depth) + (double)fw;
}

double cost_fpga_counted_luts(const struct design_point *dp, const struct tech *t)
{
    struct fpga_mems mems;
    struct fpga_counted k;
    fpga_mems_of(dp, t->target, &mems);
    fpga_counted_of(dp, t, &mems, &k);
    return k.buf_luts + k.fifo_luts;
}

void cost_components(const struct design_point *dp, const struct tech *t, struct cost *c)
{
    memset(c->x, 0, sizeof c->x);
    double deep[2];
    price_components(dp, t, c->x, deep);
    for (int k = 0; k < COMP__COUNT; k++)
        for (int m = 0; m < M__COUNT; m++)
            c->comp[k][m] = metric_dot(c->x[k], t->unit[m]);
    c->comp[COMP_ACT_BUFFER][M_LUTS] += deep[0];
    c->comp[COMP_OUT_FIFO][M_LUTS] += deep[1];
    struct fpga_ffs f;
    struct fpga_mems mems;
    fpga_mems_of(dp, t->target, &mems);
    fpga_ffs_adjust(dp, t, &mems, &f);
    c->comp[COMP_ACT_BUFFER][M_FFS] += f.buf;
    c->comp[COMP_OUT_FIFO][M_FFS] += f.fifo;
    c->comp[COMP_ACCUMULATOR][M_FFS] += f.acc;
    c->comp[COMP_LUT_STORE][M_FFS] += f.lut;
    c->comp[COMP_PIPELINE][M_FFS] += f.pipe;
}

/* The two parts of cost_eval, inlined into it and into their exported
 * copies (cost_eval_core, cost_eval_memory). With two callers GCC no
 * longer inlined price_tally and job_cycles, which it did while
 * cost_eval was their only one: they are always inlined now, so
 * cost_eval is the code it was. */
static inline __attribute__((always_inline)) void
eval_core(const struct design_point *dp, const struct cost_ctx *x, const struct workload *wl,
          struct cost *c)
{
    const struct tech *t = x->t;
    const struct dp_derived *d = &dp->d;
    double *xt = c->xt;
    zero_small(xt, sizeof c->xt); /* not `= { 0 }`: that is a slow `rep stos` */
    /* the shell's loads, once for F_SLEW and the path walk */
    uint32_t cuts = tree_cut_mask(dp);
    struct shell_loads l;
    shell_loads(dp, t->delay, cuts, &l);
    /* The walk's shell stages (none without delay terms: FPGA files),
     * then the kind's tally and the rest of its walk in one call. */
    struct paths ps = { .delay = t->delay };
    if (x->timed)
        shell_path(dp, &ps, &l);
    /* The loads' F_SLEW (nothing else sets it), in the order
     * price_components sums them: equal to the last bit. Before the kind's
     * call, so the loads need not be saved across it. */
    xt[F_SLEW] = ((l.buf * l.buf + l.fifo2) + l.valid * l.valid) + l.first * l.first;
    struct inv_tally ty;
    struct sink_ctx sc = { t, xt, NULL, 0, 0 };
    const double *delay = x->timed ? t->delay : NULL;
    struct path_end e;
    /* A call site of its own for each kind (see dp_finalize), and there
     * the kind's copy for the point's activation class (TALLY_PATH_FN). */
    int cls = act_class_of(d);
#define KIND(E, name, flags)                                                                  \
    if (dp->kind == KIND_##E)                                                                 \
        e = name##_ops.tally_path[cls](dp, &ty, sink, &sc, delay, ps.worst, ps.worst_name,    \
                                       cuts);                                                 \
    else
#include "kinds.def"
        kind_bug(dp->kind);
    price_tally(dp, t, ty, &sc, xt);
    /* the memories' mapping on an FPGA, once; the buffer's F_RAM as
     * price_components takes it out */
    struct fpga_mems mems; /* read only on an FPGA (fpga_ffs_adjust: ASIC returns) */
    int fpga = t->target != TECH_ASIC;
    double deep_luts = 0;
    if (fpga) {
        fpga_mems_of(dp, t->target, &mems);
        if (buf_storage_not_logic(t, &mems))
            xt[F_RAM] = 0;
        fpga_sram_wrappers(dp, t, &mems, xt, xt);
        struct fpga_counted k; /* words counted, not fitted */
        fpga_counted_of(dp, t, &mems, &k);
        xt[F_RAM] -= k.buf_ram + k.fifo_ram;
        xt[F_REG] -= k.fifo_bits;
        xt[feat_of(t, COMP_OUT_FIFO, PRIM_MUX)] -= k.fifo_bits;
        deep_luts = k.buf_luts + k.fifo_luts;
    }
    /* Without delay terms every segment is 0 and the first, the
     * controller, stays the slowest. */
    c->critical_path_ns = x->timed ? e.worst : 0;
    c->critical_stage = x->timed ? e.name : "controller";
    /* Each total is metric_dot()'s four short chains of additions instead
     * of one of F__COUNT, two metrics a pass. */
    metric_totals(x, d, xt, c->total);
    if (t->ffs_count) {
        struct fpga_ffs f;
        fpga_ffs_adjust(dp, t, &mems, &f);
        c->total[M_FFS] += (f.buf + f.fifo) + (f.acc + (f.lut + f.pipe));
    }
    if (fpga) {
        c->total[M_LUTS] += deep_luts;
        c->brams = fpga_brams(&mems);
    } else {
        c->brams = 0;
    }

    c->fmax_mhz = c->critical_path_ns > 0 ? 1e3 / c->critical_path_ns : 0;
    c->clock_ns = wl->clock_ns > 0           ? wl->clock_ns
                  : c->critical_path_ns > 0 ? c->critical_path_ns
                                            : t->clock_ns;

    /* Work and traffic of one pass: one job per matrix, covering `batch`
     * columns (tokens). The weights cross the memory interface as the core
     * consumes them, once per pass: R x T beats of wgt_bits each, the
     * padding of a partial tile or row group included (what `ternforge
     * pack` writes). Activations and results move for every column slot of
     * a pass, the empty slots of a short last pass included. */
    long K = d->outputs, nb = dp->batch;
    /* block-scaled: a block's k inputs take ceil(k / tile_cols) beats */
    c->peak_macs_per_cycle = (double)K * (d->mx ? (double)d->mx / tiles_of(d, d->mx)
                                                : (double)d->tile_cols) * nb;
    /* x / 1 is x exactly: the divisions by a spacing or a column count of
     * 1 (the common case) are skipped; a point has about ten divisions,
     * and the divider is not pipelined the way the adders are. */
    if (d->spacing != 1)
        c->peak_macs_per_cycle /= d->spacing;
    long B = wl->B, passes = nb == 1 ? B : cdiv(B, nb);
    double job = 0, macs = 0, wbits = 0, abits = 0, rbits = 0;
    if (wl->model)
        for (int i = 0; i < wl->model->nmat; i++) {
            const struct model_layer *l = &wl->model->mat[i];
            double n = (double)wl->model->layers;
            job += n * job_cycles(dp, l->M, l->N);
            macs += n * l->M * l->N;
            wbits += n * stream_bits(dp, l->M, l->N);
            abits += n * act_bits_of(d, l->N);
            rbits += n * l->M * d->lane_bits;
        }
    else {
        job = job_cycles(dp, wl->M, wl->N);
        macs = (double)wl->M * wl->N;
        wbits = stream_bits(dp, wl->M, wl->N);
        abits = act_bits_of(d, wl->N);
        rbits = (double)wl->M * d->lane_bits;
    }
    double slots = (double)passes * nb; /* columns streamed, empty ones too */
    c->cycles = (double)passes * job;
    c->macs = macs * B;
    c->macs_per_cycle = c->macs / c->cycles;
    double ecyc = c->total[M_ENERGY];
    /* per column: the passes' energy shared by the B columns */
    c->energy_pj_per_gemv = ecyc * job * passes;
    if (B != 1)
        c->energy_pj_per_gemv /= B;
    c->energy_pj_per_mac = c->energy_pj_per_gemv / macs;
    c->power_mw = ecyc / c->clock_ns;
    c->weight_bits = wbits / macs;
    c->bytes_weights = (double)passes * wbits / 8;
    c->bytes_acts = slots * abits / 8;
    c->bytes_results = slots * rbits / 8;
    c->time_compute_s = c->cycles * c->clock_ns * 1e-9;
    c->weight_bytes_per_token = c->bytes_weights;
    if (B != 1)
        c->weight_bytes_per_token /= B;
}

static inline __attribute__((always_inline)) void eval_memory(const struct workload *wl,
                                                              struct cost *c)
{
    long B = wl->B;
    if (wl->bw_gbps > 0)
        c->time_memory_s =
            (c->bytes_weights + c->bytes_acts + c->bytes_results) / (wl->bw_gbps * 1e9);
    else
        c->time_memory_s = 0;
    c->memory_bound = c->time_memory_s > c->time_compute_s;
    c->time_s = c->memory_bound ? c->time_memory_s : c->time_compute_s;
    c->tokens_per_s = (double)B / c->time_s;
    double bits = (c->bytes_weights + c->bytes_acts + c->bytes_results) * 8;
    if (B != 1)
        bits /= B;
    c->mem_energy_pj_per_token = bits * wl->mem_pj_per_bit;
    c->energy_pj_per_token = c->energy_pj_per_gemv + c->mem_energy_pj_per_token;
}

void cost_eval(const struct design_point *dp, const struct tech *t,
               const struct workload *wl, struct cost *c)
{
    struct cost_ctx x;
    cost_ctx_init(&x, t);
    eval_core(dp, &x, wl, c);
    eval_memory(wl, c);
}

void cost_eval_ctx(const struct design_point *dp, const struct cost_ctx *x,
                   const struct workload *wl, struct cost *c)
{
    eval_core(dp, x, wl, c);
    eval_memory(wl, c);
}

void cost_eval_core(const struct design_point *dp, const struct cost_ctx *x,
                    const struct workload *wl, struct cost *c)
{
    eval_core(dp, x, wl, c);
}

void cost_eval_memory(const struct workload *wl, struct cost *c)
{
    eval_memory(wl, c);
}
