/* cosim.h - running the generated RTL: stimulus files, compiling with
 * Verilator or iverilog (cached by design content), running the harness
 * and reading results back. Used by `run --engine rtl` and `sim`. */
#ifndef TF_COSIM_H
#define TF_COSIM_H

#include <stdint.h>

#include "dp.h"
#include "matrix.h"

enum simulator { SIM_VERILATOR, SIM_IVERILOG };

struct job_set {
    int n;                 /* problems */
    struct matrix *W, *X;  /* problem i: W[i] (M x N), X[i] (N x B) */
};

struct cosim_opts {
    enum simulator sim;
    uint64_t seed;         /* for the harness's random stalls */
    int stall;             /* percent of cycles a stream stalls */
    const char *work;      /* keep files here (NULL: a temporary directory) */
    int verbose;
    const char *vcd;       /* dump a waveform of the run here (NULL: none) */
    const char *rtl_dir;   /* simulate this RTL (files.f inside) instead of
                              generating it; NULL: generate */
};

struct cosim_stats {
    long cycles;        /* simulated clock cycles */
    double sim_seconds; /* wall time of the simulation run alone */
    double build_seconds; /* wall time to compile (0 on a cache hit) */
};

/* Simulate all problems; Y[i] gets each result (allocated). Returns 0, or
 * -1 with an error printed. beat_cycle[i][r*B + b] (if not NULL) receives
 * the cycle at which output (r, b) of problem i left the core. */
int cosim_run(const struct design_point *dp, const struct job_set *js,
              const struct cosim_opts *o, struct matrix *Y, struct cosim_stats *st,
              int **beat_cycle);

#endif
