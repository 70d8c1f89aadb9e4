/* SPDX-License-Identifier: MIT */
/* The Thread-Metric benchmark interface: the RTOS-neutral calls every
 * Thread-Metric workload is written against, so the published test files and
 * Pica's own workloads (tm_*.c beside this file) build unchanged. Pica's
 * implementation: tm_porting_layer_pica.c. Ids are small integers (thread
 * 0..TM_THREADS-1, queue, semaphore and pool 0..TM_OBJECTS-1); priorities
 * run 1 (most urgent) .. 31. */
#pragma once

#include <stdio.h> /* the workloads print their reports with printf() */

#ifdef __cplusplus
extern "C" {
#endif

#define TM_SUCCESS 0
#define TM_ERROR 1

/* Reporting period of the published tests, in seconds (-DTM_TEST_DURATION=n). */
#ifndef TM_TEST_DURATION
#define TM_TEST_DURATION 30
#endif

/* Pend a real interrupt whose handler calls the test's tm_interrupt_handler()
 * or tm_interrupt_preemption_handler(); returns once the handler (and any
 * thread it made ready at a higher priority) has run. Tests write it as a
 * statement without a semicolon. */
void tm_cause_interrupt(void);
#define TM_CAUSE_INTERRUPT tm_cause_interrupt();

/* Entry point each test file defines; the porting layer's main() calls it. */
void tm_main(void);

/* Set up the RTOS, run @test_initialization_function (nothing it creates runs
 * before it returns), then let the created threads run. */
void tm_initialize(void (*test_initialization_function)(void));

/* Threads are created suspended. Relinquish yields to ready threads of the
 * same priority; sleep is in seconds. */
int tm_thread_create(int thread_id, int priority, void (*entry_function)(void));
int tm_thread_resume(int thread_id);
int tm_thread_suspend(int thread_id);
void tm_thread_relinquish(void);
void tm_thread_sleep(int seconds);

/* Queues of 16-byte messages (four unsigned longs on 32-bit targets). */
int tm_queue_create(int queue_id);
int tm_queue_send(int queue_id, unsigned long *message_ptr);
int tm_queue_receive(int queue_id, unsigned long *message_ptr);

/* Binary semaphores, created available. */
int tm_semaphore_create(int semaphore_id);
int tm_semaphore_get(int semaphore_id);
int tm_semaphore_put(int semaphore_id);

/* Pools of 2048 bytes in 128-byte blocks. */
int tm_memory_pool_create(int pool_id);
int tm_memory_pool_allocate(int pool_id, unsigned char **memory_ptr);
int tm_memory_pool_deallocate(int pool_id, unsigned char *memory_ptr);

/* Interrupt handlers a test may define (each test defines at most one). */
void tm_interrupt_handler(void);
void tm_interrupt_preemption_handler(void);

#ifdef __cplusplus
}
#endif
