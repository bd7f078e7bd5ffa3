tf_top.v
tf_sram_1r1w.v
tf_sram_fifo.v
tf_tlut_lut.v
tf_tlut_ports.v
