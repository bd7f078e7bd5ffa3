// tf_fxconv - combinational requantizer into an ap_fixed / ap_ufixed code.
// The input code x (IN_BITS, two's complement) stands for x * 2^-F_in and
// the output code y for y * 2^-F_out, with SHIFT = F_in - F_out. The module
// rounds x * 2^-SHIFT to an integer with quantization mode QUANT, then, only
// if that rounded value lies outside the output range (OUT_BITS bits,
// signed or unsigned), applies overflow mode OVF. This is bit-exact with
// fx_convert() of model/fixq.c (docs/fixed-point.md defines the modes), so
// the C model and the RTL agree on every code. The output's integer-bit
// count does not matter here: only SHIFT and OUT_BITS do.
//
// Why it is cheap: every rounding mode yields floor(x * 2^-SHIFT) or that
// plus one, so rounding is an arithmetic shift (wiring), a small decision
// from the sign, the first dropped bit (half), the OR of the other dropped
// bits (rest) and the kept LSB, and one incrementer. The rounded value r
// keeps one bit more than the floor so the increment cannot wrap. The
// overflow check then asks whether the bits of r above the output agree
// (signed) or are all zero (unsigned); saturation values are constants.
// Parameters are folded at elaboration: generate branches cover SHIFT <= 0
// (an exact left shift, never rounds), SHIFT = 1 (no rest bits), SHIFT >=
// IN_BITS (every input bit is a fraction bit: the floor is the sign), and a
// rounded value narrower than, as wide as, or wider than the output.
//
// Parameters (the caller must keep to these; nothing is checked here). They
// are integers, so a negative SHIFT given as its 32-bit pattern (Yosys:
// chparam -set SHIFT 32'hfffffffd) still reads as -3.
//   IN_BITS    >= 2
//   SHIFT      any value in -64..64 (F_in - F_out)
//   OUT_BITS   >= 2 when OUT_SIGNED, >= 1 when not
//   OUT_SIGNED 1 = ap_fixed (two's complement y), 0 = ap_ufixed
//   QUANT      enum fx_quant: 0 TRN, 1 TRN_ZERO, 2 RND, 3 RND_ZERO,
//              4 RND_MIN_INF, 5 RND_INF, 6 RND_CONV
//   OVF        enum fx_ovf: 0 WRAP, 1 SAT, 2 SAT_ZERO, 3 SAT_SYM (signed:
//              negative overflow and a rounded value of exactly -2^(W-1)
//              give -max, as in AMD's ap_fixed headers; unsigned: as SAT)
`default_nettype none
module tf_fxconv #(
    parameter integer IN_BITS    = 16,
    parameter integer SHIFT      = 4,
    parameter integer OUT_BITS   = 8,
    parameter integer OUT_SIGNED = 1,
    parameter integer QUANT      = 0,
    parameter integer OVF        = 0
) (
    input  wire [IN_BITS-1:0]  x,
    output wire [OUT_BITS-1:0] y
);
    // Rounding works on x sign-extended to XW bits, so that there are at
    // least SHIFT fraction bits and one integer bit. FW = bits of the floor,
    // RW = bits of the rounded value r (two's complement).
    localparam XW = SHIFT >= IN_BITS ? SHIFT + 1 : IN_BITS;
    localparam FW = SHIFT > 0 ? XW - SHIFT : 1;
    localparam RW = SHIFT > 0 ? FW + 1 : IN_BITS - SHIFT;

    wire [RW-1:0] r; // x * 2^-SHIFT rounded with QUANT
    wire          s; // sign of r

    // ------------------------------------------------------------ round
    generate
        if (SHIFT > 0) begin : g_round
            wire [XW-1:0] xe;
            if (XW > IN_BITS) begin : g_ext
                assign xe = {{(XW - IN_BITS){x[IN_BITS-1]}}, x};
            end else begin : g_noext
                assign xe = x;
            end
            wire [FW-1:0] fl   = xe[XW-1:SHIFT]; // floor(x * 2^-SHIFT)
            wire          neg  = x[IN_BITS-1];
            wire          half = xe[SHIFT-1];     // dropped part >= 1/2
            wire          rest;                   // dropped part not in {0, 1/2}
            if (SHIFT > 1) begin : g_rest
                assign rest = |xe[SHIFT-2:0];
            end else begin : g_norest
                assign rest = 1'b0;
            end
            // Step up from the floor? half and rest classify the dropped
            // part d: 0 (neither), below 1/2 (rest), exactly 1/2 (half
            // alone: a tie, which the mode breaks), above 1/2 (both).
            wire inc = QUANT == 1 ? neg & (half | rest) :   // TRN_ZERO
                       QUANT == 2 ? half :                  // RND: tie up
                       QUANT == 3 ? half & (rest | neg) :   // RND_ZERO
                       QUANT == 4 ? half & rest :           // RND_MIN_INF
                       QUANT == 5 ? half & (rest | ~neg) :  // RND_INF
                       QUANT == 6 ? half & (rest | fl[0]) : // RND_CONV: even
                                    1'b0;                   // TRN (floor)
            assign r = {fl[FW-1], fl} + {{FW{1'b0}}, inc};
        end else if (SHIFT < 0) begin : g_left
            assign r = {x, {(-SHIFT){1'b0}}};
        end else begin : g_same
            assign r = x;
        end
    endgenerate
    assign s = r[RW-1];

    // --------------------------------------------------------- overflow
    wire [OUT_BITS-1:0] wrap; // low OUT_BITS bits of r (sign-extended)
    wire                ovf;  // r outside the output range
    wire                sat;  // ovf, or SAT_SYM's -2^(W-1) (becomes -max)
    wire [OUT_BITS-1:0] maxv; // largest code
    wire [OUT_BITS-1:0] minv; // code for a negative overflow under SAT/SAT_SYM
    generate
        if (RW >= OUT_BITS) begin : g_trunc
            assign wrap = r[OUT_BITS-1:0];
        end else begin : g_sext
            assign wrap = {{(OUT_BITS - RW){s}}, r};
        end
        if (OUT_SIGNED != 0) begin : g_signed
            if (RW > OUT_BITS) begin : g_check
                // in range iff bits RW-1..OUT_BITS-1 are all equal
                wire [RW-OUT_BITS:0] top = r[RW-1:OUT_BITS-1];
                assign ovf = ~(&top | ~|top);
            end else begin : g_fits
                assign ovf = 1'b0;
            end
            // SAT_SYM never outputs -2^(W-1): an in-range r of exactly that
            // value is treated as a negative overflow (docs/fixed-point.md).
            assign sat = ovf | (OVF == 3 && wrap == {1'b1, {(OUT_BITS - 1){1'b0}}});
            assign maxv = {1'b0, {(OUT_BITS - 1){1'b1}}};
            // -2^(W-1) for SAT; -(2^(W-1)-1) = -max for SAT_SYM
            assign minv = {1'b1, {(OUT_BITS - 1){1'b0}}} |
                          {{(OUT_BITS - 1){1'b0}}, OVF == 3};
        end else begin : g_unsigned
            if (RW > OUT_BITS + 1) begin : g_check
                assign ovf = s | (|r[RW-2:OUT_BITS]);
            end else begin : g_neg
                assign ovf = s; // only a negative value is out of range
            end
            assign sat  = ovf;
            assign maxv = {OUT_BITS{1'b1}};
            assign minv = {OUT_BITS{1'b0}};
        end
    endgenerate

    assign y = !sat || OVF == 0 ? wrap :             // in range, or WRAP
               OVF == 2         ? {OUT_BITS{1'b0}} : // SAT_ZERO
               s                ? minv : maxv;       // SAT, SAT_SYM
endmodule
`default_nettype wire
