// tb_mxunits - every tf_mxconv and tf_mxdec configuration tb_mxunits.cpp checks, side by side.
// Converter i (table CONV below: SW, POINT, SCALE, EXP, MAN, LATENCY) takes
// s_all[i*64 +: SW], the shared scale code sc and flags fl = {ninf, pinf,
// nan}; its result is y_all[i*32 +: EXP+MAN+1]. Decoder j (table DEC:
// EXP, MAN, SPECIAL, IW) takes the low bits of code; its integer is
// v_all[j*64 +: IW] and its flags f_all[j*3 +: 3] = {ninf, pinf, nan}.
`default_nettype none
module tb_mxunits #(
    parameter NCONV = 14,
    parameter NDEC  = 5
) (
    input  wire                 clk,
    input  wire [NCONV*64-1:0]  s_all,
    input  wire [7:0]           sc,
    input  wire [2:0]           fl,
    output wire [NCONV*32-1:0]  y_all,
    input  wire [7:0]           code,
    output wire [NDEC*64-1:0]   v_all,
    output wire [NDEC*3-1:0]    f_all
);
    // 8 bits per field, configuration i at [i*48 +: 48] = {SW, POINT, SCALE, EXP, MAN, LAT}
    localparam [NCONV*48-1:0] CONV = {
        8'd9,  8'd1,  8'd1, 8'd8, 8'd7,  8'd1,   // 13 nvfp4 -> bf16, latency 1
        8'd38, 8'd16, 8'd0, 8'd8, 8'd7,  8'd2,   // 12 mxfp8e5m2 -> bf16, latency 2
        8'd10, 8'd1,  8'd0, 8'd8, 8'd7,  8'd0,   // 11 mxfp4 -> bf16
        8'd24, 8'd9,  8'd0, 8'd8, 8'd7,  8'd0,   // 10 mxfp8e4m3 -> bf16
        8'd9,  8'd1,  8'd1, 8'd5, 8'd10, 8'd0,   //  9 nvfp4 -> fp16
        8'd13, 8'd6,  8'd0, 8'd5, 8'd10, 8'd3,   //  8 mxint8 -> fp16, latency 3
        8'd38, 8'd16, 8'd0, 8'd5, 8'd10, 8'd0,   //  7 mxfp8e5m2 -> fp16
        8'd9,  8'd1,  8'd1, 8'd8, 8'd23, 8'd0,   //  6 nvfp4 -> fp32
        8'd10, 8'd1,  8'd0, 8'd8, 8'd23, 8'd0,   //  5 mxfp4 -> fp32
        8'd12, 8'd3,  8'd0, 8'd8, 8'd23, 8'd0,   //  4 mxfp6e2m3 -> fp32
        8'd15, 8'd4,  8'd0, 8'd8, 8'd23, 8'd0,   //  3 mxfp6e3m2 -> fp32
        8'd38, 8'd16, 8'd0, 8'd8, 8'd23, 8'd1,   //  2 mxfp8e5m2 -> fp32, latency 1
        8'd24, 8'd9,  8'd0, 8'd8, 8'd23, 8'd0,   //  1 mxfp8e4m3 -> fp32
        8'd13, 8'd6,  8'd0, 8'd8, 8'd23, 8'd0    //  0 mxint8 -> fp32
    };
    localparam [NDEC*32-1:0] DEC = {
        8'd5, 8'd2, 8'd2, 8'd33,                 // 4 E5M2
        8'd4, 8'd3, 8'd1, 8'd19,                 // 3 E4M3
        8'd3, 8'd2, 8'd0, 8'd10,                 // 2 E3M2
        8'd2, 8'd3, 8'd0, 8'd7,                  // 1 E2M3
        8'd2, 8'd1, 8'd0, 8'd5                   // 0 E2M1
    };
    genvar i;
    generate
        for (i = 0; i < NCONV; i = i + 1) begin : g_conv
            localparam integer SW = {24'd0, CONV[i*48+40 +: 8]};
            localparam integer PT = {24'd0, CONV[i*48+32 +: 8]};
            localparam integer SCL = {24'd0, CONV[i*48+24 +: 8]};
            localparam integer EX = {24'd0, CONV[i*48+16 +: 8]};
            localparam integer MN = {24'd0, CONV[i*48+8 +: 8]};
            localparam integer LAT = {24'd0, CONV[i*48 +: 8]};
            wire [EX+MN:0] y;
            tf_mxconv #(.SW(SW), .POINT(PT), .SCALE(SCL), .EXP(EX), .MAN(MN), .LATENCY(LAT))
                u_c (.clk(clk), .s(s_all[i*64 +: SW]), .sc(sc), .nan_i(fl[0]), .pinf_i(fl[1]),
                     .ninf_i(fl[2]), .y(y));
            if (EX + MN + 1 < 32) begin : g_pad
                assign y_all[i*32 +: 32] = {{(31 - EX - MN){1'b0}}, y};
            end else begin : g_full
                assign y_all[i*32 +: 32] = y;
            end
            if (SW < 64) begin : g_unused
                /* verilator lint_off UNUSEDSIGNAL */
                wire unused_s = ^s_all[i*64+SW +: 64-SW]; // each takes its low SW bits
                /* verilator lint_on UNUSEDSIGNAL */
            end
        end
        for (i = 0; i < NDEC; i = i + 1) begin : g_dec
            localparam integer EX = {24'd0, DEC[i*32+24 +: 8]};
            localparam integer MN = {24'd0, DEC[i*32+16 +: 8]};
            localparam integer SP = {24'd0, DEC[i*32+8 +: 8]};
            localparam integer IW = {24'd0, DEC[i*32 +: 8]};
            wire [IW-1:0] v;
            tf_mxdec #(.EXP(EX), .MAN(MN), .SPECIAL(SP), .IW(IW))
                u_d (.a(code[EX+MN:0]), .v(v), .nan_o(f_all[i*3]), .pinf_o(f_all[i*3+1]),
                     .ninf_o(f_all[i*3+2]));
            assign v_all[i*64 +: 64] = {{(64 - IW){v[IW-1]}}, v};
        end
    endgenerate
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_code = ^code; // the narrow decoders take low bits only
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
