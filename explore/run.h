/* run.h - running a sweep (run.c): the search strategies, the threads,
 * points.csv, and the result a run or a shard hands on: counts, the exact
 * front, the best value per plot cell and a sample of points for the
 * scatter plots. Results of shards merge exactly (`ternforge merge`), and
 * report.c turns a result into the outputs, so a merged sweep and an
 * unsharded one write the same bytes. */
#ifndef TF_RUN_H
#define TF_RUN_H

#include "pareto.h"
#include "sweep.h"

struct sweep_opts {
    int jobs;               /* threads */
    int shard_i, shard_n;   /* shard_n 0: not sharded */
    int write_points;       /* write points.csv */
    int progress;           /* a progress line on stderr */
    uint64_t max_points;    /* evaluations allowed (0: SWEEP_MAX_POINTS) */
};

/* Evaluations a run may make unless --max-points raises it: about 2 GB of
 * points.csv and a few seconds of the cost model (docs/security.md). */
#define SWEEP_MAX_POINTS UINT64_C(10000000)

/* Refuse, with a message naming the estimate, a run that would evaluate
 * more points than o->max_points (the search and, on small spaces, the
 * strategy comparison of the report), write more points.csv than the file
 * system of dir has room for, or need more memory than the machine has.
 * merging: for `merge`, which evaluates only an annealing union and the
 * report's comparison. */
int sweep_check_limits(const struct sweep *s, const struct sweep_opts *o, const char *dir,
                       int merging);

struct result {
    uint64_t run_id, size, planned; /* planned: evaluations of the whole run */
    int shard_i, shard_n;
    uint64_t evaluated, invalid, infeasible, feasible;
    struct front front;
    int nplots;
    double **best;          /* per plot: ns x nx best y (NAN: no point) */
    int nblocks;
    uint64_t *blk_invalid;  /* per <core> block: invalid points */
    uint64_t *blk_first_invalid; /* and the first one (UINT64_MAX: none) */
    uint64_t *blk_feasible;  /* per block: feasible points */
    /* per block and reason (0: the clock, 1 + i: constraint i), index
     * b * (ncons + 1) + reason: infeasible points and the range of the
     * violating figure (NAN: none) */
    int nreasons;
    uint64_t *blk_infeasible;
    double *blk_lo, *blk_hi;
    uint64_t *visits;       /* anneal: the indices evaluated (merge needs them) */
    size_t nvisits;
    size_t nsample, asample;
    uint64_t *sample;       /* indices of the scatter sample (feasible points) */
    /* points.csv as written (a shard declares it, merge checks it) */
    int have_points;
    uint64_t points_rows, points_hash;
};

void result_init(struct result *r, const struct sweep *s);
void result_free(struct result *r);
/* Fold src into dst (the same sweep). */
void result_merge(struct result *dst, const struct result *src, const struct sweep *s);
/* Add one evaluated point. */
void result_add(struct result *r, const struct sweep *s, const struct point *p);

/* Evaluate the points the strategy picks (this shard's share), writing
 * dir/points.csv when asked. Returns 0 or -1 (error printed). */
int sweep_run(const struct sweep *s, const struct sweep_opts *o, const char *dir,
              struct result *r);

/* The indices a strategy evaluates, sorted and distinct: random sampling
 * or annealing (chains lo..hi-1) with `budget` evaluations. */
uint64_t *strategy_indices(const struct sweep *s, enum strategy st, uint64_t budget,
                           int chain_lo, int chain_hi, int jobs, size_t *n);

/* The result of evaluating these indices (sorted, distinct), as a run
 * does; a merge of annealing shards recounts the union this way, because
 * chains of different shards can visit the same point. */
void result_of(const struct sweep *s, const uint64_t *idx, size_t n, int jobs,
               struct result *r);
/* Sort and drop repeats; returns the new count. */
size_t sort_unique(uint64_t *v, size_t n);

/* Sort the front and the sample into index order (after merging). */
void result_finish(struct result *r);

/* The strategy, seed, budget and shard a shard result was run with. */
int result_plan(const char *path, char *strategy, size_t n, uint64_t *seed, uint64_t *budget,
                int *shard_i, int *shard_n);

/* A shard's result file (partial.txt), ending in a checksum of itself. */
int result_write(const struct result *r, const struct sweep *s, const char *path);
/* Read and verify a shard's result: the format, the checksum, counts that
 * add up to this shard's share of the plan, and every front and sample
 * point re-priced (docs/security.md). -1 and a located error on any doubt;
 * r is freed then. */
int result_read(struct result *r, const struct sweep *s, const char *path);

/* Merge the points.csv of the shards (r[i] read from dirs[i]) into
 * out/points.csv in index order, dropping repeats (annealing shards may
 * visit a point twice), checking each shard's rows against what its
 * partial.txt declares: count, checksum, order and range. */
int merge_points(const struct sweep *s, char **dirs, const struct result *r, int n,
                 const char *out);

#endif
