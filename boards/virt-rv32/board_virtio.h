/* SPDX-License-Identifier: MIT */
/* QEMU virt's virtio-mmio transports (hw/riscv/virt.c in QEMU 7.2): eight,
 * 4 KiB apart from 0x10001000, transport n on PLIC source 1 + n. QEMU puts
 * the first -device on the command line on the last transport (0x10008000,
 * source 8), the next one below it. For virtio_blk_find() (virtio_blk.h). */
#pragma once

#define BOARD_VIRTIO_MMIO_BASE 0x10001000u
#define BOARD_VIRTIO_MMIO_STRIDE 0x1000u
#define BOARD_VIRTIO_MMIO_COUNT 8u
#define BOARD_VIRTIO_MMIO_FIRST_IRQ 1u

/* Initialiser of a struct virtio_mmio_slots. */
#define BOARD_VIRTIO_MMIO_SLOTS                                                                    \
    {                                                                                              \
        BOARD_VIRTIO_MMIO_BASE, BOARD_VIRTIO_MMIO_STRIDE, BOARD_VIRTIO_MMIO_COUNT,                 \
            BOARD_VIRTIO_MMIO_FIRST_IRQ                                                            \
    }
