/* SPDX-License-Identifier: MIT */
/* Thread-Metric on Pica: the calls of tm_api.h over Pica threads, queues,
 * semaphores, pools and a software-pended interrupt line. Every object is
 * static, in an array indexed by its Thread-Metric id. main() is here: it
 * calls the test's tm_main(). Pica's own workloads: tm_*.c beside this file. */
#include "tm_api.h"

#include <pica/pica.h>
#include <pica/sem.h> /* pica.h does not include it */
#include <stdint.h>

#include "arch.h"

#define TM_THREADS 10
#define TM_OBJECTS 4
#define TM_STACK_SIZE 2048
#define TM_MSG_SIZE 16
#define TM_QUEUE_MSGS 32
#define TM_BLOCK_SIZE 128
#define TM_POOL_SIZE 2048

_Static_assert(4 * sizeof(unsigned long) <= TM_MSG_SIZE, "a message is four unsigned longs");

static struct pica_thread tm_threads[TM_THREADS];
static void (*tm_entries[TM_THREADS])(void);
static uint64_t tm_stacks[TM_THREADS][TM_STACK_SIZE / sizeof(uint64_t)];
static const char *const tm_names[TM_THREADS] = {"tm0", "tm1", "tm2", "tm3", "tm4",
                                                 "tm5", "tm6", "tm7", "tm8", "tm9"};

/* Objects through tables of pointers: an id becomes the object's address
 * in one register with one load, which the inline fast paths then use
 * directly. The tables hold no NULL, which the compiler is told. */
static struct pica_sem tm_sem_objs[TM_OBJECTS];
static struct pica_sem *const tm_sems[TM_OBJECTS] = {&tm_sem_objs[0], &tm_sem_objs[1],
                                                     &tm_sem_objs[2], &tm_sem_objs[3]};
static struct pica_pool tm_pool_objs[TM_OBJECTS];
static struct pica_pool *const tm_pools[TM_OBJECTS] = {&tm_pool_objs[0], &tm_pool_objs[1],
                                                       &tm_pool_objs[2], &tm_pool_objs[3]};
static struct pica_queue tm_queue_objs[TM_OBJECTS];
static struct pica_queue *const tm_queues[TM_OBJECTS] = {&tm_queue_objs[0], &tm_queue_objs[1],
                                                         &tm_queue_objs[2], &tm_queue_objs[3]};
#define TM_OBJECT(table, id)                                                                      \
    __extension__({                                                                               \
        __typeof__(table[0]) obj_ = table[id];                                                    \
        if (obj_ == NULL) {                                                                       \
            __builtin_unreachable();                                                              \
        }                                                                                         \
        obj_;                                                                                     \
    })
static void *tm_pool_bufs[TM_OBJECTS][TM_POOL_SIZE / sizeof(void *)];
static uint32_t tm_queue_bufs[TM_OBJECTS][TM_MSG_SIZE * TM_QUEUE_MSGS / sizeof(uint32_t)];

/* A test defines at most one of the two handlers; the other stays NULL. */
#pragma weak tm_interrupt_handler
#pragma weak tm_interrupt_preemption_handler

static unsigned tm_irq_line;

static int
tm_status(int err)
{
    return err == 0 ? TM_SUCCESS : TM_ERROR;
}

static int
tm_id_ok(int id, int limit)
{
    return id >= 0 && id < limit;
}

/* The test's handler itself becomes the line's vector
 * (pica_irq_attach_direct): nothing runs between the CPU and it. The
 * board's last line, which no driver uses, at the default (kernel-aware)
 * priority, so the handler may call the kernel. */
static void
tm_irq_setup(void)
{
    void (*isr)(void) = tm_interrupt_handler != NULL            ? tm_interrupt_handler
                        : tm_interrupt_preemption_handler != NULL ? tm_interrupt_preemption_handler
                                                                  : NULL;
    if (isr == NULL) {
        return; /* the test causes no interrupts */
    }
    tm_irq_line = arch_irq_lines() - 1u;
    if (pica_irq_attach_direct(tm_irq_line, isr, PICA_CFG_IRQ_PRIO_DEFAULT) != 0 ||
        pica_irq_enable(tm_irq_line) != 0) {
        PICA_PANIC("tm: interrupt line %u", tm_irq_line);
    }
}

void
tm_cause_interrupt(void)
{
    /* The port's trigger: the line was checked when it was attached. */
    arch_irq_trigger(tm_irq_line);
    /* On hardware the pended interrupt is taken only after the barrier;
     * the tests rely on the handler having run when this returns. */
    arch_barrier();
}

int
main(void)
{
    /* Under QEMU icount a WFI idle loses timer interrupts on Arm. */
    pica_idle_set_busy(true);
    tm_main();
    return 0;
}

/* Runs in main's thread, raised above every Thread-Metric priority so that
 * nothing created here runs before the set-up is complete; returning ends
 * main's thread and lets the test's threads run. */
void
tm_initialize(void (*test_initialization_function)(void))
{
    pica_thread_set_prio(pica_thread_self(), 0);
    tm_irq_setup();
    test_initialization_function();
}

static void
tm_thread_entry(void *arg)
{
    tm_entries[(uintptr_t)arg]();
}

/* Thread-Metric priority p (1 most urgent .. 31) is Pica priority p - 1. */
int
tm_thread_create(int thread_id, int priority, void (*entry_function)(void))
{
    if (!tm_id_ok(thread_id, TM_THREADS) || priority < 1 || priority > 31) {
        return TM_ERROR;
    }
    tm_entries[thread_id] = entry_function;
    return tm_status(pica_thread_create(&tm_threads[thread_id], tm_names[thread_id],
                                        tm_thread_entry, (void *)(uintptr_t)thread_id,
                                        tm_stacks[thread_id], sizeof(tm_stacks[thread_id]),
                                        (unsigned)priority - 1u, PICA_START_SUSPENDED));
}

int
tm_thread_resume(int thread_id)
{
    return tm_status(pica_thread_resume(&tm_threads[thread_id]));
}

int
tm_thread_suspend(int thread_id)
{
    return tm_status(pica_thread_suspend(&tm_threads[thread_id]));
}

void
tm_thread_relinquish(void)
{
    pica_yield();
}

void
tm_thread_sleep(int seconds)
{
    pica_sleep(PICA_TICKS(seconds * PICA_CFG_TICK_HZ));
}

/* Queue, semaphore and pool calls never wait (the workloads never need
 * to): an empty or full object is an error the reporter shows. */
int
tm_queue_create(int queue_id)
{
    if (!tm_id_ok(queue_id, TM_OBJECTS)) {
        return TM_ERROR;
    }
    return tm_status(pica_queue_init(TM_OBJECT(tm_queues, queue_id), tm_queue_bufs[queue_id],
                                     TM_MSG_SIZE, TM_QUEUE_MSGS));
}

int
tm_queue_send(int queue_id, unsigned long *message_ptr)
{
    return tm_status(pica_queue_send(TM_OBJECT(tm_queues, queue_id), message_ptr, PICA_NO_WAIT));
}

int
tm_queue_receive(int queue_id, unsigned long *message_ptr)
{
    return tm_status(pica_queue_recv(TM_OBJECT(tm_queues, queue_id), message_ptr, PICA_NO_WAIT));
}

int
tm_semaphore_create(int semaphore_id)
{
    if (!tm_id_ok(semaphore_id, TM_OBJECTS)) {
        return TM_ERROR;
    }
    return tm_status(pica_sem_init(TM_OBJECT(tm_sems, semaphore_id), 1, 1));
}

int
tm_semaphore_get(int semaphore_id)
{
    return tm_status(pica_sem_take(TM_OBJECT(tm_sems, semaphore_id), PICA_NO_WAIT));
}

int
tm_semaphore_put(int semaphore_id)
{
    return tm_status(pica_sem_give(TM_OBJECT(tm_sems, semaphore_id)));
}

int
tm_memory_pool_create(int pool_id)
{
    if (!tm_id_ok(pool_id, TM_OBJECTS)) {
        return TM_ERROR;
    }
    return tm_status(pica_pool_init(TM_OBJECT(tm_pools, pool_id), tm_pool_bufs[pool_id],
                                    TM_BLOCK_SIZE, TM_POOL_SIZE / TM_BLOCK_SIZE));
}

int
tm_memory_pool_allocate(int pool_id, unsigned char **memory_ptr)
{
    return tm_status(pica_pool_alloc_err(TM_OBJECT(tm_pools, pool_id), (void **)memory_ptr,
                                         PICA_NO_WAIT));
}

int
tm_memory_pool_deallocate(int pool_id, unsigned char *memory_ptr)
{
    return tm_status(pica_pool_free(TM_OBJECT(tm_pools, pool_id), memory_ptr));
}
