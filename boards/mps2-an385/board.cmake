# mps2-an385: Cortex-M3 on QEMU's MPS2 model. Read by cmake/pica-board.cmake before project().
set(PICA_ARCH cortex-m)
set(PICA_TOOLCHAIN arm-none-eabi)
set(PICA_CPU_FLAGS -mcpu=cortex-m3 -mthumb)
set(PICA_BOARD_DEFINES PICA_BOARD_IRQS=32 PICA_BOARD_NAME="mps2-an385" PICA_BOARD_CPU="Cortex-M3")
set(PICA_BOARD_SOURCES
    ${PICA_ROOT}/boards/mps2-an386/board.c
    ${PICA_ROOT}/drivers/uart/cmsdk_uart.c
    ${PICA_ROOT}/boards/mps2-an386/timers.c
    ${PICA_ROOT}/drivers/timer/hwtimer.c
    ${PICA_ROOT}/drivers/timer/cmsdk_timer.c
    ${PICA_ROOT}/drivers/timer/cmsdk_dualtimer.c)
set(PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/uart ${PICA_ROOT}/drivers/timer
    ${PICA_ROOT}/boards/mps2-an386)
# A host file through semihosting as a disk (drivers/blk/semihost_blk.c),
# linked only into images that use it: tests/kernel/semihost_blk runs where
# this is set, and semihost_blk_open_default() opens PICA_FS_IMAGE (cmake).
set(PICA_BOARD_HAS_SEMIHOST_BLK ON)
list(APPEND PICA_BOARD_SOURCES ${PICA_ROOT}/drivers/blk/semihost_blk.c)
list(APPEND PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/blk)
set(PICA_BOARD_LD ${CMAKE_CURRENT_LIST_DIR}/memory.ld)
# Where the kernel's image starts (memory.ld's FLASH): what the demo's rogue
# and the cron test's user task try to read.
set(PICA_BOARD_IMAGE_BASE 0x00000000u)
# The test framework's device timer (pica_test_devtimer_start).
set(PICA_BOARD_TEST_SOURCES ${PICA_ROOT}/tests/framework/devtimer_hwtimer.c)
