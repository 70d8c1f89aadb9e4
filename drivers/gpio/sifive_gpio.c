/* SPDX-License-Identifier: MIT */
/* SiFive GPIO0 (FE310): 32 lines in one port, a pull-up per line (no
 * pull-down), rise/fall/high/low pending bits, and one PLIC source per
 * line. The hooks gpio.c calls (gpio_port.h); a board's table names
 * sifive_gpio_ops.
 *
 * Every line this driver configures keeps its input buffer on (input_en),
 * so an output reads back its pad and its own edges latch rise_ip/fall_ip.
 * Only the rise and fall bits are used; high/low stay disabled. */
#include "sifive_gpio.h"

#define INPUT_VAL 0x00u
#define INPUT_EN 0x04u
#define OUTPUT_EN 0x08u
#define OUTPUT_VAL 0x0cu
#define PUE 0x10u
#define RISE_IE 0x18u
#define RISE_IP 0x1cu /* pending bits: write 1 to clear */
#define FALL_IE 0x20u
#define FALL_IP 0x24u
#define HIGH_IE 0x28u
#define LOW_IE 0x30u
#define IOF_EN 0x38u
#define OUT_XOR 0x40u

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

static void
sifive_gpio_init(const struct gpio_port *port)
{
    /* No interrupt enabled or pending on the lines the board gives to
     * GPIO; the others (console, buses) are left as the board set them. */
    uint32_t ours = port->pins & ~port->reserved;
    set_bits(port, RISE_IE, ours, false);
    set_bits(port, FALL_IE, ours, false);
    set_bits(port, HIGH_IE, ours, false);
    set_bits(port, LOW_IE, ours, false);
    *reg(port, RISE_IP) = ours;
    *reg(port, FALL_IP) = ours;
}

static void
sifive_gpio_config(const struct gpio_port *port, unsigned bit, uint32_t flags)
{
    uint32_t m = 1u << bit;
    set_bits(port, IOF_EN, m, false);
    set_bits(port, OUT_XOR, m, false);
    set_bits(port, PUE, m, (flags & PICA_GPIO_PULL_UP) != 0);
    set_bits(port, INPUT_EN, m, true);
    if (!(flags & PICA_GPIO_OUTPUT)) {
        set_bits(port, OUTPUT_EN, m, false);
        return;
    }
    /* output_val holds its level with the driver off: latch it first. */
    if (flags & (PICA_GPIO_INIT_HIGH | PICA_GPIO_INIT_LOW)) {
        set_bits(port, OUTPUT_VAL, m, (flags & PICA_GPIO_INIT_HIGH) != 0);
    }
    set_bits(port, OUTPUT_EN, m, true);
}

static uint32_t
sifive_gpio_read(const struct gpio_port *port)
{
    return *reg(port, INPUT_VAL);
}

static void
sifive_gpio_write(const struct gpio_port *port, uint32_t mask, uint32_t value)
{
    volatile uint32_t *out = reg(port, OUTPUT_VAL);
    *out = (*out & ~mask) | (value & mask);
}

static void
sifive_gpio_toggle(const struct gpio_port *port, uint32_t mask)
{
    *reg(port, OUTPUT_VAL) ^= mask;
}

static void
sifive_gpio_irq_edges(const struct gpio_port *port, unsigned bit, unsigned edges)
{
    uint32_t m = 1u << bit;
    set_bits(port, RISE_IE, m, false);
    set_bits(port, FALL_IE, m, false);
    /* The pending bits latch every edge, enabled or not: drop old ones. */
    *reg(port, RISE_IP) = m;
    *reg(port, FALL_IP) = m;
    set_bits(port, RISE_IE, m, (edges & PICA_GPIO_EDGE_RISING) != 0);
    set_bits(port, FALL_IE, m, (edges & PICA_GPIO_EDGE_FALLING) != 0);
}

static uint32_t
sifive_gpio_irq_take(const struct gpio_port *port)
{
    uint32_t rise = *reg(port, RISE_IP) & *reg(port, RISE_IE);
    uint32_t fall = *reg(port, FALL_IP) & *reg(port, FALL_IE);
    if (rise != 0) {
        *reg(port, RISE_IP) = rise;
    }
    if (fall != 0) {
        *reg(port, FALL_IP) = fall;
    }
    return rise | fall;
}

const struct gpio_ops sifive_gpio_ops = {
    .init = sifive_gpio_init,
    .config = sifive_gpio_config,
    .read = sifive_gpio_read,
    .write = sifive_gpio_write,
    .toggle = sifive_gpio_toggle,
    .irq_edges = sifive_gpio_irq_edges,
    .irq_take = sifive_gpio_irq_take,
    .flags = PICA_GPIO_INPUT | PICA_GPIO_OUTPUT | PICA_GPIO_PULL_UP | PICA_GPIO_INIT_LOW |
             PICA_GPIO_INIT_HIGH,
    .edges = PICA_GPIO_EDGE_BOTH,
};
