/* shell.c - the streaming shell shared by every core kind (see shell.h):
 * controller, activation buffer, weight register, control pipeline,
 * accumulators (wrapping or saturating), result FIFO with credits, and the
 * adder trees. The cycle-level behaviour is docs/protocol.md. Everything
 * written is counted into the inventory; model/shell_inv.h has the analytic
 * twin. */
#include "shell.h"

#include <stdlib.h>
#include <string.h>

#include "../model/kind.h"

char *le_const(const char *sig, int bits, long v)
{
    struct strbuf sb = STRBUF_INIT;
    if (bits < 62 && v >= (1L << bits) - 1)
        sb_adds(&sb, "1'b1");
    else
        sb_addf(&sb, "(%s <= %d'd%ld)", sig, bits, v);
    return sb_detach(&sb);
}

char *lit(int bits, long v)
{
    struct strbuf sb = STRBUF_INIT;
    unsigned long long m = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
    sb_addf(&sb, "%d'd%llu", bits, (unsigned long long)v & m);
    return sb_detach(&sb);
}

/* Name of element i of tree level lv for output k: a register or a wire. */
static void term_name(char *buf, size_t n, int k, int lv, int i, int cut)
{
    snprintf(buf, n, "%s%d_%d_%d", cut ? "tq" : "tw", k, lv, i);
}

void emit_trees(const struct design_point *dp, struct vw *vp, struct inventory *inv,
                const char *bus, int n0, int bits0, int stage0)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs;
    /* Block-scaled: integer roots, at their natural width, for the block
     * accumulator in front of the converter (gen/mxdp.c). */
    int end = d->tree_end - (d->mx ? (int)dp->fp_latency : 0);
    int rbits = d->mx ? bits0 + d->tree_levels : d->tree_bits;
    char a[48], b[48], o[48];
    vw_printf(vp, "// ---- adder trees: level by level, pairs (2i, 2i+1); an odd last term\n"
                  "// moves up unchanged. Widths grow one bit per level: no overflow. ----\n");
    for (int k = 0; k < K; k++) {
        int n = n0, st = stage0;
        int cut0 = tree_cut_after(dp, 0);
        for (int i = 0; i < n && bus; i++) {
            term_name(o, sizeof o, k, 0, i, 0);
            vw_printf(vp, "wire [%d:0] %s = %s[%d +: %d];\n", bits0 - 1, o, bus,
                      (k * n0 + i) * bits0, bits0);
        }
        if (cut0) {
            for (int i = 0; i < n; i++)
                vw_printf(vp, "reg  [%d:0] tq%d_0_%d;\n", bits0 - 1, k, i);
            vw_begin(vp, "always @(posedge clk) if (c%d_v) begin\n", st);
            for (int i = 0; i < n; i++)
                vw_printf(vp, "tq%d_0_%d <= tw%d_0_%d;\n", k, i, k, i);
            vw_end(vp, "end\n");
            inv_add(inv, COMP_PIPELINE, PRIM_REG, bits0, 0, n);
            st++;
        }
        int prev_cut = cut0;
        for (int lv = 1; lv <= d->tree_levels; lv++) {
            int bits = bits0 + lv, m = (n + 1) / 2;
            for (int i = 0; i < m; i++) {
                term_name(a, sizeof a, k, lv - 1, 2 * i, prev_cut);
                char *ax = vw_sext(a, bits - 1, bits);
                term_name(o, sizeof o, k, lv, i, 0);
                if (2 * i + 1 < n) {
                    term_name(b, sizeof b, k, lv - 1, 2 * i + 1, prev_cut);
                    char *bx = vw_sext(b, bits - 1, bits);
                    vw_printf(vp, "wire [%d:0] %s = %s + %s;\n", bits - 1, o, ax, bx);
                    free(bx);
                    inv_add(inv, COMP_ADDER_TREE, PRIM_ADD, bits, 2, 1);
                } else {
                    vw_printf(vp, "wire [%d:0] %s = %s;\n", bits - 1, o, ax);
                }
                free(ax);
            }
            n = m;
            prev_cut = tree_cut_after(dp, lv);
            if (prev_cut) {
                for (int i = 0; i < n; i++)
                    vw_printf(vp, "reg  [%d:0] tq%d_%d_%d;\n", bits - 1, k, lv, i);
                vw_begin(vp, "always @(posedge clk) if (c%d_v) begin\n", st);
                for (int i = 0; i < n; i++)
                    vw_printf(vp, "tq%d_%d_%d <= tw%d_%d_%d;\n", k, lv, i, k, lv, i);
                vw_end(vp, "end\n");
                inv_add(inv, COMP_PIPELINE, PRIM_REG, bits, 0, n);
                st++;
            }
        }
        if (st != end)
            BUG("tree pipeline ends in stage %d, expected %d", st, end);
        term_name(o, sizeof o, k, d->tree_levels, 0, prev_cut);
        vw_printf(vp, "wire [%d:0] %s%d = %s;\n", rbits - 1, d->mx ? "iroot" : "root", k, o);
    }
}

/* The reset of the control registers: the condition that resets them,
 * and what their always blocks wait for ("posedge clk" and, for an
 * asynchronous reset, its edge). */
static const char *rst_cond(const struct design_point *dp)
{
    if (dp->interface == IF_AXIS)
        return "!aresetn";
    return dp->reset == RST_SYNC ? "rst" : "!rst_n";
}

static const char *rst_events(const struct design_point *dp)
{
    return dp->reset == RST_ASYNC_N ? "posedge clk or negedge rst_n" : "posedge clk";
}

/* AXI4-Stream tdata: the native beat rounded up to whole bytes. */
static int axis_bits(int bits)
{
    return (bits + 7) / 8 * 8;
}

int shell_ports(const struct design_point *dp, struct shell_port *port)
{
    const struct dp_derived *d = &dp->d;
    int axis = dp->interface == IF_AXIS;
    int ab = axis_bits(d->act_bits), wb = axis_bits(d->wgt_bits), rb = axis_bits(d->res_bits);
    /* bits 0: a scalar port. The AXI4-Stream cfg beat is 64 bits: rows in
     * [31:0], columns in [63:32] (docs/integration.md). */
    const struct shell_port native[] = {
        { "clk", 0, 0, "clock", NULL },
        { dp->reset == RST_SYNC ? "rst" : "rst_n", 0, 0, "reset", NULL },
        { "cfg_valid", 0, 0, "valid", "cfg" },     { "cfg_ready", 1, 0, "ready", "cfg" },
        { "cfg_rows", 0, d->row_bits, "data", "cfg" },
        { "cfg_cols", 0, d->col_bits, "data", "cfg" },
        { "act_valid", 0, 0, "valid", "act" },     { "act_ready", 1, 0, "ready", "act" },
        { "act_data", 0, d->act_bits, "data", "act" },
        { "wgt_valid", 0, 0, "valid", "wgt" },     { "wgt_ready", 1, 0, "ready", "wgt" },
        { "wgt_data", 0, d->wgt_bits, "data", "wgt" },
        { "res_valid", 1, 0, "valid", "res" },     { "res_ready", 0, 0, "ready", "res" },
        { "res_data", 1, d->res_bits, "data", "res" },
        { "res_last", 1, 0, "last", "res" },       { "busy", 1, 0, "status", NULL },
    };
    const struct shell_port axi[] = {
        { "aclk", 0, 0, "clock", NULL },                 { "aresetn", 0, 0, "reset", NULL },
        { "s_axis_cfg_tdata", 0, 64, "data", "cfg" },    { "s_axis_cfg_tvalid", 0, 0, "valid", "cfg" },
        { "s_axis_cfg_tready", 1, 0, "ready", "cfg" },   { "s_axis_act_tdata", 0, ab, "data", "act" },
        { "s_axis_act_tvalid", 0, 0, "valid", "act" },   { "s_axis_act_tready", 1, 0, "ready", "act" },
        { "s_axis_wgt_tdata", 0, wb, "data", "wgt" },    { "s_axis_wgt_tvalid", 0, 0, "valid", "wgt" },
        { "s_axis_wgt_tready", 1, 0, "ready", "wgt" },   { "m_axis_res_tdata", 1, rb, "data", "res" },
        { "m_axis_res_tvalid", 1, 0, "valid", "res" },   { "m_axis_res_tready", 0, 0, "ready", "res" },
        { "m_axis_res_tlast", 1, 0, "last", "res" },
    };
    _Static_assert(sizeof native / sizeof *native <= SHELL_PORTS_MAX, "SHELL_PORTS_MAX");
    _Static_assert(sizeof axi / sizeof *axi <= SHELL_PORTS_MAX, "SHELL_PORTS_MAX");
    if (axis) {
        memcpy(port, axi, sizeof axi);
        return (int)(sizeof axi / sizeof *axi);
    }
    memcpy(port, native, sizeof native);
    return (int)(sizeof native / sizeof *native);
}

/* interface=axis: the native signals the rest of the module uses, from
 * and to the AXI4-Stream ports. */
static void emit_axis_map(const struct design_point *dp, struct vw *v)
{
    const struct dp_derived *d = &dp->d;
    int ab = axis_bits(d->act_bits), wb = axis_bits(d->wgt_bits), rb = axis_bits(d->res_bits);
    vw_printf(v, "// ---- AXI4-Stream to the native streams (docs/integration.md) ----\n");
    vw_printf(v, "wire clk = aclk;\n");
    vw_printf(v, "wire cfg_valid = s_axis_cfg_tvalid;\n");
    vw_printf(v, "wire cfg_ready;\nassign s_axis_cfg_tready = cfg_ready;\n");
    vw_printf(v, "wire [ROW_BITS-1:0] cfg_rows = s_axis_cfg_tdata[ROW_BITS-1:0];\n");
    vw_printf(v, "wire [COL_BITS-1:0] cfg_cols = s_axis_cfg_tdata[32 +: COL_BITS];\n");
    vw_printf(v, "wire act_valid = s_axis_act_tvalid;\n");
    vw_printf(v, "wire act_ready;\nassign s_axis_act_tready = act_ready;\n");
    vw_printf(v, "wire [ACT_BITS-1:0] act_data = s_axis_act_tdata[ACT_BITS-1:0];\n");
    vw_printf(v, "wire wgt_valid = s_axis_wgt_tvalid;\n");
    vw_printf(v, "wire wgt_ready;\nassign s_axis_wgt_tready = wgt_ready;\n");
    vw_printf(v, "wire [WGT_BITS-1:0] wgt_data = s_axis_wgt_tdata[WGT_BITS-1:0];\n");
    vw_printf(v, "wire res_valid;\nassign m_axis_res_tvalid = res_valid;\n");
    vw_printf(v, "wire res_ready = m_axis_res_tready;\n");
    vw_printf(v, "wire [RES_BITS-1:0] res_data;\n");
    if (rb > d->res_bits)
        vw_printf(v, "assign m_axis_res_tdata = {%d'd0, res_data};\n", rb - d->res_bits);
    else
        vw_printf(v, "assign m_axis_res_tdata = res_data;\n");
    vw_printf(v, "wire res_last;\nassign m_axis_res_tlast = res_last;\n");
    vw_printf(v, "// AXI4-Stream has no busy output; tdata bits above a beat are ignored.\n"
                 "/* verilator lint_off UNUSEDSIGNAL */\nwire busy;\n");
    vw_printf(v, "wire unused_cfg = ^{s_axis_cfg_tdata[63:32 + COL_BITS], "
                 "s_axis_cfg_tdata[31:ROW_BITS]};\n");
    if (ab > d->act_bits)
        vw_printf(v, "wire unused_act = ^s_axis_act_tdata[%d:ACT_BITS];\n", ab - 1);
    if (wb > d->wgt_bits)
        vw_printf(v, "wire unused_wgt = ^s_axis_wgt_tdata[%d:WGT_BITS];\n", wb - 1);
    vw_printf(v, "/* verilator lint_on UNUSEDSIGNAL */\n\n");
}

/* The header comment and the ports (docs/protocol.md, docs/integration.md). */
static void emit_ports(const struct design_point *dp, const struct shell *sh, struct vw *v)
{
    const struct dp_derived *d = &dp->d;
    char *h = gen_header(dp, "tf_top.v", sh->title);
    vw_printf(v, "%s", h);
    free(h);
    vw_printf(v, "//\n// Ports and cycle-level protocol: docs/protocol.md%s. Weight\n"
                 "// stream: %s. Widths of this point:\n",
              dp->interface == IF_AXIS || dp->reset != RST_SYNC ? ", docs/integration.md" : "",
              sh->weights_doc);
    vw_printf(v, "//   ROW_BITS=%d COL_BITS=%d ACT_BITS=%d WGT_BITS=%d RES_BITS=%d\n"
                 "//   term_bits=%d tree_bits=%d acc_bits=%d latency=%d\n",
              d->row_bits, d->col_bits, d->act_bits, d->wgt_bits, d->res_bits, d->term_bits,
              d->tree_bits, d->acc_bits, d->latency);
    vw_printf(v, "`default_nettype none\n");
    vw_begin(v, "module tf_top (\n");
    struct shell_port port[SHELL_PORTS_MAX];
    int n = shell_ports(dp, port);
    for (int i = 0; i < n; i++) {
        const char *sep = i + 1 < n ? "," : "";
        const char *dir = port[i].output ? "output" : "input ";
        if (port[i].bits)
            vw_printf(v, "%s wire [%d:0] %s%s\n", dir, port[i].bits - 1, port[i].name, sep);
        else
            vw_printf(v, "%s wire %s%s\n", dir, port[i].name, sep);
    }
    vw_end(v, ");\n");
}

/* The sizes of this point, named once; the ports above state the same
 * numbers (Verilog-2005 has no localparam before an ANSI port list). */
static void emit_sizes(const struct design_point *dp, struct vw *v)
{
    const struct dp_derived *d = &dp->d;
    vw_printf(v, "// ---- sizes of this design point (docs/protocol.md) ----\n");
    vw_printf(v, "localparam ROW_BITS  = %d;  // cfg_rows: M <= max_rows = %ld\n", d->row_bits,
              dp->max_rows);
    vw_printf(v, "localparam COL_BITS  = %d;  // cfg_cols: N <= max_cols = %ld\n", d->col_bits,
              dp->max_cols);
    if (dp->batch > 1)
        vw_printf(v, "localparam ACT_BITS  = %d;  // activation beat: %ld columns x %d lanes "
                     "of %d bits%s\n", d->act_bits, dp->batch, d->tile_cols, d->lane_in_bits,
                  d->mx ? ", then each column's 8-bit block scale" : "");
    else
        vw_printf(v, "localparam ACT_BITS  = %d;  // activation beat: %d lanes of %d bits%s\n",
                  d->act_bits, d->tile_cols, d->lane_in_bits,
                  d->mx ? ", then the block's 8-bit scale" : "");
    if (dp->weight_store == WS_DENSE)
        vw_printf(v, "localparam WGT_BITS  = %d;  // weight beat: %d outputs x %d inputs, 5 per "
                     "byte (dense)\n", d->wgt_bits, d->outputs, d->tile_cols);
    else
        vw_printf(v, "localparam WGT_BITS  = %d;  // weight beat: %d outputs x %d inputs\n",
                  d->wgt_bits, d->outputs, d->tile_cols);
    vw_printf(v, "localparam RES_BITS  = %d;  // result beat: %d lanes of %d bits\n",
              d->res_bits, d->acc_lanes, d->lane_bits);
    vw_printf(v, "localparam BUF_DEPTH = %d;  // activation buffer: beats of the longest x\n",
              d->buf_depth);
    vw_printf(v, "localparam OUT_DEPTH = %ld;  // result FIFO: beats\n\n", dp->out_depth);
}

static int credit_bits(const struct design_point *dp)
{
    return clog2((uint64_t)dp->out_depth + 1);
}

/* wgt_ready: the last tile of a row group waits for a free FIFO slot; with
 * a pipelined FP accumulator, weight beats are also spaced so its sum is
 * back before the next tile. */
static void emit_wgt_ready(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    char *depth_cr = lit(credit_bits(dp), (long)dp->out_depth);
    vw_printf(v, "// The last tile of a row group is issued only with a FIFO slot free.\n");
    if (d->spacing > 1) {
        int gb = clog2((uint64_t)d->spacing);
        vw_printf(v, "// A pipelined FP accumulator needs its sum back before the next tile:\n"
                     "// weight beats are spaced %d cycles apart.\n", d->spacing);
        vw_printf(v, "reg  [%d:0] gap;\n", gb - 1);
        vw_printf(v, "assign wgt_ready = state == S_RUN && gap == %d'd0 && "
                     "(!tile_last || res_inflight != %s);\n", gb, depth_cr);
        vw_begin(v, "always @(%s)\n", rst_events(dp));
        vw_printf(v, "if (%s) gap <= %d'd0;\nelse if (wgt_valid && wgt_ready) gap <= %d'd%d;\n"
                     "else if (gap != %d'd0) gap <= gap - %d'd1;\n", rst_cond(dp), gb, gb,
                  d->spacing - 1, gb, gb);
        vw_outdent(v);
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, gb, 0, 1);
        inv_add(inv, COMP_CONTROLLER, PRIM_ADD, gb, 2, 1);
    } else {
        vw_printf(v, "assign wgt_ready = state == S_RUN && (!tile_last || res_inflight != %s);\n",
                  depth_cr);
    }
    free(depth_cr);
}

/* Controller, part 1: its registers, the end-of-load/tile/row-group
 * flags and the stream handshakes. */
static void emit_handshakes(const struct design_point *dp, struct vw *v,
                            struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int cb = d->col_bits, rb = d->row_bits, ab = d->buf_addr_bits, credb = credit_bits(dp);
    vw_printf(v, "// ---- controller ------------------------------------------------\n");
    vw_printf(v, "localparam [2:0] S_IDLE = 3'd0, S_LOAD = 3'd1, S_PRIME = 3'd2, "
                 "S_RUN = 3'd3, S_DRAIN = 3'd4;\n");
    vw_printf(v, "reg  [2:0] state;\n");
    vw_printf(v, "reg  [COL_BITS-1:0] job_cols;   // N of the job\n");
    vw_printf(v, "reg  [COL_BITS-1:0] load_left;  // inputs still to load\n");
    vw_printf(v, "reg  [COL_BITS-1:0] cols_left;  // inputs of this row group still to compute\n");
    vw_printf(v, "reg  [%d:0] load_addr;          // buffer word the next activation beat fills\n",
              ab - 1);
    vw_printf(v, "reg  [%d:0] tile;               // tile of the next weight beat\n", ab - 1);
    vw_printf(v, "reg  [ROW_BITS-1:0] rows_left;  // rows left, this row group included\n");
    vw_printf(v, "reg  [%d:0] res_inflight;       // results issued, not yet taken\n",
              credb - 1);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 3, 0, 1);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, cb, 0, 3);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, ab, 0, 2);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, rb, 0, 1);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, credb, 0, 1);
    char *load_last = le_const("load_left", cb, d->tile_cols);
    char *tile_last = le_const("cols_left", cb, d->tile_cols);
    char *rg_last = le_const("rows_left", rb, d->outputs);
    char *one_ab = lit(ab, 1), *zero_ab = lit(ab, 0);
    int tpb = mx_tpb(d), klast = d->mx - (tpb - 1) * d->tile_cols;
    if (tpb > 1) {
        /* Block-scaled, several tiles per block: where in its block a beat
         * is; the last tile of a block uses klast lanes (docs/protocol.md). */
        int sb = clog2((uint64_t)tpb);
        vw_printf(v, "reg  [%d:0] lsub;               // tile of the next activation beat in its block\n"
                     "reg  [%d:0] csub;               // tile of the next weight beat in its block\n",
                  sb - 1, sb - 1);
        vw_printf(v, "wire lsub_end = lsub == %d'd%d;\nwire csub_end = csub == %d'd%d;\n", sb,
                  tpb - 1, sb, tpb - 1);
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, sb, 0, 2);
        if (klast < d->tile_cols) {
            char *ll = le_const("load_left", cb, klast), *tl = le_const("cols_left", cb, klast);
            char *kl = lit(cb, klast), *tc = lit(cb, d->tile_cols);
            vw_printf(v, "wire [COL_BITS-1:0] load_take = lsub_end ? %s : %s; // inputs a beat holds\n"
                         "wire [COL_BITS-1:0] cols_take = csub_end ? %s : %s;\n", kl, tc, kl, tc);
            vw_printf(v, "// This beat ends the load, the row group's tiles, the job's row groups.\n");
            vw_printf(v, "wire load_last = lsub_end ? %s : %s;\n", ll, load_last);
            vw_printf(v, "wire tile_last = csub_end ? %s : %s;\n", tl, tile_last);
            free(ll);
            free(tl);
            free(kl);
            free(tc);
        } else {
            vw_printf(v, "// This beat ends the load, the row group's tiles, the job's row groups.\n");
            vw_printf(v, "wire load_last = %s;\n", load_last);
            vw_printf(v, "wire tile_last = %s;\n", tile_last);
        }
        vw_printf(v, "wire blk_last  = tile_last || csub_end; // the last tile of a block\n");
    } else {
        vw_printf(v, "// This beat ends the load, the row group's tiles, the job's row groups.\n");
        vw_printf(v, "wire load_last = %s;\n", load_last);
        vw_printf(v, "wire tile_last = %s;\n", tile_last);
    }
    vw_printf(v, "wire rg_last   = %s;\n", rg_last);
    vw_printf(v, "wire res_fire;\n");
    vw_printf(v, "assign cfg_ready = state == S_IDLE;\n");
    vw_printf(v, "assign act_ready = state == S_LOAD;\n");
    emit_wgt_ready(dp, v, inv);
    vw_printf(v, "assign busy      = state != S_IDLE;\n");
    vw_printf(v, "wire cfg_fire = cfg_valid && cfg_ready;\n");
    vw_printf(v, "wire act_fire = act_valid && act_ready;\n");
    vw_printf(v, "wire wgt_fire = wgt_valid && wgt_ready;\n");
    vw_printf(v, "wire [%d:0] tile_next = tile_last ? %s : tile + %s;\n", ab - 1, zero_ab, one_ab);
    vw_printf(v, "wire issue_res = wgt_fire && tile_last;\n");
    free(load_last);
    free(tile_last);
    free(rg_last);
    free(one_ab);
    free(zero_ab);
}

/* Controller, part 2: the state machine and the count of results in
 * flight (the FIFO credits). */
static void emit_fsm(const struct design_point *dp, const struct shell *sh, struct vw *v,
                     struct inventory *inv)
{
    int credb = credit_bits(dp);
    char *one_cr = lit(credb, 1), *zero_cr = lit(credb, 0);
    vw_begin(v, "always @(%s) begin\n", rst_events(dp));
    vw_begin(v, "if (%s) begin\n", rst_cond(dp));
    vw_printf(v, "state        <= S_IDLE;\n");
    vw_printf(v, "res_inflight <= %s;\n", zero_cr);
    vw_end(v, "end else begin\n");
    vw_indent(v);
    vw_begin(v, "case (state)\n");
    vw_printf(v, "S_IDLE:  if (cfg_valid) state <= S_LOAD;\n");
    vw_printf(v, "S_LOAD:  if (act_valid && load_last) state <= %s;\n",
              sh->prefetch ? "S_PRIME" : "S_RUN");
    vw_printf(v, "S_PRIME: state <= S_RUN;\n");
    vw_printf(v, "S_RUN:   if (issue_res && rg_last) state <= S_DRAIN;\n");
    vw_printf(v, "S_DRAIN: if (res_inflight == %s) state <= S_IDLE;\n", zero_cr);
    vw_printf(v, "default: state <= S_IDLE;\n");
    vw_end(v, "endcase\n");
    vw_printf(v, "if (issue_res && !res_fire)\n    res_inflight <= res_inflight + %s;\n", one_cr);
    vw_printf(v, "else if (res_fire && !issue_res)\n    res_inflight <= res_inflight - %s;\n", one_cr);
    vw_end(v, "end\n");
    vw_end(v, "end\n");
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, credb, 2, 2);
    free(one_cr);
    free(zero_cr);
}

/* Controller, part 3: the load, tile and row counters. */
static void emit_counters(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int cb = d->col_bits, rb = d->row_bits, ab = d->buf_addr_bits;
    char *one_ab = lit(ab, 1), *zero_ab = lit(ab, 0), *tc_cb = lit(cb, d->tile_cols);
    char *k_rb = lit(rb, d->outputs);
    vw_printf(v, "// Counters need no reset: a job descriptor loads them.\n");
    vw_begin(v, "always @(posedge clk) begin\n");
    vw_begin(v, "if (cfg_fire) begin\n");
    int tpb = mx_tpb(d), sb = clog2((uint64_t)tpb);
    int take = tpb > 1 && d->mx - (tpb - 1) * d->tile_cols < d->tile_cols;
    vw_printf(v, "job_cols  <= cfg_cols;\nload_left <= cfg_cols;\ncols_left <= cfg_cols;\n"
                 "rows_left <= cfg_rows;\nload_addr <= %s;\ntile      <= %s;\n", zero_ab,
              zero_ab);
    if (tpb > 1)
        vw_printf(v, "lsub      <= %d'd0;\ncsub      <= %d'd0;\n", sb, sb);
    vw_end(v, "end\n");
    vw_begin(v, "if (act_fire) begin\n");
    vw_printf(v, "load_left <= load_left - %s;\nload_addr <= load_addr + %s;\n",
              take ? "load_take" : tc_cb, one_ab);
    if (tpb > 1)
        vw_printf(v, "lsub      <= lsub_end ? %d'd0 : lsub + %d'd1;\n", sb, sb);
    vw_end(v, "end\n");
    vw_begin(v, "if (wgt_fire) begin\n");
    vw_printf(v, "tile <= tile_next;\n");
    vw_printf(v, "cols_left <= tile_last ? job_cols : cols_left - %s;\n",
              take ? "cols_take" : tc_cb);
    if (tpb > 1) {
        vw_printf(v, "csub <= blk_last ? %d'd0 : csub + %d'd1;\n", sb, sb);
        inv_add(inv, COMP_CONTROLLER, PRIM_ADD, sb, 2, 2);
    }
    vw_printf(v, "if (tile_last)\n    rows_left <= rows_left - %s;\n", k_rb);
    vw_end(v, "end\n");
    vw_end(v, "end\n\n");
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, cb, 2, 2);
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, ab, 2, 2);
    inv_add(inv, COMP_CONTROLLER, PRIM_ADD, rb, 2, 1);
    free(one_ab);
    free(zero_ab);
    free(tc_cb);
    free(k_rb);
}

/* Block-scaled: lane i of a block's last tile lies past the block's end
 * when the block takes several tiles and the last one uses fewer lanes;
 * it is stored as zero like a lane past N. The extra mask term, or "". */
static const char *block_pad_mask(const struct dp_derived *d, int i)
{
    int tpb = mx_tpb(d), klast = d->mx - (tpb - 1) * d->tile_cols;
    return tpb > 1 && i >= klast ? " && !lsub_end" : "";
}

/* batch > 1: the lane masks of every column of the beat; all columns of
 * a job have the same N, so each lane's comparison is made once. */
static void emit_act_masks_batch(const struct design_point *dp, struct vw *v,
                                 struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int tc = d->tile_cols, w = d->lane_in_bits, cb = d->col_bits;
    int live = tc < dp->max_cols ? tc : (int)dp->max_cols;
    for (int i = 0; i < live; i++)
        vw_printf(v, "wire lane_live%d = load_left > %d'd%d;\n", i, cb, i);
    inv_add(inv, COMP_CONTROLLER, PRIM_CMP, cb, 0, live);
    for (int c = 0; c < dp->batch; c++)
        for (int i = 0; i < tc; i++) {
            int o = (c * tc + i) * w;
            if (i < live)
                vw_printf(v, "assign act_masked[%d +: %d] = lane_live%d%s ? act_data[%d +: %d] : "
                             "%d'd0;\n", o, w, i, block_pad_mask(d, i),
                          o, w, w);
            else
                vw_printf(v, "assign act_masked[%d +: %d] = %d'd0; // lane >= max_cols\n", o,
                          w, w);
        }
    inv_add(inv, COMP_ACT_BUFFER, PRIM_SEL, w, 2, (long)live * dp->batch);
    if (tc > live) {
        /* Lanes beyond max_cols never carry data; tell lint that is on purpose. */
        vw_printf(v, "/* verilator lint_off UNUSEDSIGNAL */\n");
        vw_printf(v, "wire unused_act_lanes = ^{");
        for (int c = (int)dp->batch - 1; c >= 0; c--)
            vw_printf(v, "act_data[%d:%d]%s", (c * tc + tc) * w - 1, (c * tc + live) * w,
                      c ? ", " : "");
        vw_printf(v, "};\n/* verilator lint_on UNUSEDSIGNAL */\n");
    }
}

/* Activation buffer: one word per tile, written as the vector streams in
 * (lanes at or beyond N stored as zero), read once per weight beat. */
static void emit_act_buffer(const struct design_point *dp, const struct shell *sh,
                            struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int tc = d->tile_cols, w = d->lane_in_bits, cb = d->col_bits, ab = d->buf_addr_bits;
    vw_printf(v, "// ---- activation buffer: lanes at or beyond N are stored as zero ----\n");
    vw_printf(v, "wire [ACT_BITS-1:0] act_masked;\n");
    if (dp->batch > 1) {
        emit_act_masks_batch(dp, v, inv);
        tc = 0; /* done */
    }
    for (int i = 0; i < tc; i++) {
        if (i < dp->max_cols) {
            /* block-scaled: lanes past the end of a block are padding too */
            vw_printf(v, "assign act_masked[%d +: %d] = load_left > %d'd%d%s ? act_data[%d +: %d] "
                         ": %d'd0;\n", i * w, w, cb, i,
                      block_pad_mask(d, i), i * w, w, w);
            inv_add(inv, COMP_ACT_BUFFER, PRIM_SEL, w, 2, 1);
            inv_add(inv, COMP_CONTROLLER, PRIM_CMP, cb, 0, 1);
        } else {
            vw_printf(v, "assign act_masked[%d +: %d] = %d'd0; // lane >= max_cols\n",
                      i * w, w, w);
        }
    }
    if (dp->batch == 1 && tc > dp->max_cols) {
        /* Lanes beyond max_cols never carry data; tell lint that is on purpose. */
        vw_printf(v, "/* verilator lint_off UNUSEDSIGNAL */\n");
        vw_printf(v, "wire unused_act_lanes = ^act_data[%d:%d];\n", tc * w - 1,
                  (int)dp->max_cols * w);
        vw_printf(v, "/* verilator lint_on UNUSEDSIGNAL */\n");
    }
    if (d->mx) { /* the block's scale of each column, above every column's lanes */
        int lanes = d->tile_cols * w * (int)dp->batch, sw = d->scale_bits * (int)dp->batch;
        vw_printf(v, "assign act_masked[%d +: %d] = act_data[%d +: %d]; // the block's scale%s\n",
                  lanes, sw, lanes, sw, dp->batch > 1 ? "s" : "");
    }
    /* batch > 1: every column's datapath takes its ram_q from ram_qb. */
    const char *ram_q = dp->batch > 1 ? "ram_qb" : "ram_q";
    vw_printf(v, "wire [ACT_BITS-1:0] %s;  // the tile of the weight beat in stage 1\n", ram_q);
    if (sh->prefetch) {
        vw_printf(v, "// The read runs one weight beat ahead: ram_q holds the tile of the\n"
                     "// next beat, whose LUT is registered when that beat is taken.\n");
        vw_printf(v, "wire ram_re = state == S_PRIME || wgt_fire;\n");
        vw_printf(v, "wire [%d:0] ram_ra = state == S_PRIME ? tile : tile_next;\n", ab - 1);
    } else {
        vw_printf(v, "wire ram_re = wgt_fire;\n");
        vw_printf(v, "wire [%d:0] ram_ra = tile;\n", ab - 1);
    }
    if (d->act_sram) {
        /* A macro (mem_style=sram): the read above already takes its cycle. */
        vw_begin(v, "tf_sram_1r1w #(.DEPTH(BUF_DEPTH), .WIDTH(ACT_BITS)) u_act_buf (\n");
        inv_add(inv, COMP_ACT_BUFFER, PRIM_SRAM, d->act_bits, d->buf_depth, 1);
    } else {
        vw_begin(v, "tf_ram #(.WIDTH(ACT_BITS), .DEPTH(BUF_DEPTH), .ADDR_BITS(%d)) u_act_buf (\n",
                 ab);
        inv_add(inv, COMP_ACT_BUFFER, PRIM_RAM, d->act_bits, d->buf_depth, 1);
    }
    vw_printf(v, ".clk(clk), .we(act_fire), .waddr(load_addr), .wdata(act_masked),\n"
                 ".re(ram_re), .raddr(ram_ra), .rdata(%s)\n", ram_q);
    vw_end(v, ");\n\n");
}

/* weight_store=dense: every byte of the weight beat through tf_tern5 into
 * five base-3 digits (wgt_d: digit w+1 of weight i at [2i +: 2]), then
 * the kind's from_digits makes its beat (wgt_native) for the register. */
static void emit_dense_unpack(const struct design_point *dp, const struct shell *sh,
                              struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int bytes = d->wgt_bits / 8, n = d->wgt_digits;
    if (!sh->from_digits)
        BUG("weight_store=dense without the kind's from_digits");
    vw_printf(v, "// ---- dense weights: %d bytes of 5 base-3 digits (docs/weights.md) ----\n",
              bytes);
    vw_printf(v, "wire [%d:0] wgt_dall;\n", bytes * 10 - 1);
    vw_printf(v, "genvar gy;\n");
    vw_begin(v, "generate for (gy = 0; gy < WGT_BITS/8; gy = gy + 1) begin : g_unpack\n");
    vw_printf(v, "tf_tern5 u_tern5 (.b(wgt_data[gy*8 +: 8]), .d(wgt_dall[gy*10 +: 10]));\n");
    vw_end(v, "end endgenerate\n");
    static const int rw[4] = { 8, 7, 5, 4 }; /* rtl-templates/tf_tern5.v */
    for (int i = 0; i < 4; i++) {
        inv_add(inv, COMP_KEY_SELECT, PRIM_CMP, rw[i], 0, 2L * bytes);
        inv_add(inv, COMP_KEY_SELECT, PRIM_MUX, rw[i], 3, bytes);
        inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, rw[i], 2, bytes);
    }
    vw_printf(v, "wire [%d:0] wgt_d = wgt_dall[%d:0];\n", 2 * n - 1, 2 * n - 1);
    if (bytes * 5 > n)
        vw_printf(v, "/* verilator lint_off UNUSEDSIGNAL */\n"
                     "wire unused_pad_digits = ^wgt_dall[%d:%d];  // padding weights of the "
                     "last byte\n/* verilator lint_on UNUSEDSIGNAL */\n", bytes * 10 - 1, 2 * n);
    sh->from_digits(dp, v, inv);
    vw_printf(v, "\n");
}

/* Stage 1: the weight beat register, and the control pipeline that
 * carries valid, first/last tile and last row group along the datapath
 * (the first-tile flag only as far as the accumulator adder starts). */
static void emit_control_pipeline(const struct design_point *dp, struct vw *v,
                                  struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int stages = d->stages;
    vw_printf(v, "// ---- stage 1: the weight beat -----------------------------------\n");
    if (dp->weight_store == WS_DENSE) {
        vw_printf(v, "reg  [%d:0] kq;  // the weight beat, unpacked\n", d->kq_bits - 1);
        vw_printf(v, "always @(posedge clk)\n    if (wgt_fire) kq <= wgt_native;\n");
    } else {
        vw_printf(v, "reg  [WGT_BITS-1:0] kq;  // the weight beat\n");
        vw_printf(v, "always @(posedge clk)\n    if (wgt_fire) kq <= wgt_data;\n");
    }
    inv_add(inv, COMP_PIPELINE, PRIM_REG, d->kq_bits, 0, 1);
    vw_printf(v, "// Control travelling with the data: valid, first and last tile of a\n"
                 "// row group, last row group of the job.\n");
    for (int s = 1; s <= stages; s++) {
        if (s <= d->tree_end)
            vw_printf(v, "reg c%d_v, c%d_f, c%d_l, c%d_j;\n", s, s, s, s);
        else
            vw_printf(v, "reg c%d_v, c%d_l, c%d_j;\n", s, s, s);
    }
    /* block-scaled: first tile of a block (to the block accumulator), last
     * tile of a block (to the FP accumulator's enable) */
    int mx = d->mx != 0, mxe = d->tree_end - (mx ? (int)dp->fp_latency : 0);
    if (mx) {
        vw_printf(v, "// Block-scaled: first and last tile of a block.\n");
        for (int s = 1; s <= stages; s++)
            vw_printf(v, s <= mxe ? "reg c%d_bf, c%d_b;\n" : "reg c%d_b;\n", s, s);
    }
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 4, 0, d->tree_end);
    inv_add(inv, COMP_CONTROLLER, PRIM_REG, 3, 0, stages - d->tree_end);
    if (mx) {
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, 2, 0, mxe);
        inv_add(inv, COMP_CONTROLLER, PRIM_REG, 1, 0, stages - mxe);
    }
    char *zero_ab = lit(d->buf_addr_bits, 0);
    /* The valids are reset, the flags they qualify are not: two blocks,
     * so that an asynchronous reset reaches only the valids. */
    vw_begin(v, "always @(%s) begin\n", rst_events(dp));
    vw_begin(v, "if (%s) begin\n", rst_cond(dp));
    for (int s = 1; s <= stages; s++)
        vw_printf(v, "c%d_v <= 1'b0;\n", s);
    vw_end(v, "end else begin\n");
    vw_indent(v);
    vw_printf(v, "c1_v <= wgt_fire;\n");
    for (int s = 2; s <= stages; s++)
        vw_printf(v, "c%d_v <= c%d_v;\n", s, s - 1);
    vw_end(v, "end\n");
    vw_end(v, "end\n");
    vw_begin(v, "always @(posedge clk) begin\n");
    vw_begin(v, "if (wgt_fire) begin\n");
    if (!mx) {
        vw_printf(v, "c1_f <= tile == %s;\n", zero_ab);
    } else {
        /* the accumulator restarts at the row group's first block */
        int tpb = mx_tpb(d);
        char *t = lit(d->buf_addr_bits, tpb);
        if (mx_one_block(d))
            vw_printf(v, "c1_f <= 1'b1; // every tile is in the first block\n");
        else
            vw_printf(v, tpb > 1 ? "c1_f <= tile < %s;\n" : "c1_f <= tile == %s;\n",
                      tpb > 1 ? t : zero_ab);
        vw_printf(v, "c1_bf <= %s;\nc1_b <= %s;\n", tpb > 1 ? "csub == 0" : "1'b1",
                  tpb > 1 ? "blk_last" : "1'b1");
        free(t);
    }
    vw_printf(v, "c1_l <= tile_last;\nc1_j <= tile_last && rg_last;\n");
    vw_end(v, "end\n");
    for (int s = 2; s <= stages; s++) {
        if (s <= d->tree_end)
            vw_printf(v, "if (c%d_v) begin c%d_f <= c%d_f; c%d_l <= c%d_l; c%d_j <= c%d_j; end\n",
                      s - 1, s, s - 1, s, s - 1, s, s - 1);
        else
            vw_printf(v, "if (c%d_v) begin c%d_l <= c%d_l; c%d_j <= c%d_j; end\n",
                      s - 1, s, s - 1, s, s - 1);
        if (mx && s <= mxe)
            vw_printf(v, "if (c%d_v) begin c%d_bf <= c%d_bf; c%d_b <= c%d_b; end\n", s - 1, s,
                      s - 1, s, s - 1);
        else if (mx)
            vw_printf(v, "if (c%d_v) c%d_b <= c%d_b;\n", s - 1, s, s - 1);
    }
    vw_end(v, "end\n");
    vw_printf(v, "\n");
    free(zero_ab);
}

/* The wires the accumulators add: the datapath's root<k>, or with batch >
 * 1 broot<c*K + k> (a column's root<k> lives in its generate block). */
static const char *root_prefix(const struct design_point *dp)
{
    return dp->batch > 1 ? "broot" : "root";
}

/* batch > 1: the kind's datapath once per column in a generate block
 * (ram_q: the column's slice of ram_qb; kq and the control shared), its
 * roots gathered into broot<c*K + k>. The text is written once and
 * instantiated batch times, so its inventory counts batch times. */
static void emit_datapath_batch(const struct design_point *dp, const struct shell *sh,
                                struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    /* a root is the tree's sum, or block-scaled the converted FP sum */
    int K = d->outputs, tb = d->mx ? d->acc_bits : d->tree_bits;
    int a1 = d->act_bits / (int)dp->batch;
    vw_printf(v, "// ---- batch: the datapath of each of the %ld columns, on one weight beat ----\n",
              dp->batch);
    vw_printf(v, "wire [%d:0] roots_b;  // column c's root k at [(c*%d + k)*%d +: %d]\n",
              d->acc_lanes * tb - 1, K, tb, tb);
    vw_printf(v, "genvar gb;\n");
    vw_begin(v, "generate for (gb = 0; gb < %ld; gb = gb + 1) begin : g_col\n", dp->batch);
    if (d->mx) { /* the column's lanes under its block scale, as with batch 1 */
        int lw = d->tile_cols * d->lane_in_bits, sb = d->scale_bits;
        vw_printf(v, "wire [%d:0] ram_q = {ram_qb[%d + gb*%d +: %d], ram_qb[gb*%d +: %d]};\n",
                  a1 - 1, lw * (int)dp->batch, sb, sb, lw, lw);
    } else {
        vw_printf(v, "wire [%d:0] ram_q = ram_qb[gb*%d +: %d];\n", a1 - 1, a1, a1);
    }
    struct inventory one;
    inv_init(&one);
    v->in_generate = 1;
    sh->datapath(dp, v, &one);
    v->in_generate = 0;
    for (int i = 0; i < one.n; i++) {
        const struct inv_item *it = &one.items[i];
        inv_add(inv, it->comp, it->prim, it->width, it->inputs, it->count * dp->batch);
    }
    inv_free(&one);
    for (int k = 0; k < K; k++)
        vw_printf(v, "assign roots_b[(gb*%d + %d)*%d +: %d] = root%d;\n", K, k, tb, tb, k);
    vw_end(v, "end endgenerate\n");
    for (int j = 0; j < d->acc_lanes; j++)
        vw_printf(v, "wire [%d:0] broot%d = roots_b[%d +: %d];\n", tb - 1, j, j * tb, tb);
}

/* Accumulators, FP: IEEE sums through tf_fpadd, restarting at +0. */
static void emit_acc_fp(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int K = d->acc_lanes, acc = d->acc_bits;
    const char *root = root_prefix(dp);
    vw_printf(v, "\n// ---- accumulators: IEEE sums starting at +0, %d cycles each ----\n",
              d->acc_lat);
    for (int k = 0; k < K; k++) {
        vw_printf(v, "reg  [%d:0] acc%d;\n", acc - 1, k);
        vw_printf(v, "wire [%d:0] sum%d;\n", acc - 1, k);
        vw_printf(v, "tf_fpadd #(.EXP(%d), .MAN(%d), .LATENCY(%d)) u_acc%d (.clk(clk), "
                     ".a(c%d_f ? %d'h0 : acc%d), .b(%s%d), .y(sum%d));\n", d->acc_exp,
                  d->acc_man, d->acc_lat, k, d->tree_end, acc, k, root, k, k);
        /* block-scaled: a block's value enters once, at its last tile */
        if (d->mx)
            vw_printf(v, "always @(posedge clk) if (c%d_v && c%d_b) acc%d <= sum%d;\n",
                      d->stages, d->stages, k, k);
        else
            vw_printf(v, "always @(posedge clk) if (c%d_v) acc%d <= sum%d;\n", d->stages, k, k);
    }
    inv_add(inv, COMP_ACCUMULATOR, PRIM_FPADD, acc, fp_acc_inputs(d), K);
}

/* Accumulators, integer: exact sums modulo 2^acc_bits. */
static void emit_acc_wrap(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int K = d->acc_lanes, acc = d->acc_bits, last = d->stages;
    const char *root = root_prefix(dp), *wsuf = "";
    vw_printf(v, "\n// ---- accumulators: exact sum modulo 2^%d ----\n", acc);
    if (acc < d->tree_bits) {
        /* The high tree bits drop out (wrap); say so to lint. */
        vw_printf(v, "// acc_width < tree width: the high tree bits drop out (wrap).\n"
                     "/* verilator lint_off UNUSEDSIGNAL */\n");
        for (int k = 0; k < K; k++)
            vw_printf(v, "wire [%d:0] %s%d_w = %s%d;\n", d->tree_bits - 1, root, k, root, k);
        vw_printf(v, "/* verilator lint_on UNUSEDSIGNAL */\n");
        wsuf = "_w";
    }
    for (int k = 0; k < K; k++) {
        char rn[32];
        snprintf(rn, sizeof rn, "%s%d%s", root, k, wsuf);
        char *rx = vw_sext(rn, d->tree_bits, acc);
        vw_printf(v, "reg  [%d:0] acc%d;\n", acc - 1, k);
        vw_printf(v, "wire [%d:0] sum%d = (c%d_f ? %d'd0 : acc%d) + %s;\n", acc - 1, k,
                  last, acc, k, rx);
        vw_printf(v, "always @(posedge clk) if (c%d_v) acc%d <= sum%d;\n", last, k, k);
        free(rx);
    }
    inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, acc, 2, K);
}

/* Accumulators, fixed point with acc_overflow=sat: each addition is
 * computed one bit wider and clamped. */
static void emit_acc_sat(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int K = d->acc_lanes, acc = d->acc_bits, last = d->stages;
    int sw = (acc > d->tree_bits ? acc : d->tree_bits) + 1;
    vw_printf(v, "\n// ---- accumulators: each addition saturates to %d bits ----\n", acc);
    for (int k = 0; k < K; k++) {
        char an[32], rn[32];
        snprintf(an, sizeof an, "acc%d_in", k);
        snprintf(rn, sizeof rn, "%s%d", root_prefix(dp), k);
        char *ax = vw_sext(an, acc, sw), *rx = vw_sext(rn, d->tree_bits, sw);
        vw_printf(v, "reg  [%d:0] acc%d;\n", acc - 1, k);
        vw_printf(v, "wire [%d:0] acc%d_in = c%d_f ? %d'd0 : acc%d;\n", acc - 1, k, last,
                  acc, k);
        vw_printf(v, "wire [%d:0] sx%d = %s + %s;\n", sw - 1, k, ax, rx);
        vw_printf(v, "wire fit%d = &sx%d[%d:%d] | ~|sx%d[%d:%d];\n", k, k, sw - 1, acc - 1,
                  k, sw - 1, acc - 1);
        vw_printf(v, "wire [%d:0] sum%d = fit%d ? sx%d[%d:0] : sx%d[%d] ? "
                     "{1'b1, %d'd0} : {1'b0, {%d{1'b1}}};\n", acc - 1, k, k, k, acc - 1,
                  k, sw - 1, acc - 1, acc - 1);
        vw_printf(v, "always @(posedge clk) if (c%d_v) acc%d <= sum%d;\n", last, k, k);
        free(ax);
        free(rx);
    }
    inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, sw, 2, K);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_MUX, acc, 3, K);
}

/* Accumulators: sum<k> = (first tile ? 0 : acc<k>) + root<k>. */
static void emit_accumulators(const struct design_point *dp, struct vw *v,
                              struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    if (d->fp)
        emit_acc_fp(dp, v, inv);
    else if (!d->acc_sat)
        emit_acc_wrap(dp, v, inv);
    else
        emit_acc_sat(dp, v, inv);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_SEL, d->acc_bits, 2, d->acc_lanes);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, d->acc_bits, 0, d->acc_lanes);
}

/* Result FIFO: one beat {last, lane[K-1], ..., lane[0]} per row group. */
static void emit_result_fifo(const struct design_point *dp, const char *lane, struct vw *v,
                             struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int depth = (int)dp->out_depth, ptrb = clog2((uint64_t)depth), last = d->stages;
    vw_printf(v, "\n// ---- result FIFO: {last, lane[K-1], ..., lane[0]} ----\n");
    vw_printf(v, "wire [RES_BITS:0] fifo_q;\n");
    vw_printf(v, "wire [RES_BITS:0] fifo_d = {c%d_j", last);
    for (int k = d->acc_lanes - 1; k >= 0; k--)
        vw_printf(v, ", %s%d", lane, k);
    vw_printf(v, "};\n");
    const char *rst = dp->interface == IF_AXIS ? "!aresetn"
                      : dp->reset == RST_SYNC ? "rst" : "!rst_n";
    vw_begin(v, "%s #(.WIDTH(RES_BITS + 1), .DEPTH(OUT_DEPTH), .PTR_BITS(%d)%s) "
                "u_res_fifo (\n", d->fifo_sram ? "tf_sram_fifo" : "tf_fifo", ptrb,
             dp->reset == RST_ASYNC_N ? ", .ASYNC(1)" : "");
    vw_printf(v, ".clk(clk), .rst(%s), .push(c%d_v && c%d_l), .din(fifo_d),\n", rst, last,
              last);
    vw_printf(v, ".pop(res_fire), .dout(fifo_q), .valid(res_valid)\n");
    vw_end(v, ");\n");
    if (d->fifo_sram) {
        /* the macro; the output register q and its source mux; pointers,
         * count, and the valid bits of rdata and q */
        inv_add(inv, COMP_OUT_FIFO, PRIM_SRAM, d->res_bits + 1, depth, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, d->res_bits + 1, 0, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_MUX, d->res_bits + 1, 2, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, 3 * ptrb + 3, 0, 1);
    } else {
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, d->res_bits + 1, 0, depth);
        if (depth > 1)
            inv_add(inv, COMP_OUT_FIFO, PRIM_MUX, d->res_bits + 1, depth, 1);
        inv_add(inv, COMP_OUT_FIFO, PRIM_REG, 3 * ptrb + 1, 0, 1);
    }
    vw_printf(v, "assign res_fire = res_valid && res_ready;\n");
    vw_printf(v, "assign res_data = fifo_q[RES_BITS-1:0];\n");
    vw_printf(v, "assign res_last = fifo_q[RES_BITS];\n");
}

char *emit_shell(const struct design_point *dp, const struct shell *sh,
                 struct inventory *inv)
{
    struct vw v;
    vw_init(&v);
    emit_ports(dp, sh, &v);
    vw_indent(&v);
    emit_sizes(dp, &v);
    if (dp->interface == IF_AXIS)
        emit_axis_map(dp, &v);
    emit_handshakes(dp, &v, inv);
    emit_fsm(dp, sh, &v, inv);
    emit_counters(dp, &v, inv);
    emit_act_buffer(dp, sh, &v, inv);
    if (dp->weight_store == WS_DENSE)
        emit_dense_unpack(dp, sh, &v, inv);
    emit_control_pipeline(dp, &v, inv);
    if (dp->batch > 1)
        emit_datapath_batch(dp, sh, &v, inv);
    else
        sh->datapath(dp, &v, inv);
    emit_accumulators(dp, &v, inv);
    const char *lane = "sum";
    if (sh->convert) {
        sh->convert(dp, &v, inv);
        lane = "lane";
    }
    emit_result_fifo(dp, lane, &v, inv);
    vw_outdent(&v);
    vw_printf(&v, "endmodule\n`default_nettype wire\n");
    return vw_detach(&v);
}

void shell_files(const struct design_point *dp, const struct shell *sh,
                 struct gen_files *out, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    gf_add(out, "tf_top.v", emit_shell(dp, sh, inv));
    if (d->act_sram || d->fifo_sram)
        gf_add_template(out, dp, "tf_sram_1r1w.v");
    if (!d->act_sram)
        gf_add_template(out, dp, "tf_ram.v");
    gf_add_template(out, dp, d->fifo_sram ? "tf_sram_fifo.v" : "tf_fifo.v");
    if (dp->weight_store == WS_DENSE)
        gf_add_template(out, dp, "tf_tern5.v");
}
