/* SPDX-License-Identifier: MIT */
/* The torture test's queues: every message is received exactly once, and
 * the ordinary messages of one sender reach any one receiver in the order
 * they were sent. Receipts are counted under pica_irq_lock(), as threads
 * and interrupt handlers both receive. */
#include <pica/test.h>

#include "torture.h"

struct pica_queue tt_queue[TT_QUEUES];
struct pica_queue tt_drift_queue;

/* Messages: a header naming sender, queue and urgency with a hash of the
 * sequence number, and (24-byte queue) a body derived from both, so a
 * message torn or copied from the wrong slot does not pass for another. */
struct tt_msg {
    uint32_t head;
    uint32_t seq;
    uint32_t body[4];
};
static const uint32_t msg_size[TT_QUEUES] = {8, sizeof(struct tt_msg)};
#define Q0_SLOTS 6u
#define Q1_SLOTS 3u
static uint32_t q0_buf[Q0_SLOTS * 2];
static uint32_t q1_buf[Q1_SLOTS * sizeof(struct tt_msg) / 4];
static uint32_t drift_buf[4];
#define MSG_UNTOUCHED 0xa5a5a5a5u

/* Per queue, sender and urgency: messages received, the sum of their
 * sequence numbers and of their squares. Each sender numbers its messages
 * 1, 2, 3...: n messages received exactly once give n, n(n+1)/2 and
 * n(n+1)(2n+1)/6, and a loss hidden by a duplicate changes the sums. */
struct tt_flow {
    uint32_t n;
    uint64_t sum, sumsq;
};
static struct tt_flow flows[TT_QUEUES][TT_CTXS][2];

static uint32_t
msg_key(unsigned sender, unsigned q, bool urgent)
{
    return (uint32_t)sender | (uint32_t)urgent << 8 | (uint32_t)q << 9;
}

static uint32_t
msg_hash(uint32_t key, uint32_t seq)
{
    return tt_mix(key ^ seq * 0x9e3779b9u) & 0xffff0000u;
}

static void
msg_make(struct tt_msg *m, unsigned sender, unsigned q, bool urgent, uint32_t seq)
{
    uint32_t key = msg_key(sender, q, urgent);
    m->head = key | msg_hash(key, seq);
    m->seq = seq;
    for (unsigned i = 0; i < 4; i++) {
        m->body[i] = q == 0 ? MSG_UNTOUCHED : tt_mix(m->head + seq + i);
    }
}

static bool
msg_is_valid(const struct tt_msg *m, unsigned q)
{
    uint32_t key = m->head & 0xffffu;
    if ((key & 0xff) >= TT_CTXS || (key >> 9) != q || m->seq == 0 ||
        (m->head & 0xffff0000u) != msg_hash(key, m->seq)) {
        return false;
    }
    for (unsigned i = 0; i < 4; i++) {
        /* The 8-byte queue must not write past its message. */
        uint32_t want = q == 0 ? MSG_UNTOUCHED : tt_mix(m->head + m->seq + i);
        if (m->body[i] != want) {
            return false;
        }
    }
    return true;
}

int
tt_send(unsigned id, unsigned q, bool urgent, pica_timeout_t t)
{
    struct tt_ctx *c = &tt_ctx[id];
    struct tt_msg m;
    msg_make(&m, id, q, urgent, c->seq[q][urgent] + 1);
    int r = urgent ? pica_queue_send_front(&tt_queue[q], &m, t)
                   : pica_queue_send(&tt_queue[q], &m, t);
    TT_CHECK_WAIT(r, t);
    if (r == 0) {
        c->seq[q][urgent]++;
        c->n.sent++;
    } else {
        c->n.send_misses++;
    }
    return r;
}

/* Ordered messages of one sender reach any one receiver in order (the
 * queue is FIFO and a receiver takes one at a time); urgent ones jump the
 * line, so only their count and sums are checked. */
static void
msg_record(unsigned id, unsigned q, const struct tt_msg *m)
{
    if (!msg_is_valid(m, q)) {
        tt_fail(__FILE__, __LINE__, "a received message is intact (head, seq)", m->head, m->seq);
        return;
    }
    unsigned sender = m->head & 0xffu;
    unsigned urgent = (m->head >> 8) & 1u;
    unsigned key = pica_irq_lock();
    struct tt_flow *f = &flows[q][sender][urgent];
    f->n++;
    f->sum += m->seq;
    f->sumsq += (uint64_t)m->seq * m->seq;
    if (!urgent) {
        uint32_t *last = &tt_ctx[id].last_seen[q][sender];
        if (m->seq <= *last) {
            tt_fail(__FILE__, __LINE__, "messages of a sender arrive in order (seq, last)", m->seq,
                    *last);
        }
        *last = m->seq;
    }
    pica_irq_unlock(key);
}

int
tt_recv(unsigned id, unsigned q, pica_timeout_t t)
{
    struct tt_msg m;
    m.head = m.seq = 0;
    for (unsigned i = 0; i < 4; i++) {
        m.body[i] = MSG_UNTOUCHED;
    }
    int r = pica_queue_recv(&tt_queue[q], &m, t);
    TT_CHECK_WAIT(r, t);
    if (r == 0) {
        msg_record(id, q, &m);
        tt_ctx[id].n.received++;
    } else {
        TT_CHECK(m.head == 0 && m.seq == 0); /* a failed receive leaves it alone */
        tt_ctx[id].n.recv_misses++;
    }
    return r;
}

void
tt_messages_init(void)
{
    pica_assert_eq(pica_queue_init(&tt_queue[0], q0_buf, msg_size[0], Q0_SLOTS), 0);
    pica_assert_eq(pica_queue_init(&tt_queue[1], q1_buf, msg_size[1], Q1_SLOTS), 0);
    pica_assert_eq(pica_queue_init(&tt_drift_queue, drift_buf, 4, 4), 0);
}

/* With every context stopped and the queues drained. */
void
tt_messages_check(void)
{
    for (unsigned q = 0; q < TT_QUEUES; q++) {
        TT_CHECK_EQ(pica_queue_count(&tt_queue[q]), 0);
        for (unsigned s = 0; s < TT_CTXS; s++) {
            for (unsigned u = 0; u < 2; u++) {
                uint64_t n = tt_ctx[s].seq[q][u];
                const struct tt_flow *f = &flows[q][s][u];
                TT_CHECK_EQ(f->n, n);
                TT_CHECK_EQ(f->sum, n * (n + 1) / 2);
                TT_CHECK_EQ(f->sumsq, n * (n + 1) * (2 * n + 1) / 6);
            }
        }
    }
}

