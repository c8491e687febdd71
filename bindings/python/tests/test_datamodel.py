"""The data model from Python: time and descending key components, tuple subspaces."""

from __future__ import annotations

import datetime as dt
import random

import pytest

import infinitree
from infinitree import Desc, decode_key, encode_key

UTC = dt.timezone.utc


def test_time_components_sort_by_instant_and_round_trip() -> None:
    rng = random.Random(1)
    times = [dt.datetime(1900, 1, 1, tzinfo=UTC), dt.datetime(1970, 1, 1, tzinfo=UTC)]
    times += [dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=rng.randint(-10**15, 10**15))
              for _ in range(300)]
    enc = sorted((encode_key(t), t) for t in times)
    assert [t for _, t in enc] == sorted(times)
    for raw, t in enc:
        assert decode_key(raw) == t
    # Another zone is the same instant.
    paris = dt.timezone(dt.timedelta(hours=1))
    assert encode_key(dt.datetime(2020, 1, 1, 1, tzinfo=paris)) == encode_key(dt.datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(TypeError):
        encode_key(dt.datetime(2020, 1, 1))  # naive


def test_descending_components_reverse_the_order() -> None:
    rng = random.Random(2)
    for gen in (lambda: rng.randint(-2**63, 2**63 - 1),
                lambda: "".join(rng.choice("\0a\xff") for _ in range(rng.randint(0, 3))),
                lambda: rng.uniform(-1e9, 1e9)):
        values = sorted({gen() for _ in range(200)})
        keys = [encode_key(("k", Desc(v), 1)) for v in values]
        assert keys == sorted(keys, reverse=True)
        for v, k in zip(values, keys):
            assert decode_key(k) == ("k", Desc(v), 1)
    with pytest.raises(TypeError):
        encode_key(Desc(("a", 1)))


def test_log_newest_first_and_subspace_delete(mem_tree: infinitree.Tree) -> None:
    m = mem_tree.map("events", keys="typed")
    base = dt.datetime(2024, 5, 1, tzinfo=UTC)
    model = {}
    for who in ("ann", "bob"):
        for i in range(300):
            k = (who, Desc(base + dt.timedelta(minutes=i)), i % 7)
            m[k] = str(i).encode()
            model[k] = str(i).encode()
    # Newest first within a subspace.
    got = [k for k, _ in m.prefix(("bob",))]
    assert got[0][1] == Desc(base + dt.timedelta(minutes=299))
    assert got == sorted((k for k in model if k[0] == "bob"), key=lambda k: k[1].value, reverse=True)
    mem_tree.commit("fill")
    assert m.count_prefix(("ann",)) == 300
    assert m.delete_prefix(("ann",)) == 300
    assert m.count_prefix(("ann",)) == 0
    assert len(m) == 300
    assert dict(m.items()) == {k: v for k, v in model.items() if k[0] == "bob"}
    # The commit before still has them.
    head = mem_tree.head()
    assert head is not None
    assert len(mem_tree.checkout(head.id).map("events", keys="typed")) == 600


def test_data_model_guide_examples_run(tmp_path, monkeypatch) -> None:
    """Every ```python block of docs/data-model.md, in order, in one namespace."""
    import re
    import sys
    import types
    from conftest import PKG_ROOT

    doc = PKG_ROOT.parent.parent / "docs" / "data-model.md"
    text = doc.read_text()
    blocks = [(m.group(1), text[: m.start()].count("\n") + 2)
              for m in re.finditer(r"^```python\n(.*?)^```\s*$", text, flags=re.M | re.S)]
    assert len(blocks) >= 2, "the guide lost its examples"
    monkeypatch.chdir(tmp_path)
    # A real module, as a user's script is: dataclasses look their module up in sys.modules.
    module = types.ModuleType("__data_model_guide__")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace: dict = module.__dict__
    for code, line in blocks:
        exec(compile(code, f"{doc}:{line}", "exec"), namespace)


def test_multimap_matches_a_dict_of_sets_at_several_commits(mem_tree: infinitree.Tree) -> None:
    rng = random.Random(7)
    mm = infinitree.MultiMap(mem_tree.map("tags"))
    model: dict = {}
    words = [b"", b"a", b"a\0", b"ab", b"\xff"]
    snapshots = []
    for _round in range(5):
        for _ in range(150):
            k, v = rng.choice(words), rng.choice(words) + rng.choice(words)
            op = rng.random()
            if op < 0.2:
                assert mm.remove_one(k, v) == (v in model.get(k, set()))
                model.get(k, set()).discard(v)
            elif op < 0.25:
                assert mm.remove_all(k) == len(model.get(k, set()))
                model.pop(k, None)
            else:
                assert mm.put(k, v) == (v not in model.get(k, set()))
                model.setdefault(k, set()).add(v)
        for k in words:
            assert mm.get_all(k) == sorted(model.get(k, set()))
            assert mm.count(k) == len(model.get(k, set()))
        c = mem_tree.commit("round")
        snapshots.append((c.id, {k: set(v) for k, v in model.items()}))
    for cid, then in snapshots:
        old = infinitree.MultiMap(mem_tree.checkout(cid).map("tags"))
        for k in words:
            assert old.get_all(k) == sorted(then.get(k, set()))
        with pytest.raises(infinitree.ReadOnly):
            old.put(b"x", b"y")


def test_key_history_newest_first(mem_tree: infinitree.Tree) -> None:
    m = mem_tree.map("kv")
    assert infinitree.key_history(mem_tree, "kv", b"color") == []
    for value, msg in ((b"red", "red"), (None, "gone"), (b"blue", "blue")):
        if value is None:
            del m[b"color"]
        else:
            m[b"color"] = value
        mem_tree.commit(msg)
        m[b"noise"] = msg.encode()
        mem_tree.commit("noise " + msg)
    h = infinitree.key_history(mem_tree, "kv", b"color")
    assert [(c.commit.message, c.value) for c in h] == [("blue", b"blue"), ("gone", None), ("red", b"red")]
    assert len(infinitree.key_history(mem_tree, "kv", b"color", limit=1)) == 1
    older = infinitree.key_history(mem_tree, "kv", b"color", ref=h[1].commit.id)
    assert [c.commit.message for c in older] == ["gone", "red"]
    with pytest.raises(infinitree.NotFound):
        infinitree.key_history(mem_tree, "kv", b"color", ref="no-such-ref")


def test_json_round_trips_to_the_canonical_form(mem_tree: infinitree.Tree) -> None:
    import json

    m = mem_tree.map("docs")
    docs = [
        {"name": "plant", "tags": ["green", "leafy"], "n": -9223372036854775808, "u": 18446744073709551615},
        {"unicode": "héllo ✓ 𝄞", "nul": "a\u0000b", "": {"deep": [[[{}]]]}, "f": 1.5e-300},
        [1, 2.5, None, True, False, "x", [], {}],
        "just a string",
        list(range(5000)),
    ]
    for i, doc in enumerate(docs):
        prefix = infinitree.encode_key(("doc", i))
        infinitree.import_json(m, json.dumps(doc), prefix)
        text = infinitree.export_json(m, prefix)
        assert json.loads(text) == doc
        assert text == json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.import_json(m, "{", b"bad")
    with pytest.raises(infinitree.NotFound):
        infinitree.export_json(m, b"nothing")


def test_transactions_serialize_concurrent_transfers(mem_tree: infinitree.Tree) -> None:
    import threading

    accounts = mem_tree.map("accounts")
    for i in range(5):
        accounts[f"a{i}".encode()] = b"100"
    conflicts = [0]
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with infinitree.Transaction(mem_tree) as tx:
            for _ in range(60):
                while True:
                    a, b = rng.sample(range(5), 2)
                    ka, kb = f"a{a}".encode(), f"a{b}".encode()
                    va, vb = int(tx.get("accounts", ka)), int(tx.get("accounts", kb))
                    tx.put("accounts", ka, str(va - 1).encode())
                    tx.put("accounts", kb, str(vb + 1).encode())
                    try:
                        tx.apply()
                        break
                    except infinitree.Conflict:
                        with lock:
                            conflicts[0] += 1

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(int(v) for _, v in accounts.items()) == 500

    with infinitree.Transaction(mem_tree) as tx:
        before = tx.get("accounts", b"a0")
        tx.put("accounts", b"a0", b"0")
        tx.rollback()
        assert tx.apply() > 0 and accounts[b"a0"] == before
        tx.get("accounts", b"a1")
        tx.put("other", b"x", b"1")
        accounts[b"a1"] = b"changed"
        with pytest.raises(infinitree.Conflict):
            tx.apply()
        assert b"x" not in mem_tree.map("other")
