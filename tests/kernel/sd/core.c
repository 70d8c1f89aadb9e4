/* SPDX-License-Identifier: MIT */
/* qemu.sd_core on every board: the portable halves of the storage stack.
 * The block-device interface on the RAM block device (NOR-like and
 * sector-like, the power cut), and the SPI layer (drivers/spi/spi.c) on a
 * fake controller whose "wire" is a software interrupt: its handler loops
 * the bytes back (each XOR 0x5A, so a copy is told from a transfer) and
 * ends the transfer as a real controller's would. Then: refusals, full
 * duplex, mode and clock applied per device, timeouts with the transfer
 * stopped, contention for the bus, and a holder killed with the bus. */
#include <pica/pica.h>
#include <pica/spi.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "ram_blk.h"

/* ---- The RAM block device ---- */

/* Small, for the boards with 16 KB of RAM: the devices' memory, and two
 * buffers every test shares. */
static uint8_t area[2 * 1024];
static uint8_t buf_a[1024], buf_b[1024];
static struct ram_blk rb;

PICA_TEST(ram_blk_behaves_as_nor_flash)
{
    static const struct pica_blk_geometry geo = {
        .read_size = 4, .prog_size = 64, .erase_size = 512, .block_count = 4,
        .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xFF,
    };
    uint8_t page[64], back[64];
    pica_assert_eq(ram_blk_init(&rb, "ram0", area, &geo), 0);
    struct pica_blk *d = &rb.blk;
    pica_assert_eq(pica_blk_size(d), 2048);
    for (unsigned i = 0; i < sizeof(page); i++) {
        page[i] = (uint8_t)(i * 3 + 1);
    }
    pica_assert_eq(pica_blk_prog(d, 3, 64, page, 64), 0);
    pica_assert_eq(pica_blk_prog(d, 3, 64, page, 64), -EIO); /* not erased */
    pica_assert_eq(pica_blk_read(d, 3, 64, back, 64), 0);
    pica_assert_eq(memcmp(back, page, 64), 0);
    pica_assert_eq(pica_blk_read(d, 3, 62, back, 4), -EINVAL);
    pica_assert_eq(pica_blk_prog(d, 4, 0, page, 64), -EINVAL);
    pica_assert_eq(pica_blk_erase(d, 3, 1), 0);
    pica_assert_eq(pica_blk_read(d, 3, 64, back, 4), 0);
    pica_assert_eq(back[0], 0xFF);
    ram_blk_cut_after(&rb, 1);
    pica_assert_eq(pica_blk_prog(d, 3, 0, page, 64), 0);
    pica_assert_eq(pica_blk_prog(d, 3, 64, page, 64), -EIO); /* the power is off */
    pica_assert_eq(pica_blk_read(d, 3, 64, back, 4), 0);
    pica_assert_eq(back[0], 0xFF);
    pica_assert_eq(pica_blk_sync(d), 0);
}

PICA_TEST(ram_blk_behaves_as_a_sector_device)
{
    static const struct pica_blk_geometry geo = {
        .read_size = 512, .prog_size = 512, .erase_size = 512, .block_count = 4,
        .erased_value = -1,
    };
    uint8_t *s = buf_a, *back = buf_b;
    pica_assert_eq(ram_blk_init(&rb, "ram1", area, &geo), 0);
    memset(s, 0x33, 1024);
    pica_assert_eq(pica_blk_prog(&rb.blk, 2, 0, s, 1024), 0); /* two sectors, to the end */
    s[0] = 0x44;
    pica_assert_eq(pica_blk_prog(&rb.blk, 2, 0, s, 512), 0);  /* overwrites */
    pica_assert_eq(pica_blk_read(&rb.blk, 2, 0, back, 1024), 0);
    pica_assert_eq(back[0], 0x44);
    pica_assert_eq(back[512], 0x33);
    pica_assert_eq(pica_blk_read(&rb.blk, 3, 0, back, 1024), -EINVAL);
}

/* ---- The SPI layer on a fake controller ---- */

enum fake_mode { FAKE_LOOP, FAKE_STALL, FAKE_OVERRUN };

static struct fake {
    struct pica_spi_bus bus;
    enum fake_mode mode;
    unsigned irq;
    unsigned configures, starts, aborts;
    uint32_t mode_set, hz_set;
} fake;

static int
fake_configure(struct pica_spi_bus *bus, uint32_t mode, uint32_t hz, uint32_t *actual_hz)
{
    (void)bus;
    if (hz < 1000) {
        return -EINVAL;
    }
    if (mode & PICA_SPI_LOOPBACK) {
        return -ENOTSUP;
    }
    fake.configures++;
    fake.mode_set = mode;
    fake.hz_set = hz;
    *actual_hz = hz - hz % 1000; /* a controller with a 1 kHz step */
    return 0;
}

static int
fake_start(struct pica_spi_bus *bus)
{
    (void)bus;
    fake.starts++;
    return fake.mode == FAKE_STALL ? 0 : pica_irq_trigger(fake.irq);
}

static void
fake_abort(struct pica_spi_bus *bus)
{
    (void)bus;
    fake.aborts++;
}

static void
fake_isr(void *arg)
{
    (void)arg;
    struct pica_spi_bus *bus = &fake.bus;
    for (size_t i = 0; i < bus->len; i++) {
        uint8_t out = bus->tx != NULL ? bus->tx[i] : 0xFF;
        if (bus->rx != NULL) {
            bus->rx[i] = out ^ 0x5A;
        }
    }
    pica_spi_done_isr(bus, fake.mode == FAKE_OVERRUN ? -EIO : 0);
}

static const struct pica_spi_ops fake_ops = {
    .configure = fake_configure,
    .start = fake_start,
    .abort = fake_abort,
};

static struct pica_spi_dev dev_a, dev_b;

static void
fake_up(void)
{
    if (fake.bus.ops == NULL) {
        unsigned lines = arch_irq_lines();
        fake.irq = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
        pica_assert_eq(pica_spi_bus_init(&fake.bus, "fake", &fake_ops), 0);
        pica_assert_eq(pica_irq_attach(fake.irq, fake_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
        pica_assert_eq(pica_irq_enable(fake.irq), 0);
    }
    fake.mode = FAKE_LOOP;
    pica_assert_eq(pica_spi_dev_init(&dev_a, &fake.bus, PICA_SPI_NO_CS, PICA_SPI_MODE_0, 1000000), 0);
    pica_assert_eq(pica_spi_dev_init(&dev_b, &fake.bus, PICA_SPI_NO_CS, PICA_SPI_MODE_3, 250000), 0);
}

static volatile int isr_result;

static void
transfer_in_isr(void *arg)
{
    (void)arg;
    uint8_t b = 0;
    isr_result = pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(1));
}

PICA_TEST(spi_refusals)
{
    fake_up();
    static struct pica_spi_bus other;
    struct pica_spi_dev d;
    uint8_t b[4] = {0};
    pica_assert_eq(pica_spi_bus_init(NULL, "x", &fake_ops), -EINVAL);
    pica_assert_eq(pica_spi_bus_init(&other, NULL, &fake_ops), -EINVAL);
    pica_assert_eq(pica_spi_dev_init(&d, NULL, PICA_SPI_NO_CS, 0, 1000), -EINVAL);
    pica_assert_eq(pica_spi_dev_init(&d, &fake.bus, PICA_SPI_NO_CS, 0, 0), -EINVAL);
    pica_assert_eq(pica_spi_dev_init(&d, &fake.bus, PICA_SPI_NO_CS, 0x80, 1000), -EINVAL);
    /* A chip select the board does not have. */
    pica_assert_eq(pica_spi_dev_init(&d, &fake.bus, PICA_GPIO_PIN(200, 0), 0, 1000), -ENODEV);
    pica_assert_eq(pica_spi_transfer(NULL, b, b, 4, PICA_MS(10)), -EINVAL);
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, 4, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, 4, -5), -EINVAL);
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, 0, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_spi_release(&dev_a), -EPERM);
    pica_assert_eq(pica_spi_select(&dev_a, true), -EPERM);
    pica_assert_eq(fake.starts, 0);
    /* From an interrupt handler: refused, nothing started. */
    unsigned line = fake.irq - 1u;
    pica_assert_eq(pica_irq_attach(line, transfer_in_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(line), 0);
    pica_test_fire_irq(line);
    pica_assert_eq(isr_result, -EINVAL);
    pica_assert_eq(pica_irq_detach(line), 0);
    pica_assert_eq(fake.starts, 0);
}

PICA_TEST(spi_transfers_are_full_duplex)
{
    fake_up();
    uint8_t *tx = buf_a, *rx = buf_b;
    const size_t max = 200;
    for (size_t len = 1; len < max; len += 37) {
        for (size_t i = 0; i < len; i++) {
            tx[i] = (uint8_t)(i * 7 + len);
        }
        memset(rx, 0, max);
        pica_assert_eq(pica_spi_transfer(&dev_a, tx, rx, len, PICA_MS(50)), 0);
        for (size_t i = 0; i < len; i++) {
            pica_assert_eq(rx[i], tx[i] ^ 0x5A);
        }
        pica_assert_eq(rx[len], 0); /* not a byte more */
    }
    pica_assert_eq(pica_spi_transfer(&dev_a, NULL, rx, 3, PICA_MS(50)), 0);
    pica_assert_eq(rx[2], 0xFF ^ 0x5A);
    pica_assert_eq(pica_spi_transfer(&dev_a, tx, NULL, 3, PICA_MS(50)), 0);
    pica_assert_eq(pica_spi_transfer(&dev_a, rx, rx, 3, PICA_MS(50)), 0); /* in place */
    pica_assert_eq(rx[2], 0xFF);
    pica_assert_eq(dev_a.selected, false);
}

PICA_TEST(spi_mode_and_clock_follow_the_device)
{
    fake_up();
    uint8_t b = 0;
    unsigned before = fake.configures;
    pica_assert_eq(pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(50)), 0);
    pica_assert_eq(pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(50)), 0);
    pica_assert_eq(fake.configures, before + 1); /* once for two transfers */
    pica_assert_eq(pica_spi_transfer(&dev_b, &b, &b, 1, PICA_MS(50)), 0);
    pica_assert_eq(fake.mode_set, PICA_SPI_MODE_3);
    pica_assert_eq(fake.hz_set, 250000);
    pica_assert_eq(pica_spi_acquire(&dev_a, PICA_MS(50)), 0);
    pica_assert_eq(fake.mode_set, PICA_SPI_MODE_0);
    pica_assert_eq(pica_spi_dev_set(&dev_a, PICA_SPI_MODE_1, 123456), 0); /* at once */
    pica_assert_eq(fake.hz_set, 123456);
    pica_assert_eq(dev_a.actual_hz, 123000);
    pica_assert_eq(pica_spi_dev_set(&dev_a, PICA_SPI_MODE_1, 10), -EINVAL);
    pica_assert_eq(dev_a.hz, 123456); /* kept */
    pica_assert_eq(pica_spi_dev_set(&dev_a, PICA_SPI_LOOPBACK, 5000), -ENOTSUP);
    pica_assert_eq(pica_spi_release(&dev_a), 0);
    pica_assert_eq(pica_spi_dev_set(&dev_b, PICA_SPI_MODE_2, 77000), 0); /* at its acquire */
    pica_assert_eq(fake.mode_set, PICA_SPI_MODE_1);
    pica_assert_eq(pica_spi_transfer(&dev_b, &b, &b, 1, PICA_MS(50)), 0);
    pica_assert_eq(fake.hz_set, 77000);
}

PICA_TEST(spi_transfer_that_never_ends_is_stopped)
{
    fake_up();
    uint8_t b[16] = {0};
    fake.mode = FAKE_STALL;
    unsigned aborts = fake.aborts;
    uint32_t timeouts = fake.bus.timeouts;
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, sizeof(b), PICA_MS(20)), -ETIMEDOUT);
    pica_tick_t waited = pica_tick_now() - t0;
    pica_assert_ge(waited, PICA_MS(20) - 1);
    pica_assert_le(waited, PICA_MS(20) + 2);
    pica_assert_eq(fake.aborts, aborts + 1);
    pica_assert_eq(fake.bus.timeouts, timeouts + 1);
    pica_assert(pica_mutex_owner(&fake.bus.lock) == NULL); /* given back */
    fake.mode = FAKE_LOOP;
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, sizeof(b), PICA_MS(20)), 0);
    pica_assert_eq(b[0], 0x5A);
    fake.mode = FAKE_OVERRUN;
    pica_assert_eq(pica_spi_transfer(&dev_a, b, b, sizeof(b), PICA_MS(20)), -EIO);
}

/* A worker holds the bus while main tries to get it. */
static volatile int holder_state;

static void
holder(void *arg)
{
    struct pica_spi_dev *d = arg;
    pica_assert_eq(pica_spi_acquire(d, PICA_MS(50)), 0);
    pica_assert_eq(pica_spi_acquire(d, PICA_MS(50)), 0); /* nests */
    pica_assert_eq(pica_spi_select(d, true), 0);
    holder_state = 1;
    while (holder_state == 1) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(pica_spi_release(d), 0);
    pica_assert_eq(d->selected, true); /* still nested */
    pica_assert_eq(pica_spi_release(d), 0);
    pica_assert_eq(d->selected, false);
    holder_state = 3;
}

PICA_TEST(spi_bus_is_one_thread_at_a_time)
{
    fake_up();
    uint8_t b = 0;
    holder_state = 0;
    pica_assert_eq(pica_test_spawn(0, holder, &dev_b, PICA_PRIO_MAIN - 1), 0);
    while (holder_state != 1) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(pica_spi_acquire(&dev_a, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(5)), -ETIMEDOUT);
    pica_assert_eq(pica_spi_select(&dev_a, true), -EPERM);
    holder_state = 2;
    pica_assert_eq(pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(50)), 0);
    pica_test_join_workers(1);
    pica_assert_eq(holder_state, 3);
}

static void
dies_holding(void *arg)
{
    struct pica_spi_dev *d = arg;
    fake.mode = FAKE_STALL;
    uint8_t b[8];
    pica_assert_eq(pica_spi_acquire(d, PICA_MS(50)), 0);
    pica_assert_eq(pica_spi_select(d, true), 0);
    holder_state = 1;
    (void)pica_spi_transfer(d, b, b, sizeof(b), PICA_FOREVER); /* killed in here */
}

PICA_TEST(spi_bus_of_a_killed_holder_is_taken_over)
{
    fake_up();
    uint8_t b = 0;
    holder_state = 0;
    unsigned aborts = fake.aborts;
    pica_assert_eq(pica_test_spawn(0, dies_holding, &dev_b, PICA_PRIO_MAIN - 1), 0);
    while (holder_state != 1) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(pica_thread_kill(pica_test_worker(0)), 0);
    fake.mode = FAKE_LOOP;
    pica_assert_eq(pica_spi_transfer(&dev_a, &b, &b, 1, PICA_MS(50)), 0);
    pica_assert_eq(fake.aborts, aborts + 1);  /* its transfer was stopped */
    pica_assert_eq(dev_b.selected, false);     /* and its device deselected */
    pica_assert_eq(b, 0x5A);
}

int
main(void)
{
    pica_test_run();
}
