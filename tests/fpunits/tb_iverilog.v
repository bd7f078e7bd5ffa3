// tb_iverilog - runs tb_fpunits (every configuration under test) under Icarus
// Verilog on operands from a file, so that the units are also checked with
// a second simulator's reading of the Verilog. It only drives and records:
// tb_fpunits.cpp (--vectors) writes the operands, one cycle per line
// ("h_a h_b g_a g_b s_a s_b w8 w16" in hex), and checks the recorded outputs
// (--check) against the host reference, latencies included.
//   iverilog -g2005 -Wall -s tb_iverilog -o tb.vvp tb_iverilog.v tb_fpunits.v \
//       tf_fpadd.v tf_fpmul.v tf_fpwiden.v
//   vvp -n tb.vvp +in=FILE +out=FILE
// Per cycle: the operands are applied with the clock low, the outputs are
// recorded one step later ("y_add y_mul y_wid" in hex, one line), then the
// clock rises: the same order as the Verilator driver.
`default_nettype none
module tb_iverilog;
    reg         clk = 1'b0;
    reg  [15:0] h_a = 16'd0, h_b = 16'd0, g_a = 16'd0, g_b = 16'd0, w16 = 16'd0;
    reg  [31:0] s_a = 32'd0, s_b = 32'd0;
    reg  [7:0]  w8  = 8'd0;

    tb_fpunits dut (
        .clk(clk), .h_a(h_a), .h_b(h_b), .g_a(g_a), .g_b(g_b), .s_a(s_a), .s_b(s_b),
        .w8(w8), .w16(w16),
        .y_add(), .y_mul(), .y_wid(), .cfg_add(), .cfg_mul(), .cfg_wid(),
        .n_add(), .n_mul(), .n_wid()
    );

    reg [1023:0] in_name, out_name;
    integer      fi, fo, r;
    initial begin
        if (!$value$plusargs("in=%s", in_name) || !$value$plusargs("out=%s", out_name)) begin
            $display("tb_iverilog: usage: vvp tb.vvp +in=FILE +out=FILE");
            $finish;
        end
        fi = $fopen(in_name, "r");
        fo = $fopen(out_name, "w");
        if (fi == 0 || fo == 0) begin
            $display("tb_iverilog: cannot open the files");
            $finish;
        end
        r = $fscanf(fi, "%h %h %h %h %h %h %h %h\n", h_a, h_b, g_a, g_b, s_a, s_b, w8, w16);
        while (r == 8) begin
            #1;
            $fdisplay(fo, "%h %h %h", dut.y_add, dut.y_mul, dut.y_wid);
            clk = 1'b1;
            #1;
            clk = 1'b0;
            r = $fscanf(fi, "%h %h %h %h %h %h %h %h\n", h_a, h_b, g_a, g_b, s_a, s_b, w8, w16);
        end
        $fclose(fi);
        $fclose(fo);
        $finish;
    end
endmodule
`default_nettype wire
