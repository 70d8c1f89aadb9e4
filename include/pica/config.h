/* SPDX-License-Identifier: MIT */
/* Build-time options. Each PICA_CFG_* has a default here, a comment and a
 * range check; override with -DPICA_CFG_X=... (cmake: PICA_CFG_DEFINES).
 * Test options with if (PICA_CFG_X), not #if, so both branches compile. */
#pragma once

/* Interrupt priorities are logical, 0 (most urgent) .. 7 (least urgent).
 * Lines at or below this value must not call any pica_* function. What
 * they gain depends on the port:
 * - Cortex-M: they are never masked by the kernel's critical section
 *   (BASEPRI masks only less urgent lines) and preempt every kernel-aware
 *   handler ("zero latency").
 * - RV32: no line is zero-latency. The critical section clears
 *   mstatus.MIE, which masks every interrupt, and the machine-timer trap
 *   (the tick and its expiries) runs with interrupts off; so these lines
 *   wait for both, as every line does. They are only the most urgent lines,
 *   nesting into the handlers of less urgent ones. */
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

/* Inline fast paths for semaphore, queue and pool calls: the uncontended
 * case needs no call, at some flash per call site. 0: plain calls. */
#ifndef PICA_CFG_INLINE_FAST_PATHS
#define PICA_CFG_INLINE_FAST_PATHS 1
#endif

/* Per-line vectors for pica_irq_attach_direct() where the CPU supports
 * them (Cortex-M: the vector table is copied to RAM, 4 bytes per line). */
#ifndef PICA_CFG_IRQ_DIRECT
#define PICA_CFG_IRQ_DIRECT 1
#endif

/* Console receive buffer in bytes (a power of two). */
#ifndef PICA_CFG_CONSOLE_RX_SIZE
#define PICA_CFG_CONSOLE_RX_SIZE 256
#endif
_Static_assert((PICA_CFG_CONSOLE_RX_SIZE & (PICA_CFG_CONSOLE_RX_SIZE - 1)) == 0 &&
                   PICA_CFG_CONSOLE_RX_SIZE >= 16,
               "PICA_CFG_CONSOLE_RX_SIZE: a power of two, at least 16");

/* Console transmit buffer in bytes (a power of two). The UART's transmit
 * interrupt drains it; a thread whose output does not fit sleeps until
 * there is room, while what does not fit of an interrupt handler's output
 * (or a caller's holding the kernel lock) is dropped and counted. The
 * longest message written where nothing may wait (a stack overflow's
 * report, about 90 bytes) should fit whole. */
#ifndef PICA_CFG_CONSOLE_TX_SIZE
#define PICA_CFG_CONSOLE_TX_SIZE 512
#endif
_Static_assert((PICA_CFG_CONSOLE_TX_SIZE & (PICA_CFG_CONSOLE_TX_SIZE - 1)) == 0 &&
                   PICA_CFG_CONSOLE_TX_SIZE >= 16,
               "PICA_CFG_CONSOLE_TX_SIZE: a power of two, at least 16");

/* How long a thread that wants to write waits for another to finish the
 * line it holds the console for, in milliseconds, counted from that
 * thread's last output: a thread that printed a prompt and went on to
 * something else delays other writers by this much, once. */
#ifndef PICA_CFG_CONSOLE_WAIT_MS
#define PICA_CFG_CONSOLE_WAIT_MS 50
#endif
_Static_assert(PICA_CFG_CONSOLE_WAIT_MS >= 1 && PICA_CFG_CONSOLE_WAIT_MS <= 10000,
               "PICA_CFG_CONSOLE_WAIT_MS: 1..10000");

/* Blocks pica_free() may hold back when called in an interrupt handler,
 * until a thread next uses the heap (the heap's lock cannot be taken
 * there); a free beyond that is refused and counted in bad_frees. */
#ifndef PICA_CFG_HEAP_ISR_FREES
#define PICA_CFG_HEAP_ISR_FREES 8
#endif
_Static_assert(PICA_CFG_HEAP_ISR_FREES >= 1 && PICA_CFG_HEAP_ISR_FREES <= 1024,
               "PICA_CFG_HEAP_ISR_FREES: 1..1024");

/* 1: a fault report names the cause ("bus fault: precise data access");
 * 0: it names only the class of fault ("bus fault") beside the raw status
 * registers it always prints, which saves the cause table's text (about
 * 800 bytes of flash on Cortex-M) on parts where every byte counts. */
#ifndef PICA_CFG_FAULT_TEXT
#define PICA_CFG_FAULT_TEXT 1
#endif

/* 1: print the boot banner before main(). */
#ifndef PICA_CFG_BANNER
#define PICA_CFG_BANNER 1
#endif

/* Thread priorities, 0 (highest) .. N-1 (idle). */
#ifndef PICA_CFG_PRIORITIES
#define PICA_CFG_PRIORITIES 32
#endif
_Static_assert(PICA_CFG_PRIORITIES >= 8 && PICA_CFG_PRIORITIES <= 256,
               "PICA_CFG_PRIORITIES: 8..256");

/* Priority of the thread that runs main() (PICA_PRIO_MAIN): the middle of
 * the range, at most 16 (so 16 from 32 priorities up), leaving levels both
 * above and below it in every configuration. */
#ifndef PICA_CFG_MAIN_PRIO
#define PICA_CFG_MAIN_PRIO (PICA_CFG_PRIORITIES / 2 < 16 ? PICA_CFG_PRIORITIES / 2 : 16)
#endif
_Static_assert(PICA_CFG_MAIN_PRIO >= 0 && PICA_CFG_MAIN_PRIO < PICA_CFG_PRIORITIES - 1,
               "PICA_CFG_MAIN_PRIO: 0 .. the priority above idle");

/* Kernel ticks per second. */
#ifndef PICA_CFG_TICK_HZ
#define PICA_CFG_TICK_HZ 1000
#endif
_Static_assert(PICA_CFG_TICK_HZ >= 10 && PICA_CFG_TICK_HZ <= 100000, "PICA_CFG_TICK_HZ: 10..100000");

/* 1: no tick interrupts while the idle thread runs (the timer is set for the
 * next deadline); 0: a plain periodic tick. */
#ifndef PICA_CFG_TICKLESS
#define PICA_CFG_TICKLESS 1
#endif

/* Round-robin time slice among equal priorities, in ticks (0: none). */
#ifndef PICA_CFG_TIME_SLICE_TICKS
#define PICA_CFG_TIME_SLICE_TICKS 10
#endif

/* 1: the idle thread spins instead of waiting for interrupts (benchmarks
 * under QEMU icount on Arm, where WFI loses timer interrupts). */
#ifndef PICA_CFG_IDLE_BUSY
#define PICA_CFG_IDLE_BUSY 0
#endif

/* Stack sizes in bytes of the threads the kernel creates. */
#ifndef PICA_CFG_MAIN_STACK_SIZE
#define PICA_CFG_MAIN_STACK_SIZE 4096
#endif
#ifndef PICA_CFG_IDLE_STACK_SIZE
#define PICA_CFG_IDLE_STACK_SIZE 512
#endif

/* 1: count per-thread CPU time at every switch (costs a timer read). */
#ifndef PICA_CFG_THREAD_STATS
#define PICA_CFG_THREAD_STATS 1
#endif

/* 1: catch stack overflows. Where the port has a stack guard (an MPU region
 * over the bottom of every stack: Cortex-M) that costs two stores per
 * switch; elsewhere a canary and the stack pointer are checked at every
 * switch. An overflow is reported with the thread's name and the thread is
 * stopped. */
#ifndef PICA_CFG_STACK_CHECK
#define PICA_CFG_STACK_CHECK 1
#endif

/* Software timers: priority of the thread that runs their callbacks (very
 * urgent, so callbacks start on their tick) and its stack in bytes. */
#ifndef PICA_CFG_TIMER_PRIO
#define PICA_CFG_TIMER_PRIO 1
#endif
_Static_assert(PICA_CFG_TIMER_PRIO >= 0 && PICA_CFG_TIMER_PRIO < PICA_CFG_PRIORITIES - 1,
               "PICA_CFG_TIMER_PRIO: 0 .. the priority above idle");
#ifndef PICA_CFG_TIMER_STACK_SIZE
#define PICA_CFG_TIMER_STACK_SIZE 1024
#endif
_Static_assert(PICA_CFG_TIMER_STACK_SIZE >= 256, "PICA_CFG_TIMER_STACK_SIZE: at least 256");

/* Log ring buffer in bytes (a power of two): messages wait there for the
 * log thread; when it is full new ones are dropped and counted. */
#ifndef PICA_CFG_LOG_BUFFER_SIZE
#define PICA_CFG_LOG_BUFFER_SIZE 1024
#endif
_Static_assert((PICA_CFG_LOG_BUFFER_SIZE & (PICA_CFG_LOG_BUFFER_SIZE - 1)) == 0 &&
                   PICA_CFG_LOG_BUFFER_SIZE >= 256,
               "PICA_CFG_LOG_BUFFER_SIZE: a power of two, at least 256");

/* Longest log line in bytes, prefix and newline included; it is formatted
 * on the caller's stack (an ISR's too), longer text is cut. */
#ifndef PICA_CFG_LOG_LINE_SIZE
#define PICA_CFG_LOG_LINE_SIZE 128
#endif
_Static_assert(PICA_CFG_LOG_LINE_SIZE >= 48 &&
                   PICA_CFG_LOG_LINE_SIZE <= PICA_CFG_LOG_BUFFER_SIZE / 2,
               "PICA_CFG_LOG_LINE_SIZE: 48 .. half the log buffer");

/* Level every log module starts at (PICA_LOG_LEVEL_*: 0 off, 1 errors,
 * 2 warnings, 3 info, 4 debug); pica_log_level() changes it at run time. */
#ifndef PICA_CFG_LOG_LEVEL
#define PICA_CFG_LOG_LEVEL 3
#endif
_Static_assert(PICA_CFG_LOG_LEVEL >= 0 && PICA_CFG_LOG_LEVEL <= 4, "PICA_CFG_LOG_LEVEL: 0..4");

/* Priority of the thread that writes the log to the console (just above
 * idle, so logging costs urgent threads nothing) and its stack in bytes. */
#ifndef PICA_CFG_LOG_PRIO
#define PICA_CFG_LOG_PRIO (PICA_CFG_PRIORITIES - 2)
#endif
_Static_assert(PICA_CFG_LOG_PRIO >= 0 && PICA_CFG_LOG_PRIO < PICA_CFG_PRIORITIES - 1,
               "PICA_CFG_LOG_PRIO: 0 .. the priority above idle");
#ifndef PICA_CFG_LOG_STACK_SIZE
#define PICA_CFG_LOG_STACK_SIZE 768
#endif
_Static_assert(PICA_CFG_LOG_STACK_SIZE >= 256, "PICA_CFG_LOG_STACK_SIZE: at least 256");

/* 1: a debug kernel, for tests: a blocking call checks that its thread is
 * running again when its switch returns, and the scheduler's invariants
 * (ready bitmap against the rings, wait-queue and timeout-list order, mutex
 * ownership) are walked at every switch. Slower. */
#ifndef PICA_CFG_DEBUG
#define PICA_CFG_DEBUG 0
#endif

/* eBPF in the running kernel (bpf/kern/, images that call pica_bpf_start()).
 * Programs run on stacks of their own, one for hooks in interrupt context
 * (run with interrupts masked) and one for hooks in threads (one program at
 * a time): for each, the C stack of the interpreter and its helpers, and
 * the programs' own frames (512 bytes per frame: 1024 allows one local
 * call level). */
#ifndef PICA_CFG_BPF_RUN_STACK
#define PICA_CFG_BPF_RUN_STACK 2048
#endif
_Static_assert(PICA_CFG_BPF_RUN_STACK >= 512 && PICA_CFG_BPF_RUN_STACK % 16 == 0,
               "PICA_CFG_BPF_RUN_STACK: a multiple of 16, at least 512");
#ifndef PICA_CFG_BPF_VM_STACK
#define PICA_CFG_BPF_VM_STACK 1024
#endif
_Static_assert(PICA_CFG_BPF_VM_STACK >= 512 && PICA_CFG_BPF_VM_STACK % 512 == 0,
               "PICA_CFG_BPF_VM_STACK: a multiple of 512 (frames)");
/* Instructions a program may run per event unless its attach says: in
 * interrupt context, where interrupts wait for it, and in threads. */
#ifndef PICA_CFG_BPF_BUDGET_ISR
#define PICA_CFG_BPF_BUDGET_ISR 4096
#endif
#ifndef PICA_CFG_BPF_BUDGET_THREAD
#define PICA_CFG_BPF_BUDGET_THREAD 100000
#endif
/* Overruns of its budget after which a program is detached. */
#ifndef PICA_CFG_BPF_MAX_OVERRUNS
#define PICA_CFG_BPF_MAX_OVERRUNS 8
#endif
/* The largest ELF object accepted (picactl's copy of it is on the heap
 * only while it loads), and the most heap one program takes (its decoded
 * instructions, maps and bookkeeping). */
#ifndef PICA_CFG_BPF_MAX_OBJECT
#define PICA_CFG_BPF_MAX_OBJECT 32768
#endif
#ifndef PICA_CFG_BPF_MAX_MEM
#define PICA_CFG_BPF_MAX_MEM 32768
#endif
