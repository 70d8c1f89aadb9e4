/* SPDX-License-Identifier: MIT */
/* sifive_e's GPIO pin table: SiFive GPIO0 at 0x10012000, line n on PLIC
 * source 8 + n. Names: board_pins.h; driver: drivers/gpio/sifive_gpio.c. */
#include "board_pins.h"
#include "sifive_gpio.h"

#define GPIO0_BASE 0x10012000u
#define GPIO0_IRQ0 8u

/* Lines the FE310 package brings out: 0-5, 9-13, 16-23. */
#define GPIO0_PINS 0x00ff3e3fu

static const struct gpio_port ports[] = {
    {
        .ops = &sifive_gpio_ops,
        .base = GPIO0_BASE,
        .pins = GPIO0_PINS,
        .reserved = (1u << PICA_GPIO_BIT_OF(BOARD_PIN_CONSOLE_RX)) |
                    (1u << PICA_GPIO_BIT_OF(BOARD_PIN_CONSOLE_TX)),
        .irq = GPIO0_IRQ0,
        .irq_per_pin = true,
        .clock = 0,
    },
};

/* Edge handlers attached at one time, over all pins: 12 bytes of RAM each. */
GPIO_BOARD_DEFINE(ports, 4);
