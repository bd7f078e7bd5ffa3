/* cosim.c - run the generated RTL under Verilator or iverilog.
 *
 * Phases: plan the build (the design's files and the harness, generated
 * in memory; the exact compile command; the tool's version), find it in
 * the cache or build it, write the stimulus, run the harness, read the
 * result beats back (the caller compares them with the C model).
 * The cache key hashes the whole plan, and an entry is reused only when
 * its manifest vouches for every file in it (cache.h) and every input file
 * is byte-identical too, so neither a stale nor a damaged binary is run.
 * Builds happen in a private folder, under a lock per key, and are
 * published whole; a cached simulator that fails is rebuilt once.
 * Stimulus: cfg.txt ("M N" per job), act.hex and wgt.hex (one beat per
 * line); the harness writes res.txt ("cycle last hex" per result beat). */
#define _POSIX_C_SOURCE 200809L
#include "cosim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../gen/vw.h"
#include "embedded.h"
#include "../model/cost.h"
#include "../model/kind.h"
#include "cache.h"
#include "output.h"
#include "rng.h"
#include "tools.h"
#include "util.h"
#include "version.h"

static const char *sim_name(enum simulator s)
{
    return s == SIM_VERILATOR ? "verilator" : "iverilog";
}

/* Most bytes of one file of `sim --rtl DIR`: 64 MiB (the largest cores
 * the limits allow write about 7 MB of tf_top.v), or more with
 * $TERNFORGE_MAX_INPUT_BYTES. */
static size_t rtl_file_limit(void)
{
    return input_limit_at_least((size_t)64 << 20);
}

/* Read an RTL directory (its files.f and every file it lists): regular
 * files (or pipes) of bounded size only, never a device, and noted as
 * inputs (no output of the command replaces one). */
static int read_rtl_dir(const char *dir, struct gen_files *gf)
{
    struct strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/files.f", dir);
    char *list = read_input_max(p.buf, NULL, rtl_file_limit());
    sb_release(&p);
    if (!list)
        return -1;
    int rc = 0;
    for (char *line = strtok(list, "\n"); line && !rc; line = strtok(NULL, "\n")) {
        /* the names go to the simulator's command file: no options, no $(...) */
        if (!*line || strchr("-+.", line[0]) ||
            strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
                strlen(line)) {
            rc = error("%s/files.f: error: expected plain file names (letters, digits, '_', "
                       "'.', '-'), got '%s'", dir, tq(line));
            break;
        }
        struct strbuf f = STRBUF_INIT;
        sb_addf(&f, "%s/%s", dir, line);
        char *t = read_input_max(f.buf, NULL, rtl_file_limit());
        sb_release(&f);
        if (!t)
            rc = -1;
        else
            gf_add(gf, line, t);
    }
    if (!rc) {
        struct strbuf fl = STRBUF_INIT;
        for (int i = 0; i < gf->n; i++)
            sb_addf(&fl, "%s\n", gf->name[i]);
        gf_add(gf, "files.f", sb_detach(&fl));
    }
    free(list);
    return rc;
}

/* ------------------------------------------------------------ build plan */

/* The first line the tool prints about its version, asked once per
 * process; "not found" when it cannot be run (the build then fails and
 * says so). */
static const char *tool_version(enum simulator s)
{
    static char *version[2];
    static int asked[2];
    if (!asked[s]) {
        char *vl[] = { "verilator", "--version", NULL }, *iv[] = { "iverilog", "-V", NULL };
        version[s] = cmd_first_line(s == SIM_VERILATOR ? vl : iv);
        asked[s] = 1;
    }
    return version[s] ? version[s] : "not found";
}

/* The C++ compiler of a Verilator model: $TERNFORGE_CXX when it is set
 * (a command name or path), else clang++ when it runs, else g++, the one
 * Verilator's makefile names. clang first: the INT8 32 x 32 tile's model
 * runs its clock loop 1.7x faster built by clang 14 than by GCC 12, and
 * builds in less CPU (docs/testing.md). GCC computes Verilator's 9- to
 * 16-bit signals with 16-bit instructions, most of them masks with a
 * 16-bit immediate, which x86 decodes slowly (a length-changing prefix)
 * when the loop does not fit the decoded-instruction cache, as a tile's
 * tens of KB do not; clang uses 32-bit instructions. *version: the
 * compiler's `--version` line (NULL if it does not run), which keys the
 * cached runtime library. NULL with an error printed when
 * $TERNFORGE_CXX is not a plain name (it goes to make through a shell). */
static const char *model_cxx(const char **version)
{
    static const char *cxx;
    static char *line;
    if (!cxx) {
        const char *env = getenv("TERNFORGE_CXX");
        if (env && (!*env || strspn(env, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_+./-") != strlen(env))) {
            error("error: $TERNFORGE_CXX: expected a compiler's name or path (letters, digits, "
                  "'_', '+', '.', '/', '-'), got '%s'", tq(env));
            return NULL;
        }
        const char *try[] = { env ? env : "clang++", "g++" };
        for (size_t i = 0; i < (env ? 1 : 2) && !line; i++) {
            char *argv[] = { (char *)try[i], "--version", NULL };
            line = cmd_first_line(argv);
            cxx = try[i];
        }
    }
    *version = line;
    return cxx;
}

int cosim_check_env(enum simulator sim)
{
    const char *version;
    return sim != SIM_VERILATOR || model_cxx(&version) ? 0 : -1;
}

/* Paths are relative to the build directory, where the command runs. The
 * model class is Vtf_top whatever the top is called (--prefix): the
 * harness is one source for every core. --unroll-stmts: tf_tlut_sel's read
 * ports are one loop nest over the LUTs; with the default limit (30000)
 * Verilator keeps the outer loop, so every port's key and value are cut
 * from the wide vectors at a computed offset (a multiply, a bounds check
 * and VL_ASSIGNSEL_WI each) and the block becomes an event-triggered one
 * whose inputs are compared word by word on every eval. Unrolled, each
 * read has constant offsets and the block is plain combinational logic:
 * 1.6x the INT8 32x32 tile's rate for 15 % more build CPU
 * (docs/testing.md). Loops of more than 64 iterations (--unroll-count;
 * the tables of mu >= 6) stay loops, so large cores do not grow. */
static void verilator_argv(struct args *a, int trace, const char *tb, const char *top,
                           const char *shim, int fp_units, int hier, const char *cxx)
{
    static const char *const fixed[] = {
        "verilator", "--cc", "--exe", "--build", "-j", "2", "-O3",
        "--x-assign", "unique", "--x-initial", "unique", "--unroll-stmts", "1000000",
        "-Wno-fatal", "-Wno-lint", "-Wno-style", "--prefix", "Vtf_top",
        "-MAKEFLAGS", "OPT_FAST=-O2 OPT_SLOW=-O0 OPT_GLOBAL=-O1",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        args_add(a, fixed[i]);
    /* g++ is verilated.mk's own; any other compiler compiles and links */
    if (strcmp(cxx, "g++")) {
        args_add(a, "-MAKEFLAGS");
        args_addf(a, "CXX=%s LINK=%s", cxx, cxx);
    }
    /* An FP core has hundreds of tf_fpadd instances (544 in a 32 x 32
     * FP16 tile); inlined, each is its own copy of the adder in the C++.
     * Kept apart, the adders' C++ shrinks: an FP16 tile of mu=4, L=4,
     * K=8 (176 adders) verilates to 4.6 MB instead of 6.3 MB and builds
     * in 34 % less CPU at the same rate and with the same result stream
     * (docs/testing.md). --hierarchical with tf_fpadd as its block builds
     * in a third of the CPU but runs 2.8x slower, so it is not the
     * default. Integer cores have no module worth keeping apart. */
    if (fp_units) {
        args_add(a, "--inline-mult");
        args_add(a, "10");
    }
    /* A module marked as a hierarchical block (an FP core's tables when
     * they are many, gen/tlut.c) is verilated and compiled once for all
     * its instances (docs/testing.md). Not with --trace: tracing through
     * hierarchical blocks was not tried, so a waveform keeps the flat
     * model. */
    if (hier)
        args_add(a, "--hierarchical");
    args_add(a, "--top-module");
    args_add(a, top);
    if (trace)
        args_add(a, "--trace");
    /* -o is relative to --Mdir: the executable lands next to the inputs */
    static const char *const files[] = { "--Mdir", "obj", "-o", "../Vsim", "-F", "files.f" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        args_add(a, files[i]);
    if (shim)
        args_add(a, shim);
    args_add(a, tb);
}

/* The harnesses drive the native ports with an active-high rst
 * (docs/protocol.md). A core with other ports (interface=axis, an active-
 * low reset) is driven through this shim, which only renames and pads:
 * the core inside is the RTL gen wrote, as it is synthesized. */
static char *tb_shim(const struct design_point *dp, const char *top)
{
    const struct dp_derived *d = &dp->d;
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "// tf_tb_dut.v - testbench only: the native ports the harness drives, on\n"
                 "// %s (%s).\n`timescale 1ns / 1ps\n`default_nettype none\n"
                 "module tf_tb_dut (\n", top,
            dp->interface == IF_AXIS ? "AXI4-Stream" : reset_names[dp->reset]);
    sb_addf(&sb, "    input  wire clk, input wire rst,\n"
                 "    input  wire cfg_valid, output wire cfg_ready,\n"
                 "    input  wire [%d:0] cfg_rows, input wire [%d:0] cfg_cols,\n"
                 "    input  wire act_valid, output wire act_ready, input wire [%d:0] act_data,\n"
                 "    input  wire wgt_valid, output wire wgt_ready, input wire [%d:0] wgt_data,\n"
                 "    output wire res_valid, input wire res_ready,\n"
                 "    output wire [%d:0] res_data, output wire res_last, output wire busy\n);\n",
            d->row_bits - 1, d->col_bits - 1, d->act_bits - 1, d->wgt_bits - 1,
            d->res_bits - 1);
    if (dp->interface != IF_AXIS) {
        sb_addf(&sb, "    %s u_core (.clk(clk), .rst_n(!rst),\n"
                     "        .cfg_valid(cfg_valid), .cfg_ready(cfg_ready),\n"
                     "        .cfg_rows(cfg_rows), .cfg_cols(cfg_cols),\n"
                     "        .act_valid(act_valid), .act_ready(act_ready), .act_data(act_data),\n"
                     "        .wgt_valid(wgt_valid), .wgt_ready(wgt_ready), .wgt_data(wgt_data),\n"
                     "        .res_valid(res_valid), .res_ready(res_ready),\n"
                     "        .res_data(res_data), .res_last(res_last), .busy(busy));\n", top);
    } else {
        int ab = (d->act_bits + 7) / 8 * 8, wb = (d->wgt_bits + 7) / 8 * 8;
        int rb = (d->res_bits + 7) / 8 * 8;
        sb_addf(&sb, "    wire [%d:0] res_tdata;\n", rb - 1);
        sb_addf(&sb, "    %s u_core (.aclk(clk), .aresetn(!rst),\n"
                     "        .s_axis_cfg_tdata({%d'd0, cfg_cols, %d'd0, cfg_rows}),\n"
                     "        .s_axis_cfg_tvalid(cfg_valid), .s_axis_cfg_tready(cfg_ready),\n",
                top, 32 - d->col_bits, 32 - d->row_bits);
        /* The core must ignore tdata bits above a beat: they are driven
         * with ones. */
        char act[64], wgt[64];
        if (ab > d->act_bits)
            snprintf(act, sizeof act, "{{%d{1'b1}}, act_data}", ab - d->act_bits);
        else
            snprintf(act, sizeof act, "act_data");
        if (wb > d->wgt_bits)
            snprintf(wgt, sizeof wgt, "{{%d{1'b1}}, wgt_data}", wb - d->wgt_bits);
        else
            snprintf(wgt, sizeof wgt, "wgt_data");
        sb_addf(&sb, "        .s_axis_act_tdata(%s), .s_axis_act_tvalid(act_valid),\n"
                     "        .s_axis_act_tready(act_ready),\n", act);
        sb_addf(&sb, "        .s_axis_wgt_tdata(%s), .s_axis_wgt_tvalid(wgt_valid),\n"
                     "        .s_axis_wgt_tready(wgt_ready),\n", wgt);
        sb_addf(&sb, "        .m_axis_res_tdata(res_tdata), .m_axis_res_tvalid(res_valid),\n"
                     "        .m_axis_res_tready(res_ready), .m_axis_res_tlast(res_last));\n");
        /* Result bits above the beat must be 0: any 1 there flips every
         * result bit, so the comparison with the model fails. */
        if (rb > d->res_bits)
            sb_addf(&sb, "    assign res_data = res_tdata[%d:0] ^ {%d{|res_tdata[%d:%d]}};\n",
                    d->res_bits - 1, d->res_bits, rb - 1, d->res_bits);
        else
            sb_addf(&sb, "    assign res_data = res_tdata;\n");
        sb_adds(&sb, "    assign busy = 1'b0;  // AXI4-Stream has none\n");
    }
    sb_adds(&sb, "endmodule\n`default_nettype wire\n");
    return sb_detach(&sb);
}

/* The iverilog harness instantiates "tf_top dut": the core's top instead. */
static char *tb_instance(const char *tbt, const char *top)
{
    const char *at = strstr(tbt, "\n  tf_top dut (");
    if (!at)
        BUG("tb_iverilog.v: no 'tf_top dut' instance");
    struct strbuf sb = STRBUF_INIT;
    sb_add(&sb, tbt, (size_t)(at - tbt));
    sb_addf(&sb, "\n  %s dut (", top);
    sb_adds(&sb, at + strlen("\n  tf_top dut ("));
    return sb_detach(&sb);
}

static void iverilog_argv(struct args *a, const struct design_point *dp, const char *tb,
                          const char *shim)
{
    args_add(a, "iverilog");
    args_add(a, "-g2005");
    args_add(a, "-s");
    args_add(a, "tf_tb");
    args_add(a, "-o");
    args_add(a, "sim.vvp");
    args_addf(a, "-Ptf_tb.ROW_BITS=%d", dp->d.row_bits);
    args_addf(a, "-Ptf_tb.COL_BITS=%d", dp->d.col_bits);
    args_addf(a, "-Ptf_tb.ACT_BITS=%d", dp->d.act_bits);
    args_addf(a, "-Ptf_tb.WGT_BITS=%d", dp->d.wgt_bits);
    args_addf(a, "-Ptf_tb.RES_BITS=%d", dp->d.res_bits);
    args_add(a, "-f");
    args_add(a, "files.f");
    if (shim)
        args_add(a, shim);
    args_add(a, tb);
}

/* Does `text` declare module `name`? Its line number (1-based), or 0. */
static int declares_module(const char *text, const char *name)
{
    size_t n = strlen(name);
    int line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            line++;
        else if ((p == text || p[-1] == '\n' || p[-1] == ' ') && !strncmp(p, "module ", 7)) {
            const char *q = p + 7;
            while (*q == ' ')
                q++;
            if (!strncmp(q, name, n) && strchr(" (#;\n", q[n]))
                return line;
        }
    }
    return 0;
}

/* Where the header's parameter list (h: its "Design point" line, then
 * "//   name=value" lines) and dp's differ: ": RTL a=1 b=2; parameters
 * a=3 c=4" (each side's items the other lacks), or "". */
static char *header_diff(const char *h, const struct design_point *dp)
{
    struct strbuf rtl = STRBUF_INIT, pts = STRBUF_INIT, out = STRBUF_INIT;
    sb_adds(&rtl, " ");
    const char *p = strchr(h + 1, '\n');
    while (p && !strncmp(p, "\n//   ", 6)) {
        size_t n = strcspn(p + 6, "\n");
        sb_add(&rtl, p + 6, n);
        sb_adds(&rtl, " ");
        p = strchr(p + 1, '\n');
    }
    char *d = dp_describe_kind(dp, " ");
    sb_addf(&pts, " %s ", d);
    free(d);
    /* each side's items missing from the other */
    for (int side = 0; side < 2; side++) {
        const struct strbuf *a = side ? &pts : &rtl, *b = side ? &rtl : &pts;
        int first = 1;
        for (const char *t = a->buf + 1; *t; t += strcspn(t, " ") + 1) {
            size_t n = strcspn(t, " ");
            char item[96];
            snprintf(item, sizeof item, " %.*s ", (int)(n < 80 ? n : 80), t);
            if (!strstr(b->buf, item)) {
                sb_addf(&out, "%s%.*s", !first ? " " : side ? (out.len ? "; parameters "
                        : ": parameters ") : ": RTL ", (int)n, t);
                first = 0;
            }
        }
    }
    sb_release(&rtl);
    sb_release(&pts);
    if (!out.len)
        sb_adds(&out, "");
    return sb_detach(&out);
}

/* The RTL read from dir must be dp's: its top module exists, and the
 * design point its header names (gen_header: "// Design point X:") is
 * dp's. RTL without such a line (written by hand) is taken as it is. */
static int check_rtl(const char *dir, const struct gen_files *gf, const char *top,
                     const struct design_point *dp)
{
    for (int i = 0; i < gf->n; i++) {
        if (!declares_module(gf->text[i], top))
            continue;
        const char *h = strstr(gf->text[i], "\n// Design point ");
        unsigned long long fp;
        int line = 2;
        if (!h || sscanf(h, "\n// Design point %16llx:", &fp) != 1)
            return 0;
        for (const char *p = gf->text[i]; p < h; p++)
            line += *p == '\n';
        if (fp != dp_fingerprint(dp)) {
            char *diff = header_diff(h, dp);
            error("%s/%s:%d: error: this RTL is design point %016llx; the parameters give "
                  "%016llx%s (simulate it with the parameters it was generated from: the "
                  "same file and --set options)", dir, gf->name[i], line, fp,
                  (unsigned long long)dp_fingerprint(dp), diff);
            free(diff);
            return -1;
        }
        return 0;
    }
    return error("%s/files.f: error: no file it lists declares module '%s' (the top: "
                 "<prefix>_top of the parameters, or --top NAME)", dir, tq(top));
}

/* Verilator 5.006's hierarchical makefile (obj/V<top>_hier.mk) names a
 * block's .sv and .mk as two targets of one rule, so `make -j 2` runs the
 * block's verilation twice at once, both writing the same folder (seen in
 * every build log; one build in about 25 failed on a loaded machine).
 * Given this makefile as well, that level of make is serial (the block is
 * verilated once, then the top); the compiles below it still run two at a
 * time. Written into the build folder with the sources. */
#define HIER_MK "hier-serial.mk"
static const char *const hier_makeflags[] = { "-MAKEFLAGS", "-f ../" HIER_MK, NULL };

/* Whether a file of the RTL marks a module as Verilator's hierarchical
 * block. */
static int wants_hier(const struct gen_files *gf)
{
    for (int i = 0; i < gf->n; i++)
        if (strstr(gf->text[i], VL_HIER_BLOCK))
            return 1;
    return 0;
}

/* Whether a file of the RTL is called name (in any folder of files.f). */
static int has_file(const struct gen_files *gf, const char *name)
{
    for (int i = 0; i < gf->n; i++) {
        const char *b = strrchr(gf->name[i], '/');
        if (!strcmp(b ? b + 1 : gf->name[i], name))
            return 1;
    }
    return 0;
}

int cosim_rtl_check(const struct design_point *dp, const char *rtl_dir, const char *top)
{
    struct gen_files gf;
    gf_init(&gf);
    struct strbuf def_top = STRBUF_INIT;
    sb_addf(&def_top, "%s_top", dp_prefix(dp));
    int rc = read_rtl_dir(rtl_dir, &gf) || check_rtl(rtl_dir, &gf, top ? top : def_top.buf, dp);
    gf_free(&gf);
    sb_release(&def_top);
    return rc ? -1 : 0;
}

int sim_plan_init(struct sim_plan *p, const struct design_point *dp, enum simulator sim,
                  int trace, const char *rtl_dir, const char *top)
{
    memset(p, 0, sizeof *p);
    p->sim = sim;
    gf_init(&p->files);
    struct strbuf def_top = STRBUF_INIT;
    sb_addf(&def_top, "%s_top", dp_prefix(dp));
    if (!top)
        top = def_top.buf;
    if (rtl_dir ? read_rtl_dir(rtl_dir, &p->files) || check_rtl(rtl_dir, &p->files, top, dp)
                : generate(dp, &p->files, NULL)) {
        gf_free(&p->files);
        sb_release(&def_top);
        return -1;
    }
    const char *shim = NULL;
    if (dp->interface != IF_NATIVE || dp->reset != RST_SYNC) {
        shim = "tf_tb_dut.v";
        gf_add(&p->files, shim, tb_shim(dp, top));
        top = "tf_tb_dut";
    }
    const char *tb = sim == SIM_VERILATOR ? "tb_verilator.cpp" : "tb_iverilog.v";
    const char *tbt = template_text(tb);
    if (!tbt)
        BUG("no embedded %s", tb);
    gf_add(&p->files, tb, sim == SIM_VERILATOR ? xstrdup(tbt) : tb_instance(tbt, top));
    if (sim == SIM_VERILATOR) {
        /* the FP adder's file carries the point's prefix, like every file */
        struct strbuf fpadd = STRBUF_INIT;
        sb_addf(&fpadd, "%s_fpadd.v", dp_prefix(dp));
        int hier = wants_hier(&p->files) && !trace;
        const char *cxx_version, *cxx = model_cxx(&cxx_version);
        if (!cxx) {
            sb_release(&fpadd);
            gf_free(&p->files);
            sb_release(&def_top);
            return -1;
        }
        verilator_argv(&p->argv, trace, tb, top, shim, has_file(&p->files, fpadd.buf), hier,
                       cxx);
        if (hier)
            gf_add(&p->files, HIER_MK, xstrdup(".NOTPARALLEL:\n"));
        sb_release(&fpadd);
    }
    else
        iverilog_argv(&p->argv, dp, tb, shim);
    p->exe = sim == SIM_VERILATOR ? "Vsim" : "sim.vvp";
    p->tool_version = tool_version(sim);
    p->key = sim_plan_key(p);
    sb_release(&def_top);
    return 0;
}

/* Every part is NUL-terminated, so no two different plans hash the same
 * byte string. */
uint64_t sim_plan_key(const struct sim_plan *p)
{
    uint64_t h = FNV1A64_INIT;
    /* "cache 2": entries with a manifest (older ones are never looked at) */
    h = fnv1a64("ternforge " TF_VERSION " cache 2", sizeof("ternforge " TF_VERSION " cache 2"), h);
    h = fnv1a64(p->tool_version, strlen(p->tool_version) + 1, h);
    for (int i = 0; i < p->argv.n; i++)
        h = fnv1a64(p->argv.v[i], strlen(p->argv.v[i]) + 1, h);
    for (int i = 0; i < p->files.n; i++) {
        h = fnv1a64(p->files.name[i], strlen(p->files.name[i]) + 1, h);
        h = fnv1a64(p->files.text[i], strlen(p->files.text[i]) + 1, h);
    }
    return h;
}

void sim_plan_free(struct sim_plan *p)
{
    gf_free(&p->files);
    args_free(&p->argv);
}

/* ------------------------------------------------------------ the cache */

/* A simulator ready to run: where its files are and a descriptor of its
 * executable, checked against the entry's manifest through that very
 * descriptor and run as /proc/self/fd/N, so what was verified is what
 * runs even if the entry is replaced meanwhile. */
struct sim_exe {
    char *dir;     /* the cache entry, or a private build folder */
    int fd;
    int cached;    /* found in the cache, not built by this run */
    int temporary; /* a private build (the cache could not take it): removed after */
    int slot;
};

/* Every input file in the entry is byte-identical to the plan's (the key
 * is a 64-bit hash: this rules out a collision). */
static int inputs_match(const struct sim_plan *p, const char *dir)
{
    struct strbuf path = STRBUF_INIT;
    int same = 1;
    for (int i = 0; same && i < p->files.n; i++) {
        size_t n, want = strlen(p->files.text[i]);
        path.len = 0;
        sb_addf(&path, "%s/%s", dir, p->files.name[i]);
        char *t = cache_read(AT_FDCWD, path.buf, want, &n);
        same = t && n == want && !memcmp(t, p->files.text[i], n);
        free(t);
    }
    sb_release(&path);
    return same;
}

/* The one place that decides whether an entry may be used: its manifest
 * is whole, every file it lists is as recorded, and the inputs are the
 * plan's. 1 and x filled on a hit; 0 on a miss or a damaged entry (*why
 * says how). */
static int cache_hit(const struct sim_plan *p, const char *entry, struct sim_exe *x,
                     const char **why)
{
    int fd;
    if (cache_verify(entry, p->key, p->exe, &fd, why))
        return 0;
    if (!inputs_match(p, entry)) {
        close(fd);
        *why = "its input files differ from this design's";
        return 0;
    }
    x->dir = xstrdup(entry);
    x->fd = fd;
    x->cached = 1;
    return 1;
}

static void sim_exe_release(struct sim_exe *x)
{
    if (x->fd >= 0)
        close(x->fd);
    if (x->temporary)
        remove_tree(x->dir);
    tmp_forget(x->slot);
    free(x->dir);
    memset(x, 0, sizeof *x);
    x->fd = x->slot = -1;
}

/* Write the plan's inputs into tmp and run its command there, with
 * `extra` (NULL-terminated) appended: arguments that change how the
 * build is done, not what it builds, so they are not part of the key. */
static int compile_in(const struct sim_plan *p, const char *tmp, const char *const *extra,
                      int verbose, int progress)
{
    if (gf_write(&p->files, tmp))
        return -1;
    struct args a = ARGS_INIT;
    for (int i = 0; i < p->argv.n; i++)
        args_add(&a, p->argv.v[i]);
    for (; extra && *extra; extra++)
        args_add(&a, *extra);
    struct strbuf log = STRBUF_INIT, what = STRBUF_INIT;
    sb_addf(&log, "%s/build.log", tmp);
    sb_addf(&what, "sim: building the %s model (%d files)", sim_name(p->sim), p->files.n);
    int rc = run_cmd_progress(tmp, a.v, log.buf, verbose, progress ? what.buf : NULL);
    sb_release(&what);
    args_free(&a);
    if (rc != 0) {
        error("%s: error: %s failed to build the design (status %d); log: %s",
              tf_progname, sim_name(p->sim), rc, log.buf);
        show_log(log.buf, 20);
    }
    sb_release(&log);
    return rc ? -1 : 0;
}

/* ------------------------------------------- Verilator's runtime library */

/* Verilator compiles its runtime library (verilated.cpp and friends: 3.3 s
 * of a small FP16 core's 7.7 s build CPU) into every model, and
 * verilated.mk makes those objects depend on the freshly written
 * Vtf_top.mk, so objects left in the build folder are compiled again.
 * Instead the first build's runtime objects go into the cache as one
 * archive (entry vrt-KEY, file vrt.a) and later builds link it: make is
 * told VM_GLOBAL_FAST= VM_GLOBAL_SLOW= (compile none of the library) and
 * LOADLIBES=../vrt.a (link this archive after the model's objects).
 * Verilator hands -MAKEFLAGS to a shell, so the value is constant text
 * and the archive is a copy in the build folder, under a fixed name. */
#define VRT_FILE "vrt.a"
static const char *const vrt_makeflags[] = {
    "-MAKEFLAGS", "VM_GLOBAL_FAST= VM_GLOBAL_SLOW= LOADLIBES=../" VRT_FILE, NULL
};

/* Everything the runtime objects are compiled from: Verilator's version
 * (its include folder), the compiler's version (model_cxx), the options
 * that reach the library's compile line (-MAKEFLAGS with CXX and
 * OPT_GLOBAL, --trace and the like set VM_* defines, -CFLAGS) and the
 * environment variables make adds to it. The core's own sources, top
 * and other options do not matter. */
static uint64_t vrt_key(const struct sim_plan *p)
{
    const char *cxx;
    model_cxx(&cxx);
    static const char *const env[] = { "CXXFLAGS", "CPPFLAGS", "USER_CPPFLAGS", "OPT", "M32",
                                       "OBJCACHE", "VERILATOR_ROOT" };
    uint64_t h = FNV1A64_INIT;
    h = fnv1a64("ternforge vrt 1", sizeof "ternforge vrt 1", h);
    h = fnv1a64(p->tool_version, strlen(p->tool_version) + 1, h);
    h = fnv1a64(cxx ? cxx : "", strlen(cxx ? cxx : "") + 1, h);
    for (size_t i = 0; i < sizeof env / sizeof *env; i++) {
        const char *v = getenv(env[i]);
        h = fnv1a64(env[i], strlen(env[i]) + 1, h);
        h = fnv1a64(v ? v : "\x01", strlen(v ? v : "\x01") + 1, h); /* unset != empty */
    }
    for (int i = 0; i < p->argv.n; i++) {
        const char *a = p->argv.v[i];
        int with_value = !strcmp(a, "-MAKEFLAGS") || !strcmp(a, "-CFLAGS") ||
                         !strcmp(a, "--threads");
        if (with_value || !strncmp(a, "--trace", 7) || !strcmp(a, "--timing") ||
            !strcmp(a, "--coverage") || !strcmp(a, "--sc")) {
            h = fnv1a64(a, strlen(a) + 1, h);
            if (with_value && i + 1 < p->argv.n)
                h = fnv1a64(p->argv.v[i + 1], strlen(p->argv.v[i + 1]) + 1, h);
        }
    }
    return h;
}

/* Place the cached runtime archive in the build folder. 1 if it is there
 * (link against it), 0 if the build must compile the library itself
 * (none cached yet, or a damaged entry, which the build then replaces). */
static int vrt_place(const struct sim_plan *p, const char *root, const char *bdir)
{
    struct strbuf entry = STRBUF_INIT, dst = STRBUF_INIT;
    uint64_t key = vrt_key(p);
    sb_addf(&entry, "%s/vrt-%016llx", root, (unsigned long long)key);
    sb_addf(&dst, "%s/" VRT_FILE, bdir);
    const char *why;
    int fd, placed = 0;
    if (cache_verify(entry.buf, key, VRT_FILE, &fd, &why) == 0) {
        placed = copy_fd_to_path(fd, dst.buf, COPY_EXCL) == 0;
        close(fd);
        if (!placed)
            unlink(dst.buf);
    } else if (why) {
        warning("%s: warning: the cached Verilator runtime is damaged (%s); rebuilding it",
                entry.buf, why);
    }
    sb_release(&entry);
    sb_release(&dst);
    return placed;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* After a build that compiled the runtime itself: archive its objects
 * (obj/verilated*.o, every object of the library's files) and publish
 * them as the runtime entry. Best effort and silent: a failure only
 * means the next build compiles the library again. */
static void vrt_store(const struct sim_plan *p, const char *root, const char *bdir)
{
    struct strbuf obj = STRBUF_INIT, name = STRBUF_INIT, entry = STRBUF_INIT, src = STRBUF_INIT;
    struct args ar = ARGS_INIT;
    sb_addf(&obj, "%s/obj", bdir);
    DIR *d = opendir(obj.buf);
    struct dirent *e;
    int first;
    args_add(&ar, "ar");
    args_add(&ar, "rcsD");
    args_add(&ar, "../" VRT_FILE);
    first = ar.n;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (!strncmp(e->d_name, "verilated", 9) && n > 2 && !strcmp(e->d_name + n - 2, ".o"))
            args_add(&ar, e->d_name);
    }
    if (d)
        closedir(d);
    uint64_t key = vrt_key(p);
    sb_addf(&name, "vrt-%016llx", (unsigned long long)key);
    sb_addf(&entry, "%s/%s", root, name.buf);
    sb_addf(&src, "%s/" VRT_FILE, bdir);
    if (ar.n > first) {
        qsort(ar.v + first, (size_t)(ar.n - first), sizeof *ar.v, cmp_str);
        struct strbuf log = STRBUF_INIT;
        sb_addf(&log, "%s/ar.log", bdir);
        int lock = -1;
        const char *why;
        if (run_cmd_in(obj.buf, ar.v, log.buf, 0) == 0 && (lock = cache_lock(root, name.buf)) >= 0 &&
            cache_verify(entry.buf, key, VRT_FILE, NULL, &why) != 0) {
            struct cache_stage st;
            if (cache_stage_begin(&st, root, key) == 0) {
                if (cache_stage_copy(&st, src.buf, VRT_FILE, 0) == 0)
                    cache_stage_publish(&st, entry.buf);
                else
                    cache_stage_abort(&st);
            }
        }
        cache_unlock(lock);
        sb_release(&log);
    }
    args_free(&ar);
    sb_release(&obj);
    sb_release(&name);
    sb_release(&entry);
    sb_release(&src);
}

/* A fresh build folder whose path make accepts (Verilator builds through
 * make, which cannot handle a blank, `$` or `#` in a path): in the cache
 * when its path is plain and it can be written, else in $TMPDIR or /tmp. */
static char *build_folder(const char *root, int root_ok)
{
    const char *t = getenv("TMPDIR");
    struct strbuf d = STRBUF_INIT;
    if (root_ok && make_safe_path(root))
        sb_addf(&d, "%s/tmp-XXXXXX", root);
    else
        sb_addf(&d, "%s/ternforge-build-XXXXXX", t && *t && make_safe_path(t) ? t : "/tmp");
    if (!mkdtemp(d.buf)) {
        error("%s: error: cannot create a build directory: %s", d.buf, strerror(errno));
        sb_release(&d);
        return NULL;
    }
    return sb_detach(&d);
}

/* Copy the executable and the inputs of a finished build into a stage
 * and publish it as entry (replacing a damaged one). */
static int publish_build(const struct sim_plan *p, const char *root, const char *bdir,
                         const char *entry)
{
    struct cache_stage st;
    struct strbuf src = STRBUF_INIT;
    if (cache_stage_begin(&st, root, p->key))
        return -1;
    sb_addf(&src, "%s/%s", bdir, p->exe);
    int rc = cache_stage_copy(&st, src.buf, p->exe, 1);
    for (int i = 0; !rc && i < p->files.n; i++) {
        src.len = 0;
        sb_addf(&src, "%s/%s", bdir, p->files.name[i]);
        rc = cache_stage_copy(&st, src.buf, p->files.name[i], 0);
    }
    sb_release(&src);
    if (rc) {
        int e = errno;
        cache_stage_abort(&st);
        errno = e;
        return -1;
    }
    return cache_stage_publish(&st, entry);
}

/* Build into a private folder, publish into the cache under the key's
 * lock, and hand back the verified entry. When the cache cannot take it
 * (not writable, full), the build is used from its private folder for this
 * run and removed after, with a warning. A failed build's folder is kept
 * for its log. */
static int cache_build(const struct sim_plan *p, const char *root, const char *entry,
                       int lock, int verbose, int progress, struct sim_exe *x)
{
    char *bdir = build_folder(root, lock >= 0);
    if (!bdir)
        return -1;
    int slot = tmp_register(bdir, 1); /* removed on a signal during the build */
    int vrt = p->sim == SIM_VERILATOR && vrt_place(p, root, bdir);
    /* arguments of how to build, not of what: not in the key */
    const char *extra[8];
    int ne = 0;
    for (int i = 0; vrt && vrt_makeflags[i]; i++)
        extra[ne++] = vrt_makeflags[i];
    for (int i = 0; has_file(&p->files, HIER_MK) && hier_makeflags[i]; i++)
        extra[ne++] = hier_makeflags[i];
    extra[ne] = NULL;
    if (compile_in(p, bdir, extra, verbose, progress)) {
        tmp_forget(slot); /* kept with the build log */
        free(bdir);
        return -1;
    }
    if (p->sim == SIM_VERILATOR && !vrt && lock >= 0)
        vrt_store(p, root, bdir);
    const char *why;
    if (lock >= 0 && publish_build(p, root, bdir, entry) == 0) {
        remove_tree(bdir);
        tmp_forget(slot);
        free(bdir);
        if (cache_hit(p, entry, x, &why))
            return 0;
        return error("%s: error: the simulator just stored is %s", entry,
                     why ? "damaged" : "missing");
    }
    if (lock >= 0)
        warning("%s: warning: cannot store the simulator in the cache: %s; it is used for "
                "this run only", entry, strerror(errno));
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/%s", bdir, p->exe);
    x->fd = open(path.buf, O_RDONLY); /* inherited by the run */
    sb_release(&path);
    x->dir = bdir;
    x->temporary = 1;
    x->slot = slot;
    if (x->fd < 0)
        return error("%s/%s: error: cannot open: %s", bdir, p->exe, strerror(errno));
    return 0;
}

/* Find the simulator of the plan in the cache, or build it. With force,
 * the entry is rebuilt whatever it holds (a cached simulator failed). */
static int get_sim(const struct sim_plan *p, int verbose, int progress, int force,
                   struct sim_exe *x)
{
    memset(x, 0, sizeof *x);
    x->fd = x->slot = -1;
    char *root = cache_root();
    struct strbuf entry = STRBUF_INIT, name = STRBUF_INIT;
    sb_addf(&name, "sim-%016llx", (unsigned long long)p->key);
    sb_addf(&entry, "%s/%s", root, name.buf);
    const char *why = NULL;
    int rc = 0;
    /* Readers need no lock: entries change only by a rename of a whole one. */
    if (force || !cache_hit(p, entry.buf, x, &why)) {
        int lock = -1, e = 0;
        struct strbuf what = STRBUF_INIT;
        tf_quiet++;
        if (mkdir_p(root)) {
            e = errno ? errno : EACCES;
            sb_addf(&what, "%s: warning: cannot create the cache folder", root);
        } else if ((lock = cache_lock(root, name.buf)) < 0) {
            e = errno;
            sb_addf(&what, "%s.lock: warning: cannot lock the cache entry", entry.buf);
        }
        tf_quiet--;
        if (lock < 0)
            warning("%s: %s; the simulator is built for this run only", what.buf, strerror(e));
        sb_release(&what);
        /* Another run may have built it while this one waited. */
        if (force || lock < 0 || !cache_hit(p, entry.buf, x, &why)) {
            if (why && !force)
                warning("%s: warning: the cached simulator is damaged (%s); rebuilding it",
                        entry.buf, why);
            rc = cache_build(p, root, entry.buf, lock, verbose, progress, x);
        }
        cache_unlock(lock);
    }
    sb_release(&entry);
    sb_release(&name);
    free(root);
    return rc;
}

/* ---------------------------------------------------------------- a run */

/* The files of one run, in a work directory. */
enum { F_CFG, F_ACT, F_WGT, F_RES, F_LOG, F_VCD, F_COUNT };
struct work {
    struct strbuf dir;
    int temporary; /* made here: removed after a successful run */
    int slot;      /* tmp_register()ed: removed on a signal */
    struct strbuf path[F_COUNT];
};

static int work_open(struct work *w, const char *keep)
{
    static const char *const names[F_COUNT] = { "cfg.txt", "act.hex", "wgt.hex", "res.txt",
                                                "run.log", "wave.vcd" };
    memset(w, 0, sizeof *w);
    w->temporary = !keep;
    w->slot = -1;
    if (keep) {
        sb_adds(&w->dir, keep);
        if (mkdir_p(w->dir.buf)) {
            sb_release(&w->dir);
            return -1;
        }
    } else {
        const char *t = getenv("TMPDIR");
        sb_addf(&w->dir, "%s/ternforge-run-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(w->dir.buf)) {
            error("%s: error: cannot create a work directory: %s", tf_progname,
                  strerror(errno));
            sb_release(&w->dir);
            return -1;
        }
        w->slot = tmp_register(w->dir.buf, 1);
    }
    for (int i = 0; i < F_COUNT; i++)
        sb_addf(&w->path[i], "%s/%s", w->dir.buf, names[i]);
    return 0;
}

/* A failed run keeps its files for the error message that names them. */
static void work_close(struct work *w, int ok)
{
    tmp_forget(w->slot); /* removed below, or kept for inspection */
    if (w->temporary && ok) {
        for (int i = 0; i < F_COUNT; i++)
            unlink(w->path[i].buf);
        rmdir(w->dir.buf);
    }
    for (int i = 0; i < F_COUNT; i++)
        sb_release(&w->path[i]);
    sb_release(&w->dir);
}

/* cfg.txt, act.hex, wgt.hex: every `batch` columns of every problem are
 * one job (a short last one when batch does not divide B). The number of
 * result beats the core must return goes to *beats. Unless o->zeros, the
 * don't-care fields are junk from o->seed. */
static int write_stimulus(const struct design_point *dp, const struct job_set *js,
                          const struct cosim_opts *o, const struct work *w, int *beats)
{
    const struct kind_ops *k = kind_get(dp);
    int K = dp->d.outputs;
    struct strbuf cfg = STRBUF_INIT, act = STRBUF_INIT, wgt = STRBUF_INIT;
    /* Its own stream: the junk does not follow the harness's stalls. */
    struct rng junk = { rng_mix(o->seed ^ 0x6a756e6b6a756e6bULL) };
    struct rng *j = o->zeros ? NULL : &junk;
    *beats = 0;
    for (int i = 0; i < js->n; i++) {
        /* Packed once per problem (a large W has many beats), so its jobs
         * share their padding junk. */
        struct strbuf wb = STRBUF_INIT;
        kind_pack_weights(dp, &js->W[i], j, &wb);
        for (int b = 0; b < js->X[i].cols; b += (int)dp->batch) {
            sb_addf(&cfg, "%d %d\n", js->W[i].rows, js->W[i].cols);
            k->pack_acts(dp, &js->X[i], b, j, &act);
            sb_add(&wgt, wb.buf, wb.len);
            *beats += (js->W[i].rows + K - 1) / K;
        }
        sb_release(&wb);
    }
    int rc = -1;
    if (!write_file_atomic(w->path[F_CFG].buf, cfg.buf ? cfg.buf : "", cfg.len) &&
        !write_file_atomic(w->path[F_ACT].buf, act.buf ? act.buf : "", act.len) &&
        !write_file_atomic(w->path[F_WGT].buf, wgt.buf ? wgt.buf : "", wgt.len))
        rc = 0;
    sb_release(&cfg);
    sb_release(&act);
    sb_release(&wgt);
    return rc;
}

/* Move a file to dst (copied when it is on another file system). */
static int move_file(const char *src, const char *dst)
{
    if (check_output_file(dst))
        return -1;
    if (rename(src, dst) == 0)
        return 0;
    size_t n;
    char *t = read_file(src, &n);
    int rc = t ? write_file_atomic(dst, t, n) : -1;
    free(t);
    unlink(src);
    return rc;
}

/* The stack the harness may grow, at least (capped by the hard limit).
 * Verilator compiles the settle function (OPT_SLOW=-O0) as one frame
 * with a slot for every temporary; a mu=8 table (3280 entries) needs
 * 9..16 MB of it, so under the usual 8 MB limit the harness died with
 * SIGSEGV in _stl_sequent before its first cycle. Raised here and kept
 * (children inherit it; restoring it could race with another thread's
 * fork); stack is only committed where it is touched. */
#define HARNESS_STACK (1024UL << 20)

static void raise_stack_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur >= HARNESS_STACK)
        return;
    rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < HARNESS_STACK ? rl.rlim_max
                                                                              : HARNESS_STACK;
    setrlimit(RLIMIT_STACK, &rl); /* best effort: a failure leaves the old limit */
}

/* Every `batch` columns of a problem are one job, as write_stimulus
 * writes them: the jobs of problem i. */
static long problem_jobs(const struct design_point *dp, const struct job_set *js, int i)
{
    return (js->X[i].cols + dp->batch - 1) / dp->batch;
}

/* The cycles the harness waits before it gives up on a core that stops
 * (a hang: a state machine waiting for a beat that never comes). The cost
 * model's cycle count of every job, exact without stalls (tests/cost),
 * summed as if no two jobs overlapped, is *expect; the bound leaves 16
 * times that for edited RTL (`--rtl`), and each stalling stream can slow
 * a beat by 1 / (1 - stall). Instead of the harness's default of 10^8
 * cycles, which takes hours on an FP core under iverilog. */
static unsigned long long cycle_bound(const struct design_point *dp, const struct job_set *js,
                                      int stall, double *expect)
{
    double c = 0;
    for (int i = 0; i < js->n; i++)
        c += (double)problem_jobs(dp, js, i) *
             (cost_job_cycles(dp, js->W[i].rows, js->W[i].cols) + 1);
    *expect = c;
    double q = 1 - stall / 100.0, b = 16 * c / (q * q * q) + 100000;
    return b < 1e15 ? (unsigned long long)b : 1000000000000000ULL;
}

/* The problem of job number `job` (0-based), or js->n. */
static int problem_of_job(const struct design_point *dp, const struct job_set *js, long long job)
{
    int i = 0;
    for (; i < js->n && job >= problem_jobs(dp, js, i); i++)
        job -= problem_jobs(dp, js, i);
    return i;
}

/* The harness stopped the run at its cycle bound: the core did not return
 * every result. Name the first problem without all of them in why[n]
 * (for the reports) and on stderr with the log's path. */
static void report_hang(const struct design_point *dp, const struct job_set *js,
                        const char *logt, double expect, const char *log, char *why, size_t n)
{
    long long cyc = 0, done = 0, all = 0;
    const char *c = strstr(logt, "harness: timeout after ");
    int i = js->n;
    if (sscanf(c, "harness: timeout after %lld cycles (jobs done %lld of %lld)", &cyc, &done,
               &all) != 3)
        snprintf(why, n, "the simulation stopped at its cycle limit");
    else if ((i = problem_of_job(dp, js, done)) >= js->n)
        snprintf(why, n, "the core returned every job's last result but the run did not "
                         "end within %lld cycles", cyc);
    else
        snprintf(why, n, "the core stopped: no last result for job %lld of %lld (problem %d, "
                         "%d x %d, B=%d) within %lld cycles, where the cost model counts %.0f "
                         "for all jobs without stalls (a hang)", done + 1, all, i + 1,
                 js->W[i].rows, js->W[i].cols, js->X[i].cols, cyc, expect);
    error("%s: error: %s; log: %s", tf_progname, why, log);
}

/* Run the compiled harness x on the stimulus; the cycle count it reports
 * goes to stats. A failure is reported (and its log shown) only with
 * `report`: a cached simulator that fails is rebuilt and run again first.
 * A core that stops before its last result (the harness's cycle bound) is
 * reported at once and returns -2: rebuilding the simulator cannot help. */
static int run_harness(const struct sim_exe *x, const struct cosim_opts *o,
                       const struct design_point *dp, const struct job_set *js,
                       const struct work *w, struct cosim_stats *stats, int report)
{
    double expect;
    unsigned long long bound = cycle_bound(dp, js, o->stall, &expect);
    struct args a = ARGS_INIT;
    unlink(w->path[F_RES].buf); /* a stale one must not pass for this run's */
    if (o->sim == SIM_VERILATOR) {
        args_addf(&a, "/proc/self/fd/%d", x->fd);
        args_add(&a, "+verilator+rand+reset+2");
        args_addf(&a, "+verilator+seed+%llu", (unsigned long long)(o->seed % 1000000 + 1));
    } else {
        args_add(&a, "vvp");
        args_add(&a, "-n");
        args_addf(&a, "/proc/self/fd/%d", x->fd);
    }
    /* Run in the work folder with plain names: vvp refuses a file name
     * with a newline, the harness holds at most 4096 bytes of one. */
    args_add(&a, "+cfg=cfg.txt");
    args_add(&a, "+act=act.hex");
    args_add(&a, "+wgt=wgt.hex");
    args_add(&a, "+res=res.txt");
    args_addf(&a, "+seed=%llu", (unsigned long long)o->seed);
    args_addf(&a, "+stall=%d", o->stall);
    args_addf(&a, "+maxcycles=%llu", bound);
    if (o->vcd)
        args_add(&a, "+vcd=wave.vcd");
    if (o->vcd && o->vcd_dut)
        args_add(&a, "+vcddut");
    const char *log = w->path[F_LOG].buf;
    if (o->sim == SIM_VERILATOR)
        raise_stack_limit();
    double t1 = wall_seconds();
    int st = run_cmd_progress(w->dir.buf, a.v, log, o->verbose,
                              o->progress ? "sim: simulating" : NULL);
    stats->sim_seconds = wall_seconds() - t1;
    args_free(&a);
    if (o->vcd && !access(w->path[F_VCD].buf, F_OK) && move_file(w->path[F_VCD].buf, o->vcd))
        st = st ? st : 1;
    char *logt = read_file(log, NULL);
    const char *c = logt ? strstr(logt, "harness: ") : NULL;
    long cyc = -1;
    if (c && sscanf(c, "harness: %ld cycles", &cyc) != 1)
        cyc = -1;
    if (c && sscanf(c, "harness: %*d cycles; load %lf s; loop %lf s; eval %lf s; loop cpu %lf s",
                    &stats->load_seconds, &stats->loop_seconds, &stats->eval_seconds,
                    &stats->loop_cpu_seconds) != 4)
        stats->load_seconds = stats->loop_seconds = stats->eval_seconds =
            stats->loop_cpu_seconds = 0;
    stats->cycles = cyc;
    if (logt && strstr(logt, "harness: timeout after ")) {
        report_hang(dp, js, logt, expect, log, stats->why, sizeof stats->why);
        show_log(log, 10);
        free(logt);
        return -2;
    }
    int failed = st != 0 || (logt && strstr(logt, "TIMEOUT")) || cyc < 0;
    free(logt);
    if (failed && report) {
        error("%s: error: simulation failed (status %d); log: %s", tf_progname, st, log);
        show_log(log, 10);
    } else if (failed) {
        warning("%s: warning: the cached simulator %s failed (status %d); rebuilding it",
                tf_progname, x->dir, st);
    }
    return failed ? -1 : 0;
}

/* One result beat "cycle last hex" into row group r of the job whose
 * first column is b (its columns b .. b+batch-1 that X has). 0, or -1
 * when the beat is malformed or its last flag is wrong. */
static int read_beat(const struct design_point *dp, const char **q, int r, int R, int b,
                     struct matrix *Y, int *beat_cycle, int64_t *vals)
{
    int K = dp->d.outputs, M = Y->rows, B = Y->cols;
    /* strtol, not sscanf: glibc's sscanf measures the rest of the buffer
     * (strlen) at every call, which made reading many beats quadratic (a
     * 31 MB result file took minutes). */
    char *e;
    long cyc = strtol(*q, &e, 10);
    if (e == *q || (*e != ' ' && *e != '\t'))
        return -1;
    const char *p = e;
    long last = strtol(p, &e, 10);
    if (e == p || (*e != ' ' && *e != '\t'))
        return -1;
    while (*e == ' ' || *e == '\t')
        e++;
    *q = e;
    size_t hn = strcspn(*q, " \n");
    if (unpack_result_beat(dp, *q, hn, vals) || last != (r == R - 1))
        return -1;
    *q += hn;
    if (**q == '\n')
        (*q)++;
    for (int c = 0; c < dp->batch && b + c < B; c++)
        for (int kk = 0; kk < K; kk++) {
            int row = r * K + kk;
            if (row < M) {
                MAT(Y, row, b + c) = vals[c * K + kk];
                if (beat_cycle)
                    beat_cycle[row * B + b + c] = (int)cyc;
            }
        }
    return 0;
}

/* Read result beats back in job order into Y[i] (and beat_cycle[i]). */
static int read_results(const struct design_point *dp, const struct job_set *js,
                        const struct work *w, int beats, struct matrix *Y, int **beat_cycle)
{
    int K = dp->d.outputs;
    char *res = read_file(w->path[F_RES].buf, NULL);
    if (!res)
        return -1;
    int64_t *vals = xmalloc((size_t)dp->d.acc_lanes * sizeof *vals);
    const char *q = res;
    int seen = 0, bad = 0;
    for (int i = 0; i < js->n && !bad; i++) {
        int M = js->W[i].rows, B = js->X[i].cols, R = (M + K - 1) / K;
        mat_init(&Y[i], M, B);
        if (dp->d.fp)
            Y[i].hex_digits = dp->d.lane_bits / 4;
        if (beat_cycle)
            beat_cycle[i] = xcalloc((size_t)M * (size_t)B, sizeof(int));
        for (int b = 0; b < B && !bad; b += (int)dp->batch)
            for (int r = 0; r < R && !bad; r++) {
                bad = read_beat(dp, &q, r, R, b, &Y[i], beat_cycle ? beat_cycle[i] : NULL,
                                vals) != 0;
                seen += !bad;
            }
    }
    free(vals);
    free(res);
    if (bad || seen != beats)
        return error("%s: error: the simulation returned %d well-formed result beats, "
                     "expected %d (res_last must close each job); see %s", tf_progname,
                     seen, beats, w->path[F_RES].buf);
    return 0;
}

int cosim_run(const struct design_point *dp, const struct job_set *js,
              const struct cosim_opts *o, struct matrix *Y, struct cosim_stats *stats,
              int **beat_cycle)
{
    struct cosim_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    double t0 = wall_seconds();
    struct sim_plan p;
    struct sim_exe x;
    if (sim_plan_init(&p, dp, o->sim, o->vcd != NULL, o->rtl_dir, o->top))
        return COSIM_INPUT;
    if (get_sim(&p, o->verbose, o->progress, 0, &x)) {
        sim_plan_free(&p);
        return COSIM_TOOL;
    }
    stats->build_seconds = wall_seconds() - t0;
    struct work w;
    int beats, rc = COSIM_TOOL;
    if (!work_open(&w, o->work)) {
        if (!write_stimulus(dp, js, o, &w, &beats)) {
            /* A cached simulator that fails (truncated, crashing, cannot
             * run) is rebuilt from scratch once before an RTL failure is
             * reported. */
            int hr = run_harness(&x, o, dp, js, &w, stats, !x.cached), ran = !hr;
            if (hr == -1 && x.cached) {
                sim_exe_release(&x);
                t0 = wall_seconds();
                if (!get_sim(&p, o->verbose, o->progress, 1, &x)) {
                    stats->build_seconds += wall_seconds() - t0;
                    ran = !run_harness(&x, o, dp, js, &w, stats, 1);
                }
            }
            if (ran && !read_results(dp, js, &w, beats, Y, beat_cycle))
                rc = 0;
        }
        work_close(&w, rc == 0);
    }
    sim_exe_release(&x);
    sim_plan_free(&p);
    return rc;
}
