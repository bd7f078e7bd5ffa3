/* fpdp.c - floating-point datapath pieces the ternary kinds share (act_type
 * fp16, bf16, fp8e4m3, fp8e5m2): exact widening of activations into the
 * sum format (tf_fpwiden), delay lines, and FP adder trees (tf_fpadd) with
 * fp_latency stages per adder; the kinds' own FP datapaths (the LUT build,
 * sign-flip and multiply terms) are in their emitters. After a weight beat
 * is issued nothing stalls, so every register here is free-running; the
 * shell's control bits travel beside them. */
#include <stdlib.h>
#include <string.h>

#include "softfloat.h"
#include "fpdp.h"
#include "shell.h"

/* A signal delayed by n free-running registers: "<name>_d<n>". `copies`:
 * instances of the module being written (tf_tlut_lut: one per LUT). */
void fp_delay_chain(struct vw *v, struct inventory *inv, long copies, const char *name,
                    int bits, int from, int to)
{
    for (int k = from + 1; k <= to; k++) {
        vw_printf(v, "reg  [%d:0] %s_d%d;\n", bits - 1, name, k);
        if (k == 1)
            vw_printf(v, "always @(posedge clk) %s_d1 <= %s;\n", name, name);
        else
            vw_printf(v, "always @(posedge clk) %s_d%d <= %s_d%d;\n", name, k, name, k - 1);
        inv_add(inv, COMP_PIPELINE, PRIM_REG, bits, 0, copies);
    }
}

void fp_dname(char *buf, size_t n, const char *name, int d)
{
    if (d)
        snprintf(buf, n, "%s_d%d", name, d);
    else
        snprintf(buf, n, "%s", name);
}

void fp_params(const struct design_point *dp, char *buf, size_t n)
{
    snprintf(buf, n, ".EXP(%d), .MAN(%d), .LATENCY(%ld)", dp->d.acc_exp, dp->d.acc_man,
             dp->fp_latency);
}

void fp_widen(const struct design_point *dp, struct vw *v, struct inventory *inv,
              const char *src, int lanes, const char *dst)
{
    const struct dp_derived *d = &dp->d;
    int ib = d->lane_in_bits, ob = d->acc_bits;
    vw_printf(v, "wire [%d:0] %s;  // lanes widened exactly into the sum format\n",
              lanes * ob - 1, dst);
    if (d->act_fmt == d->acc_fmt) {
        vw_printf(v, "assign %s = %s;\n", dst, src);
        return;
    }
    const struct sf_info *a = sf_info((enum sf_format)d->act_fmt);
    const struct sf_info *s = sf_info((enum sf_format)d->acc_fmt);
    vw_printf(v, "genvar gw_%s;\n", dst);
    vw_begin(v, "generate for (gw_%s = 0; gw_%s < %d; gw_%s = gw_%s + 1) begin : g_widen_%s\n",
             dst, dst, lanes, dst, dst, dst);
    vw_printf(v, "tf_fpwiden #(.IEXP(%d), .IMAN(%d), .IBIAS(%d), .IHAS_INF(%d), .OEXP(%d), "
                 ".OMAN(%d), .OBIAS(%d))\n    u_w (.a(%s[gw_%s*%d +: %d]), .y(%s[gw_%s*%d +: %d]));\n",
              a->exp_bits, a->man_bits, a->bias, a->has_inf, s->exp_bits, s->man_bits, s->bias,
              src, dst, ib, ib, dst, dst, ob, ob);
    vw_end(v, "end endgenerate\n");
    inv_add(inv, COMP_ACT_BUFFER, PRIM_FPCVT, ob, ib, lanes);
}

int fp_trees(const struct design_point *dp, struct vw *v, struct inventory *inv,
             const char *bus, int n0, int stage)
{
    const struct dp_derived *d = &dp->d;
    int K = d->outputs, w = d->acc_bits, L = (int)dp->fp_latency, st = stage;
    char fpp[96], a[64], b[64], o[64];
    fp_params(dp, fpp, sizeof fpp);
    vw_printf(v, "// ---- FP adder trees: pairs (2i, 2i+1) level by level, %d cycles per "
                 "level; an odd last term waits beside the adders ----\n", L);
    for (int k = 0; k < K; k++) {
        int n = n0;
        st = stage;
        for (int i = 0; i < n; i++)
            vw_printf(v, "wire [%d:0] f%d_0_%d = %s[%d +: %d];\n", w - 1, k, i, bus,
                      (k * n0 + i) * w, w);
        int lv = 0;
        if (tree_cut_after(dp, 0)) {
            for (int i = 0; i < n; i++) {
                vw_printf(v, "reg  [%d:0] fq%d_0_%d;\n", w - 1, k, i);
                vw_printf(v, "always @(posedge clk) fq%d_0_%d <= f%d_0_%d;\n", k, i, k, i);
            }
            inv_add(inv, COMP_PIPELINE, PRIM_REG, w, 0, n);
            st++;
        }
        int cut = tree_cut_after(dp, 0);
        for (lv = 1; lv <= d->tree_levels; lv++) {
            int m = (n + 1) / 2;
            for (int i = 0; i < m; i++) {
                snprintf(a, sizeof a, "f%s%d_%d_%d", cut ? "q" : "", k, lv - 1, 2 * i);
                snprintf(o, sizeof o, "f%d_%d_%d", k, lv, i);
                vw_printf(v, "wire [%d:0] %s;\n", w - 1, o);
                if (2 * i + 1 < n) {
                    snprintf(b, sizeof b, "f%s%d_%d_%d", cut ? "q" : "", k, lv - 1, 2 * i + 1);
                    vw_printf(v, "tf_fpadd #(%s) u_add%d_%d_%d (.clk(clk), .a(%s), .b(%s), "
                                 ".y(%s));\n", fpp, k, lv, i, a, b, o);
                    /* a sign-flip tree's first level adds two activations,
                     * a mu = 1 LUT core's too (an entry is an activation),
                     * a multiplier tree's two of their products by
                     * ternary weights */
                    inv_add(inv, COMP_ADDER_TREE, PRIM_FPADD, w,
                            lv == 1 && (dp->kind == KIND_TSIGN || dp->kind == KIND_TMUL ||
                                        (dp->kind == KIND_TLUT && dp->mu == 1))
                                ? FP_ACTS_INPUTS(dp, L)
                                : FP_INPUTS(d->acc_man, L),
                            1);
                } else {
                    fp_delay_chain(v, inv, 1, a, w, 0, L);
                    char dn[80];
                    fp_dname(dn, sizeof dn, a, L);
                    vw_printf(v, "assign %s = %s;\n", o, dn);
                }
            }
            n = m;
            cut = tree_cut_after(dp, lv);
            if (cut) {
                for (int i = 0; i < n; i++) {
                    vw_printf(v, "reg  [%d:0] fq%d_%d_%d;\n", w - 1, k, lv, i);
                    vw_printf(v, "always @(posedge clk) fq%d_%d_%d <= f%d_%d_%d;\n", k, lv, i,
                              k, lv, i);
                }
                inv_add(inv, COMP_PIPELINE, PRIM_REG, w, 0, n);
                st++;
            }
            st += L;
        }
        vw_printf(v, "wire [%d:0] root%d = f%s%d_%d_0;\n", w - 1, k, cut ? "q" : "", k,
                  d->tree_levels);
    }
    return st;
}

void fp_templates(const struct design_point *dp, struct gen_files *out, int fpmul)
{
    if (!dp->d.fp)
        return;
    gf_add_template(out, dp, "tf_fpadd.v");
    if (fpmul)
        gf_add_template(out, dp, "tf_fpmul.v");
    if (!dp->d.mx && dp->d.act_fmt != dp->d.acc_fmt) /* block-scaled: tf_mxconv instead */
        gf_add_template(out, dp, "tf_fpwiden.v");
}
