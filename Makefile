# Thin driver over CMake presets. Every target takes BOARD= (default
# mps2-an386); run and debug also take APP=<folder> for an application kept
# outside the tree. `make help` lists the targets.
BOARD ?= mps2-an386
BOARDS := mps2-an386 mps2-an385 netduinoplus2 lm3s6965evb virt-rv32 sifive_e
# Extra trees of a board in another configuration, built and tested by make test.
VARIANTS := mps2-an385-lean virt-rv32-debug
APP ?=
BUILD := build
JOBS ?= 2

ifeq ($(strip $(APP)),)
  DIR := $(BUILD)/$(BOARD)
  IMAGE_TARGET := demo
  IMAGE = $(DIR)/apps/demo/demo.elf
  APP_FLAG :=
else
  DIR := $(BUILD)/$(BOARD)-app
  IMAGE_TARGET := external-app
  IMAGE = $$(cat $(DIR)/external-app.txt)
  APP_FLAG := -DPICA_APP_DIR=$(abspath $(patsubst ~/%,$(HOME)/%,$(APP)))
endif

.PHONY: help deps run debug test size clean configure image all bench fuzz

help:
	@echo "make run   [BOARD=b] [APP=dir]  build the demo (or APP) and boot it in QEMU; Ctrl-] quits"
	@echo "make test                       host unit tests + every QEMU test on every board (ctest)"
	@echo "make debug [BOARD=b] [APP=dir]  QEMU halted at reset with gdb-multiarch attached"
	@echo "make size  [BOARD=b|all]        flash/RAM per image and per component (all: every board)"
	@echo "make bench                      Thread-Metric, switch, latency and size figures on every board"
	@echo "make fuzz  [FUZZ_SECONDS=n]     run the libFuzzer targets (eBPF, ELF loader, cron, shell)"
	@echo "make clean                      remove build/"
	@echo "boards: $(BOARDS)"

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(DIR) -G Ninja -DPICA_BOARD=$(BOARD) $(APP_FLAG) >/dev/null

image: configure
	@cmake --build $(DIR) --target $(IMAGE_TARGET)

# virt-rv32's disk is a virtio one: QEMU needs the image file to exist (a
# blank one is formatted by the demo). The Arm boards open theirs through
# semihosting and make it themselves.
DISK = $(DIR)/pica-fs.img
ifeq ($(BOARD),virt-rv32)
  DISK_ARGS = --virtio-blk $(DISK)
endif

# The console is also a unix socket in the build folder, through which
# picactl in another terminal reaches the running board.
run: image
	@if [ -n "$(DISK_ARGS)" ] && [ ! -e $(DISK) ]; then truncate -s 4M $(DISK); fi
	@tools/pica-run --board $(BOARD) --interactive --timeout 0 --socket $(DIR)/console.sock \
	    $(DISK_ARGS) $(IMAGE)

debug: image
	@tools/pica-run --board $(BOARD) --debug $(IMAGE)

all: deps
	@for b in host $(BOARDS) $(VARIANTS); do \
	    cmake --preset $$b >/dev/null && cmake --build --preset $$b || exit 1; \
	done

test: all
	@printf 'subdirs(%s)\n' "host $(BOARDS) $(VARIANTS)" > $(BUILD)/CTestTestfile.cmake
	@cd $(BUILD) && ctest -j$(JOBS) --output-on-failure --no-label-summary

# BOARD=all: hello and tm_minimal on every board, one table.
ifeq ($(BOARD),all)
size: deps
	@for b in $(BOARDS); do \
	    cmake --preset $$b >/dev/null && cmake --build --preset $$b --target hello tm_minimal >/dev/null || exit 1; \
	done
	@python3 tools/pica-size $(foreach b,$(BOARDS),$(BUILD)/$(b)/apps/hello/hello.elf $(BUILD)/$(b)/bench/thread-metric/tm_minimal.elf)
else
size: configure
	@cmake --build $(DIR)
	@python3 tools/pica-size $(DIR)
endif

# Thread-Metric suite and kernel figures under QEMU icount on every board
# (build/bench-*); writes bench/results/thread-metric.md. Then IPC between
# user processes (bench/user/ipc_main.c, in the same trees, on the boards
# with a readable counter); writes bench/results/ipc.md. Then the file
# system figures (bench/fs/, on mps2-an385 and virt-rv32, about a minute
# more); writes bench/results/fs.md. Then what eBPF hooks cost the kernel's
# events, load times and program sizes (bench/bpf-hooks/, the same two
# boards); writes bench/results/bpf-hooks.md. The host eBPF interpreter
# benchmark is apart: cmake --build build/host --target bench-bpf.
bench: deps
	@python3 tools/pica-bench
	@python3 tools/pica-bench-ipc
	@python3 tools/pica-bench-fs
	@python3 tools/pica-bench-bpf

# Every libFuzzer target (cmake/pica-fuzz.cmake: the eBPF verifier + VM, the
# ELF loader, cron expressions...), each for FUZZ_SECONDS (default 60);
# corpora grow in build/host/fuzz/.
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake --preset host >/dev/null
	@cmake --build --preset host --target fuzz-build
	@cmake -S . -B $(BUILD)/host -DPICA_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build --preset host --target fuzz

clean:
	rm -rf $(BUILD)
