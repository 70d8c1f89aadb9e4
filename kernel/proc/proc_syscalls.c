/* SPDX-License-Identifier: MIT */
/* The system calls of processes and threads (kernel/proc/syscalls.def): each
 * runs in the calling user thread, privileged, on its privileged stack,
 * after syscall.c checked and copied its arguments. */
#include <errno.h>
#include <pica/console.h>
#include <pica/cron.h>
#include <pica/proc.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <pica/user/abi.h>
#include <stdio.h>
#include <string.h>

#include "cap.h"
#include "proc_priv.h"
#include "sched.h"
#include "syscall.h"

int32_t
sys_nop(void)
{
    return 0;
}

int32_t
sys_write(uint32_t fd, const void *buf, uint32_t len)
{
    if (fd != 1u && fd != 2u) {
        return -EBADF;
    }
    if (len > INT32_MAX) {
        return -EINVAL;
    }
    pica_console_write(buf, len);
    return (int32_t)len;
}

void
sys_exit(uint32_t code)
{
    proc_exit_self((int)code);
}

int32_t
sys_thread_create(uint32_t entry, uint32_t arg, uint32_t prio)
{
    struct pica_proc *p = sched.current->proc;
    const struct pica_proc_region *text = &p->regions[0];
    /* Only its own code, and no more urgent than the process was built to
     * be: a process cannot raise itself above others. */
    if (entry - text->base >= text->len) {
        return -EFAULT;
    }
    if (prio >= PICA_PRIO_IDLE) {
        return -EINVAL;
    }
    if (prio < p->image->prio) {
        return -EPERM;
    }
    proc_reap();
    struct pica_thread *t;
    int err = proc_thread_create(p, entry, arg, prio, &t);
    if (err != 0) {
        return err;
    }
    int slot = cap_insert(p, PICA_CAP_THREAD, t, PICA_RIGHTS_ALL, false);
    if (slot < 0) {
        (void)pica_thread_kill(t);
        return slot;
    }
    (void)pica_thread_resume(t);
    return slot;
}

void
sys_thread_exit(uint32_t code)
{
    struct pica_proc *p = sched.current->proc;
    if (p->threads_alive == 1 && p->ending == 0) {
        /* The last of its threads: the process ends with this code. */
        proc_report_end(p, "ended with its last thread, code ", (int)code);
    }
    pica_thread_exit((int)code);
}

int32_t
sys_yield(void)
{
    pica_yield();
    return 0;
}

int32_t
sys_sleep_us(uint32_t us)
{
    return pica_sleep(syscall_timeout(us));
}

int32_t
sys_uptime_us(void *buf, uint32_t len)
{
    if (len != sizeof(uint64_t)) {
        return -EINVAL;
    }
    uint64_t us = pica_uptime_us();
    memcpy(buf, &us, sizeof(us));
    return 0;
}

/* Cron is linked only into images that use it (the services archive). */
#pragma weak pica_cron_add_user
#pragma weak pica_cron_del_owned

/* A run of a process's cron job: a new thread at entry(arg) with the
 * process's priority. */
static struct pica_thread *
user_cron_start(const uintptr_t data[3], int *err)
{
    struct pica_proc *p = (struct pica_proc *)data[0];
    if (p->state != PICA_PROC_RUNNING) {
        *err = -ESRCH;
        return NULL;
    }
    proc_reap();
    struct pica_thread *t;
    *err = proc_thread_create(p, (uint32_t)data[1], (uint32_t)data[2], p->image->prio, &t);
    if (*err != 0) {
        return NULL;
    }
    (void)pica_thread_resume(t); /* created suspended */
    return t;
}

int32_t
sys_cron_add(const char *line, uint32_t entry, uint32_t arg)
{
    struct pica_proc *p = sched.current->proc;
    if (entry - p->regions[0].base >= p->regions[0].len) {
        return -EFAULT; /* only its own code, as thread_create */
    }
    if (pica_cron_add_user == NULL) {
        return -ENOSYS;
    }
    const uintptr_t data[3] = {(uintptr_t)p, entry, arg};
    return pica_cron_add_user(line, user_cron_start, data, p, p->image->name, NULL);
}

int32_t
sys_cron_del(uint32_t id)
{
    if (pica_cron_del_owned == NULL) {
        return -ENOSYS;
    }
    if (id == 0 || id > INT32_MAX) {
        return -ENOENT;
    }
    return pica_cron_del_owned((int)id, sched.current->proc);
}

_Static_assert(sizeof(struct pica_user_walltime) == 16, "the ABI's wall clock is 16 bytes");

int32_t
sys_time_get(void *buf, uint32_t len)
{
    if (len != sizeof(struct pica_user_walltime)) {
        return -EINVAL;
    }
    struct pica_walltime now;
    (void)pica_time_get(&now);
    struct pica_user_walltime out = {.sec = now.sec, .nsec = now.nsec};
    memcpy(buf, &out, sizeof(out));
    return 0;
}

int32_t
sys_time_set(struct pica_clock *clock, const void *buf, uint32_t len)
{
    (void)clock; /* the slot's WRITE right is the permission */
    struct pica_user_walltime in;
    if (len != sizeof(in)) {
        return -EINVAL;
    }
    memcpy(&in, buf, sizeof(in));
    struct pica_walltime t = {.sec = in.sec, .nsec = in.nsec};
    return pica_time_set(&t);
}

int32_t
sys_tls_set(uint32_t ptr)
{
    /* Stored, and written to the process's thread pointer word (its own
     * memory) whenever the thread enters user mode. */
    sched.current->user->tls = ptr;
    return 0;
}

int32_t
sys_thread_kill(struct pica_thread *thread)
{
    return pica_thread_kill(thread);
}

int32_t
sys_thread_join(struct pica_thread *thread, uint32_t timeout_us)
{
    int code = 0;
    int err = pica_thread_join_code(thread, syscall_timeout(timeout_us), &code);
    return err != 0 ? err : code;
}
