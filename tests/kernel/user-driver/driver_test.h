/* SPDX-License-Identifier: MIT */
/* What the user-driver test's kernel side (main.c) and its two processes
 * (driver.c, intruder.c) agree on: the slots the kernel gives, in the
 * order it gives them, the interrupts to take, and the device.
 * DRV_CMSDK_TIMER (CMakeLists.txt) is 1 on the MPS2 boards, where the
 * driver serves CMSDK timer1; elsewhere the kernel pends a free line by
 * software and the driver has no registers to touch. */
#pragma once

#ifndef DRV_CMSDK_TIMER
#define DRV_CMSDK_TIMER 0
#endif

/* driver */
#define DRV_IRQ 0  /* the interrupt line: write */
#define DRV_SYNC 1 /* a semaphore it gives the kernel at each checkpoint */
#define DRV_GO 2   /* and one the kernel gives back once it has checked */
#define DRV_REGS 3 /* the timer's registers (MPS2 only): a REGION */
/* intruder */
#define INTR_IRQ 0 /* the same line, read right only */

#define DRV_INTERRUPTS 50 /* the driver serves these, then stops */
#define DRV_HOLD_AT 10    /* it sits on this one (counted from 0) before acking */
#define DRV_HOLD_US 5000  /* for so long; 5 periods of the timer */
#define DRV_BADGE 0x40u   /* its notification's badge: what each interrupt signals */
#define DRV_IRQ_PRIO 5

/* CMSDK APB timer1 (boards/mps2-an386/board_timers.h, timers.c; registers:
 * drivers/timer/cmsdk_timer.c), on the 25 MHz peripheral clock. */
#define DRV_TIMER_BASE 0x40001000u
#define DRV_TIMER_SIZE 0x1000u
#define DRV_TIMER_LINE 9u
#define DRV_TIMER_RELOAD (25000u - 1u) /* a period of 1 ms */
#define DRV_TIMER_CTRL 0x00u           /* bit 0 enable, bit 3 interrupt enable */
#define DRV_TIMER_VALUE 0x04u
#define DRV_TIMER_RELOAD_REG 0x08u
#define DRV_TIMER_INT 0x0Cu            /* read: INTSTATUS; write 1: INTCLEAR */
#define DRV_TIMER_ENABLE 0x1u
#define DRV_TIMER_IRQ_ENABLE 0x8u
