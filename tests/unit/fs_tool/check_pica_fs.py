#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/pica-fs as a user meets it: built on first use into an empty
PICA_BUILD and rebuilt when older than its sources; mkfs, put, cat, get,
append, mkdir, ls, mv, rm, df, dump; fsck on a good image and on images
with flipped bytes; usage errors; and a power cut at every program and
erase of put, append and mv, after each of which the image must check out
and the file must be the old or the new version, whole.

    check_pica_fs.py TOOL
"""
import errno
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

failures = 0


def expect(what, ok, result=None):
    global failures
    if ok:
        print(f"ok   {what}")
        return True
    failures += 1
    print(f"FAIL {what}")
    if result is not None:
        print(f"  status {result.returncode}\n  stdout {result.stdout[:400]!r}"
              f"\n  stderr {result.stderr[:400]!r}")
    return False


class Tool:
    def __init__(self, cmd, env, work):
        self.cmd, self.env, self.work = cmd, env, work

    def run(self, *args, stdin=None):
        return subprocess.run(self.cmd + [str(a) for a in args], env=self.env, cwd=self.work,
                              input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=120)

    def text(self, *args):
        r = self.run(*args)
        r.stdout, r.stderr = r.stdout.decode(), r.stderr.decode()
        return r


def df(tool, image):
    r = tool.text(image, "df")
    return {k: int(v) for k, v in re.findall(r"^(\S+)\s+(\d+)$", r.stdout, re.M)}


def ls(tool, image, path="/"):
    """{name: (type, size)} from ls (the name may hold spaces)."""
    r = tool.text(image, "ls", path)
    out = {}
    for line in r.stdout.splitlines():
        name, kind, size = line.rsplit(None, 2)
        out[name] = (kind, int(size))
    return out


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_build(wrapper, env, program):
    r = wrapper.text("img", "mkfs")
    expect("mkfs through the script builds the program into PICA_BUILD/tools",
           r.returncode == 0 and os.access(program, os.X_OK), r)
    expect("mkfs: IMAGE is the raw device (1 MiB), the geometry in IMAGE.geo",
           os.path.getsize(os.path.join(wrapper.work, "img")) == 1 << 20 and
           "erase-size 4096" in open(os.path.join(wrapper.work, "img.geo")).read())
    os.utime(program, (0, 0))
    r = wrapper.text("img", "df")
    expect("rebuilt when older than its sources", r.returncode == 0 and
           os.path.getmtime(program) > 0, r)


def check_files(tool, work, rng):
    big = rng.randbytes(100 * 1024)
    write(os.path.join(work, "big"), big)
    free0 = df(tool, "img")["free"]
    r = tool.text("img", "put", "big", "/big")
    expect("put a 100 KiB file", r.returncode == 0, r)
    r = tool.run("img", "cat", "/big")
    expect("cat gives the same bytes", r.returncode == 0 and r.stdout == big, r)
    r = tool.text("img", "get", "/big", "back")
    expect("get gives the same bytes", r.returncode == 0 and
           read(os.path.join(work, "back")) == big, r)
    d = df(tool, "img")
    expect(f"df: free fell by the file's 26 data blocks or more ({free0} -> {d['free']})",
           free0 - d["free"] >= 26 and d["blocks"] == 256 and d["bad"] == 0 and
           d["block-size"] == 4096)
    tail = rng.randbytes(3000)
    r = tool.run("img", "append", "-", "/big", stdin=tail)
    expect("append (from stdin)", r.returncode == 0 and
           tool.run("img", "cat", "/big").stdout == big + tail, r)
    r = tool.text("img", "mkdir", "/dir")
    expect("mkdir", r.returncode == 0, r)
    r = tool.run("img", "put", "-", "/dir/small", stdin=b"hello\n")
    expect("put into a directory", r.returncode == 0, r)
    expect("ls /: name, type, size per line, sorted",
           list(ls(tool, "img").items()) == [("big", ("file", len(big) + 3000)),
                                            ("dir", ("dir", 1))])
    expect("ls /dir", ls(tool, "img", "/dir") == {"small": ("file", 6)})
    r = tool.text("img", "mv", "/dir/small", "/moved")
    expect("mv", r.returncode == 0 and ls(tool, "img", "/dir") == {} and
           tool.run("img", "cat", "/moved").stdout == b"hello\n", r)
    free1 = df(tool, "img")["free"]
    r = tool.text("img", "rm", "/big")
    expect("rm", r.returncode == 0 and "big" not in ls(tool, "img"), r)
    expect("df: rm gives the blocks back", df(tool, "img")["free"] - free1 >= 26)
    r = tool.text("img", "rm", "/dir")
    expect("rm an empty directory", r.returncode == 0 and ls(tool, "img") == {
        "moved": ("file", 6)}, r)


def check_errors(tool):
    enoent = os.strerror(errno.ENOENT)
    r = tool.text("img", "cat", "/nope")
    expect("cat of a missing file: status 1, 'pica-fs: cat: /nope: <strerror>'",
           r.returncode == 1 and r.stderr == f"pica-fs: cat: /nope: {enoent}\n", r)
    r = tool.text("img", "put", "no-such-local", "/x")
    expect("put of a missing local file: status 1 and its name",
           r.returncode == 1 and r.stderr == f"pica-fs: put: no-such-local: {enoent}\n", r)
    r = tool.text("no-such-image", "ls")
    expect("a missing image: status 1", r.returncode == 1 and "no-such-image" in r.stderr, r)
    for args in ([], ["img"], ["img", "bogus"], ["img", "cat"], ["img", "put", "a"],
                 ["img", "ls", "/", "/"], ["--power-cut", "x", "img", "ls"],
                 ["--power-cut"], ["--bogus", "img", "ls"], ["img", "mkfs", "--blocks"],
                 ["img", "mkfs", "--frob"], ["img", "mkfs", "--block-size", "6000"]):
        r = tool.text(*args)
        expect(f"bad usage {args}: status 2 and the usage",
               r.returncode == 2 and "usage: pica-fs" in r.stderr, r)


def check_fsck_dump(tool, work):
    r = tool.text("img", "put", "big", "/big")
    r = tool.text("img", "fsck")
    expect("fsck of a good image: status 0", r.returncode == 0 and "consistent" in r.stdout, r)
    r = tool.text("img", "dump")
    root = re.search(r"^root block (\d+):", r.stdout, re.M)
    data = re.search(r"^inode \d+ file size 102400 parent \d+ blocks (\d+)", r.stdout, re.M)
    top = re.search(r"^inode 0 dir size \d+ parent 0 blocks (\d+)", r.stdout, re.M)
    expect("dump: the commit log, the root and the inodes", r.returncode == 0 and
           re.search(r"^record: log block \d slot \d+ seq \d+ root \d+$", r.stdout, re.M) and
           root and data and top, r)
    if not (root and data and top):
        return
    for what, m in (("a data block", data), ("the root block", root),
                    ("the root directory's block", top)):
        blk = int(m.group(1))
        shutil.copy(os.path.join(work, "img"), os.path.join(work, "bad"))
        shutil.copy(os.path.join(work, "img.geo"), os.path.join(work, "bad.geo"))
        image = bytearray(read(os.path.join(work, "bad")))
        for k in range(40, 44):
            image[blk * 4096 + k] ^= 0x5A
        write(os.path.join(work, "bad"), image)
        r = tool.text("bad", "fsck")
        expect(f"fsck after flipping bytes in {what} (block {blk}): status 4, the problem named",
               r.returncode == 4 and f"bad CRC in block {blk}" in r.stdout, r)
        lines = r.stdout.splitlines()
        expect(f"fsck names that problem once, not once per look ({len(lines)} lines)",
               len(lines) == len(set(lines)), r)


def check_sector(tool, rng):
    r = tool.text("sd", "mkfs", "--sector", "--block-size", "4096", "--blocks", "64")
    data = rng.randbytes(30000)
    r2 = tool.run("sd", "put", "-", "/f", stdin=data)
    expect("a sector device (512-byte sectors, 4 KiB blocks): mkfs, put, cat",
           r.returncode == 0 and r2.returncode == 0 and os.path.getsize(
               os.path.join(tool.work, "sd")) == 64 * 4096 and
           tool.run("sd", "cat", "/f").stdout == data, r)


def content(program, env, work, path):
    r = subprocess.run([program, "img", "cat", path], env=env, cwd=work,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.stdout if r.returncode == 0 else None


def cut_loop(program, env, work, name, args, before, after):
    """Run @args on the image in the state @before with a power cut after
    N = 0, 1, 2, ... programs and erases until it succeeds. N = 0 must leave
    the image as it was; after each cut fsck must pass and the files must
    read as in @before or in @after, whole; the run that succeeds must leave
    the image a run without a cut leaves, and so does this function."""
    img = os.path.join(work, "img")
    base = read(img)
    run = lambda *a: subprocess.run([program, *a], env=env, cwd=work, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
    r = run("--power-cut", "0", "img", *args)
    ok = r.returncode == 3 and read(img) == base and b"power cut after 0" in r.stderr
    bad = [] if ok else ["N=0: " + r.stderr.decode()[:200]]
    for n in range(1, 100000):
        write(img, base)
        r = run("--power-cut", str(n), "img", *args)
        if r.returncode not in (0, 3):
            bad.append(f"N={n}: status {r.returncode}: {r.stderr.decode()[:200]}")
            break
        f = run("img", "fsck")
        state = {p: content(program, env, work, p) for p in before}
        if f.returncode != 0:
            bad.append(f"N={n}: fsck {f.returncode}: {f.stdout.decode()[:200]}")
        if state != after and (r.returncode == 0 or state != before):
            bad.append(f"N={n}: status {r.returncode}, "
                       f"sizes { {p: None if v is None else len(v) for p, v in state.items()} }")
        if r.returncode == 0 or len(bad) > 5:
            break
    end = read(img)
    write(img, base)
    run("img", *args)
    expect(f"power cut in {name}: {n - 1} cut points, each leaves fsck clean and the old "
           f"or the new file whole", not bad and r.returncode == 0 and read(img) == end)
    for b in bad:
        print("    " + b)


def check_power_cuts(program, env, work, rng):
    new = rng.randbytes(20 * 1024)
    more = rng.randbytes(4 * 1024)
    write(os.path.join(work, "new"), new)
    write(os.path.join(work, "more"), more)
    other = rng.randbytes(20 * 1024)
    write(os.path.join(work, "other"), other)
    subprocess.run([program, "img", "mkfs"], env=env, cwd=work, check=True)
    # Each loop leaves the image as the command left it without a cut.
    cut_loop(program, env, work, "put 20 KiB", ["put", "new", "/f"],
             {"/f": None}, {"/f": new})
    cut_loop(program, env, work, "append 4 KiB", ["append", "more", "/f"],
             {"/f": new}, {"/f": new + more})
    cut_loop(program, env, work, "mv", ["mv", "/f", "/g"],
             {"/f": new + more, "/g": None}, {"/f": None, "/g": new + more})
    cut_loop(program, env, work, "put 20 KiB over a file", ["put", "other", "/g"],
             {"/g": new + more}, {"/g": other})


def main():
    wrapper_path = sys.argv[1]
    rng = random.Random(15)
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        build, work = os.path.join(tmp, "build"), os.path.join(tmp, "work")
        os.makedirs(work)
        env = dict(os.environ, PICA_BUILD=build)
        program = os.path.join(build, "tools", "pica-fs")
        check_build(Tool([wrapper_path], env, work), env, program)
        tool = Tool([program], env, work)
        if os.access(program, os.X_OK):
            check_files(tool, work, rng)
            check_errors(tool)
            check_fsck_dump(tool, work)
            check_sector(tool, rng)
            check_power_cuts(program, env, work, rng)
    print(f"{failures} failure(s) in {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
