/* SPDX-License-Identifier: MIT */
/* The pin table of a board without GPIO (no modelled controller): no
 * ports, so every pica_gpio_* call refuses its pin or port with -ENODEV.
 * cmake/pica.cmake links it where a board names no PICA_BOARD_GPIO_SOURCES. */
#include <stddef.h>

#include "gpio_port.h"

const struct gpio_board board_gpio = {
    .ports = NULL,
    .state = NULL,
    .handlers = NULL,
    .port_count = 0,
    .handler_count = 0,
};
