# lm3s6965evb: Stellaris LM3S6965 (Cortex-M3), 256 KB flash, 64 KB SRAM.
# Read by cmake/pica-board.cmake before project().
set(PICA_ARCH cortex-m)
set(PICA_TOOLCHAIN arm-none-eabi)
set(PICA_CPU_FLAGS -mcpu=cortex-m3 -mthumb)
set(PICA_BOARD_RAM 65536)
set(PICA_BOARD_DEFINES PICA_BOARD_IRQS=48)
set(PICA_BOARD_CFG PICA_CFG_IRQ_MAX=48) # a default PICA_CFG_DEFINES may override
# Measured: QEMU 7.2's lm3s6965evb answers a read of any unmapped address
# (0xF0000000, 0x30000000, 0x60000000, 0xA0000000 ...) with zero, never a bus
# error; the tests of a load fault say they skip here.
set(PICA_BOARD_NO_BUS_FAULT "QEMU reads unmapped addresses as zero here, without a bus fault")
set(PICA_BOARD_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${PICA_ROOT}/drivers/uart/pl011.c
    ${CMAKE_CURRENT_LIST_DIR}/timers.c
    ${PICA_ROOT}/drivers/timer/hwtimer.c
    ${PICA_ROOT}/drivers/timer/stellaris_gptm.c)
set(PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/uart ${CMAKE_CURRENT_LIST_DIR} ${PICA_ROOT}/drivers/timer)
# The microSD socket on SSI0 (sd_card.c): the SPI layer, the PL022 and the SD
# card driver, linked only into images that use them; tests/kernel/sd runs the
# card's tests where PICA_BOARD_HAS_SD is set.
set(PICA_BOARD_HAS_SD ON)
list(APPEND PICA_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/sd_card.c
    ${PICA_ROOT}/drivers/spi/spi.c ${PICA_ROOT}/drivers/spi/pl022.c
    ${PICA_ROOT}/drivers/blk/sd_spi.c ${PICA_ROOT}/drivers/blk/sd_spi_wire.c ${PICA_ROOT}/drivers/blk/sd_spi_bus.c)
list(APPEND PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/spi ${PICA_ROOT}/drivers/blk)
# GPIO ports A-G: the pin table (names in board_pins.h) and the PL061 driver.
set(PICA_BOARD_GPIO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/pins.c ${PICA_ROOT}/drivers/gpio/pl061.c)
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
