/* inventory.c - `ternforge inventory`: the component inventory the cost
 * model prices, checked against what the emitter wrote. */
#include <stdio.h>
#include <stdlib.h>

#include "../gen/vw.h"
#include "cli.h"
#include "../model/kind.h"
#include "util.h"

struct inventory_args {
    struct point_args pt;
};

static const struct opt opts[] = {
    OPT_POINT(struct inventory_args, pt),
    OPT_SET(struct inventory_args, pt),
    { 0 }
};

static int run_inventory(int argc, char **argv)
{
    struct inventory_args o = { 0 };
    struct design_point dp;
    if (opt_parse(&cmd_inventory, argc, argv, &o) || load_point(&o.pt, &dp, "inventory")) {
        free(o.pt.sets.v);
        return 1;
    }
    struct inventory a, c;
    inv_init(&a);
    inv_init(&c);
    struct gen_files gf;
    gf_init(&gf);
    generate(&dp, &gf, &c);
    gf_free(&gf);
    kind_get(&dp)->inventory(&dp, &a);
    if (inv_compare(&a, &c, stderr))
        BUG("analytic and emitted inventories differ");
    inv_print(&a, stdout);
    inv_free(&a);
    inv_free(&c);
    free(o.pt.sets.v);
    return 0;
}

const struct command cmd_inventory = {
    "inventory", run_inventory, "print the component inventory", opts, NULL,
    "\n"
    "Print the component inventory of the design point (adders by width,\n"
    "multiplexers by inputs and width, register bits, memories): the list\n"
    "the cost model prices. It is computed from the parameters and checked\n"
    "against a count of what the Verilog emitter writes; a disagreement is\n"
    "reported as an internal error. Floating-point adders and multipliers\n"
    "name their format and pipeline: width (bits), man (stored fraction\n"
    "bits) and lat (stages).\n",
    0, 0
};
