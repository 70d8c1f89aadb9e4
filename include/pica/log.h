/* SPDX-License-Identifier: MIT */
/* Logging: leveled messages per module, formatted by the caller into a ring
 * buffer and written to the console by a low-priority thread, so logging
 * never blocks and works in interrupt handlers. Implementation:
 * kernel/log.c; design notes: docs/timers-and-log.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/config.h>

/* Levels: a module prints messages at or below its level. */
#define PICA_LOG_LEVEL_OFF 0
#define PICA_LOG_LEVEL_ERR 1
#define PICA_LOG_LEVEL_WRN 2
#define PICA_LOG_LEVEL_INF 3
#define PICA_LOG_LEVEL_DBG 4

/* A module not yet registered: its level lets every message through to
 * pica_log_write(), which registers it and then filters. */
#define PICA_LOG_UNREGISTERED 0xffu

struct pica_log_module {
    const char *name;
    uint8_t level;                /* PICA_LOG_LEVEL_*, or PICA_LOG_UNREGISTERED */
    struct pica_log_module *next; /* in the list of registered modules */
};

/* Once per source file, before any PICA_LOG_*: names the module the file's
 * messages belong to (an identifier, e.g. PICA_LOG_MODULE(sched)). */
#define PICA_LOG_MODULE(tag)                                                                      \
    __attribute__((unused)) static struct pica_log_module pica_log_module_ = {                    \
        #tag, PICA_LOG_UNREGISTERED, 0}

/* Log a printf-style message (no trailing newline needed). The level test
 * is one byte compare; formatting happens only for messages that pass.
 * Context: any (thread, ISR, boot); never blocks. */
#define PICA_LOG_AT(lvl, ...)                                                                     \
    do {                                                                                          \
        if ((lvl) <= pica_log_module_.level) {                                                    \
            pica_log_write(&pica_log_module_, (lvl), __VA_ARGS__);                                \
        }                                                                                         \
    } while (0)
#define PICA_LOG_ERR(...) PICA_LOG_AT(PICA_LOG_LEVEL_ERR, __VA_ARGS__)
#define PICA_LOG_WRN(...) PICA_LOG_AT(PICA_LOG_LEVEL_WRN, __VA_ARGS__)
#define PICA_LOG_INF(...) PICA_LOG_AT(PICA_LOG_LEVEL_INF, __VA_ARGS__)
#define PICA_LOG_DBG(...) PICA_LOG_AT(PICA_LOG_LEVEL_DBG, __VA_ARGS__)

/* Make this file's module known to pica_log_level() before its first
 * message (modules otherwise register on first use). Context: any. */
#define PICA_LOG_REGISTER() pica_log_register(&pica_log_module_)

/* Set @module's level (PICA_LOG_LEVEL_OFF .. _DBG); "*" sets every
 * registered module and the level later ones start with.
 * Context: any. Returns: 0, -ENOENT (no such module registered), -EINVAL. */
int pica_log_level(const char *module, int level);

/* @module's level. Context: any. Returns: the level, -ENOENT, -EINVAL. */
int pica_log_module_level(const char *module);

/* Write everything buffered to the console before returning, in order.
 * From a thread this waits for the log thread's chunk in progress; from an
 * ISR, at boot or with interrupts masked (panic, fault) it drains with
 * polled output and no waiting, and text the log thread had already taken
 * may come out after it. Context: any. Returns: bytes written. */
int pica_log_flush(void);

struct pica_log_stats {
    uint32_t written;    /* messages stored in the buffer since boot */
    uint32_t dropped;    /* messages lost because the buffer was full */
    uint32_t bytes_used; /* bytes waiting to be written now */
    uint32_t bytes_max;  /* the most ever waiting (buffer: PICA_CFG_LOG_BUFFER_SIZE) */
};
/* Fill @st. Context: any. Returns: 0, -EINVAL (@st is NULL). */
int pica_log_stats(struct pica_log_stats *st);

/* Copy the most recent log text still in the ring buffer into @buf: whole
 * lines, oldest first, whether or not the log thread has written them out
 * yet (the ring keeps the last PICA_CFG_LOG_BUFFER_SIZE bytes logged).
 * Context: any. Returns: bytes copied (no NUL is added), -EINVAL. */
int pica_log_history(char *buf, size_t len);

/* Read log text from position *@pos (free-running: 0 is the first byte ever
 * logged) into @buf and advance *@pos past it, for a reader that follows
 * the log (picactl log). A position the ring no longer holds, or one from
 * the future, reads from the oldest byte kept. Context: any.
 * Returns: bytes copied (0: nothing new), -EINVAL. */
int pica_log_read(uint32_t *pos, char *buf, size_t len);

/* Call @fn for each registered module with its name and level, newest
 * registered first. Context: thread. Returns: the number of modules. */
int pica_log_foreach(void (*fn)(const char *name, int level, void *arg), void *arg);

/* Behind the macros. */
void pica_log_register(struct pica_log_module *m);
__attribute__((format(printf, 3, 4))) void pica_log_write(struct pica_log_module *m, int level,
                                                          const char *fmt, ...);
