// tf_tlut_sel - one read port of a ternary LUT: decodes a key
// {sign, code} and returns sign ? -entry[code] : entry[code]. With
// FLOAT=1 the entries are floating-point values and the negation flips the
// sign bit (exact, as IEEE negation is).
// Code 0 (all-zero weight group) and the reserved codes above ENTRIES read
// as zero. The port reads the table as bit planes (tf_tlut_planes below):
// bit b of entry m (1..ENTRIES) sits at planes[b*ENTRIES + m-1]. Values
// never reach -2^(ENTRY_BITS-1), so the negation cannot overflow (the
// generator sizes ENTRY_BITS so).
`default_nettype none
module tf_tlut_sel #(
    parameter ENTRIES    = 4,
    parameter ENTRY_BITS = 9,
    parameter KEY_BITS   = 4,
    parameter FLOAT      = 0
) (
    input  wire [KEY_BITS-1:0]           key,
    input  wire [ENTRIES*ENTRY_BITS-1:0] planes,
    output wire [ENTRY_BITS-1:0]         value
);

    // Code c selects entry c-1; code 0 (an all-zero weight group) and the
    // reserved codes above ENTRIES match no entry and read as zero. A
    // one-hot AND-OR select, reduced per bit with |: a part-select with a
    // variable offset (entries[(code-1)*ENTRY_BITS +: ENTRY_BITS]) makes
    // Yosys build a barrel shifter over all ENTRIES*ENTRY_BITS bits (4x
    // the area for 13 entries of 14 bits on osu018), and an OR accumulated
    // in a loop stays a chain ENTRIES long. Each result bit ANDs the
    // one-hot code with one bit plane, whole vectors at a time: simulators
    // evaluate it a word at a time, not a bit at a time (the planes are
    // built once per table, not once per port).
    // Loops in an always block rather than generate loops: simulators cap
    // the iterations of a generate loop (Verilator at 1024; mu=8 has 3280
    // entries), and Verilator 5.006 mis-simulates bits of one vector
    // assigned from nested generate scopes.
    wire [KEY_BITS-2:0] code = key[KEY_BITS-2:0];
    wire [31:0]         code32 = {{(33 - KEY_BITS){1'b0}}, code};
    reg  [ENTRIES-1:0]  hit;
    reg  [ENTRY_BITS-1:0] mag;
    integer m, b;
    always @* begin
        for (m = 0; m < ENTRIES; m = m + 1)
            hit[m] = code32 == m + 1;
        for (b = 0; b < ENTRY_BITS; b = b + 1)
            mag[b] = |(hit & planes[b*ENTRIES +: ENTRIES]);
    end

    generate
        if (FLOAT != 0) begin : g_float
            assign value = {mag[ENTRY_BITS-1] ^ key[KEY_BITS-1], mag[ENTRY_BITS-2:0]};
        end else begin : g_int
            assign value = key[KEY_BITS-1] ? -mag : mag;
        end
    endgenerate
endmodule
`default_nettype wire
