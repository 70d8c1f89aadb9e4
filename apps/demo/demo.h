/* SPDX-License-Identifier: MIT */
/* The demo's parts, each started from main.c. */
#pragma once

/* Print a ps-like table of every thread and a line of system figures. */
void demo_ps_print(void);

/* Five philosophers sharing five forks (mutexes), eating forever. */
void demo_philosophers_start(void);

/* A producer feeding a consumer through a message queue. */
void demo_pipeline_start(void);

/* Blink the board's LED (BOARD_LED0) where it has one. */
void demo_blink_start(void);
