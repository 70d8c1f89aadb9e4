/* SPDX-License-Identifier: MIT */
/* The virtio-mmio transport (Virtio 1.1 section 4.2.2, and 4.2.4 for the
 * legacy layout): probing, the initialisation handshake of section 3.1,
 * placing a split virtqueue, notifications and interrupts. The device
 * drivers (virtio_blk.c) build their requests on top. */
#include "virtio_mmio.h"

#include <pica/errno.h>

#include "arch.h"

#define MAGIC_VALUE 0x000u
#define VERSION 0x004u
#define DEVICE_ID 0x008u
#define DEVICE_FEATURES 0x010u
#define DEVICE_FEATURES_SEL 0x014u
#define DRIVER_FEATURES 0x020u
#define DRIVER_FEATURES_SEL 0x024u
#define GUEST_PAGE_SIZE 0x028u /* legacy */
#define QUEUE_SEL 0x030u
#define QUEUE_NUM_MAX 0x034u
#define QUEUE_NUM 0x038u
#define QUEUE_ALIGN 0x03Cu /* legacy */
#define QUEUE_PFN 0x040u   /* legacy */
#define QUEUE_READY 0x044u
#define QUEUE_NOTIFY 0x050u
#define INTERRUPT_STATUS 0x060u
#define INTERRUPT_ACK 0x064u
#define STATUS 0x070u
#define QUEUE_DESC_LOW 0x080u
#define QUEUE_DESC_HIGH 0x084u
#define QUEUE_DRIVER_LOW 0x090u
#define QUEUE_DRIVER_HIGH 0x094u
#define QUEUE_DEVICE_LOW 0x0A0u
#define QUEUE_DEVICE_HIGH 0x0A4u
#define CONFIG_GENERATION 0x0FCu
#define CONFIG 0x100u

#define MAGIC 0x74726976u /* "virt", little-endian */

/* Device status bits (section 2.1). */
#define S_ACKNOWLEDGE 1u
#define S_DRIVER 2u
#define S_DRIVER_OK 4u
#define S_FEATURES_OK 8u
#define S_NEEDS_RESET 64u
#define S_FAILED 128u

/* Section 2.6: the device reads the rings at these offsets. */
_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc layout");
_Static_assert(__builtin_offsetof(struct virtq, avail) == 16 * VIRTQ_SIZE, "avail after desc");
_Static_assert(__builtin_offsetof(struct virtq, used) == VIRTQ_LEGACY_ALIGN,
               "legacy: used ring on the next QueueAlign boundary");

static volatile uint32_t *
reg(const struct virtio_mmio *m, uint32_t offset)
{
    return (volatile uint32_t *)(m->base + offset);
}

int
virtio_mmio_probe(struct virtio_mmio *m, uintptr_t base, uint32_t device_id)
{
    struct virtio_mmio tmp = {.base = base};
    if (*reg(&tmp, MAGIC_VALUE) != MAGIC) {
        return -ENODEV;
    }
    tmp.version = *reg(&tmp, VERSION);
    if (tmp.version != 1 && tmp.version != 2) {
        return -ENOTSUP;
    }
    /* An empty slot reads device ID 0 (section 4.2.3.1.1). */
    if (*reg(&tmp, DEVICE_ID) != device_id) {
        return -ENODEV;
    }
    *m = tmp;
    return 0;
}

void
virtio_mmio_reset(struct virtio_mmio *m)
{
    *reg(m, STATUS) = 0;
    /* The reset is complete once STATUS reads 0 again (section 4.2.3.1). */
    for (int i = 0; i < 1000 && *reg(m, STATUS) != 0; i++) {
    }
    arch_barrier();
}

static void
status_set(struct virtio_mmio *m, uint32_t bits)
{
    *reg(m, STATUS) = *reg(m, STATUS) | bits;
}

static uint32_t
features_word(struct virtio_mmio *m, unsigned word)
{
    *reg(m, DEVICE_FEATURES_SEL) = word;
    return *reg(m, DEVICE_FEATURES);
}

int
virtio_mmio_negotiate(struct virtio_mmio *m, uint64_t wanted)
{
    virtio_mmio_reset(m);
    status_set(m, S_ACKNOWLEDGE);
    status_set(m, S_DRIVER);
    if (m->version == 2) {
        wanted |= 1ull << VIRTIO_F_VERSION_1;
    } else {
        wanted &= 0xFFFFFFFFull; /* a legacy device has one word of features */
    }
    uint64_t offered = features_word(m, 0);
    if (m->version == 2) {
        offered |= (uint64_t)features_word(m, 1) << 32;
    }
    m->features = offered & wanted;
    for (unsigned word = 0; word < (m->version == 2 ? 2u : 1u); word++) {
        *reg(m, DRIVER_FEATURES_SEL) = word;
        *reg(m, DRIVER_FEATURES) = (uint32_t)(m->features >> (32 * word));
    }
    if (m->version == 1) {
        /* Legacy has no FEATURES_OK step; it needs the page size instead. */
        *reg(m, GUEST_PAGE_SIZE) = VIRTQ_LEGACY_ALIGN;
        return 0;
    }
    if (!(m->features & (1ull << VIRTIO_F_VERSION_1))) {
        status_set(m, S_FAILED);
        return -EIO; /* a modern device that cannot speak version 1 */
    }
    status_set(m, S_FEATURES_OK);
    if (!(*reg(m, STATUS) & S_FEATURES_OK)) {
        status_set(m, S_FAILED);
        return -EIO; /* it does not accept this subset */
    }
    return 0;
}

static void
write64(struct virtio_mmio *m, uint32_t low, uint32_t high, const volatile void *p)
{
    uint64_t addr = (uintptr_t)p;
    *reg(m, low) = (uint32_t)addr;
    *reg(m, high) = (uint32_t)(addr >> 32);
}

int
virtio_mmio_queue_setup(struct virtio_mmio *m, unsigned index, struct virtq *vq)
{
    *reg(m, QUEUE_SEL) = index;
    bool in_use = m->version == 2 ? *reg(m, QUEUE_READY) != 0 : *reg(m, QUEUE_PFN) != 0;
    if (in_use) {
        return -EBUSY;
    }
    if (*reg(m, QUEUE_NUM_MAX) < VIRTQ_SIZE) {
        return -ENOTSUP; /* 0: no such queue */
    }
    uint8_t *bytes = (uint8_t *)vq;
    for (unsigned i = 0; i < sizeof(*vq); i++) {
        bytes[i] = 0;
    }
    arch_barrier(); /* the rings are zero before the device may look */
    *reg(m, QUEUE_NUM) = VIRTQ_SIZE;
    if (m->version == 1) {
        *reg(m, QUEUE_ALIGN) = VIRTQ_LEGACY_ALIGN;
        *reg(m, QUEUE_PFN) = (uint32_t)((uintptr_t)vq / VIRTQ_LEGACY_ALIGN);
        return 0;
    }
    write64(m, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, vq->desc);
    write64(m, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, &vq->avail);
    write64(m, QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, &vq->used);
    *reg(m, QUEUE_READY) = 1;
    return 0;
}

void
virtio_mmio_driver_ok(struct virtio_mmio *m)
{
    arch_barrier();
    status_set(m, S_DRIVER_OK);
}

void
virtio_mmio_notify(struct virtio_mmio *m, unsigned index)
{
    arch_barrier(); /* the ring's new entries before the doorbell */
    *reg(m, QUEUE_NOTIFY) = index;
}

uint32_t
virtio_mmio_irq_ack(struct virtio_mmio *m)
{
    uint32_t causes = *reg(m, INTERRUPT_STATUS);
    *reg(m, INTERRUPT_ACK) = causes;
    arch_barrier(); /* the line drops before the handler returns */
    return causes;
}

bool
virtio_mmio_needs_reset(struct virtio_mmio *m)
{
    return (*reg(m, STATUS) & S_NEEDS_RESET) != 0;
}

uint32_t
virtio_mmio_config32(struct virtio_mmio *m, uint32_t offset)
{
    return *reg(m, CONFIG + offset);
}

uint64_t
virtio_mmio_config64(struct virtio_mmio *m, uint32_t offset)
{
    /* Legacy has no generation counter (QEMU logs a guest error for the
     * read): the halves are read once there. */
    for (;;) {
        uint32_t gen = m->version == 2 ? *reg(m, CONFIG_GENERATION) : 0;
        uint64_t v = virtio_mmio_config32(m, offset) |
                     (uint64_t)virtio_mmio_config32(m, offset + 4) << 32;
        if (m->version == 1 || *reg(m, CONFIG_GENERATION) == gen) {
            return v;
        }
    }
}
