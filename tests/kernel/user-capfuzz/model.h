/* SPDX-License-Identifier: MIT */
/* The user-capfuzz model of two processes' capability tables, kept by the
 * kernel side beside the real ones (adapted from tests/unit/cap/cap_model.c,
 * with the derivation kept in order). Each operation works out the result
 * the kernel must give, from the model alone and in the order kernel/proc/cap.c
 * and kernel/ipc.c make their checks, and applies it when it succeeds;
 * model_check() then compares the model with both processes' struct
 * pica_proc.caps: every slot, every children list in order, the sibling
 * rings of slots without a parent, and the quota used. Implementation:
 * model.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/proc.h>

#define MODEL_PROCS 2
#define MODEL_SLOTS PICA_CFG_CAP_SLOTS
#define MODEL_NODES (MODEL_PROCS * MODEL_SLOTS)
#define MODEL_OBJS 40
#define MODEL_NONE 0xFFu
#define MODEL_KERNEL MODEL_PROCS /* the owner of an object the kernel gave */

/* A kernel object a slot may name. */
struct model_obj {
    void *ptr;       /* the kernel's pointer; NULL until a creation is seen */
    uint8_t type;    /* enum pica_cap_type */
    uint8_t owner;   /* the process charged for it, or MODEL_KERNEL */
    uint8_t slots;   /* slots naming it */
    bool live;       /* not destroyed */
    uint32_t charge; /* bytes charged to its owner */
};

/* An occupied slot, and its place among the slots derived from another. */
struct model_node {
    bool used;
    uint8_t proc, slot;  /* where it is (a move changes slot) */
    uint8_t obj;         /* index into objs[] */
    uint8_t rights;
    uint32_t badge;
    uint8_t parent;      /* the node it was derived from, or MODEL_NONE */
    uint8_t first, last; /* its children, in the kernel's order */
    uint8_t prev, next;  /* among its parent's children */
};

struct model {
    struct pica_proc *procs[MODEL_PROCS];
    struct model_obj objs[MODEL_OBJS];
    struct model_node nodes[MODEL_NODES];
    uint8_t slots[MODEL_PROCS][MODEL_SLOTS]; /* node, or MODEL_NONE */
    uint32_t quota_used[MODEL_PROCS];
    unsigned checks; /* slots and lists compared */
    char why[200];   /* the first difference model_check() found */
};

void model_init(struct model *m, struct pica_proc *a, struct pica_proc *b);
/* Record an object the kernel owns: its index in objs[]. */
unsigned model_kernel_obj(struct model *m, void *ptr, enum pica_cap_type type);

/* The node in slot @slot of process @q, NULL if empty or out of range. */
const struct model_node *model_at(const struct model *m, unsigned q, uint32_t slot);
/* The lowest free slot of @q, or -ENOSPC. */
int model_free_slot(const struct model *m, unsigned q, uint32_t dst);

/* Each returns what the kernel must return, and applies it on success. */
int model_give(struct model *m, unsigned q, unsigned obj, unsigned rights);
int model_create(struct model *m, unsigned q, enum pica_cap_type type, uint32_t charge);
int model_copy(struct model *m, unsigned q, uint32_t src, uint32_t dst, unsigned rights);
int model_mint(struct model *m, unsigned q, uint32_t src, uint32_t dst, unsigned rights,
               uint32_t badge);
int model_move(struct model *m, unsigned q, uint32_t src, uint32_t dst);
int model_delete(struct model *m, unsigned q, uint32_t slot);
int model_revoke(struct model *m, unsigned q, uint32_t slot); /* how many went */
int model_info(const struct model *m, unsigned q, uint32_t slot);
int model_badge(const struct model *m, unsigned q, uint32_t slot);

/* A receive on the shared endpoint by @y naming @recv (CF_NO_CAP: none):
 * 0, -EINVAL or -EEXIST; on 0, @list and @nrecv hold the slots named. */
int model_recv_begin(const struct model *m, unsigned y, const uint8_t recv[2], uint8_t list[2],
                     unsigned *nrecv);
/* @x sends through @via, passing @caps (CF_NO_CAP: none), to @y waiting
 * on the object @peer with the slots @list: 0 (and the capabilities land),
 * or why not. @badge: the badge @y must see. */
int model_send(struct model *m, unsigned x, uint32_t via, const uint8_t caps[2], unsigned y,
               const uint8_t list[2], unsigned nrecv, unsigned peer, uint32_t *badge);

/* A creation the kernel agreed on: @ptr is the object. Returns 0, or -1
 * (why) if another live object has that pointer. */
int model_created(struct model *m, unsigned q, unsigned slot, void *ptr);
/* Process @q ended: its slots go, then every slot naming an object it made. */
void model_end(struct model *m, unsigned q);

/* Compare the model with the kernel's tables. Context: thread.
 * Returns: 0, or -1 with m->why naming the first difference. */
int model_check(struct model *m);
