// fifo_tb.v - tf_sram_fifo against a queue, under random pushes and pops:
// every popped word is the oldest pushed one, `valid` is never high with
// the FIFO empty, a word held is shown within a cycle and always when three
// or more are (full rate), and a push into an empty FIFO is valid the next
// cycle (tf_fifo's timing).
// Pushes follow the cores' credit rule: at most DEPTH words held, counted
// before the cycle's pop. Phases alternate a stalled consumer (the macro
// fills) and a fast one (it drains). Prints "fifo_tb: ok" when every check
// held. Parameters: WIDTH, DEPTH, PTR_BITS, SEED, CYCLES.
`default_nettype none
module fifo_tb;
    parameter WIDTH = 13, DEPTH = 16, PTR_BITS = 4, SEED = 1, CYCLES = 20000;
    reg              clk = 1'b0, rst = 1'b1, push = 1'b0, pop = 1'b0;
    reg  [WIDTH-1:0] din = {WIDTH{1'b0}};
    wire [WIDTH-1:0] dout;
    wire             valid;
    tf_sram_fifo #(.WIDTH(WIDTH), .DEPTH(DEPTH), .PTR_BITS(PTR_BITS)) dut (
        .clk(clk), .rst(rst), .push(push), .din(din), .pop(pop), .dout(dout), .valid(valid)
    );
    always #5 clk = ~clk;

    reg [WIDTH-1:0] q [0:65535];
    integer head = 0, n = 0, seed = SEED, errors = 0, pops = 0, cyc, idle = 0, pop_pct;
    integer was_empty_push = 0, max_n = 0;
    initial begin
        repeat (2) @(negedge clk);
        rst = 1'b0;
        for (cyc = 0; cyc < CYCLES; cyc = cyc + 1) begin
            // settle the outputs of the last edge, then check them
            @(negedge clk);
            if (valid && n == 0) begin
                errors = errors + 1;
                $display("fifo_tb: cycle %0d: valid with nothing pushed", cyc);
            end
            if (was_empty_push && !valid) begin
                errors = errors + 1;
                $display("fifo_tb: cycle %0d: a push into an empty FIFO is not valid", cyc);
            end
            // a word reaches the output one cycle after the macro has it,
            // so at most one cycle without a word shown, and none while
            // three or more are held (a backlog drains a word a cycle)
            idle = n > 0 && !valid ? idle + 1 : 0;
            if (idle > 1 || (n >= 3 && !valid)) begin
                errors = errors + 1;
                if (errors < 10)
                    $display("fifo_tb: cycle %0d: %0d words held, none shown", cyc, n);
            end
            // phases of 300 cycles: the consumer takes 10 % or 90 % of beats
            pop_pct = (cyc / 300) % 2 ? 90 : 10;
            pop = valid && ($unsigned($random(seed)) % 100 < pop_pct);
            push = n < DEPTH && ($unsigned($random(seed)) % 100 < 70);
            din = $random(seed);
            was_empty_push = push && n == 0;
            if (pop) begin
                if (dout !== q[head % 65536]) begin
                    errors = errors + 1;
                    if (errors < 10)
                        $display("fifo_tb: cycle %0d: popped %h, expected %h", cyc, dout,
                                 q[head % 65536]);
                end
                head = head + 1;
                pops = pops + 1;
            end
            if (push)
                q[(head + n - (pop ? 1 : 0)) % 65536] = din;
            n = n + (push ? 1 : 0) - (pop ? 1 : 0);
            if (n > max_n)
                max_n = n;
        end
        @(negedge clk);
        push = 1'b0;
        pop = 1'b0;
        $display("fifo_tb: WIDTH=%0d DEPTH=%0d seed %0d: %0d pops, up to %0d held, %0d errors",
                 WIDTH, DEPTH, SEED, pops, max_n, errors);
        if (errors == 0 && max_n == DEPTH)
            $display("fifo_tb: ok");
        $finish;
    end
endmodule
`default_nettype wire
