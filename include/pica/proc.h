/* SPDX-License-Identifier: MIT */
/* User processes: protection domains of their own code, data, heap and
 * threads, each with a table of capabilities. The build links a process
 * from its own sources into sections of its own (cmake/pica-user.cmake,
 * pica_add_user_app) and describes it in a struct pica_proc_image placed in
 * the .pica_procs table; the kernel starts every process in that table at
 * boot. Kernel code names processes by struct pica_proc pointers; user code
 * reaches the kernel only through system calls (kernel/proc/syscalls.def).
 * docs/user-space.md has the memory map and the rules. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/list.h>

/* Slots in each process's capability table. */
#ifndef PICA_CFG_CAP_SLOTS
#define PICA_CFG_CAP_SLOTS 32
#endif
_Static_assert(PICA_CFG_CAP_SLOTS >= 4 && PICA_CFG_CAP_SLOTS <= 256, "PICA_CFG_CAP_SLOTS: 4..256");

/* Memory regions the kernel may grant a process beyond its own text and
 * RAM (a shared buffer, a device's registers). */
#ifndef PICA_CFG_PROC_GRANTS
#define PICA_CFG_PROC_GRANTS 3
#endif
_Static_assert(PICA_CFG_PROC_GRANTS >= 0 && PICA_CFG_PROC_GRANTS <= 4, "PICA_CFG_PROC_GRANTS: 0..4");

/* Bytes of each user thread's privileged stack, on which the kernel runs
 * its system calls (the kernel never runs on memory a user thread can
 * write). */
#ifndef PICA_CFG_SYSCALL_STACK
#define PICA_CFG_SYSCALL_STACK 640
#endif

/* 1: a fault in a user thread ends only that thread, unless its process
 * says otherwise (PICA_PROC_FAULT_*); 0 (default): the whole process, as
 * its memory can no longer be trusted. */
#ifndef PICA_CFG_FAULT_ENDS_THREAD
#define PICA_CFG_FAULT_ENDS_THREAD 0
#endif

/* struct pica_proc_image.flags */
#define PICA_PROC_FAULT_THREAD 0x01u  /* a fault ends the thread only */
#define PICA_PROC_FAULT_PROCESS 0x02u /* a fault ends the process (overrides the build option) */
#define PICA_PROC_NO_START 0x04u      /* not started at boot: pica_proc_start() starts it */
#define PICA_PROC_ROOT 0x08u          /* the root process: it receives the image's
                                       * initial capabilities (PICA_ROOT_CAP) and
                                       * serves the name service (docs/capabilities.md) */

/* A process as the build laid it out: in flash, made by the build for each
 * process (tools/pica-user-layout), found by the kernel in .pica_procs.
 * Every range is [start, end). */
struct pica_proc_image {
    const char *name;
    struct pica_proc *proc;   /* its run-time state, in kernel RAM */
    uint32_t entry;           /* user text: the SDK's start, which calls user_main() */
    uint32_t text_start;      /* code and read-only data: read + execute */
    uint32_t text_end;
    uint32_t ram_start;       /* data, bss, heap and user stacks: read + write */
    uint32_t ram_end;
    uint32_t data_load;       /* the initial .data, in flash */
    uint32_t data_start;
    uint32_t data_end;
    uint32_t bss_start;
    uint32_t bss_end;
    uint32_t heap_start;
    uint32_t heap_end;
    uint32_t stacks_start;    /* user stacks: max_threads slots of stack_size */
    uint32_t stacks_end;
    uint32_t stack_size;      /* bytes of each user thread's stack */
    uint32_t obj_quota;       /* bytes of kernel objects it may create */
    uint32_t tp_word;         /* Cortex-M: the address of the process's thread
                               * pointer word (its __aeabi_read_tp reads it), which
                               * the kernel sets to the running thread's
                               * user->tls; 0 where the thread pointer is a
                               * register (RISC-V tp) */
    uint8_t prio;             /* user_main()'s thread priority */
    uint8_t max_threads;      /* threads alive at once, user_main()'s included */
    uint8_t flags;            /* PICA_PROC_* */
    uint8_t reserved;
};

/* A capability the image declares for its root process (PICA_PROC_ROOT):
 * the root gets them in its slots 1, 2, ... in link order (by variable
 * name), after the name service's endpoint in slot 0, each time it starts.
 * The object stays the kernel's. */
struct pica_root_cap {
    const char *name;   /* for the shell and the boot log */
    uint8_t type;       /* enum pica_cap_type */
    uint8_t rights;     /* PICA_RIGHT_* */
    void *obj;
};
#define PICA_ROOT_CAP(var, type_, obj_, rights_)                                                  \
    __attribute__((used, section(".pica_root_caps." #var), aligned(4))) const struct pica_root_cap \
        var = {#var, (type_), (rights_), (obj_)}

/* Register a process image (the build's generated file uses this). */
#define PICA_PROC_IMAGE(var) __attribute__((used, section(".pica_procs." #var), aligned(4))) \
    const struct pica_proc_image var

enum pica_proc_state {
    PICA_PROC_IDLE,    /* not started */
    PICA_PROC_RUNNING,
    PICA_PROC_EXITED,  /* exit() or its last thread ended */
    PICA_PROC_KILLED,  /* a fault or pica_proc_kill() */
};

/* Kernel objects a slot can hold. */
enum pica_cap_type {
    PICA_CAP_NONE = 0,
    PICA_CAP_SEM,
    PICA_CAP_MUTEX,
    PICA_CAP_QUEUE,
    PICA_CAP_EVENT,
    PICA_CAP_THREAD,
    PICA_CAP_REGION,
    PICA_CAP_CLOCK, /* the wall clock: WRITE lets the holder set it */
    PICA_CAP_FS,    /* the file tree (pica_fs_tree): READ lets the holder look
                     * names up and read, WRITE change the tree */
    PICA_CAP_FILE,  /* an open file: READ to read it, WRITE to write it */
    PICA_CAP_DIR,   /* an open directory: READ to list it */
    PICA_CAP_BPF,   /* the authority to load eBPF programs (struct
                     * pica_bpf_grant, <pica/bpf_proc.h>): WRITE to load
                     * on the hooks it names */
    PICA_CAP_BPF_PROG, /* a loaded eBPF program: READ for its stats and map
                        * reads, WRITE for map updates; deleting the slot
                        * unloads it */
    PICA_CAP_EP,    /* an IPC endpoint (<pica/ipc.h>): READ to receive,
                     * WRITE to send and call; its badge names the sender */
    PICA_CAP_NTFN,  /* a notification: WRITE to signal (the badge's bits),
                     * READ to wait and poll */
    PICA_CAP_REPLY, /* a saved reply to one caller: WRITE to reply, once;
                     * never copied */
    PICA_CAP_IRQ,   /* an interrupt line a user driver handles (struct
                     * pica_irq_cap): WRITE to bind it to a notification
                     * and acknowledge it */
    PICA_CAP_TYPES,
};

/* Rights of a slot. */
#define PICA_RIGHT_READ 0x01u
#define PICA_RIGHT_WRITE 0x02u
#define PICA_RIGHT_GRANT 0x04u
#define PICA_RIGHTS_ALL 0x07u

/* A slot argument meaning "the lowest free slot". */
#define PICA_SLOT_ANY 0xFFFFFFFFu

/* Badges: a word the holder of a minted capability cannot change, which
 * an endpoint's receiver sees and a notification's signal ORs in. 28 bits,
 * so that a register receive returns the badge with the message's flags
 * above it in one non-negative word (kernel/proc/syscall_ipc_regs.c). */
#define PICA_BADGE_MAX 0x0FFFFFFFu
/* The bits a notification's word may hold: bit 31 never, so that the word
 * is a non-negative result. */
#define PICA_NTFN_BITS 0x7FFFFFFFu

/* struct pica_cap.flags */
#define PICA_CAP_OWNED 0x01u    /* the object has an owner's header (kernel/proc/cap.c):
                                 * made by a process from its quota, it goes
                                 * with its last capability or its maker */
#define PICA_CAP_REVOKING 0x02u /* a revoke of its children is under way */

/* A slot. Capabilities derived from one (copied, minted, passed in a
 * message) are its children: kernel/proc/cap.c keeps them on its @children list,
 * each linked by its @sibling node, so a revoke finds every one. */
struct pica_cap {
    void *obj;                 /* the object (kernel pointer), NULL when empty */
    uint8_t type;              /* enum pica_cap_type */
    uint8_t rights;            /* PICA_RIGHT_* */
    uint8_t flags;             /* PICA_CAP_* */
    uint8_t index;             /* its slot number in its process's table */
    uint32_t badge;            /* 0: none */
    struct pica_list sibling;  /* among its parent's children */
    struct pica_list children; /* those derived from it */
};

/* A memory region a process may reach (REGION_* permissions of lib/region.h).
 * Also the object of a REGION slot a process made of its own memory
 * (region_create), which other processes map while they hold it. */
struct pica_proc_region {
    uint32_t base;
    uint32_t len;
    unsigned perms;
    const struct pica_cap *slot; /* a grant: the slot that maps another
                                  * process's region here, or NULL */
};

/* Words the port needs for a process's encoded regions (arch_proc_regions). */
#define PICA_PROC_ARCH_WORDS 24

struct pica_proc {
    const struct pica_proc_image *image;
    uint8_t state;               /* enum pica_proc_state */
    uint8_t nregions;            /* valid entries of regions[] */
    uint8_t threads_alive;
    uint8_t ngrants;             /* regions[2 .. 2 + ngrants) */
    uint8_t ending;              /* the state it takes once its last thread is
                                  * gone (exit, kill), or 0 */
    int exit_code;
    uint32_t quota_used;         /* bytes of kernel objects it created */
    uint32_t stack_slots;        /* bit i: user stack slot i is taken */
    struct pica_list threads;    /* its threads (struct pica_thread_user.proc_node) */
    /* text, RAM, then grants; what the port encoded into arch_regions */
    struct pica_proc_region regions[2 + PICA_CFG_PROC_GRANTS];
    uint32_t arch_regions[PICA_PROC_ARCH_WORDS];
    struct pica_cap caps[PICA_CFG_CAP_SLOTS];
    void *slots;                 /* its threads and their privileged stacks
                                  * (kernel heap, taken as it starts, given
                                  * back once it has ended: proc_reap) */
    void *slots_mem;             /* the heap block holding them */
    bool reap_pending;           /* ended by a fault: objects not yet freed */
    uint8_t ns_slot;             /* its slot of the name service's endpoint,
                                  * or 0xFF (no root process) */
    uint32_t faults;             /* user faults since boot */
    uint32_t kstack_used_max;    /* the most any of its threads used of its
                                  * privileged stack, as they ended */
    struct pica_proc_fault {     /* the last of them */
        const char *kind;
        uint32_t pc;
        uint32_t addr;
        bool addr_known;
        bool stack_overflow;
        char access;             /* 'r', 'w', 'x', or 0 unknown */
    } last_fault;
};

/* The processes of the image, in link order, and their number. */
unsigned pica_proc_count(void);
struct pica_proc *pica_proc_at(unsigned i);
/* The process named @name, or NULL. */
struct pica_proc *pica_proc_find(const char *name);

/* Start @p (one flagged PICA_PROC_NO_START, or one that ended: its data is
 * loaded afresh). Context: thread. Returns: 0, -EINVAL, -EBUSY (running). */
int pica_proc_start(struct pica_proc *p);

/* End every thread of @p; its objects are freed, its exit code is @code.
 * Context: thread. Returns: 0, -EINVAL, -ESRCH (not running). */
int pica_proc_kill(struct pica_proc *p, int code);

/* Put a kernel object in a free slot of @p with @rights (the object stays
 * the kernel's: ending the process does not free it).
 * Context: thread. Returns: the slot, -EINVAL, -ENOSPC (table full). */
int pica_proc_give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights);

/* Grant @p access to [base, base + len) with REGION_* @perms (lib/region.h)
 * while its threads run, and a PICA_CAP_REGION slot naming it.
 * Context: thread. Returns: the slot, -EINVAL (bad range or perms, or one
 * the port cannot express), -ENOSPC (no region or slot left). */
int pica_proc_grant(struct pica_proc *p, uint32_t base, uint32_t len, unsigned perms);
