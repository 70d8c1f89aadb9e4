/* SPDX-License-Identifier: MIT */
/* The fast paths' atomics (arch_count_take/give, arch_list_pop) hold under
 * interrupt load: the port's timer, taken from the kernel (port.h), and the
 * board's device timer where there is one, interrupt a thread that gives,
 * takes and pops in a loop, and their handlers do the same on the same
 * objects. A lost update shows in the count's balance, a node popped twice
 * in its owner mark. The loop's length varies so that interrupts land on
 * every instruction of it. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>

#include "arch.h"
#include "port.h"

#define COUNT_MAX 3u
#define NODES 8
#define SOURCES 3 /* the thread, the port's timer, the device timer */
#define LOAD_MS 20

struct node {
    struct node *next; /* first word: arch_list_pop follows it */
    volatile uint32_t owner; /* 0 on the list, else the source holding it */
};

static uint32_t count;
static void *head;
static struct node nodes[NODES];

/* Per source, written only by that source (handlers do not nest into
 * themselves), so the tallies need no atomics of their own. */
static struct tally {
    uint32_t gives, takes, give_refused, take_refused, pops, errors, runs;
    struct node *held; /* popped last time, pushed back next time */
} tally[SOURCES];

/* Push under the kernel lock: only the pop is under test. */
static void
push(struct node *n)
{
    n->owner = 0;
    unsigned key = arch_irq_lock();
    n->next = head;
    head = n;
    arch_irq_unlock(key);
}

/* One round of everything for @src: a give or take by turns, then pop a
 * node and push back the one held since last time, so a handler moves the
 * list's head on (a pop followed by a push of another node) under a thread
 * that is half-way through its own pop. */
static void
round_of(unsigned src)
{
    struct tally *t = &tally[src];
    t->runs++;
    /* The thread gives for 16 rounds, then takes for 16, so the count also
     * meets its ends; the handlers alternate. */
    if (src == 0 ? (t->runs & 16u) != 0 : (t->runs & 1u) != 0) {
        arch_count_give(&count, COUNT_MAX) ? t->gives++ : t->give_refused++;
    } else {
        arch_count_take(&count) ? t->takes++ : t->take_refused++;
    }
    if ((int32_t)count < 0 || count > COUNT_MAX) {
        t->errors++;
    }
    struct node *n = arch_list_pop(&head);
    if (n != NULL) {
        t->pops++;
        if (n->owner != 0) {
            t->errors++; /* someone else popped it too */
        }
        n->owner = src + 1u;
    }
    if (t->held != NULL) {
        push(t->held);
    }
    t->held = n;
}

static void
timer_load(void)
{
    round_of(1);
}

static void
devtimer_load(void)
{
    round_of(2);
}

static void
objects_init(void)
{
    count = 1;
    head = NULL;
    for (int i = 0; i < NODES; i++) {
        nodes[i].owner = 0;
        push(&nodes[i]);
    }
    for (int s = 0; s < SOURCES; s++) {
        tally[s] = (struct tally){0};
    }
}

/* Spin @n times: a few instructions each, to move the loop's phase against
 * the interrupts. */
static void
spin(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++) {
    }
}

PICA_TEST(atomics_hold_under_interrupt_load)
{
    objects_init();
    uint64_t hz = arch_timer_hz();
    /* A device timer beside the port's where the board has one. */
    int dev = pica_test_devtimer_start(7300, devtimer_load);
    if (dev == -ENOTSUP) {
        printf("  no device timer on this board: the port's timer alone\n");
    } else {
        pica_assert_eq(dev, 0);
    }
    unsigned key = arch_irq_lock();
    port_timer_take_locked(timer_load);
    uint64_t now = arch_timer_cycles();
    uint32_t period = (uint32_t)(hz / 200000u) + 1u; /* 5 us */
    arch_timer_periodic(now + period, period);
    arch_irq_unlock(key);
    uint64_t end = now + hz / 1000u * LOAD_MS;
    for (unsigned i = 0; arch_timer_cycles() < end; i++) {
        spin(i % 5u);
        round_of(0);
    }
    port_timer_give_back();
    if (dev == 0) {
        pica_test_devtimer_stop();
    }
    /* Back on the list, whoever holds one. */
    for (int s = 0; s < SOURCES; s++) {
        if (tally[s].held != NULL) {
            push(tally[s].held);
        }
    }

    uint32_t gives = 0, takes = 0, errors = 0;
    for (int s = 0; s < SOURCES; s++) {
        gives += tally[s].gives;
        takes += tally[s].takes;
        errors += tally[s].errors;
    }
    printf("  %lu timer and %lu device interrupts; %lu gives, %lu takes\n",
           (unsigned long)tally[1].runs, (unsigned long)tally[2].runs, (unsigned long)gives,
           (unsigned long)takes);
    pica_assert_eq(errors, 0);
    pica_assert_eq(count, 1u + gives - takes);
    /* Every refusal case was met, and interrupts really came. */
    pica_assert_gt(tally[0].give_refused + tally[1].give_refused + tally[2].give_refused, 0);
    pica_assert_gt(tally[0].take_refused + tally[1].take_refused + tally[2].take_refused, 0);
    pica_assert_gt(tally[1].runs, 1000);
    /* Every node once on the list, none lost or twice. */
    unsigned on_list = 0;
    for (struct node *n = head; n != NULL && on_list <= NODES; n = n->next) {
        on_list++;
        pica_assert_eq(n->owner, 0);
    }
    pica_assert_eq(on_list, NODES);
}
