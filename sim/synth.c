/* synth.c - the real synthesis flows behind synth.h.
 *
 * FLOW_ASIC: Yosys `synth`, dfflibmap and ABC onto a Liberty library, then
 * OpenSTA for the critical path and the power. ABC's script ends with
 * buffer/upsize/dnsize: without them high-fanout nets reach OpenSTA
 * unbuffered and show wire delays of ~10 ns that no real flow would keep.
 * With hier set, the top's instances stay modules (hier_keep_top_instances
 * says which and why): minutes instead of hours for 32x32 cores, since a
 * module repeated 64 times is synthesized once, and OpenSTA times the
 * hierarchical netlist across the module boundaries. Each kept module is
 * mapped in a Yosys run of its own and cached per module ("the split
 * hierarchical flow" below), unless one_run asks for the single run.
 * With opaque_fpadd set (any flow), every FP adder instance stays a module:
 * see keep_fpadd.
 * FLOW_XC7, FLOW_ICE40: Yosys synth_xilinx / synth_ice40, resource counts.
 * With hier set, the same instances stay modules (keep_modules) in one
 * Yosys run: synth_xilinx -flatten and synth_ice40 (which flattens by
 * default) leave keep_hierarchy modules whole, and the counts are read
 * from `stat -top`'s design hierarchy, the sum over every kept instance.
 * There is no per-module cache and no automatic --hier on them.
 *
 * A run happens in a work directory holding the generated RTL, the scripts
 * (synth.ys, sta.tcl, <prefix>.sdc), the logs (yosys.log, sta.log), stat.txt and
 * netlist.v. The scripts name files relative to that directory, so the
 * cache key -- RTL names and texts, flow, script texts, the Liberty file's
 * content, clock, activity, tool versions -- does not depend on where the
 * run happens. Results go to $TERNFORGE_CACHE/synth-<key>.txt as key=value
 * lines ending in a checksum line (cache.h): a damaged entry is not used
 * and the run that follows replaces it.
 *
 * What the numbers mean:
 *  ASIC  SRAM macros (<prefix>_sram_1r1w, mem_style=sram) stay black
 *        boxes, renamed <prefix>_sram_<depth>x<width>: not in area, cells or power
 *        here, and OpenSTA times no path through them.
 *        cells: every mapped cell (Yosys stat); seq_cells: those whose
 *        Liberty cell has an ff, ff_bank, latch, latch_bank or statetable
 *        group, read from the library itself, so the count does not depend
 *        on cell naming (DFFPOSX1 here, sky130_fd_sc_hd__dfxtp_1 there).
 *        critical_path_ns = clock_ns - worst setup slack: the shortest
 *        period at which every path meets setup. Inputs and outputs are
 *        constrained with delay 0 to clk, so port-to-flop and flop-to-port
 *        paths count too (arrival + setup at flops, arrival at outputs).
 *        power_*: OpenSTA report_power with every non-clock net toggling
 *        `activity` times per clock cycle (set_power_activity -global);
 *        the clock net gets its own activity from create_clock. OpenSTA
 *        prints watts; we store mW.
 *  XC7   out of context (-noiopad -noclkbuf: a core sits inside a larger
 *        design, its ports are not pins). luts: LUT1..LUT6 and INV (a LUT1
 *        once placed), plus the LUTs that LUTRAM and SRL cells occupy
 *        (xc7_cells below: RAM32M = 4, RAM64X1D = 2, SRLC32E = 1, ...).
 *        ffs: FD*; carry: CARRY4; dsps: DSP48E1 (inference left on, as in a
 *        real flow); brams in 18 Kb blocks (RAMB18E1 = 1, RAMB36E1 = 2).
 *  ICE40 luts: SB_LUT4; ffs: SB_DFF*; carry: SB_CARRY; dsps: SB_MAC16
 *        (always 0: synth_ice40 without -dsp targets HX/LP parts, which
 *        have none); brams: SB_RAM40_4K.
 *  FPGA flows set cells to all cells and seq_cells to ffs. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "synth.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../gen/shell.h"
#include "../model/cost.h"
#include "../gen/memories.h"
#include "../gen/vw.h"
#include "cache.h"
#include "tools.h"
#include "util.h"
#include "version.h"

static const char *const flow_names[] = { "asic", "xc7", "ice40" };

void flow_of(const struct tech *t, double clock_ns, struct synth_flow *f)
{
    f->kind = t->target == TECH_ASIC ? FLOW_ASIC : t->target == TECH_XC7 ? FLOW_XC7 : FLOW_ICE40;
    f->liberty = t->liberty;
    f->clock_ns = clock_ns > 0 ? clock_ns : t->clock_ns;
    f->activity = t->activity;
    f->hier = 0;
    f->opaque_fpadd = 0;
    f->one_run = 0;
}

/* Flat runs grow with the FP adders ABC sees at once: FP16 8x8 (64 MACs a
 * cycle) takes 3-6 minutes flat and 2 with the hierarchy kept, a 16x16 FP
 * core tens of minutes, a 32x32 one hours (docs/cost-model.md, the table
 * under "Hierarchical synthesis"). Integer cores are cheaper per MAC (INT8
 * 8x8: 20 s flat) and their hierarchical paths time 4-10 % short, so they
 * stay flat up to 16x16. Flat stays the default below: it is the flow
 * the model is calibrated against. */
int synth_auto_hier_limit(const struct design_point *dp)
{
    return dp->d.fp ? SYNTH_AUTO_HIER_FP : SYNTH_AUTO_HIER_INT;
}

int synth_auto_hier(const struct design_point *dp, const struct synth_flow *f)
{
    long tile = (long)dp->d.outputs * dp->d.tile_cols;
    return f->kind == FLOW_ASIC && tile > synth_auto_hier_limit(dp);
}

/* ------------------------------------------------------------ scripts */

/* The ABC script of the ASIC flow ({D} is replaced by abc's -D value). It
 * needs no escaping in a script file: Yosys keeps the quoted string whole. */
#define ABC_ASIC "+strash;ifraig;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;" \
                 "buffer,-N,8;upsize,{D};dnsize,{D};stime,-p"

static void add_read_verilog(struct strbuf *ys, const struct gen_files *gf)
{
    sb_adds(ys, "read_verilog -sv");
    for (int i = 0; i < gf->n; i++) {
        size_t n = strlen(gf->name[i]);
        if (n > 2 && !strcmp(gf->name[i] + n - 2, ".v"))
            sb_addf(ys, " %s", gf->name[i]);
    }
    sb_adds(ys, "\n");
}

/* The hierarchical ASIC flow (--hier): the instances in the top stay
 * modules of their own, so each distinct module (one per parameter set) is
 * synthesized and mapped once however many instances the top has, and
 * everything below a kept instance is flattened into it. Three exceptions,
 * both measured (docs/cost-model.md):
 *  - Deeper levels are not kept. tf_tlut_lut builds its entries with
 *    dozens of tf_fpadd instances that read the same activations and the
 *    same negated entries; only flattened can Yosys and ABC merge the
 *    unpacking, compare and shift logic those adders repeat (FP16 8x8 LUT
 *    core: +25 % area with every level kept).
 *  - The activation buffer (*_ram) and the result FIFO (*_fifo), one
 *    instance each, go into the top. Kept apart, ABC maps the top's read
 *    address logic for a load of one, and that gate then drives the
 *    buffer's hundreds of read multiplexers (9.4 ns on one OAI21 in an
 *    INT8 8x8 LUT core); a single instance saves no synthesis time anyway.
 *  - An integer LUT build (*_tlut_lut of an integer or block-scaled
 *    point) goes into the top too, unless every instance is to be kept
 *    (HIER_ALL: calibrate --parts fits its area as a row of its own).
 *    Its load enable drives every table register inside the module; ABC
 *    buffers neither a module's input port nor the top's net for the load
 *    beyond an instance pin, so one BUFX2 in the top drove them all
 *    (INT8 8x8 LUT core: 6.99 ns, 4.1 ns on that buffer, against 4.92 ns
 *    flat). Flattened, the build costs the top's ABC run seconds; FP
 *    builds (dozens of FP adders) stay kept, they are where the time goes.
 * The kept cells: the top's cells whose type is a module (not an internal
 * $ cell, or a $paramod: a parameterized module, named so by
 * `hierarchy`), less those. */
static void hier_keep_top_instances(struct strbuf *ys, const char *prefix, int int_lut)
{
    const char *p = prefix;
    sb_addf(ys, "setattr -set keep_hierarchy 1 %s_top/t:* %s_top/t:$* %%d %s_top/t:$paramod* %%u "
                "%s_top/t:*_ram %s_top/t:$paramod*_ram %%u %s_top/t:*_fifo %%u "
                "%s_top/t:$paramod*_fifo %%u ", p, p, p, p, p, p, p);
    if (int_lut)
        sb_addf(ys, "%s_top/t:*_tlut_lut %%u %s_top/t:$paramod*_tlut_lut %%u ", p, p);
    sb_adds(ys, "%d\n");
}

/* opaque_fpadd: every FP adder instance (<prefix>_fpadd, in the table
 * build, the adder trees and the accumulators, at any depth) stays a
 * module, synthesized and mapped once per parameter set, as a vendor FP
 * adder macro is opaque to the flow that places it. Flattened, Yosys and
 * ABC merge the identical left-to-right prefixes of a direct FP table
 * build (reports/studies/lut-build), and a flat run of a µ = 5 FP16 table
 * takes more than 5 minutes; kept, neither happens. */
static void keep_fpadd(struct strbuf *ys, const char *prefix)
{
    sb_addf(ys, "setattr -set keep_hierarchy 1 t:%s_fpadd t:$paramod*%s_fpadd %%u\n", prefix,
            prefix);
}

/* What keeps modules apart: the hierarchy pass both need, then each. */
static void keep_modules(struct strbuf *ys, const struct synth_flow *f, const char *prefix,
                         int top_instances, int int_lut)
{
    if (!(top_instances && f->hier) && !f->opaque_fpadd)
        return;
    sb_addf(ys, "hierarchy -check -top %s_top\n", prefix);
    if (top_instances && f->hier)
        hier_keep_top_instances(ys, prefix, int_lut);
    if (f->opaque_fpadd)
        keep_fpadd(ys, prefix);
}

/* Whether a run of f leaves more than one module (stat -top, the design
 * hierarchy's figures). */
static int kept_modules(const struct synth_flow *f)
{
    return f->hier || f->opaque_fpadd;
}

/* Whether a --hier run puts an integer LUT build into the top
 * (hier_keep_top_instances says why, for the ASIC flow) rather than keep
 * it: unless every instance is to be kept (HIER_ALL). On the FPGAs it
 * changes no count (INT8 8x8 mu=2: the same LUTs, FFs and carry cells kept
 * or not, xc7 and ice40: the tables are registered, so the boundary falls
 * on flip-flops); they use it so that every flow keeps one selection. */
static int int_lut_in_top(const struct design_point *dp, const struct synth_flow *f)
{
    return f->hier != HIER_ALL && dp->kind == KIND_TLUT && !dp->d.fp;
}

/* The end of every flow: the macros renamed, netlist.v. OpenSTA's Verilog
 * reader takes no #(...) on an instance, and makes one black box per
 * module: each macro becomes a module of its shape,
 * <prefix>_sram_<depth>x<width>, as a memory compiler names its macros (the
 * prefix keeps the macros of two cores apart in one design). */
static void write_netlist(struct strbuf *ys, const char *prefix, const struct tf_memory *mem,
                          int macros)
{
    for (int i = 0; i < macros; i++)
        sb_addf(ys, "setparam -type %s_sram_%dx%d -unset DEPTH -unset WIDTH c:%s\n",
                prefix, mem[i].depth, mem[i].width, strchr(mem[i].instance, '.') + 1);
    /* -simple-lhs: OpenSTA cannot read concatenations on the left of an assign. */
    sb_adds(ys, "write_verilog -noattr -simple-lhs netlist.v\n");
}

void synth_yosys_script(struct strbuf *ys, const struct design_point *dp,
                        const struct gen_files *gf, const struct synth_flow *f, const char *lib)
{
    char *top = gen_name(dp, "_top");
    struct tf_memory mem[2];
    int macros = f->kind == FLOW_ASIC ? memories_of(dp, mem) : 0;
    add_read_verilog(ys, gf);
    switch (f->kind) {
    case FLOW_ASIC:
        /* SRAM macros are not standard cells: a black box, priced from the
         * technology file (cli: synth_add_macros). FPGA flows keep the
         * model, which they map to block RAM. */
        if (macros)
            sb_addf(ys, "blackbox %s_sram_1r1w\n", gf->prefix);
        keep_modules(ys, f, gf->prefix, 1, int_lut_in_top(dp, f));
        sb_addf(ys,
                "synth -top %s -flatten -noshare\n"
                "dfflibmap -liberty \"%s\"\n"
                "abc -D %ld -liberty \"%s\" -script \"%s\"\n"
                /* -purge: no unused internal wires (some carry 'x) */
                "opt_clean -purge\n"
                "tee -q -o stat.txt stat -liberty \"%s\"%s%s\n",
                top, lib, (long)(f->clock_ns * 1000.0 + 0.5), lib, ABC_ASIC, lib,
                kept_modules(f) ? " -top " : "", kept_modules(f) ? top : "");
        break;
    case FLOW_XC7:
        keep_modules(ys, f, gf->prefix, 1, int_lut_in_top(dp, f));
        sb_addf(ys, "synth_xilinx -top %s -flatten -noiopad -noclkbuf\n"
                    "tee -q -o stat.txt stat%s%s\n", top, kept_modules(f) ? " -top " : "",
                kept_modules(f) ? top : "");
        break;
    case FLOW_ICE40:
        keep_modules(ys, f, gf->prefix, 1, int_lut_in_top(dp, f));
        sb_addf(ys, "synth_ice40 -top %s\n"
                    "tee -q -o stat.txt stat%s%s\n", top, kept_modules(f) ? " -top " : "",
                kept_modules(f) ? top : "");
        break;
    }
    write_netlist(ys, gf->prefix, mem, macros);
    free(top);
}

/* Ports of one role set as a Tcl list: "{a b c}". */
static void port_list(struct strbuf *sb, const struct shell_port *p, int n, int output)
{
    sb_adds(sb, "[get_ports {");
    for (int i = 0, first = 1; i < n; i++) {
        if (p[i].output != output || !strcmp(p[i].role, "clock"))
            continue;
        sb_addf(sb, "%s%s", first ? "" : " ", p[i].name);
        first = 0;
    }
    sb_adds(sb, "}]");
}

/* The ports of dp's top and the name of its clock. */
static int ports_and_clock(const struct design_point *dp, struct shell_port *p,
                           const char **clk)
{
    int n = shell_ports(dp, p);
    *clk = NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i].role, "clock"))
            *clk = p[i].name;
    if (!*clk)
        BUG("the top has no clock port");
    return n;
}

/* set_input_delay and set_output_delay of every port but the clock. */
static void io_delays(struct strbuf *sb, const struct shell_port *p, int n, const char *clk,
                      double in_ns, double out_ns)
{
    sb_addf(sb, "set_input_delay %.6g -clock %s ", in_ns, clk);
    port_list(sb, p, n, 0);
    sb_addf(sb, "\nset_output_delay %.6g -clock %s ", out_ns, clk);
    port_list(sb, p, n, 1);
    sb_adds(sb, "\n");
}

char *synth_sdc(const struct design_point *dp, double clock_ns)
{
    struct shell_port p[SHELL_PORTS_MAX];
    const char *clk;
    int n = ports_and_clock(dp, p, &clk);
    struct strbuf sb = STRBUF_INIT;
    char *name = gen_name(dp, ".sdc"), *top = gen_name(dp, "_top");
    sb_addf(&sb, "# %s - timing constraints of %s (docs/integration.md)\n", name, top);
    sb_addf(&sb, "# Generated by ternforge %s for design point %016llx.\n", TF_VERSION,
            (unsigned long long)dp_fingerprint(dp));
    sb_addf(&sb, "# Inputs arrive %g %% of the period after the clock edge and outputs\n"
                 "# must be stable %g %% of the period before the next one: the logic\n"
                 "# around the core gets that share of the cycle.\n",
            100 * SDC_INPUT_FRACTION, 100 * SDC_OUTPUT_FRACTION);
    sb_addf(&sb, "create_clock -name %s -period %.6g [get_ports {%s}]\n", clk, clock_ns, clk);
    io_delays(&sb, p, n, clk, SDC_INPUT_FRACTION * clock_ns, SDC_OUTPUT_FRACTION * clock_ns);
    free(name);
    free(top);
    return sb_detach(&sb);
}

/* OpenSTA script; `lib` is an absolute path without braces. It reads the
 * SDC gen writes (synth_sdc), then measures the core alone: input and
 * output delays 0, so critical_path_ns keeps the meaning above. */
void synth_sta_prelude(struct strbuf *tcl, const struct design_point *dp, const char *lib,
                       const char *netlist)
{
    struct shell_port p[SHELL_PORTS_MAX];
    const char *clk;
    int n = ports_and_clock(dp, p, &clk);
    char *top = gen_name(dp, "_top"), *sdc = gen_name(dp, ".sdc");
    sb_addf(tcl, "read_liberty {%s}\nread_verilog %s\nlink_design %s\nread_sdc %s\n",
            lib, netlist, top, sdc);
    io_delays(tcl, p, n, clk, 0, 0);
    free(top);
    free(sdc);
}

char *synth_clock_port(const struct design_point *dp)
{
    struct shell_port p[SHELL_PORTS_MAX];
    const char *clk;
    ports_and_clock(dp, p, &clk);
    return xstrdup(clk);
}

static void sta_script(struct strbuf *tcl, const struct design_point *dp,
                       const struct synth_flow *f, const char *lib)
{
    synth_sta_prelude(tcl, dp, lib, "netlist.v");
    sb_addf(tcl,
            "report_checks -path_delay max -digits 4\n"
            "report_worst_slack -digits 4\n"
            "set_power_activity -global -activity %.6g\n"
            "report_power -digits 6\n",
            f->activity);
}

/* ------------------------------------------------------- tool versions */

static char *yosys_version, *sta_version, *versions;

const char *synth_tool_versions(void)
{
    if (!versions) {
        char *yv[] = { "yosys", "-V", NULL }, *sv[] = { "sta", "-version", NULL };
        yosys_version = cmd_first_line(yv);
        sta_version = cmd_first_line(sv);
        struct strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "yosys: %s; sta: %s", yosys_version ? yosys_version : "not found",
                sta_version ? sta_version : "not found");
        versions = sb_detach(&sb);
    }
    return versions;
}

/* ----------------------------------------------------- Liberty reading */

struct names {
    int n, alloc;
    char **v;
};

static void names_add(struct names *s, const char *p, size_t n)
{
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 64;
        s->v = xrealloc(s->v, (size_t)s->alloc * sizeof *s->v);
    }
    char *t = xmalloc(n + 1);
    memcpy(t, p, n);
    t[n] = '\0';
    s->v[s->n++] = t;
}

/* The index of the n bytes at p among s's names, or -1. */
static int names_index(const struct names *s, const char *p, size_t n)
{
    for (int i = 0; i < s->n; i++)
        if (strlen(s->v[i]) == n && !memcmp(s->v[i], p, n))
            return i;
    return -1;
}

static void names_free(struct names *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->n = s->alloc = 0;
    s->v = NULL;
}

static int is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
}

/* The cells of a Liberty text that hold state: a `cell (NAME) { ... }`
 * group with an ff, ff_bank, latch, latch_bank or statetable group
 * inside. A token scan (comments and strings skipped, braces counted) is
 * enough: these group names are fixed by the Liberty format. */
static void liberty_seq_cells(const char *t, struct names *seq)
{
    int depth = 0, cell_depth = -1, is_seq = 0;
    const char *name = NULL;
    size_t name_len = 0;
    for (const char *p = t; *p;) {
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
        } else if (*p == '{') {
            depth++;
            p++;
        } else if (*p == '}') {
            if (--depth == cell_depth) {
                if (is_seq)
                    names_add(seq, name, name_len);
                cell_depth = -1;
            }
            p++;
        } else if (is_ident(*p)) {
            const char *w = p;
            while (is_ident(*p))
                p++;
            size_t wn = (size_t)(p - w);
            const char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q != '(')
                continue;
#define WORD(s) (wn == sizeof(s) - 1 && !memcmp(w, s, wn))
            if (WORD("cell") && cell_depth < 0) {
                q++;
                while (*q == ' ' || *q == '\t' || *q == '"')
                    q++;
                name = q;
                while (*q && *q != ')' && *q != '"' && *q != ' ' && *q != '\t')
                    q++;
                name_len = (size_t)(q - name);
                cell_depth = depth;
                is_seq = 0;
            } else if (cell_depth >= 0 && depth > cell_depth &&
                       (WORD("ff") || WORD("ff_bank") || WORD("latch") ||
                        WORD("latch_bank") || WORD("statetable"))) {
                is_seq = 1;
            }
#undef WORD
        } else {
            p++;
        }
    }
}

/* ------------------------------------------------------ Yosys stat text */

struct stat_text {
    int modules;
    long cells;   /* -1: not found */
    double area;  /* -1: not found */
    struct names type;
    long *count;  /* per type */
};

/* Parse the text of `stat` (one flattened module): "=== tf_top ===",
 * "Number of cells: N", then one "NAME COUNT" line per cell type, and with
 * -liberty "Chip area for module '\tf_top': A". A hierarchical run
 * (`stat -top`) lists every module, then the whole design in the same
 * form under "=== design hierarchy ===" with "Chip area for top module":
 * only that last section is read. A core with no instance to keep (an
 * integer tsign core) comes out as one module even then. */
static int parse_stat(const char *path, int hier, struct stat_text *st)
{
    memset(st, 0, sizeof *st);
    st->cells = -1;
    st->area = -1;
    char *t = read_file(path, NULL);
    if (!t)
        return -1;
    char *from = hier ? strstr(t, "=== design hierarchy ===") : NULL;
    if (!from)
        from = t;
    int in_cells = 0, alloc = 0;
    for (char *line = strtok(from, "\n"); line; line = strtok(NULL, "\n")) {
        char name[256];
        long n;
        const char *c;
        if (in_cells && sscanf(line, " %255s %ld", name, &n) == 2 && name[0] != '=') {
            if (st->type.n == alloc) {
                alloc = alloc ? 2 * alloc : 32;
                st->count = xrealloc(st->count, (size_t)alloc * sizeof *st->count);
            }
            st->count[st->type.n] = n;
            names_add(&st->type, name, strlen(name));
            continue;
        }
        in_cells = 0;
        if (!strncmp(line, "=== ", 4))
            st->modules++;
        else if ((c = strstr(line, "Number of cells:")) &&
                 sscanf(c + 16, "%ld", &st->cells) == 1)
            in_cells = 1;
        else if ((strstr(line, "Chip area for module") ||
                  strstr(line, "Chip area for top module")) && (c = strrchr(line, ':')))
            sscanf(c + 1, "%lf", &st->area);
    }
    free(t);
    if (st->modules != 1 || st->cells < 0)
        return error("%s: error: expected the statistics of one flattened module", path);
    return 0;
}

static void stat_free(struct stat_text *st)
{
    names_free(&st->type);
    free(st->count);
}

/* --------------------------------------- the area by kept instance */

/* The module areas of `stat -liberty -top`: a "=== NAME ===" header, then
 * "Chip area for module '\NAME': A" (no such line: a module without
 * cells, area 0), up to "=== design hierarchy ===", whose "Chip area for
 * top module" line is the total. */
struct mod_areas {
    struct names name;
    double *area;
    int alloc;
    double total; /* -1: not found */
};

static void mod_areas_read(const char *stat, struct mod_areas *m)
{
    memset(m, 0, sizeof *m);
    m->total = -1;
    int hier = 0;
    for (const char *p = stat; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *c;
        if (n > 8 && !strncmp(p, "=== ", 4) && !strncmp(p + n - 4, " ===", 4)) {
            hier = n == 24 && !strncmp(p, "=== design hierarchy ===", 24);
            if (!hier) {
                if (m->name.n == m->alloc) {
                    m->alloc = m->alloc ? 2 * m->alloc : 16;
                    m->area = xrealloc(m->area, (size_t)m->alloc * sizeof *m->area);
                }
                m->area[m->name.n] = 0;
                names_add(&m->name, p + 4, n - 8);
            }
        } else if ((c = strstr(p, "Chip area for ")) && c < p + n &&
                   (c = memchr(c, ':', (size_t)(p + n - c)))) {
            double a;
            if (sscanf(c + 1, "%lf", &a) == 1) {
                if (hier)
                    m->total = a;
                else if (m->name.n)
                    m->area[m->name.n - 1] = a;
            }
        }
        p += n + (e != NULL);
    }
}

/* One whitespace-delimited token of a netlist line, a Verilog escaped
 * identifier's backslash dropped (stat names modules without it). */
static const char *token(const char *p, const char **end)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\\')
        p++;
    *end = p;
    while (**end && **end != ' ' && **end != '\t' && **end != '\n')
        (*end)++;
    return p;
}

int synth_parts(const char *stat, const char *netlist, const char *top, const char *what,
                struct synth_result *r)
{
    struct mod_areas m;
    int rc = -1;
    r->nparts = 0;
    mod_areas_read(stat, &m);
    int topi = -1;
    for (int i = 0; i < m.name.n; i++)
        if (!strcmp(m.name.v[i], top))
            topi = i;
    /* a core with no instance to keep comes out as its top alone, and
     * stat then prints no design hierarchy */
    if (topi >= 0 && m.total < 0 && m.name.n == 1)
        m.total = m.area[topi];
    if (topi < 0 || m.total < 0) {
        error("%s: error: synth: no area of module %s or of the design hierarchy in the "
              "statistics", what, top);
        goto out;
    }
    struct synth_part *tp = &r->part[r->nparts++];
    memset(tp, 0, sizeof *tp);
    snprintf(tp->group, sizeof tp->group, "top");
    tp->area_um2 = m.area[topi];
    /* the top's instance lines: "  TYPE NAME (" */
    size_t tl = strlen(top);
    const char *p = netlist;
    while ((p = strstr(p, "module ")) && !((p == netlist || p[-1] == '\n') &&
                                           !strncmp(p + 7, top, tl) && p[7 + tl] == '('))
        p += 7;
    if (!p) {
        error("%s: error: synth: no module %s in the netlist", what, top);
        goto out;
    }
    for (p = strchr(p, '\n'); p && strncmp(p + 1, "endmodule", 9); p = strchr(p + 1, '\n')) {
        const char *te, *ne, *rest;
        const char *t = token(p + 1, &te);
        const char *nm = token(te, &ne);
        for (rest = ne; *rest == ' '; rest++)
            ;
        if (te == t || ne == nm || rest[0] != '(' || rest[1] != '\n')
            continue;
        int mi = -1;
        for (int i = 0; i < m.name.n && mi < 0; i++)
            if (i != topi && strlen(m.name.v[i]) == (size_t)(te - t) &&
                !strncmp(m.name.v[i], t, (size_t)(te - t)))
                mi = i;
        if (mi < 0)
            continue; /* a library cell of the top */
        /* g_port[1].g_sel[0].u_sel -> u_sel; u_add0_1_0 -> u_add */
        const char *b = nm;
        for (const char *q = nm; q < ne; q++)
            if (*q == '.')
                b = q + 1;
        const char *be = ne;
        while (be > b + 1 && ((be[-1] >= '0' && be[-1] <= '9') || be[-1] == '_'))
            be--;
        char g[sizeof tp->group];
        snprintf(g, sizeof g, "%.*s", (int)(be - b), b);
        int k = 1;
        while (k < r->nparts && strcmp(r->part[k].group, g))
            k++;
        if (k == r->nparts) {
            if (k == SYNTH_PARTS_MAX) {
                error("%s: error: synth: more than %d groups of instances in %s", what,
                      SYNTH_PARTS_MAX - 1, top);
                goto out;
            }
            memset(&r->part[k], 0, sizeof r->part[k]);
            memcpy(r->part[k].group, g, sizeof g);
            r->nparts++;
        }
        r->part[k].instances++;
        r->part[k].area_um2 += m.area[mi];
    }
    double sum = 0;
    for (int k = 0; k < r->nparts; k++)
        sum += r->part[k].area_um2;
    /* stat prints areas to 6 decimals: a kept module the netlist does not
     * name (or names twice) shows here */
    if (fabs(sum - m.total) > 1e-6 * m.total + 0.01) {
        error("%s: error: synth: the instances of %s add up to %.6f um2, the design "
              "hierarchy to %.6f um2", what, top, sum, m.total);
        goto out;
    }
    rc = 0;
out:
    if (rc)
        r->nparts = 0;
    names_free(&m.name);
    free(m.area);
    return rc;
}

/* The model components each kept instance of a --hier run holds, by its
 * group (synth_parts: the instance name less its generate path and
 * trailing digits): the instance names the emitters give (gen/tlut.c,
 * gen/tbase.c, gen/fixp.c, gen/shell.c, gen/fpdp.c). `feats` 0: every
 * feature of those components; else only these (a bit per feature), the
 * rest of the component being the top's cells. The top's own cells hold
 * every priced feature no kept instance of the design claims: the
 * activation buffer and the FIFO, which the flow flattens into the top on
 * purpose (hier_keep_top_instances), and whatever the emitter writes
 * inline. */
#define FEAT(f) (1ul << (f))
static const struct {
    const char *group;
    unsigned comps;
    unsigned long feats;
} part_comps[] = {
    { "u_lut", 1u << COMP_LUT_BUILD | 1u << COMP_LUT_STORE, 0 },
    { "u_sel", 1u << COMP_KEY_SELECT | 1u << COMP_SIGN, 0 },
    { "u_fsel", 1u << COMP_KEY_SELECT | 1u << COMP_SIGN, 0 },
    { "u_add", 1u << COMP_ADDER_TREE, 0 },
    /* tf_fpadd alone (gen/shell.c emit_acc_fp): the accumulator
     * registers and the first-tile select of its operand are the top's */
    { "u_acc", 1u << COMP_ACCUMULATOR, FEAT(F_FPADD) | FEAT(F_FPPIPE) },
    { "u_mul", 1u << COMP_MULTIPLIER, 0 },
    { "u_conv", 1u << COMP_CONVERT, 0 },
    { "u_cv", 1u << COMP_CONVERT, 0 },  /* block-scaled block converters */
    { "u_dec", 1u << COMP_DECODE, 0 },  /* block-scaled element decoders */
    /* FP8 activations widened into the sum format (tf_fpwiden, gen/fpdp.c):
     * the buffer's storage and lane masks are the top's */
    { "u_w", 1u << COMP_ACT_BUFFER, FEAT(F_FPCVT) },
};
_Static_assert(F__COUNT <= 32, "a feature mask is an unsigned long");

int synth_part_rows(const struct synth_result *r, const struct cost *c, const struct tech *t,
                    struct part_row *row)
{
    int n = 0;
    unsigned long claimed[COMP__COUNT] = { 0 }; /* features each row above the top holds */
    for (int i = 0; i < r->nparts; i++) {
        const struct synth_part *p = &r->part[i];
        unsigned m = 0;
        unsigned long fm = 0;
        for (size_t j = 0; strcmp(p->group, "top") && j < sizeof part_comps / sizeof *part_comps;
             j++)
            if (!strcmp(part_comps[j].group, p->group)) {
                m = part_comps[j].comps;
                fm = part_comps[j].feats ? part_comps[j].feats : ~0ul;
            }
        int k = 0;
        while (k < n && !(m && row[k].comps == m && row[k].part == (fm != ~0ul ? m : 0)))
            k++;
        if (k == n) {
            memset(&row[n++], 0, sizeof *row);
            row[k].comps = m;
            row[k].part = fm != ~0ul ? m : 0;
            for (int q = 0; q < COMP__COUNT; q++)
                if (m >> q & 1) {
                    for (int f = 0; f < F__COUNT; f++)
                        if (fm >> f & 1)
                            row[k].x[f] += c->x[q][f];
                    claimed[q] |= fm;
                }
        }
        size_t l = strlen(row[k].groups);
        snprintf(row[k].groups + l, sizeof row[k].groups - l, "%s%s", l ? "+" : "", p->group);
        row[k].instances += p->instances;
        row[k].measured += p->area_um2;
    }
    for (int q = 0; q < COMP__COUNT; q++) { /* what is left: r->part[0], the top */
        double area = 0;
        for (int f = 0; f < F__COUNT; f++)
            if (!(claimed[q] >> f & 1)) {
                row[0].x[f] += c->x[q][f];
                area += c->x[q][f] * t->unit[M_AREA][f];
            }
        if (area != 0) {
            row[0].comps |= 1u << q;
            if (claimed[q])
                row[0].part |= 1u << q;
        }
    }
    for (int i = 0; i < n; i++)
        for (int f = 0; f < F__COUNT; f++)
            row[i].model += row[i].x[f] * t->unit[M_AREA][f];
    return n;
}

enum { C_LUT, C_FF, C_CARRY, C_DSP, C_BRAM };
struct cell_rule {
    const char *name;
    int prefix; /* name is a prefix (LUT1..LUT6, FDRE/FDSE/..., SB_DFF*) */
    int what, weight;
};

static const struct cell_rule xc7_cells[] = {
    { "LUT", 1, C_LUT, 1 },       { "INV", 0, C_LUT, 1 },
    { "SRL16E", 0, C_LUT, 1 },    { "SRLC16E", 0, C_LUT, 1 },   { "SRLC32E", 0, C_LUT, 1 },
    { "RAM16X1S", 0, C_LUT, 1 },  { "RAM32X1S", 0, C_LUT, 1 },  { "RAM64X1S", 0, C_LUT, 1 },
    { "RAM128X1S", 0, C_LUT, 2 }, { "RAM256X1S", 0, C_LUT, 4 },
    { "RAM16X1D", 0, C_LUT, 2 },  { "RAM32X1D", 0, C_LUT, 2 },  { "RAM64X1D", 0, C_LUT, 2 },
    { "RAM128X1D", 0, C_LUT, 4 }, { "RAM32M", 0, C_LUT, 4 },    { "RAM64M", 0, C_LUT, 4 },
    { "FD", 1, C_FF, 1 },         { "CARRY4", 0, C_CARRY, 1 },  { "DSP48E1", 0, C_DSP, 1 },
    { "RAMB18E1", 0, C_BRAM, 1 }, { "RAMB36E1", 0, C_BRAM, 2 },
    { NULL, 0, 0, 0 },
};

static const struct cell_rule ice40_cells[] = {
    { "SB_LUT4", 0, C_LUT, 1 },   { "SB_DFF", 1, C_FF, 1 },    { "SB_CARRY", 0, C_CARRY, 1 },
    { "SB_MAC16", 0, C_DSP, 1 },  { "SB_RAM40_4K", 0, C_BRAM, 1 },
    { NULL, 0, 0, 0 },
};

static void count_fpga(const struct stat_text *st, const struct cell_rule *rules,
                       struct synth_result *r)
{
    long *dst[] = { &r->luts, &r->ffs, &r->carry, &r->dsps, &r->brams };
    for (int i = 0; i < st->type.n; i++) {
        const char *c = st->type.v[i];
        for (const struct cell_rule *k = rules; k->name; k++)
            if (k->prefix ? !strncmp(c, k->name, strlen(k->name)) : !strcmp(c, k->name)) {
                *dst[k->what] += k->weight * st->count[i];
                break;
            }
    }
    r->cells = st->cells;
    r->seq_cells = r->ffs;
}

/* --------------------------------------------------------- OpenSTA log */

int synth_power_line(const char *line, double *total, double *internal, double *switching,
                     double *leakage)
{
    double pi, ps, pl, pt;
    if (sscanf(line, "Total %lf %lf %lf %lf", &pi, &ps, &pl, &pt) != 4)
        return 0;
    *internal = 1e3 * pi;
    *switching = 1e3 * ps;
    *leakage = 1e3 * pl;
    *total = 1e3 * pt;
    return 1;
}

static int parse_sta(const char *log, const struct synth_flow *f, struct synth_result *r)
{
    char *t = read_file(log, NULL);
    if (!t)
        return -1;
    int have_slack = 0, have_power = 0, errors = 0;
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        double s;
        /* OpenSTA goes on after a failing command and exits 0 */
        if (!strncmp(line, "Error", 5)) {
            if (errors++ < 5)
                fprintf(stderr, "    %s\n", line);
        }
        else if (sscanf(line, "worst slack %lf", &s) == 1) {
            r->critical_path_ns = f->clock_ns - s;
            have_slack = 1;
        } else if (synth_power_line(line, &r->power_mw, &r->power_internal_mw,
                                    &r->power_switching_mw, &r->power_leakage_mw)) {
            have_power = 1;
        }
    }
    free(t);
    if (errors || !have_slack || !have_power)
        return error("%s: error: OpenSTA reported %s", log,
                     errors ? "errors" : !have_slack ? "no worst slack" : "no power");
    return 0;
}

/* ---------------------------------------------------------- the cache */

#define RES_D(f) { #f, offsetof(struct synth_result, f), 1 }
#define RES_L(f) { #f, offsetof(struct synth_result, f), 0 }
static const struct cache_field res_fields[] = {
    RES_D(seconds), RES_D(area_um2), RES_L(cells), RES_L(seq_cells),
    RES_D(critical_path_ns), RES_D(power_mw), RES_D(power_internal_mw),
    RES_D(power_switching_mw), RES_D(power_leakage_mw),
    RES_L(luts), RES_L(ffs), RES_L(carry), RES_L(dsps), RES_L(brams),
};
#define NFIELDS ((int)(sizeof res_fields / sizeof res_fields[0]))

static char *result_text(uint64_t key, const struct synth_flow *f, const struct synth_result *r)
{
    char extra[32];
    snprintf(extra, sizeof extra, "flow=%s\n", flow_names[f->kind]);
    return cache_fields_text("synth", key, extra, res_fields, NFIELDS, r);
}

/* 0 and *r filled if `t` (modified) is a complete entry for `key`. */
static int parse_result(char *t, uint64_t key, struct synth_result *r)
{
    return cache_fields_parse(t, key, res_fields, NFIELDS, r, sizeof *r);
}

static int read_result(const char *path, uint64_t key, struct synth_result *r)
{
    return cache_fields_read(path, key, res_fields, NFIELDS, r, sizeof *r, "synthesis");
}

/* The parts of a --hier result live beside its entry, in
 * synth-<key>.parts.txt ("part GROUP INSTANCES AREA" lines and the
 * checksum): the entry's fields stay those of every flow. */
static void parts_name(struct strbuf *sb, uint64_t key)
{
    sb_addf(sb, "synth-%016llx.parts.txt", (unsigned long long)key);
}

static void write_parts(const char *root, uint64_t key, const struct synth_result *r)
{
    struct strbuf t = STRBUF_INIT, name = STRBUF_INIT;
    for (int k = 0; k < r->nparts; k++)
        sb_addf(&t, "part %s %ld %.17g\n", r->part[k].group, r->part[k].instances,
                r->part[k].area_um2);
    cache_add_sum(&t);
    parts_name(&name, key);
    if (cache_put_file(root, name.buf, t.buf, t.len))
        warning("%s/%s: warning: synth: could not store the area by instance: %s", root,
                name.buf, strerror(errno));
    sb_release(&t);
    sb_release(&name);
}

/* No parts (nparts 0) when the file is missing or damaged: the figures
 * stand without them. */
static void read_parts(const char *root, uint64_t key, struct synth_result *r)
{
    struct strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/", root);
    parts_name(&path, key);
    size_t n;
    char *t = cache_read(AT_FDCWD, path.buf, 1 << 16, &n);
    r->nparts = 0;
    if (t && cache_sum_ok(t, &n)) {
        char *save = NULL;
        for (char *line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            struct synth_part *q = &r->part[r->nparts];
            memset(q, 0, sizeof *q);
            if (r->nparts == SYNTH_PARTS_MAX ||
                sscanf(line, "part %23s %ld %lf", q->group, &q->instances, &q->area_um2) != 3) {
                r->nparts = 0;
                break;
            }
            r->nparts++;
        }
    }
    free(t);
    sb_release(&path);
}

/* ------------------------------------------------------------ the flow */

/* Run one tool in `dir`; on failure name its log. */
static int run_tool(const char *dir, char *const argv[], const char *logname, int verbose,
                    struct strbuf *log)
{
    sb_release(log);
    sb_addf(log, "%s/%s", dir, logname);
    int rc = run_cmd_in(dir, argv, log->buf, verbose);
    if (rc != 0) {
        error("%s: error: synth: %s failed (status %d); log: %s", tf_progname, argv[0], rc,
              log->buf);
        show_log(log->buf, 12);
        return -1;
    }
    return 0;
}

static int check_flow(const struct synth_flow *f)
{
    if ((unsigned)f->kind > FLOW_ICE40)
        BUG("bad flow kind %d", (int)f->kind);
    synth_tool_versions();
    if (!yosys_version)
        return error("%s: error: synth: cannot run 'yosys -V': Yosys is needed for the "
                     "%s flow (is it in PATH?)", tf_progname, flow_names[f->kind]);
    if (f->kind != FLOW_ASIC)
        return 0;
    if (!sta_version)
        return error("%s: error: synth: cannot run 'sta -version': OpenSTA is needed for "
                     "the asic flow (is it in PATH?)", tf_progname);
    if (!f->liberty || !*f->liberty)
        return error("%s: error: synth: the asic flow needs a Liberty file", tf_progname);
    if (!(f->clock_ns > 0) || !(f->activity >= 0))
        return error("%s: error: synth: clock period %g ns and activity %g: need a "
                     "positive period and a non-negative activity", tf_progname,
                     f->clock_ns, f->activity);
    return 0;
}

/* ------------------------------------------ the split hierarchical flow */

/* --hier (unless one_run): every kept module is synthesized and mapped in
 * a Yosys run of its own and cached per module, so a sweep of related
 * points maps a shared module (the same tf_fpadd, the same FP LUT build,
 * the same read ports) once; only the top and new modules are
 * synthesized, then a last run links everything for `stat -liberty -top`
 * and OpenSTA. Four steps:
 *  1. elab.ys: read the RTL, keep what --hier keeps (keep_modules), `proc`
 *     and `flatten` (synth's own first passes), give every private name a
 *     short enumerated one and write the design twice as RTLIL: whole
 *     (design.il) and with every module but the top a black box
 *     (stubs.il).
 *  2. Each kept module M, as text: M's RTLIL less its `src` attributes
 *     (they hold file names and line numbers), with private names as
 *     `rename -enumerate` numbered them per module and the calls of the
 *     `$func$` names renumbered per module (the originals hold global
 *     counters and source lines, which differ from point to point for the
 *     same module), plus the stubs of the modules M instantiates.
 *     That text IS the module's input: the key hashes it with the mapping
 *     script, the Liberty file's content and the tool versions, and the run
 *     reads exactly it, so a cached module is what a fresh run would map,
 *     bit for bit, and a point that changes a module's parameters (they are
 *     elaborated into its RTLIL) or its code misses. Entry: the folder
 *     synth-mod-<key> (cache_stage_*: published whole, verified by its
 *     manifest before use; a damaged one is rebuilt), holding mapped.il
 *     and the module's stat.txt, built under the key's lock.
 *  3. The top the same way, with its kept modules as stubs (not cached: the
 *     whole-point entry covers it).
 *  4. link.ys: the Liberty cells as black boxes, the mapped top and
 *     modules, the macros' black boxes; stat -liberty -top, netlist.v.
 * A module's ABC result does not depend on the rest of the design here,
 * as it does in the one Yosys run of one_run (IdString order, docs/cost-
 * model.md): the two flows differ by about 1 % in area (measured there). */

static int split_flow(const struct synth_flow *f)
{
    return f->kind == FLOW_ASIC && f->hier && !f->one_run;
}

static void split_elab_script(struct strbuf *ys, const struct design_point *dp,
                              const struct gen_files *gf, const struct synth_flow *f)
{
    char *top = gen_name(dp, "_top");
    struct tf_memory mem[2];
    add_read_verilog(ys, gf);
    if (memories_of(dp, mem))
        sb_addf(ys, "blackbox %s_sram_1r1w\n", gf->prefix);
    keep_modules(ys, f, gf->prefix, 1, int_lut_in_top(dp, f));
    /* -pattern $%: "\$12"; split_read makes them private again ("$12") */
    sb_addf(ys, "proc\nflatten\nhierarchy -top %s\nrename -enumerate -pattern $%%\n"
                "write_rtlil design.il\nblackbox =A:top %%n\nwrite_rtlil stubs.il\n", top);
    free(top);
}

/* Map in.il (a module and its stubs; top: its name, NULL for the one
 * module that is not a stub) onto the Liberty cells: mapped.il holds the
 * mapped module alone, stat.txt its cells and area. */
static void split_map_script(struct strbuf *ys, const char *top, const struct synth_flow *f,
                             const char *lib)
{
    sb_addf(ys,
            "read_rtlil in.il\n"
            "synth %s%s -flatten -noshare\n"
            "dfflibmap -liberty \"%s\"\n"
            "abc -D %ld -liberty \"%s\" -script \"%s\"\n"
            "opt_clean -purge\n"
            "delete =A:blackbox\n"
            "tee -q -o stat.txt stat -liberty \"%s\"\n"
            "write_rtlil mapped.il\n",
            top ? "-top " : "-auto-top", top ? top : "", lib,
            (long)(f->clock_ns * 1000.0 + 0.5), lib, ABC_ASIC, lib);
}

/* One module of an RTLIL file: its top-level attributes, `module` line,
 * body and `end`, canonical (split_read). */
struct il_module {
    const char *name; /* the design's name.v[i] */
    struct strbuf text;
    int blackbox;
};

struct il_design {
    int n, alloc;
    struct il_module *m;
    /* the modules' names as RTLIL writes them (\tf_top,
     * $paramod$<sha1>\tf_fpadd), in order: looked up with names_index */
    struct names name;
};

static void il_free(struct il_design *d)
{
    for (int i = 0; i < d->n; i++)
        sb_release(&d->m[i].text);
    free(d->m);
    names_free(&d->name);
    memset(d, 0, sizeof *d);
}

static int starts(const char *p, size_t n, const char *w)
{
    size_t l = strlen(w);
    return n >= l && !memcmp(p, w, l);
}

/* A line, a token "\$<digits>" (rename -enumerate -pattern $%) made private
 * again: "$<digits>". RTLIL names end at a blank or the end of the line. */
static void il_canon_line(struct strbuf *out, const char *p, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i + 2 < n; i++) {
        if (p[i] != '\\' || p[i + 1] != '$' || (i && p[i - 1] != ' '))
            continue;
        size_t j = i + 2;
        while (j < n && p[j] >= '0' && p[j] <= '9')
            j++;
        if (j > i + 2 && (j == n || p[j] == ' ')) {
            sb_add(out, p + from, i - from);
            from = i + 1;
        }
    }
    sb_add(out, p + from, n - from);
    sb_adds(out, "\n");
}

/* Function calls inlined by the Verilog front end leave public names
 * holding "$func$<file>:<line>$<counter>" (lzc$func$tf_fpadd.v:184$215.v),
 * whose counter is global: each such call becomes "$func$<n>", n counting
 * the distinct calls in the order the module's text first names them. */
static void il_canon_func(struct strbuf *text)
{
    struct names seen = { 0, 0, NULL };
    struct strbuf out = STRBUF_INIT;
    const char *p = text->buf, *end = text->buf + text->len, *q;
    while ((q = strstr(p, "$func$")) != NULL) {
        /* the call's id ends at the first "$<digits>" after "$func$" that
         * is followed by '.', a blank, a quote or the end of the line */
        const char *e = NULL;
        for (const char *c = q + 6; *c && *c != ' ' && *c != '\n' && *c != '"'; c++) {
            if (*c != '$' || c[1] < '0' || c[1] > '9')
                continue;
            const char *d = c + 1;
            while (*d >= '0' && *d <= '9')
                d++;
            if (*d == '.' || *d == ' ' || *d == '"' || *d == '\n' || !*d) {
                e = d;
                break;
            }
        }
        if (!e) {
            sb_add(&out, p, (size_t)(q + 6 - p));
            p = q + 6;
            continue;
        }
        int k = names_index(&seen, q, (size_t)(e - q));
        if (k < 0) {
            k = seen.n;
            names_add(&seen, q, (size_t)(e - q));
        }
        sb_add(&out, p, (size_t)(q - p));
        sb_addf(&out, "$func$%d", k);
        p = e;
    }
    sb_add(&out, p, (size_t)(end - p));
    names_free(&seen);
    sb_release(text);
    *text = out;
}

/* Read an RTLIL file of write_rtlil into canonical modules: comments,
 * `autoidx` and every `attribute \src` line dropped. */
static int split_read(const char *path, struct il_design *d)
{
    memset(d, 0, sizeof *d);
    size_t len;
    char *t = read_file(path, &len);
    if (!t)
        return -1;
    struct strbuf attrs = STRBUF_INIT;
    struct il_module *cur = NULL;
    int rc = 0;
    for (char *p = t; p < t + len;) {
        char *e = memchr(p, '\n', (size_t)(t + len - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(t + len - p);
        const char *q = p;
        while (q < p + n && *q == ' ')
            q++;
        if (starts(q, (size_t)(p + n - q), "attribute \\src ")) {
            /* file names and lines: not part of a module's content */
        } else if (cur) {
            il_canon_line(&cur->text, p, n);
            if (n == 3 && !memcmp(p, "end", 3)) {
                il_canon_func(&cur->text);
                cur = NULL;
            }
        } else if (!n || p[0] == '#' || starts(p, n, "autoidx ")) {
        } else if (starts(p, n, "attribute ")) {
            il_canon_line(&attrs, p, n);
        } else if (starts(p, n, "module ") && n > 7) {
            if (d->n == d->alloc) {
                d->alloc = d->alloc ? 2 * d->alloc : 16;
                d->m = xrealloc(d->m, (size_t)d->alloc * sizeof *d->m);
            }
            cur = &d->m[d->n++];
            memset(cur, 0, sizeof *cur);
            names_add(&d->name, p + 7, n - 7);
            cur->name = d->name.v[d->n - 1];
            cur->blackbox = attrs.buf && strstr(attrs.buf, "attribute \\blackbox 1\n") != NULL;
            if (attrs.len)
                sb_add(&cur->text, attrs.buf, attrs.len);
            il_canon_line(&cur->text, p, n);
            sb_release(&attrs);
        } else {
            rc = error("%s: error: synth: unexpected line in Yosys's RTLIL: %.*s", path,
                       (int)(n > 60 ? 60 : n), p);
            break;
        }
        p += n + (e != NULL);
    }
    if (!rc && (cur || attrs.len))
        rc = error("%s: error: synth: Yosys's RTLIL ends inside a module", path);
    free(t);
    sb_release(&attrs);
    if (rc)
        il_free(d);
    return rc;
}

/* Module m of d, then the stub of each module it instantiates, in the
 * order its cells first name them. */
static void il_with_stubs(struct strbuf *out, const struct il_module *m,
                          const struct il_design *stubs)
{
    char *seen = xcalloc((size_t)stubs->n + 1, 1);
    sb_add(out, m->text.buf, m->text.len);
    for (const char *p = m->text.buf; (p = strstr(p, "\n  cell ")); p++) {
        const char *ty = p + 8, *te = ty;
        while (*te && *te != ' ' && *te != '\n')
            te++;
        int k = names_index(&stubs->name, ty, (size_t)(te - ty));
        if (k >= 0 && !seen[k]) {
            seen[k] = 1;
            sb_add(out, stubs->m[k].text.buf, stubs->m[k].text.len);
        }
    }
    free(seen);
}

/* 1 if the module entry is there and whole (its mapped.il then copied into
 * sub), 0 if not (damaged: warned about, to be rebuilt), -1 on an error. */
static int module_hit(const char *entry, uint64_t key, const char *sub)
{
    const char *why;
    int fd;
    if (cache_verify(entry, key, "mapped.il", &fd, &why)) {
        if (why)
            warning("%s: warning: synth: the cached module is damaged (%s); it is rebuilt",
                    entry, why);
        return 0;
    }
    struct strbuf dst = STRBUF_INIT;
    sb_addf(&dst, "%s/mapped.il", sub);
    int rc = copy_fd_to_path(fd, dst.buf, COPY_REPLACE);
    close(fd);
    sb_release(&dst);
    return rc ? -1 : 1;
}

/* Step 2 for one kept module: its entry, or a run and a new entry. 0, or
 * -1 with an error printed (the run's log named). */
static int split_module(const struct il_module *m, const struct il_design *stubs,
                        uint64_t h0, const char *map_ys, const char *dir, const char *root,
                        const struct synth_opts *o, struct synth_result *r,
                        struct strbuf *link)
{
    struct strbuf text = STRBUF_INIT, sub = STRBUF_INIT, name = STRBUF_INIT,
                  entry = STRBUF_INIT, log = STRBUF_INIT, src = STRBUF_INIT;
    il_with_stubs(&text, m, stubs);
    uint64_t key = fnv1a64(text.buf, text.len + 1, h0);
    sb_addf(&name, "synth-mod-%016llx", (unsigned long long)key);
    sb_addf(&entry, "%s/%s", root, name.buf);
    sb_addf(&sub, "%s/mod-%016llx", dir, (unsigned long long)key);
    sb_addf(link, " mod-%016llx/mapped.il", (unsigned long long)key);
    int rc = -1, lock = -1, hit = 0;
    r->modules++;
    if (mkdir_p(sub.buf)) {
        error("%s: error: cannot create: %s", sub.buf, strerror(errno));
        goto out;
    }
    if (!o->no_cache && (hit = module_hit(entry.buf, key, sub.buf)) != 0)
        goto done;
    /* one builder per key; whoever waited finds the entry built */
    if (mkdir_p(root) || (lock = cache_lock(root, name.buf)) < 0)
        warning("%s: warning: synth: cannot lock the module's cache entry: %s", entry.buf,
                strerror(errno));
    else if (!o->no_cache && (hit = module_hit(entry.buf, key, sub.buf)) != 0)
        goto done;
    if (o->verbose)
        fprintf(stderr, "synth: module %s: synthesizing (%s)\n", m->name, name.buf);
    char *yosys[] = { "yosys", "-s", "synth.ys", NULL };
    if (write_in_dir(sub.buf, "in.il", text.buf) || write_in_dir(sub.buf, "synth.ys", map_ys) ||
        run_tool(sub.buf, yosys, "yosys.log", o->verbose, &log))
        goto out;
    r->modules_built++;
    struct cache_stage st;
    int bad = lock < 0 || cache_stage_begin(&st, root, key);
    if (!bad) {
        sb_addf(&src, "%s/mapped.il", sub.buf);
        bad = cache_stage_copy(&st, src.buf, "mapped.il", 0);
        sb_release(&src);
        sb_addf(&src, "%s/stat.txt", sub.buf);
        bad = bad || cache_stage_copy(&st, src.buf, "stat.txt", 0);
        if (bad)
            cache_stage_abort(&st);
        else
            bad = cache_stage_publish(&st, entry.buf);
        if (bad)
            warning("%s: warning: synth: could not store the module in the cache: %s",
                    entry.buf, strerror(errno));
    }
    rc = 0;
    goto out;
done:
    rc = hit < 0 ? -1 : 0;
    if (o->verbose && !rc)
        fprintf(stderr, "synth: module %s: from the cache (%s)\n", m->name, name.buf);
out:
    cache_unlock(lock);
    sb_release(&text);
    sb_release(&sub);
    sb_release(&name);
    sb_release(&entry);
    sb_release(&log);
    sb_release(&src);
    return rc;
}

/* Steps 1 to 4 in dir (the RTL and elab.ys written): stat.txt and
 * netlist.v, as the one-run flow leaves them. 0, or -1 with an error. */
static int split_run(const struct design_point *dp, const struct gen_files *gf,
                     const struct synth_flow *f, const char *lib, const char *libtext,
                     const char *root, const char *dir, const struct synth_opts *o,
                     struct synth_result *r, struct strbuf *log)
{
    struct il_design d, stubs;
    memset(&d, 0, sizeof d);
    memset(&stubs, 0, sizeof stubs);
    struct strbuf ys = STRBUF_INIT, path = STRBUF_INIT, link = STRBUF_INIT,
                  macros = STRBUF_INIT, text = STRBUF_INIT;
    char *top = gen_name(dp, "_top");
    int rc = -1;
    char *elab[] = { "yosys", "-s", "elab.ys", NULL };
    if (run_tool(dir, elab, "elab.log", o->verbose, log))
        goto out;
    sb_addf(&path, "%s/design.il", dir);
    if (split_read(path.buf, &d))
        goto out;
    sb_release(&path);
    sb_addf(&path, "%s/stubs.il", dir);
    if (split_read(path.buf, &stubs))
        goto out;
    /* what every module key holds besides the module's own text */
    split_map_script(&ys, NULL, f, lib);
    uint64_t h0 = fnv1a64("ternforge-synth-module 1", 25, FNV1A64_INIT);
    h0 = fnv1a64(ys.buf, ys.len + 1, h0);
    h0 = fnv1a64(libtext, strlen(libtext) + 1, h0);
    h0 = fnv1a64(versions, strlen(versions) + 1, h0);
    char etop[256];
    snprintf(etop, sizeof etop, "\\%s", top);
    int ti = names_index(&d.name, etop, strlen(etop));
    if (ti < 0) {
        error("%s: error: synth: no module %s in the elaborated design", path.buf, top);
        goto out;
    }
    for (int i = 0; i < d.n; i++) {
        if (d.m[i].blackbox)
            sb_add(&macros, d.m[i].text.buf, d.m[i].text.len);
        else if (i != ti && split_module(&d.m[i], &stubs, h0, ys.buf, dir, root, o, r, &link))
            goto out;
    }
    sb_release(&path);
    sb_addf(&path, "%s/top", dir);
    sb_release(&ys);
    split_map_script(&ys, top, f, lib);
    il_with_stubs(&text, &d.m[ti], &stubs);
    char *yosys[] = { "yosys", "-s", "synth.ys", NULL };
    if (mkdir_p(path.buf) ? error("%s: error: cannot create: %s", path.buf, strerror(errno))
                          : write_in_dir(path.buf, "in.il", text.buf) ||
                                write_in_dir(path.buf, "synth.ys", ys.buf) ||
                                run_tool(path.buf, yosys, "yosys.log", o->verbose, log))
        goto out;
    if (macros.len && write_in_dir(dir, "macros.il", macros.buf))
        goto out;
    struct tf_memory mem[2];
    int nmac = memories_of(dp, mem);
    sb_release(&ys);
    sb_addf(&ys, "read_liberty -lib \"%s\"\nread_rtlil top/mapped.il%s%s\n"
                 "hierarchy -check -top %s\ntee -q -o stat.txt stat -liberty \"%s\" -top %s\n",
            lib, link.buf ? link.buf : "", macros.len ? " macros.il" : "", top, lib, top);
    write_netlist(&ys, gf->prefix, mem, nmac);
    char *lk[] = { "yosys", "-s", "link.ys", NULL };
    if (write_in_dir(dir, "link.ys", ys.buf) || run_tool(dir, lk, "yosys.log", o->verbose, log))
        goto out;
    rc = 0;
out:
    il_free(&d);
    il_free(&stubs);
    sb_release(&ys);
    sb_release(&path);
    sb_release(&link);
    sb_release(&macros);
    sb_release(&text);
    free(top);
    return rc;
}

/* What a run is keyed by: the generated files, the scripts, the Liberty
 * file and the tool versions, and where its cache entry lives. */
struct run_key {
    struct gen_files gf;
    char *lib, *libtext, *root; /* ASIC: absolute Liberty path and its text */
    struct strbuf ys, tcl, entry, name;
    char *sdc; /* ASIC: the SDC sta.tcl reads */
    uint64_t h;
};

static void run_key_free(struct run_key *k)
{
    gf_free(&k->gf);
    free(k->lib);
    free(k->libtext);
    free(k->root);
    sb_release(&k->ys);
    sb_release(&k->tcl);
    sb_release(&k->entry);
    sb_release(&k->name);
    free(k->sdc);
}

/* Hash a generated file's text as synthesis reads it: lines that hold only
 * (after indentation) a Verilator directive comment (verilator hier_block or no_inline_module,
 * written for co-simulation speed) are left out, so such a line neither
 * invalidates a cached run nor makes two equal netlists differ. A text
 * without one hashes exactly as it did before the directives existed. */
uint64_t synth_hash_rtl_text(const char *t, uint64_t h)
{
    while (*t) {
        const char *nl = strchr(t, '\n');
        size_t len = nl ? (size_t)(nl - t) + 1 : strlen(t);
        const char *c = t + strspn(t, " \t");
        if (strncmp(c, VL_DIRECTIVE, strlen(VL_DIRECTIVE)) != 0)
            h = fnv1a64(t, len, h);
        t += len;
    }
    return fnv1a64("", 1, h); /* the terminator, as the whole-text hash had */
}

/* Generate dp and compute its key under f (check_flow done). Returns 0,
 * or -1 with an error printed; free k either way. */
static int run_key(const struct design_point *dp, const struct synth_flow *f,
                   struct run_key *k)
{
    memset(k, 0, sizeof *k);
    gf_init(&k->gf);
    if (generate(dp, &k->gf, NULL))
        return -1;
    uint64_t h = FNV1A64_INIT;
    h = fnv1a64("ternforge-synth 2", 18, h); /* 2: entries end in a checksum */
    h = fnv1a64(flow_names[f->kind], strlen(flow_names[f->kind]) + 1, h);
    for (int i = 0; i < k->gf.n; i++) {
        h = fnv1a64(k->gf.name[i], strlen(k->gf.name[i]) + 1, h);
        h = synth_hash_rtl_text(k->gf.text[i], h);
    }
    if (f->kind == FLOW_ASIC) {
        /* absolute: the tools run in the work directory */
        char real[PATH_MAX];
        size_t n;
        if (!realpath(f->liberty, real))
            return error("%s: error: cannot open: %s", f->liberty, strerror(errno));
        /* "..." in Yosys, {...} in Tcl; a newline would end the command */
        if (unsafe_in_script(real, "\"{}\\"))
            return error("%s: error: synth: the Liberty file's path (links resolved) holds a "
                         "quote, a brace, a backslash or a control character: it cannot go "
                         "into the synthesis scripts", tq(f->liberty));
        /* A Liberty file is a regular file (Yosys and OpenSTA read it again
         * by its path) of at most 1 GiB, or TERNFORGE_MAX_INPUT_BYTES if
         * larger: the technology file may come from anyone, and `liberty
         * /dev/zero` read until memory ran out, a FIFO blocked. */
        struct stat lst;
        if (stat(real, &lst) != 0 || !S_ISREG(lst.st_mode))
            return error("%s: error: synth: the Liberty file is not a regular file",
                         f->liberty);
        k->lib = xstrdup(real);
        if (!(k->libtext = read_input_max(k->lib, &n, input_limit_at_least((size_t)1 << 30))))
            return -1;
        h = fnv1a64(k->libtext, n, h);
        char num[64];
        snprintf(num, sizeof num, "%.17g %.17g", f->clock_ns, f->activity);
        h = fnv1a64(num, strlen(num) + 1, h);
        sta_script(&k->tcl, dp, f, k->lib);
        k->sdc = synth_sdc(dp, f->clock_ns);
        h = fnv1a64(k->sdc, strlen(k->sdc) + 1, h);
    }
    if (split_flow(f)) {
        /* the other scripts follow from the mapping script's text and
         * this code: "split 1" names its version */
        struct strbuf map = STRBUF_INIT;
        split_map_script(&map, NULL, f, k->lib);
        h = fnv1a64("split 1", 8, h);
        h = fnv1a64(map.buf, map.len + 1, h);
        sb_release(&map);
        split_elab_script(&k->ys, dp, &k->gf, f);
    } else {
        synth_yosys_script(&k->ys, dp, &k->gf, f, k->lib);
    }
    h = fnv1a64(k->ys.buf, k->ys.len + 1, h);
    if (k->tcl.buf)
        h = fnv1a64(k->tcl.buf, k->tcl.len + 1, h);
    h = fnv1a64(versions, strlen(versions) + 1, h);
    k->h = h;
    k->root = cache_root();
    sb_addf(&k->name, "synth-%016llx.txt", (unsigned long long)h);
    sb_addf(&k->entry, "%s/%s", k->root, k->name.buf);
    return 0;
}

int synth_key(const struct design_point *dp, const struct synth_flow *f, uint64_t *key)
{
    if (check_flow(f))
        return -1;
    struct run_key k;
    int rc = run_key(dp, f, &k);
    *key = k.h;
    run_key_free(&k);
    return rc;
}

int synth_cached(const struct design_point *dp, const struct synth_flow *f,
                 struct synth_result *r)
{
    memset(r, 0, sizeof *r);
    if (check_flow(f))
        return -1;
    struct run_key k;
    int rc = run_key(dp, f, &k) ? -1 : !read_result(k.entry.buf, k.h, r);
    if (rc == 1) {
        r->ok = r->cached = 1;
        if (f->hier)
            read_parts(k.root, k.h, r);
    }
    run_key_free(&k);
    return rc;
}

int synth_run(const struct design_point *dp, const struct synth_flow *f,
              const struct synth_opts *o, struct synth_result *r)
{
    memset(r, 0, sizeof *r);
    if (check_flow(f))
        return -1;
    double t0 = wall_seconds();
    int rc = -1, tmpdir = 0, keep = 0; /* tmpdir: we made dir and remove it */
    int slot = -1; /* removed on a signal while the tools run */
    struct run_key k;
    struct strbuf dir = STRBUF_INIT, log = STRBUF_INIT, path = STRBUF_INIT;
    struct stat_text st;
    memset(&st, 0, sizeof st);
    if (run_key(dp, f, &k))
        goto out;
    /* keep_dir asks for the files, which only a run can produce */
    if (!o->no_cache && !o->keep_dir && !read_result(k.entry.buf, k.h, r)) {
        r->ok = r->cached = 1;
        r->seconds = 0;
        if (f->hier)
            read_parts(k.root, k.h, r);
        rc = 0;
        goto out;
    }

    /* keep_dir as given (gf_write makes it), or a temporary folder */
    if (o->keep_dir)
        sb_adds(&dir, o->keep_dir);
    else if ((tmpdir = work_dir_open(&dir, NULL, "synth", &slot)) < 0) {
        tmpdir = 0;
        goto out;
    }
    if (gf_write(&k.gf, dir.buf) ||
        write_in_dir(dir.buf, split_flow(f) ? "elab.ys" : "synth.ys", k.ys.buf) ||
        (k.tcl.buf && write_in_dir(dir.buf, "sta.tcl", k.tcl.buf)))
        goto fail;
    if (k.sdc) {
        char *name = gen_name(dp, ".sdc");
        int bad = write_in_dir(dir.buf, name, k.sdc);
        free(name);
        if (bad)
            goto fail;
    }

    char *yosys[] = { "yosys", "-s", "synth.ys", NULL };
    if (split_flow(f) ? split_run(dp, &k.gf, f, k.lib, k.libtext, k.root, dir.buf, o, r, &log)
                      : run_tool(dir.buf, yosys, "yosys.log", o->verbose, &log))
        goto fail;
    sb_addf(&path, "%s/stat.txt", dir.buf);
    if (parse_stat(path.buf, kept_modules(f), &st))
        goto fail_log;
    if (f->kind == FLOW_ASIC) {
        struct names seq = { 0, 0, NULL };
        liberty_seq_cells(k.libtext, &seq);
        r->cells = st.cells;
        for (int i = 0; i < st.type.n; i++) {
            if (names_index(&seq, st.type.v[i], strlen(st.type.v[i])) >= 0)
                r->seq_cells += st.count[i];
            if (st.type.v[i][0] == '$') /* a cell the library has no match for */
                warning("%s: warning: synth: %ld %s cells were not mapped to %s; the area "
                        "leaves them out", tf_progname, st.count[i], st.type.v[i], k.lib);
        }
        names_free(&seq);
        if (st.area < 0) {
            error("%s: error: no chip area: is %s a Liberty file with cell areas?",
                  path.buf, k.lib);
            goto fail_log;
        }
        r->area_um2 = st.area;
        /* the breakdown is extra: without it the run still counts; the kept
         * FP adders of opaque_fpadd are not split between their holders */
        if (f->hier && !f->opaque_fpadd) {
            char *stat = read_file(path.buf, NULL), *top = gen_name(dp, "_top");
            sb_release(&path);
            sb_addf(&path, "%s/netlist.v", dir.buf);
            char *net = stat ? read_file(path.buf, NULL) : NULL;
            if (net && synth_parts(stat, net, top, path.buf, r))
                warning("%s: warning: synth: no area by instance for this run", tf_progname);
            free(stat);
            free(net);
            free(top);
        }
        char *sta[] = { "sta", "-no_init", "-exit", "sta.tcl", NULL };
        if (run_tool(dir.buf, sta, "sta.log", o->verbose, &log))
            goto fail;
        if (parse_sta(log.buf, f, r))
            goto fail_log;
    } else {
        count_fpga(&st, f->kind == FLOW_XC7 ? xc7_cells : ice40_cells, r);
    }
    r->seconds = wall_seconds() - t0;

    /* through the text, so a fresh result equals a cached one bit for bit */
    char *text = result_text(k.h, f, r), *copy = xstrdup(text);
    int nparts = r->nparts, modules = r->modules, built = r->modules_built;
    struct synth_part part[SYNTH_PARTS_MAX];
    memcpy(part, r->part, sizeof part);
    if (parse_result(copy, k.h, r))
        BUG("synth result does not read back:\n%s", text);
    r->nparts = nparts; /* not among the entry's fields: restored */
    memcpy(r->part, part, sizeof part);
    r->modules = modules;
    r->modules_built = built;
    free(copy);
    r->ok = 1;
    if (mkdir_p(k.root) || cache_put_file(k.root, k.name.buf, text, strlen(text)))
        warning("%s: warning: synth: could not store the result in the cache: %s", k.entry.buf,
                strerror(errno));
    else if (r->nparts)
        write_parts(k.root, k.h, r);
    free(text);
    rc = 0;
    goto out;
fail_log:
    error("%s: error: synth: see %s", tf_progname, log.buf);
fail:
    memset(r, 0, sizeof *r);
    if (tmpdir)
        error("%s: note: the work directory %s is kept for inspection", tf_progname,
              dir.buf);
    keep = 1;
out:
    tmp_forget(slot); /* kept for inspection, or removed here */
    if (tmpdir && !keep && remove_tree(dir.buf))
        warning("%s: warning: could not remove %s", tf_progname, dir.buf);
    run_key_free(&k);
    stat_free(&st);
    sb_release(&dir);
    sb_release(&log);
    sb_release(&path);
    return rc;
}

/* ---------------------------------------------------- several at once */

static void point_opts(const struct synth_opts *o, int n, int i, struct synth_opts *po,
                       struct strbuf *kd)
{
    *po = *o;
    if (o->keep_dir && n > 1) {
        sb_addf(kd, "%s/%d", o->keep_dir, i);
        po->keep_dir = kd->buf;
    }
}

int synth_run_many(const struct design_point *const *dp, int n, const struct synth_flow *f,
                   const struct synth_opts *o, int jobs, struct synth_result *r)
{
    int fails = 0;
    if (check_flow(f)) { /* once, not once per point */
        for (int i = 0; i < n; i++)
            memset(&r[i], 0, sizeof r[i]);
        return n;
    }
    if (jobs < 1)
        jobs = 1;
    if (jobs == 1 || n <= 1) {
        for (int i = 0; i < n; i++) {
            struct synth_opts po;
            struct strbuf kd = STRBUF_INIT;
            point_opts(o, n, i, &po, &kd);
            fails += synth_run(dp[i], f, &po, &r[i]) != 0;
            sb_release(&kd);
        }
        return fails;
    }
    /* Each child runs one point and writes its result struct to a pipe
     * (same binary, same layout); the parent reads it to EOF and reaps
     * that child by pid, so r[i] always belongs to dp[i]. */
    pid_t *pid = xcalloc((size_t)n, sizeof *pid);
    int *fd = xcalloc((size_t)n, sizeof *fd);
    struct pollfd *pfd = xcalloc((size_t)jobs, sizeof *pfd);
    int *slot = xcalloc((size_t)jobs, sizeof *slot);
    int next = 0, running = 0;
    while (next < n || running) {
        while (running < jobs && next < n) {
            int i = next++, p[2];
            memset(&r[i], 0, sizeof r[i]);
            fflush(NULL);
            if (pipe(p) != 0) {
                error("%s: error: synth: pipe: %s", tf_progname, strerror(errno));
                fails++;
                continue;
            }
            if ((pid[i] = fork()) < 0) {
                error("%s: error: synth: fork: %s", tf_progname, strerror(errno));
                close(p[0]);
                close(p[1]);
                fails++;
                continue;
            }
            if (pid[i] == 0) {
                close(p[0]);
                fcntl(p[1], F_SETFD, FD_CLOEXEC); /* not into yosys/sta */
                struct synth_opts po;
                struct strbuf kd = STRBUF_INIT;
                struct synth_result res;
                point_opts(o, n, i, &po, &kd);
                int ok = synth_run(dp[i], f, &po, &res) == 0 &&
                         write(p[1], &res, sizeof res) == (ssize_t)sizeof res;
                fflush(NULL);
                _exit(ok ? 0 : 1);
            }
            close(p[1]);
            fd[i] = p[0];
            slot[running] = i;
            pfd[running].fd = p[0];
            pfd[running].events = POLLIN;
            running++;
        }
        if (!running)
            break;
        if (poll(pfd, (nfds_t)running, -1) < 0) {
            if (errno == EINTR)
                continue;
            BUG("poll: %s", strerror(errno));
        }
        for (int s = 0; s < running; s++) {
            if (!pfd[s].revents)
                continue;
            int i = slot[s];
            struct synth_result res;
            size_t got = 0;
            ssize_t k;
            while ((k = read(fd[i], (char *)&res + got, sizeof res - got)) > 0 ||
                   (k < 0 && errno == EINTR))
                if (k > 0)
                    got += (size_t)k;
            close(fd[i]);
            int stat;
            while (waitpid(pid[i], &stat, 0) < 0 && errno == EINTR)
                ;
            if (got == sizeof res && WIFEXITED(stat) && WEXITSTATUS(stat) == 0)
                r[i] = res;
            else
                fails++;
            running--;
            slot[s] = slot[running];
            pfd[s] = pfd[running];
            s--;
        }
    }
    free(pid);
    free(fd);
    free(pfd);
    free(slot);
    return fails;
}
