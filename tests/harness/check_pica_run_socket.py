#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of tools/pica-run --socket, the console line shared by text and a
host client's frames, with fake_qemu.py standing in for QEMU (no board):
1. the splitter (tools/pica_console.py) parts text from frames however the
   bytes are cut into reads, restarts a frame at 0xFE, drops a frame longer
   than 4096 bytes and then reads text again, and drops a lone 0xFF;
2. --headless: the log holds exactly the text, the client exactly the
   frames, the runner's own stdin is not read, the client's frames reach the
   guest whole and in order and its other bytes (and too long frames) do
   not; a second client is turned away, a second runner on the same socket
   is refused, SIGTERM ends the runner with 0, its QEMU, and the socket;
3. a socket file left by a runner that has gone is taken over; any other
   file at the path is refused and left alone;
4. scripted mode: the output stream and --expect see only the text, and
   --send-after still types;
5. --interactive on a pseudo-terminal: the terminal shows exactly the text,
   the runner says where the socket is, and frames sent in pieces while
   keys are typed come back whole and in order, the keys all echoed.
"""
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import time

from harness import ROOT, RUN, check, failures, summary, wall  # noqa: F401
import fake_qemu
from fake_qemu import SCRIPT, SCRIPT_FRAMES, SCRIPT_TEXT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import pica_console  # noqa: E402

FAKE = os.path.abspath(fake_qemu.__file__)
FAKE_RUN = ["--board", "mps2-an386", "--qemu-override", f"{sys.executable} {FAKE}"]


def frame(body):
    return b"\xfe" + body + b"\xff"


def split_all(pieces):
    """Feed @pieces to a fresh splitter; the text and frames that come out."""
    splitter = pica_console.FrameSplitter()
    text, frames = b"", []
    for piece in pieces:
        t, f = splitter.feed(piece)
        text += t
        frames += f
    return text, frames


def check_splitter():
    stream = b"".join(SCRIPT)
    want = (SCRIPT_TEXT, SCRIPT_FRAMES)
    check(split_all([stream]) == want, "splitter: the fake's script in one read")
    check(split_all([bytes([b]) for b in stream]) == want, "splitter: one byte per read")
    cuts = [n for n in range(1, len(stream))]
    bad = [n for n in cuts if split_all([stream[:n], stream[n:]]) != want]
    check(not bad, f"splitter: the same cut into two reads at each of {len(cuts)} points "
          f"(wrong at {bad[:5]})")
    check(split_all([b"plain text \xe2\x9c\x93\r\n"]) == (b"plain text \xe2\x9c\x93\r\n", []),
          "splitter: UTF-8 text passes unchanged")
    check(split_all([b"a\xfeone\xfetwo\xffb"]) == (b"ab", [frame(b"two")]),
          "splitter: a 0xFE inside a frame restarts it")
    most = frame(b"q" * (pica_console.FRAME_MAX - 2))
    check(split_all([most, b"after"]) == (b"after", [most]),
          "splitter: a frame of exactly FRAME_MAX bytes passes")
    long = b"\xfe" + b"q" * (pica_console.FRAME_MAX - 1)
    check(split_all([long, b"back\xff to text", frame(b"ok")]) == (b"back to text", [frame(b"ok")]),
          "splitter: a frame one byte too long is dropped, then text and frames again")
    check(split_all([b"x\xffy"]) == (b"xy", []), "splitter: a lone 0xFF is dropped")


class Client:
    """A host client on the runner's socket, reading frames as picactl will."""

    def __init__(self, path, seconds=10):
        deadline = time.monotonic() + wall(seconds)
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.buf = b""
        self.stray = b""  # anything outside frames: there should be none

    def send(self, *pieces):
        for piece in pieces:
            self.sock.sendall(piece)
            time.sleep(0.02)

    def frames(self, count, seconds=10):
        """The next @count frames, or fewer if they do not come in time."""
        got = []
        deadline = time.monotonic() + wall(seconds)
        while len(got) < count:
            while b"\xff" in self.buf and len(got) < count:
                head, self.buf = self.buf.split(b"\xff", 1)
                start = head.rfind(b"\xfe")
                self.stray += head[:max(start, 0)] if start >= 0 else head
                if start >= 0:
                    got.append(head[start:] + b"\xff")
            if len(got) == count:
                break
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                break
            data = self.sock.recv(65536)
            if not data:
                break
            self.buf += data
        return got

    def is_closed_by_peer(self, seconds=5):
        if not select.select([self.sock], [], [], wall(seconds))[0]:
            return False
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()


def wait_for(read, needle, seconds):
    """Poll @read() until its result holds @needle; that result."""
    deadline = time.monotonic() + wall(seconds)
    while True:
        text = read()
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def is_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def stop(proc):
    """End a runner this script started (by its PID), if still running."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=wall(5))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def echo_round(client, names):
    """Send frames named @names, each in three pieces; their echoes."""
    for name in names:
        client.send(b"\xfe" + name[:3], name[3:], b"\xff")
    return client.frames(len(names))


def check_one_client(sock, log, client):
    """One client at a time and one runner per socket; @client, connected
    to a runner that serves @sock, is closed at the end."""
    other = Client(sock)
    check(other.is_closed_by_peer(), "headless: a second client is turned away")
    other.close()
    second = subprocess.run(RUN + FAKE_RUN + [FAKE, "--headless", "--socket", sock,
                                              "--console-log", log + ".2"],
                            capture_output=True, timeout=wall(20))
    check(second.returncode != 0 and b"already serving" in second.stderr,
          f"headless: a second runner on the socket is refused ({second.stderr.strip()!r})")
    check(echo_round(client, [b"still-here"]) == [frame(b"still-here")],
          "headless: the first runner still serves its client")
    client.close()
    client = Client(sock)
    check(echo_round(client, [b"again"]) == [frame(b"again")],
          "headless: a new client replaces one that has gone")
    check(client.stray == b"", f"headless: the client gets nothing between frames "
          f"({client.stray[:40]!r})")
    client.close()


def check_sigterm(runner, fake_pid, sock):
    """SIGTERM ends a --headless runner with 0, its QEMU and its socket."""
    runner.send_signal(signal.SIGTERM)  # the runner this script started
    try:
        rc = runner.wait(timeout=wall(10))
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, f"headless: SIGTERM ends the runner with 0 (got {rc})")
    deadline = time.monotonic() + wall(5)
    while is_alive(fake_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    check(not is_alive(fake_pid), "headless: ... and its QEMU")
    check(not os.path.exists(sock), "headless: ... and removes the socket")


def check_headless(tmp):
    sock, log = os.path.join(tmp, "h.sock"), os.path.join(tmp, "h.log")
    runner = subprocess.Popen(RUN + FAKE_RUN + [FAKE, "--headless", "--icount",
                                                "--socket", sock, "--console-log", log],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        runner.stdin.write(b"not-for-the-guest\r")
        runner.stdin.flush()
        client = Client(sock)
        head = wait_for(lambda: read_file(log), b"\r\n", 10)
        check(b" -icount " in head, "headless: --icount reaches QEMU's command line")
        fake_pid = int(head.split(b"pid ")[1].split()[0])
        # Too long, then bytes between frames: neither reaches the guest.
        client.send(b"\xfe" + b"z" * 5000 + b"\xff", b"garbage", b"\xfesta", b"rt\xff")
        got = client.frames(len(SCRIPT_FRAMES))
        check(got == SCRIPT_FRAMES, f"headless: the client gets exactly the guest's frames "
              f"({[len(f) for f in got]} bytes)")
        text = wait_for(lambda: read_file(log), b"done\r\n", 10)
        body = text.split(b"\r\n", 1)[1]
        check(body == SCRIPT_TEXT, f"headless: the log holds exactly the text ({body[:80]!r}...)")
        names = [f"echo-{n}".encode() for n in range(20)]
        check(echo_round(client, names) == [frame(n) for n in names],
              "headless: the client's frames reach the guest whole and in order")
        text = read_file(log)
        check(b"not-for-the-guest" not in text, "headless: the runner's stdin is not read")
        check(b"garbage" not in text and b"zzz" not in text and b"fake-qemu:" not in text,
              "headless: bytes outside the client's frames and too long ones are dropped")

        check_one_client(sock, log, client)
        check_sigterm(runner, fake_pid, sock)
    finally:
        stop(runner)


def check_socket_path(tmp):
    sock = os.path.join(tmp, "stale.sock")
    old = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old.bind(sock)
    old.close()  # a socket file nobody listens on, as a killed runner leaves
    runner = subprocess.Popen(RUN + FAKE_RUN + [FAKE, "--headless", "--socket", sock,
                                                "--console-log", os.path.join(tmp, "s.log")],
                              stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        client = Client(sock)
        check(echo_round(client, [b"stale"]) == [frame(b"stale")],
              "socket path: a stale socket file is replaced")
        client.close()
        runner.send_signal(signal.SIGINT)  # the runner this script started
        check(runner.wait(timeout=wall(10)) == 0, "socket path: SIGINT ends --headless with 0")
    finally:
        stop(runner)
    plain = os.path.join(tmp, "plain")
    with open(plain, "w") as f:
        f.write("mine")
    refused = subprocess.run(RUN + FAKE_RUN + [FAKE, "--headless", "--socket", plain],
                             capture_output=True, timeout=wall(20))
    check(refused.returncode != 0 and b"not a socket" in refused.stderr
          and read_file(plain) == b"mine", "socket path: another kind of file is refused, kept")


def check_scripted(tmp):
    sock = os.path.join(tmp, "p.sock")
    runner = subprocess.Popen(RUN + FAKE_RUN + [FAKE, "--socket", sock, "--timeout", "30",
                                                "--send-after", "done", "typed\\r",
                                                "--expect-rc", str(fake_qemu.BYE_STATUS),
                                                "--expect", "stray  end", "--reject", "frame-"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        client = Client(sock)
        client.send(frame(b"start"))
        check(client.frames(len(SCRIPT_FRAMES)) == SCRIPT_FRAMES,
              "scripted: the client gets exactly the guest's frames")
        time.sleep(0.3)  # let --send-after type first
        client.send(frame(b"bye"))
        out, err = runner.communicate(timeout=wall(20))
        body = out.split(b"\n", 1)[1]
        want = SCRIPT_TEXT.replace(b"\r\n", b"\n") + b"typed\rbye\n"
        check(body == want, f"scripted: the output is exactly the text ({body[-40:]!r})")
        check(runner.returncode == 0, f"scripted: the expectations saw only the text "
              f"(status {runner.returncode}, {err.strip()[-200:]!r})")
    finally:
        stop(runner)


def type_while_sending(master, client):
    """Send frames in two pieces each, typing a key on the terminal @master
    before, between and after the pieces. Returns the frames' bodies and
    the keys typed."""
    names, keys = [], b""
    for n in range(20):
        name = f"while-typing-{n}".encode()
        names.append(name)
        key = b"abcdefghijklmnopqrst"[n:n + 1]
        for piece in (b"\xfe" + name[:7], name[7:] + b"\xff"):
            os.write(master, key)
            keys += key
            client.send(piece)
        os.write(master, b"-")
        keys += b"-"
    return names, keys


def check_interactive(tmp):
    sock, err_path = os.path.join(tmp, "i.sock"), os.path.join(tmp, "i.err")
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    with open(err_path, "wb") as err:
        runner = subprocess.Popen(RUN + FAKE_RUN + [FAKE, "--interactive", "--socket", sock],
                                  stdin=slave, stdout=slave, stderr=err, start_new_session=True)
    screen = [b""]

    def read_screen():
        while select.select([master], [], [], 0.05)[0]:
            screen[0] += os.read(master, 65536)
        return screen[0]

    try:
        client = Client(sock)
        client.send(frame(b"start"))
        check(client.frames(len(SCRIPT_FRAMES)) == SCRIPT_FRAMES,
              "interactive: the client gets exactly the guest's frames")
        shown = wait_for(read_screen, b"done\r\n", 10)
        check(shown.split(b"\r\n", 1)[1] == SCRIPT_TEXT,
              f"interactive: the terminal shows exactly the text ({shown[-60:]!r})")
        names, keys = type_while_sending(master, client)
        got = client.frames(len(names))
        check(got == [frame(n) for n in names],
              f"interactive: frames sent while keys are typed arrive whole and in order "
              f"({len(got)} of {len(names)})")
        shown = wait_for(read_screen, keys, 10)
        typed = shown.split(b"done\r\n", 1)[1]
        check(typed == keys, f"interactive: every key reached the guest, none inside a frame "
              f"({typed[:60]!r})")
        check(b"\xfe" not in shown and b"\xff" not in shown,
              "interactive: no frame byte reaches the terminal")
        client.close()
        os.write(master, b"\x1d")
        try:
            rc = runner.wait(timeout=wall(10))
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, f"interactive: Ctrl-] ends the runner with 0 (got {rc})")
        check(f"connect at {sock}".encode() in read_file(err_path),
              "interactive: the runner says where the socket is")
        check(not os.path.exists(sock), "interactive: the socket is removed at the end")
        check(termios.tcgetattr(slave) == before, "interactive: the terminal is restored")
    finally:
        stop(runner)
        os.close(master)
        os.close(slave)


def main():
    check_splitter()
    with tempfile.TemporaryDirectory(prefix="pica-run-socket-") as tmp:
        check_headless(tmp)
        check_socket_path(tmp)
        check_scripted(tmp)
        check_interactive(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
