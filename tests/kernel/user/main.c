/* SPDX-License-Identifier: MIT */
/* The user-space attack suite: an attacker process tries one escape per
 * start (attacker.c), and each attempt must be stopped, either by a fault
 * reported with the right kind, address and access, or by a system call
 * refused with the right error, while a victim process (victim.c) and the
 * kernel keep their data and go on running. Also here: blocking calls with
 * timeouts from user threads, a thread killed while blocked in a call, a
 * process ending with threads still blocked, and exit codes. */
#include <errno.h>
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/mutex.h>
#include <pica/queue.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "attack.h"
#include "region.h"

static volatile uint32_t kernel_secret = 0x600df00du;
/* A buffer the kernel grants the attacker (aligned for one MPU region or
 * PMP entry), and the kernel data right after it. */
static struct {
    uint32_t shared[16];
    uint32_t after[16];
} grant_area __attribute__((aligned(128)));

static struct pica_queue mission_q;
static struct attack_mission mission_buf[1];
static struct pica_queue report_q;
static struct victim_report report_buf[1];
static struct pica_proc *attacker, *victim;
static struct victim_report vr;
static unsigned attempts, stopped;

#define MISSION_SLOT 0

/* The console UART of each board: a peripheral no process was granted. */
static uint32_t
peripheral_addr(void)
{
    static const struct {
        const char *board;
        uint32_t addr;
    } uarts[] = {
        {"mps2-an385", 0x40004000u}, {"mps2-an386", 0x40004000u}, {"netduinoplus2", 0x40011000u},
        {"lm3s6965evb", 0x4000c000u}, {"virt-rv32", 0x10000000u}, {"sifive_e", 0x10013000u},
    };
    for (unsigned i = 0; i < sizeof(uarts) / sizeof(uarts[0]); i++) {
        if (strcmp(uarts[i].board, board_info()->name) == 0) {
            return uarts[i].addr;
        }
    }
    return 0;
}

#if defined(__riscv)
#define CONTROL_READ_ADDR 0x0200bff8u  /* CLINT mtime */
#define CONTROL_WRITE_ADDR 0x02000000u /* CLINT msip: a machine software interrupt */
static uint32_t
vector_table_addr(void)
{
    uint32_t mtvec;
    __asm volatile("csrr %0, mtvec" : "=r"(mtvec));
    return mtvec & ~3u;
}
#else
#define CONTROL_READ_ADDR 0xe000ed00u  /* SCB CPUID */
#define CONTROL_WRITE_ADDR 0xe000ed04u /* SCB ICSR: pend PendSV */
static uint32_t
vector_table_addr(void)
{
    return *(volatile uint32_t *)0xe000ed08u; /* VTOR */
}
#endif

static void
secrets_intact(void)
{
    pica_assert_eq(kernel_secret, 0x600df00du);
    pica_assert_eq(*(volatile uint32_t *)(uintptr_t)vr.secret_addr, VICTIM_SECRET);
    pica_assert_eq(*(volatile uint32_t *)(uintptr_t)vr.stack_addr, VICTIM_SECRET);
    pica_assert_eq(victim->state, PICA_PROC_RUNNING);
}

/* A kernel mutex to give the attacker at its next start (slot 1). */
static struct pica_mutex *next_mutex;

/* A region to grant the attacker at its next start, if len is not 0. */
static struct {
    uint32_t base, len;
    unsigned perms;
} next_grant;

/* An ended process keeps no capability: the mission queue is given anew
 * (read right only) for each start. */
static void
start_attacker(const struct attack_mission *m)
{
    pica_assert_eq(pica_queue_send(&mission_q, m, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_proc_give(attacker, PICA_CAP_QUEUE, &mission_q, PICA_RIGHT_READ),
                   MISSION_SLOT);
    if (next_mutex != NULL) {
        pica_assert_eq(pica_proc_give(attacker, PICA_CAP_MUTEX, next_mutex,
                                      PICA_RIGHT_READ | PICA_RIGHT_WRITE),
                       MISSION_SLOT + 1);
        next_mutex = NULL;
    }
    if (next_grant.len != 0) {
        pica_assert_gt(pica_proc_grant(attacker, next_grant.base, next_grant.len, next_grant.perms),
                       MISSION_SLOT);
        next_grant.len = 0;
    }
    pica_assert_eq(pica_proc_start(attacker), 0);
}

/* One start of the attacker with @m; returns once it has ended. */
static void
run(enum attack a, uint32_t addr, uint32_t len)
{
    struct attack_mission m = {.attack = a, .addr = addr, .len = len};
    start_attacker(&m);
    for (int i = 0; i < 500 && attacker->state == PICA_PROC_RUNNING; i++) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert(attacker->state != PICA_PROC_RUNNING);
    attempts++;
}

static void
expect_fault(enum attack a, uint32_t addr, char access, uint32_t fault_addr)
{
    uint32_t faults = attacker->faults;
    run(a, addr, 0);
    pica_assert_eq(attacker->state, PICA_PROC_KILLED);
    pica_assert_eq(attacker->exit_code, -EFAULT);
    pica_assert_eq(attacker->faults, faults + 1u);
    if (access != 0) {
        pica_assert_eq(attacker->last_fault.access, access);
    }
    if (fault_addr != 0) {
        pica_assert(attacker->last_fault.addr_known);
        pica_assert_eq(attacker->last_fault.addr, fault_addr);
    }
    secrets_intact();
    stopped++;
}

static void
expect_exit(enum attack a, uint32_t addr, uint32_t len, int code)
{
    uint32_t faults = attacker->faults;
    run(a, addr, len);
    pica_assert_eq(attacker->faults, faults);
    pica_assert_eq(attacker->state, PICA_PROC_EXITED);
    pica_assert_eq(attacker->exit_code, code);
    secrets_intact();
    stopped++;
}

PICA_TEST(setup)
{
    attacker = pica_proc_find("attacker");
    victim = pica_proc_find("victim");
    pica_assert(attacker != NULL && victim != NULL);
    pica_assert_eq(attacker->state, PICA_PROC_IDLE); /* both PICA_PROC_NO_START */
    pica_assert_eq(pica_queue_init(&mission_q, mission_buf, sizeof(mission_buf[0]), 1), 0);
    pica_assert_eq(pica_queue_init(&report_q, report_buf, sizeof(report_buf[0]), 1), 0);
    pica_assert_eq(pica_proc_give(victim, PICA_CAP_QUEUE, &report_q, PICA_RIGHT_WRITE), 0);
    pica_assert_eq(pica_proc_start(victim), 0);
    pica_assert_eq(pica_queue_recv(&report_q, &vr, PICA_MS(100)), 0);
    const struct pica_proc_image *im = victim->image;
    pica_assert(vr.secret_addr >= im->ram_start && vr.secret_addr < im->ram_end);
    pica_assert(vr.stack_addr >= im->stacks_start && vr.stack_addr < im->stacks_end);
    secrets_intact();
}

PICA_TEST(memory_out_of_reach)
{
    uint32_t ks = (uint32_t)(uintptr_t)&kernel_secret;
    expect_fault(ATTACK_READ, ks, 'r', ks);
    expect_fault(ATTACK_WRITE, ks, 'w', ks);
    expect_fault(ATTACK_READ, vr.secret_addr, 'r', vr.secret_addr);
    expect_fault(ATTACK_WRITE, vr.secret_addr, 'w', vr.secret_addr);
    expect_fault(ATTACK_READ, vr.stack_addr, 'r', vr.stack_addr);
    expect_fault(ATTACK_WRITE, vr.stack_addr, 'w', vr.stack_addr);
    uint32_t uart = peripheral_addr();
    pica_assert_ne(uart, 0u);
    expect_fault(ATTACK_READ, uart, 'r', uart);
    expect_fault(ATTACK_WRITE, uart, 'w', uart);
    uint32_t vt = vector_table_addr();
    expect_fault(ATTACK_READ, vt, 'r', vt);
    expect_fault(ATTACK_WRITE, vt, 'w', vt);
#ifdef BOARD_NO_BUS_FAULT
    /* The MPU does not cover the System Control Space: an unprivileged
     * access to it is a bus fault, which this board's emulation does not
     * raise (its reads give 0 and its writes are ignored). */
    printf("skipped: SCS read and write (%s)\n", BOARD_NO_BUS_FAULT);
#else
    expect_fault(ATTACK_READ, CONTROL_READ_ADDR, 'r', CONTROL_READ_ADDR);
    expect_fault(ATTACK_WRITE, CONTROL_WRITE_ADDR, 'w', CONTROL_WRITE_ADDR);
#endif
    pica_assert_eq(kernel_secret, 0x600df00du);
}

PICA_TEST(execution_out_of_reach)
{
    uint32_t ktext = (uint32_t)(uintptr_t)pica_thread_exit & ~1u;
    expect_fault(ATTACK_EXEC, ktext, 'x', ktext);
    uint32_t vtext = victim->image->entry & ~1u;
    expect_fault(ATTACK_EXEC, vtext, 'x', vtext);
    expect_fault(ATTACK_EXEC_DATA, 0, 'x', 0);
    pica_assert(attacker->last_fault.addr - attacker->image->ram_start <
                attacker->image->ram_end - attacker->image->ram_start);
    expect_fault(ATTACK_EXEC_STACK, 0, 'x', 0);
    pica_assert(attacker->last_fault.addr - attacker->image->stacks_start <
                attacker->image->stacks_end - attacker->image->stacks_start);
}

PICA_TEST(privilege_stays_dropped)
{
    uint32_t ks = (uint32_t)(uintptr_t)&kernel_secret;
#if defined(__riscv)
    /* Every machine-mode instruction is illegal in U-mode. */
    expect_fault(ATTACK_PRIV_CONTROL, 0, 0, 0);
    expect_fault(ATTACK_PRIV_IRQ_OFF, 0, 0, 0);
    expect_fault(ATTACK_PRIV_MASK, 0, 0, 0);
    (void)ks;
#else
    /* Unprivileged writes to CONTROL, PRIMASK and BASEPRI are ignored:
     * still unprivileged after the first, and the masks read back 0. */
    expect_fault(ATTACK_PRIV_CONTROL, ks, 'r', ks);
    expect_exit(ATTACK_PRIV_IRQ_OFF, 0, 0, 0);
    expect_exit(ATTACK_PRIV_MASK, 0, 0, 0);
#endif
}

PICA_TEST(pointer_arguments_checked)
{
    uint32_t ks = (uint32_t)(uintptr_t)&kernel_secret;
    expect_exit(ATTACK_SYS_IN, ks, 4, -EFAULT);
    expect_exit(ATTACK_SYS_IN, vr.secret_addr, 4, -EFAULT);
    expect_exit(ATTACK_SYS_IN, 0xf0000000u, 16, -EFAULT);
    expect_exit(ATTACK_SYS_IN, 0xffffff00u, 0x200u, -EFAULT); /* ptr + len wraps */
    expect_exit(ATTACK_SYS_IN, attacker->image->ram_start, 0xffffffffu, -EFAULT);
    expect_exit(ATTACK_SYS_IN, ks, 0, -EFAULT);
    expect_exit(ATTACK_SYS_OUT, ks, 8, -EFAULT);
    expect_exit(ATTACK_SYS_OUT, vr.secret_addr, 8, -EFAULT);
    expect_exit(ATTACK_SYS_OUT, attacker->image->text_start, 8, -EFAULT); /* its own read-only text */
}

PICA_TEST(calls_and_slots_checked)
{
    expect_exit(ATTACK_SYS_NUMBER, 9999, 0, -ENOSYS);
    expect_exit(ATTACK_SYS_NUMBER, 0xffffffffu, 0, -ENOSYS);
    expect_exit(ATTACK_SLOT_TAKE, MISSION_SLOT, 0, -EBADF); /* a queue, not a semaphore */
    expect_exit(ATTACK_SLOT_TAKE, 5, 0, -EBADF);            /* empty */
    expect_exit(ATTACK_SLOT_TAKE, 100000, 0, -EBADF);       /* out of range */
    expect_exit(ATTACK_SLOT_TAKE, 0xffffffffu, 0, -EBADF);
    expect_exit(ATTACK_SLOT_SEND, MISSION_SLOT, 0, -EPERM); /* read right only */
    /* Setting the wall clock takes the clock capability, which the
     * attacker was never given: the clock stays where the kernel put it. */
    const struct pica_walltime later = {.sec = 1893456000, .nsec = 0}; /* 2030-01-01 */
    pica_assert_eq(pica_time_set(&later), 0);
    expect_exit(ATTACK_TIME_SET, MISSION_SLOT, 0, -EBADF);
    expect_exit(ATTACK_TIME_SET, 0, 0, -EBADF);
    struct pica_walltime now;
    pica_assert_eq(pica_time_get(&now), 0);
    pica_assert_ge(now.sec, later.sec);
    uint32_t ktext = (uint32_t)(uintptr_t)pica_thread_exit & ~1u;
    expect_exit(ATTACK_THREAD_ENTRY, ktext, 0, -EFAULT);
    expect_exit(ATTACK_THREAD_PRIO, 0, 0, -EPERM);
}

/* Capabilities and IPC: a forged slot, a badge over a badge, a capability
 * passed without the grant right, an answer given twice, a capability
 * received into a taken slot, a saved reply copied. */
PICA_TEST(ipc_attacks_refused)
{
    /* An endpoint and a second thread each: a 16 KB part has no heap for
     * them beside the three processes (qemu.user-ipc skips there too). */
    struct pica_heap_stats hs;
    pica_heap_stats(&hs);
    if (hs.free_bytes < 2048u) {
        printf("ipc attacks skipped: %lu bytes of heap\n", (unsigned long)hs.free_bytes);
        return;
    }
    expect_exit(ATTACK_IPC_SLOT, MISSION_SLOT, 0, -EBADF); /* a queue, not an endpoint */
    expect_exit(ATTACK_IPC_SLOT, 31, 0, -EBADF);           /* empty */
    expect_exit(ATTACK_IPC_SLOT, 0x10000u, 0, -EBADF);     /* out of range */
    expect_exit(ATTACK_IPC_BADGE, 0, 0, -EPERM);
    expect_exit(ATTACK_IPC_GRANT, 0, 0, -EPERM);
    expect_exit(ATTACK_IPC_REPLY_TWICE, 0, 0, -ESRCH);
    expect_exit(ATTACK_IPC_RECV_TAKEN, MISSION_SLOT, 0, -EEXIST);
    expect_exit(ATTACK_IPC_REPLY_COPY, 0, 0, -EPERM);
}

PICA_TEST(object_quota_bounds_a_process)
{
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    run(ATTACK_QUOTA, 0, 0);
    pica_assert_eq(attacker->state, PICA_PROC_EXITED);
    pica_assert_gt(attacker->exit_code, 0); /* it made some, then was refused */
    pica_assert_le(attacker->quota_used, attacker->image->obj_quota);
    stopped++;
    /* Ended: every object it made was freed with it. */
    pica_heap_stats(&after);
    pica_assert_eq(after.used_bytes, before.used_bytes);
    pica_assert_eq(attacker->quota_used, 0u);
    void *p = pica_malloc(64);
    pica_assert(p != NULL);
    pica_free(p);
}

PICA_TEST(faults_stop_only_the_attacker)
{
    expect_fault(ATTACK_STACK_OVERFLOW, 0, 0, 0);
    pica_assert(attacker->last_fault.stack_overflow);
    expect_fault(ATTACK_UNDEFINED, 0, 0, 0);
    expect_fault(ATTACK_UNALIGNED, 0, 0, 0);
#if defined(__riscv)
    /* RISC-V division by zero does not trap: it gives -1. */
    expect_exit(ATTACK_DIV_ZERO, 0, 0, -1);
#else
    expect_fault(ATTACK_DIV_ZERO, 0, 0, 0);
#endif
}

PICA_TEST(spinning_process_shares_its_priority)
{
    volatile uint32_t *counter = (volatile uint32_t *)(uintptr_t)vr.counter_addr;
    volatile uint32_t *spin = (volatile uint32_t *)(uintptr_t)vr.spin_addr;
    *spin = 1;
    struct attack_mission m = {.attack = ATTACK_SPIN};
    start_attacker(&m);
    pica_sleep(PICA_MS(5));
    uint32_t c0 = *counter;
    pica_sleep(PICA_MS(50));
    /* Both spin at one priority and both get slices: the attacker took its
     * mission, and the victim still counts. */
    pica_assert_eq(pica_queue_count(&mission_q), 0u);
    pica_assert_gt(*counter, c0);
    pica_assert_eq(attacker->state, PICA_PROC_RUNNING);
    pica_assert_eq(pica_proc_kill(attacker, -EINTR), 0);
    pica_assert_eq(attacker->state, PICA_PROC_KILLED);
    *spin = 0;
    attempts++;
    stopped++;
    secrets_intact();
}

static void
count_blocked(struct pica_thread *t, void *arg)
{
    struct pica_thread_info info;
    struct { const char *name; int n; } *c = arg;
    if (pica_thread_info(t, &info) == 0 && info.process != NULL &&
        strcmp(info.process, c->name) == 0 && info.state == PICA_THREAD_BLOCKED) {
        c->n++;
    }
}

/* Threads of @p blocked in a system call, as pica_thread_info() shows them. */
static int
blocked_threads(struct pica_proc *p)
{
    struct { const char *name; int n; } c = {p->image->name, 0};
    pica_thread_foreach(count_blocked, &c);
    return c.n;
}

PICA_TEST(blocking_calls_from_user_threads)
{
    uint64_t t0 = pica_uptime_us();
    expect_exit(MISSION_BLOCK_TIMEOUT, 0, 20000, -ETIMEDOUT);
    pica_assert_ge(pica_uptime_us() - t0, 20000u);
    attempts--; /* not attacks */
    stopped--;
    /* Killed while blocked in a system call. */
    struct attack_mission m = {.attack = MISSION_BLOCK_FOREVER};
    start_attacker(&m);
    /* It shares its priority with the spinning victim: wait for it to
     * have taken its mission and blocked. */
    for (int i = 0; i < 200 && blocked_threads(attacker) == 0; i++) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(blocked_threads(attacker), 1);
    pica_assert_eq(attacker->state, PICA_PROC_RUNNING);
    pica_assert_eq(pica_proc_kill(attacker, -EINTR), 0);
    pica_assert_eq(attacker->state, PICA_PROC_KILLED);
    pica_assert_eq(attacker->exit_code, -EINTR);
    pica_assert_eq(attacker->quota_used, 0u);
    /* Ending with two threads blocked: exit's code is the process's. */
    run(MISSION_EXIT_BLOCKED, 0, 42);
    attempts--;
    pica_assert_eq(attacker->state, PICA_PROC_EXITED);
    pica_assert_eq(attacker->exit_code, 42);
    pica_assert_eq(attacker->threads_alive, 0u);
    pica_assert_eq(attacker->quota_used, 0u);
    secrets_intact();
}

/* What a grant gives is reachable, with the rights given, and nothing
 * beyond it; a grant ends with the process. */
PICA_TEST(granted_region_reachable)
{
    uint32_t shared = (uint32_t)(uintptr_t)grant_area.shared;
    uint32_t after = (uint32_t)(uintptr_t)grant_area.after;
    uint32_t faults = attacker->faults;
    next_grant.base = shared;
    next_grant.len = sizeof(grant_area.shared);
    next_grant.perms = REGION_R | REGION_W;
    run(ATTACK_WRITE, shared, 0);
    pica_assert_eq(attacker->faults, faults);
    pica_assert_eq(attacker->state, PICA_PROC_EXITED);
    pica_assert_eq(grant_area.shared[0], 0x7e5ca9edu); /* its store landed */
    attempts--;                                       /* allowed, not an attack */
    /* The grant ended with the run: the same store now faults, and so does
     * one just past a new grant, and a store into a read-only grant. */
    expect_fault(ATTACK_WRITE, shared, 'w', shared);
    next_grant.len = sizeof(grant_area.shared);
    expect_fault(ATTACK_WRITE, after, 'w', after);
    next_grant.len = sizeof(grant_area.shared);
    next_grant.perms = REGION_R;
    grant_area.shared[0] = 0;
    expect_fault(ATTACK_WRITE, shared, 'w', shared);
    pica_assert_eq(grant_area.shared[0], 0u);
    pica_assert_eq(grant_area.after[0], 0u);
}

/* A thread that dies holding a kernel mutex releases it: the next owner
 * learns it with -EOWNERDEAD. */
PICA_TEST(mutex_released_by_fault)
{
    static struct pica_mutex m;
    pica_assert_eq(pica_mutex_init(&m), 0);
    next_mutex = &m;
    run(MISSION_LOCK_FAULT, MISSION_SLOT + 1, 0);
    attempts--;
    pica_assert_eq(attacker->state, PICA_PROC_KILLED);
    pica_assert_eq(attacker->last_fault.addr, 0u);
    pica_assert_eq(pica_mutex_lock(&m, PICA_MS(10)), -EOWNERDEAD);
    pica_assert_eq(pica_mutex_consistent(&m), 0);
    pica_assert_eq(pica_mutex_unlock(&m), 0);
}

/* Built FAULT_THREAD: a fault ends only the faulting thread, and the
 * process goes on to exit on its own. */
PICA_TEST(fault_ends_only_the_thread)
{
    struct pica_proc *s = pica_proc_find("survivor");
    pica_assert(s != NULL);
    pica_assert_eq(pica_proc_start(s), 0);
    for (int i = 0; i < 500 && s->state == PICA_PROC_RUNNING; i++) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(s->state, PICA_PROC_EXITED);
    pica_assert_eq(s->exit_code, 7);
    pica_assert_eq(s->faults, 1u);
    pica_assert_eq(s->last_fault.addr, 0u);
}

PICA_TEST(summary)
{
    printf("attack suite: %u attempts, %u stopped, %u escaped\n", attempts, stopped,
           attempts - stopped);
    /* Every call the attacker made, its exit's report included, left room
     * on its privileged stack: 96 bytes, or 64 where a board cut the stack
     * below its default (sifive_e's 512: the deepest measured path is a
     * thread_create that a switching tick interrupts, 440 bytes). */
    printf("privileged stack: the attacker's threads used at most %lu of %u bytes\n",
           (unsigned long)attacker->kstack_used_max, (unsigned)PICA_CFG_SYSCALL_STACK);
    pica_assert_gt(attacker->kstack_used_max, 0u);
    unsigned headroom = PICA_CFG_SYSCALL_STACK < 640 ? 64u : 96u;
    pica_assert_le(attacker->kstack_used_max + headroom, PICA_CFG_SYSCALL_STACK);
    pica_assert_ge(attempts, 30u);
    pica_assert_eq(stopped, attempts);
}

int
main(void)
{
    pica_test_run();
}
