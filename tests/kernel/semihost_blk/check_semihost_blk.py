#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The semihosting disk test's host side (ctest qemu.semihost_blk.<board>):
remove the host file, run the board's write image (run 1, which creates the
file), check the file here, run the board's check image in a new QEMU (run
2, which must find what run 1 wrote), and check the file again. The
pattern's hash is computed here, independently of Pica.

  check_semihost_blk.py --board B --image FILE [--virtual-timeout S] WRITE_ELF CHECK_ELF

FILE is the path the images were built with (SHB_IMAGE).
"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# As in main.c.
BLOCK = 512
BLOCKS = 2048
FIRST = 16
COUNT = 600
SEED = 0x5EED1234
MAGIC = b"PICASH01"
MASK = 0xFFFFFFFF


def pattern(block):
    x = (SEED ^ (block * 0x9E3779B1)) & MASK
    words = []
    for _ in range(BLOCK // 4):
        x = (x * 1664525 + 1013904223) & MASK
        words.append(x)
    return struct.pack(f"<{BLOCK // 4}I", *words)


def check_file(path, run):
    """The problems found in the file after run @run."""
    if not os.path.exists(path):
        return ["the board did not create the file"]
    problems = []
    size = os.path.getsize(path)
    if size != BLOCK * BLOCKS:
        problems.append(f"the file is {size} bytes, not {BLOCK * BLOCKS}")
    with open(path, "rb") as f:
        header = f.read(BLOCK)
        if header[:8] != MAGIC or struct.unpack("<I", header[8:12])[0] != run:
            problems.append(f"the header is {header[:12]!r}, not run {run}")
        f.seek(FIRST * BLOCK)
        got = hashlib.sha256(f.read(COUNT * BLOCK)).hexdigest()
        want = hashlib.sha256(b"".join(pattern(b) for b in range(FIRST, FIRST + COUNT))).hexdigest()
        print(f"check_semihost_blk: after run {run}: pattern sha256 {got}")
        if got != want:
            problems.append(f"the pattern's sha256 should be {want}")
        f.seek(BLOCK)
        if f.read((FIRST - 1) * BLOCK) != bytes((FIRST - 1) * BLOCK):
            problems.append("blocks before the pattern were written")
        f.seek((FIRST + COUNT) * BLOCK)
        if f.read() != bytes(BLOCK * BLOCKS - (FIRST + COUNT) * BLOCK):
            problems.append("blocks after the pattern were written")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--virtual-timeout", metavar="S")
    ap.add_argument("write_elf")
    ap.add_argument("check_elf")
    args = ap.parse_args()
    run = [sys.executable, os.path.join(ROOT, "tools", "pica-run"), "--board", args.board]
    if args.virtual_timeout:
        run += ["--icount", "--virtual-timeout", args.virtual_timeout]
    os.makedirs(os.path.dirname(os.path.abspath(args.image)), exist_ok=True)
    if os.path.exists(args.image):
        os.unlink(args.image)
    for n, elf in ((1, args.write_elf), (2, args.check_elf)):
        print(f"check_semihost_blk: run {n}: {os.path.basename(elf)}", flush=True)
        rc = subprocess.call(run + [elf])
        if rc != 0:
            print(f"check_semihost_blk: FAIL: run {n} ended with {rc}")
            return 1
        problems = check_file(args.image, n)
        for p in problems:
            print(f"check_semihost_blk: FAIL: after run {n}: {p}")
        if problems:
            return 1
    print("check_semihost_blk: the file kept what run 1 wrote through run 2")
    os.unlink(args.image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
