// tf_fpadd - IEEE 754 floating-point adder for any binary format, y = a + b.
// The format has EXP exponent bits and MAN fraction bits (fp16 = 5/10,
// bf16 = 8/7, fp32 = 8/23). Rounding is to nearest, ties to even; subnormal
// inputs and results are kept (gradual underflow, never flushed); overflow
// gives infinity. An exact zero sum of operands with opposite signs
// (x + (-x)) is +0, (-0) + (-0) is -0. inf + (-inf) and every NaN input give
// the canonical quiet NaN (sign 0, exponent all ones, fraction 10...0): NaN
// payloads are not propagated, so a NaN leaving the unit has one encoding.
//
// Why it is built this way: IEEE encodings of the same sign order like
// integers, so one compare of the magnitude bits picks the operand of larger
// magnitude ("big"); the exponent difference is then never negative and only
// the smaller operand is shifted right. It is aligned with three extra bits
// (guard, round, and a sticky bit that ORs in everything shifted further
// out). Three bits suffice for a correctly rounded sum and difference: when
// bits were lost into the sticky bit the exponents differ by two or more, so
// a difference needs at most one bit of left normalization, and the sticky
// bit stands for a value strictly between two multiples of the round bit's
// weight, as the true tail does; when the exponents differ by at most one
// nothing is lost and the result, however far it cancels, is exact.
// Normalization shifts left by the leading-zero count but never below the
// minimum exponent, which yields subnormal results without a separate path.
// Rounding adds 1 to the packed {exponent, fraction}: a carry out of the
// fraction bumps the exponent (subnormal to normal, or up to infinity).
// Special operands only raise flags that override the packed result.
//
// Pipeline: LATENCY = 0 is purely combinational (clk is unused). LATENCY =
// L > 0 gives y = a + b for the a, b present L rising clock edges earlier,
// new operands every cycle (no enable, no reset: the caller tracks which
// results are valid). The datapath has five steps and four cut points:
//   1 unpack, compare, swap | 2 align | 3 add | 4 normalize | 5 round, pack
// L = 1 registers after step 3; L = 2 after 2 and 4; L = 3 after 2, 3 and 4;
// L = 4 after 1, 2, 3 and 4; L > 4 adds L - 4 registers on the output.
//
// Parameters (not checked here): EXP >= 2, MAN >= 2, LATENCY >= 0.
`default_nettype none
module tf_fpadd #(
    parameter EXP     = 5,
    parameter MAN     = 10,
    parameter LATENCY = 0
) (
    input  wire             clk,
    input  wire [EXP+MAN:0] a,
    input  wire [EXP+MAN:0] b,
    output wire [EXP+MAN:0] y
);
    localparam W   = EXP + MAN + 1;                 // format width
    localparam AW  = MAN + 4;                       // significand, guard, round, sticky
    localparam SW  = AW + 1;                        // sum: one carry bit on top
    localparam DW  = $clog2(AW + 1);                // alignment shift 0..AW
    localparam LZW = $clog2(SW + 1);                // leading zeros 0..SW
    localparam XW  = (EXP > DW ? EXP : DW) + 1;     // exponent difference
    localparam CW  = (EXP > LZW ? EXP : LZW) + 1;   // normalization exponent
    localparam [31:0]   AW32   = AW;
    localparam [XW-1:0] AW_X   = AW32[XW-1:0];
    localparam [31:0]   EMAX32 = (1 << EXP) - 1;
    localparam [CW-1:0] EMAX_C = EMAX32[CW-1:0];     // exponent field all ones
    localparam [CW-1:0] ONE_C  = 1;
    localparam [W-1:0]  QNAN   = {1'b0, {EXP{1'b1}}, 1'b1, {(MAN - 1){1'b0}}};
    // Register after step k+1 when CUTS[k] is set; OUTREGS more at the end.
    localparam [3:0] CUTS = LATENCY <= 0 ? 4'b0000 :
                            LATENCY == 1 ? 4'b0100 :
                            LATENCY == 2 ? 4'b1010 :
                            LATENCY == 3 ? 4'b1110 : 4'b1111;
    localparam OUTREGS = LATENCY > 4 ? LATENCY - 4 : 0;

    // Leading zeros of a sum (SW when it is zero).
    localparam [31:0]    SW32  = SW;
    localparam [LZW-1:0] SW_L  = SW32[LZW-1:0];
    localparam [LZW-1:0] ONE_L = 1;
    function [LZW-1:0] lzc;
        input [SW-1:0] v;
        integer i;
        begin
            lzc = SW_L;
            for (i = 0; i < SW; i = i + 1)
                if (v[i])
                    lzc = SW_L - ONE_L - i[LZW-1:0];
        end
    endfunction

    // ------------------------------------------- 1: unpack, compare, swap
    // The sign of the result is that of big, except that an exact
    // cancellation (equal magnitudes, opposite signs) gives +0.
    wire           sub   = a[W-1] ^ b[W-1];       // effective subtraction
    wire           a_ge  = a[W-2:0] >= b[W-2:0];  // |a| >= |b|
    wire           same  = a[W-2:0] == b[W-2:0];
    wire [W-1:0]   big   = a_ge ? a : b;
    wire [W-2:0]   sml   = a_ge ? b[W-2:0] : a[W-2:0];
    wire [EXP-1:0] bexp  = big[W-2:MAN];
    wire [EXP-1:0] sexp  = sml[W-2:MAN];
    wire           b_nrm = |bexp;                 // hidden bit of big
    wire           s_nrm = |sexp;
    // effective exponents: a subnormal (field 0) has the exponent of field 1
    wire [EXP-1:0] b_e   = {bexp[EXP-1:1], bexp[0] | ~b_nrm};
    wire [EXP-1:0] s_e   = {sexp[EXP-1:1], sexp[0] | ~s_nrm};
    wire [XW-1:0]  ediff = {{(XW - EXP){1'b0}}, b_e - s_e};
    wire [DW-1:0]  d1    = ediff > AW_X ? AW_X[DW-1:0] : ediff[DW-1:0];
    wire a_top = &a[W-2:MAN];
    wire b_top = &b[W-2:MAN];
    wire a_inf = a_top & ~|a[MAN-1:0];
    wire b_inf = b_top & ~|b[MAN-1:0];
    wire nan1  = (a_top & |a[MAN-1:0]) | (b_top & |b[MAN-1:0]) | (a_inf & b_inf & sub);
    wire inf1  = a_inf | b_inf;                   // sign of big is the inf's sign
    wire sgn1  = big[W-1] & ~(same & sub);

    localparam B1 = 4 + EXP + 2 * (MAN + 1) + DW;
    wire [B1-1:0] s1_d = {nan1, inf1, sgn1, sub, b_e, b_nrm, big[MAN-1:0],
                          s_nrm, sml[MAN-1:0], d1};
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

    // ------------------------------------------------------------ 2: align
    wire [AW-1:0] s_ext = {s1[MAN+DW:DW], 3'b000};   // {s_nrm, fraction, GRS}
    wire [DW-1:0] d2    = s1[DW-1:0];
    wire [AW-1:0] s_shr = s_ext >> d2;
    wire          lost  = |(s_ext & ~({AW{1'b1}} << d2));
    wire [AW-1:0] s_al  = {s_shr[AW-1:1], s_shr[0] | lost};

    localparam B2 = 4 + EXP + (MAN + 1) + AW;
    wire [B2-1:0] s2_d = {s1[B1-1:MAN+1+DW], s_al};  // flags, b_e, big significand
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

    // -------------------------------------------------------------- 3: add
    wire [SW-1:0] big_x = {1'b0, s2[AW+MAN:AW], 3'b000};
    wire [SW-1:0] sml_x = {1'b0, s2[AW-1:0]};
    wire          sub2  = s2[B2-4];
    wire [SW-1:0] sum   = sub2 ? big_x - sml_x : big_x + sml_x;

    localparam B3 = 3 + EXP + SW;
    wire [B3-1:0] s3_d = {s2[B2-1:B2-3], s2[B2-5:AW+MAN+1], sum}; // nan, inf, sign, b_e
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

    // -------------------------------------------------------- 4: normalize
    // Shift left by the leading zeros, but at most down to exponent 1; nrm's
    // top bit is then the hidden bit at exponent e4 (0 for a subnormal).
    // Bits shifted out are zeros, as the shift never exceeds the count.
    wire [SW-1:0]  sum4  = s3[SW-1:0];
    wire [CW-1:0]  lz_x  = {{(CW - LZW){1'b0}}, lzc(sum4)};
    wire [CW-1:0]  be_x  = {{(CW - EXP){1'b0}}, s3[B3-4:SW]};
    wire [CW-1:0]  nsh   = lz_x < be_x ? lz_x : be_x;
    wire [SW-1:0]  nrm   = sum4 << nsh;
    wire [CW-1:0]  e4    = be_x + ONE_C - nsh;     // >= 1
    wire           ovf4  = e4 >= EMAX_C;
    wire [EXP-1:0] ef4   = nrm[SW-1] ? e4[EXP-1:0] : {EXP{1'b0}};

    localparam B4 = 3 + EXP + MAN + 2;
    // nan, inf, sign, exponent field, fraction, round bit, sticky bit
    wire [B4-1:0] s4_d = {s3[B3-1], s3[B3-2] | ovf4, s3[B3-3], ef4,
                          nrm[SW-2:4], nrm[3], |nrm[2:0]};
    wire [B4-1:0] s4;
    generate
        if (CUTS[3]) begin : g_reg4
            reg [B4-1:0] q;
            always @(posedge clk) q <= s4_d;
            assign s4 = q;
        end else begin : g_wire4
            assign s4 = s4_d;
        end
    endgenerate

    // ------------------------------------------------------ 5: round, pack
    wire         inc = s4[1] & (s4[0] | s4[2]);    // round & (sticky | lsb)
    wire [W-2:0] mag = s4[W:2] + {{(W - 2){1'b0}}, inc};
    wire [W-1:0] y5  = s4[B4-1] ? QNAN :
                       s4[B4-2] ? {s4[B4-3], {EXP{1'b1}}, {MAN{1'b0}}} :
                                  {s4[B4-3], mag};

    generate
        if (OUTREGS > 0) begin : g_out
            reg [W-1:0] q [0:OUTREGS-1];
            integer     i;
            always @(posedge clk) begin
                q[0] <= y5;
                for (i = 1; i < OUTREGS; i = i + 1)
                    q[i] <= q[i-1];
            end
            assign y = q[OUTREGS-1];
        end else begin : g_comb
            assign y = y5;
        end
        if (LATENCY <= 0) begin : g_noclk
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_clk = clk; // no registers: combinational instance
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate
endmodule
`default_nettype wire
