/* sweep.h - design-space exploration: a sweep file names a space of design
 * points (core kinds x parameter lists x technologies x bandwidths), a
 * workload, constraints and objectives; `ternforge sweep` prices every
 * point it visits with the cost model, keeps the exact Pareto front and
 * writes points.csv, pareto.csv, pareto.json, report.md and plots.
 *
 * A point is named by its index in the space: the blocks (<core>
 * elements) one after another, inside a block a mixed-radix number whose
 * digits are the technology, the bandwidth and the free parameters in file
 * order (the last one fastest). Every output is ordered by index, so it
 * does not depend on threads or shards. docs/sweep.md is the user guide. */
#ifndef TF_SWEEP_H
#define TF_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "../common/dp.h"
#include "../model/cost.h"

/* ---- figures: the columns of points.csv after the parameters -------- */

enum fig {
    G_AREA_UM2, G_LUTS, G_FFS, G_CARRY, G_DSPS,
    G_CRITICAL_PATH_NS, G_FMAX_MHZ, G_CLOCK_NS,
    G_ENERGY_PJ_PER_MAC, G_ENERGY_PJ_PER_GEMV, G_POWER_MW,
    G_CYCLES, G_MACS_PER_CYCLE, G_PEAK_MACS_PER_CYCLE,
    G_TIME_S, G_GMACS_PER_S,
    G_AREA_PER_MAC_UM2,      /* area_um2 / peak MACs per cycle ("area density") */
    G_GMACS_PER_S_PER_MM2,   /* throughput per area, ASIC */
    G_LUTS_PER_MAC,          /* luts / peak MACs per cycle */
    G_GMACS_PER_S_PER_KLUT,  /* throughput per area, FPGA */
    G_TOKENS_PER_S,          /* columns (tokens) per second */
    G_WEIGHT_MB_PER_TOKEN,   /* weight stream per column, as the core consumes it */
    G_ENERGY_UJ_PER_TOKEN,   /* core + memory */
    G_MEM_ENERGY_UJ_PER_TOKEN,
    G_BRAMS,                 /* FPGA block RAMs (xc7: 18 Kb blocks), a count */
    G__COUNT
};

struct fig_desc {
    const char *name, *unit;
    int maximize;  /* 1: larger is better (as an objective) */
    int asic_only, fpga_only, needs_energy, needs_timing;
};
extern const struct fig_desc fig_table[G__COUNT];
/* A figure by name, or an alias (area, energy, latency, throughput,
 * throughput_per_area) resolved for a target class (asic 1/0). -1: none. */
int fig_find(const char *name, int asic);

/* ---- the sweep file -------------------------------------------------- */

enum strategy { STRAT_EXHAUSTIVE, STRAT_RANDOM, STRAT_ANNEAL, STRAT__COUNT };
extern const char *const strategy_names[];
/* A strategy by name; "auto" is STRAT__COUNT (sweep_plan resolves it).
 * 0, or -1 for an unknown name. */
int strategy_find(const char *name, enum strategy *st);
/* A non-negative decimal integer, the whole string; 0 or -1. */
int parse_u64(const char *s, uint64_t *v);

/* A free dimension of a block: a parameter (or "tech", "bw_gbps") and the
 * values it takes. */
struct dim {
    int param;          /* index into param_table, or DIM_TECH / DIM_BW */
    int n;
    long *v;            /* parameter values (enum: the index) */
};
enum { DIM_TECH = -1, DIM_BW = -2 };
/* tech, bw and each parameter at most once (a parameter listed twice is
 * an error). */
enum { SWEEP_DIMS_MAX = 2 + PI__COUNT };

struct block {
    char *label;        /* "tlut int8", ... : names the series in plots */
    int line;
    struct design_point base;  /* fixed attributes and defaults, not finalized */
    int ndims;          /* at most SWEEP_DIMS_MAX on a valid sweep */
    struct dim *dims;   /* dims[0] = tech, dims[1] = bw, then free parameters */
    uint64_t own_mask;  /* parameters fixed by the block's own attributes */
    uint64_t inherited_mask; /* parameters the workload gives (and the kind takes) */
    uint64_t size;      /* product of the dimension sizes */
    uint64_t first;     /* index of its first point */
};

struct constraint {
    int fig;            /* per target class: see fig_of() */
    int fig_fpga;
    double min, max;    /* NAN: no bound */
    char *name;         /* as written */
};

struct objective {
    int fig, fig_fpga;  /* resolved for ASIC and for FPGA technologies */
    int maximize;
    char *name;         /* as written */
};

/* A plot: best y per x value, one curve per series. */
struct plot {
    int x;              /* a parameter index, DIM_TECH or DIM_BW */
    int y, y_fpga;      /* figures */
    int series;         /* a parameter index, DIM_TECH, DIM_BW, or SERIES_BLOCK */
    char *name;         /* output base name */
    long line;          /* its <plot> element's line; a default plot, <sweep>'s */
    /* Filled by sweep_load: the values x and series take (sorted), and
     * when they are all in 0..PLOT_MAP_MAX the column of every value v up
     * to the largest (-1: not taken), so that a point finds its cell
     * without a search (NULL: plot_col searches the values). */
    int nx, ns;
    long *xv, *sv;
    int *xmap, *smap;
};
enum { PLOT_MAP_MAX = 65535 };
enum { SERIES_BLOCK = -3 };

struct sweep {
    char *path;         /* the sweep file */
    long line;          /* its <sweep> element's line (strategy and budget) */
    char *text;         /* its bytes (copied to DIR/sweep.xml) */
    size_t text_len;
    uint64_t hash;      /* of the text: shards of one sweep must agree */
    char *name;
    enum strategy strategy;
    uint64_t budget;    /* 0: whole space (exhaustive) / default */
    uint64_t seed;
    int chains;         /* anneal: independent chains */
    struct workload wl;
    int n_bw;           /* memory settings: the bw_gbps values, then each <memory> */
    double *bw;         /* bandwidths (GB/s); one entry 0 = no roofline */
    double *mem_pj;     /* their energy per bit (pJ; 0: not priced) */
    char **mem_name;    /* the <memory> names (NULL: a bw_gbps value) */
    const struct mem_preset **mem_preset; /* their preset (NULL: pJ/bit as given) */
    const char *phase;  /* a model workload: "decode" or "prefill" */
    double clock_ns;    /* target clock; 0: each design at its f_max */
    int ntech;
    struct tech *tech;
    struct cost_ctx *tctx;  /* one pricing context per technology (sweep_load) */
    int asic, fpga;     /* which target classes appear */
    int nblocks;
    struct block *blocks;
    uint64_t size;      /* points in the space */
    int ncons, nobj, nplots;
    struct constraint *cons;
    struct objective *obj;
    struct plot *plots;
    int synthesize_top;
    uint64_t compare_limit; /* strategy comparison when size <= this */
    double target_tokens_per_s; /* the report's recommendation; 0: none */
    uint64_t run_id;    /* hash of the text, seed, budget, strategy (sweep_plan) */
};

/* Read and check a sweep file; all errors located (file:line), -1 on any. */
int sweep_load(struct sweep *s, const char *path);
void sweep_free(struct sweep *s);
/* After command-line overrides of seed, budget and strategy: resolve the
 * strategy ("auto": exhaustive if the budget covers the space, else
 * anneal), check it and compute run_id. */
int sweep_plan(struct sweep *s);

/* ---- evaluating points ---------------------------------------------- */

#define SWEEP_MAX_OBJ 4

enum pstatus { P_INVALID, P_INFEASIBLE, P_FEASIBLE };

struct point {
    uint64_t index;
    int block, tech;
    int mem;                  /* index of the memory setting (s->bw[mem]) */
    double bw;
    struct design_point dp;   /* finalized when status != P_INVALID */
    struct cost c;
    double fig[G__COUNT];     /* NAN where a figure does not apply */
    double obj[SWEEP_MAX_OBJ];/* objectives, all as "smaller is better" */
    enum pstatus status;
    const char *why;          /* infeasible: the first violated constraint */
    int why_i;                /* and its reason: 0 the clock, 1 + i constraint i */
    double why_v;             /* the violating figure (the clock: the critical path) */
};

/* Decode an index into its block, technology, bandwidth and parameters,
 * finalize and price it (quietly: invalid combinations get P_INVALID). */
void sweep_eval(const struct sweep *s, uint64_t index, struct point *p);
/* The same with a thread's state between points (from eval_memo_new):
 * the next index in order steps the last point's digits instead of
 * decoding them, and a memo of the points' memory-independent part lets
 * points that differ only in the memory setting (the bandwidth digit)
 * share their core's dp_finalize and cost_eval_core, so a sweep over n
 * memories prices each core once instead of n times. The point comes out
 * the same, bit for bit, in any order; m NULL is sweep_eval. A hit needs
 * the core's other memory settings evaluated earlier through the same m,
 * at most the memo's capacity of cores apart (in index order a block's
 * memory settings are its number of cores per technology apart). */
struct eval_memo;
void sweep_eval_memo(const struct sweep *s, uint64_t index, struct point *p,
                     struct eval_memo *m);
struct eval_memo *eval_memo_new(const struct sweep *s);
void eval_memo_free(struct eval_memo *m);
/* The value of dimension d of block b at point index (within the block). */
long sweep_digit(const struct sweep *s, const struct block *b, int d, uint64_t index);

/* Why a point is invalid: the messages its parameter check gives. */
void sweep_why_invalid(const struct sweep *s, uint64_t index, struct strbuf *why);

/* One row of points.csv (with '\n'); returns its length. The header too. */
size_t sweep_csv_row(const struct sweep *s, const struct point *p, char *buf, size_t n);
void sweep_csv_header(const struct sweep *s, FILE *out);

/* The display name of value v of a plot axis. */
const char *axis_value_name(const struct sweep *s, int axis, long v, char *buf, size_t n);
const char *axis_name(int axis);

/* Format a double the way every output of a sweep does (%.6g, fast). */
int fmt_num(double v, char *buf);

#endif
