/* SPDX-License-Identifier: MIT */
/* The virtio-mmio transport and one split virtqueue (Virtio 1.1, sections
 * 2.6 and 4.2), for the virtio device drivers (virtio_blk.c).
 *
 * Both register layouts QEMU offers are handled: the modern one (Version
 * 2; QEMU 7.2 gives it with -global virtio-mmio.force-legacy=false, which
 * boards/virt-rv32/qemu.cfg sets) and the legacy one (Version 1, QEMU's
 * default), which places the queue by page frame number. The queue's rings
 * sit in one struct virtq laid out as the legacy interface wants them
 * (used ring on the next 4 KiB page), so the same memory serves both.
 *
 * Addresses given to the device are the CPU's: no IOMMU, no cache to
 * maintain (a coherent bus, as on QEMU), and below 4 GiB on a 32-bit CPU.
 * Context: thread or boot, unless a function says otherwise; one driver
 * owns a transport. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Device IDs (Virtio 1.1 section 5). */
#define VIRTIO_ID_NONE 0u /* an empty transport */
#define VIRTIO_ID_BLOCK 2u

/* Feature bits common to every device (section 6). */
#define VIRTIO_F_VERSION_1 32u

/* Descriptors in our queue: a driver with one request in flight needs few. */
#define VIRTQ_SIZE 8u

#define VIRTQ_DESC_F_NEXT 1u  /* the chain goes on in .next */
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VIRTQ_SIZE];
    uint16_t used_event;
};

struct virtq_used_elem {
    uint32_t id; /* head of the chain the device is done with */
    uint32_t len; /* bytes it wrote into the chain */
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[VIRTQ_SIZE];
    uint16_t avail_event;
};

/* The legacy interface finds the used ring at the first QueueAlign
 * boundary after the available ring, and the whole queue by its page. */
#define VIRTQ_LEGACY_ALIGN 4096u

struct virtq {
    struct virtq_desc desc[VIRTQ_SIZE];
    struct virtq_avail avail;
    struct virtq_used used __attribute__((aligned(VIRTQ_LEGACY_ALIGN)));
} __attribute__((aligned(VIRTQ_LEGACY_ALIGN)));

struct virtio_mmio {
    uintptr_t base;
    uint32_t version; /* 1 legacy, 2 modern */
    uint64_t features; /* negotiated */
};

/* Whether a device of type @device_id sits at @base, and which register
 * layout it uses. Touches nothing but read-only registers.
 * Returns: 0 (m set up), -ENODEV (no virtio-mmio transport there, an empty
 * one, or another kind of device), -ENOTSUP (a version we do not know). */
int virtio_mmio_probe(struct virtio_mmio *m, uintptr_t base, uint32_t device_id);

/* Reset the device, say we know it, and agree on features: those in
 * @wanted the device offers (VIRTIO_F_VERSION_1 is added on a modern
 * transport, where it is required), in m->features afterwards.
 * Returns: 0, -EIO (the device refused the set). */
int virtio_mmio_negotiate(struct virtio_mmio *m, uint64_t wanted);

/* Give queue @index the rings in @vq (zeroed here) and make it live.
 * Returns: 0, -ENOTSUP (the device's queue is missing or shorter than
 * VIRTQ_SIZE), -EBUSY (already in use). */
int virtio_mmio_queue_setup(struct virtio_mmio *m, unsigned index, struct virtq *vq);

/* DRIVER_OK: the device may start using the queues. */
void virtio_mmio_driver_ok(struct virtio_mmio *m);

/* Stop the device: it forgets its queues and touches no more memory. */
void virtio_mmio_reset(struct virtio_mmio *m);

/* Tell the device queue @index has new buffers. Context: any. */
void virtio_mmio_notify(struct virtio_mmio *m, unsigned index);

/* Read and acknowledge the interrupt's causes (bit 0: used buffers,
 * bit 1: configuration changed). Context: any (the ISR). */
uint32_t virtio_mmio_irq_ack(struct virtio_mmio *m);

/* Whether the device has given up and wants a reset (DEVICE_NEEDS_RESET). */
bool virtio_mmio_needs_reset(struct virtio_mmio *m);

/* The device's configuration space: a 32-bit and a 64-bit field at byte
 * @offset, read consistently (a 64-bit field is read again if the device
 * changed it between the halves). */
uint32_t virtio_mmio_config32(struct virtio_mmio *m, uint32_t offset);
uint64_t virtio_mmio_config64(struct virtio_mmio *m, uint32_t offset);
