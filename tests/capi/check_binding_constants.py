#!/usr/bin/env python3
"""Checks that the bindings' constants are the header's.
Usage: check_binding_constants.py path/to/infinitree.h path/to/bindings

The header defines every status code, kind, limit and struct version once (its enums and
numeric #defines). Python's ctypes cannot read a header, so bindings/python/infinitree/
_constants.py copies them: every IT_* of the header must be there with the same value, and
nothing else. Go reads them through cgo (C.IT_*), so Go must never spell one as a number:
every exported Go constant of a code, kind or limit must be defined from C.IT_*.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Dict, List


def header_constants(text: str) -> Dict[str, int]:
    body = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out: Dict[str, int] = {}
    for enum_body in re.findall(r"typedef enum \w+ \{(.*?)\}", body, flags=re.S):
        for name, value in re.findall(r"(IT_\w+)\s*=\s*(-?\d+)", enum_body):
            out[name] = int(value)
    for name, expr in re.findall(r"^#define (IT_\w+) (.+)$", body, flags=re.M):
        if name.startswith("IT_VERSION") or name == "IT_API" or name.endswith("_INIT"):
            continue  # the version is checked by the packaging tests; *_INIT are initialisers
        # The numeric macros are C constant expressions: strip casts and suffixes, evaluate.
        py = re.sub(r"\((?:size_t|uint64_t|uint32_t|int)\)", "", expr)
        py = re.sub(r"(\d+)u\b", r"\1", py)
        out[name] = int(eval(py, {"__builtins__": {}}))  # noqa: S307 - our own header
    return out


def python_constants(path: Path) -> Dict[str, int]:
    tree = ast.parse(path.read_text())
    out: Dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.startswith("IT_"):
                out[target.id] = int(eval(compile(ast.Expression(node.value), str(path), "eval")))  # noqa: S307
    return out


# Go: `Name Type = <expr>` or `Name = <expr>` inside const blocks, for exported names.
GO_CONST = re.compile(r"^\s*([A-Z]\w*)(?:\s+\w+)?\s*=\s*(.+?)\s*(?://.*)?$")


def go_problems(folder: Path) -> List[str]:
    problems = []
    for src in sorted(folder.glob("*.go")):
        if src.name.endswith("_test.go"):
            continue
        in_const = False
        for n, line in enumerate(src.read_text().split("\n"), 1):
            if line.startswith("const ("):
                in_const = True
                continue
            if in_const and line.startswith(")"):
                in_const = False
                continue
            single = line.startswith("const ")
            if not (in_const or single):
                continue
            m = GO_CONST.match(line[len("const "):] if single else line)
            if not m:
                continue
            name, expr = m.groups()
            if re.search(r"\d", expr) and "C.IT_" not in expr and not expr.startswith('"'):
                problems.append(f"{src.name}:{n}: Go constant {name} = {expr} is a number: define it from C.IT_*")
    return problems


def main() -> int:
    header = header_constants(Path(sys.argv[1]).read_text())
    bindings = Path(sys.argv[2])
    problems: List[str] = []
    if len(header) < 40:
        problems.append(f"only {len(header)} header constants parsed: the parser no longer matches")

    py = python_constants(bindings / "python" / "infinitree" / "_constants.py")
    for name, value in sorted(header.items()):
        if name not in py:
            problems.append(f"python: {name} (= {value}) is missing from _constants.py")
        elif py[name] != value:
            problems.append(f"python: {name} is {py[name]}, the header says {value}")
    for name in sorted(set(py) - set(header)):
        problems.append(f"python: {name} is not in the header")

    go = bindings / "go"
    problems += go_problems(go)
    go_text = "\n".join(p.read_text() for p in sorted(go.glob("*.go")) if not p.name.endswith("_test.go"))
    for name in sorted(header):
        if re.match(r"IT_E[A-Z]+$", name) and f"C.{name}" not in go_text:
            problems.append(f"go: status code {name} has no Go constant (C.{name})")

    for p in problems:
        print(p)
    print(f"{len(header)} header constants, {len(py)} in Python; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
