/* SPDX-License-Identifier: MIT */
/* Memory-region capabilities (qemu.user-region): own makes REGION
 * capabilities of its memory and passes them to peer through an endpoint
 * the kernel gave both (own.c, peer.c). Checked here, beside what the
 * processes check: peer faulted exactly twice, a write to the read-only
 * region and a read after the revoke, each at the shared region, and the
 * heap and quotas are back at the end. */
#include <errno.h>
#include <stdio.h>

#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/pica.h>
#include <pica/proc.h>

#include "region_test.h"

/* kernel/proc/proc_priv.h: the stack that re-encodes a running process's map. */
int proc_region_encode_ready(void);

static struct pica_ep ep;
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-region: FAIL %s\n", what);                                               \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct pica_proc *own = pica_proc_find("own");
    struct pica_proc *peer = pica_proc_find("peer");
    if (own == NULL || peer == NULL) {
        printf("user-region: processes missing\n");
        pica_exit(1);
    }
    /* The stack that re-encodes a running process's map stays once the
     * first region is made: taken now, so the heap can be compared. */
    CHECK("encode stack", proc_region_encode_ready() == 0);
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    pica_ep_init(&ep);
    CHECK("give", pica_proc_give(own, PICA_CAP_EP, &ep, PICA_RIGHT_READ) == EP_SLOT);
    CHECK("give", pica_proc_give(peer, PICA_CAP_EP, &ep, PICA_RIGHT_WRITE) == EP_SLOT);
    CHECK("start own", pica_proc_start(own) == 0);
    CHECK("start peer", pica_proc_start(peer) == 0);
    while (own->state == PICA_PROC_RUNNING || peer->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(5));
    }
    CHECK("own passed", own->state == PICA_PROC_EXITED && own->exit_code == 0);
    CHECK("peer passed", peer->state == PICA_PROC_EXITED && peer->exit_code == 0);
    CHECK("peer faulted twice", peer->faults == 2);
    CHECK("the last at the region", peer->last_fault.addr_known &&
                                        peer->last_fault.addr >= own->image->ram_start &&
                                        peer->last_fault.addr < own->image->ram_end);
    CHECK("nothing mapped", peer->ngrants == 0 && own->ngrants == 0);
    CHECK("quota back", own->quota_used == 0 && peer->quota_used == 0);
    CHECK("reap own", pica_proc_kill(own, 0) == -ESRCH);
    CHECK("reap peer", pica_proc_kill(peer, 0) == -ESRCH);
    pica_heap_stats(&after);
    CHECK("heap back", after.free_bytes == before.free_bytes);
    printf("user-region: peer faulted %lu times, last at 0x%08lx (%c)\n",
           (unsigned long)peer->faults, (unsigned long)peer->last_fault.addr,
           peer->last_fault.access != 0 ? peer->last_fault.access : '?');
    printf("user-region: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
