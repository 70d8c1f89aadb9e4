/* SPDX-License-Identifier: MIT */
/* The picactl service: frames on the console line (include/pica/bpf_ctl.h)
 * answered by a thread of their own, over the registry.
 *
 * The console's receive tap hands every byte to the frame receiver first,
 * in the interrupt; bytes of a frame never reach the shell. The thread
 * ("bpfctl") runs less urgently than the shell, so a person typing is
 * served while a load is verified. Its answers go out as one console
 * write: a frame has no newline inside (the encoder escapes it), so the
 * console's newline translation never touches one, and no other thread's
 * text lands inside it. The thread also frees programs that overran their
 * budget too often. */
#include "bpf_kern_priv.h"

#include <errno.h>
#include <pica/board.h>
#include <pica/bpf_ctl.h>
#include <pica/console.h>
#include <pica/heap.h>
#include <pica/log.h>
#include <pica/sem.h>
#include <pica/shell.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <string.h>

#include "arch.h"

#pragma weak pica_log_read

#ifndef PICA_CFG_BPF_CTL_STACK
#define PICA_CFG_BPF_CTL_STACK 3072
#endif
/* Below the shell: a person typing goes first. */
#define CTL_PRIO (PICA_CFG_SHELL_PRIO + 1 < PICA_CFG_PRIORITIES - 1 ? PICA_CFG_SHELL_PRIO + 1 \
                                                                    : PICA_CFG_SHELL_PRIO)
/* An unfinished frame silent this long lost its end: what follows is text.
 * Long, because a frame's bytes need not come back to back: QEMU hands a
 * UART its input a byte at a time and may hold the next one until the
 * guest's next timer, half a second later in the demo. A frame's end lost on
 * a real line costs the person at the console that much typing. */
#define CTL_FRAME_GAP PICA_MS(5000)

static struct bpf_ctl_rx rx;
static struct bpf_ctl session;
static struct pica_sem frame_ready;
static struct pica_thread ctl_thread;
static uint8_t ctl_stack[PICA_CFG_BPF_CTL_STACK] __attribute__((aligned(8)));
static bool ctl_on;
static pica_tick_t last_byte;

bool
kern_ctl_rx(char c)
{
    if (!ctl_on) {
        return false;
    }
    pica_tick_t now = pica_tick_now();
    if (bpf_ctl_rx_busy(&rx) && now - last_byte > CTL_FRAME_GAP) {
        bpf_ctl_rx_reset(&rx);
    }
    last_byte = now;
    bool was_ready = atomic_load(&rx.ready);
    bool mine = bpf_ctl_rx_byte(&rx, (uint8_t)c);
    if (!was_ready && atomic_load(&rx.ready)) {
        (void)pica_sem_give(&frame_ready);
    }
    return mine;
}

/* ---- the session's calls into the registry ---- */

static void
ctl_write(void *user, const void *bytes, size_t len)
{
    (void)user;
    (void)pica_console_write(bytes, len);
}

static int
ctl_load(void *user, const struct bpf_ctl_load *req, char *msg, size_t msg_size)
{
    (void)user;
    struct bpf_load_req r = {
        .elf = req->elf,
        .len = req->len,
        .section = req->section,
        .hook = req->hook,
        .name = req->name,
        .rights = (req->flags & BPF_CTL_LOAD_VERDICT) ? BPF_ATTACH_VERDICT : 0,
    };
    static struct bpf_load_err err;
    memset(&err, 0, sizeof(err));
    int id = pica_bpf_load(&r, &err);
    if (id < 0 && msg_size > 0) {
        size_t n = strnlen(err.msg, sizeof(err.msg));
        n = n < msg_size - 1 ? n : msg_size - 1;
        memcpy(msg, err.msg, n);
        msg[n] = '\0';
    }
    return id;
}

static int
ctl_unload(void *user, uint32_t id)
{
    (void)user;
    return pica_bpf_unload(id);
}

static int
ctl_prog_at(void *user, unsigned index, struct bpf_ctl_prog *p)
{
    (void)user;
    pica_bpf_lock();
    const struct bpf_loaded *l = bpf_registry_at(pica_bpf_registry(), index);
    if (l != NULL) {
        memset(p, 0, sizeof(*p));
        p->id = l->id;
        memcpy(p->name, l->name, sizeof(p->name) < sizeof(l->name) ? sizeof(p->name)
                                                                    : sizeof(l->name));
        p->name[sizeof(p->name) - 1] = '\0';
        bpf_registry_hook_spec(l, p->hook, sizeof(p->hook));
        p->owner = l->owner;
        p->ninsns = l->ninsns;
        p->mem = (uint32_t)l->mem;
        p->state = l->att.disabled ? BPF_CTL_DISABLED : BPF_CTL_ATTACHED;
    }
    pica_bpf_unlock();
    return l != NULL ? 0 : -ENOENT;
}

static int
ctl_stats(void *user, uint32_t id, struct bpf_ctl_stats *st)
{
    (void)user;
    struct bpf_prog_stats s;
    pica_bpf_lock();
    int err = bpf_registry_stats(pica_bpf_registry(), id, &s);
    pica_bpf_unlock();
    if (err == 0) {
        *st = (struct bpf_ctl_stats){
            .runs = s.runs,
            .insns = s.insns,
            .overruns = s.overruns,
            .errors = s.errors,
            .last_error = s.last_error,
            .last_fault_pc = s.last_fault_pc,
            .max_insns = s.max_insns,
        };
    }
    return err;
}

static int
ctl_map_info(void *user, uint32_t id, const char *map, struct bpf_ctl_map *m)
{
    (void)user;
    pica_bpf_lock();
    struct bpf_registry *r = pica_bpf_registry();
    struct bpf_loaded *l = bpf_registry_find(r, id);
    struct bpf_map *found = l != NULL ? bpf_registry_map(r, id, map) : NULL;
    if (found != NULL) {
        memset(m, 0, sizeof(*m));
        m->index = (uint32_t)(found - l->obj.maps);
        memcpy(m->name, found->name, sizeof(m->name) - 1);
        m->def = found->def;
    }
    pica_bpf_unlock();
    return l == NULL ? -ESRCH : found == NULL ? -ENOENT : 0;
}

/* The registry answers -ENOENT for a missing program too; the session
 * wants -ESRCH there. */
static int
program_known(uint32_t id)
{
    return bpf_registry_find(pica_bpf_registry(), id) != NULL ? 0 : -ESRCH;
}

static int
ctl_map_lookup(void *user, uint32_t id, const char *map, const void *key, void *value)
{
    (void)user;
    pica_bpf_lock();
    int err = program_known(id);
    if (err == 0) {
        err = bpf_registry_map_lookup(pica_bpf_registry(), id, map, key, value);
    }
    pica_bpf_unlock();
    return err;
}

static int
ctl_map_next_key(void *user, uint32_t id, const char *map, const void *key, void *next)
{
    (void)user;
    pica_bpf_lock();
    int err = program_known(id);
    if (err == 0) {
        err = bpf_registry_map_next_key(pica_bpf_registry(), id, map, key, next);
    }
    pica_bpf_unlock();
    return err;
}

static int
ctl_map_update(void *user, uint32_t id, const char *map, const void *key, const void *value,
               uint64_t flags)
{
    (void)user;
    pica_bpf_lock();
    int err = program_known(id);
    if (err == 0) {
        err = bpf_registry_map_update(pica_bpf_registry(), id, map, key, value, flags);
    }
    pica_bpf_unlock();
    return err;
}

static int
ctl_ringbuf(void *user, uint32_t id, const char *map, void *buf, uint32_t cap)
{
    (void)user;
    pica_bpf_lock();
    int err = program_known(id);
    if (err == 0) {
        err = bpf_registry_ringbuf_consume(pica_bpf_registry(), id, map, buf, cap);
    }
    pica_bpf_unlock();
    return err;
}

static int
ctl_log_read(void *user, uint32_t offset, void *buf, size_t cap, uint32_t *next)
{
    (void)user;
    *next = offset;
    if (pica_log_read == NULL) {
        return 0; /* an image without the log has nothing to show */
    }
    return pica_log_read(next, buf, cap);
}

static void *
ctl_obj_alloc(void *user, size_t size)
{
    (void)user;
    return pica_malloc(size);
}

static void
ctl_obj_free(void *user, void *obj)
{
    (void)user;
    pica_free(obj);
}

static const struct bpf_ctl_ops ctl_ops = {
    .write = ctl_write,
    .load = ctl_load,
    .unload = ctl_unload,
    .prog_at = ctl_prog_at,
    .stats = ctl_stats,
    .map_info = ctl_map_info,
    .map_lookup = ctl_map_lookup,
    .map_next_key = ctl_map_next_key,
    .map_update = ctl_map_update,
    .ringbuf_consume = ctl_ringbuf,
    .obj_alloc = ctl_obj_alloc,
    .obj_free = ctl_obj_free,
    .log_read = ctl_log_read,
};

static void
ctl_main(void *arg)
{
    (void)arg;
    for (;;) {
        (void)pica_sem_take(&frame_ready, PICA_MS(1000));
        while (bpf_ctl_process(&session, &rx) > 0) {
        }
        pica_bpf_lock();
        (void)bpf_registry_reap(pica_bpf_registry());
        pica_bpf_unlock();
    }
}

int
kern_ctl_start(void)
{
    /* An object being received takes heap of its own size from LOAD_BEGIN
     * to its end: nothing is held between loads. */
    bpf_ctl_rx_init(&rx);
    bpf_ctl_init(&session, &ctl_ops, NULL, board_info()->name, NULL, PICA_CFG_BPF_MAX_OBJECT);
    int err = pica_sem_init(&frame_ready, 0, 1);
    if (err == 0) {
        err = pica_thread_create(&ctl_thread, "bpfctl", ctl_main, NULL, ctl_stack,
                                 sizeof(ctl_stack), CTL_PRIO, 0);
    }
    if (err != 0) {
        return err;
    }
    ctl_on = true;
    return 0;
}
