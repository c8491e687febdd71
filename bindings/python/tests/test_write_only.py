"""Write-only trees through the Python binding (docs/security.md, "Write-only trees"): the
writer stores a map entry, a value and a stream and commits; the reader lists the inbox,
opens the session read-only, reads it back byte for byte, copies it into its own tree and
reads it there. The writer cannot read; bad keys and closed sessions fail cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import infinitree
from infinitree import (
    Closed,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ReadOnly,
    WriteOnlySession,
    make_write_only_keys,
    open_write_only_session,
    write_key_of,
    write_only_sessions,
)

DATA = os.urandom(300_000)


def _write(where, write_key: str) -> int:
    with WriteOnlySession.open(where, write_key) as s:
        s.put("files", "a.txt", b"hello")
        s.set("note", "from the agent")
        w = s.create_stream()
        w.write(DATA[:100_000])
        w.write(DATA[100_000:])
        ref = w.finish()
        w.close()
        s.put("files", "big.bin", ref)
        c = s.commit("agent upload")
        assert c is not None and c.message == "agent upload"
        assert s.commit("again") is None  # nothing changed
        return s.index


def _check(source) -> None:
    """The writer's data, read through a tree (its head) or a view."""
    files = source.map("files")
    assert len(files) == 2
    assert files["a.txt"] == b"hello"
    ref = files["big.bin"]
    assert infinitree.is_stream_ref(ref)
    with source.open_stream(ref) as r:
        assert r.read() == DATA
    assert source.value("note").get() == b"from the agent"


def test_round_trip(tmp_path: Path) -> None:
    store = tmp_path / "store"
    keys = make_write_only_keys()
    assert keys.read_key.startswith("infinitree-read-key-1:") and len(keys.read_key) == 22 + 128
    assert keys.write_key.startswith("infinitree-write-key-1:") and len(keys.write_key) == 23 + 128
    assert write_key_of(keys.read_key) == keys.write_key
    assert write_key_of(keys.read_key + "\n") == keys.write_key  # as read from a file

    backend = infinitree.DirectoryBackend(str(store))
    assert write_only_sessions(backend, keys.read_key) == []
    assert _write(store, keys.write_key) == 0
    assert _write(backend, keys.write_key) == 1

    entries = write_only_sessions(store, keys.read_key)
    assert [(e.index, e.status, e.ok) for e in entries] == [(0, "ok", True), (1, "ok", True)]

    with open_write_only_session(backend, keys.read_key, 0) as session:
        assert session.read_only
        _check(session.checkout(session.head()))
        with pytest.raises(ReadOnly):
            session.map("files")["x"] = b"y"
        with infinitree.Tree.create_in(backend, "reader", "pw", kdf="fast") as mine:
            mine.copy_fields(session)  # from the session's head
            assert mine.has_changes
            mine.commit("import session 0")
        # Copying into a read-only tree is refused.
        with pytest.raises(ReadOnly):
            session.copy_fields(session)

    # The copy stands on its own.
    with infinitree.Tree.open_in(backend, "reader", "pw", kdf="fast") as mine:
        _check(mine)
        # From a view too: session 1 holds the same fields, so the tree reads the same.
        with open_write_only_session(backend, keys.read_key, 1) as s1, s1.checkout(s1.head()) as head:
            mine.copy_fields(head)
        mine.commit("import session 1")
        _check(mine)


def test_writer_cannot_read() -> None:
    backend = infinitree.MemoryBackend()
    keys = make_write_only_keys()
    with WriteOnlySession.open(backend, keys.write_key) as s:
        s.put("m", b"k", b"v")
        s.commit("c")
    with pytest.raises(PermissionDenied, match="write key"):
        write_only_sessions(backend, keys.write_key)
    with pytest.raises(PermissionDenied):
        open_write_only_session(backend, keys.write_key, 0)
    with pytest.raises(InvalidArgument):
        write_key_of(keys.write_key)
    # A read key may write too.
    with WriteOnlySession.open(backend, keys.read_key) as s:
        assert s.index == 1


def test_bad_keys_and_missing_sessions() -> None:
    backend = infinitree.MemoryBackend()
    keys = make_write_only_keys()
    other = make_write_only_keys()
    for bad in ("nonsense", "infinitree-write-key-1:abcd", keys.write_key[:30] + "z" + keys.write_key[31:]):
        with pytest.raises(InvalidArgument):
            WriteOnlySession.open(backend, bad)
    with pytest.raises(InvalidArgument):
        write_only_sessions(backend, "nonsense")
    with pytest.raises(InvalidArgument):
        open_write_only_session(backend, "nonsense", 0)
    with pytest.raises(TypeError):
        WriteOnlySession.open(backend, keys.write_key.encode())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        WriteOnlySession.open(backend, keys.write_key, read_only=True)

    with pytest.raises(NotFound):
        open_write_only_session(backend, keys.read_key, 0)
    with WriteOnlySession.open(backend, keys.write_key) as s:
        s.commit("empty")
    with pytest.raises(NotFound):
        open_write_only_session(backend, keys.read_key, 1)
    # That session committed nothing: it opens, but there is no head to copy.
    with open_write_only_session(backend, keys.read_key, 0) as empty, \
            infinitree.Tree.create_in(backend, "reader", "pw", kdf="fast") as mine:
        with pytest.raises(NotFound):
            mine.copy_fields(empty)
    # Another pair's read key sees another inbox.
    assert write_only_sessions(backend, other.read_key) == []
    with pytest.raises(NotFound):
        open_write_only_session(backend, other.read_key, 0)


def test_reading_a_missing_folder_leaves_none(tmp_path: Path) -> None:
    keys = make_write_only_keys()
    for call in (lambda: write_only_sessions(tmp_path / "nowhere", keys.read_key),
                 lambda: open_write_only_session(tmp_path / "nowhere", keys.read_key, 0)):
        with pytest.raises(NotFound):
            call()
    assert not (tmp_path / "nowhere").exists()


def test_closed_session() -> None:
    backend = infinitree.MemoryBackend()
    keys = make_write_only_keys()
    s = WriteOnlySession.open(backend, keys.write_key)
    s.put("m", "kept", b"1")
    s.commit("c")
    s.put("m", "lost", b"2")  # never committed
    w = s.create_stream()
    w.write(b"abc")
    s.close()
    s.close()  # twice is fine
    assert s.closed
    with pytest.raises(Closed):
        w.write(b"def")  # the C side answers IT_ECLOSED
    with pytest.raises(Closed):
        w.finish()
    w.close()
    for call in (lambda: s.put("m", "k", b"v"), lambda: s.set("v", b"x"), lambda: s.commit("c"), s.create_stream):
        with pytest.raises(Closed):
            call()
    with open_write_only_session(backend, keys.read_key, 0) as t:
        m = t.map("m")
        assert "kept" in m and "lost" not in m


def test_copy_type_clash() -> None:
    backend = infinitree.MemoryBackend()
    keys = make_write_only_keys()
    with WriteOnlySession.open(backend, keys.write_key) as s:
        s.put("files", "k", b"v")
        with pytest.raises(InvalidArgument):
            s.set("files", b"x")  # a map, not a value
        s.commit("c")
    with infinitree.Tree.create_in(backend, "reader", "pw", kdf="fast") as mine:
        mine.value("files").set(b"x")
        with open_write_only_session(backend, keys.read_key, 0) as t:
            with pytest.raises(InvalidArgument):
                mine.copy_fields(t)
            with pytest.raises(TypeError):
                mine.copy_fields("not a tree")  # type: ignore[arg-type]


def _entry_path(store: Path, key: str, index: int) -> Path:
    """The file of inbox entry ``index`` in a directory store, named as docs/format.md says
    ("Write-only inbox"): HKDF-SHA256(ikm = inbox secret, salt = "infinitree/v3/inbox",
    info = "entry-id" || u64 LE index), stored as <store>/<2 hex>/<64 hex>. Computed here from
    the documented format (RFC 5869 with the standard library), so the test also pins it."""
    import hashlib
    import hmac

    secret = bytes.fromhex(key.split(":", 1)[1].strip())[32:]
    prk = hmac.new(b"infinitree/v3/inbox", secret, hashlib.sha256).digest()
    name = hmac.new(prk, b"entry-id" + index.to_bytes(8, "little") + b"\x01", hashlib.sha256).hexdigest()
    return store / name[:2] / name


def test_gaps_and_damaged_entries_show(tmp_path: Path) -> None:
    store = tmp_path / "store"
    keys = make_write_only_keys()
    for i in range(4):
        with WriteOnlySession.open(store, keys.write_key) as s:
            s.put("m", "i", str(i))
            s.commit(f"session {i}")
    assert all(_entry_path(store, keys.write_key, i).is_file() for i in range(4))
    _entry_path(store, keys.read_key, 1).unlink()  # deleted: a gap, as entry 2 follows
    with open(_entry_path(store, keys.read_key, 2), "r+b") as f:  # overwritten: corrupt
        f.seek(20)
        f.write(b"\xff" * 8)
    entries = write_only_sessions(store, keys.read_key)
    assert [(e.index, e.status) for e in entries] == [(0, "ok"), (1, "missing"), (2, "corrupt"), (3, "ok")]
    with pytest.raises(NotFound):
        open_write_only_session(store, keys.read_key, 1)
    with pytest.raises(infinitree.Corrupt):
        open_write_only_session(store, keys.read_key, 2)
    with open_write_only_session(store, keys.read_key, 3) as t:
        assert t.map("m")["i"] == b"3"
    # A writer may refill a deleted entry (its search for a free one bisects); it held
    # nothing readable any more.
    with WriteOnlySession.open(store, keys.write_key) as s:
        assert s.index == 1
        s.put("m", "i", "refilled")
        s.commit("session 1 again")
    assert [e.status for e in write_only_sessions(store, keys.read_key)] == ["ok", "ok", "corrupt", "ok"]
