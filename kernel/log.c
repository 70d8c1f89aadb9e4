/* SPDX-License-Identifier: MIT */
/* Logging (include/pica/log.h): the caller formats a whole line on its own
 * stack, then copies it into the ring under the kernel lock; the log thread
 * (log_service_init()) copies text out in chunks and writes it with the lock
 * released. Lines never split or interleave in the ring, so the console
 * shows them whole and in the order they were logged. */
#include <pica/log.h>

#include <errno.h>
#include <pica/console.h>
#include <pica/heap.h>
#include <pica/mutex.h>
#include <pica/panic.h>
#include <pica/shell.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "sched.h"
#include "waitq.h"

#define RING_MASK (PICA_CFG_LOG_BUFFER_SIZE - 1u)
#define DRAIN_CHUNK 64u
#define NOTE_MAX 64u

/* The ring: head and tail count bytes since boot (they wrap together), so
 * head - tail is the fill. Both change only under the kernel lock. */
static char ring[PICA_CFG_LOG_BUFFER_SIZE];
static uint32_t ring_head, ring_tail;
static uint32_t unreported_drops; /* dropped since the last note was queued */
static struct pica_log_stats stats;

static struct pica_log_module *modules; /* registered, newest first */
static uint8_t default_level = PICA_CFG_LOG_LEVEL;

/* The log thread, while the ring is empty. Initialised statically: boot
 * code may log before log_service_init(). */
static struct pica_waitq log_waitq = {PICA_LIST_INIT(log_waitq.head), NULL};
/* Held by whoever takes text out and writes it (log thread, thread flush),
 * so one consumer's chunk cannot be overtaken by another's. */
static struct pica_mutex drain_lock;
static struct pica_thread log_thread;
PICA_THREAD_STACK_DEFINE(log_stack, PICA_CFG_LOG_STACK_SIZE);

void
pica_log_register(struct pica_log_module *m)
{
    unsigned key = arch_irq_lock();
    if (m->level == PICA_LOG_UNREGISTERED) {
        m->level = default_level;
        m->next = modules;
        modules = m;
    }
    arch_irq_unlock(key);
}

static struct pica_log_module *
module_find(const char *name)
{
    /* Modules are only ever added at the head, with the lock held. */
    unsigned key = arch_irq_lock();
    struct pica_log_module *m = modules;
    arch_irq_unlock(key);
    while (m != NULL && strcmp(m->name, name) != 0) {
        m = m->next;
    }
    return m;
}

int
pica_log_level(const char *module, int level)
{
    PICA_CHECK(module != NULL, -EINVAL);
    PICA_CHECK(level >= PICA_LOG_LEVEL_OFF && level <= PICA_LOG_LEVEL_DBG, -EINVAL);
    if (strcmp(module, "*") == 0) {
        unsigned key = arch_irq_lock();
        default_level = (uint8_t)level;
        for (struct pica_log_module *m = modules; m != NULL; m = m->next) {
            m->level = (uint8_t)level;
        }
        arch_irq_unlock(key);
        return 0;
    }
    struct pica_log_module *m = module_find(module);
    if (m == NULL) {
        return -ENOENT;
    }
    m->level = (uint8_t)level;
    return 0;
}

int
pica_log_module_level(const char *module)
{
    PICA_CHECK(module != NULL, -EINVAL);
    struct pica_log_module *m = module_find(module);
    return m != NULL ? m->level : -ENOENT;
}

/* "*** log: N messages dropped (buffer full)\n", without printf: it is
 * built under the kernel lock and on the log thread's small stack.
 * Returns its length. */
static uint32_t
note_format(char *buf, uint32_t count)
{
    static const char pre[] = "*** log: ", post[] = " messages dropped (buffer full)\n";
    char digits[10];
    uint32_t nd = 0, n = sizeof(pre) - 1u;
    memcpy(buf, pre, n);
    do {
        digits[nd++] = (char)('0' + count % 10u);
        count /= 10u;
    } while (count != 0);
    while (nd > 0) {
        buf[n++] = digits[--nd];
    }
    memcpy(buf + n, post, sizeof(post) - 1u);
    return n + (uint32_t)sizeof(post) - 1u;
}

static uint32_t
ring_free_locked(void)
{
    return PICA_CFG_LOG_BUFFER_SIZE - (ring_head - ring_tail);
}

static void
ring_put_locked(const char *s, uint32_t n)
{
    uint32_t at = ring_head & RING_MASK;
    uint32_t first = n < PICA_CFG_LOG_BUFFER_SIZE - at ? n : PICA_CFG_LOG_BUFFER_SIZE - at;
    memcpy(&ring[at], s, first);
    memcpy(ring, s + first, n - first);
    ring_head += n;
    if (ring_head - ring_tail > stats.bytes_max) {
        stats.bytes_max = ring_head - ring_tail;
    }
}

static uint32_t
ring_take_locked(char *buf, uint32_t len)
{
    uint32_t n = ring_head - ring_tail;
    n = n < len ? n : len;
    uint32_t at = ring_tail & RING_MASK;
    uint32_t first = n < PICA_CFG_LOG_BUFFER_SIZE - at ? n : PICA_CFG_LOG_BUFFER_SIZE - at;
    memcpy(buf, &ring[at], first);
    memcpy(buf + first, ring, n - first);
    ring_tail += n;
    return n;
}

/* Store one formatted line, preceded by a note of the messages dropped
 * before it; the two go in together or the line is dropped too. */
static void
log_store(const char *line, uint32_t len)
{
    char note[NOTE_MAX];
    unsigned key = arch_irq_lock();
    uint32_t note_len = unreported_drops != 0 ? note_format(note, unreported_drops) : 0u;
    if (ring_free_locked() < note_len + len) {
        stats.dropped++;
        unreported_drops++;
    } else {
        ring_put_locked(note, note_len);
        ring_put_locked(line, len);
        unreported_drops = 0;
        stats.written++;
        waitq_wake_one_locked(&log_waitq, 0);
    }
    arch_irq_unlock(key);
}

static uint32_t
clamp_len(int n)
{
    if (n < 0) {
        return 0;
    }
    return (uint32_t)n < PICA_CFG_LOG_LINE_SIZE - 1u ? (uint32_t)n : PICA_CFG_LOG_LINE_SIZE - 1u;
}

void
pica_log_write(struct pica_log_module *m, int level, const char *fmt, ...)
{
    static const char letters[] = "-EWID";
    if (m->level == PICA_LOG_UNREGISTERED) {
        pica_log_register(m);
    }
    if (level < PICA_LOG_LEVEL_ERR || level > m->level) {
        return;
    }
    /* The tick count is not running before the scheduler starts. */
    unsigned long tick = sched_started ? (unsigned long)pica_tick_now() : 0ul;
    char line[PICA_CFG_LOG_LINE_SIZE];
    uint32_t len =
        clamp_len(snprintf(line, sizeof(line), "[%7lu] %c %s: ", tick, letters[level], m->name));
    uint32_t head = len;
    va_list ap;
    va_start(ap, fmt);
    len = clamp_len((int)len + vsnprintf(line + len, sizeof(line) - len, fmt, ap));
    va_end(ap);
    /* Exactly one newline, whether or not the text ended with one. */
    if (len > 0 && line[len - 1u] == '\n') {
        len--;
    }
    if (__builtin_expect(pica_taps.log != NULL, 0) &&
        pica_taps.log(level, m->name, line + head, len - head)) {
        return;
    }
    line[len++] = '\n';
    log_store(line, len);
}

/* Move one chunk of the ring, or else the note of drops nothing reported
 * yet, to the console. Returns the bytes written (0: nothing to do). */
static uint32_t
drain_chunk(void)
{
    char buf[DRAIN_CHUNK > NOTE_MAX ? DRAIN_CHUNK : NOTE_MAX];
    unsigned key = arch_irq_lock();
    uint32_t n = ring_take_locked(buf, DRAIN_CHUNK);
    if (n == 0 && unreported_drops != 0) {
        n = note_format(buf, unreported_drops);
        unreported_drops = 0;
    }
    arch_irq_unlock(key);
    pica_console_write(buf, n);
    return n;
}

int
pica_log_flush(void)
{
    unsigned key = arch_irq_lock();
    bool may_wait = sched_started && !arch_in_isr() && arch_irq_key_unlocked(key);
    arch_irq_unlock(key);
    bool locked = may_wait && pica_mutex_lock(&drain_lock, PICA_FOREVER) == 0;
    uint32_t total = 0, n;
    while ((n = drain_chunk()) != 0) {
        total += n;
    }
    if (locked) {
        pica_mutex_unlock(&drain_lock);
    }
    return (int)total;
}

int
pica_log_stats(struct pica_log_stats *st)
{
    PICA_CHECK(st != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    *st = stats;
    st->bytes_used = ring_head - ring_tail;
    arch_irq_unlock(key);
    return 0;
}

static void
log_thread_entry(void *unused)
{
    (void)unused;
    for (;;) {
        pica_mutex_lock(&drain_lock, PICA_FOREVER);
        uint32_t n = drain_chunk();
        pica_mutex_unlock(&drain_lock);
        if (n == 0) {
            unsigned key = arch_irq_lock();
            if (ring_head == ring_tail && unreported_drops == 0) {
                waitq_block_locked(&log_waitq, key, PICA_FOREVER); /* unlocks */
            } else {
                arch_irq_unlock(key);
            }
        }
    }
}

/* Create the log thread. Context: boot, from kernel_services_init(). */
void
log_service_init(void)
{
    pica_mutex_init(&drain_lock);
    if (pica_thread_create(&log_thread, "log", log_thread_entry, NULL, log_stack, sizeof(log_stack),
                           PICA_CFG_LOG_PRIO, 0) != 0) {
        PICA_PANIC("log thread");
    }
}

int
pica_log_read(uint32_t *pos, char *buf, size_t len)
{
    PICA_CHECK(pos != NULL && (buf != NULL || len == 0), -EINVAL);
    unsigned key = arch_irq_lock();
    uint32_t have = ring_head < PICA_CFG_LOG_BUFFER_SIZE ? ring_head : PICA_CFG_LOG_BUFFER_SIZE;
    uint32_t oldest = ring_head - have;
    /* Positions are free-running: one behind the oldest byte kept (or
     * ahead of the newest, from another boot) starts at the oldest. */
    uint32_t from = *pos - oldest <= have ? *pos : oldest;
    uint32_t n = ring_head - from;
    n = n < len ? n : (uint32_t)len;
    for (uint32_t i = 0; i < n; i++) {
        buf[i] = ring[(from + i) & RING_MASK];
    }
    *pos = from + n;
    arch_irq_unlock(key);
    return (int)n;
}

int
pica_log_history(char *buf, size_t len)
{
    PICA_CHECK(buf != NULL || len == 0, -EINVAL);
    unsigned key = arch_irq_lock();
    /* The bytes before head are what was logged last, read or not: writers
     * never overwrite unread text, and read text stays until overwritten. */
    uint32_t have = ring_head < PICA_CFG_LOG_BUFFER_SIZE ? ring_head : PICA_CFG_LOG_BUFFER_SIZE;
    uint32_t n = have < len ? have : (uint32_t)len;
    uint32_t from = ring_head - n;
    for (uint32_t i = 0; i < n; i++) {
        buf[i] = ring[(from + i) & RING_MASK];
    }
    arch_irq_unlock(key);
    /* Whole lines only: drop a first line cut at its start, unless the
     * copy begins at the very first byte ever logged. */
    uint32_t start = 0;
    if (from != 0) {
        while (start < n && buf[start] != '\n') {
            start++;
        }
        start = start < n ? start + 1 : n;
    }
    memmove(buf, buf + start, n - start);
    return (int)(n - start);
}

int
pica_log_foreach(void (*fn)(const char *name, int level, void *arg), void *arg)
{
    int count = 0;
    /* Modules are only ever added, at the head: the list behind a read
     * head stays as it is. */
    unsigned key = arch_irq_lock();
    struct pica_log_module *m = modules;
    arch_irq_unlock(key);
    for (; m != NULL; m = m->next) {
        fn(m->name, m->level, arg);
        count++;
    }
    return count;
}

/* ---- the shell's log command ---- */

static const char *const level_names[] = {"off", "err", "wrn", "inf", "dbg"};

static void
print_module(const char *name, int level, void *arg)
{
    (void)arg;
    printf("  %-12s %s\n", name, level >= 0 && level <= 4 ? level_names[level] : "?");
}

static int
level_from(const char *s)
{
    for (int i = 0; i <= PICA_LOG_LEVEL_DBG; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            return i;
        }
    }
    char *end;
    long v = strtol(s, &end, 10);
    return *end == '\0' && end != s && v >= 0 && v <= PICA_LOG_LEVEL_DBG ? (int)v : -1;
}

static int
cmd_log(int argc, char **argv)
{
    if (argc == 1) {
        struct pica_log_stats st;
        pica_log_stats(&st);
        printf("log: %lu messages, %lu dropped, %lu of %u bytes waiting (most %lu)\n",
               (unsigned long)st.written, (unsigned long)st.dropped,
               (unsigned long)st.bytes_used, (unsigned)PICA_CFG_LOG_BUFFER_SIZE,
               (unsigned long)st.bytes_max);
        pica_log_foreach(print_module, NULL);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "dump") == 0) {
        /* From the heap for the moment it takes: a buffer of its own would
         * cost every image that logs its size in RAM. */
        char *text = pica_malloc(PICA_CFG_LOG_BUFFER_SIZE);
        if (text == NULL) {
            return -ENOMEM;
        }
        int n = pica_log_history(text, PICA_CFG_LOG_BUFFER_SIZE);
        fwrite(text, 1, (size_t)n, stdout);
        pica_free(text);
        return 0;
    }
    if (argc != 3) {
        return PICA_SHELL_USAGE;
    }
    int level = level_from(argv[2]);
    if (level < 0) {
        printf("log: level '%s': off, err, wrn, inf, dbg or 0-4\n", argv[2]);
        return -EINVAL;
    }
    int err = pica_log_level(argv[1], level);
    if (err == -ENOENT) {
        printf("log: no module '%s' (log lists them)\n", argv[1]);
    }
    return err;
}
PICA_SHELL_CMD(log, "log levels per module, or the last lines logged\n"
                    "log                  modules, levels and figures\n"
                    "log <module|*> <level>  set a level: off err wrn inf dbg (or 0-4)\n"
                    "log dump             the most recent log text still buffered",
               cmd_log);
