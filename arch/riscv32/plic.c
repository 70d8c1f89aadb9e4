/* SPDX-License-Identifier: MIT */
/* Interrupt lines on RV32: PLIC sources for devices, plus software-pended
 * lines delivered through the CLINT machine software interrupt (MSIP), so
 * that arch_irq_trigger() (plic_soft_trigger) works for any line, as NVIC
 * STIR does on Cortex-M. Lines nest by logical priority (0 most urgent ..
 * 7) as on the NVIC. PLIC register map: RISC-V PLIC specification;
 * context 0 = hart 0, M-mode. */
#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>

#include "arch.h"
#include "riscv.h"

#define PLIC_PRIO(id)   RV_REG(PICA_PLIC_BASE + 4u * (id))
#define PLIC_ENABLE(w)  RV_REG(PICA_PLIC_BASE + 0x2000u + 4u * (w))
#define PLIC_THRESHOLD  RV_REG(PICA_PLIC_BASE + 0x200000u)
#define PLIC_CLAIM      RV_REG(PICA_PLIC_BASE + 0x200004u)

/* Lines handed to the kernel: the PLIC's, but no more than its table. PLIC
 * source 0 does not exist: a claim reads 0 when nothing is pending, so no
 * handler on line 0 could ever run, and the kernel refuses it; here 0 also
 * ends a list of lines. */
#define FIRST_LINE ARCH_IRQ_FIRST_LINE
#define LINES      (PICA_BOARD_IRQS < PICA_CFG_IRQ_MAX ? PICA_BOARD_IRQS : PICA_CFG_IRQ_MAX)
#define WORDS      ((LINES + 31) / 32)
#define LEVELS     8u
#define IDLE_LEVEL LEVELS /* no handler running */
_Static_assert(LINES <= 256, "line numbers are kept in bytes");

static uint32_t line_enabled[WORDS];
static uint8_t line_prio[LINES];
/* Direct handlers (pica_irq_attach_direct) are called from the dispatch
 * below with nothing between: no table walk, no count, as a Cortex-M
 * vector. PICA_CFG_IRQ_DIRECT=0 leaves the table out, as it leaves out
 * Cortex-M's vector table in RAM: irq_dispatch() runs them then. */
#if PICA_CFG_IRQ_DIRECT
static void (*line_isr[LINES])(void);
#define LINE_ISR(irq) line_isr[irq]
#else
#define LINE_ISR(irq) ((void (*)(void))NULL)
#endif

/* Lines pended by software wait in one list per level, oldest first, so
 * delivery takes the most urgent one without a search; soft_levels has a
 * bit for each level whose list is not empty. A line is pended once
 * (soft_pended) however often it is triggered before it runs, and one
 * pended while disabled is parked off the lists until it is enabled. Every
 * change happens with interrupts masked: one hart, nothing more needed. */
static uint8_t soft_head[LEVELS], soft_tail[LEVELS];
static uint8_t soft_next[LINES];
static uint32_t soft_levels;
static uint32_t soft_pended[WORDS];
static uint32_t soft_parked[WORDS];

/* The levels that may interrupt the handler running now: those more urgent
 * than its own (all of them when none runs). Only more urgent lines nest. */
#define LEVELS_BELOW(level) ((1u << (level)) - 1u)
static uint32_t run_mask = LEVELS_BELOW(IDLE_LEVEL);

/* Nesting is filtered lazily: a handler runs with interrupts open and
 * nothing else changed, and the first less urgent interrupt to arrive
 * closes the door behind it. The tick is masked and marked in held; a PLIC
 * line is claimed, kept (not completed, so its gateway stays shut) as a
 * software-pended line, and the PLIC threshold raised. The handler's
 * return undoes both, and the kept line runs like any pended one. A
 * handler that nothing interrupts pays for none of it. */
#define HELD_TIMER     1u
#define HELD_THRESHOLD 2u
static uint32_t held;
static uint32_t plic_kept[WORDS];

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

/* Append pended line @irq to its level's list. */
static inline void
soft_append(unsigned irq)
{
    unsigned level = line_prio[irq];
    soft_next[irq] = 0;
    if (soft_head[level] == 0) {
        soft_head[level] = (uint8_t)irq;
        soft_levels |= 1u << level;
    } else {
        soft_next[soft_tail[level]] = (uint8_t)irq;
    }
    soft_tail[level] = (uint8_t)irq;
}

/* Take pended line @irq out of its level's list (a walk: only enable,
 * disable and priority changes do this). Returns whether it was there. */
static bool
soft_remove(unsigned irq)
{
    unsigned level = line_prio[irq];
    unsigned prev = 0;
    for (unsigned at = soft_head[level]; at != 0; prev = at, at = soft_next[at]) {
        if (at != irq) {
            continue;
        }
        if (prev == 0) {
            soft_head[level] = soft_next[at];
        } else {
            soft_next[prev] = soft_next[at];
        }
        if (soft_tail[level] == at) {
            soft_tail[level] = (uint8_t)prev;
        }
        if (soft_head[level] == 0) {
            soft_levels &= ~(1u << level);
        }
        return true;
    }
    return false;
}

/* Pend line @irq (word @w, bit @bit): on its list if enabled, parked if
 * not; nothing if it is pended already. Interrupts masked. */
static inline void
soft_pend(unsigned irq, unsigned w, uint32_t bit)
{
    if (soft_pended[w] & bit) {
        return;
    }
    soft_pended[w] |= bit;
    if (line_enabled[w] & bit) {
        soft_append(irq);
    } else {
        soft_parked[w] |= bit;
    }
}

void
arch_irq_enable(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    unsigned w = irq / 32u;
    uint32_t bit = 1u << (irq % 32u);
    unsigned key = arch_irq_lock();
    line_enabled[w] |= bit;
    PLIC_ENABLE(w) |= bit;
    if (soft_parked[w] & bit) { /* pended while disabled: deliver now */
        soft_parked[w] &= ~bit;
        soft_append(irq);
        CLINT_MSIP = 1;
    }
    arch_irq_unlock(key);
}

void
arch_irq_disable(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    unsigned w = irq / 32u;
    uint32_t bit = 1u << (irq % 32u);
    unsigned key = arch_irq_lock();
    line_enabled[w] &= ~bit;
    PLIC_ENABLE(w) &= ~bit;
    if (soft_remove(irq)) {
        soft_parked[w] |= bit; /* still pended: it runs once enabled again */
    }
    arch_irq_unlock(key);
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
    if (!line_ok(irq)) {
        return;
    }
    unsigned key = arch_irq_lock();
    bool listed = soft_remove(irq);
    line_prio[irq] = (uint8_t)(prio > 7u ? 7u : prio);
    PLIC_PRIO(irq) = plic_level(prio);
    if (listed) {
        soft_append(irq);
    }
    arch_irq_unlock(key);
}

bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
#if PICA_CFG_IRQ_DIRECT
    if (!line_ok(irq)) {
        return false;
    }
    line_isr[irq] = isr; /* the kernel installs with interrupts masked */
    return true;
#else
    (void)irq;
    (void)isr;
    return false;
#endif
}

void
arch_irq_clear_pending(unsigned irq)
{
    /* A PLIC source's pend is taken by a claim, which only a delivery
     * makes; the boards' level devices are not handed to user drivers. */
    (void)irq;
}

void
plic_soft_trigger(unsigned irq)
{
    if (!line_ok(irq)) {
        return;
    }
    unsigned key;
    __asm volatile("csrrci %0, mstatus, 8" : "=r"(key)::"memory");
    soft_pend(irq, irq / 32u, 1u << (irq % 32u));
    CLINT_MSIP = 1;
    /* Taken here, if interrupts were on: the trap does any switch. */
    __asm volatile("csrs mstatus, %0" ::"r"(key) : "memory");
}

/* The PLIC threshold for each logical level: plic_level()'s, and 0 (let
 * every line in) for IDLE_LEVEL. */
static const uint8_t level_threshold[IDLE_LEVEL + 1] = {7, 6, 5, 4, 3, 2, 1, 1, 0};

/* The PLIC threshold that lets in only the levels in @mask (a run_mask). */
static unsigned
mask_threshold(uint32_t mask)
{
    unsigned level = 0;
    while (mask & (1u << level)) {
        level++;
    }
    return level_threshold[level];
}

/* Put back what less urgent interrupts closed while a handler ran, as far
 * as the level returned to, with @outer as its run_mask, allows. */
static __attribute__((noinline)) void
held_release(uint32_t outer)
{
    if (held & HELD_THRESHOLD) {
        PLIC_THRESHOLD = mask_threshold(outer);
    }
    if (outer == LEVELS_BELOW(IDLE_LEVEL)) {
        if (held & HELD_TIMER) {
            __asm volatile("csrs mie, %0" ::"r"(MIE_MTIE));
        }
        held = 0;
    }
}

/* Run line @irq's handler at logical @level with interrupts open (only
 * more urgent lines get further: see held). Software lines held back while
 * it ran get their turn after it: MSIP is raised again, and the trap that
 * returns here finds them. */
static void
dispatch_nested(unsigned irq, unsigned level)
{
    uint32_t outer_mask = run_mask;
    void (*isr)(void) = LINE_ISR(irq);
    run_mask = LEVELS_BELOW(level);
    __asm volatile("csrsi mstatus, 8" ::: "memory");
    if (isr != NULL) {
        isr();
    } else {
        irq_dispatch(irq);
    }
    __asm volatile("csrci mstatus, 8" ::: "memory");
    run_mask = outer_mask;
    if (__builtin_expect(held != 0, 0)) {
        held_release(outer_mask);
    }
    if (soft_levels & outer_mask) {
        CLINT_MSIP = 1;
    }
}

/* The machine timer: the tick, least urgent like SysTick, waits for every
 * line handler to return. */
void
timer_dispatch(void)
{
    if (__builtin_expect(run_mask != LEVELS_BELOW(IDLE_LEVEL), 0)) {
        __asm volatile("csrc mie, %0" ::"r"(MIE_MTIE));
        held |= HELD_TIMER;
        return;
    }
    arch_timer_isr();
}

void
plic_dispatch(void)
{
    uint32_t id;
    while ((id = PLIC_CLAIM) != 0) {
        if (!line_ok(id)) {
            PLIC_CLAIM = id;
            continue;
        }
        unsigned level = line_prio[id];
        if ((run_mask & (1u << level)) == 0) {
            /* No more urgent than the handler it interrupted: keep it. */
            PLIC_THRESHOLD = mask_threshold(run_mask);
            held |= HELD_THRESHOLD;
            plic_kept[id / 32u] |= 1u << (id % 32u);
            soft_pend(id, id / 32u, 1u << (id % 32u));
            continue;
        }
        dispatch_nested(id, level);
        PLIC_CLAIM = id;
    }
}

/* A kept PLIC line's run: completed after its handler. */
static __attribute__((noinline)) void
kept_run(unsigned irq, unsigned level)
{
    plic_kept[irq / 32u] &= ~(1u << (irq % 32u));
    dispatch_nested(irq, level);
    PLIC_CLAIM = irq;
}

/* One line per trap, the oldest of the most urgent level that may run:
 * dispatch_nested() raises MSIP again when more wait. */
void
msip_dispatch(void)
{
    CLINT_MSIP = 0;
    uint32_t levels = soft_levels & run_mask;
    if (levels == 0) {
        return;
    }
    unsigned level = bit_index(levels);
    unsigned irq = soft_head[level];
    unsigned next = soft_next[irq];
    soft_head[level] = (uint8_t)next;
    if (next == 0) {
        soft_levels &= ~(1u << level);
    }
    unsigned w = irq / 32u;
    uint32_t bit = 1u << (irq % 32u);
    soft_pended[w] &= ~bit;
    if (__builtin_expect((plic_kept[w] & bit) != 0, 0)) {
        kept_run(irq, level);
        return;
    }
    dispatch_nested(irq, level);
}

void
arch_init(void)
{
    for (unsigned irq = FIRST_LINE; irq < LINES; irq++) {
        arch_irq_set_prio(irq, PICA_CFG_IRQ_PRIO_DEFAULT);
    }
    PLIC_THRESHOLD = 0;
    __asm volatile("csrs mie, %0" ::"r"(MIE_MEIE | MIE_MSIE));
    __asm volatile("csrsi mstatus, 8" ::: "memory");
}
