/* SPDX-License-Identifier: MIT */
/* Fake port: arch/arch.h on the host, for tests of the portable kernel.
 * Threads are ucontext fibers on stacks of their own (the kernel's stack
 * for a thread only holds the small frame its saved stack pointer names);
 * the interrupt lock is a flag with nesting keys; interrupts are functions
 * run with arch_in_isr() true; the clock is a counter moved only by
 * fake_advance() and by idle. All state is in `fake`, set by fake_boot().
 * Switches follow the port contract: a request from a thread is taken
 * before the unlock that allows it returns, one from a handler at handler
 * exit, after any other pending handler (the switch interrupt is the least
 * urgent). Controls and their meaning: fake_port.h. */
#define _GNU_SOURCE
#include "fake_port.h"

#include <pica/thread.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "arch.h"
#include "kernel.h"
#include "sched.h"

/* ASan must be told when the stack changes under it, or it takes the
 * fibers' frames for overflows of the main stack. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define FIBER_START(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define FIBER_FINISH(save) __sanitizer_finish_switch_fiber(save, NULL, NULL)
#else
#define FIBER_START(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define FIBER_FINISH(save) ((void)(save))
#endif

#define FAKE_THREADS 48
#define FAKE_SOURCES 16
#define FIBER_STACK_SIZE (256u * 1024u) /* host code under ASan needs room */
#define FRAME_MAGIC 0x46414b45u         /* "FAKE" */

struct fiber {
    ucontext_t uc;
    char *stack; /* lowest usable byte */
    size_t size;
    void *asan_save;
};

struct fake_ctx {
    struct fiber fiber;
    struct pica_thread *thread;
    void (*entry)(void *);
    void *arg;
};

/* What a thread's saved stack pointer points at, on its kernel stack: the
 * kernel's canary check sees a pointer inside the stack, as on a CPU. */
struct fake_frame {
    uint32_t magic;
    struct fake_ctx *ctx;
};

struct source {
    bool used;
    bool pending;
    uint64_t next;
    uint64_t period;
    fake_isr_t isr;
    void *arg;
};

static struct {
    uint32_t hz;
    uint64_t now;
    uint32_t latency;
    uint64_t timer_next; /* UINT64_MAX: not armed */
    uint32_t timer_period;
    bool timer_pending;
    struct source sources[FAKE_SOURCES];

    bool masked;        /* the kernel lock */
    unsigned isr_depth; /* handlers running */
    bool switch_pending;

    bool started; /* sched_start() has run */
    bool running; /* inside fake_run(), on a thread's fiber */
    uint64_t limit;
    enum fake_stop reason;
    struct fiber main; /* the test's own context, outside fake_run() */
    struct fiber boot; /* where sched_start() runs */
    struct fake_ctx *cur;
    struct fake_ctx ctx[FAKE_THREADS];
    uint32_t switches;

    unsigned windows; /* interrupt windows passed */
    unsigned window_at;
    fake_isr_t window_isr;
    void *window_arg;
    bool window_ran;
} fake;

void
fake_fail(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("\n*** fake port: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    _exit(3);
}

/* ---- fibers ------------------------------------------------------------ */

static void
fiber_make(struct fiber *f, void (*fn)(void))
{
    if (f->stack == NULL) {
        /* One guard page below, so a host overflow faults at once. */
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        char *p = mmap(NULL, FIBER_STACK_SIZE + page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED || mprotect(p, page, PROT_NONE) != 0) {
            fake_fail("no memory for a fiber stack");
        }
        f->stack = p + page;
        f->size = FIBER_STACK_SIZE;
    }
    if (getcontext(&f->uc) != 0) {
        fake_fail("getcontext");
    }
    f->uc.uc_stack.ss_sp = f->stack;
    f->uc.uc_stack.ss_size = f->size;
    f->uc.uc_link = NULL;
    makecontext(&f->uc, fn, 0);
}

/* Leave @from for @to; returns when something switches back to @from.
 * @leaving: @from never runs again (a dead thread), so ASan may drop its
 * state. */
static void
fiber_switch(struct fiber *from, struct fiber *to, bool leaving)
{
    FIBER_START(leaving ? NULL : &from->asan_save, to->stack, to->size);
    if (swapcontext(&from->uc, &to->uc) != 0) {
        fake_fail("swapcontext");
    }
    FIBER_FINISH(from->asan_save);
}

/* ---- interrupts and switches ------------------------------------------ */

static void
timer_isr(void *arg)
{
    (void)arg;
    sched_timer_isr();
}

/* The next count at which @next (period @period, 0: once) is due after
 * @now, when it was due at or before @now. Missed periods merge into one
 * interrupt, as a hardware pending bit does. */
static uint64_t
next_after(uint64_t next, uint64_t period, uint64_t now)
{
    if (period == 0) {
        return UINT64_MAX;
    }
    return next + ((now - next) / period + 1u) * period;
}

/* Mark every interrupt due by the clock as pending. */
static void
collect_due(void)
{
    if (fake.timer_next <= fake.now) {
        fake.timer_pending = true;
        fake.timer_next = next_after(fake.timer_next, fake.timer_period, fake.now);
    }
    for (unsigned i = 0; i < FAKE_SOURCES; i++) {
        struct source *s = &fake.sources[i];
        if (s->used && s->next <= fake.now) {
            s->pending = true;
            s->next = next_after(s->next, s->period, fake.now);
        }
    }
}

/* The count of the earliest interrupt not yet due; UINT64_MAX: none. */
static uint64_t
next_event(void)
{
    uint64_t t = fake.timer_next;
    for (unsigned i = 0; i < FAKE_SOURCES; i++) {
        if (fake.sources[i].used && fake.sources[i].next < t) {
            t = fake.sources[i].next;
        }
    }
    return t;
}

static void
run_isr(fake_isr_t isr, void *arg)
{
    fake.now += fake.latency;
    fake.isr_depth++;
    isr(arg);
    fake.isr_depth--;
    if (fake.masked) {
        fake_fail("an interrupt handler returned with the kernel lock held");
    }
}

/* The handler to run next, timer first, then sources by id; false: none. */
static bool
take_pending(fake_isr_t *isr, void **arg)
{
    if (fake.timer_pending) {
        fake.timer_pending = false;
        *isr = timer_isr;
        *arg = NULL;
        return true;
    }
    for (unsigned i = 0; i < FAKE_SOURCES; i++) {
        struct source *s = &fake.sources[i];
        if (s->used && s->pending) {
            s->pending = false;
            *isr = s->isr;
            *arg = s->arg;
            if (s->next == UINT64_MAX) {
                s->used = false; /* a one-shot, done */
            }
            return true;
        }
    }
    return false;
}

static struct fake_ctx *
ctx_of(const struct pica_thread *t, void *sp)
{
    const struct fake_frame *fr = sp;
    /* Only a frame arch_thread_init() built inside @t's stack will do. */
    if (fr == NULL || (char *)sp < t->stack_base ||
        (char *)sp + sizeof(*fr) > t->stack_base + t->stack_size || fr->magic != FRAME_MAGIC ||
        fr->ctx->thread != t) {
        fake_fail("switch to thread '%s', whose context was never built (saved sp %p)",
                  t->name != NULL ? t->name : "?", sp);
    }
    return fr->ctx;
}

/* The switch interrupt: taken only in a running thread, unlocked, outside
 * handlers. sched_next() runs with the lock held, as on a CPU. */
static void
take_switch(void)
{
    while (fake.switch_pending && fake.running && !fake.masked && fake.isr_depth == 0) {
        fake.switch_pending = false;
        struct fake_ctx *from = fake.cur;
        if (pica_thread_self() != from->thread) {
            fake_fail("the kernel's running thread is not the one on the CPU");
        }
        fake.masked = true;
        void *sp = sched_next(from->thread->sp);
        struct pica_thread *next = pica_thread_self();
        struct fake_ctx *to = ctx_of(next, sp);
        fake.masked = false;
        if (next->state != PICA_THREAD_READY) {
            fake_fail("switch to thread '%s', which is not ready (state %u)", next->name,
                      (unsigned)next->state);
        }
        if (to != from) {
            fake.switches++;
            fake.cur = to;
            fiber_switch(&from->fiber, &to->fiber, from->thread->state == PICA_THREAD_DEAD);
        }
    }
}

/* Run every pending handler, then the switch they may have asked for: what
 * an exception return does. */
static void
take_interrupts(void)
{
    if (fake.masked || fake.isr_depth != 0) {
        return;
    }
    for (;;) {
        collect_due();
        fake_isr_t isr;
        void *arg;
        if (!take_pending(&isr, &arg)) {
            break;
        }
        run_isr(isr, arg);
    }
    take_switch();
}

/* A point where thread or boot code could be interrupted. */
static void
window(void)
{
    fake.windows++;
    if (fake.window_isr != NULL && fake.windows == fake.window_at) {
        fake_isr_t isr = fake.window_isr;
        fake.window_isr = NULL;
        fake.window_ran = true;
        run_isr(isr, fake.window_arg);
        take_interrupts();
    }
}

unsigned
fake_irq_lock(void)
{
    if (!fake.masked && fake.isr_depth == 0) {
        window();
    }
    unsigned key = fake.masked ? 1u : 0u;
    fake.masked = true;
    return key;
}

void
fake_irq_unlock(unsigned key)
{
    if (!fake.masked) {
        fake_fail("arch_irq_unlock() without the lock held");
    }
    if (key != 0) {
        return; /* an outer lock still holds */
    }
    fake.masked = false;
    if (fake.isr_depth != 0) {
        return; /* pending work waits for the handler's exit */
    }
    take_interrupts();
    window();
}

bool
fake_in_isr(void)
{
    return fake.isr_depth != 0;
}

void
fake_switch_request(void)
{
    fake.switch_pending = true;
    take_switch(); /* at once if unlocked in a thread; otherwise later */
}

void
fake_irq_trigger(unsigned irq)
{
    fake_fail("arch_irq_trigger(%u): the fake port has no interrupt lines", irq);
}

/* ---- running ----------------------------------------------------------- */

/* Give the CPU back to fake_run()'s caller; resumes on the next run. */
static void
stop(enum fake_stop reason)
{
    if (!fake.running || fake.masked || fake.isr_depth != 0) {
        fake_fail("stopping outside an unlocked thread");
    }
    fake.reason = reason;
    fake.running = false;
    fiber_switch(&fake.cur->fiber, &fake.main, false);
    take_interrupts(); /* whatever the test raised meanwhile */
}

void
fake_stop(void)
{
    stop(FAKE_STOPPED);
}

/* Move the clock to @t (not beyond the run's limit: stop there instead)
 * and take what is due. */
static void
move_clock_to(uint64_t t)
{
    if (t > fake.limit) {
        if (fake.limit > fake.now) {
            fake.now = fake.limit;
        }
        stop(FAKE_LIMIT);
        return;
    }
    if (t > fake.now) {
        fake.now = t;
    }
    take_interrupts();
}

void
fake_advance(uint64_t cycles)
{
    uint64_t end = fake.now + cycles;
    if (fake.masked || fake.isr_depth != 0) {
        /* Work with interrupts held off: they wait for the unlock. */
        fake.now = end;
        collect_due();
        return;
    }
    if (!fake.running) {
        fake_fail("fake_advance() outside a running thread");
    }
    while (fake.now < end) {
        uint64_t t = next_event();
        move_clock_to(t < end ? t : end);
    }
}

void
fake_idle(void)
{
    if (fake.masked || fake.isr_depth != 0) {
        fake_fail("arch_idle() with the lock held or in a handler");
    }
    uint64_t t = next_event();
    if (t == UINT64_MAX) {
        stop(FAKE_IDLE_FOREVER);
        return;
    }
    move_clock_to(t);
}

static void
boot_entry(void)
{
    FIBER_FINISH(NULL);
    sched_start();
}

enum fake_stop
fake_run(uint64_t cycles)
{
    if (fake.running || fake.masked || fake.isr_depth != 0) {
        fake_fail("fake_run() from a thread, a handler or with the lock held");
    }
    fake.limit = cycles > UINT64_MAX - fake.now ? UINT64_MAX : fake.now + cycles;
    fake.running = true;
    if (!fake.started) {
        fake.started = true;
        fiber_make(&fake.boot, boot_entry);
        fiber_switch(&fake.main, &fake.boot, false);
    } else {
        fiber_switch(&fake.main, &fake.cur->fiber, false);
    }
    return fake.reason;
}

static void
thread_start(void)
{
    FIBER_FINISH(NULL);
    struct fake_ctx *c = fake.cur;
    take_interrupts(); /* as the exception return into it would */
    c->entry(c->arg);
    thread_return();
}

void
fake_boot(uint32_t hz)
{
    memset(&fake, 0, sizeof(fake));
    fake.timer_next = UINT64_MAX;
    /* The main stack's bounds, for ASan when switching back to it. */
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0 ||
        pthread_attr_getstack(&attr, (void **)&fake.main.stack, &fake.main.size) != 0) {
        fake_fail("cannot find the main stack");
    }
    pthread_attr_destroy(&attr);
    arch_init();
    arch_timer_init(hz);
    sched_init();
    timer_service_init();
}

/* ---- test controls ----------------------------------------------------- */

uint64_t
fake_now(void)
{
    return fake.now;
}

int
fake_irq_every(uint64_t first, uint64_t period, fake_isr_t isr, void *arg)
{
    for (int i = 0; i < FAKE_SOURCES; i++) {
        struct source *s = &fake.sources[i];
        if (!s->used) {
            *s = (struct source){true, false, first, period, isr, arg};
            take_interrupts(); /* one already due fires at once */
            return i;
        }
    }
    fake_fail("more than %d interrupt sources", FAKE_SOURCES);
}

void
fake_irq_cancel(int id)
{
    if (id < 0 || id >= FAKE_SOURCES) {
        fake_fail("no interrupt source %d", id);
    }
    fake.sources[id].used = false;
}

void
fake_irq_now(fake_isr_t isr, void *arg)
{
    fake_irq_every(fake.now, 0, isr, arg);
}

void
fake_set_irq_latency(uint32_t cycles)
{
    fake.latency = cycles;
}

void
fake_isr_at_window(unsigned n, fake_isr_t isr, void *arg)
{
    fake.window_at = fake.windows + n;
    fake.window_isr = isr;
    fake.window_arg = arg;
    fake.window_ran = false;
}

bool
fake_window_isr_ran(void)
{
    return fake.window_ran;
}

uint64_t
fake_timer_next(void)
{
    return fake.timer_next;
}

uint32_t
fake_timer_period(void)
{
    return fake.timer_period;
}

uint32_t
fake_switches(void)
{
    return fake.switches;
}

/* ---- arch/arch.h ------------------------------------------------------- */

void
arch_init(void)
{
}

unsigned
arch_irq_lines(void)
{
    return 0;
}

void
arch_irq_enable(unsigned irq)
{
    (void)irq;
}

void
arch_irq_disable(unsigned irq)
{
    (void)irq;
}

void
arch_irq_clear_pending(unsigned irq)
{
    (void)irq;
}

void
arch_irq_set_prio(unsigned irq, unsigned prio)
{
    (void)irq;
    (void)prio;
}

bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
    (void)irq;
    (void)isr;
    return false;
}

/* A fiber for @t (its old one when @t is re-created), started by the
 * first switch to @t, and the frame its saved stack pointer names. */
void
arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                 bool user)
{
    (void)user;
    struct fake_ctx *c = NULL;
    for (unsigned i = 0; i < FAKE_THREADS && c == NULL; i++) {
        if (fake.ctx[i].thread == t) {
            c = &fake.ctx[i];
        }
    }
    for (unsigned i = 0; i < FAKE_THREADS && c == NULL; i++) {
        if (fake.ctx[i].thread == NULL) {
            c = &fake.ctx[i];
        }
    }
    if (c == NULL) {
        fake_fail("more than %d threads", FAKE_THREADS);
    }
    if (c == fake.cur && fake.running) {
        fake_fail("thread '%s' re-created while it runs", t->name);
    }
    c->thread = t;
    c->entry = entry;
    c->arg = arg;
    fiber_make(&c->fiber, thread_start);
    struct fake_frame *fr =
        (struct fake_frame *)(((uintptr_t)stack_top - sizeof(struct fake_frame)) & ~(uintptr_t)15);
    fr->magic = FRAME_MAGIC;
    fr->ctx = c;
    t->sp = fr;
}

void
arch_thread_guard(struct pica_thread *t)
{
    (void)t;
}

bool
arch_guard_hit(const struct pica_thread *t, uint32_t addr)
{
    (void)t;
    (void)addr;
    return false;
}

void
arch_sched_start(void *first_sp)
{
    fake.cur = ctx_of(pica_thread_self(), first_sp);
    fake.masked = false; /* threads start with interrupts enabled */
    fiber_switch(&fake.boot, &fake.cur->fiber, true);
    fake_fail("the boot context was resumed");
}

void
arch_timer_init(uint32_t hz)
{
    fake.hz = hz;
    fake.timer_next = UINT64_MAX;
}

uint32_t
arch_timer_hz(void)
{
    return fake.hz;
}

uint64_t
arch_timer_cycles(void)
{
    return fake.now;
}

/* Each setting replaces the last, an interrupt not yet taken included;
 * one due already is seen (and taken) at the next unlock or handler exit. */
void
arch_timer_periodic(uint64_t first, uint32_t period)
{
    if (period == 0) {
        fake_fail("arch_timer_periodic() with a period of 0");
    }
    fake.timer_next = first;
    fake.timer_period = period;
    fake.timer_pending = false;
}

void
arch_timer_oneshot(uint64_t deadline)
{
    fake.timer_next = deadline;
    fake.timer_period = 0;
    fake.timer_pending = false;
}

void
arch_frame_print(const struct arch_frame *f)
{
    printf("  pc %#lx\n", (unsigned long)f->pc);
}

bool
arch_frame_in_isr(const struct arch_frame *f)
{
    (void)f;
    return false;
}

void
arch_halt(void)
{
    fake_fail("arch_halt()");
}
