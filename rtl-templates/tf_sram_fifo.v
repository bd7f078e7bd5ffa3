// tf_sram_fifo - the result FIFO of tf_fifo (same ports and timing when it
// is empty) with its words in a tf_sram_1r1w macro. The macro reads with a
// cycle of latency, so two stages sit in front of the output: the macro's
// rdata (a word read but not yet moved on) and the output register q. A
// push into an empty FIFO goes straight to q, so a result is valid one
// cycle after its push, as with tf_fifo; a backlog drains one word a cycle.
// It holds up to DEPTH + 2 words; the writer must not push more than DEPTH
// (the cores' credits allow out_depth <= DEPTH), so the macro never reads
// and writes one address in the same cycle. Reset as in tf_fifo:
// synchronous, or asynchronous with ASYNC=1.
`default_nettype none
module tf_sram_fifo #(
    parameter WIDTH    = 8,
    parameter DEPTH    = 16,
    parameter PTR_BITS = 4,
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

    reg  [WIDTH-1:0]    q;
    wire [WIDTH-1:0]    rdata;

    // The control state {qv, rv, stored, rptr, wptr}, in one register so
    // that its reset is written once per reset style.
    localparam STATE_BITS = 3 * PTR_BITS + 3;
    reg  [STATE_BITS-1:0] state_q;
    wire [PTR_BITS-1:0] wptr   = state_q[PTR_BITS-1:0];
    wire [PTR_BITS-1:0] rptr   = state_q[2*PTR_BITS-1:PTR_BITS];
    wire [PTR_BITS:0]   stored = state_q[3*PTR_BITS:2*PTR_BITS];  // words in the macro, not yet read
    wire                rv     = state_q[3*PTR_BITS+1];  // rdata holds a word not yet in q
    wire                qv     = state_q[3*PTR_BITS+2];

    wire q_free = !qv || pop;
    wire r_free = !rv || q_free;  // rdata's word moves to q this cycle
    wire bypass = push && q_free && !rv && stored == {(PTR_BITS+1){1'b0}};
    wire wr     = push && !bypass;
    wire rd     = stored != {(PTR_BITS+1){1'b0}} && r_free;

    assign dout  = q;
    assign valid = qv;

    tf_sram_1r1w #(.DEPTH(DEPTH), .WIDTH(WIDTH)) u_mem (
        .clk(clk), .we(wr), .waddr(wptr), .wdata(din),
        .re(rd), .raddr(rptr), .rdata(rdata)
    );

    wire [PTR_BITS-1:0] wptr_d = !wr ? wptr : (wptr == LAST) ? {PTR_BITS{1'b0}} : wptr + ONE;
    wire [PTR_BITS-1:0] rptr_d = !rd ? rptr : (rptr == LAST) ? {PTR_BITS{1'b0}} : rptr + ONE;
    wire [PTR_BITS:0]   stored_d = (wr && !rd) ? stored + {{PTR_BITS{1'b0}}, 1'b1} :
                                   (rd && !wr) ? stored - {{PTR_BITS{1'b0}}, 1'b1} : stored;
    wire rv_d = rd || (rv && !q_free);
    wire qv_d = q_free ? rv || bypass : qv;
    wire [STATE_BITS-1:0] state_d = {qv_d, rv_d, stored_d, rptr_d, wptr_d};

    generate if (ASYNC != 0) begin : g_async
        always @(posedge clk or posedge rst)
            if (rst) state_q <= {STATE_BITS{1'b0}}; else state_q <= state_d;
    end else begin : g_sync
        always @(posedge clk)
            if (rst) state_q <= {STATE_BITS{1'b0}}; else state_q <= state_d;
    end endgenerate

    // q needs no reset: qv says when it holds a word.
    always @(posedge clk)
        if (q_free)
            q <= rv ? rdata : din;
endmodule
`default_nettype wire
