// signflip.v - the co-simulation yardstick (issue 20): a naive 32 x 32
// INT8 sign-flip array, written the obvious way. Every cycle each of the 32
// outputs adds or subtracts each of the 32 activations (1024 conditional
// adds) into a 24-bit accumulator. It is not a ternforge core; the bench
// builds and runs it next to ours so that our numbers read as ratios to
// what Verilator does with plain RTL on the same machine at the same time.
//
// The ports are registered and the sums read the registers, as in our
// cores (their weight beat and activations are registered before any
// arithmetic): Verilator then evaluates the sums once per clock edge. With
// the sums fed straight from the ports (REG_PORTS=0, the first form of the
// yardstick; scripts/yardstick-study.sh), every eval() (two per cycle)
// evaluates them again in its input-combinational region. The driver
// (signflip_tb.cpp) holds the weights and changes them every WPERIOD
// cycles, like a weight-stationary array loading a tile; weights redrawn
// every cycle make each of the 1024 ternary choices a branch the host
// mispredicts half the time (docs/testing.md has the measurements).
module signflip #(
    parameter REG_PORTS = 1
) (
    input  wire          clk,
    input  wire          rst,
    input  wire [255:0]  act,   // 32 x INT8
    input  wire [1023:0] wnz,   // weight k*32+n is not zero
    input  wire [1023:0] wneg,  // weight k*32+n is -1 (when not zero)
    output wire [767:0]  acc    // 32 x 24-bit accumulators
);
    wire [255:0]  act_q;
    wire [1023:0] wnz_q, wneg_q;
    genvar k, n;
    generate
        if (REG_PORTS != 0) begin : g_reg
            reg [255:0]  act_r;
            reg [1023:0] wnz_r, wneg_r;
            always @(posedge clk) begin
                act_r  <= act;
                wnz_r  <= wnz;
                wneg_r <= wneg;
            end
            assign act_q  = act_r;
            assign wnz_q  = wnz_r;
            assign wneg_q = wneg_r;
        end else begin : g_ports
            assign act_q  = act;
            assign wnz_q  = wnz;
            assign wneg_q = wneg;
        end
        for (k = 0; k < 32; k = k + 1) begin : g_out
            for (n = 0; n < 32; n = n + 1) begin : g_in
                wire [23:0] a = {{16{act_q[n*8+7]}}, act_q[n*8 +: 8]};
                wire [23:0] t = !wnz_q[k*32+n] ? 24'd0 : wneg_q[k*32+n] ? -a : a;
                wire [23:0] prev, s;  // the sum of the first n terms, of n + 1
                if (n == 0) begin : g_first
                    assign prev = 24'd0;
                end else begin : g_next
                    assign prev = g_in[n-1].s;
                end
                assign s = prev + t;
            end
            reg [23:0] acc_q;
            always @(posedge clk)
                acc_q <= rst ? 24'd0 : acc_q + g_in[31].s;
            assign acc[k*24 +: 24] = acc_q;
        end
    endgenerate
endmodule
