/* SPDX-License-Identifier: MIT */
/* The SD card driver's transport on a Pica SPI device (sd_spi_bus.h). */
#include "sd_spi_bus.h"

#include <pica/errno.h>
#include <pica/time.h>

/* How long the bus may take to become free for a card operation. */
#define ACQUIRE_TIMEOUT PICA_MS(1000)

static struct sd_spi_bus *
to_port(void *ctx)
{
    return ctx;
}

static int
port_acquire(void *ctx)
{
    return pica_spi_acquire(&to_port(ctx)->dev, ACQUIRE_TIMEOUT);
}

static void
port_release(void *ctx)
{
    (void)pica_spi_release(&to_port(ctx)->dev);
}

static void
port_select(void *ctx, bool selected)
{
    (void)pica_spi_select(&to_port(ctx)->dev, selected);
}

/* A transfer gets twice its time on the wire, and 10 ms besides. */
static int
port_transfer(void *ctx, const uint8_t *tx, uint8_t *rx, size_t len)
{
    struct pica_spi_dev *dev = &to_port(ctx)->dev;
    uint32_t hz = dev->actual_hz != 0 ? dev->actual_hz : dev->hz;
    uint64_t wire_us = (uint64_t)len * 8u * 1000000u / hz;
    return pica_spi_transfer(dev, tx, rx, len, PICA_US(2u * wire_us + 10000u));
}

static int
port_set_clock(void *ctx, uint32_t hz)
{
    return pica_spi_dev_set(&to_port(ctx)->dev, PICA_SPI_MODE_0, hz);
}

static uint64_t
port_now_us(void *ctx)
{
    (void)ctx;
    return pica_uptime_us();
}

int
sd_spi_bus_init(struct sd_spi_bus *port, struct pica_spi_bus *bus, uint32_t cs_pin)
{
    if (port == NULL) {
        return -EINVAL;
    }
    int err = pica_spi_dev_init(&port->dev, bus, cs_pin, PICA_SPI_MODE_0, SD_SPI_INIT_HZ);
    if (err) {
        return err;
    }
    port->tp = (struct sd_spi_transport){
        .acquire = port_acquire,
        .release = port_release,
        .select = port_select,
        .transfer = port_transfer,
        .set_clock = port_set_clock,
        .now_us = port_now_us,
        .ctx = port,
    };
    return 0;
}
