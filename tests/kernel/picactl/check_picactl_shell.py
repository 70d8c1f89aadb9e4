#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""picactl beside a person at the console, as with `make run` in one
terminal and picactl in another: tools/pica-run --interactive --socket on a
pseudo-terminal, the demo's shell on it.
1. a program loaded by picactl shows in the shell's `bpf list`, `bpf stats`,
   `bpf maps`, `bpf dump` and `bpf hooks`;
2. in the middle of a load of a large object (picactl's own protocol code
   sends half of its frames, then waits), a line typed at the shell is
   answered, and the load then completes: program and shell share the line;
3. no frame byte (0xFE, 0xFF) ever reaches the terminal;
4. `bpf detach` frees the programs: picactl's list is empty after.
"""
import argparse
import importlib.machinery
import importlib.util
import json
import struct
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "harness"))
from harness import ROOT, RUN, check, failures, summary, wall  # noqa: E402,F401
from check_interactive import Screen  # noqa: E402

PICACTL = [sys.executable, os.path.join(ROOT, "tools", "picactl")]


def picactl_module():
    """tools/picactl as a module, for its Link (the framed protocol)."""
    path = os.path.join(ROOT, "tools", "picactl")
    loader = importlib.machinery.SourceFileLoader("picactl", path)
    spec = importlib.util.spec_from_loader("picactl", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def plain(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).replace("\r", "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True, help="the demo image")
    ap.add_argument("--small", required=True, help="a small example object (switch_count.o)")
    ap.add_argument("--large", required=True, help="an object of many frames")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="picactl-shell-")
    sock = os.path.join(work, "console.sock")
    ctl = PICACTL + ["--socket", sock]
    master, slave = os.openpty()
    proc = subprocess.Popen(RUN + ["--board", a.board, "--interactive", "--timeout", "0",
                                   "--socket", sock, a.elf],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    screen = Screen(master)

    def shell(line, expect, seconds=20):
        """Type @line; wait until @expect shows in what follows it."""
        mark = len(screen.text)
        os.write(master, line.encode() + b"\r")
        deadline = time.monotonic() + wall(seconds)
        while expect not in screen.text[mark:] and time.monotonic() < deadline:
            screen.wait_for("\0never", min(0.2, max(0.0, deadline - time.monotonic())))
        return expect in screen.text[mark:], plain(screen.text[mark:])

    try:
        check(screen.wait_for("pica> ", wall(60)), "the demo's prompt appears")
        p = subprocess.run(ctl + ["load", a.small, "--attach", "switch"], capture_output=True,
                           text=True, timeout=wall(120))
        check(p.returncode == 0 and p.stdout.strip().isdigit(),
              f"picactl loads switch_count ({p.stdout.strip()} {p.stderr.strip()})")
        pid = p.stdout.strip()
        ok, out = shell("bpf list", "programs,")
        check(ok and re.search(rf"^\s*{pid} switch_count\s+switch\s+kernel", out, re.M),
              "bpf list shows it on switch, loaded by the kernel side")
        ok, out = shell(f"bpf stats {pid}", "max")
        runs = re.search(rf"^\s*{pid}\s+(\d+)\s+(\d+)\s+0\s+0", out, re.M)
        check(ok and runs and int(runs.group(1)) > 0, "bpf stats: runs, no overrun, no error")
        ok, out = shell(f"bpf maps {pid}", "entries")
        check(ok and "counts" in out and "hash" in out and "total" in out and "array" in out,
              "bpf maps lists its hash and its array")
        ok, out = shell(f"bpf dump {pid} total", "entries")
        total = re.search(r"^0: (\d+)", out, re.M)
        check(ok and total and int(total.group(1)) > 0, f"bpf dump reads the total: {out!r}")
        ok, out = shell("bpf hooks", "run stacks")
        check(ok and re.search(r"^switch\s+1\s+\d+", out, re.M), "bpf hooks: one on switch")

        # Half a load, a line typed at the shell, the other half.
        pc = picactl_module()
        data = open(a.large, "rb").read()
        link = pc.Link(sock, 0.5, wall(30))
        link.call(pc.LOAD_BEGIN, struct.pack("<III", len(data), pc.zlib.crc32(data), 0)
                  + pc.text("timer:1000", pc.HOOK_MAX, "hook") + pc.text("", pc.SECTION_MAX, "s")
                  + pc.text("large", pc.NAME_MAX, "name"))
        chunk = link.hello["max_payload"] - 4
        offsets = list(range(0, len(data), chunk))
        half = len(offsets) // 2
        for off in offsets[:half]:
            link.call(pc.LOAD_DATA, struct.pack("<I", off) + data[off:off + chunk])
        ok, _ = shell("echo typed while loading", "\ntyped while loading", 60)
        if not check(ok and half >= 10,
                     f"a line typed after {half} of {len(offsets)} frames is answered"):
            print(repr(plain(screen.text[-1500:])))
        for off in offsets[half:]:
            link.call(pc.LOAD_DATA, struct.pack("<I", off) + data[off:off + chunk])
        big = str(link.call(pc.LOAD_END).num("I"))
        link.close()
        check(big.isdigit() and int(big) > 0, f"the load then completes: program {big}")

        # The screen is decoded as UTF-8: a 0xFE or 0xFF would show as U+FFFD.
        check("\ufffd" not in screen.text, "no frame byte on the terminal")
        for prog in (pid, big):
            ok, out = shell(f"bpf detach {prog}", f"program {prog} detached")
            if not check(ok, f"bpf detach {prog}"):
                print(repr(out[-800:]))
        p = subprocess.run(ctl + ["list", "--json"], capture_output=True, text=True,
                           timeout=wall(60))
        check(p.returncode == 0 and json.loads(p.stdout) == [], "picactl's list is empty after")
    finally:
        os.write(master, b"\x1d")
        try:
            proc.wait(timeout=wall(15))
        except subprocess.TimeoutExpired:
            proc.kill()  # the runner this test started, by its PID
            proc.wait()
        os.close(master)
        os.close(slave)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
