/* synth_probe.c - a stand-in for `ternforge synth` until the command
 * exists: run synth_run_many() on parameter files and print one line of
 * key=value fields per point, in argument order. Used by tests/synth/run.sh.
 * Usage: synth_probe asic|xc7|ice40 [--lib L] [--clock NS] [--activity A]
 *                    [--keep DIR] [--no-cache] [--hier] [-j N] [-v] P.xml... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/synth.h"
#include "../../model/kind.h"
#include "dp.h"
#include "util.h"

int main(int argc, char **argv)
{
    struct synth_flow f = { .kind = FLOW_ASIC,
                            .liberty = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib",
                            .clock_ns = 10.0, .activity = 0.1 };
    struct synth_opts o = { NULL, 0, 0 };
    int jobs = 1, n = 0;
    const char **files = xcalloc((size_t)argc, sizeof *files);
    if (argc < 3)
        die("usage: synth_probe asic|xc7|ice40 [--lib L] [--clock NS] [--activity A] "
            "[--keep DIR] [--no-cache] [--hier] [-j N] [-v] P.xml...");
    f.kind = !strcmp(argv[1], "xc7") ? FLOW_XC7 : !strcmp(argv[1], "ice40") ? FLOW_ICE40
                                                                            : FLOW_ASIC;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--lib")) f.liberty = v, i++;
        else if (!strcmp(a, "--clock")) f.clock_ns = atof(v), i++;
        else if (!strcmp(a, "--activity")) f.activity = atof(v), i++;
        else if (!strcmp(a, "--keep")) o.keep_dir = v, i++;
        else if (!strcmp(a, "-j")) jobs = atoi(v), i++;
        else if (!strcmp(a, "--no-cache")) o.no_cache = 1;
        else if (!strcmp(a, "--hier")) f.hier = 1;
        else if (!strcmp(a, "-v")) o.verbose = 1;
        else files[n++] = a;
    }
    struct design_point *dps = xcalloc((size_t)n, sizeof *dps);
    const struct design_point **dp = xcalloc((size_t)n, sizeof *dp);
    struct synth_result *r = xcalloc((size_t)n, sizeof *r);
    for (int i = 0; i < n; i++) {
        if (dp_load(&dps[i], files[i], NULL, 0))
            return 1;
        dp[i] = &dps[i];
    }
    int fails = synth_run_many(dp, n, &f, &o, jobs, r);
    for (int i = 0; i < n; i++)
        printf("point=%s flow=%s ok=%d cached=%d seconds=%.2f area_um2=%.1f cells=%ld seq_cells=%ld "
               "critical_path_ns=%.4f power_mw=%.4f internal_mw=%.4f switching_mw=%.4f "
               "leakage_mw=%.6f luts=%ld ffs=%ld carry=%ld dsps=%ld brams=%ld modules=%d "
               "modules_built=%d\n",
               files[i], argv[1], r[i].ok, r[i].cached, r[i].seconds, r[i].area_um2, r[i].cells,
               r[i].seq_cells, r[i].critical_path_ns, r[i].power_mw, r[i].power_internal_mw,
               r[i].power_switching_mw, r[i].power_leakage_mw, r[i].luts, r[i].ffs,
               r[i].carry, r[i].dsps, r[i].brams, r[i].modules, r[i].modules_built);
    printf("versions: %s\n", synth_tool_versions());
    free(files);
    free(dps);
    free(dp);
    free(r);
    return fails ? 1 : 0;
}
