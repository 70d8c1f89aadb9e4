/* SPDX-License-Identifier: MIT */
/* Hook dispatch: bpf_hook_run() runs the programs attached to a hook in attach
 * order (bpf_attach_run() just one of them, for hooks such as timers whose programs
 * fire apart), keeps each one's statistics and disables one that overruns its budget
 * too often; bpf_hook_attach()/bpf_hook_detach() link and unlink them (the caller
 * excludes runs); bpf_hook_parse() reads "name" / "name:arg". The registry that
 * loads and frees programs is bpf/registry.c.
 */
#include <pica/bpf_hook.h>

#include <errno.h>
#include <string.h>

static bool
arg_ok(const struct bpf_hook_def *d, uint32_t arg)
{
    if (!(d->flags & BPF_HOOK_ARG)) {
        return arg == 0;
    }
    return arg >= d->arg_min && arg <= d->arg_max;
}

int
bpf_hook_attach(struct bpf_hook *h, struct bpf_attach *a)
{
    if (h == NULL || h->def == NULL || a == NULL || a->prog == NULL || a->hook != NULL) {
        return -EINVAL;
    }
    if (!arg_ok(h->def, a->arg)) {
        return -EINVAL;
    }
    if ((a->rights & BPF_ATTACH_VERDICT) && !(h->def->flags & BPF_HOOK_VERDICT)) {
        return -EINVAL;
    }
    struct bpf_attach *volatile *pp = &h->first;
    while (*pp != NULL) {
        pp = &(*pp)->next;
    }
    a->next = NULL;
    a->hook = h;
    *pp = a; /* the one store that makes it visible to runs */
    return 0;
}

int
bpf_hook_detach(struct bpf_hook *h, struct bpf_attach *a)
{
    if (h == NULL || a == NULL || a->hook != h) {
        return -ENOENT;
    }
    for (struct bpf_attach *volatile *pp = &h->first; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == a) {
            *pp = a->next;
            a->next = NULL;
            a->hook = NULL;
            return 0;
        }
    }
    return -ENOENT;
}

/* Count one run of @a that ended with @rc. */
static void
account(struct bpf_attach *a, const struct bpf_exec *e, int rc)
{
    struct bpf_prog_stats *st = &a->stats;
    st->runs++;
    st->insns += e->executed;
    if (e->executed > st->max_insns) {
        st->max_insns = e->executed;
    }
    if (rc == 0) {
        return;
    }
    st->last_error = rc;
    st->last_fault_pc = e->fault_pc;
    if (rc != -ETIMEDOUT) {
        st->errors++;
    } else if (++st->overruns >= a->max_overruns && a->max_overruns != 0) {
        a->disabled = true;
    }
}

/* The parts of a run that are the same for every program of the hook. */
static void
exec_init(struct bpf_exec *e, const struct bpf_hook_def *d, void *ctx,
          const struct bpf_hook_exec *x)
{
    /* Field by field: a compound literal would zero the struct first with
     * memset, which small C libraries (picolibc built for size) do a byte
     * at a time, on every event. The results are bpf_run()'s to set. */
    e->ctx = ctx;
    e->ctx_len = ctx != NULL ? d->ctx_size : 0;
    e->ctx_rights = (d->flags & BPF_HOOK_CTX_WRITE) ? BPF_REGION_READ | BPF_REGION_WRITE
                                                    : BPF_REGION_READ;
    e->stack = x->stack;
    e->stack_size = x->stack_size;
    e->regions = x->regions;
    e->nregions = x->nregions;
    e->budget = 0;
    e->hooks = x->services;
    e->user = x->user;
    e->r0 = 0;
    e->executed = 0;
}

/* Run @a once with @e (its budget: @a's, else @budget) and add it to @out. */
static void
run_one(struct bpf_attach *a, struct bpf_exec *e, uint64_t budget, struct bpf_hook_result *out)
{
    e->budget = a->budget != 0 ? a->budget : budget;
    int rc = bpf_run(a->prog, e);
    account(a, e, rc);
    out->ran++;
    out->insns += e->executed;
    /* The low 32 bits, signed: programs are C functions returning int,
     * whose -EPERM leaves the upper half of r0 zero. */
    if (rc == 0 && out->verdict == 0 && (a->rights & BPF_ATTACH_VERDICT)) {
        out->verdict = (int32_t)(uint32_t)e->r0;
    }
}

static uint64_t
hook_budget(const struct bpf_hook_def *d)
{
    return d->default_budget != 0 ? d->default_budget : BPF_DEFAULT_BUDGET;
}

/* Kept short: the kernel calls this from interrupt handlers and the context switch.
 * One struct bpf_exec serves every program; bpf_run() rewrites its results each run. */
void
bpf_hook_run(struct bpf_hook *h, void *ctx, uint32_t arg, const struct bpf_hook_exec *x,
             struct bpf_hook_result *res)
{
    const struct bpf_hook_def *d = h->def;
    bool match = (d->flags & BPF_HOOK_ARG_MATCH) != 0;
    uint64_t budget = hook_budget(d);
    struct bpf_hook_result out = { 0, 0, 0 };
    struct bpf_exec e;
    exec_init(&e, d, ctx, x);
    for (struct bpf_attach *a = h->first; a != NULL; a = a->next) {
        if (!a->disabled && (!match || a->arg == arg)) {
            run_one(a, &e, budget, &out);
        }
    }
    if (res != NULL) {
        *res = out;
    }
}

void
bpf_attach_run(struct bpf_attach *a, void *ctx, const struct bpf_hook_exec *x,
               struct bpf_hook_result *res)
{
    struct bpf_hook_result out = { 0, 0, 0 };
    struct bpf_hook *h = a->hook;
    if (h != NULL && !a->disabled) {
        struct bpf_exec e;
        exec_init(&e, h->def, ctx, x);
        run_one(a, &e, hook_budget(h->def), &out);
    }
    if (res != NULL) {
        *res = out;
    }
}

/* "123" or "0x7b" in full into *v; false on anything else or above UINT32_MAX. */
static bool
parse_u32(const char *s, uint32_t *v)
{
    unsigned base = 10;
    uint64_t n = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        unsigned digit;
        if (*s >= '0' && *s <= '9') {
            digit = (unsigned)(*s - '0');
        } else if (base == 16 && *s >= 'a' && *s <= 'f') {
            digit = (unsigned)(*s - 'a' + 10);
        } else if (base == 16 && *s >= 'A' && *s <= 'F') {
            digit = (unsigned)(*s - 'A' + 10);
        } else {
            return false;
        }
        n = n * base + digit;
        if (n > UINT32_MAX) {
            return false;
        }
    }
    *v = (uint32_t)n;
    return true;
}

int
bpf_hook_parse(struct bpf_hook *const *hooks, unsigned nhooks, const char *spec,
               uint32_t *arg)
{
    uint32_t v = 0;
    if (arg != NULL) {
        *arg = 0;
    }
    if (spec == NULL || (hooks == NULL && nhooks != 0)) {
        return -EINVAL;
    }
    const char *colon = strchr(spec, ':');
    size_t len = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
    for (unsigned k = 0; k < nhooks; k++) {
        const struct bpf_hook_def *d = hooks[k]->def;
        if (strncmp(d->name, spec, len) != 0 || d->name[len] != '\0') {
            continue;
        }
        bool takes = (d->flags & BPF_HOOK_ARG) != 0;
        if (takes != (colon != NULL)) {
            return -EINVAL;
        }
        if (takes && (!parse_u32(colon + 1, &v) || v < d->arg_min || v > d->arg_max)) {
            return -EINVAL;
        }
        if (arg != NULL) {
            *arg = v;
        }
        return (int)k;
    }
    return -ENOENT;
}
