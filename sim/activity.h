/* activity.h - power from simulated switching activity: the mapped ASIC
 * netlist simulated at gate level on seeded, documented stimulus, the
 * toggles of every net counted from the waveform, and OpenSTA's
 * report_power with those per-net activities (docs/cost-model.md,
 * "Power from switching activity"). Results are cached like synthesis
 * results. */
#ifndef TF_ACTIVITY_H
#define TF_ACTIVITY_H

#include <stdint.h>

#include "cosim.h"
#include "synth.h"

/* How activations are drawn (docs/cost-model.md has the exact rules). */
enum act_dist {
    ACT_GAUSS,   /* integers: N(0, (amax/4)^2) rounded and clipped; FP: N(0, 1) rounded */
    ACT_UNIFORM, /* integers: uniform over the format; FP: uniform in [-1, 1] rounded */
};
extern const char *const act_dist_names[]; /* "gauss", "uniform" */

struct activity_opts {
    uint64_t seed;      /* of the weights and activations */
    double zeros;       /* fraction of zero weights, 0..1 */
    enum act_dist dist;
    long cycles;        /* at least this many cycles of work (whole jobs) */
};
#define ACTIVITY_OPTS_INIT { 1, 1.0 / 3.0, ACT_GAUSS, 2000 }
/* The zero fraction's and cycle count's limits (checked by the callers). */
#define ACTIVITY_MIN_CYCLES 10
#define ACTIVITY_MAX_CYCLES 1000000

struct activity_result {
    int ok, cached;
    double seconds;            /* wall time of synthesis + simulation + OpenSTA */
    double sim_seconds;        /* of the gate-level simulation alone */
    long jobs, M, N;           /* GEMV jobs of M x N weights */
    long macs;                 /* M x N per job, zero weights included */
    long cycles;               /* clock cycles counted (reset excluded) */
    long nets, nets_set;       /* nets OpenSTA knows; nets given a count */
    double mean_activity;      /* toggles per cycle, averaged over the counted nets */
    double power_mw, power_internal_mw, power_switching_mw, power_leakage_mw;
};

/* The stimulus: jobs of M x N (max_rows and max_cols, at most 64) x 1
 * until the cost model's cycle count reaches ao->cycles; fresh weights
 * and activations per job from ao->seed. */
void activity_stimulus(const struct design_point *dp, const struct activity_opts *ao,
                       struct job_set *js);
void activity_stimulus_free(struct job_set *js);

/* Synthesize dp (FLOW_ASIC only), simulate the netlist on the stimulus
 * with iverilog (its outputs must equal the C model's), count toggles,
 * and run OpenSTA with them. 0, or -1 with an error printed. *syn gets
 * the synthesis result (global-activity power) when the flow ran. */
int activity_run(const struct design_point *dp, const struct synth_flow *f,
                 const struct synth_opts *so, const struct activity_opts *ao,
                 struct activity_result *ar, struct synth_result *syn);

/* ---- toggle counting --------------------------------------------------- */

struct vcd_net {
    char *name;    /* "n", or "v[3]" for bit 3 of vector v */
    long toggles;  /* 0 <-> 1 changes inside the window (x and z are no value) */
    double high;   /* time at 1 inside the window */
};
struct vcd_counts {
    int n;
    struct vcd_net *net;
    long cycles;       /* rising edges of the clock inside the window */
    double t0, t1;     /* the window: reset's fall to the last time stamp */
};

/* Count the toggles of every variable declared directly in `scope` (a
 * dotted path, "tf_tb.dut") of a VCD file. A variable's value is the last
 * one at each time stamp (changes within one time stamp are not
 * toggles). The window opens when `reset` (a 1-bit variable of the scope)
 * falls to 0 and closes at the last time stamp; `clock`'s rising edges
 * inside it are the cycles. 0, or -1 with a "path:line: error:" message. */
int vcd_count(const char *path, const char *scope, const char *clock, const char *reset,
              struct vcd_counts *c);
void vcd_counts_free(struct vcd_counts *c);

#endif
