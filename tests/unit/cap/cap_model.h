/* SPDX-License-Identifier: MIT */
/* A pure model of two processes' capability tables (kernel/proc/cap.c), for
 * the random test (test_cap_model.c, ctest unit.cap.model) and the fuzzer
 * (tests/fuzz/cap). Each step decodes one operation from a few bytes
 * (insert, copy, mint, move, delete, revoke, transfer, a process's end),
 * applies it to the kernel and to the model, and compares everything: the
 * result, every slot of both processes, each slot's children list, the
 * quota used and which owned objects are alive. The model keeps, per slot,
 * its object, type, rights, badge, an id and its parent's id; a deletion
 * hands a slot's children to its parent. Implementation: cap_model.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/proc.h>

#define CAP_MODEL_PROCS 2
#define CAP_MODEL_OBJS 64
/* Bytes cap_model_step() reads. */
#define CAP_MODEL_OP_BYTES 6
/* Kinds of operation, for the counts in struct cap_model.done. */
enum {
    CAP_MODEL_INSERT,
    CAP_MODEL_COPY,
    CAP_MODEL_MINT,
    CAP_MODEL_MOVE,
    CAP_MODEL_DELETE,
    CAP_MODEL_REVOKE,
    CAP_MODEL_TRANSFER,
    CAP_MODEL_END,
    CAP_MODEL_KINDS,
};
/* Where the object of a kernel dummy comes from: no process. */
#define CAP_MODEL_KERNEL CAP_MODEL_PROCS

struct cap_model_obj {
    void *ptr;       /* the kernel object */
    uint8_t type;    /* enum pica_cap_type */
    uint8_t owner;   /* the process charged, or CAP_MODEL_KERNEL */
    bool live;       /* not destroyed */
    uint32_t charge; /* bytes charged to the owner */
    unsigned slots;  /* slots naming it */
};

struct cap_model_slot {
    bool present;
    uint8_t obj; /* index into objs[] */
    uint8_t type;
    uint8_t rights;
    uint32_t badge;
    uint32_t id;     /* never 0, kept by a move */
    uint32_t parent; /* the id of the slot it was derived from, 0: none */
};

struct cap_model {
    struct pica_proc procs[CAP_MODEL_PROCS];
    struct pica_proc_image images[CAP_MODEL_PROCS];
    struct cap_model_slot slots[CAP_MODEL_PROCS][PICA_CFG_CAP_SLOTS];
    struct cap_model_obj objs[CAP_MODEL_OBJS];
    uint32_t quota_used[CAP_MODEL_PROCS];
    uint32_t next_id;
    unsigned steps;
    unsigned done[CAP_MODEL_KINDS]; /* operations that succeeded, by kind */
    unsigned refused;    /* operations both refused alike */
    unsigned revoked;    /* slots revoke deleted */
    unsigned destroyed;  /* owned objects destroyed */
    char op[96];         /* the operation being checked */
    char why[320];       /* the first mismatch */
};

/* Start @m: two running processes with @quota bytes each and empty
 * tables. Only one model exists at a time (pica_proc_count() and
 * pica_proc_at() list its processes). Context: thread. */
void cap_model_init(struct cap_model *m, uint32_t quota);

/* Decode one operation from @op (CAP_MODEL_OP_BYTES bytes), apply it to
 * the kernel and to the model and compare. Context: thread.
 * Returns: NULL, or what differed (m->why). */
const char *cap_model_step(struct cap_model *m, const uint8_t *op);

/* End both processes (cap_release_all) and check that every owned object
 * is gone and no quota is left. Returns: NULL or what differed. */
const char *cap_model_finish(struct cap_model *m);
