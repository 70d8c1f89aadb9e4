/* SPDX-License-Identifier: MIT */
/* SPI, the portable half (include/pica/spi.h): the bus mutex, chip selects
 * through the GPIO layer, the mode and clock applied per device, and the
 * wait for a transfer, which a controller driver (pl022.c) starts and ends
 * from its interrupt handler with pica_spi_done_isr(). */
#include <pica/spi.h>

#include <pica/errno.h>
#include <pica/gpio.h>
#include <pica/thread.h>

#include "arch.h"

#define MODE_FLAGS (PICA_SPI_CPOL | PICA_SPI_CPHA | PICA_SPI_LOOPBACK)

int
pica_spi_bus_init(struct pica_spi_bus *bus, const char *name, const struct pica_spi_ops *ops)
{
    if (bus == NULL || name == NULL || ops == NULL || ops->configure == NULL ||
        ops->start == NULL || ops->abort == NULL) {
        return -EINVAL;
    }
    *bus = (struct pica_spi_bus){.name = name, .ops = ops};
    int err = pica_mutex_init(&bus->lock);
    return err ? err : pica_sem_init(&bus->done, 0, 1);
}

void
pica_spi_done_isr(struct pica_spi_bus *bus, int result)
{
    bus->result = result;
    (void)pica_sem_give(&bus->done);
}

static bool
holds(const struct pica_spi_dev *dev)
{
    struct pica_thread *self = pica_thread_self();
    return self != NULL && pica_mutex_owner(&dev->bus->lock) == self;
}

int
pica_spi_dev_init(struct pica_spi_dev *dev, struct pica_spi_bus *bus, uint32_t cs_pin,
                  uint32_t mode, uint32_t hz)
{
    if (dev == NULL || bus == NULL || hz == 0 || (mode & ~MODE_FLAGS) != 0) {
        return -EINVAL;
    }
    if (cs_pin != PICA_SPI_NO_CS) {
        /* High before it drives: the device never sees a stray select. */
        int err = pica_gpio_claim(cs_pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH);
        if (err) {
            return err;
        }
    }
    *dev = (struct pica_spi_dev){.bus = bus, .cs_pin = cs_pin, .mode = mode, .hz = hz, .gen = 1};
    if (bus->configured == dev) {
        bus->configured = NULL; /* set up again: its settings may be new */
    }
    return 0;
}

int
pica_spi_dev_deinit(struct pica_spi_dev *dev)
{
    if (dev == NULL || dev->bus == NULL) {
        return -EINVAL;
    }
    if (dev->selected) {
        return -EBUSY;
    }
    int err = dev->cs_pin != PICA_SPI_NO_CS ? pica_gpio_release(dev->cs_pin) : 0;
    dev->bus = NULL;
    return err;
}

/* Bring the controller to @dev's settings, unless it is there already.
 * The bus is held. */
static int
apply(struct pica_spi_dev *dev)
{
    struct pica_spi_bus *bus = dev->bus;
    if (bus->configured == dev && bus->configured_gen == dev->gen) {
        return 0;
    }
    uint32_t actual = 0;
    int err = bus->ops->configure(bus, dev->mode, dev->hz, &actual);
    if (err) {
        bus->configured = NULL;
        return err;
    }
    dev->actual_hz = actual;
    bus->configured = dev;
    bus->configured_gen = dev->gen;
    return 0;
}

int
pica_spi_dev_set(struct pica_spi_dev *dev, uint32_t mode, uint32_t hz)
{
    if (dev == NULL || dev->bus == NULL || hz == 0 || (mode & ~MODE_FLAGS) != 0) {
        return -EINVAL;
    }
    uint32_t old_mode = dev->mode, old_hz = dev->hz;
    dev->mode = mode;
    dev->hz = hz;
    dev->gen++;
    if (!holds(dev)) {
        return 0;
    }
    int err = apply(dev);
    if (err) {
        dev->mode = old_mode;
        dev->hz = old_hz;
        dev->gen++;
        (void)apply(dev);
    }
    return err;
}

static void
drive_cs(struct pica_spi_dev *dev, bool selected)
{
    if (dev->cs_pin != PICA_SPI_NO_CS) {
        (void)pica_gpio_write(dev->cs_pin, selected ? 0 : 1);
    }
    dev->selected = selected;
    dev->bus->selected = selected ? dev : NULL;
}

/* The holder died with the bus (killed): stop what it left running and
 * deselect its device; the controller is set up again for the next one. */
static void
repair(struct pica_spi_bus *bus)
{
    bus->ops->abort(bus);
    while (pica_sem_take(&bus->done, PICA_NO_WAIT) == 0) {
    }
    if (bus->selected != NULL) {
        drive_cs(bus->selected, false);
    }
    bus->configured = NULL;
    bus->depth = 0;
    (void)pica_mutex_consistent(&bus->lock);
}

int
pica_spi_acquire(struct pica_spi_dev *dev, pica_timeout_t timeout)
{
    if (dev == NULL || dev->bus == NULL) {
        return -EINVAL;
    }
    struct pica_spi_bus *bus = dev->bus;
    int err = pica_mutex_lock(&bus->lock, timeout);
    if (err == -EOWNERDEAD) {
        repair(bus);
    } else if (err) {
        return err;
    }
    err = apply(dev);
    if (err) {
        (void)pica_mutex_unlock(&bus->lock);
        return err;
    }
    bus->depth++;
    return 0;
}

int
pica_spi_release(struct pica_spi_dev *dev)
{
    if (dev == NULL || dev->bus == NULL) {
        return -EINVAL;
    }
    if (!holds(dev)) {
        return -EPERM;
    }
    if (--dev->bus->depth == 0 && dev->selected) {
        drive_cs(dev, false);
    }
    return pica_mutex_unlock(&dev->bus->lock);
}

int
pica_spi_select(struct pica_spi_dev *dev, bool selected)
{
    if (dev == NULL || dev->bus == NULL) {
        return -EINVAL;
    }
    if (!holds(dev)) {
        return -EPERM;
    }
    drive_cs(dev, selected);
    return 0;
}

/* Move the bytes; the bus is held and set for @dev. */
static int
move(struct pica_spi_dev *dev, const void *tx, void *rx, size_t len, pica_timeout_t timeout)
{
    struct pica_spi_bus *bus = dev->bus;
    bus->tx = tx;
    bus->rx = rx;
    bus->len = len;
    bus->result = 0;
    bus->transfers++;
    int err = bus->ops->start(bus);
    if (err) {
        return err;
    }
    err = pica_sem_take(&bus->done, timeout);
    if (err == -ETIMEDOUT) {
        /* After abort no interrupt comes; one that came just before it
         * left its unit in the semaphore, and then the transfer did end. */
        bus->ops->abort(bus);
        bus->timeouts++;
        if (pica_sem_take(&bus->done, PICA_NO_WAIT) == 0) {
            bus->timeouts--;
            err = 0;
        }
    }
    return err ? err : bus->result;
}

int
pica_spi_transfer(struct pica_spi_dev *dev, const void *tx, void *rx, size_t len,
                  pica_timeout_t timeout)
{
    if (dev == NULL || dev->bus == NULL || arch_in_isr() ||
        (timeout < 0 && timeout != PICA_FOREVER) || (timeout == PICA_NO_WAIT && len > 0)) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    if (holds(dev)) {
        return move(dev, tx, rx, len, timeout);
    }
    int err = pica_spi_acquire(dev, timeout);
    if (err) {
        return err;
    }
    drive_cs(dev, true);
    err = move(dev, tx, rx, len, timeout);
    drive_cs(dev, false);
    (void)pica_spi_release(dev);
    return err;
}
