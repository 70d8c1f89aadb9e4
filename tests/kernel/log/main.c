/* SPDX-License-Identifier: MIT */
/* The log service: level filtering per module, order of messages from
 * interrupts and threads, dropping and reporting drops when the ring is
 * full, synchronous flush and the background drain. In-app assertions
 * check the counters; the runner checks the console text (CMakeLists.txt). */
#include <errno.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "log_test.h"

PICA_LOG_MODULE(logtest);

static struct pica_log_stats
stats_now(void)
{
    struct pica_log_stats st;
    pica_log_stats(&st);
    return st;
}

PICA_TEST(modules_register_on_first_use_and_keep_their_own_level)
{
    pica_assert_eq(pica_log_module_level("other"), -ENOENT);
    pica_assert_eq(pica_log_level("other", PICA_LOG_LEVEL_DBG), -ENOENT);
    PICA_LOG_REGISTER();
    other_register();
    pica_assert_eq(pica_log_module_level("logtest"), PICA_CFG_LOG_LEVEL);
    pica_assert_eq(pica_log_module_level("other"), PICA_CFG_LOG_LEVEL);
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_ERR), 0);
    pica_assert_eq(pica_log_level("other", PICA_LOG_LEVEL_DBG), 0);
    pica_assert_eq(pica_log_module_level("logtest"), PICA_LOG_LEVEL_ERR);
    pica_assert_eq(pica_log_module_level("other"), PICA_LOG_LEVEL_DBG);
    uint32_t written = stats_now().written;
    PICA_LOG_INF("hidden at err level");
    other_log_dbg("other debug shown");
    pica_assert_eq(stats_now().written, written + 1);
    /* "*" sets every module. */
    pica_assert_eq(pica_log_level("*", PICA_LOG_LEVEL_WRN), 0);
    pica_assert_eq(pica_log_module_level("logtest"), PICA_LOG_LEVEL_WRN);
    pica_assert_eq(pica_log_module_level("other"), PICA_LOG_LEVEL_WRN);
    other_log_inf("hidden at wrn level");
    pica_assert_eq(stats_now().written, written + 1);
    pica_assert_eq(pica_log_level("*", PICA_LOG_LEVEL_INF), 0);
    pica_log_flush();
}

PICA_TEST(bad_arguments_are_refused)
{
    pica_assert_eq(pica_log_level("no-such-module", PICA_LOG_LEVEL_INF), -ENOENT);
    pica_assert_eq(pica_log_level(NULL, PICA_LOG_LEVEL_INF), -EINVAL);
    pica_assert_eq(pica_log_level("logtest", -1), -EINVAL);
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_DBG + 1), -EINVAL);
    pica_assert_eq(pica_log_module_level(NULL), -EINVAL);
    pica_assert_eq(pica_log_module_level("logtest"), PICA_LOG_LEVEL_INF);
}

PICA_TEST(debug_is_dropped_at_info_level_and_printed_at_debug_level)
{
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_INF), 0);
    uint32_t written = stats_now().written;
    PICA_LOG_DBG("debug hidden %d", 1);
    pica_assert_eq(stats_now().written, written);
    PICA_LOG_ERR("error %d", 1);
    PICA_LOG_WRN("warning %d", 2);
    PICA_LOG_INF("info %d", 3);
    pica_assert_eq(stats_now().written, written + 3);
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_DBG), 0);
    PICA_LOG_DBG("debug shown %d", 4);
    pica_assert_eq(stats_now().written, written + 4);
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_OFF), 0);
    PICA_LOG_ERR("error hidden when off");
    pica_assert_eq(stats_now().written, written + 4);
    pica_assert_eq(pica_log_level("logtest", PICA_LOG_LEVEL_INF), 0);
    pica_log_flush();
}

static void
log_from_isr(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        PICA_LOG_INF("isr message %d", i);
    }
}

PICA_TEST(messages_from_an_interrupt_keep_their_order)
{
    unsigned irq = arch_irq_lines() - 1;
    pica_assert_eq(pica_irq_attach(irq, log_from_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    uint32_t written = stats_now().written;
    PICA_LOG_INF("thread before isr");
    pica_assert_eq(pica_irq_trigger(irq), 0);
    PICA_LOG_INF("thread after isr");
    pica_assert_eq(stats_now().written, written + 5);
    pica_assert_eq(pica_irq_detach(irq), 0);
    pica_log_flush();
}

static void
flood(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < 100; i++) {
        PICA_LOG_INF("flood %u", i);
    }
}

PICA_TEST(a_flood_drops_messages_and_the_drain_reports_how_many)
{
    static struct pica_thread flooder;
    PICA_THREAD_STACK_DEFINE(flood_stack, 1024);
    pica_log_flush();
    struct pica_log_stats before = stats_now();
    pica_assert_eq(before.bytes_used, 0);
    /* Urgent: nothing drains while it logs. */
    pica_assert_eq(
        pica_thread_create(&flooder, "flood", flood, NULL, flood_stack, sizeof(flood_stack), 2, 0),
        0);
    pica_assert_eq(pica_thread_join(&flooder, PICA_FOREVER), 0);
    struct pica_log_stats after = stats_now();
    uint32_t stored = after.written - before.written;
    uint32_t dropped = after.dropped - before.dropped;
    pica_assert_gt(stored, 0);
    pica_assert_gt(dropped, 0);
    pica_assert_eq(stored + dropped, 100);
    pica_assert_gt(after.bytes_used, PICA_CFG_LOG_BUFFER_SIZE - PICA_CFG_LOG_LINE_SIZE);
    pica_assert_eq(after.bytes_max, after.bytes_used);
    /* The runner finds these numbers again in the drained text. */
    printf("flood: last %u, dropped %u\n", (unsigned)(stored - 1), (unsigned)dropped);
    pica_assert_eq(pica_log_flush(), (int)after.bytes_used + 42 + (dropped >= 10));
    pica_assert_eq(stats_now().bytes_used, 0);
}

/* Log one line of exactly @len bytes (prefix and newline included). */
static void
log_line_of(uint32_t len, uint32_t prefix)
{
    static const char pad[] =
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "ffffffffffffffffffffffffffffffffffffffffffffffff";
    PICA_LOG_INF("%.*s", (int)(len - prefix - 1u), pad);
}

PICA_TEST(a_note_of_drops_goes_in_line_before_the_next_message)
{
    const uint32_t room = 80; /* the note and a short line fit, a 100-byte line not */
    pica_log_flush();
    PICA_LOG_INF("x");
    const uint32_t prefix = stats_now().bytes_used - 2u; /* "x\n" */
    const uint32_t min = prefix + 2u;
    for (;;) {
        uint32_t left = PICA_CFG_LOG_BUFFER_SIZE - stats_now().bytes_used - room;
        if (left == 0) {
            break;
        }
        log_line_of(left > 100 + min ? 100 : left > 100 ? left - min : left, prefix);
    }
    struct pica_log_stats before = stats_now();
    log_line_of(100, prefix);
    PICA_LOG_INF("short after drop");
    struct pica_log_stats after = stats_now();
    pica_assert_eq(after.dropped, before.dropped + 1);
    pica_assert_eq(after.written, before.written + 1);
    /* 42: "*** log: 1 messages dropped (buffer full)\n" */
    pica_assert_eq(after.bytes_used, before.bytes_used + 42 + prefix + 17);
    pica_log_flush();
}

PICA_TEST(flush_drains_everything_before_returning)
{
    pica_log_flush();
    for (int i = 0; i < 5; i++) {
        PICA_LOG_INF("flushed %d", i);
    }
    uint32_t used = stats_now().bytes_used;
    pica_assert_gt(used, 0);
    pica_assert_eq(pica_log_flush(), (int)used);
    pica_assert_eq(stats_now().bytes_used, 0);
    pica_assert_eq(pica_log_flush(), 0);
}

PICA_TEST(the_log_thread_drains_when_the_system_is_idle)
{
    pica_log_flush();
    PICA_LOG_INF("drained in the background");
    pica_assert_gt(stats_now().bytes_used, 0);
    pica_sleep(PICA_TICKS(2));
    pica_assert_eq(stats_now().bytes_used, 0);
}

PICA_TEST(long_messages_are_cut_to_one_line)
{
    static char text[300];
    memset(text, 'L', sizeof(text) - 1);
    pica_log_flush();
    PICA_LOG_INF("%s", text);
    pica_assert_eq(stats_now().bytes_used, PICA_CFG_LOG_LINE_SIZE);
    /* A trailing newline in the text is not doubled. */
    PICA_LOG_INF("one newline\n");
    uint32_t used = stats_now().bytes_used;
    PICA_LOG_INF("one newline");
    pica_assert_eq(stats_now().bytes_used - used, used - PICA_CFG_LOG_LINE_SIZE);
    pica_log_flush();
}

PICA_TEST(the_log_thread_keeps_a_quarter_of_its_stack_free)
{
    struct pica_thread_info service_info;
    pica_assert_eq(pica_test_find_thread("log", &service_info), 0);
    pica_assert_gt(service_info.stack_size, 0);
    pica_assert_lt(service_info.stack_used_max, service_info.stack_size * 3 / 4);
}

int
main(void)
{
    pica_test_run();
}
