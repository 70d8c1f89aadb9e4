/* SPDX-License-Identifier: MIT */
/* Stand-in interrupt lines (fake_lines.h). */
#include "fake_lines.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_port.h"

struct line lines[LINES];

static void
line_isr(void *arg)
{
    struct line *l = &lines[(uintptr_t)arg];
    /* Masked or deasserted meanwhile: nothing reaches the CPU. */
    if (l->handler != NULL && l->enabled && l->asserted) {
        l->runs++;
        l->handler(l->arg);
    }
}

static void
line_fire_if_due(unsigned n)
{
    if (lines[n].handler != NULL && lines[n].enabled && lines[n].asserted) {
        fake_irq_now(line_isr, (void *)(uintptr_t)n);
    }
}

void
line_assert(unsigned n)
{
    lines[n].asserted = true;
    line_fire_if_due(n);
}

void
line_deassert(unsigned n)
{
    lines[n].asserted = false;
}

int
pica_irq_attach(unsigned irq, pica_irq_handler_t handler, void *arg, unsigned prio)
{
    if (irq >= LINES || handler == NULL || prio > 7) {
        return -EINVAL;
    }
    if (lines[irq].handler != NULL) {
        return -EBUSY;
    }
    lines[irq].enabled = false;
    lines[irq].handler = handler;
    lines[irq].arg = arg;
    lines[irq].prio = prio;
    return 0;
}

int
pica_irq_detach(unsigned irq)
{
    if (irq >= LINES) {
        return -EINVAL;
    }
    lines[irq].enabled = false;
    lines[irq].handler = NULL;
    lines[irq].arg = NULL;
    return 0;
}

int
pica_irq_enable(unsigned irq)
{
    if (irq >= LINES || lines[irq].handler == NULL) {
        return -EINVAL;
    }
    lines[irq].enabled = true;
    line_fire_if_due(irq);
    return 0;
}

int
pica_irq_disable(unsigned irq)
{
    if (irq >= LINES) {
        return -EINVAL;
    }
    lines[irq].enabled = false;
    return 0;
}
