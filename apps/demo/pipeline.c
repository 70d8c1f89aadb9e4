/* SPDX-License-Identifier: MIT */
/* Producer and consumer over a message queue: the producer samples a
 * "sensor" every 100 ms, the consumer averages blocks of ten samples. */
#include <pica/pica.h>
#include <pica/queue.h>
#include <pica/thread.h>
#include <stdio.h>

#include "demo.h"

struct sample {
    uint32_t seq;
    int32_t value;
};

static struct pica_queue samples;
static struct sample sample_buf[8];
static struct pica_thread producer, consumer;
static uint64_t producer_stack[768 / 8], consumer_stack[1024 / 8];

static void
produce(void *arg)
{
    (void)arg;
    pica_tick_t next = pica_tick_now();
    for (uint32_t seq = 1;; seq++) {
        /* A made-up reading: a slow triangle wave. */
        int32_t v = (int32_t)(seq % 40u);
        struct sample s = {seq, v < 20 ? v : 40 - v};
        pica_queue_send(&samples, &s, PICA_FOREVER);
        pica_sleep_until(&next, PICA_MS(100) - 1); /* drift-free 100 ms */
    }
}

static void
consume(void *arg)
{
    (void)arg;
    int32_t sum = 0;
    struct sample s;
    for (;;) {
        pica_queue_recv(&samples, &s, PICA_FOREVER);
        sum += s.value;
        if (demo_verbose && s.seq % 50 == 0) {
            printf("[consumer: sample %lu, mean of the last 50 is %ld]\n", (unsigned long)s.seq,
                   (long)(sum / 50));
            sum = 0;
        }
    }
}

void
demo_pipeline_start(void)
{
    pica_queue_init(&samples, sample_buf, sizeof(struct sample), 8);
    pica_thread_create(&consumer, "consumer", consume, NULL, consumer_stack,
                       sizeof(consumer_stack), 12, 0);
    pica_thread_create(&producer, "producer", produce, NULL, producer_stack,
                       sizeof(producer_stack), 11, 0);
}
