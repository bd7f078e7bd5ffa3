core_b_top.v
core_b_ram.v
core_b_fifo.v
core_b_fpadd.v
