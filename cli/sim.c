/* sim.c - `ternforge sim`: co-simulation of the generated RTL against the
 * bit-exact C model, on corner cases and seeded random problems. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../sim/vectors.h"
#include "cli.h"
#include "../model/kind.h"
#include "util.h"

struct sim_args {
    struct point_args pt;
    const char *simulator, *work, *rtl, *top;
    long vectors, stall;
    uint64_t seed;
    int verbose;
};

static const struct opt opts[] = {
    OPT_POINT(struct sim_args, pt),
    { "--vectors", 0, "N", "random problems after the corner cases (0..100000, default 20)",
      0, opt_long, offsetof(struct sim_args, vectors), 0, 100000 },
    { "--seed", 0, "S", "seed of the random problems and stalls (default 1)", 0, opt_seed,
      offsetof(struct sim_args, seed), 0, 0 },
    { "--stall", 0, "P", "the streams stall on P% of cycles (0..95)", 0, opt_long,
      offsetof(struct sim_args, stall), 0, 95 },
    { "--simulator", 0, "verilator|iverilog", "the simulator (default verilator)", 0,
      opt_str, offsetof(struct sim_args, simulator), 0, 0 },
    { "--work", 0, "DIR", "keep the simulation's files (and a mismatch's VCD) in DIR", 0,
      opt_str, offsetof(struct sim_args, work), 0, 0 },
    { "--verbose", 'v', NULL, "print the simulator's build and run commands", 0, opt_flag,
      offsetof(struct sim_args, verbose), 0, 0 },
    { "--rtl", 0, "DIR", "simulate the Verilog in DIR (DIR/files.f) instead of generating it",
      0, opt_str, offsetof(struct sim_args, rtl), 0, 0 },
    { "--top", 0, "NAME", "--rtl: the top module (default <prefix>_top of the parameters)", 0,
      opt_str, offsetof(struct sim_args, top), 0, 0 },
    OPT_SET(struct sim_args, pt),
    { 0 }
};

static int run_sim(int argc, char **argv)
{
    struct sim_args o = { .vectors = 20, .seed = 1 };
    struct design_point dp;
    enum simulator sim;
    if (opt_parse(&cmd_sim, argc, argv, &o) || load_point(&o.pt, &dp, "sim") ||
        parse_sim(o.simulator, &sim)) {
        free(o.pt.sets.v);
        return 1;
    }
    struct job_set js;
    char **names;
    make_vectors(&dp, (int)o.vectors, o.seed, &js, &names);
    printf("sim: %s, %s, seed %" PRIu64 ", %d problems, stall %ld%%\n", o.pt.file,
           sim == SIM_VERILATOR ? "verilator" : "iverilog", o.seed, js.n, o.stall);
    fflush(stdout);
    struct matrix *Y = xcalloc((size_t)js.n, sizeof *Y);
    int **cyc = xcalloc((size_t)js.n, sizeof *cyc);
    struct cosim_opts co = { sim, o.seed, (int)o.stall, o.work, o.verbose, NULL, o.rtl, o.top };
    struct cosim_stats st;
    if (cosim_run(&dp, &js, &co, Y, &st, cyc)) {
        printf("0 passed, %d failed\n", js.n);
        free(Y);
        free(cyc);
        free_vectors(&js, names);
        free(o.pt.sets.v);
        return 1;
    }
    int pass = 0, fail = 0, shown = 0;
    int first_i = -1, first_r = 0, first_b = 0;
    for (int i = 0; i < js.n; i++) {
        struct matrix ref;
        kind_get(&dp)->model(&dp, &js.W[i], &js.X[i], &ref);
        int bad = 0;
        for (int r = 0; r < ref.rows && !bad; r++)
            for (int b = 0; b < ref.cols; b++)
                if (MAT(&ref, r, b) != MAT(&Y[i], r, b)) {
                    if (shown++ < 5)
                        printf(dp.d.fp ? "MISMATCH problem %d (%s): y[%d][%d]: rtl 0x%" PRIx64
                                         ", model 0x%" PRIx64 " (result beat at cycle %d)\n"
                                       : "MISMATCH problem %d (%s): y[%d][%d]: rtl %" PRId64
                                         ", model %" PRId64 " (result beat at cycle %d)\n",
                               i + 1, names[i], r, b, MAT(&Y[i], r, b), MAT(&ref, r, b),
                               cyc[i][r * ref.cols + b]);
                    if (first_i < 0) {
                        first_i = i;
                        first_r = r;
                        first_b = b;
                    }
                    bad = 1;
                    break;
                }
        bad ? fail++ : pass++;
        mat_free(&ref);
    }
    if (fail) {
        /* Rerun with a waveform so the mismatch can be looked at. */
        char *vcd;
        struct strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "%s/ternforge-mismatch-%016llx.vcd", o.work ? o.work : ".",
                (unsigned long long)dp_fingerprint(&dp));
        vcd = sb_detach(&sb);
        co.vcd = vcd;
        struct matrix *Y2 = xcalloc((size_t)js.n, sizeof *Y2);
        if (cosim_run(&dp, &js, &co, Y2, NULL, NULL) == 0)
            printf("waveform: %s (first mismatch: problem %d, y[%d][%d], result beat at "
                   "cycle %d)\n", vcd, first_i + 1, first_r, first_b,
                   cyc[first_i][first_r * js.X[first_i].cols + first_b]);
        for (int i = 0; i < js.n; i++)
            mat_free(&Y2[i]);
        free(Y2);
        free(vcd);
    } else {
        printf("sim: %ld cycles simulated in %.3f s; build %.1f s\n", st.cycles,
               st.sim_seconds, st.build_seconds);
    }
    printf("%d passed, %d failed\n", pass, fail);
    for (int i = 0; i < js.n; i++) {
        mat_free(&Y[i]);
        free(cyc[i]);
    }
    free(Y);
    free(cyc);
    free_vectors(&js, names);
    free(o.pt.sets.v);
    return fail ? 1 : 0;
}

const struct command cmd_sim = {
    "sim", run_sim, "co-simulate the RTL against the C model", opts, NULL,
    "\n"
    "Co-simulate the generated RTL against the bit-exact C model: corner\n"
    "cases (all-zero and all +1/-1 weights, extreme activations, accumulator\n"
    "wrap, 1 x 1, every key code, edge tiles) plus N random problems\n"
    "(default 20) from seed S (default 1). Every output of every problem is\n"
    "compared bit for bit; the command prints the seed and\n"
    "'N passed, N failed' (one count per problem) and exits 0 only if all\n"
    "match. On a mismatch it reruns with waveform dumping, writes a VCD and\n"
    "prints the problem, row, column, both values and the cycle.\n"
    "--rtl DIR simulates the Verilog in DIR (listed in DIR/files.f, top\n"
    "module <prefix>_top, or --top NAME) instead of generating it: an edited\n"
    "or post-processed core is checked against the same model. The top's\n"
    "header must name the design point of the parameters (its fingerprint),\n"
    "when it names one.\n",
    0, 0
};
