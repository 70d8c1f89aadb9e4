/* SPDX-License-Identifier: MIT */
/* lm3s6965evb pin names (EK-LM3S6965 wiring). Ports A-G are 0-6, each a
 * PL061 of eight lines; the LM3S6965 brings out PA0-7, PB0-7, PC0-7,
 * PD0-7, PE0-3, PF0-3 and PG0-1, the others are absent (-ENODEV).
 * Table: pins.c. */
#pragma once

#include <pica/gpio.h>

#define BOARD_GPIO(port, bit) PICA_GPIO_PIN(port, bit)
#define BOARD_PORT_A 0u
#define BOARD_PORT_B 1u
#define BOARD_PORT_C 2u
#define BOARD_PORT_D 3u
#define BOARD_PORT_E 4u
#define BOARD_PORT_F 5u
#define BOARD_PORT_G 6u

#define BOARD_LED0 BOARD_GPIO(BOARD_PORT_F, 0)    /* user LED, lit high */
#define BOARD_BUTTON0 BOARD_GPIO(BOARD_PORT_F, 1) /* select switch, low when pressed */
#define BOARD_BUTTON_UP BOARD_GPIO(BOARD_PORT_E, 0)
#define BOARD_BUTTON_DOWN BOARD_GPIO(BOARD_PORT_E, 1)
#define BOARD_BUTTON_LEFT BOARD_GPIO(BOARD_PORT_E, 2)
#define BOARD_BUTTON_RIGHT BOARD_GPIO(BOARD_PORT_E, 3)

/* The SD card's chip select: a GPIO, claimed by the SPI driver. */
#define BOARD_PIN_SD_CS BOARD_GPIO(BOARD_PORT_D, 0)

/* Kept by the board (-EPERM): UART0, the console (PA0, PA1); SSI0's
 * clock and data lines (PA2, PA4, PA5); JTAG (PB7, PC0-3), which the part
 * locks against reconfiguration. */
#define BOARD_PIN_CONSOLE_RX BOARD_GPIO(BOARD_PORT_A, 0)
#define BOARD_PIN_CONSOLE_TX BOARD_GPIO(BOARD_PORT_A, 1)
#define BOARD_PIN_SSI0_CLK BOARD_GPIO(BOARD_PORT_A, 2)
#define BOARD_PIN_SSI0_RX BOARD_GPIO(BOARD_PORT_A, 4)
#define BOARD_PIN_SSI0_TX BOARD_GPIO(BOARD_PORT_A, 5)

/* Not BOARD_GPIO_OWN_EDGES: the PL061 would latch an output's own edges,
 * but QEMU's model latches edges on input lines only. */
