/* sweep.c - `ternforge sweep`: design-space exploration with the cost
 * model (explore/), whole or one shard of it (`ternforge merge` joins the
 * shards, cli/merge.c). docs/sweep.md is the guide. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../sim/tools.h"
#include "sweepout.h"

static const struct opt opts[] = {
    { NULL, 0, "S.xml", "the sweep file (docs/sweep.md)", OPT_REQ, opt_str,
      offsetof(struct sopts, file), 0, 0 },
    OPT_SWEEP_OUT,
    OPT_SWEEP_JOBS,
    { "--shard", 0, "I/N", "evaluate only slice I of N (0 <= I < N) and write points.csv "
      "and partial.txt for 'ternforge merge'", 0, opt_shard, 0, 0, 0 },
    { "--seed", 0, "S", "seed of random sampling and annealing (default: the file's, 1)", 0,
      opt_sweep_seed, 0, 0, 0 },
    { "--budget", 0, "N", "at most N evaluations (random, anneal)", 0, opt_budget, 0, 0, 0 },
    { "--strategy", 0, "auto|exhaustive|random|anneal", "override the file's strategy", 0,
      opt_str, offsetof(struct sopts, strategy), 0, 0 },
    OPT_SWEEP_TOP,
    { "--no-points", 0, NULL, "do not write points.csv (front and report only)", 0,
      opt_flag, offsetof(struct sopts, no_points), 0, 0 },
    OPT_NO_PLOTS,
    OPT_MAX_POINTS,
    { 0 }
};

static int run_sweep(int argc, char **argv)
{
    struct sopts o = SOPTS_INIT;
    struct sweep s;
    int rc = 1;
    if (opt_parse(&cmd_sweep, argc, argv, &o) || sopts_check(&o, 0))
        return 1;
    double t0 = wall_seconds();
    if (sweep_load(&s, o.file) ||
        sweepout_plan(&s, o.strategy, o.have_seed, o.seed, o.have_budget, o.budget)) {
        sweep_free(&s);
        return 1;
    }
    if (!o.have_top && !o.shard_n && s.synthesize_top) /* the file's, unless an option says */
        o.top = s.synthesize_top;
    struct sweep_opts so = { o.jobs, o.shard_i, o.shard_n, !o.no_points, isatty(2),
                             o.max_points };
    /* DIR is built aside and appears whole (common/output.h) */
    struct outdir od = { 0 };
    if (sweep_check_limits(&s, &so, o.out, 0) || od_begin(&od, o.out, od_sweep_file)) {
        od_abort(&od);
        goto out;
    }
    struct result r;
    if (sweep_run(&s, &so, od.tmp, &r)) {
        od_abort(&od);
        goto out;
    }
    int bad = sweepout_copy(&s, od.tmp);
    if (!bad && o.shard_n) {
        struct strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/partial.txt", od.tmp);
        bad = result_write(&r, &s, p.buf);
        sb_release(&p);
    } else if (!bad) {
        bad = sweepout_finish(&s, &r, &o, od.tmp);
    }
    if (!bad)
        bad = od_commit(&od);
    od_abort(&od);
    if (!bad) {
        sweepout_summary(&s, &r, o.out, wall_seconds() - t0);
        rc = 0;
    }
    result_free(&r);
out:
    sweep_free(&s);
    return rc;
}

const struct command cmd_sweep = {
    "sweep", run_sweep, "explore a design space: Pareto front, report, plots", opts,
    "usage: ternforge sweep S.xml -o DIR [--jobs N] [--shard I/N] [--seed S]\n"
    "                       [--budget N] [--strategy auto|exhaustive|random|anneal]\n"
    "                       [--synthesize-top K [--scheduler local|parallel|slurm]\n"
    "                        [--hosts FILE] [--sbatch-args ARGS]] [--no-points] [--no-plots]\n"
    "                       [--max-points N]\n",
    "\n"
    "Explore a design space with the cost model. The sweep file (docs/sweep.md)\n"
    "fixes the workload, lists free parameters per core kind, technologies,\n"
    "constraints and objectives. DIR receives points.csv (every evaluated point),\n"
    "pareto.csv and pareto.json (the exact Pareto front), pareto/INDEX.xml (each\n"
    "front point's parameter file, for 'ternforge gen'), report.md, plots as\n"
    "*.svg and *.png (gnuplot), and sweep.xml (a copy of the sweep file).\n"
    "\n"
    "  --jobs N          evaluate with N threads (output does not depend on N)\n"
    "  --shard I/N       evaluate only slice I of N (0 <= I < N) and write\n"
    "                    points.csv and partial.txt; 'ternforge merge' joins shards\n"
    "  --seed S          seed of random sampling and annealing (default: the file's, 1)\n"
    "  --budget N        at most N evaluations (random, anneal)\n"
    "  --strategy X      override the file's strategy\n"
    "  --synthesize-top K  synthesize the K best front points (by the first\n"
    "                    objective) and report whether the model's ranking holds;\n"
    "                    --scheduler hands the runs to GNU parallel or Slurm\n"
    "                    (docs/clusters.md), results come back through the cache\n"
    "  --no-points       do not write points.csv (front and report only)\n"
    "  --no-plots        do not run gnuplot\n"
    "  --max-points N    evaluate at most N points (default 10000000): a larger run\n"
    "                    is refused before it starts (docs/security.md)\n"
    "DIR is built beside its final place and appears whole or not at all; an\n"
    "existing DIR is replaced only if it holds nothing but sweep outputs.\n",
    0, 0
};
