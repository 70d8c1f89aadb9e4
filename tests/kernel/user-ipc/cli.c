/* SPDX-License-Identifier: MIT */
/* The user-ipc test's client (main.c has the plan): calls the server with
 * words, bytes and capabilities, and checks every answer; then the attacks
 * on slots and replies, timeouts of every blocking call, ordering by
 * priority then FIFO, a revoke reaching it, the interrupt handler's
 * notifications, and the server killed while it waits. Exits with its
 * number of failures. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pica/user/pica_user.h>

#include "ipc_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("cli: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static int badged = -1;
static volatile int queued_result = 1;

static int
call(int ep, uint32_t op, uint32_t a, struct pica_user_ipc *m)
{
    const uint32_t w[4] = {op, a, 0, 0};
    return sys_ep_call(ep, w, m);
}

static void
echo_words_and_bytes(void)
{
    static uint8_t bytes[64];
    for (unsigned i = 0; i < sizeof(bytes); i++) {
        bytes[i] = (uint8_t)(i * 3 + 1);
    }
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    m.buf = (uint32_t)(uintptr_t)bytes;
    m.len = sizeof(bytes);
    m.room = sizeof(bytes);
    const uint32_t w[4] = {OP_ECHO, 10, 20, 30};
    CHECK_EQ("echo", sys_ep_call(CLI_EP, w, &m), 0);
    CHECK_EQ("echo: badge seen (none)", m.w[0], 0);
    CHECK_EQ("echo: w1", m.w[1], 11);
    CHECK_EQ("echo: w2", m.w[2], 22);
    CHECK_EQ("echo: w3", m.w[3], 33);
    CHECK_EQ("echo: length", m.len, sizeof(bytes));
    int wrong = 0;
    for (unsigned i = 0; i < sizeof(bytes); i++) {
        wrong += bytes[i] != (uint8_t)((63 - i) * 3 + 1);
    }
    CHECK_EQ("echo: bytes reversed", wrong, 0);
    /* An answer longer than the room: refused, nothing written. */
    sys_ipc_init(&m, SYS_FOREVER);
    m.buf = (uint32_t)(uintptr_t)bytes;
    m.len = sizeof(bytes);
    m.room = 8;
    CHECK_EQ("answer too long", sys_ep_call(CLI_EP, w, &m), -EMSGSIZE);
    CHECK_EQ("too long: untouched", bytes[0], (uint8_t)(63 * 3 + 1));
    sys_ipc_init(&m, SYS_FOREVER);
    m.buf = 0x10; /* not the process's */
    m.len = 4;
    CHECK_EQ("bytes from elsewhere", sys_ep_call(CLI_EP, w, &m), -EFAULT);
}

static void
capabilities(void)
{
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    m.recv_caps[0] = CLI_GO; /* taken */
    CHECK_EQ("receive into a taken slot", call(CLI_EP, OP_GETCAP, 0, &m), -EEXIST);
    sys_ipc_init(&m, SYS_FOREVER);
    m.recv_caps[0] = 10;
    CHECK_EQ("getcap", call(CLI_EP, OP_GETCAP, 0, &m), 0);
    CHECK_EQ("getcap: slot", m.got_caps[0], 10);
    badged = 10;
    CHECK_EQ("getcap: type and rights", sys_cap_info(badged),
             PICA_USER_CAP_EP | (PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT) << 8);
    CHECK_EQ("getcap: badge", sys_cap_badge(badged), CAP_BADGE);
    const uint32_t w[4] = {OP_ECHO, 1, 2, 3};
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("echo through the badge", sys_ep_call(badged, w, &m), 0);
    CHECK_EQ("the server saw the badge", m.w[0], CAP_BADGE);
    CHECK_EQ("widen", sys_cap_copy(badged, PICA_SLOT_ANY, PICA_USER_RIGHT_READ), -EPERM);
    CHECK_EQ("forge a badge", sys_cap_mint(badged, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, 9), -EPERM);
    int weak = sys_cap_copy(badged, 11, PICA_USER_RIGHT_WRITE);
    CHECK_EQ("copy with less", weak, 11);
    CHECK_EQ("and back", sys_cap_copy(weak, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT),
             -EPERM);
    /* Granting what one holds without the grant right. */
    sys_ipc_init(&m, SYS_FOREVER);
    m.send_caps[0] = (uint8_t)weak;
    CHECK_EQ("grant without the right", sys_ep_call(CLI_EP, w, &m), -EPERM);
    /* The server passing one without the right: its answer is refused. */
    sys_ipc_init(&m, SYS_FOREVER);
    m.recv_caps[0] = 12;
    CHECK_EQ("answer granting without the right", call(CLI_EP, OP_NOGRANT, 0, &m), -EPERM);
    CHECK_EQ("nothing landed", sys_cap_info(12), -EBADF);
    /* Forged slots. */
    CHECK_EQ("slot out of range", call(200, OP_ECHO, 0, NULL), -EBADF);
    CHECK_EQ("empty slot", call(30, OP_ECHO, 0, NULL), -EBADF);
    CHECK_EQ("a semaphore", call(CLI_SYNC, OP_ECHO, 0, NULL), -EBADF);
    CHECK_EQ("receive without the right", sys_ep_recv(badged, &m), -EPERM);
}

static void
replies(void)
{
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("saved reply", call(CLI_EP, OP_SAVE, 0, &m), 0);
    CHECK_EQ("saved reply: word", m.w[1], 77);
    sys_ipc_init(&m, 20000);
    CHECK_EQ("call timed out", call(CLI_EP, OP_SLOW, 0, &m), -ETIMEDOUT);
    CHECK_EQ("no answer to a reply never received", sys_ep_reply(PICA_SLOT_ANY, m.w, NULL), -ESRCH);
    CHECK_EQ("no saved reply", sys_reply_save(), -ESRCH);
}

static void
timeouts(void)
{
    int ep = sys_ep_create();
    CHECK_EQ("create", ep >= 0, 1);
    struct pica_user_ipc m;
    const uint32_t w[4] = {0, 0, 0, 0};
    sys_ipc_init(&m, 5000);
    CHECK_EQ("recv times out", sys_ep_recv(ep, &m), -ETIMEDOUT);
    sys_ipc_init(&m, 5000);
    CHECK_EQ("send times out", sys_ep_send(ep, w, &m), -ETIMEDOUT);
    sys_ipc_init(&m, 5000);
    CHECK_EQ("call times out", sys_ep_call(ep, w, &m), -ETIMEDOUT);
    sys_ipc_init(&m, 5000);
    CHECK_EQ("reply_recv times out", sys_ep_reply_recv(ep, w, &m), -ETIMEDOUT);
    sys_ipc_init(&m, SYS_NO_WAIT);
    CHECK_EQ("recv, no wait", sys_ep_recv(ep, &m), -EAGAIN);
    CHECK_EQ("send, no wait", sys_ep_send(ep, w, &m), -EAGAIN);
    int n = sys_ntfn_create();
    CHECK_EQ("ntfn", n >= 0, 1);
    CHECK_EQ("wait times out", sys_ntfn_wait(n, 5000), -ETIMEDOUT);
    CHECK_EQ("wait, no wait", sys_ntfn_wait(n, SYS_NO_WAIT), -EAGAIN);
    CHECK_EQ("poll", sys_ntfn_poll(n), 0);
    int b = sys_cap_mint(n, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, 0x6);
    CHECK_EQ("signal", sys_ntfn_signal(b), 0);
    CHECK_EQ("signal unbadged", sys_ntfn_signal(n), 0);
    CHECK_EQ("poll takes the bits", sys_ntfn_poll(n), 0x7);
    CHECK_EQ("poll again", sys_ntfn_poll(n), 0);
    CHECK_EQ("delete", sys_cap_delete(ep), 0);
    CHECK_EQ("delete", sys_cap_delete(n), 0);
    CHECK_EQ("delete", sys_cap_delete(b), 0);
}

/* ---- a revoke reaching a caller queued through the revoked copy ---- */

static void
queued_caller(void *arg)
{
    (void)arg;
    queued_result = call(badged, OP_ECHO, 0, NULL);
}

static void
revoke(void)
{
    int copy = sys_cap_copy(badged, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE); /* a grandchild */
    CHECK_EQ("copy", copy >= 0, 1);
    int t = sys_thread_create(queued_caller, NULL, sys_prio() + 1);
    CHECK_EQ("thread", t >= 0, 1);
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("revoke", call(CLI_EP, OP_REVOKE, 0, &m), 0);
    CHECK_EQ("revoked: how many", m.w[1], 4); /* badged, weak, copy, and srv's own copy */
    CHECK_EQ("badged gone", sys_cap_info(badged), -EBADF);
    CHECK_EQ("weak gone", sys_cap_info(11), -EBADF);
    CHECK_EQ("copy gone", sys_cap_info(copy), -EBADF);
    CHECK_EQ("join", pica_sys_thread_join((uint32_t)t, SYS_FOREVER), 0);
    CHECK_EQ("the queued caller woke", queued_result, -EIDRM);
    CHECK_EQ("call through a revoked slot", call(badged, OP_ECHO, 0, NULL), -EBADF);
}

/* ---- ordering: priority, then FIFO ---- */

static void
tagger(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    if (id == 3) {
        sys_sleep_us(5000); /* arrives last, served first */
    }
    (void)call(CLI_EP, OP_TAG, id, NULL);
}

static void
ordering(void)
{
    int p = sys_prio();
    int t1 = sys_thread_create(tagger, (void *)1, p + 2);
    int t2 = sys_thread_create(tagger, (void *)2, p + 2);
    int t3 = sys_thread_create(tagger, (void *)3, p + 1);
    CHECK_EQ("threads", t1 >= 0 && t2 >= 0 && t3 >= 0, 1);
    CHECK_EQ("hold", call(CLI_EP, OP_HOLD, 0, NULL), 0);
    CHECK_EQ("join", pica_sys_thread_join((uint32_t)t1, SYS_FOREVER), 0);
    CHECK_EQ("join", pica_sys_thread_join((uint32_t)t2, SYS_FOREVER), 0);
    CHECK_EQ("join", pica_sys_thread_join((uint32_t)t3, SYS_FOREVER), 0);
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("order", call(CLI_EP, OP_ORDER, 0, &m), 0);
    CHECK_EQ("served first: the most urgent", m.w[1], 3);
    CHECK_EQ("then the first of the equals", m.w[2], 1);
    CHECK_EQ("then the second", m.w[3], 2);
}

/* ---- notifications from an interrupt handler ---- */

static void
interrupts(void)
{
    CHECK_EQ("ready", sys_sem_give(CLI_SYNC), 0);
    int bits = 0, wakes = 0;
    while (bits < 2 * ISR_SIGNALS) {
        int word = sys_ntfn_wait(CLI_NTFN, 2000000);
        if (word <= 0) {
            printf("cli: FAIL notification wait: %d after %d bits\n", word, bits);
            failures++;
            break;
        }
        bits += __builtin_popcount((unsigned)word);
        wakes++;
    }
    CHECK_EQ("bits counted", bits, 2 * ISR_SIGNALS);
    CHECK_EQ("done", sys_sem_take(CLI_GO, SYS_FOREVER), 0);
    CHECK_EQ("nothing more", sys_ntfn_poll(CLI_NTFN), 0);
    printf("cli: %d interrupts, %d bits in %d wake-ups\n", ISR_SIGNALS, bits, wakes);
}

int
user_main(void)
{
    echo_words_and_bytes();
    capabilities();
    replies();
    timeouts();
    revoke();
    ordering();
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("stats", call(CLI_EP, OP_STATS, 0, &m), 0);
    CHECK_EQ("the server's notifications", m.w[1], NOTIFY_BITS);
    CHECK_EQ("the server's late answer", (int32_t)m.w[2], -ESRCH);
    CHECK_EQ("the server's failures", m.w[3], 0);
    interrupts();
    /* Last: the kernel kills the server while this call waits. */
    CHECK_EQ("server killed mid-call", call(CLI_EP, OP_HANG, 0, NULL), -EPIPE);
    sys_ipc_init(&m, 10000);
    CHECK_EQ("nobody receives now", call(CLI_EP, OP_ECHO, 0, &m), -ETIMEDOUT);
    printf("cli: %d failures\n", failures);
    return failures;
}
