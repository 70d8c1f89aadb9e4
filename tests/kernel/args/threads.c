/* SPDX-License-Identifier: MIT */
/* Argument rows of threads, time and the system figures (include/pica/
 * thread.h, time.h, stats.h). Rows marked with a known defect name the
 * code that fails them; that code is not this test's. */
#include <pica/errno.h>
#include <pica/stats.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <string.h>

#include "args.h"

/* ---- threads ---- */

/* @thread suspended (ARG_READY), dead, the caller itself, or the idle
 * thread; create's rows make @thread_new, or with THREAD_LIVE @thread. */
enum { THREAD_DEAD = ARG_VARIANT, THREAD_SELF, THREAD_IDLE, THREAD_LIVE };

#define THREAD_STACK PICA_TEST_WORKER_STACK

static struct pica_thread thread, thread_zeroed, thread_new;
PICA_THREAD_STACK_DEFINE(thread_stack, THREAD_STACK);
PICA_THREAD_STACK_DEFINE(thread_new_stack, THREAD_STACK);
static struct pica_thread *idle;
static struct pica_thread_info info_before, new_before, info_out;
static int code_out;
static int threads_before;

static void
returns_at_once(void *arg)
{
    (void)arg;
}

static void
count_one(struct pica_thread *t, void *arg)
{
    (void)t;
    ++*(int *)arg;
}

static void
find_idle(struct pica_thread *t, void *arg)
{
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0 && strcmp(info.name, "idle") == 0) {
        idle = t;
    }
}

static int
threads_seen(void)
{
    int n = 0;
    pica_thread_foreach(count_one, &n);
    return n;
}

/* End whatever a previous row left alive (a create that wrongly
 * succeeded included), so that every row starts alike. */
static void
thread_end(struct pica_thread *t)
{
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0 && info.state != PICA_THREAD_INACTIVE &&
        info.state != PICA_THREAD_DEAD) {
        pica_assert_eq(pica_thread_kill(t), 0);
    }
}

static void
thread_setup(const struct arg_row *r)
{
    if (idle == NULL) {
        pica_thread_foreach(find_idle, NULL);
        pica_assert(idle != NULL);
    }
    thread_end(&thread);
    thread_end(&thread_new);
    /* Above the caller's priority, a thread that is not suspended runs and
     * ends before create returns. */
    unsigned flags = r->obj == THREAD_DEAD ? 0u : PICA_START_SUSPENDED;
    pica_assert_eq(pica_thread_create(&thread, "fixture", returns_at_once, NULL, thread_stack,
                                      sizeof(thread_stack), ARGS_WORKER_PRIO, flags),
                   0);
    pica_assert_eq(pica_thread_info(&thread, &info_before), 0);
    pica_assert_eq(pica_thread_info(&thread_new, &new_before), 0);
    pica_assert_eq(info_before.state, r->obj == THREAD_DEAD ? PICA_THREAD_DEAD
                                                            : PICA_THREAD_SUSPENDED);
    memset(&info_out, 0x5a, sizeof(info_out));
    code_out = 0x5a5a5a5a;
    threads_before = threads_seen();
    args_snap("the never-created thread", &thread_zeroed, sizeof(thread_zeroed));
    args_snap("the info out-parameter", &info_out, sizeof(info_out));
    args_snap("the exit-code out-parameter", &code_out, sizeof(code_out));
}

static bool
info_same(const struct pica_thread_info *a, const struct pica_thread_info *b)
{
    return a->state == b->state && a->prio == b->prio && a->base_prio == b->base_prio &&
           a->exit_code == b->exit_code;
}

static const char *
thread_check(const struct arg_row *r)
{
    struct pica_thread_info now;
    pica_assert_eq(pica_thread_info(&thread, &now), 0);
    if (!info_same(&now, &info_before)) {
        return args_fmt("the fixture thread changed: state %d prio %u, was state %d prio %u",
                        now.state, now.base_prio, info_before.state, info_before.base_prio);
    }
    pica_assert_eq(pica_thread_info(&thread_new, &now), 0);
    if (!info_same(&now, &new_before)) {
        return args_fmt("the control block of a refused create changed: state %d, was %d",
                        now.state, new_before.state);
    }
    int threads = threads_seen();
    return threads != threads_before
               ? args_fmt("%d threads, %d before the call", threads, threads_before)
               : NULL;
}

static void
thread_teardown(const struct arg_row *r)
{
    thread_end(&thread);
    thread_end(&thread_new);
}

static struct pica_thread *
thread_arg(const struct arg_row *r)
{
    switch (r->obj) {
    case THREAD_SELF:
        return pica_thread_self();
    case THREAD_IDLE:
        return idle;
    case THREAD_LIVE:
        return &thread;
    default:
        return ARG_OBJ(r, &thread, &thread_zeroed);
    }
}

/* create(t, ...): @ptr picks which pointer is NULL, @a is the stack size
 * (0: the whole stack), @b the priority and flags (flags in the high
 * half). */
enum { CREATE_NO_ENTRY = PTR_BAD, CREATE_NO_STACK };

static int
thread_create_call(const struct arg_row *r)
{
    struct pica_thread *t = r->obj == ARG_READY ? &thread_new : thread_arg(r);
    return pica_thread_create(t, "new", r->ptr == CREATE_NO_ENTRY ? NULL : returns_at_once, NULL,
                              r->ptr == CREATE_NO_STACK ? NULL : thread_new_stack,
                              r->a != 0 ? (size_t)r->a : sizeof(thread_new_stack),
                              (unsigned)(r->b & 0xffffu), (unsigned)(r->b >> 16));
}

#define PRIO_FLAGS(prio, flags) ((uint64_t)(prio) | (uint64_t)(flags) << 16)

static int
thread_kill_call(const struct arg_row *r)
{
    return pica_thread_kill(thread_arg(r));
}

static int
thread_join_call(const struct arg_row *r)
{
    return pica_thread_join(thread_arg(r), r->t);
}

static int
thread_join_code_call(const struct arg_row *r)
{
    return pica_thread_join_code(thread_arg(r), r->t, &code_out);
}

static int
thread_suspend_call(const struct arg_row *r)
{
    return pica_thread_suspend(thread_arg(r));
}

static int
thread_resume_call(const struct arg_row *r)
{
    return pica_thread_resume(thread_arg(r));
}

static int
thread_set_prio_call(const struct arg_row *r)
{
    return pica_thread_set_prio(thread_arg(r), (unsigned)r->a);
}

static int
thread_prio_call(const struct arg_row *r)
{
    return pica_thread_prio(thread_arg(r));
}

static int
thread_info_call(const struct arg_row *r)
{
    return pica_thread_info(thread_arg(r), ARG_PTR(r, &info_out));
}

static int
thread_foreach_call(const struct arg_row *r)
{
    return pica_thread_foreach(NULL, NULL);
}

static const struct arg_row thread_rows[] = {
    {thread_create_call, "create(NULL, ...)", -EINVAL, .obj = ARG_NULL, .b = 20},
    {thread_create_call, "create(t, NULL entry, ...)", -EINVAL, .ptr = CREATE_NO_ENTRY, .b = 20},
    {thread_create_call, "create(t, NULL stack, ...)", -EINVAL, .ptr = CREATE_NO_STACK, .b = 20},
    {thread_create_call, "create(t, stack of 64 bytes, ...)", -EINVAL, .a = 64, .b = 20},
    {thread_create_call, "create(t, prio PICA_PRIO_IDLE)", -EINVAL, .b = PICA_PRIO_IDLE},
    {thread_create_call, "create(t, prio 1000)", -EINVAL, .b = 1000},
    {thread_create_call, "create(t, flag 0x80)", -EINVAL, .b = PRIO_FLAGS(20, 0x80u)},
    {thread_create_call, "create(live thread, ...)", -EBUSY, .obj = THREAD_LIVE, .b = 20},
    {thread_create_call, "create(t, ...)", -EINVAL, .b = 20, .isr = true},
    {thread_kill_call, "kill(NULL)", -EINVAL, .obj = ARG_NULL},
    {thread_kill_call, "kill(never created)", -EINVAL, .obj = ARG_ZEROED},
    {thread_kill_call, "kill(idle)", -EINVAL, .obj = THREAD_IDLE},
    {thread_kill_call, "kill(dead)", -ESRCH, .obj = THREAD_DEAD},
    {thread_kill_call, "kill(suspended)", -EINVAL, .isr = true},
    {thread_join_call, "join(NULL, NO_WAIT)", -EINVAL, .obj = ARG_NULL},
    {thread_join_call, "join(never created, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED},
    {thread_join_call, "join(suspended, -2)", -EINVAL, .t = -2},
    {thread_join_call, "join(suspended, INT32_MIN)", -EINVAL, .t = INT32_MIN},
    {thread_join_call, "join(dead, -2)", -EINVAL, .obj = THREAD_DEAD, .t = -2},
    {thread_join_call, "join(itself, -2)", -EINVAL, .obj = THREAD_SELF, .t = -2},
    {thread_join_call, "join(dead, NO_WAIT)", -EINVAL, .obj = THREAD_DEAD, .isr = true},
    {thread_join_code_call, "join_code(NULL, NO_WAIT, &code)", -EINVAL, .obj = ARG_NULL},
    {thread_join_code_call, "join_code(never created, NO_WAIT, &code)", -EINVAL,
     .obj = ARG_ZEROED},
    {thread_join_code_call, "join_code(dead, -2, &code)", -EINVAL, .obj = THREAD_DEAD, .t = -2},
    {thread_join_code_call, "join_code(dead, NO_WAIT, &code)", -EINVAL, .obj = THREAD_DEAD,
     .isr = true},
    {thread_suspend_call, "suspend(NULL)", -EINVAL, .obj = ARG_NULL},
    {thread_suspend_call, "suspend(never created)", -EINVAL, .obj = ARG_ZEROED},
    {thread_suspend_call, "suspend(idle)", -EINVAL, .obj = THREAD_IDLE},
    {thread_suspend_call, "suspend(dead)", -ESRCH, .obj = THREAD_DEAD},
    {thread_suspend_call, "suspend(suspended)", -EINVAL, .isr = true},
    {thread_resume_call, "resume(NULL)", -EINVAL, .obj = ARG_NULL},
    {thread_resume_call, "resume(never created)", -EINVAL, .obj = ARG_ZEROED},
    {thread_resume_call, "resume(never created)", -EINVAL, .obj = ARG_ZEROED, .isr = true},
    {thread_resume_call, "resume(dead)", -ESRCH, .obj = THREAD_DEAD},
    {thread_set_prio_call, "set_prio(NULL, 20)", -EINVAL, .obj = ARG_NULL, .a = 20},
    {thread_set_prio_call, "set_prio(never created, 20)", -EINVAL, .obj = ARG_ZEROED, .a = 20},
    {thread_set_prio_call, "set_prio(t, PICA_PRIO_IDLE)", -EINVAL, .a = PICA_PRIO_IDLE},
    {thread_set_prio_call, "set_prio(t, 1000)", -EINVAL, .a = 1000},
    {thread_set_prio_call, "set_prio(idle, 20)", -EINVAL, .obj = THREAD_IDLE, .a = 20},
    {thread_set_prio_call, "set_prio(dead, 20)", -ESRCH, .obj = THREAD_DEAD, .a = 20},
    {thread_set_prio_call, "set_prio(t, 20)", -EINVAL, .a = 20, .isr = true},
    {thread_prio_call, "prio(NULL)", -EINVAL, .obj = ARG_NULL},
    {thread_prio_call, "prio(never created)", -EINVAL, .obj = ARG_ZEROED},
    {thread_info_call, "info(NULL, &info)", -EINVAL, .obj = ARG_NULL},
    {thread_info_call, "info(t, NULL)", -EINVAL, .ptr = PTR_NULL},
    {thread_foreach_call, "foreach(NULL, NULL)", -EINVAL, .obj = ARG_READY},
};

const struct arg_group args_thread =
    ARGS_GROUP("thread", thread_setup, thread_check, thread_teardown, thread_rows);

/* ---- time and system figures ---- */

static pica_tick_t deadline;
static struct pica_sys_stats sys_out;

static void
time_setup(const struct arg_row *r)
{
    deadline = pica_tick_now();
    memset(&sys_out, 0x5a, sizeof(sys_out));
    args_snap("*deadline", &deadline, sizeof(deadline));
    args_snap("the stats out-parameter", &sys_out, sizeof(sys_out));
}

static int
sleep_call(const struct arg_row *r)
{
    return pica_sleep(r->t);
}

static int
sleep_until_call(const struct arg_row *r)
{
    return pica_sleep_until(ARG_PTR(r, &deadline), r->b);
}

static int
sys_stats_call(const struct arg_row *r)
{
    return pica_sys_stats(ARG_PTR(r, &sys_out));
}

static const struct arg_row time_rows[] = {
    {sleep_call, "sleep(-2)", -EINVAL, .t = -2},
    {sleep_call, "sleep(INT32_MIN)", -EINVAL, .t = INT32_MIN},
    {sleep_call, "sleep(FOREVER)", -EINVAL, .t = PICA_FOREVER},
    {sleep_call, "sleep(NO_WAIT)", -EINVAL, .isr = true},
    {sleep_call, "sleep(5)", -EINVAL, .t = 5, .isr = true},
    {sleep_until_call, "sleep_until(NULL, 1)", -EINVAL, .ptr = PTR_NULL, .b = 1},
    {sleep_until_call, "sleep_until(&now, PICA_TIMEOUT_MAX + 1)", -EINVAL,
     .b = (uint64_t)PICA_TIMEOUT_MAX + 1u},
    {sleep_until_call, "sleep_until(&now, UINT64_MAX)", -EINVAL, .b = UINT64_MAX},
    {sleep_until_call, "sleep_until(&now, 1)", -EINVAL, .b = 1, .isr = true},
    {sys_stats_call, "sys_stats(NULL)", -EINVAL, .ptr = PTR_NULL},
    {sys_stats_call, "sys_stats(&st)", -EINVAL, .isr = true},
};

const struct arg_group args_time = ARGS_GROUP("time", time_setup, NULL, NULL, time_rows);
