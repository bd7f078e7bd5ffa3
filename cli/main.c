/* main.c - the ternforge command line: a static table of commands, each
 * with its help text beside its code (git/Yosys style). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/vw.h"
#include "../model/softfloat.h"
#include "../sim/cosim.h"
#include "../sim/vectors.h"
#include "dp.h"
#include "kind.h"
#include "matrix.h"
#include "util.h"
#include "version.h"
#include "cmds.h"

/* ---- option parsing shared by the commands ---- */
struct opts {
    const char *param_file;
    const char *out, *weights, *acts, *engine, *simulator, *work, *rtl;
    char **sets;
    int nsets;
    long vectors, stall;
    uint64_t seed;
    int seed_given, verbose, keep;
};

static int need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return error("%s: error: option '%s' needs a value", tf_progname, argv[*i]);
    (*i)++;
    return 0;
}

static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return error("%s: error: option '%s': '%s' is not an integer in %ld..%ld",
                     tf_progname, opt, s, lo, hi);
    *out = v;
    return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o, const char *allowed)
{
    memset(o, 0, sizeof *o);
    o->vectors = 20;
    o->seed = 1;
    o->sets = xcalloc((size_t)argc, sizeof *o->sets);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char key[32];
        snprintf(key, sizeof key, " %s ", a);
        if (a[0] == '-' && !strstr(allowed, key))
            return error("%s: error: %s: unknown option '%s' (see 'ternforge help %s')",
                         tf_progname, argv[0], a, argv[0]);
        if (!strcmp(a, "-o")) {
            if (need_value(argc, argv, &i)) return -1;
            o->out = argv[i];
        } else if (!strcmp(a, "--set")) {
            if (need_value(argc, argv, &i)) return -1;
            o->sets[o->nsets++] = argv[i];
        } else if (!strcmp(a, "--weights")) {
            if (need_value(argc, argv, &i)) return -1;
            o->weights = argv[i];
        } else if (!strcmp(a, "--acts")) {
            if (need_value(argc, argv, &i)) return -1;
            o->acts = argv[i];
        } else if (!strcmp(a, "--engine")) {
            if (need_value(argc, argv, &i)) return -1;
            o->engine = argv[i];
        } else if (!strcmp(a, "--simulator")) {
            if (need_value(argc, argv, &i)) return -1;
            o->simulator = argv[i];
        } else if (!strcmp(a, "--rtl")) {
            if (need_value(argc, argv, &i)) return -1;
            o->rtl = argv[i];
        } else if (!strcmp(a, "--work")) {
            if (need_value(argc, argv, &i)) return -1;
            o->work = argv[i];
        } else if (!strcmp(a, "--vectors")) {
            if (need_value(argc, argv, &i) ||
                parse_long("--vectors", argv[i], 0, 100000, &o->vectors))
                return -1;
        } else if (!strcmp(a, "--stall")) {
            if (need_value(argc, argv, &i) ||
                parse_long("--stall", argv[i], 0, 95, &o->stall))
                return -1;
        } else if (!strcmp(a, "--seed")) {
            if (need_value(argc, argv, &i))
                return -1;
            char *end;
            unsigned long long v = strtoull(argv[i], &end, 10);
            if (!*argv[i] || *end || argv[i][0] == '-')
                return error("%s: error: option '--seed': '%s' is not a non-negative "
                             "integer", tf_progname, argv[i]);
            o->seed = v;
            o->seed_given = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
        } else if (a[0] == '-') {
            return error("%s: error: %s: unknown option '%s'", tf_progname, argv[0], a);
        } else if (!o->param_file) {
            o->param_file = a;
        } else {
            return error("%s: error: %s: unexpected argument '%s'", tf_progname, argv[0], a);
        }
    }
    return 0;
}

static int load_point(struct opts *o, struct design_point *dp, const char *cmd)
{
    if (!o->param_file)
        return error("%s: error: %s: missing parameter file (usage: 'ternforge help %s')",
                     tf_progname, cmd, cmd);
    return dp_load(dp, o->param_file, o->sets, o->nsets);
}

static int parse_sim(const char *s, enum simulator *sim)
{
    if (!s || !strcmp(s, "verilator"))
        *sim = SIM_VERILATOR;
    else if (!strcmp(s, "iverilog"))
        *sim = SIM_IVERILOG;
    else
        return error("%s: error: option '--simulator': '%s' is not one of: verilator, "
                     "iverilog", tf_progname, s);
    return 0;
}

/* ---- gen ---- */
static const char help_gen[] =
    "usage: ternforge gen P.xml -o DIR [--set NAME=VALUE]...\n"
    "\n"
    "Write the Verilog of the design point into DIR: tf_top.v (the top\n"
    "module, ports in docs/protocol.md), the generated and leaf modules it\n"
    "uses, and files.f (the file list, in compile order). Every file starts\n"
    "with a header naming the tool version and every parameter. The same\n"
    "inputs give byte-identical files.\n";

static int cmd_gen(int argc, char **argv)
{
    struct opts o;
    struct design_point dp;
    struct gen_files gf;
    int rc = 1;
    gf_init(&gf);
    if (parse_opts(argc, argv, &o, " -o --set ") || load_point(&o, &dp, "gen"))
        goto out;
    if (!o.out) {
        error("%s: error: gen: missing '-o DIR'", tf_progname);
        goto out;
    }
    rc = generate(&dp, &gf, NULL) || gf_write(&gf, o.out);
    if (!rc)
        printf("gen: wrote %d files to %s\n", gf.n, o.out);
out:
    gf_free(&gf);
    free(o.sets);
    return rc ? 1 : 0;
}

/* ---- pack ---- */
static const char help_pack[] =
    "usage: ternforge pack P.xml --weights W.txt -o W.hex [--set NAME=VALUE]...\n"
    "       ternforge pack P.xml --acts X.txt -o X.hex\n"
    "\n"
    "Write the stream the core consumes, one beat per line in hex (most\n"
    "significant digit first, exactly ceil(bits/4) digits). The weight\n"
    "stream of one job (one column of X) comes in the order of\n"
    "docs/protocol.md; docs/weights.md gives the keys bit for bit. With\n"
    "--acts, the activation beats of every column of X, column after column.\n";

static int conv_fp(const char *tok, size_t n, void *ctx, int64_t *out)
{
    const struct design_point *dp = ctx;
    char buf[256];
    uint32_t v;
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    if (sf_parse((enum sf_format)dp->d.act_fmt, buf, &v))
        return -1;
    *out = v;
    return 0;
}

/* FP activations: hex bit patterns (0x3c00) or decimals, rounded to
 * nearest even into act_type. */
static int read_fp_matrix(const struct design_point *dp, struct matrix *X, const char *path)
{
    char what[96];
    snprintf(what, sizeof what, "a %s value (a bit pattern like 0x3c00, or a decimal)",
             act_type_names[dp->act_type]);
    return mat_read_with(X, path, conv_fp, (void *)dp, what);
}

static int read_inputs(const struct design_point *dp, const struct opts *o,
                       struct matrix *W, struct matrix *X, int need_w, int need_x)
{
    int errs = 0;
    memset(W, 0, sizeof *W);
    memset(X, 0, sizeof *X);
    if (need_w && !o->weights)
        return error("%s: error: missing '--weights W.txt'", tf_progname);
    if (need_x && !o->acts)
        return error("%s: error: missing '--acts X.txt'", tf_progname);
    if (o->weights && mat_read(W, o->weights))
        errs++;
    if (o->acts && (dp->d.fp ? read_fp_matrix(dp, X, o->acts) : mat_read(X, o->acts)))
        errs++;
    const struct kind_ops *k = kind_get(dp);
    if (!errs && W->v && X->v && k->check_inputs(dp, W, X))
        errs++;
    if (errs || (W->v && X->v)) {
        if (errs) {
            mat_free(W);
            mat_free(X);
        }
        return errs ? -1 : 0;
    }
    /* Only one side given: check it against a neutral partner. */
    struct matrix other;
    int rc;
    if (W->v) {
        mat_init(&other, W->cols, 1);
        other.path = "(none)";
        rc = k->check_inputs(dp, W, &other);
    } else {
        mat_init(&other, 1, X->rows);
        other.path = "(none)";
        rc = k->check_inputs(dp, &other, X);
    }
    mat_free(&other);
    if (rc) {
        mat_free(W);
        mat_free(X);
    }
    return rc;
}

static int cmd_pack(int argc, char **argv)
{
    struct opts o;
    struct design_point dp;
    struct matrix W, X;
    int rc = 1;
    if (parse_opts(argc, argv, &o, " -o --set --weights --acts ") ||
        load_point(&o, &dp, "pack"))
        goto out;
    if (!o.out) {
        error("%s: error: pack: missing '-o FILE'", tf_progname);
        goto out;
    }
    if (!o.weights == !o.acts) {
        error("%s: error: pack: give exactly one of --weights and --acts", tf_progname);
        goto out;
    }
    if (read_inputs(&dp, &o, &W, &X, 0, 0))
        goto out;
    struct strbuf sb = STRBUF_INIT;
    const struct kind_ops *k = kind_get(&dp);
    if (W.v)
        k->pack_weights(&dp, &W, &sb);
    else
        for (int b = 0; b < X.cols; b++)
            k->pack_acts(&dp, &X, b, &sb);
    rc = write_file_atomic(o.out, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    mat_free(&W);
    mat_free(&X);
out:
    free(o.sets);
    return rc ? 1 : 0;
}

/* ---- run ---- */
static const char help_run[] =
    "usage: ternforge run P.xml --weights W.txt --acts X.txt [-o Y.txt]\n"
    "                     [--engine model|rtl] [--simulator verilator|iverilog]\n"
    "                     [--seed S] [--stall P] [--set NAME=VALUE]...\n"
    "\n"
    "Compute Y = W X (M x B) as the core does. --engine model (default) uses\n"
    "the bit-exact C model; --engine rtl generates the Verilog, compiles it\n"
    "(cached) and simulates it. Both give the same bits. Matrix files: first\n"
    "line 'ROWS COLS', then ROWS lines of COLS decimal integers. Y goes to\n"
    "standard output unless -o is given. --stall P makes the streams stall\n"
    "on P%% of cycles (random, seeded) in the RTL run.\n";

static int cmd_run(int argc, char **argv)
{
    struct opts o;
    struct design_point dp;
    struct matrix W, X, Y;
    int rc = 1;
    memset(&Y, 0, sizeof Y);
    if (parse_opts(argc, argv, &o,
                   " -o --set --weights --acts --engine --simulator --seed --stall --work -v ") ||
        load_point(&o, &dp, "run"))
        goto out;
    int rtl = 0;
    enum simulator sim;
    if (o.engine && strcmp(o.engine, "model") && strcmp(o.engine, "rtl")) {
        error("%s: error: option '--engine': '%s' is not one of: model, rtl", tf_progname,
              o.engine);
        goto out;
    }
    rtl = o.engine && !strcmp(o.engine, "rtl");
    if (parse_sim(o.simulator, &sim) || read_inputs(&dp, &o, &W, &X, 1, 1))
        goto out;
    if (rtl) {
        struct job_set js = { 1, &W, &X };
        struct cosim_opts co = { sim, o.seed, (int)o.stall, o.work, o.verbose, NULL, NULL };
        struct cosim_stats st;
        if (cosim_run(&dp, &js, &co, &Y, &st, NULL)) {
            mat_free(&W);
            mat_free(&X);
            goto out;
        }
        if (o.verbose)
            fprintf(stderr, "run: %ld cycles simulated in %.3f s (%.0f cycles/s); build %.1f s\n",
                    st.cycles, st.sim_seconds, st.cycles / (st.sim_seconds > 0 ? st.sim_seconds : 1e-9),
                    st.build_seconds);
    } else {
        kind_get(&dp)->model(&dp, &W, &X, &Y);
    }
    rc = 0;
    if (o.out) {
        rc = mat_write(&Y, o.out);
    } else {
        char *s = mat_format(&Y);
        fputs(s, stdout);
        free(s);
    }
    mat_free(&W);
    mat_free(&X);
    mat_free(&Y);
out:
    free(o.sets);
    return rc ? 1 : 0;
}

/* ---- sim ---- */
static const char help_sim[] =
    "usage: ternforge sim P.xml [--vectors N] [--seed S] [--stall P]\n"
    "                     [--simulator verilator|iverilog] [--work DIR] [-v]\n"
    "                     [--rtl DIR] [--set NAME=VALUE]...\n"
    "\n"
    "Co-simulate the generated RTL against the bit-exact C model: corner\n"
    "cases (all-zero and all +1/-1 weights, extreme activations, accumulator\n"
    "wrap, 1 x 1, every key code, edge tiles) plus N random problems\n"
    "(default 20) from seed S (default 1). Every output of every problem is\n"
    "compared bit for bit; the command prints the seed and\n"
    "'N passed, N failed' (one count per problem) and exits 0 only if all\n"
    "match. On a mismatch it reruns with waveform dumping, writes a VCD and\n"
    "prints the problem, row, column, both values and the cycle.\n"
    "--rtl DIR simulates the Verilog in DIR (listed in DIR/files.f, top\n"
    "module tf_top) instead of generating it: an edited or post-processed\n"
    "core is checked against the same model.\n";

static int cmd_sim(int argc, char **argv)
{
    struct opts o;
    struct design_point dp;
    enum simulator sim;
    if (parse_opts(argc, argv, &o,
                   " --set --vectors --seed --simulator --stall --work --rtl -v --verbose ") ||
        load_point(&o, &dp, "sim") || parse_sim(o.simulator, &sim)) {
        free(o.sets);
        return 1;
    }
    struct job_set js;
    char **names;
    make_vectors(&dp, (int)o.vectors, o.seed, &js, &names);
    printf("sim: %s, %s, seed %" PRIu64 ", %d problems, stall %ld%%\n", o.param_file,
           sim == SIM_VERILATOR ? "verilator" : "iverilog", o.seed, js.n, o.stall);
    fflush(stdout);
    struct matrix *Y = xcalloc((size_t)js.n, sizeof *Y);
    int **cyc = xcalloc((size_t)js.n, sizeof *cyc);
    struct cosim_opts co = { sim, o.seed, (int)o.stall, o.work, o.verbose, NULL, o.rtl };
    struct cosim_stats st;
    if (cosim_run(&dp, &js, &co, Y, &st, cyc)) {
        printf("0 passed, %d failed\n", js.n);
        free(Y);
        free(cyc);
        free_vectors(&js, names);
        free(o.sets);
        return 1;
    }
    int pass = 0, fail = 0, shown = 0;
    int first_i = -1, first_r = 0, first_b = 0;
    for (int i = 0; i < js.n; i++) {
        struct matrix ref;
        kind_get(&dp)->model(&dp, &js.W[i], &js.X[i], &ref);
        int bad = 0;
        for (int r = 0; r < ref.rows && !bad; r++)
            for (int b = 0; b < ref.cols; b++)
                if (MAT(&ref, r, b) != MAT(&Y[i], r, b)) {
                    if (shown++ < 5)
                        printf(dp.d.fp ? "MISMATCH problem %d (%s): y[%d][%d]: rtl 0x%" PRIx64
                                         ", model 0x%" PRIx64 " (result beat at cycle %d)\n"
                                       : "MISMATCH problem %d (%s): y[%d][%d]: rtl %" PRId64
                                         ", model %" PRId64 " (result beat at cycle %d)\n",
                               i + 1, names[i], r, b, MAT(&Y[i], r, b), MAT(&ref, r, b),
                               cyc[i][r * ref.cols + b]);
                    if (first_i < 0) {
                        first_i = i;
                        first_r = r;
                        first_b = b;
                    }
                    bad = 1;
                    break;
                }
        bad ? fail++ : pass++;
        mat_free(&ref);
    }
    if (fail) {
        /* Rerun with a waveform so the mismatch can be looked at. */
        char *vcd;
        struct strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "%s/ternforge-mismatch-%016llx.vcd", o.work ? o.work : ".",
                (unsigned long long)dp_fingerprint(&dp));
        vcd = sb_detach(&sb);
        co.vcd = vcd;
        struct matrix *Y2 = xcalloc((size_t)js.n, sizeof *Y2);
        if (cosim_run(&dp, &js, &co, Y2, NULL, NULL) == 0)
            printf("waveform: %s (first mismatch: problem %d, y[%d][%d], result beat at "
                   "cycle %d)\n", vcd, first_i + 1, first_r, first_b,
                   cyc[first_i][first_r * js.X[first_i].cols + first_b]);
        for (int i = 0; i < js.n; i++)
            mat_free(&Y2[i]);
        free(Y2);
        free(vcd);
    } else {
        printf("sim: %ld cycles simulated in %.3f s; build %.1f s\n", st.cycles,
               st.sim_seconds, st.build_seconds);
    }
    printf("%d passed, %d failed\n", pass, fail);
    for (int i = 0; i < js.n; i++) {
        mat_free(&Y[i]);
        free(cyc[i]);
    }
    free(Y);
    free(cyc);
    free_vectors(&js, names);
    free(o.sets);
    return fail ? 1 : 0;
}

/* ---- params ---- */
static const char help_params[] =
    "usage: ternforge params\n"
    "\n"
    "List every parameter: name, default, range or values, the core kinds it\n"
    "applies to, and its meaning. The same names are XML attributes of\n"
    "<core>, --set names and report columns.\n";

static int cmd_params(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
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
    return 0;
}

/* ---- inventory ---- */
static const char help_inventory[] =
    "usage: ternforge inventory P.xml [--set NAME=VALUE]...\n"
    "\n"
    "Print the component inventory of the design point (adders by width,\n"
    "multiplexers by inputs and width, register bits, memories): the list\n"
    "the cost model prices. It is computed from the parameters and checked\n"
    "against a count of what the Verilog emitter writes; a disagreement is\n"
    "reported as an internal error. Floating-point adders and multipliers\n"
    "name their format and pipeline: width (bits), man (stored fraction\n"
    "bits) and lat (stages).\n";

static int cmd_inventory(int argc, char **argv)
{
    struct opts o;
    struct design_point dp;
    if (parse_opts(argc, argv, &o, " --set ") || load_point(&o, &dp, "inventory")) {
        free(o.sets);
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
    free(o.sets);
    return 0;
}

/* ---- the command table ---- */
static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
    const char *summary;
} commands[] = {
    { "gen", cmd_gen, help_gen, "generate the Verilog of a design point" },
    { "pack", cmd_pack, help_pack, "pack weights (or activations) into the core's stream" },
    { "run", cmd_run, help_run, "compute Y = W X with the C model or the RTL" },
    { "sim", cmd_sim, help_sim, "co-simulate the RTL against the C model" },
    { "quantize", cmd_quantize, help_quantize, "decimal reals <-> fixed-point codes" },
    { "params", cmd_params, help_params, "list every parameter" },
    { "inventory", cmd_inventory, help_inventory, "print the component inventory" },
    { "cost", cmd_cost, help_cost, "price a design point: area, timing, energy, cycles" },
    { "synth", cmd_synth, help_synth, "run the real synthesis flow; measured vs modelled" },
    { "calibrate", cmd_calibrate, help_calibrate, "fit a technology's unit costs to synthesis" },
    { "validate", cmd_validate, help_validate, "model error on held-out synthesized points" },
    { "sweep", cmd_sweep, help_sweep, "explore a design space: Pareto front, report, plots" },
    { "merge", cmd_merge, help_merge, "join the outputs of sharded sweeps" },
    { "help", cmd_help, NULL, "show help for a command" },
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: ternforge [--version] [--help] COMMAND [ARGS]\n\n"
                 "ternforge %s generates and verifies low-precision accelerator cores.\n\n"
                 "Commands:\n", TF_VERSION);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'ternforge help COMMAND' shows a command's options. Documentation:\n"
                 "README.md and docs/.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    for (int i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, argv[1]) && commands[i].help) {
            fputs(commands[i].help, stdout);
            return 0;
        }
    return error("%s: error: help: no command '%s'", tf_progname, argv[1]), 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("ternforge %s\n", TF_VERSION);
        return 0;
    }
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, argv[1]))
            continue;
        if (commands[i].help && argc > 2 &&
            (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            fputs(commands[i].help, stdout);
            return 0;
        }
        return commands[i].fn(argc - 1, argv + 1);
    }
    error("%s: error: '%s' is not a command (see 'ternforge --help')", tf_progname, argv[1]);
    return 1;
}
