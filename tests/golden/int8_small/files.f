tf_top.v
tf_ram.v
tf_fifo.v
tf_tlut_lut.v
tf_tlut_ports.v
