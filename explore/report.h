/* report.h - the outputs of a finished sweep (report.c): pareto.csv,
 * pareto.json, report.md and the gnuplot plots (*.svg, *.png), all written
 * from a result, so an unsharded run and a merge of shards write the same
 * bytes. */
#ifndef TF_REPORT_H
#define TF_REPORT_H

#include "run.h"

/* --synthesize-top: the model's figure and the measured one for the best
 * front points by the first objective. */
struct synth_check {
    int n;
    uint64_t *idx;
    double *model, *meas;   /* the first objective's figure (area or LUTs) */
    int *ok;                /* synthesis succeeded */
    int *hier;              /* measured with the hierarchy kept (synth_auto_hier) */
    const char *what;       /* figure name */
};

struct report_opts {
    int plots;              /* render plots with gnuplot */
    int jobs;
    const struct synth_check *synth; /* NULL: none */
};

/* The best `k` front points by the first objective (ties: lower index). */
int report_top(const struct sweep *s, const struct result *r, int k, uint64_t *idx);

/* Write everything but points.csv into dir. Returns 0 or -1. */
int report_write(const struct sweep *s, const struct result *r, const char *dir,
                 const struct report_opts *o);

#endif
