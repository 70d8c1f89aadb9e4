#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/pica-cron as a user meets it: built on first use into an empty
PICA_BUILD, rebuilt when older than its sources, the next fire times of an
expression, and the exit status and message of a bad expression, of bad
usage and of an expression that never fires.

    check_pica_cron.py TOOL
"""
import os
import subprocess
import sys
import tempfile


def run(tool, env, *args):
    return subprocess.run([tool, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def expect(what, ok, result):
    if not ok:
        print(f"FAIL {what}\n  status {result.returncode}\n  stdout {result.stdout!r}"
              f"\n  stderr {result.stderr!r}")
        return 1
    print(f"ok   {what}")
    return 0


def main():
    tool = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as build:
        env = dict(os.environ, PICA_BUILD=build)
        program = os.path.join(build, "tools", "pica-cron")

        r = run(tool, env, "next", "*/15 * * * *", "--from", "2026-02-28 23:50:00", "-n", "3")
        failures += expect("every 15 minutes across the end of February",
                           r.returncode == 0 and r.stdout == "2026-03-01 00:00:00\n"
                           "2026-03-01 00:15:00\n2026-03-01 00:30:00\n", r)
        failures += expect("built into PICA_BUILD/tools", os.access(program, os.X_OK), r)

        os.utime(program, (0, 0))
        r = run(tool, env, "next", "-n", "2", "--from", "2088-03-01", "0 0 29 2 */7")
        failures += expect("rebuilt when older than its sources; options before the expression",
                           r.returncode == 0 and os.path.getmtime(program) > 0 and
                           r.stdout == "2128-02-29 00:00:00\n2156-02-29 00:00:00\n", r)

        r = run(tool, env, "next", "@hourly")
        failures += expect("now by default", r.returncode == 0 and
                           r.stdout.endswith(":00:00\n") and len(r.stdout) == 20, r)

        r = run(tool, env, "next", "  61 * * * *")
        failures += expect("a bad expression: status 2 and the reason",
                           r.returncode == 2 and r.stdout == "" and
                           "minute field (column 3): value 61 out of range 0-59" in r.stderr, r)

        r = run(tool, env, "next", "0 0 30 2 *", "--from", "2026-01-01")
        failures += expect("never fires: status 1", r.returncode == 1 and r.stdout == "" and
                           "no fire time after 2026-01-01 00:00:00" in r.stderr, r)

        for args in ([], ["next"], ["list", "* * * * *"], ["next", "* * * * *", "-n", "0"],
                     ["next", "* * * * *", "--from", "2026-02-30"],
                     ["next", "* * * * *", "--from"], ["next", "* * * * *", "x"]):
            r = run(tool, env, *args)
            failures += expect(f"bad usage {args}: status 2 and the usage",
                               r.returncode == 2 and "usage: pica-cron next" in r.stderr, r)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
