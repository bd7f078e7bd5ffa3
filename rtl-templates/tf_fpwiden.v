// tf_fpwiden - exact conversion of a narrow floating-point code into a wider format.
// The input format has IEXP exponent bits, IMAN fraction bits and bias IBIAS;
// IHAS_INF = 1 makes it IEEE-like (exponent all ones: infinity when the
// fraction is 0, NaN otherwise), IHAS_INF = 0 is the OCP FP8 E4M3 style (no
// infinities; exponent and fraction all ones are the only NaNs, every other
// code with exponent all ones is a normal number, e.g. 448 in E4M3). The
// output is an IEEE binary format (OEXP, OMAN, bias OBIAS) wide enough to
// hold every input value exactly, so nothing is ever rounded: E4M3 (4/3/7)
// and E5M2 (5/2/15) into fp16 (5/10/15), bf16 (8/7/127) and fp32
// (8/23/127), fp16 and bf16 into fp32. Signed zeros keep their sign,
// infinities stay infinite, and every NaN becomes the output's canonical
// quiet NaN (sign 0, exponent all ones, fraction 10...0).
//
// Why it is built this way: a value is its significand (hidden bit 1 for
// normal codes, 0 for subnormal ones) times two to the effective exponent,
// and the output exponent is that exponent rebiased. A subnormal input is
// shifted left by its leading zeros, but never below output exponent 1, so
// one shifter yields a normal output when the output range reaches further
// down (E4M3 into fp16) and keeps a subnormal one when it does not (E5M2
// into fp16, bf16 into fp32). The fraction is padded with zeros on the right.
// Purely combinational.
//
// Parameters (not checked here), which make the conversion a widening one:
// OMAN >= IMAN >= 1, OMAN >= 2, OBIAS >= IBIAS (the output reaches at least
// as far down), and the output's largest finite exponent 2^OEXP - 2 - OBIAS
// is at least the input's: 2^IEXP - 1 - IBIAS when IHAS_INF = 0, and
// 2^IEXP - 2 - IBIAS when IHAS_INF = 1.
`default_nettype none
module tf_fpwiden #(
    parameter IEXP     = 4,
    parameter IMAN     = 3,
    parameter IBIAS    = 7,
    parameter IHAS_INF = 0,
    parameter OEXP     = 5,
    parameter OMAN     = 10,
    parameter OBIAS    = 15
) (
    input  wire [IEXP+IMAN:0] a,
    output wire [OEXP+OMAN:0] y
);
    localparam IW  = IEXP + IMAN + 1;
    localparam OW  = OEXP + OMAN + 1;
    localparam GW  = IMAN + 1;                          // input significand
    localparam ZW  = $clog2(GW + 1);                    // leading zeros 0..GW
    localparam MW  = IEXP > ZW ? IEXP : ZW;
    localparam XW  = (OEXP > MW ? OEXP : MW) + 1;       // exponent arithmetic
    localparam [31:0]   DB32  = OBIAS - IBIAS;
    localparam [XW-1:0] DBIAS = DB32[XW-1:0];
    localparam [XW-1:0] ONE_X = 1;
    localparam [31:0]   GW32  = GW;
    localparam [ZW-1:0] GW_Z  = GW32[ZW-1:0];
    localparam [ZW-1:0] ONE_Z = 1;
    localparam [OW-1:0] QNAN  = {1'b0, {OEXP{1'b1}}, 1'b1, {(OMAN - 1){1'b0}}};

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

    wire [IEXP-1:0] ie   = a[IW-2:IMAN];
    wire [IMAN-1:0] fi   = a[IMAN-1:0];
    wire            itop = &ie;
    wire            nan  = IHAS_INF != 0 ? itop & |fi : itop & &fi;
    wire            inf  = IHAS_INF != 0 && itop && ~|fi;
    wire [GW-1:0]   sig  = {|ie, fi};
    // e0: output exponent of the significand's hidden position (the input's
    // effective exponent, field 0 counting as 1, rebiased); >= 1
    wire [XW-1:0]   e0   = {{(XW - IEXP){1'b0}}, ie[IEXP-1:1], ie[0] | ~|ie} + DBIAS;
    wire [XW-1:0]   lz   = {{(XW - ZW){1'b0}}, lzc(sig)};
    wire [XW-1:0]   lim  = e0 - ONE_X;                  // shift that reaches exponent 1
    wire [XW-1:0]   sh   = lz < lim ? lz : lim;
    wire [GW-1:0]   nrm  = sig << sh;                   // zero stays zero
    // sh <= e0 - 1 < 2^OEXP, so the low OEXP bits carry the whole difference
    wire [OEXP-1:0] oe   = nrm[IMAN] ? e0[OEXP-1:0] - sh[OEXP-1:0] : {OEXP{1'b0}};
    wire [OMAN-1:0] ofr;
    generate
        if (OMAN > IMAN) begin : g_pad
            assign ofr = {nrm[IMAN-1:0], {(OMAN - IMAN){1'b0}}};
        end else begin : g_same
            assign ofr = nrm[IMAN-1:0];
        end
    endgenerate

    assign y = nan ? QNAN :
               inf ? {a[IW-1], {OEXP{1'b1}}, {OMAN{1'b0}}} :
                     {a[IW-1], oe, ofr};
endmodule
`default_nettype wire
