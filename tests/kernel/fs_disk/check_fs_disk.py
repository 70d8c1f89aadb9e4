#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""picafs on a lasting disk, the host side (ctest qemu.fs_disk.<board>):
start from no image (semihosting: the board creates it) or a blank 1 MiB
one (virtio), run the board's run-1 image, then its run-2 image in a new
QEMU; then read the disk image here with tools/pica-fs, independently of
the board: fsck, and every file's bytes.

  check_fs_disk.py --board B --kind semihost|virtio --image FILE
                   [--virtual-timeout S] RUN1_ELF RUN2_ELF
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SECTOR = 512
SECTORS = 2048
RUN1_SIZE = 3000
failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1
        if detail:
            print("  " + detail.replace("\n", "\n  "))


def run_board(a, elf, what):
    cmd = [sys.executable, os.path.join(ROOT, "tools", "pica-run"), "--board", a.board,
           "--icount", "--virtual-timeout", str(a.virtual_timeout), "--expect-rc", "0"]
    if a.kind == "virtio":
        cmd += ["--virtio-blk", a.image]
    r = subprocess.run(cmd + [elf], capture_output=True, text=True)
    check(r.returncode == 0, f"{what} passed on the board", r.stdout[-1500:] + r.stderr[-500:])
    return r.returncode == 0


def tool(a, *args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "tools", "pica-fs"), a.image] +
                          list(args), capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--kind", choices=["semihost", "virtio"], required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--virtual-timeout", type=float, default=5)
    ap.add_argument("run1")
    ap.add_argument("run2")
    a = ap.parse_args()
    for path in (a.image, a.image + ".geo"):
        if os.path.exists(path):
            os.remove(path)
    if a.kind == "virtio":
        with open(a.image, "wb") as f:
            f.truncate(SECTOR * SECTORS)
    if not run_board(a, a.run1, "run 1 (format, write)") or \
            not run_board(a, a.run2, "run 2 (a new QEMU: read, change)"):
        return 1
    check(os.path.getsize(a.image) == SECTOR * SECTORS, "the image is 1 MiB")
    with open(a.image + ".geo", "w") as f:
        f.write(f"blocks {SECTORS}\nerase-size {SECTOR}\nprog-size {SECTOR}\n"
                f"read-size {SECTOR}\nerase-before-prog 0\nerased-value none\n")
    r = tool(a, "fsck")
    check(r.returncode == 0, "pica-fs fsck: the board's image is consistent",
          (r.stdout + r.stderr).decode(errors="replace"))
    want = bytes((i * 13 + 7 + (i >> 9)) & 0xFF for i in range(RUN1_SIZE))
    r = tool(a, "cat", "/run1.txt")
    check(r.returncode == 0 and r.stdout == want, "/run1.txt holds run 1's 3000 bytes",
          f"rc {r.returncode}, {len(r.stdout)} bytes")
    r = tool(a, "cat", "/run2.txt")
    check(r.stdout == b"run 2 saw run 1\n", "/run2.txt holds run 2's line")
    r = tool(a, "cat", "/d/g")
    check(r.stdout == b"written by run 1\n", "run 2 renamed /d/f to /d/g")
    r = tool(a, "cat", "/d/f")
    check(r.returncode != 0, "/d/f is gone")
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
