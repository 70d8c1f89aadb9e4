#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host instructions per executed eBPF instruction, measured with callgrind.

For each benchmark kernel, runs bench_bpf under valgrind --tool=callgrind with
collection switched on only inside bpf_run(), subtracts the fixed per-run cost
(measured on the empty program) and divides by the eBPF instructions executed.
Usage: callgrind.py BENCH_BPF BENCH_OBJECT [RUNS]
"""
import os
import re
import subprocess
import sys
import tempfile

KERNELS = [("checksum", "Internet checksum, 360 bytes"), ("crc32", "CRC-32, 256 bytes"),
           ("bubble", "bubble sort, 32 x u32"), ("sum", "array sum, 256 x u32")]


def measure(bench, obj, section, runs):
    """Returns (host instructions inside bpf_run for all runs, eBPF insns per run)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=bpf_run",
                            "--callgrind-out-file=" + out, bench, obj, section, str(runs)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
        executed = int(p.stdout.split()[0])
        with open(out) as f:
            text = f.read()
    m = re.search(r"^(?:summary|totals):\s+(\d+)", text, re.M)
    return int(m.group(1)), executed


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    bench, obj = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    fixed_total, _ = measure(bench, "-", "-", runs)
    fixed = fixed_total / runs
    print("fixed cost per bpf_run (empty program, 2 insns): %.0f host instructions" % fixed)
    print("%-10s %-32s %10s %12s %10s" % ("kernel", "work", "eBPF/run", "host/run", "host/eBPF"))
    for name, what in KERNELS:
        total, executed = measure(bench, obj, "bench/" + name, runs)
        per_run = total / runs
        print("%-10s %-32s %10d %12.0f %10.2f" % (name, what, executed, per_run,
                                                  (per_run - fixed) / executed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
