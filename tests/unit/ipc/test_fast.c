/* SPDX-License-Identifier: MIT */
/* Register IPC's fast path on the fake port (kernel/proc/ipc_fast.h:
 * ipc_fast_call_locked, ipc_fast_reply_recv_locked). Threads here play
 * what a port's trap does: a deferring party (defer set, as register IPC
 * run in the trap has) that must wait is queued without a switch
 * (IPC_BLOCKED), and the thread then switches away by hand, coming back
 * once woken with its outcome in its party (the fake port has no trap, so
 * the fast path leaves it there). Checked: the words and flags each side
 * sees, the partner each call returns, who runs when, the reply right and
 * the donated priority as the general path leaves them, and every case the
 * fast path must leave to the general one (NULL with nothing changed). */
#include <errno.h>
#include <string.h>

#include <pica/mutex.h>

#include "ipc_fast.h"
#include "ipc_priv.h"
#include "ipc_test.h"
#include "sched.h"
#include "timeout.h"

/* A deferring side, as kernel/proc/syscall_ipc_regs.c sets one up. */
struct side {
    struct ipc_party party;
    struct pica_msg m;
    struct pica_reply reply;
};

static void
side_init(struct side *s, uint8_t kind)
{
    memset(s, 0, sizeof *s);
    s->party.m = &s->m;
    s->party.reply = &s->reply;
    s->party.kind = kind;
    s->party.defer = 1;
    s->party.got[0] = s->party.got[1] = 0xFF;
    pica_reply_init(&s->reply);
}

/* Switch away after a deferred block, as the trap's way out does, and
 * return the wait's result once the thread runs again. */
static int
switch_away(void)
{
    unsigned key = arch_irq_lock();
    arch_switch_request();
    arch_irq_unlock(key);
    return sched.current->wait_result;
}

/* The register receive of a server that must wait: the general path with
 * a deferring party. */
static int
deferred_recv(struct side *s)
{
    side_init(s, IPC_RECV);
    int r = ipc_recv(&test_ep, &s->party, PICA_FOREVER);
    return r == IPC_BLOCKED ? switch_away() : r;
}

static struct side srv, cli;
static struct pica_thread *srv_thread, *cli_thread;

static void
server(void *arg)
{
    (void)arg;
    int r = deferred_recv(&srv);
    core_trace("srv:recv=%s:w%u,%u,%u,%u:info%u:b%u", ipc_err(r), (unsigned)srv.m.w[0],
               (unsigned)srv.m.w[1], (unsigned)srv.m.w[2], (unsigned)srv.m.w[3],
               (unsigned)srv.m.info, (unsigned)srv.m.badge);
    /* Serving the call, it holds the caller's reply and priority. */
    core_trace("srv:prio%u:boost%u", (unsigned)sched.current->prio,
               (unsigned)sched.current->ipc_prio);
    const uint32_t ans[4] = {srv.m.w[0] + 100, srv.m.w[1] + 100, srv.m.w[2] + 100,
                             srv.m.w[3] + 100};
    srv.party.kind = IPC_RECV;
    unsigned key = arch_irq_lock();
    struct pica_thread *f = ipc_fast_reply_recv_locked(&test_ep, &srv.party, ans);
    arch_irq_unlock(key);
    core_trace("srv:reply_recv=%s", f == cli_thread ? "blocked" : f == NULL ? "slow" : "other");
    if (f != NULL) {
        core_trace("srv:woken=%s", ipc_err(switch_away()));
    }
}

static void
client(void *arg)
{
    (void)arg;
    side_init(&cli, IPC_CALL);
    cli.party.badge = 7;
    const uint32_t w[4] = {1, 2, 3, 4};
    unsigned key = arch_irq_lock();
    struct pica_thread *f = ipc_fast_call_locked(&test_ep, &cli.party, w);
    arch_irq_unlock(key);
    core_trace("cli:call=%s", f == srv_thread ? "blocked" : f == NULL ? "slow" : "other");
    int r = switch_away();
    core_trace("cli:answer=%s:w%u,%u,%u,%u:info%u", ipc_err(r), (unsigned)cli.m.w[0],
               (unsigned)cli.m.w[1], (unsigned)cli.m.w[2], (unsigned)cli.m.w[3],
               (unsigned)cli.m.info);
}

/* A round trip on the fast path: the server (more urgent) waits first,
 * the call switches to it, its answer back to the client; the server is
 * left waiting again, its reply empty and its boost gone. */
static void
test_fast_round_trip(void **state)
{
    (void)state;
    test_boot();
    srv_thread = core_spawn("srv", server, NULL, 5);
    cli_thread = core_spawn("cli", client, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* The server, woken more urgent, runs as the client switches away (a
     * fast path asks for no switch: the trap always makes one). */
    assert_string_equal(core_traced(),
                        "cli:call=blocked srv:recv=0:w1,2,3,4:info1:b7 srv:prio5:boost11 "
                        "srv:reply_recv=blocked cli:answer=0:w101,102,103,104:info0");
    assert_int_equal(test_ep.sent, 1);
    assert_int_equal(srv_thread->state, PICA_THREAD_BLOCKED);
    assert_ptr_equal(srv_thread->waiting_on, &test_ep.receivers);
    assert_int_equal(srv_thread->ipc_prio, 0);
    assert_false(pica_list_is_linked(&srv.reply.active));
    assert_true(pica_list_empty(&srv.reply.caller.head));
    assert_int_equal(cli_thread->state, PICA_THREAD_DEAD);
}

/* ---- the cases the fast path leaves to the general one ---- */

static struct pica_thread *slow_result;

static void
try_call(void *arg)
{
    (void)arg;
    side_init(&cli, IPC_CALL);
    const uint32_t w[4] = {1, 2, 3, 4};
    unsigned key = arch_irq_lock();
    slow_result = ipc_fast_call_locked(&test_ep, &cli.party, w);
    arch_irq_unlock(key);
}

/* A receiver waiting the general way (its party on its stack, no defer). */
static void
plain_receiver(void *arg)
{
    struct party *p = arg;
    pica_reply_init(&p->reply);
    p->m.room = 0;
    p->err = pica_ep_recv(&test_ep, &p->m, &p->reply, PICA_FOREVER);
}

static void
deferred_receiver(void *arg)
{
    (void)arg;
    (void)deferred_recv(&srv);
}

/* The call found a receiver it may not switch to, or none: NULL, the
 * receiver still waiting, nothing sent. */
static void
expect_slow_call(unsigned caller_prio)
{
    core_spawn("cli", try_call, NULL, caller_prio);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_null(slow_result);
    assert_int_equal(test_ep.sent, 0);
}

static void
test_call_to_a_less_urgent_receiver_is_slow(void **state)
{
    (void)state;
    test_boot();
    struct pica_thread *r = core_spawn("srv", deferred_receiver, NULL, 12);
    expect_slow_call(10);
    assert_int_equal(r->state, PICA_THREAD_BLOCKED);
    assert_int_equal(r->ipc_prio, 0);
    assert_false(pica_list_is_linked(&srv.reply.active));
}

static void
sibling(void *arg)
{
    (void)arg;
    core_trace("sib");
}

/* A receiver of the caller's own priority with a sibling ready there too:
 * the call goes the fast way, and the ring keeps its order (the sibling,
 * ready first, runs before the woken server). */
static void
test_call_to_a_receiver_of_equal_priority_keeps_the_ring_order(void **state)
{
    (void)state;
    test_boot();
    srv_thread = core_spawn("srv", server, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    cli_thread = core_spawn("cli", client, NULL, 10);
    core_spawn("sib", sibling, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(),
                        "cli:call=blocked sib srv:recv=0:w1,2,3,4:info1:b7 srv:prio10:boost11 "
                        "srv:reply_recv=blocked cli:answer=0:w101,102,103,104:info0");
}

static void
test_call_to_a_plain_receiver_is_slow(void **state)
{
    (void)state;
    test_boot();
    static struct party p = {.name = "plain"};
    struct pica_thread *r = core_spawn("plain", plain_receiver, &p, 5);
    expect_slow_call(10);
    assert_int_equal(r->state, PICA_THREAD_BLOCKED);
}

static void
test_call_with_no_receiver_is_slow(void **state)
{
    (void)state;
    test_boot();
    expect_slow_call(10);
    assert_true(pica_list_empty(&test_ep.senders.head));
}

/* A receiver that holds a caller already (its boost would be another's)
 * is left to the general path. */
static void
test_call_to_a_receiver_holding_a_caller_is_slow(void **state)
{
    (void)state;
    test_boot();
    struct pica_thread *r = core_spawn("srv", deferred_receiver, NULL, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    r->ipc_prio = 4; /* as a saved reply's caller of priority 3 would leave it */
    expect_slow_call(10);
    assert_int_equal(r->ipc_prio, 4);
    r->ipc_prio = 0;
}

/* The answer's fast path: only for a deferring caller, and only when the
 * receive after it must wait. */
static struct pica_thread *reply_result;

/* The server's answer of 9s: the fast path tried first (it must refuse,
 * and changes nothing then), then the general way, so that the caller is
 * not left waiting. Returns the general answer's result. */
static int
answer_refused(void)
{
    const uint32_t ans[4] = {9, 9, 9, 9};
    srv.party.kind = IPC_RECV;
    unsigned key = arch_irq_lock();
    reply_result = ipc_fast_reply_recv_locked(&test_ep, &srv.party, ans);
    arch_irq_unlock(key);
    core_trace("srv:reply_recv=%s", reply_result == NULL ? "slow" : "other");
    srv.party.kind = IPC_SEND;
    srv.m.w[0] = 9;
    return ipc_reply(&srv.reply, &srv.party);
}

static void
answer_then_receive(void *arg)
{
    (void)arg;
    int r = deferred_recv(&srv);
    core_trace("srv:recv=%s", ipc_err(r));
    (void)answer_refused();
}

static void
plain_caller(void *arg)
{
    struct party *p = arg;
    p->m = (struct pica_msg){.w = {1, 2, 3, 4}};
    p->err = pica_ep_call(&test_ep, &p->m, PICA_FOREVER);
    core_trace("plain:call=%s:w%u", ipc_err(p->err), (unsigned)p->m.w[0]);
}

static void
test_answer_to_a_plain_caller_is_slow(void **state)
{
    (void)state;
    test_boot();
    static struct party p = {.name = "plain"};
    core_spawn("srv", answer_then_receive, NULL, 5);
    core_spawn("plain", plain_caller, &p, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:reply_recv=slow plain:call=0:w9");
}

static void
queued_sender(void *arg)
{
    (void)arg;
    struct pica_msg m = {.w = {5, 6, 7, 8}};
    (void)pica_ep_send(&test_ep, &m, PICA_FOREVER);
}

/* The server takes the call, then sleeps while a sender queues: its answer
 * cannot end in a wait, so the fast path refuses it. */
static void
answer_after_sleep(void *arg)
{
    (void)arg;
    int r = deferred_recv(&srv);
    core_trace("srv:recv=%s", ipc_err(r));
    sleep_to(5);
    core_trace("srv:reply=%s", ipc_err(answer_refused()));
}

static void
test_answer_with_a_sender_waiting_is_slow(void **state)
{
    (void)state;
    test_boot();
    srv_thread = core_spawn("srv", answer_after_sleep, NULL, 5);
    cli_thread = core_spawn("cli", client, NULL, 10);
    core_spawn("sender", queued_sender, NULL, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* The general answer copies the server's message: the call's own words
     * but the first, which it set, from a kernel thread here (no process). */
    assert_string_equal(core_traced(), "cli:call=blocked srv:recv=0 srv:reply_recv=slow "
                                       "srv:reply=0 cli:answer=0:w9,2,3,4:info4");
    assert_false(pica_list_empty(&test_ep.senders.head));
}

/* A register caller the general way (as the glue sends one the fast path
 * refused, or one with a deadline): @arg its timeout. */
static void
general_caller(void *arg)
{
    side_init(&cli, IPC_CALL);
    cli.m.w[0] = 1;
    int r = ipc_send(&test_ep, &cli.party, (pica_timeout_t)(intptr_t)arg);
    if (r == IPC_BLOCKED) {
        r = switch_away();
    }
    core_trace("cli:answer=%s:w%u", ipc_err(r), (unsigned)cli.m.w[0]);
}

/* A server less urgent than its caller runs boosted: dropping the boost
 * changes its priority, which the answer's fast path leaves to the walk. */
static void
test_answer_of_a_boosted_server_is_slow(void **state)
{
    (void)state;
    test_boot();
    struct pica_thread *srv_t = core_spawn("srv", answer_then_receive, NULL, 12);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    core_spawn("cli", general_caller, (void *)(intptr_t)PICA_FOREVER, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:reply_recv=slow cli:answer=0:w9");
    assert_int_equal(srv_t->prio, 12);
    assert_int_equal(srv_t->ipc_prio, 0);
}

/* A caller waiting with a deadline has a timeout to cancel: the general
 * way answers it. */
static void
test_answer_to_a_caller_with_a_deadline_is_slow(void **state)
{
    (void)state;
    test_boot();
    core_spawn("srv", answer_then_receive, NULL, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    struct pica_thread *c = core_spawn("cli", general_caller, (void *)(intptr_t)100, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:reply_recv=slow cli:answer=0:w9");
    assert_false(timeout_is_armed(&c->timeout));
}

/* Another thread holds a caller too: the answer still goes the fast way,
 * since the server's count of replies held says this one is its only one. */
static struct pica_ep other_ep;
static struct party other_caller = {
    .name = "ocli", .op = OP_CALL, .ep = &other_ep, .w0 = 20, .timeout = PICA_FOREVER};

static void
other_server(void *arg)
{
    (void)arg;
    static struct pica_msg m;
    static struct pica_reply r;
    pica_reply_init(&r);
    core_trace("osrv:recv=%s", ipc_err(pica_ep_recv(&other_ep, &m, &r, PICA_FOREVER)));
    sleep_to(50);
    core_trace("osrv:reply=%s", ipc_err(pica_ep_reply(&r, &m)));
}

static void
test_answer_while_another_thread_holds_a_caller_is_fast(void **state)
{
    (void)state;
    test_boot();
    pica_ep_init(&other_ep);
    core_spawn("osrv", other_server, NULL, 3);
    party_spawn(&other_caller, 4);
    srv_thread = core_spawn("srv", server, NULL, 5);
    cli_thread = core_spawn("cli", client, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "osrv:recv=0 cli:call=blocked srv:recv=0:w1,2,3,4:info1:b7 "
                                       "srv:prio5:boost11 srv:reply_recv=blocked "
                                       "cli:answer=0:w101,102,103,104:info0 osrv:reply=0 "
                                       "ocli:call=0 ocli:w20:-:K:b0");
    assert_int_equal(srv_thread->ipc_held, 0);
}

/* The server itself holds a second caller: only the walk knows which
 * caller's priority its boost is, so the answer goes the general way. */
static void
server_of_two(void *arg)
{
    (void)arg;
    static struct pica_msg m;
    static struct pica_reply r;
    pica_reply_init(&r);
    core_trace("srv:recv1=%s", ipc_err(pica_ep_recv(&other_ep, &m, &r, PICA_FOREVER)));
    core_trace("srv:recv2=%s", ipc_err(deferred_recv(&srv)));
    core_trace("srv:held%u", (unsigned)sched.current->ipc_held);
    core_trace("srv:reply2=%s", ipc_err(answer_refused()));
    core_trace("srv:reply1=%s", ipc_err(pica_ep_reply(&r, &m)));
    core_trace("srv:held%u", (unsigned)sched.current->ipc_held);
}

static void
test_answer_of_a_server_holding_two_callers_is_slow(void **state)
{
    (void)state;
    test_boot();
    pica_ep_init(&other_ep);
    srv_thread = core_spawn("srv", server_of_two, NULL, 3);
    party_spawn(&other_caller, 4);
    /* The general way: a receiver holding a caller takes no fast call. */
    core_spawn("cli", general_caller, (void *)(intptr_t)PICA_FOREVER, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv1=0 srv:recv2=0 srv:held2 srv:reply_recv=slow "
                                       "srv:reply2=0 srv:reply1=0 srv:held0 ocli:call=0 "
                                       "ocli:w20:-:K:b0 cli:answer=0:w9");
}

static const struct core_test tests[] = {
    CORE_TEST(test_fast_round_trip),
    CORE_TEST(test_call_to_a_less_urgent_receiver_is_slow),
    CORE_TEST(test_call_to_a_receiver_of_equal_priority_keeps_the_ring_order),
    CORE_TEST(test_call_to_a_plain_receiver_is_slow),
    CORE_TEST(test_call_with_no_receiver_is_slow),
    CORE_TEST(test_call_to_a_receiver_holding_a_caller_is_slow),
    CORE_TEST(test_answer_to_a_plain_caller_is_slow),
    CORE_TEST(test_answer_with_a_sender_waiting_is_slow),
    CORE_TEST(test_answer_of_a_boosted_server_is_slow),
    CORE_TEST(test_answer_to_a_caller_with_a_deadline_is_slow),
    CORE_TEST(test_answer_while_another_thread_holds_a_caller_is_fast),
    CORE_TEST(test_answer_of_a_server_holding_two_callers_is_slow),
};

CORE_TEST_MAIN(tests)
