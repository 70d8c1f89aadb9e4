/* SPDX-License-Identifier: MIT */
/* The IPC system calls (kernel/proc/syscalls.def): endpoints, replies and
 * notifications by slot. A call's struct pica_user_ipc is copied in as it
 * begins and out as it ends, both in the caller's own memory; the message's
 * bytes go straight from the sender's memory to the receiver's, checked
 * against both processes' regions (kernel/ipc.c). */
#include <errno.h>
#include <string.h>

#include <pica/ipc.h>
#include <pica/proc.h>
#include <pica/user/abi.h>

#include "cap.h"
#include "ipc_priv.h"
#include "proc_priv.h"
#include "region.h"
#include "sched.h"
#include "syscall.h"
#include "syscall_handlers.h"
#include "uaccess.h"

/* One call's side: the kernel's view of the user's block. Small: it sits on
 * the privileged stack under everything a message goes through. */
struct user_call {
    struct pica_msg m;
    struct ipc_party party;
    uint32_t addr;       /* the block, 0 if none */
    uint32_t timeout_us;
    int16_t reply_result;
};

/* Read the block at @addr (0: none, for a send or call of words alone,
 * whose answer is then only its result) and set up @c for @kind with the
 * words @w. Field by field, no memset: this is every message's path, and
 * the C library's memset goes a byte at a time. Returns: 0, -EFAULT,
 * -EINVAL, -EMSGSIZE, -EEXIST (a receiving slot taken). */
static int
user_call_begin(struct user_call *c, uint32_t addr, uint8_t kind, const uint32_t w[4])
{
    struct pica_proc *p = syscall_proc();
    struct ipc_party *party = &c->party;
    party->ncaps = 0;
    party->nrecv = 0;
    party->defer = 0;
    party->got[0] = PICA_USER_IPC_NO_CAP;
    party->got[1] = PICA_USER_IPC_NO_CAP;
    c->addr = addr;
    c->reply_result = 0;
    bool sends = kind != IPC_RECV;
    bool receives = kind != IPC_SEND;
    /* Each field is read from the caller's memory once, then only the
     * kernel's copy is used: a sibling thread may change the block. */
    const volatile struct pica_user_ipc *u = (const volatile struct pica_user_ipc *)(uintptr_t)addr;
    uint32_t buf = 0, len = 0, room = 0;
    c->timeout_us = PICA_SYSCALL_FOREVER;
    if (addr != 0) {
        if ((addr & 3u) != 0 || !proc_access_ok(p, addr, sizeof *u, REGION_R | REGION_W)) {
            return -EFAULT;
        }
        c->timeout_us = u->timeout_us;
        buf = u->buf;
        len = sends ? u->len : 0;
        room = receives ? u->room : 0;
    } else if (kind == IPC_RECV) {
        return -EFAULT; /* a receipt needs somewhere to land */
    }
    c->m.buf = (void *)(uintptr_t)buf;
    c->m.len = len;
    c->m.room = room;
    c->m.badge = 0;
    c->m.info = 0;
    if (len > PICA_CFG_IPC_BUF_MAX) {
        return -EMSGSIZE;
    }
    if (room > PICA_CFG_IPC_BUF_MAX) {
        c->m.room = room = PICA_CFG_IPC_BUF_MAX; /* no message is longer */
    }
    if ((len != 0 && !proc_access_ok(p, buf, len, REGION_R)) ||
        (room != 0 && !proc_access_ok(p, buf, room, REGION_R | REGION_W))) {
        return -EFAULT;
    }
    if (w != NULL) {
        c->m.w[0] = w[0];
        c->m.w[1] = w[1];
        c->m.w[2] = w[2];
        c->m.w[3] = w[3];
    }
    party->m = &c->m;
    party->proc = p;
    party->kind = kind;
    party->badge = cap_call_badge();
    party->reply = proc_thread_reply(sched.current);
    if (addr == 0) {
        return 0; /* no capabilities either way */
    }
    for (unsigned i = 0; i < PICA_MSG_CAPS; i++) {
        uint8_t sc = u->send_caps[i];
        if (sends && sc != PICA_USER_IPC_NO_CAP) {
            party->caps[party->ncaps++] = sc;
        }
        uint8_t r = u->recv_caps[i];
        if (receives && r != PICA_USER_IPC_NO_CAP) {
            if (r >= PICA_CFG_CAP_SLOTS || (party->nrecv == 1 && party->recv[0] == r)) {
                return -EINVAL;
            }
            if (cap_info(p, r) != -EBADF) {
                return -EEXIST; /* a capability may only land in a free slot */
            }
            party->recv[party->nrecv++] = r;
        }
    }
    return 0;
}

/* Write the outcome back to the caller's block: the fields a call sets,
 * no more (checked as the call began; the caller's own memory stays its
 * own). */
static int32_t
user_call_end(struct user_call *c, int32_t result, bool received)
{
    if (c->addr == 0) {
        return result;
    }
    struct pica_user_ipc *u = (struct pica_user_ipc *)(uintptr_t)c->addr;
    if (received && result == 0) {
        u->badge = c->m.badge;
        u->w[0] = c->m.w[0];
        u->w[1] = c->m.w[1];
        u->w[2] = c->m.w[2];
        u->w[3] = c->m.w[3];
        u->len = c->m.len;
        u->info = c->m.info;
    }
    u->got_caps[0] = c->party.got[0];
    u->got_caps[1] = c->party.got[1];
    u->reply_result = c->reply_result;
    return result;
}

static int32_t
object_new(enum pica_cap_type type, size_t size, int (*init)(void *))
{
    struct pica_proc *p = syscall_proc();
    void *obj = cap_obj_alloc(p, type, size);
    if (obj == NULL) {
        return -ENOMEM;
    }
    (void)init(obj);
    /* A reply is answered, never passed on: no grant right. */
    return cap_insert_new(p, type, obj, type == PICA_CAP_REPLY ? PICA_RIGHT_WRITE : PICA_RIGHTS_ALL);
}

static int
ep_init_any(void *obj)
{
    return pica_ep_init(obj);
}

static int
ntfn_init_any(void *obj)
{
    return pica_ntfn_init(obj);
}

static int
reply_init_any(void *obj)
{
    pica_reply_init(obj);
    return 0;
}

int32_t
sys_ep_create(void)
{
    return object_new(PICA_CAP_EP, sizeof(struct pica_ep), ep_init_any);
}

int32_t
sys_ep_send(struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint32_t ipc)
{
    const uint32_t w[4] = {w0, w1, w2, w3};
    struct user_call c;
    int32_t err = user_call_begin(&c, ipc, IPC_SEND, w);
    if (err == 0) {
        err = ipc_send(ep, &c.party, syscall_timeout(c.timeout_us));
    }
    return user_call_end(&c, err, false);
}

int32_t
sys_ep_call(struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint32_t ipc)
{
    const uint32_t w[4] = {w0, w1, w2, w3};
    struct user_call c;
    int32_t err = user_call_begin(&c, ipc, IPC_CALL, w);
    if (err == 0) {
        err = ipc_send(ep, &c.party, syscall_timeout(c.timeout_us));
    }
    return user_call_end(&c, err, true);
}

int32_t
sys_ep_recv(struct pica_ep *ep, uint32_t ipc)
{
    struct user_call c;
    int32_t err = user_call_begin(&c, ipc, IPC_RECV, NULL);
    if (err == 0) {
        err = ipc_recv(ep, &c.party, syscall_timeout(c.timeout_us));
    }
    return user_call_end(&c, err, true);
}

/* Answer with @c's message through the thread's own reply or the REPLY
 * slot @slot. */
static int32_t
reply_with(uint32_t slot, struct user_call *c)
{
    if (slot == PICA_SLOT_ANY) {
        return ipc_reply(proc_thread_reply(sched.current), &c->party);
    }
    struct pica_proc *p = syscall_proc();
    struct cap_hold h = CAP_HOLD_NONE;
    int32_t err = cap_get(p, slot, PICA_CAP_REPLY, PICA_RIGHT_WRITE, &h);
    if (err == 0) {
        err = ipc_reply(h.obj, &c->party);
        (void)cap_delete(p, slot); /* one answer only */
    }
    return cap_put(&h, err);
}

int32_t
sys_ep_reply(uint32_t reply, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint32_t ipc)
{
    const uint32_t w[4] = {w0, w1, w2, w3};
    struct user_call c;
    int32_t err = user_call_begin(&c, ipc, IPC_SEND, w);
    if (err == 0) {
        err = reply_with(reply, &c);
    }
    return user_call_end(&c, err, false);
}

int32_t
sys_ep_reply_recv(struct pica_ep *ep, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3,
                  uint32_t ipc)
{
    const uint32_t w[4] = {w0, w1, w2, w3};
    struct user_call c;
    int32_t err = user_call_begin(&c, ipc, IPC_SEND, w);
    if (err != 0) {
        return user_call_end(&c, err, false);
    }
    /* No caller (the first round, or it left) is not the receive's error. */
    int32_t replied = ipc_reply(proc_thread_reply(sched.current), &c.party);
    uint32_t addr = c.addr;
    err = user_call_begin(&c, addr, IPC_RECV, NULL);
    c.reply_result = (int16_t)replied;
    if (err == 0) {
        err = ipc_recv(ep, &c.party, syscall_timeout(c.timeout_us));
    }
    return user_call_end(&c, err, true);
}

int32_t
sys_ep_bind(struct pica_ep *ep, struct pica_ntfn *ntfn)
{
    return pica_ep_bind(ep, ntfn);
}

int32_t
sys_reply_save(void)
{
    struct pica_proc *p = syscall_proc();
    int32_t slot = object_new(PICA_CAP_REPLY, sizeof(struct pica_reply), reply_init_any);
    if (slot < 0) {
        return slot;
    }
    void *obj = NULL;
    (void)cap_lookup(p, (uint32_t)slot, PICA_CAP_REPLY, 0, &obj);
    if (ipc_reply_move(proc_thread_reply(sched.current), obj) != 0) {
        (void)cap_delete(p, (uint32_t)slot);
        return -ESRCH;
    }
    return slot;
}

int32_t
sys_ntfn_create(void)
{
    return object_new(PICA_CAP_NTFN, sizeof(struct pica_ntfn), ntfn_init_any);
}

int32_t
sys_ntfn_signal(struct pica_ntfn *ntfn)
{
    uint32_t badge = cap_call_badge();
    return pica_ntfn_signal(ntfn, badge != 0 ? badge : 1u);
}

int32_t
sys_ntfn_wait(struct pica_ntfn *ntfn, uint32_t timeout_us)
{
    return pica_ntfn_wait(ntfn, syscall_timeout(timeout_us));
}

int32_t
sys_ntfn_poll(struct pica_ntfn *ntfn)
{
    return pica_ntfn_poll(ntfn);
}

int32_t
sys_irq_bind(struct pica_ntfn *ntfn, struct pica_irq_cap *irq)
{
    uint32_t badge = cap_call_badge(); /* the notification slot's */
    return pica_irq_cap_bind(irq, ntfn, badge != 0 ? badge : 1u);
}

int32_t
sys_irq_ack(struct pica_irq_cap *irq)
{
    return pica_irq_cap_ack(irq);
}

void
ipc_cap_destroy(void *obj, unsigned type)
{
    switch (type) {
    case PICA_CAP_EP:
        (void)pica_ep_destroy(obj);
        break;
    case PICA_CAP_NTFN:
        (void)pica_ntfn_destroy(obj);
        break;
    case PICA_CAP_REPLY:
        pica_ep_reply_drop(obj);
        break;
    default:
        break;
    }
}
