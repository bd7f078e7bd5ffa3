/* calibrate.c - `ternforge calibrate`: fit a technology's unit costs and
 * delay terms to synthesis results of a calibration set (cli/plist.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/fit.h"
#include "plist.h"
#include "util.h"
#include "version.h"

/* --hold-delay: the comma-separated delay term names into held[]. */
static int parse_held(const char *list, int held[D__COUNT])
{
    memset(held, 0, D__COUNT * sizeof *held);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        int d = D__COUNT;
        while (--d >= 0 && !(strlen(dterm_names[d]) == n && !strncmp(dterm_names[d], p, n)))
            ;
        if (d < 0)
            return error("%s: error: option '--hold-delay': unknown delay term '%.*s'",
                         tf_progname, (int)n, p);
        held[d] = 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* --hold-delay: checked while the options are read, before any synthesis. */
static int opt_hold_delay(const struct opt *o, const char *as_typed, const char *val,
                          void *dest)
{
    (void)as_typed;
    int held[D__COUNT];
    if (parse_held(val, held))
        return -1;
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

/* --hold-unit: the comma-separated METRIC:FEATURE pairs into held[][]. Only
 * fitted features (feat_fitted) can be named: the SRAM ones are never fitted. */
static int parse_held_units(const char *list, int held[M__COUNT][F__COUNT])
{
    memset(held, 0, sizeof(int) * M__COUNT * F__COUNT);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ","), c = strcspn(p, ":,");
        int m = M__COUNT, f = F__COUNT;
        if (c < n) {
            while (--m >= 0 && !(strlen(metric_names[m]) == c && !strncmp(metric_names[m], p, c)))
                ;
            while (m >= 0 && --f >= 0 &&
                   !(feat_fitted(f) && strlen(feat_names[f]) == n - c - 1 &&
                     !strncmp(feat_names[f], p + c + 1, n - c - 1)))
                ;
        }
        if (c >= n || m < 0 || f < 0)
            return error("%s: error: option '--hold-unit': '%.*s' is not METRIC:FEATURE (a "
                         "metric such as luts or carry, a fitted feature such as fppipe)",
                         tf_progname, (int)n, p);
        held[m][f] = 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

static int opt_hold_unit(const struct opt *o, const char *as_typed, const char *val,
                         void *dest)
{
    (void)as_typed;
    int held[M__COUNT][F__COUNT];
    if (parse_held_units(val, held))
        return -1;
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

static const struct opt opts[] = {
    OPT_PLIST_HEAD,
    { NULL, 'o', "FILE", "write the technology file here (default NAME.tech)", 0, opt_str,
      offsetof(struct copts, out), 0, 0 },
    { "--energy-scale", 0, NULL, "refit the energy alone: the technology's energy unit "
      "costs times one factor for flip-flops and one for logic", 0, opt_flag,
      offsetof(struct copts, energy_scale), 0, 0 },
    { "--parts", 0, NULL, "also fit the area of each component group a hierarchical run "
      "measures (asic; docs/cost-model.md)", 0, opt_flag, offsetof(struct copts, parts), 0, 0 },
    { "--hold-delay", 0, "TERM,...", "keep these delay terms at the technology's values "
      "(measured on lone units) and fit the others", 0, opt_hold_delay,
      offsetof(struct copts, hold_delay), 0, 0 },
    { "--hold-unit", 0, "METRIC:FEATURE,...", "keep these unit costs at the technology's "
      "values (counted, not fitted) and fit the others", 0, opt_hold_unit,
      offsetof(struct copts, hold_unit), 0, 0 },
    { "--one-run", 0, NULL, "with --parts: each hierarchical run in one Yosys run, no "
      "per-module cache (session 10's flow and its cached results)", 0, opt_flag,
      offsetof(struct copts, one_run), 0, 0 },
    OPT_PLIST_TAIL,
    { 0 }
};

/* The features of every point (n x F__COUNT), summed over components. */
static double *features(const struct plist *pl, const struct tech *t)
{
    double *X = xcalloc((size_t)pl->n * F__COUNT, sizeof *X);
    for (int i = 0; i < pl->n; i++) {
        struct workload wl = { .M = 1, .N = 1, .B = 1 };
        struct cost c;
        cost_eval(&pl->dp[i], t, &wl, &c);
        memcpy(&X[(size_t)i * F__COUNT], c.xt, sizeof c.xt);
    }
    return X;
}

/* --parts: rows of measured component areas. A hierarchical run measures
 * each group of the top's kept instances (u_lut: the LUT build and its
 * registers; u_sel: the read ports; u_add, u_acc: FP adders; ...) on its
 * own; a group's row is the features of the model components it holds
 * and its measured area. The totals alone cannot tell apart features that
 * grow together over the calibration points (adder, mux and select bits
 * of LUT cores): fitted on totals only, osu018's adders came out at 0 to
 * 23 um2 a bit, less than a full-adder cell, and the read ports 26-43 %
 * high. The top's own cells (the buffer, FIFO, controller and whatever is
 * inline) are not a row: the flat run's total already covers them. */
struct prows {
    int n;
    double *x;   /* n x F__COUNT */
    double *y;   /* measured um2 */
    char **what; /* "point group" for the report */
};

/* Points whose hierarchical run keeps an instance: LUT cores, FP and
 * block-scaled sign-flip and multiply cores, fixp (its converters). An
 * integer tsign or tmul core writes everything into its top. */
static int keeps_instances(const struct design_point *dp)
{
    return dp->kind == KIND_TLUT || dp->kind == KIND_FIXP || dp->d.fp || dp->d.mx;
}

static int part_fit_rows(const struct plist *pl, const struct tech *t, const struct copts *o,
                         struct prows *pr)
{
    memset(pr, 0, sizeof *pr);
    struct plist sub = { 0, xcalloc((size_t)pl->n, sizeof(char *)),
                         xcalloc((size_t)pl->n, sizeof *pl->dp), pl->path,
                         NULL /* areas only: no activity runs */ };
    for (int i = 0; i < pl->n; i++)
        if (keeps_instances(&pl->dp[i])) {
            sub.name[sub.n] = pl->name[i];
            sub.dp[sub.n++] = pl->dp[i];
        }
    struct copts oh = *o;
    oh.activity = 0; /* areas only */
    struct synth_result *r = xcalloc((size_t)sub.n + 1, sizeof *r);
    int rc = plist_synth(&sub, t, &oh, HIER_ALL, r);
    pr->x = xcalloc((size_t)sub.n * SYNTH_PARTS_MAX * F__COUNT, sizeof *pr->x);
    pr->y = xcalloc((size_t)sub.n * SYNTH_PARTS_MAX, sizeof *pr->y);
    pr->what = xcalloc((size_t)sub.n * SYNTH_PARTS_MAX, sizeof *pr->what);
    struct tech th = *t;
    tech_keep_fp_units(&th, 1); /* hierarchical runs: the FP adders' modules stay whole */
    for (int i = 0; !rc && i < sub.n; i++) {
        struct cost c;
        struct part_row row[SYNTH_PARTS_MAX];
        cost_components(&sub.dp[i], &th, &c);
        int n = synth_part_rows(&r[i], &c, &th, row);
        for (int k = 1; k < n; k++) { /* row 0 is the top */
            if (!row[k].comps)
                continue; /* a group no component is known for */
            struct strbuf w = STRBUF_INIT;
            sb_addf(&w, "%s %s", sub.name[i], row[k].groups);
            pr->what[pr->n] = sb_detach(&w);
            memcpy(&pr->x[(size_t)pr->n * F__COUNT], row[k].x, sizeof row[k].x);
            pr->y[pr->n++] = row[k].measured;
        }
    }
    free(r);
    free(sub.name);
    free(sub.dp);
    return rc;
}

static void prows_free(struct prows *pr)
{
    for (int i = 0; i < pr->n; i++)
        free(pr->what[i]);
    free(pr->what);
    free(pr->x);
    free(pr->y);
}

/* Fit one metric: rows scaled by 1/measured, so the fit minimises
 * relative error. SRAM macros are black boxes priced by the technology
 * file (synth adds that price to what it measures): their features
 * (not feat_fitted) keep their unit costs, and their price is taken out of the
 * measurement before the fit. Area also fits the component rows pr.
 * Held units (--hold-unit: counted, not fitted) are priced the same way:
 * known, taken out of every row, and kept. */
static int fit_metric(int n, const double *X, const struct tech *t,
                      const struct synth_result *r, const struct prows *pr, enum metric m,
                      const int *held, const struct plist *pl, double *unit)
{
    int np = m == M_AREA ? pr->n : 0;
    double *A = xcalloc((size_t)(n + np) * F__COUNT, sizeof *A);
    double *b = xcalloc((size_t)(n + np), sizeof *b);
    int rows = 0;
    for (int i = 0; i < n; i++) {
        const double *x = &X[(size_t)i * F__COUNT];
        double y = measured(&r[i], m, t->clock_ns), macros = 0;
        for (int f = 0; f < F__COUNT; f++) /* SRAM macros and held units: known */
            if (!feat_fitted(f) || held[f])
                macros += x[f] * t->unit[m][f];
        if (m == M_LUTS) /* and the LUTs the model counts (deep LUT RAM) */
            macros += cost_fpga_counted_luts(&pl->dp[i], t);
        if (y <= 0) {
            if (m == M_DSPS || m == M_CARRY)
                y = 1; /* absolute error 1 for counts that are legitimately 0 */
            else
                continue;
        }
        for (int f = 0; f < F__COUNT; f++) /* columns of the others stay 0 */
            if (feat_fitted(f))
                A[rows * F__COUNT + f] = held[f] ? 0 : x[f] / y;
        b[rows++] = (measured(&r[i], m, t->clock_ns) - macros) / y;
    }
    for (int i = 0; i < np; i++) {
        const double *x = &pr->x[(size_t)i * F__COUNT];
        double known = 0;
        if (pr->y[i] <= 0)
            continue;
        for (int f = 0; f < F__COUNT; f++) {
            if (!feat_fitted(f))
                continue;
            A[rows * F__COUNT + f] = held[f] ? 0 : x[f] / pr->y[i];
            known += held[f] ? x[f] * t->unit[m][f] : 0;
        }
        b[rows++] = 1 - known / pr->y[i];
    }
    int rc = nnls(A, rows, F__COUNT, b, unit);
    for (int f = 0; f < F__COUNT; f++)
        if (!feat_fitted(f) || held[f])
            unit[f] = t->unit[m][f];
    free(A);
    free(b);
    return rc;
}

/* --energy-scale: the technology's energy unit costs keep their ratios
 * within two groups, each scaled by one fitted factor. Flip-flops (reg,
 * the register-file storage ram, the FP pipeline registers fppipe) draw
 * most of their power in their clock pins, every cycle, whatever the data;
 * logic draws power when its nets toggle, so real data (more toggles than
 * the technology's one global activity) moves it much more (measured on
 * osu018 with --activity: about 1.3x for flip-flops, 2.5x for logic;
 * docs/cost-model.md). With a dozen calibration points, fitting every
 * energy unit cost anew matches them and misses held-out points; two
 * factors do not. SRAM macro terms stay as they are. */
static const char *const flop_feats = "reg ram fppipe";

static int energy_group(enum feat f)
{
    if (!feat_fitted(f))
        return -1;
    return f == F_REG || f == F_RAM || f == F_FPPIPE ? 0 : 1; /* flop_feats */
}

static int fit_energy_scales(const struct plist *pl, const double *X, struct tech *t,
                             const struct synth_result *r, double s[2])
{
    int n = pl->n, grp[F__COUNT];
    double *T = xcalloc((size_t)n * F__COUNT, sizeof *T), *y = xcalloc((size_t)n, sizeof *y);
    for (int f = 0; f < F__COUNT; f++)
        grp[f] = energy_group((enum feat)f);
    for (int i = 0; i < n; i++) {
        y[i] = measured(&r[i], M_ENERGY, t->clock_ns);
        for (int f = 0; f < F__COUNT; f++)
            T[(size_t)i * F__COUNT + f] = X[(size_t)i * F__COUNT + f] * t->unit[M_ENERGY][f];
    }
    int rc = nnls_group_scales(T, n, F__COUNT, y, grp, 2, s);
    for (int f = 0; !rc && f < F__COUNT; f++)
        if (grp[f] >= 0)
            t->unit[M_ENERGY][f] *= s[grp[f]];
    free(T);
    free(y);
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
 * loads) and the best fit is kept. Held terms keep t's values in every
 * start: their part of a segment is taken off the measurement, and the
 * fit sees the rest. A term measured on lone units (the FP adder's
 * growth with width) is held because whole cores cannot separate it: in
 * the calibration set every FP add sits beside others of one width, and
 * the fit moved it into the constant (fpadd 0, fp0 6.9 ns). */
static int fit_delays(const struct plist *pl, struct tech *t, const struct synth_result *r,
                      const int held[D__COUNT])
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
        for (int d = 0; d < D__COUNT; d++)
            if (held[d])
                u.delay[d] = t->delay[d];
        for (int iter = 0; iter < 12 && !rc; iter++) {
            for (int i = 0; i < n; i++) {
                double v[D__COUNT], y = r[i].critical_path_ns;
                cost_critical_path(&pl->dp[i], &u, v, NULL);
                b[i] = 1;
                for (int d = 0; d < D__COUNT; d++) {
                    A[i * D__COUNT + d] = held[d] ? 0 : v[d] / y;
                    b[i] -= held[d] ? v[d] * t->delay[d] / y : 0;
                }
            }
            double x[D__COUNT];
            rc = nnls(A, n, D__COUNT, b, x);
            if (rc)
                break;
            for (int d = 0; d < D__COUNT; d++)
                if (held[d])
                    x[d] = t->delay[d];
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

static int run_calibrate(int argc, char **argv)
{
    struct copts o = COPTS_INIT;
    struct tech t;
    struct plist pl;
    struct synth_result *r;
    if (plist_prepare(&cmd_calibrate, argc, argv, "calib.points", &o, &t, &pl, &r))
        return 1;
    tech_keep_fp_units(&t, o.hier); /* --hier keeps the FP adders' modules whole */
    int rc = 0;
    enum metric ms[M__COUNT];
    int nm = fit_metrics(&t, ms);
    if (!o.energy_scale) { /* the factors keep the technology's own split */
        t.split_lut_fpadd = 1; /* fit the LUT build's FP adders on their own */
        t.split_sel = 1;       /* and the selects apart from the muxes */
        /* FPGA: and a LUT build's integer adders apart from the others
         * (docs/cost-model.md, "FPGA LUTs: ... LUT-build adders") */
        t.split_lut_add = t.target != TECH_ASIC;
        t.split_negm = t.target == TECH_ASIC; /* tsign's flips apart */
    }
    struct prows pr = { 0 };
    int held[D__COUNT];
    parse_held(o.hold_delay, held); /* checked by opt_hold_delay */
    int held_unit[M__COUNT][F__COUNT];
    parse_held_units(o.hold_unit, held_unit); /* checked by opt_hold_unit */
    if (o.parts && part_fit_rows(&pl, &t, &o, &pr))
        rc = error("%s: error: calibrate --parts: the hierarchical runs failed", tf_progname);
    double *X = features(&pl, &t);
    if (o.energy_scale) {
        double s[2];
        ms[0] = M_ENERGY;
        nm = 1;
        if (fit_energy_scales(&pl, X, &t, r, s))
            rc = error("%s: error: the least-squares fit of the energy factors failed",
                       tf_progname);
        else
            printf("energy factors: flip-flops (%s) %.4f, logic %.4f\n", flop_feats, s[0],
                   s[1]);
    }
    for (int i = 0; !rc && !o.energy_scale && i < nm; i++) {
        double unit[F__COUNT];
        if (ms[i] == M_FFS && t.ffs_count) /* a count, not a fit */
            continue;
        if (fit_metric(pl.n, X, &t, r, &pr, ms[i], held_unit[ms[i]], &pl, unit)) {
            rc = error("%s: error: the least-squares fit of %s failed", tf_progname,
                       metric_names[ms[i]]);
            break;
        }
        memcpy(t.unit[ms[i]], unit, sizeof unit);
        t.has[ms[i]] = 1;
    }
    if (!rc && t.target == TECH_ASIC && !o.energy_scale && fit_delays(&pl, &t, r, held))
        rc = error("%s: error: the least-squares fit of the delay terms failed", tf_progname);
    if (t.target != TECH_ASIC) /* no open timing flow: no delay model */
        memset(t.delay, 0, sizeof t.delay);
    if (!rc && !o.energy_scale) {
        /* Features no point exercised. */
        double used[F__COUNT] = { 0 };
        for (int i = 0; i < pl.n; i++)
            for (int f = 0; f < F__COUNT; f++)
                used[f] += X[(size_t)i * F__COUNT + f];
        for (int f = 0; f < F__COUNT; f++) /* the SRAM features are not fitted */
            if (feat_fitted(f) && !used[f] && f != F_DSP && (f != F_ADDLUT || t.split_lut_add) &&
                (f != F_NEGM || t.split_negm) &&
                (t.dsp_a || (f != F_DSPADD && f != F_MACC))) /* DSP-only features */
                warning("%s: warning: feature '%s' does not occur in the calibration set; "
                        "its unit costs stay 0", tf_progname, feat_names[f]);
        int n_used = 0;
        for (int f = 0; f < F__COUNT; f++)
            n_used += feat_fitted(f) && used[f] != 0;
        if (pl.n < n_used)
            warning("%s: warning: %d points for %d features: the fit can match every "
                    "point exactly and says nothing about other points; use more points",
                    tf_progname, pl.n, n_used);
    }
    if (!rc) {
        struct errstat es[M__COUNT + 1];
        /* with -o -, standard output is the technology file alone */
        FILE *rep = o.out && !strcmp(o.out, "-") ? stderr : stdout;
        plist_report(rep, &pl, &t, r, ms, nm, es, NULL, NULL);
        if (pr.n) {
            double sum = 0, mx = 0;
            int nf = 0;
            fprintf(rep, "\n%-34s %11s %11s %7s\n", "component rows (--parts)", "area",
                    "model", "err");
            for (int i = 0; i < pr.n; i++) {
                double mo = 0;
                for (int f = 0; f < F__COUNT; f++)
                    if (feat_fitted(f))
                        mo += pr.x[(size_t)i * F__COUNT + f] * t.unit[M_AREA][f];
                if (pr.y[i] <= 0) { /* e.g. a converter that maps to wires */
                    fprintf(rep, "%-34s %11.1f %11.1f  (none measured: not fitted)\n",
                            pr.what[i], pr.y[i], mo);
                    continue;
                }
                double e = err_pct(mo, pr.y[i]);
                fprintf(rep, "%-34s %11.1f %11.1f %+6.1f%%\n", pr.what[i], pr.y[i], mo, e);
                sum += fabs(e);
                mx = fabs(e) > mx ? fabs(e) : mx;
                nf++;
            }
            if (nf)
                fprintf(rep, "component area   MAPE %5.1f%%  max %5.1f%%  over %d rows\n",
                        sum / nf, mx, nf);
        }
        struct strbuf note = STRBUF_INIT;
        sb_addf(&note, "by ternforge %s calibrate on %d points", TF_VERSION, pl.n);
        if (pr.n)
            sb_addf(&note, " and %d component rows (--parts)", pr.n);
        sb_addf(&note, "; %s", synth_tool_versions());
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
        else if (strcmp(out.buf, "-")) /* -o -: standard output is the file */
            printf("wrote %s\n", out.buf);
        sb_release(&out);
    }
    free(X);
    prows_free(&pr);
    plist_finish(&o, &t, &pl, r);
    return rc ? 1 : 0;
}

const struct command cmd_calibrate = {
    "calibrate", run_calibrate, "fit a technology's unit costs to synthesis", opts, NULL,
    "\n"
    "Synthesize (or read cached results for) a calibration set of design\n"
    "points with the technology's flow, fit its unit costs by non-negative\n"
    "least squares weighted by relative error (GNU GSL), and write the\n"
    "technology file (-o, default NAME.tech in the current directory). The\n"
    "technology given supplies the flow: target, liberty, clock and activity;\n"
    "to calibrate another Liberty library, copy osu018's file, change 'tech'\n"
    "and 'liberty', and pass it. Default points: the built-in calib.points.\n"
    "--energy-scale keeps every line but the energy unit costs, and those\n"
    "keep their ratios: one factor is fitted for the flip-flop features\n"
    "(reg, ram, fppipe) and one for the logic features; meant for\n"
    "--activity, where real data moves logic power more than clock power.\n"
    "--parts (asic) also synthesizes the points that keep instances (LUT,\n"
    "FP, block-scaled and fixp cores) with the hierarchical flow and fits\n"
    "the measured area of each group of kept instances (u_lut, u_sel, u_add,\n"
    "...) to the model components it holds, next to the totals: the totals\n"
    "alone cannot tell apart features that grow together.\n"
    "--hold-delay TERM,... (asic) keeps those delay terms at the values of\n"
    "the technology given and fits the rest around them (osu018 holds fpadd\n"
    "and fp0, measured on lone FP adders: scripts/fp-unit-delays.sh).\n"
    "--hold-unit METRIC:FEATURE,... keeps those unit costs at the values of\n"
    "the technology given, taken out of every row before the fit (xc7 and\n"
    "ice40 hold luts:fppipe and carry:fppipe at 0: a pipeline flip-flop is\n"
    "a flip-flop cell, not a LUT or a carry cell; osu018 holds area:add,\n"
    "measured on lone adder trees by scripts/int-add-areas.sh).\n"
    SCHED_HELP,
    0, 0
};
