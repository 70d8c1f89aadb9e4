#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The SD card test's host side (ctest qemu.sd*.<board>): make a card image,
write a plan into its sector 0 and a pattern where the board is to read
it, run the board on it with tools/pica-run --sd, then hash, here and not
in Pica, the region the board was to write and compare it with the pattern
computed here; the host's pattern and the sectors around the board's must
be as they were.

  check_sd.py --board B --image IMG [--size BYTES | --absent]
              [--virtual-timeout S] ELF

--size must be a power of two (QEMU refuses other card sizes) of at least
256 KiB; above 2 GiB QEMU's card is SDHC, up to it SDSC. The image is
sparse. --absent runs without an image (no card). --virtual-timeout runs
under icount with that limit of guest time (pica-run's options of the same
names). PICA_SD_SEED fixes the seed of the patterns (default: random,
printed).
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
MAGIC = b"PICASD01"
HOST_COUNT = 24
BOARD_COUNT = 40
GUARD = 3  # zero sectors after the board's region


def pattern(seed, sector):
    """Sector @sector of a pattern, as main.c's pattern() makes it."""
    out = bytearray(SECTOR)
    out[0:4] = struct.pack("<I", sector & 0xFFFFFFFF)
    out[4:8] = struct.pack("<I", seed & 0xFFFFFFFF)
    for i in range(8, SECTOR):
        out[i] = (sector * 131 + i * 7 + seed + (i >> 8) * 3) & 0xFF
    return bytes(out)


def region_hash(read, start, count):
    h = hashlib.sha256()
    for s in range(start, start + count):
        h.update(read(s))
    return h.hexdigest()


def make_image(path, size, seed):
    sectors = size // SECTOR
    plan = {
        "sectors": sectors,
        "seed": seed,
        "host_start": sectors // 2 + 5,
        "host_count": HOST_COUNT,
        "board_start": sectors - BOARD_COUNT - GUARD,
        "board_count": BOARD_COUNT,
    }
    with open(path, "wb") as f:
        f.truncate(size)
        f.seek(0)
        f.write(MAGIC + struct.pack("<7I", sectors, seed, plan["host_start"], HOST_COUNT,
                                    plan["board_start"], BOARD_COUNT, 1 if size > 2 << 30 else 0))
        f.seek(plan["host_start"] * SECTOR)
        for s in range(plan["host_start"], plan["host_start"] + HOST_COUNT):
            f.write(pattern(seed, s))
    return plan


def check_image(path, plan):
    """The problems found in the image after the run."""
    seed = plan["seed"]
    problems = []
    with open(path, "rb") as f:
        def read(s):
            f.seek(s * SECTOR)
            return f.read(SECTOR)

        board = (plan["board_start"], plan["board_count"])
        want = hashlib.sha256(b"".join(pattern(seed + 1, s)
                                       for s in range(board[0], board[0] + board[1]))).hexdigest()
        got = region_hash(read, *board)
        print(f"check_sd: board's region sha256 {got}")
        print(f"check_sd: expected        sha256 {want}")
        if got != want:
            bad = [s for s in range(board[0], board[0] + board[1]) if read(s) != pattern(seed + 1, s)]
            problems.append(f"the board's region differs in {len(bad)} sectors, first {bad[0]}")
        host = (plan["host_start"], plan["host_count"])
        if region_hash(read, *host) != hashlib.sha256(
                b"".join(pattern(seed, s) for s in range(host[0], host[0] + host[1]))).hexdigest():
            problems.append("the host's pattern changed")
        zero = bytes(SECTOR)
        around = [board[0] - 1] + list(range(board[0] + board[1], plan["sectors"]))
        around += [host[0] - 1, host[0] + host[1]]
        for s in around:
            if read(s) != zero:
                problems.append(f"sector {s}, outside both regions, was written")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--size", type=int, default=1 << 20)
    ap.add_argument("--absent", action="store_true")
    ap.add_argument("--virtual-timeout", metavar="S")
    ap.add_argument("elf")
    args = ap.parse_args()
    if args.size & (args.size - 1) or args.size < 256 << 10:
        sys.exit("check_sd: --size must be a power of two of at least 256 KiB")
    run = [sys.executable, os.path.join(ROOT, "tools", "pica-run"), "--board", args.board]
    if args.virtual_timeout:
        run += ["--icount", "--virtual-timeout", args.virtual_timeout]
    plan = None
    if not args.absent:
        seed = int(os.environ.get("PICA_SD_SEED", random.randrange(1 << 31)))
        os.makedirs(os.path.dirname(os.path.abspath(args.image)), exist_ok=True)
        plan = make_image(args.image, args.size, seed)
        print(f"check_sd: {args.size} byte image, seed {seed} (PICA_SD_SEED={seed} repeats it)")
        run += ["--sd", args.image]
    rc = subprocess.call(run + [args.elf])
    if rc != 0:
        print(f"check_sd: FAIL: the board's run ended with {rc}")
        return 1
    if plan is None:
        return 0
    problems = check_image(args.image, plan)
    for p in problems:
        print(f"check_sd: FAIL: {p}")
    if not problems:
        print("check_sd: the image holds what the board wrote, and only that")
        os.unlink(args.image)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
