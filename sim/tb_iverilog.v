// ternforge: generic stimulus/response harness for tf_top (Icarus Verilog).
//
// Same behaviour and output format as sim/tb_verilator.cpp.  The port widths
// of the core under test must be passed as parameters:
//
//   iverilog -g2005 -s tf_tb -o sim.vvp \
//       -Ptf_tb.ROW_BITS=R -Ptf_tb.COL_BITS=C -Ptf_tb.ACT_BITS=A \
//       -Ptf_tb.WGT_BITS=W -Ptf_tb.RES_BITS=S sim/tb_iverilog.v <core files>
//   vvp -n sim.vvp +cfg=FILE +act=FILE +wgt=FILE +res=FILE [+seed=N]
//       [+stall=P] [+vcd=FILE [+vcddut]] [+maxcycles=N]
//
// Timeline (time unit = 1 delay step):
//   reset edges at 10 and 20 (rst=1), edge of cycle c at 30+10c.
//   Inputs for cycle c are driven 2 steps after the previous edge, the
//   clock falls 5 steps after an edge, the handshakes and result beat are
//   sampled 1 step before the edge.  This is race-free for any core
//   coding style.
//
// On timeout the line TIMEOUT is written as the last line of the res file,
// a message goes to stderr and the simulation ends with $finish.  Bad or
// missing files/arguments: message on stderr and $fatal (vvp exit status 1).

`timescale 1ns / 1ps
module tf_tb;
  parameter ROW_BITS = 8;
  parameter COL_BITS = 8;
  parameter ACT_BITS = 8;
  parameter WGT_BITS = 8;
  parameter RES_BITS = 8;

  localparam STDERR = 32'h8000_0002;

  reg                 clk = 1'b0;
  reg                 rst = 1'b1;
  reg                 cfg_valid = 1'b0;
  wire                cfg_ready;
  reg  [ROW_BITS-1:0] cfg_rows = {ROW_BITS{1'b0}};
  reg  [COL_BITS-1:0] cfg_cols = {COL_BITS{1'b0}};
  reg                 act_valid = 1'b0;
  wire                act_ready;
  reg  [ACT_BITS-1:0] act_data = {ACT_BITS{1'b0}};
  reg                 wgt_valid = 1'b0;
  wire                wgt_ready;
  reg  [WGT_BITS-1:0] wgt_data = {WGT_BITS{1'b0}};
  wire                res_valid;
  reg                 res_ready = 1'b0;
  wire [RES_BITS-1:0] res_data;
  wire                res_last;
  wire                busy;

  tf_top dut (
    .clk(clk), .rst(rst),
    .cfg_valid(cfg_valid), .cfg_ready(cfg_ready),
    .cfg_rows(cfg_rows), .cfg_cols(cfg_cols),
    .act_valid(act_valid), .act_ready(act_ready), .act_data(act_data),
    .wgt_valid(wgt_valid), .wgt_ready(wgt_ready), .wgt_data(wgt_data),
    .res_valid(res_valid), .res_ready(res_ready),
    .res_data(res_data), .res_last(res_last),
    .busy(busy)
  );

  // ---------------------------------------------------------------- state
  reg [8*4096-1:0] cfg_name, act_name, wgt_name, res_name, vcd_name;
  integer fd_cfg, fd_act, fd_wgt, fd_res;
  integer stall_i;
  reg [31:0] stall_p;
  reg [63:0] seed64, maxcycles;
  reg [31:0] rng;
  reg [63:0] cycle, lasts, njobs, stop_at;
  reg [63:0] cfg_count, act_count, wgt_count;
  reg done, finished;
  reg [ROW_BITS-1:0] m_next;
  reg [COL_BITS-1:0] n_next;
  reg [ACT_BITS-1:0] act_next;
  reg [WGT_BITS-1:0] wgt_next;
  reg cfg_has, act_has, wgt_has;
  reg st_cfg, st_act, st_wgt, st_res;
  reg cfg_x, act_x, wgt_x, res_x, res_l;
  integer i, rr;

  // xorshift32, shared with tb_verilator.cpp
  function [31:0] xs32;
    input [31:0] x;
    reg   [31:0] y;
    begin
      y = x ^ (x << 13);
      y = y ^ (y >> 17);
      xs32 = y ^ (y << 5);
    end
  endfunction

  task fail;  // message already printed
    begin
      $fatal(0, "harness: aborted");
    end
  endtask

  // first non-white-space character of fd (-1 at end of file)
  task skip_ws;
    input  integer fd;
    output integer ch;
    begin
      ch = $fgetc(fd);
      while (ch == 32 || ch == 9 || ch == 10 || ch == 13 || ch == 11 || ch == 12)
        ch = $fgetc(fd);
    end
  endtask

  // after a $fscanf conversion: the token must end at white space or EOF
  task tok_end;
    input  integer fd;
    output reg     ok;
    integer ch, r;
    begin
      ch = $fgetc(fd);
      ok = (ch == -1 || ch == 32 || ch == 9 || ch == 10 || ch == 13 || ch == 11 || ch == 12);
      if (ch != -1) r = $ungetc(ch, fd);
    end
  endtask

  // next job of the cfg stream into m_next/n_next, cfg_has
  task next_cfg;
    integer ch, r;
    reg ok;
    begin
      skip_ws(fd_cfg, ch);
      if (ch == -1) cfg_has = 1'b0;
      else begin
        r = $ungetc(ch, fd_cfg);
        r = $fscanf(fd_cfg, "%d", m_next);
        tok_end(fd_cfg, ok);
        cfg_count = cfg_count + 1;
        if (r != 1 || !ok || ^m_next === 1'bx) begin
          $fdisplay(STDERR, "harness: %0s: bad decimal value (item %0d)", cfg_name, cfg_count);
          fail;
        end
        skip_ws(fd_cfg, ch);
        if (ch == -1) begin
          $fdisplay(STDERR, "harness: %0s: odd number of values (each job is 'M N')", cfg_name);
          fail;
        end
        r = $ungetc(ch, fd_cfg);
        r = $fscanf(fd_cfg, "%d", n_next);
        tok_end(fd_cfg, ok);
        cfg_count = cfg_count + 1;
        if (r != 1 || !ok || ^n_next === 1'bx) begin
          $fdisplay(STDERR, "harness: %0s: bad decimal value (item %0d)", cfg_name, cfg_count);
          fail;
        end
        cfg_has = 1'b1;
      end
    end
  endtask

  task next_act;
    integer ch, r;
    reg ok;
    begin
      skip_ws(fd_act, ch);
      if (ch == -1) act_has = 1'b0;
      else begin
        r = $ungetc(ch, fd_act);
        r = $fscanf(fd_act, "%h", act_next);
        tok_end(fd_act, ok);
        act_count = act_count + 1;
        if (r != 1 || !ok || ^act_next === 1'bx) begin
          $fdisplay(STDERR, "harness: %0s: bad hex value (item %0d)", act_name, act_count);
          fail;
        end
        act_has = 1'b1;
      end
    end
  endtask

  task next_wgt;
    integer ch, r;
    reg ok;
    begin
      skip_ws(fd_wgt, ch);
      if (ch == -1) wgt_has = 1'b0;
      else begin
        r = $ungetc(ch, fd_wgt);
        r = $fscanf(fd_wgt, "%h", wgt_next);
        tok_end(fd_wgt, ok);
        wgt_count = wgt_count + 1;
        if (r != 1 || !ok || ^wgt_next === 1'bx) begin
          $fdisplay(STDERR, "harness: %0s: bad hex value (item %0d)", wgt_name, wgt_count);
          fail;
        end
        wgt_has = 1'b1;
      end
    end
  endtask

  // ------------------------------------------------------------------ run
  initial begin
    // the parameters must match the core's port widths
    if ($bits(dut.cfg_rows) != ROW_BITS || $bits(dut.cfg_cols) != COL_BITS ||
        $bits(dut.act_data) != ACT_BITS || $bits(dut.wgt_data) != WGT_BITS ||
        $bits(dut.res_data) != RES_BITS) begin
      $fdisplay(STDERR, {"harness: width parameters do not match tf_top: core has ",
                         "ROW_BITS=%0d COL_BITS=%0d ACT_BITS=%0d WGT_BITS=%0d RES_BITS=%0d"},
                $bits(dut.cfg_rows), $bits(dut.cfg_cols), $bits(dut.act_data),
                $bits(dut.wgt_data), $bits(dut.res_data));
      fail;
    end
    if (!$value$plusargs("cfg=%s", cfg_name)) begin
      $fdisplay(STDERR, "harness: missing +cfg=FILE"); fail;
    end
    if (!$value$plusargs("act=%s", act_name)) begin
      $fdisplay(STDERR, "harness: missing +act=FILE"); fail;
    end
    if (!$value$plusargs("wgt=%s", wgt_name)) begin
      $fdisplay(STDERR, "harness: missing +wgt=FILE"); fail;
    end
    if (!$value$plusargs("res=%s", res_name)) begin
      $fdisplay(STDERR, "harness: missing +res=FILE"); fail;
    end
    seed64 = 64'd1;
    if ($value$plusargs("seed=%d", seed64)) ;
    stall_i = 0;
    if ($value$plusargs("stall=%d", stall_i)) ;
    if (stall_i < 0) stall_i = 0;
    if (stall_i > 100) stall_i = 100;
    stall_p = stall_i;
    maxcycles = 64'd100000000;
    if ($value$plusargs("maxcycles=%d", maxcycles)) ;

    // count the jobs (first pass over the cfg file)
    cfg_count = 0;
    act_count = 0;
    wgt_count = 0;
    fd_cfg = $fopen(cfg_name, "r");
    if (fd_cfg == 0) begin
      $fdisplay(STDERR, "harness: cannot open '%0s'", cfg_name); fail;
    end
    njobs = 0;
    next_cfg;
    while (cfg_has) begin
      njobs = njobs + 1;
      next_cfg;
    end
    $fclose(fd_cfg);
    cfg_count = 0;
    fd_cfg = $fopen(cfg_name, "r");
    if (fd_cfg == 0) begin
      $fdisplay(STDERR, "harness: cannot open '%0s'", cfg_name); fail;
    end
    fd_act = $fopen(act_name, "r");
    if (fd_act == 0) begin
      $fdisplay(STDERR, "harness: cannot open '%0s'", act_name); fail;
    end
    fd_wgt = $fopen(wgt_name, "r");
    if (fd_wgt == 0) begin
      $fdisplay(STDERR, "harness: cannot open '%0s'", wgt_name); fail;
    end
    fd_res = $fopen(res_name, "w");
    if (fd_res == 0) begin
      $fdisplay(STDERR, "harness: cannot open '%0s' for writing", res_name); fail;
    end
    next_cfg;
    next_act;
    next_wgt;

    if ($value$plusargs("vcd=%s", vcd_name)) begin
      $dumpfile(vcd_name);
      // +vcddut: the core's own nets only (sim/activity.c counts their
      // toggles); a mapped netlist's cell internals would triple the file
      if ($test$plusargs("vcddut")) $dumpvars(1, dut);
      else $dumpvars(0, tf_tb);
    end

    rng = seed64[31:0] ^ 32'h9e3779b9;
    if (rng == 32'd0) rng = 32'd1;
    for (i = 0; i < 8; i = i + 1) rng = xs32(rng);

    // reset: rising edges at 10 and 20 with rst = 1
    #10 clk = 1'b1;
    #5  clk = 1'b0;
    #5  clk = 1'b1;
    #2  rst = 1'b0;
    cycle = 0;
    lasts = 0;
    done = (njobs == 0);
    stop_at = 2;
    finished = 1'b0;
    while (!finished) begin
      // -- drive the inputs for the edge of `cycle` (2 steps after an edge)
      rng = xs32(rng); st_cfg = (rng % 100) < stall_p;
      rng = xs32(rng); st_act = (rng % 100) < stall_p;
      rng = xs32(rng); st_wgt = (rng % 100) < stall_p;
      rng = xs32(rng); st_res = (rng % 100) < stall_p;
      if (!cfg_valid && cfg_has && !st_cfg) begin
        cfg_valid = 1'b1;
        cfg_rows = m_next;
        cfg_cols = n_next;
      end
      if (!act_valid && act_has && !st_act) begin
        act_valid = 1'b1;
        act_data = act_next;
      end
      if (!wgt_valid && wgt_has && !st_wgt) begin
        wgt_valid = 1'b1;
        wgt_data = wgt_next;
      end
      res_ready = !st_res;
      #3 clk = 1'b0;
      if (done ? (cycle == stop_at) : (cycle >= maxcycles))
        finished = 1'b1;
      else begin
        // -- sample 1 step before the edge
        #4;
        cfg_x = cfg_valid && cfg_ready === 1'b1;
        act_x = act_valid && act_ready === 1'b1;
        wgt_x = wgt_valid && wgt_ready === 1'b1;
        res_x = res_ready && res_valid === 1'b1;
        res_l = 1'b0;
        if (res_x) begin
          res_l = (res_last === 1'b1);
          $fwrite(fd_res, "%0d %0d %h\n", cycle, res_l, res_data);
        end
        // -- rising edge
        #1 clk = 1'b1;
        #2;
        if (cfg_x) begin
          cfg_valid = 1'b0;
          next_cfg;
        end
        if (act_x) begin
          act_valid = 1'b0;
          next_act;
        end
        if (wgt_x) begin
          wgt_valid = 1'b0;
          next_wgt;
        end
        if (res_l) begin
          lasts = lasts + 1;
          if (!done && lasts == njobs) begin
            done = 1'b1;
            stop_at = cycle + 3;
          end
        end
        cycle = cycle + 1;
      end
    end

    if (!done) begin
      $fwrite(fd_res, "TIMEOUT\n");
      $fdisplay(STDERR, "harness: timeout after %0d cycles (jobs done %0d of %0d)",
                cycle, lasts, njobs);
    end else
      $display("harness: %0d cycles", cycle);
    $fclose(fd_res);
    $fclose(fd_cfg);
    $fclose(fd_act);
    $fclose(fd_wgt);
    $finish;
  end
endmodule
