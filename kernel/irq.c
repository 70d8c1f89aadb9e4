/* SPDX-License-Identifier: MIT */
/* Dynamic interrupt installation: a table of (handler, arg) per line that the
 * port's interrupt entry reaches through irq_dispatch(). Public API:
 * include/pica/irq.h; the CPU side (NVIC, PLIC) is in arch/<arch>/. */
#include <pica/irq.h>

#include <errno.h>
#include <pica/config.h>
#include <pica/panic.h>
#include <pica/tap.h>
#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

struct irq_slot {
    pica_irq_handler_t handler;
    void *arg;
    uint32_t count;
    void (*direct)(void); /* pica_irq_attach_direct()'s handler */
};

static struct irq_slot irq_table[PICA_CFG_IRQ_MAX];
static uint32_t irq_spurious;
/* The lines a handler can be attached to and run on, ARCH_IRQ_FIRST_LINE
 * .. that + span - 1: those the port delivers and the table has a slot for.
 * Set once at boot by irq_init(). The first line is the port's constant, so
 * a line is tested with one compare where it is 0 (Cortex-M) and one
 * subtraction more elsewhere: every trigger pays it. */
static unsigned irq_span;

void
irq_init(void)
{
    unsigned end = arch_irq_lines() < PICA_CFG_IRQ_MAX ? arch_irq_lines() : PICA_CFG_IRQ_MAX;
    unsigned first = ARCH_IRQ_FIRST_LINE;
    irq_span = end > first ? end - first : 0;
}

static inline bool
irq_valid(unsigned irq)
{
    return irq - ARCH_IRQ_FIRST_LINE < irq_span; /* below first: wraps, refused */
}

/* A direct handler on a port without per-line vectors: run from here. */
static void
irq_run_direct(void *arg)
{
    struct irq_slot *slot = arg;
    slot->direct();
}

static int
irq_install(unsigned irq, pica_irq_handler_t handler, void *arg, void (*direct)(void),
            unsigned prio)
{
    /* Installing is set-up work: the port changes vectors and priorities
     * from a thread or at boot only (arch.h), never under a handler that
     * may be the line's own. */
    PICA_CHECK(!arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    struct irq_slot *slot = &irq_table[irq];
    if (slot->handler != NULL) {
        err = -EBUSY;
    } else {
        arch_irq_disable(irq);
        slot->arg = arg;
        slot->handler = handler;
        slot->direct = direct;
        arch_irq_set_prio(irq, prio);
        if (direct != NULL) {
            (void)arch_irq_set_vector(irq, direct);
        }
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_irq_attach(unsigned irq, pica_irq_handler_t handler, void *arg, unsigned prio)
{
    if (!irq_valid(irq) || handler == NULL || prio > 7) {
        return -EINVAL;
    }
    return irq_install(irq, handler, arg, NULL, prio);
}

int
pica_irq_attach_direct(unsigned irq, void (*isr)(void), unsigned prio)
{
    if (!irq_valid(irq) || isr == NULL || prio > 7) {
        return -EINVAL;
    }
    return irq_install(irq, irq_run_direct, &irq_table[irq], isr, prio);
}

int
pica_irq_detach(unsigned irq)
{
    PICA_CHECK(!arch_in_isr(), -EINVAL); /* as irq_install() */
    if (!irq_valid(irq)) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    arch_irq_disable(irq);
    if (irq_table[irq].direct != NULL) {
        (void)arch_irq_set_vector(irq, NULL);
        irq_table[irq].direct = NULL;
    }
    irq_table[irq].handler = NULL;
    irq_table[irq].arg = NULL;
    arch_irq_unlock(key);
    return 0;
}

int
pica_irq_enable(unsigned irq)
{
    if (!irq_valid(irq) || irq_table[irq].handler == NULL) {
        return -EINVAL;
    }
    arch_irq_enable(irq);
    return 0;
}

int
pica_irq_disable(unsigned irq)
{
    if (!irq_valid(irq)) {
        return -EINVAL;
    }
    arch_irq_disable(irq);
    return 0;
}

int
pica_irq_trigger(unsigned irq)
{
    if (!irq_valid(irq)) {
        return -EINVAL;
    }
    arch_irq_trigger(irq);
    return 0;
}

uint32_t
pica_irq_count(unsigned irq)
{
    return irq_valid(irq) ? irq_table[irq].count : 0;
}

int
pica_irq_info(unsigned irq, struct pica_irq_info *info)
{
    if (!irq_valid(irq) || info == NULL) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    const struct irq_slot *slot = &irq_table[irq];
    info->attached = slot->handler != NULL;
    info->direct = slot->direct != NULL;
    info->handler = slot->direct != NULL ? (void *)slot->direct : (void *)slot->handler;
    info->count = slot->count;
    arch_irq_unlock(key);
    return 0;
}

uint32_t
pica_irq_spurious_count(void)
{
    return irq_spurious;
}

/* Nobody owns the line: silence it rather than storm. */
static inline void
irq_unowned(unsigned irq)
{
    irq_spurious++;
    arch_irq_disable(irq);
}

/* irq_dispatch() with the irq tap (include/pica/tap.h) set: apart and
 * tested first, so that the common path keeps its tail call to the
 * handler and no stack frame. */
static __attribute__((noinline, cold)) void
irq_tapped(struct irq_slot *slot, unsigned irq)
{
    if (slot->handler == NULL) {
        irq_unowned(irq);
        return;
    }
    slot->count++;
    pica_taps.irq(irq);
    slot->handler(slot->arg);
}

void
irq_dispatch(unsigned irq)
{
    /* Ports pass only lines below arch_irq_lines(), which they check at
     * build time to be no more than PICA_CFG_IRQ_MAX: no bound test here,
     * on every interrupt. */
    struct irq_slot *slot = &irq_table[irq];
    if (__builtin_expect(pica_taps.irq != NULL, 0)) {
        irq_tapped(slot, irq);
        return;
    }
    if (__builtin_expect(slot->handler == NULL, 0)) {
        irq_unowned(irq);
        return;
    }
    slot->count++;
    slot->handler(slot->arg);
}

unsigned
pica_irq_lock(void)
{
    return arch_irq_lock();
}

void
pica_irq_unlock(unsigned key)
{
    arch_irq_unlock(key);
}
