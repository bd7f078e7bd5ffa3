/* pareto.h - an exact Pareto archive (pareto.c): the non-dominated subset
 * of every point added, all objectives minimised. Points with equal
 * objective vectors do not dominate each other: both stay. */
#ifndef TF_PARETO_H
#define TF_PARETO_H

#include <stddef.h>
#include <stdint.h>

#define FRONT_MAX_K 8

struct front {
    int k;          /* objectives */
    size_t n, alloc;
    uint64_t *idx;  /* point indices */
    double *obj;    /* n x k objective values */
};

void front_init(struct front *f, int k);
void front_free(struct front *f);
/* Add a point; returns 1 if it joined the front (dropping the members it
 * dominates), 0 if a member dominates it. */
int front_add(struct front *f, uint64_t index, const double *obj);
void front_merge(struct front *dst, const struct front *src);
/* Order the members by index (the order of every output). */
void front_sort(struct front *f);
/* After front_sort: is `index` a member? */
int front_has(const struct front *f, uint64_t index);

#endif
