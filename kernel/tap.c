/* SPDX-License-Identifier: MIT */
/* The kernel's taps (include/pica/tap.h): one table of function pointers,
 * tested where each event happens. Changing one is a single aligned store,
 * so an event sees the old function or the new one, never half of each. */
#include <pica/tap.h>

#include <errno.h>

#include "arch.h"
#include "sched.h"

struct pica_taps pica_taps;

/* Store @fn in @owner.@member unless another function holds it. */
#define TAP_SET_IN(owner, member)                                                        \
    do {                                                                                 \
        __typeof__(owner.member) f = (__typeof__(owner.member))fn;                       \
        if (f != NULL && owner.member != NULL && owner.member != f) {                    \
            err = -EBUSY;                                                                \
        } else {                                                                         \
            *(__typeof__(owner.member) volatile *)&owner.member = f;                     \
        }                                                                                \
    } while (0)
#define TAP_SET(member) TAP_SET_IN(pica_taps, member)

int
pica_tap_set(enum pica_tap_id id, void *fn)
{
    int err = 0;
    unsigned key = arch_irq_lock();
    switch (id) {
    case PICA_TAP_IRQ: TAP_SET(irq); break;
    case PICA_TAP_SWITCH: TAP_SET_IN(sched, switch_tap); break;
    case PICA_TAP_SYSCALL: TAP_SET(syscall); break;
    case PICA_TAP_CONSOLE_RX: TAP_SET(console_rx); break;
    case PICA_TAP_CRON: TAP_SET(cron); break;
    case PICA_TAP_FS: TAP_SET(fs); break;
    case PICA_TAP_LOG: TAP_SET(log); break;
    default: err = -EINVAL; break;
    }
    arch_irq_unlock(key);
    return err;
}
