#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of `make run` (tools/pica-run --interactive) on a pseudo-terminal,
as a person at a terminal would use it:
1. the banner and the demo's prompt appear;
2. the runner puts the terminal in raw mode, so keys go to the guest one by
   one: the shell's echo command typed with Enter (\\r) prints its words;
3. Ctrl-] ends the session promptly with status 0;
4. the terminal's settings are restored afterwards.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import termios
import time

from harness import ROOT, RUN, check, failures, summary, wall  # noqa: F401


class Screen:
    """What the runner has written to the terminal so far."""

    def __init__(self, fd):
        self.fd = fd
        self.text = ""

    def wait_for(self, needle, seconds):
        deadline = time.monotonic() + seconds
        while needle not in self.text:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.text += os.read(self.fd, 4096).decode("utf-8", "replace")
                except OSError:
                    return False
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True, help="the demo image (the shell)")
    a = ap.parse_args()

    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(RUN + ["--board", a.board, "--interactive", "--timeout", "0", a.elf],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    screen = Screen(master)
    try:
        check(screen.wait_for("pica> ", wall(30)), "the demo's prompt appears")
        check(f"on {a.board}:" in screen.text, "the banner names the board")
        check("press Ctrl-] to quit" in screen.text, "the runner says how to quit")
        attrs = termios.tcgetattr(slave)
        check(not attrs[3] & (termios.ICANON | termios.ECHO),
              "the terminal is in raw mode during the session")
        os.write(master, b"echo hello over a pty\r")
        check(screen.wait_for("\nhello over a pty", wall(15)), "the shell ran the typed line")
        # Other threads' output may have hidden and redrawn the line while
        # it was typed, and a user process's lines are written without
        # hiding it (docs/shell.md): the keys' echo starts at the prompt, and
        # the whole line is on the screen once.
        shown = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", screen.text).replace("\r", "")
        check("pica> echo" in shown and "hello over a pty" in shown,
              "each key reached the guest as it was typed")
        check(screen.wait_for("pica> ", wall(5)), "a new prompt follows")
        os.write(master, b"caps rogue\r")
        check(screen.wait_for("slots used", wall(15)), "caps lists a process's slots")
        os.write(master, b"\x1d")
        start = time.monotonic()
        try:
            rc = proc.wait(timeout=wall(10))
        except subprocess.TimeoutExpired:
            rc = None
        took = time.monotonic() - start
        check(rc == 0, f"Ctrl-] ends the runner with status 0 (got {rc})")
        check(rc is not None and took < wall(5), f"promptly ({took:.1f} s)")
        check(termios.tcgetattr(slave) == before, "the terminal settings are restored")
    finally:
        if proc.poll() is None:
            # SIGTERM first: the runner then restores the terminal and stops
            # its QEMU; SIGKILL would leave that QEMU behind.
            proc.terminate()  # the runner this script started, by its PID
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        os.close(master)
        os.close(slave)
    if failures:
        print("---- the terminal showed ----\n" + screen.text.replace("\r", "")[-2000:])
    return summary()


if __name__ == "__main__":
    sys.exit(main())
