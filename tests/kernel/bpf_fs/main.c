/* SPDX-License-Identifier: MIT */
/* The `fs` hook on a mounted file system: a program refuses opens and
 * removals under /secret with its errno, lets the rest through, and counts
 * what it saw; without the verdict right it only counts. The shell's
 * `bpf load` takes the same program from a file. */
#include <errno.h>
#include <pica/bpf_kern.h>
#include <pica/fs.h>
#include <pica/pica.h>
#include <pica/shell.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "ram_blk.h"

extern const uint8_t bpf_obj_fs_filter[], bpf_obj_fs_filter_end[];

#define BS 512u
#define NBLOCKS 32u

static const struct pica_blk_geometry geo = {
    .read_size = 16, .prog_size = 16, .erase_size = BS, .block_count = NBLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static uint8_t mem[BS * NBLOCKS];
static struct ram_blk dev;
static uint8_t cache[PICAFS_CACHE_SIZE(BS, 8)];
static uint64_t work[PICA_FS_CHECK_WORK(BS) / 8 + 1];

static int
load(uint32_t rights)
{
    struct bpf_load_req req = {.elf = bpf_obj_fs_filter,
                               .len = (size_t)(bpf_obj_fs_filter_end - bpf_obj_fs_filter),
                               .hook = "fs",
                               .rights = rights};
    struct bpf_load_err err;
    return pica_bpf_load(&req, &err);
}

static uint64_t
seen(int id, uint32_t k)
{
    uint64_t v = UINT64_MAX;
    pica_bpf_lock();
    (void)bpf_registry_map_lookup(pica_bpf_registry(), (uint32_t)id, "seen", &k, &v);
    pica_bpf_unlock();
    return v;
}

static int
put(const char *path)
{
    struct pica_file f;
    int err = pica_fs_open(&f, path, PICA_O_WRONLY | PICA_O_CREAT | PICA_O_TRUNC);
    if (err == 0) {
        (void)pica_fs_write(&f, "x", 1);
        err = pica_fs_close(&f);
    }
    return err;
}

PICA_TEST(the_fs_hook_refuses_what_its_program_refuses)
{
    pica_assert_eq(pica_bpf_start(), 0);
    pica_assert_eq(ram_blk_init(&dev, "ram0", mem, &geo), 0);
    struct picafs_format_opts o = {.work = work, .work_size = sizeof(work)};
    pica_assert_eq(picafs_format(&dev.blk, &o), 0);
    pica_assert_eq(pica_fs_mount("/", &dev.blk, cache, sizeof(cache), NULL, NULL), 0);
    pica_assert_eq(put("/secret"), 0); /* before any program */

    /* Without the verdict right: it counts, refuses nothing. */
    int id = load(0);
    pica_assert_gt(id, 0);
    pica_assert_eq(put("/secret"), 0);
    pica_assert_eq(seen(id, 0), 1);
    pica_assert_eq(seen(id, 2), 1); /* it said no; nobody listened */
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);

    id = load(BPF_ATTACH_VERDICT);
    pica_assert_gt(id, 0);
    struct pica_file f;
    pica_assert_eq(pica_fs_open(&f, "/secret", PICA_O_RDONLY), -EACCES);
    pica_assert_eq(pica_fs_unlink("/secret"), -EACCES);
    pica_assert_eq(put("/open"), 0);
    pica_assert_eq(pica_fs_unlink("/open"), 0);
    pica_assert_eq(seen(id, 0), 2);
    pica_assert_eq(seen(id, 1), 2);
    pica_assert_eq(seen(id, 2), 2);
    pica_assert_eq(pica_bpf_unload((uint32_t)id), 0);

    /* Unloaded: the file is there, untouched by the refusals. */
    pica_assert_eq(pica_fs_open(&f, "/secret", PICA_O_RDONLY), 0);
    char c = 0;
    pica_assert_eq(pica_fs_read(&f, &c, 1), 1);
    pica_assert_eq(c, 'x');
    pica_assert_eq(pica_fs_close(&f), 0);

    /* The shell loads the same program from a file. */
    size_t len = (size_t)(bpf_obj_fs_filter_end - bpf_obj_fs_filter);
    pica_assert_eq(pica_fs_open(&f, "/filter.o", PICA_O_WRONLY | PICA_O_CREAT), 0);
    pica_assert_eq(pica_fs_write(&f, bpf_obj_fs_filter, (uint32_t)len), (int32_t)len);
    pica_assert_eq(pica_fs_close(&f), 0);
    pica_assert_eq(pica_shell_run("bpf load /nothing.o fs"), -ENOENT);
    pica_assert_eq(pica_bpf_registry()->count, 0);
    pica_assert_eq(pica_shell_run("bpf load -v /filter.o fs"), 0);
    pica_assert_eq(pica_bpf_registry()->count, 1);
    pica_assert_eq(pica_fs_open(&f, "/secret", PICA_O_RDONLY), -EACCES);
    struct bpf_loaded *l = bpf_registry_at(pica_bpf_registry(), 0);
    pica_assert(l != NULL);
    char line[24];
    snprintf(line, sizeof(line), "bpf detach %lu", (unsigned long)l->id);
    pica_assert_eq(pica_shell_run(line), 0);
    pica_assert_eq(pica_bpf_registry()->count, 0);
    pica_assert_eq(pica_fs_open(&f, "/secret", PICA_O_RDONLY), 0);
    pica_assert_eq(pica_fs_close(&f), 0);
    pica_assert_eq(pica_fs_umount("/"), 0);
}

int
main(void)
{
    pica_test_run();
}
