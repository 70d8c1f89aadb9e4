/* SPDX-License-Identifier: MIT */
/* The public kernel API: include this one header. */
#pragma once

#include <pica/config.h>
#include <pica/console.h>
#include <pica/errno.h>
#include <pica/event.h>
#include <pica/irq.h>
#include <pica/log.h>
#include <pica/panic.h>
#include <pica/pool.h>
#include <pica/queue.h>
#include <pica/timer.h>
#include <pica/version.h>
