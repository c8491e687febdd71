"""Runs every ```python block of docs/python.md, in order, in one namespace, in a fresh
folder, so the guide's examples are always true. Blocks fenced ```python no-run (those that
need an S3 server) are listed and compiled, never silently dropped."""

from __future__ import annotations

import os
import re
import sys
import types

from conftest import PKG_ROOT

DOC = PKG_ROOT.parent.parent / "docs" / "python.md"
FENCE = re.compile(r"^```python([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


def _blocks():
    return [(m.group(1).strip(), m.group(2), DOC.read_text()[: m.start()].count("\n") + 2) for m in FENCE.finditer(DOC.read_text())]


def test_guide_examples_run(tmp_path, capsys):
    blocks = _blocks()
    runnable = [b for b in blocks if b[0] == ""]
    not_run = [b for b in blocks if b[0] != ""]
    assert len(runnable) >= 8, "the guide lost its examples"
    # only S3 needs a server; anything else marked no-run is a mistake
    assert all(flags == "no-run" and "S3Backend" in code for flags, code, _ in not_run), not_run
    old = os.getcwd()
    os.chdir(tmp_path)
    # A real module, as a user's script is: dataclasses look their module up in sys.modules.
    module = types.ModuleType("__guide__")
    sys.modules[module.__name__] = module
    try:
        namespace: dict = module.__dict__
        for _flags, code, line in runnable:
            exec(compile(code, f"{DOC}:{line}", "exec"), namespace)
    finally:
        os.chdir(old)
        del sys.modules[module.__name__]
    for _flags, code, line in not_run:
        compile(code, f"{DOC}:{line}", "exec")  # at least valid Python
    out = capsys.readouterr().out
    assert "old password refused: -8" in out
