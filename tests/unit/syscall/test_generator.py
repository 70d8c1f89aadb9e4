#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/pica-syscalls refuses tables that would break the ABI or the
dispatch: each case is a .def that must fail with the given message, and
one good table must pass."""
import os
import subprocess
import sys
import tempfile

tool = sys.argv[1]

BAD = [
    ("SYSCALL(a, 0)\nSYSCALL(b, 0)\n", "number 0 already used"),
    ("SYSCALL(a, 0)\nSYSCALL(a, 1)\n", "'a' already at"),
    ("RETIRED(1, old)\nSYSCALL(a, 1)\n", "retired"),
    ("SYSCALL(a, 0, VAL(x), VAL(y), VAL(z), IN(p, n), OUT(q, m))\n", "needs 7 registers"),
    ("SYSCALL(a, 0, SLOT(s, PIPE, READ))\n", "slot type 'PIPE'"),
    ("SYSCALL_OPTIONAL(a, 0, PATH(p, q))\n", "PATH(name)"),
    ("SYSCALL(a, 0, INREF(p))\n", "INREF(pointer, length)"),
    ("SYSCALL(a, 0, SLOT(s, SEM, EXEC))\n", "right 'EXEC'"),
    ("SYSCALL(a, 0, PTR(p))\n", "unknown argument"),
    ("SYSCALL(a, 0, VAL(x), VAL(x))\n", "two arguments with one name"),
    ("SYSCALL(a, 0, VAL(X))\n", "argument name"),
    ("SYSCALL(a, x)\n", "SYSCALL(name, number"),
    ("SYSCALL(a, 0, VAL(x)\n", "unbalanced"),
    ("SYSCALL(a, 0) junk\n", "only a /* comment */"),
    ("SYSCALL_NORETURN(a, 0, SLOT(s, SEM, READ))\n", "takes no slot"),
    ("/* nothing */\n", "no calls"),
]
GOOD = "/* SYSCALL(commented, 0) */\nSYSCALL(a, 0, STR(s)) /* doc */\nRETIRED(1, b)\n"


def run(text):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.def")
        with open(path, "w") as f:
            f.write(text)
        return subprocess.run([sys.executable, tool, path, "--kernel", d, "--user", d],
                              capture_output=True, text=True)


failed = 0
for text, want in BAD:
    r = run(text)
    if r.returncode == 0 or want not in r.stderr:
        print(f"FAIL: {text!r}: rc {r.returncode}, stderr {r.stderr!r}, wanted {want!r}")
        failed += 1
r = run(GOOD)
if r.returncode != 0:
    print(f"FAIL: good table refused: {r.stderr}")
    failed += 1
print(f"{len(BAD) + 1 - failed}/{len(BAD) + 1} passed")
sys.exit(1 if failed else 0)
