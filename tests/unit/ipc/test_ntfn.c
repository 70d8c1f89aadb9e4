/* SPDX-License-Identifier: MIT */
/* Notifications on the fake port (kernel/notify.c): signals OR bits in and
 * a wait takes the word; a thousand signals from an interrupt handler,
 * none lost; timeouts and destroy; binding to an endpoint, whose receive
 * then also ends with the bits; interrupt lines bound to a notification
 * (masked at each interrupt until acknowledged), over the stand-in lines
 * of fake_lines.c. */
#include <errno.h>
#include <string.h>

#include "fake_lines.h"
#include "ipc_test.h"

static struct pica_ntfn ntfn, ntfn2;

static void
ntfn_boot(void)
{
    test_boot();
    assert_int_equal(pica_ntfn_init(&ntfn), 0);
    assert_int_equal(pica_ntfn_init(&ntfn2), 0);
}

/* A thread that waits on @arg (a notification) with the timeout in
 * wait_timeout and traces "<name>=<word or error>". */
static pica_timeout_t wait_timeout = PICA_FOREVER;

static void
waiter_entry(void *arg)
{
    int32_t got = pica_ntfn_wait(arg, wait_timeout);
    core_trace("%s=%s@%u", pica_thread_self()->name, ipc_err(got), (unsigned)core_tick());
}

/* ---- signal, wait, poll ----------------------------------------------------- */

static void
test_signals_or_bits_and_wait_takes_the_word(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x1), 0);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x4), 0);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x1), 0);
    assert_int_equal(ntfn.word, 0x5);
    /* Bit 31 is dropped: a word is always positive. */
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x80000000u), 0);
    assert_int_equal(ntfn.word, 0x5);
    assert_int_equal(pica_ntfn_poll(&ntfn2), 0);
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x80000002u), 0);
    assert_int_equal(pica_ntfn_poll(&ntfn2), 0x2);
    assert_int_equal(pica_ntfn_poll(&ntfn2), 0);
    assert_int_equal(ntfn.signals, 4);
    core_spawn("w", waiter_entry, &ntfn, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "w=0x5@0");
    assert_int_equal(ntfn.word, 0);
    assert_int_equal(pica_ntfn_wait(&ntfn, PICA_NO_WAIT), -EAGAIN);
}

/* A waiter is handed the word as it wakes: a signal after that starts a
 * new word, even before the waiter runs. */
static void
signaller_entry(void *arg)
{
    (void)arg;
    sleep_to(1);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x10), 0); /* wakes the urgent waiter */
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x10), 0); /* wakes the lazy one */
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x2), 0);
    core_trace("signalled");
    core_trace("poll=%s", ipc_err(pica_ntfn_poll(&ntfn2)));
}

static void
test_signal_wakes_a_waiter_with_the_word(void **state)
{
    (void)state;
    ntfn_boot();
    core_spawn("urgent", waiter_entry, &ntfn, 5);
    core_spawn("lazy", waiter_entry, &ntfn2, 15);
    core_spawn("sig", signaller_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "urgent=0x10@1 signalled poll=0x2 lazy=0x10@1");
}

/* An interrupt every 100 cycles signals one bit, rotating through all 31,
 * a thousand times, while a busy thread runs; the waiter is more urgent,
 * so each signal is one wake-up with exactly its bit. */
#define SIGNALS 1000
static unsigned isr_count;
static int isr_source;

static uint32_t
bit_of(unsigned i)
{
    return 1u << (i % 31);
}

static void
signal_isr(void *arg)
{
    (void)arg;
    assert_int_equal(pica_ntfn_signal(&ntfn, bit_of(isr_count)), 0);
    if (++isr_count == SIGNALS) {
        fake_irq_cancel(isr_source);
    }
}

static void
busy_entry(void *arg)
{
    pica_tick_t until = (pica_tick_t)(uintptr_t)arg;
    work_until(until);
    core_trace("busy:done");
}

static void
every_signal_entry(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < SIGNALS; i++) {
        int32_t got = pica_ntfn_wait(&ntfn, PICA_FOREVER);
        assert_int_equal(got, bit_of(i));
        assert_int_equal(fake_now(), 100u * (i + 1)); /* at its interrupt */
    }
    core_trace("waiter:%u", SIGNALS);
}

static void
test_a_thousand_isr_signals_none_lost(void **state)
{
    (void)state;
    ntfn_boot();
    isr_source = fake_irq_every(100, 100, signal_isr, NULL);
    core_spawn("waiter", every_signal_entry, NULL, 3);
    core_spawn("busy", busy_entry, (void *)(uintptr_t)110, 20);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "waiter:1000 busy:done");
    assert_int_equal(isr_count, SIGNALS);
    assert_int_equal(ntfn.signals, SIGNALS);
    assert_int_equal(ntfn.word, 0);
}

/* The same signals while a more urgent thread keeps the waiter from
 * running: the first wakes it with bit 0, the other 999 gather in the
 * word, every bit of them. */
static void
late_waiter_entry(void *arg)
{
    (void)arg;
    core_trace("first=%s", ipc_err(pica_ntfn_wait(&ntfn, PICA_FOREVER)));
    core_trace("then=%s", ipc_err(pica_ntfn_wait(&ntfn, PICA_FOREVER)));
    core_trace("more=%s", ipc_err(pica_ntfn_wait(&ntfn, PICA_NO_WAIT)));
}

static void
test_isr_signals_while_waiter_cannot_run_gather_in_the_word(void **state)
{
    (void)state;
    ntfn_boot();
    isr_source = fake_irq_every(100, 100, signal_isr, NULL);
    core_spawn("waiter", late_waiter_entry, NULL, 10);
    assert_int_equal(fake_run(50), FAKE_LIMIT); /* it waits */
    core_spawn("busy", busy_entry, (void *)(uintptr_t)110, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "busy:done first=0x1 then=0x7fffffff more=EAGAIN");
    assert_int_equal(isr_count, SIGNALS);
}

static void
test_wait_times_out_and_destroy_wakes_waiters(void **state)
{
    (void)state;
    ntfn_boot();
    wait_timeout = PICA_TICKS(8);
    core_spawn("t", waiter_entry, &ntfn2, 4);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "t=ETIMEDOUT@8");
    assert_int_equal(fake_now(), 8 * CORE_CPT);
    /* It left: a signal now stays in the word. */
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x4), 0);
    assert_int_equal(ntfn2.word, 0x4);

    wait_timeout = PICA_FOREVER;
    core_spawn("w1", waiter_entry, &ntfn, 5);
    core_spawn("w2", waiter_entry, &ntfn, 6);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(pica_ntfn_destroy(&ntfn), 2);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "t=ETIMEDOUT@8 w1=EIDRM@8 w2=EIDRM@8");
    assert_int_equal(pica_ntfn_signal(&ntfn, 1), -EINVAL);
    assert_int_equal(pica_ntfn_wait(&ntfn, PICA_NO_WAIT), -EINVAL);
    assert_int_equal(pica_ntfn_poll(&ntfn), -EINVAL);
    assert_int_equal(pica_ntfn_destroy(&ntfn), -EINVAL);
}

/* ---- bound to an endpoint --------------------------------------------------- */

static struct pica_ep ep2;

static void
bound_sender_entry(void *arg)
{
    (void)arg;
    sleep_to(1);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x6), 0);
    core_trace("signalled");
    sleep_to(2);
    struct pica_msg m;
    msg_set(&m, 9, NULL, NULL, 0);
    assert_int_equal(pica_ep_send(&test_ep, &m, PICA_FOREVER), 0);
}

static void
bound_receiver_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r;
    pica_reply_init(&r);
    char buf[8];
    for (unsigned i = 0; i < 2; i++) {
        struct pica_msg m;
        msg_set(&m, 0xee, buf, NULL, sizeof(buf));
        int err = pica_ep_recv(&test_ep, &m, &r, PICA_FOREVER);
        trace_msg("r", "recv", err, &m);
        if (m.info & PICA_MSG_NOTIFY) {
            assert_int_equal(m.w[1] | m.w[2] | m.w[3], 0);
        }
    }
}

static void
test_bound_notification_ends_a_receive(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn), 0);
    assert_ptr_equal(ntfn.bound, &test_ep);
    core_spawn("r", bound_receiver_entry, NULL, 5);
    core_spawn("s", bound_sender_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "r:recv=0 r:w6:-:N:b0 signalled r:recv=0 r:w9:-:K:b0");
    assert_int_equal(ntfn.word, 0);
}

/* Bits there before the receive: it returns at once. Bits there before
 * the binding, with a receiver waiting: the binding wakes it. A thread
 * waiting on the notification itself comes before the endpoint. */
static void
early_bits_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r;
    pica_reply_init(&r);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    int err = pica_ep_recv(&test_ep, &m, &r, PICA_FOREVER);
    trace_msg("early", "recv", err, &m);
    assert_int_equal(fake_now(), 0);
    core_trace("again=%s", ipc_err(pica_ep_recv(&test_ep, &m, &r, PICA_NO_WAIT)));
    err = pica_ep_recv(&ep2, &m, &r, PICA_FOREVER);
    trace_msg("bind", "recv", err, &m);
    err = pica_ep_recv(&ep2, &m, &r, PICA_FOREVER);
    trace_msg("last", "recv", err, &m);
}

static void
test_bits_before_a_receive_or_a_binding_come_at_once(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_ep_init(&ep2), 0);
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn), 0);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x3), 0);
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x5), 0);
    core_spawn("rx", early_bits_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* rx waits on ep2, which has no binding yet: ntfn2's bits wait. */
    assert_string_equal(core_traced(), "early:recv=0 early:w3:-:N:b0 again=EAGAIN");
    assert_int_equal(pica_ep_bind(&ep2, &ntfn2), 0);
    assert_int_equal(ntfn2.word, 0); /* taken by the waiting receiver */
    core_spawn("w", waiter_entry, &ntfn2, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x8), 0); /* to w, not to rx */
    assert_int_equal(pica_ntfn_signal(&ntfn2, 0x1), 0); /* to rx */
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "early:recv=0 early:w3:-:N:b0 again=EAGAIN bind:recv=0 "
                                       "bind:w5:-:N:b0 w=0x8@0 last:recv=0 last:w1:-:N:b0");
}

static void
test_bind_when_either_is_bound_elsewhere_is_ebusy(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_ep_init(&ep2), 0);
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn), 0);
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn), 0); /* the same pair again */
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn2), -EBUSY);
    assert_int_equal(pica_ep_bind(&ep2, &ntfn), -EBUSY);
    assert_ptr_equal(test_ep.bound, &ntfn);
    assert_ptr_equal(ntfn.bound, &test_ep);
    assert_null(ntfn2.bound);
    assert_null(ep2.bound);
    assert_int_equal(pica_ep_bind(&ep2, &ntfn2), 0);
}

/* Destroying either side unbinds the other, which may be bound again. */
static void
test_destroying_either_side_unbinds(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_ep_init(&ep2), 0);
    assert_int_equal(pica_ep_bind(&test_ep, &ntfn), 0);
    assert_int_equal(pica_ep_destroy(&test_ep), 0);
    assert_null(ntfn.bound);
    assert_int_equal(pica_ntfn_signal(&ntfn, 0x2), 0);
    assert_int_equal(ntfn.word, 0x2); /* kept: no endpoint takes it */
    assert_int_equal(pica_ep_bind(&ep2, &ntfn), 0);

    assert_int_equal(pica_ntfn_destroy(&ntfn), 0);
    assert_null(ep2.bound);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    static struct pica_reply r;
    pica_reply_init(&r);
    assert_int_equal(pica_ep_recv(&ep2, &m, &r, PICA_NO_WAIT), -EAGAIN);
    assert_int_equal(pica_ep_bind(&ep2, &ntfn2), 0);
}

/* ---- interrupt lines -------------------------------------------------------- */

#define LINE 3
static struct pica_irq_cap cap, cap2;

static void
device_assert_isr(void *arg)
{
    (void)arg;
    line_assert(LINE);
}

/* The driver: waits for its interrupt, serves the device, acknowledges. */
static void
driver_entry(void *arg)
{
    (void)arg;
    int32_t got = pica_ntfn_wait(&ntfn, PICA_FOREVER);
    core_trace("irq=%s@%u:masked=%d:count=%u", ipc_err(got), (unsigned)core_tick(), cap.masked,
               (unsigned)cap.count);
    /* The device still asserts while it is served: the line stays masked. */
    work_until(3);
    assert_int_equal(lines[LINE].runs, 1);
    assert_false(lines[LINE].enabled);
    line_deassert(LINE);
    int err = pica_irq_cap_ack(&cap);
    core_trace("ack=%s:masked=%d", ipc_err(err), cap.masked);
    assert_true(lines[LINE].enabled);
    got = pica_ntfn_wait(&ntfn, PICA_FOREVER);
    core_trace("irq=%s@%u:count=%u", ipc_err(got), (unsigned)core_tick(), (unsigned)cap.count);
    /* Acknowledged with the level still up: it fires again at once. */
    core_trace("ack=%s", ipc_err(pica_irq_cap_ack(&cap)));
    core_trace("poll=%s:count=%u", ipc_err(pica_ntfn_poll(&ntfn)), (unsigned)cap.count);
}

static void
test_interrupt_masks_the_line_and_signals_ack_unmasks(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_irq_cap_init(&cap, LINE, 2, 0), 0);
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn, 0x8), 0);
    assert_non_null(lines[LINE].handler);
    assert_true(lines[LINE].enabled);
    assert_int_equal(lines[LINE].prio, 2);
    assert_ptr_equal(ntfn.irq, &cap);
    fake_irq_every(1 * CORE_CPT, 0, device_assert_isr, NULL);
    fake_irq_every(5 * CORE_CPT, 0, device_assert_isr, NULL);
    core_spawn("driver", driver_entry, NULL, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "irq=0x8@1:masked=1:count=1 ack=0:masked=0 "
                                       "irq=0x8@5:count=2 ack=0 poll=0x8:count=3");
    assert_int_equal(lines[LINE].runs, 3);
    assert_true(cap.masked);
}

static void
test_irq_cap_bind_refusals(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_irq_cap_init(&cap, LINE, 8, 0), -EINVAL);
    assert_int_equal(pica_irq_cap_init(&cap, LINE, 2, 0), 0);
    assert_int_equal(pica_irq_cap_init(&cap2, LINE, 2, 0), 0);
    assert_int_equal(pica_irq_cap_ack(&cap), -EINVAL); /* not bound */
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn, 0), -EINVAL);
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn, 0x1), 0);
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn2, 0x1), -EBUSY); /* the cap is bound */
    assert_int_equal(pica_irq_cap_bind(&cap2, &ntfn, 0x1), -EBUSY); /* the ntfn is */
    /* The line has a handler: refused, and nothing left half bound. */
    assert_int_equal(pica_irq_cap_bind(&cap2, &ntfn2, 0x1), -EBUSY);
    assert_null(cap2.ntfn);
    assert_null(ntfn2.irq);
    assert_ptr_equal(lines[LINE].arg, &cap);
}

static void
test_destroying_the_notification_detaches_the_line(void **state)
{
    (void)state;
    ntfn_boot();
    assert_int_equal(pica_irq_cap_init(&cap, LINE, 2, 0), 0);
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn, 0x1), 0);
    assert_int_equal(pica_ntfn_destroy(&ntfn), 0);
    assert_null(lines[LINE].handler);
    assert_false(lines[LINE].enabled);
    assert_null(cap.ntfn);
    line_assert(LINE); /* nobody hears it */
    assert_int_equal(lines[LINE].runs, 0);
    assert_int_equal(cap.count, 0);
    line_deassert(LINE);
    /* The cap is free to be bound again, and works. */
    assert_int_equal(pica_irq_cap_bind(&cap, &ntfn2, 0x4), 0);
    line_assert(LINE);
    assert_int_equal(cap.count, 1);
    assert_int_equal(pica_ntfn_poll(&ntfn2), 0x4);
    pica_irq_cap_unbind(&cap);
    assert_null(lines[LINE].handler);
    assert_null(ntfn2.irq);
}

static const struct core_test tests[] = {
    CORE_TEST(test_signals_or_bits_and_wait_takes_the_word),
    CORE_TEST(test_signal_wakes_a_waiter_with_the_word),
    CORE_TEST(test_a_thousand_isr_signals_none_lost),
    CORE_TEST(test_isr_signals_while_waiter_cannot_run_gather_in_the_word),
    CORE_TEST(test_wait_times_out_and_destroy_wakes_waiters),
    CORE_TEST(test_bound_notification_ends_a_receive),
    CORE_TEST(test_bits_before_a_receive_or_a_binding_come_at_once),
    CORE_TEST(test_bind_when_either_is_bound_elsewhere_is_ebusy),
    CORE_TEST(test_destroying_either_side_unbinds),
    CORE_TEST(test_interrupt_masks_the_line_and_signals_ack_unmasks),
    CORE_TEST(test_irq_cap_bind_refusals),
    CORE_TEST(test_destroying_the_notification_detaches_the_line),
};

CORE_TEST_MAIN(tests)
