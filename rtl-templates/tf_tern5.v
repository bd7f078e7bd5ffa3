// tf_tern5.v - one byte of dense ternary weights (weight_store=dense) to
// its five base-3 digits: b = d0 + 3 d1 + 9 d2 + 27 d3 + 81 d4, digit
// d = w + 1 of weight w in {-1, 0, +1} (docs/weights.md, Dense storage).
// Digits are taken most significant first by two comparisons and one
// subtraction each; a byte above 242 is never written and decodes to
// unspecified digits.
`default_nettype none
module tf_tern5 (
    input  wire [7:0] b,
    output wire [9:0] d   // digit t at [2t +: 2]
);
    wire [1:0] d4 = b >= 8'd162 ? 2'd2 : b >= 8'd81 ? 2'd1 : 2'd0;
    wire [7:0] s4 = d4 == 2'd2 ? 8'd162 : d4 == 2'd1 ? 8'd81 : 8'd0;
    wire [7:0] r4 = b - s4;          // < 81 for a byte <= 242
    wire [6:0] r3 = r4[6:0];
    wire [1:0] d3 = r3 >= 7'd54 ? 2'd2 : r3 >= 7'd27 ? 2'd1 : 2'd0;
    wire [6:0] s3 = d3 == 2'd2 ? 7'd54 : d3 == 2'd1 ? 7'd27 : 7'd0;
    wire [6:0] r3s = r3 - s3;        // < 27
    wire [4:0] r2 = r3s[4:0];
    wire [1:0] d2 = r2 >= 5'd18 ? 2'd2 : r2 >= 5'd9 ? 2'd1 : 2'd0;
    wire [4:0] s2 = d2 == 2'd2 ? 5'd18 : d2 == 2'd1 ? 5'd9 : 5'd0;
    wire [4:0] r2s = r2 - s2;        // < 9
    wire [3:0] r1 = r2s[3:0];
    wire [1:0] d1 = r1 >= 4'd6 ? 2'd2 : r1 >= 4'd3 ? 2'd1 : 2'd0;
    wire [3:0] s1 = d1 == 2'd2 ? 4'd6 : d1 == 2'd1 ? 4'd3 : 4'd0;
    wire [3:0] r1s = r1 - s1;        // < 3: the last digit
    /* verilator lint_off UNUSEDSIGNAL */
    // The high bits of each remainder are zero for a byte <= 242.
    wire unused_hi = ^{r4[7], r3s[6:5], r2s[4], r1s[3:2]};
    /* verilator lint_on UNUSEDSIGNAL */
    assign d = {d4, d3, d2, d1, r1s[1:0]};
endmodule
`default_nettype wire
