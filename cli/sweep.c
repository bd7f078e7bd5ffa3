/* sweep.c - `ternforge sweep` and `ternforge merge`: design-space
 * exploration with the cost model (explore/), sharded across machines and
 * merged into the same bytes as one run. docs/sweep.md is the guide. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../explore/report.h"
#include "../sim/sched.h"
#include "../sim/tools.h"
#include "cmds.h"

const char help_sweep[] =
    "usage: ternforge sweep S.xml -o DIR [--jobs N] [--shard I/N] [--seed S]\n"
    "                       [--budget N] [--strategy auto|exhaustive|random|anneal]\n"
    "                       [--synthesize-top K [--scheduler local|parallel|slurm]\n"
    "                        [--hosts FILE] [--sbatch-args ARGS]] [--no-points] [--no-plots]\n"
    "\n"
    "Explore a design space with the cost model. The sweep file (docs/sweep.md)\n"
    "fixes the workload, lists free parameters per core kind, technologies,\n"
    "constraints and objectives. DIR receives points.csv (every evaluated point),\n"
    "pareto.csv and pareto.json (the exact Pareto front), report.md, plots as\n"
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
    "  --no-plots        do not run gnuplot\n";

const char help_merge[] =
    "usage: ternforge merge -o DIR SHARD_DIR... [--jobs N] [--no-plots]\n"
    "                       [--synthesize-top K [--scheduler S] [--hosts F] [--sbatch-args A]]\n"
    "\n"
    "Join the outputs of 'ternforge sweep --shard I/N' runs (all N shards of one\n"
    "sweep file, seed and budget) into DIR: the same files, byte for byte, as one\n"
    "unsharded run.\n";

struct sopts {
    const char *file, *out;
    char **dirs;
    int ndirs, jobs, shard_i, shard_n, points, plots, top;
    const char *strategy;
    int have_seed, have_budget;
    uint64_t seed, budget;
    struct sched_opts sched; /* for --synthesize-top */
};

static int parse_opt_u64(const char *opt, const char *v, uint64_t *out)
{
    if (parse_u64(v, out))
        return error("%s: error: option '%s': '%s' is not a non-negative integer", tf_progname,
                     opt, v);
    return 0;
}

static int parse(int argc, char **argv, struct sopts *o, int merge)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    o->points = o->plots = 1;
    o->dirs = xcalloc((size_t)argc, sizeof *o->dirs);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int takes = !strcmp(a, "-o") || !strcmp(a, "--jobs") || !strcmp(a, "--shard") ||
                    !strcmp(a, "--seed") || !strcmp(a, "--budget") || !strcmp(a, "--strategy") ||
                    !strcmp(a, "--synthesize-top") || !strcmp(a, "--scheduler") ||
                    !strcmp(a, "--hosts") || !strcmp(a, "--sbatch-args");
        if (takes && i + 1 >= argc)
            return error("%s: error: option '%s' needs a value", tf_progname, a);
        const char *v = takes ? argv[++i] : NULL;
        uint64_t x;
        if (!strcmp(a, "-o")) {
            o->out = v;
        } else if (!strcmp(a, "--jobs")) {
            if (parse_u64(v, &x) || x < 1 || x > 256)
                return error("%s: error: option '--jobs': '%s' is not in 1..256", tf_progname, v);
            o->jobs = (int)x;
        } else if (!strcmp(a, "--synthesize-top")) {
            if (parse_u64(v, &x) || x > 1000)
                return error("%s: error: option '--synthesize-top': '%s' is not in 0..1000",
                             tf_progname, v);
            o->top = (int)x;
        } else if (!strcmp(a, "--no-plots")) {
            o->plots = 0;
        } else if (!strcmp(a, "--scheduler")) {
            if (sched_parse(v, &o->sched.kind))
                return error("%s: error: option '--scheduler': '%s' is not local, parallel "
                             "or slurm", tf_progname, v);
        } else if (!strcmp(a, "--hosts")) {
            o->sched.hosts = v;
        } else if (!strcmp(a, "--sbatch-args")) {
            o->sched.sbatch_args = v;
        } else if (merge) {
            if (a[0] == '-')
                return error("%s: error: merge: unknown option '%s'", tf_progname, a);
            o->dirs[o->ndirs++] = argv[i];
        } else if (!strcmp(a, "--shard")) {
            int ii, nn, n = 0;
            if (sscanf(v, "%d/%d%n", &ii, &nn, &n) != 2 || v[n] || nn < 1 || ii < 0 ||
                ii >= nn || nn > 100000)
                return error("%s: error: option '--shard': '%s' is not I/N with 0 <= I < N",
                             tf_progname, v);
            o->shard_i = ii;
            o->shard_n = nn;
        } else if (!strcmp(a, "--seed")) {
            if (parse_opt_u64(a, v, &o->seed))
                return -1;
            o->have_seed = 1;
        } else if (!strcmp(a, "--budget")) {
            if (parse_u64(v, &o->budget) || o->budget < 1)
                return error("%s: error: option '--budget': '%s' is not a positive integer",
                             tf_progname, v);
            o->have_budget = 1;
        } else if (!strcmp(a, "--strategy")) {
            o->strategy = v;
        } else if (!strcmp(a, "--no-points")) {
            o->points = 0;
        } else if (a[0] == '-') {
            return error("%s: error: sweep: unknown option '%s' (see 'ternforge help sweep')",
                         tf_progname, a);
        } else if (!o->file) {
            o->file = a;
        } else {
            return error("%s: error: sweep: unexpected argument '%s'", tf_progname, a);
        }
    }
    if (!o->out)
        return error("%s: error: %s: missing -o DIR", tf_progname, merge ? "merge" : "sweep");
    if (!merge && !o->file)
        return error("%s: error: sweep: missing sweep file (usage: 'ternforge help sweep')",
                     tf_progname);
    if (merge && !o->ndirs)
        return error("%s: error: merge: no shard directories given", tf_progname);
    if (o->sched.hosts && o->sched.kind != SCHED_PARALLEL)
        return error("%s: error: option '--hosts' needs --scheduler parallel", tf_progname);
    if (o->sched.sbatch_args && o->sched.kind != SCHED_SLURM)
        return error("%s: error: option '--sbatch-args' needs --scheduler slurm", tf_progname);
    o->sched.jobs = o->jobs;
    if (o->sched.kind != SCHED_LOCAL && !o->top)
        return error("%s: error: option '--scheduler' applies to --synthesize-top only",
                     tf_progname);
    if (o->top && sched_check(&o->sched))
        return -1;
    if (o->top && o->shard_n)
        return error("%s: error: sweep: --synthesize-top applies to the whole front: give it "
                     "to 'ternforge merge'", tf_progname);
    return 0;
}

static int apply_plan(struct sweep *s, const char *strategy, int have_seed, uint64_t seed,
                      int have_budget, uint64_t budget)
{
    if (strategy && strategy_find(strategy, &s->strategy))
        return error("%s: error: option '--strategy': '%s' is not auto, exhaustive, random "
                     "or anneal", tf_progname, strategy);
    if (have_seed)
        s->seed = seed;
    if (have_budget)
        s->budget = budget;
    return sweep_plan(s);
}

/* --synthesize-top: the real flow on the K best front points. */
static void synthesize_top(const struct sweep *s, const struct result *r, int k,
                           const struct sched_opts *sched, struct synth_check *sc)
{
    memset(sc, 0, sizeof *sc);
    uint64_t *idx = xcalloc((size_t)k, sizeof *idx);
    int n = report_top(s, r, k, idx);
    size_t nn = (size_t)(n ? n : 1);
    struct point *pts = xcalloc(nn, sizeof *pts);
    const struct design_point **dps = xcalloc(nn, sizeof *dps);
    int *which = xcalloc(nn, sizeof *which);
    struct synth_result *rr = xcalloc(nn, sizeof *rr);
    sc->n = n;
    sc->idx = idx;
    sc->model = xcalloc(nn, sizeof(double));
    sc->meas = xcalloc(nn, sizeof(double));
    sc->ok = xcalloc(nn, sizeof(int));
    for (int i = 0; i < n; i++)
        sweep_eval(s, idx[i], &pts[i]);
    /* Points of one technology at a time: a flow is per technology. */
    for (int t = 0; t < s->ntech; t++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (pts[i].tech == t) {
                which[m] = i;
                dps[m++] = &pts[i].dp;
            }
        if (!m)
            continue;
        struct synth_flow f;
        flow_of(&s->tech[t], s->clock_ns, &f);
        struct synth_opts so = { 0 };
        sched_synth_many(sched, dps, NULL, m, &f, &so, rr);
        enum metric mt = s->tech[t].target == TECH_ASIC ? M_AREA : M_LUTS;
        for (int j = 0; j < m; j++) {
            int i = which[j];
            sc->ok[i] = rr[j].ok;
            sc->model[i] = pts[i].c.total[mt];
            sc->meas[i] = rr[j].ok ? measured(&rr[j], mt, f.clock_ns) : NAN;
        }
        sc->what = fig_table[mt == M_AREA ? G_AREA_UM2 : G_LUTS].name;
    }
    free(pts);
    free(dps);
    free(which);
    free(rr);
}

static void synth_check_free(struct synth_check *sc)
{
    free(sc->idx);
    free(sc->model);
    free(sc->meas);
    free(sc->ok);
}

static int finish(const struct sweep *s, struct result *r, const struct sopts *o)
{
    struct synth_check sc = { 0 };
    struct report_opts ro = { o->plots, o->jobs, NULL };
    if (o->top) {
        synthesize_top(s, r, o->top, &o->sched, &sc);
        ro.synth = &sc;
    }
    int rc = report_write(s, r, o->out, &ro);
    synth_check_free(&sc);
    return rc;
}

static int write_copy(const struct sweep *s, const char *dir)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/sweep.xml", dir);
    int rc = write_file_atomic(p.buf, s->text, s->text_len);
    sb_release(&p);
    return rc;
}

static void summary(const struct sweep *s, const struct result *r, const char *dir, double secs)
{
    printf("sweep %s: %llu of %llu points evaluated (%llu feasible, %llu infeasible, %llu "
           "invalid), Pareto front %zu points, %.2f s\nwrote %s/\n",
           s->name, (unsigned long long)r->evaluated, (unsigned long long)s->size,
           (unsigned long long)r->feasible, (unsigned long long)r->infeasible,
           (unsigned long long)r->invalid, r->front.n, secs, dir);
}

int cmd_sweep(int argc, char **argv)
{
    struct sopts o;
    struct sweep s;
    int rc = 1;
    if (parse(argc, argv, &o, 0)) {
        free(o.dirs);
        return 1;
    }
    double t0 = wall_seconds();
    if (sweep_load(&s, o.file) ||
        apply_plan(&s, o.strategy, o.have_seed, o.seed, o.have_budget, o.budget)) {
        sweep_free(&s);
        free(o.dirs);
        return 1;
    }
    if (!o.top && !o.shard_n && s.synthesize_top) /* the file's, unless an option says */
        o.top = s.synthesize_top;
    if (mkdir_p(o.out)) {
        error("%s: error: cannot create %s: %s", tf_progname, o.out, strerror(errno));
        goto out;
    }
    struct sweep_opts so = { o.jobs, o.shard_i, o.shard_n, o.points, isatty(2) };
    struct result r;
    if (sweep_run(&s, &so, o.out, &r))
        goto out;
    int bad = write_copy(&s, o.out);
    if (!bad && o.shard_n) {
        struct strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/partial.txt", o.out);
        bad = result_write(&r, &s, p.buf);
        sb_release(&p);
    } else if (!bad) {
        bad = finish(&s, &r, &o);
    }
    if (!bad) {
        summary(&s, &r, o.out, wall_seconds() - t0);
        rc = 0;
    }
    result_free(&r);
out:
    sweep_free(&s);
    free(o.dirs);
    return rc;
}

/* ---- merge ------------------------------------------------------------------ */

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

int cmd_merge(int argc, char **argv)
{
    struct sopts o;
    if (parse(argc, argv, &o, 1)) {
        free(o.dirs);
        return 1;
    }
    double t0 = wall_seconds();
    struct strbuf first = STRBUF_INIT, part = STRBUF_INIT;
    sb_addf(&first, "%s/sweep.xml", o.dirs[0]);
    sb_addf(&part, "%s/partial.txt", o.dirs[0]);
    char strategy[32];
    uint64_t seed, budget;
    int si, sn, rc = 1;
    struct sweep s;
    memset(&s, 0, sizeof s);
    if (result_plan(part.buf, strategy, sizeof strategy, &seed, &budget, &si, &sn) ||
        sweep_load(&s, first.buf) || apply_plan(&s, strategy, 1, seed, 1, budget))
        goto out;
    if (!o.top && s.synthesize_top)
        o.top = s.synthesize_top;
    if (sn != o.ndirs) {
        error("%s: error: merge: the shards are 1/%d each but %d directories were given",
              tf_progname, sn, o.ndirs);
        goto out;
    }
    char *seen = xcalloc((size_t)sn, 1);
    struct result total;
    result_init(&total, &s);
    int bad = 0, points = 1;
    for (int i = 0; i < o.ndirs && !bad; i++) {
        struct strbuf sx = STRBUF_INIT, px = STRBUF_INIT, pc = STRBUF_INIT;
        sb_addf(&sx, "%s/sweep.xml", o.dirs[i]);
        sb_addf(&px, "%s/partial.txt", o.dirs[i]);
        sb_addf(&pc, "%s/points.csv", o.dirs[i]);
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
        bad = merge_points(o.dirs, o.ndirs, o.out);
    if (!bad)
        bad = write_copy(&s, o.out);
    if (!bad)
        bad = finish(&s, &total, &o);
    if (!bad) {
        summary(&s, &total, o.out, wall_seconds() - t0);
        rc = 0;
    }
    result_free(&total);
out:
    sweep_free(&s);
    sb_release(&first);
    sb_release(&part);
    free(o.dirs);
    return rc;
}
