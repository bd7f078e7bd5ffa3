// tf_tlut_planes - a ternary LUT's entries as bit planes for its read
// ports (tf_tlut_sel): bit b of entry m (1..ENTRIES), at
// entries[(m-1)*ENTRY_BITS + b], goes to planes[b*ENTRIES + m-1].
// Wiring only, one instance per table.
`default_nettype none
module tf_tlut_planes #(
    parameter ENTRIES    = 4,
    parameter ENTRY_BITS = 9
) (
    input  wire [ENTRIES*ENTRY_BITS-1:0] entries,
    output reg  [ENTRIES*ENTRY_BITS-1:0] planes
);
    integer m, b;
    always @*
        for (b = 0; b < ENTRY_BITS; b = b + 1)
            for (m = 0; m < ENTRIES; m = m + 1)
                planes[b*ENTRIES + m] = entries[m*ENTRY_BITS + b];
endmodule
`default_nettype wire
