"""How the package finds the library, that it declares every C function it uses the way the
header does. (`pip install bindings/python` itself: test_pip_package.py.)"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import sys
from pathlib import Path

import infinitree
from infinitree import _lib
from conftest import PKG_ROOT, subprocess_env

HEADER = PKG_ROOT.parent.parent / "include" / "infinitree.h"
SOURCES = sorted((PKG_ROOT / "infinitree").glob("*.py"))


def _header_declarations():
    """name -> (return type, [parameter types]) of every function in include/infinitree.h."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    found = {}
    for m in re.finditer(r"IT_API\s+([^;(]*?)\b(it_\w+)\s*\(([^)]*)\)\s*;", text):
        params = " ".join(m.group(3).split())
        types = []
        if params not in ("", "void"):
            for p in params.split(","):
                # drop the parameter name; keep the type, with `*` attached, without spaces
                types.append(re.sub(r"\s*\w+$", "", p.strip()).replace(" ", ""))
        found[m.group(2)] = (m.group(1).replace(" ", ""), types)
    return found


def _ctypes_for(c_type: str, enums, handles):
    """The ctypes types the package may declare for a C type (a `const void*` may be passed
    as bytes or as an address)."""
    bare = c_type.replace("const", "")
    if bare.rstrip("*") in handles:
        return {ctypes.POINTER(ctypes.c_void_p)} if bare.endswith("**") else {ctypes.c_void_p}
    if bare.rstrip("*") in enums:
        return {ctypes.POINTER(ctypes.c_int)} if bare.endswith("*") else {ctypes.c_int}
    table = {
        "it_buf*": {ctypes.POINTER(_lib.Buf)},
        "it_stats*": {ctypes.POINTER(_lib.Stats)},
        "it_stream_stats*": {ctypes.POINTER(_lib.StreamStats)},
        "it_space_report*": {ctypes.POINTER(_lib.SpaceReport)},
        "char**": {ctypes.POINTER(ctypes.c_char_p)},  # const char* const*: an array of names
        "char*": {ctypes.c_char_p},
        "void*": {ctypes.c_char_p, ctypes.c_void_p},
        "int": {ctypes.c_int},
        "int*": {ctypes.POINTER(ctypes.c_int)},
        "size_t": {ctypes.c_size_t},
        "size_t*": {ctypes.POINTER(ctypes.c_size_t)},
        "uint32_t": {ctypes.c_uint32},
        "uint64_t": {ctypes.c_uint64},
        "uint64_t*": {ctypes.POINTER(ctypes.c_uint64)},
        "int64_t": {ctypes.c_int64},
        "int64_t*": {ctypes.POINTER(ctypes.c_int64)},
        "double": {ctypes.c_double},
        "double*": {ctypes.POINTER(ctypes.c_double)},
        "void": {None},
    }
    return table[bare]


def test_every_header_function_is_declared_with_its_types():
    header = _header_declarations()
    text = HEADER.read_text()
    enums = set(re.findall(r"typedef enum (it_\w+)", text))
    handles = set(re.findall(r"typedef struct (it_\w+) \1;", text))
    assert len(header) > 100
    assert set(_lib._PROTOTYPES) == set(header), set(header) ^ set(_lib._PROTOTYPES)
    for name, (res, args) in _lib._PROTOTYPES.items():
        c_ret, c_params = header[name]
        assert res in _ctypes_for(c_ret, enums, handles), f"{name}: restype {res} for {c_ret}"
        assert len(args) == len(c_params), name
        for i, (declared, c_type) in enumerate(zip(args, c_params)):
            assert declared in _ctypes_for(c_type, enums, handles), f"{name} parameter {i}: {declared} for {c_type}"


def test_structs_match_the_header():
    """The fields of the versioned structs, in order, with their widths."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    widths = {"uint32_t": ctypes.c_uint32, "uint64_t": ctypes.c_uint64}
    for c_name, py in (
        ("it_stats", _lib.Stats),
        ("it_stream_stats", _lib.StreamStats),
        ("it_space_report", _lib.SpaceReport),
    ):
        body = re.search(r"typedef struct %s \{(.*?)\}" % c_name, text, flags=re.S).group(1)
        fields = [tuple(f.split()) for f in body.split(";") if f.strip()]
        assert [(widths[t], n) for t, n in fields] == [(t, n) for n, t in py._fields_], c_name


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


def test_no_import_cycle_between_lib_and_errors():
    """errors.py defines the exceptions and imports only _constants (which imports nothing),
    so _lib can raise them without the two modules importing each other."""
    import ast

    def package_imports(module: str):
        tree = ast.parse((PKG_ROOT / "infinitree" / f"{module}.py").read_text())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
        return found

    assert package_imports("_constants") == set()
    assert package_imports("errors") == {"_constants"}
    assert "_lib" not in package_imports("errors")
    assert "errors" in package_imports("_lib")
