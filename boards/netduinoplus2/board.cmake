# netduinoplus2: STM32F405RG (Cortex-M4F). Read by cmake/pica-board.cmake before project().
set(PICA_ARCH cortex-m)
set(PICA_TOOLCHAIN arm-none-eabi)
set(PICA_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
set(PICA_BOARD_DEFINES PICA_BOARD_IRQS=82)
set(PICA_BOARD_RAM 131072) # 128 KB of SRAM (the 64 KB CCM is not used)
set(PICA_BOARD_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/board.c
    ${PICA_ROOT}/drivers/uart/stm32_usart.c
    ${PICA_ROOT}/drivers/clock/stm32f4_clock.c
    ${PICA_ROOT}/drivers/clock/stm32f4_pll.c
    ${CMAKE_CURRENT_LIST_DIR}/timers.c
    ${PICA_ROOT}/drivers/timer/hwtimer.c
    ${PICA_ROOT}/drivers/timer/stm32_tim.c)
set(PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/uart ${PICA_ROOT}/drivers/clock ${PICA_ROOT}/drivers/timer
    ${CMAKE_CURRENT_LIST_DIR})
# A host file through semihosting as a disk (drivers/blk/semihost_blk.c),
# linked only into images that use it: tests/kernel/semihost_blk runs where
# this is set, and semihost_blk_open_default() opens PICA_FS_IMAGE (cmake).
set(PICA_BOARD_HAS_SEMIHOST_BLK ON)
list(APPEND PICA_BOARD_SOURCES ${PICA_ROOT}/drivers/blk/semihost_blk.c)
list(APPEND PICA_BOARD_INCLUDES ${PICA_ROOT}/drivers/blk)
set(PICA_BOARD_LD ${CMAKE_CURRENT_LIST_DIR}/memory.ld)
# Where the kernel's image starts (memory.ld's FLASH): what the demo's rogue
# and the cron test's user task try to read.
set(PICA_BOARD_IMAGE_BASE 0x08000000u)
# The test framework's device timer (pica_test_devtimer_start).
set(PICA_BOARD_TEST_SOURCES ${PICA_ROOT}/tests/framework/devtimer_hwtimer.c)
