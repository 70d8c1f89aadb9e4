/* SPDX-License-Identifier: MIT */
/* The demo's parts, each started from main.c. */
#pragma once

#include <stdbool.h>

/* The demo threads print what they do only when asked (the demo command). */
extern volatile bool demo_verbose;

/* Five philosophers sharing five forks (mutexes), eating forever. */
void demo_philosophers_start(void);

/* A producer feeding a consumer through a message queue. */
void demo_pipeline_start(void);

/* Blink the board's LED (BOARD_LED0) where it has one. */
void demo_blink_start(void);
/* Mount / and /tmp (disk.c) and load /etc/crontab. */
void demo_disk_start(void);
