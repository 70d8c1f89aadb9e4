/* SPDX-License-Identifier: MIT */
/* A file on the host, reached through semihosting, as a Pica block device
 * (include/pica/blk.h): the disk of boards without a storage device model
 * under QEMU (the Arm boards; QEMU runs with -semihosting-config
 * enable=on). The file outlives the run, so what one run writes the next
 * one reads.
 *
 * Geometry: a sector device. Read, program and erase sizes are the block
 * size given at open (512 for a disk; any power of two from 16 to 64 KiB),
 * no PICA_BLK_ERASE_BEFORE_PROG, erased_value -1. Erase does nothing (a
 * program overwrites). Sync has nothing to do: each program is in the
 * host's file (the host OS's cache) when its call returns, which survives
 * the end of QEMU, though not a crash of the host.
 *
 * Every call is synchronous: semihosting stops the CPU, interrupts
 * included, while the host reads or writes the file (under icount no guest
 * time passes meanwhile). Keep requests moderate where interrupt latency
 * matters. Semihosting file offsets are a signed word, so a device is
 * below 2 GiB. Semihosting works from privileged code only, and only under a host
 * that listens (QEMU, a debugger); on a board running alone the first call
 * faults.
 *
 * Errors: a file that cannot be opened or created gives -ENODEV; a host
 * call that fails or moves fewer bytes than asked (the file was shortened
 * behind our back) gives -EIO.
 *
 * Context: thread or boot. One owner, as blk.h says. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/blk.h>

struct semihost_blk {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct semihost_blk * */
    const char *path;
    uint32_t handle;     /* the host's handle, while is_open */
    bool is_open;
    uint32_t calls;      /* semihosting calls made, for tests */
};

/* Open the host file @path (kept by reference) as device @name, read and
 * write, with blocks of @block_size bytes. With @block_count 0 the device
 * is the file as it is (its size rounded down to whole blocks); otherwise
 * it has @block_count blocks, and a file that is missing is created, one
 * that is shorter extended with zeros, to that size (a longer one keeps
 * its tail, unused). @hb is zeroed (static) before the first call; a later
 * call closes what the earlier one opened. Context: thread or boot.
 * Returns: 0, -EINVAL (NULL, a block size out of range, a size of
 * 2 GiB or more), -ENODEV (the file cannot be opened or created, or with
 * @block_count 0 holds not one block; @hb is then a device without
 * medium), -EIO (the host failed to size the file). */
int semihost_blk_open(struct semihost_blk *hb, const char *name, const char *path,
                      uint32_t block_size, uint32_t block_count);

/* Close the host file; every call on the device then gives -ENODEV.
 * Returns: 0, -EINVAL (NULL), -EIO (the host refused). */
int semihost_blk_close(struct semihost_blk *hb);

/* The board's default disk image, the one `make run` uses: the file the
 * build names in PICA_FS_IMAGE (cmake; build/<board>/pica-fs.img by
 * default), PICA_FS_IMAGE_SIZE bytes, blocks of 512, as device "host0".
 * Returns: as semihost_blk_open(), or -ENODEV when the build names no
 * image (a board without semihosting). */
int semihost_blk_open_default(struct semihost_blk *hb);
