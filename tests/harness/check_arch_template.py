#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The port interface (arch/arch.h) against the template port (arch/template/)
and every port's inline half. The host build compiles the template, and
arch.h declares the inline functions too, so a port whose definition
differs does not compile; this check catches what compiling one port cannot:
1. every out-of-line arch_* function declared in arch.h is defined in
   template.c (definitions start a line: `arch_init(void)`, STYLE section 2);
2. every inline function arch.h declares (`static inline ... arch_x(...);`)
   is defined in the template's arch_impl.h, and in the arch_impl.h of every
   port (arch/*/ and the host tests' fake port), except the optional atomic
   operations, which arch/arch_atomic.h provides for ports that do not
   define ARCH_HAS_ATOMIC_OPS; a port that defines it defines all of them;
3. every port's arch_impl.h defines the macros arch.h asks for (MACROS).
"""
import argparse
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Constants the kernel reads from every arch_impl.h (documented in arch.h).
MACROS = ["ARCH_HAS_STACK_GUARD", "ARCH_IRQ_FIRST_LINE"]


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def declared(arch_h):
    """(out-of-line functions, inline functions) that arch.h asks a port for."""
    code = strip_comments(arch_h)
    inline = set(re.findall(r"static\s+inline\b[^;{(]*?\b(arch_\w+)\s*\([^;{]*\)\s*;", code))
    out_of_line = set(re.findall(r"\b(arch_\w+)\s*\([^;{]*\)\s*;", code)) - inline
    return out_of_line, inline


def defined(source):
    """Functions whose definition starts a line (return type on the line above)."""
    return set(re.findall(r"^(arch_\w+)\s*\([^;{]*\{", strip_comments(source), re.M))


def read(path):
    with open(path) as f:
        return f.read()


def check_port(name, impl_h, inline, optional):
    """Problems of one port's arch_impl.h against the inline contract."""
    have = defined(impl_h)
    problems = [f"{name} lacks inline {n}(), declared in arch.h"
                for n in sorted(inline - optional - have)]
    own_atomics = re.search(r"^\s*#\s*define\s+ARCH_HAS_ATOMIC_OPS\b", impl_h, re.M)
    if own_atomics:
        problems += [f"{name} defines ARCH_HAS_ATOMIC_OPS but lacks {n}()"
                     for n in sorted(optional - have)]
    elif optional & have:
        problems.append(f"{name} defines {', '.join(sorted(optional & have))} "
                        "without ARCH_HAS_ATOMIC_OPS (arch_atomic.h would define them again)")
    for macro in MACROS:
        if not re.search(r"^\s*#\s*define\s+" + macro + r"\b", impl_h, re.M):
            problems.append(f"{name} does not define {macro}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch-h", default=os.path.join(ROOT, "arch", "arch.h"))
    ap.add_argument("--template", default=os.path.join(ROOT, "arch", "template"))
    ap.add_argument("--ports", nargs="*", default=None,
                    help="arch_impl.h files of the ports (default: arch/*/ and the fake port)")
    a = ap.parse_args()
    arch_dir = os.path.dirname(a.arch_h)
    arch_h = read(a.arch_h)
    template_c = read(os.path.join(a.template, "template.c"))
    template_h = read(os.path.join(a.template, "arch_impl.h"))
    optional = defined(read(os.path.join(arch_dir, "arch_atomic.h")))
    ports = a.ports
    if ports is None:
        ports = sorted(glob.glob(os.path.join(arch_dir, "*", "arch_impl.h")))
        ports = [p for p in ports if os.path.dirname(p) != os.path.normpath(a.template)]
        ports.append(os.path.join(ROOT, "tests", "unit", "core", "fake_port", "arch_impl.h"))

    out_of_line, inline = declared(arch_h)
    problems = [f"template.c lacks {n}(), declared in arch.h"
                for n in sorted(out_of_line - defined(template_c))]
    problems += check_port("the template's arch_impl.h", template_h, inline, optional)
    for p in ports:
        problems += check_port(os.path.relpath(p, ROOT), read(p), inline, optional)
    if not out_of_line:
        problems.append("found no arch_* declarations in arch.h")
    if not inline:
        problems.append("found no static inline arch_* declarations in arch.h")
    problems += [f"arch.h does not mention {m}, which this check asks of every port"
                 for m in MACROS if m not in arch_h]
    if not optional <= inline:
        problems.append(f"arch_atomic.h defines {', '.join(sorted(optional - inline))}, "
                        "which arch.h does not declare")
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(out_of_line)} port functions and {len(inline)} inline ones checked "
          f"against the template and {len(ports)} port(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
