/* SPDX-License-Identifier: MIT */
/* General-purpose I/O: pins numbered by the board, configured, driven and
 * read one at a time or a port at a time, and a handler per pin for edge
 * interrupts. Portable half: drivers/gpio/gpio.c; controllers: pl061.c,
 * sifive_gpio.c; the board's pin table: boards/<board>/pins.c. Guide and
 * porting notes: docs/drivers.md (GPIO).
 *
 * A pin is PICA_GPIO_PIN(port, bit): port 0 is the board's first GPIO
 * controller (or bank), bit 0..31 a line of it. A board with GPIO names its
 * pins in board_pins.h (BOARD_GPIO(port, bit), BOARD_LED0, BOARD_BUTTON0
 * where it has them), which this header includes; test with #ifdef.
 *
 * Errors, the same for every call:
 *   -ENODEV   no such pin or port on this board (on a board without GPIO,
 *             every pin and port);
 *   -EPERM    the board keeps the pin for a peripheral (console UART, SPI
 *             bus lines): it is never a GPIO there;
 *   -EINVAL   bad flags or edges, a NULL handler or pointer, a write to a
 *             pin not configured as an output. These are the caller's bugs:
 *             a PICA_CFG_CHECK_PANIC build panics instead (PICA_CHECK);
 *   -ENOTSUP  the controller lacks the feature (a pull-down, an edge);
 *   -EBUSY    claimed by a driver (pica_gpio_claim), or a handler is
 *             already attached.
 * Checks come in that order and a refused call changes nothing. */
#pragma once

#include <stdint.h>

#define PICA_GPIO_PIN(port, bit) ((unsigned)(port) * 32u + (unsigned)(bit))
#define PICA_GPIO_PORT_OF(pin) ((unsigned)(pin) / 32u)
#define PICA_GPIO_BIT_OF(pin) ((unsigned)(pin) % 32u)

/* Configuration flags: exactly one direction, at most one pull, and for an
 * output at most one first level. The first level is latched before the
 * pin starts to drive, so a chip select configured high never pulses low.
 * An output without INIT_* keeps the level its latch holds (low after
 * reset). Pulls apply in either direction where the controller has them. */
#define PICA_GPIO_INPUT (1u << 0)
#define PICA_GPIO_OUTPUT (1u << 1)
#define PICA_GPIO_PULL_UP (1u << 2)
#define PICA_GPIO_PULL_DOWN (1u << 3)
#define PICA_GPIO_INIT_LOW (1u << 4)
#define PICA_GPIO_INIT_HIGH (1u << 5)

/* Edges for pica_gpio_irq_attach(). */
#define PICA_GPIO_EDGE_RISING (1u << 0)
#define PICA_GPIO_EDGE_FALLING (1u << 1)
#define PICA_GPIO_EDGE_BOTH (PICA_GPIO_EDGE_RISING | PICA_GPIO_EDGE_FALLING)

/* Runs in the controller's interrupt handler, so only ISR-safe calls
 * (pica_sem_give, pica_gpio_set...). */
typedef void (*pica_gpio_handler_t)(unsigned pin, void *arg);

/* Configure @pin with @flags (above). Context: any.
 * Returns: 0, -ENODEV, -EPERM, -EINVAL (bad flags), -ENOTSUP (a pull the
 * controller lacks), -EBUSY (claimed). */
int pica_gpio_config(unsigned pin, uint32_t flags);

/* Configure @pin as pica_gpio_config() does and keep it: until
 * pica_gpio_release(), every config or claim of it is refused with -EBUSY.
 * For drivers that own a pin (a chip select); levels stay writable by
 * anyone, as the claim guards the configuration, not each write.
 * Context: any. Returns: as pica_gpio_config(). */
int pica_gpio_claim(unsigned pin, uint32_t flags);

/* Give up a claim; the pin keeps its configuration and level.
 * Context: any. Returns: 0, -ENODEV, -EPERM, -EINVAL (not claimed). */
int pica_gpio_release(unsigned pin);

/* Drive an output high (set), low (clear), to the other level (toggle), or
 * high for any @level but 0 (write). Context: any (ISR-safe).
 * Returns: 0, -ENODEV, -EPERM, -EINVAL (not configured as an output). */
int pica_gpio_set(unsigned pin);
int pica_gpio_clear(unsigned pin);
int pica_gpio_toggle(unsigned pin);
int pica_gpio_write(unsigned pin, int level);

/* The level on @pin, input or output. Context: any (ISR-safe).
 * Returns: 0 or 1, -ENODEV, -EPERM. */
int pica_gpio_read(unsigned pin);

/* The levels of every pin of @port at once, bit n for pin
 * PICA_GPIO_PIN(@port, n); pins that do not exist or that the board keeps
 * read 0. Context: any. Returns: 0, -ENODEV (no such port), -EINVAL (NULL). */
int pica_gpio_port_read(unsigned port, uint32_t *value);

/* Drive the outputs in @mask to the matching bits of @value in one step;
 * the other pins are untouched. Context: any (ISR-safe).
 * Returns: 0, -ENODEV (no such port, or a bit of @mask is no pin), -EPERM
 * (a pin the board keeps), -EINVAL (a pin not configured as an output). */
int pica_gpio_port_write(unsigned port, uint32_t mask, uint32_t value);

/* Run @handler(@pin, @arg) in the interrupt that follows each of @edges
 * (PICA_GPIO_EDGE_*) on @pin, input or output. Edges that arrive while the
 * previous one is still pending merge into one call, as the controller
 * latches one bit per pin. The first handler on an interrupt line installs
 * the controller's handler on it (pica_irq_attach, priority
 * PICA_CFG_IRQ_PRIO_DEFAULT), which stays for later ones.
 * Context: thread or boot.
 * Returns: 0, -ENODEV, -EPERM, -EINVAL (NULL handler, no or unknown
 * edges), -ENOTSUP (an edge the controller cannot detect, or no interrupt
 * wired for the pin), -EBUSY (a handler is attached), -ENOMEM (the board's
 * handler slots are all taken), or pica_irq_attach()'s error. */
int pica_gpio_irq_attach(unsigned pin, unsigned edges, pica_gpio_handler_t handler, void *arg);

/* Stop the edge interrupts of @pin and forget its handler; no call starts
 * after this returns (one running in a more urgent interrupt may finish).
 * Context: any. Returns: 0, -ENODEV, -EPERM, -EINVAL (no handler). */
int pica_gpio_irq_detach(unsigned pin);

/* The board's pin names, where it has any. */
#if defined(__has_include)
#if __has_include(<board_pins.h>)
#include <board_pins.h>
#endif
#endif
