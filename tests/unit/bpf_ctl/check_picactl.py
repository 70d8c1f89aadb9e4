#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/picactl against picactl-simboard, a board on a unix socket whose
line also carries console text: every command and its --json output; a
program the verifier refuses (its message on stderr, status 1); an object
over the board's limit refused before any LOAD frame is sent; then many
loads of tests/bpf-progs/ctl.c through each line fault (drop, dup, corrupt,
reorder, all of them) in both directions, each of which must succeed, and
the board's log must show every load exactly once with the FNV-1a hash of
the file: nothing damaged is ever loaded, nothing is loaded twice. Last,
boot and stop with the simboard standing in for tools/pica-run.

    check_picactl.py --picactl TOOL --simboard EXE --objects DIR
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

failures = 0
RETRY = ["--retry", "0.05", "--timeout", "30"]
started = []  # (Popen) or (pid, socket) to end if a check breaks off


def expect(what, ok, result=None):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        failures += 1
        if result is not None:
            print(f"  status {result.returncode}\n  stdout {result.stdout[-600:]!r}"
                  f"\n  stderr {result.stderr[-600:]!r}")
    return ok


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


class Board:
    """One simboard process on its own socket."""

    def __init__(self, exe, work, name, *options):
        self.sock = os.path.join(work, name + ".sock")
        self.trace = os.path.join(work, name + ".trace")
        self.err = open(os.path.join(work, name + ".err"), "w")
        self.proc = subprocess.Popen([exe, "--socket", self.sock, "--trace", self.trace,
                                      *options], stderr=self.err)
        started.append(self.proc)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.sock) and time.monotonic() < deadline:
            time.sleep(0.02)

    def traced_types(self):
        """Request types the session has taken so far."""
        if not os.path.exists(self.trace):
            return []
        with open(self.trace) as f:
            return [int(line.split()[0], 16) for line in f if line.strip()]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.err.close()
        with open(self.err.name) as f:
            return self.proc.returncode, f.read().strip()


class Tool:
    def __init__(self, cmd, env):
        self.cmd, self.env = cmd, env

    def run(self, sock, *args, timeout=120):
        where = ["--socket", sock] if sock else []
        return subprocess.run(self.cmd + [str(a) for a in args] + where + RETRY, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)

    def json(self, sock, *args):
        r = self.run(sock, *args, "--json")
        try:
            return r, json.loads(r.stdout)
        except ValueError:
            return r, None


def one_line_error(r, pattern):
    return (r.returncode == 1 and r.stdout == "" and len(r.stderr.splitlines()) == 1
            and re.search(pattern, r.stderr) is not None)


def check_commands(tool, board, obj):
    s = board.sock
    r = tool.run(s, "load", obj, "--attach", "timer:100", "--name", "counter")
    expect("load prints the new id", r.returncode == 0 and r.stdout.strip().isdigit(), r)
    pid = r.stdout.strip()
    r, progs = tool.json(s, "list")
    expect("list --json names the program and its hook",
           progs is not None and [(p["name"], p["hook"], p["state"]) for p in progs]
           == [("counter", "timer:100", "attached")], r)
    r = tool.run(s, "list")
    expect("list prints a table", r.returncode == 0 and "counter" in r.stdout
           and r.stdout.startswith("ID"), r)
    r, st = tool.json(s, "stats", "counter")
    expect("stats PROG --json: one run at load",
           st is not None and st["runs"] == 1 and st["insns"] > 0 and st["errors"] == 0, r)
    r, st = tool.json(s, "stats")
    expect("stats --json: every program", st is not None and len(st) == 1, r)
    r, entries = tool.json(s, "map", "dump", "counter/counts")
    expect("map dump --json: integer keys and values", entries == [{"key": 1, "value": 1}], r)
    r, entries = tool.json(s, "map", "dump", f"{pid}/samples")
    want = {"key": 1, "value": "0100000000000000" + b"pica\0\0\0\0".hex()}
    expect("map dump --json: a 16-byte value in hex",
           entries is not None and len(entries) == 4 and want in entries, r)
    r = tool.run(s, "map", "update", "counter/counts", "5", "0x4d")
    r2, entries = tool.json(s, "map", "dump", "counter/#0")
    expect("map update, then dump by map number",
           r.returncode == 0 and entries is not None and {"key": 5, "value": 77} in entries, r2)
    r = tool.run(s, "map", "dump", "counter/counts")
    expect("map dump prints key: value", r.returncode == 0 and "5: 77" in r.stdout.splitlines(), r)
    r = tool.run(s, "map", "update", "counter/samples", "1", "00ff")
    expect("map update: a value of the wrong size is refused",
           one_line_error(r, "must be 16 bytes"), r)
    r = tool.run(s, "ringbuf", "counter/events", "--count", "1")
    expect("ringbuf --count 1: the record of the run at load",
           r.returncode == 0 and r.stdout.split() == [(0xc0ffee).to_bytes(8, "little").hex()
                                                      + (1).to_bytes(8, "little").hex()], r)
    r = tool.run(s, "map", "dump", "counter/events")
    expect("map dump of a ring buffer is refused", one_line_error(r, "ring buffer"), r)
    r = tool.run(s, "log")
    expect("log shows the load", r.returncode == 0 and f"loaded {pid} counter" in r.stdout, r)
    r = tool.run(s, "load", obj, "--section", "pica/ctl_print", "--attach", "irq:5")
    expect("a refused program: the verifier's message, status 1",
           one_line_error(r, r"^picactl: insn \d+ \(opcode 0x85 call\): helper trace_printk "
                             r"is not allowed at hook irq$"), r)
    r = tool.run(s, "load", obj, "--attach", "nosuch:1")
    expect("an unknown hook is refused", one_line_error(r, "no hook 'nosuch:1'"), r)
    r = tool.run(s, "detach", "nosuch")
    expect("detach of an unknown name is refused", one_line_error(r, "no program named"), r)
    r = tool.run(s, "detach", "counter")
    r2, progs = tool.json(s, "list")
    expect("detach by name", r.returncode == 0 and progs == [], r)
    r = tool.run(s, "stats", "99")
    expect("stats of a missing id: the board's message", one_line_error(r, "program 99"), r)


def check_oversize(tool, board, work):
    big = os.path.join(work, "big.o")
    with open(big, "wb") as f:
        f.write(b"\x7fELF" + bytes(64 * 1024))
    before = len(board.traced_types())
    r = tool.run(board.sock, "load", big, "--attach", "switch")
    loads = [t for t in board.traced_types()[before:] if 0x02 <= t <= 0x05]
    expect("an object over the board's limit is refused before any LOAD frame",
           one_line_error(r, "at most 65536 bytes") and loads == [], r)


def check_text_on_the_line(board):
    """The line does carry console text, which picactl must have ignored."""
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(board.sock)
    s.settimeout(5)
    data = b""
    deadline = time.monotonic() + 5
    while b"sim: tick" not in data and time.monotonic() < deadline:
        try:
            data += s.recv(4096)
        except OSError:
            break
    s.close()
    expect("the line carries console text between frames", b"sim: tick" in data)


def check_ringbuf_stream(tool, exe, work, obj):
    board = Board(exe, work, "stream", "--fire-ms", "10")
    tool.run(board.sock, "load", obj, "--attach", "timer:10", "--name", "ticker")
    r = tool.run(board.sock, "ringbuf", "ticker/events", "--count", "20")
    counters = [int.from_bytes(bytes.fromhex(line)[8:], "little") for line in r.stdout.split()]
    expect("ringbuf streams records in order as the program runs",
           r.returncode == 0 and counters == list(range(1, 21)), r)
    board.stop()


def check_faults(tool, exe, work, obj, data, kind, loads, seed):
    board = Board(exe, work, f"faults-{kind}", "--faults-in", kind, "--faults-out", kind,
                  "--rate", "0.002", "--seed", str(seed), "--text-ms", "20")
    done = 0
    start = time.monotonic()
    for i in range(loads):
        r = tool.run(board.sock, "load", obj, "--attach", "switch", "--name", f"n{i}")
        ok = r.returncode == 0 and r.stdout.strip().isdigit()
        if ok:
            r = tool.run(board.sock, "detach", r.stdout.strip())
            ok = r.returncode == 0
        if not ok:
            expect(f"{kind}: load {i}", False, r)
            break
        done += 1
    r, entries = tool.json(board.sock, "list")
    expect(f"{kind}: list --json through the faults", entries == [], r)
    r = tool.run(board.sock, "log")
    lines = re.findall(r"^loaded \d+ (\S+): (\d+) bytes fnv1a ([0-9a-f]{16})$", r.stdout, re.M)
    good = [n for n, size, h in lines if int(size) == len(data) and int(h, 16) == fnv1a(data)]
    expect(f"{kind}: {done}/{loads} loads in {time.monotonic() - start:.1f} s, each logged "
           f"once with the file's hash",
           done == loads and len(lines) == loads and good == [f"n{i}" for i in range(loads)], r)
    status, summary = board.stop()
    hits = re.search(r"faults in (\d+), out (\d+)", summary)
    expect(f"{kind}: faults were injected ({summary})",
           status == 0 and hits is not None and int(hits.group(1)) + int(hits.group(2)) > 0)


def check_boot_stop(cmd, exe, work, obj):
    build = os.path.join(work, "build")
    env = dict(os.environ, PICA_BUILD=build, PICACTL_RUNNER=f"{exe} --text-ms 20",
               PICA_BOARD="simb")
    tool = Tool(cmd, env)
    r = tool.run(None, "boot", "simb", "--image", obj)
    state_file = os.path.join(build, "simb", "picactl.json")
    expect("boot starts the runner and waits for HELLO",
           r.returncode == 0 and os.path.exists(state_file), r)
    if not os.path.exists(state_file):
        return
    with open(state_file) as f:
        state = json.load(f)
    started.append((state["pid"], state["socket"]))
    r = tool.run(None, "list")
    expect("commands find the booted board's socket by themselves", r.returncode == 0, r)
    r = tool.run(None, "boot", "simb", "--image", obj)
    expect("a second boot of a running board is refused", one_line_error(r, "running already"), r)
    time.sleep(0.1)
    with open(state["console_log"], "rb") as f:
        expect("headless: console text goes to the log file", b"sim: tick" in f.read())
    r = tool.run(None, "stop")
    gone = False
    for _ in range(100):
        try:
            os.kill(state["pid"], 0)
            with open(f"/proc/{state['pid']}/stat") as f:
                gone = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except (ProcessLookupError, FileNotFoundError):
            gone = True
        if gone:
            break
        time.sleep(0.05)
    expect("stop ends the recorded PID and removes the state",
           r.returncode == 0 and gone and not os.path.exists(state_file), r)
    r = tool.run(None, "stop")
    expect("stop with nothing started says so", one_line_error(r, "no board started"), r)


def end(p):
    """Kill what this script started if it still runs, never a reused PID."""
    if isinstance(p, subprocess.Popen):
        if p.poll() is None:
            p.kill()
            p.wait()
        return
    pid, sock = p
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if sock.encode() in f.read().split(b"\0"):
                os.kill(pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--picactl", required=True)
    ap.add_argument("--simboard", required=True)
    ap.add_argument("--objects", required=True)
    args = ap.parse_args()
    obj = os.path.join(args.objects, "ctl.o")
    with open(obj, "rb") as f:
        data = f.read()
    cmd = [sys.executable, args.picactl]
    with tempfile.TemporaryDirectory(prefix="picactl-") as work:
        env = dict(os.environ, PICA_BUILD=os.path.join(work, "build"))
        tool = Tool(cmd, env)
        try:
            board = Board(args.simboard, work, "plain", "--text-ms", "10")
            check_commands(tool, board, obj)
            check_oversize(tool, board, work)
            check_text_on_the_line(board)
            board.stop()
            check_ringbuf_stream(tool, args.simboard, work, obj)
            for seed, kind in enumerate(["drop", "dup", "corrupt", "reorder", "all"]):
                check_faults(tool, args.simboard, work, obj, data, kind,
                             20 if kind == "all" else 8, seed + 1)
            check_boot_stop(cmd, args.simboard, work, obj)
        finally:
            for p in started:
                end(p)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
