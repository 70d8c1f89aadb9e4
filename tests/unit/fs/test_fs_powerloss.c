/* SPDX-License-Identifier: MIT */
/* picafs power-loss suite (ctest unit.fs.powerloss). Each workload runs
 * once to count its programs and erases (N) and record the state after
 * every call; then for every cut point 0..N-1 it runs again on a fresh
 * image with the power cut there (plainly, and with the last program torn:
 * a prefix lands, the rest stays erased or turns to garbage). The call
 * that meets the cut fails with -EIO and the in-RAM file system is
 * abandoned; a fresh mount must succeed, fsck must pass, and the tree must
 * be the state before or after that call (a write may have landed in
 * part: a prefix of it). A last file created and read back after a remount
 * shows the recovered image is writable. Both device kinds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"
#include "rig.h"

enum opk { OPEN, WRITE, FSYNC, CLOSE, TRUNC, UNLINK, MKDIR, RMDIR, RENAME, END };
#define AT_END UINT32_MAX
#define CR (PICAFS_O_RDWR | PICAFS_O_CREAT)

struct wop {
    enum opk k;
    const char *a, *b;
    uint32_t x; /* OPEN: flags; WRITE: offset or AT_END; TRUNC: size */
    uint32_t n; /* WRITE: bytes */
};

struct workload {
    const char *name;
    const struct wop *ops;
    uint32_t nor_blocks, sector_blocks;
};

#define MAX_OPS 64
static struct model snaps[MAX_OPS + 1];
static int32_t ref_ret[MAX_OPS];
static uint32_t ref_off[MAX_OPS];
static uint8_t wdata[MODEL_FILE_MAX];
static struct rig rig;
static struct picafs_file file;
static const char *file_path;

static void
op_data(uint32_t k, uint32_t n)
{
    rig_pattern(wdata, n, 1000 + k);
}

/* Run call @k of @w; @off gets the offset a write went to. */
static int32_t
run_op(const struct wop *w, uint32_t k, uint32_t *off)
{
    struct picafs *fs = &rig.fs;
    switch (w->k) {
    case OPEN:
        file_path = w->a;
        return picafs_open(fs, &file, w->a, w->x);
    case WRITE: {
        int32_t pos = w->x == AT_END ? picafs_lseek(fs, &file, 0, PICAFS_SEEK_END)
                                     : picafs_lseek(fs, &file, (int32_t)w->x, PICAFS_SEEK_SET);
        if (pos < 0) {
            return pos;
        }
        *off = (uint32_t)pos;
        op_data(k, w->n);
        return picafs_write(fs, &file, wdata, w->n);
    }
    case FSYNC:
        return picafs_fsync(fs, &file);
    case CLOSE:
        return picafs_close(fs, &file);
    case TRUNC:
        return picafs_ftruncate(fs, &file, w->x);
    case UNLINK:
        return picafs_unlink(fs, w->a);
    case MKDIR:
        return picafs_mkdir(fs, w->a);
    case RMDIR:
        return picafs_rmdir(fs, w->a);
    case RENAME:
        return picafs_rename(fs, w->a, w->b);
    default:
        return -EINVAL;
    }
}

/* What call @k (result @ret, offset @off) does to the model. */
static void
model_apply(struct model *m, const struct wop *w, uint32_t k, int32_t ret, uint32_t off)
{
    if (ret < 0) {
        return;
    }
    switch (w->k) {
    case OPEN:
        model_create(m, w->a);
        if (w->x & PICAFS_O_TRUNC) {
            model_truncate(m, w->a, 0);
        }
        break;
    case WRITE:
        op_data(k, w->n);
        model_write(m, file_path, off, wdata, (uint32_t)ret);
        break;
    case TRUNC:
        model_truncate(m, file_path, w->x);
        break;
    case UNLINK:
    case RMDIR:
        model_remove(m, w->a);
        break;
    case MKDIR:
        model_mkdir(m, w->a);
        break;
    case RENAME:
        model_rename(m, w->a, w->b);
        break;
    default:
        break;
    }
}

static void
start(const struct pica_blk_geometry *geo, uint32_t nblocks)
{
    assert_int_equal(rig_start(&rig, geo, nblocks, geo == &tdev_nor ? 10 : 16, true), 0);
}

/* The reference run: results, offsets and the model after every call.
 * Returns the programs and erases it took. */
static uint32_t
reference(const struct workload *wl, const struct pica_blk_geometry *geo, uint32_t nblocks)
{
    start(geo, nblocks);
    tdev_reset_counts(&rig.dev);
    memset(&snaps[0], 0, sizeof(snaps[0]));
    uint32_t k = 0;
    for (; wl->ops[k].k != END; k++) {
        assert_true(k < MAX_OPS);
        ref_ret[k] = run_op(&wl->ops[k], k, &ref_off[k]);
        if (ref_ret[k] < 0 && ref_ret[k] != -ENOSPC) {
            fail_msg("%s: call %u failed without a cut: %d", wl->name, k, ref_ret[k]);
        }
        snaps[k + 1] = snaps[k];
        model_apply(&snaps[k + 1], &wl->ops[k], k, ref_ret[k], ref_off[k]);
    }
    assert_true(model_matches(&rig.fs, &snaps[k], NULL));
    return rig.dev.ops;
}

/* Is the recovered tree a state call @k may leave? */
static bool
acceptable(const struct workload *wl, uint32_t k, uint32_t nops)
{
    struct picafs *fs = &rig.fs;
    if (model_matches(fs, &snaps[k], NULL)) {
        return true;
    }
    if (k == nops) {
        return false;
    }
    if (model_matches(fs, &snaps[k + 1], NULL)) {
        return true;
    }
    uint32_t w = wl->ops[k].k == WRITE ? k : UINT32_MAX;
    if (k > 0 && (wl->ops[k].k == FSYNC || wl->ops[k].k == CLOSE) && wl->ops[k - 1].k == WRITE) {
        w = k - 1;
    }
    if (w == UINT32_MAX || ref_ret[w] <= 0) {
        return false;
    }
    const char *path = NULL;
    for (uint32_t i = 0; i <= w; i++) {
        path = wl->ops[i].k == OPEN ? wl->ops[i].a : path;
    }
    op_data(w, wl->ops[w].n);
    struct model_partial p = {path, ref_off[w], (uint32_t)ref_ret[w], wdata};
    return model_matches(fs, &snaps[w], &p);
}

/* After recovery the image takes a new file and keeps it. */
static void
still_writable(const char *what, uint32_t cut)
{
    uint8_t buf[40];
    int err = rig_put(&rig, "/post", "after the power came back", 25);
    if (err == -ENOSPC) {
        return;
    }
    if (err != 0) {
        fail_msg("%s cut %u: writing after recovery: %d", what, cut, err);
    }
    assert_int_equal(picafs_unmount(&rig.fs), 0);
    assert_int_equal(rig_fsck(&rig), 0);
    assert_int_equal(rig_remount(&rig), 0);
    assert_int_equal(rig_get(&rig, "/post", buf, sizeof(buf)), 25);
}

static void
one_cut(const struct workload *wl, const struct pica_blk_geometry *geo, uint32_t nblocks,
        uint32_t nops, uint32_t cut, bool torn)
{
    start(geo, nblocks);
    tdev_cut(&rig.dev, cut, torn, cut * 7919u + 1);
    uint32_t k = 0, off;
    for (; k < nops; k++) {
        int32_t ret = run_op(&wl->ops[k], k, &off);
        if (ret != ref_ret[k]) {
            if (ret != -EIO) {
                fail_msg("%s cut %u: call %u gave %d, not -EIO", wl->name, cut, k, ret);
            }
            break;
        }
    }
    tdev_cut(&rig.dev, RAM_BLK_NO_CUT, false, 0);
    /* fsck first: it uses the same cache memory as the mount */
    int err = rig_fsck(&rig);
    if (err != 0) {
        fail_msg("%s cut %u%s: fsck after the cut in call %u: %d (%s)", wl->name, cut,
                 torn ? " torn" : "", k, err, rig.last);
    }
    err = rig_remount(&rig);
    if (err != 0) {
        fail_msg("%s cut %u%s: mount after the cut in call %u: %d (%s)", wl->name, cut,
                 torn ? " torn" : "", k, err, rig.last);
    }
    if (!acceptable(wl, k, nops)) {
        for (uint32_t i = 0; i < snaps[k + 1].n; i++) {
            struct picafs_stat st;
            int e = picafs_stat(&rig.fs, snaps[k + 1].e[i].path, &st);
            printf("  %s: before %d after %u now %d/%u\n", snaps[k + 1].e[i].path,
                   model_find(&snaps[k], snaps[k + 1].e[i].path)
                       ? (int)model_find(&snaps[k], snaps[k + 1].e[i].path)->size
                       : -1,
                   snaps[k + 1].e[i].size, e, st.size);
        }
        fail_msg("%s cut %u%s: the tree after a cut in call %u is neither before nor after it",
                 wl->name, cut, torn ? " torn" : "", k);
    }
    still_writable(wl->name, cut);
}

static void
run_workload(const struct workload *wl)
{
    for (int kind = 0; kind < 2; kind++) {
        const struct pica_blk_geometry *geo = kind == 0 ? &tdev_nor : &tdev_sector;
        uint32_t nblocks = kind == 0 ? wl->nor_blocks : wl->sector_blocks;
        uint32_t nops = 0;
        while (wl->ops[nops].k != END) {
            nops++;
        }
        uint32_t n = reference(wl, geo, nblocks);
        for (int torn = 0; torn < 2; torn++) {
            for (uint32_t cut = 0; cut < n; cut++) {
                one_cut(wl, geo, nblocks, nops, cut, torn != 0);
            }
        }
        printf("  %-12s %-6s %4u cut points, plain and torn: all passed\n", wl->name,
               kind == 0 ? "nor" : "sector", n);
    }
}

static const struct wop w_create[] = {
    {MKDIR, "/d", 0, 0, 0},      {OPEN, "/d/a", 0, CR, 0}, {WRITE, 0, 0, 0, 100},
    {CLOSE, 0, 0, 0, 0},         {OPEN, "/b", 0, CR, 0},   {WRITE, 0, 0, 0, 10},
    {CLOSE, 0, 0, 0, 0},         {OPEN, "/c", 0, CR, 0},   {CLOSE, 0, 0, 0, 0},
    {END, 0, 0, 0, 0},
};

static const struct wop w_append[] = {
    {OPEN, "/log", 0, CR | PICAFS_O_APPEND, 0},
    {WRITE, 0, 0, AT_END, 4}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 4}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, AT_END, 60}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 700}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, AT_END, 700}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 3000}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, AT_END, 4}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 2500}, {CLOSE, 0, 0, 0, 0},
    {END, 0, 0, 0, 0},
};

static const struct wop w_overwrite[] = {
    {OPEN, "/f", 0, CR, 0},  {WRITE, 0, 0, 0, 9000},   {CLOSE, 0, 0, 0, 0},
    {OPEN, "/f", 0, PICAFS_O_RDWR, 0}, {WRITE, 0, 0, 3000, 2000}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, 100, 10},  {FSYNC, 0, 0, 0, 0},      {WRITE, 0, 0, 8990, 30},
    {CLOSE, 0, 0, 0, 0},     {END, 0, 0, 0, 0},
};

static const struct wop w_truncate[] = {
    {OPEN, "/t", 0, CR, 0}, {WRITE, 0, 0, 0, 9000}, {FSYNC, 0, 0, 0, 0},
    {TRUNC, 0, 0, 5000, 0}, {TRUNC, 0, 0, 7000, 0}, {TRUNC, 0, 0, 20, 0},
    {TRUNC, 0, 0, 0, 0},    {WRITE, 0, 0, 0, 30},   {FSYNC, 0, 0, 0, 0},
    {TRUNC, 0, 0, 200, 0},  {CLOSE, 0, 0, 0, 0},    {OPEN, "/t", 0, PICAFS_O_RDWR | PICAFS_O_TRUNC, 0},
    {CLOSE, 0, 0, 0, 0},    {END, 0, 0, 0, 0},
};

static const struct wop w_rename[] = {
    {OPEN, "/x", 0, CR, 0}, {WRITE, 0, 0, 0, 5000}, {CLOSE, 0, 0, 0, 0},
    {OPEN, "/y", 0, CR, 0}, {WRITE, 0, 0, 0, 300},  {CLOSE, 0, 0, 0, 0},
    {RENAME, "/y", "/x", 0, 0}, {OPEN, "/y", 0, CR, 0}, {WRITE, 0, 0, 0, 20},
    {CLOSE, 0, 0, 0, 0},    {MKDIR, "/d", 0, 0, 0}, {RENAME, "/x", "/d/x", 0, 0},
    {RENAME, "/y", "/d/x", 0, 0}, {RENAME, "/d", "/e", 0, 0}, {END, 0, 0, 0, 0},
};

static const struct wop w_unlink[] = {
    {OPEN, "/a", 0, CR, 0}, {WRITE, 0, 0, 0, 6000}, {CLOSE, 0, 0, 0, 0},
    {OPEN, "/b", 0, CR, 0}, {WRITE, 0, 0, 0, 40},   {CLOSE, 0, 0, 0, 0},
    {UNLINK, "/a", 0, 0, 0}, {UNLINK, "/b", 0, 0, 0}, {OPEN, "/c", 0, CR, 0},
    {CLOSE, 0, 0, 0, 0},    {UNLINK, "/c", 0, 0, 0}, {END, 0, 0, 0, 0},
};

static const struct wop w_dirs[] = {
    {MKDIR, "/a", 0, 0, 0},   {MKDIR, "/a/b", 0, 0, 0}, {MKDIR, "/c", 0, 0, 0},
    {OPEN, "/a/b/f", 0, CR, 0}, {WRITE, 0, 0, 0, 100}, {CLOSE, 0, 0, 0, 0},
    {RENAME, "/a/b", "/c/b", 0, 0}, {UNLINK, "/c/b/f", 0, 0, 0}, {RMDIR, "/c/b", 0, 0, 0},
    {RMDIR, "/a", 0, 0, 0},   {MKDIR, "/a2", 0, 0, 0},  {RENAME, "/a2", "/c", 0, 0},
    {END, 0, 0, 0, 0},
};

static const struct wop w_grow[] = {
    {OPEN, "/g", 0, CR, 0},
    {WRITE, 0, 0, AT_END, 3000}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 3000}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, AT_END, 3000}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 3000}, {FSYNC, 0, 0, 0, 0},
    {WRITE, 0, 0, AT_END, 20000}, {FSYNC, 0, 0, 0, 0}, {WRITE, 0, 0, AT_END, 3000}, {CLOSE, 0, 0, 0, 0},
    {END, 0, 0, 0, 0},
};

static const struct wop w_full[] = {
    {OPEN, "/keep", 0, CR, 0}, {WRITE, 0, 0, 0, 2000}, {CLOSE, 0, 0, 0, 0},
    {OPEN, "/big", 0, CR, 0},  {WRITE, 0, 0, 0, 60000}, {CLOSE, 0, 0, 0, 0},
    {UNLINK, "/big", 0, 0, 0}, {OPEN, "/more", 0, CR, 0}, {WRITE, 0, 0, 0, 5000},
    {CLOSE, 0, 0, 0, 0},       {RENAME, "/more", "/keep", 0, 0}, {END, 0, 0, 0, 0},
};

static const struct workload workloads[] = {
    {"create", w_create, 32, 64},       {"append", w_append, 32, 64},
    {"overwrite", w_overwrite, 32, 64}, {"truncate", w_truncate, 32, 64},
    {"rename", w_rename, 32, 64},       {"unlink", w_unlink, 32, 64},
    {"dirs", w_dirs, 32, 64},           {"grow", w_grow, 32, 128},
    {"full", w_full, 20, 96},
};

static void
test_workload(void **state)
{
    run_workload(*state);
}

int
main(void)
{
    struct CMUnitTest tests[sizeof(workloads) / sizeof(workloads[0])];
    for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
        tests[i] = (struct CMUnitTest){workloads[i].name, test_workload, NULL, NULL,
                                       (void *)&workloads[i]};
    }
    return _cmocka_run_group_tests("powerloss", tests, sizeof(workloads) / sizeof(workloads[0]),
                                   NULL, NULL);
}
