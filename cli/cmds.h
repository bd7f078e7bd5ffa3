/* cmds.h - commands that live outside cli/main.c, for its command table. */
#ifndef TF_CMDS_H
#define TF_CMDS_H

#include <stdio.h>

struct design_point;
struct tech;
struct workload;
struct cost;

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

/* Print a priced point as text, json or csv (cli/cost.c). */
void cost_print(FILE *out, const struct design_point *dp, const struct tech *t,
                const struct workload *wl, const struct cost *c, const char *format);

#endif
