/* sweepout.h - what sweep and merge share (cli/sweepout.c). */
#ifndef TF_SWEEPOUT_H
#define TF_SWEEPOUT_H

#include "../explore/report.h"
#include "cli.h"

struct sopts {
    const char *file, *out;
    struct strlist dirs; /* merge: the shard directories */
    int jobs, shard_i, shard_n, no_points, no_plots, top, have_top;
    const char *strategy;
    int have_seed, have_budget;
    uint64_t seed, budget, max_points;
    struct sched_opts sched; /* for --synthesize-top */
};
#define SOPTS_INIT { .jobs = 1 }

opt_set_fn opt_sweep_jobs, opt_synth_top, opt_shard, opt_sweep_seed, opt_budget,
    opt_max_points;

/* The entries sweep and merge share: -o DIR, --jobs N, and the real flow
 * on the best points (synopsis names given, as the hand-laid usage). */
#define OPT_SWEEP_OUT                                                                    \
    { NULL, 'o', "DIR", "write the outputs into DIR", OPT_REQ, opt_str,                  \
      offsetof(struct sopts, out), 0, 0 }
#define OPT_SWEEP_JOBS                                                                   \
    { "--jobs", 0, "N", "evaluate with N threads, 1..256 (the output does not depend on "  \
      "N)", 0, opt_sweep_jobs, 0, 0, 0 }
#define OPT_SWEEP_TOP                                                                    \
    { "--synthesize-top", 0, "K", "synthesize the K best front points (by the first "     \
      "objective) and report whether the model's ranking holds", 0, opt_synth_top, 0, 0,  \
      0 },                                                                               \
    OPT_SCHED(struct sopts, sched, "local|parallel|slurm", "FILE", "ARGS")
#define OPT_MAX_POINTS                                                                   \
    { "--max-points", 0, "N", "evaluate at most N points (default 10000000): a larger run " \
      "is refused before it starts (docs/security.md)", 0, opt_max_points, 0, 0, 0 }
#define OPT_NO_PLOTS                                                                     \
    { "--no-plots", 0, NULL, "do not run gnuplot", 0, opt_flag,                          \
      offsetof(struct sopts, no_plots), 0, 0 }

/* The checks after parsing (merge: 1 for merge's). */
int sopts_check(struct sopts *o, int merge);
/* The file's search plan, overridden by --strategy, --seed, --budget. */
int sweepout_plan(struct sweep *s, const char *strategy, int have_seed, uint64_t seed,
                  int have_budget, uint64_t budget);
/* The outputs of a whole run into dir: report, plots, --synthesize-top. */
int sweepout_finish(const struct sweep *s, struct result *r, const struct sopts *o,
                    const char *dir);
/* DIR/sweep.xml: the sweep file as read. */
int sweepout_copy(const struct sweep *s, const char *dir);
/* The closing line of both commands. */
void sweepout_summary(const struct sweep *s, const struct result *r, const char *dir,
                      double secs);

#endif
