/* calibrate.c - `calibrate` fits a technology's unit costs to synthesis
 * results; `validate` measures the fitted model on held-out points.
 * Both read a point list (built in: model/tech/calib.points and
 * model/tech/validate.points) and synthesize through the cache. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gen/vw.h"
#include "../model/cost.h"
#include "../model/fit.h"
#include "../sim/synth.h"
#include "cmds.h"
#include "dp.h"
#include "util.h"
#include "version.h"

struct plist {
    int n;
    char **name;
    struct design_point *dp;
};

static void plist_free(struct plist *pl)
{
    for (int i = 0; i < pl->n; i++)
        free(pl->name[i]);
    free(pl->name);
    free(pl->dp);
    memset(pl, 0, sizeof *pl);
}

/* A point list: "NAME: PARAM=VALUE ..." per line, over the defaults. */
static int plist_load(struct plist *pl, const char *path_or_builtin)
{
    memset(pl, 0, sizeof *pl);
    char *text;
    char *path;
    if (strchr(path_or_builtin, '/') || !template_text(path_or_builtin)) {
        path = xstrdup(path_or_builtin);
        text = read_file(path, NULL);
        if (!text) {
            free(path);
            return -1;
        }
    } else {
        struct strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "<built-in>/%s", path_or_builtin);
        path = sb_detach(&sb);
        text = xstrdup(template_text(path_or_builtin));
    }
    int errs = 0, line = 0;
    for (char *p = text; p && *p; ) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        char *s = p;
        p = nl ? nl + 1 : NULL;
        line++;
        char *hash = strchr(s, '#');
        if (hash)
            *hash = 0;
        char *colon = strchr(s, ':');
        char *tok = strtok(s, " \t\r:");
        if (!tok)
            continue;
        if (!colon) {
            error("%s:%d: error: expected 'NAME: PARAM=VALUE ...'", path, line);
            errs++;
            continue;
        }
        pl->name = xrealloc(pl->name, (size_t)(pl->n + 1) * sizeof *pl->name);
        pl->dp = xrealloc(pl->dp, (size_t)(pl->n + 1) * sizeof *pl->dp);
        struct design_point *dp = &pl->dp[pl->n];
        pl->name[pl->n++] = xstrdup(tok);
        dp_init(dp);
        dp->src = path;
        dp->src_line = line;
        char loc[512];
        snprintf(loc, sizeof loc, "%s:%d", path, line);
        int bad = 0;
        for (char *a = strtok(colon + 1, " \t\r"); a; a = strtok(NULL, " \t\r")) {
            char *eq = strchr(a, '=');
            if (!eq) {
                bad = error("%s: error: '%s' is not PARAM=VALUE", loc, a);
                continue;
            }
            *eq = 0;
            if (dp_set(dp, a, eq + 1, loc, "point"))
                bad = -1;
        }
        if (bad || dp_finalize(dp))
            errs++;
    }
    free(text);
    /* dp->src points at `path`: keep it for the list's lifetime (leaked once
     * per command, like the command's own arguments). */
    if (errs) {
        plist_free(pl);
        return -1;
    }
    return 0;
}

/* ---- the run both commands share ---------------------------------------- */

/* The metrics fitted and validated: the technology's own, plus energy for
 * ASIC targets; FPGA targets without DSP tiles have no DSP count to fit
 * (dsps is the last of tech_metrics()). */
static int fit_metrics(const struct tech *t, enum metric *m)
{
    int n = tech_metrics(t, m);
    if (t->target == TECH_ASIC)
        m[n++] = M_ENERGY;
    else if (!t->dsp_a)
        n--;
    return n;
}

static int synth_all(const struct plist *pl, const struct tech *t, const struct copts *o,
                     struct synth_result *r)
{
    struct synth_flow f;
    flow_of(t, 0, &f);
    struct synth_opts so = { NULL, o->verbose, o->no_cache };
    const struct design_point **dps = xcalloc((size_t)pl->n, sizeof *dps);
    for (int i = 0; i < pl->n; i++)
        dps[i] = &pl->dp[i];
    if (o->sched.kind == SCHED_LOCAL)
        fprintf(stderr, "%s: synthesizing %d points (%s, %d at a time; cached results are "
                        "reused)\n", tf_progname, pl->n, t->name, o->jobs);
    else
        fprintf(stderr, "%s: synthesizing %d points (%s) with --scheduler %s\n", tf_progname,
                pl->n, t->name, sched_names[o->sched.kind]);
    int fails = sched_synth_many(&o->sched, dps, (const char *const *)pl->name, pl->n, &f,
                                 &so, r);
    free(dps);
    if (fails)
        return error("%s: error: %d of %d synthesis runs failed", tf_progname, fails, pl->n);
    return 0;
}

/* Parse the options, load the technology and the point list (default:
 * the built-in `points`) and synthesize every point. On failure
 * everything is freed and -1 returned. */
static int prepare(int argc, char **argv, const char *allowed, const char *points,
                   struct copts *o, struct tech *t, struct plist *pl, struct synth_result **r)
{
    if (copts_parse(argc, argv, o, allowed))
        goto fail_opts;
    if (o->param_file) {
        error("%s: error: %s: unexpected argument '%s'", tf_progname, argv[0], o->param_file);
        goto fail_opts;
    }
    if (!o->tech) {
        error("%s: error: %s: --tech NAME|FILE is required", tf_progname, argv[0]);
        goto fail_opts;
    }
    if (sched_check(&o->sched))
        goto fail_opts;
    if (tech_load(t, o->tech))
        goto fail_opts;
    if (plist_load(pl, o->points ? o->points : points))
        goto fail_tech;
    *r = xcalloc((size_t)pl->n, sizeof **r);
    if (!synth_all(pl, t, o, *r))
        return 0;
    free(*r);
    plist_free(pl);
fail_tech:
    tech_free(t);
fail_opts:
    free(o->sets);
    return -1;
}

static void finish(struct copts *o, struct tech *t, struct plist *pl, struct synth_result *r)
{
    free(r);
    plist_free(pl);
    tech_free(t);
    free(o->sets);
}

struct errstat {
    double sum, max;
    int n;
    const char *max_at;
};

static void errstat_add(struct errstat *e, double model, double meas, const char *name)
{
    if (meas <= 0)
        return;
    double a = fabs(model - meas) / meas * 100;
    e->sum += a;
    e->n++;
    if (a >= e->max) {
        e->max = a;
        e->max_at = name;
    }
}

/* The table of both commands: per point, measured | model | error for each
 * metric and (ASIC) the critical path, then the MAPE and largest error of
 * each column. es[i] (nm + 1 of them, the path last) gets the statistics;
 * meas0/model0, if given, the first metric of every point. */
static void report(const struct plist *pl, const struct tech *t, const struct synth_result *r,
                   const enum metric *ms, int nm, struct errstat *es, double *meas0,
                   double *model0)
{
    int asic = t->target == TECH_ASIC;
    memset(es, 0, (size_t)(nm + 1) * sizeof *es);
    printf("%-26s", "point");
    for (int i = 0; i < nm; i++)
        printf(" %11s %11s %7s", metric_names[ms[i]], "model", "err");
    if (asic)
        printf(" %8s %8s %7s", "path ns", "model", "err");
    printf("\n");
    for (int p = 0; p < pl->n; p++) {
        struct workload wl = { 1, 1, 1, 0, 0 };
        struct cost c;
        cost_eval(&pl->dp[p], t, &wl, &c);
        printf("%-26s", pl->name[p]);
        for (int i = 0; i < nm; i++) {
            double me = measured(&r[p], ms[i], t->clock_ns), mo = c.total[ms[i]];
            printf(" %11.1f %11.1f %+6.1f%%", me, mo, err_pct(mo, me));
            errstat_add(&es[i], mo, me, pl->name[p]);
        }
        if (asic) {
            double me = r[p].critical_path_ns, mo = c.critical_path_ns;
            printf(" %8.3f %8.3f %+6.1f%%", me, mo, err_pct(mo, me));
            errstat_add(&es[nm], mo, me, pl->name[p]);
        }
        printf("\n");
        if (meas0) {
            meas0[p] = measured(&r[p], ms[0], t->clock_ns);
            model0[p] = c.total[ms[0]];
        }
    }
    printf("\n");
    for (int i = 0; i < nm + asic; i++) {
        const char *what = i == nm ? "critical path"
                           : ms[i] == M_ENERGY ? "energy (power)" : metric_names[ms[i]];
        if (es[i].n)
            printf("%-16s MAPE %5.1f%%  max %5.1f%% (%s)  over %d points\n", what,
                   es[i].sum / es[i].n, es[i].max, es[i].max_at, es[i].n);
    }
}

/* The features of every point (n x F__COUNT), summed over components. */
static double *features(const struct plist *pl, const struct tech *t)
{
    double *X = xcalloc((size_t)pl->n * F__COUNT, sizeof *X);
    for (int i = 0; i < pl->n; i++) {
        struct workload wl = { 1, 1, 1, 0, 0 };
        struct cost c;
        cost_eval(&pl->dp[i], t, &wl, &c);
        memcpy(&X[(size_t)i * F__COUNT], c.xt, sizeof c.xt);
    }
    return X;
}

/* Fit one metric: rows scaled by 1/measured, so the fit minimises
 * relative error. */
static int fit_metric(int n, const double *X, const struct tech *t,
                      const struct synth_result *r, enum metric m, double *unit)
{
    double *A = xcalloc((size_t)n * F__COUNT, sizeof *A), *b = xcalloc((size_t)n, sizeof *b);
    int rows = 0;
    for (int i = 0; i < n; i++) {
        double y = measured(&r[i], m, t->clock_ns);
        if (y <= 0) {
            if (m == M_DSPS || m == M_CARRY)
                y = 1; /* absolute error 1 for counts that are legitimately 0 */
            else
                continue;
        }
        for (int f = 0; f < F__COUNT; f++)
            A[rows * F__COUNT + f] = X[(size_t)i * F__COUNT + f] / y;
        b[rows++] = measured(&r[i], m, t->clock_ns) / y;
    }
    int rc = nnls(A, rows, F__COUNT, b, unit);
    free(A);
    free(b);
    return rc;
}

/* Sum of squared relative errors of the critical path under t's delays. */
static double path_error(const struct plist *pl, const struct tech *t,
                         const struct synth_result *r)
{
    double e = 0;
    for (int i = 0; i < pl->n; i++) {
        double m = cost_critical_path(&pl->dp[i], t, NULL, NULL), y = r[i].critical_path_ns;
        e += (m - y) * (m - y) / (y * y);
    }
    return e;
}

/* Fit the delay terms to OpenSTA. The model is a maximum over segments, so
 * the fit alternates: take each point's slowest segment under the current
 * terms as its row, solve the non-negative least squares, repeat. Which
 * segments win depends on the start, so several starts are tried (the
 * technology's own terms, uniform terms, terms dominated by unbuffered
 * loads) and the best fit is kept. */
static int fit_delays(const struct plist *pl, struct tech *t, const struct synth_result *r)
{
    int n = pl->n;
    double *A = xcalloc((size_t)n * D__COUNT, sizeof *A), *b = xcalloc((size_t)n, sizeof *b);
    double best[D__COUNT], best_err = INFINITY;
    int rc = 0;
    uint64_t seed = 0x5eed;
    for (int start = 0; start < 3 + 30 && !rc; start++) {
        struct tech u = *t;
        if (start > 0 && start < 3)
            for (int d = 0; d < D__COUNT; d++)
                u.delay[d] = d == D_LOAD ? (start == 1 ? 0.002 : 0.02) : 0.2;
        /* then seeded starts, each term log-uniform in [0.003, 0.3] (per
         * load: [0.0003, 0.03]) or 0 */
        for (int d = 0; start >= 3 && d < D__COUNT; d++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double r = (double)(seed >> 11) / 9007199254740992.0;
            u.delay[d] = r < 0.2 ? 0 : 0.003 * pow(100, (r - 0.2) / 0.8) * (d == D_LOAD ? 0.1 : 1);
        }
        for (int iter = 0; iter < 12 && !rc; iter++) {
            for (int i = 0; i < n; i++) {
                double v[D__COUNT], y = r[i].critical_path_ns;
                cost_critical_path(&pl->dp[i], &u, v, NULL);
                for (int d = 0; d < D__COUNT; d++)
                    A[i * D__COUNT + d] = v[d] / y;
                b[i] = 1;
            }
            double x[D__COUNT];
            rc = nnls(A, n, D__COUNT, b, x);
            if (rc)
                break;
            memcpy(u.delay, x, sizeof x);
            double e = path_error(pl, &u, r);
            if (e < best_err) {
                best_err = e;
                memcpy(best, u.delay, sizeof best);
            }
        }
    }
    if (!rc)
        memcpy(t->delay, best, sizeof best);
    free(A);
    free(b);
    return rc;
}

/* The scheduler options of both commands (sim/sched.h). */
#define SCHED_HELP                                                                        \
    "\n"                                                                                  \
    "Where the flows run: --scheduler local (default: forks here, --jobs at a\n"          \
    "time), parallel (GNU parallel; --jobs per host, --hosts FILE an ssh login\n"        \
    "file) or slurm (one sbatch --wait array job; --jobs caps running tasks,\n"         \
    "--sbatch-args \"--partition=P ...\" or $TERNFORGE_SBATCH_ARGS add options).\n"     \
    "Results come back through $TERNFORGE_CACHE, which must be shared with\n"          \
    "every host; cached points are not submitted. See docs/clusters.md.\n"

const char help_calibrate[] =
    "usage: ternforge calibrate --tech NAME|FILE [--points FILE] [-o FILE]\n"
    "                           [--jobs N] [--no-cache] [-v]\n"
    "                           [--scheduler local|parallel|slurm] [--hosts FILE]\n"
    "                           [--sbatch-args ARGS]\n"
    "\n"
    "Synthesize (or read cached results for) a calibration set of design\n"
    "points with the technology's flow, fit its unit costs by non-negative\n"
    "least squares weighted by relative error (GNU GSL), and write the\n"
    "technology file (-o, default NAME.tech in the current directory). The\n"
    "technology given supplies the flow: target, liberty, clock and activity;\n"
    "to calibrate another Liberty library, copy osu018's file, change 'tech'\n"
    "and 'liberty', and pass it. Default points: the built-in calib.points.\n"
    SCHED_HELP;

int cmd_calibrate(int argc, char **argv)
{
    struct copts o;
    struct tech t;
    struct plist pl;
    struct synth_result *r;
    if (prepare(argc, argv, " --tech --points -o --jobs --no-cache -v --scheduler --hosts "
                "--sbatch-args ", "calib.points", &o, &t, &pl, &r))
        return 1;
    int rc = 0;
    enum metric ms[M__COUNT];
    int nm = fit_metrics(&t, ms);
    t.split_lut_fpadd = 1; /* fit the LUT build's FP adders on their own */
    double *X = features(&pl, &t);
    for (int i = 0; !rc && i < nm; i++) {
        double unit[F__COUNT];
        if (fit_metric(pl.n, X, &t, r, ms[i], unit)) {
            rc = error("%s: error: the least-squares fit of %s failed", tf_progname,
                       metric_names[ms[i]]);
            break;
        }
        memcpy(t.unit[ms[i]], unit, sizeof unit);
        t.has[ms[i]] = 1;
    }
    if (!rc && t.target == TECH_ASIC && fit_delays(&pl, &t, r))
        rc = error("%s: error: the least-squares fit of the delay terms failed", tf_progname);
    if (t.target != TECH_ASIC) /* no open timing flow: no delay model */
        memset(t.delay, 0, sizeof t.delay);
    if (!rc) {
        /* Report the fit and features no point exercised. */
        double used[F__COUNT] = { 0 };
        for (int i = 0; i < pl.n; i++)
            for (int f = 0; f < F__COUNT; f++)
                used[f] += X[(size_t)i * F__COUNT + f];
        for (int f = 0; f < F__COUNT; f++)
            if (!used[f] && f != F_DSP &&
                (t.dsp_a || (f != F_DSPADD && f != F_MACC))) /* DSP-only features */
                warning("%s: warning: feature '%s' does not occur in the calibration set; "
                        "its unit costs stay 0", tf_progname, feat_names[f]);
        int n_used = 0;
        for (int f = 0; f < F__COUNT; f++)
            n_used += used[f] != 0;
        if (pl.n < n_used)
            warning("%s: warning: %d points for %d features: the fit can match every "
                    "point exactly and says nothing about other points; use more points",
                    tf_progname, pl.n, n_used);
        struct errstat es[M__COUNT + 1];
        report(&pl, &t, r, ms, nm, es, NULL, NULL);
        struct strbuf note = STRBUF_INIT;
        sb_addf(&note, "by ternforge %s calibrate on %d points; %s", TF_VERSION, pl.n,
                synth_tool_versions());
        for (char *q = note.buf; *q; q++)
            if (*q == '\n')
                *q = ' ';
        free(t.note);
        t.note = sb_detach(&note);
        struct strbuf out = STRBUF_INIT;
        if (o.out)
            sb_adds(&out, o.out);
        else
            sb_addf(&out, "%s.tech", t.name);
        if (tech_write(&t, out.buf))
            rc = -1;
        else
            printf("wrote %s\n", out.buf);
        sb_release(&out);
    }
    free(X);
    finish(&o, &t, &pl, r);
    return rc ? 1 : 0;
}

/* ---- validate ---------------------------------------------------------- */

static int write_plot(const char *path, const struct plist *pl, const double *meas,
                      const double *model, const char *what, const char *unit)
{
    struct strbuf dat = STRBUF_INIT, gp = STRBUF_INIT;
    char tmpl[] = "/tmp/ternforge-plot-XXXXXX";
    if (!mkdtemp(tmpl))
        return error("%s: error: cannot make a temporary directory", tf_progname);
    double hi = 0;
    for (int i = 0; i < pl->n; i++) {
        sb_addf(&dat, "%.6g %.6g %s\n", meas[i], model[i], pl->name[i]);
        hi = fmax(hi, fmax(meas[i], model[i]));
    }
    struct strbuf dp = STRBUF_INIT, tmp = STRBUF_INIT;
    sb_addf(&dp, "%s/points.dat", tmpl);
    sb_addf(&tmp, "%s.tmp", path);
    int rc = write_file_atomic(dp.buf, dat.buf, dat.len);
    const char *ext = strrchr(path, '.');
    int png = ext && !strcmp(ext, ".png");
    sb_addf(&gp, "set terminal %s size 800,700\nset output '%s'\n",
            png ? "png" : "svg", tmp.buf);
    sb_addf(&gp, "set title 'ternforge validate: modelled vs measured %s'\n", what);
    sb_addf(&gp, "set xlabel 'measured (%s)'\nset ylabel 'modelled (%s)'\n", unit, unit);
    sb_addf(&gp, "set logscale xy\nset key top left\nset grid\n");
    sb_addf(&gp, "plot [%g:%g][%g:%g] x title 'exact' lc rgb '#888888', "
                 "x*1.05 title '+-5%%' dt 2 lc rgb '#4477aa', x/1.05 notitle dt 2 lc rgb '#4477aa', "
                 "'%s' using 1:2 with points pt 7 ps 1 lc rgb '#cc3311' title 'design points'\n",
            hi / 100, hi * 1.5, hi / 100, hi * 1.5, dp.buf);
    struct strbuf gpp = STRBUF_INIT;
    sb_addf(&gpp, "%s/plot.gp", tmpl);
    if (!rc)
        rc = write_file_atomic(gpp.buf, gp.buf, gp.len);
    if (!rc) {
        struct strbuf cmd = STRBUF_INIT;
        sb_addf(&cmd, "gnuplot '%s' 2>'%s/gnuplot.log'", gpp.buf, tmpl);
        if (system(cmd.buf) != 0 || rename(tmp.buf, path))
            rc = error("%s: error: gnuplot failed (see %s/gnuplot.log)", tf_progname, tmpl);
        sb_release(&cmd);
    }
    if (!rc) {
        unlink(dp.buf);
        unlink(gpp.buf);
        struct strbuf lg = STRBUF_INIT;
        sb_addf(&lg, "%s/gnuplot.log", tmpl);
        unlink(lg.buf);
        sb_release(&lg);
        rmdir(tmpl);
    }
    sb_release(&dat);
    sb_release(&gp);
    sb_release(&gpp);
    sb_release(&dp);
    sb_release(&tmp);
    return rc;
}

const char help_validate[] =
    "usage: ternforge validate --tech NAME|FILE [--points FILE] [--plot FILE.svg|.png]\n"
    "                          [--fail-above PCT] [--jobs N] [--no-cache] [-v]\n"
    "                          [--scheduler local|parallel|slurm] [--hosts FILE]\n"
    "                          [--sbatch-args ARGS]\n"
    "\n"
    "Synthesize held-out design points (default: the built-in validate.points,\n"
    "disjoint from the calibration set), print modelled next to measured\n"
    "figures for each, the mean absolute percentage error (MAPE) and the\n"
    "largest error, and with --plot a scatter plot of modelled vs measured\n"
    "area (LUTs for FPGA technologies), rendered by gnuplot.\n"
    "Exit status 0 when the table was produced; with --fail-above PCT, 1 when\n"
    "an area (LUT) error exceeds PCT percent (for regression tests).\n"
    SCHED_HELP;

int cmd_validate(int argc, char **argv)
{
    struct copts o;
    struct tech t;
    struct plist pl;
    struct synth_result *r;
    if (prepare(argc, argv, " --tech --points --plot --fail-above --jobs --no-cache -v "
                "--scheduler --hosts --sbatch-args ", "validate.points", &o, &t, &pl, &r))
        return 1;
    int rc = 0;
    enum metric ms[M__COUNT];
    int nm = fit_metrics(&t, ms);
    int asic = t.target == TECH_ASIC;
    struct errstat es[M__COUNT + 1];
    double *pm = xcalloc((size_t)pl.n, sizeof *pm), *pd = xcalloc((size_t)pl.n, sizeof *pd);
    printf("technology %s (%s)%s%s\n\n", t.name, t.path, t.note ? ", calibrated " : "",
           t.note ? t.note : "");
    report(&pl, &t, r, ms, nm, es, pm, pd);
    if (o.fail_above > 0 && es[0].max > o.fail_above)
        rc = error("%s: error: validate: %s error %.1f%% at %s exceeds --fail-above %g%%",
                   tf_progname, metric_names[ms[0]], es[0].max, es[0].max_at, o.fail_above);
    if (!rc && o.plot)
        rc = write_plot(o.plot, &pl, pm, pd, asic ? "area" : "LUTs", asic ? "um2" : "LUTs");
    if (!rc && o.plot)
        printf("wrote %s\n", o.plot);
    free(pm);
    free(pd);
    finish(&o, &t, &pl, r);
    return rc ? 1 : 0;
}
