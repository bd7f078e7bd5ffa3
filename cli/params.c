/* params.c - `ternforge params`: every parameter of common/params.def with
 * its default, range, kinds and meaning. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../model/kind.h"
#include "util.h"

static const struct opt opts[] = { { 0 } };

static int run_params(int argc, char **argv)
{
    /* Takes no arguments: anything but a lone "--" is refused as such. */
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--")))
        return error("%s: error: params: takes no arguments", tf_progname), 1;
    printf("%-12s %-8s %-18s %-6s %s\n", "name", "default", "range", "kinds", "meaning");
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        char def[32], range[64] = "", kinds[64] = "";
        if (p->type == PT_ENUM) {
            snprintf(def, sizeof def, "%s", p->names[p->def]);
            for (int k = 0; p->names[k]; k++)
                snprintf(range + strlen(range), sizeof range - strlen(range), "%s%s",
                         k ? "|" : "", p->names[k]);
        } else if (p->type == PT_STR) {
            snprintf(def, sizeof def, "%s", p->sdef);
            snprintf(range, sizeof range, "identifier");
        } else {
            snprintf(def, sizeof def, "%ld", p->def);
            snprintf(range, sizeof range, "%ld..%ld", p->min, p->max);
        }
        for (int k = 0; k < KIND__COUNT; k++)
            if (p->kinds & KIND_BIT(k))
                snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%s",
                         kinds[0] ? "," : "", kind_names[k]);
        printf("%-12s %-8s %-18s %-6s %s\n", p->name, def, range, kinds, p->help);
    }
    /* Not in the table: a constraint, outside the fingerprint (dp.h). */
    char all[64] = "";
    for (int k = 0; k < KIND__COUNT; k++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", k ? "," : "", kind_names[k]);
    printf("%-12s %-8s %-18s %-6s %s\n", "clock_ns", "none", "(0,1e6] ns", all,
           "target clock period in ns: the SDC of gen, the clock of synth and cost (default: "
           "the technology's); not part of the RTL or its fingerprint");
    return 0;
}

const struct command cmd_params = {
    "params", run_params, "list every parameter", opts, NULL,
    "\n"
    "List every parameter: name, default, range or values, the core kinds it\n"
    "applies to, and its meaning. The same names are XML attributes of\n"
    "<core>, --set names and report columns.\n",
    0, 0
};
