/* SPDX-License-Identifier: MIT */
/* qemu.virtio_blk, qemu.virtio_blk_legacy and qemu.virtio_blk_absent on
 * virt-rv32 (PICA_BOARD_HAS_VIRTIO_BLK), run by check_virtio_blk.py with a
 * disk image it prepared: sector 0 holds a plan (magic, the disk's size,
 * the transport version to expect, a seed, where the host wrote a pattern
 * and where the board is to write one). The board checks the host's
 * pattern, discards and then writes its own (an LCG seeded per sector) in
 * requests of 1 to CHUNK sectors, flushes, and reads it back; the script then hashes that region of the image itself.
 * Built with VBLK_ABSENT it expects no disk (the run attaches none). */
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "board_virtio.h"
#include "virtio_blk.h"

#define SECTOR 512u
#define CHUNK 64u /* sectors per request at most */

static const struct virtio_mmio_slots slots = BOARD_VIRTIO_MMIO_SLOTS;
static struct virtio_blk disk;
static struct virtio_blk empty;
static uint8_t buf[CHUNK * SECTOR];

/* Transport 0: QEMU fills transports from the last one down, so with at
 * most one disk attached the first is empty. */
PICA_TEST(virtio_blk_empty_transport_is_enodev)
{
    pica_assert_eq(virtio_blk_init(&empty, "vd-empty", BOARD_VIRTIO_MMIO_BASE,
                                   BOARD_VIRTIO_MMIO_FIRST_IRQ),
                   -ENODEV);
    pica_assert_eq(pica_blk_read(&empty.blk, 0, 0, buf, SECTOR), -ENODEV);
    pica_assert_eq(pica_blk_prog(&empty.blk, 0, 0, buf, SECTOR), -ENODEV);
    pica_assert_eq(pica_blk_erase(&empty.blk, 0, 1), -ENODEV);
    pica_assert_eq(pica_blk_sync(&empty.blk), -ENODEV);
    pica_assert_eq(pica_blk_size(&empty.blk), 0);
}

#ifdef VBLK_ABSENT

PICA_TEST(virtio_blk_no_disk_is_enodev)
{
    pica_assert_eq(virtio_blk_find(&disk, "vd0", &slots, 0), -ENODEV);
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, SECTOR), -ENODEV);
    pica_assert_eq(pica_blk_sync(&disk.blk), -ENODEV);
    pica_assert_eq(virtio_blk_find(&disk, "vd0", &slots, 0), -ENODEV); /* again */
    printf("virtio_blk: no disk (-ENODEV), as expected\n");
}

#else

struct plan {
    uint32_t sectors, version, seed, host_start, host_count, board_start, board_count;
};
static struct plan plan;

/* The pattern of check_virtio_blk.py: 32-bit words of an LCG (Numerical
 * Recipes' constants) whose state starts from the seed and the sector. */
static void
pattern(uint32_t seed, uint32_t sector, uint8_t *out)
{
    uint32_t x = seed ^ (sector * 0x9E3779B1u);
    for (unsigned i = 0; i < SECTOR; i += 4) {
        x = x * 1664525u + 1013904223u;
        out[i] = (uint8_t)x;
        out[i + 1] = (uint8_t)(x >> 8);
        out[i + 2] = (uint8_t)(x >> 16);
        out[i + 3] = (uint8_t)(x >> 24);
    }
}

static uint32_t
le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

PICA_TEST(virtio_blk_finds_the_disk)
{
    pica_assert_eq(virtio_blk_find(&disk, "vd0", &slots, 0), 0);
    const struct pica_blk_geometry *g = pica_blk_geometry(&disk.blk);
    printf("virtio_blk: %s, virtio-mmio v%lu, %lu sectors, features 0x%08lx%08lx, irq %u\n",
           pica_blk_name(&disk.blk), (unsigned long)disk.mmio.version,
           (unsigned long)g->block_count, (unsigned long)(disk.mmio.features >> 32),
           (unsigned long)disk.mmio.features, disk.irq);
    pica_assert_eq(g->read_size, SECTOR);
    pica_assert_eq(g->prog_size, SECTOR);
    pica_assert_eq(g->erase_size, SECTOR);
    pica_assert_eq(g->flags, 0);
    pica_assert_eq(disk.irq, BOARD_VIRTIO_MMIO_FIRST_IRQ + BOARD_VIRTIO_MMIO_COUNT - 1);
    pica_assert_eq(virtio_blk_find(&disk, "vd0", &slots, 1), -ENODEV); /* one disk only */
    pica_assert_eq(virtio_blk_find(&disk, "vd0", &slots, 0), 0);       /* set up again */
}

PICA_TEST(virtio_blk_reads_the_plan)
{
    uint32_t irqs = disk.irqs;
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, SECTOR), 0);
    pica_assert_eq(disk.irqs, irqs + 1); /* the completion came by interrupt */
    pica_assert_eq(memcmp(buf, "PICAVB01", 8), 0);
    uint32_t *f = &plan.sectors;
    for (unsigned i = 0; i < 7; i++) {
        f[i] = le32(buf + 8 + 4 * i);
    }
    printf("virtio_blk: plan: host pattern at %lu (+%lu), board's at %lu (+%lu)\n",
           (unsigned long)plan.host_start, (unsigned long)plan.host_count,
           (unsigned long)plan.board_start, (unsigned long)plan.board_count);
    pica_assert_eq(pica_blk_geometry(&disk.blk)->block_count, plan.sectors);
    pica_assert_eq(disk.mmio.version, plan.version);
}

/* Request lengths in sectors: CHUNK every time for a @step of 0, else 1,
 * then @step more each time, wrapping within 1 .. CHUNK. */
static uint32_t
next_len(uint32_t n, uint32_t step)
{
    return step == 0 ? CHUNK : (n + step - 1) % CHUNK + 1;
}

/* Sectors [start, start + count) in requests whose lengths next_len()
 * gives, each compared with the pattern of @seed. */
static void
check_region(uint32_t start, uint32_t count, uint32_t seed, uint32_t step)
{
    static uint8_t want[SECTOR];
    uint32_t n = step == 0 ? CHUNK : 1;
    for (uint32_t s = start; s < start + count; s += n, n = next_len(n, step)) {
        if (n > start + count - s) {
            n = start + count - s;
        }
        memset(buf, 0, n * SECTOR);
        pica_assert_eq(pica_blk_read(&disk.blk, s, 0, buf, n * SECTOR), 0);
        for (uint32_t k = 0; k < n; k++) {
            pattern(seed, s + k, want);
            if (memcmp(buf + k * SECTOR, want, SECTOR) != 0) {
                printf("virtio_blk: sector %lu differs from seed %lu's pattern\n",
                       (unsigned long)(s + k), (unsigned long)seed);
                pica_assert(0);
            }
        }
    }
}

PICA_TEST(virtio_blk_reads_what_the_host_wrote)
{
    check_region(plan.host_start, plan.host_count, plan.seed ^ 0x5A5A5A5Au, 1);
}

PICA_TEST(virtio_blk_discards)
{
    uint32_t requests = disk.requests;
    pica_assert_eq(pica_blk_erase(&disk.blk, plan.board_start, plan.board_count), 0);
    /* With VIRTIO_BLK_F_DISCARD (QEMU offers it) that was a request. */
    pica_assert_eq(disk.requests, requests + (disk.discard_sectors != 0 ? 1 : 0));
}

PICA_TEST(virtio_blk_writes_a_pattern)
{
    uint32_t end = plan.board_start + plan.board_count, n = 1;
    for (uint32_t s = plan.board_start; s < end; s += n, n = next_len(n, 7)) {
        if (n > end - s) {
            n = end - s;
        }
        for (uint32_t k = 0; k < n; k++) {
            pattern(plan.seed, s + k, buf + k * SECTOR);
        }
        pica_assert_eq(pica_blk_prog(&disk.blk, s, 0, buf, n * SECTOR), 0);
    }
    pica_assert_eq(pica_blk_sync(&disk.blk), 0);
    check_region(plan.board_start, plan.board_count, plan.seed, 0);
    printf("virtio_blk: wrote %lu sectors at %lu in %lu requests, %lu interrupts\n",
           (unsigned long)plan.board_count, (unsigned long)plan.board_start,
           (unsigned long)disk.requests, (unsigned long)disk.irqs);
    pica_assert_eq(disk.timeouts, 0);
}

PICA_TEST(virtio_blk_refuses_what_is_out_of_range)
{
    uint32_t last = plan.sectors - 1, requests = disk.requests;
    pica_assert_eq(pica_blk_read(&disk.blk, plan.sectors, 0, buf, SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, last, 0, buf, 2 * SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_prog(&disk.blk, last, 0, buf, 2 * SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, last, 0, buf, 100), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, last, 4, buf, SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_prog(&disk.blk, 1, 0, buf, 0), -EINVAL);
    pica_assert_eq(pica_blk_erase(&disk.blk, last, 2), -EINVAL);
    pica_assert_eq(pica_blk_erase(&disk.blk, 0, 0), -EINVAL);
    pica_assert_eq(disk.requests, requests); /* none reached the device */
    pica_assert_eq(pica_blk_read(&disk.blk, last, 0, buf, SECTOR), 0);
}

/* The device answers but its interrupt never comes: the request times out,
 * the driver resets the device and sets it up again, and it works on. */
PICA_TEST(virtio_blk_times_out_without_its_interrupt)
{
    uint32_t timeouts = disk.timeouts;
    disk.timeout_ms = 20;
    pica_assert_eq(pica_irq_disable(disk.irq), 0);
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, SECTOR), -ETIMEDOUT);
    pica_assert_eq(pica_irq_enable(disk.irq), 0);
    pica_assert_eq(disk.timeouts, timeouts + 1);
    pica_assert(disk.ready);
    disk.timeout_ms = VIRTIO_BLK_TIMEOUT_MS;
    memset(buf, 0, SECTOR);
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, SECTOR), 0);
    pica_assert_eq(memcmp(buf, "PICAVB01", 8), 0);
    check_region(plan.host_start, 3, plan.seed ^ 0x5A5A5A5Au, 1);
}

#endif

int
main(void)
{
    pica_test_run();
}
