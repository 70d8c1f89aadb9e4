/* SPDX-License-Identifier: MIT */
/* Interrupts: handlers installed at run time, enable/disable, software
 * trigger, nesting by priority, the kernel lock holding kernel-aware lines
 * back (on Cortex-M never zero-latency ones, on RV32 every line), counters
 * and refusals. */
#include <errno.h>
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/stats.h>
#include <pica/test.h>
#include <string.h>

#include "arch.h"

/* With PICA_CFG_IRQ_DIRECT, Cortex-M runs direct handlers as per-line
 * vectors and RISC-V from its dispatch without the kernel's table: neither
 * counts them. */
static const bool port_has_vectors = PICA_CFG_IRQ_DIRECT;

/* The lowest line each controller can deliver: PLIC source 0 means "no
 * interrupt", NVIC line 0 is a line like any other. */
#ifdef __riscv
static const unsigned first_line = 1;
#else
static const unsigned first_line = 0;
#endif

static unsigned line_low, line_high;
static void
record(void *arg)
{
    pica_test_trace((char)(uintptr_t)arg);
}

static void
low_handler(void *arg)
{
    (void)arg;
    pica_test_trace('<');
    /* A more urgent line fires inside this handler: it must nest. */
    pica_irq_trigger(line_high);
    pica_test_trace('>');
}

static void
setup_lines(void)
{
    line_high = arch_irq_lines() - 1;
    line_low = arch_irq_lines() - 2;
    pica_test_trace_reset();
}

PICA_TEST(attach_enable_trigger_and_count)
{
    setup_lines();
    uint32_t before = pica_irq_count(line_low);
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'a', 5), 0);
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'b', 5), -EBUSY);
    /* Disabled: a trigger stays pending and runs once the line is enabled. */
    pica_assert_eq(pica_irq_trigger(line_low), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    pica_assert_eq(pica_irq_enable(line_low), 0);
    pica_assert(strcmp(pica_test_trace_get(), "a") == 0);
    pica_assert_eq(pica_irq_trigger(line_low), 0);
    pica_assert(strcmp(pica_test_trace_get(), "aa") == 0);
    pica_assert_eq(pica_irq_count(line_low), before + 2);
    pica_assert_eq(pica_irq_disable(line_low), 0);
    pica_assert_eq(pica_irq_detach(line_low), 0);
    pica_assert_eq(pica_irq_enable(line_low), -EINVAL); /* no handler */
}

PICA_TEST(more_urgent_line_nests_inside_a_handler)
{
    setup_lines();
    pica_assert_eq(pica_irq_attach(line_low, low_handler, NULL, 6), 0);
    pica_assert_eq(pica_irq_attach(line_high, record, (void *)'H', 2), 0);
    pica_irq_enable(line_low);
    pica_irq_enable(line_high);
    pica_irq_trigger(line_low);
    pica_assert(strcmp(pica_test_trace_get(), "<H>") == 0);
    pica_irq_detach(line_low);
    pica_irq_detach(line_high);
}

PICA_TEST(less_urgent_line_waits_for_the_running_handler)
{
    setup_lines();
    /* Now the triggering handler is the urgent one. */
    pica_assert_eq(pica_irq_attach(line_low, low_handler, NULL, 2), 0);
    pica_assert_eq(pica_irq_attach(line_high, record, (void *)'L', 6), 0);
    pica_irq_enable(line_low);
    pica_irq_enable(line_high);
    pica_irq_trigger(line_low);
    pica_assert(strcmp(pica_test_trace_get(), "<>L") == 0);
    pica_irq_detach(line_low);
    pica_irq_detach(line_high);
}

PICA_TEST(kernel_lock_holds_kernel_aware_lines_back)
{
    setup_lines();
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'k', PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_irq_enable(line_low);
    unsigned key = pica_irq_lock();
    pica_irq_trigger(line_low);
    for (volatile int i = 0; i < 1000; i++) {
    }
    pica_test_trace('u');
    pica_irq_unlock(key);
    pica_assert(strcmp(pica_test_trace_get(), "uk") == 0);
    pica_irq_detach(line_low);
}

#if defined(__arm__)
PICA_TEST(zero_latency_line_runs_even_under_the_kernel_lock)
{
    setup_lines();
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'z', PICA_CFG_IRQ_PRIO_ZERO_LATENCY),
                   0);
    pica_irq_enable(line_low);
    unsigned key = pica_irq_lock();
    pica_irq_trigger(line_low);
    for (volatile int i = 0; i < 1000; i++) {
    }
    pica_test_trace('u');
    pica_irq_unlock(key);
    pica_assert(strcmp(pica_test_trace_get(), "zu") == 0);
    pica_irq_detach(line_low);
}
#else
/* RV32 has no zero-latency lines (config.h): the critical section masks
 * every interrupt, and the most urgent priority only nests. */
PICA_TEST(most_urgent_line_waits_for_the_kernel_lock_and_nests)
{
    setup_lines();
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'z', PICA_CFG_IRQ_PRIO_ZERO_LATENCY),
                   0);
    pica_irq_enable(line_low);
    unsigned key = pica_irq_lock();
    pica_irq_trigger(line_low);
    for (volatile int i = 0; i < 1000; i++) {
    }
    pica_test_trace('u');
    pica_irq_unlock(key);
    pica_assert(strcmp(pica_test_trace_get(), "uz") == 0);
    pica_irq_detach(line_low);
    /* Inside a kernel-aware handler it nests. */
    pica_test_trace_reset();
    pica_assert_eq(pica_irq_attach(line_low, low_handler, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(
        pica_irq_attach(line_high, record, (void *)'H', PICA_CFG_IRQ_PRIO_ZERO_LATENCY), 0);
    pica_irq_enable(line_low);
    pica_irq_enable(line_high);
    pica_irq_trigger(line_low);
    pica_assert(strcmp(pica_test_trace_get(), "<H>") == 0);
    pica_irq_detach(line_low);
    pica_irq_detach(line_high);
}
#endif

static struct pica_sem direct_sem;

static void
direct_isr(void)
{
    pica_test_trace('d');
    pica_assert_eq(pica_sem_give(&direct_sem), 0);
}

static void
direct_waiter(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_sem_take(&direct_sem, PICA_FOREVER), 0);
    pica_test_trace('w');
}

PICA_TEST(direct_handler_is_the_vector_wakes_a_thread_and_detaches)
{
    setup_lines();
    pica_assert_eq(pica_sem_init(&direct_sem, 0, 1), 0);
    pica_assert_eq(pica_irq_attach_direct(line_low, direct_isr, 5), 0);
    pica_assert_eq(pica_irq_attach_direct(line_low, direct_isr, 5), -EBUSY);
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'x', 5), -EBUSY);
    pica_assert_eq(pica_irq_enable(line_low), 0);
    /* A more urgent thread waits; the handler's give wakes it and it runs
     * as the interrupt returns, before this thread goes on. */
    pica_assert_eq(pica_test_spawn(0, direct_waiter, NULL, pica_thread_self()->prio - 1u), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    uint32_t before = pica_irq_count(line_low);
    pica_assert_eq(pica_irq_trigger(line_low), 0);
    pica_assert(strcmp(pica_test_trace_get(), "dw") == 0);
    pica_test_join_workers(1);
    /* Where the handler is the CPU's own vector, nothing counted it. */
    bool vectored = port_has_vectors;
    pica_assert_eq(pica_irq_count(line_low), before + (vectored ? 0u : 1u));
    /* Detached, the line is back on the common entry: a plain handler runs. */
    pica_assert_eq(pica_irq_detach(line_low), 0);
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'a', 5), 0);
    pica_assert_eq(pica_irq_enable(line_low), 0);
    pica_assert_eq(pica_irq_trigger(line_low), 0);
    pica_assert(strcmp(pica_test_trace_get(), "dwa") == 0);
    pica_assert_eq(pica_irq_count(line_low), before + (vectored ? 1u : 2u));
    pica_assert_eq(pica_irq_detach(line_low), 0);
    pica_assert_eq(pica_irq_attach_direct(line_low, NULL, 5), -EINVAL);
    pica_assert_eq(pica_irq_attach_direct(arch_irq_lines(), direct_isr, 5), -EINVAL);
}

static volatile int isr_attach = 1, isr_attach_direct = 1, isr_detach = 1;

static void
attaching_handler(void *arg)
{
    (void)arg;
    isr_attach = pica_irq_attach(line_low, record, (void *)'x', 5);
    isr_attach_direct = pica_irq_attach_direct(line_low, direct_isr, 5);
    isr_detach = pica_irq_detach(line_high); /* its own line */
}

PICA_TEST(attach_and_detach_in_a_handler_are_refused)
{
    setup_lines();
    pica_assert_eq(pica_irq_attach(line_high, attaching_handler, NULL, 5), 0);
    pica_assert_eq(pica_irq_enable(line_high), 0);
    pica_test_fire_irq(line_high);
    pica_assert_eq(isr_attach, -EINVAL);
    pica_assert_eq(isr_attach_direct, -EINVAL);
    pica_assert_eq(isr_detach, -EINVAL);
    /* Nothing changed: the other line is free, this one still taken. */
    pica_assert_eq(pica_irq_attach(line_low, record, (void *)'y', 5), 0);
    pica_assert_eq(pica_irq_detach(line_low), 0);
    pica_assert_eq(pica_irq_attach(line_high, record, NULL, 5), -EBUSY);
    pica_assert_eq(pica_irq_detach(line_high), 0);
}

PICA_TEST(bad_lines_and_handlers_are_refused)
{
    pica_assert_eq(pica_irq_attach(arch_irq_lines(), record, NULL, 4), -EINVAL);
    pica_assert_eq(pica_irq_attach(3, NULL, NULL, 4), -EINVAL);
    pica_assert_eq(pica_irq_attach(3, record, NULL, 8), -EINVAL);
    pica_assert_eq(pica_irq_trigger(100000), -EINVAL);
    pica_assert_eq(pica_irq_count(100000), 0);
}

/* Every call refuses @irq, and nothing counts on it. */
static void
assert_line_refused(unsigned irq)
{
    pica_assert_eq(pica_irq_attach(irq, record, (void *)'0', 5), -EINVAL);
    pica_assert_eq(pica_irq_attach_direct(irq, direct_isr, 5), -EINVAL);
    pica_assert_eq(pica_irq_enable(irq), -EINVAL);
    pica_assert_eq(pica_irq_disable(irq), -EINVAL);
    pica_assert_eq(pica_irq_trigger(irq), -EINVAL);
    pica_assert_eq(pica_irq_detach(irq), -EINVAL);
    pica_assert_eq(pica_irq_count(irq), 0);
}

PICA_TEST(lines_the_port_cannot_deliver_are_refused_by_every_call)
{
    if (first_line > 0) {
        assert_line_refused(first_line - 1u);
    }
    assert_line_refused(arch_irq_lines());
    assert_line_refused(100000);
    /* The first line that exists works end to end. */
    if (first_line != board_info()->console_irq) {
        pica_test_trace_reset();
        pica_assert_eq(pica_irq_attach(first_line, record, (void *)'f', 5), 0);
        pica_assert_eq(pica_irq_enable(first_line), 0);
        pica_assert_eq(pica_irq_trigger(first_line), 0);
        pica_assert(strcmp(pica_test_trace_get(), "f") == 0);
        pica_assert_eq(pica_irq_detach(first_line), 0);
    }
}

PICA_TEST(system_stats_add_up)
{
    struct pica_sys_stats st;
    pica_assert_eq(pica_sys_stats(&st), 0);
    /* Switches are counted only with PICA_CFG_THREAD_STATS. */
    pica_assert(PICA_CFG_THREAD_STATS ? st.context_switches > 0 : st.context_switches == 0);
    pica_assert_gt(st.interrupts, 0);
    pica_assert_ge(st.threads, 2); /* idle and main at least */
    pica_assert_eq(st.heap.free_bytes + st.heap.used_bytes, st.heap.total_bytes);
    pica_assert_eq(pica_sys_stats(NULL), -EINVAL);
}

int
main(void)
{
    pica_test_run();
}
