/* SPDX-License-Identifier: MIT */
/* The original user interface, kept so that programs written to it build
 * unchanged: the process starts at void user_main(void), which is a task
 * like the others; tasks are threads of the process at its priority,
 * scheduled round robin, and a task that returns is deleted. stdout is
 * line buffered and written with sys_write on fd 1. The SDK is in user/;
 * pica_user.h has the rest of the Pica calls. Context: user threads only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The SDK tells the two entries apart by name: this one is a task, whose
 * return ends only its thread; pica_user.h's returns an exit code. */
#define PICA_USER_TASK_MAIN 1
#define user_main __pica_user_task_main
void user_main(void);

/* Write @len bytes of @buf to @fd (1: the console). Returns: bytes
 * written, or a negative errno value. */
int sys_write(int fd, const void *buf, size_t len);

/* Start fn as a new task of this process. Returns: false when no task can
 * be created (all stack slots taken, no memory). */
bool sys_task_create(void (*fn)(void));

/* End the calling task. The process ends with its last task. */
__attribute__((noreturn)) void sys_task_delete(void);

/* Let the other ready tasks run. */
void sys_task_yield(void);

/* Sleep for @us microseconds. */
void sys_task_delay(uint32_t us);

/* Write the calling task's pending stdout line now. */
void sys_flush(void);
