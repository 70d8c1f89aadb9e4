/* SPDX-License-Identifier: MIT */
/* SiFive GPIO0 (sifive_gpio.c), for board pin tables: one port of 32
 * lines, { &sifive_gpio_ops, base, pins, reserved, PLIC source of line 0,
 * true, 0 }, line n interrupting on source + n. */
#pragma once

#include "gpio_port.h"

extern const struct gpio_ops sifive_gpio_ops;
