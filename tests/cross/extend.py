"""The Python step of the cross-language test (tests/cross/run.sh).

    python3 extend.py DIR WRITER

checks the base tree that WRITER ("c" or "go") wrote in DIR, then extends it with one commit
(the extension every final checker expects). Prints PASS/FAIL lines; exit status 1 on a
failure. Uses bindings/python (PYTHONPATH) and INFINITREE_LIBRARY.
"""

import sys

import infinitree

USER, PASSWORD = "cross", "pw-\u00fc"
failures = 0


def result(ok, what):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} python: {what}")
    if not ok:
        failures += 1


def attempt(what, fn):
    try:
        result(bool(fn()), what)
    except Exception as e:  # a failing check must not hide the others
        result(False, f"{what} ({type(e).__name__}: {e})")


def main():
    directory, writer = sys.argv[1], sys.argv[2]
    with infinitree.Tree.open(directory, USER, PASSWORD, kdf="fast") as t:
        log = list(t.log())
        attempt(f"log of the {writer} writer: base 2, base 1",
                lambda: [c.message for c in log] == ["base 2", "base 1"]
                and all(c.custom == b"writer" for c in log)
                and log[0].parent == log[1].id and log[1].parents == ())
        plain = t.map("plain", keys="bytes")
        attempt("plain: 101 keys, base 2 changes",
                lambda: len(plain) == 101 and plain[b"k000"] == b"changed" and b"k050" not in plain
                and plain[b"k099"] == b"v099")
        attempt("plain: binary key and value, empty value",
                lambda: plain[b"bin\x00\xff"] == bytes(range(256)) and plain[b"empty"] == b""
                and b"empty" in plain)
        attempt("plain: keys in bytewise order",
                lambda: list(plain.keys()) == sorted(plain.keys()))
        typed = t.map("typed", keys="typed")
        want = [("user", i) for i in range(10)] + [-5, (1 << 64) - 1]
        attempt("typed: order-preserving keys decode in order",
                lambda: list(typed.keys()) == want and typed[("user", 3)] == b"name 3"
                and typed[-5] == b"neg" and typed[(1 << 64) - 1] == b"umax")
        attempt("typed: Python's encoding equals the writer's",
                lambda: infinitree.encode_key(("user", 7)) in plain_keys(t))
        tags = t.set("tags", keys="bytes")
        attempt("set: red green blue", lambda: sorted(tags) == [b"blue", b"green", b"red"])
        events = t.list("events")
        attempt("list: e0 e1 e2", lambda: list(events) == [b"e0", b"e1", b"e2"])
        config = t.value("config")
        attempt("value: config v1", lambda: config.get() == b'{"v":1}')
        attempt("tag v1 and branch side",
                lambda: t.tags() == {"v1": log[1].id} and t.branches().get("side") == log[0].id)
        files = t.map("files", keys="bytes")

        def blob_ok():
            with t.open_stream(files[b"blob"]) as r:
                data = r.read()
            return data == bytes(((i * 31) ^ (i >> 10)) & 0xFF for i in range(300000))

        attempt("stream blob: 300000 bytes as written", blob_ok)
        with t.checkout("v1") as v:
            old = v.map("plain", keys="bytes")
            attempt("checkout v1", lambda: old[b"k000"] == b"v000" and b"k050" in old)

        # The extension.
        plain[b"py"] = b"python"
        del plain[b"k001"]
        typed[("user", 100)] = b"from python"
        tags.add(b"py")
        events.append(b"e3")
        config.set(b'{"v":2}')
        with t.create_stream() as w:
            data = bytes((i * 17 + 5) & 0xFF for i in range(200000))
            for off in range(0, len(data), 65536):
                w.write(data[off:off + 65536])
            files[b"py-blob"] = w.finish()
        c = t.commit("extend", custom=b"python")
        t.create_tag("py", c)
        attempt("extension committed", lambda: c is not None and c.sequence == 3 and c.parent == log[0].id)
    return 1 if failures else 0


def plain_keys(t):
    return set(t.map("typed", keys="bytes").keys())


if __name__ == "__main__":
    sys.exit(main())
