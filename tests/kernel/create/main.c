/* SPDX-License-Identifier: MIT */
/* Thread lifecycles at their edges: an interrupt resuming a thread while
 * pica_thread_create() is still building it, calls on dead threads, the
 * exit code handed to joiners, and more threads than any fixed batch for
 * pica_thread_foreach(). */
#include <errno.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <stdbool.h>
#include <stdio.h>

#define ROUNDS 300

static struct pica_thread target;
PICA_THREAD_STACK_DEFINE(target_stack, 1024);
static volatile uint32_t ran_round;
static volatile uint32_t resumes, resumes_busy, resumes_ok;

static void
target_entry(void *arg)
{
    ran_round = (uint32_t)(uintptr_t)arg;
    pica_thread_exit((int)(uintptr_t)arg);
}

/* The device interrupt resumes the target whatever state it is in. */
static void
resume_target(void)
{
    int r = pica_thread_resume(&target);
    resumes++;
    if (r == -EBUSY) {
        resumes_busy++;
    } else if (r == 0) {
        resumes_ok++;
    }
}

PICA_TEST(resume_during_create_never_runs_a_half_built_thread)
{
    /* An interrupt every 4 us: a create (clearing a 1 KB stack, building
     * the frame) is caught in its window again and again. */
    int err = pica_test_devtimer_start(4000, resume_target);
    if (err == -ENOTSUP) {
        printf("  skipped: no device timer on this board\n");
        return;
    }
    pica_assert_eq(err, 0);
    for (uint32_t round = 1; round <= ROUNDS; round++) {
        ran_round = 0;
        /* More urgent than this thread: a resume runs it at once. */
        pica_assert_eq(pica_thread_create(&target, "target", target_entry, (void *)(uintptr_t)round,
                                          target_stack, sizeof(target_stack), 10,
                                          PICA_START_SUSPENDED),
                       0);
        struct pica_thread_info info;
        pica_assert_eq(pica_thread_info(&target, &info), 0);
        pica_assert(info.state == PICA_THREAD_SUSPENDED || info.state == PICA_THREAD_DEAD);
        if (info.state == PICA_THREAD_SUSPENDED) {
            int r = pica_thread_resume(&target);
            pica_assert(r == 0 || r == -ESRCH); /* the interrupt may have come first */
        }
        int code = -1;
        pica_assert_eq(pica_thread_join_code(&target, PICA_MS(100), &code), 0);
        pica_assert_eq(code, (int)round);
        pica_assert_eq(ran_round, round);
    }
    pica_test_devtimer_stop();
    /* The window was really hit, and refused. */
    pica_assert_gt(resumes_busy, 0);
    pica_assert_gt(resumes_ok, 0);
}

static void
exit_with(void *arg)
{
    pica_thread_exit((int)(uintptr_t)arg);
}

static void
exit_later(void *arg)
{
    pica_sleep(PICA_TICKS(3));
    pica_thread_exit((int)(uintptr_t)arg);
}

PICA_TEST(calls_on_a_dead_thread_say_so)
{
    pica_assert_eq(pica_thread_create(&target, "t", exit_with, (void *)7, target_stack,
                                      sizeof(target_stack), 10, 0),
                   0);
    pica_assert_eq(pica_thread_join(&target, PICA_MS(100)), 0);
    pica_assert_eq(pica_thread_set_prio(&target, 12), -ESRCH);
    pica_assert_eq(pica_thread_kill(&target), -ESRCH);
    pica_assert_eq(pica_thread_suspend(&target), -ESRCH);
    pica_assert_eq(pica_thread_resume(&target), -ESRCH);
    int code = 0;
    pica_assert_eq(pica_thread_join_code(&target, PICA_NO_WAIT, &code), 0);
    pica_assert_eq(code, 7);
}

static struct pica_thread recreator;
PICA_THREAD_STACK_DEFINE(recreator_stack, 1024);

/* Woken by the target's death before the joiner runs, it re-creates the
 * target at once, which resets the exit code kept in the thread. */
static void
recreate_target(void *arg)
{
    (void)arg;
    pica_thread_join(&target, PICA_FOREVER);
    pica_thread_create(&target, "again", exit_later, (void *)99, target_stack,
                       sizeof(target_stack), 12, 0);
}

PICA_TEST(join_hands_over_the_exit_code_even_if_the_thread_is_created_again)
{
    pica_assert_eq(pica_thread_create(&target, "t", exit_later, (void *)42, target_stack,
                                      sizeof(target_stack), 12, 0),
                   0);
    pica_assert_eq(pica_thread_create(&recreator, "re", recreate_target, NULL, recreator_stack,
                                      sizeof(recreator_stack), 3, 0),
                   0);
    int code = 0;
    pica_assert_eq(pica_thread_join_code(&target, PICA_MS(100), &code), 0);
    pica_assert_eq(code, 42);
    pica_assert_eq(pica_thread_join(&recreator, PICA_MS(100)), 0);
    pica_assert_eq(pica_thread_join_code(&target, PICA_MS(100), &code), 0);
    pica_assert_eq(code, 99);
    /* Bad arguments change nothing. */
    code = 5;
    pica_assert_eq(pica_thread_join_code(&target, -7, &code), -EINVAL);
    pica_assert_eq(code, 5);
}

#define MANY 70
static struct pica_thread many[MANY];
static uint64_t many_stacks[MANY][320 / 8] __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
static struct pica_sem never;

static void
wait_forever(void *arg)
{
    (void)arg;
    pica_sem_take(&never, PICA_FOREVER);
}

static void
count_thread(struct pica_thread *t, void *arg)
{
    for (int i = 0; i < MANY; i++) {
        if (t == &many[i]) {
            (*(int *)arg)++;
        }
    }
}

PICA_TEST(foreach_sees_every_thread_however_many)
{
    pica_assert_eq(pica_sem_init(&never, 0, 1), 0);
    for (int i = 0; i < MANY; i++) {
        pica_assert_eq(pica_thread_create(&many[i], "many", wait_forever, NULL, many_stacks[i],
                                          sizeof(many_stacks[i]), 20, 0),
                       0);
    }
    int seen = 0;
    int total = pica_thread_foreach(count_thread, &seen);
    pica_assert_eq(seen, MANY);
    pica_assert_gt(total, MANY);
    for (int i = 0; i < MANY; i++) {
        pica_assert_eq(pica_thread_kill(&many[i]), 0);
    }
}

int
main(void)
{
    pica_test_run();
}
