# virt-rv32: QEMU 'virt' with an RV32IMAC hart in machine mode. Read by
# cmake/pica-board.cmake before project().
set(PICA_ARCH riscv32)
set(PICA_TOOLCHAIN riscv32)
set(PICA_CPU_FLAGS -march=rv32imac -misa-spec=2.2 -mabi=ilp32 -mcmodel=medany)
set(PICA_BOARD_DEFINES PICA_BOARD_IRQS=96 PICA_BOARD_NAME="virt-rv32" PICA_PLIC_BASE=0x0C000000u
    PICA_CLINT_BASE=0x02000000u)
set(PICA_BOARD_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${PICA_ROOT}/drivers/uart/ns16550.c
    ${CMAKE_CURRENT_LIST_DIR}/timers.c
    ${PICA_ROOT}/drivers/timer/hwtimer.c
    ${PICA_ROOT}/drivers/timer/goldfish_rtc.c
    ${PICA_ROOT}/drivers/timer/clint_timer.c)
set(PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/uart ${PICA_ROOT}/drivers/timer ${CMAKE_CURRENT_LIST_DIR})
# virtio-blk on the virtio-mmio transports (board_virtio.h), linked only into
# images that use it; tests/kernel/virtio_blk runs where this is set, with a
# disk image attached by tools/pica-run --virtio-blk IMG.
set(PICA_BOARD_HAS_VIRTIO_BLK ON)
list(APPEND PICA_BOARD_SOURCES
    ${PICA_ROOT}/drivers/blk/virtio_mmio.c ${PICA_ROOT}/drivers/blk/virtio_blk.c)
list(APPEND PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/blk)
set(PICA_BOARD_LD ${CMAKE_CURRENT_LIST_DIR}/memory.ld)
# Where the kernel's image starts (memory.ld's FLASH): what the demo's rogue
# and the cron test's user task try to read.
set(PICA_BOARD_IMAGE_BASE 0x80000000u)
# The test framework's device timer (pica_test_devtimer_start).
set(PICA_BOARD_TEST_SOURCES ${PICA_ROOT}/tests/framework/devtimer_hwtimer.c)
