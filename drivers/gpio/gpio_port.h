/* SPDX-License-Identifier: MIT */
/* Inside GPIO: what the portable half (gpio.c), the controller drivers
 * (pl061.c, sifive_gpio.c) and a board's pin table (boards/<b>/pins.c)
 * share. Applications see <pica/gpio.h> only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/gpio.h>

struct gpio_port;

/* A controller model. gpio.c checks every argument first (the pin exists,
 * the board does not keep it, the flags are whole and supported) and
 * calls every hook but read and irq_take with the kernel lock held, so a
 * hook may read-modify-write its registers freely. */
struct gpio_ops {
    /* Make @port usable (clocks, stale interrupts); once, before any other
     * hook. May be NULL. */
    void (*init)(const struct gpio_port *port);
    /* Configure line @bit from checked @flags. For an output, latch the
     * first level before enabling the driver. */
    void (*config)(const struct gpio_port *port, unsigned bit, uint32_t flags);
    /* Levels of all lines. Any context, no lock. */
    uint32_t (*read)(const struct gpio_port *port);
    /* Drive the lines in @mask to their bits in @value, others untouched. */
    void (*write)(const struct gpio_port *port, uint32_t mask, uint32_t value);
    void (*toggle)(const struct gpio_port *port, uint32_t mask);
    /* Detect @edges (PICA_GPIO_EDGE_*, 0 for none) on line @bit, dropping
     * any edge latched before. */
    void (*irq_edges)(const struct gpio_port *port, unsigned bit, unsigned edges);
    /* In the interrupt: the lines with an enabled edge latched, cleared. */
    uint32_t (*irq_take)(const struct gpio_port *port);
    uint32_t flags; /* the PICA_GPIO_* configuration flags it supports */
    unsigned edges; /* the PICA_GPIO_EDGE_* it detects */
};

#define GPIO_NO_IRQ 0xffffu

/* One port of a board: constant, in flash. */
struct gpio_port {
    const struct gpio_ops *ops;
    uintptr_t base;
    uint32_t pins;     /* lines that exist on this board */
    uint32_t reserved; /* of those, lines the board keeps for a peripheral */
    uint16_t irq;      /* interrupt line of the port, or of line 0; GPIO_NO_IRQ */
    bool irq_per_pin;  /* line n interrupts on irq + n (else all on irq) */
    uint8_t clock;     /* controller-specific: see the driver */
};

/* What gpio.c keeps per port, in RAM. */
struct gpio_port_state {
    uint32_t outputs;   /* lines configured as outputs */
    uint32_t claimed;   /* lines a driver holds (pica_gpio_claim) */
    uint32_t irq_lines; /* bit n: interrupt line irq + n installed (bit 0 if shared) */
    bool ready;         /* ops->init has run */
};

/* An attached edge handler; free while fn is NULL. */
struct gpio_handler {
    pica_gpio_handler_t fn;
    void *arg;
    unsigned pin;
};

struct gpio_board {
    const struct gpio_port *ports;
    struct gpio_port_state *state; /* one per port */
    struct gpio_handler *handlers; /* shared by all pins */
    uint8_t port_count;
    uint8_t handler_count;
};

/* Every image has exactly one: the board's (boards/<b>/pins.c, through
 * PICA_BOARD_GPIO_SOURCES) or, for a board without GPIO, gpio_none.c's. */
extern const struct gpio_board board_gpio;

/* Define board_gpio from a constant array of ports and a number of handler
 * slots (edge handlers attached at one time, over all pins). */
#define GPIO_BOARD_DEFINE(port_table, handler_slots)                                              \
    static struct gpio_port_state gpio_board_state[sizeof(port_table) / sizeof((port_table)[0])]; \
    static struct gpio_handler gpio_board_handlers[handler_slots];                                \
    const struct gpio_board board_gpio = {                                                        \
        .ports = (port_table),                                                                    \
        .state = gpio_board_state,                                                                \
        .handlers = gpio_board_handlers,                                                          \
        .port_count = sizeof(port_table) / sizeof((port_table)[0]),                              \
        .handler_count = (handler_slots),                                                         \
    }
