/* SPDX-License-Identifier: MIT */
/* Inside bpf/kern/: the hooks, the helpers, the registry's services and the
 * picactl service share these. */
#pragma once

#include <pica/bpf_ctx.h>
#include <pica/bpf_hook.h>
#include <pica/bpf_kern.h>
#include <pica/config.h>
#include <stdbool.h>

struct pica_proc;

enum kern_hook_id {
    KERN_HOOK_TIMER,
    KERN_HOOK_IRQ,
    KERN_HOOK_SWITCH,
    KERN_HOOK_SYSCALL,
    KERN_HOOK_CONSOLE,
    KERN_HOOK_CRON,
    KERN_HOOK_FS,
    KERN_HOOK_LOG,
    KERN_HOOKS
};

/* Linux's numbers for the helpers the kernel adds to the standard set. */
#define KERN_FUNC_get_smp_processor_id 8u
#define KERN_FUNC_get_current_pid_tgid 14u
#define KERN_FUNC_get_current_comm 16u

extern struct bpf_hook kern_hooks[KERN_HOOKS];
extern struct bpf_hook *const kern_hook_table[KERN_HOOKS];

/* Every helper the kernel offers (the standard ones and its own), filled
 * by kern_helpers_init(). */
extern struct bpf_helper kern_helpers[];
extern unsigned kern_helpers_count;
int kern_helpers_init(void);
/* Time, randomness and trace output for the standard helpers. */
extern const struct bpf_hooks kern_services;

int kern_hooks_init(void);
/* Uptime in nanoseconds, cheaply (hooks.c). */
uint64_t kern_now_ns(void);
void kern_attached(struct bpf_hook *h, struct bpf_attach *a, bool on);
void kern_timer_attached(struct bpf_attach *a, bool on);
unsigned kern_timers_free(void);
unsigned kern_runs_exclude(void);
void kern_runs_allow(unsigned key);

/* A process's id as programs see it: its place in the image's table, from
 * 1; 0 for none (a kernel thread). */
uint32_t kern_pid(const struct pica_proc *p);

/* The picactl service: true if @c belongs to a frame (interrupt context). */
bool kern_ctl_rx(char c);
int kern_ctl_start(void);
