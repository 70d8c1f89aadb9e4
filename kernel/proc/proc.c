/* SPDX-License-Identifier: MIT */
/* User processes: starting them from the image's table, their threads
 * (each with a user stack in the process's RAM and a privileged stack in
 * the kernel's), ending them, and what the kernel hands them (objects,
 * memory regions). The system calls of processes and threads are in
 * proc_syscalls.c; the capability table is cap.c's. */
#include <pica/ipc.h>
#include <pica/proc.h>

#include <errno.h>
#include <pica/console.h>
#include <pica/heap.h>
#include <pica/thread.h>
#include <pica/user/abi.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "cap.h"
#include "proc_priv.h"
#include "region.h"
#include "sched.h"
#include "thread_priv.h"

extern const struct pica_proc_image __pica_procs_start[], __pica_procs_end[];
extern const struct pica_root_cap __pica_root_caps_start[], __pica_root_caps_end[];

/* The name service's endpoint: the root process receives on it, every
 * other process sends to it (docs/capabilities.md, "Boot"). */
static struct pica_ep proc_ns_ep;

/* The image's root process, or NULL. */
static struct pica_proc *
proc_root(void)
{
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        if (__pica_procs_start[i].flags & PICA_PROC_ROOT) {
            return __pica_procs_start[i].proc;
        }
    }
    return NULL;
}

/* The capabilities @p gets as it starts where the image has a root
 * process: the root, the name service's endpoint (read, write, grant) and
 * the image's initial capabilities; any other process, the endpoint to
 * send to (write, grant), badged with its pid + 1 so that the root knows
 * who asks, derived from the root's when the root runs (the root can
 * revoke it) and the kernel's own otherwise. Sets p->ns_slot. */
static void
proc_give_boot_caps(struct pica_proc *p)
{
    struct pica_proc *root = proc_root();
    p->ns_slot = 0xFF;
    if (root == NULL) {
        return;
    }
    if (proc_ns_ep.magic != PICA_EP_MAGIC) {
        (void)pica_ep_init(&proc_ns_ep);
    }
    int slot;
    if (p == root) {
        slot = cap_insert(p, PICA_CAP_EP, &proc_ns_ep, PICA_RIGHTS_ALL, false);
        for (const struct pica_root_cap *c = __pica_root_caps_start; c < __pica_root_caps_end; c++) {
            if (cap_insert(p, (enum pica_cap_type)c->type, c->obj, c->rights, false) < 0) {
                printf("root '%s': no slot for '%s'\n", p->image->name, c->name);
            }
        }
    } else {
        const unsigned rights = PICA_RIGHT_WRITE | PICA_RIGHT_GRANT;
        const uint32_t badge = proc_pid(p) + 1u;
        slot = -ESRCH;
        if (root->state == PICA_PROC_RUNNING && root->ns_slot != 0xFF) {
            slot = cap_give_derived(root, root->ns_slot, p, rights, badge);
        }
        if (slot < 0) {
            slot = cap_insert(p, PICA_CAP_EP, &proc_ns_ep, rights, false);
            if (slot >= 0) {
                unsigned key = arch_irq_lock();
                p->caps[slot].badge = badge;
                arch_irq_unlock(key);
            }
        }
    }
    p->ns_slot = slot >= 0 ? (uint8_t)slot : 0xFF;
}

unsigned
pica_proc_count(void)
{
    return (unsigned)(__pica_procs_end - __pica_procs_start);
}

struct pica_proc *
pica_proc_at(unsigned i)
{
    return i < pica_proc_count() ? __pica_procs_start[i].proc : NULL;
}

struct pica_proc *
pica_proc_find(const char *name)
{
    for (unsigned i = 0; name != NULL && i < pica_proc_count(); i++) {
        if (strcmp(__pica_procs_start[i].name, name) == 0) {
            return __pica_procs_start[i].proc;
        }
    }
    return NULL;
}

unsigned
proc_pid(const struct pica_proc *p)
{
    return (unsigned)(p->image - __pica_procs_start);
}

static bool
within(uint32_t start, uint32_t end, uint32_t outer_start, uint32_t outer_end)
{
    return start <= end && start >= outer_start && end <= outer_end;
}

/* The build made the image; a wrong one would let the process reach what
 * it should not, so it is checked once before it is trusted. */
static bool
image_valid(const struct pica_proc_image *im)
{
    uint32_t rs = im->ram_start, re = im->ram_end;
    return im->proc != NULL && im->text_start < im->text_end && rs < re &&
           im->entry - im->text_start < im->text_end - im->text_start &&
           within(im->data_start, im->data_end, rs, re) && within(im->bss_start, im->bss_end, rs, re) &&
           within(im->heap_start, im->heap_end, rs, re) &&
           within(im->stacks_start, im->stacks_end, rs, re) && im->max_threads >= 1 &&
           im->max_threads <= 32 && im->stack_size % PICA_STACK_GUARD_BYTES == 0 &&
           im->stack_size >= 512u && im->stacks_start % PICA_STACK_GUARD_BYTES == 0 &&
           (uint64_t)im->stack_size * im->max_threads <= im->stacks_end - im->stacks_start &&
           (im->tp_word == 0 || within(im->tp_word, im->tp_word + 4u, rs, re)) &&
           im->prio < PICA_PRIO_IDLE;
}

static struct proc_slot *
slot_of(const struct pica_proc *p, unsigned i)
{
    return &((struct proc_slot *)p->slots)[i];
}

static unsigned
slot_index(const struct pica_thread *t)
{
    const struct proc_slot *s = pica_container_of(t, struct proc_slot, t);
    return (unsigned)(s - (const struct proc_slot *)t->proc->slots);
}

int
proc_thread_create(struct pica_proc *p, uint32_t entry, uint32_t arg, unsigned prio,
                   struct pica_thread **out)
{
    const struct pica_proc_image *im = p->image;
    unsigned key = arch_irq_lock();
    unsigned i = 0;
    while (i < im->max_threads && (p->stack_slots & (1u << i))) {
        i++;
    }
    if (i == im->max_threads || p->state != PICA_PROC_RUNNING) {
        arch_irq_unlock(key);
        return i == im->max_threads ? -EAGAIN : -ESRCH;
    }
    p->stack_slots |= 1u << i;
    arch_irq_unlock(key);

    struct proc_slot *s = slot_of(p, i);
    struct pica_thread *t = &s->t;
    char *ustack = (char *)(uintptr_t)(im->stacks_start + i * im->stack_size);
    size_t usize = im->stack_size;
    if (i == 0) {
        /* The first thread's start-up block, at the top of its stack. */
        struct pica_user_startup *su =
            (struct pica_user_startup *)(ustack + usize - sizeof(struct pica_user_startup));
        memset(su, 0, sizeof(*su));
        su->heap_start = im->heap_start;
        su->heap_end = im->heap_end;
        su->stack_size = im->stack_size;
        su->pid = proc_pid(p);
        su->ns_slot = p->ns_slot != 0xFF ? p->ns_slot : 0xFFFFFFFFu;
        strncpy(su->name, im->name, sizeof(su->name) - 1u);
        arg = (uint32_t)(uintptr_t)su;
        usize -= (sizeof(struct pica_user_startup) + 7u) & ~7u;
    }
    t->proc = p;
    t->user = &s->u;
    s->u.thread = t;
    t->user->kstack_base = (char *)s->kstack;
    t->user->kstack_size = sizeof(s->kstack);
    t->user->tls = 0;
    t->user->via = NULL;
    pica_reply_init(&s->reply);
#if ARCH_HAS_IPC_TRAP && !defined(ARCH_IPC_RWAIT_BELOW)
    ipc_regs_thread_init(t);
#endif
    int err = thread_create_internal(t, im->name, (void (*)(void *))(uintptr_t)entry,
                                     (void *)(uintptr_t)arg, ustack, usize, prio,
                                     PICA_USER | PICA_START_SUSPENDED);
    key = arch_irq_lock();
    if (err != 0) {
        p->stack_slots &= ~(1u << i);
    } else {
        pica_list_append(&p->threads, &t->user->proc_node);
        p->threads_alive++;
    }
    arch_irq_unlock(key);
    if (err == 0) {
        *out = t;
    }
    return err;
}

void
proc_thread_ended_locked(struct pica_thread *t)
{
    struct pica_proc *p = t->proc;
    pica_list_remove(&t->user->proc_node);
    /* Its privileged stack's high-water mark (the fill pattern above the
     * canary), kept for sizing PICA_CFG_SYSCALL_STACK. */
    const uint8_t *k = (const uint8_t *)t->user->kstack_base + PICA_STACK_GUARD_BYTES;
    const uint8_t *kend = (const uint8_t *)t->user->kstack_base + t->user->kstack_size;
    while (k < kend && *k == 0xA5u) {
        k++;
    }
    if ((uint32_t)(kend - k) > p->kstack_used_max) {
        p->kstack_used_max = (uint32_t)(kend - k);
    }
    p->stack_slots &= ~(1u << slot_index(t));
    if (--p->threads_alive == 0 && p->state == PICA_PROC_RUNNING) {
        /* Ended only now that nothing of it runs: exit() or a kill set the
         * state and code it ends with; otherwise its last thread's code. */
        if (p->ending != 0) {
            p->state = p->ending;
        } else {
            p->state = PICA_PROC_EXITED;
            p->exit_code = t->exit_code;
        }
        p->ending = 0;
        /* Like its slots, its grants end with it. */
        p->ngrants = 0;
        p->nregions = 2;
    }
}

/* The regions its threads reach: its text and its RAM, then its grants. */
static int
proc_regions_setup(struct pica_proc *p)
{
    const struct pica_proc_image *im = p->image;
    p->regions[0] = (struct pica_proc_region){im->text_start, im->text_end - im->text_start,
                                              REGION_R | REGION_X, NULL};
    p->regions[1] = (struct pica_proc_region){im->ram_start, im->ram_end - im->ram_start,
                                              REGION_R | REGION_W, NULL};
    p->nregions = (uint8_t)(2u + p->ngrants);
    return arch_proc_regions(p);
}

int
pica_proc_start(struct pica_proc *p)
{
    if (p == NULL || p->image == NULL || p->image->proc != p || !image_valid(p->image) ||
        arch_in_isr()) {
        return -EINVAL;
    }
    const struct pica_proc_image *im = p->image;
    unsigned key = arch_irq_lock();
    /* Not before its last thread is gone, even once it is said to end. */
    if (p->state == PICA_PROC_RUNNING || p->threads_alive != 0) {
        arch_irq_unlock(key);
        return -EBUSY;
    }
    arch_irq_unlock(key);
    /* What ended processes hold goes back first: on a small part the
     * heap may need it for this one. */
    proc_reap();
    if (p->slots == NULL) {
        /* Aligned for the privileged stacks' guards. */
        size_t bytes = sizeof(struct proc_slot) * im->max_threads;
        char *mem = pica_malloc(bytes + PICA_STACK_GUARD_BYTES - 8u);
        if (mem == NULL) {
            return -ENOMEM;
        }
        p->slots_mem = mem;
        p->slots = mem + (-(uintptr_t)mem & (PICA_STACK_GUARD_BYTES - 1u));
        memset(p->slots, 0, bytes);
    }
    /* Its memory afresh, as if loaded: a restart trusts nothing left. */
    memcpy((void *)(uintptr_t)im->data_start, (const void *)(uintptr_t)im->data_load,
           im->data_end - im->data_start);
    memset((void *)(uintptr_t)im->bss_start, 0, im->bss_end - im->bss_start);
    memset((void *)(uintptr_t)im->heap_start, 0, im->heap_end - im->heap_start);
    int err = proc_regions_setup(p);
    if (err != 0) {
        return err;
    }
    pica_list_init(&p->threads);
    p->stack_slots = 0;
    p->exit_code = 0;
    p->ending = 0;
    proc_give_boot_caps(p);
    p->state = PICA_PROC_RUNNING;
    struct pica_thread *t;
    err = proc_thread_create(p, im->entry, 0, im->prio, &t);
    if (err != 0) {
        p->state = PICA_PROC_IDLE;
        return err;
    }
    return pica_thread_resume(t);
}

/* End every thread of @p but @spare (the caller, when it is one of them),
 * with @code; @state says why, and is the process's once its last thread
 * is gone (proc_thread_ended_locked). */
static void
proc_end_threads(struct pica_proc *p, struct pica_thread *spare, int code, enum pica_proc_state state)
{
    unsigned key = arch_irq_lock();
    if (p->state == PICA_PROC_RUNNING && p->ending == 0) {
        p->ending = (uint8_t)state;
        p->exit_code = code;
    }
    struct pica_list *n = p->threads.next;
    while (n != &p->threads) {
        struct pica_thread *t = pica_container_of(n, struct pica_thread_user, proc_node)->thread;
        n = n->next;
        if (t != spare) {
            thread_kill_locked(t, code);
        }
    }
    arch_irq_unlock(key);
}

int
pica_proc_kill(struct pica_proc *p, int code)
{
    if (p == NULL || p->image == NULL || arch_in_isr()) {
        return -EINVAL;
    }
    struct pica_thread *self = sched.current;
    bool own = self->proc == p;
    bool was_running = p->state == PICA_PROC_RUNNING;
    proc_end_threads(p, own ? self : NULL, code, PICA_PROC_KILLED);
    /* Its objects: nothing of it waits on them any more. */
    cap_release_all(p);
    p->reap_pending = false;
    if (own) {
        pica_thread_exit(code);
    }
    proc_reap();
    return was_running ? 0 : -ESRCH;
}

/* Append @s to @line at @n (80 bytes in all, one kept for the newline). */
static size_t
report_add(char *line, size_t n, const char *s)
{
    while (*s != '\0' && n < 78u) {
        line[n++] = *s++;
    }
    return n;
}

void
proc_report_end(const struct pica_proc *p, const char *how, int code)
{
    /* Put together by hand: it is written from system calls, whose
     * privileged stack has no room for printf's. */
    char line[80];
    char digits[12];
    size_t d = sizeof(digits);
    unsigned v = code < 0 ? 0u - (unsigned)code : (unsigned)code;
    digits[--d] = '\0';
    do {
        digits[--d] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    if (code < 0) {
        digits[--d] = '-';
    }
    size_t n = report_add(line, 0, "process '");
    n = report_add(line, n, p->image->name);
    n = report_add(line, n, "' ");
    n = report_add(line, n, how);
    n = report_add(line, n, &digits[d]);
    line[n++] = '\n';
    pica_console_write(line, n);
}

__attribute__((noreturn)) void
proc_exit_self(int code)
{
    struct pica_thread *self = sched.current;
    struct pica_proc *p = self->proc;
    proc_report_end(p, "exited with code ", code);
    proc_end_threads(p, self, code, PICA_PROC_EXITED);
    cap_release_all(p);
    pica_thread_exit(code);
}

int
pica_proc_give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights)
{
    if (p == NULL || obj == NULL || type <= PICA_CAP_NONE || type >= PICA_CAP_TYPES ||
        (rights & ~PICA_RIGHTS_ALL) != 0 || arch_in_isr()) {
        return -EINVAL;
    }
    if (p->reap_pending && p->state != PICA_PROC_RUNNING) {
        /* What it had before a fault ended it goes first. */
        p->reap_pending = false;
        cap_release_all(p);
    }
    return cap_insert(p, type, obj, rights, false);
}

int
pica_proc_grant(struct pica_proc *p, uint32_t base, uint32_t len, unsigned perms)
{
    if (p == NULL || len == 0 || base + len - 1u < base || arch_in_isr() ||
        (perms & ~(unsigned)(REGION_R | REGION_W | REGION_X | REGION_DEVICE)) != 0 ||
        !(perms & REGION_R)) {
        return -EINVAL;
    }
    if (p->ngrants >= PICA_CFG_PROC_GRANTS) {
        return -ENOSPC;
    }
    unsigned i = 2u + p->ngrants;
    p->regions[i] = (struct pica_proc_region){base, len, perms, NULL};
    p->ngrants++;
    p->nregions = (uint8_t)(2u + p->ngrants);
    int err = p->state == PICA_PROC_RUNNING || p->image == NULL ? arch_proc_regions(p) : 0;
    if (err == 0 && p->state != PICA_PROC_RUNNING) {
        /* Checked now, so that a start cannot fail on it later. */
        err = proc_regions_setup(p);
    }
    int slot = err == 0 ? cap_insert(p, PICA_CAP_REGION, &p->regions[i], PICA_RIGHT_READ | PICA_RIGHT_WRITE, false)
                        : err;
    if (slot < 0) {
        p->ngrants--;
        p->nregions = (uint8_t)(2u + p->ngrants);
        if (p->state == PICA_PROC_RUNNING) {
            (void)arch_proc_regions(p);
        }
    }
    return slot;
}

/* ---- regions passed between processes (kernel/proc/cap.h) ---- */

/* The port's encoding of a process's regions needs more stack than a system
 * call has left on a small privileged stack (RV32's PMP packing): it runs
 * on this one, under the kernel lock, so one stack serves every caller. It
 * used 208 bytes on virt-rv32 and 192 on the MPS2 boards, at -O2. Taken
 * from the heap by the first region_create: only regions processes made
 * change a running process's map, and images without them pay nothing. */
#ifndef PICA_CFG_PROC_ENCODE_STACK
#define PICA_CFG_PROC_ENCODE_STACK 384
#endif
static uint64_t *proc_encode_stack;

int
proc_region_encode_ready(void)
{
    if (proc_encode_stack == NULL) {
        uint64_t *s = pica_malloc(PICA_CFG_PROC_ENCODE_STACK);
        if (s == NULL) {
            return -ENOMEM;
        }
        unsigned key = arch_irq_lock();
        if (proc_encode_stack == NULL) {
            proc_encode_stack = s;
            s = NULL;
        }
        arch_irq_unlock(key);
        pica_free(s);
    }
    return 0;
}

static void
proc_encode(void *arg)
{
    (void)arch_proc_regions(arg);
}

/* Re-encode @p's regions: its next switch into user mode loads them. A
 * size and alignment region_create accepted always encode (one region or
 * entry each). Context: kernel lock held. */
static void
proc_regions_changed_locked(struct pica_proc *p)
{
    if (p->state == PICA_PROC_RUNNING) {
        arch_call_on_stack(proc_encode, p, (char *)proc_encode_stack + PICA_CFG_PROC_ENCODE_STACK);
    }
}

int
proc_cap_region_room_locked(const struct pica_proc *p)
{
    return p->ngrants < PICA_CFG_PROC_GRANTS ? 0 : -ENOSPC;
}

void
proc_cap_region_added_locked(struct pica_proc *p, struct pica_cap *c)
{
    const struct pica_proc_region *r = c->obj;
    if (p->ngrants >= PICA_CFG_PROC_GRANTS) {
        return; /* never: room was checked first */
    }
    unsigned perms = (c->rights & PICA_RIGHT_WRITE) ? REGION_R | REGION_W : REGION_R;
    p->regions[2u + p->ngrants] = (struct pica_proc_region){r->base, r->len, perms, c};
    p->ngrants++;
    p->nregions = (uint8_t)(2u + p->ngrants);
    proc_regions_changed_locked(p);
}

void
proc_cap_region_gone_locked(struct pica_proc *p, struct pica_cap *c)
{
    unsigned n = 2u + p->ngrants;
    unsigned i = 2u;
    while (i < n && p->regions[i].slot != c) {
        i++;
    }
    if (i == n) {
        return; /* it mapped nothing here: its maker's, or a kernel grant's */
    }
    for (; i + 1u < n; i++) {
        p->regions[i] = p->regions[i + 1u];
        /* A kernel grant's slot names its entry: it moved down one. */
        for (unsigned s = 0; s < PICA_CFG_CAP_SLOTS; s++) {
            if (p->caps[s].obj == &p->regions[i + 1u] && !(p->caps[s].flags & PICA_CAP_OWNED)) {
                p->caps[s].obj = &p->regions[i];
            }
        }
    }
    p->ngrants--;
    p->nregions = (uint8_t)(2u + p->ngrants);
    /* Gone from the next switch into user mode on: the next access faults. */
    proc_regions_changed_locked(p);
}

void
proc_cap_region_moved_locked(struct pica_proc *p, struct pica_cap *from, struct pica_cap *to)
{
    for (unsigned i = 2u; i < 2u + p->ngrants; i++) {
        if (p->regions[i].slot == from) {
            p->regions[i].slot = to;
        }
    }
}

/* A user thread faulted (the port decoded it): one report, then the thread
 * or the whole process ends. In the fault handler: the process's objects
 * are freed later, by a thread (proc_reap, a restart or pica_proc_kill). */
void
user_fault(const struct user_fault *uf, const struct arch_frame *f)
{
    (void)f;
    struct pica_thread *t = sched.current;
    struct pica_proc *p = t->proc;
    unsigned flags = p->image->flags;
    bool thread_only = (flags & PICA_PROC_FAULT_PROCESS) ? false
                       : (flags & PICA_PROC_FAULT_THREAD) ? true
                                                           : PICA_CFG_FAULT_ENDS_THREAD;
    bool overflow = uf->addr_known && arch_guard_hit(t, uf->addr);
    const char *access = uf->access == 'r'   ? "read"
                         : uf->access == 'w' ? "write"
                         : uf->access == 'x' ? "execute"
                                             : "access";
    printf("\n*** user fault: process '%s' (pid %u), thread %p: %s\n", p->image->name, proc_pid(p),
           (void *)t, overflow ? "stack overflow" : uf->kind);
    if (uf->addr_known) {
        printf("    %s at 0x%08lx, pc 0x%08lx; %s ended\n", access, (unsigned long)uf->addr,
               (unsigned long)uf->pc, thread_only ? "thread" : "process");
    } else {
        printf("    pc 0x%08lx; %s ended\n", (unsigned long)uf->pc, thread_only ? "thread" : "process");
    }
    p->faults++;
    p->last_fault = (struct pica_proc_fault){uf->kind, uf->pc, uf->addr, uf->addr_known, overflow,
                                             uf->access};
    unsigned key = arch_irq_lock();
    if (thread_only) {
        thread_kill_locked(t, -EFAULT);
    } else {
        if (p->state == PICA_PROC_RUNNING && p->ending == 0) {
            p->ending = PICA_PROC_KILLED;
            p->exit_code = -EFAULT;
        }
        while (!pica_list_empty(&p->threads)) {
            thread_kill_locked(pica_container_of(p->threads.next, struct pica_thread_user, proc_node)->thread,
                               -EFAULT);
        }
        p->reap_pending = true;
    }
    arch_irq_unlock(key);
}

void
proc_reap(void)
{
    struct pica_proc *self = sched.current->proc;
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        struct pica_proc *p = pica_proc_at(i);
        if (p->reap_pending && p->state != PICA_PROC_RUNNING) {
            p->reap_pending = false;
            cap_release_all(p);
        }
        /* Its threads' control blocks and privileged stacks, once none of
         * them exists any more (none runs: they were switched out for good
         * as they died, and this thread is not one of them). */
        unsigned key = arch_irq_lock();
        void *mem = NULL;
        if (p != self && p->state != PICA_PROC_RUNNING && p->threads_alive == 0) {
            mem = p->slots_mem;
            p->slots = p->slots_mem = NULL;
        }
        arch_irq_unlock(key);
        pica_free(mem);
    }
}

void
proc_start_all(void)
{
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        const struct pica_proc_image *im = &__pica_procs_start[i];
        if (im->proc->image == NULL) {
            im->proc->image = im;
        }
    }
    /* The root first: the others' endpoints derive from its. */
    struct pica_proc *root = proc_root();
    if (root != NULL && !(root->image->flags & PICA_PROC_NO_START)) {
        int err = pica_proc_start(root);
        if (err != 0) {
            printf("root process '%s' not started: error %d\n", root->image->name, err);
        }
    }
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        const struct pica_proc_image *im = &__pica_procs_start[i];
        if ((im->flags & PICA_PROC_NO_START) || im->proc == root) {
            continue;
        }
        int err = pica_proc_start(im->proc);
        if (err != 0) {
            printf("process '%s' not started: error %d\n", im->name, err);
        }
    }
}
