/* SPDX-License-Identifier: MIT */
/* A process built FAULT_THREAD: its second thread faults, which ends only
 * that thread; the first sees it gone and exits with 7. */
#include <pica/user/syscalls.h>
#include <stdint.h>

static void
faulty(void *arg)
{
    (void)arg;
    (void)*(volatile uint32_t *)0;
    pica_sys_thread_exit(1);
}

int
user_main(void)
{
    int t = pica_sys_thread_create((uint32_t)(uintptr_t)faulty, 0, 25);
    if (t < 0) {
        return t;
    }
    /* Joined: it ended, stopped by its fault (-EFAULT). */
    int code = pica_sys_thread_join((uint32_t)t, 100000u);
    return code == -14 ? 7 : 100 + code;
}
