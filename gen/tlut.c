/* tlut.c - Verilog emitter of the ternary LUT core (kind "tlut").
 *
 * The shared shell (gen/shell.c) writes tf_top.v around this kind's
 * datapath: L tables (tf_tlut_lut.v, generated here for mu), K read ports
 * per table (tf_tlut_ports.v, generated; the FP and block-scaled cores use
 * the template tf_tlut_sel with all K*L ports) and K adder trees. Every adder,
 * register and multiplexer it writes is also counted into an inventory,
 * which tests compare with the analytic one in model/tlut.c.
 * The cycle-level behaviour is specified in docs/protocol.md. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../model/tlut.h"
#include "fpdp.h"
#include "kinds.h"
#include "mx.h"
#include "mxdp.h"
#include "shell.h"
#include "vw.h"

/* Instances of tf_tlut_lut: what its items count, L per column of a
 * batch (the module is written once). */
static int lut_instances(const struct design_point *dp)
{
    return (int)(dp->luts * dp->batch);
}

/* lut_build=direct, integer: entry m (of more than one term) as one
 * expression, its terms left to right at the entry's width, so every
 * entry has its own adders (terms - 1 of them, and one more, 0 - a, when
 * the first term is subtracted): what the RTL asks for before synthesis
 * shares anything. */
static void emit_direct_entry(struct vw *v, struct inventory *inv,
                              const struct design_point *dp, int m, int bits)
{
    int w = dp->d.mx ? dp->d.elem_bits : (int)dp->act_width, mu = (int)dp->mu;
    int8_t dg[TLUT_MU_MAX];
    tlut_digits(mu, m, dg);
    vw_printf(v, "wire [%d:0] e%d =", bits - 1, m);
    int first = 1;
    for (int i = 0; i < mu; i++) {
        if (!dg[i])
            continue;
        char an[16];
        snprintf(an, sizeof an, "a%d", i);
        char *ax = vw_sext(an, w, bits);
        if (!first || dg[i] < 0)
            inv_add(inv, COMP_LUT_BUILD, PRIM_ADD, bits, 2, lut_instances(dp));
        if (first && dg[i] > 0)
            vw_printf(v, " %s", ax);
        else
            vw_printf(v, " %c %s", dg[i] < 0 ? '-' : '+', ax);
        free(ax);
        first = 0;
    }
    vw_printf(v, ";\n");
}

/* Width of an integer entry of `terms` non-zero digits: minimal and exact
 * for block-scaled elements (their integers are not full-range). */
static int entry_width(const struct design_point *dp, int terms)
{
    if (dp->d.mx)
        return mx_sum_bits((enum mx_elem)dp->d.mx_elem, terms);
    return tlut_entry_bits((int)dp->act_width, terms);
}

/* Block-scaled elements with special values: each entry's flags (NaN,
 * +Inf, -Inf among its non-zero digits; a negated digit swaps the
 * infinities), built along the entries' own recipe. Out: fe bits per
 * entry, {nan} or {infsign, inf, nan} (NaN also for +Inf with -Inf), so
 * that the read port's sign flips infsign (tf_tlut_sel with FLOAT=1). */
static void emit_lut_flags(const struct design_point *dp, struct vw *v,
                           const struct lut_step *steps, struct inventory *inv)
{
    int ne = dp->d.entries, nf = dp->d.mx_flags, fe = nf == 3 ? 3 : 1;
    vw_printf(v, "\n// Entry flags: NaN, +Inf, -Inf of the non-zero digits.\n");
    for (int m = 1; m <= ne; m++) {
        const struct lut_step *s = &steps[m];
        int j = s->top, r = s->sub;
        if (!r) {
            vw_printf(v, "wire fn%d = fl[%d];\n", m, j * 3);
            if (nf == 3)
                vw_printf(v, "wire fp%d = fl[%d];\nwire fm%d = fl[%d];\n", m, j * 3 + 1, m,
                          j * 3 + 2);
            continue;
        }
        vw_printf(v, "wire fn%d = fl[%d] | fn%d;\n", m, j * 3, r);
        if (nf == 3)
            vw_printf(v, "wire fp%d = fl[%d] | f%c%d;\nwire fm%d = fl[%d] | f%c%d;\n", m,
                      j * 3 + 1, s->neg ? 'm' : 'p', r, m, j * 3 + 2, s->neg ? 'p' : 'm', r);
    }
    const char *src = "fd";
    vw_printf(v, "wire [%d:0] fd;\n", ne * fe - 1);
    for (int m = 1; m <= ne; m++) {
        if (nf == 3)
            vw_printf(v, "assign fd[%d +: 3] = {fm%d, (fp%d | fm%d) & ~(fn%d | (fp%d & fm%d)), "
                         "fn%d | (fp%d & fm%d)};\n", (m - 1) * 3, m, m, m, m, m, m, m, m, m);
        else
            vw_printf(v, "assign fd[%d] = fn%d;\n", m - 1, m);
    }
    if (dp->lut_reg) {
        vw_printf(v, "reg  [%d:0] fq;\nalways @(posedge clk) if (en) fq <= fd;\n", ne * fe - 1);
        inv_add(inv, COMP_LUT_STORE, PRIM_REG, ne * fe, 0, lut_instances(dp));
        src = "fq";
    }
    vw_printf(v, "assign fent = %s;\n", src);
}

/* A generated module file: its header comment, then what follows. */
static void file_begin(struct vw *v, const struct design_point *dp, const char *file,
                       const char *what)
{
    vw_init(v);
    char *h = gen_header(dp, file, what);
    vw_printf(v, "%s", h);
    free(h);
}

/* Kept as a module of its own in the simulator: inlined, Verilator copies
 * every entry into the read ports' table through the top's variables, and
 * the whole tile's logic becomes one function of straight-line code too
 * large for the host's instruction cache (about 55 KB run every cycle for
 * the INT8 32 x 32 tile); kept, each instance's logic is a function of its
 * own that reads the other instance's variables directly: 1.26x the rate
 * and a third less build CPU (docs/testing.md). Other tools ignore the
 * comment. */
static const char no_inline[] =
    VL_NO_INLINE "  // faster in Verilator (ternforge docs/testing.md)\n";

/* The table module; `scalar`: each entry on a port of its own (entry<m>,
 * the integer core's tf_tlut_ports reads them), else all in one packed
 * `entries` (the block-scaled core's tf_tlut_sel). */
static char *emit_lut(const struct design_point *dp, struct inventory *inv, int scalar)
{
    const struct dp_derived *d = &dp->d;
    int w = d->mx ? d->elem_bits : (int)dp->act_width, mu = (int)dp->mu, ne = d->entries;
    int ew = d->entry_bits, nf = d->mx ? d->mx_flags : 0, fe = nf == 3 ? 3 : 1;
    int L = lut_instances(dp);
    struct lut_step *steps = xmalloc((size_t)(ne + 1) * sizeof *steps);
    tlut_recipe(mu, steps);
    struct vw v;
    file_begin(&v, dp, "tf_tlut_lut.v",
               "ternary LUT: pre-sums the positive half of all signed combinations of mu "
               "activations");
    vw_printf(&v, "//\n// Entry m (1..%d) = sum of d_i * a_i over the balanced-ternary digits d_i\n"
                  "// of m; %s\n"
                  "// (docs/weights.md). ",
              ne, dp->lut_build == LUT_DIRECT
                      ? "each is its own sum of its terms, left to right (lut_build=direct)"
                      : "each is one addition of an earlier entry and one activation");
    if (scalar)
        vw_printf(&v, "Entry m leaves on its own port, entry<m>, sign-extended\n"
                      "// to %d bits: separate signals, not fields of one vector, which a\n"
                      "// simulator would pack here and cut apart again in the read ports.\n", ew);
    else
        vw_printf(&v, "Entry m sits at entries[(m-1)*%d +: %d].\n", ew, ew);
    vw_printf(&v, "`default_nettype none\n");
    vw_begin(&v, "module tf_tlut_lut (\n");
    if (dp->lut_reg)
        vw_printf(&v, "input  wire %-12s clk,\ninput  wire %-12s en,\n", "", "");
    vw_printf(&v, "input  wire [%d:0] acts,\n", mu * w - 1);
    if (nf)
        vw_printf(&v, "input  wire [%d:0] fl,      // lane i: {-Inf, +Inf, NaN} at [i*3 +: 3]\n"
                      "output wire [%d:0] fent,    // entry m: %s at [(m-1)*%d +: %d]\n",
                  mu * 3 - 1, ne * fe - 1, fe == 3 ? "{infsign, inf, nan}" : "nan", fe, fe);
    if (scalar)
        for (int m = 1; m <= ne; m++)
            vw_printf(&v, "output wire [%d:0] entry%d%s\n", ew - 1, m, m < ne ? "," : "");
    else
        vw_printf(&v, "output wire [%d:0] entries\n", ne * ew - 1);
    vw_end(&v, ");\n");
    vw_indent(&v);
    if (scalar)
        vw_printf(&v, "%s", no_inline);
    if (nf == 1)
        vw_printf(&v, "/* verilator lint_off UNUSEDSIGNAL */\n"
                      "wire unused_inf = ^fl; // E4M3 has no infinities: only the NaN bits are read\n"
                      "/* verilator lint_on UNUSEDSIGNAL */\n");
    for (int i = 0; i < mu; i++)
        vw_printf(&v, "wire [%d:0] a%d = acts[%d +: %d];\n", w - 1, i, i * w, w);
    for (int m = 1; m <= ne; m++) {
        const struct lut_step *s = &steps[m];
        int bits = entry_width(dp, s->terms);
        if (dp->lut_build == LUT_DIRECT && s->sub) {
            emit_direct_entry(&v, inv, dp, m, bits);
            continue;
        }
        char an[16];
        snprintf(an, sizeof an, "a%d", s->top);
        char *ax = vw_sext(an, w, bits);
        if (!s->sub) {
            vw_printf(&v, "wire [%d:0] e%d = %s;\n", bits - 1, m, ax);
        } else {
            char en[16];
            snprintf(en, sizeof en, "e%d", s->sub);
            char *ex = vw_sext(en, entry_width(dp, steps[s->sub].terms), bits);
            vw_printf(&v, "wire [%d:0] e%d = %s %c %s;\n", bits - 1, m, ax,
                      s->neg ? '-' : '+', ex);
            free(ex);
            inv_add(inv, COMP_LUT_BUILD, PRIM_ADD, bits, 2, L);
        }
        free(ax);
    }
    const char *src = "e";
    if (dp->lut_reg) {
        src = "q";
        vw_printf(&v, "\n// LUT registers: entries keep their own width here.\n");
        for (int m = 1; m <= ne; m++) {
            int bits = entry_width(dp, steps[m].terms);
            vw_printf(&v, "reg  [%d:0] q%d;\n", bits - 1, m);
            inv_add(inv, COMP_LUT_STORE, PRIM_REG, bits, 0, L);
        }
        vw_begin(&v, "always @(posedge clk) begin\n");
        vw_begin(&v, "if (en) begin\n");
        for (int m = 1; m <= ne; m++)
            vw_printf(&v, "q%d <= e%d;\n", m, m);
        vw_end(&v, "end\n");
        vw_end(&v, "end\n");
    }
    vw_printf(&v, "\n");
    for (int m = 1; m <= ne; m++) {
        char nm[16];
        snprintf(nm, sizeof nm, "%s%d", src, m);
        char *x = vw_sext(nm, entry_width(dp, steps[m].terms), ew);
        if (scalar)
            vw_printf(&v, "assign entry%d = %s;\n", m, x);
        else
            vw_printf(&v, "assign entries[%d +: %d] = %s;\n", (m - 1) * ew, ew, x);
        free(x);
    }
    if (nf)
        emit_lut_flags(dp, &v, steps, inv);
    vw_outdent(&v);
    vw_printf(&v, "endmodule\n`default_nettype wire\n");
    free(steps);
    return vw_detach(&v);
}

/* The shared FP build's entries e1..e<ne>, each a_j + X (see above):
 * the zero flags P/N where an entry subtracts, the lanes' delay lines. */
static void emit_fp_shared(const struct design_point *dp, struct vw *v, struct inventory *inv,
                           const struct lut_step *st, const char *fpp)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, ne = d->entries, w = d->acc_bits, L = (int)dp->fp_latency;
    int Lu = lut_instances(dp);
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
        vw_printf(v, "wire [%d:0] a%d = acts[%d +: %d];\n", w - 1, i, i * w, w);
        if (lanep[i])
            vw_printf(v, "wire pz%d = a%d == %d'h0;\n", i, i, w);
        if (lanen[i])
            vw_printf(v, "wire nz%d = a%d == {1'b1, %d'h0};\n", i, i, w - 1);
    }
    /* flags: P(m) all terms +0, N(m) all terms -0 (combinational, time 0) */
    for (int m = 1; m <= ne; m++) {
        int j = st[m].top, r = st[m].sub, ng = st[m].neg;
        if (needp[m])
            vw_printf(v, !r ? "wire p%d = pz%d;\n" : ng ? "wire p%d = pz%d & n%d;\n"
                                                      : "wire p%d = pz%d & p%d;\n", m, j, r);
        if (needn[m])
            vw_printf(v, !r ? "wire n%d = nz%d;\n" : ng ? "wire n%d = nz%d & p%d;\n"
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
            vw_printf(v, "wire [%d:0] e%d = a%d;\n", w - 1, m, j);
            continue;
        }
        int tin = t - L; /* when E(r) is ready */
        char an[32], en[32], pn[32];
        snprintf(an, sizeof an, "a%d", j);
        if (avail[j] < tin) {
            fp_delay_chain(v, inv, Lu, an, w, avail[j], tin);
            avail[j] = tin;
        }
        char ad[48];
        fp_dname(ad, sizeof ad, an, tin);
        snprintf(en, sizeof en, "e%d", r);
        char ed[48];
        fp_dname(ed, sizeof ed, en, 0);
        if (!st[m].neg) {
            vw_printf(v, "wire [%d:0] x%d = %s;\n", w - 1, m, ed);
        } else {
            snprintf(pn, sizeof pn, "p%d", r);
            if (pav[r] < tin) {
                fp_delay_chain(v, inv, Lu, pn, 1, pav[r], tin);
                pav[r] = tin;
            }
            char pd[48];
            fp_dname(pd, sizeof pd, pn, tin);
            vw_printf(v, "wire [%d:0] x%d = %s[%d:0] == %d'h0 ? {%s, %d'h0} : "
                          "{~%s[%d], %s[%d:0]};\n", w - 1, m, ed, w - 2, w - 1, pd, w - 1, ed,
                      w - 1, ed, w - 2);
        }
        vw_printf(v, "wire [%d:0] e%d;\n", w - 1, m);
        vw_printf(v, "tf_fpadd #(%s) u_e%d (.clk(clk), .a(%s), .b(x%d), .y(e%d));\n", fpp, m, ad,
                  m, m);
        /* E(r) of one term is an activation: this adds two */
        inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w,
                st[r].sub ? FP_INPUTS(d->acc_man, L) : FP_ACTS_INPUTS(dp, L), Lu);
    }
    free(avail);
    free(pav);
}

/* lut_build=direct, FP: entry m = the contract's left-to-right sum of its
 * non-zero terms, one tf_fpadd per term after the first, a subtracted
 * term as its sign bit flipped. Term s (s >= 1) of an entry enters its
 * adder at (s-1)*fp_latency, so lane i waits in one delay line per lane
 * as long as the latest use needs ((i-1)*fp_latency); no zero flags. */
static void emit_fp_direct(const struct design_point *dp, struct vw *v, struct inventory *inv,
                           const struct lut_step *st, const char *fpp)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, ne = d->entries, w = d->acc_bits, L = (int)dp->fp_latency;
    int Lu = lut_instances(dp);
    for (int i = 0; i < mu; i++)
        vw_printf(v, "wire [%d:0] a%d = acts[%d +: %d];\n", w - 1, i, i * w, w);
    int *avail = xcalloc((size_t)mu, sizeof *avail);
    int8_t dg[TLUT_MU_MAX];
    for (int m = 1; m <= ne; m++) {
        if (!st[m].sub) {
            vw_printf(v, "wire [%d:0] e%d = a%d;\n", w - 1, m, st[m].top);
            continue;
        }
        tlut_digits(mu, m, dg);
        char acc[48] = "", op[2][128];
        int s = 0;
        for (int i = 0; i < mu; i++) {
            if (!dg[i])
                continue;
            int tin = s ? (s - 1) * L : 0; /* when this term enters its adder */
            char an[16], ad[48];
            snprintf(an, sizeof an, "a%d", i);
            if (avail[i] < tin) {
                fp_delay_chain(v, inv, Lu, an, w, avail[i], tin);
                avail[i] = tin;
            }
            fp_dname(ad, sizeof ad, an, tin);
            char *t = op[s ? 1 : 0];
            if (dg[i] > 0) {
                snprintf(t, sizeof op[0], "%s", ad);
            } else {
                snprintf(t, sizeof op[0], "{~%s[%d], %s[%d:0]}", ad, w - 1, ad, w - 2);
            }
            if (s) {
                char out[48];
                if (s + 1 == st[m].terms)
                    snprintf(out, sizeof out, "e%d", m);
                else
                    snprintf(out, sizeof out, "e%d_s%d", m, s);
                vw_printf(v, "wire [%d:0] %s;\n", w - 1, out);
                vw_printf(v, "tf_fpadd #(%s) u_%s (.clk(clk), .a(%s), .b(%s), .y(%s));\n", fpp,
                          out, s == 1 ? op[0] : acc, op[1], out);
                /* the first adds two activations */
                inv_add(inv, COMP_LUT_BUILD, PRIM_FPADD, w,
                        s == 1 ? FP_ACTS_INPUTS(dp, L) : FP_INPUTS(d->acc_man, L), Lu);
                snprintf(acc, sizeof acc, "%s", out);
            }
            s++;
        }
    }
    free(avail);
}

/* The K*L read ports of L tables, one instance over all of them: keys
 * and terms (k, l) in the trees' layout, slots (k*L + l) of kw and ew bits;
 * `ents` holds LUT l's ne entries at [l*ne*ew +: ne*ew]. flt >= 0 sets
 * FLOAT. */
static void emit_sel(struct vw *v, const char *inst, int flt, const char *keys,
                     const char *ents, const char *out, int ne, int ew, int kw, int L, int K)
{
    char fl[16] = "";
    if (flt >= 0)
        snprintf(fl, sizeof fl, ", .FLOAT(%d)", flt);
    vw_printf(v, "tf_tlut_sel #(.ENTRIES(%d), .ENTRY_BITS(%d), .KEY_BITS(%d), .LUTS(%d), "
                 ".PORTS(%d)%s) %s (\n"
                 "    .keys(%s), .entries(%s), .values(%s));\n\n",
              ne, ew, kw, L, K, fl, inst, keys, ents, out);
}

/* Verilator (5.006) writes every instance of a module as its own copy of
 * the module's logic, so L tables of A FP adders each are L*A adders of
 * C++ to compile: two thirds of an FP16 32 x 32 tile's build. Marked a
 * hierarchical block, the table is verilated and compiled once and its
 * instances share that code (sim/cosim.c verilates with --hierarchical
 * when a file asks for it). The block costs a second Verilator run and
 * its instances are driven through their ports, about 1 s of build and
 * 16 % of the clock loop on that tile, so it is asked for only when the
 * copies it saves are many (docs/testing.md: 2 tables of 10 adders build
 * 1 s slower, 8 of 36 take 40 % less CPU). Other tools ignore the comment. */
#define FP_HIER_MIN_COPIES 64

static int fp_lut_adders(const struct lut_step *st, int ne, int direct)
{
    int n = 0;
    for (int m = 1; m <= ne; m++)
        if (st[m].sub)
            n += direct ? st[m].terms - 1 : 1;
    return n;
}

/* The FP table build for one group of mu (widened) activations. Entry m =
 * a_j + X, X = E(r) (r > 0) or the sum of the negated terms of E(-r)
 * (r < 0), which is -E(-r) except for a zero: the sum of negated terms is
 * -0 only when every term of E(-r) is +0 (flag P), else +0. So the shared
 * build adds exactly what the contract's left-to-right sum adds. Entries
 * with fewer terms are delayed so that all leave together. */
static char *emit_fp_lut(const struct design_point *dp, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, ne = d->entries, w = d->acc_bits, L = (int)dp->fp_latency;
    int Lu = lut_instances(dp), depth = (mu - 1) * L;
    struct lut_step *st = xmalloc((size_t)(ne + 1) * sizeof *st);
    tlut_recipe(mu, st);
    struct vw v;
    file_begin(&v, dp, "tf_tlut_lut.v",
               "ternary LUT, floating point: the positive half of all signed combinations of "
               "mu activations");
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
    if ((long)(Lu - 1) * fp_lut_adders(st, ne, dp->lut_build == LUT_DIRECT) >= FP_HIER_MIN_COPIES)
        vw_printf(&v, VL_HIER_BLOCK "  // compiled once for its %d instances\n", Lu);
    if (depth == 0 && !dp->lut_reg)
        vw_printf(&v, "/* verilator lint_off UNUSEDSIGNAL */\nwire unused_clk = clk;\n"
                      "/* verilator lint_on UNUSEDSIGNAL */\n");
    char fpp[96];
    fp_params(dp, fpp, sizeof fpp);
    if (dp->lut_build == LUT_DIRECT)
        emit_fp_direct(dp, &v, inv, st, fpp);
    else
        emit_fp_shared(dp, &v, inv, st, fpp);
    /* align every entry to `depth`, then the optional LUT register */
    for (int m = 1; m <= ne; m++) {
        int t = (st[m].terms - 1) * L;
        char en[32], ed[48];
        snprintf(en, sizeof en, "e%d", m);
        /* e<m> is ready at t; e<m>_d<k> is e<m> k cycles later */
        fp_delay_chain(&v, inv, Lu, en, w, 0, depth - t);
        fp_dname(ed, sizeof ed, en, depth - t);
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
    free(st);
    return vw_detach(&v);
}

/* FP: widen the lanes, build the tables (term_depth cycles, free-running),
 * delay the keys to meet them, then FP read ports and FP trees. */
static void tlut_fp_datapath(const struct design_point *dp, struct vw *v,
                             struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int L = (int)dp->luts, K = d->outputs, mu = (int)dp->mu;
    int ne = d->entries, ew = d->entry_bits, kw = d->key_bits, D = d->term_depth;
    fp_widen(dp, v, inv, "ram_q", d->tile_cols, "aw");
    vw_printf(v, "wire [%d:0] ent;  // LUT l at [l*%d +: %d], %d cycles after stage 1\n",
              L * ne * ew - 1, ne * ew, ne * ew, D);
    vw_printf(v, "genvar gl;\n");
    vw_begin(v, "generate for (gl = 0; gl < %d; gl = gl + 1) begin : g_lut\n", L);
    vw_printf(v, "tf_tlut_lut u_lut (.clk(clk), .acts(aw[gl*%d +: %d]), .entries(ent[gl*%d +: %d]));\n",
              mu * ew, mu * ew, ne * ew, ne * ew);
    vw_end(v, "end endgenerate\n");
    const char *keys = "kq";
    char kn[32];
    for (int i = 1; i <= D; i++) {
        vw_printf(v, "reg  [%d:0] kq_d%d;\n", d->kq_bits - 1, i);
        vw_printf(v, "always @(posedge clk) kq_d%d <= %s;\n", i, i == 1 ? "kq" : kn);
        snprintf(kn, sizeof kn, "kq_d%d", i);
        keys = kn;
        inv_add(inv, COMP_PIPELINE, PRIM_REG, d->kq_bits, 0, 1);
    }
    vw_printf(v, "wire [%d:0] sel_v;\n", K * L * ew - 1);
    emit_sel(v, "u_sel", 1, keys, "ent", "sel_v", ne, ew, kw, L, K);
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, ew, ne + 1, (long)K * L);
    inv_add(inv, COMP_SIGN, PRIM_NEG, 1, 0, (long)K * L);
    if (fp_trees(dp, v, inv, "sel_v", L, 1 + D) != d->tree_end)
        BUG("FP tree ends at the wrong stage");
}

/* The integer tables' entry buses and the head of their generate loop. */
static void tables_begin(struct vw *v, int L, int ne, int ew)
{
    vw_printf(v, "wire [%d:0] ent;  // LUT l at [l*%d +: %d]\n", L * ne * ew - 1, ne * ew,
              ne * ew);
    vw_printf(v, "genvar gl;\n");
    vw_begin(v, "generate for (gl = 0; gl < %d; gl = gl + 1) begin : g_lut\n", L);
}

/* Items joined by ", " into lines of about 90 characters (a long port
 * list or connection list), the last one followed by `tail`. */
struct items {
    struct vw *v;
    struct strbuf line;
};

static void item_add(struct items *it, const char *fmt, ...) TF_PRINTF(2, 3);
static void item_add(struct items *it, const char *fmt, ...)
{
    if (it->line.len > 90) {
        vw_printf(it->v, "%s,\n", it->line.buf);
        it->line.len = 0;
        it->line.buf[0] = 0;
    } else if (it->line.len) {
        sb_adds(&it->line, ", ");
    }
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&it->line, fmt, ap);
    va_end(ap);
}

static void item_end(struct items *it, const char *tail)
{
    vw_printf(it->v, "%s%s", it->line.len ? it->line.buf : "", tail);
    sb_release(&it->line);
}

/* tf_tlut_ports: the K read ports of one integer table. Port k returns
 * key<k>'s sign ? -entry[code] : entry[code], code 0 and the reserved
 * codes above the entries reading zero. Every entry, key and value is a
 * port of its own: Verilator, which inlines the module, then keeps each
 * in a variable of its own, where a packed bus of all of them (the
 * block-scaled core's tf_tlut_sel) costs a shift and a mask to pack and
 * to unpack every field, every cycle. The table is an array indexed by
 * the code, filled before the reads: Yosys turns each read into a
 * one-hot case over the codes ($pmux), Verilator into one load. */
static char *emit_ports(const struct design_point *dp)
{
    const struct dp_derived *d = &dp->d;
    int ne = d->entries, ew = d->entry_bits, kw = d->key_bits, K = d->outputs;
    int codes = 1 << (kw - 1);
    struct vw v;
    file_begin(&v, dp, "tf_tlut_ports.v",
               "the read ports of one ternary LUT: port k decodes key k and applies its sign");
    vw_printf(&v, "//\n// val<k> = key<k>[%d] ? -entry[c] : entry[c], c = key<k>[%d:0], for the\n"
                  "// entries entry1..entry%d of one table (tf_tlut_lut); c = 0 and c > %d\n"
                  "// read as zero. No value reaches -2^%d, so the negation cannot overflow.\n",
              kw - 1, kw - 2, ne, ne, ew - 1);
    vw_printf(&v, "`default_nettype none\n");
    vw_begin(&v, "module tf_tlut_ports (\n");
    for (int m = 1; m <= ne; m++)
        vw_printf(&v, "input  wire [%d:0] entry%d,\n", ew - 1, m);
    for (int k = 0; k < K; k++)
        vw_printf(&v, "input  wire [%d:0] key%d,\n", kw - 1, k);
    for (int k = 0; k < K; k++)
        vw_printf(&v, "output reg  [%d:0] val%d%s\n", ew - 1, k, k + 1 < K ? "," : "");
    vw_end(&v, ");\n");
    vw_indent(&v);
    vw_printf(&v, "%s", no_inline);
    vw_printf(&v, "// Yosys makes each read a %d-way case over the codes (a one-hot\n"
                  "// AND-OR); a simulator keeps the array and indexes it. The entries and\n"
                  "// keys are the block's only inputs (tab is written before it is read),\n"
                  "// so the list is complete; @* would also name every word of tab, which\n"
                  "// iverilog warns about.\n", codes);
    vw_printf(&v, "reg [%d:0] tab [0:%d];\n", ew - 1, codes - 1);
    if (codes > ne + 1)
        vw_printf(&v, "integer c;\n");
    struct items it = { &v, STRBUF_INIT };
    vw_printf(&v, "always @(");
    for (int m = 1; m <= ne; m++)
        item_add(&it, "entry%d", m);
    for (int k = 0; k < K; k++)
        item_add(&it, "key%d", k);
    item_end(&it, ") begin\n");
    vw_indent(&v);
    vw_printf(&v, "tab[0] = %d'd0;\n", ew);
    for (int m = 1; m <= ne; m++)
        vw_printf(&v, "tab[%d] = entry%d;\n", m, m);
    if (codes > ne + 1)
        vw_printf(&v, "for (c = %d; c < %d; c = c + 1)\n    tab[c] = %d'd0;\n", ne + 1, codes, ew);
    for (int k = 0; k < K; k++)
        vw_printf(&v, "val%d = key%d[%d] ? -tab[key%d[%d:0]] : tab[key%d[%d:0]];\n", k, k, kw - 1,
                  k, kw - 2, k, kw - 2);
    vw_outdent(&v);
    vw_printf(&v, "end\n");
    vw_outdent(&v);
    vw_printf(&v, "endmodule\n`default_nettype wire\n");
    return vw_detach(&v);
}

/* Stage 1: the L tables from ram_q (registered or not), each with its K
 * read ports, then the trees. Each LUT is written out (no generate loop)
 * so that its entries and its ports' values are plain wires of the top:
 * value (k, l) is the trees' term tw<k>_0_<l> itself. */
static void tlut_datapath(const struct design_point *dp, struct vw *v,
                          struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int w = (int)dp->act_width, L = (int)dp->luts, K = d->outputs, mu = (int)dp->mu;
    int ne = d->entries, ew = d->entry_bits, kw = d->key_bits;
    vw_printf(v, "// ---- the L tables: entry m of LUT l is e<l>_<m> ------------------\n");
    for (int l = 0; l < L; l++) {
        struct items it = { v, STRBUF_INIT };
        vw_printf(v, "wire [%d:0] ", ew - 1);
        for (int m = 1; m <= ne; m++)
            item_add(&it, "e%d_%d", l, m);
        item_end(&it, ";\n");
        vw_begin(v, "tf_tlut_lut u_lut%d (\n", l);
        if (dp->lut_reg)
            vw_printf(v, ".clk(clk), .en(wgt_fire),\n");
        vw_printf(v, ".acts(ram_q[%d +: %d]),\n", l * mu * w, mu * w);
        it = (struct items){ v, STRBUF_INIT };
        for (int m = 1; m <= ne; m++)
            item_add(&it, ".entry%d(e%d_%d)", m, l, m);
        item_end(&it, "\n");
        vw_end(v, ");\n");
    }
    vw_printf(v, "\n// ---- look-up: K ports per LUT decode key (k, l) at kq[(k*%d + l)*%d +: %d]\n"
                 "// and apply its sign: term (k, l) of the trees, tw<k>_0_<l> ----\n", L, kw, kw);
    for (int k = 0; k < K; k++) {
        struct items it = { v, STRBUF_INIT };
        vw_printf(v, "wire [%d:0] ", ew - 1);
        for (int l = 0; l < L; l++)
            item_add(&it, "tw%d_0_%d", k, l);
        item_end(&it, ";\n");
    }
    for (int l = 0; l < L; l++) {
        vw_begin(v, "tf_tlut_ports u_sel%d (\n", l);
        struct items it = { v, STRBUF_INIT };
        for (int m = 1; m <= ne; m++)
            item_add(&it, ".entry%d(e%d_%d)", m, l, m);
        for (int k = 0; k < K; k++)
            item_add(&it, ".key%d(kq[%d +: %d])", k, (k * L + l) * kw, kw);
        for (int k = 0; k < K; k++)
            item_add(&it, ".val%d(tw%d_0_%d)", k, k, l);
        item_end(&it, "\n");
        vw_end(v, ");\n");
    }
    vw_printf(v, "\n");
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, ew, ne + 1, (long)K * L);
    inv_add(inv, COMP_SIGN, PRIM_NEG, ew, 0, (long)K * L);
    emit_trees(dp, v, inv, NULL, L, ew, 1);
}

/* weight_store=dense: key q = k*L + l covers the digits q*mu .. q*mu+mu-1
 * (tile_cols = L*mu). u = the base-3 number of its digits (Horner, 3h =
 * 2h + h), v = u - (3^mu-1)/2 = sum of w_j 3^j, key = {v < 0, |v|}
 * (docs/weights.md). */
static void tlut_from_digits(const struct design_point *dp, struct vw *v,
                             struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int mu = (int)dp->mu, kw = d->key_bits, nk = d->kq_bits / kw;
    long p3 = 1;
    for (int j = 0; j < mu; j++)
        p3 *= 3;
    int ub = clog2((uint64_t)p3); /* u < 3^mu */
    vw_printf(v, "wire [%d:0] wgt_native;  // key q at [q*%d +: %d]\n", d->kq_bits - 1, kw, kw);
    vw_printf(v, "genvar gq;\n");
    vw_begin(v, "generate for (gq = 0; gq < %d; gq = gq + 1) begin : g_key\n", nk);
    for (int j = mu - 1; j >= 0; j--) {
        char dig[64];
        if (ub > 2)
            snprintf(dig, sizeof dig, "{%d'd0, wgt_d[(gq*%d + %d)*2 +: 2]}", ub - 2, mu, j);
        else
            snprintf(dig, sizeof dig, "wgt_d[(gq*%d + %d)*2 +: 2]", mu, j);
        if (j == mu - 1)
            vw_printf(v, "wire [%d:0] h%d = %s;\n", ub - 1, j, dig);
        else
            vw_printf(v, "wire [%d:0] h%d = {h%d[%d:0], 1'b0} + h%d + %s;\n", ub - 1, j, j + 1,
                      ub - 2, j + 1, dig);
    }
    vw_printf(v, "wire [%d:0] v = {1'b0, h0} - %d'd%ld;\n", ub, ub + 1, (p3 - 1) / 2);
    vw_printf(v, "wire [%d:0] mag = v[%d] ? -v[%d:0] : v[%d:0];\n", kw - 2, ub, kw - 2, kw - 2);
    vw_printf(v, "assign wgt_native[gq*%d +: %d] = {v[%d], mag};\n", kw, kw, ub);
    if (ub - 1 >= kw - 1)
        vw_printf(v, "/* verilator lint_off UNUSEDSIGNAL */\n"
                     "wire unused_v = ^v[%d:%d];  // |v| < 2^%d\n"
                     "/* verilator lint_on UNUSEDSIGNAL */\n", ub - 1, kw - 1, kw - 1);
    vw_end(v, "end endgenerate\n");
    inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, ub, 2, 2L * (mu - 1) * nk);
    inv_add(inv, COMP_KEY_SELECT, PRIM_ADD, ub + 1, 2, nk);
    inv_add(inv, COMP_KEY_SELECT, PRIM_NEG, kw - 1, 0, nk);
}

/* Block-scaled: the elements' integers into integer tables (with lut_reg
 * registered when the weight beat is taken, reading the buffer one beat
 * ahead as the integer core does), integer read
 * ports and trees as in the integer core; special-value flags beside
 * them; then per output the block sum and its converter (gen/mxdp.c). */
static void tlut_mx_datapath(const struct design_point *dp, struct vw *v,
                             struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int L = (int)dp->luts, K = d->outputs, mu = (int)dp->mu, iw = d->elem_bits;
    int ne = d->entries, ew = d->entry_bits, kw = d->key_bits, D = d->term_depth;
    int nf = d->mx_flags, fe = nf == 3 ? 3 : 1;
    mx_decode(dp, v, inv);
    if (nf) {
        vw_printf(v, "wire [%d:0] afl;  // lane i: {-Inf, +Inf, NaN} at [i*3 +: 3]\n",
                  d->tile_cols * 3 - 1);
        vw_printf(v, "genvar gf;\n"); /* apart: a batch column drops "generate" */
        vw_printf(v, "generate for (gf = 0; gf < %d; gf = gf + 1) begin : g_fl\n"
                     "    assign afl[gf*3 +: 3] = {fl_m[gf], fl_p[gf], fl_n[gf]};\n"
                     "end endgenerate\n", d->tile_cols);
        vw_printf(v, "wire [%d:0] fent; // entry flags of LUT l at [l*%d +: %d]\n",
                  L * ne * fe - 1, ne * fe, ne * fe);
    }
    tables_begin(v, L, ne, ew);
    vw_printf(v, "tf_tlut_lut u_lut (%s.acts(ai[gl*%d +: %d]), ",
              dp->lut_reg ? ".clk(clk), .en(wgt_fire), " : "", mu * iw, mu * iw);
    if (nf)
        vw_printf(v, ".fl(afl[gl*%d +: %d]), .fent(fent[gl*%d +: %d]), ", mu * 3, mu * 3,
                  ne * fe, ne * fe);
    vw_printf(v, ".entries(ent[gl*%d +: %d]));\n", ne * ew, ne * ew);
    vw_end(v, "end endgenerate\n");
    /* The tables are valid with the weight beat (registered ones read a
     * beat ahead): no key delay. */
    const char *keys = "kq";
    if (D)
        BUG("block-scaled tables have no build latency (term_depth %d)", D);
    vw_printf(v, "wire [%d:0] sel_v;\n", K * L * ew - 1);
    if (nf)
        vw_printf(v, "wire [%d:0] sel_f;  // flags of term (k, l) at [(k*%d + l)*%d +: %d]\n",
                  K * L * fe - 1, L, fe, fe);
    emit_sel(v, "u_sel", -1, keys, "ent", "sel_v", ne, ew, kw, L, K);
    if (nf) /* the key's sign flips infsign (FLOAT=1); a 1-bit NaN flag negates to itself */
        emit_sel(v, "u_fsel", fe == 3, keys, "fent", "sel_f", ne, fe, kw, L, K);
    inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, ew, ne + 1, (long)K * L);
    inv_add(inv, COMP_SIGN, PRIM_NEG, ew, 0, (long)K * L);
    if (nf)
        inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, fe, ne + 1, (long)K * L);
    emit_trees(dp, v, inv, "sel_v", L, ew, 1);
    if (nf) {
        char body[512];
        if (nf == 3) /* {infsign, inf, nan} back to NaN, +Inf, -Inf */
            snprintf(body, sizeof body,
                     "tf[ik*3]   = tf[ik*3]   | sel_f[(ik*%d + i)*3];\n"
                     "tf[ik*3+1] = tf[ik*3+1] | (sel_f[(ik*%d + i)*3+1] & ~sel_f[(ik*%d + i)*3+2]);\n"
                     "tf[ik*3+2] = tf[ik*3+2] | (sel_f[(ik*%d + i)*3+1] & sel_f[(ik*%d + i)*3+2]);\n",
                     L, L, L, L, L);
        else
            snprintf(body, sizeof body, "tf[ik] = tf[ik] | sel_f[ik*%d + i];\n", L);
        mx_flags_or(dp, v, L, body);
    }
    mx_blocks(dp, v, inv, 1);
}

int tlut_emit(const struct design_point *dp, struct gen_files *out,
              struct inventory *inv)
{
    if (dp->d.mx) {
        struct shell sh = { "ternary LUT core (block-scaled activations), top level",
                            dp->d.prefetch, tlut_mx_datapath, NULL, "docs/weights.md",
                            tlut_from_digits };
        shell_files(dp, &sh, out, inv);
        gf_add(out, "tf_tlut_lut.v", emit_lut(dp, inv, 0));
        mx_templates(dp, out);
    } else if (dp->d.fp) {
        struct shell sh = { "ternary LUT core (floating point), top level", 0, tlut_fp_datapath,
                            NULL, "docs/weights.md", tlut_from_digits };
        shell_files(dp, &sh, out, inv);
        gf_add(out, "tf_tlut_lut.v", emit_fp_lut(dp, inv));
    } else {
        struct shell sh = { "ternary LUT core, top level", dp->d.prefetch, tlut_datapath, NULL,
                            "docs/weights.md", tlut_from_digits };
        shell_files(dp, &sh, out, inv);
        gf_add(out, "tf_tlut_lut.v", emit_lut(dp, inv, 1));
        gf_add(out, "tf_tlut_ports.v", emit_ports(dp));
    }
    if (dp->d.mx || dp->d.fp)
        gf_add_template(out, dp, "tf_tlut_sel.v");
    fp_templates(dp, out, 0);
    return 0;
}
