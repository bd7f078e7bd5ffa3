// tf_fifo - synchronous FIFO of DEPTH entries with a registered `valid`.
// The writer must not push when the FIFO is full: the cores guarantee it
// with credits, so there is no `full` output on the critical path.
`default_nettype none
module tf_fifo #(
    parameter WIDTH    = 8,
    parameter DEPTH    = 2,
    parameter PTR_BITS = 1
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,
    input  wire [WIDTH-1:0] din,
    input  wire             pop,
    output wire [WIDTH-1:0] dout,
    output wire             valid
);
    localparam [31:0]         LAST32 = DEPTH - 1;
    localparam [PTR_BITS-1:0] LAST   = LAST32[PTR_BITS-1:0];
    localparam [PTR_BITS-1:0] ONE    = 1;

    reg [WIDTH-1:0]    mem [0:DEPTH-1];
    reg [PTR_BITS-1:0] wptr, rptr;
    reg [PTR_BITS:0]   count;

    assign dout  = mem[rptr];
    assign valid = count != 0;

    always @(posedge clk) begin
        if (rst) begin
            wptr  <= {PTR_BITS{1'b0}};
            rptr  <= {PTR_BITS{1'b0}};
            count <= {(PTR_BITS+1){1'b0}};
        end else begin
            if (push)
                wptr <= (wptr == LAST) ? {PTR_BITS{1'b0}} : wptr + ONE;
            if (pop)
                rptr <= (rptr == LAST) ? {PTR_BITS{1'b0}} : rptr + ONE;
            if (push && !pop)
                count <= count + {{PTR_BITS{1'b0}}, 1'b1};
            else if (pop && !push)
                count <= count - {{PTR_BITS{1'b0}}, 1'b1};
        end
    end

    always @(posedge clk)
        if (push)
            mem[wptr] <= din;
endmodule
`default_nettype wire
