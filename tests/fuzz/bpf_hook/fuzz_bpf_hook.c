/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the program registry and hook dispatch (bpf/registry.c,
 * bpf/hook.c). An input is an ELF object (the clang-built test programs are the
 * seeds) or, after two option bytes, raw instructions this harness wraps into an
 * object with an array, a hash, a ring buffer, .rodata and .bss (lddw src 1 with
 * imm 0-4 names them). It is loaded through bpf_registry_load() onto up to three
 * hooks: "ro" (read-only context), "rw" (writable context, verdicts) and "arg" (no
 * context, runs matched by argument, no trace output); bpf_hook_run() and
 * bpf_attach_run() run it a few times, and between runs its maps are walked,
 * changed and drained through the registry's map functions. Checked: a read-only
 * context, .rodata and the relocated code are unchanged by runs; results and each
 * program's statistics add up with the budgets; map iteration ends; reaping and
 * unloading give every block back. Contexts, the run stack, every registry block
 * and every key, value and record buffer are allocated to their exact sizes, so the
 * sanitizers see any access outside what a run or a call was granted.
 */
#include <pica/bpf_hook.h>

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "fuzz_bpf_hook: check failed at line %d: %s\n", __LINE__, #c); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

#define MAX_RAW_INSNS  512
#define HOOK_BUDGET    5000
#define ID_PROBE       2000 /* the harness's helper: probe_mem(addr, len) */
#define NHOOKS         3

/* ---- the environment: exact allocations, a lock that must not nest ---- */
static unsigned allocs, frees, lock_depth, notices;

static void *
env_alloc(size_t size)
{
    void *p = malloc(size);
    CHECK(p != NULL && ((uintptr_t)p & 7) == 0);
    allocs++;
    return p;
}

static void
env_free(void *p)
{
    CHECK(p != NULL);
    frees++;
    free(p);
}

static unsigned
env_lock(void)
{
    CHECK(lock_depth == 0);
    lock_depth++;
    return 0xa5;
}

static void
env_unlock(unsigned key)
{
    CHECK(key == 0xa5 && lock_depth == 1);
    lock_depth--;
}

static void
env_attached(struct bpf_hook *h, struct bpf_attach *a, bool on)
{
    CHECK(lock_depth == 0 && a->hook == (on ? h : NULL));
    notices++;
}

/* Writes what a program passes if bpf_vm_mem() grants it for writing, else reads it
 * if granted for reading, as helpers must check: a read-only context or .rodata handed
 * out for writing would show after the run. At entry r1 and r2 are the context and
 * its size, so `call 2000` alone probes the context. */
static uint64_t
probe_mem(struct bpf_vm *vm, uint64_t addr, uint64_t len, uint64_t r3, uint64_t r4,
          uint64_t r5)
{
    (void)r3, (void)r4, (void)r5;
    if (len > 4096) {
        return 0;
    }
    uint8_t *w = bpf_vm_mem(vm, addr, len, BPF_REGION_WRITE);
    const uint8_t *p = w != NULL ? w : bpf_vm_mem(vm, addr, len, BPF_REGION_READ);
    uint64_t sum = 0;
    for (uint64_t k = 0; p != NULL && k < len; k++) {
        sum += p[k];
        if (w != NULL) {
            w[k] = 0x3c;
        }
    }
    return p == NULL ? 0 : 1 + (w != NULL ? 0x100u : 0u) + (sum & 0xff);
}

static struct bpf_helper helpers[16];
static unsigned nhelpers;

static uint32_t all_ids[16], quiet_ids[16];
static unsigned nall, nquiet;

static void
helpers_init(void)
{
    nhelpers = nall = nquiet = 0;
    for (unsigned k = 0; k < bpf_helpers_std_count; k++) {
        helpers[nhelpers++] = bpf_helpers_std[k];
    }
    helpers[nhelpers++] = (struct bpf_helper){ ID_PROBE, 2, "probe_mem", probe_mem, 0 };
    for (unsigned k = 0; k < nhelpers; k++) {
        all_ids[nall++] = helpers[k].id;
        if (helpers[k].id != BPF_FUNC_trace_printk) {
            quiet_ids[nquiet++] = helpers[k].id;
        }
    }
}

static uint64_t clock_ns;
static size_t traced;

static uint64_t
svc_time(void *user)
{
    (void)user;
    return clock_ns += 1000;
}

static void
svc_trace(void *user, const char *text, size_t len)
{
    (void)user;
    CHECK(text != NULL);
    for (size_t k = 0; k < len; k++) {
        traced += text[k] != '\0';
    }
}

static const struct bpf_hooks services = { .time_ns = svc_time, .trace = svc_trace };

/* ---- raw instructions wrapped into an object ---- */
static uint8_t image[64 + 8 * MAX_RAW_INSNS + 1024] __attribute__((aligned(8)));

static const uint8_t rodata[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void
put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static void
section(uint8_t *h, uint32_t name, uint32_t type, uint64_t flags, uint64_t off, uint64_t size,
        uint32_t link, uint32_t info, uint64_t entsize)
{
    put32(h, name);
    put32(h + 4, type);
    put64(h + 8, flags);
    put64(h + 24, off);
    put64(h + 32, size);
    put32(h + 40, link);
    put32(h + 44, info);
    put64(h + 56, entsize);
}

/* Sections: 1 pica/fuzz (the code), 2 maps (legacy: arr, hash, ring), 3 .rodata,
 * 4 .bss, 5 .strtab, 6 .symtab. Returns the image's length. */
static size_t
wrap_insns(const uint8_t *code, size_t len)
{
    static const char strtab[] = "\0pica/fuzz\0maps\0.rodata\0.bss\0.strtab\0.symtab\0"
                                 "arr\0hash\0ring";
    static const uint32_t defs[3][5] = {
        { BPF_MAP_TYPE_ARRAY, 4, 24, 4, 0 },
        { BPF_MAP_TYPE_HASH, 8, 16, 8, 0 },
        { BPF_MAP_TYPE_RINGBUF, 0, 0, 256, 0 },
    };
    static const uint32_t sym_names[3] = { 45, 49, 54 }; /* "arr", "hash", "ring" */
    memset(image, 0, sizeof image);
    size_t text = 64, maps = text + len, ro = maps + 64, str = ro + 16;
    size_t sym = (str + sizeof strtab + 7) & ~(size_t)7, sh = sym + 4 * 24;
    memcpy(image, "\177ELF\2\1\1", 7);
    image[16] = 1;   /* ET_REL */
    image[18] = 247; /* EM_BPF */
    image[20] = 1;
    put64(image + 40, sh);
    image[52] = 64;
    image[58] = 64;
    image[60] = 7; /* sections */
    image[62] = 5; /* .strtab names them */
    memcpy(image + text, code, len);
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned f = 0; f < 5; f++) {
            put32(image + maps + 20 * k + 4 * f, defs[k][f]);
        }
        uint8_t *s = image + sym + 24 * (k + 1);
        put32(s, sym_names[k]);
        s[4] = 0x11; /* global object */
        s[6] = 2;    /* in maps */
        put64(s + 8, 20 * k);
        put64(s + 16, 20);
    }
    memcpy(image + ro, rodata, sizeof rodata);
    memcpy(image + str, strtab, sizeof strtab);
    section(image + sh + 64, 1, 1, 6, text, len, 0, 0, 8);
    section(image + sh + 128, 11, 1, 3, maps, 60, 0, 0, 0);
    section(image + sh + 192, 16, 1, 2, ro, sizeof rodata, 0, 0, 0);
    section(image + sh + 256, 24, 8, 3, ro, 40, 0, 0, 0);
    section(image + sh + 320, 29, 3, 0, str, sizeof strtab, 0, 0, 1);
    section(image + sh + 384, 37, 2, 0, sym, 4 * 24, 5, 1, 24);
    return sh + 7 * 64;
}

/* ---- one input ---- */
struct loaded {
    int id;                 /* > 0 if it loaded */
    struct bpf_hook *hook;
    uint64_t budget;
    uint64_t expected_runs; /* runs it must have had */
    struct bpf_insn *code;  /* the relocated program as loaded */
    uint32_t ncode;
    uint8_t *ro_values;     /* each read-only map's value as loaded, in map order */
    size_t ro_len;
};

struct fuzz {
    struct bpf_registry reg;
    struct bpf_registry_env env;
    struct bpf_hook_def defs[NHOOKS];
    struct bpf_hook hooks[NHOOKS];
    struct bpf_hook *hook_list[NHOOKS];
    struct bpf_hook_exec x;
    struct loaded progs[NHOOKS];
    uint32_t arg;           /* what the arg hook's program is attached with */
    uint64_t rng;
};

static uint32_t
rnd(struct fuzz *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return (uint32_t)(f->rng >> 11);
}

static void
hooks_init(struct fuzz *f, uint8_t opt)
{
    /* sizes 16 and 24 for option 0 (the seeds' hook.c reads 16), 0 among the others */
    f->defs[0] = (struct bpf_hook_def){ .name = "ro", .ctx_size = (opt ^ 16) % 64,
                                        .helpers = all_ids, .nhelpers = nall,
                                        .default_budget = HOOK_BUDGET };
    f->defs[1] = (struct bpf_hook_def){
        .name = "rw", .ctx_size = (uint16_t)(((opt / 4) * 3) ^ 24),
        .flags = BPF_HOOK_CTX_WRITE | BPF_HOOK_VERDICT, .helpers = all_ids, .nhelpers = nall,
        .default_budget = HOOK_BUDGET };
    f->defs[2] = (struct bpf_hook_def){
        .name = "arg", .ctx_size = 16, .flags = BPF_HOOK_ISR | BPF_HOOK_ARG | BPF_HOOK_ARG_MATCH,
        .helpers = quiet_ids, .nhelpers = nquiet, .default_budget = HOOK_BUDGET, .arg_max = 7 };
    for (unsigned k = 0; k < NHOOKS; k++) {
        f->hooks[k] = (struct bpf_hook){ &f->defs[k], NULL };
        f->hook_list[k] = &f->hooks[k];
    }
}

/* The values of the program's read-only maps (.rodata), read through the registry. */
static size_t
ro_snapshot(struct fuzz *f, int id, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (unsigned k = 0; k < BPF_ELF_MAX_MAPS; k++) {
        char name[4];
        snprintf(name, sizeof name, "#%u", k);
        struct bpf_map *m = bpf_registry_map(&f->reg, (uint32_t)id, name);
        if (m == NULL) {
            break;
        }
        if (!(m->def.flags & BPF_F_RDONLY_PROG) || m->def.type != BPF_MAP_TYPE_ARRAY ||
            n + m->def.value_size > cap) {
            continue;
        }
        uint32_t zero = 0;
        CHECK(bpf_registry_map_lookup(&f->reg, (uint32_t)id, name, &zero, out + n) == 0);
        n += m->def.value_size;
    }
    return n;
}

static void
load_on(struct fuzz *f, unsigned k, const uint8_t *elf, size_t len, const char *section,
        uint8_t opt)
{
    static const uint64_t budgets[4] = { 0, 50, 1000, 20000 };
    char spec[8];
    if (k == 2) {
        snprintf(spec, sizeof spec, "arg:%u", (unsigned)f->arg);
    } else {
        snprintf(spec, sizeof spec, "%s", f->defs[k].name);
    }
    struct bpf_load_req req = { .elf = elf, .len = len, .section = section, .hook = spec,
                                .rights = k == 1 ? BPF_ATTACH_VERDICT : 0,
                                .budget = budgets[(opt >> 5) & 3],
                                .max_overruns = (opt & 0x80) ? 1 : 0 };
    struct bpf_load_err err;
    struct loaded *p = &f->progs[k];
    *p = (struct loaded){ .hook = &f->hooks[k] };
    p->id = bpf_registry_load(&f->reg, &req, &err);
    if (p->id <= 0) {
        CHECK(err.code == p->id && memchr(err.msg, '\0', sizeof err.msg) != NULL);
        return;
    }
    struct bpf_loaded *l = bpf_registry_find(&f->reg, (uint32_t)p->id);
    CHECK(l != NULL && l->att.hook == &f->hooks[k] && l->mem <= f->env.max_mem);
    p->budget = req.budget != 0 ? req.budget : HOOK_BUDGET;
    p->ncode = l->obj.ninsns;
    p->code = malloc(p->ncode * sizeof *p->code);
    memcpy(p->code, l->obj.insns, p->ncode * sizeof *p->code);
    uint8_t ro[4096];
    p->ro_len = ro_snapshot(f, p->id, ro, sizeof ro);
    p->ro_values = malloc(p->ro_len + 1);
    memcpy(p->ro_values, ro, p->ro_len);
}

/* Run hook @k with a context of its size (NULL for the arg hook) and check it. */
static void
run_hook(struct fuzz *f, unsigned k, uint32_t arg, bool alone)
{
    struct loaded *p = &f->progs[k];
    struct bpf_loaded *l = p->id > 0 ? bpf_registry_find(&f->reg, (uint32_t)p->id) : NULL;
    size_t size = k == 2 ? 0 : f->defs[k].ctx_size;
    uint8_t *ctx = size != 0 ? malloc(size) : NULL;
    uint8_t *copy = size != 0 ? malloc(size) : NULL;
    for (size_t i = 0; i < size; i++) {
        ctx[i] = copy[i] = (uint8_t)(i * 37 + k);
    }
    bool runs = l != NULL && !l->att.disabled && (k != 2 || arg == f->arg || alone);
    struct bpf_hook_result res;
    CHECK(lock_depth == 0);
    if (alone && l != NULL) {
        bpf_attach_run(&l->att, ctx, &f->x, &res);
    } else {
        bpf_hook_run(&f->hooks[k], ctx, arg, &f->x, &res);
    }
    p->expected_runs += runs;
    CHECK(res.ran == (runs ? 1u : 0u) && res.insns <= (runs ? p->budget : 0));
    CHECK(res.verdict == 0 || (k == 1 && runs));
    if (k == 0 && size != 0) {
        CHECK(memcmp(ctx, copy, size) == 0); /* read-only to programs */
    }
    free(ctx);
    free(copy);
}

/* Walk a keyed map through the registry: every key found has a value, the walk ends
 * within max_entries keys; then one update and one delete of script-chosen keys. */
static void
exercise_keyed(struct fuzz *f, uint32_t id, const char *name, const struct bpf_map_def *d)
{
    uint8_t *key = malloc(d->key_size), *next = malloc(d->key_size);
    uint8_t *value = malloc(d->value_size);
    int rc = bpf_registry_map_next_key(&f->reg, id, name, NULL, next);
    uint32_t walked = 0;
    while (rc == 0) {
        CHECK(++walked <= d->max_entries);
        memcpy(key, next, d->key_size);
        CHECK(bpf_registry_map_lookup(&f->reg, id, name, key, value) == 0);
        rc = bpf_registry_map_next_key(&f->reg, id, name, key, next);
    }
    CHECK(rc == -ENOENT);
    for (uint32_t i = 0; i < d->key_size; i++) {
        key[i] = (uint8_t)(i == 0 ? rnd(f) % (d->max_entries + 2) : 0);
    }
    for (uint32_t i = 0; i < d->value_size; i++) {
        value[i] = (uint8_t)rnd(f);
    }
    bool ro = d->flags & BPF_F_RDONLY_PROG;
    if (!ro) { /* the host may change .rodata, but then the snapshot would differ */
        rc = bpf_registry_map_update(&f->reg, id, name, key, value, rnd(f) % 4);
        CHECK(rc == 0 || rc == -EEXIST || rc == -ENOENT || rc == -E2BIG || rc == -EINVAL);
        rc = bpf_registry_map_delete(&f->reg, id, name, key);
        CHECK(rc == 0 || rc == -ENOENT || rc == -EINVAL);
    }
    free(key);
    free(next);
    free(value);
}

/* Drain a few records into buffers of script-chosen sizes. */
static void
exercise_ring(struct fuzz *f, uint32_t id, const char *name)
{
    uint8_t key[4] = { 0 }, value[4];
    CHECK(bpf_registry_map_lookup(&f->reg, id, name, key, value) == -EINVAL);
    for (unsigned n = 0; n < 4; n++) {
        uint32_t cap = 1 + rnd(f) % 64;
        uint8_t *buf = malloc(cap);
        int rc = bpf_registry_ringbuf_consume(&f->reg, id, name, buf, cap);
        free(buf);
        CHECK(rc == -EAGAIN || rc == -ENOSPC || (rc >= 0 && (uint32_t)rc <= cap));
        if (rc == -EAGAIN) {
            break;
        }
    }
}

static void
exercise_maps(struct fuzz *f, const struct loaded *p)
{
    for (unsigned k = 0; k < BPF_ELF_MAX_MAPS; k++) {
        char name[4];
        snprintf(name, sizeof name, "#%u", k);
        struct bpf_map *m = bpf_registry_map(&f->reg, (uint32_t)p->id, name);
        if (m == NULL) {
            break;
        }
        struct bpf_map_def d = m->def;
        if (d.type == BPF_MAP_TYPE_RINGBUF) {
            exercise_ring(f, (uint32_t)p->id, name);
        } else if (d.key_size <= 4096 && d.value_size <= 4096) {
            exercise_keyed(f, (uint32_t)p->id, name, &d);
        }
    }
}

/* After the runs: the code and .rodata as loaded, statistics that add up. */
static void
check_program(struct fuzz *f, const struct loaded *p)
{
    struct bpf_loaded *l = bpf_registry_find(&f->reg, (uint32_t)p->id);
    struct bpf_prog_stats st;
    CHECK(l != NULL && l->obj.ninsns == p->ncode);
    CHECK(memcmp(l->obj.insns, p->code, p->ncode * sizeof *p->code) == 0);
    uint8_t ro[4096];
    CHECK(ro_snapshot(f, p->id, ro, sizeof ro) == p->ro_len);
    CHECK(memcmp(ro, p->ro_values, p->ro_len) == 0);
    CHECK(bpf_registry_stats(&f->reg, (uint32_t)p->id, &st) == 0);
    CHECK(st.runs == p->expected_runs && st.overruns + st.errors <= st.runs);
    CHECK(st.max_insns <= p->budget && st.insns <= st.runs * p->budget);
    CHECK(!l->att.disabled || (l->att.max_overruns != 0 && st.overruns >= l->att.max_overruns));
    CHECK((st.overruns + st.errors == 0) == (st.last_error == 0));
}

static void
fuzz_init(struct fuzz *f, const uint8_t *data, size_t size, uint8_t opt_ctx)
{
    static uint64_t stack_probe;
    memset(f, 0, sizeof *f);
    hooks_init(f, opt_ctx);
    f->env = (struct bpf_registry_env){
        .alloc = env_alloc, .free = env_free, .lock = env_lock, .unlock = env_unlock,
        .hooks = f->hook_list, .nhooks = NHOOKS, .helpers = helpers, .nhelpers = nhelpers,
        .max_object = 1 << 20, .max_mem = 1 << 20, .max_overruns = 3,
        .attached = env_attached,
    };
    bpf_registry_init(&f->reg, &f->env);
    f->x = (struct bpf_hook_exec){ .stack = malloc(2 * BPF_STACK_SIZE),
                                   .stack_size = 2 * BPF_STACK_SIZE, .services = &services,
                                   .user = &stack_probe };
    f->arg = opt_ctx >> 6;
    f->rng = 0x9e3779b97f4a7c15ull;
    for (size_t k = 0; k < size; k++) {
        f->rng = (f->rng ^ data[k]) * 0x100000001b3ull;
    }
    f->rng |= 1;
}

/* Programs of the seed objects (tests/bpf-progs); an object's hooks take three of
 * them in turn (NULL: the first program), so seeds run each. */
static const char *const elf_sections[8] = {
    NULL, "pica/trace", "pica/maps", "pica/globals", "pica/calls", "pica/ctl_print",
    "bounds/inside", "bench/bubble",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz f;
    if (size < 2) {
        return 0;
    }
    if (nhelpers == 0) {
        helpers_init();
    }
    allocs = frees = lock_depth = notices = 0;
    /* an ELF object whole (options from its last bytes), or options and instructions */
    bool elf = size >= 4 && memcmp(data, "\177ELF", 4) == 0;
    uint8_t opt = elf ? data[size - 1] : data[0], opt_ctx = elf ? data[size - 2] : data[1];
    unsigned pick = elf ? data[size - 3] : 0;
    const uint8_t *obj = data;
    size_t len = size;
    if (!elf) {
        size_t n = (size - 2) / 8 < MAX_RAW_INSNS ? (size - 2) / 8 : MAX_RAW_INSNS;
        len = wrap_insns(data + 2, n * 8);
        obj = image;
    }
    fuzz_init(&f, data, size, opt_ctx);
    unsigned which = (opt >> 2) & 7;
    for (unsigned k = 0; k < NHOOKS; k++) {
        if (which == 0 || (which & (1u << k))) {
            load_on(&f, k, obj, len, elf ? elf_sections[(k + pick) % 8] : "pica/fuzz", opt);
        }
    }
    unsigned rounds = 1 + (opt & 3);
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned k = 0; k < NHOOKS; k++) {
            run_hook(&f, k, k == 2 ? rnd(&f) % 4 : 0, (rnd(&f) & 3) == 0);
            if (f.progs[k].id > 0) {
                exercise_maps(&f, &f.progs[k]);
            }
        }
    }
    unsigned live = 0, disabled = 0;
    for (unsigned k = 0; k < NHOOKS; k++) {
        struct loaded *p = &f.progs[k];
        if (p->id > 0) {
            check_program(&f, p);
            live++;
            disabled += bpf_registry_find(&f.reg, (uint32_t)p->id)->att.disabled;
        }
    }
    CHECK(f.reg.count == live && notices == live);
    CHECK(bpf_registry_reap(&f.reg) == disabled);
    for (unsigned k = 0; k < NHOOKS; k++) {
        struct loaded *p = &f.progs[k];
        if (p->id > 0) {
            int rc = bpf_registry_unload(&f.reg, (uint32_t)p->id, 0);
            CHECK(rc == 0 || (rc == -ENOENT && bpf_registry_find(&f.reg, (uint32_t)p->id) == NULL));
        }
        free(p->code);
        free(p->ro_values);
        CHECK(f.hooks[k].first == NULL);
    }
    CHECK(f.reg.count == 0 && f.reg.mem == 0 && allocs == frees && notices == 2 * live);
    free(f.x.stack);
    return 0;
}
