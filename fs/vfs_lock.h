/* SPDX-License-Identifier: MIT */
/* The one lock of the tree of mounts (fs/vfs.c): in the kernel a mutex
 * (fs/vfs_lock.c), in host tests whatever the test links. Both calls come
 * from threads only; the lock is not recursive (vfs.c never nests it). */
#pragma once

void vfs_lock(void);
void vfs_unlock(void);
