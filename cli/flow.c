/* flow.c - what the cost-model commands (cost, synth, calibrate,
 * validate) share: their option values and the checks after parsing,
 * loading a point with its technology, and the synthesis flow of a
 * technology with what it measures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../explore/sweep.h"
#include "../gen/memories.h"
#include "cli.h"
#include "../model/models.h"
#include "util.h"

int read_num(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_num(const char *opt, const char *s, double lo, double *out)
{
    double v;
    if (read_num(s, &v) || !(v >= lo))
        return error("%s: error: option '%s': '%s' is not a number >= %g", tf_progname, tq(opt),
                     tq(s), lo);
    *out = v;
    return 0;
}

static int jobs_error(const char *val)
{
    return error("%s: error: option '--jobs': '%s' is not an integer in 1..64 "
                 "(1..10000 with a --scheduler other than local)", tf_progname, tq(val));
}

/* --jobs of calibrate and validate: 1..10000 here, 1..64 checked once
 * the scheduler is known (copts_check). */
int opt_flow_jobs(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)o, (void)as_typed;
    struct copts *c = dest;
    uint64_t n;
    if (parse_u64(val, &n) || n < 1 || n > 10000)
        return jobs_error(val);
    c->jobs = (int)n;
    c->jobs_arg = val;
    return 0;
}

int opt_scheduler(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (sched_parse(val, OPT_DEST(dest, o, enum sched_kind)))
        return error("%s: error: option '--scheduler': '%s' is not local, parallel "
                     "or slurm", tf_progname, tq(val));
    return 0;
}

int sched_args_check(const struct sched_opts *s)
{
    if (s->hosts && s->kind != SCHED_PARALLEL)
        return error("%s: error: option '--hosts' needs --scheduler parallel", tf_progname);
    if (s->sbatch_args && s->kind != SCHED_SLURM)
        return error("%s: error: option '--sbatch-args' needs --scheduler slurm", tf_progname);
    return 0;
}

int copts_check(struct copts *o)
{
    struct sched_opts *so = &o->sched;
    if (sched_args_check(so))
        return -1;
    if (o->jobs_arg && so->kind == SCHED_LOCAL && o->jobs > 64) /* forks on this machine */
        return jobs_error(o->jobs_arg);
    so->jobs = o->jobs_arg || so->kind == SCHED_LOCAL ? o->jobs : 0; /* 0: its default */
    return 0;
}

/* The --act-* setters note that they were given: without --activity they
 * would be ignored, which a user would not notice. */
static void act_given(void *dest)
{
    ((struct copts *)dest)->act_given = 1;
}

int opt_act_seed(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    act_given(dest);
    return opt_seed(o, as_typed, val, dest);
}

int opt_act_zeros(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    double *z = OPT_DEST(dest, o, double);
    act_given(dest);
    if (read_num(val, z) || !(*z >= 0 && *z <= 1))
        return error("%s: error: option '%s': '%s' is not a fraction between 0 and 1",
                     tf_progname, tq(as_typed), tq(val));
    return 0;
}

int opt_act_dist(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    act_given(dest);
    for (int i = 0; act_dist_names[i]; i++)
        if (!strcmp(val, act_dist_names[i])) {
            *OPT_DEST(dest, o, enum act_dist) = (enum act_dist)i;
            return 0;
        }
    return error("%s: error: option '%s': '%s' is not gauss or uniform", tf_progname,
                 tq(as_typed), tq(val));
}

int opt_act_cycles(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    act_given(dest);
    long v;
    struct opt lo = *o;
    lo.off = 0;
    if (opt_long(&lo, as_typed, val, &v))
        return -1;
    *OPT_DEST(dest, o, long) = v;
    return 0;
}

int act_opts_check(const struct copts *o)
{
    if (o->act_given && !o->activity)
        return error("%s: error: the --act-* options set the stimulus of --activity, which "
                     "was not given", tf_progname);
    return 0;
}

int load_costed(struct copts *o, struct design_point *dp, struct tech *t, const char *cmd)
{
    if (!o->tech)
        o->tech = "osu018";
    if (load_point(&o->pt, dp, cmd))
        return -1;
    return tech_load(t, o->tech);
}

void default_workload(const struct design_point *dp, const struct copts *o,
                      struct workload *wl)
{
    memset(wl, 0, sizeof *wl);
    wl->clock_ns = dp->clock_ns; /* the point's target clock; 0: at f_max */
    wl->M = o->M ? o->M : dp->max_rows;
    wl->N = o->N ? o->N : dp->max_cols;
    wl->B = o->M ? o->B : 1;
    wl->bw_gbps = o->bw;
    wl->mem_pj_per_bit = o->mem_pj;
    if (o->model) {
        wl->model = model_find(o->model);
        wl->M = model_max_rows(wl->model);
        wl->N = model_max_cols(wl->model);
        wl->B = o->tokens;
        wl->prefill = o->phase && !strcmp(o->phase, "prefill");
    }
}

void synth_add_macros(const struct design_point *dp, const struct tech *t, double clock_ns,
                      struct synth_result *r)
{
    struct tf_memory m[2];
    int n = memories_of(dp, m);
    r->macros = 0;
    r->macro_area_um2 = r->macro_power_mw = 0;
    if (t->target != TECH_ASIC)
        return;
    for (int i = 0; i < n; i++) {
        r->macros++;
        r->macro_area_um2 += tech_sram_cost(t, SRAM_AREA, m[i].depth, m[i].width);
        /* one read a cycle, as the cost model prices a macro */
        r->macro_power_mw += tech_sram_cost(t, SRAM_READ, m[i].depth, m[i].width) / clock_ns;
    }
    r->area_um2 += r->macro_area_um2;
    r->power_mw += r->macro_power_mw;
}

double measured(const struct synth_result *r, enum metric m, double clock_ns)
{
    switch (m) {
    case M_AREA: return r->area_um2;
    case M_LUTS: return (double)r->luts;
    case M_FFS: return (double)r->ffs;
    case M_CARRY: return (double)r->carry;
    case M_DSPS: return (double)r->dsps;
    case M_ENERGY: return r->power_mw * clock_ns; /* mW x ns = pJ per cycle */
    default: BUG("metric %d is not measured", (int)m);
    }
}

double err_pct(double model, double meas)
{
    return meas != 0 ? 100.0 * (model - meas) / meas : (model == 0 ? 0 : INFINITY);
}

int tech_metrics(const struct tech *t, enum metric *m)
{
    int n = 0;
    if (t->target == TECH_ASIC) {
        m[n++] = M_AREA;
    } else {
        m[n++] = M_LUTS;
        m[n++] = M_FFS;
        m[n++] = M_CARRY;
        m[n++] = M_DSPS;
    }
    return n;
}

const char *metric_key(enum metric m)
{
    static const char *const k[] = { "area_um2", "luts", "ffs", "carry", "dsps",
                                     "energy_pj_per_cycle" };
    return k[m];
}
