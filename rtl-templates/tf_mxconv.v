// tf_mxconv - block converter of block-scaled cores: an exact integer block sum times the block scale, rounded once into an IEEE format.
// The input s is the exact two's-complement block sum of element integers
// (value = s * 2^-POINT); sc is the block's scale code: SCALE = 0 is OCP
// E8M0 (2^(sc-127), sc = 255 is NaN), SCALE = 1 is NVFP4's unsigned E4M3
// (the E4M3 value of sc with the sign bit ignored, sc[6:0] = 7'h7f is NaN,
// sc[6:0] = 0 is zero). The flags say that the block holds a NaN element or
// +-infinite elements with non-zero weights. The output is
// scale * s * 2^-POINT in the IEEE format (EXP, MAN): round to nearest,
// ties to even, subnormals kept, overflow to infinity, an exact zero is +0,
// every NaN the canonical quiet NaN (sign 0, fraction 10...0). The rules
// are issue 18's contract (docs/block-scaled.md).
//
// Why it is built this way: the value is an integer pm = |s| * ms times
// 2^x, with ms the scale's significand (1 for E8M0, 0..15 for UE4M3) and
// x = scale exponent - POINT. The result's ulp is 2^q with q = the larger
// of (msb position + x - MAN) and the format's smallest ulp exponent, so
// one shift of pm by q - x (right with round-to-nearest-even, or left,
// exactly) gives the rounded significand for normal and subnormal results
// alike. Packing adds the significand to (exponent field - 1) << MAN: a
// significand carrying into bit MAN or MAN+1 bumps the exponent (subnormal
// to normal, or a rounding carry), and an exponent field reaching all ones
// is an overflow, so it becomes infinity.
//
// Pipeline: LATENCY = 0 is combinational (clk unused); LATENCY = L > 0
// registers the result L times (no enable, no reset: the caller tracks
// which results are valid).
// Parameters (not checked here): SW >= 2, 0 <= POINT < 64, EXP >= 2,
// MAN >= 2, EXP <= 11, SW >= 4.
`default_nettype none
module tf_mxconv #(
    parameter SW      = 10,
    parameter POINT   = 1,
    parameter SCALE   = 0,
    parameter EXP     = 8,
    parameter MAN     = 23,
    parameter LATENCY = 0
) (
    input  wire             clk,
    input  wire [SW-1:0]    s,
    input  wire [7:0]       sc,
    input  wire             nan_i,
    input  wire             pinf_i,
    input  wire             ninf_i,
    output wire [EXP+MAN:0] y
);
    localparam W    = EXP + MAN + 1;
    localparam MW   = SW + (SCALE != 0 ? 4 : 0);     // |s| * ms
    localparam TW   = MW + MAN + 3;                  // shifts both ways
    localparam BIAS = (1 << (EXP - 1)) - 1;
    localparam QMIN = 1 - BIAS - MAN;                // smallest ulp exponent
    localparam EINF = (1 << EXP) - 1;                // exponent field all ones
    localparam [W-1:0] QNAN = {1'b0, {EXP{1'b1}}, 1'b1, {(MAN - 1){1'b0}}};

    // -------------------------------------------------- the scale's value
    wire       e4 = SCALE != 0;
    wire [3:0] se = sc[6:3];
    wire       snan  = e4 ? sc[6:0] == 7'h7f : sc == 8'hff;
    wire       szero = e4 && sc[6:0] == 7'h00;
    wire [3:0] ms    = !e4 ? 4'd1 : {se != 4'd0, sc[2:0]};
    // scale exponent: E8M0 sc - 127; UE4M3 max(se, 1) - 7 - 3
    wire signed [31:0] sx = !e4 ? $signed({24'd0, sc}) - 32'sd127
                                : $signed({28'd0, se == 4'd0 ? 4'd1 : se}) - 32'sd10;

    // -------------------------------------------------- convert and round
    wire          neg = s[SW-1];
    wire [SW-1:0] mag = neg ? ~s + {{(SW - 1){1'b0}}, 1'b1} : s;
    wire [MW-1:0] pm;                      // |s| * ms
    generate
        if (SCALE != 0) begin : g_mul
            assign pm = {4'd0, mag} * {{(MW - 4){1'b0}}, ms};
        end else begin : g_nomul
            assign pm = mag;                   // E8M0: ms = 1
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_ms = ^ms;              // the E8M0 significand is 1
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate

    reg [W-1:0]  yc;
    reg [TW-1:0] v, sig, rem, half;
    integer      p, x, q, sh, ef, i;
    always @* begin
        v = {{(TW - MW){1'b0}}, pm};
        p = 0;
        for (i = 0; i < MW; i = i + 1)
            if (pm[i])
                p = i;
        x = sx - POINT;
        q = p + x - MAN;
        if (q < QMIN)
            q = QMIN;
        sh = q - x;
        if (sh > 0) begin
            if (sh > MW + 1)
                sh = MW + 1;                       // everything below the round bit
            sig  = v >> sh;
            rem  = v & ~({TW{1'b1}} << sh);
            half = {{(TW - 1){1'b0}}, 1'b1} << (sh - 1);
            if (rem > half || (rem == half && sig[0]))
                sig = sig + {{(TW - 1){1'b0}}, 1'b1};
        end else begin
            sig  = v << (-sh);
            rem  = {TW{1'b0}};
            half = {TW{1'b0}};
        end
        ef = q + BIAS + MAN - 1 + {30'd0, sig[MAN+1:MAN]};
        if (nan_i || snan || (pinf_i && ninf_i) || ((pinf_i || ninf_i) && szero))
            yc = QNAN;
        else if (pinf_i || ninf_i)
            yc = {ninf_i, {EXP{1'b1}}, {MAN{1'b0}}};
        else if (pm == {MW{1'b0}})
            yc = {W{1'b0}};
        else if (ef >= EINF)
            yc = {neg, {EXP{1'b1}}, {MAN{1'b0}}};
        else
            yc = {neg, ef[EXP-1:0], sig[MAN-1:0]};
    end

    generate
        if (LATENCY > 0) begin : g_out
            reg [W-1:0] r [0:LATENCY-1];
            integer     k;
            always @(posedge clk) begin
                r[0] <= yc;
                for (k = 1; k < LATENCY; k = k + 1)
                    r[k] <= r[k-1];
            end
            assign y = r[LATENCY-1];
        end else begin : g_comb
            assign y = yc;
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_clk = clk; // no registers: combinational instance
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate
endmodule
`default_nettype wire
