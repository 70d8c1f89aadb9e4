#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pica/pica.h is the one header an application includes (README): every
public header must be reachable from it through #include <pica/...> lines,
except the few below that serve another audience. A header added to
include/pica/ and forgotten in pica.h fails here, by name.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDE = os.path.join(ROOT, "include", "pica")

# Public headers an application does not get through pica.h, and why.
NOT_IN_UMBRELLA = {
    "board.h": "implemented by boards, not called by applications",
    "bpf.h": "the eBPF library, a separate component",
    "bpf_elf.h": "the eBPF ELF loader, a separate component",
    "bpf_ctl.h": "the board side of picactl, for the kernel's picactl service",
    "bpf_hook.h": "eBPF hooks and the program registry, part of the eBPF component",
    "bpf_kern.h": "eBPF in the running kernel, linked by pica_link_bpf()",
    "bpf_proc.h": "eBPF for user processes, the kernel's side, linked by pica_link_bpf()",
    "bpf_ctx.h": "what eBPF programs see (built with clang -target bpf)",
    "bpf_prog.h": "the header of eBPF programs (built with clang -target bpf)",
    "test.h": "the in-kernel test framework, for test apps only",
}

INCLUDE_LINE = re.compile(r'^\s*#\s*include\s*<pica/([\w./]+)>', re.M)


def reachable(start):
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        with open(os.path.join(INCLUDE, name)) as f:
            todo += INCLUDE_LINE.findall(f.read())
    return seen


def main():
    headers = {n for n in os.listdir(INCLUDE) if n.endswith(".h")}
    got = reachable("pica.h")
    problems = [f"pica.h does not include pica/{n}" for n in sorted(headers - got - set(NOT_IN_UMBRELLA))]
    problems += [f"pica.h includes pica/{n}, listed as left out" for n in sorted(got & set(NOT_IN_UMBRELLA))]
    problems += [f"pica/{n} is listed as left out but does not exist"
                 for n in sorted(set(NOT_IN_UMBRELLA) - headers)]
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(headers)} public headers, {len(got)} reached from pica.h, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
