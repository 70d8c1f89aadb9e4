/* SPDX-License-Identifier: MIT */
/* Interrupt lines on RV32: PLIC sources for devices, plus software-pended
 * lines delivered through the CLINT machine software interrupt (MSIP) so that
 * arch_irq_trigger() (plic_soft_trigger) works for any line, as NVIC STIR does on Cortex-M.
 * PLIC register map: RISC-V PLIC specification; context 0 = hart 0, M-mode. */
#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>

#include "arch.h"
#include "riscv.h"

#define IDLE_LEVEL 8u /* no handler running */

#define PLIC_PRIO(id)   RV_REG(PICA_PLIC_BASE + 4u * (id))
#define PLIC_ENABLE(w)  RV_REG(PICA_PLIC_BASE + 0x2000u + 4u * (w))
#define PLIC_THRESHOLD  RV_REG(PICA_PLIC_BASE + 0x200000u)
#define PLIC_CLAIM      RV_REG(PICA_PLIC_BASE + 0x200004u)

/* Lines pended by software, one bit each; bit set = pending. Set with an
 * atomic OR (amoor), so a trigger needs no critical section of its own. */
#define SOFT_WORDS ((PICA_BOARD_IRQS + 31) / 32)
static volatile uint32_t soft_pending[SOFT_WORDS];
static volatile uint32_t line_enabled[SOFT_WORDS];
/* Logical priority of each line (0 most urgent .. 7), and of the handler
 * running now (IDLE_LEVEL when none). Only more urgent lines may nest. */
static uint8_t line_prio[PICA_BOARD_IRQS];
static volatile unsigned run_level = IDLE_LEVEL;

/* Lines handed to the kernel: the PLIC's, but no more than its table. PLIC
 * source 0 does not exist: a claim reads 0 when nothing is pending, so no
 * handler on line 0 could ever run, and the kernel refuses it. */
#define FIRST_LINE ARCH_IRQ_FIRST_LINE
#define LINES (PICA_BOARD_IRQS < PICA_CFG_IRQ_MAX ? PICA_BOARD_IRQS : PICA_CFG_IRQ_MAX)

static bool
line_ok(unsigned irq)
{
    return irq >= FIRST_LINE && irq < LINES;
}

unsigned
arch_irq_first_line(void)
{
    return ARCH_IRQ_FIRST_LINE;
}

unsigned
arch_irq_lines(void)
{
    return LINES;
}

void
arch_irq_enable(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    line_enabled[irq / 32u] |= 1u << (irq % 32u);
    PLIC_ENABLE(irq / 32u) |= 1u << (irq % 32u);
    if (soft_pending[irq / 32u] & (1u << (irq % 32u))) {
        CLINT_MSIP = 1; /* pended while disabled: deliver now */
    }
}

void
arch_irq_disable(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    line_enabled[irq / 32u] &= ~(1u << (irq % 32u));
    PLIC_ENABLE(irq / 32u) &= ~(1u << (irq % 32u));
}

/* The PLIC's 7 is the most urgent and 0 means "never": logical p maps to
 * 7 - p, so logical 7 shares hardware level 1 with logical 6. */
static unsigned
plic_level(unsigned prio)
{
    return prio >= 7u ? 1u : 7u - prio;
}

void
arch_irq_set_prio(unsigned irq, unsigned prio)
{
    if (line_ok(irq)) {
        line_prio[irq] = (uint8_t)(prio > 7u ? 7u : prio);
        PLIC_PRIO(irq) = plic_level(prio);
    }
}

/* One trap entry serves every cause here: lines always go through
 * irq_dispatch, which runs a direct handler itself. */
bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
    (void)irq;
    (void)isr;
    return false;
}

void
plic_soft_trigger(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    __atomic_fetch_or(&soft_pending[irq / 32u], 1u << (irq % 32u), __ATOMIC_RELAXED);
    CLINT_MSIP = 1;
}

/* Count trailing zeros of @x (not 0) without a libgcc call: RV32IMAC has
 * no instruction for it. */
static inline unsigned
bit_index(uint32_t x)
{
    static const uint8_t debruijn[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
                                         15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                         16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
    return debruijn[((x & -x) * 0x077CB531u) >> 27];
}

/* Whether any line is pended by software: a few loads, so that the common
 * "nothing more" costs no search. */
static inline bool
soft_any(void)
{
    uint32_t any = 0;
    for (unsigned w = 0; w < SOFT_WORDS; w++) {
        any |= soft_pending[w];
    }
    return any != 0;
}

/* The most urgent software-pended, enabled line that may run at the current
 * level, or 0 if none. Mostly one line is pending: the words are read once
 * each, and the bit search runs only for set bits. */
static unsigned
soft_best(void)
{
    unsigned best = 0, best_prio = run_level;
    for (unsigned w = 0; w < SOFT_WORDS; w++) {
        uint32_t bits = soft_pending[w];
        if (bits == 0) {
            continue;
        }
        bits &= line_enabled[w];
        while (bits != 0) {
            unsigned irq = w * 32u + bit_index(bits);
            bits &= bits - 1;
            if (line_prio[irq] < best_prio) {
                best = irq;
                best_prio = line_prio[irq];
            }
        }
    }
    return best;
}

/* The PLIC threshold for each logical level: plic_level()'s, and 0 (let
 * every line in) for IDLE_LEVEL; a table, as every dispatch sets it twice. */
static const uint8_t level_threshold[IDLE_LEVEL + 1] = {7, 6, 5, 4, 3, 2, 1, 1, 0};

/* Run line @irq's handler with interrupts open to more urgent lines only:
 * the PLIC threshold and run_level filter hardware and software lines, and
 * the machine timer (the tick, least urgent like SysTick) stays masked; a
 * nested dispatch finds it masked already. */
static void
dispatch_nested(unsigned irq)
{
    unsigned outer = run_level;
    unsigned level = line_prio[irq];
    run_level = level;
    PLIC_THRESHOLD = level_threshold[level];
    if (outer == IDLE_LEVEL) {
        __asm volatile("csrc mie, %0" ::"r"(MIE_MTIE));
    }
    __asm volatile("csrsi mstatus, 8" ::: "memory");
    irq_dispatch(irq);
    __asm volatile("csrci mstatus, 8" ::: "memory");
    run_level = outer;
    PLIC_THRESHOLD = level_threshold[outer];
    if (outer == IDLE_LEVEL) {
        __asm volatile("csrs mie, %0" ::"r"(MIE_MTIE));
    }
}

void
plic_dispatch(void)
{
    uint32_t id;
    while ((id = PLIC_CLAIM) != 0) {
        if (line_ok(id)) {
            dispatch_nested(id);
        }
        PLIC_CLAIM = id;
    }
    /* Software lines these handlers held back run once they have returned. */
    if (soft_any() && soft_best() != 0) {
        CLINT_MSIP = 1;
    }
}

void
msip_dispatch(void)
{
    CLINT_MSIP = 0;
    /* Lines held back here (less urgent than a handler this trap
     * interrupted) run when that handler's own dispatch loop looks again. */
    unsigned irq;
    while (soft_any() && (irq = soft_best()) != 0) {
        __atomic_fetch_and(&soft_pending[irq / 32u], ~(1u << (irq % 32u)), __ATOMIC_RELAXED);
        dispatch_nested(irq);
    }
}

void
arch_init(void)
{
    for (unsigned irq = FIRST_LINE; irq < PICA_BOARD_IRQS; irq++) {
        arch_irq_set_prio(irq, PICA_CFG_IRQ_PRIO_DEFAULT);
    }
    PLIC_THRESHOLD = 0;
    __asm volatile("csrs mie, %0" ::"r"(MIE_MEIE | MIE_MSIE));
    __asm volatile("csrsi mstatus, 8" ::: "memory");
}
