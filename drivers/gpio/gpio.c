/* SPDX-License-Identifier: MIT */
/* GPIO, the portable half of include/pica/gpio.h: checks every call against
 * the board's pin table (board_gpio: which pins exist, which the board
 * keeps, what each controller can do), keeps claims, outputs and edge
 * handlers, and leaves the registers to the controller's struct gpio_ops
 * (gpio_port.h). Plain C over pica_irq_*: host-tested in tests/unit/gpio. */
#include <pica/gpio.h>

#include <errno.h>
#include <pica/config.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <stddef.h>

#include "gpio_port.h"

#define GPIO_DIRS (PICA_GPIO_INPUT | PICA_GPIO_OUTPUT)
#define GPIO_PULLS (PICA_GPIO_PULL_UP | PICA_GPIO_PULL_DOWN)
#define GPIO_INITS (PICA_GPIO_INIT_LOW | PICA_GPIO_INIT_HIGH)

/* A pin resolved against the table. */
struct gpio_ref {
    const struct gpio_port *port;
    struct gpio_port_state *st;
    unsigned bit;
    uint32_t mask;
};

static void
port_ready(const struct gpio_port *port, struct gpio_port_state *st)
{
    if (st->ready) {
        return;
    }
    unsigned key = pica_irq_lock();
    if (!st->ready) {
        if (port->ops->init != NULL) {
            port->ops->init(port);
        }
        st->ready = true;
    }
    pica_irq_unlock(key);
}

static int
port_find(unsigned port, struct gpio_ref *r)
{
    if (port >= board_gpio.port_count) {
        return -ENODEV;
    }
    r->port = &board_gpio.ports[port];
    r->st = &board_gpio.state[port];
    port_ready(r->port, r->st);
    return 0;
}

/* -ENODEV for a pin the board lacks, -EPERM for one it keeps. */
static int
pin_find(unsigned pin, struct gpio_ref *r)
{
    unsigned port = PICA_GPIO_PORT_OF(pin);
    unsigned bit = PICA_GPIO_BIT_OF(pin);
    if (port >= board_gpio.port_count || !(board_gpio.ports[port].pins & (1u << bit))) {
        return -ENODEV;
    }
    if (board_gpio.ports[port].reserved & (1u << bit)) {
        return -EPERM;
    }
    r->bit = bit;
    r->mask = 1u << bit;
    return port_find(port, r);
}

static int
flags_check(const struct gpio_port *port, uint32_t flags)
{
    uint32_t dir = flags & GPIO_DIRS;
    PICA_CHECK((flags & ~(GPIO_DIRS | GPIO_PULLS | GPIO_INITS)) == 0, -EINVAL);
    PICA_CHECK(dir == PICA_GPIO_INPUT || dir == PICA_GPIO_OUTPUT, -EINVAL);
    PICA_CHECK((flags & GPIO_PULLS) != GPIO_PULLS, -EINVAL);
    PICA_CHECK((flags & GPIO_INITS) != GPIO_INITS, -EINVAL);
    PICA_CHECK(dir == PICA_GPIO_OUTPUT || (flags & GPIO_INITS) == 0, -EINVAL);
    if (flags & ~port->ops->flags) {
        return -ENOTSUP;
    }
    return 0;
}

/* Config and claim: @claim takes the pin as well. */
static int
pin_setup(unsigned pin, uint32_t flags, bool claim)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err == 0) {
        err = flags_check(r.port, flags);
    }
    if (err) {
        return err;
    }
    unsigned key = pica_irq_lock();
    if (r.st->claimed & r.mask) {
        err = -EBUSY;
    } else {
        r.port->ops->config(r.port, r.bit, flags);
        if (flags & PICA_GPIO_OUTPUT) {
            r.st->outputs |= r.mask;
        } else {
            r.st->outputs &= ~r.mask;
        }
        if (claim) {
            r.st->claimed |= r.mask;
        }
    }
    pica_irq_unlock(key);
    return err;
}

int
pica_gpio_config(unsigned pin, uint32_t flags)
{
    return pin_setup(pin, flags, false);
}

int
pica_gpio_claim(unsigned pin, uint32_t flags)
{
    return pin_setup(pin, flags, true);
}

int
pica_gpio_release(unsigned pin)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    unsigned key = pica_irq_lock();
    if (r.st->claimed & r.mask) {
        r.st->claimed &= ~r.mask;
    } else {
        err = -EINVAL;
    }
    pica_irq_unlock(key);
    return err;
}

/* Write @value to the outputs in @mask of @r's port, or toggle them. */
static int
outputs_drive(const struct gpio_ref *r, uint32_t mask, uint32_t value, bool toggle)
{
    PICA_CHECK((mask & ~r->st->outputs) == 0, -EINVAL);
    unsigned key = pica_irq_lock();
    if (toggle) {
        r->port->ops->toggle(r->port, mask);
    } else {
        r->port->ops->write(r->port, mask, value);
    }
    pica_irq_unlock(key);
    return 0;
}

int
pica_gpio_write(unsigned pin, int level)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    return outputs_drive(&r, r.mask, level ? r.mask : 0, false);
}

int
pica_gpio_set(unsigned pin)
{
    return pica_gpio_write(pin, 1);
}

int
pica_gpio_clear(unsigned pin)
{
    return pica_gpio_write(pin, 0);
}

int
pica_gpio_toggle(unsigned pin)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    return outputs_drive(&r, r.mask, 0, true);
}

int
pica_gpio_read(unsigned pin)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    return (int)((r.port->ops->read(r.port) >> r.bit) & 1u);
}

int
pica_gpio_port_read(unsigned port, uint32_t *value)
{
    struct gpio_ref r;
    int err = port_find(port, &r);
    if (err) {
        return err;
    }
    PICA_CHECK(value != NULL, -EINVAL);
    *value = r.port->ops->read(r.port) & r.port->pins & ~r.port->reserved;
    return 0;
}

int
pica_gpio_port_write(unsigned port, uint32_t mask, uint32_t value)
{
    struct gpio_ref r;
    int err = port_find(port, &r);
    if (err) {
        return err;
    }
    if (mask & ~r.port->pins) {
        return -ENODEV;
    }
    if (mask & r.port->reserved) {
        return -EPERM;
    }
    if (mask == 0) {
        return 0;
    }
    return outputs_drive(&r, mask, value, false);
}

/* The handler slot of @pin, or NULL. Kernel lock held (or in the ISR
 * with the lock taken around it). */
static struct gpio_handler *
handler_find_locked(unsigned pin)
{
    for (unsigned i = 0; i < board_gpio.handler_count; i++) {
        struct gpio_handler *h = &board_gpio.handlers[i];
        if (h->fn != NULL && h->pin == pin) {
            return h;
        }
    }
    return NULL;
}

/* The interrupt of a port (or of one of its pins): run the handler of
 * every pin with an edge latched. Each handler is read under the lock and
 * called outside it, so a detach never races a half-read slot. */
static void
gpio_isr(void *arg)
{
    const struct gpio_port *port = arg;
    unsigned first = (unsigned)(port - board_gpio.ports) * 32u;
    uint32_t pending = port->ops->irq_take(port);
    while (pending != 0) {
        unsigned bit = (unsigned)__builtin_ctz(pending);
        pending &= pending - 1;
        unsigned key = pica_irq_lock();
        struct gpio_handler *h = handler_find_locked(first + bit);
        pica_gpio_handler_t fn = h != NULL ? h->fn : NULL;
        void *fn_arg = h != NULL ? h->arg : NULL;
        pica_irq_unlock(key);
        if (fn != NULL) {
            fn(first + bit, fn_arg);
        }
    }
}

/* Install gpio_isr on @r's interrupt line unless it is there already. */
static int
line_install_locked(const struct gpio_ref *r)
{
    uint32_t line_bit = r->port->irq_per_pin ? r->mask : 1u;
    unsigned line = r->port->irq + (r->port->irq_per_pin ? r->bit : 0u);
    if (r->st->irq_lines & line_bit) {
        return 0;
    }
    int err = pica_irq_attach(line, gpio_isr, (void *)r->port, PICA_CFG_IRQ_PRIO_DEFAULT);
    if (err == 0) {
        err = pica_irq_enable(line);
    }
    if (err == 0) {
        r->st->irq_lines |= line_bit;
    }
    return err;
}

int
pica_gpio_irq_attach(unsigned pin, unsigned edges, pica_gpio_handler_t handler, void *arg)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    PICA_CHECK(handler != NULL, -EINVAL);
    PICA_CHECK(edges != 0 && (edges & ~PICA_GPIO_EDGE_BOTH) == 0, -EINVAL);
    if ((edges & ~r.port->ops->edges) != 0 || r.port->irq == GPIO_NO_IRQ) {
        return -ENOTSUP;
    }
    /* Held across the line's installation too (the lock nests), so two
     * threads never both install it. */
    unsigned key = pica_irq_lock();
    struct gpio_handler *free_slot = NULL;
    for (unsigned i = 0; i < board_gpio.handler_count && free_slot == NULL; i++) {
        if (board_gpio.handlers[i].fn == NULL) {
            free_slot = &board_gpio.handlers[i];
        }
    }
    if (handler_find_locked(pin) != NULL) {
        err = -EBUSY;
    } else if (free_slot == NULL) {
        err = -ENOMEM;
    } else {
        err = line_install_locked(&r);
    }
    if (err == 0) {
        free_slot->pin = pin;
        free_slot->arg = arg;
        free_slot->fn = handler;
        r.port->ops->irq_edges(r.port, r.bit, edges);
    }
    pica_irq_unlock(key);
    return err;
}

int
pica_gpio_irq_detach(unsigned pin)
{
    struct gpio_ref r;
    int err = pin_find(pin, &r);
    if (err) {
        return err;
    }
    unsigned key = pica_irq_lock();
    struct gpio_handler *h = handler_find_locked(pin);
    if (h == NULL) {
        err = -EINVAL;
    } else {
        r.port->ops->irq_edges(r.port, r.bit, 0);
        h->fn = NULL;
        h->arg = NULL;
    }
    pica_irq_unlock(key);
    return err;
}
