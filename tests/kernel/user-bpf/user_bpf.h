/* SPDX-License-Identifier: MIT */
/* What the user-bpf test's kernel side (main.c) and its processes share. */
#pragma once

#include <stdint.h>

/* bpf_b makes each of its two calls this many times once the filter is
 * on; bpf_a's rule refuses the first of them. */
#define USER_BPF_CALLS 10
#define USER_BPF_REFUSED_NR 7 /* uptime_us */

/* The kernel's note to bpf_a, in its A_NOTES queue. */
struct user_bpf_note {
    uint32_t b_pid;       /* bpf_b's id as programs see it (index + 1) */
    uint32_t kernel_addr; /* kernel RAM: an object there is refused */
};

/* The slots the kernel gives, in this order, before it starts each
 * process. bpf_a: a grant for syscall and timer with verdicts (WRITE),
 * the same read-only, its note queue, and four semaphores: it gives GO
 * (bpf_b may call), takes DONE (bpf_b has), gives CHECK (the kernel
 * looks at the registry now) and takes BACK (it has). bpf_b: GO and DONE. */
enum {
    A_GRANT,
    A_GRANT_RO,
    A_NOTES,
    A_GO,
    A_DONE,
    A_CHECK,
    A_BACK,
};
enum {
    B_GO,
    B_DONE,
};
/* bpf_c: a grant for the timer hook only. */
enum {
    C_GRANT,
};
