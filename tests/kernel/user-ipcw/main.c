/* SPDX-License-Identifier: MIT */
/* Register IPC between isolated processes (qemu.user-ipcw): the kernel
 * makes three endpoints and gives each to the server srv (read) and the
 * client cli (write, grant).
 *   - A kernel thread calls the register server first, with a struct
 *     pica_msg: kernel threads and register servers meet on one endpoint
 *     (the answer shows the server saw a kernel call).
 *   - cli.c then runs its checks (words and badges both ways, register and
 *     struct calls mixed, refusals, timeouts, a revoke waking a waiting
 *     register caller, a server ending while it holds a call; where there
 *     is an FPU, FP registers kept across calls, and none of the server's
 *     values seen by a client thread that never used the FPU);
 *   - and last waits in a register call the kernel ends by killing the
 *     server, whose threads all wait in register receives or on a
 *     semaphore: the call fails with -EPIPE.
 * At the end the heap is as it was. On Cortex-M these calls run in the SVC
 * handler (kernel/proc/syscall_ipc_regs.c), elsewhere as ordinary calls. */
#include <errno.h>
#include <stdio.h>

#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/sem.h>

#include "ipcw_test.h"

static struct pica_ep ew, eb, ed, et, el;
static struct pica_sem hang;
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-ipcw: FAIL %s\n", what);                                                 \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static void
give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, int slot)
{
    CHECK("give", pica_proc_give(p, type, obj, rights) == slot);
}

static void
kernel_calls_server(void)
{
    struct pica_msg m = {.w = {OP_ECHO, 5, 6, 7}};
    CHECK("kernel call", pica_ep_call(&ew, &m, PICA_MS(1000)) == 0);
    CHECK("the server saw a kernel call",
          m.w[0] == ((PICA_MSG_CALL | PICA_MSG_KERNEL) << 28));
    CHECK("answer", m.w[1] == 6 && m.w[2] == 8 && m.w[3] == 10);
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct pica_proc *srv = pica_proc_find("srvw");
    struct pica_proc *cli = pica_proc_find("cliw");
    if (srv == NULL || cli == NULL) {
        printf("user-ipcw: processes missing\n");
        pica_exit(1);
    }
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    pica_ep_init(&ew);
    pica_ep_init(&eb);
    pica_ep_init(&ed);
    pica_ep_init(&et);
    pica_ep_init(&el);
    pica_sem_init(&hang, 0, 1);
    give(srv, PICA_CAP_EP, &ew, PICA_RIGHT_READ, SRV_EW);
    give(srv, PICA_CAP_EP, &eb, PICA_RIGHT_READ, SRV_EB);
    give(srv, PICA_CAP_EP, &ed, PICA_RIGHT_READ, SRV_ED);
    give(srv, PICA_CAP_SEM, &hang, PICA_RIGHT_READ, SRV_HANG);
    give(srv, PICA_CAP_EP, &et, PICA_RIGHT_READ, SRV_ET);
    give(srv, PICA_CAP_EP, &el, PICA_RIGHT_READ, SRV_EL);
    give(cli, PICA_CAP_EP, &ew, PICA_RIGHT_WRITE | PICA_RIGHT_GRANT, CLI_EW);
    give(cli, PICA_CAP_EP, &eb, PICA_RIGHT_WRITE | PICA_RIGHT_GRANT, CLI_EB);
    give(cli, PICA_CAP_EP, &ed, PICA_RIGHT_WRITE | PICA_RIGHT_GRANT, CLI_ED);
    give(cli, PICA_CAP_EP, &et, PICA_RIGHT_WRITE, CLI_ET);
    give(cli, PICA_CAP_EP, &el, PICA_RIGHT_WRITE, CLI_EL);
    CHECK("start srv", pica_proc_start(srv) == 0);
    kernel_calls_server();
    CHECK("start cli", pica_proc_start(cli) == 0);

    /* The server waits in OP_HANG holding cli's last call: kill it. */
    while (pica_list_empty(&hang.waiters.head) && srv->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(1));
    }
    CHECK("kill srv", pica_proc_kill(srv, -1) == 0);
    while (cli->state == PICA_PROC_RUNNING || srv->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(5));
    }
    CHECK("cli passed", cli->state == PICA_PROC_EXITED && cli->exit_code == 0);
    CHECK("srv killed", srv->state == PICA_PROC_KILLED);
    CHECK("nobody waits", pica_list_empty(&ew.senders.head) && pica_list_empty(&ew.receivers.head) &&
                              pica_list_empty(&eb.receivers.head) &&
                              pica_list_empty(&ed.receivers.head));
    CHECK("quota back", srv->quota_used == 0 && cli->quota_used == 0);
    CHECK("reap srv", pica_proc_kill(srv, 0) == -ESRCH);
    CHECK("reap cli", pica_proc_kill(cli, 0) == -ESRCH);
    pica_heap_stats(&after);
    CHECK("heap back", after.free_bytes == before.free_bytes);
    CHECK("the timed servers served", IPCW_SMALL || (et.sent == 4 && el.sent == 5));
    printf("user-ipcw: %lu messages on the register server's endpoint\n", (unsigned long)ew.sent);
    printf("user-ipcw: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
