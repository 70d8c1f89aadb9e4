/* SPDX-License-Identifier: MIT */
/* Capabilities, first layer: each process's table of slots (struct
 * pica_proc.caps, include/pica/proc.h). A slot holds a kernel object of a
 * type with rights; user code names objects by slot, and every system call
 * checks type and rights here. Objects a process creates are allocated
 * from the kernel heap and charged to its quota; they are owned by the
 * process and destroyed with their slot or with the process.
 * Implementation: kernel/cap.c. Derivation, revocation and IPC build on
 * this module. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/proc.h>

/* A system call's use of a slot's object: while held, an object the
 * process created stays in memory even if a sibling thread deletes its
 * slot (it is destroyed then, but freed only at the last put). */
struct cap_hold {
    void *obj;
    struct cap_obj *owned; /* NULL for an object the kernel gave */
};
#define CAP_HOLD_NONE {NULL, NULL}

/* The object in @p's @slot, if it is of @type and has every right in
 * @rights. Context: any; the object may go away once the lock is dropped,
 * so system calls use cap_get(). Returns: 0 (*@obj set), -EBADF (slot out
 * of range, empty, or of another type), -EPERM (a right missing). */
int cap_lookup(const struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
               void **obj);

/* cap_lookup(), holding the object until cap_put(). Context: thread. */
int cap_get(struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
            struct cap_hold *h);
/* End a hold (none: nothing happens) and pass on @result, or -EIDRM in
 * place of -EINVAL if the object was destroyed while held: the call failed
 * because its slot was deleted meanwhile. Context: thread. */
int32_t cap_put(struct cap_hold *h, int32_t result);

/* Put @obj of @type in @p's lowest free slot with @rights. @owned: it came
 * from cap_obj_alloc(p, ...), and goes with its slot or with @p; otherwise
 * it stays the kernel's, and deleting the slot only empties it (THREAD and
 * REGION slots are never owned: their makers keep and free them).
 * Context: thread or boot. Returns: the slot, -EINVAL (bad type, rights,
 * NULL, an owned THREAD or REGION), -ENOSPC (the table is full). */
int cap_insert(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights,
               bool owned);

/* Empty @slot. An owned object is destroyed at once (its waiters wake
 * with -EIDRM) and freed, its quota returned, once no call holds it.
 * Context: thread. Returns: 0, -EBADF (out of range or empty). */
int cap_delete(struct pica_proc *p, uint32_t slot);

/* The type and rights in @slot, as type | rights << 8.
 * Context: any. Returns: that (> 0), -EBADF (out of range or empty). */
int cap_info(const struct pica_proc *p, uint32_t slot);

/* When a process has ended (none of its threads will run again): empty
 * every slot, destroy every object it created and return their memory,
 * deleted ones that calls still held included. Its quota is then 0.
 * Context: thread. */
void cap_release_all(struct pica_proc *p);

/* Bytes charged to a process's quota for an object of @size bytes: its
 * heap block, i.e. the object and the owner's header rounded up to 8,
 * plus the heap's block header (include/pica/heap.h). 0 if too large. */
uint32_t cap_obj_charge(size_t size);

/* A zeroed object of @size bytes for @p to own, charged to its quota.
 * Context: thread. Returns: the object, or NULL (quota or heap used up:
 * the call's -ENOMEM). */
void *cap_obj_alloc(struct pica_proc *p, enum pica_cap_type type, size_t size);
/* Free an object from cap_obj_alloc() never inserted in a slot. */
void cap_obj_free(void *obj);
/* Charge @obj's owner @bytes more (@bytes < 0: return them), for memory the
 * object holds beside its own block (a loaded eBPF program's); it is all
 * returned with the object. Context: thread. Returns: 0, -ENOMEM (past the
 * quota: nothing charged). */
int cap_obj_charge_add(void *obj, int32_t bytes);

/* The file system's part in destroying a PICA_CAP_FILE or PICA_CAP_DIR
 * object (fs/fs_syscalls.c; cap.c refers to it weakly): close it, through
 * the file system's service thread. Context: thread, no lock held. */
void fs_cap_close(void *obj, unsigned type);
/* Wait until the file system's service thread is done with every request
 * made so far (fs/fs_syscalls.c, weak): those of a process that is ending
 * included, so that it touches none of its objects any more. Context:
 * thread, no lock held. */
void fs_cap_quiesce(struct pica_proc *p);
/* eBPF's part (bpf/kern/sys_bpf.c; cap.c refers to them weakly): unload
 * the program of a PICA_CAP_BPF_PROG object being destroyed; and, as a
 * process ends, wait until eBPF's service thread is done with its requests,
 * then unload every program it still owns. Context: thread, no lock held. */
void bpf_cap_destroy(void *obj);
void bpf_cap_release(struct pica_proc *p);
