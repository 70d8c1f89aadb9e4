/* SPDX-License-Identifier: MIT */
/* sifive_e pin names (HiFive1 wiring): GPIO0 is port 0, its 32 lines
 * PICA_GPIO_PIN(0, n). The FE310 package brings out lines 0-5, 9-13 and
 * 16-23 only; the others are absent (-ENODEV). Table: pins.c. */
#pragma once

#include <pica/gpio.h>

#define BOARD_GPIO(port, bit) PICA_GPIO_PIN(port, bit)

/* The RGB LED, each colour lit by a low level. */
#define BOARD_LED0 BOARD_GPIO(0, 19) /* green */
#define BOARD_LED1 BOARD_GPIO(0, 21) /* blue */
#define BOARD_LED2 BOARD_GPIO(0, 22) /* red */
#define BOARD_LED_ACTIVE_LOW 1

/* Kept by the board (-EPERM): UART0, the console, on IOF0. */
#define BOARD_PIN_CONSOLE_RX BOARD_GPIO(0, 16)
#define BOARD_PIN_CONSOLE_TX BOARD_GPIO(0, 17)

/* The controller has pull-ups only. */
#define BOARD_GPIO_NO_PULL_DOWN 1
/* An output's own edges latch its interrupt: the input buffer stays on
 * for outputs (and QEMU loops each output back to its input). */
#define BOARD_GPIO_OWN_EDGES 1
