/* SPDX-License-Identifier: MIT */
/* The file system's service thread for user processes (fs/fs_user.h): a
 * system call's privileged stack (PICA_CFG_SYSCALL_STACK) is far smaller
 * than a file system call needs, so the handler fills the one request and
 * this thread, with a stack of PICA_CFG_FS_SERVICE_STACK bytes, runs it.
 * Started by the first request; its counterpart is fs/fs_syscalls.c.
 *
 * The thread, the one request and what happens when a caller is killed
 * while it waits: kernel/syscall_service.h. */
#include "fs_user.h"

#include "syscall_service.h"

static struct fs_req fs_request, fs_running;
PICA_THREAD_STACK_DEFINE(svc_stack, PICA_CFG_FS_SERVICE_STACK);

static int
run(void *copy, const void *req)
{
    (void)req;
    return fs_req_run(copy);
}

static struct syscall_service svc = {
    .name = "fs",
    .stack = svc_stack,
    .stack_size = sizeof(svc_stack),
    .prio = PICA_CFG_FS_SERVICE_PRIO,
    .req = &fs_request,
    .copy = &fs_running,
    .req_size = sizeof(struct fs_req),
    .run = run,
};

bool
fs_service_started(void)
{
    return syscall_service_started(&svc);
}

struct fs_req *
fs_service_begin(int *err)
{
    return syscall_service_begin(&svc, err);
}

void
fs_service_abort(void)
{
    syscall_service_abort(&svc);
}

int
fs_service_end(void)
{
    return syscall_service_end(&svc);
}
