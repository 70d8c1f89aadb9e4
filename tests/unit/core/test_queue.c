/* SPDX-License-Identifier: MIT */
/* Message queues on the fake port: waits that end on their tick, senders
 * blocked on a full ring refilled in order as receivers take, interrupts
 * sending without waiting, and a blocked sender killed before its message
 * got in (it never arrives). */
#include <errno.h>
#include <pica/queue.h>
#include <pica/time.h>

#include "core_test.h"

#define CAPACITY 2

static struct pica_queue queue;
static uint32_t ring[CAPACITY];

static void
setup(void)
{
    core_boot();
    assert_int_equal(pica_queue_init(&queue, ring, sizeof(uint32_t), CAPACITY), 0);
}

static void
timeout_entry(void *arg)
{
    (void)arg;
    uint32_t msg = 0;
    fake_advance(CORE_CPT / 2);
    assert_int_equal(pica_queue_recv(&queue, &msg, PICA_TICKS(4)), -ETIMEDOUT);
    assert_int_equal(fake_now(), 4 * CORE_CPT);
    for (uint32_t i = 1; i <= CAPACITY; i++) {
        assert_int_equal(pica_queue_send(&queue, &i, PICA_NO_WAIT), 0);
    }
    assert_int_equal(pica_queue_send(&queue, &msg, PICA_TICKS(3)), -ETIMEDOUT);
    assert_int_equal(fake_now(), 7 * CORE_CPT);
    assert_int_equal(pica_queue_count(&queue), CAPACITY);
}

static void
test_waits_time_out_at_their_tick(void **state)
{
    (void)state;
    setup();
    core_spawn("user", timeout_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

static void
sender_entry(void *arg)
{
    uint32_t first = (uint32_t)(uintptr_t)arg;
    for (uint32_t i = first; i < first + 3; i++) {
        assert_int_equal(pica_queue_send(&queue, &i, PICA_FOREVER), 0);
    }
}

static void
receiver_entry(void *arg)
{
    (void)arg;
    pica_sleep(1); /* let both senders fill the ring and block */
    for (int i = 0; i < 6; i++) {
        uint32_t msg;
        assert_int_equal(pica_queue_recv(&queue, &msg, PICA_FOREVER), 0);
        core_trace("%u", (unsigned)msg);
    }
}

static void
test_blocked_senders_refill_the_ring_in_priority_order(void **state)
{
    (void)state;
    setup();
    core_spawn("receiver", receiver_entry, NULL, 5);
    core_spawn("low", sender_entry, (void *)10, 12);
    core_spawn("high", sender_entry, (void *)20, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* The more urgent sender ran first and filled the ring; each freed
     * slot then goes to the most urgent blocked sender. */
    assert_string_equal(core_traced(), "20 21 22 10 11 12");
}

static int isr_results[2];

static void
send_isr(void *arg)
{
    (void)arg;
    static uint32_t next = 100;
    isr_results[0] = pica_queue_send(&queue, &next, PICA_NO_WAIT);
    isr_results[1] = pica_queue_send(&queue, &next, PICA_TICKS(1));
    next++;
}

static void
waiting_receiver_entry(void *arg)
{
    (void)arg;
    uint32_t msg;
    assert_int_equal(pica_queue_recv(&queue, &msg, PICA_FOREVER), 0);
    core_trace("%u@%llu", (unsigned)msg, (unsigned long long)fake_now());
}

static void
test_isr_sends_to_a_waiting_receiver_without_waiting(void **state)
{
    (void)state;
    setup();
    core_spawn("receiver", waiting_receiver_entry, NULL, 10);
    fake_irq_every(1234, 0, send_isr, NULL);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "100@1234");
    assert_int_equal(isr_results[0], 0);
    assert_int_equal(isr_results[1], -EINVAL);
    assert_int_equal(pica_queue_count(&queue), 0);
}

static struct pica_thread *doomed;

static void
doomed_sender_entry(void *arg)
{
    (void)arg;
    uint32_t msg = 66;
    pica_queue_send(&queue, &msg, PICA_FOREVER);
    core_trace("never");
}

static void
killer_receiver_entry(void *arg)
{
    (void)arg;
    uint32_t msg;
    for (uint32_t i = 1; i <= CAPACITY; i++) {
        assert_int_equal(pica_queue_send(&queue, &i, PICA_NO_WAIT), 0);
    }
    pica_sleep(1); /* the doomed sender blocks on the full ring */
    assert_int_equal(pica_thread_kill(doomed), 0);
    uint32_t front = 9;
    assert_int_equal(pica_queue_recv(&queue, &msg, PICA_NO_WAIT), 0);
    assert_int_equal(pica_queue_send_front(&queue, &front, PICA_NO_WAIT), 0);
    while (pica_queue_recv(&queue, &msg, PICA_NO_WAIT) == 0) {
        core_trace("%u", (unsigned)msg);
    }
}

static void
test_killed_sender_message_never_arrives(void **state)
{
    (void)state;
    setup();
    core_spawn("receiver", killer_receiver_entry, NULL, 10);
    doomed = core_spawn("doomed", doomed_sender_entry, NULL, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "9 2");
    assert_true(pica_list_empty(&queue.senders.head));
}

static const struct core_test tests[] = {
    CORE_TEST(test_waits_time_out_at_their_tick),
    CORE_TEST(test_blocked_senders_refill_the_ring_in_priority_order),
    CORE_TEST(test_isr_sends_to_a_waiting_receiver_without_waiting),
    CORE_TEST(test_killed_sender_message_never_arrives),
};

CORE_TEST_MAIN(tests)
