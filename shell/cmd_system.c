/* SPDX-License-Identifier: MIT */
/* The shell's system commands: free, uptime, date, irq, reboot. */
#include <errno.h>
#include <pica/calendar.h>
#include <pica/console.h>
#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/shell.h>
#include <pica/stats.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"

/* Processes are linked only into images that have them (the kernel's
 * user-space half is an archive): asked for weakly, so the shell does not
 * pull that half in. */
#pragma weak pica_proc_count
#pragma weak pica_proc_at
#pragma weak pica_proc_find

static int
cmd_free(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    struct pica_heap_stats h;
    pica_heap_stats(&h);
    printf("heap: %lu bytes, %lu used in %lu blocks, %lu free (largest %lu), "
           "lowest free %lu, %lu refused\n",
           (unsigned long)h.total_bytes, (unsigned long)h.used_bytes,
           (unsigned long)h.allocated_blocks, (unsigned long)h.free_bytes,
           (unsigned long)h.largest_free_block, (unsigned long)h.min_free_bytes,
           (unsigned long)h.failed_allocs);
    struct pica_pool_info pi;
    for (unsigned i = 0; pica_pool_info_at(i, &pi) == 0; i++) {
        printf("pool %-12s %lu of %lu blocks free, %lu bytes each, %lu waiting\n", pi.name,
               (unsigned long)pi.free, (unsigned long)pi.count, (unsigned long)pi.block_size,
               (unsigned long)pi.waiters);
    }
    unsigned procs = pica_proc_count != NULL ? pica_proc_count() : 0;
    for (unsigned i = 0; i < procs; i++) {
        const struct pica_proc *p = pica_proc_at(i);
        printf("process %-10s objects %lu of %lu bytes of quota\n", p->image->name,
               (unsigned long)p->quota_used, (unsigned long)p->image->obj_quota);
    }
    return 0;
}
PICA_SHELL_CMD(free, "kernel heap use, named pools, and each process's object quota\nfree",
               cmd_free);

static int
cmd_uptime(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    uint64_t us = pica_uptime_us();
    uint64_t s = us / 1000000u;
    struct pica_sys_stats st;
    pica_sys_stats(&st);
    printf("up %lu days %02u:%02u:%02u.%03u, %lu threads, %lu switches, %lu interrupts\n",
           (unsigned long)(s / 86400u), (unsigned)(s / 3600u % 24u), (unsigned)(s / 60u % 60u),
           (unsigned)(s % 60u), (unsigned)(us / 1000u % 1000u), (unsigned long)st.threads,
           (unsigned long)st.context_switches, (unsigned long)st.interrupts);
    return 0;
}
PICA_SHELL_CMD(uptime, "time since boot and the system's counters\nuptime", cmd_uptime);

static void
print_now(void)
{
    struct pica_walltime now;
    pica_time_get(&now);
    struct pica_datetime dt;
    pica_datetime_from_unix(now.sec, &dt);
    char text[PICA_DATETIME_TEXT_LEN + 1];
    pica_datetime_format(text, sizeof(text), &dt);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    printf("%s %s UTC\n", days[dt.wday % 7u], text);
}

static int
cmd_date(int argc, char **argv)
{
    if (argc == 1) {
        print_now();
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "-s") != 0) {
        return PICA_SHELL_USAGE;
    }
    struct pica_datetime dt;
    struct pica_walltime t = {.nsec = 0};
    if (pica_datetime_parse(argv[2], &dt) != 0 || pica_datetime_to_unix(&dt, &t.sec) != 0) {
        printf("date: '%s' is not a date (YYYY-MM-DD HH:MM:SS)\n", argv[2]);
        return -EINVAL;
    }
    int err = pica_time_set(&t);
    if (err != 0) {
        printf("date: %s is out of range (1970 to 2199)\n", argv[2]);
        return err;
    }
    print_now();
    return 0;
}
PICA_SHELL_CMD(date, "show or set the wall clock (UTC)\n"
                     "date [-s \"YYYY-MM-DD HH:MM:SS\"]",
               cmd_date);

static int
cmd_irq(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    printf("line  kind      count  handler\n");
    unsigned shown = 0;
    for (unsigned irq = arch_irq_first_line(); irq < arch_irq_lines(); irq++) {
        struct pica_irq_info in;
        if (pica_irq_info(irq, &in) != 0 || (!in.attached && in.count == 0)) {
            continue;
        }
        printf("%4u  %-8s %6lu  %p\n", irq, !in.attached ? "detached" : in.direct ? "direct" : "handler",
               (unsigned long)in.count, in.handler);
        shown++;
    }
    struct pica_console_stats cs;
    pica_console_stats(&cs);
    printf("%u lines in use of %u; %lu spurious; console: %lu bytes in, %lu out\n", shown,
           arch_irq_lines() - arch_irq_first_line(), (unsigned long)pica_irq_spurious_count(),
           (unsigned long)cs.rx_bytes, (unsigned long)cs.tx_bytes);
    return 0;
}
PICA_SHELL_CMD(irq, "interrupt lines with a handler: kind, runs counted, handler address\nirq",
               cmd_irq);

static int
cmd_reboot(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    printf("rebooting\n");
    fflush(stdout);
    pica_sleep(PICA_MS(20)); /* the console's queue reaches the wire */
    arch_reboot();
}
PICA_SHELL_CMD(reboot, "start the image again from reset\nreboot", cmd_reboot);

static const char *const cap_type_names[PICA_CAP_TYPES] = {
    [PICA_CAP_NONE] = "-",       [PICA_CAP_SEM] = "semaphore", [PICA_CAP_MUTEX] = "mutex",
    [PICA_CAP_QUEUE] = "queue",  [PICA_CAP_EVENT] = "event",   [PICA_CAP_THREAD] = "thread",
    [PICA_CAP_REGION] = "region", [PICA_CAP_CLOCK] = "clock",   [PICA_CAP_FS] = "files",
    [PICA_CAP_FILE] = "file",     [PICA_CAP_DIR] = "directory", [PICA_CAP_BPF] = "bpf-grant",
    [PICA_CAP_BPF_PROG] = "bpf-prog", [PICA_CAP_EP] = "endpoint",    [PICA_CAP_NTFN] = "notify",
    [PICA_CAP_REPLY] = "reply",
};

/* Only images with IPC have endpoints to list. */
#pragma weak pica_ep_foreach_sender

static void
print_sender(const struct pica_thread *t, bool call, void *arg)
{
    (void)arg;
    printf("      waiting: %s #%lu (%s, priority %u)\n", t->name, (unsigned long)t->id,
           call ? "call" : "send", (unsigned)t->prio);
}

static int
cmd_caps(int argc, char **argv)
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    struct pica_proc *p = pica_proc_find != NULL ? pica_proc_find(argv[1]) : NULL;
    if (p == NULL) {
        printf("caps: no process '%s'\n", argv[1]);
        return -ESRCH;
    }
    printf("slot  type       rights  badge       derived  object\n");
    unsigned used = 0;
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        /* A snapshot of one slot: the table changes under the process's
         * own system calls. */
        unsigned key = pica_irq_lock();
        struct pica_cap c = p->caps[i];
        unsigned derived = 0;
        if (c.obj != NULL) {
            const struct pica_list *head = &p->caps[i].children;
            for (const struct pica_list *n = head->next; n != head; n = n->next) {
                derived++;
            }
        }
        pica_irq_unlock(key);
        if (c.obj == NULL) {
            continue;
        }
        used++;
        printf("%4u  %-9s  %c%c%c     0x%08lx  %7u  %p%s\n", i,
               c.type < PICA_CAP_TYPES && cap_type_names[c.type] != NULL ? cap_type_names[c.type]
                                                                         : "?",
               (c.rights & PICA_RIGHT_READ) ? 'r' : '-', (c.rights & PICA_RIGHT_WRITE) ? 'w' : '-',
               (c.rights & PICA_RIGHT_GRANT) ? 'g' : '-', (unsigned long)c.badge, derived, c.obj,
               (c.flags & PICA_CAP_OWNED) ? " (its own)" : "");
        if (c.type == PICA_CAP_EP && pica_ep_foreach_sender != NULL) {
            pica_ep_foreach_sender(c.obj, print_sender, NULL);
        }
    }
    printf("%u of %u slots used; objects %lu of %lu bytes of quota\n", used,
           (unsigned)PICA_CFG_CAP_SLOTS, (unsigned long)p->quota_used,
           (unsigned long)p->image->obj_quota);
    return 0;
}
PICA_SHELL_CMD(caps, "a process's capability slots: type, rights (read, write, grant), badge,\n"
                     "capabilities derived from it, object; under an endpoint, its waiting senders\n"
                     "caps <process>",
               cmd_caps);
