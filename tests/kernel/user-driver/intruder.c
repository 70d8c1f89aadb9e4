/* SPDX-License-Identifier: MIT */
/* The user-driver test's intruder (main.c has the plan): it holds the
 * driver's interrupt line with the read right only and no region for the
 * device. Acknowledging or binding the line fails, and so does widening
 * the slot; then it reads DRV_FORBIDDEN_ADDR (timer1's registers on MPS2,
 * the kernel's image elsewhere), and the memory fault ends it: the kernel
 * checks that. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "driver_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("intruder: FAIL %s: %ld, not %ld\n", what, got_, want_);                       \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
user_main(void)
{
    CHECK_EQ("ack without the write right", sys_irq_ack(INTR_IRQ), -EPERM);
    CHECK_EQ("ack an empty slot", sys_irq_ack(5), -EBADF);
    CHECK_EQ("ack a slot out of range", sys_irq_ack(200), -EBADF);
    int n = sys_ntfn_create();
    CHECK_EQ("ntfn", n >= 0, 1);
    CHECK_EQ("ack a notification", sys_irq_ack(n), -EBADF);
    CHECK_EQ("bind without the write right", sys_irq_bind(n, INTR_IRQ), -EPERM);
    CHECK_EQ("bind an empty slot", sys_irq_bind(n, 5), -EBADF);
    CHECK_EQ("bind a notification", sys_irq_bind(n, n), -EBADF);
    CHECK_EQ("bind to the line", sys_irq_bind(INTR_IRQ, INTR_IRQ), -EBADF);
    CHECK_EQ("widen", sys_cap_copy(INTR_IRQ, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE), -EPERM);
    printf("intruder: %d failures, now the device\n", failures);
    uint32_t v = *(volatile uint32_t *)(uintptr_t)DRV_FORBIDDEN_ADDR;
    printf("intruder: FAIL read 0x%08lx at 0x%08lx\n", (unsigned long)v,
           (unsigned long)DRV_FORBIDDEN_ADDR);
    return 1;
}
