# SPDX-License-Identifier: MIT
"""The console line that tools/pica-run shares between a person and a host
client (picactl, through --socket). Both directions carry text and frames:
0xFE, a body in which 0xFE and 0xFF never occur, 0xFF. UTF-8 text never uses
those two bytes, so the runner splits them apart without reading bodies.
FrameSplitter separates them, GuestInput keeps writes to QEMU whole,
FrameSocket serves the client and Console ties them to one QEMU.
"""
import collections
import os
import re
import select
import socket
import stat
import sys

# Frames on the console line (--socket): 0xFE, a body without 0xFE or 0xFF,
# 0xFF. FRAME_MAX counts both ends; it is Linux's PIPE_BUF, so a frame is
# one write to QEMU's stdin, which a pipe takes whole or not at all.
FRAME_START = 0xFE
FRAME_END = 0xFF
FRAME_MAX = 4096
FRAME_DELIMITER = re.compile(rb"[\xfe\xff]")
# Bytes held for a client slow to read (further frames are dropped), and
# bytes waiting for QEMU's stdin before the client is read no further.
CLIENT_BACKLOG = 1 << 20
GUEST_BACKLOG = 1 << 16


class FrameSplitter:
    """Splits a byte stream into text and frames. A 0xFE inside a frame starts
    it afresh (the sender gave up on the first). A frame that cannot end
    within FRAME_MAX bytes is dropped, up to the byte that overflowed it, and
    what follows is text again: a sender that stops mid-frame cannot swallow
    the console. A 0xFF outside a frame (the tail of a dropped one) is
    dropped too. Frames may arrive in any number of pieces."""

    def __init__(self):
        self.frame = None  # the frame so far, from its 0xFE; None in text

    def feed(self, data):
        """The text in @data and the list of frames it completes."""
        text, frames = bytearray(), []
        pos = 0
        while pos < len(data):
            found = FRAME_DELIMITER.search(data, pos)
            end = found.start() if found else len(data)
            if self.frame is None:
                text += data[pos:end]
            elif end - pos > FRAME_MAX - 1 - len(self.frame):
                pos += FRAME_MAX - len(self.frame)  # no room left for the 0xFF
                self.frame = None
                continue
            else:
                self.frame += data[pos:end]
            if found is None:
                break
            if data[end] == FRAME_START:
                self.frame = bytearray([FRAME_START])
            elif self.frame is not None:
                self.frame.append(FRAME_END)
                frames.append(bytes(self.frame))
                self.frame = None
            pos = end + 1
        return bytes(text), frames


class GuestInput:
    """Bytes on their way to QEMU's stdin, as whole writes in order: a key
    press, a --send-after reply or a client's frame. One is written only
    after the one before it has gone, so nothing lands inside a frame. The
    pipe is non-blocking: while the guest does not read, writes wait here and
    the console output keeps flowing."""

    def __init__(self, fd):
        self.fd = fd
        os.set_blocking(fd, False)
        self.writes = collections.deque()
        self.size = 0

    def fileno(self):
        return self.fd

    def put(self, data):
        self.writes.append(bytes(data))
        self.size += len(data)
        self.flush()

    def flush(self):
        while self.writes:
            try:
                n = os.write(self.fd, self.writes[0])
            except BlockingIOError:
                return
            except OSError:
                self.writes.clear()  # QEMU has gone: its exit status says why
                self.size = 0
                return
            self.size -= n
            if n < len(self.writes[0]):
                self.writes[0] = self.writes[0][n:]  # longer than PIPE_BUF
            else:
                self.writes.popleft()


def claim_socket_path(path):
    """Free @path for this runner's socket: a socket file whose runner has
    gone (nobody accepts on it) is removed; a live runner's socket, or any
    other kind of file, is refused."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(mode):
        sys.exit(f"pica-run: {path} exists and is not a socket; not replacing it")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(2)
    try:
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    except OSError:
        pass  # a listener too busy to answer is still alive
    finally:
        probe.close()
    sys.exit(f"pica-run: another runner is already serving a board on {path}; "
             f"stop it first, or give another --socket")


class FrameSocket:
    """The unix socket through which a host client (picactl) exchanges frames
    with the guest. One client at a time: while one is connected, others are
    closed as soon as they connect. The guest's frames go to the client
    (dropped when none is connected); the client's frames go to the guest
    and its other bytes are dropped."""

    def __init__(self, path):
        claim_socket_path(path)
        self.path = path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.listener.bind(path)
            self.inode = os.stat(path).st_ino
            self.listener.listen(4)
        except OSError as e:
            self.listener.close()
            sys.exit(f"pica-run: cannot listen on {path}: {e.strerror or e}")
        self.listener.setblocking(False)
        self.client = None
        self.from_client = FrameSplitter()
        self.to_client = bytearray()

    def readers(self, guest_busy):
        """What to wait on: new clients, and the client unless the guest is
        behind with reading what it sent."""
        return [self.listener] + ([self.client] if self.client and not guest_busy else [])

    def writers(self):
        return [self.client] if self.client and self.to_client else []

    def serve(self, readable, writable, guest):
        """Receive into @guest (a GuestInput), accept and send, as ready.
        Receiving first notices a client that has gone before a new one is
        turned away for it."""
        if self.client is not None and self.client in readable:
            self.receive(guest)
        if self.listener in readable:
            self.accept()
        if self.client is not None and self.client in writable:
            self.flush()

    def accept(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        if self.client is not None:
            conn.close()
            return
        conn.setblocking(False)
        self.client = conn

    def receive(self, guest):
        try:
            data = self.client.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.drop()
            return
        for frame in self.from_client.feed(data)[1]:
            guest.put(frame)

    def send(self, frame):
        if self.client is None or len(self.to_client) + len(frame) > CLIENT_BACKLOG:
            return
        self.to_client += frame
        self.flush()

    def flush(self):
        try:
            n = self.client.send(self.to_client)
        except BlockingIOError:
            return
        except OSError:
            self.drop()
            return
        del self.to_client[:n]

    def drop(self):
        """The client has gone; a half-received frame of its goes too."""
        self.client.close()
        self.client = None
        self.from_client = FrameSplitter()
        self.to_client = bytearray()

    def close(self):
        """Stop listening and remove the socket file, unless another runner
        has since put its own there."""
        if self.client is not None:
            self.drop()
        self.listener.close()
        try:
            if os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass


class Console:
    """QEMU's serial line as the runner sees it: console text for the
    terminal, log or output stream, and, with a FrameSocket, frames to and
    from its client, moved while the caller waits for its own input."""

    def __init__(self, proc, sock):
        self.fd = proc.stdout.fileno()
        self.guest = GuestInput(proc.stdin.fileno())
        self.splitter = FrameSplitter()
        self.sock = sock

    def wait(self, readers, timeout=None):
        """Wait up to @timeout seconds for one of @readers (which include
        self.fd when the caller wants the guest's output) to be readable,
        meanwhile writing to the guest and serving the socket. Returns the
        ready ones among @readers, possibly none."""
        rlist, wlist = list(readers), []
        if self.guest.writes:
            wlist.append(self.guest)
        if self.sock:
            rlist += self.sock.readers(self.guest.size > GUEST_BACKLOG)
            wlist += self.sock.writers()
        ready, writable, _ = select.select(rlist, wlist, [], timeout)
        if self.guest in writable:
            self.guest.flush()
        if self.sock:
            self.sock.serve(ready, writable, self.guest)
        return [r for r in ready if r in readers]

    def read(self):
        """The text in the guest's next output (its frames go to the
        client); None once QEMU has ended."""
        chunk = os.read(self.fd, 4096)
        if not chunk:
            return None
        text, frames = self.splitter.feed(chunk)
        for frame in frames if self.sock else ():
            self.sock.send(frame)
        return text

    def type(self, data):
        """Input for the guest, after whatever is already on its way."""
        self.guest.put(data)
