/* SPDX-License-Identifier: MIT */
/* PMP for user threads on RV32. Entry 0 is the running user thread's stack
 * guard (no access, NAPOT over the lowest PICA_STACK_GUARD_BYTES of its user
 * stack: the lowest-numbered match wins, so it overrides the process's RAM);
 * entries 1-7 are its process's regions as arch_proc_regions() packed them
 * (8 entries in all, as the FE310 has). Nothing is locked, so M-mode code is
 * never restricted. trap.S calls pmp_thread_load() on the way back to
 * U-mode only when the thread differs from the last one loaded, and that
 * rewrites the process's entries only when the process differs too.
 * Linked only into images with user space (cmake/pica.cmake). */
#include <pica/errno.h>
#include <pica/proc.h>
#include <pica/thread.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "region.h"
#include "riscv.h"

#define PMP_ENTRIES 8
#define PROC_ENTRIES (PMP_ENTRIES - 1)

/* p->arch_regions: pmpaddr1..7, then pmpcfg0 (entry 0's byte is the guard's)
 * and pmpcfg1. */
#define WORD_CFG0 PROC_ENTRIES
#define WORD_CFG1 (PROC_ENTRIES + 1)
_Static_assert(PICA_PROC_ARCH_WORDS >= PROC_ENTRIES + 2, "arch_regions too small");
_Static_assert((PICA_STACK_GUARD_BYTES & (PICA_STACK_GUARD_BYTES - 1)) == 0 &&
                   PICA_STACK_GUARD_BYTES >= 8,
               "the guard is one NAPOT entry");

#define GUARD_CFG REGION_PMP_NAPOT /* no R, W or X */

/* The process whose entries the PMP holds (the thread: arch_pmp_thread). */
static const struct pica_proc *pmp_proc;

int
arch_proc_regions(struct pica_proc *p)
{
    if (p == NULL || p->nregions > 2 + PICA_CFG_PROC_GRANTS) {
        return -EINVAL;
    }
    /* The same memory mapped twice (a region passed read-only and then
     * read-write) is one range with both's rights: the PMP's first match
     * decides, so two entries would hide the wider one. */
    struct region_range ranges[2 + PICA_CFG_PROC_GRANTS];
    unsigned nranges = 0;
    for (unsigned i = 0; i < p->nregions; i++) {
        const struct pica_proc_region *r = &p->regions[i];
        unsigned j = 0;
        while (j < nranges && (ranges[j].base != r->base || ranges[j].len != r->len)) {
            j++;
        }
        if (j < nranges) {
            ranges[j].perms |= r->perms;
        } else {
            ranges[nranges++] = (struct region_range){r->base, r->len, r->perms};
        }
    }
    struct region_pmp_entry e[PROC_ENTRIES];
    int n = region_pmp_pack(ranges, (int)nranges, e, PROC_ENTRIES);
    if (n < 0) {
        return n;
    }
    /* Entry 1's TOR bottom would be the guard's pmpaddr: region_pmp_pack
     * assumes 0 there, so it never relies on it for a range above 0. */
    if (n > 0 && (e[0].cfg & REGION_PMP_A_MASK) == REGION_PMP_TOR) {
        return -EINVAL;
    }
    uint32_t cfg[2] = {GUARD_CFG, 0};
    for (int i = 0; i < PROC_ENTRIES; i++) {
        uint8_t c = i < n ? e[i].cfg : REGION_PMP_OFF;
        unsigned entry = (unsigned)i + 1u;
        cfg[entry / 4u] |= (uint32_t)c << (8u * (entry % 4u));
        p->arch_regions[i] = i < n ? e[i].addr : 0;
    }
    p->arch_regions[WORD_CFG0] = cfg[0];
    p->arch_regions[WORD_CFG1] = cfg[1];
    if (pmp_proc == p) {
        pmp_proc = NULL; /* a grant while it runs: load it afresh */
        arch_pmp_thread = NULL;
    }
    return 0;
}

#define CSR_WRITE(csr, v) __asm volatile("csrw " #csr ", %0" ::"r"(v))

/* From trap.S, interrupts off: @t is about to run in U-mode. */
void pmp_thread_load(const struct pica_thread *t);
void
pmp_thread_load(const struct pica_thread *t)
{
    CSR_WRITE(pmpaddr0, t->arch_guard[0]);
    const struct pica_proc *p = t->proc;
    if (p != pmp_proc) {
        const uint32_t *w = p->arch_regions;
        CSR_WRITE(pmpaddr1, w[0]);
        CSR_WRITE(pmpaddr2, w[1]);
        CSR_WRITE(pmpaddr3, w[2]);
        CSR_WRITE(pmpaddr4, w[3]);
        CSR_WRITE(pmpaddr5, w[4]);
        CSR_WRITE(pmpaddr6, w[5]);
        CSR_WRITE(pmpaddr7, w[6]);
        CSR_WRITE(pmpcfg0, w[WORD_CFG0]);
        CSR_WRITE(pmpcfg1, w[WORD_CFG1]);
        pmp_proc = p;
    }
    arch_pmp_thread = t;
}
