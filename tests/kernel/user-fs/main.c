/* SPDX-License-Identifier: MIT */
/* Files for user processes (qemu.user-fs): a RAM disk at /, then three
 * processes in turn. fs_user holds the FS capability with READ and WRITE
 * and works the tree through stdio and the fs_* calls; what it left is
 * checked here through pica_fs_*. fs_denied holds none and is refused
 * everything. fs_reader holds it with READ only, opens files and waits:
 * killed, its files are closed and its quota returned, so / unmounts.
 * Every process also passes a kernel canary's address as a buffer, which
 * must stay untouched. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pica/fs.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/queue.h>

#include "ram_blk.h"
#include "user_fs.h"

#define BS 512u
#define NBLOCKS 32u

static const struct pica_blk_geometry geo = {
    .read_size = 16, .prog_size = 16, .erase_size = BS, .block_count = NBLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static uint8_t disk[BS * NBLOCKS];
static uint8_t cache[PICAFS_CACHE_SIZE(BS, 8)];
static struct ram_blk dev;

static volatile uint32_t canary[USER_FS_CANARY_WORDS];
static struct pica_queue note_q;
static struct user_fs_note note_buf[1];
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-fs: FAIL %s\n", what);                                                   \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

/* Give @p the note queue (and the tree with @fs_rights, if any), start it
 * and send its note. */
static struct pica_proc *
start(const char *name, unsigned fs_rights)
{
    struct pica_proc *p = pica_proc_find(name);
    CHECK(name, p != NULL);
    if (p == NULL) {
        return NULL;
    }
    if (fs_rights != 0) {
        CHECK("give FS", pica_proc_give(p, PICA_CAP_FS, &pica_fs_tree, fs_rights) >= 0);
    }
    CHECK("give queue", pica_proc_give(p, PICA_CAP_QUEUE, &note_q, PICA_RIGHT_READ) >= 0);
    struct user_fs_note n = {(uint32_t)(uintptr_t)canary, USER_FS_KERNEL_TEXT};
    CHECK("note", pica_queue_send(&note_q, &n, PICA_NO_WAIT) == 0);
    CHECK("start", pica_proc_start(p) == 0);
    return p;
}

static void
wait_end(struct pica_proc *p)
{
    while (p != NULL && (p->state == PICA_PROC_IDLE || p->state == PICA_PROC_RUNNING)) {
        pica_sleep(PICA_MS(10));
    }
    CHECK("exited with 0", p != NULL && p->state == PICA_PROC_EXITED && p->exit_code == 0);
}

static unsigned
open_slots(const struct pica_proc *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        n += p->caps[i].obj != NULL &&
             (p->caps[i].type == PICA_CAP_FILE || p->caps[i].type == PICA_CAP_DIR);
    }
    return n;
}

/* What fs_user left: one file, renamed, with its text; the rest gone. */
static void
check_tree(void)
{
    struct pica_file f = {0};
    char buf[64] = {0};
    struct picafs_stat st;
    CHECK("renamed.txt opens", pica_fs_open(&f, "/data/renamed.txt", PICA_O_RDONLY) == 0);
    CHECK("renamed.txt text", pica_fs_read(&f, buf, sizeof buf - 1) == (int)strlen(USER_FS_TEXT) &&
                                  strcmp(buf, USER_FS_TEXT) == 0);
    (void)pica_fs_close(&f);
    CHECK("notes.txt gone", pica_fs_stat("/data/notes.txt", &st) == -ENOENT);
    CHECK("gone.txt gone", pica_fs_stat("/data/gone.txt", &st) == -ENOENT);
    CHECK("t.bin gone", pica_fs_stat("/data/t.bin", &st) == -ENOENT);
    CHECK("/data has one entry", pica_fs_stat("/data", &st) == 0 && st.size == 1);
}

static void
check_reader(struct pica_proc *p)
{
    for (int i = 0; i < 200 && p->state == PICA_PROC_RUNNING && open_slots(p) < 3; i++) {
        pica_sleep(PICA_MS(10));
    }
    CHECK("reader holds 3", open_slots(p) == 3 && p->state == PICA_PROC_RUNNING);
    CHECK("reader charged", p->quota_used > 0);
    CHECK("umount busy", pica_fs_umount("/") == -EBUSY);
    CHECK("kill", pica_proc_kill(p, -1) == 0);
    CHECK("reader's files closed", open_slots(p) == 0);
    CHECK("reader's quota back", p->quota_used == 0);
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    for (unsigned i = 0; i < USER_FS_CANARY_WORDS; i++) {
        canary[i] = USER_FS_CANARY;
    }
    const struct picafs_format_opts o = {.work = cache, .work_size = sizeof(cache)};
    if (ram_blk_init(&dev, "ram0", disk, &geo) != 0 || picafs_format(&dev.blk, &o) != 0 ||
        pica_fs_mount("/", &dev.blk, cache, sizeof(cache), NULL, NULL) != 0) {
        printf("user-fs: / not mounted\n");
        pica_exit(1);
    }
    pica_queue_init(&note_q, note_buf, sizeof(note_buf[0]), 1);
    struct pica_proc *user = start("fs_user", PICA_RIGHT_READ | PICA_RIGHT_WRITE);
    wait_end(user);
    check_tree();
    struct pica_proc *denied = start("fs_denied", 0);
    wait_end(denied);
    struct pica_proc *reader = start("fs_reader", PICA_RIGHT_READ);
    if (reader != NULL) {
        check_reader(reader);
    }
    for (unsigned i = 0; i < USER_FS_CANARY_WORDS; i++) {
        CHECK("canary", canary[i] == USER_FS_CANARY);
    }
    CHECK("umount", pica_fs_umount("/") == 0);
    struct pica_proc *all[3] = {user, denied, reader};
    for (unsigned i = 0; i < 3; i++) {
        if (all[i] != NULL) {
            printf("user-fs: %s used %u of %u bytes of privileged stack\n", all[i]->image->name,
                   (unsigned)all[i]->kstack_used_max, (unsigned)PICA_CFG_SYSCALL_STACK);
        }
    }
    printf("user-fs: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
