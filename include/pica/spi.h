/* SPDX-License-Identifier: MIT */
/* SPI: a bus per controller, shared by devices that each have a chip
 * select, a mode and a clock. Portable half: drivers/spi/spi.c;
 * controllers: drivers/spi/pl022.c. Guide: docs/drivers.md (SPI).
 *
 * A transaction (a command, its answer, its data) keeps the bus and the
 * device selected throughout:
 *
 *     pica_spi_acquire(&dev, PICA_MS(100));   // the bus, set to dev's mode and clock
 *     pica_spi_select(&dev, true);            // chip select low
 *     pica_spi_transfer(&dev, cmd, NULL, 6, PICA_MS(10));
 *     pica_spi_transfer(&dev, NULL, answer, 4, PICA_MS(10));
 *     pica_spi_select(&dev, false);
 *     pica_spi_release(&dev);
 *
 * A single pica_spi_transfer() by a thread that does not hold the bus does
 * all of that around itself. Transfers are full duplex and interrupt
 * driven: the caller sleeps while the controller's interrupt handler moves
 * bytes through its FIFO.
 *
 * The bus is a mutex (recursive, with priority inheritance): one thread at
 * a time, the others wait in pica_spi_acquire(). Context of every call:
 * thread, unless stated. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/time.h>

/* Mode flags: clock polarity and phase (SPI modes 0-3), and the controller
 * looping its output back to its input (self-tests; -ENOTSUP where the
 * controller has no loop-back). */
#define PICA_SPI_CPHA 0x1u /* sample on the second edge */
#define PICA_SPI_CPOL 0x2u /* clock idles high */
#define PICA_SPI_MODE_0 0u
#define PICA_SPI_MODE_1 PICA_SPI_CPHA
#define PICA_SPI_MODE_2 PICA_SPI_CPOL
#define PICA_SPI_MODE_3 (PICA_SPI_CPOL | PICA_SPI_CPHA)
#define PICA_SPI_LOOPBACK 0x4u

/* A device without a chip select of its own (wired low, or the only one). */
#define PICA_SPI_NO_CS 0xFFFFFFFFu

struct pica_spi_bus;
struct pica_spi_dev;

/* What a controller driver provides. */
struct pica_spi_ops {
    /* Set @mode and the fastest clock at or below @hz, giving it in
     * *@actual_hz. Called with the bus held and no transfer under way.
     * Returns: 0, -EINVAL (@hz below the slowest clock), -ENOTSUP (mode). */
    int (*configure)(struct pica_spi_bus *bus, uint32_t mode, uint32_t hz, uint32_t *actual_hz);
    /* Start moving bus->len bytes from bus->tx (NULL: 0xFF each) into
     * bus->rx (NULL: discard); the controller's interrupt handler calls
     * pica_spi_done_isr() when the last byte is in. Returns: 0, -errno. */
    int (*start)(struct pica_spi_bus *bus);
    /* Stop a transfer that ran out of time: once this returns the
     * controller raises no interrupt and holds no stale received byte. */
    void (*abort)(struct pica_spi_bus *bus);
};

/* One per controller, set up by the controller's init (pl022_init()).
 * Fields are the SPI layer's and the controller's, not the caller's. */
struct pica_spi_bus {
    const char *name;
    const struct pica_spi_ops *ops;
    struct pica_mutex lock;
    struct pica_sem done;                 /* given by pica_spi_done_isr() */
    const struct pica_spi_dev *configured; /* whose mode and clock are set */
    uint32_t configured_gen;              /* ... as of that device's generation */
    struct pica_spi_dev *selected;        /* whose chip select is low */
    uint32_t depth;                       /* acquires not yet released */
    /* The transfer under way, for the controller. */
    const uint8_t *tx;
    uint8_t *rx;
    size_t len;
    volatile int result;
    /* Counters. */
    uint32_t transfers, timeouts;
};

/* A device on a bus: caller-allocated, set up by pica_spi_dev_init(). */
struct pica_spi_dev {
    struct pica_spi_bus *bus;
    uint32_t cs_pin;    /* a GPIO (pica/gpio.h), driven low to select; or PICA_SPI_NO_CS */
    uint32_t mode;      /* PICA_SPI_MODE_n | flags */
    uint32_t hz;        /* the clock asked for */
    uint32_t actual_hz; /* the clock the controller gave (0 until first acquired) */
    uint32_t gen;       /* bumped by every change of mode or clock */
    bool selected;
};

/* For controller drivers: set up @bus (name, ops; the rest is the SPI
 * layer's). Context: thread or boot. Returns: 0, -EINVAL. */
int pica_spi_bus_init(struct pica_spi_bus *bus, const char *name, const struct pica_spi_ops *ops);

/* For controller drivers, from the interrupt handler: the transfer ended
 * with @result (0, or -EIO for a receive overrun). Context: ISR. */
void pica_spi_done_isr(struct pica_spi_bus *bus, int result);

/* Set up @dev on @bus with chip select @cs_pin, claimed as an output
 * driven high (pica_gpio_claim: no other driver may reconfigure it),
 * @mode and clock @hz. Context: thread or boot.
 * Returns: 0, -EINVAL (NULL, @hz 0, unknown mode flags), or the GPIO
 * layer's refusal of the pin (-ENODEV, -EPERM, -EBUSY). */
int pica_spi_dev_init(struct pica_spi_dev *dev, struct pica_spi_bus *bus, uint32_t cs_pin,
                      uint32_t mode, uint32_t hz);

/* Give up @dev's chip select (pica_gpio_release); the device is unusable
 * after. Returns: 0, -EINVAL, -EBUSY (someone holds the bus for it). */
int pica_spi_dev_deinit(struct pica_spi_dev *dev);

/* Change @dev's mode and clock: at once if the caller holds the bus,
 * otherwise at its next acquire. Returns: 0, -EINVAL, or the controller's
 * refusal (the device keeps its old settings). */
int pica_spi_dev_set(struct pica_spi_dev *dev, uint32_t mode, uint32_t hz);

/* Take @dev's bus, waiting up to @timeout, and set it to @dev's mode and
 * clock. Nests: the holder may acquire again, and releases as often. A
 * bus whose holder was killed is taken over: its transfer stopped, its
 * device deselected. Returns: 0, -EAGAIN (PICA_NO_WAIT, held elsewhere), -ETIMEDOUT, -EINVAL
 * (NULL, a bad timeout, in an ISR), the controller's -EINVAL/-ENOTSUP
 * (the bus is not taken then). */
int pica_spi_acquire(struct pica_spi_dev *dev, pica_timeout_t timeout);

/* Give the bus back; the last release of a nest deselects @dev first.
 * Returns: 0, -EPERM (the caller does not hold it), -EINVAL. */
int pica_spi_release(struct pica_spi_dev *dev);

/* Drive @dev's chip select: low for @selected. Nothing for
 * PICA_SPI_NO_CS. Returns: 0, -EPERM (the bus is not the caller's),
 * -EINVAL. */
int pica_spi_select(struct pica_spi_dev *dev, bool selected);

/* Clock @len bytes out of @tx (NULL: 0xFF each) while reading as many into
 * @rx (NULL: discard); they may be the same buffer. A thread that holds
 * the bus moves just the bytes, the chip select as it left it; one that
 * does not gets the bus (waiting up to @timeout for it), @dev selected for
 * the transfer and the bus released after. @timeout bounds the transfer
 * itself too: a transfer that has not ended by then is stopped.
 * Returns: 0 (all @len bytes moved; also for @len 0), -ETIMEDOUT (the bus,
 * or the bytes, not in time; how many moved is unknown), -EAGAIN (no wait,
 * the bus held elsewhere), -EIO (the controller lost received data),
 * -EINVAL (NULL @dev, PICA_NO_WAIT for bytes to move, a bad timeout, in an
 * ISR). */
int pica_spi_transfer(struct pica_spi_dev *dev, const void *tx, void *rx, size_t len,
                      pica_timeout_t timeout);
