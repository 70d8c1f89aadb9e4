/* SPDX-License-Identifier: MIT */
/* Kernel time. While threads run, the port's timer interrupts every tick
 * (cpt = timer cycles per tick); the tick count is derived from the 64-bit
 * cycle count (tick n starts at cycle n * cpt), so a late interrupt never
 * loses a tick. With PICA_CFG_TICKLESS the idle thread stops the tick and
 * leaves one interrupt armed for the first deadline; leaving idle restarts
 * the tick on its old boundaries. Timeouts sit in one list ordered by
 * deadline (FIFO among equal ones). */
#include "timeout.h"

#include <errno.h>
#include <pica/panic.h>
#include <pica/time.h>

#include "arch.h"
#include "check.h"
#include "sched.h"
#include "thread_priv.h"

static struct pica_list timeouts = PICA_LIST_INIT(timeouts);
static pica_tick_t tick_count;
static uint64_t tick_next_cycles; /* cycle count where tick_count + 1 begins */
static uint32_t cpt;              /* timer cycles per tick */
bool tick_stopped;                /* tickless idle: only a deadline is armed */
uint32_t timer_interrupts;        /* timer interrupts taken, for pica_sys_stats() */

uint32_t
timeout_cycles_per_tick(void)
{
    return cpt;
}

pica_tick_t
tick_now_locked(void)
{
    if (cpt == 0) {
        return 0; /* the tick starts with the scheduler */
    }
    uint64_t now = arch_timer_cycles();
    if (now >= tick_next_cycles) {
        /* Division only after long tickless sleeps; a tick or two is a loop. */
        uint64_t behind = (now - tick_next_cycles) / cpt + 1u;
        tick_count += behind;
        tick_next_cycles += behind * cpt;
    }
    return tick_count;
}

/* The cycle count where tick @d begins; a tick already begun gives the
 * start of the current one, a count already past. */
static uint64_t
tick_start_cycles(pica_tick_t d)
{
    if (d <= tick_count) {
        return tick_next_cycles - cpt;
    }
    return tick_next_cycles + (d - tick_count - 1u) * cpt;
}

/* The first timeout's deadline, or 0 with none. */
static pica_tick_t
first_deadline(void)
{
    if (pica_list_empty(&timeouts)) {
        return 0;
    }
    return pica_container_of(timeouts.next, struct pica_timeout, node)->deadline;
}

/* Tickless: one interrupt, where the first deadline's tick begins; one
 * already due (its tick passed while the interrupt waited) fires at once. */
static void
arm_next_deadline_locked(void)
{
    arch_timer_oneshot(pica_list_empty(&timeouts) ? UINT64_MAX
                                                  : tick_start_cycles(first_deadline()));
}

/* Tick interrupts again, at the boundaries the tick always had: a restart
 * never moves them (time spent idle, whatever woke the CPU, is counted to
 * the cycle). A timeout that fell due while the tick was stopped and whose
 * interrupt is not yet taken makes the first interrupt come at once. */
static void
tick_restart_locked(void)
{
    uint64_t first = tick_next_cycles;
    if (!pica_list_empty(&timeouts) && first_deadline() <= tick_count) {
        first -= cpt;
    }
    arch_timer_periodic(first, cpt);
}

void
timeout_check_locked(void)
{
    pica_tick_t last = 0;
    unsigned steps = 0;
    for (struct pica_list *n = timeouts.next; n != &timeouts; n = n->next) {
        struct pica_timeout *to = pica_container_of(n, struct pica_timeout, node);
        if (to->deadline < last || n->next->prev != n) {
            PICA_PANIC("timeouts: list out of order or broken at deadline %lu",
                       (unsigned long)to->deadline);
        }
        last = to->deadline;
        if (++steps > 100000u) {
            PICA_PANIC("timeouts: list does not end");
        }
    }
}

void
timeout_add_locked(struct pica_timeout *to, pica_tick_t deadline)
{
    to->deadline = deadline;
    /* Most new deadlines are the latest: search from the tail. */
    struct pica_list *pos = timeouts.prev;
    while (pos != &timeouts &&
           pica_container_of(pos, struct pica_timeout, node)->deadline > deadline) {
        pos = pos->prev;
    }
    pica_list_insert_before(pos->next, &to->node);
    if (tick_stopped && timeouts.next == &to->node) {
        arm_next_deadline_locked();
    }
}

void
timeout_cancel_locked(struct pica_timeout *to)
{
    pica_list_remove(&to->node);
}

static void
expire_due_locked(pica_tick_t now)
{
    while (!pica_list_empty(&timeouts)) {
        struct pica_timeout *to = pica_container_of(timeouts.next, struct pica_timeout, node);
        if (to->deadline > now) {
            break;
        }
        pica_list_remove(&to->node);
        to->expire(to);
    }
}

void
sched_timer_isr(void)
{
    unsigned key = arch_irq_lock();
    timer_interrupts++;
    /* Stopped: the one-shot for a deadline. Whether the tick restarts is
     * decided once, after every expiry, not by the first thread woken. */
    bool stopped = tick_stopped;
    tick_stopped = false;
    pica_tick_t now = tick_now_locked();
    expire_due_locked(now);
    struct pica_thread *t = sched.current;
    if (PICA_CFG_TIME_SLICE_TICKS != 0 && t != &sched_idle_thread &&
        t->state == PICA_THREAD_READY && --t->slice_left == 0) {
        t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
        sched_rotate_locked();
    }
    if (stopped) {
        if (sched_top_locked() == &sched_idle_thread) {
            tick_stopped = true;
            arm_next_deadline_locked();
        } else {
            tick_restart_locked();
        }
    }
    sched_reschedule_locked();
    arch_irq_unlock(key);
}

void
timeout_start_locked(void)
{
    cpt = arch_timer_hz() / PICA_CFG_TICK_HZ;
    if (cpt == 0) {
        PICA_PANIC("timer at %lu Hz cannot give %u ticks/s", (unsigned long)arch_timer_hz(),
                   (unsigned)PICA_CFG_TICK_HZ);
    }
    /* Tick n begins at cycle n * cpt: tick boundaries and the microsecond
     * clock agree for good. */
    tick_count = arch_timer_cycles() / cpt;
    tick_next_cycles = (tick_count + 1u) * cpt;
    arch_timer_periodic(tick_next_cycles, cpt);
}

void
timeout_tick_stop_locked(void)
{
    tick_stopped = true;
    arm_next_deadline_locked();
}

void
timeout_tick_restart_locked(void)
{
    tick_stopped = false;
    tick_now_locked();
    tick_restart_locked();
}

pica_tick_t
pica_tick_now(void)
{
    unsigned key = arch_irq_lock();
    pica_tick_t now = tick_now_locked();
    arch_irq_unlock(key);
    return now;
}

uint64_t
pica_uptime_us(void)
{
    uint64_t cycles = arch_timer_cycles();
    uint32_t hz = arch_timer_hz();
    if (hz == 0) {
        return 0; /* before arch_timer_init() */
    }
    /* Split to keep cycles * 10^6 from overflowing. */
    return cycles / hz * 1000000u + cycles % hz * 1000000u / hz;
}

static void
sleep_expire(struct pica_timeout *to)
{
    struct pica_thread *t = pica_container_of(to, struct pica_thread, timeout);
    thread_wait_end_locked(t, 0);
}

int
pica_sleep(pica_timeout_t timeout)
{
    PICA_CHECK(timeout != PICA_FOREVER && timeout >= 0, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = sched_may_block(key);
    if (err != 0 || timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        if (err == 0) {
            pica_yield();
        }
        return err;
    }
    return sched_block_locked(key, PICA_THREAD_SLEEPING, NULL,
                              tick_now_locked() + (pica_tick_t)timeout, sleep_expire);
}

int
pica_sleep_until(pica_tick_t *deadline, pica_tick_t period)
{
    PICA_CHECK(deadline != NULL && period <= (pica_tick_t)PICA_TIMEOUT_MAX, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = sched_may_block(key);
    if (err != 0) {
        arch_irq_unlock(key);
        return err;
    }
    *deadline += period;
    pica_tick_t now = tick_now_locked();
    if (*deadline <= now) {
        /* Overrun: the loop's work took the whole period or more. */
        pica_tick_t late = now - *deadline + 1u;
        arch_irq_unlock(key);
        return late > (pica_tick_t)INT32_MAX ? INT32_MAX : (int)late;
    }
    err = sched_block_locked(key, PICA_THREAD_SLEEPING, NULL, *deadline, sleep_expire);
    return err;
}
