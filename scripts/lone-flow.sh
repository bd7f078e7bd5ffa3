# scripts/lone-flow.sh - sourced by the scripts that measure lone units
# (fp-unit-delays.sh, fanout-power.sh, fp-unit-areas.sh, int-add-areas.sh):
# the synth flow's Yosys/ABC script onto osu018 and OpenSTA at a 10 ns
# clock, for a module `w` with clock `clk` and output `q`; or its area
# alone (lone_area).
LIB=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
ABC="+strash;ifraig;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;buffer,-N,8;upsize,{D};dnsize,{D};stime,-p"

# lone_flow DIR FILES INPUTS STA_COMMANDS: synthesize DIR/w.v (read with
# FILES, paths relative to DIR), then OpenSTA with the input ports INPUTS
# and STA_COMMANDS after the constraints: DIR/netlist.v, DIR/sta.txt
lone_flow() {
    cat > "$1/s.ys" <<EOF
read_verilog -sv $2
synth -top w -flatten -noshare
dfflibmap -liberty "$LIB"
abc -D 10000 -liberty "$LIB" -script "$ABC"
opt_clean -purge
write_verilog -noattr -simple-lhs netlist.v
EOF
    cat > "$1/s.tcl" <<EOF
read_liberty {$LIB}
read_verilog netlist.v
link_design w
create_clock -name clk -period 10 [get_ports {clk}]
set_input_delay 0 -clock clk [get_ports {$3}]
set_output_delay 0 -clock clk [get_ports {q}]
$4
EOF
    (cd "$1" && yosys -q s.ys > yosys.log 2>&1 && sta -exit s.tcl > sta.txt 2>&1)
}

# lone_area DIR FILES: synthesize DIR/w.v (read with FILES, paths relative
# to DIR; combinational: no dfflibmap) and print its cell area in um2
# (`stat -liberty`); cached: a DIR with area.txt is not run again
lone_area() {
    if [ ! -s "$1/area.txt" ]; then
        cat > "$1/s.ys" <<EOF
read_verilog -sv $2
synth -top w -flatten -noshare
abc -D 10000 -liberty "$LIB" -script "$ABC"
opt_clean -purge
tee -o stat.txt stat -liberty "$LIB"
EOF
        (cd "$1" && yosys -q s.ys > yosys.log 2>&1)
        awk '/Chip area/ {print $NF}' "$1/stat.txt" > "$1/area.txt"
    fi
    cat "$1/area.txt"
}
