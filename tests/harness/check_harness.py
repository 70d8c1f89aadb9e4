#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the test harness itself, for one board:
1. a failing assertion is reported (file, line, both values) and fails the run;
2. ctest running that app fails, so a broken test breaks `make test`;
3. a hung app is killed by pica-run's timeout, which says so;
4. an application in a folder outside the tree builds against Pica with the
   documented CMake lines and reports through the same framework;
5. the same folder builds through the Makefile (`make image APP=<dir>`, as
   `make run APP=<dir>` does), which names the image in external-app.txt.
Everything outside the tree is built in a temporary folder, never in the
build/<board> trees that ctest is running from.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from harness import ROOT, RUN, check, failures, summary  # noqa: F401


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
    check(took < 20, f"the hung app was stopped promptly ({took:.1f} s)")


OOT_CMAKE = """cmake_minimum_required(VERSION 3.20)
include({root}/cmake/pica-app.cmake)
project(outside C ASM)
pica_add_test_app(outside main.c)
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
                               f"-DPICA_BOARD={board}"])
        check(rc == 0, "out-of-tree app configures" + ("" if rc == 0 else ": " + err[-800:]))
        rc, out, err, _ = run(["cmake", "--build", bld])
        check(rc == 0, "out-of-tree app builds" + ("" if rc == 0 else ": " + out[-800:]))
        if rc != 0:
            return
        rc, out, err, _ = run(RUN + ["--board", board, "--timeout", "30",
                                     os.path.join(bld, "outside.elf")])
        check(rc == 0 and "2 passed, 0 failed" in out, f"out-of-tree app passes (rc {rc})")
        check_make_app(board, src)
    finally:
        shutil.rmtree(src, ignore_errors=True)


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
    rc, out, err, _ = run(RUN + ["--board", board, "--timeout", "30", image])
    check(rc == 0 and "2 passed, 0 failed" in out, f"app built by make passes (rc {rc})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", required=True)
    ap.add_argument("--fail-app", required=True)
    ap.add_argument("--hang-app", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    check_failing_app(a.board, a.fail_app)
    check_ctest_fails(a.board, a.fail_app, a.work)
    check_timeout(a.board, a.hang_app)
    check_out_of_tree(a.board)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
