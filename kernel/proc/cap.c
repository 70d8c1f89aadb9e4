/* SPDX-License-Identifier: MIT */
/* Capability slots and their derivation (kernel/proc/cap.h, docs/capabilities.md).
 *
 * Slots change only under the kernel lock, so a lookup sees a whole slot or
 * none. An object a process created sits in one heap block behind a struct
 * cap_obj, which counts the slots naming it and the system calls using it:
 * the last slot's deletion destroys it (waiters woken with -EIDRM), and the
 * block is freed once the last call is done, so no call ever touches freed
 * memory. Every such object is also on one list, so the objects of a process
 * that ended are all found.
 *
 * Derivation: a capability copied, minted or passed in a message is a child
 * of the one it came from, on that one's children list. Deleting a slot puts
 * its children in its place among its siblings (an O(1) splice), so a
 * revoke, which deletes its slot's first child until there is none, reaches
 * every descendant without a parent pointer or a walk: each step is O(1)
 * under the lock, and the lock is dropped between steps. */
#include "cap.h"

#include <errno.h>
#include <string.h>

#include <pica/event.h>
#include <pica/heap.h>
#include <pica/list.h>
#include <pica/mutex.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/thread.h>

#include "arch.h"
#include "sched.h"
#include "thread_priv.h"

struct cap_obj {
    struct pica_list node;   /* in cap_objects */
    struct pica_proc *owner; /* charged for it */
    uint32_t charge;         /* bytes charged to owner->quota_used */
    uint16_t holds;          /* calls using it now */
    uint16_t foreign;        /* of them, calls of other processes' threads */
    uint16_t caps;           /* slots naming it */
    uint8_t type;            /* enum pica_cap_type */
    uint8_t destroyed;       /* its last slot was deleted: freed at the last put */
};

/* The object follows its header at this offset, 8-byte aligned. */
#define CAP_OBJ_OFFSET ((sizeof(struct cap_obj) + 7u) & ~(size_t)7u)
/* The heap's header before each block (include/pica/heap.h). */
#define CAP_HEAP_HEADER (2u * sizeof(void *))

static struct pica_list cap_objects = PICA_LIST_INIT(cap_objects);

/* One revoke at a time, so that no revoke deletes a slot another is
 * working from. */
static struct pica_mutex cap_revoke_lock;
static bool cap_revoke_lock_ready;

static struct cap_obj *
cap_obj_of(void *obj)
{
    return (struct cap_obj *)((char *)obj - CAP_OBJ_OFFSET);
}

static bool
type_is_creatable(unsigned type)
{
    return type == PICA_CAP_SEM || type == PICA_CAP_MUTEX || type == PICA_CAP_QUEUE ||
           type == PICA_CAP_EVENT || type == PICA_CAP_FILE || type == PICA_CAP_DIR ||
           type == PICA_CAP_BPF_PROG || type == PICA_CAP_EP || type == PICA_CAP_NTFN ||
           type == PICA_CAP_REPLY || type == PICA_CAP_REGION;
}

/* Types that never leave their slot's process: a thread slot names one
 * of its own threads; a reply is one caller's, answered once. */
static bool
type_stays_home(unsigned type)
{
    return type == PICA_CAP_THREAD || type == PICA_CAP_REPLY;
}

/* Files and directories exist only in images with the file system, eBPF
 * programs only in images with eBPF, endpoints and notifications only in
 * images that use IPC. */
#pragma weak fs_cap_close
#pragma weak fs_cap_quiesce
#pragma weak bpf_cap_destroy
#pragma weak bpf_cap_release
#pragma weak ipc_cap_destroy

/* Wake the object's waiters with -EIDRM and leave it unusable: every later
 * call on it fails with -EINVAL (a file or directory: is closed, and every
 * later call on it fails with -EBADF). */
static void
cap_obj_destroy(void *obj, unsigned type)
{
    switch (type) {
    case PICA_CAP_SEM:
        (void)pica_sem_destroy(obj);
        break;
    case PICA_CAP_MUTEX:
        (void)pica_mutex_destroy(obj);
        break;
    case PICA_CAP_QUEUE:
        (void)pica_queue_destroy(obj);
        break;
    case PICA_CAP_EVENT:
        (void)pica_event_destroy(obj);
        break;
    case PICA_CAP_FILE:
    case PICA_CAP_DIR:
        if (fs_cap_close != NULL) {
            fs_cap_close(obj, type);
        }
        break;
    case PICA_CAP_BPF_PROG:
        if (bpf_cap_destroy != NULL) {
            bpf_cap_destroy(obj);
        }
        break;
    case PICA_CAP_EP:
    case PICA_CAP_NTFN:
    case PICA_CAP_REPLY:
        if (ipc_cap_destroy != NULL) {
            ipc_cap_destroy(obj, type);
        }
        break;
    default:
        break;
    }
}

/* Unlink @o and return its charge. Context: kernel lock held. */
static void
cap_obj_unlink_locked(struct cap_obj *o)
{
    pica_list_remove(&o->node);
    o->owner->quota_used -= o->charge;
}

uint32_t
cap_obj_charge(size_t size)
{
    if (size > UINT32_MAX / 2) {
        return 0;
    }
    size_t block = (CAP_OBJ_OFFSET + size + 7u) & ~(size_t)7u;
    return (uint32_t)(block + CAP_HEAP_HEADER);
}

void *
cap_obj_alloc(struct pica_proc *p, enum pica_cap_type type, size_t size)
{
    uint32_t charge = cap_obj_charge(size);
    if (!type_is_creatable(type) || charge == 0) {
        return NULL;
    }
    /* Charged before the allocation, so two threads of one process cannot
     * both pass the check for the last bytes of its quota. */
    unsigned key = arch_irq_lock();
    bool fits = charge <= p->image->obj_quota && p->quota_used <= p->image->obj_quota - charge;
    if (fits) {
        p->quota_used += charge;
    }
    arch_irq_unlock(key);
    if (!fits) {
        return NULL;
    }
    struct cap_obj *o = pica_malloc(CAP_OBJ_OFFSET + size);
    if (o == NULL) {
        key = arch_irq_lock();
        p->quota_used -= charge;
        arch_irq_unlock(key);
        return NULL;
    }
    memset(o, 0, CAP_OBJ_OFFSET + size);
    o->owner = p;
    o->charge = charge;
    o->type = (uint8_t)type;
    key = arch_irq_lock();
    pica_list_append(&cap_objects, &o->node);
    arch_irq_unlock(key);
    return (char *)o + CAP_OBJ_OFFSET;
}

int
cap_obj_charge_add(void *obj, int32_t bytes)
{
    struct cap_obj *o = cap_obj_of(obj);
    const uint32_t quota = o->owner->image->obj_quota;
    unsigned key = arch_irq_lock();
    uint32_t used = o->owner->quota_used;
    uint32_t more = bytes > 0 ? (uint32_t)bytes : 0;
    uint32_t less = bytes < 0 ? 0u - (uint32_t)bytes : 0;
    bool fits = more <= quota && used <= quota - more && less <= o->charge;
    if (fits) {
        o->owner->quota_used = used + more - less;
        o->charge = o->charge + more - less;
    }
    arch_irq_unlock(key);
    return fits ? 0 : -ENOMEM;
}

struct pica_proc *
cap_obj_owner(void *obj)
{
    return cap_obj_of(obj)->owner;
}

void
cap_obj_free(void *obj)
{
    if (obj == NULL) {
        return;
    }
    struct cap_obj *o = cap_obj_of(obj);
    unsigned key = arch_irq_lock();
    cap_obj_unlink_locked(o);
    arch_irq_unlock(key);
    pica_free(o);
}

static int
cap_check_locked(const struct pica_proc *p, uint32_t slot, enum pica_cap_type type,
                 unsigned rights)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    const struct pica_cap *c = &p->caps[slot];
    if (c->obj == NULL || c->type != type) {
        return -EBADF;
    }
    return (c->rights & rights) == rights ? 0 : -EPERM;
}

int
cap_lookup(const struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
           void **obj)
{
    unsigned key = arch_irq_lock();
    int err = cap_check_locked(p, slot, type, rights);
    if (err == 0) {
        *obj = p->caps[slot].obj;
    }
    arch_irq_unlock(key);
    return err;
}

int
cap_get(struct pica_proc *p, uint32_t slot, enum pica_cap_type type, unsigned rights,
        struct cap_hold *h)
{
    unsigned key = arch_irq_lock();
    int err = cap_check_locked(p, slot, type, rights);
    if (err == 0) {
        struct pica_cap *c = &p->caps[slot];
        h->obj = c->obj;
        h->owned = NULL;
        struct pica_thread *t = sched.current;
        if (c->flags & PICA_CAP_OWNED) {
            h->owned = cap_obj_of(c->obj);
            h->owned->holds++;
            if (t == NULL || t->proc != h->owned->owner) {
                h->owned->foreign++;
            }
        }
        /* The call's first slot is the one it may wait through: a revoke
         * or delete of it wakes the caller (cap_wake_via_locked). */
        if (t != NULL && t->user != NULL && t->proc == p && t->user->via == NULL) {
            t->user->via = c;
            t->user->badge = c->badge;
            h->via = c;
        }
    }
    arch_irq_unlock(key);
    return err;
}

/* End a hold of @o (@foreign: by a call of another process than its
 * maker's); the last one frees an object already destroyed. Returns
 * whether it was destroyed. */
static bool
cap_obj_put(struct cap_obj *o, bool foreign)
{
    unsigned key = arch_irq_lock();
    bool destroyed = o->destroyed;
    bool last = --o->holds == 0 && destroyed;
    if (foreign) {
        o->foreign--;
    }
    if (last) {
        cap_obj_unlink_locked(o);
    }
    arch_irq_unlock(key);
    if (last) {
        pica_free(o);
    }
    return destroyed;
}

int32_t
cap_put(struct cap_hold *h, int32_t result)
{
    struct cap_obj *o = h->owned;
    struct pica_cap *via = h->via;
    h->obj = NULL;
    h->owned = NULL;
    h->via = NULL;
    if (via != NULL) {
        /* This hold set the call's via (the call's first; holds end in
         * reverse order), and the call is done with it even if cap_move()
         * has pointed it at the slot's new place meanwhile. */
        struct pica_thread *t = sched.current;
        unsigned key = arch_irq_lock();
        t->user->via = NULL;
        t->user->badge = 0;
        arch_irq_unlock(key);
    }
    if (o == NULL) {
        return result;
    }
    struct pica_thread *t = sched.current;
    bool destroyed = cap_obj_put(o, t == NULL || t->proc != o->owner);
    return destroyed && result == -EINVAL ? -EIDRM : result;
}

uint32_t
cap_call_badge(void)
{
    struct pica_thread *t = sched.current;
    return t->user != NULL ? t->user->badge : 0;
}

/* The process whose table holds @c. */
static struct pica_proc *
cap_proc_of(struct pica_cap *c)
{
    return pica_container_of(c - c->index, struct pica_proc, caps);
}

/* Fill the empty slot @c. Context: kernel lock held. */
static void
cap_fill_locked(struct pica_cap *c, enum pica_cap_type type, void *obj, unsigned rights,
                unsigned flags, uint32_t badge)
{
    c->obj = obj;
    c->type = (uint8_t)type;
    c->rights = (uint8_t)rights;
    c->flags = (uint8_t)(flags & PICA_CAP_OWNED);
    c->badge = badge;
    pica_list_init(&c->sibling);
    pica_list_init(&c->children);
    if (flags & PICA_CAP_OWNED) {
        cap_obj_of(obj)->caps++;
    }
}

/* Wake every thread of @c's process blocked in a call made through @c:
 * the capability it waits through is gone. Context: kernel lock held. */
static void
cap_wake_via_locked(struct pica_cap *c)
{
    struct pica_proc *p = cap_proc_of(c);
    for (struct pica_list *n = p->threads.next; n != NULL && n != &p->threads; n = n->next) {
        struct pica_thread_user *u = pica_container_of(n, struct pica_thread_user, proc_node);
        if (u->via != c) {
            continue;
        }
        u->via = NULL;
        struct pica_thread *t = u->thread;
        struct pica_waitq *q = t->waiting_on;
        if (t->state == PICA_THREAD_BLOCKED && q != NULL) {
            thread_wait_end_locked(t, -EIDRM);
            if (q->changed != NULL) {
                q->changed(q);
            }
        }
    }
}

/* Weak: regions only matter where processes run (kernel/proc/proc.c). */
#pragma weak proc_cap_region_gone_locked
#pragma weak proc_cap_region_moved_locked
#pragma weak proc_cap_region_added_locked
#pragma weak proc_cap_region_room_locked

/* Empty the occupied slot @c; its children take its place among its
 * siblings. Returns its object's header if this was the object's last slot
 * (to be destroyed by the caller, outside the lock), else NULL.
 * Context: kernel lock held. */
static struct cap_obj *
cap_empty_locked(struct pica_cap *c)
{
    if (!pica_list_empty(&c->children)) {
        struct pica_list *first = c->children.next;
        struct pica_list *last = c->children.prev;
        first->prev = c->sibling.prev;
        c->sibling.prev->next = first;
        last->next = &c->sibling;
        c->sibling.prev = last;
    }
    pica_list_remove(&c->sibling);
    cap_wake_via_locked(c);
    if (c->type == PICA_CAP_REGION && proc_cap_region_gone_locked != NULL) {
        proc_cap_region_gone_locked(cap_proc_of(c), c);
    }
    struct cap_obj *dead = NULL;
    if (c->flags & PICA_CAP_OWNED) {
        struct cap_obj *o = cap_obj_of(c->obj);
        if (--o->caps == 0) {
            /* Held by the caller too, so no put frees it before the destroy. */
            o->holds++;
            o->destroyed = 1;
            dead = o;
        }
    }
    /* Field by field: the C library's memset goes a byte at a time, and
     * interrupts are masked here. The lists are not read while it is empty. */
    c->obj = NULL;
    c->type = 0;
    c->rights = 0;
    c->flags = 0;
    c->badge = 0;
    return dead;
}

/* Destroy the object whose last slot cap_empty_locked() emptied. */
static void
cap_obj_finish(struct cap_obj *o)
{
    if (o == NULL) {
        return;
    }
    cap_obj_destroy((char *)o + CAP_OBJ_OFFSET, o->type);
    (void)cap_obj_put(o, false); /* the hold cap_empty_locked() took */
}

/* The free slot @dst of @p, or the lowest free one for PICA_SLOT_ANY.
 * Context: kernel lock held. Returns: the slot, -EBADF (out of range),
 * -EEXIST (taken), -ENOSPC (none free). */
static int
cap_free_slot_locked(struct pica_proc *p, uint32_t dst)
{
    if (dst != PICA_SLOT_ANY) {
        if (dst >= PICA_CFG_CAP_SLOTS) {
            return -EBADF;
        }
        return p->caps[dst].obj == NULL ? (int)dst : -EEXIST;
    }
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        if (p->caps[i].obj == NULL) {
            return (int)i;
        }
    }
    return -ENOSPC;
}

int
cap_insert(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, bool owned)
{
    if (p == NULL || obj == NULL || type <= PICA_CAP_NONE || type >= PICA_CAP_TYPES ||
        (rights & ~PICA_RIGHTS_ALL) != 0 || (owned && !type_is_creatable(type))) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    int slot = cap_free_slot_locked(p, PICA_SLOT_ANY);
    if (slot >= 0) {
        struct pica_cap *c = &p->caps[slot];
        c->index = (uint8_t)slot;
        cap_fill_locked(c, type, obj, rights, owned ? PICA_CAP_OWNED : 0u, 0);
    }
    arch_irq_unlock(key);
    return slot;
}

int
cap_insert_new(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights)
{
    int slot = cap_insert(p, type, obj, rights, true);
    if (slot < 0) {
        cap_obj_free(obj);
    }
    return slot;
}

/* Make @dst (free, in @to) a child of @src with @rights and @badge.
 * Context: kernel lock held. */
static void
cap_derive_locked(struct pica_cap *src, struct pica_proc *to, int dst, unsigned rights,
                  uint32_t badge)
{
    struct pica_cap *c = &to->caps[dst];
    c->index = (uint8_t)dst;
    cap_fill_locked(c, (enum pica_cap_type)src->type, src->obj, rights, src->flags, badge);
    pica_list_append(&src->children, &c->sibling);
    if (c->type == PICA_CAP_REGION && (c->flags & PICA_CAP_OWNED) &&
        proc_cap_region_added_locked != NULL) {
        proc_cap_region_added_locked(to, c); /* maps it, if another's memory */
    }
}

/* Room in @to's map for one more region, if a copy of @s would need it
 * (another process's memory). */
static int
cap_region_room_locked(const struct pica_cap *s, const struct pica_proc *to)
{
    if (s->type != PICA_CAP_REGION || !(s->flags & PICA_CAP_OWNED) ||
        proc_cap_region_room_locked == NULL || cap_obj_of(s->obj)->owner == to) {
        return 0;
    }
    return proc_cap_region_room_locked(to);
}

/* The checks every derivation makes of its source. */
static int
cap_derivable_locked(const struct pica_proc *p, uint32_t src, unsigned rights)
{
    if (src >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    const struct pica_cap *s = &p->caps[src];
    if (s->obj == NULL) {
        return -EBADF;
    }
    if ((rights & ~PICA_RIGHTS_ALL) != 0) {
        return -EINVAL;
    }
    if (s->type == PICA_CAP_REPLY || (rights & ~(unsigned)s->rights) != 0) {
        return -EPERM; /* a reply is never copied; rights never widen */
    }
    return 0;
}

int
cap_copy(struct pica_proc *p, uint32_t src, uint32_t dst, unsigned rights)
{
    unsigned key = arch_irq_lock();
    int err = cap_derivable_locked(p, src, rights);
    if (err == 0) {
        err = cap_region_room_locked(&p->caps[src], p);
    }
    if (err == 0) {
        err = cap_free_slot_locked(p, dst);
    }
    if (err >= 0) {
        cap_derive_locked(&p->caps[src], p, err, rights, p->caps[src].badge);
    }
    arch_irq_unlock(key);
    return err;
}

int
cap_mint(struct pica_proc *p, uint32_t src, uint32_t dst, unsigned rights, uint32_t badge)
{
    unsigned key = arch_irq_lock();
    int err = cap_derivable_locked(p, src, rights);
    if (err == 0) {
        const struct pica_cap *s = &p->caps[src];
        if (badge == 0 || badge > PICA_BADGE_MAX ||
            (s->type != PICA_CAP_EP && s->type != PICA_CAP_NTFN)) {
            err = -EINVAL; /* only endpoints and notifications carry badges */
        } else if (s->badge != 0) {
            err = -EPERM; /* a badge is never changed, only given once */
        }
    }
    if (err == 0) {
        err = cap_free_slot_locked(p, dst);
    }
    if (err >= 0) {
        cap_derive_locked(&p->caps[src], p, err, rights, badge);
    }
    arch_irq_unlock(key);
    return err;
}

int
cap_transfer_check_locked(const struct pica_proc *from, uint32_t src, const struct pica_proc *to,
                          uint32_t dst)
{
    if (src >= PICA_CFG_CAP_SLOTS || from->caps[src].obj == NULL) {
        return -EBADF;
    }
    const struct pica_cap *s = &from->caps[src];
    if (!(s->rights & PICA_RIGHT_GRANT)) {
        return -EPERM;
    }
    if ((from != to && type_stays_home(s->type)) || s->type == PICA_CAP_REPLY) {
        return -EPERM; /* a reply is never copied, not even to itself */
    }
    if (to->image != NULL && to->state != PICA_PROC_RUNNING) {
        return -ESRCH;
    }
    int err = cap_region_room_locked(s, to);
    if (err != 0) {
        return err;
    }
    if (dst == PICA_SLOT_ANY) {
        return cap_free_slot_locked((struct pica_proc *)to, dst) < 0 ? -ENOSPC : 0;
    }
    return dst >= PICA_CFG_CAP_SLOTS ? -EBADF : to->caps[dst].obj != NULL ? -EEXIST : 0;
}

int
cap_transfer_locked(struct pica_proc *from, uint32_t src, struct pica_proc *to, uint32_t dst)
{
    int err = cap_transfer_check_locked(from, src, to, dst);
    if (err == 0) {
        err = cap_free_slot_locked(to, dst);
    }
    if (err >= 0) {
        struct pica_cap *s = &from->caps[src];
        cap_derive_locked(s, to, err, s->rights, s->badge);
    }
    return err;
}

int
cap_give_derived(struct pica_proc *from, uint32_t src, struct pica_proc *to, unsigned rights,
                 uint32_t badge)
{
    unsigned key = arch_irq_lock();
    int err = cap_derivable_locked(from, src, rights);
    if (err == 0 && badge != 0 && (badge > PICA_BADGE_MAX || from->caps[src].badge != 0)) {
        err = -EINVAL;
    }
    if (err == 0) {
        err = cap_region_room_locked(&from->caps[src], to);
    }
    if (err == 0) {
        err = cap_free_slot_locked(to, PICA_SLOT_ANY);
    }
    if (err >= 0) {
        struct pica_cap *s = &from->caps[src];
        cap_derive_locked(s, to, err, rights, badge != 0 ? badge : s->badge);
    }
    arch_irq_unlock(key);
    return err;
}

int
cap_move(struct pica_proc *p, uint32_t src, uint32_t dst)
{
    if (src >= PICA_CFG_CAP_SLOTS || dst == PICA_SLOT_ANY) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    struct pica_cap *s = &p->caps[src];
    int err = s->obj == NULL ? -EBADF : (s->flags & PICA_CAP_REVOKING) ? -EBUSY : 0;
    if (err == 0 && src != dst) {
        err = cap_free_slot_locked(p, dst);
    }
    if (err >= 0 && src != dst) {
        struct pica_cap *d = &p->caps[dst];
        *d = *s;
        d->index = (uint8_t)dst;
        /* Both lists' neighbours point at @s: point them at @d. */
        if (pica_list_is_linked(&s->sibling)) {
            d->sibling.next->prev = &d->sibling;
            d->sibling.prev->next = &d->sibling;
        } else {
            pica_list_init(&d->sibling);
        }
        if (!pica_list_empty(&s->children)) {
            d->children.next->prev = &d->children;
            d->children.prev->next = &d->children;
        } else {
            pica_list_init(&d->children);
        }
        for (struct pica_list *n = p->threads.next; n != NULL && n != &p->threads; n = n->next) {
            struct pica_thread_user *u = pica_container_of(n, struct pica_thread_user, proc_node);
            if (u->via == s) {
                u->via = d;
            }
        }
        if (d->type == PICA_CAP_REGION && proc_cap_region_moved_locked != NULL) {
            proc_cap_region_moved_locked(p, s, d);
        }
        uint8_t index = s->index;
        memset(s, 0, sizeof *s);
        s->index = index;
    }
    arch_irq_unlock(key);
    return err < 0 ? err : (int)dst;
}

/* Empty @slot; with @force also one being revoked (a process that ended). */
static int
cap_delete_slot(struct pica_proc *p, uint32_t slot, bool force)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    struct pica_cap *c = &p->caps[slot];
    int err = c->obj == NULL ? -EBADF : (!force && (c->flags & PICA_CAP_REVOKING)) ? -EBUSY : 0;
    struct cap_obj *dead = NULL;
    if (err == 0) {
        dead = cap_empty_locked(c);
    }
    arch_irq_unlock(key);
    cap_obj_finish(dead);
    return err;
}

int
cap_delete(struct pica_proc *p, uint32_t slot)
{
    return cap_delete_slot(p, slot, false);
}

int
cap_revoke(struct pica_proc *p, uint32_t slot, uint32_t *deleted)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    if (!cap_revoke_lock_ready) {
        (void)pica_mutex_init(&cap_revoke_lock);
        cap_revoke_lock_ready = true;
    }
    arch_irq_unlock(key);
    /* A kill waits for the end: no slot is left marked. */
    thread_no_kill_begin();
    (void)pica_mutex_lock(&cap_revoke_lock, PICA_FOREVER);
    key = arch_irq_lock();
    struct pica_cap *c = &p->caps[slot];
    int err = c->obj == NULL ? -EBADF : 0;
    if (err == 0) {
        c->flags |= PICA_CAP_REVOKING;
    }
    arch_irq_unlock(key);
    uint32_t n = 0;
    while (err == 0) {
        /* One child per pass: the interrupt-masked stretch is one splice,
         * one slot cleared and its holder's threads looked at. */
        key = arch_irq_lock();
        /* Unmarked: emptied between two steps (its object's maker ended,
         * cap_cut_objects_of), and maybe filled again since. */
        if (!(c->flags & PICA_CAP_REVOKING) || pica_list_empty(&c->children)) {
            c->flags &= (uint8_t)~PICA_CAP_REVOKING;
            arch_irq_unlock(key);
            break;
        }
        struct pica_cap *child = pica_container_of(c->children.next, struct pica_cap, sibling);
        struct cap_obj *dead = cap_empty_locked(child);
        arch_irq_unlock(key);
        cap_obj_finish(dead); /* NULL: @c still names the object */
        n++;
    }
    (void)pica_mutex_unlock(&cap_revoke_lock);
    thread_no_kill_end();
    if (deleted != NULL) {
        *deleted = n;
    }
    return err;
}

int
cap_info(const struct pica_proc *p, uint32_t slot)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    const struct pica_cap *c = &p->caps[slot];
    int info = c->obj != NULL ? (int)(c->type | (unsigned)c->rights << 8) : -EBADF;
    arch_irq_unlock(key);
    return info;
}

int
cap_badge(const struct pica_proc *p, uint32_t slot)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    const struct pica_cap *c = &p->caps[slot];
    int badge = c->obj != NULL ? (int)c->badge : -EBADF;
    arch_irq_unlock(key);
    return badge;
}

unsigned
cap_children(const struct pica_proc *p, uint32_t slot)
{
    unsigned n = 0;
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return 0;
    }
    unsigned key = arch_irq_lock();
    const struct pica_cap *c = &p->caps[slot];
    if (c->obj != NULL) {
        for (const struct pica_list *i = c->children.next; i != &c->children; i = i->next) {
            n++;
        }
    }
    arch_irq_unlock(key);
    return n;
}

/* Empty every slot of @p (ended) and of every other process naming an
 * object @p made. */
static void
cap_cut_objects_of(struct pica_proc *p)
{
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        struct pica_proc *q = pica_proc_at(i);
        for (unsigned s = 0; s < PICA_CFG_CAP_SLOTS; s++) {
            unsigned key = arch_irq_lock();
            struct pica_cap *c = &q->caps[s];
            struct cap_obj *dead = NULL;
            if (c->obj != NULL && (c->flags & PICA_CAP_OWNED) && cap_obj_of(c->obj)->owner == p) {
                dead = cap_empty_locked(c);
            }
            arch_irq_unlock(key);
            cap_obj_finish(dead);
        }
    }
}

/* Weak: a host test has no table of processes; it has only its own. */
#pragma weak pica_proc_count
#pragma weak pica_proc_at

void
cap_release_all(struct pica_proc *p)
{
    if (fs_cap_quiesce != NULL) {
        /* A file it was opening when it ended is in a slot by now, or was
         * closed by the service itself. */
        fs_cap_quiesce(p);
    }
    if (bpf_cap_release != NULL) {
        /* Likewise a program it was loading; and those its slots no longer
         * name go too. */
        bpf_cap_release(p);
    }
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        (void)cap_delete_slot(p, i, true);
    }
    /* Its objects die with it, wherever they were passed. */
    if (pica_proc_count != NULL) {
        cap_cut_objects_of(p);
    }
    /* What is left is held by calls: those of its own threads, which are
     * gone and never end theirs, and those of other processes' threads,
     * whose last put frees it. */
    struct pica_list dead = PICA_LIST_INIT(dead);
    unsigned key = arch_irq_lock();
    struct pica_list *n = cap_objects.next;
    while (n != &cap_objects) {
        struct pica_list *next = n->next;
        struct cap_obj *o = pica_container_of(n, struct cap_obj, node);
        if (o->owner == p && o->foreign > 0) {
            o->holds = o->foreign;
            o->destroyed = 1;
        } else if (o->owner == p) {
            cap_obj_unlink_locked(o);
            pica_list_append(&dead, &o->node);
        }
        n = next;
    }
    arch_irq_unlock(key);
    while (!pica_list_empty(&dead)) {
        struct pica_list *first = dead.next;
        pica_list_remove(first);
        pica_free(pica_container_of(first, struct cap_obj, node));
    }
}
