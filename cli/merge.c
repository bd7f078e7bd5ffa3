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
 * is any other option: as merge always did, without the help hint. */
static int unknown(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)o, (void)val, (void)dest;
    return error("%s: error: merge: unknown option '%s'", tf_progname, as_typed);
}

static const struct opt opts[] = {
    OPT_SWEEP_OUT,
    { NULL, 0, "SHARD_DIR", "the output directories of all N shards of one sweep",
      OPT_REQ | OPT_MULTI, opt_list, offsetof(struct sopts, dirs), 0, 0 },
    OPT_SWEEP_JOBS,
    OPT_NO_PLOTS,
    OPT_SWEEP_TOP,
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
    char *x = read_file(a, &la), *y = read_file(b, &lb);
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    return same;
}

/* k-way merge of the shards' points.csv by index, dropping repeats (shards
 * of an annealing search can visit the same point). */
static int merge_points(char **dirs, int n, const char *out)
{
    FILE **in = xcalloc((size_t)n, sizeof *in);
    char **line = xcalloc((size_t)n, sizeof *line);
    size_t *cap = xcalloc((size_t)n, sizeof *cap);
    uint64_t *key = xcalloc((size_t)n, sizeof *key);
    int *live = xcalloc((size_t)n, sizeof *live);
    char *header = NULL;
    int rc = 0;
    struct strbuf path = STRBUF_INIT;
    for (int i = 0; i < n && !rc; i++) {
        sb_release(&path);
        sb_addf(&path, "%s/points.csv", dirs[i]);
        in[i] = fopen(path.buf, "r");
        if (!in[i]) {
            rc = error("%s: error: cannot open: %s", path.buf, strerror(errno));
            break;
        }
        if (getline(&line[i], &cap[i], in[i]) < 0) {
            rc = error("%s:1: error: empty file", path.buf);
            break;
        }
        if (!header)
            header = xstrdup(line[i]);
        else if (strcmp(header, line[i]))
            rc = error("%s:1: error: header differs from %s/points.csv", path.buf, dirs[0]);
        live[i] = getline(&line[i], &cap[i], in[i]) > 0;
        if (live[i])
            key[i] = strtoull(line[i], NULL, 10);
    }
    struct atomic_file af = { 0 };
    struct strbuf op = STRBUF_INIT;
    sb_addf(&op, "%s/points.csv", out);
    if (!rc)
        rc = af_open(&af, op.buf);
    if (!rc) {
        fputs(header, af.fp);
        int have_last = 0;
        uint64_t last = 0;
        for (;;) {
            int m = -1;
            for (int i = 0; i < n; i++)
                if (live[i] && (m < 0 || key[i] < key[m]))
                    m = i;
            if (m < 0)
                break;
            if (!have_last || key[m] != last)
                fputs(line[m], af.fp);
            have_last = 1;
            last = key[m];
            live[m] = getline(&line[m], &cap[m], in[m]) > 0;
            if (live[m]) {
                uint64_t k = strtoull(line[m], NULL, 10);
                if (k < key[m]) {
                    rc = error("%s/points.csv: error: rows are not in index order", dirs[m]);
                    break;
                }
                key[m] = k;
            }
        }
        if (rc)
            af_abort(&af);
        else
            rc = af_commit(&af);
    }
    for (int i = 0; i < n; i++) {
        if (in[i])
            fclose(in[i]);
        free(line[i]);
    }
    free(in);
    free(line);
    free(cap);
    free(key);
    free(live);
    free(header);
    sb_release(&path);
    sb_release(&op);
    return rc;
}

static int run_merge(int argc, char **argv)
{
    struct sopts o = SOPTS_INIT;
    if (opt_parse(&cmd_merge, argc, argv, &o) || sopts_check(&o, 1)) {
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
    if (!o.top && s.synthesize_top)
        o.top = s.synthesize_top;
    if (sn != o.dirs.n) {
        error("%s: error: merge: the shards are 1/%d each but %d directories were given",
              tf_progname, sn, o.dirs.n);
        goto out;
    }
    char *seen = xcalloc((size_t)sn, 1);
    struct result total;
    result_init(&total, &s);
    int bad = 0, points = 1;
    for (int i = 0; i < o.dirs.n && !bad; i++) {
        struct strbuf sx = STRBUF_INIT, px = STRBUF_INIT, pc = STRBUF_INIT;
        sb_addf(&sx, "%s/sweep.xml", o.dirs.v[i]);
        sb_addf(&px, "%s/partial.txt", o.dirs.v[i]);
        sb_addf(&pc, "%s/points.csv", o.dirs.v[i]);
        struct result r;
        if (!same_file(sx.buf, first.buf)) {
            bad = error("%s: error: merge: differs from %s (shards of different sweeps)",
                        sx.buf, first.buf);
        } else if (result_read(&r, &s, px.buf)) {
            bad = -1;
        } else {
            if (r.shard_n != sn || r.shard_i < 0 || r.shard_i >= sn || seen[r.shard_i]++)
                bad = error("%s: error: merge: shard %d/%d is not a new shard of %d", px.buf,
                            r.shard_i, r.shard_n, sn);
            result_merge(&total, &r, &s);
            if (r.nvisits) {
                total.visits = xrealloc(total.visits, sizeof *total.visits *
                                                          (total.nvisits + r.nvisits));
                memcpy(total.visits + total.nvisits, r.visits, sizeof *r.visits * r.nvisits);
                total.nvisits += r.nvisits;
            }
            result_free(&r);
        }
        if (access(pc.buf, R_OK))
            points = 0;
        sb_release(&sx);
        sb_release(&px);
        sb_release(&pc);
    }
    free(seen);
    result_finish(&total);
    if (!bad && s.strategy == STRAT_ANNEAL) {
        /* Chains of different shards may have visited the same points:
         * count the union once, as one run does. */
        total.nvisits = sort_unique(total.visits, total.nvisits);
        struct result u;
        result_of(&s, total.visits, total.nvisits, o.jobs, &u);
        result_free(&total);
        total = u;
    }
    if (!bad && mkdir_p(o.out))
        bad = error("%s: error: cannot create %s: %s", tf_progname, o.out, strerror(errno));
    if (!bad && points)
        bad = merge_points(o.dirs.v, o.dirs.n, o.out);
    if (!bad)
        bad = sweepout_copy(&s, o.out);
    if (!bad)
        bad = sweepout_finish(&s, &total, &o);
    if (!bad) {
        sweepout_summary(&s, &total, o.out, wall_seconds() - t0);
        rc = 0;
    }
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
    "usage: ternforge merge -o DIR SHARD_DIR... [--jobs N] [--no-plots]\n"
    "                       [--synthesize-top K [--scheduler S] [--hosts F] [--sbatch-args A]]\n",
    "\n"
    "Join the outputs of 'ternforge sweep --shard I/N' runs (all N shards of one\n"
    "sweep file, seed and budget) into DIR: the same files, byte for byte, as one\n"
    "unsharded run.\n",
    0, 0
};
