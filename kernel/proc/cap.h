/* SPDX-License-Identifier: MIT */
/* Capabilities: each process's table of slots (struct pica_proc.caps,
 * include/pica/proc.h). A slot holds a kernel object of a type with rights
 * and a badge; user code names objects by slot, and every system call
 * checks type and rights here. Objects a process creates are allocated
 * from the kernel heap and charged to its quota; they are destroyed with
 * their last slot or with the process that made them. A slot copied,
 * minted or passed in a message is derived from its source, and a revoke
 * of the source deletes every slot derived from it, in every process.
 * Implementation: kernel/proc/cap.c; the model: docs/capabilities.md. */
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
    struct pica_cap *via;  /* the slot the call may wait through, or NULL */
};
#define CAP_HOLD_NONE {NULL, NULL, NULL}

/* The object in @p's @slot, if it is of @type and has every right in
 * @rights. Context: any; the object may go away once the lock is dropped,
 * so system calls use cap_get(). Returns: 0 (*@obj set), -EBADF (slot out
 * of range, empty, or of another type), -EPERM (a right missing). */
int cap_lookup(const struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
               void **obj);

/* cap_lookup(), holding the object until cap_put(). The first slot a
 * system call gets is the one it may block through: its badge is the
 * call's (cap_call_badge()), and deleting or revoking that slot wakes the
 * blocked caller with -EIDRM. Context: thread. */
int cap_get(struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
            struct cap_hold *h);
/* End a hold (none: nothing happens) and pass on @result, or -EIDRM in
 * place of -EINVAL if the object was destroyed while held: the call failed
 * because its slot was deleted meanwhile. Context: thread. */
int32_t cap_put(struct cap_hold *h, int32_t result);

/* Put @obj of @type in @p's lowest free slot with @rights. @owned: it came
 * from cap_obj_alloc(p, ...), and goes with its slot or with @p; otherwise
 * it stays the kernel's, and deleting the slot only empties it (THREAD
 * slots and the kernel's REGION grants are never owned: their makers keep
 * and free them; a REGION a process made of its memory is).
 * Context: thread or boot. Returns: the slot, -EINVAL (bad type, rights,
 * NULL, an owned THREAD or REGION), -ENOSPC (the table is full). */
int cap_insert(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights,
               bool owned);

/* The badge of the slot the running system call got first (0: none). */
uint32_t cap_call_badge(void);

/* cap_insert() of an object fresh from cap_obj_alloc(p, ...), owned by
 * @p; if no slot takes it, it is freed (its quota returned). What a
 * system call creating an object ends with. Returns: the slot, -ENOSPC. */
int cap_insert_new(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights);

/* Empty @slot; the capabilities derived from it stay, as children of its
 * parent. The last slot naming an owned object destroys it (its waiters
 * wake with -EIDRM); it is freed, its quota returned, once no call holds
 * it. A thread of @p blocked in a call through @slot wakes with -EIDRM.
 * Context: thread. Returns: 0, -EBADF (out of range or empty), -EBUSY
 * (a revoke is working from it). */
int cap_delete(struct pica_proc *p, uint32_t slot);

/* Derive a capability from @src into @dst (PICA_SLOT_ANY: the lowest free
 * slot) of the same process with @rights, no more than @src has. cap_mint
 * gives it @badge (1..PICA_BADGE_MAX), which only an endpoint or
 * notification without a badge can take. Context: thread.
 * Returns: the slot; -EBADF (@src empty or out of range, @dst out of
 * range), -EPERM (wider rights, a reply, a badge over a badge), -EEXIST
 * (@dst taken), -ENOSPC (no free slot), -EINVAL (bad rights or badge, a
 * badge on another type). */
int cap_copy(struct pica_proc *p, uint32_t src, uint32_t dst, unsigned rights);
int cap_mint(struct pica_proc *p, uint32_t src, uint32_t dst, unsigned rights, uint32_t badge);

/* Kernel code giving @to a capability derived from @from's @src with
 * @rights (no more than @src's) and @badge (0: @src's own), in @to's lowest
 * free slot, whether or not either runs (the name service's endpoint for
 * each process, derived from the root's). Context: thread or boot.
 * Returns: the slot; -EBADF, -EPERM, -EINVAL, -ENOSPC. */
int cap_give_derived(struct pica_proc *from, uint32_t src, struct pica_proc *to, unsigned rights,
                     uint32_t badge);

/* Move @src to the free slot @dst, children and derivation kept.
 * Context: thread. Returns: @dst; -EBADF, -EEXIST, -EBUSY (being revoked). */
int cap_move(struct pica_proc *p, uint32_t src, uint32_t dst);

/* Delete every capability derived from @slot, in every process, leaving
 * @slot. One at a time: interrupts are masked for one deletion at a time,
 * never for the whole tree, and one revoke runs at a time. The caller is
 * not killed midway. *@deleted (may be NULL): how many went.
 * Context: thread. Returns: 0, -EBADF. */
int cap_revoke(struct pica_proc *p, uint32_t slot, uint32_t *deleted);

/* Pass @from's slot @src (it needs the grant right) to @to's free slot @dst
 * (or the lowest free, PICA_SLOT_ANY) with the same rights and badge, as
 * its child: a capability in a message. Context: kernel lock held.
 * Returns: the slot; -EBADF, -EPERM (no grant right; a thread or reply
 * slot, which never leave their process), -EEXIST, -ENOSPC, -ESRCH (@to
 * not running). */
int cap_transfer_locked(struct pica_proc *from, uint32_t src, struct pica_proc *to, uint32_t dst);
/* cap_transfer_locked()'s checks alone: 0 if it would succeed, else its
 * error. */
int cap_transfer_check_locked(const struct pica_proc *from, uint32_t src, const struct pica_proc *to,
                              uint32_t dst);

/* The type and rights in @slot, as type | rights << 8.
 * Context: any. Returns: that (> 0), -EBADF (out of range or empty). */
int cap_info(const struct pica_proc *p, uint32_t slot);
/* The badge in @slot (0: none). Returns: it, -EBADF. */
int cap_badge(const struct pica_proc *p, uint32_t slot);
/* How many capabilities were derived from @slot directly (0 if empty). */
unsigned cap_children(const struct pica_proc *p, uint32_t slot);

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
/* The process charged for @obj (from cap_obj_alloc()). */
struct pica_proc *cap_obj_owner(void *obj);
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
/* IPC's part (kernel/ipc.c, weak): an endpoint, notification or saved
 * reply being destroyed. Context: thread, no lock held. */
void ipc_cap_destroy(void *obj, unsigned type);
/* The process's part (kernel/proc/proc.c, weak): the REGION slot @c of @p is
 * being emptied, or moved from @from to @to; a region it mapped leaves @p's
 * map (or follows). Context: kernel lock held. */
void proc_cap_region_gone_locked(struct pica_proc *p, struct pica_cap *c);
/* ... or @c, a slot of @p naming a region another process made, was just
 * filled: @p's map gains the region (read-only without WRITE). */
void proc_cap_region_added_locked(struct pica_proc *p, struct pica_cap *c);
/* 0 if @p's map has room for one more region, else -ENOSPC. */
int proc_cap_region_room_locked(const struct pica_proc *p);
void proc_cap_region_moved_locked(struct pica_proc *p, struct pica_cap *from, struct pica_cap *to);
