/* SPDX-License-Identifier: MIT */
/* Dining philosophers: five threads, five forks as mutexes. Each takes the
 * lower-numbered fork first, which breaks the cycle that could deadlock. */
#include <pica/mutex.h>
#include <pica/pica.h>
#include <pica/thread.h>
#include <stdio.h>

#include "demo.h"

#define N 5

static struct pica_mutex forks[N];
static struct pica_thread philosopher[N];
static uint64_t stacks[N][768 / 8];
static const char *const names[N] = {"plato", "kant", "hume", "locke", "spinoza"};

static uint32_t
pseudo_random(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void
dine(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    unsigned first = i, second = (i + 1) % N;
    if (second < first) {
        first = second;
        second = i;
    }
    uint32_t seed = 7u * i + 1u, meals = 0;
    for (;;) {
        pica_sleep(PICA_MS(200 + pseudo_random(&seed) % 800)); /* thinking */
        pica_mutex_lock(&forks[first], PICA_FOREVER);
        pica_mutex_lock(&forks[second], PICA_FOREVER);
        meals++;
        if (demo_verbose && meals % 5 == 0) {
            printf("[%s has eaten %lu meals]\n", names[i], (unsigned long)meals);
        }
        pica_sleep(PICA_MS(100 + pseudo_random(&seed) % 200)); /* eating */
        pica_mutex_unlock(&forks[second]);
        pica_mutex_unlock(&forks[first]);
    }
}

void
demo_philosophers_start(void)
{
    for (unsigned i = 0; i < N; i++) {
        pica_mutex_init(&forks[i]);
    }
    for (unsigned i = 0; i < N; i++) {
        pica_thread_create(&philosopher[i], names[i], dine, (void *)(uintptr_t)i, stacks[i],
                           sizeof(stacks[i]), 20, 0);
    }
}
