/* SPDX-License-Identifier: MIT */
/* A process that registers a cron job every second: the first run counts
 * itself in the process's memory and says so; the second reads the
 * kernel's memory at CRON_KERNEL_ADDR, which a user thread must never
 * manage. */
#include <pica/user/pica_user.h>
#include <stdint.h>
#include <stdio.h>

static volatile int runs;

static void
tick(void *arg)
{
    int n = ++runs;
    printf("cron task run %d, arg %lu\n", n, (unsigned long)(uintptr_t)arg);
    sys_flush();
    if (n == 2) {
        volatile uint32_t *kernel = (volatile uint32_t *)(uintptr_t)CRON_KERNEL_ADDR;
        printf("cron task read 0x%08lx: not stopped!\n", (unsigned long)*kernel);
    }
}

int
user_main(void)
{
    int bad = sys_cron_add("61 * * * * *", tick, NULL);
    int id = sys_cron_add("* * * * * *", tick, (void *)42);
    printf("cron user: bad line %d, job %d, foreign %d\n", bad, id, sys_cron_del(id + 1000));
    sys_flush();
    for (;;) {
        sys_sleep_us(1000000);
    }
}
