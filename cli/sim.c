/* sim.c - `ternforge sim`: co-simulation of the generated RTL against the
 * bit-exact C model, on corner cases and seeded random problems, with the
 * verdict also as JUnit XML and JSON for CI (docs/ci.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/vectors.h"
#include "cli.h"
#include "../model/kind.h"
#include "output.h"
#include "util.h"
#include "version.h"

/* The exit codes (docs/ci.md): a CI job tells a wrong core from a broken
 * tool set-up by them. Bad input exits 1 too, before anything is run. */
enum { EXIT_PASS = 0, EXIT_MISMATCH = 1, EXIT_TOOL = 3 };

struct sim_args {
    struct point_args pt;
    const char *simulator, *work, *rtl, *top, *junit, *json;
    long vectors, stall;
    uint64_t seed;
    int verbose, zeros;
};

static const struct opt opts[] = {
    OPT_POINT(struct sim_args, pt),
    { "--vectors", 0, "N", "random problems after the corner cases (0..100000, default 20)",
      0, opt_long, offsetof(struct sim_args, vectors), 0, 100000 },
    { "--seed", 0, "S", "seed of the random problems, stalls and junk (default 1)", 0,
      opt_seed, offsetof(struct sim_args, seed), 0, 0 },
    { "--zeros", 0, NULL, "zeros in the streams' don't-care fields, as pack writes (default: "
      "junk)", 0, opt_flag, offsetof(struct sim_args, zeros), 0, 0 },
    { "--stall", 0, "P", "the streams stall on P% of cycles (0..95)", 0, opt_long,
      offsetof(struct sim_args, stall), 0, 95 },
    { "--simulator", 0, "verilator|iverilog", "the simulator (default verilator)", 0,
      opt_str, offsetof(struct sim_args, simulator), 0, 0 },
    { "--work", 0, "DIR", "keep the simulation's files (and a mismatch's VCD) in DIR", 0,
      opt_str, offsetof(struct sim_args, work), 0, 0 },
    { "--verbose", 'v', NULL, "print the simulator's build and run commands", 0, opt_flag,
      offsetof(struct sim_args, verbose), 0, 0 },
    { "--rtl", 0, "DIR", "simulate the Verilog in DIR (DIR/files.f) instead of generating it",
      0, opt_str, offsetof(struct sim_args, rtl), 0, 0 },
    { "--top", 0, "NAME", "--rtl: the top module (default <prefix>_top of the parameters)", 0,
      opt_str, offsetof(struct sim_args, top), 0, 0 },
    { "--junit", 0, "FILE", "also write the verdict as JUnit XML (one test case per problem)",
      0, opt_str, offsetof(struct sim_args, junit), 0, 0 },
    { "--json", 0, "FILE", "also write the verdict as JSON", 0, opt_str,
      offsetof(struct sim_args, json), 0, 0 },
    OPT_SET(struct sim_args, pt),
    { 0 }
};

/* One problem's verdict: its first mismatching output (if any). */
struct verdict {
    int bad;       /* outputs that differ */
    int r, b, cycle;
    int64_t rtl, model;
};

/* The whole run, as the reports see it. */
struct outcome {
    const struct sim_args *o;
    const struct design_point *dp;
    const char *simulator;
    int n;                 /* problems */
    char **names;
    struct verdict *v;     /* NULL: the simulator failed (status "error") */
    int pass, fail;
    long cycles;
    const char *waveform;  /* NULL: none written */
    const char *why;       /* status "error" because the core stopped: why */
};

/* A value as the text report prints it: decimal, or the bits in hex for FP. */
static void value_str(const struct design_point *dp, int64_t x, char *buf, size_t n)
{
    snprintf(buf, n, dp->d.fp ? "0x%" PRIx64 : "%" PRId64, x);
}

static void mismatch_str(const struct outcome *oc, const struct verdict *v, struct strbuf *sb)
{
    char a[32], m[32];
    value_str(oc->dp, v->rtl, a, sizeof a);
    value_str(oc->dp, v->model, m, sizeof m);
    sb_addf(sb, "y[%d][%d]: rtl %s, model %s (result beat at cycle %d); %d output%s differ%s",
            v->r, v->b, a, m, v->cycle, v->bad, v->bad == 1 ? "" : "s", v->bad == 1 ? "s" : "");
}

/* Text into an XML attribute or element, or a JSON string body. Bytes the
 * formats cannot carry safely (control characters, anything not ASCII,
 * which need not be UTF-8 in a file name) become '?'. */
static void escaped(struct strbuf *sb, const char *s, int json)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f)
            sb_adds(sb, "?");
        else if (json && (c == '"' || c == '\\'))
            sb_addf(sb, "\\%c", c);
        else if (!json && strchr("&<>\"'", c))
            sb_adds(sb, c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                                 : c == '"' ? "&quot;" : "&apos;");
        else
            sb_add(sb, s, 1);
    }
}

static void xml_attr(struct strbuf *sb, const char *name, const char *val)
{
    sb_addf(sb, " %s=\"", name);
    escaped(sb, val, 0);
    sb_adds(sb, "\"");
}

/* The suite's name: the parameter file, the overrides and the simulator,
 * so the suites of several cores in one CI run stay apart. */
static void suite_name(const struct outcome *oc, struct strbuf *sb)
{
    sb_addf(sb, "%s", oc->o->pt.file);
    for (int i = 0; i < oc->o->pt.sets.n; i++)
        sb_addf(sb, " %s", oc->o->pt.sets.v[i]);
    sb_addf(sb, " (%s)", oc->simulator);
}

static void write_junit(const struct outcome *oc, struct strbuf *sb)
{
    struct strbuf name = STRBUF_INIT, cls = STRBUF_INIT, t = STRBUF_INIT;
    suite_name(oc, &name);
    /* Jenkins and GitLab read the dots of a classname as packages */
    sb_adds(&cls, name.buf);
    for (char *c = cls.buf; *c; c++)
        if (*c == '.')
            *c = '_';
    /* a run that did not complete is one test case, an error, no failure */
    int tests = oc->v ? oc->n : 1, errors = !oc->v, failures = oc->v ? oc->fail : 0;
    char head[128];
    snprintf(head, sizeof head, " tests=\"%d\" failures=\"%d\" errors=\"%d\"", tests,
             failures, errors);
    sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    xml_attr(sb, "name", "ternforge sim");
    sb_addf(sb, "%s>\n  <testsuite", head);
    xml_attr(sb, "name", name.buf);
    sb_addf(sb, "%s skipped=\"0\">\n    <properties>\n", head);
    char fp[17], num[32];
    snprintf(fp, sizeof fp, "%016" PRIx64, dp_fingerprint(oc->dp));
    const char *props[][2] = {
        { "params", oc->o->pt.file }, { "fingerprint", fp }, { "simulator", oc->simulator },
        { "ternforge", TF_VERSION }, { "rtl", oc->o->rtl ? oc->o->rtl : "generated" },
    };
    for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
        sb_adds(sb, "      <property");
        xml_attr(sb, "name", props[i][0]);
        xml_attr(sb, "value", props[i][1]);
        sb_adds(sb, "/>\n");
    }
    snprintf(num, sizeof num, "%" PRIu64, oc->o->seed);
    sb_addf(sb, "      <property name=\"seed\" value=\"%s\"/>\n", num);
    sb_addf(sb, "      <property name=\"stall\" value=\"%ld\"/>\n", oc->o->stall);
    if (oc->v)
        sb_addf(sb, "      <property name=\"cycles\" value=\"%ld\"/>\n", oc->cycles);
    sb_adds(sb, "    </properties>\n");
    if (!oc->v) {
        sb_adds(sb, "    <testcase");
        xml_attr(sb, "classname", cls.buf);
        sb_adds(sb, " name=\"build and simulate\">\n      <error");
        if (oc->why && *oc->why) {
            xml_attr(sb, "type", "hang");
            xml_attr(sb, "message", oc->why);
        } else {
            sb_adds(sb, " type=\"simulator\" message=\"the simulator did not build the design "
                        "or did not complete the run (exit status 3); its log is named on "
                        "standard error\"");
        }
        sb_adds(sb, "/>\n    </testcase>\n");
    }
    for (int i = 0; oc->v && i < oc->n; i++) {
        t.len = 0;
        sb_addf(&t, "problem %d: %s", i + 1, oc->names[i]);
        sb_adds(sb, "    <testcase");
        xml_attr(sb, "classname", cls.buf);
        xml_attr(sb, "name", t.buf);
        if (!oc->v[i].bad) {
            sb_adds(sb, "/>\n");
            continue;
        }
        t.len = 0;
        mismatch_str(oc, &oc->v[i], &t);
        sb_adds(sb, ">\n      <failure type=\"mismatch\"");
        xml_attr(sb, "message", t.buf);
        sb_adds(sb, ">");
        escaped(sb, t.buf, 0);
        if (oc->waveform) {
            sb_adds(sb, "\nwaveform: ");
            escaped(sb, oc->waveform, 0);
        }
        sb_adds(sb, "</failure>\n    </testcase>\n");
    }
    sb_adds(sb, "  </testsuite>\n</testsuites>\n");
    sb_release(&name);
    sb_release(&cls);
    sb_release(&t);
}

static void json_str(struct strbuf *sb, const char *key, const char *val)
{
    sb_addf(sb, "\"%s\": ", key);
    if (!val) {
        sb_adds(sb, "null");
        return;
    }
    sb_adds(sb, "\"");
    escaped(sb, val, 1);
    sb_adds(sb, "\"");
}

static void write_json(const struct outcome *oc, struct strbuf *sb)
{
    char fp[17], a[32], m[32];
    snprintf(fp, sizeof fp, "%016" PRIx64, dp_fingerprint(oc->dp));
    sb_adds(sb, "{\n  ");
    json_str(sb, "ternforge", TF_VERSION);
    sb_adds(sb, ",\n  ");
    json_str(sb, "params", oc->o->pt.file);
    sb_adds(sb, ",\n  \"sets\": [");
    for (int i = 0; i < oc->o->pt.sets.n; i++) {
        sb_adds(sb, i ? ", \"" : "\"");
        escaped(sb, oc->o->pt.sets.v[i], 1);
        sb_adds(sb, "\"");
    }
    sb_adds(sb, "],\n  ");
    json_str(sb, "rtl", oc->o->rtl);
    sb_adds(sb, ",\n  ");
    json_str(sb, "fingerprint", fp);
    sb_adds(sb, ",\n  ");
    json_str(sb, "simulator", oc->simulator);
    sb_addf(sb, ",\n  \"seed\": %" PRIu64 ",\n  \"stall\": %ld,\n", oc->o->seed, oc->o->stall);
    const char *status = !oc->v ? "error" : oc->fail ? "fail" : "pass";
    sb_addf(sb, "  \"status\": \"%s\",\n  \"exit_status\": %d,\n", status,
            !oc->v ? EXIT_TOOL : oc->fail ? EXIT_MISMATCH : EXIT_PASS);
    sb_addf(sb, "  \"problems\": %d,\n  \"passed\": %d,\n  \"failed\": %d,\n", oc->n, oc->pass,
            oc->fail);
    if (oc->v)
        sb_addf(sb, "  \"cycles\": %ld,\n  ", oc->cycles);
    else
        sb_adds(sb, "  \"cycles\": null,\n  ");
    json_str(sb, "waveform", oc->waveform);
    sb_adds(sb, ",\n  ");
    json_str(sb, "error", !oc->v && oc->why && *oc->why ? oc->why : NULL);
    sb_adds(sb, ",\n  \"cases\": [");
    for (int i = 0; oc->v && i < oc->n; i++) {
        const struct verdict *v = &oc->v[i];
        sb_addf(sb, "%s\n    {\"problem\": %d, ", i ? "," : "", i + 1);
        json_str(sb, "name", oc->names[i]);
        sb_addf(sb, ", \"status\": \"%s\"", v->bad ? "fail" : "pass");
        if (v->bad) {
            value_str(oc->dp, v->rtl, a, sizeof a);
            value_str(oc->dp, v->model, m, sizeof m);
            sb_addf(sb, ", \"mismatches\": %d, \"first\": {\"row\": %d, \"col\": %d, "
                        "\"rtl\": \"%s\", \"model\": \"%s\", \"cycle\": %d}",
                    v->bad, v->r, v->b, a, m, v->cycle);
        }
        sb_adds(sb, "}");
    }
    sb_adds(sb, oc->v && oc->n ? "\n  ]\n}\n" : "]\n}\n");
}

/* Write the reports asked for; 0 or -1 (error printed). */
static int write_reports(const struct outcome *oc)
{
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        const char *path = k ? oc->o->json : oc->o->junit;
        if (!path)
            continue;
        struct strbuf sb = STRBUF_INIT;
        (k ? write_json : write_junit)(oc, &sb);
        if (write_file_atomic(path, sb.buf, sb.len))
            rc = -1;
        sb_release(&sb);
    }
    return rc;
}

/* Compare every output of every problem with the model. */
static void compare(const struct design_point *dp, const struct job_set *js, char **names,
                    struct matrix *Y, int **cyc, struct outcome *oc)
{
    int shown = 0;
    for (int i = 0; i < js->n; i++) {
        struct matrix ref;
        struct verdict *v = &oc->v[i];
        kind_get(dp)->model(dp, &js->W[i], &js->X[i], &ref);
        for (int r = 0; r < ref.rows; r++)
            for (int b = 0; b < ref.cols; b++) {
                if (MAT(&ref, r, b) == MAT(&Y[i], r, b))
                    continue;
                if (!v->bad++) {
                    *v = (struct verdict){ 1, r, b, cyc[i][r * ref.cols + b], MAT(&Y[i], r, b),
                                           MAT(&ref, r, b) };
                    if (shown++ < 5) {
                        char a[32], m[32];
                        value_str(dp, v->rtl, a, sizeof a);
                        value_str(dp, v->model, m, sizeof m);
                        printf("MISMATCH problem %d (%s): y[%d][%d]: rtl %s, model %s "
                               "(result beat at cycle %d)\n", i + 1, names[i], r, b, a, m,
                               v->cycle);
                    }
                }
            }
        v->bad ? oc->fail++ : oc->pass++;
        mat_free(&ref);
    }
}

static void free_results(struct matrix *Y, int **cyc, int n)
{
    for (int i = 0; i < n; i++) {
        mat_free(&Y[i]);
        if (cyc)
            free(cyc[i]);
    }
    free(Y);
    free(cyc);
}

static int run_sim(int argc, char **argv)
{
    struct sim_args o = { .vectors = 20, .seed = 1 };
    struct design_point dp;
    enum simulator sim;
    if (opt_parse(&cmd_sim, argc, argv, &o) || load_point(&o.pt, &dp, "sim") ||
        (o.top && !o.rtl &&
         error("%s: error: sim: --top names the top module of --rtl's Verilog and needs --rtl "
               "DIR (the generated top is <prefix>_top)", tf_progname)) ||
        parse_sim(o.simulator, &sim) || cosim_check_env(sim) || (o.work && check_work_dir(o.work)) ||
        (o.rtl && cosim_rtl_check(&dp, o.rtl, o.top)) ||
        (o.junit && check_output_file(o.junit)) || (o.json && check_output_file(o.json)) ||
        (o.junit && o.json && same_output(o.junit, o.json) &&
         error("%s: error: sim: --junit and --json name the same file", o.junit))) {
        free(o.pt.sets.v);
        return 1;
    }
    struct job_set js;
    char **names;
    make_vectors(&dp, (int)o.vectors, o.seed, &js, &names);
    const char *simname = sim == SIM_VERILATOR ? "verilator" : "iverilog";
    printf("sim: %s, %s, seed %" PRIu64 ", %d problems, stall %ld%%%s\n", o.pt.file, simname,
           o.seed, js.n, o.stall, o.zeros ? ", zeros in don't-care fields" : "");
    fflush(stdout);
    struct matrix *Y = xcalloc((size_t)js.n, sizeof *Y);
    int **cyc = xcalloc((size_t)js.n, sizeof *cyc);
    struct cosim_opts co = { sim, o.seed, (int)o.stall, o.work, o.verbose, NULL, o.rtl, o.top,
                             !o.verbose && isatty(2), 0, o.zeros };
    struct cosim_stats st;
    struct outcome oc = { &o, &dp, simname, js.n, names, NULL, 0, 0, 0, NULL, NULL };
    int crc = cosim_run(&dp, &js, &co, Y, &st, cyc), status;
    oc.why = st.why;
    char *vcd = NULL;
    if (crc == COSIM_INPUT) {
        status = 1; /* bad input: no report */
    } else if (crc) {
        oc.fail = js.n;
        printf("0 passed, %d failed\n", js.n);
        status = write_reports(&oc) ? 1 : EXIT_TOOL;
    } else {
        oc.v = xcalloc((size_t)js.n, sizeof *oc.v);
        oc.cycles = st.cycles;
        compare(&dp, &js, names, Y, cyc, &oc);
        if (oc.fail) {
            /* Rerun with a waveform so the mismatch can be looked at. */
            struct strbuf sb = STRBUF_INIT;
            sb_addf(&sb, "%s/ternforge-mismatch-%016llx.vcd", o.work ? o.work : ".",
                    (unsigned long long)dp_fingerprint(&dp));
            vcd = sb_detach(&sb);
            co.vcd = vcd;
            struct matrix *Y2 = xcalloc((size_t)js.n, sizeof *Y2);
            if (cosim_run(&dp, &js, &co, Y2, NULL, NULL) == 0) {
                const struct verdict *f = oc.v;
                while (!f->bad)
                    f++;
                printf("waveform: %s (first mismatch: problem %d, y[%d][%d], result beat at "
                       "cycle %d)\n", vcd, (int)(f - oc.v) + 1, f->r, f->b, f->cycle);
                oc.waveform = vcd;
            }
            free_results(Y2, NULL, js.n);
        } else {
            printf("sim: %ld cycles simulated in %.3f s; build %.1f s\n", st.cycles,
                   st.sim_seconds, st.build_seconds);
        }
        printf("%d passed, %d failed\n", oc.pass, oc.fail);
        status = write_reports(&oc) ? 1 : oc.fail ? EXIT_MISMATCH : EXIT_PASS;
    }
    free(vcd);
    free(oc.v);
    free_results(Y, cyc, js.n);
    free_vectors(&js, names);
    free(o.pt.sets.v);
    return status;
}

const struct command cmd_sim = {
    "sim", run_sim, "co-simulate the RTL against the C model", opts, NULL,
    "\n"
    "Co-simulate the generated RTL against the bit-exact C model: corner\n"
    "cases (all-zero and all +1/-1 weights, extreme activations, accumulator\n"
    "wrap, 1 x 1, every key code, edge tiles) plus N random problems\n"
    "(default 20) from seed S (default 1). Every output of every problem is\n"
    "compared bit for bit; the command prints the seed and\n"
    "'N passed, N failed' (one count per problem). On a mismatch it reruns\n"
    "with waveform dumping, writes a VCD and prints the problem, row,\n"
    "column, both values and the cycle.\n"
    "--rtl DIR simulates the Verilog in DIR (listed in DIR/files.f, top\n"
    "module <prefix>_top, or --top NAME) instead of generating it: an edited\n"
    "or post-processed core is checked against the same model. The top's\n"
    "header must name the design point of the parameters (its fingerprint),\n"
    "when it names one.\n"
    "--junit FILE and --json FILE also write the verdict for CI (one test\n"
    "case per problem; a failure names the first mismatch and the\n"
    "waveform). Exit status: 0 every problem matched; 1 a mismatch, or bad\n"
    "input (then nothing is simulated or written); 3 the simulator did not\n"
    "build the design or complete the run (the reports say \"error\"): a\n"
    "core that stops is given up on after 16 times the cost model's cycle\n"
    "count (more with --stall) plus 100,000 cycles.\n"
    "On a terminal a progress line shows the build and the run.\n",
    0, 0
};
