/* SPDX-License-Identifier: MIT */
/* The model's operations (model.h). Slots are nodes; a node's children are
 * a list in the order the kernel keeps them: a derivation appends, and a
 * deletion puts the deleted node's children, in order, in its place among
 * its siblings, or leaves them without a parent if it had none. A revoke
 * deletes the first child until there is none. The comparison with the
 * kernel is in model_check.c. */
#include "model.h"

#include <errno.h>
#include <string.h>

#include <pica/panic.h>

#define SLOTS MODEL_SLOTS
#define NONE MODEL_NONE

void
model_init(struct model *m, struct pica_proc *a, struct pica_proc *b)
{
    memset(m, 0, sizeof *m);
    m->procs[0] = a;
    m->procs[1] = b;
    memset(m->slots, NONE, sizeof m->slots);
}

unsigned
model_kernel_obj(struct model *m, void *ptr, enum pica_cap_type type)
{
    unsigned i = 0;
    while (m->objs[i].live) {
        i++;
    }
    m->objs[i] = (struct model_obj){.ptr = ptr, .type = (uint8_t)type, .owner = MODEL_KERNEL,
                                    .live = true};
    return i;
}

const struct model_node *
model_at(const struct model *m, unsigned q, uint32_t slot)
{
    if (slot >= SLOTS || m->slots[q][slot] == NONE) {
        return NULL;
    }
    return &m->nodes[m->slots[q][slot]];
}

int
model_free_slot(const struct model *m, unsigned q, uint32_t dst)
{
    if (dst != PICA_SLOT_ANY) {
        if (dst >= SLOTS) {
            return -EBADF;
        }
        return m->slots[q][dst] != NONE ? -EEXIST : (int)dst;
    }
    for (unsigned j = 0; j < SLOTS; j++) {
        if (m->slots[q][j] == NONE) {
            return (int)j;
        }
    }
    return -ENOSPC;
}

/* Put a node in the free slot @j of @q, the last child of @parent. */
static void
fill(struct model *m, unsigned q, unsigned j, unsigned obj, unsigned rights, uint32_t badge,
     unsigned parent)
{
    unsigned n = 0;
    while (m->nodes[n].used) {
        n++; /* one node per occupied slot: never runs out */
    }
    m->nodes[n] = (struct model_node){
        .used = true, .proc = (uint8_t)q, .slot = (uint8_t)j, .obj = (uint8_t)obj,
        .rights = (uint8_t)rights, .badge = badge, .parent = (uint8_t)parent,
        .first = NONE, .last = NONE, .prev = NONE, .next = NONE};
    if (parent != NONE) {
        struct model_node *p = &m->nodes[parent];
        m->nodes[n].prev = p->last;
        if (p->last != NONE) {
            m->nodes[p->last].next = (uint8_t)n;
        } else {
            p->first = (uint8_t)n;
        }
        p->last = (uint8_t)n;
    }
    m->slots[q][j] = (uint8_t)n;
    m->objs[obj].slots++;
}

/* Splice @e's children into its place among its parent's children. */
static void
splice(struct model *m, struct model_node *e)
{
    struct model_node *p = &m->nodes[e->parent];
    uint8_t first = e->first != NONE ? e->first : e->next;
    uint8_t last = e->last != NONE ? e->last : e->prev;
    if (e->first != NONE) {
        m->nodes[e->first].prev = e->prev;
        m->nodes[e->last].next = e->next;
    }
    if (e->prev != NONE) {
        m->nodes[e->prev].next = first;
    } else {
        p->first = first;
    }
    if (e->next != NONE) {
        m->nodes[e->next].prev = last;
    } else {
        p->last = last;
    }
}

/* Empty the occupied slot @j of @q; the object goes with its last slot. */
static void
empty(struct model *m, unsigned q, unsigned j)
{
    struct model_node *e = &m->nodes[m->slots[q][j]];
    for (uint8_t c = e->first, next; c != NONE; c = next) {
        next = m->nodes[c].next;
        m->nodes[c].parent = e->parent;
        if (e->parent == NONE) {
            m->nodes[c].prev = m->nodes[c].next = NONE;
        }
    }
    if (e->parent != NONE) {
        splice(m, e);
    }
    struct model_obj *o = &m->objs[e->obj];
    if (--o->slots == 0 && o->owner != MODEL_KERNEL) {
        o->live = false;
        m->quota_used[o->owner] -= o->charge;
    }
    e->used = false;
    m->slots[q][j] = NONE;
}

int
model_give(struct model *m, unsigned q, unsigned obj, unsigned rights)
{
    int slot = model_free_slot(m, q, PICA_SLOT_ANY);
    if (slot >= 0) {
        fill(m, q, (unsigned)slot, obj, rights, 0, NONE);
    }
    return slot;
}

int
model_create(struct model *m, unsigned q, enum pica_cap_type type, uint32_t charge)
{
    const uint32_t quota = m->procs[q]->image->obj_quota;
    if (charge > quota || m->quota_used[q] > quota - charge) {
        return -ENOMEM; /* cap_obj_alloc() */
    }
    int slot = model_free_slot(m, q, PICA_SLOT_ANY);
    if (slot < 0) {
        return slot; /* cap_insert(): the object is freed again */
    }
    unsigned o = 0;
    while (o < MODEL_OBJS && (m->objs[o].live || m->objs[o].slots != 0)) {
        o++;
    }
    if (o == MODEL_OBJS) {
        PICA_PANIC("user-capfuzz: model object table full");
    }
    m->objs[o] = (struct model_obj){
        .type = (uint8_t)type, .owner = (uint8_t)q, .live = true, .charge = charge};
    m->quota_used[q] += charge;
    fill(m, q, (unsigned)slot, o, PICA_RIGHTS_ALL, 0, NONE);
    return slot;
}

int
model_created(struct model *m, unsigned q, unsigned slot, void *ptr)
{
    struct model_obj *o = &m->objs[model_at(m, q, slot)->obj];
    for (unsigned i = 0; i < MODEL_OBJS; i++) {
        if (m->objs[i].live && m->objs[i].ptr == ptr && &m->objs[i] != o) {
            return -1;
        }
    }
    o->ptr = ptr;
    return 0;
}

/* The checks of cap_derivable_locked(). */
static int
derivable(const struct model *m, unsigned q, uint32_t src, unsigned rights)
{
    const struct model_node *s = model_at(m, q, src);
    if (s == NULL) {
        return -EBADF;
    }
    if ((rights & ~PICA_RIGHTS_ALL) != 0) {
        return -EINVAL;
    }
    if (m->objs[s->obj].type == PICA_CAP_REPLY || (rights & ~(unsigned)s->rights) != 0) {
        return -EPERM;
    }
    return 0;
}

int
model_copy(struct model *m, unsigned q, uint32_t src, uint32_t dst, unsigned rights)
{
    int err = derivable(m, q, src, rights);
    if (err == 0) {
        err = model_free_slot(m, q, dst);
    }
    if (err >= 0) {
        const struct model_node *s = model_at(m, q, src);
        fill(m, q, (unsigned)err, s->obj, rights, s->badge, m->slots[q][src]);
    }
    return err;
}

int
model_mint(struct model *m, unsigned q, uint32_t src, uint32_t dst, unsigned rights,
           uint32_t badge)
{
    int err = derivable(m, q, src, rights);
    const struct model_node *s = model_at(m, q, src);
    if (err == 0) {
        unsigned type = m->objs[s->obj].type;
        bool badgeable = type == PICA_CAP_EP || type == PICA_CAP_NTFN;
        if (badge == 0 || badge > PICA_BADGE_MAX || !badgeable) {
            err = -EINVAL; /* only endpoints and notifications carry badges */
        } else if (s->badge != 0) {
            err = -EPERM;
        }
    }
    if (err == 0) {
        err = model_free_slot(m, q, dst);
    }
    if (err >= 0) {
        fill(m, q, (unsigned)err, s->obj, rights, badge, m->slots[q][src]);
    }
    return err;
}

int
model_move(struct model *m, unsigned q, uint32_t src, uint32_t dst)
{
    if (dst == PICA_SLOT_ANY || model_at(m, q, src) == NULL) {
        return -EBADF;
    }
    if (src == dst) {
        return (int)dst;
    }
    int err = model_free_slot(m, q, dst);
    if (err >= 0) {
        uint8_t n = m->slots[q][src];
        m->slots[q][dst] = n;
        m->slots[q][src] = NONE;
        m->nodes[n].slot = (uint8_t)dst;
    }
    return err;
}

int
model_delete(struct model *m, unsigned q, uint32_t slot)
{
    if (model_at(m, q, slot) == NULL) {
        return -EBADF;
    }
    empty(m, q, slot);
    return 0;
}

int
model_revoke(struct model *m, unsigned q, uint32_t slot)
{
    const struct model_node *s = model_at(m, q, slot);
    if (s == NULL) {
        return -EBADF;
    }
    int n = 0;
    while (s->first != NONE) {
        const struct model_node *c = &m->nodes[s->first];
        empty(m, c->proc, c->slot);
        n++;
    }
    return n;
}

int
model_info(const struct model *m, unsigned q, uint32_t slot)
{
    const struct model_node *s = model_at(m, q, slot);
    return s == NULL ? -EBADF : (int)(m->objs[s->obj].type | (unsigned)s->rights << 8);
}

int
model_badge(const struct model *m, unsigned q, uint32_t slot)
{
    const struct model_node *s = model_at(m, q, slot);
    return s == NULL ? -EBADF : (int)s->badge;
}

int
model_recv_begin(const struct model *m, unsigned y, const uint8_t recv[2], uint8_t list[2],
                 unsigned *nrecv)
{
    *nrecv = 0;
    for (unsigned i = 0; i < 2; i++) {
        uint8_t r = recv[i];
        if (r == 0xFFu) {
            continue;
        }
        if (r >= SLOTS || (*nrecv == 1 && list[0] == r)) {
            return -EINVAL;
        }
        if (m->slots[y][r] != NONE) {
            return -EEXIST;
        }
        list[(*nrecv)++] = r;
    }
    return 0;
}

/* The checks of cap_transfer_check_locked() (both processes run). */
static int
transfer_check(const struct model *m, unsigned x, uint32_t src, unsigned y, uint32_t dst)
{
    const struct model_node *s = model_at(m, x, src);
    if (s == NULL) {
        return -EBADF;
    }
    if (!(s->rights & PICA_RIGHT_GRANT) || m->objs[s->obj].type == PICA_CAP_REPLY) {
        return -EPERM;
    }
    if (dst == PICA_SLOT_ANY) {
        return model_free_slot(m, y, dst) < 0 ? -ENOSPC : 0;
    }
    return dst >= SLOTS ? -EBADF : m->slots[y][dst] != NONE ? -EEXIST : 0;
}

int
model_send(struct model *m, unsigned x, uint32_t via, const uint8_t caps[2], unsigned y,
           const uint8_t list[2], unsigned nrecv, unsigned peer, uint32_t *badge)
{
    const struct model_node *v = model_at(m, x, via);
    if (v == NULL || m->objs[v->obj].type != PICA_CAP_EP) {
        return -EBADF; /* the decoder's cap_get() */
    }
    if (!(v->rights & PICA_RIGHT_WRITE)) {
        return -EPERM;
    }
    *badge = v->badge;
    if (v->obj != peer) {
        return -EAGAIN; /* nobody receives there */
    }
    uint8_t send[2];
    unsigned ncaps = 0;
    for (unsigned i = 0; i < 2; i++) {
        if (caps[i] != 0xFFu) {
            send[ncaps++] = caps[i];
        }
    }
    for (unsigned i = 0; i < ncaps; i++) {
        int err = transfer_check(m, x, send[i], y, i < nrecv ? list[i] : PICA_SLOT_ANY);
        if (err != 0) {
            return err;
        }
    }
    if (ncaps > nrecv) {
        return -ENOSPC;
    }
    for (unsigned i = 0; i < ncaps; i++) {
        const struct model_node *s = model_at(m, x, send[i]);
        fill(m, y, list[i], s->obj, s->rights, s->badge, m->slots[x][send[i]]);
    }
    return 0;
}

void
model_end(struct model *m, unsigned q)
{
    for (unsigned j = 0; j < SLOTS; j++) {
        if (m->slots[q][j] != NONE) {
            empty(m, q, j);
        }
    }
    /* cap_cut_objects_of(): what it made goes from the other's table too. */
    for (unsigned p = 0; p < MODEL_PROCS; p++) {
        for (unsigned j = 0; j < SLOTS; j++) {
            const struct model_node *s = model_at(m, p, j);
            if (s != NULL && m->objs[s->obj].owner == q) {
                empty(m, p, j);
            }
        }
    }
}
