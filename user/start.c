/* SPDX-License-Identifier: MIT */
/* A process's first code: the kernel starts its first thread here
 * (struct pica_proc_image.entry) with the start-up block of
 * <pica/user/abi.h>. It sets up the heap and the malloc lock, then the
 * thread's TLS block and stdout line, and calls user_main(). _exit() is
 * the end of exit(): pending output is written, then the kernel ends the
 * process with the code. */
#include <stdlib.h>

#include "sdk.h"

/* The name service's endpoint slot (pica_user.h: sys_ns_slot). */
int user_ns_slot = -1;

int
sys_ns_slot(void)
{
    return user_ns_slot;
}

/* The two entries a program may define (pica_user.h, user.h). */
int user_main(void) __attribute__((weak));
void __pica_user_task_main(void) __attribute__((weak));

static void
call_main(void *unused)
{
    (void)unused;
    if (user_main != NULL) {
        exit(user_main());
    }
    /* A task: returning ends only this thread, like any task's. */
    __pica_user_task_main();
}

/* First in the process's text (user/process.ld), so the build finds the
 * entry without keeping a global symbol per process. */
__attribute__((section(".text.pica_user_entry"), noreturn, used)) void
__pica_user_start(const struct pica_user_startup *su)
{
    user_ns_slot = su->ns_slot == 0xFFFFFFFFu ? -1 : (int)su->ns_slot;
    user_heap_init(su->heap_start, su->heap_end);
    user_lock_init();
    user_thread_run(call_main, NULL);
}

void _exit(int code) __attribute__((noreturn));

void
_exit(int code)
{
    sys_flush();
    pica_sys_exit((uint32_t)code);
}
