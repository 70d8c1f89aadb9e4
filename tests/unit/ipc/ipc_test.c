/* SPDX-License-Identifier: MIT */
/* Parties and helpers of the IPC host tests (ipc_test.h). */
#include "ipc_test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct pica_ep test_ep;

void
test_boot(void)
{
    core_boot();
    assert_int_equal(pica_ep_init(&test_ep), 0);
}

const char *
ipc_err(int result)
{
    static char buf[16];
    switch (result) {
    case -EMSGSIZE: return "EMSGSIZE";
    case -EPIPE: return "EPIPE";
    case -EIDRM: return "EIDRM";
    case -EBUSY: return "EBUSY";
    case -ESRCH: return "ESRCH";
    case -ENOSPC: return "ENOSPC";
    default:
        if (result > 0) {
            snprintf(buf, sizeof(buf), "%#x", (unsigned)result);
            return buf;
        }
        return core_err(result);
    }
}

void
msg_set(struct pica_msg *m, uint32_t w0, char *buf, const char *text, uint32_t room)
{
    memset(m, 0, sizeof(*m));
    for (unsigned i = 0; i < PICA_MSG_WORDS; i++) {
        m->w[i] = w0 + i;
    }
    m->buf = buf;
    m->room = room;
    if (text != NULL) {
        m->len = (uint32_t)strlen(text);
        memcpy(buf, text, m->len);
    }
    /* What a receipt must overwrite. */
    m->badge = 0xbad;
    m->info = 0x80;
}

void
trace_msg(const char *who, const char *what, int err, const struct pica_msg *m)
{
    core_trace("%s:%s=%s", who, what, ipc_err(err));
    if (err != 0) {
        return;
    }
    for (unsigned i = 1; i < PICA_MSG_WORDS && (m->info & PICA_MSG_NOTIFY) == 0; i++) {
        assert_int_equal(m->w[i], m->w[0] + i);
    }
    assert_true(m->len <= 32);
    char info[4], *p = info;
    if (m->info & PICA_MSG_KERNEL) {
        *p++ = 'K';
    }
    if (m->info & PICA_MSG_CALL) {
        *p++ = 'C';
    }
    if (m->info & PICA_MSG_NOTIFY) {
        *p++ = 'N';
    }
    *p = '\0';
    assert_int_equal(m->info & ~(uint32_t)(PICA_MSG_KERNEL | PICA_MSG_CALL | PICA_MSG_NOTIFY), 0);
    core_trace("%s:w%u:%.*s:%s:b%u", who, (unsigned)m->w[0], m->len != 0 ? (int)m->len : 1,
               m->len != 0 ? (const char *)m->buf : "-", info, (unsigned)m->badge);
}

static void
party_entry(void *arg)
{
    struct party *p = arg;
    struct pica_ep *ep = p->ep != NULL ? p->ep : &test_ep;
    sleep_to(p->at);
    memset(p->buf, '.', sizeof(p->buf));
    msg_set(&p->m, p->w0, p->buf, p->text, p->room);
    static const char *const ops[] = {"send", "recv", "call"};
    switch (p->op) {
    case OP_SEND: p->err = pica_ep_send(ep, &p->m, p->timeout); break;
    case OP_RECV: p->err = pica_ep_recv(ep, &p->m, &p->reply, p->timeout); break;
    case OP_CALL: p->err = pica_ep_call(ep, &p->m, p->timeout); break;
    }
    p->done = fake_now();
    if (p->op == OP_SEND) {
        core_trace("%s:send=%s", p->name, ipc_err(p->err));
        return;
    }
    trace_msg(p->name, ops[p->op], p->err, &p->m);
    if (p->err == 0 && p->m.len < p->room) {
        assert_int_equal(p->buf[p->m.len], '.'); /* nothing written beyond len */
    }
}

struct pica_thread *
party_spawn(struct party *p, unsigned prio)
{
    assert_true(p->room <= sizeof(p->buf));
    pica_reply_init(&p->reply);
    return core_spawn(p->name, party_entry, p, prio);
}

void
sleep_to(pica_tick_t tick)
{
    if (core_tick() < tick) {
        pica_tick_t next = tick - 1;
        assert_int_equal(pica_sleep_until(&next, 1), 0);
    }
}

void
work_until(pica_tick_t tick)
{
    while (core_tick() < tick) {
        fake_advance(CORE_CPT);
    }
}
