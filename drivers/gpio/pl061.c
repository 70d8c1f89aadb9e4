/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL061 GPIO with the Stellaris (LM3S) additions: pull-up
 * and pull-down, digital enable, and the port's clock gate in the system
 * control block. Eight lines and one interrupt line per port. The hooks
 * gpio.c calls (gpio_port.h); a board's table names pl061_gpio_ops, with
 * gpio_port.clock the port's bit in RCGC2 (PL061_NO_CLOCK: none).
 *
 * GPIODATA is 256 words: a write at offset (mask << 2) changes only the
 * lines in mask, so one store sets or clears lines without a
 * read-modify-write; offset 0x3fc reads all eight. */
#include "pl061.h"

#define GPIODATA_ALL 0x3fcu
#define GPIODIR 0x400u
#define GPIOIS 0x404u  /* 1: level-sensitive */
#define GPIOIBE 0x408u /* 1: both edges */
#define GPIOIEV 0x40cu /* 1: rising edge (or high level) */
#define GPIOIM 0x410u
#define GPIORIS 0x414u
#define GPIOMIS 0x418u
#define GPIOICR 0x41cu
#define GPIOAFSEL 0x420u
#define GPIOPUR 0x510u
#define GPIOPDR 0x514u
#define GPIODEN 0x51cu

#define SYSCTL_RCGC2 ((volatile uint32_t *)0x400fe108u)

static inline volatile uint32_t *
reg(const struct gpio_port *port, uint32_t offset)
{
    return (volatile uint32_t *)(port->base + offset);
}

static inline void
set_bits(const struct gpio_port *port, uint32_t offset, uint32_t mask, bool on)
{
    volatile uint32_t *r = reg(port, offset);
    *r = on ? *r | mask : *r & ~mask;
}

static inline void
data_write(const struct gpio_port *port, uint32_t mask, uint32_t value)
{
    *reg(port, mask << 2) = value;
}

static void
pl061_init(const struct gpio_port *port)
{
    if (port->clock != PL061_NO_CLOCK) {
        *SYSCTL_RCGC2 |= 1u << port->clock;
        /* The port answers three clocks after its gate opens. */
        (void)*SYSCTL_RCGC2;
        (void)*SYSCTL_RCGC2;
        (void)*SYSCTL_RCGC2;
    }
    /* Mask and clear interrupts of the lines the board gives to GPIO. */
    uint32_t ours = port->pins & ~port->reserved;
    set_bits(port, GPIOIM, ours, false);
    *reg(port, GPIOICR) = ours;
}

static void
pl061_config(const struct gpio_port *port, unsigned bit, uint32_t flags)
{
    uint32_t m = 1u << bit;
    set_bits(port, GPIOAFSEL, m, false);
    /* The LM3S clears the opposite pull itself; a plain PL061 model may
     * not, so clear it first. */
    set_bits(port, GPIOPDR, m, false);
    set_bits(port, GPIOPUR, m, false);
    if (flags & PICA_GPIO_PULL_UP) {
        set_bits(port, GPIOPUR, m, true);
    } else if (flags & PICA_GPIO_PULL_DOWN) {
        set_bits(port, GPIOPDR, m, true);
    }
    set_bits(port, GPIODEN, m, true);
    if (!(flags & PICA_GPIO_OUTPUT)) {
        set_bits(port, GPIODIR, m, false);
        return;
    }
    uint32_t level = (flags & PICA_GPIO_INIT_HIGH) ? m : 0;
    bool init = (flags & (PICA_GPIO_INIT_HIGH | PICA_GPIO_INIT_LOW)) != 0;
    /* The silicon latches GPIODATA whatever the direction, so the first
     * level is there before the line drives. QEMU's model drops writes to
     * input lines; the second write catches it up there, an instant late. */
    if (init) {
        data_write(port, m, level);
    }
    set_bits(port, GPIODIR, m, true);
    if (init) {
        data_write(port, m, level);
    }
}

static uint32_t
pl061_read(const struct gpio_port *port)
{
    return *reg(port, GPIODATA_ALL) & 0xffu;
}

static void
pl061_write(const struct gpio_port *port, uint32_t mask, uint32_t value)
{
    data_write(port, mask, value);
}

static void
pl061_toggle(const struct gpio_port *port, uint32_t mask)
{
    data_write(port, mask, ~*reg(port, mask << 2));
}

static void
pl061_irq_edges(const struct gpio_port *port, unsigned bit, unsigned edges)
{
    uint32_t m = 1u << bit;
    set_bits(port, GPIOIM, m, false);
    set_bits(port, GPIOIS, m, false);
    set_bits(port, GPIOIBE, m, edges == PICA_GPIO_EDGE_BOTH);
    set_bits(port, GPIOIEV, m, edges == PICA_GPIO_EDGE_RISING);
    *reg(port, GPIOICR) = m;
    if (edges != 0) {
        set_bits(port, GPIOIM, m, true);
    }
}

static uint32_t
pl061_irq_take(const struct gpio_port *port)
{
    uint32_t pending = *reg(port, GPIOMIS) & 0xffu;
    *reg(port, GPIOICR) = pending;
    return pending;
}

const struct gpio_ops pl061_gpio_ops = {
    .init = pl061_init,
    .config = pl061_config,
    .read = pl061_read,
    .write = pl061_write,
    .toggle = pl061_toggle,
    .irq_edges = pl061_irq_edges,
    .irq_take = pl061_irq_take,
    .flags = PICA_GPIO_INPUT | PICA_GPIO_OUTPUT | PICA_GPIO_PULL_UP | PICA_GPIO_PULL_DOWN |
             PICA_GPIO_INIT_LOW | PICA_GPIO_INIT_HIGH,
    .edges = PICA_GPIO_EDGE_BOTH,
};
