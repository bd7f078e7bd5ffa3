/* fixp.c - Verilog emitter of the fixed-point MAC core (kind "fixp"): an
 * R x C array of products (a signed multiplier per MAC, or for pow2 weights
 * a shifter, a negation and a zero gate: no multiplier), R adder trees,
 * then the shell's accumulators (wrapping or saturating) and one
 * tf_fxconv per output for the ap_fixed rounding and overflow modes. */
#include <stdlib.h>

#include "../model/fixp.h"
#include "fixq.h"
#include "kinds.h"
#include "shell.h"
#include "vw.h"

static void fixp_datapath(const struct design_point *dp, struct vw *v,
                          struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    int xw = (int)dp->x_width, xs = d->x_ext, C = d->tile_cols, R = d->outputs;
    int tb = d->term_bits, wb = d->wcode_bits;
    vw_printf(v, "// ---- products: codes at %d fraction bits -------------------------\n",
              d->acc_frac);
    vw_printf(v, "wire [%d:0] term_v;  // product (r, c) at [(r*%d + c)*%d +: %d]\n",
              R * C * tb - 1, C, tb, tb);
    vw_printf(v, "genvar gr, gc;\n");
    vw_begin(v, "generate for (gr = 0; gr < %d; gr = gr + 1) begin : g_row\n", R);
    vw_begin(v, "for (gc = 0; gc < %d; gc = gc + 1) begin : g_col\n", C);
    vw_printf(v, "wire [%d:0] xr = ram_q[gc*%d +: %d];\n", xw - 1, xw, xw);
    vw_printf(v, "wire [%d:0] wr = kq[(gr*%d + gc)*%d +: %d];\n", wb - 1, C, wb, wb);
    if (dp->x_signed)
        vw_printf(v, "wire signed [%d:0] xv = xr;\n", xs - 1);
    else
        vw_printf(v, "wire signed [%d:0] xv = {1'b0, xr};\n", xs - 1);
    if (dp->w_encoding == WENC_INT) {
        int ws = d->w_ext;
        if (dp->w_signed)
            vw_printf(v, "wire signed [%d:0] wv = wr;\n", ws - 1);
        else
            vw_printf(v, "wire signed [%d:0] wv = {1'b0, wr};\n", ws - 1);
        vw_printf(v, "wire signed [%d:0] pr = xv * wv;\n", tb - 1);
        vw_printf(v, "assign term_v[(gr*%d + gc)*%d +: %d] = pr;\n", C, tb, tb);
    } else {
        int eb = d->exp_bits;
        char *xe = vw_sext("xv", xs, tb);
        vw_printf(v, "// weight {nz, sign, e}: +-x * 2^(e + %d) at the product scale\n",
                  d->shift_base);
        vw_printf(v, "wire [%d:0] xe = %s;\n", tb - 1, xe);
        vw_printf(v, "wire [%d:0] sh = (xe << %d) << wr[%d:0];\n", tb - 1, d->shift_base,
                  eb - 1);
        vw_printf(v, "assign term_v[(gr*%d + gc)*%d +: %d] = !wr[%d] ? %d'd0 : "
                     "wr[%d] ? -sh : sh;\n", C, tb, tb, eb + 1, tb, eb);
        free(xe);
    }
    vw_end(v, "end\n");
    vw_end(v, "end endgenerate\n\n");
    long n = (long)R * C;
    if (dp->w_encoding == WENC_INT) {
        inv_add(inv, COMP_MULTIPLIER, PRIM_MUL, xs, d->w_ext, n);
    } else {
        inv_add(inv, COMP_MULTIPLIER, PRIM_SHIFT, tb, 1 << d->exp_bits, n);
        inv_add(inv, COMP_SIGN, PRIM_NEG, tb, NEG_MERGED, n);
        inv_add(inv, COMP_KEY_SELECT, PRIM_SEL, tb, 2, n);
    }
    emit_trees(dp, v, inv, "term_v", C, tb, 1);
}

static void fixp_convert(const struct design_point *dp, struct vw *v, struct inventory *inv)
{
    const struct dp_derived *d = &dp->d;
    vw_printf(v, "\n// ---- results: accumulator (%d fraction bits) -> ap_%sfixed<%ld,%ld>, "
                 "%s, %s ----\n", d->acc_frac, dp->y_signed ? "" : "u", dp->y_width,
              dp->y_int, fx_quant_names[dp->quant], fx_ovf_names[dp->overflow]);
    for (int k = 0; k < d->acc_lanes; k++) {
        vw_printf(v, "wire [%d:0] lane%d;\n", d->lane_bits - 1, k);
        vw_printf(v, "tf_fxconv #(.IN_BITS(%d), .SHIFT(%d), .OUT_BITS(%d), .OUT_SIGNED(%ld), "
                     ".QUANT(%ld), .OVF(%ld))\n    u_conv%d (.x(sum%d), .y(lane%d));\n",
                  d->acc_bits, d->conv_shift, d->lane_bits, dp->y_signed, dp->quant,
                  dp->overflow, k, k, k);
    }
    fxconv_inventory(dp, inv);
}

int fixp_emit(const struct design_point *dp, struct gen_files *out,
              struct inventory *inv)
{
    struct shell sh = { "fixed-point MAC core, top level", 0, fixp_datapath, fixp_convert,
                        "docs/fixed-point.md (the fixp core)", NULL };
    shell_files(dp, &sh, out, inv);
    gf_add_template(out, dp, "tf_fxconv.v");
    return 0;
}
