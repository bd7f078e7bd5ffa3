/* cost.c - the cost-model commands: cost (price a point), synth (run the
 * real flow and compare), calibrate (fit a technology's unit costs to
 * synthesis results) and validate (measure the model's error on held-out
 * points). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/cost.h"
#include "../model/fit.h"
#include "../sim/synth.h"
#include "../gen/vw.h"
#include "cmds.h"
#include "dp.h"
#include "util.h"

static int parse_num(const char *opt, const char *s, double lo, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo) || !isfinite(v))
        return error("%s: error: option '%s': '%s' is not a number >= %g", tf_progname, opt,
                     s, lo);
    *out = v;
    return 0;
}

/* "MxNxB" or "MxN". */
static int parse_shape(const char *s, struct copts *o)
{
    long v[3] = { 0, 0, 1 };
    int n = 0;
    const char *p = s;
    while (n < 3) {
        char *end;
        v[n] = strtol(p, &end, 10);
        if (end == p || v[n] < 1 || v[n] > 1L << 40)
            break;
        n++;
        p = end;
        if (*p != 'x')
            break;
        p++;
    }
    if ((n != 2 && n != 3) || *p)
        return error("%s: error: option '--shape': '%s' is not MxN or MxNxB (positive "
                     "integers)", tf_progname, s);
    o->M = v[0];
    o->N = v[1];
    o->B = v[2];
    return 0;
}

int copts_parse(int argc, char **argv, struct copts *o, const char *allowed)
{
    memset(o, 0, sizeof *o);
    o->format = "text";
    o->jobs = 1;
    o->sets = xcalloc((size_t)argc, sizeof *o->sets);
    const char *jobs_arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char key[32];
        snprintf(key, sizeof key, " %s ", a);
        if (a[0] == '-' && !strstr(allowed, key))
            return error("%s: error: %s: unknown option '%s' (see 'ternforge help %s')",
                         tf_progname, argv[0], a, argv[0]);
        int has_val = strcmp(a, "-v") && strcmp(a, "--no-cache") && a[0] == '-';
        if (has_val && i + 1 >= argc)
            return error("%s: error: option '%s' needs a value", tf_progname, a);
        const char *val = has_val ? argv[++i] : NULL;
        double d;
        if (!strcmp(a, "--tech"))
            o->tech = val;
        else if (!strcmp(a, "--format")) {
            if (strcmp(val, "text") && strcmp(val, "json") && strcmp(val, "csv"))
                return error("%s: error: option '--format': '%s' is not text, json or csv",
                             tf_progname, val);
            o->format = val;
        } else if (!strcmp(a, "-o"))
            o->out = val;
        else if (!strcmp(a, "--points"))
            o->points = val;
        else if (!strcmp(a, "--work"))
            o->work = val;
        else if (!strcmp(a, "--plot"))
            o->plot = val;
        else if (!strcmp(a, "--set"))
            o->sets[o->nsets++] = argv[i];
        else if (!strcmp(a, "--shape")) {
            if (parse_shape(val, o))
                return -1;
        } else if (!strcmp(a, "--bw")) {
            if (parse_num(a, val, 0, &o->bw))
                return -1;
        } else if (!strcmp(a, "--clock")) {
            if (parse_num(a, val, 0.01, &o->clock_ns))
                return -1;
        } else if (!strcmp(a, "--fail-above")) {
            if (parse_num(a, val, 0, &o->fail_above) || !(o->fail_above > 0))
                return error("%s: error: option '--fail-above': '%s' is not a positive "
                             "percentage", tf_progname, val);
        } else if (!strcmp(a, "--jobs")) {
            if (parse_num(a, val, 1, &d) || d > 10000 || d != floor(d))
                return error("%s: error: option '--jobs': '%s' is not an integer in 1..64 "
                             "(1..10000 with a --scheduler other than local)", tf_progname,
                             val);
            o->jobs = (int)d;
            jobs_arg = val;
        } else if (!strcmp(a, "--scheduler")) {
            if (sched_parse(val, &o->sched.kind))
                return error("%s: error: option '--scheduler': '%s' is not local, parallel "
                             "or slurm", tf_progname, val);
        } else if (!strcmp(a, "--hosts"))
            o->sched.hosts = val;
        else if (!strcmp(a, "--sbatch-args"))
            o->sched.sbatch_args = val;
        else if (!strcmp(a, "--no-cache"))
            o->no_cache = 1;
        else if (!strcmp(a, "-v"))
            o->verbose = 1;
        else if (!o->param_file)
            o->param_file = a;
        else
            return error("%s: error: %s: unexpected argument '%s'", tf_progname, argv[0], a);
    }
    /* ---- the scheduler options go together (sim/sched.h) */
    struct sched_opts *so = &o->sched;
    if (so->hosts && so->kind != SCHED_PARALLEL)
        return error("%s: error: option '--hosts' needs --scheduler parallel", tf_progname);
    if (so->sbatch_args && so->kind != SCHED_SLURM)
        return error("%s: error: option '--sbatch-args' needs --scheduler slurm", tf_progname);
    if (jobs_arg && so->kind == SCHED_LOCAL && o->jobs > 64) /* forks on this machine */
        return error("%s: error: option '--jobs': '%s' is not an integer in 1..64 "
                     "(1..10000 with a --scheduler other than local)", tf_progname, jobs_arg);
    so->jobs = jobs_arg || so->kind == SCHED_LOCAL ? o->jobs : 0; /* 0: its default */
    return 0;
}

/* ---- printing a cost ------------------------------------------------- */

static int is_asic(const struct tech *t) { return t->target == TECH_ASIC; }

int tech_metrics(const struct tech *t, enum metric *m)
{
    int n = 0;
    if (is_asic(t)) {
        m[n++] = M_AREA;
    } else {
        m[n++] = M_LUTS;
        m[n++] = M_FFS;
        m[n++] = M_CARRY;
        m[n++] = M_DSPS;
    }
    return n;
}

/* JSON key of a metric ("area_um2", "luts", ...). */
static const char *metric_key(enum metric m)
{
    static const char *const k[] = { "area_um2", "luts", "ffs", "carry", "dsps",
                                     "energy_pj_per_cycle" };
    return k[m];
}

static int has_timing(const struct tech *t) { return t->delay[D_REG] > 0; }

/* A component's share of the energy per MAC (its energy per cycle scaled
 * like the total). */
static double comp_pj_per_mac(const struct cost *c, int k)
{
    return c->total[M_ENERGY] > 0
               ? c->comp[k][M_ENERGY] * c->energy_pj_per_mac / c->total[M_ENERGY]
               : 0;
}

void cost_print(FILE *out, const struct design_point *dp, const struct tech *t,
                const struct workload *wl, const struct cost *c, const char *format)
{
    enum metric ms[M__COUNT];
    int nm = tech_metrics(t, ms);
    char *desc = dp_describe_kind(dp, " ");
    if (!strcmp(format, "json")) {
        fprintf(out, "{\n  \"tech\": \"%s\",\n  \"point\": \"%s\",\n  \"fingerprint\": "
                     "\"%016llx\",\n", t->name, desc,
                (unsigned long long)dp_fingerprint(dp));
        for (int i = 0; i < nm; i++)
            fprintf(out, "  \"%s\": %.10g,\n", metric_key(ms[i]), c->total[ms[i]]);
        if (has_timing(t))
            fprintf(out, "  \"critical_path_ns\": %.6g,\n  \"fmax_mhz\": %.6g,\n"
                         "  \"critical_stage\": \"%s\",\n", c->critical_path_ns, c->fmax_mhz,
                    c->critical_stage);
        else
            fprintf(out, "  \"critical_path_ns\": null,\n  \"fmax_mhz\": null,\n");
        fprintf(out, "  \"clock_ns\": %.6g,\n", c->clock_ns);
        if (t->has[M_ENERGY])
            fprintf(out, "  \"energy_pj_per_mac\": %.10g,\n  \"energy_pj_per_gemv\": %.10g,\n"
                         "  \"energy_pj_per_cycle\": %.10g,\n  \"power_mw\": %.10g,\n",
                    c->energy_pj_per_mac, c->energy_pj_per_gemv, c->total[M_ENERGY],
                    c->power_mw);
        else
            fprintf(out, "  \"energy_pj_per_mac\": null,\n");
        fprintf(out, "  \"workload\": {\"M\": %ld, \"N\": %ld, \"B\": %ld, \"bw_gbps\": %.10g},\n",
                wl->M, wl->N, wl->B, wl->bw_gbps);
        fprintf(out, "  \"cycles\": %.10g,\n  \"macs\": %.10g,\n  \"macs_per_cycle\": %.10g,\n"
                     "  \"peak_macs_per_cycle\": %.10g,\n",
                c->cycles, c->macs, c->macs_per_cycle, c->peak_macs_per_cycle);
        fprintf(out, "  \"weight_bits\": %.6g,\n  \"bytes\": {\"weights\": %.10g, \"acts\": "
                     "%.10g, \"results\": %.10g},\n", c->weight_bits, c->bytes_weights,
                c->bytes_acts, c->bytes_results);
        fprintf(out, "  \"time_compute_s\": %.10g,\n  \"time_memory_s\": %.10g,\n"
                     "  \"bound\": \"%s\",\n", c->time_compute_s, c->time_memory_s,
                wl->bw_gbps > 0 ? (c->memory_bound ? "memory" : "compute") : "compute");
        fprintf(out, "  \"components\": {");
        int first = 1;
        for (int k = 0; k < COMP__COUNT; k++) {
            int any = 0;
            for (int f = 0; f < F__COUNT; f++)
                any |= c->x[k][f] != 0;
            if (!any)
                continue;
            fprintf(out, "%s\n    \"%s\": {", first ? "" : ",", comp_names[k]);
            first = 0;
            int fi = 1;
            for (int m = 0; m < M__COUNT; m++) {
                if (!t->has[m] || (m != M_ENERGY && !is_asic(t) && m == M_AREA))
                    continue;
                if (is_asic(t) && m != M_AREA && m != M_ENERGY)
                    continue;
                fprintf(out, "%s\"%s\": %.10g", fi ? "" : ", ", metric_key((enum metric)m),
                        c->comp[k][m]);
                fi = 0;
            }
            if (t->has[M_ENERGY])
                fprintf(out, ", \"energy_pj_per_mac\": %.10g", comp_pj_per_mac(c, k));
            fprintf(out, "}");
        }
        fprintf(out, "\n  }\n}\n");
    } else if (!strcmp(format, "csv")) {
        fprintf(out, "fingerprint,kind,point,tech");
        for (int i = 0; i < nm; i++)
            fprintf(out, ",%s", metric_key(ms[i]));
        fprintf(out, ",critical_path_ns,fmax_mhz,energy_pj_per_mac,M,N,B,cycles,"
                     "macs_per_cycle,bound\n");
        fprintf(out, "%016llx,%s,\"%s\",%s", (unsigned long long)dp_fingerprint(dp),
                kind_names[dp->kind], desc, t->name);
        for (int i = 0; i < nm; i++)
            fprintf(out, ",%.10g", c->total[ms[i]]);
        if (has_timing(t))
            fprintf(out, ",%.6g,%.6g", c->critical_path_ns, c->fmax_mhz);
        else
            fprintf(out, ",,");
        if (t->has[M_ENERGY])
            fprintf(out, ",%.10g", c->energy_pj_per_mac);
        else
            fprintf(out, ",");
        fprintf(out, ",%ld,%ld,%ld,%.10g,%.10g,%s\n", wl->M, wl->N, wl->B, c->cycles,
                c->macs_per_cycle,
                wl->bw_gbps > 0 && c->memory_bound ? "memory" : "compute");
    } else {
        fprintf(out, "point:      %s\n", desc);
        fprintf(out, "technology: %s (%s)%s%s\n", t->name, t->path, t->note ? ", calibrated " : "",
                t->note ? t->note : "");
        fprintf(out, "\n%-13s", "component");
        for (int i = 0; i < nm; i++)
            fprintf(out, " %14s", metric_units[ms[i]]);
        if (is_asic(t))
            fprintf(out, " %7s", "share");
        if (t->has[M_ENERGY])
            fprintf(out, " %12s %10s", "pJ/cycle", "pJ/MAC");
        fprintf(out, "\n");
        for (int k = 0; k < COMP__COUNT; k++) {
            int any = 0;
            for (int f = 0; f < F__COUNT; f++)
                any |= c->x[k][f] != 0;
            if (!any)
                continue;
            fprintf(out, "%-13s", comp_names[k]);
            for (int i = 0; i < nm; i++)
                fprintf(out, " %14.1f", c->comp[k][ms[i]]);
            if (is_asic(t))
                fprintf(out, " %6.1f%%", 100 * c->comp[k][M_AREA] / c->total[M_AREA]);
            if (t->has[M_ENERGY])
                fprintf(out, " %12.3f %10.4f", c->comp[k][M_ENERGY], comp_pj_per_mac(c, k));
            fprintf(out, "\n");
        }
        fprintf(out, "%-13s", "total");
        for (int i = 0; i < nm; i++)
            fprintf(out, " %14.1f", c->total[ms[i]]);
        if (is_asic(t))
            fprintf(out, " %6.1f%%", 100.0);
        if (t->has[M_ENERGY])
            fprintf(out, " %12.3f %10.4f", c->total[M_ENERGY], c->energy_pj_per_mac);
        fprintf(out, "\n\n");
        if (is_asic(t))
            fprintf(out, "area:           %.0f um2 (%.4f mm2)\n", c->total[M_AREA],
                    c->total[M_AREA] * 1e-6);
        if (has_timing(t))
            fprintf(out, "critical path:  %.3f ns (%s), f_max %.1f MHz\n", c->critical_path_ns,
                    c->critical_stage, c->fmax_mhz);
        else
            fprintf(out, "critical path:  not modelled for %s (no open timing flow); times "
                         "below use the %.3g ns clock of the technology file\n", t->name,
                    c->clock_ns);
        fprintf(out, "workload:       M=%ld N=%ld B=%ld: %.0f cycles, %.4g MACs/cycle "
                     "(peak %.4g), %.4g us at %.4g ns\n", wl->M, wl->N, wl->B, c->cycles,
                c->macs_per_cycle, c->peak_macs_per_cycle, c->time_compute_s * 1e6, c->clock_ns);
        if (t->has[M_ENERGY])
            fprintf(out, "energy:         %.4g pJ/MAC, %.4g pJ per GEMV (M x N), %.4g mW at "
                         "%.4g ns (activity %.3g)\n", c->energy_pj_per_mac,
                    c->energy_pj_per_gemv, c->power_mw, c->clock_ns, t->activity);
        fprintf(out, "traffic:        weights %.4g B (%.3g bits each), activations %.4g B, "
                     "results %.4g B\n", c->bytes_weights, c->weight_bits, c->bytes_acts,
                c->bytes_results);
        if (wl->bw_gbps > 0)
            fprintf(out, "roofline:       compute %.4g us, memory %.4g us at %.4g GB/s: "
                         "%s-bound, %.4g us\n", c->time_compute_s * 1e6,
                    c->time_memory_s * 1e6, wl->bw_gbps,
                    c->memory_bound ? "memory" : "compute", c->time_s * 1e6);
    }
    free(desc);
}

const char help_cost[] =
    "usage: ternforge cost P.xml [--tech NAME|FILE] [--format text|json|csv]\n"
    "                     [--shape MxN[xB]] [--bw GBPS] [--set NAME=VALUE]...\n"
    "\n"
    "Price a design point with the analytical cost model: area (um2) or FPGA\n"
    "cells by component, critical path and f_max, energy per MAC and per GEMV,\n"
    "cycles and MACs per cycle for an M x N x B workload (default max_rows x\n"
    "max_cols x 1), and with --bw a roofline bound: compute or memory.\n"
    "Technologies: osu018 (default), xc7, ice40, or a .tech file.\n"
    "The formulas are in docs/cost-model.md.\n";

static int load(struct copts *o, struct design_point *dp, struct tech *t, const char *cmd)
{
    if (!o->tech)
        o->tech = "osu018";
    if (!o->param_file)
        return error("%s: error: %s: missing parameter file (usage: 'ternforge help %s')",
                     tf_progname, cmd, cmd);
    if (dp_load(dp, o->param_file, o->sets, o->nsets))
        return -1;
    return tech_load(t, o->tech);
}

static void default_workload(const struct design_point *dp, const struct copts *o,
                             struct workload *wl)
{
    wl->M = o->M ? o->M : dp->max_rows;
    wl->N = o->N ? o->N : dp->max_cols;
    wl->B = o->M ? o->B : 1;
    wl->bw_gbps = o->bw;
    wl->clock_ns = 0; /* at f_max */
}

int cmd_cost(int argc, char **argv)
{
    struct copts o;
    struct design_point dp;
    struct tech t;
    if (copts_parse(argc, argv, &o, " --tech --format --shape --bw --set ") ||
        load(&o, &dp, &t, "cost")) {
        free(o.sets);
        return 1;
    }
    int rc = 0;
    if (o.M && (o.M > dp.max_rows || o.N > dp.max_cols))
        rc = error("%s: error: cost: --shape %ldx%ld exceeds the core's max_rows x max_cols "
                   "= %ldx%ld", tf_progname, o.M, o.N, dp.max_rows, dp.max_cols);
    if (!rc) {
        struct workload wl;
        default_workload(&dp, &o, &wl);
        struct cost c;
        cost_eval(&dp, &t, &wl, &c);
        cost_components(&dp, &t, &c);
        cost_print(stdout, &dp, &t, &wl, &c, o.format);
    }
    tech_free(&t);
    free(o.sets);
    return rc ? 1 : 0;
}

/* ---- running the flow ------------------------------------------------ */

void flow_of(const struct tech *t, double clock_ns, struct synth_flow *f)
{
    f->kind = t->target == TECH_ASIC ? FLOW_ASIC : t->target == TECH_XC7 ? FLOW_XC7 : FLOW_ICE40;
    f->liberty = t->liberty;
    f->clock_ns = clock_ns > 0 ? clock_ns : t->clock_ns;
    f->activity = t->activity;
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

const char help_synth[] =
    "usage: ternforge synth P.xml [--tech NAME|FILE] [--clock NS] [--work DIR]\n"
    "                      [--no-cache] [-v] [--set NAME=VALUE]...\n"
    "\n"
    "Run the real flow on the generated RTL and print measured figures next to\n"
    "the model's, with the error in %. osu018 (or any asic technology): Yosys\n"
    "synth + dfflibmap + abc onto the Liberty cells, stat -liberty for area,\n"
    "OpenSTA for the critical path and for power at the technology's switching\n"
    "activity and the clock (--clock, default the technology's clock_ns).\n"
    "xc7 / ice40: Yosys synth_xilinx / synth_ice40 and their cell counts.\n"
    "Results are cached by design, scripts and tool versions; --no-cache\n"
    "reruns. --work DIR keeps the RTL, scripts, logs and netlist.\n";

int cmd_synth(int argc, char **argv)
{
    struct copts o;
    struct design_point dp;
    struct tech t;
    if (copts_parse(argc, argv, &o, " --tech --clock --work --no-cache -v --set ") ||
        load(&o, &dp, &t, "synth")) {
        free(o.sets);
        return 1;
    }
    struct synth_flow f;
    flow_of(&t, o.clock_ns, &f);
    struct synth_opts so = { o.work, o.verbose, o.no_cache };
    struct synth_result r;
    int rc = synth_run(&dp, &f, &so, &r);
    if (!rc) {
        struct workload wl;
        default_workload(&dp, &o, &wl);
        struct cost c;
        cost_eval(&dp, &t, &wl, &c);
        char *desc = dp_describe_kind(&dp, " ");
        printf("point:      %s\ntechnology: %s (%s)\nflow:       %s%s\n", desc, t.name, t.path,
               synth_tool_versions(), r.cached ? " (cached result)" : "");
        free(desc);
        if (!r.cached)
            printf("flow time:  %.1f s\n", r.seconds);
        printf("\n%-22s %14s %14s %9s\n", "figure", "measured", "model", "error");
        enum metric ms[M__COUNT];
        int nm = tech_metrics(&t, ms);
        for (int i = 0; i < nm; i++) {
            double me = measured(&r, ms[i], f.clock_ns);
            printf("%-22s %14.1f %14.1f %+8.1f%%\n", metric_key(ms[i]), me, c.total[ms[i]],
                   err_pct(c.total[ms[i]], me));
        }
        if (f.kind == FLOW_ASIC) {
            printf("%-22s %14.3f %14.3f %+8.1f%%\n", "critical_path_ns", r.critical_path_ns,
                   c.critical_path_ns, err_pct(c.critical_path_ns, r.critical_path_ns));
            double pm = c.total[M_ENERGY] / f.clock_ns;
            printf("%-22s %14.3f %14.3f %+8.1f%%   (at %.3g ns, activity %.3g)\n", "power_mw",
                   r.power_mw, pm, err_pct(pm, r.power_mw), f.clock_ns, f.activity);
            printf("%-22s %14ld\n", "cells", r.cells);
            printf("%-22s %14ld\n", "flip-flops", r.seq_cells);
        } else {
            printf("%-22s %14ld\n", "brams", r.brams);
        }
    }
    tech_free(&t);
    free(o.sets);
    return rc ? 1 : 0;
}
