/* SPDX-License-Identifier: MIT */
/* The user-bpf test's loader: with its grant (syscall and timer, with
 * verdicts) it is refused what the grant does not allow and what the
 * verifier refuses; it fills its quota with programs and empties it; then
 * it loads a timer counter and apps/bpf-examples/syscall_filter.c, whose
 * rule refuses bpf_b's uptime_us calls, lets bpf_b call, and reads the
 * counts back. It exits with its program still loaded: the kernel checks
 * that the exit unloaded it. Exits with its number of failures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pica/user/pica_user.h>

#include "user_bpf.h"

extern const uint8_t bpf_obj_syscall_filter[], bpf_obj_syscall_filter_end[];
extern const uint8_t bpf_obj_tick_count[], bpf_obj_tick_count_end[];
extern const uint8_t bpf_obj_gpio_at_syscall[], bpf_obj_gpio_at_syscall_end[];

#define OBJ(name) bpf_obj_##name, (size_t)(bpf_obj_##name##_end - bpf_obj_##name)

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("bpf_a: FAIL %s: %ld, not %ld\n", what, got_, want_);                          \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)
#define CHECK(what, cond) CHECK_EQ(what, !!(cond), 1)

/* Loads the grant does not allow, and objects the kernel refuses. */
static void
refusals(const struct user_bpf_note *n)
{
    static char garbage[200] = "not an ELF object";
    CHECK_EQ("grant found", sys_bpf_grant(), A_GRANT);
    CHECK_EQ("a hook outside the grant", sys_bpf_load(A_GRANT, OBJ(syscall_filter), "switch"),
             -EPERM);
    CHECK_EQ("no such hook", sys_bpf_load(A_GRANT, OBJ(syscall_filter), "nosuch"), -ENOENT);
    CHECK_EQ("a timer without its period", sys_bpf_load(A_GRANT, OBJ(tick_count), "timer"),
             -EINVAL);
    CHECK_EQ("a read-only grant", sys_bpf_load(A_GRANT_RO, OBJ(syscall_filter), "syscall"),
             -EPERM);
    CHECK_EQ("a queue as grant", sys_bpf_load(A_NOTES, OBJ(syscall_filter), "syscall"), -EBADF);
    CHECK_EQ("refused by the verifier", sys_bpf_load(A_GRANT, OBJ(gpio_at_syscall), "syscall"),
             -EINVAL);
    CHECK_EQ("not an object", sys_bpf_load(A_GRANT, garbage, sizeof(garbage), "syscall"), -EINVAL);
    CHECK_EQ("an empty object", sys_bpf_load(A_GRANT, garbage, 0, "syscall"), -EINVAL);
    CHECK_EQ("an object in the kernel",
             pica_sys_bpf_load(A_GRANT, (const void *)(uintptr_t)n->kernel_addr, 256, "syscall"),
             -EFAULT);
    CHECK_EQ("a semaphore as grant", sys_bpf_load(A_GO, OBJ(syscall_filter), "syscall"), -EBADF);
}

/* Programs until the quota is used up, then none: each is charged. */
static void
quota(void)
{
    int slots[16];
    int n = 0, r = 0;
    while (n < 16 && (r = sys_bpf_load(A_GRANT, OBJ(syscall_filter), "syscall")) >= 0) {
        slots[n++] = r;
    }
    CHECK_EQ("the quota runs out", r, -ENOMEM);
    CHECK("a program fits the quota", n >= 1 && n < 16);
    if (n == 0) {
        return;
    }
    struct pica_user_bpf_stats st = {0};
    CHECK_EQ("stats", sys_bpf_prog_stats(slots[0], &st), 0);
    printf("bpf_a: %d programs of %lu bytes fit its quota\n", n, (unsigned long)st.mem);
    for (int i = 0; i < n; i++) {
        CHECK_EQ("unload", sys_bpf_unload(slots[i]), 0);
    }
    CHECK_EQ("an unloaded program", sys_bpf_prog_stats(slots[0], &st), -EBADF);
    CHECK_EQ("not a program", sys_bpf_unload(A_GO), -EBADF);
}

/* An object in its RAM, which its threads could change: the kernel loads
 * a copy of its own. Where the process's heap is too small for the
 * object (a 64 KB part), only the refusals above went that way. */
static void
from_ram(void)
{
    size_t len = (size_t)(bpf_obj_tick_count_end - bpf_obj_tick_count);
    uint8_t *copy = malloc(len);
    if (copy == NULL) {
        printf("bpf_a: no heap for an object in RAM\n");
        return;
    }
    memcpy(copy, bpf_obj_tick_count, len);
    int prog = sys_bpf_load(A_GRANT, copy, len, "timer:1000");
    CHECK("loaded from RAM", prog >= 0);
    memset(copy, 0, len); /* the program is the kernel's copy's */
    uint32_t k = 0;
    uint64_t ticks = 1;
    CHECK_EQ("its map", sys_bpf_map_lookup(prog, "ticks", &k, 4, &ticks, 8), 0);
    CHECK_EQ("not run yet", ticks, 0);
    CHECK_EQ("unload", sys_bpf_unload(prog), 0);
    free(copy);
    printf("bpf_a: loaded a program from RAM\n");
}

static void
set_rule(int prog, uint32_t b_pid)
{
    /* The pid last: it turns the rule on. */
    const uint32_t rule[3][2] = {{0, USER_BPF_REFUSED_NR}, {1, EPERM}, {2, b_pid}};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ("rule", sys_bpf_map_update(prog, "rule", &rule[i][0], 4, &rule[i][1], 4), 0);
    }
    uint32_t k = 3, v = 0;
    uint64_t wide = 0;
    CHECK_EQ("update past the array", sys_bpf_map_update(prog, "rule", &k, 4, &v, 4), -E2BIG);
    CHECK_EQ("lookup past the array", sys_bpf_map_lookup(prog, "rule", &k, 4, &v, 4), -ENOENT);
    CHECK_EQ("no such map", sys_bpf_map_update(prog, "rules", &k, 4, &v, 4), -ENOENT);
    CHECK_EQ("another value size", sys_bpf_map_lookup(prog, "rule", &rule[0][0], 4, &wide, 8),
             -EINVAL);
    CHECK_EQ("a grant as program", sys_bpf_map_lookup(A_GRANT, "rule", &k, 4, &v, 4), -EBADF);
    k = 2;
    CHECK_EQ("read the rule back", sys_bpf_map_lookup(prog, "rule", &k, 4, &v, 4), 0);
    CHECK_EQ("the rule's pid", v, b_pid);
}

/* What the filter counted while bpf_b called. */
static void
counted(int prog)
{
    uint32_t k = 0;
    uint64_t refused = 0, seen = 0;
    CHECK_EQ("refused", sys_bpf_map_lookup(prog, "counts", &k, 4, &refused, 8), 0);
    k = 1;
    CHECK_EQ("seen", sys_bpf_map_lookup(prog, "counts", &k, 4, &seen, 8), 0);
    CHECK_EQ("refused = bpf_b's uptime calls", refused, USER_BPF_CALLS);
    CHECK("seen: bpf_b's calls at least", seen >= 2 * USER_BPF_CALLS);
    struct pica_user_bpf_stats st = {0};
    CHECK_EQ("stats", sys_bpf_prog_stats(prog, &st), 0);
    CHECK("runs: every call seen", st.runs >= seen && st.insns > st.runs);
    CHECK_EQ("no faults", st.errors + st.overruns, 0);
    printf("bpf_a: the filter refused %lu of %lu calls (%lu runs)\n", (unsigned long)refused,
           (unsigned long)seen, (unsigned long)st.runs);
}

int
user_main(void)
{
    struct user_bpf_note n = {0, 0};
    CHECK_EQ("note", sys_queue_recv(A_NOTES, &n, sizeof(n), SYS_FOREVER), 0);
    refusals(&n);
    quota();
    from_ram();
    int tick = sys_bpf_load(A_GRANT, OBJ(tick_count), "timer:5");
    int filter = sys_bpf_load(A_GRANT, OBJ(syscall_filter), "syscall");
    CHECK("loaded", tick >= 0 && filter >= 0);
    set_rule(filter, n.b_pid);
    CHECK_EQ("go", sys_sem_give(A_GO), 0);
    CHECK_EQ("done", sys_sem_take(A_DONE, SYS_FOREVER), 0);
    counted(filter);
    CHECK_EQ("sleep", sys_sleep_us(20000), 0); /* the timer runs every 5 ms */
    uint32_t k = 0;
    uint64_t ticks = 0;
    CHECK_EQ("ticks", sys_bpf_map_lookup(tick, "ticks", &k, 4, &ticks, 8), 0);
    CHECK("the timer ran", ticks > 0);
    CHECK_EQ("unload the timer", sys_bpf_unload(tick), 0);
    /* The kernel finds the filter alone in the registry, then lets it go. */
    CHECK_EQ("check", sys_sem_give(A_CHECK), 0);
    CHECK_EQ("back", sys_sem_take(A_BACK, SYS_FOREVER), 0);
    printf("bpf_a: %d failures\n", failures);
    return failures;
}
