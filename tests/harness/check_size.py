#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of tools/pica-size on the images of one board's build tree:
1. every image's components add up to its flash and RAM totals;
2. the totals agree with the toolchain's `size` (flash = text + data,
   RAM = data + bss, except that `size` counts a TLS .tbss twice: once itself
   and once as .tbss_space, which only reserves the same addresses);
3. the attribution works: kernel, arch, drivers, libc and app are non-zero in
   hello.elf, the boot stack is the .boot_stack section, padding is small;
4. the table for the whole build directory prints.
"""
import argparse
import json
import os
import re
import subprocess
import sys

from harness import ROOT, check, summary

SIZE_TOOL = [sys.executable, os.path.join(ROOT, "tools", "pica-size")]


def toolchain_size(size, elf):
    """(text, data, bss) from Berkeley format, {section: size} from SysV format."""
    berkeley = subprocess.run([size, elf], capture_output=True, text=True, check=True).stdout
    text, data, bss = (int(v) for v in berkeley.splitlines()[1].split()[:3])
    sysv = subprocess.run([size, "-A", elf], capture_output=True, text=True, check=True).stdout
    sections = {}
    for line in sysv.splitlines():
        m = re.match(r"^(\.\S+)\s+(\d+)\s+\d+$", line)
        if m:
            sections[m.group(1)] = int(m.group(2))
    return text, data, bss, sections


def stacks_align(size, elf):
    """PICA_STACKS_ALIGN of the image (its memory.ld's, in the symbol table),
    or 0: the .stacks section's deliberate alignment padding."""
    nm = re.sub(r"size$", "nm", size)
    out = subprocess.run([nm, elf], capture_output=True, text=True).stdout
    m = re.search(r"^([0-9a-fA-F]+) A PICA_STACKS_ALIGN$", out, re.M)
    return int(m.group(1), 16) if m else 0


def process_align(size, elf):
    """{flash, ram}: the alignments of the image's user-process blocks
    (.pu.<name>.* sections, laid out for the MPU/PMP), the most padding each
    may need in front of it; and, for RAM, that of a .bss or .data aligned
    to 1 KiB or more by an object in it (a virtio queue wants its page)."""
    objdump = re.sub(r"size$", "objdump", size)
    out = subprocess.run([objdump, "-h", elf], capture_output=True, text=True).stdout
    align = {"flash": 0, "ram": 0}
    lines = out.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^\s*\d+\s+(\.bss|\.data)\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+2\*\*(\d+)", line)
        if m and int(m.group(2)) >= 10:
            align["ram"] += 1 << int(m.group(2))
        m = re.match(r"^\s*\d+\s+(\.pu\.\S+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+2\*\*(\d+)", line)
        if m:
            flags = lines[i + 1] if i + 1 < len(lines) else ""
            kind = "flash" if "READONLY" in flags else "ram"
            align[kind] += 1 << int(m.group(3))
    return align


def check_image(name, r, size):
    comps = r["components"]
    # Up to one alignment unit on each side of the stacks' section, and in
    # front of each user process's block.
    procs = process_align(size, r["elf"])
    deliberate = {"flash": procs["flash"], "ram": 2 * stacks_align(size, r["elf"]) + procs["ram"]}
    for kind in ("flash", "ram"):
        total = sum(c[kind] for c in comps.values())
        check(total == r[kind], f"{name}: components add up to {kind} ({total} vs {r[kind]})")
        check(all(c[kind] >= 0 for c in comps.values()), f"{name}: no negative {kind} share")
        pad = comps["pad"][kind]
        allowed = max(64, r[kind] // 20) + deliberate[kind]
        check(pad <= allowed, f"{name}: {kind} padding is small ({pad} <= {allowed})")
    text, data, bss, sections = toolchain_size(size, r["elf"])
    check(r["flash"] == text + data,
          f"{name}: flash {r['flash']} = size's text + data {text + data}")
    tls_twice = min(sections.get(".tbss", 0), sections.get(".tbss_space", 0))
    check(r["ram"] == data + bss - tls_twice,
          f"{name}: ram {r['ram']} = size's data + bss {data + bss} - {tls_twice}")
    check(comps["stack"]["ram"] == sections.get(".boot_stack", -1),
          f"{name}: stack is the .boot_stack section")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", required=True, help="the toolchain's size program")
    ap.add_argument("--hello", required=True, help="hello.elf of this board")
    ap.add_argument("--build-dir", required=True)
    a = ap.parse_args()

    p = subprocess.run(SIZE_TOOL + ["--json", a.build_dir], capture_output=True, text=True)
    check(p.returncode == 0, f"pica-size --json runs (rc {p.returncode}: {p.stderr.strip()})")
    results = json.loads(p.stdout) if p.returncode == 0 else {}
    check(os.path.abspath(a.hello) in {os.path.abspath(e) for e in results},
          "hello.elf is among the images of the build directory")
    for elf, r in results.items():
        r["elf"] = elf
        check_image(os.path.relpath(elf, a.build_dir), r, a.size)

    hello = next((r for e, r in results.items() if os.path.samefile(e, a.hello)), None)
    if hello:
        for comp in ("kernel", "arch", "drivers", "libc", "app"):
            check(hello["components"][comp]["flash"] > 0, f"hello.elf: {comp} flash > 0")
        check(hello["components"]["kernel"]["ram"] > 0, "hello.elf: kernel ram > 0")
        check(hello["components"]["test"]["flash"] == 0, "hello.elf: no test framework")

    p = subprocess.run(SIZE_TOOL + [a.build_dir], capture_output=True, text=True)
    check(p.returncode == 0 and re.search(r"apps/hello/hello\.elf\s+flash\s+\d+", p.stdout),
          "the table lists hello.elf with its flash total")
    p = subprocess.run(SIZE_TOOL + [os.path.join(a.build_dir, "no-such-dir")],
                       capture_output=True, text=True)
    check(p.returncode != 0, "a missing build directory is an error")

    return summary()


if __name__ == "__main__":
    sys.exit(main())
