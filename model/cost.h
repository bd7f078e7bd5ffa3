/* cost.h - the analytical cost model: it prices a design point's component
 * inventory with a technology's unit costs (area or FPGA cells, energy per
 * cycle), estimates its critical path from its pipeline structure, and
 * counts the cycles and bytes of an M x N x B workload.
 *
 * Every price is linear in a few *features* of the inventory (adder bits,
 * mux inputs x bits, register bits, ...), so `calibrate` can fit the unit
 * costs to real synthesis results by least squares. docs/cost-model.md
 * gives every formula. */
#ifndef TF_COST_H
#define TF_COST_H

#include "dp.h"
#include "inventory.h"

/* Features of an inventory: what one unit cost multiplies. */
enum feat {
    F_ONE,     /* 1 per design */
    F_ADD,     /* adder result bits */
    F_NEG,     /* conditional negation bits */
    F_MUX,     /* mux bits x (inputs - 1): 2:1 mux equivalents */
    F_REG,     /* flip-flops */
    F_RAM,     /* storage bits of memories (built from flip-flops here) */
    F_CMP,     /* comparator bits */
    F_MUL,     /* multiplier partial-product bits (a x b), not in DSPs */
    F_SHIFT,   /* barrel shifter bits x stages */
    F_FPADD,   /* FP adder "bit operations": (p+3)(2 clog2(p+3)+1) + 3e */
    F_FPADDLUT,/* the same for the FP adders of a LUT build (see cost.c) */
    F_FPMUL,   /* FP multiplier: p^2 (unless in DSPs) + 4(p+e) */
    F_FPPIPE,  /* FP unit pipeline: units x latency x format bits */
    F_FPCVT,   /* FP widening: input bits */
    F_DSP,     /* DSP tiles (FPGA technologies with DSPs) */
    F_DSPADD,  /* adder bits packed into DSP post-adders (taken out of F_ADD) */
    F_MACC,    /* full-adder bits of multi-operand $macc cells (see cost.c) */
    F_SEL,     /* AND-OR selects (PRIM_SEL): bits x (inputs - 1), apart from F_MUX (cost.c) */
    F_MXCONV,  /* block converters: mxconv_units() (inventory.h) */
    F_MXDEC,   /* element decoders: mxdec_units() (inventory.h) */
    F_MXCONVN, /* block converters: one each (what does not grow with the sum's width) */
    /* SRAM macros (mem_style=sram), black boxes priced from the
     * technology file's `sram` lines, never fitted by calibrate: */
    F_SRAM,    /* macros (periphery, control) */
    F_SRAMBIT, /* storage bits */
    F_SRAMWORD,/* words (rows: decoder, word-line drivers) */
    F_SRAMCOL, /* bits of a word (columns: sense amplifiers, write drivers) */
    /* Held at the technology file's value, never fitted by calibrate: */
    F_SLEW,    /* loads^2 summed over the register nets ABC leaves unbuffered
                * (cost.c: shell_loads); their slow transitions raise every
                * load's internal power (scripts/fanout-power.sh) */
    /* Fitted again (feat_fitted), last so that every other feature kept
     * its place and every sum of metric_dot its order (no cost of a
     * technology without it moved by a bit): */
    F_ADDLUT,  /* integer adder bits of a LUT build, apart from F_ADD (FPGA: cost.c) */
    F_NEGM,    /* sign-flip bits merged into an adder, apart from F_NEG (ASIC: cost.c) */
    F__COUNT
};

/* The features calibrate fits (and a technology file's `unit` lines
 * name): all but the SRAM macros' and F_SLEW. */
static inline int feat_fitted(int f)
{
    return f < F_SRAM || f >= F_ADDLUT;
}
extern const char *const feat_names[];

/* What a technology prices. ASIC: area and energy; FPGA: cell counts. */
enum metric { M_AREA, M_LUTS, M_FFS, M_CARRY, M_DSPS, M_ENERGY, M__COUNT };
extern const char *const metric_names[];
extern const char *const metric_units[];

/* Delay terms of the critical-path model (ns), see docs/cost-model.md. */
enum dterm {
    D_REG,      /* clock-to-q + setup of one register stage */
    D_ADD,      /* an adder: per log2(width) */
    D_ADD0,     /* an adder: constant part */
    D_MUX,      /* a mux: per log2(inputs) */
    D_NEG,      /* a conditional negation: per log2(width), plus D_ADD0 */
    D_MUL,      /* a multiplier: per log2(a) + log2(b) */
    D_FPADD,    /* an FP adder, combinational: per exponent and fraction bit */
    D_FPMUL,    /* an FP multiplier, combinational: per p */
    D_FANOUT,   /* a signal driving n loads through buffers: per log2(n) */
    D_LOAD,     /* a register output driving n loads unbuffered: per load */
    D_CARRY,    /* ripple carry: per bit of the widest adder of a segment */
    D_FP0,      /* an FP unit, combinational: constant part (align, normalise) */
    D_MXCONV,   /* a block-scaled converter: per log2 of its magnitude bits */
    D__COUNT
};
/* Not a delay term: tech.delay[D_KEPT] is 1 when the flow keeps the FP
 * units as modules (fpadd_kept; tech_keep_fp_units), so the path walk,
 * which sees only the delay terms, knows it too. */
#define D_KEPT D__COUNT
/* Not a delay term either: tech.delay[D_SEL_LOAD] is the technology's
 * `select_load` minus 1, 0 when the file has none (so a zeroed tech is
 * right): a mux select pin in mean loads. It scales the loads of the
 * result FIFO's read pointer, which drives select pins only
 * (docs/cost-model.md, "Critical path"). */
#define D_SEL_LOAD (D__COUNT + 1)
extern const char *const dterm_names[];

enum tech_target { TECH_ASIC, TECH_XC7, TECH_ICE40 };

struct tech {
    char *name;
    char *path;               /* where it was read from */
    enum tech_target target;
    char *liberty;            /* ASIC: the Liberty file of the flow */
    double clock_ns;          /* clock of calibration (power) and of `synth` */
    double activity;          /* switching activity energy is calibrated at */
    int dsp_a, dsp_b, dsp_y;  /* FPGA DSP tile: max a, max b, min product bits (0: none) */
    /* unit costs, each metric's row padded to whole pairs of doubles and
     * 16-byte aligned: metric_dot2 (cost.c) reads them a pair at a time,
     * an aligned pair folded into its multiplication */
    _Alignas(16) double unit[M__COUNT][(F__COUNT + 1) & ~1];
    int has[M__COUNT];        /* the file gives this metric */
    double delay[D__COUNT + 2]; /* the terms, then [D_KEPT], [D_SEL_LOAD] */
    int split_lut_fpadd;      /* some unit of "fpaddlut" is given (calibrate sets it) */
    int fpadd_kept;           /* the flow keeps tf_fpadd as a module (synth --hier): narrow
                                 FP adders do not shrink (fpadd_flat_ops); not in the file,
                                 set by the caller that prices a hierarchical run */
    int split_sel;            /* some unit of "sel" is given (calibrate sets it) */
    int split_negm;           /* some unit of "negm" is given (calibrate sets it on ASIC) */
    int split_lut_add;        /* some unit of "addlut" is given (calibrate sets it on FPGA
                                 technologies) */
    int ffs_count;            /* FPGA `ffs_count`: the ffs line counts register bits, and
                               * the memories' flip-flops are added by rule (cost.c) */
    /* SRAM macros, `sram area|read|write one|bit|word|col VALUE`: area
     * (metric units) and energy per read and per write access (pJ) as
     * one + bit x bits + word x words + col x width per macro. The area
     * and read rows are also unit[M_AREA] and unit[M_ENERGY] of F_SRAM..
     * F_SRAMCOL (a macro is priced at one read a cycle). */
    double sram[3][4];
    int has_sram;             /* some `sram` line was given */
    char *note;               /* the file's 'calibrated' line, if any */
};

/* Once per process, before any cost_eval (tech_load calls it). */
void cost_init(void);

/* Find a technology by name (built-in, or $TERNFORGE_TECH_PATH/NAME.tech)
 * or read a file path (anything with a '/' or ending in .tech). Errors are
 * located (file:line) and printed; returns -1 on error. */
int tech_load(struct tech *t, const char *name_or_path);
void tech_free(struct tech *t);
/* The `sram` lines' names, and their area and read rows into t->unit. */
extern const char *const sram_what_names[], *const sram_term_names[];
void tech_sram_units(struct tech *t);
/* The flow keeps the FP units as modules (synth --hier; --opaque-fpadd
 * keeps the adders, and the model then keeps the multipliers whole too) or
 * flattens them: sets fpadd_kept and delay[D_KEPT]. */
static inline void tech_keep_fp_units(struct tech *t, int kept)
{
    t->fpadd_kept = kept != 0;
    t->delay[D_KEPT] = kept != 0;
}
/* One macro of depth x width: area (what 0, metric units), energy per read
 * (1) or write (2) access (pJ), from the `sram` lines. */
enum { SRAM_AREA, SRAM_READ, SRAM_WRITE };
double tech_sram_cost(const struct tech *t, int what, int depth, int width);
/* Write t as a technology file (atomically). */
int tech_write(const struct tech *t, const char *path);
/* Names of the built-in technologies, NULL-terminated. */
extern const char *const tech_builtin_names[];

/* Add the features of one inventory item (of component comp) to x: the
 * price rule of its primitive (prim_units(), inventory.h) and, for
 * multipliers, the technology's DSP tiles. */
void feat_of_item(const struct tech *t, enum comp comp, enum prim p, int width, int inputs,
                  long count, double x[F__COUNT]);

struct model_desc;

/* The workload: Y (M x B) = W (M x N) X (N x B), or with `model` every
 * ternary matrix of one token of that model (models.h), B tokens (columns)
 * each; M and N are then the model's largest. */
struct workload {
    long M, N, B;
    double bw_gbps;           /* memory bandwidth for the roofline; 0: none */
    double clock_ns;          /* run at this clock period (a sweep's target);
                                 0: at f_max, or the technology's clock */
    const struct model_desc *model; /* NULL: the one M x N matrix */
    double mem_pj_per_bit;    /* memory energy per bit moved; 0: not priced */
    int prefill;              /* with a model: B tokens of a prompt, run in passes of
                                 `batch` columns (the weights read once per pass) */
};

/* Where Yosys's memory_libmap puts a memory of `depth` words of `width`
 * bits on an FPGA target (docs/cost-model.md, "FPGA memories"): 0 logic
 * (flip-flops), 1 LUT RAM (xc7), 2 block RAM; *cells the LUT RAM cells
 * (RAM32M, RAM64M) or the block RAMs (xc7: 18 Kb blocks, a RAMB36 counts
 * 2; ice40: SB_RAM40_4K). sync_read: the read is registered (else it is
 * asynchronous, as the result FIFO's, which costs more in any cell). On an
 * ASIC target: logic. */
int cost_fpga_mem(enum tech_target target, long width, long depth, int sync_read,
                  double *cells);
/* The LUTs cost_eval adds by count rather than by the fitted units: the
 * part of an xc7 LUT-RAM buffer (or FIFO macro) deeper than the
 * calibrated 16 words and of a flip-flop result FIFO in LUT RAM deeper
 * than 8 (docs/cost-model.md, "Deep LUT RAM counted"); 0 elsewhere.
 * calibrate takes them out of the measured LUTs before its fit. */
double cost_fpga_counted_luts(const struct design_point *dp, const struct tech *t);
/* The LUTs of a width x depth memory (registered read) in xc7 LUT RAM as
 * counted (cells and read mux), or -1 when it goes elsewhere. */
double cost_xc7_lutram_luts(long width, long depth);

struct cost {
    double xt[F__COUNT];               /* features of the whole core */
    double total[M__COUNT];
    /* Filled by cost_components() only: */
    double x[COMP__COUNT][F__COUNT];   /* features by component */
    double comp[COMP__COUNT][M__COUNT]; /* metrics by component */
    double critical_path_ns, fmax_mhz;
    const char *critical_stage; /* a short name of the limiting stage */
    double brams;             /* FPGA block RAMs: 18 Kb blocks on xc7 (RAMB36 = 2),
                                 SB_RAM40_4K on ice40; a count, not fitted; 0 on an ASIC */
    double clock_ns;          /* clock used for time and power (fmax period) */
    double peak_macs_per_cycle;
    double cycles;            /* for the workload */
    double macs, macs_per_cycle;
    double energy_pj_per_mac, energy_pj_per_gemv, power_mw;
    /* roofline */
    double bytes_weights, bytes_acts, bytes_results;
    double time_compute_s, time_memory_s, time_s;
    int memory_bound;         /* time_memory_s > time_compute_s */
    double weight_bits;       /* bits per weight as streamed, once per pass of batch
                                 columns: bytes_weights * 8 / (M N passes), the
                                 padding of partial tiles included */
    /* per token (one column of X) */
    double tokens_per_s;
    double weight_bytes_per_token;
    double mem_energy_pj_per_token;   /* all bytes moved x 8 x mem_pj_per_bit */
    double energy_pj_per_token;       /* core (energy_pj_per_gemv) + memory */
};

/* What pricing a point needs of a technology besides its units, worked
 * out once by cost_ctx_init(): the metrics it gives and whether it has
 * delay terms. A sweep prices millions of points with one technology, and
 * each point found these again (about 50 instructions of the 1,800 a new
 * core costs). Not cached inside struct tech: calibrate changes a
 * technology's units and delays between evaluations; a context is built
 * from the technology as it is and must be built again after it changes. */
struct cost_ctx {
    const struct tech *t;
    int nm;                       /* metrics the technology gives */
    const double *unit[M__COUNT]; /* their unit costs (t->unit rows), in metric order */
    int m[M__COUNT];              /* and which they are */
    int timed;                    /* some delay term is not zero */
    int sparse;                   /* metric_dot2 may skip features (cost.c) */
};
void cost_ctx_init(struct cost_ctx *x, const struct tech *t);

/* Price a finalized point: totals, timing, cycles, energy, roofline.
 * Fast: no allocation (see `make bench`). cost_eval builds a context each
 * call; cost_eval_ctx takes one built beforehand (a sweep's). */
void cost_eval(const struct design_point *dp, const struct tech *t,
               const struct workload *w, struct cost *c);
void cost_eval_ctx(const struct design_point *dp, const struct cost_ctx *x,
                   const struct workload *w, struct cost *c);
/* cost_eval in two parts: everything the memory setting (wl->bw_gbps,
 * wl->mem_pj_per_bit) does not change, and then the rest from those
 * fields (the roofline's memory time and bound, time and tokens per
 * second, memory energy). A sweep prices a core once for all its memory
 * settings (explore/eval.c); the results are the same bits. */
void cost_eval_core(const struct design_point *dp, const struct cost_ctx *x,
                    const struct workload *w, struct cost *c);
void cost_eval_memory(const struct workload *w, struct cost *c);
/* Fill c->x and c->comp: features and metrics by component. */
void cost_components(const struct design_point *dp, const struct tech *t, struct cost *c);

/* The critical-path estimate (ns; 0 when the technology has no delay
 * terms), the delay-term counts of the slowest segment and its name. */
double cost_critical_path(const struct design_point *dp, const struct tech *t,
                          double v[D__COUNT], const char **stage);

/* Cycles of one job of M x N (one pass: batch columns of X), streams never
 * stalling. */
double cost_job_cycles(const struct design_point *dp, long M, long N);

#endif
