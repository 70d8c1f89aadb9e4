/* SPDX-License-Identifier: MIT */
/* The program registry (bpf/registry.c) with the clang-built tests/bpf-progs/hook.c:
 * load, run through the hook, map access under the lock, refusals with their
 * messages, size limits, allocation failure, owners, overrun disabling and reaping,
 * and load/unload cycles. The test environment counts allocations, checks the lock
 * is never nested nor held across env->attached, and records attach notices. */
#include "bpf_test_util.h"

#include <pica/bpf_elf.h>
#include <pica/bpf_hook.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hook_ctx {
    uint32_t arg;
    uint32_t pad;
    int64_t value;
};

static const uint32_t all_ids[] = { 1, 2, 3, 5, 6, 7, 130 };
static const uint32_t irq_ids[] = { BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,
                                    BPF_FUNC_map_delete_elem, BPF_FUNC_ringbuf_output };
static const struct bpf_hook_def sw_def = {
    .name = "switch", .ctx_size = sizeof(struct hook_ctx),
    .flags = BPF_HOOK_VERDICT | BPF_HOOK_CTX_WRITE, .helpers = all_ids, .nhelpers = 7,
};
static const struct bpf_hook_def irq_def = {
    .name = "irq", .ctx_size = sizeof(struct hook_ctx),
    .flags = BPF_HOOK_ISR | BPF_HOOK_ARG | BPF_HOOK_ARG_MATCH, .helpers = irq_ids,
    .nhelpers = 4, .arg_max = 31,
};
static const struct bpf_hook_def timer_def = {
    .name = "timer", .ctx_size = sizeof(struct hook_ctx), .flags = BPF_HOOK_ARG,
    .arg_min = 1, .arg_max = 10000, /* no helpers */
};
static struct bpf_hook sw = { &sw_def, NULL }, irq = { &irq_def, NULL },
                       timer = { &timer_def, NULL };
static struct bpf_hook *const hooks[] = { &sw, &irq, &timer };

/* ---- the test environment ---- */
static unsigned allocs, frees, locks, lock_depth, notices_on, notices_off;
static bool fail_next_alloc;
static struct bpf_attach *last_notice;

static void *
t_alloc(size_t size)
{
    if (fail_next_alloc) {
        fail_next_alloc = false;
        return NULL;
    }
    void *p = malloc(size);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p & 7, 0);
    allocs++;
    return p;
}

static void
t_free(void *p)
{
    assert_non_null(p);
    frees++;
    free(p);
}

static unsigned
t_lock(void)
{
    assert_int_equal(lock_depth, 0);
    lock_depth++;
    locks++;
    return 0x5a5a;
}

static void
t_unlock(unsigned key)
{
    assert_int_equal(key, 0x5a5a);
    assert_int_equal(lock_depth, 1);
    lock_depth--;
}

static void
t_attached(struct bpf_hook *h, struct bpf_attach *a, bool on)
{
    assert_int_equal(lock_depth, 0);
    assert_ptr_equal(a->hook, on ? h : NULL);
    *(on ? &notices_on : &notices_off) += 1;
    last_notice = a;
}

static struct bpf_registry_env env;
static struct bpf_registry reg;
static uint8_t image[1 << 16];
static size_t image_len;
static uint64_t stack[2 * BPF_STACK_SIZE / 8];
static const struct bpf_hook_exec hx = { .stack = stack, .stack_size = sizeof(stack) };

static int
setup(void **state)
{
    (void)state;
    allocs = frees = locks = lock_depth = notices_on = notices_off = 0;
    fail_next_alloc = false;
    last_notice = NULL;
    sw.first = irq.first = timer.first = NULL;
    env = (struct bpf_registry_env){
        .alloc = t_alloc, .free = t_free, .lock = t_lock, .unlock = t_unlock,
        .hooks = hooks, .nhooks = 3, .max_object = sizeof(image), .max_mem = 1 << 16,
        .attached = t_attached,
    };
    bpf_registry_init(&reg, &env);
    if (image_len == 0) {
        image_len = bpf_test_read_file(PICA_BPF_PROGS_DIR "/hook.o", image, sizeof(image));
    }
    assert_true(image_len > 0 && image_len < sizeof(image));
    return 0;
}

/* Everything unloaded and freed, the lock released. */
static int
teardown(void **state)
{
    (void)state;
    while (reg.first != NULL) {
        assert_int_equal(bpf_registry_unload(&reg, reg.first->id, 0), 0);
    }
    assert_int_equal(allocs, frees);
    assert_int_equal(lock_depth, 0);
    assert_int_equal(reg.mem, 0);
    assert_int_equal(reg.count, 0);
    return 0;
}

static struct bpf_load_err lerr;

static int
load(const char *section, const char *hook, uint32_t owner, uint32_t rights)
{
    struct bpf_load_req req = { .elf = image, .len = image_len, .section = section,
                                .hook = hook, .owner = owner, .rights = rights };
    memset(&lerr, 0x55, sizeof(lerr));
    int rc = bpf_registry_load(&reg, &req, &lerr);
    if (rc < 0) {
        print_message("load %s at %s: %d %s\n", section, hook, rc, lerr.msg);
        assert_int_equal(lerr.code, rc);
    }
    return rc;
}

static struct bpf_hook_result
fire(struct bpf_hook *h, uint32_t arg, int64_t value)
{
    struct hook_ctx c = { .arg = arg, .value = value };
    struct bpf_hook_result res;
    bpf_hook_run(h, &c, arg, &hx, &res);
    return res;
}

static uint64_t
read_u64(int id, const char *map, uint32_t key)
{
    uint64_t v = 0;
    assert_int_equal(bpf_registry_map_lookup(&reg, (uint32_t)id, map, &key, &v), 0);
    return v;
}

static void
test_load_runs_at_its_hook_and_maps_are_reachable(void **state)
{
    (void)state;
    int id = load("pica/count", "irq:5", 0, 0);
    assert_true(id > 0);
    struct bpf_loaded *l = bpf_registry_find(&reg, (uint32_t)id);
    assert_non_null(l);
    assert_string_equal(l->name, "pica/count");
    assert_int_equal(l->mem, reg.mem);
    assert_int_equal(allocs - frees, 1);
    assert_int_equal(notices_on, 1);
    assert_ptr_equal(last_notice, &l->att);
    assert_ptr_equal(irq.first, &l->att);
    char spec[16];
    assert_int_equal(bpf_registry_hook_spec(l, spec, sizeof(spec)), 5);
    assert_string_equal(spec, "irq:5");
    for (int k = 0; k < 3; k++) {
        assert_int_equal(fire(&irq, 5, 0).ran, 1);
    }
    assert_int_equal(fire(&irq, 6, 0).ran, 0);
    assert_int_equal(read_u64(id, "runs", 0), 3);
    assert_int_equal(read_u64(id, "by_arg", 5), 3);
    /* the host's update is what the next run sees */
    uint32_t zero = 0;
    uint64_t step = 10;
    assert_int_equal(bpf_registry_map_update(&reg, (uint32_t)id, "config", &zero, &step, BPF_ANY),
                     0);
    fire(&irq, 5, 0);
    assert_int_equal(read_u64(id, "runs", 0), 13);
    /* one ring buffer record per run, oldest first */
    uint64_t rec[2];
    assert_int_equal(bpf_registry_ringbuf_consume(&reg, (uint32_t)id, "events", rec, 16), 16);
    assert_int_equal(rec[0], 5);
    assert_int_equal(rec[1], 1);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(bpf_registry_ringbuf_consume(&reg, (uint32_t)id, "events", rec, 16),
                         16);
    }
    assert_int_equal(rec[1], 13);
    assert_int_equal(bpf_registry_ringbuf_consume(&reg, (uint32_t)id, "events", rec, 16),
                     -EAGAIN);
    /* walking the hash */
    uint32_t key = 0;
    assert_int_equal(bpf_registry_map_next_key(&reg, (uint32_t)id, "by_arg", NULL, &key), 0);
    assert_int_equal(key, 5);
    assert_int_equal(bpf_registry_map_next_key(&reg, (uint32_t)id, "by_arg", &key, &key),
                     -ENOENT);
    struct bpf_prog_stats st;
    assert_int_equal(bpf_registry_stats(&reg, (uint32_t)id, &st), 0);
    assert_int_equal(st.runs, 4);
    assert_int_equal(st.errors + st.overruns, 0);
    assert_true(st.insns > 4 * 10);
    assert_int_equal(bpf_registry_unload(&reg, (uint32_t)id, 0), 0);
    assert_int_equal(notices_off, 1);
    assert_null(irq.first);
    assert_int_equal(allocs, frees);
    assert_int_equal(bpf_registry_stats(&reg, (uint32_t)id, &st), -ENOENT);
    assert_null(bpf_registry_find(&reg, (uint32_t)id));
}

static void
test_map_access_refusals(void **state)
{
    (void)state;
    uint32_t id = (uint32_t)load("pica/count", "irq:5", 0, 0);
    uint32_t key = 5, zero = 0;
    uint64_t v = 1;
    unsigned before = locks;
    assert_int_equal(bpf_registry_map_lookup(&reg, id, "by_arg", &key, &v), -ENOENT);
    assert_int_equal(locks, before + 1); /* looked up under the lock */
    assert_int_equal(bpf_registry_map_lookup(&reg, id, "events", &zero, &v), -EINVAL);
    assert_int_equal(bpf_registry_map_lookup(&reg, id, "nope", &zero, &v), -ENOENT);
    assert_int_equal(bpf_registry_map_lookup(&reg, id + 1, "runs", &zero, &v), -ENOENT);
    assert_int_equal(bpf_registry_map_update(&reg, id, "events", &zero, &v, BPF_ANY), -EINVAL);
    assert_int_equal(bpf_registry_map_next_key(&reg, id, "nope", NULL, &v), -ENOENT);
    zero = 1; /* past the one-element array */
    assert_int_equal(bpf_registry_map_lookup(&reg, id, "runs", &zero, &v), -ENOENT);
    assert_int_equal(bpf_registry_map_update(&reg, id, "runs", &zero, &v, BPF_ANY), -E2BIG);
    assert_int_equal(bpf_registry_map_update(&reg, id, "by_arg", &key, &v, BPF_NOEXIST), 0);
    assert_int_equal(bpf_registry_map_update(&reg, id, "by_arg", &key, &v, BPF_NOEXIST),
                     -EEXIST);
    assert_int_equal(bpf_registry_map_delete(&reg, id, "by_arg", &key), 0);
    assert_int_equal(bpf_registry_map_delete(&reg, id, "by_arg", &key), -ENOENT);
    assert_int_equal(bpf_registry_map_delete(&reg, id, "runs", &zero), -EINVAL);
    assert_int_equal(bpf_registry_ringbuf_consume(&reg, id, "runs", &v, 8), -EINVAL);
    assert_int_equal(bpf_registry_ringbuf_consume(&reg, id, "nope", &v, 8), -ENOENT);
    assert_int_equal(lock_depth, 0);
    /* maps by number: "#N" is the N-th map, by name the same object */
    struct bpf_map *runs = bpf_registry_map(&reg, id, "runs");
    assert_non_null(runs);
    bool found = false;
    for (unsigned n = 0; n < BPF_ELF_MAX_MAPS; n++) {
        char name[8];
        snprintf(name, sizeof(name), "#%u", n);
        found |= bpf_registry_map(&reg, id, name) == runs;
    }
    assert_true(found);
    /* four in .maps, and .rodata (the format string of pica/trace) */
    assert_int_equal(bpf_registry_find(&reg, id)->obj.nmaps, 5);
    assert_non_null(bpf_registry_map(&reg, id, "#4"));
    assert_null(bpf_registry_map(&reg, id, "#5"));
    assert_null(bpf_registry_map(&reg, id, "#"));
    assert_null(bpf_registry_map(&reg, id, "#1x"));
    assert_null(bpf_registry_map(&reg, id, "#99999999999"));
    assert_null(bpf_registry_map(&reg, id + 1, "runs"));
}

static void
test_verdict_right_on_verdict_hook_only(void **state)
{
    (void)state;
    int id = load("pica/count", "switch", 0, BPF_ATTACH_VERDICT);
    assert_true(id > 0);
    assert_int_equal(fire(&sw, 0, 42).verdict, 42);
    char spec[16];
    assert_int_equal(bpf_registry_hook_spec(bpf_registry_find(&reg, (uint32_t)id), spec, 4), 6);
    assert_string_equal(spec, "swi"); /* cut, terminated, full length returned */
    assert_int_equal(load("pica/count", "irq:1", 0, BPF_ATTACH_VERDICT), -EPERM);
    assert_string_equal(lerr.msg, "hook irq takes no verdicts");
    assert_int_equal(allocs - frees, 1);
}

static void
test_helper_not_allowed_refused_naming_it(void **state)
{
    (void)state;
    assert_int_equal(load("pica/trace", "irq:1", 0, 0), -EINVAL);
    assert_non_null(strstr(lerr.msg, "insn "));
    assert_non_null(strstr(lerr.msg, "(opcode 0x85 call): helper trace_printk is not allowed "
                                     "at hook irq"));
    assert_int_equal(load("pica/trace", "timer:100", 0, 0), -EINVAL);
    assert_non_null(strstr(lerr.msg, "helper trace_printk is not allowed at hook timer"));
    /* a hook with no helpers at all also refuses the map helpers */
    assert_int_equal(load("pica/count", "timer:100", 0, 0), -EINVAL);
    assert_non_null(strstr(lerr.msg, "helper map_lookup_elem is not allowed at hook timer"));
    assert_int_equal(allocs, frees);
    assert_int_equal(reg.count, 0);
    assert_true(load("pica/trace", "switch", 0, 0) > 0);
}

static void
test_size_limits(void **state)
{
    (void)state;
    char want[128];
    env.max_object = image_len - 1;
    assert_int_equal(load("pica/count", "irq:1", 0, 0), -E2BIG);
    snprintf(want, sizeof(want), "object is %zu bytes; the limit is %zu", image_len,
             image_len - 1);
    assert_string_equal(lerr.msg, want);
    env.max_object = image_len;
    env.max_mem = 1000;
    assert_int_equal(load("pica/count", "irq:1", 0, 0), -E2BIG);
    assert_non_null(strstr(lerr.msg, "program needs "));
    assert_non_null(strstr(lerr.msg, " bytes; the limit is 1000"));
    assert_int_equal(allocs, 0); /* refused before allocating */
    /* exactly the block the registry reports fits */
    env.max_mem = 1 << 16;
    int id = load("pica/count", "irq:1", 0, 0);
    assert_true(id > 0);
    size_t need = bpf_registry_find(&reg, (uint32_t)id)->mem;
    assert_int_equal(bpf_registry_unload(&reg, (uint32_t)id, 0), 0);
    env.max_mem = need;
    assert_true(load("pica/count", "irq:1", 0, 0) > 0);
    env.max_mem = need - 1;
    assert_int_equal(load("pica/count", "irq:1", 0, 0), -E2BIG);
}

static void
test_alloc_failure_leaks_nothing(void **state)
{
    (void)state;
    fail_next_alloc = true;
    assert_int_equal(load("pica/count", "irq:1", 0, 0), -ENOMEM);
    assert_int_equal(allocs, 0);
    assert_int_equal(frees, 0);
    assert_int_equal(reg.count, 0);
    assert_null(irq.first);
    assert_int_equal(notices_on, 0);
    assert_true(load("pica/count", "irq:1", 0, 0) > 0);
}

static void
test_bad_requests_with_messages(void **state)
{
    (void)state;
    static const struct {
        const char *section, *hook;
        int rc;
        const char *msg;
    } bad[] = {
        { "pica/count", "nope", -ENOENT, "no hook 'nope'" },
        { "pica/count", "irq", -EINVAL, "hook irq needs an argument 0..31, as in irq:0" },
        { "pica/count", "irq:32", -EINVAL, "hook irq needs an argument 0..31, as in irq:0" },
        { "pica/count", "switch:3", -EINVAL, "hook switch takes no argument" },
        { "nope", "switch", -ENOENT, "no program 'nope' in the object" },
    };
    for (unsigned k = 0; k < N(bad); k++) {
        assert_int_equal(load(bad[k].section, bad[k].hook, 0, 0), bad[k].rc);
        assert_string_equal(lerr.msg, bad[k].msg);
    }
    static const char junk[100] = "not an object at all";
    struct bpf_load_req req = { .elf = junk, .len = sizeof(junk), .hook = "switch" };
    assert_int_equal(bpf_registry_load(&reg, &req, &lerr), -EINVAL);
    assert_string_equal(lerr.msg, "elf: not a 64-bit little-endian ELF image");
    req.hook = NULL;
    assert_int_equal(bpf_registry_load(&reg, &req, &lerr), -EINVAL);
    assert_int_equal(bpf_registry_load(&reg, NULL, NULL), -EINVAL);
    assert_int_equal(allocs, 0);
}

static void
test_names_from_request_or_section(void **state)
{
    (void)state;
    struct bpf_load_req req = { .elf = image, .len = image_len, .hook = "switch" };
    int id = bpf_registry_load(&reg, &req, &lerr); /* NULL section: the first program */
    assert_true(id > 0);
    assert_string_equal(bpf_registry_find(&reg, (uint32_t)id)->name, "pica/count");
    req.section = "pica/a_rather_long_section_name";
    id = bpf_registry_load(&reg, &req, &lerr);
    assert_string_equal(bpf_registry_find(&reg, (uint32_t)id)->name, "pica/a_rather_l");
    assert_int_equal(fire(&sw, 0, 0).ran, 2);
    req.name = "sixteen-chars-xx";
    id = bpf_registry_load(&reg, &req, &lerr);
    assert_string_equal(bpf_registry_find(&reg, (uint32_t)id)->name, "sixteen-chars-x");
    req.name = "short";
    id = bpf_registry_load(&reg, &req, &lerr);
    assert_string_equal(bpf_registry_find(&reg, (uint32_t)id)->name, "short");
    /* bpf_registry_at walks load order */
    assert_string_equal(bpf_registry_at(&reg, 0)->name, "pica/count");
    assert_string_equal(bpf_registry_at(&reg, 3)->name, "short");
    assert_null(bpf_registry_at(&reg, 4));
}

static void
test_owners_unload_their_own(void **state)
{
    (void)state;
    int a = load("pica/count", "irq:1", 7, 0);
    int b = load("pica/count", "irq:2", 8, 0);
    int c = load("pica/count", "irq:3", 7, 0);
    int d = load("pica/count", "irq:4", 0, 0);
    assert_true(a > 0 && b > a && c > b && d > c);
    assert_int_equal(bpf_registry_unload(&reg, (uint32_t)b, 7), -EPERM);
    assert_int_equal(bpf_registry_unload(&reg, 999, 0), -ENOENT);
    assert_int_equal(bpf_registry_unload_owner(&reg, 7), 2);
    assert_int_equal(reg.count, 2);
    assert_int_equal(notices_off, 2);
    assert_int_equal(bpf_registry_at(&reg, 0)->id, (uint32_t)b);
    assert_int_equal(bpf_registry_at(&reg, 1)->id, (uint32_t)d);
    assert_int_equal(fire(&irq, 1, 0).ran, 0);
    assert_int_equal(fire(&irq, 2, 0).ran, 1);
    assert_int_equal(bpf_registry_unload_owner(&reg, 7), 0);
    assert_int_equal(bpf_registry_unload(&reg, (uint32_t)b, 8), 0);
    assert_int_equal(bpf_registry_unload(&reg, (uint32_t)d, 0), 0); /* the kernel may */
    assert_int_equal(allocs, frees);
}

static void
test_overruns_disable_then_reap_frees(void **state)
{
    (void)state;
    struct bpf_load_req req = { .elf = image, .len = image_len, .section = "pica/count",
                                .hook = "irq:3", .budget = 5, .max_overruns = 2 };
    int slow = bpf_registry_load(&reg, &req, &lerr);
    int fine = load("pica/count", "irq:3", 0, 0);
    assert_true(slow > 0 && fine > 0);
    assert_int_equal(fire(&irq, 3, 0).ran, 2);
    assert_int_equal(fire(&irq, 3, 0).ran, 2);
    assert_int_equal(fire(&irq, 3, 0).ran, 1); /* disabled after the second overrun */
    struct bpf_prog_stats st;
    unsigned before = locks;
    assert_int_equal(bpf_registry_stats(&reg, (uint32_t)slow, &st), 0);
    assert_int_equal(locks, before + 1); /* copied under the lock */
    assert_int_equal(st.runs, 2);
    assert_int_equal(st.overruns, 2);
    assert_int_equal(st.insns, 10);
    assert_int_equal(st.last_error, -ETIMEDOUT);
    assert_true(bpf_registry_find(&reg, (uint32_t)slow)->att.disabled);
    assert_int_equal(bpf_registry_reap(&reg), 1);
    assert_int_equal(bpf_registry_reap(&reg), 0);
    assert_null(bpf_registry_find(&reg, (uint32_t)slow));
    assert_int_equal(notices_off, 1);
    assert_int_equal(allocs - frees, 1);
    assert_int_equal(reg.count, 1);
    assert_int_equal(read_u64(fine, "runs", 0), 3);
    /* env->max_overruns is the default */
    env.max_overruns = 1;
    req.max_overruns = 0;
    slow = bpf_registry_load(&reg, &req, &lerr);
    fire(&irq, 3, 0);
    assert_true(bpf_registry_find(&reg, (uint32_t)slow)->att.disabled);
    assert_int_equal(bpf_registry_reap(&reg), 1);
}

static void
test_hundred_load_unload_cycles(void **state)
{
    (void)state;
    int first = 0;
    for (int k = 0; k < 100; k++) {
        int id = load("pica/count", k % 2 ? "irq:9" : "switch", (uint32_t)k, 0);
        assert_true(id > 0);
        if (k == 0) {
            first = id;
        }
        assert_int_equal(id, first + k); /* never reused */
        assert_int_equal(allocs - frees, 1);
        fire(k % 2 ? &irq : &sw, 9, 0);
        assert_int_equal(read_u64(id, "runs", 0), 1);
        assert_int_equal(bpf_registry_unload(&reg, (uint32_t)id, (uint32_t)k), 0);
    }
    assert_int_equal(allocs, 100);
    assert_int_equal(frees, 100);
    assert_int_equal(notices_on, 100);
    assert_int_equal(notices_off, 100);
    assert_int_equal(reg.mem, 0);
    assert_null(sw.first);
    assert_null(irq.first);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_load_runs_at_its_hook_and_maps_are_reachable),
        T(test_map_access_refusals),
        T(test_verdict_right_on_verdict_hook_only),
        T(test_helper_not_allowed_refused_naming_it),
        T(test_size_limits),
        T(test_alloc_failure_leaks_nothing),
        T(test_bad_requests_with_messages),
        T(test_names_from_request_or_section),
        T(test_owners_unload_their_own),
        T(test_overruns_disable_then_reap_frees),
        T(test_hundred_load_unload_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
