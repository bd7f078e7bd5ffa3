tf_top.v
tf_ram.v
tf_fifo.v
tf_fxconv.v
