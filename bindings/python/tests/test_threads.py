"""One tree used by several threads at once (ctypes releases the GIL during C calls, so
the threads really run in the library concurrently)."""

from __future__ import annotations

import threading

import infinitree

THREADS = 4
PER_THREAD = 1000


def _run(workers):
    errors = []

    def wrap(fn, *args):
        try:
            fn(*args)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(fn, *args)) for fn, *args in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_threads_write_read_and_commit_one_tree(tree):
    m = tree.map("m")
    commits = []

    def writer(n):
        own = tree.map("m")  # a handle per thread and a shared one both work
        for i in range(PER_THREAD):
            key = (n, i)
            (own if i % 2 else m)[key] = b"%d-%d" % (n, i)
            assert m[key] == b"%d-%d" % (n, i)
            if i % 500 == 0:
                tree.list("events").append(b"%d" % n)

    def committer():
        for _ in range(10):
            c = tree.commit("periodic")
            if c:
                commits.append(c)

    def reader():
        for _ in range(8):
            seen = list(m.keys())
            assert seen == sorted(seen)  # a scan is ordered even while others write

    _run([(writer, n) for n in range(THREADS)] + [(committer,), (reader,)])
    tree.commit("final")
    assert len(m) == THREADS * PER_THREAD
    for n in range(THREADS):
        assert m.count((n,), (n + 1,)) == PER_THREAD
    assert len(tree.list("events")) == THREADS * (PER_THREAD // 500)
    ids = [c.id for c in tree.log()]
    assert len(ids) == len(set(ids)) >= 2


def test_threads_read_checkouts_while_writer_commits(tree):
    m = tree.map("m")
    for i in range(500):
        m[i] = b"0"
    first = tree.commit("first")

    def reader():
        with tree.checkout(first) as v:
            vm = v.map("m")
            for _ in range(5):
                assert set(vm.values()) == {b"0"}
                assert len(vm) == 500

    def writer():
        for round_ in range(1, 6):
            for i in range(0, 500, 7):
                m[i] = b"%d" % round_
            tree.commit(f"round {round_}")

    _run([(reader,), (reader,), (writer,)])
    assert m[0] == b"5"


def test_closing_the_tree_while_threads_use_it_raises_closed_only(tree_path):
    t = infinitree.Tree.create(tree_path, "u", "p", kdf="fast")
    m = t.map("m")
    started = threading.Event()
    outcomes = []

    def hammer():
        started.set()
        try:
            i = 0
            while True:
                m[i] = b"x"
                m.get(i)
                i += 1
        except infinitree.Closed:
            outcomes.append("closed")

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for th in threads:
        th.start()
    started.wait()
    t.close()
    for th in threads:
        th.join()
    assert outcomes == ["closed"] * 3
