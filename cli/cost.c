/* cost.c - `ternforge cost`: price a design point with the analytical cost
 * model (model/cost.c) and print it as text, json or csv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static int opt_format(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    (void)as_typed;
    if (strcmp(val, "text") && strcmp(val, "json") && strcmp(val, "csv"))
        return error("%s: error: option '--format': '%s' is not text, json or csv",
                     tf_progname, val);
    *OPT_DEST(dest, o, const char *) = val;
    return 0;
}

/* "MxNxB" or "MxN". */
static int opt_shape(const struct opt *opt, const char *as_typed, const char *s, void *dest)
{
    (void)opt, (void)as_typed;
    struct copts *o = dest;
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

static int opt_bw(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    return parse_num(as_typed, val, 0, OPT_DEST(dest, o, double));
}

static const struct opt opts[] = {
    OPT_POINT(struct copts, pt),
    OPT_TECH(0),
    { "--format", 0, "text|json|csv", "how to print (default text)", 0, opt_format,
      offsetof(struct copts, format), 0, 0 },
    { "--shape", 0, "MxN[xB]", "the workload: an M x N matrix times B vectors (default "
      "max_rows x max_cols x 1)", 0, opt_shape, 0, 0, 0 },
    { "--bw", 0, "GBPS", "memory bandwidth for the roofline bound (default: none)", 0,
      opt_bw, offsetof(struct copts, bw), 0, 0 },
    OPT_SET(struct copts, pt),
    { 0 }
};

/* ---- printing a cost ------------------------------------------------- */

static int is_asic(const struct tech *t) { return t->target == TECH_ASIC; }

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

static int run_cost(int argc, char **argv)
{
    struct copts o = COPTS_INIT;
    struct design_point dp;
    struct tech t;
    if (opt_parse(&cmd_cost, argc, argv, &o) || load_costed(&o, &dp, &t, "cost")) {
        free(o.pt.sets.v);
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
    free(o.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_cost = {
    "cost", run_cost, "price a design point: area, timing, energy, cycles", opts, NULL,
    "\n"
    "Price a design point with the analytical cost model: area (um2) or FPGA\n"
    "cells by component, critical path and f_max, energy per MAC and per GEMV,\n"
    "cycles and MACs per cycle for an M x N x B workload (default max_rows x\n"
    "max_cols x 1), and with --bw a roofline bound: compute or memory.\n"
    "Technologies: osu018 (default), xc7, ice40, or a .tech file.\n"
    "The formulas are in docs/cost-model.md.\n",
    21, 0 /* as laid out by hand before */
};
