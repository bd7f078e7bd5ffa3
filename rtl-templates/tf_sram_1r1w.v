// tf_sram_1r1w - the SRAM macro wrapper: DEPTH words of WIDTH bits, one
// write port and one read port on one clock, registered read. This file is
// its behavioural model; for a chip, replace the body with an instance of
// a compiled macro of the same shape (memories.json lists every instance;
// docs/integration.md, "Memories", gives the contract and an OpenRAM
// configuration). The contract the cores rely on, and a macro must keep:
// - write: at a rising edge with `we` high, mem[waddr] <= wdata;
// - read: at a rising edge with `re` high, rdata <= mem[raddr]: the word is
//   on rdata one cycle after the address (read latency 1);
// - rdata holds its word while `re` is low (the cores read ahead and use
//   the word later);
// - no reset, contents undefined until written: the cores write a word
//   before they read it, and never read and write one address in the same
//   cycle (this model would return the old word).
`default_nettype none
module tf_sram_1r1w #(
    parameter DEPTH     = 16,
    parameter WIDTH     = 8,
    parameter ADDR_BITS = DEPTH > 2 ? $clog2(DEPTH) : 1
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
