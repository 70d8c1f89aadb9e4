#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The template port (arch/template/) stubs every function of the port
interface. The host build compiles it, which catches a changed signature;
this check catches a function added to arch/arch.h but missing from the
template:
1. every arch_* function declared in arch.h is defined in template.c
   (definitions start a line: `arch_init(void)`, STYLE section 2);
2. every inline function arch.h lists under "Provided in arch_impl.h" is
   defined in the template's arch_impl.h, except the optional ones that
   arch/arch_atomic.h provides for ports without their own.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def declared(arch_h):
    """(out-of-line functions, inline functions) that arch.h asks a port for."""
    code = strip_comments(arch_h)
    out_of_line = set(re.findall(r"\b(arch_\w+)\s*\(", code))
    block = re.search(r"Provided in arch_impl\.h.*?\*/", arch_h, re.S)
    inline = set(re.findall(r"\b(arch_\w+)\s*\(", block.group(0))) if block else set()
    return out_of_line, inline


def defined(source):
    """Functions whose definition starts a line (return type on the line above)."""
    return set(re.findall(r"^(arch_\w+)\s*\([^;{]*\{", strip_comments(source), re.M))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch-h", default=os.path.join(ROOT, "arch", "arch.h"))
    ap.add_argument("--template", default=os.path.join(ROOT, "arch", "template"))
    a = ap.parse_args()
    with open(a.arch_h) as f:
        arch_h = f.read()
    with open(os.path.join(a.template, "template.c")) as f:
        template_c = f.read()
    with open(os.path.join(a.template, "arch_impl.h")) as f:
        template_h = f.read()
    with open(os.path.join(os.path.dirname(a.arch_h), "arch_atomic.h")) as f:
        fallback_h = f.read()

    out_of_line, inline = declared(arch_h)
    in_c, in_h = defined(template_c), defined(template_h) | defined(fallback_h)
    problems = []
    problems += [f"template.c lacks {n}(), declared in arch.h" for n in sorted(out_of_line - in_c)]
    problems += [f"arch_impl.h lacks inline {n}(), listed in arch.h" for n in sorted(inline - in_h)]
    if not out_of_line:
        problems.append("found no arch_* declarations in arch.h")
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(out_of_line)} port functions and {len(inline)} inline ones checked, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
