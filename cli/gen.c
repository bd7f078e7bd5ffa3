/* gen.c - `ternforge gen`: the Verilog of a design point, with its file
 * list. */
#include <stdio.h>
#include <stdlib.h>

#include "../gen/vw.h"
#include "../sim/integ.h"
#include "cli.h"
#include "util.h"

struct gen_args {
    struct point_args pt;
    const char *out;
};

static const struct opt opts[] = {
    OPT_POINT(struct gen_args, pt),
    { NULL, 'o', "DIR", "write the files into DIR", OPT_REQ, opt_str,
      offsetof(struct gen_args, out), 0, 0 },
    OPT_SET(struct gen_args, pt),
    { 0 }
};

static int run_gen(int argc, char **argv)
{
    struct gen_args a = { 0 };
    struct design_point dp;
    struct gen_files gf;
    int rc = 1;
    gf_init(&gf);
    if (opt_parse(&cmd_gen, argc, argv, &a) || load_point(&a.pt, &dp, "gen"))
        goto out;
    if (!a.out) {
        error("%s: error: gen: missing '-o DIR'", tf_progname);
        goto out;
    }
    /* The default technology: synth.ys is its flow, the SDC its clock
     * unless the point gives clock_ns. */
    struct tech t;
    if (tech_load(&t, tech_builtin_names[0]))
        goto out;
    rc = generate(&dp, &gf, NULL);
    if (!rc) {
        integ_files(&dp, &t, &gf);
        rc = gf_publish(&gf, a.out);
    }
    tech_free(&t);
    if (!rc)
        printf("gen: wrote %d files to %s\n", gf.n, a.out);
out:
    gf_free(&gf);
    free(a.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_gen = {
    "gen", run_gen, "generate the Verilog of a design point", opts, NULL,
    "\n"
    "Write the Verilog of the design point into DIR: tf_top.v (the top\n"
    "module, ports in docs/protocol.md), the generated and leaf modules it\n"
    "uses, files.f (the file list, in compile order) and memories.json (the\n"
    "SRAM macros of mem_style=sram, for a memory compiler). Every Verilog file\n"
    "starts with a header naming the tool version and every parameter.\n"
    "Beside them, the integration files (docs/integration.md): manifest.json\n"
    "(ports, streams, latency, parameters, files), <prefix>.sdc (clock:\n"
    "clock_ns or the osu018 clock), <prefix>.core (FuseSoC), <prefix>_params.h\n"
    "(C header), <prefix>_inst.vh (instantiation template), synth.ys (the Yosys script of 'synth'),\n"
    "params.xml (every parameter explicit: 'gen params.xml' gives the same\n"
    "files) and files_env.f (a file list for any working directory). The same\n"
    "inputs give byte-identical files. DIR is built beside its final place and\n"
    "replaced as a whole (no file of an earlier design stays); an existing DIR\n"
    "holding anything but these files, tf_* files and <prefix>_* files is\n"
    "refused (docs/security.md). Every module and file is named <prefix>_...\n"
    "or <prefix>.* (parameter prefix, default tf), so cores with different\n"
    "prefixes go into one design.\n",
    0, 0
};
