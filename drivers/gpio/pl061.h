/* SPDX-License-Identifier: MIT */
/* ARM PL061 GPIO with the Stellaris additions (pl061.c), for board pin
 * tables: a port is { &pl061_gpio_ops, base, pins, reserved, NVIC line,
 * false, RCGC2 bit }. */
#pragma once

#include "gpio_port.h"

/* gpio_port.clock for a PL061 with no Stellaris clock gate. */
#define PL061_NO_CLOCK 0xffu

extern const struct gpio_ops pl061_gpio_ops;
