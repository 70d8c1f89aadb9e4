/* SPDX-License-Identifier: MIT */
/* The kernel's eBPF hooks: their definitions, the taps that fill each
 * hook's context, and the two places programs run.
 *
 * Programs run on stacks of their own, never on the caller's: a tap may
 * fire on a process's 640-byte privileged stack or inside the context
 * switch. Hooks in interrupt context (timer, irq, switch, console, log) run
 * with interrupts masked on one stack, so they cannot nest; a budget bounds
 * how long that lasts. Hooks in threads (syscall, cron, fs) run one at a
 * time on another stack under a mutex, with interrupts on, so a program
 * there delays no interrupt. A record logged by a program at interrupt
 * level (trace_printk) does not run the log hook again: the level is busy,
 * and the record is kept. */
#include "bpf_kern_priv.h"

#include <errno.h>
#include <pica/bpf_ctx.h>
#include <pica/mutex.h>
#include <pica/panic.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <pica/timer.h>
#include <string.h>

#include "arch.h"
#include "thread_priv.h"

/* ---- the hooks ---- */

#define STD_HELPERS                                                                        \
    BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem,          \
        BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk, BPF_FUNC_get_prandom_u32,            \
        BPF_FUNC_ringbuf_output, KERN_FUNC_get_smp_processor_id, PICA_BPF_FUNC_uptime_ms,  \
        KERN_FUNC_get_current_pid_tgid, KERN_FUNC_get_current_comm

/* Interrupt context: the standard set, events and GPIO. */
static const uint32_t helpers_isr[] = {STD_HELPERS, PICA_BPF_FUNC_event_set,
                                       PICA_BPF_FUNC_gpio_get, PICA_BPF_FUNC_gpio_set};
/* The switch: nothing that reaches another thread (an event would make a
 * thread ready in the middle of choosing one) and no trace output (the log
 * takes locks the switch holds). */
static const uint32_t helpers_switch[] = {
    BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem,
    BPF_FUNC_ktime_get_ns,    BPF_FUNC_get_prandom_u32, BPF_FUNC_ringbuf_output,
    KERN_FUNC_get_smp_processor_id, PICA_BPF_FUNC_uptime_ms};
/* Threads: the standard set and events (GPIO belongs to interrupt-level
 * control loops). */
static const uint32_t helpers_thread[] = {STD_HELPERS, PICA_BPF_FUNC_event_set};
/* The log hook: no trace output of its own (it would be its own record). */
static const uint32_t helpers_log[] = {
    BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem,
    BPF_FUNC_ktime_get_ns,    BPF_FUNC_get_prandom_u32, BPF_FUNC_ringbuf_output,
    KERN_FUNC_get_smp_processor_id, PICA_BPF_FUNC_uptime_ms, PICA_BPF_FUNC_event_set};

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))
#define ISR_HOOK(nm, ctx, fl, hl, lo, hi)                                                  \
    {.name = nm, .ctx_size = sizeof(ctx), .flags = BPF_HOOK_ISR | (fl), .helpers = hl,      \
     .nhelpers = N(hl), .default_budget = PICA_CFG_BPF_BUDGET_ISR, .arg_min = lo,          \
     .arg_max = hi}
#define THREAD_HOOK(nm, ctx, fl)                                                           \
    {.name = nm, .ctx_size = sizeof(ctx), .flags = (fl), .helpers = helpers_thread,         \
     .nhelpers = N(helpers_thread), .default_budget = PICA_CFG_BPF_BUDGET_THREAD}

static const struct bpf_hook_def hook_defs[KERN_HOOKS] = {
    [KERN_HOOK_TIMER] = ISR_HOOK("timer", struct pica_bpf_timer_ctx, BPF_HOOK_ARG, helpers_isr,
                                 1, 3600000),
    [KERN_HOOK_IRQ] = ISR_HOOK("irq", struct pica_bpf_irq_ctx,
                               BPF_HOOK_ARG | BPF_HOOK_ARG_MATCH, helpers_isr, 0,
                               PICA_CFG_IRQ_MAX - 1),
    [KERN_HOOK_SWITCH] = ISR_HOOK("switch", struct pica_bpf_switch_ctx, 0, helpers_switch, 0, 0),
    [KERN_HOOK_SYSCALL] = THREAD_HOOK("syscall", struct pica_bpf_syscall_ctx, BPF_HOOK_VERDICT),
    [KERN_HOOK_CONSOLE] = ISR_HOOK("console", struct pica_bpf_console_ctx, BPF_HOOK_VERDICT,
                                   helpers_isr, 0, 0),
    [KERN_HOOK_CRON] = THREAD_HOOK("cron", struct pica_bpf_cron_ctx, 0),
    [KERN_HOOK_FS] = THREAD_HOOK("fs", struct pica_bpf_fs_ctx, BPF_HOOK_VERDICT),
    [KERN_HOOK_LOG] = ISR_HOOK("log", struct pica_bpf_log_ctx, BPF_HOOK_VERDICT, helpers_log, 0,
                               0),
};

struct bpf_hook kern_hooks[KERN_HOOKS];
struct bpf_hook *const kern_hook_table[KERN_HOOKS] = {
    &kern_hooks[0], &kern_hooks[1], &kern_hooks[2], &kern_hooks[3],
    &kern_hooks[4], &kern_hooks[5], &kern_hooks[6], &kern_hooks[7],
};
static uint64_t hook_runs[KERN_HOOKS];

/* ---- where programs run ---- */

/* The C stack first: an overflow runs into its canary word and then the
 * previous level's program frames, never into any level's state. */
struct run_level {
    uint64_t cstack[PICA_CFG_BPF_RUN_STACK / 8] __attribute__((aligned(16)));
    uint64_t vstack[PICA_CFG_BPF_VM_STACK / 8];
    struct bpf_hook_exec x;
    bool busy;
};

static struct run_level level_isr, level_thread;
static struct pica_mutex thread_level_lock;

struct run_call {
    struct bpf_hook *hook;
    struct bpf_attach *one; /* a single program (timers), or NULL: the whole hook */
    void *ctx;
    uint32_t arg;
    struct run_level *level;
    struct bpf_hook_result res;
};

#define STACK_FILL 0xA5u
#define STACK_CANARY 0xA5A5A5A5A5A5A5A5ull

static void
run_on_level(void *arg)
{
    struct run_call *c = arg;
    if (c->one != NULL) {
        bpf_attach_run(c->one, c->ctx, &c->level->x, &c->res);
    } else {
        bpf_hook_run(c->hook, c->ctx, c->arg, &c->level->x, &c->res);
    }
    /* The lowest word still holds the fill unless the run went through
     * it, and then what lies below (the level's own state) cannot be
     * trusted: stop, and say which setting to raise. */
    if (__builtin_expect(c->level->cstack[0] != STACK_CANARY, 0)) {
        PICA_PANIC("an eBPF run overflowed its %u-byte stack: raise PICA_CFG_BPF_RUN_STACK",
                   (unsigned)sizeof(c->level->cstack));
    }
}

static void
level_init(struct run_level *l)
{
    /* Filled, so the deepest use shows (pica_bpf_stack_use). */
    memset(l->cstack, STACK_FILL, sizeof(l->cstack));
    l->x = (struct bpf_hook_exec){
        .stack = l->vstack,
        .stack_size = sizeof(l->vstack),
        .services = &kern_services,
    };
}

/* Run the programs of @hook (or just @one) with @ctx; the verdict, or 0
 * when they could not run (a level already busy: a program's own log
 * record). */
static int64_t
kern_run(struct bpf_hook *hook, struct bpf_attach *one, void *ctx, uint32_t arg)
{
    /* Field by field here and in the taps: an initialiser that zeroes a
     * struct first becomes a memset, a byte at a time in picolibc as built
     * for size, on every event. Every byte of a context is still written,
     * padding included: programs read all of it. */
    struct run_call c;
    c.hook = hook;
    c.one = one;
    c.ctx = ctx;
    c.arg = arg;
    c.res.verdict = 0;
    c.res.ran = 0;
    c.res.insns = 0;
    unsigned idx = (unsigned)(hook - kern_hooks);
    if (hook->def->flags & BPF_HOOK_ISR) {
        unsigned key = arch_irq_lock();
        if (!level_isr.busy) {
            level_isr.busy = true;
            c.level = &level_isr;
            arch_call_on_stack(run_on_level, &c, (char *)level_isr.cstack + sizeof(level_isr.cstack));
            level_isr.busy = false;
            hook_runs[idx]++;
        }
        arch_irq_unlock(key);
    } else {
        /* A kill waits for the run to end: a thread cut short here would
         * leave the level's lock and stack to nobody. */
        thread_no_kill_begin();
        int err = pica_mutex_lock(&thread_level_lock, PICA_FOREVER);
        if (err != 0 && err != -EOWNERDEAD) {
            thread_no_kill_end();
            return 0;
        }
        c.level = &level_thread;
        arch_call_on_stack(run_on_level, &c,
                           (char *)level_thread.cstack + sizeof(level_thread.cstack));
        hook_runs[idx]++;
        (void)pica_mutex_unlock(&thread_level_lock);
        thread_no_kill_end();
    }
    return c.res.verdict;
}

/* Nanoseconds from the kernel's cycle count by one multiply and shift:
 * ns = cycles * 10^9 / hz, with 10^9 / hz held as mult / 2^shift, mult
 * below 2^32 so that the low word's product cannot overflow. A division
 * (pica_uptime_us) costs a 32-bit CPU hundreds of instructions on every
 * event; this costs tens. Exact where 10^9 / hz is a whole number (25 MHz:
 * 40 ns a cycle), within 2^-31 elsewhere. */
static uint32_t ns_mult;
static unsigned ns_shift;

static void
now_ns_init(void)
{
    uint32_t hz = arch_timer_hz();
    uint64_t per_cycle = hz != 0 ? 1000000000ull / hz + 1u : 1u;
    unsigned shift = 32;
    while (shift > 0 && (per_cycle << shift) >= (1ull << 32)) {
        shift--;
    }
    ns_shift = shift;
    ns_mult = hz != 0 ? (uint32_t)((1000000000ull << shift) / hz) : 0;
}

uint64_t
kern_now_ns(void)
{
    uint64_t c = arch_timer_cycles();
    uint64_t hi = (c >> 32) * ns_mult;
    uint64_t lo = (uint64_t)(uint32_t)c * ns_mult;
    return (hi << (32 - ns_shift)) + (lo >> ns_shift);
}


static void
copy_text(char *dst, size_t size, const char *src, size_t len)
{
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, src, n);
    memset(dst + n, 0, size - n);
}

/* ---- the taps ---- */

static void
tap_irq(unsigned line)
{
    struct pica_bpf_irq_ctx ctx;
    ctx.now_ns = kern_now_ns();
    ctx.line = line;
    ctx.pad = 0;
    (void)kern_run(&kern_hooks[KERN_HOOK_IRQ], NULL, &ctx, line);
}

static void
tap_switch(const struct pica_thread *from, const struct pica_thread *to)
{
    struct pica_bpf_switch_ctx ctx;
    ctx.now_ns = kern_now_ns();
    ctx.from_id = from->id;
    ctx.to_id = to->id;
    ctx.from_prio = from->prio;
    ctx.to_prio = to->prio;
    ctx.from_state = from->state;
    ctx.pad = 0;
    ctx.from_pid = kern_pid(from->proc);
    ctx.to_pid = kern_pid(to->proc);
    (void)kern_run(&kern_hooks[KERN_HOOK_SWITCH], NULL, &ctx, 0);
}

static int32_t
tap_syscall(uint32_t nr, const uint32_t args[6])
{
    const struct pica_thread *self = pica_thread_self();
    struct pica_bpf_syscall_ctx ctx;
    ctx.now_ns = kern_now_ns();
    ctx.nr = nr;
    ctx.pid = kern_pid(self->proc);
    ctx.tid = self->id;
    ctx.pad = 0;
    ctx.args[0] = args[0];
    ctx.args[1] = args[1];
    ctx.args[2] = args[2];
    ctx.args[3] = args[3];
    ctx.args[4] = args[4];
    ctx.args[5] = args[5];
    int64_t v = kern_run(&kern_hooks[KERN_HOOK_SYSCALL], NULL, &ctx, 0);
    /* Only an errno refuses: anything else lets the call run. */
    return v < 0 && v >= -4095 ? (int32_t)v : 0;
}

static bool
tap_console_rx(char c)
{
    if (kern_ctl_rx(c)) {
        return true; /* a byte of a picactl frame */
    }
    if (kern_hooks[KERN_HOOK_CONSOLE].first == NULL) {
        return false;
    }
    struct pica_bpf_console_ctx ctx;
    ctx.now_ns = kern_now_ns();
    ctx.byte = (unsigned char)c;
    ctx.pad = 0;
    return kern_run(&kern_hooks[KERN_HOOK_CONSOLE], NULL, &ctx, 0) != 0;
}

static void
tap_cron(int id, const char *what)
{
    struct pica_bpf_cron_ctx ctx = {.now_ns = kern_now_ns(), .job_id = id};
    copy_text(ctx.what, sizeof(ctx.what), what, strlen(what));
    (void)kern_run(&kern_hooks[KERN_HOOK_CRON], NULL, &ctx, 0);
}

static int
tap_fs(enum pica_tap_fs_op op, const char *path, uint32_t flags)
{
    size_t len = strlen(path);
    struct pica_bpf_fs_ctx ctx = {.now_ns = kern_now_ns(),
                                  .op = op == PICA_TAP_FS_OPEN ? PICA_BPF_FS_OPEN
                                                               : PICA_BPF_FS_UNLINK,
                                  .flags = flags,
                                  .len = (uint32_t)(len < PICA_BPF_PATH_MAX - 1
                                                        ? len : PICA_BPF_PATH_MAX - 1),
                                  .tid = pica_thread_self()->id};
    copy_text(ctx.path, sizeof(ctx.path), path, len);
    int64_t v = kern_run(&kern_hooks[KERN_HOOK_FS], NULL, &ctx, 0);
    return v < 0 && v >= -4095 ? (int)v : 0;
}

static bool
tap_log(int level, const char *module, const char *text, size_t len)
{
    struct pica_bpf_log_ctx ctx = {.now_ns = kern_now_ns(), .level = (uint32_t)level};
    ctx.len = (uint32_t)(len < PICA_BPF_LOG_TEXT_MAX - 1 ? len : PICA_BPF_LOG_TEXT_MAX - 1);
    copy_text(ctx.module, sizeof(ctx.module), module, strlen(module));
    copy_text(ctx.text, sizeof(ctx.text), text, len);
    return kern_run(&kern_hooks[KERN_HOOK_LOG], NULL, &ctx, 0) != 0;
}

/* ---- timers: one per attach to timer:<ms> ---- */

struct attach_timer {
    struct pica_timer timer;
    struct bpf_attach *att;
    uint32_t count;
};

static void
timer_fire(void *arg)
{
    struct attach_timer *t = arg;
    struct pica_bpf_timer_ctx ctx;
    ctx.now_ns = kern_now_ns();
    ctx.period_ms = t->att->arg;
    ctx.count = ++t->count;
    (void)kern_run(&kern_hooks[KERN_HOOK_TIMER], t->att, &ctx, t->att->arg);
}

/* ---- attach and detach: taps on while a hook has programs ---- */

static void *const tap_fns[KERN_HOOKS] = {
    [KERN_HOOK_TIMER] = NULL,
    [KERN_HOOK_IRQ] = (void *)tap_irq,
    [KERN_HOOK_SWITCH] = (void *)tap_switch,
    [KERN_HOOK_SYSCALL] = (void *)tap_syscall,
    [KERN_HOOK_CONSOLE] = NULL, /* always on: picactl's frames */
    [KERN_HOOK_CRON] = (void *)tap_cron,
    [KERN_HOOK_FS] = (void *)tap_fs,
    [KERN_HOOK_LOG] = (void *)tap_log,
};
static const enum pica_tap_id tap_ids[KERN_HOOKS] = {
    [KERN_HOOK_IRQ] = PICA_TAP_IRQ,         [KERN_HOOK_SWITCH] = PICA_TAP_SWITCH,
    [KERN_HOOK_SYSCALL] = PICA_TAP_SYSCALL, [KERN_HOOK_CRON] = PICA_TAP_CRON,
    [KERN_HOOK_FS] = PICA_TAP_FS,           [KERN_HOOK_LOG] = PICA_TAP_LOG,
};

/* The registry's call after each attach (@on) and detach. Thread context,
 * registry lock held. */
void
kern_attached(struct bpf_hook *h, struct bpf_attach *a, bool on)
{
    unsigned idx = (unsigned)(h - kern_hooks);
    if (idx == KERN_HOOK_TIMER) {
        kern_timer_attached(a, on);
        return;
    }
    if (tap_fns[idx] == NULL) {
        return;
    }
    /* The tap stays set while any program is linked; an event finding
     * the hook empty runs nothing. */
    (void)pica_tap_set(tap_ids[idx], h->first != NULL ? tap_fns[idx] : NULL);
}

#define TIMERS_MAX 8u
static struct attach_timer timers[TIMERS_MAX];

void
kern_timer_attached(struct bpf_attach *a, bool on)
{
    for (unsigned i = 0; i < TIMERS_MAX; i++) {
        struct attach_timer *t = &timers[i];
        if (on && t->att == NULL) {
            t->att = a;
            t->count = 0;
            if (pica_timer_init_isr(&t->timer, timer_fire, t) == 0) {
                pica_tick_t period = (pica_tick_t)PICA_MS(a->arg);
                (void)pica_timer_start(&t->timer, (pica_timeout_t)period, period ? period : 1);
            }
            return;
        }
        if (!on && t->att == a) {
            (void)pica_timer_stop(&t->timer);
            t->att = NULL;
            return;
        }
    }
}

unsigned
kern_timers_free(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < TIMERS_MAX; i++) {
        n += timers[i].att == NULL;
    }
    return n;
}

/* The registry's lock: no program runs while it is held, at either level. */
unsigned
kern_runs_exclude(void)
{
    thread_no_kill_begin();
    (void)pica_mutex_lock(&thread_level_lock, PICA_FOREVER);
    return arch_irq_lock();
}

void
kern_runs_allow(unsigned key)
{
    arch_irq_unlock(key);
    (void)pica_mutex_unlock(&thread_level_lock);
    thread_no_kill_end();
}

int
kern_hooks_init(void)
{
    for (unsigned i = 0; i < KERN_HOOKS; i++) {
        kern_hooks[i].def = &hook_defs[i];
        kern_hooks[i].first = NULL;
    }
    now_ns_init();
    level_init(&level_isr);
    level_init(&level_thread);
    int err = pica_mutex_init(&thread_level_lock);
    if (err == 0) {
        err = pica_tap_set(PICA_TAP_CONSOLE_RX, (void *)tap_console_rx);
    }
    return err;
}

/* Bytes of a level's C stack ever used: from the bottom, the first byte
 * that no longer holds the fill. */
static size_t
stack_used(const struct run_level *l)
{
    const uint8_t *p = (const uint8_t *)l->cstack;
    size_t i = 0;
    while (i < sizeof(l->cstack) && p[i] == STACK_FILL) {
        i++;
    }
    return sizeof(l->cstack) - i;
}

void
pica_bpf_stack_use(size_t *isr_used, size_t *thread_used, size_t *size)
{
    *isr_used = stack_used(&level_isr);
    *thread_used = stack_used(&level_thread);
    *size = sizeof(level_isr.cstack);
}

int
pica_bpf_hook_info(unsigned index, struct pica_bpf_hook_info *info)
{
    if (index >= KERN_HOOKS || info == NULL) {
        return index >= KERN_HOOKS ? -ENOENT : -EINVAL;
    }
    uint32_t n = 0;
    unsigned key = arch_irq_lock();
    for (const struct bpf_attach *a = kern_hooks[index].first; a != NULL; a = a->next) {
        n++;
    }
    *info = (struct pica_bpf_hook_info){
        .name = hook_defs[index].name, .attached = n, .runs = hook_runs[index]};
    arch_irq_unlock(key);
    return 0;
}
