// tf_fifo - synchronous FIFO of DEPTH entries with a registered `valid`;
// reset synchronous, or asynchronous with ASYNC=1.
// The writer must not push when the FIFO is full: the cores guarantee it
// with credits, so there is no `full` output on the critical path.
`default_nettype none
module tf_fifo #(
    parameter WIDTH    = 8,
    parameter DEPTH    = 2,
    parameter PTR_BITS = 1,
    parameter ASYNC    = 0
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

    reg [WIDTH-1:0] mem [0:DEPTH-1];

    // The control state {count, rptr, wptr}, in one register so that its
    // reset is written once per reset style.
    localparam STATE_BITS = 3 * PTR_BITS + 1;
    reg  [STATE_BITS-1:0] state_q;
    wire [PTR_BITS-1:0]   wptr  = state_q[PTR_BITS-1:0];
    wire [PTR_BITS-1:0]   rptr  = state_q[2*PTR_BITS-1:PTR_BITS];
    wire [PTR_BITS:0]     count = state_q[STATE_BITS-1:2*PTR_BITS];

    assign dout  = mem[rptr];
    assign valid = count != 0;

    wire [PTR_BITS-1:0] wptr_d = !push ? wptr : (wptr == LAST) ? {PTR_BITS{1'b0}} : wptr + ONE;
    wire [PTR_BITS-1:0] rptr_d = !pop ? rptr : (rptr == LAST) ? {PTR_BITS{1'b0}} : rptr + ONE;
    wire [PTR_BITS:0]   count_d = (push && !pop) ? count + {{PTR_BITS{1'b0}}, 1'b1} :
                                  (pop && !push) ? count - {{PTR_BITS{1'b0}}, 1'b1} : count;
    wire [STATE_BITS-1:0] state_d = {count_d, rptr_d, wptr_d};

    // ASYNC=1: rst clears the state at once (the core's asynchronous
    // reset; its release must be synchronous to clk); else at a clock edge.
    generate if (ASYNC != 0) begin : g_async
        always @(posedge clk or posedge rst)
            if (rst) state_q <= {STATE_BITS{1'b0}}; else state_q <= state_d;
    end else begin : g_sync
        always @(posedge clk)
            if (rst) state_q <= {STATE_BITS{1'b0}}; else state_q <= state_d;
    end endgenerate

    always @(posedge clk)
        if (push)
            mem[wptr] <= din;
endmodule
`default_nettype wire
