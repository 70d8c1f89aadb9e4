/* SPDX-License-Identifier: MIT */
/* User-space figures in guest instructions, for tools/pica-bench:
 *   syscall_null      one pica_sys_nop() round trip from user mode
 *   user_yield_same   two equal-priority threads of one process yield to
 *                     each other: one yield (the system call and the switch)
 *   user_yield_cross  the same with one thread in each of two processes, so
 *                     that every switch reloads the MPU/PMP regions
 * User code cannot read the counter, so the kernel times each run from
 * outside: it stamps, sends a command (server.c) to the threads taking
 * part, and stamps again when the first of them gives the done semaphore.
 * The kernel thread is more urgent than the processes, so both threads of
 * a yield run are ready before either starts. Each figure is the
 * difference of two runs, of ULAT_BASE and ULAT_BASE + ULAT_OPS turns of
 * the user loop, divided by the operations: the handshake, identical in
 * both, drops out. So does the loop's own work (3 instructions a turn on
 * Cortex-M, 2 on RV32), measured the same way with an empty loop of the
 * same shape (user_loop_overhead) and subtracted. */
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/thread.h>
#include <stdio.h>

#include "arch.h"
#include "tm_counter.h"
#include "ulat.h"

#define ULAT_BASE 1000u
#define ULAT_OPS 20000u
#define ULAT_PRIO_KERNEL 10 /* the processes run at 20 (CMakeLists.txt) */

static struct pica_sem ulat_done;
static struct pica_queue ulat_q_a1, ulat_q_a2, ulat_q_b;
static struct ulat_cmd ulat_buf_a1[1], ulat_buf_a2[1], ulat_buf_b[1];

static void
ulat_fail(const char *what, int err)
{
    printf("LAT user failed: %s (%d)\n", what, err);
    pica_exit(PICA_EXIT_TEST_FAILED);
}

static void
ulat_check(const char *what, int err)
{
    if (err < 0) {
        ulat_fail(what, err);
    }
}

/* One run: @op @n times in the thread serving @first and, if not NULL, the
 * one serving @second. Returns the counts from the send to the first done. */
static uint32_t
ulat_run(struct pica_queue *first, struct pica_queue *second, enum ulat_op op, uint32_t n)
{
    struct ulat_cmd c = {.op = op, .n = n};
    uint32_t t0 = tm_count();
    ulat_check("send", pica_queue_send(first, &c, PICA_NO_WAIT));
    if (second != NULL) {
        ulat_check("send", pica_queue_send(second, &c, PICA_NO_WAIT));
    }
    int err = pica_sem_take(&ulat_done, PICA_MS(500));
    uint32_t t1 = tm_count();
    ulat_check("done", err);
    if (second != NULL) {
        ulat_check("second done", pica_sem_take(&ulat_done, PICA_MS(500)));
    }
    /* Idle time, so that every server is back waiting on its queue and
     * the next run starts from the same state. */
    pica_sleep(PICA_MS(1));
    return t1 - t0;
}

static void
ulat_print(const char *name, uint64_t centi)
{
    printf("LAT %s %lu.%02lu\n", name, (unsigned long)(centi / 100u),
           (unsigned long)(centi % 100u));
}

/* Instructions per operation, in hundredths, less @minus_centi; @per is
 * operations per turn of the user loop (two yields for a yield run: one
 * in each thread). */
static uint64_t
ulat_figure(const char *name, struct pica_queue *first, struct pica_queue *second, enum ulat_op op,
            unsigned per, uint64_t minus_centi)
{
    uint32_t base = ulat_run(first, second, op, ULAT_BASE);
    uint32_t full = ulat_run(first, second, op, ULAT_BASE + ULAT_OPS);
    uint64_t centi = (uint64_t)(full - base) * TM_COUNT_INSNS * 100u / (ULAT_OPS * per);
    centi = centi > minus_centi ? centi - minus_centi : 0;
    if (TM_COUNT_INSNS != 0) {
        ulat_print(name, centi);
    }
    return centi;
}

static struct pica_proc *
ulat_start(const char *name, struct pica_queue *q, struct pica_queue *q2)
{
    struct pica_proc *p = pica_proc_find(name);
    if (p == NULL) {
        ulat_fail(name, 0);
    }
    /* The slot numbers of ulat.h, in order. */
    ulat_check("give", pica_proc_give(p, PICA_CAP_SEM, &ulat_done, PICA_RIGHT_WRITE));
    ulat_check("give", pica_proc_give(p, PICA_CAP_QUEUE, q, PICA_RIGHT_READ));
    if (q2 != NULL) {
        ulat_check("give", pica_proc_give(p, PICA_CAP_QUEUE, q2, PICA_RIGHT_READ));
    }
    ulat_check("start", pica_proc_start(p));
    return p;
}

int
main(void)
{
    if (!ARCH_HAS_USER) {
        printf("LAT user n/a: no user mode in this port yet\n");
        pica_exit(PICA_EXIT_OK);
    }
    /* Under QEMU icount a WFI idle loses timer interrupts on Arm. */
    pica_idle_set_busy(true);
    tm_counter_init();
    pica_thread_set_prio(pica_thread_self(), ULAT_PRIO_KERNEL);
    pica_sem_init(&ulat_done, 0, 2);
    pica_queue_init(&ulat_q_a1, ulat_buf_a1, sizeof(struct ulat_cmd), 1);
    pica_queue_init(&ulat_q_a2, ulat_buf_a2, sizeof(struct ulat_cmd), 1);
    pica_queue_init(&ulat_q_b, ulat_buf_b, sizeof(struct ulat_cmd), 1);
    struct pica_proc *a = ulat_start("ulat_a", &ulat_q_a1, &ulat_q_a2);
    struct pica_proc *b = ulat_start("ulat_b", &ulat_q_b, NULL);
    pica_sleep(PICA_MS(1)); /* both processes up, every server waiting */

    uint64_t loop = ulat_figure("user_loop_overhead", &ulat_q_a1, NULL, ULAT_LOOP, 1, 0);
    ulat_figure("syscall_null", &ulat_q_a1, NULL, ULAT_NOP, 1, loop);
    ulat_figure("user_yield_same", &ulat_q_a1, &ulat_q_a2, ULAT_YIELD, 2, loop);
    ulat_figure("user_yield_cross", &ulat_q_a1, &ulat_q_b, ULAT_YIELD, 2, loop);
    if (TM_COUNT_INSNS == 0) {
        printf("LAT user n/a: no counter that software can read on this board\n");
    }
    if (a->state != PICA_PROC_RUNNING || b->state != PICA_PROC_RUNNING) {
        ulat_fail("a process ended", a->state != PICA_PROC_RUNNING ? a->exit_code : b->exit_code);
    }
    printf("LAT user ok\n");
    pica_exit(PICA_EXIT_OK);
}
