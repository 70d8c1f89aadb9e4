/* SPDX-License-Identifier: MIT */
/* System calls, the kernel's side: syscall_dispatch() (arch/arch.h) runs
 * the decoder that tools/pica-syscalls generates from kernel/proc/syscalls.def
 * (syscall_table.c in the build tree), which checks the arguments and
 * calls the handler sys_<name>(). The object calls' handlers are in
 * kernel/proc/syscall_objects.c; the argument checks in lib/uaccess.c; slots in
 * kernel/cap.c. */
#pragma once

#include <stdint.h>

#include <pica/time.h>

#include "arch.h"

/* The limits of arguments, which user code sees as PICA_USER_* too (the
 * generator reads these lines). An in-buffer of up to COPY_MAX bytes is
 * copied onto the kernel stack before its handler runs, so a sibling
 * thread cannot change it after the check; a longer one is read in place.
 * A string is copied, NUL included, into STR_MAX bytes. */
#define PICA_SYSCALL_COPY_MAX 64
#define PICA_SYSCALL_STR_MAX 64
/* A path (PICA_FS_PATH_MAX bytes) is copied, NUL included, into PATH_MAX. */
#define PICA_SYSCALL_PATH_MAX 129
/* A timeout in microseconds: 0 does not wait, FOREVER waits without limit. */
#define PICA_SYSCALL_NO_WAIT 0u
#define PICA_SYSCALL_FOREVER 0xFFFFFFFFu

struct pica_proc;

/* Decode and run the call @args for process @p (the generated table).
 * Returns: the handler's result, -ENOSYS (unknown number), or the first
 * argument's error: -EBADF, -EPERM (slots), -EFAULT (buffers, strings),
 * -ENAMETOOLONG (strings). */
int32_t syscall_invoke(struct pica_proc *p, const struct syscall_args *args);

/* The call's name, for traces; NULL for an unknown number. */
const char *syscall_name(uint32_t nr);

/* The process of the running thread: the caller of the system call being
 * handled. Context: a system-call handler. */
struct pica_proc *syscall_proc(void);

/* A user timeout in microseconds as the kernel's. */
static inline pica_timeout_t
syscall_timeout(uint32_t us)
{
    if (us == PICA_SYSCALL_FOREVER) {
        return PICA_FOREVER;
    }
    /* 64 bits, so the saturation test is a real one (no 32-bit count
     * reaches it at 1 kHz, but it may at faster ticks). */
    uint64_t n = us;
    return us == PICA_SYSCALL_NO_WAIT ? PICA_NO_WAIT : PICA_US(n);
}
