#!/usr/bin/env python3
"""Fails if a C snippet of docs/c-api.md is not a piece of docs/examples/c/example.c (which
the suite builds and runs), so the page cannot show code that does not compile or work.
Usage: check_doc_snippets.py docs/c-api.md docs/examples/c/example.c

A snippet matches when its lines, stripped of surrounding blanks, appear as consecutive
lines of the example (stripped the same way)."""

import re
import sys


def lines(text):
    return [line.strip() for line in text.split("\n") if line.strip()]


def main() -> int:
    doc = open(sys.argv[1], encoding="utf-8").read()
    example = lines(open(sys.argv[2], encoding="utf-8").read())
    snippets = re.findall(r"```c\n(.*?)```", doc, flags=re.S)
    bad = 0
    for n, snippet in enumerate(snippets, 1):
        want = lines(snippet)
        found = any(example[i:i + len(want)] == want for i in range(len(example) - len(want) + 1))
        if not found:
            bad += 1
            print(f"snippet {n} of {sys.argv[1]} is not in {sys.argv[2]}:\n{snippet}")
    print(f"{len(snippets)} snippets, {bad} not in the example")
    return 1 if bad or not snippets else 0


if __name__ == "__main__":
    sys.exit(main())
