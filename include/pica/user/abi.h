/* SPDX-License-Identifier: MIT */
/* What the kernel and a user process's start-up code agree on, beside the
 * system calls (kernel/proc/syscalls.def). Shared by kernel and user code. */
#pragma once

#include <stdint.h>

/* The kernel starts a process's first thread at its image's entry (the
 * SDK's start code) with a pointer to this block in the first argument
 * register (r0 / a0). The block lies at the top of that thread's user
 * stack, in the process's own memory. */
struct pica_user_startup {
    uint32_t heap_start;  /* the process's heap: [heap_start, heap_end) */
    uint32_t heap_end;
    uint32_t stack_size;  /* bytes of each of its threads' user stacks */
    uint32_t pid;         /* its index in the image's process table */
    char name[16];        /* its name, NUL-terminated (cut to 15 bytes) */
    uint32_t ns_slot;     /* its slot of the name service's endpoint, or
                           * 0xFFFFFFFF where the image has no root process */
};

/* The wall clock as time_get and time_set pass it: UTC seconds since
 * 1970-01-01 and nanoseconds (the kernel's struct pica_walltime). */
struct pica_user_walltime {
    int64_t sec;
    uint32_t nsec;
    uint32_t reserved; /* 0 */
};

/* A thread started by thread_create(entry, arg, prio) begins at entry(arg)
 * in user mode; returning from entry faults (the SDK's thread start calls
 * thread_exit instead). */

/* Files (the fs_* calls): what fs_stat / fs_fstat, fs_readdir and
 * fs_statvfs write, the file system's structs of include/pica/picafs.h
 * field for field (fs/fs_syscalls.c checks that they agree). type is
 * PICA_USER_FS_TYPE_FILE or PICA_USER_FS_TYPE_DIR. */
struct pica_user_fs_stat {
    uint32_t type;
    uint32_t size;   /* bytes (a directory: its number of entries) */
    uint32_t ino;
    uint32_t blocks; /* data blocks held */
};

struct pica_user_fs_dirent {
    char name[33];   /* NUL-terminated, up to 32 bytes */
    uint32_t type;
    uint32_t size;
};

struct pica_user_fs_statvfs {
    uint32_t block_size, block_count, blocks_free, blocks_bad;
    uint32_t name_max;
    uint32_t files, files_free;
};

/* eBPF programs (the bpf_* calls): what bpf_prog_stats writes about a
 * program the process loaded. Runs and instructions count since it was
 * attached, over every event of its hook. */
struct pica_user_bpf_stats {
    uint64_t runs;          /* times it ran */
    uint64_t insns;         /* instructions executed, all runs */
    uint64_t max_insns;     /* the longest run */
    uint32_t overruns;      /* runs stopped at the instruction budget */
    uint32_t errors;        /* runs that ended in another fault */
    int32_t last_error;     /* the last faulting run's -errno (-ETIMEDOUT for an
                             * overrun), 0 if none */
    uint32_t last_fault_pc; /* its instruction */
    uint32_t id;            /* the kernel's id of the program (the shell's
                             * `bpf list`, picactl) */
    uint32_t mem;           /* bytes of kernel heap it holds (its quota charge
                             * adds the heap's block header) */
};

/* IPC (the ep_* calls): the rest of a message beyond the four words that
 * go in registers, and what comes back. One per call, in the caller's
 * memory and word-aligned (-EFAULT otherwise); the kernel reads it as the
 * call begins and writes what it sets as it ends.
 * Unused slot fields hold PICA_USER_IPC_NO_CAP. */
#define PICA_USER_IPC_NO_CAP 0xFFu
#define PICA_USER_MSG_CALL 0x01u   /* received from a call: answer with ep_reply */
#define PICA_USER_MSG_NOTIFY 0x02u /* the bound notification's bits, in w[0] */
#define PICA_USER_MSG_KERNEL 0x04u /* from a kernel thread */
/* A register receive (ep_recvw, ep_reply_recvw) returns the badge in its
 * low bits and the PICA_USER_MSG_* flags above them. */
#define PICA_USER_MSG_SHIFT 28
#define PICA_USER_BADGE_MASK 0x0FFFFFFFu
struct pica_user_ipc {
    uint32_t timeout_us;   /* in: PICA_USER_NO_WAIT, PICA_USER_FOREVER or microseconds */
    uint32_t badge;        /* out: the sender's badge */
    uint32_t w[4];         /* out: the words received */
    uint32_t buf;          /* in: the address of the bytes to send, and of the room */
    uint32_t len;          /* in: bytes to send; out: bytes received */
    uint32_t room;         /* in: bytes the room holds */
    uint32_t info;         /* out: PICA_USER_MSG_* */
    uint8_t send_caps[2];  /* in: slots whose capabilities go with the message
                            * (each needs the grant right) */
    uint8_t recv_caps[2];  /* in: free slots that may receive capabilities */
    uint8_t got_caps[2];   /* out: the slots that received one */
    int16_t reply_result;  /* out (ep_reply_recv): how its answer went */
};
