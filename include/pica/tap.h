/* SPDX-License-Identifier: MIT */
/* Taps: the kernel's observation points. Each is a function pointer that the
 * kernel tests at one event (an interrupt, a context switch, a system call,
 * a received console byte, a cron job firing, a log record, a file opened or
 * removed) and calls when set. Unset, a tap costs one load and one compare
 * on its path. eBPF hooks (bpf/kern/) and tracing tools set them; only one
 * user per tap, so pica_tap_set() refuses a second one.
 *
 * Each tap runs in the context of its event and must not block where the
 * event cannot: irq, switch and console_rx run in interrupt context (switch
 * with the kernel locked), the others in the thread whose event it is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct pica_thread;

/* File operations the fs tap sees. */
enum pica_tap_fs_op {
    PICA_TAP_FS_OPEN = 1,
    PICA_TAP_FS_UNLINK = 2,
};

struct pica_taps {
    /* Interrupt line @line is about to run its handler. */
    void (*irq)(unsigned line);
    /* (The switch tap, PICA_TAP_SWITCH, lives with the scheduler's state,
     * where the switch reads it without another load: a function
     * void (const struct pica_thread *from, const struct pica_thread *to),
     * called once the CPU has passed from @from to @to, kernel locked, in
     * interrupt context.) */
    /* A process's system call @nr with its arguments is about to run:
     * 0 lets it, a negative errno is its result instead. */
    int32_t (*syscall)(uint32_t nr, const uint32_t args[6]);
    /* A byte arrived on the console: true consumes it (the reader never sees it). */
    bool (*console_rx)(char c);
    /* Cron job @id named @what fires. */
    void (*cron)(int id, const char *what);
    /* A file is opened (@flags: PICA_O_*) or removed: 0 lets it, a negative errno refuses. */
    int (*fs)(enum pica_tap_fs_op op, const char *path, uint32_t flags);
    /* A log record of @level from @module: true drops it. */
    bool (*log)(int level, const char *module, const char *text, size_t len);
};

/* The taps, read by the kernel at each event. Set through pica_tap_set(). */
extern struct pica_taps pica_taps;

enum pica_tap_id {
    PICA_TAP_IRQ,
    PICA_TAP_SWITCH,
    PICA_TAP_SYSCALL,
    PICA_TAP_CONSOLE_RX,
    PICA_TAP_CRON,
    PICA_TAP_FS,
    PICA_TAP_LOG,
};

/* Set tap @id to @fn (a function of the member's type), or clear it with
 * NULL. Setting one already set to another function fails. The change is
 * seen by the next event. Context: thread.
 * Returns: 0, -EBUSY (another function holds it), -EINVAL. */
int pica_tap_set(enum pica_tap_id id, void *fn);

#ifdef __cplusplus
}
#endif
