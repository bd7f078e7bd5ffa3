/* test_points.h - setting design-point parameters by name in the unit
 * tests that build random points (test_inventory.c, test_cost.c): through
 * dp_set, as a parameter file would, so every range check applies. A
 * value the test chose badly is a bug in the test: exit status 2. */
#ifndef TF_TEST_POINTS_H
#define TF_TEST_POINTS_H

#include <stdio.h>
#include <stdlib.h>

#include "dp.h"

static inline void set(struct design_point *dp, const char *name, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    if (dp_set(dp, name, buf, "test", "test"))
        exit(2);
}

static inline void set_str(struct design_point *dp, const char *name, const char *v)
{
    if (dp_set(dp, name, v, "test", "test"))
        exit(2);
}

#endif
