/* SPDX-License-Identifier: MIT */
/* The Pica calls for user processes (the SDK in user/): threads, sleep,
 * uptime, and kernel objects named by capability slots. Each call is a thin
 * wrapper over the system call stubs generated from kernel/proc/syscalls.def;
 * errors are negative errno values, as in the kernel. stdio (printf, puts,
 * putchar), malloc/free and exit() come from picolibc, set up by the SDK.
 * A process defines int user_main(void): its return value is the
 * process's exit code. user.h is the original interface, for programs
 * written to it. Context: user threads only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/user/abi.h>
#include <pica/user/syscalls.h> /* generated from kernel/proc/syscalls.def */

#ifndef PICA_USER_TASK_MAIN
/* The process's entry, in its first thread; the return value is its exit
 * code (exit() ends it sooner). */
int user_main(void);
#endif

/* Timeouts in microseconds: do not wait, wait without limit. */
#define SYS_NO_WAIT PICA_USER_NO_WAIT
#define SYS_FOREVER PICA_USER_FOREVER

/* The priority the process was built with (pica_add_process PRIO): its
 * threads may ask for it or any lower one (a larger number). */
int sys_prio(void);

/* ---- threads ---- */

/* A new thread of this process running fn(arg) at @prio (sys_prio() or a
 * larger number); returning from fn ends the thread. Returns: its slot,
 * -EAGAIN (no user stack slot left), -EPERM (a priority above the
 * process's), -ENOMEM. */
int sys_thread_create(void (*fn)(void *), void *arg, int prio);
/* End the calling thread (its pending output is written first). */
__attribute__((noreturn)) void sys_thread_exit(void);

static inline int
sys_yield(void)
{
    return pica_sys_yield();
}

static inline int
sys_sleep_us(uint32_t us)
{
    return pica_sys_sleep_us(us);
}

/* Microseconds since boot. */
static inline uint64_t
sys_uptime_us(void)
{
    uint64_t us = 0;
    (void)pica_sys_uptime_us(&us, sizeof(us));
    return us;
}

/* The wall clock, UTC (struct pica_user_walltime: seconds since 1970 and
 * nanoseconds). Returns: 0. */
static inline int
sys_time_get(struct pica_user_walltime *t)
{
    return pica_sys_time_get(t, sizeof(*t));
}

/* Set the wall clock; needs the clock capability in @clock_slot (given to
 * the process by kernel code). Returns: 0, -EINVAL (out of range),
 * -EBADF/-EPERM (no clock capability with the right). */
static inline int
sys_time_set(int clock_slot, const struct pica_user_walltime *t)
{
    return pica_sys_time_set(clock_slot, t, sizeof(*t));
}

/* Run fn(arg) in a new thread of this process (at its priority) each time
 * the crontab schedule @line fires (docs/cron.md). A run still going when
 * the next falls due makes that one skipped. Returns: the job's id (>= 1),
 * -EINVAL (a bad line), -EFAULT (@fn not in the process's code), -ENOSPC
 * (no job free), -ENOSYS (the image has no cron). */
int sys_cron_add(const char *line, void (*fn)(void *), void *arg);

/* Remove one of this process's cron jobs. Returns: 0, -ENOENT, -EPERM. */
int sys_cron_del(int id);

/* Write the calling thread's pending stdout line now. */
void sys_flush(void);

/* Wait for the thread in @slot to end: its exit code. */
static inline int
sys_thread_join(int slot, uint32_t timeout_us)
{
    return pica_sys_thread_join(slot, timeout_us);
}

/* ---- semaphores ---- */

static inline int
sys_sem_create(unsigned initial, unsigned max)
{
    return pica_sys_sem_create(initial, max);
}

static inline int
sys_sem_take(int slot, uint32_t timeout_us)
{
    return pica_sys_sem_take(slot, timeout_us);
}

static inline int
sys_sem_give(int slot)
{
    return pica_sys_sem_give(slot);
}

/* ---- mutexes ---- */

/* Delete what a slot holds (an object the process made is destroyed). */
static inline int
sys_cap_delete(int slot)
{
    return pica_sys_cap_delete((uint32_t)slot);
}

static inline int
sys_mutex_create(void)
{
    return pica_sys_mutex_create();
}

static inline int
sys_mutex_lock(int slot, uint32_t timeout_us)
{
    return pica_sys_mutex_lock(slot, timeout_us);
}

static inline int
sys_mutex_unlock(int slot)
{
    return pica_sys_mutex_unlock(slot);
}

/* ---- queues of fixed-size items ---- */

static inline int
sys_queue_create(size_t item_size, unsigned depth)
{
    return pica_sys_queue_create(item_size, depth);
}

static inline int
sys_queue_send(int slot, const void *item, size_t item_size, uint32_t timeout_us)
{
    return pica_sys_queue_send(slot, item, item_size, timeout_us);
}

static inline int
sys_queue_recv(int slot, void *item, size_t item_size, uint32_t timeout_us)
{
    return pica_sys_queue_recv(slot, item, item_size, timeout_us);
}

/* ---- event flags (bits 0..30; sys_event_wait's options: PICA_USER_EV_ANY
 * or PICA_USER_EV_ALL, with PICA_USER_EV_CLEAR to clear what satisfied it;
 * it returns those bits) ---- */

static inline int
sys_event_create(void)
{
    return pica_sys_event_create();
}

static inline int
sys_event_set(int slot, uint32_t bits)
{
    return pica_sys_event_set(slot, bits);
}

static inline int
sys_event_clear(int slot, uint32_t bits)
{
    return pica_sys_event_clear(slot, bits);
}

static inline int
sys_event_wait(int slot, uint32_t bits, unsigned options, uint32_t timeout_us)
{
    return pica_sys_event_wait(slot, bits, options, timeout_us);
}

/* ---- capabilities (docs/capabilities.md) ----
 * Slots are derived from one another: a copy or mint is a child of its
 * source, and sys_cap_revoke() deletes every descendant of a slot, in every
 * process it reached. @dst may be PICA_SLOT_ANY for the lowest free slot. */

#define PICA_SLOT_ANY 0xFFFFFFFFu

static inline int
sys_cap_copy(int src, uint32_t dst, unsigned rights)
{
    return pica_sys_cap_copy((uint32_t)src, dst, rights);
}

/* A copy of an endpoint or notification without a badge, with @badge
 * (1..0x7FFFFFFF), which its holders cannot change. */
static inline int
sys_cap_mint(int src, uint32_t dst, unsigned rights, uint32_t badge)
{
    return pica_sys_cap_mint((uint32_t)src, dst, rights, badge);
}

static inline int
sys_cap_move(int src, int dst)
{
    return pica_sys_cap_move((uint32_t)src, (uint32_t)dst);
}

/* Returns how many capabilities were deleted. */
static inline int
sys_cap_revoke(int slot)
{
    return pica_sys_cap_revoke((uint32_t)slot);
}

/* The slot's type and rights: PICA_USER_CAP_* | PICA_USER_RIGHT_* << 8. */
static inline int
sys_cap_info(int slot)
{
    return pica_sys_cap_info((uint32_t)slot);
}

static inline int
sys_cap_badge(int slot)
{
    return pica_sys_cap_badge((uint32_t)slot);
}

/* A REGION slot for @len bytes of this process's memory at @base (a
 * power of two of at least 32, @base aligned to it): passed to another
 * process in a message, it maps the memory there (read-only without
 * WRITE) until the copy is deleted or revoked. */
static inline int
sys_region_create(void *base, uint32_t len, unsigned rights)
{
    return pica_sys_region_create((uint32_t)(uintptr_t)base, len, rights);
}

/* ---- IPC: endpoints and notifications (docs/capabilities.md) ----
 * A message is four words, and through a struct pica_user_ipc (set up with
 * sys_ipc_init()) a buffer of up to PICA_CFG_IPC_BUF_MAX bytes and two
 * capabilities; received words, badge and length land in the same block. */

static inline void
sys_ipc_init(struct pica_user_ipc *m, uint32_t timeout_us)
{
    *m = (struct pica_user_ipc){
        .timeout_us = timeout_us,
        .send_caps = {PICA_USER_IPC_NO_CAP, PICA_USER_IPC_NO_CAP},
        .recv_caps = {PICA_USER_IPC_NO_CAP, PICA_USER_IPC_NO_CAP},
        .got_caps = {PICA_USER_IPC_NO_CAP, PICA_USER_IPC_NO_CAP},
    };
}

static inline int
sys_ep_create(void)
{
    return pica_sys_ep_create();
}

/* @m may be NULL: the words alone, waiting without limit. */
static inline int
sys_ep_send(int ep, const uint32_t w[4], struct pica_user_ipc *m)
{
    return pica_sys_ep_send((uint32_t)ep, w[0], w[1], w[2], w[3], (uint32_t)(uintptr_t)m);
}

/* Send and wait for the answer: its words in m->w. */
static inline int
sys_ep_call(int ep, const uint32_t w[4], struct pica_user_ipc *m)
{
    return pica_sys_ep_call((uint32_t)ep, w[0], w[1], w[2], w[3], (uint32_t)(uintptr_t)m);
}

static inline int
sys_ep_recv(int ep, struct pica_user_ipc *m)
{
    return pica_sys_ep_recv((uint32_t)ep, (uint32_t)(uintptr_t)m);
}

/* Answer the call received last (@reply PICA_SLOT_ANY) or a saved one. */
static inline int
sys_ep_reply(uint32_t reply, const uint32_t w[4], struct pica_user_ipc *m)
{
    return pica_sys_ep_reply(reply, w[0], w[1], w[2], w[3], (uint32_t)(uintptr_t)m);
}

/* A server's loop step: answer the call held (if any), receive the next. */
static inline int
sys_ep_reply_recv(int ep, const uint32_t w[4], struct pica_user_ipc *m)
{
    return pica_sys_ep_reply_recv((uint32_t)ep, w[0], w[1], w[2], w[3], (uint32_t)(uintptr_t)m);
}

/* ---- Register IPC: four words each way, nothing else ----
 * The fast way between processes (docs/capabilities.md, "Register IPC"):
 * the words go in registers both ways, with no struct pica_user_ipc. In:
 * r0 / a0 the slot, r1-r4 / a1-a4 the words, r5 / a5 the timeout; out: r0 /
 * a0 the result, the words in r1-r3 and r12 / a1-a4 (r12: the kernel's exit
 * does not restore r4). The words are written back only on success. */
static inline __attribute__((always_inline)) int
pica_ipc_regs_(uint32_t nr, uint32_t slot, uint32_t w[4], uint32_t timeout_us)
{
#if defined(__arm__)
    register uint32_t r0 __asm__("r0") = slot;
    register uint32_t r1 __asm__("r1") = w[0];
    register uint32_t r2 __asm__("r2") = w[1];
    register uint32_t r3 __asm__("r3") = w[2];
    register uint32_t r4 __asm__("r4") = w[3];
    register uint32_t r5 __asm__("r5") = timeout_us;
    register uint32_t r12 __asm__("r12");
#if defined(__OPTIMIZE__)
    register uint32_t r7 __asm__("r7") = nr;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "=r"(r12)
                     : "r"(r4), "r"(r5), "r"(r7)
                     : "memory", "cc");
#else /* r7 may be the frame pointer: saved around the call */
    __asm__ volatile("push {r7}\n\tmov r7, %[nr]\n\tsvc #0\n\tpop {r7}"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "=r"(r12)
                     : "r"(r4), "r"(r5), [nr] "r"(nr)
                     : "memory", "cc");
#endif
    if ((int32_t)r0 >= 0) {
        w[0] = r1;
        w[1] = r2;
        w[2] = r3;
        w[3] = r12;
    }
    return (int32_t)r0;
#else
    register uint32_t a0 __asm__("a0") = slot;
    register uint32_t a1 __asm__("a1") = w[0];
    register uint32_t a2 __asm__("a2") = w[1];
    register uint32_t a3 __asm__("a3") = w[2];
    register uint32_t a4 __asm__("a4") = w[3];
    register uint32_t a5 __asm__("a5") = timeout_us;
    register uint32_t a7 __asm__("a7") = nr;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a7)
                     :
                     : "a6", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
    if ((int32_t)a0 >= 0) {
        w[0] = a1;
        w[1] = a2;
        w[2] = a3;
        w[3] = a4;
    }
    return (int32_t)a0;
#endif
}

/* Call @ep with w[0..3]; the answer's words replace them: 0, or
 * sys_ep_call()'s errors. */
static inline int
sys_ep_callw(int ep, uint32_t w[4], uint32_t timeout_us)
{
    return pica_ipc_regs_(PICA_SYS_EP_CALLW, (uint32_t)ep, w, timeout_us);
}

/* Receive words only into w[0..3]: the sender's badge (&
 * PICA_USER_BADGE_MASK) and PICA_USER_MSG_* << PICA_USER_MSG_SHIFT, or a
 * negative errno. */
static inline int
sys_ep_recvw(int ep, uint32_t w[4], uint32_t timeout_us)
{
    uint32_t r[4] = {timeout_us, 0, 0, 0};
    int got = pica_ipc_regs_(PICA_SYS_EP_RECVW, (uint32_t)ep, r, 0);
    if (got >= 0) {
        w[0] = r[0];
        w[1] = r[1];
        w[2] = r[2];
        w[3] = r[3];
    }
    return got;
}

/* A server's loop step in registers: answer the call held (if any) with
 * w[0..3], then receive as sys_ep_recvw(). */
static inline int
sys_ep_reply_recvw(int ep, uint32_t w[4], uint32_t timeout_us)
{
    return pica_ipc_regs_(PICA_SYS_EP_REPLY_RECVW, (uint32_t)ep, w, timeout_us);
}

static inline int
sys_ep_bind(int ep, int ntfn)
{
    return pica_sys_ep_bind((uint32_t)ep, (uint32_t)ntfn);
}

static inline int
sys_reply_save(void)
{
    return pica_sys_reply_save();
}

static inline int
sys_ntfn_create(void)
{
    return pica_sys_ntfn_create();
}

static inline int
sys_ntfn_signal(int ntfn)
{
    return pica_sys_ntfn_signal((uint32_t)ntfn);
}

/* The word (> 0) once it is not zero. */
static inline int
sys_ntfn_wait(int ntfn, uint32_t timeout_us)
{
    return pica_sys_ntfn_wait((uint32_t)ntfn, timeout_us);
}

static inline int
sys_ntfn_poll(int ntfn)
{
    return pica_sys_ntfn_poll((uint32_t)ntfn);
}

/* ---- interrupts for user drivers: an IRQ slot the kernel gave ---- */

/* Each interrupt of the line masks it and signals @ntfn's badge. */
static inline int
sys_irq_bind(int ntfn, int irq)
{
    return pica_sys_irq_bind((uint32_t)ntfn, (uint32_t)irq);
}

/* The device is served: unmask the line. */
static inline int
sys_irq_ack(int irq)
{
    return pica_sys_irq_ack((uint32_t)irq);
}

/* ---- the name service (docs/capabilities.md, "Boot") ----
 * Where the image has a root process, every process holds an endpoint to
 * it (sys_ns_slot()); a process offers a service by registering one of its
 * capabilities (with the grant right) under a name, and others look the
 * name up to get a copy of it. The root runs sys_ns_serve(). Names are
 * 1..PICA_NS_NAME_MAX bytes. */

#define PICA_NS_NAME_MAX 15
#define PICA_NS_SERVICES 8 /* names the root keeps at once */

/* The slot of the name service's endpoint, or -1 (no root process). */
int sys_ns_slot(void);
/* Offer @slot's capability as @name. Returns: 0, -EEXIST (taken), -ENOSPC
 * (the root's table or slots are full), -EINVAL (bad name), -ENOENT (no
 * root process), -EPERM (@slot lacks the grant right), IPC's errors. */
int sys_ns_register(const char *name, int slot);
/* A copy of the capability offered as @name, in @dst (a free slot).
 * Returns: @dst, -ENOENT (no such name, or no root), -EEXIST (@dst taken),
 * -EINVAL, IPC's errors. */
int sys_ns_lookup(const char *name, int dst);
/* Withdraw @name (only its registrant may). Returns: 0, -ENOENT, -EPERM. */
int sys_ns_unregister(const char *name);
/* The root process's service loop on its endpoint slot @ep (slot 0 as it
 * starts). Returns only on an error receiving. */
int sys_ns_serve(int ep);
/* The root offering one of its own slots (an initial capability) as @name,
 * before or between sys_ns_serve(). Returns: 0, -EEXIST, -ENOSPC, -EINVAL,
 * -EBADF. */
int sys_ns_offer(const char *name, int slot);

/* ---- files (docs/user-space.md, "Files") ----
 * The process needs the FS capability, given by kernel code
 * (pica_fs_tree): without it every call naming a path gives -EPERM. The
 * POSIX calls (open, close, read, write, lseek, fsync, ftruncate, fstat,
 * stat, unlink, mkdir, rmdir, rename) and so fopen and the rest of stdio
 * work on top of these, with picolibc's O_* flags and fd = slot + 3
 * (0-2 are the console). Here, the kernel's own: PICA_USER_O_* flags,
 * slots, and -errno results. An open file or directory is a slot;
 * sys_cap_delete() closes it. */

/* Open @path with PICA_USER_O_RDONLY, _WRONLY or _RDWR, and _CREAT, _EXCL,
 * _TRUNC, _APPEND. Returns: the FILE slot, -EPERM (no FS capability, or one
 * without WRITE for a change), -ENOENT, -EEXIST, -ENOMEM (quota), -ENOSPC
 * (no free slot), -ENOSYS (no file system in the image). */
static inline int
sys_fs_open(const char *path, unsigned flags)
{
    return pica_sys_fs_open(path, flags);
}

/* Open the directory @path for sys_fs_readdir(). Returns: its DIR slot, or
 * as sys_fs_open(). */
static inline int
sys_fs_opendir(const char *path)
{
    return pica_sys_fs_opendir(path);
}

/* The next entry of the directory in @slot (mounts below it included).
 * Returns: 1 (*@e set), 0 (no more), -EBADF. */
static inline int
sys_fs_readdir(int slot, struct pica_user_fs_dirent *e)
{
    return pica_sys_fs_readdir(slot, e, sizeof(*e));
}

static inline int
sys_fs_stat(const char *path, struct pica_user_fs_stat *st)
{
    return pica_sys_fs_stat(path, st, sizeof(*st));
}

static inline int
sys_fs_statvfs(const char *path, struct pica_user_fs_statvfs *st)
{
    return pica_sys_fs_statvfs(path, st, sizeof(*st));
}

/* ---- eBPF programs (docs/user-space.md, "eBPF programs") ----
 * Loading takes the BPF capability kernel code gave the process (a grant
 * naming the hooks it may attach to); a loaded program is a BPF_PROG slot
 * of the process, charged to its quota, unloaded by sys_bpf_unload() (or
 * sys_cap_delete()) and when the process ends. Programs run in the
 * kernel, on every event of their hook, with the kernel's checks. Errors
 * are -ENOSYS where the image has no eBPF. user/bpf.c. */

/* The first slot holding a BPF grant with WRITE, or -ENOENT. */
int sys_bpf_grant(void);

/* Load the ELF object @elf (@len bytes, as clang -target bpf builds it;
 * the kernel reads it where it is in the process's text, else a copy of
 * its own), verify its first program and attach it to @hook ("syscall",
 * "timer:100"...). Returns: its BPF_PROG slot; -EBADF/-EPERM
 * (@grant_slot holds no grant with WRITE), -EPERM (a hook outside the
 * grant), -ENOENT (no such hook or program), -EINVAL (malformed, or refused
 * by the verifier: the kernel logs why), -E2BIG, -ENOMEM (quota or heap),
 * -ENOSPC (no free slot, no timer). */
int sys_bpf_load(int grant_slot, const void *elf, size_t len, const char *hook);

/* Copy the value of @key in the program's map @map (its name, or "#n" for
 * the n-th); the sizes must be the map's. Returns: 0, -ENOENT (no such map
 * or key), -EINVAL (other sizes, a ring buffer). */
int sys_bpf_map_lookup(int prog_slot, const char *map, const void *key, size_t key_size,
                       void *value, size_t value_size);

/* Set the value of @key in the program's map @map (a hash map gains the
 * key). Returns: 0, -ENOENT, -EINVAL (as lookup), -E2BIG (hash map full). */
int sys_bpf_map_update(int prog_slot, const char *map, const void *key, size_t key_size,
                       const void *value, size_t value_size);

/* The program's runs, instructions and faults. Returns: 0, -ENOENT (the
 * kernel detached it for overrunning its budget). */
int sys_bpf_prog_stats(int prog_slot, struct pica_user_bpf_stats *st);

/* Detach and free the program in @prog_slot. Returns: 0, -EBADF (not a
 * program's slot). */
int sys_bpf_unload(int prog_slot);

/* The slot of a POSIX file descriptor from open(), and back. */
#define SYS_FD_SLOT(fd) ((fd) - 3)
#define SYS_SLOT_FD(slot) ((slot) + 3)
