/* integ.c - the integration files of a design point (see integ.h and
 * docs/integration.md). Each file is a function of the design point and of
 * the files generate() made; nothing here knows a port or a width the
 * emitter does not report. */
#include "integ.h"

#include <stdlib.h>
#include <string.h>

#include "../gen/memories.h"
#include "../gen/shell.h"
#include "actfmt.h"
#include "synth.h"
#include "util.h"
#include "version.h"

/* ------------------------------------------------------------ helpers */

static int is_verilog(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && !strcmp(name + n - 2, ".v");
}

/* What every stream beat holds: `lanes` lanes of `lane_bits` bits, lane i
 * at bits [i*lane_bits +: lane_bits] (docs/protocol.md, docs/weights.md). */
struct beat {
    const char *stream;
    int bits, lanes, lane_bits;
    int groups;   /* wgt: lanes per output (lane = output*groups + group) */
    int scale_bits; /* act, block-scaled: the block's scale above the lanes */
};

static void beats(const struct design_point *dp, struct beat b[3])
{
    const struct dp_derived *d = &dp->d;
    /* A weight lane is one key of a LUT (tlut) or one weight of an input
     * (the baselines and fixp): K*L keys, K*P or R*C weights. */
    int groups = dp->kind == KIND_TLUT ? (int)dp->luts : d->tile_cols;
    int wl = d->outputs * groups;
    /* batch > 1: column c's lanes follow column c-1's (docs/protocol.md). */
    b[0] = (struct beat){ "act", d->act_bits, d->tile_cols * (int)dp->batch, d->lane_in_bits, 0,
                          d->mx ? d->scale_bits * (int)dp->batch : 0 };
    b[1] = (struct beat){ "wgt", d->wgt_bits, wl, d->wgt_bits / wl, groups, 0 };
    if (dp->weight_store == WS_DENSE) /* bytes of 5 base-3 digits */
        b[1] = (struct beat){ "wgt", d->wgt_bits, d->wgt_bits / 8, 8, 0, 0 };
    b[2] = (struct beat){ "res", d->res_bits, d->acc_lanes, d->lane_bits, 0, 0 };
    for (int i = 0; i < 3; i++)
        if (b[i].lanes * b[i].lane_bits + b[i].scale_bits != b[i].bits)
            BUG("%s beat: %d lanes of %d bits in %d", b[i].stream, b[i].lanes,
                b[i].lane_bits, b[i].bits);
}

/* The first port of a role. */
static const struct shell_port *find_role(const struct shell_port *p, int n, const char *role)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i].role, role))
            return &p[i];
    return NULL;
}

/* The macro prefix of the C header: the name prefix in upper case. */
static char *macro_prefix(const struct design_point *dp)
{
    char *m = xstrdup(gen_prefix(dp));
    for (char *c = m; *c; c++)
        *c = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A')
             : ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) ? *c : '_';
    return m;
}

/* Does parameter p describe dp? Those of its kind, but not act_width
 * and acc_width of floating-point activations: act_format_derive
 * (actfmt.h) refuses them there, so params.xml must not give them; nor
 * a later dimension (PARAM_QINT, PARAM_QENUM) at its default, which the
 * Verilog header leaves out too. */
static int applies(const struct design_point *dp, const struct param_desc *p)
{
    if (!(p->kinds & KIND_BIT(dp->kind)))
        return 0;
    if (p->quiet == 2 && dp_get(dp, p) == p->def)
        return 0;
    if (dp->d.fp && p == &param_table[PI_acc_width])
        return 0;
    return !(dp->d.fp && act_formats[dp->act_type].width && p == &param_table[PI_act_width]);
}

double integ_clock_ns(const struct design_point *dp, const struct tech *t)
{
    return dp->clock_ns > 0 ? dp->clock_ns : t->clock_ns;
}

/* ------------------------------------------------------------ params.xml */

char *integ_params_xml(const struct design_point *dp, const char *comment)
{
    struct strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "<?xml version=\"1.0\"?>\n");
    if (comment)
        sb_addf(&sb, "<!-- %s -->\n", comment);
    sb_adds(&sb, "<ternforge version=\"1\">\n  <core");
    char buf[32];
    int col = 7;
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if (!applies(dp, p))
            continue;
        const char *v = dp_value_str(dp, p, buf, sizeof buf);
        size_t w = strlen(p->name) + strlen(v) + 4;
        if (col + w > 78) {
            sb_adds(&sb, "\n       ");
            col = 7;
        }
        sb_addf(&sb, " %s=\"%s\"", p->name, v);
        col += (int)w;
    }
    if (dp->clock_ns > 0)
        sb_addf(&sb, "\n        clock_ns=\"%.6g\"", dp->clock_ns);
    sb_adds(&sb, "/>\n</ternforge>\n");
    return sb_detach(&sb);
}

/* ------------------------------------------------------------ manifest */

static void json_params(struct strbuf *sb, const struct design_point *dp)
{
    char buf[32];
    int first = 1;
    sb_adds(sb, "  \"parameters\": {");
    for (int i = 0; i < param_count; i++) {
        const struct param_desc *p = &param_table[i];
        if (!applies(dp, p))
            continue;
        const char *v = dp_value_str(dp, p, buf, sizeof buf);
        sb_addf(sb, "%s\n    \"%s\": %s%s%s", first ? "" : ",", p->name,
                p->type != PT_INT ? "\"" : "", v, p->type != PT_INT ? "\"" : "");
        first = 0;
    }
    if (dp->clock_ns > 0)
        sb_addf(sb, ",\n    \"clock_ns\": %.6g", dp->clock_ns);
    sb_adds(sb, "\n  },\n");
}

static char *manifest(const struct design_point *dp, const struct gen_files *gf,
                      const struct tech *t)
{
    const struct dp_derived *d = &dp->d;
    struct shell_port p[SHELL_PORTS_MAX];
    int n = shell_ports(dp, p);
    const struct shell_port *clk = find_role(p, n, "clock"), *rst = find_role(p, n, "reset");
    if (!clk || !rst)
        BUG("the top has no clock or no reset port");
    struct beat b[3];
    beats(dp, b);
    char *top = gen_name(dp, "_top");
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "{\n  \"generator\": \"ternforge %s\",\n  \"top\": \"%s\",\n"
                 "  \"prefix\": \"%s\",\n  \"kind\": \"%s\",\n  \"fingerprint\": \"%016llx\",\n",
            TF_VERSION, top, gen_prefix(dp), kind_names[dp->kind],
            (unsigned long long)dp_fingerprint(dp));
    sb_addf(&sb, "  \"clock\": {\"port\": \"%s\", \"edge\": \"rising\", \"period_ns\": %.6g, "
                 "\"period_from\": \"%s\"},\n",
            clk->name, integ_clock_ns(dp, t), dp->clock_ns > 0 ? "clock_ns" : t->name);
    /* interface=axis resets on aresetn, synchronously (sync_n) */
    sb_addf(&sb, "  \"interface\": \"%s\",\n", dp->interface == IF_AXIS ? "axis" : "native");
    sb_addf(&sb, "  \"reset\": {\"port\": \"%s\", \"active\": \"%s\", \"synchronous\": %s},\n",
            rst->name, dp->interface == IF_AXIS || dp->reset != RST_SYNC ? "low" : "high",
            dp->reset == RST_ASYNC_N ? "false" : "true");
    sb_adds(&sb, "  \"ports\": [");
    for (int i = 0; i < n; i++) {
        sb_addf(&sb, "%s\n    {\"name\": \"%s\", \"direction\": \"%s\", \"width\": %d, "
                     "\"role\": \"%s\"",
                i ? "," : "", p[i].name, p[i].output ? "output" : "input",
                p[i].bits ? p[i].bits : 1, p[i].role);
        if (p[i].stream)
            sb_addf(&sb, ", \"stream\": \"%s\"", p[i].stream);
        sb_adds(&sb, "}");
    }
    sb_adds(&sb, "\n  ],\n  \"streams\": {\n");
    /* axis: one 64-bit cfg beat, M in [31:0] and N in [63:32] */
    int axis = dp->interface == IF_AXIS;
    const char *rows = axis ? "s_axis_cfg_tdata" : "cfg_rows";
    const char *cols = axis ? "s_axis_cfg_tdata" : "cfg_cols";
    sb_addf(&sb, "    \"cfg\": {\"direction\": \"input\", \"fields\": [{\"port\": \"%s\", "
                 "\"lsb\": 0, \"bits\": %d, \"meaning\": \"M, rows of W\"}, {\"port\": \"%s\", "
                 "\"lsb\": %d, \"bits\": %d, \"meaning\": \"N, columns of W\"}]},\n",
            rows, d->row_bits, cols, axis ? 32 : 0, d->col_bits);
    static const char *const what[3] = {
        "activations, lane i = x[t*lanes + i]",
        "weights, lane = output*groups + group (docs/weights.md, docs/baselines.md)",
        "results, lane k = y[row group*lanes + k]",
    };
    static const char *const what_batch[3] = {
        "activations, lane c*tile_cols + i = x[t*tile_cols + i] of the job's column c",
        "weights, lane = output*groups + group (docs/weights.md, docs/baselines.md)",
        "results, lane c*outputs + k = y[row group*outputs + k] of the job's column c",
    };
    const char *dense = "weights, dense: byte j = sum over t < 5 of (w[5j+t] + 1) 3^t, "
                        "w[i] the weight of output i / tile_cols, input i % tile_cols "
                        "(docs/weights.md)";
    for (int i = 0; i < 3; i++) {
        const struct shell_port *data = NULL;
        for (int j = 0; j < n && !data; j++)
            if (p[j].stream && !strcmp(p[j].stream, b[i].stream) && !strcmp(p[j].role, "data"))
                data = &p[j];
        if (!data)
            BUG("the top has no %s data port", b[i].stream);
        /* the beat sits in the low bits of its port (axis: tdata in bytes) */
        sb_addf(&sb, "    \"%s\": {\"direction\": \"%s\", \"port\": \"%s\", \"port_bits\": %d, "
                     "\"bits\": %d, \"lanes\": %d, \"lane_bits\": %d",
                b[i].stream, i == 2 ? "output" : "input", data->name, data->bits, b[i].bits,
                b[i].lanes, b[i].lane_bits);
        if (b[i].groups)
            sb_addf(&sb, ", \"groups\": %d", b[i].groups);
        if (b[i].scale_bits) /* block-scaled: tiles never span blocks (docs/protocol.md) */
            sb_addf(&sb, ", \"scale_lsb\": %d, \"scale_bits\": %d, \"block\": %d",
                    b[i].lanes * b[i].lane_bits, d->scale_bits, d->mx);
        if (i == 2)
            sb_addf(&sb, ", \"lane_signed\": %s", d->lane_signed ? "true" : "false");
        sb_addf(&sb, ", \"layout\": \"%s%s\"}%s\n",
                i == 1 && dp->weight_store == WS_DENSE ? dense
                                                       : (dp->batch > 1 ? what_batch : what)[i],
                b[i].scale_bits && dp->batch > 1
                    ? ", and its block scale at scale_lsb + c*scale_bits" : "",
                i < 2 ? "," : "");
    }
    /* docs/protocol.md, "Throughput and latency": L as measured; the
     * prefetching LUT core (lut_reg) spends a PRIME cycle per job, before
     * its first weight beat, which is not part of L. */
    sb_addf(&sb, "  },\n  \"latency\": {\"last_weight_to_result_cycles\": %d, "
                 "\"prime_cycles_per_job\": %d, "
                 "\"weight_beat_spacing\": %d, \"control_stages\": %d},\n",
            d->latency, d->prefetch ? 1 : 0, d->spacing, d->stages);
    json_params(&sb, dp);
    sb_addf(&sb, "  \"limits\": {\"max_rows\": %ld, \"max_cols\": %ld, \"buffer_depth\": %d},\n",
            dp->max_rows, dp->max_cols, d->buf_depth);
    /* The SRAM macros of mem_style=sram (memories.json has their ports and
     * OpenRAM shape); names carry the prefix like every module. */
    struct tf_memory mem[2];
    int nmem = memories_of(dp, mem);
    char *module = gen_rename(dp, "tf_sram_1r1w");
    sb_adds(&sb, "  \"memories\": [");
    for (int i = 0; i < nmem; i++) {
        char *inst = gen_rename(dp, mem[i].instance);
        sb_addf(&sb, "%s\n    {\"role\": \"%s\", \"instance\": \"%s\", \"module\": "
                     "\"%s\", \"depth\": %d, \"width\": %d, \"read_latency\": 1}",
                i ? "," : "", mem[i].role, inst, module, mem[i].depth, mem[i].width);
        free(inst);
    }
    free(module);
    sb_adds(&sb, nmem ? "\n  ],\n  \"files\": [" : "],\n  \"files\": [");
    int first = 1;
    for (int i = 0; i < gf->n; i++) {
        if (!is_verilog(gf->name[i]))
            continue;
        sb_addf(&sb, "%s\n    \"%s\"", first ? "" : ",", gf->name[i]);
        first = 0;
    }
    char *sdc = gen_name(dp, ".sdc");
    sb_addf(&sb, "\n  ],\n  \"constraints\": \"%s\"\n}\n", sdc);
    free(sdc);
    free(top);
    return sb_detach(&sb);
}

/* ------------------------------------------------------------ .core */

static char *core_file(const struct design_point *dp, const struct gen_files *gf)
{
    char *top = gen_name(dp, "_top"), *sdc = gen_name(dp, ".sdc"),
         *name = gen_name(dp, ".core"), *h = gen_name(dp, "_params.h"),
         *inst = gen_name(dp, "_inst.vh");
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "CAPI=2:\n# %s - FuseSoC core description of %s (docs/integration.md).\n"
                 "# Generated by ternforge %s for design point %016llx.\n",
            name, top, TF_VERSION, (unsigned long long)dp_fingerprint(dp));
    sb_addf(&sb, "name: ternforge:generated:%s:%s\n", gen_prefix(dp), TF_VERSION);
    sb_addf(&sb, "description: ternforge %s core %016llx\n\nfilesets:\n  rtl:\n    files:\n",
            kind_names[dp->kind], (unsigned long long)dp_fingerprint(dp));
    for (int i = 0; i < gf->n; i++)
        if (is_verilog(gf->name[i]))
            sb_addf(&sb, "      - %s\n", gf->name[i]);
    sb_addf(&sb, "    file_type: verilogSource\n"
                 "  headers:\n    files:\n      - %s: {is_include_file: true}\n"
                 "    file_type: verilogSource\n"
                 "  driver:\n    files:\n      - %s: {is_include_file: true}\n"
                 "    file_type: cSource\n"
                 "  constraints:\n    files:\n      - %s\n    file_type: SDC\n\n",
            inst, h, sdc);
    sb_addf(&sb, "targets:\n  default: &default\n    filesets: [rtl]\n    toplevel: %s\n\n"
                 "  lint:\n    <<: *default\n    default_tool: verilator\n    tools:\n"
                 "      verilator:\n        mode: lint-only\n        verilator_options: [-Wall]\n\n"
                 "  sim:\n    <<: *default\n    default_tool: icarus\n    tools:\n"
                 "      icarus:\n        iverilog_options: [-g2005]\n"
                 "      verilator:\n        mode: cc\n        verilator_options: [-Wall]\n\n"
                 "  synth:\n    filesets: [rtl, constraints]\n    toplevel: %s\n",
            top, top);
    free(top);
    free(sdc);
    free(name);
    free(h);
    free(inst);
    return sb_detach(&sb);
}

/* ------------------------------------------------------------ C header */

static char *c_header(const struct design_point *dp)
{
    const struct dp_derived *d = &dp->d;
    char *m = macro_prefix(dp), *name = gen_name(dp, "_params.h"), *top = gen_name(dp, "_top");
    struct beat b[3];
    beats(dp, b);
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "/* %s - what driver software needs to feed %s: widths, beat sizes,\n"
                 " * lane layouts (docs/protocol.md, docs/weights.md, docs/integration.md).\n"
                 " * Generated by ternforge %s. Do not edit. */\n",
            name, top, TF_VERSION);
    sb_addf(&sb, "#ifndef %s_PARAMS_H\n#define %s_PARAMS_H\n\n", m, m);
    sb_addf(&sb, "#define %s_FINGERPRINT 0x%016llxULL\n#define %s_KIND \"%s\"\n\n", m,
            (unsigned long long)dp_fingerprint(dp), m, kind_names[dp->kind]);
    sb_addf(&sb, "/* Jobs: 1 <= M <= MAX_ROWS, 1 <= N <= MAX_COLS. */\n"
                 "#define %s_MAX_ROWS %ldL\n#define %s_MAX_COLS %ldL\n"
                 "#define %s_ROW_BITS %d\n#define %s_COL_BITS %d\n\n",
            m, dp->max_rows, m, dp->max_cols, m, d->row_bits, m, d->col_bits);
    static const char *const up[3] = { "ACT", "WGT", "RES" };
    for (int i = 0; i < 3; i++) {
        sb_addf(&sb, "/* %s beat: lane i at bits [i*LANE_BITS +: LANE_BITS]. */\n", up[i]);
        sb_addf(&sb, "#define %s_%s_BITS %d\n#define %s_%s_BYTES %d\n#define %s_%s_LANES %d\n"
                     "#define %s_%s_LANE_BITS %d\n",
                m, up[i], b[i].bits, m, up[i], (b[i].bits + 7) / 8, m, up[i], b[i].lanes, m,
                up[i], b[i].lane_bits);
        if (b[i].groups)
            sb_addf(&sb, "/* weight lane of output k and group g: k*GROUPS + g */\n"
                         "#define %s_%s_GROUPS %d\n",
                    m, up[i], b[i].groups);
        if (b[i].scale_bits)
            sb_addf(&sb, "/* block-scaled: the block's scale code above the lanes; a beat never\n"
                         " * spans two blocks of BLOCK inputs (docs/protocol.md) */\n"
                         "#define %s_%s_SCALE_LSB %d\n#define %s_%s_SCALE_BITS %d\n"
                         "#define %s_BLOCK %d\n",
                    m, up[i], b[i].lanes * b[i].lane_bits, m, up[i], d->scale_bits, m, d->mx);
        if (b[i].scale_bits && dp->batch > 1)
            sb_addf(&sb, "/* batch: column c's scale at SCALE_LSB + c*SCALE_BITS */\n");
        sb_adds(&sb, "\n");
    }
    sb_addf(&sb, "#define %s_RES_LANE_SIGNED %d\n", m, d->lane_signed);
    sb_addf(&sb, "/* Outputs per result beat (rows per row group) and inputs per tile. */\n"
                 "#define %s_OUTPUTS %d\n#define %s_TILE_COLS %d\n",
            m, d->outputs, m, d->tile_cols);
    if (dp->batch > 1)
        sb_addf(&sb, "/* Columns per job: ACT lane c*TILE_COLS + i, RES lane c*OUTPUTS + k\n"
                     " * belong to the job's column c (docs/protocol.md, Batching). */\n"
                     "#define %s_BATCH %ld\n", m, dp->batch);
    if (dp->kind == KIND_TLUT)
        sb_addf(&sb, "/* tlut keys (docs/weights.md): {sign, code}, sign in bit KEY_BITS-1;\n"
                     " * a key covers MU weights; ENTRIES = (3^MU-1)/2 codes. */\n"
                     "#define %s_MU %ld\n#define %s_LUTS %ld\n#define %s_KEY_BITS %d\n"
                     "#define %s_ENTRIES %d\n",
                m, dp->mu, m, dp->luts, m, d->key_bits, m, d->entries);
    sb_addf(&sb, "/* Cycles from the last weight beat of a row group to its result. */\n"
                 "#define %s_LATENCY %d\n\n#endif\n",
            m, d->latency);
    free(m);
    free(name);
    free(top);
    return sb_detach(&sb);
}

/* ------------------------------------------------------------ inst.vh */

static char *inst_template(const struct design_point *dp)
{
    struct shell_port p[SHELL_PORTS_MAX];
    int n = shell_ports(dp, p);
    char *name = gen_name(dp, "_inst.vh"), *top = gen_name(dp, "_top");
    const char *pre = gen_prefix(dp);
    struct strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "// %s - instantiation template of %s: wires named <prefix>_<port>,\n"
                 "// then the instance. `include it inside a module, or copy it.\n"
                 "// Generated by ternforge %s for design point %016llx.\n",
            name, top, TF_VERSION, (unsigned long long)dp_fingerprint(dp));
    size_t w = 0;
    for (int i = 0; i < n; i++)
        if (strlen(p[i].name) > w)
            w = strlen(p[i].name);
    for (int i = 0; i < n; i++) {
        char range[32] = "";
        if (p[i].bits)
            snprintf(range, sizeof range, "[%d:0] ", p[i].bits - 1);
        sb_addf(&sb, "wire %-8s%s_%s; // %s %s\n", range, pre, p[i].name,
                p[i].output ? "output" : "input", p[i].role);
    }
    sb_addf(&sb, "%s u_%s (\n", top, top);
    for (int i = 0; i < n; i++)
        sb_addf(&sb, "    .%-*s (%s_%s)%s\n", (int)w, p[i].name, pre, p[i].name,
                i + 1 < n ? "," : "");
    sb_adds(&sb, ");\n");
    free(name);
    free(top);
    return sb_detach(&sb);
}

/* ------------------------------------------------------------ files */

void integ_files(const struct design_point *dp, const struct tech *t, struct gen_files *gf)
{
    double clock = integ_clock_ns(dp, t);
    /* The lists and the scripts name the Verilog of gf as generate() made
     * it: take a snapshot before adding files. */
    struct gen_files v;
    gf_init(&v);
    for (int i = 0; i < gf->n; i++)
        if (is_verilog(gf->name[i]))
            gf_add(&v, gf->name[i], xstrdup(gf->text[i]));

    char *m = macro_prefix(dp);
    struct strbuf fl = STRBUF_INIT;
    sb_addf(&fl, "// files_env.f - the Verilog of %s_top in compile order, named through\n"
                 "// $%s_RTL (this folder): any working directory, both tools:\n"
                 "//   %s_RTL=DIR verilator -f DIR/files_env.f ...\n"
                 "//   %s_RTL=DIR iverilog -c DIR/files_env.f ...\n",
            gen_prefix(dp), m, m, m);
    for (int i = 0; i < v.n; i++)
        sb_addf(&fl, "${%s_RTL}/%s\n", m, v.name[i]);
    gf_add(gf, "files_env.f", sb_detach(&fl));

    gf_add(gf, "manifest.json", manifest(dp, &v, t));
    char *n = gen_name(dp, ".sdc");
    gf_add(gf, n, synth_sdc(dp, clock));
    free(n);
    n = gen_name(dp, ".core");
    gf_add(gf, n, core_file(dp, &v));
    free(n);
    n = gen_name(dp, "_params.h");
    gf_add(gf, n, c_header(dp));
    free(n);
    n = gen_name(dp, "_inst.vh");
    gf_add(gf, n, inst_template(dp));
    free(n);

    /* synth.ys: the script `synth` runs for t, after a header. */
    struct synth_flow f;
    flow_of(t, clock, &f);
    struct strbuf ys = STRBUF_INIT;
    sb_addf(&ys, "# synth.ys - the Yosys script 'ternforge synth --tech %s' runs for this\n"
                 "# design point at %.6g ns; run it in this folder: yosys -s synth.ys\n",
            t->name, clock);
    synth_yosys_script(&ys, dp, &v, &f, t->liberty ? t->liberty : "");
    gf_add(gf, "synth.ys", sb_detach(&ys));

    gf_add(gf, "params.xml",
           integ_params_xml(dp, "the resolved parameter file: 'ternforge gen params.xml' "
                                "gives the same files"));
    free(m);
    gf_free(&v);
}
