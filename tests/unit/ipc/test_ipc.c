/* SPDX-License-Identifier: MIT */
/* Endpoints on the fake port as kernel threads see them (kernel/ipc.c):
 * a message between a sender and a receiver whichever waits first, the
 * receiver's room, the order of waiting senders, timeouts measured on the
 * fake clock, sends from an interrupt handler, and destroy. The table also
 * runs ipc_calls.c (calls, replies, priority donation); notifications and
 * interrupt lines are unit.ipc.ntfn. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipc_test.h"

/* ---- one message ---------------------------------------------------------- */

static void
test_send_to_waiting_receiver_delivers_words_and_bytes(void **state)
{
    (void)state;
    test_boot();
    static struct party r = {.name = "r", .op = OP_RECV, .room = 16, .timeout = PICA_FOREVER};
    static struct party s = {.name = "s", .op = OP_SEND, .w0 = 10, .text = "hello",
                             .timeout = PICA_FOREVER, .at = 1};
    party_spawn(&r, 5);
    party_spawn(&s, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* The receiver is more urgent: it runs as the send wakes it. */
    assert_string_equal(core_traced(), "r:recv=0 r:w10:hello:K:b0 s:send=0");
    assert_int_equal(r.m.len, 5);
    assert_int_equal(r.done, 1 * CORE_CPT);
    assert_int_equal(test_ep.sent, 1);
}

static void
test_recv_from_waiting_sender_takes_its_message_at_once(void **state)
{
    (void)state;
    test_boot();
    static struct party s = {.name = "s", .op = OP_SEND, .w0 = 20, .text = "abc",
                             .timeout = PICA_FOREVER};
    static struct party r = {.name = "r", .op = OP_RECV, .room = 3, .timeout = PICA_FOREVER,
                             .at = 2};
    party_spawn(&s, 5);
    party_spawn(&r, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "s:send=0 r:recv=0 r:w20:abc:K:b0");
    assert_int_equal(s.done, 2 * CORE_CPT);
    assert_int_equal(r.done, 2 * CORE_CPT);
}

/* A receiver with room for 4 bytes: a 7-byte call and send fail and the
 * receiver keeps waiting, for the next sender's message. */
static void
test_message_longer_than_room_leaves_receiver_waiting(void **state)
{
    (void)state;
    test_boot();
    static struct party r = {.name = "r", .op = OP_RECV, .room = 4, .timeout = PICA_FOREVER};
    static struct party big = {.name = "big", .op = OP_SEND, .w0 = 1, .text = "toolong",
                               .timeout = PICA_FOREVER, .at = 1};
    static struct party fits = {.name = "fits", .op = OP_SEND, .w0 = 2, .text = "four",
                                .timeout = PICA_FOREVER, .at = 2};
    static struct party bigcall = {.name = "bigcall", .op = OP_CALL, .w0 = 3, .text = "toolong",
                                   .timeout = PICA_FOREVER, .at = 1};
    party_spawn(&r, 5);
    party_spawn(&big, 10);
    party_spawn(&fits, 11);
    party_spawn(&bigcall, 9);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "bigcall:call=EMSGSIZE big:send=EMSGSIZE r:recv=0 "
                                       "r:w2:four:K:b0 fits:send=0");
    assert_int_equal(big.done, 1 * CORE_CPT);
    assert_int_equal(r.done, 2 * CORE_CPT);
    assert_int_equal(test_ep.sent, 1);
}

/* Three senders wait, the first two (a call, a send) with too many bytes:
 * they wake with -EMSGSIZE and the receiver takes the third. */
static void
test_waiting_sender_too_long_is_refused_and_next_taken(void **state)
{
    (void)state;
    test_boot();
    static struct party big = {.name = "big", .op = OP_SEND, .w0 = 1, .text = "toolong",
                               .timeout = PICA_FOREVER};
    static struct party fits = {.name = "fits", .op = OP_SEND, .w0 = 2, .text = "ok",
                                .timeout = PICA_FOREVER};
    static struct party r = {.name = "r", .op = OP_RECV, .room = 4, .timeout = PICA_FOREVER,
                             .at = 1};
    static struct party bigcall = {.name = "bigcall", .op = OP_CALL, .w0 = 3, .text = "toolong",
                                   .timeout = PICA_FOREVER};
    party_spawn(&big, 5);
    party_spawn(&fits, 6);
    party_spawn(&bigcall, 4);
    party_spawn(&r, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "bigcall:call=EMSGSIZE big:send=EMSGSIZE fits:send=0 "
                                       "r:recv=0 r:w2:ok:K:b0");
    assert_int_equal(big.done, 1 * CORE_CPT);
    assert_int_equal(fits.done, 1 * CORE_CPT);
}

/* ---- no waiting, and interrupt handlers ------------------------------------ */

static int isr_results[4];
static struct pica_msg isr_msg;

static void
send_isr(void *arg)
{
    (void)arg;
    struct pica_msg got;
    char buf[4];
    msg_set(&isr_msg, 40, NULL, NULL, 0);
    msg_set(&got, 0, buf, NULL, sizeof(buf));
    static struct pica_reply r;
    pica_reply_init(&r);
    isr_results[0] = pica_ep_send(&test_ep, &isr_msg, PICA_NO_WAIT);
    isr_results[1] = pica_ep_send(&test_ep, &isr_msg, PICA_FOREVER);
    isr_results[2] = pica_ep_recv(&test_ep, &got, &r, PICA_NO_WAIT);
    isr_results[3] = pica_ep_call(&test_ep, &isr_msg, PICA_NO_WAIT);
}

static void
no_wait_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    char buf[4];
    static struct pica_reply r;
    pica_reply_init(&r);
    msg_set(&m, 1, buf, NULL, sizeof(buf));
    core_trace("send=%s", ipc_err(pica_ep_send(&test_ep, &m, PICA_NO_WAIT)));
    core_trace("recv=%s", ipc_err(pica_ep_recv(&test_ep, &m, &r, PICA_NO_WAIT)));
    core_trace("call=%s", ipc_err(pica_ep_call(&test_ep, &m, PICA_NO_WAIT)));
    assert_int_equal(fake_now(), 0); /* none of them waited */
    static struct pica_reply raw; /* never initialised */
    assert_int_equal(pica_ep_recv(&test_ep, &m, &raw, PICA_NO_WAIT), -EINVAL);
    assert_int_equal(pica_ep_reply(&raw, &m), -EINVAL);
    /* A handler's send with no receiver: -EAGAIN; one that may wait, a
     * receive and a call: refused. */
    fake_irq_now(send_isr, NULL);
    core_trace("isr:%s/%s/%s/%s", ipc_err(isr_results[0]), ipc_err(isr_results[1]),
               ipc_err(isr_results[2]), ipc_err(isr_results[3]));
    /* With a receiver waiting, the handler's send is delivered. */
    fake_irq_every(3 * CORE_CPT, 0, send_isr, NULL);
    int err = pica_ep_recv(&test_ep, &m, &r, PICA_FOREVER);
    trace_msg("recv", "isr", err, &m);
    assert_int_equal(fake_now(), 3 * CORE_CPT);
    assert_int_equal(isr_results[0], 0);
}

static void
test_no_wait_without_a_partner_is_eagain_and_isr_may_only_send(void **state)
{
    (void)state;
    test_boot();
    core_spawn("main", no_wait_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "send=EAGAIN recv=EAGAIN call=EAGAIN "
                                       "isr:EAGAIN/EINVAL/EINVAL/EINVAL recv:isr=0 recv:w40:-:K:b0");
}

/* ---- the order of waiting senders ------------------------------------------ */

#define NSENDERS 6
static struct party senders[NSENDERS];
static const unsigned sender_prio[NSENDERS] = {12, 8, 12, 3, 8, 12};
static char listed[64];

static void
list_sender(const struct pica_thread *t, bool call, void *arg)
{
    (void)arg;
    size_t n = strlen(listed);
    snprintf(listed + n, sizeof(listed) - n, "%s%s ", t->name, call ? "(call)" : "");
}

/* Senders block one by one (s2 with a call) while nobody receives; then
 * the main thread takes them all without waiting. */
static void
order_entry(void *arg)
{
    (void)arg;
    static const char *const names[NSENDERS] = {"s0", "s1", "s2", "s3", "s4", "s5"};
    for (unsigned i = 0; i < NSENDERS; i++) {
        senders[i] = (struct party){.name = names[i], .op = i == 2 ? OP_CALL : OP_SEND,
                                    .w0 = 10 * i, .timeout = PICA_FOREVER};
        party_spawn(&senders[i], sender_prio[i]);
        pica_sleep(1); /* it runs and waits */
    }
    pica_ep_foreach_sender(&test_ep, list_sender, NULL);
    static struct pica_reply r;
    pica_reply_init(&r);
    for (unsigned i = 0; i <= NSENDERS; i++) {
        struct pica_msg m;
        msg_set(&m, 0, NULL, NULL, 0);
        int err = pica_ep_recv(&test_ep, &m, &r, PICA_NO_WAIT);
        if (err != 0) {
            core_trace("%s", ipc_err(err));
        } else if (m.info & PICA_MSG_CALL) {
            core_trace("w%uC", (unsigned)m.w[0]);
            assert_int_equal(pica_ep_reply(&r, &m), 0);
        } else {
            core_trace("w%u", (unsigned)m.w[0]);
        }
    }
}

static void
test_waiting_senders_are_taken_by_priority_then_in_arrival_order(void **state)
{
    (void)state;
    test_boot();
    core_spawn("main", order_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(listed, "s3 s1 s4 s0 s2(call) s5 ");
    /* The senders, less urgent than main, trace once it is done. */
    assert_string_equal(core_traced(), "w30 w10 w40 w0 w20C w50 EAGAIN s3:send=0 s1:send=0 "
                                       "s4:send=0 s0:send=0 s2:call=0 s2:w20:-:K:b0 s5:send=0");
}

/* ---- timeouts ----------------------------------------------------------------- */

static struct pica_ep other_ep;

static void
timeouts_check_entry(void *arg)
{
    (void)arg;
    sleep_to(11);
    /* Those that timed out have left the queues. */
    struct pica_msg m;
    static struct pica_reply r;
    pica_reply_init(&r);
    msg_set(&m, 0, NULL, NULL, 0);
    core_trace("check:recv=%s", ipc_err(pica_ep_recv(&test_ep, &m, &r, PICA_NO_WAIT)));
    core_trace("check:send=%s", ipc_err(pica_ep_send(&other_ep, &m, PICA_NO_WAIT)));
}

static void
test_send_recv_and_call_time_out_at_their_deadline(void **state)
{
    (void)state;
    test_boot();
    assert_int_equal(pica_ep_init(&other_ep), 0);
    static struct party s = {.name = "s", .op = OP_SEND, .timeout = PICA_TICKS(10)};
    static struct party c = {.name = "c", .op = OP_CALL, .timeout = PICA_TICKS(6), .at = 3};
    static struct party r = {.name = "r", .op = OP_RECV, .ep = &other_ep,
                             .timeout = PICA_TICKS(7), .at = 1};
    party_spawn(&s, 5);
    party_spawn(&c, 6);
    party_spawn(&r, 7);
    core_spawn("check", timeouts_check_entry, NULL, 8);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "r:recv=ETIMEDOUT c:call=ETIMEDOUT s:send=ETIMEDOUT "
                                       "check:recv=EAGAIN check:send=EAGAIN");
    assert_int_equal(r.done, 8 * CORE_CPT);
    assert_int_equal(c.done, 9 * CORE_CPT);
    assert_int_equal(s.done, 10 * CORE_CPT);
}

/* One timeout bounds a whole call: 10 ticks from tick 0, though the
 * server took the call at tick 4 and answers only at tick 20; and 10 ticks
 * from tick 3 for a caller that found the server waiting. */
static struct pica_thread *caller;
static struct pica_reply srv_reply;

static void
slow_server_entry(void *arg)
{
    pica_tick_t answer_at = (pica_tick_t)(uintptr_t)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    int err = pica_ep_recv(&test_ep, &m, &srv_reply, PICA_FOREVER);
    core_trace("srv:recv=%s@%u", ipc_err(err), (unsigned)core_tick());
    /* It holds the caller, which still waits, with its deadline. */
    assert_ptr_equal(caller->waiting_on, &srv_reply.caller);
    assert_int_equal(caller->state, PICA_THREAD_BLOCKED);
    work_until(answer_at);
    assert_int_equal(pica_thread_prio(pica_thread_self()), 10); /* no caller left */
    msg_set(&m, 0, NULL, NULL, 0);
    core_trace("srv:reply=%s@%u", ipc_err(pica_ep_reply(&srv_reply, &m)), (unsigned)core_tick());
}

static void
late_server_entry(void *arg)
{
    sleep_to(4);
    slow_server_entry(arg);
}

static void
test_call_times_out_at_its_deadline_though_received_at_tick_4(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&srv_reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_TICKS(10)};
    caller = party_spawn(&c, 5);
    core_spawn("srv", late_server_entry, (void *)(uintptr_t)20, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0@4 c:call=ETIMEDOUT srv:reply=ESRCH@20");
    assert_int_equal(c.done, 10 * CORE_CPT);
}

static void
test_call_to_waiting_server_times_out_at_its_deadline(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&srv_reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_TICKS(10),
                             .at = 3};
    caller = party_spawn(&c, 5);
    core_spawn("srv", slow_server_entry, (void *)(uintptr_t)20, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0@3 c:call=ETIMEDOUT srv:reply=ESRCH@20");
    assert_int_equal(c.done, 13 * CORE_CPT);
}

/* PICA_NO_WAIT bounds only the wait for a receiver: a call that finds one
 * waits for its answer, 5000 ticks later. */
static void
sleepy_server_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &srv_reply, PICA_FOREVER), 0);
    assert_int_equal(pica_sleep(5000), 0);
    msg_set(&m, 50, NULL, NULL, 0);
    core_trace("srv:reply=%s", ipc_err(pica_ep_reply(&srv_reply, &m)));
}

static void
test_no_wait_call_finding_a_receiver_waits_for_the_answer(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&srv_reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_NO_WAIT,
                             .at = 1};
    party_spawn(&c, 5);
    core_spawn("srv", sleepy_server_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "c:call=0 c:w50:-:K:b0 srv:reply=0");
    assert_int_equal(c.done, 5001 * CORE_CPT);
}

/* ---- destroy ------------------------------------------------------------------ */

static void
destroyer_entry(void *arg)
{
    (void)arg;
    sleep_to(1);
    core_trace("destroy1=%d", pica_ep_destroy(&test_ep));
    core_trace("destroy2=%d", pica_ep_destroy(&other_ep));
    /* Whatever comes later is refused. */
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    static struct pica_reply r;
    static struct pica_ntfn n;
    pica_reply_init(&r);
    assert_int_equal(pica_ntfn_init(&n), 0);
    core_trace("later:%s/%s/%s/%s/%s/%s", ipc_err(pica_ep_send(&test_ep, &m, PICA_FOREVER)),
               ipc_err(pica_ep_recv(&test_ep, &m, &r, PICA_FOREVER)),
               ipc_err(pica_ep_call(&test_ep, &m, PICA_FOREVER)),
               ipc_err(pica_ep_send(&other_ep, &m, PICA_NO_WAIT)),
               ipc_err(pica_ep_bind(&test_ep, &n)), ipc_err(pica_ep_destroy(&test_ep)));
}

static void
test_destroy_wakes_senders_and_receivers_with_eidrm(void **state)
{
    (void)state;
    test_boot();
    assert_int_equal(pica_ep_init(&other_ep), 0);
    static struct party r1 = {.name = "r1", .op = OP_RECV, .timeout = PICA_FOREVER};
    static struct party r2 = {.name = "r2", .op = OP_RECV, .timeout = PICA_TICKS(100)};
    static struct party s = {.name = "s", .op = OP_SEND, .ep = &other_ep, .timeout = PICA_FOREVER};
    static struct party c = {.name = "c", .op = OP_CALL, .ep = &other_ep, .timeout = PICA_FOREVER};
    party_spawn(&r1, 5);
    party_spawn(&r2, 6);
    party_spawn(&s, 7);
    party_spawn(&c, 8);
    core_spawn("destroyer", destroyer_entry, NULL, 20);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "r1:recv=EIDRM r2:recv=EIDRM destroy1=2 s:send=EIDRM "
                                       "c:call=EIDRM destroy2=2 "
                                       "later:EINVAL/EINVAL/EINVAL/EINVAL/EINVAL/EINVAL");
    assert_int_equal(r2.done, 1 * CORE_CPT);
    assert_true(fake_now() < 100 * CORE_CPT); /* its timeout went with its wait */
}

static const struct core_test tests[] = {
    CORE_TEST(test_send_to_waiting_receiver_delivers_words_and_bytes),
    CORE_TEST(test_recv_from_waiting_sender_takes_its_message_at_once),
    CORE_TEST(test_message_longer_than_room_leaves_receiver_waiting),
    CORE_TEST(test_waiting_sender_too_long_is_refused_and_next_taken),
    CORE_TEST(test_no_wait_without_a_partner_is_eagain_and_isr_may_only_send),
    CORE_TEST(test_waiting_senders_are_taken_by_priority_then_in_arrival_order),
    CORE_TEST(test_send_recv_and_call_time_out_at_their_deadline),
    CORE_TEST(test_call_times_out_at_its_deadline_though_received_at_tick_4),
    CORE_TEST(test_call_to_waiting_server_times_out_at_its_deadline),
    CORE_TEST(test_no_wait_call_finding_a_receiver_waits_for_the_answer),
    CORE_TEST(test_destroy_wakes_senders_and_receivers_with_eidrm),
    /* ipc_calls.c */
    CORE_TEST(test_call_reply_with_server_waiting_first),
    CORE_TEST(test_call_reply_with_caller_waiting_first),
    CORE_TEST(test_reply_to_caller_that_timed_out_is_esrch),
    CORE_TEST(test_reply_twice_and_unused_reply_are_esrch),
    CORE_TEST(test_reply_drop_gives_caller_epipe),
    CORE_TEST(test_recv_while_holding_a_caller_is_ebusy),
    CORE_TEST(test_reply_longer_than_callers_room_fails_both),
    CORE_TEST(test_server_killed_holding_a_reply_gives_caller_epipe),
    CORE_TEST(test_server_exiting_holding_a_reply_gives_caller_epipe),
    CORE_TEST(test_destroy_leaves_a_taken_caller_to_its_server),
    CORE_TEST(test_server_runs_at_callers_priority_until_it_replies),
    CORE_TEST(test_medium_thread_does_not_preempt_boosted_server),
    CORE_TEST(test_killed_caller_drops_the_boost),
    CORE_TEST(test_caller_priority_change_follows_to_server),
    CORE_TEST(test_server_holding_two_replies_runs_at_the_more_urgent),
    CORE_TEST(test_donation_passes_down_a_nested_call),
    CORE_TEST(test_boosted_server_passes_priority_to_mutex_owner),
    CORE_TEST(test_boost_changes_reach_mutex_owner_through_blocked_server),
    CORE_TEST(test_caller_timeout_reaches_mutex_owner_through_blocked_server),
    CORE_TEST(test_server_killed_in_a_nested_call_frees_both_ends),
};

CORE_TEST_MAIN(tests)
