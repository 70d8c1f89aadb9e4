/* SPDX-License-Identifier: MIT */
/* The dispatch generated from kernel/proc/syscalls.def, with the real object
 * calls (kernel/proc/syscall_objects.c, kernel/proc/cap.c) on the fake port, and
 * stand-ins for the process and thread calls that record what reached
 * them. Every call enters through syscall_dispatch() as a port's trap
 * would, from threads whose process is a test process. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pica/event.h>
#include <pica/ipc.h>
#include <pica/proc.h>

#include "cap.h"
#include "core_test.h"
#include "fake_heap.h"
#include "proc_priv.h"
#include "sched.h"
#include "thread_priv.h"
#include "syscall.h"
#include "syscall_handlers.h"
#include "user_mem.h"

static struct pica_proc proc;
static struct user_mem mem;

/* ---- stand-ins for the handlers of kernel/proc/proc_syscalls.c -------------- */

static const void *write_buf;
static uint32_t write_len;
static char write_seen[128];

int32_t
sys_nop(void)
{
    return 0;
}

int32_t
sys_write(uint32_t fd, const void *buf, uint32_t len)
{
    write_buf = buf;
    write_len = len;
    memcpy(write_seen, buf, len < sizeof write_seen ? len : sizeof write_seen);
    return fd == 1 ? (int32_t)len : -EBADF;
}

void
sys_exit(uint32_t code)
{
    (void)code;
    abort();
}

int32_t
sys_thread_create(uint32_t entry, uint32_t arg, uint32_t prio)
{
    return (int32_t)(entry + arg + prio);
}

void
sys_thread_exit(uint32_t code)
{
    (void)code;
    abort();
}

int32_t
sys_yield(void)
{
    return 0;
}

int32_t
sys_sleep_us(uint32_t us)
{
    return pica_sleep(syscall_timeout(us));
}

int32_t
sys_uptime_us(void *buf, uint32_t len)
{
    if (len != 8) {
        return -EINVAL;
    }
    memset(buf, 0x5a, 8);
    return 0;
}

int32_t
sys_tls_set(uint32_t ptr)
{
    return (int32_t)ptr;
}

static struct pica_thread *thread_seen;
static struct pica_clock *clock_seen;

/* The first system call with a string argument: what it got. */
static char cron_line_seen[PICA_SYSCALL_STR_MAX];

int32_t
sys_cron_add(const char *line, uint32_t entry, uint32_t arg)
{
    strncpy(cron_line_seen, line, sizeof(cron_line_seen) - 1);
    return (int32_t)(strlen(line) + entry + arg);
}

int32_t
sys_cron_del(uint32_t id)
{
    return (int32_t)id;
}

int32_t
sys_time_get(void *buf, uint32_t len)
{
    if (len != 16) {
        return -EINVAL;
    }
    memset(buf, 0x6b, 16);
    return 0;
}

int32_t
sys_time_set(struct pica_clock *clock, const void *buf, uint32_t len)
{
    clock_seen = clock;
    return len == 16 ? (int32_t)((const uint8_t *)buf)[0] : -EINVAL;
}

int32_t
sys_thread_kill(struct pica_thread *thread)
{
    thread_seen = thread;
    return 0;
}

int32_t
sys_thread_join(struct pica_thread *thread, uint32_t timeout_us)
{
    thread_seen = thread;
    return (int32_t)timeout_us;
}

/* Threads of the test process end as kernel threads do: nothing of the
 * process's own bookkeeping (kernel/proc/proc.c) is under test here. */
void
proc_thread_ended_locked(struct pica_thread *t)
{
    (void)t;
}

/* ---- helpers ------------------------------------------------------------ */

/* core_err() with the code it does not name. */
static const char *
err_name(int r)
{
    return r == -EIDRM ? "EIDRM" : core_err(r);
}

static int32_t
call(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    struct syscall_args args = {{a0, a1, a2, a3, 0xdead0004u, 0xdead0005u}, nr};
    return syscall_dispatch(&args);
}

/* The numbers as the table has them (the user header's are the same). */
enum {
    NR_NOP = 0, NR_WRITE, NR_EXIT, NR_THREAD_CREATE, NR_THREAD_EXIT, NR_YIELD, NR_SLEEP_US,
    NR_UPTIME_US, NR_TLS_SET, NR_THREAD_KILL, NR_THREAD_JOIN, NR_CAP_DELETE, NR_CAP_INFO,
    NR_SEM_CREATE, NR_SEM_TAKE, NR_SEM_GIVE, NR_MUTEX_CREATE, NR_MUTEX_LOCK, NR_MUTEX_UNLOCK,
    NR_QUEUE_CREATE, NR_QUEUE_SEND, NR_QUEUE_RECV, NR_EVENT_CREATE, NR_EVENT_SET,
    NR_EVENT_CLEAR, NR_EVENT_WAIT, NR_TIME_GET, NR_TIME_SET, NR_CRON_ADD, NR_CRON_DEL,
    NR_FS_OPEN, NR_FS_READ, NR_FS_WRITE, NR_FS_LSEEK, NR_FS_FSYNC, NR_FS_FTRUNCATE, NR_FS_FSTAT,
    NR_FS_UNLINK, NR_FS_MKDIR, NR_FS_RMDIR, NR_FS_RENAME, NR_FS_STAT, NR_FS_OPENDIR, NR_FS_READDIR,
    NR_FS_STATVFS, NR_BPF_LOAD, NR_BPF_MAP_LOOKUP, NR_BPF_MAP_UPDATE, NR_BPF_PROG_STATS, NR_CAP_COPY,
    NR_CAP_MINT, NR_CAP_MOVE, NR_CAP_REVOKE, NR_CAP_BADGE, NR_EP_CREATE, NR_EP_SEND, NR_EP_RECV,
    NR_EP_CALL, NR_EP_REPLY, NR_EP_REPLY_RECV, NR_EP_BIND, NR_REPLY_SAVE, NR_NTFN_CREATE,
    NR_NTFN_SIGNAL, NR_NTFN_WAIT, NR_NTFN_POLL, NR_IRQ_BIND, NR_IRQ_ACK,
    NR_REGION_CREATE, NR_EP_CALLW, NR_EP_REPLY_RECVW, NR_EP_RECVW,
};
_Static_assert(NR_EP_RECVW + 1 == SYSCALL_COUNT, "the table grew: extend the tests");

static void
run_as_user(void (*entry)(void *), unsigned prio)
{
    core_spawn("user", entry, NULL, prio);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

static void
boot(uint32_t quota)
{
    core_boot();
    mem = user_mem_setup(&proc, quota);
}

/* The calling thread becomes a user thread of the process: with a
 * privileged stack whose canary the dispatch checks after each call (the
 * host port has no stack guard). */
/* kernel/proc/proc.c's: no process map to encode here. */
int
proc_region_encode_ready(void)
{
    return 0;
}

/* Each fake user thread's control block, privileged stack, reply and
 * register IPC side, as kernel/proc/proc.c keeps them; and the registers a
 * system call returns (arch_user_regs()). */
static struct proc_slot slots[4];
static uint32_t user_regs[4][5];

uint32_t *
arch_user_regs(void)
{
    return user_regs[pica_container_of(sched.current->user, struct proc_slot, u) - slots];
}

static void
enter_proc(void)
{
    static unsigned next;
    unsigned i = next++ % 4u;
    uint32_t *kstack = (uint32_t *)slots[i].kstack;
    for (unsigned w = 0; w < THREAD_CANARY_WORDS; w++) {
        kstack[w] = THREAD_STACK_CANARY;
    }
    slots[i].u = (struct pica_thread_user){.thread = sched.current,
                                           .kstack_base = (char *)kstack,
                                           .kstack_size = sizeof(slots[i].kstack)};
    pica_reply_init(&slots[i].reply);
    sched.current->user = &slots[i].u;
    sched.current->proc = &proc;
}

/* ---- tests --------------------------------------------------------------- */

static void
unknown_entry(void *arg)
{
    (void)arg;
    enter_proc();
    assert_int_equal(call(SYSCALL_COUNT, 0, 0, 0, 0), -ENOSYS);
    assert_int_equal(call(1000, 0, 0, 0, 0), -ENOSYS);
    assert_int_equal(call(0x80000000u, 0, 0, 0, 0), -ENOSYS);
    assert_int_equal(call(UINT32_MAX, 0, 0, 0, 0), -ENOSYS);
    assert_int_equal(call(NR_NOP, 1, 2, 3, 4), 0);
    assert_int_equal(call(NR_THREAD_CREATE, 1, 20, 300, 0), 321);
    assert_int_equal(call(NR_TLS_SET, 0xfffffff0u, 0, 0, 0), (int32_t)0xfffffff0u);
    assert_string_equal(syscall_name(NR_SEM_TAKE), "sem_take");
    assert_null(syscall_name(SYSCALL_COUNT));
}

static void
test_unknown_numbers_and_values(void **state)
{
    (void)state;
    boot(0);
    run_as_user(unknown_entry, 10);
}

static void
kernel_thread_entry(void *arg)
{
    (void)arg;
    assert_int_equal(call(NR_NOP, 0, 0, 0, 0), -EPERM);
}

static void
test_thread_of_no_process_refused(void **state)
{
    (void)state;
    boot(0);
    run_as_user(kernel_thread_entry, 10);
}

static void
in_buffer_entry(void *arg)
{
    (void)arg;
    enter_proc();
    char *ram = user_ptr(mem.ram);
    strcpy(ram, "hello");
    /* Small: the handler sees a kernel copy, not the user's buffer. */
    assert_int_equal(call(NR_WRITE, 1, mem.ram, 5, 0), 5);
    assert_ptr_not_equal(write_buf, ram);
    assert_memory_equal(write_seen, "hello", 5);
    assert_int_equal(call(NR_WRITE, 1, mem.ram, PICA_SYSCALL_COPY_MAX, 0), PICA_SYSCALL_COPY_MAX);
    assert_ptr_not_equal(write_buf, ram);
    /* Larger: read in place. */
    assert_int_equal(call(NR_WRITE, 1, mem.ram, PICA_SYSCALL_COPY_MAX + 1, 0),
                     PICA_SYSCALL_COPY_MAX + 1);
    assert_ptr_equal(write_buf, ram);
    /* Text and read-only grants are readable. */
    assert_int_equal(call(NR_WRITE, 1, mem.text, 8, 0), 8);
    assert_int_equal(call(NR_WRITE, 1, mem.grant, USER_GRANT_SIZE, 0), USER_GRANT_SIZE);
    /* Refused before the handler runs. */
    write_buf = NULL;
    assert_int_equal(call(NR_WRITE, 1, mem.gap, 4, 0), -EFAULT);
    assert_int_equal(call(NR_WRITE, 1, mem.gap, 0, 0), -EFAULT);
    assert_int_equal(call(NR_WRITE, 1, 0, 0, 0), -EFAULT);
    assert_int_equal(call(NR_WRITE, 1, mem.ram, UINT32_MAX, 0), -EFAULT);
    /* Strings: copied in up to their NUL, checked byte by byte, bounded. */
    char *text = user_ptr(mem.ram + 256);
    strcpy(text, "*/5 * * * * *");
    assert_int_equal(call(NR_CRON_ADD, mem.ram + 256, 100, 20, 0), 13 + 120);
    assert_string_equal(cron_line_seen, "*/5 * * * * *");
    assert_int_equal(call(NR_CRON_ADD, mem.gap, 0, 0, 0), -EFAULT);
    memset(text, 'x', PICA_SYSCALL_STR_MAX); /* no NUL within the bound */
    assert_int_equal(call(NR_CRON_ADD, mem.ram + 256, 0, 0, 0), -ENAMETOOLONG);
    assert_int_equal(call(NR_CRON_DEL, 7, 0, 0, 0), 7);
    assert_int_equal(call(NR_WRITE, 1, mem.ram + 8, (uint32_t)(0u - (mem.ram + 8)) + 4u, 0),
                     -EFAULT);
    assert_int_equal(call(NR_WRITE, 1, mem.ram + USER_RAM_SIZE - 2, 3, 0), -EFAULT);
    assert_int_equal(call(NR_WRITE, 1, UINT32_MAX, 1, 0), -EFAULT);
    assert_null(write_buf);
    /* Zero length inside: fine. */
    assert_int_equal(call(NR_WRITE, 1, mem.ram, 0, 0), 0);
}

static void
test_in_buffers(void **state)
{
    (void)state;
    boot(0);
    run_as_user(in_buffer_entry, 10);
}

static void
out_buffer_entry(void *arg)
{
    (void)arg;
    enter_proc();
    uint8_t *ram = user_ptr(mem.ram + 64);
    memset(ram, 0, 8);
    assert_int_equal(call(NR_UPTIME_US, mem.ram + 64, 8, 0, 0), 0);
    assert_int_equal(ram[0], 0x5a);
    assert_int_equal(ram[7], 0x5a);
    /* Not writable: text, a read-only grant; outside; wrapping. */
    assert_int_equal(call(NR_UPTIME_US, mem.text, 8, 0, 0), -EFAULT);
    assert_int_equal(call(NR_UPTIME_US, mem.grant, 8, 0, 0), -EFAULT);
    assert_int_equal(call(NR_UPTIME_US, mem.gap, 8, 0, 0), -EFAULT);
    assert_int_equal(call(NR_UPTIME_US, UINT32_MAX - 3, 8, 0, 0), -EFAULT);
    assert_int_equal(call(NR_UPTIME_US, mem.ram + USER_RAM_SIZE - 4, 8, 0, 0), -EFAULT);
    assert_int_equal(call(NR_UPTIME_US, mem.ram, 4, 0, 0), -EINVAL); /* the handler's */
}

static void
test_out_buffers(void **state)
{
    (void)state;
    boot(0);
    run_as_user(out_buffer_entry, 10);
}

static void
slots_entry(void *arg)
{
    (void)arg;
    enter_proc();
    static struct pica_thread target;
    int sem = call(NR_SEM_CREATE, 0, 1, 0, 0);
    assert_int_equal(sem, 0);
    int t_read = cap_insert(&proc, PICA_CAP_THREAD, &target, PICA_RIGHT_READ, false);
    int t_all = cap_insert(&proc, PICA_CAP_THREAD, &target, PICA_RIGHTS_ALL, false);
    assert_int_equal(t_read, 1);
    assert_int_equal(t_all, 2);
    thread_seen = NULL;
    assert_int_equal(call(NR_THREAD_KILL, (uint32_t)t_read, 0, 0, 0), -EPERM);
    assert_int_equal(call(NR_THREAD_KILL, (uint32_t)sem, 0, 0, 0), -EBADF);  /* wrong type */
    assert_int_equal(call(NR_THREAD_KILL, 3, 0, 0, 0), -EBADF);              /* empty */
    assert_int_equal(call(NR_THREAD_KILL, PICA_CFG_CAP_SLOTS, 0, 0, 0), -EBADF);
    assert_int_equal(call(NR_THREAD_KILL, UINT32_MAX, 0, 0, 0), -EBADF);
    assert_int_equal(call(NR_THREAD_KILL, (uint32_t)-EBADF, 0, 0, 0), -EBADF); /* an error as slot */
    assert_null(thread_seen);
    assert_int_equal(call(NR_THREAD_KILL, (uint32_t)t_all, 0, 0, 0), 0);
    assert_ptr_equal(thread_seen, &target);
    assert_int_equal(call(NR_THREAD_JOIN, (uint32_t)t_read, 1234, 0, 0), 1234);
    /* Semaphore rights: READ takes, WRITE gives. */
    int sem_r = cap_insert(&proc, PICA_CAP_SEM, proc.caps[sem].obj, PICA_RIGHT_READ, false);
    assert_int_equal(call(NR_SEM_GIVE, (uint32_t)sem_r, 0, 0, 0), -EPERM);
    assert_int_equal(call(NR_SEM_GIVE, (uint32_t)sem, 0, 0, 0), 0);
    assert_int_equal(call(NR_SEM_TAKE, (uint32_t)sem_r, 0, 0, 0), 0);
    assert_int_equal(call(NR_SEM_TAKE, (uint32_t)t_all, 0, 0, 0), -EBADF);
    assert_int_equal(call(NR_CAP_INFO, (uint32_t)sem_r, 0, 0, 0), PICA_CAP_SEM | PICA_RIGHT_READ << 8);
    assert_int_equal(call(NR_CAP_INFO, (uint32_t)sem, 0, 0, 0), PICA_CAP_SEM | PICA_RIGHTS_ALL << 8);
    assert_int_equal(call(NR_CAP_INFO, 30, 0, 0, 0), -EBADF);
    assert_int_equal(call(NR_CAP_DELETE, (uint32_t)sem_r, 0, 0, 0), 0);
    assert_int_equal(call(NR_CAP_DELETE, (uint32_t)sem_r, 0, 0, 0), -EBADF);
    assert_int_equal(call(NR_CAP_DELETE, UINT32_MAX, 0, 0, 0), -EBADF);
    /* Setting the wall clock takes the clock capability with WRITE. */
    static struct pica_clock clock;
    uint8_t *when = user_ptr(mem.ram + 64);
    memset(when, 0, 16);
    when[0] = 7;
    int c_read = cap_insert(&proc, PICA_CAP_CLOCK, &clock, PICA_RIGHT_READ, false);
    int c_write = cap_insert(&proc, PICA_CAP_CLOCK, &clock, PICA_RIGHT_WRITE, false);
    assert_true(c_read >= 0 && c_write >= 0);
    clock_seen = NULL;
    assert_int_equal(call(NR_TIME_SET, (uint32_t)c_read, mem.ram + 64, 16, 0), -EPERM);
    assert_int_equal(call(NR_TIME_SET, (uint32_t)sem, mem.ram + 64, 16, 0), -EBADF);
    assert_int_equal(call(NR_TIME_SET, (uint32_t)c_write, mem.gap, 16, 0), -EFAULT);
    assert_null(clock_seen);
    assert_int_equal(call(NR_TIME_SET, (uint32_t)c_write, mem.ram + 64, 16, 0), 7);
    assert_ptr_equal(clock_seen, &clock);
    assert_int_equal(call(NR_TIME_GET, mem.ram + 64, 16, 0, 0), 0);
    assert_int_equal(when[15], 0x6b);
    assert_int_equal(call(NR_TIME_GET, mem.text, 16, 0, 0), -EFAULT);
    cap_release_all(&proc);
}

static void
test_slots_types_and_rights(void **state)
{
    (void)state;
    boot(4096);
    run_as_user(slots_entry, 10);
    assert_int_equal(fake_heap_live(), 0);
}

static int32_t sem_slot;

static void
taker_entry(void *arg)
{
    (void)arg;
    enter_proc();
    int32_t r = call(NR_SEM_TAKE, (uint32_t)sem_slot, 5000, 0, 0);
    core_trace("timeout:%s@%llu", err_name(r), (unsigned long long)core_tick());
    r = call(NR_SEM_TAKE, (uint32_t)sem_slot, PICA_SYSCALL_FOREVER, 0, 0);
    core_trace("forever:%s", err_name(r));
}

static void
sem_entry(void *arg)
{
    (void)arg;
    enter_proc();
    assert_int_equal(call(NR_SEM_CREATE, 2, 1, 0, 0), -EINVAL);
    assert_int_equal(call(NR_SEM_CREATE, 0, 0, 0, 0), -EINVAL);
    assert_int_equal(call(NR_SEM_CREATE, 0, 0x80000000u, 0, 0), -EINVAL);
    sem_slot = call(NR_SEM_CREATE, 1, 1, 0, 0);
    assert_true(sem_slot >= 0);
    assert_int_equal(call(NR_SEM_GIVE, (uint32_t)sem_slot, 0, 0, 0), -EOVERFLOW);
    assert_int_equal(call(NR_SEM_TAKE, (uint32_t)sem_slot, 0, 0, 0), 0);
    assert_int_equal(call(NR_SEM_TAKE, (uint32_t)sem_slot, PICA_SYSCALL_NO_WAIT, 0, 0), -EAGAIN);
    core_spawn("taker", taker_entry, NULL, 5); /* 5 ms, i.e. 6 ticks, then forever */
    pica_sleep(PICA_TICKS(20));
    /* Deleting the slot wakes the taker blocked forever. */
    core_trace("delete:%s", err_name(call(NR_CAP_DELETE, (uint32_t)sem_slot, 0, 0, 0)));
    assert_int_equal(call(NR_SEM_GIVE, (uint32_t)sem_slot, 0, 0, 0), -EBADF);
}

static void
test_semaphores_block_time_out_and_die(void **state)
{
    (void)state;
    boot(4096);
    run_as_user(sem_entry, 10);
    assert_string_equal(core_traced(), "timeout:ETIMEDOUT@6 forever:EIDRM delete:0");
    assert_int_equal(fake_heap_live(), 0);
    assert_int_equal(proc.quota_used, 0);
}

static void
quota_entry(void *arg)
{
    (void)arg;
    enter_proc();
    int n = 0;
    while (call(NR_EVENT_CREATE, 0, 0, 0, 0) >= 0) {
        n++;
    }
    core_trace("events:%d", n);
    assert_int_equal(call(NR_SEM_CREATE, 0, 1, 0, 0), -ENOMEM);
    assert_int_equal(call(NR_MUTEX_CREATE, 0, 0, 0, 0), -ENOMEM);
    assert_int_equal(call(NR_QUEUE_CREATE, 4, 1, 0, 0), -ENOMEM);
    assert_int_equal(call(NR_CAP_DELETE, 0, 0, 0, 0), 0);
    assert_int_equal(call(NR_SEM_CREATE, 0, 1, 0, 0), 0);
    /* Slots run out before a large quota does. */
    cap_release_all(&proc);
}

static void
test_quota_runs_out(void **state)
{
    (void)state;
    uint32_t charge = cap_obj_charge(sizeof(struct pica_event));
    boot(3 * charge + 7);
    run_as_user(quota_entry, 10);
    assert_string_equal(core_traced(), "events:3");
    assert_int_equal(fake_heap_live(), 0);
}

static void
slots_full_entry(void *arg)
{
    (void)arg;
    enter_proc();
    for (int i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        assert_int_equal(call(NR_MUTEX_CREATE, 0, 0, 0, 0), i);
    }
    assert_int_equal(call(NR_MUTEX_CREATE, 0, 0, 0, 0), -ENOSPC);
    assert_int_equal(fake_heap_live(), PICA_CFG_CAP_SLOTS); /* the refused one freed */
    cap_release_all(&proc);
}

static void
test_table_full(void **state)
{
    (void)state;
    boot(1u << 20);
    run_as_user(slots_full_entry, 10);
    assert_int_equal(proc.quota_used, 0);
}

static void
queue_entry(void *arg)
{
    (void)arg;
    enter_proc();
    assert_int_equal(call(NR_QUEUE_CREATE, 0, 4, 0, 0), -EINVAL);
    assert_int_equal(call(NR_QUEUE_CREATE, 4, 0, 0, 0), -EINVAL);
    assert_int_equal(call(NR_QUEUE_CREATE, 0x10000, 0x10000, 0, 0), -ENOMEM);
    int q = call(NR_QUEUE_CREATE, 6, 2, 0, 0);
    assert_true(q >= 0);
    memcpy(user_ptr(mem.ram), "abcdef", 6);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.ram, 5, 0), -EINVAL);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.gap, 6, 0), -EFAULT);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.ram, 6, 0), 0);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.text, 6, 0), 0);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.ram, 6, 0), -EAGAIN);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q, mem.ram, 6, 3000), -ETIMEDOUT);
    char *out = user_ptr(mem.ram + 100);
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q, mem.grant, 6, 0), -EFAULT); /* read-only */
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q, mem.ram + 100, 7, 0), -EINVAL);
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q, mem.ram + 100, 6, 0), 0);
    assert_memory_equal(out, "abcdef", 6);
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q, mem.ram + 100, 6, 0), 0);
    assert_memory_equal(out, user_ptr(mem.text), 6);
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q, mem.ram + 100, 6, 0), -EAGAIN);
    /* A sender's rights do not receive. */
    int q_w = cap_insert(&proc, PICA_CAP_QUEUE, proc.caps[q].obj, PICA_RIGHT_WRITE, false);
    assert_int_equal(call(NR_QUEUE_RECV, (uint32_t)q_w, mem.ram + 100, 6, 0), -EPERM);
    assert_int_equal(call(NR_QUEUE_SEND, (uint32_t)q_w, mem.ram, 6, 0), 0);
    cap_release_all(&proc);
}

static void
test_queues(void **state)
{
    (void)state;
    boot(4096);
    run_as_user(queue_entry, 10);
    assert_int_equal(fake_heap_live(), 0);
}

static void
event_mutex_entry(void *arg)
{
    (void)arg;
    enter_proc();
    int e = call(NR_EVENT_CREATE, 0, 0, 0, 0);
    assert_true(e >= 0);
    assert_int_equal(call(NR_EVENT_SET, (uint32_t)e, 0, 0, 0), -EINVAL);
    assert_int_equal(call(NR_EVENT_SET, (uint32_t)e, 0x80000000u, 0, 0), -EINVAL);
    assert_int_equal(call(NR_EVENT_SET, (uint32_t)e, 0x5, 0, 0), 0);
    assert_int_equal(call(NR_EVENT_WAIT, (uint32_t)e, 0x3, PICA_EV_ALL, 0), -EAGAIN);
    assert_int_equal(call(NR_EVENT_WAIT, (uint32_t)e, 0x3, 0x4, 0), -EINVAL);
    assert_int_equal(call(NR_EVENT_WAIT, (uint32_t)e, 0, 0, 0), -EINVAL);
    assert_int_equal(call(NR_EVENT_WAIT, (uint32_t)e, 0x3, PICA_EV_ANY | PICA_EV_CLEAR, 0), 1);
    assert_int_equal(call(NR_EVENT_CLEAR, (uint32_t)e, 0x80000000u, 0, 0), -EINVAL);
    assert_int_equal(call(NR_EVENT_CLEAR, (uint32_t)e, 0x4, 0, 0), 0);
    assert_int_equal(call(NR_EVENT_WAIT, (uint32_t)e, 0x7, 0, 2000), -ETIMEDOUT);
    int m = call(NR_MUTEX_CREATE, 0, 0, 0, 0);
    assert_true(m >= 0);
    assert_int_equal(call(NR_MUTEX_UNLOCK, (uint32_t)m, 0, 0, 0), -EPERM);
    assert_int_equal(call(NR_MUTEX_LOCK, (uint32_t)m, PICA_SYSCALL_FOREVER, 0, 0), 0);
    assert_int_equal(call(NR_MUTEX_LOCK, (uint32_t)m, 0, 0, 0), 0); /* recursive */
    assert_int_equal(call(NR_MUTEX_UNLOCK, (uint32_t)m, 0, 0, 0), 0);
    assert_int_equal(call(NR_MUTEX_UNLOCK, (uint32_t)m, 0, 0, 0), 0);
    int m_r = cap_insert(&proc, PICA_CAP_MUTEX, proc.caps[m].obj, PICA_RIGHT_READ, false);
    assert_int_equal(call(NR_MUTEX_LOCK, (uint32_t)m_r, 0, 0, 0), -EPERM);
    assert_int_equal(call(NR_MUTEX_LOCK, (uint32_t)e, 0, 0, 0), -EBADF);
    cap_release_all(&proc);
}

static void
test_events_and_mutexes(void **state)
{
    (void)state;
    boot(4096);
    run_as_user(event_mutex_entry, 10);
    assert_int_equal(fake_heap_live(), 0);
}

static void
timeouts_entry(void *arg)
{
    (void)arg;
    assert_int_equal(syscall_timeout(0), PICA_NO_WAIT);
    assert_int_equal(syscall_timeout(UINT32_MAX), PICA_FOREVER);
    assert_int_equal(syscall_timeout(1), PICA_US(1));
    assert_int_equal(syscall_timeout(UINT32_MAX - 1), PICA_US(UINT32_MAX - 1u));
    assert_true(syscall_timeout(UINT32_MAX - 1) > 0);
}

static void
test_timeouts(void **state)
{
    (void)state;
    boot(0);
    run_as_user(timeouts_entry, 10);
}

/* The file system is not linked here: every fs_* call is -ENOSYS, before
 * its arguments are looked at (its handlers are optional, fs/fs_syscalls.c). */
static void
fs_absent_entry(void *arg)
{
    (void)arg;
    enter_proc();
    for (uint32_t nr = NR_FS_OPEN; nr <= NR_FS_STATVFS; nr++) {
        assert_int_equal(call(nr, mem.ram, 8, 0, 0), -ENOSYS);
        assert_int_equal(call(nr, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0), -ENOSYS);
    }
    assert_string_equal(syscall_name(NR_FS_RENAME), "fs_rename");
}

static void
test_fs_calls_absent(void **state)
{
    (void)state;
    boot(0);
    run_as_user(fs_absent_entry, 10);
}

/* Nor is eBPF: the bpf_* calls are -ENOSYS too (bpf/kern/sys_bpf.c). */
static void
bpf_absent_entry(void *arg)
{
    (void)arg;
    enter_proc();
    for (uint32_t nr = NR_BPF_LOAD; nr <= NR_BPF_PROG_STATS; nr++) {
        assert_int_equal(call(nr, 0, mem.ram, 8, 0), -ENOSYS);
        assert_int_equal(call(nr, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0), -ENOSYS);
    }
    assert_string_equal(syscall_name(NR_BPF_MAP_UPDATE), "bpf_map_update");
}

static void
test_bpf_calls_absent(void **state)
{
    (void)state;
    boot(0);
    run_as_user(bpf_absent_entry, 10);
}

/* ---- register IPC as ordinary system calls (kernel/proc/syscall_ipc_regs.c) ---- */

static int regs_ep = -1;

static int32_t
call6(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    struct syscall_args args = {{a0, a1, a2, a3, a4, a5}, nr};
    return syscall_dispatch(&args);
}

static void
regs_server_entry(void *arg)
{
    (void)arg;
    enter_proc();
    regs_ep = call(NR_EP_CREATE, 0, 0, 0, 0);
    assert_true(regs_ep >= 0);
    uint32_t *r = arch_user_regs();
    assert_int_equal(call(NR_EP_RECVW, (uint32_t)regs_ep, 0, 0, 0), -EAGAIN);
    /* Waits for the client: its badge (none) and the call flag, its words. */
    int32_t got = call(NR_EP_RECVW, (uint32_t)regs_ep, PICA_SYSCALL_FOREVER, 0, 0);
    assert_int_equal(got, PICA_MSG_CALL << 28);
    assert_int_equal(r[1], 1);
    assert_int_equal(r[4], 4);
    /* Answers, then finds no one else: the receive's own result. */
    assert_int_equal(call6(NR_EP_REPLY_RECVW, (uint32_t)regs_ep, 10, 20, 30, 40, 0), -EAGAIN);
    assert_int_equal(call6(NR_EP_REPLY_RECVW, 99, 10, 20, 30, 40, 0), -EBADF);
}

static void
regs_client_entry(void *arg)
{
    (void)arg;
    enter_proc();
    uint32_t *r = arch_user_regs();
    assert_int_equal(call6(NR_EP_CALLW, (uint32_t)regs_ep, 1, 2, 3, 4, PICA_SYSCALL_FOREVER), 0);
    assert_int_equal(r[1], 10);
    assert_int_equal(r[2], 20);
    assert_int_equal(r[3], 30);
    assert_int_equal(r[4], 40);
    /* No one receives any more. */
    assert_int_equal(call6(NR_EP_CALLW, (uint32_t)regs_ep, 1, 2, 3, 4, 0), -EAGAIN);
}

static void
test_register_ipc(void **state)
{
    (void)state;
    boot(4096);
    core_spawn("server", regs_server_entry, NULL, 5);
    core_spawn("client", regs_client_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

static const struct core_test tests[] = {
    CORE_TEST(test_unknown_numbers_and_values),
    CORE_TEST(test_thread_of_no_process_refused),
    CORE_TEST(test_in_buffers),
    CORE_TEST(test_out_buffers),
    CORE_TEST(test_slots_types_and_rights),
    CORE_TEST(test_semaphores_block_time_out_and_die),
    CORE_TEST(test_quota_runs_out),
    CORE_TEST(test_table_full),
    CORE_TEST(test_queues),
    CORE_TEST(test_events_and_mutexes),
    CORE_TEST(test_timeouts),
    CORE_TEST(test_fs_calls_absent),
    CORE_TEST(test_bpf_calls_absent),
    CORE_TEST(test_register_ipc),
};

CORE_TEST_MAIN(tests)
