/* SPDX-License-Identifier: MIT */
/* A process written to the original user interface alone (user.h), with
 * its example: user_main starts two tasks and deletes itself; one task
 * yields between its lines, the other sleeps a second; each deletes
 * itself after five lines, and the process ends with its last task. */
#include <stdio.h>

#include <pica/user/user.h>

#define SECONDS_TO_MICROS(time_in_seconds) ((time_in_seconds) * 1000000)

void
example_task_1(void)
{
    for (int i = 0; i < 5; i++) {
        puts("example_task_1 is running...");
        sys_task_yield();
    }
    sys_task_delete();
}

void
example_task_2(void)
{
    for (int i = 0; i < 5; i++) {
        puts("example_task_2 is running...");
        sys_task_delay(SECONDS_TO_MICROS(1));
    }
    sys_task_delete();
}

void
user_main(void)
{
    puts("Hello, userspace!");
    sys_task_create(example_task_1);
    sys_task_create(example_task_2);
    sys_task_delete();
}
