#!/usr/bin/env python3
"""Checks what libinfinitree++.so exports against the public C++ headers.

  check_cxx_exports.py LIBINFINITREE++.SO CORE_ARCHIVE... --headers INCLUDE_DIR

1. Every dynamic symbol the library defines is public C++ API: a name in namespace
   infinitree (or infinitree::keys), or the vtable/typeinfo of one. Internal layers
   (infinitree::btree::, infinitree::detail:: ...), libstdc++ instantiations and the C ABI
   (it_*) must not leak.
2. Nothing the public headers declare is left hidden: a class or function named in
   include/infinitree/*.hpp whose code the core archive defines with hidden visibility
   (it lacks INFINITREE_EXPORT) would link in the build tree and fail for every user of the
   installed library.
Prints what it found; exits 1 on any problem.
"""
import re
import subprocess
import sys
from pathlib import Path

PUBLIC_NAMESPACES = {"keys"}  # namespaces inside infinitree that are public API
PREFIXES = ("typeinfo name for ", "typeinfo for ", "vtable for ")


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, check=True, capture_output=True, text=True).stdout


def demangle(text):
    return run(["c++filt"], text).splitlines()


def public_name(sym):
    """The public entity a symbol belongs to ('Tree', 'keys::decode'), or None."""
    for p in PREFIXES:
        if sym.startswith(p):
            sym = sym[len(p):]
            break
    m = re.match(r"infinitree::(\w+)(::(\w+))?", sym)
    if not m:
        return None
    first, second = m.group(1), m.group(3)
    if second is not None and first[0].islower():  # a namespace, not a class
        return f"{first}::{second}" if first in PUBLIC_NAMESPACES else None
    return first


def declared_names(include_dir):
    """Classes and free functions the public headers declare."""
    names = set()
    for h in Path(include_dir, "infinitree").glob("*.hpp"):
        text = h.read_text()
        ns = "keys::" if "namespace infinitree::keys" in text else ""
        for m in re.finditer(r"^(?:class|struct) (?:INFINITREE_EXPORT )?(\w+)\b(?!;)", text, re.M):
            names.add(m.group(1))
        for m in re.finditer(r"^enum (?:class )?(\w+)", text, re.M):
            names.add(m.group(1))
        # Free functions: declarations at column 0 (members are indented).
        for m in re.finditer(r"^(?:INFINITREE_EXPORT )?(?:[\w:<>,*&]+[ \t]+)+[*&]?(\w+)\(", text, re.M):
            names.add(ns + m.group(1))
    return names


def main():
    args = sys.argv[1:]
    i = args.index("--headers")
    lib, archives, include_dir = args[0], args[1:i], args[i + 1]
    problems = []

    exported = []
    for line in demangle(run(["nm", "-D", "--defined-only", lib])):
        parts = line.split(" ", 2)
        if len(parts) == 3:
            exported.append(parts[2])
    if not exported:
        problems.append(f"{lib} exports nothing")
    declared = declared_names(include_dir)
    for sym in exported:
        if public_name(sym) not in declared:
            problems.append(f"exported but not public C++ API: {sym}")
    exported_set = set(exported)
    for must in ("typeinfo for infinitree::Error", "vtable for infinitree::Backend"):
        if must not in exported_set:
            problems.append(f"not exported (needed across the library boundary): {must}")

    hidden = set()
    for archive in archives:
        # readelf shows visibility; the archive holds every object of the core.
        out = run(["readelf", "-sW", archive])
        mangled = [f[7] for f in (l.split() for l in out.splitlines())
                   if len(f) >= 8 and f[4] == "GLOBAL" and f[5] == "HIDDEN"
                   and f[6] != "UND"]
        for sym in demangle("\n".join(mangled)):
            name = public_name(sym)
            # An internal overload of a public name (make_directory_backend(path,
            # DirectoryOptions)) names an internal type in its signature: not public.
            internal_type = any(t not in declared and t not in PUBLIC_NAMESPACES
                                for t in re.findall(r"infinitree::(\w+)", sym))
            if name in declared and not internal_type:
                hidden.add(sym)
    for sym in sorted(hidden):
        problems.append(f"declared in a public header but hidden (add INFINITREE_EXPORT): {sym}")

    for p in problems:
        print(p)
    print(f"{len(exported)} exported symbols, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
