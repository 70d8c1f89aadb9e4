#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the `make debug` path (tools/pica-run --debug), with gdb in
batch mode instead of a person at the prompt:
1. gdb stops with $pc at pica_reset, whose address comes from the symbol
   table (nm), not from gdb;
2. the image's symbols are loaded: a breakpoint on main is hit;
3. the console went to the log file (the banner printed before main is there);
4. the QEMU that pica-run started is gone when it returns.
"""
import argparse
import os
import re
import subprocess
import sys

from harness import ROOT, RUN, check, failures, summary, wall  # noqa: F401


def symbol_address(nm, elf, name):
    out = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16) & ~1  # Thumb functions have bit 0 set
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--nm", required=True, help="the toolchain's nm")
    ap.add_argument("--elf", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    log = os.path.join(a.work, "console.log")
    if os.path.exists(log):
        os.unlink(log)

    reset = symbol_address(a.nm, a.elf, "pica_reset")
    check(reset is not None, "the image has a pica_reset symbol")
    gdb_commands = [
        'printf "at-reset pc=%#lx\\n", (unsigned long)$pc',
        "break main",
        "continue",
        "info symbol $pc",
    ]
    cmd = RUN + ["--board", a.board, "--debug", "--batch", "--console-log", log]
    for c in gdb_commands:
        cmd += ["--gdb-ex", c]
    p = subprocess.Popen(cmd + [a.elf], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = p.communicate(timeout=wall(60))
    except subprocess.TimeoutExpired:
        # SIGTERM: the runner then stops its gdb and QEMU.
        p.terminate()  # the runner this script started, by its PID
        stdout, stderr = p.communicate()
        check(False, f"pica-run --debug --batch finished within {wall(60):g} s")
    print(stdout + stderr)
    check(p.returncode == 0, f"pica-run --debug --batch exits 0 (got {p.returncode})")
    m = re.search(r"at-reset pc=(0x[0-9a-f]+)", stdout)
    check(m is not None, "gdb printed $pc")
    if m and reset is not None:
        check(int(m.group(1), 16) == reset,
              f"$pc {m.group(1)} is pica_reset at {reset:#x} (from nm)")
    check(re.search(r"^main( \+ \d+)? in section", stdout, re.M) is not None,
          "the breakpoint on main is hit (symbols loaded)")
    try:
        with open(log, errors="replace") as f:
            console = f.read()
    except OSError:
        console = ""
    check(re.search(r"Pica \S+ on " + re.escape(a.board), console) is not None,
          "the banner went to the console log")
    m = re.search(r"QEMU \(pid (\d+)\)", stderr)
    check(m is not None, "pica-run names the QEMU it started")
    if m:
        check(not os.path.exists(f"/proc/{m.group(1)}"), "that QEMU is gone")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
