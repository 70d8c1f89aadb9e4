/* SPDX-License-Identifier: MIT */
/* The model of cap_model.h: each operation's expected result is worked
 * out from the model alone, in the order kernel/proc/cap.c documents its checks
 * (cap.h); then the kernel is called and both are compared slot by slot.
 * The structure is compared as sets: each kernel slot's children list must
 * hold exactly the slots whose model parent is that slot. */
#include "cap_model.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <pica/sem.h>

#include "arch.h"
#include "cap.h"
#include "fake_heap.h"

#define SLOTS PICA_CFG_CAP_SLOTS
#define SEM_MAX 5u
#define OWNED_EP_SIZE 16u

/* Objects the kernel gives: never owned, never destroyed. */
static const uint8_t dummy_types[] = {
    PICA_CAP_EP, PICA_CAP_EP, PICA_CAP_NTFN, PICA_CAP_SEM, PICA_CAP_THREAD, PICA_CAP_REPLY,
};
#define DUMMIES (sizeof dummy_types)
static uint64_t dummies[DUMMIES][4];

static struct cap_model *current;

/* cap_release_all() cuts the slots of every listed process naming an
 * object of the one that ended: these are the model's two. */
unsigned
pica_proc_count(void)
{
    return current != NULL ? CAP_MODEL_PROCS : 0;
}

struct pica_proc *
pica_proc_at(unsigned i)
{
    return &current->procs[i];
}

__attribute__((format(printf, 2, 3))) static const char *
fail(struct cap_model *m, const char *fmt, ...)
{
    if (m->why[0] == '\0') {
        int n = snprintf(m->why, sizeof m->why, "step %u, %s: ", m->steps, m->op);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->why + n, sizeof m->why - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return m->why;
}

void
cap_model_init(struct cap_model *m, uint32_t quota)
{
    memset(m, 0, sizeof *m);
    current = m;
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        m->images[p].name = p == 0 ? "model0" : "model1";
        m->images[p].obj_quota = quota;
        m->procs[p].image = &m->images[p];
        m->procs[p].state = PICA_PROC_RUNNING;
        pica_list_init(&m->procs[p].threads);
    }
    for (unsigned i = 0; i < DUMMIES; i++) {
        m->objs[i] = (struct cap_model_obj){
            .ptr = dummies[i], .type = dummy_types[i], .owner = CAP_MODEL_KERNEL, .live = true};
    }
    m->next_id = 1;
}

/* ---- the model ---------------------------------------------------------- */

static int
model_free_slot(const struct cap_model *m, unsigned q, uint32_t dst)
{
    if (dst != PICA_SLOT_ANY) {
        if (dst >= SLOTS) {
            return -EBADF;
        }
        return m->slots[q][dst].present ? -EEXIST : (int)dst;
    }
    for (unsigned j = 0; j < SLOTS; j++) {
        if (!m->slots[q][j].present) {
            return (int)j;
        }
    }
    return -ENOSPC;
}

static void
model_fill(struct cap_model *m, unsigned q, unsigned j, unsigned obj, unsigned rights,
           uint32_t badge, uint32_t parent)
{
    m->slots[q][j] = (struct cap_model_slot){
        .present = true,
        .obj = (uint8_t)obj,
        .type = m->objs[obj].type,
        .rights = (uint8_t)rights,
        .badge = badge,
        .id = m->next_id++,
        .parent = parent,
    };
    m->objs[obj].slots++;
}

/* Empty a slot: its children become its parent's. */
static void
model_delete(struct cap_model *m, unsigned q, unsigned j)
{
    struct cap_model_slot *s = &m->slots[q][j];
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        for (unsigned k = 0; k < SLOTS; k++) {
            struct cap_model_slot *c = &m->slots[p][k];
            if (c->present && c->parent == s->id) {
                c->parent = s->parent;
            }
        }
    }
    struct cap_model_obj *o = &m->objs[s->obj];
    if (--o->slots == 0 && o->owner != CAP_MODEL_KERNEL) {
        o->live = false;
        m->quota_used[o->owner] -= o->charge;
        m->destroyed++;
    }
    memset(s, 0, sizeof *s);
}

/* A slot derived from the one with @id (first found), or NULL. */
static struct cap_model_slot *
model_child(struct cap_model *m, uint32_t id, unsigned *q, unsigned *j)
{
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        for (unsigned k = 0; k < SLOTS; k++) {
            if (m->slots[p][k].present && m->slots[p][k].parent == id) {
                *q = p;
                *j = k;
                return &m->slots[p][k];
            }
        }
    }
    return NULL;
}

static unsigned
model_children(const struct cap_model *m, uint32_t id)
{
    unsigned n = 0;
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        for (unsigned k = 0; k < SLOTS; k++) {
            n += m->slots[p][k].present && m->slots[p][k].parent == id;
        }
    }
    return n;
}

/* The checks of cap_derivable_locked(). */
static int
model_derivable(const struct cap_model *m, unsigned p, uint32_t src, unsigned rights)
{
    if (src >= SLOTS || !m->slots[p][src].present) {
        return -EBADF;
    }
    if ((rights & ~PICA_RIGHTS_ALL) != 0) {
        return -EINVAL;
    }
    const struct cap_model_slot *s = &m->slots[p][src];
    if (s->type == PICA_CAP_REPLY || (rights & ~(unsigned)s->rights) != 0) {
        return -EPERM;
    }
    return 0;
}

/* ---- the comparison ----------------------------------------------------- */

/* Where the kernel slot @k is: its process and slot, false if in neither. */
static bool
locate(const struct cap_model *m, const struct pica_cap *k, unsigned *q, unsigned *j)
{
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        const struct pica_cap *caps = m->procs[p].caps;
        if (k >= caps && k < caps + SLOTS) {
            *q = p;
            *j = (unsigned)(k - caps);
            return true;
        }
    }
    return false;
}

static const char *
check_children(struct cap_model *m, unsigned q, unsigned j)
{
    const struct pica_cap *c = &m->procs[q].caps[j];
    const struct cap_model_slot *s = &m->slots[q][j];
    unsigned n = 0;
    const struct pica_list *l;
    for (l = c->children.next; l != &c->children; l = l->next) {
        if (l == NULL || l->next == NULL || l->next->prev != l) {
            return fail(m, "%u.%u: children list broken after %u", q, j, n);
        }
        if (++n > CAP_MODEL_PROCS * SLOTS) {
            return fail(m, "%u.%u: children list never ends", q, j);
        }
        unsigned kq, kj;
        const struct pica_cap *k = pica_container_of(l, const struct pica_cap, sibling);
        if (!locate(m, k, &kq, &kj)) {
            return fail(m, "%u.%u: child %u is in no table", q, j, n);
        }
        const struct cap_model_slot *ks = &m->slots[kq][kj];
        if (!ks->present || ks->parent != s->id) {
            return fail(m, "%u.%u: has child %u.%u, model: %s, parent id %u (not %u)", q, j, kq,
                        kj, ks->present ? "present" : "empty", ks->parent, s->id);
        }
    }
    if (c->children.prev->next != &c->children) {
        return fail(m, "%u.%u: children list's tail broken", q, j);
    }
    unsigned want = model_children(m, s->id);
    if (n != want) {
        return fail(m, "%u.%u: %u children, model %u", q, j, n, want);
    }
    if (cap_children(&m->procs[q], j) != n) {
        return fail(m, "%u.%u: cap_children %u, walk %u", q, j, cap_children(&m->procs[q], j),
                    n);
    }
    return NULL;
}

static const char *
check_slot(struct cap_model *m, unsigned q, unsigned j)
{
    const struct pica_cap *c = &m->procs[q].caps[j];
    const struct cap_model_slot *s = &m->slots[q][j];
    if (!s->present) {
        if (c->obj != NULL || cap_info(&m->procs[q], j) != -EBADF) {
            return fail(m, "%u.%u: occupied, model empty", q, j);
        }
        return NULL;
    }
    const struct cap_model_obj *o = &m->objs[s->obj];
    unsigned flags = o->owner != CAP_MODEL_KERNEL ? PICA_CAP_OWNED : 0u;
    if (c->obj != o->ptr || c->type != s->type || c->rights != s->rights ||
        c->badge != s->badge || c->flags != flags || c->index != j) {
        return fail(m,
                    "%u.%u: obj %p type %u rights %u badge %u flags %u index %u; model obj %p "
                    "type %u rights %u badge %u flags %u",
                    q, j, c->obj, c->type, c->rights, (unsigned)c->badge, c->flags, c->index,
                    o->ptr, s->type, s->rights, (unsigned)s->badge, flags);
    }
    if (cap_info(&m->procs[q], j) != (int)(s->type | (unsigned)s->rights << 8) ||
        cap_badge(&m->procs[q], j) != (int)s->badge) {
        return fail(m, "%u.%u: cap_info or cap_badge differ", q, j);
    }
    if (c->sibling.next->prev != &c->sibling || c->sibling.prev->next != &c->sibling) {
        return fail(m, "%u.%u: sibling links broken", q, j);
    }
    return check_children(m, q, j);
}

static const char *
check_objects(struct cap_model *m)
{
    unsigned live = 0;
    for (unsigned i = 0; i < CAP_MODEL_OBJS; i++) {
        const struct cap_model_obj *o = &m->objs[i];
        unsigned named = 0;
        for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
            for (unsigned k = 0; k < SLOTS; k++) {
                named += m->slots[p][k].present && m->slots[p][k].obj == i;
            }
        }
        if (named != o->slots) {
            return fail(m, "model: object %u named by %u slots, counted %u", i, named, o->slots);
        }
        if (o->owner == CAP_MODEL_KERNEL || !o->live) {
            continue;
        }
        live++;
        /* pica_sem_destroy() sets max 0: not before its last slot went. */
        if (o->type == PICA_CAP_SEM && ((const struct pica_sem *)o->ptr)->max != SEM_MAX) {
            return fail(m, "object %u destroyed while %u slots name it", i, o->slots);
        }
    }
    if (fake_heap_live() != live) {
        return fail(m, "%u heap blocks, model %u owned objects alive", fake_heap_live(), live);
    }
    return NULL;
}

static const char *
check_all(struct cap_model *m)
{
    for (unsigned q = 0; q < CAP_MODEL_PROCS; q++) {
        if (m->procs[q].quota_used != m->quota_used[q]) {
            return fail(m, "process %u: quota used %u, model %u", q,
                        (unsigned)m->procs[q].quota_used, (unsigned)m->quota_used[q]);
        }
        for (unsigned j = 0; j < SLOTS; j++) {
            const char *why = check_slot(m, q, j);
            if (why != NULL) {
                return why;
            }
        }
    }
    return check_objects(m);
}

static const char *
check_result(struct cap_model *m, unsigned kind, int got, int want)
{
    if (got != want) {
        return fail(m, "returned %d, model %d", got, want);
    }
    if (got < 0) {
        m->refused++;
    } else {
        m->done[kind]++;
    }
    return NULL;
}

/* ---- operations --------------------------------------------------------- */

static const char *
op_insert_owned(struct cap_model *m, unsigned p, unsigned type, unsigned rights)
{
    size_t size = type == PICA_CAP_SEM ? sizeof(struct pica_sem) : OWNED_EP_SIZE;
    uint32_t charge = cap_obj_charge(size);
    uint32_t quota = m->images[p].obj_quota;
    bool fits = charge <= quota && m->quota_used[p] <= quota - charge;
    void *obj = cap_obj_alloc(&m->procs[p], (enum pica_cap_type)type, size);
    if ((obj != NULL) != fits) {
        return fail(m, "cap_obj_alloc %s, model says it %s", obj != NULL ? "gave" : "refused",
                    fits ? "fits" : "does not fit");
    }
    if (obj == NULL) {
        m->refused++;
        return NULL;
    }
    if (type == PICA_CAP_SEM && pica_sem_init(obj, 0, SEM_MAX) != 0) {
        return fail(m, "pica_sem_init");
    }
    unsigned o = DUMMIES;
    while (o < CAP_MODEL_OBJS && (m->objs[o].live || m->objs[o].slots != 0)) {
        o++;
    }
    if (o == CAP_MODEL_OBJS) {
        return fail(m, "model: object table full");
    }
    m->quota_used[p] += charge;
    int want = (rights & ~PICA_RIGHTS_ALL) != 0 ? -EINVAL : model_free_slot(m, p, PICA_SLOT_ANY);
    int got = cap_insert(&m->procs[p], (enum pica_cap_type)type, obj, rights, true);
    if (got < 0) {
        cap_obj_free(obj);
        m->quota_used[p] -= charge;
    } else {
        m->objs[o] = (struct cap_model_obj){
            .ptr = obj, .type = (uint8_t)type, .owner = (uint8_t)p, .live = true, .charge = charge};
        model_fill(m, p, (unsigned)got, o, rights, 0, 0);
    }
    return check_result(m, CAP_MODEL_INSERT, got, want);
}

static const char *
op_insert_given(struct cap_model *m, unsigned p, unsigned which, unsigned rights)
{
    unsigned o = which % DUMMIES;
    int want = (rights & ~PICA_RIGHTS_ALL) != 0 ? -EINVAL : model_free_slot(m, p, PICA_SLOT_ANY);
    int got = cap_insert(&m->procs[p], (enum pica_cap_type)m->objs[o].type, m->objs[o].ptr, rights,
                         false);
    if (got >= 0) {
        model_fill(m, p, (unsigned)got, o, rights, 0, 0);
    }
    return check_result(m, CAP_MODEL_INSERT, got, want);
}

static const char *
op_copy(struct cap_model *m, unsigned p, uint32_t src, uint32_t dst, unsigned rights)
{
    int want = model_derivable(m, p, src, rights);
    if (want == 0) {
        want = model_free_slot(m, p, dst);
    }
    int got = cap_copy(&m->procs[p], src, dst, rights);
    if (got >= 0 && got == want) {
        const struct cap_model_slot *s = &m->slots[p][src];
        model_fill(m, p, (unsigned)got, s->obj, rights, s->badge, s->id);
    }
    return check_result(m, CAP_MODEL_COPY, got, want);
}

static const char *
op_mint(struct cap_model *m, unsigned p, uint32_t src, uint32_t dst, unsigned rights,
        uint32_t badge)
{
    int want = model_derivable(m, p, src, rights);
    if (want == 0) {
        const struct cap_model_slot *s = &m->slots[p][src];
        if (badge == 0 || badge > PICA_BADGE_MAX ||
            (s->type != PICA_CAP_EP && s->type != PICA_CAP_NTFN)) {
            want = -EINVAL;
        } else if (s->badge != 0) {
            want = -EPERM;
        }
    }
    if (want == 0) {
        want = model_free_slot(m, p, dst);
    }
    int got = cap_mint(&m->procs[p], src, dst, rights, badge);
    if (got >= 0 && got == want) {
        const struct cap_model_slot *s = &m->slots[p][src];
        model_fill(m, p, (unsigned)got, s->obj, rights, badge, s->id);
    }
    return check_result(m, CAP_MODEL_MINT, got, want);
}

static const char *
op_move(struct cap_model *m, unsigned p, uint32_t src, uint32_t dst)
{
    int want;
    if (src >= SLOTS || dst == PICA_SLOT_ANY || !m->slots[p][src].present) {
        want = -EBADF;
    } else {
        want = src == dst ? (int)dst : model_free_slot(m, p, dst);
    }
    int got = cap_move(&m->procs[p], src, dst);
    if (got >= 0 && got == want && src != dst) {
        m->slots[p][dst] = m->slots[p][src];
        memset(&m->slots[p][src], 0, sizeof m->slots[p][src]);
    }
    return check_result(m, CAP_MODEL_MOVE, got, want);
}

static const char *
op_delete(struct cap_model *m, unsigned p, uint32_t slot)
{
    int want = slot >= SLOTS || !m->slots[p][slot].present ? -EBADF : 0;
    int got = cap_delete(&m->procs[p], slot);
    if (got == 0 && want == 0) {
        model_delete(m, p, slot);
    }
    return check_result(m, CAP_MODEL_DELETE, got, want);
}

static const char *
op_revoke(struct cap_model *m, unsigned p, uint32_t slot)
{
    int want = slot >= SLOTS || !m->slots[p][slot].present ? -EBADF : 0;
    uint32_t n = 0;
    if (want == 0) {
        unsigned q, j;
        uint32_t id = m->slots[p][slot].id;
        while (model_child(m, id, &q, &j) != NULL) {
            model_delete(m, q, j);
            n++;
        }
    }
    uint32_t deleted = 12345;
    int got = cap_revoke(&m->procs[p], slot, &deleted);
    /* How many went: told on success (left alone for a bad slot). */
    if (got == 0 && want == 0 && deleted != n) {
        return fail(m, "revoke deleted %u, model %u", (unsigned)deleted, (unsigned)n);
    }
    m->revoked += n;
    return check_result(m, CAP_MODEL_REVOKE, got, want);
}

static const char *
op_transfer(struct cap_model *m, unsigned p, uint32_t src, unsigned q, uint32_t dst)
{
    int want = 0;
    const struct cap_model_slot *s = src < SLOTS ? &m->slots[p][src] : NULL;
    if (s == NULL || !s->present) {
        want = -EBADF;
    } else if (!(s->rights & PICA_RIGHT_GRANT)) {
        want = -EPERM;
    } else if ((p != q && s->type == PICA_CAP_THREAD) || s->type == PICA_CAP_REPLY) {
        want = -EPERM; /* a thread stays home, a reply is never copied */
    } else {
        want = model_free_slot(m, q, dst);
    }
    unsigned key = arch_irq_lock();
    int got = cap_transfer_locked(&m->procs[p], src, &m->procs[q], dst);
    arch_irq_unlock(key);
    if (got >= 0 && got == want) {
        model_fill(m, q, (unsigned)got, s->obj, s->rights, s->badge, s->id);
    }
    return check_result(m, CAP_MODEL_TRANSFER, got, want);
}

/* A process ends: its slots go, then every slot naming an object it made. */
static const char *
op_end(struct cap_model *m, unsigned p)
{
    cap_release_all(&m->procs[p]);
    for (unsigned j = 0; j < SLOTS; j++) {
        if (m->slots[p][j].present) {
            model_delete(m, p, j);
        }
    }
    for (unsigned q = 0; q < CAP_MODEL_PROCS; q++) {
        for (unsigned j = 0; j < SLOTS; j++) {
            const struct cap_model_slot *s = &m->slots[q][j];
            if (s->present && m->objs[s->obj].owner == p) {
                model_delete(m, q, j);
            }
        }
    }
    if (m->quota_used[p] != 0) {
        return fail(m, "model: quota left after the end");
    }
    m->done[CAP_MODEL_END]++;
    return NULL;
}

/* ---- decoding ----------------------------------------------------------- */

/* What pick_slot() prefers. */
enum pick {
    PICK_FREE,
    PICK_OCCUPIED,
    PICK_GRANT,   /* with the grant right */
    PICK_BADGEABLE, /* an endpoint or notification */
};

static bool
pick_fits(const struct cap_model_slot *s, enum pick want)
{
    switch (want) {
    case PICK_FREE:
        return !s->present;
    case PICK_OCCUPIED:
        return s->present;
    case PICK_GRANT:
        return s->present && (s->rights & PICA_RIGHT_GRANT);
    default:
        return s->present && (s->type == PICA_CAP_EP || s->type == PICA_CAP_NTFN);
    }
}

/* A slot argument: mostly in range, sometimes PICA_SLOT_ANY or out of
 * range; in range, most often one that fits @want. */
static uint32_t
pick_slot(const struct cap_model *m, unsigned q, uint8_t b, enum pick want)
{
    static const uint32_t odd[] = {SLOTS,       SLOTS + 1,      255,        256,
                                   0x80000000u, UINT32_MAX - 1, 0x7FFFFFFF, 2 * SLOTS};
    if (b >= 248) {
        return odd[b - 248];
    }
    if (b >= (want == PICK_FREE ? 224 : 244)) {
        return PICA_SLOT_ANY;
    }
    if (b & 3) {
        unsigned n = 0;
        for (unsigned j = 0; j < SLOTS; j++) {
            n += pick_fits(&m->slots[q][j], want);
        }
        if (n != 0) {
            unsigned i = (b >> 2) % n;
            for (unsigned j = 0; j < SLOTS; j++) {
                if (pick_fits(&m->slots[q][j], want) && i-- == 0) {
                    return j;
                }
            }
        }
    }
    return (b >> 2) % SLOTS;
}

/* Rights: mostly some of @src's (any for an insert: @src SLOTS), sometimes
 * any, now and then a right that does not exist. */
static unsigned
pick_rights(const struct cap_model *m, unsigned p, uint32_t src, uint8_t b)
{
    if ((b & 0xE0) == 0xE0) {
        return b & 0x0Fu;
    }
    if ((b & 0xC0) == 0xC0 || src >= SLOTS) {
        return b & 0x10 ? PICA_RIGHTS_ALL : b & PICA_RIGHTS_ALL;
    }
    return m->slots[p][src].rights & (b | b >> 3); /* each right kept at 3 in 4 */
}

static uint32_t
pick_badge(uint8_t b)
{
    switch (b & 7) {
    case 0:
        return b & 8 ? 0 : 1u + (b >> 4);
    case 1:
        return b & 8 ? PICA_BADGE_MAX : PICA_BADGE_MAX + 1u;
    case 2:
        return b & 8 ? UINT32_MAX : 0x40000000u;
    default:
        return 1u + b;
    }
}

const char *
cap_model_step(struct cap_model *m, const uint8_t *op)
{
    m->steps++;
    unsigned kind = op[0] % 32u;
    unsigned p = op[1] & 1u;
    unsigned q = op[1] & 2u ? 1u - p : p;
    bool is_transfer = kind >= 25 && kind <= 29;
    enum pick src_pick = is_transfer                ? PICK_GRANT
                         : kind >= 12 && kind <= 14 ? PICK_BADGEABLE
                                                    : PICK_OCCUPIED;
    uint32_t src = pick_slot(m, p, op[2], src_pick);
    uint32_t dst = pick_slot(m, is_transfer ? q : p, op[3], PICK_FREE);
    unsigned rights = pick_rights(m, p, kind <= 6 ? SLOTS : src, op[4]);
    uint32_t badge = pick_badge(op[5]);
    const char *why;
    if (kind <= 3) {
        unsigned type = kind == 3 ? PICA_CAP_EP : PICA_CAP_SEM;
        snprintf(m->op, sizeof m->op, "insert owned type %u in %u rights %#x", type, p, rights);
        why = op_insert_owned(m, p, type, rights);
    } else if (kind <= 6) {
        snprintf(m->op, sizeof m->op, "insert given %u in %u rights %#x",
                 (unsigned)(op[5] % DUMMIES), p, rights);
        why = op_insert_given(m, p, op[5], rights);
    } else if (kind <= 11) {
        snprintf(m->op, sizeof m->op, "copy %u.%#x to %#x rights %#x", p, src, dst, rights);
        why = op_copy(m, p, src, dst, rights);
    } else if (kind <= 14) {
        snprintf(m->op, sizeof m->op, "mint %u.%#x to %#x rights %#x badge %#x", p, src, dst,
                 rights, badge);
        why = op_mint(m, p, src, dst, rights, badge);
    } else if (kind <= 17) {
        snprintf(m->op, sizeof m->op, "move %u.%#x to %#x", p, src, dst);
        why = op_move(m, p, src, dst);
    } else if (kind <= 21 || kind >= 30) {
        if (kind == 21 && op[1] >= 0xF0) {
            snprintf(m->op, sizeof m->op, "end process %u", p);
            why = op_end(m, p);
        } else {
            snprintf(m->op, sizeof m->op, "delete %u.%#x", p, src);
            why = op_delete(m, p, src);
        }
    } else if (kind <= 24) {
        snprintf(m->op, sizeof m->op, "revoke %u.%#x", p, src);
        why = op_revoke(m, p, src);
    } else {
        snprintf(m->op, sizeof m->op, "transfer %u.%#x to %u.%#x", p, src, q, dst);
        why = op_transfer(m, p, src, q, dst);
    }
    return why != NULL ? why : check_all(m);
}

const char *
cap_model_finish(struct cap_model *m)
{
    for (unsigned p = 0; p < CAP_MODEL_PROCS; p++) {
        snprintf(m->op, sizeof m->op, "finish: end process %u", p);
        const char *why = op_end(m, p);
        if (why == NULL) {
            why = check_all(m);
        }
        if (why != NULL) {
            return why;
        }
    }
    if (fake_heap_live() != 0) {
        return fail(m, "%u heap blocks left", fake_heap_live());
    }
    return NULL;
}
