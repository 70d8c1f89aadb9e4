/* SPDX-License-Identifier: MIT */
/* eBPF programs on the running kernel's hooks: clang-built examples and
 * test programs are loaded through the registry (as the shell and picactl
 * load them), run on their hooks, and what they recorded in their maps is
 * checked against what the kernel itself counted. */
#include <errno.h>
#include <pica/bpf_kern.h>
#include <pica/cron.h>
#include <pica/heap.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/tap.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"

PICA_LOG_MODULE(hooktest);

#define OBJ(name)                                                                          \
    extern const uint8_t bpf_obj_##name[], bpf_obj_##name##_end[]
OBJ(switch_count);
OBJ(irq_hist);
OBJ(log_ratelimit);
OBJ(console_hotkey);
OBJ(spin);
OBJ(trace_at_switch);
OBJ(oob_global);
OBJ(oob_runtime);
OBJ(cron_count);

static struct bpf_load_err lerr;

static int
load(const uint8_t *start, const uint8_t *end, const char *hook, uint32_t rights)
{
    struct bpf_load_req req = {
        .elf = start, .len = (size_t)(end - start), .hook = hook, .rights = rights};
    memset(&lerr, 0, sizeof(lerr));
    int id = pica_bpf_load(&req, &lerr);
    if (id < 0) {
        printf("  load on %s: %d %s\n", hook, id, lerr.msg);
    }
    return id;
}
#define LOAD(name, hook) load(bpf_obj_##name, bpf_obj_##name##_end, hook, 0)
/* With the right to decide for the event (syscall, console, fs, log). */
#define LOAD_DECIDING(name, hook)                                                          \
    load(bpf_obj_##name, bpf_obj_##name##_end, hook, BPF_ATTACH_VERDICT)

/* A map entry read as the kernel's own code would, with nothing running. */
static uint64_t
entry_u64(int id, const char *map, uint32_t key)
{
    uint64_t v = 0;
    pica_bpf_lock();
    int err = bpf_registry_map_lookup(pica_bpf_registry(), (uint32_t)id, map, &key, &v);
    pica_bpf_unlock();
    return err == 0 ? v : UINT64_MAX;
}

static void
started(void)
{
    int err = pica_bpf_start();
    pica_assert(err == 0 || err == -EALREADY);
}

/* ---- switch: the per-thread counts are the kernel's own ---- */

#define SNAP_MAX 24
struct snap {
    uint32_t n;
    uint32_t id[SNAP_MAX];
    uint32_t switches[SNAP_MAX];
};
static struct snap before, after;

static void
snap_one(struct pica_thread *t, void *arg)
{
    struct snap *s = arg;
    struct pica_thread_info info;
    if (s->n < SNAP_MAX && pica_thread_info(t, &info) == 0) {
        s->id[s->n] = info.id;
        s->switches[s->n] = info.switches;
        s->n++;
    }
}

static void
snap_take(struct snap *s)
{
    s->n = 0;
    pica_thread_foreach(snap_one, s);
}

static uint32_t
snap_get(const struct snap *s, uint32_t id)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->id[i] == id) {
            return s->switches[i];
        }
    }
    return 0;
}

static volatile bool ping_stop;

/* Yields until told to stop: alive (and in the thread list) when the
 * counts are compared. */
static void
ping_pong(void *arg)
{
    (void)arg;
    while (!ping_stop) {
        pica_yield();
    }
}

PICA_TEST(switch_counts_per_thread_equal_the_kernels_own)
{
    started();
    struct pica_thread *self = pica_thread_self();
    struct pica_thread_info me;
    pica_assert_eq(pica_thread_info(self, &me), 0);
    unsigned prio = me.base_prio;
    /* Most urgent: nothing switches between the snapshots and the
     * attach or the map read but what this thread does. */
    pica_assert_eq(pica_thread_set_prio(self, 0), 0);
    ping_stop = false;
    pica_assert_eq(pica_test_spawn(0, ping_pong, NULL, 10), 0);
    pica_assert_eq(pica_test_spawn(1, ping_pong, NULL, 10), 0);
    int id = LOAD(switch_count, "switch");
    pica_assert_gt(id, 0);
    snap_take(&before);
    pica_sleep(PICA_MS(20));
    snap_take(&after);
    uint64_t total = 0, checked = 0;
    for (uint32_t i = 0; i < after.n; i++) {
        uint32_t tid = after.id[i];
        uint64_t want = after.switches[i] - snap_get(&before, tid);
        uint64_t got = entry_u64(id, "counts", tid);
        if (got == UINT64_MAX) {
            got = 0; /* never switched in */
        }
        if (!PICA_CFG_THREAD_STATS) {
            /* The kernel counts no switches (the lean configuration):
             * the program's counts stand alone. */
            total += got;
            checked += got > 0;
            continue;
        }
        if (got != want) {
            printf("  thread %lu: program %llu, kernel %llu\n", (unsigned long)tid,
                   (unsigned long long)got, (unsigned long long)want);
        }
        pica_assert_eq(got, want);
        total += got;
        checked += want > 0;
    }
    uint64_t program_total = entry_u64(id, "total", 0);
    ping_stop = true;
    pica_test_join_workers(2);
    pica_assert_ge(checked, 3); /* the two workers and this thread at least */
    pica_assert_ge(total, 100);
    pica_assert_eq(program_total, total);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    pica_assert_eq(pica_thread_set_prio(self, prio), 0);
}

/* ---- irq: one count per interrupt of the line, none of others ---- */

static volatile uint32_t handled;

static void
count_handler(void *arg)
{
    (void)arg;
    handled++;
}

PICA_TEST(irq_hook_sees_each_interrupt_of_its_line_before_the_handler)
{
    started();
    unsigned line = arch_irq_lines() - 1;
    unsigned other = arch_irq_lines() - 2;
    char spec[16];
    snprintf(spec, sizeof(spec), "irq:%u", line);
    pica_assert_eq(pica_irq_attach(line, count_handler, NULL, 5), 0);
    pica_assert_eq(pica_irq_attach(other, count_handler, NULL, 5), 0);
    pica_irq_enable(line);
    pica_irq_enable(other);
    int id = LOAD(irq_hist, spec);
    pica_assert_gt(id, 0);
    handled = 0;
    for (int i = 0; i < 20; i++) {
        pica_irq_trigger(line);
        pica_irq_trigger(other);
        pica_sleep(PICA_MS(1));
    }
    pica_assert_eq(handled, 40);
    pica_assert_eq(entry_u64(id, "state", 0), 20); /* its line's only */
    uint64_t in_hist = 0;
    for (uint32_t b = 0; b < 32; b++) {
        in_hist += entry_u64(id, "hist", b);
    }
    pica_assert_eq(in_hist, 19); /* one gap between each two */
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    pica_irq_detach(line);
    pica_irq_detach(other);
}

/* ---- budget: a program that never ends is stopped, then detached ---- */

PICA_TEST(a_program_that_loops_is_stopped_at_its_budget_and_the_tick_goes_on)
{
    started();
    int id = LOAD(spin, "timer:5");
    pica_assert_gt(id, 0);
    pica_tick_t t0 = pica_tick_now();
    pica_sleep(PICA_MS(200));
    pica_tick_t t1 = pica_tick_now();
    pica_assert_ge(t1 - t0, PICA_MS(200));
    pica_assert_le(t1 - t0, PICA_MS(210)); /* the clock kept its time */
    struct bpf_prog_stats st;
    pica_bpf_lock();
    pica_assert_eq(bpf_registry_stats(pica_bpf_registry(), (uint32_t)id, &st), 0);
    struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), (uint32_t)id);
    bool disabled = l != NULL && l->att.disabled;
    pica_bpf_unlock();
    pica_assert_eq(st.overruns, PICA_CFG_BPF_MAX_OVERRUNS);
    pica_assert_eq(st.runs, PICA_CFG_BPF_MAX_OVERRUNS); /* none after it was disabled */
    pica_assert_eq(st.last_error, -ETIMEDOUT);
    pica_assert_eq(st.max_insns, PICA_CFG_BPF_BUDGET_ISR);
    pica_assert(disabled);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
}

/* ---- refusals: named instruction and reason ---- */

PICA_TEST(programs_the_hook_does_not_allow_are_refused_with_instruction_and_reason)
{
    started();
    pica_assert_eq(LOAD(trace_at_switch, "switch"), -EINVAL);
    pica_assert(strstr(lerr.msg, "trace_printk") != NULL);
    pica_assert(strstr(lerr.msg, "insn ") != NULL);
    /* The same program is fine where trace output is allowed. */
    int id = LOAD(trace_at_switch, "cron");
    pica_assert_gt(id, 0);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    pica_assert_eq(LOAD(switch_count, "nothing"), -ENOENT);
    pica_assert_eq(LOAD(switch_count, "irq:99999"), -EINVAL);
    pica_assert_eq(LOAD(switch_count, "timer"), -EINVAL); /* needs a period */
    pica_assert_eq(LOAD_DECIDING(switch_count, "switch"), -EPERM); /* no verdicts there */
}

PICA_TEST(a_program_that_writes_outside_its_map_is_refused_or_faults_and_touches_nothing)
{
    started();
    /* A constant index: the verifier sees it and refuses, naming the map. */
    pica_assert_eq(LOAD(oob_global, "timer:2"), -EINVAL);
    pica_assert(strstr(lerr.msg, "insn ") != NULL);
    pica_assert(strstr(lerr.msg, "outside map") != NULL);
    /* An index from the clock: the run-time check stops the stores. */
    int id = LOAD(oob_runtime, "timer:2");
    pica_assert_gt(id, 0);
    pica_sleep(PICA_MS(20));
    struct bpf_prog_stats st;
    pica_bpf_lock();
    pica_assert_eq(bpf_registry_stats(pica_bpf_registry(), (uint32_t)id, &st), 0);
    pica_bpf_unlock();
    pica_assert_gt(st.errors, 0);
    pica_assert_eq(st.last_error, -EFAULT);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
}

/* ---- log: a rate limiter drops what is over its burst ---- */

static unsigned log_seen;

PICA_TEST(the_log_hook_drops_records_over_the_limit)
{
    started();
    int id = LOAD_DECIDING(log_ratelimit, "log");
    pica_assert_gt(id, 0);
    uint32_t zero = 0;
    uint64_t burst = 3;
    pica_bpf_lock();
    pica_assert_eq(bpf_registry_map_update(pica_bpf_registry(), (uint32_t)id, "burst", &zero,
                                           &burst, 0),
                   0);
    pica_bpf_unlock();
    struct pica_log_stats s0, s1;
    pica_log_stats(&s0);
    /* Ten warnings within one second of the program's clock. */
    pica_sleep(PICA_MS(1));
    for (int i = 0; i < 10; i++) {
        PICA_LOG_WRN("record %d", i);
        log_seen++;
    }
    pica_log_stats(&s1);
    uint64_t dropped = entry_u64(id, "dropped", PICA_LOG_LEVEL_WRN);
    /* Three pass in the second they start in, or three and three more if
     * they straddle a second. */
    pica_assert(dropped == 7 || dropped == 4);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    (void)s0, (void)s1;
}

/* ---- console: a hotkey is taken, other bytes pass ---- */

PICA_TEST(the_console_hook_consumes_its_hotkey_only)
{
    started();
    /* Without the verdict right it sees the hotkey but cannot take it. */
    int id = LOAD(console_hotkey, "console");
    pica_assert_gt(id, 0);
    pica_assert(!pica_taps.console_rx(0x14));
    pica_assert_eq(entry_u64(id, "count", 0), 1);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    pica_assert_eq(pica_event_wait(pica_bpf_events(), 1, PICA_EV_ANY | PICA_EV_CLEAR,
                                   PICA_NO_WAIT),
                   1);
    id = LOAD_DECIDING(console_hotkey, "console");
    pica_assert_gt(id, 0);
    pica_assert(pica_taps.console_rx != NULL);
    pica_assert(!pica_taps.console_rx('a'));
    pica_assert(pica_taps.console_rx(0x14));
    pica_assert(!pica_taps.console_rx('\r'));
    pica_assert(pica_taps.console_rx(0x14));
    pica_assert_eq(entry_u64(id, "count", 0), 2);
    uint32_t bits = 0;
    pica_assert_eq(pica_event_wait(pica_bpf_events(), 1, PICA_EV_ANY | PICA_EV_CLEAR,
                                   PICA_NO_WAIT),
                   1);
    (void)bits;
    uint64_t when;
    pica_bpf_lock();
    int n = bpf_registry_ringbuf_consume(pica_bpf_registry(), (uint32_t)id, "presses", &when,
                                         sizeof(when));
    pica_bpf_unlock();
    pica_assert_eq(n, (int)sizeof(when));
    pica_assert_gt(when, 0);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
}

/* ---- cron: each fire is seen ---- */

static void
cron_job(void *arg)
{
    (void)arg;
}

/* Cron's own count of a job's fires: runs, skips and failures. */
static uint32_t
cron_fires(int job)
{
    struct pica_cron_info info;
    for (unsigned i = 0; pica_cron_info_at(i, &info) == 0; i++) {
        if (info.id == job) {
            return info.runs + info.skips + info.failures;
        }
    }
    return UINT32_MAX;
}

PICA_TEST(the_cron_hook_sees_each_fire)
{
    started();
    int id = LOAD(cron_count, "cron");
    pica_assert_gt(id, 0);
    /* trace_printk at thread level: the deepest run, for the stack test. */
    int tracer = LOAD(trace_at_switch, "cron");
    pica_assert_gt(tracer, 0);
    int job = pica_cron_add("* * * * * *", cron_job, NULL, 10, NULL);
    pica_assert_gt(job, 0);
    pica_sleep(PICA_MS(2500));
    uint32_t kernel = cron_fires(job);
    pica_assert_eq(pica_cron_del(job), 0);
    uint64_t fires = entry_u64(id, "fires", (uint32_t)job);
    pica_assert(kernel >= 2 && kernel <= 3);
    pica_assert_eq(fires, kernel);
    pica_assert_eq(pica_bpf_unload((uint32_t)tracer), 0);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
}

/* ---- memory: loading and unloading leaks nothing ---- */

PICA_TEST(loading_and_unloading_a_hundred_times_leaks_nothing)
{
    started();
    /* The first load and unload settle what stays (the log's and the
     * registry's own first uses). */
    int id = LOAD(switch_count, "switch");
    pica_assert_gt(id, 0);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    struct pica_heap_stats h0, h1;
    pica_heap_stats(&h0);
    for (int i = 0; i < 100; i++) {
        id = i % 2 ? LOAD(switch_count, "switch") : LOAD(irq_hist, "irq:3");
        pica_assert_gt(id, 0);
        pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);
    }
    pica_heap_stats(&h1);
    pica_assert_eq(h1.used_bytes, h0.used_bytes);
    pica_assert_eq(h1.allocated_blocks, h0.allocated_blocks);
    pica_assert_eq(h1.free_bytes, h0.free_bytes);
    pica_bpf_lock();
    pica_assert_eq(pica_bpf_registry()->count, 0);
    pica_bpf_unlock();
}

/* ---- the run stacks: trace output is the deepest a program goes ---- */

PICA_TEST(programs_leave_room_on_their_run_stacks)
{
    /* After every test above: trace output from the cron hook is the
     * deepest a run goes. */
    started();
    size_t isr, thread, size;
    pica_bpf_stack_use(&isr, &thread, &size);
    printf("  run stacks used: interrupt %u, thread %u of %u\n", (unsigned)isr,
           (unsigned)thread, (unsigned)size);
    pica_assert_gt(thread, 0);
    pica_assert_gt(isr, 0);
    pica_assert_le(thread, size - 256); /* a margin for ports and compilers */
    pica_assert_le(isr, size - 256);
}

int
main(void)
{
    pica_test_run();
}
