/* synth.c - `ternforge synth`: the real synthesis flow on the generated
 * RTL, measured figures next to the cost model's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "util.h"

static int opt_clock(const struct opt *o, const char *as_typed, const char *val, void *dest)
{
    return parse_num(as_typed, val, 0.01, OPT_DEST(dest, o, double));
}

/* The activity-driven figures next to the global-activity ones and the
 * model's: power and energy per MAC of the same stimulus. */
static void print_activity(const struct design_point *dp, const struct tech *t,
                           const struct activity_opts *ao, const struct activity_result *ar,
                           const struct synth_result *r, double clock_ns)
{
    struct workload wl = { .M = ar->M, .N = ar->N, .B = 1, .clock_ns = clock_ns };
    struct cost c;
    cost_eval(dp, t, &wl, &c);
    double pj = ar->power_mw * clock_ns * (double)ar->cycles; /* mW x ns = pJ */
    double pm = c.total[M_ENERGY] / clock_ns;
    printf("\nswitching activity (gate-level iverilog, zero delay; docs/cost-model.md)%s\n",
           ar->cached ? " (cached result)" : "");
    printf("stimulus:   seed %llu, %.4g zero weights, %s activations, %ld GEMV jobs of "
           "%ld x %ld\n            (%ld MACs) in %ld cycles: %.3g MAC/cycle, mean net "
           "activity %.4g toggles/cycle\n", (unsigned long long)ao->seed, ao->zeros,
           act_dist_names[ao->dist], ar->jobs, ar->M, ar->N, ar->macs, ar->cycles,
           (double)ar->macs / (double)ar->cycles, ar->mean_activity);
    printf("nets:       %ld of %ld nets given their counts (the clock: create_clock)\n",
           ar->nets_set, ar->nets);
    if (!ar->cached)
        printf("flow time:  %.1f s (gate-level simulation %.1f s)\n", ar->seconds,
               ar->sim_seconds);
    printf("\n%-22s %14s %14s %14s\n", "power (mW)", "activity", "global", "model");
    printf("%-22s %14.4f %14.4f\n", "internal", ar->power_internal_mw, r->power_internal_mw);
    printf("%-22s %14.4f %14.4f\n", "switching", ar->power_switching_mw,
           r->power_switching_mw);
    printf("%-22s %14.6f %14.6f\n", "leakage", ar->power_leakage_mw, r->power_leakage_mw);
    printf("%-22s %14.4f %14.4f %14.4f\n", "total", ar->power_mw, r->power_mw, pm);
    printf("%-22s %14.4f %14s %14.4f\n", "pJ/MAC", pj / (double)ar->macs, "",
           c.energy_pj_per_mac);
    printf("%-22s %+13.1f%% %+13.1f%%   (model vs each)\n", "model error",
           err_pct(pm, ar->power_mw), err_pct(pm, r->power_mw));
}

/* A component of which the row holds part of the features only (the
 * FP accumulators' adders in u_acc, their registers in the top) is
 * marked, so the two rows do not read as one component twice. */
static void comps_list(struct strbuf *sb, unsigned comps, unsigned part, const char *sep)
{
    const char *s = "";
    for (int k = 0; k < COMP__COUNT; k++)
        if (comps >> k & 1) {
            sb_addf(sb, "%s%s%s", s, comp_names[k], part >> k & 1 ? "(part)" : "");
            s = sep;
        }
    if (!comps)
        sb_adds(sb, "(not mapped)");
}

/* The measured area by component next to the model's, as text or CSV. */
static void print_parts(struct strbuf *sb, const struct synth_result *r,
                        const struct design_point *dp, const struct tech *t, int csv)
{
    struct cost c;
    cost_components(dp, t, &c);
    struct part_row row[SYNTH_PARTS_MAX];
    int n = synth_part_rows(r, &c, t, row);
    double me = 0, mo = 0;
    if (csv)
        sb_adds(sb, "groups,instances,components,measured_um2,model_um2,error_pct\n");
    else
        sb_addf(sb, "\narea by component (--hier: kept instances by name; "
                    "docs/cost-model.md)\n%-16s %5s %12s %12s %9s  %s\n",
                "instances", "count", "measured", "model", "error", "components");
    for (int i = 0; i < n; i++) {
        struct part_row *w = &row[i];
        me += w->measured;
        mo += w->model;
        if (csv) {
            sb_addf(sb, "%s,%ld,", w->groups, w->instances);
            comps_list(sb, w->comps, w->part, "+");
            sb_addf(sb, ",%.3f,%.3f,%.2f\n", w->measured, w->model,
                    err_pct(w->model, w->measured));
        } else {
            sb_addf(sb, "%-16s %5ld %12.1f %12.1f %+8.1f%%  ", w->groups, w->instances,
                    w->measured, w->model, err_pct(w->model, w->measured));
            comps_list(sb, w->comps, w->part, " ");
            sb_adds(sb, "\n");
        }
    }
    if (csv)
        sb_addf(sb, "total,,,%.3f,%.3f,%.2f\n", me, mo, err_pct(mo, me));
    else
        sb_addf(sb, "%-16s %5s %12.1f %12.1f %+8.1f%%  (standard cells%s)\n", "total", "", me,
                mo, err_pct(mo, me), r->macros ? "; SRAM macros not included" : "");
}

static const struct opt opts[] = {
    OPT_POINT(struct copts, pt),
    OPT_TECH(0),
    { "--clock", 0, "NS", "the clock period of timing and power (default: the "
      "point's clock_ns, else the technology's)", 0, opt_clock, offsetof(struct copts, clock_ns), 0, 0 },
    { "--work", 0, "DIR", "keep the RTL, scripts, logs and netlist in DIR", 0, opt_str,
      offsetof(struct copts, work), 0, 0 },
    { "--hier", 0, NULL, "keep the hierarchy: each distinct module of the top mapped "
      "once (docs/cost-model.md)", 0, opt_flag, offsetof(struct copts, hier), 0, 0 },
    { "--flat", 0, NULL, "one flat netlist even above the size where --hier is automatic",
      0, opt_flag, offsetof(struct copts, flat), 0, 0 },
    { "--opaque-fpadd", 0, NULL, "every FP adder stays a module of its own, mapped once, "
      "as an opaque FP adder macro (any technology)", 0, opt_flag,
      offsetof(struct copts, opaque_fpadd), 0, 0 },
    { "--keep-all", 0, NULL, "with --hier: keep integer LUT builds as modules too (the "
      "rows calibrate --parts fits; their timing is pessimistic)", 0, opt_flag,
      offsetof(struct copts, keep_all), 0, 0 },
    { "--one-run", 0, NULL, "with --hier: the whole design in one Yosys run, no per-module "
      "cache (the flow of session 10; docs/cost-model.md)", 0, opt_flag,
      offsetof(struct copts, one_run), 0, 0 },
    { "--parts", 0, "FILE.csv", "with --hier: write the measured and modelled area by "
      "component as CSV", 0, opt_str, offsetof(struct copts, out), 0, 0 },
    OPT_ACTIVITY("also power from simulated switching activity (asic; "
                 "docs/cost-model.md)"),
    OPT_NO_CACHE,
    OPT_VERBOSE(struct copts),
    OPT_SET(struct copts, pt),
    { 0 }
};

static int run_synth(int argc, char **argv)
{
    struct copts o = COPTS_INIT;
    struct design_point dp;
    struct tech t;
    if (opt_parse(&cmd_synth, argc, argv, &o) || act_opts_check(&o) ||
        load_costed(&o, &dp, &t, "synth")) {
        free(o.pt.sets.v);
        return 1;
    }
    struct synth_flow f;
    flow_of(&t, o.clock_ns > 0 ? o.clock_ns : dp.clock_ns, &f);
    /* hierarchy kept automatically above a tile size (synth_auto_hier) */
    int auto_hier = !o.hier && !o.flat && !o.opaque_fpadd && synth_auto_hier(&dp, &f);
    if (o.flat && o.hier) {
        error("%s: error: synth: --flat does not go with --hier", tf_progname);
        tech_free(&t);
        free(o.pt.sets.v);
        return 1;
    }
    o.hier |= auto_hier;
    if (o.work && check_work_dir(o.work)) {
        tech_free(&t);
        free(o.pt.sets.v);
        return 1;
    }
    if ((o.out || o.keep_all || o.one_run) &&
        (!o.hier || (o.out && o.opaque_fpadd) || (o.out && check_output_file(o.out)))) {
        if (!o.hier)
            error("%s: error: synth: %s needs --hier%s", tf_progname,
                  o.out ? "--parts" : o.keep_all ? "--keep-all" : "--one-run",
                  o.out ? " (the area by component comes from the kept instances)" : "");
        else if (o.opaque_fpadd)
            error("%s: error: synth: --parts does not go with --opaque-fpadd (the kept FP "
                  "adders are not split between the instances that hold them)", tf_progname);
        tech_free(&t);
        free(o.pt.sets.v);
        return 1;
    }
    /* a kept module's FP adders see no constant-zero operand bits */
    tech_keep_fp_units(&t, o.hier || o.opaque_fpadd);
    f.hier = !o.hier ? HIER_OFF : o.keep_all ? HIER_ALL : HIER_ON;
    f.opaque_fpadd = o.opaque_fpadd;
    f.one_run = o.one_run;
    struct synth_opts so = { o.work, o.verbose, o.no_cache };
    struct synth_result r;
    struct activity_result ar;
    int rc = o.activity ? activity_run(&dp, &f, &so, &o.act, &ar, &r)
                        : synth_run(&dp, &f, &so, &r);
    /* --parts asks for what a result cached before the breakdown lacks */
    if (!rc && o.out && r.cached && !r.nparts && !o.activity) {
        so.no_cache = 1;
        rc = synth_run(&dp, &f, &so, &r);
    }
    if (!rc)
        synth_add_macros(&dp, &t, f.clock_ns, &r);
    if (!rc) {
        struct workload wl;
        default_workload(&dp, &o, &wl);
        struct cost c;
        cost_eval(&dp, &t, &wl, &c);
        char *desc = dp_describe_kind(&dp, " ");
        printf("point:      %s\ntechnology: %s (%s)\nflow:       %s%s\n", desc, t.name, t.path,
               synth_tool_versions(), r.cached ? " (cached result)" : "");
        free(desc);
        if (f.kind == FLOW_ASIC && auto_hier)
            printf("hierarchy:  --hier, automatic: a tile of %ld MACs a cycle is above %d for "
                   "%s activations (--flat for one flat netlist)\n",
                   (long)dp.d.outputs * dp.d.tile_cols, synth_auto_hier_limit(&dp),
                   dp.d.fp ? "FP" : "integer");
        else if (f.kind == FLOW_ASIC)
            printf("hierarchy:  %s\n", o.hier ? "--hier" : "flat");
        if (!r.cached)
            printf("flow time:  %.1f s\n", r.seconds);
        /* what the per-module cache saved this run (sim/synth.c, "split") */
        if (!r.cached && f.hier && !f.one_run && f.kind == FLOW_ASIC)
            printf("modules:    %d kept module%s below the top: %d synthesized, %d from the "
                   "per-module cache\n", r.modules, r.modules == 1 ? "" : "s", r.modules_built,
                   r.modules - r.modules_built);
        if (r.macros)
            printf("macros:     %d SRAM macro%s (%s_sram_1r1w) kept as black boxes: not "
                   "synthesized, not timed\n            (OpenSTA sees no path through them); "
                   "priced from the 'sram' lines of %s:\n            %.1f um2 and %.4g mW "
                   "(one read a cycle), included in the measured area and power below\n",
                   r.macros, r.macros > 1 ? "s" : "", dp_prefix(&dp), t.name, r.macro_area_um2,
                   r.macro_power_mw);
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
            if (o.activity)
                print_activity(&dp, &t, &o.act, &ar, &r, f.clock_ns);
            if (f.hier && !r.nparts) {
                printf("\narea by component: %s\n", f.opaque_fpadd ? "none with --opaque-fpadd"
                       : r.cached ? "not in this cached result (run again with --no-cache)"
                       : "none (see the warning above)");
                if (o.out)
                    rc = error("%s: error: synth: no area by component for --parts",
                               tf_progname);
            }
            if (r.nparts) {
                struct strbuf sb = STRBUF_INIT;
                print_parts(&sb, &r, &dp, &t, 0);
                fputs(sb.buf, stdout);
                sb_release(&sb);
                if (o.out) {
                    print_parts(&sb, &r, &dp, &t, 1);
                    rc = write_file_atomic(o.out, sb.buf, sb.len) ? -1 : 0;
                    sb_release(&sb);
                }
            }
        } else {
            printf("%-22s %14.1f %14.1f %+8.1f%%\n", "brams", (double)r.brams, c.brams,
                   err_pct(c.brams, (double)r.brams));
        }
    }
    tech_free(&t);
    free(o.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_synth = {
    "synth", run_synth, "run the real synthesis flow; measured vs modelled", opts, NULL,
    "\n"
    "Run the real flow on the generated RTL and print measured figures next to\n"
    "the model's, with the error in %. osu018 (or any asic technology): Yosys\n"
    "synth + dfflibmap + abc onto the Liberty cells, stat -liberty for area,\n"
    "OpenSTA for the critical path and for power at the technology's switching\n"
    "activity and the clock (--clock; default: the point's clock_ns, else\n"
    "the technology's).\n"
    "--hier (asic): the top's instances stay modules, each distinct one\n"
    "synthesized and mapped once, and OpenSTA times the hierarchical netlist:\n"
    "seconds to minutes where a flat run of a 16x16 or 32x32 FP core takes\n"
    "hours; a separate cache entry (docs/cost-model.md: when to use it).\n"
    "It is automatic (asic) above a tile (inputs x outputs per cycle) of 64\n"
    "MACs for FP and block-scaled activations and 256 for integer ones, unless\n"
    "--flat or --opaque-fpadd is given; the 'hierarchy:' line says which.\n"
    "Integer LUT builds go into the top (timing: see docs/cost-model.md);\n"
    "--keep-all keeps them as modules, as calibrate --parts does.\n"
    "It also prints the measured area by component next to the model's: the\n"
    "top's kept instances grouped by name (u_lut, u_sel, u_add, ...), each\n"
    "group matched to the model components it holds, the top's own cells to\n"
    "the rest (docs/cost-model.md, \"The area by component\"); --parts FILE\n"
    "writes the same rows as CSV.\n"
    "Each kept module is synthesized and mapped in a run of its own and cached\n"
    "by its elaborated RTLIL (parameters included), the mapping script, the\n"
    "Liberty file and the tool versions: a later point holding the same\n"
    "module reuses it, and only the top and new modules are synthesized (the\n"
    "'modules:' line counts them). --one-run: the whole design in one Yosys\n"
    "run instead (session 10's --hier, its cached results; no module cache).\n"
    "--opaque-fpadd (any technology): every FP adder (tf_fpadd) stays a\n"
    "module of its own, mapped once, as a vendor FP adder macro is opaque to\n"
    "the flow around it: synthesis cannot merge logic across adders (the\n"
    "lut-build study, docs/studies.md); a separate cache entry.\n"
    "xc7 / ice40: Yosys synth_xilinx / synth_ice40 and their cell counts;\n"
    "with --hier the top's instances stay modules there too (one Yosys run)\n"
    "and the counts are the whole hierarchy's. It is never automatic there.\n"
    "SRAM macros (mem_style=sram) stay black boxes in the asic flow, priced\n"
    "from the technology file's 'sram' lines and added to the measured area\n"
    "and power (the 'macros:' line says so; docs/cost-model.md).\n"
    "Results are cached by design, scripts and tool versions; --no-cache\n"
    "reruns. --work DIR keeps the RTL, scripts, logs and netlist.\n"
    "--activity (asic): simulate the mapped netlist at gate level (iverilog)\n"
    "on seeded stimulus -- GEMV jobs of up to 64 x 64 ternary weights with\n"
    "--act-zeros zeros, --act-dist activations, at least --act-cycles cycles\n"
    "-- count every net's toggles and give them to OpenSTA: dynamic and\n"
    "leakage power and pJ/MAC next to the global-activity figures and the\n"
    "model's (docs/cost-model.md, \"Power from switching activity\"); cached.\n",
    22, 0 /* as laid out by hand before */
};
