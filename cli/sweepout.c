/* sweepout.c - what sweep and merge share: their option values and the
 * checks after parsing, the search plan, and the outputs of a finished
 * run (report and plots, --synthesize-top, the copy of the sweep file,
 * the summary line). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/sched.h"
#include "sweepout.h"
#include "util.h"

static int parse_opt_u64(const char *opt, const char *v, uint64_t *out)
{
    if (parse_u64(v, out))
        return error("%s: error: option '%s': '%s' is not a non-negative integer", tf_progname,
                     tq(opt), tq(v));
    return 0;
}

int opt_sweep_jobs(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o, (void)as_typed;
    uint64_t x;
    if (parse_u64(v, &x) || x < 1 || x > 256)
        return error("%s: error: option '--jobs': '%s' is not in 1..256", tf_progname, tq(v));
    ((struct sopts *)dest)->jobs = (int)x;
    return 0;
}

int opt_synth_top(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o, (void)as_typed;
    uint64_t x;
    if (parse_u64(v, &x) || x > 1000)
        return error("%s: error: option '--synthesize-top': '%s' is not in 0..1000",
                     tf_progname, tq(v));
    ((struct sopts *)dest)->top = (int)x;
    ((struct sopts *)dest)->have_top = 1; /* 0 too: it overrides the file's */
    return 0;
}

/* A positive integer option value (--budget, --max-points). */
static int positive_u64(const char *opt, const char *v, uint64_t *out)
{
    if (parse_u64(v, out) || *out < 1)
        return error("%s: error: option '%s': '%s' is not a positive integer", tf_progname,
                     tq(opt), tq(v));
    return 0;
}

int opt_max_points(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o, (void)as_typed;
    return positive_u64("--max-points", v, &((struct sopts *)dest)->max_points);
}

int opt_shard(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o, (void)as_typed;
    struct sopts *so = dest;
    int ii, nn, n = 0;
    if (sscanf(v, "%d/%d%n", &ii, &nn, &n) != 2 || v[n] || nn < 1 || ii < 0 || ii >= nn ||
        nn > 100000)
        return error("%s: error: option '--shard': '%s' is not I/N with 0 <= I < N",
                     tf_progname, tq(v));
    so->shard_i = ii;
    so->shard_n = nn;
    return 0;
}

int opt_sweep_seed(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o;
    struct sopts *so = dest;
    if (parse_opt_u64(as_typed, v, &so->seed))
        return -1;
    so->have_seed = 1;
    return 0;
}

int opt_budget(const struct opt *o, const char *as_typed, const char *v, void *dest)
{
    (void)o, (void)as_typed;
    struct sopts *so = dest;
    if (positive_u64("--budget", v, &so->budget))
        return -1;
    so->have_budget = 1;
    return 0;
}

int sopts_check(struct sopts *o, int merge)
{
    if (!o->out)
        return error("%s: error: %s: missing -o DIR", tf_progname, merge ? "merge" : "sweep");
    if (!merge && !o->file)
        return error("%s: error: sweep: missing sweep file (usage: 'ternforge help sweep')",
                     tf_progname);
    if (merge && !o->dirs.n)
        return error("%s: error: merge: no shard directories given", tf_progname);
    if (sched_args_check(&o->sched))
        return -1;
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

int sweepout_plan(struct sweep *s, const char *strategy, int have_seed, uint64_t seed,
                  int have_budget, uint64_t budget)
{
    if (strategy && strategy_find(strategy, &s->strategy))
        return error("%s: error: option '--strategy': '%s' is not auto, exhaustive, random "
                     "or anneal", tf_progname, tq(strategy));
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
    sc->hier = xcalloc(nn, sizeof(int));
    for (int i = 0; i < n; i++)
        sweep_eval(s, idx[i], &pts[i]);
    /* Points of one technology and flow at a time: as `synth` does, the
     * hierarchy is kept above a tile size (synth_auto_hier). */
    for (int tf = 0; tf < 2 * s->ntech; tf++) {
        int t = tf / 2, hier = tf % 2, m = 0;
        struct synth_flow f;
        flow_of(&s->tech[t], s->clock_ns, &f);
        for (int i = 0; i < n; i++)
            if (pts[i].tech == t && synth_auto_hier(&pts[i].dp, &f) == hier) {
                which[m] = i;
                dps[m++] = &pts[i].dp;
            }
        if (!m)
            continue;
        f.hier = hier ? HIER_ON : HIER_OFF;
        struct synth_opts so = { 0 };
        sched_synth_many(sched, dps, NULL, m, &f, &so, rr);
        enum metric mt = s->tech[t].target == TECH_ASIC ? M_AREA : M_LUTS;
        for (int j = 0; j < m; j++) {
            int i = which[j];
            sc->ok[i] = rr[j].ok;
            sc->hier[i] = hier;
            if (rr[j].ok)
                synth_add_macros(dps[j], &s->tech[t], f.clock_ns, &rr[j]);
            sc->model[i] = pts[i].c.total[mt];
            if (hier) { /* a kept module's FP adders see no constant-zero operand bits */
                struct tech tk = s->tech[t];
                tech_keep_fp_units(&tk, 1);
                struct workload wl = s->wl; /* area and LUTs: no memory term */
                struct cost c;
                cost_eval(&pts[i].dp, &tk, &wl, &c);
                sc->model[i] = c.total[mt];
            }
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
    free(sc->hier);
}

int sweepout_finish(const struct sweep *s, struct result *r, const struct sopts *o,
                    const char *dir)
{
    struct synth_check sc = { 0 };
    struct report_opts ro = { !o->no_plots, o->jobs, NULL };
    if (o->top) {
        synthesize_top(s, r, o->top, &o->sched, &sc);
        ro.synth = &sc;
    }
    int rc = report_write(s, r, dir, &ro);
    synth_check_free(&sc);
    return rc;
}

int sweepout_copy(const struct sweep *s, const char *dir)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/sweep.xml", dir);
    int rc = write_file_atomic(p.buf, s->text, s->text_len);
    sb_release(&p);
    return rc;
}

void sweepout_summary(const struct sweep *s, const struct result *r, const char *dir,
                      double secs)
{
    printf("sweep %s: %llu of %llu points evaluated (%llu feasible, %llu infeasible, %llu "
           "invalid), Pareto front %zu points, %.2f s\nwrote %s/\n",
           s->name, (unsigned long long)r->evaluated, (unsigned long long)s->size,
           (unsigned long long)r->feasible, (unsigned long long)r->infeasible,
           (unsigned long long)r->invalid, r->front.n, secs, dir);
}
