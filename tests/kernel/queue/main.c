/* SPDX-License-Identifier: MIT */
/* Message queues as threads observe them: FIFO and copy semantics, blocking
 * both ways with exact timeouts in ticks, wake order of several blocked
 * receivers and senders, urgent sends, calls from an interrupt handler,
 * odd message sizes and argument checks. */
#include <errno.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/queue.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <string.h>

#include "arch.h"

#define NTHREADS 4 /* of the test framework's workers */

struct msg {
    uint32_t seq;
    uint32_t tag;
};

static struct pica_queue q;
static struct msg qbuf[4];

PICA_TEST(messages_come_out_in_fifo_order_as_copies)
{
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 4), 0);
    struct msg m = {0, 0xabcd};
    for (uint32_t i = 1; i <= 4; i++) {
        m.seq = i;
        pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
        pica_assert_eq(pica_queue_count(&q), i);
    }
    /* The queue holds copies: changing the source changes nothing. */
    m.seq = 99;
    m.tag = 0;
    for (uint32_t i = 1; i <= 4; i++) {
        struct msg out = {0, 0};
        pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
        pica_assert_eq(out.seq, i);
        pica_assert_eq(out.tag, 0xabcd);
    }
    pica_assert_eq(pica_queue_count(&q), 0);
    /* Wrap around the end of the ring several times. */
    for (uint32_t i = 0; i < 10; i++) {
        struct msg a = {i, 1}, b = {i, 2}, out;
        pica_assert_eq(pica_queue_send(&q, &a, PICA_NO_WAIT), 0);
        pica_assert_eq(pica_queue_send(&q, &b, PICA_NO_WAIT), 0);
        pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
        pica_assert(out.seq == i && out.tag == 1);
        pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
        pica_assert(out.seq == i && out.tag == 2);
    }
}

PICA_TEST(no_wait_returns_eagain_when_full_or_empty)
{
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 4), 0);
    struct msg m = {0, 0};
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), -EAGAIN);
    for (uint32_t i = 0; i < 4; i++) {
        m.seq = i;
        pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    }
    m.seq = 77;
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_queue_send_front(&q, &m, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_queue_count(&q), 4);
    for (uint32_t i = 0; i < 4; i++) {
        pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
        pica_assert_eq(m.seq, i);
    }
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), -EAGAIN);
}

static void
recv_one_after_5_ticks(void *arg)
{
    struct msg *out = arg;
    pica_sleep(PICA_TICKS(5));
    pica_test_trace('r');
    pica_assert_eq(pica_queue_recv(&q, out, PICA_NO_WAIT), 0);
}

PICA_TEST(full_queue_blocks_send_until_a_receive)
{
    static struct msg got;
    pica_test_trace_reset();
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 2), 0);
    struct msg m1 = {1, 0}, m2 = {2, 0}, m3 = {3, 0}, out;
    pica_assert_eq(pica_queue_send(&q, &m1, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_send(&q, &m2, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_test_spawn(0, recv_one_after_5_ticks, &got, 20), 0);
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_queue_send(&q, &m3, PICA_MS(1000)), 0);
    pica_test_trace('s');
    pica_assert_ge(pica_tick_now() - t0, 5);
    pica_assert(strcmp(pica_test_trace_get(), "rs") == 0);
    pica_test_join_workers(1);
    /* The receiver took the oldest; the blocked message went in behind. */
    pica_assert_eq(got.seq, 1);
    pica_assert_eq(pica_queue_count(&q), 2);
    pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
    pica_assert_eq(out.seq, 2);
    pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
    pica_assert_eq(out.seq, 3);
}

PICA_TEST(send_and_recv_time_out_after_exactly_the_ticks_asked)
{
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 1), 0);
    struct msg m = {42, 0}, other = {7, 7};
    for (int n = 1; n <= 10; n += 3) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_queue_recv(&q, &m, PICA_TICKS(n)), -ETIMEDOUT);
        pica_assert_eq(pica_tick_now() - t0, n);
    }
    m.seq = 42;
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    for (int n = 1; n <= 10; n += 3) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_queue_send(&q, &other, PICA_TICKS(n)), -ETIMEDOUT);
        pica_assert_eq(pica_tick_now() - t0, n);
    }
    /* The timed-out sends left nothing behind. */
    pica_assert_eq(pica_queue_count(&q), 1);
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(m.seq, 42);
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), -EAGAIN);
}

static void
send_after_3_ticks(void *arg)
{
    (void)arg;
    struct msg m = {55, 0x5555};
    pica_sleep(PICA_TICKS(3));
    pica_test_trace('s');
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
}

PICA_TEST(empty_queue_blocks_recv_until_a_send)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 2), 0);
    pica_assert_eq(pica_test_spawn(0, send_after_3_ticks, NULL, 20), 0);
    struct msg out = {0, 0};
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_queue_recv(&q, &out, PICA_MS(1000)), 0);
    pica_test_trace('r');
    pica_assert_ge(pica_tick_now() - t0, 3);
    pica_assert(strcmp(pica_test_trace_get(), "sr") == 0);
    pica_assert(out.seq == 55 && out.tag == 0x5555);
    /* Handed over directly: it never sat in the ring. */
    pica_assert_eq(pica_queue_count(&q), 0);
    pica_test_join_workers(1);
}

static const unsigned prio_of[NTHREADS] = {12, 8, 12, 10};
static uint32_t got_seq[NTHREADS];

static void
receive_and_log(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    struct msg m;
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_MS(1000)), 0);
    got_seq[i] = m.seq;
    pica_test_trace((char)('A' + i));
}

PICA_TEST(blocked_receivers_wake_by_priority_fifo_among_equals)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 4), 0);
    /* Each is more urgent than main, so it runs and blocks at once. */
    for (unsigned i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_test_spawn(i, receive_and_log, (void *)(uintptr_t)i, prio_of[i]), 0);
    }
    pica_assert_eq(pica_test_trace_len(), 0);
    for (uint32_t s = 1; s <= NTHREADS; s++) {
        struct msg m = {s, 0};
        pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    }
    pica_test_join_workers(NTHREADS);
    /* B (8), D (10), then A and C (12) in the order they blocked. */
    pica_assert(strcmp(pica_test_trace_get(), "BDAC") == 0);
    pica_assert_eq(got_seq[1], 1);
    pica_assert_eq(got_seq[3], 2);
    pica_assert_eq(got_seq[0], 3);
    pica_assert_eq(got_seq[2], 4);
    pica_assert_eq(pica_queue_count(&q), 0);
}

static void
send_and_log(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    struct msg m = {100 + i, 0};
    pica_assert_eq(pica_queue_send(&q, &m, PICA_MS(1000)), 0);
    pica_test_trace((char)('A' + i));
}

PICA_TEST(blocked_senders_wake_by_priority_fifo_among_equals)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 1), 0);
    struct msg m = {0, 0};
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    for (unsigned i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_test_spawn(i, send_and_log, (void *)(uintptr_t)i, prio_of[i]), 0);
    }
    pica_assert_eq(pica_test_trace_len(), 0);
    static const uint32_t expect[] = {0, 101, 103, 100, 102};
    for (unsigned k = 0; k < 5; k++) {
        pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
        pica_assert_eq(m.seq, expect[k]);
    }
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), -EAGAIN);
    pica_test_join_workers(NTHREADS);
    pica_assert(strcmp(pica_test_trace_get(), "BDAC") == 0);
}

PICA_TEST(send_front_is_received_next)
{
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 4), 0);
    struct msg m = {1, 0};
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    m.seq = 2;
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    m.seq = 9; /* goes in before slot 0: wraps to the ring's end */
    pica_assert_eq(pica_queue_send_front(&q, &m, PICA_NO_WAIT), 0);
    m.seq = 8;
    pica_assert_eq(pica_queue_send_front(&q, &m, PICA_NO_WAIT), 0);
    static const uint32_t expect[] = {8, 9, 1, 2};
    for (unsigned k = 0; k < 4; k++) {
        pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
        pica_assert_eq(m.seq, expect[k]);
    }
}

static void
send_front_blocking(void *arg)
{
    (void)arg;
    struct msg m = {500, 0};
    pica_assert_eq(pica_queue_send_front(&q, &m, PICA_MS(1000)), 0);
}

PICA_TEST(blocked_send_front_goes_in_at_the_front)
{
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 2), 0);
    struct msg m = {1, 0};
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    m.seq = 2;
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_test_spawn(0, send_front_blocking, NULL, 10), 0);
    static const uint32_t expect[] = {1, 500, 2};
    for (unsigned k = 0; k < 3; k++) {
        pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
        pica_assert_eq(m.seq, expect[k]);
    }
    pica_test_join_workers(1);
}

/* ---- interrupt handler ---- */

static unsigned test_irq;
static volatile int isr_recv_result, isr_send_result, isr_block_result;
static struct msg isr_got;

static void
queue_isr(void *arg)
{
    (void)arg;
    struct msg reply = {isr_got.seq + 1000, 0x15};
    isr_recv_result = pica_queue_recv(&q, &isr_got, PICA_NO_WAIT);
    reply.seq = isr_got.seq + 1000;
    isr_send_result = pica_queue_send(&q, &reply, PICA_NO_WAIT);
    /* Blocking is refused in an ISR, whatever the queue holds. */
    isr_block_result = pica_queue_recv(&q, &reply, PICA_TICKS(1));
}

static void
receive_forever_and_log(void *arg)
{
    struct msg *out = arg;
    pica_assert_eq(pica_queue_recv(&q, out, PICA_FOREVER), 0);
    pica_test_trace('w');
}

PICA_TEST(interrupt_handler_sends_and_receives_without_waiting)
{
    unsigned lines = arch_irq_lines();
    test_irq = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
    pica_assert_eq(pica_irq_attach(test_irq, queue_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(test_irq), 0);
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 1), 0);

    /* A message waits: the handler takes it and answers. */
    struct msg m = {7, 0};
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_recv_result, 0);
    pica_assert_eq(isr_got.seq, 7);
    pica_assert_eq(isr_send_result, 0);
    pica_assert_eq(isr_block_result, -EINVAL);
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(m.seq, 1007);

    /* Empty queue: the handler's receive fails and its send fills it. */
    isr_got.seq = 0;
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_recv_result, -EAGAIN);
    pica_assert_eq(isr_send_result, 0);
    pica_assert_eq(pica_queue_count(&q), 1);
    pica_assert_eq(pica_queue_recv(&q, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(m.seq, 1000);

    /* A thread blocked on the empty queue is woken by the handler's send. */
    static struct msg woken;
    pica_test_trace_reset();
    pica_assert_eq(pica_test_spawn(0, receive_forever_and_log, &woken, 10), 0);
    isr_got.seq = 5; /* receive fails: reply is 1005 */
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_recv_result, -EAGAIN);
    pica_assert_eq(isr_send_result, 0);
    pica_test_join_workers(1);
    pica_assert(strcmp(pica_test_trace_get(), "w") == 0);
    pica_assert_eq(woken.seq, 1005);
    pica_assert_eq(pica_queue_count(&q), 0);
    pica_assert_eq(pica_irq_detach(test_irq), 0);
}

PICA_TEST(bad_arguments_are_refused_without_state_change)
{
    static struct pica_queue zeroed;
    struct msg m = {1, 2};
    pica_assert_eq(pica_queue_init(NULL, qbuf, 4, 4), -EINVAL);
    pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 4), 0);
    pica_assert_eq(pica_queue_send(&q, &m, PICA_NO_WAIT), 0);
    /* A failed init leaves the live queue as it was. */
    pica_assert_eq(pica_queue_init(&q, NULL, 4, 4), -EINVAL);
    pica_assert_eq(pica_queue_init(&q, qbuf, 0, 4), -EINVAL);
    pica_assert_eq(pica_queue_init(&q, qbuf, 4, 0), -EINVAL);
    pica_assert_eq(pica_queue_send(NULL, &m, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_send(&q, NULL, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_send(&q, &m, -5), -EINVAL);
    pica_assert_eq(pica_queue_send_front(NULL, &m, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_recv(NULL, &m, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_recv(&q, NULL, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_recv(&q, &m, -2), -EINVAL);
    /* Never initialised. */
    pica_assert_eq(pica_queue_send(&zeroed, &m, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_queue_recv(&zeroed, &m, PICA_FOREVER), -EINVAL);
    pica_assert_eq(pica_queue_count(NULL), 0);
    pica_assert_eq(pica_queue_count(&q), 1);
    struct msg out = {0, 0};
    pica_assert_eq(pica_queue_recv(&q, &out, PICA_NO_WAIT), 0);
    pica_assert(out.seq == 1 && out.tag == 2);
    pica_assert_eq(pica_queue_count(&q), 0);
}

/* ---- odd sizes: 5-byte messages in an unaligned ring ---- */

static struct pica_queue oddq;
static char oddbuf[1 + 3 * 5];

static void
odd_receiver(void *arg)
{
    char *out = arg;
    pica_assert_eq(pica_queue_recv(&oddq, out + 1, PICA_MS(1000)), 0);
}

static void
odd_sender(void *arg)
{
    pica_assert_eq(pica_queue_send(&oddq, arg, PICA_MS(1000)), 0);
}

PICA_TEST(odd_size_messages_round_trip_without_overrun)
{
    pica_assert_eq(pica_queue_init(&oddq, oddbuf + 1, 5, 3), 0);
    char src[8] = "xabcdez";
    char out[8];
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 3; i++) {
            src[1] = (char)('a' + round + i);
            pica_assert_eq(pica_queue_send(&oddq, src + 1, PICA_NO_WAIT), 0);
        }
        for (int i = 0; i < 3; i++) {
            memset(out, 0xee, sizeof(out));
            pica_assert_eq(pica_queue_recv(&oddq, out + 1, PICA_NO_WAIT), 0);
            pica_assert_eq(out[1], 'a' + round + i);
            pica_assert(memcmp(out + 2, "bcde", 4) == 0);
            pica_assert_eq((unsigned char)out[0], 0xee);
            pica_assert_eq((unsigned char)out[6], 0xee);
        }
    }
    /* Direct hand-over to a waiting receiver copies 5 bytes too. */
    static char direct[8];
    memset(direct, 0xee, sizeof(direct));
    pica_assert_eq(pica_test_spawn(0, odd_receiver, direct, 10), 0);
    pica_assert_eq(pica_queue_send(&oddq, "12345", PICA_NO_WAIT), 0);
    pica_test_join_workers(1);
    pica_assert(memcmp(direct + 1, "12345", 5) == 0);
    pica_assert_eq((unsigned char)direct[0], 0xee);
    pica_assert_eq((unsigned char)direct[6], 0xee);
    /* And a blocked sender's 5 bytes move into the ring. */
    for (int i = 0; i < 3; i++) {
        pica_assert_eq(pica_queue_send(&oddq, "ABCDE", PICA_NO_WAIT), 0);
    }
    pica_assert_eq(pica_test_spawn(0, odd_sender, "VWXYZ", 10), 0);
    for (int i = 0; i < 4; i++) {
        pica_assert_eq(pica_queue_recv(&oddq, out, PICA_NO_WAIT), 0);
        pica_assert(memcmp(out, i < 3 ? "ABCDE" : "VWXYZ", 5) == 0);
    }
    pica_test_join_workers(1);
}

/* ---- a producer and a consumer through a short queue ---- */

#define STREAM_LEN 400

static volatile uint32_t stream_errors;

static void
producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < STREAM_LEN; i++) {
        struct msg m = {i, ~i};
        if (pica_queue_send(&q, &m, PICA_MS(1000)) != 0) {
            stream_errors++;
        }
    }
}

static void
consumer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < STREAM_LEN; i++) {
        struct msg m;
        if (pica_queue_recv(&q, &m, PICA_MS(1000)) != 0 || m.seq != i || m.tag != ~i) {
            stream_errors++;
        }
    }
}

/* Four-word messages (the inline copy's size) in a ring and through
 * caller buffers at every misalignment: exact bytes, nothing beside. */
PICA_TEST(word_messages_at_any_alignment_copy_exactly)
{
    static uint32_t ring_words[4 * 3 + 1];
    char *ring = (char *)ring_words;
    static char src[24], out[24];
    for (unsigned skew = 0; skew < 4; skew++) {
        pica_assert_eq(pica_queue_init(&oddq, ring + skew, 16, 3), 0);
        for (unsigned round = 0; round < 4; round++) {
            for (unsigned i = 0; i < 2; i++) {
                for (unsigned b = 0; b < 16; b++) {
                    src[(skew + round) % 4 + b] = (char)(skew * 64 + round * 16 + i * 32 + b);
                }
                pica_assert_eq(pica_queue_send(&oddq, src + (skew + round) % 4, PICA_NO_WAIT), 0);
            }
            for (unsigned i = 0; i < 2; i++) {
                char *dst = out + (skew + 3 * round) % 4 + 1;
                memset(out, 0x5a, sizeof(out));
                pica_assert_eq(pica_queue_recv(&oddq, dst, PICA_NO_WAIT), 0);
                for (unsigned b = 0; b < 16; b++) {
                    pica_assert_eq(dst[b], (char)(skew * 64 + round * 16 + i * 32 + b));
                }
                pica_assert_eq(dst[-1], 0x5a);
                pica_assert_eq(dst[16], 0x5a);
            }
        }
        pica_assert_eq(pica_queue_count(&oddq), 0);
    }
}

static struct pica_queue markq;
static uint32_t markq_buf[2];

static void
recv_with_timeout(void *arg)
{
    uint32_t m;
    pica_assert_eq(pica_queue_recv(&markq, &m, PICA_TICKS((uintptr_t)arg)), -ETIMEDOUT);
    pica_test_trace('t');
}

static void
recv_forever(void *arg)
{
    uint32_t m;
    pica_assert_eq(pica_queue_recv(&markq, &m, PICA_FOREVER), 0);
    pica_test_trace((char)m);
}

/* While receivers wait the count holds a marker that sends both fast paths
 * to the slow ones; receivers leaving by timeout leave it behind. */
PICA_TEST(count_after_receivers_leave_or_are_served)
{
    pica_assert_eq(pica_queue_init(&markq, markq_buf, sizeof(uint32_t), 2), 0);
    pica_test_trace_reset();
    pica_assert_eq(pica_test_spawn(0, recv_with_timeout, (void *)2, 4), 0);
    pica_assert_eq(pica_test_spawn(1, recv_with_timeout, (void *)3, 4), 0);
    pica_assert_eq(pica_queue_count(&markq), 0);
    pica_test_join_workers(2);
    pica_assert(strcmp(pica_test_trace_get(), "tt") == 0);
    /* Nobody waits any more: sends go to the ring, up to capacity. */
    uint32_t m = 'x', got = 0;
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_queue_count(&markq), 2);
    pica_assert_eq(pica_queue_recv(&markq, &got, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_recv(&markq, &got, PICA_NO_WAIT), 0);
    pica_assert_eq(got, 'x');
    pica_assert_eq(pica_queue_recv(&markq, &got, PICA_NO_WAIT), -EAGAIN);
    /* Two waiting receivers: each send goes to one, none to the ring. */
    pica_assert_eq(pica_test_spawn(0, recv_forever, NULL, 4), 0);
    pica_assert_eq(pica_test_spawn(1, recv_forever, NULL, 4), 0);
    m = 'a';
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_count(&markq), 0);
    m = 'b';
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), 0);
    pica_test_join_workers(2);
    pica_assert(strcmp(pica_test_trace_get(), "ttab") == 0);
    pica_assert_eq(pica_queue_count(&markq), 0);
    m = 'c';
    pica_assert_eq(pica_queue_send(&markq, &m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_queue_count(&markq), 1);
}

PICA_TEST(producer_and_consumer_keep_order_whichever_is_more_urgent)
{
    static const unsigned prios[3][2] = {{10, 12}, {12, 10}, {11, 11}};
    for (int k = 0; k < 3; k++) {
        stream_errors = 0;
        pica_assert_eq(pica_queue_init(&q, qbuf, sizeof(struct msg), 3), 0);
        pica_assert_eq(pica_test_spawn(0, producer, NULL, prios[k][0]), 0);
        pica_assert_eq(pica_test_spawn(1, consumer, NULL, prios[k][1]), 0);
        pica_test_join_workers(2);
        pica_assert_eq(stream_errors, 0);
        pica_assert_eq(pica_queue_count(&q), 0);
    }
}

int
main(void)
{
    pica_test_run();
}
