/* SPDX-License-Identifier: MIT */
/* Calls and replies between kernel threads on the fake port
 * (kernel/ipc.c): round trips in both orders, answers that find no caller,
 * drops, a receive refused while a caller is held, a server that dies
 * holding a call; and priority donation: the server runs at its caller's
 * priority while it holds the call, follows the caller's changes and
 * departure, and passes the priority on through a nested call or a mutex
 * it waits for. Run by test_ipc.c's table. */
#include <errno.h>
#include <stdio.h>

#include <pica/mutex.h>

#include "ipc_test.h"

#define BASE 20 /* the servers' own priority */

enum answer { ANSWER_REPLY, ANSWER_DROP, ANSWER_NONE, ANSWER_EXIT };

/* A server: receives one message from @at, works until @answer_at, then
 * answers the caller (words w0 + 100, ..., bytes @text) or drops it. It
 * traces what it got, its priority while it holds the call, the answer's
 * result and its priority afterwards. */
struct server {
    const char *name;
    pica_tick_t at;
    pica_tick_t answer_at;
    enum answer answer;
    const char *text;
    struct pica_reply reply;
};

static int
prio_of(const struct pica_thread *t)
{
    return pica_thread_prio(t);
}

static void
server_answer(struct server *s, const struct pica_msg *got)
{
    char buf[32];
    struct pica_msg m;
    msg_set(&m, got->w[0] + 100, buf, s->text, 0);
    switch (s->answer) {
    case ANSWER_REPLY:
        core_trace("%s:reply=%s", s->name, ipc_err(pica_ep_reply(&s->reply, &m)));
        break;
    case ANSWER_DROP:
        pica_ep_reply_drop(&s->reply);
        core_trace("%s:dropped", s->name);
        break;
    case ANSWER_EXIT:
        return; /* ends holding the call */
    case ANSWER_NONE:
        break;
    }
    core_trace("%s:prio=%d", s->name, prio_of(pica_thread_self()));
}

static void
server_entry(void *arg)
{
    struct server *s = arg;
    char buf[16];
    struct pica_msg m;
    sleep_to(s->at);
    msg_set(&m, 0, buf, NULL, sizeof(buf));
    int err = pica_ep_recv(&test_ep, &m, &s->reply, PICA_FOREVER);
    trace_msg(s->name, "recv", err, &m);
    core_trace("%s:prio=%d", s->name, prio_of(pica_thread_self()));
    work_until(s->answer_at);
    server_answer(s, &m);
}

static struct pica_thread *
server_spawn(struct server *s, unsigned prio)
{
    pica_reply_init(&s->reply);
    return core_spawn(s->name, server_entry, s, prio);
}

/* ---- round trips ----------------------------------------------------------- */

void
test_call_reply_with_server_waiting_first(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .text = "pong!"};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 7, .text = "ping", .room = 16,
                             .timeout = PICA_FOREVER, .at = 1};
    server_spawn(&srv, 10);
    party_spawn(&c, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w7:ping:KC:b0 srv:prio=5 "
                                       "c:call=0 c:w107:pong!:K:b0 srv:reply=0 srv:prio=10");
    assert_int_equal(c.m.len, 5);
    assert_int_equal(c.done, 1 * CORE_CPT);
}

void
test_call_reply_with_caller_waiting_first(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .at = 2, .text = "pong!"};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 7, .text = "ping", .room = 16,
                             .timeout = PICA_FOREVER};
    server_spawn(&srv, 10);
    party_spawn(&c, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w7:ping:KC:b0 srv:prio=5 "
                                       "c:call=0 c:w107:pong!:K:b0 srv:reply=0 srv:prio=10");
    assert_int_equal(c.done, 2 * CORE_CPT);
}

/* ---- answers without a caller ---------------------------------------------- */

static struct server lone = {.name = "srv"};

/* Takes a call that times out at tick 5; at tick 8 receives again: nothing
 * held, so no -EBUSY; answers find no caller; a later send is taken. */
static void
late_answer_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER), 0);
    work_until(8);
    assert_int_equal(prio_of(pica_thread_self()), 10); /* no caller left to boost it */
    /* The caller left: the reply holds nothing, so a receive goes on. */
    core_trace("recv=%s", ipc_err(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_NO_WAIT)));
    core_trace("reply=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    core_trace("reply=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    int err = pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER);
    trace_msg("recv", "late", err, &m);
    assert_int_equal(fake_now(), 9 * CORE_CPT);
}

void
test_reply_to_caller_that_timed_out_is_esrch(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&lone.reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_TICKS(5)};
    static struct party s = {.name = "s", .op = OP_SEND, .w0 = 30, .timeout = PICA_FOREVER,
                             .at = 9};
    party_spawn(&c, 5);
    party_spawn(&s, 12);
    core_spawn("srv", late_answer_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "c:call=ETIMEDOUT recv=EAGAIN reply=ESRCH reply=ESRCH "
                                       "recv:late=0 recv:w30:-:K:b0 s:send=0");
    assert_int_equal(c.done, 5 * CORE_CPT);
}

static void
twice_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    core_trace("unused=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    assert_int_equal(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER), 0);
    msg_set(&m, 60, NULL, NULL, 0);
    core_trace("first=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    core_trace("second=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    pica_ep_reply_drop(&lone.reply); /* nothing held: nobody hears of it */
}

void
test_reply_twice_and_unused_reply_are_esrch(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&lone.reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    party_spawn(&c, 15);
    core_spawn("srv", twice_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "unused=ESRCH first=0 second=ESRCH c:call=0 c:w60:-:K:b0");
}

void
test_reply_drop_gives_caller_epipe(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 3, .answer = ANSWER_DROP};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER,
                             .at = 1};
    server_spawn(&srv, 10);
    party_spawn(&c, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 c:call=EPIPE "
                                       "srv:dropped srv:prio=10");
    assert_int_equal(c.done, 3 * CORE_CPT);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_reply(&srv.reply, &m), -ESRCH);
}

/* The server holds c's call; s waits to send. Receiving again is refused
 * at once, whatever the timeout, and s still waits; once c is answered, s
 * is taken. */
static struct pica_thread *waiting_sender;

static void
busy_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER), 0);
    work_until(2);
    struct pica_msg again;
    msg_set(&again, 0, NULL, NULL, 0);
    core_trace("again=%s", ipc_err(pica_ep_recv(&test_ep, &again, &lone.reply, PICA_NO_WAIT)));
    core_trace("again=%s", ipc_err(pica_ep_recv(&test_ep, &again, &lone.reply, PICA_FOREVER)));
    assert_int_equal(fake_now(), 2 * CORE_CPT);
    assert_int_equal(waiting_sender->state, PICA_THREAD_BLOCKED);
    assert_int_equal(again.badge, 0xbad); /* untouched */
    msg_set(&m, 70, NULL, NULL, 0);
    core_trace("reply=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    int err = pica_ep_recv(&test_ep, &m, &lone.reply, PICA_NO_WAIT);
    trace_msg("srv", "recv", err, &m);
}

void
test_recv_while_holding_a_caller_is_ebusy(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&lone.reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    static struct party s = {.name = "s", .op = OP_SEND, .w0 = 30, .timeout = PICA_FOREVER,
                             .at = 1};
    party_spawn(&c, 5);
    waiting_sender = party_spawn(&s, 3);
    core_spawn("srv", busy_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "again=EBUSY again=EBUSY c:call=0 c:w70:-:K:b0 reply=0 "
                                       "s:send=0 srv:recv=0 srv:w30:-:K:b0");
}

void
test_reply_longer_than_callers_room_fails_both(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .text = "toolong"};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .room = 4,
                             .timeout = PICA_FOREVER, .at = 1};
    server_spawn(&srv, 10);
    party_spawn(&c, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 c:call=EMSGSIZE "
                                       "srv:reply=EMSGSIZE srv:prio=10");
    /* The call is over: the reply is empty. */
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_reply(&srv.reply, &m), -ESRCH);
}

/* ---- the server ends ---------------------------------------------------------- */

static struct pica_thread *victim;

static void
killer_entry(void *arg)
{
    pica_tick_t at = (pica_tick_t)(uintptr_t)arg;
    sleep_to(at);
    core_trace("kill=%s", ipc_err(pica_thread_kill(victim)));
}

void
test_server_killed_holding_a_reply_gives_caller_epipe(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 50};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    party_spawn(&c, 5);
    victim = server_spawn(&srv, 10);
    core_spawn("killer", killer_entry, (void *)(uintptr_t)3, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 kill=0 c:call=EPIPE");
    assert_int_equal(c.done, 3 * CORE_CPT);
    assert_int_equal(victim->state, PICA_THREAD_DEAD);
}

void
test_server_exiting_holding_a_reply_gives_caller_epipe(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 2, .answer = ANSWER_EXIT};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    party_spawn(&c, 5);
    server_spawn(&srv, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 c:call=EPIPE");
    assert_int_equal(c.done, 2 * CORE_CPT);
}

/* The server destroys the endpoint while it holds c's call: s, still
 * waiting to send, learns -EIDRM; c waits on the reply, and is answered. */
static void
destroying_server_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER), 0);
    core_trace("destroy=%d", pica_ep_destroy(&test_ep));
    msg_set(&m, 80, NULL, NULL, 0);
    core_trace("reply=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
}

void
test_destroy_leaves_a_taken_caller_to_its_server(void **state)
{
    (void)state;
    test_boot();
    pica_reply_init(&lone.reply);
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    static struct party s = {.name = "s", .op = OP_SEND, .w0 = 2, .timeout = PICA_FOREVER};
    party_spawn(&c, 5);
    party_spawn(&s, 6);
    core_spawn("srv", destroying_server_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "destroy=1 c:call=0 c:w80:-:K:b0 s:send=EIDRM reply=0");
}

/* ---- priority donation -------------------------------------------------------- */

static struct pica_thread *watched;

/* The most urgent thread: notes @watched's priority at each tick of the
 * 0-ended list @arg. */
static void
watcher_entry(void *arg)
{
    for (const pica_tick_t *t = arg; *t != 0; t++) {
        sleep_to(*t);
        core_trace("t%u:%d", (unsigned)*t, prio_of(watched));
        core_check_sched();
    }
}

void
test_server_runs_at_callers_priority_until_it_replies(void **state)
{
    (void)state;
    test_boot();
    static const pica_tick_t ticks[] = {1, 3, 6, 0};
    static struct server srv = {.name = "srv", .answer_at = 5};
    static struct party c = {.name = "c", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER,
                             .at = 2};
    watched = server_spawn(&srv, BASE);
    party_spawn(&c, 5);
    core_spawn("watcher", watcher_entry, (void *)ticks, 0);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "t1:20 srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 t3:5 "
                                       "c:call=0 c:w101:-:K:b0 srv:reply=0 srv:prio=20 t6:20");
    assert_int_equal(watched->ipc_prio, 0);
    assert_int_equal(watched->base_prio, BASE);
}

/* M, between the server and the caller, wakes at tick 3 while the boosted
 * server works: it runs only once the caller is answered. */
static void
medium_entry(void *arg)
{
    (void)arg;
    sleep_to(3);
    core_trace("M@%u", (unsigned)core_tick());
}

void
test_medium_thread_does_not_preempt_boosted_server(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 6};
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER,
                             .at = 1};
    server_spawn(&srv, BASE);
    party_spawn(&h, 5);
    core_spawn("M", medium_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 "
                                       "H:call=0 H:w101:-:K:b0 M@6 srv:reply=0 srv:prio=20");
}

static struct pica_thread *server_thread;

static void
kill_caller_entry(void *arg)
{
    (void)arg;
    sleep_to(3);
    int err = pica_thread_kill(victim);
    core_trace("kill=%s:srv%d", ipc_err(err), prio_of(server_thread));
}

static void
medium_at_4_entry(void *arg)
{
    (void)arg;
    sleep_to(4);
    core_trace("M@%u", (unsigned)core_tick());
}

void
test_killed_caller_drops_the_boost(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 8};
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    victim = party_spawn(&h, 5);
    server_thread = server_spawn(&srv, BASE);
    core_spawn("killer", kill_caller_entry, NULL, 1);
    core_spawn("M", medium_at_4_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=5 kill=0:srv20 M@4 "
                                       "srv:reply=ESRCH srv:prio=20");
}

/* The caller's priority changes while the server holds its call: the
 * server's follows, up and down. */
static void
prio_changer_entry(void *arg)
{
    (void)arg;
    static const unsigned prios[] = {3, 12, 8};
    for (unsigned i = 0; i < 3; i++) {
        sleep_to(2 + i);
        assert_int_equal(pica_thread_set_prio(victim, prios[i]), 0);
        core_trace("H%u:srv%d", prios[i], prio_of(server_thread));
    }
}

void
test_caller_priority_change_follows_to_server(void **state)
{
    (void)state;
    test_boot();
    static struct server srv = {.name = "srv", .answer_at = 6};
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER};
    victim = party_spawn(&h, 8);
    server_thread = server_spawn(&srv, BASE);
    core_spawn("ctl", prio_changer_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:recv=0 srv:w1:-:KC:b0 srv:prio=8 H3:srv3 H12:srv12 "
                                       "H8:srv8 H:call=0 H:w101:-:K:b0 srv:reply=0 srv:prio=20");
}

/* One server holds two calls in two replies: it runs at the more urgent
 * caller's priority, then at the other's once that one is answered. */
static void
two_replies_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r1, r2;
    pica_reply_init(&r1);
    pica_reply_init(&r2);
    struct pica_msg m1, m2;
    msg_set(&m1, 0, NULL, NULL, 0);
    msg_set(&m2, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m1, &r1, PICA_FOREVER), 0);
    core_trace("srv:%u:%d", (unsigned)m1.w[0], prio_of(pica_thread_self()));
    assert_int_equal(pica_ep_recv(&test_ep, &m2, &r2, PICA_FOREVER), 0);
    core_trace("srv:%u:%d", (unsigned)m2.w[0], prio_of(pica_thread_self()));
    assert_int_equal(pica_ep_reply(&r2, &m2), 0);
    core_trace("srv:%d", prio_of(pica_thread_self()));
    assert_int_equal(pica_ep_reply(&r1, &m1), 0);
    core_trace("srv:%d", prio_of(pica_thread_self()));
}

void
test_server_holding_two_replies_runs_at_the_more_urgent(void **state)
{
    (void)state;
    test_boot();
    static struct party c1 = {.name = "C1", .op = OP_CALL, .w0 = 10, .timeout = PICA_FOREVER};
    static struct party c2 = {.name = "C2", .op = OP_CALL, .w0 = 20, .timeout = PICA_FOREVER,
                              .at = 1};
    party_spawn(&c1, 10);
    party_spawn(&c2, 5);
    core_spawn("srv", two_replies_entry, NULL, BASE);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "srv:10:10 srv:20:5 C2:call=0 C2:w20:-:K:b0 srv:10 "
                                       "C1:call=0 C1:w10:-:K:b0 srv:20");
}

/* S1 holds H's call and calls S2 on its own behalf: S2 runs at H's
 * priority, and a rise of H's reaches it through S1. */
static struct pica_ep inner_ep;
static struct pica_thread *s1_thread, *s2_thread;

static void
s1_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r;
    pica_reply_init(&r);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &r, PICA_FOREVER), 0);
    struct pica_msg inner;
    msg_set(&inner, 40, NULL, NULL, 0);
    int err = pica_ep_call(&inner_ep, &inner, PICA_FOREVER);
    trace_msg("S1", "call", err, &inner);
    core_trace("S1:%d", prio_of(pica_thread_self()));
    assert_int_equal(pica_ep_reply(&r, &inner), 0);
    core_trace("S1:%d", prio_of(pica_thread_self()));
}

static void
s2_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r;
    pica_reply_init(&r);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&inner_ep, &m, &r, PICA_FOREVER), 0);
    core_trace("S2:%d", prio_of(pica_thread_self()));
    work_until(4);
    msg_set(&m, m.w[0] + 100, NULL, NULL, 0);
    assert_int_equal(pica_ep_reply(&r, &m), 0);
    core_trace("S2:%d", prio_of(pica_thread_self()));
}

static void
raise_h_entry(void *arg)
{
    (void)arg;
    sleep_to(2);
    assert_int_equal(pica_thread_set_prio(victim, 2), 0);
    core_trace("H2:S1=%d:S2=%d", prio_of(s1_thread), prio_of(s2_thread));
}

void
test_donation_passes_down_a_nested_call(void **state)
{
    (void)state;
    test_boot();
    assert_int_equal(pica_ep_init(&inner_ep), 0);
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER,
                             .at = 1};
    victim = party_spawn(&h, 5);
    s1_thread = core_spawn("S1", s1_entry, NULL, BASE);
    s2_thread = core_spawn("S2", s2_entry, NULL, 25);
    core_spawn("ctl", raise_h_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "S2:5 H2:S1=2:S2=2 S1:call=0 S1:w140:-:K:b0 S1:2 "
                                       "H:call=0 H:w140:-:K:b0 S1:20 S2:25");
}

/* ---- donation and mutex inheritance ----------------------------------------- */

static struct pica_mutex mu;
static struct pica_thread *low;

/* L holds mu from tick 0 to tick 10. */
static void
low_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_mutex_lock(&mu, PICA_FOREVER), 0);
    work_until(10);
    core_trace("L:unlock@%u", (unsigned)core_tick());
    assert_int_equal(pica_mutex_unlock(&mu), 0);
    core_trace("L:%d", prio_of(pica_thread_self()));
}

/* Serves one call, which needs mu. */
static void
locking_server_entry(void *arg)
{
    (void)arg;
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&test_ep, &m, &lone.reply, PICA_FOREVER), 0);
    assert_int_equal(pica_mutex_lock(&mu, PICA_FOREVER), 0);
    core_trace("srv:locked@%u:%d", (unsigned)core_tick(), prio_of(pica_thread_self()));
    assert_int_equal(pica_mutex_unlock(&mu), 0);
    core_trace("srv:reply=%s", ipc_err(pica_ep_reply(&lone.reply, &m)));
    core_trace("srv:%d", prio_of(pica_thread_self()));
}

/* Notes L's and the server's priorities at each tick of the 0-ended list
 * @arg. */
static void
prios_entry(void *arg)
{
    for (const pica_tick_t *t = arg; *t != 0; t++) {
        sleep_to(*t);
        core_trace("t%u:L%d/S%d", (unsigned)*t, prio_of(low), prio_of(server_thread));
    }
}

static void
start_mutex_chain(unsigned caller_prio, pica_timeout_t caller_timeout)
{
    test_boot();
    pica_reply_init(&lone.reply);
    assert_int_equal(pica_mutex_init(&mu), 0);
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .at = 1};
    h.timeout = caller_timeout;
    low = core_spawn("L", low_entry, NULL, 25);
    server_thread = core_spawn("srv", locking_server_entry, NULL, BASE);
    victim = party_spawn(&h, caller_prio);
}

void
test_boosted_server_passes_priority_to_mutex_owner(void **state)
{
    (void)state;
    static const pica_tick_t ticks[] = {2, 0};
    start_mutex_chain(5, PICA_FOREVER);
    core_spawn("watcher", prios_entry, (void *)ticks, 0);
    core_spawn("M", medium_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* From tick 1 the server (20) holds H's call (5) and waits for mu: L
     * (25) runs at 5, so M (10, ready from tick 3) waits until tick 10. */
    assert_string_equal(core_traced(), "t2:L5/S5 L:unlock@10 srv:locked@10:5 H:call=0 "
                                       "H:w1:-:K:b0 M@10 srv:reply=0 srv:20 L:25");
}

/* The caller's rise and its death reach L through the blocked server. */
static void
chain_ctl_entry(void *arg)
{
    (void)arg;
    sleep_to(2);
    core_trace("t2:L%d/S%d", prio_of(low), prio_of(server_thread));
    assert_int_equal(pica_thread_set_prio(victim, 3), 0);
    core_trace("H3:L%d/S%d", prio_of(low), prio_of(server_thread));
    sleep_to(4);
    assert_int_equal(pica_thread_kill(victim), 0);
    core_trace("kill:L%d/S%d", prio_of(low), prio_of(server_thread));
}

void
test_boost_changes_reach_mutex_owner_through_blocked_server(void **state)
{
    (void)state;
    start_mutex_chain(12, PICA_FOREVER);
    core_spawn("ctl", chain_ctl_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* After the kill L still inherits the server's own 20. */
    assert_string_equal(core_traced(), "t2:L12/S12 H3:L3/S3 kill:L20/S20 L:unlock@10 "
                                       "srv:locked@10:20 srv:reply=ESRCH srv:20 L:25");
}

/* The caller times out (at tick 5) while the server waits for mu: L loses
 * what it inherited through the server. */
void
test_caller_timeout_reaches_mutex_owner_through_blocked_server(void **state)
{
    (void)state;
    static const pica_tick_t ticks[] = {2, 6, 0};
    start_mutex_chain(5, PICA_TICKS(4));
    core_spawn("watcher", prios_entry, (void *)ticks, 0);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "t2:L5/S5 H:call=ETIMEDOUT t6:L20/S20 L:unlock@10 "
                                       "srv:locked@10:20 srv:reply=ESRCH srv:20 L:25");
}

/* S1 holds H's call and waits in a call to S2 when it is killed: S2 loses
 * the donation at once and H learns -EPIPE; S2's answer finds nobody. */
static void
kill_s1_entry(void *arg)
{
    (void)arg;
    sleep_to(2);
    assert_int_equal(pica_thread_kill(s1_thread), 0);
    core_trace("kill:S2=%d", prio_of(s2_thread));
}

static void
s2_answer_entry(void *arg)
{
    (void)arg;
    static struct pica_reply r;
    pica_reply_init(&r);
    struct pica_msg m;
    msg_set(&m, 0, NULL, NULL, 0);
    assert_int_equal(pica_ep_recv(&inner_ep, &m, &r, PICA_FOREVER), 0);
    core_trace("S2:%d", prio_of(pica_thread_self()));
    work_until(4);
    core_trace("S2:reply=%s", ipc_err(pica_ep_reply(&r, &m)));
}

void
test_server_killed_in_a_nested_call_frees_both_ends(void **state)
{
    (void)state;
    test_boot();
    assert_int_equal(pica_ep_init(&inner_ep), 0);
    static struct party h = {.name = "H", .op = OP_CALL, .w0 = 1, .timeout = PICA_FOREVER,
                             .at = 1};
    party_spawn(&h, 5);
    s1_thread = core_spawn("S1", s1_entry, NULL, BASE);
    s2_thread = core_spawn("S2", s2_answer_entry, NULL, 25);
    core_spawn("ctl", kill_s1_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "S2:5 kill:S2=25 H:call=EPIPE S2:reply=ESRCH");
    assert_int_equal(h.done, 2 * CORE_CPT);
}
