# sifive_e: QEMU's FE310-like machine, RV32IMAC in machine + user mode with
# 16 KB of RAM. Read by cmake/pica-board.cmake before project().
set(PICA_ARCH riscv32)
set(PICA_TOOLCHAIN riscv32)
set(PICA_CPU_FLAGS -march=rv32imac -misa-spec=2.2 -mabi=ilp32 -mcmodel=medany)
# RAM the board offers to an image; tests that declare a larger RAM_NEED are
# listed as skipped here (cmake/pica.cmake).
set(PICA_BOARD_RAM 16384)
# The kernel's own threads and buffers sized for 16 KB. The test framework
# prints each thread's high-water mark ("stack use:"); over the whole suite
# here: main 584 B, timer 224, log 208, idle 160.
set(PICA_BOARD_DEFINES PICA_BOARD_IRQS=53 PICA_BOARD_NAME="sifive_e" PICA_PLIC_BASE=0x0C000000u
    PICA_CLINT_BASE=0x02000000u)
# Defaults a tree's PICA_CFG_DEFINES may override (cmake/pica.cmake). The
# console's transmit ring holds the longest report written where nothing may
# wait (a stack overflow's, about 90 bytes) whole; its RAM comes from the
# table of direct handlers (IRQ_DIRECT=0: they run through the kernel's
# table instead, counted). The shell keeps 4 lines of history of 80
# characters (486 bytes instead of 2,344) on a 1.5 KB stack, and cron holds
# two jobs. A process has 16 capability slots of 28 bytes, not 32.
set(PICA_BOARD_CFG
    PICA_CFG_IRQ_MAX=53
    PICA_CFG_IRQ_DIRECT=0
    PICA_CFG_HEAP_MAX_LOG2=14
    PICA_CFG_MAIN_STACK_SIZE=1024
    PICA_CFG_IDLE_STACK_SIZE=256
    PICA_CFG_TIMER_STACK_SIZE=512
    PICA_CFG_LOG_STACK_SIZE=512
    PICA_CFG_LOG_BUFFER_SIZE=256
    PICA_CFG_CONSOLE_RX_SIZE=64
    PICA_CFG_CONSOLE_TX_SIZE=128
    PICA_CFG_SYSCALL_STACK=512
    PICA_CFG_CAP_SLOTS=16
    PICA_CFG_SHELL_STACK_SIZE=1536
    SHELL_LINE_MAX=80
    SHELL_HISTORY=4
    PICA_CFG_CRON_JOBS=2
    PICA_CFG_CRON_STACK_SIZE=768
    PICA_CFG_CRON_RUN_STACK=768
    PICA_TEST_WORKER_STACK=768)
set(PICA_BOARD_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${PICA_ROOT}/drivers/uart/sifive_uart.c
    ${CMAKE_CURRENT_LIST_DIR}/timers.c
    ${PICA_ROOT}/drivers/timer/hwtimer.c
    ${PICA_ROOT}/drivers/timer/clint_timer.c)
set(PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/uart ${CMAKE_CURRENT_LIST_DIR} ${PICA_ROOT}/drivers/timer)
# GPIO0: the pin table (names in board_pins.h) and its controller driver.
set(PICA_BOARD_GPIO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/pins.c ${PICA_ROOT}/drivers/gpio/sifive_gpio.c)
# A host file through semihosting as a disk (drivers/blk/semihost_blk.c),
# linked only into images that use it: tests/kernel/semihost_blk runs where
# this is set, and semihost_blk_open_default() opens PICA_FS_IMAGE (cmake).
set(PICA_BOARD_HAS_SEMIHOST_BLK ON)
list(APPEND PICA_BOARD_SOURCES ${PICA_ROOT}/drivers/blk/semihost_blk.c)
list(APPEND PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/blk)
set(PICA_BOARD_LD ${CMAKE_CURRENT_LIST_DIR}/memory.ld)
# Where the kernel's image starts (memory.ld's FLASH): what the demo's rogue
# and the cron test's user task try to read.
set(PICA_BOARD_IMAGE_BASE 0x20400000u)
# The test framework's device timer: the one timers.c names, if any.
set(PICA_BOARD_TEST_SOURCES ${PICA_ROOT}/tests/framework/devtimer_hwtimer.c)
