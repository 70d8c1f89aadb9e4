/* SPDX-License-Identifier: MIT */
/* The file tree's lock in the kernel: one mutex, with priority
 * inheritance, so an urgent thread waiting for a file is not held up by
 * threads of middle priority while a lower one holds it. Set up on first
 * use under the kernel lock, so no boot step is needed.
 *
 * A thread is not killed while it holds the lock (a kill waits until it
 * lets go, as inside pica_malloc()): a file system left halfway through a
 * call, in RAM, would be worse than a late death. */
#include <pica/irq.h>
#include <pica/mutex.h>
#include <stdbool.h>

#include "thread_priv.h"
#include "vfs_lock.h"

static struct pica_mutex vfs_mutex;
static bool vfs_mutex_ready;

void
vfs_lock(void)
{
    if (!vfs_mutex_ready) {
        unsigned key = pica_irq_lock();
        if (!vfs_mutex_ready) {
            pica_mutex_init(&vfs_mutex);
            vfs_mutex_ready = true;
        }
        pica_irq_unlock(key);
    }
    thread_no_kill_begin();
    (void)pica_mutex_lock(&vfs_mutex, PICA_FOREVER);
}

void
vfs_unlock(void)
{
    (void)pica_mutex_unlock(&vfs_mutex);
    thread_no_kill_end();
}
