/* SPDX-License-Identifier: MIT */
/* Per-line vectors on Cortex-M: at boot the flash table is copied to RAM and
 * VTOR pointed at the copy, so pica_irq_attach_direct() can make a handler
 * the line's own vector. The CPU then enters it with nothing in front: no
 * IPSR decode, no table lookup, no call through a pointer. Kernel calls
 * from such a handler need nothing more, since the switch is PendSV's. */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "scb.h"

typedef void (*vector_t)(void);

extern const vector_t arch_vectors[16 + PICA_BOARD_IRQS];
void arch_irq_entry(void);

#if PICA_CFG_IRQ_DIRECT
#define VECTOR_COUNT (16 + PICA_BOARD_IRQS)
/* VTOR wants the table aligned to its size rounded up to a power of two,
 * and at least 128 bytes. */
#define VECTOR_ALIGN                                                                              \
    (VECTOR_COUNT <= 32    ? 128                                                                  \
     : VECTOR_COUNT <= 64  ? 256                                                                  \
     : VECTOR_COUNT <= 128 ? 512                                                                  \
     : VECTOR_COUNT <= 256 ? 1024                                                                 \
                           : 2048)

static vector_t ram_vectors[VECTOR_COUNT] __attribute__((aligned(VECTOR_ALIGN)));

void
arch_vectors_to_ram(void)
{
    memcpy(ram_vectors, arch_vectors, sizeof(ram_vectors));
    arch_barrier();
    SCB_VTOR = (uint32_t)ram_vectors;
    arch_barrier();
}

/* user.c: PendSV's handler follows whether the running thread is in user
 * mode. Only the switch's own code calls it, with the kernel's mask or in a
 * handler PendSV cannot preempt. */
void
arch_set_pendsv(void (*isr)(void))
{
    ram_vectors[14] = isr;
}

bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
    ram_vectors[16 + irq] = isr != NULL ? isr : arch_irq_entry;
    /* The entry is read on exception entry: make the store visible first. */
    arch_barrier();
    return true;
}
#else
void
arch_vectors_to_ram(void)
{
}

bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
    (void)irq;
    (void)isr;
    return false;
}
#endif
