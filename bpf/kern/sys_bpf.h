/* SPDX-License-Identifier: MIT */
/* eBPF for user processes, private to bpf/kern/: the request a system call
 * hands to the service thread, and the two halves that meet in it. The
 * handlers (sys_bpf.c) run on the caller's small privileged stack, check
 * everything and fill one request; the service (sys_bpf_service.c) runs it
 * on a stack big enough for the ELF loader and the verifier, and is the
 * only code that touches the registry for processes: a process can be
 * killed at any point of its own threads, never inside the service. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/bpf_proc.h>

#include "syscall.h"

struct pica_proc;

enum sys_bpf_op {
    SYS_BPF_NONE,         /* nothing: the requests before it are done */
    SYS_BPF_LOAD,         /* buf/len: the object, name: the hook, rights */
    SYS_BPF_LOOKUP,       /* id, name: the map, buf/len: key, out/out_len: value */
    SYS_BPF_UPDATE,       /* id, name, buf/len: key, buf2/len2: value */
    SYS_BPF_STATS,        /* id, out/out_len */
    SYS_BPF_UNLOAD,       /* id */
    SYS_BPF_UNLOAD_OWNER, /* every program of owner */
};

/* The object of a PICA_CAP_BPF_PROG slot: which program, whose. Owned by
 * the process (cap_obj_alloc), charged with the program's heap block. */
struct pica_bpf_handle {
    uint32_t id;    /* the registry's, never reused */
    uint32_t owner; /* the process's id as programs see it (kern_pid) */
};

/* One request. What it names outlives the caller's stack: strings and
 * in-buffers of up to PICA_SYSCALL_COPY_MAX bytes are copied in, longer
 * buffers are the process's own memory (checked by the dispatch). */
struct sys_bpf_req {
    uint8_t op;           /* enum sys_bpf_op */
    struct pica_proc *p;  /* the caller's process (LOAD) */
    uint32_t owner;       /* its id as programs see it */
    uint32_t id;          /* the program */
    uint32_t rights;      /* LOAD: BPF_ATTACH_* */
    bool in_text;         /* LOAD: the object lies in the process's text,
                           * which nothing writes: parsed where it is */
    const void *buf, *buf2;
    uint32_t len, len2;
    void *out;
    uint32_t out_len;
    char name[PICA_SYSCALL_STR_MAX];
    uint8_t small[PICA_SYSCALL_COPY_MAX] __attribute__((aligned(8)));
    uint8_t small2[PICA_SYSCALL_COPY_MAX] __attribute__((aligned(8)));
};

/* Start a request: the service is started if need be, the caller becomes
 * the only one filling the request, which is returned cleared (op NONE).
 * Context: thread. Returns: the request, or NULL with *@err set. */
struct sys_bpf_req *sys_bpf_begin(int *err);

/* Hand the request to the service thread and wait for its result.
 * Context: thread, after sys_bpf_begin(). */
int sys_bpf_end(void);

/* Give up the request begun by sys_bpf_begin(): nothing is run. */
void sys_bpf_abort(void);

/* Whether the service thread has ever been started (no program of a
 * process exists before). */
bool sys_bpf_started(void);
