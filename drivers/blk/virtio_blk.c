/* SPDX-License-Identifier: MIT */
/* virtio-blk (Virtio 1.1 section 5.2) over virtio-mmio (virtio_mmio.c) as
 * a block device: set-up, one request at a time on queue 0 with its
 * completion signalled by the interrupt, and the blk ops.
 * Entry points: virtio_blk_init(), virtio_blk_find() (virtio_blk.h). */
#include "virtio_blk.h"

#include <pica/errno.h>
#include <pica/irq.h>
#include <pica/time.h>

#include "arch.h"

#define SECTOR 512u

/* Block device feature bits (section 5.2.3). */
#define F_SIZE_MAX 1u
#define F_RO 5u
#define F_BLK_SIZE 6u
#define F_FLUSH 9u
#define F_DISCARD 13u

/* Configuration space offsets (section 5.2.4). */
#define CFG_CAPACITY 0u
#define CFG_SIZE_MAX 8u
#define CFG_BLK_SIZE 20u
#define CFG_MAX_DISCARD_SECTORS 36u

/* Request types and status values (section 5.2.6). */
#define T_IN 0u
#define T_OUT 1u
#define T_FLUSH 4u
#define T_DISCARD 11u
#define S_OK 0u
#define S_IOERR 1u
#define S_UNSUPP 2u
#define S_NONE 0xFFu /* never written by the device: it did not answer */

#define IRQ_USED_BUFFER 1u

static struct virtio_blk *
to_vb(struct pica_blk *dev)
{
    return (struct virtio_blk *)dev;
}

static bool
has(const struct virtio_blk *vb, unsigned bit)
{
    return (vb->mmio.features >> bit) & 1u;
}

static void
vblk_isr(void *arg)
{
    struct virtio_blk *vb = arg;
    vb->irqs++;
    /* A configuration change (bit 1) needs nothing from us: the capacity
     * is read once, at set-up. */
    if (virtio_mmio_irq_ack(&vb->mmio) & IRQ_USED_BUFFER) {
        (void)pica_sem_give(&vb->done);
    }
}

/* Chain descriptor @i to the next one unless it is the last. */
static void
desc_set(struct virtq *vq, unsigned i, const volatile void *buf, uint32_t len, uint16_t flags,
         bool last)
{
    vq->desc[i].addr = (uintptr_t)buf;
    vq->desc[i].len = len;
    vq->desc[i].flags = (uint16_t)(flags | (last ? 0u : VIRTQ_DESC_F_NEXT));
    vq->desc[i].next = (uint16_t)(i + 1);
}

static int setup(struct virtio_blk *vb);

/* Sleep until the interrupt says the device has handed the chain back.
 * The ring is read only after the interrupt, even when QEMU has already
 * completed the request by the time we would look (it often has): a
 * device whose interrupt does not come is not trusted, it times out. A
 * give left over from an earlier request was drained before this one went
 * out; the wake-ups without progress are bounded all the same. */
static int
wait_used(struct virtio_blk *vb)
{
    volatile struct virtq_used *used = &vb->vq.used;
    for (int wakeups = 0;; wakeups++) {
        if (wakeups > 4 || pica_sem_take(&vb->done, PICA_MS(vb->timeout_ms)) != 0) {
            return -ETIMEDOUT;
        }
        if (used->idx != vb->used_seen) {
            break;
        }
    }
    arch_barrier(); /* the ring entry and the status byte after the index */
    vb->used_seen++;
    return 0;
}

/* A device that stopped answering, or asked for a reset: reset it (so it
 * no longer touches our buffers) and set it up again. */
static int
recover(struct virtio_blk *vb, int err)
{
    virtio_mmio_reset(&vb->mmio);
    if (setup(vb) != 0) {
        vb->ready = false;
        vb->blk.geo.block_count = 0; /* every later call: -ENODEV */
    }
    return err;
}

/* One request: the header, then @len bytes at @data (the device writes
 * them when @device_writes) if @len is not 0, then the status byte. */
static int
request(struct virtio_blk *vb, uint32_t type, uint64_t sector, const volatile void *data,
        uint32_t len, bool device_writes)
{
    struct virtq *vq = &vb->vq;
    if (!vb->ready) {
        return -ENODEV;
    }
    vb->hdr.type = type;
    vb->hdr.reserved = 0;
    vb->hdr.sector = sector;
    vb->status = S_NONE;
    unsigned n = 0;
    desc_set(vq, n++, &vb->hdr, sizeof(vb->hdr), 0, false);
    if (len != 0) {
        desc_set(vq, n++, data, len, device_writes ? VIRTQ_DESC_F_WRITE : 0, false);
    }
    desc_set(vq, n, &vb->status, 1, VIRTQ_DESC_F_WRITE, true);
    while (pica_sem_take(&vb->done, PICA_NO_WAIT) == 0) {
    }
    vq->avail.ring[vq->avail.idx % VIRTQ_SIZE] = 0; /* the chain's head */
    arch_barrier();                                 /* the entry before the index */
    vq->avail.idx++;
    vb->requests++;
    virtio_mmio_notify(&vb->mmio, 0);
    int err = wait_used(vb);
    if (err) {
        vb->timeouts++;
        return recover(vb, err);
    }
    if (virtio_mmio_needs_reset(&vb->mmio)) {
        return recover(vb, -EIO);
    }
    /* S_IOERR, S_UNSUPP or nothing written: the request did not happen. */
    return vb->status == S_OK ? 0 : -EIO;
}

/* Reads and programs, in requests of at most max_sectors. */
static int
transfer(struct virtio_blk *vb, uint32_t type, uint32_t block, uint32_t offset,
         const volatile uint8_t *buf, size_t size)
{
    uint64_t sector = (uint64_t)block * vb->sectors_per_block + offset / SECTOR;
    size_t max = vb->max_sectors != 0 ? (size_t)vb->max_sectors * SECTOR : size;
    int err = 0;
    while (size > 0 && !err) {
        size_t n = size < max ? size : max;
        err = request(vb, type, sector, buf, (uint32_t)n, type == T_IN);
        sector += n / SECTOR;
        buf += n;
        size -= n;
    }
    return err;
}

static int
vblk_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    return transfer(to_vb(dev), T_IN, block, offset, buf, size);
}

static int
vblk_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    return transfer(to_vb(dev), T_OUT, block, offset, buf, size);
}

static int
vblk_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    struct virtio_blk *vb = to_vb(dev);
    if (vb->discard_sectors == 0) {
        return vb->ready ? 0 : -ENODEV; /* a hint we may ignore (blk.h) */
    }
    uint64_t sector = (uint64_t)block * vb->sectors_per_block;
    uint64_t left = (uint64_t)count * vb->sectors_per_block;
    int err = 0;
    while (left > 0 && !err) {
        uint32_t n = left < vb->discard_sectors ? (uint32_t)left : vb->discard_sectors;
        vb->discard.sector = sector;
        vb->discard.num_sectors = n;
        vb->discard.flags = 0;
        err = request(vb, T_DISCARD, 0, &vb->discard, sizeof(vb->discard), false);
        sector += n;
        left -= n;
    }
    return err;
}

static int
vblk_sync(struct pica_blk *dev)
{
    struct virtio_blk *vb = to_vb(dev);
    if (!has(vb, F_FLUSH)) {
        return vb->ready ? 0 : -ENODEV; /* write-through: nothing cached */
    }
    return request(vb, T_FLUSH, 0, NULL, 0, false);
}

static const struct pica_blk_ops vblk_ops = {
    .read = vblk_read,
    .prog = vblk_prog,
    .erase = vblk_erase,
    .sync = vblk_sync,
};

/* The geometry and limits from the configuration space. */
static int
read_config(struct virtio_blk *vb)
{
    uint32_t unit = SECTOR;
    if (has(vb, F_BLK_SIZE)) {
        uint32_t b = virtio_mmio_config32(&vb->mmio, CFG_BLK_SIZE);
        if (b >= SECTOR && (b & (b - 1)) == 0) {
            unit = b; /* else a hint we cannot use: keep 512 */
        }
    }
    vb->sectors_per_block = unit / SECTOR;
    uint64_t blocks = virtio_mmio_config64(&vb->mmio, CFG_CAPACITY) / vb->sectors_per_block;
    vb->max_sectors = 0;
    if (has(vb, F_SIZE_MAX)) {
        uint32_t bytes = virtio_mmio_config32(&vb->mmio, CFG_SIZE_MAX) / unit * unit;
        vb->max_sectors = bytes != 0 ? bytes / SECTOR : vb->sectors_per_block;
    }
    vb->discard_sectors = 0;
    if (has(vb, F_DISCARD)) {
        uint32_t max = virtio_mmio_config32(&vb->mmio, CFG_MAX_DISCARD_SECTORS);
        vb->discard_sectors = max / vb->sectors_per_block * vb->sectors_per_block;
    }
    vb->blk.geo = (struct pica_blk_geometry){
        .read_size = unit,
        .prog_size = unit,
        .erase_size = unit,
        .block_count = blocks > UINT32_MAX ? UINT32_MAX : (uint32_t)blocks,
        .flags = has(vb, F_RO) ? PICA_BLK_READ_ONLY : 0,
        .erased_value = -1,
    };
    return pica_blk_init(&vb->blk);
}

/* Negotiate, read the configuration, give the device queue 0 (section
 * 3.1.1's order). The transport was probed. */
static int
setup(struct virtio_blk *vb)
{
    uint64_t wanted = (1ull << F_SIZE_MAX) | (1ull << F_RO) | (1ull << F_BLK_SIZE) |
                      (1ull << F_FLUSH) | (1ull << F_DISCARD);
    int err = virtio_mmio_negotiate(&vb->mmio, wanted);
    if (!err) {
        err = read_config(vb);
    }
    if (!err) {
        err = virtio_mmio_queue_setup(&vb->mmio, 0, &vb->vq);
    }
    if (err) {
        virtio_mmio_reset(&vb->mmio);
        return err;
    }
    vb->used_seen = 0;
    vb->ready = true;
    virtio_mmio_driver_ok(&vb->mmio);
    return 0;
}

/* Start @vb afresh as a device with no medium (blk.h: every call gives
 * -ENODEV) but a valid geometry, after quieting the transport and freeing
 * the line of an earlier set-up. */
static int
forget(struct virtio_blk *vb, const char *name, unsigned irq)
{
    if (vb->irq_attached) {
        virtio_mmio_reset(&vb->mmio);
        (void)pica_irq_detach(vb->irq);
    }
    *vb = (struct virtio_blk){
        .blk = {.name = name, .ops = &vblk_ops},
        .irq = irq,
        .timeout_ms = VIRTIO_BLK_TIMEOUT_MS,
    };
    vb->blk.geo = (struct pica_blk_geometry){SECTOR, SECTOR, SECTOR, 0, 0, -1};
    return pica_sem_init(&vb->done, 0, 1);
}

int
virtio_blk_init(struct virtio_blk *vb, const char *name, uintptr_t base, unsigned irq)
{
    if (vb == NULL || name == NULL) {
        return -EINVAL;
    }
    int err = forget(vb, name, irq);
    if (!err) {
        err = virtio_mmio_probe(&vb->mmio, base, VIRTIO_ID_BLOCK);
    }
    if (!err) {
        err = pica_irq_attach(irq, vblk_isr, vb, PICA_CFG_IRQ_PRIO_DEFAULT);
        vb->irq_attached = err == 0;
    }
    if (!err) {
        err = setup(vb);
    }
    if (!err) {
        err = pica_irq_enable(irq);
    }
    if (err) {
        vb->ready = false;
        vb->blk.geo.block_count = 0;
    }
    return err;
}

int
virtio_blk_find(struct virtio_blk *vb, const char *name, const struct virtio_mmio_slots *slots,
                unsigned nth)
{
    if (vb == NULL || name == NULL || slots == NULL) {
        return -EINVAL;
    }
    for (unsigned i = slots->count; i-- > 0;) {
        uintptr_t base = slots->base + (uintptr_t)i * slots->stride;
        struct virtio_mmio m;
        if (virtio_mmio_probe(&m, base, VIRTIO_ID_BLOCK) == 0 && nth-- == 0) {
            return virtio_blk_init(vb, name, base, slots->first_irq + i);
        }
    }
    int err = forget(vb, name, 0);
    return err ? err : -ENODEV;
}
