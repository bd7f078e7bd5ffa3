/* cli.h - what the commands share: their entries in the command table
 * (cli/main.c), the arguments of commands that read a parameter file
 * (cli/point.c) and those of the cost-model commands (cli/flow.c). */
#ifndef TF_CLI_H
#define TF_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/cost.h"
#include "softfloat.h"
#include "../sim/activity.h"
#include "../sim/cosim.h"
#include "../sim/sched.h"
#include "../sim/synth.h"
#include "dp.h"
#include "matrix.h"
#include "opt.h"

/* One file per command, cli/<name>.c. */
extern const struct command cmd_gen, cmd_pack, cmd_run, cmd_sim, cmd_quantize, cmd_params,
    cmd_inventory, cmd_cost, cmd_synth, cmd_calibrate, cmd_validate, cmd_sweep, cmd_merge;

/* ---- commands that read a parameter file (cli/point.c) ---- */

/* P.xml and its --set NAME=VALUE overrides. */
struct point_args {
    const char *file;
    struct strlist sets;
};
#define OPT_POINT(type, field)                                                           \
    { NULL, 0, "P.xml", "the parameter file (docs/params.md)", OPT_REQ, opt_str,          \
      offsetof(type, field.file), 0, 0 }
#define OPT_SET(type, field)                                                             \
    { "--set", 0, "NAME=VALUE", "override a parameter of the file (repeatable)",          \
      OPT_MULTI, opt_list, offsetof(type, field.sets), 0, 0 }

/* dp_load of the file, or "cmd: missing parameter file". */
int load_point(const struct point_args *p, struct design_point *dp, const char *cmd);
/* --simulator NAME (NULL: verilator). */
int parse_sim(const char *s, enum simulator *sim);
/* --seed of run and sim: a non-negative integer into a uint64_t. */
opt_set_fn opt_seed;
/* --scales S.txt of a block-scaled point into X->scales (X already read):
 * codes checked against X's shape and range; an error for a missing file
 * (block-scaled) or a given one (any other act_type). */
int read_scales(const struct design_point *dp, const char *path, struct matrix *X);
/* The --weights and --acts matrices (either may be NULL unless need_*),
 * read and checked against dp and each other; compact: integers kept in
 * compact storage (mat_read_compact: for the fast model). On error
 * nothing is left allocated. */
int read_inputs(const struct design_point *dp, const char *weights, const char *acts,
                struct matrix *W, struct matrix *X, int need_w, int need_x, int compact);

/* ---- the cost-model commands: cost, synth, calibrate, validate (cli/flow.c) ---- */

struct copts {
    struct point_args pt;
    const char *tech, *format, *out, *points, *work, *plot;
    int jobs, no_cache, verbose, hier, parts, keep_all;
    int opaque_fpadd; /* synth --opaque-fpadd */
    int one_run;      /* synth --one-run */
    int flat;         /* synth --flat: no automatic --hier */
    const char *jobs_arg; /* --jobs as given, for the check after parsing */
    long M, N, B;
    double bw, clock_ns, fail_above;
    /* cost --model: a model's token (model/models.h), decode or prefill of
     * `tokens` tokens, and the memory's energy per bit */
    const char *model, *phase;
    long tokens;
    double mem_pj;
    int mem_pj_given;   /* --mem-pj-per-bit was given (not with --memory) */
    const char *memory; /* cost --memory: a preset (model/mempresets.h) */
    /* --scheduler, --hosts, --sbatch-args and --jobs (sim/sched.h) */
    struct sched_opts sched;
    /* --activity and its stimulus (sim/activity.h); act_given: an --act-*
     * option was given (they need --activity) */
    int activity, act_given;
    struct activity_opts act;
    int energy_scale; /* calibrate --energy-scale */
    const char *hold_delay; /* calibrate --hold-delay: delay terms kept */
    const char *hold_unit;  /* calibrate --hold-unit: METRIC:FEATURE unit costs kept */
};
#define COPTS_INIT { .format = "text", .jobs = 1, .act = ACTIVITY_OPTS_INIT }
/* --activity and the --act-* options of synth, validate and calibrate. */
opt_set_fn opt_act_seed, opt_act_zeros, opt_act_dist, opt_act_cycles;
#define OPT_ACTIVITY(what)                                                               \
    { "--activity", 0, NULL, what, 0, opt_flag, offsetof(struct copts, activity), 0, 0 }, \
    { "--act-seed", 0, "S", "seed of the activity stimulus (default 1)", 0, opt_act_seed,  \
      offsetof(struct copts, act.seed), 0, 0 },                                          \
    { "--act-zeros", 0, "F", "fraction of zero weights, 0..1 (default 1/3, BitNet-like)", \
      0, opt_act_zeros, offsetof(struct copts, act.zeros), 0, 0 },                       \
    { "--act-dist", 0, "gauss|uniform", "activation distribution (default gauss)", 0,     \
      opt_act_dist, offsetof(struct copts, act.dist), 0, 0 },                            \
    { "--act-cycles", 0, "N", "at least N cycles of stimulus (default 2000)", 0,          \
      opt_act_cycles, offsetof(struct copts, act.cycles), ACTIVITY_MIN_CYCLES,           \
      ACTIVITY_MAX_CYCLES }
/* After parsing: --act-* options need --activity. */
int act_opts_check(const struct copts *o);

/* Entries shared by the tables of these commands and sweep/merge. */
opt_set_fn opt_flow_jobs, opt_scheduler;
/* A number >= lo into *out, or "option 'OPT': 'S' is not a number >= lo". */
/* A finite decimal number, the whole of s; -1 (nothing printed) if not. */
int read_num(const char *s, double *out);
/* read_num() and >= lo, or an error naming the option. */
int parse_num(const char *opt, const char *s, double lo, double *out);
#define OPT_TECH(req)                                                                    \
    { "--tech", 0, "NAME|FILE", "technology: osu018, xc7, ice40 or a .tech file", req,    \
      opt_str, offsetof(struct copts, tech), 0, 0 }
#define OPT_NO_CACHE                                                                     \
    { "--no-cache", 0, NULL, "rerun the flow even if a result is cached", 0, opt_flag,     \
      offsetof(struct copts, no_cache), 0, 0 }
#define OPT_VERBOSE(type)                                                                \
    { NULL, 'v', NULL, "print the flow's progress", 0, opt_flag, offsetof(type, verbose),  \
      0, 0 }
#define OPT_SCHED(type, field, sched_arg, hosts_arg, sbatch_arg)                         \
    { "--scheduler", 0, sched_arg, "where the flows run: local, GNU parallel or Slurm "   \
      "(docs/clusters.md)", 0, opt_scheduler, offsetof(type, field.kind), 0, 0 },        \
    { "--hosts", 0, hosts_arg, "--scheduler parallel: an ssh login file", 0, opt_str,     \
      offsetof(type, field.hosts), 0, 0 },                                               \
    { "--sbatch-args", 0, sbatch_arg, "--scheduler slurm: extra sbatch options", 0,       \
      opt_str, offsetof(type, field.sbatch_args), 0, 0 }

/* The checks after parsing: --hosts and --sbatch-args need their
 * scheduler, --jobs above 64 needs one other than local. */
int copts_check(struct copts *o);
int sched_args_check(const struct sched_opts *s);
/* load_point, then the technology (default osu018). */
int load_costed(struct copts *o, struct design_point *dp, struct tech *t, const char *cmd);
/* The --shape or --model workload, or max_rows x max_cols x 1. */
void default_workload(const struct design_point *dp, const struct copts *o,
                      struct workload *wl);

/* What the flow measured for metric m (energy: power x clock = pJ/cycle). */
/* ASIC flows: add the black-box SRAM macros of dp, priced from t's `sram`
 * lines at clock_ns (one read a cycle), to r's area and power. */
void synth_add_macros(const struct design_point *dp, const struct tech *t, double clock_ns,
                      struct synth_result *r);
double measured(const struct synth_result *r, enum metric m, double clock_ns);
/* The metrics a technology reports, in print order (ASIC: area; FPGA:
 * luts, ffs, carry, dsps). Returns how many. */
int tech_metrics(const struct tech *t, enum metric *m);
/* JSON key of a metric ("area_um2", "luts", ...). */
const char *metric_key(enum metric m);
/* (model - measured) / measured in percent. */
double err_pct(double model, double meas);

/* Print a priced point as text, json or csv (cli/cost.c). */
void cost_print(FILE *out, const struct design_point *dp, const struct tech *t,
                const struct workload *wl, const struct cost *c, const char *format);

#endif
