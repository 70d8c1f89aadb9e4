# SPDX-License-Identifier: MIT
"""What every harness check script shares: the repository root, the runner's
command line, wall-clock waits scaled as the runner scales its own, and the
ok/FAIL bookkeeping that ends in the plain closing line 'N passed, N failed'."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = [sys.executable, os.path.join(ROOT, "tools", "pica-run")]
failures = []
_passes = [0]


def wall(seconds):
    """@seconds of wall-clock time for a check's own wait, multiplied by
    PICA_TEST_TIMEOUT_SCALE as tools/pica-run multiplies its limits (the
    runner itself refuses a value that is not a positive number)."""
    try:
        scale = float(os.environ.get("PICA_TEST_TIMEOUT_SCALE", "") or 1)
    except ValueError:
        scale = 1.0
    return seconds * scale if scale > 0 else seconds


def check(cond, what):
    """Record one check: print it as ok or FAIL."""
    if cond:
        _passes[0] += 1
        print(f"ok   {what}")
    else:
        failures.append(what)
        print(f"FAIL {what}")
    return cond


def summary():
    """Print the closing line; the script's exit status (0 if all held)."""
    print(f"{_passes[0]} passed, {len(failures)} failed")
    return 1 if failures else 0
