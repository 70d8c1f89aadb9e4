/* SPDX-License-Identifier: MIT */
/* An application that includes only pica/pica.h reaches the whole kernel
 * API: one call or type of every header pica.h stands for. If this file
 * fails to compile, pica.h lacks an #include (check_umbrella.py says
 * which header). */
#include <pica/pica.h>

PICA_LOG_MODULE(umbrella);

int umbrella_uses_every_header(void);

int
umbrella_uses_every_header(void)
{
    static struct pica_sem sem;
    static struct pica_mutex mutex;
    static struct pica_queue queue;
    static struct pica_pool pool;
    static struct pica_event event;
    static struct pica_timer timer;
    struct pica_heap_stats heap;
    struct pica_sys_stats sys;
    struct pica_thread_info info;
    int err = 0;
    err |= pica_sem_init(&sem, 0, 1);
    err |= pica_mutex_init(&mutex);
    err |= pica_queue_init(&queue, NULL, 4, 0);
    err |= pica_pool_init(&pool, NULL, 8, 0);
    err |= pica_event_init(&event);
    err |= pica_timer_init(&timer, NULL, NULL);
    err |= pica_heap_stats(&heap);
    err |= pica_sys_stats(&sys);
    err |= pica_thread_info(pica_thread_self(), &info);
    err |= pica_irq_enable(0);
    err |= pica_console_write("", 0);
    err |= pica_gpio_read(PICA_GPIO_PIN(0, 0));
    err |= pica_hwtimer_stop(0);
    err |= pica_sleep(PICA_MS(1)) + (int)pica_tick_now();
    err |= pica_days_in_month(2026, 2);
    pica_free(pica_malloc(1));
    PICA_LOG_INF("%d", err);
    if (err == -EOWNERDEAD) {
        PICA_PANIC("unreachable");
    }
    return err + PICA_CFG_PRIORITIES + PICA_VERSION_MAJOR;
}
