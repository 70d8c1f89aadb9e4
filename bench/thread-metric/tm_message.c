/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 6, message processing: a thread sends a 16-byte
 * message to a queue and receives it back, checking it came back intact.
 * One operation: one send and one receive, with no waiting. */
#include "tm_api.h"
#include "tm_report.h"

static unsigned long msg_rounds;

static void
msg_worker(void)
{
    unsigned long out[4] = {0x11, 0x22, 0x33, 0};
    unsigned long in[4];
    for (;;) {
        out[3] = msg_rounds;
        if (tm_queue_send(0, out) != TM_SUCCESS || tm_queue_receive(0, in) != TM_SUCCESS) {
            tm_errors++;
        }
        /* The last word changes every round, so a stale copy is caught. */
        if (in[3] != msg_rounds) {
            tm_errors++;
        }
        msg_rounds++;
    }
}

static const struct tm_workload msg = {
    .name = "message",
    .counters = {&msg_rounds},
    .counter_count = 1,
    .ops_counter = 0,
};

static void
msg_init(void)
{
    tm_queue_create(0);
    tm_thread_create(0, 10, msg_worker);
    tm_thread_resume(0);
    tm_report_start(&msg);
}

void
tm_main(void)
{
    tm_initialize(msg_init);
}
