# ternforge - non-recursive Makefile.
#   make               build build/ternforge
#   make test          fast tests (no simulators needed) and the folder layering
#                      (scripts/check-layers.sh)
#   make check         everything CI runs: unit, bad input, golden, lint, synthesis subset,
#                      co-simulation (Verilator + iverilog), sanitizer build
#   make check ONLY=cosim/mu3   only the tests a pattern selects (tests/run.sh --only)
#   make bench         benchmarks (prints numbers)
#   make bench-bitnet  one BitNet b1.58 2B4T token through `run` (writes 2.1 GB of .npy
#                      into build/bitnet once; slow: not in make check)
#   make bench-cosim   only the Verilator co-simulation bench (ratios to a yardstick)
#   make validate      cost model vs real synthesis, held-out points (slow, cached)
#   make calibrate TECH=osu018   refit a technology file from synthesis
#   make studies       the seed paper's studies as sweeps (examples/sweeps -> reports/studies)
#                      and the published designs against their best alternatives
#                      (scripts/published.sh -> reports/studies/published)
#   make cosim-published   co-simulate every examples/published design (slow: minutes each)
#   make fuzz-cosim    random design points co-simulated under iverilog and Verilator
#                      (tests/randcosim/random.py; SEED=S POINTS=N, default 100 each)
#   make paper         LUT core vs baselines measured (reports/paper-direction.md; slow
#                      where a point lacks a measurement; HIER_RUN=0 make paper: seconds)
#   make activity-study  power from switching activity: data study, activity-driven
#                      validation and energy refit (reports/studies/activity; slow, cached)
#   make fuzz          libFuzzer targets tests/fuzz/fuzz_*.c (clang) in build-fuzz/
#   make SANITIZE=address,undefined   instrumented build
#   make install PREFIX=/usr/local DESTDIR=
CC       ?= cc
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
CFLAGS   ?= -O2 -g
SANITIZE ?=
BUILD    ?= build

PKGS      := libxml-2.0 gsl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

# Required flags stay apart from the user's CFLAGS.
TF_CFLAGS := -std=c11 -Wall -Wextra -pthread -Icommon -MMD -MP $(PKG_CFLAGS)
ifneq ($(SANITIZE),)
TF_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
TF_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(DEVELOPER),)
TF_CFLAGS += -Werror
endif

# Every .c file of the library folders, in the order of their layers
# (scripts/check-layers.sh); a new kind's files need no line here.
# common/embed.c is the build helper that embeds the templates.
LAYERS := common model gen sim explore
SRCS := $(filter-out common/embed.c,$(foreach d,$(LAYERS),$(sort $(wildcard $(d)/*.c))))
OBJS := $(SRCS:%.c=$(BUILD)/%.o) $(BUILD)/templates.o
TEMPLATES := $(wildcard rtl-templates/*.v) sim/tb_verilator.cpp sim/tb_iverilog.v \
             $(wildcard model/tech/*.tech) $(wildcard model/tech/*.points)

# The unit tests are every tests/unit/test_*.c: tests/run.sh runs the same
# list (each binary takes a seed and prints "NAME: ok").
UNIT_BINS := $(patsubst %.c,$(BUILD)/%,$(sort $(wildcard tests/unit/test_*.c)))
# Plus the driver tests/synth/run.sh uses.
TEST_BINS := $(UNIT_BINS) $(BUILD)/tests/unit/synth_probe

.PHONY: all test check unit-tests bench bench-bitnet bench-cosim clean install uninstall lint-templates demo validate calibrate studies measured-points cosim-published paper activity-study fuzz fuzz-cosim
all: $(BUILD)/ternforge

CLI_SRCS := cli/main.c cli/opt.c cli/point.c cli/flow.c cli/plist.c cli/sweepout.c \
            cli/gen.c cli/pack.c cli/run.c cli/sim.c cli/quantize.c cli/params.c cli/inventory.c \
            cli/cost.c cli/synth.c cli/calibrate.c cli/validate.c cli/sweep.c cli/merge.c
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)

$(BUILD)/ternforge: $(CLI_OBJS) $(OBJS)
	$(CC) $(CFLAGS) $(TF_CFLAGS) -o $@ $(filter %.c %.o,$^) $(TF_LDFLAGS) $(LDFLAGS) $(PKG_LIBS) -lm

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TF_CFLAGS) -c -o $@ $<

$(BUILD)/embed: common/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/templates.c: $(BUILD)/embed $(TEMPLATES)
	$(BUILD)/embed $@ $(TEMPLATES)

$(BUILD)/templates.o: $(BUILD)/templates.c
	$(CC) $(CFLAGS) $(TF_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TF_CFLAGS) -o $@ $(filter %.c %.o,$^) $(TF_LDFLAGS) $(LDFLAGS) $(PKG_LIBS) -lm

# ONLY=PATTERN runs the selected tests alone (tests/run.sh --only).
test: $(BUILD)/ternforge $(TEST_BINS)
	@BUILD=$(BUILD) sh scripts/check-layers.sh
	@sh tests/run.sh --fast $(if $(ONLY),--only '$(ONLY)')

check: $(BUILD)/ternforge $(TEST_BINS)
	@sh tests/run.sh $(if $(ONLY),--only '$(ONLY)')

# The tool and the unit tests (tests/run.sh builds the sanitized ones so).
unit-tests: $(BUILD)/ternforge $(UNIT_BINS)

# Cost model vs real synthesis on held-out points, every technology (slow;
# cached). `make calibrate TECH=osu018` refits a technology's unit costs.
validate: $(BUILD)/ternforge
	@sh scripts/validate.sh $(TECH)

# The seed paper's studies as sweeps (examples/sweeps -> reports/studies).
studies: $(BUILD)/ternforge
	@sh scripts/studies.sh

# Which points of each study are measured, and the nearest measured point
# of the others (docs/studies.md, "Measured points"); seconds, no synthesis.
# Re-run after `make paper` or `make studies`.
measured-points: $(BUILD)/ternforge
	@python3 scripts/measured-points.py --tf $(BUILD)/ternforge > reports/studies/measured-points.md.tmp && \
		mv reports/studies/measured-points.md.tmp reports/studies/measured-points.md

# Every published design (examples/published) against the C model; make
# check co-simulates only the small ones.
# Random design points through `sim` (make check runs 12 under iverilog);
# failing points are kept in build/randcosim/.
POINTS ?= 100
fuzz-cosim: $(BUILD)/ternforge
	@seed="$(SEED)"; [ -n "$$seed" ] || seed=$$(date +%s); \
	echo "fuzz-cosim: seed $$seed"; st=0; \
	for s in iverilog verilator; do \
		python3 tests/randcosim/random.py $(BUILD)/ternforge $$seed $(POINTS) $$s \
			$(BUILD)/randcosim || st=1; \
	done; exit $$st

cosim-published: $(BUILD)/ternforge
	@for f in examples/published/*.xml; do \
		echo "== $$f"; $(BUILD)/ternforge sim $$f --vectors 2 || exit 1; \
	done

# The seed paper's LUT-core-vs-baselines comparison, measured
# hierarchically at 16x16, 32x32 and FP16 64x64 (reports/paper-direction.md).
# Measurements are kept in reports/paper-direction-measured.tsv: only points
# without an up-to-date one are synthesized (slow; WRAP="flock LOCK nice"
# takes a lock per point); HIER_RUN=0 only rewrites the report (seconds),
# e.g. after a change to the cost model. Not in `make check`.
paper: $(BUILD)/ternforge
	@sh scripts/paper-direction.sh

# Issue 17 part 3's measurements (gate-level simulation: slow, cached;
# WRAP="flock LOCK nice" runs each group of heavy jobs under a lock).
activity-study: $(BUILD)/ternforge
	@sh scripts/activity-study.sh

# --one-run: the shipped calibration came from the single-run --parts flow
# (before the per-module cache), so a refit reuses its cached runs. The
# options go through variables: a comma written inside $(if ...) would
# end its then-part (osu018 then held only fpadd, and xc7 got a stray
# "fp0" argument). FPGA: the FP pipeline flip-flops take no LUT or carry
# cell, held at the technology file's 0 (docs/cost-model.md). ice40 also
# holds its FP adder's LUTs at the file's value, measured on FP16 and
# BF16 adder modules synthesized alone, and its fixed LUTs a core
# (docs/cost-model.md, "FPGA FP adders at 32x32").
comma := ,
CALIBRATE_ASIC = --parts --one-run --hold-delay fpadd$(comma)fp0 --hold-unit area:add
CALIBRATE_FPGA = --hold-unit luts:fppipe$(comma)carry:fppipe$(if $(filter ice40,$(TECH)),$(comma)luts:fpadd$(comma)luts:one)
calibrate: $(BUILD)/ternforge
	$(BUILD)/ternforge calibrate --tech $(or $(TECH),osu018) $(if $(filter-out xc7 ice40,$(or $(TECH),osu018)),$(CALIBRATE_ASIC),$(CALIBRATE_FPGA)) --jobs 2 -o model/tech/$(or $(TECH),osu018).tech

bench: $(BUILD)/ternforge $(BUILD)/tests/unit/bench_model $(BUILD)/tests/unit/bench_cost \
       $(BUILD)/tests/unit/bench_matrix
	@sh scripts/bench.sh

bench-bitnet: $(BUILD)/ternforge
	@BUILD=$(BUILD) sh scripts/bench-bitnet.sh

# Only the Verilator co-simulation rows and their yardstick (part of bench).
bench-cosim: $(BUILD)/ternforge
	@TF=$(BUILD)/ternforge sh scripts/bench-cosim.sh

$(BUILD)/tests/unit/bench_model $(BUILD)/tests/unit/bench_cost $(BUILD)/tests/unit/bench_matrix: $(BUILD)/tests/unit/bench_%: tests/unit/bench_%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) -O2 $(TF_CFLAGS) -o $@ $(filter %.c %.o,$^) $(TF_LDFLAGS) $(LDFLAGS) $(PKG_LIBS) -lm

lint-templates:
	@for f in rtl-templates/*.v; do verilator --lint-only -Wall -y rtl-templates $$f || exit 1; done

install: $(BUILD)/ternforge
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BUILD)/ternforge $(DESTDIR)$(BINDIR)/ternforge

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ternforge

clean:
	rm -rf $(BUILD) build-san $(FUZZ_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Fuzzing (docs/security.md): every tests/fuzz/fuzz_*.c is a libFuzzer
# target, linked with the whole tool built by clang under ASan and UBSan
# in $(FUZZ_BUILD). Seeds: tests/fuzz/corpus/NAME/ (fuzz_NAME.c).
#   make fuzz && build-fuzz/fuzz_sweep -dict=tests/fuzz/xml.dict tests/fuzz/corpus/sweep
FUZZ_CC    ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 -std=c11 -Wall -Wextra -pthread -Icommon -MMD -MP $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJS  := $(SRCS:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/templates.o

fuzz: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/templates.o: $(BUILD)/templates.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS) -lm

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

# The README's first command: build, generate a small core, verify it.
demo: $(BUILD)/ternforge
	$(BUILD)/ternforge gen examples/int8_small.xml -o out/int8_small
	$(BUILD)/ternforge sim examples/int8_small.xml
