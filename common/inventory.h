/* inventory.h - the component inventory of a design point: how many
 * adders of which width, mux inputs, register bits, ... per component.
 *
 * Each core kind computes it twice, independently: analytically from the
 * parameters (the cost model prices that one) and by counting what its
 * Verilog emitter actually writes. A test proves the two agree. */
#ifndef TF_INVENTORY_H
#define TF_INVENTORY_H

#include <stdint.h>
#include <stdio.h>

#include "dp.h"
#include "util.h"

enum comp {
    COMP_ACT_BUFFER,   /* activation buffer (RAM) */
    COMP_LUT_BUILD,    /* adders that pre-sum the LUT entries */
    COMP_LUT_STORE,    /* registers holding LUT entries (lut_reg=1) */
    COMP_KEY_SELECT,   /* key decode and entry multiplexers */
    COMP_SIGN,         /* conditional negation after the look-up */
    COMP_ADDER_TREE,   /* adders reducing the L terms of an output */
    COMP_PIPELINE,     /* pipeline registers inside the tree / key stage */
    COMP_ACCUMULATOR,  /* accumulator adders and registers */
    COMP_OUT_FIFO,     /* result FIFO */
    COMP_CONTROLLER,   /* counters, state, handshake */
    COMP_MULTIPLIER,   /* multipliers or shifters forming products */
    COMP_CONVERT,      /* format conversion with rounding: fixp outputs, block-scaled
                          block sums into acc_type (tf_mxconv) */
    COMP_DECODE,       /* block-scaled element codes to exact integers (tf_mxdec) */
    COMP__COUNT
};

enum prim {
    PRIM_ADD,  /* two-input adder/subtractor, `width` result bits */
    PRIM_NEG,  /* conditional negation, `width` bits */
    PRIM_MUX,  /* `inputs`-to-1 multiplexer of `width` bits */
    PRIM_REG,  /* `width` flip-flops */
    PRIM_RAM,  /* memory of `inputs` words x `width` bits */
    PRIM_CMP,  /* magnitude comparator of `width` bits */
    PRIM_MUL,  /* multiplier of `width` x `inputs` bits (signed) */
    PRIM_SHIFT,/* barrel shifter: `width` bits in, `inputs` shift amounts */
    PRIM_FPADD,/* floating-point adder: `width`-bit format, `inputs` = FP_INPUTS() */
    PRIM_FPMUL,/* floating-point multiplier, likewise */
    PRIM_FPCVT,/* exact FP widening: `width` bits out, `inputs` bits in */
    PRIM_SRAM, /* SRAM macro (mem_style=sram) of `inputs` words x `width` bits */
    PRIM_SEL,  /* one of `inputs` values of `width` bits, one of them the constant 0,
                  by a decoded code: AND-OR terms (LUT read ports, a weight gating
                  its term to 0) */
    PRIM_MXCONV,/* block converter (tf_mxconv): `width`-bit sum format out,
                  `inputs` = MXCONV_INPUTS() */
    PRIM_MXDEC,/* element decoder (tf_mxdec): `width` integer bits out, `inputs` =
                  MXDEC_INPUTS() */
    PRIM__COUNT
};

/* `inputs` of PRIM_FPADD and PRIM_FPMUL: the width alone does not tell a
 * format (fp16 and bf16 are both 16 bits) and the price depends on the
 * significand and on the pipeline, so `inputs` packs the stored fraction
 * bits (fp32 23, fp16 10, bf16 7, fp8e4m3 3, fp8e5m2 2) and the latency
 * in cycles (fp_latency, 0..4). The exponent is width - 1 - man. */
#define FP_INPUTS(man, lat) ((lat) * 256 + (man))
/* Unpacked as unsigned (`inputs` is never negative): a signed division
 * or remainder takes a few instructions more, and the tally unpacks every
 * FP item. */
#define FP_MAN(inputs) ((int)((unsigned)(inputs) % 256))
#define FP_LAT(inputs) ((int)((unsigned)(inputs) / 256 % 16))
/* An FP adder both of whose operands are activations widened into the sum
 * format (a sign-flip tree's first level, a LUT build's adder of two
 * activations) also packs the activation's fraction bits `am`: a flat
 * synthesis drops the fraction bits that are always 0 (fpadd_flat_ops). */
#define FP_NARROW_INPUTS(man, lat, am) (FP_INPUTS(man, lat) + ((am) + 1) * 4096)
#define FP_ACT_MAN(inputs) ((int)((unsigned)(inputs) / 4096) - 1) /* -1: full operands */
/* An FP adder one of whose operands is the constant +0 once flattened (a
 * block-scaled accumulator of one block, mx_one_block): a flat synthesis
 * keeps none of it (FP_ACT_MAN() is FP_FLAT_DEAD, fpadd_flat_ops 0). */
#define FP_FLAT_DEAD 255
#define FP_FLAT_DEAD_INPUTS(man, lat) (FP_INPUTS(man, lat) + (FP_FLAT_DEAD + 1) * 4096)
/* `inputs` of an FP adder of two activations of `dp` (narrow when they
 * are widened, d.act_man > 0). */
#define FP_ACTS_INPUTS(dp, lat)                                                               \
    ((dp)->d.act_man ? FP_NARROW_INPUTS((dp)->d.acc_man, lat, (dp)->d.act_man)                \
                     : FP_INPUTS((dp)->d.acc_man, lat))

/* `inputs` of PRIM_MXCONV: the block sum's bits `sw` (< 256), the sum
 * format's stored fraction bits `man` and whether the scale is UE4M3
 * (`ue`: a 4-bit significand to multiply by; E8M0 has none). */
#define MXCONV_INPUTS(sw, man, ue) ((((ue) ? 64 : 0) + (man)) * 256 + (sw))
#define MXCONV_SW(in) ((in) % 256)
#define MXCONV_UE(in) ((in) / (256 * 64))

/* The price units of one block converter (rtl-templates/tf_mxconv.v):
 * the magnitude |s| * ms has mw = sw + 4 ue bits; each is normalized into
 * the significand (leading-one search, shift), and the r = mw - man - 1
 * of them that fall below it (r >= 0) also feed the right shift and the
 * round-to-nearest-even compare: mw + r. Fitted on osu018 (`synth --hier`,
 * u_cv of 6 points, fp32/fp16/bf16 sums, block sums of 9..38 bits, E8M0
 * and UE4M3): area = 781 mw + 702 r um2 came out at 3.3 % MAPE, against
 * 11 % and more for mw clog2(mw) or mw alone (docs/cost-model.md). */
static inline int mxconv_units(int in)
{
    int sw = MXCONV_SW(in), man = in / 256 % 64, ue = MXCONV_UE(in);
    int mw = sw + 4 * ue, r = mw - man - 1;
    return mw + (r > 0 ? r : 0);
}

/* `inputs` of PRIM_MXDEC: the element's exponent and fraction bits. */
#define MXDEC_INPUTS(exp, man) ((exp) * 256 + (man))

/* The price units of one element decoder (rtl-templates/tf_mxdec.v): the
 * man + 1 significand bits shifted to one of 2^exp positions, an AND-OR
 * select per output bit: (man + 1) 2^exp. */
static inline int mxdec_units(int in)
{
    return (in % 256 + 1) << (in / 256);
}

extern const char *const comp_names[];
extern const char *const prim_names[];

/* `inputs` of a PRIM_NEG whose result is one operand of an integer adder
 * (a sign flip `w ? -a : a` into its tree): FPGA flows build the pair as
 * one add/subtract chain, the negation's +1 its carry-in, so the negation
 * has no LUTs or carry cells of its own there (docs/cost-model.md, "FPGA
 * LUTs and carry cells counted"). 0: a negation of its own. */
#define NEG_MERGED 1

struct inv_item {
    enum comp comp;
    enum prim prim;
    int width, inputs;
    long count;
};

/* The "bit operations" of one FP adder of a w-bit format, `in` =
 * FP_INPUTS(): (p+3)(2 clog2(p+3)+1) + 3e for significand p and exponent
 * e bits (docs/cost-model.md). The significand's part of every fraction
 * width FP_MAN() can unpack (0..255) is found once before main() runs
 * (fpadd_sig_ops, common/inventory.c): a tally prices several FP adders a
 * point, and the clog2 and the multiplication were about 10 instructions
 * each. */
#define FPADD_SIG_OPS_N 256
extern unsigned short fpadd_sig_ops[FPADD_SIG_OPS_N];
static inline int fpadd_sig_ops_calc(int man)
{
    int q = man + 4; /* significand p = man + 1, guard, round, sticky */
    return q * (2 * clog2((uint64_t)q) + 1);
}
static inline int fpadd_ops_em(int e, int man)
{
    return ((unsigned)man < FPADD_SIG_OPS_N ? fpadd_sig_ops[man] : fpadd_sig_ops_calc(man)) +
           3 * e;
}

static inline int fpadd_ops(int w, int in)
{
    return fpadd_ops_em(w - 1 - FP_MAN(in), FP_MAN(in));
}

/* The operations of an FP adder in a flat synthesis: a narrow one
 * (FP_NARROW_INPUTS) counts the sum's exponent and the activation's
 * fraction + 3 (guard, round, sticky) when that is fewer. Lone adders on
 * osu018 (scripts/fp-unit-areas.sh) measure 34-67 % of the full adder's
 * area; this prices them at 33-93 % (E5M2 -> fp16 +1 %, E4M3 -> fp16
 * +18 %, E5M2 -> fp32 -16 %, FP8 -> bf16 about +50 %), each nearer than
 * the full width (+49 % to +197 %); docs/cost-model.md, "FP adder areas
 * by operand width". A flow that keeps tf_fpadd as a module (synth
 * --hier) does not shrink it: its ports are not constant. */
static inline int fpadd_flat_ops(int w, int in)
{
    int man = FP_MAN(in), am = FP_ACT_MAN(in), e = w - 1 - man;
    if (am == FP_FLAT_DEAD)
        return 0;
    return fpadd_ops_em(e, am >= 0 && am + 3 < man ? am + 3 : man);
}

/* The price rule of one primitive, the only one (docs/cost-model.md,
 * "What the model prices"): an item of `count` primitives adds count x
 * prim_units() to the feature its primitive is priced by (cost.c:
 * prim_feat[]), and an FP unit count x prim_pipe_units() to its pipeline
 * registers. Adders, negations, registers and comparators count their
 * width, FP widenings their input bits; multiplexers and LUT read ports
 * width x (inputs - 1) 2:1 muxes;
 * memories width x inputs storage bits; shifters width x clog2(inputs)
 * mux stages; FP adders fpadd_ops(). Multipliers, integer and FP, depend
 * on the technology's DSP tiles, and an SRAM macro's price on its shape
 * (macros, bits, words, columns): 0 here, the cost model prices them
 * (feat_of_item). The inventory's tally and the cost model both use this. */
static inline long long prim_units(enum prim p, int width, int inputs)
{
    switch (p) {
    case PRIM_ADD:
    case PRIM_NEG:
    case PRIM_REG:
    case PRIM_CMP:
        return width;
    case PRIM_FPCVT:
        return inputs; /* input bits: see docs/cost-model.md, "fpcvt" */
    case PRIM_MUX:
    case PRIM_SEL:
        return (long long)width * (inputs - 1);
    case PRIM_RAM:
        return (long long)width * inputs;
    case PRIM_SHIFT:
        return (long long)width * clog2((uint64_t)(inputs > 1 ? inputs : 1));
    case PRIM_FPADD:
        return fpadd_ops(width, inputs);
    case PRIM_MXCONV:
        return mxconv_units(inputs);
    case PRIM_MXDEC:
        return mxdec_units(inputs);
    default:
        return 0;
    }
}

static inline long long prim_pipe_units(enum prim p, int width, int inputs)
{
    return p == PRIM_FPADD || p == PRIM_FPMUL ? (long long)FP_LAT(inputs) * width : 0;
}

/* A running tally of an inventory for pricing, filled as the items come
 * (no storage, no allocation): the cost model needs only sums. Each item
 * adds count x prim_units() to units[prim] (FP adders: to fpadd, those of
 * a LUT build to fpadd_lut) and count x prim_pipe_units() to fp_pipe.
 * Multipliers, integer and FP, are priced by the technology (DSP tiles),
 * SRAM macros by their shape; they go to the inventory's sink, which must
 * be set. The sums are
 * `long long`, a type no design-point field has, so the compiler need not
 * reload the point after each item. */
struct inv_tally {
    long long units[PRIM__COUNT];
    long long fpadd, fpadd_lut, fp_pipe;
    /* FP adders' units a flat synthesis drops (fpadd_flat_ops): not
     * dropped when the flow keeps tf_fpadd as a module */
    long long fpadd_drop, fpadd_lut_drop;
    /* negation bits marked NEG_MERGED (also in units[PRIM_NEG]) */
    long long neg_merged;
    /* adder bits of a LUT build (COMP_LUT_BUILD; also in units[PRIM_ADD]) */
    long long add_lut;
};

/* Where items the tally does not sum go (multipliers: their price depends
 * on the technology's DSP tiles; SRAM macros: on their shape). */
typedef void (*inv_sink_fn)(void *ctx, enum comp c, enum prim p, int width, int inputs,
                            long count);

struct inventory {
    struct inv_item *items;
    int n, alloc;
    /* When set, items are summed into *tally instead of being stored, and
     * those it does not sum go to sink(). */
    struct inv_tally *tally;
    /* When set, inv_add hands each item (with a tally: each item the tally
     * does not sum) to sink() instead of storing it. */
    inv_sink_fn sink;
    void *sink_ctx;
    /* The inventory items are stored in: this one (inv_init), or NULL in
     * a tally (inv_tally_run), where every item is summed or sunk. The
     * store path takes this pointer, not `inv`, so a tally's `inv` never
     * escapes: inlined, its sums stay in registers and its checks of
     * `tally` fold away. */
    struct inventory *store;
};

static inline void inv_init(struct inventory *inv)
{
    inv->items = NULL;
    inv->n = inv->alloc = 0;
    inv->tally = NULL;
    inv->sink = NULL;
    inv->sink_ctx = NULL;
    inv->store = inv;
}
void inv_free(struct inventory *inv);
/* Zero a tally. Not memset: that becomes `rep stos`, slow to start for
 * a hundred bytes, and the cost model clears a tally per point. */
static inline void inv_tally_clear(struct inv_tally *t)
{
    _Static_assert(sizeof *t % 4 == 0, "zero_small clears 4 bytes at a time or more");
    zero_small(t, sizeof *t);
}
/* inv_add for items the tally does not sum, and for storing and sinks. */
void inv_add_item(struct inventory *inv, enum comp c, enum prim p, int width, int inputs,
                  long count);

/* Add `count` items (none when count <= 0). Inline: the cost model prices
 * millions of design points a second, each with tens of items, and the
 * primitive is a constant at every call, so the tally is one multiply-add. */
static inline __attribute__((always_inline)) void inv_add(struct inventory *inv, enum comp c,
                                                          enum prim p, int width, int inputs,
                                                          long count)
{
    if (count <= 0)
        return;
    struct inv_tally *t = inv->tally;
    if (t) {
        switch (p) {
        case PRIM_MUL:
        case PRIM_FPMUL:
        case PRIM_SRAM:
        case PRIM_MXCONV: /* priced per unit and per converter (rare: MX cores) */
            /* straight to the sink: `inv` itself never escapes */
            inv->sink(inv->sink_ctx, c, p, width, inputs, count);
            return;
        case PRIM_FPADD: {
            long long drop = inputs < 4096 ? 0 : fpadd_ops(width, inputs) -
                                                 fpadd_flat_ops(width, inputs);
            if (c == COMP_LUT_BUILD) {
                t->fpadd_lut += (long long)count * prim_units(p, width, inputs);
                t->fpadd_lut_drop += (long long)count * drop;
            } else {
                t->fpadd += (long long)count * prim_units(p, width, inputs);
                t->fpadd_drop += (long long)count * drop;
            }
            t->fp_pipe += (long long)count * prim_pipe_units(p, width, inputs);
            return;
        }
        default:
            if (p == PRIM_ADD && c == COMP_LUT_BUILD)
                t->add_lut += (long long)count * width;
            if (p == PRIM_NEG && inputs == NEG_MERGED)
                t->neg_merged += (long long)count * width;
            t->units[p] += (long long)count * prim_units(p, width, inputs);
            return;
        }
    }
    inv_add_item(inv->store, c, p, width, inputs, count);
}

/* Inventory code is inlined into each kind's tally (below). */
#define INV_INLINE static inline __attribute__((always_inline))

/* Run an inventory function `fn` as a tally into *out, multipliers to
 * `sink`. A kind's ops.tally is this with its own inventory function:
 * inlined there, `fn` sums into local variables, not through memory. */
/* The set-up of inv_tally_run: *out cleared, inv a tally into it. */
INV_INLINE void inv_tally_begin(struct inventory *inv, struct inv_tally *out, inv_sink_fn sink,
                                void *ctx)
{
    if (!out)
        __builtin_unreachable();
    inv_tally_clear(out);
    inv_init(inv);
    inv->tally = out;
    inv->sink = sink;
    inv->sink_ctx = ctx;
    inv->store = NULL;
}
INV_INLINE void inv_tally_run(void (*fn)(const struct design_point *, struct inventory *),
                              const struct design_point *dp, struct inv_tally *out,
                              inv_sink_fn sink, void *ctx)
{
    struct inventory inv;
    inv_tally_begin(&inv, out, sink, ctx);
    fn(dp, &inv);
}

/* Which levels of an adder tree get a pipeline register: bit `level` is
 * tree_cut_after(dp, level) for level 0..tree_levels (at most 31), found
 * in one pass without a division per level (inventories and the critical
 * path ask for every level of every point a sweep prices). */
_Static_assert(TILE_COLS_MAX <= 1L << 30, "an adder tree (<= TILE_COLS_MAX terms) has at "
               "most 31 levels: a bit of tree_cut_mask each");
static inline uint32_t tree_cut_mask(const struct design_point *dp)
{
    /* cut after level l <=> floor((l+1)s/c) > floor(l s/c) <=> the
     * remainder of l s by c plus s reaches c */
    long c = dp->d.tree_levels + 1, s = dp->tree_stages, r = 0;
    uint32_t m = 0;
    if (s <= 0)
        return 0;
    for (long l = 0; l < c && l < 32; l++) {
        r += s;
        if (r >= c) {
            m |= 1u << l;
            r -= c;     /* s <= c on valid points: no division */
            if (r >= c)
                r %= c;
        }
    }
    return m;
}
/* Sort into a canonical order (so two inventories compare item by item). */
void inv_sort(struct inventory *inv);
/* 0 if equal; else prints the first difference to `out` and returns 1. */
int inv_compare(struct inventory *a, struct inventory *b, FILE *out);
void inv_print(const struct inventory *inv, FILE *out);

#endif
