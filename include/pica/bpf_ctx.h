/* SPDX-License-Identifier: MIT */
/* What an eBPF program attached to a Pica hook sees: the context struct of
 * each hook (r1 points at it, r2 is its size), the verdicts hooks accept,
 * and Pica's own helpers. Shared by the kernel, which fills the contexts
 * (bpf/kern/), and by programs built with clang -O2 -target bpf, which
 * include it; so it uses only the compiler's own integer types. The hooks,
 * their rights and helpers are listed in docs/bpf.md (Hooks).
 */
#pragma once

typedef __UINT8_TYPE__ pica_bpf_u8;
typedef __UINT16_TYPE__ pica_bpf_u16;
typedef __UINT32_TYPE__ pica_bpf_u32;
typedef __INT32_TYPE__ pica_bpf_s32;
typedef __UINT64_TYPE__ pica_bpf_u64;

/* timer:<period-ms>: every period, from the timer service (interrupt context). */
struct pica_bpf_timer_ctx {
    pica_bpf_u64 now_ns;     /* uptime */
    pica_bpf_u32 period_ms;
    pica_bpf_u32 count;      /* runs of this attach so far, this one included */
};

/* irq:<line>: before the line's handler, in its interrupt. */
struct pica_bpf_irq_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 line;
    pica_bpf_u32 pad;
};

/* switch: the CPU passes from one thread to another (kernel locked). */
struct pica_bpf_switch_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 from_id, to_id; /* thread ids (pica_thread_info.id) */
    pica_bpf_u8 from_prio, to_prio;
    pica_bpf_u8 from_state;      /* enum pica_thread_state of the outgoing thread */
    pica_bpf_u8 pad;
    pica_bpf_u32 from_pid, to_pid; /* process ids; 0 for kernel threads */
};

/* syscall: a process's system call, before it runs. With the verdict right
 * a program refuses it by returning a negative errno (the call's result);
 * 0 lets it run. */
struct pica_bpf_syscall_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 nr;
    pica_bpf_u32 pid;        /* the calling process */
    pica_bpf_u32 tid;        /* the calling thread */
    pica_bpf_u32 pad;
    pica_bpf_u32 args[6];
};

/* console: each byte received on the console (interrupt context). With the
 * verdict right, a non-zero return consumes the byte: no reader sees it. */
struct pica_bpf_console_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 byte;
    pica_bpf_u32 pad;
};

/* cron: a job fires (the cron service's thread). */
struct pica_bpf_cron_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_s32 job_id;
    pica_bpf_u32 pad;
    char what[32];           /* the job's command or function, NUL-ended */
};

#define PICA_BPF_FS_OPEN   1u
#define PICA_BPF_FS_UNLINK 2u
#define PICA_BPF_PATH_MAX  64u

/* fs: a file is opened or removed (the caller's thread). With the verdict
 * right a negative errno refuses it. */
struct pica_bpf_fs_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 op;         /* PICA_BPF_FS_* */
    pica_bpf_u32 flags;      /* open: PICA_O_* */
    pica_bpf_u32 len;        /* bytes of path (may be cut at PICA_BPF_PATH_MAX - 1) */
    pica_bpf_u32 tid;
    char path[PICA_BPF_PATH_MAX]; /* NUL-ended */
};

#define PICA_BPF_LOG_TEXT_MAX 96u

/* log: each log record (any context). With the verdict right a non-zero
 * return drops the record. */
struct pica_bpf_log_ctx {
    pica_bpf_u64 now_ns;
    pica_bpf_u32 level;      /* PICA_LOG_LEVEL_ERR (1) .. DBG (4) */
    pica_bpf_u32 len;        /* bytes of text */
    char module[16];
    char text[PICA_BPF_LOG_TEXT_MAX]; /* the message, cut if longer, NUL-ended */
};

/* Pica's helpers, beside the standard ones (Linux numbers: map_lookup_elem 1,
 * map_update_elem 2, map_delete_elem 3, ktime_get_ns 5, trace_printk 6,
 * get_prandom_u32 7, get_smp_processor_id 8, get_current_pid_tgid 14,
 * get_current_comm 16, ringbuf_output 130). */
enum pica_bpf_helper_id {
    PICA_BPF_FUNC_uptime_ms = 1000, /* u64 (void): milliseconds since boot */
    PICA_BPF_FUNC_gpio_get = 1001,  /* long (u32 pin): 0, 1, or -EPERM for a pin not granted */
    PICA_BPF_FUNC_gpio_set = 1002,  /* long (u32 pin, u32 value): 0 or -errno */
    PICA_BPF_FUNC_event_set = 1003, /* long (u32 bits): sets bits of the programs' event
                                     * group (pica_bpf_events()), which threads wait on */
};

#ifdef __bpf__
/* Declarations for programs, in the style of libbpf's helper definitions. */
static unsigned long long (*const pica_uptime_ms)(void) = (void *)PICA_BPF_FUNC_uptime_ms;
static long (*const pica_gpio_get)(pica_bpf_u32 pin) = (void *)PICA_BPF_FUNC_gpio_get;
static long (*const pica_gpio_set)(pica_bpf_u32 pin, pica_bpf_u32 value) =
    (void *)PICA_BPF_FUNC_gpio_set;
static long (*const pica_event_set)(pica_bpf_u32 bits) = (void *)PICA_BPF_FUNC_event_set;
#endif
