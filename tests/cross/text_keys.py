"""The Python step of the text-key chain of the cross-language test (tests/cross/run.sh).

    python3 text_keys.py DIR

finds "fern", written by `infinitree put fern shade`, with the obvious ``m.get("fern")`` on a
map in the default key mode, then writes ``m["moss"] = "damp"`` and commits, for C, Go and
the CLI to find. Prints PASS/FAIL lines; exit status 1 on a failure.
"""

import sys

import infinitree

failures = 0


def result(ok, what):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} python: {what}")
    if not ok:
        failures += 1


def main():
    with infinitree.Tree.open(sys.argv[1], "cross", "pw-\u00fc", kdf="fast") as t:
        m = t.map("kv")  # the default key mode, as a new user writes it
        result(m.get("fern") == b"shade", "m.get('fern') finds the CLI's `put fern shade`")
        result("fern" in m and m[b"fern"] == b"shade", "'fern' in m; m[b'fern'] is the same key")
        result(t.map("kv", keys="str").get("fern") == b"shade" and "fern" in list(t.map("kv", keys="str")),
               "keys='str' finds it too and iterates it as str")
        m["moss"] = "damp"
        t.commit("python: moss")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
