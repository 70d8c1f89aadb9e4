/* SPDX-License-Identifier: MIT */
/* The user-driver test's driver (main.c has the plan): binds a notification
 * of its own, badged, to the interrupt line the kernel gave it, and serves
 * DRV_INTERRUPTS interrupts: wait, check the badge, check and clear the
 * device, acknowledge. Before one acknowledgement it waits DRV_HOLD_US and
 * checks that nothing more arrived while the line was masked. On MPS2 the
 * device is CMSDK timer1, reached through the region the kernel granted;
 * elsewhere the kernel pends the line by software. Exits with its number
 * of failures. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "driver_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("driver: FAIL %s: %ld, not %ld\n", what, got_, want_);                         \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static inline volatile uint32_t *
timer_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(DRV_TIMER_BASE + off);
}

/* Periodic interrupts every DRV_TIMER_RELOAD + 1 clocks. */
static void
device_start(void)
{
    if (DRV_CMSDK_TIMER) {
        *timer_reg(DRV_TIMER_CTRL) = 0;
        *timer_reg(DRV_TIMER_INT) = 1;
        *timer_reg(DRV_TIMER_RELOAD_REG) = DRV_TIMER_RELOAD;
        *timer_reg(DRV_TIMER_VALUE) = DRV_TIMER_RELOAD;
        *timer_reg(DRV_TIMER_CTRL) = DRV_TIMER_ENABLE | DRV_TIMER_IRQ_ENABLE;
    }
}

/* Whether the device asks for service (software pends have no device). */
static bool
device_pending(void)
{
    return !DRV_CMSDK_TIMER || (*timer_reg(DRV_TIMER_INT) & 1u) != 0;
}

static void
device_clear(void)
{
    if (DRV_CMSDK_TIMER) {
        *timer_reg(DRV_TIMER_INT) = 1;
    }
}

static void
device_stop(void)
{
    if (DRV_CMSDK_TIMER) {
        *timer_reg(DRV_TIMER_CTRL) = 0;
        *timer_reg(DRV_TIMER_INT) = 1;
    }
}

/* The slots it must not get wrong. Returns its badged notification. */
static int
bind(int *ntfn)
{
    CHECK_EQ("ack before the bind", sys_irq_ack(DRV_IRQ), -EINVAL);
    int n = sys_ntfn_create();
    CHECK_EQ("ntfn", n >= 0, 1);
    int badged = sys_cap_mint(n, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, DRV_BADGE);
    CHECK_EQ("mint", badged >= 0, 1);
    int waitonly = sys_cap_copy(n, PICA_SLOT_ANY, PICA_USER_RIGHT_READ);
    CHECK_EQ("copy", waitonly >= 0, 1);
    CHECK_EQ("ack a notification", sys_irq_ack(n), -EBADF);
    CHECK_EQ("bind a semaphore", sys_irq_bind(badged, DRV_SYNC), -EBADF);
    CHECK_EQ("bind to a semaphore", sys_irq_bind(DRV_SYNC, DRV_IRQ), -EBADF);
    CHECK_EQ("bind without the signal right", sys_irq_bind(waitonly, DRV_IRQ), -EPERM);
    CHECK_EQ("bind", sys_irq_bind(badged, DRV_IRQ), 0);
    CHECK_EQ("bind again", sys_irq_bind(n, DRV_IRQ), -EBUSY);
    CHECK_EQ("delete", sys_cap_delete(waitonly), 0);
    *ntfn = n;
    return badged;
}

/* Sit on an interrupt: the line stays masked, so nothing more arrives,
 * though the timer runs on (MPS2) or the kernel pends the line (main.c). */
static void
hold(int n)
{
    CHECK_EQ("sleep", sys_sleep_us(DRV_HOLD_US), 0);
    CHECK_EQ("nothing while masked", sys_ntfn_poll(n), 0);
    CHECK_EQ("checkpoint", sys_sem_give(DRV_SYNC), 0);
    CHECK_EQ("checked", sys_sem_take(DRV_GO, SYS_FOREVER), 0);
    CHECK_EQ("nothing while masked, still", sys_ntfn_poll(n), 0);
}

static void
serve(int n, int *interrupts, int *acks)
{
    int spurious = 0;
    for (int i = 0; i < DRV_INTERRUPTS; i++) {
        int word = sys_ntfn_wait(n, 1000000);
        if (word < 0) {
            printf("driver: FAIL wait: %d after %d interrupts\n", word, i);
            failures++;
            return;
        }
        (*interrupts)++;
        CHECK_EQ("the badge's bits", word, DRV_BADGE);
        spurious += !device_pending();
        if (i == DRV_HOLD_AT) {
            hold(n);
        }
        if (i == DRV_INTERRUPTS - 1) {
            device_stop(); /* before the ack: no interrupt after the last */
        }
        device_clear();
        int err = sys_irq_ack(DRV_IRQ);
        CHECK_EQ("ack", err, 0);
        *acks += err == 0;
    }
    CHECK_EQ("notifications without the device interrupting", spurious, 0);
}

int
user_main(void)
{
    int n = -1;
    int badged = bind(&n);
    CHECK_EQ("bound", sys_sem_give(DRV_SYNC), 0);
    CHECK_EQ("go", sys_sem_take(DRV_GO, SYS_FOREVER), 0);
    int interrupts = 0, acks = 0;
    device_start();
    serve(n, &interrupts, &acks);
    CHECK_EQ("sleep", sys_sleep_us(DRV_HOLD_US), 0);
    CHECK_EQ("nothing after the stop", sys_ntfn_poll(n), 0);
    printf("driver: %d interrupts, %d acks\n", interrupts, acks);
    /* The kernel checks the line's count while it is still bound. */
    CHECK_EQ("done", sys_sem_give(DRV_SYNC), 0);
    CHECK_EQ("checked", sys_sem_take(DRV_GO, SYS_FOREVER), 0);
    CHECK_EQ("delete the badged slot", sys_cap_delete(badged), 0);
    printf("driver: %d failures\n", failures);
    return failures;
}
