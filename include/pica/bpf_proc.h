/* SPDX-License-Identifier: MIT */
/* eBPF for user processes, the kernel's side: the grant kernel code gives a
 * process (a PICA_CAP_BPF slot) so that it may load programs on the hooks
 * the grant names, and the options of the thread that does the work of its
 * system calls (bpf_load, bpf_map_lookup, bpf_map_update, bpf_prog_stats).
 * A program a process loads is a PICA_CAP_BPF_PROG slot of its own,
 * charged to its quota, unloaded when the slot is deleted or the process
 * ends; it runs in the kernel's VM with every check a kernel program gets.
 * Code: bpf/kern/sys_bpf.c; rules: docs/user-space.md ("eBPF programs").
 *
 *     static const struct pica_bpf_grant grant = {
 *         .hooks = PICA_BPF_HOOK_SYSCALL | PICA_BPF_HOOK_TIMER,
 *         .flags = PICA_BPF_GRANT_VERDICT,
 *     };
 *     pica_proc_give(p, PICA_CAP_BPF, (void *)&grant, PICA_RIGHT_WRITE);
 *
 * An image has the calls when it links eBPF (pica_link_bpf) and has
 * processes; they answer -ENOSYS until pica_bpf_start() has run. */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* struct pica_bpf_grant.hooks: one bit per hook of the running kernel. A
 * grant is wide: a program sees every event of its hooks, whichever
 * process or thread it comes from (a syscall program reads the arguments
 * of every process's calls), and the helpers of its hook (in interrupt
 * context: event_set, and the GPIO pins the image granted programs with
 * pica_bpf_grant_gpio()). */
#define PICA_BPF_HOOK_TIMER (1u << 0)   /* "timer:<ms>" */
#define PICA_BPF_HOOK_IRQ (1u << 1)     /* "irq:<line>" */
#define PICA_BPF_HOOK_SWITCH (1u << 2)  /* "switch" */
#define PICA_BPF_HOOK_SYSCALL (1u << 3) /* "syscall" */
#define PICA_BPF_HOOK_CONSOLE (1u << 4) /* "console" */
#define PICA_BPF_HOOK_CRON (1u << 5)    /* "cron" */
#define PICA_BPF_HOOK_FS (1u << 6)      /* "fs" */
#define PICA_BPF_HOOK_LOG (1u << 7)     /* "log" */
#define PICA_BPF_HOOKS_ALL 0xffu

/* struct pica_bpf_grant.flags */
#define PICA_BPF_GRANT_VERDICT 1u /* on hooks that take verdicts (syscall,
                                   * console, fs, log), its programs decide:
                                   * refuse a call, drop a byte or record */

/* The authority to load programs: the object of a PICA_CAP_BPF slot. It
 * stays the kernel's (constant, or alive as long as any process holds it);
 * a load reads it at the time of the call. */
struct pica_bpf_grant {
    uint32_t hooks; /* PICA_BPF_HOOK_* */
    uint32_t flags; /* PICA_BPF_GRANT_* */
};

/* The service thread ("bpfsys") that loads, verifies and answers map and
 * stats requests for processes, started by the first request: a system
 * call's privileged stack (PICA_CFG_SYSCALL_STACK) is far too small for
 * the loader and the verifier. */
#ifndef PICA_CFG_BPF_SYS_STACK
#define PICA_CFG_BPF_SYS_STACK 2048
#endif
#ifndef PICA_CFG_BPF_SYS_PRIO
#define PICA_CFG_BPF_SYS_PRIO 8
#endif
_Static_assert(PICA_CFG_BPF_SYS_STACK >= 1024 && PICA_CFG_BPF_SYS_STACK % 64 == 0,
               "PICA_CFG_BPF_SYS_STACK: a multiple of 64, at least 1024");

#ifdef __cplusplus
}
#endif
