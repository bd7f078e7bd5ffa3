/* sched.h - handing synthesis runs to a scheduler: this machine's cores
 * (fork, synth_run_many), GNU parallel (local cores or ssh hosts) or a
 * Slurm array job. Results always come back through the synthesis cache,
 * so a point synthesized by any scheduler is the same cache entry, and the
 * same numbers, as one synthesized here. docs/clusters.md has the recipes
 * for real clusters. */
#ifndef TF_SCHED_H
#define TF_SCHED_H

#include "synth.h"

enum sched_kind { SCHED_LOCAL, SCHED_PARALLEL, SCHED_SLURM };
extern const char *const sched_names[]; /* "local", "parallel", "slurm" */

struct sched_opts {
    enum sched_kind kind;
    int jobs;                /* flows at once; 0: the scheduler's default.
                                local: forks (0: 1); parallel: --jobs, per
                                host (0: one per CPU core); slurm: the
                                array's %N throttle (0: none) */
    const char *hosts;       /* parallel: an ssh login file (--sshloginfile;
                                ':' is this machine); NULL: this machine */
    const char *sbatch_args; /* slurm: extra sbatch options, split at blanks
                                (no quoting); NULL: $TERNFORGE_SBATCH_ARGS */
    const char *work_dir;    /* parallel/slurm: where the job files go (kept);
                                NULL: a fresh $TERNFORGE_CACHE/sched-KIND-XXXXXX,
                                removed when every result came back */
};

/* "local", "parallel" or "slurm" to *k; -1 if none. */
int sched_parse(const char *name, enum sched_kind *k);

/* Can s run here: is its scheduler's program (parallel, sbatch) in PATH
 * and, for parallel, the hosts file readable? 0, or -1 with an error. */
int sched_check(const struct sched_opts *s);

/* Synthesize n points with flow f, like synth_run_many, through the
 * scheduler s. r[i] is dp[i]'s result; names[i] (names may be NULL) names
 * the point in messages. Returns how many points have no result (their
 * r[i].ok = 0); every failure is reported on stderr, naming the point and
 * its job's log.
 *
 * SCHED_LOCAL is synth_run_many(dp, n, f, o, jobs, r).
 * SCHED_PARALLEL, SCHED_SLURM:
 *  - points already in the cache are not submitted (unless o->no_cache,
 *    which every job then gets too);
 *  - each remaining point becomes a parameter file job-NNNN.xml, the flow a
 *    technology file flow.tech, and jobs.txt one shell line per job:
 *      cd WORK && TERNFORGE_CACHE=CACHE exec /proc/self/exe's path synth
 *         job-NNNN.xml --tech flow.tech --clock C > logs/job-NNNN.log 2>&1
 *    which reproduces the cache key of synth_run(dp[i], f) exactly;
 *  - parallel runs them with `parallel --jobs N --halt now,fail=1
 *    [--sshloginfile F]`, slurm with `sbatch --wait --array=0-(A-1)[%N]
 *    [extra args] array.sh` (A <= 1000 tasks; task t runs lines t, t+A,
 *    ...); both block until every job ended;
 *  - then every r[i] is read from the cache (synth_cached): r[i].cached = 1.
 * The cache directory ($TERNFORGE_CACHE, made absolute) and the work
 * directory must be on a filesystem every host shares; yosys and sta in
 * the jobs' PATH must be the versions here (they are part of the key).
 * o->keep_dir must be NULL (no work files come back from a cluster);
 * o->verbose echoes the scheduler's command and passes -v to the jobs. */
int sched_synth_many(const struct sched_opts *s, const struct design_point *const *dp,
                     const char *const *names, int n, const struct synth_flow *f,
                     const struct synth_opts *o, struct synth_result *r);

#endif
