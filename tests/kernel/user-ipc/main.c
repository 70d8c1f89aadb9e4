/* SPDX-License-Identifier: MIT */
/* IPC between isolated processes (qemu.user-ipc): the kernel makes one
 * endpoint and gives it to two processes, the server srv (read, write,
 * grant) and the client cli (write, grant), with a notification bound to
 * the server's endpoint and one an interrupt handler signals for the
 * client.
 *   - A kernel thread calls the server first: kernel threads use the same
 *     endpoints (the answer shows the server saw a kernel sender).
 *   - The bound notification ends one of the server's receives.
 *   - cli.c then runs its checks (words, bytes, capabilities passed and
 *     refused, replies saved and used once, timeouts, revoke, ordering);
 *     the kernel fires ISR_SIGNALS interrupts whose handler signals two
 *     bits each, all of which cli must count;
 *   - and last kills the server while cli waits in a call: the call fails
 *     with -EPIPE.
 * At the end the heap is as it was: every object, reply and slot gone. */
#include <errno.h>
#include <stdio.h>

#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/sem.h>
#include <pica/shell.h>

#include "arch.h"
#include "ipc_test.h"

static struct pica_ep ep;
static struct pica_ntfn srv_ntfn, cli_ntfn;
static struct pica_sem hang, sync_sem, go;
static int failures;
static volatile uint32_t fired;
static struct pica_thread sender;
static uint8_t sender_stack[1024] __attribute__((aligned(8)));
static volatile int sender_result = 1;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-ipc: FAIL %s\n", what);                                                  \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static void
give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, int slot)
{
    CHECK("give", pica_proc_give(p, type, obj, rights) == slot);
}

/* Two bits per interrupt, never the same two twice in a row. */
static void
signal_handler(void *arg)
{
    (void)arg;
    uint32_t n = fired++;
    pica_ntfn_signal(&cli_ntfn, (1u << ((2u * n) % 31u)) | (1u << ((2u * n + 1u) % 31u)));
}

static void
kernel_calls_server(void)
{
    struct pica_msg m = {.w = {OP_ECHO, 5, 6, 7}};
    CHECK("kernel call", pica_ep_call(&ep, &m, PICA_MS(1000)) == 0);
    CHECK("the server saw a kernel sender", m.w[0] == 0x80000000u);
    CHECK("answer", m.w[1] == 6 && m.w[2] == 8 && m.w[3] == 10);
    struct pica_msg bad = {.len = PICA_CFG_IPC_BUF_MAX + 1u};
    CHECK("too long", pica_ep_call(&ep, &bad, PICA_MS(10)) == -EINVAL);
}

static void
fire_interrupts(void)
{
    unsigned line = arch_irq_lines() - 1;
    CHECK("attach", pica_irq_attach(line, signal_handler, NULL, 5) == 0);
    pica_irq_enable(line);
    for (int i = 0; i < ISR_SIGNALS; i++) {
        pica_irq_trigger(line);
    }
    pica_irq_disable(line);
    pica_irq_detach(line);
    CHECK("fired", fired == ISR_SIGNALS);
    CHECK("signals counted", cli_ntfn.signals == ISR_SIGNALS);
}

/* A kernel thread queued to send while the server holds cli's call: the
 * shell's caps lists it under the server's endpoint. */
static void
queued_sender(void *arg)
{
    (void)arg;
    struct pica_msg m = {.w = {OP_ECHO}};
    sender_result = pica_ep_send(&ep, &m, PICA_MS(100));
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct pica_proc *srv = pica_proc_find("srv");
    struct pica_proc *cli = pica_proc_find("cli");
    if (srv == NULL || cli == NULL) {
        printf("user-ipc: processes missing\n");
        pica_exit(1);
    }
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    pica_ep_init(&ep);
    pica_ntfn_init(&srv_ntfn);
    pica_ntfn_init(&cli_ntfn);
    pica_sem_init(&hang, 0, 1);
    pica_sem_init(&sync_sem, 0, 1);
    pica_sem_init(&go, 0, 1);
    give(srv, PICA_CAP_EP, &ep, PICA_RIGHTS_ALL, SRV_EP);
    give(srv, PICA_CAP_NTFN, &srv_ntfn, PICA_RIGHT_READ, SRV_NTFN);
    give(srv, PICA_CAP_SEM, &hang, PICA_RIGHT_READ, SRV_HANG);
    give(cli, PICA_CAP_EP, &ep, PICA_RIGHT_WRITE | PICA_RIGHT_GRANT, CLI_EP);
    give(cli, PICA_CAP_NTFN, &cli_ntfn, PICA_RIGHT_READ, CLI_NTFN);
    give(cli, PICA_CAP_SEM, &sync_sem, PICA_RIGHT_WRITE, CLI_SYNC);
    give(cli, PICA_CAP_SEM, &go, PICA_RIGHT_READ, CLI_GO);
    CHECK("start srv", pica_proc_start(srv) == 0);

    kernel_calls_server();
    CHECK("bound", ep.bound == &srv_ntfn);
    CHECK("notify", pica_ntfn_signal(&srv_ntfn, NOTIFY_BITS) == 0);

    CHECK("start cli", pica_proc_start(cli) == 0);
    CHECK("cli ready", pica_sem_take(&sync_sem, PICA_MS(30000)) == 0);
    fire_interrupts();
    CHECK("go", pica_sem_give(&go) == 0);

    /* The server waits in OP_HANG holding cli's call: kill it. */
    while (pica_list_empty(&hang.waiters.head) && srv->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(1));
    }
    CHECK("sender", pica_thread_create(&sender, "qsender", queued_sender, NULL, sender_stack,
                                       sizeof(sender_stack), PICA_PRIO_MAIN - 1, 0) == 0);
    printf("user-ipc: the server's slots\n");
    CHECK("caps", pica_shell_run("caps srv") == 0);
    CHECK("kill srv", pica_proc_kill(srv, -1) == 0);
    CHECK("join", pica_thread_join(&sender, PICA_FOREVER) == 0);
    CHECK("the queued sender timed out", sender_result == -ETIMEDOUT);
    while (cli->state == PICA_PROC_RUNNING || srv->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(5));
    }
    CHECK("cli passed", cli->state == PICA_PROC_EXITED && cli->exit_code == 0);
    CHECK("srv killed", srv->state == PICA_PROC_KILLED);
    CHECK("nobody waits", pica_list_empty(&ep.senders.head) && pica_list_empty(&ep.receivers.head));
    CHECK("quota back", srv->quota_used == 0 && cli->quota_used == 0);
    /* Their threads' memory goes back as ended processes are reaped. */
    CHECK("reap srv", pica_proc_kill(srv, 0) == -ESRCH);
    CHECK("reap cli", pica_proc_kill(cli, 0) == -ESRCH);
    pica_heap_stats(&after);
    CHECK("heap back", after.free_bytes == before.free_bytes);
    printf("user-ipc: %lu messages; heap %lu bytes before, %lu after\n", (unsigned long)ep.sent,
           (unsigned long)before.free_bytes, (unsigned long)after.free_bytes);
    printf("user-ipc: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
