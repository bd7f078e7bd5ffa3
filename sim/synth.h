/* synth.h - running the real synthesis flows on the generated RTL:
 * Yosys + ABC onto a Liberty standard-cell library with OpenSTA for the
 * critical path and power (ASIC), or Yosys's FPGA flows (xc7, ice40).
 * Results are cached by design content, flow script and tool versions.
 * The header of synth.c says exactly what each number counts. */
#ifndef TF_SYNTH_H
#define TF_SYNTH_H

#include "dp.h"
#include "../model/cost.h"

enum flow_kind { FLOW_ASIC, FLOW_XC7, FLOW_ICE40 };

/* synth_flow.hier: flat; hierarchical, integer LUT builds flattened into
 * the top for honest timing; hierarchical with every top instance kept,
 * for the component rows calibrate --parts fits (hier_keep_top_instances). */
enum { HIER_OFF, HIER_ON, HIER_ALL };

struct synth_flow {
    enum flow_kind kind;
    const char *liberty;   /* FLOW_ASIC: the Liberty file */
    double clock_ns;       /* clock period for OpenSTA (timing and power) */
    double activity;       /* global switching activity for OpenSTA power */
    int hier;              /* FLOW_ASIC: keep the top's instances as modules,
                              each distinct one mapped once (synth.c):
                              HIER_ON, or HIER_ALL (every instance kept) */
    int opaque_fpadd;      /* any flow: every FP adder stays a module of its
                              own, as an FP adder macro would (synth.c) */
    int one_run;           /* FLOW_ASIC hier: the whole design in one Yosys
                              run (session 10's flow), no per-module cache;
                              0: each kept module in a run of its own,
                              cached per module (synth.c, "split") */
};

/* The synthesis flow of a technology at clock_ns (0: the file's clock). */
struct tech;
void flow_of(const struct tech *t, double clock_ns, struct synth_flow *f);
/* Whether `synth` keeps the hierarchy of dp on flow f when neither --hier
 * nor --flat is given: an ASIC flow and a tile (inputs x outputs per
 * cycle) above SYNTH_AUTO_HIER_FP MACs for FP and block-scaled
 * activations, above SYNTH_AUTO_HIER_INT for integer ones (synth.c says
 * why; docs/cost-model.md, "Hierarchical synthesis"). */
enum { SYNTH_AUTO_HIER_FP = 64, SYNTH_AUTO_HIER_INT = 256 };
struct design_point;
int synth_auto_hier(const struct design_point *dp, const struct synth_flow *f);
/* The tile (MACs a cycle) above which synth_auto_hier keeps the hierarchy. */
int synth_auto_hier_limit(const struct design_point *dp);
/* FNV-1a of a generated file's text and its terminator, as synthesis
 * reads it: lines that start (after indentation) with a Verilator
 * directive comment such as verilator hier_block are left
 * out (sim/synth.c says why). */
uint64_t synth_hash_rtl_text(const char *t, uint64_t h);

struct synth_opts {
    const char *keep_dir;  /* keep RTL, scripts, logs and netlist here (NULL: temp);
                              always runs the flow (a cached result has no files);
                              synth_run_many with n > 1 uses keep_dir/<i> */
    int verbose;           /* echo the commands run */
    int no_cache;          /* ignore (but refresh) the cache */
};

/* What the hierarchical flow measured of one group of the top's kept
 * instances (synth_parts): the instances whose name, less its generate
 * path and trailing digits and underscores, is `group` ("u_lut", "u_sel",
 * "u_add", ...), or the top module's own cells (group "top"). */
#define SYNTH_PARTS_MAX 12
struct synth_part {
    char group[24];
    long instances;        /* 0 for "top" */
    double area_um2;       /* instances x their module's mapped area */
};

struct synth_result {
    int ok;                /* 1: the flow ran (or was cached); 0: it failed */
    int cached;            /* 1: read from the cache */
    double seconds;        /* wall time of the flow (0 when cached) */
    /* ASIC */
    double area_um2;       /* Yosys stat -liberty chip area */
    long cells, seq_cells; /* mapped cells, of which flip-flops */
    double critical_path_ns; /* OpenSTA: worst reg-to-reg / io arrival + setup */
    double power_mw;       /* OpenSTA total power at clock_ns and activity */
    double power_internal_mw, power_switching_mw, power_leakage_mw;
    /* FPGA */
    long luts, ffs, carry, dsps, brams;
    /* SRAM macros (mem_style=sram): the ASIC flow keeps tf_sram_1r1w a
     * black box; synth_add_macros() (cli) adds their technology-file
     * price to area_um2 and power_mw and notes it here. Never cached. */
    int macros;
    double macro_area_um2, macro_power_mw;
    /* ASIC --hier: the area by group of instances (synth_parts); nparts 0
     * when the flow was flat or a cached result predates the breakdown.
     * The parts sum to area_um2 before synth_add_macros. */
    int nparts;
    struct synth_part part[SYNTH_PARTS_MAX];
    /* ASIC --hier, split flow, a run (not a cached point): the kept
     * modules below the top, and how many of them this run synthesized
     * (the others came from the per-module cache). Never cached. */
    int modules, modules_built;
};

/* Split a hierarchical run's area by the top's kept instances: `stat` is
 * the text of Yosys `stat -liberty -top` (every module's "Chip area for
 * module" and the "design hierarchy" total), `netlist` the text of
 * write_verilog, `top` the top module's name. Fills r->part and
 * r->nparts, "top" first, then the groups in the order the netlist first
 * names them. Returns 0, or -1 with an error naming `what` when the texts
 * do not fit together (a kept module without an area, more groups than
 * SYNTH_PARTS_MAX, parts that do not sum to the total). */
int synth_parts(const char *stat, const char *netlist, const char *top, const char *what,
                struct synth_result *r);

/* One row of a --hier run's breakdown: measured groups of the same model
 * components, the model's area and features of what those instances
 * hold. */
struct part_row {
    char groups[64];
    unsigned comps; /* 0: a group with no known components */
    unsigned part;  /* of comps, those the row holds some features of only */
    long instances;
    double measured, model;
    double x[F__COUNT];
};
/* The rows of r (c: cost_components() of its point under t) in r's order,
 * "top" first. A group holds fixed model components, or only some
 * features of one (u_acc: the FP accumulator's adder; its registers and
 * first-tile selects are the top's cells); the top's row gets every
 * feature the model prices and no other row claims. Returns the number
 * of rows. */
int synth_part_rows(const struct synth_result *r, const struct cost *c, const struct tech *t,
                    struct part_row *row);

/* Run (or read from the cache) the flow for dp. Returns 0, or -1 with an
 * error printed (tool missing, tool failed: the log's path is named). */
int synth_run(const struct design_point *dp, const struct synth_flow *f,
              const struct synth_opts *o, struct synth_result *r);

/* Read dp's result from the cache without running anything: 1 and *r
 * filled (ok = cached = 1) on a hit, 0 on a miss, -1 with an error printed
 * (no tools, bad Liberty file). The key is synth_run's: a result a job
 * elsewhere stored in the same $TERNFORGE_CACHE is found here. */
int synth_cached(const struct design_point *dp, const struct synth_flow *f,
                 struct synth_result *r);

/* Run n points with up to `jobs` flows at once (fork); r[i] for dp[i]
 * (r[i].ok says whether it succeeded). Returns the number of failures. */
int synth_run_many(const struct design_point *const *dp, int n, const struct synth_flow *f,
                   const struct synth_opts *o, int jobs, struct synth_result *r);

/* The Yosys script of flow f for dp's files gf (their .v files, in
 * order; paths relative to the folder it runs in); `lib` is the Liberty
 * file's path (ASIC) without double quotes. `synth` runs it; `gen` writes
 * it as synth.ys for the default technology. */
struct strbuf;
struct gen_files;
void synth_yosys_script(struct strbuf *ys, const struct design_point *dp,
                        const struct gen_files *gf, const struct synth_flow *f, const char *lib);

/* <prefix>.sdc for a clock of clock_ns: create_clock on the top's clock
 * port, input and output delays of these fractions of the period on every
 * other port (docs/integration.md). `gen` writes it; synth's OpenSTA run
 * reads it, then sets the delays to 0 to measure the core alone. */
#define SDC_INPUT_FRACTION 0.2
#define SDC_OUTPUT_FRACTION 0.2
char *synth_sdc(const struct design_point *dp, double clock_ns);

/* The cache key of dp's run under f (what synth_run hashes): 0, or -1
 * with an error printed (no tools, no Liberty file). */
int synth_key(const struct design_point *dp, const struct synth_flow *f, uint64_t *key);

/* The head of every OpenSTA script: the Liberty file `lib`, the mapped
 * netlist (a file name in the run's folder), the top, <prefix>.sdc, and
 * input and output delays of 0 (the core alone). */
void synth_sta_prelude(struct strbuf *tcl, const struct design_point *dp, const char *lib,
                       const char *netlist);
/* The name of dp's clock port (caller frees). */
char *synth_clock_port(const struct design_point *dp);
/* 1 and the four figures in mW if `line` is report_power's "Total" line
 * (OpenSTA prints watts). */
int synth_power_line(const char *line, double *total, double *internal, double *switching,
                     double *leakage);

/* The versions of yosys and sta, for cache keys and reports. */
const char *synth_tool_versions(void);

#endif
