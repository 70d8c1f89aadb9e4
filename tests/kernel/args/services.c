/* SPDX-License-Identifier: MIT */
/* Argument rows of software timers, interrupt lines, the heap, the log and
 * the console (include/pica/timer.h, irq.h, heap.h, log.h, console.h).
 * Rows marked with a known defect name the code that fails them; that code
 * is not this test's. */
#include <pica/console.h>
#include <pica/errno.h>
#include <pica/heap.h>
#include <pica/irq.h>
#include <pica/log.h>
#include <pica/test.h>
#include <pica/timer.h>
#include <string.h>

#include "args.h"

PICA_LOG_MODULE(args);

/* ---- software timers ---- */

/* @timer armed far ahead (ARG_READY), or initialised and never started. */
enum { TIMER_NEW = ARG_VARIANT };

static struct pica_timer timer, timer_zeroed;
static struct pica_timer timer_before;

static void
never_called(void *arg)
{
    (void)arg;
    pica_assert(0);
}

static void
timer_setup(const struct arg_row *r)
{
    if (pica_timer_is_active(&timer)) {
        pica_assert_eq(pica_timer_stop(&timer), 0);
    }
    pica_assert_eq(pica_timer_init(&timer, never_called, &timer), 0);
    if (r->obj != TIMER_NEW) {
        pica_assert_eq(pica_timer_start(&timer, PICA_TICKS(100000), 0), 0);
    }
    timer_before = timer;
    args_snap("the never-initialised timer", &timer_zeroed, sizeof(timer_zeroed));
}

/* The timer's own fields; its list links move as other timeouts come and
 * go. */
static const char *
timer_check(const struct arg_row *r)
{
    const struct pica_timer *a = &timer, *b = &timer_before;
    if (a->timeout.deadline != b->timeout.deadline || a->callback != b->callback ||
        a->arg != b->arg || a->delay != b->delay || a->period != b->period ||
        a->magic != b->magic || a->in_isr != b->in_isr) {
        return "the timer changed";
    }
    bool active = pica_timer_is_active(&timer);
    return active != (r->obj != TIMER_NEW) ? args_fmt("the timer is %s now",
                                                     active ? "active" : "inactive")
                                           : NULL;
}

static void
timer_teardown(const struct arg_row *r)
{
    if (pica_timer_is_active(&timer)) {
        pica_assert_eq(pica_timer_stop(&timer), 0);
    }
}

static struct pica_timer *
timer_arg(const struct arg_row *r)
{
    return ARG_OBJ(r, &timer, &timer_zeroed);
}

static int
timer_init_call(const struct arg_row *r)
{
    return pica_timer_init(timer_arg(r), ARG_PTR(r, never_called), NULL);
}

static int
timer_init_isr_call(const struct arg_row *r)
{
    return pica_timer_init_isr(timer_arg(r), ARG_PTR(r, never_called), NULL);
}

static int
timer_start_call(const struct arg_row *r)
{
    return pica_timer_start(timer_arg(r), r->t, r->b);
}

static int
timer_restart_call(const struct arg_row *r)
{
    return pica_timer_restart(timer_arg(r));
}

static int
timer_stop_call(const struct arg_row *r)
{
    return pica_timer_stop(timer_arg(r));
}

static int
timer_query_call(const struct arg_row *r)
{
    return pica_timer_is_active(NULL) || pica_timer_missed(NULL) != 0 ||
           pica_timer_is_active(&timer_zeroed) || pica_timer_missed(&timer_zeroed) != 0;
}

static const struct arg_row timer_rows[] = {
    {timer_init_call, "init(NULL, cb, arg)", -EINVAL, .obj = ARG_NULL},
    {timer_init_call, "init(new timer, NULL, arg)", -EINVAL, .obj = TIMER_NEW, .ptr = PTR_NULL},
    {timer_init_call, "init(armed timer, cb, arg)", -EBUSY, .obj = ARG_READY},
    {timer_init_isr_call, "init_isr(NULL, cb, arg)", -EINVAL, .obj = ARG_NULL},
    {timer_init_isr_call, "init_isr(new timer, NULL, arg)", -EINVAL, .obj = TIMER_NEW,
     .ptr = PTR_NULL},
    {timer_init_isr_call, "init_isr(armed timer, cb, arg)", -EBUSY, .obj = ARG_READY},
    {timer_start_call, "start(NULL, 1, 0)", -EINVAL, .obj = ARG_NULL, .t = 1},
    {timer_start_call, "start(never initialised, 1, 0)", -EINVAL, .obj = ARG_ZEROED, .t = 1},
    {timer_start_call, "start(t, -2, 0)", -EINVAL, .t = -2},
    {timer_start_call, "start(t, FOREVER, 0)", -EINVAL, .t = PICA_FOREVER},
    {timer_start_call, "start(t, INT32_MIN, 0)", -EINVAL, .t = INT32_MIN, .isr = true},
    {timer_start_call, "start(t, 1, PICA_TIMEOUT_MAX + 1)", -EINVAL, .t = 1,
     .b = (uint64_t)PICA_TIMEOUT_MAX + 1u},
    {timer_start_call, "start(t, 1, UINT64_MAX)", -EINVAL, .t = 1, .b = UINT64_MAX},
    {timer_start_call, "start(new timer, 1, UINT64_MAX)", -EINVAL, .obj = TIMER_NEW, .t = 1,
     .b = UINT64_MAX},
    {timer_restart_call, "restart(NULL)", -EINVAL, .obj = ARG_NULL},
    {timer_restart_call, "restart(never initialised)", -EINVAL, .obj = ARG_ZEROED},
    {timer_restart_call, "restart(never started)", -EINVAL, .obj = TIMER_NEW},
    {timer_stop_call, "stop(NULL)", -EINVAL, .obj = ARG_NULL},
    {timer_stop_call, "stop(never initialised)", -EINVAL, .obj = ARG_ZEROED, .isr = true},
    {timer_query_call, "is_active and missed of NULL and never initialised are 0", 0,
     .obj = ARG_READY},
};

const struct arg_group args_timer =
    ARGS_GROUP("timer", timer_setup, timer_check, timer_teardown, timer_rows);

/* ---- interrupt lines ---- */

static void
handler(void *arg)
{
    (void)arg;
}

static void
direct_handler(void)
{
}

/* Lines: the free one (args_free_line()), one past the last, the ISR rows'
 * own (taken), and line 0 (the PLIC's "no interrupt" on RISC-V). */
enum { LINE_FREE, LINE_PAST_END, LINE_TAKEN, LINE_ZERO };

static unsigned
line_arg(const struct arg_row *r)
{
    switch (r->a) {
    case LINE_PAST_END:
        return args_isr_line() + 1u;
    case LINE_TAKEN:
        return args_isr_line();
    case LINE_ZERO:
        return 0;
    default:
        return args_free_line();
    }
}

static int
irq_attach_call(const struct arg_row *r)
{
    return pica_irq_attach(line_arg(r), ARG_PTR(r, handler), NULL, (unsigned)r->b);
}

static int
irq_attach_direct_call(const struct arg_row *r)
{
    return pica_irq_attach_direct(line_arg(r), ARG_PTR(r, direct_handler), (unsigned)r->b);
}

static int
irq_detach_call(const struct arg_row *r)
{
    return pica_irq_detach(line_arg(r));
}

static int
irq_enable_call(const struct arg_row *r)
{
    return pica_irq_enable(line_arg(r));
}

static int
irq_disable_call(const struct arg_row *r)
{
    return pica_irq_disable(line_arg(r));
}

static int
irq_trigger_call(const struct arg_row *r)
{
    return pica_irq_trigger(line_arg(r));
}

static int
irq_count_call(const struct arg_row *r)
{
    return (int)pica_irq_count(line_arg(r));
}

static void
irq_setup(const struct arg_row *r)
{
    (void)args_isr_line(); /* attached before the call, not by it */
}

/* The free line is still free: attaching to it works. */
static const char *
irq_check(const struct arg_row *r)
{
    unsigned line = args_free_line();
    if (pica_irq_attach(line, handler, NULL, PICA_CFG_IRQ_PRIO_DEFAULT) != 0) {
        return "the free line was taken";
    }
    pica_assert_eq(pica_irq_detach(line), 0);
    return NULL;
}

static void
irq_teardown(const struct arg_row *r)
{
    /* Undo an attach to line 0 that wrongly succeeded. */
    if (r->a == LINE_ZERO) {
        (void)pica_irq_detach(0);
    }
}

#define PRIO_DEFAULT PICA_CFG_IRQ_PRIO_DEFAULT

static const struct arg_row irq_rows[] = {
    {irq_attach_call, "attach(past the last line, h, arg, default)", -EINVAL,
     .a = LINE_PAST_END, .b = PRIO_DEFAULT},
    {irq_attach_call, "attach(free line, NULL, arg, default)", -EINVAL, .ptr = PTR_NULL,
     .b = PRIO_DEFAULT},
    {irq_attach_call, "attach(free line, h, arg, 8)", -EINVAL, .b = 8},
    {irq_attach_call, "attach(taken line, h, arg, default)", -EBUSY, .a = LINE_TAKEN,
     .b = PRIO_DEFAULT},
    {irq_attach_direct_call, "attach_direct(past the last line, isr, default)", -EINVAL,
     .a = LINE_PAST_END, .b = PRIO_DEFAULT},
    {irq_attach_direct_call, "attach_direct(free line, NULL, default)", -EINVAL,
     .ptr = PTR_NULL, .b = PRIO_DEFAULT},
    {irq_attach_direct_call, "attach_direct(free line, isr, 8)", -EINVAL, .b = 8},
    {irq_attach_direct_call, "attach_direct(taken line, isr, default)", -EBUSY,
     .a = LINE_TAKEN, .b = PRIO_DEFAULT},
    {irq_detach_call, "detach(past the last line)", -EINVAL, .a = LINE_PAST_END},
    {irq_enable_call, "enable(past the last line)", -EINVAL, .a = LINE_PAST_END},
    {irq_enable_call, "enable(free line: no handler)", -EINVAL, .obj = ARG_READY},
    {irq_enable_call, "enable(free line: no handler)", -EINVAL, .isr = true},
    {irq_disable_call, "disable(past the last line)", -EINVAL, .a = LINE_PAST_END},
    {irq_trigger_call, "trigger(past the last line)", -EINVAL, .a = LINE_PAST_END},
    {irq_trigger_call, "trigger(past the last line)", -EINVAL, .a = LINE_PAST_END, .isr = true},
    {irq_count_call, "count(past the last line) is 0", 0, .a = LINE_PAST_END},
    {irq_attach_call, "attach(free line, h, arg, default)", -EINVAL, .b = PRIO_DEFAULT,
     .isr = true},
    {irq_attach_direct_call, "attach_direct(free line, isr, default)", -EINVAL,
     .b = PRIO_DEFAULT, .isr = true},
    {irq_detach_call, "detach(free line)", -EINVAL, .isr = true},
#ifdef __riscv
    /* The PLIC's source 0 means "no interrupt": no handler on it can run. */
    {irq_attach_call, "attach(0, h, arg, default)", -EINVAL, .a = LINE_ZERO, .b = PRIO_DEFAULT},
    {irq_enable_call, "enable(0)", -EINVAL, .a = LINE_ZERO},
    {irq_trigger_call, "trigger(0)", -EINVAL, .a = LINE_ZERO},
#endif
};

const struct arg_group args_irq = ARGS_GROUP("irq", irq_setup, irq_check, irq_teardown, irq_rows);

/* ---- the heap ---- */

static struct pica_heap_stats heap_before;
static void *heap_out;

static void
heap_setup(const struct arg_row *r)
{
    pica_assert_eq(pica_heap_stats(&heap_before), 0);
    heap_out = NULL;
}

/* Nothing changed but the count of refused frees, by @b. */
static const char *
heap_check(const struct arg_row *r)
{
    struct pica_heap_stats now;
    pica_assert_eq(pica_heap_stats(&now), 0);
    if (heap_out != NULL) {
        return "a block was handed out";
    }
    if (now.free_bytes != heap_before.free_bytes || now.used_bytes != heap_before.used_bytes ||
        now.allocated_blocks != heap_before.allocated_blocks) {
        return args_fmt("the heap changed: %u bytes free, %u before", (unsigned)now.free_bytes,
                        (unsigned)heap_before.free_bytes);
    }
    if (now.bad_frees != heap_before.bad_frees + r->b) {
        return args_fmt("%u bad frees counted, expected %u", (unsigned)now.bad_frees,
                        (unsigned)(heap_before.bad_frees + r->b));
    }
    return NULL;
}

static void
heap_teardown(const struct arg_row *r)
{
    pica_free(heap_out);
}

static int
heap_stats_call(const struct arg_row *r)
{
    return pica_heap_stats(NULL);
}

static int
malloc_call(const struct arg_row *r)
{
    heap_out = pica_malloc((size_t)r->a);
    return heap_out != NULL;
}

/* Free NULL, a pointer that is not the heap's (PTR_BAD), or one @a bytes
 * into a live block, which is then freed for real. */
static int
free_call(const struct arg_row *r)
{
    if (r->ptr == PTR_NULL) {
        pica_free(NULL);
    } else if (r->ptr == PTR_BAD) {
        pica_free(&heap_before);
    } else {
        char *blk = pica_malloc(16);
        pica_assert(blk != NULL);
        pica_free(blk + r->a);
        pica_free(blk);
    }
    return 0;
}

static const struct arg_row heap_rows[] = {
    {heap_stats_call, "stats(NULL)", -EINVAL, .obj = ARG_READY},
    {malloc_call, "malloc(0) is NULL", 0, .a = 0},
    {malloc_call, "malloc(SIZE_MAX) is NULL", 0, .a = SIZE_MAX},
    {malloc_call, "malloc(SIZE_MAX - 7) is NULL", 0, .a = SIZE_MAX - 7u},
    {malloc_call, "malloc(16) is NULL", 0, .a = 16, .isr = true},
    {free_call, "free(NULL) does nothing", 0, .ptr = PTR_NULL},
    {free_call, "free(not from the heap) is refused and counted", 0, .ptr = PTR_BAD, .b = 1},
    {free_call, "free(inside a block) is refused and counted", 0, .a = 8, .b = 1},
};

const struct arg_group args_heap =
    ARGS_GROUP("heap", heap_setup, heap_check, heap_teardown, heap_rows);

/* ---- the log ---- */

/* Module names besides "args" and NULL. */
enum { MODULE_ALL = PTR_BAD, MODULE_NONE };

static int log_level_before;
static struct pica_log_stats log_out;

static void
log_setup(const struct arg_row *r)
{
    PICA_LOG_REGISTER();
    pica_assert_eq(pica_log_level("args", PICA_LOG_LEVEL_WRN), 0);
    log_level_before = pica_log_module_level("args");
    memset(&log_out, 0x5a, sizeof(log_out));
    args_snap("the stats out-parameter", &log_out, sizeof(log_out));
}

static const char *
log_check(const struct arg_row *r)
{
    int level = pica_log_module_level("args");
    return level != log_level_before
               ? args_fmt("the module's level is %d, was %d", level, log_level_before)
               : NULL;
}

static int
log_level_call(const struct arg_row *r)
{
    const char *module = r->ptr == MODULE_ALL    ? "*"
                         : r->ptr == MODULE_NONE ? "no such module"
                                                 : ARG_PTR(r, "args");
    return pica_log_level(module, (int)(int32_t)r->a);
}

static int
log_module_level_call(const struct arg_row *r)
{
    return pica_log_module_level(r->ptr == MODULE_NONE ? "no such module" : ARG_PTR(r, "args"));
}

static int
log_stats_call(const struct arg_row *r)
{
    return pica_log_stats(ARG_PTR(r, &log_out));
}

static const struct arg_row log_rows[] = {
    {log_level_call, "level(NULL, ERR)", -EINVAL, .ptr = PTR_NULL, .a = PICA_LOG_LEVEL_ERR},
    {log_level_call, "level(\"args\", -1)", -EINVAL, .a = (uint64_t)-1},
    {log_level_call, "level(\"args\", DBG + 1)", -EINVAL, .a = PICA_LOG_LEVEL_DBG + 1},
    {log_level_call, "level(\"args\", INT32_MIN)", -EINVAL, .a = (uint32_t)INT32_MIN},
    {log_level_call, "level(\"*\", DBG + 1)", -EINVAL, .ptr = MODULE_ALL,
     .a = PICA_LOG_LEVEL_DBG + 1},
    {log_level_call, "level(\"*\", -1)", -EINVAL, .ptr = MODULE_ALL, .a = (uint64_t)-1},
    {log_level_call, "level(\"*\", DBG + 1)", -EINVAL, .ptr = MODULE_ALL,
     .a = PICA_LOG_LEVEL_DBG + 1, .isr = true},
    {log_level_call, "level(no such module, ERR)", -ENOENT, .ptr = MODULE_NONE,
     .a = PICA_LOG_LEVEL_ERR},
    {log_module_level_call, "module_level(NULL)", -EINVAL, .ptr = PTR_NULL},
    {log_module_level_call, "module_level(no such module)", -ENOENT, .ptr = MODULE_NONE},
    {log_stats_call, "stats(NULL)", -EINVAL, .ptr = PTR_NULL},
    {log_stats_call, "stats(NULL)", -EINVAL, .ptr = PTR_NULL, .isr = true},
};

const struct arg_group args_log = ARGS_GROUP("log", log_setup, log_check, NULL, log_rows);

/* ---- the console ---- */

static int
console_read_call(const struct arg_row *r)
{
    return pica_console_read(NULL, 4);
}

static int
console_write_call(const struct arg_row *r)
{
    return pica_console_write(NULL, 4);
}

static int
console_stats_call(const struct arg_row *r)
{
    return pica_console_stats(NULL);
}

static void
console_setup(const struct arg_row *r)
{
}

static const struct arg_row console_rows[] = {
    {console_read_call, "read(NULL, 4)", -EINVAL, .isr = false},
    {console_write_call, "write(NULL, 4)", -EINVAL, .isr = false},
    {console_stats_call, "stats(NULL)", -EINVAL, .isr = false},
};

const struct arg_group args_console =
    ARGS_GROUP("console", console_setup, NULL, NULL, console_rows);
