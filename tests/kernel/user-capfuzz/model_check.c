/* SPDX-License-Identifier: MIT */
/* The model against the kernel's tables (model.h): each slot's object,
 * type, rights, badge, flags and index; each children list, element by
 * element in order, with its back links; for a slot with no parent, the
 * ring its sibling node sits in (alone, or with the other orphans of a
 * deleted slot, never a children list); and each process's quota used.
 * Every pointer is located in a table before it is followed. Context: a
 * kernel thread, each table read under pica_irq_lock(). */
#include <stdarg.h>
#include <stdio.h>

#include <pica/irq.h>

#include "model.h"

#define NONE MODEL_NONE

__attribute__((format(printf, 2, 3))) static int
fail(struct model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->why, sizeof m->why, fmt, ap);
    va_end(ap);
    return -1;
}

static char
name(unsigned q)
{
    return (char)('A' + q);
}

/* Which slot's sibling node (or, @head, children list) @l is. */
static bool
locate(const struct model *m, const struct pica_list *l, unsigned *q, unsigned *j, bool *head)
{
    for (unsigned p = 0; p < MODEL_PROCS; p++) {
        uintptr_t base = (uintptr_t)m->procs[p]->caps;
        uintptr_t off = (uintptr_t)l - base;
        if ((uintptr_t)l < base || off >= sizeof m->procs[p]->caps) {
            continue;
        }
        size_t field = off % sizeof(struct pica_cap);
        *head = field == offsetof(struct pica_cap, children);
        *q = p;
        *j = (unsigned)(off / sizeof(struct pica_cap));
        return *head || field == offsetof(struct pica_cap, sibling);
    }
    return false;
}

static int
check_children(struct model *m, unsigned q, unsigned j, const struct model_node *n)
{
    const struct pica_list *head = &m->procs[q]->caps[j].children;
    const struct pica_list *prev = head;
    uint8_t want = n->first;
    unsigned i = 0;
    for (const struct pica_list *l = head->next; l != head; l = l->next, i++) {
        unsigned kq, kj;
        bool is_head;
        if (!locate(m, l, &kq, &kj, &is_head) || is_head) {
            return fail(m, "%c.%u: child %u at %p is no slot", name(q), j, i, (const void *)l);
        }
        if (l->prev != prev) {
            return fail(m, "%c.%u: child %u (%c.%u): broken back link", name(q), j, i, name(kq),
                        kj);
        }
        if (want == NONE) {
            return fail(m, "%c.%u: child %u is %c.%u, model: only %u children", name(q), j, i,
                        name(kq), kj, i);
        }
        const struct model_node *w = &m->nodes[want];
        if (w->proc != kq || w->slot != kj) {
            return fail(m, "%c.%u: child %u is %c.%u, model %c.%u", name(q), j, i, name(kq), kj,
                        name(w->proc), w->slot);
        }
        prev = l;
        want = w->next;
    }
    if (want != NONE) {
        return fail(m, "%c.%u: %u children, model more (next %c.%u)", name(q), j, i,
                    name(m->nodes[want].proc), m->nodes[want].slot);
    }
    return head->prev == prev ? 0 : fail(m, "%c.%u: children list's tail broken", name(q), j);
}

/* A slot without a parent: every other node of its ring is a slot the
 * model gives no parent either. */
static int
check_orphan(struct model *m, unsigned q, unsigned j)
{
    const struct pica_list *self = &m->procs[q]->caps[j].sibling;
    const struct pica_list *prev = self;
    unsigned i = 0;
    for (const struct pica_list *l = self->next; l != self; l = l->next) {
        unsigned kq, kj;
        bool is_head;
        if (!locate(m, l, &kq, &kj, &is_head) || l->prev != prev || ++i > MODEL_NODES) {
            return fail(m, "%c.%u: no parent, but its sibling ring is broken", name(q), j);
        }
        const struct model_node *k = model_at(m, kq, kj);
        if (is_head || k == NULL || k->parent != NONE) {
            return fail(m, "%c.%u: no parent in the model, but a sibling of %c.%u%s", name(q), j,
                        name(kq), kj, is_head ? "'s children" : "");
        }
        prev = l;
    }
    return self->prev == prev ? 0 : fail(m, "%c.%u: sibling ring's tail broken", name(q), j);
}

static int
check_slot(struct model *m, unsigned q, unsigned j)
{
    const struct pica_cap *c = &m->procs[q]->caps[j];
    const struct model_node *n = model_at(m, q, j);
    m->checks++;
    if (n == NULL) {
        if (c->obj != NULL) {
            return fail(m, "%c.%u: holds type %u rights %#x badge %#lx, model: empty", name(q), j,
                        c->type, c->rights, (unsigned long)c->badge);
        }
        return 0;
    }
    const struct model_obj *o = &m->objs[n->obj];
    unsigned flags = o->owner != MODEL_KERNEL ? PICA_CAP_OWNED : 0u;
    if (c->obj != o->ptr || c->type != o->type || c->rights != n->rights ||
        c->badge != n->badge || c->flags != flags || c->index != j) {
        return fail(m,
                    "%c.%u: obj %p type %u rights %#x badge %#lx flags %#x index %u; model: "
                    "obj %p type %u rights %#x badge %#lx flags %#x",
                    name(q), j, c->obj, c->type, c->rights, (unsigned long)c->badge, c->flags,
                    c->index, o->ptr, o->type, n->rights, (unsigned long)n->badge, flags);
    }
    int err = check_children(m, q, j, n);
    if (err == 0 && n->parent == NONE) {
        err = check_orphan(m, q, j);
    }
    return err;
}

int
model_check(struct model *m)
{
    for (unsigned q = 0; q < MODEL_PROCS; q++) {
        unsigned key = pica_irq_lock();
        int err = m->procs[q]->quota_used == m->quota_used[q]
                      ? 0
                      : fail(m, "%c: quota used %lu, model %lu", name(q),
                             (unsigned long)m->procs[q]->quota_used,
                             (unsigned long)m->quota_used[q]);
        for (unsigned j = 0; j < MODEL_SLOTS && err == 0; j++) {
            err = check_slot(m, q, j);
        }
        pica_irq_unlock(key);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}
