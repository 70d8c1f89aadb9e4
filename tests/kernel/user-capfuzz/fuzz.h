/* SPDX-License-Identifier: MIT */
/* The user-capfuzz kernel side: the state main.c (setup, the command
 * channel, the end) and ops.c (one random operation per step) share. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/ipc.h>
#include <pica/sem.h>

#include "model.h"

enum fuzz_op {
    FUZZ_SEM,    /* a process creates a semaphore */
    FUZZ_EP,     /* an endpoint */
    FUZZ_NTFN,   /* a notification */
    FUZZ_COPY,
    FUZZ_MINT,
    FUZZ_MOVE,
    FUZZ_DELETE,
    FUZZ_REVOKE,
    FUZZ_QUERY,  /* sys_cap_info and sys_cap_badge of a slot */
    FUZZ_PASS,   /* one process sends capabilities, the other receives */
    FUZZ_GIVE,   /* the kernel gives a process one of its objects */
    FUZZ_END,    /* a process exits and starts again */
    FUZZ_OPS,
};

/* Refusals are counted by error. */
enum fuzz_err {
    ERR_BADF,
    ERR_PERM,
    ERR_INVAL,
    ERR_EXIST,
    ERR_NOSPC,
    ERR_NOMEM,
    ERR_AGAIN,
    ERR_OTHER,
    FUZZ_ERRS,
};

struct fuzz {
    struct model model;
    struct pica_ep cmd[MODEL_PROCS];      /* each worker's command endpoint */
    struct pica_reply reply[MODEL_PROCS]; /* its call the kernel holds */
    struct pica_ep peer;                  /* the endpoint both share */
    struct pica_ep spare_ep;              /* kernel objects FUZZ_GIVE hands out */
    struct pica_sem sem;
    struct pica_ntfn ntfn;
    unsigned cmd_obj[MODEL_PROCS], peer_obj, spare_ep_obj, sem_obj, ntfn_obj; /* in model.objs */
    uint32_t rng;
    unsigned step;
    unsigned results;  /* results compared */
    unsigned late;     /* passes refused because the kernel filled a slot meanwhile */
    unsigned revoked;  /* slots revokes deleted */
    char op[112];      /* the operation under way */
    unsigned ok[FUZZ_OPS];
    unsigned refused[FUZZ_OPS][FUZZ_ERRS];
};

/* kernel/proc/cap.h: the bytes a process is charged for an object of @size. */
uint32_t cap_obj_charge(size_t size);

/* Answer worker @x's call with the command @w. */
void fuzz_cmd(struct fuzz *f, unsigned x, const uint32_t w[4]);
/* Wait for worker @x's next call: the outcome of its command in @out. */
void fuzz_report(struct fuzz *f, unsigned x, uint32_t out[4]);
/* Both of the above. */
void fuzz_run(struct fuzz *f, unsigned x, const uint32_t w[4], uint32_t out[4]);
/* Compare a result with the model's and count it under @op. */
void fuzz_expect(struct fuzz *f, enum fuzz_op op, int got, int want);
/* Compare one more word of an outcome with the model's. */
void fuzz_same(struct fuzz *f, const char *what, uint32_t got, uint32_t want);
/* Report a difference (step, operation, what) and end the run. */
__attribute__((noreturn, format(printf, 2, 3))) void fuzz_mismatch(struct fuzz *f,
                                                                   const char *fmt, ...);
/* Compare both tables with the model. */
void fuzz_check(struct fuzz *f);
/* Give worker @x its two endpoints and start it; wait for its first call. */
void fuzz_start(struct fuzz *f, unsigned x);
/* Tell worker @x to exit and wait until it has; the model follows. */
void fuzz_stop(struct fuzz *f, unsigned x);
uint32_t fuzz_rand(struct fuzz *f);

/* One random operation (ops.c). */
void fuzz_step(struct fuzz *f);
