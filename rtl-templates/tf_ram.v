// tf_ram - simple dual-port memory: one synchronous write port and one
// synchronous read port (registered output, read-before-write). Written so
// that FPGA tools infer block RAM and ASIC flows can swap in an SRAM macro.
`default_nettype none
module tf_ram #(
    parameter WIDTH     = 8,
    parameter DEPTH     = 2,
    parameter ADDR_BITS = 1
) (
    input  wire                 clk,
    input  wire                 we,
    input  wire [ADDR_BITS-1:0] waddr,
    input  wire [WIDTH-1:0]     wdata,
    input  wire                 re,
    input  wire [ADDR_BITS-1:0] raddr,
    output reg  [WIDTH-1:0]     rdata
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];

    always @(posedge clk) begin
        if (we)
            mem[waddr] <= wdata;
        if (re)
            rdata <= mem[raddr];
    end
endmodule
`default_nettype wire
