/* SPDX-License-Identifier: MIT */
/* The shell's file commands, typed by the runner (qemu.fs_shell): a RAM
 * disk at / and one at /tmp, then the prompt. `done` ends the run. */
#include <pica/fs.h>
#include <pica/pica.h>
#include <pica/shell.h>
#include <stdio.h>

#include "ram_blk.h"

#define BS 512u
#define NBLOCKS 24u

static const struct pica_blk_geometry geo = {
    .read_size = 16, .prog_size = 16, .erase_size = BS, .block_count = NBLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static uint8_t mem[2][BS * NBLOCKS];
static uint8_t cache[2][PICAFS_CACHE_SIZE(BS, 8)];
static struct ram_blk dev[2];

static int
cmd_done(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("fs shell test done\n");
    fflush(stdout);
    pica_sleep(PICA_MS(20));
    pica_exit(0);
}
PICA_SHELL_CMD(done, "end the run\ndone", cmd_done);

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    static const char *const where[2] = {"/", "/tmp"};
    for (int i = 0; i < 2; i++) {
        const struct picafs_format_opts o = {.work = cache[i], .work_size = sizeof(cache[i])};
        if (ram_blk_init(&dev[i], i == 0 ? "ram0" : "ram1", mem[i], &geo) != 0 ||
            picafs_format(&dev[i].blk, &o) != 0 ||
            pica_fs_mount(where[i], &dev[i].blk, cache[i], sizeof(cache[i]), NULL, NULL) != 0) {
            printf("fs shell test: %s not mounted\n", where[i]);
            pica_exit(1);
        }
    }
    printf("fs shell test: type at the prompt\n");
    return pica_shell_start();
}
