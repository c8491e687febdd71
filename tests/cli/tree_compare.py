#!/usr/bin/env python3
"""Compares two folder trees as `infinitree restore` must reproduce them: the same paths,
kinds, permission bits, mtimes (ns), symlink targets and file bytes. Exit 1 with the
differences listed. The roots' own mode/mtime are compared too."""
import os
import stat
import sys


def scan(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        for name in [rel_dir] + [os.path.join(rel_dir, n) for n in dirnames + filenames]:
            rel = os.path.normpath(name)
            if rel in out:
                continue
            st = os.lstat(os.path.join(root, rel))
            info = {"kind": stat.S_IFMT(st.st_mode), "mode": stat.S_IMODE(st.st_mode),
                    "mtime": st.st_mtime_ns}
            if stat.S_ISLNK(st.st_mode):
                info["target"] = os.readlink(os.path.join(root, rel))
            elif stat.S_ISREG(st.st_mode):
                info["size"] = st.st_size
            out[rel] = info
    return out


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def main():
    a, b = sys.argv[1], sys.argv[2]
    sa, sb = scan(a), scan(b)
    problems = []
    for rel in sorted(set(sa) | set(sb)):
        if rel not in sa or rel not in sb:
            problems.append(f"{rel}: only in {'first' if rel in sa else 'second'}")
            continue
        if sa[rel] != sb[rel]:
            problems.append(f"{rel}: {sa[rel]} != {sb[rel]}")
        elif stat.S_ISREG(sa[rel]["kind"]) and not same_bytes(os.path.join(a, rel), os.path.join(b, rel)):
            problems.append(f"{rel}: contents differ")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
