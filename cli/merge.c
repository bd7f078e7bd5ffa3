/* merge.c - `ternforge merge`: join the outputs of sharded sweeps into the
 * bytes of one run. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../sim/tools.h"
#include "sweepout.h"

/* Options of sweep alone are refused, after taking their value, and so
 * is any other option. */
static int unknown(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)o, (void)val, (void)dest;
    return error("%s: error: merge: unknown option '%s' (see 'ternforge help merge')",
                 tf_progname, tq(as_typed));
}

static const struct opt opts[] = {
    OPT_SWEEP_OUT,
    { NULL, 0, "SHARD_DIR", "the output directories of all N shards of one sweep",
      OPT_REQ | OPT_MULTI, opt_list, offsetof(struct sopts, dirs), 0, 0 },
    OPT_SWEEP_JOBS,
    OPT_NO_PLOTS,
    OPT_SWEEP_TOP,
    OPT_MAX_POINTS,
    { "--shard", 0, "I/N", "", OPT_HIDDEN, unknown, 0, 0, 0 },
    { "--seed", 0, "S", "", OPT_HIDDEN, unknown, 0, 0, 0 },
    { "--budget", 0, "N", "", OPT_HIDDEN, unknown, 0, 0, 0 },
    { "--strategy", 0, "X", "", OPT_HIDDEN, unknown, 0, 0, 0 },
    { NULL, 0, NULL, "", OPT_OTHER, unknown, 0, 0, 0 },
    { 0 }
};

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = read_input(a, &la), *y = read_input(b, &lb); /* a shard may come from anywhere */
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    return same;
}

static int run_merge(int argc, char **argv)
{
    struct sopts o = SOPTS_INIT;
    if (opt_parse(&cmd_merge, argc, argv, &o) || sopts_check(&o, 1)) {
        free(o.dirs.v);
        return 1;
    }
    for (int i = 0; i < o.dirs.n; i++)
        if (same_inode(o.dirs.v[i], o.out)) {
            error("%s: error: merge: -o %s is one of the shard folders", tf_progname, o.out);
            free(o.dirs.v);
            return 1;
        }
    double t0 = wall_seconds();
    struct strbuf first = STRBUF_INIT, part = STRBUF_INIT;
    sb_addf(&first, "%s/sweep.xml", o.dirs.v[0]);
    sb_addf(&part, "%s/partial.txt", o.dirs.v[0]);
    char strategy[32];
    uint64_t seed, budget;
    int si, sn, rc = 1;
    struct sweep s;
    memset(&s, 0, sizeof s);
    if (result_plan(part.buf, strategy, sizeof strategy, &seed, &budget, &si, &sn) ||
        sweep_load(&s, first.buf) || sweepout_plan(&s, strategy, 1, seed, 1, budget))
        goto out;
    if (!o.have_top && s.synthesize_top)
        o.top = s.synthesize_top;
    if (sn != o.dirs.n) {
        error("%s: error: merge: the shards are 1/%d each but %d directories were given",
              tf_progname, sn, o.dirs.n);
        goto out;
    }
    struct sweep_opts lim = { o.jobs, 0, 0, 1, 0, o.max_points };
    if (sweep_check_limits(&s, &lim, o.out, 1))
        goto out;
    /* Every shard is read and verified (explore/run.c) before anything is
     * written; the results stay for the check of their points.csv. */
    char *seen = xcalloc((size_t)sn, 1);
    struct result *parts = xcalloc((size_t)o.dirs.n, sizeof *parts), total;
    result_init(&total, &s);
    int bad = 0, nread = 0, points = 0;
    for (int i = 0; i < o.dirs.n && !bad; i++) {
        struct strbuf sx = STRBUF_INIT, px = STRBUF_INIT;
        sb_addf(&sx, "%s/sweep.xml", o.dirs.v[i]);
        sb_addf(&px, "%s/partial.txt", o.dirs.v[i]);
        struct result *r = &parts[i];
        if (!same_file(sx.buf, first.buf)) {
            bad = error("%s: error: merge: differs from %s (shards of different sweeps)",
                        sx.buf, first.buf);
        } else if (result_read(r, &s, px.buf)) {
            bad = -1;
        } else {
            nread++;
            if (r->shard_n != sn || seen[r->shard_i]++)
                bad = error("%s: error: merge: shard %d/%d is not a new shard of %d", px.buf,
                            r->shard_i, r->shard_n, sn);
            result_merge(&total, r, &s);
            if (r->nvisits) {
                total.visits = xrealloc(total.visits, sizeof *total.visits *
                                                          (total.nvisits + r->nvisits));
                memcpy(total.visits + total.nvisits, r->visits, sizeof *r->visits * r->nvisits);
                total.nvisits += r->nvisits;
            }
            points += r->have_points;
        }
        sb_release(&sx);
        sb_release(&px);
    }
    free(seen);
    result_finish(&total);
    if (!bad && points && points != o.dirs.n)
        bad = error("%s: error: merge: some shards wrote points.csv and some did not "
                    "(--no-points)", tf_progname);
    if (!bad && s.strategy != STRAT_ANNEAL && total.evaluated != total.planned)
        bad = error("%s: error: merge: the shards evaluated %llu points, the plan has %llu",
                    tf_progname, (unsigned long long)total.evaluated,
                    (unsigned long long)total.planned);
    if (!bad && s.strategy == STRAT_ANNEAL) {
        /* Chains of different shards may have visited the same points:
         * count the union once, as one run does. */
        total.nvisits = sort_unique(total.visits, total.nvisits);
        struct result u;
        result_of(&s, total.visits, total.nvisits, o.jobs, &u);
        result_free(&total);
        total = u;
    }
    /* DIR is built aside and appears whole (common/output.h) */
    struct outdir od = { 0 };
    if (!bad && od_begin(&od, o.out, od_sweep_file))
        bad = -1;
    if (!bad && points)
        bad = merge_points(&s, o.dirs.v, parts, o.dirs.n, od.tmp);
    if (!bad)
        bad = sweepout_copy(&s, od.tmp);
    if (!bad)
        bad = sweepout_finish(&s, &total, &o, od.tmp);
    if (!bad)
        bad = od_commit(&od);
    od_abort(&od);
    if (!bad) {
        sweepout_summary(&s, &total, o.out, wall_seconds() - t0);
        rc = 0;
    }
    for (int i = 0; i < nread; i++)
        result_free(&parts[i]);
    free(parts);
    result_free(&total);
out:
    sweep_free(&s);
    sb_release(&first);
    sb_release(&part);
    free(o.dirs.v);
    return rc;
}

const struct command cmd_merge = {
    "merge", run_merge, "join the outputs of sharded sweeps", opts,
    "usage: ternforge merge -o DIR SHARD_DIR... [--jobs N] [--no-plots] [--max-points N]\n"
    "                       [--synthesize-top K [--scheduler S] [--hosts F] [--sbatch-args A]]\n",
    "\n"
    "Join the outputs of 'ternforge sweep --shard I/N' runs (all N shards of one\n"
    "sweep file, seed and budget) into DIR: the same files, byte for byte, as one\n"
    "unsharded run. Every shard is checked first: its partial.txt and points.csv\n"
    "against their checksums, its counts and rows against its share of the plan,\n"
    "its front and sample points priced again.\n",
    0, 0
};
