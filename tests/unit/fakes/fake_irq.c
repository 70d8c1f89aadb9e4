/* SPDX-License-Identifier: MIT */
/* See fake_irq.h. */
#include "fake_irq.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pica/errno.h>
#include <pica/panic.h>

struct fake_irq_line fake_lines[FAKE_IRQ_LINES];
unsigned fake_lock_depth;
unsigned fake_max_lock_depth;
int fake_attach_error;
unsigned fake_attach_calls;

void
fake_irq_reset(void)
{
    memset(fake_lines, 0, sizeof(fake_lines));
    fake_lock_depth = 0;
    fake_max_lock_depth = 0;
    fake_attach_error = 0;
    fake_attach_calls = 0;
}

void
fake_irq_fire(unsigned irq)
{
    assert_true(irq < FAKE_IRQ_LINES);
    assert_non_null(fake_lines[irq].handler);
    assert_true(fake_lines[irq].enabled);
    fake_lines[irq].handler(fake_lines[irq].arg);
}

unsigned
pica_irq_lock(void)
{
    fake_lock_depth++;
    if (fake_lock_depth > fake_max_lock_depth) {
        fake_max_lock_depth = fake_lock_depth;
    }
    return fake_lock_depth;
}

void
pica_irq_unlock(unsigned key)
{
    assert_int_equal(key, fake_lock_depth);
    fake_lock_depth--;
}

int
pica_irq_attach(unsigned irq, pica_irq_handler_t handler, void *arg, unsigned prio)
{
    fake_attach_calls++;
    if (fake_attach_error != 0) {
        return fake_attach_error;
    }
    if (irq >= FAKE_IRQ_LINES || handler == NULL) {
        return -EINVAL;
    }
    if (fake_lines[irq].handler != NULL) {
        return -EBUSY;
    }
    fake_lines[irq].handler = handler;
    fake_lines[irq].arg = arg;
    fake_lines[irq].prio = prio;
    return 0;
}

int
pica_irq_enable(unsigned irq)
{
    if (irq >= FAKE_IRQ_LINES || fake_lines[irq].handler == NULL) {
        return -EINVAL;
    }
    fake_lines[irq].enabled = true;
    return 0;
}

void
pica_panic(const char *file, int line, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)fmt;
    abort();
}
