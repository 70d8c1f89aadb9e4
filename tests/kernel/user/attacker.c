/* SPDX-License-Identifier: MIT */
/* The attack test's attacker: each start, it takes one mission from the
 * queue in its slot 0 (given by the kernel test, read right only) and
 * tries that one escape. An attempt the kernel stops by a fault ends the
 * process there; one it refuses ends it with exit(the error), which the
 * test reads as the exit code. Returning anything else means the attempt
 * was not stopped. */
#include <pica/user/abi.h>
#include <pica/user/pica_user.h>
#include <pica/user/syscalls.h>
#include <stdint.h>
#include <string.h>

#include "attack.h"

#define ESCAPED 0x7e5ca9ed

/* A system call with any number, as a hostile program would make it. */
static int32_t
raw_syscall(uint32_t nr, uint32_t a0)
{
#if defined(__riscv)
    register uint32_t r_a0 __asm("a0") = a0;
    register uint32_t r_a7 __asm("a7") = nr;
    __asm volatile("ecall" : "+r"(r_a0) : "r"(r_a7) : "memory");
    return (int32_t)r_a0;
#else
    register uint32_t r0 __asm("r0") = a0;
    register uint32_t r7 __asm("r7") = nr;
    __asm volatile("svc #0" : "+r"(r0) : "r"(r7) : "memory");
    return (int32_t)r0;
#endif
}

/* A function's worth of machine code that returns at once, to be copied
 * where code must not run. */
#if defined(__riscv)
static const uint16_t ret_code[] = {0x8082, 0x8082}; /* c.ret */
#define CALLABLE(p) ((int (*)(void))(uintptr_t)(p))
#else
static const uint16_t ret_code[] = {0x4770, 0x4770}; /* bx lr */
#define CALLABLE(p) ((int (*)(void))((uintptr_t)(p) | 1u))
#endif
static uint16_t code_in_data[4] = {1, 2, 3, 4};

/* Unbounded on purpose, which the compiler sees: it would warn. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int __attribute__((noinline))
recurse(volatile uint32_t depth)
{
    volatile uint8_t pad[64];
    pad[0] = (uint8_t)depth;
    return recurse(depth + 1u) + pad[0];
}
#pragma GCC diagnostic pop

/* ---- IPC: the attacker's own endpoint, a second thread on the other end ---- */

static volatile int ipc_ep = -1;

static void
ipc_receiver(void *arg)
{
    (void)arg;
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    m.recv_caps[0] = 20; /* free */
    (void)sys_ep_recv(ipc_ep, &m);
}

static void
ipc_caller(void *arg)
{
    (void)arg;
    const uint32_t w[4] = {1, 2, 3, 4};
    (void)sys_ep_call(ipc_ep, w, NULL);
}

/* A second thread at the attacker's own priority on the other end of its
 * endpoint; it runs once the attacker blocks or sleeps. */
static int
ipc_other_end(void (*fn)(void *))
{
    ipc_ep = sys_ep_create();
    if (ipc_ep < 0 || sys_thread_create(fn, NULL, sys_prio()) < 0) {
        return -1;
    }
    sys_sleep_us(1000); /* it is waiting on the endpoint by now */
    return 0;
}

static int
ipc_attempt(const struct attack_mission *m)
{
    const uint32_t w[4] = {0, 0, 0, 0};
    struct pica_user_ipc msg;
    sys_ipc_init(&msg, SYS_FOREVER);
    switch (m->attack) {
    case ATTACK_IPC_SLOT:
        return sys_ep_call((int)m->addr, w, NULL);
    case ATTACK_IPC_BADGE: {
        int ep = sys_ep_create();
        int badged = sys_cap_mint(ep, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, 5);
        if (badged < 0) {
            return 3000 + (ep < 0 ? ep : badged); /* not set up: says why */
        }
        return sys_cap_mint(badged, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, 6);
    }
    case ATTACK_IPC_GRANT: {
        if (ipc_other_end(ipc_receiver) != 0) {
            return ESCAPED + 3;
        }
        int weak = sys_cap_copy(ipc_ep, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
        msg.send_caps[0] = (uint8_t)weak;
        return sys_ep_send(ipc_ep, w, &msg);
    }
    case ATTACK_IPC_REPLY_TWICE:
        if (ipc_other_end(ipc_caller) != 0 || sys_ep_recv(ipc_ep, &msg) != 0 ||
            sys_ep_reply(PICA_SLOT_ANY, w, NULL) != 0) {
            return ESCAPED + 3;
        }
        return sys_ep_reply(PICA_SLOT_ANY, w, NULL);
    case ATTACK_IPC_RECV_TAKEN:
        msg.recv_caps[0] = (uint8_t)m->addr;
        return sys_ep_recv(sys_ep_create(), &msg);
    case ATTACK_IPC_REPLY_COPY: {
        if (ipc_other_end(ipc_caller) != 0 || sys_ep_recv(ipc_ep, &msg) != 0) {
            return ESCAPED + 3;
        }
        int saved = sys_reply_save();
        if (saved < 0) {
            return ESCAPED + 3;
        }
        int copy = sys_cap_copy(saved, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
        (void)sys_ep_reply((uint32_t)saved, w, NULL);
        return copy;
    }
    default:
        return ESCAPED + 2;
    }
}

static volatile int blocker_sem;

static void
blocker(void *arg)
{
    (void)arg;
    pica_sys_sem_take((uint32_t)blocker_sem, 0xffffffffu);
    pica_sys_thread_exit(1);
}

static void
spin_thread(void)
{
    for (;;) {
    }
}

static int
attempt(const struct attack_mission *m)
{
    volatile uint32_t *addr = (volatile uint32_t *)(uintptr_t)m->addr;
    switch (m->attack) {
    case ATTACK_READ:
        return (int)*addr == ESCAPED ? ESCAPED : ESCAPED + 1;
    case ATTACK_WRITE:
        *addr = ESCAPED;
        return ESCAPED;
    case ATTACK_EXEC:
        return CALLABLE(m->addr)();
    case ATTACK_EXEC_DATA:
        memcpy(code_in_data, ret_code, sizeof(ret_code));
        return CALLABLE(code_in_data)() + ESCAPED;
    case ATTACK_EXEC_STACK: {
        uint16_t code_on_stack[2];
        memcpy(code_on_stack, ret_code, sizeof(ret_code));
        __asm volatile("" ::"r"(code_on_stack) : "memory");
        return CALLABLE(code_on_stack)() + ESCAPED;
    }
    case ATTACK_PRIV_CONTROL:
#if defined(__riscv)
        __asm volatile("csrw mstatus, %0" ::"r"(0x1800u) : "memory"); /* MPP = M */
        return ESCAPED;
#else
        __asm volatile("msr control, %0\n\tisb" ::"r"(0u) : "memory");
        return (int)*addr; /* still unprivileged: this faults */
#endif
    case ATTACK_PRIV_IRQ_OFF: {
#if defined(__riscv)
        __asm volatile("csrci mstatus, 8" ::: "memory");
        return ESCAPED;
#else
        uint32_t primask;
        __asm volatile("cpsid i\n\tmrs %0, primask" : "=r"(primask)::"memory");
        return (int)primask; /* 0: ignored, as for any unprivileged code */
#endif
    }
    case ATTACK_PRIV_MASK: {
#if defined(__riscv)
        __asm volatile("mret" ::: "memory");
        return ESCAPED;
#else
        uint32_t basepri;
        __asm volatile("msr basepri, %1\n\tmrs %0, basepri" : "=r"(basepri) : "r"(0xe0u) : "memory");
        return (int)basepri;
#endif
    }
    case ATTACK_SYS_IN:
        return pica_sys_write(1, (const void *)(uintptr_t)m->addr, m->len);
    case ATTACK_SYS_OUT:
        return pica_sys_uptime_us((void *)(uintptr_t)m->addr, m->len);
    case ATTACK_SYS_NUMBER:
        return raw_syscall(m->addr, 0);
    case ATTACK_TIME_SET: {
        const struct pica_user_walltime y2k = {.sec = 946684800, .nsec = 0, .reserved = 0};
        return pica_sys_time_set(m->addr, &y2k, sizeof(y2k));
    }
    case ATTACK_SLOT_TAKE:
        return pica_sys_sem_take(m->addr, 0);
    case ATTACK_SLOT_SEND: {
        struct attack_mission echo = *m;
        return pica_sys_queue_send(m->addr, &echo, sizeof(echo), 0);
    }
    case ATTACK_QUOTA: {
        int n = 0;
        for (;;) {
            int slot = pica_sys_sem_create(0, 1);
            if (slot < 0) {
                return slot == -12 /* ENOMEM */ || slot == -28 /* ENOSPC */ ? n : slot;
            }
            n++;
        }
    }
    case ATTACK_STACK_OVERFLOW:
        return recurse(0);
    case ATTACK_UNDEFINED:
#if defined(__riscv)
        __asm volatile(".word 0" ::: "memory");
#else
        __asm volatile("udf #0" ::: "memory");
#endif
        return ESCAPED;
    case ATTACK_UNALIGNED: {
        uint32_t lo, hi;
        m = &(struct attack_mission){.addr = (uint32_t)(uintptr_t)code_in_data + 1u};
#if defined(__riscv)
        /* RISC-V may do plain misaligned loads in hardware; a reserved
         * load must be aligned everywhere. */
        __asm volatile("lr.w %0, (%1)" : "=r"(lo) : "r"(m->addr) : "memory");
        hi = 0;
#else
        __asm volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(m->addr) : "memory");
#endif
        return (int)(lo + hi) == ESCAPED ? 0 : ESCAPED;
    }
    case ATTACK_DIV_ZERO: {
        volatile int zero = 0;
        return 1000 / zero;
    }
    case ATTACK_THREAD_ENTRY:
        return pica_sys_thread_create(m->addr, 0, 30);
    case ATTACK_THREAD_PRIO:
        return pica_sys_thread_create((uint32_t)(uintptr_t)spin_thread, 0, m->addr);
    case ATTACK_SPIN:
        spin_thread();
        return ESCAPED;
    case MISSION_BLOCK_TIMEOUT:
    case MISSION_BLOCK_FOREVER: {
        int sem = pica_sys_sem_create(0, 1);
        if (sem < 0) {
            return sem;
        }
        return pica_sys_sem_take((uint32_t)sem, m->attack == MISSION_BLOCK_TIMEOUT ? m->len : 0xffffffffu);
    }
    case MISSION_LOCK_FAULT: {
        int err = pica_sys_mutex_lock(m->addr, 0xffffffffu);
        if (err != 0) {
            return err;
        }
        return (int)*(volatile uint32_t *)0; /* dies holding it */
    }
    case MISSION_EXIT_BLOCKED: {
        blocker_sem = pica_sys_sem_create(0, 1);
        for (int i = 0; i < 2; i++) {
            int t = pica_sys_thread_create((uint32_t)(uintptr_t)blocker, 0, 30);
            if (t < 0) {
                return t;
            }
        }
        pica_sys_sleep_us(2000); /* both are blocked by now */
        pica_sys_exit(m->len);
    }
    case ATTACK_IPC_SLOT:
    case ATTACK_IPC_BADGE:
    case ATTACK_IPC_GRANT:
    case ATTACK_IPC_REPLY_TWICE:
    case ATTACK_IPC_RECV_TAKEN:
    case ATTACK_IPC_REPLY_COPY:
        return ipc_attempt(m);
    default:
        return ESCAPED + 2;
    }
}

int
user_main(void)
{
    struct attack_mission m;
    int err = pica_sys_queue_recv(0, &m, sizeof(m), 0xffffffffu);
    if (err != 0) {
        return 2000 + err;
    }
    return attempt(&m);
}
