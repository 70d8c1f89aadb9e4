/* SPDX-License-Identifier: MIT */
/* A process written to pica_user.h: a producer thread sends numbers
 * through a queue to the first thread, which adds them up under a mutex
 * another thread also takes, waits for both on a semaphore and an event,
 * and returns the sum's check as the process's exit code. Every object is
 * a slot of the process, made from its quota. */
#include <stdio.h>
#include <stdlib.h>

#include <pica/user/pica_user.h>

#define COUNT 10
#define DONE_BIT 0x1u

static int queue, lock, done, finished;
static unsigned total;

static void
producer(void *arg)
{
    unsigned step = (unsigned)(uintptr_t)arg;
    for (unsigned i = 1; i <= COUNT; i++) {
        unsigned v = i * step;
        if (sys_queue_send(queue, &v, sizeof(v), SYS_FOREVER) != 0) {
            printf("producer: send failed\n");
        }
        sys_sleep_us(1000);
    }
    sys_event_set(done, DONE_BIT);
}

static void
bumper(void *arg)
{
    (void)arg;
    for (int i = 0; i < COUNT; i++) {
        sys_mutex_lock(lock, SYS_FOREVER);
        total += 1;
        sys_mutex_unlock(lock);
        sys_yield();
    }
    sys_sem_give(finished);
}

int
user_main(void)
{
    queue = sys_queue_create(sizeof(unsigned), 4);
    lock = sys_mutex_create();
    done = sys_event_create();
    finished = sys_sem_create(0, 1);
    if (queue < 0 || lock < 0 || done < 0 || finished < 0) {
        printf("user-queue: no objects (%d %d %d %d)\n", queue, lock, done, finished);
        return 1;
    }
    uint64_t t0 = sys_uptime_us();
    int p = sys_thread_create(producer, (void *)(uintptr_t)3, sys_prio());
    int b = sys_thread_create(bumper, NULL, sys_prio());
    printf("user-queue: threads in slots %d and %d\n", p, b);
    unsigned sum = 0;
    for (int i = 0; i < COUNT; i++) {
        unsigned v;
        if (sys_queue_recv(queue, &v, sizeof(v), SYS_FOREVER) == 0) {
            sys_mutex_lock(lock, SYS_FOREVER);
            total += v;
            sys_mutex_unlock(lock);
            sum += v;
        }
    }
    sys_event_wait(done, DONE_BIT, PICA_USER_EV_ALL, SYS_FOREVER);
    sys_sem_take(finished, SYS_FOREVER);
    char *copy = malloc(32);
    snprintf(copy, 32, "%u", sum);
    printf("user-queue: sum %s, total %u, in %lu us\n", copy, total,
           (unsigned long)(sys_uptime_us() - t0));
    free(copy);
    /* 3 * (1 + ... + 10) = 165, and the bumper's ten. */
    return sum == 165 && total == 175 ? 0 : 2;
}
