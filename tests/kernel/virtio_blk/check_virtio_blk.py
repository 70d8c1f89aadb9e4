#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The virtio-blk test's host side (ctest qemu.virtio_blk*.virt-rv32): make
a disk image, write a plan into its sector 0 and a pattern where the board
is to read it, run the board with the image as a virtio-blk disk
(tools/pica-run --virtio-blk), then hash, here and not in Pica, the region
the board was to write and compare it with the pattern computed here. The
host's pattern and the sectors around the board's must be as they were.

  check_virtio_blk.py --board B --image IMG [--size BYTES] [--legacy | --absent]
                      [--virtual-timeout S] ELF

--legacy runs QEMU's virtio-mmio transports in their legacy (version 1)
layout instead of the board's modern one; --absent attaches no disk.
PICA_VBLK_SEED fixes the seed of the patterns (default: random, printed).
"""
import argparse
import hashlib
import os
import random
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SECTOR = 512
MAGIC = b"PICAVB01"
HOST_COUNT = 200
BOARD_COUNT = 6144  # 3 MiB
GUARD = 5  # zero sectors between and after the regions
MASK = 0xFFFFFFFF


def pattern(seed, sector):
    """Sector @sector of the board's pattern, as main.c's pattern() makes
    it: the little-endian words of an LCG started from seed and sector."""
    x = (seed ^ (sector * 0x9E3779B1)) & MASK
    words = []
    for _ in range(SECTOR // 4):
        x = (x * 1664525 + 1013904223) & MASK
        words.append(x)
    return struct.pack(f"<{SECTOR // 4}I", *words)


def region_sha256(seed, start, count):
    h = hashlib.sha256()
    for s in range(start, start + count):
        h.update(pattern(seed, s))
    return h.hexdigest()


def file_sha256(f, start, count):
    f.seek(start * SECTOR)
    h = hashlib.sha256()
    h.update(f.read(count * SECTOR))
    return h.hexdigest()


def make_image(path, size, seed, version):
    sectors = size // SECTOR
    plan = {"sectors": sectors, "seed": seed, "host_start": 8, "host_count": HOST_COUNT}
    plan["board_start"] = plan["host_start"] + HOST_COUNT + GUARD
    plan["board_count"] = BOARD_COUNT
    if plan["board_start"] + BOARD_COUNT + GUARD > sectors:
        sys.exit(f"check_virtio_blk: --size {size} is too small for the plan")
    with open(path, "wb") as f:
        f.truncate(size)
        f.write(MAGIC + struct.pack("<7I", sectors, version, seed, plan["host_start"],
                                    HOST_COUNT, plan["board_start"], BOARD_COUNT))
        f.seek(plan["host_start"] * SECTOR)
        for s in range(plan["host_start"], plan["host_start"] + HOST_COUNT):
            f.write(pattern(seed ^ 0x5A5A5A5A, s))
    return plan


def check_image(path, plan):
    """The problems found in the image after the run."""
    problems = []
    board = (plan["board_start"], plan["board_count"])
    host = (plan["host_start"], plan["host_count"])
    with open(path, "rb") as f:
        got = file_sha256(f, *board)
        want = region_sha256(plan["seed"], *board)
        print(f"check_virtio_blk: board's region sha256 {got}")
        print(f"check_virtio_blk: expected          sha256 {want}")
        if got != want:
            bad = []
            for s in range(board[0], board[0] + board[1]):
                f.seek(s * SECTOR)
                if f.read(SECTOR) != pattern(plan["seed"], s):
                    bad.append(s)
            problems.append(f"the board's region differs in {len(bad)} sectors, first {bad[0]}")
        if file_sha256(f, *host) != region_sha256(plan["seed"] ^ 0x5A5A5A5A, *host):
            problems.append("the host's pattern changed")
        zero = bytes(SECTOR)
        outside = list(range(1, host[0])) + list(range(host[0] + host[1], board[0]))
        outside += list(range(board[0] + board[1], plan["sectors"]))
        for s in outside:
            f.seek(s * SECTOR)
            if f.read(SECTOR) != zero:
                problems.append(f"sector {s}, outside both regions, was written")
                break
        if os.path.getsize(path) != plan["sectors"] * SECTOR:
            problems.append(f"the image is {os.path.getsize(path)} bytes now")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--size", type=int, default=8 << 20)
    ap.add_argument("--legacy", action="store_true")
    ap.add_argument("--absent", action="store_true")
    ap.add_argument("--virtual-timeout", metavar="S")
    ap.add_argument("elf")
    args = ap.parse_args()
    if args.size % SECTOR:
        sys.exit("check_virtio_blk: --size must be a multiple of 512")
    run = [sys.executable, os.path.join(ROOT, "tools", "pica-run"), "--board", args.board]
    if args.virtual_timeout:
        run += ["--icount", "--virtual-timeout", args.virtual_timeout]
    if args.legacy:
        # A later -global overrides the board's force-legacy=false.
        run += ["--qemu-arg=-global", "--qemu-arg=virtio-mmio.force-legacy=true"]
    plan = None
    if not args.absent:
        seed = int(os.environ.get("PICA_VBLK_SEED", random.randrange(1 << 32)))
        os.makedirs(os.path.dirname(os.path.abspath(args.image)), exist_ok=True)
        plan = make_image(args.image, args.size, seed, 1 if args.legacy else 2)
        print(f"check_virtio_blk: {args.size} byte image, seed {seed} "
              f"(PICA_VBLK_SEED={seed} repeats it)")
        run += ["--virtio-blk", args.image]
    rc = subprocess.call(run + [args.elf])
    if rc != 0:
        print(f"check_virtio_blk: FAIL: the board's run ended with {rc}")
        return 1
    if plan is None:
        return 0
    problems = check_image(args.image, plan)
    for p in problems:
        print(f"check_virtio_blk: FAIL: {p}")
    if not problems:
        print("check_virtio_blk: the image holds what the board wrote, and only that")
        os.unlink(args.image)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
