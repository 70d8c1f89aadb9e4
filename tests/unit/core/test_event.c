/* SPDX-License-Identifier: MIT */
/* Event flags on the fake port: any/all waits, clearing, timeouts on their
 * tick, and one set from an interrupt waking several waiters in priority
 * order, the clears applied only after all were judged. */
#include <errno.h>
#include <pica/event.h>
#include <pica/time.h>

#include "core_test.h"

static struct pica_event event;

struct wait {
    const char *name;
    uint32_t bits;
    unsigned options;
    pica_timeout_t timeout;
};

static void
waiter_entry(void *arg)
{
    const struct wait *w = arg;
    int got = pica_event_wait(&event, w->bits, w->options, w->timeout);
    if (got > 0) {
        core_trace("%s:%#x@%llu", w->name, (unsigned)got, (unsigned long long)core_tick());
    } else {
        core_trace("%s:%s@%llu", w->name, core_err(got), (unsigned long long)core_tick());
    }
}

static void
set_isr(void *arg)
{
    assert_int_equal(pica_event_set(&event, (uint32_t)(uintptr_t)arg), 0);
}

static void
test_isr_set_wakes_every_satisfied_waiter_by_priority(void **state)
{
    (void)state;
    static const struct wait any = {"any", 0x3, PICA_EV_ANY | PICA_EV_CLEAR, PICA_FOREVER};
    static const struct wait all = {"all", 0x3, PICA_EV_ALL, PICA_FOREVER};
    static const struct wait also = {"also", 0x1, PICA_EV_CLEAR, PICA_FOREVER};
    static const struct wait slow = {"slow", 0x4, PICA_EV_ANY, PICA_TICKS(5)};
    core_boot();
    pica_event_init(&event);
    core_spawn("any", waiter_entry, (void *)&any, 12);
    core_spawn("all", waiter_entry, (void *)&all, 10);
    core_spawn("also", waiter_entry, (void *)&also, 11);
    core_spawn("slow", waiter_entry, (void *)&slow, 13);
    fake_irq_every(1500, 0, set_isr, (void *)0x1);
    fake_irq_every(2500, 0, set_isr, (void *)0x2);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* 0x1 at tick 1 satisfies also and any, both clearing: both get it,
     * in priority order, and only then is it cleared. So all, wanting 0x3,
     * never sees both bits at once; slow gives up at tick 5. */
    assert_string_equal(core_traced(), "also:0x1@1 any:0x1@1 slow:ETIMEDOUT@5");
    assert_int_equal(pica_event_get(&event), 0x2);
}

static void
test_all_wait_sees_bits_set_in_separate_calls(void **state)
{
    (void)state;
    static const struct wait all = {"all", 0x5, PICA_EV_ALL | PICA_EV_CLEAR, PICA_TICKS(10)};
    core_boot();
    pica_event_init(&event);
    core_spawn("all", waiter_entry, (void *)&all, 10);
    fake_irq_every(1500, 0, set_isr, (void *)0x1);
    fake_irq_every(2500, 0, set_isr, (void *)0x6);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "all:0x5@2");
    assert_int_equal(pica_event_get(&event), 0x2); /* only what it asked for is cleared */
}

static const struct core_test tests[] = {
    CORE_TEST(test_isr_set_wakes_every_satisfied_waiter_by_priority),
    CORE_TEST(test_all_wait_sees_bits_set_in_separate_calls),
};

CORE_TEST_MAIN(tests)
