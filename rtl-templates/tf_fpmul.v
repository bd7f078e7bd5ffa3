// tf_fpmul - IEEE 754 floating-point multiplier for any binary format, y = a * b.
// The format has EXP exponent bits and MAN fraction bits (fp16 = 5/10,
// bf16 = 8/7, fp32 = 8/23). Rounding is to nearest, ties to even; subnormal
// inputs and results are kept (gradual underflow, never flushed); overflow
// gives infinity. The sign is the XOR of the operand signs, also for zero
// and infinite results. inf * 0 and every NaN input give the canonical quiet
// NaN (sign 0, exponent all ones, fraction 10...0): NaN payloads are not
// propagated, so a NaN leaving the unit has one encoding.
//
// Why it is built this way: each significand is normalized before the
// multiply (a subnormal operand is shifted left by its leading zeros and its
// exponent lowered to match), so the product of two significands in
// [1, 2) lies in [1, 4) and needs at most one bit of normalization: the
// wide product never goes through a leading-zero count. Only a result below
// the normal range needs a variable shift, to the right, into the subnormal
// position; the bits it drops are ORed into the sticky bit, and shifts
// beyond MAN + 2 all give the same (round-to-zero-or-min-subnormal) outcome,
// so the shift is capped there. Rounding adds 1 to the packed {exponent,
// fraction}: a carry out of the fraction bumps the exponent (subnormal to
// normal, or up to infinity). Special operands only raise flags that
// override the packed result. The exponent works in EW-bit two's complement
// so that products far below the subnormal range stay distinguishable.
//
// Pipeline: LATENCY = 0 is purely combinational (clk is unused). LATENCY =
// L > 0 gives y = a * b for the a, b present L rising clock edges earlier,
// new operands every cycle (no enable, no reset: the caller tracks which
// results are valid). The datapath has four steps and three cut points:
//   1 unpack, pre-normalize, add exponents | 2 multiply significands |
//   3 normalize, shift into the subnormal range | 4 round, pack
// L = 1 registers after step 2 (the product); L = 2 after 1 and 2 (inputs
// and output of the multiplier, the shape FPGA DSP blocks register);
// L = 3 after 1, 2 and 3; L > 3 adds L - 3 registers on the output.
//
// Parameters (not checked here): EXP >= 2, MAN >= 2, LATENCY >= 0.
`default_nettype none
module tf_fpmul #(
    parameter EXP     = 5,
    parameter MAN     = 10,
    parameter LATENCY = 0
) (
    input  wire             clk,
    input  wire [EXP+MAN:0] a,
    input  wire [EXP+MAN:0] b,
    output wire [EXP+MAN:0] y
);
    localparam W   = EXP + MAN + 1;                // format width
    localparam GW  = MAN + 1;                      // significand
    localparam PW  = 2 * GW;                       // product of significands
    localparam ZW  = $clog2(GW + 1);               // leading zeros 0..GW
    localparam EW  = (EXP > ZW ? EXP : ZW) + 3;    // signed exponent
    localparam RW  = $clog2(MAN + 3);              // right shift 0..MAN+2
    localparam [31:0]   BIAS32 = (1 << (EXP - 1)) - 1;
    localparam [EW-1:0] BIAS_E = BIAS32[EW-1:0];
    localparam [31:0]   EMAX32 = (1 << EXP) - 1;
    localparam [EW-1:0] EMAX_E = EMAX32[EW-1:0];    // exponent field all ones
    localparam [31:0]   RMAX32 = MAN + 2;
    localparam [EW-1:0] RMAX_E = RMAX32[EW-1:0];
    localparam [EW-1:0] ONE_E  = 1;
    localparam [31:0]   GW32   = GW;
    localparam [ZW-1:0] GW_Z   = GW32[ZW-1:0];
    localparam [ZW-1:0] ONE_Z  = 1;
    localparam [W-1:0]  QNAN   = {1'b0, {EXP{1'b1}}, 1'b1, {(MAN - 1){1'b0}}};
    // Register after step k+1 when CUTS[k] is set; OUTREGS more at the end.
    localparam [2:0] CUTS = LATENCY <= 0 ? 3'b000 :
                            LATENCY == 1 ? 3'b010 :
                            LATENCY == 2 ? 3'b011 : 3'b111;
    localparam OUTREGS = LATENCY > 3 ? LATENCY - 3 : 0;

    // Leading zeros of a significand (GW when it is zero).
    function [ZW-1:0] lzc;
        input [GW-1:0] v;
        integer i;
        begin
            lzc = GW_Z;
            for (i = 0; i < GW; i = i + 1)
                if (v[i])
                    lzc = GW_Z - ONE_Z - i[ZW-1:0];
        end
    endfunction

    // ------------------------- 1: unpack, pre-normalize, add exponents
    wire [EXP-1:0] a_exp = a[W-2:MAN];
    wire [EXP-1:0] b_exp = b[W-2:MAN];
    wire [GW-1:0]  a_sig = {|a_exp, a[MAN-1:0]};
    wire [GW-1:0]  b_sig = {|b_exp, b[MAN-1:0]};
    wire [ZW-1:0]  a_lz  = lzc(a_sig);
    wire [ZW-1:0]  b_lz  = lzc(b_sig);
    // effective exponents (a subnormal has the exponent of field 1) minus
    // the pre-normalization shifts; e1 is the biased exponent of the
    // product of the normalized significands when it is below 2
    wire [EW-1:0]  a_e   = {{(EW - EXP){1'b0}}, a_exp[EXP-1:1], a_exp[0] | ~|a_exp};
    wire [EW-1:0]  b_e   = {{(EW - EXP){1'b0}}, b_exp[EXP-1:1], b_exp[0] | ~|b_exp};
    wire [EW-1:0]  e1    = a_e - {{(EW - ZW){1'b0}}, a_lz} +
                           b_e - {{(EW - ZW){1'b0}}, b_lz} - BIAS_E;
    wire a_top  = &a_exp;
    wire b_top  = &b_exp;
    wire a_zero = ~|a[W-2:0];
    wire b_zero = ~|b[W-2:0];
    wire a_inf  = a_top & ~|a[MAN-1:0];
    wire b_inf  = b_top & ~|b[MAN-1:0];
    wire nan1   = (a_top & |a[MAN-1:0]) | (b_top & |b[MAN-1:0]) |
                  (a_inf & b_zero) | (b_inf & a_zero);

    localparam B1 = 4 + EW + 2 * GW;
    // nan, inf, zero, sign, exponent, normalized significands
    wire [B1-1:0] s1_d = {nan1, a_inf | b_inf, a_zero | b_zero, a[W-1] ^ b[W-1], e1,
                          a_sig << a_lz, b_sig << b_lz};
    wire [B1-1:0] s1;
    generate
        if (CUTS[0]) begin : g_reg1
            reg [B1-1:0] q;
            always @(posedge clk) q <= s1_d;
            assign s1 = q;
        end else begin : g_wire1
            assign s1 = s1_d;
        end
    endgenerate

    // --------------------------------------------------------- 2: multiply
    wire [PW-1:0] prod = {{GW{1'b0}}, s1[PW-1:GW]} * {{GW{1'b0}}, s1[GW-1:0]};

    localparam B2 = 4 + EW + PW;
    wire [B2-1:0] s2_d = {s1[B1-1:PW], prod};
    wire [B2-1:0] s2;
    generate
        if (CUTS[1]) begin : g_reg2
            reg [B2-1:0] q;
            always @(posedge clk) q <= s2_d;
            assign s2 = q;
        end else begin : g_wire2
            assign s2 = s2_d;
        end
    endgenerate

    // ------------------------- 3: normalize, shift into the subnormal range
    // pn has its leading one on top, at biased exponent e3. When e3 <= 0 the
    // result is subnormal (or rounds to zero): shift right by 1 - e3 so that
    // the exponent becomes 1 with a zero hidden bit.
    wire [PW-1:0]  p3   = s2[PW-1:0];
    wire [PW-1:0]  pn   = p3[PW-1] ? p3 : {p3[PW-2:0], 1'b0};
    wire [EW-1:0]  e3   = s2[PW+EW-1:PW] + {{(EW - 1){1'b0}}, p3[PW-1]};
    wire           tiny = e3[EW-1] | ~|e3;                // e3 <= 0
    wire           ovf3 = ~e3[EW-1] & (e3 >= EMAX_E);
    wire [EW-1:0]  rsh  = ONE_E - e3;                     // >= 1 when tiny
    wire [RW-1:0]  rsc  = !tiny         ? {RW{1'b0}} :
                          rsh >= RMAX_E ? RMAX_E[RW-1:0] : rsh[RW-1:0];
    wire [PW-1:0]  pd   = pn >> rsc;
    wire           lost = |(pn & ~({PW{1'b1}} << rsc));
    wire [EXP-1:0] ef3  = pd[PW-1] ? e3[EXP-1:0] : {EXP{1'b0}};

    localparam B3 = 4 + EXP + MAN + 2;
    // nan, inf, zero, sign, exponent field, fraction, round bit, sticky bit
    wire [B3-1:0] s3_d = {s2[B2-1], s2[B2-2] | ovf3, s2[B2-3:B2-4], ef3,
                          pd[PW-2:MAN+1], pd[MAN], |pd[MAN-1:0] | lost};
    wire [B3-1:0] s3;
    generate
        if (CUTS[2]) begin : g_reg3
            reg [B3-1:0] q;
            always @(posedge clk) q <= s3_d;
            assign s3 = q;
        end else begin : g_wire3
            assign s3 = s3_d;
        end
    endgenerate

    // ------------------------------------------------------ 4: round, pack
    // An overflow flag from step 3 is kept apart from a zero operand by the
    // order below: a zero operand with a finite other operand never
    // overflows, and inf * 0 is already NaN.
    wire         inc = s3[1] & (s3[0] | s3[2]);    // round & (sticky | lsb)
    wire [W-2:0] mag = s3[W:2] + {{(W - 2){1'b0}}, inc};
    wire         sgn = s3[B3-4];
    wire [W-1:0] y4  = s3[B3-1] ? QNAN :
                       s3[B3-3] ? {sgn, {(W - 1){1'b0}}} :
                       s3[B3-2] ? {sgn, {EXP{1'b1}}, {MAN{1'b0}}} :
                                  {sgn, mag};

    generate
        if (OUTREGS > 0) begin : g_out
            reg [W-1:0] q [0:OUTREGS-1];
            integer     i;
            always @(posedge clk) begin
                q[0] <= y4;
                for (i = 1; i < OUTREGS; i = i + 1)
                    q[i] <= q[i-1];
            end
            assign y = q[OUTREGS-1];
        end else begin : g_comb
            assign y = y4;
        end
        if (LATENCY <= 0) begin : g_noclk
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_clk = clk; // no registers: combinational instance
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate
endmodule
`default_nettype wire
