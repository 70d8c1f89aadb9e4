#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for QEMU in check_pica_run_socket.py (tools/pica-run
--qemu-override): a console line with text and frames on it, no guest.
It prints one line naming its pid and arguments, then reads its stdin:
  - bytes outside frames (key presses) are echoed as text;
  - the frame "start" makes it print SCRIPT, in pieces a little apart so
    that frames reach the runner split across reads;
  - the frame "bye" makes it print "bye" and exit with BYE_STATUS;
  - any other frame is sent back unchanged.
A 0xFE inside a frame, or a 0xFF outside one, means the runner let a frame
be cut; it says so on the console ("fake-qemu: ...") for the check to see.
"""
import os
import sys
import time

# What the fake prints on "start", and what should come of it: the text
# for the terminal or log, and the frames for the client. Written out by hand
# so that the check does not trust the splitter it checks.
LONGEST_BODY = 4094  # 0xFE + body + 0xFF = 4096 bytes, the most a frame may be
SCRIPT = [
    b"text one\r\n",
    b"before\xfeframe-",             # a frame split across two writes
    b"one\xff after\r\n",
    b"\xfecut-short\xfeframe-two\xff",  # a 0xFE restarts a frame
    b"\xfe" + b"x" * 4095 + b"TAIL\xff\r\n",  # too long: dropped, then text again
    b"\xfe" + b"m" * LONGEST_BODY + b"\xff",
    b"stray \xff end\r\n",           # a lone 0xFF is dropped
    b"done\r\n",
]
SCRIPT_TEXT = b"text one\r\nbefore after\r\nTAIL\r\nstray  end\r\ndone\r\n"
SCRIPT_FRAMES = [b"\xfeframe-one\xff", b"\xfeframe-two\xff",
                 b"\xfe" + b"m" * LONGEST_BODY + b"\xff"]
BYE_STATUS = 5
PIECE_GAP_S = 0.03


def say(data):
    os.write(1, data)


def handle(body):
    if body == b"start":
        for piece in SCRIPT:
            say(piece)
            time.sleep(PIECE_GAP_S)
    elif body == b"bye":
        say(b"bye\r\n")
        sys.exit(BYE_STATUS)
    else:
        say(b"\xfe" + body + b"\xff")


def main():
    say(f"fake-qemu pid {os.getpid()} args {' '.join(sys.argv[1:])}\r\n".encode())
    frame = None
    while True:
        data = os.read(0, 4096)
        if not data:
            return 0
        for byte in data:
            if byte == 0xFE:
                if frame is not None:
                    say(b"fake-qemu: a frame was cut by 0xFE\r\n")
                frame = bytearray()
            elif byte == 0xFF:
                if frame is None:
                    say(b"fake-qemu: 0xFF outside a frame\r\n")
                else:
                    body, frame = bytes(frame), None
                    handle(body)
            elif frame is not None:
                frame.append(byte)
            else:
                say(bytes([byte]))


if __name__ == "__main__":
    sys.exit(main())
