"""Item views from Python (infinitree.ItemView, union, intersection, diff_view) against a
model made of dicts: random writes to two maps over six commits; at every commit every view
and nestings of them are compared with the model, live and through checkouts."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Dict, List, Optional, Tuple

import pytest

import infinitree
from infinitree import Desc, ItemView, intersection, union

Model = Dict[bytes, bytes]
ALPHABET = b"\x00ab\xff"


def rkey(rng: random.Random, min_len: int = 0) -> bytes:
    return bytes(rng.choice(ALPHABET) for _ in range(rng.randint(min_len, 3)))


def m_prefix(m: Model, p: bytes) -> Model:
    return {k[len(p):]: v for k, v in m.items() if k.startswith(p)}


def m_range(m: Model, lo: Optional[bytes], hi: Optional[bytes], lo_open: bool, hi_open: bool) -> Model:
    def inside(k: bytes) -> bool:
        if lo is not None and (k < lo or (lo_open and k == lo)):
            return False
        if hi is not None and (k > hi or (hi_open and k == hi)):
            return False
        return True
    return {k: v for k, v in m.items() if inside(k)}


def m_union(*ms: Model) -> Model:
    out: Model = {}
    for m in reversed(ms):  # the first model's value wins
        out.update(m)
    return out


def m_inter(*ms: Model) -> Model:
    return {k: v for k, v in ms[0].items() if all(k in m for m in ms[1:])}


def check_view(view: ItemView, model: Model, rng: random.Random) -> None:
    want: List[Tuple[bytes, bytes]] = sorted(model.items())
    keys = [k for k, _ in want]
    assert list(view.items()) == want
    assert list(reversed(view)) == keys[::-1]
    assert len(view) == len(want)
    with view.cursor() as c:
        assert c.valid == bool(want)
        # Past either end the moves answer False, again and again.
        if c.last():
            assert not c.next() and not c.next() and not c.valid
        with pytest.raises(infinitree.KeyNotFound):
            _ = c.key
        for _ in range(40):
            k = rkey(rng)
            i = bisect.bisect_left(keys, k)
            if rng.random() < 0.5:
                ok = c.seek(k)
            else:
                i = bisect.bisect_right(keys, k) - 1
                ok = c.seek_for_prev(k)
            if i < 0 or i >= len(keys):
                assert not ok
                continue
            assert ok and c.entry() == want[i]
            for _ in range(4):  # a random walk that changes direction
                if rng.random() < 0.5:
                    ok, i = c.next(), i + 1
                else:
                    ok, i = c.prev(), i - 1
                if i < 0 or i >= len(keys):
                    assert not ok
                    break
                assert ok and c.entry() == want[i]
            assert (k in view) == (k in model)
            assert view.get(k) == model.get(k)


def random_bound(rng: random.Random, m: Model) -> Optional[bytes]:
    r = rng.random()
    if r < 0.2:
        return None
    if r < 0.6 and m:
        return rng.choice(sorted(m))
    return rkey(rng)


def check_all(a: infinitree.Map, b: infinitree.Map, ma: Model, mb: Model, rng: random.Random) -> None:
    va, vb = ItemView(a), ItemView(b)
    for _ in range(3):
        p = rng.choice(sorted(ma))[: rng.randint(0, 2)] if ma and rng.random() < 0.6 else rkey(rng)
        lo, hi = random_bound(rng, mb), random_bound(rng, mb)
        lo_open, hi_open = rng.random() < 0.5, rng.random() < 0.5
        rb = vb.range(lo, hi, lo_open=lo_open, hi_open=hi_open)
        mrb = m_range(mb, lo, hi, lo_open, hi_open)
        ra = va.range(lo, hi, lo_open=lo_open, hi_open=hi_open)
        mra = m_range(ma, lo, hi, lo_open, hi_open)
        cases = [
            (va, ma),
            (va.prefix(p), m_prefix(ma, p)),
            (rb, mrb),
            (union(va, vb), m_union(ma, mb)),
            (intersection(va, vb), m_inter(ma, mb)),
            (intersection(union(va, vb), ra).prefix(p), m_prefix(m_inter(m_union(ma, mb), mra), p)),
            (union(rb, va.prefix(p), vb), m_union(mrb, m_prefix(ma, p), mb)),
            (intersection(vb, va, rb), m_inter(mb, ma, mrb)),
        ]
        for view, model in cases:
            check_view(view, model, rng)


def test_views_against_dict_model(mem_tree: infinitree.Tree) -> None:
    rng = random.Random(13)
    a, b = mem_tree.map("a", keys="bytes"), mem_tree.map("b", keys="bytes")
    ma: Model = {}
    mb: Model = {}
    snaps = []
    for rnd in range(6):
        for _ in range(60):
            m, model = (a, ma) if rng.random() < 0.6 else (b, mb)
            k = rkey(rng, 1)
            if rng.random() < 0.25:
                m.delete(k)
                model.pop(k, None)
            else:
                v = bytes([rnd]) + rng.randbytes(2)
                m[k] = v
                model[k] = v
        check_all(a, b, ma, mb, rng)  # live
        commit = mem_tree.commit(f"round {rnd}")
        assert commit is not None
        snaps.append((commit.id, dict(ma), dict(mb)))
    for cid, sa, sb in snaps:  # fixed: each commit after all the later writes
        co = mem_tree.checkout(cid)
        check_all(co.map("a", keys="bytes"), co.map("b", keys="bytes"), sa, sb, rng)


def test_live_view_sees_later_writes_and_closed_tree(mem_tree: infinitree.Tree) -> None:
    m = mem_tree.map("m")
    m["u/1"], m["u/3"] = b"one", b"three"
    users = ItemView(m).prefix("u/")
    c = users.cursor()
    assert c.key == b"1"
    m["u/2"] = b"two"
    assert c.next() and c.entry() == (b"2", b"two")
    assert users[b"3"] == b"three" and users.get(b"9") is None
    with pytest.raises(infinitree.KeyNotFound):
        users[b"9"]
    mem_tree.close()
    with pytest.raises(infinitree.Closed):
        c.next()
    with pytest.raises(infinitree.Closed):
        len(users)


def test_typed_keys_and_newest_first(mem_tree: infinitree.Tree) -> None:
    events = mem_tree.map("events", keys="typed")
    seen = mem_tree.map("seen", keys="typed")
    t0 = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    for i in range(10):
        events[("bob", Desc(t0 + dt.timedelta(hours=i)), i)] = b"login"
        if i % 3 == 0:
            seen[("bob", Desc(t0 + dt.timedelta(hours=i)), i)] = b""
    bob = ItemView(events).prefix(("bob",))
    first = next(iter(bob))
    assert first == (Desc(t0 + dt.timedelta(hours=9)), 9)
    both = intersection(bob, ItemView(seen).prefix(("bob",)))
    assert [k[1] for k in both] == [9, 6, 3, 0]
    assert list(both.values()) == [b"login"] * 4


def test_diff_view(mem_tree: infinitree.Tree) -> None:
    m = mem_tree.map("m")
    m["keep"], m["gone"], m["edit"] = b"1", b"1", b"1"
    one = mem_tree.commit("one")
    del m["gone"]
    m["edit"], m["new"] = b"2", b"3"
    mem_tree.commit("two")
    d = infinitree.diff_view(mem_tree, "m", one.id, None)
    assert list(d.items()) == [(b"edit", b"2"), (b"gone", b"1"), (b"new", b"3")]
    assert list(infinitree.diff_view(mem_tree, "m", one.id, None, removed=False, changed=False)) == [b"new"]
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.diff_view(mem_tree, "m", one.id, None, added=False, removed=False, changed=False)


def test_bad_arguments(mem_tree: infinitree.Tree) -> None:
    v = ItemView(mem_tree.map("m"))
    with pytest.raises(ValueError):
        union()
    with pytest.raises(TypeError):
        intersection(v, "not a view")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ItemView(v)  # type: ignore[arg-type]
    v.close()
    with pytest.raises(infinitree.Closed):
        v.prefix(b"a")
