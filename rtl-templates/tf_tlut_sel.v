// tf_tlut_sel - one read port of a ternary LUT: decodes a key
// {sign, code} and returns sign ? -entry[code] : entry[code]. With
// FLOAT=1 the entries are floating-point values and the negation flips the
// sign bit (exact, as IEEE negation is).
// Code 0 (all-zero weight group) and the reserved codes above ENTRIES read
// as zero. Entries are flattened: entry m (1..ENTRIES) sits at
// [(m-1)*ENTRY_BITS +: ENTRY_BITS]. Values never reach -2^(ENTRY_BITS-1),
// so the negation cannot overflow (the generator sizes ENTRY_BITS so).
`default_nettype none
module tf_tlut_sel #(
    parameter ENTRIES    = 4,
    parameter ENTRY_BITS = 9,
    parameter KEY_BITS   = 4,
    parameter FLOAT      = 0
) (
    input  wire [KEY_BITS-1:0]           key,
    input  wire [ENTRIES*ENTRY_BITS-1:0] entries,
    output wire [ENTRY_BITS-1:0]         value
);
    localparam CODES = 1 << (KEY_BITS - 1);
    localparam [31:0] LAST32 = ENTRIES;

    // Code c selects entry c-1 of the flat vector; code 0 (an all-zero
    // weight group) and the reserved codes above ENTRIES read as zero.
    wire [KEY_BITS-2:0]   code = key[KEY_BITS-2:0];
    localparam [KEY_BITS-2:0] ONE = 1;
    wire [KEY_BITS-2:0]   idx  = code - ONE;
    wire                  zero;
    wire [ENTRY_BITS-1:0] mag;
    generate
        if (CODES - 1 > ENTRIES) begin : g_reserved
            assign zero = code == {(KEY_BITS-1){1'b0}} || {1'b0, code} > LAST32[KEY_BITS-1:0];
        end else begin : g_full
            assign zero = code == {(KEY_BITS-1){1'b0}};
        end
    endgenerate
    assign mag = zero ? {ENTRY_BITS{1'b0}} : entries[idx*ENTRY_BITS +: ENTRY_BITS];

    generate
        if (FLOAT != 0) begin : g_float
            assign value = {mag[ENTRY_BITS-1] ^ key[KEY_BITS-1], mag[ENTRY_BITS-2:0]};
        end else begin : g_int
            assign value = key[KEY_BITS-1] ? -mag : mag;
        end
    endgenerate
endmodule
`default_nettype wire
