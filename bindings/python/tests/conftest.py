"""Shared fixtures. The library is found through INFINITREE_LIBRARY (scripts/test.sh sets it
to <build>/libinfinitree.so); if it cannot be loaded the whole run stops with a clear
message instead of skipping anything."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
PKG_ROOT = HERE.parent  # bindings/python
sys.path.insert(0, str(PKG_ROOT))

try:
    import infinitree  # noqa: E402
except ImportError as e:  # pragma: no cover - the message is the point
    pytest.exit(
        f"cannot load libinfinitree for the Python tests: {e}\n"
        "Build it (ninja -C <build> libinfinitree.so) and run with "
        "INFINITREE_LIBRARY=<build>/libinfinitree.so",
        returncode=3,
    )

USER = "alice"
PASSWORD = "correct horse"


@pytest.fixture
def tree_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def tree(tree_path: Path) -> Iterator["infinitree.Tree"]:
    """A fresh tree in a directory, fast KDF."""
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        yield t


@pytest.fixture
def mem_tree() -> Iterator["infinitree.Tree"]:
    with infinitree.Tree.create_in(infinitree.MemoryBackend(), USER, PASSWORD, kdf="fast") as t:
        yield t


def subprocess_env() -> dict:
    """The environment for child Pythons: the package on the path, the same library."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PKG_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
