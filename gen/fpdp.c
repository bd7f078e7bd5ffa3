/* fpdp.c - floating-point datapaths of the ternary kinds (act_type fp16,
 * bf16, fp8e4m3, fp8e5m2): exact widening of activations into the sum
 * format (tf_fpwiden), the LUT build in the contract's order of additions
 * (docs/floating-point.md), FP read ports, sign-flip and multiply terms
 * (tf_fpmul), and FP adder trees (tf_fpadd) with fp_latency stages per
 * adder. After a weight beat is issued nothing stalls, so every register
 * here is free-running; the shell's control bits travel beside them. */
#include <stdlib.h>
#include <string.h>

#include "../model/tlut.h"
#include "softfloat.h"
#include "fpdp.h"
#include "shell.h"

/* A signal delayed by n free-running registers: "<name>_d<n>". `copies`:
 * instances of the module being written (tf_tlut_lut: one per LUT). */
static void delay_chain(struct vw *v, struct inventory *inv, long copies, const char *name,
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

static void dname(char *buf, size_t n, const char *name, int d)
{
    if (d)
        snprintf(buf, n, "%s_d%d", name, d);
    else
        snprintf(buf, n, "%s", name);
}

static void fp_params(const struct design_point *dp, char *buf, size_t n)
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
                    inv_add(inv, COMP_ADDER_TREE, PRIM_FPADD, w, FP_INPUTS(d->acc_man, L), 1);
                } else {
                    delay_chain(v, inv, 1, a, w, 0, L);
                    char dn[80];
                    dname(dn, sizeof dn, a, L);
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

/* The FP table build for one group of mu (widened) activations. Entry m =
 * a_j + X, X = E(r) (r > 0) or the sum of the negated terms of E(-r)
 * (r < 0), which is -E(-r) except for a zero: the sum of negated terms is
 * -0 only when every term of E(-r) is +0 (flag P), else +0. So the shared
 * build adds exactly what the contract's left-to-right sum adds. Entries
 * with fewer terms are delayed so that all leave together. */
char *fp_emit_lut(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, ne = d->entries, w = d->acc_bits, L = (int)dp->fp_latency;
    int Lu = (int)dp->luts, depth = (mu - 1) * L;
    struct lut_step *st = xmalloc((size_t)(ne + 1) * sizeof *st);
    tlut_recipe(mu, st);
    char fpp[96];
    fp_params(dp, fpp, sizeof fpp);
    struct vw v;
    vw_init(&v);
    char *h = gen_header(dp, "tf_tlut_lut.v", "ternary LUT, floating point: the positive half "
                                              "of all signed combinations of mu activations");
    vw_printf(&v, "%s", h);
    free(h);
    vw_printf(&v, "//\n// Entry m (1..%d) = the left-to-right IEEE sum of d_i * a_i over the\n"
                  "// non-zero balanced-ternary digits of m (docs/floating-point.md); all\n"
                  "// entries leave %d cycles after their activations.\n", ne, depth + (int)dp->lut_reg);
    vw_printf(&v, "`default_nettype none\n");
    vw_begin(&v, "module tf_tlut_lut (\n");
    vw_printf(&v, "input  wire clk,\n");
    vw_printf(&v, "input  wire [%d:0] acts,\n", mu * w - 1);
    vw_printf(&v, "output wire [%d:0] entries\n", ne * w - 1);
    vw_end(&v, ");\n");
    vw_indent(&v);
    if (depth == 0 && !dp->lut_reg)
        vw_printf(&v, "/* verilator lint_off UNUSEDSIGNAL */\nwire unused_clk = clk;\n"
                      "/* verilator lint_on UNUSEDSIGNAL */\n");
    /* Which zero flags are used: P(r) where an entry subtracts E(r), and
     * whatever those are made of (P(m) = a_j is +0 and P or N of m's rest). */
    char *needp = xcalloc((size_t)ne + 1, 1), *needn = xcalloc((size_t)ne + 1, 1);
    char *lanep = xcalloc((size_t)mu, 1), *lanen = xcalloc((size_t)mu, 1);
    for (int m = 1; m <= ne; m++)
        if (st[m].sub && st[m].neg)
            needp[st[m].sub] = 1;
    for (int m = ne; m >= 1; m--) {
        int j = st[m].top, r = st[m].sub, ng = st[m].neg;
        if (needp[m]) {
            lanep[j] = 1;
            if (r)
                (ng ? needn : needp)[r] = 1;
        }
        if (needn[m]) {
            lanen[j] = 1;
            if (r)
                (ng ? needp : needn)[r] = 1;
        }
    }
    for (int i = 0; i < mu; i++) {
        vw_printf(&v, "wire [%d:0] a%d = acts[%d +: %d];\n", w - 1, i, i * w, w);
        if (lanep[i])
            vw_printf(&v, "wire pz%d = a%d == %d'h0;\n", i, i, w);
        if (lanen[i])
            vw_printf(&v, "wire nz%d = a%d == {1'b1, %d'h0};\n", i, i, w - 1);
    }
    /* flags: P(m) all terms +0, N(m) all terms -0 (combinational, time 0) */
    for (int m = 1; m <= ne; m++) {
        int j = st[m].top, r = st[m].sub, ng = st[m].neg;
        if (needp[m])
            vw_printf(&v, !r ? "wire p%d = pz%d;\n" : ng ? "wire p%d = pz%d & n%d;\n"
                                                      : "wire p%d = pz%d & p%d;\n", m, j, r);
        if (needn[m])
            vw_printf(&v, !r ? "wire n%d = nz%d;\n" : ng ? "wire n%d = nz%d & p%d;\n"
                                                      : "wire n%d = nz%d & n%d;\n", m, j, r);
    }
    free(needp);
    free(needn);
    free(lanep);
    free(lanen);
    int *avail = xcalloc((size_t)mu, sizeof *avail), *pav = xcalloc((size_t)ne + 1, sizeof *pav);
    for (int m = 1; m <= ne; m++) {
        int j = st[m].top, r = st[m].sub, t = (st[m].terms - 1) * L;
        if (!r) {
            vw_printf(&v, "wire [%d:0] e%d = a%d;\n", w - 1, m, j);
            continue;
        }
        int tin = t - L; /* when E(r) is ready */
        char an[32], en[32], pn[32];
        snprintf(an, sizeof an, "a%d", j);
        if (avail[j] < tin) {
            delay_chain(&v, inv, Lu, an, w, avail[j], tin);
            avail[j] = tin;
        }
        char ad[48];
        dname(ad, sizeof ad, an, tin);
        snprintf(en, sizeof en, "e%d", r);
        char ed[48];
        dname(ed, sizeof ed, en, 0);
        if (!st[m].neg) {
            vw_printf(&v, "wire [%d:0] x%d = %s;\n", w - 1, m, ed);
        } else {
            snprintf(pn, sizeof pn, "p%d", r);
            if (pav[r] < tin) {
                delay_chain(&v, inv, Lu, pn, 1, pav[r], tin);
                pav[r] = tin;
            }
            char pd[48];
            dname(pd, sizeof pd, pn, tin);
            vw_printf(&v, "wire [%d:0] x%d = %s[%d:0] == %d'h0 ? {%s, %d'h0} : "
                          "{~%s[%d], %s[%d:0]};\n", w - 1, m, ed, w - 2, w - 1, pd, w - 1, ed,
                      w - 1, ed, w - 2);
        }
        vw_printf(&v, "wire [%d:0] e%d;\n", w - 1, m);
        vw_printf(&v, "tf_fpadd #(%s) u_e%d (.clk(clk), .a(%s), .b(x%d), .y(e%d));\n", fpp, m, ad,
                  m, m);
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w, FP_INPUTS(d->acc_man, L), Lu);
    }
    /* align every entry to `depth`, then the optional LUT register */
    for (int m = 1; m <= ne; m++) {
        int t = (st[m].terms - 1) * L;
        char en[32], ed[48];
        snprintf(en, sizeof en, "e%d", m);
        /* e<m> is ready at t; e<m>_d<k> is e<m> k cycles later */
        delay_chain(&v, inv, Lu, en, w, 0, depth - t);
        dname(ed, sizeof ed, en, depth - t);
        if (dp->lut_reg) {
            vw_printf(&v, "reg  [%d:0] q%d;\nalways @(posedge clk) q%d <= %s;\n", w - 1, m, m, ed);
            inv_add(inv, COMP_LUT_STORE, PRIM_REG, w, 0, Lu);
            vw_printf(&v, "assign entries[%d +: %d] = q%d;\n", (m - 1) * w, w, m);
        } else {
            vw_printf(&v, "assign entries[%d +: %d] = %s;\n", (m - 1) * w, w, ed);
        }
    }
    vw_outdent(&v);
    vw_printf(&v, "endmodule\n`default_nettype wire\n");
    free(avail);
    free(pav);
    free(st);
    return vw_detach(&v);
}

void fp_templates(const struct design_point *dp, struct gen_files *out, int fpmul)
{
    if (!dp->d.fp)
        return;
    gf_add_template(out, dp, "tf_fpadd.v");
    if (fpmul)
        gf_add_template(out, dp, "tf_fpmul.v");
    if (dp->d.act_fmt != dp->d.acc_fmt)
        gf_add_template(out, dp, "tf_fpwiden.v");
}
