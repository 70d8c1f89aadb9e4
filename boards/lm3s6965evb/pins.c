/* SPDX-License-Identifier: MIT */
/* lm3s6965evb's GPIO pin table: seven PL061 ports, A-D at 0x40004000-
 * 0x40007000 and E-G at 0x40024000-0x40026000, on NVIC lines 0-4, 30 and
 * 31, clock-gated by RCGC2 bits 0-6. Names: board_pins.h; driver:
 * drivers/gpio/pl061.c. */
#include "board_pins.h"
#include "pl061.h"

#define BIT(pin) (1u << PICA_GPIO_BIT_OF(pin))

#define PORT_A_KEPT                                                                               \
    (BIT(BOARD_PIN_CONSOLE_RX) | BIT(BOARD_PIN_CONSOLE_TX) | BIT(BOARD_PIN_SSI0_CLK) |            \
     BIT(BOARD_PIN_SSI0_RX) | BIT(BOARD_PIN_SSI0_TX))
#define PORT_B_KEPT (1u << 7) /* JTAG TRST */
#define PORT_C_KEPT 0x0fu     /* JTAG TCK, TMS, TDI, TDO */

#define PORT(addr, lines, kept, line, gate)                                                       \
    {                                                                                             \
        .ops = &pl061_gpio_ops, .base = (addr), .pins = (lines), .reserved = (kept),              \
        .irq = (line), .irq_per_pin = false, .clock = (gate),                                     \
    }

static const struct gpio_port ports[] = {
    PORT(0x40004000u, 0xffu, PORT_A_KEPT, 0, 0),
    PORT(0x40005000u, 0xffu, PORT_B_KEPT, 1, 1),
    PORT(0x40006000u, 0xffu, PORT_C_KEPT, 2, 2),
    PORT(0x40007000u, 0xffu, 0, 3, 3),
    PORT(0x40024000u, 0x0fu, 0, 4, 4),
    PORT(0x40025000u, 0x0fu, 0, 30, 5),
    PORT(0x40026000u, 0x03u, 0, 31, 6),
};

/* Edge handlers attached at one time, over all pins: 12 bytes of RAM each. */
GPIO_BOARD_DEFINE(ports, 8);
