/* SPDX-License-Identifier: MIT */
/* A virtio block device on a virtio-mmio transport (Virtio 1.1 section
 * 5.2) as a Pica block device (include/pica/blk.h): QEMU's
 * -device virtio-blk-device on the virt-rv32 board.
 *
 * Geometry: a sector device. Read, program and erase sizes are the
 * device's logical block size (VIRTIO_BLK_F_BLK_SIZE, else 512), with no
 * PICA_BLK_ERASE_BEFORE_PROG; block_count the capacity from the
 * configuration space (at most 2^32 - 1 blocks), PICA_BLK_READ_ONLY if the
 * device says VIRTIO_BLK_F_RO. A read or program of several blocks is one
 * request (split only where the device sets VIRTIO_BLK_F_SIZE_MAX). Erase
 * is VIRTIO_BLK_T_DISCARD where the device offers it, else nothing; sync
 * is VIRTIO_BLK_T_FLUSH where it offers VIRTIO_BLK_F_FLUSH (its cache is
 * then write-back), else nothing (write-through).
 *
 * One request is in flight at a time: the calling thread queues it, rings
 * the doorbell and sleeps on a semaphore the interrupt handler gives.
 * Errors: the device's VIRTIO_BLK_S_IOERR and VIRTIO_BLK_S_UNSUPP give
 * -EIO; no completion interrupt within timeout_ms gives -ETIMEDOUT, and
 * a device that timed out or asked for a reset is reset and set up again
 * (-ENODEV from then on if that fails).
 *
 * Context: thread (a request sleeps). One owner, as blk.h says. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/blk.h>
#include <pica/sem.h>

#include "virtio_mmio.h"

/* How long a request may take before the device counts as stuck (the
 * default of struct virtio_blk's timeout_ms). */
#define VIRTIO_BLK_TIMEOUT_MS 2000u

/* A bank of virtio-mmio transports: @count of them from @base, @stride
 * bytes apart, transport n on interrupt line @first_irq + n. */
struct virtio_mmio_slots {
    uintptr_t base;
    uint32_t stride;
    unsigned count;
    unsigned first_irq;
};

/* The request header and the discard segment of section 5.2.6. */
struct virtio_blk_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector; /* in 512-byte units, whatever the block size */
};

struct virtio_blk_discard {
    uint64_t sector;
    uint32_t num_sectors;
    uint32_t flags;
};

struct virtio_blk {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct virtio_blk * */
    struct virtio_mmio mmio;
    unsigned irq;
    bool irq_attached;
    bool ready;                 /* set up and answering */
    struct pica_sem done;       /* given by the ISR for used buffers */
    uint16_t used_seen;         /* the used ring's index we have consumed up to */
    uint32_t sectors_per_block; /* 512-byte sectors in one block */
    uint32_t max_sectors;       /* per read or write request, 0: no limit */
    uint32_t discard_sectors;   /* per discard request, 0: no discard */
    uint32_t timeout_ms;        /* per request; a caller may change it */
    uint32_t requests, irqs, timeouts; /* counters, for tests and the shell */
    /* What the device reads and writes besides the caller's data. */
    struct virtio_blk_hdr hdr;
    struct virtio_blk_discard discard;
    volatile uint8_t status;
    struct virtq vq;
};

/* Set up @vb, named @name, on the transport at @base whose interrupt is
 * line @irq: feature negotiation, the queue, the interrupt handler. If
 * there is no block device there, @vb is left a device with no medium
 * (every call gives -ENODEV). @vb is zeroed (static) before the first
 * call; a later call on it first stops what the earlier one set up.
 * Context: thread or boot.
 * Returns: 0, -EINVAL (NULL), -ENODEV (no block device there), -ENOTSUP
 * (an unknown transport version or a queue too short), -EIO (the device
 * refused our features), or pica_irq_attach()'s error. */
int virtio_blk_init(struct virtio_blk *vb, const char *name, uintptr_t base, unsigned irq);

/* As virtio_blk_init() on the @nth block device (0: the first) among
 * @slots, searched from the last transport down: QEMU gives the first
 * -device on the command line the highest transport, so @nth follows the
 * command line's order. Returns: as virtio_blk_init(); -ENODEV if there
 * are not @nth + 1 block devices. */
int virtio_blk_find(struct virtio_blk *vb, const char *name, const struct virtio_mmio_slots *slots,
                    unsigned nth);
