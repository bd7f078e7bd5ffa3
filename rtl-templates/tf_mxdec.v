// tf_mxdec - an OCP MX / NVFP4 floating-point element code as its exact two's-complement integer, with NaN and infinity flags.
// The element has EXP exponent bits and MAN fraction bits; its integer is
// value * 2^(bias - 1 + MAN) (the element's smallest ulp is 1): a
// subnormal code gives its fraction, a normal code (1.fraction) shifted
// left by exponent - 1, negated when the sign bit is set (-0 gives 0).
// SPECIAL = 0: every code is a number (FP6, FP4); SPECIAL = 1: E4M3 style,
// the codes S.1111.111 are NaN; SPECIAL = 2: IEEE style (E5M2), exponent
// all ones is infinity (fraction 0) or NaN. Special codes give integer 0
// and raise nan_o, pinf_o or ninf_o, so the integer datapath carries them
// beside the sum (docs/block-scaled.md). IW = 2 + MAN + emax - 1 with emax
// the largest exponent field of a finite code: the exact width.
// Purely combinational. Parameters (not checked here): EXP >= 2, MAN >= 1,
// IW as above.
`default_nettype none
module tf_mxdec #(
    parameter EXP     = 2,
    parameter MAN     = 1,
    parameter SPECIAL = 0,
    parameter IW      = 5
) (
    input  wire [EXP+MAN:0] a,
    output wire [IW-1:0]    v,
    output wire             nan_o,
    output wire             pinf_o,
    output wire             ninf_o
);
    wire           sgn  = a[EXP+MAN];
    wire [EXP-1:0] e    = a[EXP+MAN-1:MAN];
    wire [MAN-1:0] f    = a[MAN-1:0];
    wire           eall = &e;
    wire           fall = &f;
    assign nan_o  = SPECIAL == 1 ? eall && fall : SPECIAL == 2 ? eall && f != {MAN{1'b0}} : 1'b0;
    wire   inf    = SPECIAL == 2 && eall && f == {MAN{1'b0}};
    assign pinf_o = inf && !sgn;
    assign ninf_o = inf && sgn;
    // magnitude: {hidden, fraction} << (e - 1), or the fraction alone
    wire [IW-1:0] sub  = {{(IW - MAN){1'b0}}, f};
    wire [IW-1:0] nrm  = {{(IW - MAN - 1){1'b0}}, 1'b1, f} << (e - {{(EXP - 1){1'b0}}, 1'b1});
    wire [IW-1:0] mag  = nan_o || inf ? {IW{1'b0}} : e == {EXP{1'b0}} ? sub : nrm;
    assign v = sgn ? ~mag + {{(IW - 1){1'b0}}, 1'b1} : mag;
endmodule
`default_nettype wire
