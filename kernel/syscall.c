/* SPDX-License-Identifier: MIT */
/* System-call entry: the port calls syscall_dispatch() in the calling user
 * thread, privileged, on its kernel stack (arch/arch.h); the generated
 * table (kernel/syscalls.def) decodes and checks the arguments. */
#include "syscall.h"

#include <errno.h>
#include <pica/proc.h>

#include "sched.h"

struct pica_proc *
syscall_proc(void)
{
    return sched.current->proc;
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
    return syscall_invoke(p, args);
}
