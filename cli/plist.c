/* plist.c - what calibrate and validate share: point lists (built in or
 * from a file), synthesizing every point through a scheduler, and the
 * table of measured next to modelled figures with its error statistics. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/vw.h"
#include "../model/kind.h"
#include "embedded.h"
#include "plist.h"
#include "util.h"

void plist_free(struct plist *pl)
{
    for (int i = 0; i < pl->n; i++)
        free(pl->name[i]);
    free(pl->name);
    free(pl->dp);
    free(pl->act_cycles);
    free(pl->path);
    memset(pl, 0, sizeof *pl);
}

/* A point list: "NAME: PARAM=VALUE ..." per line, over the defaults. */
int plist_load(struct plist *pl, const char *path_or_builtin)
{
    memset(pl, 0, sizeof *pl);
    char *text;
    char *path;
    if (strchr(path_or_builtin, '/') || !template_text(path_or_builtin)) {
        path = xstrdup(path_or_builtin);
        text = read_input(path, NULL);
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
        pl->act_cycles = xrealloc(pl->act_cycles, (size_t)(pl->n + 1) * sizeof *pl->act_cycles);
        pl->act_cycles[pl->n] = 0;
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
                bad = error("%s: error: '%s' is not PARAM=VALUE", loc, tq(a));
                continue;
            }
            *eq = 0;
            if (!strcmp(a, "act_cycles")) {
                char *end;
                long c = strtol(eq + 1, &end, 10);
                if (end == eq + 1 || *end || c < ACTIVITY_MIN_CYCLES || c > ACTIVITY_MAX_CYCLES)
                    bad = error("%s: error: act_cycles: expected %d..%d cycles, not '%s'", loc,
                                ACTIVITY_MIN_CYCLES, ACTIVITY_MAX_CYCLES, tq(eq + 1));
                else
                    pl->act_cycles[pl->n - 1] = c;
            } else if (dp_set(dp, a, eq + 1, loc, "point"))
                bad = -1;
        }
        if (bad || dp_finalize(dp))
            errs++;
    }
    free(text);
    pl->path = path; /* dp->src points at it: freed with the list */
    if (errs) {
        plist_free(pl);
        return -1;
    }
    return 0;
}

/* ---- the run both commands share ---------------------------------------- */

int fit_metrics(const struct tech *t, enum metric *m)
{
    int n = tech_metrics(t, m);
    if (t->target == TECH_ASIC)
        m[n++] = M_ENERGY;
    else if (!t->dsp_a)
        n--;
    return n;
}

/* --activity: each point's power from its switching activity replaces
 * the global-activity power (one gate-level simulation at a time: each is
 * one process, and the points are few). The two side by side go to
 * standard error. */
static int activity_all(const struct plist *pl, const struct synth_flow *f,
                        const struct copts *o, struct synth_result *r)
{
    struct synth_opts so = { NULL, o->verbose, o->no_cache };
    fprintf(stderr, "%s: power from switching activity of %d points (seed %llu, %.4g zero "
            "weights, %s activations, %ld cycles)\n%-26s %10s %10s %7s %8s\n", tf_progname,
            pl->n, (unsigned long long)o->act.seed, o->act.zeros, act_dist_names[o->act.dist],
            o->act.cycles, "point", "global mW", "activ. mW", "ratio", "toggles");
    int fails = 0;
    for (int i = 0; i < pl->n; i++) {
        struct activity_result ar;
        struct synth_result s;
        struct activity_opts ao = o->act;
        if (pl->act_cycles && pl->act_cycles[i])
            ao.cycles = pl->act_cycles[i];
        if (activity_run(&pl->dp[i], f, &so, &ao, &ar, &s)) {
            fails++;
            continue;
        }
        char note[64] = "";
        if (ao.cycles != o->act.cycles)
            snprintf(note, sizeof note, " (act_cycles=%ld)", ao.cycles);
        fprintf(stderr, "%-26s %10.4f %10.4f %7.3f %8.4f%s%s\n", pl->name[i], r[i].power_mw,
                ar.power_mw, ar.power_mw / r[i].power_mw, ar.mean_activity,
                ar.cached ? "" : " (simulated)", note);
        r[i].power_mw = ar.power_mw;
        r[i].power_internal_mw = ar.power_internal_mw;
        r[i].power_switching_mw = ar.power_switching_mw;
        r[i].power_leakage_mw = ar.power_leakage_mw;
    }
    if (fails)
        return error("%s: error: %d of %d activity runs failed", tf_progname, fails, pl->n);
    return 0;
}

int plist_synth(const struct plist *pl, const struct tech *t, const struct copts *o, int hier,
                struct synth_result *r)
{
    struct synth_flow f;
    flow_of(t, 0, &f);
    f.hier = hier;
    f.one_run = o->one_run;
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
    for (int i = 0; i < pl->n; i++)
        synth_add_macros(&pl->dp[i], t, f.clock_ns, &r[i]);
    return o->activity ? activity_all(pl, &f, o, r) : 0;
}

int plist_prepare(const struct command *c, int argc, char **argv, const char *points,
                  struct copts *o, struct tech *t, struct plist *pl,
                  struct synth_result **r)
{
    if (opt_parse(c, argc, argv, o) || copts_check(o) || act_opts_check(o))
        goto fail_opts;
    if (o->pt.file) {
        error("%s: error: %s: unexpected argument '%s'", tf_progname, argv[0], tq(o->pt.file));
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
    if (o->energy_scale && t->target != TECH_ASIC) { /* before any synthesis */
        error("%s: error: %s: --energy-scale needs an asic technology (energy comes from "
              "OpenSTA)", tf_progname, argv[0]);
        goto fail_tech;
    }
    if (o->one_run && !o->hier && !o->parts) {
        error("%s: error: %s: --one-run needs %s (it is a way to run the hierarchical flow)",
              tf_progname, argv[0], !strcmp(argv[0], "calibrate") ? "--parts" : "--hier");
        goto fail_tech;
    }
    if (o->parts && t->target != TECH_ASIC) { /* before any run */
        error("%s: error: %s: --parts fits ASIC areas by component, not %s's resources",
              tf_progname, argv[0], t->name);
        goto fail_tech;
    }
    if (plist_load(pl, o->points ? o->points : points))
        goto fail_tech;
    /* calibrate -o: checked before any synthesis; it may name the
     * technology file the command started from (updated in place,
     * docs/cost-model.md), never another input */
    if (o->out && strcmp(o->out, "-")) {
        input_allow_write(t->path);
        if (check_output_file(o->out)) {
            plist_free(pl);
            goto fail_tech;
        }
    }
    *r = xcalloc((size_t)pl->n, sizeof **r);
    if (!plist_synth(pl, t, o, o->hier ? HIER_ON : HIER_OFF, *r))
        return 0;
    free(*r);
    plist_free(pl);
fail_tech:
    tech_free(t);
fail_opts:
    free(o->pt.sets.v);
    return -1;
}

void plist_finish(struct copts *o, struct tech *t, struct plist *pl, struct synth_result *r)
{
    free(r);
    plist_free(pl);
    tech_free(t);
    free(o->pt.sets.v);
}

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

void plist_report(FILE *fp, const struct plist *pl, const struct tech *t,
                  const struct synth_result *r, const enum metric *ms, int nm,
                  struct errstat *es, double *meas0, double *model0)
{
    int asic = t->target == TECH_ASIC;
    memset(es, 0, (size_t)(nm + 1) * sizeof *es);
    fprintf(fp, "%-26s", "point");
    for (int i = 0; i < nm; i++)
        fprintf(fp, " %11s %11s %7s", metric_names[ms[i]], "model", "err");
    if (asic)
        fprintf(fp, " %8s %8s %7s", "path ns", "model", "err");
    fprintf(fp, "\n");
    for (int p = 0; p < pl->n; p++) {
        struct workload wl = { .M = 1, .N = 1, .B = 1 };
        struct cost c;
        cost_eval(&pl->dp[p], t, &wl, &c);
        fprintf(fp, "%-26s", pl->name[p]);
        for (int i = 0; i < nm; i++) {
            double me = measured(&r[p], ms[i], t->clock_ns), mo = c.total[ms[i]];
            fprintf(fp, " %11.1f %11.1f %+6.1f%%", me, mo, err_pct(mo, me));
            errstat_add(&es[i], mo, me, pl->name[p]);
        }
        if (asic) {
            double me = r[p].critical_path_ns, mo = c.critical_path_ns;
            fprintf(fp, " %8.3f %8.3f %+6.1f%%", me, mo, err_pct(mo, me));
            errstat_add(&es[nm], mo, me, pl->name[p]);
        }
        fprintf(fp, "\n");
        if (meas0) {
            meas0[p] = measured(&r[p], ms[0], t->clock_ns);
            model0[p] = c.total[ms[0]];
        }
    }
    fprintf(fp, "\n");
    for (int i = 0; i < nm + asic; i++) {
        const char *what = i == nm ? "critical path"
                           : ms[i] == M_ENERGY ? "energy (power)" : metric_names[ms[i]];
        if (es[i].n)
            fprintf(fp, "%-16s MAPE %5.1f%%  max %5.1f%% (%s)  over %d points\n", what,
                   es[i].sum / es[i].n, es[i].max, es[i].max_at, es[i].n);
    }
}
