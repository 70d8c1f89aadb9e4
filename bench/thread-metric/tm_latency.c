/* SPDX-License-Identifier: MIT */
/* Context-switch and interrupt-latency figures in guest instructions, for
 * tools/pica-bench. The counter comes from counter/<kind>/tm_counter.h (one
 * per board; 1 or 40 instructions per count under QEMU -icount shift=0).
 *   yield_switch       two equal-priority threads yield to each other: one
 *                      yield, averaged over a window of many
 *   irq_preempt_round  a thread pends an interrupt whose handler gives a
 *                      semaphore a more urgent thread waits on; that thread
 *                      runs and waits again: one round, averaged likewise
 *   irq_to_handler     pica_irq_trigger() called -> handler's first statement
 *   irq_to_thread      pica_irq_trigger() called -> first statement after the
 *                      woken thread's pica_sem_take() returns
 *   direct_*           the last three again with the handlers attached by
 *                      pica_irq_attach_direct() (the line's own vector where
 *                      the CPU has them; elsewhere the same path as above)
 * The latencies are timestamps averaged over many events, less the cost
 * of a counter read; a dither loop between events spreads the phase of a
 * coarse counter so that its average converges. */
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/thread.h>
#include <stdio.h>

#include "arch.h"
#include "tm_counter.h"

#define LAT_EVENTS 4000
#define LAT_WINDOW 20000
#define LAT_PRIO_URGENT 5
#define LAT_PRIO_WORK 10

static unsigned lat_line;
static struct pica_sem lat_wake;
static struct pica_thread lat_a, lat_b, lat_urgent;
PICA_THREAD_STACK_DEFINE(lat_a_stack, 1024);
PICA_THREAD_STACK_DEFINE(lat_b_stack, 1024);
PICA_THREAD_STACK_DEFINE(lat_urgent_stack, 1024);

static volatile uint32_t lat_stamp;
static volatile bool lat_stop;
static uint64_t lat_window_counts;

static void
lat_print(const char *what, uint64_t counts, uint32_t events, uint64_t minus_centi)
{
    uint64_t centi = counts * TM_COUNT_INSNS * 100u / events;
    centi = centi > minus_centi ? centi - minus_centi : 0;
    printf("LAT %s %lu.%02lu\n", what, (unsigned long)(centi / 100u),
           (unsigned long)(centi % 100u));
}

/* A loop whose length varies from event to event, so that a coarse counter
 * is read at every phase of its period. */
static void
lat_dither(unsigned i)
{
    for (unsigned n = i % 13u; n > 0; n--) {
        __asm volatile("" ::: "memory");
    }
}

static uint64_t
lat_read_cost_centi(void)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < LAT_EVENTS; i++) {
        lat_dither(i);
        uint32_t a = tm_count();
        uint32_t b = tm_count();
        sum += b - a;
    }
    lat_print("read_overhead", sum, LAT_EVENTS, 0);
    return sum * TM_COUNT_INSNS * 100u / LAT_EVENTS;
}

static void
lat_yield_a(void *arg)
{
    (void)arg;
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < LAT_WINDOW; i++) {
        pica_yield();
    }
    lat_window_counts = tm_count() - t0;
    lat_stop = true;
}

static void
lat_yield_b(void *arg)
{
    (void)arg;
    while (!lat_stop) {
        pica_yield();
    }
}

/* Each of lat_a's iterations is two yields: a -> b and b -> a. */
static void
lat_yield_switch(void)
{
    pica_thread_create(&lat_a, "lat_a", lat_yield_a, NULL, lat_a_stack, sizeof(lat_a_stack),
                       LAT_PRIO_WORK, PICA_START_SUSPENDED);
    pica_thread_create(&lat_b, "lat_b", lat_yield_b, NULL, lat_b_stack, sizeof(lat_b_stack),
                       LAT_PRIO_WORK, PICA_START_SUSPENDED);
    pica_thread_resume(&lat_a);
    pica_thread_resume(&lat_b);
    pica_thread_join(&lat_a, PICA_FOREVER);
    pica_thread_join(&lat_b, PICA_FOREVER);
    lat_print("yield_switch", lat_window_counts, 2u * LAT_WINDOW, 0);
}

static void
lat_isr_stamp(void *arg)
{
    (void)arg;
    lat_stamp = tm_count();
}

static void
lat_isr_wake(void *arg)
{
    (void)arg;
    pica_sem_give(&lat_wake);
}

/* The same two as the line's own vectors (pica_irq_attach_direct). */
static void
lat_direct_stamp(void)
{
    lat_stamp = tm_count();
}

static void
lat_direct_wake(void)
{
    pica_sem_give(&lat_wake);
}

static void
lat_urgent_entry(void *arg)
{
    (void)arg;
    for (;;) {
        pica_sem_take(&lat_wake, PICA_FOREVER);
        lat_stamp = tm_count();
    }
}

static void
lat_attach(pica_irq_handler_t isr)
{
    pica_irq_detach(lat_line);
    if (pica_irq_attach(lat_line, isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT) != 0 ||
        pica_irq_enable(lat_line) != 0) {
        PICA_PANIC("lat: interrupt line %u", lat_line);
    }
}

static void
lat_attach_direct(void (*isr)(void))
{
    pica_irq_detach(lat_line);
    if (pica_irq_attach_direct(lat_line, isr, PICA_CFG_IRQ_PRIO_DEFAULT) != 0 ||
        pica_irq_enable(lat_line) != 0) {
        PICA_PANIC("lat: interrupt line %u", lat_line);
    }
}

static void
lat_trigger(void)
{
    pica_irq_trigger(lat_line);
    arch_barrier(); /* on hardware the interrupt is taken here */
}

/* Timestamp before the trigger call, timestamp in the handler or woken
 * thread; the sum of differences over many events. */
static uint64_t
lat_events(void)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < LAT_EVENTS; i++) {
        lat_dither(i);
        uint32_t t0 = tm_count();
        lat_trigger();
        sum += lat_stamp - t0;
    }
    return sum;
}

static void
lat_irq_figures(uint64_t read_centi)
{
    lat_attach(lat_isr_stamp);
    lat_print("irq_to_handler", lat_events(), LAT_EVENTS, read_centi);

    pica_sem_init(&lat_wake, 0, 1);
    pica_thread_create(&lat_urgent, "lat_urgent", lat_urgent_entry, NULL, lat_urgent_stack,
                       sizeof(lat_urgent_stack), LAT_PRIO_URGENT, 0);
    lat_attach(lat_isr_wake);
    lat_print("irq_to_thread", lat_events(), LAT_EVENTS, read_centi);

    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < LAT_WINDOW; i++) {
        lat_trigger();
    }
    lat_print("irq_preempt_round", tm_count() - t0, LAT_WINDOW, 0);

    /* Again with the handlers as the line's own vectors. */
    lat_attach_direct(lat_direct_stamp); /* lat_urgent waits on, nothing gives */
    lat_print("direct_irq_to_handler", lat_events(), LAT_EVENTS, read_centi);
    lat_attach_direct(lat_direct_wake);
    lat_print("direct_irq_to_thread", lat_events(), LAT_EVENTS, read_centi);
    t0 = tm_count();
    for (unsigned i = 0; i < LAT_WINDOW; i++) {
        lat_trigger();
    }
    lat_print("direct_irq_preempt_round", tm_count() - t0, LAT_WINDOW, 0);
}

int
main(void)
{
    /* Under QEMU icount a WFI idle loses timer interrupts on Arm. */
    pica_idle_set_busy(true);
    tm_counter_init();
    lat_line = arch_irq_lines() - 1u;
    printf("LAT counter %s, %u instructions per count\n", TM_COUNTER_NAME, TM_COUNT_INSNS);
    pica_thread_set_prio(pica_thread_self(), LAT_PRIO_WORK);
    uint64_t read_centi = lat_read_cost_centi();
    lat_yield_switch();
    lat_irq_figures(read_centi);
    printf("LAT done\n");
    pica_exit(PICA_EXIT_OK);
}
