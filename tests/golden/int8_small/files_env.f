// files_env.f - the Verilog of tf_top in compile order, named through
// $TF_RTL (this folder): any working directory, both tools:
//   TF_RTL=DIR verilator -f DIR/files_env.f ...
//   TF_RTL=DIR iverilog -c DIR/files_env.f ...
${TF_RTL}/tf_top.v
${TF_RTL}/tf_ram.v
${TF_RTL}/tf_fifo.v
${TF_RTL}/tf_tlut_lut.v
${TF_RTL}/tf_tlut_ports.v
