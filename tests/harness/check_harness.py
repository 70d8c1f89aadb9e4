#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the test harness itself, for one board:
1. a failing assertion is reported (file, line, both values) and fails the run;
2. ctest running that app fails, so a broken test breaks `make test`;
3. a hung app is killed by pica-run's wall-clock timeout, which says so, and
   PICA_TEST_TIMEOUT_SCALE multiplies that timeout (a bad value is refused);
4. under icount a test stuck spinning, and one stuck waiting for a wake-up
   that never comes, are stopped at their limit of guest time by the test
   framework, which names the test, and an image without the framework by
   pica-run, which counts its instructions; a QEMU paused by the host (as on
   a busy machine) is stopped at the same guest time, not by the wall clock;
5. an application in a folder outside the tree builds against Pica with the
   documented CMake lines, reports through the same framework and runs
   under ctest, whose TIMEOUT follows PICA_TEST_TIMEOUT_SCALE;
6. the same folder builds through the Makefile (`make image APP=<dir>`, as
   `make run APP=<dir>` does), which names the image in external-app.txt.
Everything outside the tree is built in a temporary folder, never in the
build/<board> trees that ctest is running from.

With --guest-only, only 1 and the guest-time stops of 4 run: the rest checks
the runner, ctest and the build system, which are the same for every board,
so the build trees of one board per architecture run them (CMakeLists.txt)
and the others save their wall-clock waits and builds.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from harness import ROOT, RUN, check, failures, summary, wall  # noqa: F401

SCALE_VAR = "PICA_TEST_TIMEOUT_SCALE"
# The stuck apps' limit of guest time, linked into them by
# tests/kernel/harness/CMakeLists.txt.
STUCK_LIMIT = "0.1"
TIME_LIMIT_RC = 4


def env_with(**changes):
    """This process's environment with @changes (None removes a variable)."""
    env = dict(os.environ)
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run(cmd, **kw):
    start = time.monotonic()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def check_failing_app(board, app):
    rc, out, err, _ = run(RUN + ["--board", board, "--timeout", "30", app])
    check(rc == 1, f"failing test app exits 1 (got {rc})")
    check("PASS passing_test" in out, "passing test reported as PASS")
    check(re.search(r"fail\.c:\d+: assertion failed: one_plus_one\(\) == 3 \(2 vs 3\)", out)
          is not None, "failure names file, line, expression and both values")
    check("FAIL deliberately_failing_test" in out, "failing test reported as FAIL")
    check("PASS runs_after_a_failure" in out, "tests after a failure still run")
    check(out.rstrip().endswith("2 passed, 1 failed"), "summary line is last: 2 passed, 1 failed")


def check_ctest_fails(board, app, work):
    d = os.path.join(work, "ctest")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "CTestTestfile.cmake"), "w") as f:
        f.write(f'add_test(flipped_assertion "{sys.executable}" "{RUN[1]}" '
                f'"--board" "{board}" "--timeout" "30" "{app}")\n')
    rc, out, err, _ = run([shutil.which("ctest") or "ctest", "--test-dir", d])
    check(rc != 0, f"ctest fails when a test app fails (ctest rc {rc})")
    check("0 tests failed" not in out and "1 tests failed" in out, "ctest counts the failure")


def check_timeout(board, app):
    rc, out, err, took = run(RUN + ["--board", board, "--timeout", "2", app])
    check(rc == 124, f"hung app ends with the timeout status 124 (got {rc})")
    check("hanging on purpose" in out, "output before the hang is streamed")
    check("TIMEOUT" in err and "QEMU killed" in err, "the timeout is reported")
    check(took < wall(20), f"the hung app was stopped promptly ({took:.1f} s)")


def check_timeout_scale(board, app):
    rc, out, err, took = run(RUN + ["--board", board, "--timeout", "1", app],
                             env=env_with(**{SCALE_VAR: "2.5"}))
    check(rc == 124 and took >= 2.5,
          f"{SCALE_VAR}=2.5 makes a 1 s timeout 2.5 s (rc {rc}, {took:.1f} s)")
    check(f"within 2.5 s (1 s x {SCALE_VAR} 2.5)" in err, "the report shows the scaled timeout")
    rc, out, err, _ = run(RUN + ["--board", board, "--timeout", "1", app],
                          env=env_with(**{SCALE_VAR: "fast"}))
    check(rc not in (0, 124) and SCALE_VAR in err, f"a {SCALE_VAR} that is no number is refused")


def check_stuck_test(board, app, test):
    """A stuck test ends at its limit of guest time, named by the framework;
    the generous wall-clock timeout shows that the guest's clock ended it."""
    rc, out, err, took = run(RUN + ["--board", board, "--icount", "--virtual-timeout",
                                    STUCK_LIMIT, "--timeout", "600", app])
    check(rc == TIME_LIMIT_RC, f"{test}: the run ends with status 4 (got {rc}, {took:.1f} s)")
    check("PASS passes_before_the_stuck_one" in out, f"{test}: the test before it passed")
    check(f"virtual time limit of {STUCK_LIMIT} s reached in test {test}\n" in out,
          f"{test}: the framework names the stuck test")
    check("never_reached" not in out, f"{test}: no test runs after the stuck one")
    check("exit code 4 (virtual time limit)" in err, f"{test}: pica-run reports the limit")


def check_runner_limit(board, app):
    """An image without the framework is stopped by pica-run itself."""
    rc, out, err, took = run(RUN + ["--board", board, "--icount", "--virtual-timeout",
                                    STUCK_LIMIT, "--timeout", "600", app])
    check(rc == TIME_LIMIT_RC, f"pica-run stops an image without the framework (rc {rc})")
    check("hanging on purpose" in out and "VIRTUAL TIME LIMIT" in err
          and f"(limit {STUCK_LIMIT} s)" in err, "pica-run says it reached the guest-time limit")


def qemu_of(runner):
    """The QEMU process that @runner started (its only child), from /proc."""
    deadline = time.monotonic() + wall(30)
    while time.monotonic() < deadline and runner.poll() is None:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == runner.pid:
                return int(pid)
        time.sleep(0.01)
    return None


def check_host_stall(board, app):
    """A QEMU that the host stops running for a while (as a busy machine
    does) is stopped at the same point of guest time, and the wall-clock
    timeout, scaled, leaves it the time: 1 s x 100 (more on a host already
    scaled), where 1 s alone is shorter than the stall."""
    runner = subprocess.Popen(RUN + ["--board", board, "--icount", "--virtual-timeout",
                                     STUCK_LIMIT, "--timeout", "1", app],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env=env_with(**{SCALE_VAR: f"{wall(100):g}"}))
    qemu = qemu_of(runner)
    if qemu is not None:
        os.kill(qemu, signal.SIGSTOP)  # the QEMU this check's runner started, by its PID
        time.sleep(2)
        os.kill(qemu, signal.SIGCONT)
    out, err = runner.communicate()
    check(qemu is not None, "the runner's QEMU was found and paused for 2 s")
    check(runner.returncode == TIME_LIMIT_RC and
          "virtual time limit of 0.1 s reached in test spins_forever\n" in out,
          f"after the pause the guest stops at its limit of guest time (rc {runner.returncode})")


OOT_CMAKE = """cmake_minimum_required(VERSION 3.20)
include({root}/cmake/pica-app.cmake)
project(outside C ASM)
enable_testing()
pica_add_test_app(outside main.c)
pica_add_qemu_test(outside APP outside VIRTUAL_TIMEOUT 0.5)
"""
OOT_MAIN = """#include <pica/pica.h>
#include <pica/test.h>
static int counter = 5;
PICA_TEST(outside_app_sees_initialised_data) { pica_assert_eq(counter, 5); }
PICA_TEST(outside_app_sees_kernel_api) { pica_assert_eq(pica_irq_enable(100000), -EINVAL); }
int main(void) { pica_test_run(); }
"""


def check_out_of_tree(board):
    src = tempfile.mkdtemp(prefix="pica-outside-")
    try:
        with open(os.path.join(src, "CMakeLists.txt"), "w") as f:
            f.write(OOT_CMAKE.format(root=ROOT))
        with open(os.path.join(src, "main.c"), "w") as f:
            f.write(OOT_MAIN)
        bld = os.path.join(src, "build")
        rc, out, err, _ = run(["cmake", "-S", src, "-B", bld, "-G", "Ninja",
                               f"-DPICA_BOARD={board}"], env=env_with(**{SCALE_VAR: None}))
        check(rc == 0, "out-of-tree app configures" + ("" if rc == 0 else ": " + err[-800:]))
        rc, out, err, _ = run(["cmake", "--build", bld])
        check(rc == 0, "out-of-tree app builds" + ("" if rc == 0 else ": " + out[-800:]))
        if rc != 0:
            return
        # Under icount, as ctest runs it: the image carries its limit of guest
        # time, which without icount would be the host's real time.
        rc, out, err, _ = run(RUN + ["--board", board, "--icount", "--timeout", "30",
                                     os.path.join(bld, "outside.elf")])
        check(rc == 0 and "2 passed, 0 failed" in out, f"out-of-tree app passes (rc {rc})")
        check_ctest_timeout(src, bld)
        check_make_app(board, src)
    finally:
        shutil.rmtree(src, ignore_errors=True)


def ctest_timeout(bld):
    try:
        with open(os.path.join(bld, "CTestTestfile.cmake")) as f:
            m = re.search(r'TIMEOUT "(\d+)"', f.read())
    except OSError:
        m = None
    return int(m.group(1)) if m else None


def check_ctest_timeout(src, bld):
    """The app's pica_add_qemu_test() runs under ctest, and configuring with
    PICA_TEST_TIMEOUT_SCALE multiplies ctest's TIMEOUT."""
    rc, out, err, _ = run([shutil.which("ctest") or "ctest", "--test-dir", bld])
    check(rc == 0 and "0 tests failed out of 1" in out,
          f"out-of-tree app passes under ctest (rc {rc})")
    plain = ctest_timeout(bld)
    rc, out, err, _ = run(["cmake", "-S", src, "-B", bld], env=env_with(**{SCALE_VAR: "2.5"}))
    scaled = ctest_timeout(bld)
    check(rc == 0 and plain and scaled == -(-plain * 5 // 2),
          f"{SCALE_VAR}=2.5 at configure time scales ctest's TIMEOUT ({plain} s to {scaled} s)")
    rc, out, err, _ = run(["cmake", "-S", src, "-B", bld], env=env_with(**{SCALE_VAR: "0"}))
    check(rc != 0 and SCALE_VAR in err, f"configuring with {SCALE_VAR}=0 is refused")


def check_make_app(board, src):
    bld = os.path.join(src, "build-make")
    # Variables of a surrounding `make test` must not leak into this make.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    rc, out, err, _ = run(["make", "-s", "-C", ROOT, "image", f"APP={src}", f"BOARD={board}",
                           f"DIR={bld}"], env=env)
    check(rc == 0, "make image APP=<dir> builds" + ("" if rc == 0 else ": " + (out + err)[-800:]))
    try:
        with open(os.path.join(bld, "external-app.txt")) as f:
            image = f.read().strip()
    except OSError:
        image = ""
    check(image == os.path.join(bld, "external-app", "outside.elf"),
          f"external-app.txt names the app's image ({image or 'missing'})")
    check(not os.path.exists(os.path.join(bld, "apps")), "the app's build has no in-tree apps")
    if not os.path.isfile(image):
        return
    rc, out, err, _ = run(RUN + ["--board", board, "--icount", "--timeout", "30", image])
    check(rc == 0 and "2 passed, 0 failed" in out, f"app built by make passes (rc {rc})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--fail-app", required=True)
    ap.add_argument("--hang-app", required=True)
    ap.add_argument("--spinning-app", required=True, help="a test stuck in a loop")
    ap.add_argument("--waiting-app", required=True, help="a test stuck waiting")
    ap.add_argument("--work", required=True)
    ap.add_argument("--guest-only", action="store_true",
                    help="only the checks that depend on the board")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    check_failing_app(a.board, a.fail_app)
    if not a.guest_only:
        check_ctest_fails(a.board, a.fail_app, a.work)
        check_timeout(a.board, a.hang_app)
        check_timeout_scale(a.board, a.hang_app)
    check_stuck_test(a.board, a.spinning_app, "spins_forever")
    check_stuck_test(a.board, a.waiting_app, "waits_forever")
    check_runner_limit(a.board, a.hang_app)
    if not a.guest_only:
        check_host_stall(a.board, a.spinning_app)
        check_out_of_tree(a.board)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
