// tf_tlut_sel - the read ports of a core's ternary LUTs: port (k, l)
// decodes key (k, l) = {sign, code} and returns sign ? -entry[code] :
// entry[code] of LUT l. With FLOAT=1 the entries are floating-point
// values and the negation flips the sign bit (exact, as IEEE negation is).
// Code 0 (all-zero weight group) and the reserved codes above ENTRIES
// read as zero. Entry m (1..ENTRIES) of LUT l sits at
// entries[(l*ENTRIES + m-1)*ENTRY_BITS +: ENTRY_BITS]; key and value
// (k, l) at [(k*LUTS + l)*KEY_BITS +: KEY_BITS] and
// [(k*LUTS + l)*ENTRY_BITS +: ENTRY_BITS], the layout of the trees'
// terms. Values never reach -2^(ENTRY_BITS-1), so the negation cannot
// overflow (the generator sizes ENTRY_BITS so).
`default_nettype none
module tf_tlut_sel #(
    parameter ENTRIES    = 4,
    parameter ENTRY_BITS = 9,
    parameter KEY_BITS   = 4,
    parameter LUTS       = 1,
    parameter PORTS      = 1,
    parameter FLOAT      = 0
) (
    input  wire [PORTS*LUTS*KEY_BITS-1:0]   keys,
    input  wire [LUTS*ENTRIES*ENTRY_BITS-1:0] entries,
    output reg  [PORTS*LUTS*ENTRY_BITS-1:0] values
);

    // Each port reads an array indexed by its code, every code 0..CODES-1
    // present (the unused ones zero): Yosys turns each read into a one-hot
    // case ($pmux: the decoded code AND-ed with the entries, OR-reduced,
    // as small as the hand-written AND-OR it replaced), while Verilator
    // keeps the array and indexes it, a load per port instead of a
    // compare and a mask per entry and bit. One array, refilled per LUT
    // before that LUT's ports read it, so that a read's case covers the
    // codes of one table, not of all LUTS. A variable part-select of the
    // packed entries would make Yosys build a barrel shifter over all
    // ENTRIES*ENTRY_BITS bits (4x the area). The table is filled once
    // per LUT, not once per port, and one module with loops, rather than
    // generate loops of instances, keeps the keys' and values' interleaved
    // layout without scattering slices from nested generate scopes
    // (Verilator 5.006 mis-simulates bits of one vector assigned from
    // them) and without the iteration cap of generate loops (Verilator's
    // 1024; mu=8 has 3280 entries).
    localparam CODES = 1 << (KEY_BITS - 1);
    // the sign bit of an FP entry (FLOAT=1)
    localparam [ENTRY_BITS-1:0] SIGN = 1 << (ENTRY_BITS - 1);
    reg [ENTRY_BITS-1:0] tab [0:CODES-1];
    reg [KEY_BITS-1:0]   key;
    reg [ENTRY_BITS-1:0] mag;
    integer l, c, p;
    // keys and entries are the block's only inputs (tab, key and mag are
    // written before they are read), so the list is complete; @* would
    // also name every word of tab, which iverilog warns about.
    always @(keys or entries)
        for (l = 0; l < LUTS; l = l + 1) begin
            // the table of LUT l, then its ports: each read decodes the
            // code only (a CODES-way case in Yosys)
            tab[0] = {ENTRY_BITS{1'b0}};
            for (c = 1; c <= ENTRIES; c = c + 1)
                tab[c] = entries[(l*ENTRIES + c-1)*ENTRY_BITS +: ENTRY_BITS];
            for (c = ENTRIES + 1; c < CODES; c = c + 1)
                tab[c] = {ENTRY_BITS{1'b0}};
            for (p = 0; p < PORTS; p = p + 1) begin
                key = keys[(p*LUTS + l)*KEY_BITS +: KEY_BITS];
                mag = tab[key[KEY_BITS-2:0]];
                if (FLOAT != 0)
                    values[(p*LUTS + l)*ENTRY_BITS +: ENTRY_BITS] =
                        key[KEY_BITS-1] ? mag ^ SIGN : mag;
                else
                    values[(p*LUTS + l)*ENTRY_BITS +: ENTRY_BITS] =
                        key[KEY_BITS-1] ? -mag : mag;
            end
        end
endmodule
`default_nettype wire
