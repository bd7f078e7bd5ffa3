/* plist.h - what calibrate and validate share (cli/plist.c). */
#ifndef TF_PLIST_H
#define TF_PLIST_H

#include "cli.h"

/* A list of named design points. */
struct plist {
    int n;
    char **name;
    struct design_point *dp;
    char *path; /* the points' src: the file, or <built-in>/NAME */
    long *act_cycles; /* per point, act_cycles=N: its --activity cycles
                         (0: the option's); NULL: none given */
};

/* A point list: "NAME: PARAM=VALUE ..." per line, over the defaults; a
 * name without '/' that is built in (model/tech/NAME) is that list.
 * act_cycles=N is no design parameter: the cycles of that point's
 * --activity run, for points whose gate-level simulation crawls. */
int plist_load(struct plist *pl, const char *path_or_builtin);
void plist_free(struct plist *pl);

/* The metrics fitted and validated: the technology's own, plus energy for
 * ASIC targets; FPGA targets without DSP tiles have no DSP count to fit
 * (dsps is the last of tech_metrics()). */
int fit_metrics(const struct tech *t, enum metric *m);

/* Parse the options, load the technology and the point list (default:
 * the built-in `points`) and synthesize every point. On failure
 * everything is freed and -1 returned. */
int plist_prepare(const struct command *c, int argc, char **argv, const char *points,
                  struct copts *o, struct tech *t, struct plist *pl,
                  struct synth_result **r);
/* Synthesize every point of pl (hier: with the hierarchical flow) into
 * r[]; SRAM macros priced in, --activity power when o asks. 0 or -1. */
int plist_synth(const struct plist *pl, const struct tech *t, const struct copts *o, int hier,
                struct synth_result *r);
/* Free what plist_prepare() made. */
void plist_finish(struct copts *o, struct tech *t, struct plist *pl, struct synth_result *r);

struct errstat {
    double sum, max;
    int n;
    const char *max_at;
};

/* The table of both commands: per point, measured | model | error for each
 * metric and (ASIC) the critical path, then the MAPE and largest error of
 * each column. es[i] (nm + 1 of them, the path last) gets the statistics;
 * meas0/model0, if given, the first metric of every point. Printed to fp. */
void plist_report(FILE *fp, const struct plist *pl, const struct tech *t,
                  const struct synth_result *r, const enum metric *ms, int nm,
                  struct errstat *es, double *meas0, double *model0);

/* The options of both commands: an unexpected word (refused after
 * parsing, as before), the technology and the point list. */
#define OPT_PLIST_HEAD                                                                   \
    { NULL, 0, "P.xml", "", OPT_HIDDEN, opt_str, offsetof(struct copts, pt.file), 0, 0 }, \
    OPT_TECH(OPT_REQ),                                                                   \
    { "--points", 0, "FILE", "the point list: lines 'NAME: PARAM=VALUE ...' (default: "  \
      "the built-in list)", 0, opt_str, offsetof(struct copts, points), 0, 0 }
/* ... and where and how the flows run. */
#define OPT_PLIST_TAIL                                                                   \
    { "--jobs", 0, "N", "flows at once (local: 1..64; parallel: per host; slurm: "        \
      "running tasks)", 0, opt_flow_jobs, 0, 0, 0 },                                      \
    OPT_ACTIVITY("measured power from simulated switching activity, not the "          \
                 "technology's global activity (asic; slow, cached)"),                   \
    OPT_NO_CACHE, OPT_VERBOSE(struct copts),                                             \
    OPT_SCHED(struct copts, sched, "local|parallel|slurm", "FILE", "ARGS")

/* The scheduler options of both commands (sim/sched.h). */
#define SCHED_HELP                                                                        \
    "\n"                                                                                  \
    "Where the flows run: --scheduler local (default: forks here, --jobs at a\n"          \
    "time), parallel (GNU parallel; --jobs per host, --hosts FILE an ssh login\n"        \
    "file) or slurm (one sbatch --wait array job; --jobs caps running tasks,\n"         \
    "--sbatch-args \"--partition=P ...\" or $TERNFORGE_SBATCH_ARGS add options).\n"     \
    "Results come back through $TERNFORGE_CACHE, which must be shared with\n"          \
    "every host; cached points are not submitted. See docs/clusters.md.\n"

#endif
