/* SPDX-License-Identifier: MIT */
/* The public kernel API: include this one header. It stands for every
 * header under include/pica/ except board.h (the board interface), the
 * eBPF component's (bpf.h, bpf_elf.h, bpf_ctl.h, bpf_hook.h, bpf_kern.h, and
 * bpf_ctx.h and bpf_prog.h for the programs themselves) and test.h (test apps);
 * tests/headers/check_umbrella.py keeps that true. */
#pragma once

#include <pica/blk.h>
#include <pica/calendar.h>
#include <pica/config.h>
#include <pica/console.h>
#include <pica/cron.h>
#include <pica/errno.h>
#include <pica/fs.h>
#include <pica/event.h>
#include <pica/gpio.h>
#include <pica/heap.h>
#include <pica/hwtimer.h>
#include <pica/irq.h>
#include <pica/ipc.h>
#include <pica/log.h>
#include <pica/mutex.h>
#include <pica/panic.h>
#include <pica/pool.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/shell.h>
#include <pica/spi.h>
#include <pica/stats.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <pica/timer.h>
#include <pica/version.h>
