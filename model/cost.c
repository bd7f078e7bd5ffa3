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

const char *const feat_names[] = { "one", "add", "neg", "mux", "reg", "ram", "cmp", "mul",
                                   "shift", "fpadd", "fpaddlut", "fpmul", "fppipe", "fpcvt",
                                   "dsp", "dspadd", "macc" };
const char *const metric_names[] = { "area", "luts", "ffs", "carry", "dsps", "energy" };
const char *const metric_units[] = { "um2", "LUTs", "FFs", "carry cells", "DSPs",
                                     "pJ/cycle" };
const char *const dterm_names[] = { "reg", "add", "add0", "mux", "neg", "mul", "fpadd",
                                    "fpmul", "fanout", "load", "carry", "fp0" };

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

void feat_of_item(const struct tech *t, enum prim p, int w, int in, long count,
                  double x[F__COUNT])
{
    double c = (double)count;
    switch (p) {
    case PRIM_ADD: x[F_ADD] += c * w; break;
    case PRIM_NEG: x[F_NEG] += c * w; break;
    case PRIM_MUX: x[F_MUX] += c * w * (in - 1); break;
    case PRIM_REG: x[F_REG] += c * w; break;
    case PRIM_RAM: x[F_RAM] += c * w * in; break;
    case PRIM_CMP: x[F_CMP] += c * w; break;
    case PRIM_MUL: {
        int tiles = dsp_tiles(t, w, in);
        if (tiles)
            x[F_DSP] += c * tiles;
        else
            x[F_MUL] += c * w * in;
        break;
    }
    case PRIM_SHIFT: x[F_SHIFT] += c * w * clog2((uint64_t)(in > 1 ? in : 1)); break;
    case PRIM_FPADD:
    case PRIM_FPMUL: {
        int man = FP_MAN(in), lat = FP_LAT(in), sp = man + 1, e = w - 1 - man;
        if (p == PRIM_FPADD) {
            x[F_FPADD] += c * fpadd_ops(w, in);
        } else {
            int tiles = dsp_tiles(t, sp, sp);
            x[F_FPMUL] += c * ((tiles ? 0 : sp * sp) + 4 * (sp + e));
            x[F_DSP] += c * tiles;
        }
        x[F_FPPIPE] += c * lat * w;
        break;
    }
    case PRIM_FPCVT: x[F_FPCVT] += c * w; break;
    default: BUG("prim %d has no features", (int)p);
    }
}

/* ---- adder trees behind DSP multipliers ------------------------------- */

/* What Yosys synth_xilinx builds from the adder tree and accumulator of an
 * integer core whose multipliers are single DSP tiles (tmul, fixp int),
 * read from its logs (docs/cost-model.md):
 * - xilinx_dsp packs an adder one of whose operands is a raw product into
 *   that product's DSP post-adder (P = A*B + C): every level-1 adder, and
 *   an adder that meets an odd product passed up unchanged. A register
 *   between product and adder goes into the DSP too (MREG).
 * - The other adders are $add cells. alumacc merges an adder into the
 *   adder that consumes it when every result bit is used once: no pipeline
 *   register between them and no sign extension, which happens when the
 *   wrap-around accumulator (A bits) is no wider than the producer (wreduce
 *   trims the whole tree to A bits: tmul, whose tree carries the full
 *   w x w product while the ternary sums need fewer bits). A merged group
 *   of k >= 3 operands is one $macc; maccmap builds it as (k-2) rows of
 *   full adders in LUTs (ABC maps them with MUXF7/F8) and one carry-chain
 *   adder of the result width.
 * So: packed adders' bits move from F_ADD to F_DSPADD; a $macc's adders
 * leave F_ADD, its final adder (min(width, A) bits) stays, and its
 * (k-2) x width full-adder bits go to F_MACC. The tree is regular: a
 * level's terms are n copies of one state plus at most one odd last term,
 * so the walk is O(levels). */
#define MACC_MIN 4
enum tstate { T_FREE, T_LEAF, T_OPEN };
struct tterm {
    enum tstate s; /* raw DSP product / DSP output or register / open sum */
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

/* An adder of aw bits over a and b (a and b are consumed). */
static struct tterm t_add(const struct tadj *j, struct tterm a, struct tterm b, int aw)
{
    struct tterm r = { T_LEAF, 0, 0, 0 };
    if (a.s == T_FREE || b.s == T_FREE) {
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

/* Is this an integer core whose multipliers are single DSP tiles? */
static int dsp_mac_core(const struct design_point *dp, const struct tech *t)
{
    const struct dp_derived *d = &dp->d;
    if (!t->dsp_a || d->fp)
        return 0;
    if (dp->kind == KIND_TMUL)
        return dsp_tiles(t, (int)dp->act_width, (int)dp->act_width) == 1;
    if (dp->kind == KIND_FIXP && dp->w_encoding == WENC_INT)
        return dsp_tiles(t, d->x_ext, d->w_ext) == 1;
    return 0;
}

/* Move the tree's and accumulator's adder bits as described above. */
static void dsp_tree_adjust(const struct design_point *dp, const struct tech *t,
                            double *tree, double *acc)
{
    if (!dsp_mac_core(dp, t))
        return;
    const struct dp_derived *d = &dp->d;
    int A = d->acc_sat ? (d->acc_bits > d->tree_bits ? d->acc_bits : d->tree_bits) + 1
                       : d->acc_bits;
    int K = d->outputs;
    uint32_t cuts = tree_cut_mask(dp);
    struct tadj all = { tree, A, K }; /* for the odd last term */
    struct tterm reg = { T_FREE, 0, 0, 0 }, tail = reg;
    long n = d->tree_terms;                 /* copies of `reg` per output */
    int has_tail = 0;
    for (int lv = 1; lv <= d->tree_levels; lv++) {
        int aw = d->term_bits + lv;
        struct tadj rj = { tree, A, (double)K * (n / 2) };
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
            struct tadj cj = { tree, A, (double)K * n };
            t_close(&cj, &reg);
            if (has_tail)
                t_close(&all, &tail);
        }
    }
    /* The root with the accumulator register (an operand through the
     * first-tile mux). */
    if (reg.s == T_FREE) {
        acc[F_ADD] -= (double)K * A;
        acc[F_DSPADD] += (double)K * A;
        return;
    }
    long adds = 0;
    int k = t_take(&all, &reg, &adds) + 1; /* operands of the accumulator's adder */
    /* A $macc: the tree's adders leave F_ADD; the accumulator's adder,
     * A bits, stays as the final carry-chain adder. */
    if (k >= MACC_MIN) {
        tree[F_ADD] -= (double)K * adds;
        tree[F_MACC] += (double)K * A;
    }
}

/* ---- critical path --------------------------------------------------- */

/* Segments are built left to right: `cur` accumulates the delay until a
 * register closes the segment. The per-term counts are kept only when
 * calibration asks for them (`tr`); without them the few scalars here stay
 * in registers. */
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

static double top_lane_loads_of(int mu);
static double top_loads_tab[9], fp_build_loads_tab[9];

/* log2 of small integers, from a table: sweeps call this millions of times. */
static double lg_tab[4097];

void cost_init(void)
{
    for (int i = 0; i <= 4096; i++)
        lg_tab[i] = i > 1 ? log2(i) : 0;
    for (int mu = 1, entries = 1; mu <= 8; mu++, entries = 3 * entries + 1) {
        top_loads_tab[mu] = top_lane_loads_of(mu);
        fp_build_loads_tab[mu] = (double)entries * 2 / mu;
    }
}

static inline double lg(int n)
{
    if (n >= 0 && n <= 4096)
        return lg_tab[n];
    return n > 1 ? log2(n) : 0;
}

/* The walk's pieces are inlined into each caller of critical_path(): the
 * fast one (no tracking) keeps its few scalars in registers and has every
 * `if (ps->tr)` folded away. */
#define PATH_INLINE static inline __attribute__((always_inline))

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

/* The accumulator: the first-tile mux, the adder (saturation, fixp only:
 * a wider adder and a 3-way select). `name` names the segments an FP
 * adder's pipeline registers close. */
PATH_INLINE void p_accumulate(struct paths *ps, const struct design_point *dp, const char *name)
{
    const struct dp_derived *d = &dp->d;
    p_mux(ps, 2);
    if (d->fp) {
        p_fp(ps, D_FPADD, d->acc_man + 1 + 3, (int)dp->fp_latency, name);
    } else {
        p_add(ps, d->acc_sat ? d->acc_bits + 1 : d->acc_bits);
        if (d->acc_sat)
            p_mux(ps, 3);
    }
}

/* The adder tree from the first level on, then the accumulator. */
PATH_INLINE void p_tree_acc(struct paths *ps, const struct design_point *dp, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    int lat = (int)dp->fp_latency, sp = d->acc_man + 1; /* significand bits */
    if (cuts & 1)
        seg_close(ps, "select");
    for (int lv = 1; lv <= d->tree_levels; lv++) {
        if (d->fp)
            p_fp(ps, D_FPADD, sp + 3, lat, "tree");
        else
            p_add(ps, d->term_bits + lv);
        if (cuts >> lv & 1)
            seg_close(ps, "tree");
    }
    /* Accumulator, then fixp: the conversion into the FIFO. */
    p_accumulate(ps, dp, "accumulator");
    seg_close(ps, "accumulator");
    if (dp->kind == KIND_FIXP) {
        p_add(ps, d->acc_bits); /* rounding increment */
        p_mux(ps, 4);           /* overflow select */
        seg_close(ps, "convert");
    }
}

/* The most inputs one valid bit (a register) drives directly: the enables
 * of the accumulators (a MUX2 select per bit) or of a tree cut, where ABC
 * folds the enable into the last gate of each sum bit and takes one of
 * its two polarities from a buffered inverter: about half the bits load
 * the register itself (OpenSTA netlists of the calibration points). The
 * LUT registers load on the weight handshake, a combinational net that
 * ABC buffers. */
static double stage_bits(const struct design_point *dp, uint32_t cuts)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs;
    double best = (double)K * d->acc_bits;
    /* Only the cut levels: after lv levels of pairing (an odd term passes
     * up) ceil(terms / 2^lv) terms are left. */
    for (uint32_t m = cuts; m; m &= m - 1) {
        int lv = __builtin_ctz(m);
        long n = ((long)d->tree_terms + (1L << lv) - 1) >> lv;
        int bits = d->fp ? d->term_bits : d->term_bits + lv;
        if ((double)K * n * bits / 2 > best)
            best = (double)K * n * bits / 2;
    }
    return best;
}

/* Integer LUT build: the most loaded activation bit is the sign bit of
 * the top lane a[mu-1]. It is the top digit of 3^(mu-1) entries; each
 * entry of t > 1 terms adds it in an adder of w + clog2(t) bits, sign-
 * extended, so the bit drives clog2(t) + 1 adder bits there. There are
 * C(mu-1, t-1) 2^(t-1) such entries (the lower digits: t-1 of them
 * +-1), and the one-term entry is the lane itself. */
static double top_lane_loads_of(int mu)
{
    int n = mu - 1;
    double loads = 1;
    long c = 1; /* C(n, k) */
    for (int k = 1; k <= n; k++) {
        c = c * (n - k + 1) / k;
        loads += (double)c * (1L << k) * (clog2((uint64_t)k + 1) + 1);
    }
    return loads;
}

/* The same for every mu of params.def (1..8): top_loads_tab, filled by
 * cost_init(). */
static inline double top_lane_loads(const struct design_point *dp)
{
    if (dp->mu >= 1 && dp->mu <= 8)
        return top_loads_tab[dp->mu];
    return top_lane_loads_of((int)dp->mu);
}

/* FP LUT build: each activation (a register) feeds the entries that use
 * it, entries * 2 / mu loads on average; from fp_build_loads_tab, filled
 * by cost_init() for mu 1..8 (entries = (3^mu-1)/2 = 1, 4, 13, ...). */
static inline double fp_build_loads(const struct design_point *dp)
{
    if (dp->mu >= 1 && dp->mu <= 8)
        return fp_build_loads_tab[dp->mu];
    return (double)dp->d.entries * 2 / dp->mu;
}

PATH_INLINE void critical_path(const struct design_point *dp, struct paths *ps)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs, lat = (int)dp->fp_latency, sp = d->acc_man + 1; /* significand bits */
    uint32_t cuts = tree_cut_mask(dp);
    /* Controller: a counter step, a compare and the ready logic. */
    p_add(ps, d->col_bits);
    p_mux(ps, 4);
    seg_close(ps, "controller");
    /* The buffer's read address drives its read mux unbuffered and steps
     * the tile counter. Yosys builds a binary mux tree (act_bits x depth/2
     * selects on one address bit); ABC maps part of it into 4:1 AOI22
     * cells with decoded selects, so the heaviest address bit drives
     * act_bits x depth/8 to /2 inputs (OpenSTA netlists, depths 8 to 512:
     * still linear in depth, no buffering): depth/4 is the middle. It is
     * the tile register itself unless the core reads one beat ahead
     * (integer tlut with registered tables), where a mux in front is
     * buffered. */
    int prefetch = dp->kind == KIND_TLUT && !d->fp && dp->lut_reg;
    if (d->buf_depth > 1 && !prefetch) {
        p_load(ps, (double)d->act_bits * ((d->buf_depth + 3) / 4));
        p_add(ps, d->buf_addr_bits);
        p_mux(ps, 2);
        seg_close(ps, "act_buffer");
    }
    /* A stage's valid bit enables every register of the next stage. */
    p_load(ps, stage_bits(dp, cuts));
    p_mux(ps, 2);
    seg_close(ps, "pipeline_enable");
    /* The first-tile flag of the accumulator stage (a register) selects 0
     * for every accumulator bit, then the accumulator adds. */
    p_load(ps, (double)K * d->acc_bits);
    p_accumulate(ps, dp, "first_tile");
    seg_close(ps, "first_tile");
    switch (dp->kind) {
    case KIND_TLUT: {
        /* Table build: each activation bit (a register) feeds the adders of
         * the entries that use it, then a chain of mu-1 adders. */
        p_load(ps, d->fp ? fp_build_loads(dp) : top_lane_loads(dp));
        for (int j = 1; j < dp->mu; j++) {
            if (d->fp)
                p_fp(ps, D_FPADD, sp + 3, lat, "lut_build");
            else
                p_add(ps, (int)dp->act_width + 1 + flog2((uint64_t)j));
        }
        if (dp->lut_reg)
            seg_close(ps, "lut_build");
        /* Look-up: each key bit (a register) drives the decoders of all
         * entries, each entry bit the K read ports; then the entry select. */
        p_load(ps, K > d->entries ? K : d->entries);
        p_fan(ps, d->entries);
        p_mux(ps, d->entries + 1);
        if (!d->fp)
            p_neg(ps, d->entry_bits);
        break;
    }
    case KIND_TSIGN:
        p_load(ps, K);
        p_mux(ps, 3);
        if (!d->fp)
            p_neg(ps, d->term_bits);
        break;
    case KIND_TMUL:
        p_load(ps, (double)K * dp->act_width);
        if (d->fp)
            p_fp(ps, D_FPMUL, sp, lat, "multiplier");
        else
            p_mul(ps, (int)dp->act_width, (int)dp->act_width);
        break;
    case KIND_FIXP:
        p_load(ps, (double)K * d->w_ext);
        if (dp->w_encoding == WENC_INT) {
            p_mul(ps, d->x_ext, d->w_ext);
        } else {
            p_mux(ps, 1 << d->exp_bits);
            p_neg(ps, d->term_bits);
        }
        break;
    default:
        BUG("kind %ld", dp->kind);
    }
    p_tree_acc(ps, dp, cuts);
}

/* The fast walk, no per-term counts: what cost_eval asks for. */
static double path_fast(const struct design_point *dp, const struct tech *t, const char **stage)
{
    struct paths ps = { .delay = t->delay };
    critical_path(dp, &ps);
    *stage = ps.worst_name;
    return ps.worst;
}

double cost_critical_path(const struct design_point *dp, const struct tech *t,
                          double v[D__COUNT], const char **stage)
{
    const char *name;
    if (!v) {
        /* No delay terms (FPGA files): every segment is 0 and the first,
         * the controller, stays the slowest. */
        uint64_t any = 0; /* the bits of every delay but their signs, OR'd */
#pragma GCC unroll 16
        for (int d = 0; d < D__COUNT; d++) {
            uint64_t b;
            memcpy(&b, &t->delay[d], sizeof b);
            any |= b << 1;
        }
        int timed = any != 0;
        if (!timed)
            name = "controller";
        double worst = timed ? path_fast(dp, t, &name) : 0;
        if (stage)
            *stage = name;
        return worst;
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

static inline double job_cycles(const struct design_point *dp, long M, long N)
{
    const struct dp_derived *d = &dp->d;
    long T = cdiv(N, d->tile_cols), R = cdiv(M, d->outputs);
    /* Back to back: load (T beats), R*T weight beats `spacing` apart, the
     * pipeline to the FIFO (latency; it includes the prime cycle of a
     * registered LUT), then the result hand-over, the return to idle and
     * the next descriptor (3). tests/cost/run.sh checks this against
     * simulated cycle counts. */
    return (double)T + (double)(R * T - 1) * d->spacing + d->latency + 3;
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
};

/* The FP adders of a LUT build come out about a third smaller than those
 * of adder trees and accumulators in synthesis (measured on osu018: the
 * build's adders share operands, and ABC shares their alignment logic),
 * so a technology may price them apart ("fpaddlut"); one that does not
 * prices them as "fpadd". */
static void sink(void *ctx, enum comp comp, enum prim p, int w, int in, long count)
{
    struct sink_ctx *s = ctx;
    double *x = s->xc ? s->xc[comp] : s->xt;
    if (p == PRIM_FPADD && comp == COMP_LUT_BUILD && s->t->split_lut_fpadd) {
        /* feat_of_item's two FP adder features, the first one renamed */
        double c = (double)count;
        x[F_FPADDLUT] += c * fpadd_ops(w, in);
        x[F_FPPIPE] += c * FP_LAT(in) * w;
        return;
    }
    feat_of_item(s->t, p, w, in, count, x);
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

/* Features by component: every item through sink(). */
static void price_components(const struct design_point *dp, const struct tech *t,
                             double (*xc)[F__COUNT])
{
    struct inventory inv;
    inv_init(&inv);
    struct sink_ctx sc = { t, NULL, xc };
    inv.sink = sink;
    inv.sink_ctx = &sc;
    kind_get(dp)->inventory(dp, &inv);
    dsp_tree_adjust(dp, t, xc[COMP_ADDER_TREE], xc[COMP_ACCUMULATOR]);
    xc[COMP_CONTROLLER][F_ONE] += 1;
}

/* Features of the whole core, from a tally of the inventory: the bits of
 * the primitives priced per bit are exact integer sums (as were the
 * per-item sums in double), so this equals pricing item by item through
 * sink(); the few items priced by their shape go through sink() as they
 * come. Every feature is an integer below 2^53, so no sum depends on the
 * order of its terms. */
static void price_total(const struct design_point *dp, const struct tech *t, double *xt)
{
    struct inv_tally ty;
    struct sink_ctx sc = { t, xt, NULL };
    kind_get(dp)->tally(dp, &ty, sink, &sc);
    xt[F_ADD] = (double)ty.bits[PRIM_ADD];
    xt[F_NEG] = (double)ty.bits[PRIM_NEG];
    xt[F_MUX] = (double)ty.bits[PRIM_MUX];
    xt[F_REG] = (double)ty.bits[PRIM_REG];
    xt[F_RAM] = (double)ty.bits[PRIM_RAM];
    xt[F_CMP] = (double)ty.bits[PRIM_CMP];
    xt[F_SHIFT] = (double)ty.bits[PRIM_SHIFT];
    xt[F_FPCVT] = (double)ty.bits[PRIM_FPCVT];
    /* the multipliers' sink() gave F_FPPIPE its FP multipliers' part */
    xt[F_FPPIPE] += (double)ty.fp_pipe;
    if (t->split_lut_fpadd) {
        xt[F_FPADD] = (double)ty.fpadd;
        xt[F_FPADDLUT] = (double)ty.fpadd_lut;
    } else {
        xt[F_FPADD] = (double)(ty.fpadd + ty.fpadd_lut);
    }
    dsp_tree_adjust(dp, t, xt, xt);
    xt[F_ONE] += 1;
}

void cost_components(const struct design_point *dp, const struct tech *t, struct cost *c)
{
    memset(c->x, 0, sizeof c->x);
    price_components(dp, t, c->x);
    for (int k = 0; k < COMP__COUNT; k++)
        for (int m = 0; m < M__COUNT; m++)
            c->comp[k][m] = metric_dot(c->x[k], t->unit[m]);
}

void cost_eval(const struct design_point *dp, const struct tech *t,
               const struct workload *wl, struct cost *c)
{
    const struct dp_derived *d = &dp->d;
    static const double zero[F__COUNT];
    double xt[F__COUNT];
    memcpy(xt, zero, sizeof xt); /* not `= { 0 }`: that is a slow `rep stos` */
    price_total(dp, t, xt);
    /* The critical path before the totals: metric_dot() reads xt two
     * features at a time, and a 16-byte load of two 8-byte stores still
     * in flight waits for both to complete (no store forwarding); by the
     * end of the walk they have. */
    c->critical_path_ns = cost_critical_path(dp, t, NULL, &c->critical_stage);
    /* Each total, for the metrics the technology gives (ASIC: area and
     * energy; FPGA: four cell counts), is metric_dot(): four short chains
     * of additions instead of one of F__COUNT. */
    for (int m = 0; m < M__COUNT; m++)
        c->total[m] = t->has[m] ? metric_dot(xt, t->unit[m]) : 0;
    memcpy(c->xt, xt, sizeof xt);

    c->fmax_mhz = c->critical_path_ns > 0 ? 1e3 / c->critical_path_ns : 0;
    c->clock_ns = wl->clock_ns > 0           ? wl->clock_ns
                  : c->critical_path_ns > 0 ? c->critical_path_ns
                                            : t->clock_ns;

    /* Work and time. Ternary weights cross the memory interface packed 5 per
     * byte (1.6 bits); fixp weights as their codes. */
    long K = d->outputs;
    c->peak_macs_per_cycle = (double)K * d->tile_cols / d->spacing;
    long M = wl->M, N = wl->N, B = wl->B;
    double job = job_cycles(dp, M, N);
    c->cycles = (double)B * job;
    c->macs = (double)M * N * B;
    c->macs_per_cycle = c->macs / c->cycles;
    double ecyc = c->total[M_ENERGY];
    c->energy_pj_per_gemv = ecyc * job;
    c->energy_pj_per_mac = c->energy_pj_per_gemv / ((double)M * N);
    c->power_mw = ecyc / c->clock_ns;
    c->weight_bits = dp->kind == KIND_FIXP ? d->wcode_bits : 1.6;
    int res_lane = d->lane_bits;
    c->bytes_weights = (double)B * M * N * c->weight_bits / 8;
    c->bytes_acts = (double)B * N * d->lane_in_bits / 8;
    c->bytes_results = (double)B * M * res_lane / 8;
    c->time_compute_s = c->cycles * c->clock_ns * 1e-9;
    if (wl->bw_gbps > 0)
        c->time_memory_s =
            (c->bytes_weights + c->bytes_acts + c->bytes_results) / (wl->bw_gbps * 1e9);
    else
        c->time_memory_s = 0;
    c->memory_bound = c->time_memory_s > c->time_compute_s;
    c->time_s = c->memory_bound ? c->time_memory_s : c->time_compute_s;
}
