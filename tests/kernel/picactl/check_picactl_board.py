#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""picactl against a real board: `picactl boot` starts the demo image under
QEMU (in a folder of this run's own, PICA_BUILD), then every example of
apps/bpf-examples is loaded over the console line, attached, and its maps
read back and checked for values the board's activity must have produced:

- switch_count on `switch`: per-thread counts that add up to the total,
  for threads that exist, and growing between two reads;
- irq_hist on `irq:console`: one count per interrupt of the console's
  receive line, which picactl's own frames raise, so it grows with each
  request;
- syscall_filter on `syscall`: loaded, its rule written and read back
  (its refusals are checked with processes of its own in qemu.user-bpf);
- log_ratelimit on `log` and console_hotkey on `console`: loaded and their
  maps readable (the demo logs little and nobody types here);
- refusals: a program calling a helper its hook does not allow, one that
  stores outside its map, and one whose jump leaves the program (an ELF
  patched here), are refused with the instruction and the reason on
  picactl's stderr, and nothing is loaded;
- detach of each, then an empty list; `picactl stop` ends the board.
Exit 0 if all held; otherwise 1 with the reasons."""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PICACTL = os.path.join(ROOT, "tools", "picactl")

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


class Board:
    def __init__(self, board, env):
        self.board = board
        self.env = env

    def run(self, *args, ok=True):
        p = subprocess.run([sys.executable, PICACTL, *args], env=self.env, capture_output=True,
                           text=True)
        if ok and p.returncode != 0:
            raise SystemExit(f"picactl {' '.join(args)} failed ({p.returncode}): "
                             f"{p.stderr.strip()}")
        return p

    def json(self, *args):
        return json.loads(self.run(*args, "--json").stdout)

    def load(self, obj, hook, name=None):
        args = ["load", obj, "--attach", hook] + (["--name", name] if name else [])
        out = self.run(*args).stdout
        progs = self.json("list")
        mine = [p for p in progs if p["name"] == (name or p["name"])]
        return out, progs

    def entries(self, prog, m):
        return {e["key"]: e["value"] for e in self.json("map", "dump", f"{prog}/{m}")}


def prog_id(progs, name):
    for p in progs:
        if p["name"] == name:
            return p["id"]
    return None


def patch_jump_out_of_range(src, dst):
    """Copy the ELF @src to @dst with the first `exit` of its program section
    replaced by `ja +1000`: a jump past the end. Only the instruction bytes
    change, so the ELF stays valid and the verifier must catch it."""
    data = bytearray(open(src, "rb").read())
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    def sec(i):
        name, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        return name, typ, flags, off, size
    strtab_off = sec(shstrndx)[3]
    for i in range(shnum):
        name, typ, flags, off, size = sec(i)
        sname = data[strtab_off + name:data.index(0, strtab_off + name)].decode()
        if sname.startswith("pica/") and size >= 8:
            for at in range(off, off + size, 8):
                if data[at] == 0x95:  # exit
                    data[at:at + 8] = struct.pack("<BBhi", 0x05, 0, 1000, 0)  # ja +1000
                    open(dst, "wb").write(data)
                    return True
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--examples", required=True, help="folder of the built example objects")
    ap.add_argument("--trace-obj", required=True, help="a program calling trace_printk")
    ap.add_argument("--oob-obj", required=True, help="a program storing outside its map")
    args = ap.parse_args()
    ex = lambda n: os.path.join(args.examples, n + ".o")
    work = tempfile.mkdtemp(prefix="picactl-board-")
    env = dict(os.environ, PICA_BUILD=work)
    b = Board(args.board, env)
    started = False
    try:
        b.run("boot", args.board, "--image", args.image, "--icount")
        started = True

        # switch: per-thread counts that add up, and grow.
        b.run("load", ex("switch_count"), "--attach", "switch")
        progs = b.json("list")
        check(len(progs) == 1 and progs[0]["hook"] == "switch", "switch_count listed on switch")
        sw = progs[0]["id"]
        # The board runs on between two reads: a map read before another
        # holds at most what the later one counts, at least what an
        # earlier one did.
        total0 = b.entries(sw, "total").get(0, 0)
        counts = b.entries(sw, "counts")
        total1 = b.entries(sw, "total").get(0, 0)
        check(len(counts) >= 2, f"switches counted for {len(counts)} threads")
        check(total1 > total0 > 0, f"the total grows ({total0} then {total1})")
        check(total0 <= sum(counts.values()) <= total1,
              f"per-thread counts add up to the total ({total0} <= {sum(counts.values())} "
              f"<= {total1})")
        check(all(k > 0 for k in counts), "thread ids are never 0")

        # irq on the console's line: picactl's own frames raise it.
        b.run("load", ex("irq_hist"), "--attach", "irq:console")
        irq = prog_id(b.json("list"), "irq_hist")
        c1 = b.entries(irq, "state").get(0, 0)
        hist = b.entries(irq, "hist")
        c2 = b.entries(irq, "state").get(0, 0)
        check(c2 > c1 > 0, f"console interrupts counted and growing ({c1} then {c2})")
        check(c1 - 1 <= sum(hist.values()) <= c2 - 1,
              f"each interval between two interrupts lands in one bucket "
              f"({c1 - 1} <= {sum(hist.values())} <= {c2 - 1})")
        st = b.json("stats", str(irq))
        st = st[0] if isinstance(st, list) else st
        check(st["runs"] >= c2 and st["overruns"] == 0 and st["errors"] == 0,
              f"irq_hist ran {st['runs']} times without a fault")

        # syscall: loaded with its rule off; its exact refusals are checked
        # with processes made for it (qemu.user-bpf).
        b.run("load", ex("syscall_filter"), "--attach", "syscall")
        sf = prog_id(b.json("list"), "syscall_filter")
        b.run("map", "update", f"{sf}/rule", "0", "6")
        rule = b.entries(sf, "rule")
        check(rule == {0: 6, 1: 0, 2: 0}, f"its rule reads back as written: {rule}")
        check(b.entries(sf, "counts").get(0, 0) == 0, "nothing refused while the rule is off")

        # log and console: loaded, maps readable.
        b.run("load", ex("log_ratelimit"), "--attach", "log")
        lr = prog_id(b.json("list"), "log_ratelimit")
        check(set(b.entries(lr, "dropped")) == {0, 1, 2, 3, 4}, "log_ratelimit's map reads back")
        b.run("load", ex("console_hotkey"), "--attach", "console")
        ch = prog_id(b.json("list"), "console_hotkey")
        check(b.entries(ch, "count").get(0) == 0, "console_hotkey has seen no hotkey")

        # Refusals, with the instruction and reason on stderr.
        p = b.run("load", args.trace_obj, "--attach", "switch", ok=False)
        check(p.returncode != 0 and "trace_printk" in p.stderr and "insn " in p.stderr,
              f"a forbidden helper is refused: {p.stderr.strip()}")
        p = b.run("load", args.oob_obj, "--attach", "timer:10", ok=False)
        check(p.returncode != 0 and "insn " in p.stderr and "outside map" in p.stderr,
              f"an access outside a map is refused: {p.stderr.strip()}")
        bad = os.path.join(work, "jump.o")
        if check(patch_jump_out_of_range(ex("switch_count"), bad), "a jump out of range patched in"):
            p = b.run("load", bad, "--attach", "switch", ok=False)
            check(p.returncode != 0 and "insn " in p.stderr and "jump" in p.stderr,
                  f"a jump out of the program is refused: {p.stderr.strip()}")
        check(len(b.json("list")) == 5, "refused programs were not loaded")

        for prog in (sw, irq, sf, lr, ch):
            b.run("detach", str(prog))
        check(b.json("list") == [], "every program detached")
    finally:
        if started:
            b.run("stop", args.board, ok=False)
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
