#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Links from the docs to lines of code stay true: every link written
[`symbol`](../path#Lnn) in docs/*.md must point at a file that exists and at a
line that names the symbol. Run `--self-test` to see a stale link caught."""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINK = re.compile(r"\[`([A-Za-z_][A-Za-z0-9_]*)`\]\(\.\./([^)#]+)#L(\d+)\)")


def check_text(doc, text, root):
    """Problems found in one document's text, as strings."""
    problems = []
    for m in LINK.finditer(text):
        sym, path, line = m.group(1), m.group(2), int(m.group(3))
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            problems.append(f"{doc}: {path} does not exist (link to {sym})")
            continue
        with open(full, errors="replace") as f:
            lines = f.read().split("\n")
        if not 1 <= line <= len(lines) or not re.search(rf"\b{re.escape(sym)}\b",
                                                         lines[line - 1]):
            problems.append(f"{doc}: {path} line {line} does not name {sym}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        good = "[`check_text`](../tests/harness/check_doc_links.py#L15)"
        bad = "[`check_text`](../tests/harness/check_doc_links.py#L3)"
        assert not check_text("self", good, ROOT), "a true link was refused"
        assert check_text("self", bad, ROOT), "a stale link was not caught"
        print("ok   self-test")
        return 0
    problems, links = [], 0
    docs = os.path.join(ROOT, "docs")
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            with open(os.path.join(docs, name)) as f:
                text = f.read()
            links += len(LINK.findall(text))
            problems += check_text("docs/" + name, text, ROOT)
    for p in problems:
        print("FAIL " + p)
    print(f"{links} code links, {len(problems)} stale")
    return 1 if problems or links == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
