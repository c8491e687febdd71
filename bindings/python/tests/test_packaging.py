"""How the package finds the library, that it declares every C function it uses the way the
header does, and that `pip install bindings/python` produces a working package."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import infinitree
from infinitree import _lib
from conftest import PKG_ROOT, subprocess_env

HEADER = PKG_ROOT.parent.parent / "include" / "infinitree.h"
SOURCES = sorted((PKG_ROOT / "infinitree").glob("*.py"))


def _header_functions():
    """name -> number of parameters, from include/infinitree.h."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    found = {}
    for m in re.finditer(r"IT_API\s+[^;(]*?\b(it_\w+)\s*\(([^)]*)\)\s*;", text):
        params = m.group(2).strip()
        found[m.group(1)] = 0 if params in ("", "void") else params.count(",") + 1
    return found


def test_every_header_function_is_declared_with_its_arity():
    header = _header_functions()
    assert len(header) > 100
    assert set(_lib._PROTOTYPES) == set(header), set(header) ^ set(_lib._PROTOTYPES)
    for name, (_res, args) in _lib._PROTOTYPES.items():
        assert len(args) == header[name], name


def test_every_function_used_is_declared_and_present():
    used = set()
    for src in SOURCES:
        text = src.read_text()
        used |= set(re.findall(r'_f\["(it_\w+)"\]', text))
        for suffix in re.findall(r'_f\[self\._prefix \+ "(_\w+)"\]', text):
            used |= {"it_tree" + suffix, "it_view" + suffix}
    assert used, "no C calls found: the scan is broken"
    assert used <= set(_lib._PROTOTYPES), used - set(_lib._PROTOTYPES)
    missing = [n for n in _lib._PROTOTYPES if not hasattr(_lib.lib, n)]
    assert not missing, f"{_lib.path} lacks {missing}"
    for name, f in _lib.fn.items():
        assert f.argtypes is not None or not f.__class__.__name__.startswith("_FuncPtr"), name


def test_library_version_matches_package():
    assert infinitree.library_version() == infinitree.__version__


def test_library_next_to_the_package_is_found(tmp_path):
    pkg = tmp_path / "site" / "infinitree"
    shutil.copytree(PKG_ROOT / "infinitree", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    shutil.copy(Path(_lib.path).resolve(), pkg / "libinfinitree.so.0")
    env = subprocess_env()
    env.pop("INFINITREE_LIBRARY", None)
    env["PYTHONPATH"] = str(tmp_path / "site")
    out = subprocess.run(
        [sys.executable, "-c", "import infinitree; print(infinitree.library_path())"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(pkg / "libinfinitree.so.0")


def test_pip_install(tmp_path):
    """`pip install bindings/python`, offline (no build isolation: the installed setuptools)."""
    try:
        import setuptools  # noqa: F401

        can_build = True
        try:
            import wheel  # noqa: F401
        except ImportError:
            from setuptools import __version__ as v

            can_build = tuple(int(x) for x in v.split(".")[:2]) >= (70, 1)  # has bdist_wheel itself
    except ImportError:
        can_build = False
    if not can_build:
        # Offline without `wheel` pip cannot build any setuptools project; check what we can.
        warnings.warn("pip install not exercised: no `wheel` package for an offline build")
        from setuptools.config.pyprojecttoml import read_configuration

        conf = read_configuration(PKG_ROOT / "pyproject.toml")
        assert conf["project"]["name"] == "infinitree"
        return
    target = tmp_path / "target"
    # Build from a copy, so the in-tree build/ and egg-info folders never land in the checkout.
    src = tmp_path / "src"
    shutil.copytree(
        PKG_ROOT, src, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info", "tests", ".pytest_cache")
    )
    out = subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
            "--no-index", "--target", str(target), str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert (target / "infinitree" / "py.typed").exists()
    env = subprocess_env()
    env["PYTHONPATH"] = str(target)
    check = subprocess.run(
        [
            sys.executable, "-c",
            "import infinitree, sys; assert infinitree.__file__.startswith(sys.argv[1]), infinitree.__file__;"
            "t = infinitree.Tree.create_in(infinitree.MemoryBackend(), 'u', 'p', kdf='fast');"
            "t.map('m')[1] = b'x'; print(t.commit('c') is not None)",
            str(target),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "True"
