/* validate.c - `ternforge validate`: the cost model's error on held-out
 * synthesized points, with a scatter plot (cli/plist.c). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/gnuplot.h"
#include "plist.h"
#include "util.h"

/* --fail-above PCT: a positive percentage. */
static int opt_fail_above(const struct opt *o, const char *as_typed, const char *val,
                          void *dest)
{
    (void)as_typed;
    double *pct = OPT_DEST(dest, o, double);
    if (read_num(val, pct) || !(*pct > 0))
        return error("%s: error: option '--fail-above': '%s' is not a positive "
                     "percentage", tf_progname, tq(val));
    return 0;
}

static const struct opt opts[] = {
    OPT_PLIST_HEAD,
    { "--plot", 0, "FILE.svg|.png", "a scatter plot of modelled vs measured area (LUTs)", 0,
      opt_str, offsetof(struct copts, plot), 0, 0 },
    { "--fail-above", 0, "PCT", "exit 1 when an area (LUT) error exceeds PCT percent", 0,
      opt_fail_above, offsetof(struct copts, fail_above), 0, 0 },
    { "--hier", 0, NULL, "hierarchical synthesis (points a flat run cannot reach, "
      "docs/cost-model.md)", 0, opt_flag, offsetof(struct copts, hier), 0, 0 },
    { "--one-run", 0, NULL, "with --hier: each point in one Yosys run, no per-module cache "
      "(session 10's flow and its cached results)", 0, opt_flag,
      offsetof(struct copts, one_run), 0, 0 },
    OPT_PLIST_TAIL,
    { 0 }
};

static int run_validate(int argc, char **argv)
{
    struct copts o = COPTS_INIT;
    struct tech t;
    struct plist pl;
    struct synth_result *r;
    if (plist_prepare(&cmd_validate, argc, argv, "validate.points", &o, &t, &pl, &r))
        return 1;
    tech_keep_fp_units(&t, o.hier); /* --hier keeps the FP adders' modules whole */
    int rc = 0;
    enum metric ms[M__COUNT];
    int nm = fit_metrics(&t, ms);
    int asic = t.target == TECH_ASIC;
    struct errstat es[M__COUNT + 1];
    double *pm = xcalloc((size_t)pl.n, sizeof *pm), *pd = xcalloc((size_t)pl.n, sizeof *pd);
    printf("technology %s (%s)%s%s\n\n", t.name, t.path, t.note ? ", calibrated " : "",
           t.note ? t.note : "");
    plist_report(stdout, &pl, &t, r, ms, nm, es, pm, pd);
    if (o.fail_above > 0 && es[0].max > o.fail_above)
        rc = error("%s: error: validate: %s error %.1f%% at %s exceeds --fail-above %g%%",
                   tf_progname, metric_names[ms[0]], es[0].max, es[0].max_at, o.fail_above);
    if (!rc && o.plot)
        rc = gp_validate_plot(o.plot, pl.n, pm, pd, asic ? "area" : "LUTs", asic ? "um2" : "LUTs");
    if (!rc && o.plot)
        printf("wrote %s\n", o.plot);
    free(pm);
    free(pd);
    plist_finish(&o, &t, &pl, r);
    return rc ? 1 : 0;
}

const struct command cmd_validate = {
    "validate", run_validate, "model error on held-out synthesized points", opts, NULL,
    "\n"
    "Synthesize held-out design points (default: the built-in validate.points,\n"
    "disjoint from the calibration set), print modelled next to measured\n"
    "figures for each, the mean absolute percentage error (MAPE) and the\n"
    "largest error, and with --plot a scatter plot of modelled vs measured\n"
    "area (LUTs for FPGA technologies), rendered by gnuplot.\n"
    "--hier measures every point with the hierarchical flow (synth --hier):\n"
    "for held-out points too large for a flat run (the built-in\n"
    "validate-hier.points with --points validate-hier.points; on xc7 and\n"
    "ice40, validate-fpga-hier.points).\n"
    "Exit status 0 when the table was produced; with --fail-above PCT, 1 when\n"
    "an area (LUT) error exceeds PCT percent (for regression tests).\n"
    SCHED_HELP,
    0, 82 /* as laid out by hand before */
};
