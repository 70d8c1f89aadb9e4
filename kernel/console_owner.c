/* SPDX-License-Identifier: MIT */
/* Who writes to the console when: its owner, the thread whose line is in
 * progress, which keeps a line printed in pieces whole; the bounded wait
 * for a silent owner; pica_console_lock(); the prompt hooks; and the two
 * ways in, pica_console_write() and stdio's console_putc(). The bytes go
 * out through console_tx.c. The rules as writers see them are in
 * include/pica/console.h.
 *
 * The owner changes under the kernel lock. Hooks run outside it, while
 * their thread owns the console. Interrupt handlers and other writers that
 * cannot wait ignore the owner: their bytes go straight to the ring. */
#include <pica/console.h>

#include <errno.h>
#include <limits.h>
#include <pica/config.h>
#include <pica/panic.h>

#include "arch.h"
#include "console_priv.h"
#include "sched.h"
#include "waitq.h"

/* NULL when the console is free. owner_seq changes with every change of
 * owner and every byte stdio stores for it, and owner_writing is set while
 * it is inside a write (however long it waits for room): together they
 * tell a waiter a silent owner from a busy one. */
static struct pica_thread *owner;
static bool owner_holds; /* by pica_console_lock(): only unlock ends it */
static bool owner_writing;
static uint32_t owner_seq;
static struct pica_waitq owner_waiters;

/* What erases the prompt's line for a writer that cannot run the hide
 * hook: back to its start, erase to the end of the line (ECMA-48 EL). */
#define PROMPT_ERASE "\r\x1b[K"

static struct {
    void (*hide)(void *);
    void (*show)(void *);
    void *arg;
    const struct pica_thread *owner;
    bool hidden;                 /* hide ran and show has not */
    struct pica_thread *in_hook; /* the thread running one of them */
} prompt;

void
console_owner_init(void)
{
    waitq_init(&owner_waiters);
}

static void
owner_set_locked(struct pica_thread *t)
{
    owner = t;
    owner_holds = false;
    owner_writing = false;
    owner_seq++;
}

/* Mark the calling thread's write in progress or over, if it owns the
 * console. */
static __attribute__((noinline)) void
owner_writing_set(bool writing)
{
    unsigned key = arch_irq_lock();
    if (owner == sched.current) {
        owner_writing = writing;
        owner_seq++;
    }
    arch_irq_unlock(key);
}

/* Whether the caller could block here (a thread, the kernel unlocked, the
 * scheduler running). */
static bool
caller_may_wait(void)
{
    unsigned key = arch_irq_lock();
    bool may = sched_may_block(key) == 0;
    arch_irq_unlock(key);
    return may;
}

/* The hook @self owes as it takes the console, if any: hide as another
 * thread than the prompt's takes it with the prompt on screen, show as the
 * prompt's own thread takes it back with the prompt hidden. */
static void (*prompt_hook_due_locked(const struct pica_thread *self))(void *)
{
    if (self != prompt.owner) {
        return prompt.hidden ? NULL : prompt.hide;
    }
    return prompt.hidden ? prompt.show : NULL;
}

/* Run @hook (may be NULL) in @self outside the lock (@key), marked as in a
 * hook so that its writes go out raw. Returns without the lock. */
static void
prompt_run_locked(void (*hook)(void *), struct pica_thread *self, unsigned key)
{
    void *arg = prompt.arg;
    if (hook != NULL) {
        prompt.in_hook = self;
    }
    arch_irq_unlock(key);
    if (hook != NULL) {
        hook(arg);
        prompt.in_hook = NULL;
    }
}

/* Make the calling thread the owner: at once if the console is free (or
 * its owner died), else when the owner ends its line and hands it over,
 * or once the owner has been silent, outside any write, for
 * PICA_CFG_CONSOLE_WAIT_MS. Then the hook the change calls for. Returns:
 * 0, or the error of a wait that could not happen (the bytes then go out
 * without the console). */
static __attribute__((noinline)) int
console_take(void)
{
    struct pica_thread *self = sched.current;
    unsigned key = arch_irq_lock();
    while (owner != self) {
        if (owner == NULL || owner->state == PICA_THREAD_DEAD) {
            owner_set_locked(self);
            break;
        }
        uint32_t seq = owner_seq;
        int err = waitq_block_locked(&owner_waiters, key, PICA_MS(PICA_CFG_CONSOLE_WAIT_MS));
        key = arch_irq_lock();
        if (err == -ETIMEDOUT) {
            /* A write in progress is a unit, unless its thread was
             * suspended in it. */
            if (owner != NULL && owner != self && owner_seq == seq &&
                (!owner_writing || owner->state == PICA_THREAD_SUSPENDED)) {
                owner_set_locked(self); /* its line is abandoned */
            }
        } else if (err != 0) {
            arch_irq_unlock(key);
            return err;
        }
    }
    void (*hook)(void *) = prompt_hook_due_locked(self);
    if (hook != NULL) {
        prompt.hidden = self != prompt.owner;
        if (self->user != NULL) {
            /* A user thread writes from a system call, on a privileged
             * stack with no room for the hooks' depth (the redraw goes
             * through the console again): the prompt's line is erased
             * here, and redrawn later by its own thread
             * (console_prompt_catch_up()). */
            arch_irq_unlock(key);
            console_tx_write(PROMPT_ERASE, sizeof PROMPT_ERASE - 1u, false);
            return 0;
        }
    }
    prompt_run_locked(hook, self, key);
    return 0;
}

void
console_prompt_catch_up(void)
{
    unsigned key = arch_irq_lock();
    bool due = prompt.hidden && prompt.owner == sched.current && prompt.in_hook == NULL &&
               sched_may_block(key) == 0;
    arch_irq_unlock(key);
    if (due) {
        (void)console_take(); /* runs the show hook; the caller gives it up */
    }
}

/* Hand the console to the first waiter or, with none, redraw a hidden
 * prompt (still owning it) and leave it free. A user thread leaves the
 * redraw to the prompt's thread, woken as by a key. */
static __attribute__((noinline)) void
console_give(void)
{
    struct pica_thread *self = sched.current;
    bool wake_prompt = false;
    unsigned key = arch_irq_lock();
    while (owner == self) {
        struct pica_thread *next = waitq_wake_one_locked(&owner_waiters, 0);
        if (next != NULL) {
            owner_set_locked(next);
        } else if (prompt.hidden && self->user != NULL) {
            owner_set_locked(NULL);
            wake_prompt = true;
        } else if (prompt.hidden) {
            prompt.hidden = false;
            prompt_run_locked(prompt.show, self, key);
            key = arch_irq_lock(); /* a writer may have come to wait meanwhile */
        } else {
            owner_set_locked(NULL);
        }
    }
    arch_irq_unlock(key);
    if (wake_prompt) {
        console_rx_wake();
    }
}

void
console_line_end(void)
{
    unsigned key = arch_irq_lock();
    bool mine = sched_may_block(key) == 0 && owner == sched.current && !owner_holds &&
                prompt.in_hook != sched.current;
    arch_irq_unlock(key);
    if (mine) {
        console_give();
    }
}

/* Whether @self may store now without waiting for anyone: the ring is in
 * use, @self is a thread that could wait, not in a hook, and it owns the
 * console or finds it free with no hook due. */
static inline __attribute__((always_inline)) bool
owner_may_store_locked(struct pica_thread *self, unsigned key)
{
    return console_tx_ring_in_use() && sched_may_block(key) == 0 && prompt.in_hook != self &&
           (owner == self || (owner == NULL && prompt_hook_due_locked(self) == NULL));
}

/* After @self stored bytes ending in @last: it owns the console, and a
 * line's end frees the console when nobody waits for it and no prompt is
 * to be redrawn, as console_give() would. Returns whether console_give()
 * must run (after the unlock) for the rest. */
static inline __attribute__((always_inline)) bool
owner_stored_locked(struct pica_thread *self, char last)
{
    if (owner != self) {
        owner_set_locked(self);
    }
    owner_seq++;
    if (last != '\n' || owner_holds) {
        return false;
    }
    if (waitq_first_locked(&owner_waiters) == NULL && !prompt.hidden) {
        owner_set_locked(NULL);
        return false;
    }
    return true;
}

/* Store @c for the calling thread @self if that needs no wait. Returns
 * whether it did. Inline into a small frame: the transmit interrupt it
 * starts comes on top of it, under printf's deep frames. */
static inline __attribute__((always_inline)) bool
console_putc_now(char c, struct pica_thread *self)
{
    unsigned key = arch_irq_lock();
    if (!owner_may_store_locked(self, key) || !console_tx_putc_locked(c)) {
        arch_irq_unlock(key);
        return false;
    }
    bool give = owner_stored_locked(self, c);
    arch_irq_unlock(key);
    if (give) {
        console_give();
    }
    return true;
}

/* console_putc() when console_putc_now() could not: one wait, for the
 * console or for room (returns true: try again), or else the byte written
 * as any one-byte write where the ring is not in use or the caller cannot
 * wait (returns false: done). A step apart from the retry, so that a wait
 * adds few frames to printf's.
 *
 * Kernel code printing on behalf of a process (an exit report in a system
 * call) runs on the process's small privileged stack: a wait there would
 * add a switch's frames on top and could overflow it, so such output never
 * waits. It is queued at once, inside another thread's line if need be,
 * and dropped if the ring is full. The process's own output (sys_write)
 * waits as any thread's. */
static __attribute__((noinline)) bool
console_putc_wait(char c, struct pica_thread *self)
{
    unsigned key = arch_irq_lock();
    if (!console_tx_ring_in_use() || sched_may_block(key) != 0 || prompt.in_hook == self) {
        arch_irq_unlock(key);
        pica_console_write(&c, 1);
        return false;
    }
    if (self->proc != NULL) {
        arch_irq_unlock(key);
        console_tx_write(&c, 1, false);
        return false;
    }
    int err;
    if (owner != self && (owner != NULL || prompt_hook_due_locked(self) != NULL)) {
        arch_irq_unlock(key);
        err = console_take();
    } else {
        if (owner != self) {
            owner_set_locked(self);
        }
        owner_writing = true;
        err = console_tx_room_wait_locked(key);
        owner_writing_set(false);
    }
    if (err != 0) {
        console_tx_write(&c, 1, false); /* could not wait: as any writer that cannot */
        return false;
    }
    return true;
}

static __attribute__((noinline)) bool
console_putc_retry(char c, struct pica_thread *self)
{
    return console_putc_now(c, self);
}

static __attribute__((noinline)) int
console_putc_slow(char c, struct pica_thread *self)
{
    while (console_putc_wait(c, self) && !console_putc_retry(c, self)) {
    }
    return (unsigned char)c;
}

int
console_putc(char c)
{
    struct pica_thread *self = sched.current;
    if (console_putc_now(c, self)) {
        return (unsigned char)c;
    }
    return console_putc_slow(c, self);
}

/* pica_console_write() where it must wait, for the console or for room,
 * or cannot. */
static __attribute__((noinline)) void
console_write_slow(const char *buf, size_t len)
{
    /* In a hook the thread already owns the console for it. */
    bool may_wait = caller_may_wait();
    if (!may_wait || prompt.in_hook == sched.current) {
        console_tx_write(buf, len, may_wait);
        return;
    }
    if (console_take() != 0) {
        console_tx_write(buf, len, false);
        return;
    }
    owner_writing_set(true);
    console_tx_write(buf, len, true);
    owner_writing_set(false);
    if (buf[len - 1] == '\n') {
        console_line_end();
    }
}

int
pica_console_write(const char *buf, size_t len)
{
    PICA_CHECK((buf != NULL || len == 0) && len <= INT_MAX, -EINVAL);
    if (len == 0) {
        return 0;
    }
    /* The usual case in one pass under the lock: a thread continuing its
     * line, or starting one, with room for all of it. */
    struct pica_thread *self = sched.current;
    unsigned key = arch_irq_lock();
    if (owner_may_store_locked(self, key) && console_tx_putn_locked(buf, len)) {
        bool give = owner_stored_locked(self, buf[len - 1]);
        arch_irq_unlock(key);
        if (give) {
            console_give();
        }
        return (int)len;
    }
    arch_irq_unlock(key);
    console_write_slow(buf, len);
    return (int)len;
}

int
pica_console_lock(void)
{
    if (!caller_may_wait()) {
        return arch_in_isr() ? -EINVAL : -EDEADLK;
    }
    int err = console_take();
    if (err == 0) {
        unsigned key = arch_irq_lock();
        owner_holds = owner == sched.current;
        arch_irq_unlock(key);
    }
    return err;
}

void
pica_console_unlock(void)
{
    unsigned key = arch_irq_lock();
    bool mine = sched_may_block(key) == 0 && owner == sched.current;
    if (mine) {
        owner_holds = false;
    }
    arch_irq_unlock(key);
    if (mine) {
        console_give();
    }
}

int
pica_console_set_prompt_hooks(void (*hide)(void *arg), void (*show)(void *arg), void *arg,
                              const struct pica_thread *thread)
{
    PICA_CHECK((hide == NULL) == (show == NULL), -EINVAL);
    unsigned key = arch_irq_lock();
    prompt.hide = hide;
    prompt.show = show;
    prompt.arg = arg;
    prompt.owner = thread;
    prompt.hidden = false;
    arch_irq_unlock(key);
    return 0;
}
