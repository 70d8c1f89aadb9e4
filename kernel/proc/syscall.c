/* SPDX-License-Identifier: MIT */
/* System-call entry: the port calls syscall_dispatch() in the calling user
 * thread, privileged, on its kernel stack (arch/arch.h); the generated
 * table (kernel/proc/syscalls.def) decodes and checks the arguments. */
#include "syscall.h"

#include <errno.h>
#include <pica/panic.h>
#include <pica/proc.h>
#include <pica/tap.h>

#include "sched.h"
#include "thread_priv.h"

struct pica_proc *
syscall_proc(void)
{
    return sched.current->proc;
}

/* The call, unless the syscall tap refuses it. Apart, so that the common
 * path of syscall_dispatch() stays as it was. */
static __attribute__((noinline)) int32_t
syscall_tapped(struct pica_proc *p, const struct syscall_args *args)
{
    int32_t verdict = pica_taps.syscall(args->nr, args->a);
    return verdict < 0 ? verdict : syscall_invoke(p, args);
}

int32_t
syscall_dispatch(struct syscall_args *args)
{
    struct pica_proc *p = syscall_proc();
    /* Only user threads enter by the trap; a kernel thread that did has
     * no slots or regions to name anything with. */
    if (p == NULL) {
        return -EPERM;
    }
    int32_t result;
    if (__builtin_expect(pica_taps.syscall != NULL, 0)) {
        result = syscall_tapped(p, args);
    } else {
        result = syscall_invoke(p, args);
    }
    /* Where the port guards the privileged stack (the running thread's
     * stack guard covers it during the call), an overrun faults at its first
     * access. Elsewhere a canary: a call that overran it has overwritten
     * kernel memory below it, which no recovery can trust. */
    if (!ARCH_HAS_STACK_GUARD && PICA_CFG_STACK_CHECK &&
        __builtin_expect(!thread_kstack_intact(sched.current), 0)) {
        PICA_PANIC("system call %lu overran the privileged stack of a thread of '%s'",
                   (unsigned long)args->nr, p->image->name);
    }
    return result;
}
