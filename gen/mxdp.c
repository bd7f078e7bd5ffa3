/* mxdp.c - block-scaled (OCP MX, NVFP4) datapath pieces tlut and tsign share: element decode, the scale path, the per-output integer block accumulator and the block converter in front of the shell's FP accumulator.
 *
 * Inside a block every element shares the scale, so the tables and trees
 * work on the elements' exact integers (tf_mxdec) and a block's sum is an
 * exact integer; at the block's last tile it is scaled and rounded once
 * into acc_type (tf_mxconv) and the shell's FP accumulator adds it (its
 * enable is the block-last control bit). Special elements (NaN, +-Inf of
 * E4M3/E5M2) travel as flags beside the integers and are OR-ed as the
 * integers are summed. docs/block-scaled.md is the arithmetic contract,
 * docs/protocol.md the stream layout. */
#include <stdlib.h>

#include "fpdp.h"
#include "mx.h"
#include "mxdp.h"
#include "shell.h"

void mx_decode(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int tc = d->tile_cols, iw = d->elem_bits, lw = d->lane_in_bits;
    vw_printf(v, "// ---- block-scaled elements as exact integers (value * 2^%d) ----\n",
              d->elem_point);
    vw_printf(v, "wire [%d:0] ai;  // lane i at [i*%d +: %d]\n", tc * iw - 1, iw, iw);
    if (d->prefetch) { /* ram_q runs a beat ahead; the tables register with the beat */
        vw_printf(v, "reg  [%d:0] sc1; // the block's scale code\n"
                     "always @(posedge clk) if (wgt_fire) sc1 <= ram_q[%d +: %d];\n",
                  d->scale_bits - 1, tc * lw, d->scale_bits);
        inv_add(inv, COMP_PIPELINE, PRIM_REG, d->scale_bits, 0, 1);
    } else {
        vw_printf(v, "wire [%d:0] sc1 = ram_q[%d +: %d]; // the block's scale code\n",
                  d->scale_bits - 1, tc * lw, d->scale_bits);
    }
    const struct sf_info *fi = mx_elem_fi((enum mx_elem)d->mx_elem);
    if (!fi) { /* MXINT8: the code is the integer */
        vw_printf(v, "assign ai = ram_q[%d:0];\n", tc * lw - 1);
        return;
    }
    int special = d->mx_flags == 3 ? 2 : d->mx_flags == 1 ? 1 : 0;
    vw_printf(v, "wire [%d:0] fl_n, fl_p, fl_m; // per lane: NaN, +Inf, -Inf\n", tc - 1);
    if (d->mx_flags < 3) /* the flags this element format cannot raise */
        vw_printf(v, "/* verilator lint_off UNUSEDSIGNAL */\n"
                     "wire unused_flags = ^{%sfl_p, fl_m}; // no such codes in this format\n"
                     "/* verilator lint_on UNUSEDSIGNAL */\n", d->mx_flags ? "" : "fl_n, ");
    vw_printf(v, "genvar gd;\n");
    vw_begin(v, "generate for (gd = 0; gd < %d; gd = gd + 1) begin : g_dec\n", tc);
    vw_printf(v, "tf_mxdec #(.EXP(%d), .MAN(%d), .SPECIAL(%d), .IW(%d)) u_dec (\n"
                 "    .a(ram_q[gd*%d +: %d]), .v(ai[gd*%d +: %d]),\n"
                 "    .nan_o(fl_n[gd]), .pinf_o(fl_p[gd]), .ninf_o(fl_m[gd]));\n",
              fi->exp_bits, fi->man_bits, special, iw, lw, lw, iw, iw);
    vw_end(v, "end endgenerate\n");
    inv_add(inv, COMP_DECODE, PRIM_MXDEC, iw, MXDEC_INPUTS(fi->exp_bits, fi->man_bits), tc);
}

void mx_flags_or(const struct design_point *dp, struct vw *v, int n, const char *body)
{
    int K = dp->d.outputs;
    vw_printf(v, "// per output: the flags of its %d terms, OR-ed ({-Inf, +Inf, NaN})\n", n);
    vw_printf(v, "reg  [%d:0] tf;\ninteger ik, i;\n", K * dp->d.mx_flags - 1);
    vw_begin(v, "always @* begin\n");
    vw_printf(v, "tf = %d'd0;\n", K * dp->d.mx_flags);
    vw_begin(v, "for (ik = 0; ik < %d; ik = ik + 1)\n", K);
    vw_begin(v, "for (i = 0; i < %d; i = i + 1) begin\n", n);
    vw_printf(v, "%s", body);
    vw_end(v, "end\n");
    vw_outdent(v);
    vw_end(v, "end\n");
}

void mx_blocks(const struct design_point *dp, struct vw *v, struct inventory *inv,
               int fstage)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs, nf = d->mx_flags, bb = d->blk_bits, lat = (int)dp->fp_latency;
    int ie = d->tree_end - lat, rb = d->term_bits + d->tree_levels;
    char scn[48], tfn[48];
    vw_printf(v, "// ---- per output: the block's exact integer sum, then one rounding into\n"
                 "// the sum format at its last tile (tf_mxconv, %d cycles) ----\n", lat);
    /* the scale and the flags wait beside the tables and trees */
    fp_delay_chain(v, inv, 1, "sc1", d->scale_bits, 0, ie - 1);
    fp_dname(scn, sizeof scn, "sc1", ie - 1);
    if (nf) {
        fp_delay_chain(v, inv, 1, "tf", K * nf, 0, ie - fstage);
        fp_dname(tfn, sizeof tfn, "tf", ie - fstage);
    }
    if (rb > bb) { /* the tile's sum fits the block's width: drop the tree's spare bits */
        vw_printf(v, "// A tile's exact sum fits the block sum's %d bits.\n"
                     "/* verilator lint_off UNUSEDSIGNAL */\n", bb);
        for (int k = 0; k < K; k++)
            vw_printf(v, "wire [%d:0] iroot%d_w = iroot%d;\n", rb - 1, k, k);
        vw_printf(v, "/* verilator lint_on UNUSEDSIGNAL */\n");
    }
    int ue4m3 = d->mx_scale == MXS_UE4M3;
    for (int k = 0; k < K; k++) {
        char rn[32];
        snprintf(rn, sizeof rn, rb > bb ? "iroot%d_w" : "iroot%d", k);
        char *rx = vw_sext(rn, rb, bb);
        vw_printf(v, "reg  [%d:0] bacc%d;\n", bb - 1, k);
        vw_printf(v, "wire [%d:0] bsum%d = (c%d_bf ? %d'd0 : bacc%d) + %s;\n", bb - 1, k, ie, bb,
                  k, rx);
        free(rx);
        vw_printf(v, "always @(posedge clk) if (c%d_v) bacc%d <= bsum%d;\n", ie, k, k);
        char fn[3][48] = { "1'b0", "1'b0", "1'b0" };
        if (nf) {
            vw_printf(v, "reg  [%d:0] bfq%d;\n", nf - 1, k);
            vw_printf(v, "wire [%d:0] bfl%d = (c%d_bf ? %d'd0 : bfq%d) | %s[%d +: %d];\n", nf - 1,
                      k, ie, nf, k, tfn, k * nf, nf);
            vw_printf(v, "always @(posedge clk) if (c%d_v) bfq%d <= bfl%d;\n", ie, k, k);
            for (int f = 0; f < nf; f++)
                snprintf(fn[f], sizeof fn[f], "bfl%d[%d]", k, f);
        }
        vw_printf(v, "wire [%d:0] root%d;\n", d->acc_bits - 1, k);
        vw_printf(v, "tf_mxconv #(.SW(%d), .POINT(%d), .SCALE(%d), .EXP(%d), .MAN(%d), "
                     ".LATENCY(%d)) u_cv%d (\n    .clk(clk), .s(bsum%d), .sc(%s), .nan_i(%s), "
                     ".pinf_i(%s), .ninf_i(%s), .y(root%d));\n", bb, d->elem_point, ue4m3,
                  d->acc_exp, d->acc_man, lat, k, k, scn, fn[0], fn[1], fn[2], k);
    }
    inv_add(inv, COMP_ACCUMULATOR, PRIM_ADD, bb, 2, K);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_SEL, bb, 2, K);
    inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, bb, 0, K);
    if (nf)
        inv_add(inv, COMP_ACCUMULATOR, PRIM_REG, nf, 0, K);
    inv_add(inv, COMP_CONVERT, PRIM_MXCONV, d->acc_bits, MXCONV_INPUTS(bb, d->acc_man, ue4m3),
            K);
    if (lat)
        inv_add(inv, COMP_CONVERT, PRIM_REG, d->acc_bits, 0, (long)K * lat);
}

void mx_templates(const struct design_point *dp, struct gen_files *out)
{
    if (!dp->d.mx)
        return;
    if (mx_elem_fi((enum mx_elem)dp->d.mx_elem))
        gf_add_template(out, dp, "tf_mxdec.v");
    gf_add_template(out, dp, "tf_mxconv.v");
}
