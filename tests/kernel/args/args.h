/* SPDX-License-Identifier: MIT */
/* The table runner of the argument-check tests (main.c). A group is one
 * kind of object with a fixture; each row makes one call with one bad
 * argument and states the documented result. For every row the runner sets
 * the fixture up, makes the call (from an interrupt handler if the row says
 * so), compares the result, then checks that nothing changed: the
 * snapshots the fixture registered with args_snap() and the group's own
 * check, which also judges out-parameters. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/time.h>

/* Which object a row passes: the fixture, NULL, one never initialised (a
 * zeroed static object, the only kind the kernel can recognise), or a
 * variant of the fixture that the group defines from ARG_VARIANT on. */
enum {
    ARG_READY,
    ARG_NULL,
    ARG_ZEROED,
    ARG_VARIANT,
};

/* Which pointer argument a row passes: a good one, NULL, or one the group
 * defines from PTR_BAD on. */
enum {
    PTR_OK,
    PTR_NULL,
    PTR_BAD,
};

struct arg_row {
    int (*call)(const struct arg_row *r); /* makes the call; its result */
    const char *what;                     /* the call, as reported */
    int expect;                           /* the documented result */
    int obj;                              /* ARG_* */
    int ptr;                              /* PTR_* */
    uint64_t a, b;                        /* the call's other arguments */
    pica_timeout_t t;                     /* its timeout, if it has one */
    bool isr;                             /* made from an interrupt handler */
    /* A known defect in code this test does not own: the row is expected to
     * fail until it is fixed, and its passing fails the run, so that the
     * mark is removed. */
    const char *known;
    /* With @known: the row is not run, because the defect would crash or
     * hang the run (for instance a store through NULL). */
    bool not_run;
};

struct arg_group {
    const char *name;
    /* Put the fixture in the state @r needs, ready to serve the call but
     * for its bad argument. */
    void (*setup)(const struct arg_row *r);
    /* NULL if everything the call could touch is as documented, else what
     * is not (args_fmt() formats it). May be NULL. */
    const char *(*check)(const struct arg_row *r);
    /* Undo the setup (also after a call that wrongly succeeded). May be NULL. */
    void (*teardown)(const struct arg_row *r);
    const struct arg_row *rows;
    unsigned n;
};

#define ARGS_GROUP(name_, setup_, check_, teardown_, rows_)                                       \
    {                                                                                             \
        name_, setup_, check_, teardown_, rows_, sizeof(rows_) / sizeof((rows_)[0])               \
    }

/* Run every row of @g; asserts that each is as documented or, with a
 * known-defect mark, still fails. */
void args_run(const struct arg_group *g);

/* Remember @size bytes of @obj (named @name in reports) so that the runner
 * checks after the call that they did not change. Up to four per row. */
void args_snap(const char *name, const void *obj, size_t size);

/* A report, formatted into a buffer that lives until the next call. */
const char *args_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The line whose handler makes the ISR rows' calls (the last line the
 * kernel has), and one more free line below it for the interrupt rows. */
unsigned args_isr_line(void);
unsigned args_free_line(void);

/* A worker at priority 10, above the test's: holds fixtures in place. */
#define ARGS_WORKER_PRIO 10

/* The row's object: the fixture @ready, NULL or @zeroed. */
#define ARG_OBJ(r, ready, zeroed)                                                                 \
    ((r)->obj == ARG_NULL ? NULL : (r)->obj == ARG_ZEROED ? (zeroed) : (ready))

/* The row's pointer argument: @good or NULL. */
#define ARG_PTR(r, good) ((r)->ptr == PTR_NULL ? NULL : (good))

/* Groups, one file per area. */
extern const struct arg_group args_sem, args_mutex, args_event;
extern const struct arg_group args_queue, args_pool;
extern const struct arg_group args_thread, args_time, args_timer, args_irq;
extern const struct arg_group args_heap, args_log, args_console;
