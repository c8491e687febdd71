#!/usr/bin/env python3
"""Reads every #include "..." in src/, capi/, cli/ and include/ and fails on any include that
breaks the layering of docs/architecture.md, listing each offender as file:line.

Rules:
- src/<layer>/ may include its own layer and the layers below it (the order is given by
  --layers, which CMake passes from INFINITREE_LAYERS), plus the public headers
  ("infinitree/...");
- the public headers (include/) include only other public headers;
- capi/ and cli/ sit above every layer and may not include each other;
- no header may reach itself through its includes (a file-level include cycle);
- the layer table of docs/architecture.md lists the layers in the same order as --layers.

Usage: check_includes.py --root REPO --layers util,crypto,...  [--no-docs]
"""

import argparse
import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)
SOURCE_EXTS = (".hpp", ".h", ".cpp", ".cc", ".c")
PUBLIC = "infinitree"  # include/infinitree/...: the public API, visible to everyone
TOPS = ("capi", "cli")  # above every layer, siblings of each other


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def source_files(root, folder):
    base = os.path.join(root, folder)
    for dirpath, _, names in os.walk(base):
        for n in sorted(names):
            if n.endswith(SOURCE_EXTS):
                yield os.path.relpath(os.path.join(dirpath, n), root)


def owner_of(rel, layers):
    """The unit a file belongs to: a layer name, 'public', 'capi' or 'cli'."""
    parts = rel.split(os.sep)
    if parts[0] == "src" and len(parts) > 2 and parts[1] in layers:
        return parts[1]
    if parts[0] == "include":
        return "public"
    return parts[0]


def resolve(root, including, target, layers):
    """The repository path an include names, or None if it names nothing we own (a
    dependency's header). Mirrors the compiler: the including file's folder first, then
    src/ (the layer folders) and include/."""
    here = os.path.join(os.path.dirname(including), target)
    if os.path.isfile(os.path.join(root, here)):
        return os.path.normpath(here)
    first = target.split("/", 1)[0]
    if first in layers:
        return os.path.normpath(os.path.join("src", target))
    if first == PUBLIC:
        return os.path.normpath(os.path.join("include", target))
    if first in TOPS:
        return os.path.normpath(target)
    return None


def check(root, layers, check_docs=True):
    rank = {name: i for i, name in enumerate(layers)}
    problems = []
    graph = {}  # file -> [(included file, line)]

    files = []
    for folder in ["src", "include"] + list(TOPS):
        if os.path.isdir(os.path.join(root, folder)):
            files.extend(source_files(root, folder))

    for rel in files:
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        owner = owner_of(rel, rank)
        if rel.startswith("src" + os.sep) and owner not in rank:
            folder = rel.split(os.sep)[1] if rel.count(os.sep) > 1 else "."
            problems.append(f"{rel}: src/{folder}/ is not a layer of {','.join(layers)}")
            continue
        edges = graph.setdefault(rel, [])
        for m in INCLUDE_RE.finditer(text):
            target = m.group(1)
            line = line_of(text, m.start(1))
            where = f"{rel}:{line}"
            if ".." in target.split("/"):
                problems.append(f'{where}: includes "{target}": no "..": name headers from their layer folder')
                continue
            path = resolve(root, rel, target, rank)
            if path is None:
                continue
            edges.append((path, line))
            to = owner_of(path, rank)
            if owner == "public":
                if to != "public":
                    problems.append(f'{where}: includes "{target}": public headers include only infinitree/ headers')
            elif owner in rank:
                if to in TOPS:
                    problems.append(f'{where}: includes "{target}": a layer may not include {to}/')
                elif to in rank and rank[to] > rank[owner]:
                    problems.append(f'{where}: includes "{target}": {owner} may not include {to}, '
                                    f'a layer above it ({" < ".join(layers)})')
            elif owner in TOPS and to in TOPS and to != owner:
                problems.append(f'{where}: includes "{target}": {owner}/ and {to}/ may not include each other')

    problems.extend(find_cycles(graph))
    if check_docs:
        problems.extend(check_docs_order(root, layers))
    return problems


def find_cycles(graph):
    """Every include cycle between files, once each, as a -> b -> a."""
    problems, seen = [], set()
    state = {}  # file -> 1 while on the DFS stack, 2 when done
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt, _ in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    problems.append("include cycle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in state:
            visit(node)
    return problems


def check_docs_order(root, layers):
    """The layer table in docs/architecture.md (rows `| name | `src/name` | ... |`) must list
    the layers the build uses, in the build's order."""
    path = os.path.join(root, "docs", "architecture.md")
    if not os.path.isfile(path):
        return [f"docs/architecture.md is missing (it documents the layer order)"]
    with open(path, encoding="utf-8") as f:
        documented = re.findall(r"^\|\s*(\w+)\s*\|\s*`src/(\w+)`", f.read(), re.MULTILINE)
    order = [folder for _, folder in documented]
    if order != list(layers):
        return [f"docs/architecture.md lists the layers as {' < '.join(order) or '(nothing)'}, "
                f"the build as {' < '.join(layers)}"]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", required=True, help="the repository")
    ap.add_argument("--layers", required=True, help="layers bottom up, comma-separated")
    ap.add_argument("--no-docs", action="store_true", help="skip the docs/architecture.md order check")
    args = ap.parse_args()
    layers = [l for l in args.layers.split(",") if l]
    problems = check(args.root, layers, not args.no_docs)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s)", file=sys.stderr)
        return 1
    print(f"layering ok: {' < '.join(layers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
