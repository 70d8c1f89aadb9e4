/* SPDX-License-Identifier: MIT */
/* The simulated board's programs and log behind struct bpf_ctl_ops
 * (sim_progs.h). Hooks: "timer:<1-60000>", "irq:<0-31>" (no trace_printk
 * there, as in an interrupt handler) and "switch". */
#include "sim_progs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every standard helper but trace_printk: what the simulated irq hook allows. */
static const uint32_t irq_helpers[] = { BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,
                                        BPF_FUNC_map_delete_elem, BPF_FUNC_ktime_get_ns,
                                        BPF_FUNC_get_prandom_u32, BPF_FUNC_ringbuf_output };

void
sim_board_init(struct sim_board *b)
{
    memset(b, 0, sizeof *b);
    b->next_id = 1;
}

static void
prog_free(struct sim_prog *p)
{
    free(p->arena);
    free(p->ops);
    free(p);
}

void
sim_board_free(struct sim_board *b)
{
    for (unsigned i = 0; i < b->nprogs; i++) {
        prog_free(b->progs[i]);
    }
    b->nprogs = 0;
}

uint64_t
sim_fnv1a(const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

void
sim_log(struct sim_board *b, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    n = n < 0 ? 0 : n > (int)sizeof line - 2 ? (int)sizeof line - 2 : n;
    line[n++] = '\n';
    line[n] = '\0';
    for (int i = 0; i < n; i++) {
        b->log[b->log_end++ % SIM_LOG_SIZE] = line[i];
    }
    if (b->console != NULL) {
        b->console(b->user, line);
    }
}

static int
sim_log_read(void *user, uint32_t offset, void *buf, size_t cap, uint32_t *next)
{
    struct sim_board *b = user;
    uint32_t oldest = b->log_end > SIM_LOG_SIZE ? b->log_end - SIM_LOG_SIZE : 0;
    if (offset < oldest || offset > b->log_end) {
        offset = oldest;
    }
    size_t n = b->log_end - offset < cap ? b->log_end - offset : cap;
    for (size_t i = 0; i < n; i++) {
        ((char *)buf)[i] = b->log[(offset + i) % SIM_LOG_SIZE];
    }
    *next = offset + (uint32_t)n;
    return (int)n;
}

static void
trace_to_log(void *user, const char *text, size_t len)
{
    sim_log(user, "trace: %.*s", (int)len, text);
}

static void
run_one(struct sim_board *b, struct sim_prog *p)
{
    static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
    static const struct bpf_hooks services = { .trace = trace_to_log };
    uint64_t ctx[8] = { 0 };
    struct bpf_exec x = { .ctx = ctx, .ctx_len = sizeof ctx, .ctx_rights = BPF_REGION_READ,
                          .stack = stack, .stack_size = sizeof stack, .budget = 100000,
                          .hooks = &services, .user = b };
    int rc = bpf_run(&p->prog, &x);
    struct bpf_ctl_stats *st = &p->stats;
    st->runs++;
    st->insns += x.executed;
    st->max_insns = x.executed > st->max_insns ? x.executed : st->max_insns;
    if (rc != 0) {
        st->overruns += rc == -ETIMEDOUT;
        st->errors += rc != -ETIMEDOUT;
        st->last_error = rc;
        st->last_fault_pc = x.fault_pc;
    }
}

void
sim_fire(struct sim_board *b)
{
    for (unsigned i = 0; i < b->nprogs; i++) {
        run_one(b, b->progs[i]);
    }
}

/* ---- the ops ---- */
static void
sim_write(void *user, const void *bytes, size_t len)
{
    struct sim_board *b = user;
    b->write(b->user, bytes, len);
}

/* 0 if @spec names a simulated hook; sets *irq for the irq hook. */
static int
hook_check(const char *spec, bool *irq, char *msg, size_t size)
{
    static const struct {
        const char *name;
        long lo, hi;
    } hooks[] = { { "timer:", 1, 60000 }, { "irq:", 0, 31 }, { "switch", 0, 0 } };
    for (unsigned i = 0; i < sizeof hooks / sizeof hooks[0]; i++) {
        size_t n = strlen(hooks[i].name);
        if (strncmp(spec, hooks[i].name, n) != 0) {
            continue;
        }
        char *end;
        long arg = hooks[i].hi > 0 ? strtol(spec + n, &end, 10) : 0;
        if (hooks[i].hi > 0 ? (end == spec + n || *end != '\0' || arg < hooks[i].lo ||
                               arg > hooks[i].hi)
                            : spec[n] != '\0') {
            snprintf(msg, size, "bad argument in hook '%s'", spec);
            return -EINVAL;
        }
        *irq = i == 1;
        return 0;
    }
    snprintf(msg, size, "no hook '%s' (this board has timer:MS, irq:N, switch)", spec);
    return -ENOENT;
}

static int
refuse(struct sim_prog *p, int rc, const struct bpf_verr *err, char *msg, size_t size)
{
    if (err->pc == BPF_ELF_NO_PC || err->reason == NULL) { /* the object, not an insn */
        snprintf(msg, size, "object refused: %s", err->reason ? err->reason : "error");
    } else {
        bpf_verr_format(err, msg, size);
    }
    prog_free(p);
    return rc;
}

/* Load @req into @p: measure, allocate, load (verify), name it. */
static int
prog_load(struct sim_prog *p, const struct bpf_ctl_load *req, bool irq, char *msg, size_t size)
{
    struct bpf_elf_need need;
    struct bpf_verr err = { 0 };
    int rc = bpf_elf_measure(req->elf, req->len, req->section, &need, &err);
    if (rc < 0) {
        return refuse(p, rc, &err, msg, size);
    }
    p->arena = aligned_alloc(8, (need.arena + 8) & ~(size_t)7);
    p->ops = calloc(need.insns + 1, sizeof *p->ops);
    p->obj.arena = p->arena;
    p->obj.arena_size = need.arena;
    if (irq) {
        p->obj.opts.allowed = irq_helpers;
        p->obj.opts.nallowed = sizeof irq_helpers / sizeof irq_helpers[0];
        p->obj.opts.allowed_at = "irq";
    }
    rc = bpf_elf_load(&p->obj, req->elf, req->len, req->section, p->ops, need.insns, &p->prog,
                      &err);
    if (rc < 0) {
        return refuse(p, rc, &err, msg, size);
    }
    snprintf(p->name, sizeof p->name, "%s", req->name != NULL ? req->name : need.section);
    p->mem = need.arena + need.insns * sizeof *p->ops;
    return 0;
}

static int
sim_load(void *user, const struct bpf_ctl_load *req, char *msg, size_t size)
{
    struct sim_board *b = user;
    bool irq = false;
    int rc = hook_check(req->hook, &irq, msg, size);
    if (rc < 0) {
        return rc;
    }
    if (b->nprogs == SIM_PROGS) {
        snprintf(msg, size, "the board holds %u programs already", SIM_PROGS);
        return -ENOMEM;
    }
    struct sim_prog *p = calloc(1, sizeof *p);
    rc = prog_load(p, req, irq, msg, size);
    if (rc < 0) {
        return rc;
    }
    p->id = b->next_id++;
    snprintf(p->hook, sizeof p->hook, "%s", req->hook);
    b->progs[b->nprogs++] = p;
    sim_log(b, "loaded %u %s: %zu bytes fnv1a %016llx", p->id, p->name, req->len,
            (unsigned long long)sim_fnv1a(req->elf, req->len));
    run_one(b, p); /* so that maps and stats have something to show */
    return (int)p->id;
}

static struct sim_prog *
prog_find(struct sim_board *b, uint32_t id, unsigned *at)
{
    for (unsigned i = 0; i < b->nprogs; i++) {
        if (b->progs[i]->id == id) {
            *at = i;
            return b->progs[i];
        }
    }
    return NULL;
}

static int
sim_unload(void *user, uint32_t id)
{
    struct sim_board *b = user;
    unsigned at;
    struct sim_prog *p = prog_find(b, id, &at);
    if (p == NULL) {
        return -ENOENT;
    }
    memmove(&b->progs[at], &b->progs[at + 1], (b->nprogs - at - 1) * sizeof b->progs[0]);
    b->nprogs--;
    sim_log(b, "detached %u %s", p->id, p->name);
    prog_free(p);
    return 0;
}

static int
sim_prog_at(void *user, unsigned index, struct bpf_ctl_prog *out)
{
    struct sim_board *b = user;
    if (index >= b->nprogs) {
        return -ENOENT;
    }
    const struct sim_prog *p = b->progs[index];
    *out = (struct bpf_ctl_prog){ .id = p->id, .ninsns = p->prog.len, .mem = (uint32_t)p->mem,
                                  .state = BPF_CTL_ATTACHED };
    memcpy(out->name, p->name, sizeof out->name);
    memcpy(out->hook, p->hook, sizeof out->hook);
    return 0;
}

static int
sim_stats(void *user, uint32_t id, struct bpf_ctl_stats *st)
{
    unsigned at;
    struct sim_prog *p = prog_find(user, id, &at);
    if (p == NULL) {
        return -ENOENT;
    }
    *st = p->stats;
    return 0;
}

/* The map @name ("#n": the n-th) of program @id, or NULL with *rc set. */
static struct bpf_map *
map_find(void *user, uint32_t id, const char *name, int *rc)
{
    unsigned at;
    struct sim_prog *p = prog_find(user, id, &at);
    struct bpf_map *m = NULL;
    if (p != NULL && name[0] == '#') {
        unsigned long n = strtoul(name + 1, NULL, 10);
        m = n < p->obj.nmaps ? &p->obj.maps[n] : NULL;
    } else if (p != NULL) {
        m = bpf_elf_map(&p->obj, name);
    }
    *rc = p == NULL ? -ESRCH : m == NULL ? -ENOENT : 0;
    return m;
}

static int
sim_map_info(void *user, uint32_t id, const char *name, struct bpf_ctl_map *out)
{
    int rc;
    struct bpf_map *m = map_find(user, id, name, &rc);
    if (m != NULL) {
        unsigned at;
        out->index = (uint32_t)(m - prog_find(user, id, &at)->obj.maps);
        memcpy(out->name, m->name, sizeof out->name);
        out->def = m->def;
    }
    return rc;
}

static int
sim_map_lookup(void *user, uint32_t id, const char *name, const void *key, void *value)
{
    int rc;
    struct bpf_map *m = map_find(user, id, name, &rc);
    const void *v = m != NULL ? bpf_map_lookup(m, key) : NULL;
    if (v == NULL) {
        return rc < 0 ? rc : -ENOENT;
    }
    memcpy(value, v, m->def.value_size);
    return 0;
}

static int
sim_map_next_key(void *user, uint32_t id, const char *name, const void *key, void *next)
{
    int rc;
    struct bpf_map *m = map_find(user, id, name, &rc);
    return m != NULL ? bpf_map_next_key(m, key, next) : rc;
}

static int
sim_map_update(void *user, uint32_t id, const char *name, const void *key, const void *value,
               uint64_t flags)
{
    int rc;
    struct bpf_map *m = map_find(user, id, name, &rc);
    return m != NULL ? bpf_map_update(m, key, value, flags) : rc;
}

static int
sim_ringbuf_consume(void *user, uint32_t id, const char *name, void *buf, uint32_t cap)
{
    int rc;
    struct bpf_map *m = map_find(user, id, name, &rc);
    return m != NULL ? bpf_ringbuf_consume(m, buf, cap) : rc;
}

const struct bpf_ctl_ops sim_ctl_ops = {
    .write = sim_write,
    .load = sim_load,
    .unload = sim_unload,
    .prog_at = sim_prog_at,
    .stats = sim_stats,
    .map_info = sim_map_info,
    .map_lookup = sim_map_lookup,
    .map_next_key = sim_map_next_key,
    .map_update = sim_map_update,
    .ringbuf_consume = sim_ringbuf_consume,
    .log_read = sim_log_read,
};
