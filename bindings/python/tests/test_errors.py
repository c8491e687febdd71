"""Every error path: each raises the right infinitree.Error subclass, with the code and the
library's message, and nothing ever crashes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import infinitree
from conftest import PASSWORD, USER, subprocess_env


def _objects(store: Path):
    """Object files of a directory store (locks excluded), by name."""
    return {p.name: p for p in store.rglob("*") if p.is_file() and p.parent.name != "locks"}


def _root_names(store: Path):
    return {p.name.split(".")[0] for p in (store / "locks").iterdir()}


def test_error_classes_carry_code_and_message():
    for code, cls in infinitree.errors.BY_CODE.items():
        assert issubclass(cls, infinitree.Error)
        e = cls(code, "msg")
        assert e.code == code and str(e) == "msg"
        assert infinitree.strerror(code) not in ("", "unknown")
    assert infinitree.strerror(-999) == "unknown"
    assert issubclass(infinitree.KeyNotFound, KeyError)
    assert issubclass(infinitree.IndexOutOfRange, IndexError)
    assert issubclass(infinitree.TooLarge, ValueError)
    assert issubclass(infinitree.IOFailure, OSError)
    assert issubclass(infinitree.Truncated, infinitree.Corrupt)
    import pickle

    e = pickle.loads(pickle.dumps(infinitree.Locked(-10, "held")))
    assert type(e) is infinitree.Locked and e.code == -10 and e.message == "held"


def test_wrong_password_and_wrong_user(tree_path):
    infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast").close()
    with pytest.raises(infinitree.WrongCredentials) as ei:
        infinitree.Tree.open(tree_path, USER, "wrong", kdf="fast")
    assert ei.value.code == -8 and ei.value.message
    with pytest.raises(infinitree.WrongCredentials):
        infinitree.Tree.open(tree_path, "mallory", PASSWORD, kdf="fast")
    # No tree at all (a missing or empty store) is not a credentials problem.
    with pytest.raises(infinitree.NotFound):
        infinitree.Tree.open(tree_path.parent / "nothing-here", USER, PASSWORD, kdf="fast")
    assert not (tree_path.parent / "nothing-here").exists()  # opening creates nothing
    (tree_path.parent / "empty").mkdir()
    with pytest.raises(infinitree.NotFound):
        infinitree.Tree.open(tree_path.parent / "empty", USER, PASSWORD, kdf="fast")


def test_create_twice_is_already_exists(tree_path):
    infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast").close()
    with pytest.raises(infinitree.AlreadyExists) as ei:
        infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast")
    assert ei.value.code == -9


def test_missing_key_is_key_error(tree):
    m = tree.map("m")
    with pytest.raises(KeyError) as ei:
        m[b"absent"]
    assert isinstance(ei.value, infinitree.KeyNotFound) and ei.value.code == -2
    assert "not found" in str(ei.value)


def test_closed_tree_and_its_handles_raise_closed(tree_path):
    t = infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast")
    m, s, lst, v = t.map("m"), t.set("s"), t.list("l"), t.value("v")
    m[b"k"] = b"v"
    c = t.commit("c")
    view = t.checkout(c)
    vm = view.map("m")
    it = iter(m.items())
    assert next(it) == (b"k", b"v")
    t.close()
    t.close()  # twice is fine
    assert t.closed
    for op in (
        lambda: m[b"k"],
        lambda: m.__setitem__(b"k", b"v"),
        lambda: len(m),
        lambda: list(m),
        lambda: s.add(b"x"),
        lambda: lst.append(b"x"),
        lambda: v.get(),
        lambda: vm[b"k"],
        lambda: view.map("m"),
        lambda: next(it),
        lambda: t.map("m"),
        lambda: t.commit("again", force=True),
        lambda: list(t.log()),
    ):
        with pytest.raises(infinitree.Closed) as ei:
            op()
        assert ei.value.code == -12
    # the lock is released: another writer may open now
    infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast").close()


def test_closed_handles_raise_closed_not_crash(tree):
    m = tree.map("m")
    m.close()
    m.close()
    with pytest.raises(infinitree.Closed):
        m[b"k"]
    with pytest.raises(infinitree.Closed):
        m[b"k"] = b"v"
    with pytest.raises(infinitree.Closed):
        list(m)
    with tree.map("m2") as m2:
        m2[b"a"] = b"b"
    with pytest.raises(infinitree.Closed):
        len(m2)
    tree.commit("c")
    view = tree.checkout(tree.head())
    view.close()
    with pytest.raises(infinitree.Closed):
        view.map("m2")
    b = infinitree.MemoryBackend()
    b.close()
    with pytest.raises(infinitree.Closed):
        infinitree.Tree.create_in(b, USER, PASSWORD, kdf="fast")


def test_handles_keep_their_tree_alive_and_free_it_after(tree_path):
    t = infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast")
    m = t.map("m")
    m[b"k"] = b"v"
    del t  # the map keeps the tree (and its writer lock) alive
    gc.collect()
    assert m[b"k"] == b"v"
    with pytest.raises(infinitree.Locked):
        infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast")
    del m  # the last reference: the tree is freed (closed, uncommitted changes discarded)
    gc.collect()
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast") as t2:
        assert t2.head() is None


def test_too_large_key_and_value(tree):
    m = tree.map("m")
    with pytest.raises(infinitree.TooLarge) as ei:
        m[b"k" * (infinitree.MAX_KEY_SIZE + 1)] = b"v"
    assert ei.value.code == -11
    m[b"k" * infinitree.MAX_KEY_SIZE] = b"v"  # the limit itself is fine
    big = bytes(infinitree.MAX_VALUE_SIZE + 1)
    with pytest.raises(infinitree.TooLarge):
        m[b"big"] = big
    del big
    assert b"big" not in m


def test_locked_second_writer(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        t.map("m")[b"k"] = b"v"
        t.commit("c")
        with pytest.raises(infinitree.Locked) as ei:
            infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast")
        assert ei.value.code == -10
        # from another process too
        code = textwrap.dedent(
            f"""
            import infinitree, sys
            try:
                infinitree.Tree.open({str(tree_path)!r}, {USER!r}, {PASSWORD!r}, kdf="fast")
            except infinitree.Locked as e:
                print("locked", e.code)
            with infinitree.Tree.open({str(tree_path)!r}, {USER!r}, {PASSWORD!r}, kdf="fast", read_only=True) as r:
                print(r.map("m")[b"k"].decode(), r.read_only)
            """
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["locked", "-10", "v", "True"]


def test_read_only_tree_and_checkouts_refuse_writes(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        t.map("m")[b"k"] = b"v"
        t.set("s").add(b"x")
        t.list("l").append(b"x")
        t.value("v").set(b"x")
        c = t.commit("c")
        with t.checkout(c) as view:
            for op in (
                lambda: view.map("m").__setitem__(b"k", b"w"),
                lambda: view.map("m").__delitem__(b"k"),
                lambda: view.map("m").delete_range(),
                lambda: view.set("s").add(b"y"),
                lambda: view.list("l").append(b"y"),
                lambda: view.value("v").set(b"y"),
            ):
                with pytest.raises(infinitree.ReadOnly) as ei:
                    op()
                assert ei.value.code == -18
            assert view.map("m")[b"k"] == b"v"
            with pytest.raises(infinitree.NotFound):
                view.map("never-existed")
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as r:
        assert r.read_only
        with pytest.raises(infinitree.ReadOnly):
            r.map("m")[b"k2"] = b"v"
        with pytest.raises(infinitree.ReadOnly):
            r.commit("nope", force=True)


def test_tampered_object_is_corrupt(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        m = t.map("m")
        for i in range(200):
            m[i] = b"%d" % i
        t.commit("c")
    roots = _root_names(tree_path)
    data_objects = [p for name, p in _objects(tree_path).items() if name not in roots]
    assert data_objects
    for p in data_objects:
        raw = bytearray(p.read_bytes())
        assert len(raw) == 4 << 20  # every object is exactly 4 MiB
        for i in range(len(raw)):
            raw[i] ^= 0x5A
        p.write_bytes(bytes(raw))
    with pytest.raises(infinitree.Corrupt) as ei:
        with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast") as t:
            dict(t.map("m"))
    assert ei.value.code == -5 and ei.value.message


def test_missing_object_is_object_missing(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        t.map("m")[b"k"] = b"v"
        t.commit("c")
    roots = _root_names(tree_path)
    for name, p in _objects(tree_path).items():
        if name not in roots:
            p.unlink()
    with pytest.raises(infinitree.ObjectMissing) as ei:
        with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast") as t:
            t.map("m")[b"k"]
    assert ei.value.code == -3


def test_invalid_arguments(tree):
    tree.map("m")
    with pytest.raises(infinitree.InvalidArgument) as ei:
        tree.set("m")  # the field exists with another type
    assert ei.value.code == -1
    with pytest.raises(ValueError):
        tree.map("bad\x00name")
    with pytest.raises(infinitree.NotFound):
        tree.checkout("no-such-ref")
    with pytest.raises(ValueError):
        list(tree.log(single="a", up_to="b"))


def test_switch_branch_with_changes_is_conflict(tree):
    tree.map("m")[b"a"] = b"1"
    tree.commit("c")
    tree.create_branch("dev")
    tree.map("m")[b"b"] = b"2"
    with pytest.raises(infinitree.Conflict) as ei:
        tree.switch_branch("dev")
    assert ei.value.code == -17


def test_library_not_found_is_a_clear_import_error(tmp_path):
    env = subprocess_env()
    env["INFINITREE_LIBRARY"] = str(tmp_path / "missing" / "libinfinitree.so")
    out = subprocess.run(
        [sys.executable, "-c", "import infinitree"], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode != 0
    assert "ImportError" in out.stderr and "INFINITREE_LIBRARY" in out.stderr


def test_s3_settings_are_typed():
    """Each S3 setting goes through its typed C setter; bad ones fail before any request."""
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.S3Backend("s3://b", max_attempts=0)  # the library refuses 0 attempts
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.S3Backend("s3://b", max_attempts=-1)  # not a uint32
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.S3Backend("s3://b", addressing="sideways")
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.S3Backend("http://not-s3")
    b = infinitree.S3Backend(
        "s3://bucket/p", endpoint="http://127.0.0.1:1", retry_base_ms=0, addressing="path",
        access_key_id="k", secret_access_key="s",
    )
    assert b.describe().startswith("s3://bucket")
    b.close()


def test_user_names_longer_than_255_bytes_are_refused():
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.Tree.create_in(infinitree.MemoryBackend(), "u" * 256, "pw", kdf="fast")
    with infinitree.Tree.create_in(infinitree.MemoryBackend(), "u" * 255, "pw", kdf="fast") as t:
        assert not t.read_only
