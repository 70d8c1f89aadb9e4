#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The block layout of tools/pica-user-layout against lib/region.h's
region_pmsav7_layout(): the same size, alignment and waste for every
length from 1 to 8192, around every power of two up to 2 GB, and a
spread of others; and for each, that one region with subregion disables
covers the block exactly (an independent check of the rule).

    check_user_layout.py LAYOUT_C_PROGRAM PICA_USER_LAYOUT
"""
import importlib.machinery
import importlib.util
import random
import subprocess
import sys


def load_tool(path):
    loader = importlib.machinery.SourceFileLoader("pica_user_layout", path)
    spec = importlib.util.spec_from_loader("pica_user_layout", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def covers_exactly(length, size, align):
    """One region of `align` bytes at an aligned base, with whole eighths
    disabled from 256 bytes on, spans exactly `size` >= length bytes."""
    if size < length or align < 32 or align & (align - 1):
        return False
    if align < 256:
        return size == align
    sub = align // 8
    return size % sub == 0 and size <= align


def main():
    prog, tool_path = sys.argv[1], sys.argv[2]
    tool = load_tool(tool_path)
    lengths = list(range(1, 8193))
    for k in range(5, 32):
        lengths += [(1 << k) - 1, 1 << k, (1 << k) + 1, (1 << k) + (1 << k) // 8 + 1]
    rng = random.Random(13)
    lengths += [rng.randrange(1, 1 << 31) for _ in range(5000)]
    lengths.append(1 << 31)
    lengths = [n for n in lengths if n <= 1 << 31]  # a larger block needs a 4 GB region
    out = subprocess.run([prog], input="\n".join(map(str, lengths)) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    failures = 0
    for line in filter(None, out):
        fields = line.split()
        length = int(fields[0])
        if fields[1] == "error":
            print(f"C refuses {length}: {fields[2]}")
            failures += 1
            continue
        c = tuple(int(f) for f in fields[1:])
        py = tool.pmsav7_layout(length)
        if c != py:
            print(f"len {length}: C (size, align, waste) {c}, python {py}")
            failures += 1
        elif not covers_exactly(length, c[0], c[1]):
            print(f"len {length}: {c} is not one region's exact cover")
            failures += 1
    checked = len([line for line in out if line])
    if checked != len(lengths):
        print(f"the C program answered {checked} of {len(lengths)} lengths")
        failures += 1
    for bad in (0, (1 << 31) + 1):
        try:
            tool.pmsav7_layout(bad)
            print(f"python lays out {bad}, which C refuses")
            failures += 1
        except tool.LayoutError:
            pass
    print(f"{len(lengths)} lengths, {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
