"""`pip install ./bindings/python` and `pip wheel ./bindings/python` on a fresh virtual
environment, with no INFINITREE_LIBRARY: pip fetches the build backend (scikit-build-core)
from the package index, which runs the project's CMake to build libinfinitree.so and puts it
in the package; `import infinitree` must then find that copy.

Skipped, with pip's own error, only when the package index cannot be reached. The CMake build
goes to <checkout>/build-python-package (gitignored), a sibling of the usual build folder, with
the build type and compilers of the library the suite runs against: with ccache in the
environment (CMAKE_C_COMPILER_LAUNCHER=ccache, CMAKE_CXX_COMPILER_LAUNCHER=ccache), every
object is a cache hit of that build and the test takes about a minute, not a full build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import PKG_ROOT

REPO = PKG_ROOT.parent.parent
BUILD_DIR = REPO / "build-python-package"
PIP_TIMEOUT = 3600  # a build without ccache compiles the whole library


def _env() -> Dict[str, str]:
    """The caller's environment without anything that points at a library or this checkout;
    ccache as the compiler launcher when it is installed and none was chosen."""
    env = dict(os.environ)
    for name in ("INFINITREE_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH", "PIP_NO_INDEX"):
        env.pop(name, None)
    if shutil.which("ccache"):
        for lang in ("C", "CXX"):
            env.setdefault(f"CMAKE_{lang}_COMPILER_LAUNCHER", "ccache")
    return env


def _cmake_cache(name: str) -> str:
    """A value from the CMake cache of the library this suite runs against ("" if unknown)."""
    lib = os.environ.get("INFINITREE_LIBRARY")
    if not lib:
        return ""
    cache = Path(lib).resolve().parent / "CMakeCache.txt"
    if not cache.exists():
        return ""
    for line in cache.read_text(errors="replace").splitlines():
        if line.startswith(name + ":"):
            return line.split("=", 1)[1]
    return ""


def _config_settings() -> List[str]:
    """scikit-build-core settings that only make the build reuse the suite's compiled objects
    through ccache (same build type and compilers, fixed build folder); none changes what the
    package is."""
    settings = [f"build-dir={BUILD_DIR}"]
    build_type = _cmake_cache("CMAKE_BUILD_TYPE")
    if build_type in ("Release", "RelWithDebInfo", "Debug", "MinSizeRel"):  # not the sanitizer types
        settings.append(f"cmake.build-type={build_type}")
        for lang in ("C", "CXX"):
            compiler = _cmake_cache(f"CMAKE_{lang}_COMPILER")
            if compiler:
                settings.append(f"cmake.define.CMAKE_{lang}_COMPILER={compiler}")
    return [f"--config-settings={s}" for s in settings]


def _run(cmd: List[str], cwd: Path, timeout: float = PIP_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout)


def _venv(path: Path) -> Path:
    out = _run([sys.executable, "-m", "venv", str(path)], cwd=path.parent, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return path / "bin" / "python"


def _index_unreachable(python: Path, work: Path) -> str:
    """Why pip cannot fetch the build backend from the configured index, or "" if it can."""
    out = _run(
        [str(python), "-m", "pip", "download", "--no-deps", "--dest", str(work / "probe"), "scikit-build-core>=0.10"],
        cwd=work,
        timeout=300,
    )
    if out.returncode == 0:
        return ""
    return (out.stderr.strip().splitlines() or ["pip download failed"])[-1]


# What a user does after installing: open a tree, write, commit, read back; and say which
# library was loaded.
USE_IT = """
import sys, infinitree
t = infinitree.Tree.create_in(infinitree.MemoryBackend(), "u", "p", kdf="fast")
t.map("m")["fern"] = b"thirsty"
t.commit("c")
assert t.map("m")["fern"] == b"thirsty"
print(infinitree.library_path())
print(infinitree.library_version())
"""


def _check_installed(python: Path, work: Path) -> None:
    """`import infinitree` from the venv loads the library inside the installed package."""
    out = _run([str(python), "-c", USE_IT], cwd=work, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    lib_path, version = out.stdout.split()
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work)
    package = Path(site.stdout.strip()) / "infinitree"
    assert Path(lib_path) == package / "libinfinitree.so.0", lib_path
    assert version == "0.1.0"


def test_pip_wheel_and_pip_install_in_fresh_venvs(tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv")
    reason = _index_unreachable(python, tmp_path)
    if reason:
        pytest.skip(f"pip cannot reach the package index to fetch scikit-build-core: {reason}")
    shutil.rmtree(BUILD_DIR, ignore_errors=True)  # a fresh CMake configuration every time

    # 1. Build a wheel: it carries the library under its soname, and is tagged for any Python 3.
    wheels = tmp_path / "wheels"
    out = _run(
        [str(python), "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), *_config_settings(), str(PKG_ROOT)],
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    (wheel,) = wheels.glob("infinitree-*.whl")
    assert "-py3-none-linux_" in wheel.name, wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    assert "infinitree/libinfinitree.so.0" in names
    assert "infinitree/py.typed" in names and "infinitree/tree.py" in names
    assert not [n for n in names if n.startswith(("include/", "lib/", "bin/"))], names  # no C SDK

    # 2. That wheel installs into another fresh venv and works there.
    other = _venv(tmp_path / "venv-wheel")
    out = _run([str(other), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    _check_installed(other, tmp_path)

    # 3. `pip install ./bindings/python`, as a user types it (the build folder from step 1 is
    #    reused, so this rebuilds nothing).
    out = _run([str(python), "-m", "pip", "install", *_config_settings(), str(PKG_ROOT)], cwd=tmp_path)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-4000:]
    _check_installed(python, tmp_path)
