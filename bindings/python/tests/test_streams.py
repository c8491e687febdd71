"""Streams as file-like objects: write, finish, store the ref, read back, seek, read_at,
checkouts, dedup, and the error paths."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import threading

import pytest

import infinitree
from conftest import PASSWORD, USER


def _data(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


def test_stream_round_trip_through_a_map_and_reopen(tree_path):
    payload = _data(5 << 20)
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        with t.create_stream() as w:
            assert isinstance(w, io.RawIOBase) and w.writable() and not w.readable()
            shutil.copyfileobj(io.BytesIO(payload), w, 1 << 20)
            w.write(bytearray(b"tail"))
            w.write(memoryview(b"--end"))
            ref = w.finish()
            st = w.stats()
        assert st.bytes_in == len(payload) + 9 and st.chunks >= 1
        assert infinitree.is_stream_ref(ref) and not infinitree.is_stream_ref(b"not a ref")
        t.map("files")["big.bin"] = ref
        t.commit("file")
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as t:
        with t.open_stream(t.map("files")["big.bin"]) as r:
            assert r.readable() and r.seekable()
            assert r.size == len(r) == len(payload) + 9
            whole = r.read()
            assert hashlib.sha256(whole).digest() == hashlib.sha256(payload + b"tail--end").digest()
            assert r.read(10) == b""  # at the end
            assert r.seek(100) == 100 and r.tell() == 100
            assert r.read(50) == payload[100:150]
            assert r.seek(-5, io.SEEK_END) == len(payload) + 4
            assert r.read() == b"--end"
            r.seek(10)
            assert r.seek(10, io.SEEK_CUR) == 20
            buf = bytearray(16)
            assert r.readinto(buf) == 16 and bytes(buf) == payload[20:36]
            assert r.read_at(1 << 20, 8) == payload[1 << 20 : (1 << 20) + 8]
            assert r.tell() == 36  # read_at does not move
            br = io.BufferedReader(r)
            br.seek(3 << 20)
            assert br.read(4) == payload[3 << 20 : (3 << 20) + 4]


def test_empty_stream_and_dedup(tree):
    with tree.create_stream() as w:
        empty = w.finish()
    with tree.open_stream(empty) as r:
        assert r.size == 0 and r.read() == b""
    block = _data(3 << 20, seed=7)
    with tree.create_stream() as w:
        w.write(block)
        first = w.finish()
    with tree.create_stream() as w:
        w.write(block)
        second = w.finish()
        st = w.stats()
    assert st.bytes_in == len(block)
    assert st.bytes_new < len(block)  # the same content is stored once
    with tree.open_stream(second) as r:
        assert r.read() == block
    assert first  # both refs are usable
    with tree.open_stream(first) as r:
        assert r.read_at(0, 4) == block[:4]


def test_stream_from_a_checkout(tree):
    with tree.create_stream() as w:
        w.write(b"version one")
        ref1 = w.finish()
    tree.map("files")[b"f"] = ref1
    c1 = tree.commit("v1")
    with tree.create_stream() as w:
        w.write(b"version two")
        tree.map("files")[b"f"] = w.finish()
    tree.commit("v2")
    with tree.checkout(c1) as old:
        with old.open_stream(old.map("files")[b"f"]) as r:
            assert r.read() == b"version one"


def test_stream_errors(tree_path):
    t = infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast")
    with pytest.raises(infinitree.Corrupt):
        t.open_stream(b"definitely not a stream ref")
    w = t.create_stream()
    w.write(b"abc")
    ref = w.finish()
    with pytest.raises(infinitree.Closed):
        w.write(b"more")  # finished
    w.close()
    with pytest.raises(infinitree.Closed):
        w.write(b"more")
    r = t.open_stream(ref)
    with pytest.raises(infinitree.InvalidArgument):
        r.seek(4)  # past the end
    with pytest.raises(ValueError):
        r.seek(-1)
    r2 = t.open_stream(ref)
    r2.close()
    with pytest.raises(ValueError):  # Closed, like a closed file
        r2.read()
    abandoned = t.create_stream()
    abandoned.write(b"never finished")
    del abandoned  # freed by the finalizer: abandoned, no crash
    t.commit("c", force=True)
    t.close()
    with pytest.raises(infinitree.Closed):
        r.read()
    with pytest.raises(infinitree.Closed):
        t.create_stream()
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as ro:
        with pytest.raises(infinitree.ReadOnly):
            ro.create_stream()


def test_read_at_from_threads(tree):
    payload = _data(2 << 20, seed=3)
    with tree.create_stream() as w:
        w.write(payload)
        ref = w.finish()
    errors = []
    with tree.open_stream(ref) as r:

        def worker(seed):
            rnd = random.Random(seed)
            try:
                for _ in range(200):
                    pos = rnd.randrange(len(payload))
                    n = rnd.randrange(1, 5000)
                    assert r.read_at(pos, n) == payload[pos : pos + n]
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    assert not errors, errors


def test_stream_from_a_file(tree, tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(300_000))
    with tree.create_stream() as w, open(src, "rb") as f:
        shutil.copyfileobj(f, w)
        ref = w.finish()
    out = tmp_path / "out.bin"
    with tree.open_stream(ref) as r, open(out, "wb") as f:
        shutil.copyfileobj(r, f)
    assert out.read_bytes() == src.read_bytes()
