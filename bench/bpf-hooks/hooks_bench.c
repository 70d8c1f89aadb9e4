/* SPDX-License-Identifier: MIT */
/* eBPF hook figures in guest instructions, for tools/pica-bench-bpf:
 *
 * - what an event costs with no program on its hook (the kernel's tap is a
 *   load and a compare), with an empty program, and with an example: a
 *   context switch (two threads yielding to each other), an interrupt
 *   (a software-triggered line with an empty handler), a log record, and a
 *   system call's, cron fire's and file open's hook reached through their
 *   taps (what the kernel adds to each such event);
 * - the time to load (read the ELF, verify, decode, attach) and unload
 *   programs of about 100 and 1000 instructions;
 * - the heap each loaded program holds.
 *
 * Each figure is an average over many events, read from the board's
 * instruction counter (counter/<kind>/tm_counter.h) with the measuring
 * thread the most urgent, under QEMU -icount: deterministic. Lines
 * "BPF <what> key=value..." carry raw counts; the script divides. */
#include <errno.h>
#include <pica/bpf_kern.h>
#include <pica/heap.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/tap.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "tm_counter.h"

PICA_LOG_MODULE(bench);

#define OBJ(name) extern const uint8_t bpf_obj_##name[], bpf_obj_##name##_end[]
OBJ(empty);
OBJ(switch_count);
OBJ(irq_hist);
OBJ(log_ratelimit);
OBJ(syscall_filter);
OBJ(load100);
OBJ(load1000);

#define SWITCH_ROUNDS 2000u /* yields per thread */
#define EVENTS 1000u

static void
fail(const char *what, int err)
{
    printf("BPF failed: %s (%d)\n", what, err);
    pica_exit(PICA_EXIT_TEST_FAILED);
}

static int
load(const uint8_t *start, const uint8_t *end, const char *hook, uint32_t rights)
{
    struct bpf_load_req req = {
        .elf = start, .len = (size_t)(end - start), .hook = hook, .rights = rights};
    static struct bpf_load_err err;
    int id = pica_bpf_load(&req, &err);
    if (id < 0) {
        printf("BPF load on %s: %s\n", hook, err.msg);
        fail("load", id);
    }
    return id;
}
#define LOAD(name, hook, rights) load(bpf_obj_##name, bpf_obj_##name##_end, hook, rights)

static void
unload(int id)
{
    int err = pica_bpf_unload((uint32_t)id);
    if (err != 0) {
        fail("unload", err);
    }
}

/* ---- switch: two threads at one priority yielding to each other ---- */

static struct pica_thread ping_thread[2];
static uint8_t ping_stack[2][1024] __attribute__((aligned(8)));

static void
ping(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < SWITCH_ROUNDS; i++) {
        pica_yield();
    }
}

/* Counts for 2 * SWITCH_ROUNDS switches and the yields around them. */
static uint32_t
switch_round(void)
{
    uint32_t t0 = tm_count();
    for (int i = 0; i < 2; i++) {
        if (pica_thread_create(&ping_thread[i], "ping", ping, NULL, ping_stack[i],
                               sizeof(ping_stack[i]), 5, 0) != 0) {
            fail("thread", -1);
        }
    }
    for (int i = 0; i < 2; i++) {
        (void)pica_thread_join(&ping_thread[i], PICA_FOREVER);
    }
    return tm_count() - t0;
}

static void
bench_switch(void)
{
    uint32_t none = switch_round();
    int id = LOAD(empty, "switch", 0);
    uint32_t empty = switch_round();
    unload(id);
    id = LOAD(switch_count, "switch", 0);
    uint32_t example = switch_round();
    unload(id);
    printf("BPF switch events=%u none=%lu empty=%lu example=%lu\n", 2u * SWITCH_ROUNDS,
           (unsigned long)none, (unsigned long)empty, (unsigned long)example);
}

/* ---- irq: a software-triggered line with an empty handler ---- */

static volatile uint32_t irq_seen;

static void
irq_handler(void *arg)
{
    (void)arg;
    irq_seen++;
}

static uint32_t
irq_round(unsigned line)
{
    irq_seen = 0;
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        pica_irq_trigger(line);
    }
    uint32_t t = tm_count() - t0;
    if (irq_seen != EVENTS) {
        fail("interrupts lost", (int)irq_seen);
    }
    return t;
}

static void
bench_irq(void)
{
    unsigned line = arch_irq_lines() - 1;
    char spec[16];
    snprintf(spec, sizeof(spec), "irq:%u", line);
    if (pica_irq_attach(line, irq_handler, NULL, 5) != 0) {
        fail("irq attach", -1);
    }
    pica_irq_enable(line);
    uint32_t none = irq_round(line);
    int id = LOAD(empty, spec, 0);
    uint32_t empty = irq_round(line);
    unload(id);
    id = LOAD(irq_hist, spec, 0);
    uint32_t example = irq_round(line);
    unload(id);
    pica_irq_detach(line);
    printf("BPF irq events=%u none=%lu empty=%lu example=%lu\n", EVENTS, (unsigned long)none,
           (unsigned long)empty, (unsigned long)example);
}

/* ---- log: a warning that passes the level test ---- */

static uint32_t
log_round(void)
{
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        PICA_LOG_WRN("x");
    }
    return tm_count() - t0;
}

static void
bench_log(void)
{
    PICA_LOG_REGISTER();
    uint32_t none = log_round();
    pica_log_flush();
    int id = LOAD(empty, "log", 0);
    uint32_t empty = log_round();
    pica_log_flush();
    unload(id);
    id = LOAD(log_ratelimit, "log", BPF_ATTACH_VERDICT);
    uint32_t example = log_round(); /* all but the first burst are dropped */
    unload(id);
    pica_log_flush();
    printf("BPF log events=%u none=%lu empty=%lu example=%lu\n", EVENTS, (unsigned long)none,
           (unsigned long)empty, (unsigned long)example);
}

/* ---- thread-level hooks through their taps ---- */

static uint32_t
syscall_round(void)
{
    static const uint32_t args[6] = {1, 2, 3, 4, 5, 6};
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        (void)pica_taps.syscall(0, args);
    }
    return tm_count() - t0;
}

static void
bench_thread_hooks(void)
{
    int id = LOAD(empty, "syscall", 0);
    uint32_t empty = syscall_round();
    unload(id);
    id = LOAD(syscall_filter, "syscall", BPF_ATTACH_VERDICT);
    uint32_t example = syscall_round();
    unload(id);
    printf("BPF syscall events=%u empty=%lu example=%lu\n", EVENTS, (unsigned long)empty,
           (unsigned long)example);
    id = LOAD(empty, "cron", 0);
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        pica_taps.cron(1, "job");
    }
    uint32_t cron = tm_count() - t0;
    unload(id);
    id = LOAD(empty, "fs", 0);
    t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        (void)pica_taps.fs(PICA_TAP_FS_OPEN, "/etc/crontab", 0);
    }
    uint32_t fs = tm_count() - t0;
    unload(id);
    printf("BPF cron events=%u empty=%lu\n", EVENTS, (unsigned long)cron);
    printf("BPF fs events=%u empty=%lu\n", EVENTS, (unsigned long)fs);
}

/* ---- loading ---- */

static void
bench_load(const char *what, const uint8_t *start, const uint8_t *end)
{
    enum { RUNS = 8 };
    struct pica_heap_stats h0, h1;
    pica_heap_stats(&h0);
    uint32_t load_counts = 0, unload_counts = 0, insns = 0, mem = 0;
    for (int i = 0; i < RUNS; i++) {
        uint32_t t0 = tm_count();
        int id = load(start, end, "timer:1000", 0);
        uint32_t t1 = tm_count();
        pica_bpf_lock();
        const struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), (uint32_t)id);
        insns = l->ninsns;
        mem = (uint32_t)l->mem;
        pica_bpf_unlock();
        uint32_t t2 = tm_count();
        unload(id);
        load_counts += t1 - t0;
        unload_counts += tm_count() - t2;
    }
    pica_heap_stats(&h1);
    if (h1.used_bytes != h0.used_bytes) {
        fail("heap not back", (int)(h1.used_bytes - h0.used_bytes));
    }
    printf("BPF load %s runs=%d insns=%lu bytes=%lu mem=%lu load=%lu unload=%lu\n", what, RUNS,
           (unsigned long)insns, (unsigned long)(end - start), (unsigned long)mem,
           (unsigned long)load_counts, (unsigned long)unload_counts);
}

/* ---- where an empty program's cost goes ---- */

uint64_t kern_now_ns(void);

static void
bench_breakdown(void)
{
    static uint64_t vstack[BPF_STACK_SIZE / 8];
    int id = LOAD(empty, "switch", 0);
    pica_bpf_lock();
    const struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), (uint32_t)id);
    pica_bpf_unlock();
    uint32_t t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        (void)kern_now_ns();
    }
    uint32_t clock = tm_count() - t0;
    struct bpf_exec x = {.stack = vstack, .stack_size = sizeof(vstack)};
    t0 = tm_count();
    for (unsigned i = 0; i < EVENTS; i++) {
        (void)bpf_run(&l->prog, &x);
    }
    uint32_t vm = tm_count() - t0;
    unload(id);
    printf("BPF parts events=%u clock=%lu vm_run=%lu\n", EVENTS, (unsigned long)clock,
           (unsigned long)vm);
}

/* ---- memory per program ---- */

static void
program_mem(const char *what, const uint8_t *start, const uint8_t *end, const char *hook)
{
    int id = load(start, end, hook, 0);
    pica_bpf_lock();
    const struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), (uint32_t)id);
    printf("BPF mem %s insns=%lu maps=%u mem=%lu\n", what, (unsigned long)l->ninsns,
           l->obj.nmaps, (unsigned long)l->mem);
    pica_bpf_unlock();
    unload(id);
}

int
main(void)
{
    tm_counter_init();
    pica_idle_set_busy(true);
    int err = pica_bpf_start();
    if (err != 0) {
        fail("start", err);
    }
    struct pica_thread *self = pica_thread_self();
    if (pica_thread_set_prio(self, 0) != 0) {
        fail("prio", -1);
    }
    printf("BPF counter %s, %u instructions per count\n", TM_COUNTER_NAME,
           (unsigned)TM_COUNT_INSNS);
    bench_breakdown();
    bench_switch();
    bench_irq();
    bench_log();
    bench_thread_hooks();
    bench_load("100", bpf_obj_load100, bpf_obj_load100_end);
    bench_load("1000", bpf_obj_load1000, bpf_obj_load1000_end);
    program_mem("empty", bpf_obj_empty, bpf_obj_empty_end, "switch");
    program_mem("switch_count", bpf_obj_switch_count, bpf_obj_switch_count_end, "switch");
    program_mem("irq_hist", bpf_obj_irq_hist, bpf_obj_irq_hist_end, "irq:1");
    program_mem("syscall_filter", bpf_obj_syscall_filter, bpf_obj_syscall_filter_end, "syscall");
    program_mem("log_ratelimit", bpf_obj_log_ratelimit, bpf_obj_log_ratelimit_end, "log");
    size_t isr, thread, size;
    pica_bpf_stack_use(&isr, &thread, &size);
    printf("BPF stacks isr=%u thread=%u size=%u\n", (unsigned)isr, (unsigned)thread,
           (unsigned)size);
    printf("BPF done\n");
    pica_exit(0);
}
