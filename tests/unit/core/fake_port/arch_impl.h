/* SPDX-License-Identifier: MIT */
/* Fake port for host tests of the portable kernel, inline half: each
 * function hands over to fake_port.c, which keeps the interrupt lock, the
 * interrupt-handler depth and the pending switch in one place. Test-side
 * controls (virtual clock, interrupt injection): fake_port.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Nothing is ever trapped on the host; the kernel only passes pointers. */
struct arch_frame {
    uintptr_t pc;
};

/* The kernel checks a canary at every switch (the host has no MPU). */
/* arch_irq_first_line() as a constant (no controller), so the kernel's line
 * check is one compare where it is 0. */
#define ARCH_IRQ_FIRST_LINE 0u

#define ARCH_HAS_STACK_GUARD 0

struct pica_thread;

unsigned fake_irq_lock(void);
void fake_irq_unlock(unsigned key);
bool fake_in_isr(void);
void fake_idle(void);
void fake_switch_request(void);
void fake_irq_trigger(unsigned irq);

/* The key is 1 when the lock was already held, so nesting restores it. */
static inline unsigned
arch_irq_lock(void)
{
    return fake_irq_lock();
}

static inline void
arch_irq_unlock(unsigned key)
{
    fake_irq_unlock(key);
}

static inline bool
arch_irq_key_unlocked(unsigned key)
{
    return key == 0;
}

static inline bool
arch_in_isr(void)
{
    return fake_in_isr();
}

/* Idle jumps the virtual clock to the next interrupt and takes it. */
static inline void
arch_idle(void)
{
    fake_idle();
}

static inline void
arch_barrier(void)
{
    __asm volatile("" ::: "memory");
}

static inline void
arch_mpu_load(const struct pica_thread *next)
{
    (void)next;
}

/* The host's own TLS serves every fiber alike. */
static inline void
arch_tls_load(const struct pica_thread *next)
{
    (void)next;
}

static inline void
arch_irq_trigger(unsigned irq)
{
    fake_irq_trigger(irq);
}

/* Taken before the unlock that follows returns (or at handler exit). */
static inline void
arch_switch_request(void)
{
    fake_switch_request();
}
