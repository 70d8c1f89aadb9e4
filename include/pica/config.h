/* SPDX-License-Identifier: MIT */
/* Build-time options. Each PICA_CFG_* has a default here, a comment and a
 * range check; override with -DPICA_CFG_X=... (cmake: PICA_CFG_DEFINES).
 * Test options with if (PICA_CFG_X), not #if, so both branches compile. */
#pragma once

/* Interrupt priorities are logical, 0 (most urgent) .. 7 (least urgent).
 * Lines at or below this value are never masked by the kernel's critical
 * section ("zero latency") and must not call any pica_* function. */
#ifndef PICA_CFG_IRQ_PRIO_ZERO_LATENCY
#define PICA_CFG_IRQ_PRIO_ZERO_LATENCY 0
#endif
_Static_assert(PICA_CFG_IRQ_PRIO_ZERO_LATENCY >= 0 && PICA_CFG_IRQ_PRIO_ZERO_LATENCY < 6,
               "PICA_CFG_IRQ_PRIO_ZERO_LATENCY: 0..5");

/* Priority given to a line that pica_irq_attach() is not told otherwise. */
#ifndef PICA_CFG_IRQ_PRIO_DEFAULT
#define PICA_CFG_IRQ_PRIO_DEFAULT 4
#endif
_Static_assert(PICA_CFG_IRQ_PRIO_DEFAULT > PICA_CFG_IRQ_PRIO_ZERO_LATENCY &&
                   PICA_CFG_IRQ_PRIO_DEFAULT < 7,
               "PICA_CFG_IRQ_PRIO_DEFAULT: kernel-aware and above PendSV");

/* Size of the table of attachable interrupt handlers (lines 0 .. N-1). */
#ifndef PICA_CFG_IRQ_MAX
#define PICA_CFG_IRQ_MAX 128
#endif
_Static_assert(PICA_CFG_IRQ_MAX >= 32 && PICA_CFG_IRQ_MAX <= 496, "PICA_CFG_IRQ_MAX: 32..496");

/* Console receive buffer in bytes (a power of two). */
#ifndef PICA_CFG_CONSOLE_RX_SIZE
#define PICA_CFG_CONSOLE_RX_SIZE 256
#endif
_Static_assert((PICA_CFG_CONSOLE_RX_SIZE & (PICA_CFG_CONSOLE_RX_SIZE - 1)) == 0 &&
                   PICA_CFG_CONSOLE_RX_SIZE >= 16,
               "PICA_CFG_CONSOLE_RX_SIZE: a power of two, at least 16");

/* 1: print the boot banner before main(). */
#ifndef PICA_CFG_BANNER
#define PICA_CFG_BANNER 1
#endif
