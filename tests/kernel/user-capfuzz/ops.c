/* SPDX-License-Identifier: MIT */
/* One random operation per step (fuzz.h): which, by which worker, and its
 * arguments come from the kernel's PRNG. Arguments are drawn from the
 * model, mostly ones that can succeed (an occupied source, a free
 * destination, rights the source has), and the rest on purpose ones that
 * cannot: an empty or out-of-range slot, PICA_SLOT_ANY where it is not
 * allowed, wider or unknown rights, a taken destination, a badge over a
 * badge or out of range, a capability passed without GRANT, a slot the
 * kernel fills while the receiver waits. The model says what each must
 * return; main.c compares the tables after the step. */
#include <errno.h>
#include <stdio.h>

#include <pica/irq.h>
#include <pica/thread.h>

#include "capfuzz.h"
#include "fuzz.h"

#define SLOTS MODEL_SLOTS

enum fit { FIT_FREE, FIT_ANY, FIT_GRANT, FIT_PARENT, FIT_BADGEABLE, FIT_EP };

static bool
fits(const struct fuzz *f, unsigned q, unsigned j, enum fit want)
{
    const struct model_node *n = model_at(&f->model, q, j);
    unsigned type = n != NULL ? f->model.objs[n->obj].type : PICA_CAP_NONE;
    switch (want) {
    case FIT_FREE:
        return n == NULL;
    case FIT_ANY:
        return n != NULL;
    case FIT_GRANT:
        return n != NULL && (n->rights & PICA_RIGHT_GRANT);
    case FIT_PARENT:
        return n != NULL && n->first != MODEL_NONE;
    case FIT_BADGEABLE:
        return type == PICA_CAP_EP || type == PICA_CAP_NTFN;
    default: /* an endpoint other than the command ones */
        return type == PICA_CAP_EP && n->obj != f->cmd_obj[0] && n->obj != f->cmd_obj[1];
    }
}

/* A slot argument: mostly one of [@min, SLOTS) that fits @want, now and
 * then any of them, PICA_SLOT_ANY or out of range. */
static uint32_t
pick_slot(struct fuzz *f, unsigned q, enum fit want, unsigned min)
{
    static const uint32_t odd[] = {SLOTS, SLOTS + 1, 255, 256, 0x80000000u, 0x7FFFFFFFu};
    uint32_t b = fuzz_rand(f) >> 24;
    if (b >= 250) {
        return odd[b - 250];
    }
    if (b >= (want == FIT_FREE ? 226u : 242u)) {
        return PICA_SLOT_ANY;
    }
    unsigned n = 0;
    for (unsigned j = min; j < SLOTS; j++) {
        n += fits(f, q, j, want);
    }
    if ((b & 3) != 0 && n != 0) {
        unsigned i = (b >> 2) % n;
        for (unsigned j = min; j < SLOTS; j++) {
            if (fits(f, q, j, want) && i-- == 0) {
                return j;
            }
        }
    }
    return min + (b >> 2) % (SLOTS - min);
}

/* A slot of a message's capability fields (CF_NO_CAP is "none"). */
static uint8_t
pick_msg_slot(struct fuzz *f, unsigned q, enum fit want)
{
    uint32_t s = pick_slot(f, q, want, 0);
    return s < SLOTS ? (uint8_t)s : (s & 1) ? 0xFEu : (uint8_t)SLOTS;
}

/* Rights: mostly some of @src's, sometimes any, now and then a bit that is
 * no right. */
static unsigned
pick_rights(struct fuzz *f, unsigned q, uint32_t src)
{
    uint32_t b = fuzz_rand(f) >> 24;
    const struct model_node *s = model_at(&f->model, q, src);
    if ((b & 0xE0) == 0xE0) {
        return b & 0x0Fu;
    }
    if ((b & 0xC0) == 0xC0 || s == NULL) {
        return (b & 0x10) ? PICA_RIGHTS_ALL : b & PICA_RIGHTS_ALL;
    }
    return s->rights & (b | b >> 3); /* each right kept at 3 in 4 */
}

static uint32_t
pick_badge(struct fuzz *f)
{
    uint32_t b = fuzz_rand(f) >> 24;
    switch (b & 7) {
    case 0:
        return (b & 8) ? 0 : 1u + (b >> 4);
    case 1:
        return (b & 8) ? PICA_BADGE_MAX : PICA_BADGE_MAX + 1u;
    case 2:
        return (b & 8) ? UINT32_MAX : 0x40000000u;
    default:
        return 1u + b;
    }
}

static char
name(unsigned q)
{
    return (char)('A' + q);
}

static void
op_create(struct fuzz *f, unsigned x, enum fuzz_op op)
{
    static const uint8_t cf[] = {[FUZZ_SEM] = CF_SEM, [FUZZ_EP] = CF_EP, [FUZZ_NTFN] = CF_NTFN};
    static const uint8_t types[] = {
        [FUZZ_SEM] = PICA_CAP_SEM, [FUZZ_EP] = PICA_CAP_EP, [FUZZ_NTFN] = PICA_CAP_NTFN};
    const size_t sizes[] = {[FUZZ_SEM] = sizeof(struct pica_sem),
                            [FUZZ_EP] = sizeof(struct pica_ep),
                            [FUZZ_NTFN] = sizeof(struct pica_ntfn)};
    snprintf(f->op, sizeof f->op, "%c: create type %u", name(x), types[op]);
    int want = model_create(&f->model, x, types[op], cap_obj_charge(sizes[op]));
    const uint32_t w[4] = {CF_W0(cf[op], 0), 0, 0, 0};
    uint32_t out[4];
    fuzz_run(f, x, w, out);
    fuzz_expect(f, op, (int)out[0], want);
    if (want >= 0 && model_created(&f->model, x, (unsigned)want,
                                   f->model.procs[x]->caps[want].obj) != 0) {
        fuzz_mismatch(f, "the new object has the address of another live one");
    }
}

static void
op_copy(struct fuzz *f, unsigned x, bool mint)
{
    uint32_t src = pick_slot(f, x, mint ? FIT_BADGEABLE : FIT_ANY, 0);
    uint32_t dst = pick_slot(f, x, FIT_FREE, 0);
    unsigned rights = pick_rights(f, x, src);
    uint32_t badge = mint ? pick_badge(f) : 0;
    snprintf(f->op, sizeof f->op, "%c: %s %#lx to %#lx rights %#x badge %#lx", name(x),
             mint ? "mint" : "copy", (unsigned long)src, (unsigned long)dst, rights,
             (unsigned long)badge);
    int want = mint ? model_mint(&f->model, x, src, dst, rights, badge)
                    : model_copy(&f->model, x, src, dst, rights);
    const uint32_t w[4] = {CF_W0(mint ? CF_MINT : CF_COPY, rights), src, dst, badge};
    uint32_t out[4];
    fuzz_run(f, x, w, out);
    fuzz_expect(f, mint ? FUZZ_MINT : FUZZ_COPY, (int)out[0], want);
}

static void
op_move(struct fuzz *f, unsigned x)
{
    uint32_t src = pick_slot(f, x, FIT_ANY, CF_FIXED);
    uint32_t dst = (fuzz_rand(f) & 15) == 0 ? src : pick_slot(f, x, FIT_FREE, 0);
    snprintf(f->op, sizeof f->op, "%c: move %#lx to %#lx", name(x), (unsigned long)src,
             (unsigned long)dst);
    int want = model_move(&f->model, x, src, dst);
    const uint32_t w[4] = {CF_W0(CF_MOVE, 0), src, dst, 0};
    uint32_t out[4];
    fuzz_run(f, x, w, out);
    fuzz_expect(f, FUZZ_MOVE, (int)out[0], want);
}

static void
op_delete(struct fuzz *f, unsigned x, bool revoke)
{
    uint32_t slot = revoke ? pick_slot(f, x, FIT_PARENT, 0) : pick_slot(f, x, FIT_ANY, CF_FIXED);
    snprintf(f->op, sizeof f->op, "%c: %s %#lx", name(x), revoke ? "revoke" : "delete",
             (unsigned long)slot);
    int want = revoke ? model_revoke(&f->model, x, slot) : model_delete(&f->model, x, slot);
    const uint32_t w[4] = {CF_W0(revoke ? CF_REVOKE : CF_DELETE, 0), slot, 0, 0};
    uint32_t out[4];
    fuzz_run(f, x, w, out);
    fuzz_expect(f, revoke ? FUZZ_REVOKE : FUZZ_DELETE, (int)out[0], want);
    if (revoke && want > 0) {
        f->revoked += (unsigned)want;
    }
}

static void
op_query(struct fuzz *f, unsigned x)
{
    uint32_t slot = pick_slot(f, x, FIT_ANY, 0);
    snprintf(f->op, sizeof f->op, "%c: info and badge of %#lx", name(x), (unsigned long)slot);
    const uint32_t w[4] = {CF_W0(CF_QUERY, 0), slot, 0, 0};
    uint32_t out[4];
    fuzz_run(f, x, w, out);
    fuzz_expect(f, FUZZ_QUERY, (int)out[0], model_info(&f->model, x, slot));
    fuzz_same(f, "badge", out[1], (uint32_t)model_badge(&f->model, x, slot));
}

static void
op_give(struct fuzz *f, unsigned x)
{
    const struct {
        void *obj;
        uint8_t type;
        unsigned model;
    } given[] = {{&f->sem, PICA_CAP_SEM, f->sem_obj},
                 {&f->ntfn, PICA_CAP_NTFN, f->ntfn_obj},
                 {&f->spare_ep, PICA_CAP_EP, f->spare_ep_obj},
                 {&f->peer, PICA_CAP_EP, f->peer_obj}};
    uint32_t r = fuzz_rand(f) >> 24;
    unsigned which = r % 4, rights = (r >> 2) & PICA_RIGHTS_ALL;
    snprintf(f->op, sizeof f->op, "kernel gives %c object %u rights %#x", name(x), which, rights);
    int want = model_give(&f->model, x, given[which].model, rights);
    int got = pica_proc_give(f->model.procs[x], given[which].type, given[which].obj, rights);
    fuzz_expect(f, FUZZ_GIVE, got, want);
}

/* Once told to receive, worker @y waits on the shared endpoint. */
static void
await_receiver(struct fuzz *f, unsigned y)
{
    for (unsigned i = 0; i < 200; i++) {
        unsigned key = pica_irq_lock();
        bool waiting = !pica_list_empty(&f->peer.receivers.head);
        bool reported = !pica_list_empty(&f->cmd[y].senders.head);
        pica_irq_unlock(key);
        if (waiting) {
            return;
        }
        if (reported) {
            uint32_t out[4];
            fuzz_report(f, y, out);
            fuzz_mismatch(f, "the receive returned %d, model: it waits", (int)out[0]);
        }
        if (i < 4) {
            pica_yield();
        } else {
            (void)pica_sleep(PICA_MS(1));
        }
    }
    fuzz_mismatch(f, "the receiver never waits");
}

/* What the receiver reports: the message and its capabilities, or the
 * kernel's message ending its wait after the send failed. */
static void
pass_received(struct fuzz *f, unsigned y, int sent, unsigned ncaps, const uint8_t list[2],
              uint32_t badge)
{
    if (sent != 0) {
        struct pica_msg cancel = {.w = {CF_CANCEL}};
        int err = pica_ep_send(&f->peer, &cancel, PICA_NO_WAIT);
        if (err != 0) {
            fuzz_mismatch(f, "the receiver no longer waits after the refused send (%d)", err);
        }
    }
    uint32_t out[4];
    fuzz_report(f, y, out);
    uint32_t want[4] = {0, CF_GOT(CF_NO_CAP, CF_NO_CAP, PICA_MSG_KERNEL), CF_CANCEL, 0};
    if (sent == 0) {
        want[1] = CF_GOT(ncaps > 0 ? list[0] : CF_NO_CAP, ncaps > 1 ? list[1] : CF_NO_CAP, 0);
        want[2] = f->step;
        want[3] = badge;
    }
    static const char *const what[4] = {"receive", "received slots and info", "message",
                                        "badge"};
    for (unsigned i = 0; i < 4; i++) {
        fuzz_same(f, what[i], out[i], want[i]);
    }
}

/* The slot @x sends through: mostly the shared endpoint, now and then
 * another endpoint slot (a copy, a badged one, one nobody receives on),
 * never a command endpoint (the kernel receives there). */
static uint32_t
pick_via(struct fuzz *f, unsigned x)
{
    if ((fuzz_rand(f) & 7) != 0) {
        return CF_PEER;
    }
    uint32_t via = pick_slot(f, x, FIT_EP, 0);
    const struct model_node *v = model_at(&f->model, x, via);
    if (v != NULL && (v->obj == f->cmd_obj[0] || v->obj == f->cmd_obj[1])) {
        return CF_PEER;
    }
    return via;
}

/* A pass: what @x sends, through which slot, and where the other receives. */
struct pass {
    uint8_t caps[2], recv[2]; /* CF_NO_CAP: none */
    unsigned ncaps;
    uint32_t via;
    bool late; /* the kernel fills recv[0] while the receiver waits */
};

static void
pick_pass(struct fuzz *f, unsigned x, struct pass *ps)
{
    const unsigned y = 1u - x;
    uint32_t r = fuzz_rand(f);
    *ps = (struct pass){.caps = {CF_NO_CAP, CF_NO_CAP}, .recv = {CF_NO_CAP, CF_NO_CAP}};
    ps->ncaps = (r & 7) == 0 ? 0 : (r & 7) < 6 ? 1 : 2;
    unsigned nrecv = (r >> 3 & 7) == 0   ? (ps->ncaps > 0 ? ps->ncaps - 1 : 0)
                     : (r >> 3 & 7) == 1 ? 2
                                         : ps->ncaps;
    for (unsigned i = 0; i < ps->ncaps; i++) {
        ps->caps[i] = pick_msg_slot(f, x, FIT_GRANT);
    }
    for (unsigned i = 0; i < nrecv; i++) {
        ps->recv[i] = pick_msg_slot(f, y, FIT_FREE);
    }
    int lowest = model_free_slot(&f->model, y, PICA_SLOT_ANY);
    ps->late = nrecv > 0 && (r >> 6 & 15) == 0 && lowest >= 0;
    if (ps->late) {
        ps->recv[0] = (uint8_t)lowest; /* where the kernel's give will land */
    }
    if (nrecv == 2 && (r >> 10 & 15) == 0) {
        ps->recv[1] = ps->recv[0];
    }
    ps->via = pick_via(f, x);
    snprintf(f->op, sizeof f->op, "%c sends {%#x, %#x} through %#lx, %c receives into {%#x, %#x}%s",
             name(x), ps->caps[0], ps->caps[1], (unsigned long)ps->via, name(y), ps->recv[0],
             ps->recv[1], ps->late ? ", the kernel fills the first meanwhile" : "");
}

/* The receiver is told first and waits (or is refused at once); then the
 * sender sends without waiting. */
static void
op_pass(struct fuzz *f, unsigned x)
{
    const unsigned y = 1u - x;
    struct pass ps;
    pick_pass(f, x, &ps);
    uint32_t out[4];
    uint8_t list[2];
    unsigned nrecv;
    int want = model_recv_begin(&f->model, y, ps.recv, list, &nrecv);
    fuzz_cmd(f, y, (const uint32_t[4]){CF_W0(CF_RECV, 0), CF_BYTES(ps.recv[0], ps.recv[1]), 0, 0});
    if (want != 0) {
        fuzz_report(f, y, out);
        fuzz_expect(f, FUZZ_PASS, (int)out[0], want);
        return;
    }
    await_receiver(f, y);
    if (ps.late) {
        int want_slot = model_give(&f->model, y, f->sem_obj, PICA_RIGHT_READ);
        int slot = pica_proc_give(f->model.procs[y], PICA_CAP_SEM, &f->sem, PICA_RIGHT_READ);
        fuzz_expect(f, FUZZ_GIVE, slot, want_slot);
    }
    uint32_t badge = 0;
    want = model_send(&f->model, x, ps.via, ps.caps, y, list, nrecv, f->peer_obj, &badge);
    const uint32_t w[4] = {CF_W0(CF_SEND, 0), ps.via, CF_BYTES(ps.caps[0], ps.caps[1]), f->step};
    fuzz_run(f, x, w, out);
    fuzz_expect(f, FUZZ_PASS, (int)out[0], want);
    f->late += ps.late && want == -EEXIST;
    pass_received(f, y, want, ps.ncaps, list, badge);
}

static void
op_end(struct fuzz *f, unsigned x)
{
    snprintf(f->op, sizeof f->op, "%c exits", name(x));
    fuzz_stop(f, x);
    fuzz_check(f);
    snprintf(f->op, sizeof f->op, "%c starts again", name(x));
    fuzz_start(f, x);
    f->ok[FUZZ_END]++;
}

/* Out of 64 (FUZZ_END apart: 1 step in 256). */
static const uint8_t mix[FUZZ_OPS] = {
    [FUZZ_SEM] = 3,    [FUZZ_EP] = 3,     [FUZZ_NTFN] = 2,  [FUZZ_COPY] = 10,
    [FUZZ_MINT] = 6,   [FUZZ_MOVE] = 5,   [FUZZ_DELETE] = 10, [FUZZ_REVOKE] = 5,
    [FUZZ_QUERY] = 3,  [FUZZ_PASS] = 15,  [FUZZ_GIVE] = 2,
};

void
fuzz_step(struct fuzz *f)
{
    uint32_t r = fuzz_rand(f);
    unsigned x = r & 1u;
    if ((r >> 24) == 0) {
        op_end(f, x);
        return;
    }
    unsigned pick = r >> 1 & 63u, op = 0;
    while (pick >= mix[op]) {
        pick -= mix[op++];
    }
    switch (op) {
    case FUZZ_SEM:
    case FUZZ_EP:
    case FUZZ_NTFN:
        op_create(f, x, (enum fuzz_op)op);
        break;
    case FUZZ_COPY:
    case FUZZ_MINT:
        op_copy(f, x, op == FUZZ_MINT);
        break;
    case FUZZ_MOVE:
        op_move(f, x);
        break;
    case FUZZ_DELETE:
    case FUZZ_REVOKE:
        op_delete(f, x, op == FUZZ_REVOKE);
        break;
    case FUZZ_QUERY:
        op_query(f, x);
        break;
    case FUZZ_PASS:
        op_pass(f, x);
        break;
    default:
        op_give(f, x);
        break;
    }
}
