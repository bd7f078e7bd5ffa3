// files_env.f - the Verilog of core_b_top in compile order, named through
// $CORE_B_RTL (this folder): any working directory, both tools:
//   CORE_B_RTL=DIR verilator -f DIR/files_env.f ...
//   CORE_B_RTL=DIR iverilog -c DIR/files_env.f ...
${CORE_B_RTL}/core_b_top.v
${CORE_B_RTL}/core_b_ram.v
${CORE_B_RTL}/core_b_fifo.v
${CORE_B_RTL}/core_b_fpadd.v
