/* SPDX-License-Identifier: MIT */
/* The name service: the root process keeps a table of names and the
 * capabilities registered under them, in slots of its own, and answers
 * lookups with a copy (docs/capabilities.md, "Boot"). Requests are calls on
 * the endpoint every process holds (sys_ns_slot()); the name travels in
 * the message's bytes, the capability in its capability slots, and the
 * answer's w[0] is the result. The registrant is known by the badge the
 * kernel gave its endpoint (its pid + 1). */
#include <errno.h>
#include <string.h>

#include <pica/user/pica_user.h>

enum { NS_REGISTER = 1, NS_LOOKUP, NS_UNREGISTER };

struct ns_entry {
    char name[PICA_NS_NAME_MAX + 1];
    int slot;        /* the root's slot holding it; -1: free */
    uint32_t owner;  /* the registrant's badge */
};

static int
ns_name_ok(const char *name, size_t *len)
{
    if (name == NULL) {
        return -EINVAL;
    }
    *len = strnlen(name, PICA_NS_NAME_MAX + 1u);
    return *len == 0 || *len > PICA_NS_NAME_MAX ? -EINVAL : 0;
}

/* One request to the root: @op for @name, passing @give or receiving into
 * @take (or neither, PICA_USER_IPC_NO_CAP). Returns the root's answer. */
static int
ns_call(uint32_t op, const char *name, uint8_t give, uint8_t take)
{
    size_t len;
    int err = ns_name_ok(name, &len);
    if (err != 0) {
        return err;
    }
    int ep = sys_ns_slot();
    if (ep < 0) {
        return -ENOENT;
    }
    char buf[PICA_NS_NAME_MAX + 1];
    memcpy(buf, name, len);
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    m.buf = (uint32_t)(uintptr_t)buf;
    m.len = (uint32_t)len;
    m.send_caps[0] = give;
    m.recv_caps[0] = take;
    const uint32_t w[4] = {op, 0, 0, 0};
    err = sys_ep_call(ep, w, &m);
    return err != 0 ? err : (int)m.w[0];
}

int
sys_ns_register(const char *name, int slot)
{
    if (slot < 0 || slot >= (int)PICA_USER_IPC_NO_CAP) {
        return -EBADF;
    }
    return ns_call(NS_REGISTER, name, (uint8_t)slot, PICA_USER_IPC_NO_CAP);
}

int
sys_ns_lookup(const char *name, int dst)
{
    if (dst < 0 || dst >= (int)PICA_USER_IPC_NO_CAP) {
        return -EINVAL;
    }
    int err = ns_call(NS_LOOKUP, name, PICA_USER_IPC_NO_CAP, (uint8_t)dst);
    return err == 0 ? dst : err;
}

int
sys_ns_unregister(const char *name)
{
    return ns_call(NS_UNREGISTER, name, PICA_USER_IPC_NO_CAP, PICA_USER_IPC_NO_CAP);
}

/* ---- the root's side ---- */

static struct ns_entry ns_table[PICA_NS_SERVICES];

static struct ns_entry *
ns_find(const char *name)
{
    for (unsigned i = 0; i < PICA_NS_SERVICES; i++) {
        if (ns_table[i].slot >= 0 && strcmp(ns_table[i].name, name) == 0) {
            return &ns_table[i];
        }
    }
    return NULL;
}

/* The lowest slot of the root's that reads empty, for the next
 * registration (maybe one past its table), or -1. */
static int
ns_free_slot(void)
{
    for (int s = 0; s < (int)PICA_USER_IPC_NO_CAP; s++) {
        if (sys_cap_info(s) == -EBADF) {
            return s;
        }
    }
    return -1;
}

/* Answer one request whose name is @name (NUL-terminated) from @badge. */
static int32_t
ns_handle(uint32_t op, const char *name, uint32_t badge, int landed, struct pica_user_ipc *answer)
{
    struct ns_entry *e = ns_find(name);
    switch (op) {
    case NS_REGISTER:
        if (landed < 0) {
            return -EPERM; /* nothing came with it */
        }
        if (e != NULL) {
            (void)sys_cap_delete(landed);
            return -EEXIST;
        }
        for (unsigned i = 0; i < PICA_NS_SERVICES; i++) {
            if (ns_table[i].slot < 0) {
                strcpy(ns_table[i].name, name);
                ns_table[i].slot = landed;
                ns_table[i].owner = badge;
                return 0;
            }
        }
        (void)sys_cap_delete(landed);
        return -ENOSPC;
    case NS_LOOKUP:
        if (e == NULL) {
            return -ENOENT;
        }
        answer->send_caps[0] = (uint8_t)e->slot;
        return 0;
    case NS_UNREGISTER:
        if (e == NULL) {
            return -ENOENT;
        }
        if (e->owner != badge) {
            return -EPERM;
        }
        (void)sys_cap_delete(e->slot);
        e->slot = -1;
        return 0;
    default:
        return -EINVAL;
    }
}

static bool ns_table_ready;

static void
ns_table_init(void)
{
    if (!ns_table_ready) {
        for (unsigned i = 0; i < PICA_NS_SERVICES; i++) {
            ns_table[i].slot = -1;
        }
        ns_table_ready = true;
    }
}

int
sys_ns_offer(const char *name, int slot)
{
    size_t len;
    int err = ns_name_ok(name, &len);
    if (err != 0 || slot < 0 || sys_cap_info(slot) < 0) {
        return err != 0 ? err : -EBADF;
    }
    ns_table_init();
    if (ns_find(name) != NULL) {
        return -EEXIST;
    }
    for (unsigned i = 0; i < PICA_NS_SERVICES; i++) {
        if (ns_table[i].slot < 0) {
            memcpy(ns_table[i].name, name, len + 1u);
            ns_table[i].slot = slot;
            ns_table[i].owner = 0; /* the root's own: nobody withdraws it */
            return 0;
        }
    }
    return -ENOSPC;
}

int
sys_ns_serve(int ep)
{
    ns_table_init();
    char name[PICA_NS_NAME_MAX + 1];
    struct pica_user_ipc m;
    uint32_t w[4] = {0, 0, 0, 0};
    for (;;) {
        int spare = ns_free_slot();
        sys_ipc_init(&m, SYS_FOREVER);
        m.buf = (uint32_t)(uintptr_t)name;
        m.room = PICA_NS_NAME_MAX;
        m.recv_caps[0] = spare >= 0 ? (uint8_t)spare : PICA_USER_IPC_NO_CAP;
        int err = sys_ep_recv(ep, &m);
        if (err == -EINVAL && spare >= 0) {
            /* Past the end of its table (cap_info cannot tell): full. A
             * registration is then refused by the kernel (-ENOSPC). */
            sys_ipc_init(&m, SYS_FOREVER);
            m.buf = (uint32_t)(uintptr_t)name;
            m.room = PICA_NS_NAME_MAX;
            err = sys_ep_recv(ep, &m);
        }
        if (err != 0) {
            return err;
        }
        name[m.len] = '\0';
        const uint32_t op = m.w[0];
        const uint32_t badge = m.badge;
        const int landed = m.got_caps[0] != PICA_USER_IPC_NO_CAP ? m.got_caps[0] : -1;
        sys_ipc_init(&m, SYS_FOREVER); /* the answer: maybe a capability */
        w[0] = (uint32_t)ns_handle(op, name, badge, landed, &m);
        /* A caller that left meanwhile is no error of the service's. */
        (void)sys_ep_reply(PICA_SLOT_ANY, w, &m);
    }
}
