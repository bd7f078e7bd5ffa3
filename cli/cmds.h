/* cmds.h - commands that live outside cli/main.c, for its command table. */
#ifndef TF_CMDS_H
#define TF_CMDS_H

#include <stdio.h>

#include "../model/cost.h"
#include "../sim/sched.h"
#include "../sim/synth.h"

int cmd_quantize(int argc, char **argv);
extern const char help_quantize[];
int cmd_cost(int argc, char **argv);
extern const char help_cost[];
int cmd_synth(int argc, char **argv);
extern const char help_synth[];
int cmd_calibrate(int argc, char **argv);
extern const char help_calibrate[];
int cmd_validate(int argc, char **argv);
extern const char help_validate[];
int cmd_sweep(int argc, char **argv);
extern const char help_sweep[];
int cmd_merge(int argc, char **argv);
extern const char help_merge[];

/* Options of the cost-model commands (cost, synth, calibrate, validate);
 * each command passes the options it allows. */
struct copts {
    const char *param_file, *tech, *format, *out, *points, *work, *plot;
    char **sets;
    int nsets, jobs, no_cache, verbose;
    long M, N, B;
    double bw, clock_ns, fail_above;
    /* --scheduler, --hosts, --sbatch-args and --jobs (sim/sched.h) */
    struct sched_opts sched;
};
/* `allowed`: " --opt --opt " (with spaces around each). o->tech stays
 * NULL unless given. Returns 0 or prints an error and returns -1; free
 * o->sets afterwards either way. */
int copts_parse(int argc, char **argv, struct copts *o, const char *allowed);

/* The synthesis flow of a technology at clock_ns (0: the file's clock). */
void flow_of(const struct tech *t, double clock_ns, struct synth_flow *f);
/* What the flow measured for metric m (energy: power x clock = pJ/cycle). */
double measured(const struct synth_result *r, enum metric m, double clock_ns);
/* The metrics a technology reports, in print order (ASIC: area; FPGA:
 * luts, ffs, carry, dsps). Returns how many. */
int tech_metrics(const struct tech *t, enum metric *m);
/* (model - measured) / measured in percent. */
double err_pct(double model, double meas);

/* Print a priced point as text, json or csv (cli/cost.c). */
void cost_print(FILE *out, const struct design_point *dp, const struct tech *t,
                const struct workload *wl, const struct cost *c, const char *format);

#endif
