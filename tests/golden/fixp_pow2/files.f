tf_top.v
tf_fxconv.v
tf_ram.v
tf_fifo.v
