/* SPDX-License-Identifier: MIT */
/* eBPF in the running kernel: the hooks (timer, irq, switch, syscall,
 * console, cron, fs, log), the kernel's helpers, the picactl service on the
 * console and the shell's `bpf` command. An image links it with
 * pica_link_bpf(target) and calls pica_bpf_start() once. Programs are held
 * by one registry (include/pica/bpf_hook.h); kernel code that uses it
 * directly holds pica_bpf_lock() around each call. Code: bpf/kern/; notes:
 * docs/bpf.md (Hooks). */
#pragma once

#include <pica/bpf_hook.h>
#include <pica/event.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Start: the registry, the taps, the picactl service (a thread, "bpfctl")
 * and the shell command. Context: thread (main). Returns: 0, -EALREADY,
 * -ENOMEM, -EBUSY (a tap is taken by someone else). */
int pica_bpf_start(void);

/* The registry of loaded programs, and the lock that orders calls to it
 * from threads (the shell, picactl, system calls). Context: thread. */
struct bpf_registry *pica_bpf_registry(void);
void pica_bpf_lock(void);
void pica_bpf_unlock(void);

/* Load and attach under the lock, as picactl and the shell do; the verdict
 * right only where @req asks for it (BPF_ATTACH_VERDICT) and the hook has
 * verdicts ("irq:console" names the console's receive line).
 * Returns the program id or a negative errno with @err filled. */
int pica_bpf_load(const struct bpf_load_req *req, struct bpf_load_err *err);
int pica_bpf_unload(uint32_t id);

/* The event group the event_set helper sets bits of: threads wait on it
 * for what programs saw. */
struct pica_event *pica_bpf_events(void);

/* Let programs read and write GPIO @pin (gpio_get/gpio_set helpers), a pin
 * the image has configured. Up to 32 pins. Returns: 0, -ENOSPC. */
int pica_bpf_grant_gpio(unsigned pin);

/* Per-hook costs and counts, for benchmarks and the shell. */
struct pica_bpf_hook_info {
    const char *name;
    uint32_t attached;   /* programs on it */
    uint64_t runs;       /* events that ran programs */
};
/* Hook @index (0 ..), or -ENOENT past the last. */
int pica_bpf_hook_info(unsigned index, struct pica_bpf_hook_info *info);

/* The most bytes programs have used of the C stacks they run on (the
 * interrupt level's and the threads'), each of *@size bytes
 * (PICA_CFG_BPF_RUN_STACK). */
void pica_bpf_stack_use(size_t *isr_used, size_t *thread_used, size_t *size);

#ifdef __cplusplus
}
#endif
