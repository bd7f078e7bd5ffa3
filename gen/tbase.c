/* tbase.c - Verilog emitters of the ternary baselines "tsign" (sign-flip:
 * each weight selects +a, -a or 0) and "tmul" (a real act_width x
 * act_width multiplier per weight). Both hang off the shared shell
 * (gen/shell.c), so their ports and protocol are those of the LUT core. */
#include <stdlib.h>
#include <string.h>

#include "fpdp.h"
#include "kinds.h"
#include "mxdp.h"
#include "shell.h"
#include "vw.h"

/* Sign-flip terms of tb bits from the w-bit lanes of src, then the trees. */
static void sign_flip(const struct design_point *dp, struct vw *v, struct inventory *inv,
                      const char *src, int w, int tb)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs;
    vw_printf(v, "// ---- sign-flip: weight {neg, nz} selects +a, -a or 0 -------------\n");
    vw_printf(v, "wire [%d:0] term_v;  // term (k, p) at [(k*%d + p)*%d +: %d]\n",
              K * P * tb - 1, P, tb, tb);
    vw_printf(v, "genvar gk, gp;\n");
    vw_begin(v, "generate for (gk = 0; gk < %d; gk = gk + 1) begin : g_out\n", K);
    vw_begin(v, "for (gp = 0; gp < %d; gp = gp + 1) begin : g_in\n", P);
    vw_printf(v, "wire [%d:0] a  = %s[gp*%d +: %d];\n", w - 1, src, w, w);
    vw_printf(v, "wire [1:0] wt = kq[(gk*%d + gp)*2 +: 2];\n", P);
    if (tb == w + 1) {
        vw_printf(v, "wire [%d:0] ax = {a[%d], a};\n", tb - 1, w - 1);
    } else {
        char *ax = vw_sext("a", w, tb);
        vw_printf(v, "wire [%d:0] ax = %s;\n", tb - 1, ax);
        free(ax);
    }
    vw_printf(v, "assign term_v[(gk*%d + gp)*%d +: %d] = !wt[0] ? %d'd0 : wt[1] ? -ax : ax;\n",
              P, tb, tb, tb);
    vw_end(v, "end\n");
    vw_end(v, "end endgenerate\n\n");
    inv_add(inv, COMP_SIGN, PRIM_NEG, tb, NEG_MERGED, (long)K * P);
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, tb, 2, (long)K * P);
    emit_trees(dp, v, inv, "term_v", P, tb, 1);
}

static void tsign_datapath(const struct design_point *dp, struct vw *v,
                           struct inventory *inv)
{
    sign_flip(dp, v, inv, "ram_q", (int)dp->act_width, (int)dp->act_width + 1);
}

static void tmul_datapath(const struct design_point *dp, struct vw *v,
                          struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int w = (int)dp->act_width, P = d->tile_cols, K = d->outputs, tb = 2 * w;
    vw_printf(v, "// ---- full-width multiply: signed %d x %d -> %d bits ---------------\n",
              w, w, tb);
    vw_printf(v, "wire [%d:0] term_v;  // product (k, p) at [(k*%d + p)*%d +: %d]\n",
              K * P * tb - 1, P, tb, tb);
    vw_printf(v, "genvar gk, gp;\n");
    vw_begin(v, "generate for (gk = 0; gk < %d; gk = gk + 1) begin : g_out\n", K);
    vw_begin(v, "for (gp = 0; gp < %d; gp = gp + 1) begin : g_in\n", P);
    vw_printf(v, "wire signed [%d:0] a  = ram_q[gp*%d +: %d];\n", w - 1, w, w);
    vw_printf(v, "wire signed [%d:0] wt = kq[(gk*%d + gp)*%d +: %d];\n", w - 1, P, w, w);
    vw_printf(v, "wire signed [%d:0] pr = a * wt;\n", tb - 1);
    vw_printf(v, "assign term_v[(gk*%d + gp)*%d +: %d] = pr;\n", P, tb, tb);
    vw_end(v, "end\n");
    vw_end(v, "end endgenerate\n\n");
    inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, w, w, (long)K * P);
    emit_trees(dp, v, inv, "term_v", P, tb, 1);
}

/* FP: widen the activations into term_v's lanes' format; tsign flips the
 * sign bit or gates to +0; tmul multiplies by the FP weight (widened) in
 * the sum format; then the FP trees. */
static void fp_base_begin(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs, w = d->acc_bits;
    fp_widen(dp, v, inv, "ram_q", P, "aw");
    vw_printf(v, "wire [%d:0] term_v;\n", K * P * w - 1);
    vw_printf(v, "genvar gk, gp;\n");
}

static void fp_base_end(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    if (fp_trees(dp, v, inv, "term_v", d->tile_cols, 1 + d->term_depth) != d->tree_end)
        BUG("FP tree ends at the wrong stage");
}

static void tsign_fp_datapath(const struct design_point *dp, struct vw *v,
                              struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs, w = d->acc_bits;
    fp_base_begin(dp, v, inv);
    vw_begin(v, "generate for (gk = 0; gk < %d; gk = gk + 1) begin : g_out\n", K);
    vw_begin(v, "for (gp = 0; gp < %d; gp = gp + 1) begin : g_in\n", P);
    vw_printf(v, "wire [%d:0] a  = aw[gp*%d +: %d];\n", w - 1, w, w);
    vw_printf(v, "wire [1:0] wt = kq[(gk*%d + gp)*2 +: 2];\n", P);
    vw_printf(v, "assign term_v[(gk*%d + gp)*%d +: %d] = !wt[0] ? %d'h0 : "
                 "{a[%d] ^ wt[1], a[%d:0]};\n", P, w, w, w, w - 1, w - 2);
    vw_end(v, "end\n");
    vw_end(v, "end endgenerate\n\n");
    inv_add(inv, COMP_SIGN, PRIM_NEG, 1, 0, (long)K * P);
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, w, 2, (long)K * P);
    fp_base_end(dp, v, inv);
}

static void tmul_fp_datapath(const struct design_point *dp, struct vw *v,
                             struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, K = d->outputs, w = d->acc_bits;
    fp_base_begin(dp, v, inv);
    fp_widen(dp, v, inv, "kq", K * P, "ww");
    vw_begin(v, "generate for (gk = 0; gk < %d; gk = gk + 1) begin : g_out\n", K);
    vw_begin(v, "for (gp = 0; gp < %d; gp = gp + 1) begin : g_in\n", P);
    vw_printf(v, "tf_fpmul #(.EXP(%d), .MAN(%d), .LATENCY(%ld)) u_mul (.clk(clk), "
                 ".a(aw[gp*%d +: %d]), .b(ww[(gk*%d + gp)*%d +: %d]), "
                 ".y(term_v[(gk*%d + gp)*%d +: %d]));\n", d->acc_exp, d->acc_man,
              dp->fp_latency, w, w, P, w, w, P, w, w);
    vw_end(v, "end\n");
    vw_end(v, "end endgenerate\n\n");
    inv_add(inv, COMP_MULTIPLIER, PRIM_FPMUL, w, FP_ACTS_INPUTS(dp, (int)dp->fp_latency),
            (long)K * P);
    fp_base_end(dp, v, inv);
}

/* weight_store=dense: the sign code {neg, nz} of each weight from its
 * digit w+1 (0: -1, 1: 0, 2: +1). */
static void tsign_from_digits(const struct design_point *dp, struct vw *v,
                              struct inventory *inv)
{
    (void)inv; /* two 2-bit compares per weight: gates, like the code's use */
    vw_printf(v, "wire [%d:0] wgt_native;  // weight i: {neg, nz} = {digit == 0, digit != 1}\n",
              dp->d.kq_bits - 1);
    vw_printf(v, "genvar gw;\n");
    vw_begin(v, "generate for (gw = 0; gw < %d; gw = gw + 1) begin : g_code\n",
             dp->d.wgt_digits);
    vw_printf(v, "assign wgt_native[gw*2 +: 2] = {wgt_d[gw*2 +: 2] == 2'd0, "
                 "wgt_d[gw*2 +: 2] != 2'd1};\n");
    vw_end(v, "end endgenerate\n");
}

/* Block-scaled: sign-flip on the elements' exact integers (term_bits
 * wide: a negated most negative MXINT8 code needs one more bit), the
 * integer trees, the flags of the non-zero weights (a negative weight
 * swaps the infinities), then the block sums and converters (mxdp.c). */
static void tsign_mx_datapath(const struct design_point *dp, struct vw *v,
                              struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int P = d->tile_cols, nf = d->mx_flags;
    mx_decode(dp, v, inv);
    sign_flip(dp, v, inv, "ai", d->elem_bits, d->term_bits);
    if (nf) {
        char body[512];
        snprintf(body, sizeof body, "tf[ik*%d] = tf[ik*%d] | (kq[(ik*%d + i)*2] & fl_n[i]);\n",
                 nf, nf, P);
        if (nf == 3) /* a negative weight swaps the infinities */
            snprintf(body + strlen(body), sizeof body - strlen(body),
                     "tf[ik*3+1] = tf[ik*3+1] | (kq[(ik*%d + i)*2] & "
                     "(kq[(ik*%d + i)*2+1] ? fl_m[i] : fl_p[i]));\n"
                     "tf[ik*3+2] = tf[ik*3+2] | (kq[(ik*%d + i)*2] & "
                     "(kq[(ik*%d + i)*2+1] ? fl_p[i] : fl_m[i]));\n", P, P, P, P);
        mx_flags_or(dp, v, P, body);
    }
    mx_blocks(dp, v, inv, 1);
}

/* The shell around the datapath, and the FP leaf modules (tmul's FP
 * multiplier: `fpmul`). */
static int emit(const struct design_point *dp, struct gen_files *out,
                struct inventory *inv, const struct shell *sh, int fpmul)
{
    shell_files(dp, sh, out, inv);
    fp_templates(dp, out, fpmul);
    return 0;
}

int tsign_emit(const struct design_point *dp, struct gen_files *out,
               struct inventory *inv)
{
    struct shell sh = { "ternary sign-flip baseline core, top level", 0,
                        dp->d.mx ? tsign_mx_datapath
                        : dp->d.fp ? tsign_fp_datapath : tsign_datapath, NULL,
                        "docs/baselines.md", tsign_from_digits };
    mx_templates(dp, out);
    return emit(dp, out, inv, &sh, 0);
}

int tmul_emit(const struct design_point *dp, struct gen_files *out,
              struct inventory *inv)
{
    struct shell sh = { "ternary full-width multiply baseline core, top level", 0,
                        dp->d.fp ? tmul_fp_datapath : tmul_datapath, NULL,
                        "docs/baselines.md", NULL };
    return emit(dp, out, inv, &sh, 1);
}
