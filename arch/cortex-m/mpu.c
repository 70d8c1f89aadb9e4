/* SPDX-License-Identifier: MIT */
/* The Cortex-M stack guard on the PMSAv7 MPU. The MPU runs with the
 * privileged default map as background, so the kernel sees memory as if it
 * were off, and region 7 covers the guard of the running thread's stack
 * (its lowest PICA_STACK_GUARD_BYTES, aligned to their size) with no access
 * at all: the first push past the end of a
 * stack faults (MemManage) before anything below it is touched. The fault
 * path (fault.c) then stops that thread and switches away. */
#include <pica/thread.h>
#include <stdint.h>

#include "arch.h"
#include "scb.h"

#define MPU_TYPE ARCH_REG(0xE000ED90u)
#define MPU_CTRL ARCH_REG(0xE000ED94u)
#define MPU_CTRL_ENABLE (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define RBAR_VALID (1u << 4)
#define GUARD_REGION 7u
#define GUARD_SIZE PICA_STACK_GUARD_BYTES
#define RASR_ENABLE (1u << 0)
#define RASR_SIZE_64 (5u << 1) /* 2^(5+1) bytes */
_Static_assert(PICA_STACK_GUARD_BYTES == 64u, "RASR_SIZE_64 is the guard's size");
#define RASR_XN (1u << 28)     /* AP = 000: no access, privileged or not */

void
arch_mpu_init(void)
{
    if (((MPU_TYPE >> 8) & 0xffu) <= GUARD_REGION) {
        return; /* fewer than 8 regions: no guard (not on any board here) */
    }
    MPU_CTRL = MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
    arch_barrier();
}

void
arch_thread_guard(struct pica_thread *t)
{
    /* thread.c aligned the stack's base to the guard's size. */
    uintptr_t base = (uintptr_t)t->stack_base;
    t->arch_guard[0] = (uint32_t)base | RBAR_VALID | GUARD_REGION;
    t->arch_guard[1] = RASR_XN | RASR_SIZE_64 | RASR_ENABLE;
}

/* How far below the guard a faulting access may be reported: a multiple
 * store (PUSH, STM, VSTM of up to 32 words) that runs into the guard from
 * below has its first address there, and QEMU reports that one in MMFAR.
 * Nothing else of a privileged thread faults in that window: the guard is
 * the only region that denies it anything. */
#define GUARD_SLACK 128u

bool
arch_guard_hit(const struct pica_thread *t, uint32_t addr)
{
    uint32_t base = t->arch_guard[0] & ~(GUARD_SIZE - 1u);
    return (t->arch_guard[1] & RASR_ENABLE) && addr - (base - GUARD_SLACK) < GUARD_SLACK + GUARD_SIZE;
}
