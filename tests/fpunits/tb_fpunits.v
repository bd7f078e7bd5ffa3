// tb_fpunits - every configuration of tf_fpadd, tf_fpmul and tf_fpwiden that
// tests/fpunits checks, in one top so that a single Verilator build covers
// them all. Each adder and multiplier reads the operand pair of its format
// (fp16: h_a/h_b, bf16: g_a/g_b, fp32: s_a/s_b); each converter reads w8 (FP8
// inputs) or w16 (fp16/bf16 inputs). Result k of a group sits in the low bits
// of 32-bit word k of y_add / y_mul / y_wid. The instance tables are also
// outputs (cfg_*: one byte per instance, word k = byte k), so the C++ driver
// learns formats and latencies from the model and the list lives here only
// (n_* are the instance counts).
// Format codes: 0 fp16, 1 bf16, 2 fp32, 3 FP8 E4M3, 4 FP8 E5M2.
`default_nettype none
module tb_fpunits #(
    parameter NADD = 14,
    parameter NMUL = 14,
    parameter NWID = 8,
    // {format, latency} per adder / multiplier, instance 0 in the low byte
    parameter [8*NADD-1:0] ADD_CFG = {8'h23, 8'h22, 8'h21, 8'h20,
                                      8'h13, 8'h12, 8'h11, 8'h10,
                                      8'h05, 8'h04, 8'h03, 8'h02, 8'h01, 8'h00},
    parameter [8*NMUL-1:0] MUL_CFG = {8'h23, 8'h22, 8'h21, 8'h20,
                                      8'h13, 8'h12, 8'h11, 8'h10,
                                      8'h05, 8'h04, 8'h03, 8'h02, 8'h01, 8'h00},
    // {input format, output format} per converter
    parameter [8*NWID-1:0] WID_CFG = {8'h12, 8'h02,
                                      8'h42, 8'h41, 8'h40,
                                      8'h32, 8'h31, 8'h30}
) (
    input  wire               clk,
    input  wire [15:0]        h_a,
    input  wire [15:0]        h_b,
    input  wire [15:0]        g_a,
    input  wire [15:0]        g_b,
    input  wire [31:0]        s_a,
    input  wire [31:0]        s_b,
    input  wire [7:0]         w8,
    input  wire [15:0]        w16,
    output wire [32*NADD-1:0] y_add,
    output wire [32*NMUL-1:0] y_mul,
    output wire [32*NWID-1:0] y_wid,
    output wire [8*NADD-1:0]  cfg_add,
    output wire [8*NMUL-1:0]  cfg_mul,
    output wire [8*NWID-1:0]  cfg_wid,
    output wire [7:0]         n_add,
    output wire [7:0]         n_mul,
    output wire [7:0]         n_wid
);
    localparam [31:0] NADD32 = NADD;
    localparam [31:0] NMUL32 = NMUL;
    localparam [31:0] NWID32 = NWID;
    assign n_add   = NADD32[7:0];
    assign n_mul   = NMUL32[7:0];
    assign n_wid   = NWID32[7:0];
    assign cfg_add = ADD_CFG;
    assign cfg_mul = MUL_CFG;
    assign cfg_wid = WID_CFG;

    genvar k;
    generate
        for (k = 0; k < NADD; k = k + 1) begin : g_add
            localparam [3:0] F = ADD_CFG[8*k+4 +: 4];
            localparam [3:0] L = ADD_CFG[8*k +: 4];
            if (F == 0) begin : g_h
                tf_fpadd #(.EXP(5), .MAN(10), .LATENCY(L)) u (
                    .clk(clk), .a(h_a), .b(h_b), .y(y_add[32*k +: 16]));
                assign y_add[32*k+16 +: 16] = 16'd0;
            end else if (F == 1) begin : g_g
                tf_fpadd #(.EXP(8), .MAN(7), .LATENCY(L)) u (
                    .clk(clk), .a(g_a), .b(g_b), .y(y_add[32*k +: 16]));
                assign y_add[32*k+16 +: 16] = 16'd0;
            end else begin : g_s
                tf_fpadd #(.EXP(8), .MAN(23), .LATENCY(L)) u (
                    .clk(clk), .a(s_a), .b(s_b), .y(y_add[32*k +: 32]));
            end
        end
        for (k = 0; k < NMUL; k = k + 1) begin : g_mul
            localparam [3:0] F = MUL_CFG[8*k+4 +: 4];
            localparam [3:0] L = MUL_CFG[8*k +: 4];
            if (F == 0) begin : g_h
                tf_fpmul #(.EXP(5), .MAN(10), .LATENCY(L)) u (
                    .clk(clk), .a(h_a), .b(h_b), .y(y_mul[32*k +: 16]));
                assign y_mul[32*k+16 +: 16] = 16'd0;
            end else if (F == 1) begin : g_g
                tf_fpmul #(.EXP(8), .MAN(7), .LATENCY(L)) u (
                    .clk(clk), .a(g_a), .b(g_b), .y(y_mul[32*k +: 16]));
                assign y_mul[32*k+16 +: 16] = 16'd0;
            end else begin : g_s
                tf_fpmul #(.EXP(8), .MAN(23), .LATENCY(L)) u (
                    .clk(clk), .a(s_a), .b(s_b), .y(y_mul[32*k +: 32]));
            end
        end
        for (k = 0; k < NWID; k = k + 1) begin : g_wid
            localparam [3:0] FI = WID_CFG[8*k+4 +: 4];
            localparam [3:0] FO = WID_CFG[8*k +: 4];
            localparam OW = FO == 2 ? 32 : 16;
            wire [OW-1:0] o;
            if (FI == 3) begin : g_e4m3
                tf_fpwiden #(.IEXP(4), .IMAN(3), .IBIAS(7), .IHAS_INF(0),
                             .OEXP(FO == 0 ? 5 : 8), .OMAN(FO == 0 ? 10 : FO == 1 ? 7 : 23),
                             .OBIAS(FO == 0 ? 15 : 127)) u (.a(w8), .y(o));
            end else if (FI == 4) begin : g_e5m2
                tf_fpwiden #(.IEXP(5), .IMAN(2), .IBIAS(15), .IHAS_INF(1),
                             .OEXP(FO == 0 ? 5 : 8), .OMAN(FO == 0 ? 10 : FO == 1 ? 7 : 23),
                             .OBIAS(FO == 0 ? 15 : 127)) u (.a(w8), .y(o));
            end else if (FI == 0) begin : g_h
                tf_fpwiden #(.IEXP(5), .IMAN(10), .IBIAS(15), .IHAS_INF(1),
                             .OEXP(8), .OMAN(23), .OBIAS(127)) u (.a(w16), .y(o));
            end else begin : g_g
                tf_fpwiden #(.IEXP(8), .IMAN(7), .IBIAS(127), .IHAS_INF(1),
                             .OEXP(8), .OMAN(23), .OBIAS(127)) u (.a(w16), .y(o));
            end
            if (OW < 32) begin : g_pad
                assign y_wid[32*k +: 32] = {{(32 - OW){1'b0}}, o};
            end else begin : g_full
                assign y_wid[32*k +: 32] = o;
            end
        end
    endgenerate
endmodule
`default_nettype wire
