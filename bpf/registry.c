/* SPDX-License-Identifier: MIT */
/* The program registry: bpf_registry_load() measures an ELF object, takes one block
 * from the embedder's allocator for the program, its ops and its arena, loads it
 * against the hook's helpers and attaches it (hook.c); unload, reap and
 * unload_owner undo that; the rest answers list, stats and map requests. env->lock
 * is taken only around what hook runs also touch (links, stats, map contents).
 */
#include <pica/bpf_hook.h>

#include "bpf_impl.h"

#include <errno.h>
#include <string.h>

#define ROUND8(n) (((n) + 7u) & ~(size_t)7u)

static const uint32_t no_helpers[1];

void
bpf_registry_init(struct bpf_registry *r, const struct bpf_registry_env *env)
{
    *r = (struct bpf_registry){ .env = env, .next_id = 1 };
}

/* ---- messages ---- */

static int
load_fail(struct bpf_load_err *err, int code, const char *a, const char *b, const char *c)
{
    struct bpf_fmt f;
    bpf_fmt_init(&f, err->msg, sizeof(err->msg));
    bpf_fmt_str(&f, a);
    bpf_fmt_str(&f, b != NULL ? b : "");
    bpf_fmt_str(&f, c != NULL ? c : "");
    err->code = code;
    return code;
}

static int
size_fail(struct bpf_load_err *err, const char *what, size_t size, size_t limit)
{
    struct bpf_fmt f;
    bpf_fmt_init(&f, err->msg, sizeof(err->msg));
    bpf_fmt_str(&f, what);
    bpf_fmt_udec(&f, size);
    bpf_fmt_str(&f, " bytes; the limit is ");
    bpf_fmt_udec(&f, limit);
    err->code = -E2BIG;
    return -E2BIG;
}

/* A loader or verifier refusal: the ELF reason, or the verifier's sentence. */
static int
verr_fail(struct bpf_load_err *err, int code, const struct bpf_verr *v)
{
    if (v->reason == NULL) {
        return load_fail(err, code, "cannot load the program", NULL, NULL);
    }
    if (v->pc == BPF_ELF_NO_PC) {
        return load_fail(err, code, "elf: ", v->reason, NULL);
    }
    bpf_verr_format(v, err->msg, sizeof(err->msg));
    err->code = code;
    return code;
}

/* The hook named by @spec, for messages about its argument (parse found it). */
static const struct bpf_hook_def *
hook_named(const struct bpf_registry_env *env, const char *spec)
{
    size_t len = strcspn(spec, ":");
    for (unsigned k = 0; k < env->nhooks; k++) {
        const char *n = env->hooks[k]->def->name;
        if (strncmp(n, spec, len) == 0 && n[len] == '\0') {
            return env->hooks[k]->def;
        }
    }
    return NULL;
}

static int
hook_fail(const struct bpf_registry_env *env, struct bpf_load_err *err, int rc, const char *spec)
{
    const struct bpf_hook_def *d = rc == -EINVAL ? hook_named(env, spec) : NULL;
    if (d == NULL) {
        return load_fail(err, rc, "no hook '", spec, "'");
    }
    if (!(d->flags & BPF_HOOK_ARG)) {
        return load_fail(err, rc, "hook ", d->name, " takes no argument");
    }
    struct bpf_fmt f;
    bpf_fmt_init(&f, err->msg, sizeof(err->msg));
    bpf_fmt_str(&f, "hook ");
    bpf_fmt_str(&f, d->name);
    bpf_fmt_str(&f, " needs an argument ");
    bpf_fmt_udec(&f, d->arg_min);
    bpf_fmt_str(&f, "..");
    bpf_fmt_udec(&f, d->arg_max);
    bpf_fmt_str(&f, ", as in ");
    bpf_fmt_str(&f, d->name);
    bpf_fmt_chr(&f, ':');
    bpf_fmt_udec(&f, d->arg_min);
    err->code = rc;
    return rc;
}

/* ---- load ---- */

/* Checks that need no memory: sizes, hook, rights, what the object needs. */
static int
load_check(struct bpf_registry *r, const struct bpf_load_req *req, struct bpf_load_err *err,
           struct bpf_hook **hook, uint32_t *arg, struct bpf_elf_need *need)
{
    const struct bpf_registry_env *env = r->env;
    struct bpf_verr v = { 0 };
    if (req->len > env->max_object) {
        return size_fail(err, "object is ", req->len, env->max_object);
    }
    int k = bpf_hook_parse(env->hooks, env->nhooks, req->hook, arg);
    if (k < 0) {
        return hook_fail(env, err, k, req->hook);
    }
    *hook = env->hooks[k];
    if ((req->rights & BPF_ATTACH_VERDICT) && !((*hook)->def->flags & BPF_HOOK_VERDICT)) {
        return load_fail(err, -EPERM, "hook ", (*hook)->def->name, " takes no verdicts");
    }
    int rc = bpf_elf_measure(req->elf, req->len, req->section, need, &v);
    if (rc == -ENOENT && req->section != NULL) {
        return load_fail(err, rc, "no program '", req->section, "' in the object");
    }
    return rc != 0 ? verr_fail(err, rc, &v) : 0;
}

static void
name_copy(char *dst, const char *src)
{
    size_t n = 0;
    while (src != NULL && n < BPF_NAME_MAX - 1 && src[n] != '\0') {
        dst[n] = src[n];
        n++;
    }
    dst[n] = '\0';
}

/* Load into the block @l (zeroed struct, ops and arena laid out by the caller). */
static int
load_into(struct bpf_registry *r, struct bpf_loaded *l, const struct bpf_load_req *req,
          const struct bpf_hook_def *def, struct bpf_load_err *err)
{
    const struct bpf_registry_env *env = r->env;
    struct bpf_verr v = { 0 };
    struct bpf_op *ops = (struct bpf_op *)((uint8_t *)l + ROUND8(sizeof(*l)));
    l->obj.opts.helpers = env->helpers;
    l->obj.opts.nhelpers = env->nhelpers;
    l->obj.opts.allowed = def->helpers != NULL ? def->helpers : no_helpers;
    l->obj.opts.nallowed = def->helpers != NULL ? def->nhelpers : 0;
    l->obj.opts.allowed_at = def->name;
    int rc = bpf_elf_load(&l->obj, req->elf, req->len, req->section, ops, l->ninsns, &l->prog,
                          &v);
    return rc != 0 ? verr_fail(err, rc, &v) : 0;
}

/* Link @l into @h and the registry under the lock; then tell the embedder. */
static int
publish(struct bpf_registry *r, struct bpf_loaded *l, struct bpf_hook *h)
{
    const struct bpf_registry_env *env = r->env;
    unsigned key = env->lock();
    int rc = bpf_hook_attach(h, &l->att);
    if (rc == 0) {
        struct bpf_loaded **pp = &r->first;
        while (*pp != NULL) {
            pp = &(*pp)->next;
        }
        *pp = l;
        l->id = r->next_id++;
        r->count++;
        r->mem += l->mem;
    }
    env->unlock(key);
    if (rc == 0 && env->attached != NULL) {
        env->attached(h, &l->att, true);
    }
    return rc;
}

int
bpf_registry_load(struct bpf_registry *r, const struct bpf_load_req *req,
                  struct bpf_load_err *err)
{
    struct bpf_load_err dummy;
    struct bpf_elf_need need;
    struct bpf_hook *hook = NULL;
    uint32_t arg = 0;
    err = err != NULL ? err : &dummy;
    err->code = 0;
    err->msg[0] = '\0';
    if (r == NULL || r->env == NULL || req == NULL || req->elf == NULL || req->hook == NULL) {
        return load_fail(err, -EINVAL, "bad load request", NULL, NULL);
    }
    const struct bpf_registry_env *env = r->env;
    int rc = load_check(r, req, err, &hook, &arg, &need);
    if (rc != 0) {
        return rc;
    }
    /* ops: at most 16 x BPF_MAX_INSNS slots (elf.c), so only the arena can overflow */
    size_t head = ROUND8(sizeof(struct bpf_loaded));
    size_t ops = (size_t)need.insns * sizeof(struct bpf_op);
    size_t total = need.arena <= SIZE_MAX - head - ops ? head + ops + need.arena : SIZE_MAX;
    if (total > env->max_mem) {
        return size_fail(err, "program needs ", total, env->max_mem);
    }
    struct bpf_loaded *l = env->alloc(total);
    if (l == NULL) {
        return load_fail(err, -ENOMEM, "out of memory for the program", NULL, NULL);
    }
    /* field by field: struct bpf_loaded is too large for a temporary on a small stack */
    memset(l, 0, sizeof(*l));
    l->owner = req->owner;
    l->mem = total;
    l->ninsns = need.insns;
    l->att.prog = &l->prog;
    l->att.arg = arg;
    l->att.rights = req->rights;
    l->att.budget = req->budget;
    l->att.max_overruns = req->max_overruns ? req->max_overruns : env->max_overruns;
    l->obj.arena = (uint8_t *)l + head + ops;
    l->obj.arena_size = need.arena;
    name_copy(l->name, req->name ? req->name : req->section ? req->section : need.section);
    rc = load_into(r, l, req, hook->def, err);
    if (rc == 0 && (rc = publish(r, l, hook)) != 0) {
        load_fail(err, rc, "cannot attach to ", req->hook, NULL);
    }
    if (rc != 0) {
        env->free(l);
        return rc;
    }
    return (int)l->id;
}

/* ---- unload ---- */

/* Unlink *pp from the registry and its hook, tell the embedder, free it. */
static void
unload_at(struct bpf_registry *r, struct bpf_loaded **pp)
{
    const struct bpf_registry_env *env = r->env;
    struct bpf_loaded *l = *pp;
    struct bpf_hook *h = l->att.hook;
    unsigned key = env->lock();
    if (h != NULL) {
        bpf_hook_detach(h, &l->att);
    }
    *pp = l->next;
    r->count--;
    r->mem -= l->mem;
    env->unlock(key);
    if (env->attached != NULL && h != NULL) {
        env->attached(h, &l->att, false);
    }
    env->free(l);
}

static struct bpf_loaded **
find_link(struct bpf_registry *r, uint32_t id)
{
    struct bpf_loaded **pp = &r->first;
    while (*pp != NULL && (*pp)->id != id) {
        pp = &(*pp)->next;
    }
    return pp;
}

int
bpf_registry_unload(struct bpf_registry *r, uint32_t id, uint32_t owner)
{
    struct bpf_loaded **pp = find_link(r, id);
    if (*pp == NULL) {
        return -ENOENT;
    }
    if (owner != 0 && (*pp)->owner != owner) {
        return -EPERM;
    }
    unload_at(r, pp);
    return 0;
}

unsigned
bpf_registry_unload_owner(struct bpf_registry *r, uint32_t owner)
{
    unsigned n = 0;
    struct bpf_loaded **pp = &r->first;
    while (*pp != NULL) {
        if ((*pp)->owner == owner) {
            unload_at(r, pp);
            n++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return n;
}

unsigned
bpf_registry_reap(struct bpf_registry *r)
{
    unsigned n = 0;
    struct bpf_loaded **pp = &r->first;
    while (*pp != NULL) {
        if ((*pp)->att.disabled) {
            unload_at(r, pp);
            n++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return n;
}

/* ---- queries ---- */

struct bpf_loaded *
bpf_registry_find(struct bpf_registry *r, uint32_t id)
{
    return *find_link(r, id);
}

struct bpf_loaded *
bpf_registry_at(struct bpf_registry *r, unsigned index)
{
    struct bpf_loaded *l = r->first;
    while (l != NULL && index-- > 0) {
        l = l->next;
    }
    return l;
}

int
bpf_registry_stats(struct bpf_registry *r, uint32_t id, struct bpf_prog_stats *st)
{
    struct bpf_loaded *l = bpf_registry_find(r, id);
    if (l == NULL) {
        return -ENOENT;
    }
    unsigned key = r->env->lock();
    *st = l->att.stats;
    r->env->unlock(key);
    return 0;
}

struct bpf_map *
bpf_registry_map(struct bpf_registry *r, uint32_t id, const char *name)
{
    struct bpf_loaded *l = bpf_registry_find(r, id);
    if (l == NULL || name == NULL) {
        return NULL;
    }
    if (name[0] != '#') {
        return bpf_elf_map(&l->obj, name);
    }
    unsigned n = 0;
    const char *s = name + 1;
    do {
        if (*s < '0' || *s > '9' || n >= BPF_ELF_MAX_MAPS) {
            return NULL;
        }
        n = n * 10 + (unsigned)(*s - '0');
    } while (*++s != '\0');
    return n < l->obj.nmaps ? &l->obj.maps[n] : NULL;
}

size_t
bpf_registry_hook_spec(const struct bpf_loaded *l, char *buf, size_t size)
{
    struct bpf_fmt f;
    bpf_fmt_init(&f, buf, size);
    const struct bpf_hook *h = l->att.hook;
    if (h == NULL) {
        return f.len;
    }
    bpf_fmt_str(&f, h->def->name);
    if (h->def->flags & BPF_HOOK_ARG) {
        bpf_fmt_chr(&f, ':');
        bpf_fmt_udec(&f, l->att.arg);
    }
    return f.len;
}

/* ---- map contents under the lock ---- */

/* The map, unless it is missing (-ENOENT) or a ring buffer (-EINVAL). */
static struct bpf_map *
keyed_map(struct bpf_registry *r, uint32_t id, const char *name, int *err)
{
    struct bpf_map *m = bpf_registry_map(r, id, name);
    *err = m == NULL ? -ENOENT : -EINVAL;
    return m != NULL && m->def.type != BPF_MAP_TYPE_RINGBUF ? m : NULL;
}

int
bpf_registry_map_lookup(struct bpf_registry *r, uint32_t id, const char *map, const void *key,
                        void *value)
{
    int rc;
    struct bpf_map *m = keyed_map(r, id, map, &rc);
    if (m == NULL || key == NULL || value == NULL) {
        return m == NULL ? rc : -EINVAL;
    }
    unsigned k = r->env->lock();
    const void *v = bpf_map_lookup(m, key);
    if (v != NULL) {
        memcpy(value, v, m->def.value_size);
    }
    r->env->unlock(k);
    return v != NULL ? 0 : -ENOENT;
}

int
bpf_registry_map_update(struct bpf_registry *r, uint32_t id, const char *map, const void *key,
                        const void *value, uint64_t flags)
{
    int rc;
    struct bpf_map *m = keyed_map(r, id, map, &rc);
    if (m == NULL) {
        return rc;
    }
    unsigned k = r->env->lock();
    rc = bpf_map_update(m, key, value, flags);
    r->env->unlock(k);
    return rc;
}

int
bpf_registry_map_delete(struct bpf_registry *r, uint32_t id, const char *map, const void *key)
{
    int rc;
    struct bpf_map *m = keyed_map(r, id, map, &rc);
    if (m == NULL) {
        return rc;
    }
    unsigned k = r->env->lock();
    rc = bpf_map_delete(m, key);
    r->env->unlock(k);
    return rc;
}

int
bpf_registry_map_next_key(struct bpf_registry *r, uint32_t id, const char *map,
                          const void *key, void *next)
{
    int rc;
    struct bpf_map *m = keyed_map(r, id, map, &rc);
    if (m == NULL) {
        return rc;
    }
    unsigned k = r->env->lock();
    rc = bpf_map_next_key(m, key, next);
    r->env->unlock(k);
    return rc;
}

int
bpf_registry_ringbuf_consume(struct bpf_registry *r, uint32_t id, const char *map, void *buf,
                             uint32_t cap)
{
    struct bpf_map *m = bpf_registry_map(r, id, map);
    if (m == NULL) {
        return -ENOENT;
    }
    if (m->def.type != BPF_MAP_TYPE_RINGBUF) {
        return -EINVAL;
    }
    unsigned k = r->env->lock();
    int rc = bpf_ringbuf_consume(m, buf, cap);
    r->env->unlock(k);
    return rc;
}
