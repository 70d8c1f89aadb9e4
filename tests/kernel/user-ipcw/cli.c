/* SPDX-License-Identifier: MIT */
/* The user-ipcw test's client (main.c has the plan): register calls to
 * each server, words and badges checked both ways, the refusals, timeouts
 * of both blocking register calls, a revoke waking a waiting register
 * caller, a server that ends holding the call, and last a call the kernel
 * ends by killing the server. Exits with its number of failures. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "ipcw_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("cli: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

#define CALL_FLAG (PICA_USER_MSG_CALL << PICA_USER_MSG_SHIFT)

/* A register call of OP_ECHO through @slot: the answer's words checked. */
static void
echo(const char *what, int slot, uint32_t badge)
{
    uint32_t w[4] = {OP_ECHO, 10, 20, 30};
    CHECK_EQ(what, sys_ep_callw(slot, w, SYS_FOREVER), 0);
    CHECK_EQ("the server's receive", w[0], CALL_FLAG | badge);
    CHECK_EQ("word 1", w[1], 11);
    CHECK_EQ("word 2", w[2], 22);
    CHECK_EQ("word 3", w[3], 33);
}

static void
words_and_badges(void)
{
    echo("register call", CLI_EW, 0);
    echo("register call to a struct server", CLI_EB, 0);
    int minted = sys_cap_mint(CLI_EW, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, MAX_BADGE);
    CHECK_EQ("mint the widest badge", minted >= 0, 1);
    echo("register call, badged", minted, MAX_BADGE);
    CHECK_EQ("a badge too wide",
             sys_cap_mint(CLI_EW, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, MAX_BADGE + 1u), -EINVAL);
    sys_cap_delete(minted);

    /* A struct call to the register server: its words come back in m.w. */
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    const uint32_t req[4] = {OP_ECHO, 1, 2, 3};
    CHECK_EQ("struct call to a register server", sys_ep_call(CLI_EW, req, &m), 0);
    CHECK_EQ("its answer", m.w[0] == CALL_FLAG && m.w[1] == 2 && m.w[2] == 4 && m.w[3] == 6, 1);
    /* Bytes for a receiver with no room are refused to their sender. */
    static uint8_t bytes[8] = {1, 2, 3};
    m.buf = (uint32_t)(uintptr_t)bytes;
    m.len = sizeof(bytes);
    CHECK_EQ("bytes to a register receiver", sys_ep_call(CLI_EW, req, &m), -EMSGSIZE);
}

static void
refusals(void)
{
    uint32_t w[4] = {OP_ECHO, 1, 2, 3};
    CHECK_EQ("a slot out of range", sys_ep_callw(200, w, SYS_FOREVER), -EBADF);
    int gone = sys_cap_copy(CLI_EW, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
    CHECK_EQ("a copy to delete", gone >= 0 && sys_cap_delete(gone) == 0, 1);
    CHECK_EQ("an empty slot", sys_ep_callw(gone, w, SYS_FOREVER), -EBADF);
    int nowrite = sys_cap_copy(CLI_EW, PICA_SLOT_ANY, PICA_USER_RIGHT_GRANT);
    CHECK_EQ("copy without write", nowrite >= 0, 1);
    CHECK_EQ("call without write", sys_ep_callw(nowrite, w, SYS_FOREVER), -EPERM);
    CHECK_EQ("receive without read", sys_ep_recvw(CLI_EW, w, SYS_FOREVER), -EPERM);
    CHECK_EQ("words untouched by a refusal", w[0] == OP_ECHO && w[3] == 3, 1);
    sys_cap_delete(nowrite);
}

static int own = -1;
static volatile int waiter_result = 1;

static void
waiter(void *arg)
{
    int copy = (int)(uintptr_t)arg;
    uint32_t w[4] = {OP_ECHO, 0, 0, 0};
    waiter_result = sys_ep_callw(copy, w, SYS_FOREVER);
}

static void
timeouts_and_revoke(void)
{
    own = sys_ep_create();
    CHECK_EQ("an endpoint of its own", own >= 0, 1);
    uint32_t w[4] = {OP_ECHO, 0, 0, 0};
    uint64_t t0 = sys_uptime_us();
    CHECK_EQ("receive times out", sys_ep_recvw(own, w, 5000), -ETIMEDOUT);
    uint64_t t1 = sys_uptime_us();
    CHECK_EQ("call times out", sys_ep_callw(own, w, 5000), -ETIMEDOUT);
    uint64_t t2 = sys_uptime_us();
    CHECK_EQ("the receive waited", t1 - t0 >= 5000, 1);
    CHECK_EQ("the call waited", t2 - t1 >= 5000, 1);

    /* A caller waiting through a copy wakes with -EIDRM when the copy is
     * revoked. */
    int copy = sys_cap_copy(own, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
    CHECK_EQ("copy", copy >= 0, 1);
    int t = sys_thread_create(waiter, (void *)(uintptr_t)copy, sys_prio());
    CHECK_EQ("waiter", t >= 0, 1);
    sys_sleep_us(3000);
    CHECK_EQ("still waiting", waiter_result, 1);
    CHECK_EQ("revoke", sys_cap_revoke(own), 1);
    CHECK_EQ("join", sys_thread_join(t, SYS_FOREVER), 0);
    CHECK_EQ("the waiting caller", waiter_result, -EIDRM);
    CHECK_EQ("delete", sys_cap_delete(own), 0);
}

/* Servers waiting with a deadline, one more urgent than the client, one
 * less: a few calls apart, so that some find the server waiting afresh. */
static void
timed_servers(void)
{
    for (int i = 0; i < 4 && !IPCW_SMALL; i++) {
        echo("a server waiting with a timeout", CLI_ET, 0);
        echo("a server less urgent than its caller", CLI_EL, 0);
        sys_sleep_us((i & 1) * 7000u); /* past the servers' 5 ms */
    }
}

/* Where there is an FPU: s0 (saved lazily by the CPU in the frame) and
 * s16 (by the switch) hold values across a register call the server
 * answers with its own in them (srv.c: answer). */
static void
fp_kept(void)
{
#if defined(__arm__) && defined(__ARM_FP)
    register uint32_t r0 __asm__("r0") = CLI_EW;
    register uint32_t r1 __asm__("r1") = OP_ECHO; /* the words, as sys_ep_callw() */
    register uint32_t r2 __asm__("r2") = 10;
    register uint32_t r3 __asm__("r3") = 20;
    register uint32_t r4 __asm__("r4") = 30;
    register uint32_t r5 __asm__("r5") = SYS_FOREVER;
    register uint32_t r12 __asm__("r12");
    register uint32_t r7 __asm__("r7") = PICA_SYS_EP_CALLW;
    uint32_t s0, s16;
    __asm volatile("vmov s0, %[a]\n\t"
                   "vmov s16, %[b]\n\t"
                   "svc #0\n\t"
                   "vmov %[s0], s0\n\t"
                   "vmov %[s16], s16"
                   : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "=r"(r12), [s0] "=&r"(s0),
                     [s16] "=&r"(s16)
                   : "r"(r4), "r"(r5), "r"(r7), [a] "r"(0x3fc00000u), [b] "r"(0x40490fdbu)
                   : "s0", "s16", "memory", "cc");
    CHECK_EQ("register call with an FP context", r0, 0);
    CHECK_EQ("its answer", r2 == 11 && r3 == 22 && r12 == 33, 1);
    CHECK_EQ("s0 kept", s0, 0x3fc00000u);
    CHECK_EQ("s16 kept", s16, 0x40490fdbu);
#endif
}

/* Where there is an FPU: a thread that has never used it finds nothing of
 * another process's in its FP registers. The server leaves values of its
 * own in s0 and s16 as it answers (srv.c: answer), and a thread of this
 * process that has never run an FP instruction reads them just after. */
#if defined(__arm__) && defined(__ARM_FP)
static volatile int fresh_err = 1;
static volatile uint32_t fresh_s0 = 1, fresh_s16 = 1;

static void
fresh_fp(void *arg)
{
    (void)arg;
    uint32_t w[4] = {OP_ECHO, 5, 0, 0};
    fresh_err = sys_ep_callw(CLI_EW, w, SYS_FOREVER);
    uint32_t s0, s16;
    __asm volatile("vmov %0, s0\n\tvmov %1, s16" : "=r"(s0), "=r"(s16));
    fresh_s0 = s0;
    fresh_s16 = s16;
}
#endif

static void
fp_not_leaked(void)
{
#if defined(__arm__) && defined(__ARM_FP)
    int t = sys_thread_create(fresh_fp, NULL, sys_prio());
    CHECK_EQ("a thread that never used the FPU", t >= 0, 1);
    CHECK_EQ("join it", sys_thread_join(t, SYS_FOREVER), 0);
    CHECK_EQ("its call", fresh_err, 0);
    CHECK_EQ("s0 holds nothing of the server's", fresh_s0, 0);
    CHECK_EQ("s16 holds nothing of the server's", fresh_s16, 0);
#endif
}

/* Priority donation: a server less urgent than this client, and a thread
 * of this process between the two, CPU-bound for HOG_US. The server works
 * for the call at the client's priority, so the hog waits for the answer
 * rather than the answer for the hog. Virtual time, so the bound is exact. */
static volatile int hog_done;

static void
hog(void *arg)
{
    (void)arg;
    uint64_t t0 = sys_uptime_us();
    while (sys_uptime_us() - t0 < HOG_US) {
    }
    hog_done = 1;
}

static void
donation(void)
{
    int t = sys_thread_create(hog, NULL, sys_prio() + 1);
    CHECK_EQ("hog", t >= 0, 1);
    uint32_t w[4] = {OP_SPIN, 10, 20, 30};
    uint64_t t0 = sys_uptime_us();
    CHECK_EQ("a call the server works on", sys_ep_callw(CLI_EL, w, SYS_FOREVER), 0);
    uint64_t took = sys_uptime_us() - t0;
    CHECK_EQ("the answer came before the hog ended", hog_done, 0);
    CHECK_EQ("in about the server's work", took < SPIN_US + HOG_US / 4, 1);
    CHECK_EQ("join the hog", sys_thread_join(t, SYS_FOREVER), 0);
}

int
user_main(void)
{
    fp_kept();
    fp_not_leaked();
    words_and_badges();
    timed_servers();
    if (!IPCW_SMALL) {
        donation();
    }
    refusals();
    timeouts_and_revoke();
    uint32_t w[4] = {OP_ECHO, 0, 0, 0};
    CHECK_EQ("a server that ends holding the call", sys_ep_callw(CLI_ED, w, SYS_FOREVER), -EPIPE);
    /* Last: the kernel kills the server while this call waits. */
    w[0] = OP_HANG;
    CHECK_EQ("a server killed", sys_ep_callw(CLI_EW, w, SYS_FOREVER), -EPIPE);
    printf("cli: %d failures\n", failures);
    return failures;
}
