/* SPDX-License-Identifier: MIT */
/* Helpers of the IPC host tests (kernel/ipc.c, kernel/notify.c on the fake
 * port): parties, threads that make one send, receive or call and trace
 * what they got; time helpers; names for results. ipc_test.c. The tests
 * of calls, replies and donation (ipc_calls.c) run in test_ipc.c's table. */
#pragma once

#include <stdint.h>

#include <pica/ipc.h>

#include "core_test.h"

enum party_op { OP_SEND, OP_RECV, OP_CALL };

/* One send, receive or call by a thread, and its outcome. The words sent
 * are w0, w0 + 1, w0 + 2, w0 + 3; the bytes, @text without its NUL. */
struct party {
    const char *name;
    enum party_op op;
    struct pica_ep *ep; /* NULL: &test_ep */
    uint32_t w0;
    const char *text;      /* NULL: no bytes */
    uint32_t room;         /* bytes it can receive */
    pica_timeout_t timeout;
    pica_tick_t at;        /* starts at this tick */
    /* set by the thread */
    struct pica_reply reply; /* a receiver's */
    struct pica_msg m;
    char buf[32];
    int err;
    uint64_t done; /* fake_now() as the call returned */
};

/* The endpoint parties use by default; test_boot() makes it afresh. */
extern struct pica_ep test_ep;

/* core_boot() and test_ep. */
void test_boot(void);

/* Start @p in a thread of priority @prio. On return it traces
 * "<name>:<op>=<result>" and, for a message received (a receive, or a
 * call's answer), ":w<w0>:<bytes or ->:<info: K kernel, C call, N notify>:b<badge>";
 * words other than w0, w0 + 1, ... fail the test. */
struct pica_thread *party_spawn(struct party *p, unsigned prio);

/* Trace @m as party_spawn() does after a receipt. */
void trace_msg(const char *who, const char *what, int err, const struct pica_msg *m);

/* A message with words w0, w0 + 1, ..., the string @text (or none) at
 * @buf (which it is copied to) and @room bytes of room at @buf. */
void msg_set(struct pica_msg *m, uint32_t w0, char *buf, const char *text, uint32_t room);

/* Sleep until tick @tick (at once if it has begun). */
void sleep_to(pica_tick_t tick);
/* Work (let the clock run in this thread) until tick @tick. */
void work_until(pica_tick_t tick);

/* A result as a word for traces: "0", "EMSGSIZE", ...; a positive value
 * (a notification's word) in hex. */
const char *ipc_err(int result);

/* ipc_calls.c */
void test_call_reply_with_server_waiting_first(void **state);
void test_call_reply_with_caller_waiting_first(void **state);
void test_reply_to_caller_that_timed_out_is_esrch(void **state);
void test_reply_twice_and_unused_reply_are_esrch(void **state);
void test_reply_drop_gives_caller_epipe(void **state);
void test_recv_while_holding_a_caller_is_ebusy(void **state);
void test_reply_longer_than_callers_room_fails_both(void **state);
void test_server_killed_holding_a_reply_gives_caller_epipe(void **state);
void test_server_exiting_holding_a_reply_gives_caller_epipe(void **state);
void test_destroy_leaves_a_taken_caller_to_its_server(void **state);
void test_server_runs_at_callers_priority_until_it_replies(void **state);
void test_medium_thread_does_not_preempt_boosted_server(void **state);
void test_killed_caller_drops_the_boost(void **state);
void test_caller_priority_change_follows_to_server(void **state);
void test_server_holding_two_replies_runs_at_the_more_urgent(void **state);
void test_donation_passes_down_a_nested_call(void **state);
void test_boosted_server_passes_priority_to_mutex_owner(void **state);
void test_boost_changes_reach_mutex_owner_through_blocked_server(void **state);
void test_caller_timeout_reaches_mutex_owner_through_blocked_server(void **state);
void test_server_killed_in_a_nested_call_frees_both_ends(void **state);
