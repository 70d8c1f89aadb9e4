/* SPDX-License-Identifier: MIT */
/* A user-space driver receiving its interrupts (qemu.user-driver). The
 * kernel makes an IRQ capability and gives it to the process driver (write
 * right) with two semaphores for checkpoints; on MPS2 also a region over
 * CMSDK timer1's registers, the device whose line it is. The driver binds
 * a badged notification of its own to the line (driver.c).
 *   - At the first checkpoint the line is bound with the badge's bits. The
 *     intruder, holding the line with the read right only, fails to
 *     acknowledge or bind it, then reads the device (or the kernel) with
 *     no region for it and is killed by the memory fault; the driver goes on.
 *   - The driver serves DRV_INTERRUPTS interrupts, each acknowledged before
 *     the next: on MPS2 the timer's, every millisecond; elsewhere the kernel
 *     pends a free line by software, each time once the last was acked.
 *   - At interrupt DRV_HOLD_AT the driver sits on it: the kernel sees the
 *     line masked and no interrupt delivered meanwhile, though the timer
 *     runs on, or the kernel pends the line once more, which is held and
 *     delivered right after the ack.
 *   - At the end the handler ran exactly DRV_INTERRUPTS times, the line is
 *     unmasked, and once the driver is gone its notification is too, the
 *     line unbound and its handler detached; the heap is as it was. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/sem.h>

#include "arch.h"
#include "driver_test.h"
#include "region.h"

static struct pica_irq_cap irqcap;
static struct pica_sem sync_sem, go;
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-driver: FAIL %s\n", what);                                               \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static void
give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, int slot)
{
    CHECK("give", pica_proc_give(p, type, obj, rights) == slot);
}

/* What the interrupt handler (kernel/notify.c) changes. */
static uint32_t
irq_count(void)
{
    return *(volatile uint32_t *)&irqcap.count;
}

static bool
irq_masked(void)
{
    return *(volatile bool *)&irqcap.masked;
}

/* Bits signalled to the driver's notification and not yet taken. */
static uint32_t
irq_word(void)
{
    struct pica_ntfn *n = irqcap.ntfn;
    return n != NULL ? *(volatile uint32_t *)&n->word : 0;
}

static bool
line_attached(void)
{
    struct pica_irq_info info;
    return pica_irq_info(irqcap.line, &info) == 0 && info.attached;
}

/* Wait, a tick at a time in guest time, until the handler has run @count
 * times and the driver has acknowledged the last. */
static bool
acked(uint32_t count)
{
    for (int ms = 0; ms < 1000; ms++) {
        if (irq_count() == count && !irq_masked()) {
            return true;
        }
        (void)pica_sleep(PICA_MS(1));
    }
    return false;
}

/* The driver sits on its interrupt @count: the line stays masked. */
static void
check_hold(uint32_t count)
{
    CHECK("hold", pica_sem_take(&sync_sem, PICA_MS(1000)) == 0);
    CHECK("masked at the hold", irq_masked());
    CHECK("count at the hold", irq_count() == count);
    if (!DRV_CMSDK_TIMER) {
        CHECK("pend while masked", pica_irq_trigger(irqcap.line) == 0);
    }
    (void)pica_sleep(PICA_US(DRV_HOLD_US));
    CHECK("masked still", irq_masked());
    CHECK("nothing delivered while masked", irq_count() == count);
    CHECK("nothing signalled while masked", irq_word() == 0);
    if (DRV_CMSDK_TIMER) {
        volatile uint32_t *status = (volatile uint32_t *)(DRV_TIMER_BASE + DRV_TIMER_INT);
        CHECK("the device asks all the same", (*status & 1u) != 0);
    }
    CHECK("go on", pica_sem_give(&go) == 0);
}

/* Without a device: pend the line DRV_INTERRUPTS times in all, each once
 * the one before was acknowledged, one of them while the driver holds it. */
static void
pend_interrupts(void)
{
    uint32_t k = 0;
    while (k < DRV_INTERRUPTS) {
        CHECK("pend", pica_irq_trigger(irqcap.line) == 0);
        k++;
        if (k == DRV_HOLD_AT + 1u) {
            check_hold(k);
            k++; /* the one pended while masked */
        }
        if (!acked(k)) {
            printf("user-driver: FAIL interrupt %lu not acknowledged (count %lu, %s)\n",
                   (unsigned long)k, (unsigned long)irq_count(),
                   irq_masked() ? "masked" : "unmasked");
            failures++;
            return;
        }
    }
}

/* The intruder runs while the driver waits at its first checkpoint. */
static void
intrude(struct pica_proc *intruder, struct pica_proc *drv)
{
    CHECK("start intruder", pica_proc_start(intruder) == 0);
    for (int ms = 0; ms < 1000 && intruder->state == PICA_PROC_RUNNING; ms++) {
        (void)pica_sleep(PICA_MS(1));
    }
    CHECK("the intruder killed", intruder->state == PICA_PROC_KILLED);
    CHECK("by a fault", intruder->exit_code == -EFAULT && intruder->faults == 1);
    CHECK("at the address it read",
          intruder->last_fault.addr_known && intruder->last_fault.addr == DRV_FORBIDDEN_ADDR);
    CHECK("the driver goes on", drv->state == PICA_PROC_RUNNING);
    CHECK("the line still its", irqcap.ntfn != NULL && line_attached());
    printf("user-driver: intruder ended by a %s at 0x%08lx\n",
           intruder->last_fault.kind != NULL ? intruder->last_fault.kind : "fault",
           (unsigned long)intruder->last_fault.addr);
}

static void
setup(struct pica_proc *drv, struct pica_proc *intruder)
{
    unsigned line = DRV_CMSDK_TIMER ? DRV_TIMER_LINE : arch_irq_lines() - 1u;
    /* The timer holds its line until the driver clears it; a software
     * pend is an edge. */
    unsigned flags = DRV_CMSDK_TIMER ? PICA_IRQ_CAP_LEVEL : 0u;
    CHECK("irq cap", pica_irq_cap_init(&irqcap, line, DRV_IRQ_PRIO, flags) == 0);
    pica_sem_init(&sync_sem, 0, 1);
    pica_sem_init(&go, 0, 1);
    give(drv, PICA_CAP_IRQ, &irqcap, PICA_RIGHT_WRITE, DRV_IRQ);
    give(drv, PICA_CAP_SEM, &sync_sem, PICA_RIGHT_WRITE, DRV_SYNC);
    give(drv, PICA_CAP_SEM, &go, PICA_RIGHT_READ, DRV_GO);
    if (DRV_CMSDK_TIMER) {
        CHECK("grant", pica_proc_grant(drv, DRV_TIMER_BASE, DRV_TIMER_SIZE,
                                       REGION_R | REGION_W | REGION_DEVICE) == DRV_REGS);
    }
    give(intruder, PICA_CAP_IRQ, &irqcap, PICA_RIGHT_READ, INTR_IRQ);
}

/* The driver has stopped: the count is exact, the line unmasked. */
static void
check_end(struct pica_proc *drv)
{
    CHECK("done", pica_sem_take(&sync_sem, PICA_MS(1000)) == 0);
    (void)pica_sleep(PICA_US(DRV_HOLD_US));
    CHECK("interrupts delivered", irq_count() == DRV_INTERRUPTS);
    CHECK("unmasked at the end", !irq_masked());
    printf("user-driver: %lu interrupts delivered, line %s\n", (unsigned long)irq_count(),
           irq_masked() ? "masked" : "unmasked");
    CHECK("go on", pica_sem_give(&go) == 0);
    for (int ms = 0; ms < 1000 && drv->state == PICA_PROC_RUNNING; ms++) {
        (void)pica_sleep(PICA_MS(1));
    }
    CHECK("driver passed", drv->state == PICA_PROC_EXITED && drv->exit_code == 0);
    CHECK("unbound with its notification", irqcap.ntfn == NULL);
    CHECK("handler detached", !line_attached());
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct pica_proc *drv = pica_proc_find("driver");
    struct pica_proc *intruder = pica_proc_find("intruder");
    if (drv == NULL || intruder == NULL) {
        printf("user-driver: processes missing\n");
        pica_exit(1);
    }
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    setup(drv, intruder);
    CHECK("start driver", pica_proc_start(drv) == 0);
    CHECK("bound", pica_sem_take(&sync_sem, PICA_MS(1000)) == 0);
    CHECK("bound to its notification", irqcap.ntfn != NULL && irqcap.bits == DRV_BADGE);
    CHECK("handler attached", line_attached() && !irq_masked());
    intrude(intruder, drv);
    CHECK("go", pica_sem_give(&go) == 0);
    if (DRV_CMSDK_TIMER) {
        check_hold(DRV_HOLD_AT + 1u);
    } else {
        pend_interrupts();
    }
    check_end(drv);
    CHECK("reap driver", pica_proc_kill(drv, 0) == -ESRCH);
    CHECK("reap intruder", pica_proc_kill(intruder, 0) == -ESRCH);
    pica_heap_stats(&after);
    CHECK("heap back", after.free_bytes == before.free_bytes);
    printf("user-driver: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
