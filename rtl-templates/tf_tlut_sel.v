// tf_tlut_sel - one read port of a ternary LUT: decodes a key
// {sign, code} and returns sign ? -entry[code] : entry[code].
// Code 0 (all-zero weight group) and the reserved codes above ENTRIES read
// as zero. Entries are flattened: entry m (1..ENTRIES) sits at
// [(m-1)*ENTRY_BITS +: ENTRY_BITS]. Values never reach -2^(ENTRY_BITS-1),
// so the negation cannot overflow (the generator sizes ENTRY_BITS so).
`default_nettype none
module tf_tlut_sel #(
    parameter ENTRIES    = 4,
    parameter ENTRY_BITS = 9,
    parameter KEY_BITS   = 4
) (
    input  wire [KEY_BITS-1:0]           key,
    input  wire [ENTRIES*ENTRY_BITS-1:0] entries,
    output wire [ENTRY_BITS-1:0]         value
);
    localparam CODES = 1 << (KEY_BITS - 1);

    // Code 0 selects the zero in front of the entries.
    wire [(ENTRIES+1)*ENTRY_BITS-1:0] table_w = {entries, {ENTRY_BITS{1'b0}}};
    wire [KEY_BITS-2:0]   code = key[KEY_BITS-2:0];
    wire [ENTRY_BITS-1:0] mag;
    generate
        if (CODES - 1 > ENTRIES) begin : g_reserved
            // Codes above ENTRIES exist in the key format: read them as zero.
            localparam [31:0] LAST32 = ENTRIES;
            wire valid_code = {1'b0, code} <= LAST32[KEY_BITS-1:0];
            assign mag = valid_code ? table_w[code*ENTRY_BITS +: ENTRY_BITS]
                                    : {ENTRY_BITS{1'b0}};
        end else begin : g_full
            assign mag = table_w[code*ENTRY_BITS +: ENTRY_BITS];
        end
    endgenerate

    assign value = key[KEY_BITS-1] ? -mag : mag;
endmodule
`default_nettype wire
