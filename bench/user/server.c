/* SPDX-License-Identifier: MIT */
/* The user side of user_latency (main.c has the kernel side and the
 * method): each server thread waits for a command on its queue slot, runs
 * it and gives the done semaphore. Both processes are built from this
 * file; the one given a second queue serves it with a second thread, so
 * that two threads of one process can yield to each other. */
#include <pica/user/pica_user.h>

#include "ulat.h"

static void
serve(void *arg)
{
    uint32_t slot = (uint32_t)(uintptr_t)arg;
    for (;;) {
        struct ulat_cmd c;
        int err = pica_sys_queue_recv(slot, &c, sizeof(c), PICA_USER_FOREVER);
        if (err != 0) {
            pica_sys_exit((uint32_t)err); /* the kernel side times out and says so */
        }
        /* The loops are what the figures divide: n in a register, and
         * the empty one the same shape as the others (main.c subtracts it). */
        uint32_t n = c.n;
        if (c.op == ULAT_NOP) {
            for (uint32_t i = 0; i < n; i++) {
                pica_sys_nop();
            }
        } else if (c.op == ULAT_YIELD) {
            for (uint32_t i = 0; i < n; i++) {
                pica_sys_yield();
            }
        } else {
            for (uint32_t i = 0; i < n; i++) {
                __asm volatile("" ::: "memory");
            }
        }
        pica_sys_sem_give(ULAT_SLOT_DONE);
    }
}

int
user_main(void)
{
    int info = pica_sys_cap_info(ULAT_SLOT_QUEUE2);
    if (info >= 0 && (info & 0xff) == PICA_USER_CAP_QUEUE) {
        int t = sys_thread_create(serve, (void *)ULAT_SLOT_QUEUE2, sys_prio());
        if (t < 0) {
            return t;
        }
    }
    serve((void *)ULAT_SLOT_QUEUE);
    return 0;
}
