/* SPDX-License-Identifier: MIT */
/* IPC figures between user processes in guest instructions, for
 * tools/pica-bench-ipc. Processes: ipc_cli (priority 21) runs the
 * commands of ipc_bench.h; ipc_srv (20, so every message finds its
 * receiver waiting) has one thread blocked on each endpoint or queue; the
 * ipc_hold<i> (20) keep capabilities for the revoke trees. Every object
 * is the kernel's, given to both sides.
 *
 * Rows timed as user_latency's (main.c): the difference of two runs of
 * IPC_BASE and IPC_BASE + IPC_OPS turns of the client's loop, over
 * IPC_OPS, less the loop's own cost (an empty loop of the same shape; the
 * loops' error test, one instruction a turn, stays in):
 *   syscall_null     pica_sys_nop(), for scale
 *   send_oneway      sys_ep_send of the four register words, no block,
 *                    to the server waiting in sys_ep_recv: the send, the
 *                    switch to the server, its next receive, the switch back
 *   call_0w          sys_ep_call with no block (the answer is its result)
 *                    to the server in sys_ep_reply_recv: both system calls
 *                    and both switches (one round trip)
 *   call_4w          the same with a block, into which the answer's words land
 *   call_4w_64b      the same with 64 bytes each way
 *   callw_4w         register IPC: sys_ep_callw of 4 words to the server in
 *                    sys_ep_reply_recvw, the answer's 4 words back in
 *                    registers: both system calls and both switches
 *   queue_roundtrip  sys_queue_send of a 16-byte request, sys_queue_recv of
 *                    the 16-byte answer; the server's queue_recv/queue_send
 *   syscall_tap      what the syscall tap adds to a call it does not stamp:
 *                    syscall_null_tapped (the tap set) less syscall_null
 * Rows timed by stamps, since user code cannot read the counter: the
 * kernel's syscall tap (include/pica/tap.h) reads it at the entry of a
 * marker call, pica_sys_nop():
 *   ntfn_isr_to_switch  pica_irq_trigger() called -> the switch to the user
 *                    thread the handler's pica_ntfn_signal() woke from
 *                    sys_ntfn_wait (the switch tap, set alone)
 *   ntfn_isr_to_user the same -> the thread's first act after the wait
 *                    returns, the marker, reaching the tap: includes the
 *                    rest of the switch, the wait's return to user mode and
 *                    the marker's entry
 *   ntfn_isr_round   the same -> the trigger's caller runs again, once the
 *                    thread has made its marker call and waits again (no tap)
 *   revoke_<n>       sys_cap_revoke of a flat tree of n children: the
 *                    stamps of marker, revoke, marker, less marker, marker,
 *                    less the tap's own cost on the revoke
 * The stamped rows average many events, less one counter read; between
 * events a loop of varying length spreads the phase of a coarse counter
 * so that the average converges (as bench/thread-metric/tm_latency.c). */
#include <pica/ipc.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <stdio.h>

#include "arch.h"
#include "ipc_bench.h"
#include "tm_counter.h"

#define IPC_BASE 500u
#define IPC_OPS 5000u
#define IPC_EVENTS 2000u
#define IPC_PRIO_KERNEL 10  /* the processes run at 20 and 21 (CMakeLists.txt) */
#define IPC_PRIO_TRIGGER 25 /* below the client, which the interrupt wakes */
#define IPC_MARKER_NR 0u /* pica_sys_nop: numbers are stable (kernel/proc/syscalls.def) */
#define IPC_NO_MARKER 0xFFFFFFFFu

static struct pica_sem ipc_done;
static struct pica_queue ipc_cmdq, ipc_qreq, ipc_qans;
static struct ipc_cmd ipc_cmd_buf[1];
static uint32_t ipc_qreq_buf[IPC_ITEM_BYTES / 4], ipc_qans_buf[IPC_ITEM_BYTES / 4];
static struct pica_ep ipc_ep_send, ipc_ep_call, ipc_ep_call64, ipc_ep_callw, ipc_ep_hold[IPC_HOLDERS];
static struct pica_ntfn ipc_ntfn;
static struct pica_thread ipc_trigger;
PICA_THREAD_STACK_DEFINE(ipc_trigger_stack, 1024);
static unsigned ipc_line;

/* The taps' state: the syscall tap stamps calls numbered tap_marker; with
 * an odd count of stamps it adds the time since the last to tap_sum. */
static volatile uint32_t tap_marker = IPC_NO_MARKER;
static volatile uint32_t tap_count;
static volatile uint32_t tap_stamp;
static volatile uint64_t tap_sum;

static void
ipc_fail(const char *what, int err)
{
    printf("IPC failed: %s (%d)\n", what, err);
    pica_exit(PICA_EXIT_TEST_FAILED);
}

static void
ipc_check(const char *what, int err)
{
    if (err < 0) {
        ipc_fail(what, err);
    }
}

static void
ipc_print(const char *name, uint64_t centi)
{
    printf("IPC %s %lu.%02lu\n", name, (unsigned long)(centi / 100u),
           (unsigned long)(centi % 100u));
}

static int32_t
ipc_syscall_tap(uint32_t nr, const uint32_t args[6])
{
    (void)args;
    if (nr == tap_marker) {
        uint32_t now = tm_count();
        if (tap_count++ & 1u) {
            tap_sum += now - tap_stamp;
        } else {
            tap_stamp = now;
        }
    }
    return 0;
}

static void
ipc_switch_tap(const struct pica_thread *from, const struct pica_thread *to)
{
    (void)from;
    (void)to;
    if (tap_count++ == 0) {
        tap_stamp = tm_count();
    }
}

/* One command run; returns the counts from the send to the done. */
static uint32_t
ipc_run(enum ipc_op op, uint32_t n, uint32_t arg)
{
    struct ipc_cmd c = {.op = op, .n = n, .arg = arg};
    uint32_t t0 = tm_count();
    ipc_check("send", pica_queue_send(&ipc_cmdq, &c, PICA_NO_WAIT));
    int err = pica_sem_take(&ipc_done, PICA_MS(2000));
    uint32_t t1 = tm_count();
    ipc_check("done", err);
    /* Idle time, so that every thread is back waiting and the next run
     * starts from the same state. */
    pica_sleep(PICA_MS(1));
    return t1 - t0;
}

/* Instructions per turn of @op, in hundredths, less @minus_centi. */
static uint64_t
ipc_figure(const char *name, enum ipc_op op, uint64_t minus_centi)
{
    uint32_t base = ipc_run(op, IPC_BASE, 0);
    uint32_t full = ipc_run(op, IPC_BASE + IPC_OPS, 0);
    uint64_t centi = (uint64_t)(full - base) * TM_COUNT_INSNS * 100u / IPC_OPS;
    centi = centi > minus_centi ? centi - minus_centi : 0;
    ipc_print(name, centi);
    return centi;
}

/* The counts tap_sum gathered over @reps stamped runs of @op, in
 * hundredths of instructions per run. */
static uint64_t
ipc_stamped(enum ipc_op op, uint32_t reps, uint32_t tree)
{
    tap_sum = 0;
    tap_count = 0;
    (void)ipc_run(op, reps, tree);
    if (tap_count != 2u * reps) {
        ipc_fail("markers", (int)tap_count);
    }
    return tap_sum * TM_COUNT_INSNS * 100u / reps;
}

static void
ipc_revoke_figures(uint64_t tap_centi)
{
    static const uint32_t trees[] = {0, 1, 10, 100};
    tap_marker = IPC_MARKER_NR;
    for (unsigned i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
        uint32_t reps = trees[i] < 100 ? 200u : 50u;
        uint64_t with = ipc_stamped(IPC_REVOKE, reps, trees[i]);
        uint64_t without = ipc_stamped(IPC_MARKERS, reps, 0);
        uint64_t centi = with > without + tap_centi ? with - without - tap_centi : 0;
        char name[16];
        snprintf(name, sizeof(name), "revoke_%lu", (unsigned long)trees[i]);
        ipc_print(name, centi);
    }
    tap_marker = IPC_NO_MARKER;
}

/* ---- the notification an interrupt handler signals ---- */

static void
ipc_isr(void *arg)
{
    (void)arg;
    pica_ntfn_signal(&ipc_ntfn, 1u);
}

/* A loop whose length varies from event to event, so that a coarse counter
 * is read at every phase of its period. */
static void
ipc_dither(unsigned i)
{
    for (unsigned n = i % 13u; n > 0; n--) {
        __asm volatile("" ::: "memory");
    }
}

static uint64_t
ipc_read_cost_centi(void)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < IPC_EVENTS; i++) {
        ipc_dither(i);
        uint32_t a = tm_count();
        uint32_t b = tm_count();
        sum += b - a;
    }
    return sum * TM_COUNT_INSNS * 100u / IPC_EVENTS;
}

static uint64_t ipc_sum_stamp, ipc_sum_round;

/* IPC_EVENTS interrupts, each waking the client's waiting thread, which
 * is more urgent than this one: the sums of trigger -> stamp (@arg not
 * NULL: a tap is set) and of trigger -> back here. */
static void
ipc_trigger_entry(void *arg)
{
    ipc_sum_stamp = 0;
    ipc_sum_round = 0;
    for (unsigned i = 0; i < IPC_EVENTS; i++) {
        ipc_dither(i);
        tap_count = 0;
        uint32_t t0 = tm_count();
        pica_irq_trigger(ipc_line);
        arch_barrier(); /* on hardware the interrupt is taken here */
        uint32_t t1 = tm_count();
        if (arg != NULL && tap_count == 0) {
            ipc_fail("no stamp", (int)i);
        }
        ipc_sum_stamp += tap_stamp - t0;
        ipc_sum_round += t1 - t0;
    }
}

static void
ipc_trigger_pass(bool stamped)
{
    ipc_check("trigger", pica_thread_create(&ipc_trigger, "ipc_trig", ipc_trigger_entry,
                                            stamped ? &ipc_trigger : NULL, ipc_trigger_stack,
                                            sizeof(ipc_trigger_stack), IPC_PRIO_TRIGGER, 0));
    ipc_check("join", pica_thread_join(&ipc_trigger, PICA_FOREVER));
}

static void
ipc_ntfn_figures(void)
{
    uint64_t read_centi = ipc_read_cost_centi();
    ipc_line = arch_irq_lines() - 1u;
    if (pica_irq_attach(ipc_line, ipc_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT) != 0 ||
        pica_irq_enable(ipc_line) != 0) {
        ipc_fail("interrupt line", (int)ipc_line);
    }
    /* One tap at a time, so that none counts another's cost; the round
     * with none. */
    ipc_trigger_pass(false);
    uint64_t round = ipc_sum_round * TM_COUNT_INSNS * 100u / IPC_EVENTS;

    ipc_check("switch tap", pica_tap_set(PICA_TAP_SWITCH, (void *)ipc_switch_tap));
    ipc_trigger_pass(true);
    ipc_check("switch tap", pica_tap_set(PICA_TAP_SWITCH, NULL));
    uint64_t to_switch = ipc_sum_stamp * TM_COUNT_INSNS * 100u / IPC_EVENTS;

    tap_marker = IPC_MARKER_NR;
    ipc_check("syscall tap", pica_tap_set(PICA_TAP_SYSCALL, (void *)ipc_syscall_tap));
    ipc_trigger_pass(true);
    ipc_check("syscall tap", pica_tap_set(PICA_TAP_SYSCALL, NULL));
    tap_marker = IPC_NO_MARKER;
    uint64_t to_user = ipc_sum_stamp * TM_COUNT_INSNS * 100u / IPC_EVENTS;

    pica_irq_disable(ipc_line);
    pica_irq_detach(ipc_line);
    ipc_print("ntfn_isr_to_switch", to_switch > read_centi ? to_switch - read_centi : 0);
    ipc_print("ntfn_isr_to_user", to_user > read_centi ? to_user - read_centi : 0);
    ipc_print("ntfn_isr_round", round);
}

/* ---- setup ---- */

static struct pica_proc *
ipc_proc(const char *name)
{
    struct pica_proc *p = pica_proc_find(name);
    if (p == NULL) {
        ipc_fail(name, 0);
    }
    return p;
}

/* Give @p @obj in its next slot, which must be @slot (ipc_bench.h). */
static void
ipc_give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, int slot)
{
    int got = pica_proc_give(p, type, obj, rights);
    if (got != slot) {
        ipc_fail("give", got);
    }
}

static void
ipc_setup(struct pica_proc *cli, struct pica_proc *srv, struct pica_proc **hold)
{
    pica_sem_init(&ipc_done, 0, 1);
    pica_queue_init(&ipc_cmdq, ipc_cmd_buf, sizeof(struct ipc_cmd), 1);
    pica_queue_init(&ipc_qreq, ipc_qreq_buf, IPC_ITEM_BYTES, 1);
    pica_queue_init(&ipc_qans, ipc_qans_buf, IPC_ITEM_BYTES, 1);
    pica_ep_init(&ipc_ep_send);
    pica_ep_init(&ipc_ep_call);
    pica_ep_init(&ipc_ep_call64);
    pica_ntfn_init(&ipc_ntfn);
    ipc_give(cli, PICA_CAP_SEM, &ipc_done, PICA_RIGHT_WRITE, IPC_CLI_DONE);
    ipc_give(cli, PICA_CAP_QUEUE, &ipc_cmdq, PICA_RIGHT_READ, IPC_CLI_CMD);
    ipc_give(cli, PICA_CAP_EP, &ipc_ep_send, PICA_RIGHT_WRITE, IPC_CLI_SEND);
    ipc_give(cli, PICA_CAP_EP, &ipc_ep_call, PICA_RIGHT_WRITE, IPC_CLI_CALL);
    ipc_give(cli, PICA_CAP_EP, &ipc_ep_call64, PICA_RIGHT_WRITE, IPC_CLI_CALL64);
    ipc_give(cli, PICA_CAP_QUEUE, &ipc_qreq, PICA_RIGHT_WRITE, IPC_CLI_QREQ);
    ipc_give(cli, PICA_CAP_QUEUE, &ipc_qans, PICA_RIGHT_READ, IPC_CLI_QANS);
    ipc_give(cli, PICA_CAP_NTFN, &ipc_ntfn, PICA_RIGHT_READ, IPC_CLI_NTFN);
    ipc_give(srv, PICA_CAP_EP, &ipc_ep_send, PICA_RIGHT_READ, IPC_SRV_SEND);
    ipc_give(srv, PICA_CAP_EP, &ipc_ep_call, PICA_RIGHT_READ, IPC_SRV_CALL);
    ipc_give(srv, PICA_CAP_EP, &ipc_ep_call64, PICA_RIGHT_READ, IPC_SRV_CALL64);
    ipc_give(srv, PICA_CAP_QUEUE, &ipc_qreq, PICA_RIGHT_READ, IPC_SRV_QREQ);
    ipc_give(srv, PICA_CAP_QUEUE, &ipc_qans, PICA_RIGHT_WRITE, IPC_SRV_QANS);
    for (unsigned i = 0; i < IPC_HOLDERS; i++) {
        pica_ep_init(&ipc_ep_hold[i]);
        ipc_give(cli, PICA_CAP_EP, &ipc_ep_hold[i], PICA_RIGHT_WRITE, IPC_CLI_HOLD0 + (int)i);
        ipc_give(hold[i], PICA_CAP_EP, &ipc_ep_hold[i], PICA_RIGHT_READ, IPC_HOLD_EP);
        ipc_check("start", pica_proc_start(hold[i]));
    }
    pica_ep_init(&ipc_ep_callw);
    ipc_give(cli, PICA_CAP_EP, &ipc_ep_callw, PICA_RIGHT_WRITE, IPC_CLI_CALLW);
    ipc_give(srv, PICA_CAP_EP, &ipc_ep_callw, PICA_RIGHT_READ, IPC_SRV_CALLW);
    ipc_check("start", pica_proc_start(srv));
    ipc_check("start", pica_proc_start(cli));
}

int
main(void)
{
    if (!ARCH_HAS_USER) {
        printf("IPC n/a: no user mode in this port yet\n");
        pica_exit(PICA_EXIT_OK);
    }
    /* Under QEMU icount a WFI idle loses timer interrupts on Arm. */
    pica_idle_set_busy(true);
    tm_counter_init();
    printf("IPC counter %s, %u instructions per count\n", TM_COUNTER_NAME, TM_COUNT_INSNS);
    pica_thread_set_prio(pica_thread_self(), IPC_PRIO_KERNEL);
    struct pica_proc *cli = ipc_proc("ipc_cli");
    struct pica_proc *srv = ipc_proc("ipc_srv");
    struct pica_proc *hold[IPC_HOLDERS] = {ipc_proc("ipc_hold0"), ipc_proc("ipc_hold1"),
                                           ipc_proc("ipc_hold2")};
    ipc_setup(cli, srv, hold);
    pica_sleep(PICA_MS(1)); /* every process up, every server waiting */

    uint64_t loop = ipc_figure("user_loop_overhead", IPC_LOOP, 0);
    uint64_t null = ipc_figure("syscall_null", IPC_NOP, loop);
    ipc_figure("send_oneway", IPC_SEND, loop);
    ipc_figure("call_0w", IPC_CALL0, loop);
    ipc_figure("call_4w", IPC_CALL4, loop);
    ipc_figure("call_4w_64b", IPC_CALL64, loop);
    ipc_figure("callw_4w", IPC_CALLW, loop);
    ipc_figure("queue_roundtrip", IPC_QUEUE, loop);

    /* The tap set but stamping nothing: what it adds to every call. */
    ipc_check("syscall tap", pica_tap_set(PICA_TAP_SYSCALL, (void *)ipc_syscall_tap));
    uint64_t tapped = ipc_figure("syscall_null_tapped", IPC_NOP, loop);
    uint64_t tap = tapped > null ? tapped - null : 0;
    ipc_print("syscall_tap", tap);
    ipc_revoke_figures(tap);
    ipc_check("syscall tap", pica_tap_set(PICA_TAP_SYSCALL, NULL));
    ipc_ntfn_figures();

    struct pica_proc *all[] = {cli, srv, hold[0], hold[1], hold[2]};
    for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (all[i]->state != PICA_PROC_RUNNING) {
            ipc_fail("a process ended", all[i]->exit_code);
        }
    }
    printf("IPC ok\n");
    pica_exit(PICA_EXIT_OK);
}
