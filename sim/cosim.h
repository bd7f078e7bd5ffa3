/* cosim.h - running the generated RTL: stimulus files, compiling with
 * Verilator or iverilog (cached by design content), running the harness
 * and reading results back. Used by `run --engine rtl` and `sim`. */
#ifndef TF_COSIM_H
#define TF_COSIM_H

#include <stdint.h>

#include "../gen/vw.h"
#include "dp.h"
#include "matrix.h"
#include "tools.h"

enum simulator { SIM_VERILATOR, SIM_IVERILOG };
enum { COSIM_INPUT = -1, COSIM_TOOL = -2 };

struct job_set {
    int n;                 /* problems */
    struct matrix *W, *X;  /* problem i: W[i] (M x N), X[i] (N x B) */
};

struct cosim_opts {
    enum simulator sim;
    uint64_t seed;         /* the harness's random stalls, the junk */
    int stall;             /* percent of cycles a stream stalls */
    const char *work;      /* keep files here (NULL: a temporary directory) */
    int verbose;
    const char *vcd;       /* dump a waveform of the run here (NULL: none) */
    const char *rtl_dir;   /* simulate this RTL (files.f inside) instead of
                              generating it; NULL: generate */
    const char *top;       /* the top module of rtl_dir; NULL: <prefix>_top */
    int progress;          /* a progress line on stderr during the build and
                              the run (the caller checks for a terminal) */
    int vcd_dut;           /* iverilog: the waveform holds the top's own nets
                              only, not the harness or the cells inside */
    int zeros;             /* don't-care stream fields are zero, as `pack`
                              writes them; 0 (the default): junk drawn from
                              `seed`, so a core that reads them fails */
};

struct cosim_stats {
    long cycles;        /* simulated clock cycles */
    double sim_seconds; /* wall time of the simulation run alone */
    double build_seconds; /* wall time to compile (0 on a cache hit) */
    /* Verilator only (0 otherwise): the harness's parsing of the stimulus
     * before the clock starts, its clock loop, and the model's evals in
     * that loop (sampled); loop - eval is the harness's share. */
    double load_seconds, loop_seconds, eval_seconds;
    double loop_cpu_seconds; /* the loop's CPU time (robust on a busy machine) */
    char why[400];      /* a run that did not complete because the core
                           stopped: the error message (else "") */
};

/* One simulator build: its input files, the exact command that compiles
 * them (run in the build directory, so it names no absolute path), the
 * tool's version, and the cache key hashed from all three. The command in
 * `argv` is the one that runs: nothing else describes the build. */
struct sim_plan {
    enum simulator sim;
    struct gen_files files; /* the RTL, files.f and the harness */
    struct args argv;
    const char *tool_version; /* first line of `verilator --version`, ... */
    const char *exe;          /* what the build leaves in its directory */
    uint64_t key;
};

/* Plan the build of dp's RTL (or of the RTL in rtl_dir, when not NULL, with
 * top module `top`, NULL for dp's <prefix>_top) for `sim`, with waveform
 * tracing compiled in when `trace`. The RTL in rtl_dir must declare the top
 * and, if its header names a design point, be dp's. 0, or -1 with an
 * error printed. */
int sim_plan_init(struct sim_plan *p, const struct design_point *dp, enum simulator sim,
                  int trace, const char *rtl_dir, const char *top);
/* The cache key of p's files, argv and tool version (sets nothing). */
uint64_t sim_plan_key(const struct sim_plan *p);
void sim_plan_free(struct sim_plan *p);

/* 0, or -1 with an error printed when the environment names a simulator
 * setting that cannot be used ($TERNFORGE_CXX for Verilator): for a
 * command to check before it prints anything. */
int cosim_check_env(enum simulator sim);
/* `sim --rtl DIR`: read and check DIR's files.f and the files it lists
 * (as a run will) before anything is printed: 0, or -1 with a message. */
int cosim_rtl_check(const struct design_point *dp, const char *rtl_dir, const char *top);

/* Simulate all problems; Y[i] gets each result (allocated). Returns 0,
 * COSIM_INPUT (-1) when the design could not be planned (its RTL cannot
 * be generated or read: nothing was run), or COSIM_TOOL (-2) when the
 * simulator failed to build it or the run did not complete (the core
 * stopped: no last result within a cycle bound made from the cost model's
 * cycle count; a crash; malformed results); an error is printed.
 * beat_cycle[i][r*B + b] (if not NULL) receives the cycle at which output
 * (r, b) of problem i left the core. */
int cosim_run(const struct design_point *dp, const struct job_set *js,
              const struct cosim_opts *o, struct matrix *Y, struct cosim_stats *st,
              int **beat_cycle);

#endif
