/* SPDX-License-Identifier: MIT */
/* Hook dispatch (bpf/hook.c): attach order, argument matching, verdicts, budgets
 * counted and stopped exactly, disabling after repeated overruns, statistics,
 * context rights, attach refusals and hook spec parsing. Programs are hand-assembled:
 * each "logger" appends its tag to the context's log, so the order of runs shows. */
#include "bpf_test_util.h"

#include <pica/bpf_hook.h>

#include <string.h>

struct log_ctx {
    uint64_t seq;
    uint64_t log[8];
};

#define NPROGS 8
static struct bpf_op ops[NPROGS][64];
static struct bpf_prog progs[NPROGS];
static struct bpf_attach att[NPROGS];
static uint64_t stack[BPF_STACK_SIZE / 8];
static struct bpf_hook_exec hx = { .stack = stack, .stack_size = sizeof(stack) };

static const uint32_t std_ids[] = { BPF_FUNC_map_lookup_elem, BPF_FUNC_ktime_get_ns };

static const struct bpf_hook_def sw_def = {
    .name = "switch", .ctx_size = sizeof(struct log_ctx),
    .flags = BPF_HOOK_CTX_WRITE | BPF_HOOK_VERDICT, .default_budget = 1000,
};
static const struct bpf_hook_def irq_def = {
    .name = "irq", .ctx_size = sizeof(struct log_ctx),
    .flags = BPF_HOOK_CTX_WRITE | BPF_HOOK_ISR | BPF_HOOK_ARG | BPF_HOOK_ARG_MATCH,
    .helpers = std_ids, .nhelpers = 2, .arg_min = 0, .arg_max = 31,
};
static const struct bpf_hook_def timer_def = {
    .name = "timer", .ctx_size = sizeof(struct log_ctx),
    .flags = BPF_HOOK_CTX_WRITE | BPF_HOOK_ARG, .arg_min = 1, .arg_max = 10000,
};
static const struct bpf_hook_def ro_def = {
    .name = "console", .ctx_size = sizeof(struct log_ctx), .flags = 0,
};
static struct bpf_hook sw = { &sw_def, NULL }, irq = { &irq_def, NULL },
                       timer = { &timer_def, NULL }, ro = { &ro_def, NULL };

static int
reset(void **state)
{
    (void)state;
    memset(att, 0, sizeof(att));
    sw.first = irq.first = timer.first = ro.first = NULL;
    return 0;
}

static struct bpf_prog *
load(unsigned k, const struct bpf_insn *insns, uint32_t n)
{
    struct bpf_verr err = { 0 };
    assert_int_equal(bpf_prog_load(&progs[k], ops[k], 64, insns, n, NULL, &err), 0);
    return &progs[k];
}

/* Program k: log[seq++] = tag; return ret. LOGGER_INSNS instructions. */
static struct bpf_prog *
logger(unsigned k, int32_t tag, int32_t ret)
{
    struct bpf_insn p[] = {
        INSN(0x79, 2, 1, 0, 0),        /* r2 = ctx->seq */
        MOV64_REG(3, 2),
        ALU64_IMM(OP_LSH, 3, 3),
        ALU64_REG(OP_ADD, 3, 1),       /* r3 = ctx + 8 * seq */
        INSN(0x7a, 3, 0, 8, tag),      /* ctx->log[seq] = tag */
        ALU64_IMM(OP_ADD, 2, 1),
        INSN(0x7b, 1, 2, 0, 0),        /* ctx->seq = seq + 1 */
        MOV64_IMM(0, ret),
        EXIT(),
    };
    return load(k, p, N(p));
}
#define LOGGER_INSNS 9

static struct bpf_attach *
attach(struct bpf_hook *h, unsigned k, struct bpf_prog *p, uint32_t arg, uint32_t rights)
{
    att[k].prog = p;
    att[k].arg = arg;
    att[k].rights = rights;
    assert_int_equal(bpf_hook_attach(h, &att[k]), 0);
    assert_ptr_equal(att[k].hook, h);
    return &att[k];
}

/* Run @h once on a fresh context; the log holds the tags in run order. */
static struct bpf_hook_result
run(struct bpf_hook *h, uint32_t arg, struct log_ctx *c)
{
    struct bpf_hook_result res;
    memset(c, 0, sizeof(*c));
    memset(&res, 0xa5, sizeof(res));
    bpf_hook_run(h, c, arg, &hx, &res);
    return res;
}

static void
assert_log(const struct log_ctx *c, unsigned n, const uint64_t *tags)
{
    assert_int_equal(c->seq, n);
    for (unsigned k = 0; k < n; k++) {
        assert_int_equal(c->log[k], tags[k]);
    }
}

static void
test_programs_run_in_attach_order(void **state)
{
    (void)state;
    struct log_ctx c;
    attach(&sw, 0, logger(0, 10, 0), 0, 0);
    attach(&sw, 1, logger(1, 20, 0), 0, 0);
    attach(&sw, 2, logger(2, 30, 0), 0, 0);
    struct bpf_hook_result res = run(&sw, 0, &c);
    assert_log(&c, 3, (const uint64_t[]){ 10, 20, 30 });
    assert_int_equal(res.ran, 3);
    assert_int_equal(res.insns, 3 * LOGGER_INSNS);
    assert_int_equal(res.verdict, 0);
    /* out of the middle, then back at the end */
    assert_int_equal(bpf_hook_detach(&sw, &att[1]), 0);
    assert_null(att[1].hook);
    run(&sw, 0, &c);
    assert_log(&c, 2, (const uint64_t[]){ 10, 30 });
    assert_int_equal(bpf_hook_attach(&sw, &att[1]), 0);
    run(&sw, 0, &c);
    assert_log(&c, 3, (const uint64_t[]){ 10, 30, 20 });
    /* detaching keeps the stats: two runs before, one after */
    assert_int_equal(att[1].stats.runs, 2);
    assert_int_equal(att[0].stats.runs, 3);
    assert_int_equal(att[0].stats.insns, 3 * LOGGER_INSNS);
    assert_int_equal(att[0].stats.max_insns, LOGGER_INSNS);
}

static void
test_empty_hook_runs_nothing(void **state)
{
    (void)state;
    struct log_ctx c;
    struct bpf_hook_result res = run(&sw, 0, &c);
    assert_int_equal(res.ran, 0);
    assert_int_equal(res.insns, 0);
    assert_int_equal(res.verdict, 0);
    bpf_hook_run(&sw, &c, 0, &hx, NULL); /* no result wanted */
}

static void
test_arg_match_selects_programs(void **state)
{
    (void)state;
    struct log_ctx c;
    attach(&irq, 0, logger(0, 1, 0), 5, 0);
    attach(&irq, 1, logger(1, 2, 0), 6, 0);
    attach(&irq, 2, logger(2, 3, 0), 5, 0);
    struct bpf_hook_result res = run(&irq, 5, &c);
    assert_log(&c, 2, (const uint64_t[]){ 1, 3 });
    assert_int_equal(res.ran, 2);
    run(&irq, 6, &c);
    assert_log(&c, 1, (const uint64_t[]){ 2 });
    res = run(&irq, 7, &c);
    assert_int_equal(res.ran, 0);
    assert_int_equal(c.seq, 0);
    assert_int_equal(att[1].stats.runs, 1);
}

static void
test_arg_without_match_runs_every_program(void **state)
{
    (void)state;
    struct log_ctx c;
    attach(&timer, 0, logger(0, 1, 0), 100, 0);
    attach(&timer, 1, logger(1, 2, 0), 250, 0);
    struct bpf_hook_result res = run(&timer, 9, &c);
    assert_log(&c, 2, (const uint64_t[]){ 1, 2 });
    assert_int_equal(res.ran, 2);
}

static void
test_verdict_is_first_nonzero_and_all_still_run(void **state)
{
    (void)state;
    struct log_ctx c;
    struct bpf_insn fault[] = { MOV64_IMM(2, 0), INSN(0x79, 0, 2, 0, 0), EXIT() };
    attach(&sw, 0, load(0, fault, N(fault)), 0, BPF_ATTACH_VERDICT); /* faults: no say */
    attach(&sw, 1, logger(1, 1, 0), 0, BPF_ATTACH_VERDICT);   /* 0: no opinion */
    attach(&sw, 2, logger(2, 2, 7), 0, 0);                    /* 7, but no right */
    attach(&sw, 3, logger(3, 3, -5), 0, BPF_ATTACH_VERDICT);  /* decides */
    attach(&sw, 4, logger(4, 4, 9), 0, BPF_ATTACH_VERDICT);   /* too late */
    struct bpf_hook_result res = run(&sw, 0, &c);
    assert_int_equal(res.verdict, -5);
    assert_int_equal(res.ran, 5);
    assert_log(&c, 4, (const uint64_t[]){ 1, 2, 3, 4 });
    assert_int_equal(att[4].stats.runs, 1);
    /* without the deciding program the next one decides */
    assert_int_equal(bpf_hook_detach(&sw, &att[3]), 0);
    res = run(&sw, 0, &c);
    assert_int_equal(res.verdict, 9);
    /* a verdict right needs a hook with verdicts */
    att[5].prog = logger(5, 5, 1);
    att[5].rights = BPF_ATTACH_VERDICT;
    assert_int_equal(bpf_hook_attach(&ro, &att[5]), -EINVAL);
    assert_null(att[5].hook);
}

/* 6 instructions: r0 = 1, then 4 adds, exit: r0 = 5. */
static struct bpf_prog *
straight(unsigned k)
{
    struct bpf_insn p[] = { MOV64_IMM(0, 1), ALU64_IMM(OP_ADD, 0, 1), ALU64_IMM(OP_ADD, 0, 1),
                            ALU64_IMM(OP_ADD, 0, 1), ALU64_IMM(OP_ADD, 0, 1), EXIT() };
    return load(k, p, N(p));
}

static void
test_budget_overrun_counted_and_stopped_exactly(void **state)
{
    (void)state;
    struct log_ctx c;
    struct bpf_attach *a = attach(&sw, 0, straight(0), 0, BPF_ATTACH_VERDICT);
    a->budget = 5; /* one short */
    struct bpf_hook_result res = run(&sw, 0, &c);
    assert_int_equal(res.ran, 1);
    assert_int_equal(res.insns, 5);
    assert_int_equal(res.verdict, 0); /* an overrun gives no verdict */
    assert_int_equal(a->stats.runs, 1);
    assert_int_equal(a->stats.overruns, 1);
    assert_int_equal(a->stats.errors, 0);
    assert_int_equal(a->stats.insns, 5);
    assert_int_equal(a->stats.max_insns, 5);
    assert_int_equal(a->stats.last_error, -ETIMEDOUT);
    assert_int_equal(a->stats.last_fault_pc, 5);
    assert_false(a->disabled); /* max_overruns 0: never */
    a->budget = 6; /* exactly enough */
    res = run(&sw, 0, &c);
    assert_int_equal(res.verdict, 5);
    assert_int_equal(a->stats.overruns, 1);
    assert_int_equal(a->stats.insns, 11);
    assert_int_equal(a->stats.max_insns, 6);
    assert_int_equal(a->stats.last_error, -ETIMEDOUT); /* kept: the latest fault */
    a->budget = 3; /* a shorter run leaves the longest as it was */
    run(&sw, 0, &c);
    assert_int_equal(a->stats.max_insns, 6);
    assert_int_equal(a->stats.insns, 14);
    assert_int_equal(a->stats.last_fault_pc, 3);
}

static void
test_budget_defaults_from_hook_then_library(void **state)
{
    (void)state;
    struct log_ctx c;
    static const struct bpf_hook_def tight_def = { .name = "tight", .default_budget = 5 };
    static const struct bpf_hook_def open_def = { .name = "open" };
    struct bpf_hook tight = { &tight_def, NULL }, open = { &open_def, NULL };
    struct bpf_insn loop[] = { MOV64_IMM(0, 0), INSN(0x05, 0, 0, -1, 0) };
    attach(&tight, 0, straight(0), 0, 0);
    run(&tight, 0, &c);
    assert_int_equal(att[0].stats.overruns, 1);
    assert_int_equal(att[0].stats.insns, 5);
    att[0].budget = 6; /* the attach's own budget wins */
    run(&tight, 0, &c);
    assert_int_equal(att[0].stats.overruns, 1);
    attach(&open, 1, load(1, loop, N(loop)), 0, 0);
    struct bpf_hook_result res = run(&open, 0, &c);
    assert_int_equal(res.insns, BPF_DEFAULT_BUDGET);
    assert_int_equal(att[1].stats.overruns, 1);
}

static void
test_disabled_after_max_overruns(void **state)
{
    (void)state;
    struct log_ctx c;
    struct bpf_insn loop[] = { MOV64_IMM(0, 0), INSN(0x05, 0, 0, -1, 0) };
    struct bpf_attach *a = attach(&sw, 0, load(0, loop, N(loop)), 0, 0);
    a->budget = 50;
    a->max_overruns = 3;
    attach(&sw, 1, logger(1, 7, 0), 0, 0);
    for (unsigned k = 1; k <= 5; k++) {
        struct bpf_hook_result res = run(&sw, 0, &c);
        assert_int_equal(res.ran, k <= 3 ? 2 : 1);
        assert_int_equal(a->disabled, k >= 3);
        assert_log(&c, 1, (const uint64_t[]){ 7 }); /* the other one always runs */
    }
    assert_int_equal(a->stats.runs, 3);
    assert_int_equal(a->stats.overruns, 3);
    assert_int_equal(a->stats.insns, 150);
    assert_ptr_equal(a->hook, &sw); /* disabled, still linked */
    assert_int_equal(att[1].stats.runs, 5);
}

static void
test_faults_counted_as_errors(void **state)
{
    (void)state;
    struct log_ctx c;
    struct bpf_insn fault[] = { MOV64_IMM(2, 0), INSN(0x79, 0, 2, 0, 0), EXIT() };
    struct bpf_attach *a = attach(&sw, 0, load(0, fault, N(fault)), 0, 0);
    a->max_overruns = 1;
    run(&sw, 0, &c);
    run(&sw, 0, &c);
    assert_int_equal(a->stats.runs, 2);
    assert_int_equal(a->stats.errors, 2);
    assert_int_equal(a->stats.overruns, 0);
    assert_int_equal(a->stats.last_error, -EFAULT);
    assert_int_equal(a->stats.last_fault_pc, 1);
    assert_int_equal(a->stats.insns, 2); /* the faulting load is not counted */
    assert_false(a->disabled); /* only overruns disable */
}

static void
test_context_rights_and_length(void **state)
{
    (void)state;
    struct log_ctx c;
    /* a hook without BPF_HOOK_CTX_WRITE: the logger's store faults, nothing changes */
    struct bpf_attach *a = attach(&ro, 0, logger(0, 1, 0), 0, 0);
    run(&ro, 0, &c);
    assert_int_equal(c.seq, 0);
    assert_int_equal(a->stats.last_error, -EFAULT);
    assert_int_equal(a->stats.last_fault_pc, 4);
    /* r2 is the hook's ctx_size; 0 without a context */
    struct bpf_insn len[] = { MOV64_REG(0, 2), EXIT() };
    attach(&sw, 1, load(1, len, N(len)), 0, BPF_ATTACH_VERDICT);
    struct bpf_hook_result res = run(&sw, 0, &c);
    assert_int_equal(res.verdict, sizeof(struct log_ctx));
    bpf_hook_run(&sw, NULL, 0, &hx, &res);
    assert_int_equal(res.verdict, 0);
    assert_int_equal(res.ran, 1);
}

static uint64_t
fake_time(void *user)
{
    return *(uint64_t *)user;
}

static void
test_services_and_user_reach_helpers(void **state)
{
    (void)state;
    struct log_ctx c;
    uint64_t now = 123456789;
    struct bpf_hooks services = { .time_ns = fake_time };
    struct bpf_hook_exec x = { .stack = stack, .stack_size = sizeof(stack),
                               .services = &services, .user = &now };
    struct bpf_insn p[] = { CALL(BPF_FUNC_ktime_get_ns), EXIT() };
    attach(&sw, 0, load(0, p, N(p)), 0, BPF_ATTACH_VERDICT);
    struct bpf_hook_result res;
    bpf_hook_run(&sw, &c, 0, &x, &res);
    assert_int_equal(res.verdict, 123456789);
}

/* One program of a hook run on its own: its arg does not matter, the hook's rules do. */
static void
test_attach_run_runs_one_program(void **state)
{
    (void)state;
    struct log_ctx c = { 0 };
    struct bpf_hook_result res;
    attach(&timer, 0, logger(0, 1, 0), 100, 0);
    struct bpf_attach *a = attach(&timer, 1, logger(1, 2, 0), 250, 0);
    bpf_attach_run(a, &c, &hx, &res);
    assert_log(&c, 1, (const uint64_t[]){ 2 });
    assert_int_equal(res.ran, 1);
    assert_int_equal(res.insns, LOGGER_INSNS);
    assert_int_equal(a->stats.runs, 1);
    assert_int_equal(att[0].stats.runs, 0);
    /* the hook's verdicts and budget apply */
    struct bpf_attach *v = attach(&sw, 2, straight(2), 0, BPF_ATTACH_VERDICT);
    bpf_attach_run(v, &c, &hx, &res);
    assert_int_equal(res.verdict, 5);
    v->budget = 3;
    v->max_overruns = 1;
    bpf_attach_run(v, &c, &hx, &res);
    assert_int_equal(res.verdict, 0);
    assert_int_equal(res.insns, 3);
    assert_true(v->disabled);
    /* disabled or unlinked: nothing runs */
    bpf_attach_run(v, &c, &hx, &res);
    assert_int_equal(res.ran, 0);
    assert_int_equal(v->stats.runs, 2);
    assert_int_equal(bpf_hook_detach(&timer, a), 0);
    bpf_attach_run(a, &c, &hx, &res);
    assert_int_equal(res.ran, 0);
    assert_int_equal(a->stats.runs, 1);
}

static void
test_attach_refusals(void **state)
{
    (void)state;
    struct bpf_prog *p = logger(0, 1, 0);
    att[0].prog = p;
    att[0].arg = 32; /* irq takes 0..31 */
    assert_int_equal(bpf_hook_attach(&irq, &att[0]), -EINVAL);
    att[0].arg = 31;
    assert_int_equal(bpf_hook_attach(&irq, &att[0]), 0);
    assert_int_equal(bpf_hook_attach(&irq, &att[0]), -EINVAL); /* already linked */
    assert_int_equal(bpf_hook_attach(&sw, &att[0]), -EINVAL);  /* ...anywhere */
    att[1].prog = p;
    att[1].arg = 1; /* switch takes no argument */
    assert_int_equal(bpf_hook_attach(&sw, &att[1]), -EINVAL);
    att[1].arg = 0;
    att[1].prog = NULL;
    assert_int_equal(bpf_hook_attach(&sw, &att[1]), -EINVAL);
    att[1].prog = p;
    att[2].prog = p;
    att[2].arg = 0; /* timer takes 1..10000 */
    assert_int_equal(bpf_hook_attach(&timer, &att[2]), -EINVAL);
    /* detach: only from the hook it is on */
    assert_int_equal(bpf_hook_detach(&sw, &att[0]), -ENOENT);
    assert_int_equal(bpf_hook_detach(&irq, &att[1]), -ENOENT);
    assert_int_equal(bpf_hook_detach(&irq, &att[0]), 0);
    assert_int_equal(bpf_hook_detach(&irq, &att[0]), -ENOENT);
    assert_null(irq.first);
}

static void
test_parse_specs(void **state)
{
    (void)state;
    struct bpf_hook *const hooks[] = { &sw, &irq, &timer, &ro };
    uint32_t arg = 77;
    assert_int_equal(bpf_hook_parse(hooks, 4, "switch", &arg), 0);
    assert_int_equal(arg, 0);
    assert_int_equal(bpf_hook_parse(hooks, 4, "irq:5", &arg), 1);
    assert_int_equal(arg, 5);
    assert_int_equal(bpf_hook_parse(hooks, 4, "irq:0x1f", &arg), 1);
    assert_int_equal(arg, 31);
    assert_int_equal(bpf_hook_parse(hooks, 4, "irq:0", &arg), 1);
    assert_int_equal(arg, 0);
    assert_int_equal(bpf_hook_parse(hooks, 4, "timer:10000", &arg), 2);
    assert_int_equal(arg, 10000);
    assert_int_equal(bpf_hook_parse(hooks, 4, "console", NULL), 3);
    static const char *const invalid[] = {
        "irq", "irq:", "irq:32", "irq:0x20", "irq:5x", "irq:-1", "irq: 5", "irq:0x",
        "timer:0", "timer:10001", "timer:4294967297", "timer:99999999999999999999",
        "switch:1", "switch:", "irq:5:6",
    };
    for (unsigned k = 0; k < N(invalid); k++) {
        arg = 77;
        print_message("%s\n", invalid[k]);
        assert_int_equal(bpf_hook_parse(hooks, 4, invalid[k], &arg), -EINVAL);
        assert_int_equal(arg, 0);
    }
    static const char *const unknown[] = { "nope", "", "sw", "switchx", "irqs:5", ":5" };
    for (unsigned k = 0; k < N(unknown); k++) {
        assert_int_equal(bpf_hook_parse(hooks, 4, unknown[k], &arg), -ENOENT);
    }
    assert_int_equal(bpf_hook_parse(hooks, 4, NULL, &arg), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_programs_run_in_attach_order, reset),
        cmocka_unit_test_setup(test_empty_hook_runs_nothing, reset),
        cmocka_unit_test_setup(test_arg_match_selects_programs, reset),
        cmocka_unit_test_setup(test_arg_without_match_runs_every_program, reset),
        cmocka_unit_test_setup(test_verdict_is_first_nonzero_and_all_still_run, reset),
        cmocka_unit_test_setup(test_budget_overrun_counted_and_stopped_exactly, reset),
        cmocka_unit_test_setup(test_budget_defaults_from_hook_then_library, reset),
        cmocka_unit_test_setup(test_disabled_after_max_overruns, reset),
        cmocka_unit_test_setup(test_faults_counted_as_errors, reset),
        cmocka_unit_test_setup(test_context_rights_and_length, reset),
        cmocka_unit_test_setup(test_services_and_user_reach_helpers, reset),
        cmocka_unit_test_setup(test_attach_run_runs_one_program, reset),
        cmocka_unit_test_setup(test_attach_refusals, reset),
        cmocka_unit_test_setup(test_parse_specs, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
