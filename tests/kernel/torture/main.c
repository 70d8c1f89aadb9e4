/* SPDX-License-Identifier: MIT */
/* Torture: ten workers of mixed priorities, two drifters that are killed
 * and created again, and three interrupt sources at varying rates run
 * random operations on semaphores, queues, event flags, pools, mutexes,
 * timers, the heap and threads, with random timeouts, for several seconds
 * of virtual time. Then every thread must stop (no deadlock, no lost
 * wake-up), and the model (model.c) must agree with the objects: no token,
 * message, event bit, block or timer callback made or lost. In a debug
 * kernel (the virt-rv32-debug tree) the scheduler's invariants are walked
 * at every switch as well.
 *
 * Every choice follows from one seed, printed first; under icount a run
 * replays exactly. Replay or vary it with
 *     cmake -B <tree> -DPICA_TORTURE_SEED=<n|random> [-DPICA_TORTURE_MS=<ms>]
 * and ctest --test-dir <tree> -R torture. */
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "torture.h"

#ifndef PICA_TORTURE_SEED
#define PICA_TORTURE_SEED 1u
#endif
#ifndef PICA_TORTURE_MS
#define PICA_TORTURE_MS 3000u
#endif

static uint64_t worker_stack[TT_WORKERS][TT_STACK / 8]
    __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
/* Equal priorities in places, so that slices rotate among them. */
static const unsigned worker_prio[TT_WORKERS] = {4, 5, 6, 6, 7, 8, 8, 8, 10, 12};

/* Below every worker, a thread that computes whenever nothing else runs:
 * under icount the idle loop is the slowest code to emulate, so this buys
 * virtual time cheaply. It also checks that preemption leaves its registers
 * and memory alone: the same integer and floating-point sums over a buffer
 * only it writes must come out the same every time. It sleeps now and then
 * so that the system still idles (tickless) too. */
#define CHURN_WORDS 256u
static uint32_t churn_buf[CHURN_WORDS];
static struct pica_thread churn_thread;
static uint64_t churn_stack[TT_STACK / 8] __attribute__((aligned(PICA_STACK_GUARD_BYTES)));

static uint32_t
churn_sum(void)
{
    uint32_t h = 0;
    for (unsigned i = 0; i < CHURN_WORDS; i++) {
        h = (h ^ churn_buf[i]) * 0x01000193u + (h >> 7);
    }
    return h;
}

static uint32_t
churn_fsum(void)
{
    float f = 0.0f;
    for (unsigned i = 0; i < CHURN_WORDS; i++) {
        f = f * 0.75f + (float)(churn_buf[i] & 0xffffu);
    }
    uint32_t bits;
    memcpy(&bits, &f, sizeof(bits));
    return bits;
}

static void
churn(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg;
    for (unsigned i = 0; i < CHURN_WORDS; i++) {
        churn_buf[i] = tt_mix(seed + i);
    }
    uint32_t sum = churn_sum(), fsum = churn_fsum();
    pica_tick_t next_sleep = pica_tick_now() + 20u + seed % 64u;
    while (!tt_stop) {
        TT_CHECK_EQ(churn_sum(), sum);
        TT_CHECK_EQ(churn_fsum(), fsum);
        if (pica_tick_now() >= next_sleep) {
            seed = tt_mix(seed);
            TT_CHECK_EQ(pica_sleep(PICA_TICKS(1 + seed % 2u)), 0);
            next_sleep = pica_tick_now() + 20u + seed % 64u;
        }
    }
}

static void
report_thread(struct pica_thread *t, unsigned id)
{
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0) {
        printf("  %s %u: %s at priority %u, in %s\n", info.name, id,
               pica_thread_state_name(info.state), info.prio,
               tt_ctx[id].op != NULL ? tt_ctx[id].op : "-");
    }
}

static void
report_threads(void)
{
    for (unsigned w = 0; w < TT_WORKERS; w++) {
        report_thread(&tt_worker_thread[w], TT_CTX_WORKER + w);
    }
    for (unsigned d = 0; d < TT_DRIFTERS; d++) {
        report_thread(&tt_drifter_thread[d], TT_CTX_DRIFTER + d);
    }
}

/* Every worker and drifter must end soon after the stop: the interrupt
 * sources still run, so any wait they are in can end. */
static bool
join_all(void)
{
    for (unsigned w = 0; w < TT_WORKERS; w++) {
        int code = 1;
        if (pica_thread_join_code(&tt_worker_thread[w], PICA_MS(3000), &code) != 0) {
            return false;
        }
        TT_CHECK_EQ(code, 0);
    }
    for (unsigned d = 0; d < TT_DRIFTERS; d++) {
        int code = 1;
        if (pica_thread_join_code(&tt_drifter_thread[d], PICA_MS(3000), &code) != 0) {
            return false;
        }
        TT_CHECK(code == 0 || code == -EINTR);
        TT_CHECK_EQ(tt_ctx[TT_CTX_DRIFTER + d].pool_n, 0);
    }
    return pica_thread_join(&churn_thread, PICA_MS(1000)) == 0;
}

static void
start_threads(uint32_t seed)
{
    pica_assert_eq(pica_thread_create(&churn_thread, "churn", churn, (void *)(uintptr_t)seed,
                                      churn_stack, sizeof(churn_stack), TT_PRIO_HIGH + 1u, 0),
                   0);
    for (unsigned d = 0; d < TT_DRIFTERS; d++) {
        pica_assert_eq(tt_drifter_create(d), 0);
    }
    for (unsigned w = 0; w < TT_WORKERS; w++) {
        pica_assert_eq(pica_thread_create(&tt_worker_thread[w], "worker", tt_worker,
                                          (void *)(uintptr_t)w, worker_stack[w],
                                          sizeof(worker_stack[w]), worker_prio[w], 0),
                       0);
    }
}

/* With every source stopped, main takes back what handlers held and
 * receives what is left, as one more context of the model. */
static void
collect_leftovers(void)
{
    for (unsigned id = TT_CTX_DEVTIMER; id <= TT_CTX_TICK; id++) {
        while (tt_ctx[id].pool_n != 0) {
            tt_pool_free(id, tt_ctx[id].pool_n - 1, true);
        }
    }
    tt_heap_mail_drain(TT_CTX_MAIN);
    for (unsigned q = 0; q < TT_QUEUES; q++) {
        while (tt_recv(TT_CTX_MAIN, q, PICA_NO_WAIT) == 0) {
        }
    }
    tt_watchdog_stop(TT_CTX_MAIN);
}

/* Microseconds the idle thread has run (0 without PICA_CFG_THREAD_STATS):
 * the time left to it and to the background thread was not torture. */
static uint64_t
idle_us(void)
{
    struct pica_thread_info info;
    return pica_test_find_thread("idle", &info) == 0 ? info.cpu_us : 0;
}

static void
report_stacks(void)
{
    size_t deepest = 0;
    for (unsigned w = 0; w < TT_WORKERS + TT_DRIFTERS; w++) {
        struct pica_thread_info info;
        struct pica_thread *t = w < TT_WORKERS ? &tt_worker_thread[w]
                                               : &tt_drifter_thread[w - TT_WORKERS];
        if (pica_thread_info(t, &info) == 0 && info.stack_used_max > deepest) {
            deepest = info.stack_used_max;
        }
    }
    printf("torture: deepest stack %u of %u bytes\n", (unsigned)deepest, (unsigned)TT_STACK);
}

PICA_TEST(random_operations_from_threads_and_interrupts_keep_the_model)
{
    uint32_t seed = PICA_TORTURE_SEED;
    printf("torture: seed %lu, %u ms of virtual time\n", (unsigned long)seed,
           (unsigned)PICA_TORTURE_MS);
    tt_model_init(seed);
    struct pica_heap_stats before;
    pica_assert_eq(pica_heap_stats(&before), 0);
    uint32_t spurious = pica_irq_spurious_count();
    /* Above every actor but the timer thread, so the run ends on time. */
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), TT_PRIO_MAIN), 0);
    bool devtimer = tt_sources_start();
    start_threads(seed);
    uint64_t start_us = pica_uptime_us(), idle_start_us = idle_us();
    pica_tick_t end = pica_tick_now() + (pica_tick_t)PICA_TORTURE_MS * PICA_CFG_TICK_HZ / 1000u;
    while (!tt_stop && pica_tick_now() < end) {
        pica_sleep(PICA_TICKS(10));
    }
    tt_stop = true;
    if (!join_all()) {
        printf("torture: threads did not stop (seed %lu):\n", (unsigned long)seed);
        report_threads();
        pica_assert(!"every thread stops");
    }
    uint32_t run_ms = (uint32_t)((pica_uptime_us() - start_us) / 1000u);
    uint32_t idle_ms = (uint32_t)((idle_us() - idle_start_us) / 1000u);
    struct pica_thread_info churn_info;
    pica_assert_eq(pica_thread_info(&churn_thread, &churn_info), 0);
    uint32_t churn_ms = (uint32_t)(churn_info.cpu_us / 1000u);
    tt_sources_stop_all();
    collect_leftovers();
    tt_model_check(&before);
    TT_CHECK_EQ(pica_irq_spurious_count(), spurious);
    tt_model_summary();
    report_stacks();
    printf("torture: %lu ms of virtual time, %lu idle, %lu in the background thread%s\n",
           (unsigned long)run_ms, (unsigned long)idle_ms, (unsigned long)churn_ms,
           devtimer ? "" : "; no device timer: the software line only");
    if (tt_failures() != 0) {
        tt_report_failure();
        printf("torture: replay with seed %lu (-DPICA_TORTURE_SEED=%lu)\n", (unsigned long)seed,
               (unsigned long)seed);
    }
    pica_assert_eq(tt_failures(), 0);
    pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN);
}

int
main(void)
{
    pica_test_run();
}
