/* SPDX-License-Identifier: MIT */
/* Test processes for the derivation tests (test_cap_tree.c, test_cap_wake.c):
 * four processes with tables of their own, which pica_proc_count() lists
 * (so a process's end cuts the slots naming its objects), objects the
 * kernel gives, and helpers that assert as they go. cap_procs.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/proc.h>
#include <pica/sem.h>

#define SLOTS PICA_CFG_CAP_SLOTS
#define NPROCS 4
#define R PICA_RIGHT_READ
#define W PICA_RIGHT_WRITE
#define G PICA_RIGHT_GRANT
#define ALL PICA_RIGHTS_ALL
#define ANY PICA_SLOT_ANY

extern struct pica_proc test_procs[NPROCS];
#define A (&test_procs[0])
#define B (&test_procs[1])

/* Objects the kernel gives (never owned): only their type matters. */
extern uint64_t ep_obj[4], ntfn_obj[4], thread_obj[4], reply_obj[4];
extern struct pica_sem given_sem;

/* Empty running processes with @quota bytes each; given_sem (0 of 1) afresh. */
void procs_setup(uint32_t quota);
/* @obj in a free slot of @p, given by the kernel: the slot. */
int given(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights);
/* A semaphore (count 0, max 5) @p creates, in a slot with @rights. */
int owned_sem(struct pica_proc *p, unsigned rights);
/* cap_transfer_locked() under the kernel lock. */
int transfer(struct pica_proc *from, int src, struct pica_proc *to, uint32_t dst);
/* Occupied slots of @p. */
unsigned occupied(const struct pica_proc *p);
/* The rights in @p's occupied @slot. */
unsigned rights_of(const struct pica_proc *p, int slot);
/* The slot numbers of the children of @p's @slot that are in @p, in list
 * order, into @out (at most @max); returns how many. */
unsigned children_of(struct pica_proc *p, int slot, int *out, unsigned max);
/* The running thread becomes a user thread of @p, listed in its threads:
 * cap_get() records the slot its call may block through. */
void become_user(struct pica_proc *p);
/* Boot, run @fn in a thread (cap_revoke takes a mutex) until all is idle. */
void run_in_thread(void (*fn)(void));
/* core_err() and EIDRM. */
const char *err_name(int r);
