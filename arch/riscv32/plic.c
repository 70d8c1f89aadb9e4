/* SPDX-License-Identifier: MIT */
/* Interrupt lines on RV32: PLIC sources for devices, plus software-pended
 * lines delivered through the CLINT machine software interrupt (MSIP) so that
 * arch_irq_trigger() works for any line, as NVIC STIR does on Cortex-M.
 * PLIC register map: RISC-V PLIC specification; context 0 = hart 0, M-mode. */
#include <stdint.h>

#include <pica/config.h>

#include "arch.h"
#include "riscv.h"

#define PLIC_PRIO(id)   RV_REG(PICA_PLIC_BASE + 4u * (id))
#define PLIC_ENABLE(w)  RV_REG(PICA_PLIC_BASE + 0x2000u + 4u * (w))
#define PLIC_THRESHOLD  RV_REG(PICA_PLIC_BASE + 0x200000u)
#define PLIC_CLAIM      RV_REG(PICA_PLIC_BASE + 0x200004u)

/* Lines pended by software, one bit each; bit set = pending. */
static volatile uint32_t soft_pending[(PICA_BOARD_IRQS + 31) / 32];
static volatile uint32_t line_enabled[(PICA_BOARD_IRQS + 31) / 32];

unsigned
arch_irq_lines(void)
{
    return PICA_BOARD_IRQS;
}

void
arch_irq_enable(unsigned irq)
{
    if (irq == 0 || irq >= PICA_BOARD_IRQS) {
        return; /* PLIC source 0 does not exist */
    }
    line_enabled[irq / 32u] |= 1u << (irq % 32u);
    PLIC_ENABLE(irq / 32u) |= 1u << (irq % 32u);
}

void
arch_irq_disable(unsigned irq)
{
    if (irq == 0 || irq >= PICA_BOARD_IRQS) {
        return;
    }
    line_enabled[irq / 32u] &= ~(1u << (irq % 32u));
    PLIC_ENABLE(irq / 32u) &= ~(1u << (irq % 32u));
}

void
arch_irq_set_prio(unsigned irq, unsigned prio)
{
    /* Logical 0 is the most urgent; the PLIC's 7 is. 0 would mean "never". */
    unsigned hw = prio >= 7u ? 1u : 7u - prio;
    if (irq != 0 && irq < PICA_BOARD_IRQS) {
        PLIC_PRIO(irq) = hw;
    }
}

void
arch_irq_trigger(unsigned irq)
{
    if (irq == 0 || irq >= PICA_BOARD_IRQS) {
        return;
    }
    unsigned key = arch_irq_lock();
    soft_pending[irq / 32u] |= 1u << (irq % 32u);
    arch_irq_unlock(key);
    CLINT_MSIP = 1;
}

void
plic_dispatch(void)
{
    uint32_t id;
    while ((id = PLIC_CLAIM) != 0) {
        irq_dispatch(id);
        PLIC_CLAIM = id;
    }
}

void
msip_dispatch(void)
{
    /* MSIP also carries switch requests; those are handled at trap exit. */
    CLINT_MSIP = 0;
    for (unsigned w = 0; w < (PICA_BOARD_IRQS + 31) / 32; w++) {
        uint32_t bits = soft_pending[w] & line_enabled[w];
        soft_pending[w] &= ~bits;
        while (bits != 0) {
            unsigned bit = (unsigned)__builtin_ctz(bits);
            bits &= bits - 1;
            irq_dispatch(w * 32u + bit);
        }
    }
}

void
arch_init(void)
{
    for (unsigned irq = 1; irq < PICA_BOARD_IRQS; irq++) {
        arch_irq_set_prio(irq, PICA_CFG_IRQ_PRIO_DEFAULT);
    }
    PLIC_THRESHOLD = 0;
    __asm volatile("csrs mie, %0" ::"r"(MIE_MEIE | MIE_MSIE));
    __asm volatile("csrsi mstatus, 8" ::: "memory");
}
