#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/map.md stays true: every row names a file that exists and symbols
that file defines. "Defines" depends on the kind of file:
  C source         a function whose definition starts a line (`name(`, STYLE
                   section 2), a top-level object with an initialiser, a macro,
                   a struct, or (headers only) a top-level declaration
  assembly         a label `name:`
  linker script    `name = ...` or ENTRY(name)
  CMake            function(name / macro(name / set(name / file(GLOB name
  Python           def name( / class name / name = at the top level
  Makefile, shell  a target `name:` / a variable `name=`
A row whose symbol column is "—" only claims the file exists.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROW = re.compile(r"^\|\s*(?P<concept>[^|]+?)\s*\|\s*`(?P<file>[^`]+)`\s*\|\s*(?P<symbols>[^|]*?)\s*\|\s*$")


def patterns(path, sym):
    s = re.escape(sym)
    name = os.path.basename(path)
    c_like = [rf"^{s}\s*\(", rf"^#\s*define\s+{s}\b", rf"^struct\s+{s}\s*\{{",
              rf"^(?!\s)[^;#]*\b{s}\s*(\[[^\]]*\])?\s*="]
    if name.endswith(".h"):
        return c_like + [rf"^(?![\s#])[^;]*?\b{s}\s*[(;\[]"]
    if name.endswith(".c"):
        return c_like
    if name.endswith(".S"):
        return [rf"^{s}:"]
    if name.endswith(".ld"):
        return [rf"^\s*{s}\s*=", rf"\bENTRY\({s}\)"]
    if name.endswith(".cmake") or name == "CMakeLists.txt":
        return [rf"\b(function|macro|set)\(\s*{s}\b", rf"\bfile\(\s*GLOB\w*\s+{s}\b"]
    if name == "Makefile":
        return [rf"^{s}\s*:", rf"^{s}\s*[:?]?="]
    return [rf"^def\s+{s}\s*\(", rf"^class\s+{s}\b", rf"^{s}\s*=", rf"^{s}\s*:"]


def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def check_row(root, path, symbols):
    full = os.path.join(root, path)
    if not os.path.isfile(full):
        return [f"{path}: no such file"]
    with open(full, errors="replace") as f:
        text = f.read()
    if path.endswith((".c", ".h", ".S", ".ld")):
        text = strip_c_comments(text)
    missing = []
    for sym in symbols:
        if not any(re.search(p, text, re.M) for p in patterns(path, sym)):
            missing.append(f"{path}: {sym} is not defined there")
    return missing


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--map", default=os.path.join(ROOT, "docs", "map.md"))
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    with open(a.map) as f:
        lines = f.read().splitlines()
    rows = problems = 0
    checked = 0
    for line in lines:
        m = ROW.match(line)
        if not m or m.group("concept") == "concept":
            continue
        symbols = re.findall(r"`([^`]+)`", m.group("symbols"))
        if not symbols and m.group("symbols").strip() not in ("—", "-"):
            print(f"FAIL map.md row without symbols: {line}")
            problems += 1
            continue
        rows += 1
        checked += len(symbols)
        for p in check_row(a.root, m.group("file"), symbols):
            print(f"FAIL {p}")
            problems += 1
    if rows == 0:
        print("FAIL no rows found in the map")
        problems += 1
    print(f"{rows} rows, {checked} symbols checked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
