/* SPDX-License-Identifier: MIT */
/* Capability slots (kernel/cap.h). Slots change only under the kernel
 * lock, so a lookup sees a whole slot or none. An object a process created
 * sits in one heap block behind a struct cap_obj, which counts the system
 * calls using it: deleting its slot destroys it at once (waiters woken
 * with -EIDRM) but frees the block only when the last of them is done, so
 * no call ever touches freed memory. Every such object is also on one
 * list, so the objects of a process that ended are all found, even those
 * whose slot was deleted while a call that never came back held them. */
#include "cap.h"

#include <errno.h>
#include <string.h>

#include <pica/event.h>
#include <pica/heap.h>
#include <pica/list.h>
#include <pica/mutex.h>
#include <pica/queue.h>
#include <pica/sem.h>

#include "arch.h"

struct cap_obj {
    struct pica_list node;   /* in cap_objects */
    struct pica_proc *owner; /* charged for it */
    uint32_t charge;         /* bytes charged to owner->quota_used */
    uint16_t holds;          /* calls using it now */
    uint8_t type;            /* enum pica_cap_type */
    uint8_t destroyed;       /* its slot was deleted: freed at the last put */
};

/* The object follows its header at this offset, 8-byte aligned. */
#define CAP_OBJ_OFFSET ((sizeof(struct cap_obj) + 7u) & ~(size_t)7u)
/* The heap's header before each block (include/pica/heap.h). */
#define CAP_HEAP_HEADER (2u * sizeof(void *))

static struct pica_list cap_objects = PICA_LIST_INIT(cap_objects);

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
           type == PICA_CAP_BPF_PROG;
}

/* Files and directories exist only in images with the file system, eBPF
 * programs only in images with eBPF. */
#pragma weak fs_cap_close
#pragma weak fs_cap_quiesce
#pragma weak bpf_cap_destroy
#pragma weak bpf_cap_release

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
        const struct pica_cap *c = &p->caps[slot];
        h->obj = c->obj;
        h->owned = NULL;
        if (c->owned) {
            h->owned = cap_obj_of(c->obj);
            h->owned->holds++;
        }
    }
    arch_irq_unlock(key);
    return err;
}

int32_t
cap_put(struct cap_hold *h, int32_t result)
{
    struct cap_obj *o = h->owned;
    h->obj = NULL;
    h->owned = NULL;
    if (o == NULL) {
        return result;
    }
    unsigned key = arch_irq_lock();
    bool destroyed = o->destroyed;
    bool last = --o->holds == 0 && destroyed;
    if (last) {
        cap_obj_unlink_locked(o);
    }
    arch_irq_unlock(key);
    if (last) {
        pica_free(o);
    }
    return destroyed && result == -EINVAL ? -EIDRM : result;
}

int
cap_insert(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, bool owned)
{
    if (p == NULL || obj == NULL || type <= PICA_CAP_NONE || type >= PICA_CAP_TYPES ||
        (rights & ~PICA_RIGHTS_ALL) != 0 || (owned && !type_is_creatable(type))) {
        return -EINVAL;
    }
    unsigned key = arch_irq_lock();
    int slot = -ENOSPC;
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        struct pica_cap *c = &p->caps[i];
        if (c->obj == NULL) {
            c->obj = obj;
            c->type = (uint8_t)type;
            c->rights = (uint8_t)rights;
            c->owned = owned;
            slot = (int)i;
            break;
        }
    }
    arch_irq_unlock(key);
    return slot;
}

int
cap_delete(struct pica_proc *p, uint32_t slot)
{
    if (slot >= PICA_CFG_CAP_SLOTS) {
        return -EBADF;
    }
    unsigned key = arch_irq_lock();
    struct pica_cap c = p->caps[slot];
    struct cap_hold h = CAP_HOLD_NONE;
    if (c.obj != NULL) {
        memset(&p->caps[slot], 0, sizeof p->caps[slot]);
        if (c.owned) {
            /* Held by this call too, so no put frees it before the destroy. */
            h.obj = c.obj;
            h.owned = cap_obj_of(c.obj);
            h.owned->holds++;
            h.owned->destroyed = 1;
        }
    }
    arch_irq_unlock(key);
    if (c.obj == NULL) {
        return -EBADF;
    }
    if (h.owned != NULL) {
        cap_obj_destroy(c.obj, c.type);
        (void)cap_put(&h, 0);
    }
    return 0;
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
        (void)cap_delete(p, i);
    }
    /* What is left is held by calls of threads that are gone: free it. */
    struct pica_list dead = PICA_LIST_INIT(dead);
    unsigned key = arch_irq_lock();
    struct pica_list *n = cap_objects.next;
    while (n != &cap_objects) {
        struct pica_list *next = n->next;
        struct cap_obj *o = pica_container_of(n, struct cap_obj, node);
        if (o->owner == p) {
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
