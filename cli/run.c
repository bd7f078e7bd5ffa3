/* run.c - `ternforge run`: Y = W X from the bit-exact C model or from the
 * generated RTL in a simulator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../model/kind.h"
#include "../sim/tools.h"
#include "npy.h"
#include "util.h"

struct run_args {
    struct point_args pt;
    const char *out, *weights, *acts, *scales, *engine, *simulator, *work;
    long stall, jobs;
    uint64_t seed;
    int verbose;
};

static const struct opt opts[] = {
    OPT_POINT(struct run_args, pt),
    { "--weights", 0, "W.txt", "the weight matrix W (M x N)", OPT_REQ, opt_str,
      offsetof(struct run_args, weights), 0, 0 },
    { "--acts", 0, "X.txt", "the activation matrix X (N x B)", OPT_REQ, opt_str,
      offsetof(struct run_args, acts), 0, 0 },
    { "--scales", 0, "S.txt", "block-scaled act_type: the scale codes, ceil(N/k) x B", 0,
      opt_str, offsetof(struct run_args, scales), 0, 0 },
    { NULL, 'o', "Y.txt", "write Y here instead of to standard output", 0, opt_str,
      offsetof(struct run_args, out), 0, 0 },
    { "--engine", 0, "model|rtl", "the C model (default) or the generated RTL", 0, opt_str,
      offsetof(struct run_args, engine), 0, 0 },
    { "--simulator", 0, "verilator|iverilog", "the simulator of --engine rtl", 0, opt_str,
      offsetof(struct run_args, simulator), 0, 0 },
    { "--seed", 0, "S", "--engine rtl: seed of the random stalls and junk (default 1)", 0,
      opt_seed, offsetof(struct run_args, seed), 0, 0 },
    { "--jobs", 0, "N", "--engine model: threads over the rows of W (1..64, default 1)", 0,
      opt_long, offsetof(struct run_args, jobs), 1, 64 },
    { "--stall", 0, "P", "--engine rtl: the streams stall on P% of cycles (0..95)", 0,
      opt_long, offsetof(struct run_args, stall), 0, 95 },
    OPT_SET(struct run_args, pt),
    { "--work", 0, "DIR", "--engine rtl: keep the simulation's files in DIR", 0, opt_str,
      offsetof(struct run_args, work), 0, 0 },
    { NULL, 'v', NULL, "report the times: of reading and of the model, or the simulation's "
      "cycles", 0, opt_flag,
      offsetof(struct run_args, verbose), 0, 0 },
    { 0 }
};

static int run_run(int argc, char **argv)
{
    struct run_args a = { .seed = 1, .jobs = 1 };
    struct design_point dp;
    struct matrix W, X, Y;
    int rc = 1;
    memset(&Y, 0, sizeof Y);
    if (opt_parse(&cmd_run, argc, argv, &a) || load_point(&a.pt, &dp, "run"))
        goto out;
    int rtl = 0;
    enum simulator sim;
    if (a.engine && strcmp(a.engine, "model") && strcmp(a.engine, "rtl")) {
        error("%s: error: option '--engine': '%s' is not one of: model, rtl", tf_progname,
              tq(a.engine));
        goto out;
    }
    rtl = a.engine && !strcmp(a.engine, "rtl");
    if (a.work && check_work_dir(a.work))
        goto out;
    /* The model reads compact matrices (an int8 file stays 1 byte per
     * value); the RTL run's stimulus code indexes int64 ones. */
    double t0 = wall_seconds();
    if (parse_sim(a.simulator, &sim) || read_inputs(&dp, a.weights, a.acts, &W, &X, 1, 1, !rtl))
        goto out;
    if (read_scales(&dp, a.scales, &X)) {
        mat_free(&W);
        mat_free(&X);
        goto out;
    }
    double t1 = wall_seconds();
    if (rtl) {
        struct job_set js = { 1, &W, &X };
        struct cosim_opts co = { sim, a.seed, (int)a.stall, a.work, a.verbose, NULL, NULL, NULL,
                                 !a.verbose && isatty(2), 0, 0 };
        struct cosim_stats st;
        if (cosim_run(&dp, &js, &co, &Y, &st, NULL)) {
            mat_free(&W);
            mat_free(&X);
            goto out;
        }
        if (a.verbose) {
            fprintf(stderr, "run: %ld cycles simulated in %.3f s (%.0f cycles/s); build %.1f s",
                    st.cycles, st.sim_seconds, st.cycles / (st.sim_seconds > 0 ? st.sim_seconds : 1e-9),
                    st.build_seconds);
            /* the share against the loop's CPU time: its wall time also
             * counts the time the loop waited for a core */
            double harness_cpu = st.loop_cpu_seconds > 0 ? st.loop_cpu_seconds : st.loop_seconds;
            if (st.loop_seconds > 0)
                fprintf(stderr, "; stimulus load %.3f s; loop %.3f s (%.0f cycles/s), of which "
                        "model %.3f s, harness %.0f %%; loop cpu %.3f s (%.0f cycles/cpu-s)",
                        st.load_seconds, st.loop_seconds, st.cycles / st.loop_seconds,
                        st.eval_seconds, 100 * (harness_cpu - st.eval_seconds) / harness_cpu,
                        st.loop_cpu_seconds,
                        st.cycles / (st.loop_cpu_seconds > 0 ? st.loop_cpu_seconds : 1e-9));
            fputc('\n', stderr);
        }
    } else {
        kind_model_fast(&dp, &W, &X, &Y, (int)a.jobs);
        if (a.verbose)
            fprintf(stderr, "run: read and checked in %.3f s; model %.3f s (%d x %d x %d, "
                    "--jobs %ld)\n", t1 - t0, wall_seconds() - t1, W.rows, W.cols, X.cols,
                    a.jobs);
    }
    rc = 0;
    if (a.out) {
        Y.dtype = npy_result_dtype(&dp);
        rc = mat_write(&Y, a.out);
    } else {
        char *s = mat_format(&Y);
        fputs(s, stdout);
        free(s);
    }
    mat_free(&W);
    mat_free(&X);
    mat_free(&Y);
out:
    free(a.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_run = {
    "run", run_run, "compute Y = W X with the C model or the RTL", opts, NULL,
    "\n"
    "Compute Y = W X (M x B) as the core does. --engine model (default) uses\n"
    "the bit-exact C model; --engine rtl generates the Verilog, compiles it\n"
    "(cached) and simulates it. Both give the same bits. Matrix files: first\n"
    "line 'ROWS COLS', then ROWS lines of COLS decimal integers, or NumPy\n"
    ".npy files; '-' reads standard input (docs/params.md). Y goes to\n"
    "standard output unless -o is given (a name ending in .npy: a .npy\n"
    "file). --stall P makes the streams stall on P% of cycles (random,\n"
    "seeded) in the RTL run. The model computes the reference model's bits\n"
    "at native speed; --jobs N splits the rows of W over N threads (the\n"
    "same bits for every N).\n",
    0, 0
};
